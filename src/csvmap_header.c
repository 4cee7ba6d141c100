/*
 * csvmap_header.c: the header row of a spreadsheet (csvmap_int.h): which
 * field each column of columns.json is, the headers that nearly name one
 * (csv-column-unknown), the note of the ignored columns, and format
 * detection by the first line.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "csvmap_int.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* ---- near misses -------------------------------------------------------- */

#define FOLD_MAX 64

/* ASCII letters in lower case, no spaces: (len) or 0 when too long. */
static size_t
fold(const char *s, size_t len, char out[FOLD_MAX])
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (is_space(c))
			continue;
		if (n == FOLD_MAX)
			return 0;
		out[n++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	return n;
}

/* The digits of s, in order, are those of t: "Notes 2" is not "Notes". */
static int
same_digits(const char *s, size_t sn, const char *t, size_t tn)
{
	size_t i = 0, k = 0;

	for (;;) {
		while (i < sn && (s[i] < '0' || s[i] > '9'))
			i++;
		while (k < tn && (t[k] < '0' || t[k] > '9'))
			k++;
		if (i == sn || k == tn)
			return i == sn && k == tn;
		if (s[i++] != t[k++])
			return 0;
	}
}

/*
 * Edits from a to b (insert, delete, replace, or swap two neighbours: the
 * typing mistakes, "Vaule" for "Value" is one), at most FOLD_MAX each.
 */
static size_t
edits(const char *a, size_t an, const char *b, size_t bn)
{
	size_t d[3][FOLD_MAX + 1], i, k;

	for (k = 0; k <= bn; k++)
		d[0][k] = k;
	for (i = 1; i <= an; i++) {
		size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *pp = d[(i + 1) % 3];

		cur[0] = i;
		for (k = 1; k <= bn; k++) {
			size_t best = prev[k - 1] + (a[i - 1] != b[k - 1]);

			if (prev[k] + 1 < best)
				best = prev[k] + 1;
			if (cur[k - 1] + 1 < best)
				best = cur[k - 1] + 1;
			if (i > 1 && k > 1 && a[i - 1] == b[k - 2] &&
			    a[i - 2] == b[k - 1] && pp[k - 2] + 1 < best)
				best = pp[k - 2] + 1;
			cur[k] = best;
		}
	}
	return d[an % 3][bn];
}

/*
 * The mapped column that an unknown header nearly names (reflint(1),
 * Headers): within two edits of its name folded (one for names of five
 * letters or fewer), with the same digits, and not itself in the header;
 * the closest, the first in columns.json among equals.  -1 for none.
 */
static long
near_miss(const struct map *m, const char *s, size_t len)
{
	char a[FOLD_MAX], b[FOLD_MAX];
	size_t an, bn, i, best = 3;
	long found = -1;

	rl_csvmap_trim(&s, &len);
	if ((an = fold(s, len, a)) == 0)
		return -1;
	for (i = 0; i < m->cols->n; i++) {
		const struct rl_column *c = &m->cols->c[i];
		size_t e, max;

		if (c->use == RL_COL_READ_ONLY || c->use == RL_COL_IGNORE ||
		    m->bind[i] >= 0 ||
		    (bn = fold(c->header, c->hlen, b)) == 0)
			continue;
		max = bn <= 5 ? 1 : 2;
		if ((an > bn ? an - bn : bn - an) > max ||
		    !same_digits(a, an, b, bn))
			continue;
		if ((e = edits(a, an, b, bn)) <= max && e < best) {
			best = e;
			found = (long)i;
		}
	}
	return found;
}

/* Is field i of the header a near miss reported as csv-column-unknown? */
static int
is_unknown(const struct map *m, size_t i)
{
	size_t k;

	for (k = 0; k < m->nunk; k++)
		if (m->unk[k].field == i)
			return 1;
	return 0;
}

/* csv-column-unknown for this row: the edit in that column would be lost. */
void
rl_csvmap_unknown_diags(struct map *m, const rl_csv_row *row)
{
	size_t k;

	for (k = 0; k < m->nunk; k++) {
		const struct unknown *u = &m->unk[k];
		const struct rl_column *c = &m->cols->c[u->col];
		const char *s = u->field < row->n ? row->f[u->field].s : "";
		size_t len = u->field < row->n ? row->f[u->field].len : 0;
		rl_diag *d = &m->conv[m->nconv++];

		rl_csvmap_trim(&s, &len);
		rl_csvmap_diag(d, m->r, RL_CSV_COLUMN_UNKNOWN, row->source, "%s", "");
		d->line = u->line;
		d->column = u->column;
		/* the batch names the column in front of the message */
		d->field = (long)u->field;
		if (c->path != NULL)
			rl_diag_set_pointer(d, c->path, c->plen);
		snprintf(d->message, sizeof(d->message),
		    "not a column reflint reads; did you mean \"%s\"? "
		    "This row's %s%.*s%s there would be lost: rename the header",
		    c->header,
		    len > 0 ? "\"" : "", len > 0 ? rl_csvmap_snip_len(s, len) : 5,
		    len > 0 ? s : "empty", len > 0 ? "\"" : " cell");
	}
}

/* ---- the header --------------------------------------------------------- */

/*
 * csv-column-ignored naming every read-only and unknown column, in full
 * (the whole text in m->notetext, a cut copy in the message).
 */
static int
build_note(struct map *m, const rl_csv_row *row)
{
	static const char *const kinds[] = { "read-only", "unknown" };
	rl_buf *b = &m->notetext;
	size_t i, count = 0;
	int k;

	rl_csvmap_diag(&m->note, m->r, RL_CSV_COLUMN_IGNORED, row->source, "%s", "");
	m->note.line = row->line;
	m->note.column = 1;
	b->len = 0;
	if (rl_buf_puts(b, "columns ignored:") == -1)
		return -1;
	for (k = 0; k < 2; k++) {
		int any = 0;

		for (i = 0; i < row->n; i++) {
			const char *s = row->f[i].s;
			size_t len = row->f[i].len;
			long c = rl_csvmap_find_column(m->cols, s, len);
			int ro = c >= 0 && m->cols->c[c].use == RL_COL_READ_ONLY;

			if (c >= 0 && !ro && m->bind[c] == (long)i)
				continue;       /* mapped */
			if (c >= 0 && m->cols->c[c].use == RL_COL_IGNORE)
				continue;       /* known, and not worth a note */
			if ((k == 0) != (c >= 0) || is_unknown(m, i))
				continue;
			if (rl_buf_puts(b, any ? ", " : count ? "; " : " ") == -1 ||
			    (!any && (rl_buf_puts(b, kinds[k]) == -1 ||
			    rl_buf_putc(b, ' ') == -1)))
				return -1;
			any = 1;
			rl_csvmap_trim(&s, &len);
			if (len == 0) {
				if (rl_buf_printf(b, "\"(column %zu)\"", i + 1) == -1)
					return -1;
			} else if (rl_buf_putc(b, '"') == -1 ||
			    rl_buf_append(b, s, len) == -1 || rl_buf_putc(b, '"') == -1)
				return -1;
			count++;
		}
	}
	if (count == 0) {
		m->note.code = RL_OK;
		return 0;
	}
	rl_utf8_fit(m->note.message, sizeof(m->note.message), b->data, b->len);
	m->note.text = rl_buf_cstr(b);
	return 0;
}

/* Keeps the header's names for messages, and finds the near misses. */
static int
keep_names(struct map *m, const rl_csv_row *row)
{
	size_t i;

	m->names.len = 0;
	m->nnames = 0;
	m->nunk = 0;
	rl_free(m->name_off);
	rl_free(m->unk);
	m->unk = NULL;
	if ((m->name_off = rl_malloc((row->n + 1) * sizeof(*m->name_off))) == NULL ||
	    (m->unk = rl_malloc((row->n + 1) * sizeof(*m->unk))) == NULL)
		return -1;
	for (i = 0; i < row->n; i++) {
		const char *s = row->f[i].s;
		size_t len = row->f[i].len;
		long c;

		rl_csvmap_trim(&s, &len);
		m->name_off[i] = m->names.len;
		if (rl_buf_append(&m->names, s, len) == -1 ||
		    rl_buf_putc(&m->names, '\0') == -1)
			return -1;
		m->nnames++;
		if (rl_csvmap_find_column(m->cols, s, len) >= 0 ||
		    rl_rules_severity(m->r, RL_CSV_COLUMN_UNKNOWN) == RL_SEV_NONE ||
		    (c = near_miss(m, s, len)) < 0)
			continue;
		m->unk[m->nunk].field = i;
		m->unk[m->nunk].col = c;
		m->unk[m->nunk].line = row->f[i].line;
		m->unk[m->nunk].column = row->f[i].column;
		m->nunk++;
	}
	/* a conversion per column and an unknown per near miss, at most */
	rl_free(m->conv);
	m->conv = rl_malloc((m->cols->n + m->nunk + 1) * sizeof(*m->conv));
	return m->conv == NULL ? -1 : 0;
}

const char *
rl_csvmap_name_of(const struct map *m, size_t i)
{
	return i < m->nnames ? m->names.data + m->name_off[i] : "";
}

/* What the header of h bound, for a reader of a later range of its file. */
int
rl_csvmap_copy_header(struct map *m, const struct map *h)
{
	size_t n = h->cols->n;

	m->cols = h->cols;
	memcpy(m->bind, h->bind, n * sizeof(*m->bind));
	memcpy(m->dates, h->dates, n * sizeof(*m->dates));
	m->frozen = 1;
	m->nnames = m->nunk = 0;
	rl_free(m->conv);
	if ((m->conv = rl_malloc((n + h->nunk + 1) * sizeof(*m->conv))) == NULL ||
	    (m->name_off = rl_malloc((h->nnames + 1) *
	    sizeof(*m->name_off))) == NULL ||
	    (m->unk = rl_malloc((h->nunk + 1) * sizeof(*m->unk))) == NULL ||
	    rl_buf_append(&m->names, h->names.data, h->names.len) == -1)
		return -1;
	if (h->nnames > 0)
		memcpy(m->name_off, h->name_off, h->nnames * sizeof(*m->name_off));
	if (h->nunk > 0)
		memcpy(m->unk, h->unk, h->nunk * sizeof(*m->unk));
	m->nnames = h->nnames;
	m->nunk = h->nunk;
	return 0;
}

int
rl_csvmap_header(struct map *m, const rl_csv_row *row)
{
	rl_csv_header h;
	size_t i;
	long c, id = -1;

	m->header_seen = 1;
	if (row->diag != NULL) {
		m->err = *row->diag;
		snprintf(m->err.message, sizeof(m->err.message),
		    "the header row is malformed: %.200s", row->diag->message);
		m->fatal = 1;
		return 1;
	}
	m->cols = rl_csvmap_profile(m->r, row);
	for (i = 0; i < m->cols->n; i++)
		m->bind[i] = -1;
	for (i = 0; i < row->n; i++) {
		if ((c = rl_csvmap_find_column(m->cols, row->f[i].s,
		    row->f[i].len)) < 0 || m->cols->c[c].use == RL_COL_READ_ONLY ||
		    m->cols->c[c].use == RL_COL_IGNORE)
			continue;
		if (m->bind[c] >= 0) {
			rl_csvmap_diag(&m->err, m->r, RL_CSV_SYNTAX, row->source,
			    "the header row has column \"%s\" twice (fields %ld and %zu)",
			    m->cols->c[c].header, m->bind[c] + 1, i + 1);
			m->err.severity = RL_SEV_ERROR;
			m->err.line = row->f[i].line;
			m->err.column = row->f[i].column;
			m->fatal = 1;
			return 1;
		}
		m->bind[c] = (long)i;
	}
	for (i = 0; i < m->cols->n; i++)
		if (m->cols->c[i].use == RL_COL_ID)
			id = (long)i;
	if (id >= 0 && m->bind[id] < 0) {
		rl_csvmap_diag(&m->err, m->r, RL_CSV_SYNTAX, row->source,
		    "the header row has no \"%s\" column: is the first row a header "
		    "(delimiter '%s')?", m->cols->c[id].header,
		    row->delimiter == '\t' ? "\\t" : row->delimiter == ';' ? ";" : ",");
		m->err.severity = RL_SEV_ERROR;
		m->err.line = row->line;
		m->err.column = 1;
		m->fatal = 1;
		return 1;
	}
	if (keep_names(m, row) == -1 || build_note(m, row) == -1) {
		m->nomem = 1;
		return 1;
	}
	rl_csvmap_prescan(m, row);
	if (m->cb->header == NULL)
		return 0;
	memset(&h, 0, sizeof(h));
	h.source = row->source;
	h.line = row->line;
	h.row = row->row;
	h.delimiter = row->delimiter;
	h.encoding = m->dec != NULL ? rl_decoder_iconv_name(m->dec) : NULL;
	h.raw = row->raw;
	h.rawlen = row->rawlen;
	h.ncolumns = row->n;
	h.note = m->note.code != RL_OK && m->note.severity != RL_SEV_NONE ?
	    &m->note : NULL;
	return m->cb->header(m->ctx, &h);
}

/* ---- format detection --------------------------------------------------- */

/* Does one of the delimiter's fields of s[0..len) name a column? */
static int
names_a_column(const rl_rules *r, const char *s, size_t len, char delim)
{
	const char *end = s + len, *f, *e;
	size_t n;

	for (f = s; f <= end; f = e + 1) {
		if ((e = memchr(f, delim, (size_t)(end - f))) == NULL)
			e = end;
		n = (size_t)(e - f);
		rl_csvmap_trim(&f, &n);
		if (n >= 2 && f[0] == '"' && f[n - 1] == '"') {
			f++;
			n -= 2;
		}
		if (n > 0 && rl_csvmap_find_any(r, f, n) >= 0)
			return 1;
	}
	return 0;
}

int
rl_csv_sniff(const rl_rules *r, const char *buf, size_t len, int eof)
{
	static const char bom[] = "\xEF\xBB\xBF", delims[] = ",;\t";
	const char *nl;
	size_t i = 0, k;

	if (len >= 3 && memcmp(buf, bom, 3) == 0)
		i = 3;
	else if (len < 3 && memcmp(buf, bom, len) == 0 && !eof)
		return -1;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	    buf[i] == '\n'))
		i++;
	if (i == len)
		return eof ? 0 : -1;
	if (buf[i] == '{' || buf[i] == '[')
		return 0;
	if ((nl = memchr(buf + i, '\n', len - i)) == NULL && !eof)
		return -1;
	k = nl != NULL ? (size_t)(nl - buf) : len;
	for (const char *d = delims; *d != '\0'; d++)
		if (names_a_column(r, buf + i, k - i, *d))
			return 1;
	return 0;
}
