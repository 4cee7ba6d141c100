/*
 * check_sink.c: the sink interface (sink.h) as the batch processor drives
 * it: the table of report formats, every sink getting the same calls in
 * input order (begin, a record for each record read and each note,
 * input_end, end), and what each writer that is not a report leaves out.
 * The sinks write to buffers of their own (no output file).
 */
#include "config.h"

#include <stdio.h>

#include "batch.h"
#include "output.h"
#include "policies.h"
#include "sink.h"
#include "tests.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static rl_rules *R;

/* A sink that writes down every call it gets, one token each. */
struct recorder {
	rl_sink base;
	rl_buf lines;               /* the accepted lines it was given */
};

static int
rec_begin(rl_sink *s, rl_diag *err)
{
	(void)err;
	return rl_buf_puts(rl_sink_buf(s), "begin;");
}

static int
rec_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	struct recorder *k = (struct recorder *)s;
	rl_buf *b = rl_sink_buf(s);

	(void)err;
	ck_assert_ptr_nonnull(r->input);
	ck_assert_ptr_nonnull(r->res);
	if (r->note)
		return rl_buf_printf(b, "note %s:%lu;", r->rec->source,
		    r->rec->line);
	/* a line exactly when accepted (check) */
	ck_assert_int_eq(r->accepted, r->line != NULL);
	if (r->line != NULL)
		ck_assert_int_eq(rl_buf_append(&k->lines, r->line, r->line_len), 0);
	return rl_buf_printf(b, "%s %lu %s%s;", r->input->name, r->rec->index,
	    r->accepted ? "accepted" : "rejected", r->row != NULL ? " row" : "");
}

static int
rec_input_end(rl_sink *s, const rl_sink_input *in, rl_diag *err)
{
	(void)err;
	return rl_buf_printf(rl_sink_buf(s), "end of %lu %s%s;", in->ordinal,
	    in->name, in->csv && in->header != NULL ? " csv" : "");
}

static int
rec_end(rl_sink *s, const rl_summary *sum, rl_diag *err)
{
	(void)err;
	return rl_buf_printf(rl_sink_buf(s), "end %lu/%lu/%lu", sum->read,
	    sum->accepted, sum->rejected);
}

static void
rec_fini(rl_sink *s)
{
	rl_buf_free(&((struct recorder *)s)->lines);
}

static const rl_sink_class recorder = {
	.name = "recorder",
	.size = sizeof(struct recorder),
	.begin = rec_begin,
	.record = rec_record,
	.input_end = rec_input_end,
	.end = rec_end,
	.fini = rec_fini,
};

static char *
path_of(const char *rel)
{
	const char *top = getenv("top_srcdir");
	static char path[4][1024];
	static int k;
	char *p = path[k++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", top ? top : ".", rel);
	return p;
}

/* The sinks' buffers as strings. */
static const char *
str(rl_sink *s)
{
	const char *t = rl_buf_cstr(rl_sink_buf(s));

	ck_assert_ptr_nonnull(t);
	return t;
}

static size_t
lines(const char *t)
{
	size_t n = 0;

	for (; *t != '\0'; t++)
		n += *t == '\n';
	return n;
}

enum { REC1, ACC, REJ, TEXT, REC2, NSINKS };

/* One run of check over the inputs, with threads; the sinks stay. */
static void
run(rl_sink **s, const char *const *inputs, size_t n, int threads)
{
	rl_check_opts co = { .now = { .sec = 1772323200 } };  /* 2026-03-01 */
	rl_batch_opts o;
	rl_batch_out out = { s, NSINKS };
	rl_batch *b;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.mode = RL_BATCH_CHECK;
	o.check = &co;
	o.threads = threads;
	s[REC1] = rl_sink_new(&recorder, NULL, NULL, 0);
	s[ACC] = rl_sink_new(&rl_sink_accepted, NULL, NULL, 0);
	s[REJ] = rl_sink_new(&rl_sink_rejected, NULL, NULL, 0);
	s[TEXT] = rl_sink_new(rl_sink_report("text", 4), NULL, NULL, 0);
	s[REC2] = rl_sink_new(&recorder, NULL, NULL, 0);
	for (i = 0; i < NSINKS; i++)
		ck_assert_ptr_nonnull(s[i]);
	ck_assert_ptr_nonnull(b = rl_batch_new(R, &o, &out));
	rl_batch_begin(b);
	for (i = 0; i < n; i++)
		rl_batch_input(b, inputs[i]);
	ck_assert_int_eq(rl_batch_end(b) & (RL_BATCH_IO | RL_BATCH_NOMEM), 0);
	rl_batch_free(b);
}

static void
free_all(rl_sink **s)
{
	size_t i;

	for (i = 0; i < NSINKS; i++)
		rl_sink_free(s[i]);
}

/* the table ------------------------------------------------------------- */

START_TEST(table_rows)
{
	const rl_sink_class *c, *d;
	size_t i, j;

	for (i = 0; (c = rl_sink_report_at(i)) != NULL; i++) {
		ck_assert_ptr_nonnull(c->name);
		ck_assert_ptr_eq(rl_sink_report(c->name, strlen(c->name)), c);
		ck_assert(c->traits & RL_SINK_REPORT);
		ck_assert_uint_ge(c->size, sizeof(rl_sink));
		for (j = 0; j < i; j++) {
			d = rl_sink_report_at(j);
			ck_assert_str_ne(c->name, d->name);
		}
	}
	ck_assert_uint_eq(i, 6);
	ck_assert_ptr_null(rl_sink_report("summary", 7));
	ck_assert_ptr_null(rl_sink_report("tex", 3));
	rl_sink_free(NULL);
}
END_TEST

/* the fan-out ----------------------------------------------------------- */

/* check-transition: the first record is rejected, the second passes. */
#define TRANSITION "testdata/cases/check-transition/input.ndjson"

START_TEST(fanout_in_order)
{
	const char *in[] = { path_of(TRANSITION), path_of(TRANSITION) };
	char want[1024];
	rl_sink *s[NSINKS];

	run(s, in, N(in), _i + 1);
	snprintf(want, sizeof(want), "begin;"
	    "%s 1 rejected;%s 2 accepted;end of 1 %s;"
	    "%s 1 rejected;%s 2 accepted;end of 2 %s;end 4/2/2",
	    in[0], in[0], in[0], in[1], in[1], in[1]);
	ck_assert_str_eq(str(s[REC1]), want);
	/* every sink gets the same calls */
	ck_assert_str_eq(str(s[REC2]), want);
	/* the accepted sink writes the lines every sink was given */
	ck_assert_str_eq(str(s[ACC]),
	    rl_buf_cstr(&((struct recorder *)s[REC1])->lines));
	ck_assert_uint_gt(rl_sink_buf(s[ACC])->len, 0);
	/* one rejected line per rejected record, and its text lines */
	ck_assert_ptr_nonnull(strstr(str(s[REJ]), "\"transition\""));
	ck_assert_uint_eq(lines(str(s[REJ])), 2);
	ck_assert_ptr_nonnull(strstr(str(s[TEXT]), "[transition]"));
	free_all(s);
}
END_TEST

/*
 * A CSV header with ignored columns is a note: the reports write it, the
 * line writers do not; the rows carry their bytes; input_end sees the
 * header.
 */
START_TEST(fanout_csv_note)
{
	const char *in[] = {
		path_of("testdata/cases/csv-column-ignored/first.csv")
	};
	rl_sink *s[NSINKS];
	const char *t;

	run(s, in, N(in), _i + 1);
	t = str(s[REC1]);
	ck_assert_msg(strncmp(t, "begin;note ", 11) == 0, "%s", t);
	ck_assert_ptr_nonnull(strstr(t, " row;"));
	ck_assert_ptr_nonnull(strstr(t, "end of 1 "));
	ck_assert_ptr_nonnull(strstr(t, ".csv csv;end "));
	ck_assert_str_eq(str(s[REC2]), t);
	ck_assert_ptr_null(strstr(str(s[ACC]), "csv-column-ignored"));
	ck_assert_ptr_null(strstr(str(s[REJ]), "csv-column-ignored"));
	ck_assert_ptr_nonnull(strstr(str(s[TEXT]), "[csv-column-ignored]"));
	free_all(s);
}
END_TEST

/* what each line writer leaves out -------------------------------------- */

static const rl_sink_class *const writers[] = {
	&rl_sink_accepted, &rl_sink_rejected, &rl_sink_tagged,
	&rl_sink_tagged_eligibility, &rl_sink_eligibility, &rl_sink_summary,
};

/* A note is for the reports: no line writer writes it. */
START_TEST(writers_skip_notes)
{
	rl_record rec = { .source = "a.csv", .line = 1, .index = 0 };
	rl_diag d = RL_DIAG_INIT;
	rl_result res;
	rl_sink_input in = { .name = "a.csv", .ordinal = 1, .csv = 1 };
	rl_sink_record r = { .input = &in, .rec = &rec, .res = &res,
	    .note = 1 };
	rl_sink *s = rl_sink_new(writers[_i], NULL, NULL, 0);

	memset(&res, 0, sizeof(res));
	memset(&d, 0, sizeof(d));
	rl_diag_set(&d, RL_CSV_COLUMN_IGNORED, "columns ignored: unknown \"X\"");
	d.severity = RL_SEV_INFO;
	d.op = -1;
	res.d = &d;
	res.n = res.cap = 1;
	res.infos = 1;
	res.worst = RL_SEV_INFO;
	ck_assert_ptr_nonnull(s);
	if (s->cls->record != NULL)
		ck_assert_int_eq(s->cls->record(s, &r, NULL), 0);
	ck_assert_uint_eq(rl_sink_buf(s)->len, 0);
	rl_sink_free(s);
}
END_TEST

/* accepted and rejected each write only their own verdict. */
START_TEST(writers_by_verdict)
{
	rl_record rec = { .source = "a.ndjson", .line = 3, .index = 2 };
	rl_result res;
	rl_sink_record r = { .rec = &rec, .res = &res };
	rl_sink *acc = rl_sink_new(&rl_sink_accepted, NULL, NULL, 0);
	rl_sink *rej = rl_sink_new(&rl_sink_rejected, NULL, NULL, 0);

	memset(&res, 0, sizeof(res));
	r.accepted = 1;
	r.line = "{\"id\":null,\"patch\":[]}\n";
	r.line_len = strlen(r.line);
	ck_assert_int_eq(acc->cls->record(acc, &r, NULL), 0);
	ck_assert_int_eq(rej->cls->record(rej, &r, NULL), 0);
	ck_assert_str_eq(str(acc), r.line);
	ck_assert_uint_eq(rl_sink_buf(rej)->len, 0);
	r.accepted = 0;
	r.line = NULL;
	r.line_len = 0;
	ck_assert_int_eq(acc->cls->record(acc, &r, NULL), 0);
	ck_assert_int_eq(rej->cls->record(rej, &r, NULL), 0);
	ck_assert_str_eq(str(acc), "{\"id\":null,\"patch\":[]}\n");
	ck_assert_str_eq(str(rej), "{\"id\":null,\"source\":{\"file\":"
	    "\"a.ndjson\",\"line\":3,\"record\":2},\"errors\":[]}\n");
	rl_sink_free(acc);
	rl_sink_free(rej);
}
END_TEST

/* The summary sink writes the JSON object and a newline at end. */
START_TEST(summary_at_end)
{
	rl_summary sum;
	rl_buf want = RL_BUF_INIT;
	rl_sink *s = rl_sink_new(&rl_sink_summary, NULL, NULL, 0);

	memset(&sum, 0, sizeof(sum));
	sum.read = 3;
	sum.accepted = 2;
	sum.rejected = 1;
	ck_assert_int_eq(rl_summary_json(&want, &sum), 0);
	ck_assert_int_eq(rl_buf_putc(&want, '\n'), 0);
	ck_assert_int_eq(s->cls->end(s, &sum, NULL), 0);
	ck_assert_str_eq(str(s), rl_buf_cstr(&want));
	rl_buf_free(&want);
	rl_sink_free(s);
}
END_TEST

static Suite *
suite(void)
{
	Suite *su = suite_create("sink");
	TCase *tc = tcase_create("sink");

	tcase_add_test(tc, table_rows);
	/* one thread, then the two-thread pipeline: the same calls */
	tcase_add_loop_test(tc, fanout_in_order, 0, 2);
	tcase_add_loop_test(tc, fanout_csv_note, 0, 2);
	tcase_add_loop_test(tc, writers_skip_notes, 0, (int)N(writers));
	tcase_add_test(tc, writers_by_verdict);
	tcase_add_test(tc, summary_at_end);
	suite_add_tcase(su, tc);
	return su;
}

int
main(void)
{
	return rl_test_run_with_rules(suite, &R);
}
