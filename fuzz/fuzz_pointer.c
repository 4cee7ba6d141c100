/*
 * fuzz_pointer.c: libFuzzer harness for RFC 6901 pointers.  Property: a
 * pointer that parses formats back to the same bytes, and evaluating it
 * against a fixed document never crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "pointer.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char doc[] =
	    "{\"foo\":[\"bar\",\"baz\"],\"\":0,\"a/b\":1,\"c%d\":2,\"e^f\":3,"
	    "\"g|h\":4,\"i\\\\j\":5,\"k\\\"l\":6,\" \":7,\"m~n\":8,"
	    "\"x\":{\"y\":[[1],{\"-\":2}]}}";
	rl_buf b = RL_BUF_INIT;
	rl_arena *a = rl_arena_new(0);
	rl_pointer p;
	rl_value *v;
	size_t i, idx;

	if (a == NULL)
		return 0;
	v = rl_parse_value(doc, sizeof(doc) - 1, NULL, a, NULL);
	if (v == NULL)
		abort();
	if (rl_pointer_parse(a, (const char *)data, size, &p, NULL) == 0) {
		if (rl_pointer_format(&b, &p) == -1)
			abort();
		if (b.len != size || (size && memcmp(b.data, data, size) != 0))
			abort();
		for (i = 0; i < p.n; i++)
			(void)rl_pointer_index(&p.tok[i], &idx);
		(void)rl_pointer_get(v, &p);
	}
	rl_buf_free(&b);
	rl_arena_free(a);
	return 0;
}
