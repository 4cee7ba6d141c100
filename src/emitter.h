/*
 * emitter.h: what the judge's modules share: the options of a check and the
 * emitter through which a rule module adds a diagnostic to the record's
 * result (the emitter is implemented in result.c, with the counting).
 * Included by validate.h (for the options) and by the modules validate
 * walks: the value checks, the state rules and registration.c.  Not by
 * the rule loader, which knows nothing of results.
 *
 * Ownership: an emitter borrows the rules, the record's arena and the
 * result; it lives on the stack of one check.
 */
#ifndef RL_EMITTER_H
#define RL_EMITTER_H

#include <stddef.h>

#include "arena.h"
#include "datetime.h"
#include "diag.h"
#include "json.h"
#include "result.h"
#include "rules.h"

struct rl_inputs;
struct rl_policy_result;

/*
 * Operations per patch, documented in reflint(1): real
 * patches hold a handful, and even one that rewrites every patchable member
 * and fills the team and solution lists stays in the hundreds.
 */
#define RL_DEFAULT_MAX_OPS 10000

typedef struct rl_check_opts {
	rl_instant now;             /* reference time of the date rules */
	size_t max_errors;          /* diagnostics kept per record; 0 = 20 */
	size_t max_ops;             /* operations per patch; 0 = default */
	const struct rl_inputs *inputs;   /* --catalog, --rates, --accounts,
	                               --partner-eligibility; may be NULL */
} rl_check_opts;

typedef struct rl_emitter {
	const rl_rules *r;
	rl_arena *a;
	rl_result *res;
	size_t max;                 /* diagnostics kept (rl_result_max) */
	int nomem;                  /* the arena ran out: the check fails */
} rl_emitter;

/* An emitter adding to res; opts may be NULL. */
void rl_emitter_init(rl_emitter *, const rl_rules *, rl_arena *,
		rl_result *res, const rl_check_opts *opts);

/*
 * Adds a diagnostic with the severity the rules give code (none: nothing
 * is added), op index op (-1 = none), the pointer and line of path (a
 * string value, or NULL) and a formatted message, kept whole however long.
 * -1 when memory runs out (e->nomem is then set).
 */
int rl_emit(rl_emitter *, rl_code, long op, const rl_value *path,
		const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

/* Keeps a copy of the policy results (RL_POLICY_COUNT) in the result. */
int rl_emit_eligibility(rl_emitter *, const struct rl_policy_result *);

#endif /* RL_EMITTER_H */
