/*
 * standalone.c: runs a libFuzzer harness over saved inputs without
 * libFuzzer, so that every crash the fuzzers ever found stays a regression
 * test of `make check` (and of the sanitizer build in CI).  Prints TAP.
 *   fuzz_NAME_regress FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	unsigned char *buf;
	size_t n, cap;
	FILE *fp;
	int i;

	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "rb")) == NULL) {
			printf("not ok %d - %s: cannot open\n", i, argv[i]);
			continue;
		}
		buf = NULL;
		n = cap = 0;
		for (;;) {
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				if ((buf = realloc(buf, cap)) == NULL)
					abort();
			}
			size_t got = fread(buf + n, 1, cap - n, fp);
			if (got == 0)
				break;
			n += got;
		}
		fclose(fp);
		/* A crash or sanitizer report ends the program: TAP sees it. */
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
		printf("ok %d - %s\n", i, argv[i]);
	}
	return 0;
}
