/*
 * tests.h: helpers shared by the Check suites in tests/.
 * Included only by tests/check_*.c.
 */
#ifndef RL_TESTS_H
#define RL_TESTS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "json.h"
#include "reader.h"
#include "rules.h"

#if defined(__GNUC__)
#define RL_TEST_UNUSED __attribute__((unused))
#else
#define RL_TEST_UNUSED
#endif

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

/*
 * The arena of a test, for the suites that share one: checked fixtures
 * (tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown)) make it
 * before each test and free it after, ending an allocation failure the
 * test asked for.
 */
static rl_arena *A RL_TEST_UNUSED;

static inline void
rl_test_setup(void)
{
	A = rl_arena_new(0);
	ck_assert_ptr_nonnull(A);
}

static inline void
rl_test_teardown(void)
{
	/* only where a test hooked allocations: the hook makes batches serial */
	if (rl_alloc_hooked())
		rl_alloc_fail_after(0);
	rl_arena_free(A);
	A = NULL;
}

/* Parse a NUL-terminated JSON text, failing the test when it does not parse. */
static inline rl_value *
rl_test_parse(rl_arena *a, const char *text)
{
	rl_diag d = RL_DIAG_INIT;
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

/* rl_test_json in the test's arena. */
#define J(text) rl_test_json(A, (text))

/* Compact serialization as a string owned by the static buffer (tests only). */
static inline const char *
rl_test_dump(const rl_value *v)
{
	static rl_buf b = RL_BUF_INIT;

	rl_buf_clear(&b);
	ck_assert_int_eq(rl_json_serialize(&b, v), 0);
	return rl_buf_cstr(&b);
}

/*
 * Fixtures: files of the source tree, temporary files, the rules.
 */

/* The whole of a file (NUL-terminated, malloc'ed), failing the test if not. */
static inline char *
rl_test_slurp_path(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *p;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_ge(n, 0);
	rewind(fp);
	p = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(fread(p, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	p[n] = '\0';
	if (len != NULL)
		*len = (size_t)n;
	return p;
}

/* The path of a file of the source tree ($top_srcdir), in a static buffer. */
static inline const char *
rl_test_src_path(const char *rel)
{
	static char path[1024];
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	return path;
}

/* A file of the source tree, as rl_test_slurp_path. */
static inline char *
rl_test_slurp(const char *rel, size_t *len)
{
	return rl_test_slurp_path(rl_test_src_path(rel), len);
}

/* A new empty temporary directory (malloc'ed path); rl_test_rmdir removes it. */
static inline char *
rl_test_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *d = malloc(1024);

	ck_assert_ptr_nonnull(d);
	snprintf(d, 1024, "%s/rl-test.XXXXXX", t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(d));
	return d;
}

/* dir/name in a static buffer (one at a time). */
static inline const char *
rl_test_file_in(const char *dir, const char *name)
{
	static char path[1100];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* Write (text, len) to dir/name. */
static inline void
rl_test_write_file(const char *dir, const char *name, const char *text,
    size_t len)
{
	FILE *fp = fopen(rl_test_file_in(dir, name), "wb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

/* Copy the file from to the file to, failing the test if it cannot. */
static inline void
rl_test_copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
}

/* Remove the files named in names (NULL-terminated) and then dir. */
static inline void
rl_test_rmdir(char *dir, const char *const *names)
{
	for (; *names != NULL; names++)
		(void)unlink(rl_test_file_in(dir, *names));
	(void)rmdir(dir);
	free(dir);
}

/*
 * main() of a suite that judges with the shipped rules: loads
 * $REFLINT_RULES into *r for the tests, runs the suite, frees them.  99
 * (a hard error for the TAP driver) when the rules do not load.
 */
static inline int
rl_test_run_with_rules(Suite *(*suite)(void), rl_rules **r)
{
	const char *dir = getenv("REFLINT_RULES");
	int rc;

	if (dir == NULL || (*r = rl_rules_load(dir, NULL, NULL)) == NULL) {
		fprintf(stderr, "REFLINT_RULES: %s\n", dir == NULL ? "not set" :
		    "the rules do not load");
		return 99;
	}
	rc = rl_test_run(suite());
	rl_rules_free(*r);
	*r = NULL;
	return rc;
}

#endif /* RL_TESTS_H */
