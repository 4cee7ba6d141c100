/*
 * conformance.c: run published conformance data through `reflint patch`.
 *
 *   conformance patch FILE...   json-patch-tests files (tests.json, ...)
 *   conformance pointer FILE    JSON Schema's json-pointer format vectors
 *
 * Each case is written to temporary files and run by the real command
 * ($REFLINT), so the reader, the patch engine and main.c are all tested.
 * Output is one TAP stream over all files.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L   /* mkdtemp under -std=c99 */
#endif
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "json.h"
#include "reader.h"

struct run {
	const char *reflint;
	char dir[4096];            /* private temporary directory */
	char doc[4200], patch[4200], out[4200], err[4200];
	rl_arena *scratch;         /* per case; reset after each */
	rl_buf text;               /* scratch for serializing and reading */
	int counting;              /* first pass: count cases only */
	unsigned long planned;
	unsigned long n;           /* number of the last case reported */
	unsigned long failed;
	const char *file;          /* name of the file being read */
};

/*
 * Conformance data are small; the limits only have to let them through.
 * Names that differ only by case are distinct in RFC 6902 and its tests
 * ("Patch with different capitalisation than doc").
 */
static const rl_reader_opts read_opts = {
	.format = RL_FMT_JSON,
	.max_record = 256UL * 1024 * 1024,
	.max_string = 256UL * 1024 * 1024,
	.case_sensitive_names = 1,
};

static struct run *current;     /* for cleaning up when bailing out */

static void cleanup(struct run *);

static void
bail(const char *what, const char *detail)
{
	printf("Bail out! %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	if (current != NULL)
		cleanup(current);
	exit(99);
}

static int
read_file(const char *path, rl_buf *b)
{
	int fd = open(path, O_RDONLY);
	ssize_t r = 0;

	if (fd == -1)
		return -1;
	rl_buf_clear(b);
	for (;;) {
		if (rl_buf_reserve(b, 64 * 1024) == -1) {
			close(fd);
			errno = ENOMEM;
			return -1;
		}
		r = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		b->len += (size_t)r;
	}
	close(fd);
	return r == 0 ? 0 : -1;
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		bail("cannot write", path);
}

static void
write_json(struct run *r, const char *path, const rl_value *v)
{
	rl_buf_clear(&r->text);
	if (rl_json_serialize(&r->text, v) == -1 ||
	    rl_buf_putc(&r->text, '\n') == -1)
		bail("out of memory", NULL);
	write_file(path, r->text.data, r->text.len);
}

/* Run `$REFLINT patch DOC PATCH`; the wait status, or -1. */
static int
run_patch(struct run *r)
{
	int status;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == -1)
		bail("fork", strerror(errno));
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(r->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(r->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (in == -1 || out == -1 || err == -1 ||
		    dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
			_exit(126);
		close(in);
		close(out);
		close(err);
		execl(r->reflint, r->reflint, "patch", r->doc, r->patch,
		    (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			bail("waitpid", strerror(errno));
	return status;
}

/* A TAP description: one line, printable. */
static void
print_desc(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		putchar(c < 0x20 || c == 0x7f ? '?' : c);
	}
}

/* Show the command's output under a failed case, as TAP comments. */
static void
print_output(struct run *r, const char *label, const char *path)
{
	size_t i;

	if (read_file(path, &r->text) == -1)
		return;
	printf("# %s:", label);
	for (i = 0; i < r->text.len && i < 500; i++) {
		char c = r->text.data[i];

		if (c == '\n')
			printf("\n# %*s ", (int)strlen(label), "");
		else
			putchar(c);
	}
	putchar('\n');
}

static void
report(struct run *r, int ok, const char *desc, size_t dlen,
    const char *directive, const char *why)
{
	r->n++;
	printf("%sok %lu - ", ok ? "" : "not ", r->n);
	print_desc(desc, dlen);
	if (directive != NULL)
		printf(" # %s", directive);
	putchar('\n');
	if (!ok) {
		r->failed++;
		printf("# %s\n", why);
		print_output(r, "stdout", r->out);
		print_output(r, "stderr", r->err);
	}
}

static int
exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The command's stdout equals want (as JSON values, not as text). */
static int
stdout_is(struct run *r, const rl_value *want)
{
	rl_value *got;

	if (read_file(r->out, &r->text) == -1)
		return 0;
	got = rl_parse_value(r->text.data, r->text.len, &read_opts, r->scratch,
	    NULL);
	return got != NULL && rl_json_equal(got, want);
}

/*
 * The command's one form of message names the failing op and its code:
 * "reflint: PATCH: op N: message [code]".  op: "op 0" or any op ("op ");
 * code: that code, or NULL for any.
 */
static int
stderr_op(struct run *r, const char *op, const char *code)
{
	static const char lead[] = "reflint: ";
	char want[64];
	const char *end;

	if (read_file(r->err, &r->text) == -1 ||
	    r->text.len < sizeof(lead) - 1 ||
	    memcmp(r->text.data, lead, sizeof(lead) - 1) != 0 ||
	    rl_buf_putc(&r->text, '\0') == -1)
		return 0;
	snprintf(want, sizeof(want), ": %s", op);
	if (strstr(r->text.data, want) == NULL)
		return 0;
	if (code == NULL)
		return 1;
	snprintf(want, sizeof(want), " [%s]\n", code);
	end = r->text.data + r->text.len - 1;   /* the NUL added above */
	return (size_t)(end - r->text.data) >= strlen(want) &&
	    strcmp(end - strlen(want), want) == 0;
}

/* json-patch-tests --------------------------------------------------- */

static int
patch_case(void *ctx, const rl_record *rec)
{
	struct run *r = ctx;
	const rl_value *c = rec->value;
	const rl_value *doc, *patch, *expected, *error, *comment;
	char fallback[300];
	const char *desc = fallback;
	size_t dlen;
	int status, code;

	if (r->counting) {
		r->planned++;
		return 0;
	}
	rl_arena_reset(r->scratch);
	dlen = (size_t)snprintf(fallback, sizeof(fallback), "%s record %lu",
	    r->file, rec->index);
	if (c == NULL || c->type != RL_OBJECT) {
		report(r, 0, desc, dlen, NULL, "record is not an object");
		return 0;
	}
	if ((comment = rl_json_get(c, "comment")) != NULL &&
	    comment->type == RL_STRING) {
		desc = comment->u.s.ptr;
		dlen = comment->u.s.len;
	}
	/* Disabled records include ones with two "op" members: never run. */
	if (rl_json_get(c, "disabled") != NULL &&
	    rl_json_get(c, "disabled")->type == RL_TRUE) {
		report(r, 1, desc, dlen, "SKIP disabled", NULL);
		return 0;
	}
	doc = rl_json_get(c, "doc");
	patch = rl_json_get(c, "patch");
	if (doc == NULL || patch == NULL) {
		report(r, 1, desc, dlen, "SKIP no doc or patch", NULL);
		return 0;
	}
	expected = rl_json_get(c, "expected");
	error = rl_json_get(c, "error");
	write_json(r, r->doc, doc);
	write_json(r, r->patch, patch);
	status = run_patch(r);
	code = exit_code(status);
	if (error != NULL) {
		if (code != 1)
			report(r, 0, desc, dlen, NULL, "expected exit 1 (an error)");
		else if (!stderr_op(r, "op ", NULL))
			report(r, 0, desc, dlen, NULL,
			    "expected stderr to name the failing op (reflint: FILE: op N: ...)");
		else
			report(r, 1, desc, dlen, NULL, NULL);
	} else if (code != 0)
		report(r, 0, desc, dlen, NULL, "expected exit 0");
	else if (expected != NULL && !stdout_is(r, expected))
		report(r, 0, desc, dlen, NULL, "result differs from expected");
	else
		report(r, 1, desc, dlen, NULL, NULL);
	return 0;
}

/* json-pointer format vectors ------------------------------------------ */

/*
 * A pointer is run as the path of a `test` op on {}: a valid pointer fails
 * later (patch-target or patch-test-failed) but never with pointer-syntax,
 * an invalid one fails with exactly that.
 */
static void
pointer_case(struct run *r, const rl_value *t)
{
	const rl_value *data = rl_json_get(t, "data");
	const rl_value *valid = rl_json_get(t, "valid");
	const rl_value *desc = rl_json_get(t, "description");
	rl_value *doc, *patch, *op;
	char line[512];
	size_t dlen = 0;
	int code, syntax;

	rl_arena_reset(r->scratch);
	if (desc != NULL && desc->type == RL_STRING)
		dlen = (size_t)snprintf(line, sizeof(line), "%.*s",
		    (int)desc->u.s.len, desc->u.s.ptr);
	if (dlen >= sizeof(line))
		dlen = sizeof(line) - 1;
	if (data == NULL || data->type != RL_STRING) {
		report(r, 1, line, dlen, "SKIP not a string", NULL);
		return;
	}
	if (valid == NULL || !rl_json_is_bool(valid)) {
		report(r, 0, line, dlen, NULL, "no boolean \"valid\"");
		return;
	}
	if ((doc = rl_json_object(r->scratch, 0)) == NULL ||
	    (patch = rl_json_array(r->scratch, 1)) == NULL ||
	    (op = rl_json_object(r->scratch, 3)) == NULL ||
	    rl_json_object_insert(r->scratch, op, 0, "op", 2,
	        rl_json_string(r->scratch, "test", 4)) == -1 ||
	    rl_json_object_insert(r->scratch, op, 1, "path", 4,
	        rl_json_string(r->scratch, data->u.s.ptr, data->u.s.len)) == -1 ||
	    rl_json_object_insert(r->scratch, op, 2, "value", 5,
	        rl_json_null(r->scratch)) == -1 ||
	    rl_json_array_insert(r->scratch, patch, 0, op) == -1)
		bail("out of memory", NULL);
	write_json(r, r->doc, doc);
	write_json(r, r->patch, patch);
	code = exit_code(run_patch(r));
	syntax = code == 1 && stderr_op(r, "op 0: ", "pointer-syntax");
	if (valid->type == RL_TRUE) {
		if (syntax)
			report(r, 0, line, dlen, NULL,
			    "a valid pointer was refused as pointer-syntax");
		else if (code != 0 && !(code == 1 && stderr_op(r, "op 0: ", NULL)))
			report(r, 0, line, dlen, NULL,
			    "expected exit 0, or exit 1 with an op error");
		else
			report(r, 1, line, dlen, NULL, NULL);
	} else if (!syntax)
		report(r, 0, line, dlen, NULL,
		    "expected exit 1 and \"op 0: pointer-syntax:\"");
	else
		report(r, 1, line, dlen, NULL, NULL);
}

static int
pointer_group(void *ctx, const rl_record *rec)
{
	struct run *r = ctx;
	const rl_value *tests = rec->value ? rl_json_get(rec->value, "tests") : NULL;
	size_t i;

	if (tests == NULL || tests->type != RL_ARRAY)
		bail("a group without a \"tests\" array in", r->file);
	if (r->counting) {
		r->planned += tests->u.a.n;
		return 0;
	}
	for (i = 0; i < tests->u.a.n; i++)
		pointer_case(r, tests->u.a.items[i]);
	return 0;
}

/* Driver --------------------------------------------------------------- */

static void
read_all(struct run *r, rl_arena *a, char **files, int nfiles, rl_record_fn fn)
{
	rl_buf data = RL_BUF_INIT;
	rl_diag err = RL_DIAG_INIT;
	int i;

	for (i = 0; i < nfiles; i++) {
		r->file = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1 :
		    files[i];
		/* Whole file in memory: the cases are run as records arrive. */
		if (read_file(files[i], &data) == -1)
			bail(files[i], strerror(errno));
		if (rl_read_mem(data.data, data.len, files[i], &read_opts, a, fn,
		    r, &err) != RL_READ_OK)
			bail(files[i], err.message);
	}
	rl_buf_free(&data);
}

static void
usage(void)
{
	fprintf(stderr, "usage: conformance patch FILE...\n"
	    "       conformance pointer FILE\n");
	exit(2);
}

static void
cleanup(struct run *r)
{
	unlink(r->doc);
	unlink(r->patch);
	unlink(r->out);
	unlink(r->err);
	rmdir(r->dir);
}

int
main(int argc, char *argv[])
{
	struct run r;
	rl_record_fn fn;
	rl_arena *a;
	const char *tmp;

	if (argc < 3)
		usage();
	if (strcmp(argv[1], "patch") == 0)
		fn = patch_case;
	else if (strcmp(argv[1], "pointer") == 0 && argc == 3)
		fn = pointer_group;
	else
		usage();

	memset(&r, 0, sizeof(r));
	if ((r.reflint = getenv("REFLINT")) == NULL || *r.reflint == '\0')
		bail("REFLINT is not set", NULL);
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(r.dir, sizeof(r.dir), "%s/rl-conformance.XXXXXX", tmp);
	if (mkdtemp(r.dir) == NULL)
		bail("mkdtemp", strerror(errno));
	current = &r;
	snprintf(r.doc, sizeof(r.doc), "%s/doc.json", r.dir);
	snprintf(r.patch, sizeof(r.patch), "%s/patch.json", r.dir);
	snprintf(r.out, sizeof(r.out), "%s/stdout", r.dir);
	snprintf(r.err, sizeof(r.err), "%s/stderr", r.dir);
	if ((a = rl_arena_new(0)) == NULL ||
	    (r.scratch = rl_arena_new(0)) == NULL)
		bail("out of memory", NULL);

	/* Count first, so that the plan comes before the results. */
	r.counting = 1;
	read_all(&r, a, argv + 2, argc - 2, fn);
	printf("1..%lu\n", r.planned);
	r.counting = 0;
	read_all(&r, a, argv + 2, argc - 2, fn);

	cleanup(&r);
	rl_buf_free(&r.text);
	rl_arena_free(r.scratch);
	rl_arena_free(a);
	return r.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
