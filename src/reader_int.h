/*
 * reader_int.h: the reader's state, shared by its files (reader.c: framing
 * and the driver; reader_value.c: yajl's callbacks and the building of
 * values; reader_dup.c: duplicate member names; reader_yajl.c: the shim
 * around yajl).  Included by those four files only; nothing else may.
 *
 * Ownership: struct rl_reader is the handle rl_reader (reader.h); it owns
 * its yajl handle, its scratch stacks and its buffers, never the arena.
 * The position helpers are inline here because every callback uses them.
 */
#ifndef RL_READER_INT_H
#define RL_READER_INT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "json.h"
#include "reader.h"

enum seek {
	SEEK_NONE,
	SEEK_TOP,     /* a top-level value: white space first */
	SEEK_ELEM,    /* an element of a streamed array: also one comma */
	SEEK_AFTER    /* NDJSON: only white space may follow a line's value */
};

/* NDJSON: what the current line holds so far. */
enum line_state {
	LINE_START,   /* white space only */
	LINE_VALUE,   /* a value has begun */
	LINE_DONE,    /* the value is complete */
	LINE_SKIP     /* a problem was found: skip to the newline */
};

/* The pre-scan for \u escapes (prescan()). */
enum esc {
	ESC_NONE,
	ESC_BS,       /* after a backslash */
	ESC_HEX,      /* in the 4 hex digits of a \u */
	ESC_HIGH,     /* after a high surrogate: a backslash must follow, */
	ESC_HIGH_BS,  /* then a 'u', */
	ESC_LOW       /* then the 4 hex digits of a low surrogate */
};

struct pos {
	uint64_t off;
	unsigned long line, col;
};

/*
 * Where a member name began, for a duplicate's diagnostic.  Counting the
 * column of every name would cost a pass over the input, so it is counted
 * only when needed: for a duplicate, or when the piece that holds the name
 * is about to go (resolve_keys).
 */
struct keypos {
	uint64_t off;                 /* input offset just past the name */
	unsigned long line;
	unsigned long col;            /* 0 until counted */
};

/*
 * A value waiting for its container to end.  In an object, the entry is
 * made by the member name, and its value comes later.
 */
struct ent {
	const char *key;              /* member name; NULL in arrays */
	size_t klen;
	rl_value *value;              /* NULL until it is read */
	struct keypos kp;
};

/* A container of the record being built. */
struct frame {
	size_t base;                  /* index of its first entry */
	int object;
	unsigned long line;
};

/*
 * Header of every block yajl allocates: they are kept on a list, so that
 * when memory runs out inside yajl, which cannot recover from it, the
 * reader can leave yajl and still free everything (y_oom).
 */
union yblk {
	struct {
		union yblk *prev, *next;
	} l;
	long double ld;               /* alignment */
	long long ll;
	void *p;
};

struct rl_reader {
	const char *name;
	rl_format fmt;                /* RL_FMT_AUTO while undecided */
	unsigned max_depth;
	size_t max_record, max_string;
	size_t max_memory;            /* bytes a record's value may hold */
	size_t membase;               /* arena footprint when it began */
	int comments;
	int case_sensitive;           /* no folded-name duplicates */
	rl_arena *(*next_arena)(void *, int *);
	rl_arena *arena;
	int reset;                    /* reset the arena after each record */
	rl_record_fn fn;
	void *fnctx;
	rl_diag *err;

	yajl_handle h;
	yajl_alloc_funcs afs;
	union yblk *blocks;
	int in_yajl;
	jmp_buf oom;

	/* the piece being looked at */
	const unsigned char *p;
	size_t n;
	size_t lim;                   /* bytes of it that yajl gets */
	uint64_t g;                   /* input offset of p[0] */
	unsigned long line;
	unsigned long col0;           /* column of p[0] */
	size_t cnt;                   /* characters are counted up to p[cnt], */
	unsigned long cntcol;         /* which is at this column */
	uint64_t total;               /* input bytes taken so far */
	int cr;                       /* the byte before this piece was '\r' */
	int bom;                      /* BOM bytes matched; -1 past the start */

	/* structure */
	size_t depth;                 /* open containers, in records or not */
	size_t stream;                /* depth of streamed elements; 0 = none */
	int page;                     /* inside a list page */
	int building;                 /* inside a record's value */
	int candidate;                /* a top-level object: maybe a page */
	size_t level;                 /* depth of the record's value */

	unsigned char *bump, *bump_end;   /* the arena block being carved */
	struct ent *ent;
	size_t nent, cent;
	size_t counted;               /* entries below have their columns */
	struct frame *fr;
	size_t nfr, cfr;

	/* the current record */
	int open;                     /* first byte seen, last byte not yet */
	int started;                  /* start is valid */
	struct pos start;
	rl_value *value;              /* complete, not handed over yet */
	uint64_t end;
	int dup;                      /* diag holds a duplicate key */
	rl_diag diag;
	unsigned long index;

	enum seek seek;
	int comma;                    /* SEEK_ELEM may skip a comma */
	enum line_state ls;

	enum esc esc;
	unsigned esc_n, esc_v;
	unsigned esc_sur;             /* the last surrogate seen */
	int esc_lone;                 /* it proved lone */
	int esc_here;                 /* the escape began at p[esc_i] */
	size_t esc_i;
	struct pos esc_at;            /* else here */

	/*
	 * Where the last member value ended, and the first byte after it:
	 * where yajl's "after key and value" error is, though yajl's own
	 * offset for it depends on how the input was cut.
	 */
	uint64_t vend;
	int vscan;                    /* vpos still to be found */
	struct pos vpos;

	rl_code fail;                 /* the record's problem; RL_OK = none */
	struct pos failpos;
	uint64_t failend;
	int stopped;
	int pause;                    /* a puller has its record */
	rl_buf tmp;
};

/* Counting positions ---------------------------------------------------- */
/* Memory for values ------------------------------------------------------- */

/*
 * Values are carved from 4 KB arena blocks: one call to the arena per block
 * rather than per value.  A value takes one piece of a block: a string with
 * its bytes, a container with its exact-size item array (cap = n), where
 * json.c's constructors would take two allocations.
 */
#define BLOCK 4096

struct align {
	char c;
	rl_value v;
};
#define ALIGN offsetof(struct align, v)

/* reader.c: problems, and the framing that the callbacks call into */
void rl_rd_fail_at(struct rl_reader *, rl_code, const struct pos *, const char *);
void rl_rd_fail_i(struct rl_reader *, rl_code, size_t, const char *);
int  rl_rd_nomem(struct rl_reader *);
void rl_rd_fail_record_size(struct rl_reader *);
int  rl_rd_mem_check(struct rl_reader *, size_t extra);
int  rl_rd_seek(struct rl_reader *, size_t);
int  rl_rd_begin_value(struct rl_reader *, int kind);
int  rl_rd_complete(struct rl_reader *, rl_value *, size_t off);

/* reader_value.c */
extern const yajl_callbacks rl_rd_callbacks;
void *rl_rd_alloc_block(struct rl_reader *, size_t);

/* reader_dup.c */
void rl_rd_resolve_keys(struct rl_reader *);
int  rl_rd_same_name(const struct ent *, const struct ent *, int fold_case);
long rl_rd_find_dup(struct rl_reader *, const struct ent *, size_t n, int fold_case,
		size_t *prev);
int  rl_rd_dup_diag(struct rl_reader *, struct ent *, const struct ent *prev);

/* reader_yajl.c */
yajl_status rl_rd_ycall(struct rl_reader *, const unsigned char *, size_t);
void rl_rd_yajl_failed(struct rl_reader *);
int  rl_rd_after_member(struct rl_reader *);
void rl_rd_drop_handle(struct rl_reader *);
void rl_rd_yajl_free_all(struct rl_reader *);
size_t rl_rd_prescan(struct rl_reader *, size_t k);
int  rl_rd_escape_pending(const struct rl_reader *);
void rl_rd_keep_escape(struct rl_reader *);
void rl_rd_fail_escape(struct rl_reader *);

/* Counting positions ---------------------------------------------------- */


/*
 * Characters in (p, n): the bytes that do not continue a UTF-8 sequence,
 * eight at a time.
 */
static inline size_t
nchars(const unsigned char *p, size_t n)
{
	const uint64_t hi = 0x8080808080808080ULL;
	size_t c = n, i = 0;
	uint64_t w;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		/* bit 7 set and bit 6 clear: a continuation byte */
		w = (w & ~(w << 1) & hi) >> 7;
		c -= (size_t)((w * 0x0101010101010101ULL) >> 56);
	}
	for (; i < n; i++)
		c -= (p[i] & 0xC0) == 0x80;
	return c;
}

/* Column of p[i].  Callers ask in increasing order, give or take a byte. */
static inline unsigned long
col_at(struct rl_reader *r, size_t i)
{
	if (i > r->n)
		i = r->n;
	/* Strict comparisons: p may be NULL for an empty piece. */
	if (i > r->cnt)
		r->cntcol += nchars(r->p + r->cnt, i - r->cnt);
	else if (i < r->cnt)
		r->cntcol -= nchars(r->p + i, r->cnt - i);
	r->cnt = i;
	return r->cntcol;
}

static inline struct pos
pos_at(struct rl_reader *r, size_t i)
{
	struct pos at;

	if (i > r->n)
		i = r->n;
	at.off = r->g + i;
	at.line = r->line;
	at.col = col_at(r, i);
	return at;
}

/* Position of the byte before p[i], which may end the previous piece. */
static inline struct pos
pos_before(struct rl_reader *r, size_t i)
{
	struct pos at;

	if (i > 0)
		return pos_at(r, i - 1);
	/* The last byte of a token: ASCII, on this line. */
	at.off = r->g > 0 ? r->g - 1 : 0;
	at.line = r->line;
	at.col = r->col0 > 1 ? r->col0 - 1 : 1;
	return at;
}

static inline void
begin_piece(struct rl_reader *r, const unsigned char *p, size_t n)
{
	r->p = p;
	r->n = r->lim = n;
	r->g = r->total;
	r->cnt = 0;
	r->cntcol = r->col0;
}

/* Offset in the piece just past the token that yajl is reporting. */
static inline size_t
tok_end(const struct rl_reader *r)
{
	size_t off;

	if (r->n == 0)          /* yajl_complete_parse: the end of input */
		return 0;
	off = yajl_get_bytes_consumed(r->h);
	return off < r->n ? off : r->n;
}

static inline int
is_ws(unsigned char c)
{
	/* What yajl skips, \v and \f included. */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* Top-level arrays and list pages are streamed. */
static inline int
streams(const struct rl_reader *r)
{
	return r->fmt == RL_FMT_JSON || r->fmt == RL_FMT_AUTO;
}

static inline void *
alloc(struct rl_reader *r, size_t n)
{
	void *p;

	if (n > SIZE_MAX - ALIGN)
		return NULL;
	n = (n + ALIGN - 1) / ALIGN * ALIGN;
	if (r->bump == NULL || (size_t)(r->bump_end - r->bump) < n)
		return rl_rd_alloc_block(r, n);
	p = r->bump;
	r->bump += n;
	return p;
}

#endif /* RL_READER_INT_H */
