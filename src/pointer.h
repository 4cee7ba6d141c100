/*
 * pointer.h: RFC 6901 JSON Pointer.
 * Included by the patch engine, the rules engine and the tests; not installed.
 *
 * Ownership: a parsed pointer and its unescaped tokens live in the arena
 * given to rl_pointer_parse.
 */
#ifndef RL_POINTER_H
#define RL_POINTER_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "json.h"

typedef struct rl_token {
	const char *s;      /* unescaped (~1 -> '/', ~0 -> '~') */
	size_t len;
} rl_token;

typedef struct rl_pointer {
	rl_token *tok;
	size_t n;           /* 0 = the whole document ("") */
} rl_pointer;

/* -1 with a pointer-syntax diag when (s, len) is not a pointer. */
int rl_pointer_parse(rl_arena *, const char *s, size_t len, rl_pointer *,
		rl_diag *);

/*
 * Reading a token as an array index: RL_INDEX_OK with *i set for
 * 0|[1-9][0-9]*, RL_INDEX_END for "-", RL_INDEX_BAD otherwise (leading
 * zeros, signs, anything else, or too large).
 */
enum { RL_INDEX_OK, RL_INDEX_END, RL_INDEX_BAD };
int rl_pointer_index(const rl_token *, size_t *i);

/* The value at the pointer, or NULL when there is none. */
rl_value *rl_pointer_get(const rl_value *doc, const rl_pointer *);

/* Writes the pointer back in RFC 6901 form (escaping ~ and /). */
int rl_pointer_format(rl_buf *, const rl_pointer *);
/* Appends "/" and one escaped token, for building pointers. */
int rl_pointer_append(rl_buf *, const char *tok, size_t len);

#endif /* RL_POINTER_H */
