/*
 * judge.h: the verdict of one record from its context (reflint(1),
 * Judging): the checks of validate.h on the state the context found, the
 * spreadsheet row's own diagnostics, a patch-only id the snapshot lacks,
 * and, in input order, the rules that span records of one batch.
 * Included by the batch processor and the tests; not installed.
 *
 * Ownership: as validate.h: the result lives in the record's arena.
 * Every function returns -1 only when memory runs out.
 */
#ifndef RL_JUDGE_H
#define RL_JUDGE_H

#include "context.h"
#include "validate.h"

struct rl_policy_result;

/*
 * check and apply: judges rec against c into res.  conv (n of them): the
 * cells of a spreadsheet row that did not convert, put first; a row that
 * converted and changes nothing gets the context's csv-unchanged note.
 */
int rl_judge(const rl_rules *, rl_arena *, const rl_record *,
		const rl_context *, const rl_check_opts *, const rl_diag *conv,
		size_t nconv, rl_result *res);

/*
 * In input order, once per judged record of check and apply: seen says
 * that an earlier accepted record of the batch already patches this id
 * (etag-stale or referral-repeated, reflint(1)); needs_state that the
 * verdict needs the referral's state (apply).  *accepted gets the verdict.
 */
int rl_judge_in_order(const rl_rules *, rl_arena *, const rl_check_opts *,
		int seen, int needs_state, rl_result *res, int *accepted);

/* 1 when an accepted record with this result patches its referral. */
int rl_judge_patches(const rl_result *);

/*
 * eligibility: the five policies on value (the record as the context
 * built it).  1 when out was filled, 0 when the record cannot be judged
 * (res says why), -1 when memory runs out.
 */
int rl_judge_eligibility(const rl_rules *, rl_arena *, const rl_record *,
		rl_value *value, const rl_check_opts *, rl_result *res,
		struct rl_policy_result *out);

#endif /* RL_JUDGE_H */
