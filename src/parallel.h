/*
 * parallel.h: one NDJSON or CSV input read and judged by N worker threads
 * and handed back in input order (reflint(1), --threads).
 * Included by the batch processor and the tests; not installed.
 *
 * The calling thread reads the input and cuts it into chunks that end at a
 * line end, which every NDJSON record does, or, for CSV, at the end of a
 * row, which a small copy of the CSV parser's state machine finds (quoted
 * line ends do not end a row); a worker parses a chunk with the ordinary
 * reader (a CSV range source, which follows the header's columns) and
 * judges each record through the caller's judge function, into the
 * chunk's own arena; the calling thread takes chunks
 * in input order, puts each record's positions back into the whole
 * file's terms (line, byte offset, record number, the lines of its
 * diagnostics) and passes it to the caller's emit function.  So the
 * output does not depend on the number of workers, and rules that span
 * records (emit) see them in order, on one thread.
 *
 * Ownership: an item and everything judge puts in it live in the chunk's
 * arena until emit has seen every item of the chunk; a record's own
 * values live only while it is judged (rec.value is NULL after).  The judge function
 * runs on several threads at once: it may read what the caller shares
 * (rules, options, snapshot) and write only the item and the arena.
 */
#ifndef RL_PARALLEL_H
#define RL_PARALLEL_H

#include <stddef.h>

#include "arena.h"
#include "csvmap.h"
#include "diag.h"
#include "reader.h"
#include "source.h"
#include "validate.h"

struct rl_policy_result;

typedef struct rl_par_item {
	rl_record rec;              /* rec.diag is a copy in the arena */
	int is_csv;                 /* a CSV row: csv, whose rec is rec */
	rl_csv_record csv;
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
	void *data;                 /* judge's own, in keep, for emit */
} rl_par_item;

/*
 * Worker side: fill item->res (and pol, judged); -1 with *item->err.
 * The record was built in work, which the worker resets after each
 * NDJSON record, so that a record is read and judged in memory the core
 * has in its cache; whatever the item keeps for emit must be in keep, the
 * chunk's arena (rl_result_move).  A CSV row is built in work too.  When
 * the worker has no arena of its own (memory ran short), work is keep.
 */
typedef int (*rl_par_judge_fn)(void *ctx, rl_arena *work, rl_arena *keep,
		rl_par_item *);
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
	/*
	 * CSV: the rows after a header that the source csv->header_of has
	 * read, opened as ranges with these options (kind, rules, delimiter,
	 * limits); the fd is at start, the place of the first row.  NULL:
	 * NDJSON.
	 */
	const rl_source_opts *csv;
	rl_source_pos start;
	/*
	 * CSV, set on return: a row that the cutting could not tell from
	 * the parser's reading (broken quoting, a field or row near its
	 * limit, bytes that are not UTF-8) stopped the workers before it;
	 * the input from tail on is for one reader, with header_of.
	 */
	int tail_left;
	rl_source_pos tail;
} rl_par_opts;

#define RL_PAR_CHUNK (256 * 1024)
/* Lines per chunk at most, so that small records do not pile up. */
#define RL_PAR_LINES 2048
/*
 * Rows per CSV chunk at most: a row's record, its cells' conversions and
 * its raw bytes take some twenty times its bytes in the arena.
 */
#define RL_PAR_ROWS 256

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
 * is taken as NDJSON), the bytes of ro->prefix first; or, with o->csv,
 * as the CSV rows from o->start on (ro gives the read size, and
 * o->tail_left may end it early).  Returns RL_READ_OK,
 * RL_READ_STOPPED (emit asked to stop, or judge failed: the failed item
 * is emitted first, so the caller reports it) or RL_READ_TRUNCATED with
 * err (an I/O error, memory, or the threads could not start).
 */
int rl_par_read_fd(int fd, const char *name, const rl_reader_opts *ro,
		rl_par_opts *, rl_diag *err);

#endif /* RL_PARALLEL_H */
