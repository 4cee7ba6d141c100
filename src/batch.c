/*
 * batch.c: the run of check, apply and eligibility.  Each record is pulled
 * from the input's source (source.h); it is joined to its snapshot state
 * when it has none of its own, judged, counted, and written to every output
 * in input order.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "batch_int.h"
#include "context.h"
#include "csvmap.h"
#include "idset.h"
#include "judge.h"
#include "output.h"
#include "policies.h"
#include "source.h"
#include "sink.h"

#define FLUSH_AT (64 * 1024)

static uint64_t
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)(t.tv_sec - t0->tv_sec) * 1000 +
	    (uint64_t)((t.tv_nsec - t0->tv_nsec) / 1000000);
}

rl_batch *
rl_batch_new(const rl_rules *r, const rl_batch_opts *o, const rl_batch_out *out)
{
	rl_batch *b = rl_malloc(sizeof(*b));
	size_t i;

	if (b == NULL)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->rules = r;
	b->o = *o;
	b->out = *out;
	/* mapper mode reads on one thread: its shards are the parallelism */
	for (i = 0; i < out->nsinks; i++)
		if (out->sinks[i]->cls == &rl_sink_tagged ||
		    out->sinks[i]->cls == &rl_sink_tagged_eligibility)
			b->mapper = 1;
	if ((b->a = rl_arena_new(0)) == NULL ||
	    (b->patched = rl_idset_new()) == NULL) {
		rl_arena_free(b->a);
		rl_free(b);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &b->t0);
	b->last = b->t0;
	return b;
}

void
rl_batch_free(rl_batch *b)
{
	if (b == NULL)
		return;
	rl_arena_free(b->a);
	rl_idset_free(b->patched);
	rl_buf_free(&b->line);
	rl_buf_free(&b->hdr);
	rl_buf_free(&b->hdr_names);
	rl_free(b->hdr_off);
	rl_buf_free(&b->enc);
	rl_free(b);
}

const rl_summary *
rl_batch_summary(const rl_batch *b)
{
	return &b->sum;
}

/* ---- outputs ---------------------------------------------------------- */

/*
 * rl_outfile_flush, but a terminal gets every record as it comes, with
 * the caller's progress line taken off around it.
 */
static int
write_out(rl_batch *b, rl_outfile *f, size_t min, rl_diag *d)
{
	int tty = rl_outfile_isatty(f) && rl_outfile_buf(f)->len > 0, r;

	if (tty && b->o.terminal != NULL)
		b->o.terminal(b->o.ctx, 1);
	r = rl_outfile_flush(f, tty ? 0 : min, d);
	if (tty && b->o.terminal != NULL)
		b->o.terminal(b->o.ctx, 0);
	return r;
}

/* Writes f's buffer once it holds min bytes; a failure stops the run. */
static void
flush(rl_batch *b, rl_outfile *f, size_t min)
{
	rl_diag d = RL_DIAG_INIT;
	int r;

	if (f == NULL)
		return;
	if ((r = write_out(b, f, min, &d)) == 0)
		return;
	if (r == RL_OUTFILE_DEAD) {
		/* Already reported when it failed. */
		b->stop = 1;
		return;
	}
	if (r == RL_OUTFILE_EPIPE) {
		/* The reader of a pipe went away: nothing more to say to it. */
		b->stop = 1;
		b->flags |= RL_BATCH_STOPPED;
		if (!b->ending && b->sum.stopped == RL_STOP_NONE)
			b->sum.stopped = RL_STOP_OUTPUT_CLOSED;
		return;
	}
	b->stop = 1;
	b->flags |= RL_BATCH_IO;
	rl_bt_message(b, &d);
}

static void
flush_all(rl_batch *b, size_t min)
{
	size_t i;

	for (i = 0; i < b->out.nsinks; i++)
		flush(b, b->out.sinks[i]->out, min);
}

/* Reports a problem of the run, after what was written before it. */
void
rl_bt_message(rl_batch *b, const rl_diag *d)
{
	size_t i;

	/* Reports on stderr first, so that the lines stay in order. */
	for (i = 0; i < b->out.nsinks; i++)
		if ((b->out.sinks[i]->cls->traits & RL_SINK_REPORT) &&
		    b->out.sinks[i]->out != NULL)
			(void)write_out(b, b->out.sinks[i]->out, 0, NULL);
	if (d->code == RL_IO_ERROR || d->code == RL_NOMEM)
		b->flags |= d->code == RL_NOMEM ? RL_BATCH_NOMEM | RL_BATCH_IO :
		    RL_BATCH_IO;
	if (b->o.msg != NULL)
		b->o.msg(b->o.ctx, d);
}

void
rl_bt_nomem(rl_batch *b)
{
	rl_diag d = RL_DIAG_INIT;

	rl_diag_set(&d, RL_NOMEM, "out of memory");
	b->stop = 1;
	rl_bt_message(b, &d);
}

/*
 * A sink failed: out of memory, or its own file could not be written (err
 * says why).  Either stops the run.
 */
static void
sink_failed(rl_batch *b, const rl_diag *err)
{
	if (err->code == RL_OK || err->code == RL_NOMEM) {
		rl_bt_nomem(b);
		return;
	}
	b->stop = 1;
	b->flags |= RL_BATCH_IO;
	rl_bt_message(b, err);
}

/*
 * The fan-out: every sink gets the same record, in the order the command
 * gave them; each output is written once it holds FLUSH_AT bytes (a
 * terminal at once).  A note is not flushed: it waits for the lines of
 * the first record, as a report line always did.
 */
int
rl_bt_emit(rl_batch *b, const rl_sink_record *r)
{
	rl_diag err = RL_DIAG_INIT;
	size_t i;

	err.code = RL_OK;
	for (i = 0; i < b->out.nsinks; i++) {
		rl_sink *s = b->out.sinks[i];

		if (s->cls->record == NULL)
			continue;
		if (s->cls->record(s, r, &err) == -1) {
			sink_failed(b, &err);
			return -1;
		}
		if (!r->note)
			flush(b, s->out, FLUSH_AT);
	}
	return 0;
}

/* The input is read: every sink hears of it. */
static void
input_end(rl_batch *b)
{
	rl_diag err = RL_DIAG_INIT;
	size_t i;

	err.code = RL_OK;
	for (i = 0; i < b->out.nsinks; i++) {
		rl_sink *s = b->out.sinks[i];

		if (s->cls->input_end != NULL &&
		    s->cls->input_end(s, &b->input, &err) == -1) {
			sink_failed(b, &err);
			return;
		}
	}
}

int
rl_batch_begin(rl_batch *b)
{
	rl_diag err = RL_DIAG_INIT;
	size_t i;

	err.code = RL_OK;
	for (i = 0; i < b->out.nsinks; i++) {
		rl_sink *s = b->out.sinks[i];

		if (s->cls->begin != NULL && s->cls->begin(s, &err) == -1) {
			sink_failed(b, &err);
			break;
		}
	}
	return b->flags;
}

int
rl_batch_end(rl_batch *b)
{
	rl_diag err = RL_DIAG_INIT;
	size_t i;
	int failed = 0;

	b->sum.elapsed_ms = ms_since(&b->t0);
	b->ending = 1;
	err.code = RL_OK;
	/* one sink failing does not cost the others their end (the summary) */
	for (i = 0; i < b->out.nsinks; i++) {
		rl_sink *s = b->out.sinks[i];

		if (s->cls->end != NULL && s->cls->end(s, &b->sum, &err) == -1 &&
		    !failed) {
			sink_failed(b, &err);
			failed = 1;
		}
	}
	flush_all(b, 0);
	return b->flags;
}

/* ---- diagnostics added here ------------------------------------------- */

/* After the verdict: an accepted record with ops patches its referral. */
static int
note_patched(rl_batch *b, const rl_result *res, int accepted)
{
	if (!accepted || !rl_judge_patches(res))
		return 0;
	return rl_idset_add(b->patched, res->id->u.s.ptr, res->id->u.s.len) == -1 ?
	    -1 : 0;
}

int
rl_bt_judge(const rl_batch *b, rl_arena *a, const rl_record *rec,
    const rl_csv_record *r, const rl_prefetch *pre, rl_result *res,
    rl_diag *err)
{
	rl_context c;

	if (rl_context_build(b->rules, b->o.snapshot, a, rec, pre,
	    (b->o.mode == RL_BATCH_APPLY ? RL_CONTEXT_APPLY : 0) |
	    (r != NULL ? RL_CONTEXT_CSV : 0), r != NULL ? r->op_column : NULL,
	    &c, err) == -1 ||
	    rl_context_csv_fill(b->rules, a, r, &c) == -1) {
		rl_diag_set(err, RL_NOMEM, "out of memory");
		return -1;
	}
	if (rl_judge(b->rules, a, rec, &c, b->o.check,
	    r != NULL ? r->conv : NULL, r != NULL ? r->nconv : 0, res) == -1) {
		rl_diag_set(err, RL_NOMEM, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * Judges one record of check or apply on this thread.  -1 when memory
 * ran out or the snapshot could not be re-read (reported).
 */
static int
judge(rl_batch *b, const rl_record *rec, rl_result *res)
{
	rl_diag d = RL_DIAG_INIT;

	if (rl_bt_judge(b, b->a, rec, b->csv, b->pre, res, &d) == -1) {
		if (d.code == RL_NOMEM)
			rl_bt_nomem(b);
		else
			rl_bt_message(b, &d);
		return -1;
	}
	return 0;
}

/* ---- one record --------------------------------------------------------- */

/* The line of an accepted record, as written to --accepted (with newline). */
static int
accepted_line(rl_batch *b, rl_buf *out, const rl_result *res)
{
	if (b->o.mode != RL_BATCH_APPLY)
		return rl_out_accepted(out, res);
	if (rl_buf_puts(out, "{\"id\":") == -1 ||
	    (res->id != NULL ? rl_json_quote(out, res->id->u.s.ptr,
	    res->id->u.s.len) : rl_buf_puts(out, "null")) == -1 ||
	    rl_buf_puts(out, ",\"referral\":") == -1 ||
	    rl_json_serialize(out, res->after) == -1)
		return -1;
	return rl_buf_puts(out, "}\n");
}

static void
count(rl_batch *b, const rl_result *res, int accepted)
{
	if (accepted)
		b->sum.accepted++;
	else {
		b->sum.rejected++;
		b->flags |= RL_BATCH_REJECTED;
	}
	b->sum.errors += res->errors;
	b->sum.warnings += res->warnings;
	b->sum.infos += res->infos;
	if (res->warnings > 0)
		b->flags |= RL_BATCH_WARNED;
	rl_result_tally(res, b->sum.by_code);
}

/* What the sinks get of a judged record of check or apply. */
static int
write_record(rl_batch *b, const rl_record *rec, const rl_result *res,
    int accepted)
{
	rl_sink_record r;

	memset(&r, 0, sizeof(r));
	r.input = &b->input;
	r.rec = rec;
	r.res = res;
	r.accepted = accepted;
	if (accepted) {
		rl_buf_clear(&b->line);
		if (accepted_line(b, &b->line, res) == -1) {
			rl_bt_nomem(b);
			return -1;
		}
		r.line = b->line.data;
		r.line_len = b->line.len;
	}
	if (b->csv != NULL) {
		r.row = b->csv->raw;
		r.row_len = b->csv->rawlen;
		r.row_number = b->csv->row;
		r.row_res = &b->row_res;
		r.op_column = b->csv->op_column;
		r.nops = b->csv->nops;
	}
	return rl_bt_emit(b, &r);
}

/*
 * eligibility: the API's response for each judged record, or in mapper
 * mode a tagged line for every record.
 */
int
rl_bt_eligibility_out(rl_batch *b, const rl_record *rec, rl_result *res,
    const struct rl_policy_result *pol, int r)
{
	rl_sink_record out;

	count(b, res, r == 1);
	/* every record, judged or not: mapper mode's lines join back */
	memset(&out, 0, sizeof(out));
	out.input = &b->input;
	out.rec = rec;
	out.res = res;
	out.accepted = r == 1;
	out.policies = r == 1 ? pol : NULL;
	return rl_bt_emit(b, &out);
}

/*
 * eligibility: the policies of the record as its context has it.  1 or 0
 * as rl_judge_eligibility; -1 with err (memory, a snapshot re-read).
 */
int
rl_bt_eligibility_judge(rl_batch *b, rl_arena *a, const rl_record *rec,
    rl_result *res, struct rl_policy_result *pol, rl_diag *err)
{
	rl_value *v;
	int r;

	if (rl_context_eligibility(b->rules, b->o.snapshot, a, rec, &v,
	    err) == -1)
		return -1;
	if ((r = rl_judge_eligibility(b->rules, a, rec, v, b->o.check, res,
	    pol)) == -1)
		rl_diag_set(err, RL_NOMEM, "out of memory");
	return r;
}

/*
 * eligibility: the API's response for each judged record, or in mapper
 * mode a tagged line for every record.
 */
static int
eligibility_record(rl_batch *b, const rl_record *rec, rl_result *res)
{
	struct rl_policy_result pol[RL_POLICY_COUNT];
	rl_diag d = RL_DIAG_INIT;
	int r;

	if ((r = rl_bt_eligibility_judge(b, b->a, rec, res, pol, &d)) == -1) {
		if (d.code == RL_NOMEM)
			rl_bt_nomem(b);
		else
			rl_bt_message(b, &d);
		return -1;
	}
	return rl_bt_eligibility_out(b, rec, res, pol, r);
}

void
rl_bt_progress(rl_batch *b)
{
	if (b->o.progress == NULL || ++b->tick % 256 != 0)
		return;
	if (ms_since(&b->last) < 250)
		return;
	clock_gettime(CLOCK_MONOTONIC, &b->last);
	b->sum.elapsed_ms = ms_since(&b->t0);
	b->o.progress(b->o.ctx, &b->sum, b->total);
}

/* A record read: counted, and put at its place in a shard.  1: stopped. */
int
rl_bt_record_in(rl_batch *b, rl_record *rec)
{
	if (b->stop)
		return 1;
	b->sum.read++;
	b->sum.bytes = b->base + rec->offset + rec->length;
	/* a shard's positions: the source counts from its first line */
	return 0;
}

/*
 * check and apply, after the judge: the rules of input order, the
 * counts, the outputs, --max-errors.  Nonzero: stop.
 */
int
rl_bt_record_out(rl_batch *b, const rl_record *rec, rl_result *res)
{
	int accepted;

	if (rl_judge_in_order(b->rules, b->a, b->o.check, res->id != NULL &&
	    rl_idset_has(b->patched, res->id->u.s.ptr, res->id->u.s.len),
	    b->o.mode == RL_BATCH_APPLY, res, &accepted) == -1) {
		rl_bt_nomem(b);
		return 1;
	}
	if (note_patched(b, res, accepted) == -1) {
		rl_bt_nomem(b);
		return 1;
	}
	count(b, res, accepted);
	if (b->csv != NULL && rl_bt_csv_rows(b, res) == -1) {
		rl_bt_nomem(b);
		return 1;
	}
	if (write_record(b, rec, res, accepted) == -1)
		return 1;
	if (!accepted && b->o.max_rejected > 0 &&
	    b->sum.rejected >= b->o.max_rejected) {
		b->stop = 1;
		b->flags |= RL_BATCH_STOPPED;
		if (b->sum.stopped == RL_STOP_NONE)
			b->sum.stopped = RL_STOP_MAX_ERRORS;
	}
	rl_bt_progress(b);
	return b->stop;
}

int
rl_bt_one_record(void *vctx, const rl_record *rec0)
{
	rl_batch *b = vctx;
	rl_record rec = *rec0;
	rl_result res;

	if (rl_bt_record_in(b, &rec))
		return 1;
	if (b->o.mode == RL_BATCH_ELIGIBILITY) {
		if (eligibility_record(b, &rec, &res) == -1)
			return 1;
		rl_bt_progress(b);
		return b->stop;
	}
	if (judge(b, &rec, &res) == -1)
		return 1;
	return rl_bt_record_out(b, &rec, &res);
}

/*
 * A stopped run counts what it left: size bytes of an input (sized = 0
 * when it has no size to tell, such as a pipe), of which done were read.
 */
static void
left_unread(rl_batch *b, int sized, uint64_t size, uint64_t done)
{
	if (!sized)
		b->sum.unread_unknown = 1;
	else if (size > done)
		b->sum.unread += size - done;
}

/* An input that a stopped run does not open: its size, when it has one. */
static void
skipped(rl_batch *b, const char *path, int stdin_)
{
	struct stat st;
	int sized;

	sized = (stdin_ ? fstat(STDIN_FILENO, &st) : stat(path, &st)) == 0 &&
	    S_ISREG(st.st_mode);
	left_unread(b, sized, sized ? (uint64_t)st.st_size : 0, 0);
}

int
rl_bt_one_item(rl_batch *b, const rl_source_item *it)
{
	if (it->kind == RL_ITEM_HEADER)
		return rl_bt_csv_header(b, &it->header);
	if (it->kind == RL_ITEM_ROW)
		return rl_bt_csv_record(b, &it->row);
	return rl_bt_one_record(b, &it->rec);
}

/* One thread: each item judged as it is pulled, in the batch's arena. */
int
rl_bt_read_here(rl_batch *b, rl_source *s, rl_diag *err)
{
	rl_source_item it;
	int stop;

	while (rl_source_next(s, b->a, &it)) {
		stop = rl_bt_one_item(b, &it);
		rl_arena_reset(b->a);
		if (stop)
			return RL_READ_STOPPED;
	}
	return rl_source_status(s, err);
}

/*
 * Reads the source to its end (or a stop) and judges every item: on two
 * threads unless mapper mode (its shards are the orchestrator's
 * parallelism, one core each) or a fault test.
 */
static int
read_source(rl_batch *b, rl_source *s, rl_diag *err)
{
	int r;

	if (b->o.threads < 2 || b->mapper || rl_alloc_hooked() ||
	    rl_bt_read_piped(b, s, err, &r) == -1)
		r = rl_bt_read_here(b, s, err);
	return r;
}

/* How the batch's options open a source (reflint(1), Input). */
void
rl_bt_source_opts(const rl_batch *b, rl_source_opts *so)
{
	memset(so, 0, sizeof(*so));
	so->kind = b->o.csv ? RL_SOURCE_CSV : RL_SOURCE_DETECT;
	so->ro = b->o.ro;
	so->co.delimiter = b->o.delimiter;
	so->co.encoding = b->o.encoding;
	so->co.date_order = b->o.date_order;
	so->co.bufsize = b->o.ro.bufsize;
	so->rules = b->rules;
	/* a shard: positions, and the lines in messages, are the file's */
	so->line = b->o.line_offset + 1;
	so->records = b->o.record_offset;
}

/* A read that ended early: what was read is judged, the rest is lost. */
static void
truncated(rl_batch *b, rl_diag *err, const char *name)
{
	const char *code = rl_code_name(err->code);
	size_t k = strlen(code) + 2, m = strlen(err->message);

	if (b->flags & RL_BATCH_NOMEM)
		return;
	if (err->code == RL_NOMEM) {
		rl_bt_nomem(b);
		return;
	}
	if (err->source == NULL)
		err->source = name;
	/* the input's own trouble says what it is already: no prefix */
	if (err->code == RL_IO_ERROR) {
		rl_bt_message(b, err);
		return;
	}
	/* "CODE: message", cut to fit. */
	if (k + m >= sizeof(err->message))
		m = sizeof(err->message) - k - 1;
	memmove(err->message + k, err->message, m);
	memcpy(err->message, code, k - 2);
	memcpy(err->message + k - 2, ": ", 2);
	err->message[k + m] = '\0';
	err->code = RL_IO_ERROR;
	rl_bt_message(b, err);
}

int
rl_batch_input_mem(rl_batch *b, const char *buf, size_t len,
    const char *name)
{
	rl_source_opts so;
	rl_source *s;
	rl_diag err = RL_DIAG_INIT;
	int r = RL_READ_TRUNCATED;

	if (b->stop)
		return b->flags;
	if (b->o.source_name != NULL)
		name = b->o.source_name;
	memset(&b->input, 0, sizeof(b->input));
	b->input.name = name;
	b->input.ordinal = ++b->inputs;
	b->input.encoding = "utf-8";
	rl_bt_source_opts(b, &so);
	memset(&err, 0, sizeof(err));
	if ((s = rl_source_open_mem(buf, len, name, &so, &err)) != NULL) {
		b->input.csv = strcmp(rl_source_format_name(s), "csv") == 0;
		r = read_source(b, s, &err);
	}
	rl_source_close(s);
	rl_arena_reset(b->a);
	if (r == RL_READ_OK)
		b->sum.bytes = b->base + len;
	b->base = b->sum.bytes;
	input_end(b);
	if (r == RL_READ_TRUNCATED)
		truncated(b, &err, name);
	return b->flags;
}

int
rl_batch_input(rl_batch *b, const char *path)
{
	int stdin_ = path == NULL || strcmp(path, "-") == 0;
	const char *name = b->o.source_name != NULL ? b->o.source_name :
	    stdin_ ? "<stdin>" : path;
	struct stat st;
	rl_diag err = RL_DIAG_INIT;
	off_t end;
	uint64_t size = 0, base = b->base;
	rl_source_opts so;
	rl_source *s;
	int fd, r, sized;

	if (b->stop) {
		if (b->sum.stopped != RL_STOP_NONE)
			skipped(b, path, stdin_);
		return b->flags;
	}
	if ((fd = stdin_ ? STDIN_FILENO : open(path, O_RDONLY)) == -1) {
		rl_diag_set(&err, RL_IO_ERROR, "cannot open: %s", strerror(errno));
		err.source = path;
		rl_bt_message(b, &err);
		return b->flags;
	}
	if ((sized = fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) != 0)
		b->total += size = (uint64_t)st.st_size;
	memset(&b->input, 0, sizeof(b->input));
	b->input.name = name;
	b->input.ordinal = ++b->inputs;
	b->input.encoding = "utf-8";
	rl_bt_source_opts(b, &so);
	memset(&err, 0, sizeof(err));
	if ((s = rl_source_open_fd(fd, name, &so, &err)) == NULL)
		r = RL_READ_TRUNCATED;
	else {
		b->input.csv = strcmp(rl_source_format_name(s), "csv") == 0;
		if ((r = rl_bt_read_parallel(b, fd, name, s, &err)) == -1)
			r = read_source(b, s, &err);
	}
	rl_source_close(s);
	rl_arena_reset(b->a);
	/* Read to the end: every byte counts (blank lines, whitespace). */
	if (r == RL_READ_OK && (end = lseek(fd, 0, SEEK_CUR)) > 0)
		b->sum.bytes = b->base + (uint64_t)end;
	b->base = b->sum.bytes;
	/* stopped in this input: the bytes after its last record judged */
	if (b->sum.stopped != RL_STOP_NONE)
		left_unread(b, sized, size, b->sum.bytes - base);
	if (fd != STDIN_FILENO)
		close(fd);
	input_end(b);
	if (r == RL_READ_TRUNCATED)
		truncated(b, &err, name);
	return b->flags;
}
