/*
 * fuzz_csv.c: libFuzzer harness for the CSV reader: the syntax layer
 * (csv.h) and the mapping of rows to patch-only records (csvmap.h), each
 * record then judged and written as the check pipeline does.  The first
 * byte picks the delimiter (detected, ',', ';' or tab).  Properties: no
 * crash, leak or sanitizer report; every field is NUL-terminated; data rows
 * are numbered 1, 2, ... without gaps; with a given delimiter the mapper
 * delivers as many records as the syntax layer delivers data rows; and
 * every record gets exactly one verdict.  A row of a profile with "add"
 * (the deal-registration sheet, chosen by its header) is judged paired
 * with a won referral, so that the registration's checks run, and each
 * diagnostic's column (rl_csv_diag_column) is a field of the row or -1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "csv.h"
#include "csvmap.h"
#include "output.h"
#include "report.h"
#include "reader.h"
#include "rules.h"
#include "validate.h"

#ifndef RL_FUZZ_RULES
#define RL_FUZZ_RULES "rules"
#endif

static rl_rules *rules;

struct syn {
	unsigned long rows;       /* data rows */
	int header_seen;
};

static int
on_row(void *vctx, const rl_csv_row *r)
{
	struct syn *s = vctx;
	size_t i;

	if (r->header) {
		if (s->header_seen || r->index != 0)
			abort();
		s->header_seen = 1;
	} else {
		if (r->index != s->rows + 1)
			abort();
		s->rows++;
	}
	if (r->rawlen > 0 && r->raw == NULL)
		abort();
	for (i = 0; i < r->n; i++)
		if (r->f[i].s == NULL || r->f[i].s[r->f[i].len] != '\0')
			abort();
	return 0;
}

struct map {
	rl_arena *a;
	rl_check_opts opts;
	rl_value *referral;
	rl_value *won;            /* for registrations */
	rl_buf out;
	unsigned long records, verdicts;
};

static int
on_record(void *vctx, const rl_csv_record *cr)
{
	struct map *m = vctx;
	rl_result res;
	rl_diag note;

	rl_record rec = cr->rec;
	size_t i;

	m->records++;
	if (cr->rec.value != NULL && m->referral != NULL && cr->members == NULL)
		(void)rl_csv_unchanged(rules, m->referral, cr->rec.value,
		    cr->op_column, &note);
	if (cr->members != NULL && cr->rec.value != NULL && m->won != NULL &&
	    cr->rec.diag == NULL) {
		/* the check may edit the referral: a copy of its own */
		rl_value *p = rl_json_object(m->a, 2);
		rl_value *patch = rl_json_get(cr->rec.value, "patch");
		rl_value *ref = rl_json_copy(m->a, m->won);

		if (p == NULL || patch == NULL || ref == NULL ||
		    rl_json_object_insert(m->a, p, 0, "referral", 8, ref) == -1 ||
		    rl_json_object_insert(m->a, p, 1, "patch", 5,
		    patch) == -1)
			return 0;
		rec.value = p;
	}
	memset(&res, 0, sizeof(res));
	if (rl_check_record(rules, m->a, &rec, &m->opts, &res) == 0) {
		for (i = 0; i < res.n; i++) {
			long field;
			const char *h;

			if (rl_csv_diag_column(cr, &res.d[i], &field, &h) &&
			    (h == NULL || field < -1))
				abort();
		}
		if (cr->nconv > 0 &&
		    rl_csv_add_diags(rules, m->a, &m->opts, &res, cr->conv,
		    cr->nconv) == -1)
			return 0;
		m->verdicts++;
		rl_buf_clear(&m->out);
		if (rl_result_accepted(&res))
			(void)rl_out_accepted(&m->out, &res);
		else
			(void)rl_out_rejected(&m->out, &cr->rec, &res);
		(void)rl_out_text(&m->out, &cr->rec, &res);
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
	static const char delims[] = { 0, ',', ';', '\t' };
	static const char referral[] =
	    "{\"id\":\"r1\",\"name\":\"Deal\",\"status\":\"Active\","
	    "\"substatus\":\"Accepted\",\"details\":{\"dealValue\":100,"
	    "\"currency\":\"USD\",\"closingDateTime\":\"2026-05-01T00:00:00Z\"},"
	    "\"notes\":\"x\",\"externalReferenceId\":\"c1\"}";
	static const char won[] =
	    "{\"id\":\"r2\",\"name\":\"Deal\",\"status\":\"Closed\","
	    "\"substatus\":\"Won\",\"createdDateTime\":\"2025-11-03T09:00:00Z\","
	    "\"details\":{\"dealValue\":30000,\"currency\":\"USD\","
	    "\"requirements\":{\"solutions\":[{\"id\":\"SOL-34104-EBB\"}]}}}";
	const char *dir = getenv("REFLINT_FUZZ_RULES");
	rl_csv_callbacks cb = { .header = NULL, .record = on_record };
	rl_csv_opts o;
	struct syn s;
	struct map m;
	rl_arena *ra;
	rl_diag err = RL_DIAG_INIT;
	int rc1, rc2;

	if (size < 1)
		return 0;
	if (rules == NULL &&
	    (rules = rl_rules_load(dir ? dir : RL_FUZZ_RULES, quiet, NULL)) == NULL)
		abort();
	memset(&o, 0, sizeof(o));
	o.delimiter = delims[data[0] & 3];
	o.max_field = 4096;
	o.max_row = 1 << 16;
	data++;
	size--;

	memset(&s, 0, sizeof(s));
	rc1 = rl_csv_parse_mem((const char *)data, size, "fuzz", &o, on_row, &s,
	    &err);

	memset(&m, 0, sizeof(m));
	m.opts.now.sec = 1772928000;   /* 2026-03-08T00:00:00Z */
	if ((m.a = rl_arena_new(0)) == NULL || (ra = rl_arena_new(0)) == NULL) {
		rl_arena_free(m.a);
		return 0;
	}
	m.referral = rl_parse_value(referral, sizeof(referral) - 1, NULL, ra, NULL);
	m.won = rl_parse_value(won, sizeof(won) - 1, NULL, ra, NULL);
	rc2 = rl_csv_read_mem((const char *)data, size, "fuzz", rules, &o, m.a,
	    &cb, &m, &err);
	if (m.verdicts != m.records)
		abort();
	/*
	 * With the delimiter given, the mapper sees the rows the syntax layer
	 * sees.  (When it is detected, the mapper's choice also weighs known
	 * column names, so the two may split the same bytes differently.)
	 */
	if (o.delimiter != 0 && rc1 == RL_READ_OK && rc2 == RL_READ_OK &&
	    m.records != s.rows)
		abort();
	rl_buf_free(&m.out);
	rl_arena_free(ra);
	rl_arena_free(m.a);
	return 0;
}
