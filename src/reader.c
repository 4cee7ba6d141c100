/*
 * reader.c: the streaming record reader (reader.h, reflint(1), Input).
 *
 * yajl gets the input one piece at a time, and a piece never holds a
 * newline except as its last byte: so every callback knows its line, and a
 * column is the number of UTF-8 characters before yajl's offset in the
 * piece, counted lazily and (nearly) only forward.  The callbacks build each
 * record's value in the caller's arena from a scratch stack that is reused
 * from record to record, and hand finished records to the caller.
 *
 * Before yajl sees a piece, the driver (piece()) looks ahead for the first
 * byte of the next record (seek()), cuts the piece where a record would
 * grow past max_record, and pre-scans it for lone surrogate escapes, which
 * yajl would otherwise accept silently.  Each of these stops yajl at the
 * same byte whatever the read size, so that reading with any buffer size
 * gives the same records and the same diagnostics.
 *
 * Records are handed over as soon as they end, except in NDJSON, where a
 * line's record waits for its newline: only then is it known to stand
 * alone on the line.  AUTO turns JSON when the first significant byte is
 * '[', when the first value is a list page or runs past its line; NDJSON
 * when the first value ends on its line, or that line is broken.
 * max_record counts a record's bytes from its first to its last: white
 * space around an NDJSON value does not count.  With allow_comments (rule
 * files, RL_FMT_VALUE), a comment is taken for the start of a record, and
 * a \uD800 in a comment for a lone surrogate.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "json.h"
#include "pointer.h"
#include "reader.h"

/* Where the driver looks for the first byte of the next record. */
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

struct rd {
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
	rl_buf tmp;
};

/* Counting positions ---------------------------------------------------- */

/*
 * Characters in (p, n): the bytes that do not continue a UTF-8 sequence,
 * eight at a time.
 */
static size_t
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
static unsigned long
col_at(struct rd *r, size_t i)
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

static struct pos
pos_at(struct rd *r, size_t i)
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
static struct pos
pos_before(struct rd *r, size_t i)
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

static void
begin_piece(struct rd *r, const unsigned char *p, size_t n)
{
	r->p = p;
	r->n = r->lim = n;
	r->g = r->total;
	r->cnt = 0;
	r->cntcol = r->col0;
}

/* Offset in the piece just past the token that yajl is reporting. */
static size_t
tok_end(const struct rd *r)
{
	size_t off;

	if (r->n == 0)          /* yajl_complete_parse: the end of input */
		return 0;
	off = yajl_get_bytes_consumed(r->h);
	return off < r->n ? off : r->n;
}

static int
is_ws(unsigned char c)
{
	/* What yajl skips, \v and \f included. */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

/* Top-level arrays and list pages are streamed. */
static int
streams(const struct rd *r)
{
	return r->fmt == RL_FMT_JSON || r->fmt == RL_FMT_AUTO;
}

/* Problems --------------------------------------------------------------- */

/* Note the first problem of the record; the driver acts on it. */
static void
fail_at(struct rd *r, rl_code code, const struct pos *at, const char *what)
{
	if (r->fail != RL_OK)
		return;
	r->fail = code;
	r->failpos = *at;
	r->failend = at->off + 1;
	if (code == RL_JSON_SYNTAX)
		rl_diag_set(&r->diag, code,
		    "invalid JSON at line %lu, column %lu: %s",
		    at->line, at->col, what);
	else
		rl_diag_set(&r->diag, code, "%s at line %lu, column %lu",
		    what, at->line, at->col);
	r->diag.source = r->name;
	r->diag.line = at->line;
	r->diag.column = at->col;
}

static void
fail_i(struct rd *r, rl_code code, size_t i, const char *what)
{
	struct pos at = pos_at(r, i);

	fail_at(r, code, &at, what);
}

/* Returns 0 so that callbacks can `return nomem(r)` to stop yajl. */
static int
nomem(struct rd *r)
{
	if (r->fail == RL_OK) {
		r->fail = RL_NOMEM;
		rl_diag_set(&r->diag, RL_NOMEM, "out of memory");
		r->diag.source = r->name;
	}
	return 0;
}

static void
fail_record_size(struct rd *r)
{
	char what[64];

	snprintf(what, sizeof(what), "record longer than %zu bytes",
	    r->max_record);
	fail_at(r, RL_JSON_LIMIT, &r->start, what);
	r->failend = r->start.off + r->max_record + 1;
}

/*
 * R8: the memory a record's value takes is bounded, not only its bytes: a
 * line of small numbers costs some fifty times its length in values and
 * scratch entries.  Counted: the arena's growth since the record began and
 * the scratch stacks (ent, fr), before each new block or stack growth of
 * extra bytes.  yajl's own buffers are bounded by max_record (no piece is
 * longer) and max_depth.  Returns -1, with the record's json-limit noted,
 * when the record would pass max_memory.
 */
static int
mem_check(struct rd *r, size_t extra)
{
	size_t fp = rl_arena_footprint(r->arena), used;
	struct pos at;
	char what[96];

	if (fp < r->membase)            /* the arena was reset under way */
		r->membase = fp;
	used = fp - r->membase + r->cent * sizeof(struct ent) +
	    r->cfr * sizeof(struct frame);
	if (used <= r->max_memory && extra <= r->max_memory - used)
		return 0;
	snprintf(what, sizeof(what),
	    "record needs more than %zu bytes of memory", r->max_memory);
	at = pos_at(r, tok_end(r));
	fail_at(r, RL_JSON_LIMIT, &at, what);
	return -1;
}

/* yajl's allocator ------------------------------------------------------ */

static void
y_link(struct rd *r, union yblk *b)
{
	b->l.prev = NULL;
	b->l.next = r->blocks;
	if (r->blocks != NULL)
		r->blocks->l.prev = b;
	r->blocks = b;
}

static void
y_unlink(struct rd *r, union yblk *b)
{
	if (b->l.prev != NULL)
		b->l.prev->l.next = b->l.next;
	else
		r->blocks = b->l.next;
	if (b->l.next != NULL)
		b->l.next->l.prev = b->l.prev;
}

/*
 * yajl dereferences what its allocator returns without a check, so inside
 * yajl a failed allocation leaves through longjmp to ycall(), which frees
 * every block of the abandoned handle.  Outside (yajl_get_error), NULL is
 * handled.
 */
static void *
y_oom(struct rd *r)
{
	if (r->in_yajl)
		longjmp(r->oom, 1);
	return NULL;
}

static void *
y_malloc(void *ctx, size_t n)
{
	struct rd *r = ctx;
	union yblk *b;

	if (n > SIZE_MAX - sizeof(*b) ||
	    (b = rl_malloc(sizeof(*b) + n)) == NULL)
		return y_oom(r);
	y_link(r, b);
	return b + 1;
}

static void *
y_realloc(void *ctx, void *p, size_t n)
{
	struct rd *r = ctx;
	union yblk *b, *nb;

	if (p == NULL)
		return y_malloc(ctx, n);
	b = (union yblk *)p - 1;
	if (n > SIZE_MAX - sizeof(*b))
		return y_oom(r);
	y_unlink(r, b);
	if ((nb = rl_realloc(b, sizeof(*b) + n)) == NULL) {
		y_link(r, b);
		return y_oom(r);
	}
	y_link(r, nb);
	return nb + 1;
}

static void
y_free(void *ctx, void *p)
{
	struct rd *r = ctx;
	union yblk *b;

	if (p == NULL)
		return;
	b = (union yblk *)p - 1;
	y_unlink(r, b);
	rl_free(b);
}

static void
y_free_all(struct rd *r)
{
	union yblk *b, *next;

	for (b = r->blocks; b != NULL; b = next) {
		next = b->l.next;
		rl_free(b);
	}
	r->blocks = NULL;
}

static void
drop_handle(struct rd *r)
{
	if (r->h != NULL)
		yajl_free(r->h);
	r->h = NULL;
}

/* Finding records --------------------------------------------------------- */

/*
 * Look from p[i] for the first byte of the next record, without taking
 * anything: yajl still gets every byte, this only watches.  -1 when NDJSON
 * finds text after a line's value.
 */
static int
seek(struct rd *r, size_t i)
{
	unsigned char c = 0;

	if (r->seek == SEEK_NONE)
		return 0;
	for (; i < r->lim; i++) {
		c = r->p[i];
		if (is_ws(c))
			continue;
		if (c == ',' && r->seek == SEEK_ELEM && r->comma) {
			r->comma = 0;
			continue;
		}
		break;
	}
	if (i >= r->lim)
		return 0;
	switch (r->seek) {
	case SEEK_AFTER:
		r->seek = SEEK_NONE;
		fail_i(r, RL_JSON_SYNTAX, i, "unexpected text after the value");
		return -1;
	case SEEK_ELEM:
		if (c == ']') {
			r->seek = SEEK_NONE;
			return 0;
		}
		break;
	case SEEK_TOP:
		if (c == '[' && streams(r)) {
			r->seek = SEEK_NONE;
			return 0;
		}
		break;
	case SEEK_NONE:
		return 0;
	}
	r->seek = SEEK_NONE;
	r->open = r->started = 1;
	r->start = pos_at(r, i);
	if (r->fmt == RL_FMT_NDJSON || r->fmt == RL_FMT_AUTO)
		r->ls = LINE_VALUE;
	return 0;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * yajl turns a lone high surrogate escape into '?' and a lone low one into
 * invalid UTF-8, silently.  Follow the backslashes of p[0..k) and return
 * how much of it yajl may have: all of it, or the bytes before the one that
 * proves an escape lone (esc_lone is then set).  Backslashes occur only in
 * strings of valid JSON, so escapes stay in step; elsewhere yajl fails
 * anyway.
 */
static size_t
prescan(struct rd *r, size_t k)
{
	const unsigned char *p = r->p, *q;
	size_t i = 0;
	int h;

	while (i < k) {
		switch (r->esc) {
		case ESC_NONE:
			if ((q = memchr(p + i, '\\', k - i)) == NULL)
				return k;
			i = (size_t)(q - p);
			r->esc = ESC_BS;
			r->esc_here = 1;
			r->esc_i = i++;
			break;
		case ESC_BS:
			/* \\ and the other escapes are two bytes */
			r->esc = p[i++] == 'u' ? ESC_HEX : ESC_NONE;
			r->esc_n = r->esc_v = 0;
			break;
		case ESC_HEX:
			if ((h = hexval(p[i])) < 0) {
				r->esc = ESC_NONE;   /* yajl rejects it */
				break;
			}
			r->esc_v = r->esc_v << 4 | (unsigned)h;
			if (++r->esc_n < 4) {
				i++;
				break;
			}
			if (r->esc_v >= 0xDC00 && r->esc_v <= 0xDFFF) {
				r->esc_sur = r->esc_v;
				goto lone;
			}
			if (r->esc_v >= 0xD800 && r->esc_v <= 0xDBFF) {
				r->esc_sur = r->esc_v;
				r->esc = ESC_HIGH;
			} else
				r->esc = ESC_NONE;
			i++;
			break;
		case ESC_HIGH:
			if (p[i] != '\\')
				goto lone;
			r->esc = ESC_HIGH_BS;
			i++;
			break;
		case ESC_HIGH_BS:
			if (p[i] != 'u')
				goto lone;
			r->esc = ESC_LOW;
			r->esc_n = r->esc_v = 0;
			i++;
			break;
		case ESC_LOW:
			if ((h = hexval(p[i])) < 0)
				goto lone;
			r->esc_v = r->esc_v << 4 | (unsigned)h;
			if (++r->esc_n < 4) {
				i++;
				break;
			}
			if (r->esc_v < 0xDC00 || r->esc_v > 0xDFFF)
				goto lone;
			r->esc = ESC_NONE;
			i++;
			break;
		}
	}
	return k;
lone:
	r->esc_lone = 1;
	return i;
}

/* An escape still open at the end of input is lone too. */
static int
escape_pending(const struct rd *r)
{
	return r->esc == ESC_HIGH || r->esc == ESC_HIGH_BS || r->esc == ESC_LOW;
}

/* Where the pending escape began, while its piece is still at hand. */
static void
keep_escape(struct rd *r)
{
	if (r->esc != ESC_NONE && r->esc_here) {
		r->esc_at = pos_at(r, r->esc_i);
		r->esc_here = 0;
	}
}

static void
fail_escape(struct rd *r)
{
	char what[48];

	keep_escape(r);
	snprintf(what, sizeof(what), "lone surrogate escape \\u%04X",
	    r->esc_sur);
	fail_at(r, RL_JSON_SYNTAX, &r->esc_at, what);
}

/* Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF. */
static int
utf8_valid(const unsigned char *s, size_t n)
{
	const uint64_t hi = 0x8080808080808080ULL;
	size_t i = 0, len, j;
	uint64_t w, any = 0;
	unsigned char c, tail = 0;

	/* Most strings are ASCII. */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		any |= w;
	}
	for (j = i; j < n; j++)
		tail |= s[j];
	if ((any & hi) == 0 && (tail & 0x80) == 0)
		return 1;
	i = 0;
	while (i < n) {
		if (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if ((w & hi) == 0) {
				i += 8;
				continue;
			}
		}
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c < 0xC2 || c > 0xF4)
			return 0;
		len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		if (n - i < len)
			return 0;
		for (j = 1; j < len; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		if ((c == 0xE0 && s[i + 1] < 0xA0) ||
		    (c == 0xED && s[i + 1] > 0x9F) ||
		    (c == 0xF0 && s[i + 1] < 0x90) ||
		    (c == 0xF4 && s[i + 1] > 0x8F))
			return 0;
		i += len;
	}
	return 1;
}

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

static void
arena_reset(struct rd *r)
{
	/* next_arena: earlier records' values may still be waiting there */
	if (!r->reset || r->next_arena != NULL)
		return;
	rl_arena_reset(r->arena);
	r->bump = r->bump_end = NULL;
}

static void *
alloc_block(struct rd *r, size_t n)
{
	unsigned char *p;

	if (mem_check(r, n > BLOCK / 4 ? n : BLOCK) == -1)
		return NULL;            /* the caller's nomem() keeps json-limit */
	/*
	 * rl_parse_value's arena is the caller's and lives on: a block's
	 * unused tail stays there, at most BLOCK bytes a value, which buys
	 * one call per block instead of one per value (snapshot re-reads).
	 */
	if (n > BLOCK / 4)
		return rl_arena_alloc(r->arena, n);
	if ((p = rl_arena_alloc(r->arena, BLOCK)) == NULL)
		return NULL;
	r->bump = p + n;
	r->bump_end = p + BLOCK;
	return p;
}

static inline void *
alloc(struct rd *r, size_t n)
{
	void *p;

	if (n > SIZE_MAX - ALIGN)
		return NULL;
	n = (n + ALIGN - 1) / ALIGN * ALIGN;
	if (r->bump == NULL || (size_t)(r->bump_end - r->bump) < n)
		return alloc_block(r, n);
	p = r->bump;
	r->bump += n;
	return p;
}

/*
 * Copy (s, n) to d, NUL-terminated, and tell whether a byte had its high
 * bit set: the strict UTF-8 test is needed only then.
 */
static int
copy_text(char *d, const char *s, size_t n)
{
	const uint64_t hi = 0x8080808080808080ULL;
	uint64_t w, any = 0;
	uint32_t h;
	uint16_t q;
	size_t i = 0;

	if (n >= 8) {
		for (; i + 8 <= n; i += 8) {
			memcpy(&w, s + i, 8);
			memcpy(d + i, &w, 8);
			any |= w;
		}
		/* the tail as one word that overlaps the last one copied */
		if (i < n) {
			memcpy(&w, s + n - 8, 8);
			memcpy(d + n - 8, &w, 8);
			any |= w;
		}
	} else {
		/* short names and values: at most three moves */
		if (n & 4) {
			memcpy(&h, s, 4);
			memcpy(d, &h, 4);
			any |= h;
			i = 4;
		}
		if (n & 2) {
			memcpy(&q, s + i, 2);
			memcpy(d + i, &q, 2);
			any |= q;
			i += 2;
		}
		if (n & 1) {
			d[i] = s[i];
			any |= (unsigned char)s[i];
		}
	}
	d[n] = '\0';
	return (any & hi) != 0;
}

static rl_value *
new_scalar(struct rd *r, rl_type t, const char *s, size_t len, int *high)
{
	int text = t == RL_STRING || t == RL_NUMBER;
	rl_value *v;
	char *p;

	if (len > SIZE_MAX - sizeof(*v) - 1 ||
	    (v = alloc(r, sizeof(*v) + (text ? len + 1 : 0))) == NULL)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = t;
	if (text) {
		p = (char *)(v + 1);
		*high = copy_text(p, s, len);
		v->u.s.ptr = p;
		v->u.s.len = len;
	}
	return v;
}

static rl_value *
new_container(struct rd *r, rl_type t, size_t n, size_t size)
{
	rl_value *v;
	void *items;

	if (n > (SIZE_MAX - sizeof(*v)) / size ||
	    (v = alloc(r, sizeof(*v) + n * size)) == NULL)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = t;
	items = n > 0 ? (void *)(v + 1) : NULL;
	if (t == RL_OBJECT) {
		v->u.o.members = items;
		v->u.o.n = v->u.o.cap = n;
	} else {
		v->u.a.items = items;
		v->u.a.n = v->u.a.cap = n;
	}
	return v;
}

/* Handing records over ---------------------------------------------------- */

static void
shrink_scratch(struct rd *r)
{
	/* After an outsized record, give the scratch stacks back. */
	if (r->cent > 65536) {
		rl_free(r->ent);
		r->ent = NULL;
		r->cent = 0;
	}
	if (r->cfr > 4096) {
		rl_free(r->fr);
		r->fr = NULL;
		r->cfr = 0;
	}
}

/* Returns nonzero when the caller wants to stop. */
static int
emit(struct rd *r, rl_value *v, const rl_diag *d, uint64_t end)
{
	rl_record rec;
	int stop;

	rec.value = v;
	rec.source = r->name;
	rec.index = ++r->index;
	rec.line = r->start.line;
	rec.column = r->start.col;
	rec.offset = r->start.off;
	rec.length = end > r->start.off ? end - r->start.off : 0;
	rec.diag = d;
	stop = r->fn(r->fnctx, &rec);
	if (r->next_arena != NULL) {
		int same = 0;
		rl_arena *na = r->next_arena(r->fnctx, &same);

		if (na == NULL)
			stop = 1;
		else if (!same) {
			/* the bump block was in a block handed over */
			r->arena = na;
			r->bump = r->bump_end = NULL;
		}
	} else
		arena_reset(r);
	r->value = NULL;
	r->dup = 0;
	r->started = 0;
	shrink_scratch(r);
	if (stop)
		r->stopped = 1;
	return stop;
}

/* The record that could not be read, value NULL. */
static int
emit_failed(struct rd *r, uint64_t end)
{
	if (!r->started)
		r->start = r->failpos;
	return emit(r, NULL, &r->diag, end);
}

/* Building values -------------------------------------------------------- */

/* Doubles a scratch stack of the record; NULL past max_memory too. */
static void *
grow(struct rd *r, void *p, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 64;

	if (ncap > SIZE_MAX / size ||
	    mem_check(r, (ncap - *cap) * size) == -1 ||
	    (p = rl_realloc(p, ncap * size)) == NULL)
		return NULL;
	*cap = ncap;
	return p;
}

static void
reset_structure(struct rd *r)
{
	r->depth = r->stream = r->level = 0;
	r->page = r->building = r->candidate = 0;
	r->nent = r->nfr = 0;
	r->open = 0;
}

/*
 * A streamed array begins: a top-level one (depth 1) or a list page's
 * "value" (depth 2), in which case the object read so far was a page, not
 * a record.  Returns 0: the array itself is not built.
 */
static int
begin_stream(struct rd *r, size_t depth)
{
	if (r->building) {
		r->building = r->candidate = 0;
		r->nent = r->nfr = 0;
		r->dup = 0;
		r->page = 1;
		arena_reset(r);
	}
	r->open = r->started = 0;
	r->stream = depth;
	if (r->fmt == RL_FMT_AUTO)
		r->fmt = RL_FMT_JSON;
	r->seek = SEEK_ELEM;
	r->comma = 0;
	seek(r, tok_end(r));
	return 0;
}

/*
 * A value begins at r->depth.  Returns 1 to build it (it is part of a
 * record, perhaps its first token), 0 to skip it (the other members of a
 * list page, or a streamed array), -1 to stop yajl.
 */
static int
begin_value(struct rd *r, int kind)
{
	size_t off;

	if (r->building) {
		if (r->candidate && r->depth == 1 && kind == '[' &&
		    r->ent[r->nent - 1].klen == 5 &&
		    memcmp(r->ent[r->nent - 1].key, "value", 5) == 0)
			return begin_stream(r, 2);
		return 1;
	}
	if (r->depth != r->stream)
		return 0;
	if (kind == '[' && r->depth == 0 && streams(r))
		return begin_stream(r, 1);
	if (r->ls == LINE_DONE && r->fmt == RL_FMT_NDJSON) {
		/* seek() sees this first, except after a comment */
		off = tok_end(r);
		fail_i(r, RL_JSON_SYNTAX, off ? off - 1 : 0,
		    "more than one value on the line");
		return -1;
	}
	r->building = 1;
	r->membase = rl_arena_footprint(r->arena);
	r->level = r->depth;
	r->nfr = r->nent = r->counted = 0;
	r->candidate = kind == '{' && r->depth == 0 && streams(r);
	if (!r->started) {
		/* seek() finds it first; this is a safety net */
		off = tok_end(r);
		r->open = r->started = 1;
		r->start = pos_at(r, off ? off - 1 : 0);
	}
	return 1;
}

/* A record's value is complete. */
static int
complete(struct rd *r, rl_value *v, size_t off)
{
	uint64_t end = r->g + off;

	r->building = r->candidate = 0;
	if (end - r->start.off > r->max_record) {
		fail_record_size(r);
		return 0;
	}
	r->open = 0;
	r->end = end;
	/* AUTO: the first value ended on the line where it began */
	if (r->fmt == RL_FMT_AUTO)
		r->fmt = RL_FMT_NDJSON;
	switch (r->fmt) {
	case RL_FMT_NDJSON:
		/* handed over at the end of the line: it must be alone there */
		r->value = v;
		r->ls = LINE_DONE;
		r->seek = SEEK_AFTER;
		return seek(r, off) == 0;
	case RL_FMT_VALUE:
		r->value = v;
		return 1;
	default:
		break;
	}
	/* yajl splits "01" or "1-2" into two top-level numbers */
	if (v->type == RL_NUMBER && r->level == 0 && off < r->lim &&
	    !is_ws(r->p[off])) {
		fail_i(r, RL_JSON_SYNTAX, off, "invalid number");
		return 0;
	}
	if (emit(r, v, r->dup ? &r->diag : NULL, end))
		return 0;
	r->seek = r->stream ? SEEK_ELEM : SEEK_TOP;
	r->comma = 1;
	seek(r, off);
	return 1;
}

static int
add_value(struct rd *r, rl_value *v)
{
	struct ent *e;
	void *q;

	if (r->nfr == 0) {
		/* the record's last container closed: no member error to place */
		r->vscan = 0;
		return complete(r, v, tok_end(r));
	}
	if (r->fr[r->nfr - 1].object) {
		/* the entry of its member name */
		r->ent[r->nent - 1].value = v;
		r->vend = r->g + tok_end(r);
		r->vscan = 1;
		return 1;
	}
	if (r->nent == r->cent) {
		if ((q = grow(r, r->ent, &r->cent, sizeof(*r->ent))) == NULL)
			return nomem(r);
		r->ent = q;
	}
	e = &r->ent[r->nent++];
	e->key = NULL;
	e->klen = 0;
	e->value = v;
	return 1;
}

/* A string or member name over max_string, or not strict UTF-8. */
static int
bad_string(struct rd *r, size_t len)
{
	char what[64];
	size_t at = tok_end(r);

	if (at > 0)
		at--;                   /* the closing quote */
	if (len > r->max_string) {
		snprintf(what, sizeof(what), "string longer than %zu bytes",
		    r->max_string);
		fail_i(r, RL_JSON_LIMIT, at, what);
	} else
		fail_i(r, RL_JSON_SYNTAX, at, "invalid UTF-8 in a string");
	return 0;
}

static int
scalar(struct rd *r, rl_type t, const char *s, size_t len)
{
	rl_value *v;
	int b, high = 0;

	if (t == RL_STRING && len > r->max_string)
		return bad_string(r, len);
	/* inside a record, a scalar is always built (begin_value says 1) */
	if (!r->building && (b = begin_value(r, 0)) <= 0) {
		if (b == 0 && t == RL_STRING &&
		    !utf8_valid((const unsigned char *)s, len))
			return bad_string(r, len);
		return b == 0;
	}
	if ((v = new_scalar(r, t, s, len, &high)) == NULL)
		return nomem(r);
	if (high && t == RL_STRING &&
	    !utf8_valid((const unsigned char *)v->u.s.ptr, len))
		return bad_string(r, len);
	v->line = (unsigned)r->line;
	return add_value(r, v);
}

static int
cb_null(void *ctx)
{
	return scalar(ctx, RL_NULL, NULL, 0);
}

static int
cb_boolean(void *ctx, int b)
{
	return scalar(ctx, b ? RL_TRUE : RL_FALSE, NULL, 0);
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	return scalar(ctx, RL_NUMBER, s, len);
}

static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return scalar(ctx, RL_STRING, (const char *)s, len);
}

static int
open_container(struct rd *r, int object)
{
	struct frame *f;
	char what[64];
	size_t off;
	void *q;
	int b;

	if ((b = begin_value(r, object ? '{' : '[')) < 0)
		return 0;
	r->depth++;
	/* Containers outside records are the stream's and the page's. */
	if (r->depth - (b ? r->level : 1) > r->max_depth) {
		snprintf(what, sizeof(what), "nesting deeper than %u levels",
		    r->max_depth);
		off = tok_end(r);
		fail_i(r, RL_JSON_LIMIT, off ? off - 1 : 0, what);
		return 0;
	}
	if (b == 0)
		return 1;
	if (r->nfr == r->cfr) {
		if ((q = grow(r, r->fr, &r->cfr, sizeof(*r->fr))) == NULL)
			return nomem(r);
		r->fr = q;
	}
	f = &r->fr[r->nfr++];
	f->base = r->nent;
	f->object = object;
	f->line = r->line;
	return 1;
}

static int
cb_start_map(void *ctx)
{
	return open_container(ctx, 1);
}

static int
cb_start_array(void *ctx)
{
	return open_container(ctx, 0);
}

static int
cb_map_key(void *ctx, const unsigned char *s, size_t len)
{
	struct rd *r = ctx;
	struct ent *e;
	char *key;
	void *q;

	if (len > r->max_string)
		return bad_string(r, len);
	if (!r->building)
		return utf8_valid(s, len) || bad_string(r, len);
	if ((key = alloc(r, len + 1)) == NULL)
		return nomem(r);
	if (copy_text(key, (const char *)s, len) &&
	    !utf8_valid((const unsigned char *)key, len))
		return bad_string(r, len);
	if (r->nent == r->cent) {
		if ((q = grow(r, r->ent, &r->cent, sizeof(*r->ent))) == NULL)
			return nomem(r);
		r->ent = q;
	}
	e = &r->ent[r->nent++];
	e->key = key;
	e->klen = len;
	e->value = NULL;
	e->kp.off = r->g + tok_end(r);
	e->kp.line = r->line;
	e->kp.col = 0;
	return 1;
}

/*
 * The column where a member name began, from the piece that holds it: exact
 * unless the name was written with escapes.
 */
static void
count_key(struct rd *r, struct keypos *kp, const char *key, size_t klen)
{
	unsigned long col, quoted;

	if (kp->col != 0)
		return;
	col = col_at(r, (size_t)(kp->off - r->g));
	quoted = nchars((const unsigned char *)key, klen) + 2;
	kp->col = col > quoted ? col - quoted : 1;
}

/*
 * The piece is about to go: count the columns of the names it holds.  The
 * entries are in the order the names came.
 */
static void
resolve_keys(struct rd *r)
{
	size_t j;

	if (!r->building) {
		r->counted = 0;
		return;
	}
	for (j = r->counted; j < r->nent; j++)
		if (r->ent[j].key != NULL)
			count_key(r, &r->ent[j].kp, r->ent[j].key,
			    r->ent[j].klen);
	r->counted = r->nent;
}

/*
 * Security (README): ASP.NET Core's binding and Newtonsoft match member
 * names case-insensitively, so "Path" beside "path" is one member to the
 * API (the last wins) and two to us.  Such names are duplicates too, under
 * ASCII case folding (find_dup, unless the reader is told case matters).
 */
/*
 * A name's signature: its length and its first and last bytes, folded when
 * fold is set.  Equal names have equal signatures, so the full comparison
 * runs only for the rare pairs whose signatures agree.
 */
static inline uint32_t
name_sig(const struct ent *e, int fold_case)
{
	const unsigned char *k = (const unsigned char *)e->key;
	uint32_t first, last;

	if (e->klen == 0)
		return 0;
	first = fold_case ? (uint32_t)rl_ascii_lower(k[0]) : k[0];
	last = fold_case ? (uint32_t)rl_ascii_lower(k[e->klen - 1]) :
	    k[e->klen - 1];
	return (uint32_t)(e->klen & 0xffff) << 16 | first << 8 | last;
}

static int
same_name(const struct ent *a, const struct ent *b, int fold_case)
{
	if (a->klen != b->klen)
		return 0;
	if (fold_case)
		return rl_ascii_caseeq(a->key, a->klen, b->key, b->klen);
	return memcmp(a->key, b->key, a->klen) == 0;
}

/*
 * The first of the n members whose name equals an earlier one's (under
 * ASCII case folding when fold_case), *prev that earlier one; -1 when there
 * is none, -2 when memory runs out.  One pass: exact duplicates are found
 * by it too.
 */
static long
find_dup(struct rd *r, const struct ent *e, size_t n, int fold_case,
    size_t *prev)
{
	uint32_t sig[16], *table, *sigs, h;
	size_t i, j, size, slot;

	if (n <= 16) {
		for (i = 0; i < n; i++) {
			sig[i] = name_sig(&e[i], fold_case);
			for (j = 0; j < i; j++)
				if (sig[j] == sig[i] &&
				    same_name(&e[i], &e[j], fold_case)) {
					*prev = j;
					return (long)i;
				}
		}
		return -1;
	}
	/* Open addressing over member indices + 1 (0 = empty). */
	for (size = 32; size < 2 * n; size *= 2)
		;
	if ((table = alloc(r, size * sizeof(*table))) == NULL ||
	    (sigs = alloc(r, n * sizeof(*sigs))) == NULL)
		return -2;
	memset(table, 0, size * sizeof(*table));
	for (i = 0; i < n; i++) {
		sigs[i] = name_sig(&e[i], fold_case);
		h = sigs[i] * 2654435761u;
		for (slot = (h >> 8) & (size - 1); table[slot] != 0;
		    slot = (slot + 1) & (size - 1)) {
			j = table[slot] - 1;
			if (sigs[j] == sigs[i] &&
			    same_name(&e[i], &e[j], fold_case)) {
				*prev = j;
				return (long)i;
			}
		}
		table[slot] = (uint32_t)(i + 1);
	}
	return -1;
}

/*
 * The pointer of member e of the innermost container, for the diagnostic;
 * prev, when not NULL, is the earlier member whose name differs from e's
 * only by case.
 */
static int
dup_diag(struct rd *r, struct ent *e, const struct ent *prev)
{
	const struct frame *f;
	const struct ent *k;
	const char *ptr;
	size_t i;

	rl_buf_clear(&r->tmp);
	for (i = 0; i + 1 < r->nfr; i++) {
		f = &r->fr[i];
		if (f->object) {
			/* the name whose value is the next container */
			k = &r->ent[r->fr[i + 1].base - 1];
			if (rl_pointer_append(&r->tmp, k->key, k->klen) == -1)
				return -1;
		} else if (rl_buf_putc(&r->tmp, '/') == -1 ||
		    rl_buf_putu(&r->tmp, r->fr[i + 1].base - f->base) == -1)
			return -1;
	}
	if (rl_pointer_append(&r->tmp, e->key, e->klen) == -1 ||
	    (ptr = rl_buf_cstr(&r->tmp)) == NULL)
		return -1;
	count_key(r, &e->kp, e->key, e->klen);
	if (prev != NULL) {
		rl_buf q = RL_BUF_INIT;
		const char *qs;
		int ok;

		/*
		 * Names in JSON quotes, so that no control character reaches a
		 * report; long ones (the pointer has it) are not repeated.
		 */
		ok = e->klen > 64 ? rl_buf_puts(&q, "the names") == 0 &&
		    (qs = rl_buf_cstr(&q)) != NULL :
		    rl_json_quote(&q, e->key, e->klen) == 0 &&
		    rl_buf_puts(&q, " and ") == 0 &&
		    rl_json_quote(&q, prev->key, prev->klen) == 0 &&
		    (qs = rl_buf_cstr(&q)) != NULL;
		if (ok)
			rl_diag_set(&r->diag, RL_JSON_DUPLICATE_KEY,
			    "duplicate member %s at line %lu, column %lu: %s differ only by case, and case-insensitive parsers (.NET) read them as one member",
			    ptr, e->kp.line, e->kp.col, qs);
		rl_buf_free(&q);
		if (!ok)
			return -1;
	} else
		rl_diag_set(&r->diag, RL_JSON_DUPLICATE_KEY,
		    "duplicate member %s at line %lu, column %lu", ptr,
		    e->kp.line, e->kp.col);
	rl_diag_set_pointer(&r->diag, r->tmp.data, r->tmp.len);
	r->diag.source = r->name;
	r->diag.line = e->kp.line;
	r->diag.column = e->kp.col;
	r->dup = 1;
	return 0;
}

/* The innermost container of the record ends: exact-size items in the arena. */
static int
end_container(struct rd *r, int object)
{
	struct frame *f = &r->fr[r->nfr - 1];
	size_t n = r->nent - f->base, i;
	/* No scratch is allocated before the first member: no NULL + 0. */
	struct ent *e = n ? r->ent + f->base : NULL;
	rl_value *v;
	size_t prev = 0;
	long d;

	if (object) {
		if ((v = new_container(r, RL_OBJECT, n,
		    sizeof(rl_member))) == NULL)
			return nomem(r);
		for (i = 0; i < n; i++) {
			v->u.o.members[i].key = e[i].key;
			v->u.o.members[i].klen = e[i].klen;
			v->u.o.members[i].value = e[i].value;
		}
		/* The first duplicate of the record is the one reported. */
		if (!r->dup && n > 1) {
			if ((d = find_dup(r, e, n, !r->case_sensitive,
			    &prev)) == -2)
				return nomem(r);
			/* prev is named only when the names differ by case */
			if (d >= 0 && dup_diag(r, &e[d],
			    same_name(&e[d], &e[prev], 0) ? NULL : &e[prev]) == -1)
				return nomem(r);
		}
	} else {
		if ((v = new_container(r, RL_ARRAY, n,
		    sizeof(rl_value *))) == NULL)
			return nomem(r);
		for (i = 0; i < n; i++)
			v->u.a.items[i] = e[i].value;
	}
	/* add_value may hand the record over, which frees the scratch */
	v->line = (unsigned)f->line;
	r->nent = f->base;
	if (r->counted > r->nent)
		r->counted = r->nent;
	r->nfr--;
	return add_value(r, v);
}

static int
close_container(struct rd *r, int object)
{
	r->depth--;
	if (r->building)
		return end_container(r, object);
	if (r->stream != 0 && r->depth + 1 == r->stream) {
		r->stream = 0;
		if (r->page)
			return 1;       /* the page's other members follow */
	} else if (r->page && r->depth == 0)
		r->page = 0;
	else
		return 1;
	r->seek = SEEK_TOP;
	seek(r, tok_end(r));
	return 1;
}

static int
cb_end_map(void *ctx)
{
	return close_container(ctx, 1);
}

static int
cb_end_array(void *ctx)
{
	return close_container(ctx, 0);
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end_map,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end_array,
};

/* Driving yajl ------------------------------------------------------------ */

/* yajl_parse (p != NULL) or yajl_complete_parse, creating the handle. */
static yajl_status
ycall(struct rd *r, const unsigned char *p, size_t n)
{
	yajl_status st;

	if (setjmp(r->oom) != 0) {
		/* y_oom: the handle is beyond repair; free its blocks */
		r->in_yajl = 0;
		r->h = NULL;
		y_free_all(r);
		nomem(r);
		return yajl_status_error;
	}
	r->in_yajl = 1;
	if (r->h == NULL) {
		r->h = yajl_alloc(&callbacks, &r->afs, r);
		yajl_config(r->h, yajl_allow_multiple_values,
		    r->fmt != RL_FMT_VALUE);
		yajl_config(r->h, yajl_allow_comments, r->comments);
	}
	st = p != NULL ? yajl_parse(r->h, p, n) : yajl_complete_parse(r->h);
	r->in_yajl = 0;
	return st;
}

/* The first byte after the last member value, if this piece holds it. */
static int
after_member(struct rd *r)
{
	size_t i = r->vend > r->g ? (size_t)(r->vend - r->g) : 0;

	if (!r->vscan)
		return 1;
	for (; i < r->n; i++)
		if (!is_ws(r->p[i])) {
			r->vpos = pos_at(r, i);
			r->vscan = 0;
			return 1;
		}
	return 0;
}

/* yajl reported an error: note it with its position. */
static void
yajl_failed(struct rd *r)
{
	unsigned char *msg;
	const char *text;
	char what[128];
	size_t off = tok_end(r), len;
	struct pos at;
	int before, member;

	msg = yajl_get_error(r->h, 0, NULL, 0);
	text = msg != NULL ? (const char *)msg : "syntax error";
	/*
	 * yajl's offset is at the offending byte, or just past it for an
	 * unexpected token, a stray byte or bad UTF-8.
	 */
	before = strncmp(text, "parse error", 11) == 0 ||
	    strstr(text, "invalid char in") != NULL ||
	    strstr(text, "invalid bytes in UTF8") != NULL;
	member = strstr(text, "after key and value") != NULL;
	if (strncmp(text, "lexical error: ", 15) == 0)
		text += 15;
	else if (strncmp(text, "parse error: ", 13) == 0)
		text += 13;
	len = strcspn(text, "\n");
	if (len > 0 && text[len - 1] == '.')
		len--;
	if (strncmp(text, "premature EOF", 13) == 0) {
		snprintf(what, sizeof(what), "unexpected end of input");
		before = 0;
	} else
		snprintf(what, sizeof(what), "%.*s", (int)len, text);
	if (msg != NULL)
		yajl_free_error(r->h, msg);
	if (member && after_member(r))
		at = r->vpos;
	else if (before)
		at = pos_before(r, off);
	else
		at = pos_at(r, off);
	fail_at(r, RL_JSON_SYNTAX, &at, what);
}

/*
 * One piece, the whole or the rest of a segment: find where records begin,
 * cut it where a record would pass max_record or where an escape proves
 * lone, and give yajl what is left.  Returns the bytes taken: less than n
 * when a cut leaves bytes for another round.
 */
static size_t
piece(struct rd *r, const unsigned char *p, size_t n)
{
	uint64_t limit_start = 0, limit;
	size_t k = n;
	int cut = 0;
	yajl_status st;

	begin_piece(r, p, n);
	if (r->seek != SEEK_NONE && seek(r, 0) == -1)
		return n;
	/* White space between records: yajl need not see it. */
	if (r->seek == SEEK_TOP || r->seek == SEEK_AFTER)
		return n;
	/*
	 * yajl gets at most max_record + 1 bytes at a time, and never a byte
	 * past the limit of the record under way: so no record passes its
	 * limit inside a call to yajl, and a record's fate does not depend on
	 * where the input was cut.  (Only a tiny max_record makes the first
	 * cut bite: pieces are at most a read long.)
	 */
	if (k > r->max_record + 1)
		k = r->max_record + 1;
	limit = r->start.off + r->max_record + 1;
	if (r->open && r->g + k > limit) {
		k = r->g < limit ? (size_t)(limit - r->g) : 0;
		cut = 1;
		limit_start = r->start.off;
	}
	k = prescan(r, k);
	r->lim = k;
	if (k > 0) {
		st = ycall(r, p, k);
		if (st != yajl_status_ok) {
			if (r->fail == RL_OK && !r->stopped)
				yajl_failed(r);
			return n;
		}
	}
	if (r->esc_lone) {
		fail_escape(r);
		return n;
	}
	if (cut && r->open && r->start.off == limit_start) {
		fail_record_size(r);
		return n;
	}
	return k;
}

/* Reading ends before the end of input: why, for the caller. */
static int
truncated(struct rd *r, const rl_diag *why)
{
	if (r->err != NULL) {
		rl_diag_set(r->err, why->code,
		    "input could not be read to the end: %s", why->message);
		r->err->source = r->name;
		r->err->line = why->line;
		r->err->column = why->column;
	}
	return RL_READ_TRUNCATED;
}

static void
new_line(struct rd *r)
{
	reset_structure(r);
	r->ls = LINE_START;
	r->seek = SEEK_TOP;
	r->esc = ESC_NONE;
	r->esc_lone = 0;
	r->fail = RL_OK;
	r->value = NULL;
	r->dup = 0;
	r->started = 0;
}

/* After a piece: go on (0), or stop with RL_READ_STOPPED or TRUNCATED. */
static int
after_piece(struct rd *r)
{
	if (r->stopped)
		return RL_READ_STOPPED;
	if (r->fail == RL_OK)
		return 0;
	if (r->fail == RL_NOMEM)
		return truncated(r, &r->diag);
	/* AUTO: a problem on the first value's line makes it NDJSON */
	if (r->fmt == RL_FMT_AUTO)
		r->fmt = RL_FMT_NDJSON;
	if (r->fmt == RL_FMT_NDJSON) {
		/* One rejected record for the line, when the line ends. */
		drop_handle(r);
		reset_structure(r);
		if (!r->started) {
			r->start = r->failpos;
			r->started = 1;
		}
		r->ls = LINE_SKIP;
		r->fail = RL_OK;
		return 0;
	}
	/* JSON: the broken part is one record, and reading ends. */
	emit_failed(r, r->failend < r->g + r->n ? r->failend : r->g + r->n);
	return truncated(r, &r->diag);
}

/* NDJSON: the line ends at input offset eol (its newline, or the end). */
static int
end_line(struct rd *r, uint64_t eol)
{
	int stop = 0;

	if (r->fmt == RL_FMT_AUTO) {
		/* The first value goes on past its line: JSON. */
		if (r->ls != LINE_START)
			r->fmt = RL_FMT_JSON;
		return 0;
	}
	if (r->fmt != RL_FMT_NDJSON)
		return 0;
	switch (r->ls) {
	case LINE_START:
		break;
	case LINE_VALUE:
		fail_i(r, RL_JSON_SYNTAX, r->n > 0 ? r->n - 1 : 0,
		    r->n > 0 ? "unexpected end of line" :
		    "unexpected end of input");
		drop_handle(r);
		stop = emit_failed(r, eol);
		break;
	case LINE_SKIP:
		stop = emit_failed(r, eol);
		break;
	case LINE_DONE:
		stop = emit(r, r->value, r->dup ? &r->diag : NULL, r->end);
		break;
	}
	new_line(r);
	return stop ? RL_READ_STOPPED : 0;
}

/* Before a piece goes: what may still need its bytes for a position. */
static void
end_of_piece(struct rd *r)
{
	keep_escape(r);
	resolve_keys(r);
	after_member(r);
}

/* Bytes up to and including a newline, or up to the end of a chunk. */
static int
segment(struct rd *r, const unsigned char *p, size_t n)
{
	int eol = p[n - 1] == '\n', rc;
	uint64_t end;
	size_t k;

	for (;;) {
		if (r->ls == LINE_SKIP) {
			begin_piece(r, p, n);
			k = n;
		} else
			k = piece(r, p, n);
		if ((rc = after_piece(r)) != 0)
			return rc;
		if (k == n)
			break;
		/* the rest of a cut piece: a new piece of the same line */
		end_of_piece(r);
		r->col0 = col_at(r, k);
		r->total += k;
		r->cr = p[k - 1] == '\r';
		p += k;
		n -= k;
	}
	if (eol) {
		/* the line's text ends before "\r\n" */
		end = r->g + n - 1;
		if (n >= 2 ? p[n - 2] == '\r' : r->cr)
			end--;
		if ((rc = end_line(r, end)) != 0)
			return rc;
		end_of_piece(r);
		r->line++;
		r->col0 = 1;
	} else {
		end_of_piece(r);
		r->col0 = col_at(r, n);
	}
	r->total += n;
	r->cr = p[n - 1] == '\r';
	return 0;
}

static int
segments(struct rd *r, const unsigned char *p, size_t n)
{
	const unsigned char *q;
	size_t k;
	int rc;

	while (n > 0) {
		q = memchr(p, '\n', n);
		k = q != NULL ? (size_t)(q - p) + 1 : n;
		if ((rc = segment(r, p, k)) != 0)
			return rc;
		p += k;
		n -= k;
	}
	return 0;
}

static const unsigned char bom[] = { 0xEF, 0xBB, 0xBF };

/* Bytes as read: a BOM at the very start is skipped. */
static int
chunk(struct rd *r, const unsigned char *p, size_t n)
{
	size_t k;
	int rc;

	while (r->bom >= 0 && n > 0) {
		if (*p == bom[r->bom]) {
			p++;
			n--;
			r->total++;
			if (++r->bom == 3)
				r->bom = -1;
			continue;
		}
		/* Not a BOM after all: yajl gets the bytes held back. */
		k = (size_t)r->bom;
		r->bom = -1;
		r->total -= k;
		if (k > 0 && (rc = segments(r, bom, k)) != 0)
			return rc;
	}
	return segments(r, p, n);
}

/* The end of input. */
static int
finish(struct rd *r)
{
	int busy, rc;
	size_t k;

	if (r->bom > 0) {
		k = (size_t)r->bom;
		r->bom = -1;
		r->total -= k;
		if ((rc = segments(r, bom, k)) != 0)
			return rc;
	}
	begin_piece(r, NULL, 0);
	/*
	 * yajl_complete_parse ends a number at the end of input, or finds the
	 * input cut short.  With nothing under way, there is nothing to end:
	 * yajl would call an empty input "premature EOF".
	 */
	if (r->fmt == RL_FMT_NDJSON || r->fmt == RL_FMT_AUTO)
		busy = r->ls == LINE_VALUE;
	else
		busy = r->open || r->stream || r->page || r->depth > 0 ||
		    r->fmt == RL_FMT_VALUE;
	if (busy && escape_pending(r))
		fail_escape(r);
	else if (busy && r->h != NULL &&
	    ycall(r, NULL, 0) != yajl_status_ok && r->fail == RL_OK &&
	    !r->stopped)
		yajl_failed(r);
	if ((rc = after_piece(r)) != 0)
		return rc;
	if (r->fmt == RL_FMT_VALUE) {
		if (r->value == NULL) {
			struct pos at = pos_at(r, 0);

			fail_at(r, RL_JSON_SYNTAX, &at, r->h == NULL ?
			    "no value" : "unexpected end of input");
			return after_piece(r);
		}
		if (emit(r, r->value, r->dup ? &r->diag : NULL, r->end))
			return RL_READ_STOPPED;
		return RL_READ_OK;
	}
	if (r->fmt == RL_FMT_NDJSON || r->fmt == RL_FMT_AUTO) {
		if (r->fmt == RL_FMT_AUTO && r->ls != LINE_START)
			r->fmt = RL_FMT_NDJSON;
		return end_line(r, r->total - (r->cr ? 1 : 0));
	}
	return RL_READ_OK;
}

/* Entry points ----------------------------------------------------------- */

static void
rd_init(struct rd *r, const char *name, const rl_reader_opts *o,
    rl_arena *arena, rl_record_fn fn, void *ctx, rl_diag *err)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->fmt = o != NULL ? o->format : RL_FMT_AUTO;
	r->max_depth = o != NULL && o->max_depth ? o->max_depth :
	    RL_DEFAULT_MAX_DEPTH;
	r->max_record = o != NULL && o->max_record ? o->max_record :
	    RL_DEFAULT_MAX_RECORD;
	if (r->max_record > SIZE_MAX / 2)
		r->max_record = SIZE_MAX / 2;
	r->max_string = o != NULL && o->max_string ? o->max_string :
	    RL_DEFAULT_MAX_STRING;
	if (o != NULL && o->max_memory)
		r->max_memory = o->max_memory;
	else if (r->max_record > SIZE_MAX / RL_MEMORY_PER_BYTE)
		r->max_memory = SIZE_MAX;
	else
		r->max_memory = r->max_record * RL_MEMORY_PER_BYTE;
	/* a tiny max_record must not make the first arena block too much */
	if (r->max_memory < RL_MIN_MEMORY && !(o != NULL && o->max_memory))
		r->max_memory = RL_MIN_MEMORY;
	r->comments = o != NULL && o->allow_comments;
	r->case_sensitive = o != NULL && o->case_sensitive_names;
	r->next_arena = o != NULL ? o->next_arena : NULL;
	r->arena = arena;
	r->reset = 1;
	r->fn = fn;
	r->fnctx = ctx;
	r->err = err;
	r->afs.malloc = y_malloc;
	r->afs.realloc = y_realloc;
	r->afs.free = y_free;
	r->afs.ctx = r;
	r->line = o != NULL && o->first_line ? o->first_line : 1;
	r->col0 = 1;
	r->seek = SEEK_TOP;
	r->ls = LINE_START;
}

static void
rd_free(struct rd *r)
{
	drop_handle(r);
	y_free_all(r);
	rl_free(r->ent);
	rl_free(r->fr);
	rl_buf_free(&r->tmp);
}

static int
read_mem(struct rd *r, const char *buf, size_t len, size_t bufsize)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t k;
	int rc;

	if (bufsize == 0)
		bufsize = len;
	while (len > 0) {
		k = len < bufsize ? len : bufsize;
		if ((rc = chunk(r, p, k)) != 0)
			return rc;
		p += k;
		len -= k;
	}
	return finish(r);
}

int
rl_read_mem(const char *buf, size_t len, const char *name,
    const rl_reader_opts *o, rl_arena *arena, rl_record_fn fn, void *ctx,
    rl_diag *err)
{
	struct rd r;
	int rc;

	rd_init(&r, name, o, arena, fn, ctx, err);
	/* bufsize cuts the buffer as read(2) would: for the tests */
	rc = read_mem(&r, buf, len, o != NULL ? o->bufsize : 0);
	rd_free(&r);
	return rc;
}

int
rl_read_fd(int fd, const char *name, const rl_reader_opts *o,
    rl_arena *arena, rl_record_fn fn, void *ctx, rl_diag *err)
{
	size_t bufsize = o != NULL && o->bufsize ? o->bufsize :
	    RL_DEFAULT_BUFSIZE;
	struct rd r;
	unsigned char *buf;
	ssize_t got;
	int rc = 0;

	rd_init(&r, name, o, arena, fn, ctx, err);
	if ((buf = rl_malloc(bufsize)) == NULL) {
		nomem(&r);
		rc = truncated(&r, &r.diag);
		rd_free(&r);
		return rc;
	}
	if (o != NULL && o->prefix != NULL) {
		/* in the same slices as read(2) would have given them */
		size_t at, k;

		for (at = 0; at < o->prefix_len && rc == 0; at += k) {
			k = o->prefix_len - at < bufsize ? o->prefix_len - at : bufsize;
			rc = chunk(&r, (const unsigned char *)o->prefix + at, k);
		}
	}
	while (rc == 0) {
		got = read(fd, buf, bufsize);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rl_diag_set(&r.diag, RL_IO_ERROR, "%s: %s",
			    name != NULL ? name : "input", strerror(errno));
			r.diag.source = name;
			rc = truncated(&r, &r.diag);
			break;
		}
		if (got == 0) {
			rc = finish(&r);
			break;
		}
		if ((rc = chunk(&r, buf, (size_t)got)) != 0)
			break;
	}
	rl_free(buf);
	rd_free(&r);
	return rc;
}

struct one {
	rl_value *value;
	int failed;
	rl_diag diag;
};

static int
keep_one(void *ctx, const rl_record *rec)
{
	struct one *one = ctx;

	one->value = rec->value;
	if (rec->diag != NULL) {
		one->failed = 1;
		one->diag = *rec->diag;
	}
	return 0;
}

rl_value *
rl_parse_value(const char *buf, size_t len, const rl_reader_opts *o,
    rl_arena *arena, rl_diag *d)
{
	rl_reader_opts vo;
	struct one one;
	struct rd r;
	int rc;

	memset(&vo, 0, sizeof(vo));
	if (o != NULL)
		vo = *o;
	vo.format = RL_FMT_VALUE;
	vo.next_arena = NULL;       /* one value, in the caller's arena */
	memset(&one, 0, sizeof(one));
	rd_init(&r, NULL, &vo, arena, keep_one, &one, NULL);
	r.reset = 0;
	rc = read_mem(&r, buf, len, 0);
	rd_free(&r);
	if (one.failed) {
		if (d != NULL)
			*d = one.diag;
		return NULL;
	}
	if (rc != RL_READ_OK || one.value == NULL) {
		/* out of memory: no record to tell it */
		if (d != NULL)
			*d = r.diag;
		return NULL;
	}
	return one.value;
}
