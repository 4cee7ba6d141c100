/*
 * sink_summary.c: the summary of a run (reflint(1), Summary): as one JSON
 * object (the --summary file, whose sink is here, and the json report's
 * last member) and as the line the command prints on stderr.
 */
#include "config.h"

#include <string.h>

#include "sink.h"

/* Restores the buffer to its length on entry and fails. */
static int
undo(rl_buf *b, size_t len)
{
	b->len = len;
	return -1;
}

static int
put_count(rl_buf *b, const char *key, unsigned long long n)
{
	return rl_buf_puts(b, key) == -1 || rl_buf_putu(b, n) == -1 ? -1 : 0;
}

/* S.mmm from milliseconds, by hand: no locale can change the point. */
static int
put_seconds(rl_buf *b, uint64_t ms)
{
	char frac[4];

	frac[0] = (char)('0' + ms / 100 % 10);
	frac[1] = (char)('0' + ms / 10 % 10);
	frac[2] = (char)('0' + ms % 10);
	frac[3] = '\0';
	return rl_buf_putu(b, ms / 1000) == -1 || rl_buf_putc(b, '.') == -1 ||
	    rl_buf_puts(b, frac) == -1 ? -1 : 0;
}

/* The JSON names of the reasons to stop, and their sentences in text. */
static const struct {
	const char *name, *text;
} stops[] = {
	[RL_STOP_MAX_ERRORS] = { "max-errors", NULL },
	[RL_STOP_OUTPUT_CLOSED] = { "output-closed",
	    "; reading stopped: an output pipe was closed" },
};

/* ,"stopped":"…","unreadBytes":N|null, or nothing when not stopped */
static int
put_stopped_json(rl_buf *b, const rl_summary *s)
{
	if (s->stopped == RL_STOP_NONE)
		return 0;
	if (rl_buf_puts(b, ",\"stopped\":\"") == -1 ||
	    rl_buf_puts(b, stops[s->stopped].name) == -1 ||
	    rl_buf_puts(b, "\",\"unreadBytes\":") == -1)
		return -1;
	return (s->unread_unknown ? rl_buf_puts(b, "null") :
	    rl_buf_putu(b, s->unread)) == -1 ? -1 : 0;
}

int
rl_summary_json(rl_buf *b, const rl_summary *s)
{
	size_t len = b->len;
	int first = 1, c;

	if (put_count(b, "{\"read\":", s->read) == -1 ||
	    put_count(b, ",\"accepted\":", s->accepted) == -1 ||
	    put_count(b, ",\"rejected\":", s->rejected) == -1 ||
	    put_count(b, ",\"errors\":", s->errors) == -1 ||
	    put_count(b, ",\"warnings\":", s->warnings) == -1 ||
	    put_count(b, ",\"infos\":", s->infos) == -1 ||
	    rl_buf_puts(b, ",\"byCode\":{") == -1)
		return undo(b, len);
	for (c = RL_OK + 1; c < RL_CODE_COUNT; c++) {
		const char *name = rl_code_name((rl_code)c);

		if (s->by_code[c] == 0)
			continue;
		if ((!first && rl_buf_putc(b, ',') == -1) ||
		    rl_json_quote(b, name, strlen(name)) == -1 ||
		    put_count(b, ":", s->by_code[c]) == -1)
			return undo(b, len);
		first = 0;
	}
	if (put_count(b, "},\"bytes\":", s->bytes) == -1 ||
	    put_stopped_json(b, s) == -1 ||
	    rl_buf_puts(b, ",\"seconds\":\"") == -1 ||
	    put_seconds(b, s->elapsed_ms) == -1 ||
	    rl_buf_puts(b, "\"}") == -1)
		return undo(b, len);
	return 0;
}

/* "N word" or "1 word" without the plural s. */
static int
put_counted(rl_buf *b, unsigned long long n, const char *word)
{
	return rl_buf_putu(b, n) == -1 || rl_buf_putc(b, ' ') == -1 ||
	    rl_buf_puts(b, word) == -1 || (n != 1 && rl_buf_putc(b, 's') == -1) ?
	    -1 : 0;
}

/*
 * Input size for people: "N bytes" below 1000, else one decimal in SI
 * units (1 kB = 1000 bytes), rounded half up: 1234567 bytes is "1.2 MB".
 */
static int
put_size(rl_buf *b, uint64_t n)
{
	static const char *const unit[] = { "kB", "MB", "GB", "TB", "PB", "EB" };
	uint64_t u = 1000, tenths;
	size_t k = 0;

	if (n < 1000)
		return put_counted(b, n, "byte");
	for (;;) {
		tenths = n / u * 10 + (n % u * 10 + u / 2) / u;
		if (tenths < 10000 || k + 1 == sizeof(unit) / sizeof(unit[0]))
			break;
		u *= 1000;
		k++;
	}
	return rl_buf_putu(b, tenths / 10) == -1 || rl_buf_putc(b, '.') == -1 ||
	    rl_buf_putc(b, (char)('0' + tenths % 10)) == -1 ||
	    rl_buf_putc(b, ' ') == -1 || rl_buf_puts(b, unit[k]) == -1 ? -1 : 0;
}

/*
 * "; reading stopped after 5 rejected records (--max-errors); 12.3 kB not
 * read", or "...; the size of what was not read is unknown"; nothing when
 * the run read everything.
 */
static int
put_stopped_text(rl_buf *b, const rl_summary *s)
{
	if (s->stopped == RL_STOP_NONE)
		return 0;
	if (stops[s->stopped].text != NULL) {
		if (rl_buf_puts(b, stops[s->stopped].text) == -1)
			return -1;
	} else if (rl_buf_puts(b, "; reading stopped after ") == -1 ||
	    put_counted(b, s->rejected, "rejected record") == -1 ||
	    rl_buf_puts(b, " (--max-errors)") == -1)
		return -1;
	if (s->unread_unknown)
		return rl_buf_puts(b, "; the size of what was not read is unknown");
	return rl_buf_puts(b, "; ") == -1 || put_size(b, s->unread) == -1 ||
	    rl_buf_puts(b, " not read") == -1 ? -1 : 0;
}

/*
 * reflint: 1200 records: 1150 accepted, 50 rejected (73 errors,
 * 12 warnings) in 0.84 s, 1.2 MB\n -- infos are named only when there are
 * some; seconds to the hundredth, rounded half up; then why reading
 * stopped, when it did.
 */
int
rl_summary_text(rl_buf *b, const rl_summary *s)
{
	size_t len = b->len;
	uint64_t cs = s->elapsed_ms / 10 + (s->elapsed_ms % 10 >= 5);
	char frac[3];

	frac[0] = (char)('0' + cs / 10 % 10);
	frac[1] = (char)('0' + cs % 10);
	frac[2] = '\0';
	if (rl_buf_puts(b, "reflint: ") == -1 ||
	    put_counted(b, s->read, "record") == -1 ||
	    put_count(b, ": ", s->accepted) == -1 ||
	    put_count(b, " accepted, ", s->rejected) == -1 ||
	    rl_buf_puts(b, " rejected (") == -1 ||
	    put_counted(b, s->errors, "error") == -1 ||
	    rl_buf_puts(b, ", ") == -1 ||
	    put_counted(b, s->warnings, "warning") == -1 ||
	    (s->infos > 0 && (rl_buf_puts(b, ", ") == -1 ||
	    put_counted(b, s->infos, "info") == -1)) ||
	    put_count(b, ") in ", cs / 100) == -1 ||
	    rl_buf_putc(b, '.') == -1 || rl_buf_puts(b, frac) == -1 ||
	    rl_buf_puts(b, " s, ") == -1 || put_size(b, s->bytes) == -1 ||
	    put_stopped_text(b, s) == -1 || rl_buf_putc(b, '\n') == -1)
		return undo(b, len);
	return 0;
}

/* --summary FILE: the JSON object and a newline, once the run is over. */
static int
summary_end(rl_sink *s, const rl_summary *sum, rl_diag *err)
{
	rl_buf *b = rl_sink_buf(s);
	size_t len = b->len;

	(void)err;
	if (rl_summary_json(b, sum) == -1 || rl_buf_putc(b, '\n') == -1)
		return undo(b, len);
	return 0;
}

const rl_sink_class rl_sink_summary = {
	.name = "summary",
	.size = sizeof(rl_sink),
	.end = summary_end,
};
