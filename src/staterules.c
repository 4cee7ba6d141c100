/*
 * staterules.c: step 4 of the judge, the state rules, and step 5, the
 * registrations the patch adds.  Each rule is a small function, and one
 * loop walks the table of them in order (the order is the order of the
 * diagnostics).  What the rules compare (pairs, transitions, irreversible
 * members, limits, unique members) is data: rules/lifecycle.json.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "registration.h"
#include "validate_int.h"

/* ---- helpers ---------------------------------------------------------- */

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
state_op(const rl_rules *r, const struct rl_opinfo *oi, size_t n,
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
state_op_left_out(rl_emitter *e, const struct rl_opinfo *oi, size_t n)
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
irr_op(const struct rl_opinfo *oi, size_t n, const rl_pointer *p)
{
	size_t i = n;

	while (i-- > 0)
		if (oi[i].applied && rl_pointer_below(&oi[i].p, p))
			return (long)i;
	return -1;
}

static const rl_value *
irr_path(const struct rl_opinfo *oi, size_t n, const rl_pointer *p)
{
	long i = irr_op(oi, n, p);

	return i >= 0 ? oi[i].path : NULL;
}

/*
 * What every state rule sees: the record's ops, the state before and
 * after the patch, and what was judged of the change of state (moved: the
 * change is judged at all, verdict: rl_lifecycle_judge, sop and spath: the
 * op named for it).
 */
struct sctx {
	rl_emitter *e;
	const struct rl_lifecycle *lc;
	const struct rl_before *b;
	const rl_value *after;
	const struct rl_opinfo *oi;
	size_t n;
	const rl_value *if_match, *record;
	const rl_check_opts *opts;
	struct rl_state st;         /* after the patch */
	int was_closed;             /* before the patch */
	int moved;
	rl_code verdict;
	long sop;
	const rl_value *spath;
	char s1[96], s2[96];        /* the states in words, for messages */
};

#define S1(c) rl_state_text(&(c)->b->st, (c)->s1, sizeof((c)->s1))
#define S2(c) rl_state_text(&(c)->st, (c)->s2, sizeof((c)->s2))

/* ---- the rules -------------------------------------------------------- */

/* A closed referral accepts only registration ops, if any. */
static int
rule_closed(struct sctx *c)
{
	const rl_rules *r = c->e->r;
	size_t i;

	if (c->n == 0 || !c->was_closed)
		return 0;
	for (i = 0; i < c->n; i++)
		if (!rl_lifecycle_closed_accepts(r, &c->b->st,
		    c->oi[i].has_ptr ? &c->oi[i].p : NULL))
			return rl_emit(c->e, RL_REFERRAL_CLOSED, (long)i,
			    c->oi[i].path, rl_state_in(&c->b->st,
			    c->lc->closed_states, c->lc->nclosed_states) ?
			    "the referral is %s: only deal registration ops are accepted" :
			    "the referral is %s: it accepts no changes", S1(c));
	return 0;
}

/* A registration added by a patch that closes the referral otherwise. */
static int
rule_closing(struct sctx *c)
{
	const struct rl_opinfo *oi = c->oi;
	size_t i;

	if (c->n == 0 || c->was_closed || !rl_lifecycle_terminal(c->e->r, &c->st) ||
	    rl_state_in(&c->st, c->lc->closed_states, c->lc->nclosed_states))
		return 0;
	for (i = 0; i < c->n; i++)
		if (oi[i].applied && oi[i].kind == RL_OP_ADD &&
		    rl_tmpl_match(&c->lc->reg_add, &oi[i].p))
			return rl_emit(c->e, RL_REFERRAL_CLOSED, (long)i, oi[i].path,
			    "a deal registration cannot be added to a referral that the patch leaves %s",
			    S2(c));
	return 0;
}

/* The new state is a valid pair, not system-only, and a listed transition. */
static int
rule_transition(struct sctx *c)
{
	if (!c->moved)
		return 0;
	switch (c->verdict) {
	case RL_STATUS_PAIR:
		return rl_emit(c->e, c->verdict, c->sop, c->spath,
		    "status and substatus after the patch, %s, are not a valid pair",
		    S2(c));
	case RL_TRANSITION_SYSTEM_ONLY:
		return rl_emit(c->e, c->verdict, c->sop, c->spath,
		    "only the system moves a referral to %s", S2(c));
	case RL_TRANSITION:
		return rl_emit(c->e, c->verdict, c->sop, c->spath,
		    "a referral cannot go from %s to %s", S1(c), S2(c));
	default:
		return 0;
	}
}

/* Some states want a reason (only asked of a change that is otherwise fine). */
static int
rule_reason(struct sctx *c)
{
	const rl_value *v;

	if (!c->moved || c->verdict == RL_STATUS_PAIR ||
	    c->verdict == RL_TRANSITION_SYSTEM_ONLY ||
	    c->verdict == RL_TRANSITION ||
	    !rl_state_in(&c->st, c->lc->reason_required, c->lc->nreason_required))
		return 0;
	v = at(c->after, &c->lc->reason);
	if (v != NULL && v->type == RL_STRING && v->u.s.len > 0)
		return 0;
	return rl_emit(c->e, RL_STATUS_REASON_REQUIRED, c->sop, c->spath,
	    "a referral moved to %s should carry a statusReason", S2(c));
}

/* Won too soon after creation: a registration is then likely refused. */
static int
rule_won_too_soon(struct sctx *c)
{
	const struct rl_lifecycle *lc = c->lc;
	const rl_value *v;
	rl_instant created;

	if (!c->moved || c->verdict != RL_OK || !lc->has_won ||
	    !rl_state_equal(&c->st, &lc->won_state) ||
	    (v = at(c->after, &lc->created)) == NULL || v->type != RL_STRING)
		return 0;
	if (rl_datetime_parse(v->u.s.ptr, v->u.s.len, &created) == 0 &&
	    rl_instant_cmp_span(c->opts->now, created,
	    (int64_t)lc->won_hours * 3600) < 0)
		return rl_emit(c->e, RL_WON_TOO_SOON, c->sop, c->spath,
		    "marked %s less than %ld hours after it was created (%s): "
		    "a deal registration is then likely to be rejected",
		    S2(c), lc->won_hours, v->u.s.ptr);
	return 0;
}

/* A member that held its value before keeps it (consent, on every referral). */
static int
rule_irreversible(struct sctx *c)
{
	const struct rl_lifecycle *lc = c->lc;
	const rl_value *v;
	size_t k;

	for (k = 0; k < lc->nirr; k++) {
		if (!c->b->irr[k])
			continue;       /* not held before: nothing to keep */
		v = at(c->after, &lc->irr[k].p);
		if ((v == NULL || !rl_json_is_bool(v) ||
		    (v->type == RL_TRUE) != lc->irr[k].value) &&
		    rl_emit(c->e, RL_CONSENT_IRREVERSIBLE,
		    irr_op(c->oi, c->n, &lc->irr[k].p),
		    irr_path(c->oi, c->n, &lc->irr[k].p),
		    "%s was %s and cannot change back", lc->irr[k].text,
		    lc->irr[k].value ? "true" : "false") == -1)
			return -1;
	}
	return 0;
}

/* Arrays the patch grows stay within their limit. */
static int
rule_limits(struct sctx *c)
{
	const struct rl_lifecycle *lc = c->lc;
	const struct rl_opinfo *oi = c->oi;
	const rl_value *v;
	size_t i, k;

	for (k = 0; k < lc->nlim; k++) {
		long last = -1;

		/*
		 * The ops that grew the array: an add of one item, or an add
		 * or replace of the whole array.  The last of them is named.
		 */
		for (i = 0; i < c->n; i++)
			if (oi[i].applied &&
			    (oi[i].p.n == lc->lim[k].p.n ||
			    (oi[i].kind == RL_OP_ADD &&
			    oi[i].p.n == lc->lim[k].p.n + 1)) &&
			    rl_pointer_below(&oi[i].p, &lc->lim[k].p))
				last = (long)i;
		if (last < 0)
			continue;
		v = at(c->after, &lc->lim[k].p);
		if (v != NULL && v->type == RL_ARRAY && v->u.a.n > lc->lim[k].max &&
		    rl_emit(c->e, lc->lim[k].code, last, oi[last].path,
		    "%s would hold %zu items; at most %lu are allowed",
		    lc->lim[k].text, v->u.a.n, lc->lim[k].max) == -1)
			return -1;
	}
	return 0;
}

static int
same_member(const struct rl_unique *uq, const rl_value *x, const rl_value *y)
{
	if (y == NULL || y->type != RL_STRING)
		return 0;
	return uq->caseless ? rl_ascii_caseeq(x->u.s.ptr, x->u.s.len,
	    y->u.s.ptr, y->u.s.len) : (x->u.s.len == y->u.s.len &&
	    memcmp(x->u.s.ptr, y->u.s.ptr, x->u.s.len) == 0);
}

/* The items of an array the patch touches differ in one member. */
static int
rule_unique(struct sctx *c)
{
	const struct rl_lifecycle *lc = c->lc;
	size_t i, j, k;

	for (k = 0; k < lc->nuniq; k++) {
		const struct rl_unique *uq = &lc->uniq[k];
		const rl_value *v;
		int touched = 0;

		for (i = 0; i < c->n; i++)
			if (c->oi[i].applied && rl_pointer_below(&c->oi[i].p, &uq->p))
				touched = 1;
		if (!touched || (v = at(c->after, &uq->p)) == NULL ||
		    v->type != RL_ARRAY)
			continue;
		/* a bound on the quadratic scan; limits cap the arrays anyway */
		for (i = 1; i < v->u.a.n && i < 4096; i++) {
			const rl_value *x = rl_json_get(v->u.a.items[i], uq->member);
			char q[RL_SNIP];

			if (x == NULL || x->type != RL_STRING)
				continue;
			for (j = 0; j < i; j++)
				if (same_member(uq, x,
				    rl_json_get(v->u.a.items[j], uq->member)))
					break;
			if (j == i)
				continue;
			if (rl_emit(c->e, uq->code, -1, NULL,
			    "items %zu and %zu of %s share %s %s", j, i,
			    uq->text, uq->member, rl_snip(x, q)) == -1)
				return -1;
			break;
		}
	}
	return 0;
}

/* ifMatch against the referral's eTag. */
static int
rule_etag(struct sctx *c)
{
	if (c->if_match == NULL || c->b->etag == NULL)
		return 0;
	return check_etag(c->e, c->if_match, c->b->etag);
}

/*
 * Step 5: each registration the patch adds, whatever step 4 found: on a
 * referral that is or is left closed but not won, referral-closed is
 * reported above, and the registration's own problems still are.
 */
static int
rule_registrations(struct sctx *c)
{
	const struct rl_opinfo *oi = c->oi;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (oi[i].applied && oi[i].kind == RL_OP_ADD &&
		    rl_tmpl_match(&c->lc->reg_add, &oi[i].p) &&
		    rl_registration_check(c->e->r, c->e, (long)i, oi[i].path,
		    oi[i].value, c->after, c->record, c->opts) == -1)
			return -1;
	return 0;
}

/* ---- the table -------------------------------------------------------- */

static int (*const rules[])(struct sctx *) = {
	rule_closed,
	rule_closing,
	rule_transition,
	rule_reason,
	rule_won_too_soon,
	rule_irreversible,
	rule_limits,
	rule_unique,
	rule_etag,
	rule_registrations,
};

const char *const rl_state_rule_names[] = {
	"closed", "closing", "transition", "reason", "won-too-soon",
	"irreversible", "limits", "unique", "etag", "registrations", NULL
};

int
rl_state_before(rl_emitter *e, const rl_value *referral, struct rl_before *b)
{
	const struct rl_lifecycle *lc = &e->r->lc;
	size_t k;

	memset(b, 0, sizeof(*b));
	rl_lifecycle_state(e->r, referral, &b->st);
	if ((b->irr = rl_arena_alloc(e->a, (lc->nirr + 1) * sizeof(*b->irr))) == NULL)
		return -1;
	for (k = 0; k < lc->nirr; k++) {
		const rl_value *v = at(referral, &lc->irr[k].p);

		b->irr[k] = v != NULL && rl_json_is_bool(v) &&
		    (v->type == RL_TRUE) == lc->irr[k].value;
	}
	b->etag = at(referral, &lc->etag);
	if (b->etag != NULL && b->etag->type != RL_STRING)
		b->etag = NULL;
	return 0;
}

int
rl_state_rules(rl_emitter *e, const struct rl_before *b,
    const rl_value *after, const struct rl_opinfo *oi, size_t n,
    const rl_value *if_match, const rl_value *record,
    const rl_check_opts *opts)
{
	struct sctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.e = e;
	c.lc = &e->r->lc;
	c.b = b;
	c.after = after;
	c.oi = oi;
	c.n = n;
	c.if_match = if_match;
	c.record = record;
	c.opts = opts;
	rl_lifecycle_state(e->r, after, &c.st);
	c.was_closed = rl_lifecycle_terminal(e->r, &b->st);
	/*
	 * A change of state of an open referral is judged unless an op on
	 * status or substatus was left out (its own code says why).
	 */
	c.moved = n > 0 && !c.was_closed && !rl_state_equal(&b->st, &c.st) &&
	    !state_op_left_out(e, oi, n);
	if (c.moved) {
		c.verdict = rl_lifecycle_judge(e->r, &b->st, &c.st);
		c.sop = state_op(e->r, oi, n, &c.spath);
	}
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i](&c) == -1)
			return -1;
	return e->nomem ? -1 : 0;
}
