/*
 * validate.c: judges a record by the procedure of reflint(1), Judging:
 * 1 record shape, 2 each op on its own (op kind, pointer, path, value),
 * 3 the patch applied op by op (container defaults; a failing op is
 * skipped through the undo log), 4 the state rules, 5 registrations
 * (registration.c), 6 the verdict.  Every table comes from the rules.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "lifecycle.h"
#include "patch.h"
#include "pointer.h"
#include "policies.h"
#include "registration.h"
#include "validate.h"

#define DEFAULT_MAX_ERRORS 20

struct rl_emitter {
	const rl_rules *r;
	rl_arena *a;
	rl_result *res;
	size_t max;
	int nomem;
};

/* What steps 2 and 3 learnt about one op. */
struct opinfo {
	const rl_value *op;
	const rl_value *path;       /* the path member, when a string */
	const rl_value *value;      /* the value member, when there is one */
	rl_op_kind kind;
	int has_ptr;                /* p is valid */
	rl_pointer p;
	const struct rl_path *rule; /* the patchable path, when found */
	int bad;                    /* left out of step 3: an error of step 2,
	                               or an op that cannot be applied at all */
	int applied;                /* step 3 applied it */
};

rl_diag *
rl_result_add(rl_result *res, rl_arena *a, size_t max, rl_code code,
    rl_severity sev, int *nomem)
{
	rl_diag *d;

	*nomem = 0;
	if (sev == RL_SEV_NONE)
		return NULL;
	if (sev == RL_SEV_ERROR)
		res->errors++;
	else if (sev == RL_SEV_WARNING)
		res->warnings++;
	else
		res->infos++;
	if (sev > res->worst)
		res->worst = sev;
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
	return d;
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

/* ---- small helpers ---------------------------------------------------- */

#define SNIP 112
#define SNIP_TEXT 60            /* bytes of the value itself, at most */

/* " … (N more characters)" after a cut value, N counted in characters. */
static size_t
snip_more(char *out, size_t room, const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return (size_t)snprintf(out, room, " (%zu more character%s)", n,
	    n == 1 ? "" : "s");
}

/*
 * A value as short JSON text for messages: "abc", 12, null, an object.  A
 * long one is cut at a character boundary, with an ellipsis and the count
 * of the characters left out.
 */
static const char *
snip(const rl_value *v, char out[SNIP])
{
	size_t i, n = 0;

	switch (v->type) {
	case RL_NULL: return "null";
	case RL_TRUE: return "true";
	case RL_FALSE: return "false";
	case RL_ARRAY: return "an array";
	case RL_OBJECT: return "an object";
	case RL_NUMBER:
		if (v->u.s.len <= SNIP_TEXT) {
			snprintf(out, SNIP, "%.*s", (int)v->u.s.len, v->u.s.ptr);
			return out;
		}
		n = (size_t)snprintf(out, SNIP, "%.*s\xE2\x80\xA6", SNIP_TEXT, v->u.s.ptr);
		snip_more(out + n, SNIP - n, v->u.s.ptr + SNIP_TEXT,
		    v->u.s.len - SNIP_TEXT);
		return out;
	default:
		break;
	}
	out[n++] = '"';
	for (i = 0; i < v->u.s.len && n < SNIP_TEXT; i++) {
		unsigned char c = (unsigned char)v->u.s.ptr[i];

		if (c < 0x20 || c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = c == '"' || c == '\\' ? (char)c : '?';
		} else
			out[n++] = (char)c;
	}
	/* never cut inside a UTF-8 sequence */
	if (i < v->u.s.len) {
		while (i > 0 && ((unsigned char)v->u.s.ptr[i] & 0xC0) == 0x80) {
			i--;
			n--;
		}
		memcpy(out + n, "\xE2\x80\xA6\"", 4);
		n += 4;
		n += snip_more(out + n, SNIP - n, v->u.s.ptr + i, v->u.s.len - i);
		return out;
	}
	out[n++] = '"';
	out[n] = '\0';
	return out;
}

static const char *
tname(const rl_value *v)
{
	switch (v->type) {
	case RL_NULL: return "null";
	case RL_FALSE: case RL_TRUE: return "a boolean";
	case RL_NUMBER: return "a number";
	case RL_STRING: return "a string";
	case RL_ARRAY: return "an array";
	default: return "an object";
	}
}

static size_t
utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* "a string", "a string or a number", ... from a type set. */
static const char *
types_text(unsigned t, char *buf, size_t size)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ RL_VT_STRING, "a string" },
		{ RL_VT_DECIMAL, "a number or a numeric string" },
		{ RL_VT_NUMBER, "a number" },
		{ RL_VT_BOOLEAN, "a boolean" },
		{ RL_VT_OBJECT, "an object" },
		{ RL_VT_ARRAY, "an array" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	if (t & RL_VT_DECIMAL)
		t &= ~(unsigned)RL_VT_NUMBER;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(t & names[i].bit))
			continue;
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s",
		    n ? " or " : "", names[i].name);
		if (n >= size)
			break;
	}
	return buf;
}

static unsigned
value_types(const rl_value *v)
{
	switch (v->type) {
	case RL_TRUE: case RL_FALSE: return RL_VT_BOOLEAN;
	case RL_NUMBER: return RL_VT_NUMBER | RL_VT_DECIMAL;
	case RL_STRING:
		/*
		 * A string is the right type for a decimal: one that is not a
		 * JSON number is a format problem (check_value), not a type one.
		 */
		return RL_VT_STRING | RL_VT_DECIMAL;
	case RL_ARRAY: return RL_VT_ARRAY;
	case RL_OBJECT: return RL_VT_OBJECT;
	default: return 0;
	}
}

/* ---- step 2: values ------------------------------------------------- */

/*
 * What a value check is looking at, for its messages: "value", a member of
 * one ("member \"email\" of value") or an item of an array ("member
 * \"email\" of item 2 of value", 2 as in the pointer /team/2).  Put into
 * words only when a message is written: most values pass.
 */
struct what {
	const struct what *up;      /* NULL: the op's value itself */
	const char *member;         /* a member of up; NULL: an item of up */
	size_t item;
};

#define WHAT_TEXT 160
#define WT(w) what_text((w), (char[WHAT_TEXT]){ 0 }, WHAT_TEXT)

static const char *
what_text(const struct what *w, char *buf, size_t size)
{
	int n;

	if (w->up == NULL)
		n = snprintf(buf, size, "value");
	else if ((n = w->member != NULL ?
	    snprintf(buf, size, "member \"%s\" of ", w->member) :
	    snprintf(buf, size, "item %zu of ", w->item)) >= 0 &&
	    (size_t)n < size)
		(void)what_text(w->up, buf + n, size - (size_t)n);
	return buf;
}

static int check_value(rl_emitter *, long, const rl_value *,
    const struct what *, const struct rl_vspec *, const rl_value *);

static int
check_enum(rl_emitter *e, long op, const rl_value *path,
    const struct what *what,
    const struct rl_vspec *s, const rl_value *v)
{
	const rl_value *en = s->enumv;
	char q[SNIP], *list;
	const char *near = NULL;
	size_t i, n = 0;

	for (i = 0; i < en->u.a.n; i++) {
		const rl_value *x = en->u.a.items[i];

		if (x->u.s.len == v->u.s.len &&
		    memcmp(x->u.s.ptr, v->u.s.ptr, v->u.s.len) == 0)
			return 0;
		if (near == NULL && rl_ascii_caseeq(x->u.s.ptr, x->u.s.len,
		    v->u.s.ptr, v->u.s.len))
			near = x->u.s.ptr;
	}
	if (near != NULL) {
		rl_emit(e, RL_VALUE_ENUM, op, path,
		    "%s %s is not an allowed value (values are case-sensitive); did you mean \"%s\"?",
		    WT(what), snip(v, q), near);
		return 1;
	}
	/* every allowed value, however many the rules list */
	for (i = 0; i < en->u.a.n; i++)
		n += en->u.a.items[i]->u.s.len + 2;
	if ((list = rl_arena_alloc(e->a, n + 1)) == NULL) {
		e->nomem = 1;
		return 1;
	}
	for (i = 0, n = 0; i < en->u.a.n; i++) {
		if (i > 0) {
			memcpy(list + n, ", ", 2);
			n += 2;
		}
		memcpy(list + n, en->u.a.items[i]->u.s.ptr, en->u.a.items[i]->u.s.len);
		n += en->u.a.items[i]->u.s.len;
	}
	list[n] = '\0';
	rl_emit(e, RL_VALUE_ENUM, op, path, "%s %s is not one of: %s",
	    WT(what), snip(v, q), list);
	return 1;
}

/* 1 when the format check found a problem (reported), 0 when fine. */
static int
check_format(rl_emitter *e, long op, const rl_value *path,
    const struct what *what,
    const struct rl_strfmt *f, const rl_value *v)
{
	char q[SNIP];
	rl_instant t;
	int m = rl_regex_match(f->re, v->u.s.ptr, v->u.s.len);

	if (m == RL_RE_NOMEM) {
		e->nomem = 1;
		return 1;
	}
	if (m < 0) {
		rl_emit(e, RL_VALUE_FORMAT, op, path,
		    "%s could not be checked against format %s: %s", WT(what),
		    f->name, rl_regex_errmsg(f->re));
		return 1;
	}
	if (m == RL_RE_NOMATCH || (f->calendar &&
	    rl_datetime_parse(v->u.s.ptr, v->u.s.len, &t) == -1)) {
		rl_emit(e, RL_VALUE_FORMAT, op, path, "%s %s is not %s", WT(what),
		    snip(v, q), f->description != NULL ? f->description : f->name);
		return 1;
	}
	return 0;
}

static int
check_range(rl_emitter *e, long op, const rl_value *path,
    const struct what *what,
    const struct rl_vspec *s, const rl_value *v)
{
	char q[SNIP];
	int c;

	if (s->min.lex != NULL) {
		c = rl_decimal_cmp(v->u.s.ptr, v->u.s.len, s->min.lex, s->min.len);
		if (c < 0 || (c == 0 && s->min.exclusive)) {
			rl_emit(e, RL_VALUE_RANGE, op, path, "%s %s must be %s %.*s",
			    WT(what), snip(v, q), s->min.exclusive ? "greater than" :
			    "at least", (int)s->min.len, s->min.lex);
			return 1;
		}
	}
	if (s->max.lex != NULL) {
		c = rl_decimal_cmp(v->u.s.ptr, v->u.s.len, s->max.lex, s->max.len);
		if (c > 0 || (c == 0 && s->max.exclusive)) {
			rl_emit(e, RL_VALUE_RANGE, op, path, "%s %s must be %s %.*s",
			    WT(what), snip(v, q), s->max.exclusive ? "less than" :
			    "at most", (int)s->max.len, s->max.lex);
			return 1;
		}
	}
	return 0;
}

static int
check_object(rl_emitter *e, long op, const rl_value *path,
    const struct what *what,
    const struct rl_object *o, const rl_value *v)
{
	struct what w;
	size_t i, k;
	int bad = 0;

	for (k = 0; k < o->n; k++) {
		const struct rl_mspec *m = &o->m[k];
		long at = rl_json_object_find(v, m->name, m->len);

		if (at < 0) {
			if (m->v.required) {
				rl_emit(e, RL_VALUE_MEMBER_MISSING, op, path,
				    "%s lacks the required member \"%s\"", WT(what), m->name);
				bad = 1;
			}
			continue;
		}
		w.up = what;
		w.member = m->name;
		w.item = 0;
		bad |= check_value(e, op, path, &w, &m->v, v->u.o.members[at].value);
	}
	if (!o->warn_other)
		return bad;
	for (i = 0; i < v->u.o.n; i++) {
		const rl_member *mm = &v->u.o.members[i];

		for (k = 0; k < o->n; k++)
			if (o->m[k].len == mm->klen &&
			    memcmp(o->m[k].name, mm->key, mm->klen) == 0)
				break;
		if (k == o->n)
			rl_emit(e, RL_VALUE_MEMBER_UNKNOWN, op, path,
			    "%s has a member \"%.*s\" that the rules do not know",
			    WT(what), (int)mm->klen, mm->key);
	}
	return bad;
}

/* Each item of an array value against one schema; every problem is reported. */
static int
check_items(rl_emitter *e, long op, const rl_value *path,
    const struct what *what,
    const struct rl_vspec *s, const rl_value *v)
{
	struct what w;
	size_t i;
	int bad = 0;

	w.up = what;
	w.member = NULL;
	for (i = 0; i < v->u.a.n && !e->nomem; i++) {
		w.item = i;
		bad |= check_value(e, op, path, &w, s, v->u.a.items[i]);
	}
	return bad;
}

/*
 * The value checks of one value: type, then enum, format, range, length
 * (the first that fails ends them), then an object's members or an array's
 * items, each.  Returns 1 when an error-level problem was found.
 */
static int
check_value(rl_emitter *e, long op, const rl_value *path,
    const struct what *what,
    const struct rl_vspec *s, const rl_value *v)
{
	char tb[120], q[SNIP];
	size_t chars;

	if (v->type == RL_NULL) {
		if (s->nullable)
			return 0;
		if (s->types == RL_VT_ANY)
			return 0;
		rl_emit(e, RL_VALUE_TYPE, op, path, "%s must be %s, not null",
		    WT(what), types_text(s->types, tb, sizeof(tb)));
		return 1;
	}
	if (!(value_types(v) & s->types)) {
		rl_emit(e, RL_VALUE_TYPE, op, path, "%s must be %s, not %s%s%s",
		    WT(what), types_text(s->types, tb, sizeof(tb)), tname(v),
		    v->type == RL_STRING ? " " : "",
		    v->type == RL_STRING ? snip(v, q) : "");
		return 1;
	}
	if (v->type == RL_STRING && (s->types & RL_VT_DECIMAL) &&
	    !(s->types & RL_VT_STRING) &&
	    !rl_decimal_valid(v->u.s.ptr, v->u.s.len)) {
		rl_emit(e, RL_VALUE_FORMAT, op, path,
		    "%s %s is not a number: a numeric string follows the JSON number grammar (1500, 1500.50, 1.5e3)",
		    WT(what), snip(v, q));
		return 1;
	}
	if (v->type == RL_STRING && s->enumv != NULL &&
	    check_enum(e, op, path, what, s, v))
		return 1;
	if (v->type == RL_STRING && s->format != NULL &&
	    check_format(e, op, path, what, s->format, v))
		return 1;
	if ((v->type == RL_NUMBER || (v->type == RL_STRING &&
	    (s->types & RL_VT_DECIMAL) && !(s->types & RL_VT_STRING))) &&
	    check_range(e, op, path, what, s, v))
		return 1;
	/*
	 * Security (README): the API reads the value into System.Decimal,
	 * which rounds past 28 digits after the point or 96 bits of digits.
	 */
	if (s->dotnet_decimal && (v->type == RL_NUMBER ||
	    v->type == RL_STRING) &&
	    rl_decimal_valid(v->u.s.ptr, v->u.s.len) &&
	    !rl_decimal_dotnet_exact(v->u.s.ptr, v->u.s.len)) {
		rl_emit(e, RL_VALUE_FORMAT, op, path,
		    "%s %s is not exactly a .NET decimal (at most 28 digits after the point, and at most 79228162514264337593543950335 without it): the API would round or refuse it",
		    WT(what), snip(v, q));
		return 1;
	}
	if (v->type == RL_STRING && (s->minlen >= 0 || s->maxlen >= 0)) {
		chars = utf8_chars(v->u.s.ptr, v->u.s.len);
		if (s->minlen >= 0 && chars < (size_t)s->minlen) {
			rl_emit(e, RL_VALUE_LENGTH, op, path,
			    "%s %s is shorter than %ld character%s", WT(what), snip(v, q),
			    s->minlen, s->minlen == 1 ? "" : "s");
			return 1;
		}
		if (s->maxlen >= 0 && chars > (size_t)s->maxlen) {
			rl_emit(e, RL_VALUE_LENGTH, op, path,
			    "%s is longer than %ld characters", WT(what), s->maxlen);
			return 1;
		}
	}
	if (v->type == RL_OBJECT && s->object != NULL)
		return check_object(e, op, path, what, s->object, v);
	if (v->type == RL_ARRAY && s->items != NULL)
		return check_items(e, op, path, what, s->items, v);
	return 0;
}

/* ---- step 2: op, pointer, path -------------------------------------- */

static int
tmpl_prefix(const struct rl_tmpl *t, const rl_pointer *p)
{
	rl_pointer head;

	if (p->n < t->n)
		return 0;
	head.tok = p->tok;
	head.n = t->n;
	return rl_tmpl_match(t, &head);
}

/*
 * "did you mean": the pointer with the template's literal tokens, escaped,
 * into a caller's buffer (cut short when it does not fit).
 */
static const char *
suggest(char *out, size_t size, const struct rl_tmpl *t, const rl_pointer *p)
{
	size_t i, k, n = 0;

	for (i = 0; i < p->n && n + 3 < size; i++) {
		const rl_token *tk = t->kind[i] == RL_TK_LIT ? &t->tok[i] : &p->tok[i];

		out[n++] = '/';
		for (k = 0; k < tk->len && n + 3 < size; k++) {
			if (tk->s[k] == '~' || tk->s[k] == '/') {
				out[n++] = '~';
				out[n++] = tk->s[k] == '~' ? '0' : '1';
			} else
				out[n++] = tk->s[k];
		}
	}
	out[n] = '\0';
	return out;
}

static int
check_path(rl_emitter *e, long i, struct opinfo *oi)
{
	const rl_rules *r = e->r;
	const struct rl_path *any = NULL;
	char hint[RL_DIAG_PTR];
	const uint32_t *ix;
	size_t j, to, k;

	/* only the templates whose first token could match (rl_tindex) */
	rl_tindex_find(&r->readonly_ix, r->nreadonly, &oi->p, &ix, &j, &to);
	for (; j < to; j++) {
		k = ix != NULL ? ix[j] : j;
		if (tmpl_prefix(&r->readonly[k], &oi->p))
			return rl_emit(e, RL_PATH_READ_ONLY, i, oi->path,
			    "%s is read-only%s", oi->path->u.s.ptr,
			    oi->p.n > r->readonly[k].n ? " (it is below a read-only member)" : "");
	}
	rl_tindex_find(&r->paths_ix, r->npaths, &oi->p, &ix, &j, &to);
	for (; j < to; j++) {
		k = ix != NULL ? ix[j] : j;
		if (!rl_tmpl_match(&r->paths[k].t, &oi->p))
			continue;
		if (r->paths[k].ops & (1u << oi->kind)) {
			oi->rule = &r->paths[k];
			return 0;
		}
		if (any == NULL)
			any = &r->paths[k];
	}
	if (any != NULL)
		return rl_emit(e, RL_PATH_OP_MISMATCH, i, oi->path,
		    "op %s is not allowed on %s (allowed: %s%s%s)",
		    rl_op_name(oi->kind), oi->path->u.s.ptr,
		    any->ops & (1u << RL_OP_ADD) ? "add" : "",
		    (any->ops & (1u << RL_OP_ADD)) && (any->ops & (1u << RL_OP_REPLACE)) ? ", " : "",
		    any->ops & (1u << RL_OP_REPLACE) ? "replace" : "");
	for (k = 0; k < r->npaths; k++)
		if (rl_tmpl_near(&r->paths[k].t, &oi->p))
			break;
	if (k < r->npaths)
		return rl_emit(e, RL_PATH_UNKNOWN, i, oi->path,
		    "%s is not a patchable path; did you mean %s?", oi->path->u.s.ptr,
		    suggest(hint, sizeof(hint), &r->paths[k].t, &oi->p));
	return rl_emit(e, RL_PATH_UNKNOWN, i, oi->path,
	    "%s is not a patchable path", oi->p.n == 0 ?
	    "\"\" (the whole referral)" : oi->path->u.s.ptr);
}

/*
 * The op's "op", "path" and "value" members (the first of each name), in
 * one pass over its members rather than three lookups.
 */
static void
op_members(const rl_value *op, const rl_value **name, const rl_value **path,
    const rl_value **value)
{
	size_t i;

	*name = *path = *value = NULL;
	for (i = 0; i < op->u.o.n; i++) {
		const rl_member *m = &op->u.o.members[i];
		const rl_value **slot;

		if (m->klen == 2 && memcmp(m->key, "op", 2) == 0)
			slot = name;
		else if (m->klen == 4 && memcmp(m->key, "path", 4) == 0)
			slot = path;
		else if (m->klen == 5 && memcmp(m->key, "value", 5) == 0)
			slot = value;
		else
			continue;
		if (*slot == NULL)
			*slot = m->value;
	}
}

/*
 * Step 2 for op i: every line's first code.  Sets oi->bad for an op that
 * cannot be applied whatever the severities (shape, op, value, pointer);
 * the caller adds the ops that got an error.
 */
static int
check_op(rl_emitter *e, long i, struct opinfo *oi)
{
	static const struct what root = { NULL, NULL, 0 };
	const rl_value *op = oi->op, *name, *value;
	char q[SNIP];
	rl_diag d;

	oi->bad = 1;
	if (op->type != RL_OBJECT)
		return rl_emit(e, RL_PATCH_SHAPE, i, NULL,
		    "operation %ld is %s, not an object", i, tname(op));
	op_members(op, &name, &oi->path, &value);
	if (oi->path != NULL && oi->path->type != RL_STRING) {
		const rl_value *p = oi->path;

		oi->path = NULL;
		return rl_emit(e, RL_PATCH_SHAPE, i, NULL,
		    "\"path\" must be a string, not %s", tname(p));
	}
	if (name == NULL || name->type != RL_STRING)
		return rl_emit(e, RL_PATCH_SHAPE, i, oi->path, name == NULL ?
		    "the operation has no \"op\" member%s" :
		    "\"op\" must be a string, not %s", name ? tname(name) : "");
	if (oi->path == NULL)
		return rl_emit(e, RL_PATCH_SHAPE, i, NULL,
		    "the operation has no \"path\" member");
	oi->kind = rl_op_kind_of(name->u.s.ptr, name->u.s.len);
	if (oi->kind != RL_OP_ADD && oi->kind != RL_OP_REPLACE)
		return rl_emit(e, RL_OP_UNSUPPORTED, i, oi->path,
		    "op %s is not supported: the Referrals API accepts only add and replace",
		    snip(name, q));
	oi->bad = 0;
	oi->value = value;
	if (value == NULL) {
		oi->bad = 1;
		if (rl_emit(e, RL_OP_VALUE_MISSING, i, oi->path,
		    "%s needs a \"value\" member", rl_op_name(oi->kind)) == -1)
			return -1;
	}
	if (rl_pointer_parse(e->a, oi->path->u.s.ptr, oi->path->u.s.len, &oi->p,
	    &d) == -1) {
		oi->bad = 1;
		if (d.code == RL_NOMEM) {
			e->nomem = 1;
			return -1;
		}
		return rl_emit(e, RL_POINTER_SYNTAX, i, oi->path, "%s", d.message);
	}
	oi->has_ptr = 1;
	if (check_path(e, i, oi) == -1)
		return -1;
	if (oi->rule == NULL || value == NULL)
		return 0;
	(void)check_value(e, i, oi->path, &root, &oi->rule->v, value);
	return e->nomem ? -1 : 0;
}

/* ---- step 3: container defaults and the patch ------------------------ */

/* Creates container c (and missing parent objects) in doc when absent. */
static int
ensure_container(rl_arena *a, rl_value *doc, const rl_pointer *c)
{
	rl_value *cur = doc, *nv;
	size_t i;
	long at;

	for (i = 0; i < c->n; i++) {
		if (cur->type != RL_OBJECT)
			return 0;
		at = rl_json_object_find(cur, c->tok[i].s, c->tok[i].len);
		if (at >= 0) {
			cur = cur->u.o.members[at].value;
			continue;
		}
		nv = i + 1 == c->n ? rl_json_array(a, 0) : rl_json_object(a, 0);
		if (nv == NULL ||
		    rl_json_object_insert(a, cur, cur->u.o.n, c->tok[i].s,
		    c->tok[i].len, nv) == -1)
			return -1;
		cur = nv;
	}
	return 0;
}

static int
apply_ops(rl_emitter *e, rl_value **doc, struct opinfo *oi, size_t n)
{
	const rl_rules *r = e->r;
	rl_undo *u;
	rl_diag d;
	size_t i, k;

	for (k = 0; k < r->ncontainers; k++)
		for (i = 0; i < n; i++)
			if (!oi[i].bad && rl_pointer_below(&oi[i].p, &r->containers[k])) {
				if (ensure_container(e->a, *doc, &r->containers[k]) == -1) {
					e->nomem = 1;
					return -1;
				}
				break;
			}
	if ((u = rl_undo_new(e->a)) == NULL) {
		e->nomem = 1;
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (oi[i].bad)
			continue;
		if (rl_patch_apply_parsed(e->a, doc, oi[i].kind, oi[i].path,
		    &oi[i].p, oi[i].value, u, &d) == 0) {
			oi[i].applied = 1;
			continue;
		}
		if (d.code == RL_NOMEM) {
			e->nomem = 1;
			return -1;
		}
		if (rl_emit(e, RL_PATCH_TARGET, (long)i, oi[i].path, "%s",
		    d.message) == -1)
			return -1;
	}
	return 0;
}

/* ---- step 4: state rules ------------------------------------------- */

static const rl_value *
at(const rl_value *doc, const rl_pointer *p)
{
	return doc != NULL ? rl_pointer_get(doc, p) : NULL;
}

/*
 * An entity tag as RFC 9110 section 8.8.3 writes it: an optional W/ (weak)
 * and an opaque tag, whose surrounding double quotes are optional here
 * ("7" and 7 name the same tag: the API's own payloads carry both forms).
 */
struct etag {
	const char *s;
	size_t n;
	int weak;
};

static struct etag
etag_parse(const rl_value *v)
{
	struct etag t = { v->u.s.ptr, v->u.s.len, 0 };

	if (t.n >= 2 && t.s[0] == 'W' && t.s[1] == '/') {
		t.s += 2;
		t.n -= 2;
		t.weak = 1;
	}
	if (t.n >= 2 && t.s[0] == '"' && t.s[t.n - 1] == '"') {
		t.s += 1;
		t.n -= 2;
	}
	return t;
}

/*
 * If-Match uses the strong comparison (RFC 9110 section 13.1.1): two tags
 * match only when neither is weak and their opaque tags are the same
 * bytes; "*" matches any referral that exists.
 */
static int
check_etag(rl_emitter *e, const rl_value *if_match, const rl_value *etag)
{
	struct etag x, y;

	if (if_match->u.s.len == 1 && if_match->u.s.ptr[0] == '*')
		return 0;
	x = etag_parse(if_match);
	y = etag_parse(etag);
	if (x.weak || y.weak)
		return rl_emit(e, RL_ETAG_MISMATCH, -1, NULL,
		    "%s %.*s is a weak tag, and If-Match compares tags strongly: "
		    "a weak tag never matches, so the API would answer 412 Precondition Failed",
		    x.weak ? "ifMatch" : "the referral's eTag",
		    (int)(x.weak ? if_match : etag)->u.s.len,
		    (x.weak ? if_match : etag)->u.s.ptr);
	if (x.n != y.n || memcmp(x.s, y.s, x.n) != 0)
		return rl_emit(e, RL_ETAG_MISMATCH, -1, NULL,
		    "ifMatch %.*s differs from the referral's eTag %.*s: the API would answer 412 Precondition Failed",
		    (int)if_match->u.s.len, if_match->u.s.ptr,
		    (int)etag->u.s.len, etag->u.s.ptr);
	return 0;
}

/* The last applied op that changed status or substatus, or -1. */
static long
state_op(const rl_rules *r, const struct opinfo *oi, size_t n,
    const rl_value **path)
{
	size_t i = n;

	*path = NULL;
	while (i-- > 0)
		if (oi[i].applied &&
		    (rl_pointer_below(&oi[i].p, &r->lc.status) ||
		    rl_pointer_below(&oi[i].p, &r->lc.substatus))) {
			*path = oi[i].path;
			return (long)i;
		}
	return -1;
}

/*
 * 1 when an op on status or substatus was left out (a code of its own in
 * step 2, or patch-target in step 3): the pair the user meant is then
 * unknown, and a lifecycle code would only echo that op's own problem.
 */
static int
state_op_left_out(rl_emitter *e, const struct opinfo *oi, size_t n)
{
	const struct rl_lifecycle *lc = &e->r->lc;
	rl_pointer q;
	size_t i;

	for (i = 0; i < n; i++) {
		const rl_pointer *p = &oi[i].p;

		if (oi[i].applied)
			continue;
		if (!oi[i].has_ptr) {
			/* an op refused before its pointer was parsed */
			if (oi[i].path == NULL || rl_pointer_parse(e->a,
			    oi[i].path->u.s.ptr, oi[i].path->u.s.len, &q, NULL) == -1)
				continue;
			p = &q;
		}
		if (rl_pointer_below(p, &lc->status) ||
		    rl_pointer_below(p, &lc->substatus))
			return 1;
	}
	return 0;
}

/* The last applied op at or below p (or -1), and its path. */
static long
irr_op(const struct opinfo *oi, size_t n, const rl_pointer *p)
{
	size_t i = n;

	while (i-- > 0)
		if (oi[i].applied && rl_pointer_below(&oi[i].p, p))
			return (long)i;
	return -1;
}

static const rl_value *
irr_path(const struct opinfo *oi, size_t n, const rl_pointer *p)
{
	long i = irr_op(oi, n, p);

	return i >= 0 ? oi[i].path : NULL;
}

struct before {
	struct rl_state st;
	int *irr;                   /* per irreversible rule: 1 = held before */
	const rl_value *etag;
};

static int
state_rules(rl_emitter *e, const struct before *b, const rl_value *after,
    const struct opinfo *oi, size_t n, const rl_value *if_match,
    const rl_value *record, const rl_check_opts *opts)
{
	const rl_rules *r = e->r;
	const struct rl_lifecycle *lc = &r->lc;
	struct rl_state st;
	char s1[96], s2[96];
	const rl_value *v, *spath;
	size_t i, k;
	long sop;
	int changed, closed_done = 0;

	rl_lifecycle_state(r, after, &st);
	changed = !rl_state_equal(&b->st, &st);
	if (n > 0 && rl_lifecycle_terminal(r, &b->st)) {
		/* A closed referral accepts only registration ops, if any. */
		for (i = 0; i < n && !closed_done; i++)
			if (!rl_lifecycle_closed_accepts(r, &b->st,
			    oi[i].has_ptr ? &oi[i].p : NULL)) {
				closed_done = 1;
				if (rl_emit(e, RL_REFERRAL_CLOSED, (long)i, oi[i].path,
				    rl_state_in(&b->st, lc->closed_states, lc->nclosed_states) ?
				    "the referral is %s: only deal registration ops are accepted" :
				    "the referral is %s: it accepts no changes",
				    rl_state_text(&b->st, s1, sizeof(s1))) == -1)
					return -1;
			}
	} else if (n > 0) {
		/* A registration added by a patch that closes the referral otherwise. */
		if (rl_lifecycle_terminal(r, &st) &&
		    !rl_state_in(&st, lc->closed_states, lc->nclosed_states))
			for (i = 0; i < n && !closed_done; i++)
				if (oi[i].applied && oi[i].kind == RL_OP_ADD &&
				    rl_tmpl_match(&lc->reg_add, &oi[i].p)) {
					closed_done = 1;
					if (rl_emit(e, RL_REFERRAL_CLOSED, (long)i, oi[i].path,
					    "a deal registration cannot be added to a referral that the patch leaves %s",
					    rl_state_text(&st, s1, sizeof(s1))) == -1)
						return -1;
				}
		if (changed && !state_op_left_out(e, oi, n)) {
			rl_code c = rl_lifecycle_judge(r, &b->st, &st);

			sop = state_op(r, oi, n, &spath);
			/* the states in words, for the messages below */
#define S1 rl_state_text(&b->st, s1, sizeof(s1))
#define S2 rl_state_text(&st, s2, sizeof(s2))
			if (c == RL_STATUS_PAIR)
				rl_emit(e, c, sop, spath,
				    "status and substatus after the patch, %s, are not a valid pair", S2);
			else if (c == RL_TRANSITION_SYSTEM_ONLY)
				rl_emit(e, c, sop, spath,
				    "only the system moves a referral to %s", S2);
			else if (c == RL_TRANSITION)
				rl_emit(e, c, sop, spath,
				    "a referral cannot go from %s to %s", S1, S2);
			else if (rl_state_in(&st, lc->reason_required, lc->nreason_required) &&
			    ((v = at(after, &lc->reason)) == NULL ||
			    v->type != RL_STRING || v->u.s.len == 0))
				rl_emit(e, RL_STATUS_REASON_REQUIRED, sop, spath,
				    "a referral moved to %s should carry a statusReason", S2);
			if (c == RL_OK && lc->has_won && rl_state_equal(&st, &lc->won_state) &&
			    (v = at(after, &lc->created)) != NULL && v->type == RL_STRING) {
				rl_instant created;

				if (rl_datetime_parse(v->u.s.ptr, v->u.s.len, &created) == 0 &&
				    rl_instant_cmp_span(opts->now, created,
				    (int64_t)lc->won_hours * 3600) < 0)
					rl_emit(e, RL_WON_TOO_SOON, sop, spath,
					    "marked %s less than %ld hours after it was created (%s): "
					    "a deal registration is then likely to be rejected",
					    S2, lc->won_hours, v->u.s.ptr);
			}
		}
	}
#undef S1
#undef S2
	/* On every referral. */
	for (k = 0; k < lc->nirr; k++) {
		if (!b->irr[k])
			continue;       /* not held before: nothing to keep */
		v = at(after, &lc->irr[k].p);
		if ((v == NULL || !rl_json_is_bool(v) ||
		    (v->type == RL_TRUE) != lc->irr[k].value))
			rl_emit(e, RL_CONSENT_IRREVERSIBLE, irr_op(oi, n, &lc->irr[k].p),
			    irr_path(oi, n, &lc->irr[k].p),
			    "%s was %s and cannot change back", lc->irr[k].text,
			    lc->irr[k].value ? "true" : "false");
	}
	for (k = 0; k < lc->nlim; k++) {
		long last = -1;

		/*
		 * The ops that grew the array: an add of one item, or an add
		 * or replace of the whole array.  The last of them is named.
		 */
		for (i = 0; i < n; i++)
			if (oi[i].applied &&
			    (oi[i].p.n == lc->lim[k].p.n ||
			    (oi[i].kind == RL_OP_ADD &&
			    oi[i].p.n == lc->lim[k].p.n + 1)) &&
			    rl_pointer_below(&oi[i].p, &lc->lim[k].p))
				last = (long)i;
		if (last < 0)
			continue;
		v = at(after, &lc->lim[k].p);
		if (v != NULL && v->type == RL_ARRAY && v->u.a.n > lc->lim[k].max)
			rl_emit(e, lc->lim[k].code, last, oi[last].path,
			    "%s would hold %zu items; at most %lu are allowed",
			    lc->lim[k].text, v->u.a.n, lc->lim[k].max);
	}
	for (k = 0; k < lc->nuniq; k++) {
		const struct rl_unique *uq = &lc->uniq[k];
		int touched = 0;
		size_t j;

		for (i = 0; i < n; i++)
			if (oi[i].applied && rl_pointer_below(&oi[i].p, &uq->p))
				touched = 1;
		if (!touched || (v = at(after, &uq->p)) == NULL || v->type != RL_ARRAY)
			continue;
		for (i = 1; i < v->u.a.n && i < 4096; i++) {
			const rl_value *x = rl_json_get(v->u.a.items[i], uq->member);

			if (x == NULL || x->type != RL_STRING)
				continue;
			for (j = 0; j < i; j++) {
				const rl_value *y = rl_json_get(v->u.a.items[j], uq->member);

				if (y != NULL && y->type == RL_STRING &&
				    (uq->caseless ? rl_ascii_caseeq(x->u.s.ptr, x->u.s.len,
				    y->u.s.ptr, y->u.s.len) : (x->u.s.len == y->u.s.len &&
				    memcmp(x->u.s.ptr, y->u.s.ptr, x->u.s.len) == 0)))
					break;
			}
			if (j < i) {
				char q[SNIP];

				rl_emit(e, uq->code, -1, NULL,
				    "items %zu and %zu of %s share %s %s", j, i,
				    uq->text, uq->member, snip(x, q));
				break;
			}
		}
	}
	if (if_match != NULL && b->etag != NULL &&
	    check_etag(e, if_match, b->etag) == -1)
		return -1;
	/*
	 * Step 5: each registration the patch adds, whatever step 4 found: on
	 * a referral that is or is left closed but not won, referral-closed
	 * is reported above, and the registration's own problems still are.
	 */
	for (i = 0; i < n; i++)
		if (oi[i].applied && oi[i].kind == RL_OP_ADD &&
		    rl_tmpl_match(&lc->reg_add, &oi[i].p) &&
		    rl_registration_check(r, e, (long)i, oi[i].path,
		    oi[i].value, after, record, opts) == -1)
			return -1;
	return e->nomem ? -1 : 0;
}

/* ---- the record ------------------------------------------------------ */

int
rl_check_parts(const rl_rules *r, rl_arena *a, rl_value *referral,
    const rl_value *patch, const rl_value *if_match, const rl_value *record,
    const rl_check_opts *opts, rl_result *res)
{
	static const rl_check_opts defaults;
	rl_emitter e = { r, a, res, 0, 0 };
	struct opinfo *oi;
	struct before b;
	size_t i, n, k;

	if (opts == NULL)
		opts = &defaults;
	e.max = opts->max_errors ? opts->max_errors : DEFAULT_MAX_ERRORS;
	res->patch = patch;
	res->if_match = if_match;
	if (patch == NULL || patch->type != RL_ARRAY) {
		rl_emit(&e, RL_RECORD_SHAPE, -1, NULL,
		    "\"patch\" must be an array of operations, not %s",
		    patch ? tname(patch) : "missing");
		return e.nomem ? -1 : 0;
	}
	if (if_match != NULL && if_match->u.s.len == 0) {
		/* an empty If-Match header is no entity tag at all */
		rl_emit(&e, RL_RECORD_SHAPE, -1, NULL,
		    "\"ifMatch\" must not be empty: give the referral's eTag, or \"*\", or leave ifMatch out");
		return e.nomem ? -1 : 0;
	}
	n = patch->u.a.n;
	/*
	 * R8: past max_ops nothing is judged, unless json-limit is disabled
	 * or not an error: then every op is.
	 */
	k = opts->max_ops ? opts->max_ops : RL_DEFAULT_MAX_OPS;
	if (n > k) {
		size_t errors = res->errors;

		if (rl_emit(&e, RL_JSON_LIMIT, (long)k, NULL,
		    "patch of %zu operations, more than %zu", n, k) == -1)
			return -1;
		if (res->n > 0 && res->d[res->n - 1].code == RL_JSON_LIMIT)
			res->d[res->n - 1].line = patch->u.a.items[k]->line;
		if (res->errors > errors)
			return 0;
	}
	if ((oi = rl_arena_alloc(a, (n ? n : 1) * sizeof(*oi))) == NULL)
		return -1;
	memset(oi, 0, (n ? n : 1) * sizeof(*oi));
	for (i = 0; i < n; i++) {
		size_t errors = res->errors;

		oi[i].op = patch->u.a.items[i];
		if (check_op(&e, (long)i, &oi[i]) == -1 && e.nomem)
			return -1;
		if (res->errors > errors)
			oi[i].bad = 1;
	}
	if (referral == NULL) {
		rl_emit(&e, RL_REFERRAL_STATE_MISSING, -1, NULL,
		    "no referral state: only the checks that need none ran");
		return e.nomem ? -1 : 0;
	}
	/* What the state rules compare with, read before the patch. */
	memset(&b, 0, sizeof(b));
	rl_lifecycle_state(r, referral, &b.st);
	if ((b.irr = rl_arena_alloc(a, (r->lc.nirr + 1) * sizeof(*b.irr))) == NULL)
		return -1;
	for (k = 0; k < r->lc.nirr; k++) {
		const rl_value *v = at(referral, &r->lc.irr[k].p);

		b.irr[k] = v != NULL && rl_json_is_bool(v) &&
		    (v->type == RL_TRUE) == r->lc.irr[k].value;
	}
	b.etag = at(referral, &r->lc.etag);
	if (b.etag != NULL && b.etag->type != RL_STRING)
		b.etag = NULL;
	res->after = referral;
	if (apply_ops(&e, &res->after, oi, n) == -1)
		return -1;
	return state_rules(&e, &b, res->after, oi, n, if_match, record, opts);
}

static int
record_diag(const rl_rules *r, rl_arena *a, const rl_record *rec,
    const rl_check_opts *opts, rl_result *res)
{
	rl_emitter e = { r, a, res, 0, 0 };
	const rl_diag *d = rec->diag;

	e.max = opts != NULL && opts->max_errors ? opts->max_errors : DEFAULT_MAX_ERRORS;
	if (rl_emit(&e, d->code, -1, NULL, "%s", d->message) == -1 && e.nomem)
		return -1;
	if (res->n > 0) {
		res->d[res->n - 1].line = d->line;
		res->d[res->n - 1].column = d->column;
		memcpy(res->d[res->n - 1].pointer, d->pointer, sizeof(d->pointer));
	}
	return 0;
}

int
rl_check_record(const rl_rules *r, rl_arena *a, const rl_record *rec,
    const rl_check_opts *opts, rl_result *res)
{
	rl_emitter e = { r, a, res, 0, 0 };
	rl_value *v = rec->value, *ref, *patch, *id, *im;

	memset(res, 0, sizeof(*res));
	e.max = opts != NULL && opts->max_errors ? opts->max_errors : DEFAULT_MAX_ERRORS;
	if (rec->diag != NULL || v == NULL)
		return record_diag(r, a, rec, opts, res);
	if (v->type != RL_OBJECT)
		goto shape;
	ref = rl_json_get(v, "referral");
	patch = rl_json_get(v, "patch");
	im = rl_json_get(v, "ifMatch");
	if (ref != NULL) {
		if ((id = rl_json_get(ref, "id")) != NULL && id->type == RL_STRING)
			res->id = id;
		if (ref->type != RL_OBJECT || patch == NULL)
			goto shape;
		res->shape = RL_SHAPE_PAIRED;
	} else if ((id = rl_json_get(v, "id")) != NULL && patch != NULL) {
		if (id->type != RL_STRING)
			goto shape;
		res->id = id;
		res->shape = RL_SHAPE_PATCH_ONLY;
	} else
		goto shape;
	if (patch->type != RL_ARRAY || (im != NULL && im->type != RL_STRING))
		goto shape;
	return rl_check_parts(r, a, res->shape == RL_SHAPE_PAIRED ? ref : NULL,
	    patch, im, v, opts, res);
shape:
	res->shape = RL_SHAPE_NONE;
	if (rl_emit(&e, RL_RECORD_SHAPE, -1, NULL, "%s",
	    v->type != RL_OBJECT ? "a record must be an object" :
	    (patch = rl_json_get(v, "patch")) != NULL && patch->type != RL_ARRAY ?
	    "\"patch\" must be an array of operations" :
	    (im = rl_json_get(v, "ifMatch")) != NULL && im->type != RL_STRING ?
	    "\"ifMatch\" must be a string" :
	    (ref = rl_json_get(v, "referral")) != NULL && ref->type != RL_OBJECT ?
	    "\"referral\" must be an object" :
	    "a record needs \"referral\" and \"patch\", or \"id\" and \"patch\"") == -1 &&
	    e.nomem)
		return -1;
	return 0;
}

int
rl_eligibility_record(const rl_rules *r, rl_arena *a, const rl_record *rec,
    const rl_check_opts *opts, rl_result *res, struct rl_policy_result *out)
{
	const rl_value *v = rec->value;
	const struct rl_inputs *in = opts != NULL ? opts->inputs : NULL;

	if (rec->diag == NULL && v != NULL && v->type == RL_OBJECT &&
	    rl_json_get(v, "patch") == NULL && rl_json_get(v, "status") != NULL) {
		memset(res, 0, sizeof(*res));
		res->id = rl_json_get(v, "id");
		if (res->id != NULL && res->id->type != RL_STRING)
			res->id = NULL;
		return rl_policies_eval(r, v, v, in, out) < 0 ? -1 : 1;
	}
	if (rl_check_record(r, a, rec, opts, res) == -1)
		return -1;
	if (res->after == NULL)
		return 0;
	return rl_policies_eval(r, res->after, v, in, out) < 0 ? -1 : 1;
}
