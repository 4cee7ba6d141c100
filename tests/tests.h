/*
 * tests.h: helpers shared by the Check suites in tests/.
 * Included only by tests/check_*.c.
 */
#ifndef RL_TESTS_H
#define RL_TESTS_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "json.h"
#include "reader.h"

/* Run a suite with one TAP line per test on stdout (automake's TAP driver). */
static inline int
rl_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Parse a NUL-terminated JSON text, failing the test when it does not parse. */
static inline rl_value *
rl_test_parse(rl_arena *a, const char *text)
{
	rl_diag d;
	rl_value *v = rl_parse_value(text, strlen(text), NULL, a, &d);

	ck_assert_msg(v != NULL, "parse of %s failed: %s", text, d.message);
	return v;
}

/* Parse text written with ' for ", so that tables of JSON stay readable. */
static inline rl_value *
rl_test_json(rl_arena *a, const char *text)
{
	char *s = rl_arena_strndup(a, text, strlen(text));
	char *p;

	ck_assert_ptr_nonnull(s);
	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return rl_test_parse(a, s);
}

/* Compact serialization as a string owned by the static buffer (tests only). */
static inline const char *
rl_test_dump(const rl_value *v)
{
	static rl_buf b = RL_BUF_INIT;

	rl_buf_clear(&b);
	ck_assert_int_eq(rl_json_serialize(&b, v), 0);
	return rl_buf_cstr(&b);
}

#endif /* RL_TESTS_H */
