/*
 * batch.h: the run of `reflint check`, `apply` and `eligibility`: every
 * record of every input judged and written to the outputs, with the
 * counts of the summary (reflint(1), Input).
 * Included by the command and the tests; not installed.
 *
 * Ownership: rl_batch_new() returns a handle that borrows the rules, the
 * options, the snapshot and the sinks given to it (the caller makes and
 * frees them, and opens, commits and closes their files) and owns only
 * its arena and scratch buffers; rl_batch_free() releases it and accepts
 * NULL.  The module never prints: problems of the run (an unreadable
 * input, a write error) go to the caller's message callback, with the
 * outputs flushed first so that stderr stays in order.
 */
#ifndef RL_BATCH_H
#define RL_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "outfile.h"
#include "reader.h"
#include "report.h"
#include "rules.h"
#include "snapshot.h"
#include "validate.h"

typedef enum rl_batch_mode {
	RL_BATCH_CHECK,         /* accepted lines are the patches */
	RL_BATCH_APPLY,         /* accepted lines are the referrals after them */
	RL_BATCH_ELIGIBILITY    /* one eligibility response per judged record */
} rl_batch_mode;

/* Called for each problem of the run (not of a record). */
typedef void (*rl_batch_msg_fn)(void *ctx, const rl_diag *d);
/*
 * Progress, at most every quarter of a second: counts so far, and the
 * total input size when it is known (0 otherwise).
 */
typedef void (*rl_batch_progress_fn)(void *ctx, const rl_summary *s,
		uint64_t total_bytes);

typedef struct rl_batch_opts {
	rl_batch_mode mode;
	const rl_check_opts *check;     /* --now, inputs, errors per record */
	rl_reader_opts ro;              /* format and limits */
	/*
	 * CSV (reflint(1), Spreadsheets): csv = 1 reads every input as CSV
	 * (--input-format csv); otherwise an input is CSV when its name ends
	 * in ".csv", or, when ro.format is RL_FMT_AUTO, when its first line
	 * looks like a header (rl_csv_sniff).  delimiter: --delimiter, or 0.
	 */
	int csv;
	char delimiter;
	/* --encoding and --date-order, as rl_csv_opts has them (csv.h) */
	int encoding;
	char date_order;
	/*
	 * N >= 2: an NDJSON input is cut into chunks of about chunk bytes
	 * (0: RL_PAR_CHUNK) that N workers read and judge, written in input
	 * order (parallel.h); other inputs (JSON texts, CSV) are read on one
	 * thread and judged on another.  The same bytes out either way.
	 * 0 or 1: one thread.  Mapper mode and fault tests always use one.
	 */
	int threads;
	size_t chunk;
	rl_snapshot *snapshot;          /* --referrals; may be NULL */
	unsigned long max_rejected;     /* --max-errors: stop after N; 0 = none */
	/* Positions of a shard (mapper mode, but used by every output). */
	const char *source_name;        /* NULL = the input's name */
	unsigned long line_offset, record_offset;
	rl_batch_msg_fn msg;
	rl_batch_progress_fn progress;
	/*
	 * Called before (1) and after (0) bytes go to an output that is a
	 * terminal, so that a progress line can make way; may be NULL.
	 * Outputs that are terminals are written after every record.
	 */
	void (*terminal)(void *ctx, int before);
	void *ctx;
} rl_batch_opts;

/*
 * Outputs: the sinks (sink.h), each with the file it writes to, in the
 * order they are written.  Every sink gets every call.
 */
struct rl_sink;
typedef struct rl_batch_out {
	struct rl_sink **sinks;
	size_t nsinks;
} rl_batch_out;

/* What rl_batch_input and rl_batch_end found, as flags. */
#define RL_BATCH_REJECTED 0x01   /* a record was rejected (or not judged) */
#define RL_BATCH_WARNED   0x02   /* a warning was reported */
#define RL_BATCH_IO       0x04   /* an input or output failed (reported) */
#define RL_BATCH_STOPPED  0x08   /* --max-errors reached, or a closed pipe */
#define RL_BATCH_NOMEM    0x10   /* memory ran out (reported) */

typedef struct rl_batch rl_batch;

rl_batch *rl_batch_new(const rl_rules *, const rl_batch_opts *,
		const rl_batch_out *) RL_WARN_UNUSED;
void      rl_batch_free(rl_batch *);

/* Writes the report headers. */
int       rl_batch_begin(rl_batch *);
/*
 * Reads one input (path "-" or NULL = stdin) to its end and judges every
 * record.  Returns the flags so far.  Does nothing once stopped.
 */
int       rl_batch_input(rl_batch *, const char *path);
/*
 * The same over bytes in memory (borrowed for the call), read as a file
 * called name would be: for the tests, and for callers that hold the input.
 */
int       rl_batch_input_mem(rl_batch *, const char *buf, size_t len,
		const char *name);
/* Writes the report trailers and flushes every output; the flags. */
int       rl_batch_end(rl_batch *);
/* The counts (valid at any time; elapsed time set by rl_batch_end). */
const rl_summary *rl_batch_summary(const rl_batch *);

#endif /* RL_BATCH_H */
