/*
 * parse_only.c: the benchmark's baseline (README, Performance).
 *
 * Parses the same bytes as reflint, as reflint's reader does (read(2) in
 * 64 KiB pieces, one yajl handle with yajl_allow_multiple_values, numbers
 * through yajl_number so nothing is converted), with callbacks that do
 * nothing.  No program that reads every byte through yajl can be much
 * faster: reflint's time is given as a multiple of this one.
 *
 * usage: parse_only [-b BUFSIZE] [FILE ...]    (no FILE: stdin)
 * Exit 0, or 1 with yajl's message on the first syntax error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

static int
on_null(void *ctx)
{
	(void)ctx;
	return 1;
}

static int
on_boolean(void *ctx, int b)
{
	(void)ctx;
	(void)b;
	return 1;
}

static int
on_number(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	(void)s;
	(void)len;
	return 1;
}

static int
on_string(void *ctx, const unsigned char *s, size_t len)
{
	(void)ctx;
	(void)s;
	(void)len;
	return 1;
}

static int
on_event(void *ctx)
{
	(void)ctx;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_boolean,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_event,
	.yajl_map_key = on_string,
	.yajl_end_map = on_event,
	.yajl_start_array = on_event,
	.yajl_end_array = on_event
};

static int
fail(yajl_handle h, const char *name, const unsigned char *p, size_t n)
{
	unsigned char *msg = yajl_get_error(h, 1, p, n);

	fprintf(stderr, "parse_only: %s: %s", name, (const char *)msg);
	yajl_free_error(h, msg);
	return 1;
}

static int
parse_fd(int fd, const char *name, unsigned char *buf, size_t bufsize)
{
	yajl_handle h;
	ssize_t got;
	int rc = 0;

	if ((h = yajl_alloc(&callbacks, NULL, NULL)) == NULL) {
		fprintf(stderr, "parse_only: out of memory\n");
		return 1;
	}
	yajl_config(h, yajl_allow_multiple_values, 1);
	for (;;) {
		got = read(fd, buf, bufsize);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			fprintf(stderr, "parse_only: %s: %s\n", name,
			    strerror(errno));
			rc = 1;
			break;
		}
		if (got == 0) {
			if (yajl_complete_parse(h) != yajl_status_ok)
				rc = fail(h, name, NULL, 0);
			break;
		}
		if (yajl_parse(h, buf, (size_t)got) != yajl_status_ok) {
			rc = fail(h, name, buf, (size_t)got);
			break;
		}
	}
	yajl_free(h);
	return rc;
}

int
main(int argc, char **argv)
{
	size_t bufsize = 64 * 1024;
	unsigned char *buf;
	int i = 1, fd, rc = 0;

	if (argc > 2 && strcmp(argv[1], "-b") == 0) {
		bufsize = strtoul(argv[2], NULL, 10);
		i = 3;
	}
	if (bufsize == 0 || (buf = malloc(bufsize)) == NULL) {
		fprintf(stderr, "usage: parse_only [-b BUFSIZE] [FILE ...]\n");
		return 2;
	}
	if (i == argc)
		rc = parse_fd(0, "-", buf, bufsize);
	for (; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			fd = 0;
		else if ((fd = open(argv[i], O_RDONLY)) == -1) {
			fprintf(stderr, "parse_only: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 1;
			continue;
		}
		rc |= parse_fd(fd, argv[i], buf, bufsize);
		if (fd != 0)
			close(fd);
	}
	free(buf);
	return rc;
}
