/*
 * rules_dealreg.c: the loader of dealregistration.json: the five eligibility
 * policies and the registration rules.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules_load.h"

/* ---- dealregistration.json ------------------------------------------- */

static rl_regex *
get_regex(struct rl_ld *l, const rl_value *obj, const char *name, unsigned flags,
    const char *where)
{
	const rl_value *v = rl_ld_get(l, obj, name, K_STR, 1, where);
	char w[200];

	if (v == NULL)
		return NULL;
	snprintf(w, sizeof(w), "%s.%s", where, name);
	return rl_ld_compile(l, v, flags, w);
}

static void
get_bound(struct rl_ld *l, const rl_value *obj, const char *name,
    const char *where, struct rl_bound *b)
{
	const rl_value *v = rl_ld_get(l, obj, name, K_NUM, 1, where);

	if (v != NULL) {
		b->lex = v->u.s.ptr;
		b->len = v->u.s.len;
	}
}

static const rl_value *
policy(struct rl_ld *l, const rl_value *ps, const char *name,
    const char *const *keys)
{
	const rl_value *p = rl_ld_get(l, ps, name, K_OBJ, 1, "policies");
	char where[120];

	if (p != NULL) {
		snprintf(where, sizeof(where), "policies.%s", name);
		rl_ld_only_members(l, p, where, keys);
	}
	return p;
}

static void
load_policies(struct rl_ld *l, const rl_value *ps)
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

	rl_ld_only_members(l, ps, "policies", names);
	if ((p = policy(l, ps, names[0], k1)) != NULL) {
		w = "policies.isDealTypeCosellOrPartnerLed";
		(void)rl_ld_pointer(l, p, "type", w, &dr->p_type);
		(void)rl_ld_pointer(l, p, "consent", w, &dr->p_consent);
		dr->cosell = rl_ld_str(l, p, "cosell", 1, w);
		dr->partner_led = rl_ld_str(l, p, "partnerLed", 1, w);
	}
	if ((p = policy(l, ps, names[1], k2)) != NULL) {
		w = "policies.isMicrosoftReferralAcceptedOrWon";
		(void)rl_ld_pointer(l, p, "engagementId", w, &dr->p_engagement);
		dr->ms_org_name = get_regex(l, p, "organizationName", 0, w);
		dr->ms_org_id = get_regex(l, p, "organizationId", 0, w);
		if ((x = rl_ld_get(l, p, "states", K_ARR, 1, w)) != NULL)
			rl_ld_states(l, x, w, 1, &dr->ms_states, &dr->nms_states);
	}
	if ((p = policy(l, ps, names[2], k3)) != NULL) {
		w = "policies.isSolutionIncentiveEligible";
		(void)rl_ld_pointer(l, p, "solutions", w, &dr->p_solutions);
		dr->incentive = get_regex(l, p, "incentive", RL_RE_CASELESS, w);
	}
	if ((p = policy(l, ps, names[3], k4)) != NULL) {
		w = "policies.isDealValueEligible";
		(void)rl_ld_pointer(l, p, "dealValue", w, &dr->p_deal_value);
		(void)rl_ld_pointer(l, p, "currency", w, &dr->p_currency);
		get_bound(l, p, "threshold", w, &dr->deal_threshold);
	}
	if ((p = policy(l, ps, names[4], k5)) != NULL) {
		w = "policies.isCustomerManaged";
		(void)rl_ld_pointer(l, p, "isMatchingComplete", w, &dr->p_matching);
		(void)rl_ld_pointer(l, p, "accountType", w, &dr->p_account_type);
		dr->account_types = rl_ld_strings(l, p, "accountTypes", 1, w);
		dr->managed = rl_ld_str(l, p, "managed", 1, w);
		if (dr->managed != NULL && dr->account_types != NULL &&
		    !rl_rules_account_type(l->r, dr->managed, strlen(dr->managed)))
			rl_ld_err(l, rl_json_get(p, "managed"), "%s: \"managed\": \"%s\" is not one of \"accountTypes\"",
			    w, dr->managed);
	}
}

static void
load_registration(struct rl_ld *l, const rl_value *g)
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

	rl_ld_only_members(l, g, w, keys);
	dr->reg_type = rl_ld_str(l, g, "type", 1, w);
	dr->terms = rl_ld_strings(l, g, "terms", 1, w);
	dr->finite_term = rl_ld_str(l, g, "finiteTerm", 1, w);
	dr->perpetual_term = rl_ld_str(l, g, "perpetualTerm", 1, w);
	get_bound(l, g, "perpetualYears", w, &dr->perpetual_years);
	get_bound(l, g, "daysPerYear", w, &dr->days_per_year);
	get_bound(l, g, "annualValueThreshold", w, &dr->annual_threshold);
	dr->sign_max_age_days = rl_ld_int(l, g, "signMaxAgeDays", 1, w, 0);
	dr->start_max_age_days = rl_ld_int(l, g, "startMaxAgeDays", 1, w, 0);
	dr->deployment_on = rl_ld_strings(l, g, "primaryDeploymentOn", 1, w);
	dr->pricing_model = rl_ld_strings(l, g, "pricingModel", 1, w);
	if ((x = rl_ld_get(l, g, "dateFormat", K_STR, 1, w)) != NULL)
		dr->date_format = rl_ld_format_ref(l, x, w);
	if ((x = rl_ld_get(l, g, "currencyFormat", K_STR, 1, w)) != NULL)
		dr->currency_format = rl_ld_format_ref(l, x, w);
	dr->base_currency = rl_ld_str(l, g, "baseCurrency", 1, w);
}

void
rl_ld_dealreg(struct rl_ld *l, const rl_value *doc)
{
	static const char *const top[] = { "policies", "registration", NULL };
	const rl_value *v;

	rl_ld_only_members(l, doc, "dealregistration.json", top);
	if ((v = rl_ld_get(l, doc, "policies", K_OBJ, 1, "dealregistration.json")) != NULL)
		load_policies(l, v);
	if ((v = rl_ld_get(l, doc, "registration", K_OBJ, 1, "dealregistration.json")) != NULL)
		load_registration(l, v);
}

