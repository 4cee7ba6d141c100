/*
 * batch_int.h: what the run of a batch (batch.c) shares with its threads
 * (batch_threads.c).  Private to those two files.
 *
 * batch.c owns the batch: the outputs, the counts, the rules of input
 * order.  batch_threads.c reads an input on several threads and hands
 * every record back through rl_bt_record_in/rl_bt_record_out on the one
 * thread that writes, in input order.
 */
#ifndef RL_BATCH_INT_H
#define RL_BATCH_INT_H

#include <time.h>

#include "batch.h"
#include "context.h"
#include "csvmap.h"
#include "idset.h"
#include "sink.h"
#include "source.h"

struct rl_policy_result;

struct rl_batch {
	const rl_rules *rules;
	rl_batch_opts o;
	rl_batch_out out;
	rl_arena *a;                /* the reader's: reset after each record */
	rl_buf line;                /* the accepted line of a record */
	int mapper;                 /* a tagged sink: mapper mode */
	rl_sink_input input;        /* the input being read */
	rl_buf hdr;                 /* its CSV header, as read */
	rl_buf enc;                 /* its encoding's name, when not UTF-8 */
	/* the header's column names: hdr_names + hdr_off[k], NUL-ended */
	rl_buf hdr_names;
	size_t *hdr_off, hdr_n, hdr_cap;
	rl_result row_res;          /* a CSV row's result before "row N: " */
	rl_summary sum;
	int flags;
	int stop;
	int ending;                 /* rl_batch_end: reading is over */
	uint64_t base;              /* bytes of the inputs already read */
	uint64_t total;             /* size of the inputs, when known */
	struct timespec t0, last;
	unsigned tick;
	const rl_csv_record *csv;   /* the CSV row being judged, or NULL */
	const rl_prefetch *pre;     /* the record being judged, when piped */
	unsigned long inputs;       /* inputs opened so far */
	rl_idset *patched;          /* ids that accepted records patch */
};

/* batch.c: reporting, and the fan-out of a record to every sink */
int rl_bt_emit(rl_batch *, const rl_sink_record *);
void rl_bt_message(rl_batch *, const rl_diag *);
void rl_bt_nomem(rl_batch *);
void rl_bt_progress(rl_batch *);

/*
 * batch.c: the verdict of a record of check or apply (a CSV row: r; the
 * pipeline's prefetched referral: pre; both may be NULL), in arena a.
 * Reads only what the batch shares (rules, options, snapshot), so any
 * thread may call it.  -1 with err: memory, or a snapshot re-read.
 */
int rl_bt_judge(const rl_batch *, rl_arena *a, const rl_record *,
		const rl_csv_record *r, const rl_prefetch *pre, rl_result *,
		rl_diag *err);

/* batch.c: one record, or its two halves around the judge */
int rl_bt_one_record(void *batch, const rl_record *);
int rl_bt_record_in(rl_batch *, rl_record *);
int rl_bt_record_out(rl_batch *, const rl_record *, rl_result *);
int rl_bt_eligibility_judge(rl_batch *, rl_arena *, const rl_record *,
		rl_result *, struct rl_policy_result *, rl_diag *err);
int rl_bt_eligibility_out(rl_batch *, const rl_record *, rl_result *,
		const struct rl_policy_result *, int judged);
/* batch.c: an item of a source on this thread, in b->a; 1: stop */
int rl_bt_one_item(rl_batch *, const rl_source_item *);
int rl_bt_read_here(rl_batch *, rl_source *, rl_diag *err);
/* batch.c: how the batch's options open a source */
void rl_bt_source_opts(const rl_batch *, rl_source_opts *);

/*
 * batch_csv.c: a CSV input's header (its column names kept for the
 * messages, its note to the reports), a row through rl_bt_one_record, and
 * a row's diagnostics made to name its cells and its row: -1 when memory
 * runs out.
 */
int rl_bt_csv_header(void *batch, const rl_csv_header *);
int rl_bt_csv_record(void *batch, const rl_csv_record *);
int rl_bt_csv_rows(rl_batch *, rl_result *);

/*
 * batch_threads.c: the source read through the two-thread pipeline (0,
 * *rc the reading's status), or -1 when it cannot start (nothing was
 * read: the caller reads on one thread).
 */
int rl_bt_read_piped(rl_batch *, rl_source *, rl_diag *err, int *rc);
/*
 * The input on the workers of --threads N (parallel.h), when its format
 * allows: RL_READ_* as a source's status, or -1 when that does not apply
 * (every byte read here is given back to the source, which reads on).
 */
int rl_bt_read_parallel(rl_batch *, int fd, const char *name, rl_source *,
		rl_diag *err);

#endif /* RL_BATCH_INT_H */
