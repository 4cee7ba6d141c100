/*
 * registration.h: the registration object, the five eligibility policies
 * and partner eligibility (reflint(1), Judging).
 * Included by the state rules (staterules.c) and the tests; not installed.
 * It sees the judge only through emitter.h, so that the judge and the
 * registration rules do not include each other.
 *
 * Ownership: everything is borrowed; problems go to the emitter.
 */
#ifndef RL_REGISTRATION_H
#define RL_REGISTRATION_H

#include "emitter.h"
#include "rules_int.h"

/*
 * Judges the value of one `add /registrations/-` op (index op, path the op's
 * path member) that passed steps 2 and 3, against the referral after the
 * whole patch (after) and the whole record (record: microsoftReferral,
 * related; may be NULL).  -1 when memory runs out.
 */
int rl_registration_check(const rl_rules *, rl_emitter *, long op,
		const rl_value *path, const rl_value *reg, const rl_value *after,
		const rl_value *record, const rl_check_opts *opts);

#endif /* RL_REGISTRATION_H */
