/*
 * validate_int.h: what the steps of the judge share about one record:
 * the facts steps 2 and 3 learnt about each op, the state read before the
 * patch, and the entry points of the value checks (values.c) and the state
 * rules (staterules.c).
 * Included only by validate.c, values.c and staterules.c.
 *
 * Ownership: everything lives in the record's arena or borrows from the
 * record and the rules.
 */
#ifndef RL_VALIDATE_INT_H
#define RL_VALIDATE_INT_H

#include <stddef.h>

#include "emitter.h"
#include "lifecycle.h"
#include "patch.h"
#include "pointer.h"
#include "rules_int.h"

/* What steps 2 and 3 learnt about one op. */
struct rl_opinfo {
	const rl_value *op;
	const rl_value *path;       /* the path member, when a string */
	const rl_value *value;      /* the value member, when there is one */
	rl_op_kind kind;
	int has_ptr;                /* p is valid */
	rl_pointer p;
	const struct rl_path *rule; /* the patchable path, when found */
	int bad;                    /* left out of step 3: an error of step 2,
	                               or an op that cannot be applied at all */
	int applied;                /* step 3 applied it */
};

/* What the state rules compare with, read before the patch. */
struct rl_before {
	struct rl_state st;
	int *irr;                   /* per irreversible rule: 1 = held before */
	const rl_value *etag;
};

/* ---- values.c --------------------------------------------------------- */

#define RL_SNIP 112

/*
 * A value as short JSON text for messages ("abc", 12, null, an object);
 * a long one is cut at a character boundary, saying how much was cut.
 */
const char *rl_snip(const rl_value *, char out[RL_SNIP]);

/*
 * The value checks of op's value v against schema s (every problem is
 * reported through e).  1 when an error-level problem was found.
 */
int rl_check_value(rl_emitter *, long op, const rl_value *path,
		const struct rl_vspec *s, const rl_value *v);

/* ---- staterules.c ----------------------------------------------------- */

/* Reads what the state rules need from the referral before the patch. */
int rl_state_before(rl_emitter *, const rl_value *referral,
		struct rl_before *b);

/*
 * Step 4 (the state rules, each entry of a table in turn) and step 5 (the
 * registrations the patch adds).  -1 when memory runs out.
 */
int rl_state_rules(rl_emitter *, const struct rl_before *,
		const rl_value *after, const struct rl_opinfo *, size_t n,
		const rl_value *if_match, const rl_value *record,
		const rl_check_opts *);

/* Names of the state rules, in the order they run, NULL-terminated. */
extern const char *const rl_state_rule_names[];

#endif /* RL_VALIDATE_INT_H */
