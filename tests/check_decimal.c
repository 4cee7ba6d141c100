/* check_decimal.c: exact decimal arithmetic and the deal-value rules on it. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "decimal.h"
#include "decnum.h"
#include "tests.h"

#define N(x) (int)(sizeof(x) / sizeof((x)[0]))
#define YEAR "31536000"   /* 365 x 86400 */

/* The caller's view: a lexeme, or a numeric string's content. */
static int
parse(rl_decnum *x, const char *s)
{
	size_t len = strlen(s);

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
		return rl_decnum_parse(x, s + 1, len - 2);
	return rl_decnum_parse(x, s, len);
}

static void
must_parse(rl_decnum *x, const char *s)
{
	int rc = parse(x, s);

	ck_assert_msg(rc == RL_DECNUM_OK, "parse %s: %s", s, rl_decnum_strerror(rc));
}

static const char *
fmt(const rl_decnum *x)
{
	static char buf[4 * RL_DECNUM_DIGITS + 64];

	ck_assert_int_eq(rl_decnum_format(x, 0, buf, sizeof(buf)), 0);
	return buf;
}

/*
 * The rules as the policies write them: 1 passes, 0 fails, <0 an error.
 * A NULL rate means USD (no conversion).
 */

/* value / rate > T  <=>  value > T x rate */
static int
usd_above(const char *value, const char *rate, const char *t)
{
	rl_decnum v, r, th, rhs;
	int rc;

	if ((rc = parse(&v, value)) != 0 || (rc = parse(&r, rate ? rate : "1")) != 0 ||
	    (rc = parse(&th, t)) != 0 || (rc = rl_decnum_mul(&rhs, &th, &r)) != 0)
		return rc;
	return rl_decnum_cmp(&v, &rhs) > 0;
}

/* Perpetual: value / years / rate > T  <=>  value > T x years x rate */
static int
perpetual_above(const char *value, const char *years, const char *rate,
    const char *t)
{
	rl_decnum v, y, r, th, rhs;
	int rc;

	if ((rc = parse(&v, value)) != 0 || (rc = parse(&y, years)) != 0 ||
	    (rc = parse(&r, rate ? rate : "1")) != 0 || (rc = parse(&th, t)) != 0 ||
	    (rc = rl_decnum_mul(&rhs, &th, &y)) != 0 ||
	    (rc = rl_decnum_mul(&rhs, &rhs, &r)) != 0)
		return rc;
	return rl_decnum_cmp(&v, &rhs) > 0;
}

/* Finite: value x Y > T x max(Y, seconds) x rate */
static int
finite_above(const char *value, const char *secs, const char *rate, const char *t)
{
	rl_decnum v, s, y, r, th, lhs, rhs;
	int rc;

	if ((rc = parse(&v, value)) != 0 || (rc = parse(&s, secs)) != 0 ||
	    (rc = parse(&r, rate ? rate : "1")) != 0 || (rc = parse(&th, t)) != 0)
		return rc;
	rl_decnum_from_int(&y, 365 * 86400, 0);
	if (rl_decnum_cmp(&s, &y) < 0)
		s = y;
	if ((rc = rl_decnum_mul(&lhs, &v, &y)) != 0 ||
	    (rc = rl_decnum_mul(&rhs, &th, &s)) != 0 ||
	    (rc = rl_decnum_mul(&rhs, &rhs, &r)) != 0)
		return rc;
	return rl_decnum_cmp(&lhs, &rhs) > 0;
}

/* sv / rate_s <= cv / rate_c  <=>  sv x rate_c <= cv x rate_s */
static int
solution_within(const char *sv, const char *rs, const char *cv, const char *rc_)
{
	rl_decnum a, ra, b, rb, l, r;
	int rc;

	if ((rc = parse(&a, sv)) != 0 || (rc = parse(&ra, rs)) != 0 ||
	    (rc = parse(&b, cv)) != 0 || (rc = parse(&rb, rc_)) != 0 ||
	    (rc = rl_decnum_mul(&l, &a, &rb)) != 0 ||
	    (rc = rl_decnum_mul(&r, &b, &ra)) != 0)
		return rc;
	return rl_decnum_cmp(&l, &r) <= 0;
}

struct deal_case {
	const char *value, *rate, *t;
	int want;
};

static const struct deal_case deals[] = {
	{ "25000", NULL, "25000", 0 },
	{ "25000.00", NULL, "25000", 0 },
	{ "25000.01", NULL, "25000", 1 },
	{ "\"25000.01\"", NULL, "25000", 1 },
	{ "\"25000.00\"", NULL, "25000", 0 },
	{ "1e5", NULL, "25000", 1 },
	{ "2.5e4", NULL, "25000", 0 },
	{ "2.5000001E+4", NULL, "25000", 1 },
	{ "1234567890123456789012345678901234567890", NULL, "25000", 1 },
	{ "24999.999999999999999999", NULL, "25000", 0 },
	{ "25000.000000000000000000000000000000000001", NULL, "25000", 1 },
	{ "0.0000000000000000000000025000000001e28", NULL, "25000", 1 },
	{ "25000.01", "1.0", "25000", 1 },
	{ "27600", "0.92", "25000", 1 },       /* 30000 USD */
	{ "23000", "0.92", "25000", 0 },       /* 25000 USD exactly */
	{ "23000.00", "0.92", "25000", 0 },
	{ "23000.01", "0.92", "25000", 1 },
	{ "3932500", "157.3", "25000", 0 },    /* JPY: 25000 USD exactly */
	{ "3932500.01", "157.3", "25000", 1 },
	{ "29999.99", NULL, "30000", 0 },      /* T from the rule file */
	{ "30000.001", NULL, "3e4", 1 },
	{ "-30000", NULL, "25000", 0 },
	{ "0", NULL, "25000", 0 },
	{ "-0", NULL, "25000", 0 },
	{ "1e999999999", NULL, "25000", 1 },
	{ "1e-999999999", NULL, "25000", 0 },
	{ "1e99999999999999999999", NULL, "25000", RL_DECNUM_ERANGE },
	{ "1e18446744073709551621", NULL, "25000", RL_DECNUM_ERANGE },   /* 2^64 + 5 */
	{ "-1e-18446744073709551621", NULL, "25000", RL_DECNUM_ERANGE },
	{ "25000.01", NULL, "1e-99999999999999999999", RL_DECNUM_ERANGE },
	{ "0x61A8", NULL, "25000", RL_DECNUM_ESYNTAX },
	{ "025000.01", NULL, "25000", RL_DECNUM_ESYNTAX },
	{ "\"25,000.01\"", NULL, "25000", RL_DECNUM_ESYNTAX },
	{ "\" 25000.01\"", NULL, "25000", RL_DECNUM_ESYNTAX },
	{ "25000.01", "0,92", "25000", RL_DECNUM_ESYNTAX },
};

START_TEST(test_deal_value)
{
	const struct deal_case *c = &deals[_i];

	ck_assert_msg(usd_above(c->value, c->rate, c->t) == c->want,
	    "%s / %s > %s: got %d, want %d", c->value, c->rate ? c->rate : "-",
	    c->t, usd_above(c->value, c->rate, c->t), c->want);
}
END_TEST

struct annual_case {
	int perpetual;
	const char *value, *span;   /* span: years (perpetual) or seconds */
	const char *rate, *t;
	int want;
};

static const struct annual_case annuals[] = {
	{ 1, "150000", "6", NULL, "25000", 0 },
	{ 1, "150000.00", "6", NULL, "25000", 0 },
	{ 1, "150000.06", "6", NULL, "25000", 1 },
	{ 1, "150000.01", "6", NULL, "25000", 1 },   /* 25000.0016... */
	{ 1, "149999.99", "6", NULL, "25000", 0 },
	{ 1, "138000", "6", "0.92", "25000", 0 },    /* 25000 USD a year */
	{ 1, "138000.01", "6", "0.92", "25000", 1 },
	{ 1, "125000.01", "5", NULL, "25000", 1 },   /* years from the rule file */
	{ 0, "50000", "63072000", NULL, "25000", 0 },         /* 2 years */
	{ 0, "50000.00", "63072000", NULL, "25000", 0 },
	{ 0, "50000.02", "63072000", NULL, "25000", 1 },
	{ 0, "50000.01", "63072000", NULL, "25000", 1 },      /* 25000.005 */
	{ 0, "49999.99", "63072000", NULL, "25000", 0 },
	{ 0, "25000", "15768000", NULL, "25000", 0 },         /* 6 months = 1 year */
	{ 0, "25000.01", "15768000", NULL, "25000", 1 },
	{ 0, "25000", "1", NULL, "25000", 0 },
	{ 0, "25000", "0", NULL, "25000", 0 },
	{ 0, "25000", YEAR, NULL, "25000", 0 },
	{ 0, "25000.01", YEAR, NULL, "25000", 1 },
	/* Exact instants: a nanosecond either way of two years decides. */
	{ 0, "50000", "63071999.999999999", NULL, "25000", 1 },
	{ 0, "50000", "63072000.000000001", NULL, "25000", 0 },
	{ 0, "50000.000000001", "63072000.000000001", NULL, "25000", 1 },
	{ 0, "46000", "63072000", "0.92", "25000", 0 },       /* 25000 USD a year */
	{ 0, "46000.01", "63072000", "0.92", "25000", 1 },
	{ 0, "1e999999999", "63072000", NULL, "25000", 1 },
	{ 0, "50000", "6.3072e7", NULL, "25000", 0 },
};

START_TEST(test_annual_value)
{
	const struct annual_case *c = &annuals[_i];
	int got = c->perpetual ?
	    perpetual_above(c->value, c->span, c->rate, c->t) :
	    finite_above(c->value, c->span, c->rate, c->t);

	ck_assert_msg(got == c->want, "%s %s over %s at %s > %s: got %d, want %d",
	    c->perpetual ? "perpetual" : "finite", c->value, c->span,
	    c->rate ? c->rate : "1", c->t, got, c->want);
}
END_TEST

struct solution_case {
	const char *sv, *rs, *cv, *rc;
	int want;   /* sv in USD <= cv in USD */
};

static const struct solution_case solutions[] = {
	{ "1000", "0.92", "1086.95", "1", 0 },     /* 1086.9565... USD */
	{ "1000", "0.92", "1086.96", "1", 1 },
	{ "920", "0.92", "1000", "1", 1 },         /* equal */
	{ "920.01", "0.92", "1000", "1", 0 },
	{ "157300", "157.3", "920", "0.92", 1 },   /* JPY vs EUR, both 1000 */
	{ "157300.01", "157.3", "920", "0.92", 0 },
	{ "157300", "157.3", "919.99", "0.92", 0 },
	{ "5", "1", "5.00", "1", 1 },
	{ "5.01", "1", "5", "1", 0 },
};

START_TEST(test_solution_value)
{
	const struct solution_case *c = &solutions[_i];

	ck_assert_int_eq(solution_within(c->sv, c->rs, c->cv, c->rc), c->want);
}
END_TEST

struct cmp_case {
	const char *a, *b;
	int want;
};

static const struct cmp_case cmps[] = {
	{ "1", "1.0", 0 }, { "1", "10e-1", 0 }, { "-0", "0", 0 },
	{ "0e5", "0.000", 0 }, { "25000", "25000.01", -1 }, { "-1", "1", -1 },
	{ "-2", "-1", -1 }, { "-1.5", "-1.49", -1 }, { "0", "1e-400", -1 },
	{ "-1e-400", "0", -1 }, { "99", "100", -1 }, { "9.99", "10", -1 },
	{ "1e400", "1e399", 1 }, { "123", "12.3e1", 0 }, { "12", "1.2", 1 },
	{ "1234567890123456789012345678901234567890",
	  "1234567890123456789012345678901234567891", -1 },
};

/*
 * .NET System.Decimal: a 96-bit integer (at most
 * 79228162514264337593543950335) scaled by 10^-0 to 10^-28.
 */
static const struct {
	const char *lex;
	int exact;
} dotnets[] = {
	{ "0", 1 }, { "-0", 1 }, { "0e-999", 1 }, { "0.000e400", 1 },
	{ "5000", 1 }, { "5000.25", 1 }, { "-5000.25", 1 },
	{ "79228162514264337593543950335", 1 },
	{ "-79228162514264337593543950335", 1 },
	{ "79228162514264337593543950335.000", 1 },
	{ "7.9228162514264337593543950335e28", 1 },
	{ "79228162514264337593543950336", 0 },
	{ "79228162514264337593543950340", 0 },
	{ "99999999999999999999999999999", 0 },
	{ "12345678901234567890123456789", 1 },
	{ "7922816251426433759354395033.5", 1 },
	{ "7922816251426433759354395033.6", 0 },
	{ "7.9228162514264337593543950335", 1 },
	{ "7.9228162514264337593543950336", 0 },
	{ "0.0000000000000000000000000001", 1 },
	{ "1e-28", 1 }, { "1e-29", 0 }, { "1.5e-28", 0 },
	{ "0.1234567890123456789012345678", 1 },
	{ "0.12345678901234567890123456789", 0 },
	{ "99999.999999999999999999999999999", 0 },
	{ "1e28", 1 }, { "1e29", 0 }, { "1e400", 0 }, { "1e-400", 0 },
	{ "1234567890123456789012345678901234567890", 0 },
	{ "1e99999999999999999999", 0 },
};

START_TEST(test_dotnet_exact)
{
	const char *s = dotnets[_i].lex;

	ck_assert_msg(rl_decimal_dotnet_exact(s, strlen(s)) == dotnets[_i].exact,
	    "%s: want %d", s, dotnets[_i].exact);
}
END_TEST

START_TEST(test_cmp)
{
	const struct cmp_case *c = &cmps[_i];
	rl_decnum a, b;

	must_parse(&a, c->a);
	must_parse(&b, c->b);
	ck_assert_int_eq(rl_decnum_cmp(&a, &b), c->want);
	ck_assert_int_eq(rl_decnum_cmp(&b, &a), -c->want);
	/* The lead's lexeme comparison is an independent oracle. */
	ck_assert_int_eq(rl_decimal_cmp(c->a, strlen(c->a), c->b, strlen(c->b)),
	    c->want);
}
END_TEST

/* Whatever rl_decimal_valid() rejects, parse rejects too. */
static const char *const bad_lexemes[] = {
	"", "-", "+1", "01", "-01", "1.", ".5", "1e", "1e+", "1E-", "--1",
	"0x10", " 1", "1 ", "NaN", "Infinity", "-Infinity", "1,5", "1.2.3",
	"1e2.5", "\xef\xbc\x91",
};

START_TEST(test_parse_rejects)
{
	const char *s = bad_lexemes[_i];
	rl_decnum x;

	rl_decnum_from_int(&x, 7, 0);
	ck_assert_int_eq(rl_decimal_valid(s, strlen(s)), 0);
	ck_assert_int_eq(rl_decnum_parse(&x, s, strlen(s)), RL_DECNUM_ESYNTAX);
	ck_assert_int_eq(rl_decnum_sign(&x), 0);   /* zeroed on failure */
}
END_TEST

struct fmt_case {
	const char *in;
	int min_frac;
	size_t size;
	const char *want;
	int rc;
};

static const struct fmt_case fmts[] = {
	{ "25000", 2, 64, "25000.00", 0 },
	{ "25000.00", 0, 64, "25000", 0 },
	{ "25000.1", 2, 64, "25000.10", 0 },
	{ "25000.125", 2, 64, "25000.125", 0 },   /* never cut a plain form */
	{ "0.001", 0, 64, "0.001", 0 },
	{ "-1234.5", 0, 64, "-1234.5", 0 },
	{ "1e5", 0, 64, "100000", 0 },
	{ "1.5E-3", 0, 64, "0.0015", 0 },
	{ "-1.5E-3", 1, 64, "-0.0015", 0 },
	{ "-0", 0, 64, "0", 0 },
	{ "-0.0", 2, 64, "0.00", 0 },
	{ "0.000", 0, 64, "0", 0 },
	{ "12.3e1", 0, 64, "123", 0 },
	{ "1234567890123456789012345678901", 0, 32,
	  "1234567890123456789012345678901", 0 },
	{ "12345678901234567890123456789012", 0, 32,
	  "1.2345678901234567890123...e+31", 1 },   /* does not fit: cut */
	{ "1e999999999", 0, 64, "1e+999999999", 1 },
	{ "-1.2345e-70", 0, 64, "-1.2345e-70", 1 },
	{ "1234567890123456789012345678901234567890", 0, 32,
	  "1.2345678901234567890123...e+39", 1 },
	{ "-1234567890123456789012345678901234567890", 0, 32,
	  "-1.234567890123456789012...e+39", 1 },
	{ "1", 0, 31, "", -1 },
};

START_TEST(test_format)
{
	const struct fmt_case *c = &fmts[_i];
	char buf[128];
	rl_decnum x;
	int rc;

	must_parse(&x, c->in);
	memset(buf, 'x', sizeof(buf));
	rc = rl_decnum_format(&x, c->min_frac, buf, c->size);
	ck_assert_str_eq(buf, c->want);
	ck_assert_int_eq(rc, c->rc);
	ck_assert_uint_lt(strlen(buf), c->size);
	if (rc == 0)
		ck_assert_int_eq(rl_decimal_cmp(buf, strlen(buf), c->in, strlen(c->in)), 0);
}
END_TEST

struct int_case {
	int64_t v;
	int exp10;
	const char *want;
};

static const struct int_case ints[] = {
	{ 0, 0, "0" }, { 0, -9, "0" }, { 1, 0, "1" }, { -1, 0, "-1" },
	{ 1500, -2, "15" }, { 1500000001, -9, "1.500000001" },
	{ 31536000, 0, "31536000" }, { 25, 3, "25000" },
	{ INT64_MAX, 0, "9223372036854775807" },
	{ INT64_MIN, 0, "-9223372036854775808" },
	{ INT64_MIN, -19, "-0.9223372036854775808" },
};

START_TEST(test_from_int)
{
	const struct int_case *c = &ints[_i];
	rl_decnum x, y;

	rl_decnum_from_int(&x, c->v, c->exp10);
	ck_assert_str_eq(fmt(&x), c->want);
	must_parse(&y, c->want);
	ck_assert_int_eq(rl_decnum_cmp(&x, &y), 0);
	ck_assert_int_eq(rl_decnum_sign(&x), c->v < 0 ? -1 : c->v > 0);
}
END_TEST

/* An independent oracle: digit strings, the way one learns it at school. */
static void
oracle_mul(const char *a, const char *b, char *out)
{
	size_t na = strlen(a), nb = strlen(b), i, j, n = na + nb;
	int col[512] = { 0 };
	size_t k = 0;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			col[(na - 1 - i) + (nb - 1 - j)] += (a[i] - '0') * (b[j] - '0');
	for (i = 0; i + 1 < n; i++) {
		col[i + 1] += col[i] / 10;
		col[i] %= 10;
	}
	while (n > 1 && col[n - 1] == 0)
		n--;
	for (i = n; i-- > 0;)
		out[k++] = (char)('0' + col[i]);
	out[k] = '\0';
}

static void
oracle_add(const char *a, const char *b, char *out)
{
	size_t na = strlen(a), nb = strlen(b), n = (na > nb ? na : nb) + 1, i, k = 0;
	int col[512] = { 0 };

	for (i = 0; i < na; i++)
		col[na - 1 - i] += a[i] - '0';
	for (i = 0; i < nb; i++)
		col[nb - 1 - i] += b[i] - '0';
	for (i = 0; i + 1 < n; i++) {
		col[i + 1] += col[i] / 10;
		col[i] %= 10;
	}
	while (n > 1 && col[n - 1] == 0)
		n--;
	for (i = n; i-- > 0;)
		out[k++] = (char)('0' + col[i]);
	out[k] = '\0';
}

static uint64_t rng;

/* xorshift64: reproducible per loop index, no wrap-around for sanitizers. */
static unsigned
next(unsigned bound)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)((rng >> 11) % bound);
}

/* Random digits, sometimes with runs of zeros (carries, trailing zeros). */
static void
random_digits(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = (char)('0' + (next(4) == 0 ? 0 : next(4) == 0 ? 9 : next(10)));
	if (s[0] == '0')   /* a valid lexeme, never zero */
		s[0] = '1';
	s[n] = '\0';
}

#define RANDOM_ROUNDS 300

START_TEST(test_mul_oracle)
{
	char a[128], b[128], prod[260], la[160], lb[160], want[300];
	rl_decnum x, y, p, q;
	int ka, kb, neg;

	rng = (uint64_t)_i * 2654435761U + 1;
	random_digits(a, 1 + next(next(2) ? 12 : 120));
	random_digits(b, 1 + next(next(2) ? 12 : 120));
	ka = (int)next(30) - 10;
	kb = (int)next(30) - 10;
	neg = (int)next(4);
	snprintf(la, sizeof(la), "%s%se%d", neg & 1 ? "-" : "", a, ka);
	snprintf(lb, sizeof(lb), "%s%sE%d", neg & 2 ? "-" : "", b, kb);
	oracle_mul(a, b, prod);
	snprintf(want, sizeof(want), "%s%se%d",
	    (neg == 1 || neg == 2) && strcmp(prod, "0") != 0 ? "-" : "", prod, ka + kb);

	must_parse(&x, la);
	must_parse(&y, lb);
	ck_assert_int_eq(rl_decnum_mul(&p, &x, &y), RL_DECNUM_OK);
	ck_assert_msg(rl_decimal_valid(fmt(&p), strlen(fmt(&p))), "%s", fmt(&p));
	ck_assert_msg(rl_decimal_cmp(fmt(&p), strlen(fmt(&p)), want, strlen(want)) == 0,
	    "%s x %s = %s, want %s", la, lb, fmt(&p), want);
	/* Commutative, and in place. */
	ck_assert_int_eq(rl_decnum_mul(&q, &y, &x), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_cmp(&p, &q), 0);
	ck_assert_int_eq(rl_decnum_mul(&x, &x, &y), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_cmp(&p, &x), 0);
}
END_TEST

START_TEST(test_add_oracle)
{
	char a[128], b[128], sum[200], la[160], lb[160], want[220];
	rl_decnum x, y, s, t, z;
	int k;

	rng = (uint64_t)_i * 40503U + 7;
	random_digits(a, 1 + next(next(2) ? 10 : 100));
	random_digits(b, 1 + next(next(2) ? 10 : 100));
	k = (int)next(20) - 10;
	/* Same scale in the oracle; a different written form in the lexemes. */
	snprintf(la, sizeof(la), "%se%d", a, k);
	snprintf(lb, sizeof(lb), "%s0e%d", b, k - 1);
	oracle_add(a, b, sum);
	snprintf(want, sizeof(want), "%se%d", sum, k);

	must_parse(&x, la);
	must_parse(&y, lb);
	ck_assert_int_eq(rl_decnum_add(&s, &x, &y), RL_DECNUM_OK);
	ck_assert_msg(rl_decimal_cmp(fmt(&s), strlen(fmt(&s)), want, strlen(want)) == 0,
	    "%s + %s = %s, want %s", la, lb, fmt(&s), want);
	ck_assert_int_eq(rl_decnum_add(&t, &y, &x), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_cmp(&s, &t), 0);
	/* (a + b) - b = a, a - (a + b) = -b, a - a = 0, in place. */
	ck_assert_int_eq(rl_decnum_sub(&t, &s, &y), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_cmp(&t, &x), 0);
	ck_assert_int_eq(rl_decnum_sub(&t, &x, &s), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_add(&t, &t, &y), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_sign(&t), 0);
	ck_assert_int_eq(rl_decnum_sub(&z, &x, &x), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_sign(&z), 0);
	/* Different exponents: a + b x 10^-7 sits strictly between a and a + 1. */
	rl_decnum_from_int(&t, 1, -7);
	ck_assert_int_eq(rl_decnum_mul(&t, &t, &y), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_add(&z, &x, &t), RL_DECNUM_OK);
	ck_assert_int_gt(rl_decnum_cmp(&z, &x), 0);
	ck_assert_int_eq(rl_decnum_sub(&z, &z, &x), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_cmp(&z, &t), 0);
}
END_TEST

START_TEST(test_add_signs)
{
	static const char *const c[][3] = {
		{ "1", "-1", "0" }, { "-1", "-1", "-2" }, { "-5", "3", "-2" },
		{ "5", "-3", "2" }, { "0.1", "0.9", "1" }, { "-0.1", "0", "-0.1" },
		{ "0", "-0.1", "-0.1" }, { "0", "0", "0" }, { "999.99", "0.01", "1000" },
		{ "1000", "-0.01", "999.99" }, { "1e20", "-1", "99999999999999999999" },
	};
	rl_decnum a, b, r;
	int i;

	for (i = 0; i < N(c); i++) {
		must_parse(&a, c[i][0]);
		must_parse(&b, c[i][1]);
		ck_assert_int_eq(rl_decnum_add(&r, &a, &b), RL_DECNUM_OK);
		ck_assert_str_eq(fmt(&r), c[i][2]);
		ck_assert_int_eq(rl_decnum_sub(&r, &r, &b), RL_DECNUM_OK);
		ck_assert_int_eq(rl_decnum_cmp(&r, &a), 0);
	}
}
END_TEST

struct div_case {
	const char *a, *b;
	int frac;
	const char *want;   /* formatted with min_frac = frac */
};

static const struct div_case divs[] = {
	{ "150000.06", "6", 2, "25000.01" },
	{ "150000", "6", 2, "25000.00" },
	{ "149999.99", "6", 2, "24999.99" },   /* 24999.998333...: truncated */
	{ "2", "3", 5, "0.66666" },
	{ "1", "3", 5, "0.33333" },
	{ "-7", "2", 0, "-3" },                /* toward zero */
	{ "7", "-2", 1, "-3.5" },
	{ "-7", "-2", 0, "3" },
	{ "23000", "0.92", 2, "25000.00" },
	{ "1", "157.3", 4, "0.0063" },
	{ "0", "5", 2, "0.00" },
	{ "1", "1e9", 2, "0.00" },
	{ "1e10", "1e-5", 0, "1000000000000000" },
	{ "12345678901234567890123456789", "0.000001", 1,
	  "12345678901234567890123456789000000.0" },
	{ "100", "7", 20, "14.28571428571428571428" },
};

START_TEST(test_div)
{
	const struct div_case *c = &divs[_i];
	rl_decnum a, b, q;
	char buf[128];

	must_parse(&a, c->a);
	must_parse(&b, c->b);
	ck_assert_int_eq(rl_decnum_div(&q, &a, &b, c->frac), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_format(&q, c->frac, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, c->want);
}
END_TEST

/* For positive a and b: q x b <= a < (q + 10^-f) x b. */
START_TEST(test_div_bounds)
{
	char a[128], b[128], la[160], lb[160];
	rl_decnum x, y, q, ulp, lo, hi;
	int f;

	rng = (uint64_t)_i * 97U + 3;
	random_digits(a, 1 + next(60));
	random_digits(b, 1 + next(next(2) ? 6 : 40));
	f = (int)next(12);
	snprintf(la, sizeof(la), "%se%d", a, (int)next(20) - 10);
	snprintf(lb, sizeof(lb), "%se%d", b, (int)next(20) - 10);
	must_parse(&x, la);
	must_parse(&y, lb);
	ck_assert_int_eq(rl_decnum_div(&q, &x, &y, f), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_mul(&lo, &q, &y), RL_DECNUM_OK);
	ck_assert_msg(rl_decnum_cmp(&lo, &x) <= 0, "%s / %s = %s too big", la, lb, fmt(&q));
	rl_decnum_from_int(&ulp, 1, -f);
	ck_assert_int_eq(rl_decnum_add(&hi, &q, &ulp), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_mul(&hi, &hi, &y), RL_DECNUM_OK);
	ck_assert_msg(rl_decnum_cmp(&hi, &x) > 0, "%s / %s = %s too small", la, lb, fmt(&q));
	/* At most f fractional digits: q x 10^f is an integer. */
	rl_decnum_from_int(&ulp, 1, f);
	ck_assert_int_eq(rl_decnum_mul(&lo, &q, &ulp), RL_DECNUM_OK);
	rl_decnum_from_int(&ulp, 1, 0);
	ck_assert_int_eq(rl_decnum_div(&hi, &lo, &ulp, 0), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_cmp(&hi, &lo), 0);
}
END_TEST

START_TEST(test_div_errors)
{
	rl_decnum a, b, q;

	must_parse(&a, "1");
	must_parse(&b, "0.000");
	ck_assert_int_eq(rl_decnum_div(&q, &a, &b, 2), RL_DECNUM_EZERO);
	must_parse(&b, "3");
	ck_assert_int_eq(rl_decnum_div(&q, &a, &b, -1), RL_DECNUM_ERANGE);
	/* 1/3: 0.333...; 10/3: one more digit, which no longer fits. */
	ck_assert_int_eq(rl_decnum_div(&q, &a, &b, RL_DECNUM_MAX_DIGITS), RL_DECNUM_OK);
	ck_assert_int_eq(q.n, RL_DECNUM_MAX_DIGITS);
	ck_assert_int_eq(rl_decnum_div(&q, &a, &b, RL_DECNUM_MAX_DIGITS + 1),
	    RL_DECNUM_ERANGE);
	must_parse(&a, "10");
	ck_assert_int_eq(rl_decnum_div(&q, &a, &b, RL_DECNUM_MAX_DIGITS - 1),
	    RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_div(&q, &a, &b, RL_DECNUM_MAX_DIGITS),
	    RL_DECNUM_ERANGE);
	ck_assert_int_eq(rl_decnum_sign(&q), 0);
	ck_assert_str_ne(rl_decnum_strerror(RL_DECNUM_EZERO),
	    rl_decnum_strerror(RL_DECNUM_ERANGE));
}
END_TEST

/* A lexeme of n significant digits, heap-allocated. */
static char *
long_lexeme(const char *prefix, size_t n, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), i;
	char *s = malloc(pl + n + sl + 1);

	ck_assert_ptr_nonnull(s);
	memcpy(s, prefix, pl);
	for (i = 0; i < n; i++)
		s[pl + i] = (char)('1' + i % 9);
	memcpy(s + pl + n, suffix, sl + 1);
	return s;
}

static double
seconds_since(clock_t t0)
{
	return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

START_TEST(test_hostile)
{
	clock_t t0 = clock();
	rl_decnum x, y, z, big[5];
	char *s;
	char buf[64];
	int i;

	/* 100 000 significant digits: refused, in linear time. */
	s = long_lexeme("", 100000, "");
	ck_assert_int_eq(rl_decnum_parse(&x, s, strlen(s)), RL_DECNUM_ERANGE);
	ck_assert_int_eq(usd_above(s, NULL, "25000"), RL_DECNUM_ERANGE);
	free(s);
	s = long_lexeme("-0.", 100000, "e5");
	ck_assert_int_eq(rl_decnum_parse(&x, s, strlen(s)), RL_DECNUM_ERANGE);
	free(s);

	/* 100 000 digits that are mostly zeros: one significant digit, exact. */
	s = long_lexeme("1", 0, "");
	s = realloc(s, 100002);
	ck_assert_ptr_nonnull(s);
	memset(s + 1, '0', 100000);
	s[100001] = '\0';
	ck_assert_int_eq(rl_decnum_parse(&x, s, strlen(s)), RL_DECNUM_OK);
	must_parse(&y, "1e100000");
	ck_assert_int_eq(rl_decnum_cmp(&x, &y), 0);
	ck_assert_int_eq(usd_above(s, "0.92", "25000"), 1);
	s[0] = '0';   /* not a valid lexeme any more: leading zero */
	ck_assert_int_eq(rl_decnum_parse(&x, s, strlen(s)), RL_DECNUM_ESYNTAX);
	memcpy(s, "0.", 2);   /* 0.000...0: zero */
	ck_assert_int_eq(rl_decnum_parse(&x, s, strlen(s)), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_sign(&x), 0);
	free(s);

	/* Huge exponents: exact within 10^15, refused beyond. */
	must_parse(&x, "1e999999999");
	ck_assert_int_eq(rl_decnum_format(&x, 2, buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "1e+999999999");
	must_parse(&y, "6");
	ck_assert_int_eq(rl_decnum_div(&z, &x, &y, 2), RL_DECNUM_ERANGE);
	ck_assert_int_eq(rl_decnum_add(&z, &x, &y), RL_DECNUM_ERANGE);
	ck_assert_int_eq(rl_decnum_mul(&z, &x, &y), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_div(&z, &y, &x, 2), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_sign(&z), 0);
	must_parse(&x, "1e1000000000000000");
	must_parse(&x, "-1.5e-999999999999999");   /* exp -10^15 */
	ck_assert_int_eq(parse(&x, "1e1000000000000001"), RL_DECNUM_ERANGE);
	ck_assert_int_eq(parse(&x, "1e-1000000000000001"), RL_DECNUM_ERANGE);
	ck_assert_int_eq(parse(&x, "10e999999999999999"), RL_DECNUM_OK);
	ck_assert_int_eq(parse(&x, "100e999999999999999"), RL_DECNUM_ERANGE);
	ck_assert_int_eq(parse(&x, "1e99999999999999999999999999999999999999"),
	    RL_DECNUM_ERANGE);
	ck_assert_int_eq(parse(&x, "0e99999999999999999999999999999999999999"),
	    RL_DECNUM_OK);
	must_parse(&x, "1e999999999999999");
	ck_assert_int_eq(rl_decnum_mul(&z, &x, &x), RL_DECNUM_ERANGE);
	must_parse(&y, "1e-999999999999999");
	ck_assert_int_eq(rl_decnum_mul(&z, &x, &y), RL_DECNUM_OK);
	ck_assert_str_eq(fmt(&z), "1");

	/* The digit bound: 1000 in, four-factor products always fit. */
	s = long_lexeme("", RL_DECNUM_MAX_DIGITS, "");
	for (i = 0; i < 5; i++)
		must_parse(&big[i], s);
	free(s);
	s = long_lexeme("0.", RL_DECNUM_MAX_DIGITS + 1, "");
	ck_assert_int_eq(parse(&x, s), RL_DECNUM_ERANGE);
	free(s);
	ck_assert_int_eq(rl_decnum_mul(&z, &big[0], &big[1]), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_mul(&z, &z, &big[2]), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_mul(&z, &z, &big[3]), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_mul(&x, &z, &big[4]), RL_DECNUM_ERANGE);
	ck_assert_int_eq(rl_decnum_sign(&x), 0);
	ck_assert_int_eq(rl_decnum_add(&x, &z, &z), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_format(&z, 0, buf, sizeof(buf)), 1);
	/* The slowest division allowed: 1000 quotient digits over 3000. */
	ck_assert_int_eq(rl_decnum_div(&x, &z, &big[0], 0), RL_DECNUM_ERANGE);
	ck_assert_int_eq(rl_decnum_mul(&y, &big[0], &big[1]), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_mul(&y, &y, &big[2]), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_div(&x, &z, &y, 0), RL_DECNUM_OK);
	ck_assert_int_eq(rl_decnum_cmp(&x, &big[3]), 0);
	ck_assert_int_eq(rl_decnum_div(&x, &big[0], &y, RL_DECNUM_MAX_DIGITS), RL_DECNUM_OK);

	ck_assert_msg(seconds_since(t0) < 2.0, "took %.2f s", seconds_since(t0));
}
END_TEST

static Suite *
decimal_suite(void)
{
	Suite *s = suite_create("decimal");
	TCase *rules = tcase_create("rules");
	TCase *arith = tcase_create("arithmetic");
	TCase *limits = tcase_create("limits");

	tcase_add_loop_test(rules, test_deal_value, 0, N(deals));
	tcase_add_loop_test(rules, test_annual_value, 0, N(annuals));
	tcase_add_loop_test(rules, test_solution_value, 0, N(solutions));
	suite_add_tcase(s, rules);

	tcase_add_loop_test(arith, test_cmp, 0, N(cmps));
	tcase_add_loop_test(arith, test_dotnet_exact, 0, N(dotnets));
	tcase_add_loop_test(arith, test_parse_rejects, 0, N(bad_lexemes));
	tcase_add_loop_test(arith, test_format, 0, N(fmts));
	tcase_add_loop_test(arith, test_from_int, 0, N(ints));
	tcase_add_loop_test(arith, test_mul_oracle, 0, RANDOM_ROUNDS);
	tcase_add_loop_test(arith, test_add_oracle, 0, RANDOM_ROUNDS);
	tcase_add_test(arith, test_add_signs);
	tcase_add_loop_test(arith, test_div, 0, N(divs));
	tcase_add_loop_test(arith, test_div_bounds, 0, RANDOM_ROUNDS);
	tcase_add_test(arith, test_div_errors);
	suite_add_tcase(s, arith);

	tcase_add_test(limits, test_hostile);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	return rl_test_run(decimal_suite());
}
