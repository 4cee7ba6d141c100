/* check_json.c: the value model, exact decimals and the serializer. */
#include "config.h"

#include <stdio.h>

#include "decimal.h"
#include "tests.h"

/* Compact canonical input must come back byte for byte. */
static const char *const roundtrip[] = {
	"null", "true", "false", "0", "-0", "1e400", "-1.5E-7", "0.000",
	"1234567890123456789012345678901234567890",
	"\"\"", "\"a\\\"b\\\\c\"", "\"\\u0000\\u001f\\n\\t\\r\\b\\f\"",
	"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "\"/ not escaped\"",
	"[]", "{}", "[1,[2,[3,[]]],{}]",
	"{\"b\":1,\"a\":2,\"c\":{\"z\":[true,false,null]}}",
	"{\"\":0,\"a~b/c\":\"x\"}",
};

START_TEST(test_roundtrip)
{
	const char *in = roundtrip[_i];
	rl_value *v = rl_test_parse(A, in);

	ck_assert_str_eq(rl_test_dump(v), in);
}
END_TEST

START_TEST(test_canonical)
{
	/* Whitespace goes, escapes become minimal, order and lexemes stay. */
	rl_value *v = rl_test_parse(A,
	    " { \"z\" : [ 1.0 , 2e+3 ] ,\n \"a\" : \"\\u00e9\\/\\u0041\" } ");

	ck_assert_str_eq(rl_test_dump(v),
	    "{\"z\":[1.0,2e+3],\"a\":\"\xc3\xa9/A\"}");
}
END_TEST

struct cmp_case {
	const char *a, *b;
	int want;
};

static const struct cmp_case cmps[] = {
	{ "1", "1.0", 0 }, { "1", "1e0", 0 }, { "1.0", "10e-1", 0 },
	{ "0.1e1", "1", 0 }, { "-0", "0", 0 }, { "0e5", "0.000", 0 },
	{ "25000", "25000.00", 0 }, { "25000", "25000.01", -1 },
	{ "25000.01", "25000", 1 }, { "2.5e4", "25000", 0 },
	{ "1e5", "25000", 1 }, { "-1", "1", -1 }, { "-2", "-1", -1 },
	{ "1e400", "1e399", 1 }, { "1e-400", "0", 1 }, { "-1e-400", "0", -1 },
	{ "1234567890123456789012345678901234567890",
	  "1234567890123456789012345678901234567891", -1 },
	{ "1234567890123456789012345678901234567890", "1.23456789012345678901234567890123456789e39", 0 },
	{ "99", "100", -1 }, { "0.5", "0.49999999999999999999", 1 },
	{ "10", "9.999", 1 }, { "123", "12.3e1", 0 },
};

START_TEST(test_decimal_cmp)
{
	const struct cmp_case *c = &cmps[_i];

	ck_assert_int_eq(rl_decimal_cmp(c->a, strlen(c->a), c->b, strlen(c->b)), c->want);
	ck_assert_int_eq(rl_decimal_cmp(c->b, strlen(c->b), c->a, strlen(c->a)), -c->want);
}
END_TEST

struct valid_case {
	const char *s;
	int ok;
};

static const struct valid_case valids[] = {
	{ "0", 1 }, { "-0", 1 }, { "10", 1 }, { "1.5", 1 }, { "1e5", 1 },
	{ "1E+5", 1 }, { "1e-5", 1 }, { "25000.01", 1 },
	{ "", 0 }, { "-", 0 }, { "01", 0 }, { "1.", 0 }, { ".5", 0 },
	{ "+1", 0 }, { "1e", 0 }, { "1e+", 0 }, { " 1", 0 }, { "1 ", 0 },
	{ "0x10", 0 }, { "1,000", 0 }, { "NaN", 0 }, { "Infinity", 0 },
};

START_TEST(test_decimal_valid)
{
	const struct valid_case *c = &valids[_i];

	ck_assert_int_eq(rl_decimal_valid(c->s, strlen(c->s)), c->ok);
}
END_TEST

struct eq_case {
	const char *a, *b;
	int eq;
};

static const struct eq_case eqs[] = {
	{ "1", "1.0", 1 }, { "1", "1e0", 1 }, { "true", "1", 0 },
	{ "false", "0", 0 }, { "null", "false", 0 }, { "\"1\"", "1", 0 },
	{ "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", 1 },
	{ "{\"a\":1,\"b\":2}", "{\"a\":1}", 0 },
	{ "{\"a\":1}", "{\"a\":1,\"b\":2}", 0 },
	{ "{\"a\":{\"x\":[1,2]}}", "{\"a\":{\"x\":[1.0,2]}}", 1 },
	{ "[1,2]", "[2,1]", 0 }, { "[]", "{}", 0 }, { "\"a\"", "\"a\"", 1 },
	{ "\"a\\u0000\"", "\"a\"", 0 },
};

START_TEST(test_equal)
{
	const struct eq_case *c = &eqs[_i];
	rl_value *a = rl_test_parse(A, c->a), *b = rl_test_parse(A, c->b);

	ck_assert_int_eq(rl_json_equal(a, b), c->eq);
	ck_assert_int_eq(rl_json_equal(b, a), c->eq);
}
END_TEST

START_TEST(test_edits)
{
	rl_value *arr = rl_json_array(A, 0), *obj = rl_json_object(A, 0), *v;
	int i;

	ck_assert_ptr_nonnull(arr);
	for (i = 0; i < 10; i++) {
		char lex[4];
		snprintf(lex, sizeof(lex), "%d", i);
		ck_assert_int_eq(rl_json_array_insert(A, arr, arr->u.a.n,
		    rl_json_number(A, lex, strlen(lex))), 0);
	}
	ck_assert_int_eq(rl_json_array_insert(A, arr, 0, rl_json_null(A)), 0);
	v = rl_json_array_remove(arr, 5);
	ck_assert_str_eq(rl_test_dump(v), "4");
	ck_assert_str_eq(rl_test_dump(arr), "[null,0,1,2,3,5,6,7,8,9]");

	ck_assert_int_eq(rl_json_object_insert(A, obj, 0, "b", 1, rl_json_bool(A, 1)), 0);
	ck_assert_int_eq(rl_json_object_insert(A, obj, 0, "a", 1, rl_json_bool(A, 0)), 0);
	ck_assert_int_eq(rl_json_object_insert(A, obj, 2, "c", 1, arr), 0);
	ck_assert_int_eq(rl_json_object_find(obj, "c", 1), 2);
	ck_assert_int_eq(rl_json_object_find(obj, "d", 1), -1);
	ck_assert_ptr_eq(rl_json_get(obj, "c"), arr);
	v = rl_json_object_remove(obj, 0);
	ck_assert_int_eq(v->type, RL_FALSE);
	ck_assert_str_eq(rl_test_dump(obj), "{\"b\":true,\"c\":[null,0,1,2,3,5,6,7,8,9]}");
}
END_TEST

START_TEST(test_copy_is_deep)
{
	rl_value *v = rl_test_parse(A, "{\"a\":[1,{\"b\":\"c\"}]}");
	rl_value *c = rl_json_copy(A, v);

	ck_assert_ptr_nonnull(c);
	ck_assert(rl_json_equal(v, c));
	/* Editing the copy leaves the original alone. */
	rl_json_array_remove(rl_json_get(c, "a"), 0);
	ck_assert_str_eq(rl_test_dump(v), "{\"a\":[1,{\"b\":\"c\"}]}");
	ck_assert_str_eq(rl_test_dump(c), "{\"a\":[{\"b\":\"c\"}]}");
}
END_TEST

START_TEST(test_arena_reset_bounded)
{
	size_t base;
	int i;

	ck_assert_ptr_nonnull(rl_arena_alloc(A, 10));
	base = rl_arena_footprint(A);
	for (i = 0; i < 100; i++) {
		/* An oversized block, then reset: memory goes back down. */
		ck_assert_ptr_nonnull(rl_arena_alloc(A, 1 << 20));
		ck_assert_ptr_nonnull(rl_arena_alloc(A, 100));
		ck_assert_uint_gt(rl_arena_footprint(A), base);
		rl_arena_reset(A);
		ck_assert_uint_le(rl_arena_footprint(A), base);
	}
}
END_TEST

START_TEST(test_alloc_failure)
{
	rl_arena *a;

	rl_alloc_fail_after(1);
	a = rl_arena_new(0);
	ck_assert_ptr_null(a);
	rl_alloc_fail_after(2);
	a = rl_arena_new(0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_null(rl_json_null(a));
	rl_alloc_fail_after(0);
	ck_assert_ptr_nonnull(rl_json_null(a));
	rl_arena_free(a);
}
END_TEST

START_TEST(test_quote_controls)
{
	rl_buf b = RL_BUF_INIT;
	const char in[] = "a\0b\x01\x7f";

	ck_assert_int_eq(rl_json_quote(&b, in, sizeof(in) - 1), 0);
	ck_assert_str_eq(rl_buf_cstr(&b), "\"a\\u0000b\\u0001\x7f\"");
	rl_buf_free(&b);
}
END_TEST

/*
 * The word-at-a-time scan against a byte-at-a-time model: every length up
 * to 40, with each byte that needs escaping (and some that do not: DEL,
 * 0x80, 0xff, ' ', '/') at every position, over plain, UTF-8 and
 * high-byte backgrounds.
 */
static void
quote_model(rl_buf *b, const unsigned char *s, size_t len)
{
	size_t i;

	rl_buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			rl_buf_putc(b, '\\');
			rl_buf_putc(b, (char)s[i]);
		} else if (s[i] == '\b')
			rl_buf_puts(b, "\\b");
		else if (s[i] == '\f')
			rl_buf_puts(b, "\\f");
		else if (s[i] == '\n')
			rl_buf_puts(b, "\\n");
		else if (s[i] == '\r')
			rl_buf_puts(b, "\\r");
		else if (s[i] == '\t')
			rl_buf_puts(b, "\\t");
		else if (s[i] < 0x20)
			rl_buf_printf(b, "\\u%04x", s[i]);
		else
			rl_buf_putc(b, (char)s[i]);
	}
	rl_buf_putc(b, '"');
}

START_TEST(test_quote_positions)
{
	static const unsigned char probe[] = {
		0, 1, '\b', '\t', '\n', 0x1f, '"', '\\', ' ', '/', 0x7f, 0x80,
		0xff, '!', '#', '[', ']', 0x21, 0x5b, 0x5d
	};
	static const unsigned char bg[] = { 'a', 0xc3, 0x5c + 1, 0x22 + 1 };
	unsigned char in[40];
	rl_buf got = RL_BUF_INIT, want = RL_BUF_INIT;
	size_t len, at, k, g;

	for (g = 0; g < sizeof(bg); g++)
		for (len = 0; len <= sizeof(in); len++)
			for (at = 0; at <= len; at++)
				for (k = 0; k < sizeof(probe); k++) {
					memset(in, bg[g], len);
					if (at < len)
						in[at] = probe[k];
					/* a second special near the end */
					if (len > 2 && at + 2 < len && k % 3 == 0)
						in[len - 1] = '"';
					rl_buf_clear(&got);
					rl_buf_clear(&want);
					ck_assert_int_eq(rl_json_quote(&got,
					    (const char *)in, len), 0);
					quote_model(&want, in, len);
					ck_assert_uint_eq(got.len, want.len);
					ck_assert(memcmp(got.data, want.data,
					    got.len) == 0);
				}
	rl_buf_free(&got);
	rl_buf_free(&want);
}
END_TEST

/* ASCII letters fold, nothing else does: not '@' and '`', not UTF-8. */
START_TEST(test_ascii_caseeq)
{
	ck_assert(rl_ascii_caseeq("Path", 4, "pATH", 4));
	ck_assert(rl_ascii_caseeq("", 0, "", 0));
	ck_assert(!rl_ascii_caseeq("path", 4, "paths", 5));
	ck_assert(!rl_ascii_caseeq("@", 1, "`", 1));
	ck_assert(!rl_ascii_caseeq("[", 1, "{", 1));
	ck_assert(!rl_ascii_caseeq("\xc3\x89", 2, "\xc3\xa9", 2));
	ck_assert_int_eq(rl_ascii_lower('Z'), 'z');
	ck_assert_int_eq(rl_ascii_lower('z'), 'z');
	ck_assert_int_eq(rl_ascii_lower(0xC9), 0xC9);
}
END_TEST

#define N(x) (int)(sizeof(x) / sizeof((x)[0]))

static Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("values");

	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_loop_test(tc, test_roundtrip, 0, N(roundtrip));
	tcase_add_test(tc, test_canonical);
	tcase_add_loop_test(tc, test_decimal_cmp, 0, N(cmps));
	tcase_add_loop_test(tc, test_decimal_valid, 0, N(valids));
	tcase_add_loop_test(tc, test_equal, 0, N(eqs));
	tcase_add_test(tc, test_edits);
	tcase_add_test(tc, test_copy_is_deep);
	tcase_add_test(tc, test_arena_reset_bounded);
	tcase_add_test(tc, test_alloc_failure);
	tcase_add_test(tc, test_quote_controls);
	tcase_add_test(tc, test_quote_positions);
	tcase_add_test(tc, test_ascii_caseeq);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run(json_suite());
}
