/*
 * cli.c: the command's voice and its help (cli.h): the one printer of its
 * messages, the progress line, the table of options behind COMMAND --help
 * and "did you mean", and the parsers of sizes and counts.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "decode.h"

static void progress_redraw(void);

static const char *progname = "reflint";

void
rl_cli_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: reflint check [inputs] [outputs] [verdicts] [display] [limits] [FILE ...]\n"
	    "       reflint apply [inputs] [outputs] [verdicts] [display] [limits] [FILE ...]\n"
	    "       reflint eligibility [inputs] [limits] [FILE ...]\n"
	    "       reflint patch [limits] DOC PATCH\n"
	    "       reflint rules [--rules DIR] [--list | --lint]\n"
	    "       reflint --help | --version\n"
	    "inputs:   --rules DIR --now DATE-TIME --referrals FILE --catalog FILE\n"
	    "          --rates FILE --accounts FILE --partner-eligibility FILE\n"
	    "          --input-format ndjson|json|csv --delimiter ,|;|tab\n"
	    "          --encoding utf-8|utf-16|windows-1252 --date-order mdy|dmy\n"
	    "outputs:  --accepted FILE --rejected FILE --report FORMAT[:FILE]\n"
	    "          --summary FILE --no-bom --emit tagged --source-name NAME\n"
	    "          --line-offset N --record-offset N\n"
	    "verdicts: --fail-on error|warning|never --max-errors N\n"
	    "          --max-errors-per-record N --disable CODE,...\n"
	    "          --severity CODE=LEVEL,...\n"
	    "display:  --quiet --color auto|always|never --progress --no-progress\n"
	    "          --threads N --chunk-size N\n"
	    "limits:   --max-depth N --max-record SIZE --max-string SIZE\n"
	    "          --max-record-memory SIZE --max-ops N\n");
}


/*
 * Every option, for COMMAND --help and for "did you mean": the commands
 * that take it, its argument and one line on what it does.
 */
static const struct optdoc {
	const char *name, *arg;
	unsigned cmds;
	const char *text;
} optdocs[] = {
	{ "--rules", "DIR", C_RUN | C_RULES,
	  "the rules (default: $REFLINT_RULES, else the installed ones)" },
	{ "--now", "DATE-TIME", C_RUN, "reference time, RFC 3339 (default: the clock)" },
	{ "--referrals", "FILE", C_RUN, "snapshot of the referrals; repeatable" },
	{ "--catalog", "FILE", C_RUN, "solution id to incentives" },
	{ "--rates", "FILE", C_RUN, "exchange rates to the base currency" },
	{ "--accounts", "FILE", C_RUN, "referral or engagement id to account type" },
	{ "--partner-eligibility", "FILE", C_RUN, "the partner eligibility API's answer" },
	{ "--input-format", "ndjson|json|csv", C_RUN, "read inputs as this format (default: detect)" },
	{ "--delimiter", ",|;|tab", C_RUN, "CSV delimiter (default: from the header)" },
	{ "--encoding", "utf-8|utf-16|windows-1252", C_RUN,
	  "text encoding of CSV inputs (default: detect, else UTF-8)" },
	{ "--date-order", "mdy|dmy", C_RUN,
	  "CSV dates as MM/DD/YYYY or DD/MM/YYYY (default: mdy, ambiguous ones noted)" },
	{ "--accepted", "FILE", C_CA, "accepted lines (default: -, standard output)" },
	{ "--rejected", "FILE", C_CA, "rejected lines with their errors" },
	{ "--report", "FORMAT[:FILE]", C_CA,
	  "text, json, csv, github, csv-rows or xlsx (default: text on stderr)" },
	{ "--summary", "FILE", C_CA, "the summary as one JSON object" },
	{ "--no-bom", NULL, C_CA, "no byte-order mark in CSV reports" },
	{ "--emit", "tagged", C_CA, "mapper mode: one tagged line per record on -" },
	{ "--source-name", "NAME", C_CA, "file name written in positions" },
	{ "--line-offset", "N", C_CA, "added to every line number" },
	{ "--record-offset", "N", C_CA, "added to every record number" },
	{ "--fail-on", "error|warning|never", C_CA, "what makes the exit status 1 (default: error)" },
	{ "--max-errors", "N", C_CA, "stop after N rejected records" },
	{ "--max-errors-per-record", "N", C_CA, "problems kept per record (default: 20)" },
	{ "--disable", "CODE,...", C_RUN, "turn diagnostic codes off" },
	{ "--severity", "CODE=LEVEL,...", C_RUN, "level of codes: error, warning, info or none" },
	{ "--quiet", NULL, C_RUN, "no text report, summary or progress on stderr" },
	{ "--color", "auto|always|never", C_CA, "colour the text report (default: auto)" },
	{ "--progress", NULL, C_CA, "progress line on a terminal (the default)" },
	{ "--no-progress", NULL, C_CA, "no progress line" },
	{ "--threads", "N", C_RUN, "read and judge on N threads (default: the CPUs)" },
	{ "--chunk-size", "N", C_RUN, "bytes of NDJSON or CSV a thread takes at a time (default: 262144)" },
	{ "--max-depth", "N", C_LIM, "deepest nesting of arrays and objects (default: 128)" },
	{ "--max-record", "SIZE", C_LIM, "largest record (default: 64M)" },
	{ "--max-string", "SIZE", C_LIM, "longest string after unescaping (default: 16M)" },
	{ "--max-record-memory", "SIZE", C_LIM, "memory for one record's values (default: 8 x --max-record)" },
	{ "--max-ops", "N", C_LIM, "most operations in one patch (default: 10000)" },
	{ "--list", NULL, C_RULES, "list the diagnostic codes with their levels" },
	{ "--lint", NULL, C_RULES, "check the rules, print only problems" },
	{ "--help", NULL, C_ALL, "print this help and exit" },
};

static const struct cmddoc {
	const char *name;
	unsigned bit;
	const char *args, *text;
} cmddocs[] = {
	{ "check", C_CHECK, "[options] [FILE ...]",
	  "judge each update; accepted lines on standard output" },
	{ "apply", C_APPLY, "[options] [FILE ...]",
	  "as check, the accepted lines being the referrals after the patch" },
	{ "eligibility", C_ELIG, "[options] [FILE ...]",
	  "the deal-registration eligibility answer for each record" },
	{ "patch", C_PATCH, "[options] DOC PATCH",
	  "apply a plain RFC 6902 JSON Patch to a document" },
	{ "rules", C_RULES, "[options]",
	  "print, list (--list) or check (--lint) the rules" },
};


/*
 * The one printer of the command's own messages (per-record diagnostics
 * are the report writers' business):
 *
 *	reflint: FILE[:LINE[:COLUMN]]: message [CODE]
 *
 * FILE and its position when there is one, the code when there is one.
 * A progress line on the terminal is cleared first and drawn again after.
 */
void
rl_say(rl_code code, const char *file, unsigned long line, unsigned long column,
    const char *msg)
{
	const char *name = code != RL_OK ? rl_code_name(code) : NULL;

	rl_progress_hide();
	flockfile(stderr);
	fprintf(stderr, "%s: ", progname);
	if (file != NULL) {
		fputs(file, stderr);
		if (line != 0) {
			fprintf(stderr, ":%lu", line);
			if (column != 0)
				fprintf(stderr, ":%lu", column);
		}
		fputs(": ", stderr);
	}
	fputs(msg, stderr);
	if (name != NULL)
		fprintf(stderr, " [%s]", name);
	fputc('\n', stderr);
	funlockfile(stderr);
	progress_redraw();
}

/* A problem the library described. */
void
rl_say_diag(const rl_diag *d)
{
	rl_say(d->code, d->source, d->line, d->column, d->message);
}


/* A message of the command, about file when it is not NULL. */
void
rl_sayf(rl_code code, const char *file, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rl_say(code, file, 0, 0, msg);
}


/*
 * Ends a run that wrote on standard output through stdio: a write error,
 * a full disk say, is an I/O error (exit 4).
 */
int
rl_cli_finish_stdout(void)
{
	int bad = fflush(stdout) == EOF || ferror(stdout), e = errno;

	if (fclose(stdout) == EOF && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		rl_sayf(RL_IO_ERROR, "-", "cannot write: %s", strerror(e));
		return EXIT_IO;
	}
	return EXIT_OK;
}

static void
print_options(unsigned mask, int all)
{
	char left[64];
	size_t i;

	for (i = 0; i < sizeof(optdocs) / sizeof(optdocs[0]); i++) {
		const struct optdoc *od = &optdocs[i];

		if (all ? (od->cmds & mask) == 0 : (od->cmds & mask) != mask)
			continue;
		snprintf(left, sizeof(left), "%s%s%s", od->name,
		    od->arg ? " " : "", od->arg ? od->arg : "");
		printf("  %-31s %s\n", left, od->text);
	}
}

/* reflint COMMAND --help: the command's options, one line each. */
int
rl_cli_help_command(unsigned bit)
{
	size_t i;

	for (i = 0; i < sizeof(cmddocs) / sizeof(cmddocs[0]); i++)
		if (cmddocs[i].bit == bit)
			printf("usage: reflint %s %s\n%c%s.\n\noptions:\n",
			    cmddocs[i].name, cmddocs[i].args,
			    toupper((unsigned char)cmddocs[i].text[0]), cmddocs[i].text + 1);
	print_options(bit, 1);
	if (bit & C_LIM)
		printf("\nA SIZE is bytes, or k, M or G for KiB, MiB or GiB (64M).\n");
	return rl_cli_finish_stdout();
}

/* reflint --help: the synopsis, the commands and the options they share. */
int
rl_cli_help_all(void)
{
	size_t i;

	rl_cli_usage(stdout);
	printf("\ncommands:\n");
	for (i = 0; i < sizeof(cmddocs) / sizeof(cmddocs[0]); i++)
		printf("  %-12s %s\n", cmddocs[i].name, cmddocs[i].text);
	printf("\noptions of check, apply and eligibility:\n");
	print_options(C_RUN, 0);
	printf("\nA SIZE is bytes, or k, M or G for KiB, MiB or GiB (64M).\n"
	    "Each command lists all of its options with COMMAND --help.\n");
	return rl_cli_finish_stdout();
}

/* The bit of a command name; 0 when it is none. */
unsigned
rl_cli_command_bit(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmddocs) / sizeof(cmddocs[0]); i++)
		if (strcmp(name, cmddocs[i].name) == 0)
			return cmddocs[i].bit;
	return 0;
}

/* Edit distance of a and b (insertions, deletions, changes, swaps). */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[40][40];

	if (la >= 40 || lb >= 40)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	return d[la][lb];
}

/*
 * An unknown option of the command bit: says so, with the nearest option
 * of that command (within two edits, or one that it begins) when there
 * is one.  Returns EXIT_USAGE.
 */
int
rl_cli_unknown_option(const char *arg, unsigned bit)
{
	const char *best = NULL, *cmd = "";
	size_t i, n = strcspn(arg, "="), score, best_score = 3;
	char name[40];

	for (i = 0; i < sizeof(cmddocs) / sizeof(cmddocs[0]); i++)
		if (cmddocs[i].bit == bit)
			cmd = cmddocs[i].name;
	snprintf(name, sizeof(name), "%.*s", (int)(n < 39 ? n : 39), arg);
	for (i = 0; i < sizeof(optdocs) / sizeof(optdocs[0]); i++) {
		const struct optdoc *od = &optdocs[i];

		if (strcmp(name, od->name) == 0) {
			warnx_("%s is not an option of %s (see reflint %s --help)",
			    name, cmd, cmd);
			return EXIT_USAGE;
		}
		if (!(od->cmds & bit))
			continue;
		score = distance(name, od->name);
		if (score > 2 && n >= 3 && strncmp(name, od->name, n) == 0)
			score = 3;
		if (score <= 3 && (best == NULL || score < best_score)) {
			best = od->name;
			best_score = score;
		}
	}
	if (best != NULL)
		warnx_("unknown option %s: did you mean %s?", name, best);
	else
		warnx_("unknown option %s (see reflint %s --help)", name, cmd);
	return EXIT_USAGE;
}

/*
 * Parses a size: a positive number of bytes, or of KiB, MiB or GiB with
 * a k (or K), M or G suffix; 0 on error.
 */
unsigned long long
rl_cli_parse_size(const char *s)
{
	unsigned long long v;
	unsigned shift = 0;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return 0;
	if ((*end == 'k' || *end == 'K') && end[1] == '\0')
		shift = 10;
	else if (*end == 'M' && end[1] == '\0')
		shift = 20;
	else if (*end == 'G' && end[1] == '\0')
		shift = 30;
	else if (*end != '\0')
		return 0;
	if (v > (SIZE_MAX >> shift))
		return 0;
	return v << shift;
}

/* Parses a positive decimal count; 0 on error. */
int
rl_cli_csv_words(const char *encoding, const char *date_order, int *enc,
    char *order)
{
	if (encoding != NULL && rl_encoding_lookup(encoding) < 0) {
		warnx_("--encoding %s: use utf-8, utf-16 or windows-1252", encoding);
		return EXIT_USAGE;
	}
	if (date_order != NULL && strcmp(date_order, "mdy") != 0 &&
	    strcmp(date_order, "dmy") != 0) {
		warnx_("--date-order %s: use mdy or dmy", date_order);
		return EXIT_USAGE;
	}
	if (enc != NULL)
		*enc = encoding != NULL ? rl_encoding_lookup(encoding) : 0;
	if (order != NULL)
		*order = date_order != NULL ? date_order[0] : 0;
	return 0;
}

unsigned long long
rl_cli_parse_count(const char *s)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	return v;
}

/*
 * Progress on stderr, only on a terminal and in the foreground.  The line
 * is kept so that it can be taken off the terminal before any other line
 * is written there (a message, a report line) and put back after.
 */
static struct progress {
	int on;
	int shown;              /* the line is on the terminal */
	char line[256];         /* the last line drawn, without "\r" */
} prog;

static int
foreground(void)
{
	pid_t pg = tcgetpgrp(STDERR_FILENO);

	return pg != -1 && pg == getpgrp();
}

void
rl_progress_hide(void)
{
	if (prog.shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

static void
progress_redraw(void)
{
	if (prog.shown && foreground()) {
		fprintf(stderr, "\r%s\033[K", prog.line);
		fflush(stderr);
	}
}

/* The batch writes to a terminal: clear the line before, draw it after. */
void
rl_progress_on_terminal(void *ctx, int before)
{
	(void)ctx;
	if (before)
		rl_progress_hide();
	else
		progress_redraw();
}

void
rl_progress_show(void *ctx, const rl_summary *s, uint64_t total)
{
	struct progress *p = &prog;
	unsigned long long rate = s->elapsed_ms ?
	    (unsigned long long)s->read * 1000 / s->elapsed_ms : 0;
	char *line = p->line;
	size_t size = sizeof(p->line);
	int n;

	(void)ctx;
	if (!p->on || !foreground())
		return;
	n = snprintf(line, size,
	    "%lu records, %llu MB, %llu records/s, %lu accepted, %lu rejected",
	    s->read, (unsigned long long)(s->bytes >> 20), rate, s->accepted,
	    s->rejected);
	if (total > 0 && s->bytes <= total && s->bytes > 0 && n > 0 &&
	    (size_t)n < size) {
		uint64_t left_ms = (uint64_t)((double)s->elapsed_ms *
		    (double)(total - s->bytes) / (double)s->bytes);

		n += snprintf(line + n, size - (size_t)n,
		    ", %u%%, %llu s left", (unsigned)(s->bytes * 100 / total),
		    (unsigned long long)(left_ms / 1000));
	}
	if (n > 0) {
		p->shown = 1;
		progress_redraw();
	}
}

int
rl_progress_start(int on)
{
	memset(&prog, 0, sizeof(prog));
	prog.on = on;
	return on;
}

void
rl_progress_end(void)
{
	rl_progress_hide();
	prog.shown = 0;
}

/* ---- what every command reads with ------------------------------------ */

/*
 * Reader options shared by every command.  REFLINT_READ_BUFFER sets the
 * read(2) size: the golden tests re-run every input with sizes 1 to 31.
 */
void
rl_cli_reader_defaults(rl_reader_opts *o)
{
	const char *e = getenv("REFLINT_READ_BUFFER");

	memset(o, 0, sizeof(*o));
	if (e != NULL)
		o->bufsize = (size_t)rl_cli_parse_count(e);
}


/*
 * Takes a limit option at argv[*i] if there is one: 1 = taken, 0 = not a
 * limit option, -1 = bad value (already reported).
 */
int
rl_cli_limit_option(rl_reader_opts *o, size_t *max_ops, int argc, char **argv,
    int *i)
{
	const char *name = argv[*i];
	unsigned long long v;
	int size;

	if (strcmp(name, "--max-depth") != 0 &&
	    strcmp(name, "--max-record") != 0 &&
	    strcmp(name, "--max-string") != 0 &&
	    strcmp(name, "--max-record-memory") != 0 &&
	    strcmp(name, "--max-ops") != 0)
		return 0;
	size = strcmp(name, "--max-depth") != 0 && strcmp(name, "--max-ops") != 0;
	if (*i + 1 >= argc) {
		warnx_("%s needs a value: %s", name, size ? RL_SIZE_FORMS : RL_COUNT_FORMS);
		return -1;
	}
	if ((v = size ? rl_cli_parse_size(argv[*i + 1]) : rl_cli_parse_count(argv[*i + 1])) == 0) {
		warnx_("%s %s: not %s", name, argv[*i + 1],
		    size ? "a size: " RL_SIZE_FORMS : "a count: " RL_COUNT_FORMS);
		return -1;
	}
	++*i;
	if (strcmp(name, "--max-depth") == 0)
		o->max_depth = v > UINT_MAX ? UINT_MAX : (unsigned)v;
	else if (strcmp(name, "--max-record") == 0)
		o->max_record = (size_t)v;
	else if (strcmp(name, "--max-record-memory") == 0)
		o->max_memory = (size_t)v;
	else if (strcmp(name, "--max-ops") == 0)
		*max_ops = (size_t)v;
	else
		o->max_string = (size_t)v;
	return 1;
}

/* Reads a whole file (or stdin for "-") into b; -1 with errno. */
int
rl_cli_slurp(const char *path, rl_buf *b)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
	int n;

	if (fd == -1)
		return -1;
	n = rl_buf_read_fd(b, fd, 0);
	if (fd != STDIN_FILENO) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return n == -1 ? -1 : 0;
}

int
rl_cli_write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* --rules DIR, else REFLINT_RULES, else the installed rules. */
const char *
rl_cli_rules_dir(const char *opt)
{
	const char *e = getenv("REFLINT_RULES");

	if (opt != NULL)
		return opt;
	if (e != NULL && *e != '\0')
		return e;
	return RL_PKGDATADIR "/rules";
}

void
rl_cli_print_diag(void *ctx, const rl_diag *d)
{
	(void)ctx;
	rl_say_diag(d);
}
