/*
 * result.c: a record's result, the one place that counts diagnostics by
 * severity, and the emitter the judge's rule modules write through.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emitter.h"
#include "output.h"
#include "policies.h"
#include "result.h"

size_t
rl_result_max(size_t max_errors)
{
	return max_errors ? max_errors : RL_DEFAULT_MAX_ERRORS;
}

static void
count(rl_result *res, rl_severity sev)
{
	if (sev == RL_SEV_ERROR)
		res->errors++;
	else if (sev == RL_SEV_WARNING)
		res->warnings++;
	else
		res->infos++;
	if (sev > res->worst)
		res->worst = sev;
}

static void
uncount(rl_result *res, rl_severity sev)
{
	if (sev == RL_SEV_ERROR)
		res->errors--;
	else if (sev == RL_SEV_WARNING)
		res->warnings--;
	else if (sev == RL_SEV_INFO)
		res->infos--;
	res->worst = res->errors ? RL_SEV_ERROR : res->warnings ? RL_SEV_WARNING :
	    res->infos ? RL_SEV_INFO : RL_SEV_NONE;
}

rl_diag *
rl_result_add(rl_result *res, rl_arena *a, size_t max, rl_code code,
    rl_severity sev, int *nomem)
{
	rl_diag *d;

	*nomem = 0;
	if (sev == RL_SEV_NONE)
		return NULL;
	count(res, sev);
	if (res->n >= max) {
		res->dropped++;
		return NULL;
	}
	if (res->n == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 4;
		rl_diag *nd;

		if (cap > max)
			cap = max;
		if ((nd = rl_arena_alloc(a, cap * sizeof(*nd))) == NULL) {
			*nomem = 1;
			return NULL;
		}
		if (res->n)
			memcpy(nd, res->d, res->n * sizeof(*nd));
		res->d = nd;
		res->cap = cap;
	}
	d = &res->d[res->n++];
	memset(d, 0, sizeof(*d));
	d->code = code;
	d->severity = sev;
	d->op = -1;
	d->field = -1;
	return d;
}

int
rl_result_add_text(rl_result *res, rl_arena *a, size_t max, rl_code code,
    rl_severity sev, const char *msg)
{
	rl_diag *d;
	int nomem;

	if ((d = rl_result_add(res, a, max, code, sev, &nomem)) == NULL)
		return nomem ? -1 : 0;
	return rl_diag_put_message(d, a, msg, strlen(msg));
}

int
rl_result_prepend(rl_result *res, rl_arena *a, size_t max,
    const rl_rules *r, const rl_diag *d, size_t n)
{
	size_t i, k, keep = 0, total;
	rl_diag *nd;

	for (i = 0; i < n; i++) {
		rl_severity sev = rl_rules_severity(r, d[i].code);

		if (sev == RL_SEV_NONE)
			continue;
		count(res, sev);
		keep++;
	}
	if (keep == 0)
		return 0;
	total = keep + res->n;
	if (total > max) {
		res->dropped += total - max;
		total = max;
	}
	if ((nd = rl_arena_alloc(a, total * sizeof(*nd))) == NULL)
		return -1;
	for (i = 0, k = 0; i < n && k < total; i++) {
		rl_severity sev = rl_rules_severity(r, d[i].code);

		if (sev == RL_SEV_NONE)
			continue;
		nd[k] = d[i];
		nd[k].severity = sev;
		/* cells echoed in messages may not be UTF-8: mend them here */
		if (rl_diag_put_message(&nd[k++], a, d[i].message,
		    strlen(d[i].message)) == -1)
			return -1;
	}
	for (i = 0; k < total; i++)
		nd[k++] = res->d[i];
	res->d = nd;
	res->n = res->cap = total;
	return 0;
}

long
rl_result_find(const rl_result *res, rl_code code)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		if (res->d[i].code == code)
			return (long)i;
	return -1;
}

void
rl_result_remove(rl_result *res, size_t i)
{
	if (i >= res->n)
		return;
	uncount(res, res->d[i].severity);
	memmove(&res->d[i], &res->d[i + 1], (res->n - i - 1) * sizeof(*res->d));
	res->n--;
}

static int
move_value(rl_arena *a, const rl_value **v)
{
	rl_value *c;

	if (*v == NULL)
		return 0;
	if ((c = rl_json_copy(a, *v)) == NULL)
		return -1;
	*v = c;
	return 0;
}

/* The accepted line in place of the patch, in a. */
static int
render_line(rl_result *res, rl_arena *a)
{
	rl_buf b = RL_BUF_INIT;
	char *line;

	if (rl_out_accepted(&b, res) == -1 ||
	    (line = rl_arena_strndup(a, b.data, b.len)) == NULL) {
		rl_buf_free(&b);
		return -1;
	}
	res->line = line;
	res->line_len = b.len;
	res->patch = NULL;
	rl_buf_free(&b);
	return 0;
}

int
rl_result_move(rl_result *res, rl_arena *a, int apply)
{
	struct rl_policy_result *p;
	rl_diag *d = NULL;

	if (!apply) {
		/* what is rejected now stays rejected: it writes no line */
		res->after = NULL;
		if (!rl_result_accepted(res))
			res->patch = NULL;
		else if (render_line(res, a) == -1)
			return -1;
	} else if (move_value(a, &res->patch) == -1 || (res->after != NULL &&
	    (res->after = rl_json_copy(a, res->after)) == NULL))
		return -1;
	if (move_value(a, &res->id) == -1 || move_value(a, &res->if_match) == -1)
		return -1;
	if (res->n > 0) {
		if ((d = rl_arena_alloc(a, res->n * sizeof(*d))) == NULL)
			return -1;
		memcpy(d, res->d, res->n * sizeof(*d));
		if (rl_diag_keep(d, res->n, a) == -1)
			return -1;
	}
	res->d = d;
	res->cap = res->n;
	if (res->eligibility != NULL) {
		if ((p = rl_arena_alloc(a, RL_POLICY_COUNT * sizeof(*p))) == NULL)
			return -1;
		memcpy(p, res->eligibility, RL_POLICY_COUNT * sizeof(*p));
		if (rl_policy_move(p, RL_POLICY_COUNT, a) == -1)
			return -1;
		res->eligibility = p;
	}
	return 0;
}

void
rl_result_regrade(rl_result *res, size_t i, rl_severity sev)
{
	if (i >= res->n || sev == RL_SEV_NONE)
		return;
	uncount(res, res->d[i].severity);
	res->d[i].severity = sev;
	count(res, sev);
}

void
rl_result_tally(const rl_result *res, unsigned long by_code[RL_CODE_COUNT])
{
	size_t i;

	for (i = 0; i < res->n; i++)
		if (res->d[i].code < RL_CODE_COUNT)
			by_code[res->d[i].code]++;
}

/* ---- the emitter ------------------------------------------------------ */

void
rl_emitter_init(rl_emitter *e, const rl_rules *r, rl_arena *a,
    rl_result *res, const rl_check_opts *opts)
{
	e->r = r;
	e->a = a;
	e->res = res;
	e->max = rl_result_max(opts != NULL ? opts->max_errors : 0);
	e->nomem = 0;
}

int
rl_emit(rl_emitter *e, rl_code code, long op, const rl_value *path,
    const char *fmt, ...)
{
	char buf[RL_DIAG_MSG];
	rl_diag *d;
	va_list ap, ap2;
	int nomem, n;

	d = rl_result_add(e->res, e->a, e->max, code,
	    rl_rules_severity(e->r, code), &nomem);
	if (d == NULL) {
		if (nomem)
			e->nomem = 1;
		return nomem ? -1 : 0;
	}
	d->op = op;
	if (path != NULL && path->type == RL_STRING) {
		rl_diag_put_pointer(d, path->u.s.ptr, path->u.s.len);
		d->line = path->line;
	}
	/* messages are never cut: a long one is kept whole in the arena */
	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= sizeof(buf)) {
		char *t = rl_arena_alloc(e->a, (size_t)n + 1);

		if (t == NULL) {
			va_end(ap2);
			e->nomem = 1;
			return -1;
		}
		vsnprintf(t, (size_t)n + 1, fmt, ap2);
		if (rl_diag_put_message(d, e->a, t, (size_t)n) == -1) {
			va_end(ap2);
			e->nomem = 1;
			return -1;
		}
	} else if (n >= 0 && rl_diag_put_message(d, e->a, buf, (size_t)n) == -1) {
		va_end(ap2);
		e->nomem = 1;
		return -1;
	}
	va_end(ap2);
	return 0;
}

int
rl_emit_eligibility(rl_emitter *e, const struct rl_policy_result *p)
{
	struct rl_policy_result *copy;

	if ((copy = rl_arena_alloc(e->a, RL_POLICY_COUNT * sizeof(*copy))) == NULL) {
		e->nomem = 1;
		return -1;
	}
	memcpy(copy, p, RL_POLICY_COUNT * sizeof(*copy));
	e->res->eligibility = copy;
	return 0;
}
