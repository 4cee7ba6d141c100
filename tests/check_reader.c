/* check_reader.c: the streaming record reader (reader.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "source.h"
#include "tests.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Every record becomes one line of a transcript: index, line:column of its
 * first byte, offset+length, the value (compact) or "-", and the code,
 * position and pointer of its diagnostic.  The transcript ends with the
 * return code.
 */
struct sink {
	rl_buf out;
	unsigned long stop_at;     /* stop after this many records; 0 = never */
	unsigned long n;
	size_t max_footprint;
	int with_message;
};

static int
collect(void *ctx, const rl_record *r)
{
	struct sink *s = ctx;
	size_t fp = rl_arena_footprint(A);

	if (fp > s->max_footprint)
		s->max_footprint = fp;
	s->n++;
	ck_assert_uint_eq(r->index, s->n);
	ck_assert_str_eq(r->source, "in");
	rl_buf_printf(&s->out, "%lu %lu:%lu %llu+%llu ", r->index, r->line,
	    r->column, (unsigned long long)r->offset,
	    (unsigned long long)r->length);
	if (r->value != NULL)
		ck_assert_int_eq(rl_json_serialize(&s->out, r->value), 0);
	else
		rl_buf_putc(&s->out, '-');
	if (r->diag != NULL) {
		ck_assert_str_eq(r->diag->source, "in");
		/* a value comes with a duplicate, and only then */
		ck_assert_int_eq(r->value != NULL,
		    r->diag->code == RL_JSON_DUPLICATE_KEY);
		rl_buf_printf(&s->out, " %s@%lu:%lu",
		    rl_code_name(r->diag->code), r->diag->line,
		    r->diag->column);
		if (r->diag->pointer[0] != '\0')
			rl_buf_printf(&s->out, " %s", r->diag->pointer);
		if (s->with_message)
			rl_buf_printf(&s->out, " (%s)", r->diag->message);
	}
	rl_buf_putc(&s->out, '\n');
	return s->stop_at != 0 && s->n >= s->stop_at;
}

static void
sink_init(struct sink *s)
{
	memset(s, 0, sizeof(*s));
}

static void
finish(struct sink *s, int rc, const rl_diag *err)
{
	rl_buf_printf(&s->out, "rc=%d", rc);
	if (rc == RL_READ_TRUNCATED)
		rl_buf_printf(&s->out, " %s@%lu:%lu", rl_code_name(err->code),
		    err->line, err->column);
	rl_buf_putc(&s->out, '\n');
}

/* Transcript of reading (in, len) from memory, cut in bufsize chunks. */
static const char *
read_mem(const char *in, size_t len, const rl_reader_opts *o0,
    size_t bufsize, struct sink *s)
{
	rl_reader_opts o = *o0;
	rl_diag err = RL_DIAG_INIT;
	int rc;

	o.bufsize = bufsize;
	memset(&err, 0, sizeof(err));
	rc = rl_read_mem(in, len, "in", &o, A, collect, s, &err);
	finish(s, rc, &err);
	return rl_buf_cstr(&s->out);
}

/* The same through rl_read_fd from a temporary file. */
static const char *
read_file(const char *in, size_t len, const rl_reader_opts *o0,
    size_t bufsize, struct sink *s)
{
	rl_reader_opts o = *o0;
	FILE *f = tmpfile();
	rl_diag err = RL_DIAG_INIT;
	int rc;

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(in, 1, len, f), len);
	ck_assert_int_eq(fflush(f), 0);
	ck_assert_int_eq(lseek(fileno(f), 0, SEEK_SET), 0);
	o.bufsize = bufsize;
	memset(&err, 0, sizeof(err));
	rc = rl_read_fd(fileno(f), "in", &o, A, collect, s, &err);
	fclose(f);
	finish(s, rc, &err);
	return rl_buf_cstr(&s->out);
}

/*
 * The same pulled through a source (source.h), from memory or from a file
 * (fd >= 0), each record in an arena of its own that is freed as soon as
 * the record is written down, after the next one is pulled: a value left
 * in another arena, or in one the source reuses, is a use after free for
 * the sanitizers, or garbage in the transcript.  offset,
 * line and records open a range (length 0: to the end).
 */
static const char *
pull_range(const char *in, size_t len, int fd, const rl_reader_opts *o,
    size_t bufsize, uint64_t offset, unsigned long line,
    unsigned long records, struct sink *s)
{
	rl_source_opts so;
	rl_source_item it, held;
	rl_source *src;
	rl_arena *a, *prev = NULL;
	rl_diag err = RL_DIAG_INIT;
	int rc, more;

	memset(&so, 0, sizeof(so));
	so.kind = RL_SOURCE_JSON;
	so.ro = *o;
	so.ro.bufsize = bufsize;
	so.offset = offset;
	so.line = line;
	so.records = records;
	s->n = records;
	memset(&err, 0, sizeof(err));
	src = fd >= 0 ? rl_source_open_fd(fd, "in", &so, &err) :
	    rl_source_open_mem(in, len, "in", &so, &err);
	ck_assert_ptr_nonnull(src);
	/* each record is written down after the next one is pulled */
	for (;;) {
		ck_assert_ptr_nonnull(a = rl_arena_new(64));
		more = rl_source_next(src, a, &it);
		if (prev != NULL) {
			(void)collect(s, &held.rec);
			rl_arena_free(prev);
		}
		if (!more) {
			rl_arena_free(a);
			break;
		}
		ck_assert_int_eq(it.kind, RL_ITEM_RECORD);
		held = it;
		prev = a;
	}
	rc = rl_source_status(src, &err);
	rl_source_close(src);
	finish(s, rc, &err);
	return rl_buf_cstr(&s->out);
}

static const char *
pull(const char *in, size_t len, int fd, const rl_reader_opts *o,
    size_t bufsize, struct sink *s)
{
	return pull_range(in, len, fd, o, bufsize, 0, 0, 0, s);
}

/*
 * Read with every buffer size from 1 to 31, from memory and from a file,
 * and demand the transcript of reading it whole every time.
 */
static char *
read_all_sizes(const char *in, size_t len, const rl_reader_opts *o)
{
	struct sink s;
	const char *t;
	char *whole;
	size_t bs;

	sink_init(&s);
	t = read_mem(in, len, o, 0, &s);
	whole = malloc(strlen(t) + 1);
	ck_assert_ptr_nonnull(whole);
	strcpy(whole, t);
	rl_buf_free(&s.out);
	for (bs = 1; bs <= 32; bs++) {
		sink_init(&s);
		t = read_mem(in, len, o, bs == 32 ? RL_DEFAULT_BUFSIZE : bs,
		    &s);
		ck_assert_msg(strcmp(t, whole) == 0,
		    "bufsize %zu (memory) gave\n%s\ninstead of\n%s", bs, t,
		    whole);
		rl_buf_free(&s.out);
		sink_init(&s);
		t = read_file(in, len, o, bs == 32 ? 0 : bs, &s);
		ck_assert_msg(strcmp(t, whole) == 0,
		    "bufsize %zu (file) gave\n%s\ninstead of\n%s", bs, t,
		    whole);
		rl_buf_free(&s.out);
		sink_init(&s);
		t = pull(in, len, -1, o, bs == 32 ? 0 : bs, &s);
		ck_assert_msg(strcmp(t, whole) == 0,
		    "bufsize %zu (pulled from memory) gave\n%s\ninstead of\n%s",
		    bs, t, whole);
		rl_buf_free(&s.out);
		if (bs % 8 == 1) {
			FILE *f = tmpfile();

			ck_assert_ptr_nonnull(f);
			ck_assert_uint_eq(fwrite(in, 1, len, f), len);
			ck_assert_int_eq(fflush(f), 0);
			ck_assert_int_eq(lseek(fileno(f), 0, SEEK_SET), 0);
			sink_init(&s);
			t = pull(in, len, fileno(f), o, bs, &s);
			fclose(f);
			ck_assert_msg(strcmp(t, whole) == 0,
			    "bufsize %zu (pulled from a file) gave\n%s\n"
			    "instead of\n%s", bs, t, whole);
			rl_buf_free(&s.out);
		}
	}
	return whole;
}

enum { A_ = RL_FMT_AUTO, ND = RL_FMT_NDJSON, JS = RL_FMT_JSON,
    VA = RL_FMT_VALUE };

struct rcase {
	const char *name;
	int format;
	const char *in;
	size_t max_record, max_string;
	unsigned max_depth;
	const char *want;
};

static const struct rcase cases[] = {
	/* NDJSON */
	{ "crlf and blank lines", ND,
	  "{\"a\":1}\r\n\r\n  \n[2]\r\n", 0, 0, 0,
	  "1 1:1 0+7 {\"a\":1}\n"
	  "2 4:1 14+3 [2]\n"
	  "rc=0\n" },
	{ "a malformed line in the middle", ND,
	  "{\"a\":1}\n{\"b\":}\n{\"c\":3}\n", 0, 0, 0,
	  "1 1:1 0+7 {\"a\":1}\n"
	  "2 2:1 8+6 - json-syntax@2:6\n"
	  "3 3:1 15+7 {\"c\":3}\n"
	  "rc=0\n" },
	{ "two values on a line", ND,
	  "1 2\n{}{}\r\n[1]\n", 0, 0, 0,
	  "1 1:1 0+3 - json-syntax@1:3\n"
	  "2 2:1 4+4 - json-syntax@2:3\n"
	  "3 3:1 10+3 [1]\n"
	  "rc=0\n" },
	{ "a missing comma is where the next token begins", ND,
	  "{\"a\":1 \"bb\":2}\n{\"a\":\"x\" 12}\n{\"a\":[1] true}\n", 0, 0, 0,
	  "1 1:1 0+14 - json-syntax@1:8\n"
	  "2 2:1 15+12 - json-syntax@2:10\n"
	  "3 3:1 28+14 - json-syntax@3:10\n"
	  "rc=0\n" },
	{ "a value cut by its newline", ND,
	  "{\"a\":\n1}\n", 0, 0, 0,
	  "1 1:1 0+5 - json-syntax@1:6\n"
	  "2 2:1 6+2 - json-syntax@2:2\n"
	  "rc=0\n" },
	{ "no newline at the end", ND,
	  "1\n  -2.5e3", 0, 0, 0,
	  "1 1:1 0+1 1\n"
	  "2 2:3 4+6 -2.5e3\n"
	  "rc=0\n" },
	{ "the last line cut short", ND,
	  "{}\n{\"a\":", 0, 0, 0,
	  "1 1:1 0+2 {}\n"
	  "2 2:1 3+5 - json-syntax@2:6\n"
	  "rc=0\n" },
	{ "a top-level array is one record", ND,
	  "[1,2]\n{\"value\":[3]}\n", 0, 0, 0,
	  "1 1:1 0+5 [1,2]\n"
	  "2 2:1 6+13 {\"value\":[3]}\n"
	  "rc=0\n" },
	/* JSON */
	{ "array elements over several lines", JS,
	  "[\n {\"a\": 1},\n  {\"b\": [1,\n 2]}\n]\n", 0, 0, 0,
	  "1 2:2 3+8 {\"a\":1}\n"
	  "2 3:3 15+14 {\"b\":[1,2]}\n"
	  "rc=0\n" },
	{ "scalar elements", JS,
	  "[1, \"x\" ,null,true,[],{}]", 0, 0, 0,
	  "1 1:2 1+1 1\n"
	  "2 1:5 4+3 \"x\"\n"
	  "3 1:10 9+4 null\n"
	  "4 1:15 14+4 true\n"
	  "5 1:20 19+2 []\n"
	  "6 1:23 22+2 {}\n"
	  "rc=0\n" },
	{ "empty arrays and texts in a row", JS,
	  "[] [ ] {\"a\":[]}\n\"s\" 7", 0, 0, 0,
	  "1 1:8 7+8 {\"a\":[]}\n"
	  "2 2:1 16+3 \"s\"\n"
	  "3 2:5 20+1 7\n"
	  "rc=0\n" },
	{ "a list page", JS,
	  "{\"@odata.count\":2,\n \"value\":[{\"id\":1},\n  {\"id\":2}],\n"
	  " \"nextLink\":{\"a\":[1,{\"b\":2}]}}\n{\"x\":1}", 0, 0, 0,
	  "1 2:11 29+8 {\"id\":1}\n"
	  "2 3:3 41+8 {\"id\":2}\n"
	  "3 5:1 83+7 {\"x\":1}\n"
	  "rc=0\n" },
	{ "a value that is no array is no page", JS,
	  "{\"value\":1,\"b\":{\"value\":[2]}}", 0, 0, 0,
	  "1 1:1 0+29 {\"value\":1,\"b\":{\"value\":[2]}}\n"
	  "rc=0\n" },
	{ "top-level scalars; 01 is not two numbers", JS,
	  "1 2 \"x\" 01", 0, 0, 0,
	  "1 1:1 0+1 1\n"
	  "2 1:3 2+1 2\n"
	  "3 1:5 4+3 \"x\"\n"
	  "4 1:9 8+2 - json-syntax@1:10\n"
	  "rc=2 json-syntax@1:10\n" },
	{ "a truncated array", JS,
	  "[{\"a\":1},\n{\"b\":2},\n{\"c\":", 0, 0, 0,
	  "1 1:2 1+7 {\"a\":1}\n"
	  "2 2:1 10+7 {\"b\":2}\n"
	  "3 3:1 19+5 - json-syntax@3:6\n"
	  "rc=2 json-syntax@3:6\n" },
	{ "garbage after the array", JS,
	  "[1]]", 0, 0, 0,
	  "1 1:2 1+1 1\n"
	  "2 1:4 3+1 - json-syntax@1:4\n"
	  "rc=2 json-syntax@1:4\n" },
	{ "two commas", JS,
	  "[1,,2]", 0, 0, 0,
	  "1 1:2 1+1 1\n"
	  "2 1:4 3+1 - json-syntax@1:4\n"
	  "rc=2 json-syntax@1:4\n" },
	{ "leading zero in an element", JS,
	  "[01]", 0, 0, 0,
	  "1 1:2 1+1 0\n"
	  "2 1:3 2+1 - json-syntax@1:3\n"
	  "rc=2 json-syntax@1:3\n" },
	/* AUTO */
	{ "auto: [ means JSON", A_,
	  "[1,\n2]\n", 0, 0, 0,
	  "1 1:2 1+1 1\n"
	  "2 2:1 4+1 2\n"
	  "rc=0\n" },
	{ "auto: a value per line", A_,
	  "{\"a\":1}\n{\"a\":2}\n", 0, 0, 0,
	  "1 1:1 0+7 {\"a\":1}\n"
	  "2 2:1 8+7 {\"a\":2}\n"
	  "rc=0\n" },
	{ "auto: a value past its line means JSON", A_,
	  "{\n\"a\":1}\n{\"b\":\n2}", 0, 0, 0,
	  "1 1:1 0+8 {\"a\":1}\n"
	  "2 3:1 9+8 {\"b\":2}\n"
	  "rc=0\n" },
	{ "auto: a list page on one line", A_,
	  "{\"value\":[1,2]}\n[3]\n", 0, 0, 0,
	  "1 1:11 10+1 1\n"
	  "2 1:13 12+1 2\n"
	  "3 2:2 17+1 3\n"
	  "rc=0\n" },
	{ "auto: a bad first line means NDJSON", A_,
	  "{\"a\":x}\n{\"b\":1}\n", 0, 0, 0,
	  "1 1:1 0+7 - json-syntax@1:6\n"
	  "2 2:1 8+7 {\"b\":1}\n"
	  "rc=0\n" },
	{ "auto: blank lines first", A_,
	  "\n\n  {\"a\":1}  \n\n{\"b\":1}", 0, 0, 0,
	  "1 3:3 4+7 {\"a\":1}\n"
	  "2 5:1 15+7 {\"b\":1}\n"
	  "rc=0\n" },
	{ "auto: nothing at all", A_, " \r\n\t\n", 0, 0, 0, "rc=0\n" },
	{ "auto: empty", A_, "", 0, 0, 0, "rc=0\n" },
	/* BOM */
	{ "a BOM at the start is skipped", A_,
	  "\xEF\xBB\xBF{\"a\":1}\n", 0, 0, 0,
	  "1 1:1 3+7 {\"a\":1}\n"
	  "rc=0\n" },
	{ "a BOM before an array", JS,
	  "\xEF\xBB\xBF[1]", 0, 0, 0,
	  "1 1:2 4+1 1\n"
	  "rc=0\n" },
	{ "a BOM later is an error", ND,
	  "{}\n\xEF\xBB\xBF{}\n", 0, 0, 0,
	  "1 1:1 0+2 {}\n"
	  "2 2:1 3+5 - json-syntax@2:1\n"
	  "rc=0\n" },
	{ "half a BOM is an error", JS,
	  "\xEF\xBB[1]", 0, 0, 0,
	  "1 1:1 0+1 - json-syntax@1:1\n"
	  "rc=2 json-syntax@1:1\n" },
	/* duplicate member names */
	{ "a nested duplicate", ND,
	  "{\"a\":{\"b\":1,\"b\":2}}", 0, 0, 0,
	  "1 1:1 0+19 {\"a\":{\"b\":1,\"b\":2}} json-duplicate-key@1:13 /a/b\n"
	  "rc=0\n" },
	{ "the first duplicate wins, inside arrays", ND,
	  "{\"x\":[{\"k\":1},{\"k\":1,\"k\":2}],\"x\":3}", 0, 0, 0,
	  "1 1:1 0+35 {\"x\":[{\"k\":1},{\"k\":1,\"k\":2}],\"x\":3}"
	  " json-duplicate-key@1:22 /x/1/k\n"
	  "rc=0\n" },
	{ "a duplicate's pointer is escaped", ND,
	  "{\"a~/\":1,\"\xC3\xA9\":{\"a~/\":0,\"a~/\":2}}", 0, 0, 0,
	  "1 1:1 0+32 {\"a~/\":1,\"\xC3\xA9\":{\"a~/\":0,\"a~/\":2}}"
	  " json-duplicate-key@1:23 /\xC3\xA9/a~0~1\n"
	  "rc=0\n" },
	{ "a duplicate over several lines", JS,
	  "[\n {\"a\":\n  {\"bb\":1,\n   \"x\":[1,2,\n{\"q\":1}],"
	  "\"\xC3\xBC\":{},\n  \"bb\":2}}, {\"c\":1,\"c\":2}]", 0, 0, 0,
	  "1 2:2 3+58 {\"a\":{\"bb\":1,\"x\":[1,2,{\"q\":1}],\"\xC3\xBC\":{},"
	  "\"bb\":2}} json-duplicate-key@6:3 /a/bb\n"
	  "2 6:13 63+13 {\"c\":1,\"c\":2} json-duplicate-key@6:20 /c\n"
	  "rc=0\n" },
	/* escapes */
	{ "lone surrogates", ND,
	  "[\"\\uD800\"]\n[\"\\uD800\\u0041\"]\n[\"\\udc00\"]\n"
	  "[\"\\uD83D\\uDE00\"]\n[\"\\\\uD800\"]\n[\"x\\uDBFF", 0, 0, 0,
	  "1 1:1 0+10 - json-syntax@1:3\n"
	  "2 2:1 11+16 - json-syntax@2:3\n"
	  "3 3:1 28+10 - json-syntax@3:3\n"
	  "4 4:1 39+16 [\"\xF0\x9F\x98\x80\"]\n"
	  "5 5:1 56+11 [\"\\\\uD800\"]\n"
	  "6 6:1 68+9 - json-syntax@6:4\n"
	  "rc=0\n" },
	{ "a lone surrogate ends JSON", JS,
	  "[1,\"\\udc00\",2]", 0, 0, 0,
	  "1 1:2 1+1 1\n"
	  "2 1:4 3+2 - json-syntax@1:5\n"
	  "rc=2 json-syntax@1:5\n" },
	{ "other escapes", VA,
	  "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u0000\"", 0, 0, 0,
	  "1 1:1 0+30 \"\\\"\\\\/\\b\\f\\n\\r\\t\xC3\xA9\\u0000\"\n"
	  "rc=0\n" },
	/* UTF-8 */
	{ "invalid UTF-8", ND,
	  "[\"\xC3\x28\"]\n[\"\xC0\xAF\"]\n[\"\xED\xA0\x80\"]\n"
	  "[\"\xF4\x90\x80\x80\"]\n{\"\xE0\x80\x80\":1}\n[\"\x01\"]\n"
	  "[\xFF]\n[\"ok\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"]\n", 0, 0, 0,
	  "1 1:1 0+6 - json-syntax@1:4\n"
	  "2 2:1 7+6 - json-syntax@2:4\n"
	  "3 3:1 14+7 - json-syntax@3:4\n"
	  "4 4:1 22+8 - json-syntax@4:4\n"
	  "5 5:1 31+9 - json-syntax@5:4\n"
	  "6 6:1 41+5 - json-syntax@6:3\n"
	  "7 7:1 47+3 - json-syntax@7:2\n"
	  "8 8:1 51+15 [\"ok\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"]\n"
	  "rc=0\n" },
	{ "columns count characters", ND,
	  "{\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\":1,\"x\":}\n", 0, 0, 0,
	  "1 1:1 0+20 - json-syntax@1:14\n"
	  "rc=0\n" },
	/* numbers keep their lexemes */
	{ "exact numbers", VA,
	  "[1e400,-0,1234567890123456789012345678901234567890,-1.5E-7,0.10]",
	  0, 0, 0,
	  "1 1:1 0+64 [1e400,-0,1234567890123456789012345678901234567890,"
	  "-1.5E-7,0.10]\n"
	  "rc=0\n" },
	/* limits */
	{ "string limit", ND,
	  "[\"0123456789\"]\n[\"01234567890\"]\n{\"0123456789a\":1}\n[1]\n",
	  0, 10, 0,
	  "1 1:1 0+14 [\"0123456789\"]\n"
	  "2 2:1 15+15 - json-limit@2:14\n"
	  "3 3:1 31+17 - json-limit@3:14\n"
	  "4 4:1 49+3 [1]\n"
	  "rc=0\n" },
	{ "record limit, NDJSON", ND,
	  "[1,2,3,4,5,6,7,8]\n[1,2,3,4,5,6,7,8,9]\n[1,2,3,4,5,6,7,8,9,0]\n"
	  "  [12345678901234567]   \n\"0123456789012345678\"\n"
	  "123456789012345678901\n1234567890123456789\n[1]\n", 19, 0, 0,
	  "1 1:1 0+17 [1,2,3,4,5,6,7,8]\n"
	  "2 2:1 18+19 [1,2,3,4,5,6,7,8,9]\n"
	  "3 3:1 38+21 - json-limit@3:1\n"
	  "4 4:3 62+19 [12345678901234567]\n"
	  "5 5:1 85+21 - json-limit@5:1\n"
	  "6 6:1 107+21 - json-limit@6:1\n"
	  "7 7:1 129+19 1234567890123456789\n"
	  "8 8:1 149+3 [1]\n"
	  "rc=0\n" },
	{ "record limit, JSON", JS,
	  "[[1,2,3,4,5,6,7,8],[1,2,3,4,5,6,7,8,9],1234567890123456789,"
	  "\"0123456789012345678\"]", 19, 0, 0,
	  "1 1:2 1+17 [1,2,3,4,5,6,7,8]\n"
	  "2 1:20 19+19 [1,2,3,4,5,6,7,8,9]\n"
	  "3 1:40 39+19 1234567890123456789\n"
	  "4 1:60 59+20 - json-limit@1:60\n"
	  "rc=2 json-limit@1:60\n" },
	{ "a record found inside a read stops at its limit", JS,
	  "[[{\"id\": 1\", \"v\"]]", 11, 0, 0,
	  "1 1:2 1+12 - json-limit@1:2\n"
	  "rc=2 json-limit@1:2\n" },
	{ "depth limit", ND,
	  "[[[1]]]\n[[[[1]]]]\n{\"a\":{\"b\":{\"c\":{}}}}\n"
	  "{\"a\":{\"b\":{}}}\n",
	  0, 0, 3,
	  "1 1:1 0+7 [[[1]]]\n"
	  "2 2:1 8+9 - json-limit@2:4\n"
	  "3 3:1 18+20 - json-limit@3:16\n"
	  "4 4:1 39+14 {\"a\":{\"b\":{}}}\n"
	  "rc=0\n" },
	{ "depth limit inside a page", JS,
	  "{\"value\":[[[1]]],\"x\":[[[[2]]]]}", 0, 0, 3,
	  "1 1:11 10+5 [[1]]\n"
	  "2 1:25 24+1 - json-limit@1:25\n"
	  "rc=2 json-limit@1:25\n" },
	/* VALUE */
	{ "value: an array is one record", VA,
	  " [1,\n2] \n", 0, 0, 0,
	  "1 1:2 1+6 [1,2]\n"
	  "rc=0\n" },
	{ "value: one only", VA,
	  "[1,2] 3", 0, 0, 0,
	  "1 1:1 0+7 - json-syntax@1:7\n"
	  "rc=2 json-syntax@1:7\n" },
	{ "value: not empty", VA,
	  " \n ", 0, 0, 0,
	  "1 2:2 3+0 - json-syntax@2:2\n"
	  "rc=2 json-syntax@2:2\n" },
};

START_TEST(test_cases)
{
	const struct rcase *c = &cases[_i];
	rl_reader_opts o;
	char *got;

	memset(&o, 0, sizeof(o));
	o.format = c->format;
	o.max_record = c->max_record;
	o.max_string = c->max_string;
	o.max_depth = c->max_depth;
	got = read_all_sizes(c->in, strlen(c->in), &o);
	ck_assert_msg(strcmp(got, c->want) == 0, "%s: got\n%s\nwant\n%s",
	    c->name, got, c->want);
	free(got);
}
END_TEST

/*
 * A file read as ranges cut at every line end gives the records and the
 * diagnostics, positions included, of reading it whole (source.h).
 */
static const char range_in[] =
    "{\"id\":\"r-1\",\"patch\":[]}\r\n"
    "\n"
    "  {\"id\":\"r\u00e9-2\", \"a\":1, \"a\":2}\n"
    "{\"id\":\"r-3\",\"patch\":[}\n"
    "[1, 2]  x\n"
    "\"caf\u00e9 \u00e9\"\n";

START_TEST(test_ranges)
{
	size_t len = sizeof(range_in) - 1, cut, bs;
	rl_reader_opts o;
	struct sink s, r;
	const char *whole, *nl;
	unsigned long line = 1, records = 0;
	rl_buf got = RL_BUF_INIT;

	memset(&o, 0, sizeof(o));
	o.format = RL_FMT_NDJSON;
	sink_init(&s);
	whole = read_mem(range_in, len, &o, 0, &s);
	for (bs = 1; bs <= 9; bs += 4) {
		size_t at = 0;

		rl_buf_clear(&got);
		line = 1;
		records = 0;
		/* one range per line, each opened on its own */
		while (at < len) {
			nl = memchr(range_in + at, '\n', len - at);
			cut = nl != NULL ? (size_t)(nl - range_in) + 1 : len;
			sink_init(&r);
			{
				rl_source_opts so;
				rl_source_item it;
				rl_source *src;

				memset(&so, 0, sizeof(so));
				so.kind = RL_SOURCE_JSON;
				so.ro = o;
				so.ro.bufsize = bs;
				so.offset = at;
				so.length = cut - at;
				so.line = line;
				so.records = records;
				r.n = records;
				src = rl_source_open_mem(range_in, len, "in", &so,
				    NULL);
				ck_assert_ptr_nonnull(src);
				while (rl_source_next(src, A, &it)) {
					(void)collect(&r, &it.rec);
					rl_arena_reset(A);
				}
				ck_assert_int_eq(rl_source_status(src, NULL),
				    RL_READ_OK);
				rl_source_close(src);
			}
			records = r.n;
			ck_assert_int_eq(rl_buf_append(&got, r.out.data != NULL ?
			    r.out.data : "", r.out.len), 0);
			rl_buf_free(&r.out);
			line++;
			at = cut;
		}
		ck_assert_int_eq(rl_buf_puts(&got, "rc=0\n"), 0);
		ck_assert_msg(strcmp(rl_buf_cstr(&got), whole) == 0,
		    "ranges (bufsize %zu) gave\n%s\ninstead of\n%s", bs,
		    rl_buf_cstr(&got), whole);
	}
	rl_buf_free(&got);
	rl_buf_free(&s.out);
}
END_TEST

/* Inputs with NUL bytes, which the table cannot hold. */
START_TEST(test_nul_bytes)
{
	static const char in[] = "[\"a\0b\"]\n[\"a\\u0000b\"]\n[1,\0]\n";
	rl_reader_opts o;
	char *got;

	memset(&o, 0, sizeof(o));
	o.format = RL_FMT_NDJSON;
	got = read_all_sizes(in, sizeof(in) - 1, &o);
	ck_assert_str_eq(got,
	    "1 1:1 0+7 - json-syntax@1:4\n"
	    "2 2:1 8+12 [\"a\\u0000b\"]\n"
	    "3 3:1 21+5 - json-syntax@3:4\n"
	    "rc=0\n");
	free(got);
}
END_TEST

/* The diagnostics say what went wrong, in words. */
#define MSG_IN "[\"\\uD800x\"]\n{\"a\":1,\"a\":2}\n{\"a\" 1}\n"

START_TEST(test_messages)
{
	rl_reader_opts o;
	struct sink s;
	rl_diag err = RL_DIAG_INIT;
	int rc;

	memset(&o, 0, sizeof(o));
	o.format = RL_FMT_NDJSON;
	sink_init(&s);
	s.with_message = 1;
	read_mem(MSG_IN, strlen(MSG_IN), &o, 0,
	    &s);
	ck_assert_str_eq(rl_buf_cstr(&s.out),
	    "1 1:1 0+11 - json-syntax@1:3 (invalid JSON at line 1, column 3: "
	    "lone surrogate escape \\uD800)\n"
	    "2 2:1 12+13 {\"a\":1,\"a\":2} json-duplicate-key@2:8 /a "
	    "(duplicate member /a at line 2, column 8)\n"
	    "3 3:1 26+7 - json-syntax@3:6 (invalid JSON at line 3, column 6: "
	    "object key and value must be separated by a colon (':'))\n"
	    "rc=0\n");
	rl_buf_free(&s.out);

	o.format = RL_FMT_JSON;
	memset(&err, 0, sizeof(err));
	sink_init(&s);
	rc = rl_read_mem("[1,\n  2,\n  x]", 13, "in", &o, A, collect, &s,
	    &err);
	ck_assert_int_eq(rc, RL_READ_TRUNCATED);
	ck_assert_int_eq(err.code, RL_JSON_SYNTAX);
	ck_assert_str_eq(err.source, "in");
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(err.column, 3);
	ck_assert_str_eq(err.message, "input could not be read to the end: "
	    "invalid JSON at line 3, column 3: invalid char in json text");
	rl_buf_free(&s.out);
}
END_TEST

/* 100 000 nested arrays: a limit, quickly, and no recursion anywhere. */
START_TEST(test_deep_nesting)
{
	size_t depth = 100000, i;
	char *in = malloc(depth + 8);
	rl_reader_opts o;
	char *got;

	ck_assert_ptr_nonnull(in);
	for (i = 0; i < depth; i++)
		in[i] = '[';
	memcpy(in + depth, "\n{}\n", 5);
	memset(&o, 0, sizeof(o));
	o.format = RL_FMT_NDJSON;
	got = read_all_sizes(in, depth + 4, &o);
	ck_assert_str_eq(got,
	    "1 1:1 0+100000 - json-limit@1:129\n"
	    "2 2:1 100001+2 {}\n"
	    "rc=0\n");
	free(got);
	o.format = RL_FMT_AUTO;
	got = read_all_sizes(in, depth + 4, &o);
	ck_assert_str_eq(got,
	    "1 1:2 1+129 - json-limit@1:130\n"
	    "rc=2 json-limit@1:130\n");
	free(got);
	free(in);
}
END_TEST

/* A line over max_record: a json-limit record, and reading goes on. */
static unsigned long
long_line(size_t big, struct sink *s)
{
	char *in = malloc(big + 64);
	rl_reader_opts o;
	unsigned long allocs;
	size_t n = 0, i;
	int rc;

	ck_assert_ptr_nonnull(in);
	n += (size_t)sprintf(in, "{\"a\":1}\n[\"");
	for (i = 0; i < big; i++)
		in[n++] = 'x';
	n += (size_t)sprintf(in + n, "\"]\n{\"b\":2}\n");
	memset(&o, 0, sizeof(o));
	o.format = RL_FMT_NDJSON;
	o.max_record = 16 * 1024;
	o.bufsize = 4096;
	rl_alloc_fail_after(0);
	rc = rl_read_mem(in, n, "in", &o, A, collect, s, NULL);
	allocs = rl_alloc_count();
	ck_assert_int_eq(rc, RL_READ_OK);
	free(in);
	return allocs;
}

/*
 * Nothing keeps the part past the limit, yajl included: reading takes the
 * same allocations whatever the length of the line.
 */
START_TEST(test_long_line)
{
	unsigned long small, big;
	struct sink s;

	/* once first, so that the arena holds its chunk in both counts */
	sink_init(&s);
	long_line(64 * 1024, &s);
	rl_buf_free(&s.out);
	sink_init(&s);
	small = long_line(64 * 1024, &s);
	ck_assert_str_eq(rl_buf_cstr(&s.out),
	    "1 1:1 0+7 {\"a\":1}\n"
	    "2 2:1 8+65540 - json-limit@2:1\n"
	    "3 3:1 65549+7 {\"b\":2}\n");
	rl_buf_free(&s.out);
	sink_init(&s);
	big = long_line(8 * 1024 * 1024, &s);
	ck_assert_str_eq(rl_buf_cstr(&s.out),
	    "1 1:1 0+7 {\"a\":1}\n"
	    "2 2:1 8+8388612 - json-limit@2:1\n"
	    "3 3:1 8388621+7 {\"b\":2}\n");
	ck_assert_uint_le(s.max_footprint, 128 * 1024);
	ck_assert_uint_eq(big, small);
	rl_buf_free(&s.out);
}
END_TEST

/*
 * R8: a line of small numbers takes some fifty times its bytes in values;
 * max_memory ends it as json-limit where the limit is passed, whatever the
 * buffer size, the next line is still read, and the arena never holds much
 * more than the limit.
 */
START_TEST(test_record_memory)
{
	const size_t nums = 200000, lim = 256 * 1024;
	size_t n = 0, i;
	rl_reader_opts o;
	struct sink s;
	char *in = malloc(2 * nums + 64), *got;
	const char *t;
	unsigned long col;
	int k;

	ck_assert_ptr_nonnull(in);
	n += (size_t)sprintf(in, "{\"a\":1}\n[");
	for (i = 0; i < nums; i++) {
		in[n++] = '1';
		in[n++] = ',';
	}
	n += (size_t)sprintf(in + n, "1]\n{\"b\":2}\n");
	memset(&o, 0, sizeof(o));
	o.format = RL_FMT_NDJSON;
	/* without a memory limit the line is one good record */
	sink_init(&s);
	t = read_mem(in, n, &o, 0, &s);
	ck_assert_ptr_nonnull(strstr(t, "2 2:1 8+400003 [1,1,"));
	ck_assert_uint_gt(s.max_footprint, 8 * lim);
	rl_buf_free(&s.out);

	o.max_memory = lim;
	got = read_all_sizes(in, n, &o);
	k = sscanf(got, "1 1:1 0+7 {\"a\":1}\n2 2:1 8+400003 - json-limit@2:%lu\n",
	    &col);
	ck_assert_msg(k == 1, "got %s", got);
	/* past the start of the line, well before its end */
	ck_assert_uint_gt(col, 1000);
	ck_assert_uint_lt(col, 2 * nums);
	ck_assert_ptr_nonnull(strstr(got, "3 3:1 400012+7 {\"b\":2}\nrc=0\n"));
	free(got);
	sink_init(&s);
	read_mem(in, n, &o, 0, &s);
	ck_assert_uint_le(s.max_footprint, lim + 128 * 1024);
	rl_buf_free(&s.out);
	free(in);
}
END_TEST

/* Memory stays flat over 20 MB of NDJSON. */
START_TEST(test_memory_flat)
{
	static const char rec[] =
	    "{\"referral\":{\"id\":\"%08lu\",\"name\":\"Contoso \\u00e9\","
	    "\"details\":{\"dealValue\":\"1234.50\",\"tags\":[1,2,3,4,5]},"
	    "\"team\":[{\"email\":\"a@b.c\"},{\"email\":\"d@e.f\"}]},"
	    "\"patch\":[{\"op\":\"replace\",\"path\":\"/status\",\"value\":"
	    "\"Active\"}]}\n";
	size_t want = 20 * 1024 * 1024, n = 0;
	char *in = malloc(want + sizeof(rec) + 16);
	unsigned long count = 0;
	rl_reader_opts o;
	struct sink s;
	size_t first;
	int rc;

	ck_assert_ptr_nonnull(in);
	while (n < want)
		n += (size_t)sprintf(in + n, rec, count++);
	memset(&o, 0, sizeof(o));
	sink_init(&s);
	/* The first record sets the footprint; the rest must not grow it. */
	rc = rl_read_mem(in, (size_t)(strchr(in, '\n') + 1 - in), "in", &o, A,
	    collect, &s, NULL);
	ck_assert_int_eq(rc, RL_READ_OK);
	first = s.max_footprint;
	rl_buf_free(&s.out);
	sink_init(&s);
	rc = rl_read_mem(in, n, "in", &o, A, collect, &s, NULL);
	ck_assert_int_eq(rc, RL_READ_OK);
	ck_assert_uint_eq(s.n, count);
	ck_assert_uint_eq(s.max_footprint, first);
	ck_assert_uint_le(s.max_footprint, 128 * 1024);
	ck_assert_uint_le(rl_arena_footprint(A), 128 * 1024);
	rl_buf_free(&s.out);
	free(in);
}
END_TEST

/* A nonzero return from the callback stops reading, in every format. */
static const int stop_formats[] = { RL_FMT_NDJSON, RL_FMT_JSON, RL_FMT_AUTO };

START_TEST(test_stop)
{
	static const char *const ins[] = {
	    "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n",
	    "[{\"a\":1},{\"a\":2},{\"a\":3}]",
	    "{\"value\":[{\"a\":1},{\"a\":2},{\"a\":3}]}",
	};
	rl_reader_opts o;
	struct sink s;
	size_t i;
	int rc;

	memset(&o, 0, sizeof(o));
	o.format = stop_formats[_i];
	for (i = 0; i < N(ins); i++) {
		if (o.format == RL_FMT_NDJSON && i > 0)
			continue;
		sink_init(&s);
		s.stop_at = 2;
		rc = rl_read_mem(ins[i], strlen(ins[i]), "in", &o, A, collect,
		    &s, NULL);
		ck_assert_int_eq(rc, RL_READ_STOPPED);
		ck_assert_uint_eq(s.n, 2);
		rl_buf_free(&s.out);
	}
}
END_TEST

START_TEST(test_parse_value)
{
	const char *text =
	    " {\"a\": [1, \"x\", {\"b\": null}],\n \"c\": -0 }\n";
	rl_value *v, *w;
	rl_diag d = RL_DIAG_INIT;

	v = rl_parse_value(text, strlen(text), NULL, A, &d);
	ck_assert_ptr_nonnull(v);
	/* The arena is not reset: both values live on. */
	w = rl_parse_value("[true,false]", 12, NULL, A, &d);
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(rl_test_dump(v),
	    "{\"a\":[1,\"x\",{\"b\":null}],\"c\":-0}");
	ck_assert_str_eq(rl_test_dump(w), "[true,false]");
	/* Lines where the reader saw each value. */
	ck_assert_uint_eq(v->line, 1);
	ck_assert_uint_eq(v->u.o.members[1].value->line, 2);
	ck_assert_uint_eq(v->u.o.members[0].value->u.a.items[2]->line, 1);
	/* The length counts: NUL bytes and what follows are input too. */
	v = rl_parse_value("7\0", 2, NULL, A, &d);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(d.code, RL_JSON_SYNTAX);
	v = rl_parse_value("7", 1, NULL, A, &d);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(rl_test_dump(v), "7");
}
END_TEST

struct bad_value {
	const char *in;
	rl_code code;
	unsigned long line, column;
	const char *pointer;
};

static const struct bad_value bad_values[] = {
	{ "", RL_JSON_SYNTAX, 1, 1, "" },
	{ "  \n", RL_JSON_SYNTAX, 2, 1, "" },
	{ "1 2", RL_JSON_SYNTAX, 1, 3, "" },
	{ "[1", RL_JSON_SYNTAX, 1, 3, "" },
	{ "{\"a\":1,\n\"b\":[{\"c\":1,\"c\":2}]}", RL_JSON_DUPLICATE_KEY, 2, 13,
	  "/b/0/c" },
	{ "\"\\uDFFF\"", RL_JSON_SYNTAX, 1, 2, "" },
	{ "[[[[[1]]]]]", RL_JSON_LIMIT, 1, 5, "" },
	{ "nul", RL_JSON_SYNTAX, 1, 4, "" },
	{ "// c\n1", RL_JSON_SYNTAX, 1, 1, "" },
};

START_TEST(test_parse_value_errors)
{
	const struct bad_value *b = &bad_values[_i];
	rl_reader_opts o;
	rl_diag d = RL_DIAG_INIT;

	memset(&o, 0, sizeof(o));
	o.max_depth = 4;
	memset(&d, 0, sizeof(d));
	ck_assert_ptr_null(rl_parse_value(b->in, strlen(b->in), &o, A, &d));
	ck_assert_msg(d.code == b->code, "%s: %s", b->in, d.message);
	ck_assert_uint_eq(d.line, b->line);
	ck_assert_uint_eq(d.column, b->column);
	ck_assert_str_eq(d.pointer, b->pointer);
}
END_TEST

START_TEST(test_comments)
{
	rl_reader_opts o;
	rl_value *v;
	rl_diag d = RL_DIAG_INIT;

	memset(&o, 0, sizeof(o));
	o.allow_comments = 1;
	v = rl_parse_value("// rules\n{\"a\": /* one */ 1}\n", 28, &o, A, &d);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(rl_test_dump(v), "{\"a\":1}");
}
END_TEST

/* A read error ends reading with io-error. */
START_TEST(test_read_error)
{
	struct sink s;
	rl_diag err = RL_DIAG_INIT;
	int fd, rc;

	fd = open(".", O_RDONLY);       /* a directory: read(2) fails */
	ck_assert_int_ge(fd, 0);
	sink_init(&s);
	memset(&err, 0, sizeof(err));
	rc = rl_read_fd(fd, "in", NULL, A, collect, &s, &err);
	close(fd);
	ck_assert_int_eq(rc, RL_READ_TRUNCATED);
	ck_assert_int_eq(err.code, RL_IO_ERROR);
	ck_assert_ptr_nonnull(strstr(err.message, strerror(EISDIR)));
	ck_assert_uint_eq(s.n, 0);
	rc = rl_read_fd(-1, "in", NULL, A, collect, &s, NULL);
	ck_assert_int_eq(rc, RL_READ_TRUNCATED);
	rl_buf_free(&s.out);
}
END_TEST

/*
 * The n-th allocation fails, for every n along the way: reading ends with
 * out-of-memory, never a crash or a leak (the sanitizer build checks).
 */
static const char *const oom_inputs[] = {
	"{\"a\":[1,2,{\"b\":\"\\u00e9\"}],\"a\":3}\n[\"x\"]\n{\"c\":",
	"{\"n\":1,\"value\":[{\"a\":\"long string that spans pieces\"},[2]]}",
	"[\"\\uD800\"]\n{\"a\":{\"a\":1,\"a\":2}}",
};

static int
count_only(void *ctx, const rl_record *r)
{
	(void)r;
	(*(unsigned long *)ctx)++;
	return 0;
}

START_TEST(test_out_of_memory)
{
	const char *in = oom_inputs[_i / 2];
	rl_reader_opts o;
	unsigned long n, clean, fail;
	rl_diag err = RL_DIAG_INIT;
	int rc;

	memset(&o, 0, sizeof(o));
	o.bufsize = _i % 2 ? 3 : 0;
	clean = 0;
	rc = rl_read_mem(in, strlen(in), "in", &o, A, count_only, &clean,
	    &err);
	ck_assert_int_ne(rc, RL_READ_STOPPED);
	for (fail = 1; fail < 10000; fail++) {
		rl_arena_reset(A);
		n = 0;
		memset(&err, 0, sizeof(err));
		rl_alloc_fail_after(fail);
		rc = rl_read_mem(in, strlen(in), "in", &o, A, count_only, &n,
		    &err);
		rl_alloc_fail_after(0);
		if (rc == RL_READ_TRUNCATED && err.code == RL_NOMEM) {
			ck_assert_uint_le(n, clean);
			continue;
		}
		/* Past the last allocation: the whole input was read. */
		ck_assert_uint_eq(n, clean);
		break;
	}
	ck_assert_uint_gt(fail, 3);
	ck_assert_uint_lt(fail, 10000);
}
END_TEST

/* The same for the reading buffer and for rl_parse_value. */
START_TEST(test_out_of_memory_edges)
{
	const char *text = "{\"a\":[1,{\"b\":\"\u00e9\"}],\"c\":\"xyz\"}";
	unsigned long fail, n = 0;
	rl_value *v;
	rl_diag d = RL_DIAG_INIT;
	int fd, rc;

	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	rl_alloc_fail_after(1);
	rc = rl_read_fd(fd, "in", NULL, A, count_only, &n, &d);
	rl_alloc_fail_after(0);
	close(fd);
	ck_assert_int_eq(rc, RL_READ_TRUNCATED);
	ck_assert_int_eq(d.code, RL_NOMEM);
	for (fail = 1; fail < 1000; fail++) {
		rl_arena_reset(A);
		memset(&d, 0, sizeof(d));
		rl_alloc_fail_after(fail);
		v = rl_parse_value(text, strlen(text), NULL, A, &d);
		rl_alloc_fail_after(0);
		if (v != NULL)
			break;
		ck_assert_int_eq(d.code, RL_NOMEM);
		ck_assert_str_eq(d.message, "out of memory");
	}
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_gt(fail, 2);
	ck_assert_str_eq(rl_test_dump(v),
	    "{\"a\":[1,{\"b\":\"\xC3\xA9\"}],\"c\":\"xyz\"}");
}
END_TEST

/*
 * Objects of more than 16 members take the hashed duplicate check: no
 * duplicate, an exact one, one that differs by case (found unless names are
 * case-sensitive), each at the member that repeats.
 */
START_TEST(test_duplicates_large)
{
	static const struct {
		const char *last;       /* the member appended to k0 .. k39 */
		int dup, case_sensitive;
		const char *ptr;
	} dcases[] = {
		{ "k40", 0, 0, NULL },
		{ "k20", 1, 0, "/k20" },
		{ "K20", 1, 0, "/K20" },
		{ "K20", 0, 1, NULL },
		{ "k39", 1, 1, "/k39" },
	};
	rl_buf in = RL_BUF_INIT;
	rl_reader_opts o;
	rl_arena *a = rl_arena_new(0);
	rl_value *v;
	rl_diag d = RL_DIAG_INIT;
	size_t c;
	int i;

	for (c = 0; c < sizeof(dcases) / sizeof(dcases[0]); c++) {
		rl_buf_clear(&in);
		rl_buf_putc(&in, '{');
		for (i = 0; i < 40; i++)
			rl_buf_printf(&in, "\"k%d\":%d,", i, i);
		rl_buf_printf(&in, "\"%s\":0}", dcases[c].last);
		memset(&o, 0, sizeof(o));
		o.case_sensitive_names = dcases[c].case_sensitive;
		memset(&d, 0, sizeof(d));
		v = rl_parse_value(in.data, in.len, &o, a, &d);
		if (!dcases[c].dup) {
			ck_assert_msg(v != NULL, "case %zu: %s", c, d.message);
			ck_assert_uint_eq(v->u.o.n, 41);
			continue;
		}
		ck_assert_msg(v == NULL, "case %zu: no duplicate found", c);
		ck_assert_int_eq(d.code, RL_JSON_DUPLICATE_KEY);
		ck_assert_str_eq(d.pointer, dcases[c].ptr);
		ck_assert_int_eq(strstr(d.message, "differ only by case") != NULL,
		    dcases[c].last[0] == 'K');
	}
	rl_buf_free(&in);
	rl_arena_free(a);
}
END_TEST

static Suite *
reader_suite(void)
{
	Suite *s = suite_create("reader");
	TCase *tc = tcase_create("reader");

	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_cases, 0, N(cases));
	tcase_add_test(tc, test_duplicates_large);
	tcase_add_test(tc, test_ranges);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_messages);
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_record_memory);
	tcase_add_test(tc, test_memory_flat);
	tcase_add_loop_test(tc, test_stop, 0, N(stop_formats));
	tcase_add_test(tc, test_parse_value);
	tcase_add_loop_test(tc, test_parse_value_errors, 0, N(bad_values));
	tcase_add_test(tc, test_comments);
	tcase_add_test(tc, test_read_error);
	tcase_add_loop_test(tc, test_out_of_memory, 0, 2 * N(oom_inputs));
	tcase_add_test(tc, test_out_of_memory_edges);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run(reader_suite());
}
