/*
 * decimal.c: exact decimal comparison of JSON number lexemes.
 *
 * A lexeme is read as sign, a digit sequence (integer part then fraction,
 * the point dropped) and a power of ten.  Leading and trailing zeros are
 * stripped, so 1, 1.0, 10e-1 and 0.1e1 reduce to the same digits and the
 * same "adjusted exponent" (the position of the decimal point relative to
 * the first significant digit).  Comparison then needs no arithmetic.
 */
#include "config.h"

#include <stdint.h>

#include "decimal.h"

#define EXP_CAP 1000000000000000LL   /* 10^15: saturation bound */

struct dec {
	int neg;
	const char *ip, *fp;   /* integer and fraction digits */
	size_t il, fl;
	long long exp;         /* the written exponent, saturated */
	size_t first, last;    /* significant digits: [first, last) in the sequence */
};

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
rl_decimal_valid(const char *s, size_t len)
{
	size_t i = 0;

	if (i < len && s[i] == '-')
		i++;
	if (i >= len || !is_digit(s[i]))
		return 0;
	if (s[i] == '0')
		i++;
	else
		while (i < len && is_digit(s[i]))
			i++;
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || !is_digit(s[i]))
			return 0;
		while (i < len && is_digit(s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= len || !is_digit(s[i]))
			return 0;
		while (i < len && is_digit(s[i]))
			i++;
	}
	return i == len;
}

static char
digit_at(const struct dec *d, size_t k)
{
	return k < d->il ? d->ip[k] : d->fp[k - d->il];
}

static void
dec_read(struct dec *d, const char *s, size_t len)
{
	size_t i = 0, n;
	int eneg = 0;

	d->neg = 0;
	if (i < len && s[i] == '-') {
		d->neg = 1;
		i++;
	}
	d->ip = s + i;
	while (i < len && is_digit(s[i]))
		i++;
	d->il = (size_t)(s + i - d->ip);
	d->fp = s + i;
	d->fl = 0;
	if (i < len && s[i] == '.') {
		d->fp = s + ++i;
		while (i < len && is_digit(s[i]))
			i++;
		d->fl = (size_t)(s + i - d->fp);
	}
	d->exp = 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		for (; i < len && is_digit(s[i]); i++)
			if (d->exp < EXP_CAP)
				d->exp = d->exp * 10 + (s[i] - '0');
		if (eneg)
			d->exp = -d->exp;
	}
	n = d->il + d->fl;
	for (d->first = 0; d->first < n && digit_at(d, d->first) == '0'; d->first++)
		;
	for (d->last = n; d->last > d->first && digit_at(d, d->last - 1) == '0'; d->last--)
		;
}

/* Position of the decimal point counted from the first significant digit. */
static long long
adjusted(const struct dec *d)
{
	return (long long)d->il - (long long)d->first + d->exp;
}

int
rl_decimal_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	struct dec x, y;
	int xzero, yzero, mag = 0;
	long long ax, ay;
	size_t i, nx, ny;

	dec_read(&x, a, alen);
	dec_read(&y, b, blen);
	xzero = x.first == x.last;
	yzero = y.first == y.last;
	if (xzero && yzero)
		return 0;
	if (xzero)
		return y.neg ? 1 : -1;
	if (yzero)
		return x.neg ? -1 : 1;
	if (x.neg != y.neg)
		return x.neg ? -1 : 1;

	ax = adjusted(&x);
	ay = adjusted(&y);
	if (ax != ay)
		mag = ax < ay ? -1 : 1;
	else {
		nx = x.last - x.first;
		ny = y.last - y.first;
		for (i = 0; i < nx && i < ny && mag == 0; i++) {
			char cx = digit_at(&x, x.first + i);
			char cy = digit_at(&y, y.first + i);
			if (cx != cy)
				mag = cx < cy ? -1 : 1;
		}
		if (mag == 0 && nx != ny)
			mag = nx < ny ? -1 : 1;
	}
	return x.neg ? -mag : mag;
}

int
rl_decimal_dotnet_exact(const char *s, size_t len)
{
	static const char max[] = "79228162514264337593543950335";
	const size_t maxlen = sizeof(max) - 1;
	struct dec d;
	long long e;
	size_t n, total, i;
	char c;

	dec_read(&d, s, len);
	if (d.first == d.last)
		return 1;               /* zero */
	n = d.last - d.first;
	if (n > maxlen)
		return 0;
	/* the value is D x 10^e, D the significant digits */
	e = d.exp + (long long)d.il - (long long)d.last;
	if (e < -28)
		return 0;               /* more than 28 digits after the point */
	if (e > (long long)maxlen)
		return 0;
	/* the integer .NET keeps: D, or D x 10^e for e > 0 (scale 0) */
	total = n + (e > 0 ? (size_t)e : 0);
	if (total != maxlen)
		return total < maxlen;
	for (i = 0; i < maxlen; i++) {
		c = i < n ? digit_at(&d, d.first + i) : '0';
		if (c != max[i])
			return c < max[i];
	}
	return 1;
}
