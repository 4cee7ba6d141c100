/*
 * batch_csv.c: the batch's side of a CSV input (batch_int.h): the header's
 * column names kept for the messages, and each row's diagnostics made to
 * name the spreadsheet's cells and rows instead of ops and lines
 * (reflint(1), Spreadsheets).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "batch_int.h"
#include "csvmap.h"
#include "sink.h"
#include "utf8.h"

/*
 * What name_columns (below) does, for a row of a profile with "add"
 * (csvmap.h): the column of the member the diagnostic is about (a cell's
 * conversion too), by the header's name and letter, or the rules' name
 * when the sheet lacks the column; a diagnostic of the registration as a
 * whole names no column.  Either way no op index.
 */
static int
name_member(rl_batch *b, rl_diag *d, int letter_too)
{
	const rl_csv_record *r = b->csv;
	char letter[RL_CSV_COLUMN_NAME_MAX], *t;
	const char *s = rl_diag_message(d), *name;
	long field;
	size_t k, m, n, h;

	d->op = -1;
	if (!rl_csv_diag_column(r, d, &field, &name))
		return 0;
	/* a cell's own message begins with the rules' name of its column */
	h = strlen(name);
	if (strncmp(s, name, h) == 0 && s[h] == ':' && s[h + 1] == ' ')
		s += h + 2;
	if (field >= 0) {
		(void)rl_csv_column_name((unsigned long)field, letter);
		if ((size_t)field < b->hdr_n)
			name = b->hdr_names.data + b->hdr_off[field];
	}
	m = strlen(s);
	n = strlen(name) + RL_CSV_COLUMN_NAME_MAX + 40;
	if ((t = rl_arena_alloc(b->a, n + m + 1)) == NULL)
		return -1;
	if (field < 0)
		k = (size_t)snprintf(t, n, "column \"%s\" (not in the sheet): ", name);
	else if (letter_too)
		k = (size_t)snprintf(t, n, "column %s \"%s\": ", letter, name);
	else
		k = (size_t)snprintf(t, n, "column \"%s\": ", name);
	memcpy(t + k, s, m + 1);
	if (rl_diag_put_message(d, b->a, t, k + m) == -1)
		return -1;
	if (field >= 0) {
		/* the structured column of the outputs, as name_columns sets */
		d->field = field;
		d->field_name = name;
	}
	return 0;
}

/*
 * A message about an op of a CSV row names the cell that made the op
 * instead, and so does one about a cell (a conversion problem: the reader
 * set its field): 'column D "Partner Referral Substatus": ' in front, the
 * field and its header in the diagnostic for the structured outputs, and
 * no op index (a spreadsheet user has no patch; reflint(1), Spreadsheets).
 * Without letter, for the row's own Errors cell: in the csv-rows file
 * the columns are not where they were.
 */
static int
name_columns(rl_batch *b, rl_result *res, int letter_too)
{
	const rl_csv_record *r = b->csv;
	char letter[RL_CSV_COLUMN_NAME_MAX], *t;
	size_t i, k, m, n;
	unsigned long col;

	for (i = 0; i < res->n; i++) {
		rl_diag *d = &res->d[i];
		const char *s = rl_diag_message(d), *name;

		if (r->members != NULL) {
			/* one op of many cells: the member names the cell */
			if (name_member(b, d, letter_too) == -1)
				return -1;
			continue;
		}
		if (r->op_column != NULL && d->op >= 0 && (size_t)d->op < r->nops)
			d->field = (long)r->op_column[d->op];
		if (d->field < 0)
			continue;
		col = (unsigned long)d->field;
		(void)rl_csv_column_name(col, letter);
		name = col < b->hdr_n ? b->hdr_names.data + b->hdr_off[col] : "";
		m = strlen(s);
		n = strlen(letter) + strlen(name) + 16;
		if ((t = rl_arena_alloc(b->a, n + m + 1)) == NULL)
			return -1;
		k = letter_too ?
		    (size_t)snprintf(t, n, "column %s \"%s\": ", letter, name) :
		    (size_t)snprintf(t, n, "column \"%s\": ", name);
		memcpy(t + k, s, m + 1);
		if (rl_diag_put_message(d, b->a, t, k + m) == -1)
			return -1;
		d->field_name = name;
		d->op = -1;
	}
	return 0;
}

/*
 * The header's column names, for name_columns: as the file has them,
 * bytes that are not UTF-8 mended (they go into JSON strings).
 */
static int
keep_name(void *ctx, const rl_csv_row *row)
{
	rl_batch *b = ctx;
	size_t i, m;

	b->hdr_n = 0;
	rl_buf_clear(&b->hdr_names);
	if (row->n > b->hdr_cap) {
		size_t *o = rl_realloc(b->hdr_off, row->n * sizeof(*o));

		if (o == NULL)
			return 1;
		b->hdr_off = o;
		b->hdr_cap = row->n;
	}
	for (i = 0; i < row->n; i++) {
		b->hdr_off[i] = b->hdr_names.len;
		m = rl_utf8_mended_len(row->f[i].s, row->f[i].len);
		if (rl_buf_reserve(&b->hdr_names, m + 1) == -1)
			return 1;
		b->hdr_names.len += rl_utf8_fit(b->hdr_names.data +
		    b->hdr_names.len, m + 1, row->f[i].s, row->f[i].len) + 1;
	}
	b->hdr_n = row->n;
	return 1;                   /* the header is all there is */
}

/*
 * "row N: " in front of each message for the outputs: a spreadsheet shows
 * row numbers, and a quoted line end makes them differ from the lines
 * (reflint(1), Spreadsheets).  The result as it was stays in b->row_res
 * for the row's own Errors cell (csv-rows), which sits in the row.
 */
int
rl_bt_csv_rows(rl_batch *b, rl_result *res)
{
	const rl_csv_record *r = b->csv;
	char msg[RL_DIAG_MSG];
	size_t i, k, m;

	b->row_res = *res;
	if (res->n > 0) {
		rl_diag *d = rl_arena_alloc(b->a, res->n * sizeof(*d));

		if (d == NULL)
			return -1;
		memcpy(d, res->d, res->n * sizeof(*d));
		b->row_res.d = d;
		b->row_res.cap = res->n;
	}
	if (name_columns(b, &b->row_res, 0) == -1 ||
	    name_columns(b, res, 1) == -1)
		return -1;
	for (i = 0; i < res->n; i++) {
		const char *s = rl_diag_message(&res->d[i]);
		char *t;

		k = (size_t)snprintf(msg, sizeof(msg), "row %lu: ", r->row);
		m = strlen(s);
		/* the whole message, prefixed: never cut */
		if ((t = rl_arena_alloc(b->a, k + m + 1)) == NULL)
			return -1;
		memcpy(t, msg, k);
		memcpy(t + k, s, m + 1);
		if (rl_diag_put_message(&res->d[i], b->a, t, k + m) == -1)
			return -1;
	}
	return 0;
}

int
rl_bt_csv_record(void *vctx, const rl_csv_record *r)
{
	rl_batch *b = vctx;
	int rc;

	b->csv = r;
	rc = rl_bt_one_record(b, &r->rec);
	b->csv = NULL;
	return rc;
}

/*
 * The header of a CSV input: csv-rows takes its bytes, and the note of
 * the columns ignored goes to the reports once per file, as a diagnostic
 * of no record (read, accepted and rejected do not count it).
 */
int
rl_bt_csv_header(void *vctx, const rl_csv_header *h)
{
	rl_batch *b = vctx;
	rl_sink_record out;
	rl_record rec;
	rl_result res;
	rl_diag d = RL_DIAG_INIT;

	if (b->stop)
		return 1;
	rl_buf_clear(&b->hdr);
	if (rl_buf_append(&b->hdr, h->raw, h->rawlen) == -1)
		goto nomem;
	b->input.header = b->hdr.data != NULL ? b->hdr.data : "";
	b->input.header_len = b->hdr.len;
	b->input.delimiter = h->delimiter;
	{
		rl_csv_opts co;

		memset(&co, 0, sizeof(co));
		co.delimiter = h->delimiter;
		b->hdr_n = 0;
		(void)rl_csv_parse_mem(b->input.header, b->input.header_len,
		    h->source, &co, keep_name, b, NULL);
	}
	/* a copy: csv-rows writes in it after the source is closed */
	if (h->encoding != NULL) {
		rl_buf_clear(&b->enc);
		if (rl_buf_puts(&b->enc, h->encoding) == -1 ||
		    rl_buf_cstr(&b->enc) == NULL)
			goto nomem;
		b->input.encoding = b->enc.data;
	}
	if (h->note == NULL)
		return 0;
	d = *h->note;
	memset(&rec, 0, sizeof(rec));
	rec.source = h->source;
	rec.line = h->line;
	rec.column = 1;
	memset(&res, 0, sizeof(res));
	res.d = &d;
	res.n = res.cap = 1;
	if (d.severity == RL_SEV_ERROR) {
		res.errors = 1;
		b->flags |= RL_BATCH_REJECTED;
	} else if (d.severity == RL_SEV_WARNING) {
		res.warnings = 1;
		b->flags |= RL_BATCH_WARNED;
	} else
		res.infos = 1;
	res.worst = d.severity;
	b->sum.errors += res.errors;
	b->sum.warnings += res.warnings;
	b->sum.infos += res.infos;
	b->sum.by_code[d.code]++;
	memset(&out, 0, sizeof(out));
	out.input = &b->input;
	out.rec = &rec;
	out.res = &res;
	out.note = 1;
	return rl_bt_emit(b, &out) == -1 ? 1 : 0;
nomem:
	rl_bt_nomem(b);
	return 1;
}

