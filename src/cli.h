/*
 * cli.h: the command's voice and its help (reflint(1)): the one printer of
 * the command's messages, reflint: FILE[:LINE[:COL]]: message [CODE]; the
 * progress line on a terminal; the table of options behind COMMAND --help
 * and "did you mean"; the parsers of sizes and counts.
 * Included by main.c only: this is the program's, not the library's (the
 * library never prints).
 */
#ifndef RL_CLI_H
#define RL_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "diag.h"
#include "reader.h"
#include "report.h"

/* Exit statuses (reflint(1), EXIT STATUS). */
enum {
	EXIT_OK = 0,
	EXIT_REJECTED = 1,
	EXIT_USAGE = 2,
	EXIT_CONFIG = 3,
	EXIT_IO = 4
};

/* Internal status of the parsers: the command's --help was asked for. */
#define EXIT_HELP (-1)

/* The commands, as bits, for the options each one takes. */
enum {
	C_CHECK = 1, C_APPLY = 2, C_ELIG = 4, C_PATCH = 8, C_RULES = 16
};
#define C_CA  (C_CHECK | C_APPLY)
#define C_RUN (C_CHECK | C_APPLY | C_ELIG)
#define C_LIM (C_RUN | C_PATCH)
#define C_ALL (C_LIM | C_RULES)

/* The usage lines (to stderr on a usage error, stdout for --help). */
void rl_cli_usage(FILE *);
/* reflint COMMAND --help and reflint --help: exit status. */
int  rl_cli_help_command(unsigned bit);
int  rl_cli_help_all(void);
/* The bit of a command name; 0 when unknown. */
unsigned rl_cli_command_bit(const char *name);
/* An option no command of bit takes, with "did you mean": EXIT_USAGE. */
int  rl_cli_unknown_option(const char *arg, unsigned bit);
/* "64M" and the like; 0 when it is not a size (or is 0). */
unsigned long long rl_cli_parse_size(const char *);
/* A whole number above 0; 0 when it is not one. */
unsigned long long rl_cli_parse_count(const char *);
/* What a bad size or count is told to write instead. */
#define RL_SIZE_FORMS "write bytes, or k, M or G for KiB, MiB or GiB (1k, 64M)"
#define RL_COUNT_FORMS "write a whole number above 0"

/*
 * What every command reads with.  reader_defaults: the reader options
 * (REFLINT_READ_BUFFER sets the read(2) size: the golden tests re-run
 * every input with sizes 1 to 31).  limit_option: takes a limit option
 * at argv[*i] if there is one: 1 = taken, 0 = not a limit option, -1 =
 * bad value (reported).  slurp: a whole file, or stdin for "-", into b;
 * -1 with errno.  write_all: -1 when a write fails.  rules_dir: --rules
 * DIR (opt, may be NULL), else REFLINT_RULES, else the installed rules.
 */
void rl_cli_reader_defaults(rl_reader_opts *);
int  rl_cli_limit_option(rl_reader_opts *, size_t *max_ops, int argc,
		char **argv, int *i);
int  rl_cli_slurp(const char *path, rl_buf *b);
int  rl_cli_write_all(int fd, const char *p, size_t n);
const char *rl_cli_rules_dir(const char *opt);
/* rl_say_diag as a callback of the loaders (ctx unused). */
void rl_cli_print_diag(void *ctx, const rl_diag *);

/* The commands of their own files: exit status. */
int  rl_cmd_patch(int argc, char **argv);
int  rl_cmd_rules(int argc, char **argv);

/*
 * --encoding and --date-order (either may be NULL): EXIT_USAGE with a
 * message when a word is not one of theirs; else 0, with *enc (decode.h's
 * rl_encoding, 0 = detect) and *order ('m', 'd', 0 = the default) set
 * when not NULL.
 */
int  rl_cli_csv_words(const char *encoding, const char *date_order, int *enc,
		char *order);

/* Flushes and closes stdout: EXIT_IO with a message when that fails. */
int  rl_cli_finish_stdout(void);

/* The printer: file may be NULL, line and column 0, code RL_OK. */
void rl_say(rl_code, const char *file, unsigned long line,
		unsigned long column, const char *msg);
void rl_say_diag(const rl_diag *);
void rl_sayf(rl_code, const char *file, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* A usage problem: no file, no code. */
#define warnx_(...) rl_sayf(RL_OK, NULL, __VA_ARGS__)

/*
 * The progress line (on stderr, a terminal, in the foreground): start
 * returns on; show and on_terminal are the batch's progress and terminal
 * callbacks (ctx unused); end takes the line off.
 */
int  rl_progress_start(int on);
void rl_progress_show(void *ctx, const rl_summary *, uint64_t total);
void rl_progress_on_terminal(void *ctx, int before);
void rl_progress_hide(void);
void rl_progress_end(void);

#endif /* RL_CLI_H */
