/*
 * fuzz_reader.c: libFuzzer harness for the record reader and the
 * serializer.  Properties: every record the reader builds serializes to JSON
 * that parses back to an equal value; and pulling the records through a
 * source (source.h), with a small read size, gives the same records and
 * diagnostics, positions included, as the reader pushing them, except
 * that a source refuses as a whole a file that starts like a workbook or a
 * compressed file (io-error), which the reader reads as lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "json.h"
#include "reader.h"
#include "source.h"

struct ctx {
	rl_arena *scratch;
	rl_buf out;
	rl_buf log;              /* every record, for the pull to match */
};

static void
log_record(rl_buf *log, const rl_record *rec)
{
	(void)rl_buf_printf(log, "%lu %lu:%lu %llu+%llu ", rec->index,
	    rec->line, rec->column, (unsigned long long)rec->offset,
	    (unsigned long long)rec->length);
	if (rec->value != NULL)
		(void)rl_json_serialize(log, rec->value);
	if (rec->diag != NULL)
		(void)rl_buf_printf(log, " %d@%lu:%lu", (int)rec->diag->code,
		    rec->diag->line, rec->diag->column);
	(void)rl_buf_putc(log, '\n');
}

/*
 * The records pulled from a source, each in an arena of its own: 0, or 1
 * when the source refused the input as a whole (nothing to compare).
 */
static int
pull(const char *in, size_t len, const rl_reader_opts *o, size_t bufsize,
    rl_buf *log)
{
	rl_source_opts so;
	rl_source_item it;
	rl_source *s;
	rl_arena *a;
	rl_diag err = RL_DIAG_INIT;

	memset(&so, 0, sizeof(so));
	so.kind = RL_SOURCE_JSON;
	so.ro = *o;
	so.ro.bufsize = bufsize;
	if ((s = rl_source_open_mem(in, len, "fuzz", &so, &err)) == NULL) {
		if (err.code != RL_IO_ERROR)
			abort();
		return 1;
	}
	for (;;) {
		if ((a = rl_arena_new(0)) == NULL)
			abort();
		if (!rl_source_next(s, a, &it)) {
			rl_arena_free(a);
			break;
		}
		log_record(log, &it.rec);
		rl_arena_free(a);
	}
	(void)rl_buf_printf(log, "rc=%d\n", rl_source_status(s, NULL));
	rl_source_close(s);
	return 0;
}

static int
on_record(void *vctx, const rl_record *rec)
{
	struct ctx *c = vctx;
	rl_value *back;
	rl_diag d = RL_DIAG_INIT;

	log_record(&c->log, rec);
	if (rec->value == NULL)
		return 0;
	rl_buf_clear(&c->out);
	if (rl_json_serialize(&c->out, rec->value) == -1)
		abort();
	back = rl_parse_value(c->out.data, c->out.len, NULL, c->scratch, &d);
	/* A duplicate key survives serialization, and is found again. */
	if (back == NULL && d.code != RL_JSON_DUPLICATE_KEY)
		abort();
	if (back != NULL && !rl_json_equal(rec->value, back))
		abort();
	rl_arena_reset(c->scratch);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const rl_format formats[] = {
		RL_FMT_AUTO, RL_FMT_NDJSON, RL_FMT_JSON, RL_FMT_VALUE
	};
	rl_reader_opts o;
	struct ctx c;
	rl_arena *a;
	rl_diag err = RL_DIAG_INIT;
	rl_buf log = RL_BUF_INIT;
	int rc;

	if (size < 1)
		return 0;
	memset(&o, 0, sizeof(o));
	o.format = formats[data[0] & 3];
	o.max_depth = 64;
	o.max_record = 1 << 20;
	o.max_string = 1 << 16;
	a = rl_arena_new(0);
	c.scratch = rl_arena_new(0);
	c.out = (rl_buf)RL_BUF_INIT;
	c.log = (rl_buf)RL_BUF_INIT;
	if (a != NULL && c.scratch != NULL) {
		rc = rl_read_mem((const char *)data + 1, size - 1, "fuzz", &o,
		    a, on_record, &c, &err);
		(void)rl_buf_printf(&c.log, "rc=%d\n", rc);
		if (pull((const char *)data + 1, size - 1, &o,
		    (size_t)(data[0] >> 2 & 15) + 1, &log) == 0 &&
		    (log.len != c.log.len ||
		    memcmp(log.data, c.log.data, log.len) != 0))
			abort();
	}
	rl_buf_free(&log);
	rl_buf_free(&c.log);
	rl_buf_free(&c.out);
	rl_arena_free(c.scratch);
	rl_arena_free(a);
	return 0;
}
