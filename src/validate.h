/*
 * validate.h: judging one record (reflint(1), Judging).
 * Included by the commands and the tests; not installed.
 *
 * validate is the only code that judges: the result (result.h) is filled
 * here and by the rule modules it walks (emitter.h); the modules that run
 * after it add to the result only through result.h.
 *
 * Ownership: a result and its diagnostics live in the record's arena and
 * die with it.  The record's referral is edited in place (the patch is
 * applied to it); the patch itself is only read.
 */
#ifndef RL_VALIDATE_H
#define RL_VALIDATE_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "emitter.h"
#include "json.h"
#include "reader.h"
#include "result.h"
#include "rules.h"

struct rl_policy_result;

/*
 * Judges one record as the reader delivered it: shape, each op, the patch
 * applied, the state rules.  -1 only when memory runs out; problems of the
 * record are diagnostics in res.
 */
int rl_check_record(const rl_rules *, rl_arena *, const rl_record *,
		const rl_check_opts *, rl_result *res);

/*
 * The same from the parts: referral (edited in place; NULL = no state:
 * stateless checks and a referral-state-missing warning), patch (any value;
 * not an array is record-shape), if_match (may be NULL), record (the whole
 * record, for the inputs of the policies; may be NULL).
 */
int rl_check_parts(const rl_rules *, rl_arena *, rl_value *referral,
		const rl_value *patch, const rl_value *if_match,
		const rl_value *record, const rl_check_opts *, rl_result *res);

/*
 * For `reflint eligibility`: the five policies on a referral record (an
 * object with "status" and no "patch") or on a paired record's referral
 * after its patch (problems of the patch are in res).  1 when out was
 * filled, 0 when the record cannot be judged (res says why: no state,
 * syntax, shape), -1 when memory runs out.
 */
int rl_eligibility_record(const rl_rules *, rl_arena *, const rl_record *,
		const rl_check_opts *, rl_result *res,
		struct rl_policy_result *out);

#endif /* RL_VALIDATE_H */
