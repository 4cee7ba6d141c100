/*
 * rules_load.h: what the loaders of the rule files share: the loader's
 * context, the schema helpers that read a member and report what is wrong
 * with it, and one loader per rule file (rules_*.c).
 * Included only by rules.c and rules_*.c.
 *
 * Ownership: every table is allocated in the rules' arena through
 * rl_ld_alloc; strings point into the parsed rule files.  A problem is
 * reported through rl_ld_err, and loading goes on.
 */
#ifndef RL_RULES_LOAD_H
#define RL_RULES_LOAD_H

#include <stddef.h>

#include "rules_int.h"

/* Every compiled pattern, so that rl_rules_free can release them. */
struct rl_re_node {
	rl_regex *re;
	struct rl_re_node *next;
};

/* Loader context: one per rl_rules_load call. */
struct rl_ld {
	rl_rules *r;
	struct rl_re_node *res;
	const char *file;        /* the file being checked, for messages */
	rl_rules_error_fn fn;
	void *ctx;
	int errors;
};

enum rl_ld_kind { K_STR, K_BOOL, K_NUM, K_INT, K_ARR, K_OBJ };

/* The problems of the file being loaded (l->file), one call each. */
void rl_ld_err(struct rl_ld *l, const rl_value *at, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* Zeroed memory from the rules' arena; NULL (reported) when it runs out. */
void *rl_ld_alloc(struct rl_ld *l, size_t n);

int rl_ld_is_kind(const rl_value *v, enum rl_ld_kind k);
/* Reports each member of obj that is not in allowed (NULL-terminated). */
void rl_ld_only_members(struct rl_ld *l, const rl_value *obj,
		const char *where, const char *const *allowed);
/* Member name of obj, of kind k; NULL when absent (reported if required) or wrong. */
const rl_value *rl_ld_get(struct rl_ld *l, const rl_value *obj,
		const char *name, enum rl_ld_kind k, int required, const char *where);
const char *rl_ld_str(struct rl_ld *l, const rl_value *obj, const char *name,
		int required, const char *where);
long rl_ld_int(struct rl_ld *l, const rl_value *obj, const char *name,
		int required, const char *where, long dflt);
const rl_value *rl_ld_strings(struct rl_ld *l, const rl_value *obj,
		const char *name, int required, const char *where);
rl_regex *rl_ld_compile(struct rl_ld *l, const rl_value *pat, unsigned flags,
		const char *where);
int rl_ld_parse_pointer(struct rl_ld *l, const rl_value *s, const char *where,
		rl_pointer *out);
int rl_ld_pointer(struct rl_ld *l, const rl_value *obj, const char *name,
		const char *where, rl_pointer *out);
int rl_ld_parse_tmpl(struct rl_ld *l, const rl_value *s, const char *where,
		struct rl_tmpl *t);
const struct rl_strfmt *rl_ld_format_ref(struct rl_ld *l, const rl_value *s,
		const char *where);

/* States (rules_lifecycle.c), which the other files name too. */
int rl_ld_parse_state(struct rl_ld *l, const rl_value *s, const char *where,
		int pairs_known, struct rl_state *out);
void rl_ld_states(struct rl_ld *l, const rl_value *arr, const char *where,
		int known, struct rl_state **out, size_t *n);

/* The loaders of the other rule files (formats and severity: rules.c). */
void rl_ld_paths(struct rl_ld *l, const rl_value *doc);        /* rules_paths.c */
void rl_ld_lifecycle(struct rl_ld *l, const rl_value *doc);    /* rules_lifecycle.c */
void rl_ld_dealreg(struct rl_ld *l, const rl_value *doc);      /* rules_dealreg.c */
void rl_ld_columns(struct rl_ld *l, const rl_value *doc);      /* rules_columns.c */

#endif /* RL_RULES_LOAD_H */
