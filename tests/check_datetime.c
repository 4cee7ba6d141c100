/* check_datetime.c: RFC 3339 parsing, exact comparisons, CSV dates. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datetime.h"
#include "tests.h"

#define N(x) (int)(sizeof(x) / sizeof((x)[0]))

static rl_instant
parse(const char *s)
{
	rl_instant t;

	ck_assert_msg(rl_datetime_parse(s, strlen(s), &t) == 0,
	    "%s does not parse", s);
	return t;
}

/* Expected Unix times worked out independently (Python's datetime). */
static const struct valid_case {
	const char *s;
	int64_t sec;
	int32_t nsec;
} valids[] = {
	{ "1970-01-01T00:00:00Z", 0, 0 },
	{ "2024-02-29T12:00:00Z", 1709208000, 0 },
	{ "2000-02-29T00:00:00Z", 951782400, 0 },
	{ "2026-03-31T00:00:00Z", 1774915200, 0 },
	{ "2026-03-31T10:15:30Z", 1774952130, 0 },
	/* The offset is subtracted: 10:15:30+05:30 is 04:45:30Z. */
	{ "2026-03-31T10:15:30+05:30", 1774932330, 0 },
	{ "2026-03-31T04:45:30-00:00", 1774932330, 0 },
	{ "2026-03-30T23:45:30-05:00", 1774932330, 0 },
	{ "2026-01-01T01:00:00+23:59", 1767142860, 0 },
	{ "2026-01-01T01:00:00-23:59", 1767315540, 0 },
	/* The service's seven digits. */
	{ "2026-03-31T10:15:30.1234567Z", 1774952130, 123456700 },
	{ "2026-03-31T10:15:30.5Z", 1774952130, 500000000 },
	{ "2026-03-31T10:15:30.000000001Z", 1774952130, 1 },
	{ "2026-03-31T10:15:30.123456789Z", 1774952130, 123456789 },
	/* Past nanoseconds: truncated toward the past. */
	{ "2026-03-31T10:15:30.1234567899999Z", 1774952130, 123456789 },
	{ "2026-03-31T10:15:30.0000000009Z", 1774952130, 0 },
	{ "2026-03-31T10:15:30.0Z", 1774952130, 0 },
	{ "1969-12-31T23:59:59.5Z", -1, 500000000 },
	{ "0000-01-01T00:00:00Z", -62167219200LL, 0 },
	{ "0001-01-01T00:00:00Z", -62135596800LL, 0 },
	{ "1600-03-01T00:00:00Z", -11670912000LL, 0 },
	{ "1900-03-01T00:00:00Z", -2203891200LL, 0 },
	{ "9999-12-31T23:59:59.999999999Z", 253402300799LL, 999999999 },
};

START_TEST(test_valid)
{
	const struct valid_case *c = &valids[_i];
	rl_instant t = parse(c->s);

	ck_assert_msg(t.sec == c->sec, "%s: sec %lld", c->s, (long long)t.sec);
	ck_assert_int_eq(t.nsec, c->nsec);
}
END_TEST

static const char *const invalids[] = {
	"",
	"2023-02-29T00:00:00Z",         /* not a leap year */
	"1900-02-29T00:00:00Z",         /* century, not a leap year */
	"2024-04-31T00:00:00Z",
	"2024-02-30T00:00:00Z",
	"2024-13-01T00:00:00Z",
	"2024-00-10T00:00:00Z",
	"2024-01-00T00:00:00Z",
	"2024-01-32T00:00:00Z",
	"2024-01-01T24:00:00Z",
	"2024-01-01T23:60:00Z",
	"2024-01-01T23:59:60Z",         /* no leap second */
	"2024-01-01t00:00:00Z",
	"2024-01-01T00:00:00z",
	"2024-01-01 00:00:00Z",
	"2024-01-01T00:00:00",          /* no offset */
	"2024-01-01T00:00:00.123",
	"2024-01-01",                   /* date only */
	"2024-01-01T00:00Z",            /* no seconds */
	"2024-01-01T00:00:00.Z",        /* empty fraction */
	"2024-01-01T00:00:00,5Z",
	"2024-01-01T00:00:00.5e3Z",
	"2024-01-01T00:00:00+0530",
	"2024-01-01T00:00:00+05",
	"2024-01-01T00:00:00+05:3",
	"2024-01-01T00:00:00+05:300",
	"2024-01-01T00:00:00+24:00",
	"2024-01-01T00:00:00+05:60",
	"2024-01-01T00:00:00+5:30",
	"2024-01-01T00:00:00 +05:30",
	"2024-01-01T00:00:00ZZ",
	"2024-01-01T00:00:00Z+05:30",
	"2024-01-01T00:00:00+05:30Z",
	"2024-01-01T00:00:00Z ",
	" 2024-01-01T00:00:00Z",
	"24-01-01T00:00:00Z",
	"+2024-01-01T00:00:00Z",
	"-2024-01-01T00:00:00Z",
	"12024-01-01T00:00:00Z",
	"2024-1-01T00:00:00Z",
	"2024-01-1T00:00:00Z",
	"2024-01-01T0:00:00Z",
	"2024/01/01T00:00:00Z",
	"2024-01-01T00.00.00Z",
	"2024-0a-01T00:00:00Z",
	"2024-01-01T00:00:00.+05:30",
	"2024-01-01T00:00:00.-1Z",
	"2024-01-01T00:00:00\xef\xbc\xba",   /* fullwidth Z */
	"\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa4-01-01T00:00:00Z",
};

START_TEST(test_invalid)
{
	const char *s = invalids[_i];
	rl_instant t = { 42, 7 };

	ck_assert_msg(rl_datetime_parse(s, strlen(s), &t) == -1,
	    "%s parses", s);
	/* Nothing written on failure. */
	ck_assert_int_eq(t.sec, 42);
	ck_assert_int_eq(t.nsec, 7);
}
END_TEST

START_TEST(test_explicit_length)
{
	/* A date-time in the first 20 bytes of a larger unterminated buffer. */
	const char text[] = "2026-03-31T00:00:00Z and more";
	char *buf = malloc(sizeof(text) - 1), *exact = malloc(21);
	rl_instant t;

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(exact);
	memcpy(buf, text, sizeof(text) - 1);
	ck_assert_int_eq(rl_datetime_parse(buf, 20, &t), 0);
	ck_assert_int_eq(t.sec, 1774915200);
	ck_assert_int_eq(rl_datetime_parse(buf, 21, &t), -1);
	ck_assert_int_eq(rl_datetime_parse(buf, 19, &t), -1);
	ck_assert_int_eq(rl_datetime_parse(buf, 0, &t), -1);
	/* Nothing is read past len (ASan watches the end of exact). */
	memcpy(exact, "2026-03-31T00:00:00.5", 21);
	ck_assert_int_eq(rl_datetime_parse(exact, 21, &t), -1);
	/* The bytes past len do not complete it. */
	ck_assert_int_eq(rl_datetime_parse("2026-03-31T00:00:00.5Z", 21, &t),
	    -1);
	ck_assert_int_eq(rl_datetime_parse("2026-03-31T00:00:00+05:30", 24,
	    &t), -1);
	/* An embedded NUL is a byte like any other. */
	ck_assert_int_eq(rl_datetime_parse("2026-03-31T00:00:00Z\0", 21, &t),
	    -1);
	ck_assert_int_eq(rl_datetime_parse("2026-03-31T00:00:00\0Z", 21, &t),
	    -1);
	free(buf);
	free(exact);
}
END_TEST

/*
 * Every day of the ranges below, against a calendar counted day by day in
 * the test: parse and format agree with it and with each other.
 */
static const struct range_case {
	int from, to;       /* years, inclusive */
	int64_t first;      /* Unix time of from-01-01 */
} ranges[] = {
	{ 0, 2, -62167219200LL },
	{ 1596, 1604, -11802326400LL },
	{ 1896, 1904, -2335219200LL },
	{ 1968, 2032, -63158400LL },
	{ 2096, 2104, 3976214400LL },
	{ 9997, 9999, 253307692800LL },
};

static int
test_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

START_TEST(test_every_day)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	const struct range_case *c = &ranges[_i];
	int64_t want = c->first;
	int y, m, d;

	for (y = c->from; y <= c->to; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= mdays[m - 1] + (m == 2 &&
			    test_leap(y)); d++) {
				char s[32], back[32];
				rl_instant t;

				snprintf(s, sizeof(s),
				    "%04d-%02d-%02dT12:34:56Z", y, m, d);
				t = parse(s);
				ck_assert_msg(t.sec == want + 45296, "%s", s);
				ck_assert_int_eq(rl_instant_format(t, back),
				    20);
				ck_assert_str_eq(back, s);
				want += RL_SECONDS_PER_DAY;
			}
}
END_TEST

static const struct format_case {
	int64_t sec;
	int32_t nsec;
	const char *want;   /* NULL: out of range */
} formats[] = {
	{ 0, 0, "1970-01-01T00:00:00Z" },
	{ 1774915200, 0, "2026-03-31T00:00:00Z" },
	{ 1774952130, 500000000, "2026-03-31T10:15:30.5Z" },
	{ 1774952130, 123456700, "2026-03-31T10:15:30.1234567Z" },
	{ 1774952130, 100, "2026-03-31T10:15:30.0000001Z" },
	{ 1, 1, "1970-01-01T00:00:01.000000001Z" },
	{ -1, 500000000, "1969-12-31T23:59:59.5Z" },
	{ -86400, 0, "1969-12-31T00:00:00Z" },
	{ -62167219200LL, 0, "0000-01-01T00:00:00Z" },
	{ 253402300799LL, 999999999, "9999-12-31T23:59:59.999999999Z" },
	{ -62167219201LL, 0, NULL },
	{ 253402300800LL, 0, NULL },
	{ INT64_MAX, 0, NULL },
	{ INT64_MIN, 0, NULL },
	{ 0, -1, NULL },
	{ 0, 1000000000, NULL },
};

START_TEST(test_format)
{
	const struct format_case *c = &formats[_i];
	rl_instant t = { c->sec, c->nsec };
	char buf[32];
	int n = rl_instant_format(t, buf);

	if (c->want == NULL) {
		ck_assert_int_eq(n, -1);
		return;
	}
	ck_assert_str_eq(buf, c->want);
	ck_assert_int_eq(n, (int)strlen(c->want));
	/* What we write, we read back to the same instant. */
	t = parse(buf);
	ck_assert_int_eq(t.sec, c->sec);
	ck_assert_int_eq(t.nsec, c->nsec);
}
END_TEST

static const struct cmp_case {
	const char *a, *b;
	int want;
} cmps[] = {
	{ "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 0 },
	{ "2026-01-01T05:30:00+05:30", "2026-01-01T00:00:00Z", 0 },
	{ "2025-12-31T19:00:00-05:00", "2026-01-01T00:00:00.0Z", 0 },
	{ "2026-01-01T00:00:00.000000001Z", "2026-01-01T00:00:00Z", 1 },
	{ "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000000001Z", -1 },
	{ "2025-12-31T23:59:59.999999999Z", "2026-01-01T00:00:00Z", -1 },
	{ "2026-01-01T05:29:59.9999999+05:30", "2026-01-01T00:00:00Z", -1 },
	{ "2026-01-01T00:00:00.1234567Z", "2026-01-01T00:00:00.12345670Z", 0 },
	{ "2026-01-01T00:00:00.1234568Z", "2026-01-01T00:00:00.1234567Z", 1 },
	{ "1969-12-31T23:59:59.9Z", "1970-01-01T00:00:00Z", -1 },
};

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

START_TEST(test_cmp)
{
	const struct cmp_case *c = &cmps[_i];
	rl_instant a = parse(c->a), b = parse(c->b);

	ck_assert_int_eq(sign(rl_instant_cmp(a, b)), c->want);
	ck_assert_int_eq(sign(rl_instant_cmp(b, a)), -c->want);
}
END_TEST

/*
 * The registration windows: "sign at most 60 days in the past" passes at
 * exactly 60 x 86 400 s and fails one nanosecond before; the 72-hour rule
 * works the same way.
 */
#define NOW "2026-03-31T12:00:00Z"

static const struct span_case {
	const char *a, *b;
	int64_t seconds;
	int want;
} spans[] = {
	{ NOW, "2026-01-30T12:00:00Z", 60 * 86400, 0 },
	{ NOW, "2026-01-30T17:30:00+05:30", 60 * 86400, 0 },
	{ NOW, "2026-01-30T12:00:00.0000000Z", 60 * 86400, 0 },
	{ NOW, "2026-01-30T11:59:59.999999999Z", 60 * 86400, 1 },
	{ NOW, "2026-01-30T12:00:00.000000001Z", 60 * 86400, -1 },
	{ NOW, "2026-01-30T12:00:00.0000001Z", 60 * 86400, -1 },
	{ NOW, "2025-12-31T12:00:00Z", 90 * 86400, 0 },
	{ NOW, "2025-12-31T11:59:59Z", 90 * 86400, 1 },
	{ NOW, "2026-03-28T12:00:00Z", 72 * 3600, 0 },
	/* A future date is a negative interval. */
	{ NOW, "2026-04-01T12:00:00Z", 0, -1 },
	{ NOW, NOW, 0, 0 },
	{ "2026-03-31T12:00:00.5Z", NOW, 0, 1 },
	/* Over a leap day: 2024-02-29 counts. */
	{ "2024-03-01T00:00:00Z", "2024-02-28T00:00:00Z", 2 * 86400, 0 },
	{ "2023-03-01T00:00:00Z", "2023-02-28T00:00:00Z", 1 * 86400, 0 },
	/* Spans beyond any calendar neither overflow nor wrap. */
	{ NOW, "0000-01-01T00:00:00Z", INT64_MAX, -1 },
	{ NOW, "9999-12-31T23:59:59Z", INT64_MIN, 1 },
	{ "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.5Z", INT64_MAX, -1 },
	{ "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", INT64_MIN, 1 },
};

START_TEST(test_span)
{
	const struct span_case *c = &spans[_i];
	rl_instant a = parse(c->a), b = parse(c->b);

	ck_assert_int_eq(sign(rl_instant_cmp_span(a, b, c->seconds)), c->want);
}
END_TEST

START_TEST(test_span_extremes)
{
	rl_instant max = { INT64_MAX, 999999999 }, min = { INT64_MIN, 0 };

	/* a - b overflows int64_t; the sign is still right. */
	ck_assert_int_eq(rl_instant_cmp_span(max, min, INT64_MAX), 1);
	ck_assert_int_eq(rl_instant_cmp_span(min, max, INT64_MIN), -1);
	ck_assert_int_eq(rl_instant_cmp_span(max, max, 0), 0);
	ck_assert_int_eq(rl_instant_cmp_span(max, max, 1), -1);
	ck_assert_int_eq(rl_instant_cmp_span(min, min, -1), 1);
}
END_TEST

static const struct diff_case {
	const char *a, *b;
	int64_t want;
} diffs[] = {
	{ "2026-01-01T00:00:01.5Z", "2026-01-01T00:00:00Z", 1 },
	{ "2026-01-01T00:00:00Z", "2026-01-01T00:00:01.5Z", -1 },
	{ "2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00Z", 0 },
	{ "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.5Z", 0 },
	{ "2026-01-01T00:00:01.999999999Z", "2026-01-01T00:00:00Z", 1 },
	{ "2026-01-01T00:00:02Z", "2026-01-01T00:00:00.000000001Z", 1 },
	{ "2026-01-01T00:00:00.000000001Z", "2026-01-01T00:00:02Z", -1 },
	{ "2026-01-01T00:00:02.7Z", "2026-01-01T00:00:00.3Z", 2 },
	{ "2026-03-31T12:00:00Z", "2026-01-30T12:00:00Z", 60 * 86400 },
	{ "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", 315569519999LL },
};

START_TEST(test_diff)
{
	const struct diff_case *c = &diffs[_i];

	ck_assert_int_eq(rl_instant_diff(parse(c->a), parse(c->b)), c->want);
}
END_TEST

START_TEST(test_add)
{
	rl_instant t = parse("2026-01-30T12:00:00.25Z"), u;
	char buf[32];

	u = rl_instant_add(t, 60 * 86400);
	ck_assert_int_eq(rl_instant_format(u, buf), 23);
	ck_assert_str_eq(buf, "2026-03-31T12:00:00.25Z");
	u = rl_instant_add(t, -30 * 86400);
	rl_instant_format(u, buf);
	ck_assert_str_eq(buf, "2025-12-31T12:00:00.25Z");
	ck_assert_int_eq(rl_instant_cmp(rl_instant_add(t, 0), t), 0);
	/* Saturates instead of overflowing (UBSan would catch a wrap). */
	u = rl_instant_add(t, INT64_MAX);
	ck_assert_int_eq(u.sec, INT64_MAX);
	ck_assert_int_eq(u.nsec, 250000000);
	u = rl_instant_add(t, INT64_MIN);
	ck_assert_int_eq(u.sec, INT64_MIN + t.sec);   /* still fits */
	u = rl_instant_add(rl_instant_add(t, INT64_MIN), INT64_MIN);
	ck_assert_int_eq(u.sec, INT64_MIN);
	u.sec = -1;
	ck_assert_int_eq(rl_instant_add(u, INT64_MIN).sec, INT64_MIN);
	u.sec = 1;
	ck_assert_int_eq(rl_instant_add(u, INT64_MIN).sec, INT64_MIN + 1);
	ck_assert_int_eq(rl_instant_diff(rl_instant_add(t, INT64_MAX),
	    rl_instant_add(t, INT64_MIN)), INT64_MAX);
}
END_TEST

/* Spreadsheet dates: MM/DD/YYYY or M/D/YYYY, to midnight UTC. */
static const struct mdy_case {
	const char *s;
	const char *want;   /* NULL: rejected */
} mdys[] = {
	{ "03/31/2026", "2026-03-31T00:00:00Z" },
	{ "3/31/2026", "2026-03-31T00:00:00Z" },
	{ "1/1/2000", "2000-01-01T00:00:00Z" },
	{ "01/01/2000", "2000-01-01T00:00:00Z" },
	{ "1/01/2000", "2000-01-01T00:00:00Z" },
	{ "02/29/2024", "2024-02-29T00:00:00Z" },
	{ "2/29/2000", "2000-02-29T00:00:00Z" },
	{ "12/31/9999", "9999-12-31T00:00:00Z" },
	{ "12/31/1969", "1969-12-31T00:00:00Z" },
	{ "02/29/2023", NULL },
	{ "2/29/1900", NULL },
	{ "04/31/2026", NULL },
	{ "13/01/2026", NULL },
	{ "31/03/2026", NULL },   /* day first: not this format */
	{ "0/1/2026", NULL },
	{ "00/10/2026", NULL },
	{ "1/0/2026", NULL },
	{ "1/32/2026", NULL },
	{ "001/01/2026", NULL },
	{ "01/001/2026", NULL },
	{ "3/31/26", NULL },
	{ "3/31/02026", NULL },
	{ "2026-03-31", NULL },
	{ "2026-03-31T00:00:00Z", NULL },
	{ "3-31-2026", NULL },
	{ "3.31.2026", NULL },
	{ "3/31/2026 ", NULL },
	{ " 3/31/2026", NULL },
	{ "3/31/2026 0:00", NULL },
	{ "", NULL },
	{ "/", NULL },
	{ "3/31/", NULL },
	{ "/31/2026", NULL },
	{ "3//2026", NULL },
	{ "3/31", NULL },
	{ "+3/31/2026", NULL },
	{ "3/+1/2026", NULL },
	{ "3/31/+026", NULL },
};

START_TEST(test_mdy)
{
	const struct mdy_case *c = &mdys[_i];
	rl_instant t = { 42, 7 };
	char buf[32];
	int rc = rl_date_mdy_parse(c->s, strlen(c->s), &t);

	if (c->want == NULL) {
		ck_assert_msg(rc == -1, "%s accepted", c->s);
		ck_assert_int_eq(t.sec, 42);
		ck_assert_int_eq(t.nsec, 7);
		return;
	}
	ck_assert_msg(rc == 0, "%s rejected", c->s);
	ck_assert_int_eq(rl_instant_format(t, buf), 20);
	ck_assert_str_eq(buf, c->want);
}
END_TEST

START_TEST(test_mdy_length)
{
	/* Only len bytes: "3/31/2026" inside "13/31/20261". */
	static const char cell[] = "13/31/20261";
	rl_instant t;

	ck_assert_int_eq(rl_date_mdy_parse(cell + 1, 9, &t), 0);
	ck_assert_int_eq(t.sec, 1774915200);
	ck_assert_int_eq(rl_date_mdy_parse(cell + 1, 10, &t), -1);
	ck_assert_int_eq(rl_date_mdy_parse(cell, 10, &t), -1);
	ck_assert_int_eq(rl_date_mdy_parse("3/31/2026\0", 10, &t), -1);
}
END_TEST

START_TEST(test_now)
{
	rl_instant a, b;
	time_t t = time(NULL);

	ck_assert_int_eq(rl_now(&a), 0);
	ck_assert_int_eq(rl_now(&b), 0);
	ck_assert_int_ge(rl_instant_cmp(b, a), 0);
	ck_assert_int_ge(a.nsec, 0);
	ck_assert_int_lt(a.nsec, 1000000000);
	ck_assert_int_le(a.sec > t ? a.sec - t : t - a.sec, 5);
}
END_TEST

static Suite *
datetime_suite(void)
{
	Suite *s = suite_create("datetime");
	TCase *tc = tcase_create("datetime");

	tcase_add_loop_test(tc, test_valid, 0, N(valids));
	tcase_add_loop_test(tc, test_invalid, 0, N(invalids));
	tcase_add_test(tc, test_explicit_length);
	tcase_add_loop_test(tc, test_every_day, 0, N(ranges));
	tcase_add_loop_test(tc, test_format, 0, N(formats));
	tcase_add_loop_test(tc, test_cmp, 0, N(cmps));
	tcase_add_loop_test(tc, test_span, 0, N(spans));
	tcase_add_test(tc, test_span_extremes);
	tcase_add_loop_test(tc, test_diff, 0, N(diffs));
	tcase_add_test(tc, test_add);
	tcase_add_loop_test(tc, test_mdy, 0, N(mdys));
	tcase_add_test(tc, test_mdy_length);
	tcase_add_test(tc, test_now);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run(datetime_suite());
}
