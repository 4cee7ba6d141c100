/*
 * sink.h: the one interface every writer of a run implements (reflint(1),
 * Output): accepted lines, rejected lines, tagged lines, eligibility
 * responses, each report format and the --summary file.
 * Included by the batch processor, the command, the sink modules
 * (sink_*.c, report_*.c) and the tests; not installed.
 *
 * A record flows source -> context -> judge -> sinks.  The batch processor
 * hands every sink the same calls, in input order, on one thread:
 *
 *   begin once, then per input: record for each record read (judged or
 *   not) and for each note of the input (a diagnostic of no record),
 *   input_end when the input is read; end once.
 *
 * A sink never judges and never changes a result: what it writes is
 * decided by the rl_sink_record it is given.  It appends to the rl_buf of
 * its output (rl_sink_buf), which the batch processor flushes; a sink that
 * writes a file of its own (the xlsx workbook) does so at end.  Every
 * function returns 0, or -1 when memory runs out or its own file cannot be
 * written (with the diagnostic in *err when err is not NULL).  A call that
 * fails leaves the buffer as it found it.  Any of the five functions may
 * be NULL: nothing to do then.
 *
 * Adding a report format (--report NAME[:FILE]) is one new file,
 * report_NAME.c, defining `const rl_sink_class rl_report_NAME`, plus one
 * row in the table of sink.c (and the file in Makefile.am).
 *
 * Ownership: rl_sink_new() borrows the output file (the caller opens,
 * commits and closes it) and owns the sink's own state; with no output
 * file the sink appends to a buffer of its own (for the tests, and for a
 * sink that writes its own file).  rl_sink_free() releases it and accepts
 * NULL.
 */
#ifndef RL_SINK_H
#define RL_SINK_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "outfile.h"
#include "reader.h"
#include "report.h"
#include "validate.h"

struct rl_policy_result;

/* The input a record comes from: one per file read. */
typedef struct rl_sink_input {
	const char *name;           /* as in the records' source */
	unsigned long ordinal;      /* 1 for the first input of the run */
	/* CSV inputs only (csv = 0 for JSON): the header as read */
	int csv;
	const char *header;         /* the header row's bytes, no line end;
	                               NULL until the header is read */
	size_t header_len;
	char delimiter;
	const char *encoding;       /* as iconv names it (rl_csv_header's);
	                               NULL or "utf-8": UTF-8 */
	int bom;                    /* began with a byte-order mark; the CSV
	                               reader does not tell yet: 0 */
} rl_sink_input;

/* One record, as judged, for every sink. */
typedef struct rl_sink_record {
	const rl_sink_input *input;
	const rl_record *rec;       /* position, value (may be NULL) */
	const rl_result *res;       /* diagnostics after --disable/--severity */
	int accepted;               /* the verdict */
	/*
	 * A note of the input, not a record (csv-column-ignored of a CSV
	 * header): only the reports write it; it is neither accepted nor
	 * rejected.
	 */
	int note;
	/*
	 * The accepted line as --accepted has it (with its newline), for
	 * check and apply, or NULL when not accepted; eligibility: NULL.
	 */
	const char *line;
	size_t line_len;
	/* eligibility: RL_POLICY_COUNT results of a judged record, or NULL */
	const struct rl_policy_result *policies;
	/* CSV rows: the row as read (no line end) and its spreadsheet row */
	const char *row;
	size_t row_len;
	unsigned long row_number;
	/*
	 * CSV rows: the 0-based field of the row that made each op of the
	 * patch (rl_csv_record's op_column after rl_csv_unchanged), nops of
	 * them, so that a diagnostic's op index names a cell; NULL, 0 for
	 * JSON records and malformed rows.
	 */
	const unsigned *op_column;
	size_t nops;
	/*
	 * CSV rows: the result before "row N: " was put in front of its
	 * messages (for the row's own Errors cell, which sits in the row);
	 * res otherwise.
	 */
	const rl_result *row_res;
} rl_sink_record;

typedef struct rl_sink rl_sink;

typedef struct rl_sink_class {
	const char *name;           /* --report FORMAT, or the role's name */
	size_t size;                /* bytes of the sink's state */
	unsigned traits;            /* RL_SINK_REPORT, RL_SINK_OWN_FILE */
	int  (*begin)(rl_sink *, rl_diag *err);
	int  (*record)(rl_sink *, const rl_sink_record *, rl_diag *err);
	int  (*input_end)(rl_sink *, const rl_sink_input *, rl_diag *err);
	int  (*end)(rl_sink *, const rl_summary *, rl_diag *err);
	void (*fini)(rl_sink *);    /* releases what the state holds */
} rl_sink_class;

/*
 * A report: written out before a message of the run, so that report lines
 * and messages on stderr stay in order.
 */
#define RL_SINK_REPORT   0x1
/* Writes the file it is given by name itself (rl_sink.out is NULL). */
#define RL_SINK_OWN_FILE 0x2
/*
 * Given a directory (rl_sink_path_is_dir), writes a file of its own there
 * for each input, itself (rl_sink.out is NULL); a plain file otherwise.
 */
#define RL_SINK_DIR      0x4

/*
 * The state every sink starts with; a sink's own state struct begins with
 * it (struct my_sink { rl_sink base; ... }), and rl_sink_new() zeroes the
 * rest.
 */
struct rl_sink {
	const rl_sink_class *cls;
	rl_outfile *out;            /* NULL: the sink's own buffer below */
	const char *path;           /* the file name given (--report FORMAT:FILE) */
	unsigned flags;             /* RL_REPORT_NO_BOM, RL_REPORT_COLOR, ... */
	rl_buf own;
};

rl_sink *rl_sink_new(const rl_sink_class *, rl_outfile *, const char *path,
		unsigned flags) RL_WARN_UNUSED;
void     rl_sink_free(rl_sink *);
/* The buffer the sink appends to (its outfile's, or its own). */
rl_buf  *rl_sink_buf(rl_sink *);

/*
 * Does a report's path name a directory: one that ends in "/", or names
 * one that exists?
 */
int rl_sink_path_is_dir(const char *path);

/* The report format of --report NAME (len bytes of name), or NULL. */
const rl_sink_class *rl_sink_report(const char *name, size_t len);
/* The i-th report format of the table, or NULL past the last. */
const rl_sink_class *rl_sink_report_at(size_t i);

/* The writers that are not report formats (sink_*.c). */
extern const rl_sink_class rl_sink_accepted;    /* check, apply */
extern const rl_sink_class rl_sink_rejected;
extern const rl_sink_class rl_sink_tagged;      /* check, apply --emit tagged */
extern const rl_sink_class rl_sink_tagged_eligibility;
extern const rl_sink_class rl_sink_eligibility; /* the API's responses */
extern const rl_sink_class rl_sink_summary;     /* --summary FILE */

#endif /* RL_SINK_H */
