/*
 * patch.h: RFC 6902 JSON Patch, all six operations.
 * Included by the commands, the rules engine and the tests; not installed.
 *
 * Ownership: the document is edited in place in the arena; new values are
 * allocated there.  Atomicity comes from an undo log (also in the arena), so
 * nothing is deep-copied to make a patch all-or-nothing.
 */
#ifndef RL_PATCH_H
#define RL_PATCH_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "json.h"
#include "pointer.h"

typedef enum rl_op_kind {
	RL_OP_ADD,
	RL_OP_REMOVE,
	RL_OP_REPLACE,
	RL_OP_MOVE,
	RL_OP_COPY,
	RL_OP_TEST,
	RL_OP_UNKNOWN
} rl_op_kind;

/* Kind of an op name (exact, case-sensitive). */
rl_op_kind rl_op_kind_of(const char *, size_t);
const char *rl_op_name(rl_op_kind);

typedef struct rl_undo rl_undo;

rl_undo *rl_undo_new(rl_arena *) RL_WARN_UNUSED;
/* A position in the log to roll back to. */
size_t   rl_undo_mark(const rl_undo *);
/* Undo every edit made after mark, newest first; *doc is restored too. */
void     rl_undo_rollback(rl_undo *, rl_value **doc, size_t mark);

/*
 * Apply one operation object to *doc (the root may be replaced), logging
 * each edit in undo.  On failure -1, diag filled (code patch-shape,
 * op-unsupported, op-value-missing, pointer-syntax, patch-target,
 * patch-test-failed or out-of-memory; op index left to the caller) and the
 * op's own partial edits already rolled back.
 */
int rl_patch_apply_op(rl_arena *, rl_value **doc, const rl_value *op,
		rl_undo *, rl_diag *);

/*
 * The same for an add or replace whose members the caller has already read
 * and whose path it has already parsed (the validator does both): path is
 * the "path" string, for the diagnostic's pointer.
 */
int rl_patch_apply_parsed(rl_arena *, rl_value **doc, rl_op_kind kind,
		const rl_value *path, const rl_pointer *pp,
		const rl_value *value, rl_undo *, rl_diag *);

/*
 * Apply a whole patch (an array of operation objects), all or nothing: on
 * failure -1, *doc is exactly as before, and diag names the op index (0-based),
 * the code and the pointer.
 */
int rl_patch_apply(rl_arena *, rl_value **doc, const rl_value *patch,
		rl_diag *);

#endif /* RL_PATCH_H */
