/*
 * rules_lifecycle.c: the loader of lifecycle.json: the state pointers, valid pairs,
 * transitions, terminal, closed, system-only and reason-required states,
 * irreversible members, limits and unique members.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules_load.h"

/* ---- lifecycle.json -------------------------------------------------- */

static int
state_eq(const struct rl_state *a, const struct rl_state *b)
{
	return a->slen == b->slen && a->sublen == b->sublen &&
	    memcmp(a->status, b->status, a->slen) == 0 &&
	    memcmp(a->substatus, b->substatus, a->sublen) == 0;
}

/* "Status/Substatus"; pairs_known: must be one of lc.pairs. */
int
rl_ld_parse_state(struct rl_ld *l, const rl_value *s, const char *where,
    int pairs_known, struct rl_state *out)
{
	const char *slash;
	size_t i;

	if (s->type != RL_STRING) {
		rl_ld_err(l, s, "%s: a state must be a string \"Status/Substatus\", not %s",
		    where, rl_json_type_name(s));
		return -1;
	}
	slash = memchr(s->u.s.ptr, '/', s->u.s.len);
	if (slash == NULL || slash == s->u.s.ptr ||
	    slash == s->u.s.ptr + s->u.s.len - 1) {
		rl_ld_err(l, s, "%s: \"%s\" is not a state \"Status/Substatus\"", where,
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
	rl_ld_err(l, s, "%s: \"%s\" is not one of \"pairs\"", where, s->u.s.ptr);
	return -1;
}

/* An array of states into *out / *n. */
void
rl_ld_states(struct rl_ld *l, const rl_value *arr, const char *where, int known,
    struct rl_state **out, size_t *n)
{
	size_t i;

	*n = 0;
	if ((*out = rl_ld_alloc(l, arr->u.a.n * sizeof(**out))) == NULL)
		return;
	for (i = 0; i < arr->u.a.n; i++)
		if (rl_ld_parse_state(l, arr->u.a.items[i], where, known, &(*out)[*n]) == 0)
			++*n;
}

static rl_code
code_ref(struct rl_ld *l, const rl_value *s, const char *where)
{
	rl_code c = rl_code_lookup(s->u.s.ptr, s->u.s.len);

	if (c == RL_OK || c >= RL_IO_ERROR)
		rl_ld_err(l, s, "%s: unknown diagnostic code \"%s\"", where, s->u.s.ptr);
	return c;
}

static void
load_pointers(struct rl_ld *l, const rl_value *doc)
{
	static const char *const keys[] = {
		"status", "substatus", "statusReason", "created", "eTag", NULL
	};
	struct rl_lifecycle *lc = &l->r->lc;
	const rl_value *p;

	if ((p = rl_ld_get(l, doc, "pointers", K_OBJ, 1, "lifecycle.json")) == NULL)
		return;
	rl_ld_only_members(l, p, "pointers", keys);
	(void)rl_ld_pointer(l, p, "status", "pointers", &lc->status);
	(void)rl_ld_pointer(l, p, "substatus", "pointers", &lc->substatus);
	(void)rl_ld_pointer(l, p, "statusReason", "pointers", &lc->reason);
	(void)rl_ld_pointer(l, p, "created", "pointers", &lc->created);
	(void)rl_ld_pointer(l, p, "eTag", "pointers", &lc->etag);
}

static void
load_transitions(struct rl_ld *l, const rl_value *t)
{
	struct rl_lifecycle *lc = &l->r->lc;
	char where[200];
	size_t i, k;

	if ((lc->trans = rl_ld_alloc(l, t->u.o.n * sizeof(*lc->trans))) == NULL)
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
		if (rl_ld_parse_state(l, &key, where, 1, &tr->from) == -1)
			continue;
		for (k = 0; k < lc->ntrans; k++)
			if (state_eq(&lc->trans[k].from, &tr->from))
				rl_ld_err(l, m->value, "%s: listed twice", where);
		if (!rl_ld_is_kind(m->value, K_ARR)) {
			rl_ld_err(l, m->value, "%s must be an array of rl_ld_states, not %s",
			    where, rl_json_type_name(m->value));
			continue;
		}
		rl_ld_states(l, m->value, where, 1, &tr->to, &tr->nto);
		lc->ntrans++;
	}
}

void
rl_ld_lifecycle(struct rl_ld *l, const rl_value *doc)
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

	rl_ld_only_members(l, doc, "lifecycle.json", top);
	load_pointers(l, doc);
	if ((v = rl_ld_get(l, doc, "pairs", K_ARR, 1, "lifecycle.json")) != NULL)
		rl_ld_states(l, v, "pairs", 0, &lc->pairs, &lc->npairs);
	lc->terminal = rl_ld_strings(l, doc, "terminal", 1, "lifecycle.json");
	if ((v = rl_ld_get(l, doc, "closedAccepts", K_OBJ, 1, "lifecycle.json")) != NULL) {
		rl_ld_only_members(l, v, "closedAccepts", ca_keys);
		if ((x = rl_ld_get(l, v, "states", K_ARR, 1, "closedAccepts")) != NULL)
			rl_ld_states(l, x, "closedAccepts.states", 1, &lc->closed_states,
			    &lc->nclosed_states);
		if ((x = rl_ld_strings(l, v, "paths", 1, "closedAccepts")) != NULL &&
		    (lc->closed_paths = rl_ld_alloc(l, x->u.a.n * sizeof(struct rl_tmpl))) != NULL)
			for (i = 0; i < x->u.a.n; i++)
				if (rl_ld_parse_tmpl(l, x->u.a.items[i], "closedAccepts.paths",
				    &lc->closed_paths[lc->nclosed_paths]) == 0)
					lc->nclosed_paths++;
	}
	if ((v = rl_ld_get(l, doc, "registrationAdd", K_STR, 1, "lifecycle.json")) != NULL)
		(void)rl_ld_parse_tmpl(l, v, "registrationAdd", &lc->reg_add);
	if ((v = rl_ld_get(l, doc, "transitions", K_OBJ, 1, "lifecycle.json")) != NULL)
		load_transitions(l, v);
	if ((v = rl_ld_get(l, doc, "systemOnly", K_ARR, 0, "lifecycle.json")) != NULL)
		rl_ld_states(l, v, "systemOnly", 1, &lc->system_only, &lc->nsystem_only);
	if ((v = rl_ld_get(l, doc, "reasonRequired", K_ARR, 0, "lifecycle.json")) != NULL)
		rl_ld_states(l, v, "reasonRequired", 1, &lc->reason_required,
		    &lc->nreason_required);
	if ((v = rl_ld_get(l, doc, "wonTooSoon", K_OBJ, 0, "lifecycle.json")) != NULL) {
		rl_ld_only_members(l, v, "wonTooSoon", won_keys);
		if ((x = rl_ld_get(l, v, "state", K_STR, 1, "wonTooSoon")) != NULL &&
		    rl_ld_parse_state(l, x, "wonTooSoon.state", 1, &lc->won_state) == 0)
			lc->has_won = 1;
		lc->won_hours = rl_ld_int(l, v, "hours", 1, "wonTooSoon", 0);
	}
	if ((v = rl_ld_get(l, doc, "irreversible", K_ARR, 0, "lifecycle.json")) != NULL &&
	    (lc->irr = rl_ld_alloc(l, v->u.a.n * sizeof(*lc->irr))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			snprintf(where, sizeof(where), "irreversible[%zu]", i);
			e = v->u.a.items[i];
			if (!rl_ld_is_kind(e, K_OBJ)) {
				rl_ld_err(l, e, "%s must be an object, not %s", where, rl_json_type_name(e));
				continue;
			}
			rl_ld_only_members(l, e, where, irr_keys);
			if (rl_ld_pointer(l, e, "path", where, &lc->irr[lc->nirr].p) == -1 ||
			    (x = rl_ld_get(l, e, "value", K_BOOL, 1, where)) == NULL)
				continue;
			lc->irr[lc->nirr].text = rl_json_get(e, "path")->u.s.ptr;
			lc->irr[lc->nirr++].value = x->type == RL_TRUE;
		}
	}
	if ((v = rl_ld_get(l, doc, "limits", K_ARR, 0, "lifecycle.json")) != NULL &&
	    (lc->lim = rl_ld_alloc(l, v->u.a.n * sizeof(*lc->lim))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			struct rl_limit *lm = &lc->lim[lc->nlim];

			snprintf(where, sizeof(where), "limits[%zu]", i);
			e = v->u.a.items[i];
			if (!rl_ld_is_kind(e, K_OBJ)) {
				rl_ld_err(l, e, "%s must be an object, not %s", where, rl_json_type_name(e));
				continue;
			}
			rl_ld_only_members(l, e, where, lim_keys);
			if (rl_ld_pointer(l, e, "array", where, &lm->p) == -1 ||
			    (x = rl_ld_get(l, e, "code", K_STR, 1, where)) == NULL ||
			    (lm->code = code_ref(l, x, where)) == RL_OK)
				continue;
			lm->text = rl_json_get(e, "array")->u.s.ptr;
			lm->max = (unsigned long)rl_ld_int(l, e, "max", 1, where, 0);
			lc->nlim++;
		}
	}
	if ((v = rl_ld_get(l, doc, "unique", K_ARR, 0, "lifecycle.json")) != NULL &&
	    (lc->uniq = rl_ld_alloc(l, v->u.a.n * sizeof(*lc->uniq))) != NULL) {
		for (i = 0; i < v->u.a.n; i++) {
			struct rl_unique *u = &lc->uniq[lc->nuniq];

			snprintf(where, sizeof(where), "unique[%zu]", i);
			e = v->u.a.items[i];
			if (!rl_ld_is_kind(e, K_OBJ)) {
				rl_ld_err(l, e, "%s must be an object, not %s", where, rl_json_type_name(e));
				continue;
			}
			rl_ld_only_members(l, e, where, uniq_keys);
			if (rl_ld_pointer(l, e, "array", where, &u->p) == -1 ||
			    (x = rl_ld_get(l, e, "member", K_STR, 1, where)) == NULL)
				continue;
			u->text = rl_json_get(e, "array")->u.s.ptr;
			u->member = x->u.s.ptr;
			u->mlen = x->u.s.len;
			if ((x = rl_ld_get(l, e, "caseless", K_BOOL, 0, where)) != NULL)
				u->caseless = x->type == RL_TRUE;
			if ((x = rl_ld_get(l, e, "code", K_STR, 1, where)) == NULL ||
			    (u->code = code_ref(l, x, where)) == RL_OK)
				continue;
			lc->nuniq++;
		}
	}
	if ((v = rl_ld_get(l, doc, "reasonCodes", K_OBJ, 0, "lifecycle.json")) != NULL) {
		int errors = l->errors;

		for (i = 0; i < v->u.o.n; i++) {
			const rl_member *m = &v->u.o.members[i];
			size_t k;

			snprintf(where, sizeof(where), "reasonCodes.%s", m->key);
			if (!rl_ld_is_kind(m->value, K_OBJ)) {
				rl_ld_err(l, m->value, "%s must be an object, not %s", where,
				    rl_json_type_name(m->value));
				continue;
			}
			for (k = 0; k < lc->npairs; k++)
				if (lc->pairs[k].sublen == m->klen &&
				    memcmp(lc->pairs[k].substatus, m->key, m->klen) == 0)
					break;
			if (k == lc->npairs)
				rl_ld_err(l, m->value, "%s: \"%s\" is not the substatus of one of \"pairs\"",
				    where, m->key);
			for (k = 0; k < m->value->u.o.n; k++)
				if (m->value->u.o.members[k].value->type != RL_STRING)
					rl_ld_err(l, m->value->u.o.members[k].value,
					    "%s.%s must be a string", where,
					    m->value->u.o.members[k].key);
		}
		if (l->errors == errors)
			lc->reason_codes = v;
	}
}

