/*
 * source_json.c: JSON and NDJSON inputs as a source (source_int.h), over
 * the incremental reader (reader.h).  Each record is queued as it
 * completes; the reader pauses at the end of that line, so that NDJSON
 * records are built straight in the caller's arena.
 */
#include "config.h"

#include <string.h>

#include "source_int.h"

static int
on_record(void *ctx, const rl_record *rec)
{
	rl_source *s = ctx;
	rl_source_item it;
	rl_diag *d;

	it.kind = RL_ITEM_RECORD;
	it.rec = *rec;
	if (rec->diag != NULL) {
		/* the reader's diagnostic changes with the next record */
		if ((d = rl_arena_alloc(rl_source_build_arena(s),
		    sizeof(*d))) == NULL) {
			s->nomem = 1;
			return 1;
		}
		*d = *rec->diag;
		it.rec.diag = d;
	}
	if (rl_source_push(s, &it) == -1)
		return 1;
	return RL_RECORD_PAUSE;
}

static int
sniff(const rl_source *s, const char *buf, size_t len, int eof)
{
	(void)s;
	(void)buf;
	(void)len;
	(void)eof;
	return 1;                   /* the last row: whatever is left */
}

static int
open_json(rl_source *s)
{
	rl_reader *r;

	s->o.ro.next_arena = rl_source_next_arena;
	s->o.ro.prefix = NULL;
	s->o.ro.prefix_len = 0;
	if ((r = rl_reader_new(s->name, &s->o.ro, s->build, on_record, s,
	    &s->err)) == NULL) {
		rl_diag_set(&s->err, RL_NOMEM, "out of memory");
		return -1;
	}
	rl_reader_start_at(r, s->o.offset, s->o.line, s->o.records);
	s->parser = r;
	return 0;
}

static int
feed(rl_source *s, const char *p, size_t n, size_t *taken)
{
	return rl_reader_feed(s->parser, p, n, taken);
}

static int
end(rl_source *s)
{
	return rl_reader_end(s->parser);
}

static int
idle(const rl_source *s)
{
	return rl_reader_idle(s->parser);
}

static void
set_arena(rl_source *s, rl_arena *a)
{
	rl_reader_set_arena(s->parser, a);
}

static int
close_json(rl_source *s)
{
	rl_reader_free(s->parser);
	s->parser = NULL;
	return RL_READ_OK;
}

const struct rl_source_format rl_source_json = {
	.name = "json",
	.sniff = sniff,
	.open = open_json,
	.feed = feed,
	.end = end,
	.idle = idle,
	.set_arena = set_arena,
	.close = close_json,
};
