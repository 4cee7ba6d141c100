/*
 * rules_paths.c: the loader of paths.json: read-only paths, containers, object
 * schemas, the patchable paths with their ops and value schemas, and the
 * template indexes over them.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules_load.h"

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
type_bits(struct rl_ld *l, const rl_value *s, const char *where)
{
	size_t i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(type_names[i].name, s->u.s.ptr) == 0)
			return type_names[i].bits;
	rl_ld_err(l, s, "%s: unknown type \"%s\" (string, boolean, number, decimal, "
	    "object, array or any)", where, s->u.s.ptr);
	return 0;
}

static const struct rl_object *
object_ref(struct rl_ld *l, const rl_value *s, const char *where)
{
	size_t i;

	for (i = 0; i < l->r->nobjects; i++)
		if (strcmp(l->r->objects[i].name, s->u.s.ptr) == 0)
			return &l->r->objects[i];
	rl_ld_err(l, s, "%s: unknown object schema \"%s\"", where, s->u.s.ptr);
	return NULL;
}

static void
bound(struct rl_ld *l, const rl_value *vs, const char *incl, const char *excl,
    const char *where, struct rl_bound *b)
{
	const rl_value *i = rl_ld_get(l, vs, incl, K_NUM, 0, where);
	const rl_value *e = rl_ld_get(l, vs, excl, K_NUM, 0, where);

	if (i != NULL && e != NULL)
		rl_ld_err(l, e, "%s: \"%s\" and \"%s\" exclude each other", where,
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
parse_vspec(struct rl_ld *l, const rl_value *vs, int member, const char *where,
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
	if (!rl_ld_is_kind(vs, K_OBJ)) {
		rl_ld_err(l, vs, "%s must be an object, not %s", where, rl_json_type_name(vs));
		return;
	}
	rl_ld_only_members(l, vs, where, member ? mkeys : keys);
	if ((v = rl_json_get(vs, "type")) != NULL) {
		if (v->type == RL_STRING)
			out->types = type_bits(l, v, where);
		else if (v->type == RL_ARRAY && v->u.a.n > 0) {
			out->types = 0;
			for (i = 0; i < v->u.a.n; i++) {
				if (v->u.a.items[i]->type != RL_STRING) {
					rl_ld_err(l, v->u.a.items[i], "%s: \"type\"[%zu] must be a string",
					    where, i);
					continue;
				}
				out->types |= type_bits(l, v->u.a.items[i], where);
			}
		} else
			rl_ld_err(l, v, "%s: \"type\" must be a string or a non-empty array of strings, not %s",
			    where, rl_json_type_name(v));
	}
	if ((v = rl_ld_get(l, vs, "nullable", K_BOOL, 0, where)) != NULL)
		out->nullable = v->type == RL_TRUE;
	if (member && (v = rl_ld_get(l, vs, "required", K_BOOL, 0, where)) != NULL)
		out->required = v->type == RL_TRUE;
	if ((v = rl_ld_get(l, vs, "dotnetDecimal", K_BOOL, 0, where)) != NULL)
		out->dotnet_decimal = v->type == RL_TRUE;
	if ((v = rl_ld_strings(l, vs, "enum", 0, where)) != NULL) {
		if (v->u.a.n == 0)
			rl_ld_err(l, v, "%s: \"enum\" must not be empty", where);
		out->enumv = v;
	}
	if ((v = rl_ld_get(l, vs, "format", K_STR, 0, where)) != NULL)
		out->format = rl_ld_format_ref(l, v, where);
	bound(l, vs, "minimum", "exclusiveMinimum", where, &out->min);
	bound(l, vs, "maximum", "exclusiveMaximum", where, &out->max);
	out->minlen = rl_ld_int(l, vs, "minLength", 0, where, -1);
	out->maxlen = rl_ld_int(l, vs, "maxLength", 0, where, -1);
	(void)rl_ld_get(l, vs, "description", K_STR, 0, where);
	if ((v = rl_ld_get(l, vs, "object", K_STR, 0, where)) != NULL) {
		out->object = object_ref(l, v, where);
		if (!(out->types & RL_VT_OBJECT))
			rl_ld_err(l, v, "%s: \"object\" needs type \"object\"", where);
	}
	/*
	 * A schema for every item of an array value (a whole team, say).
	 * Nesting is bounded by the reader's depth limit on the rule file.
	 */
	if ((v = rl_ld_get(l, vs, "items", K_OBJ, 0, where)) != NULL) {
		struct rl_vspec *items;

		if (!(out->types & RL_VT_ARRAY))
			rl_ld_err(l, v, "%s: \"items\" needs type \"array\"", where);
		if ((items = rl_ld_alloc(l, sizeof(*items))) == NULL)
			return;
		snprintf(iwhere, sizeof(iwhere), "%s.items", where);
		parse_vspec(l, v, 0, iwhere, items);
		out->items = items;
	}
}

static void
load_objects(struct rl_ld *l, const rl_value *objs)
{
	static const char *const keys[] = {
		"members", "otherMembers", "description", NULL
	};
	char where[200];
	size_t i, k;

	if ((l->r->objects = rl_ld_alloc(l, objs->u.o.n * sizeof(*l->r->objects))) == NULL)
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
		if (!rl_ld_is_kind(m->value, K_OBJ)) {
			rl_ld_err(l, m->value, "%s must be an object, not %s", where,
			    rl_json_type_name(m->value));
			continue;
		}
		rl_ld_only_members(l, m->value, where, keys);
		(void)rl_ld_get(l, m->value, "description", K_STR, 0, where);
		if ((v = rl_ld_get(l, m->value, "otherMembers", K_STR, 0, where)) != NULL) {
			if (strcmp(v->u.s.ptr, "allow") == 0)
				o->warn_other = 0;
			else if (strcmp(v->u.s.ptr, "warn") != 0)
				rl_ld_err(l, v, "%s: \"otherMembers\" must be \"warn\" or \"allow\"",
				    where);
		}
		if ((ms = rl_ld_get(l, m->value, "members", K_OBJ, 1, where)) == NULL)
			continue;
		if ((o->m = rl_ld_alloc(l, ms->u.o.n * sizeof(*o->m))) == NULL)
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
parse_ops(struct rl_ld *l, const rl_value *ops, const char *where)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < ops->u.a.n; i++) {
		const rl_value *s = ops->u.a.items[i];
		rl_op_kind k = rl_op_kind_of(s->u.s.ptr, s->u.s.len);

		if (k != RL_OP_ADD && k != RL_OP_REPLACE) {
			rl_ld_err(l, s, "%s: op \"%s\" is not \"add\" or \"replace\" (the only ops the API accepts)",
			    where, s->u.s.ptr);
			continue;
		}
		bits |= 1u << k;
	}
	if (ops->u.a.n == 0)
		rl_ld_err(l, ops, "%s: \"ops\" must not be empty", where);
	return bits;
}

/* ---- the template index (tmpl.h) ------------------------------------ */

/* Builds ix over n templates at base, each stride bytes from the last. */
static void
tindex_build(struct rl_ld *l, struct rl_tindex *ix, const void *base, size_t n,
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
	if ((ix->start = rl_ld_alloc(l, (nb + 1) * sizeof(*ix->start))) == NULL ||
	    (fill = rl_ld_alloc(l, nb * sizeof(*fill))) == NULL) {
		ix->start = NULL;
		return;
	}
	memset(fill, 0, nb * sizeof(*fill));
	for (k = 0; k < n; k++) {
		t = (const struct rl_tmpl *)(const void *)((const char *)base + k * stride);
		if (t->n == 0)
			continue;       /* matches nothing */
		if (t->kind[0] == RL_TK_LIT)
			fill[rl_tmpl_hash(t->tok[0].s, t->tok[0].len) & (nb - 1)]++;
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
	if ((ix->idx = rl_ld_alloc(l, total * sizeof(*ix->idx))) == NULL) {
		ix->start = NULL;
		return;
	}
	for (k = 0; k < n; k++) {
		t = (const struct rl_tmpl *)(const void *)((const char *)base + k * stride);
		if (t->n == 0)
			continue;
		if (t->kind[0] == RL_TK_LIT)
			ix->idx[fill[rl_tmpl_hash(t->tok[0].s, t->tok[0].len) &
			    (nb - 1)]++] = (uint32_t)k;
		else
			for (b = 0; b < nb; b++)
				ix->idx[fill[b]++] = (uint32_t)k;
	}
	ix->mask = nb - 1;
}

void
rl_ld_paths(struct rl_ld *l, const rl_value *doc)
{
	static const char *const top[] = {
		"readOnly", "containers", "objects", "paths", NULL
	};
	static const char *const pkeys[] = { "path", "ops", "value", NULL };
	const rl_value *v;
	rl_rules *r = l->r;
	char where[200];
	size_t i;

	rl_ld_only_members(l, doc, "paths.json", top);
	if ((v = rl_ld_strings(l, doc, "readOnly", 1, "paths.json")) != NULL &&
	    (r->readonly = rl_ld_alloc(l, v->u.a.n * sizeof(*r->readonly))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			snprintf(where, sizeof(where), "readOnly[%zu]", i);
			if (rl_ld_parse_tmpl(l, v->u.a.items[i], where,
			    &r->readonly[r->nreadonly]) == 0)
				r->nreadonly++;
		}
	}
	if ((v = rl_ld_strings(l, doc, "containers", 0, "paths.json")) != NULL &&
	    (r->containers = rl_ld_alloc(l, v->u.a.n * sizeof(*r->containers))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			snprintf(where, sizeof(where), "containers[%zu]", i);
			if (rl_ld_parse_pointer(l, v->u.a.items[i], where,
			    &r->containers[r->ncontainers]) == 0)
				r->ncontainers++;
		}
	}
	if ((v = rl_ld_get(l, doc, "objects", K_OBJ, 0, "paths.json")) != NULL)
		load_objects(l, v);
	if ((v = rl_ld_get(l, doc, "paths", K_ARR, 1, "paths.json")) == NULL ||
	    (r->paths = rl_ld_alloc(l, v->u.a.n * sizeof(*r->paths))) == NULL)
		return;
	for (i = 0; i < v->u.a.n; i++) {
		const rl_value *e = v->u.a.items[i], *x;
		struct rl_path *p = &r->paths[r->npaths];
		int ok = 1;

		snprintf(where, sizeof(where), "paths[%zu]", i);
		if (!rl_ld_is_kind(e, K_OBJ)) {
			rl_ld_err(l, e, "%s must be an object, not %s", where, rl_json_type_name(e));
			continue;
		}
		rl_ld_only_members(l, e, where, pkeys);
		if ((x = rl_ld_get(l, e, "path", K_STR, 1, where)) == NULL ||
		    rl_ld_parse_tmpl(l, x, where, &p->t) == -1)
			ok = 0;
		if ((x = rl_ld_strings(l, e, "ops", 1, where)) == NULL ||
		    (p->ops = parse_ops(l, x, where)) == 0)
			ok = 0;
		if ((x = rl_ld_get(l, e, "value", K_OBJ, 1, where)) != NULL) {
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

