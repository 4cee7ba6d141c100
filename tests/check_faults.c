/*
 * check_faults.c: allocation failure at every step (the way
 * of Jansson's test_chaos.c).  For a few realistic inputs, the real batch
 * (an in-memory source, the snapshot index and its re-reads, the output
 * files, every report format, the summary) runs with the
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
#include "batch.h"
#include "outfile.h"
#include "report.h"
#include "sink.h"
#include "rules.h"
#include "snapshot.h"
#include "validate.h"

static rl_rules *R;

static unsigned long
stride(void)
{
	const char *s = getenv("FAULTS_STRIDE");
	unsigned long k = s ? strtoul(s, NULL, 10) : 1;

	return k ? k : 1;
}

/*
 * The outputs of one run, read back from its files: accepted, rejected,
 * then one report of each format, in that order.
 */
#define NREP 5
static const char *const outnames[] = {
	"accepted", "rejected", "text", "json", "csv", "github", "csv-rows",
	"referrals.json", NULL
};

struct run {
	rl_buf out;
	rl_summary sum;
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

/* A problem of the run: out of memory (or an I/O error caused by it), or not. */
static void
on_msg(void *ctx, const rl_diag *d)
{
	struct run *r = ctx;

	if (d->code == RL_NOMEM || strstr(d->message, "memory") != NULL)
		r->nomem = 1;
	else
		note_bad(r, "reported", d);
}

/*
 * The one thing that may differ between two clean runs is the time they
 * took: the digits after each marker, up to stop, become 0.
 */
static void
mask_after(rl_buf *b, const char *marker, char stop)
{
	size_t k = strlen(marker), i, j;

	for (i = 0; i + k <= b->len; i++) {
		if (memcmp(b->data + i, marker, k) != 0)
			continue;
		for (j = i + k; j < b->len && b->data[j] != stop &&
		    (b->data[j] == '.' || (b->data[j] >= '0' &&
		    b->data[j] <= '9')); j++)
			if (b->data[j] != '.')
				b->data[j] = '0';
	}
}

enum kind { JSON, CSV };

/*
 * One run of the real batch (snapshot, output files, every report) over
 * the input in memory, with the n-th allocation failing (0 = none).
 * threads 2 is asked for: the batch keeps one thread while the hook is set.
 */
static void
run(enum kind k, const char *in, size_t len, unsigned long n,
    const char *dir, struct run *r)
{
	rl_check_opts co = { .now = { .sec = 1771545600 } };
	rl_outfile *f[2 + NREP] = { NULL };
	rl_sink *sinks[2 + NREP] = { NULL };
	rl_snapshot *snap = NULL;
	rl_batch_opts bo;
	rl_batch_out out;
	rl_batch *b = NULL;
	rl_diag d = RL_DIAG_INIT;
	size_t i, flen;
	int flags = 0;

	memset(r, 0, sizeof(*r));
	r->out = (rl_buf)RL_BUF_INIT;
	memset(&bo, 0, sizeof(bo));
	bo.mode = RL_BATCH_CHECK;
	bo.check = &co;
	bo.threads = 2;
	bo.msg = on_msg;
	bo.ctx = r;
	rl_alloc_fail_after(n);
	for (i = 0; i < 2 + NREP && !r->nomem; i++)
		if ((f[i] = rl_outfile_open(rl_test_file_in(dir, outnames[i]),
		    &d)) == NULL)
			on_msg(r, &d);
	for (i = 0; i < 2 + NREP && !r->nomem; i++)
		if ((sinks[i] = rl_sink_new(i == 0 ? &rl_sink_accepted :
		    i == 1 ? &rl_sink_rejected : rl_sink_report_at(i - 2), f[i],
		    outnames[i], 0)) == NULL)
			r->nomem = 1;
	if (!r->nomem && (snap = rl_snapshot_new(R, NULL)) == NULL)
		r->nomem = 1;
	if (!r->nomem && rl_snapshot_add(snap, rl_test_file_in(dir,
	    "referrals.json"), on_msg, r) != 0 && !r->bad)
		r->nomem = 1;
	bo.snapshot = snap;
	memset(&out, 0, sizeof(out));
	out.sinks = sinks;
	out.nsinks = 2 + NREP;
	if (!r->nomem && (b = rl_batch_new(R, &bo, &out)) == NULL)
		r->nomem = 1;
	if (!r->nomem) {
		flags |= rl_batch_begin(b);
		flags |= rl_batch_input_mem(b, in, len,
		    k == JSON ? "in.ndjson" : "in.csv");
		flags |= rl_batch_end(b);
		r->sum = *rl_batch_summary(b);
		if (flags & RL_BATCH_NOMEM)
			r->nomem = 1;
	}
	for (i = 0; i < 2 + NREP && !r->nomem && !r->bad; i++)
		if (rl_outfile_commit(f[i], &d) != 0)
			on_msg(r, &d);
	r->allocs = rl_alloc_count();
	rl_alloc_fail_after(0);
	rl_batch_free(b);
	rl_snapshot_free(snap);
	for (i = 0; i < 2 + NREP; i++)
		rl_sink_free(sinks[i]);
	for (i = 0; i < 2 + NREP; i++)
		rl_outfile_close(f[i]);
	if (r->nomem || r->bad)
		return;
	for (i = 0; i < 2 + NREP; i++) {
		char *text = rl_test_slurp_path(rl_test_file_in(dir,
		    outnames[i]), &flen);

		ck_assert_int_eq(rl_buf_append(&r->out, text, flen), 0);
		free(text);
		(void)unlink(rl_test_file_in(dir, outnames[i]));
	}
	mask_after(&r->out, "\"seconds\":\"", '"');
	mask_after(&r->out, " in ", ' ');
}

static void
run_free(struct run *r)
{
	rl_buf_free(&r->out);
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
	{ "patch-only, found in the snapshot", JSON,
	  "testdata/cases/batch-check-snapshot/batch.ndjson", NULL },
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
	const struct input *t = &inputs[_i];
	size_t len, slen;
	char *buf = t->file ? rl_test_slurp(t->file, &len) : NULL;
	char *snap = rl_test_slurp(
	    "testdata/cases/batch-check-snapshot/referrals.json", &slen);
	char *dir = rl_test_tmpdir();
	const char *in = buf ? buf : t->text;
	struct run ref, r;
	unsigned long n, k = stride(), runs = 0, total;

	rl_test_write_file(dir, "referrals.json", snap, slen);
	if (buf == NULL)
		len = strlen(in);
	run(t->kind, in, len, 0, dir, &ref);
	total = ref.allocs;
	ck_assert_msg(!ref.nomem && !ref.bad, "%s: reference run: %s",
	    t->name, ref.why);
	ck_assert_msg(ref.sum.read > 0, "%s: no record read", t->name);
	for (n = 1;; n += k) {
		run(t->kind, in, len, n, dir, &r);
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
	fprintf(stderr, "# %s: %lu allocations, %lu faulty runs\n",
	    t->name, total, runs - 1);
	run_free(&ref);
	free(buf);
	free(snap);
	rl_test_rmdir(dir, outnames);
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

static Suite *
suite(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("alloc");

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_record_path, 0, (int)NINPUTS);
	tcase_add_test(tc, test_rules_loader);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run_with_rules(suite, &R);
}
