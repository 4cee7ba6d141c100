/*
 * report.h: the report formats of `reflint check` and `apply` (reflint(1)
 * "Output"): text, json, csv and github reports, the summary, and the
 * tagged lines of mapper mode.
 * Included by the batch processor and the tests; not installed.
 *
 * Every writer appends to a caller's rl_buf and returns -1 only when memory
 * runs out; nothing here touches a file.  Output never depends on the
 * locale: numbers are formatted by hand, never with %f or %g.
 */
#ifndef RL_REPORT_H
#define RL_REPORT_H

#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "reader.h"
#include "validate.h"

typedef enum rl_report_format {
	RL_REPORT_TEXT,     /* FILE:LINE: ID: SEVERITY: MESSAGE [CODE] */
	RL_REPORT_JSON,     /* one document: rejected records, then the summary */
	RL_REPORT_CSV,      /* one row per problem, RFC 4180, CRLF, BOM */
	RL_REPORT_GITHUB,   /* ::error file=…,line=…::… capped per severity */
	RL_REPORT_CSV_ROWS  /* rejected rows of a CSV input, with an Errors cell */
} rl_report_format;

/* Flags for rl_report_new. */
#define RL_REPORT_NO_BOM 0x1    /* csv: no UTF-8 byte-order mark */
#define RL_REPORT_COLOR  0x2    /* text: ANSI colours for severities */

/* Why reading ended before the end of the inputs. */
typedef enum rl_stop {
	RL_STOP_NONE = 0,           /* read to the end (or failed: reported) */
	RL_STOP_MAX_ERRORS,         /* --max-errors rejected records */
	RL_STOP_OUTPUT_CLOSED       /* the reader of an output pipe went away */
} rl_stop;

/* Counts of a whole run (reflint(1), Summary). */
typedef struct rl_summary {
	unsigned long read, accepted, rejected;
	unsigned long errors, warnings, infos;     /* diagnostics reported */
	unsigned long by_code[RL_CODE_COUNT];
	uint64_t bytes;                            /* input bytes read */
	uint64_t elapsed_ms;                       /* wall time */
	/*
	 * When stopped: the bytes of the inputs that were not read (the
	 * rest of the one being read and every input not opened), or
	 * unread_unknown when one of them has no size to tell (a pipe).
	 */
	rl_stop stopped;
	int unread_unknown;
	uint64_t unread;
} rl_summary;

typedef struct rl_report rl_report;

/*
 * Which format a name means ("text", "json", "csv", "github", "csv-rows");
 * -1 = none.
 */
int        rl_report_format_lookup(const char *name, size_t len);
rl_report *rl_report_new(rl_report_format, unsigned flags) RL_WARN_UNUSED;
void       rl_report_free(rl_report *);
/* Header: the csv BOM and header row, the json document's opening. */
int        rl_report_begin(rl_report *, rl_buf *);
/*
 * What one judged record contributes: its diagnostics after --disable and
 * --severity (text, csv, github: every diagnostic of any severity; json:
 * rejected records only).  rec->source, rec->line and rec->index give the
 * position; res the diagnostics.
 */
int        rl_report_record(rl_report *, rl_buf *, const rl_record *,
		const rl_result *);
/*
 * Trailer: github's "N more" lines, the json document's summary and end
 * (the summary may be NULL for the other formats), csv-rows' header when no
 * row was rejected.
 */
int        rl_report_end(rl_report *, rl_buf *, const rl_summary *);

/*
 * csv-rows (reflint(1), Spreadsheets): the rejected rows of CSV inputs, so
 * that the user fixes them in the spreadsheet and runs again.  The output
 * is the input's header row with an "Errors" column added, then each
 * rejected row byte for byte as read (quoted line ends inside cells
 * included) with its Errors cell: "code: message; code (warning):
 * message", infos left out.  Rows end with CRLF; a UTF-8 BOM comes first
 * unless RL_REPORT_NO_BOM.  Only the Errors cell is written by reflint,
 * so only it is guarded against formulas (rl_csv_cell): guarding the
 * echoed cells would change what the next run uploads.  A header whose
 * last column is already "Errors" (a csv-rows file run again) has that
 * column replaced, not repeated.  rl_report_record writes nothing for this
 * format; every other format ignores the two calls below.
 */
/*
 * The header row of the CSV input whose rows follow, as read (no BOM, no
 * line end) and its delimiter.  It is written before that input's first
 * rejected row, unless it is the header written last.  -1 when memory
 * runs out.
 */
int rl_report_csv_header(rl_report *, const char *raw, size_t len,
		char delimiter);
/* One judged row, as read (no line end): written when it is rejected. */
int rl_report_csv_row(rl_report *, rl_buf *, const char *raw, size_t len,
		const rl_result *);

/*
 * One CSV cell and what follows it (the delimiter, or CRLF when last):
 * a cell that starts with = + - @ TAB or CR gets a leading single quote
 * (OWASP "CSV Injection"), and a cell holding the delimiter, a quote, CR
 * or LF is quoted with its quotes doubled (RFC 4180).
 */
int rl_csv_cell(rl_buf *, const char *s, size_t len, char delimiter,
		int last);

/*
 * The summary as one JSON object, without newline: {"read":…,"accepted":…,
 * "rejected":…,"errors":…,"warnings":…,"infos":…,"byCode":{…},"bytes":…,
 * "seconds":"1.234"} (codes that occurred, in catalogue order).  A stopped
 * run adds, after "bytes", "stopped":"max-errors" (or "output-closed") and
 * "unreadBytes":N, null when the size of what was not read is unknown.
 */
int rl_summary_json(rl_buf *, const rl_summary *);
/*
 * The human summary line for stderr, with its newline: "reflint:
 * 1200 records: 1150 accepted, 50 rejected (73 errors, 12 warnings) in
 * 0.84 s, 1.2 MB", and for a stopped run "; reading stopped after 50
 * rejected records (--max-errors); 12.3 kB not read".
 */
int rl_summary_text(rl_buf *, const rl_summary *);

/*
 * Mapper mode (--emit tagged): one line per record, with its newline, in
 * input order.  The verdict is rl_result_accepted(res).
 *   accepted: {"verdict":"accepted","source":{"file":…,"line":…,
 *             "record":…}, then the accepted line's members}
 *   rejected: {"verdict":"rejected", then the rejected line's members,
 *             which hold the same "source" object}
 * source is rec->source ("" when NULL), rec->line and rec->index: the
 * caller applies --source-name, --line-offset and --record-offset to the
 * record it passes.  accepted_line is the compact object `check` or `apply`
 * would write to --accepted (a trailing newline is ignored), or NULL for
 * rl_out_accepted's line; it is not used for a rejected record.
 */
int rl_out_tagged(rl_buf *, const rl_record *, const rl_result *,
		const char *accepted_line, size_t len);

#endif /* RL_REPORT_H */
