/*
 * rules_int.h: the loaded rule tables, as the rules engine walks them.
 * Included only by the rule loader (rules*.c), the judge's modules
 * (validate_int.h, lifecycle.h, policies.h, registration.h), the CSV
 * mapping (csvmap.c) and their Check suites; the commands and the other
 * modules use rules.h.  Template matching is tmpl.h.
 *
 * Ownership: everything here lives in the rules handle's arena (strings
 * point into the parsed rule files) and is read-only after loading.
 */
#ifndef RL_RULES_INT_H
#define RL_RULES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "json.h"
#include "patch.h"
#include "pointer.h"
#include "regex.h"
#include "rules.h"
#include "tmpl.h"

struct rl_strfmt {
	const char *name;
	const char *description;    /* may be NULL */
	rl_regex *re;
	int calendar;               /* also an RFC 3339 date-time */
};

/* Value types, as a bit set. */
enum {
	RL_VT_STRING = 1u << 0,
	RL_VT_BOOLEAN = 1u << 1,
	RL_VT_NUMBER = 1u << 2,
	RL_VT_DECIMAL = 1u << 3,    /* number, or string holding a JSON number */
	RL_VT_OBJECT = 1u << 4,
	RL_VT_ARRAY = 1u << 5,
	RL_VT_ANY = (1u << 6) - 1
};

struct rl_bound {
	const char *lex;            /* JSON number lexeme; NULL = no bound */
	size_t len;
	int exclusive;
};

struct rl_object;

struct rl_vspec {
	unsigned types;
	int nullable;
	int required;               /* as a member of an object schema */
	const rl_value *enumv;      /* array of strings, or NULL */
	const struct rl_strfmt *format;
	struct rl_bound min, max;
	long minlen, maxlen;        /* characters; -1 = no bound */
	const struct rl_object *object;
	const struct rl_vspec *items;   /* each item of an array value, or NULL */
	int dotnet_decimal;         /* exactly a .NET System.Decimal */
};

struct rl_mspec {
	const char *name;
	size_t len;
	struct rl_vspec v;
};

struct rl_object {
	const char *name;
	struct rl_mspec *m;
	size_t n;
	int warn_other;             /* value-member-unknown for other members */
};

struct rl_path {
	struct rl_tmpl t;
	unsigned ops;               /* bit (1 << rl_op_kind) per allowed op */
	struct rl_vspec v;
};

/* A "Status/Substatus" state. */
struct rl_state {
	const char *status, *substatus;
	size_t slen, sublen;
};

struct rl_transition {
	struct rl_state from;
	struct rl_state *to;
	size_t nto;
};

struct rl_irreversible {
	rl_pointer p;
	const char *text;
	int value;                  /* 1 = true, 0 = false */
};

struct rl_limit {
	rl_pointer p;
	const char *text;
	unsigned long max;
	rl_code code;
};

struct rl_unique {
	rl_pointer p;
	const char *text;
	const char *member;
	size_t mlen;
	int caseless;
	rl_code code;
};

struct rl_lifecycle {
	rl_pointer status, substatus, reason, created, etag;
	struct rl_state *pairs;
	size_t npairs;
	const rl_value *terminal;            /* array of status strings */
	struct rl_state *closed_states;
	size_t nclosed_states;
	struct rl_tmpl *closed_paths;
	size_t nclosed_paths;
	struct rl_tmpl reg_add;
	struct rl_transition *trans;
	size_t ntrans;
	struct rl_state *system_only;
	size_t nsystem_only;
	struct rl_state *reason_required;
	size_t nreason_required;
	int has_won;
	struct rl_state won_state;
	long won_hours;
	struct rl_irreversible *irr;
	size_t nirr;
	struct rl_limit *lim;
	size_t nlim;
	struct rl_unique *uniq;
	size_t nuniq;
	/* substatus -> { code -> text }, for the CSV reader (or NULL) */
	const rl_value *reason_codes;
};

/* dealregistration.json, for the policies and the registration rules. */
struct rl_dealreg {
	/* policy 1 */
	rl_pointer p_type, p_consent;
	const char *cosell, *partner_led;
	/* policy 2 */
	rl_pointer p_engagement;
	rl_regex *ms_org_name, *ms_org_id;
	struct rl_state *ms_states;
	size_t nms_states;
	/* policy 3 */
	rl_pointer p_solutions;
	rl_regex *incentive;
	/* policy 4 */
	rl_pointer p_deal_value, p_currency;
	struct rl_bound deal_threshold;
	/* policy 5 */
	rl_pointer p_matching, p_account_type;
	const rl_value *account_types;   /* strings: what --accounts and the
	                                    CSV's account columns may say */
	const char *managed;
	/* registration */
	const char *reg_type;
	const rl_value *terms;
	const char *finite_term, *perpetual_term;
	struct rl_bound perpetual_years, days_per_year, annual_threshold;
	long sign_max_age_days, start_max_age_days;
	const rl_value *deployment_on, *pricing_model;
	const struct rl_strfmt *date_format, *currency_format;
	const char *base_currency;
};

/* columns.json: how a spreadsheet column becomes part of a record. */
enum rl_col_use {
	RL_COL_REPLACE,             /* a "replace" op on pointer */
	RL_COL_ID,                  /* the record's id */
	RL_COL_MICROSOFT,           /* the record's microsoftReferral (policy 2) */
	RL_COL_READ_ONLY,           /* noted, not mapped */
	RL_COL_MATCHED_ACCOUNT,     /* the account the customer was matched to */
	RL_COL_ACCOUNT,             /* an account of type account_type: with
	                               the matched one, the record's
	                               matchedAccountType (policy 5) */
	RL_COL_MEMBER,              /* a profile with "add": a member of the
	                               op's value, at pointer inside it */
	RL_COL_SOLUTION,            /* the same for the registered solution's
	                               id, which the referral's only solution
	                               gives when the cell is empty */
	RL_COL_IGNORE               /* known, neither mapped nor noted */
};

enum rl_col_conv {
	RL_CONV_TEXT,               /* the cell as written */
	RL_CONV_NUMBER,             /* a JSON number lexeme, kept exactly */
	RL_CONV_DATE,               /* MM/DD/YYYY -> YYYY-MM-DDT00:00:00Z */
	RL_CONV_REASON,             /* reason code -> text (lifecycle.json) */
	RL_CONV_YESNO,              /* Yes/No (any case) -> true/false */
	RL_CONV_STATE               /* text -> "Status/Substatus" (states) */
};

struct rl_col_state {
	const char *text;
	size_t len;
	struct rl_state st;
};

struct rl_column {
	const char *header;         /* as written in columns.json */
	size_t hlen;
	enum rl_col_use use;
	enum rl_col_conv conv;
	const char *path;           /* RL_COL_REPLACE: the pointer's text */
	size_t plen;
	rl_pointer p;
	long substatus;             /* RL_CONV_REASON: index of the column
	                               holding the substatus */
	struct rl_col_state *states;   /* RL_CONV_STATE */
	size_t nstates;
	const char *account_type;   /* RL_COL_ACCOUNT: one of accountTypes */
	size_t alen;
	const char *dflt;           /* RL_COL_MEMBER: the text of an empty or
	                               absent cell ("default"), or NULL */
	size_t dlen;
};

/* A header name a profile requires; borrowed from the rules' document. */
struct rl_col_name {
	const char *s;
	size_t len;
};

/*
 * A column profile: the default one (rl_rules.cols, one "replace" per
 * cell) or one of "profiles", chosen when the header holds every
 * required name, whose rows are one "add" op each, the value built from
 * the member columns.  Everything points into the rules' arena.
 */
struct rl_columns {
	struct rl_column *c;        /* in file order, which is the op order */
	size_t n;
	const char *name;           /* the profile's name; NULL for the default */
	struct rl_col_name *requires;   /* header names that choose it */
	size_t nrequires;
	const char *add;            /* the op's path ("/registrations/-"), or
	                               NULL: one replace per cell */
	size_t addlen;
	/* RL_COL_SOLUTION: the referral's solutions, and the id in each */
	rl_pointer solutions, solution_id;
	int has_solutions;
};

struct rl_re_node;

struct rl_rules {
	rl_arena *a;
	struct rl_re_node *res;              /* every compiled pattern */
	const char *dir;
	rl_value *doc;                       /* file name -> content, for dumps */

	struct rl_strfmt *formats;
	size_t nformats;
	struct rl_tmpl *readonly;
	size_t nreadonly;
	rl_pointer *containers;
	size_t ncontainers;
	struct rl_object *objects;
	size_t nobjects;
	struct rl_path *paths;
	size_t npaths;
	/* paths and readonly by their first token (rl_tindex_find) */
	struct rl_tindex paths_ix, readonly_ix;

	struct rl_lifecycle lc;
	struct rl_dealreg dr;
	struct rl_columns cols;
	struct rl_columns *profiles;         /* columns.json's "profiles" */
	size_t nprofiles;

	rl_severity sev[RL_CODE_COUNT];
};

const struct rl_strfmt *rl_rules_format(const rl_rules *, const char *name);

/* 1 when (s, len) is one of the account types of policy isCustomerManaged. */
int rl_rules_account_type(const rl_rules *, const char *s, size_t len);

#endif /* RL_RULES_INT_H */
