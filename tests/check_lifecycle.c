/*
 * check_lifecycle.c: the transition table of rules/lifecycle.json, walked
 * by lifecycle.c, against the lifecycle of reflint(1), Judging, written out here once more:
 * every row passes, every other target fails, with the right code, both
 * through rl_lifecycle_judge and through a whole record.
 */
#include "config.h"

#include <stdio.h>

#include "lifecycle.h"
#include "tests.h"
#include "validate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static rl_rules *R;

static const char *const states[] = {
	"New/Pending", "New/Received", "Active/Accepted", "Closed/Won",
	"Closed/Lost", "Closed/Declined", "Closed/Expired", "Closed/Error",
};
#define NS N(states)

/* The lifecycle, as reflint(1) states it. */
static const struct {
	const char *from;
	const char *to[4];
} spec[] = {
	{ "New/Pending", { "New/Received", "Active/Accepted", "Closed/Declined", "Closed/Error" } },
	{ "New/Received", { "Active/Accepted", "Closed/Declined", "Closed/Error", NULL } },
	{ "Active/Accepted", { "Closed/Won", "Closed/Lost", "Closed/Error", NULL } },
};

static int
allowed(const char *from, const char *to)
{
	size_t i, k;

	for (i = 0; i < N(spec); i++)
		if (strcmp(spec[i].from, from) == 0)
			for (k = 0; k < 4 && spec[i].to[k]; k++)
				if (strcmp(spec[i].to[k], to) == 0)
					return 1;
	return 0;
}

static void
state_of(const char *text, struct rl_state *s)
{
	const char *slash = strchr(text, '/');

	s->status = text;
	s->slen = (size_t)(slash - text);
	s->substatus = slash + 1;
	s->sublen = strlen(slash + 1);
}

/* The code the specification calls for when a patch moves from -> to. */
static rl_code
expected(const char *from, const char *to)
{
	if (strncmp(from, "Closed/", 7) == 0)
		return RL_REFERRAL_CLOSED;
	if (strcmp(from, to) == 0)
		return RL_OK;
	if (strcmp(to, "Closed/Expired") == 0)
		return RL_TRANSITION_SYSTEM_ONLY;
	return allowed(from, to) ? RL_OK : RL_TRANSITION;
}

/* _i runs over every (from, to): NS x NS. */
START_TEST(test_judge)
{
	const char *from = states[_i / NS], *to = states[_i % NS];
	struct rl_state f, t;
	rl_code want = expected(from, to);

	state_of(from, &f);
	state_of(to, &t);
	if (want == RL_REFERRAL_CLOSED)
		want = strcmp(to, "Closed/Expired") == 0 ?
		    RL_TRANSITION_SYSTEM_ONLY : RL_TRANSITION;
	ck_assert_msg(rl_lifecycle_judge(R, &f, &t) == want, "%s -> %s: got %s, want %s",
	    from, to, rl_code_name(rl_lifecycle_judge(R, &f, &t)), rl_code_name(want));
	ck_assert(rl_lifecycle_valid(R, &f));
	ck_assert_int_eq(rl_lifecycle_terminal(R, &f), strncmp(from, "Closed/", 7) == 0);
}
END_TEST

/* The same, through a whole record: the patch replaces both members. */
START_TEST(test_record)
{
	const char *from = states[_i / NS], *to = states[_i % NS];
	char ref[256], patch[256];
	const char *fs = strchr(from, '/'), *ts = strchr(to, '/');
	rl_arena *a = rl_arena_new(0);
	rl_code want = expected(from, to);
	rl_check_opts o;
	rl_result res;
	size_t i;

	snprintf(ref, sizeof(ref), "{\"status\":\"%.*s\",\"substatus\":\"%s\","
	    "\"statusReason\":\"r\",\"createdDateTime\":\"2020-01-01T00:00:00Z\"}",
	    (int)(fs - from), from, fs + 1);
	snprintf(patch, sizeof(patch), "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"%.*s\"},"
	    "{\"op\":\"replace\",\"path\":\"/substatus\",\"value\":\"%s\"}]",
	    (int)(ts - to), to, ts + 1);
	memset(&o, 0, sizeof(o));
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(rl_check_parts(R, a, rl_test_parse(a, ref), rl_test_parse(a, patch),
	    NULL, NULL, &o, &res), 0);
	for (i = 0; i < res.n; i++)
		ck_assert_msg(res.d[i].severity != RL_SEV_ERROR || res.d[i].code == want,
		    "%s -> %s: %s (%s)", from, to, rl_code_name(res.d[i].code), res.d[i].message);
	ck_assert_msg(res.errors == (want == RL_OK ? 0u : 1u), "%s -> %s: %zu errors",
	    from, to, res.errors);
	rl_arena_free(a);
}
END_TEST

/* Pairs that are not pairs. */
static const char *const not_pairs[] = {
	"New/Won", "Active/Pending", "Closed/Accepted", "Closed/Received",
	"new/Pending", "Open/Pending",
};

START_TEST(test_status_pair)
{
	struct rl_state f, t;

	state_of("Active/Accepted", &f);
	state_of(not_pairs[_i], &t);
	ck_assert(!rl_lifecycle_valid(R, &t));
	ck_assert_int_eq(rl_lifecycle_judge(R, &f, &t), RL_STATUS_PAIR);
}
END_TEST

/* What a closed referral accepts, judged by path alone. */
static const struct acc {
	const char *state, *path;
	int ok;
} accs[] = {
	{ "Closed/Won", "/registrations/-", 1 },
	{ "Closed/Won", "/registrations/0/contract/value", 1 },
	{ "Closed/Won", "/registrations/x/contract/value", 0 },
	{ "Closed/Won", "/registrations/0", 0 },
	{ "Closed/Won", "/name", 0 },
	{ "Closed/Lost", "/registrations/-", 0 },
	{ "Closed/Expired", "/registrations/-", 0 },
};

START_TEST(test_closed_accepts)
{
	rl_arena *a = rl_arena_new(0);
	struct rl_state s;
	rl_pointer p;

	state_of(accs[_i].state, &s);
	ck_assert_int_eq(rl_pointer_parse(a, accs[_i].path, strlen(accs[_i].path), &p, NULL), 0);
	ck_assert_int_eq(rl_lifecycle_closed_accepts(R, &s, &p), accs[_i].ok);
	ck_assert_int_eq(rl_lifecycle_closed_accepts(R, &s, NULL), 0);
	rl_arena_free(a);
}
END_TEST

START_TEST(test_state_text)
{
	struct rl_state s;
	char buf[64];

	memset(&s, 0, sizeof(s));
	ck_assert_str_eq(rl_state_text(&s, buf, sizeof(buf)), "?/?");
	state_of("Closed/Won", &s);
	ck_assert_str_eq(rl_state_text(&s, buf, sizeof(buf)), "Closed/Won");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *tc = tcase_create("lifecycle");

	tcase_add_loop_test(tc, test_judge, 0, (int)(NS * NS));
	tcase_add_loop_test(tc, test_record, 0, (int)(NS * NS));
	tcase_add_loop_test(tc, test_status_pair, 0, N(not_pairs));
	tcase_add_loop_test(tc, test_closed_accepts, 0, N(accs));
	tcase_add_test(tc, test_state_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run_with_rules(suite, &R);
}
