/*
 * fuzz_rules.c: libFuzzer harness for the rules loader.  The first byte
 * picks which rule file the rest of the input replaces; the other files
 * come from the source tree's rules/ (REFLINT_FUZZ_RULES or the compiled-in
 * path).  Property: loading never crashes or leaks, whatever the file holds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/stat.h>

#include "rules.h"

#ifndef RL_FUZZ_RULES
#define RL_FUZZ_RULES "rules"
#endif

static char dir[64];

static void
quiet(void *ctx, const rl_diag *d)
{
	(void)ctx;
	(void)d;
}

static int
copy_file(const char *from, const char *to, const uint8_t *data, size_t size)
{
	FILE *in, *out;
	char buf[8192];
	size_t n;

	if ((out = fopen(to, "wb")) == NULL)
		return -1;
	if (data != NULL)
		fwrite(data, 1, size, out);
	else if ((in = fopen(from, "rb")) != NULL) {
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, out);
		fclose(in);
	}
	return fclose(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = getenv("REFLINT_FUZZ_RULES");
	char from[512], to[512];
	size_t i, nfiles = 0, pick;
	rl_rules *r;

	if (size < 1)
		return 0;
	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/reflint-fuzz-rules.%ld", (long)getpid());
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			abort();
	}
	if (src == NULL)
		src = RL_FUZZ_RULES;
	while (rl_rule_files[nfiles] != NULL)
		nfiles++;
	pick = data[0] % nfiles;
	for (i = 0; i < nfiles; i++) {
		snprintf(from, sizeof(from), "%s/%s", src, rl_rule_files[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, rl_rule_files[i]);
		if (copy_file(from, to, i == pick ? data + 1 : NULL, size - 1) != 0)
			return 0;
	}
	if ((r = rl_rules_load(dir, quiet, NULL)) != NULL)
		rl_rules_free(r);
	return 0;
}
