/*
 * check_decode.c: the decoders of spreadsheet encodings (decode.h), fed
 * whole and in every chunk size from 1 to 7 bytes, which must give the
 * same bytes and the same problem; and the CSV sources (source.h) that
 * read through them: detection, csv-encoding, dates, near misses, ranges.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "tests.h"
#include "csvmap.h"
#include "decode.h"
#include "rules.h"
#include "source.h"
#include "utf8.h"

#define N(x) (int)(sizeof(x) / sizeof((x)[0]))

static const struct dcase {
	const char *name;
	rl_encoding enc;
	const char *in;
	size_t len;
	const char *out;         /* expected UTF-8 */
	unsigned long line, col; /* of the problem; 0 = none */
	const char *what;        /* in its message */
	rl_encoding used;
} dcases[] = {
#define S(x) x, sizeof(x) - 1
	{ "ascii", RL_ENC_AUTO, S("a,b\nc,d\n"), "a,b\nc,d\n", 0, 0, NULL, RL_ENC_UTF8 },
	{ "utf-8 with BOM", RL_ENC_AUTO, S("\xEF\xBB\xBFh\xC3\xA9\n"),
	  "\xEF\xBB\xBFh\xC3\xA9\n", 0, 0, NULL, RL_ENC_UTF8 },
	{ "utf-16le BOM", RL_ENC_AUTO, S("\xFF\xFE" "a\0\t\0\xE9\0\r\0\n\0"),
	  "a\t\xC3\xA9\r\n", 0, 0, NULL, RL_ENC_UTF16LE },
	{ "utf-16be BOM", RL_ENC_AUTO, S("\xFE\xFF\0a\0\t\0\xE9\0\n"),
	  "a\t\xC3\xA9\n", 0, 0, NULL, RL_ENC_UTF16BE },
	{ "utf-16le no BOM", RL_ENC_AUTO, S("R\0e\0f\0\n\0x\0"), "Ref\nx", 0, 0, NULL,
	  RL_ENC_UTF16LE },
	{ "utf-16be no BOM", RL_ENC_AUTO, S("\0R\0e\0f\0\n"), "Ref\n", 0, 0, NULL,
	  RL_ENC_UTF16BE },
	{ "utf-16 surrogate pair", RL_ENC_AUTO, S("\xFF\xFEx\0\x3D\xD8\x00\xDE\n\0"),
	  "x\xF0\x9F\x98\x80\n", 0, 0, NULL, RL_ENC_UTF16LE },
	{ "forced utf-16 without BOM: little endian", RL_ENC_UTF16, S("a\0b\0"),
	  "ab", 0, 0, NULL, RL_ENC_UTF16LE },
	{ "windows-1252", RL_ENC_WINDOWS_1252, S("caf\xE9 \x80 \x93x\x94\n"),
	  "caf\xC3\xA9 \xE2\x82\xAC \xE2\x80\x9Cx\xE2\x80\x9D\n", 0, 0, NULL,
	  RL_ENC_WINDOWS_1252 },
	/* a problem: the rest of its line with U+FFFD, then nothing */
	{ "latin-1 as utf-8", RL_ENC_AUTO, S("ok\nr,caf\xE9,x\xE8y\nnext\n"),
	  "ok\nr,caf\xEF\xBF\xBD,x\xEF\xBF\xBDy\n", 2, 6, "byte 0xE9 is not UTF-8", RL_ENC_UTF8 },
	{ "forced utf-8", RL_ENC_UTF8, S("\xEF\xBB\xBF" "a\xC0\xAF"),
	  "\xEF\xBB\xBF" "a\xEF\xBF\xBD\xEF\xBF\xBD", 1, 2, "windows-1252", RL_ENC_UTF8 },
	{ "surrogate in utf-8", RL_ENC_AUTO, S("a\xED\xA0\x80z"),
	  "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz", 1, 2, "0xED", RL_ENC_UTF8 },
	{ "utf-8 cut at the end", RL_ENC_AUTO, S("ab\xC3"), "ab\xEF\xBF\xBD", 1, 3,
	  "0xC3", RL_ENC_UTF8 },
	{ "undefined windows-1252 byte", RL_ENC_WINDOWS_1252, S("a\nb\x81""c\nd\n"),
	  "a\nb\xEF\xBF\xBD""c\n", 2, 2, "0x81 is not a Windows-1252", RL_ENC_WINDOWS_1252 },
	{ "unpaired surrogate", RL_ENC_AUTO, S("\xFF\xFEx\0\x00\xDCy\0\n\0z\0"),
	  "x\xEF\xBF\xBDy\n", 1, 2, "unpaired", RL_ENC_UTF16LE },
	{ "odd utf-16", RL_ENC_AUTO, S("\xFF\xFEx\0y"), "x\xEF\xBF\xBD", 1, 2,
	  "odd number", RL_ENC_UTF16LE },
	{ "none", RL_ENC_NONE, S("\xE9\n"), "\xE9\n", 0, 0, NULL, RL_ENC_NONE },
#undef S
};

static void
run(const struct dcase *c, size_t chunk, rl_buf *out, rl_diag *err,
    rl_encoding *used)
{
	rl_decoder *d = rl_decoder_new(c->enc);
	size_t at = 0;

	ck_assert_ptr_nonnull(d);
	out->len = 0;
	do {
		size_t k = chunk == 0 || c->len - at < chunk ? c->len - at : chunk;

		ck_assert_int_eq(rl_decoder_feed(d, c->in + at, k,
		    at + k == c->len, out), 0);
		at += k;
	} while (at < c->len);
	memset(err, 0, sizeof(*err));
	if (rl_decoder_error(d) != NULL)
		*err = *rl_decoder_error(d);
	*used = rl_decoder_encoding(d);
	rl_decoder_free(d);
}

START_TEST(test_decode)
{
	const struct dcase *c = &dcases[_i];
	rl_buf out = RL_BUF_INIT;
	size_t chunk;

	for (chunk = 0; chunk <= 7; chunk++) {
		rl_diag err;
		rl_encoding used;

		run(c, chunk, &out, &err, &used);
		ck_assert_msg(out.len == strlen(c->out) &&
		    memcmp(out.data, c->out, out.len) == 0,
		    "%s, chunks of %zu: got \"%.*s\"", c->name, chunk,
		    (int)out.len, out.data);
		ck_assert_msg(used == c->used, "%s: encoding %s", c->name,
		    rl_encoding_name(used));
		if (c->line == 0) {
			ck_assert_msg(err.code == RL_OK, "%s: %s", c->name, err.message);
			continue;
		}
		ck_assert_int_eq(err.code, RL_CSV_ENCODING);
		ck_assert_msg(err.line == c->line && err.column == c->col,
		    "%s, chunks of %zu: at %lu:%lu", c->name, chunk, err.line,
		    err.column);
		ck_assert_msg(strstr(err.message, c->what) != NULL, "%s: %s",
		    c->name, err.message);
	}
	rl_buf_free(&out);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_int_eq(rl_encoding_lookup("UTF-8"), RL_ENC_UTF8);
	ck_assert_int_eq(rl_encoding_lookup("utf-16"), RL_ENC_UTF16);
	ck_assert_int_eq(rl_encoding_lookup("Windows-1252"), RL_ENC_WINDOWS_1252);
	ck_assert_int_eq(rl_encoding_lookup("latin1"), -1);
	ck_assert_int_eq(rl_utf16_sniff("\xFF\xFE", 2), 1);
	ck_assert_int_eq(rl_utf16_sniff("\xFE\xFF", 2), 2);
	ck_assert_int_eq(rl_utf16_sniff("Referral", 8), 0);
	ck_assert_int_eq(rl_utf16_sniff("R\0e\0", 4), 1);
}
END_TEST

/* ---- the CSV sources through the decoders ------------------------------ */

static rl_rules *rules;

/* Every item of a source as a line; the header's encoding first. */
static const char *
read_source(rl_source *s)
{
	static rl_buf b;
	rl_arena *a = rl_arena_new(0);
	rl_source_item it;
	rl_diag err;
	size_t i;

	ck_assert_ptr_nonnull(a);
	b.len = 0;
	while (rl_source_next(s, a, &it)) {
		const rl_csv_record *r = &it.row;

		if (it.kind == RL_ITEM_HEADER) {
			rl_buf_printf(&b, "H %s\n", it.header.encoding != NULL ?
			    it.header.encoding : "(utf-8)");
			continue;
		}
		if (r->rec.diag != NULL)
			rl_buf_printf(&b, "L%lu %s: %s\n", r->rec.diag->line,
			    rl_code_name(r->rec.diag->code), r->rec.diag->message);
		else
			rl_buf_printf(&b, "%s\n", rl_test_dump(r->rec.value));
		for (i = 0; i < r->nconv; i++) {
			char l[RL_CSV_COLUMN_NAME_MAX] = "-";

			/* the field, which the batch names in front */
			if (r->conv[i].field >= 0)
				(void)rl_csv_column_name(
				    (unsigned long)r->conv[i].field, l);
			rl_buf_printf(&b, "  %s L%lu:%lu @%s %s\n",
			    rl_code_name(r->conv[i].code), r->conv[i].line,
			    r->conv[i].column, l, r->conv[i].message);
		}
		rl_arena_reset(a);
	}
	ck_assert_int_eq(rl_source_status(s, &err), RL_READ_OK);
	rl_arena_free(a);
	return rl_buf_cstr(&b);
}

static void
opts(rl_source_opts *so, int enc, char order)
{
	memset(so, 0, sizeof(*so));
	so->rules = rules;
	so->co.encoding = enc;
	so->co.date_order = order;
}

/* Bytes in memory (a first pass over the dates), or through a pipe (none). */
static const char *
read_csv(const char *in, size_t len, const char *name, int enc, char order,
    int pipe_it)
{
	rl_source_opts so;
	rl_source *s;
	const char *got;
	int fds[2];

	opts(&so, enc, order);
	if (!pipe_it) {
		ck_assert_ptr_nonnull(s = rl_source_open_mem(in, len, name, &so,
		    NULL));
		got = read_source(s);
		ck_assert_str_eq(rl_source_format_name(s), "csv");
		rl_source_close(s);
		return got;
	}
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], in, len), (ssize_t)len);
	close(fds[1]);
	ck_assert_ptr_nonnull(s = rl_source_open_fd(fds[0], name, &so, NULL));
	got = read_source(s);
	ck_assert_str_eq(rl_source_format_name(s), "csv");
	rl_source_close(s);
	close(fds[0]);
	return got;
}

START_TEST(test_csv_encoding)
{
	static const char w[] = "Referral ID,Deal Name\nr1,ok\nr2,caf\xE9\nr3,x\xE9\n";
	const char *got = read_csv(w, sizeof(w) - 1, "t.csv", RL_ENC_AUTO, 0, _i);

	/* the first bad row only, naming its cell; nothing after it */
	ck_assert_msg(strstr(got, "H (utf-8)\n{\"id\":\"r1\"") == got, "%s", got);
	ck_assert_msg(strstr(got, "L3 csv-encoding: cell B3 (column \"Deal Name\"), character 7: byte 0xE9 is not UTF-8") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "r3") == NULL, "%s", got);
	got = read_csv(w, sizeof(w) - 1, "t.csv", RL_ENC_WINDOWS_1252, 0, _i);
	ck_assert_msg(strstr(got, "H WINDOWS-1252\n") == got, "%s", got);
	ck_assert_msg(strstr(got, "\"caf\xC3\xA9\"") != NULL &&
	    strstr(got, "\"x\xC3\xA9\"") != NULL, "%s", got);
}
END_TEST

/* Excel's "Unicode Text": UTF-16 with its BOM, tabs, a .txt name. */
START_TEST(test_csv_utf16)
{
	static const char u[] = "\xFF\xFE" "R\0e\0f\0e\0r\0r\0a\0l\0 \0I\0D\0\t\0"
	    "D\0e\0a\0l\0 \0N\0a\0m\0e\0\r\0\n\0r\0001\0\t\0\xE9\0\r\0\n\0";
	const char *got = read_csv(u, sizeof(u) - 1, "export.txt", RL_ENC_AUTO,
	    0, _i);

	ck_assert_msg(strcmp(got, "H UTF-16LE\n{\"id\":\"r1\",\"patch\":[{\"op\":"
	    "\"replace\",\"path\":\"/name\",\"value\":\"\xC3\xA9\"}]}\n") == 0,
	    "%s", got);
}
END_TEST

START_TEST(test_csv_dates)
{
	static const char d[] = "Referral ID,Estimated Close Date\n"
	    "r1,01/12/2026\nr2,30/06/2026\nr3,05/05/2026\nr4,12/01/2026\n";
	const char *got = read_csv(d, sizeof(d) - 1, "t.csv", RL_ENC_AUTO, 0, 1);

	/* through a pipe the rows are read once: row 2 is named by row 3's */
	ck_assert_msg(strstr(got, "as DD/MM/YYYY it is 30 June") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "though they read both ways: row 2") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "csv-date-ambiguous L5:4 @B \"12/01/2026\" is read as December 1") != NULL, "%s", got);
	/* in memory, the first pass finds row 3 before row 2 is judged */
	got = read_csv(d, sizeof(d) - 1, "t.csv", RL_ENC_AUTO, 0, 0);
	ck_assert_msg(strstr(got, "csv-date-ambiguous L2:4 @B \"01/12/2026\" is read as January 12 (MM/DD/YYYY), but the column also has \"30/06/2026\" (row 3)") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "though they read both ways") == NULL, "%s", got);
	/* 05/05 reads the same both ways */
	ck_assert_msg(strstr(got, "05/05/2026\" is read") == NULL, "%s", got);
	got = read_csv(d, sizeof(d) - 1, "t.csv", RL_ENC_AUTO, 'd', 0);
	ck_assert_msg(strstr(got, "csv-date-ambiguous") == NULL, "%s", got);
	ck_assert_msg(strstr(got, "\"2026-12-01T00:00:00Z\"") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "\"2026-06-30T00:00:00Z\"") != NULL, "%s", got);
	got = read_csv(d, sizeof(d) - 1, "t.csv", RL_ENC_AUTO, 'm', 0);
	ck_assert_msg(strstr(got, "csv-date-ambiguous") == NULL, "%s", got);
	ck_assert_msg(strstr(got, "give --date-order dmy") != NULL, "%s", got);
}
END_TEST

START_TEST(test_csv_near_miss)
{
	static const char h[] = "Referral ID,estimated deal vaule,DealName,Notes 2,Colour\n"
	    "r1,5,x,y,z\n";
	const char *got = read_csv(h, sizeof(h) - 1, "t.csv", RL_ENC_AUTO, 0, 0);

	ck_assert_msg(strstr(got, "csv-column-unknown L1:13 @B not a column reflint reads; did you mean \"Estimated Deal Value\"? This row's \"5\"") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "csv-column-unknown L1:34 @C not a column reflint reads; did you mean \"Deal Name\"") != NULL, "%s", got);
	/* a number of its own, or too far: ignored, not unknown */
	ck_assert_msg(strstr(got, " @D ") == NULL, "%s", got);
	ck_assert_msg(strstr(got, " @E ") == NULL, "%s", got);
}
END_TEST

/*
 * A range after the first (header_of) reads with what the header's source
 * found: its encoding, its near misses and the first pass's dates, which
 * it copies; it makes no pass of its own.
 */
START_TEST(test_csv_follow)
{
	static const char d[] = "Referral ID,Estimated Close Date,Deal Nam\n"
	    "r1,01/12/2026,a\nr2,02/11/2026,b\nr3,30/06/2026,c\n";
	size_t at = strchr(strchr(d, '\n') + 1, '\n') + 1 - d;
	rl_source_opts so;
	rl_source *h, *r;
	rl_arena *a = rl_arena_new(0);
	rl_source_item it;
	const char *got;

	ck_assert_ptr_nonnull(a);
	opts(&so, RL_ENC_AUTO, 0);
	ck_assert_ptr_nonnull(h = rl_source_open_mem(d, sizeof(d) - 1, "t.csv",
	    &so, NULL));
	ck_assert_int_eq(rl_source_next(h, a, &it), 1);
	ck_assert_int_eq(it.kind, RL_ITEM_HEADER);
	so.offset = at;
	so.line = 3;
	so.rows = 2;
	so.records = 1;
	so.header_of = h;
	ck_assert_ptr_nonnull(r = rl_source_open_mem(d, sizeof(d) - 1, "t.csv",
	    &so, NULL));
	got = read_source(r);
	ck_assert_msg(strstr(got, "{\"id\":\"r2\"") == got, "%s", got);
	ck_assert_msg(strstr(got, "csv-date-ambiguous L3:4 @B \"02/11/2026\" is read as February 11 (MM/DD/YYYY), but the column also has \"30/06/2026\" (row 4)") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "@C not a column reflint reads; did you mean \"Deal Name\"? This row's \"b\"") != NULL, "%s", got);
	rl_source_close(r);
	rl_source_close(h);
	rl_arena_free(a);
}
END_TEST

/*
 * Strict UTF-8 (utf8.h) against its definition: a sequence of one to four
 * bytes is valid exactly when it is the shortest encoding of a scalar
 * value (not a surrogate, at most U+10FFFF).  Every sequence of up to
 * three bytes is tried, and every four-byte one whose lead byte is 0xF0
 * to 0xF7 with continuation bytes of a few kinds; each proper prefix of a
 * valid sequence is "more to come" (0).
 */
static int
ref_len(const unsigned char *s, size_t n)
{
	unsigned long cp;
	size_t k, need;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		need = 2, cp = s[0] & 0x1Fu;
	else if ((s[0] & 0xF0) == 0xE0)
		need = 3, cp = s[0] & 0x0Fu;
	else if ((s[0] & 0xF8) == 0xF0)
		need = 4, cp = s[0] & 0x07u;
	else
		return -1;
	if (n < need)
		return -2;              /* decided by the caller */
	for (k = 1; k < need; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (s[k] & 0x3Fu);
	}
	if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) ||
	    (need == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	return (int)need;
}

/* What rl_utf8_seq must say of s[0..n). */
static int
expect(const unsigned char *s, size_t n)
{
	unsigned char t[4] = { 0x80, 0x80, 0x80, 0x80 };
	int r = ref_len(s, n);
	unsigned lo;

	if (r != -2)
		return r;
	/* too short: a valid beginning when some completion is valid */
	memcpy(t, s, n);
	for (lo = 0x80; lo <= 0xBF; lo++) {
		if (n < 2)
			t[1] = (unsigned char)lo;
		if (ref_len(t, 4) > 0)
			return 0;
	}
	return -1;
}

START_TEST(test_utf8_exhaustive)
{
	static const unsigned char cont[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F,
	    0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF };
	unsigned char s[4];
	unsigned a, b, c, d;
	unsigned long tried = 0, valid = 0;

	for (a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		ck_assert_int_eq(rl_utf8_seq(s, 1), expect(s, 1));
		for (b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			ck_assert_int_eq(rl_utf8_seq(s, 2), expect(s, 2));
			for (c = 0; c < 256; c++) {
				int e;

				s[2] = (unsigned char)c;
				e = expect(s, 3);
				if (rl_utf8_seq(s, 3) != e)
					ck_abort_msg("%02X %02X %02X: %d, not %d",
					    a, b, c, rl_utf8_seq(s, 3), e);
				tried++;
				valid += e == 3;
				/* four bytes: after a lead byte of four */
				if (a < 0xF0 || a > 0xF7 || c < 0x80)
					continue;
				for (d = 0; d < sizeof(cont); d++) {
					s[3] = cont[d];
					e = expect(s, 4);
					if (rl_utf8_seq(s, 4) != e)
						ck_abort_msg("%02X %02X %02X %02X",
						    a, b, c, s[3]);
				}
			}
		}
	}
	/* U+0800..U+FFFF less the surrogates */
	ck_assert_uint_eq(valid, 0xF800 - 0x800);
	ck_assert_uint_eq(tried, 1UL << 24);
}
END_TEST

/* rl_utf8_check: the offset + 1 of the first bad sequence, past ASCII runs. */
START_TEST(test_utf8_check)
{
	static const struct { const char *s; size_t want; } c[] = {
		{ "", 0 }, { "plain ASCII, more than eight bytes", 0 },
		{ "caf\xC3\xA9 cr\xC3\xA8me", 0 },
		{ "0123456789\xC3", 11 },           /* cut short at the end */
		{ "0123456789abcdef\xC0\xAF", 17 },/* overlong '/' */
		{ "\xED\xA0\x80", 1 },             /* a surrogate */
		{ "ok \xF4\x90\x80\x80", 4 },      /* past U+10FFFF */
		{ "\xF0\x9F\x98\x80 then \xFF", 11 },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		ck_assert_uint_eq(rl_utf8_check((const unsigned char *)c[i].s,
		    strlen(c[i].s)), c[i].want);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("decode");
	TCase *tc = tcase_create("decode");

	tcase_add_loop_test(tc, test_decode, 0, N(dcases));
	tcase_add_test(tc, test_names);
	tcase_add_loop_test(tc, test_csv_encoding, 0, 2);
	tcase_add_loop_test(tc, test_csv_utf16, 0, 2);
	tcase_add_test(tc, test_csv_dates);
	tcase_add_test(tc, test_csv_near_miss);
	tcase_add_test(tc, test_csv_follow);
	tcase_add_test(tc, test_utf8_exhaustive);
	tcase_add_test(tc, test_utf8_check);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run_with_rules(suite, &rules);
}
