/*
 * check_faults.c: allocation failure at every step (the way
 * of Jansson's test_chaos.c).  For a few realistic inputs, the whole path of
 * a record (read, judge, write the accepted or rejected line, the text,
 * json, csv and github reports, the tagged line, the summary) runs with the
 * N-th allocation failing, for N = 1, 2, ... until a run reaches its end
 * without meeting the failure.  Every run must end cleanly: no crash, the
 * failure reported as out-of-memory (never as a problem of the input), and
 * every record judged before the failure judged exactly as without faults.
 * Leaks are the sanitizers' and valgrind's to find (CK_FORK=no).  The rules
 * loader gets the same treatment.
 *
 * FAULTS_STRIDE=K tries every K-th N only (for slow runs under valgrind).
 */
#include <stdio.h>

#include "tests.h"
#include "csv.h"
#include "csvmap.h"
#include "output.h"
#include "report.h"
#include "sink.h"
#include "rules.h"
#include "validate.h"

static rl_rules *R;

static unsigned long
stride(void)
{
	const char *s = getenv("FAULTS_STRIDE");
	unsigned long k = s ? strtoul(s, NULL, 10) : 1;

	return k ? k : 1;
}

/* The whole output of one run: every line of every writer, in order. */
struct run {
	rl_buf out;
	rl_sink *rep[4];         /* text, json, csv, github */
	rl_buf rbuf;
	rl_summary sum;
	rl_arena *a;
	int nomem;               /* an allocation failed along the way */
	int bad;                 /* a problem other than out-of-memory */
	unsigned long allocs;    /* allocations the run asked for */
	char why[400];
};

static void
note_bad(struct run *r, const char *what, const rl_diag *d)
{
	if (!r->bad)
		snprintf(r->why, sizeof(r->why), "%s: %s (%.200s)", what,
		    d ? rl_code_name(d->code) : "?", d ? d->message : "");
	r->bad = 1;
}

/* What a sink call wrote, moved to the run's output; its result. */
static int
drain(struct run *r, rl_sink *s, int rc)
{
	rl_buf *b = rl_sink_buf(s);

	if (rc == 0 && rl_buf_append(&r->out, b->data, b->len) == -1)
		rc = -1;
	rl_buf_clear(b);
	return rc;
}

static int
judge(struct run *r, const rl_record *rec)
{
	rl_result res;
	size_t i;
	int ok = 0;

	if (rec->diag != NULL && rec->diag->code == RL_NOMEM) {
		r->nomem = 1;
		return 1;
	}
	memset(&res, 0, sizeof(res));
	if (rl_check_record(R, r->a, rec, &(rl_check_opts){
	    .now = { .sec = 1771545600 } }, &res) == -1) {
		r->nomem = 1;
		return 1;
	}
	r->sum.read++;
	if (rl_result_accepted(&res)) {
		r->sum.accepted++;
		ok = rl_out_accepted(&r->out, &res);
	} else {
		r->sum.rejected++;
		ok = rl_out_rejected(&r->out, rec, &res);
	}
	if (ok == 0)
		ok = rl_out_text(&r->out, rec, &res);
	if (ok == 0)
		ok = rl_out_tagged(&r->out, rec, &res, NULL, 0);
	for (i = 0; ok == 0 && i < 4; i++) {
		rl_sink_record sr = { .rec = rec, .res = &res,
		    .accepted = rl_result_accepted(&res) };

		ok = drain(r, r->rep[i], r->rep[i]->cls->record(r->rep[i], &sr,
		    NULL));
	}
	if (ok == -1) {
		r->nomem = 1;
		return 1;
	}
	return 0;
}

static int
on_record(void *ctx, const rl_record *rec)
{
	return judge(ctx, rec);
}

static int
on_csv(void *ctx, const rl_csv_record *cr)
{
	return judge(ctx, &cr->rec);
}

enum kind { JSON, CSV };

/*
 * One run with the n-th allocation failing (0 = none).  chunk is the
 * record arena's chunk size: a tiny one makes nearly every arena
 * allocation call malloc, so that the failure lands inside each module.
 */
static void
run(enum kind k, const char *in, size_t len, unsigned long n, size_t chunk,
    struct run *r)
{
	rl_csv_callbacks cb = { .record = on_csv };
	rl_diag err;
	int rc, i, ok = 0;

	memset(r, 0, sizeof(*r));
	r->out = (rl_buf)RL_BUF_INIT;
	r->rbuf = (rl_buf)RL_BUF_INIT;
	rl_alloc_fail_after(n);
	for (i = 0; i < 4; i++)
		if ((r->rep[i] = rl_sink_new(rl_sink_report_at((size_t)i), NULL,
		    NULL, 0)) == NULL)
			r->nomem = 1;
	if ((r->a = rl_arena_new(chunk)) == NULL)
		r->nomem = 1;
	for (i = 0; !r->nomem && i < 4; i++)
		if (r->rep[i]->cls->begin != NULL &&
		    drain(r, r->rep[i], r->rep[i]->cls->begin(r->rep[i], NULL)) == -1)
			r->nomem = 1;
	if (!r->nomem) {
		memset(&err, 0, sizeof(err));
		if (k == JSON)
			rc = rl_read_mem(in, len, "in.ndjson", NULL, r->a,
			    on_record, r, &err);
		else
			rc = rl_csv_read_mem(in, len, "in.csv", R, NULL, r->a,
			    &cb, r, &err);
		if (rc == RL_READ_TRUNCATED) {
			if (err.code == RL_NOMEM)
				r->nomem = 1;
			else
				note_bad(r, "reading stopped", &err);
		}
	}
	for (i = 0; !r->nomem && i < 4; i++)
		ok |= r->rep[i]->cls->end == NULL ? 0 : drain(r, r->rep[i],
		    r->rep[i]->cls->end(r->rep[i], &r->sum, NULL));
	if (!r->nomem && ok == 0)
		ok = rl_summary_json(&r->out, &r->sum);
	if (!r->nomem && ok == 0)
		ok = rl_summary_text(&r->out, &r->sum);
	if (ok == -1)
		r->nomem = 1;
	r->allocs = rl_alloc_count();
	rl_alloc_fail_after(0);
	for (i = 0; i < 4; i++)
		rl_sink_free(r->rep[i]);
	rl_arena_free(r->a);
	r->a = NULL;
}

static void
run_free(struct run *r)
{
	rl_buf_free(&r->out);
	rl_buf_free(&r->rbuf);
}

static char *
slurp(const char *rel, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	FILE *fp;
	char *p;
	long n;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	p = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fread(p, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	p[n] = '\0';
	*len = (size_t)n;
	return p;
}

static const struct input {
	const char *name;
	enum kind kind;
	const char *file;        /* under top_srcdir, or NULL: text */
	const char *text;
} inputs[] = {
	{ "paired with a registration", JSON,
	  "testdata/cases/check-partner-eligible/input.ndjson", NULL },
	{ "patch-only", JSON, NULL,
	  "{\"id\":\"r-1\",\"ifMatch\":\"\\\"7f\\\"\",\"patch\":["
	  "{\"op\":\"replace\",\"path\":\"/details/dealValue\",\"value\":12.50},"
	  "{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"caf\\u00e9\"},"
	  "{\"op\":\"add\",\"path\":\"/team/-\",\"value\":{\"firstName\":\"J\","
	  "\"lastName\":\"D\",\"email\":\"j@d.co\",\"phoneNumber\":\"0000000001\"}}]}\n" },
	{ "broken records", JSON, NULL,
	  "{\"id\":\"r-1\",\"patch\":[}\n"
	  "{\"id\":\"r-2\",\"patch\":[],\"id\":\"r-3\"}\n"
	  "{\"id\":\"r-4\",\"patch\":{}}\n"
	  "{\"id\":\"r-5\",\"patch\":[{\"op\":\"move\",\"path\":\"/x\"},"
	  "{\"op\":\"replace\",\"path\":\"/status\",\"value\":7},"
	  "{\"op\":\"add\",\"path\":\"/team/01\"},{\"path\":\"~\"}]}\n"
	  "{\"id\":\"\\ud800\",\"patch\":[]}\n" },
	{ "paired rejected on state rules", JSON,
	  "testdata/cases/check-transition/input.ndjson", NULL },
	{ "JSON array with a list page", JSON, NULL,
	  "[{\"id\":\"r-1\",\"patch\":[]},"
	  "{\"value\":[{\"id\":\"r-2\",\"patch\":[{\"op\":\"add\",\"path\":\"/a\"}]}]}]" },
	{ "CSV rows", CSV, NULL,
	  "Referral ID,Deal Name,Estimated Deal Value,Currency,Estimated Close Date,Notes,Unknown\r\n"
	  "r-1,\"Big, deal\",1000,USD,05/01/2026,\"a \"\"b\"\"\",x\r\n"
	  "r-2,x,-5,EUR,13/40/2026,=cmd,y\r\n"
	  ",no id,1,USD,,,\r\n" },
	{ "CSV rows with account columns", CSV, NULL,
	  "Referral ID,Deal Name,Final Matched Customer Account,Managed Account 1,"
	  "Unmanaged Account 1\r\n"
	  "r-1,x,Contoso,Contoso,\r\n"
	  "r-2,y,Fabrikam,,fabrikam\r\n" },
};

#define NINPUTS (sizeof(inputs) / sizeof(inputs[0]))

START_TEST(test_record_path)
{
	const struct input *t = &inputs[_i % NINPUTS];
	size_t chunk = _i < (int)NINPUTS ? 0 : 64;
	size_t len;
	char *buf = t->file ? slurp(t->file, &len) : NULL;
	const char *in = buf ? buf : t->text;
	struct run ref, r;
	unsigned long n, k = stride(), runs = 0, total;

	if (buf == NULL)
		len = strlen(in);
	run(t->kind, in, len, 0, chunk, &ref);
	total = ref.allocs;
	ck_assert_msg(!ref.nomem && !ref.bad, "%s: reference run: %s",
	    t->name, ref.why);
	ck_assert_msg(ref.sum.read > 0, "%s: no record read", t->name);
	for (n = 1;; n += k) {
		run(t->kind, in, len, n, chunk, &r);
		runs++;
		ck_assert_msg(!r.bad, "%s: allocation %lu failing: %s",
		    t->name, n, r.why);
		/*
		 * What was written before the failure is what the reference
		 * wrote: no verdict changed because memory ran out.  (The last
		 * record may be cut short: compare whole records only.)
		 */
		ck_assert_msg(r.sum.read <= ref.sum.read,
		    "%s: allocation %lu failing: %lu records judged, %lu without faults",
		    t->name, n, r.sum.read, ref.sum.read);
		if (!r.nomem) {
			ck_assert_msg(r.out.len == ref.out.len &&
			    memcmp(r.out.data, ref.out.data, ref.out.len) == 0,
			    "%s: allocation %lu: output differs without a failure",
			    t->name, n);
			run_free(&r);
			break;
		}
		run_free(&r);
		ck_assert_msg(n < 10 * total + 1000,
		    "%s: still failing at allocation %lu", t->name, n);
	}
	/* The failure was met on every run before the last. */
	ck_assert_uint_ge(n + k, total);
	fprintf(stderr, "# %s, arena chunk %zu: %lu allocations, %lu faulty runs\n",
	    t->name, chunk ? chunk : (size_t)65536, total, runs - 1);
	run_free(&ref);
	free(buf);
}
END_TEST

struct loaderr { int nomem, other; char msg[400]; };

static void
on_rules_error(void *ctx, const rl_diag *d)
{
	struct loaderr *e = ctx;

	/* out of memory, or a read that failed with ENOMEM */
	if (d->code == RL_NOMEM || strstr(d->message, "memory") != NULL)
		e->nomem = 1;
	else if (!e->other++)
		snprintf(e->msg, sizeof(e->msg), "%.150s:%lu: %.200s",
		    d->source ? d->source : "?", (unsigned long)d->line,
		    d->message);
}

START_TEST(test_rules_loader)
{
	const char *dir = getenv("REFLINT_RULES");
	struct loaderr e;
	unsigned long n, total, k = stride();
	rl_rules *r;

	ck_assert_ptr_nonnull(dir);
	rl_alloc_fail_after(0);
	r = rl_rules_load(dir, NULL, NULL);
	total = rl_alloc_count();
	ck_assert_ptr_nonnull(r);
	rl_rules_free(r);
	for (n = 1;; n += k) {
		memset(&e, 0, sizeof(e));
		rl_alloc_fail_after(n);
		r = rl_rules_load(dir, on_rules_error, &e);
		rl_alloc_fail_after(0);
		if (r != NULL) {
			ck_assert_msg(e.nomem == 0 && e.other == 0,
			    "allocation %lu: loaded, yet errors reported", n);
			rl_rules_free(r);
			break;
		}
		/* Out of memory, said as such: never a bogus rule-file error. */
		ck_assert_msg(e.nomem && !e.other,
		    "allocation %lu failing: %s", n,
		    e.other ? e.msg : "no out-of-memory reported");
		ck_assert_msg(n <= total, "still failing at allocation %lu", n);
	}
	fprintf(stderr, "# rules loader: %lu allocations\n", total);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("alloc");
	const char *dir = getenv("REFLINT_RULES");
	int rc;

	if (dir == NULL || (R = rl_rules_load(dir, NULL, NULL)) == NULL) {
		fprintf(stderr, "check_faults: cannot load the rules (REFLINT_RULES)\n");
		return 99;
	}
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_record_path, 0, 2 * (int)NINPUTS);
	tcase_add_test(tc, test_rules_loader);
	suite_add_tcase(s, tc);
	rc = rl_test_run(s);
	rl_rules_free(R);
	return rc;
}
