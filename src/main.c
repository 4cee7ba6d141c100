/*
 * main.c: the reflint command.  It parses arguments, opens files, prints,
 * and maps the worst result to the exit status; everything else is in the
 * library (the other files of src/).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "cli.h"
#include "batch.h"
#include "outfile.h"
#include "report.h"
#include "sink.h"
#include "snapshot.h"
#include "buf.h"
#include "diag.h"
#include "json.h"
#include "datetime.h"
#include "output.h"
#include "patch.h"
#include "policies.h"
#include "reader.h"
#include "rules.h"
#include "validate.h"

/* ---- rules ---------------------------------------------------------- */

/* ---- check, apply and eligibility ------------------------------------ */

#define THREADS_AUTO ULONG_MAX
#define MAX_THREADS 64

/* Options of check, apply and eligibility. */
struct run_opts {
	const char *dir, *accepted, *rejected, *now, *summary;
	const char *catalog, *rates, *accounts, *partner;
	const char *emit, *source_name, *fail_on, *color, *input_format;
	size_t max_errors, max_ops;
	unsigned long max_rejected, line_offset, record_offset;
	unsigned long threads;  /* --threads; THREADS_AUTO: by the CPUs */
	unsigned long chunk;    /* --chunk-size; 0: the default */
	int quiet, progress, no_bom;
	rl_reader_opts ro;
	char **files;
	int nfiles;
	char **sev;             /* --disable / --severity arguments, in order */
	char *sevkind;          /* 'd' or 's' for each */
	int nsev;
	char **referrals;
	int nreferrals;
	char **reports;         /* FORMAT[:FILE] */
	int nreports;
	const char *delimiter;  /* --delimiter, checked by check_words */
	const char *encoding, *date_order;      /* likewise (cli.c) */
};

/* Options that take a string, and where it goes. */
static const char **
run_option(struct run_opts *o, const char *name, int check)
{
	static const struct {
		const char *name;
		int check_only;
		size_t off;
	} opts[] = {
		{ "--rules", 0, offsetof(struct run_opts, dir) },
		{ "--now", 0, offsetof(struct run_opts, now) },
		{ "--catalog", 0, offsetof(struct run_opts, catalog) },
		{ "--rates", 0, offsetof(struct run_opts, rates) },
		{ "--accounts", 0, offsetof(struct run_opts, accounts) },
		{ "--partner-eligibility", 0, offsetof(struct run_opts, partner) },
		{ "--input-format", 0, offsetof(struct run_opts, input_format) },
		{ "--delimiter", 0, offsetof(struct run_opts, delimiter) },
		{ "--encoding", 0, offsetof(struct run_opts, encoding) },
		{ "--date-order", 0, offsetof(struct run_opts, date_order) },
		{ "--accepted", 1, offsetof(struct run_opts, accepted) },
		{ "--rejected", 1, offsetof(struct run_opts, rejected) },
		{ "--summary", 1, offsetof(struct run_opts, summary) },
		{ "--emit", 0, offsetof(struct run_opts, emit) },
		{ "--source-name", 1, offsetof(struct run_opts, source_name) },
		{ "--fail-on", 1, offsetof(struct run_opts, fail_on) },
		{ "--color", 1, offsetof(struct run_opts, color) },
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strcmp(name, opts[i].name) == 0 && (check || !opts[i].check_only))
			return (const char **)(void *)((char *)o + opts[i].off);
	return NULL;
}

/* Options that take a count, and where it goes (check and apply only). */
static unsigned long *
count_option(struct run_opts *o, const char *name, int check)
{
	/* every command of records runs on the CPUs */
	if (strcmp(name, "--threads") == 0)
		return &o->threads;
	if (strcmp(name, "--chunk-size") == 0)
		return &o->chunk;
	if (!check)
		return NULL;
	if (strcmp(name, "--max-errors") == 0)
		return &o->max_rejected;
	if (strcmp(name, "--line-offset") == 0)
		return &o->line_offset;
	if (strcmp(name, "--record-offset") == 0)
		return &o->record_offset;
	return NULL;
}

/* Is s one of the words of list (NULL-terminated)? */
static int
one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* --delimiter's byte: ",", ";", "tab" or a tab character; 0 = none of them. */
static char
csv_delimiter(const char *s)
{
	if (strcmp(s, ",") == 0 || strcmp(s, ";") == 0 || strcmp(s, "\t") == 0)
		return s[0];
	if (strcmp(s, "tab") == 0 || strcmp(s, "TAB") == 0)
		return '\t';
	return 0;
}

/* Checks the values of the options that take a word; 0 or EXIT_USAGE. */
static int
check_words(const struct run_opts *o)
{
	static const char *const fail_on[] = { "error", "warning", "never", NULL };
	static const char *const color[] = { "auto", "always", "never", NULL };
	static const char *const emit[] = { "tagged", NULL };
	static const char *const fmt[] = { "ndjson", "json", "csv", NULL };
	int i;

	if (o->fail_on != NULL && !one_of(o->fail_on, fail_on)) {
		warnx_("--fail-on %s: the level is error, warning or never", o->fail_on);
		return EXIT_USAGE;
	}
	if (o->color != NULL && !one_of(o->color, color)) {
		warnx_("--color %s: use auto, always or never", o->color);
		return EXIT_USAGE;
	}
	if (o->emit != NULL && !one_of(o->emit, emit)) {
		warnx_("--emit %s: the only mode is tagged", o->emit);
		return EXIT_USAGE;
	}
	if (o->input_format != NULL && !one_of(o->input_format, fmt)) {
		warnx_("--input-format %s: use ndjson, json or csv", o->input_format);
		return EXIT_USAGE;
	}
	if (o->delimiter != NULL && csv_delimiter(o->delimiter) == 0) {
		warnx_("--delimiter %s: use ',', ';' or tab", o->delimiter);
		return EXIT_USAGE;
	}
	if (rl_cli_csv_words(o->encoding, o->date_order, NULL, NULL) != 0)
		return EXIT_USAGE;
	if (o->emit != NULL && (o->accepted != NULL || o->rejected != NULL)) {
		warnx_("--emit tagged writes one stream on standard output (-): %s",
		    "--accepted and --rejected do not apply");
		return EXIT_USAGE;
	}
	for (i = 0; i < o->nreports; i++) {
		const char *r = o->reports[i], *colon = strchr(r, ':');
		size_t n = colon ? (size_t)(colon - r) : strlen(r);

		if (rl_sink_report(r, n) == NULL) {
			warnx_("--report %s: the format is text, json, csv, github, csv-rows or xlsx",
			    r);
			return EXIT_USAGE;
		}
		/* a workbook is a file, never the terminal's */
		if (n == 4 && memcmp(r, "xlsx", 4) == 0 && colon == NULL) {
			warnx_("--report %s: a workbook needs a file: xlsx:FILE", r);
			return EXIT_USAGE;
		}
		if (colon != NULL && colon[1] == '\0') {
			warnx_("--report %s: the file name is missing", r);
			return EXIT_USAGE;
		}
	}
	return 0;
}


/*
 * Parses the arguments of check and apply (check = 1) or eligibility;
 * 0 or EXIT_USAGE.  "--name=value" is taken as "--name value".
 */
static int
parse_run(int argc, char **argv, int check, struct run_opts *o)
{
	const char **slot;
	unsigned long *cnt;
	char *arg, *val;
	int i, t, dashdash = 0;

	memset(o, 0, sizeof(*o));
	rl_cli_reader_defaults(&o->ro);
	o->threads = THREADS_AUTO;
	if ((o->files = calloc((size_t)argc + 1, sizeof(*o->files))) == NULL ||
	    (o->sev = calloc((size_t)argc + 1, sizeof(*o->sev))) == NULL ||
	    (o->sevkind = calloc((size_t)argc + 1, 1)) == NULL ||
	    (o->referrals = calloc((size_t)argc + 1, sizeof(*o->referrals))) == NULL ||
	    (o->reports = calloc((size_t)argc + 1, sizeof(*o->reports))) == NULL) {
		rl_sayf(RL_NOMEM, NULL, "%s", strerror(ENOMEM));
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (dashdash || arg[0] != '-' || arg[1] == '\0') {
			o->files[o->nfiles++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (strncmp(arg, "--", 2) == 0 && (val = strchr(arg, '=')) != NULL) {
			/* --name=value: split in place, then take it as two words. */
			*val++ = '\0';
			argv[i] = val;
			i--;
			argv[i] = arg;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
			return EXIT_HELP;
		if ((t = rl_cli_limit_option(&o->ro, &o->max_ops, argc, argv, &i)) == -1)
			return EXIT_USAGE;
		if (t == 1)
			continue;
		if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
			o->quiet = 1;
			continue;
		}
		if (check && strcmp(arg, "--no-bom") == 0) {
			o->no_bom = 1;
			continue;
		}
		if (check && (strcmp(arg, "--progress") == 0 ||
		    strcmp(arg, "--no-progress") == 0)) {
			o->progress = arg[2] == 'n' ? -1 : 1;
			continue;
		}
		if (i + 1 >= argc) {
			if (run_option(o, arg, check) != NULL ||
			    count_option(o, arg, check) != NULL ||
			    one_of(arg, (const char *const[]){ "--disable", "--severity",
			    "--referrals", "--report", "--max-errors-per-record", NULL })) {
				warnx_("%s needs an argument", arg);
				return EXIT_USAGE;
			}
		} else if ((slot = run_option(o, arg, check)) != NULL) {
			*slot = argv[++i];
			continue;
		} else if ((cnt = count_option(o, arg, check)) != NULL) {
			const char *v = argv[++i];

			*cnt = (unsigned long)rl_cli_parse_count(v);
			if (*cnt == 0 && strcmp(v, "0") != 0) {
				warnx_("%s %s: not a count: write a whole number", arg, v);
				return EXIT_USAGE;
			}
			continue;
		} else if (check && strcmp(arg, "--max-errors-per-record") == 0) {
			if ((o->max_errors = (size_t)rl_cli_parse_count(argv[++i])) == 0) {
				warnx_("%s %s: not a count: %s", arg, argv[i], RL_COUNT_FORMS);
				return EXIT_USAGE;
			}
			continue;
		} else if (strcmp(arg, "--disable") == 0 ||
		    strcmp(arg, "--severity") == 0) {
			o->sevkind[o->nsev] = arg[2];
			o->sev[o->nsev++] = argv[++i];
			continue;
		} else if (strcmp(arg, "--referrals") == 0) {
			o->referrals[o->nreferrals++] = argv[++i];
			continue;
		} else if (check && strcmp(arg, "--report") == 0) {
			o->reports[o->nreports++] = argv[++i];
			continue;
		}
		return rl_cli_unknown_option(arg, rl_cli_command_bit(argv[0]));
	}
	/* csv is the batch's (bo.csv); the reader keeps detecting JSON texts */
	if (o->input_format != NULL && strcmp(o->input_format, "csv") != 0)
		o->ro.format = strcmp(o->input_format, "ndjson") == 0 ?
		    RL_FMT_NDJSON : RL_FMT_JSON;
	return check_words(o);
}

/*
 * Loads an optional input file (catalog, rates, accounts, partner
 * eligibility) into the long-lived arena a; the exit status it calls for,
 * problems printed.
 */
static int
load_input(const rl_rules *r, const char *path, int kind, rl_arena *a,
    const rl_value **out)
{
	rl_buf b = RL_BUF_INIT;
	rl_reader_opts o;
	rl_value *v;
	rl_diag d = RL_DIAG_INIT;
	int rc = EXIT_OK;

	if (path == NULL)
		return EXIT_OK;
	rl_cli_reader_defaults(&o);
	o.format = RL_FMT_VALUE;
	if (rl_cli_slurp(path, &b) == -1) {
		rl_sayf(RL_IO_ERROR, path, "cannot read: %s", strerror(errno));
		rc = EXIT_IO;
	} else if ((v = rl_parse_value(b.data ? b.data : "", b.len, &o, a, &d)) == NULL ||
	    rl_inputs_check(r, kind, v, &d) == -1) {
		if (d.source == NULL)
			d.source = path;
		rl_say_diag(&d);
		rc = d.code == RL_NOMEM ? EXIT_IO : EXIT_CONFIG;
	} else
		*out = v;
	rl_buf_free(&b);
	return rc;
}

/*
 * Applies --disable CODE,... and --severity CODE=LEVEL, in order; 0 or
 * EXIT_USAGE.
 */
static int
apply_severities(rl_rules *r, const struct run_opts *o)
{
	int i, lvl;

	for (i = 0; i < o->nsev; i++) {
		const char *p = o->sev[i], *end, *eq;
		rl_code c;

		for (; *p != '\0'; p = *end ? end + 1 : end) {
			end = p + strcspn(p, ",");
			eq = o->sevkind[i] == 's' ? memchr(p, '=', (size_t)(end - p)) : NULL;
			if (o->sevkind[i] == 's' && eq == NULL) {
				warnx_("--severity %s: not CODE=LEVEL", o->sev[i]);
				return EXIT_USAGE;
			}
			c = rl_code_lookup(p, (size_t)((eq ? eq : end) - p));
			if (c == RL_OK || c >= RL_IO_ERROR) {
				warnx_("%s: unknown diagnostic code %.*s", o->sev[i],
				    (int)((eq ? eq : end) - p), p);
				return EXIT_USAGE;
			}
			lvl = RL_SEV_NONE;
			if (eq != NULL && (lvl = rl_severity_lookup(eq + 1,
			    (size_t)(end - eq - 1))) < 0) {
				warnx_("%s: the level is error, warning, info or none",
				    o->sev[i]);
				return EXIT_USAGE;
			}
			rl_rules_set_severity(r, c, (rl_severity)lvl);
		}
	}
	return 0;
}

/* Prints a problem of a snapshot file as FILE:LINE:COL: message. */
static void
print_snapshot_error(void *ctx, const rl_diag *d)
{
	int *rc = ctx;
	int r = d->code == RL_IO_ERROR || d->code == RL_NOMEM ? EXIT_IO : EXIT_CONFIG;

	if (r > *rc)
		*rc = r;
	rl_say_diag(d);
}

/* Everything a run needs once: rules, inputs, snapshot, reference time. */
struct run {
	rl_rules *rules;
	rl_arena *keep;         /* the inputs, for the whole run */
	rl_inputs in;
	rl_check_opts opts;
	rl_snapshot *snap;
};

/*
 * One thread per CPU by default; --threads 1 keeps one.  The output is the
 * same bytes whatever the number.  More threads than MAX_THREADS would
 * only wait on each other.
 */
static unsigned
threads_of(const struct run_opts *o)
{
	long ncpu;

	if (o->threads != THREADS_AUTO)
		return o->threads < MAX_THREADS ? (unsigned)o->threads : MAX_THREADS;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	return ncpu >= 2 ? (unsigned)(ncpu < MAX_THREADS ? ncpu : MAX_THREADS) : 1;
}

static int
run_setup(struct run *x, const struct run_opts *o)
{
	int rc, i;

	memset(x, 0, sizeof(*x));
	if (o->now != NULL) {
		if (rl_datetime_parse(o->now, strlen(o->now), &x->opts.now) == -1) {
			warnx_("--now %s: not an RFC 3339 date-time", o->now);
			return EXIT_USAGE;
		}
	} else if (rl_now(&x->opts.now) == -1) {
		rl_sayf(RL_IO_ERROR, NULL, "cannot read the clock: %s", strerror(errno));
		return EXIT_IO;
	}
	if ((x->rules = rl_rules_load(rl_cli_rules_dir(o->dir), rl_cli_print_diag, NULL)) == NULL)
		return EXIT_CONFIG;
	if ((rc = apply_severities(x->rules, o)) != 0)
		return rc;
	if ((x->keep = rl_arena_new(0)) == NULL) {
		rl_sayf(RL_NOMEM, NULL, "%s", strerror(ENOMEM));
		return EXIT_IO;
	}
	if ((rc = load_input(x->rules, o->catalog, RL_CATALOG, x->keep, &x->in.catalog)) != 0 ||
	    (rc = load_input(x->rules, o->rates, RL_RATES, x->keep, &x->in.rates)) != 0 ||
	    (rc = load_input(x->rules, o->accounts, RL_ACCOUNTS, x->keep, &x->in.accounts)) != 0 ||
	    (rc = load_input(x->rules, o->partner, RL_PARTNER, x->keep, &x->in.partner)) != 0)
		return rc;
	if (o->nreferrals > 0) {
		rl_reader_opts ro = o->ro;

		ro.format = RL_FMT_AUTO;
		if ((x->snap = rl_snapshot_new(x->rules, &ro)) == NULL) {
			rl_sayf(RL_NOMEM, NULL, "%s", strerror(ENOMEM));
			return EXIT_IO;
		}
		/* mapper mode keeps to one core: the engine runs the shards */
		rl_snapshot_threads(x->snap, o->emit != NULL ? 1 : threads_of(o),
		    (size_t)o->chunk);
		rc = EXIT_OK;
		for (i = 0; i < o->nreferrals; i++)
			(void)rl_snapshot_add(x->snap, o->referrals[i],
			    print_snapshot_error, &rc);
		if (rc != EXIT_OK)
			return rc;
	}
	x->opts.inputs = &x->in;
	x->opts.max_errors = o->max_errors;
	x->opts.max_ops = o->max_ops;
	return EXIT_OK;
}

static void
run_free(struct run *x, struct run_opts *o)
{
	rl_snapshot_free(x->snap);
	rl_rules_free(x->rules);
	rl_arena_free(x->keep);
	free(o->files);
	free(o->sev);
	free(o->sevkind);
	free(o->referrals);
	free(o->reports);
}

/* The output files of a run; one handle per distinct name. */
struct outs {
	rl_outfile *f[64];
	int n;
	int failed;
};

static rl_outfile *
out_open(struct outs *s, const char *path)
{
	rl_diag d = RL_DIAG_INIT;
	int i;

	/* one handle per file, however it is named (a link, /dev/stdout) */
	for (i = 0; i < s->n; i++, rl_diag_clear(&d))
		if (rl_outfile_is(s->f[i], path))
			return s->f[i];
	if (s->n == (int)(sizeof(s->f) / sizeof(s->f[0]))) {
		rl_sayf(RL_IO_ERROR, path, "too many output files");
		return NULL;
	}
	if (strcmp(path, "<stderr>") == 0)
		s->f[s->n] = rl_outfile_fd(STDERR_FILENO, path);
	else if ((s->f[s->n] = rl_outfile_open(path, &d)) == NULL)
		rl_say_diag(&d);
	return s->f[s->n] != NULL ? s->f[s->n++] : NULL;
}

/* Renames every finished file into place; 0 or EXIT_IO. */
static int
out_commit(struct outs *s)
{
	rl_diag d = RL_DIAG_INIT;
	int i, rc = EXIT_OK, r;

	for (i = 0; i < s->n; i++, rl_diag_clear(&d))
		if ((r = rl_outfile_commit(s->f[i], &d)) != 0) {
			if (r == RL_OUTFILE_DEAD)
				rc = EXIT_IO;   /* reported when it failed */
			else if (r != RL_OUTFILE_EPIPE) {
				rl_say_diag(&d);
				rc = EXIT_IO;
			}
		}
	return rc;
}

static void
out_close(struct outs *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		rl_outfile_close(s->f[i]);
	s->n = 0;
}

/* Interrupted: remove the temporary files, then die of the signal. */
static void
on_signal(int sig)
{
	rl_outfile_cleanup_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Prints a problem of the run (the library never prints). */
static void
print_run_msg(void *ctx, const rl_diag *d)
{
	(void)ctx;
	rl_say_diag(d);
}

/* Does --color (and NO_COLOR, TERM=dumb) ask for colour on this output? */
static int
want_color(const char *opt, const rl_outfile *f)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (opt != NULL && strcmp(opt, "always") == 0)
		return 1;
	if (opt != NULL && strcmp(opt, "never") == 0)
		return 0;
	return rl_outfile_isatty(f) && (nc == NULL || *nc == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
}

/* The sinks of a run, in the order they are written. */
struct sinks {
	rl_sink **s;
	size_t n;
};

/* One more sink, writing to path; NULL when it cannot (reported). */
static rl_sink *
add_sink(struct sinks *k, struct outs *outs, const rl_sink_class *cls,
    const char *path, unsigned flags)
{
	rl_outfile *f = NULL;

	/* a sink that writes its own file, or its own files in a directory */
	if (!(cls->traits & RL_SINK_OWN_FILE) &&
	    !((cls->traits & RL_SINK_DIR) && rl_sink_path_is_dir(path)) &&
	    (f = out_open(outs, path)) == NULL)
		return NULL;
	if ((k->s[k->n] = rl_sink_new(cls, f, path, flags)) == NULL) {
		rl_sayf(RL_NOMEM, NULL, "%s", strerror(ENOMEM));
		return NULL;
	}
	return k->s[k->n++];
}

/* Does a --report FORMAT[:FILE] write to stderr? */
static int
report_on_stderr(const char *spec)
{
	const char *colon = strchr(spec, ':');
	struct stat a, b;

	return colon == NULL || (stat(colon + 1, &a) == 0 &&
	    fstat(STDERR_FILENO, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino);
}

/*
 * A report that takes one input's rows (csv-rows) given one file, or
 * stderr, for several inputs that are CSV by their names (or by
 * --input-format csv): EXIT_USAGE, since their rows cannot share a file.
 * Inputs that are CSV by their content only are refused by the sink.
 */
static int
check_one_per_input(const struct run_opts *o, char *const *specs, int nrep)
{
	int i, ncsv = 0, csv = o->input_format != NULL &&
	    strcmp(o->input_format, "csv") == 0;

	for (i = 0; i < o->nfiles; i++) {
		size_t n = strlen(o->files[i]);

		ncsv += csv || (n >= 4 &&
		    rl_ascii_caseeq(o->files[i] + n - 4, 4, ".csv", 4));
	}
	for (i = 0; ncsv > 1 && i < nrep; i++) {
		const char *colon = strchr(specs[i], ':');
		size_t len = colon ? (size_t)(colon - specs[i]) : strlen(specs[i]);
		const rl_sink_class *cls = rl_sink_report(specs[i], len);

		if ((cls->traits & RL_SINK_DIR) &&
		    (colon == NULL || !rl_sink_path_is_dir(colon + 1))) {
			warnx_("--report %s: %d CSV inputs cannot share one file: "
			    "name a directory (%.*s:DIR/) for one file per input",
			    specs[i], ncsv, (int)len, specs[i]);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/*
 * The regular file a path names, following links; "-" is the standard
 * descriptor fd.  0 when it is no regular file (or none yet).
 */
static int
regular_file(const char *path, int fd, struct stat *st)
{
	if (strcmp(path, "-") == 0 ? fstat(fd, st) : stat(path, st))
		return 0;
	return S_ISREG(st->st_mode);
}

/* The file of the run's inputs that out is, or NULL. */
static const char *
input_of(const struct run_opts *o, const struct stat *out)
{
	const char *rest[4] = { o->catalog, o->rates, o->accounts, o->partner };
	struct stat st;
	int i, n = o->nfiles + o->nreferrals + 4;

	for (i = 0; i < n; i++) {
		const char *p = i < o->nfiles ? o->files[i] :
		    i < o->nfiles + o->nreferrals ? o->referrals[i - o->nfiles] :
		    rest[i - o->nfiles - o->nreferrals];

		if (p != NULL && regular_file(p, STDIN_FILENO, &st) &&
		    st.st_dev == out->st_dev && st.st_ino == out->st_ino)
			return strcmp(p, "-") == 0 ? "standard input" : p;
	}
	/* no FILE: standard input is the input */
	if (o->nfiles == 0 && regular_file("-", STDIN_FILENO, &st) &&
	    st.st_dev == out->st_dev && st.st_ino == out->st_ino)
		return "standard input";
	return NULL;
}

/*
 * An output (what, wlen bytes of it, names it; fd stands for "-") that is
 * an input: said, and 1.
 */
static int
overwrites(const struct run_opts *o, const char *what, int wlen,
    const char *path, int fd)
{
	struct stat st;
	const char *in;

	if (path == NULL || !regular_file(path, fd, &st) ||
	    (in = input_of(o, &st)) == NULL)
		return 0;
	rl_sayf(RL_OK, fd == STDERR_FILENO ? NULL : path, "%.*s would write "
	    "over %s, which this run reads: name another file", wlen, what, in);
	return 1;
}

/*
 * No output may be a file that the run reads (reflint(1), "reflint check"):
 * renamed over it when the run ends, it would keep only some of its
 * records (the rejected ones, say), and written in place (a directory
 * without room for a temporary file, or standard output or error appending
 * to it) it would lose or grow the records not read yet.  Checked before
 * anything is read, as the usage error it is: EXIT_USAGE, or EXIT_OK.
 */
static int
check_not_inputs(const struct run_opts *o, int elig)
{
	const char *acc = o->accepted != NULL && !elig && o->emit == NULL ?
	    o->accepted : NULL;
	int i;

	/* the text report and the command's messages go to standard error */
	if (overwrites(o, "standard error", 14, "-", STDERR_FILENO) ||
	    (acc != NULL ? overwrites(o, "--accepted", 10, acc, STDOUT_FILENO) :
	    overwrites(o, "standard output", 15, "-", STDOUT_FILENO)))
		return EXIT_USAGE;
	if (elig)
		return EXIT_OK;
	if (overwrites(o, "--rejected", 10, o->rejected, STDOUT_FILENO) ||
	    overwrites(o, "--summary", 9, o->summary, STDOUT_FILENO))
		return EXIT_USAGE;
	for (i = 0; i < o->nreports; i++) {
		const char *colon = strchr(o->reports[i], ':');
		char what[64];

		/* "--report FORMAT" */
		snprintf(what, sizeof(what), "--report %.*s", colon != NULL ?
		    (int)(colon - o->reports[i]) : 0, o->reports[i]);
		if (colon != NULL && overwrites(o, what, (int)strlen(what),
		    colon + 1, STDOUT_FILENO))
			return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * The outputs: the tagged stream, or the accepted lines (eligibility: the
 * responses) and the rejected ones; every --report FORMAT[:FILE], and the
 * text report on stderr unless --quiet or one of them is on stderr
 * (eligibility: always that); the --summary file last.
 */
static int
open_sinks(const struct run_opts *o, rl_batch_mode mode, struct outs *outs,
    struct sinks *k)
{
	static char text[] = "text";
	char *const *specs = o->reports;
	int i, nrep = o->nreports, elig = mode == RL_BATCH_ELIGIBILITY;
	int text_too = !o->quiet && !elig;
	rl_sink *s;

	for (i = 0; i < nrep; i++)
		text_too = text_too && !report_on_stderr(specs[i]);
	if (!elig && check_one_per_input(o, specs, nrep) != EXIT_OK)
		return EXIT_USAGE;

	if (o->emit != NULL ? add_sink(k, outs, elig ?
	    &rl_sink_tagged_eligibility : &rl_sink_tagged, "-", 0) == NULL :
	    add_sink(k, outs, elig ? &rl_sink_eligibility : &rl_sink_accepted,
	    o->accepted != NULL && !elig ? o->accepted : "-", 0) == NULL)
		return EXIT_IO;
	if (elig)
		return add_sink(k, outs, rl_sink_report("text", 4), "<stderr>",
		    0) == NULL ? EXIT_IO : EXIT_OK;
	if (o->rejected != NULL &&
	    add_sink(k, outs, &rl_sink_rejected, o->rejected, 0) == NULL)
		return EXIT_IO;
	if (text_too && add_sink(k, outs, rl_sink_report(text, 4), "<stderr>",
	    0) == NULL)
		return EXIT_IO;
	if (text_too && k->s[k->n - 1]->out != NULL &&
	    want_color(o->color, k->s[k->n - 1]->out))
		k->s[k->n - 1]->flags |= RL_REPORT_COLOR;
	for (i = 0; i < nrep; i++) {
		const char *colon = strchr(specs[i], ':');
		size_t len = colon ? (size_t)(colon - specs[i]) : strlen(specs[i]);

		if ((s = add_sink(k, outs, rl_sink_report(specs[i], len),
		    colon ? colon + 1 : "<stderr>",
		    o->no_bom ? RL_REPORT_NO_BOM : 0)) == NULL)
			return EXIT_IO;
		if (s->out != NULL && want_color(o->color, s->out))
			s->flags |= RL_REPORT_COLOR;
	}
	if (o->summary != NULL &&
	    add_sink(k, outs, &rl_sink_summary, o->summary, 0) == NULL)
		return EXIT_IO;
	return EXIT_OK;
}

/* The exit status for what the run found (reflint(1), EXIT STATUS). */
static int
run_status(const struct run_opts *o, int flags)
{
	if (flags & RL_BATCH_IO)
		return EXIT_IO;
	if (o->emit != NULL || (o->fail_on && strcmp(o->fail_on, "never") == 0))
		return EXIT_OK;
	if (flags & RL_BATCH_REJECTED)
		return EXIT_REJECTED;
	if ((flags & RL_BATCH_WARNED) && o->fail_on &&
	    strcmp(o->fail_on, "warning") == 0)
		return EXIT_REJECTED;
	return EXIT_OK;
}

/*
 * reflint check|apply|eligibility [options] [FILE...]: every record of
 * every input judged by the batch processor, then the summary.
 */
static int
run_records(int argc, char **argv, rl_batch_mode mode)
{
	struct run_opts o;
	struct run run;
	struct outs outs;
	rl_batch_opts bo;
	rl_batch_out out;
	struct sinks sinks = { NULL, 0 };
	rl_batch *b = NULL;
	rl_buf sum = RL_BUF_INIT;
	int i, rc, flags, check = mode != RL_BATCH_ELIGIBILITY;
	size_t k;

	memset(&run, 0, sizeof(run));
	memset(&outs, 0, sizeof(outs));
	memset(&out, 0, sizeof(out));
	if ((rc = parse_run(argc, argv, check, &o)) != 0) {
		if (rc == EXIT_HELP)
			rc = rl_cli_help_command(rl_cli_command_bit(argv[0]));
		else
			rl_cli_usage(stderr);
		run_free(&run, &o);
		return rc;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if ((rc = check_not_inputs(&o, !check)) != 0 ||
	    (rc = run_setup(&run, &o)) != 0)
		goto done;
	rc = EXIT_IO;
	/* at most: two line outputs, the reports (or the default), --summary */
	if ((sinks.s = calloc((size_t)o.nreports + 4, sizeof(*sinks.s))) == NULL ||
	    (rc = open_sinks(&o, mode, &outs, &sinks)) != EXIT_OK)
		goto done;
	rc = EXIT_IO;
	out.sinks = sinks.s;
	out.nsinks = sinks.n;
	memset(&bo, 0, sizeof(bo));
	bo.mode = mode;
	bo.check = &run.opts;
	bo.ro = o.ro;
	bo.csv = o.input_format != NULL && strcmp(o.input_format, "csv") == 0;
	bo.delimiter = o.delimiter != NULL ? csv_delimiter(o.delimiter) : 0;
	(void)rl_cli_csv_words(o.encoding, o.date_order, &bo.encoding, &bo.date_order);
	bo.snapshot = run.snap;
	bo.max_rejected = o.max_rejected;
	bo.threads = (int)threads_of(&o);
	bo.chunk = (size_t)o.chunk;
	bo.source_name = o.source_name;
	bo.line_offset = o.line_offset;
	bo.record_offset = o.record_offset;
	bo.msg = print_run_msg;
	if (rl_progress_start(check && o.progress >= 0 && !o.quiet &&
	    isatty(STDERR_FILENO) && getenv("CI") == NULL)) {
		bo.progress = rl_progress_show;
		bo.terminal = rl_progress_on_terminal;
		bo.ctx = NULL;
	}
	if ((b = rl_batch_new(run.rules, &bo, &out)) == NULL) {
		rl_sayf(RL_NOMEM, NULL, "%s", strerror(ENOMEM));
		goto done;
	}
	/* Someone at a terminal may be waiting for reflint, not typing. */
	if (o.nfiles == 0 && !o.quiet && isatty(STDIN_FILENO))
		warnx_("reading standard input (end with Ctrl-D)");
	rl_batch_begin(b);
	if (o.nfiles == 0)
		rl_batch_input(b, NULL);
	for (i = 0; i < o.nfiles; i++)
		rl_batch_input(b, o.files[i]);
	flags = rl_batch_end(b);
	/* The summary (or the shell prompt) takes the progress line's place. */
	rl_progress_end();
	if (out_commit(&outs) != EXIT_OK)
		flags |= RL_BATCH_IO;
	if (check && !o.quiet) {
		if (rl_summary_text(&sum, rl_batch_summary(b)) == -1)
			flags |= RL_BATCH_IO;
		else
			(void)rl_cli_write_all(STDERR_FILENO, sum.data, sum.len);
	}
	rc = run_status(&o, flags);
done:
	rl_batch_free(b);
	for (k = 0; k < sinks.n; k++)
		rl_sink_free(sinks.s[k]);
	free(sinks.s);
	out_close(&outs);
	rl_buf_free(&sum);
	run_free(&run, &o);
	return rc;
}

static int
cmd_check(int argc, char **argv)
{
	return run_records(argc, argv, RL_BATCH_CHECK);
}

static int
cmd_apply(int argc, char **argv)
{
	return run_records(argc, argv, RL_BATCH_APPLY);
}

static int
cmd_eligibility(int argc, char **argv)
{
	return run_records(argc, argv, RL_BATCH_ELIGIBILITY);
}

static const struct command {
	const char *name;
	int (*run)(int, char **);
} commands[] = {
	{ "apply", cmd_apply },
	{ "check", cmd_check },
	{ "eligibility", cmd_eligibility },
	{ "patch", rl_cmd_patch },
	{ "rules", rl_cmd_rules },
};

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		rl_cli_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return rl_cli_help_all();
	if (strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return rl_cli_finish_stdout();
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	warnx_("unknown command %s", argv[1]);
	rl_cli_usage(stderr);
	return EXIT_USAGE;
}
