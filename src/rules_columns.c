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
	"account", "member", "solution", "ignore", NULL
};
static const char *const col_convs[] = {
	"text", "number", "date", "reasonCode", "yesNo", NULL
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

/* 1 when some path of paths.json allows op on p. */
static int
allowed(const rl_rules *r, const rl_pointer *p, int op)
{
	size_t i;

	for (i = 0; i < r->npaths; i++)
		if ((r->paths[i].ops & (1u << op)) &&
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

/* The uses a profile with "add" allows (its values are built member by member). */
static int
add_use(enum rl_col_use u)
{
	return u == RL_COL_ID || u == RL_COL_MEMBER || u == RL_COL_SOLUTION ||
	    u == RL_COL_READ_ONLY || u == RL_COL_IGNORE;
}

static int
has_pointer(enum rl_col_use u)
{
	return u == RL_COL_REPLACE || u == RL_COL_MEMBER || u == RL_COL_SOLUTION;
}

static void
load_column(struct rl_ld *l, const rl_member *m, const struct rl_columns *prof,
    const char *in, struct rl_column *c)
{
	static const char *const keys[] = {
		"use", "pointer", "convert", "substatusColumn", "states",
		"accountType", "default", "description", NULL
	};
	const rl_value *spec = m->value, *v;
	char where[300];
	int k;

	snprintf(where, sizeof(where), "%s.%s", in, m->key);
	c->header = m->key;
	c->hlen = m->klen;
	c->substatus = -1;
	c->use = prof->add != NULL ? RL_COL_MEMBER : RL_COL_REPLACE;
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
	    (k = word(l, v, col_uses, where, "use")) >= 0) {
		c->use = (enum rl_col_use)k;
		if ((prof->add != NULL) != add_use(c->use) &&
		    c->use != RL_COL_READ_ONLY && c->use != RL_COL_IGNORE &&
		    c->use != RL_COL_ID)
			rl_ld_err(l, v, "%s: use \"%s\" %s", where, v->u.s.ptr,
			    prof->add != NULL ? "is not for a profile with \"add\"" :
			    "needs a profile with \"add\"");
	}
	if ((v = rl_ld_get(l, spec, "convert", K_STR, 0, where)) != NULL) {
		if (!has_pointer(c->use))
			rl_ld_err(l, v, "%s: \"convert\" needs use \"replace\" or \"member\"", where);
		else if ((k = word(l, v, col_convs, where, "conversion")) >= 0)
			c->conv = (enum rl_col_conv)k;
	}
	if (c->conv == RL_CONV_YESNO && c->use == RL_COL_REPLACE)
		rl_ld_err(l, spec, "%s: convert \"yesNo\" needs use \"member\"", where);
	if ((v = rl_ld_get(l, spec, "default", K_STR, 0, where)) != NULL) {
		if (c->use != RL_COL_MEMBER || c->conv != RL_CONV_TEXT)
			rl_ld_err(l, v, "%s: \"default\" needs use \"member\" and convert \"text\"", where);
		c->dflt = v->u.s.ptr;
		c->dlen = v->u.s.len;
	}
	if ((v = rl_ld_get(l, spec, "pointer", K_STR, has_pointer(c->use),
	    where)) != NULL) {
		if (!has_pointer(c->use))
			rl_ld_err(l, v, "%s: \"pointer\" needs use \"replace\", \"member\" or \"solution\"", where);
		else if (rl_ld_parse_pointer(l, v, where, &c->p) == 0) {
			c->path = v->u.s.ptr;
			c->plen = v->u.s.len;
			if (c->use != RL_COL_REPLACE) {
				if (c->p.n == 0)
					rl_ld_err(l, v, "%s: the pointer of a member must not be empty", where);
			} else if (!allowed(l->r, &c->p, RL_OP_REPLACE))
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

/* A column table: the default profile's, or one of "profiles". */
static void
load_table(struct rl_ld *l, const rl_value *v, const char *in,
    struct rl_columns *cols)
{
	int ids = 0, ms = 0, matched = 0, accounts = 0, sols = 0;
	/* the table as a whole: the default is columns.json's own */
	const char *tl = cols->name == NULL ? "columns.json" : in;
	size_t i, k;

	if ((cols->c = rl_ld_alloc(l, (v->u.o.n + 1) * sizeof(*cols->c))) == NULL)
		return;
	memset(cols->c, 0, (v->u.o.n + 1) * sizeof(*cols->c));
	for (i = 0; i < v->u.o.n; i++) {
		const rl_member *m = &v->u.o.members[i];

		load_column(l, m, cols, in, &cols->c[i]);
		for (k = 0; k < i; k++)
			if (rl_ascii_caseeq(cols->c[k].header, cols->c[k].hlen,
			    m->key, m->klen))
				rl_ld_err(l, m->value, "%s.%s: the same header as \"%s\" (headers are matched without regard to case)",
				    in, m->key, cols->c[k].header);
		ids += cols->c[i].use == RL_COL_ID;
		ms += cols->c[i].use == RL_COL_MICROSOFT;
		matched += cols->c[i].use == RL_COL_MATCHED_ACCOUNT;
		accounts += cols->c[i].use == RL_COL_ACCOUNT;
		sols += cols->c[i].use == RL_COL_SOLUTION;
	}
	cols->n = v->u.o.n;
	if (ids != 1)
		rl_ld_err(l, v, "%s: exactly one column must have use \"id\" (%d do)",
		    tl, ids);
	if (ms > 1)
		rl_ld_err(l, v, "%s: at most one column may have use \"microsoftReferral\"", tl);
	/* the matched account is only compared with the account columns */
	if (matched > 1)
		rl_ld_err(l, v, "%s: at most one column may have use \"matchedAccount\"", tl);
	if ((matched > 0) != (accounts > 0))
		rl_ld_err(l, v, "%s: a column with use \"matchedAccount\" and "
		    "columns with use \"account\" go together (%d and %d here)",
		    tl, matched, accounts);
	if (sols > 1 || (sols > 0) != cols->has_solutions)
		rl_ld_err(l, v, "%s: one column with use \"solution\" goes with the profile's \"solutions\" (%d here)",
		    tl, sols);
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
			rl_ld_err(l, sc, "%s.%s: \"substatusColumn\": \"%s\" is not another column with use \"replace\"",
			    in, cols->c[i].header, sc->u.s.ptr);
	}
}

static void
load_profile(struct rl_ld *l, const rl_member *pm, struct rl_columns *p)
{
	static const char *const keys[] = {
		"requires", "add", "solutions", "solutionId", "columns",
		"description", NULL
	};
	const rl_value *spec = pm->value, *v, *cv;
	char where[200], in[220];
	size_t i, k;

	snprintf(where, sizeof(where), "profiles.%s", pm->key);
	p->name = pm->key;
	if (!rl_ld_is_kind(spec, K_OBJ)) {
		rl_ld_err(l, spec, "%s must be an object, not %s", where,
		    rl_json_type_name(spec));
		return;
	}
	rl_ld_only_members(l, spec, where, keys);
	(void)rl_ld_get(l, spec, "description", K_STR, 0, where);
	if ((v = rl_ld_get(l, spec, "add", K_STR, 1, where)) != NULL) {
		rl_pointer ap;

		if (rl_ld_parse_pointer(l, v, where, &ap) == 0) {
			if (!allowed(l->r, &ap, RL_OP_ADD))
				rl_ld_err(l, v, "%s: \"add\": \"%s\" is not a path that paths.json lets \"add\"",
				    where, v->u.s.ptr);
			p->add = v->u.s.ptr;
			p->addlen = v->u.s.len;
		}
	}
	if ((v = rl_ld_get(l, spec, "solutions", K_STR, 0, where)) != NULL &&
	    rl_ld_parse_pointer(l, v, where, &p->solutions) == 0) {
		p->has_solutions = 1;
		if ((v = rl_ld_get(l, spec, "solutionId", K_STR, 1, where)) != NULL)
			(void)rl_ld_parse_pointer(l, v, where, &p->solution_id);
	} else if (rl_json_get(spec, "solutionId") != NULL)
		rl_ld_err(l, spec, "%s: \"solutionId\" needs \"solutions\"", where);
	if ((v = rl_ld_get(l, spec, "requires", K_ARR, 1, where)) != NULL) {
		if (v->u.a.n == 0)
			rl_ld_err(l, v, "%s: \"requires\" must name at least one header", where);
		if ((p->requires = rl_ld_alloc(l, (v->u.a.n + 1) *
		    sizeof(*p->requires))) == NULL)
			return;
		for (i = 0; i < v->u.a.n; i++) {
			const rl_value *s = v->u.a.items[i];

			if (s->type != RL_STRING) {
				rl_ld_err(l, s, "%s: \"requires\" holds header names (strings)", where);
				continue;
			}
			p->requires[p->nrequires].s = s->u.s.ptr;
			p->requires[p->nrequires++].len = s->u.s.len;
		}
	}
	snprintf(in, sizeof(in), "%s.columns", where);
	if ((cv = rl_ld_get(l, spec, "columns", K_OBJ, 1, where)) == NULL)
		return;
	load_table(l, cv, in, p);
	/* a required header is one of the profile's columns */
	for (i = 0; i < p->nrequires; i++) {
		for (k = 0; k < p->n; k++)
			if (rl_ascii_caseeq(p->c[k].header, p->c[k].hlen,
			    p->requires[i].s, p->requires[i].len))
				break;
		if (k == p->n)
			rl_ld_err(l, spec, "%s: \"requires\": \"%s\" is not one of its columns",
			    where, p->requires[i].s);
	}
}

void
rl_ld_columns(struct rl_ld *l, const rl_value *doc)
{
	static const char *const top[] = { "columns", "profiles", NULL };
	const rl_value *v;
	size_t i;

	rl_ld_only_members(l, doc, "columns.json", top);
	if ((v = rl_ld_get(l, doc, "columns", K_OBJ, 1, "columns.json")) != NULL)
		load_table(l, v, "columns", &l->r->cols);
	if ((v = rl_ld_get(l, doc, "profiles", K_OBJ, 0, "columns.json")) == NULL ||
	    (l->r->profiles = rl_ld_alloc(l, (v->u.o.n + 1) *
	    sizeof(*l->r->profiles))) == NULL)
		return;
	memset(l->r->profiles, 0, (v->u.o.n + 1) * sizeof(*l->r->profiles));
	for (i = 0; i < v->u.o.n; i++)
		load_profile(l, &v->u.o.members[i], &l->r->profiles[i]);
	l->r->nprofiles = v->u.o.n;
}
