/*
 * report_github.c: the github report (reflint(1), Output), GitHub
 * Actions workflow commands, ::error file=F,line=L::MESSAGE [CODE], the
 * first GITHUB_CAP of each severity, then how many more were found.
 */
#include "config.h"

#include <string.h>

#include "sink.h"

#define GITHUB_CAP 10           /* annotations shown per severity */

struct github_report {
	rl_sink base;
	unsigned long shown[RL_SEV_ERROR + 1];  /* by severity */
	unsigned long hidden[RL_SEV_ERROR + 1];
};

/* Workflow-command levels by severity: reflint's info is GitHub's notice. */
static const char *const gh_level[RL_SEV_ERROR + 1] = {
	[RL_SEV_INFO] = "notice",
	[RL_SEV_WARNING] = "warning",
	[RL_SEV_ERROR] = "error"
};

/*
 * Escapes of GitHub's workflow commands (toolkit's escapeData and
 * escapeProperty): % CR LF always, : and , in property values too.
 */
static int
gh_escape(rl_buf *b, const char *s, size_t len, int prop)
{
	size_t i, from = 0;

	for (i = 0; i < len; i++) {
		const char *e;

		switch (s[i]) {
		case '%': e = "%25"; break;
		case '\r': e = "%0D"; break;
		case '\n': e = "%0A"; break;
		case ':': e = prop ? "%3A" : NULL; break;
		case ',': e = prop ? "%2C" : NULL; break;
		default: e = NULL; break;
		}
		if (e == NULL)
			continue;
		if (rl_buf_append(b, s + from, i - from) == -1 ||
		    rl_buf_puts(b, e) == -1)
			return -1;
		from = i + 1;
	}
	return rl_buf_append(b, s + from, len - from);
}

/*
 * The first GITHUB_CAP of each severity; the rest, and the diagnostics a
 * record dropped beyond --max-errors-per-record, are counted for the
 * closing lines.  Without a file name (no source) the position is left
 * out.
 */
static int
github_lines(struct github_report *g, rl_buf *b, const rl_record *rec,
    const rl_result *res)
{
	unsigned long kept[RL_SEV_ERROR + 1] = { 0 };
	const size_t found[RL_SEV_ERROR + 1] = {
		0, res->infos, res->warnings, res->errors
	};
	size_t i;
	int s;

	for (i = 0; i < res->n; i++) {
		const rl_diag *d = &res->d[i];
		const char *code = rl_code_name(d->code);

		s = (int)d->severity;
		if (s < RL_SEV_INFO || s > RL_SEV_ERROR)
			continue;
		kept[s]++;
		if (g->shown[s] >= GITHUB_CAP) {
			g->hidden[s]++;
			continue;
		}
		g->shown[s]++;
		if (rl_buf_puts(b, "::") == -1 || rl_buf_puts(b, gh_level[s]) == -1)
			return -1;
		if (rec->source != NULL && rec->source[0] != '\0' &&
		    (rl_buf_puts(b, " file=") == -1 ||
		    gh_escape(b, rec->source, strlen(rec->source), 1) == -1 ||
		    rl_buf_puts(b, ",line=") == -1 ||
		    rl_buf_putu(b, d->line ? d->line : rec->line) == -1))
			return -1;
		if (rl_buf_puts(b, "::") == -1 ||
		    gh_escape(b, rl_diag_message(d), strlen(rl_diag_message(d)), 0) == -1 ||
		    rl_buf_puts(b, " [") == -1 ||
		    gh_escape(b, code, strlen(code), 0) == -1 ||
		    rl_buf_puts(b, "]\n") == -1)
			return -1;
	}
	for (s = RL_SEV_INFO; s <= RL_SEV_ERROR; s++)
		if (found[s] > kept[s])
			g->hidden[s] += found[s] - kept[s];
	return 0;
}

static int
github_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	struct github_report *g = (struct github_report *)s;
	struct github_report saved = *g;
	rl_buf *b = rl_sink_buf(s);
	size_t len = b->len;

	(void)err;
	if (github_lines(g, b, r->rec, r->res) == -1) {
		/* the counts too are as they were when memory runs out */
		memcpy(g->shown, saved.shown, sizeof(g->shown));
		memcpy(g->hidden, saved.hidden, sizeof(g->hidden));
		b->len = len;
		return -1;
	}
	return 0;
}

/*
 * The closing lines, most severe first, only for severities with hidden
 * annotations:
 *   ::error::12 more errors not shown
 *   ::warning::1 more warning not shown
 *   ::notice::3 more notices not shown
 */
static int
github_end(rl_sink *s, const rl_summary *sum, rl_diag *err)
{
	static const char *const noun[RL_SEV_ERROR + 1] = {
		[RL_SEV_INFO] = "notice",
		[RL_SEV_WARNING] = "warning",
		[RL_SEV_ERROR] = "error"
	};
	struct github_report *g = (struct github_report *)s;
	rl_buf *b = rl_sink_buf(s);
	size_t len = b->len;
	int v;

	(void)sum;
	(void)err;
	for (v = RL_SEV_ERROR; v >= RL_SEV_INFO; v--) {
		if (g->hidden[v] == 0)
			continue;
		if (rl_buf_printf(b, "::%s::%lu more %s%s not shown\n",
		    gh_level[v], g->hidden[v], noun[v],
		    g->hidden[v] == 1 ? "" : "s") == -1) {
			b->len = len;
			return -1;
		}
	}
	return 0;
}

const rl_sink_class rl_report_github = {
	.name = "github",
	.size = sizeof(struct github_report),
	.traits = RL_SINK_REPORT,
	.record = github_record,
	.end = github_end,
};
