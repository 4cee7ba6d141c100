/*
 * fuzz_check.c: libFuzzer harness for the whole check pipeline: the reader
 * in every format, then validation of each record against the default
 * rules, then the accepted or rejected line.  Property: no crash, leak or
 * sanitizer report, and every record gets exactly one verdict.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "output.h"
#include "report.h"
#include "reader.h"
#include "rules.h"
#include "validate.h"

#ifndef RL_FUZZ_RULES
#define RL_FUZZ_RULES "rules"
#endif

static rl_rules *rules;

struct ctx {
	rl_arena *a;      /* the reader's: each record's arena */
	rl_check_opts opts;
	rl_buf out;
	unsigned long records, verdicts;
};

static int
on_record(void *vctx, const rl_record *rec)
{
	struct ctx *c = vctx;
	rl_result res;

	c->records++;
	memset(&res, 0, sizeof(res));
	if (rl_check_record(rules, c->a, rec, &c->opts, &res) == 0) {
		c->verdicts++;
		rl_buf_clear(&c->out);
		if (rl_result_accepted(&res))
			(void)rl_out_accepted(&c->out, &res);
		else
			(void)rl_out_rejected(&c->out, rec, &res);
		(void)rl_out_text(&c->out, rec, &res);
	}
	return 0;
}

static void
quiet(void *ctx, const rl_diag *d)
{
	(void)ctx;
	(void)d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const rl_format formats[] = { RL_FMT_AUTO, RL_FMT_NDJSON, RL_FMT_JSON };
	const char *dir = getenv("REFLINT_FUZZ_RULES");
	rl_reader_opts o;
	struct ctx c;
	rl_arena *a;

	if (size < 1)
		return 0;
	if (rules == NULL &&
	    (rules = rl_rules_load(dir ? dir : RL_FUZZ_RULES, quiet, NULL)) == NULL)
		abort();
	memset(&o, 0, sizeof(o));
	o.format = formats[data[0] % 3];
	o.max_depth = 64;
	o.max_record = 1 << 20;
	memset(&c, 0, sizeof(c));
	c.opts.now.sec = 1772928000;   /* 2026-03-08T00:00:00Z */
	if ((a = rl_arena_new(0)) == NULL)
		return 0;
	c.a = a;
	(void)rl_read_mem((const char *)data + 1, size - 1, "fuzz", &o, a,
	    on_record, &c, NULL);
	if (c.verdicts != c.records)
		abort();
	rl_buf_free(&c.out);
	rl_arena_free(a);
	return 0;
}
