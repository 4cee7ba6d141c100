/*
 * regex.h: the PCRE2 wrapper for the patterns of the rule files.
 * Included by the rules loader, the value checks and the tests; not
 * installed.  Only regex.c includes pcre2.h.
 *
 * Ownership: rl_regex_new() returns a handle from rl_malloc() (PCRE2's own
 * allocations go through rl_malloc() too); rl_regex_free() releases it and
 * accepts NULL.  A handle keeps one match data block that every match
 * reuses, so a handle must not be used by two threads at once.
 *
 * Semantics, fixed for every pattern:
 * - UTF-8 mode: "." and classes match code points; \d, \w and \s stay
 *   ASCII (no PCRE2_UCP), so a phone rule's \d means 0-9 only.  \C is
 *   refused, since it could split a character.
 * - No implicit anchoring: rules write ^...$ themselves.
 * - "$" matches only at the very end of the subject (PCRE2_DOLLAR_ENDONLY),
 *   not before a final newline, so "a@b.c\n" does not pass ^...$.  A pattern
 *   that sets (?m) gets multiline "$" as usual.
 * - Subjects are (pointer, length), need not be NUL-terminated and may hold
 *   NUL bytes.  They are checked for valid UTF-8 on every match (a pass over
 *   the bytes, cheap next to parsing them): invalid UTF-8 is an error, not
 *   a mismatch, and never undefined behaviour whoever the caller is.
 *
 * Limits: every match runs under a match limit, a depth
 * limit and a heap limit, so a catastrophic pattern on a long value ends
 * in an error, not a hang.  Defaults below; ^(a+)+$ on 100 000 "a" and a
 * "b" fails in well under a second with and without JIT.  JIT is used when
 * available; it honours the match limit but not the depth limit, and when
 * it runs out of its stack the match is retried by the interpreter under
 * the depth and heap limits, so a deep match gets the same answer either
 * way.  Near the match limit the two may differ (JIT counts its steps
 * differently and can finish where the interpreter gives up).
 */
#ifndef RL_REGEX_H
#define RL_REGEX_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct rl_regex rl_regex;

/* Flags for rl_regex_new(). */
#define RL_RE_CASELESS 0x1u

/*
 * Default limits (PCRE2's own are 10 000 000, 10 000 000 and 20 GB).  The
 * depth allows about 5000 repetitions of a group, far more than any format
 * (an email, a phone, a GUID) needs.  The match data keeps the frames of
 * the deepest match so far for reuse: the heap limit bounds that too.
 */
#define RL_RE_MATCH_LIMIT   1000000u    /* backtracking steps */
#define RL_RE_DEPTH_LIMIT   10000u      /* nested backtracking frames */
#define RL_RE_HEAP_LIMIT    2048u       /* KiB for the interpreter's frames */

/* Results of rl_regex_match(); every negative value is an error. */
#define RL_RE_MATCH   1
#define RL_RE_NOMATCH 0
#define RL_RE_ERROR   (-1)   /* limit hit, invalid UTF-8 subject, ... */
#define RL_RE_NOMEM   (-2)   /* out of memory */

#define RL_RE_MSG 160

typedef struct rl_regex_error {
	int nomem;               /* 1 when the failure was out of memory */
	size_t offset;           /* byte offset in the pattern (PCRE2's) */
	char message[RL_RE_MSG]; /* PCRE2's text, NUL-terminated */
} rl_regex_error;

/*
 * Compiles (pattern, len) once, with a best-effort JIT.  On failure returns
 * NULL and fills err (when not NULL).
 */
rl_regex *rl_regex_new(const char *pattern, size_t len, unsigned flags,
    rl_regex_error *err) RL_WARN_UNUSED;
void      rl_regex_free(rl_regex *);

/*
 * RL_RE_MATCH, RL_RE_NOMATCH, or a negative value whose text
 * rl_regex_errmsg() gives until the next match on the same handle.
 */
int         rl_regex_match(rl_regex *, const char *subject, size_t len);
const char *rl_regex_errmsg(const rl_regex *);

/* Per handle; 0 keeps the current value. heap_kib is in KiB. */
void rl_regex_set_limits(rl_regex *, uint32_t match_limit,
    uint32_t depth_limit, uint32_t heap_kib);

/* 1 when the pattern runs JIT-compiled (for tests and --verbose). */
int rl_regex_jit(const rl_regex *);

/*
 * A thread that matches beside others calls begin before its first match
 * and end after its last: it then matches with match data of its own, and
 * rl_regex_errmsg() tells its own last error.  Threads that do not call
 * them share each handle's (one thread at a time).
 */
void rl_regex_thread_begin(void);
void rl_regex_thread_end(void);

#endif /* RL_REGEX_H */
