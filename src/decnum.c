/*
 * decnum.c: exact decimal arithmetic on normalised digit strings.
 *
 * One decimal digit per byte: the numbers the rules see are short, the
 * bounds in decnum.h keep hostile ones cheap, and digit-level work (trailing
 * zeros, alignment, plain formatting) stays trivial.  Every operation builds
 * its result in a local buffer and stores it last, so results may alias
 * operands.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "decnum.h"

/* The written exponent stops growing here: far beyond RL_DECNUM_EXP_MAX plus
 * any lexeme length, so a saturated exponent is always out of range. */
#define EXP_SAT 100000000000000000LL   /* 10^17 */

static void
set_zero(rl_decnum *x)
{
	x->neg = 0;
	x->n = 0;
	x->exp = 0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Stores the len digits of t, least significant first, times 10^exp into r,
 * dropping zeros at both ends.  The only place a result is range-checked.
 */
static int
store(rl_decnum *r, int neg, const unsigned char *t, size_t len, long long exp)
{
	size_t lo = 0, hi = len, k;

	while (hi > 0 && t[hi - 1] == 0)
		hi--;
	if (hi == 0) {
		set_zero(r);
		return RL_DECNUM_OK;
	}
	while (t[lo] == 0)
		lo++;
	exp += (long long)lo;
	if (hi - lo > RL_DECNUM_DIGITS || exp > RL_DECNUM_EXP_MAX ||
	    exp < -RL_DECNUM_EXP_MAX) {
		set_zero(r);
		return RL_DECNUM_ERANGE;
	}
	r->neg = neg;
	r->n = (int)(hi - lo);
	r->exp = exp;
	for (k = 0; k < hi - lo; k++)
		r->d[k] = t[hi - 1 - k];
	return RL_DECNUM_OK;
}

int
rl_decnum_parse(rl_decnum *x, const char *s, size_t len)
{
	const char *ip, *fp;
	size_t i = 0, il, fl = 0, total, first, last, k;
	long long wexp = 0, exp;
	int neg = 0, eneg = 0;

	set_zero(x);
	if (!rl_decimal_valid(s, len))
		return RL_DECNUM_ESYNTAX;
	if (len > (size_t)RL_DECNUM_EXP_MAX)   /* keeps the sums below exact */
		return RL_DECNUM_ERANGE;
	if (s[i] == '-') {
		neg = 1;
		i++;
	}
	ip = s + i;
	while (i < len && is_digit(s[i]))
		i++;
	il = (size_t)(s + i - ip);
	fp = s + i;
	if (i < len && s[i] == '.') {
		fp = s + ++i;
		while (i < len && is_digit(s[i]))
			i++;
		fl = (size_t)(s + i - fp);
	}
	if (i < len) {   /* the grammar leaves only an exponent here */
		i++;
		if (s[i] == '+' || s[i] == '-')
			eneg = s[i++] == '-';
		for (; i < len; i++)
			if (wexp < EXP_SAT)
				wexp = wexp * 10 + (s[i] - '0');
		if (eneg)
			wexp = -wexp;
	}

	/* Digits [0, total) are the integer then the fraction digits. */
	total = il + fl;
#define DIGIT(k) ((k) < il ? ip[(k)] : fp[(k) - il])
	for (first = 0; first < total && DIGIT(first) == '0'; first++)
		;
	if (first == total)
		return RL_DECNUM_OK;   /* zero, whatever its exponent */
	for (last = total; DIGIT(last - 1) == '0'; last--)
		;
	if (last - first > RL_DECNUM_MAX_DIGITS)
		return RL_DECNUM_ERANGE;
	exp = wexp - (long long)fl + (long long)(total - last);
	if (exp > RL_DECNUM_EXP_MAX || exp < -RL_DECNUM_EXP_MAX)
		return RL_DECNUM_ERANGE;
	for (k = first; k < last; k++)
		x->d[k - first] = (unsigned char)(DIGIT(k) - '0');
#undef DIGIT
	x->neg = neg;
	x->n = (int)(last - first);
	x->exp = exp;
	return RL_DECNUM_OK;
}

void
rl_decnum_from_int(rl_decnum *x, int64_t v, int exp10)
{
	unsigned char t[20];
	/* -(v + 1) + 1: |INT64_MIN| without overflow or wrap-around. */
	uint64_t m = v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
	size_t len = 0;

	for (; m != 0; m /= 10)
		t[len++] = (unsigned char)(m % 10);
	/* At most 20 digits and |exp10| < 2^31: always in range. */
	(void)store(x, v < 0, t, len, exp10);
}

int
rl_decnum_sign(const rl_decnum *x)
{
	return x->n == 0 ? 0 : x->neg ? -1 : 1;
}

/* Compares |a| and |b|: the position of the leading digit, then the digits. */
static int
cmp_mag(const rl_decnum *a, const rl_decnum *b)
{
	long long aa = a->exp + a->n, ab = b->exp + b->n;
	int n = a->n < b->n ? a->n : b->n, c;

	if (a->n == 0 || b->n == 0)
		return (a->n != 0) - (b->n != 0);
	if (aa != ab)
		return aa < ab ? -1 : 1;
	c = memcmp(a->d, b->d, (size_t)n);
	if (c != 0)
		return c < 0 ? -1 : 1;
	return (a->n > b->n) - (a->n < b->n);
}

int
rl_decnum_cmp(const rl_decnum *a, const rl_decnum *b)
{
	int sa = rl_decnum_sign(a), sb = rl_decnum_sign(b);

	if (sa != sb)
		return sa < sb ? -1 : 1;
	return sa < 0 ? -cmp_mag(a, b) : cmp_mag(a, b);
}

int
rl_decnum_mul(rl_decnum *r, const rl_decnum *a, const rl_decnum *b)
{
	unsigned char t[RL_DECNUM_DIGITS];
	size_t na = (size_t)a->n, nb = (size_t)b->n, i, j, k;

	if (na == 0 || nb == 0) {
		set_zero(r);
		return RL_DECNUM_OK;
	}
	if (na + nb > RL_DECNUM_DIGITS) {
		set_zero(r);
		return RL_DECNUM_ERANGE;
	}
	memset(t, 0, na + nb);
	/* Schoolbook, least significant first: a row never exceeds 99. */
	for (i = 0; i < na; i++) {
		unsigned ai = a->d[na - 1 - i], carry = 0, v;

		if (ai == 0)
			continue;
		for (j = 0; j < nb; j++) {
			v = t[i + j] + ai * b->d[nb - 1 - j] + carry;
			t[i + j] = (unsigned char)(v % 10);
			carry = v / 10;
		}
		for (k = i + nb; carry != 0; k++) {
			v = t[k] + carry;
			t[k] = (unsigned char)(v % 10);
			carry = v / 10;
		}
	}
	/* Each exponent is within 10^15, so the sum cannot overflow. */
	return store(r, a->neg != b->neg, t, na + nb, a->exp + b->exp);
}

/* Digit of x at weight 10^(p + base), where x->exp = base + shift. */
static unsigned
digit_at(const rl_decnum *x, long long shift, long long p)
{
	long long idx = p - shift;

	return idx < 0 || idx >= x->n ? 0 : x->d[x->n - 1 - idx];
}

/* r = a + (-1)^bneg |b|, aligned on the smaller exponent. */
static int
addsub(rl_decnum *r, const rl_decnum *a, const rl_decnum *b, int bneg)
{
	unsigned char t[RL_DECNUM_DIGITS + 1];
	long long base, sa, sb, len, p;
	const rl_decnum *big, *small;
	long long sbig, ssmall;
	int c, neg;
	unsigned v, carry = 0;

	if (b->n == 0) {
		if (r != a)
			*r = *a;
		return RL_DECNUM_OK;
	}
	if (a->n == 0) {
		if (r != b)
			*r = *b;
		r->neg = bneg;
		return RL_DECNUM_OK;
	}
	base = a->exp < b->exp ? a->exp : b->exp;
	sa = a->exp - base;
	sb = b->exp - base;
	len = a->n + sa > b->n + sb ? a->n + sa : b->n + sb;
	if (len + 1 > RL_DECNUM_DIGITS) {
		set_zero(r);
		return RL_DECNUM_ERANGE;
	}
	if (a->neg == bneg) {
		for (p = 0; p < len; p++) {
			v = digit_at(a, sa, p) + digit_at(b, sb, p) + carry;
			t[p] = (unsigned char)(v % 10);
			carry = v / 10;
		}
		t[len++] = (unsigned char)carry;
		return store(r, bneg, t, (size_t)len, base);
	}
	c = cmp_mag(a, b);
	if (c == 0) {
		set_zero(r);
		return RL_DECNUM_OK;
	}
	big = c > 0 ? a : b;
	small = c > 0 ? b : a;
	sbig = c > 0 ? sa : sb;
	ssmall = c > 0 ? sb : sa;
	neg = c > 0 ? a->neg : bneg;
	for (p = 0; p < len; p++) {
		unsigned x = digit_at(big, sbig, p);
		unsigned y = digit_at(small, ssmall, p) + carry;

		carry = x < y;
		t[p] = (unsigned char)(x + 10 * carry - y);
	}
	return store(r, neg, t, (size_t)len, base);
}

int
rl_decnum_add(rl_decnum *r, const rl_decnum *a, const rl_decnum *b)
{
	return addsub(r, a, b, b->neg);
}

int
rl_decnum_sub(rl_decnum *r, const rl_decnum *a, const rl_decnum *b)
{
	return addsub(r, a, b, b->n != 0 && !b->neg);
}

/* rem (width w = nb + 1, most significant first) >= divisor? */
static int
rem_ge(const unsigned char *rem, const unsigned char *dv, size_t nb)
{
	return rem[0] != 0 || memcmp(rem + 1, dv, nb) >= 0;
}

static void
rem_sub(unsigned char *rem, const unsigned char *dv, size_t nb)
{
	unsigned borrow = 0, y;
	size_t k;

	/* rem[k] lines up with dv[k - 1]; the divisor has a leading zero. */
	for (k = nb; k > 0; k--) {
		y = dv[k - 1] + borrow;
		borrow = rem[k] < y;
		rem[k] = (unsigned char)(rem[k] + 10 * borrow - y);
	}
	rem[0] = (unsigned char)(rem[0] - borrow);
}

/*
 * Long division of the integer a.d x 10^s by the integer b.d, one quotient
 * digit at a time by repeated subtraction: at most RL_DECNUM_MAX_DIGITS + 1
 * steps of O(digits(b)), which is cheap for the messages it serves.
 */
int
rl_decnum_div(rl_decnum *q, const rl_decnum *a, const rl_decnum *b, int frac)
{
	unsigned char rem[RL_DECNUM_DIGITS + 1], t[RL_DECNUM_MAX_DIGITS + 1];
	size_t nb = (size_t)b->n, w = nb + 1, qlen, k, j;
	long long s, nnum;
	int neg = a->neg != b->neg, lead0;

	if (b->n == 0) {
		set_zero(q);
		return RL_DECNUM_EZERO;
	}
	if (frac < 0 || frac > RL_DECNUM_MAX_DIGITS) {
		set_zero(q);
		return RL_DECNUM_ERANGE;
	}
	/* Numerator digits: those of a, then s zeros (s < 0: fewer of a's). */
	s = a->exp - b->exp + frac;
	nnum = a->n + s;
	if (a->n == 0 || nnum < b->n) {
		set_zero(q);
		return RL_DECNUM_OK;
	}
#define NUM(k) ((k) < (size_t)a->n ? a->d[(k)] : 0)
	/* One digit fewer when the leading nb digits are below b. */
	for (k = 0; k < nb && NUM(k) == b->d[k]; k++)
		;
	lead0 = k < nb && NUM(k) < b->d[k];
	if (nnum - b->n + 1 - lead0 > RL_DECNUM_MAX_DIGITS) {
		set_zero(q);
		return RL_DECNUM_ERANGE;
	}
	qlen = (size_t)(nnum - b->n + 1);
	/* The first nb - 1 digits are below b: no quotient digit yet. */
	memset(rem, 0, w);
	for (k = 0; k + 1 < nb; k++)
		rem[w - (nb - 1) + k] = NUM(k);
	for (j = 0; j < qlen; j++, k++) {
		unsigned char qd = 0;

		memmove(rem, rem + 1, w - 1);
		rem[w - 1] = NUM(k);
		while (rem_ge(rem, b->d, nb)) {
			rem_sub(rem, b->d, nb);
			qd++;
		}
		t[qlen - 1 - j] = qd;
	}
#undef NUM
	return store(q, neg, t, qlen, -(long long)frac);
}

/* Writes the scientific fallback; size >= RL_DECNUM_FMT_MIN. */
static void
format_sci(const rl_decnum *x, char *buf, size_t size)
{
	char e[24];
	size_t el, room, nd, k;
	char *p = buf;

	if (x->n == 0) {
		strcpy(buf, "0");
		return;
	}
	el = (size_t)snprintf(e, sizeof(e), "e%+lld", x->exp + x->n - 1);
	if (x->neg)
		*p++ = '-';
	room = size - 1 - (size_t)(p - buf) - el;
	*p++ = (char)('0' + x->d[0]);
	room--;
	nd = (size_t)x->n - 1;
	if (nd > 0) {
		/* Room for the point and the rest, or cut and say so. */
		int cut = nd + 1 > room;

		if (cut)
			nd = room - 1 - 3;
		*p++ = '.';
		for (k = 1; k <= nd; k++)
			*p++ = (char)('0' + x->d[k]);
		if (cut) {
			memcpy(p, "...", 3);
			p += 3;
		}
	}
	memcpy(p, e, el + 1);
}

int
rl_decnum_format(const rl_decnum *x, int min_frac, char *buf, size_t size)
{
	long long e = x->exp, n = x->n, lead = n + e, fd, total, k;
	char *p = buf;

	if (size < RL_DECNUM_FMT_MIN) {
		if (size > 0)
			buf[0] = '\0';
		return -1;
	}
	fd = e < 0 ? -e : 0;
	if (fd < min_frac)
		fd = min_frac;
	total = x->neg + (lead > 0 ? lead : 1) + (fd > 0 ? 1 + fd : 0);
	if (total >= (long long)size) {
		format_sci(x, buf, size);
		return 1;
	}
	if (x->neg)
		*p++ = '-';
	if (lead <= 0)
		*p++ = '0';
	/* Digit k of d has weight 10^(lead - 1 - k); past n it is a zero. */
	for (k = 0; k < lead; k++)
		*p++ = (char)('0' + (k < n ? x->d[k] : 0));
	if (fd > 0) {
		*p++ = '.';
		for (k = lead; k < lead + fd; k++)
			*p++ = (char)('0' + (k >= 0 && k < n ? x->d[k] : 0));
	}
	*p = '\0';
	return 0;
}

const char *
rl_decnum_strerror(int err)
{
	switch (err) {
	case RL_DECNUM_OK:
		return "no error";
	case RL_DECNUM_ESYNTAX:
		return "not a decimal number";
	case RL_DECNUM_ERANGE:
		return "number too long or exponent out of range";
	case RL_DECNUM_EZERO:
		return "division by zero";
	default:
		return "unknown decimal error";
	}
}
