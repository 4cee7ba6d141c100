/*
 * report_text.c: the text report, FILE:LINE: ID: SEVERITY: MESSAGE [CODE]
 * (reflint(1), Output), the severity word in colour with RL_REPORT_COLOR.
 * Every diagnostic of every record, of any severity, and the notes.
 */
#include "config.h"

#include <string.h>

#include "sink.h"

/*
 * Text from the input (ids, messages that quote it) and from the command
 * line (file names) in a report line: C0 controls, DEL and C1 controls
 * (U+0080-U+009F, which some terminals obey) are written as escapes, so
 * that no input can end the line, forge another one or move the cursor.
 * \n, \r and \t as such, the others as \xHH (bytes) or \u00HH (C1).
 * Backslashes are kept: the line stays as readable as the input.
 */
static int
put_text(rl_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0, k;
	char esc[8];
	int elen;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned char c2 = i + 1 < n ? (unsigned char)s[i + 1] : 0;

		if (c >= 0x20 && c != 0x7F && !(c == 0xC2 && c2 >= 0x80 &&
		    c2 <= 0x9F))
			continue;
		if (rl_buf_append(b, s + start, i - start) == -1)
			return -1;
		k = 1;
		esc[0] = '\\';
		if (c == '\n' || c == '\r' || c == '\t') {
			esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
			elen = 2;
		} else if (c == 0xC2) {
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c2 >> 4];
			esc[5] = hex[c2 & 15];
			elen = 6;
			k = 2;
		} else {
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			elen = 4;
		}
		if (rl_buf_append(b, esc, (size_t)elen) == -1)
			return -1;
		i += k - 1;
		start = i + 1;
	}
	return rl_buf_append(b, s + start, n - start);
}

/* "FILE:LINE: ID: ", every part escaped. */
static int
put_where(rl_buf *b, const rl_record *rec, const rl_result *res,
    unsigned long line)
{
	const char *src = rec->source ? rec->source : "";

	if (put_text(b, src, strlen(src)) == -1 || rl_buf_putc(b, ':') == -1 ||
	    rl_buf_putu(b, line) == -1 || rl_buf_puts(b, ": ") == -1)
		return -1;
	if (res->id != NULL) {
		if (put_text(b, res->id->u.s.ptr, res->id->u.s.len) == -1)
			return -1;
	} else if (rl_buf_putc(b, '-') == -1)
		return -1;
	return rl_buf_puts(b, ": ");
}

/* SGR colours of the severity word (GCC's choice of red for errors). */
static const char *const sev_color[RL_SEV_ERROR + 1] = {
	[RL_SEV_INFO] = "\033[36m",
	[RL_SEV_WARNING] = "\033[33m",
	[RL_SEV_ERROR] = "\033[31m"
};
#define SGR_RESET "\033[0m"

/* The severity word, wrapped in its colour when color is set. */
static int
put_severity(rl_buf *b, rl_severity sev, int color)
{
	const char *word = rl_severity_name(sev);

	if (!color || sev < RL_SEV_INFO || sev > RL_SEV_ERROR)
		return rl_buf_puts(b, word);
	return rl_buf_puts(b, sev_color[sev]) == -1 ||
	    rl_buf_puts(b, word) == -1 || rl_buf_puts(b, SGR_RESET) == -1 ?
	    -1 : 0;
}

static int
text_lines(rl_buf *b, const rl_record *rec, const rl_result *res, int color)
{
	size_t i;

	for (i = 0; i < res->n; i++) {
		const rl_diag *d = &res->d[i];

		/* puts and putu, not printf: a rejected batch has many lines */
		if (put_where(b, rec, res, d->line ? d->line : rec->line) == -1 ||
		    put_severity(b, d->severity, color) == -1 ||
		    rl_buf_puts(b, ": ") == -1 ||
		    (d->op >= 0 && (rl_buf_puts(b, "op ") == -1 ||
		    rl_buf_putu(b, (unsigned long long)d->op) == -1 ||
		    rl_buf_puts(b, ": ") == -1)) ||
		    put_text(b, rl_diag_message(d), strlen(rl_diag_message(d))) == -1 ||
		    rl_buf_puts(b, " [") == -1 ||
		    rl_buf_puts(b, rl_code_name(d->code)) == -1 ||
		    rl_buf_puts(b, "]\n") == -1)
			return -1;
	}
	if (res->dropped > 0 &&
	    (put_where(b, rec, res, rec->line) == -1 ||
	    rl_buf_printf(b, "note: %zu more problems not shown\n",
	    res->dropped) == -1))
		return -1;
	return 0;
}

int
rl_out_text(rl_buf *b, const rl_record *rec, const rl_result *res)
{
	size_t len = b->len;

	if (text_lines(b, rec, res, 0) == -1) {
		b->len = len;
		return -1;
	}
	return 0;
}

static int
text_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	rl_buf *b = rl_sink_buf(s);
	size_t len = b->len;

	(void)err;
	if (text_lines(b, r->rec, r->res, (s->flags & RL_REPORT_COLOR) != 0) == -1) {
		b->len = len;
		return -1;
	}
	return 0;
}

const rl_sink_class rl_report_text = {
	.name = "text",
	.size = sizeof(rl_sink),
	.traits = RL_SINK_REPORT,
	.record = text_record,
};
