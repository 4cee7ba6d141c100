/*
 * report.c: the report formats (text, json, csv, github), the summary and
 * the tagged lines of mapper mode (reflint(1), Output).
 *
 * The per-record lines of output.c are reused, not rewritten: the text
 * report is rl_out_text's line, the json report's records and the rejected
 * tagged line are rl_out_verdict's object.  Every public function leaves the
 * buffer as it found it when memory runs out.
 */
#include "config.h"

#include <string.h>

#include "output.h"
#include "report.h"

#define GITHUB_CAP 10           /* annotations shown per severity */

struct rl_report {
	rl_report_format fmt;
	unsigned flags;
	unsigned long written;              /* json: rejected records so far;
	                                       csv-rows: rows and headers */
	unsigned long shown[RL_SEV_ERROR + 1];  /* github, by severity */
	unsigned long hidden[RL_SEV_ERROR + 1];
	/* csv-rows */
	rl_buf hdr;                         /* the current input's header */
	char delim;
	int have_hdr;                       /* hdr holds a header */
	int hdr_out;                        /* hdr is the header written last */
	int strip;                          /* hdr ends in an Errors column */
	rl_buf cell;                        /* scratch: one Errors cell */
};

static const char *const format_names[] = {
	[RL_REPORT_TEXT] = "text",
	[RL_REPORT_JSON] = "json",
	[RL_REPORT_CSV] = "csv",
	[RL_REPORT_GITHUB] = "github",
	[RL_REPORT_CSV_ROWS] = "csv-rows"
};

int
rl_report_format_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strlen(format_names[i]) == len &&
		    memcmp(format_names[i], name, len) == 0)
			return (int)i;
	return -1;
}

rl_report *
rl_report_new(rl_report_format fmt, unsigned flags)
{
	rl_report *r;

	if ((unsigned)fmt > RL_REPORT_CSV_ROWS ||
	    (r = rl_malloc(sizeof(*r))) == NULL)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->fmt = fmt;
	r->flags = flags;
	return r;
}

void
rl_report_free(rl_report *r)
{
	if (r == NULL)
		return;
	rl_buf_free(&r->hdr);
	rl_buf_free(&r->cell);
	rl_free(r);
}

/* Restores the buffer to its length on entry and fails. */
static int
undo(rl_buf *b, size_t len)
{
	b->len = len;
	return -1;
}

/* Inserts s at offset at of b. */
static int
insert(rl_buf *b, size_t at, const char *s)
{
	size_t n = strlen(s);

	if (rl_buf_reserve(b, n) == -1)
		return -1;
	memmove(b->data + at + n, b->data + at, b->len - at);
	memcpy(b->data + at, s, n);
	b->len += n;
	return 0;
}

static size_t
digits(unsigned long v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* text ------------------------------------------------------------------ */

/* SGR colours of the severity word (GCC's choice of red for errors). */
static const char *const sev_color[RL_SEV_ERROR + 1] = {
	[RL_SEV_INFO] = "\033[36m",
	[RL_SEV_WARNING] = "\033[33m",
	[RL_SEV_ERROR] = "\033[31m"
};
#define SGR_RESET "\033[0m"

/*
 * rl_out_text one diagnostic at a time, then the severity word wrapped in
 * colour.  The word sits after "FILE:LINE: ID: "; its offset is computed
 * from those parts and checked, so that a change of the line format in
 * output.c costs the colour, never a wrong byte.
 */
static int
text_color(rl_buf *b, const rl_record *rec, const rl_result *res)
{
	rl_result one = *res;
	size_t i;

	one.n = 1;
	one.dropped = 0;
	for (i = 0; i < res->n; i++) {
		const rl_diag *d = &res->d[i];
		const char *sev = rl_severity_name(d->severity);
		const char *color = (unsigned)d->severity <= RL_SEV_ERROR ?
		    sev_color[d->severity] : NULL;
		size_t at = b->len, slen = strlen(sev), pos;

		one.d = &res->d[i];
		if (rl_out_text(b, rec, &one) == -1)
			return -1;
		pos = at + (rec->source ? rl_out_text_len(rec->source,
		    strlen(rec->source)) : 0) + 1 +
		    digits(d->line ? d->line : rec->line) + 2 +
		    (res->id ? rl_out_text_len(res->id->u.s.ptr,
		    res->id->u.s.len) : 1) + 2;
		if (color == NULL || pos + slen + 1 > b->len ||
		    memcmp(b->data + pos, sev, slen) != 0 ||
		    b->data[pos + slen] != ':')
			continue;
		if (insert(b, pos + slen, SGR_RESET) == -1 ||
		    insert(b, pos, color) == -1)
			return -1;
	}
	if (res->dropped > 0) {
		one.n = 0;
		one.dropped = res->dropped;
		return rl_out_text(b, rec, &one);
	}
	return 0;
}

/* csv ------------------------------------------------------------------- */

/*
 * The header row.  Names are for people reading a spreadsheet, in the
 * words of Partner Center's own CSV ("Referral ID"):
 *   Source       the input file name
 *   Line         line of the problem (of the record when not more precise)
 *   Record       1-based ordinal of the record in its file
 *   Referral ID  the referral's id; empty when unknown
 *   Op Index     0-based index of the patch operation; empty when none
 *   Path         JSON Pointer concerned; empty when none
 *   Code         the diagnostic code (reflint rules --list)
 *   Severity     error, warning or info
 *   Message      the explanation
 */
#define CSV_HEADER "Source,Line,Record,Referral ID,Op Index,Path,Code," \
	"Severity,Message\r\n"
#define CSV_BOM "\xEF\xBB\xBF"

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
csv_record(rl_buf *b, const rl_record *rec, const rl_result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++) {
		const rl_diag *d = &res->d[i];
		size_t plen;
		const char *ptr = rl_diag_pointer(d, &plen);

		if (csv_str(b, rec->source) == -1 ||
		    csv_num(b, d->line ? d->line : rec->line) == -1 ||
		    csv_num(b, rec->index) == -1 ||
		    (res->id != NULL ?
		    csv_cell(b, res->id->u.s.ptr, res->id->u.s.len, 0) :
		    csv_str(b, NULL)) == -1 ||
		    (d->op >= 0 ? csv_num(b, (unsigned long)d->op) :
		    csv_str(b, NULL)) == -1 ||
		    csv_cell(b, ptr, plen, 0) == -1 ||
		    csv_str(b, rl_code_name(d->code)) == -1 ||
		    csv_str(b, rl_severity_name(d->severity)) == -1 ||
		    csv_cell(b, rl_diag_message(d), strlen(rl_diag_message(d)), 1) == -1)
			return -1;
	}
	return 0;
}

/* github ---------------------------------------------------------------- */

/* Workflow-command levels by severity: reflint's info is GitHub's notice. */
static const char *const gh_level[RL_SEV_ERROR + 1] = {
	[RL_SEV_INFO] = "notice",
	[RL_SEV_WARNING] = "warning",
	[RL_SEV_ERROR] = "error"
};

/*
 * Escapes of GitHub's workflow commands (toolkit's escapeData and
 * escapeProperty): % CR LF always, : and , in property values too.
 */
static int
gh_escape(rl_buf *b, const char *s, size_t len, int prop)
{
	size_t i, from = 0;

	for (i = 0; i < len; i++) {
		const char *e;

		switch (s[i]) {
		case '%': e = "%25"; break;
		case '\r': e = "%0D"; break;
		case '\n': e = "%0A"; break;
		case ':': e = prop ? "%3A" : NULL; break;
		case ',': e = prop ? "%2C" : NULL; break;
		default: e = NULL; break;
		}
		if (e == NULL)
			continue;
		if (rl_buf_append(b, s + from, i - from) == -1 ||
		    rl_buf_puts(b, e) == -1)
			return -1;
		from = i + 1;
	}
	return rl_buf_append(b, s + from, len - from);
}

/*
 * ::LEVEL file=F,line=L::MESSAGE [CODE], the first GITHUB_CAP of each
 * severity; the rest, and the diagnostics a record dropped beyond
 * --max-errors-per-record, are counted for the closing lines.  Without a
 * file name (no source) the position is left out.
 */
static int
github_record(rl_report *r, rl_buf *b, const rl_record *rec,
    const rl_result *res)
{
	unsigned long kept[RL_SEV_ERROR + 1] = { 0 };
	const size_t found[RL_SEV_ERROR + 1] = {
		0, res->infos, res->warnings, res->errors
	};
	size_t i;
	int s;

	for (i = 0; i < res->n; i++) {
		const rl_diag *d = &res->d[i];
		const char *code = rl_code_name(d->code);

		s = (int)d->severity;
		if (s < RL_SEV_INFO || s > RL_SEV_ERROR)
			continue;
		kept[s]++;
		if (r->shown[s] >= GITHUB_CAP) {
			r->hidden[s]++;
			continue;
		}
		r->shown[s]++;
		if (rl_buf_puts(b, "::") == -1 || rl_buf_puts(b, gh_level[s]) == -1)
			return -1;
		if (rec->source != NULL && rec->source[0] != '\0' &&
		    (rl_buf_puts(b, " file=") == -1 ||
		    gh_escape(b, rec->source, strlen(rec->source), 1) == -1 ||
		    rl_buf_puts(b, ",line=") == -1 ||
		    rl_buf_putu(b, d->line ? d->line : rec->line) == -1))
			return -1;
		if (rl_buf_puts(b, "::") == -1 ||
		    gh_escape(b, rl_diag_message(d), strlen(rl_diag_message(d)), 0) == -1 ||
		    rl_buf_puts(b, " [") == -1 ||
		    gh_escape(b, code, strlen(code), 0) == -1 ||
		    rl_buf_puts(b, "]\n") == -1)
			return -1;
	}
	for (s = RL_SEV_INFO; s <= RL_SEV_ERROR; s++)
		if (found[s] > kept[s])
			r->hidden[s] += found[s] - kept[s];
	return 0;
}

/*
 * The closing lines, most severe first, only for severities with hidden
 * annotations:
 *   ::error::12 more errors not shown
 *   ::warning::1 more warning not shown
 *   ::notice::3 more notices not shown
 */
static int
github_end(rl_report *r, rl_buf *b)
{
	static const char *const noun[RL_SEV_ERROR + 1] = {
		[RL_SEV_INFO] = "notice",
		[RL_SEV_WARNING] = "warning",
		[RL_SEV_ERROR] = "error"
	};
	int s;

	for (s = RL_SEV_ERROR; s >= RL_SEV_INFO; s--) {
		if (r->hidden[s] == 0)
			continue;
		if (rl_buf_printf(b, "::%s::%lu more %s%s not shown\n",
		    gh_level[s], r->hidden[s], noun[s],
		    r->hidden[s] == 1 ? "" : "s") == -1)
			return -1;
	}
	return 0;
}

/* csv-rows -------------------------------------------------------------- */

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

int
rl_report_csv_header(rl_report *r, const char *raw, size_t len, char delim)
{
	if (r->fmt != RL_REPORT_CSV_ROWS)
		return 0;
	if (r->have_hdr && r->delim == delim && r->hdr.len == len &&
	    (len == 0 || memcmp(r->hdr.data, raw, len) == 0))
		return 0;               /* the same header: hdr_out stays */
	r->have_hdr = r->hdr_out = 0;
	rl_buf_clear(&r->hdr);
	if (rl_buf_append(&r->hdr, raw, len) == -1)
		return -1;
	r->delim = delim;
	r->strip = ends_in_errors(raw, len, delim);
	r->have_hdr = 1;
	return 0;
}

/* The BOM before anything else, then the header with its Errors column. */
static int
rows_header(rl_report *r, rl_buf *b)
{
	size_t len = r->hdr.len;

	if (r->written == 0 && !(r->flags & RL_REPORT_NO_BOM) &&
	    rl_buf_puts(b, CSV_BOM) == -1)
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

int
rl_report_csv_row(rl_report *r, rl_buf *b, const char *raw, size_t len,
    const rl_result *res)
{
	size_t at = b->len;
	char delim = r->have_hdr ? r->delim : ',';

	if (r->fmt != RL_REPORT_CSV_ROWS || rl_result_accepted(res))
		return 0;
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

/* the report ------------------------------------------------------------ */

int
rl_report_begin(rl_report *r, rl_buf *b)
{
	size_t len = b->len;

	switch (r->fmt) {
	case RL_REPORT_CSV:
		if ((!(r->flags & RL_REPORT_NO_BOM) &&
		    rl_buf_puts(b, CSV_BOM) == -1) ||
		    rl_buf_puts(b, CSV_HEADER) == -1)
			return undo(b, len);
		return 0;
	case RL_REPORT_JSON:
		return rl_buf_puts(b, "{\"records\":[");
	default:
		return 0;
	}
}

int
rl_report_record(rl_report *r, rl_buf *b, const rl_record *rec,
    const rl_result *res)
{
	size_t len = b->len;
	int rc = 0;

	switch (r->fmt) {
	case RL_REPORT_TEXT:
		rc = r->flags & RL_REPORT_COLOR ? text_color(b, rec, res) :
		    rl_out_text(b, rec, res);
		break;
	case RL_REPORT_JSON:
		/* every record with a problem of any severity, with its verdict */
		if (res->errors + res->warnings + res->infos == 0)
			return 0;
		rc = (r->written > 0 && rl_buf_putc(b, ',') == -1) ||
		    rl_out_verdict(b, rec, res) == -1 ? -1 : 0;
		if (rc == 0)
			r->written++;
		break;
	case RL_REPORT_CSV:
		rc = csv_record(b, rec, res);
		break;
	case RL_REPORT_GITHUB: {
		/* the counts too must be as they were when memory runs out */
		rl_report saved = *r;

		if ((rc = github_record(r, b, rec, res)) == -1)
			*r = saved;
		break;
	}
	case RL_REPORT_CSV_ROWS:
		break;          /* rl_report_csv_row: it needs the row's bytes */
	}
	return rc == -1 ? undo(b, len) : 0;
}

int
rl_report_end(rl_report *r, rl_buf *b, const rl_summary *sum)
{
	static const rl_summary none;
	size_t len = b->len;
	int rc = 0;

	if (sum == NULL)
		sum = &none;
	if (r->fmt == RL_REPORT_JSON)
		rc = rl_buf_puts(b, "],\"summary\":") == -1 ||
		    rl_summary_json(b, sum) == -1 ||
		    rl_buf_puts(b, "}\n") == -1 ? -1 : 0;
	else if (r->fmt == RL_REPORT_GITHUB)
		rc = github_end(r, b);
	else if (r->fmt == RL_REPORT_CSV_ROWS && r->written == 0 && r->have_hdr) {
		/* No row rejected: the header alone, an empty sheet to fill. */
		if ((rc = rows_header(r, b)) == 0) {
			r->hdr_out = 1;
			r->written++;
		}
	}
	return rc == -1 ? undo(b, len) : 0;
}

/* the summary ----------------------------------------------------------- */

static int
put_count(rl_buf *b, const char *key, unsigned long long n)
{
	return rl_buf_puts(b, key) == -1 || rl_buf_putu(b, n) == -1 ? -1 : 0;
}

/* S.mmm from milliseconds, by hand: no locale can change the point. */
static int
put_seconds(rl_buf *b, uint64_t ms)
{
	char frac[4];

	frac[0] = (char)('0' + ms / 100 % 10);
	frac[1] = (char)('0' + ms / 10 % 10);
	frac[2] = (char)('0' + ms % 10);
	frac[3] = '\0';
	return rl_buf_putu(b, ms / 1000) == -1 || rl_buf_putc(b, '.') == -1 ||
	    rl_buf_puts(b, frac) == -1 ? -1 : 0;
}

/* The JSON names of the reasons to stop, and their sentences in text. */
static const struct {
	const char *name, *text;
} stops[] = {
	[RL_STOP_MAX_ERRORS] = { "max-errors", NULL },
	[RL_STOP_OUTPUT_CLOSED] = { "output-closed",
	    "; reading stopped: an output pipe was closed" },
};

/* ,"stopped":"…","unreadBytes":N|null, or nothing when not stopped */
static int
put_stopped_json(rl_buf *b, const rl_summary *s)
{
	if (s->stopped == RL_STOP_NONE)
		return 0;
	if (rl_buf_puts(b, ",\"stopped\":\"") == -1 ||
	    rl_buf_puts(b, stops[s->stopped].name) == -1 ||
	    rl_buf_puts(b, "\",\"unreadBytes\":") == -1)
		return -1;
	return (s->unread_unknown ? rl_buf_puts(b, "null") :
	    rl_buf_putu(b, s->unread)) == -1 ? -1 : 0;
}

int
rl_summary_json(rl_buf *b, const rl_summary *s)
{
	size_t len = b->len;
	int first = 1, c;

	if (put_count(b, "{\"read\":", s->read) == -1 ||
	    put_count(b, ",\"accepted\":", s->accepted) == -1 ||
	    put_count(b, ",\"rejected\":", s->rejected) == -1 ||
	    put_count(b, ",\"errors\":", s->errors) == -1 ||
	    put_count(b, ",\"warnings\":", s->warnings) == -1 ||
	    put_count(b, ",\"infos\":", s->infos) == -1 ||
	    rl_buf_puts(b, ",\"byCode\":{") == -1)
		return undo(b, len);
	for (c = RL_OK + 1; c < RL_CODE_COUNT; c++) {
		const char *name = rl_code_name((rl_code)c);

		if (s->by_code[c] == 0)
			continue;
		if ((!first && rl_buf_putc(b, ',') == -1) ||
		    rl_json_quote(b, name, strlen(name)) == -1 ||
		    put_count(b, ":", s->by_code[c]) == -1)
			return undo(b, len);
		first = 0;
	}
	if (put_count(b, "},\"bytes\":", s->bytes) == -1 ||
	    put_stopped_json(b, s) == -1 ||
	    rl_buf_puts(b, ",\"seconds\":\"") == -1 ||
	    put_seconds(b, s->elapsed_ms) == -1 ||
	    rl_buf_puts(b, "\"}") == -1)
		return undo(b, len);
	return 0;
}

/* "N word" or "1 word" without the plural s. */
static int
put_counted(rl_buf *b, unsigned long long n, const char *word)
{
	return rl_buf_putu(b, n) == -1 || rl_buf_putc(b, ' ') == -1 ||
	    rl_buf_puts(b, word) == -1 || (n != 1 && rl_buf_putc(b, 's') == -1) ?
	    -1 : 0;
}

/*
 * Input size for people: "N bytes" below 1000, else one decimal in SI
 * units (1 kB = 1000 bytes), rounded half up: 1234567 bytes is "1.2 MB".
 */
static int
put_size(rl_buf *b, uint64_t n)
{
	static const char *const unit[] = { "kB", "MB", "GB", "TB", "PB", "EB" };
	uint64_t u = 1000, tenths;
	size_t k = 0;

	if (n < 1000)
		return put_counted(b, n, "byte");
	for (;;) {
		tenths = n / u * 10 + (n % u * 10 + u / 2) / u;
		if (tenths < 10000 || k + 1 == sizeof(unit) / sizeof(unit[0]))
			break;
		u *= 1000;
		k++;
	}
	return rl_buf_putu(b, tenths / 10) == -1 || rl_buf_putc(b, '.') == -1 ||
	    rl_buf_putc(b, (char)('0' + tenths % 10)) == -1 ||
	    rl_buf_putc(b, ' ') == -1 || rl_buf_puts(b, unit[k]) == -1 ? -1 : 0;
}

/*
 * "; reading stopped after 5 rejected records (--max-errors); 12.3 kB not
 * read", or "...; the size of what was not read is unknown"; nothing when
 * the run read everything.
 */
static int
put_stopped_text(rl_buf *b, const rl_summary *s)
{
	if (s->stopped == RL_STOP_NONE)
		return 0;
	if (stops[s->stopped].text != NULL) {
		if (rl_buf_puts(b, stops[s->stopped].text) == -1)
			return -1;
	} else if (rl_buf_puts(b, "; reading stopped after ") == -1 ||
	    put_counted(b, s->rejected, "rejected record") == -1 ||
	    rl_buf_puts(b, " (--max-errors)") == -1)
		return -1;
	if (s->unread_unknown)
		return rl_buf_puts(b, "; the size of what was not read is unknown");
	return rl_buf_puts(b, "; ") == -1 || put_size(b, s->unread) == -1 ||
	    rl_buf_puts(b, " not read") == -1 ? -1 : 0;
}

/*
 * reflint: 1200 records: 1150 accepted, 50 rejected (73 errors,
 * 12 warnings) in 0.84 s, 1.2 MB\n -- infos are named only when there are
 * some; seconds to the hundredth, rounded half up; then why reading
 * stopped, when it did.
 */
int
rl_summary_text(rl_buf *b, const rl_summary *s)
{
	size_t len = b->len;
	uint64_t cs = s->elapsed_ms / 10 + (s->elapsed_ms % 10 >= 5);
	char frac[3];

	frac[0] = (char)('0' + cs / 10 % 10);
	frac[1] = (char)('0' + cs % 10);
	frac[2] = '\0';
	if (rl_buf_puts(b, "reflint: ") == -1 ||
	    put_counted(b, s->read, "record") == -1 ||
	    put_count(b, ": ", s->accepted) == -1 ||
	    put_count(b, " accepted, ", s->rejected) == -1 ||
	    rl_buf_puts(b, " rejected (") == -1 ||
	    put_counted(b, s->errors, "error") == -1 ||
	    rl_buf_puts(b, ", ") == -1 ||
	    put_counted(b, s->warnings, "warning") == -1 ||
	    (s->infos > 0 && (rl_buf_puts(b, ", ") == -1 ||
	    put_counted(b, s->infos, "info") == -1)) ||
	    put_count(b, ") in ", cs / 100) == -1 ||
	    rl_buf_putc(b, '.') == -1 || rl_buf_puts(b, frac) == -1 ||
	    rl_buf_puts(b, " s, ") == -1 || put_size(b, s->bytes) == -1 ||
	    put_stopped_text(b, s) == -1 || rl_buf_putc(b, '\n') == -1)
		return undo(b, len);
	return 0;
}

/* mapper mode ----------------------------------------------------------- */

/*
 * Accepted: {"verdict":"accepted","source":{…}, then the accepted line's
 * members.  Rejected: {"verdict":"rejected", then the rejected line's
 * members (its own "source" among them).  The line's opening brace is
 * dropped in place, so nothing is copied twice.
 */
int
rl_out_tagged(rl_buf *b, const rl_record *rec, const rl_result *res,
    const char *line, size_t len)
{
	size_t start = b->len, at;

	if (!rl_result_accepted(res))
		return rl_out_verdict(b, rec, res) == -1 ||
		    rl_buf_putc(b, '\n') == -1 ? undo(b, start) : 0;
	if (rl_buf_puts(b, "{\"verdict\":\"accepted\",\"source\":") == -1 ||
	    rl_out_source(b, rec) == -1)
		return undo(b, start);
	if (line == NULL) {
		at = b->len;
		if (rl_out_accepted(b, res) == -1)
			return undo(b, start);
		b->data[at] = ',';
		/* ...}\n: the warnings go before the last brace */
		b->len -= 2;
		return rl_out_warnings(b, res) == -1 ||
		    rl_buf_puts(b, "}\n") == -1 ? undo(b, start) : 0;
	}
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len > 0 && line[0] == '{') {
		line++;
		len--;
	}
	if (len > 0 && line[0] != '}' && rl_buf_putc(b, ',') == -1)
		return undo(b, start);
	/* the line without its last brace, then the warnings */
	if (len > 0 && line[len - 1] == '}')
		len--;
	if (rl_buf_append(b, line, len) == -1 || rl_out_warnings(b, res) == -1 ||
	    rl_buf_puts(b, "}\n") == -1)
		return undo(b, start);
	return 0;
}
