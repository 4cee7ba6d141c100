/*
 * idset.c: referral ids as 64-bit hashes in 256 open-addressed tables
 * (linear probing), picked by the hash's top byte.  A table grows by 8/5
 * when it would be more than four fifths full, so that it is at least
 * half full after growing: 8 to 16 bytes per distinct id.  Growing copies
 * one table of 256, so the old and the new copy together add less than a
 * tenth to the peak.  Sizes are not powers of two, so a hash is mapped to
 * a slot by multiplying (Lemire's reduction), not by masking.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "idset.h"

#define TABLES 256
#define MIN_SLOTS 8

struct table {
	uint64_t *slot;             /* 0 = empty; hashes are never 0 */
	size_t cap, n;
};

struct rl_idset {
	struct table t[TABLES];
	size_t n, bytes;
};

uint64_t
rl_hash64(const char *s, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h ? h : 1;
}

/* The slot of a hash in a table of cap slots (the top byte picked it). */
static size_t
home(uint64_t h, size_t cap)
{
	h <<= 8;
#if defined(__SIZEOF_INT128__)
	return (size_t)(((unsigned __int128)h * cap) >> 64);
#else
	return (size_t)((h >> 8) % cap);
#endif
}

rl_idset *
rl_idset_new(void)
{
	rl_idset *s = rl_malloc(sizeof(*s));

	if (s == NULL)
		return NULL;
	memset(s, 0, sizeof(*s));
	return s;
}

void
rl_idset_free(rl_idset *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < TABLES; i++)
		rl_free(s->t[i].slot);
	rl_free(s);
}

/* The slot of h, or the empty slot where it would go. */
static size_t
find(const struct table *t, uint64_t h)
{
	size_t j = home(h, t->cap);

	while (t->slot[j] != 0 && t->slot[j] != h)
		if (++j == t->cap)
			j = 0;
	return j;
}

int
rl_idset_has(const rl_idset *s, const char *id, size_t len)
{
	uint64_t h = rl_hash64(id, len);
	const struct table *t = &s->t[h >> 56];

	return t->n > 0 && t->slot[find(t, h)] == h;
}

static int
grow(rl_idset *s, struct table *t)
{
	size_t cap = t->cap ? t->cap + t->cap * 3 / 5 : MIN_SLOTS, i;
	uint64_t *old = t->slot;
	size_t ocap = t->cap;

	if (t->cap > SIZE_MAX / 16)
		return -1;
	if ((t->slot = rl_malloc(cap * sizeof(*t->slot))) == NULL) {
		t->slot = old;
		return -1;
	}
	memset(t->slot, 0, cap * sizeof(*t->slot));
	t->cap = cap;
	for (i = 0; i < ocap; i++)
		if (old[i] != 0)
			t->slot[find(t, old[i])] = old[i];
	rl_free(old);
	s->bytes += (cap - ocap) * sizeof(*t->slot);
	return 0;
}

int
rl_idset_add(rl_idset *s, const char *id, size_t len)
{
	uint64_t h = rl_hash64(id, len);
	struct table *t = &s->t[h >> 56];
	size_t j;

	if ((t->n + 1) * 5 > t->cap * 4 && grow(s, t) == -1)
		return -1;
	j = find(t, h);
	if (t->slot[j] == h)
		return 0;
	t->slot[j] = h;
	t->n++;
	s->n++;
	return 1;
}

size_t
rl_idset_count(const rl_idset *s)
{
	return s->n;
}

size_t
rl_idset_bytes(const rl_idset *s)
{
	return s->bytes;
}
