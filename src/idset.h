/*
 * idset.h: a set of referral ids seen in a batch, for the cross-record
 * rules (etag-stale, referral-repeated): one batch is one upload, so a
 * record whose referral an earlier accepted record already patches meets
 * another state at the API than the one it was judged against.
 * Included by the batch and the tests; not installed.
 *
 * Memory: an id is kept as a 64-bit hash in an open-addressed table that
 * is between half and four fifths full, so a distinct id costs 8 to 16
 * bytes, whatever its length (the README states it).  Two different ids
 * share a hash with a chance of about n^2 / 2^65 for n ids (below one in
 * 10^5 for ten million), and would then count as the same referral.
 *
 * Ownership: rl_idset_new() returns a set that rl_idset_free() releases
 * (NULL accepted); it copies nothing of the ids it is given.
 */
#ifndef RL_IDSET_H
#define RL_IDSET_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct rl_idset rl_idset;

/* FNV-1a with a finalizer, so that every bit is usable; never 0. */
uint64_t rl_hash64(const char *s, size_t n);

rl_idset *rl_idset_new(void) RL_WARN_UNUSED;
void      rl_idset_free(rl_idset *);

/* 1 when the id was added before, 0 when not. */
int    rl_idset_has(const rl_idset *, const char *id, size_t len);
/* Adds the id: 1 when it was new, 0 when there already, -1 out of memory. */
int    rl_idset_add(rl_idset *, const char *id, size_t len);
/* The number of distinct ids, and the bytes the table holds. */
size_t rl_idset_count(const rl_idset *);
size_t rl_idset_bytes(const rl_idset *);

#endif /* RL_IDSET_H */
