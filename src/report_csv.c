/*
 * report_csv.c: the csv report (reflint(1), Output), one row per problem,
 * RFC 4180 with CRLF, a UTF-8 byte-order mark first unless
 * RL_REPORT_NO_BOM; and rl_csv_cell, the one writer of a CSV cell.
 */
#include "config.h"

#include <string.h>

#include "csvmap.h"
#include "sink.h"

/*
 * The header row.  Names are for people reading a spreadsheet, in the
 * words of Partner Center's own CSV ("Referral ID"):
 *   Source       the input file name
 *   Line         line of the problem (of the record when not more precise)
 *   Record       1-based ordinal of the record in its file
 *   Column       a CSV row's spreadsheet column, Excel's letters ("F");
 *                empty for JSON records and problems of a whole row
 *   Header       that column's header text as the file has it
 *   Referral ID  the referral's id; empty when unknown
 *   Op Index     0-based index of the patch operation; empty when none
 *   Path         JSON Pointer concerned; empty when none
 *   Code         the diagnostic code (reflint rules --list)
 *   Severity     error, warning or info
 *   Message      the explanation
 */
#define CSV_HEADER "Source,Line,Record,Column,Header,Referral ID,Op Index," \
	"Path,Code,Severity,Message\r\n"

/* Restores the buffer to its length on entry and fails. */
static int
undo(rl_buf *b, size_t len)
{
	b->len = len;
	return -1;
}

/*
 * One cell and its separator.  First the formula guard (OWASP, "CSV
 * Injection"): a cell that starts with = + - @ TAB or CR gets a leading
 * single quote, so that no spreadsheet reads it as a formula.  It applies
 * to every cell alike, numbers included (they never start with those
 * characters, so it never fires on them).  Then RFC 4180: a cell with the
 * delimiter, a quote, CR or LF is quoted, quotes doubled.
 */
int
rl_csv_cell(rl_buf *b, const char *s, size_t len, char delim, int last)
{
	int guard = len > 0 && memchr("=+-@\t\r", s[0], 6) != NULL;
	int quote = 0;
	size_t i, from, at = b->len;

	for (i = 0; i < len && !quote; i++)
		quote = s[i] == delim || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n';
	if ((quote && rl_buf_putc(b, '"') == -1) ||
	    (guard && rl_buf_putc(b, '\'') == -1))
		return undo(b, at);
	for (from = i = 0; i < len; i++)
		if (s[i] == '"') {
			if (rl_buf_append(b, s + from, i + 1 - from) == -1 ||
			    rl_buf_putc(b, '"') == -1)
				return undo(b, at);
			from = i + 1;
		}
	if (rl_buf_append(b, s + from, len - from) == -1 ||
	    (quote && rl_buf_putc(b, '"') == -1) ||
	    (last ? rl_buf_puts(b, "\r\n") : rl_buf_putc(b, delim)) == -1)
		return undo(b, at);
	return 0;
}

static int
csv_cell(rl_buf *b, const char *s, size_t len, int last)
{
	return rl_csv_cell(b, s, len, ',', last);
}

static int
csv_str(rl_buf *b, const char *s)
{
	return csv_cell(b, s ? s : "", s ? strlen(s) : 0, 0);
}

/* A number, through the same cell writer (guard included). */
static int
csv_num(rl_buf *b, unsigned long v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return csv_cell(b, tmp + i, sizeof(tmp) - i, 0);
}

static int
csv_begin(rl_sink *s, rl_diag *err)
{
	rl_buf *b = rl_sink_buf(s);
	size_t len = b->len;

	(void)err;
	if ((!(s->flags & RL_REPORT_NO_BOM) &&
	    rl_buf_puts(b, RL_CSV_BOM) == -1) ||
	    rl_buf_puts(b, CSV_HEADER) == -1)
		return undo(b, len);
	return 0;
}

static int
csv_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	rl_buf *b = rl_sink_buf(s);
	const rl_record *rec = r->rec;
	const rl_result *res = r->res;
	size_t i, len = b->len;

	(void)err;
	for (i = 0; i < res->n; i++) {
		const rl_diag *d = &res->d[i];
		size_t plen;
		const char *ptr = rl_diag_pointer(d, &plen);
		char letter[RL_CSV_COLUMN_NAME_MAX] = "";
		int named = d->field >= 0 && d->field_name != NULL;

		if (named)
			(void)rl_csv_column_name((unsigned long)d->field, letter);
		if (csv_str(b, rec->source) == -1 ||
		    csv_num(b, d->line ? d->line : rec->line) == -1 ||
		    csv_num(b, rec->index) == -1 ||
		    csv_str(b, letter) == -1 ||
		    csv_str(b, named ? d->field_name : NULL) == -1 ||
		    (res->id != NULL ?
		    csv_cell(b, res->id->u.s.ptr, res->id->u.s.len, 0) :
		    csv_str(b, NULL)) == -1 ||
		    (d->op >= 0 ? csv_num(b, (unsigned long)d->op) :
		    csv_str(b, NULL)) == -1 ||
		    csv_cell(b, ptr, plen, 0) == -1 ||
		    csv_str(b, rl_code_name(d->code)) == -1 ||
		    csv_str(b, rl_severity_name(d->severity)) == -1 ||
		    csv_cell(b, rl_diag_message(d), strlen(rl_diag_message(d)), 1) == -1)
			return undo(b, len);
	}
	return 0;
}

const rl_sink_class rl_report_csv = {
	.name = "csv",
	.size = sizeof(rl_sink),
	.traits = RL_SINK_REPORT,
	.begin = csv_begin,
	.record = csv_record,
};
