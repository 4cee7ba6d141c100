/*
 * rules_facts.c: what other modules ask of the rules about a referral,
 * answered from the rule files' own pointers and templates (rules.h), so
 * that no module outside the rules spells a business path itself.
 */
#include "config.h"

#include <string.h>

#include "pointer.h"
#include "rules.h"
#include "rules_int.h"
#include "tmpl.h"

#define MAX_TOKENS 16

/*
 * Does an op path match the registration template?  Tokens point into
 * the path: one with an escape (~) cannot be told without decoding, so it
 * counts as a match (the caller then only gathers more context).
 */
static int
adds_at(const rl_rules *r, const char *s, size_t len)
{
	rl_token tok[MAX_TOKENS];
	rl_pointer p = { tok, 0 };
	size_t i = 0, j;

	if (memchr(s, '~', len) != NULL)
		return 1;
	if (len == 0 || s[0] != '/')
		return 0;
	while (i < len) {
		if (p.n == MAX_TOKENS)
			return 0;
		for (j = ++i; j < len && s[j] != '/'; j++)
			;
		tok[p.n].s = s + i;
		tok[p.n].len = j - i;
		p.n++;
		i = j;
	}
	return rl_tmpl_match(&r->lc.reg_add, &p);
}

int
rl_rules_adds_registration(const rl_rules *r, const rl_value *patch)
{
	size_t i;

	if (patch == NULL || patch->type != RL_ARRAY)
		return 0;
	for (i = 0; i < patch->u.a.n; i++) {
		const rl_value *op = patch->u.a.items[i], *k, *p;

		if (op == NULL || op->type != RL_OBJECT ||
		    (k = rl_json_get(op, "op")) == NULL || k->type != RL_STRING ||
		    k->u.s.len != 3 || memcmp(k->u.s.ptr, "add", 3) != 0 ||
		    (p = rl_json_get(op, "path")) == NULL || p->type != RL_STRING)
			continue;
		if (adds_at(r, p->u.s.ptr, p->u.s.len))
			return 1;
	}
	return 0;
}
