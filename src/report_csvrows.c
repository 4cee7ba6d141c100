/*
 * report_csvrows.c: the csv-rows report (reflint(1), Spreadsheets): the
 * rejected rows of a CSV input as the user's file was, so that the user
 * fixes them in the spreadsheet and runs again.
 *
 * The input's header row, then each rejected row byte for byte as read
 * (quoted line ends inside cells included), with the delimiter of the
 * input.  The messages ("code: message; code (warning): message", infos
 * left out) go in the header's own Errors column when it has one
 * (Partner Center's templates do, and so does a csv-rows file run again):
 * that cell of each row is replaced, and a short row is padded with empty
 * cells up to it.  Otherwise an Errors column is added first, where no
 * short or long row can shift it.  Rows end with CRLF.
 *
 * Encoding: as the input's (rl_sink_input.encoding, iconv's name; NULL or
 * UTF-8 as read today).  UTF-8 output starts with a BOM unless
 * RL_REPORT_NO_BOM; UTF-16 and UTF-32 with the byte-order mark of that
 * encoding, always, since that is how a reader tells them ("UTF-16" is
 * written little-endian, as Excel's "Unicode Text" is); any other encoding
 * (Windows-1252) has none.  The row bytes the sink gets are UTF-8 (the
 * source decodes before it parses), so everything is converted back with
 * iconv; a character of a message that the encoding cannot hold is
 * written "?".
 *
 * Only the Errors cell is written by reflint, so only it is guarded
 * against formulas (rl_csv_cell): guarding the echoed cells would change
 * what the next run uploads.  Records of JSON inputs and notes are not
 * rows: they write nothing here.
 *
 * Where: with a plain file (rl_sink.path names no directory) the sink
 * appends to its buffer and takes one CSV input; a second one is an error
 * (the command refuses it up front when it can tell from the names).  With
 * a directory (a path ending in "/", or naming one; created when missing)
 * it writes one file per CSV input there, named as the input (a second
 * input of the same name gets "-N", its ordinal, before the extension),
 * each written and renamed into place when its input ends (outfile.h),
 * and never over the input itself.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "json.h"
#include "sink.h"

struct rows_report {
	rl_sink base;
	int dir;                    /* path is a directory: a file per input */
	/* the CSV input being written */
	unsigned long ordinal;      /* 0: none yet */
	rl_buf hdr;                 /* its header */
	char delim;
	long errcol;                /* its own Errors column, or -1: added first */
	int hdr_out;                /* the header is written */
	int begun;                  /* anything written to the current file */
	/* its encoding: no converter for UTF-8 */
	int conv;                   /* cd is open */
	iconv_t cd;
	int unicode_bom;            /* UTF-16 or UTF-32: a BOM, always */
	rl_buf qmark;               /* "?" in the encoding */
	/* a directory: the current input's file, and the names taken */
	rl_outfile *file;
	rl_buf fname;
	rl_buf names;               /* NUL-terminated names, one after another */
	/* scratch */
	rl_buf cell;                /* one Errors cell, as text */
	rl_buf u;                   /* one line, in UTF-8 */
};

/* Restores the buffer to its length on entry and fails. */
static int
undo(rl_buf *b, size_t len)
{
	b->len = len;
	return -1;
}

static int
caseeq(const char *a, const char *b)
{
	return rl_ascii_caseeq(a, strlen(a), b, strlen(b));
}

static int
caseprefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strlen(s) >= n && rl_ascii_caseeq(s, n, prefix, n);
}

/* ---- the encoding -------------------------------------------------------- */

/*
 * n bytes of UTF-8 converted to the input's encoding, appended to b.  A
 * character that cannot be converted (or a byte that is not UTF-8) is
 * written as "?".
 */
static int
put(struct rows_report *r, rl_buf *b, const char *p, size_t n)
{
	size_t at = b->len;

	if (!r->conv)
		return rl_buf_append(b, p, n);
	(void)iconv(r->cd, NULL, NULL, NULL, NULL);
	while (n > 0) {
		char *in = (char *)(uintptr_t)p, *out;
		size_t room, k;

		/* UTF-32 takes 4 bytes for each byte of ASCII */
		if (n > (SIZE_MAX - 16) / 4 ||
		    rl_buf_reserve(b, 4 * n + 16) == -1)
			return undo(b, at);
		out = b->data + b->len;
		room = b->cap - b->len - 1;
		k = iconv(r->cd, &in, &n, &out, &room);
		b->len = (size_t)(out - b->data);
		p = in;
		if (k != (size_t)-1 || errno == E2BIG)
			continue;
		/* one character it cannot write: skip its bytes, write "?" */
		k = 1;
		while (k < n && ((unsigned char)p[k] & 0xC0) == 0x80 && k < 4)
			k++;
		p += k;
		n -= k;
		if (rl_buf_append(b, r->qmark.data, r->qmark.len) == -1)
			return undo(b, at);
	}
	return 0;
}

static void
drop_encoding(struct rows_report *r)
{
	if (r->conv)
		(void)iconv_close(r->cd);
	r->conv = 0;
	r->unicode_bom = 0;
}

/* Converts a few bytes of ASCII (or a BOM) to the encoding, into b. */
static int
convert_fixed(struct rows_report *r, rl_buf *b, const char *s, size_t n)
{
	char *in = (char *)(uintptr_t)s, *out;
	size_t room;

	rl_buf_clear(b);
	if (rl_buf_reserve(b, 16) == -1)
		return -1;
	out = b->data;
	room = b->cap - 1;
	(void)iconv(r->cd, NULL, NULL, NULL, NULL);
	if (iconv(r->cd, &in, &n, &out, &room) == (size_t)-1 ||
	    iconv(r->cd, NULL, NULL, &out, &room) == (size_t)-1)
		return -1;
	b->len = (size_t)(out - b->data);
	return 0;
}

/* Writes in the encoding the input was read in (enc: iconv's name). */
static int
use_encoding(struct rows_report *r, const char *enc, rl_diag *err)
{
	const char *to = enc;

	drop_encoding(r);
	if (enc == NULL || caseeq(enc, "UTF-8") || caseeq(enc, "UTF8"))
		return 0;
	/* the plain names let iconv pick the byte order: fix it */
	if (caseeq(enc, "UTF-16"))
		to = "UTF-16LE";
	else if (caseeq(enc, "UTF-32"))
		to = "UTF-32LE";
	if ((r->cd = iconv_open(to, "UTF-8")) == (iconv_t)-1) {
		rl_diag_set(err, errno == EINVAL ? RL_IO_ERROR : RL_NOMEM,
		    "csv-rows: cannot write the encoding %s: %s", enc,
		    strerror(errno));
		if (err != NULL)
			err->source = r->base.path;
		return -1;
	}
	r->conv = 1;
	r->unicode_bom = caseprefix(to, "UTF-16") || caseprefix(to, "UTF-32");
	if (convert_fixed(r, &r->qmark, "?", 1) == -1) {
		drop_encoding(r);
		return rl_diag_set(err, RL_NOMEM, "out of memory");
	}
	return 0;
}

/* The byte-order mark a file in the current encoding starts with. */
static int
put_bom(struct rows_report *r, rl_buf *b)
{
	rl_buf bom = RL_BUF_INIT;
	int rc;

	if (!r->conv)
		return r->base.flags & RL_REPORT_NO_BOM ? 0 :
		    rl_buf_puts(b, RL_CSV_BOM);
	if (!r->unicode_bom)
		return 0;
	rc = convert_fixed(r, &bom, RL_CSV_BOM, 3) == -1 ? -1 :
	    rl_buf_append(b, bom.data, bom.len);
	rl_buf_free(&bom);
	return rc;
}

/* ---- the header and the rows --------------------------------------------- */

/*
 * The bounds of field k of a row (its quotes included), outside quotes a
 * delimiter ending each field; the number of fields when there are no
 * more than k.
 */
static size_t
field_at(const char *s, size_t len, char delim, size_t k, size_t *from,
    size_t *to)
{
	size_t i, n = 0, start = 0;
	int quoted = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] == '"')
			quoted = !quoted;
		else if (i == len || (s[i] == delim && !quoted)) {
			if (n == k) {
				*from = start;
				*to = i;
				return k + 1;
			}
			n++;
			start = i + 1;
		}
	}
	return n;
}

/* Is this field "Errors" (quotes, spaces and case aside)? */
static int
is_errors(const char *f, size_t n)
{
	while (n > 0 && (*f == ' ' || *f == '\t')) {
		f++;
		n--;
	}
	while (n > 0 && (f[n - 1] == ' ' || f[n - 1] == '\t'))
		n--;
	if (n >= 2 && f[0] == '"' && f[n - 1] == '"') {
		f++;
		n -= 2;
	}
	return rl_ascii_caseeq(f, n, "errors", 6);
}

/* The header's own Errors column, or -1. */
static long
errors_column(const char *s, size_t len, char delim)
{
	size_t k, from, to;

	for (k = 0; field_at(s, len, delim, k, &from, &to) == k + 1; k++)
		if (is_errors(s + from, to - from))
			return (long)k;
	return -1;
}

/* Are the quotes of a row balanced (else it was cut: csv-syntax)? */
static int
balanced(const char *s, size_t len)
{
	size_t i, q = 0;

	for (i = 0; i < len; i++)
		q += s[i] == '"';
	return q % 2 == 0;
}

/*
 * The Errors cell's text: "code: message" for each error and "code
 * (warning): message" for each warning, joined by "; ", and "and N more"
 * for the diagnostics beyond --max-errors-per-record.
 */
static int
errors_text(rl_buf *c, const rl_result *res)
{
	size_t i;
	int first = 1;

	rl_buf_clear(c);
	for (i = 0; i < res->n; i++) {
		const rl_diag *d = &res->d[i];

		if (d->severity < RL_SEV_WARNING)
			continue;
		if ((!first && rl_buf_puts(c, "; ") == -1) ||
		    rl_buf_puts(c, rl_code_name(d->code)) == -1 ||
		    (d->severity == RL_SEV_WARNING &&
		    rl_buf_puts(c, " (warning)") == -1) ||
		    rl_buf_puts(c, ": ") == -1 ||
		    rl_buf_puts(c, rl_diag_message(d)) == -1)
			return -1;
		first = 0;
	}
	if (res->dropped > 0 &&
	    rl_buf_printf(c, "%sand %zu more", first ? "" : "; ",
	    res->dropped) == -1)
		return -1;
	return 0;
}

/*
 * One line in UTF-8, into r->u: raw (a row or the header) with text in
 * its Errors column (first when added: then text is its last cell).
 */
static int
compose(struct rows_report *r, const char *raw, size_t len,
    const char *text, size_t tlen)
{
	rl_buf *u = &r->u;
	size_t from, to, n, k = (size_t)r->errcol;

	rl_buf_clear(u);
	if (r->errcol < 0) {
		if (rl_csv_cell(u, text, tlen, r->delim, 0) == -1 ||
		    rl_buf_append(u, raw, len) == -1)
			return -1;
	} else if (!balanced(raw, len)) {
		/* cut by a quote: its cells cannot be told apart; kept whole */
		if (rl_buf_append(u, raw, len) == -1 ||
		    rl_buf_putc(u, r->delim) == -1 ||
		    rl_csv_cell(u, text, tlen, r->delim, 1) == -1)
			return -1;
		return 0;
	} else if ((n = field_at(raw, len, r->delim, k, &from, &to)) == k + 1) {
		if (rl_buf_append(u, raw, from) == -1 ||
		    rl_csv_cell(u, text, tlen, r->delim, 0) == -1)
			return -1;
		/* the cell's delimiter came with it: drop it at the end */
		u->len--;
		if (rl_buf_append(u, raw + to, len - to) == -1)
			return -1;
	} else {
		/* a short row: empty cells up to the Errors column */
		if (rl_buf_append(u, raw, len) == -1)
			return -1;
		for (; n <= k; n++)
			if (rl_buf_putc(u, r->delim) == -1)
				return -1;
		return rl_csv_cell(u, text, tlen, r->delim, 1);
	}
	return rl_buf_puts(u, "\r\n");
}

/* The header line (the BOM first in a new file). */
static int
put_header(struct rows_report *r, rl_buf *b)
{
	size_t at = b->len;

	if (!r->begun && put_bom(r, b) == -1)
		return undo(b, at);
	if (r->errcol >= 0) {
		rl_buf_clear(&r->u);
		if (rl_buf_append(&r->u, r->hdr.data, r->hdr.len) == -1 ||
		    rl_buf_puts(&r->u, "\r\n") == -1)
			return undo(b, at);
	} else if (compose(r, r->hdr.data, r->hdr.len, "Errors", 6) == -1)
		return undo(b, at);
	if (put(r, b, r->u.data, r->u.len) == -1)
		return undo(b, at);
	r->begun = r->hdr_out = 1;
	return 0;
}

/* ---- where the lines go ---------------------------------------------------- */

static rl_buf *
dest(struct rows_report *r)
{
	return r->file != NULL ? rl_outfile_buf(r->file) : rl_sink_buf(&r->base);
}

/* The last part of an input's name, as its file in the directory. */
static int
file_name(struct rows_report *r, const rl_sink_input *in)
{
	const char *name = in->name != NULL ? in->name : "", *base, *dot;
	size_t dirlen = strlen(r->base.path), at;
	const char *p;

	if ((base = strrchr(name, '/')) != NULL)
		base++;
	else
		base = name;
	if (*base == '\0' || strcmp(name, "<stdin>") == 0 ||
	    strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		base = "stdin.csv";
	rl_buf_clear(&r->fname);
	if (rl_buf_append(&r->fname, r->base.path, dirlen) == -1 ||
	    (dirlen > 0 && r->base.path[dirlen - 1] != '/' &&
	    rl_buf_putc(&r->fname, '/') == -1))
		return -1;
	at = r->fname.len;
	if (rl_buf_puts(&r->fname, base) == -1)
		return -1;
	/* a name taken by an earlier input: its ordinal before the extension */
	for (p = r->names.data; p != NULL && p < r->names.data + r->names.len;
	    p += strlen(p) + 1)
		if (strcmp(p, base) == 0) {
			dot = strrchr(base, '.');
			r->fname.len = at;
			if (rl_buf_append(&r->fname, base, dot != NULL && dot != base ?
			    (size_t)(dot - base) : strlen(base)) == -1 ||
			    rl_buf_printf(&r->fname, "-%lu%s", in->ordinal,
			    dot != NULL && dot != base ? dot : "") == -1)
				return -1;
			break;
		}
	if (rl_buf_cstr(&r->fname) == NULL)
		return -1;
	return rl_buf_append(&r->names, r->fname.data + at,
	    r->fname.len - at + 1);
}

/* Opens the current input's file in the directory (made when missing). */
static int
open_file(struct rows_report *r, const rl_sink_input *in, rl_diag *err)
{
	struct stat a, b;
	rl_diag d = RL_DIAG_INIT;

	if (file_name(r, in) == -1)
		return rl_diag_set(err, RL_NOMEM, "out of memory");
	if (mkdir(r->base.path, 0777) == -1 && errno != EEXIST) {
		rl_diag_set(err, RL_IO_ERROR, "cannot make the directory: %s",
		    strerror(errno));
		if (err != NULL)
			err->source = r->base.path;
		return -1;
	}
	if (in->name != NULL && stat(in->name, &a) == 0 &&
	    stat(r->fname.data, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino) {
		rl_diag_set(err, RL_IO_ERROR, "csv-rows would replace its input %s: "
		    "name another directory", in->name);
		if (err != NULL)
			err->source = r->fname.data;
		return -1;
	}
	if ((r->file = rl_outfile_open(r->fname.data, &d)) == NULL) {
		if (err != NULL)
			*err = d;
		return -1;
	}
	return 0;
}

/* Writes out and renames the current input's file; 0 or -1 (err). */
static int
close_file(struct rows_report *r, rl_diag *err)
{
	rl_diag d = RL_DIAG_INIT;
	int rc = 0;

	if (r->file == NULL)
		return 0;
	if (!r->hdr_out && put_header(r, rl_outfile_buf(r->file)) == -1)
		rc = rl_diag_set(err, RL_NOMEM, "out of memory");
	else if (rl_outfile_commit(r->file, &d) != 0) {
		if (err != NULL)
			*err = d;
		rc = -1;
	}
	rl_outfile_close(r->file);
	r->file = NULL;
	return rc;
}

/*
 * The CSV input whose rows follow: its header, its encoding and, for a
 * directory, its file.  Nothing is written yet.
 */
static int
take_input(struct rows_report *r, const rl_sink_input *in, rl_diag *err)
{
	if (!in->csv || in->header == NULL || in->ordinal == r->ordinal)
		return 0;
	if (!r->dir && r->ordinal != 0) {
		rl_diag_set(err, RL_IO_ERROR, "csv-rows:%s takes the rows of one "
		    "CSV input, and %s is a second one: name a directory "
		    "(csv-rows:DIR/) for one file per input",
		    r->base.path != NULL ? r->base.path : "-",
		    in->name != NULL ? in->name : "-");
		return -1;
	}
	if (r->dir && close_file(r, err) == -1)
		return -1;
	rl_buf_clear(&r->hdr);
	if (rl_buf_append(&r->hdr, in->header, in->header_len) == -1)
		return rl_diag_set(err, RL_NOMEM, "out of memory");
	r->delim = in->delimiter;
	r->errcol = errors_column(in->header, in->header_len, in->delimiter);
	r->hdr_out = r->begun = 0;
	if (use_encoding(r, in->encoding, err) == -1 ||
	    (r->dir && open_file(r, in, err) == -1))
		return -1;
	r->ordinal = in->ordinal;
	return 0;
}

static int
rows_record(rl_sink *s, const rl_sink_record *sr, rl_diag *err)
{
	struct rows_report *r = (struct rows_report *)s;
	const rl_result *res = sr->row_res != NULL ? sr->row_res : sr->res;
	rl_buf *b;
	size_t at;
	int hdr_out = r->hdr_out, begun = r->begun, rc;
	rl_diag d = RL_DIAG_INIT;

	if (sr->note || sr->row == NULL)
		return 0;
	if (sr->input != NULL && take_input(r, sr->input, err) == -1)
		return -1;
	if (sr->accepted || r->ordinal == 0)
		return 0;
	b = dest(r);
	at = b->len;
	if (!r->hdr_out && put_header(r, b) == -1)
		return undo(b, at);
	if (errors_text(&r->cell, res) == -1 ||
	    compose(r, sr->row, sr->row_len,
	    r->cell.data != NULL ? r->cell.data : "", r->cell.len) == -1 ||
	    put(r, b, r->u.data, r->u.len) == -1) {
		r->hdr_out = hdr_out;   /* the header went with the row */
		r->begun = begun;
		return undo(b, at);
	}
	if (r->file != NULL && (rc = rl_outfile_flush(r->file, 64 * 1024,
	    &d)) != 0) {
		if (rc != -1)           /* failed before, or a closed pipe */
			rl_diag_set(&d, RL_IO_ERROR, "cannot write");
		d.source = r->fname.data;
		if (err != NULL)
			*err = d;
		return -1;
	}
	return 0;
}

static int
rows_input_end(rl_sink *s, const rl_sink_input *in, rl_diag *err)
{
	struct rows_report *r = (struct rows_report *)s;

	if (take_input(r, in, err) == -1)
		return -1;
	return r->dir ? close_file(r, err) : 0;
}

/* No row rejected: the header alone, an empty sheet to fill. */
static int
rows_end(rl_sink *s, const rl_summary *sum, rl_diag *err)
{
	struct rows_report *r = (struct rows_report *)s;

	(void)sum;
	if (r->dir)
		return close_file(r, err);
	if (r->ordinal == 0 || r->hdr_out)
		return 0;
	return put_header(r, rl_sink_buf(s)) == -1 ?
	    rl_diag_set(err, RL_NOMEM, "out of memory") : 0;
}

static int
rows_begin(rl_sink *s, rl_diag *err)
{
	struct rows_report *r = (struct rows_report *)s;

	(void)err;
	r->dir = s->out == NULL && s->path != NULL && rl_sink_path_is_dir(s->path);
	return 0;
}

static void
rows_fini(rl_sink *s)
{
	struct rows_report *r = (struct rows_report *)s;

	rl_outfile_close(r->file);      /* not committed: removed */
	drop_encoding(r);
	rl_buf_free(&r->hdr);
	rl_buf_free(&r->qmark);
	rl_buf_free(&r->fname);
	rl_buf_free(&r->names);
	rl_buf_free(&r->cell);
	rl_buf_free(&r->u);
}

const rl_sink_class rl_report_csvrows = {
	.name = "csv-rows",
	.size = sizeof(struct rows_report),
	.traits = RL_SINK_REPORT | RL_SINK_DIR,
	.begin = rows_begin,
	.record = rows_record,
	.input_end = rows_input_end,
	.end = rows_end,
	.fini = rows_fini,
};
