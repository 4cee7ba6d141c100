/*
 * rules.h: the rule set, loaded from a rules directory (reflint-rules(5),
 * reflint-rules(5)).
 * Included by the commands, the rules engine and the tests; not installed.
 *
 * Ownership: rl_rules_load() returns a handle that owns everything loaded
 * (an arena and the compiled patterns); rl_rules_free() releases it and
 * accepts NULL.  A handle is read-only once loaded, except for the severity
 * overrides of the command line, and is shared by every record.
 *
 * The loader never prints: each problem found is passed to the caller's
 * callback as an rl_diag with code rules-error (or out-of-memory), source
 * the file's path, line the 1-based line of the offending member (0 when
 * unknown) and the message.  Loading goes on after an error, so that one run
 * reports every problem of every file.
 */
#ifndef RL_RULES_H
#define RL_RULES_H

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "json.h"

typedef struct rl_rules rl_rules;

/* Called once per problem; d and its strings are valid during the call. */
typedef void (*rl_rules_error_fn)(void *ctx, const rl_diag *d);

/*
 * Loads every rule file of dir.  NULL when any file has a problem (each one
 * reported through fn, which may be NULL).
 */
rl_rules *rl_rules_load(const char *dir, rl_rules_error_fn fn, void *ctx)
	RL_WARN_UNUSED;
void      rl_rules_free(rl_rules *);

/* The directory the rules came from (as given). */
const char *rl_rules_dir(const rl_rules *);

/* Effective severity of a code: severity.json, then the overrides below. */
rl_severity rl_rules_severity(const rl_rules *, rl_code);
/* Command-line override (--severity, --disable): last one wins. */
void        rl_rules_set_severity(rl_rules *, rl_code, rl_severity);

/*
 * Business facts that the rule files define, for the modules outside the
 * judge (which do not read rules_int.h).
 *
 * rl_rules_engagement: the referral's engagement id at the pointer of
 * dealregistration.json's engagementId, when a string; else NULL.
 * rl_rules_registration_path: 1 when the JSON Pointer text (p, len)
 * starts with the registrations array's pointer (lifecycle.json's
 * registrationAdd without its last token), compared as text.
 */
const rl_value *rl_rules_engagement(const rl_rules *, const rl_value *referral);
int rl_rules_registration_path(const rl_rules *, const char *p, size_t len);

/*
 * The effective rule set as one JSON document: each file's content (without
 * comments) under its file name, and "codes": code -> effective severity.
 * -1 when memory runs out.
 */
int rl_rules_dump(const rl_rules *, rl_buf *);

/*
 * For the module that builds what a record is judged against
 * (context.c): 1 when a patch (any value) holds an add at the
 * registration template of lifecycle.json ("registrationAdd"), the only
 * ops whose policies need the related records.
 */
int rl_rules_adds_registration(const rl_rules *, const rl_value *patch);

/* Names of the rule files, NULL-terminated, in load order. */
extern const char *const rl_rule_files[];

#endif /* RL_RULES_H */
