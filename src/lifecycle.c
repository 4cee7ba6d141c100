/*
 * lifecycle.c: walks the transition table of rules/lifecycle.json.  Nothing
 * about which state may follow which is written here.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lifecycle.h"

static void
part(const rl_value *doc, const rl_pointer *p, const char **s, size_t *n)
{
	const rl_value *v = doc != NULL ? rl_pointer_get(doc, p) : NULL;

	if (v != NULL && v->type == RL_STRING) {
		*s = v->u.s.ptr;
		*n = v->u.s.len;
	} else {
		*s = NULL;
		*n = 0;
	}
}

void
rl_lifecycle_state(const rl_rules *r, const rl_value *referral,
    struct rl_state *out)
{
	part(referral, &r->lc.status, &out->status, &out->slen);
	part(referral, &r->lc.substatus, &out->substatus, &out->sublen);
}

const char *
rl_state_text(const struct rl_state *s, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s/%.*s",
	    s->status ? (int)s->slen : 1, s->status ? s->status : "?",
	    s->substatus ? (int)s->sublen : 1, s->substatus ? s->substatus : "?");
	return buf;
}

static int
same(const char *a, size_t an, const char *b, size_t bn)
{
	if (a == NULL || b == NULL)
		return a == b;
	return an == bn && memcmp(a, b, an) == 0;
}

int
rl_state_equal(const struct rl_state *a, const struct rl_state *b)
{
	return same(a->status, a->slen, b->status, b->slen) &&
	    same(a->substatus, a->sublen, b->substatus, b->sublen);
}

int
rl_state_in(const struct rl_state *s, const struct rl_state *list, size_t n)
{
	size_t i;

	if (s->status == NULL || s->substatus == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (rl_state_equal(s, &list[i]))
			return 1;
	return 0;
}

int
rl_lifecycle_valid(const rl_rules *r, const struct rl_state *s)
{
	return rl_state_in(s, r->lc.pairs, r->lc.npairs);
}

int
rl_lifecycle_terminal(const rl_rules *r, const struct rl_state *s)
{
	const rl_value *t = r->lc.terminal;
	size_t i;

	if (s->status == NULL || t == NULL)
		return 0;
	for (i = 0; i < t->u.a.n; i++)
		if (same(s->status, s->slen, t->u.a.items[i]->u.s.ptr,
		    t->u.a.items[i]->u.s.len))
			return 1;
	return 0;
}

rl_code
rl_lifecycle_judge(const rl_rules *r, const struct rl_state *from,
    const struct rl_state *to)
{
	size_t i;

	if (!rl_lifecycle_valid(r, to))
		return RL_STATUS_PAIR;
	if (rl_state_in(to, r->lc.system_only, r->lc.nsystem_only))
		return RL_TRANSITION_SYSTEM_ONLY;
	if (rl_state_equal(from, to) && !rl_lifecycle_terminal(r, from))
		return RL_OK;
	for (i = 0; i < r->lc.ntrans; i++)
		if (rl_state_equal(&r->lc.trans[i].from, from))
			return rl_state_in(to, r->lc.trans[i].to,
			    r->lc.trans[i].nto) ? RL_OK : RL_TRANSITION;
	return RL_TRANSITION;
}

int
rl_lifecycle_closed_accepts(const rl_rules *r, const struct rl_state *s,
    const rl_pointer *p)
{
	size_t i;

	if (p == NULL || !rl_state_in(s, r->lc.closed_states, r->lc.nclosed_states))
		return 0;
	for (i = 0; i < r->lc.nclosed_paths; i++)
		if (rl_tmpl_match(&r->lc.closed_paths[i], p))
			return 1;
	return 0;
}
