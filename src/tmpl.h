/*
 * tmpl.h: path templates (paths.json: literal tokens, {n}, *, **) and
 * matching JSON Pointers against them, an index of templates by their
 * first token, and pointer prefixes.
 * Included by rules_int.h and by the modules that match pointers against
 * the rules' templates; not installed.
 *
 * Ownership: templates and indexes borrow their tokens and arrays from
 * the rules' arena (built by the loader); nothing here allocates.
 */
#ifndef RL_TMPL_H
#define RL_TMPL_H

#include <stddef.h>
#include <stdint.h>

#include "pointer.h"

/* Kinds of template tokens (paths.json). */
enum rl_tk {
	RL_TK_LIT,     /* this exact token */
	RL_TK_INDEX,   /* {n}: 0|[1-9][0-9]* */
	RL_TK_ANY,     /* *: any one token */
	RL_TK_DEEP     /* **: last only, one or more tokens */
};

/* A path template; "-" is a literal token. */
struct rl_tmpl {
	const char *text;           /* as written, NUL-terminated */
	rl_token *tok;
	unsigned char *kind;        /* enum rl_tk per token */
	size_t n;
};

/*
 * An index of templates by their first token, so that an op is tried only
 * against the templates that could match it: buckets of template numbers,
 * ascending (first match wins keeps its meaning); a template whose first
 * token is not a literal is in every bucket.  start == NULL: no index,
 * every template is a candidate.
 */
struct rl_tindex {
	size_t mask;                /* buckets - 1 */
	uint32_t *start;            /* bucket b: idx[start[b] .. start[b + 1]) */
	uint32_t *idx;
};

/* The hash the index buckets a literal first token by. */
uint32_t rl_tmpl_hash(const char *s, size_t n);

/*
 * Template matching.  rl_tmpl_match: 1 when the pointer matches.
 * rl_tmpl_near: 1 when it would match if literal tokens were compared
 * without regard to case and with at most one edit (insertion, deletion,
 * substitution or transposition of adjacent characters) in all.
 */
int rl_tmpl_near(const struct rl_tmpl *, const rl_pointer *);
int rl_tmpl_match_tokens(const struct rl_tmpl *, const rl_pointer *);

/*
 * Inline, because every op is tried against every path template: the token
 * count and the first byte of a literal first token turn away nearly all
 * of them without a call.
 */
static inline int
rl_tmpl_match(const struct rl_tmpl *t, const rl_pointer *p)
{
	if (t->n == 0)
		return 0;
	if (t->kind[t->n - 1] == RL_TK_DEEP ? p->n < t->n : p->n != t->n)
		return 0;
	if (t->kind[0] == RL_TK_LIT && (p->tok[0].len != t->tok[0].len ||
	    (t->tok[0].len > 0 && p->tok[0].s[0] != t->tok[0].s[0])))
		return 0;
	return rl_tmpl_match_tokens(t, p);
}

/*
 * The candidates for pointer p in an index of n templates: *from and *to
 * bound positions in *list; with no index, list is NULL and the candidates
 * are 0 .. n - 1.
 */
void rl_tindex_find(const struct rl_tindex *, size_t n, const rl_pointer *p,
    const uint32_t **list, size_t *from, size_t *to);

/* 1 when pointer p is q or below it (token-wise). */
int rl_pointer_below(const rl_pointer *p, const rl_pointer *q);

#endif /* RL_TMPL_H */
