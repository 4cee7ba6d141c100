/*
 * snapshot.h: the --referrals index (reflint(1), Input): referrals looked up
 * by id and by engagement id (at the rules' pointer) without holding them
 * in memory.
 * Included by the batch processor and the tests; not installed.
 *
 * Indexing reads each snapshot file once with the record reader and keeps,
 * per referral, a 64-bit hash of its id and of its engagement id, the file
 * and the byte range of the referral (about 40 bytes a referral, whatever
 * its size).  A lookup re-reads the bytes with pread(2), parses them into
 * the caller's arena and checks the id, so a hash collision can never
 * substitute another referral.  When an id occurs more than once, the last
 * occurrence wins (a later snapshot file overrides an earlier one).
 *
 * Ownership: rl_snapshot_new() returns a handle that owns the index and the
 * open files, and borrows the rules (which must outlive it) for where a
 * referral's engagement id is; rl_snapshot_free() releases it and accepts
 * NULL.  Values
 * returned by lookups live in the arena given to the lookup.  The module
 * never prints: problems go to the caller's callback.
 */
#ifndef RL_SNAPSHOT_H
#define RL_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "json.h"
#include "reader.h"

typedef struct rl_snapshot rl_snapshot;
struct rl_rules;

/* Called for each problem of a snapshot file; d is valid during the call. */
typedef void (*rl_snapshot_error_fn)(void *ctx, const rl_diag *d);

/* With NULL rules, no referral is indexed by engagement. */
rl_snapshot *rl_snapshot_new(const struct rl_rules *,
		const rl_reader_opts *) RL_WARN_UNUSED;
void         rl_snapshot_free(rl_snapshot *);

/*
 * Threads that rl_snapshot_add may use to index an NDJSON file (1, the
 * default: the calling thread alone), and the bytes of the chunks they
 * take (0: RL_PAR_CHUNK, parallel.h).  The index is the same whatever the
 * number, and problems are reported in the file's order.
 */
void rl_snapshot_threads(rl_snapshot *, unsigned n, size_t chunk);

/*
 * Indexes one file, which must be seekable (it is re-read).  Each record
 * must be a referral object with a string "id"; a record that is not is
 * reported through fn (json-syntax, json-duplicate-key, record-shape) and
 * left out.  Returns 0 when every record was indexed, 1 when some were
 * reported, -1 when the file could not be read (io-error, reported) or
 * memory ran out (out-of-memory, reported).
 */
int rl_snapshot_add(rl_snapshot *, const char *path, rl_snapshot_error_fn fn,
		void *ctx);

/* Referrals indexed (distinct ids). */
size_t rl_snapshot_count(const rl_snapshot *);
/* Bytes the index holds from the system (for the memory budget tests). */
size_t rl_snapshot_footprint(const rl_snapshot *);

/*
 * The referral with this id, parsed into a; NULL when there is none.
 * -1 in *err (when not NULL) when the file could not be re-read or memory
 * ran out (d filled), 0 otherwise.
 */
rl_value *rl_snapshot_get(rl_snapshot *, const char *id, size_t len,
		rl_arena *a, int *err, rl_diag *d);

/*
 * Up to max referrals of the engagement eng (a string value), in index
 * order, parsed into a and stored in out; returns how many.  -1 when a
 * file could not be re-read or memory ran out (d filled).
 */
long rl_snapshot_engagement(rl_snapshot *, const char *eng, size_t len,
		rl_arena *a, rl_value **out, size_t max, rl_diag *d);

#endif /* RL_SNAPSHOT_H */
