/*
 * sink_xlsx.c: the Excel workbook report (sink_xlsx.h, reflint(1) Output).
 *
 * Rows: one sheet per CSV input with a row with problems ("Rows", "Rows 2",
 * ...): the Errors column, then the row's cells as read, a bad cell filled
 * by its worst severity and commented with its messages.  Problems: one
 * row per diagnostic kept.  Summary: the run's counts, the counts by code
 * with a bar chart, and which file each Rows sheet shows.
 *
 * Every cell that holds text from an input or a message is written with
 * worksheet_write_string under the "@" (text) number format, so nothing a
 * user typed ever runs as a formula, now or when the cell is edited.  Only
 * the Summary's counts are numbers: the chart plots them.  The Problems
 * rows are kept until end (in one buffer of length-prefixed fields), so
 * that the sheets come in the order Rows, Problems, Summary however many
 * inputs the run reads.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "csv.h"
#include "csvmap.h"
#include "sink_xlsx.h"

#define PROBLEM_FIELDS 12
#define NOTE_ROOM      96       /* UTF-16 units kept for the note of a cut */
#define DELIVER_CHUNK  (64 * 1024)
#define ERRORS_WIDTH   60       /* characters of the Errors column */
#define LINE_POINTS    15       /* height of one line of text */
#define MAX_POINTS     409      /* Excel's highest row */

/* Colours of a bad cell, by worst severity (Excel's own "Bad", "Neutral"). */
static const struct { lxw_color_t bg, fg; } sev_colors[RL_SEV_ERROR + 1] = {
	[RL_SEV_INFO] = { 0xDDEBF7, 0x1F4E78 },
	[RL_SEV_WARNING] = { 0xFFEB9C, 0x9C5700 },
	[RL_SEV_ERROR] = { 0xFFC7CE, 0x9C0006 }
};

static const char *const problem_head[PROBLEM_FIELDS] = {
	"File", "Line", "Record", "Row", "Column", "Header", "Referral ID",
	"Op Index", "Path", "Code", "Severity", "Message"
};
static const double problem_width[PROBLEM_FIELDS] = {
	24, 7, 8, 7, 8, 24, 24, 9, 32, 26, 9, 90
};

struct cell {
	size_t off, len;
	unsigned long line, column;
};

/* The fields of one row, parsed again from its bytes with the CSV layer. */
struct cells {
	rl_buf text;
	struct cell *c;
	size_t n, cap;
	int bad;                    /* the bytes do not parse as a row */
	int nomem;
};

struct xsink {
	rl_sink base;
	lxw_workbook *wb;
	char *tmp;                  /* the workbook's temporary file */
	lxw_format *text, *wrap, *head, *fill[RL_SEV_ERROR + 1];
	/* the input being read, and its Rows sheet once it has one */
	unsigned long in_ordinal;
	char in_delim;
	lxw_worksheet *rows;
	lxw_row_t next_row;
	struct cells hdr, row;
	unsigned nsheets;
	rl_buf sheets;              /* "SHEET\0FILE\0" for each Rows sheet */
	/* the first CSV input's header: a clean run still shows one */
	rl_buf first_hdr;
	char first_delim;
	int have_first;
	rl_buf first_name;
	/* Problems, kept until end */
	rl_buf probs;
	unsigned long nprobs, probs_cut;
	unsigned long rows_cut, cols_cut, cells_cut;
	rl_severity code_sev[RL_CODE_COUNT];
	rl_buf mend, scratch, msg;
	int *cellof;                /* per diagnostic of a row: its field */
	size_t cellof_cap;
	int failed;
};

/* ---- failures ------------------------------------------------------------ */

static int
fail_nomem(struct xsink *x, rl_diag *err)
{
	x->failed = 1;
	rl_diag_set(err, RL_NOMEM, "out of memory writing the workbook");
	if (err != NULL)
		err->source = x->base.path;
	return -1;
}

static int
fail_lxw(struct xsink *x, rl_diag *err, lxw_error e)
{
	if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return fail_nomem(x, err);
	x->failed = 1;
	rl_diag_set(err, RL_IO_ERROR, "%s: the workbook cannot be written: %s",
	    x->base.path != NULL ? x->base.path : "xlsx", lxw_strerror(e));
	if (err != NULL)
		err->source = x->base.path;
	return -1;
}

/* ---- text as Excel takes it -------------------------------------------- */

static size_t
utf8_seq(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/*
 * (p, n) as a C string for a cell: bytes that are not UTF-8 and NUL as
 * U+FFFD, and, past Excel's 32,767 UTF-16 units, cut at a character with a
 * note of what was left out.  Valid until the next call.  *cut is set when
 * it was cut.  NULL when memory runs out.
 */
static const char *
excel_text(struct xsink *x, const char *p, size_t n, int *cut)
{
	static const char fffd[] = "\xEF\xBF\xBD";
	size_t m = rl_utf8_mended_len(p, n), i, k, units = 0, total = 0;
	const char *s;

	*cut = 0;
	rl_buf_clear(&x->mend);
	rl_buf_clear(&x->scratch);
	if (rl_buf_reserve(&x->mend, m + 1) == -1)
		return NULL;
	x->mend.len = rl_utf8_fit(x->mend.data, m + 1, p, n);
	s = x->mend.data;
	for (i = 0; i < x->mend.len; i += utf8_seq((unsigned char)s[i]))
		total += utf8_seq((unsigned char)s[i]) == 4 ? 2 : 1;
	for (i = 0; i < x->mend.len; i += k) {
		size_t u;

		k = utf8_seq((unsigned char)s[i]);
		u = k == 4 ? 2 : 1;
		if (total > RL_XLSX_MAX_CELL && units + u > RL_XLSX_MAX_CELL - NOTE_ROOM)
			break;
		units += u;
		if ((s[i] == '\0' ? rl_buf_append(&x->scratch, fffd, 3) :
		    rl_buf_append(&x->scratch, s + i, k)) == -1)
			return NULL;
	}
	if (i < x->mend.len) {
		size_t more = 0;

		for (; i < x->mend.len; i += utf8_seq((unsigned char)s[i]))
			more++;
		*cut = 1;
		if (rl_buf_printf(&x->scratch, " \xE2\x80\xA6 (%zu more characters "
		    "cut: an Excel cell holds 32,767)", more) == -1)
			return NULL;
	}
	return rl_buf_cstr(&x->scratch);
}

static int
put_text(struct xsink *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *p, size_t n, lxw_format *f, rl_diag *err)
{
	const char *t;
	int cut;
	lxw_error e;

	if ((t = excel_text(x, p, n, &cut)) == NULL)
		return fail_nomem(x, err);
	x->cells_cut += cut;
	if ((e = worksheet_write_string(ws, r, c, t, f)) != LXW_NO_ERROR)
		return fail_lxw(x, err, e);
	return 0;
}

static int
put_str(struct xsink *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    const char *s, lxw_format *f, rl_diag *err)
{
	return put_text(x, ws, r, c, s != NULL ? s : "", s != NULL ? strlen(s) : 0,
	    f, err);
}

static int
put_num(struct xsink *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
    unsigned long v, rl_diag *err)
{
	lxw_error e = worksheet_write_number(ws, r, c, (double)v, NULL);

	return e == LXW_NO_ERROR ? 0 : fail_lxw(x, err, e);
}

/*
 * The height of a row whose wrapped cell holds (s, n) in a column of
 * ERRORS_WIDTH characters: neither Excel nor LibreOffice grows a row
 * of a file they open to fit its text, so the sink says how high it is.
 */
static double
row_points(const char *s, size_t n)
{
	size_t lines = 0, chars = 0, i;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '\n') {
			lines += chars / (ERRORS_WIDTH - 8) + 1;
			chars = 0;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80)
			chars++;
	}
	return lines * LINE_POINTS > MAX_POINTS ? MAX_POINTS :
	    (double)(lines * LINE_POINTS);
}

/*
 * Printing: landscape, the header row on every page; across: one page
 * (the Problems sheet, whose columns are few) or as many as the columns
 * need (the Rows sheet, as wide as the user's sheet, which one page
 * would shrink past reading).
 */
static void
page_setup(lxw_worksheet *ws, int one_page_wide)
{
	worksheet_set_landscape(ws);
	if (one_page_wide)
		worksheet_fit_to_pages(ws, 1, 0);
	(void)worksheet_repeat_rows(ws, 0, 0);
}

/* ---- rows parsed again ------------------------------------------------- */

static int
cells_row(void *ctx, const rl_csv_row *row)
{
	struct cells *c = ctx;
	size_t i;

	if (row->diag != NULL || row->n == 0) {
		c->bad = 1;
		return 1;
	}
	if (row->n > c->cap) {
		struct cell *nc = rl_realloc(c->c, row->n * sizeof(*nc));

		if (nc == NULL) {
			c->nomem = 1;
			return 1;
		}
		c->c = nc;
		c->cap = row->n;
	}
	for (i = 0; i < row->n; i++) {
		c->c[i].off = c->text.len;
		c->c[i].len = row->f[i].len;
		c->c[i].line = row->f[i].line;
		c->c[i].column = row->f[i].column;
		if (rl_buf_append(&c->text, row->f[i].s, row->f[i].len) == -1) {
			c->nomem = 1;
			return 1;
		}
	}
	c->n = row->n;
	return 1;                   /* one row is all there is */
}

/* Splits (p, n) into fields; -1 when memory runs out. */
static int
cells_parse(struct cells *c, const char *p, size_t n, char delim)
{
	rl_csv_opts o;
	rl_diag err = RL_DIAG_INIT;

	rl_buf_clear(&c->text);
	c->n = 0;
	c->bad = c->nomem = 0;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		n -= 3;
	}
	memset(&o, 0, sizeof(o));
	o.delimiter = delim == ';' || delim == '\t' ? delim : ',';
	/* the row was read whole once: no limit of ours cuts it now */
	o.max_field = o.max_row = n + 16;
	if (rl_csv_parse_mem(p, n, "", &o, cells_row, c, &err) == RL_READ_TRUNCATED &&
	    err.code == RL_NOMEM)
		c->nomem = 1;
	if (c->nomem)
		return -1;
	if (c->n == 0)
		c->bad = 1;
	return 0;
}

static const char *
cell_text(const struct cells *c, size_t i, size_t *len)
{
	*len = c->c[i].len;
	return c->text.data + c->c[i].off;
}

/* ---- the Rows sheets --------------------------------------------------- */

/* The input of a record: its header parsed when it is a new one. */
static int
enter_input(struct xsink *x, const rl_sink_input *in, rl_diag *err)
{
	if (in == NULL || in->ordinal == x->in_ordinal)
		return 0;
	x->in_ordinal = in->ordinal;
	x->rows = NULL;
	x->hdr.n = 0;
	if (!in->csv)
		return 0;
	x->in_delim = in->delimiter;
	if (cells_parse(&x->hdr, in->header != NULL ? in->header : "",
	    in->header != NULL ? in->header_len : 0, in->delimiter) == -1)
		return fail_nomem(x, err);
	if (!x->have_first) {
		rl_buf_clear(&x->first_hdr);
		rl_buf_clear(&x->first_name);
		if ((in->header_len > 0 && rl_buf_append(&x->first_hdr, in->header,
		    in->header_len) == -1) ||
		    rl_buf_puts(&x->first_name, in->name != NULL ? in->name : "") == -1)
			return fail_nomem(x, err);
		x->first_delim = in->delimiter;
		x->have_first = 1;
	}
	return 0;
}

/* A new Rows sheet for the current input: Errors, then its header. */
static int
open_rows(struct xsink *x, const char *file, rl_diag *err)
{
	char name[32];
	lxw_error e;
	size_t i, len;
	const char *s;

	if (x->nsheets == 0)
		snprintf(name, sizeof(name), "Rows");
	else
		snprintf(name, sizeof(name), "Rows %u", x->nsheets + 1);
	if ((x->rows = workbook_add_worksheet(x->wb, name)) == NULL)
		return fail_nomem(x, err);
	x->nsheets++;
	if (rl_buf_append(&x->sheets, name, strlen(name) + 1) == -1 ||
	    rl_buf_append(&x->sheets, file, strlen(file) + 1) == -1)
		return fail_nomem(x, err);
	if (put_str(x, x->rows, 0, 0, "Errors", x->head, err) == -1)
		return -1;
	for (i = 0; i < x->hdr.n && i + 1 < RL_XLSX_MAX_COLS; i++) {
		s = cell_text(&x->hdr, i, &len);
		if (put_text(x, x->rows, 0, (lxw_col_t)(i + 1), s, len, x->head,
		    err) == -1)
			return -1;
	}
	if ((e = worksheet_set_column(x->rows, 0, 0, ERRORS_WIDTH, x->wrap)) != LXW_NO_ERROR ||
	    (x->hdr.n > 0 && (e = worksheet_set_column(x->rows, 1,
	    (lxw_col_t)(x->hdr.n < RL_XLSX_MAX_COLS ? x->hdr.n : RL_XLSX_MAX_COLS - 1),
	    18, x->text)) != LXW_NO_ERROR))
		return fail_lxw(x, err, e);
	worksheet_freeze_panes(x->rows, 1, 1);
	page_setup(x->rows, 0);
	x->next_row = 1;
	return 0;
}

/*
 * The cell a diagnostic is about: the field it names (the batch names
 * every cell's diagnostic so, rl_diag), else the op's column (csvmap's
 * op_column), or, for a cell that did not convert (no op, but its line
 * and column), the field that starts there.  -1: the row as a whole.
 */
static long
diag_field(const rl_sink_record *r, const struct cells *c, const rl_diag *d)
{
	unsigned long line;
	size_t i;

	if (d->field >= 0)
		return d->field;
	if (d->op >= 0)
		return r->op_column != NULL && (size_t)d->op < r->nops ?
		    (long)r->op_column[d->op] : -1;
	if (d->line == 0 || d->column == 0 || r->rec == NULL ||
	    d->line < r->rec->line)
		return -1;
	line = d->line - r->rec->line + 1;
	for (i = 0; i < c->n; i++)
		if (c->c[i].line == line && c->c[i].column == d->column)
			return (long)i;
	return -1;
}

/* "code: message", or "code (warning): message", to x->msg. */
static int
add_line(rl_buf *b, const rl_diag *d)
{
	const char *m = rl_diag_message(d);

	if ((b->len > 0 && rl_buf_putc(b, '\n') == -1) ||
	    rl_buf_puts(b, rl_code_name(d->code) ? rl_code_name(d->code) : "?") == -1 ||
	    (d->severity != RL_SEV_ERROR && rl_buf_printf(b, " (%s)",
	    rl_severity_name(d->severity)) == -1) ||
	    rl_buf_puts(b, ": ") == -1 || rl_buf_puts(b, m) == -1)
		return -1;
	return 0;
}

static int
comment(struct xsink *x, lxw_row_t r, lxw_col_t c, size_t lines, rl_diag *err)
{
	lxw_comment_options opt;
	const char *t;
	int cut;
	lxw_error e;

	memset(&opt, 0, sizeof(opt));
	opt.author = (char *)(uintptr_t)"reflint";
	opt.width = 360;
	opt.height = (uint16_t)(lines > 20 ? 400 : 40 + 18 * lines);
	if ((t = excel_text(x, x->msg.data, x->msg.len, &cut)) == NULL)
		return fail_nomem(x, err);
	x->cells_cut += cut;
	if ((e = worksheet_write_comment_opt(x->rows, r, c, t, &opt)) != LXW_NO_ERROR)
		return fail_lxw(x, err, e);
	return 0;
}

/*
 * One row with problems on the Rows sheet.  Its messages are those of the
 * row's own Errors cell in csv-rows (row_res): the row number and the
 * column letters of the input are not where the sheet has them.
 */
static int
write_row(struct xsink *x, const rl_sink_record *r, rl_diag *err)
{
	const rl_result *res = r->row_res != NULL ? r->row_res : r->res;
	lxw_row_t row;
	lxw_error e;
	size_t i, k, len;
	const char *s;

	if (x->rows == NULL && open_rows(x, r->input->name != NULL ?
	    r->input->name : "", err) == -1)
		return -1;
	if (x->next_row >= RL_XLSX_MAX_ROWS) {
		x->rows_cut++;
		return 0;
	}
	row = x->next_row++;
	if (cells_parse(&x->row, r->row, r->row_len, x->in_delim) == -1)
		return fail_nomem(x, err);
	if (res->n > x->cellof_cap) {
		int *n = rl_realloc(x->cellof, res->n * sizeof(*n));

		if (n == NULL)
			return fail_nomem(x, err);
		x->cellof = n;
		x->cellof_cap = res->n;
	}
	rl_buf_clear(&x->msg);
	for (k = 0; k < res->n; k++) {
		x->cellof[k] = x->row.bad ? -1 : (int)diag_field(r, &x->row, &res->d[k]);
		if (add_line(&x->msg, &res->d[k]) == -1)
			return fail_nomem(x, err);
	}
	if (res->dropped > 0 && rl_buf_printf(&x->msg, "\n\xE2\x80\xA6 and %zu more "
	    "(--max-errors-per-record)", res->dropped) == -1)
		return fail_nomem(x, err);
	if (put_text(x, x->rows, row, 0, x->msg.data, x->msg.len, x->wrap, err) == -1)
		return -1;
	if ((e = worksheet_set_row(x->rows, row, row_points(x->msg.data,
	    x->msg.len), NULL)) != LXW_NO_ERROR)
		return fail_lxw(x, err, e);
	if (x->row.bad) {
		/* malformed: its bytes in one cell, marked as the row's problem */
		return put_text(x, x->rows, row, 1, r->row, r->row_len,
		    x->fill[res->worst ? res->worst : RL_SEV_ERROR], err);
	}
	for (i = 0; i < x->row.n; i++) {
		rl_severity worst = RL_SEV_NONE;
		size_t lines = 0;

		if (i + 1 >= RL_XLSX_MAX_COLS) {
			x->cols_cut++;
			break;
		}
		rl_buf_clear(&x->msg);
		for (k = 0; k < res->n; k++) {
			if (x->cellof[k] != (int)i)
				continue;
			if (res->d[k].severity > worst)
				worst = res->d[k].severity;
			if (add_line(&x->msg, &res->d[k]) == -1)
				return fail_nomem(x, err);
			lines++;
		}
		s = cell_text(&x->row, i, &len);
		if (put_text(x, x->rows, row, (lxw_col_t)(i + 1), s, len,
		    lines > 0 ? x->fill[worst ? worst : RL_SEV_ERROR] : x->text,
		    err) == -1 ||
		    (lines > 0 && comment(x, row, (lxw_col_t)(i + 1), lines, err) == -1))
			return -1;
	}
	return 0;
}

/* ---- Problems ----------------------------------------------------------- */

static int
keep_field(rl_buf *b, const char *s, size_t n)
{
	return rl_buf_append(b, &n, sizeof(n)) == -1 ||
	    rl_buf_append(b, s, n) == -1 ? -1 : 0;
}

static int
keep_str(rl_buf *b, const char *s)
{
	return keep_field(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static int
keep_num(rl_buf *b, unsigned long v, int have)
{
	char t[24];

	if (!have)
		return keep_field(b, "", 0);
	snprintf(t, sizeof(t), "%lu", v);
	return keep_str(b, t);
}

/* One Problems row: a severity byte, then PROBLEM_FIELDS fields. */
static int
keep_problem(struct xsink *x, const rl_sink_record *r, const rl_diag *d,
    long field)
{
	const rl_record *rec = r->rec;
	const rl_value *id = r->res->id;
	const char *file = rec != NULL && rec->source != NULL ? rec->source :
	    r->input != NULL ? r->input->name : NULL;
	char letters[RL_CSV_COLUMN_NAME_MAX];
	const char *hs = "", *ptr;
	size_t hl = 0, plen;
	unsigned char sev = (unsigned char)d->severity;
	rl_buf *b = &x->probs;
	int csvrow = r->row != NULL;

	letters[0] = '\0';
	if (field >= 0) {
		rl_csv_column_name((unsigned long)field, letters);
		if ((size_t)field < x->hdr.n)
			hs = cell_text(&x->hdr, (size_t)field, &hl);
	}
	ptr = rl_diag_pointer(d, &plen);
	if (rl_buf_append(b, &sev, 1) == -1 ||
	    keep_str(b, file) == -1 ||
	    keep_num(b, d->line ? d->line : rec != NULL ? rec->line : 0,
	    d->line != 0 || (rec != NULL && rec->line != 0)) == -1 ||
	    keep_num(b, rec != NULL ? rec->index : 0, rec != NULL && rec->index) == -1 ||
	    keep_num(b, r->row_number, csvrow && r->row_number) == -1 ||
	    keep_str(b, letters) == -1 ||
	    keep_field(b, hs, hl) == -1 ||
	    (id != NULL ? keep_field(b, id->u.s.ptr, id->u.s.len) :
	    keep_str(b, NULL)) == -1 ||
	    keep_num(b, (unsigned long)d->op, d->op >= 0) == -1 ||
	    keep_field(b, ptr, plen) == -1 ||
	    keep_str(b, rl_code_name(d->code)) == -1 ||
	    keep_str(b, rl_severity_name(d->severity)) == -1 ||
	    keep_str(b, rl_diag_message(d)) == -1)
		return -1;
	x->nprobs++;
	return 0;
}

static int
write_problems(struct xsink *x, rl_diag *err)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Problems");
	const char *p = x->probs.data, *end = p + x->probs.len;
	lxw_row_t row = 1;
	lxw_col_t c;
	lxw_error e;

	if (ws == NULL)
		return fail_nomem(x, err);
	for (c = 0; c < PROBLEM_FIELDS; c++)
		if (put_str(x, ws, 0, c, problem_head[c], x->head, err) == -1)
			return -1;
	for (c = 0; c < PROBLEM_FIELDS; c++)
		if ((e = worksheet_set_column(ws, c, c, problem_width[c],
		    x->text)) != LXW_NO_ERROR)
			return fail_lxw(x, err, e);
	worksheet_freeze_panes(ws, 1, 0);
	page_setup(ws, 1);
	while (p < end) {
		unsigned char sev = (unsigned char)*p++;

		for (c = 0; c < PROBLEM_FIELDS; c++) {
			size_t n;

			memcpy(&n, p, sizeof(n));
			p += sizeof(n);
			if (put_text(x, ws, row, c, p, n, c == 10 && sev <= RL_SEV_ERROR &&
			    sev != RL_SEV_NONE ? x->fill[sev] : x->text, err) == -1)
				return -1;
			p += n;
		}
		row++;
	}
	if ((e = worksheet_autofilter(ws, 0, 0, row - 1, PROBLEM_FIELDS - 1)) !=
	    LXW_NO_ERROR)
		return fail_lxw(x, err, e);
	return 0;
}

/* ---- Summary ------------------------------------------------------------ */

static int
summary_notes(struct xsink *x, lxw_worksheet *ws, lxw_row_t *row,
    rl_diag *err)
{
	char t[200];

	if (x->rows_cut > 0) {
		snprintf(t, sizeof(t), "%lu rows with problems are not on the Rows "
		    "sheets: a sheet holds 1,048,576 rows", x->rows_cut);
		if (put_str(x, ws, (*row)++, 0, t, x->text, err) == -1)
			return -1;
	}
	if (x->probs_cut > 0) {
		snprintf(t, sizeof(t), "%lu problems are not on the Problems sheet: "
		    "a sheet holds 1,048,576 rows", x->probs_cut);
		if (put_str(x, ws, (*row)++, 0, t, x->text, err) == -1)
			return -1;
	}
	if (x->cols_cut > 0) {
		snprintf(t, sizeof(t), "%lu rows had cells past column XFD, which "
		    "are left out", x->cols_cut);
		if (put_str(x, ws, (*row)++, 0, t, x->text, err) == -1)
			return -1;
	}
	if (x->cells_cut > 0) {
		snprintf(t, sizeof(t), "%lu cells or comments were cut at 32,767 "
		    "characters (each says so)", x->cells_cut);
		if (put_str(x, ws, (*row)++, 0, t, x->text, err) == -1)
			return -1;
	}
	return 0;
}

static int
write_summary(struct xsink *x, const rl_summary *sum, rl_diag *err)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Summary");
	const struct { const char *label; unsigned long v; } counts[] = {
		{ "Read", sum->read }, { "Accepted", sum->accepted },
		{ "Rejected", sum->rejected }, { "Errors", sum->errors },
		{ "Warnings", sum->warnings }, { "Infos", sum->infos }
	};
	lxw_row_t row = 0, first;
	size_t i;
	unsigned ncodes = 0;
	const char *p, *end;
	lxw_error e;

	if (ws == NULL)
		return fail_nomem(x, err);
	/* the counts and the chart beside them on one page */
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 1);
	if ((e = worksheet_set_column(ws, 0, 0, 28, x->text)) != LXW_NO_ERROR ||
	    (e = worksheet_set_column(ws, 1, 1, 12, x->text)) != LXW_NO_ERROR ||
	    (e = worksheet_set_column(ws, 2, 2, 10, NULL)) != LXW_NO_ERROR)
		return fail_lxw(x, err, e);
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (put_str(x, ws, row, 0, counts[i].label, x->head, err) == -1 ||
		    put_num(x, ws, row++, 1, counts[i].v, err) == -1)
			return -1;
	if (sum->stopped != RL_STOP_NONE &&
	    put_str(x, ws, row++, 0, sum->stopped == RL_STOP_MAX_ERRORS ?
	    "Reading stopped after --max-errors rejected records" :
	    "Reading stopped: the output was closed", x->text, err) == -1)
		return -1;
	row++;
	if (put_str(x, ws, row, 0, "Code", x->head, err) == -1 ||
	    put_str(x, ws, row, 1, "Severity", x->head, err) == -1 ||
	    put_str(x, ws, row++, 2, "Count", x->head, err) == -1)
		return -1;
	first = row;
	for (i = 1; i < RL_CODE_COUNT; i++) {
		rl_severity sev = x->code_sev[i] ? x->code_sev[i] :
		    rl_codes[i].severity;

		if (sum->by_code[i] == 0)
			continue;
		if (put_str(x, ws, row, 0, rl_code_name((rl_code)i), x->text, err) == -1 ||
		    put_str(x, ws, row, 1, rl_severity_name(sev),
		    sev >= RL_SEV_INFO && sev <= RL_SEV_ERROR ? x->fill[sev] : x->text,
		    err) == -1 ||
		    put_num(x, ws, row++, 2, sum->by_code[i], err) == -1)
			return -1;
		ncodes++;
	}
	if (ncodes > 0) {
		lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_BAR);
		lxw_chart_series *se;
		lxw_chart_options co;

		if (ch == NULL || (se = chart_add_series(ch, NULL, NULL)) == NULL)
			return fail_nomem(x, err);
		chart_series_set_categories(se, "Summary", first, 0, row - 1, 0);
		chart_series_set_values(se, "Summary", first, 2, row - 1, 2);
		chart_title_set_name(ch, "Problems by code");
		chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
		/* the first code at the top, as in the table */
		chart_axis_set_reverse(ch->y_axis);
		memset(&co, 0, sizeof(co));
		co.x_scale = 1.25;
		co.y_scale = ncodes > 8 ? 1.0 + (ncodes - 8) / 8.0 : 1.0;
		if ((e = worksheet_insert_chart_opt(ws, 0, 4, ch, &co)) != LXW_NO_ERROR)
			return fail_lxw(x, err, e);
	}
	row++;
	if (x->nsheets > 0) {
		if (put_str(x, ws, row, 0, "Sheet", x->head, err) == -1 ||
		    put_str(x, ws, row++, 1, "File", x->head, err) == -1)
			return -1;
		for (p = x->sheets.data, end = p + x->sheets.len; p < end;) {
			const char *file = p + strlen(p) + 1;

			if (put_str(x, ws, row, 0, p, x->text, err) == -1 ||
			    put_str(x, ws, row++, 1, file, x->text, err) == -1)
				return -1;
			p = file + strlen(file) + 1;
		}
		row++;
	}
	return summary_notes(x, ws, &row, err);
}

/* ---- the file ------------------------------------------------------------ */

/* The closed workbook's bytes to the output. */
static int
deliver(struct xsink *x, rl_diag *err)
{
	rl_outfile *own = NULL, *out = x->base.out;
	rl_buf *b;
	ssize_t n;
	int fd, rc = 0;

	if ((fd = open(x->tmp, O_RDONLY)) == -1) {
		x->failed = 1;
		rl_diag_set(err, RL_IO_ERROR, "%s: %s", x->tmp, strerror(errno));
		return -1;
	}
	if (out == NULL && (out = own = rl_outfile_open(x->base.path != NULL ?
	    x->base.path : "-", err)) == NULL) {
		close(fd);
		x->failed = 1;
		return -1;
	}
	b = rl_outfile_buf(out);
	for (;;) {
		if (rl_buf_reserve(b, DELIVER_CHUNK) == -1) {
			rc = fail_nomem(x, err);
			break;
		}
		if ((n = read(fd, b->data + b->len, DELIVER_CHUNK)) < 0) {
			if (errno == EINTR)
				continue;
			x->failed = 1;
			rl_diag_set(err, RL_IO_ERROR, "%s: %s", x->tmp, strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (rl_outfile_flush(out, 16 * DELIVER_CHUNK, err) != 0) {
			x->failed = 1;
			rc = -1;
			break;
		}
	}
	close(fd);
	if (rc == 0 && (own != NULL ? rl_outfile_commit(own, err) :
	    rl_outfile_flush(out, 0, err)) != 0) {
		x->failed = 1;
		rc = -1;
	}
	rl_outfile_close(own);
	return rc;
}

/* ---- the sink ------------------------------------------------------------ */

static lxw_format *
new_format(struct xsink *x, lxw_color_t bg, lxw_color_t fg)
{
	lxw_format *f = workbook_add_format(x->wb);

	if (f == NULL)
		return NULL;
	format_set_num_format(f, "@");
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (bg != 0) {
		format_set_pattern(f, LXW_PATTERN_SOLID);
		format_set_bg_color(f, bg);
		format_set_font_color(f, fg);
	}
	return f;
}

static int
xlsx_begin(rl_sink *sk, rl_diag *err)
{
	struct xsink *x = (struct xsink *)sk;
	const char *dir = getenv("TMPDIR");
	lxw_workbook_options wo;
	int fd, s;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((x->tmp = rl_malloc(strlen(dir) + 24)) == NULL)
		return fail_nomem(x, err);
	snprintf(x->tmp, strlen(dir) + 24, "%s/reflint-xlsx.XXXXXX", dir);
	if ((fd = mkstemp(x->tmp)) == -1) {
		x->failed = 1;
		rl_diag_set(err, RL_IO_ERROR, "%s: %s", x->tmp, strerror(errno));
		rl_free(x->tmp);
		x->tmp = NULL;
		return -1;
	}
	close(fd);
	memset(&wo, 0, sizeof(wo));
	wo.tmpdir = (char *)(uintptr_t)dir;
	if ((x->wb = workbook_new_opt(x->tmp, &wo)) == NULL)
		return fail_nomem(x, err);
	if ((x->text = new_format(x, 0, 0)) == NULL ||
	    (x->wrap = new_format(x, 0, 0)) == NULL ||
	    (x->head = new_format(x, 0xD9E1F2, 0x000000)) == NULL)
		return fail_nomem(x, err);
	format_set_text_wrap(x->wrap);
	format_set_bold(x->head);
	for (s = RL_SEV_INFO; s <= RL_SEV_ERROR; s++)
		if ((x->fill[s] = new_format(x, sev_colors[s].bg, sev_colors[s].fg)) == NULL)
			return fail_nomem(x, err);
	return 0;
}

static int
xlsx_record(rl_sink *sk, const rl_sink_record *r, rl_diag *err)
{
	struct xsink *x = (struct xsink *)sk;
	const rl_result *res = r->res;
	size_t k;

	if (x->failed || x->wb == NULL)
		return -1;
	if (enter_input(x, r->input, err) == -1)
		return -1;
	if (res == NULL || (res->n == 0 && res->dropped == 0))
		return 0;
	for (k = 0; k < res->n; k++)
		if (res->d[k].code < RL_CODE_COUNT &&
		    res->d[k].severity > x->code_sev[res->d[k].code])
			x->code_sev[res->d[k].code] = res->d[k].severity;
	if (r->input != NULL && r->input->csv && r->row != NULL) {
		if (write_row(x, r, err) == -1)
			return -1;
	} else {
		x->row.n = 0;
		x->row.bad = 1;
	}
	for (k = 0; k < res->n; k++) {
		long f = r->row != NULL && !x->row.bad ?
		    diag_field(r, &x->row, &res->d[k]) : -1;

		if (x->nprobs + 1 >= RL_XLSX_MAX_ROWS) {
			x->probs_cut++;
			continue;
		}
		if (keep_problem(x, r, &res->d[k], f) == -1)
			return fail_nomem(x, err);
	}
	return 0;
}

static int
xlsx_input_end(rl_sink *sk, const rl_sink_input *in, rl_diag *err)
{
	struct xsink *x = (struct xsink *)sk;

	/* an input without rows still has its header (a clean run shows it) */
	if (!x->failed && enter_input(x, in, err) == -1)
		return -1;
	x->in_ordinal = 0;
	x->rows = NULL;
	return x->failed ? -1 : 0;
}

static int
xlsx_end(rl_sink *sk, const rl_summary *sum, rl_diag *err)
{
	static const rl_summary zero;
	struct xsink *x = (struct xsink *)sk;
	lxw_error e;

	if (x->failed || x->wb == NULL)
		return -1;
	if (x->nsheets == 0 && x->have_first) {
		/* a clean spreadsheet: its header alone, so the shape stays */
		if (cells_parse(&x->hdr, x->first_hdr.data != NULL ?
		    x->first_hdr.data : "", x->first_hdr.len, x->first_delim) == -1)
			return fail_nomem(x, err);
		if (open_rows(x, rl_buf_cstr(&x->first_name), err) == -1)
			return -1;
	}
	if (write_problems(x, err) == -1 ||
	    write_summary(x, sum != NULL ? sum : &zero, err) == -1)
		return -1;
	e = workbook_close(x->wb);
	x->wb = NULL;
	if (e != LXW_NO_ERROR)
		return fail_lxw(x, err, e);
	return deliver(x, err);
}

static void
cells_free(struct cells *c)
{
	rl_buf_free(&c->text);
	rl_free(c->c);
}

static void
xlsx_fini(rl_sink *sk)
{
	struct xsink *x = (struct xsink *)sk;

	if (x->wb != NULL)
		lxw_workbook_free(x->wb);
	if (x->tmp != NULL) {
		(void)unlink(x->tmp);
		rl_free(x->tmp);
	}
	cells_free(&x->hdr);
	cells_free(&x->row);
	rl_buf_free(&x->sheets);
	rl_buf_free(&x->first_hdr);
	rl_buf_free(&x->first_name);
	rl_buf_free(&x->probs);
	rl_buf_free(&x->mend);
	rl_buf_free(&x->scratch);
	rl_buf_free(&x->msg);
	rl_free(x->cellof);
}

const rl_sink_class rl_sink_xlsx = {
	.name = "xlsx",
	.size = sizeof(struct xsink),
	.traits = RL_SINK_REPORT,
	.begin = xlsx_begin,
	.record = xlsx_record,
	.input_end = xlsx_input_end,
	.end = xlsx_end,
	.fini = xlsx_fini
};
