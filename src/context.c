/*
 * context.c: what a record is judged against (context.h).  The batch
 * processor calls it for every record before the judge; nothing here
 * writes a result.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "context.h"
#include "csvmap.h"
#include "pointer.h"
#include "rules_int.h"

#define MAX_RELATED 16          /* snapshot referrals of one engagement */

int
rl_context_patch_only(const rl_value *v)
{
	const rl_value *id, *patch, *im;

	return v != NULL && v->type == RL_OBJECT &&
	    rl_json_get(v, "referral") == NULL &&
	    (id = rl_json_get(v, "id")) != NULL && id->type == RL_STRING &&
	    (patch = rl_json_get(v, "patch")) != NULL && patch->type == RL_ARRAY &&
	    ((im = rl_json_get(v, "ifMatch")) == NULL || im->type == RL_STRING);
}

static int
nomem(rl_diag *err)
{
	rl_diag_set(err, RL_NOMEM, "out of memory");
	return -1;
}

/*
 * The record as the policies see it: when it carries no microsoftReferral,
 * its related array followed by the snapshot's referrals of the same
 * engagement (policy 2 picks Microsoft's among them).  *out is v itself
 * when there is nothing to add.
 */
static int
with_related(const rl_rules *r, rl_snapshot *snap, rl_arena *a, rl_value *v,
    const rl_value *referral, rl_value **out, rl_diag *err)
{
	rl_value *found[MAX_RELATED], *rec, *rel;
	const rl_value *eng, *old, *self;
	size_t i;
	long n;

	*out = v;
	if (snap == NULL || referral == NULL || v == NULL ||
	    v->type != RL_OBJECT || rl_json_get(v, "microsoftReferral") != NULL ||
	    (eng = rl_rules_engagement(r, referral)) == NULL ||
	    eng->type != RL_STRING)
		return 0;
	if ((n = rl_snapshot_engagement(snap, eng->u.s.ptr, eng->u.s.len, a,
	    found, MAX_RELATED, err)) < 0)
		return -1;
	if (n == 0)
		return 0;
	old = rl_json_get(v, "related");
	self = rl_json_get(referral, "id");
	if ((rel = rl_json_array(a, (old && old->type == RL_ARRAY ?
	    old->u.a.n : 0) + (size_t)n)) == NULL)
		return nomem(err);
	for (i = 0; old != NULL && old->type == RL_ARRAY && i < old->u.a.n; i++)
		if (rl_json_array_insert(a, rel, rel->u.a.n, old->u.a.items[i]) == -1)
			return nomem(err);
	for (i = 0; i < (size_t)n; i++) {
		const rl_value *id = rl_json_get(found[i], "id");

		if (self != NULL && id != NULL && rl_json_equal(self, id))
			continue;   /* the referral itself */
		if (rl_json_array_insert(a, rel, rel->u.a.n, found[i]) == -1)
			return nomem(err);
	}
	if ((rec = rl_json_object(a, v->u.o.n + 1)) == NULL)
		return nomem(err);
	for (i = 0; i < v->u.o.n; i++) {
		const rl_member *m = &v->u.o.members[i];

		if (m->klen == 7 && memcmp(m->key, "related", 7) == 0)
			continue;
		if (rl_json_object_insert(a, rec, rec->u.o.n, m->key, m->klen,
		    m->value) == -1)
			return nomem(err);
	}
	if (rl_json_object_insert(a, rec, rec->u.o.n, "related", 7, rel) == -1)
		return nomem(err);
	*out = rec;
	return 0;
}

int
rl_context_build(const rl_rules *r, rl_snapshot *snap, rl_arena *a,
    const rl_record *rec, const rl_prefetch *pre, unsigned flags,
    unsigned *op_column, rl_context *c, rl_diag *err)
{
	rl_value *v = rec->value, *ref = NULL;
	int e = 0;

	memset(c, 0, sizeof(*c));
	c->record = v;
	c->needs_state = (flags & RL_CONTEXT_APPLY) != 0;
	if (rec->diag != NULL || v == NULL || v->type != RL_OBJECT)
		return 0;
	c->patch = rl_json_get(v, "patch");
	if (!rl_context_patch_only(v)) {
		/* a paired record carries its state; policies may need more */
		if (rl_rules_adds_registration(r, c->patch))
			return with_related(r, snap, a, v,
			    rl_json_get(v, "referral"), &c->record, err);
		return 0;
	}
	c->patch_only = 1;
	c->id = rl_json_get(v, "id");
	c->if_match = rl_json_get(v, "ifMatch");
	if (snap != NULL) {
		c->looked_up = 1;
		if (pre != NULL && pre->state != 0) {
			ref = pre->ref;
			/* the prefetch's reason, unless err holds an earlier one */
			if ((e = pre->state < 0) != 0 && rl_diag_wants(err))
				*err = pre->diag;
		} else
			ref = rl_snapshot_get(snap, c->id->u.s.ptr, c->id->u.s.len,
			    a, &e, err);
		if (e)
			return -1;
		c->referral = ref;
	}
	/* cells equal to the referral's values make no op (reflint(1)) */
	if ((flags & RL_CONTEXT_CSV) != 0)
		c->unchanged = rl_csv_unchanged(r, ref, v, op_column,
		    &c->note) == 1;
	if (ref != NULL && rl_rules_adds_registration(r, c->patch))
		return with_related(r, snap, a, v, ref, &c->record, err);
	return 0;
}

int
rl_context_eligibility(const rl_rules *r, rl_snapshot *snap, rl_arena *a,
    const rl_record *rec, rl_value **out, rl_diag *err)
{
	rl_value *v = rec->value;
	const rl_value *ref;

	*out = v;
	if (rec->diag != NULL || v == NULL || v->type != RL_OBJECT)
		return 0;
	ref = rl_json_get(v, "referral");
	return with_related(r, snap, a, v, ref != NULL ? ref : v, out, err);
}

/* The solution ids of sols, for a message: "A, B, C" cut to size. */
static void
list_ids(const struct rl_columns *p, const rl_value *sols, char *out,
    size_t size)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < sols->u.a.n && n < size; i++) {
		const rl_value *id = rl_pointer_get(sols->u.a.items[i],
		    &p->solution_id);

		if (id == NULL || id->type != RL_STRING)
			continue;
		n += (size_t)snprintf(out + n, size - n, "%s%.*s", n ? ", " : "",
		    (int)(id->u.s.len > 60 ? 60 : id->u.s.len), id->u.s.ptr);
	}
}

int
rl_context_csv_fill(const rl_rules *r, rl_arena *a,
    const rl_csv_record *csv, rl_context *c)
{
	const struct rl_columns *p = csv != NULL ? csv->profile : NULL;
	const struct rl_column *col = NULL;
	const rl_value *sols, *id;
	rl_value *value, *copy;
	char ids[200];
	size_t i;
	long field = -1;

	if (p == NULL || p->add == NULL || !p->has_solutions ||
	    c->patch == NULL || c->patch->type != RL_ARRAY ||
	    c->patch->u.a.n != 1 || c->referral == NULL)
		return 0;
	for (i = 0; i < p->n && col == NULL; i++)
		if (p->c[i].use == RL_COL_SOLUTION)
			col = &p->c[i];
	for (i = 0; i < csv->nmembers; i++)
		if (col != NULL && csv->members[i].header == col->header)
			field = csv->members[i].field;
	value = rl_json_get(c->patch->u.a.items[0], "value");
	if (col == NULL || value == NULL || value->type != RL_OBJECT ||
	    rl_pointer_get(value, &col->p) != NULL)
		return 0;       /* the row names its solution */
	sols = rl_pointer_get(c->referral, &p->solutions);
	if (sols == NULL || sols->type != RL_ARRAY || sols->u.a.n == 0)
		return 0;       /* the registration's check reports the id */
	if (sols->u.a.n == 1) {
		id = rl_pointer_get(sols->u.a.items[0], &p->solution_id);
		if (id == NULL || id->type != RL_STRING)
			return 0;
		if ((copy = rl_json_copy(a, id)) == NULL ||
		    rl_csv_put_member(a, value, &col->p, copy) == -1)
			return -1;
		return 0;
	}
	list_ids(p, sols, ids, sizeof(ids));
	memset(&c->fill, 0, sizeof(c->fill));
	c->fill.field = -1;         /* the batch names the column */
	c->fill.code = RL_REGISTRATION_FIELD;
	c->fill.severity = rl_rules_severity(r, RL_REGISTRATION_FIELD);
	c->fill.op = -1;
	rl_diag_set_pointer(&c->fill, p->add, p->addlen);
	if (col->plen < sizeof(c->fill.member)) {
		memcpy(c->fill.member, col->path, col->plen);
		c->fill.member[col->plen] = '\0';
	}
	if (field < 0)
		snprintf(c->fill.message, sizeof(c->fill.message),
		    "%s: referral %.*s has %zu solutions (%s): add this column "
		    "with the id of the one registered", col->header,
		    (int)c->id->u.s.len, c->id->u.s.ptr, sols->u.a.n, ids);
	else
		snprintf(c->fill.message, sizeof(c->fill.message),
		    "%s: referral %.*s has %zu solutions (%s): write the id of "
		    "the one registered", col->header,
		    (int)c->id->u.s.len, c->id->u.s.ptr, sols->u.a.n, ids);
	c->has_fill = 1;
	return 0;
}
