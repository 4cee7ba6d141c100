/*
 * source.c: the pull interface over the push parsers (source.h), and the
 * table of formats.
 *
 * A parser calls back with each item; the callback queues it and asks the
 * parser to pause at the end of the line (RL_RECORD_PAUSE), so that a pull
 * feeds bytes only until its item is there.  The first item of a pull is
 * built in the caller's arena; any that complete in the same piece (the
 * elements of a JSON array on one line, the rows of bytes re-read after a
 * broken row) are built in the queue's arena and copied into the caller's
 * arena when their turn comes, which keeps the ownership rule of
 * source.h without an arena per queued item.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source_int.h"

/*
 * Format detection: the first row whose sniff says yes opens the input.
 * A new input format is one file and one row here.
 */
static const struct rl_source_format *const formats[] = {
	&rl_source_csv,
	&rl_source_json,            /* last: it takes what is left */
};

/* Queue ------------------------------------------------------------------ */

rl_arena *
rl_source_build_arena(const rl_source *s)
{
	return s->build;
}

rl_arena *
rl_source_next_arena(void *ctx, int *same)
{
	rl_source *s = ctx;

	*same = s->build == s->qa;
	s->build = s->qa;
	return s->qa;
}

/* Only the fields of an item's kind: the others are never read. */
static inline void
copy_item(rl_source_item *d, const rl_source_item *it)
{
	d->kind = it->kind;
	switch (it->kind) {
	case RL_ITEM_ROW:
		d->row = it->row;
		/* FALLTHROUGH */
	case RL_ITEM_RECORD:
		d->rec = it->rec;
		break;
	case RL_ITEM_HEADER:
		d->header = it->header;
		break;
	}
}

int
rl_source_push(rl_source *s, const rl_source_item *it)
{
	struct qent *e;

	if (s->qhead > 0 && s->qhead == s->qn)
		s->qhead = s->qn = 0;
	if (s->qn == s->qcap) {
		size_t ncap = s->qcap ? s->qcap * 2 : 8;

		if ((e = rl_realloc(s->q, ncap * sizeof(*e))) == NULL) {
			s->nomem = 1;
			return -1;
		}
		s->q = e;
		s->qcap = ncap;
	}
	e = &s->q[s->qn++];
	copy_item(&e->it, it);
	e->in_q = s->build == s->qa;
	if (!e->in_q) {
		/* the caller's arena holds one item: the rest go to the queue's */
		s->build = s->qa;
		s->fmt->set_arena(s, s->qa);
	}
	return 0;
}

static const void *
copy_bytes(rl_arena *a, const void *p, size_t n, int *fail)
{
	void *d;

	if (p == NULL || n == 0)
		return p;
	if ((d = rl_arena_alloc(a, n)) == NULL) {
		*fail = 1;
		return NULL;
	}
	memcpy(d, p, n);
	return d;
}

/* An item built in the queue's arena, into the caller's. */
static int
move_item(rl_source_item *it, rl_arena *a)
{
	int fail = 0;

	switch (it->kind) {
	case RL_ITEM_HEADER:
		it->header.raw = copy_bytes(a, it->header.raw,
		    it->header.rawlen, &fail);
		it->header.note = copy_bytes(a, it->header.note,
		    sizeof(rl_diag), &fail);
		if (it->header.raw == NULL)
			it->header.raw = "";
		return fail ? -1 : 0;
	case RL_ITEM_ROW:
		it->row.raw = copy_bytes(a, it->row.raw, it->row.rawlen, &fail);
		if (it->row.raw == NULL)
			it->row.raw = "";
		it->row.conv = copy_bytes(a, it->row.conv,
		    it->row.nconv * sizeof(rl_diag), &fail);
		it->row.members = copy_bytes(a, it->row.members,
		    it->row.nmembers * sizeof(*it->row.members), &fail);
		it->rec = it->row.rec;
		break;
	case RL_ITEM_RECORD:
		break;
	}
	it->rec.diag = copy_bytes(a, it->rec.diag, sizeof(rl_diag), &fail);
	if (it->rec.value != NULL &&
	    (it->rec.value = rl_json_copy(a, it->rec.value)) == NULL)
		fail = 1;
	if (it->kind == RL_ITEM_ROW) {
		it->row.rec = it->rec;
	}
	return fail ? -1 : 0;
}

/* Bytes ------------------------------------------------------------------ */

/* read(2) into p, again when interrupted: its count, or -1 with s->err. */
static ssize_t
read_some(rl_source *s, char *p, size_t n)
{
	ssize_t got;

	do
		got = read(s->fd, p, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		rl_diag_set(&s->err, RL_IO_ERROR, "cannot read: %s",
		    strerror(errno));
		s->err.source = s->name;
	}
	return got;
}

/* The next raw bytes: *p and *n (0 at the end, and eof set). */
static int
read_raw(rl_source *s, const char **p, size_t *n)
{
	size_t want = s->bufsize;
	ssize_t got;

	*n = 0;
	if (!s->peek_fed) {
		s->peek_fed = 1;
		if (s->peek.len > 0) {
			*p = s->peek.data;
			*n = s->peek.len;
			return 0;
		}
	}
	/* a terminal's end of file is not read twice (one Ctrl-D) */
	if (s->peek_eof) {
		s->eof = 1;
		return 0;
	}
	if (s->mem != NULL && s->dec == NULL) {
		s->eof = 1;                 /* the window was all of it */
		return 0;
	}
	if (s->mem != NULL) {
		/* through the decoder in the slices of a read */
		*p = s->mem + s->mpos;
		*n = s->memlen - s->mpos > want ? want : s->memlen - s->mpos;
		s->mpos += *n;
		s->eof = *n == 0;
		return 0;
	}
	if (s->o.length > 0 && s->left < want)
		want = (size_t)s->left;
	if (want == 0) {
		s->eof = 1;
		return 0;
	}
	if ((got = read_some(s, s->rbuf, want)) < 0)
		return -1;
	if (got == 0)
		s->eof = 1;
	s->left -= (uint64_t)got;
	*p = s->rbuf;
	*n = (size_t)got;
	return 0;
}

/*
 * After a byte not of the encoding the decoder drops the rest: a file is
 * not read further (its bytes count as read), a pipe is drained.
 */
static void
skip_rest(rl_source *s)
{
	struct stat st;

	if (s->mem != NULL)
		s->mpos = s->memlen;
	else if (s->o.length == 0 && fstat(s->fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && lseek(s->fd, 0, SEEK_END) != (off_t)-1)
		s->eof = 1;
}

static int
read_more(rl_source *s)
{
	const char *p = "";
	size_t n;

	if (read_raw(s, &p, &n) == -1)
		return -1;
	s->wpos = 0;
	if (s->dec == NULL) {
		s->win = p;
		s->wlen = n;
		return 0;
	}
	s->dtext.len = 0;
	if (rl_decoder_feed(s->dec, p, n, s->eof, &s->dtext) == -1) {
		s->nomem = 1;
		return -1;
	}
	s->win = s->dtext.data;
	s->wlen = s->dtext.len;
	if (rl_decoder_done(s->dec) && !s->eof)
		skip_rest(s);
	return 0;
}

/* The first pass (source_int.h): pread(2), or the bytes in memory. */
int
rl_source_reread(void *ctx, const char **p, size_t *n)
{
	rl_source *s = ctx;
	const char *raw;
	ssize_t got;

	if (p == NULL) {
		rl_decoder_free(s->rr.dec);
		rl_buf_free(&s->rr.in);
		rl_buf_free(&s->rr.out);
		memset(&s->rr, 0, sizeof(s->rr));
		return 0;
	}
	if (s->rr.dec == NULL && s->o.co.encoding != RL_ENC_NONE &&
	    (s->rr.dec = rl_decoder_new((rl_encoding)s->o.co.encoding)) == NULL)
		return -1;
	while (!s->rr.eof) {
		if (s->mem != NULL) {
			got = (ssize_t)(s->memall - s->rr.pos < s->bufsize ?
			    s->memall - s->rr.pos : s->bufsize);
			raw = s->mem + s->rr.pos;
		} else {
			if (rl_buf_reserve(&s->rr.in, s->bufsize) == -1)
				return -1;
			do
				got = pread(s->fd, s->rr.in.data, s->bufsize,
				    (off_t)(s->o.offset + s->rr.pos));
			while (got < 0 && errno == EINTR);
			if (got < 0)
				return -1;
			raw = s->rr.in.data;
		}
		s->rr.pos += (uint64_t)got;
		s->rr.eof = got == 0;
		if (s->rr.dec == NULL) {
			*p = raw;
			*n = (size_t)got;
			return got > 0;
		}
		s->rr.out.len = 0;
		if (rl_decoder_feed(s->rr.dec, raw, (size_t)got, got == 0,
		    &s->rr.out) == -1)
			return -1;
		if (s->rr.out.len > 0) {
			*p = s->rr.out.data;
			*n = s->rr.out.len;
			return 1;
		}
		if (rl_decoder_done(s->rr.dec))
			break;
	}
	return 0;
}

int
rl_source_can_reread(const rl_source *s)
{
	struct stat st;

	if (s->o.header_of != NULL)
		return 0;
	return s->mem != NULL || (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode));
}

/* The end of the input or of reading: the status, once. */
static void
finish(rl_source *s, int rc)
{
	int c;

	if (s->done)
		return;
	s->done = 1;
	c = s->fmt != NULL && s->parser != NULL ? s->fmt->close(s) : RL_READ_OK;
	if (c != RL_READ_OK)
		rc = c;
	if (s->nomem) {
		rl_diag_set(&s->err, RL_NOMEM,
		    "input could not be read to the end: out of memory");
		s->err.source = s->name;
		rc = RL_READ_TRUNCATED;
	}
	s->rc = rc == RL_READ_STOPPED ? RL_READ_TRUNCATED : rc;
}

/* Feed the parser until an item is queued or the input ends. */
static void
pump(rl_source *s)
{
	size_t n, taken;
	int rc;

	while (s->qhead == s->qn && !s->done) {
		if (s->wpos == s->wlen) {
			if (s->eof) {
				finish(s, s->fmt->end(s));
				return;
			}
			if (read_more(s) == -1) {
				finish(s, RL_READ_TRUNCATED);
				return;
			}
			continue;
		}
		/* in slices of a read, as the parser was always fed */
		n = s->wlen - s->wpos;
		if (n > s->bufsize)
			n = s->bufsize;
		rc = s->fmt->feed(s, s->win + s->wpos, n, &taken);
		s->wpos += taken;
		s->fed += taken;
		if (rc != 0 || s->nomem)
			finish(s, rc != 0 ? rc : RL_READ_TRUNCATED);
	}
}

int
rl_source_next(rl_source *s, rl_arena *a, rl_source_item *out)
{
	struct qent *e;

	if (s->qhead == s->qn && !s->done && s->fmt->idle(s)) {
		/* nothing waits in the queue's arena: start afresh */
		rl_arena_reset(s->qa);
		s->build = a;
		s->fmt->set_arena(s, a);
	}
	pump(s);
	if (s->qhead == s->qn)
		return 0;
	e = &s->q[s->qhead++];
	copy_item(out, &e->it);
	if (e->in_q && move_item(out, a) == -1) {
		s->nomem = 1;
		s->qhead = s->qn;
		finish(s, RL_READ_TRUNCATED);
		return 0;
	}
	return 1;
}

int
rl_source_status(const rl_source *s, rl_diag *err)
{
	if (!s->done)
		return -1;
	if (err != NULL && s->rc != RL_READ_OK)
		*err = s->err;
	return s->rc;
}

const char *
rl_source_format_name(const rl_source *s)
{
	return s->fmt->name;
}

int
rl_source_position(const rl_source *s, rl_source_pos *pos)
{
	if (s->done || s->qhead != s->qn || s->fmt->position == NULL)
		return -1;
	return s->fmt->position(s, pos);
}

uint64_t
rl_source_bytes(const rl_source *s)
{
	return s->fed;
}

/* Opening ---------------------------------------------------------------- */

static rl_source *
new_source(const char *name, const rl_source_opts *o, rl_diag *err)
{
	rl_source *s;

	if ((s = rl_malloc(sizeof(*s))) == NULL) {
		rl_diag_set(err, RL_NOMEM, "out of memory");
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->fd = -1;
	if (o != NULL)
		s->o = *o;
	s->bufsize = s->o.ro.bufsize ? s->o.ro.bufsize : RL_DEFAULT_BUFSIZE;
	s->left = s->o.length;
	if ((s->qa = rl_arena_new(0)) == NULL) {
		rl_free(s);
		rl_diag_set(err, RL_NOMEM, "out of memory");
		return NULL;
	}
	s->build = s->qa;
	return s;
}

/*
 * What the formats sniff: the bytes as read, or, when they look like
 * UTF-16 or the user named an encoding, decoded (into view).
 */
static int
sniffed(const rl_source *s, const char **buf, size_t *len, int *eof,
    rl_buf *view)
{
	int e = s->o.co.encoding;
	rl_decoder *d;

	if (e == RL_ENC_NONE || e == RL_ENC_UTF8 || (e != RL_ENC_UTF16 &&
	    e != RL_ENC_WINDOWS_1252 && rl_utf16_sniff(*buf, *len) == 0))
		return 0;
	view->len = 0;
	if ((d = rl_decoder_new((rl_encoding)e)) == NULL ||
	    rl_decoder_feed(d, *buf, *len, *eof, view) == -1) {
		rl_decoder_free(d);
		return -1;
	}
	*eof = *eof || rl_decoder_done(d);
	rl_decoder_free(d);
	*buf = view->data != NULL ? view->data : "";
	*len = view->len;
	return 0;
}

/*
 * One more read into the peek buffer, of at most *size bytes: 0, or -1
 * with s->err (out of memory, a read error).
 */
static int
peek_more(rl_source *s, size_t *size, int *eof)
{
	ssize_t got;

	if (rl_buf_reserve(&s->peek, *size) == -1) {
		rl_diag_set(&s->err, RL_NOMEM, "out of memory");
		return -1;
	}
	if (s->o.length > 0 && s->left < *size)
		*size = (size_t)s->left;
	if ((got = *size == 0 ? 0 :
	    read_some(s, s->peek.data + s->peek.len, *size)) < 0)
		return -1;
	if (got == 0)
		*eof = s->peek_eof = 1;
	s->left -= (uint64_t)got;
	s->peek.len += (size_t)got;
	return 0;
}

/*
 * Files that hold no text, by their first bytes: a workbook given as it
 * was saved, or a compressed file.  Read as lines, their bytes would give
 * a json-syntax error for every newline byte in them; said once instead,
 * as the trouble of the input (io-error), with what to do.
 */
static const char save_csv[] = "save the sheet in Excel as CSV UTF-8 "
    "(Comma delimited) and check the .csv file";
/* the fixes name no reflint command: the file may be a batch or a snapshot */
static const struct packed {
	const char *magic;
	size_t n;
	const char *what;
	const char *fix;
} packed[] = {
	{ "PK\003\004", 4, "a ZIP archive, such as an Excel workbook "
	    "(.xlsx)", save_csv },
	{ "\320\317\021\340\241\261\032\341", 8, "an OLE2 file, such as an "
	    "Excel 97-2003 workbook (.xls)", save_csv },
	{ "\037\213", 2, "gzip-compressed data", "decompress it first "
	    "(gunzip -k FILE)" },
	{ "\3757zXZ\0", 6, "xz-compressed data", "decompress it first "
	    "(xz -dk FILE)" },
	{ "\050\265\057\375", 4, "zstd-compressed data", "decompress it "
	    "first (zstd -d FILE)" },
};

/* The message: a forced JSON input (a snapshot) has no sheet to save. */
static int
packed_said(rl_source *s, const struct packed *p)
{
	int json = s->o.kind == RL_SOURCE_JSON;
	const char *fix = json && p->fix == save_csv ? NULL : p->fix;

	rl_diag_set(&s->err, RL_IO_ERROR, "not %s but %s%s%s", json ? "JSON" :
	    s->o.kind == RL_SOURCE_CSV ? "CSV" : "NDJSON, JSON or CSV",
	    p->what, fix != NULL ? ": " : "", fix != NULL ? fix : "");
	s->err.source = s->name;
	return 1;
}

/*
 * 1 when the input starts like one of packed[] (s->err says which), 0
 * when it does not, -1 with s->err.  Reads only while the bytes so far
 * are the start of a signature, so a terminal is not waited on.
 */
static int
packed_file(rl_source *s, size_t size, int *eof)
{
	const char *buf;
	size_t len, i, k;
	int maybe;

	/* a byte range after the first starts inside the file */
	if (s->o.offset > 0 || s->o.header_of != NULL)
		return 0;
	for (;;) {
		buf = s->mem != NULL ? s->mem : s->peek.data;
		len = s->mem != NULL ? s->memlen : s->peek.len;
		for (i = 0, maybe = 0; i < sizeof(packed) / sizeof(packed[0]);
		    i++) {
			k = len < packed[i].n ? len : packed[i].n;
			if (k > 0 && memcmp(buf, packed[i].magic, k) != 0)
				continue;
			if (k == packed[i].n)
				return packed_said(s, &packed[i]);
			maybe = 1;
		}
		if (!maybe || s->mem != NULL || *eof)
			return 0;
		if (peek_more(s, &size, eof) == -1)
			return -1;
	}
}

/* Walk the table, reading more while a row cannot tell. */
static int
detect(rl_source *s)
{
	size_t i = 0, size = s->bufsize;
	const char *buf;
	size_t len;
	int r, eof = 0, e;
	rl_buf view = RL_BUF_INIT;

	if (packed_file(s, size, &eof) != 0)
		return -1;
	switch (s->o.kind) {
	case RL_SOURCE_JSON:
		s->fmt = &rl_source_json;
		return 0;
	case RL_SOURCE_CSV:
		s->fmt = &rl_source_csv;
		return 0;
	case RL_SOURCE_DETECT:
		break;
	}
	while (i < sizeof(formats) / sizeof(formats[0])) {
		if (s->mem != NULL) {
			/* as much as a reader of the input would look at */
			buf = s->mem;
			len = s->memlen < RL_CSV_SNIFF_MAX ? s->memlen :
			    RL_CSV_SNIFF_MAX;
			eof = 1;
		} else {
			buf = s->peek.data;
			len = s->peek.len;
		}
		e = eof;
		if (sniffed(s, &buf, &len, &e, &view) == -1)
			break;
		if ((r = formats[i]->sniff(s, buf, len, e)) == 1) {
			s->fmt = formats[i];
			rl_buf_free(&view);
			return 0;
		}
		if (r == 0) {
			i++;
			continue;
		}
		if (peek_more(s, &size, &eof) == -1) {
			rl_buf_free(&view);
			return -1;
		}
	}
	rl_buf_free(&view);
	if (i < sizeof(formats) / sizeof(formats[0])) {
		rl_diag_set(&s->err, RL_NOMEM, "out of memory");
		return -1;
	}
	s->fmt = &rl_source_json;
	return 0;
}

/*
 * A spreadsheet's decoder: as asked; in a range after the first, as the
 * header's source decided, counting lines from the range's first.
 */
static int
new_decoder(rl_source *s)
{
	const rl_source *h = s->o.header_of;
	int e = s->o.co.encoding;

	if (s->fmt != &rl_source_csv)
		return 0;
	if (h != NULL)
		e = h->dec != NULL ? (int)rl_decoder_encoding(h->dec) :
		    RL_ENC_NONE;
	if (e == RL_ENC_NONE)
		return 0;
	if ((s->dec = rl_decoder_new((rl_encoding)e)) == NULL) {
		rl_diag_set(&s->err, RL_NOMEM, "out of memory");
		return -1;
	}
	rl_decoder_set_line(s->dec, s->o.line);
	if (s->mem != NULL) {
		/* memory goes through the decoder too, in slices */
		s->wlen = 0;
		s->peek_fed = 1;
	}
	return 0;
}

static rl_source *
start(rl_source *s, rl_diag *err)
{
	if (s->mem == NULL && (s->rbuf = rl_malloc(s->bufsize)) == NULL) {
		rl_diag_set(&s->err, RL_NOMEM, "out of memory");
		goto fail;
	}
	if (detect(s) == -1 || new_decoder(s) == -1 || s->fmt->open(s) == -1)
		goto fail;
	return s;
fail:
	if (err != NULL)
		*err = s->err;
	rl_source_close(s);
	return NULL;
}

rl_source *
rl_source_open_fd(int fd, const char *name, const rl_source_opts *o,
    rl_diag *err)
{
	rl_source *s;

	if ((s = new_source(name, o, err)) == NULL)
		return NULL;
	s->fd = fd;
	if (s->o.offset > 0 &&
	    lseek(fd, (off_t)s->o.offset, SEEK_SET) == (off_t)-1) {
		rl_diag_set(&s->err, RL_IO_ERROR, "cannot seek: %s",
		    strerror(errno));
		s->err.source = name;
		if (err != NULL)
			*err = s->err;
		rl_source_close(s);
		return NULL;
	}
	return start(s, err);
}

rl_source *
rl_source_open_path(const char *path, const char *name,
    const rl_source_opts *o, rl_diag *err)
{
	rl_source *s;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		rl_diag_set(err, RL_IO_ERROR, "cannot open: %s", strerror(errno));
		if (err != NULL)
			err->source = path;
		return NULL;
	}
	if ((s = rl_source_open_fd(fd, name != NULL ? name : path, o,
	    err)) == NULL) {
		close(fd);
		return NULL;
	}
	s->own_fd = 1;
	return s;
}

rl_source *
rl_source_open_mem(const char *buf, size_t len, const char *name,
    const rl_source_opts *o, rl_diag *err)
{
	rl_source *s;

	if ((s = new_source(name, o, err)) == NULL)
		return NULL;
	/* a range of the bytes, positions as in the whole */
	if (s->o.offset > len)
		s->o.offset = len;
	buf += s->o.offset;
	len -= (size_t)s->o.offset;
	s->memall = len;
	if (s->o.length > 0 && s->o.length < len)
		len = (size_t)s->o.length;
	s->mem = buf != NULL ? buf : "";
	s->memlen = len;
	s->win = s->mem;
	s->wlen = len;
	s->peek_fed = 1;
	return start(s, err);
}

size_t
rl_source_peeked(const rl_source *s, const char **p)
{
	if (s->mem != NULL || s->peek_fed || s->peek.len == 0) {
		*p = "";
		return 0;
	}
	*p = s->peek.data;
	return s->peek.len;
}

int
rl_source_unread(rl_source *s, const char *p, size_t n)
{
	if (s->mem != NULL || s->peek_fed)
		return -1;
	return rl_buf_append(&s->peek, p, n);
}

void
rl_source_close(rl_source *s)
{
	if (s == NULL)
		return;
	if (s->parser != NULL && s->fmt != NULL)
		(void)s->fmt->close(s);
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	rl_buf_free(&s->peek);
	(void)rl_source_reread(s, NULL, NULL);
	rl_decoder_free(s->dec);
	rl_buf_free(&s->dtext);
	rl_free(s->rbuf);
	rl_free(s->q);
	rl_arena_free(s->qa);
	rl_free(s);
}
