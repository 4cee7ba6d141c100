/*
 * batch.c: the run of check, apply and eligibility.  The reader pushes each
 * record; it is joined to its snapshot state when it has none of its own,
 * judged, counted, and written to every output in input order.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "csvmap.h"
#include "idset.h"
#include "output.h"
#include "policies.h"

#define FLUSH_AT (64 * 1024)
#define MAX_RELATED 16          /* snapshot referrals of one engagement */

/*
 * A record's referral, looked up in the snapshot ahead of judging by the
 * reading thread of the pipeline (state 0: not looked up; 1: done, ref
 * NULL when not there; -1: the lookup failed, diag says why).
 */
struct prefetch {
	rl_value *ref;
	int state;
	rl_diag diag;
};

struct rl_batch {
	const rl_rules *rules;
	rl_batch_opts o;
	rl_batch_out out;
	rl_arena *a;                /* the reader's: reset after each record */
	rl_buf line;                /* one accepted line, for mapper mode */
	rl_summary sum;
	int flags;
	int stop;
	int ending;                 /* rl_batch_end: reading is over */
	uint64_t base;              /* bytes of the inputs already read */
	uint64_t total;             /* size of the inputs, when known */
	struct timespec t0, last;
	unsigned tick;
	/* the CSV row being judged, or NULL; its csv-unchanged note */
	const rl_csv_record *csv;
	int unchanged;
	rl_diag note;
	rl_buf peek;                /* the first bytes of an input, for detection */
	const struct prefetch *pre; /* the record being judged, when piped */
	rl_idset *patched;          /* ids that accepted records patch */
};

static uint64_t
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)(t.tv_sec - t0->tv_sec) * 1000 +
	    (uint64_t)((t.tv_nsec - t0->tv_nsec) / 1000000);
}

rl_batch *
rl_batch_new(const rl_rules *r, const rl_batch_opts *o, const rl_batch_out *out)
{
	rl_batch *b = rl_malloc(sizeof(*b));

	if (b == NULL)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->rules = r;
	b->o = *o;
	b->out = *out;
	if ((b->a = rl_arena_new(0)) == NULL ||
	    (b->patched = rl_idset_new()) == NULL) {
		rl_arena_free(b->a);
		rl_free(b);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &b->t0);
	b->last = b->t0;
	return b;
}

void
rl_batch_free(rl_batch *b)
{
	if (b == NULL)
		return;
	rl_arena_free(b->a);
	rl_idset_free(b->patched);
	rl_buf_free(&b->line);
	rl_buf_free(&b->peek);
	rl_free(b);
}

const rl_summary *
rl_batch_summary(const rl_batch *b)
{
	return &b->sum;
}

/* ---- outputs ---------------------------------------------------------- */

static void
message(rl_batch *b, const rl_diag *d);

/*
 * rl_outfile_flush, but a terminal gets every record as it comes, with
 * the caller's progress line taken off around it.
 */
static int
write_out(rl_batch *b, rl_outfile *f, size_t min, rl_diag *d)
{
	int tty = rl_outfile_isatty(f) && rl_outfile_buf(f)->len > 0, r;

	if (tty && b->o.terminal != NULL)
		b->o.terminal(b->o.ctx, 1);
	r = rl_outfile_flush(f, tty ? 0 : min, d);
	if (tty && b->o.terminal != NULL)
		b->o.terminal(b->o.ctx, 0);
	return r;
}

/* Writes f's buffer once it holds min bytes; a failure stops the run. */
static void
flush(rl_batch *b, rl_outfile *f, size_t min)
{
	rl_diag d;
	int r;

	if (f == NULL)
		return;
	if ((r = write_out(b, f, min, &d)) == 0)
		return;
	if (r == RL_OUTFILE_DEAD) {
		/* Already reported when it failed. */
		b->stop = 1;
		return;
	}
	if (r == RL_OUTFILE_EPIPE) {
		/* The reader of a pipe went away: nothing more to say to it. */
		b->stop = 1;
		b->flags |= RL_BATCH_STOPPED;
		if (!b->ending && b->sum.stopped == RL_STOP_NONE)
			b->sum.stopped = RL_STOP_OUTPUT_CLOSED;
		return;
	}
	b->stop = 1;
	b->flags |= RL_BATCH_IO;
	message(b, &d);
}

static void
flush_all(rl_batch *b, size_t min)
{
	size_t i;

	flush(b, b->out.accepted, min);
	flush(b, b->out.rejected, min);
	flush(b, b->out.tagged, min);
	for (i = 0; i < b->out.nreports; i++)
		flush(b, b->out.report_files[i], min);
}

/* Reports a problem of the run, after what was written before it. */
static void
message(rl_batch *b, const rl_diag *d)
{
	size_t i;

	/* Reports on stderr first, so that the lines stay in order. */
	for (i = 0; i < b->out.nreports; i++)
		if (b->out.report_files[i] != NULL)
			(void)write_out(b, b->out.report_files[i], 0, NULL);
	if (d->code == RL_IO_ERROR || d->code == RL_NOMEM)
		b->flags |= d->code == RL_NOMEM ? RL_BATCH_NOMEM | RL_BATCH_IO :
		    RL_BATCH_IO;
	if (b->o.msg != NULL)
		b->o.msg(b->o.ctx, d);
}

static void
nomem(rl_batch *b)
{
	rl_diag d;

	rl_diag_set(&d, RL_NOMEM, "out of memory");
	b->stop = 1;
	message(b, &d);
}

int
rl_batch_begin(rl_batch *b)
{
	size_t i;

	for (i = 0; i < b->out.nreports; i++)
		if (b->out.report_files[i] != NULL && b->out.reports[i] != NULL &&
		    rl_report_begin(b->out.reports[i],
		    rl_outfile_buf(b->out.report_files[i])) == -1) {
			nomem(b);
			break;
		}
	return b->flags;
}

int
rl_batch_end(rl_batch *b)
{
	size_t i;

	b->sum.elapsed_ms = ms_since(&b->t0);
	b->ending = 1;
	for (i = 0; i < b->out.nreports; i++)
		if (b->out.report_files[i] != NULL && b->out.reports[i] != NULL &&
		    rl_report_end(b->out.reports[i],
		    rl_outfile_buf(b->out.report_files[i]), &b->sum) == -1) {
			nomem(b);
			break;
		}
	flush_all(b, 0);
	return b->flags;
}

/* ---- diagnostics added here ------------------------------------------- */

/* Appends a diagnostic of the whole record, counted by the result module. */
static int
add_diag(rl_batch *b, rl_result *res, rl_code code, rl_severity sev,
    const char *msg)
{
	return rl_result_add_text(res, b->a, rl_result_max(b->o.check != NULL ?
	    b->o.check->max_errors : 0), code, sev, msg);
}

/* A patch-only id that the snapshot does not hold: referral-unknown. */
static int
mark_unknown(rl_batch *b, rl_result *res)
{
	long i = rl_result_find(res, RL_REFERRAL_STATE_MISSING);

	if (i >= 0)
		rl_result_remove(res, (size_t)i);
	static const char pre[] = "referral ", post[] = " is not in the --referrals snapshot";
	size_t n = res->id ? res->id->u.s.len : 1;
	char *msg;

	if ((msg = rl_arena_alloc(b->a, sizeof(pre) + n + sizeof(post))) == NULL)
		return -1;
	memcpy(msg, pre, sizeof(pre) - 1);
	memcpy(msg + sizeof(pre) - 1, res->id ? res->id->u.s.ptr : "-", n);
	memcpy(msg + sizeof(pre) - 1 + n, post, sizeof(post));
	return add_diag(b, res, RL_REFERRAL_UNKNOWN,
	    rl_rules_severity(b->rules, RL_REFERRAL_UNKNOWN), msg);
}

static int
has_ops(const rl_result *res)
{
	return res->patch != NULL && res->patch->type == RL_ARRAY &&
	    res->patch->u.a.n > 0;
}

/*
 * One batch is one upload, in input order: a record whose referral an
 * earlier accepted record (with ops) already patches meets another state
 * at the API than the one judged.  With ifMatch the earlier patch changes
 * the eTag (etag-stale: 412); without, or with "*", referral-repeated.  Called in input
 * order, before the verdict.
 */
static int
cross_record(rl_batch *b, rl_result *res)
{
	const rl_value *id = res->id;
	rl_code c;

	if (id == NULL || !rl_idset_has(b->patched, id->u.s.ptr, id->u.s.len))
		return 0;
	/* "*" matches whatever eTag the earlier patch leaves */
	if (res->if_match != NULL && !(res->if_match->u.s.len == 1 &&
	    res->if_match->u.s.ptr[0] == '*'))
		c = RL_ETAG_STALE;
	else if (has_ops(res))
		c = RL_REFERRAL_REPEATED;
	else
		return 0;   /* an empty patch without ifMatch changes nothing */
	return add_diag(b, res, c, rl_rules_severity(b->rules, c),
	    c == RL_ETAG_STALE ?
	    "an earlier accepted record of this batch already patches this referral, "
	    "which changes its eTag: this ifMatch will be stale (the API would answer 412)" :
	    "an earlier accepted record of this batch already patches this referral: "
	    "this patch will meet a state that was not the one judged");
}

/* After the verdict: an accepted record with ops patches its referral. */
static int
note_patched(rl_batch *b, const rl_result *res, int accepted)
{
	if (!accepted || res->id == NULL || !has_ops(res))
		return 0;
	return rl_idset_add(b->patched, res->id->u.s.ptr, res->id->u.s.len) == -1 ?
	    -1 : 0;
}

/*
 * apply writes the referral after the patch: a record without state has
 * none, so it cannot be accepted there.
 */
static int
apply_needs_state(rl_batch *b, rl_result *res)
{
	long i = rl_result_find(res, RL_REFERRAL_STATE_MISSING);

	if (i >= 0) {
		rl_result_regrade(res, (size_t)i, RL_SEV_ERROR);
		return 0;
	}
	return add_diag(b, res, RL_REFERRAL_STATE_MISSING, RL_SEV_ERROR,
	    "apply needs the referral's state: give --referrals or paired records");
}

/* ---- joining a record to the snapshot --------------------------------- */

/* Does the patch touch the registrations (so that the policies may run)? */
static int
touches_registrations(const rl_rules *r, const rl_value *patch)
{
	size_t i;

	if (patch == NULL || patch->type != RL_ARRAY)
		return 0;
	for (i = 0; i < patch->u.a.n; i++) {
		const rl_value *p = rl_json_get(patch->u.a.items[i], "path");

		if (p != NULL && p->type == RL_STRING &&
		    rl_rules_registration_path(r, p->u.s.ptr, p->u.s.len))
			return 1;
	}
	return 0;
}

/*
 * The record as the policies see it: when it carries no microsoftReferral,
 * its related array followed by the snapshot's referrals of the same
 * engagement (policy 2 picks Microsoft's among them).  Returns v itself
 * when there is nothing to add; NULL when memory runs out or the snapshot
 * cannot be re-read (reported).
 */
static rl_value *
with_related(rl_batch *b, rl_value *v, const rl_value *referral)
{
	rl_value *found[MAX_RELATED], *rec, *rel;
	const rl_value *eng, *old, *self;
	rl_diag d;
	size_t i;
	long n;

	if (b->o.snapshot == NULL || referral == NULL || v == NULL ||
	    v->type != RL_OBJECT || rl_json_get(v, "microsoftReferral") != NULL ||
	    (eng = rl_rules_engagement(b->rules, referral)) == NULL)
		return v;
	if ((n = rl_snapshot_engagement(b->o.snapshot, eng->u.s.ptr,
	    eng->u.s.len, b->a, found, MAX_RELATED, &d)) < 0) {
		message(b, &d);
		return NULL;
	}
	if (n == 0)
		return v;
	old = rl_json_get(v, "related");
	self = rl_json_get(referral, "id");
	if ((rel = rl_json_array(b->a, (old && old->type == RL_ARRAY ?
	    old->u.a.n : 0) + (size_t)n)) == NULL)
		goto nomem;
	for (i = 0; old != NULL && old->type == RL_ARRAY && i < old->u.a.n; i++)
		if (rl_json_array_insert(b->a, rel, rel->u.a.n, old->u.a.items[i]) == -1)
			goto nomem;
	for (i = 0; i < (size_t)n; i++) {
		const rl_value *id = rl_json_get(found[i], "id");

		if (self != NULL && id != NULL && rl_json_equal(self, id))
			continue;   /* the referral itself */
		if (rl_json_array_insert(b->a, rel, rel->u.a.n, found[i]) == -1)
			goto nomem;
	}
	if ((rec = rl_json_object(b->a, v->u.o.n + 1)) == NULL)
		goto nomem;
	for (i = 0; i < v->u.o.n; i++) {
		const rl_member *m = &v->u.o.members[i];

		if (m->klen == 7 && memcmp(m->key, "related", 7) == 0)
			continue;
		if (rl_json_object_insert(b->a, rec, rec->u.o.n, m->key, m->klen,
		    m->value) == -1)
			goto nomem;
	}
	if (rl_json_object_insert(b->a, rec, rec->u.o.n, "related", 7, rel) == -1)
		goto nomem;
	return rec;
nomem:
	nomem(b);
	return NULL;
}

/* A patch-only record: {"id":"…","patch":[…]} without a referral. */
static int
is_patch_only(const rl_value *v)
{
	const rl_value *id, *patch, *im;

	return v != NULL && v->type == RL_OBJECT &&
	    rl_json_get(v, "referral") == NULL &&
	    (id = rl_json_get(v, "id")) != NULL && id->type == RL_STRING &&
	    (patch = rl_json_get(v, "patch")) != NULL && patch->type == RL_ARRAY &&
	    ((im = rl_json_get(v, "ifMatch")) == NULL || im->type == RL_STRING);
}

/*
 * Judges one record of check or apply, joined to the snapshot.  -1 when
 * memory ran out or the snapshot could not be re-read (reported).
 */
static int
judge(rl_batch *b, const rl_record *rec, rl_result *res)
{
	rl_value *v = rec->value, *ref, *ctx;
	const rl_value *id, *patch;
	rl_record r2;
	rl_diag d;
	int err;

	if (rec->diag == NULL && is_patch_only(v)) {
		if (b->o.snapshot == NULL) {
			/* a row with no filled cell changes nothing */
			if (b->csv != NULL)
				b->unchanged = rl_csv_unchanged(b->rules, NULL, v,
				    &b->note) == 1;
			return rl_check_record(b->rules, b->a, rec, b->o.check, res);
		}
		id = rl_json_get(v, "id");
		patch = rl_json_get(v, "patch");
		memset(res, 0, sizeof(*res));
		res->shape = RL_SHAPE_PATCH_ONLY;
		res->id = id;
		if (b->pre != NULL && b->pre->state != 0) {
			ref = b->pre->ref;
			if ((err = b->pre->state < 0) != 0)
				d = b->pre->diag;
		} else
			ref = rl_snapshot_get(b->o.snapshot, id->u.s.ptr,
			    id->u.s.len, b->a, &err, &d);
		if (err) {
			message(b, &d);
			return -1;
		}
		/* cells equal to the referral's values make no op (reflint(1)) */
		if (b->csv != NULL)
			b->unchanged = rl_csv_unchanged(b->rules, ref, v,
			    &b->note) == 1;
		ctx = v;
		if (ref != NULL && touches_registrations(b->rules, patch) &&
		    (ctx = with_related(b, v, ref)) == NULL)
			return -1;
		if (rl_check_parts(b->rules, b->a, ref, patch,
		    rl_json_get(v, "ifMatch"), ctx, b->o.check, res) == -1)
			goto nomem;
		res->shape = RL_SHAPE_PATCH_ONLY;
		res->id = id;
		if (ref == NULL && mark_unknown(b, res) == -1)
			goto nomem;
		return 0;
	}
	r2 = *rec;
	if (rec->diag == NULL && v != NULL && v->type == RL_OBJECT &&
	    touches_registrations(b->rules, rl_json_get(v, "patch")) &&
	    (r2.value = with_related(b, v,
	    rl_json_get(v, "referral"))) == NULL)
		return -1;
	if (rl_check_record(b->rules, b->a, &r2, b->o.check, res) == -1)
		goto nomem;
	return 0;
nomem:
	nomem(b);
	return -1;
}

/* ---- one record --------------------------------------------------------- */

/* The line of an accepted record, as written to --accepted (with newline). */
static int
accepted_line(rl_batch *b, rl_buf *out, const rl_result *res)
{
	if (b->o.mode != RL_BATCH_APPLY)
		return rl_out_accepted(out, res);
	if (rl_buf_puts(out, "{\"id\":") == -1 ||
	    (res->id != NULL ? rl_json_quote(out, res->id->u.s.ptr,
	    res->id->u.s.len) : rl_buf_puts(out, "null")) == -1 ||
	    rl_buf_puts(out, ",\"referral\":") == -1 ||
	    rl_json_serialize(out, res->after) == -1)
		return -1;
	return rl_buf_puts(out, "}\n");
}

static void
count(rl_batch *b, const rl_result *res, int accepted)
{
	if (accepted)
		b->sum.accepted++;
	else {
		b->sum.rejected++;
		b->flags |= RL_BATCH_REJECTED;
	}
	b->sum.errors += res->errors;
	b->sum.warnings += res->warnings;
	b->sum.infos += res->infos;
	if (res->warnings > 0)
		b->flags |= RL_BATCH_WARNED;
	rl_result_tally(res, b->sum.by_code);
}

static int
write_record(rl_batch *b, const rl_record *rec, const rl_result *res,
    int accepted)
{
	size_t i;

	if (b->out.tagged != NULL) {
		rl_buf_clear(&b->line);
		if (accepted && accepted_line(b, &b->line, res) == -1)
			return -1;
		if (rl_out_tagged(rl_outfile_buf(b->out.tagged), rec, res,
		    accepted ? b->line.data : NULL,
		    accepted ? b->line.len - 1 : 0) == -1)
			return -1;
		flush(b, b->out.tagged, FLUSH_AT);
	}
	if (accepted && b->out.accepted != NULL) {
		if (accepted_line(b, rl_outfile_buf(b->out.accepted), res) == -1)
			return -1;
		flush(b, b->out.accepted, FLUSH_AT);
	}
	if (!accepted && b->out.rejected != NULL) {
		if (rl_out_rejected(rl_outfile_buf(b->out.rejected), rec, res) == -1)
			return -1;
		flush(b, b->out.rejected, FLUSH_AT);
	}
	for (i = 0; i < b->out.nreports; i++) {
		if (b->out.report_files[i] == NULL || b->out.reports[i] == NULL)
			continue;
		if (rl_report_record(b->out.reports[i],
		    rl_outfile_buf(b->out.report_files[i]), rec, res) == -1)
			return -1;
		flush(b, b->out.report_files[i], FLUSH_AT);
	}
	return 0;
}

/* The string "id" of a record or of its "referral", or NULL. */
static const rl_value *
own_id(const rl_value *v)
{
	const rl_value *ref, *id;

	if (v == NULL || v->type != RL_OBJECT)
		return NULL;
	if ((ref = rl_json_get(v, "referral")) != NULL && ref->type == RL_OBJECT)
		v = ref;
	id = rl_json_get(v, "id");
	return id != NULL && id->type == RL_STRING ? id : NULL;
}

/*
 * eligibility: the API's response for each judged record, or in mapper
 * mode a tagged line for every record.
 */
static int
eligibility_record(rl_batch *b, const rl_record *rec, rl_result *res)
{
	struct rl_policy_result pol[RL_POLICY_COUNT];
	rl_record r2 = *rec;
	rl_value *v = rec->value;
	int r;

	if (rec->diag == NULL && v != NULL && v->type == RL_OBJECT &&
	    (r2.value = with_related(b, v,
	    rl_json_get(v, "referral") ? rl_json_get(v, "referral") : v)) == NULL)
		return -1;
	if ((r = rl_eligibility_record(b->rules, b->a, &r2, b->o.check, res,
	    pol)) == -1)
		goto nomem;
	/*
	 * A record that cannot be judged still has the id the user gave it
	 * (a referral without status is a record-shape error, which names
	 * none): the lines join back to the input by id as well as by source.
	 */
	if (r == 0 && res->id == NULL && rec->diag == NULL)
		res->id = own_id(v);
	count(b, res, r == 1);
	/* mapper mode: every record, judged or not, so that lines join back */
	if (b->out.tagged != NULL) {
		if (rl_out_eligibility_tagged(rl_outfile_buf(b->out.tagged), rec,
		    res, r == 1 ? pol : NULL) == -1)
			goto nomem;
		flush(b, b->out.tagged, FLUSH_AT);
	}
	if (r == 1 && b->out.accepted != NULL) {
		rl_buf *out = rl_outfile_buf(b->out.accepted);

		if (rl_out_eligibility(out, pol) == -1 || rl_buf_putc(out, '\n') == -1)
			goto nomem;
		flush(b, b->out.accepted, FLUSH_AT);
	}
	if (b->out.nreports > 0 && b->out.report_files[0] != NULL) {
		if (rl_out_text(rl_outfile_buf(b->out.report_files[0]), rec, res) == -1)
			goto nomem;
		flush(b, b->out.report_files[0], FLUSH_AT);
	}
	return 0;
nomem:
	nomem(b);
	return -1;
}

static void
progress(rl_batch *b)
{
	if (b->o.progress == NULL || ++b->tick % 256 != 0)
		return;
	if (ms_since(&b->last) < 250)
		return;
	clock_gettime(CLOCK_MONOTONIC, &b->last);
	b->sum.elapsed_ms = ms_since(&b->t0);
	b->o.progress(b->o.ctx, &b->sum, b->total);
}

/* ---- CSV rows ------------------------------------------------------------ */

/*
 * A row's own diagnostics in front of the check's: the cells that did not
 * convert, and csv-unchanged for a row that changes nothing.
 */
static int
csv_result(rl_batch *b, rl_result *res)
{
	const rl_csv_record *r = b->csv;

	if (r->nconv > 0 && rl_csv_add_diags(b->rules, b->a, b->o.check, res,
	    r->conv, r->nconv) == -1)
		return -1;
	/* a cell that did not convert is a change asked for: not unchanged */
	if (b->unchanged && r->nconv == 0 && rl_csv_add_diags(b->rules, b->a,
	    b->o.check, res, &b->note, 1) == -1)
		return -1;
	return 0;
}

/*
 * The rejected row to csv-rows, then "row N: " in front of each message
 * for the other outputs: a spreadsheet shows row numbers, and a quoted
 * line end makes them differ from the lines (reflint(1), Spreadsheets).
 */
static int
csv_rows(rl_batch *b, rl_result *res)
{
	const rl_csv_record *r = b->csv;
	char msg[RL_DIAG_MSG];
	size_t i, k, m;

	for (i = 0; i < b->out.nreports; i++) {
		if (b->out.report_files[i] == NULL || b->out.reports[i] == NULL)
			continue;
		if (rl_report_csv_row(b->out.reports[i],
		    rl_outfile_buf(b->out.report_files[i]), r->raw, r->rawlen,
		    res) == -1)
			return -1;
	}
	for (i = 0; i < res->n; i++) {
		const char *s = rl_diag_message(&res->d[i]);
		char *t;

		k = (size_t)snprintf(msg, sizeof(msg), "row %lu: ", r->row);
		m = strlen(s);
		/* the whole message, prefixed: never cut */
		if ((t = rl_arena_alloc(b->a, k + m + 1)) == NULL)
			return -1;
		memcpy(t, msg, k);
		memcpy(t + k, s, m + 1);
		if (rl_diag_put_message(&res->d[i], b->a, t, k + m) == -1)
			return -1;
	}
	return 0;
}

static int
one_record(void *vctx, const rl_record *rec0);

static int
csv_record(void *vctx, const rl_csv_record *r)
{
	rl_batch *b = vctx;
	int rc;

	b->csv = r;
	rc = one_record(b, &r->rec);
	b->csv = NULL;
	return rc;
}

/*
 * The header of a CSV input: csv-rows takes its bytes, and the note of
 * the columns ignored goes to the reports once per file, as a diagnostic
 * of no record (read, accepted and rejected do not count it).
 */
static int
csv_header(void *vctx, const rl_csv_header *h)
{
	rl_batch *b = vctx;
	rl_record rec;
	rl_result res;
	rl_diag d;
	size_t i;

	if (b->stop)
		return 1;
	for (i = 0; i < b->out.nreports; i++)
		if (b->out.reports[i] != NULL &&
		    rl_report_csv_header(b->out.reports[i], h->raw, h->rawlen,
		    h->delimiter) == -1)
			goto nomem;
	if (h->note == NULL)
		return 0;
	d = *h->note;
	if (d.line != 0)
		d.line += b->o.line_offset;
	memset(&rec, 0, sizeof(rec));
	rec.source = h->source;
	rec.line = h->line + b->o.line_offset;
	rec.column = 1;
	memset(&res, 0, sizeof(res));
	res.d = &d;
	res.n = res.cap = 1;
	if (d.severity == RL_SEV_ERROR) {
		res.errors = 1;
		b->flags |= RL_BATCH_REJECTED;
	} else if (d.severity == RL_SEV_WARNING) {
		res.warnings = 1;
		b->flags |= RL_BATCH_WARNED;
	} else
		res.infos = 1;
	res.worst = d.severity;
	b->sum.errors += res.errors;
	b->sum.warnings += res.warnings;
	b->sum.infos += res.infos;
	b->sum.by_code[d.code]++;
	for (i = 0; i < b->out.nreports; i++) {
		rl_buf *out;

		if (b->out.report_files[i] == NULL)
			continue;
		out = rl_outfile_buf(b->out.report_files[i]);
		if ((b->out.reports[i] != NULL ?
		    rl_report_record(b->out.reports[i], out, &rec, &res) :
		    rl_out_text(out, &rec, &res)) == -1)
			goto nomem;
	}
	return 0;
nomem:
	nomem(b);
	return 1;
}

static int
one_record(void *vctx, const rl_record *rec0)
{
	rl_batch *b = vctx;
	rl_record rec = *rec0;
	rl_result res;
	size_t i;
	int accepted;

	if (b->stop)
		return 1;
	b->sum.read++;
	b->sum.bytes = b->base + rec.offset + rec.length;
	rec.line += b->o.line_offset;
	rec.index += b->o.record_offset;
	if (b->o.mode == RL_BATCH_ELIGIBILITY) {
		if (eligibility_record(b, &rec, &res) == -1)
			return 1;
		goto next;
	}
	b->unchanged = 0;
	if (judge(b, &rec, &res) == -1)
		return 1;
	if (b->csv != NULL && csv_result(b, &res) == -1) {
		nomem(b);
		return 1;
	}
	if (b->o.line_offset > 0)
		for (i = 0; i < res.n; i++)
			if (res.d[i].line != 0)
				res.d[i].line += b->o.line_offset;
	if (cross_record(b, &res) == -1) {
		nomem(b);
		return 1;
	}
	accepted = rl_result_accepted(&res);
	if (accepted && b->o.mode == RL_BATCH_APPLY && res.after == NULL) {
		if (apply_needs_state(b, &res) == -1) {
			nomem(b);
			return 1;
		}
		accepted = 0;
	}
	if (note_patched(b, &res, accepted) == -1) {
		nomem(b);
		return 1;
	}
	count(b, &res, accepted);
	if (b->csv != NULL && csv_rows(b, &res) == -1) {
		nomem(b);
		return 1;
	}
	if (write_record(b, &rec, &res, accepted) == -1) {
		nomem(b);
		return 1;
	}
	if (!accepted && b->o.max_rejected > 0 &&
	    b->sum.rejected >= b->o.max_rejected) {
		b->stop = 1;
		b->flags |= RL_BATCH_STOPPED;
		if (b->sum.stopped == RL_STOP_NONE)
			b->sum.stopped = RL_STOP_MAX_ERRORS;
	}
next:
	progress(b);
	return b->stop;
}

/*
 * Is this input CSV (reflint(1), Input)?  --input-format csv, a ".csv" name,
 * or, when no format is forced, a first line that names a column of the
 * rules.  The bytes read to tell stay in b->peek for the reader.  -1 with
 * err on a read error.
 */
static int
is_csv(rl_batch *b, int fd, const char *path, rl_diag *err)
{
	size_t n = path != NULL ? strlen(path) : 0;
	size_t size = b->o.ro.bufsize ? b->o.ro.bufsize : RL_DEFAULT_BUFSIZE;
	ssize_t got;
	int eof = 0, r;

	rl_buf_clear(&b->peek);
	if (b->o.csv || (n >= 4 && strcasecmp(path + n - 4, ".csv") == 0))
		return 1;
	if (b->o.ro.format != RL_FMT_AUTO)
		return 0;
	for (;;) {
		if (b->peek.len >= RL_CSV_SNIFF_MAX)
			eof = 1;
		if ((r = rl_csv_sniff(b->rules, b->peek.data != NULL ?
		    b->peek.data : "", b->peek.len, eof)) >= 0)
			return r;
		if (rl_buf_reserve(&b->peek, size) == -1) {
			nomem(b);
			return -1;
		}
		got = read(fd, b->peek.data + b->peek.len, size);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rl_diag_set(err, RL_IO_ERROR, "%s: %s", path != NULL ? path :
			    "<stdin>", strerror(errno));
			return -1;
		}
		if (got == 0)
			eof = 1;
		b->peek.len += (size_t)got;
	}
}

/* The pipeline ---------------------------------------------------------- */

/*
 * With two threads, the reader (the caller's thread) parses records into
 * blocks, each with its own arena, and a worker judges and writes them in
 * order.  yajl and the building of values take about as long as judging
 * and writing: the two halves overlap.  A block goes over when it holds
 * BLK_RECORDS records or its arena outgrows its one chunk, which a reset
 * keeps (no malloc per block); NBLK blocks bound the memory (the reader
 * waits for a free block, never grows a queue).  Nothing
 * else is shared: the worker alone touches the batch (counts, outputs,
 * snapshot), the reader alone its block, and blocks change hands under
 * the mutex.
 */
#define BLK_RECORDS 32
#define BLK_CHUNK (512 * 1024)
#define NBLK 4

struct prec {
	rl_record rec;
	rl_diag diag;               /* the record's own copy */
	struct prefetch pre;
	int is_csv;                 /* a CSV row: csv (rec is csv.rec) */
	rl_csv_record csv;
};

struct blk {
	rl_arena *a;
	size_t n;
	struct prec r[BLK_RECORDS];
	struct blk *next;
};

struct pipeline {
	rl_batch *b;
	pthread_mutex_t mu;
	pthread_cond_t cv;          /* a block became full or free, or done */
	struct blk *full, *full_tail, *free_;
	struct blk *cur;            /* the reader's */
	int done;                   /* the reader has handed over its last */
	int stopped;                /* the worker stopped judging */
	int nomem;                  /* the reader could not keep a row */
	struct blk blocks[NBLK];
};

/* Reader side: keep the record (its values are in cur's arena). */
static int
pipe_record(void *ctx, const rl_record *rec)
{
	struct pipeline *p = ctx;
	struct prec *slot = &p->cur->r[p->cur->n++];
	int stop;

	slot->rec = *rec;
	slot->is_csv = 0;
	slot->pre.state = 0;
	if (rec->diag != NULL) {
		slot->diag = *rec->diag;
		slot->rec.diag = &slot->diag;
	} else if (p->b->o.snapshot != NULL && is_patch_only(rec->value)) {
		/*
		 * Re-reading the referral is as much work as reading the
		 * record: done here, it balances the two threads (P3).
		 */
		const rl_value *id = rl_json_get(rec->value, "id");
		int err;

		slot->pre.ref = rl_snapshot_get(p->b->o.snapshot, id->u.s.ptr,
		    id->u.s.len, p->cur->a, &err, &slot->pre.diag);
		slot->pre.state = err ? -1 : 1;
	}
	/* read without the lock: a stop seen one record late costs nothing */
	stop = __atomic_load_n(&p->stopped, __ATOMIC_RELAXED);
	return stop;
}

/*
 * Reader side, CSV: keep the row, with copies of what the CSV reader
 * reuses for the next row (its raw bytes, the cells that did not convert).
 */
static int
pipe_csv_record(void *ctx, const rl_csv_record *r)
{
	struct pipeline *p = ctx;
	struct prec *slot = &p->cur->r[p->cur->n];
	rl_arena *a = p->cur->a;
	char *raw = NULL;
	rl_diag *conv = NULL;

	if ((r->rawlen > 0 && (raw = rl_arena_alloc(a, r->rawlen)) == NULL) ||
	    (r->nconv > 0 &&
	    (conv = rl_arena_alloc(a, r->nconv * sizeof(*conv))) == NULL)) {
		p->nomem = 1;
		return 1;
	}
	p->cur->n++;
	slot->is_csv = 1;
	slot->pre.state = 0;
	slot->csv = *r;
	if (r->rawlen > 0)
		memcpy(raw, r->raw, r->rawlen);
	slot->csv.raw = raw != NULL ? raw : "";
	if (r->nconv > 0)
		memcpy(conv, r->conv, r->nconv * sizeof(*conv));
	slot->csv.conv = conv;
	if (r->rec.diag != NULL) {
		slot->diag = *r->rec.diag;
		slot->csv.rec.diag = &slot->diag;
	}
	return __atomic_load_n(&p->stopped, __ATOMIC_RELAXED);
}

static int csv_header(void *vctx, const rl_csv_header *h);

/* Reader side, CSV: the header, before any row of this input is judged. */
static int
pipe_csv_header(void *ctx, const rl_csv_header *h)
{
	struct pipeline *p = ctx;

	return csv_header(p->b, h);
}

/* Reader side: the arena for the next record, handing cur over when full. */
static rl_arena *
pipe_next_arena(void *ctx, int *same)
{
	struct pipeline *p = ctx;
	struct blk *c = p->cur;

	if (c->n < BLK_RECORDS && rl_arena_footprint(c->a) <= BLK_CHUNK + 256) {
		*same = 1;
		return c->a;
	}
	*same = 0;
	pthread_mutex_lock(&p->mu);
	c->next = NULL;
	if (p->full_tail != NULL)
		p->full_tail->next = c;
	else
		p->full = c;
	p->full_tail = c;
	pthread_cond_broadcast(&p->cv);
	/* the worker recycles every block, judged or not: this ends */
	while (p->free_ == NULL)
		pthread_cond_wait(&p->cv, &p->mu);
	p->cur = p->free_;
	p->free_ = p->cur->next;
	pthread_mutex_unlock(&p->mu);
	return p->cur->a;
}

static void *
pipe_worker(void *ctx)
{
	struct pipeline *p = ctx;
	rl_batch *b = p->b;
	rl_arena *own = b->a;
	struct blk *c;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->full == NULL && !p->done)
			pthread_cond_wait(&p->cv, &p->mu);
		if ((c = p->full) == NULL) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		if ((p->full = c->next) == NULL)
			p->full_tail = NULL;
		pthread_mutex_unlock(&p->mu);
		b->a = c->a;
		for (i = 0; i < c->n; i++) {
			struct prec *r = &c->r[i];

			b->pre = &r->pre;
			b->csv = r->is_csv ? &r->csv : NULL;
			if (!b->stop && one_record(b, r->is_csv ? &r->csv.rec :
			    &r->rec))
				b->stop = 1;
		}
		b->csv = NULL;
		b->pre = NULL;
		b->a = own;
		rl_arena_reset(c->a);
		c->n = 0;
		pthread_mutex_lock(&p->mu);
		if (b->stop)
			__atomic_store_n(&p->stopped, 1, __ATOMIC_RELAXED);
		c->next = p->free_;
		p->free_ = c;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/*
 * rl_read_fd through the pipeline; -1 when it cannot start (the caller
 * reads on one thread instead).
 */
static int
read_piped(rl_batch *b, int fd, const char *name, rl_reader_opts *ro,
    const rl_csv_opts *co, rl_diag *err, int *rc)
{
	struct pipeline *p;
	pthread_t worker;
	size_t i, made = 0;
	int ok = 0;

	if ((p = rl_malloc(sizeof(*p))) == NULL)
		return -1;
	memset(p, 0, sizeof(*p));
	p->b = b;
	for (i = 0; i < NBLK; i++, made++)
		if ((p->blocks[i].a = rl_arena_new(BLK_CHUNK)) == NULL)
			break;
	if (made == NBLK && pthread_mutex_init(&p->mu, NULL) == 0) {
		if (pthread_cond_init(&p->cv, NULL) == 0) {
			for (i = 1; i < NBLK; i++) {
				p->blocks[i].next = p->free_;
				p->free_ = &p->blocks[i];
			}
			p->cur = &p->blocks[0];
			if (pthread_create(&worker, NULL, pipe_worker, p) == 0) {
				ok = 1;
				if (co != NULL) {
					static const rl_csv_callbacks cbs = {
						.header = pipe_csv_header,
						.record = pipe_csv_record,
						.next_arena = pipe_next_arena
					};

					*rc = rl_csv_read_fd(fd, name, b->rules, co,
					    p->cur->a, &cbs, p, err);
				} else {
					ro->next_arena = pipe_next_arena;
					*rc = rl_read_fd(fd, name, ro, p->cur->a,
					    pipe_record, p, err);
				}
				pthread_mutex_lock(&p->mu);
				if (p->cur->n > 0) {
					p->cur->next = NULL;
					if (p->full_tail != NULL)
						p->full_tail->next = p->cur;
					else
						p->full = p->cur;
					p->full_tail = p->cur;
				}
				p->done = 1;
				pthread_cond_broadcast(&p->cv);
				pthread_mutex_unlock(&p->mu);
				pthread_join(worker, NULL);
				/*
				 * The reader may have read past the record
				 * that stopped the run: as on one thread, the
				 * input then ends there (no later error, no
				 * bytes past it in the summary).
				 */
				if (b->stop)
					*rc = RL_READ_STOPPED;
				if (p->nomem) {
					nomem(b);
					*rc = RL_READ_STOPPED;
				}
			}
			pthread_cond_destroy(&p->cv);
		}
		pthread_mutex_destroy(&p->mu);
	}
	for (i = 0; i < made; i++)
		rl_arena_free(p->blocks[i].a);
	rl_free(p);
	return ok ? 0 : -1;
}

/*
 * A stopped run counts what it left: size bytes of an input (sized = 0
 * when it has no size to tell, such as a pipe), of which done were read.
 */
static void
left_unread(rl_batch *b, int sized, uint64_t size, uint64_t done)
{
	if (!sized)
		b->sum.unread_unknown = 1;
	else if (size > done)
		b->sum.unread += size - done;
}

/* An input that a stopped run does not open: its size, when it has one. */
static void
skipped(rl_batch *b, const char *path, int stdin_)
{
	struct stat st;
	int sized;

	sized = (stdin_ ? fstat(STDIN_FILENO, &st) : stat(path, &st)) == 0 &&
	    S_ISREG(st.st_mode);
	left_unread(b, sized, sized ? (uint64_t)st.st_size : 0, 0);
}

int
rl_batch_input(rl_batch *b, const char *path)
{
	int stdin_ = path == NULL || strcmp(path, "-") == 0;
	const char *name = b->o.source_name != NULL ? b->o.source_name :
	    stdin_ ? "<stdin>" : path;
	struct stat st;
	rl_diag err;
	off_t end;
	uint64_t size = 0, base = b->base;
	int fd, r, csv, sized;

	if (b->stop) {
		if (b->sum.stopped != RL_STOP_NONE)
			skipped(b, path, stdin_);
		return b->flags;
	}
	if ((fd = stdin_ ? STDIN_FILENO : open(path, O_RDONLY)) == -1) {
		rl_diag_set(&err, RL_IO_ERROR, "cannot open: %s", strerror(errno));
		err.source = path;
		message(b, &err);
		return b->flags;
	}
	if ((sized = fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) != 0)
		b->total += size = (uint64_t)st.st_size;
	if ((csv = is_csv(b, fd, stdin_ ? NULL : path, &err)) == -1) {
		r = RL_READ_TRUNCATED;
	} else if (csv) {
		static const rl_csv_callbacks cbs = {
			.header = csv_header, .record = csv_record
		};
		rl_csv_opts co;

		memset(&co, 0, sizeof(co));
		co.delimiter = b->o.delimiter;
		co.bufsize = b->o.ro.bufsize;
		co.prefix = b->peek.data;
		co.prefix_len = b->peek.len;
		if (b->o.threads < 2 || b->out.tagged != NULL ||
		    rl_alloc_hooked() ||
		    read_piped(b, fd, name, NULL, &co, &err, &r) == -1)
			r = rl_csv_read_fd(fd, name, b->rules, &co, b->a, &cbs,
			    b, &err);
	} else {
		rl_reader_opts ro = b->o.ro;

		ro.prefix = b->peek.data;
		ro.prefix_len = b->peek.len;
		/*
		 * Two threads unless mapper mode (its shards are the
		 * orchestrator's parallelism, one core each) or a fault test.
		 */
		if (b->o.threads < 2 || b->out.tagged != NULL ||
		    rl_alloc_hooked() ||
		    read_piped(b, fd, name, &ro, NULL, &err, &r) == -1) {
			ro.next_arena = NULL;
			r = rl_read_fd(fd, name, &ro, b->a, one_record, b, &err);
		}
	}
	rl_buf_clear(&b->peek);
	rl_arena_reset(b->a);
	/* Read to the end: every byte counts (blank lines, whitespace). */
	if (r == RL_READ_OK && (end = lseek(fd, 0, SEEK_CUR)) > 0)
		b->sum.bytes = b->base + (uint64_t)end;
	b->base = b->sum.bytes;
	/* stopped in this input: the bytes after its last record judged */
	if (b->sum.stopped != RL_STOP_NONE)
		left_unread(b, sized, size, b->sum.bytes - base);
	if (fd != STDIN_FILENO)
		close(fd);
	if (r == RL_READ_TRUNCATED && !(b->flags & RL_BATCH_NOMEM)) {
		/* What was read is judged; the rest of this input is lost. */
		const char *code = rl_code_name(err.code);
		size_t k = strlen(code) + 2, m = strlen(err.message);

		if (err.source == NULL)
			err.source = name;
		if (err.line)
			err.line += b->o.line_offset;
		/* "CODE: message", cut to fit. */
		if (k + m >= sizeof(err.message))
			m = sizeof(err.message) - k - 1;
		memmove(err.message + k, err.message, m);
		memcpy(err.message, code, k - 2);
		memcpy(err.message + k - 2, ": ", 2);
		err.message[k + m] = '\0';
		err.code = RL_IO_ERROR;
		message(b, &err);
	}
	return b->flags;
}
