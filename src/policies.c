/*
 * policies.c: the five eligibility policies of rules/dealregistration.json,
 * in the seed's order.  Money is compared as exact decimals: "value in USD
 * greater than T" is value > T x rate, multiplied out, never divided.
 *
 * Each policy passes, fails, or is unverified.  A policy that needs an
 * input from outside the referral (Microsoft's referral, incentives, an
 * exchange rate, the account type) that was not given is unverified, never
 * failed: a pre-flight check must not reject what the API may accept.
 * referralProperties and additionalProperties hold only inputs found.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "lifecycle.h"
#include "policies.h"

const char *const rl_policy_names[RL_POLICY_COUNT] = {
	"isDealTypeCosellOrPartnerLed",
	"isMicrosoftReferralAcceptedOrWon",
	"isSolutionIncentiveEligible",
	"isDealValueEligible",
	"isCustomerManaged",
};

static int
str_is(const rl_value *v, const char *s)
{
	return v != NULL && v->type == RL_STRING && s != NULL &&
	    v->u.s.len == strlen(s) && memcmp(v->u.s.ptr, s, v->u.s.len) == 0;
}

static const rl_value *
at(const rl_value *doc, const rl_pointer *p)
{
	return doc != NULL ? rl_pointer_get(doc, p) : NULL;
}

static void
prop(struct rl_policy_result *r, const char *key, const rl_value *v)
{
	struct rl_prop *p = &r->props[r->nprops++];

	p->key = key;
	if (v != NULL && (v->type == RL_STRING || v->type == RL_NUMBER)) {
		p->s = v->u.s.ptr;
		p->len = v->u.s.len;
	} else if (v != NULL && rl_json_is_bool(v)) {
		p->s = v->type == RL_TRUE ? "true" : "false";
		p->len = strlen(p->s);
	} else
		p->s = NULL;
}

static void
extra(struct rl_policy_result *r, const char *s, size_t len)
{
	r->has_extra = 1;
	if (r->nextra < RL_POLICY_EXTRA) {
		r->extra[r->nextra] = s;
		r->extra_len[r->nextra++] = len;
	}
}

static int
fail(struct rl_policy_result *r, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static int
fail(struct rl_policy_result *r, const char *fmt, ...)
{
	va_list ap;

	r->outcome = RL_POLICY_FAILED;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return 0;
}

/* Unverified: decider names the option or member that would decide it. */
static int
unverified(struct rl_policy_result *r, const char *decider, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int
unverified(struct rl_policy_result *r, const char *decider, const char *fmt, ...)
{
	va_list ap;

	r->outcome = RL_POLICY_UNVERIFIED;
	snprintf(r->decider, sizeof(r->decider), "%s", decider);
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return 0;
}

/* Input text in a message: at most max bytes, cut between characters. */
static int
cut_len(const char *s, size_t len, size_t max)
{
	size_t n = len;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return (int)n;
}

/* 1 co-sell, 2 partner-led, 0 private or unknown. */
static int
deal_kind(const struct rl_dealreg *dr, const rl_value *ref)
{
	const rl_value *t = at(ref, &dr->p_type), *c = at(ref, &dr->p_consent);

	if (str_is(t, dr->cosell))
		return 1;
	if (str_is(t, dr->partner_led) && c != NULL && c->type == RL_TRUE)
		return 2;
	return 0;
}

static int
policy_type(const rl_rules *rr, const rl_value *ref,
    const rl_value *record, const rl_inputs *in, struct rl_policy_result *r)
{
	const struct rl_dealreg *dr = &rr->dr;
	const rl_value *t = at(ref, &dr->p_type);

	(void)record;
	(void)in;
	prop(r, "type", t);
	if (deal_kind(dr, ref) != 0)
		return 0;
	if (str_is(t, dr->partner_led))
		return fail(r, "a private deal: %s without consent to share with Microsoft sellers",
		    dr->partner_led);
	return fail(r, "the deal type is neither %s nor %s with consent", dr->cosell,
	    dr->partner_led);
}

static int
matches(rl_regex *re, const rl_value *v)
{
	return v != NULL && v->type == RL_STRING &&
	    rl_regex_match(re, v->u.s.ptr, v->u.s.len) == RL_RE_MATCH;
}

/* Microsoft's copy of the referral: inline, or among the related ones. */
static const rl_value *
ms_referral(const struct rl_dealreg *dr, const rl_value *ref,
    const rl_value *record)
{
	const rl_value *m = rl_json_get(record, "microsoftReferral");
	const rl_value *rel = rl_json_get(record, "related");
	const rl_value *eng = at(ref, &dr->p_engagement);
	size_t i;

	if (m != NULL && m->type == RL_OBJECT)
		return m;
	if (rel == NULL || rel->type != RL_ARRAY)
		return NULL;
	for (i = 0; i < rel->u.a.n; i++) {
		const rl_value *x = rel->u.a.items[i], *e;

		if (x->type != RL_OBJECT)
			continue;
		e = at(x, &dr->p_engagement);
		if (eng != NULL && e != NULL && !rl_json_equal(e, eng))
			continue;
		if (matches(dr->ms_org_name, rl_json_get(x, "organizationName")) ||
		    matches(dr->ms_org_id, rl_json_get(x, "organizationId")))
			return x;
	}
	return NULL;
}

static int
policy_microsoft(const rl_rules *rr, const rl_value *ref,
    const rl_value *record, const rl_inputs *in, struct rl_policy_result *r)
{
	const struct rl_dealreg *dr = &rr->dr;
	const rl_value *m;
	struct rl_state st;
	char s[96];
	int kind = deal_kind(dr, ref);

	(void)in;
	if (kind == 2)
		return 0;   /* partner-led: no Microsoft referral to wait for */
	if (kind == 0)
		return fail(r, "a private deal has no Microsoft referral");
	if ((m = ms_referral(dr, ref, record)) == NULL)
		return unverified(r, "--referrals or related",
		    "no Microsoft referral of this engagement was given "
		    "(microsoftReferral, related or --referrals)");
	prop(r, "status", rl_json_get(m, "status"));
	prop(r, "substatus", rl_json_get(m, "substatus"));
	rl_lifecycle_state(rr, m, &st);
	if (rl_state_in(&st, dr->ms_states, dr->nms_states))
		return 0;
	return fail(r, "Microsoft's referral is %s", rl_state_text(&st, s, sizeof(s)));
}

/*
 * A solution's incentives are known when it carries them inline or the
 * catalog lists its id.  Passes when one carries the incentive; fails when
 * all are known and none does; unverified when some are unknown.  A
 * solution that is not an object cannot carry one: it counts as known.
 */
static int
policy_solution(const rl_rules *rr, const rl_value *ref,
    const rl_value *record, const rl_inputs *in, struct rl_policy_result *r)
{
	const struct rl_dealreg *dr = &rr->dr;
	const rl_value *sols = at(ref, &dr->p_solutions);
	size_t i, k, unknown = 0;

	(void)record;
	r->has_extra = 1;
	if (sols == NULL || sols->type != RL_ARRAY || sols->u.a.n == 0)
		return fail(r, "the referral has no solutions");
	for (i = 0; i < sols->u.a.n; i++) {
		const rl_value *s = sols->u.a.items[i], *id, *inc;

		if (s->type != RL_OBJECT)
			continue;
		id = rl_json_get(s, "id");
		inc = rl_json_get(s, "incentives");
		if ((inc == NULL || inc->type != RL_ARRAY) && in != NULL &&
		    in->catalog != NULL && id != NULL && id->type == RL_STRING)
			inc = rl_json_get(in->catalog, id->u.s.ptr);
		if (inc == NULL || inc->type != RL_ARRAY) {
			unknown++;
			continue;
		}
		for (k = 0; k < inc->u.a.n; k++)
			if (matches(dr->incentive, inc->u.a.items[k]))
				extra(r, inc->u.a.items[k]->u.s.ptr,
				    inc->u.a.items[k]->u.s.len);
		if (r->nextra > 0) {
			prop(r, "solutionId", id);
			prop(r, "solutionName", rl_json_get(s, "name"));
			return 0;
		}
	}
	if (unknown == sols->u.a.n)
		return unverified(r, "--catalog", "no incentives known for the "
		    "referral's solutions (neither inline incentives nor --catalog)");
	if (unknown > 0)
		return unverified(r, "--catalog", "no solution with known incentives "
		    "carries an eligible one, and %zu of %zu have none known "
		    "(neither inline incentives nor --catalog)", unknown, sols->u.a.n);
	return fail(r, "no solution carries an eligible incentive");
}

int
rl_rate(const rl_rules *rr, const rl_inputs *in, const char *cur, size_t len,
    rl_decnum *rate)
{
	const rl_value *rs, *v;
	char name[16];

	if (rr->dr.base_currency != NULL && strlen(rr->dr.base_currency) == len &&
	    memcmp(rr->dr.base_currency, cur, len) == 0) {
		rl_decnum_from_int(rate, 1, 0);
		return 1;
	}
	if (in == NULL || in->rates == NULL || len >= sizeof(name) ||
	    (rs = rl_json_get(in->rates, "rates")) == NULL)
		return 0;
	memcpy(name, cur, len);
	name[len] = '\0';
	if ((v = rl_json_get(rs, name)) == NULL || v->type != RL_NUMBER ||
	    rl_decnum_parse(rate, v->u.s.ptr, v->u.s.len) != RL_DECNUM_OK ||
	    rl_decnum_sign(rate) <= 0)
		return 0;
	return 1;
}

static int
policy_value(const rl_rules *rr, const rl_value *ref,
    const rl_value *record, const rl_inputs *in, struct rl_policy_result *r)
{
	const struct rl_dealreg *dr = &rr->dr;
	const rl_value *v = at(ref, &dr->p_deal_value), *c = at(ref, &dr->p_currency);
	rl_decnum val, t, rate;
	int ok;

	(void)record;
	prop(r, "currency", c);
	prop(r, "dealValue", v);
	if (v == NULL || (v->type != RL_NUMBER && v->type != RL_STRING) ||
	    !rl_decimal_valid(v->u.s.ptr, v->u.s.len))
		return fail(r, "the deal value is missing or not a number");
	if (c == NULL || c->type != RL_STRING)
		return fail(r, "the deal value has no currency");
	/* no rates file could hold a rate for what is not a currency code */
	if (dr->currency_format != NULL && rl_regex_match(dr->currency_format->re,
	    c->u.s.ptr, c->u.s.len) != RL_RE_MATCH)
		return fail(r, "the deal value's currency \"%.*s\" is not a currency code",
		    cut_len(c->u.s.ptr, c->u.s.len, 16), c->u.s.ptr);
	if (!rl_rate(rr, in, c->u.s.ptr, c->u.s.len, &rate)) {
		char d[32];

		snprintf(d, sizeof(d), "--rates: %.*s", (int)c->u.s.len, c->u.s.ptr);
		return unverified(r, d, "no exchange rate for %.*s was given (--rates)",
		    (int)c->u.s.len, c->u.s.ptr);
	}
	if (str_is(c, dr->base_currency))
		ok = rl_decimal_cmp(v->u.s.ptr, v->u.s.len, dr->deal_threshold.lex,
		    dr->deal_threshold.len) > 0;
	else {
		if (rl_decnum_parse(&val, v->u.s.ptr, v->u.s.len) != RL_DECNUM_OK ||
		    rl_decnum_parse(&t, dr->deal_threshold.lex, dr->deal_threshold.len) != RL_DECNUM_OK ||
		    rl_decnum_mul(&t, &t, &rate) != RL_DECNUM_OK)
			return fail(r, "the deal value is out of range");
		ok = rl_decnum_cmp(&val, &t) > 0;
	}
	if (ok)
		return 0;
	return fail(r, "the deal value %.*s %.*s is not above %.*s %s",
	    (int)v->u.s.len, v->u.s.ptr, (int)c->u.s.len, c->u.s.ptr,
	    (int)dr->deal_threshold.len, dr->deal_threshold.lex, dr->base_currency);
}

/* The pointer as member names joined by dots, for messages. */
static const char *
dotted(const rl_pointer *p, char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < p->n && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%.*s", i ? "." : "",
		    (int)p->tok[i].len, p->tok[i].s);
	return buf;
}

/* Name order of member names, as bytes, for the accounts file. */
static int
key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c != 0 ? c : an < bn ? -1 : an > bn;
}

static int
member_cmp(const void *x, const void *y)
{
	const rl_member *a = x, *b = y;

	return key_cmp(a->key, a->klen, b->key, b->klen);
}

/* The account type the accounts file gives an id (binary search), or NULL. */
static const rl_value *
account_of(const rl_value *accounts, const rl_value *id)
{
	size_t lo = 0, hi;

	if (accounts == NULL || id == NULL || id->type != RL_STRING)
		return NULL;
	hi = accounts->u.o.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const rl_member *m = &accounts->u.o.members[mid];
		int c = key_cmp(m->key, m->klen, id->u.s.ptr, id->u.s.len);

		if (c == 0)
			return m->value;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum { FROM_REFERRAL, FROM_ACCOUNTS, FROM_RECORD };

/*
 * The matched account type, from the first source that has one: the
 * referral's own member at the rules' pointer (reflint's convention, like
 * inline incentives: no API payload has it), the accounts file by referral
 * id then by engagement id, then the record's matchedAccountType, which the
 * CSV reader derives from the export's account columns.  The file comes
 * before the spreadsheet's columns: it is what the user gives on purpose
 * for this run, while an export is Microsoft's matching as of its day.
 */
static const rl_value *
account_type(const struct rl_dealreg *dr, const rl_value *ref,
    const rl_value *record, const rl_inputs *in, int *from)
{
	const rl_value *t = at(ref, &dr->p_account_type);
	const rl_value *acc = in != NULL ? in->accounts : NULL;

	if (t != NULL && t->type == RL_STRING) {
		*from = FROM_REFERRAL;
		return t;
	}
	if ((t = account_of(acc, rl_json_get(ref, "id"))) != NULL ||
	    (t = account_of(acc, at(ref, &dr->p_engagement))) != NULL) {
		*from = FROM_ACCOUNTS;
		return t;
	}
	if ((t = rl_json_get(record, "matchedAccountType")) != NULL &&
	    t->type == RL_STRING) {
		*from = FROM_RECORD;
		return t;
	}
	return NULL;
}

static int
policy_customer(const rl_rules *rr, const rl_value *ref,
    const rl_value *record, const rl_inputs *in, struct rl_policy_result *r)
{
	const struct rl_dealreg *dr = &rr->dr;
	const rl_value *m = at(ref, &dr->p_matching), *t;
	int matched = (m != NULL && m->type == RL_TRUE) || str_is(m, "true");
	int from = FROM_REFERRAL;
	char name[64], d[sizeof(r->decider)];

	r->has_extra = 1;
	prop(r, "isMatchingComplete", m);
	if ((t = account_type(dr, ref, record, in, &from)) != NULL)
		extra(r, t->u.s.ptr, t->u.s.len);
	if (!matched)
		return fail(r, "customer matching is not complete");
	dotted(&dr->p_account_type, name, sizeof(name));
	if (t == NULL) {
		snprintf(d, sizeof(d), "--accounts or %s", name);
		return unverified(r, d, "no account type was given for the matched "
		    "customer (%s, --accounts or the spreadsheet's account columns)",
		    name);
	}
	if (!str_is(t, dr->managed))
		return fail(r, "the customer account is %.*s (%s), not %s",
		    cut_len(t->u.s.ptr, t->u.s.len, 32), t->u.s.ptr,
		    from == FROM_REFERRAL ? name : from == FROM_ACCOUNTS ?
		    "--accounts" : "the spreadsheet's account columns", dr->managed);
	return 0;
}

/* One function per policy, in rl_policy_names order. */
static int (*const policies[RL_POLICY_COUNT])(const rl_rules *,
    const rl_value *, const rl_value *, const rl_inputs *,
    struct rl_policy_result *) = {
	policy_type,
	policy_microsoft,
	policy_solution,
	policy_value,
	policy_customer,
};

int
rl_policies_eval(const rl_rules *rr, const rl_value *ref,
    const rl_value *record, const rl_inputs *in,
    struct rl_policy_result out[RL_POLICY_COUNT])
{
	int i, failed = 0;

	for (i = 0; i < RL_POLICY_COUNT; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].name = rl_policy_names[i];
		out[i].outcome = RL_POLICY_PASSED;
	}
	for (i = 0; i < RL_POLICY_COUNT; i++)
		(void)policies[i](rr, ref, record, in, &out[i]);
	for (i = 0; i < RL_POLICY_COUNT; i++)
		failed += out[i].outcome == RL_POLICY_FAILED;
	return failed;
}

/*
 * An input file's error, at line (0: none), unless d holds an earlier one.
 * Returns -1.
 */
static int
input_error(rl_diag *d, unsigned long line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int
input_error(rl_diag *d, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	if (!rl_diag_wants(d))
		return -1;
	va_start(ap, fmt);
	rl_diag_vset(d, RL_RULES_ERROR, fmt, ap);
	va_end(ap);
	d->line = line;
	return -1;
}

/* Each value one of the rules' account types; then name order. */
static int
check_accounts(const rl_rules *rr, rl_value *v, rl_diag *d)
{
	const rl_value *types = rr->dr.account_types;
	char list[128];
	size_t i, k, n = 0;

	for (i = 0; i < v->u.o.n; i++) {
		const rl_member *m = &v->u.o.members[i];

		if (m->value->type == RL_STRING && rl_rules_account_type(rr,
		    m->value->u.s.ptr, m->value->u.s.len))
			continue;
		list[0] = '\0';
		for (k = 0; types != NULL && k < types->u.a.n && n < sizeof(list); k++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s\"%s\"",
			    k == 0 ? "" : k + 1 == types->u.a.n ? " or " : ", ",
			    types->u.a.items[k]->u.s.ptr);
		if (m->value->type == RL_STRING)
			return input_error(d, m->value->line,
			    "\"%.*s\": the account type must be %s, not \"%.*s\"",
			    cut_len(m->key, m->klen, 64), m->key, list,
			    cut_len(m->value->u.s.ptr, m->value->u.s.len, 64),
			    m->value->u.s.ptr);
		return input_error(d, m->value->line,
		    "\"%.*s\": the account type must be %s (a string)",
		    cut_len(m->key, m->klen, 64), m->key, list);
	}
	if (v->u.o.n > 1)
		qsort(v->u.o.members, v->u.o.n, sizeof(*v->u.o.members), member_cmp);
	return 0;
}

int
rl_inputs_check(const rl_rules *rr, int kind, rl_value *v, rl_diag *d)
{
	const rl_value *x;
	size_t i, k;

	if (v->type != RL_OBJECT)
		return input_error(d, v->line, "must hold one object");
	switch (kind) {
	case RL_CATALOG:
		for (i = 0; i < v->u.o.n; i++) {
			x = v->u.o.members[i].value;
			if (x->type != RL_ARRAY)
				goto catalog;
			for (k = 0; k < x->u.a.n; k++)
				if (x->u.a.items[k]->type != RL_STRING)
					goto catalog;
		}
		return 0;
catalog:
		return input_error(d, x->line,
		    "solution \"%s\": the incentives must be an array of strings",
		    v->u.o.members[i].key);
	case RL_RATES:
		x = rl_json_get(v, "base");
		if (x == NULL || x->type != RL_STRING ||
		    (rr->dr.base_currency != NULL && !str_is(x, rr->dr.base_currency)))
			return rl_diag_set(d, RL_RULES_ERROR,
			    "\"base\" must be \"%s\"", rr->dr.base_currency);
		if ((x = rl_json_get(v, "rates")) == NULL || x->type != RL_OBJECT)
			return rl_diag_set(d, RL_RULES_ERROR,
			    "\"rates\" must be an object: currency -> units per %s",
			    rr->dr.base_currency);
		for (i = 0; i < x->u.o.n; i++) {
			const rl_value *r = x->u.o.members[i].value;
			const rl_member *m = &x->u.o.members[i];

			if (rr->dr.currency_format != NULL &&
			    rl_regex_match(rr->dr.currency_format->re, m->key, m->klen) != RL_RE_MATCH) {
				return input_error(d, r->line,
				    "\"%s\" is not a currency", m->key);
			}
			if (r->type != RL_NUMBER ||
			    rl_decimal_cmp(r->u.s.ptr, r->u.s.len, "0", 1) <= 0) {
				return input_error(d, r->line,
				    "the rate of %s must be a number above 0", m->key);
			}
		}
		return 0;
	case RL_ACCOUNTS:
		return check_accounts(rr, v, d);
	default:
		x = rl_json_get(v, "isEligible");
		if (x == NULL || !rl_json_is_bool(x))
			return rl_diag_set(d, RL_RULES_ERROR,
			    "\"isEligible\" must be true or false");
		return 0;
	}
}

int
rl_policy_move(struct rl_policy_result *p, size_t n, rl_arena *a)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < p[i].nprops; k++)
			if (p[i].props[k].s != NULL && (p[i].props[k].s =
			    rl_arena_strndup(a, p[i].props[k].s,
			    p[i].props[k].len)) == NULL)
				return -1;
		for (k = 0; k < p[i].nextra; k++)
			if ((p[i].extra[k] = rl_arena_strndup(a, p[i].extra[k],
			    p[i].extra_len[k])) == NULL)
				return -1;
	}
	return 0;
}
