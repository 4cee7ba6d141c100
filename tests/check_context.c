/*
 * check_context.c: what a record is judged against (context.h), the rules'
 * facts it reads (rules.h), and the verdict of judge.h that uses them.
 */
#include "config.h"

#include <stdio.h>

#include "context.h"
#include "judge.h"
#include "tests.h"

static rl_rules *R;

/* Which patches add a registration, by the rules' registrationAdd. */
static const struct {
	const char *patch;
	int adds;
} reg_cases[] = {
	{ "[{'op':'add','path':'/registrations/-','value':{}}]", 1 },
	{ "[{'op':'replace','path':'/status','value':'Active'},"
	  "{'op':'add','path':'/registrations/-','value':{}}]", 1 },
	/* a replace inside a registration judges no policy */
	{ "[{'op':'replace','path':'/registrations/0/contract/value','value':1}]", 0 },
	{ "[{'op':'add','path':'/registrations','value':[]}]", 0 },
	{ "[{'op':'add','path':'/registrations/0','value':{}}]", 0 },
	{ "[{'op':'Add','path':'/registrations/-','value':{}}]", 0 },
	{ "[{'op':'add','path':'/registration/-','value':{}}]", 0 },
	{ "[{'op':'add','path':'/registrations/-/x','value':{}}]", 0 },
	/* an escaped token cannot be told without decoding: gather context */
	{ "[{'op':'add','path':'/registrations/~1','value':{}}]", 1 },
	{ "[{'op':'add','path':'','value':{}}]", 0 },
	{ "[{'op':'add','path':'/','value':{}}]", 0 },
	{ "[{'op':'add','value':{}}]", 0 },
	{ "[1, null, 'x']", 0 },
	{ "{}", 0 },
	{ "[]", 0 },
};

START_TEST(test_adds_registration)
{
	rl_arena *a = rl_arena_new(0);
	rl_value *p;

	ck_assert_ptr_nonnull(a);
	p = rl_test_json(a, reg_cases[_i].patch);
	ck_assert_msg(rl_rules_adds_registration(R, p) == reg_cases[_i].adds,
	    "%s: expected %d", reg_cases[_i].patch, reg_cases[_i].adds);
	ck_assert_int_eq(rl_rules_adds_registration(R, NULL), 0);
	rl_arena_free(a);
}
END_TEST

START_TEST(test_engagement)
{
	rl_arena *a = rl_arena_new(0);
	const rl_value *e;

	ck_assert_ptr_nonnull(a);
	e = rl_rules_engagement(R, rl_test_json(a, "{'id':'r','engagementId':'e-1'}"));
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->type, RL_STRING);
	ck_assert_int_eq((int)e->u.s.len, 3);
	ck_assert_ptr_null(rl_rules_engagement(R, rl_test_json(a, "{'id':'r'}")));
	ck_assert_ptr_null(rl_rules_engagement(R, NULL));
	rl_arena_free(a);
}
END_TEST

START_TEST(test_patch_only)
{
	rl_arena *a = rl_arena_new(0);

	ck_assert_ptr_nonnull(a);
	ck_assert(rl_context_patch_only(rl_test_json(a, "{'id':'x','patch':[]}")));
	ck_assert(rl_context_patch_only(rl_test_json(a,
	    "{'id':'x','patch':[],'ifMatch':'W/1'}")));
	ck_assert(!rl_context_patch_only(rl_test_json(a,
	    "{'id':'x','patch':[],'ifMatch':1}")));
	ck_assert(!rl_context_patch_only(rl_test_json(a,
	    "{'id':'x','patch':[],'referral':{}}")));
	ck_assert(!rl_context_patch_only(rl_test_json(a, "{'id':1,'patch':[]}")));
	ck_assert(!rl_context_patch_only(rl_test_json(a, "{'id':'x','patch':{}}")));
	ck_assert(!rl_context_patch_only(rl_test_json(a, "[]")));
	ck_assert(!rl_context_patch_only(NULL));
	rl_arena_free(a);
}
END_TEST

/*
 * Without a snapshot: a paired record is its own context; a patch-only
 * record is not looked up (stateless checks); apply asks for a state.
 */
START_TEST(test_build_no_snapshot)
{
	rl_arena *a = rl_arena_new(0);
	rl_record rec;
	rl_context c;
	rl_result res;
	rl_diag err = RL_DIAG_INIT;
	int accepted;

	ck_assert_ptr_nonnull(a);
	memset(&rec, 0, sizeof(rec));
	rec.value = rl_test_json(a, "{'id':'x','patch':[{'op':'replace',"
	    "'path':'/name','value':'n'}]}");
	ck_assert_int_eq(rl_context_build(R, NULL, a, &rec, NULL,
	    RL_CONTEXT_APPLY, NULL, &c, &err), 0);
	ck_assert(c.patch_only);
	ck_assert(!c.looked_up);
	ck_assert(c.needs_state);
	ck_assert_ptr_null(c.referral);
	ck_assert_ptr_eq(c.record, rec.value);
	ck_assert_int_eq(rl_judge(R, a, &rec, &c, NULL, NULL, 0, &res), 0);
	/* stateless checks pass; apply cannot write the referral after it */
	ck_assert_int_eq(rl_judge_in_order(R, a, NULL, 0, 1, &res, &accepted), 0);
	ck_assert(!accepted);
	ck_assert_int_eq(res.d[res.n - 1].code, RL_REFERRAL_STATE_MISSING);
	ck_assert_int_eq(res.d[res.n - 1].severity, RL_SEV_ERROR);

	/* a record the reader could not build is passed on as it is */
	memset(&rec, 0, sizeof(rec));
	rec.diag = &err;
	rl_diag_set(&err, RL_JSON_SYNTAX, "bad");
	ck_assert_int_eq(rl_context_build(R, NULL, a, &rec, NULL, 0, NULL,
	    &c, &err), 0);
	ck_assert(!c.patch_only);
	ck_assert_ptr_null(c.record);
	rl_arena_free(a);
}
END_TEST

/* In input order: a second record of an id already patched is told so. */
START_TEST(test_in_order)
{
	rl_arena *a = rl_arena_new(0);
	rl_record rec;
	rl_context c;
	rl_result res;
	rl_diag err = RL_DIAG_INIT;
	int accepted;
	static const char *const recs[] = {
		"{'id':'x','patch':[{'op':'replace','path':'/name','value':'n'}]}",
		"{'id':'x','ifMatch':'\\\"1\\\"','patch':[{'op':'replace',"
		"'path':'/name','value':'n'}]}",
	};
	static const rl_code want[] = { RL_REFERRAL_REPEATED, RL_ETAG_STALE };
	size_t i;

	ck_assert_ptr_nonnull(a);
	for (i = 0; i < 2; i++) {
		memset(&rec, 0, sizeof(rec));
		rec.value = rl_test_json(a, recs[i]);
		ck_assert_int_eq(rl_context_build(R, NULL, a, &rec, NULL, 0,
		    NULL, &c, &err), 0);
		ck_assert_int_eq(rl_judge(R, a, &rec, &c, NULL, NULL, 0, &res), 0);
		ck_assert(rl_judge_patches(&res));
		ck_assert_int_eq(rl_judge_in_order(R, a, NULL, 1, 0, &res,
		    &accepted), 0);
		ck_assert_int_eq(res.d[res.n - 1].code, want[i]);
		ck_assert_int_eq(accepted, rl_rules_severity(R, want[i]) !=
		    RL_SEV_ERROR);
	}
	rl_arena_free(a);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("context");
	TCase *tc = tcase_create("context");

	tcase_add_loop_test(tc, test_adds_registration, 0,
	    (int)(sizeof(reg_cases) / sizeof(reg_cases[0])));
	tcase_add_test(tc, test_engagement);
	tcase_add_test(tc, test_patch_only);
	tcase_add_test(tc, test_build_no_snapshot);
	tcase_add_test(tc, test_in_order);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run_with_rules(suite, &R);
}
