/*
 * snapshot.c: the --referrals index.  Two open-addressing tables of entry
 * numbers (by id hash, and by engagement id hash, which may repeat) over an
 * array of fixed-size entries: hashes and byte ranges, never the referrals.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "decode.h"
#include "idset.h"
#include "parallel.h"
#include "rules.h"
#include "snapshot.h"
#include "source.h"

#define POS_BITS 48
#define POS_MASK ((UINT64_C(1) << POS_BITS) - 1)
#define MAX_FILES 65535

struct entry {
	uint64_t idh;          /* hash of the id */
	uint64_t engh;         /* hash of the engagement id; 0 = none */
	uint64_t pos;          /* file << 48 | byte offset */
	uint32_t len;          /* bytes of the referral */
};

struct table {
	uint32_t *slot;        /* entry number + 1; 0 = empty */
	size_t cap;            /* a power of two */
	size_t n;
};

struct rl_snapshot {
	const rl_rules *rules; /* borrowed: where a referral's engagement is */
	rl_reader_opts ro;
	struct entry *e;
	size_t n, cap;
	struct table byid, byeng;
	int *fd;
	char **name;
	size_t nfiles;
	rl_arena *a;           /* the reader's while indexing */
	unsigned threads;      /* to index an NDJSON file with */
	size_t chunk;          /* their chunks' bytes; 0: the default */
};

rl_snapshot *
rl_snapshot_new(const rl_rules *rules, const rl_reader_opts *ro)
{
	rl_snapshot *s = rl_malloc(sizeof(*s));

	if (s == NULL)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->rules = rules;
	if (ro != NULL)
		s->ro = *ro;
	return s;
}

void
rl_snapshot_threads(rl_snapshot *s, unsigned n, size_t chunk)
{
	s->threads = n;
	s->chunk = chunk;
}

void
rl_snapshot_free(rl_snapshot *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nfiles; i++) {
		if (s->fd[i] != -1)
			close(s->fd[i]);
		rl_free(s->name[i]);
	}
	rl_free(s->fd);
	rl_free(s->name);
	rl_free(s->e);
	rl_free(s->byid.slot);
	rl_free(s->byeng.slot);
	rl_arena_free(s->a);
	rl_free(s);
}

size_t
rl_snapshot_count(const rl_snapshot *s)
{
	return s->byid.n;
}

size_t
rl_snapshot_footprint(const rl_snapshot *s)
{
	return s->cap * sizeof(*s->e) +
	    (s->byid.cap + s->byeng.cap) * sizeof(uint32_t);
}

/* Grows a table to hold one more entry at a load of at most 1/2. */
static int
table_grow(rl_snapshot *s, struct table *t, int eng)
{
	size_t cap, i, j;
	uint32_t *slot;

	if ((t->n + 1) * 2 <= t->cap)
		return 0;
	cap = t->cap ? t->cap * 2 : 1024;
	if ((slot = rl_malloc(cap * sizeof(*slot))) == NULL)
		return -1;
	memset(slot, 0, cap * sizeof(*slot));
	for (i = 0; i < t->cap; i++) {
		uint32_t k = t->slot[i];

		if (k == 0)
			continue;
		j = (size_t)(eng ? s->e[k - 1].engh : s->e[k - 1].idh) & (cap - 1);
		while (slot[j] != 0)
			j = (j + 1) & (cap - 1);
		slot[j] = k;
	}
	rl_free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return 0;
}

static int
table_put(rl_snapshot *s, struct table *t, uint64_t h, uint32_t k, int eng)
{
	size_t j;

	if (table_grow(s, t, eng) == -1)
		return -1;
	j = (size_t)h & (t->cap - 1);
	while (t->slot[j] != 0)
		j = (j + 1) & (t->cap - 1);
	t->slot[j] = k;
	t->n++;
	return 0;
}

/* The entry with this id hash, or -1. */
static long
find_id(const rl_snapshot *s, uint64_t h)
{
	size_t j;

	if (s->byid.cap == 0)
		return -1;
	for (j = (size_t)h & (s->byid.cap - 1); s->byid.slot[j] != 0;
	    j = (j + 1) & (s->byid.cap - 1))
		if (s->e[s->byid.slot[j] - 1].idh == h)
			return (long)s->byid.slot[j] - 1;
	return -1;
}

struct add_ctx {
	rl_snapshot *s;
	uint64_t file;
	rl_snapshot_error_fn fn;
	void *ctx;
	int reported;
	int nomem;
};

static void
report(struct add_ctx *x, const rl_record *rec, const rl_diag *d0,
    rl_code code, const char *msg)
{
	rl_diag d = RL_DIAG_INIT;

	x->reported = 1;
	if (x->fn == NULL)
		return;
	if (d0 != NULL)
		d = *d0;
	else {
		rl_diag_set(&d, code, "%s", msg);
		d.line = rec->line;
		d.column = rec->column;
	}
	d.source = rec->source;
	x->fn(x->ctx, &d);
}

/* The referral's engagement id where the rules say (a string), or NULL. */
static const rl_value *
engagement(const rl_snapshot *s, const rl_value *referral)
{
	return s->rules != NULL ? rl_rules_engagement(s->rules, referral) : NULL;
}

/* What indexing takes from a record: its ids' hashes, or why not. */
struct hit {
	uint64_t idh, engh;
	int bad;               /* 1: unreadable (rec->diag), 2: no string "id" */
};

/* The hashes of a record's ids; read only, so any thread may call it. */
static void
index_hash(const rl_snapshot *s, const rl_record *rec, struct hit *h)
{
	const rl_value *v = rec->value, *id, *eng;

	memset(h, 0, sizeof(*h));
	if (rec->diag != NULL || v == NULL) {
		h->bad = 1;
		return;
	}
	if (v->type != RL_OBJECT || (id = rl_json_get(v, "id")) == NULL ||
	    id->type != RL_STRING) {
		h->bad = 2;
		return;
	}
	eng = engagement(s, v);
	h->idh = rl_hash64(id->u.s.ptr, id->u.s.len);
	h->engh = eng != NULL ? rl_hash64(eng->u.s.ptr, eng->u.s.len) : 0;
}

/*
 * Enters a record of the file (its positions the file's) in the index, in
 * the file's order; 1 when memory ran out (x->nomem).
 */
static int
index_enter(struct add_ctx *x, const rl_record *rec, const struct hit *h)
{
	rl_snapshot *s = x->s;
	struct entry ent;
	long k;

	if (h->bad == 1) {
		report(x, rec, rec->diag, RL_JSON_SYNTAX, "unreadable record");
		return 0;
	}
	if (h->bad == 2) {
		report(x, rec, NULL, RL_RECORD_SHAPE,
		    "a snapshot record must be a referral object with a string \"id\"");
		return 0;
	}
	if (rec->offset > POS_MASK || rec->length > UINT32_MAX) {
		report(x, rec, NULL, RL_JSON_LIMIT, "the referral is too far into the file or too large to index");
		return 0;
	}
	ent.idh = h->idh;
	ent.engh = h->engh;
	ent.pos = x->file << POS_BITS | rec->offset;
	ent.len = (uint32_t)rec->length;
	if ((k = find_id(s, ent.idh)) >= 0) {
		/* The last occurrence wins. */
		uint64_t old = s->e[k].engh;

		s->e[k] = ent;
		if (ent.engh != 0 && ent.engh != old &&
		    table_put(s, &s->byeng, ent.engh, (uint32_t)k + 1, 1) == -1)
			goto nomem;
		return 0;
	}
	if (s->n == UINT32_MAX - 1)
		goto nomem;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct entry *e = rl_realloc(s->e, cap * sizeof(*e));

		if (e == NULL)
			goto nomem;
		s->e = e;
		s->cap = cap;
	}
	s->e[s->n] = ent;
	if (table_put(s, &s->byid, ent.idh, (uint32_t)s->n + 1, 0) == -1 ||
	    (ent.engh != 0 &&
	    table_put(s, &s->byeng, ent.engh, (uint32_t)s->n + 1, 1) == -1))
		goto nomem;
	s->n++;
	return 0;
nomem:
	x->nomem = 1;
	return 1;
}

static int
index_one(struct add_ctx *x, const rl_record *rec)
{
	struct hit h;

	index_hash(x->s, rec, &h);
	return index_enter(x, rec, &h);
}

/*
 * Worker side of a file indexed on several threads (parallel.h): the
 * record's hashes into the chunk's arena.
 */
static int
par_hash(void *ctx, rl_arena *work, rl_arena *keep, rl_par_item *it)
{
	struct add_ctx *x = ctx;
	struct hit *h;
	rl_diag *d;

	(void)work;
	if ((h = rl_arena_alloc(keep, sizeof(*h))) == NULL)
		goto nomem;
	index_hash(x->s, &it->rec, h);
	/* the diagnostic's long message may be in work, which goes */
	if (it->rec.diag != NULL) {
		if ((d = rl_arena_alloc(keep, sizeof(*d))) == NULL)
			goto nomem;
		*d = *it->rec.diag;
		if (rl_diag_keep(d, 1, keep) == -1)
			goto nomem;
		it->rec.diag = d;
	}
	it->rec.value = NULL;
	it->data = h;
	return 0;
nomem:
	rl_diag_set(it->err, RL_NOMEM, "out of memory");
	return -1;
}

/* Calling side, in the file's order. */
static int
par_enter(void *ctx, rl_arena *a, rl_par_item *it)
{
	struct add_ctx *x = ctx;

	(void)a;
	if (it->failed) {
		x->nomem = 1;
		return 1;
	}
	return index_enter(x, &it->rec, it->data);
}

/*
 * An NDJSON file on s->threads threads: RL_READ_OK, RL_READ_STOPPED,
 * RL_READ_TRUNCATED (err), or -1 when the file is not NDJSON (its first
 * line tells, as it tells the reader) or the threads did not start, and
 * one reader indexes it.
 */
static int
index_parallel(rl_snapshot *s, int fd, struct add_ctx *x, rl_diag *err)
{
	rl_buf buf = RL_BUF_INIT;
	rl_reader_opts ro = s->ro;
	rl_par_opts po;
	ssize_t got;
	int nd = -1, eof = 0, r = -1;

	if (s->threads < 2 || rl_alloc_hooked())
		return -1;
	while (nd == -1 && !eof && buf.len < RL_CSV_SNIFF_MAX) {
		if (rl_buf_reserve(&buf, 16384) == -1)
			break;
		do
			got = pread(fd, buf.data + buf.len, 16384, (off_t)buf.len);
		while (got == -1 && errno == EINTR);
		if (got < 0)
			break;          /* the reader meets the error again */
		eof = got == 0;
		buf.len += (size_t)got;
		nd = rl_par_is_ndjson(&ro, buf.data, buf.len, eof);
	}
	rl_buf_free(&buf);
	if (nd != 1 || lseek(fd, 0, SEEK_SET) == (off_t)-1)
		return -1;
	memset(&po, 0, sizeof(po));
	po.workers = s->threads;
	po.chunk = s->chunk;
	po.judge = par_hash;
	po.emit = par_enter;
	po.ctx = x;
	ro.prefix = NULL;
	ro.prefix_len = 0;
	if ((r = rl_par_read_fd(fd, s->name[x->file], &ro, &po, err)) == -1) {
		/* nothing was entered: one reader starts again */
		rl_diag_clear(err);
		if (lseek(fd, 0, SEEK_SET) == (off_t)-1) {
			rl_diag_set(err, RL_IO_ERROR, "cannot seek: %s",
			    strerror(errno));
			return RL_READ_TRUNCATED;
		}
	}
	return r;
}

/*
 * Indexes every record of the file through a JSON source (source.h), one
 * record in s->a at a time.  The reader's status: RL_READ_OK,
 * RL_READ_STOPPED (out of memory: x->nomem) or RL_READ_TRUNCATED (err).
 */
static int
index_file(rl_snapshot *s, int fd, struct add_ctx *x, rl_diag *err)
{
	rl_source_opts so;
	rl_source_item it;
	rl_source *src;
	int r;

	if ((r = index_parallel(s, fd, x, err)) != -1)
		return r;
	memset(&so, 0, sizeof(so));
	so.kind = RL_SOURCE_JSON;
	so.ro = s->ro;
	so.co.encoding = RL_ENC_NONE;   /* the offsets are the file's bytes */
	if ((src = rl_source_open_fd(fd, s->name[x->file], &so, err)) == NULL)
		return RL_READ_TRUNCATED;
	while (rl_source_next(src, s->a, &it)) {
		r = index_one(x, &it.rec);
		/* the source keeps nothing of an item it gave in s->a */
		rl_arena_reset(s->a);
		if (r != 0) {
			rl_source_close(src);
			return RL_READ_STOPPED;
		}
	}
	r = rl_source_status(src, err);
	rl_source_close(src);
	return r;
}

static int
fail(rl_snapshot_error_fn fn, void *ctx, const char *path, rl_code code,
    const char *msg, int err)
{
	rl_diag d = RL_DIAG_INIT;

	rl_diag_set(&d, code, "%s%s%s", msg, err ? ": " : "",
	    err ? strerror(err) : "");
	d.source = path;
	if (fn != NULL)
		fn(ctx, &d);
	return -1;
}

int
rl_snapshot_add(rl_snapshot *s, const char *path, rl_snapshot_error_fn fn,
    void *ctx)
{
	struct add_ctx x;
	struct stat st;
	rl_diag err = RL_DIAG_INIT;
	int fd, r;
	int *fds;
	char **names;
	size_t n;

	if (s->nfiles >= MAX_FILES)
		return fail(fn, ctx, path, RL_IO_ERROR, "too many snapshot files", 0);
	if ((fd = open(path, O_RDONLY)) == -1)
		return fail(fn, ctx, path, RL_IO_ERROR, "cannot open", errno);
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(fn, ctx, path, RL_IO_ERROR,
		    "a snapshot must be a regular file (it is re-read)", 0);
	}
	if ((s->a == NULL && (s->a = rl_arena_new(0)) == NULL) ||
	    (fds = rl_realloc(s->fd, (s->nfiles + 1) * sizeof(*fds))) == NULL) {
		close(fd);
		return fail(fn, ctx, path, RL_NOMEM, "out of memory", 0);
	}
	s->fd = fds;
	if ((names = rl_realloc(s->name, (s->nfiles + 1) * sizeof(*names))) == NULL) {
		close(fd);
		return fail(fn, ctx, path, RL_NOMEM, "out of memory", 0);
	}
	s->name = names;
	n = strlen(path) + 1;
	if ((s->name[s->nfiles] = rl_malloc(n)) == NULL) {
		close(fd);
		return fail(fn, ctx, path, RL_NOMEM, "out of memory", 0);
	}
	memcpy(s->name[s->nfiles], path, n);
	s->fd[s->nfiles] = fd;
	memset(&x, 0, sizeof(x));
	x.s = s;
	x.file = s->nfiles++;
	x.fn = fn;
	x.ctx = ctx;
	r = index_file(s, fd, &x, &err);
	rl_arena_reset(s->a);
	if (x.nomem)
		return fail(fn, ctx, path, RL_NOMEM, "out of memory", 0);
	if (r == RL_READ_TRUNCATED) {
		err.source = s->name[x.file];
		if (fn != NULL)
			fn(ctx, &err);
		return err.code == RL_IO_ERROR || err.code == RL_NOMEM ? -1 : 1;
	}
	return x.reported;
}

/* Re-reads entry k into a; NULL with d filled on failure. */
static rl_value *
reread(rl_snapshot *s, const struct entry *e, rl_arena *a, rl_diag *d)
{
	size_t file = (size_t)(e->pos >> POS_BITS);
	off_t off = (off_t)(e->pos & POS_MASK);
	size_t got = 0;
	rl_reader_opts o = s->ro;
	char *buf;
	ssize_t r;

	/*
	 * The bytes go to the caller's arena, not to a buffer of the
	 * snapshot: lookups share nothing that changes, so two threads may
	 * make them at once (batch.c reads ahead on one).
	 */
	if ((buf = rl_arena_alloc(a, (size_t)e->len + 1)) == NULL) {
		rl_diag_set(d, RL_NOMEM, "out of memory");
		return NULL;
	}
	while (got < e->len) {
		r = pread(s->fd[file], buf + got, e->len - got,
		    off + (off_t)got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			rl_diag_set(d, RL_IO_ERROR, "%s: cannot re-read the snapshot: %s",
			    s->name[file], r == 0 ? "the file got shorter" : strerror(errno));
			return NULL;
		}
		got += (size_t)r;
	}
	o.format = RL_FMT_VALUE;
	return rl_parse_value(buf, got, &o, a, d);
}

static int
same_string(const rl_value *v, const char *s, size_t n)
{
	return v != NULL && v->type == RL_STRING && v->u.s.len == n &&
	    memcmp(v->u.s.ptr, s, n) == 0;
}

rl_value *
rl_snapshot_get(rl_snapshot *s, const char *id, size_t len, rl_arena *a,
    int *err, rl_diag *d)
{
	uint64_t h = rl_hash64(id, len);
	rl_value *v;
	size_t j;

	if (err != NULL)
		*err = 0;
	if (s == NULL || s->byid.cap == 0)
		return NULL;
	for (j = (size_t)h & (s->byid.cap - 1); s->byid.slot[j] != 0;
	    j = (j + 1) & (s->byid.cap - 1)) {
		const struct entry *e = &s->e[s->byid.slot[j] - 1];

		if (e->idh != h)
			continue;
		if ((v = reread(s, e, a, d)) == NULL) {
			if (err != NULL)
				*err = -1;
			return NULL;
		}
		if (same_string(rl_json_get(v, "id"), id, len))
			return v;
	}
	return NULL;
}

long
rl_snapshot_engagement(rl_snapshot *s, const char *eng, size_t len,
    rl_arena *a, rl_value **out, size_t max, rl_diag *d)
{
	uint64_t h = rl_hash64(eng, len);
	size_t j, n = 0, i;
	uint32_t seen[64];
	size_t nseen = 0;
	rl_value *v;

	if (s == NULL || s->byeng.cap == 0)
		return 0;
	for (j = (size_t)h & (s->byeng.cap - 1); s->byeng.slot[j] != 0 && n < max;
	    j = (j + 1) & (s->byeng.cap - 1)) {
		uint32_t k = s->byeng.slot[j];

		if (s->e[k - 1].engh != h)
			continue;
		for (i = 0; i < nseen && seen[i] != k; i++)
			;
		if (i < nseen)
			continue;
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = k;
		if ((v = reread(s, &s->e[k - 1], a, d)) == NULL)
			return -1;
		if (same_string(engagement(s, v), eng, len))
			out[n++] = v;
	}
	return (long)n;
}
