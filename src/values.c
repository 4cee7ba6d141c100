/*
 * values.c: step 2 of the judge on an op's value: its type, then enum,
 * format, range and length (the first that fails ends them), then an
 * object's members or an array's items, each against the schema that
 * paths.json gives the op's path.  Also the words that the judge's
 * messages quote values with.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "validate_int.h"

/* ---- words for messages ---------------------------------------------- */

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
const char *
rl_snip(const rl_value *v, char out[RL_SNIP])
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
			snprintf(out, RL_SNIP, "%.*s", (int)v->u.s.len, v->u.s.ptr);
			return out;
		}
		n = (size_t)snprintf(out, RL_SNIP, "%.*s\xE2\x80\xA6", SNIP_TEXT, v->u.s.ptr);
		snip_more(out + n, RL_SNIP - n, v->u.s.ptr + SNIP_TEXT,
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
		n += snip_more(out + n, RL_SNIP - n, v->u.s.ptr + i, v->u.s.len - i);
		return out;
	}
	out[n++] = '"';
	out[n] = '\0';
	return out;
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

/* The spaces a spreadsheet cell may carry around its text. */
static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int check_value(rl_emitter *, long, const rl_value *,
    const struct what *, const struct rl_vspec *, const rl_value *);

static int
check_enum(rl_emitter *e, long op, const rl_value *path,
    const struct what *what,
    const struct rl_vspec *s, const rl_value *v)
{
	const rl_value *en = s->enumv;
	char q[RL_SNIP], *list;
	const char *near = NULL;
	size_t i, n = 0;

	const char *t = v->u.s.ptr;
	size_t tlen = v->u.s.len, lead, trail;
	int cased = 0;

	/* what a spreadsheet adds: spaces around the value (hints below) */
	for (lead = 0; lead < tlen && is_space(t[lead]); lead++)
		;
	for (trail = 0; trail < tlen - lead && is_space(t[tlen - 1 - trail]);
	    trail++)
		;
	for (i = 0; i < en->u.a.n; i++) {
		const rl_value *x = en->u.a.items[i];

		if (x->u.s.len == v->u.s.len &&
		    memcmp(x->u.s.ptr, v->u.s.ptr, v->u.s.len) == 0)
			return 0;
		if (near == NULL && rl_ascii_caseeq(x->u.s.ptr, x->u.s.len,
		    t + lead, tlen - lead - trail)) {
			near = x->u.s.ptr;
			cased = x->u.s.len != tlen - lead - trail ||
			    memcmp(x->u.s.ptr, t + lead, x->u.s.len) != 0;
		}
	}
	if (near != NULL && lead + trail == 0) {
		rl_emit(e, RL_VALUE_ENUM, op, path,
		    "%s %s is not an allowed value (values are case-sensitive); did you mean \"%s\"?",
		    WT(what), rl_snip(v, q), near);
		return 1;
	}
	if (near != NULL) {
		rl_emit(e, RL_VALUE_ENUM, op, path,
		    "%s %s is not an allowed value: remove the %s%s; did you mean \"%s\"?",
		    WT(what), rl_snip(v, q), lead == 0 ?
		    (trail > 1 ? "trailing spaces" : "trailing space") :
		    trail == 0 ? (lead > 1 ? "leading spaces" : "leading space") :
		    "spaces around it",
		    cased ? " and mind the case (values are case-sensitive)" : "",
		    near);
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
	    WT(what), rl_snip(v, q), list);
	return 1;
}

/* 1 when the format check found a problem (reported), 0 when fine. */
static int
check_format(rl_emitter *e, long op, const rl_value *path,
    const struct what *what,
    const struct rl_strfmt *f, const rl_value *v)
{
	char q[RL_SNIP];
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
		    rl_snip(v, q), f->description != NULL ? f->description : f->name);
		return 1;
	}
	return 0;
}

static int
check_range(rl_emitter *e, long op, const rl_value *path,
    const struct what *what,
    const struct rl_vspec *s, const rl_value *v)
{
	char q[RL_SNIP];
	int c;

	if (s->min.lex != NULL) {
		c = rl_decimal_cmp(v->u.s.ptr, v->u.s.len, s->min.lex, s->min.len);
		if (c < 0 || (c == 0 && s->min.exclusive)) {
			rl_emit(e, RL_VALUE_RANGE, op, path, "%s %s must be %s %.*s",
			    WT(what), rl_snip(v, q), s->min.exclusive ? "greater than" :
			    "at least", (int)s->min.len, s->min.lex);
			return 1;
		}
	}
	if (s->max.lex != NULL) {
		c = rl_decimal_cmp(v->u.s.ptr, v->u.s.len, s->max.lex, s->max.len);
		if (c > 0 || (c == 0 && s->max.exclusive)) {
			rl_emit(e, RL_VALUE_RANGE, op, path, "%s %s must be %s %.*s",
			    WT(what), rl_snip(v, q), s->max.exclusive ? "less than" :
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
	char tb[120], q[RL_SNIP];
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
		    WT(what), types_text(s->types, tb, sizeof(tb)), rl_json_type_name(v),
		    v->type == RL_STRING ? " " : "",
		    v->type == RL_STRING ? rl_snip(v, q) : "");
		return 1;
	}
	if (v->type == RL_STRING && (s->types & RL_VT_DECIMAL) &&
	    !(s->types & RL_VT_STRING) &&
	    !rl_decimal_valid(v->u.s.ptr, v->u.s.len)) {
		rl_emit(e, RL_VALUE_FORMAT, op, path,
		    "%s %s is not a number: a numeric string follows the JSON number grammar (1500, 1500.50, 1.5e3)",
		    WT(what), rl_snip(v, q));
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
		    WT(what), rl_snip(v, q));
		return 1;
	}
	if (v->type == RL_STRING && (s->minlen >= 0 || s->maxlen >= 0)) {
		chars = utf8_chars(v->u.s.ptr, v->u.s.len);
		if (s->minlen >= 0 && chars < (size_t)s->minlen) {
			rl_emit(e, RL_VALUE_LENGTH, op, path,
			    "%s %s is shorter than %ld character%s", WT(what), rl_snip(v, q),
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

int
rl_check_value(rl_emitter *e, long op, const rl_value *path,
    const struct rl_vspec *s, const rl_value *v)
{
	static const struct what root = { NULL, NULL, 0 };

	return check_value(e, op, path, &root, s, v);
}
