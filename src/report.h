/*
 * report.h: what the report formats share (reflint(1), Output): the counts
 * of a run and its summary, the flags of a report, the one writer of a
 * CSV cell and the text report's line.  The formats themselves are sinks
 * (sink.h), one file each (report_*.c), named in sink.c's table.
 * Included by the batch processor, the sinks, the command and the tests;
 * not installed.
 *
 * Every writer appends to a caller's rl_buf, returns -1 only when memory
 * runs out and then leaves the buffer as it found it; nothing here touches
 * a file.  Output never depends on the locale: numbers are formatted by
 * hand, never with %f or %g.
 */
#ifndef RL_REPORT_H
#define RL_REPORT_H

#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "reader.h"
#include "validate.h"

/* Flags of a report sink (rl_sink.flags). */
#define RL_REPORT_NO_BOM 0x1    /* csv, csv-rows: no UTF-8 byte-order mark */
#define RL_REPORT_COLOR  0x2    /* text: ANSI colours for severities */

/* The UTF-8 byte-order mark that opens a CSV report. */
#define RL_CSV_BOM "\xEF\xBB\xBF"

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

/*
 * One CSV cell and what follows it (the delimiter, or CRLF when last):
 * a cell that starts with = + - @ TAB or CR gets a leading single quote
 * (OWASP "CSV Injection"), and a cell holding the delimiter, a quote, CR
 * or LF is quoted with its quotes doubled (RFC 4180).  In report_csv.c.
 */
int rl_csv_cell(rl_buf *, const char *s, size_t len, char delimiter,
		int last);

/*
 * The text report's lines for one record (report_text.c), without
 * colour: FILE:LINE: ID: SEVERITY: MESSAGE [CODE]\n, one line per
 * diagnostic, control characters of FILE, ID and MESSAGE escaped, and
 * "FILE:LINE: ID: note: N more problems not shown" for the dropped ones.
 */
int rl_out_text(rl_buf *, const rl_record *, const rl_result *);

/*
 * The summary as one JSON object, without newline: {"read":…,"accepted":…,
 * "rejected":…,"errors":…,"warnings":…,"infos":…,"byCode":{…},"bytes":…,
 * "seconds":"1.234"} (codes that occurred, in catalogue order).  A stopped
 * run adds, after "bytes", "stopped":"max-errors" (or "output-closed") and
 * "unreadBytes":N, null when the size of what was not read is unknown.
 * In sink_summary.c.
 */
int rl_summary_json(rl_buf *, const rl_summary *);
/*
 * The human summary line for stderr, with its newline: "reflint:
 * 1200 records: 1150 accepted, 50 rejected (73 errors, 12 warnings) in
 * 0.84 s, 1.2 MB", and for a stopped run "; reading stopped after 50
 * rejected records (--max-errors); 12.3 kB not read".
 */
int rl_summary_text(rl_buf *, const rl_summary *);

#endif /* RL_REPORT_H */
