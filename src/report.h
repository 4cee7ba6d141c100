/*
 * report.h: the report formats of `reflint check` and `apply` (cli.md
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
	RL_REPORT_GITHUB    /* ::error file=…,line=…::… capped per severity */
} rl_report_format;

/* Flags for rl_report_new. */
#define RL_REPORT_NO_BOM 0x1    /* csv: no UTF-8 byte-order mark */
#define RL_REPORT_COLOR  0x2    /* text: ANSI colours for severities */

/* Counts of a whole run (cli.md "Summary"). */
typedef struct rl_summary {
	unsigned long read, accepted, rejected;
	unsigned long errors, warnings, infos;     /* diagnostics reported */
	unsigned long by_code[RL_CODE_COUNT];
	uint64_t bytes;                            /* input bytes read */
	uint64_t elapsed_ms;                       /* wall time */
} rl_summary;

typedef struct rl_report rl_report;

/* Which format a name means ("text", "json", "csv", "github"); -1 = none. */
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
/* Trailer: github's "N more" lines, the json document's summary and end. */
int        rl_report_end(rl_report *, rl_buf *, const rl_summary *);

/*
 * The summary as one JSON object: {"read":…,"accepted":…,"rejected":…,
 * "warnings":…,"byCode":{…},"bytes":…,"seconds":"1.234"} (codes that
 * occurred, in catalogue order).
 */
int rl_summary_json(rl_buf *, const rl_summary *);
/* The human summary line for stderr. */
int rl_summary_text(rl_buf *, const rl_summary *);

/*
 * Mapper mode (--emit tagged): one line per record, in input order:
 * {"verdict":"accepted"|"rejected","source":{"file":…,"line":…,"record":…},
 *  then the accepted line's or the rejected line's members}.
 * accepted_line is the line `check` or `apply` would write to --accepted
 * (without its newline), or NULL for a rejected record.
 */
int rl_out_tagged(rl_buf *, const rl_record *, const rl_result *,
		const char *accepted_line, size_t len);

#endif /* RL_REPORT_H */
