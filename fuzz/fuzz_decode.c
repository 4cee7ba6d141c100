/*
 * fuzz_decode.c: libFuzzer harness for the decoders of spreadsheet
 * encodings (decode.h).  The first byte picks the encoding (detected,
 * UTF-8, UTF-16, Windows-1252) and a chunk size (1 to 64).  Properties: no
 * crash, leak or sanitizer report; the output is the same bytes, and the
 * problem the same line and column, whether the input comes whole or in
 * chunks; the output is valid UTF-8 (RL_ENC_NONE aside); and after a
 * problem the output ends at the end of its line.  Then the same bytes
 * are read as a spreadsheet through the source (source.h), which sniffs,
 * decodes in read-sized slices (the chunk size) and makes the first pass
 * over the dates: no crash, every row numbered without gaps, and a
 * csv-encoding problem once at most.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "decode.h"
#include "diag.h"
#include "rules.h"
#include "source.h"

#ifndef RL_FUZZ_RULES
#define RL_FUZZ_RULES "rules"
#endif

static rl_rules *rules;

static void
quiet(void *ctx, const rl_diag *d)
{
	(void)ctx;
	(void)d;
}

/* The bytes as a spreadsheet, through the source's decoder. */
static void
as_csv(rl_encoding e, const char *s, size_t n, size_t chunk)
{
	const char *dir = getenv("REFLINT_FUZZ_RULES");
	rl_source_opts so;
	rl_source_item it;
	rl_source *src;
	rl_arena *a;
	unsigned long want = 1, bad = 0;

	if (rules == NULL &&
	    (rules = rl_rules_load(dir ? dir : RL_FUZZ_RULES, quiet, NULL)) == NULL)
		abort();
	memset(&so, 0, sizeof(so));
	so.kind = chunk & 1 ? RL_SOURCE_CSV : RL_SOURCE_DETECT;
	so.rules = rules;
	so.ro.bufsize = chunk;
	so.co.encoding = e;
	if ((a = rl_arena_new(0)) == NULL)
		abort();
	if ((src = rl_source_open_mem(s, n, "fuzz.txt", &so, NULL)) != NULL) {
		while (rl_source_next(src, a, &it)) {
			if (it.kind == RL_ITEM_ROW && it.row.rec.index != want++)
				abort();
			if (it.kind == RL_ITEM_ROW && it.row.rec.diag != NULL &&
			    it.row.rec.diag->code == RL_CSV_ENCODING && bad++ > 0)
				abort();
			rl_arena_reset(a);
		}
		if (rl_source_status(src, NULL) == -1)
			abort();
	}
	rl_source_close(src);
	rl_arena_free(a);
}

static int
decode(rl_encoding e, const char *s, size_t n, size_t chunk, rl_buf *out,
    rl_diag *err)
{
	rl_decoder *d = rl_decoder_new(e);
	size_t at = 0;

	if (d == NULL)
		return -1;
	do {
		size_t k = n - at < chunk ? n - at : chunk;

		if (rl_decoder_feed(d, s + at, k, at + k == n, out) == -1) {
			rl_decoder_free(d);
			return -1;
		}
		at += k;
	} while (at < n);
	memset(err, 0, sizeof(*err));
	if (rl_decoder_error(d) != NULL)
		*err = *rl_decoder_error(d);
	rl_decoder_free(d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const rl_encoding encs[] = { RL_ENC_AUTO, RL_ENC_UTF8,
	    RL_ENC_UTF16, RL_ENC_WINDOWS_1252 };
	rl_buf whole = RL_BUF_INIT, cut = RL_BUF_INIT;
	rl_diag e1, e2;
	rl_encoding e;
	size_t chunk;
	const char *s;

	if (size < 1)
		return 0;
	e = encs[data[0] & 3];
	chunk = (size_t)(data[0] >> 2) + 1;
	s = (const char *)data + 1;
	size--;
	if (decode(e, s, size, size > 0 ? size : 1, &whole, &e1) == 0 &&
	    decode(e, s, size, chunk, &cut, &e2) == 0) {
		if (whole.len != cut.len ||
		    (whole.len > 0 && memcmp(whole.data, cut.data, whole.len) != 0))
			abort();
		if (e1.code != e2.code || e1.line != e2.line || e1.column != e2.column)
			abort();
		if (rl_utf8_mended_len(whole.data != NULL ? whole.data : "",
		    whole.len) != whole.len)
			abort();            /* not valid UTF-8 */
		if (e1.code != RL_OK && whole.len > 0) {
			const char *nl = memchr(whole.data, '\n', whole.len);
			size_t lines = 1;

			for (const char *p = whole.data; p != NULL &&
			    (p = memchr(p, '\n', whole.len - (size_t)(p - whole.data))) != NULL; p++)
				lines++;
			/* the problem's line is the last one written */
			if (nl != NULL && whole.data[whole.len - 1] == '\n')
				lines--;
			if (e1.line != lines)
				abort();
		}
	}
	rl_buf_free(&whole);
	rl_buf_free(&cut);
	as_csv(e, s, size, chunk);
	return 0;
}
