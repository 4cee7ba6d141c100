/*
 * decnum.h: exact decimal arithmetic for the deal-registration rules.
 * Included by the policies and the tests; not installed.
 *
 * An rl_decnum is sign x digits x 10^exp, held inline (no allocation), always
 * normalised: no leading or trailing zero digits, and zero is 0e0, never
 * negative.  Decisions are made by multiplying out and comparing, never by
 * dividing; rl_decnum_div() exists only to show a number in a message.
 *
 * Ownership: values are plain structs owned by the caller (about 4 KB each,
 * so keep them on the stack or in an arena, and pass pointers).  The result
 * argument of every operation may alias an operand.  On failure the result
 * is set to zero.
 *
 * Limits, so that hostile lexemes cost linear time and no memory:
 * - rl_decnum_parse() accepts at most RL_DECNUM_MAX_DIGITS significant
 *   digits (leading and trailing zeros do not count: a 1 followed by 100 000
 *   zeros is 1e100000 and is fine);
 * - a value holds at most RL_DECNUM_DIGITS = 4 x RL_DECNUM_MAX_DIGITS
 *   significant digits, so a product of up to four parsed numbers always
 *   fits;
 * - exponents are exact while |exp| <= RL_DECNUM_EXP_MAX (exp being the
 *   power of ten of the last significant digit); 1e999999999 is exact.
 * Whatever would go beyond fails with RL_DECNUM_ERANGE, which the caller
 * reports as a value out of range; nothing saturates silently.  Comparison
 * never fails.  For a plain comparison with a constant, rl_decimal_cmp()
 * works on lexemes of any size.
 *
 * The rules, with rate > 0 in units of the currency per USD:
 *   value / rate > T                    value > T x rate
 *   value / years / rate > T            value > T x years x rate
 *   value / (max(Y, s) / Y) / rate > T  value x Y > T x max(Y, s) x rate
 *   sv / rate_s <= cv / rate_c          sv x rate_c <= cv x rate_s
 * where Y = 31536000 (365 days in seconds) and s the term in seconds.
 */
#ifndef RL_DECNUM_H
#define RL_DECNUM_H

#include <stddef.h>
#include <stdint.h>

#define RL_DECNUM_MAX_DIGITS 1000
#define RL_DECNUM_DIGITS     (4 * RL_DECNUM_MAX_DIGITS)
#define RL_DECNUM_EXP_MAX    1000000000000000LL    /* 10^15 */
/* Smallest buffer rl_decnum_format() accepts; the fallback always fits. */
#define RL_DECNUM_FMT_MIN    32

enum {
	RL_DECNUM_OK = 0,
	RL_DECNUM_ESYNTAX = -1,   /* not a JSON number lexeme */
	RL_DECNUM_ERANGE = -2,    /* too many digits or exponent too large */
	RL_DECNUM_EZERO = -3      /* division by zero */
};

/* Members are private; use the functions. */
typedef struct rl_decnum {
	int neg;
	int n;                    /* significant digits; 0 for zero */
	long long exp;            /* value = d[0..n) x 10^exp */
	unsigned char d[RL_DECNUM_DIGITS];   /* 0..9, most significant first */
} rl_decnum;

/*
 * Reads a lexeme that rl_decimal_valid() accepts (a JSON number, or the
 * content of a numeric string): RL_DECNUM_OK, _ESYNTAX or _ERANGE.
 * Linear in len.
 */
int  rl_decnum_parse(rl_decnum *x, const char *s, size_t len);
/* x = v x 10^exp10; never fails. */
void rl_decnum_from_int(rl_decnum *x, int64_t v, int exp10);

/* -1, 0 or 1. */
int  rl_decnum_sign(const rl_decnum *x);
/* -1, 0 or 1 by value; 1.0 equals 1. */
int  rl_decnum_cmp(const rl_decnum *a, const rl_decnum *b);

/* r = a x b; _ERANGE when digits(a) + digits(b) > RL_DECNUM_DIGITS. */
int  rl_decnum_mul(rl_decnum *r, const rl_decnum *a, const rl_decnum *b);
/* r = a + b and r = a - b; _ERANGE when the aligned sum needs too many digits. */
int  rl_decnum_add(rl_decnum *r, const rl_decnum *a, const rl_decnum *b);
int  rl_decnum_sub(rl_decnum *r, const rl_decnum *a, const rl_decnum *b);

/*
 * For messages only: q = a / b truncated toward zero to frac fractional
 * digits (0 <= frac <= RL_DECNUM_MAX_DIGITS).  Truncation never shows a value
 * that fails "above T" as above it.  _EZERO when b is zero, _ERANGE when the
 * quotient written with frac fractional digits has more than
 * RL_DECNUM_MAX_DIGITS digits after its leading zeros.  At most
 * RL_DECNUM_MAX_DIGITS steps of O(digits(b)) each.
 */
int  rl_decnum_div(rl_decnum *q, const rl_decnum *a, const rl_decnum *b, int frac);

/*
 * Writes x NUL-terminated into buf in plain notation with at least min_frac
 * fractional digits ("-1234.5", "0.001", "25000.00" for 25000 and 2): a
 * valid JSON number.  When that does not fit in size bytes, writes scientific
 * notation instead ("1e+999999999", "-1.2345e-7"), its digits cut and
 * followed by "..." if they still do not fit.  Returns 0 for the plain form,
 * 1 for the fallback, -1 (and "" when size > 0) when size < RL_DECNUM_FMT_MIN.
 */
int  rl_decnum_format(const rl_decnum *x, int min_frac, char *buf, size_t size);

/* One line for a diagnostic, for any of the codes above. */
const char *rl_decnum_strerror(int err);

#endif /* RL_DECNUM_H */
