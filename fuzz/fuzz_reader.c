/*
 * fuzz_reader.c: libFuzzer harness for the record reader and the
 * serializer.  Property: every record the reader builds serializes to JSON
 * that parses back to an equal value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "json.h"
#include "reader.h"

struct ctx {
	rl_arena *scratch;
	rl_buf out;
};

static int
on_record(void *vctx, const rl_record *rec)
{
	struct ctx *c = vctx;
	rl_value *back;
	rl_diag d;

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
	rl_diag err;

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
	if (a != NULL && c.scratch != NULL)
		(void)rl_read_mem((const char *)data + 1, size - 1, "fuzz", &o,
		    a, on_record, &c, &err);
	rl_buf_free(&c.out);
	rl_arena_free(c.scratch);
	rl_arena_free(a);
	return 0;
}
