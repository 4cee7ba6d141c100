/*
 * result.h: the verdict of one record: the diagnostics kept, their counts
 * by severity, the worst severity and the per-record cap on kept
 * diagnostics.
 * Included by validate.h and emitter.h, by the modules that add to a result
 * after the check (csvmap.c, batch.c) and by the writers that read one.
 *
 * Ownership: a result and its diagnostics live in the record's arena and
 * die with it.  Only result.c changes a result's list and counts: every
 * diagnostic is added, removed or regraded through the functions below,
 * so that errors + warnings + infos always equal the kept diagnostics
 * plus the dropped ones.
 */
#ifndef RL_RESULT_H
#define RL_RESULT_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "json.h"
#include "rules.h"

struct rl_policy_result;

/* Diagnostics kept per record when the options say 0 (reflint(1)). */
#define RL_DEFAULT_MAX_ERRORS 20

enum rl_shape {
	RL_SHAPE_NONE,              /* not a usable record (see the diagnostics) */
	RL_SHAPE_PAIRED,            /* {"referral":{...},"patch":[...]} */
	RL_SHAPE_PATCH_ONLY         /* {"id":"...","patch":[...]} */
};

typedef struct rl_result {
	enum rl_shape shape;
	const rl_value *id;         /* string, or NULL when unknown */
	const rl_value *patch;      /* the record's patch (array) or NULL */
	size_t ops;                 /* its operations; 0 when not an array */
	/*
	 * The accepted line (rl_out_accepted) rendered where the record was
	 * judged, when rl_result_move took the patch's place with it; NULL
	 * otherwise.
	 */
	const char *line;
	size_t line_len;
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

/* The cap on kept diagnostics for an option value (0 = the default). */
size_t rl_result_max(size_t max_errors);

/*
 * Counts a diagnostic of severity sev in res and returns the slot to fill
 * (zeroed but for code, severity and op -1), or NULL: sev is none, or max
 * diagnostics are kept already (the rest are counted in dropped), or, with
 * *nomem set, the arena ran out.
 */
rl_diag *rl_result_add(rl_result *res, rl_arena *, size_t max, rl_code,
		rl_severity sev, int *nomem);

/*
 * The same with a message of the whole record (msg, NUL-terminated,
 * copied).  -1 when the arena runs out.
 */
int rl_result_add_text(rl_result *res, rl_arena *, size_t max, rl_code,
		rl_severity sev, const char *msg);

/*
 * Puts n diagnostics in front of the kept ones, each with its severity
 * from the rules (--severity, --disable; a disabled one is left out) and
 * its message mended to UTF-8; what exceeds max is dropped from the end.
 * -1 when the arena runs out.
 */
int rl_result_prepend(rl_result *res, rl_arena *, size_t max,
		const rl_rules *, const rl_diag *d, size_t n);

/* Index of the first kept diagnostic with this code, or -1. */
long rl_result_find(const rl_result *, rl_code);

/* Removes kept diagnostic i and takes it out of the counts. */
void rl_result_remove(rl_result *, size_t i);

/*
 * Copies into a what res points to in the arena it was judged in, so that
 * the record's values and that arena may go while the result waits to be
 * written (parallel.h): the id, the ifMatch, the kept diagnostics and
 * their long texts, the policies.  With apply, the patch and the referral
 * after it are copied; otherwise after becomes NULL and the patch gives
 * way to its accepted line, rendered now (line) when res is accepted:
 * the rules of input order may reject it, but not accept it, nor change
 * what the line holds.  -1 when memory runs out.
 */
int rl_result_move(rl_result *res, rl_arena *a, int apply);

/* Gives kept diagnostic i another severity (not none), counts included. */
void rl_result_regrade(rl_result *, size_t i, rl_severity);

/* Adds one to by_code[code] for each kept diagnostic. */
void rl_result_tally(const rl_result *, unsigned long by_code[RL_CODE_COUNT]);

#endif /* RL_RESULT_H */
