/*
 * validate.c: judges a record by the procedure of reflint(1), Judging:
 * 1 record shape, 2 each op on its own (op kind, pointer, path; the value
 * checks are values.c), 3 the patch applied op by op (container defaults;
 * a failing op is skipped through the undo log), 4 the state rules and
 * 5 registrations (staterules.c, registration.c), 6 the verdict.  Every
 * table comes from the rules; every diagnostic goes through the emitter
 * into the result (result.c).
 */
#include "config.h"

#include <string.h>

#include "policies.h"
#include "validate.h"
#include "validate_int.h"

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
check_path(rl_emitter *e, long i, struct rl_opinfo *oi)
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
check_op(rl_emitter *e, long i, struct rl_opinfo *oi)
{
	const rl_value *op = oi->op, *name, *value;
	char q[RL_SNIP];
	rl_diag d = RL_DIAG_INIT;

	oi->bad = 1;
	if (op->type != RL_OBJECT)
		return rl_emit(e, RL_PATCH_SHAPE, i, NULL,
		    "operation %ld is %s, not an object", i, rl_json_type_name(op));
	op_members(op, &name, &oi->path, &value);
	if (oi->path != NULL && oi->path->type != RL_STRING) {
		const rl_value *p = oi->path;

		oi->path = NULL;
		return rl_emit(e, RL_PATCH_SHAPE, i, NULL,
		    "\"path\" must be a string, not %s", rl_json_type_name(p));
	}
	if (name == NULL || name->type != RL_STRING)
		return rl_emit(e, RL_PATCH_SHAPE, i, oi->path, name == NULL ?
		    "the operation has no \"op\" member%s" :
		    "\"op\" must be a string, not %s", name ? rl_json_type_name(name) : "");
	if (oi->path == NULL)
		return rl_emit(e, RL_PATCH_SHAPE, i, NULL,
		    "the operation has no \"path\" member");
	oi->kind = rl_op_kind_of(name->u.s.ptr, name->u.s.len);
	if (oi->kind != RL_OP_ADD && oi->kind != RL_OP_REPLACE)
		return rl_emit(e, RL_OP_UNSUPPORTED, i, oi->path,
		    "op %s is not supported: the Referrals API accepts only add and replace",
		    rl_snip(name, q));
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
	(void)rl_check_value(e, i, oi->path, &oi->rule->v, value);
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
apply_ops(rl_emitter *e, rl_value **doc, struct rl_opinfo *oi, size_t n)
{
	const rl_rules *r = e->r;
	rl_undo *u;
	rl_diag d = RL_DIAG_INIT;
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
		rl_diag_clear(&d);      /* each op's own reason */
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

/* ---- the record ------------------------------------------------------ */

int
rl_check_parts(const rl_rules *r, rl_arena *a, rl_value *referral,
    const rl_value *patch, const rl_value *if_match, const rl_value *record,
    const rl_check_opts *opts, rl_result *res)
{
	static const rl_check_opts defaults;
	rl_emitter e;
	struct rl_opinfo *oi;
	struct rl_before b;
	size_t i, n, k;

	if (opts == NULL)
		opts = &defaults;
	rl_emitter_init(&e, r, a, res, opts);
	res->patch = patch;
	res->ops = patch != NULL && patch->type == RL_ARRAY ? patch->u.a.n : 0;
	res->if_match = if_match;
	if (patch == NULL || patch->type != RL_ARRAY) {
		rl_emit(&e, RL_RECORD_SHAPE, -1, NULL,
		    "\"patch\" must be an array of operations, not %s",
		    patch ? rl_json_type_name(patch) : "missing");
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
	if (rl_state_before(&e, referral, &b) == -1)
		return -1;
	res->after = referral;
	if (apply_ops(&e, &res->after, oi, n) == -1)
		return -1;
	return rl_state_rules(&e, &b, res->after, oi, n, if_match, record, opts);
}

static int
record_diag(const rl_rules *r, rl_arena *a, const rl_record *rec,
    const rl_check_opts *opts, rl_result *res)
{
	rl_emitter e;
	const rl_diag *d = rec->diag;

	rl_emitter_init(&e, r, a, res, opts);
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
	rl_emitter e;
	rl_value *v = rec->value, *ref, *patch, *id, *im;

	memset(res, 0, sizeof(*res));
	rl_emitter_init(&e, r, a, res, opts);
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
