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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "reader_int.h"

/* Note the first problem of the record; the driver acts on it. */
void
rl_rd_fail_at(struct rl_reader *r, rl_code code, const struct pos *at, const char *what)
{
	if (r->fail != RL_OK)
		return;
	r->fail = code;
	r->failpos = *at;
	r->failend = at->off + 1;
	/*
	 * r->fail keeps the record's first failure.  r->diag may still hold
	 * an earlier record's diagnostic or this record's duplicate-key note:
	 * a record that cannot be read is rejected for that, so it replaces
	 * the note.
	 */
	rl_diag_clear(&r->diag);
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

void
rl_rd_fail_i(struct rl_reader *r, rl_code code, size_t i, const char *what)
{
	struct pos at = pos_at(r, i);

	rl_rd_fail_at(r, code, &at, what);
}

/* Returns 0 so that rl_rd_callbacks can `return rl_rd_nomem(r)` to stop yajl. */
int
rl_rd_nomem(struct rl_reader *r)
{
	if (r->fail == RL_OK) {
		r->fail = RL_NOMEM;
		rl_diag_clear(&r->diag);        /* as in rl_rd_fail_at */
		rl_diag_set(&r->diag, RL_NOMEM, "out of memory");
		r->diag.source = r->name;
	}
	return 0;
}

void
rl_rd_fail_record_size(struct rl_reader *r)
{
	char what[64];

	snprintf(what, sizeof(what), "record longer than %zu bytes",
	    r->max_record);
	rl_rd_fail_at(r, RL_JSON_LIMIT, &r->start, what);
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
int
rl_rd_mem_check(struct rl_reader *r, size_t extra)
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
	rl_rd_fail_at(r, RL_JSON_LIMIT, &at, what);
	return -1;
}

/*
 * Look from p[i] for the first byte of the next record, without taking
 * anything: yajl still gets every byte, this only watches.  -1 when NDJSON
 * finds text after a line's value.
 */
int
rl_rd_seek(struct rl_reader *r, size_t i)
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
		rl_rd_fail_i(r, RL_JSON_SYNTAX, i, "unexpected text after the value");
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

static void
arena_reset(struct rl_reader *r)
{
	/* next_arena: earlier records' values may still be waiting there */
	if (!r->reset || r->next_arena != NULL)
		return;
	rl_arena_reset(r->arena);
	r->bump = r->bump_end = NULL;
}

static void
shrink_scratch(struct rl_reader *r)
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
emit(struct rl_reader *r, rl_value *v, const rl_diag *d, uint64_t end)
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
	if (stop == RL_RECORD_PAUSE) {
		/* a puller has its record: feeding ends with this segment */
		r->pause = 1;
		stop = 0;
	}
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
emit_failed(struct rl_reader *r, uint64_t end)
{
	if (!r->started)
		r->start = r->failpos;
	return emit(r, NULL, &r->diag, end);
}

static void
reset_structure(struct rl_reader *r)
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
begin_stream(struct rl_reader *r, size_t depth)
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
	rl_rd_seek(r, tok_end(r));
	return 0;
}

/*
 * A value begins at r->depth.  Returns 1 to build it (it is part of a
 * record, perhaps its first token), 0 to skip it (the other members of a
 * list page, or a streamed array), -1 to stop yajl.
 */
int
rl_rd_begin_value(struct rl_reader *r, int kind)
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
		/* rl_rd_seek() sees this first, except after a comment */
		off = tok_end(r);
		rl_rd_fail_i(r, RL_JSON_SYNTAX, off ? off - 1 : 0,
		    "more than one value on the line");
		return -1;
	}
	r->building = 1;
	r->membase = rl_arena_footprint(r->arena);
	r->level = r->depth;
	r->nfr = r->nent = r->counted = 0;
	r->candidate = kind == '{' && r->depth == 0 && streams(r);
	if (!r->started) {
		/* rl_rd_seek() finds it first; this is a safety net */
		off = tok_end(r);
		r->open = r->started = 1;
		r->start = pos_at(r, off ? off - 1 : 0);
	}
	return 1;
}

/* A record's value is complete. */
int
rl_rd_complete(struct rl_reader *r, rl_value *v, size_t off)
{
	uint64_t end = r->g + off;

	r->building = r->candidate = 0;
	if (end - r->start.off > r->max_record) {
		rl_rd_fail_record_size(r);
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
		return rl_rd_seek(r, off) == 0;
	case RL_FMT_VALUE:
		r->value = v;
		return 1;
	default:
		break;
	}
	/* yajl splits "01" or "1-2" into two top-level numbers */
	if (v->type == RL_NUMBER && r->level == 0 && off < r->lim &&
	    !is_ws(r->p[off])) {
		rl_rd_fail_i(r, RL_JSON_SYNTAX, off, "invalid number");
		return 0;
	}
	if (emit(r, v, r->dup ? &r->diag : NULL, end))
		return 0;
	r->seek = r->stream ? SEEK_ELEM : SEEK_TOP;
	r->comma = 1;
	rl_rd_seek(r, off);
	return 1;
}

/*
 * One piece, the whole or the rest of a segment: find where records begin,
 * cut it where a record would pass max_record or where an escape proves
 * lone, and give yajl what is left.  Returns the bytes taken: less than n
 * when a cut leaves bytes for another round.
 */
static size_t
piece(struct rl_reader *r, const unsigned char *p, size_t n)
{
	uint64_t limit_start = 0, limit;
	size_t k = n;
	int cut = 0;
	yajl_status st;

	begin_piece(r, p, n);
	if (r->seek != SEEK_NONE && rl_rd_seek(r, 0) == -1)
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
	k = rl_rd_prescan(r, k);
	r->lim = k;
	if (k > 0) {
		st = rl_rd_ycall(r, p, k);
		if (st != yajl_status_ok) {
			if (r->fail == RL_OK && !r->stopped)
				rl_rd_yajl_failed(r);
			return n;
		}
	}
	if (r->esc_lone) {
		rl_rd_fail_escape(r);
		return n;
	}
	if (cut && r->open && r->start.off == limit_start) {
		rl_rd_fail_record_size(r);
		return n;
	}
	return k;
}

/* Reading ends before the end of input: why, for the caller. */
static int
truncated(struct rl_reader *r, const rl_diag *why)
{
	if (rl_diag_wants(r->err)) {
		rl_diag_set(r->err, why->code,
		    "input could not be read to the end: %s", why->message);
		r->err->source = r->name;
		r->err->line = why->line;
		r->err->column = why->column;
	}
	return RL_READ_TRUNCATED;
}

static void
new_line(struct rl_reader *r)
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
after_piece(struct rl_reader *r)
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
		rl_rd_drop_handle(r);
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
end_line(struct rl_reader *r, uint64_t eol)
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
		rl_rd_fail_i(r, RL_JSON_SYNTAX, r->n > 0 ? r->n - 1 : 0,
		    r->n > 0 ? "unexpected end of line" :
		    "unexpected end of input");
		rl_rd_drop_handle(r);
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
end_of_piece(struct rl_reader *r)
{
	rl_rd_keep_escape(r);
	rl_rd_resolve_keys(r);
	rl_rd_after_member(r);
}

/* Bytes up to and including a newline, or up to the end of a chunk. */
static int
segment(struct rl_reader *r, const unsigned char *p, size_t n)
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

/*
 * Segment by segment; *taken says how far: all of it, or up to the end of
 * the segment in which a puller got its record (RL_RECORD_PAUSE).
 */
static int
segments(struct rl_reader *r, const unsigned char *p, size_t n, size_t *taken)
{
	const unsigned char *q;
	size_t k, done = 0;
	int rc = 0;

	while (done < n) {
		q = memchr(p + done, '\n', n - done);
		k = q != NULL ? (size_t)(q - p) + 1 - done : n - done;
		if ((rc = segment(r, p + done, k)) != 0)
			break;
		done += k;
		if (r->pause)
			break;
	}
	if (taken != NULL)
		*taken = done;
	return rc;
}

static const unsigned char bom[] = { 0xEF, 0xBB, 0xBF };

/* Bytes as read: a BOM at the very start is skipped. */
static int
chunk(struct rl_reader *r, const unsigned char *p, size_t n, size_t *taken)
{
	size_t k, skipped = 0;
	int rc;

	while (r->bom >= 0 && n > 0) {
		if (*p == bom[r->bom]) {
			p++;
			n--;
			skipped++;
			r->total++;
			if (++r->bom == 3)
				r->bom = -1;
			continue;
		}
		/* Not a BOM after all: yajl gets the bytes held back. */
		k = (size_t)r->bom;
		r->bom = -1;
		r->total -= k;
		/* a record here is queued by the puller: no pause */
		if (k > 0 && (rc = segments(r, bom, k, NULL)) != 0)
			return rc;
	}
	rc = segments(r, p, n, taken);
	if (taken != NULL)
		*taken += skipped;
	return rc;
}

/* All of (p, n), whatever a puller says. */
static int
chunk_all(struct rl_reader *r, const unsigned char *p, size_t n)
{
	size_t k;
	int rc;

	while (n > 0) {
		r->pause = 0;
		if ((rc = chunk(r, p, n, &k)) != 0)
			return rc;
		p += k;
		n -= k;
	}
	return 0;
}

/* The end of input. */
static int
finish(struct rl_reader *r)
{
	int busy, rc;
	size_t k;

	if (r->bom > 0) {
		k = (size_t)r->bom;
		r->bom = -1;
		r->total -= k;
		if ((rc = segments(r, bom, k, NULL)) != 0)
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
	if (busy && rl_rd_escape_pending(r))
		rl_rd_fail_escape(r);
	else if (busy && r->h != NULL &&
	    rl_rd_ycall(r, NULL, 0) != yajl_status_ok && r->fail == RL_OK &&
	    !r->stopped)
		rl_rd_yajl_failed(r);
	if ((rc = after_piece(r)) != 0)
		return rc;
	if (r->fmt == RL_FMT_VALUE) {
		if (r->value == NULL) {
			struct pos at = pos_at(r, 0);

			rl_rd_fail_at(r, RL_JSON_SYNTAX, &at, r->h == NULL ?
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

static void
rd_init(struct rl_reader *r, const char *name, const rl_reader_opts *o,
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
	r->line = o != NULL && o->first_line ? o->first_line : 1;
	r->col0 = 1;
	r->seek = SEEK_TOP;
	r->ls = LINE_START;
}

static void
rd_free(struct rl_reader *r)
{
	rl_rd_drop_handle(r);
	rl_rd_yajl_free_all(r);
	rl_free(r->ent);
	rl_free(r->fr);
	rl_buf_free(&r->tmp);
}

static int
read_mem(struct rl_reader *r, const char *buf, size_t len, size_t bufsize)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t k;
	int rc;

	if (bufsize == 0)
		bufsize = len;
	while (len > 0) {
		k = len < bufsize ? len : bufsize;
		if ((rc = chunk_all(r, p, k)) != 0)
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
	struct rl_reader r;
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
	struct rl_reader r;
	unsigned char *buf;
	ssize_t got;
	int rc = 0;

	rd_init(&r, name, o, arena, fn, ctx, err);
	if ((buf = rl_malloc(bufsize)) == NULL) {
		rl_rd_nomem(&r);
		rc = truncated(&r, &r.diag);
		rd_free(&r);
		return rc;
	}
	if (o != NULL && o->prefix != NULL) {
		/* in the same slices as read(2) would have given them */
		size_t at, k;

		for (at = 0; at < o->prefix_len && rc == 0; at += k) {
			k = o->prefix_len - at < bufsize ? o->prefix_len - at : bufsize;
			rc = chunk_all(&r, (const unsigned char *)o->prefix + at,
			    k);
		}
	}
	while (rc == 0) {
		got = read(fd, buf, bufsize);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			/* reading ends for this: it replaces a record's diag */
			rl_diag_clear(&r.diag);
			rl_diag_set(&r.diag, RL_IO_ERROR, "cannot read: %s",
			    strerror(errno));
			r.diag.source = name;
			rc = truncated(&r, &r.diag);
			break;
		}
		if (got == 0) {
			rc = finish(&r);
			break;
		}
		if ((rc = chunk_all(&r, buf, (size_t)got)) != 0)
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
	struct rl_reader r;
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
		if (rl_diag_wants(d))
			*d = one.diag;
		return NULL;
	}
	if (rc != RL_READ_OK || one.value == NULL) {
		/* out of memory: no record to tell it */
		if (rl_diag_wants(d))
			*d = r.diag;
		return NULL;
	}
	return one.value;
}

/* Incremental reading (reader.h) ---------------------------------------- */

rl_reader *
rl_reader_new(const char *name, const rl_reader_opts *o, rl_arena *arena,
    rl_record_fn fn, void *ctx, rl_diag *err)
{
	struct rl_reader *r;

	if ((r = rl_malloc(sizeof(*r))) == NULL)
		return NULL;
	rd_init(r, name, o, arena, fn, ctx, err);
	return r;
}

void
rl_reader_start_at(rl_reader *r, uint64_t offset, unsigned long line,
    unsigned long index)
{
	r->total = offset;
	r->line = line ? line : 1;
	r->index = index;
	/* a BOM is only at the very start of a file */
	if (offset > 0)
		r->bom = -1;
}

int
rl_reader_feed(rl_reader *r, const char *p, size_t n, size_t *taken)
{
	r->pause = 0;
	*taken = 0;
	if (n == 0)
		return 0;
	return chunk(r, (const unsigned char *)p, n, taken);
}

int
rl_reader_end(rl_reader *r)
{
	r->pause = 0;
	return finish(r);
}

int
rl_reader_idle(const rl_reader *r)
{
	return !r->building && r->value == NULL;
}

void
rl_reader_set_arena(rl_reader *r, rl_arena *a)
{
	if (a == r->arena)
		return;
	r->arena = a;
	r->bump = r->bump_end = NULL;
}

void
rl_reader_free(rl_reader *r)
{
	if (r == NULL)
		return;
	rd_free(r);
	rl_free(r);
}
