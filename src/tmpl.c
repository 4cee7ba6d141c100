/*
 * tmpl.c: matching JSON Pointers against path templates, near matches for
 * "did you mean", the template index lookup and pointer prefixes.
 */
#include "config.h"

#include <string.h>

#include "json.h"
#include "tmpl.h"

uint32_t
rl_tmpl_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;   /* FNV-1a */

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

void
rl_tindex_find(const struct rl_tindex *ix, size_t n, const rl_pointer *p,
    const uint32_t **list, size_t *from, size_t *to)
{
	size_t b;

	if (ix->start == NULL) {
		*list = NULL;
		*from = 0;
		*to = n;
		return;
	}
	*list = ix->idx;
	if (p->n == 0) {            /* "": no template has no token */
		*from = *to = 0;
		return;
	}
	b = rl_tmpl_hash(p->tok[0].s, p->tok[0].len) & ix->mask;
	*from = ix->start[b];
	*to = ix->start[b + 1];
}


static int
tok_eq(const rl_token *a, const char *s, size_t n)
{
	return a->len == n && memcmp(a->s, s, n) == 0;
}

static int
tok_match(const struct rl_tmpl *t, size_t i, const rl_token *k)
{
	size_t ix;

	switch (t->kind[i]) {
	case RL_TK_INDEX:
		return rl_pointer_index(k, &ix) == RL_INDEX_OK;
	case RL_TK_ANY:
	case RL_TK_DEEP:
		return 1;
	default:
		return tok_eq(k, t->tok[i].s, t->tok[i].len);
	}
}

/* The rest of rl_tmpl_match (tmpl.h), once the counts agree. */
int
rl_tmpl_match_tokens(const struct rl_tmpl *t, const rl_pointer *p)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!tok_match(t, i, &p->tok[i]))
			return 0;
	return 1;
}

/*
 * Caseless edit distance between a and b, capped: returns 0, 1 or 2
 * (2 meaning "more than one").  Optimal string alignment, so a transposition
 * of neighbours counts as one edit.
 */
/* the characters equal without regard to ASCII case */
#define EQ(x, y) (rl_ascii_lower((unsigned char)(x)) == \
    rl_ascii_lower((unsigned char)(y)))

static int
dist1(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j;

	if (an > bn + 1 || bn > an + 1)
		return 2;
	while (i < an && i < bn && EQ(a[i], b[i]))
		i++;
	if (i == an && i == bn)
		return 0;
	/* first difference at i: try each single edit */
	if (an == bn) {
		/* substitution */
		for (j = i + 1; j < an && EQ(a[j], b[j]); j++)
			;
		if (j == an)
			return 1;
		/* transposition */
		if (i + 1 < an && EQ(a[i], b[i + 1]) &&
		    EQ(a[i + 1], b[i])) {
			for (j = i + 2; j < an && EQ(a[j], b[j]); j++)
				;
			if (j == an)
				return 1;
		}
		return 2;
	}
	if (an > bn) {   /* deletion from a */
		for (j = i; j < bn && EQ(a[j + 1], b[j]); j++)
			;
		return j == bn ? 1 : 2;
	}
	for (j = i; j < an && EQ(a[j], b[j + 1]); j++)
		;
	return j == an ? 1 : 2;
}
#undef EQ

int
rl_tmpl_near(const struct rl_tmpl *t, const rl_pointer *p)
{
	size_t i;
	int edits = 0;

	if (t->n == 0 || t->kind[t->n - 1] == RL_TK_DEEP || p->n != t->n)
		return 0;
	for (i = 0; i < t->n; i++) {
		if (t->kind[i] != RL_TK_LIT) {
			if (!tok_match(t, i, &p->tok[i]))
				return 0;
			continue;
		}
		edits += dist1(p->tok[i].s, p->tok[i].len, t->tok[i].s, t->tok[i].len);
		if (edits > 1)
			return 0;
	}
	return 1;
}

int
rl_pointer_below(const rl_pointer *p, const rl_pointer *q)
{
	size_t i;

	if (p->n < q->n)
		return 0;
	for (i = 0; i < q->n; i++)
		if (!tok_eq(&p->tok[i], q->tok[i].s, q->tok[i].len))
			return 0;
	return 1;
}

