/*
 * csvmap.c: spreadsheet rows as patch-only records (csvmap.h).  The header
 * row binds each column of columns.json to a field (csvmap_header.c);
 * every later row is converted cell by cell, walking the columns table
 * (dates: csvmap_date.c).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csvmap_int.h"
#include "datetime.h"
#include "decimal.h"
#include "pointer.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

void
rl_csvmap_trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

/* The column of columns.json a header name means, or -1. */
long
rl_csvmap_find_column(const struct rl_columns *cols, const char *s, size_t len)
{
	size_t i;

	rl_csvmap_trim(&s, &len);
	for (i = 0; i < cols->n; i++)
		if (rl_ascii_caseeq(cols->c[i].header, cols->c[i].hlen, s, len))
			return (long)i;
	return -1;
}

static int
known(void *ctx, const char *s, size_t len)
{
	const struct map *m = ctx;

	return rl_csvmap_find_any(m->r, s, len) >= 0;
}

/* A cell for a message: at most 40 bytes, cut at a character boundary. */
int
rl_csvmap_snip_len(const char *s, size_t len)
{
	size_t n = len;

	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return (int)n;
}

void
rl_csvmap_diag(rl_diag *d, const rl_rules *r, rl_code code, const char *source,
    const char *fmt, ...)
{
	va_list ap;

	memset(d, 0, sizeof(*d));
	d->code = code;
	d->severity = rl_rules_severity(r, code);
	d->source = source;
	d->op = -1;
	d->field = -1;
	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
}

/* ---- conversions -------------------------------------------------------- */

/*
 * A conversion problem of a cell, naming the cell's field: the batch puts
 * the column's letters and header in front of the message (which names
 * neither).
 */
rl_diag *
rl_csvmap_cell_diag(struct map *m, const struct rl_column *col,
    const rl_csv_field *f, rl_code code)
{
	rl_diag *d = &m->conv[m->nconv++];

	rl_csvmap_diag(d, m->r, code, NULL, "%s", "");
	d->line = f->line;
	d->column = f->column;
	d->field = m->bind[col - m->cols->c];
	if (m->cols->add != NULL) {
		/* the op's path, and the member the cell would have made */
		rl_diag_set_pointer(d, m->cols->add, m->cols->addlen);
		if (col->path != NULL && col->plen < sizeof(d->member)) {
			memcpy(d->member, col->path, col->plen);
			d->member[col->plen] = '\0';
		}
	} else if (col->path != NULL)
		rl_diag_set_pointer(d, col->path, col->plen);
	return d;
}

rl_value *
rl_csvmap_conv_number(struct map *m, const struct rl_column *col, const rl_csv_field *f,
    const char *s, size_t len)
{
	rl_diag *d;

	if (rl_decimal_valid(s, len))
		return rl_json_number(m->a, s, len);
	d = rl_csvmap_cell_diag(m, col, f, RL_VALUE_FORMAT);
	snprintf(d->message, sizeof(d->message),
	    "\"%.*s\" is not a number: write digits with an optional minus "
	    "sign and a decimal point, without thousands separators, spaces or "
	    "a currency sign (25000.50)", rl_csvmap_snip_len(s, len), s);
	return NULL;
}

/* The reason codes of a substatus (caseless), or NULL. */
static const rl_value *
reasons_of(const rl_rules *r, const char *sub, size_t len)
{
	const rl_value *rc = r->lc.reason_codes;
	size_t i;

	if (rc == NULL)
		return NULL;
	for (i = 0; i < rc->u.o.n; i++)
		if (rl_ascii_caseeq(rc->u.o.members[i].key, rc->u.o.members[i].klen, sub, len))
			return rc->u.o.members[i].value;
	return NULL;
}

static rl_value *
conv_reason(struct map *m, const struct rl_column *col, const rl_csv_field *f,
    const char *s, size_t len, const rl_csv_row *row)
{
	const rl_value *codes = NULL;
	const char *sub = "";
	size_t sublen = 0, i;
	long fi = col->substatus >= 0 ? m->bind[col->substatus] : -1;
	rl_diag *d;

	if (fi >= 0) {
		sub = row->f[fi].s;
		sublen = row->f[fi].len;
		rl_csvmap_trim(&sub, &sublen);
	}
	if (sublen > 0 && (codes = reasons_of(m->r, sub, sublen)) != NULL)
		for (i = 0; i < codes->u.o.n; i++) {
			const rl_member *c = &codes->u.o.members[i];
			const rl_value *t = c->value;

			if ((c->klen == len && memcmp(c->key, s, len) == 0) ||
			    rl_ascii_caseeq(t->u.s.ptr, t->u.s.len, s, len))
				return rl_json_string(m->a, t->u.s.ptr, t->u.s.len);
		}
	d = rl_csvmap_cell_diag(m, col, f, RL_VALUE_ENUM);
	if (sublen == 0)
		snprintf(d->message, sizeof(d->message),
		    "reason code \"%.*s\" needs a substatus in column \"%s\" of the same row",
		    rl_csvmap_snip_len(s, len), s,
		    m->cols->c[col->substatus].header);
	else if (codes == NULL)
		snprintf(d->message, sizeof(d->message),
		    "\"%.*s\" given, but substatus \"%.*s\" takes no reason code",
		    rl_csvmap_snip_len(s, len), s,
		    rl_csvmap_snip_len(sub, sublen), sub);
	else
		snprintf(d->message, sizeof(d->message),
		    "\"%.*s\" is not a reason code for %.*s (1 to %zu)",
		    rl_csvmap_snip_len(s, len), s,
		    rl_csvmap_snip_len(sub, sublen), sub,
		    codes->u.o.n);
	return NULL;
}

static rl_value *
conv_state(struct map *m, const struct rl_column *col, const rl_csv_field *f,
    const char *s, size_t len)
{
	const struct rl_state *st = NULL;
	rl_value *o, *a, *b;
	rl_diag *d;
	size_t i;

	for (i = 0; i < col->nstates && st == NULL; i++)
		if (rl_ascii_caseeq(col->states[i].text, col->states[i].len, s, len))
			st = &col->states[i].st;
	if (st != NULL) {
		if ((o = rl_json_object(m->a, 2)) == NULL ||
		    (a = rl_json_string(m->a, st->status, st->slen)) == NULL ||
		    (b = rl_json_string(m->a, st->substatus, st->sublen)) == NULL ||
		    rl_json_object_insert(m->a, o, 0, "status", 6, a) == -1 ||
		    rl_json_object_insert(m->a, o, 1, "substatus", 9, b) == -1)
			return NULL;
		return o;
	}
	d = rl_csvmap_cell_diag(m, col, f, RL_VALUE_ENUM);
	{
		size_t used;

		snprintf(d->message, sizeof(d->message), "\"%.*s\" is not one of ",
		    rl_csvmap_snip_len(s, len), s);
		for (i = 0; i < col->nstates; i++) {
			used = strlen(d->message);
			if (memchr(col->states[i].text, '/', col->states[i].len) != NULL)
				continue;
			snprintf(d->message + used, sizeof(d->message) - used, "%s%.*s",
			    i ? ", " : "", (int)col->states[i].len, col->states[i].text);
		}
		used = strlen(d->message);
		snprintf(d->message + used, sizeof(d->message) - used,
		    " (or Status/Substatus)");
	}
	return NULL;
}

/* ---- rows --------------------------------------------------------------- */

static int
add_member(struct map *m, rl_value *o, const char *key, rl_value *v)
{
	if (v == NULL || rl_json_object_insert(m->a, o, o->u.o.n, key,
	    strlen(key), v) == -1)
		return -1;
	return 0;
}

static int
add_op(struct map *m, rl_value *patch, const struct rl_column *col,
    rl_value *v)
{
	rl_value *op = rl_json_object(m->a, 3);

	if (op == NULL ||
	    add_member(m, op, "op", rl_json_string(m->a, "replace", 7)) == -1 ||
	    add_member(m, op, "path", rl_json_string(m->a, col->path, col->plen)) == -1 ||
	    add_member(m, op, "value", v) == -1 ||
	    rl_json_array_insert(m->a, patch, patch->u.a.n, op) == -1)
		return -1;
	return 0;
}

/* The trimmed cell of column i in the row ("" when the header lacks it). */
static const char *
cell(const struct map *m, const rl_csv_row *row, size_t i, size_t *len)
{
	const char *s = "";

	*len = 0;
	if (m->bind[i] >= 0) {
		s = row->f[m->bind[i]].s;
		*len = row->f[m->bind[i]].len;
		rl_csvmap_trim(&s, len);
	}
	return s;
}

/*
 * The column whose account type the row's matched account has: the
 * account columns whose cell names the matched account (ASCII letters
 * without regard to case, since people retype names in Excel), when they
 * agree on a type.  NULL when the matched cell is empty, names none of
 * them, or names accounts of two types: policy 5 then stays unverified
 * rather than guess.
 */
static const struct rl_column *
matched_account(const struct map *m, const rl_csv_row *row)
{
	const struct rl_columns *cols = m->cols;
	const struct rl_column *found = NULL;
	const char *ms = "", *s;
	size_t mlen = 0, len, i;

	for (i = 0; i < cols->n; i++)
		if (cols->c[i].use == RL_COL_MATCHED_ACCOUNT)
			ms = cell(m, row, i, &mlen);
	if (mlen == 0)
		return NULL;
	for (i = 0; i < cols->n; i++) {
		const struct rl_column *c = &cols->c[i];

		if (c->use != RL_COL_ACCOUNT)
			continue;
		s = cell(m, row, i, &len);
		if (len == 0 || !rl_ascii_caseeq(s, len, ms, mlen))
			continue;
		if (found != NULL && (found->alen != c->alen ||
		    memcmp(found->account_type, c->account_type, c->alen) != 0))
			return NULL;
		found = c;
	}
	return found;
}

/*
 * The record of a clean row.  -1 when memory runs out; *shape is set for
 * an empty id cell.  ops[k]: the field that made op k (one per column at
 * most), *nops of them.
 */
static rl_value *
build(struct map *m, const rl_csv_row *row, rl_diag *shape, int *bad_shape,
    unsigned *ops, size_t *nops)
{
	const struct rl_columns *cols = m->cols;
	const struct rl_column *acc;
	rl_value *rec, *patch, *id = NULL, *ms = NULL, *at = NULL, *v;
	size_t i, before;

	*bad_shape = 0;
	if ((rec = rl_json_object(m->a, 4)) == NULL ||
	    (patch = rl_json_array(m->a, cols->n)) == NULL)
		return NULL;
	for (i = 0; i < cols->n; i++) {
		const struct rl_column *col = &cols->c[i];
		const rl_csv_field *f;
		const char *s;
		size_t len;

		if (m->bind[i] < 0 || col->use == RL_COL_READ_ONLY ||
		    col->use == RL_COL_IGNORE)
			continue;
		f = &row->f[m->bind[i]];
		s = f->s;
		len = f->len;
		rl_csvmap_trim(&s, &len);
		if (len == 0) {
			if (col->use == RL_COL_ID) {
				rl_csvmap_diag(shape, m->r, RL_RECORD_SHAPE,
				    row->source, "the \"%s\" cell is empty", col->header);
				shape->severity = RL_SEV_ERROR;
				shape->line = f->line;
				shape->column = f->column;
				*bad_shape = 1;
			}
			continue;
		}
		switch (col->use) {
		case RL_COL_ID:
			if ((id = rl_json_string(m->a, s, len)) == NULL)
				return NULL;
			continue;
		case RL_COL_MICROSOFT:
			before = m->nconv;
			if ((ms = conv_state(m, col, f, s, len)) == NULL &&
			    m->nconv == before)
				return NULL;
			continue;
		case RL_COL_MATCHED_ACCOUNT:
		case RL_COL_ACCOUNT:
			continue;   /* compared below, as a whole */
		default:
			break;
		}
		before = m->nconv;
		switch (col->conv) {
		case RL_CONV_NUMBER:
			v = rl_csvmap_conv_number(m, col, f, s, len);
			break;
		case RL_CONV_DATE:
			v = rl_csvmap_conv_date(m, col, f, s, len, row->row);
			break;
		case RL_CONV_REASON:
			v = conv_reason(m, col, f, s, len, row);
			break;
		default:
			v = rl_json_string(m->a, f->s, f->len);
			break;
		}
		if (v == NULL) {
			if (m->nconv > before)
				continue;       /* reported: no op */
			return NULL;
		}
		if (add_op(m, patch, col, v) == -1)
			return NULL;
		ops[(*nops)++] = (unsigned)m->bind[i];
	}
	if ((acc = matched_account(m, row)) != NULL &&
	    (at = rl_json_string(m->a, acc->account_type, acc->alen)) == NULL)
		return NULL;
	if ((id != NULL && add_member(m, rec, "id", id) == -1) ||
	    add_member(m, rec, "patch", patch) == -1 ||
	    (ms != NULL && add_member(m, rec, "microsoftReferral", ms) == -1) ||
	    (at != NULL && add_member(m, rec, "matchedAccountType", at) == -1))
		return NULL;
	return rec;
}

/* Hands a record over, then the arena for the next one. */
static int
deliver(struct map *m, rl_csv_record *r, const rl_csv_row *row)
{
	int rc;

	r->rec.source = row->source;
	r->rec.index = row->index;
	r->rec.line = row->line;
	r->rec.column = 1;
	r->rec.offset = row->offset;
	r->rec.length = row->rawlen;
	r->row = row->row;
	r->raw = row->raw;
	r->rawlen = row->rawlen;
	r->conv = m->nconv > 0 ? m->conv : NULL;
	r->nconv = m->nconv;
	rc = m->cb->record(m->ctx, r);
	if (m->cb->next_arena != NULL) {
		int same = 0;
		rl_arena *na = m->cb->next_arena(m->ctx, &same);

		if (na == NULL) {
			m->nomem = 1;
			return 1;
		}
		m->a = na;
	} else
		rl_arena_reset(m->a);
	return rc;
}

/* The last line of a row (its quoted line ends included). */
static unsigned long
last_line(const rl_csv_row *row)
{
	unsigned long n = row->line;
	const char *p = row->raw, *end = row->raw + row->rawlen;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * The row that holds the first byte not of the encoding: rejected with
 * csv-encoding, naming its cell; the decoder drops what follows
 * (decode.h), and a rest of the row after its line is not read as a row.
 */
static int
bad_encoding(struct map *m, const rl_csv_row *row, const rl_diag *de)
{
	rl_csv_record r;
	size_t i, cell = 0;
	char l[RL_CSV_COLUMN_NAME_MAX], where[120] = "";

	for (i = 0; i < row->n; i++)
		if (row->f[i].line < de->line || (row->f[i].line == de->line &&
		    row->f[i].column <= de->column))
			cell = i + 1;
	if (cell > 0)
		(void)rl_csv_column_name(cell - 1, l);
	if (cell > 0 && !row->header)
		snprintf(where, sizeof(where), "cell %s%lu (column \"%.60s\"), ",
		    l, row->row, rl_csvmap_name_of(m, cell - 1));
	else if (cell > 0)
		snprintf(where, sizeof(where), "cell %s%lu, ", l, row->row);
	m->encd = *de;
	m->encd.source = row->source;
	m->encd.severity = rl_rules_severity(m->r, RL_CSV_ENCODING);
	snprintf(m->encd.message, sizeof(m->encd.message),
	    "%scharacter %lu: %.200s", where, de->column, de->message);
	m->enc_stop = 1;
	if (row->header) {
		m->err = m->encd;
		m->err.severity = RL_SEV_ERROR;
		m->fatal = 1;
		return 1;
	}
	memset(&r, 0, sizeof(r));
	m->nconv = 0;
	r.rec.diag = &m->encd;
	return deliver(m, &r, row);
}

static int
row_cb(void *ctx, const rl_csv_row *row)
{
	struct map *m = ctx;
	rl_csv_record r;
	rl_diag shape;
	int bad_shape = 0;
	size_t i;
	const rl_diag *de = m->dec != NULL ? rl_decoder_error(m->dec) : NULL;

	if (de != NULL && m->enc_stop)
		return 0;
	if (de != NULL && (row->line > de->line || last_line(row) >= de->line))
		return bad_encoding(m, row, de);
	if (row->header)
		return rl_csvmap_header(m, row);
	memset(&r, 0, sizeof(r));
	m->nconv = 0;
	if (row->diag == NULL) {
		rl_csvmap_unknown_diags(m, row);
		/* in the record's arena, so that it lives as long as the value */
		r.profile = m->cols;
		if ((r.op_column = rl_arena_alloc(m->a, (m->cols->n + 1) *
		    sizeof(*r.op_column))) == NULL) {
			m->nomem = 1;
			return 1;
		}
		if (m->cols->add != NULL) {
			rl_csv_member *mem = rl_arena_alloc(m->a,
			    (m->cols->n + 1) * sizeof(*mem));

			if (mem == NULL || (r.rec.value = rl_csvmap_build_add(m,
			    row, &shape, &bad_shape, r.op_column, &r.nops, mem,
			    &r.nmembers)) == NULL) {
				m->nomem = 1;
				return 1;
			}
			r.members = mem;
		} else if ((r.rec.value = build(m, row, &shape, &bad_shape,
		    r.op_column, &r.nops)) == NULL) {
			m->nomem = 1;
			return 1;
		}
		for (i = 0; i < m->nconv; i++)
			m->conv[i].source = row->source;
	}
	r.rec.diag = row->diag != NULL ? row->diag : bad_shape ? &shape : NULL;
	return deliver(m, &r, row);
}

static int
setup(struct map *m, const rl_rules *r, const rl_csv_opts *o, rl_csv_opts *mo,
    rl_arena *a, const rl_csv_callbacks *cb, void *ctx, rl_diag *err)
{
	size_t n = rl_csvmap_max_columns(r) + 1;

	memset(m, 0, sizeof(*m));
	m->r = r;
	m->cols = &r->cols;
	m->a = a;
	m->cb = cb;
	m->ctx = ctx;
	if (o != NULL)
		*mo = *o;
	else
		memset(mo, 0, sizeof(*mo));
	mo->known = known;
	mo->known_ctx = m;
	m->mo = mo;
	m->order = mo->date_order == 'd' ? 'd' : 'm';
	m->warn_dates = mo->date_order == 0;
	if ((m->bind = rl_malloc(n * sizeof(*m->bind))) == NULL ||
	    (m->conv = rl_malloc(n * sizeof(*m->conv))) == NULL ||
	    (m->dates = rl_malloc(n * sizeof(*m->dates))) == NULL) {
		rl_free(m->bind);
		rl_free(m->conv);
		rl_diag_set(err, RL_NOMEM, "out of memory");
		return -1;
	}
	memset(m->dates, 0, n * sizeof(*m->dates));
	return 0;
}

static int
teardown(struct map *m, int rc, const char *name, rl_diag *err)
{
	rl_free(m->bind);
	rl_free(m->conv);
	rl_free(m->dates);
	rl_free(m->name_off);
	rl_free(m->unk);
	rl_buf_free(&m->names);
	rl_buf_free(&m->notetext);
	if (rc == RL_READ_TRUNCATED && !m->fatal)
		return rc;
	if (m->nomem) {
		rl_diag_set(err, RL_NOMEM, "out of memory reading CSV");
		if (err != NULL)
			err->source = name;
		return RL_READ_TRUNCATED;
	}
	if (m->fatal) {
		if (err != NULL)
			*err = m->err;
		return RL_READ_TRUNCATED;
	}
	return rc;
}

/* Incremental reading (csvmap.h) ------------------------------------------ */

struct rl_csv_reader {
	struct map m;
	rl_csv_opts mo;
	rl_csv_parser *p;
	const char *name;
	rl_diag *err;
};

rl_csv_reader *
rl_csv_reader_new(const char *name, const rl_rules *r, const rl_csv_opts *o,
    rl_arena *a, const rl_csv_callbacks *cb, void *ctx, rl_diag *err)
{
	rl_csv_reader *cr;

	if ((cr = rl_malloc(sizeof(*cr))) == NULL) {
		rl_diag_set(err, RL_NOMEM, "out of memory");
		return NULL;
	}
	if (setup(&cr->m, r, o, &cr->mo, a, cb, ctx, err) == -1) {
		rl_free(cr);
		return NULL;
	}
	cr->name = name;
	cr->err = err;
	if ((cr->p = rl_csv_parser_new(name, &cr->mo, row_cb, &cr->m,
	    err)) == NULL) {
		(void)teardown(&cr->m, RL_READ_TRUNCATED, name, err);
		rl_free(cr);
		return NULL;
	}
	return cr;
}

void
rl_csv_reader_start_at(rl_csv_reader *cr, uint64_t offset,
    unsigned long line, unsigned long row, unsigned long index)
{
	rl_csv_parser_start_at(cr->p, offset, line, row, index);
}

int
rl_csv_reader_follow(rl_csv_reader *cr, const rl_csv_reader *h)
{
	if (!h->m.header_seen || h->m.fatal ||
	    rl_csv_parser_follow(cr->p, h->p) == -1)
		return -1;
	if (rl_csvmap_copy_header(&cr->m, &h->m) == -1) {
		cr->m.nomem = 1;
		return -1;
	}
	cr->m.header_seen = 1;
	return 0;
}

void
rl_csv_reader_set_input(rl_csv_reader *cr, const struct rl_decoder *dec,
    rl_csv_reread_fn reread, void *ctx)
{
	cr->m.dec = dec;
	cr->m.reread = reread;
	cr->m.reread_ctx = ctx;
}

int
rl_csv_reader_feed(rl_csv_reader *cr, const char *s, size_t n,
    size_t *taken)
{
	return rl_csv_parser_feed(cr->p, s, n, taken);
}

int
rl_csv_reader_end(rl_csv_reader *cr)
{
	return rl_csv_parser_end(cr->p);
}

int
rl_csv_reader_position(const rl_csv_reader *cr, uint64_t *offset,
    unsigned long *line, unsigned long *rows, unsigned long *index)
{
	if (!cr->m.header_seen || cr->m.fatal || cr->m.nomem)
		return -1;
	return rl_csv_parser_position(cr->p, offset, line, rows, index);
}

void
rl_csv_reader_set_arena(rl_csv_reader *cr, rl_arena *a)
{
	cr->m.a = a;
}

int
rl_csv_reader_free(rl_csv_reader *cr)
{
	int rc;

	if (cr == NULL)
		return RL_READ_OK;
	rc = rl_csv_parser_free(cr->p, cr->err);
	rc = teardown(&cr->m, rc, cr->name, cr->err);
	rl_free(cr);
	return rc;
}

int
rl_csv_read_mem(const char *buf, size_t len, const char *name,
    const rl_rules *r, const rl_csv_opts *o, rl_arena *a,
    const rl_csv_callbacks *cb, void *ctx, rl_diag *err)
{
	struct map m;
	rl_csv_opts mo;
	int rc;

	if (setup(&m, r, o, &mo, a, cb, ctx, err) == -1)
		return RL_READ_TRUNCATED;
	rc = rl_csv_parse_mem(buf, len, name, &mo, row_cb, &m, err);
	return teardown(&m, rc, name, err);
}

int
rl_csv_read_fd(int fd, const char *name, const rl_rules *r,
    const rl_csv_opts *o, rl_arena *a, const rl_csv_callbacks *cb, void *ctx,
    rl_diag *err)
{
	struct map m;
	rl_csv_opts mo;
	int rc;

	if (setup(&m, r, o, &mo, a, cb, ctx, err) == -1)
		return RL_READ_TRUNCATED;
	rc = rl_csv_parse_fd(fd, name, &mo, row_cb, &m, err);
	return teardown(&m, rc, name, err);
}

/* ---- unchanged cells ---------------------------------------------------- */

static int
same(enum rl_col_conv conv, const rl_value *cur, const rl_value *v)
{
	rl_instant a, b;

	if (conv == RL_CONV_NUMBER && v->type == RL_NUMBER &&
	    (cur->type == RL_NUMBER || (cur->type == RL_STRING &&
	    rl_decimal_valid(cur->u.s.ptr, cur->u.s.len))))
		return rl_decimal_cmp(cur->u.s.ptr, cur->u.s.len, v->u.s.ptr,
		    v->u.s.len) == 0;
	if (conv == RL_CONV_DATE && v->type == RL_STRING &&
	    cur->type == RL_STRING &&
	    rl_datetime_parse(cur->u.s.ptr, cur->u.s.len, &a) == 0 &&
	    rl_datetime_parse(v->u.s.ptr, v->u.s.len, &b) == 0)
		return rl_instant_cmp(a, b) == 0;
	return rl_json_equal(cur, v);
}

int
rl_csv_unchanged(const rl_rules *r, const rl_value *referral,
    rl_value *record, unsigned *op_column, rl_diag *note)
{
	rl_value *patch = rl_json_get(record, "patch");
	size_t i, k, n0;

	if (patch == NULL || patch->type != RL_ARRAY)
		return -1;
	n0 = patch->u.a.n;
	for (i = patch->u.a.n; referral != NULL && i-- > 0;) {
		const rl_value *op = patch->u.a.items[i];
		const rl_value *path = rl_json_get(op, "path");
		const rl_value *v = rl_json_get(op, "value"), *cur;

		if (path == NULL || path->type != RL_STRING || v == NULL ||
		    !rl_json_is_string(rl_json_get(op, "op"), "replace"))
			continue;
		for (k = 0; k < r->cols.n; k++) {
			const struct rl_column *c = &r->cols.c[k];

			if (c->use != RL_COL_REPLACE || c->plen != path->u.s.len ||
			    memcmp(c->path, path->u.s.ptr, c->plen) != 0)
				continue;
			if ((cur = rl_pointer_get(referral, &c->p)) != NULL &&
			    same(c->conv, cur, v) &&
			    rl_json_array_remove(patch, i) != NULL && op_column != NULL)
				memmove(op_column + i, op_column + i + 1,
				    (patch->u.a.n - i) * sizeof(*op_column));
			break;
		}
	}
	if (patch->u.a.n > 0)
		return 0;
	if (note != NULL) {
		rl_csvmap_diag(note, r, RL_CSV_UNCHANGED, NULL, "%s", n0 > 0 ?
		    "the row changes nothing: every filled cell equals the referral's current value" :
		    "the row changes nothing: no mapped cell is filled");
	}
	return 1;
}

/* ---- column names ------------------------------------------------------- */

size_t
rl_csv_column_name(unsigned long index, char *out)
{
	char tmp[RL_CSV_COLUMN_NAME_MAX];
	size_t n = 0, i;

	/* bijective base 26: A..Z, then AA..ZZ, AAA.. */
	do {
		tmp[n++] = (char)('A' + index % 26);
		index /= 26;
	} while (index-- > 0 && n < sizeof(tmp) - 1);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

/* ---- results ------------------------------------------------------------ */

int
rl_csv_add_diags(const rl_rules *r, rl_arena *a, const rl_check_opts *opts,
    rl_result *res, const rl_diag *d, size_t n)
{
	return rl_result_prepend(res, a, rl_result_max(opts != NULL ?
	    opts->max_errors : 0), r, d, n);
}
