/*
 * diag.h: the diagnostic catalogue and the diagnostic record.
 * Included by every module of src/ and by the tests; not installed.
 *
 * The library never prints: a function that can fail fills a caller-supplied
 * rl_diag (NULL means "no details wanted").  The first error wins: a diag
 * that already holds one (code other than RL_OK) is left as it is, so the
 * root cause is what the caller reads.  So every rl_diag that is written
 * starts as RL_DIAG_INIT or passes through rl_diag_clear(), and one reused
 * for each record or op is cleared before each.  The table in diag.c gives
 * each code its stable name, default severity and one-line text
 * (reflint-rules(5)).
 */
#ifndef RL_DIAG_H
#define RL_DIAG_H

#include <stdarg.h>
#include <stddef.h>

typedef enum rl_severity {
	RL_SEV_NONE = 0,   /* disabled */
	RL_SEV_INFO,
	RL_SEV_WARNING,
	RL_SEV_ERROR
} rl_severity;

/* Order follows reflint-rules(5); new codes go at the end of their group. */
typedef enum rl_code {
	RL_OK = 0,
	/* input */
	RL_JSON_SYNTAX,
	RL_JSON_DUPLICATE_KEY,
	RL_JSON_LIMIT,
	RL_RECORD_SHAPE,
	RL_CSV_SYNTAX,
	/* patch structure */
	RL_PATCH_SHAPE,
	RL_OP_UNSUPPORTED,
	RL_OP_VALUE_MISSING,
	RL_POINTER_SYNTAX,
	RL_PATH_READ_ONLY,
	RL_PATH_UNKNOWN,
	RL_PATH_OP_MISMATCH,
	/* values */
	RL_VALUE_TYPE,
	RL_VALUE_FORMAT,
	RL_VALUE_ENUM,
	RL_VALUE_RANGE,
	RL_VALUE_LENGTH,
	RL_VALUE_MEMBER_MISSING,
	RL_VALUE_MEMBER_UNKNOWN,
	/* applying the patch */
	RL_PATCH_TARGET,
	RL_PATCH_TEST_FAILED,
	/* referral state */
	RL_REFERRAL_UNKNOWN,
	RL_REFERRAL_STATE_MISSING,
	RL_ETAG_MISMATCH,
	RL_REFERRAL_CLOSED,
	RL_STATUS_PAIR,
	RL_TRANSITION,
	RL_TRANSITION_SYSTEM_ONLY,
	RL_STATUS_REASON_REQUIRED,
	RL_WON_TOO_SOON,
	RL_CONSENT_IRREVERSIBLE,
	RL_TEAM_LIMIT,
	RL_SOLUTIONS_LIMIT,
	RL_TEAM_DUPLICATE_EMAIL,
	RL_ETAG_STALE,
	RL_REFERRAL_REPEATED,
	/* deal registration */
	RL_REGISTRATION_INELIGIBLE,
	RL_PARTNER_INELIGIBLE,
	RL_REGISTRATION_FIELD,
	RL_REGISTRATION_DATES,
	RL_REGISTRATION_VALUE,
	RL_REGISTRATION_SOLUTION,
	RL_REGISTRATION_NOT_AZURE,
	RL_REGISTRATION_NOT_WON,
	RL_REGISTRATION_UNVERIFIED,
	/* spreadsheets */
	RL_CSV_UNCHANGED,
	RL_CSV_COLUMN_IGNORED,
	RL_CSV_ENCODING,
	RL_CSV_COLUMN_UNKNOWN,
	RL_CSV_DATE_AMBIGUOUS,
	/* program-level conditions (not per record) */
	RL_IO_ERROR,
	RL_NOMEM,
	RL_RULES_ERROR,
	RL_CODE_COUNT
} rl_code;

struct rl_code_info {
	const char *name;       /* stable kebab-case name */
	rl_severity severity;   /* default */
	const char *text;       /* one line, for `reflint rules --list` */
};

extern const struct rl_code_info rl_codes[RL_CODE_COUNT];

#define RL_DIAG_MSG 256
#define RL_DIAG_PTR 256
#define RL_DIAG_MEMBER 96

typedef struct rl_diag {
	rl_code code;
	rl_severity severity;
	const char *source;      /* file name; borrowed */
	unsigned long line;      /* 1-based; 0 = unknown */
	unsigned long column;    /* 1-based, in characters; 0 = unknown */
	long op;                 /* op index in the patch; -1 = none */
	char pointer[RL_DIAG_PTR];   /* JSON Pointer concerned, "" = none */
	char message[RL_DIAG_MSG];
	/*
	 * The member of the op's value the diagnostic is about, as a JSON
	 * Pointer into that value ("/contract/value" of a registration), so
	 * that a spreadsheet row names the cell that made it; "" = the value
	 * as a whole, or not known.
	 */
	char member[RL_DIAG_MEMBER];
	/*
	 * The whole message or pointer when it is longer than the arrays
	 * above (which then hold it cut short, saying so), in the arena of the
	 * result that holds the diagnostic; NULL otherwise.  Read them through
	 * rl_diag_message() and rl_diag_pointer().
	 */
	const char *text;
	const char *path;
	size_t path_len;
	/*
	 * A diagnostic of a CSV row names the spreadsheet column it is about:
	 * field is the 0-based field of the row (rl_csv_column_name gives its
	 * letters), -1 = none (a JSON record, the row as a whole).  The CSV
	 * reader sets it for a cell that did not convert and for a column
	 * whose header is a near miss, the batch for an op made from a cell
	 * or for the member of a registration row that came from a cell.
	 * field_name: that column's header text as the file has it,
	 * NUL-ended, or NULL; set by the batch alone, with the
	 * "column F \"Header\": " in front of the message.  It is borrowed
	 * from the batch's copy of the input's header and valid while the
	 * record is handed to the sinks: a sink that keeps the diagnostic
	 * longer copies the text.  A copy of the struct borrows the same.
	 */
	long field;
	const char *field_name;
} rl_diag;

/* An empty diagnostic: no error, no position. */
#define RL_DIAG_INIT { .code = RL_OK, .severity = RL_SEV_NONE, .op = -1, \
	.field = -1 }

/* Empties d (when not NULL), so that the next error is kept. */
void rl_diag_clear(rl_diag *d);
/*
 * Nonzero when d is not NULL and holds no error yet: the next rl_diag_set
 * will be kept, so the caller may go on to set its position.
 */
int  rl_diag_wants(const rl_diag *d);

/* Name of a code, or NULL when out of range. */
const char *rl_code_name(rl_code);
/* Code for a name (exact, case-sensitive); RL_OK when unknown. */
rl_code     rl_code_lookup(const char *, size_t);
const char *rl_severity_name(rl_severity);
/* -1 when unknown. */
int         rl_severity_lookup(const char *, size_t);

/*
 * Fill d (when not NULL and still empty) with code, its default severity
 * and a formatted message; position fields are cleared.  A d that holds an
 * error already is left alone: the first error wins.  Returns -1 so that
 * callers can write `return rl_diag_set(...)`.
 */
int rl_diag_set(rl_diag *d, rl_code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* The same with a va_list, for functions that take a format of their own. */
int rl_diag_vset(rl_diag *d, rl_code, const char *fmt, va_list)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 0)))
#endif
	;
/*
 * The setters below change d whatever it holds: call them on a diagnostic
 * just set (rl_diag_wants() before the rl_diag_set) or one being built.
 *
 * Copies (p, len) into d->pointer; when too long, cut at a character
 * boundary with a note of how many characters were left out.
 */
void rl_diag_set_pointer(rl_diag *d, const char *p, size_t len);

/* The whole message and pointer of a diagnostic, as valid UTF-8. */
const char *rl_diag_message(const rl_diag *);
const char *rl_diag_pointer(const rl_diag *, size_t *len);

struct rl_arena;
/*
 * Sets d's message to (s, n), bytes that are not UTF-8 replaced by U+FFFD:
 * in d->message when it fits, else whole in arena a (d->text) with a cut
 * copy in d->message; with a NULL arena, cut.  -1 when the arena runs out
 * (the cut copy is still set).
 */
int rl_diag_put_message(rl_diag *d, struct rl_arena *a, const char *s, size_t n);
/* The same for the pointer; a long one is borrowed, not copied. */
void rl_diag_put_pointer(rl_diag *d, const char *p, size_t len);
/*
 * The long message and pointer of n diagnostics copied into a, so that
 * they outlive the arena and the values they were in.  -1 when a runs out.
 */
int rl_diag_keep(rl_diag *d, size_t n, struct rl_arena *a);

/*
 * Writes (s, n) into out (size bytes with the NUL) as valid UTF-8 (bytes
 * that are not UTF-8 become U+FFFD), cut at a character boundary when it
 * does not fit, with " … (N more characters)".  Returns the length written.
 * rl_utf8_mended_len: the length of the whole mended text.
 */
size_t rl_utf8_fit(char *out, size_t size, const char *s, size_t n);
size_t rl_utf8_mended_len(const char *s, size_t n);

#endif /* RL_DIAG_H */
