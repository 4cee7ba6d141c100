/*
 * parallel.h: one NDJSON input read and judged by N worker threads and
 * handed back in input order (reflint(1), --threads).
 * Included by the batch processor and the tests; not installed.
 *
 * The calling thread reads the input and cuts it into chunks that end at a
 * line end, which every NDJSON record does; a worker parses a chunk with
 * the ordinary reader and judges each record through the caller's judge
 * function, into the chunk's own arena; the calling thread takes chunks
 * in input order, puts each record's positions back into the whole
 * file's terms (line, byte offset, record number, the lines of its
 * diagnostics) and passes it to the caller's emit function.  So the
 * output does not depend on the number of workers, and rules that span
 * records (emit) see them in order, on one thread.
 *
 * Ownership: an item and everything judge puts in it live in the chunk's
 * arena until emit has seen every item of the chunk.  The judge function
 * runs on several threads at once: it may read what the caller shares
 * (rules, options, snapshot) and write only the item and the arena.
 */
#ifndef RL_PARALLEL_H
#define RL_PARALLEL_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "reader.h"
#include "validate.h"

struct rl_policy_result;

typedef struct rl_par_item {
	rl_record rec;              /* rec.diag is a copy in the arena */
	rl_result res;
	/* eligibility: the policies (in the arena) and what judging said */
	struct rl_policy_result *pol;
	int judged;
	/*
	 * judge failed: memory ran out, or a snapshot could not be re-read;
	 * err (the chunk's, and the chunk's last item) says why.
	 */
	int failed;
	rl_diag *err;
} rl_par_item;

/* Worker side: fill item->res (and pol, judged); -1 with *item->err. */
typedef int (*rl_par_judge_fn)(void *ctx, rl_arena *, rl_par_item *);
/*
 * Calling thread, in input order, with the chunk's arena (for what the
 * last rules add to the result).  Nonzero stops reading.
 */
typedef int (*rl_par_emit_fn)(void *ctx, rl_arena *, rl_par_item *);

typedef struct rl_par_opts {
	unsigned workers;           /* 2 or more */
	size_t chunk;               /* bytes per chunk; 0 = RL_PAR_CHUNK */
	rl_par_judge_fn judge;
	rl_par_emit_fn emit;
	void *ctx;
} rl_par_opts;

#define RL_PAR_CHUNK (256 * 1024)
/* Lines per chunk at most, so that small records do not pile up. */
#define RL_PAR_LINES 2048

/*
 * Is the input NDJSON, as the reader would decide (reflint(1), Input)?
 * With the first bytes of the input (up to a whole first line, or all of
 * it when eof): 1 when the format is NDJSON or its first line holds one
 * complete JSON value that is not a list page (an object with a "value"
 * array, whose elements the reader streams); 0 otherwise (JSON texts,
 * arrays, list pages);
 * -1: the first line is not complete, read more.
 */
int rl_par_is_ndjson(const rl_reader_opts *, const char *buf, size_t len,
		int eof);

/*
 * Reads fd (not closed) to its end as NDJSON (the reader options' format
 * is taken as NDJSON), the bytes of ro->prefix first.  Returns RL_READ_OK,
 * RL_READ_STOPPED (emit asked to stop, or judge failed: the failed item
 * is emitted first, so the caller reports it) or RL_READ_TRUNCATED with
 * err (an I/O error, memory, or the threads could not start).
 */
int rl_par_read_fd(int fd, const char *name, const rl_reader_opts *ro,
		const rl_par_opts *, rl_diag *err);

#endif /* RL_PARALLEL_H */
