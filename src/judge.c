/*
 * judge.c: the verdict of one record from its context (judge.h).  The
 * batch processor calls rl_judge on the record's thread and
 * rl_judge_in_order where records are taken in input order.
 */
#include "config.h"

#include <string.h>

#include "csvmap.h"
#include "judge.h"
#include "result.h"

/* Appends a diagnostic of the whole record, counted by the result module. */
static int
add_diag(rl_arena *a, const rl_check_opts *o, rl_result *res, rl_code code,
    rl_severity sev, const char *msg)
{
	return rl_result_add_text(res, a, rl_result_max(o != NULL ?
	    o->max_errors : 0), code, sev, msg);
}

/*
 * A patch-only id that the snapshot does not hold: referral-unknown in
 * place of referral-state-missing, which says less.
 */
static int
mark_unknown(const rl_rules *r, rl_arena *a, const rl_check_opts *o,
    rl_result *res)
{
	static const char pre[] = "referral ",
	    post[] = " is not in the --referrals snapshot";
	long i = rl_result_find(res, RL_REFERRAL_STATE_MISSING);
	size_t n = res->id ? res->id->u.s.len : 1;
	char *msg;

	if (i >= 0)
		rl_result_remove(res, (size_t)i);
	if ((msg = rl_arena_alloc(a, sizeof(pre) + n + sizeof(post))) == NULL)
		return -1;
	memcpy(msg, pre, sizeof(pre) - 1);
	memcpy(msg + sizeof(pre) - 1, res->id ? res->id->u.s.ptr : "-", n);
	memcpy(msg + sizeof(pre) - 1 + n, post, sizeof(post));
	return add_diag(a, o, res, RL_REFERRAL_UNKNOWN,
	    rl_rules_severity(r, RL_REFERRAL_UNKNOWN), msg);
}

/*
 * Removes the diagnostics of res about a member (rl_diag) that one of
 * d[0..n) is about: a spreadsheet cell that did not convert, or a
 * solution the context could not fill, is said once (and so is an object
 * holding it, missing because of it).
 */
static void
drop_repeats(rl_result *res, const rl_diag *d, size_t n)
{
	size_t i, k, len;

	for (k = 0; k < n; k++) {
		/* a disabled cell's problem says nothing: the repeat stays */
		if (d[k].member[0] == '\0' || d[k].severity == RL_SEV_NONE)
			continue;
		/* the member, or an object holding it that is missing for it */
		for (i = res->n; i-- > 0;)
			if ((len = strlen(res->d[i].member)) > 0 &&
			    strncmp(res->d[i].member, d[k].member, len) == 0 &&
			    (d[k].member[len] == '\0' || d[k].member[len] == '/'))
				rl_result_remove(res, i);
	}
}

int
rl_judge(const rl_rules *r, rl_arena *a, const rl_record *rec,
    const rl_context *c, const rl_check_opts *o, const rl_diag *conv,
    size_t nconv, rl_result *res)
{
	rl_record r2 = *rec;

	if (!c->looked_up) {
		r2.value = c->record;
		if (rl_check_record(r, a, &r2, o, res) == -1)
			return -1;
	} else {
		memset(res, 0, sizeof(*res));
		if (rl_check_parts(r, a, c->referral, c->patch, c->if_match,
		    c->record, o, res) == -1)
			return -1;
		res->shape = RL_SHAPE_PATCH_ONLY;
		res->id = c->id;
		if (c->referral == NULL && mark_unknown(r, a, o, res) == -1)
			return -1;
	}
	/*
	 * a member that a cell or the context reported is not reported again
	 * by the registration's check ("... is required")
	 */
	drop_repeats(res, conv, nconv);
	if (c->has_fill) {
		drop_repeats(res, &c->fill, 1);
		if (rl_csv_add_diags(r, a, o, res, &c->fill, 1) == -1)
			return -1;
	}
	if (nconv > 0 && rl_csv_add_diags(r, a, o, res, conv, nconv) == -1)
		return -1;
	/* a cell that did not convert is a change asked for: not unchanged */
	if (c->unchanged && nconv == 0 &&
	    rl_csv_add_diags(r, a, o, res, &c->note, 1) == -1)
		return -1;
	return 0;
}

static int
has_ops(const rl_result *res)
{
	return res->ops > 0;
}

int
rl_judge_patches(const rl_result *res)
{
	return res->id != NULL && has_ops(res);
}

/*
 * One batch is one upload, in input order: a record whose referral an
 * earlier accepted record (with ops) already patches meets another state
 * at the API than the one judged.  With ifMatch the earlier patch changes
 * the eTag (etag-stale: 412); without, or with "*", referral-repeated.
 */
static int
cross_record(const rl_rules *r, rl_arena *a, const rl_check_opts *o,
    rl_result *res)
{
	rl_code c;

	/* "*" matches whatever eTag the earlier patch leaves */
	if (res->if_match != NULL && !(res->if_match->u.s.len == 1 &&
	    res->if_match->u.s.ptr[0] == '*'))
		c = RL_ETAG_STALE;
	else if (has_ops(res))
		c = RL_REFERRAL_REPEATED;
	else
		return 0;   /* an empty patch without ifMatch changes nothing */
	return add_diag(a, o, res, c, rl_rules_severity(r, c),
	    c == RL_ETAG_STALE ?
	    "an earlier accepted record of this batch already patches this referral, "
	    "which changes its eTag: this ifMatch will be stale (the API would answer 412)" :
	    "an earlier accepted record of this batch already patches this referral: "
	    "this patch will meet a state that was not the one judged");
}

/*
 * apply writes the referral after the patch: a record without state has
 * none, so it cannot be accepted there.
 */
static int
needs_state(rl_arena *a, const rl_check_opts *o, rl_result *res)
{
	long i = rl_result_find(res, RL_REFERRAL_STATE_MISSING);

	if (i >= 0) {
		rl_result_regrade(res, (size_t)i, RL_SEV_ERROR);
		return 0;
	}
	return add_diag(a, o, res, RL_REFERRAL_STATE_MISSING, RL_SEV_ERROR,
	    "apply needs the referral's state: give --referrals or paired records");
}

int
rl_judge_in_order(const rl_rules *r, rl_arena *a, const rl_check_opts *o,
    int seen, int state, rl_result *res, int *accepted)
{
	if (seen && cross_record(r, a, o, res) == -1)
		return -1;
	*accepted = rl_result_accepted(res);
	if (*accepted && state && res->after == NULL) {
		if (needs_state(a, o, res) == -1)
			return -1;
		*accepted = 0;
	}
	return 0;
}

/* The string "id" of a record or of its "referral", or NULL. */
static const rl_value *
own_id(const rl_value *v)
{
	const rl_value *ref, *id;

	if (v == NULL || v->type != RL_OBJECT)
		return NULL;
	if ((ref = rl_json_get(v, "referral")) != NULL && ref->type == RL_OBJECT)
		v = ref;
	id = rl_json_get(v, "id");
	return id != NULL && id->type == RL_STRING ? id : NULL;
}

int
rl_judge_eligibility(const rl_rules *r, rl_arena *a, const rl_record *rec,
    rl_value *value, const rl_check_opts *o, rl_result *res,
    struct rl_policy_result *out)
{
	rl_record r2 = *rec;
	int rc;

	r2.value = value;
	if ((rc = rl_eligibility_record(r, a, &r2, o, res, out)) == -1)
		return -1;
	/*
	 * A record that cannot be judged still has the id the user gave it
	 * (a referral without status is a record-shape error, which names
	 * none): the lines join back to the input by id as well as by source.
	 */
	if (rc == 0 && res->id == NULL && rec->diag == NULL)
		res->id = own_id(rec->value);
	return rc;
}
