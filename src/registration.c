/*
 * registration.c: step 5 of reflint(1), Judging, for each `add
 * /registrations/-` op: the registration object (section 5) field by field,
 * its date windows against --now, the annual contract value, its solutions
 * against the referral's, the five policies (policies.c) and partner
 * eligibility.  Every rule's data is r->dr (rules/dealregistration.json).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "decnum.h"
#include "lifecycle.h"
#include "policies.h"
#include "registration.h"

/* One registration being judged. */
struct reg {
	const rl_rules *r;
	const struct rl_dealreg *dr;
	rl_emitter *e;
	long op;
	const rl_value *path;
	const rl_inputs *in;
	int nomem;
	/* the annual value needs a rate not given: what would decide it */
	char annual_decider[32];
};

static int
str_in(const rl_value *v, const rl_value *list)
{
	size_t i;

	if (v == NULL || v->type != RL_STRING || list == NULL)
		return 0;
	for (i = 0; i < list->u.a.n; i++)
		if (list->u.a.items[i]->u.s.len == v->u.s.len &&
		    memcmp(list->u.a.items[i]->u.s.ptr, v->u.s.ptr, v->u.s.len) == 0)
			return 1;
	return 0;
}

static int
str_is(const rl_value *v, const char *s)
{
	return v != NULL && v->type == RL_STRING && s != NULL &&
	    v->u.s.len == strlen(s) && memcmp(v->u.s.ptr, s, v->u.s.len) == 0;
}

/*
 * The member that the diagnostics emitted since before are about, from
 * its name in messages ("solutionDetails[0].value" is
 * "/solutionDetails/0/value"): a spreadsheet row names its cell by it.
 */
static void
member(struct reg *g, size_t before, const char *name)
{
	rl_result *res = g->e->res;
	char p[RL_DIAG_MEMBER];
	size_t n = 0, i;

	for (; *name != '\0' && *name != ' ' && n < sizeof(p) - 2; name++) {
		if (*name == ']')
			continue;
		if (n == 0 || *name == '.' || *name == '[') {
			p[n++] = '/';
			if (*name == '.' || *name == '[')
				continue;
		}
		p[n++] = *name;
	}
	p[n] = '\0';
	for (i = before; i < res->n; i++)
		memcpy(res->d[i].member, p, n + 1);
}

/* A registration-field problem; fmt holds one "%s" for the field's name. */
static void
field(struct reg *g, const char *fmt, const char *name)
{
	size_t before = g->e->res->n;

	const char *p = strstr(fmt, "%s");
	char msg[RL_DIAG_MSG];

	if (p == NULL)
		snprintf(msg, sizeof(msg), "%s", fmt);
	else
		snprintf(msg, sizeof(msg), "%.*s%s%s", (int)(p - fmt), fmt, name, p + 2);
	if (rl_emit(g->e, RL_REGISTRATION_FIELD, g->op, g->path, "%s", msg) == -1)
		g->nomem = 1;
	member(g, before, name);
}

/* A string matching format f (with its calendar check), or a field problem. */
static const rl_value *
get_fmt(struct reg *g, const rl_value *obj, const char *member,
    const char *name, const struct rl_strfmt *f, rl_instant *t)
{
	const rl_value *v = rl_json_get(obj, member);
	char msg[160];
	int m;

	if (v == NULL) {
		field(g, "%s is required", name);
		return NULL;
	}
	if (v->type != RL_STRING) {
		field(g, "%s must be a string", name);
		return NULL;
	}
	m = f != NULL ? rl_regex_match(f->re, v->u.s.ptr, v->u.s.len) : RL_RE_MATCH;
	if (m != RL_RE_MATCH || (t != NULL &&
	    rl_datetime_parse(v->u.s.ptr, v->u.s.len, t) == -1)) {
		snprintf(msg, sizeof(msg), "%%s is not %s",
		    f != NULL && f->description ? f->description : "valid");
		field(g, msg, name);
		return NULL;
	}
	return v;
}

/* A JSON number > 0, or a field problem. */
static const rl_value *
get_amount(struct reg *g, const rl_value *obj, const char *name,
    const char *what)
{
	const rl_value *v = rl_json_get(obj, name);

	if (v == NULL) {
		field(g, "%s is required", what);
		return NULL;
	}
	if (v->type != RL_NUMBER) {
		field(g, "%s must be a JSON number (registration amounts are not strings)", what);
		return NULL;
	}
	if (rl_decimal_cmp(v->u.s.ptr, v->u.s.len, "0", 1) <= 0) {
		field(g, "%s must be greater than 0", what);
		return NULL;
	}
	/* Security (README): the API holds amounts in System.Decimal too */
	if (!rl_decimal_dotnet_exact(v->u.s.ptr, v->u.s.len)) {
		field(g, "%s is not exactly a .NET decimal (at most 28 digits "
		    "after the point, and at most 79228162514264337593543950335)",
		    what);
		return NULL;
	}
	return v;
}

static int
get_bool(struct reg *g, const rl_value *obj, const char *name,
    const char *what)
{
	const rl_value *v = rl_json_get(obj, name);

	if (v == NULL || !rl_json_is_bool(v)) {
		field(g, v == NULL ? "%s is required" : "%s must be true or false", what);
		return -1;
	}
	return v->type == RL_TRUE;
}

/*
 * A field problem for a value not in list: fmt's "%s" the field's name,
 * the allowed values named after it.
 */
static void
not_in(struct reg *g, const rl_value *list, const char *what)
{
	char fmt[RL_DIAG_MSG];
	size_t n, i;

	n = (size_t)snprintf(fmt, sizeof(fmt), "%%s is not one of ");
	for (i = 0; list != NULL && list->type == RL_ARRAY &&
	    i < list->u.a.n && n < sizeof(fmt); i++)
		if (list->u.a.items[i]->type == RL_STRING)
			n += (size_t)snprintf(fmt + n, sizeof(fmt) - n, "%s%.*s",
			    i ? ", " : "", (int)list->u.a.items[i]->u.s.len,
			    list->u.a.items[i]->u.s.ptr);
	if (n < sizeof(fmt))
		snprintf(fmt + n, sizeof(fmt) - n, " (case-sensitive)");
	field(g, fmt, what);
}

struct contract {
	const rl_value *currency, *value, *term;
	rl_instant sign, start, end;
	int has_sign, has_start, has_end;
	int finite;
};

static void
check_contract(struct reg *g, const rl_value *reg, struct contract *c)
{
	const struct rl_dealreg *dr = g->dr;
	const rl_value *k = rl_json_get(reg, "contract"), *v, *e;

	memset(c, 0, sizeof(*c));
	if (k == NULL || k->type != RL_OBJECT) {
		field(g, k == NULL ? "%s is required" : "%s must be an object", "contract");
		return;
	}
	c->currency = get_fmt(g, k, "currency", "contract.currency", dr->currency_format, NULL);
	c->value = get_amount(g, k, "value", "contract.value");
	v = rl_json_get(k, "term");
	if (v == NULL)
		field(g, "%s is required", "contract.term");
	else if (!str_in(v, dr->terms))
		not_in(g, dr->terms, "contract.term");
	else {
		c->term = v;
		c->finite = str_is(v, dr->finite_term);
	}
	c->has_sign = get_fmt(g, k, "signDateTime", "contract.signDateTime",
	    dr->date_format, &c->sign) != NULL;
	c->has_start = get_fmt(g, k, "startDateTime", "contract.startDateTime",
	    dr->date_format, &c->start) != NULL;
	/* a perpetual contract may leave the end out, or null as the API returns it */
	if (c->finite && rl_json_get(k, "endDateTime") == NULL)
		field(g, "%s is required for a contract term that is not perpetual",
		    "contract.endDateTime");
	else if (c->finite || ((e = rl_json_get(k, "endDateTime")) != NULL &&
	    e->type != RL_NULL))
		c->has_end = get_fmt(g, k, "endDateTime", "contract.endDateTime",
		    dr->date_format, &c->end) != NULL;
}

static void
dates(struct reg *g, const struct contract *c, const rl_value *after,
    const rl_instant *now)
{
	const struct rl_dealreg *dr = g->dr;
	const rl_value *cv = rl_pointer_get(after, &g->r->lc.created);
	rl_instant created;
	size_t before = g->e->res->n;

	if (c->has_start && c->has_end && rl_instant_cmp(c->end, c->start) < 0)
		rl_emit(g->e, RL_REGISTRATION_DATES, g->op, g->path,
		    "contract.endDateTime is before contract.startDateTime");
	member(g, before, "contract.endDateTime");
	before = g->e->res->n;
	if (c->has_sign) {
		if (rl_instant_cmp(c->sign, *now) > 0)
			rl_emit(g->e, RL_REGISTRATION_DATES, g->op, g->path,
			    "contract.signDateTime is in the future");
		else if (rl_instant_cmp_span(*now, c->sign,
		    (int64_t)dr->sign_max_age_days * RL_SECONDS_PER_DAY) > 0)
			rl_emit(g->e, RL_REGISTRATION_DATES, g->op, g->path,
			    "contract.signDateTime is more than %ld days in the past",
			    dr->sign_max_age_days);
		if (cv != NULL && cv->type == RL_STRING &&
		    rl_datetime_parse(cv->u.s.ptr, cv->u.s.len, &created) == 0 &&
		    rl_instant_cmp(c->sign, created) < 0)
			rl_emit(g->e, RL_REGISTRATION_DATES, g->op, g->path,
			    "contract.signDateTime is before the referral was created (%s)",
			    cv->u.s.ptr);
	}
	member(g, before, "contract.signDateTime");
	before = g->e->res->n;
	if (c->has_start && rl_instant_cmp_span(*now, c->start,
	    (int64_t)dr->start_max_age_days * RL_SECONDS_PER_DAY) > 0)
		rl_emit(g->e, RL_REGISTRATION_DATES, g->op, g->path,
		    "contract.startDateTime is more than %ld days in the past",
		    dr->start_max_age_days);
	member(g, before, "contract.startDateTime");
}

/* Parses a lexeme the rules or the input hold; 0 on success. */
static int
num(rl_decnum *x, const char *s, size_t len)
{
	return rl_decnum_parse(x, s, len) == RL_DECNUM_OK ? 0 : -1;
}

/*
 * Annual value > threshold in the base currency, multiplied out:
 * perpetual: value > T x years x rate; finite: value x Y > T x max(Y, s) x
 * rate, with Y the seconds of a year and s the term in seconds.
 */
static void
annual_value(struct reg *g, const struct contract *c)
{
	const struct rl_dealreg *dr = g->dr;
	rl_decnum lhs, rhs, x, rate;
	int err = 0;
	size_t before = g->e->res->n;

	if (c->currency == NULL || c->value == NULL || c->term == NULL ||
	    (c->finite && (!c->has_start || !c->has_end)))
		return;    /* a field problem of its own already */
	if (!rl_rate(g->r, g->in, c->currency->u.s.ptr, c->currency->u.s.len, &rate)) {
		/* unverified, like a policy: joins registration-unverified */
		snprintf(g->annual_decider, sizeof(g->annual_decider),
		    "--rates: %s", c->currency->u.s.ptr);
		return;
	}
	err |= num(&lhs, c->value->u.s.ptr, c->value->u.s.len);
	err |= num(&rhs, dr->annual_threshold.lex, dr->annual_threshold.len);
	if (c->finite) {
		rl_decnum days, year, term;
		int64_t s = rl_instant_diff(c->end, c->start);

		err |= num(&days, dr->days_per_year.lex, dr->days_per_year.len);
		rl_decnum_from_int(&x, RL_SECONDS_PER_DAY, 0);
		err |= rl_decnum_mul(&year, &days, &x) != RL_DECNUM_OK;
		rl_decnum_from_int(&term, s, 0);
		err |= rl_decnum_mul(&lhs, &lhs, &year) != RL_DECNUM_OK;
		err |= rl_decnum_mul(&rhs, &rhs,
		    rl_decnum_cmp(&term, &year) > 0 ? &term : &year) != RL_DECNUM_OK;
	} else {
		err |= num(&x, dr->perpetual_years.lex, dr->perpetual_years.len);
		err |= rl_decnum_mul(&rhs, &rhs, &x) != RL_DECNUM_OK;
	}
	err |= rl_decnum_mul(&rhs, &rhs, &rate) != RL_DECNUM_OK;
	if (err) {
		rl_emit(g->e, RL_REGISTRATION_VALUE, g->op, g->path,
		    "contract.value %s is out of range", c->value->u.s.ptr);
		member(g, before, "contract.value");
		return;
	}
	if (rl_decnum_cmp(&lhs, &rhs) <= 0)
		rl_emit(g->e, RL_REGISTRATION_VALUE, g->op, g->path,
		    "the annual contract value of %s %s (%s) is not above %.*s %s",
		    c->value->u.s.ptr, c->currency->u.s.ptr,
		    c->finite ? "over the term, in years of at least one" :
		    "spread over the perpetual years", (int)dr->annual_threshold.len,
		    dr->annual_threshold.lex, dr->base_currency);
	member(g, before, "contract.value");
}

/* 1 when the referral has a solution with that id. */
static int
on_referral(const struct rl_dealreg *dr, const rl_value *after,
    const rl_value *id)
{
	const rl_value *sols = rl_pointer_get(after, &dr->p_solutions);
	size_t i;

	if (sols == NULL || sols->type != RL_ARRAY)
		return 0;
	for (i = 0; i < sols->u.a.n; i++) {
		const rl_value *x = rl_json_get(sols->u.a.items[i], "id");

		if (x != NULL && rl_json_equal(x, id))
			return 1;
	}
	return 0;
}

static void
solution_value(struct reg *g, const struct contract *c, const rl_value *sv,
    const rl_value *scur, const char *name)
{
	rl_decnum a, b, ra, rb;
	size_t before = g->e->res->n;
	char what[80];

	if (c->value == NULL || c->currency == NULL)
		return;
	if (scur == NULL)
		scur = c->currency;
	if (!rl_rate(g->r, g->in, scur->u.s.ptr, scur->u.s.len, &ra) ||
	    !rl_rate(g->r, g->in, c->currency->u.s.ptr, c->currency->u.s.len, &rb))
		return;    /* no rate: the annual value is unverified already */
	/* sv / ra <= cv / rb  <=>  sv x rb <= cv x ra */
	if (num(&a, sv->u.s.ptr, sv->u.s.len) == -1 ||
	    num(&b, c->value->u.s.ptr, c->value->u.s.len) == -1 ||
	    rl_decnum_mul(&a, &a, &rb) != RL_DECNUM_OK ||
	    rl_decnum_mul(&b, &b, &ra) != RL_DECNUM_OK)
		return;
	if (rl_decnum_cmp(&a, &b) > 0)
		rl_emit(g->e, RL_REGISTRATION_VALUE, g->op, g->path,
		    "%s.value %s is above the contract value %s", name,
		    sv->u.s.ptr, c->value->u.s.ptr);
	snprintf(what, sizeof(what), "%s.value", name);
	member(g, before, what);
}

/*
 * what = name + "." + sub, cut to size: the name of a field for messages,
 * built for every field checked, so without printf.
 */
static const char *
join(char *what, size_t size, const char *name, const char *sub)
{
	size_t n = strlen(name), m = strlen(sub);

	if (n > size - 1)
		n = size - 1;
	memcpy(what, name, n);
	if (n < size - 1)
		what[n++] = '.';
	if (m > size - 1 - n)
		m = size - 1 - n;
	memcpy(what + n, sub, m);
	what[n + m] = '\0';
	return what;
}

static void
check_solutions(struct reg *g, const rl_value *reg, const struct contract *c,
    const rl_value *after)
{
	const struct rl_dealreg *dr = g->dr;
	const rl_value *sd = rl_json_get(reg, "solutionDetails");
	char name[64], what[160];
	size_t i;

	if (sd == NULL || sd->type != RL_ARRAY || sd->u.a.n == 0) {
		field(g, sd == NULL ? "%s is required" :
		    "%s must be an array of at least one solution", "solutionDetails");
		return;
	}
	for (i = 0; i < sd->u.a.n; i++) {
		const rl_value *s = sd->u.a.items[i], *id, *v, *cur = NULL, *mk;
		int az, mt;

		snprintf(name, sizeof(name), "solutionDetails[%zu]", i);
		if (s->type != RL_OBJECT) {
			field(g, "%s must be an object", name);
			continue;
		}
		join(what, sizeof(what), name, "id");
		if ((id = rl_json_get(s, "id")) == NULL || id->type != RL_STRING)
			field(g, id == NULL ? "%s is required" : "%s must be a string", what);
		else if (!on_referral(dr, after, id)) {
			size_t before = g->e->res->n;

			rl_emit(g->e, RL_REGISTRATION_SOLUTION, g->op, g->path,
			    "%s %s is not a solution of the referral", what, id->u.s.ptr);
			member(g, before, what);
		}
		if (rl_json_get(s, "currency") != NULL) {
			join(what, sizeof(what), name, "currency");
			cur = get_fmt(g, s, "currency", what, dr->currency_format, NULL);
		}
		join(what, sizeof(what), name, "value");
		if ((v = get_amount(g, s, "value", what)) != NULL &&
		    (cur != NULL || rl_json_get(s, "currency") == NULL))
			solution_value(g, c, v, cur, name);
		join(what, sizeof(what), name, "isDeployedOnAzure");
		if ((az = get_bool(g, s, "isDeployedOnAzure", what)) == 0) {
			size_t before = g->e->res->n;

			rl_emit(g->e, RL_REGISTRATION_NOT_AZURE, g->op, g->path,
			    "%s is false: deal registration is only for Azure-deployed solutions",
			    what);
			member(g, before, what);
		}
		join(what, sizeof(what), name, "primaryDeploymentOn");
		if (rl_json_get(s, "primaryDeploymentOn") == NULL)
			field(g, "%s is required", what);
		else if (!str_in(rl_json_get(s, "primaryDeploymentOn"), dr->deployment_on))
			not_in(g, dr->deployment_on, what);
		join(what, sizeof(what), name, "pricingModel");
		if (rl_json_get(s, "pricingModel") == NULL)
			field(g, "%s is required", what);
		else if (!str_in(rl_json_get(s, "pricingModel"), dr->pricing_model))
			not_in(g, dr->pricing_model, what);
		join(what, sizeof(what), name, "marketplaceTransactionDetails");
		if ((mk = rl_json_get(s, "marketplaceTransactionDetails")) == NULL ||
		    mk->type != RL_OBJECT) {
			field(g, mk == NULL ? "%s is required" : "%s must be an object", what);
			continue;
		}
		join(what, sizeof(what), name,
		    "marketplaceTransactionDetails.isMarketplaceTransacted");
		mt = get_bool(g, mk, "isMarketplaceTransacted", what);
		if (mt == 1) {
			rl_instant t;

			join(what, sizeof(what), name,
			    "marketplaceTransactionDetails.marketplaceTransactionDateTime");
			if (rl_json_get(mk, "marketplaceTransactionDateTime") == NULL)
				field(g, "%s is required for a marketplace-transacted solution",
				    what);
			else
				(void)get_fmt(g, mk, "marketplaceTransactionDateTime",
				    what, dr->date_format, &t);
		}
	}
}

/*
 * registration-unverified: each unverified check with what would decide
 * it, checks that the same input decides named together ("A, B (--rates
 * for EUR)"), so that all four policies and the annual value fit in one
 * message.
 */
static void
unverified(struct reg *g, const struct rl_policy_result *res)
{
	const char *name[RL_POLICY_COUNT + 1], *by[RL_POLICY_COUNT + 1];
	/* every policy listed whole: rl_emit keeps a long message */
	char msg[RL_POLICY_COUNT * (sizeof(((struct rl_policy_result *)0)->reason) + 64)];
	size_t n = 0, i, k, count = 0;
	int first;

	for (i = 0; i < RL_POLICY_COUNT; i++)
		if (res[i].outcome == RL_POLICY_UNVERIFIED) {
			name[count] = res[i].name;
			by[count++] = res[i].decider;
		}
	if (g->annual_decider[0] != '\0') {
		name[count] = "annual value";
		by[count++] = g->annual_decider;
	}
	if (count == 0)
		return;
	msg[0] = '\0';
	for (i = 0; i < count && n < sizeof(msg); i++) {
		for (k = 0; k < i && strcmp(by[k], by[i]) != 0; k++)
			continue;
		if (k < i)
			continue;   /* named with an earlier one */
		first = 1;
		for (k = i; k < count && n < sizeof(msg); k++)
			if (strcmp(by[k], by[i]) == 0) {
				n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s%s",
				    first ? (n ? "; " : "") : ", ", name[k]);
				first = 0;
			}
		if (n < sizeof(msg))
			n += (size_t)snprintf(msg + n, sizeof(msg) - n, " (%s)", by[i]);
	}
	if (rl_emit(g->e, RL_REGISTRATION_UNVERIFIED, g->op, g->path,
	    "unverified: %s", msg) == -1)
		g->nomem = 1;
}

/*
 * The five policies: any failed one is registration-ineligible; otherwise
 * the unverified ones (and an annual value without a rate) are the warning
 * registration-unverified, so that a strict run can make it an error.
 */
static void
policies(struct reg *g, const rl_value *after, const rl_value *record)
{
	struct rl_policy_result res[RL_POLICY_COUNT];
	/* every policy listed whole: rl_emit keeps a long message */
	char msg[RL_POLICY_COUNT * (sizeof(((struct rl_policy_result *)0)->reason) + 64)];
	size_t n = 0;
	int i;

	if (g->in != NULL && g->in->partner != NULL &&
	    rl_json_get(g->in->partner, "isEligible")->type != RL_TRUE)
		rl_emit(g->e, RL_PARTNER_INELIGIBLE, g->op, g->path,
		    "the partner is not eligible for deal registration (--partner-eligibility)");
	if (rl_policies_eval(g->r, after, record, g->in, res) < 0)
		return;
	if (rl_emit_eligibility(g->e, res) == -1)
		g->nomem = 1;
	for (i = 0; i < RL_POLICY_COUNT; i++)
		if (res[i].outcome == RL_POLICY_FAILED)
			break;
	if (i == RL_POLICY_COUNT) {
		unverified(g, res);
		return;
	}
	msg[0] = '\0';
	for (i = 0; i < RL_POLICY_COUNT && n < sizeof(msg); i++)
		if (res[i].outcome == RL_POLICY_FAILED)
			n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s%s (%s)",
			    n ? "; " : "", res[i].name, res[i].reason);
	rl_emit(g->e, RL_REGISTRATION_INELIGIBLE, g->op, g->path,
	    "not eligible for deal registration: %s", msg);
}

int
rl_registration_check(const rl_rules *r, rl_emitter *e, long op,
    const rl_value *path, const rl_value *reg, const rl_value *after,
    const rl_value *record, const rl_check_opts *opts)
{
	struct reg g = { r, &r->dr, e, op, path, opts->inputs, 0, "" };
	struct contract c;
	struct rl_state st;
	char s[96];

	rl_lifecycle_state(r, after, &st);
	if (!rl_state_in(&st, r->lc.closed_states, r->lc.nclosed_states) &&
	    !rl_lifecycle_terminal(r, &st) &&
	    rl_emit(e, RL_REGISTRATION_NOT_WON, op, path,
	    "the referral is %s after the patch: Partner Center registers won deals",
	    rl_state_text(&st, s, sizeof(s))) == -1)
		return -1;
	if (reg == NULL || reg->type != RL_OBJECT)
		return 0;   /* step 2 reported it */
	if (!str_is(rl_json_get(reg, "type"), r->dr.reg_type)) {
		char m[128];

		snprintf(m, sizeof(m), "%%s must be \"%s\"", r->dr.reg_type);
		field(&g, rl_json_get(reg, "type") == NULL ? "%s is required" : m,
		    "type");
	}
	check_contract(&g, reg, &c);
	dates(&g, &c, after, &opts->now);
	annual_value(&g, &c);
	check_solutions(&g, reg, &c, after);
	policies(&g, after, record);
	return g.nomem ? -1 : 0;
}
