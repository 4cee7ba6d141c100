/* check_regex.c: the PCRE2 wrapper: errors, explicit lengths, limits. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* clock_gettime under -std=c99 */
#endif
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <check.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "regex.h"
#include "tests.h"

#define N(x) (int)(sizeof(x) / sizeof((x)[0]))

static rl_regex *
compile(const char *pattern, unsigned flags)
{
	rl_regex_error e;
	rl_regex *re = rl_regex_new(pattern, strlen(pattern), flags, &e);

	ck_assert_msg(re != NULL, "%s: %s at %zu", pattern, e.message,
	    e.offset);
	return re;
}

/* PCRE2's offset (in bytes) and the start of its message. */
static const struct bad_case {
	const char *pattern;
	size_t offset;
	const char *message;
} bads[] = {
	{ "a(b", 3, "missing closing parenthesis" },
	{ "^[a-", 4, "missing terminating ] for character class" },
	{ "*a", 0, "quantifier does not follow a repeatable item" },
	{ "x{2,1}", 5, "numbers out of order in {} quantifier" },
	{ "[z-a]", 3, "range out of order in character class" },
	{ "a)", 1, "unmatched closing parenthesis" },
	{ "(?<n>a)(?<n>b)", 12, "two named subpatterns have the same name" },
	{ "\\k<nope>", 3, "reference to non-existent subpattern" },
	{ "ab\\", 3, "\\ at end of pattern" },
	/* \C could split a UTF-8 character: refused. */
	{ "a\\C", 3, "using \\C is disabled" },
	/* A pattern is UTF-8 too. */
	{ "ab\xff", 2, "UTF-8 error" },
};

START_TEST(test_compile_error)
{
	const struct bad_case *c = &bads[_i];
	rl_regex_error e;
	rl_regex *re;

	memset(&e, 0x55, sizeof(e));
	re = rl_regex_new(c->pattern, strlen(c->pattern), 0, &e);
	ck_assert_ptr_null(re);
	ck_assert_int_eq(e.nomem, 0);
	ck_assert_uint_eq(e.offset, c->offset);
	ck_assert_msg(strncmp(e.message, c->message, strlen(c->message)) == 0,
	    "%s: got \"%s\"", c->pattern, e.message);
	/* No details wanted is allowed too. */
	ck_assert_ptr_null(rl_regex_new(c->pattern, strlen(c->pattern), 0,
	    NULL));
}
END_TEST

START_TEST(test_pattern_length)
{
	/* Only the first len bytes are the pattern: "a(b" cut before "(b". */
	rl_regex *re = rl_regex_new("a(b", 1, 0, NULL);

	ck_assert_ptr_nonnull(re);
	ck_assert_int_eq(rl_regex_match(re, "a", 1), RL_RE_MATCH);
	ck_assert_int_eq(rl_regex_match(re, "b", 1), RL_RE_NOMATCH);
	rl_regex_free(re);
	rl_regex_free(NULL);
}
END_TEST

#define EMAIL "^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$"

/* Subjects are (pointer, length): they may hold NUL bytes. */
static const struct match_case {
	const char *pattern;
	unsigned flags;
	const char *subject;
	size_t len;
	int want;
} matches[] = {
	{ EMAIL, 0, "a@b.cd", 6, RL_RE_MATCH },
	/* DOLLAR_ENDONLY: "$" does not match before a final newline. */
	{ EMAIL, 0, "a@b.cd\n", 7, RL_RE_NOMATCH },
	{ "^a$", 0, "a\n", 2, RL_RE_NOMATCH },
	{ "^a\\Z", 0, "a\n", 2, RL_RE_MATCH },
	{ "(?m)^a$", 0, "a\nb", 3, RL_RE_MATCH },
	/* No implicit anchoring. */
	{ "b", 0, "abc", 3, RL_RE_MATCH },
	{ "^b$", 0, "abc", 3, RL_RE_NOMATCH },
	/* Embedded NUL bytes are part of the subject. */
	{ "^a\\x00b$", 0, "a\0b", 3, RL_RE_MATCH },
	{ "^a.b$", 0, "a\0b", 3, RL_RE_MATCH },
	{ "^ab$", 0, "a\0b", 3, RL_RE_NOMATCH },
	{ "^a$", 0, "a\0", 2, RL_RE_NOMATCH },
	/* Only len bytes count, whatever follows them. */
	{ "^abc$", 0, "abcdef", 3, RL_RE_MATCH },
	{ "^abcd$", 0, "abcdef", 3, RL_RE_NOMATCH },
	{ "^$", 0, "abc", 0, RL_RE_MATCH },
	/* Case: off by default, on with the flag, Unicode-aware in UTF mode. */
	{ "^abc$", 0, "ABC", 3, RL_RE_NOMATCH },
	{ "^abc$", RL_RE_CASELESS, "ABC", 3, RL_RE_MATCH },
	{ "^abc$", RL_RE_CASELESS, "ABD", 3, RL_RE_NOMATCH },
	{ "^caf\xc3\xa9$", RL_RE_CASELESS, "CAF\xc3\x89", 5, RL_RE_MATCH },
	{ "^caf\xc3\xa9$", 0, "CAF\xc3\x89", 5, RL_RE_NOMATCH },
	/* UTF mode: "." is one character, not one byte. */
	{ "^.$", 0, "\xc3\xa9", 2, RL_RE_MATCH },
	{ "^..$", 0, "\xc3\xa9", 2, RL_RE_NOMATCH },
	{ "^.$", 0, "\xf0\x9f\x98\x80", 4, RL_RE_MATCH },
	/* No UCP: \d is 0-9 only, not ARABIC-INDIC DIGIT THREE. */
	{ "^\\d+$", 0, "0123456789", 10, RL_RE_MATCH },
	{ "^\\d+$", 0, "\xd9\xa3", 2, RL_RE_NOMATCH },
	/* Capturing groups beyond the one-pair match data still match. */
	{ "^(a)(b)(c)$", 0, "abc", 3, RL_RE_MATCH },
	/* Invalid UTF-8 is an error, never a match or a mismatch. */
	{ "^.*$", 0, "a\xff" "b", 3, RL_RE_ERROR },
	{ "^.*$", 0, "ab\xc3", 3, RL_RE_ERROR },            /* truncated */
	{ "^.*$", 0, "\xc0\xaf", 2, RL_RE_ERROR },          /* overlong */
	{ "^.*$", 0, "\xed\xa0\x80", 3, RL_RE_ERROR },      /* surrogate */
	{ "x", 0, "\x80x", 2, RL_RE_ERROR },
	/* A cut inside a character makes the subject invalid. */
	{ "^.*$", 0, "\xc3\xa9", 1, RL_RE_ERROR },
};

START_TEST(test_match)
{
	const struct match_case *c = &matches[_i];
	rl_regex *re = compile(c->pattern, c->flags);
	int i;

	/* Twice: the reused match data must not carry anything over. */
	for (i = 0; i < 2; i++)
		ck_assert_msg(rl_regex_match(re, c->subject, c->len) == c->want,
		    "%s on case %d: want %d (%s)", c->pattern, _i, c->want,
		    rl_regex_errmsg(re));
	if (c->want >= 0)
		ck_assert_str_eq(rl_regex_errmsg(re), "");
	rl_regex_free(re);
}
END_TEST

START_TEST(test_not_terminated)
{
	/* A subject in the middle of a buffer with no NUL anywhere. */
	char *buf = malloc(8);
	rl_regex *re = compile("^[0-9]{3}$", 0);

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, "x1234567", 8);
	ck_assert_int_eq(rl_regex_match(re, buf + 1, 3), RL_RE_MATCH);
	ck_assert_int_eq(rl_regex_match(re, buf + 5, 3), RL_RE_MATCH);
	ck_assert_int_eq(rl_regex_match(re, buf + 1, 4), RL_RE_NOMATCH);
	ck_assert_int_eq(rl_regex_match(re, buf, 3), RL_RE_NOMATCH);
	ck_assert_int_eq(rl_regex_match(re, buf + 7, 0), RL_RE_NOMATCH);
	rl_regex_free(re);
	free(buf);
}
END_TEST

START_TEST(test_utf8_error_text)
{
	rl_regex *re = compile("^.*$", 0);

	ck_assert_int_eq(rl_regex_match(re, "ab\xff" "c", 4), RL_RE_ERROR);
	ck_assert_str_eq(rl_regex_errmsg(re),
	    "UTF-8 error: illegal byte (0xfe or 0xff) at byte 2");
	/* The next match clears it. */
	ck_assert_int_eq(rl_regex_match(re, "abc", 3), RL_RE_MATCH);
	ck_assert_str_eq(rl_regex_errmsg(re), "");
	rl_regex_free(re);
}
END_TEST

static double
seconds_now(void)
{
	struct timespec ts;

	ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * R9: catastrophic patterns on 100 000 "a" and a "b" end in an error, in
 * well under a second (a safety bound, not a speed target), with JIT (when
 * the platform has it) and with the interpreter.
 */
static const struct slow_case {
	const char *pattern;
	const char *error;
} slows[] = {
	{ "^(a+)+$", "match limit exceeded" },
	{ "(*NO_JIT)^(a+)+$", "match limit exceeded" },
	{ "^(a*)*$", "match limit exceeded" },
	{ "(*NO_JIT)^(a*)*$", "match limit exceeded" },
	{ "^((a+)+)+$", "match limit exceeded" },
	{ "(*NO_JIT)^((a+)+)+$", "match limit exceeded" },
	/* Deep rather than wide: JIT's stack runs out, then the interpreter's
	 * depth limit ends it. */
	{ "^(a|a)*$", "matching depth limit exceeded" },
	{ "(*NO_JIT)^(a|a)*$", "matching depth limit exceeded" },
};

/*
 * The time bound of R9, scaled by REFLINT_TIME_FACTOR: make check-valgrind
 * sets it, since everything runs some 50 times slower under valgrind.
 */
static double
time_bound(double secs)
{
	const char *f = getenv("REFLINT_TIME_FACTOR");
	long k = f != NULL ? strtol(f, NULL, 10) : 1;

	return k > 1 ? secs * (double)k : secs;
}

START_TEST(test_catastrophic)
{
	const struct slow_case *c = &slows[_i];
	size_t n = 100000;
	char *s = malloc(n + 1);
	rl_regex *re = compile(c->pattern, 0);
	double t;
	int rc;

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', n);
	s[n] = 'b';
	t = seconds_now();
	rc = rl_regex_match(re, s, n + 1);
	t = seconds_now() - t;
	ck_assert_int_eq(rc, RL_RE_ERROR);
	ck_assert_str_eq(rl_regex_errmsg(re), c->error);
	ck_assert_msg(t < time_bound(1.0), "%s took %.3f s", c->pattern, t);
	rl_regex_free(re);
	free(s);
}
END_TEST

START_TEST(test_jit_stack_fallback)
{
	/*
	 * About 1500 repetitions of a group exhaust JIT's 32 KiB stack but
	 * not the interpreter's depth limit: the answer must not depend on
	 * whether JIT is there.
	 */
	size_t n = 3000;
	char *s = malloc(n);
	rl_regex *jit = compile("^(?:a|b)*$", 0);
	rl_regex *interp = compile("(*NO_JIT)^(?:a|b)*$", 0);

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', n);
	ck_assert_int_eq(rl_regex_match(jit, s, n), RL_RE_MATCH);
	ck_assert_int_eq(rl_regex_match(interp, s, n), RL_RE_MATCH);
	s[n - 1] = 'c';
	ck_assert_int_eq(rl_regex_match(jit, s, n), RL_RE_NOMATCH);
	ck_assert_int_eq(rl_regex_match(interp, s, n), RL_RE_NOMATCH);
	rl_regex_free(jit);
	rl_regex_free(interp);
	free(s);
}
END_TEST

START_TEST(test_set_limits)
{
	rl_regex *re = compile("(*NO_JIT)^(?:a|b)+$", 0);
	const char *s = "abababababababababab";

	ck_assert_int_eq(rl_regex_match(re, s, 20), RL_RE_MATCH);
	rl_regex_set_limits(re, 0, 5, 0);
	ck_assert_int_eq(rl_regex_match(re, s, 20), RL_RE_ERROR);
	ck_assert_str_eq(rl_regex_errmsg(re), "matching depth limit exceeded");
	rl_regex_set_limits(re, 3, 1000, 0);
	ck_assert_int_eq(rl_regex_match(re, s, 20), RL_RE_ERROR);
	ck_assert_str_eq(rl_regex_errmsg(re), "match limit exceeded");
	/* 0 keeps a limit as it is; raising them restores the match. */
	rl_regex_set_limits(re, RL_RE_MATCH_LIMIT, 0, 0);
	ck_assert_int_eq(rl_regex_match(re, s, 20), RL_RE_MATCH);
	rl_regex_free(re);
}
END_TEST

START_TEST(test_heap_limit)
{
	/* A deep match with a tiny heap: the heap limit ends it. */
	size_t n = 5000;
	char *s = malloc(n);
	rl_regex *re = compile("(*NO_JIT)^(a|b)*$", 0);

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', n);
	rl_regex_set_limits(re, 0, 1000000, 64);
	ck_assert_int_eq(rl_regex_match(re, s, n), RL_RE_ERROR);
	ck_assert_str_eq(rl_regex_errmsg(re), "heap limit exceeded");
	rl_regex_free(re);
	free(s);
}
END_TEST

START_TEST(test_jit_reported)
{
	rl_regex *re = compile("^a+$", 0);
	rl_regex *no = compile("(*NO_JIT)^a+$", 0);
	uint32_t have = 0;

	/* Best effort: we get JIT exactly when PCRE2 was built with it. */
	ck_assert_int_eq(pcre2_config(PCRE2_CONFIG_JIT, &have), 0);
	ck_assert_int_eq(rl_regex_jit(re), have != 0);
	ck_assert_int_eq(rl_regex_jit(no), 0);
	rl_regex_free(re);
	rl_regex_free(no);
}
END_TEST

/*
 * R7: the N-th allocation fails, for every N along compile and match: a
 * clean NULL or RL_RE_NOMEM every time, never a crash or a leak (ASan).
 * PCRE2's own allocations must be among them, or the test could not make
 * them fail: the handle alone is one, PCRE2 makes at least four more (its
 * contexts, the code, the match data), and the interpreter takes its
 * backtracking frames from the heap on the first match.
 */
START_TEST(test_alloc_failure)
{
	const char *pattern = _i ? "(*NO_JIT)^(a|b)+$" : "^(a|b)+$";
	unsigned long n, new_failed = 0, match_failed = 0;
	int done = 0;

	for (n = 1; !done && n < 1000; n++) {
		rl_regex_error e;
		rl_regex *re;
		int rc;

		rl_alloc_fail_after(n);
		re = rl_regex_new(pattern, strlen(pattern), 0, &e);
		if (re == NULL) {
			ck_assert_msg(e.nomem, "n=%lu: %s", n, e.message);
			ck_assert_str_eq(e.message, "out of memory");
			new_failed++;
			continue;
		}
		rc = rl_regex_match(re, "abab", 4);
		if (rc == RL_RE_NOMEM) {
			ck_assert_str_eq(rl_regex_errmsg(re), "out of memory");
			match_failed++;
		} else {
			ck_assert_int_eq(rc, RL_RE_MATCH);
			done = rl_alloc_count() < n;
		}
		rl_regex_free(re);
	}
	rl_alloc_fail_after(0);
	ck_assert_msg(done, "never got through without a failed allocation");
	ck_assert_uint_ge(new_failed, 5);
	if (_i)
		ck_assert_uint_ge(match_failed, 1);
}
END_TEST

static Suite *
regex_suite(void)
{
	Suite *s = suite_create("regex");
	TCase *tc = tcase_create("regex");

	tcase_add_loop_test(tc, test_compile_error, 0, N(bads));
	tcase_add_test(tc, test_pattern_length);
	tcase_add_loop_test(tc, test_match, 0, N(matches));
	tcase_add_test(tc, test_not_terminated);
	tcase_add_test(tc, test_utf8_error_text);
	tcase_add_loop_test(tc, test_catastrophic, 0, N(slows));
	tcase_add_test(tc, test_jit_stack_fallback);
	tcase_add_test(tc, test_set_limits);
	tcase_add_test(tc, test_heap_limit);
	tcase_add_test(tc, test_jit_reported);
	tcase_add_loop_test(tc, test_alloc_failure, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run(regex_suite());
}
