/* datetime.c: RFC 3339 and spreadsheet dates as exact UTC instants. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* clock_gettime under -std=c99 */
#endif
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "datetime.h"

#define NSEC_PER_SEC 1000000000

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *yp, int *mp, int *dp)
{
	int64_t era, doe, yoe, doy, m5;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	m5 = (5 * doy + 2) / 153;
	*dp = (int)(doy - (153 * m5 + 2) / 5 + 1);
	*mp = (int)(m5 < 10 ? m5 + 3 : m5 - 9);
	*yp = yoe + era * 400 + (*mp <= 2);
}

static int
days_in_month(int64_t y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

static int
valid_date(int64_t y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* The value of n ASCII digits at s, or -1. */
static int
digits(const char *s, size_t n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int
rl_datetime_parse(const char *s, size_t len, rl_instant *out)
{
	int y, mo, d, h, mi, sec, oh, om, nsec = 0, scale = NSEC_PER_SEC;
	int64_t off = 0;
	size_t i = 19;

	/* Fixed part: YYYY-MM-DDTHH:MM:SS */
	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if ((y = digits(s, 4)) < 0 || (mo = digits(s + 5, 2)) < 0 ||
	    (d = digits(s + 8, 2)) < 0 || (h = digits(s + 11, 2)) < 0 ||
	    (mi = digits(s + 14, 2)) < 0 || (sec = digits(s + 17, 2)) < 0)
		return -1;
	if (!valid_date(y, mo, d) || h > 23 || mi > 59 || sec > 59)
		return -1;
	if (s[i] == '.') {
		size_t start = ++i;

		/* Past the ninth digit scale is 0: the rest is dropped. */
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			scale /= 10;
			nsec += (s[i] - '0') * scale;
		}
		if (i == start)
			return -1;
	}
	if (i == len)
		return -1;   /* an offset is required */
	if (s[i] == 'Z') {
		if (i + 1 != len)
			return -1;
	} else if (s[i] == '+' || s[i] == '-') {
		if (len - i != 6 || s[i + 3] != ':' ||
		    (oh = digits(s + i + 1, 2)) < 0 || oh > 23 ||
		    (om = digits(s + i + 4, 2)) < 0 || om > 59)
			return -1;
		off = (int64_t)oh * 3600 + om * 60;
		if (s[i] == '-')
			off = -off;
	} else
		return -1;
	/* Local time minus its offset is UTC. */
	out->sec = days_from_civil(y, mo, d) * RL_SECONDS_PER_DAY +
	    h * 3600 + mi * 60 + sec - off;
	out->nsec = nsec;
	return 0;
}

/* N/N/YYYY with one or two digits for each N: 0 and the parts, or -1. */
static int
slash_parts(const char *s, size_t len, int part[2], int *y)
{
	size_t i = 0, n;

	for (n = 0; n < 2; n++) {
		size_t start = i;

		while (i < len && i - start < 3 && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i - start < 1 || i - start > 2 || i == len || s[i] != '/')
			return -1;
		part[n] = digits(s + start, i - start);
		i++;
	}
	if (len - i != 4 || (*y = digits(s + i, 4)) < 0)
		return -1;
	return 0;
}

/* month and day: the indexes of the parts that hold them. */
static int
slash_parse(const char *s, size_t len, int mi, rl_instant *out)
{
	int part[2], y;

	if (slash_parts(s, len, part, &y) == -1 ||
	    !valid_date(y, part[mi], part[1 - mi]))
		return -1;
	out->sec = days_from_civil(y, part[mi], part[1 - mi]) * RL_SECONDS_PER_DAY;
	out->nsec = 0;
	return 0;
}

int
rl_date_mdy_parse(const char *s, size_t len, rl_instant *out)
{
	return slash_parse(s, len, 0, out);
}

int
rl_date_dmy_parse(const char *s, size_t len, rl_instant *out)
{
	return slash_parse(s, len, 1, out);
}

int
rl_date_readings(const char *s, size_t len, int *first, int *second)
{
	int part[2], y, r = 0;

	if (slash_parts(s, len, part, &y) == -1)
		return 0;
	if (first != NULL)
		*first = part[0];
	if (second != NULL)
		*second = part[1];
	if (valid_date(y, part[0], part[1]))
		r |= RL_DATE_MDY;
	if (valid_date(y, part[1], part[0]))
		r |= RL_DATE_DMY;
	if (r == (RL_DATE_MDY | RL_DATE_DMY) && part[0] != part[1])
		r |= RL_DATE_DIFFER;
	return r;
}

int
rl_instant_format(rl_instant t, char buf[32])
{
	int64_t days = t.sec / RL_SECONDS_PER_DAY, y;
	int64_t rem = t.sec % RL_SECONDS_PER_DAY;
	int m, d, n, w = 9;
	int32_t frac = t.nsec;

	if (rem < 0) {
		rem += RL_SECONDS_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999 || t.nsec < 0 || t.nsec >= NSEC_PER_SEC)
		return -1;
	n = snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d", (int)y, m, d,
	    (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	if (frac != 0) {
		/* Shortest exact fraction: drop the trailing zeros. */
		while (frac % 10 == 0) {
			frac /= 10;
			w--;
		}
		n += snprintf(buf + n, 32 - (size_t)n, ".%0*ld", w,
		    (long)frac);
	}
	buf[n++] = 'Z';
	buf[n] = '\0';
	return n;
}

int
rl_instant_cmp(rl_instant a, rl_instant b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	if (a.nsec != b.nsec)
		return a.nsec < b.nsec ? -1 : 1;
	return 0;
}

/*
 * x - y into *r, or, when that does not fit, the sign of the true result
 * (+1 or -1) and *r saturated.
 */
static int
sub_overflow(int64_t x, int64_t y, int64_t *r)
{
	if (y < 0 && x > INT64_MAX + y) {
		*r = INT64_MAX;
		return 1;
	}
	if (y > 0 && x < INT64_MIN + y) {
		*r = INT64_MIN;
		return -1;
	}
	*r = x - y;
	return 0;
}

rl_instant
rl_instant_add(rl_instant a, int64_t seconds)
{
	if (seconds == INT64_MIN) {
		/* -INT64_MIN does not exist; take the second step by hand. */
		sub_overflow(a.sec, INT64_MAX, &a.sec);
		sub_overflow(a.sec, 1, &a.sec);
	} else
		sub_overflow(a.sec, -seconds, &a.sec);
	return a;
}

int64_t
rl_instant_diff(rl_instant a, rl_instant b)
{
	int64_t s;

	if (sub_overflow(a.sec, b.sec, &s) != 0)
		return s;
	/* The nanoseconds add a fraction in (-1, 1): round toward zero. */
	if (s > 0 && a.nsec < b.nsec)
		s--;
	else if (s < 0 && a.nsec > b.nsec)
		s++;
	return s;
}

int
rl_instant_cmp_span(rl_instant a, rl_instant b, int64_t seconds)
{
	int64_t t;
	int o;

	/*
	 * The sign of (a.sec - b.sec - seconds) + (a.nsec - b.nsec) / 1e9: the
	 * fraction lies in (-1, 1), so it only matters when the integer part
	 * is 0.  The integer part is worked out without overflow: once a step
	 * leaves int64_t, the remaining term cannot bring it back to 0.
	 */
	if ((o = sub_overflow(a.sec, b.sec, &t)) != 0)
		return o;
	if ((o = sub_overflow(t, seconds, &t)) != 0)
		return o;
	if (t != 0)
		return t < 0 ? -1 : 1;
	return a.nsec < b.nsec ? -1 : a.nsec > b.nsec;
}

int
rl_now(rl_instant *out)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	out->sec = ts.tv_sec;
	out->nsec = (int32_t)ts.tv_nsec;
	return 0;
}
