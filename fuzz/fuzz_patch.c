/*
 * fuzz_patch.c: libFuzzer harness for the RFC 6902 engine.  The input is a
 * document and a patch separated by a NUL byte.  Property: a failing patch
 * leaves the document exactly as it was (atomicity through the undo log).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "json.h"
#include "patch.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0, size);
	rl_buf before = RL_BUF_INIT, after = RL_BUF_INIT;
	rl_value *doc, *patch;
	rl_arena *a;
	rl_diag d = RL_DIAG_INIT;

	if (sep == NULL || (a = rl_arena_new(0)) == NULL)
		return 0;
	doc = rl_parse_value((const char *)data, (size_t)(sep - data), NULL, a, NULL);
	patch = rl_parse_value((const char *)sep + 1, size - (size_t)(sep - data) - 1,
	    NULL, a, NULL);
	if (doc != NULL && patch != NULL && patch->type == RL_ARRAY) {
		if (rl_json_serialize(&before, doc) == -1)
			abort();
		if (rl_patch_apply(a, &doc, patch, &d) == -1 && d.code != RL_NOMEM) {
			if (rl_json_serialize(&after, doc) == -1)
				abort();
			if (after.len != before.len ||
			    memcmp(after.data, before.data, before.len) != 0)
				abort();
		}
	}
	rl_buf_free(&before);
	rl_buf_free(&after);
	rl_arena_free(a);
	return 0;
}
