/*
 * datetime.h: exact instants for the date rules and the CSV date columns.
 * Included by the value checks, the registration rules, the CSV reader,
 * main.c (for --now) and the tests; not installed.
 *
 * Ownership: nothing is allocated; strings are borrowed (ptr, len) and need
 * not be NUL-terminated.
 *
 * Arithmetic is days-from-civil on the proleptic Gregorian calendar, not
 * timegm() or mktime(): no dependence on TZ, the locale or time_t's range.
 */
#ifndef RL_DATETIME_H
#define RL_DATETIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * A point in time: Unix seconds (UTC, no leap seconds) and nanoseconds,
 * 0 <= nsec < 1 000 000 000.  Two instants compare exactly.
 */
typedef struct rl_instant {
	int64_t sec;
	int32_t nsec;
} rl_instant;

#define RL_SECONDS_PER_DAY 86400

/*
 * Strict RFC 3339: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), with
 * uppercase T and Z, a real calendar date (years 0000-9999), hours 00-23,
 * no second 60, offsets up to 23:59 ("-00:00" is UTC).  The fraction has
 * at least one digit; digits past the ninth are accepted and dropped
 * (truncated toward the past), since an instant holds nanoseconds.
 * 0 when s is such a date-time, -1 otherwise (out untouched).
 */
int rl_datetime_parse(const char *s, size_t len, rl_instant *out);

/*
 * A spreadsheet date, MM/DD/YYYY or M/D/YYYY (a real calendar date, a
 * four-digit year), as midnight UTC.  0 or -1 as above.
 */
int rl_date_mdy_parse(const char *s, size_t len, rl_instant *out);

/* The same read day first: DD/MM/YYYY or D/M/YYYY (--date-order dmy). */
int rl_date_dmy_parse(const char *s, size_t len, rl_instant *out);

/*
 * Which readings of a cell N/N/YYYY are calendar dates, as bits:
 * RL_DATE_MDY, RL_DATE_DMY, and RL_DATE_DIFFER when both readings are
 * dates and not the same one (01/12/2026; not 05/05/2026).  0 for a cell
 * of another shape.  month/day (may be NULL): the two numbers as written.
 */
#define RL_DATE_MDY    1
#define RL_DATE_DMY    2
#define RL_DATE_DIFFER 4
int rl_date_readings(const char *s, size_t len, int *first, int *second);

/*
 * Writes "YYYY-MM-DDTHH:MM:SSZ", with ".fraction" before the Z when nsec is
 * not 0 (the shortest that is exact: ".5", ".1234567").  Returns the length
 * (at most 30), or -1 when the year is outside 0000-9999.
 */
int rl_instant_format(rl_instant, char buf[32]);

/* <0, 0 or >0 as a is before, equal to or after b. */
int rl_instant_cmp(rl_instant a, rl_instant b);

/* a + seconds, saturating at the ends of int64_t instead of overflowing. */
rl_instant rl_instant_add(rl_instant a, int64_t seconds);

/* a - b in whole seconds, truncated toward zero (saturating). */
int64_t rl_instant_diff(rl_instant a, rl_instant b);

/*
 * Compares the exact interval a - b with a span of seconds: <0, 0 or >0.
 * "sign at most 60 days before now" is
 * rl_instant_cmp_span(now, sign, 60 * RL_SECONDS_PER_DAY) <= 0, and holds
 * for exactly 60 days but not for one nanosecond more.
 */
int rl_instant_cmp_span(rl_instant a, rl_instant b, int64_t seconds);

/* The current time (CLOCK_REALTIME), for the default --now.  0 or -1. */
int rl_now(rl_instant *out);

#endif /* RL_DATETIME_H */
