/*
 * main.c: the reflint command.  It parses arguments, opens files, prints,
 * and maps the worst result to the exit status; everything else is in the
 * library (the other files of src/).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
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

/* Exit statuses (cli.md). */
enum {
	EXIT_OK = 0,
	EXIT_REJECTED = 1,
	EXIT_USAGE = 2,
	EXIT_CONFIG = 3,
	EXIT_IO = 4
};

static const char *progname = "reflint";

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: reflint check [inputs] [--accepted FILE] [--rejected FILE]\n"
	    "                     [--max-errors-per-record N] [limits] [FILE ...]\n"
	    "       reflint eligibility [inputs] [limits] [FILE ...]\n"
	    "       reflint rules [--rules DIR] [--list | --lint]\n"
	    "       reflint patch [limits] DOC PATCH\n"
	    "       reflint --help | --version\n"
	    "inputs: --rules DIR --now DATE-TIME --catalog FILE --rates FILE\n"
	    "        --partner-eligibility FILE --disable CODE,...\n"
	    "        --severity CODE=LEVEL,...\n"
	    "limits: --max-depth N --max-record BYTES --max-string BYTES\n");
}

static void warnx_(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

static void
warnx_(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Parses a positive decimal count; 0 on error. */
static unsigned long long
parse_count(const char *s)
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
 * Reader options shared by every command.  REFLINT_READ_BUFFER sets the
 * read(2) size: the golden tests re-run every input with sizes 1 to 31.
 */
static void
reader_defaults(rl_reader_opts *o)
{
	const char *e = getenv("REFLINT_READ_BUFFER");

	memset(o, 0, sizeof(*o));
	if (e != NULL)
		o->bufsize = (size_t)parse_count(e);
}

/*
 * Takes a limit option at argv[*i] if there is one: 1 = taken, 0 = not a
 * limit option, -1 = bad value (already reported).
 */
static int
limit_option(rl_reader_opts *o, int argc, char **argv, int *i)
{
	const char *name = argv[*i];
	unsigned long long v;

	if (strcmp(name, "--max-depth") != 0 &&
	    strcmp(name, "--max-record") != 0 &&
	    strcmp(name, "--max-string") != 0)
		return 0;
	if (*i + 1 >= argc || (v = parse_count(argv[*i + 1])) == 0) {
		warnx_("%s needs a positive number%s", name, "");
		return -1;
	}
	++*i;
	if (strcmp(name, "--max-depth") == 0)
		o->max_depth = v > UINT_MAX ? UINT_MAX : (unsigned)v;
	else if (strcmp(name, "--max-record") == 0)
		o->max_record = (size_t)v;
	else
		o->max_string = (size_t)v;
	return 1;
}

/* Reads a whole file (or stdin for "-") into b; -1 with errno. */
static int
slurp(const char *path, rl_buf *b)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
	ssize_t n;

	if (fd == -1)
		return -1;
	for (;;) {
		if (rl_buf_reserve(b, 65536) == -1) {
			errno = ENOMEM;
			n = -1;
			break;
		}
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	if (fd != STDIN_FILENO) {
		int saved = errno;
		close(fd);
		errno = saved;
	}
	return n == -1 ? -1 : 0;
}

/*
 * Loads one JSON value; prints the problem and returns NULL on failure, with
 * *rc set to the exit status it calls for: an unreadable file is an I/O
 * error, an unparsable one makes the patch fail.
 */
static rl_value *
load_value(const char *path, const rl_reader_opts *o, rl_arena *a, rl_buf *b,
    int *rc)
{
	rl_value *v;
	rl_diag d;

	*rc = EXIT_IO;
	if (slurp(path, b) == -1) {
		warnx_("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((v = rl_parse_value(b->data ? b->data : "", b->len, o, a, &d)) == NULL) {
		if (d.line)
			fprintf(stderr, "%s:%lu:%lu: %s: %s\n", path, d.line,
			    d.column, rl_code_name(d.code), d.message);
		else
			fprintf(stderr, "%s: %s: %s\n", path,
			    rl_code_name(d.code), d.message);
		if (d.code != RL_NOMEM)
			*rc = EXIT_REJECTED;
	}
	return v;
}

static int
write_all(int fd, const char *p, size_t n)
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

/* reflint patch DOC PATCH: plain RFC 6902, no business rules. */
static int
cmd_patch(int argc, char **argv)
{
	rl_buf docbuf = RL_BUF_INIT, patchbuf = RL_BUF_INIT, out = RL_BUF_INIT;
	const char *files[2];
	rl_value *doc, *patch;
	rl_reader_opts o;
	rl_arena *a;
	rl_diag d;
	int i, nfiles = 0, rc = EXIT_IO, r;

	reader_defaults(&o);
	o.format = RL_FMT_VALUE;
	for (i = 1; i < argc; i++) {
		if ((r = limit_option(&o, argc, argv, &i)) == -1)
			return EXIT_USAGE;
		if (r == 1)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			warnx_("patch: unknown option %s%s", argv[i], "");
			usage(stderr);
			return EXIT_USAGE;
		}
		if (nfiles == 2) {
			usage(stderr);
			return EXIT_USAGE;
		}
		files[nfiles++] = argv[i];
	}
	if (nfiles != 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((a = rl_arena_new(0)) == NULL) {
		warnx_("%s%s", strerror(ENOMEM), "");
		return EXIT_IO;
	}
	if ((doc = load_value(files[0], &o, a, &docbuf, &rc)) == NULL ||
	    (patch = load_value(files[1], &o, a, &patchbuf, &rc)) == NULL)
		goto done;
	if (patch->type != RL_ARRAY) {
		fprintf(stderr, "%s: patch-shape: a JSON Patch is an array of operations\n",
		    files[1]);
		rc = EXIT_REJECTED;
		goto done;
	}
	if (rl_patch_apply(a, &doc, patch, &d) == -1) {
		if (d.code == RL_NOMEM) {
			warnx_("%s%s", d.message, "");
			rc = EXIT_IO;
		} else {
			fprintf(stderr, "op %ld: %s: %s\n", d.op,
			    rl_code_name(d.code), d.message);
			rc = EXIT_REJECTED;
		}
		goto done;
	}
	if (rl_json_serialize(&out, doc) == -1 || rl_buf_putc(&out, '\n') == -1) {
		warnx_("%s%s", strerror(ENOMEM), "");
		goto done;
	}
	if (write_all(STDOUT_FILENO, out.data, out.len) == -1) {
		if (errno != EPIPE)
			warnx_("stdout: %s%s", strerror(errno), "");
		goto done;
	}
	rc = EXIT_OK;
done:
	rl_buf_free(&docbuf);
	rl_buf_free(&patchbuf);
	rl_buf_free(&out);
	rl_arena_free(a);
	return rc;
}

/* ---- rules ---------------------------------------------------------- */

/* Prints a rules problem as FILE:LINE: message. */
static void
print_rules_error(void *ctx, const rl_diag *d)
{
	(void)ctx;
	if (d->line)
		fprintf(stderr, "%s:%lu: %s\n", d->source ? d->source : "",
		    d->line, d->message);
	else
		fprintf(stderr, "%s: %s\n", d->source ? d->source : "",
		    d->message);
}

/* --rules DIR, else REFLINT_RULES, else the installed rules. */
static const char *
rules_dir(const char *opt)
{
	const char *e = getenv("REFLINT_RULES");

	if (opt != NULL)
		return opt;
	if (e != NULL && *e != '\0')
		return e;
	return RL_PKGDATADIR "/rules";
}

/* Takes --rules DIR at argv[*i]: 1 = taken, 0 = not it, -1 = bad. */
static int
rules_option(const char **dir, int argc, char **argv, int *i)
{
	if (strcmp(argv[*i], "--rules") != 0)
		return 0;
	if (*i + 1 >= argc) {
		warnx_("--rules needs a directory%s%s", "", "");
		return -1;
	}
	*dir = argv[++*i];
	return 1;
}

/* reflint rules [--rules DIR] [--list | --lint] */
static int
cmd_rules(int argc, char **argv)
{
	const char *dir = NULL;
	rl_buf out = RL_BUF_INIT;
	rl_rules *r;
	int i, list = 0, lint = 0, rc = EXIT_OK, t;

	for (i = 1; i < argc; i++) {
		if ((t = rules_option(&dir, argc, argv, &i)) == -1)
			return EXIT_USAGE;
		if (t == 1)
			continue;
		if (strcmp(argv[i], "--list") == 0)
			list = 1;
		else if (strcmp(argv[i], "--lint") == 0)
			lint = 1;
		else {
			warnx_("rules: unknown argument %s%s", argv[i], "");
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (list && lint) {
		warnx_("rules: --list and --lint exclude each other%s%s", "", "");
		return EXIT_USAGE;
	}
	if ((r = rl_rules_load(rules_dir(dir), print_rules_error, NULL)) == NULL)
		return EXIT_CONFIG;
	if (lint)
		goto done;
	if (list) {
		int c;

		for (c = 1; c < RL_IO_ERROR; c++)
			if (c != RL_PATCH_TEST_FAILED &&
			    rl_buf_printf(&out, "%-24s %-8s %s\n", rl_codes[c].name,
			    rl_severity_name(rl_rules_severity(r, (rl_code)c)),
			    rl_codes[c].text) == -1)
				goto nomem;
	} else if (rl_rules_dump(r, &out) == -1 || rl_buf_putc(&out, '\n') == -1)
		goto nomem;
	if (write_all(STDOUT_FILENO, out.data, out.len) == -1) {
		warnx_("stdout: %s%s", strerror(errno), "");
		rc = EXIT_IO;
	}
done:
	rl_buf_free(&out);
	rl_rules_free(r);
	return rc;
nomem:
	warnx_("%s%s", strerror(ENOMEM), "");
	rc = EXIT_IO;
	goto done;
}

/* ---- check and eligibility ----------------------------------------- */

/* Options shared by check and eligibility. */
struct run_opts {
	const char *dir, *accepted, *rejected, *now;
	const char *catalog, *rates, *partner;
	size_t max_errors;
	rl_reader_opts ro;
	char **files;
	int nfiles;
	char **sev;             /* --disable / --severity arguments, in order */
	char *sevkind;          /* 'd' or 's' for each */
	int nsev;
};

/* Options that take an argument, and where it goes. */
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
		{ "--partner-eligibility", 0, offsetof(struct run_opts, partner) },
		{ "--accepted", 1, offsetof(struct run_opts, accepted) },
		{ "--rejected", 1, offsetof(struct run_opts, rejected) },
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strcmp(name, opts[i].name) == 0 && (check || !opts[i].check_only))
			return (const char **)(void *)((char *)o + opts[i].off);
	return NULL;
}

/* Parses the arguments of check (check = 1) or eligibility; 0 or EXIT_USAGE. */
static int
parse_run(int argc, char **argv, int check, struct run_opts *o)
{
	const char **slot;
	int i, t;

	memset(o, 0, sizeof(*o));
	o->accepted = "-";
	reader_defaults(&o->ro);
	if ((o->files = calloc((size_t)argc + 1, sizeof(*o->files))) == NULL ||
	    (o->sev = calloc((size_t)argc + 1, sizeof(*o->sev))) == NULL ||
	    (o->sevkind = calloc((size_t)argc + 1, 1)) == NULL) {
		warnx_("%s", strerror(ENOMEM));
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		if ((t = limit_option(&o->ro, argc, argv, &i)) == -1)
			return EXIT_USAGE;
		if (t == 1)
			continue;
		if ((slot = run_option(o, argv[i], check)) != NULL ||
		    (check && strcmp(argv[i], "--max-errors-per-record") == 0)) {
			if (i + 1 >= argc) {
				warnx_("%s needs an argument", argv[i]);
				return EXIT_USAGE;
			}
			if (slot != NULL)
				*slot = argv[++i];
			else if ((o->max_errors = (size_t)parse_count(argv[++i])) == 0) {
				warnx_("%s needs a positive number", argv[i - 1]);
				return EXIT_USAGE;
			}
			continue;
		}
		if (strcmp(argv[i], "--disable") == 0 ||
		    strcmp(argv[i], "--severity") == 0) {
			if (i + 1 >= argc) {
				warnx_("%s needs an argument", argv[i]);
				return EXIT_USAGE;
			}
			o->sevkind[o->nsev] = argv[i][2];
			o->sev[o->nsev++] = argv[++i];
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			warnx_("%s: unknown option %s", argv[0], argv[i]);
			return EXIT_USAGE;
		}
		o->files[o->nfiles++] = argv[i];
	}
	return 0;
}

/*
 * Loads an optional input file (catalog, rates, partner eligibility) into
 * the long-lived arena a; the exit status it calls for, problems printed.
 */
static int
load_input(const rl_rules *r, const char *path, int kind, rl_arena *a,
    const rl_value **out)
{
	rl_buf b = RL_BUF_INIT;
	rl_reader_opts o;
	rl_value *v;
	rl_diag d;
	int rc = EXIT_OK;

	if (path == NULL)
		return EXIT_OK;
	reader_defaults(&o);
	o.format = RL_FMT_VALUE;
	if (slurp(path, &b) == -1) {
		warnx_("%s: %s", path, strerror(errno));
		rc = EXIT_IO;
	} else if ((v = rl_parse_value(b.data ? b.data : "", b.len, &o, a, &d)) == NULL ||
	    rl_inputs_check(r, kind, v, &d) == -1) {
		if (d.line)
			fprintf(stderr, "%s:%lu: %s\n", path, d.line, d.message);
		else
			fprintf(stderr, "%s: %s\n", path, d.message);
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

/* Everything a run needs once: rules, inputs, reference time. */
struct run {
	rl_rules *rules;
	rl_arena *keep;         /* the inputs, for the whole run */
	rl_inputs in;
	rl_check_opts opts;
};

static int
run_setup(struct run *x, const struct run_opts *o)
{
	int rc;

	memset(x, 0, sizeof(*x));
	if (o->now != NULL) {
		if (rl_datetime_parse(o->now, strlen(o->now), &x->opts.now) == -1) {
			warnx_("--now %s: not an RFC 3339 date-time", o->now);
			return EXIT_USAGE;
		}
	} else if (rl_now(&x->opts.now) == -1) {
		warnx_("cannot read the clock: %s", strerror(errno));
		return EXIT_IO;
	}
	if ((x->rules = rl_rules_load(rules_dir(o->dir), print_rules_error, NULL)) == NULL)
		return EXIT_CONFIG;
	if ((rc = apply_severities(x->rules, o)) != 0)
		return rc;
	if ((x->keep = rl_arena_new(0)) == NULL) {
		warnx_("%s", strerror(ENOMEM));
		return EXIT_IO;
	}
	if ((rc = load_input(x->rules, o->catalog, RL_CATALOG, x->keep, &x->in.catalog)) != 0 ||
	    (rc = load_input(x->rules, o->rates, RL_RATES, x->keep, &x->in.rates)) != 0 ||
	    (rc = load_input(x->rules, o->partner, RL_PARTNER, x->keep, &x->in.partner)) != 0)
		return rc;
	x->opts.inputs = &x->in;
	x->opts.max_errors = o->max_errors;
	return EXIT_OK;
}

static void
run_free(struct run *x, struct run_opts *o)
{
	rl_rules_free(x->rules);
	rl_arena_free(x->keep);
	free(o->files);
	free(o->sev);
	free(o->sevkind);
}

struct check_ctx {
	const rl_rules *rules;
	const rl_check_opts *opts;
	int eligibility;        /* the eligibility command */
	rl_arena *a;            /* the reader's: reset after each record */
	int accepted_fd, rejected_fd;    /* -1 = not written */
	rl_buf acc, rej, text;
	unsigned long read, accepted, rejected, unjudged;
	int failed;             /* an output could not be written */
	int nomem;
};

static void
flush(int fd, rl_buf *b, int *failed)
{
	if (fd != -1 && b->len > 0 && write_all(fd, b->data, b->len) == -1) {
		if (!*failed)
			warnx_("write: %s", strerror(errno));
		*failed = 1;
	}
	rl_buf_clear(b);
}

static int
check_one(void *vctx, const rl_record *rec)
{
	struct check_ctx *x = vctx;
	struct rl_policy_result pol[RL_POLICY_COUNT];
	rl_result res;
	int r;

	x->read++;
	if (x->eligibility) {
		if ((r = rl_eligibility_record(x->rules, x->a, rec, x->opts, &res,
		    pol)) == -1)
			goto nomem;
		if (r == 0)
			x->unjudged++;
		else if (rl_out_eligibility(&x->acc, pol) == -1 ||
		    rl_buf_putc(&x->acc, '\n') == -1)
			goto nomem;
	} else {
		if (rl_check_record(x->rules, x->a, rec, x->opts, &res) == -1)
			goto nomem;
		if (rl_result_accepted(&res)) {
			x->accepted++;
			if (x->accepted_fd != -1 && rl_out_accepted(&x->acc, &res) == -1)
				goto nomem;
		} else {
			x->rejected++;
			if (x->rejected_fd != -1 &&
			    rl_out_rejected(&x->rej, rec, &res) == -1)
				goto nomem;
		}
	}
	if (rl_out_text(&x->text, rec, &res) == -1)
		goto nomem;
	/* Flush only when a buffer has grown: keeps writes large. */
	if (x->acc.len >= 65536)
		flush(x->accepted_fd, &x->acc, &x->failed);
	if (x->rej.len >= 65536)
		flush(x->rejected_fd, &x->rej, &x->failed);
	if (x->text.len >= 65536)
		flush(STDERR_FILENO, &x->text, &x->failed);
	return 0;
nomem:
	x->nomem = 1;
	return 1;
}

static int
open_out(const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return STDOUT_FILENO;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) == -1)
		warnx_("%s: %s", path, strerror(errno));
	return fd;
}

/* Reads one input (NULL or "-" = stdin); the exit status it calls for. */
static int
check_input(struct check_ctx *x, const char *path, const rl_reader_opts *o)
{
	const char *name = path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
	int fd = name[0] == '<' ? STDIN_FILENO : open(path, O_RDONLY);
	rl_diag err;
	int r;

	if (fd == -1) {
		warnx_("%s: %s", path, strerror(errno));
		return EXIT_IO;
	}
	r = rl_read_fd(fd, name, o, x->a, check_one, x, &err);
	if (fd != STDIN_FILENO)
		close(fd);
	if (x->nomem) {
		warnx_("%s", strerror(ENOMEM));
		return EXIT_IO;
	}
	if (r == RL_READ_TRUNCATED) {
		if (err.line)
			fprintf(stderr, "%s:%lu:%lu: %s: %s\n", name, err.line,
			    err.column, rl_code_name(err.code), err.message);
		else
			fprintf(stderr, "%s: %s: %s\n", name,
			    rl_code_name(err.code), err.message);
		return EXIT_IO;
	}
	return EXIT_OK;
}

/*
 * reflint check [options] [FILE...] and reflint eligibility [options]
 * [FILE...]: read every record of every input, judge it, write the lines.
 */
static int
run_records(int argc, char **argv, int eligibility)
{
	struct run_opts o;
	struct check_ctx x;
	struct run run;
	int i, rc, r;

	memset(&x, 0, sizeof(x));
	memset(&run, 0, sizeof(run));
	x.accepted_fd = x.rejected_fd = -1;
	if ((rc = parse_run(argc, argv, !eligibility, &o)) != 0) {
		usage(stderr);
		free(o.files);
		free(o.sev);
		free(o.sevkind);
		return rc;
	}
	if ((rc = run_setup(&run, &o)) != 0)
		goto done;
	x.rules = run.rules;
	x.opts = &run.opts;
	x.eligibility = eligibility;
	if ((x.a = rl_arena_new(0)) == NULL) {
		warnx_("%s", strerror(ENOMEM));
		rc = EXIT_IO;
		goto done;
	}
	if ((x.accepted_fd = open_out(o.accepted)) == -1 ||
	    (o.rejected != NULL && (x.rejected_fd = open_out(o.rejected)) == -1)) {
		rc = EXIT_IO;
		goto done;
	}
	if (o.nfiles == 0)
		rc = check_input(&x, NULL, &o.ro);
	for (i = 0; i < o.nfiles && !x.nomem; i++)
		if ((r = check_input(&x, o.files[i], &o.ro)) > rc)
			rc = r;
	flush(x.accepted_fd, &x.acc, &x.failed);
	flush(x.rejected_fd, &x.rej, &x.failed);
	flush(STDERR_FILENO, &x.text, &x.failed);
	if (x.failed)
		rc = EXIT_IO;
	if (rc == EXIT_OK && (x.rejected > 0 || x.unjudged > 0))
		rc = EXIT_REJECTED;
done:
	if (x.accepted_fd > STDERR_FILENO && close(x.accepted_fd) == -1)
		rc = EXIT_IO;
	if (x.rejected_fd > STDERR_FILENO && close(x.rejected_fd) == -1)
		rc = EXIT_IO;
	rl_buf_free(&x.acc);
	rl_buf_free(&x.rej);
	rl_buf_free(&x.text);
	rl_arena_free(x.a);
	run_free(&run, &o);
	return rc;
}

static int
cmd_check(int argc, char **argv)
{
	return run_records(argc, argv, 0);
}

static int
cmd_eligibility(int argc, char **argv)
{
	return run_records(argc, argv, 1);
}

static const struct command {
	const char *name;
	int (*run)(int, char **);
} commands[] = {
	{ "check", cmd_check },
	{ "eligibility", cmd_eligibility },
	{ "patch", cmd_patch },
	{ "rules", cmd_rules },
};

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown command %s\n", progname, argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
