/*
 * source.h: where records come from (reflint(1), Input).  One pull
 * interface over every input format: the caller asks for the next record
 * and names the arena it goes into.  Format detection walks a table of
 * {sniff, open} rows (source.c); each format is one file (source_json.c,
 * source_csv.c).  Included by the batch, the commands and the tests; not
 * installed.
 *
 * Ownership: rl_source_open_*() return a handle that owns its buffers and
 * its parser and borrows the name, the rules, the options and, for
 * rl_source_open_mem(), the bytes, for as long as it lives; it closes an
 * fd only when it opened it (rl_source_open_path).  rl_source_close()
 * releases it and accepts NULL.  Everything an item points to (the
 * record's values and diagnostic, a CSV row's raw bytes and conversion
 * diagnostics, the header's raw bytes and note) is in the arena given to
 * the rl_source_next() call that returned it, and lives as long as that
 * arena's contents, whatever later calls do.
 */
#ifndef RL_SOURCE_H
#define RL_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "csv.h"
#include "csvmap.h"
#include "diag.h"
#include "reader.h"
#include "rules.h"

typedef enum rl_source_kind {
	RL_SOURCE_DETECT = 0,   /* the table of formats decides (source.c) */
	RL_SOURCE_JSON,         /* JSON or NDJSON, as ro.format says */
	RL_SOURCE_CSV           /* a spreadsheet, with the rules' columns */
} rl_source_kind;

typedef struct rl_source_opts {
	rl_source_kind kind;
	rl_reader_opts ro;      /* JSON: format and limits; bufsize for all */
	rl_csv_opts co;         /* CSV: delimiter, limits */
	const rl_rules *rules;  /* CSV: columns, and detection; may be NULL
	                           when no input is CSV */
	/*
	 * A byte range [offset, offset + length) of the input (length 0: to
	 * the end), whose first byte is on line `line` (0 = 1), after
	 * `records` records (CSV: data rows) and, for CSV, `rows`
	 * spreadsheet rows: positions in items and diagnostics are those of
	 * the whole file.  A range must begin at a record boundary.  A CSV
	 * range after the first has no header: header_of names the source
	 * that read the file's header (it must outlive this one's opening).
	 */
	uint64_t offset, length;
	unsigned long line, records, rows;
	const struct rl_source *header_of;
} rl_source_opts;

typedef enum rl_item_kind {
	RL_ITEM_RECORD = 1,     /* a JSON record: rec */
	RL_ITEM_ROW,            /* a CSV data row: row, and rec == row.rec */
	RL_ITEM_HEADER          /* a CSV header row: header */
} rl_item_kind;

/* Only the fields of its kind are set. */
typedef struct rl_source_item {
	rl_item_kind kind;
	rl_record rec;
	rl_csv_record row;
	rl_csv_header header;
} rl_source_item;

typedef struct rl_source rl_source;

/*
 * Open a source on fd (not closed), on a file, or on bytes in memory.
 * NULL with err (may be NULL) when it cannot start: out of memory, an
 * unreadable file or range, a CSV range whose header_of has no header.
 */
rl_source *rl_source_open_fd(int fd, const char *name,
		const rl_source_opts *, rl_diag *err) RL_WARN_UNUSED;
rl_source *rl_source_open_path(const char *path, const char *name,
		const rl_source_opts *, rl_diag *err) RL_WARN_UNUSED;
rl_source *rl_source_open_mem(const char *buf, size_t len, const char *name,
		const rl_source_opts *, rl_diag *err) RL_WARN_UNUSED;

/*
 * The next item, its memory in arena (see Ownership): 1, or 0 when there
 * is none left; then rl_source_status() says why.
 */
int rl_source_next(rl_source *, rl_arena *, rl_source_item *out);
/*
 * RL_READ_OK (read to the end), RL_READ_TRUNCATED (err, may be NULL, says
 * why: an I/O error, no memory, a syntax error that ends a JSON text, a
 * CSV header that cannot be used), or -1 while items may still come.
 */
int rl_source_status(const rl_source *, rl_diag *err);
/* Which row of the format table opened it: "json" or "csv". */
const char *rl_source_format_name(const rl_source *);
/* Bytes of the input fed to the parser so far (from offset). */
uint64_t rl_source_bytes(const rl_source *);
void rl_source_close(rl_source *);

/* A place in an input, in the terms of rl_source_opts' range fields. */
typedef struct rl_source_pos {
	uint64_t offset;
	unsigned long line, records, rows;
} rl_source_pos;

/*
 * Where the next item begins, so that a range opened there (a CSV range
 * with header_of this source) reads on as this source would: 0, or -1
 * while that is not known (items wait in the queue, a row is partly
 * read, the source has ended, or its format cannot tell, as JSON).
 */
int rl_source_position(const rl_source *, rl_source_pos *);

/*
 * For a reader of its own (batch.c's workers): the bytes an fd source read
 * to tell its format, not yet parsed (its length; *p set).  A caller that
 * reads more of the fd and then leaves the input to the source gives those
 * bytes back with rl_source_unread, before the first rl_source_next: they
 * are parsed after the peeked ones.  -1 when memory runs out, or once
 * parsing began.
 */
size_t rl_source_peeked(const rl_source *, const char **p);
int rl_source_unread(rl_source *, const char *p, size_t n);

#endif /* RL_SOURCE_H */
