/*
 * check_result.c: the result module, the one place that counts a record's
 * diagnostics: adding with the cap, the text form, putting diagnostics in
 * front with the rules' severities, removing, regrading, finding, the
 * tally by code, and the emitter of the judge's modules.
 */
#include "config.h"

#include <stdio.h>

#include "emitter.h"
#include "judge.h"
#include "output.h"
#include "policies.h"
#include "result.h"
#include "rules.h"
#include "tests.h"

static rl_rules *R;

/* The counts always equal the kept diagnostics plus the dropped ones. */
static void
consistent(const rl_result *res)
{
	size_t i, e = 0, w = 0, n = 0;
	rl_severity worst = RL_SEV_NONE;

	for (i = 0; i < res->n; i++) {
		rl_severity s = res->d[i].severity;

		e += s == RL_SEV_ERROR;
		w += s == RL_SEV_WARNING;
		n += s == RL_SEV_INFO;
		if (s > worst)
			worst = s;
	}
	ck_assert_uint_eq(res->errors + res->warnings + res->infos,
	    res->n + res->dropped);
	if (res->dropped == 0) {
		ck_assert_uint_eq(res->errors, e);
		ck_assert_uint_eq(res->warnings, w);
		ck_assert_uint_eq(res->infos, n);
		ck_assert_int_eq(res->worst, worst);
	}
}

START_TEST(test_max)
{
	ck_assert_uint_eq(rl_result_max(0), RL_DEFAULT_MAX_ERRORS);
	ck_assert_uint_eq(rl_result_max(3), 3);
}
END_TEST

START_TEST(test_add_cap)
{
	rl_result res;
	rl_diag *d;
	int nomem, i;

	memset(&res, 0, sizeof(res));
	ck_assert_ptr_null(rl_result_add(&res, A, 3, RL_PATH_UNKNOWN,
	    RL_SEV_NONE, &nomem));
	ck_assert_int_eq(nomem, 0);
	ck_assert_uint_eq(res.n + res.errors + res.warnings + res.infos, 0);
	d = rl_result_add(&res, A, 3, RL_WON_TOO_SOON, RL_SEV_WARNING, &nomem);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->code, RL_WON_TOO_SOON);
	ck_assert_int_eq(d->op, -1);
	ck_assert_int_eq(res.worst, RL_SEV_WARNING);
	for (i = 0; i < 4; i++)
		(void)rl_result_add(&res, A, 3, RL_PATH_UNKNOWN, RL_SEV_ERROR, &nomem);
	ck_assert_uint_eq(res.n, 3);
	ck_assert_uint_eq(res.dropped, 2);
	ck_assert_uint_eq(res.errors, 4);
	ck_assert_uint_eq(res.warnings, 1);
	ck_assert_int_eq(res.worst, RL_SEV_ERROR);
	consistent(&res);
	ck_assert(!rl_result_accepted(&res));
}
END_TEST

START_TEST(test_text_find_remove)
{
	rl_result res;

	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(rl_result_add_text(&res, A, 20, RL_REFERRAL_STATE_MISSING,
	    RL_SEV_WARNING, "no state"), 0);
	ck_assert_int_eq(rl_result_add_text(&res, A, 20, RL_ETAG_STALE,
	    RL_SEV_INFO, "stale"), 0);
	ck_assert_int_eq(rl_result_add_text(&res, A, 20, RL_TRANSITION,
	    RL_SEV_NONE, "disabled: not added"), 0);
	ck_assert_uint_eq(res.n, 2);
	ck_assert_str_eq(rl_diag_message(&res.d[1]), "stale");
	ck_assert_int_eq(rl_result_find(&res, RL_ETAG_STALE), 1);
	ck_assert_int_eq(rl_result_find(&res, RL_TRANSITION), -1);
	rl_result_remove(&res, 0);
	ck_assert_uint_eq(res.n, 1);
	ck_assert_int_eq(res.d[0].code, RL_ETAG_STALE);
	ck_assert_uint_eq(res.warnings, 0);
	ck_assert_int_eq(res.worst, RL_SEV_INFO);
	consistent(&res);
	rl_result_remove(&res, 5);          /* out of range: nothing */
	ck_assert_uint_eq(res.n, 1);
	/* the worst is what is left: an error stays the worst */
	ck_assert_int_eq(rl_result_add_text(&res, A, 20, RL_PATH_UNKNOWN,
	    RL_SEV_ERROR, "bad path"), 0);
	ck_assert_int_eq(rl_result_add_text(&res, A, 20, RL_WON_TOO_SOON,
	    RL_SEV_WARNING, "soon"), 0);
	rl_result_remove(&res, 2);
	ck_assert_int_eq(res.worst, RL_SEV_ERROR);
	rl_result_remove(&res, 1);
	ck_assert_int_eq(res.worst, RL_SEV_INFO);
	consistent(&res);
}
END_TEST

START_TEST(test_regrade)
{
	rl_result res;
	int nomem;

	memset(&res, 0, sizeof(res));
	(void)rl_result_add(&res, A, 20, RL_REFERRAL_STATE_MISSING,
	    RL_SEV_WARNING, &nomem);
	ck_assert(rl_result_accepted(&res));
	rl_result_regrade(&res, 0, RL_SEV_ERROR);
	ck_assert_int_eq(res.d[0].severity, RL_SEV_ERROR);
	ck_assert_uint_eq(res.errors, 1);
	ck_assert_uint_eq(res.warnings, 0);
	ck_assert_int_eq(res.worst, RL_SEV_ERROR);
	ck_assert(!rl_result_accepted(&res));
	consistent(&res);
	rl_result_regrade(&res, 0, RL_SEV_NONE);   /* not a grade: nothing */
	ck_assert_uint_eq(res.errors, 1);
}
END_TEST

/* In front, severities from the rules, a disabled one left out, cap from the end. */
START_TEST(test_prepend)
{
	rl_diag in[3];
	rl_result res;
	int nomem;

	memset(&res, 0, sizeof(res));
	memset(in, 0, sizeof(in));
	(void)rl_result_add(&res, A, 3, RL_PATH_UNKNOWN, RL_SEV_ERROR, &nomem);
	(void)rl_result_add(&res, A, 3, RL_PATCH_TARGET, RL_SEV_ERROR, &nomem);
	in[0].code = RL_VALUE_FORMAT;
	in[0].severity = RL_SEV_INFO;       /* the rules' severity wins */
	strcpy(in[0].message, "bad \xff cell");
	in[1].code = RL_CSV_COLUMN_IGNORED;
	in[2].code = RL_VALUE_ENUM;
	rl_rules_set_severity(R, RL_CSV_COLUMN_IGNORED, RL_SEV_NONE);
	ck_assert_int_eq(rl_result_prepend(&res, A, 3, R, in, 3), 0);
	rl_rules_set_severity(R, RL_CSV_COLUMN_IGNORED,
	    rl_codes[RL_CSV_COLUMN_IGNORED].severity);
	ck_assert_uint_eq(res.n, 3);
	ck_assert_int_eq(res.d[0].code, RL_VALUE_FORMAT);
	ck_assert_int_eq(res.d[0].severity, rl_rules_severity(R, RL_VALUE_FORMAT));
	ck_assert_str_eq(rl_diag_message(&res.d[0]), "bad \xEF\xBF\xBD cell");
	ck_assert_int_eq(res.d[1].code, RL_VALUE_ENUM);
	ck_assert_int_eq(res.d[2].code, RL_PATH_UNKNOWN);   /* patch-target dropped */
	ck_assert_uint_eq(res.dropped, 1);
	ck_assert_uint_eq(res.errors, 4);
	consistent(&res);
	/* nothing kept: the result is left as it was */
	in[0].code = RL_CSV_COLUMN_IGNORED;
	rl_rules_set_severity(R, RL_CSV_COLUMN_IGNORED, RL_SEV_NONE);
	ck_assert_int_eq(rl_result_prepend(&res, A, 3, R, in, 1), 0);
	rl_rules_set_severity(R, RL_CSV_COLUMN_IGNORED,
	    rl_codes[RL_CSV_COLUMN_IGNORED].severity);
	ck_assert_uint_eq(res.n, 3);
	ck_assert_uint_eq(res.errors, 4);
}
END_TEST

START_TEST(test_tally)
{
	unsigned long by[RL_CODE_COUNT];
	rl_result res;
	int nomem;

	memset(by, 0, sizeof(by));
	memset(&res, 0, sizeof(res));
	(void)rl_result_add(&res, A, 2, RL_PATH_UNKNOWN, RL_SEV_ERROR, &nomem);
	(void)rl_result_add(&res, A, 2, RL_PATH_UNKNOWN, RL_SEV_ERROR, &nomem);
	(void)rl_result_add(&res, A, 2, RL_ETAG_STALE, RL_SEV_ERROR, &nomem);
	rl_result_tally(&res, by);
	rl_result_tally(&res, by);
	ck_assert_uint_eq(by[RL_PATH_UNKNOWN], 4);
	ck_assert_uint_eq(by[RL_ETAG_STALE], 0);    /* dropped: not kept */
}
END_TEST

/* The emitter: the rules' severity, the path's pointer, a long message whole. */
START_TEST(test_emit)
{
	rl_check_opts o;
	rl_emitter e;
	rl_result res;
	rl_value *path;
	char big[600];

	memset(&o, 0, sizeof(o));
	memset(&res, 0, sizeof(res));
	o.max_errors = 2;
	rl_emitter_init(&e, R, A, &res, &o);
	ck_assert_uint_eq(e.max, 2);
	ck_assert_ptr_nonnull(path = rl_json_string(A, "/name", 5));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(rl_emit(&e, RL_PATH_UNKNOWN, 4, path, "%s", big), 0);
	ck_assert_uint_eq(res.n, 1);
	ck_assert_int_eq(res.d[0].op, 4);
	ck_assert_str_eq(res.d[0].pointer, "/name");
	ck_assert_int_eq(res.d[0].severity, rl_rules_severity(R, RL_PATH_UNKNOWN));
	ck_assert_uint_eq(strlen(rl_diag_message(&res.d[0])), sizeof(big) - 1);
	rl_rules_set_severity(R, RL_PATH_UNKNOWN, RL_SEV_NONE);
	ck_assert_int_eq(rl_emit(&e, RL_PATH_UNKNOWN, 5, NULL, "off"), 0);
	rl_rules_set_severity(R, RL_PATH_UNKNOWN, rl_codes[RL_PATH_UNKNOWN].severity);
	ck_assert_uint_eq(res.n, 1);
	rl_emitter_init(&e, R, A, &res, NULL);
	ck_assert_uint_eq(e.max, RL_DEFAULT_MAX_ERRORS);
	consistent(&res);
}
END_TEST

/*
 * A result judged in an arena of its own moves to another: what it
 * writes later reads nothing of the first, which is then reused (and
 * filled with other bytes).
 */
static void
judged(rl_arena *w, rl_result *res, int with_error)
{
	static const char *const ops =
	    "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"Closed\"},"
	    "{\"op\":\"add\",\"path\":\"/team/-\",\"value\":{\"email\":\"a@b.c\"}}]";
	struct rl_policy_result pol[RL_POLICY_COUNT];
	rl_check_opts o;
	rl_emitter e;
	rl_value *path, *v;
	char big[600];
	size_t i;

	memset(&o, 0, sizeof(o));
	memset(res, 0, sizeof(*res));
	ck_assert_ptr_nonnull(res->id = rl_json_string(w, "r-1", 3));
	ck_assert_ptr_nonnull(res->if_match = rl_json_string(w, "\"7\"", 3));
	ck_assert_ptr_nonnull(res->patch = v = rl_test_json(w, ops));
	res->ops = v->u.a.n;
	ck_assert_ptr_nonnull(res->after = rl_test_json(w, "{\"status\":\"Closed\"}"));
	rl_emitter_init(&e, R, w, res, &o);
	memset(big, 'p', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	ck_assert_ptr_nonnull(path = rl_json_string(w, big, strlen(big)));
	memset(big, 'm', sizeof(big) - 1);
	ck_assert_int_eq(rl_emit(&e, with_error ? RL_PATH_UNKNOWN :
	    RL_WON_TOO_SOON, 1, path, "%s", big), 0);
	ck_assert_ptr_nonnull(res->d[0].text);
	ck_assert_ptr_nonnull(res->d[0].path);
	memset(pol, 0, sizeof(pol));
	for (i = 0; i < RL_POLICY_COUNT; i++)
		pol[i].name = rl_policy_names[i];
	v = rl_json_string(w, "Managed", 7);
	pol[0].props[0].key = "type";
	pol[0].props[0].s = v->u.s.ptr;
	pol[0].props[0].len = v->u.s.len;
	pol[0].nprops = 1;
	pol[0].extra[0] = v->u.s.ptr;
	pol[0].extra_len[0] = 3;
	pol[0].nextra = 1;
	ck_assert_int_eq(rl_emit_eligibility(&e, pol), 0);
}

/* Judged in w, moved to A; then w is reused and scribbled over. */
static void
moved(rl_result *res, int with_error, int apply, rl_buf *before)
{
	rl_arena *w = rl_arena_new(0);
	char *junk;

	ck_assert_ptr_nonnull(w);
	judged(w, res, with_error);
	ck_assert_int_eq(rl_out_accepted(before, res), 0);
	ck_assert_int_eq(rl_result_move(res, A, apply), 0);
	rl_arena_reset(w);
	ck_assert_ptr_nonnull(junk = rl_arena_alloc(w, 60000));
	memset(junk, 'Z', 60000);
	rl_arena_free(w);
}

START_TEST(test_move)
{
	rl_buf before = RL_BUF_INIT, after = RL_BUF_INIT;
	rl_result res;
	const struct rl_policy_result *p;
	const char *ptr;
	size_t plen;

	/* accepted, check: the line in place of the patch */
	moved(&res, 0, 0, &before);
	ck_assert_ptr_null(res.patch);
	ck_assert_ptr_null(res.after);
	ck_assert_uint_eq(res.ops, 2);
	ck_assert_ptr_nonnull(res.line);
	ck_assert_int_eq(rl_out_accepted(&after, &res), 0);
	ck_assert_uint_eq(after.len, before.len);
	ck_assert_int_eq(memcmp(after.data, before.data, before.len), 0);
	ck_assert_str_eq(res.id->u.s.ptr, "r-1");
	ck_assert_str_eq(res.if_match->u.s.ptr, "\"7\"");
	ck_assert_uint_eq(res.n, 1);
	ck_assert_uint_eq(strlen(rl_diag_message(&res.d[0])), 599);
	ck_assert_int_eq(rl_diag_message(&res.d[0])[598], 'm');
	ck_assert_ptr_nonnull(ptr = rl_diag_pointer(&res.d[0], &plen));
	ck_assert_uint_eq(plen, 599);
	ck_assert_int_eq(ptr[598], 'p');
	p = res.eligibility;
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(memcmp(p[0].props[0].s, "Managed", 7), 0);
	ck_assert_int_eq(memcmp(p[0].extra[0], "Man", 3), 0);
	ck_assert_str_eq(p[0].name, rl_policy_names[0]);
	/* an emit-side rule still adds to it */
	ck_assert_int_eq(rl_result_add_text(&res, A, 20, RL_ETAG_STALE,
	    RL_SEV_ERROR, "stale"), 0);
	ck_assert_uint_eq(res.n, 2);
	ck_assert_str_eq(rl_diag_message(&res.d[0]) + 590, "mmmmmmmmm");
	consistent(&res);

	/* rejected: no line, nor patch; its count of ops stays */
	rl_buf_clear(&before);
	moved(&res, 1, 0, &before);
	ck_assert_ptr_null(res.patch);
	ck_assert_ptr_null(res.line);
	ck_assert_uint_eq(res.ops, 2);
	ck_assert(!rl_result_accepted(&res));

	/* apply: the patch and the referral after it are copied */
	rl_buf_clear(&before);
	moved(&res, 0, 1, &before);
	ck_assert_ptr_null(res.line);
	ck_assert_ptr_nonnull(res.patch);
	ck_assert(rl_json_equal(res.after, J("{\"status\":\"Closed\"}")));
	ck_assert(rl_json_equal(res.patch, J("[{\"op\":\"replace\",\"path\":"
	    "\"/status\",\"value\":\"Closed\"},{\"op\":\"add\",\"path\":"
	    "\"/team/-\",\"value\":{\"email\":\"a@b.c\"}}]")));
	rl_buf_clear(&after);
	ck_assert_int_eq(rl_out_accepted(&after, &res), 0);
	ck_assert_uint_eq(after.len, before.len);
	ck_assert_int_eq(memcmp(after.data, before.data, before.len), 0);
	rl_buf_free(&before);
	rl_buf_free(&after);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("result");
	TCase *tc = tcase_create("result");

	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_test(tc, test_max);
	tcase_add_test(tc, test_add_cap);
	tcase_add_test(tc, test_text_find_remove);
	tcase_add_test(tc, test_regrade);
	tcase_add_test(tc, test_prepend);
	tcase_add_test(tc, test_tally);
	tcase_add_test(tc, test_emit);
	tcase_add_test(tc, test_move);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run_with_rules(suite, &R);
}
