/*
 * cmd_patch.c: reflint patch DOC PATCH, plain RFC 6902 with no business rules (reflint(1)).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "cli.h"
#include "diag.h"
#include "json.h"
#include "patch.h"
#include "reader.h"
#include "rules.h"

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
	rl_diag d = RL_DIAG_INIT;

	*rc = EXIT_IO;
	if (rl_cli_slurp(path, b) == -1) {
		rl_sayf(RL_IO_ERROR, path, "cannot read: %s", strerror(errno));
		return NULL;
	}
	if ((v = rl_parse_value(b->data ? b->data : "", b->len, o, a, &d)) == NULL) {
		d.source = path;
		rl_say_diag(&d);
		if (d.code != RL_NOMEM)
			*rc = EXIT_REJECTED;
	}
	return v;
}

/* reflint patch DOC PATCH: plain RFC 6902, no business rules. */
int
rl_cmd_patch(int argc, char **argv)
{
	rl_buf docbuf = RL_BUF_INIT, patchbuf = RL_BUF_INIT, out = RL_BUF_INIT;
	const char *files[2];
	rl_value *doc, *patch;
	rl_reader_opts o;
	rl_arena *a;
	rl_diag d = RL_DIAG_INIT;
	size_t max_ops = RL_DEFAULT_MAX_OPS;
	int i, nfiles = 0, rc = EXIT_IO, r;

	rl_cli_reader_defaults(&o);
	o.format = RL_FMT_VALUE;
	/* plain RFC 6902: "foo" and "FOO" are two members, as for the RFC */
	o.case_sensitive_names = 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return rl_cli_help_command(C_PATCH);
		if ((r = rl_cli_limit_option(&o, &max_ops, argc, argv, &i)) == -1)
			return EXIT_USAGE;
		if (r == 1)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			rl_cli_unknown_option(argv[i], C_PATCH);
			rl_cli_usage(stderr);
			return EXIT_USAGE;
		}
		if (nfiles == 2) {
			rl_cli_usage(stderr);
			return EXIT_USAGE;
		}
		files[nfiles++] = argv[i];
	}
	if (nfiles != 2) {
		rl_cli_usage(stderr);
		return EXIT_USAGE;
	}
	if ((a = rl_arena_new(0)) == NULL) {
		rl_sayf(RL_NOMEM, NULL, "%s", strerror(ENOMEM));
		return EXIT_IO;
	}
	if ((doc = load_value(files[0], &o, a, &docbuf, &rc)) == NULL ||
	    (patch = load_value(files[1], &o, a, &patchbuf, &rc)) == NULL)
		goto done;
	if (patch->type != RL_ARRAY) {
		rl_sayf(RL_PATCH_SHAPE, files[1],
		    "a JSON Patch is an array of operations");
		rc = EXIT_REJECTED;
		goto done;
	}
	if (patch->u.a.n > max_ops) {
		rl_sayf(RL_JSON_LIMIT, files[1],
		    "op %zu: patch of %zu operations, more than %zu",
		    max_ops, patch->u.a.n, max_ops);
		rc = EXIT_REJECTED;
		goto done;
	}
	if (rl_patch_apply(a, &doc, patch, &d) == -1) {
		if (d.code == RL_NOMEM) {
			rl_say_diag(&d);
			rc = EXIT_IO;
		} else {
			rl_sayf(d.code, files[1], "op %ld: %s", d.op, d.message);
			rc = EXIT_REJECTED;
		}
		goto done;
	}
	if (rl_json_serialize(&out, doc) == -1 || rl_buf_putc(&out, '\n') == -1) {
		rl_sayf(RL_NOMEM, NULL, "%s", strerror(ENOMEM));
		goto done;
	}
	if (rl_cli_write_all(STDOUT_FILENO, out.data, out.len) == -1) {
		if (errno != EPIPE)
			rl_sayf(RL_IO_ERROR, "-", "cannot write: %s", strerror(errno));
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
