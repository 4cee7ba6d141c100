/*
 * rules.c: the rules loader.  Reads every rule file of a directory (JSON
 * with comments), checks every member against the schema of reflint-rules(5)
 * and builds the tables that validate.c and lifecycle.c walk.  Patterns are
 * compiled here, once.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader.h"
#include "rules_int.h"

const char *const rl_rule_files[] = {
	"formats.json",
	"paths.json",
	"lifecycle.json",
	"dealregistration.json",
	"severity.json",
	"columns.json",
	NULL
};

/* Every compiled pattern, so that rl_rules_free can release them. */
struct rl_re_node {
	rl_regex *re;
	struct rl_re_node *next;
};

/* Loader context: one per rl_rules_load call. */
struct ld {
	rl_rules *r;
	struct rl_re_node *res;
	const char *file;        /* the file being checked, for messages */
	rl_rules_error_fn fn;
	void *ctx;
	int errors;
};

enum kind { K_STR, K_BOOL, K_NUM, K_INT, K_ARR, K_OBJ };

static const char *const kind_names[] = {
	"a string", "a boolean", "a number", "a non-negative integer",
	"an array", "an object"
};

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

static void
lerr(struct ld *l, const rl_value *at, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void
lerr(struct ld *l, const rl_value *at, const char *fmt, ...)
{
	rl_diag d;
	va_list ap;

	memset(&d, 0, sizeof(d));
	d.code = RL_RULES_ERROR;
	d.severity = RL_SEV_ERROR;
	d.source = l->file;
	d.line = at != NULL ? at->line : 0;
	d.op = -1;
	va_start(ap, fmt);
	vsnprintf(d.message, sizeof(d.message), fmt, ap);
	va_end(ap);
	l->errors++;
	if (l->fn != NULL)
		l->fn(l->ctx, &d);
}

static void *
lalloc(struct ld *l, size_t n)
{
	void *p;

	if (n == 0)
		n = 1;
	if ((p = rl_arena_alloc(l->r->a, n)) == NULL) {
		rl_diag d;

		rl_diag_set(&d, RL_NOMEM, "out of memory");
		d.source = l->file;
		l->errors++;
		if (l->fn != NULL)
			l->fn(l->ctx, &d);
		return NULL;
	}
	memset(p, 0, n);
	return p;
}

static int
is_kind(const rl_value *v, enum kind k)
{
	size_t i;

	switch (k) {
	case K_STR: return v->type == RL_STRING;
	case K_BOOL: return v->type == RL_TRUE || v->type == RL_FALSE;
	case K_NUM: return v->type == RL_NUMBER;
	case K_INT:
		if (v->type != RL_NUMBER || v->u.s.len == 0 || v->u.s.len > 9)
			return 0;
		for (i = 0; i < v->u.s.len; i++)
			if (v->u.s.ptr[i] < '0' || v->u.s.ptr[i] > '9')
				return 0;
		return 1;
	case K_ARR: return v->type == RL_ARRAY;
	default: return v->type == RL_OBJECT;
	}
}

/* Reports every member of obj that is not in allowed (NULL-terminated). */
static void
only_members(struct ld *l, const rl_value *obj, const char *where,
    const char *const *allowed)
{
	size_t i, k;

	for (i = 0; i < obj->u.o.n; i++) {
		const rl_member *m = &obj->u.o.members[i];

		for (k = 0; allowed[k] != NULL; k++)
			if (strlen(allowed[k]) == m->klen &&
			    memcmp(allowed[k], m->key, m->klen) == 0)
				break;
		if (allowed[k] == NULL)
			lerr(l, m->value, "%s: unknown member \"%.*s\"", where,
			    (int)m->klen, m->key);
	}
}

/* Member name of obj, of kind k; NULL (reported when required) otherwise. */
static const rl_value *
get(struct ld *l, const rl_value *obj, const char *name, enum kind k,
    int required, const char *where)
{
	const rl_value *v = rl_json_get(obj, name);

	if (v == NULL) {
		if (required)
			lerr(l, obj, "%s: missing member \"%s\"", where, name);
		return NULL;
	}
	if (!is_kind(v, k)) {
		lerr(l, v, "%s: \"%s\" must be %s, not %s", where, name,
		    kind_names[k], tname(v));
		return NULL;
	}
	return v;
}

static const char *
get_str(struct ld *l, const rl_value *obj, const char *name, int required,
    const char *where)
{
	const rl_value *v = get(l, obj, name, K_STR, required, where);

	return v != NULL ? v->u.s.ptr : NULL;
}

static long
get_int(struct ld *l, const rl_value *obj, const char *name, int required,
    const char *where, long dflt)
{
	const rl_value *v = get(l, obj, name, K_INT, required, where);

	return v != NULL ? strtol(v->u.s.ptr, NULL, 10) : dflt;
}

/* An array whose items are all strings (reported otherwise). */
static const rl_value *
get_strings(struct ld *l, const rl_value *obj, const char *name, int required,
    const char *where)
{
	const rl_value *v = get(l, obj, name, K_ARR, required, where);
	size_t i;

	if (v == NULL)
		return NULL;
	for (i = 0; i < v->u.a.n; i++)
		if (v->u.a.items[i]->type != RL_STRING) {
			lerr(l, v->u.a.items[i], "%s: \"%s\"[%zu] must be a string, not %s",
			    where, name, i, tname(v->u.a.items[i]));
			return NULL;
		}
	return v;
}

static rl_regex *
compile(struct ld *l, const rl_value *pat, unsigned flags, const char *where)
{
	rl_regex_error e;
	struct rl_re_node *node;
	rl_regex *re;

	if ((re = rl_regex_new(pat->u.s.ptr, pat->u.s.len, flags, &e)) == NULL) {
		if (e.nomem)
			lerr(l, pat, "%s: out of memory compiling the pattern", where);
		else
			lerr(l, pat, "%s: pattern does not compile at offset %zu: %s",
			    where, e.offset, e.message);
		return NULL;
	}
	if ((node = lalloc(l, sizeof(*node))) == NULL) {
		rl_regex_free(re);
		return NULL;
	}
	node->re = re;
	node->next = l->res;
	l->res = node;
	return re;
}

static int
parse_pointer(struct ld *l, const rl_value *s, const char *where,
    rl_pointer *out)
{
	rl_diag d;

	if (rl_pointer_parse(l->r->a, s->u.s.ptr, s->u.s.len, out, &d) == -1) {
		lerr(l, s, "%s: \"%s\" is not a JSON Pointer: %s", where,
		    s->u.s.ptr, d.message);
		return -1;
	}
	return 0;
}

static int
get_pointer(struct ld *l, const rl_value *obj, const char *name,
    const char *where, rl_pointer *out)
{
	const rl_value *v = get(l, obj, name, K_STR, 1, where);

	if (v == NULL)
		return -1;
	return parse_pointer(l, v, where, out);
}

static int
parse_tmpl(struct ld *l, const rl_value *s, const char *where,
    struct rl_tmpl *t)
{
	rl_pointer p;
	size_t i;

	if (parse_pointer(l, s, where, &p) == -1)
		return -1;
	if (p.n == 0) {
		lerr(l, s, "%s: the empty path (the whole referral) is not a path template",
		    where);
		return -1;
	}
	t->text = s->u.s.ptr;
	t->tok = p.tok;
	t->n = p.n;
	if ((t->kind = lalloc(l, p.n)) == NULL)
		return -1;
	for (i = 0; i < p.n; i++) {
		const rl_token *k = &p.tok[i];

		if (k->len == 3 && memcmp(k->s, "{n}", 3) == 0)
			t->kind[i] = RL_TK_INDEX;
		else if (k->len == 1 && k->s[0] == '*')
			t->kind[i] = RL_TK_ANY;
		else if (k->len == 2 && memcmp(k->s, "**", 2) == 0) {
			if (i + 1 != p.n) {
				lerr(l, s, "%s: \"**\" may only be the last token of \"%s\"",
				    where, s->u.s.ptr);
				return -1;
			}
			t->kind[i] = RL_TK_DEEP;
		} else
			t->kind[i] = RL_TK_LIT;
	}
	return 0;
}

const struct rl_strfmt *
rl_rules_format(const rl_rules *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nformats; i++)
		if (strcmp(r->formats[i].name, name) == 0)
			return &r->formats[i];
	return NULL;
}

int
rl_rules_account_type(const rl_rules *r, const char *s, size_t len)
{
	const rl_value *t = r->dr.account_types;
	size_t i;

	for (i = 0; t != NULL && i < t->u.a.n; i++)
		if (t->u.a.items[i]->u.s.len == len &&
		    memcmp(t->u.a.items[i]->u.s.ptr, s, len) == 0)
			return 1;
	return 0;
}

static const struct rl_strfmt *
format_ref(struct ld *l, const rl_value *s, const char *where)
{
	const struct rl_strfmt *f = rl_rules_format(l->r, s->u.s.ptr);

	if (f == NULL)
		lerr(l, s, "%s: unknown format \"%s\" (not in formats.json)",
		    where, s->u.s.ptr);
	return f;
}

/* ---- formats.json ---------------------------------------------------- */

static void
load_formats(struct ld *l, const rl_value *doc)
{
	static const char *const top[] = { "formats", NULL };
	static const char *const fmt[] = {
		"pattern", "caseless", "calendar", "description", NULL
	};
	const rl_value *fs, *v;
	char where[160];
	size_t i;

	only_members(l, doc, "formats.json", top);
	if ((fs = get(l, doc, "formats", K_OBJ, 1, "formats.json")) == NULL)
		return;
	if ((l->r->formats = lalloc(l, fs->u.o.n * sizeof(*l->r->formats))) == NULL)
		return;
	for (i = 0; i < fs->u.o.n; i++) {
		const rl_member *m = &fs->u.o.members[i];
		struct rl_strfmt *f = &l->r->formats[l->r->nformats];
		const rl_value *pat;
		unsigned flags = 0;

		snprintf(where, sizeof(where), "formats.%.*s", (int)m->klen, m->key);
		if (!is_kind(m->value, K_OBJ)) {
			lerr(l, m->value, "%s must be an object, not %s", where,
			    tname(m->value));
			continue;
		}
		only_members(l, m->value, where, fmt);
		f->name = m->key;
		f->description = get_str(l, m->value, "description", 0, where);
		if ((v = get(l, m->value, "caseless", K_BOOL, 0, where)) != NULL &&
		    v->type == RL_TRUE)
			flags |= RL_RE_CASELESS;
		if ((v = get(l, m->value, "calendar", K_BOOL, 0, where)) != NULL)
			f->calendar = v->type == RL_TRUE;
		if ((pat = get(l, m->value, "pattern", K_STR, 1, where)) == NULL)
			continue;
		snprintf(where, sizeof(where), "formats.%.*s.pattern",
		    (int)m->klen, m->key);
		/* Kept even when it does not compile: no "unknown format" echoes. */
		f->re = compile(l, pat, flags, where);
		l->r->nformats++;
	}
}

/* ---- paths.json ------------------------------------------------------ */

static const struct {
	const char *name;
	unsigned bits;
} type_names[] = {
	{ "string", RL_VT_STRING },
	{ "boolean", RL_VT_BOOLEAN },
	{ "number", RL_VT_NUMBER },
	{ "decimal", RL_VT_DECIMAL },
	{ "object", RL_VT_OBJECT },
	{ "array", RL_VT_ARRAY },
	{ "any", RL_VT_ANY },
};

static unsigned
type_bits(struct ld *l, const rl_value *s, const char *where)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(type_names[i].name, s->u.s.ptr) == 0)
			return type_names[i].bits;
	lerr(l, s, "%s: unknown type \"%s\" (string, boolean, number, decimal, "
	    "object, array or any)", where, s->u.s.ptr);
	return 0;
}

static const struct rl_object *
object_ref(struct ld *l, const rl_value *s, const char *where)
{
	size_t i;

	for (i = 0; i < l->r->nobjects; i++)
		if (strcmp(l->r->objects[i].name, s->u.s.ptr) == 0)
			return &l->r->objects[i];
	lerr(l, s, "%s: unknown object schema \"%s\"", where, s->u.s.ptr);
	return NULL;
}

static void
bound(struct ld *l, const rl_value *vs, const char *incl, const char *excl,
    const char *where, struct rl_bound *b)
{
	const rl_value *i = get(l, vs, incl, K_NUM, 0, where);
	const rl_value *e = get(l, vs, excl, K_NUM, 0, where);

	if (i != NULL && e != NULL)
		lerr(l, e, "%s: \"%s\" and \"%s\" exclude each other", where,
		    incl, excl);
	if (e != NULL)
		i = e;
	if (i != NULL) {
		b->lex = i->u.s.ptr;
		b->len = i->u.s.len;
		b->exclusive = e != NULL;
	}
}

static void
parse_vspec(struct ld *l, const rl_value *vs, int member, const char *where,
    struct rl_vspec *out)
{
	static const char *const keys[] = {
		"type", "nullable", "enum", "format", "minimum", "maximum",
		"exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
		"object", "items", "description", "dotnetDecimal", NULL
	};
	static const char *const mkeys[] = {
		"type", "nullable", "enum", "format", "minimum", "maximum",
		"exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
		"object", "items", "description", "required", "dotnetDecimal", NULL
	};
	const rl_value *v;
	char iwhere[240];
	size_t i;

	memset(out, 0, sizeof(*out));
	out->types = RL_VT_ANY;
	out->minlen = out->maxlen = -1;
	if (!is_kind(vs, K_OBJ)) {
		lerr(l, vs, "%s must be an object, not %s", where, tname(vs));
		return;
	}
	only_members(l, vs, where, member ? mkeys : keys);
	if ((v = rl_json_get(vs, "type")) != NULL) {
		if (v->type == RL_STRING)
			out->types = type_bits(l, v, where);
		else if (v->type == RL_ARRAY && v->u.a.n > 0) {
			out->types = 0;
			for (i = 0; i < v->u.a.n; i++) {
				if (v->u.a.items[i]->type != RL_STRING) {
					lerr(l, v->u.a.items[i], "%s: \"type\"[%zu] must be a string",
					    where, i);
					continue;
				}
				out->types |= type_bits(l, v->u.a.items[i], where);
			}
		} else
			lerr(l, v, "%s: \"type\" must be a string or a non-empty array of strings, not %s",
			    where, tname(v));
	}
	if ((v = get(l, vs, "nullable", K_BOOL, 0, where)) != NULL)
		out->nullable = v->type == RL_TRUE;
	if (member && (v = get(l, vs, "required", K_BOOL, 0, where)) != NULL)
		out->required = v->type == RL_TRUE;
	if ((v = get(l, vs, "dotnetDecimal", K_BOOL, 0, where)) != NULL)
		out->dotnet_decimal = v->type == RL_TRUE;
	if ((v = get_strings(l, vs, "enum", 0, where)) != NULL) {
		if (v->u.a.n == 0)
			lerr(l, v, "%s: \"enum\" must not be empty", where);
		out->enumv = v;
	}
	if ((v = get(l, vs, "format", K_STR, 0, where)) != NULL)
		out->format = format_ref(l, v, where);
	bound(l, vs, "minimum", "exclusiveMinimum", where, &out->min);
	bound(l, vs, "maximum", "exclusiveMaximum", where, &out->max);
	out->minlen = get_int(l, vs, "minLength", 0, where, -1);
	out->maxlen = get_int(l, vs, "maxLength", 0, where, -1);
	(void)get(l, vs, "description", K_STR, 0, where);
	if ((v = get(l, vs, "object", K_STR, 0, where)) != NULL) {
		out->object = object_ref(l, v, where);
		if (!(out->types & RL_VT_OBJECT))
			lerr(l, v, "%s: \"object\" needs type \"object\"", where);
	}
	/*
	 * A schema for every item of an array value (a whole team, say).
	 * Nesting is bounded by the reader's depth limit on the rule file.
	 */
	if ((v = get(l, vs, "items", K_OBJ, 0, where)) != NULL) {
		struct rl_vspec *items;

		if (!(out->types & RL_VT_ARRAY))
			lerr(l, v, "%s: \"items\" needs type \"array\"", where);
		if ((items = lalloc(l, sizeof(*items))) == NULL)
			return;
		snprintf(iwhere, sizeof(iwhere), "%s.items", where);
		parse_vspec(l, v, 0, iwhere, items);
		out->items = items;
	}
}

static void
load_objects(struct ld *l, const rl_value *objs)
{
	static const char *const keys[] = {
		"members", "otherMembers", "description", NULL
	};
	char where[200];
	size_t i, k;

	if ((l->r->objects = lalloc(l, objs->u.o.n * sizeof(*l->r->objects))) == NULL)
		return;
	/* Names first, so that schemas may refer to each other. */
	for (i = 0; i < objs->u.o.n; i++) {
		l->r->objects[i].name = objs->u.o.members[i].key;
		l->r->objects[i].warn_other = 1;
	}
	l->r->nobjects = objs->u.o.n;
	for (i = 0; i < objs->u.o.n; i++) {
		const rl_member *m = &objs->u.o.members[i];
		struct rl_object *o = &l->r->objects[i];
		const rl_value *ms, *v;

		snprintf(where, sizeof(where), "objects.%s", o->name);
		if (!is_kind(m->value, K_OBJ)) {
			lerr(l, m->value, "%s must be an object, not %s", where,
			    tname(m->value));
			continue;
		}
		only_members(l, m->value, where, keys);
		(void)get(l, m->value, "description", K_STR, 0, where);
		if ((v = get(l, m->value, "otherMembers", K_STR, 0, where)) != NULL) {
			if (strcmp(v->u.s.ptr, "allow") == 0)
				o->warn_other = 0;
			else if (strcmp(v->u.s.ptr, "warn") != 0)
				lerr(l, v, "%s: \"otherMembers\" must be \"warn\" or \"allow\"",
				    where);
		}
		if ((ms = get(l, m->value, "members", K_OBJ, 1, where)) == NULL)
			continue;
		if ((o->m = lalloc(l, ms->u.o.n * sizeof(*o->m))) == NULL)
			return;
		for (k = 0; k < ms->u.o.n; k++) {
			snprintf(where, sizeof(where), "objects.%s.members.%s",
			    o->name, ms->u.o.members[k].key);
			o->m[k].name = ms->u.o.members[k].key;
			o->m[k].len = ms->u.o.members[k].klen;
			parse_vspec(l, ms->u.o.members[k].value, 1, where, &o->m[k].v);
		}
		o->n = ms->u.o.n;
	}
}

static unsigned
parse_ops(struct ld *l, const rl_value *ops, const char *where)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < ops->u.a.n; i++) {
		const rl_value *s = ops->u.a.items[i];
		rl_op_kind k = rl_op_kind_of(s->u.s.ptr, s->u.s.len);

		if (k != RL_OP_ADD && k != RL_OP_REPLACE) {
			lerr(l, s, "%s: op \"%s\" is not \"add\" or \"replace\" (the only ops the API accepts)",
			    where, s->u.s.ptr);
			continue;
		}
		bits |= 1u << k;
	}
	if (ops->u.a.n == 0)
		lerr(l, ops, "%s: \"ops\" must not be empty", where);
	return bits;
}

/* ---- the template index (rules_int.h) --------------------------------- */

static uint32_t
tok_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;   /* FNV-1a */

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Builds ix over n templates at base, each stride bytes from the last. */
static void
tindex_build(struct ld *l, struct rl_tindex *ix, const void *base, size_t n,
    size_t stride)
{
	const struct rl_tmpl *t;
	size_t nb, b, k, total = 0;
	uint32_t *fill;

	memset(ix, 0, sizeof(*ix));
	if (n == 0 || n > UINT32_MAX / 2)
		return;
	for (nb = 16; nb < 2 * n; nb *= 2)
		;
	if ((ix->start = lalloc(l, (nb + 1) * sizeof(*ix->start))) == NULL ||
	    (fill = lalloc(l, nb * sizeof(*fill))) == NULL) {
		ix->start = NULL;
		return;
	}
	memset(fill, 0, nb * sizeof(*fill));
	for (k = 0; k < n; k++) {
		t = (const struct rl_tmpl *)(const void *)((const char *)base + k * stride);
		if (t->n == 0)
			continue;       /* matches nothing */
		if (t->kind[0] == RL_TK_LIT)
			fill[tok_hash(t->tok[0].s, t->tok[0].len) & (nb - 1)]++;
		else
			for (b = 0; b < nb; b++)
				fill[b]++;
	}
	for (b = 0; b < nb; b++) {
		ix->start[b] = (uint32_t)total;
		total += fill[b];
		fill[b] = ix->start[b];
	}
	ix->start[nb] = (uint32_t)total;
	if ((ix->idx = lalloc(l, total * sizeof(*ix->idx))) == NULL) {
		ix->start = NULL;
		return;
	}
	for (k = 0; k < n; k++) {
		t = (const struct rl_tmpl *)(const void *)((const char *)base + k * stride);
		if (t->n == 0)
			continue;
		if (t->kind[0] == RL_TK_LIT)
			ix->idx[fill[tok_hash(t->tok[0].s, t->tok[0].len) &
			    (nb - 1)]++] = (uint32_t)k;
		else
			for (b = 0; b < nb; b++)
				ix->idx[fill[b]++] = (uint32_t)k;
	}
	ix->mask = nb - 1;
}

void
rl_tindex_find(const struct rl_tindex *ix, size_t n, const rl_pointer *p,
    const uint32_t **list, size_t *from, size_t *to)
{
	size_t b;

	if (ix->start == NULL) {
		*list = NULL;
		*from = 0;
		*to = n;
		return;
	}
	*list = ix->idx;
	if (p->n == 0) {            /* "": no template has no token */
		*from = *to = 0;
		return;
	}
	b = tok_hash(p->tok[0].s, p->tok[0].len) & ix->mask;
	*from = ix->start[b];
	*to = ix->start[b + 1];
}

static void
load_paths(struct ld *l, const rl_value *doc)
{
	static const char *const top[] = {
		"readOnly", "containers", "objects", "paths", NULL
	};
	static const char *const pkeys[] = { "path", "ops", "value", NULL };
	const rl_value *v;
	rl_rules *r = l->r;
	char where[200];
	size_t i;

	only_members(l, doc, "paths.json", top);
	if ((v = get_strings(l, doc, "readOnly", 1, "paths.json")) != NULL &&
	    (r->readonly = lalloc(l, v->u.a.n * sizeof(*r->readonly))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			snprintf(where, sizeof(where), "readOnly[%zu]", i);
			if (parse_tmpl(l, v->u.a.items[i], where,
			    &r->readonly[r->nreadonly]) == 0)
				r->nreadonly++;
		}
	}
	if ((v = get_strings(l, doc, "containers", 0, "paths.json")) != NULL &&
	    (r->containers = lalloc(l, v->u.a.n * sizeof(*r->containers))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			snprintf(where, sizeof(where), "containers[%zu]", i);
			if (parse_pointer(l, v->u.a.items[i], where,
			    &r->containers[r->ncontainers]) == 0)
				r->ncontainers++;
		}
	}
	if ((v = get(l, doc, "objects", K_OBJ, 0, "paths.json")) != NULL)
		load_objects(l, v);
	if ((v = get(l, doc, "paths", K_ARR, 1, "paths.json")) == NULL ||
	    (r->paths = lalloc(l, v->u.a.n * sizeof(*r->paths))) == NULL)
		return;
	for (i = 0; i < v->u.a.n; i++) {
		const rl_value *e = v->u.a.items[i], *x;
		struct rl_path *p = &r->paths[r->npaths];
		int ok = 1;

		snprintf(where, sizeof(where), "paths[%zu]", i);
		if (!is_kind(e, K_OBJ)) {
			lerr(l, e, "%s must be an object, not %s", where, tname(e));
			continue;
		}
		only_members(l, e, where, pkeys);
		if ((x = get(l, e, "path", K_STR, 1, where)) == NULL ||
		    parse_tmpl(l, x, where, &p->t) == -1)
			ok = 0;
		if ((x = get_strings(l, e, "ops", 1, where)) == NULL ||
		    (p->ops = parse_ops(l, x, where)) == 0)
			ok = 0;
		if ((x = get(l, e, "value", K_OBJ, 1, where)) != NULL) {
			snprintf(where, sizeof(where), "paths[%zu].value", i);
			parse_vspec(l, x, 0, where, &p->v);
		} else
			ok = 0;
		if (ok)
			r->npaths++;
	}
	tindex_build(l, &r->paths_ix, r->npaths ? &r->paths[0].t : NULL,
	    r->npaths, sizeof(*r->paths));
	tindex_build(l, &r->readonly_ix, r->readonly, r->nreadonly,
	    sizeof(*r->readonly));
}

/* ---- lifecycle.json -------------------------------------------------- */

static int
state_eq(const struct rl_state *a, const struct rl_state *b)
{
	return a->slen == b->slen && a->sublen == b->sublen &&
	    memcmp(a->status, b->status, a->slen) == 0 &&
	    memcmp(a->substatus, b->substatus, a->sublen) == 0;
}

/* "Status/Substatus"; pairs_known: must be one of lc.pairs. */
static int
parse_state(struct ld *l, const rl_value *s, const char *where,
    int pairs_known, struct rl_state *out)
{
	const char *slash;
	size_t i;

	if (s->type != RL_STRING) {
		lerr(l, s, "%s: a state must be a string \"Status/Substatus\", not %s",
		    where, tname(s));
		return -1;
	}
	slash = memchr(s->u.s.ptr, '/', s->u.s.len);
	if (slash == NULL || slash == s->u.s.ptr ||
	    slash == s->u.s.ptr + s->u.s.len - 1) {
		lerr(l, s, "%s: \"%s\" is not a state \"Status/Substatus\"", where,
		    s->u.s.ptr);
		return -1;
	}
	out->status = s->u.s.ptr;
	out->slen = (size_t)(slash - s->u.s.ptr);
	out->substatus = slash + 1;
	out->sublen = s->u.s.len - out->slen - 1;
	if (!pairs_known)
		return 0;
	for (i = 0; i < l->r->lc.npairs; i++)
		if (state_eq(&l->r->lc.pairs[i], out))
			return 0;
	lerr(l, s, "%s: \"%s\" is not one of \"pairs\"", where, s->u.s.ptr);
	return -1;
}

/* An array of states into *out / *n. */
static void
states(struct ld *l, const rl_value *arr, const char *where, int known,
    struct rl_state **out, size_t *n)
{
	size_t i;

	*n = 0;
	if ((*out = lalloc(l, arr->u.a.n * sizeof(**out))) == NULL)
		return;
	for (i = 0; i < arr->u.a.n; i++)
		if (parse_state(l, arr->u.a.items[i], where, known, &(*out)[*n]) == 0)
			++*n;
}

static rl_code
code_ref(struct ld *l, const rl_value *s, const char *where)
{
	rl_code c = rl_code_lookup(s->u.s.ptr, s->u.s.len);

	if (c == RL_OK || c >= RL_IO_ERROR)
		lerr(l, s, "%s: unknown diagnostic code \"%s\"", where, s->u.s.ptr);
	return c;
}

static void
load_pointers(struct ld *l, const rl_value *doc)
{
	static const char *const keys[] = {
		"status", "substatus", "statusReason", "created", "eTag", NULL
	};
	struct rl_lifecycle *lc = &l->r->lc;
	const rl_value *p;

	if ((p = get(l, doc, "pointers", K_OBJ, 1, "lifecycle.json")) == NULL)
		return;
	only_members(l, p, "pointers", keys);
	(void)get_pointer(l, p, "status", "pointers", &lc->status);
	(void)get_pointer(l, p, "substatus", "pointers", &lc->substatus);
	(void)get_pointer(l, p, "statusReason", "pointers", &lc->reason);
	(void)get_pointer(l, p, "created", "pointers", &lc->created);
	(void)get_pointer(l, p, "eTag", "pointers", &lc->etag);
}

static void
load_transitions(struct ld *l, const rl_value *t)
{
	struct rl_lifecycle *lc = &l->r->lc;
	char where[200];
	size_t i, k;

	if ((lc->trans = lalloc(l, t->u.o.n * sizeof(*lc->trans))) == NULL)
		return;
	for (i = 0; i < t->u.o.n; i++) {
		const rl_member *m = &t->u.o.members[i];
		struct rl_transition *tr = &lc->trans[lc->ntrans];
		rl_value key;

		snprintf(where, sizeof(where), "transitions.%s", m->key);
		memset(&key, 0, sizeof(key));
		key.type = RL_STRING;
		key.line = m->value->line;
		key.u.s.ptr = m->key;
		key.u.s.len = m->klen;
		if (parse_state(l, &key, where, 1, &tr->from) == -1)
			continue;
		for (k = 0; k < lc->ntrans; k++)
			if (state_eq(&lc->trans[k].from, &tr->from))
				lerr(l, m->value, "%s: listed twice", where);
		if (!is_kind(m->value, K_ARR)) {
			lerr(l, m->value, "%s must be an array of states, not %s",
			    where, tname(m->value));
			continue;
		}
		states(l, m->value, where, 1, &tr->to, &tr->nto);
		lc->ntrans++;
	}
}

static void
load_lifecycle(struct ld *l, const rl_value *doc)
{
	static const char *const top[] = {
		"pointers", "pairs", "terminal", "closedAccepts", "registrationAdd",
		"transitions", "systemOnly", "reasonRequired", "wonTooSoon",
		"irreversible", "limits", "unique", "reasonCodes", NULL
	};
	static const char *const ca_keys[] = { "states", "paths", NULL };
	static const char *const won_keys[] = { "state", "hours", NULL };
	static const char *const irr_keys[] = { "path", "value", NULL };
	static const char *const lim_keys[] = { "array", "max", "code", NULL };
	static const char *const uniq_keys[] = {
		"array", "member", "caseless", "code", NULL
	};
	struct rl_lifecycle *lc = &l->r->lc;
	const rl_value *v, *x, *e;
	char where[200];
	size_t i;

	only_members(l, doc, "lifecycle.json", top);
	load_pointers(l, doc);
	if ((v = get(l, doc, "pairs", K_ARR, 1, "lifecycle.json")) != NULL)
		states(l, v, "pairs", 0, &lc->pairs, &lc->npairs);
	lc->terminal = get_strings(l, doc, "terminal", 1, "lifecycle.json");
	if ((v = get(l, doc, "closedAccepts", K_OBJ, 1, "lifecycle.json")) != NULL) {
		only_members(l, v, "closedAccepts", ca_keys);
		if ((x = get(l, v, "states", K_ARR, 1, "closedAccepts")) != NULL)
			states(l, x, "closedAccepts.states", 1, &lc->closed_states,
			    &lc->nclosed_states);
		if ((x = get_strings(l, v, "paths", 1, "closedAccepts")) != NULL &&
		    (lc->closed_paths = lalloc(l, x->u.a.n * sizeof(struct rl_tmpl))) != NULL)
			for (i = 0; i < x->u.a.n; i++)
				if (parse_tmpl(l, x->u.a.items[i], "closedAccepts.paths",
				    &lc->closed_paths[lc->nclosed_paths]) == 0)
					lc->nclosed_paths++;
	}
	if ((v = get(l, doc, "registrationAdd", K_STR, 1, "lifecycle.json")) != NULL)
		(void)parse_tmpl(l, v, "registrationAdd", &lc->reg_add);
	if ((v = get(l, doc, "transitions", K_OBJ, 1, "lifecycle.json")) != NULL)
		load_transitions(l, v);
	if ((v = get(l, doc, "systemOnly", K_ARR, 0, "lifecycle.json")) != NULL)
		states(l, v, "systemOnly", 1, &lc->system_only, &lc->nsystem_only);
	if ((v = get(l, doc, "reasonRequired", K_ARR, 0, "lifecycle.json")) != NULL)
		states(l, v, "reasonRequired", 1, &lc->reason_required,
		    &lc->nreason_required);
	if ((v = get(l, doc, "wonTooSoon", K_OBJ, 0, "lifecycle.json")) != NULL) {
		only_members(l, v, "wonTooSoon", won_keys);
		if ((x = get(l, v, "state", K_STR, 1, "wonTooSoon")) != NULL &&
		    parse_state(l, x, "wonTooSoon.state", 1, &lc->won_state) == 0)
			lc->has_won = 1;
		lc->won_hours = get_int(l, v, "hours", 1, "wonTooSoon", 0);
	}
	if ((v = get(l, doc, "irreversible", K_ARR, 0, "lifecycle.json")) != NULL &&
	    (lc->irr = lalloc(l, v->u.a.n * sizeof(*lc->irr))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			snprintf(where, sizeof(where), "irreversible[%zu]", i);
			e = v->u.a.items[i];
			if (!is_kind(e, K_OBJ)) {
				lerr(l, e, "%s must be an object, not %s", where, tname(e));
				continue;
			}
			only_members(l, e, where, irr_keys);
			if (get_pointer(l, e, "path", where, &lc->irr[lc->nirr].p) == -1 ||
			    (x = get(l, e, "value", K_BOOL, 1, where)) == NULL)
				continue;
			lc->irr[lc->nirr].text = rl_json_get(e, "path")->u.s.ptr;
			lc->irr[lc->nirr++].value = x->type == RL_TRUE;
		}
	}
	if ((v = get(l, doc, "limits", K_ARR, 0, "lifecycle.json")) != NULL &&
	    (lc->lim = lalloc(l, v->u.a.n * sizeof(*lc->lim))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			struct rl_limit *lm = &lc->lim[lc->nlim];

			snprintf(where, sizeof(where), "limits[%zu]", i);
			e = v->u.a.items[i];
			if (!is_kind(e, K_OBJ)) {
				lerr(l, e, "%s must be an object, not %s", where, tname(e));
				continue;
			}
			only_members(l, e, where, lim_keys);
			if (get_pointer(l, e, "array", where, &lm->p) == -1 ||
			    (x = get(l, e, "code", K_STR, 1, where)) == NULL ||
			    (lm->code = code_ref(l, x, where)) == RL_OK)
				continue;
			lm->text = rl_json_get(e, "array")->u.s.ptr;
			lm->max = (unsigned long)get_int(l, e, "max", 1, where, 0);
			lc->nlim++;
		}
	}
	if ((v = get(l, doc, "unique", K_ARR, 0, "lifecycle.json")) != NULL &&
	    (lc->uniq = lalloc(l, v->u.a.n * sizeof(*lc->uniq))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			struct rl_unique *u = &lc->uniq[lc->nuniq];

			snprintf(where, sizeof(where), "unique[%zu]", i);
			e = v->u.a.items[i];
			if (!is_kind(e, K_OBJ)) {
				lerr(l, e, "%s must be an object, not %s", where, tname(e));
				continue;
			}
			only_members(l, e, where, uniq_keys);
			if (get_pointer(l, e, "array", where, &u->p) == -1 ||
			    (x = get(l, e, "member", K_STR, 1, where)) == NULL)
				continue;
			u->text = rl_json_get(e, "array")->u.s.ptr;
			u->member = x->u.s.ptr;
			u->mlen = x->u.s.len;
			if ((x = get(l, e, "caseless", K_BOOL, 0, where)) != NULL)
				u->caseless = x->type == RL_TRUE;
			if ((x = get(l, e, "code", K_STR, 1, where)) == NULL ||
			    (u->code = code_ref(l, x, where)) == RL_OK)
				continue;
			lc->nuniq++;
		}
	}
	if ((v = get(l, doc, "reasonCodes", K_OBJ, 0, "lifecycle.json")) != NULL) {
		int errors = l->errors;

		for (i = 0; i < v->u.o.n; i++) {
			const rl_member *m = &v->u.o.members[i];
			size_t k;

			snprintf(where, sizeof(where), "reasonCodes.%s", m->key);
			if (!is_kind(m->value, K_OBJ)) {
				lerr(l, m->value, "%s must be an object, not %s", where,
				    tname(m->value));
				continue;
			}
			for (k = 0; k < lc->npairs; k++)
				if (lc->pairs[k].sublen == m->klen &&
				    memcmp(lc->pairs[k].substatus, m->key, m->klen) == 0)
					break;
			if (k == lc->npairs)
				lerr(l, m->value, "%s: \"%s\" is not the substatus of one of \"pairs\"",
				    where, m->key);
			for (k = 0; k < m->value->u.o.n; k++)
				if (m->value->u.o.members[k].value->type != RL_STRING)
					lerr(l, m->value->u.o.members[k].value,
					    "%s.%s must be a string", where,
					    m->value->u.o.members[k].key);
		}
		if (l->errors == errors)
			lc->reason_codes = v;
	}
}

/* ---- dealregistration.json ------------------------------------------- */

static rl_regex *
get_regex(struct ld *l, const rl_value *obj, const char *name, unsigned flags,
    const char *where)
{
	const rl_value *v = get(l, obj, name, K_STR, 1, where);
	char w[200];

	if (v == NULL)
		return NULL;
	snprintf(w, sizeof(w), "%s.%s", where, name);
	return compile(l, v, flags, w);
}

static void
get_bound(struct ld *l, const rl_value *obj, const char *name,
    const char *where, struct rl_bound *b)
{
	const rl_value *v = get(l, obj, name, K_NUM, 1, where);

	if (v != NULL) {
		b->lex = v->u.s.ptr;
		b->len = v->u.s.len;
	}
}

static const rl_value *
policy(struct ld *l, const rl_value *ps, const char *name,
    const char *const *keys)
{
	const rl_value *p = get(l, ps, name, K_OBJ, 1, "policies");
	char where[120];

	if (p != NULL) {
		snprintf(where, sizeof(where), "policies.%s", name);
		only_members(l, p, where, keys);
	}
	return p;
}

static void
load_policies(struct ld *l, const rl_value *ps)
{
	static const char *const names[] = {
		"isDealTypeCosellOrPartnerLed", "isMicrosoftReferralAcceptedOrWon",
		"isSolutionIncentiveEligible", "isDealValueEligible",
		"isCustomerManaged", NULL
	};
	static const char *const k1[] = { "type", "cosell", "partnerLed", "consent", NULL };
	static const char *const k2[] = {
		"engagementId", "organizationName", "organizationId", "states", NULL
	};
	static const char *const k3[] = { "solutions", "incentive", NULL };
	static const char *const k4[] = { "dealValue", "currency", "threshold", NULL };
	static const char *const k5[] = {
		"isMatchingComplete", "accountType", "accountTypes", "managed", NULL
	};
	struct rl_dealreg *dr = &l->r->dr;
	const rl_value *p, *x;
	const char *w;

	only_members(l, ps, "policies", names);
	if ((p = policy(l, ps, names[0], k1)) != NULL) {
		w = "policies.isDealTypeCosellOrPartnerLed";
		(void)get_pointer(l, p, "type", w, &dr->p_type);
		(void)get_pointer(l, p, "consent", w, &dr->p_consent);
		dr->cosell = get_str(l, p, "cosell", 1, w);
		dr->partner_led = get_str(l, p, "partnerLed", 1, w);
	}
	if ((p = policy(l, ps, names[1], k2)) != NULL) {
		w = "policies.isMicrosoftReferralAcceptedOrWon";
		(void)get_pointer(l, p, "engagementId", w, &dr->p_engagement);
		dr->ms_org_name = get_regex(l, p, "organizationName", 0, w);
		dr->ms_org_id = get_regex(l, p, "organizationId", 0, w);
		if ((x = get(l, p, "states", K_ARR, 1, w)) != NULL)
			states(l, x, w, 1, &dr->ms_states, &dr->nms_states);
	}
	if ((p = policy(l, ps, names[2], k3)) != NULL) {
		w = "policies.isSolutionIncentiveEligible";
		(void)get_pointer(l, p, "solutions", w, &dr->p_solutions);
		dr->incentive = get_regex(l, p, "incentive", RL_RE_CASELESS, w);
	}
	if ((p = policy(l, ps, names[3], k4)) != NULL) {
		w = "policies.isDealValueEligible";
		(void)get_pointer(l, p, "dealValue", w, &dr->p_deal_value);
		(void)get_pointer(l, p, "currency", w, &dr->p_currency);
		get_bound(l, p, "threshold", w, &dr->deal_threshold);
	}
	if ((p = policy(l, ps, names[4], k5)) != NULL) {
		w = "policies.isCustomerManaged";
		(void)get_pointer(l, p, "isMatchingComplete", w, &dr->p_matching);
		(void)get_pointer(l, p, "accountType", w, &dr->p_account_type);
		dr->account_types = get_strings(l, p, "accountTypes", 1, w);
		dr->managed = get_str(l, p, "managed", 1, w);
		if (dr->managed != NULL && dr->account_types != NULL &&
		    !rl_rules_account_type(l->r, dr->managed, strlen(dr->managed)))
			lerr(l, rl_json_get(p, "managed"), "%s: \"managed\": \"%s\" is not one of \"accountTypes\"",
			    w, dr->managed);
	}
}

static void
load_registration(struct ld *l, const rl_value *g)
{
	static const char *const keys[] = {
		"type", "terms", "finiteTerm", "perpetualTerm", "perpetualYears",
		"daysPerYear", "annualValueThreshold", "signMaxAgeDays",
		"startMaxAgeDays", "primaryDeploymentOn", "pricingModel",
		"dateFormat", "currencyFormat", "baseCurrency", NULL
	};
	struct rl_dealreg *dr = &l->r->dr;
	const char *w = "registration";
	const rl_value *x;

	only_members(l, g, w, keys);
	dr->reg_type = get_str(l, g, "type", 1, w);
	dr->terms = get_strings(l, g, "terms", 1, w);
	dr->finite_term = get_str(l, g, "finiteTerm", 1, w);
	dr->perpetual_term = get_str(l, g, "perpetualTerm", 1, w);
	get_bound(l, g, "perpetualYears", w, &dr->perpetual_years);
	get_bound(l, g, "daysPerYear", w, &dr->days_per_year);
	get_bound(l, g, "annualValueThreshold", w, &dr->annual_threshold);
	dr->sign_max_age_days = get_int(l, g, "signMaxAgeDays", 1, w, 0);
	dr->start_max_age_days = get_int(l, g, "startMaxAgeDays", 1, w, 0);
	dr->deployment_on = get_strings(l, g, "primaryDeploymentOn", 1, w);
	dr->pricing_model = get_strings(l, g, "pricingModel", 1, w);
	if ((x = get(l, g, "dateFormat", K_STR, 1, w)) != NULL)
		dr->date_format = format_ref(l, x, w);
	if ((x = get(l, g, "currencyFormat", K_STR, 1, w)) != NULL)
		dr->currency_format = format_ref(l, x, w);
	dr->base_currency = get_str(l, g, "baseCurrency", 1, w);
}

static void
load_dealreg(struct ld *l, const rl_value *doc)
{
	static const char *const top[] = { "policies", "registration", NULL };
	const rl_value *v;

	only_members(l, doc, "dealregistration.json", top);
	if ((v = get(l, doc, "policies", K_OBJ, 1, "dealregistration.json")) != NULL)
		load_policies(l, v);
	if ((v = get(l, doc, "registration", K_OBJ, 1, "dealregistration.json")) != NULL)
		load_registration(l, v);
}

/* ---- severity.json --------------------------------------------------- */

static void
load_severity(struct ld *l, const rl_value *doc)
{
	static const char *const top[] = { "severity", NULL };
	const rl_value *v;
	size_t i;

	only_members(l, doc, "severity.json", top);
	if ((v = get(l, doc, "severity", K_OBJ, 1, "severity.json")) == NULL)
		return;
	for (i = 0; i < v->u.o.n; i++) {
		const rl_member *m = &v->u.o.members[i];
		rl_code c = rl_code_lookup(m->key, m->klen);
		int s;

		if (c == RL_OK || c >= RL_IO_ERROR) {
			lerr(l, m->value, "severity: unknown diagnostic code \"%s\"",
			    m->key);
			continue;
		}
		if (m->value->type != RL_STRING ||
		    (s = rl_severity_lookup(m->value->u.s.ptr, m->value->u.s.len)) < 0) {
			lerr(l, m->value, "severity.%s must be \"error\", \"warning\", \"info\" or \"none\"",
			    m->key);
			continue;
		}
		l->r->sev[c] = (rl_severity)s;
	}
}

/* ---- columns.json ---------------------------------------------------- */


static const char *const col_uses[] = {
	"replace", "id", "microsoftReferral", "readOnly", "matchedAccount",
	"account", NULL
};
static const char *const col_convs[] = {
	"text", "number", "date", "reasonCode", NULL
};

/* Index of s in names (NULL-terminated), or -1 (reported). */
static int
word(struct ld *l, const rl_value *s, const char *const *names,
    const char *where, const char *what)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s->u.s.ptr) == 0)
			return i;
	lerr(l, s, "%s: unknown %s \"%s\"", where, what, s->u.s.ptr);
	return -1;
}

/* 1 when some path of paths.json allows "replace" on p. */
static int
replaceable(const rl_rules *r, const rl_pointer *p)
{
	size_t i;

	for (i = 0; i < r->npaths; i++)
		if ((r->paths[i].ops & (1u << RL_OP_REPLACE)) &&
		    rl_tmpl_match(&r->paths[i].t, p))
			return 1;
	return 0;
}

static void
col_states(struct ld *l, const rl_value *st, const char *where,
    struct rl_column *c)
{
	size_t i;

	if ((c->states = lalloc(l, st->u.o.n * sizeof(*c->states))) == NULL)
		return;
	for (i = 0; i < st->u.o.n; i++) {
		const rl_member *m = &st->u.o.members[i];
		struct rl_col_state *cs = &c->states[c->nstates];

		if (parse_state(l, m->value, where, 1, &cs->st) == -1)
			continue;
		cs->text = m->key;
		cs->len = m->klen;
		c->nstates++;
	}
	if (st->u.o.n == 0)
		lerr(l, st, "%s: \"states\" must not be empty", where);
}

static void
load_column(struct ld *l, const rl_member *m, struct rl_column *c)
{
	static const char *const keys[] = {
		"use", "pointer", "convert", "substatusColumn", "states",
		"accountType", "description", NULL
	};
	const rl_value *spec = m->value, *v;
	char where[200];
	int k;

	snprintf(where, sizeof(where), "columns.%s", m->key);
	c->header = m->key;
	c->hlen = m->klen;
	c->substatus = -1;
	if (m->klen == 0 || m->key[0] == ' ' || m->key[0] == '\t' ||
	    m->key[m->klen - 1] == ' ' || m->key[m->klen - 1] == '\t')
		lerr(l, spec, "%s: a header name must not be empty or begin or end with a space",
		    where);
	if (!is_kind(spec, K_OBJ)) {
		lerr(l, spec, "%s must be an object, not %s", where, tname(spec));
		return;
	}
	only_members(l, spec, where, keys);
	(void)get(l, spec, "description", K_STR, 0, where);
	if ((v = get(l, spec, "use", K_STR, 0, where)) != NULL &&
	    (k = word(l, v, col_uses, where, "use")) >= 0)
		c->use = (enum rl_col_use)k;
	if ((v = get(l, spec, "convert", K_STR, 0, where)) != NULL) {
		if (c->use != RL_COL_REPLACE)
			lerr(l, v, "%s: \"convert\" needs use \"replace\"", where);
		else if ((k = word(l, v, col_convs, where, "conversion")) >= 0)
			c->conv = (enum rl_col_conv)k;
	}
	if ((v = get(l, spec, "pointer", K_STR, c->use == RL_COL_REPLACE,
	    where)) != NULL) {
		if (c->use != RL_COL_REPLACE)
			lerr(l, v, "%s: \"pointer\" needs use \"replace\"", where);
		else if (parse_pointer(l, v, where, &c->p) == 0) {
			c->path = v->u.s.ptr;
			c->plen = v->u.s.len;
			if (!replaceable(l->r, &c->p))
				lerr(l, v, "%s: \"%s\" is not a path that paths.json lets \"replace\"",
				    where, v->u.s.ptr);
		}
	}
	if ((v = get(l, spec, "substatusColumn", K_STR,
	    c->conv == RL_CONV_REASON, where)) != NULL &&
	    c->conv != RL_CONV_REASON)
		lerr(l, v, "%s: \"substatusColumn\" needs convert \"reasonCode\"",
		    where);
	if (c->conv == RL_CONV_REASON && l->r->lc.reason_codes == NULL)
		lerr(l, spec, "%s: convert \"reasonCode\" needs \"reasonCodes\" in lifecycle.json",
		    where);
	if ((v = get(l, spec, "states", K_OBJ, c->use == RL_COL_MICROSOFT,
	    where)) != NULL) {
		if (c->use != RL_COL_MICROSOFT)
			lerr(l, v, "%s: \"states\" needs use \"microsoftReferral\"", where);
		else {
			c->conv = RL_CONV_STATE;
			col_states(l, v, where, c);
		}
	}
	if ((v = get(l, spec, "accountType", K_STR, c->use == RL_COL_ACCOUNT,
	    where)) != NULL) {
		if (c->use != RL_COL_ACCOUNT)
			lerr(l, v, "%s: \"accountType\" needs use \"account\"", where);
		else if (l->r->dr.account_types != NULL &&
		    !rl_rules_account_type(l->r, v->u.s.ptr, v->u.s.len))
			lerr(l, v, "%s: \"accountType\": \"%s\" is not one of the "
			    "\"accountTypes\" of dealregistration.json", where,
			    v->u.s.ptr);
		else {
			c->account_type = v->u.s.ptr;
			c->alen = v->u.s.len;
		}
	}
}

static void
load_columns(struct ld *l, const rl_value *doc)
{
	static const char *const top[] = { "columns", NULL };
	struct rl_columns *cols = &l->r->cols;
	const rl_value *v;
	int ids = 0, ms = 0, matched = 0, accounts = 0;
	size_t i, k;

	only_members(l, doc, "columns.json", top);
	if ((v = get(l, doc, "columns", K_OBJ, 1, "columns.json")) == NULL ||
	    (cols->c = lalloc(l, v->u.o.n * sizeof(*cols->c))) == NULL)
		return;
	for (i = 0; i < v->u.o.n; i++) {
		const rl_member *m = &v->u.o.members[i];

		load_column(l, m, &cols->c[i]);
		for (k = 0; k < i; k++)
			if (rl_ascii_caseeq(cols->c[k].header, cols->c[k].hlen,
			    m->key, m->klen))
				lerr(l, m->value, "columns.%s: the same header as \"%s\" (headers are matched without regard to case)",
				    m->key, cols->c[k].header);
		ids += cols->c[i].use == RL_COL_ID;
		ms += cols->c[i].use == RL_COL_MICROSOFT;
		matched += cols->c[i].use == RL_COL_MATCHED_ACCOUNT;
		accounts += cols->c[i].use == RL_COL_ACCOUNT;
	}
	cols->n = v->u.o.n;
	if (ids != 1)
		lerr(l, v, "columns.json: exactly one column must have use \"id\" (%d do)",
		    ids);
	if (ms > 1)
		lerr(l, v, "columns.json: at most one column may have use \"microsoftReferral\"");
	/* the matched account is only compared with the account columns */
	if (matched > 1)
		lerr(l, v, "columns.json: at most one column may have use \"matchedAccount\"");
	if ((matched > 0) != (accounts > 0))
		lerr(l, v, "columns.json: a column with use \"matchedAccount\" and "
		    "columns with use \"account\" go together (%d and %d here)",
		    matched, accounts);
	/* the substatus column of a reason code column */
	for (i = 0; i < cols->n; i++) {
		const rl_value *sc = rl_json_get(v->u.o.members[i].value,
		    "substatusColumn");

		if (cols->c[i].conv != RL_CONV_REASON || sc == NULL ||
		    sc->type != RL_STRING)
			continue;
		for (k = 0; k < cols->n; k++)
			if (k != i && cols->c[k].use == RL_COL_REPLACE &&
			    strcmp(cols->c[k].header, sc->u.s.ptr) == 0)
				cols->c[i].substatus = (long)k;
		if (cols->c[i].substatus < 0)
			lerr(l, sc, "columns.%s: \"substatusColumn\": \"%s\" is not another column with use \"replace\"",
			    cols->c[i].header, sc->u.s.ptr);
	}
}

/* ---- files ----------------------------------------------------------- */

/*
 * Reads a rule file whole.  Only regular files of at most 4 MiB are read
 * (reflint-rules(5); the default rules are under 10 kB): a FIFO, a device
 * such as /dev/zero or a huge file in the rules directory is a rules error,
 * not a hang or unbounded memory.  O_NONBLOCK so that opening a FIFO does
 * not wait for a writer; errno EISDIR, EINVAL (another non-regular file)
 * or EFBIG says why, in the caller's "cannot read" message.
 */
static int
slurp(const char *path, rl_buf *b)
{
	const size_t cap = 4 * 1024 * 1024;
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	struct stat st;
	ssize_t n = 0;
	int refuse = 0;

	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		refuse = errno;
	else if (S_ISDIR(st.st_mode))
		refuse = EISDIR;
	else if (!S_ISREG(st.st_mode))
		refuse = EINVAL;
	else if (st.st_size < 0 || (unsigned long long)st.st_size > cap)
		refuse = EFBIG;
	if (refuse != 0) {
		close(fd);
		errno = refuse;
		return -1;
	}
	for (;;) {
		if (rl_buf_reserve(b, 65536) == -1) {
			errno = ENOMEM;
			n = -1;
			break;
		}
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
		if (b->len > cap) {     /* it grew after fstat */
			errno = EFBIG;
			n = -1;
			break;
		}
	}
	if (n == -1) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

static rl_value *
read_file(struct ld *l, const char *path)
{
	rl_buf b = RL_BUF_INIT;
	rl_reader_opts o;
	rl_value *v = NULL;
	rl_diag d;

	if (slurp(path, &b) == -1) {
		lerr(l, NULL, "cannot read: %s", errno == EINVAL ?
		    "not a regular file" : errno == EFBIG ?
		    "larger than 4 MiB, the most a rule file may be" :
		    strerror(errno));
		goto done;
	}
	memset(&o, 0, sizeof(o));
	o.format = RL_FMT_VALUE;
	o.allow_comments = 1;
	o.case_sensitive_names = 1;     /* only reflint reads rule files */
	v = rl_parse_value(b.data != NULL ? b.data : "", b.len, &o, l->r->a, &d);
	if (v == NULL) {
		rl_value at;

		memset(&at, 0, sizeof(at));
		at.line = (unsigned)d.line;
		lerr(l, &at, "%s: %s", rl_code_name(d.code), d.message);
	} else if (v->type != RL_OBJECT) {
		lerr(l, v, "a rule file must hold one object, not %s", tname(v));
		v = NULL;
	}
done:
	rl_buf_free(&b);
	return v;
}

/*
 * Rejects *.json files of dir that are not rule files (typos).  -1 when
 * the directory cannot be read at all.
 */
static int
unknown_files(struct ld *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t k, n;

	if (d == NULL) {
		l->file = dir;
		lerr(l, NULL, "cannot open the rules directory: %s", strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		for (k = 0; rl_rule_files[k] != NULL; k++)
			if (strcmp(rl_rule_files[k], e->d_name) == 0)
				break;
		if (rl_rule_files[k] == NULL) {
			char path[PATH_MAX];

			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			l->file = path;
			lerr(l, NULL, "not a rule file (the rule files are formats.json, "
			    "paths.json, lifecycle.json, dealregistration.json, severity.json "
			    "and columns.json)");
		}
	}
	closedir(d);
	return 0;
}

static void
release_regexes(struct rl_re_node *n)
{
	for (; n != NULL; n = n->next)
		rl_regex_free(n->re);
}

rl_rules *
rl_rules_load(const char *dir, rl_rules_error_fn fn, void *ctx)
{
	static void (*const loaders[])(struct ld *, const rl_value *) = {
		load_formats, load_paths, load_lifecycle, load_dealreg,
		load_severity, load_columns
	};
	struct ld l;
	rl_rules *r;
	rl_arena *a;
	char path[PATH_MAX];
	size_t i;
	int c;

	memset(&l, 0, sizeof(l));
	l.fn = fn;
	l.ctx = ctx;
	if ((a = rl_arena_new(0)) == NULL ||
	    (r = rl_arena_alloc(a, sizeof(*r))) == NULL) {
		rl_diag d;

		rl_arena_free(a);
		rl_diag_set(&d, RL_NOMEM, "out of memory");
		d.source = dir;
		if (fn != NULL)
			fn(ctx, &d);
		return NULL;
	}
	memset(r, 0, sizeof(*r));
	r->a = a;
	l.r = r;
	for (c = 0; c < RL_CODE_COUNT; c++)
		r->sev[c] = rl_codes[c].severity;
	if ((r->dir = rl_arena_strndup(a, dir, strlen(dir))) == NULL ||
	    (r->doc = rl_json_object(a, 8)) == NULL) {
		l.file = dir;
		lerr(&l, NULL, "out of memory");
		goto fail;
	}
	if (unknown_files(&l, dir) == -1)
		goto fail;
	for (i = 0; rl_rule_files[i] != NULL; i++) {
		rl_value *doc;

		if (snprintf(path, sizeof(path), "%s/%s", dir, rl_rule_files[i]) >=
		    (int)sizeof(path)) {
			l.file = dir;
			lerr(&l, NULL, "path too long");
			continue;
		}
		l.file = path;
		if ((doc = read_file(&l, path)) == NULL)
			continue;
		loaders[i](&l, doc);
		if (rl_json_object_insert(a, r->doc, r->doc->u.o.n, rl_rule_files[i],
		    strlen(rl_rule_files[i]), doc) == -1)
			lerr(&l, NULL, "out of memory");
	}
	if (l.errors > 0)
		goto fail;
	r->res = l.res;
	return r;
fail:
	release_regexes(l.res);
	rl_arena_free(a);
	return NULL;
}

void
rl_rules_free(rl_rules *r)
{
	if (r == NULL)
		return;
	release_regexes(r->res);
	rl_arena_free(r->a);
}

const char *
rl_rules_dir(const rl_rules *r)
{
	return r->dir;
}

rl_severity
rl_rules_severity(const rl_rules *r, rl_code c)
{
	if ((int)c < 0 || c >= RL_CODE_COUNT)
		return RL_SEV_NONE;
	return r->sev[c];
}

void
rl_rules_set_severity(rl_rules *r, rl_code c, rl_severity s)
{
	if ((int)c > 0 && c < RL_CODE_COUNT)
		r->sev[c] = s;
}

int
rl_rules_dump(const rl_rules *r, rl_buf *b)
{
	size_t i;
	int c;

	if (rl_buf_putc(b, '{') == -1)
		return -1;
	for (i = 0; i < r->doc->u.o.n; i++) {
		const rl_member *m = &r->doc->u.o.members[i];

		if (rl_json_quote(b, m->key, m->klen) == -1 ||
		    rl_buf_putc(b, ':') == -1 ||
		    rl_json_serialize(b, m->value) == -1 ||
		    rl_buf_putc(b, ',') == -1)
			return -1;
	}
	if (rl_buf_puts(b, "\"codes\":{") == -1)
		return -1;
	for (c = 1; c < RL_IO_ERROR; c++) {
		if (c == RL_PATCH_TEST_FAILED)
			continue;
		if ((c > 1 && rl_buf_putc(b, ',') == -1) ||
		    rl_json_quote(b, rl_codes[c].name, strlen(rl_codes[c].name)) == -1 ||
		    rl_buf_putc(b, ':') == -1 ||
		    rl_json_quote(b, rl_severity_name(r->sev[c]),
		    strlen(rl_severity_name(r->sev[c]))) == -1)
			return -1;
	}
	return rl_buf_puts(b, "}}");
}

/* ---- templates ------------------------------------------------------- */

static int
tok_eq(const rl_token *a, const char *s, size_t n)
{
	return a->len == n && memcmp(a->s, s, n) == 0;
}

static int
tok_match(const struct rl_tmpl *t, size_t i, const rl_token *k)
{
	size_t ix;

	switch (t->kind[i]) {
	case RL_TK_INDEX:
		return rl_pointer_index(k, &ix) == RL_INDEX_OK;
	case RL_TK_ANY:
	case RL_TK_DEEP:
		return 1;
	default:
		return tok_eq(k, t->tok[i].s, t->tok[i].len);
	}
}

/* The rest of rl_tmpl_match (rules_int.h), once the counts agree. */
int
rl_tmpl_match_tokens(const struct rl_tmpl *t, const rl_pointer *p)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!tok_match(t, i, &p->tok[i]))
			return 0;
	return 1;
}

/*
 * Caseless edit distance between a and b, capped: returns 0, 1 or 2
 * (2 meaning "more than one").  Optimal string alignment, so a transposition
 * of neighbours counts as one edit.
 */
/* the characters equal without regard to ASCII case */
#define EQ(x, y) (rl_ascii_lower((unsigned char)(x)) == \
    rl_ascii_lower((unsigned char)(y)))

static int
dist1(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j;

	if (an > bn + 1 || bn > an + 1)
		return 2;
	while (i < an && i < bn && EQ(a[i], b[i]))
		i++;
	if (i == an && i == bn)
		return 0;
	/* first difference at i: try each single edit */
	if (an == bn) {
		/* substitution */
		for (j = i + 1; j < an && EQ(a[j], b[j]); j++)
			;
		if (j == an)
			return 1;
		/* transposition */
		if (i + 1 < an && EQ(a[i], b[i + 1]) &&
		    EQ(a[i + 1], b[i])) {
			for (j = i + 2; j < an && EQ(a[j], b[j]); j++)
				;
			if (j == an)
				return 1;
		}
		return 2;
	}
	if (an > bn) {   /* deletion from a */
		for (j = i; j < bn && EQ(a[j + 1], b[j]); j++)
			;
		return j == bn ? 1 : 2;
	}
	for (j = i; j < an && EQ(a[j], b[j + 1]); j++)
		;
	return j == an ? 1 : 2;
}
#undef EQ

int
rl_tmpl_near(const struct rl_tmpl *t, const rl_pointer *p)
{
	size_t i;
	int edits = 0;

	if (t->n == 0 || t->kind[t->n - 1] == RL_TK_DEEP || p->n != t->n)
		return 0;
	for (i = 0; i < t->n; i++) {
		if (t->kind[i] != RL_TK_LIT) {
			if (!tok_match(t, i, &p->tok[i]))
				return 0;
			continue;
		}
		edits += dist1(p->tok[i].s, p->tok[i].len, t->tok[i].s, t->tok[i].len);
		if (edits > 1)
			return 0;
	}
	return 1;
}

int
rl_pointer_below(const rl_pointer *p, const rl_pointer *q)
{
	size_t i;

	if (p->n < q->n)
		return 0;
	for (i = 0; i < q->n; i++)
		if (!tok_eq(&p->tok[i], q->tok[i].s, q->tok[i].len))
			return 0;
	return 1;
}
