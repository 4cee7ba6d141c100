/*
 * check_report.c: the report formats, the summary and the tagged lines of
 * mapper mode, byte for byte, on records and results built by hand as the
 * validator would fill them.  The formats are driven through the sink
 * interface (sink.h), as the batch processor drives them, each sink
 * writing to a buffer of its own whose bytes are moved to B.
 */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"
#include "report.h"
#include "sink.h"
#include "tests.h"
#include "validate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static rl_buf B = RL_BUF_INIT;

static void
setup(void)
{
	rl_test_setup();
	rl_buf_clear(&B);
}

static void
teardown(void)
{
	rl_test_teardown();
	rl_buf_free(&B);
}

/* the formats through the sink interface --------------------------------- */

/* The rows of sink.c's table, in its order. */
enum fmt { F_TEXT, F_JSON, F_CSV, F_GITHUB, F_CSV_ROWS };

static rl_sink *
rep_new(enum fmt f, unsigned flags)
{
	const rl_sink_class *cls = rl_sink_report_at((size_t)f);

	return cls != NULL ? rl_sink_new(cls, NULL, NULL, flags) : NULL;
}

/*
 * The sink writes to b itself: b is lent to it as its own buffer for one
 * call, so that a failure to grow b is the sink's to handle, as with an
 * outfile's buffer.
 */
static rl_buf *
lend(rl_sink *s, rl_buf *b)
{
	s->own = *b;
	return b;
}

static int
take(rl_sink *s, rl_buf *b, int rc)
{
	*b = s->own;
	s->own = (rl_buf)RL_BUF_INIT;
	return rc;
}

#define CALL(s, b, f, ...) \
	((s)->cls->f == NULL ? 0 : \
	    (lend((s), (b)), take((s), (b), (s)->cls->f((s), __VA_ARGS__))))

static int
rep_begin(rl_sink *s, rl_buf *b)
{
	return CALL(s, b, begin, NULL);
}

/* The CSV input being read, for csv-rows: its header. */
static rl_sink_input CUR;

static int
rep_record(rl_sink *s, rl_buf *b, const rl_record *rec, const rl_result *res)
{
	rl_sink_record r = { .input = &CUR, .rec = rec, .res = res,
	    .accepted = rl_result_accepted(res) };

	return CALL(s, b, record, &r, NULL);
}

static int
rep_end(rl_sink *s, rl_buf *b, const rl_summary *sum)
{
	int rc = CALL(s, b, end, sum, NULL);

	memset(&CUR, 0, sizeof(CUR));
	return rc;
}

/* A CSV input's header, as the batch hands it over at the input's end. */
static int
rep_csv_header(rl_sink *s, const char *raw, size_t len, char delim)
{
	CUR.ordinal++;          /* a new input */
	CUR.csv = 1;
	CUR.header = raw;
	CUR.header_len = len;
	CUR.delimiter = delim;
	return s->cls->input_end == NULL ? 0 :
	    s->cls->input_end(s, &CUR, NULL);
}

/* One judged CSV row, as read. */
static int
rep_csv_row(rl_sink *s, rl_buf *b, const char *raw, size_t len,
    const rl_result *res)
{
	rl_sink_record r = { .input = &CUR, .rec = &(rl_record){ .line = 1 },
	    .res = res, .accepted = rl_result_accepted(res), .row = raw,
	    .row_len = len, .row_number = 2, .row_res = res };

	return CALL(s, b, record, &r, NULL);
}

/* fixtures --------------------------------------------------------------- */

static const rl_record REC = {
	.source = "shard-07.ndjson", .index = 3, .line = 42
};

static rl_value *
S(const char *s)
{
	rl_value *v = rl_json_string(A, s, strlen(s));

	ck_assert_ptr_nonnull(v);
	return v;
}

static void
diag(rl_diag *d, rl_code code, rl_severity sev, long op, const char *ptr,
    const char *msg)
{
	memset(d, 0, sizeof(*d));
	d->code = code;
	d->severity = sev;
	d->op = op;
	d->field = -1;
	snprintf(d->pointer, sizeof(d->pointer), "%s", ptr);
	snprintf(d->message, sizeof(d->message), "%s", msg);
}

/* A result holding d[0..n), with the counts the validator would keep. */
static void
result(rl_result *res, const char *id, rl_diag *d, size_t n)
{
	size_t i;

	memset(res, 0, sizeof(*res));
	res->shape = RL_SHAPE_PATCH_ONLY;
	res->id = id != NULL ? S(id) : NULL;
	res->d = d;
	res->n = res->cap = n;
	for (i = 0; i < n; i++) {
		if (d[i].severity == RL_SEV_ERROR)
			res->errors++;
		else if (d[i].severity == RL_SEV_WARNING)
			res->warnings++;
		else if (d[i].severity == RL_SEV_INFO)
			res->infos++;
		if (d[i].severity > res->worst)
			res->worst = d[i].severity;
	}
}

/* A rejected record: two errors on ops and a warning on none. */
static rl_diag D3[3];
static void
rejected3(rl_result *res)
{
	diag(&D3[0], RL_VALUE_RANGE, RL_SEV_ERROR, 1, "/details/dealValue",
	    "dealValue -5 is below the minimum 0");
	diag(&D3[1], RL_TRANSITION, RL_SEV_ERROR, 0, "/status",
	    "status cannot go from Closed to Active");
	diag(&D3[2], RL_REFERRAL_STATE_MISSING, RL_SEV_WARNING, -1, "",
	    "no referral state: only stateless checks ran");
	result(res, "7c1f0d2e", D3, 3);
}

/* An accepted record with an info and a patch. */
static rl_diag DA[1];
static void
accepted1(rl_result *res)
{
	diag(&DA[0], RL_CSV_COLUMN_IGNORED, RL_SEV_INFO, -1, "",
	    "column CRM Owner is ignored");
	result(res, "a9", DA, 1);
	res->patch = rl_test_parse(A, "[{\"value\":\"Active\",\"op\":\"replace\","
	    "\"path\":\"/status\"},{\"op\":\"replace\",\"path\":\"/details/dealValue\","
	    "\"value\":1.50}]");
	res->if_match = S("\"abc\"");
}

/* The same accepted record with no diagnostic at all. */
static void
accepted0(rl_result *res)
{
	accepted1(res);
	res->n = 0;
	res->infos = 0;
	res->worst = RL_SEV_NONE;
}

static const char *
out(void)
{
	const char *s = rl_buf_cstr(&B);

	ck_assert_ptr_nonnull(s);
	return s;
}

/* A whole report of one format over the given results, as a string. */
static const char *
run(enum fmt fmt, unsigned flags, const rl_record *rec,
    rl_result *res, size_t n, const rl_summary *sum)
{
	rl_sink *r = rep_new(fmt, flags);
	size_t i;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rep_begin(r, &B), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(rep_record(r, &B, rec, &res[i]), 0);
	ck_assert_int_eq(rep_end(r, &B, sum), 0);
	rl_sink_free(r);
	return out();
}

/* format names ------------------------------------------------------------ */

static const struct {
	const char *name;
	size_t len;
	int fmt;
} names[] = {
	{ "text", 4, F_TEXT },
	{ "json", 4, F_JSON },
	{ "csv", 3, F_CSV },
	{ "github", 6, F_GITHUB },
	{ "csv:out.csv", 3, F_CSV },    /* the length decides */
	{ "TEXT", 4, -1 },
	{ "csv-rows", 8, F_CSV_ROWS },
	{ "csv-row", 7, -1 },
	{ "tex", 3, -1 },
	{ "githubx", 7, -1 },
	{ "", 0, -1 },
};

START_TEST(format_lookup)
{
	const rl_sink_class *cls = rl_sink_report(names[_i].name, names[_i].len);

	if (names[_i].fmt < 0)
		ck_assert_ptr_null(cls);
	else
		ck_assert_ptr_eq(cls, rl_sink_report_at((size_t)names[_i].fmt));
}
END_TEST

START_TEST(new_bad_format)
{
	ck_assert_ptr_null(rep_new((enum fmt)99, 0));
	rl_sink_free(NULL);
}
END_TEST

/* text -------------------------------------------------------------------- */

#define TEXT3 \
	"shard-07.ndjson:42: 7c1f0d2e: error: op 1: dealValue -5 is below the minimum 0 [value-range]\n" \
	"shard-07.ndjson:42: 7c1f0d2e: error: op 0: status cannot go from Closed to Active [transition]\n" \
	"shard-07.ndjson:42: 7c1f0d2e: warning: no referral state: only stateless checks ran [referral-state-missing]\n"

START_TEST(text_plain)
{
	rl_result res[2];
	rl_buf ref = RL_BUF_INIT;

	rejected3(&res[0]);
	accepted1(&res[1]);
	ck_assert_str_eq(run(F_TEXT, 0, &REC, res, 2, NULL), TEXT3
	    "shard-07.ndjson:42: a9: info: column CRM Owner is ignored [csv-column-ignored]\n");
	/* exactly output.c's lines: one format, one writer */
	ck_assert_int_eq(rl_out_text(&ref, &REC, &res[0]), 0);
	ck_assert_int_eq(rl_out_text(&ref, &REC, &res[1]), 0);
	ck_assert_uint_eq(ref.len, B.len);
	ck_assert(memcmp(ref.data, B.data, B.len) == 0);
	rl_buf_free(&ref);
}
END_TEST

/* Each severity in its colour, and only the word. */
static const struct {
	rl_severity sev;
	const char *want;
} colors[] = {
	{ RL_SEV_ERROR, "f:7: x: \033[31merror\033[0m: op 2: m [value-enum]\n" },
	{ RL_SEV_WARNING, "f:7: x: \033[33mwarning\033[0m: op 2: m [value-enum]\n" },
	{ RL_SEV_INFO, "f:7: x: \033[36minfo\033[0m: op 2: m [value-enum]\n" },
};

START_TEST(text_color)
{
	rl_record rec = { .source = "f", .index = 1, .line = 7 };
	rl_diag d = RL_DIAG_INIT;
	rl_result res;

	diag(&d, RL_VALUE_ENUM, colors[_i].sev, 2, "/status", "m");
	result(&res, "x", &d, 1);
	ck_assert_str_eq(run(F_TEXT, RL_REPORT_COLOR, &rec, &res, 1,
	    NULL), colors[_i].want);
}
END_TEST

/*
 * The word is found by position, not by search: a file name and an id that
 * hold ": error: " themselves, a diagnostic line of its own (more digits),
 * no id, and the note of dropped problems, which stays plain.
 */
START_TEST(text_color_position)
{
	rl_record rec = { .source = "a: error: b", .index = 1, .line = 9 };
	rl_diag d[2];
	rl_result res;

	diag(&d[0], RL_JSON_SYNTAX, RL_SEV_ERROR, -1, "", "unexpected ','");
	d[0].line = 1234;
	diag(&d[1], RL_VALUE_MEMBER_UNKNOWN, RL_SEV_WARNING, 0, "/x", "w");
	result(&res, "id: warning: 1", d, 2);
	res.dropped = 3;
	ck_assert_str_eq(run(F_TEXT, RL_REPORT_COLOR, &rec, &res, 1, NULL),
	    "a: error: b:1234: id: warning: 1: \033[31merror\033[0m: unexpected ',' [json-syntax]\n"
	    "a: error: b:9: id: warning: 1: \033[33mwarning\033[0m: op 0: w [value-member-unknown]\n"
	    "a: error: b:9: id: warning: 1: note: 3 more problems not shown\n");
	rl_buf_clear(&B);
	res.id = NULL;
	res.dropped = 0;
	rec.source = NULL;
	ck_assert_str_eq(run(F_TEXT, RL_REPORT_COLOR, &rec, &res, 1, NULL),
	    ":1234: -: \033[31merror\033[0m: unexpected ',' [json-syntax]\n"
	    ":9: -: \033[33mwarning\033[0m: op 0: w [value-member-unknown]\n");
}
END_TEST

/* json -------------------------------------------------------------------- */

/* rejected3 as tagged lines and the json report write it: errors apart */
#define REJ3_SPLIT "\"id\":\"7c1f0d2e\",\"source\":{\"file\":\"shard-07.ndjson\",\"line\":42,\"record\":3}," \
	"\"errors\":[{\"code\":\"value-range\",\"severity\":\"error\",\"op\":1,\"path\":\"/details/dealValue\"," \
	"\"message\":\"dealValue -5 is below the minimum 0\"},{\"code\":\"transition\",\"severity\":\"error\"," \
	"\"op\":0,\"path\":\"/status\",\"message\":\"status cannot go from Closed to Active\"}]," \
	"\"warnings\":[{\"code\":\"referral-state-missing\",\"severity\":\"warning\",\"op\":null,\"path\":null," \
	"\"message\":\"no referral state: only stateless checks ran\"}]}"
#define WARN1 "\"warnings\":[{\"code\":\"csv-column-ignored\",\"severity\":\"info\",\"op\":null," \
	"\"path\":null,\"message\":\"column CRM Owner is ignored\"}]"
#define ACC1_VERDICT "{\"verdict\":\"accepted\",\"id\":\"a9\",\"source\":{\"file\":\"shard-07.ndjson\"," \
	"\"line\":42,\"record\":3},\"errors\":[]," WARN1 "}"
#define REJ3 "{" REJ3_BODY
#define REJ3_BODY "\"id\":\"7c1f0d2e\",\"source\":{\"file\":\"shard-07.ndjson\",\"line\":42,\"record\":3}," \
	"\"errors\":[{\"code\":\"value-range\",\"severity\":\"error\",\"op\":1,\"path\":\"/details/dealValue\"," \
	"\"message\":\"dealValue -5 is below the minimum 0\"},{\"code\":\"transition\",\"severity\":\"error\"," \
	"\"op\":0,\"path\":\"/status\",\"message\":\"status cannot go from Closed to Active\"}," \
	"{\"code\":\"referral-state-missing\",\"severity\":\"warning\",\"op\":null,\"path\":null," \
	"\"message\":\"no referral state: only stateless checks ran\"}]}"

static rl_summary
summary3(void)
{
	rl_summary s;

	memset(&s, 0, sizeof(s));
	s.read = 3;
	s.accepted = 1;
	s.rejected = 2;
	s.errors = 4;
	s.warnings = 2;
	s.infos = 1;
	s.by_code[RL_TRANSITION] = 2;
	s.by_code[RL_VALUE_RANGE] = 2;
	s.by_code[RL_REFERRAL_STATE_MISSING] = 2;
	s.by_code[RL_CSV_COLUMN_IGNORED] = 1;
	s.bytes = 2048;
	s.elapsed_ms = 1234;
	return s;
}

#define SUM3 "{\"read\":3,\"accepted\":1,\"rejected\":2,\"errors\":4,\"warnings\":2,\"infos\":1," \
	"\"byCode\":{\"value-range\":2,\"referral-state-missing\":2,\"transition\":2," \
	"\"csv-column-ignored\":1},\"bytes\":2048,\"seconds\":\"1.234\"}"

START_TEST(json_report)
{
	rl_result res[3];
	rl_summary s = summary3();

	rejected3(&res[0]);
	accepted1(&res[1]);
	rejected3(&res[2]);
	/* every record with a diagnostic, accepted ones too, with its verdict */
	ck_assert_str_eq(run(F_JSON, 0, &REC, res, 3, &s),
	    "{\"records\":[{\"verdict\":\"rejected\"," REJ3_SPLIT "," ACC1_VERDICT ","
	    "{\"verdict\":\"rejected\"," REJ3_SPLIT "],\"summary\":" SUM3 "}\n");
}
END_TEST

START_TEST(json_report_empty)
{
	rl_result res;

	accepted0(&res);
	ck_assert_str_eq(run(F_JSON, 0, &REC, &res, 1, NULL),
	    "{\"records\":[],\"summary\":{\"read\":0,\"accepted\":0,\"rejected\":0,"
	    "\"errors\":0,\"warnings\":0,\"infos\":0,\"byCode\":{},\"bytes\":0,"
	    "\"seconds\":\"0.000\"}}\n");
}
END_TEST

/* The json document parses, and each element is a verdict object. */
START_TEST(json_report_parses)
{
	rl_result res[2];
	rl_summary s = summary3();
	rl_buf line = RL_BUF_INIT;
	const rl_value *doc, *rej;
	const char *text;

	rejected3(&res[0]);
	rejected3(&res[1]);
	text = run(F_JSON, 0, &REC, res, 2, &s);
	doc = rl_test_parse(A, text);
	rej = rl_json_get(doc, "records");
	ck_assert_ptr_nonnull(rej);
	ck_assert_uint_eq(rej->u.a.n, 2);
	ck_assert_int_eq(rl_out_verdict(&line, &REC, &res[0]), 0);
	ck_assert_int_eq(rl_buf_putc(&line, '\0'), 0);
	ck_assert_str_eq(rl_test_dump(rej->u.a.items[1]), line.data);
	ck_assert_ptr_nonnull(rl_json_get(doc, "summary"));
	rl_buf_free(&line);
}
END_TEST

/* csv --------------------------------------------------------------------- */

#define CSV_HEAD "Source,Line,Record,Column,Header,Referral ID,Op Index,Path,Code,Severity,Message\r\n"
#define CSV3 \
	"shard-07.ndjson,42,3,,,7c1f0d2e,1,/details/dealValue,value-range,error,dealValue -5 is below the minimum 0\r\n" \
	"shard-07.ndjson,42,3,,,7c1f0d2e,0,/status,transition,error,status cannot go from Closed to Active\r\n" \
	"shard-07.ndjson,42,3,,,7c1f0d2e,,,referral-state-missing,warning,no referral state: only stateless checks ran\r\n"

START_TEST(csv_report)
{
	rl_result res[2];

	rejected3(&res[0]);
	accepted1(&res[1]);
	ck_assert_str_eq(run(F_CSV, 0, &REC, res, 2, NULL),
	    "\xEF\xBB\xBF" CSV_HEAD CSV3
	    "shard-07.ndjson,42,3,,,a9,,,csv-column-ignored,info,column CRM Owner is ignored\r\n");
}
END_TEST

START_TEST(csv_no_bom)
{
	rl_result res;

	rejected3(&res);
	ck_assert_str_eq(run(F_CSV, RL_REPORT_NO_BOM, &REC, &res, 1, NULL),
	    CSV_HEAD CSV3);
}
END_TEST

START_TEST(csv_header_only)
{
	ck_assert_str_eq(run(F_CSV, 0, &REC, NULL, 0, NULL),
	    "\xEF\xBB\xBF" CSV_HEAD);
	rl_buf_clear(&B);
	ck_assert_str_eq(run(F_CSV, RL_REPORT_NO_BOM, &REC, NULL, 0, NULL),
	    CSV_HEAD);
}
END_TEST

/*
 * One message cell as written: RFC 4180 quoting and the formula guard.
 * The guard comes first, inside the quotes.
 */
static const struct {
	const char *msg;
	const char *cell;
} cells[] = {
	/* RFC 4180 */
	{ "plain text", "plain text" },
	{ "a,b", "\"a,b\"" },
	{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ "\"", "\"\"\"\"" },
	{ "two\nlines", "\"two\nlines\"" },
	{ "two\r\nlines", "\"two\r\nlines\"" },
	{ "cr\r", "\"cr\r\"" },
	{ "", "" },
	{ "semi;colon", "semi;colon" },
	{ "caf\xC3\xA9 \xE2\x82\xAC", "caf\xC3\xA9 \xE2\x82\xAC" },
	/* the guard, on each dangerous first character */
	{ "=1+1", "'=1+1" },
	{ "+1", "'+1" },
	{ "-5 is below", "'-5 is below" },
	{ "@SUM(A1)", "'@SUM(A1)" },
	{ "\tx", "'\tx" },
	{ "\rx", "\"'\rx\"" },
	{ "=", "'=" },
	{ "=HYPERLINK(\"http://e.test\",\"x\")",
	  "\"'=HYPERLINK(\"\"http://e.test\"\",\"\"x\"\")\"" },
	{ "-2,3", "\"'-2,3\"" },
	{ "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0" },
	/* and not on safe ones, nor in the middle */
	{ "a=b", "a=b" },
	{ "1-2", "1-2" },
	{ "'=x", "'=x" },
	{ "/status", "/status" },
	{ "#1", "#1" },
	{ "%x", "%x" },
	{ "\nx", "\"\nx\"" },
	{ "x\t=", "x\t=" },
};

START_TEST(csv_cells)
{
	rl_record rec = { .source = "s", .index = 1, .line = 2 };
	rl_diag d = RL_DIAG_INIT;
	rl_result res;
	char want[256];

	diag(&d, RL_VALUE_FORMAT, RL_SEV_ERROR, 0, "/name", cells[_i].msg);
	result(&res, "r", &d, 1);
	snprintf(want, sizeof(want),
	    CSV_HEAD "s,2,1,,,r,0,/name,value-format,error,%s\r\n", cells[_i].cell);
	ck_assert_str_eq(run(F_CSV, RL_REPORT_NO_BOM, &rec, &res, 1,
	    NULL), want);
}
END_TEST

/* The guard applies to every cell alike: file name, id and path too. */
START_TEST(csv_guard_every_cell)
{
	rl_record rec = { .source = "=evil.ndjson", .index = 12, .line = 30 };
	rl_diag d = RL_DIAG_INIT;
	rl_result res;

	diag(&d, RL_PATH_UNKNOWN, RL_SEV_ERROR, 4, "-x,y", "@x");
	result(&res, "+1-555-0100", &d, 1);
	ck_assert_str_eq(run(F_CSV, RL_REPORT_NO_BOM, &rec, &res, 1, NULL),
	    CSV_HEAD "'=evil.ndjson,30,12,,,'+1-555-0100,4,\"'-x,y\",path-unknown,error,'@x\r\n");
}
END_TEST

/* No id, no source: empty cells; the diagnostic's own line wins. */
START_TEST(csv_empty_cells)
{
	rl_record rec = { .source = NULL, .index = 5, .line = 8 };
	rl_diag d = RL_DIAG_INIT;
	rl_result res;

	diag(&d, RL_JSON_SYNTAX, RL_SEV_ERROR, -1, "", "bad");
	d.line = 9;
	result(&res, NULL, &d, 1);
	ck_assert_str_eq(run(F_CSV, RL_REPORT_NO_BOM, &rec, &res, 1, NULL),
	    CSV_HEAD ",9,5,,,,,,json-syntax,error,bad\r\n");
}
END_TEST

/*
 * A CSV row's problems, as the batch names their columns: the letters and
 * the header in the csv report, "column" and "columnLetter" in the JSON
 * lines; a problem of the whole row (no field) and one with a field but
 * no header named (not through the batch) have neither.
 */
static void
csv_row_result(rl_result *res, rl_diag d[3])
{
	diag(&d[0], RL_VALUE_FORMAT, RL_SEV_ERROR, -1, "/details/dealValue",
	    "row 3: column F \"Estimated Deal Value\": \"12,5\" is not a number");
	d[0].field = 5;
	d[0].field_name = "Estimated Deal Value";
	diag(&d[1], RL_VALUE_ENUM, RL_SEV_ERROR, -1, "/details/currency",
	    "row 3: column AB \"Currency \": value \"eur\"");
	d[1].field = 27;
	d[1].field_name = "Currency ";
	diag(&d[2], RL_CSV_SYNTAX, RL_SEV_ERROR, -1, "", "row 3: bad");
	d[2].field = 2;                     /* no name: not written */
	result(res, "r-3", d, 3);
}

START_TEST(csv_report_columns)
{
	rl_record rec = { .source = "u.csv", .index = 2, .line = 3 };
	rl_diag d[3];
	rl_result res;

	csv_row_result(&res, d);
	ck_assert_str_eq(run(F_CSV, RL_REPORT_NO_BOM, &rec, &res, 1, NULL),
	    CSV_HEAD
	    "u.csv,3,2,F,Estimated Deal Value,r-3,,/details/dealValue,value-format,error,"
	    "\"row 3: column F \"\"Estimated Deal Value\"\": \"\"12,5\"\" is not a number\"\r\n"
	    "u.csv,3,2,AB,Currency ,r-3,,/details/currency,value-enum,error,"
	    "\"row 3: column AB \"\"Currency \"\": value \"\"eur\"\"\"\r\n"
	    "u.csv,3,2,,,r-3,,,csv-syntax,error,row 3: bad\r\n");
}
END_TEST

START_TEST(json_lines_columns)
{
	rl_record rec = { .source = "u.csv", .index = 2, .line = 3 };
	rl_diag d[3];
	rl_result res;
	rl_buf line = RL_BUF_INIT;

	csv_row_result(&res, d);
	ck_assert_int_eq(rl_out_rejected(&line, &rec, &res), 0);
	ck_assert_int_eq(rl_buf_putc(&line, '\0'), 0);
	ck_assert_str_eq(line.data,
	    "{\"id\":\"r-3\",\"source\":{\"file\":\"u.csv\",\"line\":3,\"record\":2},"
	    "\"errors\":[{\"code\":\"value-format\",\"severity\":\"error\",\"op\":null,"
	    "\"path\":\"/details/dealValue\",\"column\":\"Estimated Deal Value\","
	    "\"columnLetter\":\"F\",\"message\":\"row 3: column F \\\"Estimated Deal "
	    "Value\\\": \\\"12,5\\\" is not a number\"},"
	    "{\"code\":\"value-enum\",\"severity\":\"error\",\"op\":null,"
	    "\"path\":\"/details/currency\",\"column\":\"Currency \","
	    "\"columnLetter\":\"AB\",\"message\":\"row 3: column AB \\\"Currency \\\": "
	    "value \\\"eur\\\"\"},"
	    "{\"code\":\"csv-syntax\",\"severity\":\"error\",\"op\":null,"
	    "\"path\":null,\"message\":\"row 3: bad\"}]}\n");
	/* the tagged line (and the JSON report) share the error objects */
	rl_buf_clear(&line);
	ck_assert_int_eq(rl_out_verdict(&line, &rec, &res), 0);
	ck_assert_int_eq(rl_buf_putc(&line, '\0'), 0);
	ck_assert_ptr_nonnull(strstr(line.data, ",\"column\":\"Currency \",\"columnLetter\":\"AB\",\"message\":"));
	rl_buf_free(&line);
}
END_TEST

/* github ------------------------------------------------------------------ */

START_TEST(github_lines)
{
	rl_result res[2];

	rejected3(&res[0]);
	accepted1(&res[1]);
	ck_assert_str_eq(run(F_GITHUB, 0, &REC, res, 2, NULL),
	    "::error file=shard-07.ndjson,line=42::dealValue -5 is below the minimum 0 [value-range]\n"
	    "::error file=shard-07.ndjson,line=42::status cannot go from Closed to Active [transition]\n"
	    "::warning file=shard-07.ndjson,line=42::no referral state: only stateless checks ran [referral-state-missing]\n"
	    "::notice file=shard-07.ndjson,line=42::column CRM Owner is ignored [csv-column-ignored]\n");
}
END_TEST

/* Escapes: % CR LF everywhere; : and , in property values only. */
static const struct {
	const char *file, *msg, *want;
} gh_esc[] = {
	{ "in/a.ndjson", "100% sure", "::error file=in/a.ndjson,line=42::100%25 sure [value-range]\n" },
	{ "C:\\in,1.ndjson", "a: b, c", "::error file=C%3A\\in%2C1.ndjson,line=42::a: b, c [value-range]\n" },
	{ "50%.csv", "x\r\ny", "::error file=50%25.csv,line=42::x%0D%0Ay [value-range]\n" },
	{ "a\nb\r", "::warning::fake", "::error file=a%0Ab%0D,line=42::::warning::fake [value-range]\n" },
	{ "%0A", "%0A", "::error file=%250A,line=42::%250A [value-range]\n" },
	{ "", "no file", "::error::no file [value-range]\n" },
	{ NULL, "no file", "::error::no file [value-range]\n" },
};

START_TEST(github_escape)
{
	rl_record rec = { .source = gh_esc[_i].file, .index = 1, .line = 42 };
	rl_diag d = RL_DIAG_INIT;
	rl_result res;

	diag(&d, RL_VALUE_RANGE, RL_SEV_ERROR, 0, "/details/dealValue", gh_esc[_i].msg);
	result(&res, "r", &d, 1);
	ck_assert_str_eq(run(F_GITHUB, 0, &rec, &res, 1, NULL),
	    gh_esc[_i].want);
}
END_TEST

/*
 * The cap: 10 annotations per severity over the whole run, then one line
 * per capped severity, most severe first; a single one is singular.
 */
START_TEST(github_cap)
{
	rl_diag d[3];
	rl_result res[12];
	rl_record rec = { .source = "f", .index = 1, .line = 1 };
	rl_buf want = RL_BUF_INIT;
	rl_sink *r;
	size_t i;

	diag(&d[0], RL_VALUE_ENUM, RL_SEV_ERROR, 0, "/status", "e");
	diag(&d[1], RL_VALUE_MEMBER_UNKNOWN, RL_SEV_WARNING, 0, "/x", "w");
	diag(&d[2], RL_CSV_COLUMN_IGNORED, RL_SEV_INFO, -1, "", "i");
	/* 12 records: 12 errors, 11 warnings, 2 infos */
	for (i = 0; i < 12; i++)
		result(&res[i], "r", d, i == 0 ? 1 : i < 3 ? 3 : 2);
	r = rep_new(F_GITHUB, 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rep_begin(r, &B), 0);
	ck_assert_uint_eq(B.len, 0);
	for (i = 0; i < 12; i++) {
		rec.line = i + 1;
		ck_assert_int_eq(rep_record(r, &B, &rec, &res[i]), 0);
		if (i < 10)
			ck_assert_int_eq(rl_buf_printf(&want,
			    "::error file=f,line=%zu::e [value-enum]\n", i + 1), 0);
		if (i >= 1 && i < 11)
			ck_assert_int_eq(rl_buf_printf(&want,
			    "::warning file=f,line=%zu::w [value-member-unknown]\n", i + 1), 0);
		if (i >= 1 && i < 3)
			ck_assert_int_eq(rl_buf_printf(&want,
			    "::notice file=f,line=%zu::i [csv-column-ignored]\n", i + 1), 0);
	}
	ck_assert_int_eq(rep_end(r, &B, NULL), 0);
	ck_assert_int_eq(rl_buf_puts(&want,
	    "::error::2 more errors not shown\n"
	    "::warning::1 more warning not shown\n"), 0);
	ck_assert_str_eq(out(), rl_buf_cstr(&want));
	rl_sink_free(r);
	rl_buf_free(&want);
}
END_TEST

/* Problems dropped beyond --max-errors-per-record count as not shown. */
START_TEST(github_dropped)
{
	rl_diag d = RL_DIAG_INIT;
	rl_result res;

	diag(&d, RL_VALUE_ENUM, RL_SEV_ERROR, 0, "/status", "e");
	result(&res, "r", &d, 1);
	res.errors = 21;        /* 20 more found than kept */
	res.infos = 1;
	res.dropped = 21;
	ck_assert_str_eq(run(F_GITHUB, 0, &REC, &res, 1, NULL),
	    "::error file=shard-07.ndjson,line=42::e [value-enum]\n"
	    "::error::20 more errors not shown\n"
	    "::notice::1 more notice not shown\n");
}
END_TEST

/* summary ----------------------------------------------------------------- */

START_TEST(summary_json)
{
	rl_summary s = summary3();

	ck_assert_int_eq(rl_summary_json(&B, &s), 0);
	ck_assert_str_eq(out(), SUM3);
}
END_TEST

/* byCode: catalogue order, zero counts left out, first and last codes. */
START_TEST(summary_json_codes)
{
	rl_summary s;

	memset(&s, 0, sizeof(s));
	s.by_code[RL_RULES_ERROR] = 1;
	s.by_code[RL_JSON_SYNTAX] = 7;
	s.by_code[RL_OK] = 5;           /* not a problem: never listed */
	s.read = 4000000000UL;
	s.bytes = UINT64_MAX;
	ck_assert_int_eq(rl_summary_json(&B, &s), 0);
	ck_assert_str_eq(out(), "{\"read\":4000000000,\"accepted\":0,\"rejected\":0,"
	    "\"errors\":0,\"warnings\":0,\"infos\":0,\"byCode\":{\"json-syntax\":7,"
	    "\"rules-error\":1},\"bytes\":18446744073709551615,\"seconds\":\"0.000\"}");
}
END_TEST

/* A stopped run: why, after "bytes", and what was left unread. */
static const struct {
	rl_stop stopped;
	int unknown;
	uint64_t unread;
	const char *json, *text;
} stops[] = {
	{ RL_STOP_MAX_ERRORS, 0, 12345,
	    "\"bytes\":2048,\"stopped\":\"max-errors\",\"unreadBytes\":12345,"
	    "\"seconds\":\"1.234\"}",
	    " in 1.23 s, 2.0 kB; reading stopped after 2 rejected records "
	    "(--max-errors); 12.3 kB not read\n" },
	{ RL_STOP_MAX_ERRORS, 0, 0,
	    "\"bytes\":2048,\"stopped\":\"max-errors\",\"unreadBytes\":0,"
	    "\"seconds\":\"1.234\"}",
	    "; reading stopped after 2 rejected records (--max-errors); 0 bytes "
	    "not read\n" },
	{ RL_STOP_MAX_ERRORS, 1, 0,
	    "\"stopped\":\"max-errors\",\"unreadBytes\":null,",
	    "(--max-errors); the size of what was not read is unknown\n" },
	{ RL_STOP_OUTPUT_CLOSED, 0, 1,
	    "\"stopped\":\"output-closed\",\"unreadBytes\":1,",
	    " 2.0 kB; reading stopped: an output pipe was closed; 1 byte not read\n" },
	{ RL_STOP_OUTPUT_CLOSED, 1, 77,
	    "\"stopped\":\"output-closed\",\"unreadBytes\":null,",
	    "; reading stopped: an output pipe was closed; the size of what was "
	    "not read is unknown\n" },
};

START_TEST(summary_stopped)
{
	rl_summary s = summary3();
	const char *o;

	s.stopped = stops[_i].stopped;
	s.unread_unknown = stops[_i].unknown;
	s.unread = stops[_i].unread;
	ck_assert_int_eq(rl_summary_json(&B, &s), 0);
	o = out();
	ck_assert_msg(strstr(o, stops[_i].json) != NULL, "%s", o);
	/* the counts before it are those of a run that read everything */
	ck_assert_int_eq(strncmp(o, SUM3, strlen(SUM3) - strlen(",\"seconds\":\"1.234\"}")), 0);
	ck_assert_ptr_nonnull(rl_test_parse(A, rl_arena_strndup(A, o, B.len)));
	rl_buf_clear(&B);
	ck_assert_int_eq(rl_summary_text(&B, &s), 0);
	o = out();
	ck_assert_msg(strlen(o) >= strlen(stops[_i].text) &&
	    strcmp(o + strlen(o) - strlen(stops[_i].text), stops[_i].text) == 0,
	    "%s", o);
}
END_TEST

/* Not stopped: neither member, whatever the other fields hold. */
START_TEST(summary_not_stopped)
{
	rl_summary s = summary3();

	s.unread = 99;
	s.unread_unknown = 1;
	ck_assert_int_eq(rl_summary_json(&B, &s), 0);
	ck_assert_str_eq(out(), SUM3);
	rl_buf_clear(&B);
	ck_assert_int_eq(rl_summary_text(&B, &s), 0);
	ck_assert_ptr_null(strstr(out(), "stopped"));
	ck_assert_str_eq(out() + B.len - strlen(" s, 2.0 kB\n"), " s, 2.0 kB\n");
}
END_TEST

static const struct {
	uint64_t ms;
	const char *json, *text;
} seconds[] = {
	{ 0, "0.000", "0.00" },
	{ 4, "0.004", "0.00" },
	{ 5, "0.005", "0.01" },
	{ 45, "0.045", "0.05" },
	{ 844, "0.844", "0.84" },
	{ 999, "0.999", "1.00" },
	{ 1000, "1.000", "1.00" },
	{ 61020, "61.020", "61.02" },
	{ 3600000, "3600.000", "3600.00" },
};

START_TEST(summary_seconds)
{
	rl_summary s;
	char want[64];

	memset(&s, 0, sizeof(s));
	s.elapsed_ms = seconds[_i].ms;
	ck_assert_int_eq(rl_summary_json(&B, &s), 0);
	snprintf(want, sizeof(want), ",\"seconds\":\"%s\"}", seconds[_i].json);
	ck_assert_ptr_nonnull(strstr(out(), want));
	rl_buf_clear(&B);
	ck_assert_int_eq(rl_summary_text(&B, &s), 0);
	snprintf(want, sizeof(want), ") in %s s, 0 bytes\n", seconds[_i].text);
	ck_assert_ptr_nonnull(strstr(out(), want));
}
END_TEST

START_TEST(summary_text)
{
	rl_summary s;

	memset(&s, 0, sizeof(s));
	s.read = 1200;
	s.accepted = 1150;
	s.rejected = 50;
	s.errors = 73;
	s.warnings = 12;
	s.bytes = 1234567;
	s.elapsed_ms = 840;
	ck_assert_int_eq(rl_summary_text(&B, &s), 0);
	ck_assert_str_eq(out(), "reflint: 1200 records: 1150 accepted, 50 rejected "
	    "(73 errors, 12 warnings) in 0.84 s, 1.2 MB\n");
	rl_buf_clear(&B);
	s.read = s.accepted = 1;
	s.rejected = 0;
	s.errors = 0;
	s.warnings = 1;
	s.infos = 2;
	s.bytes = 1;
	s.elapsed_ms = 12345;
	ck_assert_int_eq(rl_summary_text(&B, &s), 0);
	ck_assert_str_eq(out(), "reflint: 1 record: 1 accepted, 0 rejected "
	    "(0 errors, 1 warning, 2 infos) in 12.35 s, 1 byte\n");
	rl_buf_clear(&B);
	memset(&s, 0, sizeof(s));
	s.errors = 1;
	s.infos = 1;
	ck_assert_int_eq(rl_summary_text(&B, &s), 0);
	ck_assert_str_eq(out(), "reflint: 0 records: 0 accepted, 0 rejected "
	    "(1 error, 0 warnings, 1 info) in 0.00 s, 0 bytes\n");
}
END_TEST

static const struct {
	uint64_t bytes;
	const char *want;
} sizes[] = {
	{ 0, "0 bytes" },
	{ 1, "1 byte" },
	{ 999, "999 bytes" },
	{ 1000, "1.0 kB" },
	{ 1049, "1.0 kB" },
	{ 1050, "1.1 kB" },
	{ 999949, "999.9 kB" },
	{ 999950, "1.0 MB" },
	{ 1234567, "1.2 MB" },
	{ 5368709120ULL, "5.4 GB" },
	{ 999950000000000ULL, "1.0 PB" },
	{ UINT64_MAX, "18.4 EB" },
};

START_TEST(summary_sizes)
{
	rl_summary s;
	char want[64];

	memset(&s, 0, sizeof(s));
	s.bytes = sizes[_i].bytes;
	ck_assert_int_eq(rl_summary_text(&B, &s), 0);
	snprintf(want, sizeof(want), " s, %s\n", sizes[_i].want);
	ck_assert_ptr_nonnull(strstr(out(), want));
	ck_assert_str_eq(out() + B.len - strlen(want), want);
}
END_TEST

/* mapper mode ------------------------------------------------------------- */

#define TAG_SRC "\"source\":{\"file\":\"shard-07.ndjson\",\"line\":42,\"record\":3}"
#define ACC1 "\"id\":\"a9\",\"ifMatch\":\"\\\"abc\\\"\",\"patch\":[{\"op\":\"replace\"," \
	"\"path\":\"/status\",\"value\":\"Active\"},{\"op\":\"replace\"," \
	"\"path\":\"/details/dealValue\",\"value\":1.50}]"

START_TEST(tagged_accepted)
{
	rl_result res;

	accepted1(&res);
	ck_assert_int_eq(rl_out_tagged(&B, &REC, &res, NULL, 0), 0);
	ck_assert_str_eq(out(), "{\"verdict\":\"accepted\"," TAG_SRC "," ACC1 "," WARN1 "}\n");
}
END_TEST

START_TEST(tagged_accepted_clean)
{
	rl_result res;

	accepted0(&res);
	ck_assert_int_eq(rl_out_tagged(&B, &REC, &res, NULL, 0), 0);
	ck_assert_str_eq(out(), "{\"verdict\":\"accepted\"," TAG_SRC "," ACC1 "}\n");
}
END_TEST

/* The caller's line (apply's): taken as is, a trailing newline ignored. */
static const struct {
	const char *line, *want;
} tag_lines[] = {
	{ "{\"id\":\"a9\",\"referral\":{\"status\":\"Active\"}}",
	  "{\"verdict\":\"accepted\"," TAG_SRC ",\"id\":\"a9\",\"referral\":{\"status\":\"Active\"}}\n" },
	{ "{\"id\":\"a9\",\"referral\":{}}\n",
	  "{\"verdict\":\"accepted\"," TAG_SRC ",\"id\":\"a9\",\"referral\":{}}\n" },
	{ "{\"id\":\"a9\"}\r\n",
	  "{\"verdict\":\"accepted\"," TAG_SRC ",\"id\":\"a9\"}\n" },
	{ "{}", "{\"verdict\":\"accepted\"," TAG_SRC "}\n" },
};

/* The caller's line with the record's warnings added at its end. */
START_TEST(tagged_line_warnings)
{
	rl_result res;

	accepted1(&res);
	ck_assert_int_eq(rl_out_tagged(&B, &REC, &res, "{\"id\":\"a9\",\"referral\":{}}\n", 26), 0);
	ck_assert_str_eq(out(), "{\"verdict\":\"accepted\"," TAG_SRC ",\"id\":\"a9\",\"referral\":{}," WARN1 "}\n");
	rl_buf_clear(&B);
	ck_assert_int_eq(rl_out_tagged(&B, &REC, &res, "{}", 2), 0);
	ck_assert_str_eq(out(), "{\"verdict\":\"accepted\"," TAG_SRC "," WARN1 "}\n");
}
END_TEST

START_TEST(tagged_line)
{
	rl_result res;

	accepted0(&res);
	ck_assert_int_eq(rl_out_tagged(&B, &REC, &res, tag_lines[_i].line,
	    strlen(tag_lines[_i].line)), 0);
	ck_assert_str_eq(out(), tag_lines[_i].want);
}
END_TEST

START_TEST(tagged_rejected)
{
	rl_result res;

	rejected3(&res);
	/* the accepted line is not used for a rejected record */
	ck_assert_int_eq(rl_out_tagged(&B, &REC, &res, "{\"id\":\"x\"}", 10), 0);
	ck_assert_str_eq(out(), "{\"verdict\":\"rejected\"," REJ3_SPLIT "\n");
}
END_TEST

/* Both verdicts appended in a row, each a JSON object on its own line. */
START_TEST(tagged_stream)
{
	rl_result res[2];
	const char *s, *nl;

	rejected3(&res[0]);
	accepted1(&res[1]);
	ck_assert_int_eq(rl_out_tagged(&B, &REC, &res[0], NULL, 0), 0);
	ck_assert_int_eq(rl_out_tagged(&B, &REC, &res[1], NULL, 0), 0);
	s = out();
	nl = strchr(s, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_str_eq(nl + 1, "{\"verdict\":\"accepted\"," TAG_SRC "," ACC1 "," WARN1 "}\n");
	ck_assert_str_eq(rl_test_dump(rl_json_get(rl_test_parse(A,
	    rl_arena_strndup(A, s, (size_t)(nl - s))), "verdict")), "\"rejected\"");
}
END_TEST

/* locale ------------------------------------------------------------------ */

/* Everything this module writes, for one comparison. */
static void
everything(rl_buf *b)
{
	static const enum fmt fmts[] = {
		F_TEXT, F_JSON, F_CSV, F_GITHUB
	};
	rl_result res[2];
	rl_summary s = summary3();
	size_t f;

	rejected3(&res[0]);
	accepted1(&res[1]);
	s.bytes = 1234567;
	s.elapsed_ms = 61020;
	for (f = 0; f < N(fmts); f++) {
		rl_sink *r = rep_new(fmts[f], RL_REPORT_COLOR);

		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(rep_begin(r, b), 0);
		ck_assert_int_eq(rep_record(r, b, &REC, &res[0]), 0);
		ck_assert_int_eq(rep_record(r, b, &REC, &res[1]), 0);
		ck_assert_int_eq(rep_end(r, b, &s), 0);
		rl_sink_free(r);
	}
	ck_assert_int_eq(rl_summary_text(b, &s), 0);
	ck_assert_int_eq(rl_out_tagged(b, &REC, &res[0], NULL, 0), 0);
	ck_assert_int_eq(rl_out_tagged(b, &REC, &res[1], NULL, 0), 0);
}

START_TEST(locale_independent)
{
	static const char *const locales[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "C.UTF-8", "C.utf8"
	};
	rl_buf c = RL_BUF_INIT;
	const char *used = NULL;
	size_t i;

	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C"));
	everything(&c);
	for (i = 0; i < N(locales) && used == NULL; i++)
		used = setlocale(LC_ALL, locales[i]);
	ck_assert_msg(used != NULL, "no UTF-8 locale to test with");
	everything(&B);
	setlocale(LC_ALL, "C");
	ck_assert_uint_eq(B.len, c.len);
	ck_assert_msg(memcmp(B.data, c.data, c.len) == 0,
	    "output differs under %s", used);
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&c),
	    "in 61.02 s, 1.2 MB\n"));
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&c), "\"seconds\":\"61.020\""));
	rl_buf_free(&c);
}
END_TEST

/* csv-rows ---------------------------------------------------------------- */

#define PC_HEAD "Referral ID,Deal Name,Estimated Deal Value"
#define ROW_BAD "r-1,\"Contoso, \"\"phase 2\"\"\",12 000"
#define ROW_ML "r-2,\"two\r\nlines\",=1+1"
#define E_BAD "\"value-format: Estimated Deal Value: \"\"12 000\"\" is not a " \
    "number; status-reason-required (warning): a reason, please\""

/* A rejected row: a value-format error, a warning and an info. */
static rl_diag DR[3];
static void
rejected_row(rl_result *res)
{
	diag(&DR[0], RL_VALUE_FORMAT, RL_SEV_ERROR, -1, "/details/dealValue",
	    "Estimated Deal Value: \"12 000\" is not a number");
	diag(&DR[1], RL_STATUS_REASON_REQUIRED, RL_SEV_WARNING, -1, "",
	    "a reason, please");
	diag(&DR[2], RL_CSV_UNCHANGED, RL_SEV_INFO, -1, "", "an info");
	result(res, "r-1", DR, 3);
}

/* One CSV input (its header, then its rows) through a csv-rows sink. */
static void
rows_into(rl_sink *r, const char *hdr, char delim, const char *const *raw,
    rl_result *res, size_t n)
{
	size_t i;

	if (hdr != NULL)
		ck_assert_int_eq(rep_csv_header(r, hdr, strlen(hdr), delim), 0);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(rep_record(r, &B, &REC, &res[i]), 0);
		ck_assert_int_eq(rep_csv_row(r, &B, raw[i], strlen(raw[i]),
		    &res[i]), 0);
	}
}

static const char *
rows(unsigned flags, const char *hdr, char delim, const char *const *raw,
    rl_result *res, size_t n)
{
	rl_sink *r = rep_new(F_CSV_ROWS, flags);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rep_begin(r, &B), 0);
	ck_assert_uint_eq(B.len, 0);    /* nothing before a header is known */
	rows_into(r, hdr, delim, raw, res, n);
	ck_assert_int_eq(rep_end(r, &B, NULL), 0);
	rl_sink_free(r);
	return out();
}

/*
 * The rows as read (a formula in an echoed cell stays: it is the user's
 * data) after an Errors column added first, the Errors cell quoted;
 * accepted rows left out.
 */
START_TEST(rows_report)
{
	static const char *const raw[] = { ROW_BAD, "r-9,ok,1", ROW_ML };
	rl_result res[3];
	rl_diag d = RL_DIAG_INIT;

	rejected_row(&res[0]);
	accepted1(&res[1]);
	diag(&d, RL_VALUE_ENUM, RL_SEV_ERROR, -1, "", "-x, \"y\"");
	result(&res[2], "r-2", &d, 1);
	ck_assert_str_eq(rows(0, PC_HEAD, ',', raw, res, 3),
	    "\xEF\xBB\xBF" "Errors," PC_HEAD "\r\n"
	    E_BAD "," ROW_BAD "\r\n"
	    "\"value-enum: -x, \"\"y\"\"\"," ROW_ML "\r\n");
}
END_TEST

/*
 * The Errors cell goes through rl_csv_cell, guard included (it starts with
 * a code name, so the guard never fires there); the cell writer with other
 * delimiters.
 */
START_TEST(rows_guard)
{
	static const char *const raw[] = { "r-1,a,b" };
	rl_result res;
	rl_diag d = RL_DIAG_INIT;

	diag(&d, RL_VALUE_ENUM, RL_SEV_ERROR, -1, "", "x");
	result(&res, "r-1", &d, 1);
	res.n = 0;              /* only "and 1 more": no code first */
	res.dropped = 1;
	ck_assert_str_eq(rows(RL_REPORT_NO_BOM, "A,B,C", ',', raw, &res, 1),
	    "Errors,A,B,C\r\nand 1 more,r-1,a,b\r\n");
	ck_assert_int_eq(rl_csv_cell(&B, "=1", 2, ';', 0), 0);
	ck_assert_int_eq(rl_csv_cell(&B, "a;b", 3, ';', 0), 0);
	ck_assert_int_eq(rl_csv_cell(&B, "a,b", 3, ';', 0), 0);
	ck_assert_int_eq(rl_csv_cell(&B, "a\tb", 3, '\t', 1), 0);
	ck_assert_str_eq(out(), "Errors,A,B,C\r\nand 1 more,r-1,a,b\r\n"
	    "'=1;\"a;b\";a,b;\"a\tb\"\r\n");
}
END_TEST

/* The input's delimiter separates the Errors column too. */
START_TEST(rows_delimiter)
{
	static const char *const raw[] = { "r-1;\"a;b\";1,5" };
	rl_result res;
	rl_diag d = RL_DIAG_INIT;

	diag(&d, RL_VALUE_FORMAT, RL_SEV_ERROR, -1, "", "\"1,5\"; not a number");
	result(&res, "r-1", &d, 1);
	ck_assert_str_eq(rows(RL_REPORT_NO_BOM, "Referral ID;Notes;Estimated Deal Value",
	    ';', raw, &res, 1),
	    "Errors;Referral ID;Notes;Estimated Deal Value\r\n"
	    "\"value-format: \"\"1,5\"\"; not a number\";r-1;\"a;b\";1,5\r\n");
}
END_TEST

/* No rejected row: the header alone; no CSV input at all: nothing. */
START_TEST(rows_none)
{
	rl_result res;

	accepted1(&res);
	ck_assert_str_eq(rows(0, PC_HEAD, ',', NULL, NULL, 0),
	    "\xEF\xBB\xBF" "Errors," PC_HEAD "\r\n");
	rl_buf_clear(&B);
	ck_assert_str_eq(rows(0, NULL, ',', NULL, NULL, 0), "");
	/* and a record of another format is ignored by every call */
	rl_buf_clear(&B);
	ck_assert_str_eq(run(F_CSV_ROWS, 0, &REC, &res, 1, NULL), "");
}
END_TEST

/*
 * The header's own Errors column (a template's, or a csv-rows file run
 * again), wherever it is, takes the messages: its cell is replaced, a
 * short row padded up to it, a long row keeps its extra cells; a row cut
 * by a quote is kept whole, the messages after it.
 */
static const struct {
	const char *hdr, *raw, *want;
} own_errors[] = {
	{ "Referral ID,Notes, \"errors\" ", "r-1,x,\"old; stale\"",
	    "r-1,x,value-enum: new" },
	{ "Referral ID,Errors,Notes", "r-1,\"old\",x", "r-1,value-enum: new,x" },
	{ "Referral ID,Errors,Notes", "r-1,,x,extra",
	    "r-1,value-enum: new,x,extra" },
	{ "Errors,Referral ID,Notes", "\"old, \"\"x\"\"\",r-1,y",
	    "value-enum: new,r-1,y" },
	{ "Referral ID,Notes,Deal,Errors", "r-1", "r-1,,,value-enum: new" },
	{ "Referral ID,Notes,Deal,Errors", "r-1,\"a,b\"",
	    "r-1,\"a,b\",,value-enum: new" },
	{ "Referral ID,Notes,Errors", "", ",,value-enum: new" },
	{ "Referral ID,Notes,Errors", "r-1,\"cut", "r-1,\"cut,value-enum: new" },
	{ "Referral ID;Errors;Notes", "r-1;;\"a;b\"", "r-1;value-enum: new;\"a;b\"" },
};

START_TEST(rows_own_errors)
{
	const char *raw[1] = { own_errors[_i].raw };
	char delim = strchr(own_errors[_i].hdr, ';') != NULL ? ';' : ',';
	rl_result res;
	rl_diag d = RL_DIAG_INIT;
	rl_buf want = RL_BUF_INIT;

	diag(&d, RL_VALUE_ENUM, RL_SEV_ERROR, -1, "", "new");
	result(&res, "r-1", &d, 1);
	ck_assert_int_eq(rl_buf_printf(&want, "%s\r\n%s\r\n", own_errors[_i].hdr,
	    own_errors[_i].want), 0);
	ck_assert_str_eq(rows(RL_REPORT_NO_BOM, own_errors[_i].hdr, delim, raw,
	    &res, 1), rl_buf_cstr(&want));
	rl_buf_free(&want);
}
END_TEST

/*
 * A plain file takes one CSV input: a second one fails (the command
 * refuses it before reading when the names say CSV), and what the first
 * wrote stays.  JSON inputs in between are nobody's rows.
 */
START_TEST(rows_second_input)
{
	rl_sink *r = rep_new(F_CSV_ROWS, RL_REPORT_NO_BOM);
	rl_sink_record sr;
	rl_result res;
	rl_diag d = RL_DIAG_INIT, err = RL_DIAG_INIT;

	diag(&d, RL_VALUE_ENUM, RL_SEV_ERROR, -1, "", "e");
	result(&res, "r", &d, 1);
	ck_assert_ptr_nonnull(r);
	CUR.name = "a.csv";
	ck_assert_int_eq(rep_csv_header(r, "A,B", 3, ','), 0);
	ck_assert_int_eq(rep_csv_row(r, &B, "1,2", 3, &res), 0);
	CUR.ordinal++;
	CUR.csv = 0;
	CUR.name = "b.ndjson";
	ck_assert_int_eq(rep_record(r, &B, &REC, &res), 0);
	CUR.ordinal++;
	CUR.csv = 1;
	CUR.name = "c.csv";
	memset(&sr, 0, sizeof(sr));
	sr.input = &CUR;
	sr.rec = &REC;
	sr.res = &res;
	sr.row = "3,4";
	sr.row_len = 3;
	lend(r, &B);
	ck_assert_int_eq(take(r, &B, r->cls->record(r, &sr, &err)), -1);
	ck_assert_int_eq(err.code, RL_IO_ERROR);
	ck_assert_ptr_nonnull(strstr(err.message, "c.csv is a second one"));
	ck_assert_ptr_nonnull(strstr(err.message, "csv-rows:DIR/"));
	rl_sink_free(r);
	memset(&CUR, 0, sizeof(CUR));
	ck_assert_str_eq(out(), "Errors,A,B\r\nvalue-enum: e,1,2\r\n");
}
END_TEST

/*
 * Written in the input's encoding (the source's name for it): UTF-16 with
 * its byte-order mark, whatever --no-bom says; Windows-1252 with none, so
 * that no such row is echoed under a UTF-8 BOM, and "?" for a character
 * of a message that it cannot hold.
 */
enum { U8, U16LE, U16BE };
static const struct {
	const char *enc;
	unsigned flags;
	int form;               /* how ASCII is written */
	const char *bom, *check, *eacute;       /* "\xE2\x9C\x93", "é" */
	size_t bom_len, check_len, eacute_len;
} encodings[] = {
#define W(s) s
#define L(a, b, c) sizeof(a) - 1, sizeof(b) - 1, sizeof(c) - 1
	{ "UTF-16LE", 0, U16LE, "\xFF\xFE", "\x13\x27", "\xE9\0",
	    L("\xFF\xFE", "\x13\x27", "\xE9\0") },
	{ "utf-16", RL_REPORT_NO_BOM, U16LE, "\xFF\xFE", "\x13\x27", "\xE9\0",
	    L("\xFF\xFE", "\x13\x27", "\xE9\0") },
	{ "UTF-16BE", 0, U16BE, "\xFE\xFF", "\x27\x13", "\0\xE9",
	    L("\xFE\xFF", "\x27\x13", "\0\xE9") },
	{ "WINDOWS-1252", 0, U8, "", "?", "\xE9", L("", "?", "\xE9") },
	{ "CP1252", RL_REPORT_NO_BOM, U8, "", "?", "\xE9", L("", "?", "\xE9") },
	{ NULL, 0, U8, "\xEF\xBB\xBF", "\xE2\x9C\x93", "\xC3\xA9",
	    L("\xEF\xBB\xBF", "\xE2\x9C\x93", "\xC3\xA9") },
	{ "UTF-8", RL_REPORT_NO_BOM, U8, "", "\xE2\x9C\x93", "\xC3\xA9",
	    L("", "\xE2\x9C\x93", "\xC3\xA9") },
#undef W
#undef L
};

/* ASCII text as the form writes it. */
static void
ascii_in(rl_buf *b, int form, const char *s)
{
	for (; *s != '\0'; s++) {
		if (form == U16BE)
			ck_assert_int_eq(rl_buf_putc(b, '\0'), 0);
		ck_assert_int_eq(rl_buf_putc(b, *s), 0);
		if (form == U16LE)
			ck_assert_int_eq(rl_buf_putc(b, '\0'), 0);
	}
}

START_TEST(rows_encoding)
{
	static const char *const raw[] = { "\xC3\xA9" };       /* é */
	rl_buf want = RL_BUF_INIT;
	rl_result res;
	rl_diag d = RL_DIAG_INIT;
	rl_sink *r = rep_new(F_CSV_ROWS, encodings[_i].flags);
	int form = encodings[_i].form;

	diag(&d, RL_VALUE_ENUM, RL_SEV_ERROR, -1, "", "\xE2\x9C\x93");  /* ✓ */
	result(&res, "r-1", &d, 1);
	ck_assert_ptr_nonnull(r);
	CUR.encoding = encodings[_i].enc;
	rows_into(r, "Name", ',', raw, &res, 1);
	ck_assert_int_eq(rep_end(r, &B, NULL), 0);
	rl_sink_free(r);
	ck_assert_int_eq(rl_buf_append(&want, encodings[_i].bom,
	    encodings[_i].bom_len), 0);
	ascii_in(&want, form, "Errors,Name\r\nvalue-enum: ");
	ck_assert_int_eq(rl_buf_append(&want, encodings[_i].check,
	    encodings[_i].check_len), 0);
	ascii_in(&want, form, ",");
	ck_assert_int_eq(rl_buf_append(&want, encodings[_i].eacute,
	    encodings[_i].eacute_len), 0);
	ascii_in(&want, form, "\r\n");
	ck_assert_uint_eq(B.len, want.len);
	ck_assert_msg(memcmp(B.data, want.data, want.len) == 0,
	    "%s: not the bytes expected", encodings[_i].enc);
	rl_buf_free(&want);
}
END_TEST

/* An encoding iconv does not know: the sink fails, saying which. */
START_TEST(rows_encoding_unknown)
{
	rl_sink *r = rep_new(F_CSV_ROWS, 0);
	rl_diag err = RL_DIAG_INIT;

	ck_assert_ptr_nonnull(r);
	CUR.encoding = "NO-SUCH-CODESET-42";
	CUR.csv = 1;
	CUR.header = "A";
	CUR.header_len = 1;
	CUR.ordinal = 1;
	ck_assert_int_eq(r->cls->input_end(r, &CUR, &err), -1);
	ck_assert_int_eq(err.code, RL_IO_ERROR);
	ck_assert_ptr_nonnull(strstr(err.message, "NO-SUCH-CODESET-42"));
	rl_sink_free(r);
	memset(&CUR, 0, sizeof(CUR));
}
END_TEST

/*
 * A directory: one file per CSV input, named as the input ("-N", its
 * ordinal, for a name taken), each with its own header, delimiter and
 * encoding, the header alone for an input with no rejected row; the
 * directory is made when missing.  A file that would be the input itself
 * is refused.
 */
static void
dir_input(rl_sink *r, unsigned long ordinal, const char *name,
    const char *hdr, char delim, const char *enc, const char *raw,
    const rl_result *res, int want)
{
	rl_sink_input in = { .name = name, .ordinal = ordinal, .csv = 1,
	    .header = hdr, .header_len = strlen(hdr), .delimiter = delim,
	    .encoding = enc };
	rl_sink_record sr = { .input = &in, .rec = &REC, .res = res,
	    .accepted = rl_result_accepted(res), .row = raw,
	    .row_len = raw != NULL ? strlen(raw) : 0, .row_res = res };
	rl_diag err = RL_DIAG_INIT;

	err.code = RL_OK;
	ck_assert_int_eq(r->cls->record(r, &sr, &err), want);
	if (want == 0)
		ck_assert_int_eq(r->cls->input_end(r, &in, &err), 0);
	else
		ck_assert_int_eq(err.code, RL_IO_ERROR);
}

START_TEST(rows_directory)
{
	char *tmp = rl_test_tmpdir(), dir[1100], in[1200];
	static const char *const files[] = { "a.csv", NULL };
	rl_result res, acc;
	rl_diag d = RL_DIAG_INIT;
	rl_sink *r;
	char *got;
	size_t len;

	diag(&d, RL_VALUE_ENUM, RL_SEV_ERROR, -1, "", "e");
	result(&res, "r", &d, 1);
	accepted1(&acc);
	snprintf(dir, sizeof(dir), "%s/out/", tmp);
	ck_assert(rl_sink_path_is_dir(dir));
	ck_assert_ptr_nonnull(r = rl_sink_new(rl_sink_report("csv-rows", 8),
	    NULL, dir, 0));
	ck_assert_int_eq(r->cls->begin(r, NULL), 0);
	dir_input(r, 1, "x/a.csv", "A,B", ',', NULL, "1,2", &res, 0);
	dir_input(r, 2, "y/a.csv", "A;Errors", ';', NULL, "3", &res, 0);
	dir_input(r, 3, "b.txt", "A", '\t', "UTF-16LE", "4", &res, 0);
	dir_input(r, 4, "ok.csv", "A", ',', NULL, "5", &acc, 0);
	ck_assert_int_eq(r->cls->end(r, NULL, NULL), 0);
	rl_sink_free(r);
	ck_assert_ptr_nonnull(got = rl_test_slurp_path(
	    rl_test_file_in(tmp, "out/a.csv"), &len));
	ck_assert_str_eq(got, "\xEF\xBB\xBF" "Errors,A,B\r\nvalue-enum: e,1,2\r\n");
	free(got);
	ck_assert_ptr_nonnull(got = rl_test_slurp_path(
	    rl_test_file_in(tmp, "out/a-2.csv"), &len));
	ck_assert_str_eq(got, "\xEF\xBB\xBF" "A;Errors\r\n3;value-enum: e\r\n");
	free(got);
	ck_assert_ptr_nonnull(got = rl_test_slurp_path(
	    rl_test_file_in(tmp, "out/b.txt"), &len));
	ck_assert_uint_eq(len, 2 + 2 * strlen("Errors\tA\r\nvalue-enum: e\t4\r\n"));
	ck_assert(memcmp(got, "\xFF\xFE" "E\0r\0", 6) == 0);
	free(got);
	ck_assert_ptr_nonnull(got = rl_test_slurp_path(
	    rl_test_file_in(tmp, "out/ok.csv"), &len));
	ck_assert_str_eq(got, "\xEF\xBB\xBF" "Errors,A\r\n");
	free(got);
	/* the input's own directory: its file would be the input */
	rl_test_write_file(tmp, "a.csv", "A\r\n1\r\n", 6);
	snprintf(in, sizeof(in), "%s/a.csv", tmp);
	snprintf(dir, sizeof(dir), "%s", tmp);
	ck_assert_ptr_nonnull(r = rl_sink_new(rl_sink_report("csv-rows", 8),
	    NULL, dir, 0));
	ck_assert_int_eq(r->cls->begin(r, NULL), 0);
	dir_input(r, 1, in, "A", ',', NULL, "1", &res, -1);
	rl_sink_free(r);
	ck_assert_ptr_nonnull(got = rl_test_slurp_path(in, &len));
	ck_assert_str_eq(got, "A\r\n1\r\n");
	free(got);
	(void)unlink(rl_test_file_in(tmp, "out/a.csv"));
	(void)unlink(rl_test_file_in(tmp, "out/a-2.csv"));
	(void)unlink(rl_test_file_in(tmp, "out/b.txt"));
	(void)unlink(rl_test_file_in(tmp, "out/ok.csv"));
	(void)rmdir(rl_test_file_in(tmp, "out"));
	rl_test_rmdir(tmp, files);
}
END_TEST

/* Out of memory at every step: -1, the buffer as it was, then the same bytes. */
START_TEST(rows_out_of_memory)
{
	static const char *const enc[] = { NULL, "UTF-16LE" };
	static const char *const raw[] = { ROW_BAD, ROW_ML };
	rl_buf want = RL_BUF_INIT;
	rl_result res;
	rl_sink *r;
	unsigned long n;
	size_t k, pre;
	int rc;

	rejected_row(&res);
	memset(DR[0].message + 20, '"', 200);
	for (pre = 0; pre <= 64; pre++) {
		for (n = 1; ; n++) {
			ck_assert_msg(n < 1000, "never succeeds");
			r = rep_new(F_CSV_ROWS, 0);
			ck_assert_ptr_nonnull(r);
			rl_buf_free(&B);
			for (k = 0; k < pre; k++)
				ck_assert_int_eq(rl_buf_putc(&B, 'a'), 0);
			k = B.len;
			CUR.encoding = enc[_i];
			rl_alloc_fail_after(n);
			rc = rep_csv_header(r, PC_HEAD, strlen(PC_HEAD), ',');
			if (rc == 0)
				rc = rep_csv_row(r, &B, raw[0], strlen(raw[0]), &res);
			if (rc == 0)
				rc = rep_csv_row(r, &B, raw[1], strlen(raw[1]), &res);
			rl_alloc_fail_after(0);
			if (rc == 0)
				break;
			ck_assert_int_eq(rc, -1);
			ck_assert(B.len == k || B.len > k + strlen(PC_HEAD));
			rl_sink_free(r);
		}
		rl_sink_free(r);
		if (pre == 0) {
			rl_buf_clear(&want);
			ck_assert_int_eq(rl_buf_append(&want, B.data, B.len), 0);
			ck_assert_msg(n > 1, "no allocation was tried");
		}
		ck_assert_uint_eq(B.len, k + want.len);
		ck_assert(memcmp(B.data + k, want.data, want.len) == 0);
	}
	rl_buf_free(&want);
	memset(&CUR, 0, sizeof(CUR));
}
END_TEST

/* running out of memory --------------------------------------------------- */

/*
 * Each writer, with the n-th allocation failing for n = 1, 2, ... until it
 * succeeds: -1 and the buffer exactly as it was, then the same bytes as an
 * undisturbed run.  The buffer starts with 0 to 300 bytes of other output,
 * so that it grows at every point of the writer's work; messages are long,
 * so that it grows several times within one call.
 */
enum { W_TEXT, W_COLOR, W_JSON, W_CSV, W_GITHUB, W_SUMJSON, W_SUMTEXT,
	W_TAG_ACC, W_TAG_LINE, W_TAG_REJ, W_COUNT };

static int
write_one(int w, rl_sink *r, rl_buf *b, rl_result *rej, rl_result *acc,
    const rl_summary *s)
{
	switch (w) {
	case W_TEXT: case W_COLOR: case W_JSON: case W_CSV: case W_GITHUB:
		return rep_record(r, b, &REC, rej);
	case W_SUMJSON:
		return rl_summary_json(b, s);
	case W_SUMTEXT:
		return rl_summary_text(b, s);
	case W_TAG_ACC:
		return rl_out_tagged(b, &REC, acc, NULL, 0);
	case W_TAG_LINE:
		return rl_out_tagged(b, &REC, acc, "{\"id\":\"a9\"}", 11);
	default:
		return rl_out_tagged(b, &REC, rej, NULL, 0);
	}
}

START_TEST(out_of_memory)
{
	static const enum fmt fmt[W_COUNT] = {
		[W_COLOR] = F_TEXT, [W_JSON] = F_JSON,
		[W_CSV] = F_CSV, [W_GITHUB] = F_GITHUB
	};
	rl_sink *r = rep_new(fmt[_i], _i == W_COLOR ? RL_REPORT_COLOR : 0);
	rl_result rej, acc;
	rl_summary s = summary3();
	rl_buf want = RL_BUF_INIT;
	unsigned long n;
	size_t k, pre;
	int rc;

	ck_assert_ptr_nonnull(r);
	rejected3(&rej);
	for (k = 0; k < rej.n; k++)
		memset(rej.d[k].message + 20, k == 1 ? '"' : ',', 200);
	accepted1(&acc);
	if (_i == W_JSON) {     /* the record alone is wanted */
		ck_assert_int_eq(rep_begin(r, &B), 0);
		rl_buf_free(&B);
	}
	ck_assert_int_eq(write_one(_i, r, &want, &rej, &acc, &s), 0);
	rl_sink_free(r);

	for (pre = 0; pre <= 300; pre++) {
		for (n = 1; ; n++) {
			ck_assert_msg(n < 1000, "never succeeds");
			r = rep_new(fmt[_i], _i == W_COLOR ? RL_REPORT_COLOR : 0);
			ck_assert_ptr_nonnull(r);
			rl_buf_free(&B);
			for (k = 0; k < pre; k++)
				ck_assert_int_eq(rl_buf_putc(&B, (char)('a' + k % 26)), 0);
			if (_i == W_JSON)
				ck_assert_int_eq(rep_begin(r, &B), 0);
			k = B.len;
			rl_alloc_fail_after(n);
			rc = write_one(_i, r, &B, &rej, &acc, &s);
			rl_alloc_fail_after(0);
			if (rc == 0)
				break;
			ck_assert_int_eq(rc, -1);
			ck_assert_uint_eq(B.len, k);
			ck_assert(pre == 0 || B.data[pre - 1] == (char)('a' + (pre - 1) % 26));
			rl_sink_free(r);
		}
		rl_sink_free(r);
		ck_assert_uint_eq(B.len, k + want.len);
		ck_assert(memcmp(B.data + k, want.data, want.len) == 0);
		if (pre == 0)
			ck_assert_msg(n > 1, "no allocation was tried");
	}
	rl_buf_free(&want);
}
END_TEST

/* A github report keeps its counts as they were when memory runs out. */
START_TEST(github_oom_counts)
{
	rl_sink *r = rep_new(F_GITHUB, 0);
	rl_diag d = RL_DIAG_INIT;
	rl_result res;
	int i;

	ck_assert_ptr_nonnull(r);
	diag(&d, RL_VALUE_ENUM, RL_SEV_ERROR, 0, "/status", "e");
	result(&res, "r", &d, 1);
	for (i = 0; i < 10; i++) {
		rl_buf_free(&B);
		rl_alloc_fail_after(1);
		ck_assert_int_eq(rep_record(r, &B, &REC, &res), -1);
		rl_alloc_fail_after(0);
	}
	ck_assert_int_eq(rep_record(r, &B, &REC, &res), 0);
	ck_assert_int_eq(rep_end(r, &B, NULL), 0);
	ck_assert_str_eq(out(), "::error file=shard-07.ndjson,line=42::e [value-enum]\n");
	rl_sink_free(r);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, format_lookup, 0, N(names));
	tcase_add_test(tc, new_bad_format);
	tcase_add_test(tc, text_plain);
	tcase_add_loop_test(tc, text_color, 0, N(colors));
	tcase_add_test(tc, text_color_position);
	tcase_add_test(tc, json_report);
	tcase_add_test(tc, json_report_empty);
	tcase_add_test(tc, json_report_parses);
	tcase_add_test(tc, csv_report);
	tcase_add_test(tc, csv_no_bom);
	tcase_add_test(tc, csv_header_only);
	tcase_add_loop_test(tc, csv_cells, 0, N(cells));
	tcase_add_test(tc, csv_guard_every_cell);
	tcase_add_test(tc, csv_empty_cells);
	tcase_add_test(tc, csv_report_columns);
	tcase_add_test(tc, json_lines_columns);
	tcase_add_test(tc, github_lines);
	tcase_add_loop_test(tc, github_escape, 0, N(gh_esc));
	tcase_add_test(tc, github_cap);
	tcase_add_test(tc, github_dropped);
	tcase_add_test(tc, summary_json);
	tcase_add_test(tc, summary_json_codes);
	tcase_add_loop_test(tc, summary_seconds, 0, N(seconds));
	tcase_add_test(tc, summary_text);
	tcase_add_loop_test(tc, summary_stopped, 0, N(stops));
	tcase_add_test(tc, summary_not_stopped);
	tcase_add_loop_test(tc, summary_sizes, 0, N(sizes));
	tcase_add_test(tc, tagged_accepted);
	tcase_add_loop_test(tc, tagged_line, 0, N(tag_lines));
	tcase_add_test(tc, tagged_rejected);
	tcase_add_test(tc, tagged_accepted_clean);
	tcase_add_test(tc, tagged_line_warnings);
	tcase_add_test(tc, tagged_stream);
	tcase_add_test(tc, locale_independent);
	tcase_add_loop_test(tc, out_of_memory, 0, W_COUNT);
	tcase_add_test(tc, github_oom_counts);
	tcase_add_test(tc, rows_report);
	tcase_add_test(tc, rows_guard);
	tcase_add_test(tc, rows_delimiter);
	tcase_add_test(tc, rows_none);
	tcase_add_loop_test(tc, rows_own_errors, 0, (int)N(own_errors));
	tcase_add_test(tc, rows_second_input);
	tcase_add_loop_test(tc, rows_encoding, 0, (int)N(encodings));
	tcase_add_test(tc, rows_encoding_unknown);
	tcase_add_test(tc, rows_directory);
	tcase_add_loop_test(tc, rows_out_of_memory, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run(report_suite());
}
