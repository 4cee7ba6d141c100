/*
 * output.c: the JSON lines and pieces that several sinks share: accepted,
 * rejected and tagged lines, a record's verdict, source and warnings, the
 * eligibility response.
 */
#include "config.h"

#include <string.h>

#include "csvmap.h"
#include "output.h"
#include "policies.h"

static int
put_id(rl_buf *b, const rl_result *res)
{
	if (res->id == NULL)
		return rl_buf_puts(b, "null");
	return rl_json_quote(b, res->id->u.s.ptr, res->id->u.s.len);
}

static int
put_member(rl_buf *b, int *first, const char *k, size_t klen,
    const rl_value *v)
{
	if ((!*first && rl_buf_putc(b, ',') == -1) ||
	    rl_json_quote(b, k, klen) == -1 || rl_buf_putc(b, ':') == -1 ||
	    rl_json_serialize(b, v) == -1)
		return -1;
	*first = 0;
	return 0;
}

/* 0, 1, 2 for a member named op, path, value; 3 for any other. */
static size_t
lead_of(const rl_member *m)
{
	switch (m->klen) {
	case 2:
		return memcmp(m->key, "op", 2) == 0 ? 0 : 3;
	case 4:
		return memcmp(m->key, "path", 4) == 0 ? 1 : 3;
	case 5:
		return memcmp(m->key, "value", 5) == 0 ? 2 : 3;
	default:
		return 3;
	}
}

/* An op with its members in the order op, path, value, then the others. */
static int
put_op(rl_buf *b, const rl_value *op)
{
	/* the three names written out, quotes and colon included */
	static const struct {
		const char *lead;
		size_t len;
	} lead[] = {
		{ "\"op\":", 2 },
		{ "\"path\":", 4 },
		{ "\"value\":", 5 },
	};
	const rl_value *v[3] = { NULL, NULL, NULL };
	size_t i, k;
	int first = 1;

	if (op->type != RL_OBJECT)
		return rl_json_serialize(b, op);
	/* the first member of each of the three names, in one pass */
	for (i = 0; i < op->u.o.n; i++)
		if ((k = lead_of(&op->u.o.members[i])) < 3 && v[k] == NULL)
			v[k] = op->u.o.members[i].value;
	if (rl_buf_putc(b, '{') == -1)
		return -1;
	for (k = 0; k < 3; k++) {
		if (v[k] == NULL)
			continue;
		if ((!first && rl_buf_putc(b, ',') == -1) ||
		    rl_buf_append(b, lead[k].lead, lead[k].len + 3) == -1 ||
		    rl_json_serialize(b, v[k]) == -1)
			return -1;
		first = 0;
	}
	for (i = 0; i < op->u.o.n; i++) {
		const rl_member *m = &op->u.o.members[i];

		if (lead_of(m) == 3 &&
		    put_member(b, &first, m->key, m->klen, m->value) == -1)
			return -1;
	}
	return rl_buf_putc(b, '}');
}

int
rl_out_accepted(rl_buf *b, const rl_result *res)
{
	size_t i;

	if (res->line != NULL)
		return rl_buf_append(b, res->line, res->line_len);
	if (rl_buf_puts(b, "{\"id\":") == -1 || put_id(b, res) == -1)
		return -1;
	if (res->if_match != NULL &&
	    (rl_buf_puts(b, ",\"ifMatch\":") == -1 ||
	    rl_json_serialize(b, res->if_match) == -1))
		return -1;
	if (rl_buf_puts(b, ",\"patch\":[") == -1)
		return -1;
	for (i = 0; res->patch != NULL && i < res->patch->u.a.n; i++)
		if ((i > 0 && rl_buf_putc(b, ',') == -1) ||
		    put_op(b, res->patch->u.a.items[i]) == -1)
			return -1;
	return rl_buf_puts(b, "]}\n");
}

/* Which of a record's diagnostics a list holds. */
enum which { ALL, ERRORS, OTHERS };

static int
wanted(const rl_diag *d, enum which w)
{
	return w == ALL || (w == ERRORS) == (d->severity == RL_SEV_ERROR);
}

/*
 * "column":…,"columnLetter":… of a diagnostic that names a spreadsheet
 * column (a CSV row's, once the batch has named it); nothing otherwise.
 */
static int
put_column(rl_buf *b, const rl_diag *d)
{
	char letter[RL_CSV_COLUMN_NAME_MAX];
	size_t n;

	if (d->field < 0 || d->field_name == NULL)
		return 0;
	n = rl_csv_column_name((unsigned long)d->field, letter);
	return rl_buf_puts(b, ",\"column\":") == -1 ||
	    rl_json_quote(b, d->field_name, strlen(d->field_name)) == -1 ||
	    rl_buf_puts(b, ",\"columnLetter\":") == -1 ||
	    rl_json_quote(b, letter, n) == -1 ? -1 : 0;
}

/*
 * [{"code":…,"severity":…,"op":…,"path":…,"message":…},…], with
 * "column" and "columnLetter" before "message" for a CSV row's cell.
 */
static int
put_diags(rl_buf *b, const rl_result *res, enum which w)
{
	size_t i;
	int first = 1;

	if (rl_buf_putc(b, '[') == -1)
		return -1;
	for (i = 0; i < res->n; i++) {
		const rl_diag *d = &res->d[i];
		const char *name = rl_code_name(d->code);
		const char *sev = rl_severity_name(d->severity);
		const char *msg = rl_diag_message(d), *ptr;
		size_t plen;

		if (!wanted(d, w))
			continue;
		ptr = rl_diag_pointer(d, &plen);
		if ((!first && rl_buf_putc(b, ',') == -1) ||
		    rl_buf_puts(b, "{\"code\":") == -1 ||
		    rl_json_quote(b, name, strlen(name)) == -1 ||
		    rl_buf_puts(b, ",\"severity\":") == -1 ||
		    rl_json_quote(b, sev, strlen(sev)) == -1 ||
		    rl_buf_puts(b, ",\"op\":") == -1 ||
		    (d->op >= 0 ? rl_buf_putu(b, (unsigned long long)d->op) :
		    rl_buf_puts(b, "null")) == -1 ||
		    rl_buf_puts(b, ",\"path\":") == -1 ||
		    (d->pointer[0] != '\0' || d->op >= 0 ?
		    rl_json_quote(b, ptr, plen) :
		    rl_buf_puts(b, "null")) == -1 ||
		    put_column(b, d) == -1 ||
		    rl_buf_puts(b, ",\"message\":") == -1 ||
		    rl_json_quote(b, msg, strlen(msg)) == -1 ||
		    rl_buf_putc(b, '}') == -1)
			return -1;
		first = 0;
	}
	return rl_buf_putc(b, ']');
}

static int
has_others(const rl_result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		if (res->d[i].severity != RL_SEV_ERROR)
			return 1;
	return 0;
}

int
rl_out_warnings(rl_buf *b, const rl_result *res)
{
	if (!has_others(res))
		return 0;
	return rl_buf_puts(b, ",\"warnings\":") == -1 ||
	    put_diags(b, res, OTHERS) == -1 ? -1 : 0;
}

int
rl_out_source(rl_buf *b, const rl_record *rec)
{
	const char *src = rec->source != NULL ? rec->source : "";

	return rl_buf_puts(b, "{\"file\":") == -1 ||
	    rl_json_quote(b, src, strlen(src)) == -1 ||
	    rl_buf_puts(b, ",\"line\":") == -1 ||
	    rl_buf_putu(b, rec->line) == -1 ||
	    rl_buf_puts(b, ",\"record\":") == -1 ||
	    rl_buf_putu(b, rec->index) == -1 ||
	    rl_buf_putc(b, '}') == -1 ? -1 : 0;
}

/* "id":…,"source":{"file":…,"line":…,"record":…} */
static int
put_head(rl_buf *b, const rl_record *rec, const rl_result *res)
{
	return rl_buf_puts(b, "\"id\":") == -1 || put_id(b, res) == -1 ||
	    rl_buf_puts(b, ",\"source\":") == -1 ||
	    rl_out_source(b, rec) == -1 ? -1 : 0;
}

/*
 * A record's problems: split = 0 lists them all in "errors" (the rejected
 * lines); split = 1 keeps "errors" for errors and lists warnings and infos
 * in "warnings" (tagged lines and the JSON report).
 */
static int
put_problems(rl_buf *b, const rl_result *res, int split)
{
	if (rl_buf_puts(b, "\"errors\":") == -1 ||
	    put_diags(b, res, split ? ERRORS : ALL) == -1 ||
	    (split && rl_out_warnings(b, res) == -1))
		return -1;
	/* the problems past --max-errors-per-record, counted, not listed */
	if (res->dropped > 0 && (rl_buf_puts(b, ",\"notShown\":") == -1 ||
	    rl_buf_putu(b, res->dropped) == -1))
		return -1;
	return 0;
}

static int
put_record(rl_buf *b, const rl_record *rec, const rl_result *res, int split)
{
	if (put_head(b, rec, res) == -1 || rl_buf_putc(b, ',') == -1 ||
	    put_problems(b, res, split) == -1)
		return -1;
	if (res->eligibility != NULL &&
	    (rl_buf_puts(b, ",\"eligibility\":") == -1 ||
	    rl_out_eligibility(b, res->eligibility) == -1))
		return -1;
	return rl_buf_putc(b, '}');
}

int
rl_out_rejected(rl_buf *b, const rl_record *rec, const rl_result *res)
{
	size_t len = b->len;

	if (rl_buf_putc(b, '{') == -1 || put_record(b, rec, res, 0) == -1 ||
	    rl_buf_putc(b, '\n') == -1) {
		b->len = len;
		return -1;
	}
	return 0;
}

int
rl_out_verdict(rl_buf *b, const rl_record *rec, const rl_result *res)
{
	size_t len = b->len;

	if (rl_buf_puts(b, rl_result_accepted(res) ? "{\"verdict\":\"accepted\"," :
	    "{\"verdict\":\"rejected\",") == -1 ||
	    put_record(b, rec, res, 1) == -1) {
		b->len = len;
		return -1;
	}
	return 0;
}

/*
 * The response sits before the problems: a consumer that joins on id and
 * source reads the answer first; res->eligibility (a registration judged
 * inside the patch) is left out, the response being the record's answer.
 */
int
rl_out_eligibility_tagged(rl_buf *b, const rl_record *rec,
    const rl_result *res, const struct rl_policy_result *p)
{
	size_t len = b->len;

	if (rl_buf_putc(b, '{') == -1 || put_head(b, rec, res) == -1 ||
	    rl_buf_puts(b, p != NULL ? ",\"judged\":true,\"response\":" :
	    ",\"judged\":false,\"response\":null") == -1 ||
	    (p != NULL && rl_out_eligibility(b, p) == -1) ||
	    rl_buf_putc(b, ',') == -1 || put_problems(b, res, 1) == -1 ||
	    rl_buf_puts(b, "}\n") == -1) {
		b->len = len;
		return -1;
	}
	return 0;
}

static int
put_policy(rl_buf *b, const struct rl_policy_result *p)
{
	size_t i;

	static const char *const is[] = {
		[RL_POLICY_FAILED] = ",\"isEligible\":false",
		[RL_POLICY_PASSED] = ",\"isEligible\":true",
		[RL_POLICY_UNVERIFIED] = ",\"isEligible\":null",
	};

	if (rl_buf_puts(b, "{\"policyName\":") == -1 ||
	    rl_json_quote(b, p->name, strlen(p->name)) == -1 ||
	    rl_buf_puts(b, is[p->outcome]) == -1 ||
	    rl_buf_puts(b, ",\"referralProperties\":{") == -1)
		return -1;
	for (i = 0; i < p->nprops; i++) {
		const struct rl_prop *x = &p->props[i];

		if (x->s == NULL)
			continue;
		if ((b->data[b->len - 1] != '{' && rl_buf_putc(b, ',') == -1) ||
		    rl_json_quote(b, x->key, strlen(x->key)) == -1 ||
		    rl_buf_putc(b, ':') == -1 ||
		    rl_json_quote(b, x->s, x->len) == -1)
			return -1;
	}
	if (rl_buf_putc(b, '}') == -1)
		return -1;
	if (p->has_extra) {
		if (rl_buf_puts(b, ",\"additionalProperties\":[") == -1)
			return -1;
		for (i = 0; i < p->nextra; i++)
			if ((i > 0 && rl_buf_putc(b, ',') == -1) ||
			    rl_json_quote(b, p->extra[i], p->extra_len[i]) == -1)
				return -1;
		if (rl_buf_putc(b, ']') == -1)
			return -1;
	}
	if (p->outcome != RL_POLICY_PASSED && (rl_buf_puts(b, ",\"reason\":") == -1 ||
	    rl_json_quote(b, p->reason, strlen(p->reason)) == -1))
		return -1;
	return rl_buf_putc(b, '}');
}

/*
 * The API's two arrays, then unverifiedPolicies, which API consumers can
 * ignore; isEligible is true only when all five passed.
 */
int
rl_out_eligibility(rl_buf *b, const struct rl_policy_result *p)
{
	static const struct {
		enum rl_outcome outcome;
		const char *member;
	} arrays[] = {
		{ RL_POLICY_PASSED, ",\"passedPolicies\":[" },
		{ RL_POLICY_FAILED, ",\"failedPolicies\":[" },
		{ RL_POLICY_UNVERIFIED, ",\"unverifiedPolicies\":[" },
	};
	int i, all = 1, first;
	size_t k;

	for (i = 0; i < RL_POLICY_COUNT; i++)
		all &= p[i].outcome == RL_POLICY_PASSED;
	if (rl_buf_puts(b, all ? "{\"isEligible\":true" : "{\"isEligible\":false") == -1)
		return -1;
	for (k = 0; k < sizeof(arrays) / sizeof(arrays[0]); k++) {
		if (rl_buf_puts(b, arrays[k].member) == -1)
			return -1;
		first = 1;
		for (i = 0; i < RL_POLICY_COUNT; i++) {
			if (p[i].outcome != arrays[k].outcome)
				continue;
			if ((!first && rl_buf_putc(b, ',') == -1) ||
			    put_policy(b, &p[i]) == -1)
				return -1;
			first = 0;
		}
		if (rl_buf_putc(b, ']') == -1)
			return -1;
	}
	return rl_buf_putc(b, '}');
}

/* Restores the buffer to its length on entry and fails. */
static int
undo(rl_buf *b, size_t len)
{
	b->len = len;
	return -1;
}

/* mapper mode ----------------------------------------------------------- */

/*
 * Accepted: {"verdict":"accepted","source":{…}, then the accepted line's
 * members.  Rejected: {"verdict":"rejected", then the rejected line's
 * members (its own "source" among them).  The line's opening brace is
 * dropped in place, so nothing is copied twice.
 */
int
rl_out_tagged(rl_buf *b, const rl_record *rec, const rl_result *res,
    const char *line, size_t len)
{
	size_t start = b->len, at;

	if (!rl_result_accepted(res))
		return rl_out_verdict(b, rec, res) == -1 ||
		    rl_buf_putc(b, '\n') == -1 ? undo(b, start) : 0;
	if (rl_buf_puts(b, "{\"verdict\":\"accepted\",\"source\":") == -1 ||
	    rl_out_source(b, rec) == -1)
		return undo(b, start);
	if (line == NULL) {
		at = b->len;
		if (rl_out_accepted(b, res) == -1)
			return undo(b, start);
		b->data[at] = ',';
		/* ...}\n: the warnings go before the last brace */
		b->len -= 2;
		return rl_out_warnings(b, res) == -1 ||
		    rl_buf_puts(b, "}\n") == -1 ? undo(b, start) : 0;
	}
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len > 0 && line[0] == '{') {
		line++;
		len--;
	}
	if (len > 0 && line[0] != '}' && rl_buf_putc(b, ',') == -1)
		return undo(b, start);
	/* the line without its last brace, then the warnings */
	if (len > 0 && line[len - 1] == '}')
		len--;
	if (rl_buf_append(b, line, len) == -1 || rl_out_warnings(b, res) == -1 ||
	    rl_buf_puts(b, "}\n") == -1)
		return undo(b, start);
	return 0;
}
