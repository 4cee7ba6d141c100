/*
 * rules_columns.c: the loader of columns.json: how each spreadsheet
 * column becomes part of a record.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rules_load.h"

/* ---- columns.json ---------------------------------------------------- */


static const char *const col_uses[] = {
	"replace", "id", "microsoftReferral", "readOnly", "matchedAccount",
	"account", NULL
};
static const char *const col_convs[] = {
	"text", "number", "date", "reasonCode", NULL
};

/* Index of s in names (NULL-terminated), or -1 (reported). */
static int
word(struct rl_ld *l, const rl_value *s, const char *const *names,
    const char *where, const char *what)
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s->u.s.ptr) == 0)
			return i;
	rl_ld_err(l, s, "%s: unknown %s \"%s\"", where, what, s->u.s.ptr);
	return -1;
}

/* 1 when some path of paths.json allows "replace" on p. */
static int
replaceable(const rl_rules *r, const rl_pointer *p)
{
	size_t i;

	for (i = 0; i < r->npaths; i++)
		if ((r->paths[i].ops & (1u << RL_OP_REPLACE)) &&
		    rl_tmpl_match(&r->paths[i].t, p))
			return 1;
	return 0;
}

static void
col_states(struct rl_ld *l, const rl_value *st, const char *where,
    struct rl_column *c)
{
	size_t i;

	if ((c->states = rl_ld_alloc(l, st->u.o.n * sizeof(*c->states))) == NULL)
		return;
	for (i = 0; i < st->u.o.n; i++) {
		const rl_member *m = &st->u.o.members[i];
		struct rl_col_state *cs = &c->states[c->nstates];

		if (rl_ld_parse_state(l, m->value, where, 1, &cs->st) == -1)
			continue;
		cs->text = m->key;
		cs->len = m->klen;
		c->nstates++;
	}
	if (st->u.o.n == 0)
		rl_ld_err(l, st, "%s: \"states\" must not be empty", where);
}

static void
load_column(struct rl_ld *l, const rl_member *m, struct rl_column *c)
{
	static const char *const keys[] = {
		"use", "pointer", "convert", "substatusColumn", "states",
		"accountType", "description", NULL
	};
	const rl_value *spec = m->value, *v;
	char where[200];
	int k;

	snprintf(where, sizeof(where), "columns.%s", m->key);
	c->header = m->key;
	c->hlen = m->klen;
	c->substatus = -1;
	if (m->klen == 0 || m->key[0] == ' ' || m->key[0] == '\t' ||
	    m->key[m->klen - 1] == ' ' || m->key[m->klen - 1] == '\t')
		rl_ld_err(l, spec, "%s: a header name must not be empty or begin or end with a space",
		    where);
	if (!rl_ld_is_kind(spec, K_OBJ)) {
		rl_ld_err(l, spec, "%s must be an object, not %s", where, rl_json_type_name(spec));
		return;
	}
	rl_ld_only_members(l, spec, where, keys);
	(void)rl_ld_get(l, spec, "description", K_STR, 0, where);
	if ((v = rl_ld_get(l, spec, "use", K_STR, 0, where)) != NULL &&
	    (k = word(l, v, col_uses, where, "use")) >= 0)
		c->use = (enum rl_col_use)k;
	if ((v = rl_ld_get(l, spec, "convert", K_STR, 0, where)) != NULL) {
		if (c->use != RL_COL_REPLACE)
			rl_ld_err(l, v, "%s: \"convert\" needs use \"replace\"", where);
		else if ((k = word(l, v, col_convs, where, "conversion")) >= 0)
			c->conv = (enum rl_col_conv)k;
	}
	if ((v = rl_ld_get(l, spec, "pointer", K_STR, c->use == RL_COL_REPLACE,
	    where)) != NULL) {
		if (c->use != RL_COL_REPLACE)
			rl_ld_err(l, v, "%s: \"pointer\" needs use \"replace\"", where);
		else if (rl_ld_parse_pointer(l, v, where, &c->p) == 0) {
			c->path = v->u.s.ptr;
			c->plen = v->u.s.len;
			if (!replaceable(l->r, &c->p))
				rl_ld_err(l, v, "%s: \"%s\" is not a path that paths.json lets \"replace\"",
				    where, v->u.s.ptr);
		}
	}
	if ((v = rl_ld_get(l, spec, "substatusColumn", K_STR,
	    c->conv == RL_CONV_REASON, where)) != NULL &&
	    c->conv != RL_CONV_REASON)
		rl_ld_err(l, v, "%s: \"substatusColumn\" needs convert \"reasonCode\"",
		    where);
	if (c->conv == RL_CONV_REASON && l->r->lc.reason_codes == NULL)
		rl_ld_err(l, spec, "%s: convert \"reasonCode\" needs \"reasonCodes\" in lifecycle.json",
		    where);
	if ((v = rl_ld_get(l, spec, "states", K_OBJ, c->use == RL_COL_MICROSOFT,
	    where)) != NULL) {
		if (c->use != RL_COL_MICROSOFT)
			rl_ld_err(l, v, "%s: \"states\" needs use \"microsoftReferral\"", where);
		else {
			c->conv = RL_CONV_STATE;
			col_states(l, v, where, c);
		}
	}
	if ((v = rl_ld_get(l, spec, "accountType", K_STR, c->use == RL_COL_ACCOUNT,
	    where)) != NULL) {
		if (c->use != RL_COL_ACCOUNT)
			rl_ld_err(l, v, "%s: \"accountType\" needs use \"account\"", where);
		else if (l->r->dr.account_types != NULL &&
		    !rl_rules_account_type(l->r, v->u.s.ptr, v->u.s.len))
			rl_ld_err(l, v, "%s: \"accountType\": \"%s\" is not one of the "
			    "\"accountTypes\" of dealregistration.json", where,
			    v->u.s.ptr);
		else {
			c->account_type = v->u.s.ptr;
			c->alen = v->u.s.len;
		}
	}
}

void
rl_ld_columns(struct rl_ld *l, const rl_value *doc)
{
	static const char *const top[] = { "columns", NULL };
	struct rl_columns *cols = &l->r->cols;
	const rl_value *v;
	int ids = 0, ms = 0, matched = 0, accounts = 0;
	size_t i, k;

	rl_ld_only_members(l, doc, "columns.json", top);
	if ((v = rl_ld_get(l, doc, "columns", K_OBJ, 1, "columns.json")) == NULL ||
	    (cols->c = rl_ld_alloc(l, v->u.o.n * sizeof(*cols->c))) == NULL)
		return;
	for (i = 0; i < v->u.o.n; i++) {
		const rl_member *m = &v->u.o.members[i];

		load_column(l, m, &cols->c[i]);
		for (k = 0; k < i; k++)
			if (rl_ascii_caseeq(cols->c[k].header, cols->c[k].hlen,
			    m->key, m->klen))
				rl_ld_err(l, m->value, "columns.%s: the same header as \"%s\" (headers are matched without regard to case)",
				    m->key, cols->c[k].header);
		ids += cols->c[i].use == RL_COL_ID;
		ms += cols->c[i].use == RL_COL_MICROSOFT;
		matched += cols->c[i].use == RL_COL_MATCHED_ACCOUNT;
		accounts += cols->c[i].use == RL_COL_ACCOUNT;
	}
	cols->n = v->u.o.n;
	if (ids != 1)
		rl_ld_err(l, v, "columns.json: exactly one column must have use \"id\" (%d do)",
		    ids);
	if (ms > 1)
		rl_ld_err(l, v, "columns.json: at most one column may have use \"microsoftReferral\"");
	/* the matched account is only compared with the account columns */
	if (matched > 1)
		rl_ld_err(l, v, "columns.json: at most one column may have use \"matchedAccount\"");
	if ((matched > 0) != (accounts > 0))
		rl_ld_err(l, v, "columns.json: a column with use \"matchedAccount\" and "
		    "columns with use \"account\" go together (%d and %d here)",
		    matched, accounts);
	/* the substatus column of a reason code column */
	for (i = 0; i < cols->n; i++) {
		const rl_value *sc = rl_json_get(v->u.o.members[i].value,
		    "substatusColumn");

		if (cols->c[i].conv != RL_CONV_REASON || sc == NULL ||
		    sc->type != RL_STRING)
			continue;
		for (k = 0; k < cols->n; k++)
			if (k != i && cols->c[k].use == RL_COL_REPLACE &&
			    strcmp(cols->c[k].header, sc->u.s.ptr) == 0)
				cols->c[i].substatus = (long)k;
		if (cols->c[i].substatus < 0)
			rl_ld_err(l, sc, "columns.%s: \"substatusColumn\": \"%s\" is not another column with use \"replace\"",
			    cols->c[i].header, sc->u.s.ptr);
	}
}

