/*
 * csvmap_reg.c: the column profiles of columns.json beyond the default
 * (csvmap.h): which one a header chooses, and the rows of a profile with
 * "add", each one op whose value is built member by member from the
 * cells (the deal-registration sheet: one `add /registrations/-` per row).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "csvmap_int.h"
#include "pointer.h"

/* Is one of the header's fields the name h (trimmed, caseless)? */
static int
has_header(const rl_csv_row *row, const char *h, size_t hlen)
{
	size_t i, len;
	const char *s;

	for (i = 0; i < row->n; i++) {
		s = row->f[i].s;
		len = row->f[i].len;
		rl_csvmap_trim(&s, &len);
		if (rl_ascii_caseeq(s, len, h, hlen))
			return 1;
	}
	return 0;
}

const struct rl_columns *
rl_csvmap_profile(const rl_rules *r, const rl_csv_row *header)
{
	size_t i, k;

	for (i = 0; i < r->nprofiles; i++) {
		const struct rl_columns *p = &r->profiles[i];

		for (k = 0; k < p->nrequires; k++)
			if (!has_header(header, p->requires[k].s,
			    p->requires[k].len))
				break;
		if (p->nrequires > 0 && k == p->nrequires)
			return p;
	}
	return &r->cols;
}

size_t
rl_csvmap_max_columns(const rl_rules *r)
{
	size_t n = r->cols.n, i;

	for (i = 0; i < r->nprofiles; i++)
		if (r->profiles[i].n > n)
			n = r->profiles[i].n;
	return n;
}

long
rl_csvmap_find_any(const rl_rules *r, const char *s, size_t len)
{
	long c;
	size_t i;

	if ((c = rl_csvmap_find_column(&r->cols, s, len)) >= 0)
		return c;
	for (i = 0; i < r->nprofiles; i++)
		if ((c = rl_csvmap_find_column(&r->profiles[i], s, len)) >= 0)
			return c;
	return -1;
}

/* Yes or No, in any case (reflint(1), Spreadsheets). */
static rl_value *
conv_yesno(struct map *m, const struct rl_column *col, const rl_csv_field *f,
    const char *s, size_t len)
{
	rl_diag *d;

	if (rl_ascii_caseeq(s, len, "yes", 3))
		return rl_json_bool(m->a, 1);
	if (rl_ascii_caseeq(s, len, "no", 2))
		return rl_json_bool(m->a, 0);
	d = rl_csvmap_cell_diag(m, col, f, RL_VALUE_ENUM);
	snprintf(d->message, sizeof(d->message),
	    "%s: \"%.*s\" is not Yes or No: write Yes or No (in any case)",
	    col->header, rl_csvmap_snip_len(s, len), s);
	return NULL;
}

int
rl_csvmap_yesno(const char *s, size_t len)
{
	rl_csvmap_trim(&s, &len);
	if (rl_ascii_caseeq(s, len, "yes", 3))
		return 1;
	if (rl_ascii_caseeq(s, len, "no", 2))
		return 0;
	return -1;
}

/* Is the token an array index (so that the container it names is an array)? */
static int
is_index(const rl_token *t)
{
	size_t k;

	return rl_pointer_index(t, &k) == RL_INDEX_OK;
}

/*
 * A place that cannot be made (a member twice, an index beyond the end)
 * is the rules' mistake, which the loader does not see: the cell is left
 * out.
 */
int
rl_csv_put_member(rl_arena *a, rl_value *root, const rl_pointer *p, rl_value *v)
{
	rl_value *cur = root, *next;
	size_t i, k;
	long j;

	for (i = 0; i < p->n; i++) {
		const rl_token *t = &p->tok[i];
		int last = i + 1 == p->n;

		next = NULL;
		if (cur->type == RL_OBJECT) {
			if ((j = rl_json_object_find(cur, t->s, t->len)) >= 0)
				next = cur->u.o.members[j].value;
		} else if (cur->type == RL_ARRAY) {
			if (rl_pointer_index(t, &k) != RL_INDEX_OK || k > cur->u.a.n)
				return 1;
			if (k < cur->u.a.n)
				next = cur->u.a.items[k];
		} else
			return 1;
		if (next != NULL) {
			if (last)
				return 1;
			cur = next;
			continue;
		}
		if (last)
			next = v;
		else if ((next = is_index(&p->tok[i + 1]) ? rl_json_array(a, 1) :
		    rl_json_object(a, 4)) == NULL)
			return -1;
		if (cur->type == RL_OBJECT) {
			if (rl_json_object_insert(a, cur, cur->u.o.n, t->s, t->len,
			    next) == -1)
				return -1;
		} else if (rl_json_array_insert(a, cur, cur->u.a.n, next) == -1)
			return -1;
		cur = next;
	}
	return 0;
}

static int
add_member(struct map *m, rl_value *o, const char *key, rl_value *v)
{
	if (v == NULL || rl_json_object_insert(m->a, o, o->u.o.n, key,
	    strlen(key), v) == -1)
		return -1;
	return 0;
}

rl_value *
rl_csvmap_build_add(struct map *m, const rl_csv_row *row, rl_diag *shape,
    int *bad_shape, unsigned *ops, size_t *nops, rl_csv_member *mem,
    size_t *nmem)
{
	const struct rl_columns *cols = m->cols;
	rl_value *rec, *patch, *op, *reg, *id = NULL, *v;
	unsigned id_field = 0;
	size_t i, before;

	*bad_shape = 0;
	if ((rec = rl_json_object(m->a, 2)) == NULL ||
	    (patch = rl_json_array(m->a, 1)) == NULL ||
	    (op = rl_json_object(m->a, 3)) == NULL ||
	    (reg = rl_json_object(m->a, 4)) == NULL)
		return NULL;
	for (i = 0; i < cols->n; i++) {
		const struct rl_column *col = &cols->c[i];
		const rl_csv_field *f = NULL;
		const char *s = "";
		size_t len = 0;

		if (col->use == RL_COL_MEMBER || col->use == RL_COL_SOLUTION) {
			mem[*nmem].pointer = col->path;
			mem[*nmem].plen = col->plen;
			mem[*nmem].header = col->header;
			mem[*nmem].field = m->bind[i];
			(*nmem)++;
		}
		if (col->use == RL_COL_READ_ONLY || col->use == RL_COL_IGNORE)
			continue;
		if (m->bind[i] >= 0) {
			f = &row->f[m->bind[i]];
			s = f->s;
			len = f->len;
			rl_csvmap_trim(&s, &len);
		}
		if (col->use == RL_COL_ID) {
			if (f == NULL)
				continue;
			if (len == 0) {
				rl_csvmap_diag(shape, m->r, RL_RECORD_SHAPE,
				    row->source, "the \"%s\" cell is empty", col->header);
				shape->severity = RL_SEV_ERROR;
				shape->line = f->line;
				shape->column = f->column;
				*bad_shape = 1;
			} else if ((id = rl_json_string(m->a, s, len)) == NULL)
				return NULL;
			id_field = (unsigned)m->bind[i];
			continue;
		}
		if (len == 0) {
			/* an empty cell gives no member, unless the rules give one */
			if (col->dflt == NULL)
				continue;
			v = rl_json_string(m->a, col->dflt, col->dlen);
		} else {
			before = m->nconv;
			switch (col->conv) {
			case RL_CONV_NUMBER:
				v = rl_csvmap_conv_number(m, col, f, s, len);
				break;
			case RL_CONV_DATE:
				v = rl_csvmap_conv_date(m, col, f, s, len, row->row);
				break;
			case RL_CONV_YESNO:
				v = conv_yesno(m, col, f, s, len);
				break;
			default:
				v = rl_json_string(m->a, s, len);
				break;
			}
			if (v == NULL && m->nconv > before)
				continue;       /* reported: no member */
		}
		/* 1: a place the rules cannot make, the cell left out */
		if (v == NULL || rl_csv_put_member(m->a, reg, &col->p, v) == -1)
			return NULL;
	}
	if (add_member(m, op, "op", rl_json_string(m->a, "add", 3)) == -1 ||
	    add_member(m, op, "path", rl_json_string(m->a, cols->add,
	    cols->addlen)) == -1 ||
	    add_member(m, op, "value", reg) == -1 ||
	    rl_json_array_insert(m->a, patch, 0, op) == -1)
		return NULL;
	ops[(*nops)++] = id_field;
	if ((id != NULL && add_member(m, rec, "id", id) == -1) ||
	    add_member(m, rec, "patch", patch) == -1)
		return NULL;
	return rec;
}

int
rl_csv_diag_column(const rl_csv_record *r, const rl_diag *d, long *field,
    const char **header)
{
	size_t i, k, n = strlen(d->member);

	if (r->members == NULL || n == 0)
		return 0;
	/*
	 * the member itself, else the first column inside it that the sheet
	 * has, else the first inside it
	 */
	for (i = 0; i < r->nmembers; i++)
		if (r->members[i].plen == n &&
		    memcmp(r->members[i].pointer, d->member, n) == 0)
			break;
	for (k = 0; i == r->nmembers && k < 2; k++)
		for (i = 0; i < r->nmembers; i++)
			if (r->members[i].plen > n &&
			    memcmp(r->members[i].pointer, d->member, n) == 0 &&
			    r->members[i].pointer[n] == '/' &&
			    (k == 1 || r->members[i].field >= 0))
				break;
	if (i == r->nmembers)
		return 0;
	*field = r->members[i].field;
	*header = r->members[i].header;
	return 1;
}
