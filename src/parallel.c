/*
 * parallel.c: NDJSON or CSV read and judged by N workers, emitted in
 * input order (parallel.h).
 *
 * A ring of chunks moves through three states: the calling thread fills a
 * free chunk with the next bytes of the input up to the last line end,
 * workers take filled chunks, and the calling thread empties the oldest
 * done chunk into emit.  The ring holds two chunks per worker and one
 * more, so that workers are never short of work while the oldest chunk is
 * emitted; memory is bounded by the ring (chunk bytes and their records'
 * arenas), whatever the size of the input.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "parallel.h"
#include "regex.h"
#include "utf8.h"

enum { C_FREE, C_FILLED, C_WORKING, C_DONE };

struct chunk {
	char *buf;
	size_t len, cap;
	uint64_t base;              /* offset of buf[0] in the input */
	unsigned long seq;          /* its place in the input */
	int state;
	rl_arena *a;
	rl_par_item *items;
	size_t n, nalloc;
	unsigned long first_line;   /* the line of buf[0] in the input */
	unsigned long first_row;    /* CSV: spreadsheet rows before buf[0] */
	int rc;                     /* the reader's */
	rl_diag err;                /* its reason, or a failed judge's */
	int stop;                   /* a judge failed: read no further */
};

struct par {
	const rl_par_opts *o;
	rl_reader_opts ro;          /* for the chunks: NDJSON, no prefix */
	const char *name;
	pthread_mutex_t mu;
	pthread_cond_t work;        /* a chunk was filled, or the end */
	pthread_cond_t done;        /* a chunk is done */
	struct chunk *ring;
	size_t nring;
	unsigned long next_work;    /* seq of the next chunk a worker takes */
	unsigned long filled;       /* chunks filled so far */
	int quit;
};

/*
 * A worker's own arena, where each NDJSON record is built and judged
 * before what emit needs moves to the chunk's: small and reused, it stays
 * in the core's cache, where a chunk's arena (its records' values would
 * take some five times its bytes) would not.
 */
static rl_arena *
next_record(void *ctx, int *same)
{
	void **pp = ctx;
	struct chunk *c = pp[1];
	rl_arena *work = pp[2];

	if (work == c->a) {
		*same = 1;      /* no arena of its own: keep to the chunk's */
		return work;
	}
	rl_arena_reset(work);
	*same = 0;
	return work;
}

/* Worker side: a new item of the chunk; NULL when memory ran out. */
static rl_par_item *
new_item(struct chunk *c)
{
	rl_par_item *it;

	if (c->n == c->nalloc) {
		size_t n = c->nalloc ? c->nalloc * 2 : 256;
		rl_par_item *m = rl_realloc(c->items, n * sizeof(*m));

		if (m == NULL) {
			rl_diag_set(&c->err, RL_NOMEM, "out of memory");
			c->rc = RL_READ_TRUNCATED;
			return NULL;
		}
		c->items = m;
		c->nalloc = n;
	}
	it = &c->items[c->n++];
	memset(it, 0, sizeof(*it));
	it->err = &c->err;
	return it;
}

/* Worker side: an item judged at once; 1 stops the chunk. */
static int
judge_item(struct par *p, struct chunk *c, rl_arena *work, rl_par_item *it)
{
	if (p->o->judge(p->o->ctx, work, c->a, it) == -1) {
		it->failed = 1;
		c->stop = 1;
		return 1;
	}
	return 0;
}

/* Worker side: one NDJSON record of the chunk. */
static int
take(void *ctx, const rl_record *rec)
{
	void **pp = ctx;
	struct par *p = pp[0];
	struct chunk *c = pp[1];
	rl_par_item *it;

	if ((it = new_item(c)) == NULL)
		return 1;
	it->rec = *rec;
	if (rec->diag != NULL) {
		rl_diag *d = rl_arena_alloc(c->a, sizeof(*d));

		if (d == NULL) {
			rl_diag_set(&c->err, RL_NOMEM, "out of memory");
			it->failed = 1;
			c->stop = 1;
			return 1;
		}
		*d = *rec->diag;
		it->rec.diag = d;
	}
	return judge_item(p, c, pp[2], it);
}

/*
 * Worker side, CSV: the chunk's rows through a range source that follows
 * the header's reader (read only, by every worker at once).  The source
 * builds each row in the worker's arena, as next_record does a JSON
 * record, and the judge moves what emit needs to the chunk's.
 */
static void
work_csv(struct par *p, struct chunk *c, rl_arena *work)
{
	rl_source_opts so = *p->o->csv;
	rl_source_item si;
	rl_source *s;
	rl_par_item *it;

	so.offset = so.length = 0;
	so.line = c->first_line;
	so.rows = c->first_row;
	so.records = 0;
	if ((s = rl_source_open_mem(c->buf, c->len, p->name, &so,
	    &c->err)) == NULL) {
		c->rc = RL_READ_TRUNCATED;
		return;
	}
	c->rc = -1;
	for (;;) {
		/* the source keeps nothing of an item it gave in work */
		if (work != c->a)
			rl_arena_reset(work);
		if (!rl_source_next(s, work, &si))
			break;
		if (si.kind != RL_ITEM_ROW)
			continue;       /* a range has no header */
		if ((it = new_item(c)) == NULL)
			break;
		it->is_csv = 1;
		it->csv = si.row;
		it->rec = si.row.rec;
		if (judge_item(p, c, work, it))
			break;
	}
	if (c->rc == -1)
		c->rc = c->stop ? RL_READ_STOPPED :
		    rl_source_status(s, &c->err);
	if (c->rc == -1)
		c->rc = RL_READ_STOPPED;
	rl_source_close(s);
}

static void
work_chunk(struct par *p, struct chunk *c, rl_arena *work)
{
	void *pp[3] = { p, c, work };
	rl_reader_opts ro = p->ro;

	c->n = 0;
	c->stop = 0;
	rl_diag_clear(&c->err);
	if (p->o->csv != NULL) {
		work_csv(p, c, work != NULL ? work : c->a);
		return;
	}
	ro.first_line = c->first_line;
	if (work == NULL)
		work = pp[2] = c->a;
	else
		rl_arena_reset(work);
	c->rc = rl_read_mem(c->buf, c->len, p->name, &ro, work, take, pp,
	    &c->err);
	if (c->rc == RL_READ_STOPPED && !c->stop)
		c->rc = RL_READ_TRUNCATED;      /* take() ran out of memory */
}

static void *
worker(void *ctx)
{
	struct par *p = ctx;
	struct chunk *c;
	/* NULL, when memory is short: the chunk's arena serves */
	rl_arena *work = rl_arena_new(0);

	rl_regex_thread_begin();
	pthread_mutex_lock(&p->mu);
	for (;;) {
		c = &p->ring[p->next_work % p->nring];
		while (!p->quit && !(p->next_work < p->filled &&
		    c->state == C_FILLED)) {
			pthread_cond_wait(&p->work, &p->mu);
			c = &p->ring[p->next_work % p->nring];
		}
		if (p->quit)
			break;
		p->next_work++;
		c->state = C_WORKING;
		pthread_mutex_unlock(&p->mu);
		work_chunk(p, c, work);
		pthread_mutex_lock(&p->mu);
		c->state = C_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	rl_regex_thread_end();
	rl_arena_free(work);
	return NULL;
}

/* ---- the calling thread ------------------------------------------------ */

struct input {
	int fd;
	const char *prefix;
	size_t prefix_len, prefix_at;
	size_t bufsize;             /* read(2) size */
	int eof;
	uint64_t offset;            /* bytes handed to chunks so far */
	unsigned long lines;        /* line ends in them */
	/* CSV: the rows in them, the parser's delimiter and limits */
	int csv;
	unsigned long rows;
	unsigned char delim;
	size_t max_field, max_row;
	int tail;                   /* a row the workers must not read */
	unsigned char plain[256];   /* cut_csv's bytes of no meaning */
	char *carry;                /* bytes after the last line end */
	size_t carry_len, carry_cap;
};

static int
grow(char **buf, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 4096;
	char *m;

	while (n < need)
		n *= 2;
	if (n == *cap)
		return 0;
	if ((m = rl_realloc(*buf, n)) == NULL)
		return -1;
	*buf = m;
	*cap = n;
	return 0;
}

/* Appends up to want bytes of the input to c; 0 at the end of it. */
static ssize_t
read_more(struct input *in, struct chunk *c, size_t want)
{
	ssize_t got;

	if (want > in->bufsize)
		want = in->bufsize;
	if (in->prefix_at < in->prefix_len) {
		size_t k = in->prefix_len - in->prefix_at;

		if (k > want)
			k = want;
		memcpy(c->buf + c->len, in->prefix + in->prefix_at, k);
		in->prefix_at += k;
		c->len += k;
		return (ssize_t)k;
	}
	do
		got = read(in->fd, c->buf + c->len, want);
	while (got == -1 && errno == EINTR);
	if (got > 0)
		c->len += (size_t)got;
	return got;
}

static unsigned long
count_nl(const char *s, size_t n)
{
	const char *e = s + n, *nl;
	unsigned long k = 0;

	while ((nl = memchr(s, '\n', (size_t)(e - s))) != NULL) {
		k++;
		s = nl + 1;
	}
	return k;
}

/*
 * Where a chunk of buf may end: after its RL_PAR_LINES-th line end, or
 * else after its last; 0 when it has none.  *lines: the line ends before.
 */
static size_t
cut_at(const char *buf, size_t n, unsigned long *lines)
{
	const char *s = buf, *e = buf + n, *nl;
	size_t cut = 0;

	*lines = 0;
	while (*lines < RL_PAR_LINES &&
	    (nl = memchr(s, '\n', (size_t)(e - s))) != NULL) {
		++*lines;
		s = nl + 1;
		cut = (size_t)(s - buf);
	}
	return cut;
}

/* The states of csv.c's parser that decide where a row ends. */
enum { K_START, K_PLAIN, K_QUOTED, K_QQ, K_CR };

/* A byte that only lengthens a field: ASCII, not special to CSV. */
#define plain(in, c) ((in)->plain[(unsigned char)(c)])

static void
plain_bytes(struct input *in)
{
	unsigned c;

	for (c = 0; c < 256; c++)
		in->plain[c] = c >= 0x20 && c < 0x7F && c != '"' &&
		    c != in->delim;
}

/*
 * Where a chunk of CSV may end: after its RL_PAR_ROWS-th row, or else
 * after its last complete row; 0 when none ends in buf.  *lines and
 * *rows: the line ends and the rows before the cut.  *brk is set when
 * the row after the cut might be read otherwise by the parser than by
 * this copy of its states: its quoting is broken (a quote in an unquoted
 * field, a character after a closing quote, a bare CR), a field or the
 * row comes near the parser's limits, or a byte is NUL or not strict
 * UTF-8 (the parser rejects such a row, or stops at it).  The parser's
 * recovery from those is its own to decide: the workers stop at the cut,
 * and one reader takes the rest (parallel.h, tail).
 */
static size_t
cut_csv(const struct input *in, const char *buf, size_t n,
    unsigned long *lines, unsigned long *rows, int *brk)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i, cut = 0, row = 0, field = 0;
	unsigned long nl = 0, cut_nl = 0;
	unsigned char lo = 0x80, hi = 0xBF;
	unsigned need = 0;
	int st = K_START;

	*rows = 0;
	*brk = 0;
	for (i = 0; i < n && *rows < RL_PAR_ROWS; i++) {
		unsigned c = s[i];

		/*
		 * Most bytes are printable ASCII in a field: a run of them
		 * only lengthens the field (no row ends inside one).
		 */
		if (st != K_QQ && st != K_CR && need == 0 && plain(in, c)) {
			size_t j = i + 1;

			while (j < n && plain(in, s[j]))
				j++;
			field += j - i;
			if (st == K_START)
				st = K_PLAIN;
			if (j - row + 2 >= in->max_row || field + 1 >= in->max_field)
				goto broken;
			i = j - 1;
			continue;
		}
		if (need > 0) {
			if (c < lo || c > hi)
				break;
			lo = 0x80;
			hi = 0xBF;
			need--;
		} else if (c >= 0x80) {
			if ((need = rl_utf8_lead((unsigned char)c, &lo, &hi)) == 0)
				break;
		} else if (c == 0)
			break;
		if (i - row + 2 >= in->max_row || field + 1 >= in->max_field)
			break;
		if (c == '\n')
			nl++;
		switch (st) {
		case K_QUOTED:
			if (c == '"')
				st = K_QQ;
			else
				field++;
			continue;
		case K_QQ:
			if (c == '"') {
				field++;
				st = K_QUOTED;
				continue;
			}
			/*
			 * Past its closing quote a field ends as a plain
			 * one does, and nothing else may follow.
			 */
			/* FALLTHROUGH */
		case K_START:
			if (c == '"') {
				st = K_QUOTED;
				continue;
			}
			/* FALLTHROUGH */
		case K_PLAIN:
			if (c == in->delim) {
				field = 0;
				st = K_START;
			} else if (c == '\n')
				goto row_end;
			else if (c == '\r')
				st = K_CR;
			else if (c == '"' || st == K_QQ)
				goto broken;
			else {
				field++;
				st = K_PLAIN;
			}
			continue;
		case K_CR:
			if (c == '\n')
				goto row_end;
			goto broken;
		}
row_end:
		++*rows;
		cut = row = i + 1;
		cut_nl = nl;
		field = 0;
		st = K_START;
	}
	/* a break out of the loop before its end is a row not to cut */
	if (i < n && *rows < RL_PAR_ROWS)
		*brk = 1;
	*lines = cut_nl;
	return cut;
broken:
	*brk = 1;
	*lines = cut_nl;
	return cut;
}

/*
 * Fills c with the next whole lines of the input (the last chunk may end
 * without a line end).  0: filled; 1: nothing left; -1: I/O error or
 * memory (err).  A line longer than limit is handed over as it is (the
 * reader then sees its start as a line of its own).
 */
static int
fill(struct input *in, struct chunk *c, size_t target, size_t limit,
    rl_diag *err)
{
	unsigned long lines, rows = 0;
	ssize_t got;
	size_t cut, keep;
	int brk = 0;

	c->len = 0;
	c->base = in->offset;
	if (grow(&c->buf, &c->cap, target + in->carry_len) == -1)
		goto nomem;
	if (in->carry_len > 0)
		memcpy(c->buf, in->carry, in->carry_len);
	c->len = in->carry_len;
	in->carry_len = 0;
	for (;;) {
		while (!in->eof && c->len < target) {
			if ((got = read_more(in, c, target - c->len)) == -1) {
				rl_diag_set(err, RL_IO_ERROR, "cannot read: %s",
				    strerror(errno));
				return -1;
			}
			if (got == 0)
				in->eof = 1;
		}
		if (in->csv) {
			cut = cut_csv(in, c->buf, c->len, &lines, &rows, &brk);
			if (brk) {
				/* the rest is the tail's, from the cut on */
				in->tail = 1;
				if (cut == 0) {
					c->len = 0;
					return 1;
				}
				break;
			}
			if (in->eof && rows < RL_PAR_ROWS && cut < c->len) {
				/* the last row, without its line end */
				if (c->len == 0)
					return 1;
				lines += count_nl(c->buf + cut, c->len - cut);
				cut = c->len;
				rows++;
				break;
			}
			if (in->eof && cut == c->len) {
				if (c->len == 0)
					return 1;
				break;
			}
		} else
			cut = cut_at(c->buf, c->len, &lines);
		if (!in->csv && in->eof && lines < RL_PAR_LINES) {
			if (c->len == 0)
				return 1;
			/* the rest of the input, a last line without its end too */
			if (cut < c->len)
				cut = c->len;
			break;
		}
		if (cut > 0)
			break;
		if (c->len >= limit) {
			cut = c->len;
			break;
		}
		/* one line longer than the chunk: read on */
		target = c->len * 2 < limit ? c->len * 2 : limit;
		if (grow(&c->buf, &c->cap, target) == -1)
			goto nomem;
	}
	keep = c->len - cut;
	if (grow(&in->carry, &in->carry_cap, keep) == -1)
		goto nomem;
	if (keep > 0)
		memcpy(in->carry, c->buf + cut, keep);
	in->carry_len = keep;
	c->len = cut;
	in->offset += c->len;
	c->first_line = in->lines + 1;
	in->lines += lines;
	c->first_row = in->rows;
	in->rows += rows;
	return 0;
nomem:
	rl_diag_set(err, RL_NOMEM, "out of memory");
	return -1;
}

/*
 * Puts a record of chunk c into the whole input's terms: its lines are
 * the file's already (the reader started at c->first_line), its byte
 * offset and number are the chunk's.
 */
static void
place(rl_par_item *it, const struct chunk *c, unsigned long records)
{
	it->rec.offset += c->base;
	it->rec.index += records;
	if (it->is_csv) {
		it->csv.rec.offset = it->rec.offset;
		it->csv.rec.index = it->rec.index;
	}
}

int
rl_par_is_ndjson(const rl_reader_opts *ro, const char *buf, size_t len,
    int eof)
{
	const char *nl, *s = buf, *e;
	const rl_value *page;
	rl_reader_opts o;
	rl_arena *a;
	rl_value *v;
	rl_diag d = RL_DIAG_INIT;
	int r;

	if (ro->format == RL_FMT_NDJSON)
		return 1;
	if (ro->format != RL_FMT_AUTO)
		return 0;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	e = buf + len;
	/* the first line that holds anything */
	for (;;) {
		while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
			s++;
		if (s < e && *s == '\n') {
			s++;
			continue;
		}
		break;
	}
	if (s == e)
		return eof ? 0 : -1;
	if (*s != '{')
		return 0;               /* arrays, scalars, garbage: one reader */
	if ((nl = memchr(s, '\n', (size_t)(e - s))) == NULL) {
		if (!eof)
			return -1;
		nl = e;
	}
	o = *ro;
	o.format = RL_FMT_VALUE;
	o.prefix = NULL;
	o.prefix_len = 0;
	o.next_arena = NULL;
	o.bufsize = 0;
	if ((a = rl_arena_new(0)) == NULL)
		return 0;
	v = rl_parse_value(s, (size_t)(nl - s), &o, a, &d);
	/* a first line that is not a whole value: let the reader decide */
	r = v != NULL;
	if (r && (page = rl_json_get(v, "value")) != NULL && page->type == RL_ARRAY)
		r = 0;          /* a list page on one line */
	rl_arena_free(a);
	return r;
}

/* Emits the items of a done chunk; nonzero when reading stops. */
static int
emit_chunk(struct par *p, struct chunk *c, unsigned long *records, int *rc,
    rl_diag *err)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		place(&c->items[i], c, *records);
		if (p->o->emit(p->o->ctx, c->a, &c->items[i]) != 0 ||
		    c->items[i].failed) {
			*rc = RL_READ_STOPPED;
			return 1;
		}
	}
	*records += c->n;
	if (c->rc == RL_READ_TRUNCATED) {
		*err = c->err;
		*rc = RL_READ_TRUNCATED;
		return 1;
	}
	return 0;
}

static void
free_ring(struct par *p)
{
	size_t i;

	for (i = 0; i < p->nring; i++) {
		rl_free(p->ring[i].buf);
		rl_free(p->ring[i].items);
		rl_arena_free(p->ring[i].a);
	}
	rl_free(p->ring);
}

int
rl_par_read_fd(int fd, const char *name, const rl_reader_opts *ro,
    rl_par_opts *o, rl_diag *err)
{
	struct par p;
	struct input in;
	pthread_t *tid = NULL;
	unsigned nt = 0, i;
	unsigned long emitted = 0, records = 0;
	size_t target = o->chunk ? o->chunk : RL_PAR_CHUNK, limit;
	int rc = RL_READ_OK, r, stop = 0, inited = 0;
	rl_diag d = RL_DIAG_INIT;

	memset(&p, 0, sizeof(p));
	memset(&in, 0, sizeof(in));
	p.o = o;
	p.name = name;
	p.ro = *ro;
	p.ro.format = RL_FMT_NDJSON;
	p.ro.prefix = NULL;
	p.ro.prefix_len = 0;
	p.ro.next_arena = next_record;
	in.lines = ro->first_line > 1 ? ro->first_line - 1 : 0;
	in.fd = fd;
	in.prefix = ro->prefix;
	in.prefix_len = ro->prefix_len;
	in.bufsize = ro->bufsize ? ro->bufsize : RL_DEFAULT_BUFSIZE;
	limit = (ro->max_record ? ro->max_record : RL_DEFAULT_MAX_RECORD) + 2;
	o->tail_left = 0;
	if (o->csv != NULL) {
		/* the rows from start on; none longer than max_row (cut_csv) */
		in.csv = 1;
		in.prefix = NULL;
		in.prefix_len = 0;
		in.offset = o->start.offset;
		in.lines = o->start.line > 1 ? o->start.line - 1 : 0;
		in.rows = o->start.rows;
		records = o->start.records;
		in.delim = (unsigned char)o->csv->co.delimiter;
		in.max_field = o->csv->co.max_field ? o->csv->co.max_field :
		    RL_CSV_DEFAULT_MAX_FIELD;
		in.max_row = o->csv->co.max_row ? o->csv->co.max_row :
		    RL_CSV_DEFAULT_MAX_ROW;
		limit = in.max_row + target;
		plain_bytes(&in);
	}
	if (limit < target)
		limit = target;
	p.nring = 2 * (size_t)o->workers + 1;
	if ((p.ring = rl_malloc(p.nring * sizeof(*p.ring))) == NULL)
		goto nomem;
	memset(p.ring, 0, p.nring * sizeof(*p.ring));
	for (i = 0; i < p.nring; i++)
		if ((p.ring[i].a = rl_arena_new(0)) == NULL)
			goto nomem;
	if ((tid = rl_malloc(o->workers * sizeof(*tid))) == NULL)
		goto nomem;
	if (pthread_mutex_init(&p.mu, NULL) != 0)
		goto nothreads;
	if (pthread_cond_init(&p.work, NULL) != 0) {
		pthread_mutex_destroy(&p.mu);
		goto nothreads;
	}
	if (pthread_cond_init(&p.done, NULL) != 0) {
		pthread_cond_destroy(&p.work);
		pthread_mutex_destroy(&p.mu);
		goto nothreads;
	}
	inited = 1;
	for (nt = 0; nt < o->workers; nt++)
		if (pthread_create(&tid[nt], NULL, worker, &p) != 0)
			break;
	if (nt == 0)
		goto nothreads;

	pthread_mutex_lock(&p.mu);
	for (;;) {
		struct chunk *c;

		/* the oldest chunk first, when it is done */
		c = &p.ring[emitted % p.nring];
		if (emitted < p.filled && c->state == C_DONE) {
			pthread_mutex_unlock(&p.mu);
			stop = emit_chunk(&p, c, &records, &rc, err);
			rl_arena_reset(c->a);
			c->n = 0;
			pthread_mutex_lock(&p.mu);
			c->state = C_FREE;
			emitted++;
			if (stop)
				break;
			continue;
		}
		/* then more input, while the ring has room */
		c = &p.ring[p.filled % p.nring];
		if (!in.tail && (!in.eof || in.carry_len > 0 ||
		    in.prefix_at < in.prefix_len)) {
			if (c->state == C_FREE) {
				pthread_mutex_unlock(&p.mu);
				r = fill(&in, c, target, limit, &d);
				pthread_mutex_lock(&p.mu);
				if (r == -1) {
					*err = d;
					rc = RL_READ_TRUNCATED;
					stop = 1;
					/* what was read before is still emitted */
					if (emitted == p.filled)
						break;
					in.eof = 1;
					in.carry_len = 0;
					continue;
				}
				if (r == 0) {
					c->seq = p.filled;
					c->state = C_FILLED;
					p.filled++;
					pthread_cond_signal(&p.work);
				}
				continue;
			}
		} else if (emitted == p.filled)
			break;          /* everything read is emitted */
		pthread_cond_wait(&p.done, &p.mu);
	}
	p.quit = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < nt; i++)
		pthread_join(tid[i], NULL);
	pthread_cond_destroy(&p.done);
	pthread_cond_destroy(&p.work);
	pthread_mutex_destroy(&p.mu);
	rl_free(tid);
	rl_free(in.carry);
	free_ring(&p);
	if (in.tail && rc == RL_READ_OK) {
		o->tail_left = 1;
		o->tail.offset = in.offset;
		o->tail.line = in.lines + 1;
		o->tail.rows = in.rows;
		o->tail.records = records;
	}
	(void)stop;
	return rc;
nothreads:
	rl_diag_set(err, RL_IO_ERROR, "cannot start the worker threads");
	goto fail;
nomem:
	rl_diag_set(err, RL_NOMEM, "out of memory");
fail:
	if (inited) {
		pthread_cond_destroy(&p.done);
		pthread_cond_destroy(&p.work);
		pthread_mutex_destroy(&p.mu);
	}
	rl_free(tid);
	rl_free(in.carry);
	if (p.ring != NULL)
		free_ring(&p);
	return -1;
}
