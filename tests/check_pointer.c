/* check_pointer.c: RFC 6901 JSON Pointer parsing, indices, evaluation. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "pointer.h"
#include "tests.h"

/* Parsing ------------------------------------------------------------ */

#define MAXTOK 4

static const struct parse_case {
	const char *in;
	int ok;
	size_t n;                  /* tokens expected when ok */
	const char *tok[MAXTOK];
} parse_cases[] = {
	{ "", 1, 0, { NULL } },
	{ "/", 1, 1, { "" } },
	{ "//", 1, 2, { "", "" } },
	{ "/foo", 1, 1, { "foo" } },
	{ "/foo/0", 1, 2, { "foo", "0" } },
	{ "/foo/", 1, 2, { "foo", "" } },
	{ "/foo//bar", 1, 3, { "foo", "", "bar" } },
	{ "/a~1b", 1, 1, { "a/b" } },
	{ "/m~0n", 1, 1, { "m~n" } },
	/* ~01 is "~1", not "/": ~0 is decoded first, then never re-read. */
	{ "/~01", 1, 1, { "~1" } },
	{ "/~10", 1, 1, { "/0" } },
	{ "/~1~0~0~1~1", 1, 1, { "/~~//" } },
	{ "/foo/-", 1, 2, { "foo", "-" } },
	{ "/foo/-/bar", 1, 3, { "foo", "-", "bar" } },
	{ "/c%d/e^f/g|h", 1, 3, { "c%d", "e^f", "g|h" } },
	{ "/ ", 1, 1, { " " } },
	{ "/k\"l/i\\j", 1, 2, { "k\"l", "i\\j" } },
	{ "/\xc3\xa9t\xc3\xa9", 1, 1, { "\xc3\xa9t\xc3\xa9" } },
	{ "foo", 0, 0, { NULL } },
	{ "0", 0, 0, { NULL } },
	{ "a/a", 0, 0, { NULL } },
	{ "#", 0, 0, { NULL } },
	{ "#/foo", 0, 0, { NULL } },
	{ "~0", 0, 0, { NULL } },
	{ "/~", 0, 0, { NULL } },
	{ "/foo/bar~", 0, 0, { NULL } },
	{ "/~0~", 0, 0, { NULL } },
	{ "/~0/~", 0, 0, { NULL } },
	{ "/~2", 0, 0, { NULL } },
	{ "/~-1", 0, 0, { NULL } },
	{ "/~~", 0, 0, { NULL } },
	{ "/~a/b", 0, 0, { NULL } },
};

/* A NUL inside a token is a byte like any other, with or without escapes. */
START_TEST(test_parse_nul)
{
	static const char plain[] = "/a\0b/c", esc[] = "/a\0b~1/c";
	rl_pointer p;
	rl_diag d = RL_DIAG_INIT;

	ck_assert_int_eq(rl_pointer_parse(A, plain, sizeof(plain) - 1, &p, &d), 0);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_uint_eq(p.tok[0].len, 3);
	ck_assert(memcmp(p.tok[0].s, "a\0b", 3) == 0);
	ck_assert_uint_eq(p.tok[1].len, 1);
	ck_assert_str_eq(p.tok[1].s, "c");
	ck_assert_int_eq(rl_pointer_parse(A, esc, sizeof(esc) - 1, &p, &d), 0);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_uint_eq(p.tok[0].len, 4);
	ck_assert(memcmp(p.tok[0].s, "a\0b/", 4) == 0);
	ck_assert_str_eq(p.tok[1].s, "c");
}
END_TEST

START_TEST(test_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	rl_pointer p;
	rl_diag d = RL_DIAG_INIT;
	size_t k;
	int r;

	memset(&d, 0, sizeof(d));
	r = rl_pointer_parse(A, c->in, strlen(c->in), &p, &d);
	if (!c->ok) {
		ck_assert_msg(r == -1, "\"%s\" parsed", c->in);
		ck_assert_str_eq(rl_code_name(d.code), "pointer-syntax");
		ck_assert_msg(d.message[0] != '\0', "no message for \"%s\"", c->in);
		ck_assert_str_eq(d.pointer, c->in);
		return;
	}
	ck_assert_msg(r == 0, "\"%s\": %s", c->in, d.message);
	ck_assert_uint_eq(p.n, c->n);
	for (k = 0; k < c->n; k++) {
		ck_assert_uint_eq(p.tok[k].len, strlen(c->tok[k]));
		ck_assert_mem_eq(p.tok[k].s, c->tok[k], p.tok[k].len);
		/* Tokens are NUL-terminated for callers that want C strings. */
		ck_assert_int_eq(p.tok[k].s[p.tok[k].len], '\0');
	}
}
END_TEST

/* Formatting a parsed pointer gives back the same text. */
START_TEST(test_format_roundtrip)
{
	const struct parse_case *c = &parse_cases[_i];
	rl_buf b = RL_BUF_INIT;
	rl_pointer p;

	if (!c->ok)
		return;
	ck_assert_int_eq(rl_pointer_parse(A, c->in, strlen(c->in), &p, NULL), 0);
	ck_assert_int_eq(rl_pointer_format(&b, &p), 0);
	ck_assert_str_eq(rl_buf_cstr(&b), c->in);
	rl_buf_free(&b);
}
END_TEST

START_TEST(test_parse_nul_byte)
{
	static const char in[] = "/a\0b/c";
	rl_buf b = RL_BUF_INIT;
	rl_pointer p;

	ck_assert_int_eq(rl_pointer_parse(A, in, sizeof(in) - 1, &p, NULL), 0);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_uint_eq(p.tok[0].len, 3);
	ck_assert_mem_eq(p.tok[0].s, "a\0b", 3);
	ck_assert_int_eq(rl_pointer_format(&b, &p), 0);
	ck_assert_uint_eq(b.len, sizeof(in) - 1);
	ck_assert_mem_eq(b.data, in, b.len);
	rl_buf_free(&b);
}
END_TEST

START_TEST(test_append)
{
	rl_buf b = RL_BUF_INIT;

	ck_assert_int_eq(rl_pointer_append(&b, "a/b~c", 5), 0);
	ck_assert_int_eq(rl_pointer_append(&b, "", 0), 0);
	ck_assert_int_eq(rl_pointer_append(&b, "~~", 2), 0);
	ck_assert_int_eq(rl_pointer_append(&b, "//", 2), 0);
	ck_assert_int_eq(rl_pointer_append(&b, "plain", 5), 0);
	ck_assert_str_eq(rl_buf_cstr(&b), "/a~1b~0c//~0~0/~1~1/plain");
	rl_buf_free(&b);
}
END_TEST

START_TEST(test_parse_nomem)
{
	rl_pointer p;
	rl_diag d = RL_DIAG_INIT;

	/* A fresh arena has no chunk yet: its first allocation mallocs. */
	rl_alloc_fail_after(1);
	ck_assert_int_eq(rl_pointer_parse(A, "/a/b", 4, &p, &d), -1);
	rl_alloc_fail_after(0);
	ck_assert_str_eq(rl_code_name(d.code), "out-of-memory");
	ck_assert_int_eq(rl_pointer_parse(A, "/a/b", 4, &p, &d), 0);
}
END_TEST

/* Array indices ------------------------------------------------------- */

static const struct index_case {
	const char *tok;
	int kind;
	size_t value;
} index_cases[] = {
	{ "0", RL_INDEX_OK, 0 },
	{ "1", RL_INDEX_OK, 1 },
	{ "9", RL_INDEX_OK, 9 },
	{ "10", RL_INDEX_OK, 10 },
	{ "4294967295", RL_INDEX_OK, 4294967295u },
	{ "-", RL_INDEX_END, 0 },
	{ "", RL_INDEX_BAD, 0 },
	{ "00", RL_INDEX_BAD, 0 },
	{ "01", RL_INDEX_BAD, 0 },
	{ "-1", RL_INDEX_BAD, 0 },
	{ "+1", RL_INDEX_BAD, 0 },
	{ "--", RL_INDEX_BAD, 0 },
	{ "1e0", RL_INDEX_BAD, 0 },
	{ "1.0", RL_INDEX_BAD, 0 },
	{ " 1", RL_INDEX_BAD, 0 },
	{ "1 ", RL_INDEX_BAD, 0 },
	{ "0x1", RL_INDEX_BAD, 0 },
	{ "a", RL_INDEX_BAD, 0 },
	{ "1a", RL_INDEX_BAD, 0 },
};

START_TEST(test_index)
{
	const struct index_case *c = &index_cases[_i];
	rl_token t = { c->tok, strlen(c->tok) };
	size_t i = 12345;
	int r = rl_pointer_index(&t, &i);

	ck_assert_msg(r == c->kind, "\"%s\": %d, want %d", c->tok, r, c->kind);
	if (r == RL_INDEX_OK)
		ck_assert_uint_eq(i, c->value);
}
END_TEST

/* Add one to a decimal string in place (it has room for a carry). */
static void
decimal_increment(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '9')
		s[--n] = '0';
	if (n > 0)
		s[n - 1]++;
	else {
		memmove(s + 1, s, strlen(s) + 1);
		s[0] = '1';
	}
}

START_TEST(test_index_overflow)
{
	char buf[64];
	rl_token t;
	size_t i = 0;

	snprintf(buf, sizeof(buf), "%zu", (size_t)SIZE_MAX);
	t.s = buf;
	t.len = strlen(buf);
	ck_assert_int_eq(rl_pointer_index(&t, &i), RL_INDEX_OK);
	ck_assert_uint_eq(i, SIZE_MAX);
	decimal_increment(buf);
	t.len = strlen(buf);
	ck_assert_int_eq(rl_pointer_index(&t, &i), RL_INDEX_BAD);
	snprintf(buf, sizeof(buf), "%zu0", (size_t)SIZE_MAX);
	t.len = strlen(buf);
	ck_assert_int_eq(rl_pointer_index(&t, &i), RL_INDEX_BAD);
}
END_TEST

/* Evaluation: the example document of RFC 6901 section 5 ---------------- */

static const char rfc_doc[] =
	"{\n"
	"  \"foo\": [\"bar\", \"baz\"],\n"
	"  \"\": 0,\n"
	"  \"a/b\": 1,\n"
	"  \"c%d\": 2,\n"
	"  \"e^f\": 3,\n"
	"  \"g|h\": 4,\n"
	"  \"i\\\\j\": 5,\n"
	"  \"k\\\"l\": 6,\n"
	"  \" \": 7,\n"
	"  \"m~n\": 8\n"
	"}\n";

static const struct get_case {
	const char *ptr;
	const char *want;      /* compact JSON, or NULL for "no value" */
} get_cases[] = {
	{ "", "{\"foo\":[\"bar\",\"baz\"],\"\":0,\"a/b\":1,\"c%d\":2,"
	      "\"e^f\":3,\"g|h\":4,\"i\\\\j\":5,\"k\\\"l\":6,\" \":7,"
	      "\"m~n\":8}" },
	{ "/foo", "[\"bar\",\"baz\"]" },
	{ "/foo/0", "\"bar\"" },
	{ "/", "0" },
	{ "/a~1b", "1" },
	{ "/c%d", "2" },
	{ "/e^f", "3" },
	{ "/g|h", "4" },
	{ "/i\\j", "5" },
	{ "/k\"l", "6" },
	{ "/ ", "7" },
	{ "/m~0n", "8" },
	/* And what is not there. */
	{ "/foo/1", "\"baz\"" },
	{ "/foo/2", NULL },
	{ "/foo/-", NULL },
	{ "/foo/01", NULL },
	{ "/foo/-1", NULL },
	{ "/foo/bar", NULL },
	{ "/foo/0/0", NULL },
	{ "/ /x", NULL },
	{ "/a/b", NULL },
	{ "/FOO", NULL },
	{ "//", NULL },
};

START_TEST(test_get)
{
	const struct get_case *c = &get_cases[_i];
	rl_value *doc = rl_test_parse(A, rfc_doc), *v;
	rl_pointer p;

	ck_assert_int_eq(rl_pointer_parse(A, c->ptr, strlen(c->ptr), &p, NULL), 0);
	v = rl_pointer_get(doc, &p);
	if (c->want == NULL) {
		ck_assert_msg(v == NULL, "\"%s\" found %s", c->ptr, rl_test_dump(v));
		return;
	}
	ck_assert_msg(v != NULL, "\"%s\" not found", c->ptr);
	ck_assert_str_eq(rl_test_dump(v), c->want);
}
END_TEST

/* The root pointer of a scalar document is the scalar itself. */
START_TEST(test_get_scalar_root)
{
	rl_value *doc = rl_test_parse(A, "\"x\"");
	rl_pointer p;

	ck_assert_int_eq(rl_pointer_parse(A, "", 0, &p, NULL), 0);
	ck_assert_ptr_eq(rl_pointer_get(doc, &p), doc);
	ck_assert_int_eq(rl_pointer_parse(A, "/0", 2, &p, NULL), 0);
	ck_assert_ptr_null(rl_pointer_get(doc, &p));
}
END_TEST

#define NELEM(a) (int)(sizeof(a) / sizeof((a)[0]))

static Suite *
pointer_suite(void)
{
	Suite *s = suite_create("pointer");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_loop_test(tc, test_parse, 0, NELEM(parse_cases));
	tcase_add_test(tc, test_parse_nul);
	tcase_add_loop_test(tc, test_format_roundtrip, 0, NELEM(parse_cases));
	tcase_add_test(tc, test_parse_nul_byte);
	tcase_add_test(tc, test_append);
	tcase_add_test(tc, test_parse_nomem);
	suite_add_tcase(s, tc);

	tc = tcase_create("index");
	tcase_add_loop_test(tc, test_index, 0, NELEM(index_cases));
	tcase_add_test(tc, test_index_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("get");
	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_loop_test(tc, test_get, 0, NELEM(get_cases));
	tcase_add_test(tc, test_get_scalar_root);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run(pointer_suite());
}
