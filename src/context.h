/*
 * context.h: what a record is judged against, built in one place
 * (reflint(1), Judging): the referral's state (inline, or the --referrals
 * snapshot's for a patch-only record), the record as the policies see it
 * (its related records and the snapshot's referrals of the same
 * engagement), and what the run needs of the verdict (apply needs a
 * state).  Every fact about the referral comes from the rules' pointers.
 * Included by the batch processor and the tests; not installed.
 *
 * Ownership: everything built lives in the record's arena; the snapshot
 * and the rules are borrowed.  The module never prints: a snapshot that
 * cannot be re-read, or memory running out, is an error with its
 * diagnostic.
 */
#ifndef RL_CONTEXT_H
#define RL_CONTEXT_H

#include "arena.h"
#include "diag.h"
#include "json.h"
#include "reader.h"
#include "rules.h"
#include "snapshot.h"

typedef struct rl_context {
	/*
	 * patch-only: {"id":…,"patch":[…]} with no referral of its own,
	 * joined to the snapshot (looked_up: the snapshot was consulted;
	 * referral NULL then means the id is not in it).
	 */
	int patch_only;
	int looked_up;
	rl_value *referral;         /* the state judged against, or NULL */
	const rl_value *id, *patch, *if_match;
	/* the record for the policies: rec->value with related records added */
	rl_value *record;
	/* apply: the verdict needs the referral's state */
	int needs_state;
	/*
	 * CSV rows: ops whose cells equal the referral's values are dropped
	 * from the patch; unchanged when none is left, with its note.
	 */
	int unchanged;
	rl_diag note;
	/*
	 * A spreadsheet row of a registration profile whose solution the
	 * referral cannot give (several solutions, no cell): registration-
	 * field naming the column (has_fill).
	 */
	int has_fill;
	rl_diag fill;
} rl_context;

/* Flags of rl_context_build. */
#define RL_CONTEXT_APPLY 0x1    /* apply: the verdict needs a state */
#define RL_CONTEXT_CSV   0x2    /* a spreadsheet row (cells compared) */

/*
 * A referral looked up ahead of judging (on a reading thread): state 0
 * not looked up; 1 done, ref NULL when not there; -1 failed, diag says
 * why.
 */
typedef struct rl_prefetch {
	rl_value *ref;
	int state;
	rl_diag diag;
} rl_prefetch;

/* A patch-only record: {"id":"…","patch":[…]} without a referral. */
int rl_context_patch_only(const rl_value *v);

/*
 * Builds the context of rec for check and apply (flags above).
 * snapshot may be NULL; pre (may be NULL) is the referral looked up ahead.
 * The record's patch may be edited (CSV cells that change nothing), and
 * with it op_column, the row's map from op to cell (csvmap.h; NULL for
 * JSON records).  -1 with err filled (out of memory, a snapshot that
 * cannot be re-read).
 */
int rl_context_build(const rl_rules *, rl_snapshot *, rl_arena *,
		const rl_record *, const rl_prefetch *pre, unsigned flags,
		unsigned *op_column, rl_context *, rl_diag *err);

/*
 * After rl_context_build, for a spreadsheet row of a profile of
 * columns.json with "add" and a "solution" column (csvmap.h): when the
 * row's value has no solution id, the referral's only solution gives it
 * (the profile's pointers say where); a referral with several is
 * c->fill, naming the column.  Without the referral's state (no
 * --referrals, or an id not in it) nothing is filled.  -1 when memory
 * runs out.
 */
struct rl_csv_record;
int rl_context_csv_fill(const rl_rules *, rl_arena *,
		const struct rl_csv_record *, rl_context *);

/*
 * The record as `reflint eligibility` judges it: the record itself (or its
 * referral) with the snapshot's referrals of the engagement added.  Sets
 * *out (rec->value when there is nothing to add).  -1 with err filled.
 */
int rl_context_eligibility(const rl_rules *, rl_snapshot *, rl_arena *,
		const rl_record *, rl_value **out, rl_diag *err);

#endif /* RL_CONTEXT_H */
