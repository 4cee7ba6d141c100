/*
 * source_csv.c: spreadsheets as a source (source_int.h), over the
 * incremental CSV reader and its column mapping (csvmap.h).  The header
 * and each row are queued as they complete; the parser pauses after each
 * row, so that rows are built straight in the caller's arena.
 */
#include "config.h"

#include <string.h>

#include "source_int.h"

/* A copy in the arena of what the parser reuses for the next row. */
static void *
keep(rl_source *s, const void *p, size_t n)
{
	void *d;

	if (n == 0)
		return NULL;
	if ((d = rl_arena_alloc(rl_source_build_arena(s), n)) == NULL) {
		s->nomem = 1;
		return NULL;
	}
	memcpy(d, p, n);
	return d;
}

static int
on_header(void *ctx, const rl_csv_header *h)
{
	rl_source *s = ctx;
	rl_source_item it;

	memset(&it, 0, sizeof(it));
	it.kind = RL_ITEM_HEADER;
	it.header = *h;
	it.header.raw = keep(s, h->raw, h->rawlen);
	if (h->note != NULL)
		it.header.note = keep(s, h->note, sizeof(*h->note));
	if (s->nomem)
		return 1;
	if (it.header.raw == NULL)
		it.header.raw = "";
	return rl_source_push(s, &it) == -1 ? 1 : RL_RECORD_PAUSE;
}

static int
on_row(void *ctx, const rl_csv_record *r)
{
	rl_source *s = ctx;
	rl_source_item it;

	memset(&it, 0, sizeof(it));
	it.kind = RL_ITEM_ROW;
	it.row = *r;
	it.row.raw = keep(s, r->raw, r->rawlen);
	it.row.conv = keep(s, r->conv, r->nconv * sizeof(*r->conv));
	if (r->rec.diag != NULL)
		it.row.rec.diag = keep(s, r->rec.diag, sizeof(*r->rec.diag));
	if (s->nomem)
		return 1;
	if (it.row.raw == NULL)
		it.row.raw = "";
	it.rec = it.row.rec;
	return rl_source_push(s, &it) == -1 ? 1 : RL_RECORD_PAUSE;
}

static const rl_csv_callbacks cbs = {
	.header = on_header,
	.record = on_row,
	.next_arena = rl_source_next_arena,
};

/* --input-format csv, a ".csv" name, or a first line naming a column. */
static int
sniff(const rl_source *s, const char *buf, size_t len, int eof)
{
	size_t n = s->name != NULL ? strlen(s->name) : 0;

	if (n >= 4 && rl_ascii_caseeq(s->name + n - 4, 4, ".csv", 4))
		return 1;
	if (s->o.ro.format != RL_FMT_AUTO || s->o.rules == NULL)
		return 0;
	if (len >= RL_CSV_SNIFF_MAX)
		eof = 1;
	return rl_csv_sniff(s->o.rules, buf != NULL ? buf : "", len, eof);
}

static int
open_csv(rl_source *s)
{
	rl_csv_reader *cr;

	s->o.co.prefix = NULL;
	s->o.co.prefix_len = 0;
	if (s->o.co.bufsize == 0)
		s->o.co.bufsize = s->o.ro.bufsize;
	if ((cr = rl_csv_reader_new(s->name, s->o.rules, &s->o.co, s->build,
	    &cbs, s, &s->err)) == NULL)
		return -1;
	s->parser = cr;
	/* the header reads the dates of a whole input ahead, not a range */
	rl_csv_reader_set_input(cr, s->dec, rl_source_can_reread(s) ?
	    rl_source_reread : NULL, s);
	rl_csv_reader_start_at(cr, s->o.offset, s->o.line, s->o.rows,
	    s->o.records);
	if (s->o.header_of != NULL &&
	    (s->o.header_of->fmt != &rl_source_csv ||
	    s->o.header_of->parser == NULL ||
	    rl_csv_reader_follow(cr, s->o.header_of->parser) == -1)) {
		rl_diag_set(&s->err, RL_CSV_SYNTAX,
		    "a range of a spreadsheet needs its header, which was not read");
		s->err.source = s->name;
		return -1;
	}
	return 0;
}

static int
feed(rl_source *s, const char *p, size_t n, size_t *taken)
{
	return rl_csv_reader_feed(s->parser, p, n, taken);
}

static int
end(rl_source *s)
{
	return rl_csv_reader_end(s->parser);
}

static int
idle(const rl_source *s)
{
	(void)s;
	return 1;                   /* a row is built when it has ended */
}

static void
set_arena(rl_source *s, rl_arena *a)
{
	rl_csv_reader_set_arena(s->parser, a);
}

static int
position(const rl_source *s, rl_source_pos *pos)
{
	return rl_csv_reader_position(s->parser, &pos->offset, &pos->line,
	    &pos->rows, &pos->records);
}

static int
close_csv(rl_source *s)
{
	int rc = rl_csv_reader_free(s->parser);

	s->parser = NULL;
	return rc;
}

const struct rl_source_format rl_source_csv = {
	.name = "csv",
	.sniff = sniff,
	.open = open_csv,
	.feed = feed,
	.end = end,
	.idle = idle,
	.set_arena = set_arena,
	.close = close_csv,
	.position = position,
};
