/*
 * csvmap_date.c: the date cells of a spreadsheet (csvmap_int.h;
 * reflint(1), Dates): MM/DD/YYYY as Partner Center writes them, or
 * DD/MM/YYYY with --date-order dmy, the dates that only read the other
 * way, csv-date-ambiguous, and the first pass over a file that finds the
 * DD/MM-only dates of each column before its rows are judged.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "csvmap_int.h"
#include "datetime.h"

static const char *const months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* A date cell's text for a message: at most 11 bytes. */
static void
date_text(char out[12], const char *s, size_t len)
{
	int n = rl_csvmap_snip_len(s, len);

	if (n > 11)
		n = 11;
	memcpy(out, s, (size_t)n);
	out[n] = '\0';
}

/* read once: the ambiguous dates before s went by unreported */
static void
name_earlier(struct datecol *dc, char *msg, size_t size, int k)
{
	size_t i, max = sizeof(dc->earlier) / sizeof(dc->earlier[0]);

	if (k <= 0 || (size_t)k >= size)
		return;
	k += snprintf(msg + k, size - (size_t)k,
	    "; read as MM/DD above, though they read both ways: row");
	for (i = 0; i < dc->nearlier && i < max && k > 0 && (size_t)k < size; i++)
		k += snprintf(msg + k, size - (size_t)k, "%s %lu", i ? "," : "",
		    dc->earlier[i]);
	if (dc->nearlier > i && k > 0 && (size_t)k < size)
		snprintf(msg + k, size - (size_t)k, " and %lu more",
		    dc->nearlier - i);
	dc->nearlier = 0;
}

/*
 * A date cell.  It reads in the order of --date-order (MM/DD by default).
 * A cell that is only a date the other way round says so.  With the
 * default order, a cell that reads both ways is reported as
 * csv-date-ambiguous (a warning; the op is made) when its column holds a
 * DD/MM-only date: one found by the first pass over a file, or, for an
 * input read once (a pipe), one of the rows before.
 */
rl_value *
rl_csvmap_conv_date(struct map *m, const struct rl_column *col,
    const rl_csv_field *f, const char *s, size_t len, unsigned long rowno)
{
	struct datecol *dc = &m->dates[col - m->cols->c];
	int mine = m->order == 'd' ? RL_DATE_DMY : RL_DATE_MDY;
	int other = mine ^ (RL_DATE_MDY | RL_DATE_DMY), a = 0, b = 0;
	int rd = rl_date_readings(s, len, &a, &b);
	const char *self = m->order == 'd' ? "DD/MM/YYYY" : "MM/DD/YYYY";
	const char *them = m->order == 'd' ? "MM/DD/YYYY" : "DD/MM/YYYY";
	rl_instant t;
	char buf[32];
	int n, k;
	rl_diag *d;

	if (rd & mine) {
		if ((m->order == 'd' ? rl_date_dmy_parse(s, len, &t) :
		    rl_date_mdy_parse(s, len, &t)) != 0 ||
		    (n = rl_instant_format(t, buf)) <= 0)
			return NULL;
		if (m->warn_dates && (rd & RL_DATE_DIFFER)) {
			if (dc->dmy) {
				d = rl_csvmap_cell_diag(m, col, f, RL_CSV_DATE_AMBIGUOUS);
				snprintf(d->message, sizeof(d->message),
				    "\"%.*s\" is read as %s %d (MM/DD/YYYY), but the column also has \"%s\" (row %lu), a DD/MM/YYYY date: give --date-order dmy if it means %d %s, --date-order mdy if not",
				    rl_csvmap_snip_len(s, len), s,
				    months[a - 1], b, dc->dmy_text, dc->dmy_row, a,
				    months[b - 1]);
			} else if (!m->frozen && dc->nearlier++ <
			    sizeof(dc->earlier) / sizeof(dc->earlier[0]))
				dc->earlier[dc->nearlier - 1] = rowno;
		}
		return rl_json_string(m->a, buf, (size_t)n);
	}
	d = rl_csvmap_cell_diag(m, col, f, RL_VALUE_FORMAT);
	if (!(rd & other)) {
		snprintf(d->message, sizeof(d->message),
		    "\"%.*s\" is not a calendar date %s",
		    rl_csvmap_snip_len(s, len), s, self);
		return NULL;
	}
	if (m->order != 'd' && !dc->dmy && !m->frozen) {
		dc->dmy = 1;
		dc->dmy_row = rowno;
		date_text(dc->dmy_text, s, len);
	}
	/* the day and the month as the other order reads them */
	k = snprintf(d->message, sizeof(d->message),
	    "\"%.*s\" is not a calendar date %s; as %s it is %d %s: give --date-order %s if the sheet's dates are written that way",
	    rl_csvmap_snip_len(s, len), s, self, them,
	    m->order == 'd' ? b : a, months[(m->order == 'd' ? a : b) - 1],
	    m->order == 'd' ? "mdy" : "dmy");
	if (m->warn_dates && !m->frozen && dc->nearlier > 0)
		name_earlier(dc, d->message, sizeof(d->message), k);
	return NULL;
}

/* ---- the first pass ----------------------------------------------------- */

struct scan {
	struct map *m;
	size_t n, left;
	struct { size_t col, field; } *d;
};

static int
scan_row(void *ctx, const rl_csv_row *row)
{
	struct scan *sc = ctx;
	struct map *m = sc->m;
	size_t i;

	if (row->header || row->diag != NULL)
		return 0;
	for (i = 0; i < sc->n; i++) {
		struct datecol *dc = &m->dates[sc->d[i].col];
		const char *s;
		size_t len;

		if (dc->dmy || sc->d[i].field >= row->n)
			continue;
		s = row->f[sc->d[i].field].s;
		len = row->f[sc->d[i].field].len;
		rl_csvmap_trim(&s, &len);
		if ((rl_date_readings(s, len, NULL, NULL) &
		    (RL_DATE_MDY | RL_DATE_DMY)) != RL_DATE_DMY)
			continue;
		dc->dmy = 1;
		dc->dmy_row = row->row;
		date_text(dc->dmy_text, s, len);
		sc->left--;
	}
	return sc->left == 0;       /* every date column has one: done */
}

/*
 * After a slash: a month (one or two digits, 1 to 12) and a slash; or the
 * piece ends too soon to tell (then yes).
 */
static int
month_next(const char *p, const char *end)
{
	int m = 0, k;

	for (k = 1; k <= 3; k++) {
		if (p + k >= end)
			return 1;
		if (p[k] == '/')
			return k > 1 && m >= 1 && m <= 12;
		if (p[k] < '0' || p[k] > '9' || k == 3)
			return 0;
		m = m * 10 + (p[k] - '0');
	}
	return 0;
}

/*
 * Can the text hold a DD/MM-only date?  Such a date is not MM/DD, so its
 * first number is no month (13 to 31, two digits before a slash) and its
 * second is one.  Text without that holds none, whatever its columns, and
 * the cheap look (memchr for the slashes) spares most files the parser's
 * pass.
 */
static int
may_hold_dmy(struct map *m)
{
	const char *s, *p, *end;
	char prev[2] = { 0, 0 };
	size_t n;
	int r, found = 0;

	while (!found && (r = m->reread(m->reread_ctx, &s, &n)) == 1) {
		end = s + n;
		for (p = s; !found && (p = memchr(p, '/', (size_t)(end - p))) != NULL;
		    p++) {
			char a = p - s >= 2 ? p[-2] : p - s == 1 ? prev[1] : prev[0];
			char b = p - s >= 1 ? p[-1] : prev[1];

			int d = (a - '0') * 10 + (b - '0');

			found = a >= '1' && a <= '3' && b >= '0' && b <= '9' &&
			    d >= 13 && d <= 31 && month_next(p, end);
		}
		/* the last two bytes, for a slash at the start of the next */
		if (n >= 2) {
			prev[0] = s[n - 2];
			prev[1] = s[n - 1];
		} else if (n == 1) {
			prev[0] = prev[1];
			prev[1] = s[0];
		}
	}
	(void)m->reread(m->reread_ctx, NULL, NULL);
	return found || r == -1;
}

/*
 * With the default date order, an input that can be read again (a file,
 * bytes in memory: m->reread) is read once ahead for the DD/MM-only dates
 * of its mapped date columns, so that an ambiguous date before the first
 * of them is reported too.  The pass runs while the header is read, with
 * a parser of its own on the input decoded again from its first byte, and
 * stops as soon as each date column has such a date; before it, a look at
 * the bytes alone (may_hold_dmy) settles most files, which hold none.  Memory: one more
 * parser, bounded by the largest row.  A pass that fails (memory, an I/O
 * error) leaves the rows read once, as for a pipe.  Readers of later
 * ranges never run it: they copy what it found.
 */
void
rl_csvmap_prescan(struct map *m, const rl_csv_row *header)
{
	struct scan sc;
	rl_csv_opts so;
	rl_csv_parser *p;
	const char *s;
	size_t i, n, taken;
	int r = 1, stopped = 0;

	if (m->reread == NULL || !m->warn_dates)
		return;
	memset(&sc, 0, sizeof(sc));
	sc.m = m;
	if ((sc.d = rl_malloc((m->cols->n + 1) * sizeof(*sc.d))) == NULL)
		return;
	for (i = 0; i < m->cols->n; i++)
		if (m->bind[i] >= 0 && m->cols->c[i].use != RL_COL_READ_ONLY &&
		    m->cols->c[i].conv == RL_CONV_DATE) {
			sc.d[sc.n].col = i;
			sc.d[sc.n++].field = (size_t)m->bind[i];
		}
	sc.left = sc.n;
	memset(&so, 0, sizeof(so));
	so.delimiter = header->delimiter;
	so.max_field = m->mo->max_field;
	so.max_row = m->mo->max_row;
	if (sc.n > 0 && !may_hold_dmy(m)) {
		m->frozen = 1;              /* read to its end: none */
		sc.n = 0;
	}
	if (sc.n == 0 ||
	    (p = rl_csv_parser_new(header->source, &so, scan_row, &sc,
	    NULL)) == NULL) {
		rl_free(sc.d);
		return;
	}
	while (!stopped && (r = m->reread(m->reread_ctx, &s, &n)) == 1)
		while (n > 0 && !stopped) {
			stopped = rl_csv_parser_feed(p, s, n, &taken);
			s += taken;
			n -= taken;
		}
	if (r == 0 && !stopped)
		(void)rl_csv_parser_end(p);
	(void)m->reread(m->reread_ctx, NULL, NULL);
	/* read to its end, or every column has its date: what is known is all */
	m->frozen = (rl_csv_parser_free(p, NULL) == RL_READ_OK && r == 0) ||
	    sc.left == 0;
	rl_free(sc.d);
}
