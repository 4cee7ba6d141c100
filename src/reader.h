/*
 * reader.h: the streaming record reader (reflint(1), Input).
 * Included by the commands, the snapshot index and the tests; not installed.
 *
 * The reader pushes records to a callback as yajl completes them.  Each
 * record's values live in the caller's arena, which the reader resets after
 * the callback returns: a callback must copy what it wants to keep.  Memory
 * is bounded by the largest record (and the limits below), whatever the size
 * of the input.
 */
#ifndef RL_READER_H
#define RL_READER_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "json.h"

typedef enum rl_format {
	RL_FMT_AUTO = 0,  /* '[' = JSON; otherwise decided at the end of line 1 */
	RL_FMT_NDJSON,    /* one value per line; a bad line is one bad record */
	RL_FMT_JSON,      /* JSON texts; top-level arrays and list pages
	                     ({"value":[...]}) are streamed element by element */
	RL_FMT_VALUE      /* exactly one JSON value of any type, never expanded */
} rl_format;

/* Defaults, documented in reflint(1). */
#define RL_DEFAULT_BUFSIZE   (64 * 1024)
#define RL_DEFAULT_MAX_DEPTH 128
#define RL_DEFAULT_MAX_RECORD (64UL * 1024 * 1024)
#define RL_DEFAULT_MAX_STRING (16UL * 1024 * 1024)
/*
 * The memory a record's value may take, by default, per byte of max_record
 * (and at least RL_MIN_MEMORY).  A record of realistic referrals takes about
 * 3.5 times its bytes (scratch stacks included); one made of one-digit
 * numbers about 55 times.
 */
#define RL_MEMORY_PER_BYTE 8
#define RL_MIN_MEMORY (1024UL * 1024)   /* the default is never below */

typedef struct rl_reader_opts {
	rl_format format;
	size_t bufsize;        /* read(2) size; 0 = default; tests use 1..31 */
	unsigned max_depth;    /* 0 = default */
	size_t max_record;     /* bytes; 0 = default */
	size_t max_string;     /* bytes after unescaping; 0 = default */
	size_t max_memory;     /* bytes of values and scratch for one record;
	                          0 = RL_MEMORY_PER_BYTE * max_record */
	int allow_comments;    /* for rule files */
	/*
	 * Names that differ only by ASCII case are distinct, not
	 * json-duplicate-key: for rule files, which only reflint reads (the
	 * duplicate check guards against the API's case-insensitive parsers).
	 */
	int case_sensitive_names;
	/*
	 * rl_read_fd: bytes already read from fd (by format detection),
	 * parsed first, as if read again.  Borrowed; may be NULL.
	 */
	const char *prefix;
	size_t prefix_len;
	/*
	 * rl_read_fd: when set, called after each record is handed over, in
	 * place of resetting the arena: it returns the arena for the next
	 * record, setting *same when that is the one in use, untouched (any
	 * other, even the same arena after a reset, is new to the reader), or
	 * NULL to stop (out of memory).  The record's values stay where they
	 * were built, so a consumer may judge them later, on another thread
	 * (batch.c).
	 */
	rl_arena *(*next_arena)(void *ctx, int *same);
	/*
	 * The line number of the first byte (0 = 1): for a part of a file
	 * read on its own, so that records and messages give the file's lines.
	 */
	unsigned long first_line;
} rl_reader_opts;

typedef struct rl_record {
	rl_value *value;          /* NULL when the record could not be built */
	const char *source;       /* name given to the reader; borrowed */
	unsigned long index;      /* 1-based ordinal of the record in the source */
	unsigned long line;       /* 1-based position of its first byte */
	unsigned long column;     /* 1-based, in characters */
	uint64_t offset;          /* byte offset of its first byte */
	uint64_t length;          /* bytes from first to last, for re-reading */
	/*
	 * NULL for a clean record.  Otherwise json-syntax or json-limit (value
	 * is NULL) or json-duplicate-key (value is built, and the pointer
	 * names the repeated member), with the position of the problem.
	 */
	const rl_diag *diag;
} rl_record;

/*
 * Called for every record; a nonzero return stops reading (RL_READ_STOPPED),
 * except RL_RECORD_PAUSE (rl_reader_feed only): go on, but take no more
 * input after the current line, so that a puller can return its record.
 */
typedef int (*rl_record_fn)(void *ctx, const rl_record *);
#define RL_RECORD_PAUSE (-1)

enum {
	RL_READ_OK = 0,         /* read to the end */
	RL_READ_STOPPED = 1,    /* the callback asked to stop */
	RL_READ_TRUNCATED = 2,  /* the rest of the input could not be read:
	                           err says why (syntax error outside NDJSON,
	                           I/O error, out of memory) */
};

/*
 * Read every record of the open file descriptor fd (not closed).  name is
 * used in records and diagnostics.  err (may be NULL) receives the reason
 * for RL_READ_TRUNCATED.
 */
int rl_read_fd(int fd, const char *name, const rl_reader_opts *,
		rl_arena *, rl_record_fn, void *ctx, rl_diag *err);
/* The same over a buffer in memory. */
int rl_read_mem(const char *buf, size_t len, const char *name,
		const rl_reader_opts *, rl_arena *, rl_record_fn, void *ctx,
		rl_diag *err);

/*
 * Parse exactly one JSON value from a buffer into the arena, which is not
 * reset: for re-reading a snapshot record, for small documents and tests.
 * NULL on failure with diag filled (json-syntax, json-limit,
 * json-duplicate-key, out-of-memory).
 */
rl_value *rl_parse_value(const char *buf, size_t len, const rl_reader_opts *,
		rl_arena *, rl_diag *);

/*
 * Incremental reading, for the sources (source.h): the same reader, fed by
 * the caller.  rl_reader_new() returns a handle that borrows its name,
 * options, arena and callback and owns the rest; rl_reader_free() accepts
 * NULL.  Positions start at offset (the input's byte offset of the first
 * byte fed; past 0 no BOM is looked for), line and, for the numbering of
 * records, index records already read.  rl_reader_feed() takes up to n
 * bytes and says in *taken how many it took: all of them, or fewer when
 * the callback returned RL_RECORD_PAUSE (feed the rest later).  It and
 * rl_reader_end() return 0 (go on), RL_READ_STOPPED or RL_READ_TRUNCATED
 * (with the reason in the err given to rl_reader_new, if not NULL);
 * rl_reader_end() returns RL_READ_OK for a clean end.  The callback's
 * records are built in the arena set last; with next_arena NULL the
 * reader resets it after each record.  rl_reader_idle(): no record is
 * partly built, so that the arena may change (rl_reader_set_arena).
 */
typedef struct rl_reader rl_reader;

rl_reader *rl_reader_new(const char *name, const rl_reader_opts *,
		rl_arena *, rl_record_fn, void *ctx, rl_diag *err) RL_WARN_UNUSED;
void rl_reader_start_at(rl_reader *, uint64_t offset, unsigned long line,
		unsigned long index);
int  rl_reader_feed(rl_reader *, const char *, size_t n, size_t *taken);
int  rl_reader_end(rl_reader *);
int  rl_reader_idle(const rl_reader *);
void rl_reader_set_arena(rl_reader *, rl_arena *);
void rl_reader_free(rl_reader *);

#endif /* RL_READER_H */
