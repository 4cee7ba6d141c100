/*
 * csvmap.h: spreadsheet rows as patch-only records (reflint(1), Spreadsheets,
 * columns.json in reflint-rules(5)).
 * Included by the batch processor and the tests; not installed.
 *
 * The reader pushes one record per data row to a callback, as the CSV
 * layer (csv.h) completes the row.  Each record's values live in the
 * caller's arena, which the reader resets after the callback returns: a
 * callback must copy what it wants to keep.  The header, the raw bytes and
 * the diagnostics handed to a callback are valid during the call only.
 *
 * A row becomes
 *   {"id": CELL, "patch": [{"op":"replace","path":P,"value":V}, ...],
 *    "microsoftReferral": {"status": S, "substatus": SUB},
 *    "matchedAccountType": T}
 * with one op per non-empty mapped cell, in the order of columns.json,
 * microsoftReferral only when that column is filled, and matchedAccountType
 * (policy 5) only when the matched account's cell names accounts of the
 * account columns, all of one type.
 */
#ifndef RL_CSVMAP_H
#define RL_CSVMAP_H

#include <stddef.h>

#include "arena.h"
#include "csv.h"
#include "diag.h"
#include "json.h"
#include "pointer.h"
#include "reader.h"
#include "rules.h"
#include "validate.h"

typedef struct rl_csv_header {
	const char *source;
	unsigned long line;        /* physical line of the header row */
	unsigned long row;         /* its spreadsheet row number (1 unless
	                              blank rows precede it) */
	char delimiter;            /* detected or forced */
	const char *encoding;  /* the input's encoding as iconv names it; NULL = UTF-8 */
	const char *raw;           /* the header row as read, no line end */
	size_t rawlen;
	size_t ncolumns;
	/*
	 * csv-column-ignored naming every read-only and unknown column, with
	 * the severity of the rules; NULL when there is none or the code is
	 * disabled.
	 */
	const rl_diag *note;
} rl_csv_header;

/*
 * A member of the op's value of a profile with "add" (one op per row, its
 * value built from many cells), with the column that gives it: pointer
 * inside the value and header borrowed from the rules; field is the
 * row's 0-based field, or -1 when the sheet has no such column.
 */
typedef struct rl_csv_member {
	const char *pointer;
	size_t plen;
	const char *header;
	long field;
} rl_csv_member;

typedef struct rl_csv_record {
	/*
	 * value: the record, or NULL for a malformed row (diag is csv-syntax).
	 * diag: csv-syntax, or record-shape for an empty id cell (the value is
	 * built all the same), or NULL.  index: 1-based ordinal of the data
	 * row; line: physical line of its first byte; column: 1; offset and
	 * length: its bytes in the file.
	 */
	rl_record rec;
	unsigned long row;         /* spreadsheet row number (header = 1) */
	const char *raw;           /* the row as read, without its line end
	                              (a malformed row: its first line) */
	size_t rawlen;
	/*
	 * Cells that did not convert (value-format: number, date; value-enum:
	 * reason code, Microsoft status), each naming its column, with the
	 * cell's line and column and the target pointer; no op was made for
	 * them.  Severity as the rules say; merge with rl_csv_add_diags().
	 */
	const rl_diag *conv;
	size_t nconv;
	/*
	 * The column of each op of the record's patch: op_column[k] is the
	 * 0-based field of the row (the spreadsheet's column, rl_csv_column_name)
	 * whose cell made op k, so that a diagnostic naming an op index names
	 * a cell.  nops is the patch's length as made.  The array lives in
	 * the record's arena, like the value, and rl_csv_unchanged keeps it
	 * in step with the patch (whose length then counts); NULL for a
	 * malformed row.
	 */
	unsigned *op_column;
	size_t nops;
	/*
	 * The profile of columns.json that made the row (the rules'; the
	 * default one, or one of "profiles"), and, for a profile with "add",
	 * its member columns (in the record's arena, like op_column; NULL
	 * otherwise): a diagnostic whose member (rl_diag) is one of them
	 * names that column rather than the op (rl_csv_diag_column).
	 */
	const struct rl_columns *profile;
	const rl_csv_member *members;
	size_t nmembers;
} rl_csv_record;

/* Nonzero from a callback stops reading (RL_READ_STOPPED). */
typedef struct rl_csv_callbacks {
	int (*header)(void *ctx, const rl_csv_header *);     /* may be NULL */
	int (*record)(void *ctx, const rl_csv_record *);
	/*
	 * May be NULL.  As reader.h's next_arena: after each record, the
	 * arena for the next one in place of a reset (*same: the one in use,
	 * untouched), or NULL to stop.  The record's raw bytes and its conv
	 * array are the reader's and change with the next row: a consumer
	 * that keeps the record copies them.
	 */
	rl_arena *(*next_arena)(void *ctx, int *same);
} rl_csv_callbacks;

/*
 * Read every row of fd (not closed) or of a buffer.  Returns RL_READ_OK,
 * RL_READ_STOPPED or RL_READ_TRUNCATED (reader.h) with err (may be NULL):
 * out of memory, an I/O error, or a header that cannot be used
 * (csv-syntax with its line: malformed, no id column, a mapped column
 * twice).  An empty input (or only a BOM and blank lines) has no header
 * and no records, and is RL_READ_OK.  These read UTF-8 as it is, and
 * their dates once, as a pipe's; the sources (source.h) decode, and make
 * the first pass over the dates of a file.
 */
int rl_csv_read_fd(int fd, const char *name, const rl_rules *,
		const rl_csv_opts *, rl_arena *, const rl_csv_callbacks *,
		void *ctx, rl_diag *err);
int rl_csv_read_mem(const char *buf, size_t len, const char *name,
		const rl_rules *, const rl_csv_opts *, rl_arena *,
		const rl_csv_callbacks *, void *ctx, rl_diag *err);

/*
 * Incremental reading, for the sources (source.h), over rl_csv_parser
 * (csv.h): new borrows what rl_csv_read_fd borrows, for as long as the
 * handle lives; NULL with err when it cannot start.  start_at and feed as
 * in csv.h; follow: a range after the first, read with the header and the
 * column binding that h read, and what the first pass over the dates
 * found (a copy: h is only read, and may be read by several followers at
 * once; -1 when h has no header, or no memory).  The callbacks may
 * return RL_RECORD_PAUSE.  set_arena: where the next record is built.
 * rl_csv_reader_free() returns what rl_csv_read_fd would (with err as given
 * to new) and accepts NULL.
 */
typedef struct rl_csv_reader rl_csv_reader;

rl_csv_reader *rl_csv_reader_new(const char *name, const rl_rules *,
		const rl_csv_opts *, rl_arena *, const rl_csv_callbacks *,
		void *ctx, rl_diag *err) RL_WARN_UNUSED;
void rl_csv_reader_start_at(rl_csv_reader *, uint64_t offset,
		unsigned long line, unsigned long row, unsigned long index);
int  rl_csv_reader_follow(rl_csv_reader *, const rl_csv_reader *h);
int  rl_csv_reader_feed(rl_csv_reader *, const char *, size_t n,
		size_t *taken);
int  rl_csv_reader_end(rl_csv_reader *);
void rl_csv_reader_set_arena(rl_csv_reader *, rl_arena *);
/* rl_csv_parser_position, and -1 when the header cannot be used. */
int  rl_csv_reader_position(const rl_csv_reader *, uint64_t *offset,
		unsigned long *line, unsigned long *rows, unsigned long *index);
int  rl_csv_reader_free(rl_csv_reader *);

/*
 * What a source knows of its input (source.c), before the first feed; a
 * reader without it reads UTF-8 as fed, and its dates once.  dec (may be
 * NULL): the decoder the fed bytes came through (decode.h), for
 * csv-encoding and rl_csv_header.encoding; borrowed.  reread (may be
 * NULL, never for a range after the first): the input again from its
 * first byte, decoded as the fed bytes, for the first pass over the dates
 * that the header runs (reflint(1), Dates): each call gives the next
 * piece (1), or 0 at its end, -1 on an error; a call with p NULL ends the
 * pass.
 */
struct rl_decoder;
typedef int (*rl_csv_reread_fn)(void *ctx, const char **p, size_t *n);
void rl_csv_reader_set_input(rl_csv_reader *, const struct rl_decoder *dec,
		rl_csv_reread_fn reread, void *ctx);

/*
 * Format detection (reflint(1), Input): do the first bytes of an input (BOM
 * included) look like a spreadsheet, that is a first non-blank line that
 * does not open a JSON text and names, with any of the three delimiters, a
 * column of the rules?  eof says that buf is the whole input.  1: CSV;
 * 0: not CSV (JSON, NDJSON, garbage, or an empty input); -1: the first
 * line is not complete, read more.  Callers stop reading at
 * RL_CSV_SNIFF_MAX bytes and then ask with eof set.
 */
#define RL_CSV_SNIFF_MAX (64 * 1024)
int rl_csv_sniff(const rl_rules *, const char *buf, size_t len, int eof);

/*
 * With the referral's current state (--referrals; NULL = none): removes
 * from the record's patch every op made from a column whose value equals
 * the referral's current value there (numbers by exact decimal value, also
 * against a numeric string; dates as instants, so "...T00:00:00.0000000Z"
 * equals "...T00:00:00Z"; text exactly).  Ops that no column of the rules
 * makes are left alone.  op_column (the record's, may be NULL) loses the
 * entries of the ops removed, so that it still matches the patch.  Returns 1 when the patch is then empty, with note
 * (may be NULL) set to csv-unchanged; 0 otherwise; -1 when the record has
 * no patch array.
 */
int rl_csv_unchanged(const rl_rules *, const rl_value *referral,
		rl_value *record, unsigned *op_column, rl_diag *note);

/*
 * The column of a diagnostic of a row of a profile with "add": 1 with
 * *field (-1: the sheet has no such column) and *header (the rules'
 * name) when the diagnostic's member is, or holds, a member column; 0
 * when it is about the value as a whole (or the row is not of such a
 * profile).
 */
int rl_csv_diag_column(const rl_csv_record *, const rl_diag *, long *field,
		const char **header);

/*
 * Puts v at the pointer p inside root, making the objects and arrays on
 * the way (an array where the next token is an index): 0; 1 when there is
 * a value there already or the place cannot be made; -1 when memory runs
 * out.
 */
int rl_csv_put_member(rl_arena *, rl_value *root, const rl_pointer *p,
		rl_value *v);

/* Yes 1, No 0 (trimmed, in any case), anything else -1. */
int rl_csvmap_yesno(const char *s, size_t len);

/*
 * The profile a header row chooses: the first of columns.json's
 * "profiles" whose "requires" names are all in it, else the default.
 */
const struct rl_columns *rl_csvmap_profile(const rl_rules *,
		const rl_csv_row *header);

/*
 * The letters of a spreadsheet column, Excel's way: 0 is "A", 25 "Z", 26
 * "AA", 16383 (the last column Excel has) "XFD".  out holds at least
 * RL_CSV_COLUMN_NAME_MAX bytes; returns the length written.
 */
#define RL_CSV_COLUMN_NAME_MAX 16
size_t rl_csv_column_name(unsigned long index, char *out);

/*
 * Puts n diagnostics (conversion problems, a csv-unchanged note) in front
 * of a result's, as rl_check_record would have found them: severity from
 * the rules (--severity, --disable), counts, worst, and the cap of
 * max_errors (opts may be NULL).  -1 when memory runs out.
 */
int rl_csv_add_diags(const rl_rules *, rl_arena *, const rl_check_opts *,
		rl_result *, const rl_diag *, size_t n);

#endif /* RL_CSVMAP_H */
