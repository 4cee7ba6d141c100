/*
 * cmd_rules.c: reflint rules, which lists or lints a rule directory (reflint(1)).
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

/* Takes --rules DIR at argv[*i]: 1 = taken, 0 = not it, -1 = bad. */
static int
rules_option(const char **dir, int argc, char **argv, int *i)
{
	if (strcmp(argv[*i], "--rules") != 0)
		return 0;
	if (*i + 1 >= argc) {
		warnx_("--rules needs a directory");
		return -1;
	}
	*dir = argv[++*i];
	return 1;
}

/* reflint rules [--rules DIR] [--list | --lint] */
int
rl_cmd_rules(int argc, char **argv)
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
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return rl_cli_help_command(C_RULES);
		if (strcmp(argv[i], "--list") == 0)
			list = 1;
		else if (strcmp(argv[i], "--lint") == 0)
			lint = 1;
		else {
			if (argv[i][0] == '-')
				rl_cli_unknown_option(argv[i], C_RULES);
			else
				warnx_("unexpected argument %s", argv[i]);
			rl_cli_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (list && lint) {
		warnx_("--list and --lint exclude each other");
		return EXIT_USAGE;
	}
	if ((r = rl_rules_load(rl_cli_rules_dir(dir), rl_cli_print_diag, NULL)) == NULL)
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
	if (rl_cli_write_all(STDOUT_FILENO, out.data, out.len) == -1) {
		rl_sayf(RL_IO_ERROR, "-", "cannot write: %s", strerror(errno));
		rc = EXIT_IO;
	}
done:
	rl_buf_free(&out);
	rl_rules_free(r);
	return rc;
nomem:
	rl_sayf(RL_NOMEM, NULL, "%s", strerror(ENOMEM));
	rc = EXIT_IO;
	goto done;
}
