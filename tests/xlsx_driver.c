/*
 * xlsx_driver: judges real inputs into the xlsx sink, as the batch
 * processor will, for tests/xlsx.test (which reads the workbook back).
 *
 *   xlsx_driver RULES OUT.xlsx INPUT...
 *
 * An input whose name ends in ".csv" is read with the CSV reader, any other
 * as JSON records; each record is judged with rl_check_record (a CSV row's
 * cells that did not convert joined in front, as the batch does) and given
 * to the sink with its row, its input and csvmap's op-to-column map.  Exit
 * status 0, or 1 with a message when anything fails.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvmap.h"
#include "datetime.h"
#include "sink_xlsx.h"

struct run {
	const rl_rules *rules;
	rl_arena *a;
	rl_check_opts opts;
	rl_sink *sink;
	rl_sink_input in;
	rl_summary sum;
	char *header;               /* the current CSV input's header */
	int failed;
};

static void
die(const char *what, const rl_diag *d)
{
	fprintf(stderr, "xlsx_driver: %s: %s\n", what,
	    d != NULL ? rl_diag_message(d) : "failed");
	exit(1);
}

static void
count(struct run *r, const rl_result *res)
{
	size_t i;

	r->sum.read++;
	if (rl_result_accepted(res))
		r->sum.accepted++;
	else
		r->sum.rejected++;
	r->sum.errors += res->errors;
	r->sum.warnings += res->warnings;
	r->sum.infos += res->infos;
	for (i = 0; i < res->n; i++)
		if (res->d[i].code < RL_CODE_COUNT)
			r->sum.by_code[res->d[i].code]++;
}

static int
give(struct run *r, const rl_sink_record *sr)
{
	rl_diag err = RL_DIAG_INIT;

	if (r->sink->cls->record(r->sink, sr, &err) == -1)
		die("record", &err);
	return 0;
}

static int
csv_header(void *ctx, const rl_csv_header *h)
{
	struct run *r = ctx;

	free(r->header);
	if ((r->header = malloc(h->rawlen + 1)) == NULL)
		die("header", NULL);
	memcpy(r->header, h->raw, h->rawlen);
	r->in.csv = 1;
	r->in.header = r->header;
	r->in.header_len = h->rawlen;
	r->in.delimiter = h->delimiter;
	return 0;
}

static int
csv_record(void *ctx, const rl_csv_record *cr)
{
	struct run *r = ctx;
	rl_sink_record sr;
	rl_result res;

	memset(&res, 0, sizeof(res));
	if (rl_check_record(r->rules, r->a, &cr->rec, &r->opts, &res) == -1 ||
	    (cr->nconv > 0 && rl_csv_add_diags(r->rules, r->a, &r->opts, &res,
	    cr->conv, cr->nconv) == -1))
		die("judge", NULL);
	count(r, &res);
	memset(&sr, 0, sizeof(sr));
	sr.input = &r->in;
	sr.rec = &cr->rec;
	sr.res = &res;
	sr.accepted = rl_result_accepted(&res);
	sr.row = cr->raw;
	sr.row_len = cr->rawlen;
	sr.row_number = cr->row;
	sr.op_column = cr->op_column;
	sr.nops = cr->nops;
	return give(r, &sr);
}

static int
json_record(void *ctx, const rl_record *rec)
{
	struct run *r = ctx;
	rl_sink_record sr;
	rl_result res;

	memset(&res, 0, sizeof(res));
	if (rl_check_record(r->rules, r->a, rec, &r->opts, &res) == -1)
		die("judge", NULL);
	count(r, &res);
	memset(&sr, 0, sizeof(sr));
	sr.input = &r->in;
	sr.rec = rec;
	sr.res = &res;
	sr.accepted = rl_result_accepted(&res);
	give(r, &sr);
	rl_arena_reset(r->a);
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (n + 4096 > cap) {
			cap = cap * 2 + 4096;
			if ((buf = realloc(buf, cap)) == NULL)
				die("read", NULL);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

static void
rules_error(void *ctx, const rl_diag *d)
{
	(void)ctx;
	die("rules", d);
}

int
main(int argc, char **argv)
{
	static const rl_csv_callbacks cbs = { .header = csv_header,
	    .record = csv_record };
	struct run r;
	rl_rules *rules;
	rl_diag err = RL_DIAG_INIT;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: xlsx_driver RULES OUT.xlsx INPUT...\n");
		return 2;
	}
	memset(&r, 0, sizeof(r));
	if ((rules = rl_rules_load(argv[1], rules_error, NULL)) == NULL)
		die("rules", NULL);
	r.rules = rules;
	if ((r.a = rl_arena_new(0)) == NULL ||
	    rl_datetime_parse("2026-06-01T00:00:00Z", 20, &r.opts.now) != 0)
		die("setup", NULL);
	/* as rl_sink_new will: the class's state, zeroed, its base filled */
	if ((r.sink = calloc(1, rl_sink_xlsx.size)) == NULL)
		die("setup", NULL);
	r.sink->cls = &rl_sink_xlsx;
	r.sink->path = argv[2];
	if (r.sink->cls->begin(r.sink, &err) == -1)
		die("begin", &err);
	for (i = 3; i < argc; i++) {
		size_t len, n = strlen(argv[i]);
		char *buf = slurp(argv[i], &len);
		int rc;

		if (buf == NULL)
			die(argv[i], NULL);
		memset(&r.in, 0, sizeof(r.in));
		r.in.name = argv[i];
		r.in.ordinal = (unsigned long)(i - 2);
		r.in.encoding = "utf-8";
		if (n > 4 && strcmp(argv[i] + n - 4, ".csv") == 0)
			rc = rl_csv_read_mem(buf, len, argv[i], rules, NULL, r.a, &cbs,
			    &r, &err);
		else
			rc = rl_read_mem(buf, len, argv[i], NULL, r.a, json_record, &r,
			    &err);
		if (rc != RL_READ_OK)
			die(argv[i], &err);
		if (r.sink->cls->input_end(r.sink, &r.in, &err) == -1)
			die("input_end", &err);
		free(buf);
	}
	if (r.sink->cls->end(r.sink, &r.sum, &err) == -1)
		die("end", &err);
	r.sink->cls->fini(r.sink);
	free(r.sink);
	free(r.header);
	rl_arena_free(r.a);
	rl_rules_free(rules);
	return 0;
}
