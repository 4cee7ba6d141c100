/*
 * validate.h: judging one record (reflint(1), Judging).
 * Included by the commands and the tests; not installed.
 *
 * Ownership: a result and its diagnostics live in the record's arena and
 * die with it.  The record's referral is edited in place (the patch is
 * applied to it); the patch itself is only read.
 */
#ifndef RL_VALIDATE_H
#define RL_VALIDATE_H

#include <stddef.h>

#include "arena.h"
#include "datetime.h"
#include "diag.h"
#include "json.h"
#include "reader.h"
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

enum rl_shape {
	RL_SHAPE_NONE,              /* not a usable record (see the diagnostics) */
	RL_SHAPE_PAIRED,            /* {"referral":{...},"patch":[...]} */
	RL_SHAPE_PATCH_ONLY         /* {"id":"...","patch":[...]} */
};

typedef struct rl_result {
	enum rl_shape shape;
	const rl_value *id;         /* string, or NULL when unknown */
	const rl_value *patch;      /* the record's patch (array) or NULL */
	const rl_value *if_match;   /* string or NULL */
	rl_value *after;            /* the referral after the applied ops, or NULL */
	rl_diag *d;                 /* kept diagnostics, in the order found */
	size_t n, cap;
	size_t dropped;             /* found beyond max_errors */
	size_t errors, warnings, infos;   /* counts of all found, kept or not */
	rl_severity worst;
	/* the five policies, when a registration was judged (the last one) */
	const struct rl_policy_result *eligibility;
} rl_result;

/* Accepted: no diagnostic of severity error. */
#define rl_result_accepted(r) ((r)->errors == 0)

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
 * Counts a diagnostic of severity sev in res and returns the slot to fill
 * (zeroed but for code, severity and op -1), or NULL: sev is none, or max
 * diagnostics are kept already (the rest are counted in dropped), or, with
 * *nomem set, the arena ran out.
 */
rl_diag *rl_result_add(rl_result *res, rl_arena *, size_t max, rl_code,
		rl_severity sev, int *nomem);

/* Adds a diagnostic (for modules that judge part of a record). */
typedef struct rl_emitter rl_emitter;
int rl_emit(rl_emitter *, rl_code, long op, const rl_value *path,
		const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

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

/* Keeps a copy of the policy results (RL_POLICY_COUNT) in the result. */
int rl_emit_eligibility(rl_emitter *, const struct rl_policy_result *);

#endif /* RL_VALIDATE_H */
