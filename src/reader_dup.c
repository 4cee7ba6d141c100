/*
 * reader_dup.c: duplicate member names (reader_int.h), exact or, unless
 * the reader is told that case matters, under ASCII case folding.
 *
 * Security (README): ASP.NET Core's binding and Newtonsoft match member
 * names case-insensitively, so "Path" beside "path" is one member to the
 * API (the last wins) and two to us.  Such names are duplicates too.
 */
#include "config.h"

#include <string.h>

#include "pointer.h"
#include "reader_int.h"

/*
 * The column where a member name began, from the piece that holds it: exact
 * unless the name was written with escapes.
 */
static void
count_key(struct rl_reader *r, struct keypos *kp, const char *key, size_t klen)
{
	unsigned long col, quoted;

	if (kp->col != 0)
		return;
	col = col_at(r, (size_t)(kp->off - r->g));
	quoted = nchars((const unsigned char *)key, klen) + 2;
	kp->col = col > quoted ? col - quoted : 1;
}

/*
 * The piece is about to go: count the columns of the names it holds.  The
 * entries are in the order the names came.
 */
void
rl_rd_resolve_keys(struct rl_reader *r)
{
	size_t j;

	if (!r->building) {
		r->counted = 0;
		return;
	}
	for (j = r->counted; j < r->nent; j++)
		if (r->ent[j].key != NULL)
			count_key(r, &r->ent[j].kp, r->ent[j].key,
			    r->ent[j].klen);
	r->counted = r->nent;
}

/*
 * A name's signature: its length and its first and last bytes, folded when
 * fold is set.  Equal names have equal signatures, so the full comparison
 * runs only for the rare pairs whose signatures agree.
 */
static inline uint32_t
name_sig(const struct ent *e, int fold_case)
{
	const unsigned char *k = (const unsigned char *)e->key;
	uint32_t first, last;

	if (e->klen == 0)
		return 0;
	first = fold_case ? (uint32_t)rl_ascii_lower(k[0]) : k[0];
	last = fold_case ? (uint32_t)rl_ascii_lower(k[e->klen - 1]) :
	    k[e->klen - 1];
	return (uint32_t)(e->klen & 0xffff) << 16 | first << 8 | last;
}

int
rl_rd_same_name(const struct ent *a, const struct ent *b, int fold_case)
{
	if (a->klen != b->klen)
		return 0;
	if (fold_case)
		return rl_ascii_caseeq(a->key, a->klen, b->key, b->klen);
	return memcmp(a->key, b->key, a->klen) == 0;
}

/*
 * The first of the n members whose name equals an earlier one's (under
 * ASCII case folding when fold_case), *prev that earlier one; -1 when there
 * is none, -2 when memory runs out.  One pass: exact duplicates are found
 * by it too.
 */
long
rl_rd_find_dup(struct rl_reader *r, const struct ent *e, size_t n, int fold_case,
    size_t *prev)
{
	uint32_t sig[16], *table, *sigs, h;
	size_t i, j, size, slot;

	if (n <= 16) {
		for (i = 0; i < n; i++) {
			sig[i] = name_sig(&e[i], fold_case);
			for (j = 0; j < i; j++)
				if (sig[j] == sig[i] &&
				    rl_rd_same_name(&e[i], &e[j], fold_case)) {
					*prev = j;
					return (long)i;
				}
		}
		return -1;
	}
	/* Open addressing over member indices + 1 (0 = empty). */
	for (size = 32; size < 2 * n; size *= 2)
		;
	if ((table = alloc(r, size * sizeof(*table))) == NULL ||
	    (sigs = alloc(r, n * sizeof(*sigs))) == NULL)
		return -2;
	memset(table, 0, size * sizeof(*table));
	for (i = 0; i < n; i++) {
		sigs[i] = name_sig(&e[i], fold_case);
		h = sigs[i] * 2654435761u;
		for (slot = (h >> 8) & (size - 1); table[slot] != 0;
		    slot = (slot + 1) & (size - 1)) {
			j = table[slot] - 1;
			if (sigs[j] == sigs[i] &&
			    rl_rd_same_name(&e[i], &e[j], fold_case)) {
				*prev = j;
				return (long)i;
			}
		}
		table[slot] = (uint32_t)(i + 1);
	}
	return -1;
}

/*
 * The pointer of member e of the innermost container, for the diagnostic;
 * prev, when not NULL, is the earlier member whose name differs from e's
 * only by case.
 */
int
rl_rd_dup_diag(struct rl_reader *r, struct ent *e, const struct ent *prev)
{
	const struct frame *f;
	const struct ent *k;
	const char *ptr;
	size_t i;

	rl_buf_clear(&r->tmp);
	for (i = 0; i + 1 < r->nfr; i++) {
		f = &r->fr[i];
		if (f->object) {
			/* the name whose value is the next container */
			k = &r->ent[r->fr[i + 1].base - 1];
			if (rl_pointer_append(&r->tmp, k->key, k->klen) == -1)
				return -1;
		} else if (rl_buf_putc(&r->tmp, '/') == -1 ||
		    rl_buf_putu(&r->tmp, r->fr[i + 1].base - f->base) == -1)
			return -1;
	}
	if (rl_pointer_append(&r->tmp, e->key, e->klen) == -1 ||
	    (ptr = rl_buf_cstr(&r->tmp)) == NULL)
		return -1;
	count_key(r, &e->kp, e->key, e->klen);
	/*
	 * The record's first duplicate (the caller asks only while r->dup is
	 * 0): what r->diag holds is an earlier record's.
	 */
	rl_diag_clear(&r->diag);
	if (prev != NULL) {
		rl_buf q = RL_BUF_INIT;
		const char *qs;
		int ok;

		/*
		 * Names in JSON quotes, so that no control character reaches a
		 * report; long ones (the pointer has it) are not repeated.
		 */
		ok = e->klen > 64 ? rl_buf_puts(&q, "the names") == 0 &&
		    (qs = rl_buf_cstr(&q)) != NULL :
		    rl_json_quote(&q, e->key, e->klen) == 0 &&
		    rl_buf_puts(&q, " and ") == 0 &&
		    rl_json_quote(&q, prev->key, prev->klen) == 0 &&
		    (qs = rl_buf_cstr(&q)) != NULL;
		if (ok)
			rl_diag_set(&r->diag, RL_JSON_DUPLICATE_KEY,
			    "duplicate member %s at line %lu, column %lu: %s differ only by case, and case-insensitive parsers (.NET) read them as one member",
			    ptr, e->kp.line, e->kp.col, qs);
		rl_buf_free(&q);
		if (!ok)
			return -1;
	} else
		rl_diag_set(&r->diag, RL_JSON_DUPLICATE_KEY,
		    "duplicate member %s at line %lu, column %lu", ptr,
		    e->kp.line, e->kp.col);
	rl_diag_set_pointer(&r->diag, r->tmp.data, r->tmp.len);
	r->diag.source = r->name;
	r->diag.line = e->kp.line;
	r->diag.column = e->kp.col;
	r->dup = 1;
	return 0;
}
