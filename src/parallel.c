/*
 * parallel.c: NDJSON read and judged by N workers, emitted in input order
 * (parallel.h).
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

/* The reader keeps every record of a chunk: emit reads them later. */
static rl_arena *
same_arena(void *ctx, int *same)
{
	void **pp = ctx;
	struct chunk *c = pp[1];

	*same = 1;
	return c->a;
}

/* Worker side: one record of the chunk, judged at once. */
static int
take(void *ctx, const rl_record *rec)
{
	void **pp = ctx;
	struct par *p = pp[0];
	struct chunk *c = pp[1];
	rl_par_item *it;

	if (c->n == c->nalloc) {
		size_t n = c->nalloc ? c->nalloc * 2 : 256;
		rl_par_item *m = rl_realloc(c->items, n * sizeof(*m));

		if (m == NULL) {
			rl_diag_set(&c->err, RL_NOMEM, "out of memory");
			c->rc = RL_READ_TRUNCATED;
			return 1;
		}
		c->items = m;
		c->nalloc = n;
	}
	it = &c->items[c->n++];
	memset(it, 0, sizeof(*it));
	it->rec = *rec;
	it->err = &c->err;
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
	if (p->o->judge(p->o->ctx, c->a, it) == -1) {
		it->failed = 1;
		c->stop = 1;
		return 1;
	}
	return 0;
}

static void
work_chunk(struct par *p, struct chunk *c)
{
	void *pp[2] = { p, c };
	rl_reader_opts ro = p->ro;

	c->n = 0;
	c->stop = 0;
	rl_diag_clear(&c->err);
	ro.first_line = c->first_line;
	c->rc = rl_read_mem(c->buf, c->len, p->name, &ro, c->a, take, pp,
	    &c->err);
	if (c->rc == RL_READ_STOPPED && !c->stop)
		c->rc = RL_READ_TRUNCATED;      /* take() ran out of memory */
}

static void *
worker(void *ctx)
{
	struct par *p = ctx;
	struct chunk *c;

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
		work_chunk(p, c);
		pthread_mutex_lock(&p->mu);
		c->state = C_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	rl_regex_thread_end();
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
	unsigned long lines;
	ssize_t got;
	size_t cut, keep;

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
				rl_diag_set(err, RL_IO_ERROR, "%s", strerror(errno));
				return -1;
			}
			if (got == 0)
				in->eof = 1;
		}
		cut = cut_at(c->buf, c->len, &lines);
		if (in->eof && lines < RL_PAR_LINES) {
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
    const rl_par_opts *o, rl_diag *err)
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
	p.ro.next_arena = same_arena;
	in.lines = ro->first_line > 1 ? ro->first_line - 1 : 0;
	in.fd = fd;
	in.prefix = ro->prefix;
	in.prefix_len = ro->prefix_len;
	in.bufsize = ro->bufsize ? ro->bufsize : RL_DEFAULT_BUFSIZE;
	limit = (ro->max_record ? ro->max_record : RL_DEFAULT_MAX_RECORD) + 2;
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
		if (!in.eof || in.carry_len > 0 || in.prefix_at < in.prefix_len) {
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
