/*
 * batch_threads.c: a batch's input read on more than one thread
 * (batch_int.h).  Two ways: NDJSON cut into chunks that N workers parse
 * and judge (parallel.h), and, for every other input, a pipeline in which
 * the calling thread reads and one worker judges and writes.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch_int.h"
#include "judge.h"
#include "parallel.h"
#include "policies.h"

/* ---- --threads N: NDJSON and CSV judged by workers (parallel.h) -------- */

/* A copy in a of n items of size sz at p (NULL for none); *fail on -1. */
static void *
keep_array(rl_arena *a, const void *p, size_t n, size_t sz, int *fail)
{
	void *d;

	if (p == NULL || n == 0)
		return NULL;
	if ((d = rl_arena_alloc(a, n * sz)) == NULL) {
		*fail = 1;
		return NULL;
	}
	memcpy(d, p, n * sz);
	return d;
}

/*
 * A CSV row's parts that emit reads (its raw bytes for csv-rows and the
 * workbook, the cells that did not convert, the columns of its ops and
 * members, its own diagnostic), copied into a.
 */
static int
keep_row(rl_par_item *it, rl_arena *a)
{
	rl_csv_record *r = &it->csv;
	rl_diag *conv, *d;
	int fail = 0;

	if (r->raw != NULL && (r->raw = rl_arena_strndup(a, r->raw,
	    r->rawlen)) == NULL)
		return -1;
	conv = keep_array(a, r->conv, r->nconv, sizeof(*conv), &fail);
	if (fail || (conv != NULL && rl_diag_keep(conv, r->nconv, a) == -1))
		return -1;
	r->conv = conv;
	r->op_column = keep_array(a, r->op_column, r->nops,
	    sizeof(*r->op_column), &fail);
	r->members = keep_array(a, r->members, r->nmembers,
	    sizeof(*r->members), &fail);
	if (fail)
		return -1;
	if (r->rec.diag != NULL) {
		if ((d = keep_array(a, r->rec.diag, 1, sizeof(*d), &fail)) == NULL ||
		    rl_diag_keep(d, 1, a) == -1)
			return -1;
		r->rec.diag = d;
	}
	r->rec.value = NULL;
	it->rec = r->rec;
	return 0;
}

/*
 * Worker side: the record's context and verdict, judged in work; what
 * emit writes moves to keep, the chunk's arena, when they differ.
 */
static int
par_judge(void *ctx, rl_arena *work, rl_arena *keep, rl_par_item *it)
{
	rl_batch *b = ctx;
	int rc;

	if (b->o.mode == RL_BATCH_ELIGIBILITY) {
		if ((it->pol = rl_arena_alloc(keep, RL_POLICY_COUNT *
		    sizeof(*it->pol))) == NULL)
			goto nomem;
		/* a record that is not judged leaves them as they are */
		memset(it->pol, 0, RL_POLICY_COUNT * sizeof(*it->pol));
		if ((it->judged = rl_bt_eligibility_judge(b, work, &it->rec,
		    &it->res, it->pol, it->err)) == -1)
			return -1;
		if (work != keep && rl_policy_move(it->pol, RL_POLICY_COUNT,
		    keep) == -1)
			goto nomem;
	} else if ((rc = rl_bt_judge(b, work, &it->rec, it->is_csv ?
	    &it->csv : NULL, NULL, &it->res, it->err)) != 0)
		return rc;
	if (work != keep) {
		if (rl_result_move(&it->res, keep,
		    b->o.mode == RL_BATCH_APPLY) == -1 ||
		    (it->is_csv && keep_row(it, keep) == -1))
			goto nomem;
		it->rec.value = NULL;
	}
	return 0;
nomem:
	rl_diag_set(it->err, RL_NOMEM, "out of memory");
	return -1;
}

/* The calling thread, in input order. */
static int
par_emit(void *ctx, rl_arena *a, rl_par_item *it)
{
	rl_batch *b = ctx;
	rl_arena *own = b->a;
	int stop;

	/* a CSV range counts from the header source's record, offset already */
	if (!it->is_csv)
		it->rec.index += b->o.record_offset;
	if (rl_bt_record_in(b, &it->rec))
		return 1;
	if (it->failed) {
		if (it->err->code == RL_NOMEM)
			rl_bt_nomem(b);
		else
			rl_bt_message(b, it->err);
		return 1;
	}
	b->a = a;
	if (b->o.mode == RL_BATCH_ELIGIBILITY) {
		stop = rl_bt_eligibility_out(b, &it->rec, &it->res, it->pol,
		    it->judged) == -1;
		if (!stop) {
			rl_bt_progress(b);
			stop = b->stop;
		}
	} else {
		b->csv = it->is_csv ? &it->csv : NULL;
		stop = rl_bt_record_out(b, &it->rec, &it->res);
		b->csv = NULL;
	}
	b->a = own;
	return stop;
}

/* The pipeline ---------------------------------------------------------- */

/*
 * With two threads, the reader (the caller's thread) parses records into
 * blocks, each with its own arena, and a worker judges and writes them in
 * order.  yajl and the building of values take about as long as judging
 * and writing: the two halves overlap.  A block goes over when it holds
 * BLK_RECORDS records or its arena outgrows its one chunk, which a reset
 * keeps (no malloc per block); NBLK blocks bound the memory (the reader
 * waits for a free block, never grows a queue).  Nothing
 * else is shared: the worker alone touches the batch (counts, outputs,
 * snapshot), the reader alone its block, and blocks change hands under
 * the mutex.
 */
#define BLK_RECORDS 32
#define BLK_CHUNK (512 * 1024)
#define NBLK 4

struct prec {
	rl_record rec;
	rl_diag diag;               /* the record's own copy */
	rl_prefetch pre;
	int is_csv;                 /* a CSV row: csv (rec is csv.rec) */
	rl_csv_record csv;
};

struct blk {
	rl_arena *a;
	size_t n;
	struct prec r[BLK_RECORDS];
	struct blk *next;
};

struct pipeline {
	rl_batch *b;
	pthread_mutex_t mu;
	pthread_cond_t cv;          /* a block became full or free, or done */
	struct blk *full, *full_tail, *free_;
	struct blk *cur;            /* the reader's */
	int done;                   /* the reader has handed over its last */
	int stopped;                /* the worker stopped judging */
	int nomem;                  /* the reader could not keep a row */
	struct blk blocks[NBLK];
};

/* Reader side: keep the record (its values are in cur's arena). */
static int
pipe_record(struct pipeline *p, const rl_record *rec)
{
	struct prec *slot = &p->cur->r[p->cur->n++];
	int stop;

	slot->rec = *rec;
	slot->is_csv = 0;
	slot->pre.state = 0;
	rl_diag_clear(&slot->pre.diag);
	if (rec->diag != NULL) {
		slot->diag = *rec->diag;
		slot->rec.diag = &slot->diag;
	} else if (p->b->o.snapshot != NULL && rl_context_patch_only(rec->value)) {
		/*
		 * Re-reading the referral is as much work as reading the
		 * record: done here, it balances the two threads (P3).
		 */
		const rl_value *id = rl_json_get(rec->value, "id");
		int err;

		slot->pre.ref = rl_snapshot_get(p->b->o.snapshot, id->u.s.ptr,
		    id->u.s.len, p->cur->a, &err, &slot->pre.diag);
		slot->pre.state = err ? -1 : 1;
	}
	/* read without the lock: a stop seen one record late costs nothing */
	stop = __atomic_load_n(&p->stopped, __ATOMIC_RELAXED);
	return stop;
}

/* Reader side, CSV: keep the row (the source put its bytes in cur's arena). */
static int
pipe_csv_record(struct pipeline *p, const rl_csv_record *r)
{
	struct prec *slot = &p->cur->r[p->cur->n++];

	slot->is_csv = 1;
	slot->pre.state = 0;
	slot->csv = *r;
	if (r->rec.diag != NULL) {
		slot->diag = *r->rec.diag;
		slot->csv.rec.diag = &slot->diag;
	}
	return __atomic_load_n(&p->stopped, __ATOMIC_RELAXED);
}

/* Reader side: after a record, hand cur over when it is full. */
static void
pipe_next_block(struct pipeline *p)
{
	struct blk *c = p->cur;

	if (c->n < BLK_RECORDS && rl_arena_footprint(c->a) <= BLK_CHUNK + 256)
		return;
	pthread_mutex_lock(&p->mu);
	c->next = NULL;
	if (p->full_tail != NULL)
		p->full_tail->next = c;
	else
		p->full = c;
	p->full_tail = c;
	pthread_cond_broadcast(&p->cv);
	/* the worker recycles every block, judged or not: this ends */
	while (p->free_ == NULL)
		pthread_cond_wait(&p->cv, &p->mu);
	p->cur = p->free_;
	p->free_ = p->cur->next;
	pthread_mutex_unlock(&p->mu);
}


/* Reader side: pull every item of the source into the blocks. */
static int
pipe_read(struct pipeline *p, rl_source *s, rl_diag *err)
{
	rl_source_item it;
	int stop;

	while (rl_source_next(s, p->cur->a, &it)) {
		/* the header, before any row of this input is judged */
		if (it.kind == RL_ITEM_HEADER)
			stop = rl_bt_csv_header(p->b, &it.header);
		else if (it.kind == RL_ITEM_ROW)
			stop = pipe_csv_record(p, &it.row);
		else
			stop = pipe_record(p, &it.rec);
		if (stop)
			return RL_READ_STOPPED;
		if (it.kind != RL_ITEM_HEADER)
			pipe_next_block(p);
	}
	return rl_source_status(s, err);
}

static void *
pipe_worker(void *ctx)
{
	struct pipeline *p = ctx;
	rl_batch *b = p->b;
	rl_arena *own = b->a;
	struct blk *c;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->full == NULL && !p->done)
			pthread_cond_wait(&p->cv, &p->mu);
		if ((c = p->full) == NULL) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		if ((p->full = c->next) == NULL)
			p->full_tail = NULL;
		pthread_mutex_unlock(&p->mu);
		b->a = c->a;
		for (i = 0; i < c->n; i++) {
			struct prec *r = &c->r[i];

			b->pre = &r->pre;
			b->csv = r->is_csv ? &r->csv : NULL;
			if (!b->stop && rl_bt_one_record(b, r->is_csv ? &r->csv.rec :
			    &r->rec))
				b->stop = 1;
		}
		b->csv = NULL;
		b->pre = NULL;
		b->a = own;
		rl_arena_reset(c->a);
		c->n = 0;
		pthread_mutex_lock(&p->mu);
		if (b->stop)
			__atomic_store_n(&p->stopped, 1, __ATOMIC_RELAXED);
		c->next = p->free_;
		p->free_ = c;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/*
 * The source read through the pipeline; -1 when it cannot start (the
 * caller reads on one thread instead).
 */
int
rl_bt_read_piped(rl_batch *b, rl_source *s, rl_diag *err, int *rc)
{
	struct pipeline *p;
	pthread_t worker;
	size_t i, made = 0;
	int ok = 0;

	if ((p = rl_malloc(sizeof(*p))) == NULL)
		return -1;
	memset(p, 0, sizeof(*p));
	p->b = b;
	for (i = 0; i < NBLK; i++, made++)
		if ((p->blocks[i].a = rl_arena_new(BLK_CHUNK)) == NULL)
			break;
	if (made == NBLK && pthread_mutex_init(&p->mu, NULL) == 0) {
		if (pthread_cond_init(&p->cv, NULL) == 0) {
			for (i = 1; i < NBLK; i++) {
				p->blocks[i].next = p->free_;
				p->free_ = &p->blocks[i];
			}
			p->cur = &p->blocks[0];
			if (pthread_create(&worker, NULL, pipe_worker, p) == 0) {
				ok = 1;
				*rc = pipe_read(p, s, err);
				pthread_mutex_lock(&p->mu);
				if (p->cur->n > 0) {
					p->cur->next = NULL;
					if (p->full_tail != NULL)
						p->full_tail->next = p->cur;
					else
						p->full = p->cur;
					p->full_tail = p->cur;
				}
				p->done = 1;
				pthread_cond_broadcast(&p->cv);
				pthread_mutex_unlock(&p->mu);
				pthread_join(worker, NULL);
				/*
				 * The reader may have read past the record
				 * that stopped the run: as on one thread, the
				 * input then ends there (no later error, no
				 * bytes past it in the summary).
				 */
				if (b->stop)
					*rc = RL_READ_STOPPED;
				if (p->nomem) {
					rl_bt_nomem(b);
					*rc = RL_READ_STOPPED;
				}
			}
			pthread_cond_destroy(&p->cv);
		}
		pthread_mutex_destroy(&p->mu);
	}
	for (i = 0; i < made; i++)
		rl_arena_free(p->blocks[i].a);
	rl_free(p);
	return ok ? 0 : -1;
}

/*
 * NDJSON on the workers of --threads N (parallel.h), when the source found
 * JSON and its first line is one whole value: the bytes the source read
 * to tell go first.  -1 when that does not apply (the source then reads,
 * with every byte read here given back) or the threads cannot start.
 */
/* The workers of --threads N, with this batch's judge and emit. */
static void
par_opts(rl_batch *b, rl_par_opts *po)
{
	memset(po, 0, sizeof(*po));
	po->workers = (unsigned)b->o.threads;
	po->chunk = b->o.chunk;
	po->judge = par_judge;
	po->emit = par_emit;
	po->ctx = b;
}

/*
 * CSV on the workers, for a file (the tail and the header's end need a
 * seek; a pipe stays on the pipeline).  The header, and the rows that the
 * source parsed with it (telling the delimiter reads ahead), are judged
 * here as on one thread; the rows from the source's position on go to
 * the workers, in ranges that follow this source's header; what the
 * workers must not take (parallel.h, tail) goes to one reader.
 */
static int
read_parallel_csv(rl_batch *b, int fd, const char *name, rl_source *s,
    rl_diag *err)
{
	rl_source_item it;
	rl_source_pos pos;
	rl_source_opts so;
	rl_par_opts po;
	rl_source *t;
	struct stat st;
	int r, decoded = 0;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	while (rl_source_position(s, &pos) == -1) {
		if (!rl_source_next(s, b->a, &it))
			return -1;      /* the caller meets the end, or why */
		if (it.kind == RL_ITEM_HEADER && it.header.encoding != NULL)
			decoded = 1;
		r = rl_bt_one_item(b, &it);
		rl_arena_reset(b->a);
		if (r)
			return RL_READ_STOPPED;
	}
	/*
	 * A decoded input (UTF-16, Windows-1252): its positions count the
	 * decoded bytes, not the file's, so it stays with its one reader.
	 */
	if (decoded)
		return -1;
	if (lseek(fd, (off_t)pos.offset, SEEK_SET) == (off_t)-1)
		return -1;
	rl_bt_source_opts(b, &so);
	so.kind = RL_SOURCE_CSV;
	so.co.delimiter = b->input.delimiter;
	so.header_of = s;
	par_opts(b, &po);
	po.csv = &so;
	po.start = pos;
	if ((r = rl_par_read_fd(fd, name, &b->o.ro, &po, err)) == -1) {
		/* the threads did not start: one reader from pos */
		po.tail_left = 1;
		po.tail = pos;
		r = RL_READ_OK;
	}
	if (r != RL_READ_OK || !po.tail_left)
		return r;
	so.offset = po.tail.offset;
	so.line = po.tail.line;
	so.rows = po.tail.rows;
	so.records = po.tail.records;
	if ((t = rl_source_open_fd(fd, name, &so, err)) == NULL)
		return RL_READ_TRUNCATED;
	if (rl_bt_read_piped(b, t, err, &r) == -1)
		r = rl_bt_read_here(b, t, err);
	rl_source_close(t);
	return r;
}

int
rl_bt_read_parallel(rl_batch *b, int fd, const char *name, rl_source *s,
    rl_diag *err)
{
	size_t size = b->o.ro.bufsize ? b->o.ro.bufsize : RL_DEFAULT_BUFSIZE;
	rl_buf buf = RL_BUF_INIT;
	rl_reader_opts ro = b->o.ro;
	const char *p;
	size_t n, peeked;
	rl_par_opts po;
	ssize_t got;
	int nd, eof = 0, r = -1;

	if (b->o.threads < 2 || b->mapper || rl_alloc_hooked())
		return -1;
	if (strcmp(rl_source_format_name(s), "csv") == 0 && !isatty(fd))
		return read_parallel_csv(b, fd, name, s, err);
	if (strcmp(rl_source_format_name(s), "json") != 0)
		return -1;
	/*
	 * Nothing peeked is an empty input; a terminal's end of file is not
	 * for keeps, so no byte is read past what the source read there.
	 */
	if ((peeked = n = rl_source_peeked(s, &p)) == 0 || isatty(fd))
		return -1;
	if (rl_buf_append(&buf, p, n) == -1)
		return -1;
	/* the whole first line tells, as it does the reader */
	while ((nd = rl_par_is_ndjson(&ro, buf.data != NULL ? buf.data : "",
	    buf.len, eof)) == -1 && buf.len < RL_CSV_SNIFF_MAX) {
		if (rl_buf_reserve(&buf, size) == -1)
			break;
		do
			got = read(fd, buf.data + buf.len, size);
		while (got == -1 && errno == EINTR);
		if (got < 0)
			break;          /* the source meets the error again */
		if (got == 0)
			eof = 1;
		buf.len += (size_t)got;
	}
	if (nd == 1) {
		ro.prefix = buf.data;
		ro.prefix_len = buf.len;
		ro.first_line = b->o.line_offset + 1;
		par_opts(b, &po);
		r = rl_par_read_fd(fd, name, &ro, &po, err);
	}
	/* not for the workers: the source reads what was read here too */
	if (r == -1 && buf.len > peeked &&
	    rl_source_unread(s, buf.data + peeked, buf.len - peeked) == -1) {
		rl_diag_set(err, RL_NOMEM, "out of memory");
		r = RL_READ_TRUNCATED;
	}
	rl_buf_free(&buf);
	return r;
}

