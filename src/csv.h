/*
 * csv.h: the CSV syntax layer (reflint(1), Spreadsheets): RFC 4180 rows and
 * fields, with exact positions, pushed to a callback as they complete.
 * Included by csvmap.c and the tests; the commands use csvmap.h.
 *
 * Ownership: a row, its fields and its raw bytes live in buffers of the
 * parser that are reused for the next row: a callback copies what it wants
 * to keep.  Memory is bounded by the largest row (max_row), whatever the
 * size of the input.
 */
#ifndef RL_CSV_H
#define RL_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

/* Defaults, documented in reflint(1). */
#define RL_CSV_DEFAULT_BUFSIZE   (64 * 1024)
#define RL_CSV_DEFAULT_MAX_FIELD (1024UL * 1024)        /* bytes */
#define RL_CSV_DEFAULT_MAX_ROW   (4UL * 1024 * 1024)    /* bytes */

typedef struct rl_csv_opts {
	char delimiter;        /* ',', ';' or '\t'; 0 = detect from the header;
	                          anything else: RL_READ_TRUNCATED, csv-syntax */
	size_t bufsize;        /* read(2) size; 0 = default; tests use 1..31 */
	size_t max_field;      /* bytes of one field; 0 = default */
	size_t max_row;        /* bytes of one row as read; 0 = default */
	/*
	 * For detection: 1 when a header name is a known column (may be NULL:
	 * then the delimiter that gives the most fields wins).
	 */
	int (*known)(void *known_ctx, const char *name, size_t len);
	void *known_ctx;
	/*
	 * rl_csv_parse_fd: bytes already read from fd (by format detection),
	 * parsed first, as if read again.  Borrowed; may be NULL.
	 */
	const char *prefix;
	size_t prefix_len;
	/*
	 * For the sources and csvmap.h: the input's encoding (decode.h,
	 * rl_encoding; 0 = detect) and --date-order: 0 = MM/DD/YYYY with
	 * csv-date-ambiguous (the default), 'm' or 'd' = MM/DD or DD/MM as
	 * the user said.
	 */
	int encoding;
	char date_order;
} rl_csv_opts;

typedef struct rl_csv_field {
	const char *s;           /* unescaped bytes, NUL-terminated */
	size_t len;
	unsigned long line;      /* where its first byte is (its quote, if any) */
	unsigned long column;    /* 1-based, in characters */
	int quoted;
} rl_csv_field;

typedef struct rl_csv_row {
	const char *source;      /* name given to the parser; borrowed */
	int header;              /* 1 for the header row (the first row) */
	unsigned long row;       /* spreadsheet row number: blank rows count,
	                            the header is row 1 when nothing precedes it */
	unsigned long index;     /* 1-based ordinal among the data rows
	                            delivered (0 for the header) */
	unsigned long line;      /* physical line of its first byte */
	uint64_t offset;         /* byte offset of its first byte (after a BOM,
	                            the BOM counts) */
	const char *raw;         /* the row as read, without its line end; a
	                            malformed row: its first physical line */
	size_t rawlen;
	const rl_csv_field *f;   /* fields; none (n = 0) after a quoting error */
	size_t n;
	char delimiter;          /* the delimiter in use */
	/*
	 * NULL for a clean row; otherwise csv-syntax with the line and column
	 * of the first problem (the row is rejected as a whole).
	 */
	const rl_diag *diag;
} rl_csv_row;

/* Called for every row; a nonzero return stops reading (RL_READ_STOPPED). */
typedef int (*rl_csv_row_fn)(void *ctx, const rl_csv_row *);

/*
 * Parse every row of fd (not closed), or of a buffer in memory.  Returns
 * RL_READ_OK, RL_READ_STOPPED or RL_READ_TRUNCATED (reader.h) with err
 * (may be NULL) saying why: an I/O error or memory exhausted.
 */
int rl_csv_parse_fd(int fd, const char *name, const rl_csv_opts *,
		rl_csv_row_fn, void *ctx, rl_diag *err);
int rl_csv_parse_mem(const char *buf, size_t len, const char *name,
		const rl_csv_opts *, rl_csv_row_fn, void *ctx, rl_diag *err);

/*
 * Incremental parsing, for the sources (source.h): the same parser, fed by
 * the caller.  rl_csv_parser_new() borrows its name, options (which must
 * outlive it) and callback; NULL with err for a bad delimiter or no
 * memory.  start_at: the byte offset, physical line, spreadsheet rows and
 * data rows before the first byte fed (a range of a file; past offset 0
 * no BOM is looked for).  follow: read as the rows after the header of
 * h, with its delimiter and columns (-1 when h has read no header, or no
 * memory).  feed takes up to n bytes, fewer when the callback returned
 * RL_RECORD_PAUSE; feed and end return nonzero once the parser has
 * stopped.  rl_csv_parser_free() returns RL_READ_OK, RL_READ_STOPPED or
 * RL_READ_TRUNCATED with err as rl_csv_parse_fd, and accepts NULL.
 */
typedef struct rl_csv_parser rl_csv_parser;

rl_csv_parser *rl_csv_parser_new(const char *name, const rl_csv_opts *,
		rl_csv_row_fn, void *ctx, rl_diag *err) RL_WARN_UNUSED;
void rl_csv_parser_start_at(rl_csv_parser *, uint64_t offset,
		unsigned long line, unsigned long row, unsigned long index);
int  rl_csv_parser_follow(rl_csv_parser *, const rl_csv_parser *h);
int  rl_csv_parser_feed(rl_csv_parser *, const char *, size_t n,
		size_t *taken);
int  rl_csv_parser_end(rl_csv_parser *);
int  rl_csv_parser_free(rl_csv_parser *, rl_diag *err);
/*
 * Where the next byte fed would begin a row, in start_at's terms: 0, or
 * -1 when the parser is inside a row, has stopped, or has not read its
 * header.
 */
int  rl_csv_parser_position(const rl_csv_parser *, uint64_t *offset,
		unsigned long *line, unsigned long *rows, unsigned long *index);

#endif /* RL_CSV_H */
