/*
 * csv.c: RFC 4180 rows as a byte-at-a-time state machine (csv.h).
 *
 * Why not a library: the spreadsheet reader must give the physical line
 * and the row number of every row and every problem, reject a quote inside
 * an unquoted field or after a closing quote instead of guessing, read
 * through read(2) with any buffer size and give identical results, and go
 * on after a malformed row.  libcsv, the usual C choice, is lenient by
 * default; in its CSV_STRICT mode it stops at the first malformed byte and
 * leaves line counting, row positions and recovery to the caller, and it
 * has not been maintained for years.  The glue that would need (a second
 * pass over every byte for positions, a re-synchronisation scheme) is
 * larger than this state machine of six states, which is also fuzzable on
 * its own.
 *
 * States: at the start of a field, in an unquoted field, in a quoted field,
 * after a quote in a quoted field (an escaped quote or the end of the
 * field), after a CR outside quotes (an LF must follow), and skipping the
 * rest of a malformed line.
 *
 * Recovery: a row whose quoting is broken (a quote in an unquoted field,
 * something other than a delimiter or a line end after a closing quote, a
 * bare CR, a quoted field still open at the end of the input, or a field or
 * row over its size limit) ends at the end of its first physical line, and
 * reading resumes on the next line.  For a row on one line this is "skip
 * to the end of the line".  For a row that a quoted field has stretched
 * over several lines, the bytes after its first line are read again as new
 * rows: the usual cause is one stray opening quote, and re-reading recovers
 * every row it would otherwise swallow up to the end of the file.  The row
 * as read is kept for that (it is also what a report echoes), so memory
 * stays bounded by max_row.  A row whose quoting is sound but which has the
 * wrong number of fields, invalid UTF-8, a NUL byte or a byte-order mark
 * inside is rejected as a whole and ends where it ends.
 *
 * A row whose fields are all empty (a blank line, or ",,,," that
 * spreadsheets write for formatted empty rows) is not delivered, but it
 * counts in the row numbers, as the spreadsheet shows them.  Bytes are
 * kept as written: a CRLF inside a quoted field stays CRLF.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "csv.h"
#include "utf8.h"
#include "reader.h"

enum st {
	S_START,      /* at the start of a field */
	S_PLAIN,      /* in an unquoted field */
	S_QUOTED,     /* in a quoted field */
	S_QQ,         /* after a quote in a quoted field */
	S_CR,         /* after a CR outside quotes */
	S_SKIP        /* skipping to the end of a malformed line */
};

struct fld {
	size_t start, len;           /* in fb */
	unsigned long line, col;
	int quoted;
};

struct rl_csv_parser {
	const char *name;
	char delim;                  /* 0 while the header is captured */
	size_t max_field, max_row;
	const rl_csv_opts *o;
	rl_csv_row_fn fn;
	void *ctx;

	uint64_t off;                /* position of the next byte */
	unsigned long line, col;
	int bom;                     /* BOM bytes matched; -1 when decided */

	enum st st;
	int in_row;
	uint64_t row_off;
	unsigned long row_line;
	rl_buf raw;                  /* the row as read (at most max_row) */
	int raw_cut;                 /* raw stopped at max_row */
	rl_buf fb;                   /* field bytes, each followed by a NUL */
	struct fld *fl;
	size_t nf, fcap;
	size_t fstart;               /* start of the current field in fb */
	unsigned long fline, fcol;
	int fquoted;

	int bad;                     /* the row has a problem (d) */
	rl_diag d;
	int restart;                 /* re-read the row after its first line */

	unsigned long rows, index;
	int have_header;
	size_t ncols;
	rl_buf names;                /* header names, NUL-separated, for messages */
	size_t *name_off;

	rl_csv_field *out;           /* fields handed to the callback */
	size_t outcap;

	rl_buf cap;                  /* the header while detecting */
	int cap_dq, cap_nonblank, cap_done;

	int halt;                    /* stopped, out of memory or I/O error */
	int stopped, nomem;
	int pause;                   /* a puller has its row (RL_RECORD_PAUSE) */
};

static void
problem(struct rl_csv_parser *p, unsigned long line, unsigned long col,
    const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static void
problem(struct rl_csv_parser *p, unsigned long line, unsigned long col,
    const char *fmt, ...)
{
	va_list ap;

	if (p->bad)
		return;
	p->bad = 1;
	memset(&p->d, 0, sizeof(p->d));
	p->d.code = RL_CSV_SYNTAX;
	p->d.severity = rl_codes[RL_CSV_SYNTAX].severity;
	p->d.source = p->name;
	p->d.line = line;
	p->d.column = col;
	p->d.op = -1;
	p->d.field = -1;
	va_start(ap, fmt);
	vsnprintf(p->d.message, sizeof(p->d.message), fmt, ap);
	va_end(ap);
}

static int
push(struct rl_csv_parser *p, rl_buf *b, char c)
{
	if (b->len + 1 >= b->cap && rl_buf_reserve(b, 1) == -1) {
		p->nomem = p->halt = 1;
		return -1;
	}
	b->data[b->len++] = c;
	return 0;
}

/* Name of column i for messages ("field 7" past the header's end). */
static const char *
colname(const struct rl_csv_parser *p, size_t i, char *buf, size_t size)
{
	if (p->have_header && i < p->ncols && p->names.data[p->name_off[i]] != '\0')
		snprintf(buf, size, "column \"%s\"", p->names.data + p->name_off[i]);
	else
		snprintf(buf, size, "field %zu", i + 1);
	return buf;
}

/*
 * Strict UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF); also no NUL and no U+FEFF.  0 when clean, else the offending
 * byte's offset + 1 and *what says why.
 */
static size_t
check_text(const unsigned char *s, size_t n, const char **what)
{
	size_t i = 0;
	int k;

	while (i < n) {
		if (s[i] < 0x80) {
			if (s[i] == 0) {
				*what = "a NUL byte";
				return i + 1;
			}
			i++;
			continue;
		}
		if ((k = rl_utf8_seq(s + i, n - i)) <= 0) {
			*what = "invalid UTF-8";
			return i + 1;
		}
		if (k == 3 && s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF) {
			*what = "a byte-order mark (U+FEFF)";
			return i + 1;
		}
		i += (size_t)k;
	}
	return 0;
}

/* A field begins at the current byte, or (after a delimiter) the next. */
static void
begin_field(struct rl_csv_parser *p, int next)
{
	p->fstart = p->fb.len;
	p->fline = p->line;
	p->fcol = p->col + (next != 0);
	p->fquoted = 0;
}

static int
end_field(struct rl_csv_parser *p)
{
	struct fld *f;
	const char *what;
	char cn[160];

	if (p->nf == p->fcap) {
		size_t cap = p->fcap ? p->fcap * 2 : 16;
		struct fld *nf = rl_realloc(p->fl, cap * sizeof(*nf));

		if (nf == NULL) {
			p->nomem = p->halt = 1;
			return -1;
		}
		p->fl = nf;
		p->fcap = cap;
	}
	f = &p->fl[p->nf];
	f->start = p->fstart;
	f->len = p->fb.len - p->fstart;
	f->line = p->fline;
	f->col = p->fcol;
	f->quoted = p->fquoted;
	/* An empty first field leaves fb.data NULL: no NULL + 0. */
	if (!p->bad && f->len > 0 &&
	    check_text((const unsigned char *)p->fb.data + f->start,
	    f->len, &what) != 0)
		problem(p, f->line, f->col, "%s in %s",
		    what, colname(p, p->nf, cn, sizeof(cn)));
	p->nf++;
	if (push(p, &p->fb, '\0') == -1)
		return -1;
	begin_field(p, 1);
	return 0;
}

static void
reset_row(struct rl_csv_parser *p)
{
	p->st = S_START;
	p->in_row = 0;
	p->raw.len = 0;
	p->raw_cut = 0;
	p->fb.len = 0;
	p->nf = 0;
	p->bad = 0;
}

static int
keep_header(struct rl_csv_parser *p)
{
	size_t i;

	p->have_header = 1;
	p->ncols = p->bad ? 0 : p->nf;
	if (p->ncols == 0)
		return 0;
	if ((p->name_off = rl_malloc(p->ncols * sizeof(*p->name_off))) == NULL)
		goto nomem;
	for (i = 0; i < p->ncols; i++) {
		p->name_off[i] = p->names.len;
		if (rl_buf_append(&p->names, p->fb.data + p->fl[i].start,
		    p->fl[i].len + 1) == -1)
			goto nomem;
	}
	return 0;
nomem:
	p->nomem = p->halt = 1;
	return -1;
}

/* Hands the row to the callback; rawlen bytes of raw are the row. */
static void
deliver(struct rl_csv_parser *p, size_t rawlen, int fields)
{
	rl_csv_row r;
	size_t i;

	if (p->halt)
		return;
	memset(&r, 0, sizeof(r));
	p->rows++;
	r.header = !p->have_header;
	if (!r.header && !p->bad && fields && p->nf != p->ncols)
		problem(p, p->row_line, 1, "%zu field%s where the header has %zu",
		    p->nf, p->nf == 1 ? "" : "s", p->ncols);
	if (fields && p->nf > p->outcap) {
		rl_csv_field *o = rl_realloc(p->out, p->nf * sizeof(*o));

		if (o == NULL) {
			p->nomem = p->halt = 1;
			return;
		}
		p->out = o;
		p->outcap = p->nf;
	}
	if (fields)
		for (i = 0; i < p->nf; i++) {
			p->out[i].s = p->fb.data + p->fl[i].start;
			p->out[i].len = p->fl[i].len;
			p->out[i].line = p->fl[i].line;
			p->out[i].column = p->fl[i].col;
			p->out[i].quoted = p->fl[i].quoted;
		}
	r.source = p->name;
	r.row = p->rows;
	r.index = r.header ? 0 : ++p->index;
	r.line = p->row_line;
	r.offset = p->row_off;
	r.raw = p->raw.data != NULL ? p->raw.data : "";
	r.rawlen = rawlen;
	r.f = p->out;
	r.n = fields ? p->nf : 0;
	r.delimiter = p->delim;
	r.diag = p->bad ? &p->d : NULL;
	if (r.header && keep_header(p) == -1)
		return;
	switch (p->fn(p->ctx, &r)) {
	case 0:
		break;
	case RL_RECORD_PAUSE:
		p->pause = 1;
		break;
	default:
		p->stopped = p->halt = 1;
		break;
	}
}

/* The row ended at a line end (or the end of the input). */
static void
end_row(struct rl_csv_parser *p, int crlf)
{
	size_t i, rawlen = p->raw.len - (crlf && p->raw.len > 0 &&
	    p->raw.data[p->raw.len - 1] == '\r');

	if (p->st != S_SKIP && end_field(p) == -1)
		return;
	if (!p->bad) {
		for (i = 0; i < p->nf && p->fl[i].len == 0; i++)
			;
		if (i == p->nf) {       /* a blank row */
			p->rows++;
			reset_row(p);
			return;
		}
	}
	deliver(p, rawlen, p->st != S_SKIP);
	reset_row(p);
}

/*
 * A quoting or size problem: the row ends with its first line.  On one
 * line, skip to its end; over several, re-read after the first (drive()).
 */
static void
broken(struct rl_csv_parser *p)
{
	if (memchr(p->raw.data, '\n', p->raw.len) != NULL)
		p->restart = 1;
	else
		p->st = S_SKIP;
}

static void
row_too_long(struct rl_csv_parser *p)
{
	problem(p, p->line, p->col, "row longer than %zu bytes", p->max_row);
	p->raw_cut = 1;
	if (p->st != S_SKIP)
		broken(p);
}

/* Processes bytes until the input ends or a restart is needed. */
static size_t
feed(struct rl_csv_parser *p, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && !p->halt && !p->pause; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!p->in_row) {
			p->in_row = 1;
			p->row_off = p->off;
			p->row_line = p->line;
			begin_field(p, 0);
		}
		/* raw keeps the row without its line end */
		if (!p->raw_cut && !(c == '\n' && p->st != S_QUOTED)) {
			if (p->raw.len >= p->max_row) {
				row_too_long(p);
				if (p->restart)
					return i;   /* this byte is read again */
			} else if (push(p, &p->raw, (char)c) == -1)
				return i;
		}
		switch (p->st) {
		case S_START:
			if (c == '"') {
				p->fquoted = 1;
				p->st = S_QUOTED;
				break;
			}
			/* FALLTHROUGH */
		case S_PLAIN:
			if (c == (unsigned char)p->delim) {
				if (end_field(p) == -1)
					return i;
				p->st = S_START;
			} else if (c == '\n') {
				end_row(p, 0);
			} else if (c == '\r') {
				p->st = S_CR;
			} else if (c == '"') {
				problem(p, p->line, p->col,
				    "a quote inside an unquoted field (quote the whole field and double the quote)");
				broken(p);
			} else {
				if (p->fb.len - p->fstart >= p->max_field) {
					problem(p, p->line, p->col,
					    "field longer than %zu bytes", p->max_field);
					broken(p);
				} else if (push(p, &p->fb, (char)c) == -1)
					return i;
				p->st = S_PLAIN;
			}
			break;
		case S_QUOTED:
			if (c == '"')
				p->st = S_QQ;
			else if (p->fb.len - p->fstart >= p->max_field) {
				problem(p, p->line, p->col,
				    "field longer than %zu bytes (a quote opened at line %lu, column %lu that is never closed?)",
				    p->max_field, p->fline, p->fcol);
				broken(p);
			} else if (push(p, &p->fb, (char)c) == -1)
				return i;
			break;
		case S_QQ:
			if (c == '"') {
				if (push(p, &p->fb, '"') == -1)
					return i;
				p->st = S_QUOTED;
			} else if (c == (unsigned char)p->delim) {
				if (end_field(p) == -1)
					return i;
				p->st = S_START;
			} else if (c == '\n') {
				end_row(p, 0);
			} else if (c == '\r') {
				p->st = S_CR;
			} else {
				problem(p, p->line, p->col,
				    "a character after the closing quote of the field that began at line %lu, column %lu",
				    p->fline, p->fcol);
				broken(p);
			}
			break;
		case S_CR:
			if (c == '\n')
				end_row(p, 1);
			else {
				/* at the header: a file whose lines end in CR */
				problem(p, p->line, p->col - 1, "%s",
				    p->have_header ? "a carriage return not "
				    "followed by a line feed" : "a carriage "
				    "return not followed by a line feed: lines "
				    "that end in CR alone (Excel's CSV "
				    "(Macintosh)) are not read; save the sheet "
				    "as CSV UTF-8");
				broken(p);
			}
			break;
		case S_SKIP:
			if (c == '\n')
				end_row(p, 1);
			break;
		}
		/* the position of the next byte */
		p->off++;
		if (c == '\n') {
			p->line++;
			p->col = 1;
		} else if ((c & 0xC0) != 0x80)
			p->col++;
		if (p->restart)
			return i + 1;
	}
	return i;
}

/*
 * After a broken row over several lines: deliver its first line as the
 * malformed row and put the bytes after it in t, to be read again.
 */
static int
restart_tail(struct rl_csv_parser *p, rl_buf *t)
{
	const char *nl = memchr(p->raw.data, '\n', p->raw.len);
	size_t k = (size_t)(nl - p->raw.data);

	p->restart = 0;
	if (rl_buf_append(t, nl + 1, p->raw.len - k - 1) == -1) {
		p->nomem = p->halt = 1;
		return -1;
	}
	p->st = S_SKIP;
	deliver(p, k - (k > 0 && p->raw.data[k - 1] == '\r'), 0);
	p->off = p->row_off + k + 1;
	p->line = p->row_line + 1;
	p->col = 1;
	reset_row(p);
	return 0;
}

/*
 * Returns the bytes of (s, n) taken: all of them, or, when may_pause and a
 * puller has its row, those up to the end of that row.  Bytes read again
 * after a broken row are always read to their end (the puller queues).
 */
static size_t
drive(struct rl_csv_parser *p, const char *s, size_t n, int may_pause)
{
	rl_buf own = RL_BUF_INIT;
	size_t done = 0, total = n;

	while (n > 0 && !p->halt) {
		size_t k = feed(p, s, n);

		s += k;
		n -= k;
		if (own.data == NULL)
			done += k;
		if (p->pause) {
			if (may_pause && own.data == NULL && !p->restart)
				break;
			p->pause = 0;
		}
		if (p->restart) {
			rl_buf t = RL_BUF_INIT;

			if (restart_tail(p, &t) == -1 || rl_buf_append(&t, s, n) == -1) {
				p->nomem = p->halt = 1;
				rl_buf_free(&t);
				break;
			}
			rl_buf_free(&own);
			own = t;
			s = own.data;
			n = own.len;
			done = total;
			p->pause = 0;
		}
	}
	rl_buf_free(&own);
	return p->halt ? total : done;
}

/* The end of the input: finish the last row. */
static void
finish_rows(struct rl_csv_parser *p)
{
	while (!p->halt && p->in_row) {
		switch (p->st) {
		case S_QUOTED:
			problem(p, p->fline, p->fcol,
			    "a quoted field that begins here is never closed (unbalanced quote)");
			if (memchr(p->raw.data, '\n', p->raw.len) != NULL) {
				rl_buf t = RL_BUF_INIT;

				p->restart = 1;
				if (restart_tail(p, &t) == 0)
					(void)drive(p, t.data, t.len, 0);
				rl_buf_free(&t);
				continue;
			}
			p->st = S_SKIP;
			end_row(p, 0);
			break;
		case S_CR:
			end_row(p, 1);
			break;
		default:
			end_row(p, 0);
			break;
		}
	}
}

/* ---- delimiter detection --------------------------------------------- */

struct score {
	const rl_csv_opts *o;
	long known, fields;
};

static int
score_row(void *ctx, const rl_csv_row *r)
{
	struct score *sc = ctx;
	size_t i;

	if (r->diag != NULL) {
		sc->known = sc->fields = -1;
		return 1;
	}
	sc->fields = (long)r->n;
	for (i = 0; i < r->n; i++)
		if (sc->o->known != NULL &&
		    sc->o->known(sc->o->known_ctx, r->f[i].s, r->f[i].len))
			sc->known++;
	return 1;
}

/*
 * The delimiter that splits the header into the most known column names;
 * among equals, the one that gives the most fields; among equals, the
 * first of comma, semicolon, tab.
 */
static int
detect(struct rl_csv_parser *p, const rl_buf *cap)
{
	static const char cands[] = { ',', ';', '\t' };
	long best_known = -2, best_fields = -2;
	size_t i;

	p->delim = ',';
	for (i = 0; i < sizeof(cands); i++) {
		struct score sc = { p->o, 0, 0 };
		rl_csv_opts o;
		rl_diag err = RL_DIAG_INIT;

		memset(&o, 0, sizeof(o));
		o.delimiter = cands[i];
		o.max_field = p->max_field;
		o.max_row = p->max_row;
		if (rl_csv_parse_mem(cap->data, cap->len, p->name, &o,
		    score_row, &sc, &err) == RL_READ_TRUNCATED) {
			p->nomem = p->halt = 1;
			return -1;
		}
		if (sc.known > best_known ||
		    (sc.known == best_known && sc.fields > best_fields)) {
			best_known = sc.known;
			best_fields = sc.fields;
			p->delim = cands[i];
		}
	}
	return 0;
}

/* While detecting: keep the bytes up to the end of the first non-blank row. */
static size_t
capture(struct rl_csv_parser *p, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (push(p, &p->cap, c) == -1)
			return i;
		if (c == '"')
			p->cap_dq = !p->cap_dq;
		if (c == '\n' && !p->cap_dq) {
			if (p->cap_nonblank)
				p->cap_done = 1;
		} else if (c != '\r')
			p->cap_nonblank = 1;
		if (p->cap.len > p->max_row)
			p->cap_done = 1;
		if (p->cap_done)
			return i + 1;
	}
	return i;
}

static void
release_capture(struct rl_csv_parser *p)
{
	rl_buf c = p->cap;

	p->cap.data = NULL;
	p->cap.len = p->cap.cap = 0;
	if (detect(p, &c) == 0)
		(void)drive(p, c.data, c.len, 0);
	rl_buf_free(&c);
}

/* ---- input ------------------------------------------------------------ */

static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };

/*
 * The one place where a CSV input's bytes enter the parser.  Returns the
 * bytes taken, as drive().
 */
static size_t
input(struct rl_csv_parser *p, const char *s, size_t n, int may_pause)
{
	size_t used = 0;

	/* A UTF-8 byte-order mark at the very start is skipped. */
	while (p->bom >= 0 && n > 0) {
		if ((unsigned char)*s == bom[p->bom]) {
			s++;
			n--;
			used++;
			if (++p->bom == 3) {
				p->off = 3;
				p->bom = -1;
			}
			continue;
		}
		{
			int k = p->bom;

			p->bom = -1;
			if (k > 0)
				(void)input(p, (const char *)bom, (size_t)k, 0);
		}
	}
	if (n == 0 || p->halt)
		return used + n;
	if (p->delim == 0) {
		size_t k = capture(p, s, n);

		if (p->halt || !p->cap_done)
			return used + n;
		release_capture(p);
		s += k;
		n -= k;
		used += k;
	}
	return used + drive(p, s, n, may_pause);
}

static void
finish(struct rl_csv_parser *p)
{
	if (p->bom > 0) {
		int k = p->bom;

		p->bom = -1;
		(void)input(p, (const char *)bom, (size_t)k, 0);
	}
	if (p->delim == 0 && !p->halt)
		release_capture(p);
	finish_rows(p);
}

static void
init(struct rl_csv_parser *p, const char *name, const rl_csv_opts *o,
    rl_csv_row_fn fn, void *ctx)
{
	static const rl_csv_opts none;

	if (o == NULL)
		o = &none;
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->o = o;
	p->delim = o->delimiter;
	p->max_field = o->max_field ? o->max_field : RL_CSV_DEFAULT_MAX_FIELD;
	p->max_row = o->max_row ? o->max_row : RL_CSV_DEFAULT_MAX_ROW;
	p->fn = fn;
	p->ctx = ctx;
	p->line = p->col = 1;
	p->st = S_START;
}

static int
done(struct rl_csv_parser *p, rl_diag *err)
{
	int rc = RL_READ_OK;

	if (p->nomem) {
		rl_diag_set(err, RL_NOMEM, "out of memory reading CSV");
		if (err != NULL)
			err->source = p->name;
		rc = RL_READ_TRUNCATED;
	} else if (p->stopped)
		rc = RL_READ_STOPPED;
	rl_buf_free(&p->raw);
	rl_buf_free(&p->fb);
	rl_buf_free(&p->names);
	rl_buf_free(&p->cap);
	rl_free(p->fl);
	rl_free(p->out);
	rl_free(p->name_off);
	return rc;
}

/* Only the three delimiters of reflint(1); anything else is the caller's bug. */
static int
bad_delimiter(const rl_csv_opts *o, const char *name, rl_diag *err)
{
	if (o == NULL || o->delimiter == 0 || o->delimiter == ',' ||
	    o->delimiter == ';' || o->delimiter == '\t')
		return 0;
	rl_diag_set(err, RL_CSV_SYNTAX, "the delimiter must be ',', ';' or a tab");
	if (err != NULL)
		err->source = name;
	return 1;
}

int
rl_csv_parse_mem(const char *buf, size_t len, const char *name,
    const rl_csv_opts *o, rl_csv_row_fn fn, void *ctx, rl_diag *err)
{
	struct rl_csv_parser p;

	if (bad_delimiter(o, name, err))
		return RL_READ_TRUNCATED;
	init(&p, name, o, fn, ctx);
	(void)input(&p, buf, len, 0);
	if (!p.halt)
		finish(&p);
	return done(&p, err);
}

int
rl_csv_parse_fd(int fd, const char *name, const rl_csv_opts *o,
    rl_csv_row_fn fn, void *ctx, rl_diag *err)
{
	struct rl_csv_parser p;
	size_t size = o != NULL && o->bufsize ? o->bufsize : RL_CSV_DEFAULT_BUFSIZE;
	char *buf;
	int rc;

	if (bad_delimiter(o, name, err))
		return RL_READ_TRUNCATED;
	init(&p, name, o, fn, ctx);
	if ((buf = rl_malloc(size)) == NULL) {
		p.nomem = 1;
		return done(&p, err);
	}
	if (o != NULL && o->prefix != NULL) {
		/* in the same slices as read(2) would have given them */
		size_t at, k;

		for (at = 0; at < o->prefix_len && !p.halt; at += k) {
			k = o->prefix_len - at < size ? o->prefix_len - at : size;
			(void)input(&p, o->prefix + at, k, 0);
		}
	}
	while (!p.halt) {
		ssize_t n = read(fd, buf, size);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			int e = errno;

			rl_free(buf);
			rc = done(&p, NULL);
			rl_diag_set(err, RL_IO_ERROR, "read error: %s", strerror(e));
			if (err != NULL) {
				err->source = name;
				err->line = p.line;
			}
			return rc == RL_READ_STOPPED ? rc : RL_READ_TRUNCATED;
		}
		if (n == 0) {
			finish(&p);
			break;
		}
		(void)input(&p, buf, (size_t)n, 0);
	}
	rl_free(buf);
	return done(&p, err);
}

/* ---- incremental parsing (csv.h) ----------------------------------------- */

rl_csv_parser *
rl_csv_parser_new(const char *name, const rl_csv_opts *o, rl_csv_row_fn fn,
    void *ctx, rl_diag *err)
{
	struct rl_csv_parser *p;

	if (bad_delimiter(o, name, err))
		return NULL;
	if ((p = rl_malloc(sizeof(*p))) == NULL) {
		rl_diag_set(err, RL_NOMEM, "out of memory reading CSV");
		if (err != NULL)
			err->source = name;
		return NULL;
	}
	/* the options are the caller's and outlive the parser */
	init(p, name, o, fn, ctx);
	return p;
}

void
rl_csv_parser_start_at(rl_csv_parser *p, uint64_t offset,
    unsigned long line, unsigned long row, unsigned long index)
{
	p->off = offset;
	p->line = line ? line : 1;
	p->rows = row;
	p->index = index;
	if (offset > 0)
		p->bom = -1;
}

int
rl_csv_parser_follow(rl_csv_parser *p, const rl_csv_parser *h)
{
	if (!h->have_header)
		return -1;
	p->bom = -1;                /* the rows after a header: no BOM there */
	p->delim = h->delim;
	p->have_header = 1;
	p->ncols = h->ncols;
	if (h->ncols > 0) {
		if ((p->name_off = rl_malloc(h->ncols *
		    sizeof(*p->name_off))) == NULL ||
		    rl_buf_append(&p->names, h->names.data, h->names.len) == -1) {
			p->nomem = p->halt = 1;
			return -1;
		}
		memcpy(p->name_off, h->name_off, h->ncols * sizeof(*p->name_off));
	}
	return 0;
}

int
rl_csv_parser_position(const rl_csv_parser *p, uint64_t *offset,
    unsigned long *line, unsigned long *rows, unsigned long *index)
{
	if (p->halt || p->in_row || !p->have_header || p->delim == 0)
		return -1;
	*offset = p->off;
	*line = p->line;
	*rows = p->rows;
	*index = p->index;
	return 0;
}

int
rl_csv_parser_feed(rl_csv_parser *p, const char *s, size_t n, size_t *taken)
{
	p->pause = 0;
	*taken = p->halt ? n : input(p, s, n, 1);
	return p->halt;
}

int
rl_csv_parser_end(rl_csv_parser *p)
{
	p->pause = 0;
	if (!p->halt)
		finish(p);
	return p->halt;
}

int
rl_csv_parser_free(rl_csv_parser *p, rl_diag *err)
{
	int rc;

	if (p == NULL)
		return RL_READ_OK;
	rc = done(p, err);
	rl_free(p);
	return rc;
}
