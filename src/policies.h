/*
 * policies.h: the five deal registration eligibility policies (reflint(1),
 * Deal registrations), their inputs (inline, --catalog, --rates, --accounts,
 * --partner-eligibility) and money conversion to the base currency.
 * Included by the judge (validate.c, registration.c, result.c), by the
 * modules that read the inputs or write eligibility (batch.c, output.c,
 * main.c) and by the tests; not installed.  It needs only rules.h, so
 * that its includers do not see the rule tables.
 *
 * Ownership: results borrow strings from the referral, the record, the
 * inputs and the rules; they live as long as those do (the record's arena).
 */
#ifndef RL_POLICIES_H
#define RL_POLICIES_H

#include <stddef.h>

#include "decnum.h"
#include "diag.h"
#include "json.h"
#include "rules.h"

/* The optional input files, parsed and checked by rl_inputs_check(). */
typedef struct rl_inputs {
	const rl_value *catalog;    /* {"SOL-1": ["incentive", ...], ...} */
	const rl_value *rates;      /* {"base":"USD","rates":{"EUR":0.92,...}} */
	const rl_value *partner;    /* {"isEligible": bool, "policies": [...]} */
	const rl_value *accounts;   /* {"referral or engagement id": "Managed"
	                               | "Unmanaged", ...}, members sorted by
	                               rl_inputs_check */
} rl_inputs;

enum { RL_CATALOG, RL_RATES, RL_PARTNER, RL_ACCOUNTS };
/*
 * Checks the shape of one input (kind RL_CATALOG, RL_RATES, RL_PARTNER or
 * RL_ACCOUNTS) against the rules (base currency, currency format, account
 * types).  -1 with a rules-error diag naming the member, and its line.
 * An accounts file's members are also put in name order, for the policies'
 * binary search: it may map every referral of a batch.
 */
int rl_inputs_check(const rl_rules *, int kind, rl_value *, rl_diag *);

#define RL_POLICY_COUNT 5
#define RL_POLICY_EXTRA 8

struct rl_prop {
	const char *key;
	const char *s;              /* NULL: the member is left out */
	size_t len;
};

/*
 * A policy passes, fails, or is unverified: it needs an input that is
 * neither in the referral nor given offline, so reflint cannot tell.
 */
enum rl_outcome {
	RL_POLICY_FAILED,
	RL_POLICY_PASSED,
	RL_POLICY_UNVERIFIED
};

struct rl_policy_result {
	const char *name;
	enum rl_outcome outcome;
	struct rl_prop props[2];    /* referralProperties: inputs found only */
	size_t nprops;
	const char *extra[RL_POLICY_EXTRA];     /* additionalProperties */
	size_t extra_len[RL_POLICY_EXTRA];
	size_t nextra;
	int has_extra;              /* write additionalProperties (maybe []) */
	char reason[192];           /* why it failed or is unverified; "" when
	                               it passed */
	char decider[64];           /* unverified: the option or member that
	                               would decide it, "--catalog" */
};

/* Names of the five policies, in the seed's order. */
extern const char *const rl_policy_names[RL_POLICY_COUNT];

/*
 * Evaluates the five policies on a referral (the state after the patch)
 * with record (microsoftReferral, related, matchedAccountType; may be
 * NULL) and the inputs.  Returns the number of failed policies (unverified
 * ones are not failed), or -1 when a pattern could not be run (out of
 * memory).
 */
int rl_policies_eval(const rl_rules *, const rl_value *referral,
		const rl_value *record, const rl_inputs *,
		struct rl_policy_result out[RL_POLICY_COUNT]);

/*
 * The n results' texts that point into the judged referral (the
 * properties' values, the additional properties) copied into a, so that
 * the results outlive that referral.  -1 when a runs out.
 */
int rl_policy_move(struct rl_policy_result *, size_t n, rl_arena *a);

/*
 * The rate of a currency in units per base-currency unit: 1 for the base
 * currency, the rates file's otherwise.  0 and *rate untouched when none.
 */
int rl_rate(const rl_rules *, const rl_inputs *, const char *cur, size_t len,
		rl_decnum *rate);

#endif /* RL_POLICIES_H */
