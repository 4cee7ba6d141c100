/* diag.c: the diagnostic catalogue (reflint-rules(5)) and diagnostic records. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "utf8.h"

#define E RL_SEV_ERROR
#define W RL_SEV_WARNING
#define I RL_SEV_INFO

const struct rl_code_info rl_codes[RL_CODE_COUNT] = {
	[RL_OK] = { "ok", RL_SEV_NONE, "no problem" },
	[RL_JSON_SYNTAX] = { "json-syntax", E, "the record is not valid JSON" },
	[RL_JSON_DUPLICATE_KEY] = { "json-duplicate-key", E, "an object repeats a member name, or has two that differ only by ASCII case" },
	[RL_JSON_LIMIT] = { "json-limit", E, "nesting depth, record size or memory, string length or operations per patch over the limit" },
	[RL_RECORD_SHAPE] = { "record-shape", E, "not an object with the members that the mode needs" },
	[RL_CSV_SYNTAX] = { "csv-syntax", E, "malformed CSV row" },
	[RL_PATCH_SHAPE] = { "patch-shape", E, "patch is not an array of operation objects with string op and path" },
	[RL_OP_UNSUPPORTED] = { "op-unsupported", E, "the API accepts only add and replace" },
	[RL_OP_VALUE_MISSING] = { "op-value-missing", E, "add or replace without value" },
	[RL_POINTER_SYNTAX] = { "pointer-syntax", E, "not an RFC 6901 JSON Pointer" },
	[RL_PATH_READ_ONLY] = { "path-read-only", E, "the path is a read-only field" },
	[RL_PATH_UNKNOWN] = { "path-unknown", E, "not a patchable path" },
	[RL_PATH_OP_MISMATCH] = { "path-op-mismatch", E, "that op is not allowed on that path" },
	[RL_VALUE_TYPE] = { "value-type", E, "the value has the wrong JSON type" },
	[RL_VALUE_FORMAT] = { "value-format", E, "the value does not match its format" },
	[RL_VALUE_ENUM] = { "value-enum", E, "the value is not one of the allowed values" },
	[RL_VALUE_RANGE] = { "value-range", E, "the value is out of range" },
	[RL_VALUE_LENGTH] = { "value-length", E, "the value is too short or too long" },
	[RL_VALUE_MEMBER_MISSING] = { "value-member-missing", E, "an object value lacks a required member" },
	[RL_VALUE_MEMBER_UNKNOWN] = { "value-member-unknown", W, "an object value has a member the rules do not know" },
	[RL_PATCH_TARGET] = { "patch-target", E, "RFC 6902 failure: missing parent or member, or bad array index" },
	[RL_PATCH_TEST_FAILED] = { "patch-test-failed", E, "an RFC 6902 test op did not match (reflint patch only)" },
	[RL_REFERRAL_UNKNOWN] = { "referral-unknown", E, "the referral id is not in the snapshot" },
	[RL_REFERRAL_STATE_MISSING] = { "referral-state-missing", W, "no referral state: only stateless checks ran" },
	[RL_ETAG_MISMATCH] = { "etag-mismatch", E, "ifMatch does not strongly match the referral's eTag (RFC 9110; the API would answer 412)" },
	[RL_REFERRAL_CLOSED] = { "referral-closed", E, "the referral is closed" },
	[RL_STATUS_PAIR] = { "status-pair", E, "status and substatus do not form a valid pair" },
	[RL_TRANSITION] = { "transition", E, "that status change is not allowed" },
	[RL_TRANSITION_SYSTEM_ONLY] = { "transition-system-only", E, "only the system can move a referral to that state" },
	[RL_STATUS_REASON_REQUIRED] = { "status-reason-required", W, "declined, lost and error should carry a statusReason" },
	[RL_WON_TOO_SOON] = { "won-too-soon", W, "won less than 72 hours after creation" },
	[RL_CONSENT_IRREVERSIBLE] = { "consent-irreversible", E, "consent to share cannot go back to false" },
	[RL_TEAM_LIMIT] = { "team-limit", E, "too many team members" },
	[RL_SOLUTIONS_LIMIT] = { "solutions-limit", E, "too many solutions" },
	[RL_TEAM_DUPLICATE_EMAIL] = { "team-duplicate-email", W, "two team members share an email" },
	[RL_ETAG_STALE] = { "etag-stale", E, "an earlier accepted record of the batch patches the same referral, so this ifMatch will be stale (412)" },
	[RL_REFERRAL_REPEATED] = { "referral-repeated", W, "an earlier accepted record of the batch patches the same referral: this patch meets a state that was not judged" },
	[RL_REGISTRATION_INELIGIBLE] = { "registration-ineligible", E, "one or more of the five eligibility policies failed" },
	[RL_PARTNER_INELIGIBLE] = { "partner-ineligible", E, "the partner is not eligible for deal registration" },
	[RL_REGISTRATION_FIELD] = { "registration-field", E, "a registration member is missing or invalid" },
	[RL_REGISTRATION_DATES] = { "registration-dates", E, "end before start, or a date window rule" },
	[RL_REGISTRATION_VALUE] = { "registration-value", E, "solution value above contract value, or annual value at or below the threshold" },
	[RL_REGISTRATION_SOLUTION] = { "registration-solution", E, "the solution is not on the referral" },
	[RL_REGISTRATION_NOT_AZURE] = { "registration-not-azure", E, "isDeployedOnAzure is false" },
	[RL_REGISTRATION_NOT_WON] = { "registration-not-won", W, "the referral is not Closed/Won after the patch" },
	[RL_REGISTRATION_UNVERIFIED] = { "registration-unverified", W, "no policy failed, but one or more could not be decided offline (each listed with the input that would)" },
	[RL_CSV_UNCHANGED] = { "csv-unchanged", I, "the row changes nothing" },
	[RL_CSV_COLUMN_IGNORED] = { "csv-column-ignored", I, "a read-only or unknown column" },
	[RL_CSV_ENCODING] = { "csv-encoding", E, "the file is not in its encoding (not UTF-8: save it as CSV UTF-8, or give --encoding)" },
	[RL_CSV_COLUMN_UNKNOWN] = { "csv-column-unknown", E, "a header that is nearly a mapped column's name: the column's edits would be lost" },
	[RL_CSV_DATE_AMBIGUOUS] = { "csv-date-ambiguous", W, "a date that reads both as MM/DD and DD/MM, in a column that holds a DD/MM-only date" },
	[RL_IO_ERROR] = { "io-error", E, "an input or output could not be read or written" },
	[RL_NOMEM] = { "out-of-memory", E, "memory ran out" },
	[RL_RULES_ERROR] = { "rules-error", E, "a rule file is invalid" },
};

const char *
rl_code_name(rl_code c)
{
	if ((int)c < 0 || c >= RL_CODE_COUNT)
		return NULL;
	return rl_codes[c].name;
}

rl_code
rl_code_lookup(const char *s, size_t n)
{
	int c;

	for (c = 1; c < RL_CODE_COUNT; c++)
		if (strlen(rl_codes[c].name) == n &&
		    memcmp(rl_codes[c].name, s, n) == 0)
			return (rl_code)c;
	return RL_OK;
}

static const char *const sev_names[] = { "none", "info", "warning", "error" };

const char *
rl_severity_name(rl_severity s)
{
	if ((int)s < 0 || s > RL_SEV_ERROR)
		return "none";
	return sev_names[s];
}

int
rl_severity_lookup(const char *s, size_t n)
{
	int i;

	for (i = 0; i <= RL_SEV_ERROR; i++)
		if (strlen(sev_names[i]) == n && memcmp(sev_names[i], s, n) == 0)
			return i;
	return -1;
}

void
rl_diag_clear(rl_diag *d)
{
	static const rl_diag empty = RL_DIAG_INIT;

	if (d != NULL)
		*d = empty;
}

int
rl_diag_wants(const rl_diag *d)
{
	return d != NULL && d->code == RL_OK;
}

int
rl_diag_set(rl_diag *d, rl_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rl_diag_vset(d, code, fmt, ap);
	va_end(ap);
	return -1;
}

int
rl_diag_vset(rl_diag *d, rl_code code, const char *fmt, va_list ap)
{
	char buf[RL_DIAG_MSG * 4];
	int n;

	if (!rl_diag_wants(d))
		return -1;
	d->code = code;
	d->severity = rl_codes[code].severity;
	d->source = NULL;
	d->line = d->column = 0;
	d->op = -1;
	d->field = -1;
	d->field_name = NULL;
	d->pointer[0] = '\0';
	d->path = NULL;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		n = 0;
	/* no arena here: cut to fit (valid UTF-8, saying how much was cut) */
	rl_diag_put_message(d, NULL, buf, (size_t)n < sizeof(buf) ? (size_t)n :
	    sizeof(buf) - 1);
	return -1;
}

/* The length of the UTF-8 sequence at s (of n bytes), or 0: not UTF-8. */
static size_t
seq_len(const unsigned char *s, size_t n)
{
	int k = rl_utf8_seq(s, n);

	return k > 0 ? (size_t)k : 0;
}

#define REPLACEMENT "\xEF\xBF\xBD"

size_t
rl_utf8_mended_len(const char *s, size_t n)
{
	size_t i = 0, m = 0, k;

	while (i < n) {
		if ((k = seq_len((const unsigned char *)s + i, n - i)) == 0) {
			m += 3;
			i++;
		} else {
			m += k;
			i += k;
		}
	}
	return m;
}

size_t
rl_utf8_fit(char *out, size_t size, const char *s, size_t n)
{
	char note[48];
	size_t i = 0, o = 0, k, left = 0, room, nl;

	if (size == 0)
		return 0;
	/* the usual case: it fits and is valid already */
	if (n < size && rl_utf8_check((const unsigned char *)s, n) == 0) {
		if (n > 0)
			memcpy(out, s, n);
		out[n] = '\0';
		return n;
	}
	if (rl_utf8_mended_len(s, n) < size)
		room = size - 1;
	else {
		/* keep room for the note, written once the count is known */
		room = size - 1 > 40 ? size - 1 - 40 : 0;
	}
	while (i < n) {
		const char *src = s + i;

		if ((k = seq_len((const unsigned char *)s + i, n - i)) == 0) {
			src = REPLACEMENT;
			k = 3;
			i++;
		} else
			i += k;
		if (o + k > room) {
			left = 1;
			/* count what is left out, in characters */
			while (i < n) {
				size_t j = seq_len((const unsigned char *)s + i, n - i);

				i += j ? j : 1;
				left++;
			}
			break;
		}
		memcpy(out + o, src, k);
		o += k;
	}
	if (left > 0) {
		nl = (size_t)snprintf(note, sizeof(note), " \xE2\x80\xA6 (%zu more character%s)",
		    left, left == 1 ? "" : "s");
		if (o + nl > size - 1)
			nl = size - 1 - o;
		memcpy(out + o, note, nl);
		o += nl;
	}
	out[o] = '\0';
	return o;
}

void
rl_diag_set_pointer(rl_diag *d, const char *p, size_t len)
{
	if (d == NULL)
		return;
	d->path = NULL;
	rl_utf8_fit(d->pointer, sizeof(d->pointer), p, len);
}

void
rl_diag_put_pointer(rl_diag *d, const char *p, size_t len)
{
	rl_diag_set_pointer(d, p, len);
	/* pointers come from validated JSON: the whole one is borrowed as is */
	if (len >= sizeof(d->pointer)) {
		d->path = p;
		d->path_len = len;
	}
}

int
rl_diag_put_message(rl_diag *d, struct rl_arena *a, const char *s, size_t n)
{
	size_t m = rl_utf8_mended_len(s, n);
	char *t;

	d->text = NULL;
	rl_utf8_fit(d->message, sizeof(d->message), s, n);
	if (m < sizeof(d->message) || a == NULL)
		return 0;
	if ((t = rl_arena_alloc(a, m + 1)) == NULL)
		return -1;
	rl_utf8_fit(t, m + 1, s, n);
	d->text = t;
	return 0;
}

const char *
rl_diag_message(const rl_diag *d)
{
	return d->text != NULL ? d->text : d->message;
}

const char *
rl_diag_pointer(const rl_diag *d, size_t *len)
{
	if (d->path != NULL) {
		*len = d->path_len;
		return d->path;
	}
	*len = strlen(d->pointer);
	return d->pointer;
}

int
rl_diag_keep(rl_diag *d, size_t n, rl_arena *a)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (d[i].text != NULL && (d[i].text = rl_arena_strndup(a,
		    d[i].text, strlen(d[i].text))) == NULL)
			return -1;
		if (d[i].path != NULL && (d[i].path = rl_arena_strndup(a,
		    d[i].path, d[i].path_len)) == NULL)
			return -1;
	}
	return 0;
}
