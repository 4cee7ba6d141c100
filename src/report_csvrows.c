/*
 * report_csvrows.c: the csv-rows report (reflint(1), Spreadsheets): the
 * rejected rows of CSV inputs, so that the user fixes them in the
 * spreadsheet and runs again.
 *
 * The output is the input's header row with an "Errors" column added,
 * then each rejected row byte for byte as read (quoted line ends inside
 * cells included) with its Errors cell: "code: message; code (warning):
 * message", infos left out.  Rows end with CRLF; a UTF-8 BOM comes first
 * unless RL_REPORT_NO_BOM.  Only the Errors cell is written by reflint,
 * so only it is guarded against formulas (rl_csv_cell): guarding the
 * echoed cells would change what the next run uploads.  A header whose
 * last column is already "Errors" (a csv-rows file run again) has that
 * column replaced, not repeated.  Records of JSON inputs and notes are
 * not rows: they write nothing here.
 */
#include "config.h"

#include <string.h>

#include "sink.h"

struct rows_report {
	rl_sink base;
	unsigned long written;      /* rows and headers written */
	rl_buf hdr;                 /* the current input's header */
	char delim;
	int have_hdr;               /* hdr holds a header */
	int hdr_out;                /* hdr is the header written last */
	int strip;                  /* hdr ends in an Errors column */
	rl_buf cell;                /* scratch: one Errors cell */
};

/* Restores the buffer to its length on entry and fails. */
static int
undo(rl_buf *b, size_t len)
{
	b->len = len;
	return -1;
}

/*
 * Where the last field of a well-formed row begins: after its last
 * delimiter outside quotes (a doubled quote toggles twice).  0 when the
 * row has one field.
 */
static size_t
last_field(const char *s, size_t len, char delim)
{
	size_t i, at = 0;
	int quoted = 0;

	for (i = 0; i < len; i++)
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == delim && !quoted)
			at = i + 1;
	return at;
}

/* Is the header's last column "Errors" (quotes, spaces and case aside)? */
static int
ends_in_errors(const char *s, size_t len, char delim)
{
	size_t at = last_field(s, len, delim), n;
	const char *f = s + at;
	static const char name[] = "errors";
	size_t i;

	if (at == 0)
		return 0;
	n = len - at;
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
	if (n != sizeof(name) - 1)
		return 0;
	for (i = 0; i < n; i++)
		if ((f[i] | 0x20) != name[i])
			return 0;
	return 1;
}

/*
 * The header of the CSV input whose rows follow.  It is written before
 * that input's first rejected row, unless it is the header written last.
 */
static int
take_header(struct rows_report *r, const rl_sink_input *in)
{
	const char *raw = in->header;
	size_t len = in->header_len;

	if (!in->csv || raw == NULL)
		return 0;
	if (r->have_hdr && r->delim == in->delimiter && r->hdr.len == len &&
	    (len == 0 || memcmp(r->hdr.data, raw, len) == 0))
		return 0;               /* the same header: hdr_out stays */
	r->have_hdr = r->hdr_out = 0;
	rl_buf_clear(&r->hdr);
	if (rl_buf_append(&r->hdr, raw, len) == -1)
		return -1;
	r->delim = in->delimiter;
	r->strip = ends_in_errors(raw, len, in->delimiter);
	r->have_hdr = 1;
	return 0;
}

/* The BOM before anything else, then the header with its Errors column. */
static int
rows_header(struct rows_report *r, rl_buf *b)
{
	size_t len = r->hdr.len;

	if (r->written == 0 && !(r->base.flags & RL_REPORT_NO_BOM) &&
	    rl_buf_puts(b, RL_CSV_BOM) == -1)
		return -1;
	if (r->strip)
		len = last_field(r->hdr.data, len, r->delim) - 1;
	if (rl_buf_append(b, r->hdr.data, len) == -1 ||
	    rl_buf_putc(b, r->delim) == -1 ||
	    rl_csv_cell(b, "Errors", 6, r->delim, 1) == -1)
		return -1;
	return 0;
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

/* Does a row carry a csv-syntax diagnostic (its raw bytes may be cut)? */
static int
malformed(const rl_result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		if (res->d[i].code == RL_CSV_SYNTAX)
			return 1;
	return 0;
}

static int
rows_record(rl_sink *s, const rl_sink_record *sr, rl_diag *err)
{
	struct rows_report *r = (struct rows_report *)s;
	const rl_result *res = sr->row_res != NULL ? sr->row_res : sr->res;
	rl_buf *b = rl_sink_buf(s);
	const char *raw = sr->row;
	size_t len = sr->row_len, at = b->len;
	char delim;

	(void)err;
	if (sr->note || raw == NULL)
		return 0;
	if (sr->input != NULL && take_header(r, sr->input) == -1)
		return -1;
	if (sr->accepted)
		return 0;
	delim = r->have_hdr ? r->delim : ',';
	if (r->have_hdr && !r->hdr_out && rows_header(r, b) == -1)
		return undo(b, at);
	/* A well-formed row loses its old Errors cell; a malformed one is kept. */
	if (r->have_hdr && r->strip && !malformed(res) &&
	    last_field(raw, len, delim) > 0)
		len = last_field(raw, len, delim) - 1;
	if (rl_buf_append(b, raw, len) == -1 ||
	    rl_buf_putc(b, delim) == -1 ||
	    errors_text(&r->cell, res) == -1 ||
	    rl_csv_cell(b, r->cell.data != NULL ? r->cell.data : "",
	    r->cell.len, delim, 1) == -1)
		return undo(b, at);
	if (r->have_hdr && !r->hdr_out) {
		r->hdr_out = 1;
		r->written++;
	}
	r->written++;
	return 0;
}

static int
rows_input_end(rl_sink *s, const rl_sink_input *in, rl_diag *err)
{
	(void)err;
	return take_header((struct rows_report *)s, in);
}

/* No row rejected: the header alone, an empty sheet to fill. */
static int
rows_end(rl_sink *s, const rl_summary *sum, rl_diag *err)
{
	struct rows_report *r = (struct rows_report *)s;
	rl_buf *b = rl_sink_buf(s);
	size_t at = b->len;

	(void)sum;
	(void)err;
	if (r->written > 0 || !r->have_hdr)
		return 0;
	if (rows_header(r, b) == -1)
		return undo(b, at);
	r->hdr_out = 1;
	r->written++;
	return 0;
}

static void
rows_fini(rl_sink *s)
{
	struct rows_report *r = (struct rows_report *)s;

	rl_buf_free(&r->hdr);
	rl_buf_free(&r->cell);
}

const rl_sink_class rl_report_csvrows = {
	.name = "csv-rows",
	.size = sizeof(struct rows_report),
	.traits = RL_SINK_REPORT,
	.record = rows_record,
	.input_end = rows_input_end,
	.end = rows_end,
	.fini = rows_fini,
};
