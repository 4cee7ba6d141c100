/*
 * lifecycle.h: the status/substatus lifecycle: valid pairs, the transition
 * table, terminal and system-only states (reflint(1), Judging).  The table
 * itself is data: rules/lifecycle.json.
 * Included by the judge (validate_int.h), the policies, the registration
 * rules and the tests; not installed.
 *
 * Ownership: states borrow their strings from the referral or the rules.
 */
#ifndef RL_LIFECYCLE_H
#define RL_LIFECYCLE_H

#include "rules_int.h"

/* The referral's state; members NULL when absent or not strings. */
void rl_lifecycle_state(const rl_rules *, const rl_value *referral,
		struct rl_state *out);

/* "Status/Substatus", or "?" for a missing part, into buf. */
const char *rl_state_text(const struct rl_state *, char *buf, size_t size);

int rl_state_equal(const struct rl_state *, const struct rl_state *);
/* 1 when s is one of the valid pairs. */
int rl_lifecycle_valid(const rl_rules *, const struct rl_state *);
/* 1 when s's status is terminal (Closed). */
int rl_lifecycle_terminal(const rl_rules *, const struct rl_state *);
/* 1 when s is one of the states in list (n entries). */
int rl_state_in(const struct rl_state *s, const struct rl_state *list,
		size_t n);

/*
 * Judges a change of state from -> to (they differ): RL_OK, RL_STATUS_PAIR
 * (to is not a valid pair), RL_TRANSITION_SYSTEM_ONLY (to is set by the
 * system only) or RL_TRANSITION (not in the table).
 */
rl_code rl_lifecycle_judge(const rl_rules *, const struct rl_state *from,
		const struct rl_state *to);

/*
 * 1 when a referral in state s, which is terminal, accepts an op on path p
 * (a Closed/Won referral accepts registration ops).  p NULL: an op without
 * a usable path, never accepted.
 */
int rl_lifecycle_closed_accepts(const rl_rules *, const struct rl_state *s,
		const rl_pointer *p);

#endif /* RL_LIFECYCLE_H */
