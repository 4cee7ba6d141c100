/*
 * check_csv.c: the spreadsheet reader (csv.c, csvmap.c) and columns.json.
 *
 * Most cases are tables of input -> transcript: every header, record,
 * record diagnostic and conversion problem, one line each, with its line,
 * row and column, and how reading ended.  The same transcripts must come
 * out of rl_csv_read_mem and of rl_csv_read_fd with every read size from 1
 * to 31 bytes.  `check_csv --dump` prints the transcripts of the tables,
 * to review a change.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "csv.h"
#include "csvmap.h"
#include "rules_int.h"
#include "source.h"
#include "tests.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* For code that also runs outside a test (--dump): no ck_assert there. */
#define REQ(c) do { if (!(c)) { fprintf(stderr, "%s:%d: %s\n", __FILE__, \
	__LINE__, #c); abort(); } } while (0)

static const char *src_dir;       /* the rules */
static const char *top_srcdir;
static rl_rules *rules;

/* ---- transcripts --------------------------------------------------------- */

struct tr {
	rl_buf b;
	size_t max_footprint;
	rl_arena *a;
	unsigned long records;
	int quiet;                    /* count only (the big file) */
	int any;                      /* anything goes (allocation failures) */
	size_t first_footprint;
};

static void
put_diag(rl_buf *b, const char *mark, const rl_diag *d)
{
	char l[RL_CSV_COLUMN_NAME_MAX] = "";

	/* the cell's column, which the batch names in front of the message */
	if (d->field >= 0)
		(void)rl_csv_column_name((unsigned long)d->field, l);
	rl_buf_printf(b, "  %s %s L%lu:%lu%s%s%s%s %s\n", mark, rl_code_name(d->code),
	    d->line, d->column, l[0] ? " @" : "", l, d->pointer[0] ? " " : "",
	    d->pointer, d->message);
}

static int
on_header(void *ctx, const rl_csv_header *h)
{
	struct tr *t = ctx;

	rl_buf_printf(&t->b, "H L%lu R%lu d=%s cols=%zu raw=%zu\n", h->line, h->row,
	    h->delimiter == '\t' ? "TAB" : h->delimiter == ';' ? ";" : ",",
	    h->ncolumns, h->rawlen);
	if (h->note != NULL)
		put_diag(&t->b, "i", h->note);
	return 0;
}

static int
on_record(void *ctx, const rl_csv_record *r)
{
	struct tr *t = ctx;
	size_t i, fp = rl_arena_footprint(t->a);

	if (fp > t->max_footprint)
		t->max_footprint = fp;
	if (t->records++ == 0)
		t->first_footprint = fp;
	if (t->any)
		return 0;
	if (t->quiet) {
		REQ(r->rec.diag == NULL && r->nconv == 0);
		return 0;
	}
	REQ(r->rec.length == r->rawlen);
	rl_buf_printf(&t->b, "%lu L%lu R%lu [", r->rec.index, r->rec.line, r->row);
	rl_buf_append(&t->b, r->raw, r->rawlen);
	rl_buf_puts(&t->b, "] ");
	if (r->rec.value != NULL)
		REQ(rl_json_serialize(&t->b, r->rec.value) == 0);
	else
		rl_buf_putc(&t->b, '-');
	rl_buf_putc(&t->b, '\n');
	if (r->rec.diag != NULL)
		put_diag(&t->b, "!", r->rec.diag);
	for (i = 0; i < r->nconv; i++)
		put_diag(&t->b, "~", &r->conv[i]);
	return 0;
}

static const rl_csv_callbacks cbs = { .header = on_header, .record = on_record };

static void
put_end(struct tr *t, int rc, const rl_diag *err)
{
	if (rc == RL_READ_OK)
		rl_buf_puts(&t->b, "= ok\n");
	else if (rc == RL_READ_STOPPED)
		rl_buf_puts(&t->b, "= stopped\n");
	else
		rl_buf_printf(&t->b, "= truncated %s L%lu: %s\n", rl_code_name(err->code),
		    err->line, err->message);
}

/* Transcript of text read from memory (bufsize 0) or from a file. */
static const char *
run(const char *text, size_t len, char delim, size_t bufsize, size_t max_field)
{
	static struct tr t;
	rl_csv_opts o;
	rl_diag err = RL_DIAG_INIT;
	int rc;

	rl_buf_clear(&t.b);
	t.a = rl_arena_new(0);
	memset(&o, 0, sizeof(o));
	o.delimiter = delim;
	o.max_field = max_field;
	o.max_row = max_field ? 2 * max_field : 0;
	if (bufsize == 0)
		rc = rl_csv_read_mem(text, len, "t.csv", rules, &o, t.a, &cbs, &t, &err);
	else {
		char path[] = "/tmp/check_csv.XXXXXX";
		int fd = mkstemp(path);

		REQ(fd >= 0);
		REQ(write(fd, text, len) == (ssize_t)len);
		REQ(lseek(fd, 0, SEEK_SET) == 0);
		unlink(path);
		o.bufsize = bufsize;
		rc = rl_csv_read_fd(fd, "t.csv", rules, &o, t.a, &cbs, &t, &err);
		close(fd);
	}
	put_end(&t, rc, &err);
	rl_arena_free(t.a);
	return rl_buf_cstr(&t.b);
}

struct tcase {
	const char *name;
	const char *in;
	const char *want;
	char delim;                   /* forced, or 0 */
	size_t max_field;             /* 0 = default */
};

static void
check_case(const struct tcase *c)
{
	const char *got = run(c->in, strlen(c->in), c->delim, 0, c->max_field);

	ck_assert_msg(strcmp(got, c->want) == 0, "%s:\n--- want\n%s--- got\n%s",
	    c->name, c->want, got);
}

/* ---- the tables ------------------------------------------------------------ */

#define HDR "Referral ID,Deal Name,Notes\r\n"

/* Reading: the quirks of what spreadsheets save. */
static const struct tcase quirks[] = {
	{ "BOM and CRLF",
	  "\xEF\xBB\xBF" HDR "r1,Contoso,hello\r\n",
	  "H L1 R1 d=, cols=3 raw=27\n"
	  "1 L2 R2 [r1,Contoso,hello] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Contoso\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"hello\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "LF, no line end at the end",
	  "Referral ID,Deal Name\nr1,A\nr2,B",
	  "H L1 R1 d=, cols=2 raw=21\n"
	  "1 L2 R2 [r1,A] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"}]}\n"
	  "2 L3 R3 [r2,B] {\"id\":\"r2\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"B\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "quoted comma, quote and newline",
	  HDR "r1,\"Contoso, Ltd\",\"say \"\"hi\"\"\r\nline 2\"\r\nr2,B,\r\n",
	  "H L1 R1 d=, cols=3 raw=27\n"
	  "1 L2 R2 [r1,\"Contoso, Ltd\",\"say \"\"hi\"\"\r\n"
	  "line 2\"] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Contoso, Ltd\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"say \\\"hi\\\"\\r\\nline 2\"}]}\n"
	  "2 L4 R3 [r2,B,] {\"id\":\"r2\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"B\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "semicolon detected",
	  "Referral ID;Deal Name;Estimated Deal Value\r\nr1;A, B;1500.50\r\n",
	  "H L1 R1 d=; cols=3 raw=42\n"
	  "1 L2 R2 [r1;A, B;1500.50] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A, B\"},{\"op\":\"replace\",\"path\":\"/details/dealValue\",\"value\":1500.50}]}\n"
	  "= ok\n", 0, 0 },
	{ "tab detected",
	  "Referral ID\tDeal Name\tNotes\nr1\tA,B;C\tx\n",
	  "H L1 R1 d=TAB cols=3 raw=27\n"
	  "1 L2 R2 [r1\tA,B;C\tx] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A,B;C\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"x\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "known names beat field count",
	  "Referral ID,Deal Name;a;b;c\nr1,x;1;2;3\n",
	  "H L1 R1 d=, cols=2 raw=27\n"
	  "  i csv-column-ignored L1:1 columns ignored: unknown \"Deal Name;a;b;c\"\n"
	  "1 L2 R2 [r1,x;1;2;3] {\"id\":\"r1\",\"patch\":[]}\n"
	  "= ok\n", 0, 0 },
	{ "forced semicolon",
	  "Referral ID;Deal Name\nr1;A,B\n",
	  "H L1 R1 d=; cols=2 raw=21\n"
	  "1 L2 R2 [r1;A,B] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A,B\"}]}\n"
	  "= ok\n", ';', 0 },
	{ "forced comma on a semicolon file",
	  "Referral ID;Deal Name\nr1;A\n",
	  "= truncated csv-syntax L1: the header row has no \"Referral ID\" column: is the first row a header (delimiter ',')?\n",
	  ',', 0 },
	{ "header: case, spaces, quotes; blank rows",
	  "\n  referral id ,\"DEAL NAME\"\n\nr1,A\n,\n\"\",\"\"\nr2,B\n\n",
	  "H L2 R2 d=, cols=2 raw=26\n"
	  "1 L4 R4 [r1,A] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"}]}\n"
	  "2 L7 R7 [r2,B] {\"id\":\"r2\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"B\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "read-only and unknown columns noted once",
	  "Referral ID,Customer Name,Created Date,Deal Name,Colour,\nr1,Fabrikam,01/02/2026,A,red,\nr2,Fabrikam,01/02/2026,B,blue,\n",
	  "H L1 R1 d=, cols=6 raw=56\n"
	  "  i csv-column-ignored L1:1 columns ignored: read-only \"Customer Name\", \"Created Date\"; unknown \"Colour\", \"(column 6)\"\n"
	  "1 L2 R2 [r1,Fabrikam,01/02/2026,A,red,] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"}]}\n"
	  "2 L3 R3 [r2,Fabrikam,01/02/2026,B,blue,] {\"id\":\"r2\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"B\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "op order is columns.json order; empty and blank cells give no op",
	  "Notes,Sales Stage,Deal Name,CRM ID,Referral ID,Currency\nn,  ,  D  ,,r1,EUR\n",
	  "H L1 R1 d=, cols=6 raw=55\n"
	  "1 L2 R2 [n,  ,  D  ,,r1,EUR] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"  D  \"},{\"op\":\"replace\",\"path\":\"/details/currency\",\"value\":\"EUR\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"n\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "every mapped column",
	  "Referral ID,Deal Name,Partner Referral Status,Partner Referral Substatus,Declined/Lost/Error reason,Estimated Deal Value,Currency,Estimated Close Date,CRM ID,Notes,Sales Stage,Microsoft Referral Status\n"
	  "r1,Deal,Closed,Lost,3,30000.00,USD,3/31/2026,CRM-1,n,Close,Accepted\n",
	  "H L1 R1 d=, cols=12 raw=201\n"
	  "1 L2 R2 [r1,Deal,Closed,Lost,3,30000.00,USD,3/31/2026,CRM-1,n,Close,Accepted] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Deal\"},{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"Closed\"},{\"op\":\"replace\",\"path\":\"/substatus\",\"value\":\"Lost\"},{\"op\":\"replace\",\"path\":\"/statusReason\",\"value\":\"Customer chose another vendor\"},{\"op\":\"replace\",\"path\":\"/details/dealValue\",\"value\":30000.00},{\"op\":\"replace\",\"path\":\"/details/currency\",\"value\":\"USD\"},{\"op\":\"replace\",\"path\":\"/details/closingDateTime\",\"value\":\"2026-03-31T00:00:00Z\"},{\"op\":\"replace\",\"path\":\"/externalReferenceId\",\"value\":\"CRM-1\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"n\"},{\"op\":\"replace\",\"path\":\"/salesStage\",\"value\":\"Close\"}],\"microsoftReferral\":{\"status\":\"Active\",\"substatus\":\"Accepted\"}}\n"
	  "= ok\n", 0, 0 },
	{ "empty input", "",
	  "= ok\n", 0, 0 },
	{ "only a BOM and blank lines", "\xEF\xBB\xBF\r\n\r\n",
	  "= ok\n", 0, 0 },
	{ "header only", "\xEF\xBB\xBFReferral ID\r\n",
	  "H L1 R1 d=, cols=1 raw=11\n"
	  "= ok\n", 0, 0 },
	{ "a BOM that is not one",
	  "\xEF\xBBReferral ID\nr1\n",
	  "= truncated csv-syntax L1: the header row is malformed: invalid UTF-8 in field 1\n", 0, 0 },
	{ "empty id cell",
	  "Referral ID,Deal Name\n ,A\n",
	  "H L1 R1 d=, cols=2 raw=21\n"
	  "1 L2 R2 [ ,A] {\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"}]}\n"
	  "  ! record-shape L2:1 the \"Referral ID\" cell is empty\n"
	  "= ok\n", 0, 0 },
	{ "no id column",
	  "Deal Name,Notes\nA,B\n",
	  "= truncated csv-syntax L1: the header row has no \"Referral ID\" column: is the first row a header (delimiter ',')?\n", 0, 0 },
	{ "a mapped column twice",
	  "Referral ID,Notes,notes \nr1,a,b\n",
	  "= truncated csv-syntax L1: the header row has column \"Notes\" twice (fields 2 and 3)\n", 0, 0 },
};

#define ACC_HDR "Referral ID,Final Matched Customer Account,Managed Account 1," \
	"Managed Account 2,Unmanaged Account 1,Unmanaged Account 2\n"
#define CONV_HDR "Referral ID,Partner Referral Substatus,Declined/Lost/Error reason,Estimated Deal Value,Estimated Close Date,Microsoft Referral Status\n"

/* Conversions: dates, numbers, reason codes, Microsoft's status. */
static const struct tcase convs[] = {
	{ "dates",
	  CONV_HDR "a,,,,03/31/2026,\nb,,,,1/2/2026,\nc,,,, 12/31/9999 ,\nd,,,,02/29/2028,\n",
	  "H L1 R1 d=, cols=6 raw=133\n"
	  "1 L2 R2 [a,,,,03/31/2026,] {\"id\":\"a\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/closingDateTime\",\"value\":\"2026-03-31T00:00:00Z\"}]}\n"
	  "2 L3 R3 [b,,,,1/2/2026,] {\"id\":\"b\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/closingDateTime\",\"value\":\"2026-01-02T00:00:00Z\"}]}\n"
	  "3 L4 R4 [c,,,, 12/31/9999 ,] {\"id\":\"c\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/closingDateTime\",\"value\":\"9999-12-31T00:00:00Z\"}]}\n"
	  "4 L5 R5 [d,,,,02/29/2028,] {\"id\":\"d\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/closingDateTime\",\"value\":\"2028-02-29T00:00:00Z\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "bad dates",
	  CONV_HDR "a,,,,02/30/2026,\nb,,,,2026-03-31,\nc,,,,31/03/2026,\nd,,,,3/31/26,\ne,,,,02/29/2026,\n",
	  "H L1 R1 d=, cols=6 raw=133\n"
	  "1 L2 R2 [a,,,,02/30/2026,] {\"id\":\"a\",\"patch\":[]}\n"
	  "  ~ value-format L2:6 @E /details/closingDateTime \"02/30/2026\" is not a calendar date MM/DD/YYYY\n"
	  "2 L3 R3 [b,,,,2026-03-31,] {\"id\":\"b\",\"patch\":[]}\n"
	  "  ~ value-format L3:6 @E /details/closingDateTime \"2026-03-31\" is not a calendar date MM/DD/YYYY\n"
	  "3 L4 R4 [c,,,,31/03/2026,] {\"id\":\"c\",\"patch\":[]}\n"
	  "  ~ value-format L4:6 @E /details/closingDateTime \"31/03/2026\" is not a calendar date MM/DD/YYYY; as DD/MM/YYYY it is 31 March: give --date-order dmy if the sheet's dates are written that way\n"
	  "4 L5 R5 [d,,,,3/31/26,] {\"id\":\"d\",\"patch\":[]}\n"
	  "  ~ value-format L5:6 @E /details/closingDateTime \"3/31/26\" is not a calendar date MM/DD/YYYY\n"
	  "5 L6 R6 [e,,,,02/29/2026,] {\"id\":\"e\",\"patch\":[]}\n"
	  "  ~ value-format L6:6 @E /details/closingDateTime \"02/29/2026\" is not a calendar date MM/DD/YYYY\n"
	  "= ok\n", 0, 0 },
	{ "numbers",
	  CONV_HDR "a,,,25000,,\nb,,,25000.50,,\nc,,, -1 ,,\nd,,,0.000,,\ne,,,1e3,,\n",
	  "H L1 R1 d=, cols=6 raw=133\n"
	  "1 L2 R2 [a,,,25000,,] {\"id\":\"a\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/dealValue\",\"value\":25000}]}\n"
	  "2 L3 R3 [b,,,25000.50,,] {\"id\":\"b\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/dealValue\",\"value\":25000.50}]}\n"
	  "3 L4 R4 [c,,, -1 ,,] {\"id\":\"c\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/dealValue\",\"value\":-1}]}\n"
	  "4 L5 R5 [d,,,0.000,,] {\"id\":\"d\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/dealValue\",\"value\":0.000}]}\n"
	  "5 L6 R6 [e,,,1e3,,] {\"id\":\"e\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/dealValue\",\"value\":1e3}]}\n"
	  "= ok\n", 0, 0 },
	{ "bad numbers",
	  CONV_HDR "a,,,\"25,000\",,\nb,,,$100,,\nc,,,+5,,\nd,,,1 000,,\ne,,,.5,,\nf,,,\"12,5\",,\n",
	  "H L1 R1 d=, cols=6 raw=133\n"
	  "1 L2 R2 [a,,,\"25,000\",,] {\"id\":\"a\",\"patch\":[]}\n"
	  "  ~ value-format L2:5 @D /details/dealValue \"25,000\" is not a number: write digits with an optional minus sign and a decimal point, without thousands separators, spaces or a currency sign (25000.50)\n"
	  "2 L3 R3 [b,,,$100,,] {\"id\":\"b\",\"patch\":[]}\n"
	  "  ~ value-format L3:5 @D /details/dealValue \"$100\" is not a number: write digits with an optional minus sign and a decimal point, without thousands separators, spaces or a currency sign (25000.50)\n"
	  "3 L4 R4 [c,,,+5,,] {\"id\":\"c\",\"patch\":[]}\n"
	  "  ~ value-format L4:5 @D /details/dealValue \"+5\" is not a number: write digits with an optional minus sign and a decimal point, without thousands separators, spaces or a currency sign (25000.50)\n"
	  "4 L5 R5 [d,,,1 000,,] {\"id\":\"d\",\"patch\":[]}\n"
	  "  ~ value-format L5:5 @D /details/dealValue \"1 000\" is not a number: write digits with an optional minus sign and a decimal point, without thousands separators, spaces or a currency sign (25000.50)\n"
	  "5 L6 R6 [e,,,.5,,] {\"id\":\"e\",\"patch\":[]}\n"
	  "  ~ value-format L6:5 @D /details/dealValue \".5\" is not a number: write digits with an optional minus sign and a decimal point, without thousands separators, spaces or a currency sign (25000.50)\n"
	  "6 L7 R7 [f,,,\"12,5\",,] {\"id\":\"f\",\"patch\":[]}\n"
	  "  ~ value-format L7:5 @D /details/dealValue \"12,5\" is not a number: write digits with an optional minus sign and a decimal point, without thousands separators, spaces or a currency sign (25000.50)\n"
	  "= ok\n", 0, 0 },
	{ "reason codes and problems with them",
	  CONV_HDR "a,Declined,7,,,\nb,Error,9,,,\nc,lost,  2 ,,,\nd,Declined,customer CHOSE another vendor,,,\n"
	  "e,Declined,9,,,\nf,,3,,,\ng,Won,1,,,\nh,Error,0,,,\n",
	  "H L1 R1 d=, cols=6 raw=133\n"
	  "1 L2 R2 [a,Declined,7,,,] {\"id\":\"a\",\"patch\":[{\"op\":\"replace\",\"path\":\"/substatus\",\"value\":\"Declined\"},{\"op\":\"replace\",\"path\":\"/statusReason\",\"value\":\"Abuse/spam/phishing\"}]}\n"
	  "2 L3 R3 [b,Error,9,,,] {\"id\":\"b\",\"patch\":[{\"op\":\"replace\",\"path\":\"/substatus\",\"value\":\"Error\"},{\"op\":\"replace\",\"path\":\"/statusReason\",\"value\":\"Other\"}]}\n"
	  "3 L4 R4 [c,lost,  2 ,,,] {\"id\":\"c\",\"patch\":[{\"op\":\"replace\",\"path\":\"/substatus\",\"value\":\"lost\"},{\"op\":\"replace\",\"path\":\"/statusReason\",\"value\":\"Customer did not respond\"}]}\n"
	  "4 L5 R5 [d,Declined,customer CHOSE another vendor,,,] {\"id\":\"d\",\"patch\":[{\"op\":\"replace\",\"path\":\"/substatus\",\"value\":\"Declined\"},{\"op\":\"replace\",\"path\":\"/statusReason\",\"value\":\"Customer chose another vendor\"}]}\n"
	  "5 L6 R6 [e,Declined,9,,,] {\"id\":\"e\",\"patch\":[{\"op\":\"replace\",\"path\":\"/substatus\",\"value\":\"Declined\"}]}\n"
	  "  ~ value-enum L6:12 @C /statusReason \"9\" is not a reason code for Declined (1 to 8)\n"
	  "6 L7 R7 [f,,3,,,] {\"id\":\"f\",\"patch\":[]}\n"
	  "  ~ value-enum L7:4 @C /statusReason reason code \"3\" needs a substatus in column \"Partner Referral Substatus\" of the same row\n"
	  "7 L8 R8 [g,Won,1,,,] {\"id\":\"g\",\"patch\":[{\"op\":\"replace\",\"path\":\"/substatus\",\"value\":\"Won\"}]}\n"
	  "  ~ value-enum L8:7 @C /statusReason \"1\" given, but substatus \"Won\" takes no reason code\n"
	  "8 L9 R9 [h,Error,0,,,] {\"id\":\"h\",\"patch\":[{\"op\":\"replace\",\"path\":\"/substatus\",\"value\":\"Error\"}]}\n"
	  "  ~ value-enum L9:9 @C /statusReason \"0\" is not a reason code for Error (1 to 9)\n"
	  "= ok\n", 0, 0 },
	{ "Microsoft's status",
	  CONV_HDR "a,,,,,Won\nb,,,,,active/accepted\nc,,,,,Open\n",
	  "H L1 R1 d=, cols=6 raw=133\n"
	  "1 L2 R2 [a,,,,,Won] {\"id\":\"a\",\"patch\":[],\"microsoftReferral\":{\"status\":\"Closed\",\"substatus\":\"Won\"}}\n"
	  "2 L3 R3 [b,,,,,active/accepted] {\"id\":\"b\",\"patch\":[],\"microsoftReferral\":{\"status\":\"Active\",\"substatus\":\"Accepted\"}}\n"
	  "3 L4 R4 [c,,,,,Open] {\"id\":\"c\",\"patch\":[]}\n"
	  "  ~ value-enum L4:7 @F \"Open\" is not one of Pending, Received, Accepted, Won, Lost, Declined, Expired, Error (or Status/Substatus)\n"
	  "= ok\n", 0, 0 },
	{ "the matched account against the managed and unmanaged accounts",
	  ACC_HDR "a,Contoso Ltd,Fabrikam,Contoso Ltd,,\n"
	  "b, contoso LTD ,Fabrikam,,Contoso Ltd,\n"
	  "c,Contoso Ltd,,,,Contoso Ltd\n"
	  "d,Contoso Ltd,Fabrikam,,Northwind,\n"
	  "e,,Contoso Ltd,,,\n"
	  "f,Contoso Ltd,Contoso Ltd,,Contoso Ltd,\n"
	  "g,Contoso Ltd,Contoso Ltd,Contoso Ltd,,\n",
	  "H L1 R1 d=, cols=6 raw=118\n"
	  "1 L2 R2 [a,Contoso Ltd,Fabrikam,Contoso Ltd,,] {\"id\":\"a\",\"patch\":[],\"matchedAccountType\":\"Managed\"}\n"
	  "2 L3 R3 [b, contoso LTD ,Fabrikam,,Contoso Ltd,] {\"id\":\"b\",\"patch\":[],\"matchedAccountType\":\"Unmanaged\"}\n"
	  "3 L4 R4 [c,Contoso Ltd,,,,Contoso Ltd] {\"id\":\"c\",\"patch\":[],\"matchedAccountType\":\"Unmanaged\"}\n"
	  "4 L5 R5 [d,Contoso Ltd,Fabrikam,,Northwind,] {\"id\":\"d\",\"patch\":[]}\n"
	  "5 L6 R6 [e,,Contoso Ltd,,,] {\"id\":\"e\",\"patch\":[]}\n"
	  "6 L7 R7 [f,Contoso Ltd,Contoso Ltd,,Contoso Ltd,] {\"id\":\"f\",\"patch\":[]}\n"
	  "7 L8 R8 [g,Contoso Ltd,Contoso Ltd,Contoso Ltd,,] {\"id\":\"g\",\"patch\":[],\"matchedAccountType\":\"Managed\"}\n"
	  "= ok\n", 0, 0 },
};

/* Malformed rows: each is csv-syntax with its line, and reading goes on. */
static const struct tcase bad[] = {
	{ "unbalanced quote at the end: the rows after it are read again",
	  HDR "r1,A,ok\r\nr2,\"Contoso,x\r\nr3,C,fine\r\nr4,D,fine\r\n",
	  "H L1 R1 d=, cols=3 raw=27\n"
	  "1 L2 R2 [r1,A,ok] {\"id\":\"r1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"ok\"}]}\n"
	  "2 L3 R3 [r2,\"Contoso,x] -\n"
	  "  ! csv-syntax L3:4 a quoted field that begins here is never closed (unbalanced quote)\n"
	  "3 L4 R4 [r3,C,fine] {\"id\":\"r3\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"C\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"fine\"}]}\n"
	  "4 L5 R5 [r4,D,fine] {\"id\":\"r4\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"D\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"fine\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "unbalanced quote on the last line",
	  HDR "r1,A,\"no end",
	  "H L1 R1 d=, cols=3 raw=27\n"
	  "1 L2 R2 [r1,A,\"no end] -\n"
	  "  ! csv-syntax L2:6 a quoted field that begins here is never closed (unbalanced quote)\n"
	  "= ok\n", 0, 0 },
	{ "a stray quote closed by a later one",
	  HDR "r1,\"A,x\r\nr2,B,y\r\nr3,C,\"q\"\r\nr4,D,z\r\n",
	  "H L1 R1 d=, cols=3 raw=27\n"
	  "1 L2 R2 [r1,\"A,x] -\n"
	  "  ! csv-syntax L4:7 a character after the closing quote of the field that began at line 2, column 4\n"
	  "2 L3 R3 [r2,B,y] {\"id\":\"r2\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"B\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"y\"}]}\n"
	  "3 L4 R4 [r3,C,\"q\"] {\"id\":\"r3\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"C\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"q\"}]}\n"
	  "4 L5 R5 [r4,D,z] {\"id\":\"r4\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"D\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"z\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "quote in an unquoted field",
	  HDR "r1,5\" screen,x\r\nr2,B,y\r\n",
	  "H L1 R1 d=, cols=3 raw=27\n"
	  "1 L2 R2 [r1,5\" screen,x] -\n"
	  "  ! csv-syntax L2:5 a quote inside an unquoted field (quote the whole field and double the quote)\n"
	  "2 L3 R3 [r2,B,y] {\"id\":\"r2\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"B\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"y\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "text after a closing quote",
	  HDR "r1,\"A\"B,x\r\nr2,B,y\r\n",
	  "H L1 R1 d=, cols=3 raw=27\n"
	  "1 L2 R2 [r1,\"A\"B,x] -\n"
	  "  ! csv-syntax L2:7 a character after the closing quote of the field that began at line 2, column 4\n"
	  "2 L3 R3 [r2,B,y] {\"id\":\"r2\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"B\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"y\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "ragged rows",
	  HDR "r1,A\r\nr2,B,y,extra\r\nr3,\"multi\r\nline\",z,w\r\nr4,D,z\r\n",
	  "H L1 R1 d=, cols=3 raw=27\n"
	  "1 L2 R2 [r1,A] -\n"
	  "  ! csv-syntax L2:1 2 fields where the header has 3\n"
	  "2 L3 R3 [r2,B,y,extra] -\n"
	  "  ! csv-syntax L3:1 4 fields where the header has 3\n"
	  "3 L4 R4 [r3,\"multi\r\n"
	  "line\",z,w] -\n"
	  "  ! csv-syntax L4:1 4 fields where the header has 3\n"
	  "4 L6 R5 [r4,D,z] {\"id\":\"r4\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"D\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"z\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "invalid UTF-8, NUL, inner BOM",
	  HDR "r1,caf\xE9,x\r\nr2,B,\"a\nb\xC0\xAF\"\r\nr3,C\x00,z\r\nr4,\xEF\xBB\xBFx,z\r\nr5,\xED\xA0\x80,z\r\nr6,\xC3\xA9,ok\r\n",
	  NULL, 0, 0 },
	{ "bare CR",
	  HDR "r1,A,x\ry\r\nr2,B,y\r\n",
	  "H L1 R1 d=, cols=3 raw=27\n"
	  "1 L2 R2 [r1,A,x\ry] -\n"
	  "  ! csv-syntax L2:7 a carriage return not followed by a line feed\n"
	  "2 L3 R3 [r2,B,y] {\"id\":\"r2\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"B\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"y\"}]}\n"
	  "= ok\n", 0, 0 },
	{ "field over the limit",
	  "Referral ID,Notes\nr1,0123456789abcdefg\nr2,\"0123456789\n0123456789\"\nr3,ok\n",
	  "H L1 R1 d=, cols=2 raw=17\n"
	  "1 L2 R2 [r1,0123456789abcdefg] -\n"
	  "  ! csv-syntax L2:20 field longer than 16 bytes\n"
	  "2 L3 R3 [r2,\"0123456789] -\n"
	  "  ! csv-syntax L4:6 field longer than 16 bytes (a quote opened at line 3, column 4 that is never closed?)\n"
	  "3 L4 R4 [0123456789\"] -\n"
	  "  ! csv-syntax L4:11 a quote inside an unquoted field (quote the whole field and double the quote)\n"
	  "4 L5 R5 [r3,ok] {\"id\":\"r3\",\"patch\":[{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"ok\"}]}\n"
	  "= ok\n", 0, 16 },
	{ "a malformed header stops the file",
	  "Referral ID,\"Deal\" Name\nr1,A\n",
	  "= truncated csv-syntax L1: the header row is malformed: a character after the closing quote of the field that began at line 1, column 13\n", 0, 0 },
};

START_TEST(test_quirks)
{
	check_case(&quirks[_i]);
}
END_TEST

START_TEST(test_convs)
{
	check_case(&convs[_i]);
}
END_TEST

static const char bad_utf8_want[] =
	"H L1 R1 d=, cols=3 raw=27\n"
	"1 L2 R2 [r1,caf\xE9,x] -\n"
	"  ! csv-syntax L2:4 invalid UTF-8 in column \"Deal Name\"\n"
	"2 L3 R3 [r2,B,\"a\nb\xC0\xAF\"] -\n"
	"  ! csv-syntax L3:6 invalid UTF-8 in column \"Notes\"\n"
	"3 L5 R4 [r3,C\x00,z] -\n"
	"  ! csv-syntax L5:4 a NUL byte in column \"Deal Name\"\n"
	"4 L6 R5 [r4,\xEF\xBB\xBFx,z] -\n"
	"  ! csv-syntax L6:4 a byte-order mark (U+FEFF) in column \"Deal Name\"\n"
	"5 L7 R6 [r5,\xED\xA0\x80,z] -\n"
	"  ! csv-syntax L7:4 invalid UTF-8 in column \"Deal Name\"\n"
	"6 L8 R7 [r6,\xC3\xA9,ok] {\"id\":\"r6\",\"patch\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"\xC3\xA9\"},{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"ok\"}]}\n"
	"= ok\n";

START_TEST(test_bad)
{
	struct tcase c = bad[_i];

	if (c.want == NULL) {
		/* NUL bytes inside: compare by length */
		static const char in[] = HDR "r1,caf\xE9,x\r\nr2,B,\"a\nb\xC0\xAF\"\r\nr3,C\0,z\r\n"
		    "r4,\xEF\xBB\xBFx,z\r\nr5,\xED\xA0\x80,z\r\nr6,\xC3\xA9,ok\r\n";
		const char *got = run(in, sizeof(in) - 1, 0, 0, 0);
		size_t wl = sizeof(bad_utf8_want) - 1;

		ck_assert_msg(memcmp(got, bad_utf8_want, wl) == 0 && got[wl] == '\0',
		    "--- want\n%s--- got\n%s", bad_utf8_want, got);
		return;
	}
	check_case(&c);
}
END_TEST

/* Every table again through read(2) with 1 to 31 bytes at a time. */
START_TEST(test_bufsizes)
{
	rl_buf all = RL_BUF_INIT, want = RL_BUF_INIT;
	size_t i, k;

	/* one input of every table: the transcripts must not change */
	for (k = 0; k < 3; k++) {
		const struct tcase *t = k == 0 ? quirks : k == 1 ? convs : bad;
		size_t n = k == 0 ? N(quirks) : k == 1 ? N(convs) : N(bad);

		for (i = 0; i < n; i++) {
			const char *in = t[i].in;

			rl_buf_clear(&want);
			rl_buf_puts(&want, run(in, strlen(in), t[i].delim, 0, t[i].max_field));
			rl_buf_clear(&all);
			rl_buf_puts(&all, run(in, strlen(in), t[i].delim, (size_t)_i,
			    t[i].max_field));
			ck_assert_msg(strcmp(rl_buf_cstr(&all), rl_buf_cstr(&want)) == 0,
			    "%s with read size %d:\n--- want\n%s--- got\n%s", t[i].name, _i,
			    rl_buf_cstr(&want), rl_buf_cstr(&all));
		}
	}
	rl_buf_free(&all);
	rl_buf_free(&want);
}
END_TEST

/* ---- the demo file ------------------------------------------------------- */

START_TEST(test_demo)
{
	char path[2048];
	struct tr t;
	rl_diag err = RL_DIAG_INIT;
	int fd, rc;

	memset(&t, 0, sizeof(t));
	snprintf(path, sizeof(path), "%s/testdata/demo/partner-center.csv", top_srcdir);
	ck_assert_int_ge(fd = open(path, O_RDONLY), 0);
	t.a = rl_arena_new(0);
	rc = rl_csv_read_fd(fd, "partner-center.csv", rules, NULL, t.a, &cbs, &t, &err);
	close(fd);
	rl_arena_free(t.a);
	ck_assert_int_eq(rc, RL_READ_OK);
	ck_assert_msg(strstr(rl_buf_cstr(&t.b), "  ! ") == NULL &&
	    strstr(rl_buf_cstr(&t.b), "  ~ ") == NULL, "%s", rl_buf_cstr(&t.b));
	ck_assert_uint_eq(t.records, 8);
	/* the quirks are there */
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&t.b),
	    "H L1 R1 d=, cols=22"));
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&t.b), "commitment\\nPO 4500012345"));
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&t.b), "Customer chose another vendor"));
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&t.b), "Duplicate sent by Microsoft"));
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&t.b), "T00:00:00Z"));
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&t.b), "csv-column-ignored"));
	rl_buf_free(&t.b);
}
END_TEST

/* ---- 100 000 rows in flat memory ---------------------------------------- */

START_TEST(test_big)
{
	char path[] = "/tmp/check_csv_big.XXXXXX";
	FILE *f;
	struct tr t;
	rl_diag err = RL_DIAG_INIT;
	unsigned long i, allocs;
	int fd, rc;

	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w+"));
	unlink(path);
	fputs("\xEF\xBB\xBFReferral ID,Deal Name,Partner Referral Status,"
	    "Partner Referral Substatus,Declined/Lost/Error reason,Estimated Deal Value,"
	    "Currency,Estimated Close Date,Notes,Customer Name\r\n", f);
	for (i = 0; i < 100000; i++)
		fprintf(f, "%08lx-0000-4000-8000-%012lu,\"Deal %lu, phase 2\",Closed,Lost,%lu,"
		    "%lu.%02lu,USD,%02lu/%02lu/2026,\"note %lu\nline two\",Customer %lu\r\n",
		    i, i, i, i % 8 + 1, 25000 + i, i % 100, i % 12 + 1, i % 28 + 1, i, i);
	ck_assert_int_eq(fflush(f), 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	memset(&t, 0, sizeof(t));
	t.quiet = 1;
	t.a = rl_arena_new(0);
	rl_alloc_fail_after(0);
	rc = rl_csv_read_fd(fd, "big.csv", rules, NULL, t.a, &cbs, &t, &err);
	allocs = rl_alloc_count();
	fclose(f);
	rl_arena_free(t.a);
	rl_buf_free(&t.b);
	ck_assert_int_eq(rc, RL_READ_OK);
	ck_assert_uint_eq(t.records, 100000);
	/* the arena holds one row's record, never more */
	ck_assert_msg(t.max_footprint == t.first_footprint &&
	    t.max_footprint <= 128 * 1024, "footprint %zu, first %zu",
	    t.max_footprint, t.first_footprint);
	/* buffers grow a few times and are then reused: no allocation per row */
	ck_assert_msg(allocs < 200, "%lu allocations", allocs);
}
END_TEST

/* ---- unchanged cells --------------------------------------------------- */

static const struct unch {
	const char *referral;     /* NULL: no state */
	const char *row;          /* a row under UNCH_HDR */
	int rc;
	const char *patch;        /* what is left */
} unchs[] = {
	{ "{\"name\":\"A\",\"details\":{\"dealValue\":\"25000.00\",\"closingDateTime\":\"2026-03-31T00:00:00.0000000Z\",\"notes\":\"n\"}}",
	  "r1,A,25000,03/31/2026,n", 1, "[]" },
	{ "{\"name\":\"A\",\"details\":{\"dealValue\":25000.5,\"closingDateTime\":\"2026-03-30T00:00:00Z\",\"notes\":\"n \"}}",
	  "r1,A,25000.50,03/31/2026,n", 0,
	  "[{\"op\":\"replace\",\"path\":\"/details/closingDateTime\",\"value\":\"2026-03-31T00:00:00Z\"},"
	  "{\"op\":\"replace\",\"path\":\"/details/notes\",\"value\":\"n\"}]" },
	{ "{\"name\":\"a\",\"details\":{\"dealValue\":\"x\"}}",
	  "r1,A,1,,", 0,
	  "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"},"
	  "{\"op\":\"replace\",\"path\":\"/details/dealValue\",\"value\":1}]" },
	{ NULL, "r1,A,,,", 0, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"}]" },
	{ NULL, "r1,,,,", 1, "[]" },
	{ "{}", "r1,A,,,", 0, "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"A\"}]" },
};

struct one {
	rl_arena *keep;
	rl_value *rec;
	unsigned cols[16];          /* the record's op_column, copied */
	size_t nops;
};

static int
grab(void *ctx, const rl_csv_record *r)
{
	struct one *o = ctx;

	ck_assert_ptr_nonnull(r->rec.value);
	o->rec = rl_json_copy(o->keep, r->rec.value);
	ck_assert_uint_le(r->nops, 16);
	ck_assert_uint_eq(r->nops, rl_json_get(r->rec.value, "patch")->u.a.n);
	if (r->nops > 0)
		memcpy(o->cols, r->op_column, r->nops * sizeof(*o->cols));
	o->nops = r->nops;
	return 0;
}

/* Each op's path is that of the column its op_column entry names. */
static void
ops_match_columns(const struct one *o, const char *const *paths, size_t npaths)
{
	const rl_value *patch = rl_json_get(o->rec, "patch");
	size_t k;

	for (k = 0; k < patch->u.a.n; k++) {
		const rl_value *path = rl_json_get(patch->u.a.items[k], "path");

		ck_assert_uint_lt(o->cols[k], npaths);
		ck_assert_ptr_nonnull(paths[o->cols[k]]);
		ck_assert_str_eq(path->u.s.ptr, paths[o->cols[k]]);
	}
}

START_TEST(test_unchanged)
{
	static const rl_csv_callbacks cb = { .record = grab };
	const struct unch *u = &unchs[_i];
	rl_arena *a = rl_arena_new(0), *scratch = rl_arena_new(0);
	struct one o = { a, NULL, { 0 }, 0 };
	static const char *const paths[] = { NULL, "/name", "/details/dealValue",
	    "/details/closingDateTime", "/details/notes" };
	char text[512];
	rl_diag note = RL_DIAG_INIT, err = RL_DIAG_INIT;
	int rc;

	snprintf(text, sizeof(text), "Referral ID,Deal Name,Estimated Deal Value,"
	    "Estimated Close Date,Notes\n%s\n", u->row);
	ck_assert_int_eq(rl_csv_read_mem(text, strlen(text), "u.csv", rules, NULL,
	    scratch, &cb, &o, &err), RL_READ_OK);
	ck_assert_ptr_nonnull(o.rec);
	memset(&note, 0, sizeof(note));
	ops_match_columns(&o, paths, 5);
	rc = rl_csv_unchanged(rules, u->referral ? rl_test_parse(a, u->referral) : NULL,
	    o.rec, o.cols, &note);
	ck_assert_int_eq(rc, u->rc);
	ck_assert_str_eq(rl_test_dump(rl_json_get(o.rec, "patch")), u->patch);
	/* the map lost the removed ops' entries with them */
	ops_match_columns(&o, paths, 5);
	if (rc == 1) {
		ck_assert_int_eq(note.code, RL_CSV_UNCHANGED);
		ck_assert_int_eq(note.severity, RL_SEV_INFO);
	}
	ck_assert_int_eq(rl_csv_unchanged(rules, NULL, rl_test_parse(a, "{}"),
	    NULL, NULL), -1);
	rl_arena_free(scratch);
	rl_arena_free(a);
}
END_TEST

/*
 * op_column follows the fields, not the columns table: columns in another
 * order, a cell that did not convert (no op) and an empty cell (no op).
 */
START_TEST(test_op_columns)
{
	static const rl_csv_callbacks cb = { .record = grab };
	static const char text[] = "Notes,Referral ID,Estimated Deal Value,"
	    "Estimated Close Date,Deal Name\nn,r1,abc,,X\n";
	static const char *const paths[] = { "/details/notes", NULL,
	    "/details/dealValue", "/details/closingDateTime", "/name" };
	rl_arena *a = rl_arena_new(0), *scratch = rl_arena_new(0);
	struct one o = { a, NULL, { 0 }, 0 };
	rl_diag err = RL_DIAG_INIT;

	ck_assert_int_eq(rl_csv_read_mem(text, strlen(text), "o.csv", rules, NULL,
	    scratch, &cb, &o, &err), RL_READ_OK);
	ck_assert_uint_eq(o.nops, 2);
	ck_assert_uint_eq(o.cols[0], 4);        /* Deal Name comes first */
	ck_assert_uint_eq(o.cols[1], 0);
	ops_match_columns(&o, paths, 5);
	rl_arena_free(scratch);
	rl_arena_free(a);
}
END_TEST

/* ---- the deal-registration profile -------------------------------------- */

START_TEST(test_yesno)
{
	ck_assert_int_eq(rl_csvmap_yesno("Yes", 3), 1);
	ck_assert_int_eq(rl_csvmap_yesno(" yES\t", 5), 1);
	ck_assert_int_eq(rl_csvmap_yesno("No", 2), 0);
	ck_assert_int_eq(rl_csvmap_yesno("NO ", 3), 0);
	ck_assert_int_eq(rl_csvmap_yesno("Y", 1), -1);
	ck_assert_int_eq(rl_csvmap_yesno("true", 4), -1);
	ck_assert_int_eq(rl_csvmap_yesno("Yes please", 10), -1);
	ck_assert_int_eq(rl_csvmap_yesno("", 0), -1);
}
END_TEST

struct reg_one {
	rl_arena *keep;
	rl_value *rec;
	const char *profile;        /* the record's profile name, or "" */
	long field[4];              /* rl_csv_diag_column of four members */
	int found[4];
};

static int
grab_reg(void *ctx, const rl_csv_record *r)
{
	static const char *const members[] = {
		"/contract/value", "/solutionDetails/0", "/type", ""
	};
	struct reg_one *o = ctx;
	rl_diag d = RL_DIAG_INIT;
	const char *h;
	size_t k;

	o->rec = rl_json_copy(o->keep, r->rec.value);
	o->profile = r->profile != NULL && r->profile->name != NULL ?
	    r->profile->name : "";
	for (k = 0; k < 4; k++) {
		snprintf(d.member, sizeof(d.member), "%s", members[k]);
		o->field[k] = -7;
		o->found[k] = rl_csv_diag_column(r, &d, &o->field[k], &h);
	}
	return 0;
}

/* The header chooses the profile; a row is one add, its members named. */
START_TEST(test_registration_profile)
{
	static const rl_csv_callbacks cb = { .record = grab_reg };
	static const char reg[] = "Referral ID,Contract Value,Contract Term,"
	    "Is Deployed on Azure\nr1,100,Finite,yes\n";
	/* Contract Term alone does not choose it: the co-sell sheet */
	static const char cosell[] = "Referral ID,Contract Term,Deal Name\n"
	    "r1,Finite,X\n";
	rl_arena *a = rl_arena_new(0), *scratch = rl_arena_new(0);
	struct reg_one o = { a, NULL, NULL, { 0 }, { 0 } };
	rl_diag err = RL_DIAG_INIT;
	rl_buf b = RL_BUF_INIT;

	ck_assert_int_eq(rl_csv_read_mem(reg, strlen(reg), "r.csv", rules, NULL,
	    scratch, &cb, &o, &err), RL_READ_OK);
	ck_assert_str_eq(o.profile, "dealRegistration");
	ck_assert_int_eq(rl_json_serialize(&b, o.rec), 0);
	ck_assert_str_eq(rl_buf_cstr(&b), "{\"id\":\"r1\",\"patch\":[{\"op\":"
	    "\"add\",\"path\":\"/registrations/-\",\"value\":{\"type\":"
	    "\"AzureIPCoSell\",\"contract\":{\"value\":100,\"term\":\"Finite\"},"
	    "\"solutionDetails\":[{\"isDeployedOnAzure\":true}]}}]}");
	/* a member's column; inside a member, its first cell; absent: -1 */
	ck_assert_int_eq(o.found[0], 1);
	ck_assert_int_eq(o.field[0], 1);
	ck_assert_int_eq(o.found[1], 1);
	ck_assert_int_eq(o.field[1], 3);
	ck_assert_int_eq(o.found[2], 1);
	ck_assert_int_eq(o.field[2], -1);
	ck_assert_int_eq(o.found[3], 0);

	rl_buf_clear(&b);
	ck_assert_int_eq(rl_csv_read_mem(cosell, strlen(cosell), "c.csv", rules,
	    NULL, scratch, &cb, &o, &err), RL_READ_OK);
	ck_assert_str_eq(o.profile, "");
	ck_assert_int_eq(o.found[0], 0);
	ck_assert_int_eq(rl_json_serialize(&b, o.rec), 0);
	ck_assert_str_eq(rl_buf_cstr(&b), "{\"id\":\"r1\",\"patch\":[{\"op\":"
	    "\"replace\",\"path\":\"/name\",\"value\":\"X\"}]}");
	rl_buf_free(&b);
	rl_arena_free(scratch);
	rl_arena_free(a);
}
END_TEST

/* A Yes/No cell that is neither is value-enum naming its column. */
START_TEST(test_registration_yesno_cell)
{
	static const char reg[] = "Referral ID,Contract Value,Contract Term,"
	    "Is Deployed on Azure\nr1,100,Finite,Maybe\n";
	const char *got = run(reg, strlen(reg), 0, 0, 0);

	ck_assert_msg(strstr(got, "~ value-enum L2:15 @D /registrations/- Is Deployed "
	    "on Azure: \"Maybe\" is not Yes or No") != NULL, "%s", got);
	ck_assert_msg(strstr(got, "\"contract\":{\"value\":100,\"term\":"
	    "\"Finite\"}}") != NULL, "%s", got);
}
END_TEST

START_TEST(test_column_names)
{
	static const struct { unsigned long i; const char *s; } names[] = {
		{ 0, "A" }, { 1, "B" }, { 25, "Z" }, { 26, "AA" }, { 27, "AB" },
		{ 51, "AZ" }, { 52, "BA" }, { 701, "ZZ" }, { 702, "AAA" },
		{ 16383, "XFD" }
	};
	char buf[RL_CSV_COLUMN_NAME_MAX];
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		ck_assert_uint_eq(rl_csv_column_name(names[k].i, buf),
		    strlen(names[k].s));
		ck_assert_str_eq(buf, names[k].s);
	}
	/* the largest index still fits */
	ck_assert_uint_lt(rl_csv_column_name((unsigned long)-1, buf),
	    RL_CSV_COLUMN_NAME_MAX);
}
END_TEST

/* Conversion problems join a result in front, as the validator counts them. */
START_TEST(test_add_diags)
{
	rl_arena *a = rl_arena_new(0);
	rl_result res;
	rl_check_opts opts;
	rl_diag d[3], old;

	memset(&res, 0, sizeof(res));
	memset(&opts, 0, sizeof(opts));
	memset(d, 0, sizeof(d));
	memset(&old, 0, sizeof(old));
	old.code = RL_VALUE_ENUM;
	res.d = &old;
	res.n = res.cap = 1;
	res.errors = 1;
	res.worst = RL_SEV_ERROR;
	d[0].code = RL_VALUE_FORMAT;
	d[1].code = RL_CSV_UNCHANGED;
	d[2].code = RL_VALUE_ENUM;
	opts.max_errors = 3;
	ck_assert_int_eq(rl_csv_add_diags(rules, a, &opts, &res, d, 3), 0);
	ck_assert_uint_eq(res.n, 3);
	ck_assert_uint_eq(res.dropped, 1);
	ck_assert_uint_eq(res.errors, 3);
	ck_assert_uint_eq(res.infos, 1);
	ck_assert_int_eq(res.d[0].code, RL_VALUE_FORMAT);
	ck_assert_int_eq(res.d[1].code, RL_CSV_UNCHANGED);
	ck_assert_int_eq(res.d[1].severity, RL_SEV_INFO);
	ck_assert_int_eq(res.d[2].code, RL_VALUE_ENUM);
	ck_assert_int_eq(rl_csv_add_diags(rules, a, NULL, &res, d, 0), 0);
	rl_arena_free(a);
}
END_TEST

/* ---- the syntax layer alone -------------------------------------------- */

static int
count_rows(void *ctx, const rl_csv_row *r)
{
	rl_buf *b = ctx;
	size_t i;

	rl_buf_printf(b, "%s%lu:", r->header ? "H" : "", r->line);
	for (i = 0; i < r->n; i++)
		rl_buf_printf(b, "[%s]", r->f[i].s);
	if (r->diag)
		rl_buf_printf(b, "!%lu:%lu", r->diag->line, r->diag->column);
	rl_buf_putc(b, '\n');
	return r->index == 2;           /* stop after the second data row */
}

START_TEST(test_parse_layer)
{
	rl_buf b = RL_BUF_INIT;
	rl_diag err = RL_DIAG_INIT;

	/* no known names: the most fields wins; stopping works */
	ck_assert_int_eq(rl_csv_parse_mem("a;b;c,d\n1;2;3,4\n5;6;7,8\n9;9;9,9\n", 32,
	    "x", NULL, count_rows, &b, &err), RL_READ_STOPPED);
	ck_assert_str_eq(rl_buf_cstr(&b), "H1:[a][b][c,d]\n2:[1][2][3,4]\n3:[5][6][7,8]\n");
	rl_buf_clear(&b);
	/* ties go to the comma */
	ck_assert_int_eq(rl_csv_parse_mem("a,b;c\n", 6, "x", NULL, count_rows, &b,
	    &err), RL_READ_OK);
	ck_assert_str_eq(rl_buf_cstr(&b), "H1:[a][b;c]\n");
	/* only the three delimiters */
	{
		rl_csv_opts o;

		memset(&o, 0, sizeof(o));
		o.delimiter = '|';
		ck_assert_int_eq(rl_csv_parse_mem("a|b\n", 4, "x", &o, count_rows, &b,
		    &err), RL_READ_TRUNCATED);
		ck_assert_int_eq(err.code, RL_CSV_SYNTAX);
		ck_assert_int_eq(rl_csv_parse_fd(0, "x", &o, count_rows, &b, &err),
		    RL_READ_TRUNCATED);
	}
	rl_buf_free(&b);
}
END_TEST

/* ---- format detection and bytes read ahead ------------------------------ */

static const struct {
	const char *in;
	int eof;
	int want;
} sniffs[] = {
	{ "Referral ID,Deal Name\nr1,A\n", 1, 1 },
	{ "Referral ID,Deal Name\n", 0, 1 },
	{ "Referral ID,Deal Na", 0, -1 },           /* the line goes on */
	{ "Referral ID,Deal Na", 1, 1 },            /* ... or the input ends */
	{ "\xEF\xBB\xBF" "Deal Name;Notes\r\n", 0, 1 },
	{ "\xEF\xBB", 0, -1 },                       /* half a BOM */
	{ "\xEF\xBB", 1, 0 },
	{ "\n\r\n  \"referral id\"\tNotes\n", 0, 1 },  /* blank lines, quotes, case */
	{ "Customer Name,Colour\n", 0, 1 },          /* a read-only column counts */
	{ "  \n", 0, -1 },
	{ "  \n", 1, 0 },                            /* blank: nothing to tell */
	{ "", 1, 0 },
	{ "{\"id\":\"Referral ID,Notes\"}\n", 0, 0 },
	{ "\xEF\xBB\xBF  [{\"id\":\"r\"}]", 0, 0 },
	{ "colour,size\nred,L\n", 1, 0 },             /* no column of the rules */
	{ "not json, Referral\n", 1, 0 },
	{ "42 \"Referral ID\"\n", 1, 0 },
	{ "\x00{\x00\"", 1, 0 },
};

START_TEST(test_sniff)
{
	const char *in = sniffs[_i].in;
	size_t len = strlen(in);

	if (len == 0 && _i == N(sniffs) - 1)
		len = 4;                /* the UTF-16 case has NUL bytes */
	ck_assert_msg(rl_csv_sniff(rules, in, len, sniffs[_i].eof) == sniffs[_i].want,
	    "case %d: got %d", _i, rl_csv_sniff(rules, in, len, sniffs[_i].eof));
}
END_TEST

/* Bytes read ahead by detection are parsed first, as if read again. */
START_TEST(test_prefix)
{
	static const char in[] = "\xEF\xBB\xBFReferral ID;Notes\r\nr1;\"a\nb\"\r\nr2;c\r\n";
	size_t cut, n = sizeof(in) - 1;
	rl_buf want = RL_BUF_INIT;
	char path[] = "/tmp/check_csv_prefix.XXXXXX";
	struct tr t;
	rl_csv_opts o;
	rl_diag err = RL_DIAG_INIT;
	int fd, rc;

	rl_buf_puts(&want, run(in, n, 0, 0, 0));
	ck_assert_int_ge(fd = mkstemp(path), 0);
	unlink(path);
	ck_assert_int_eq(write(fd, in, n), (ssize_t)n);
	for (cut = 0; cut <= n; cut++) {
		memset(&t, 0, sizeof(t));
		memset(&o, 0, sizeof(o));
		t.a = rl_arena_new(0);
		o.prefix = in;
		o.prefix_len = cut;
		o.bufsize = (size_t)_i;
		ck_assert_int_eq(lseek(fd, (off_t)cut, SEEK_SET), (off_t)cut);
		rc = rl_csv_read_fd(fd, "t.csv", rules, &o, t.a, &cbs, &t, &err);
		put_end(&t, rc, &err);
		rl_arena_free(t.a);
		ck_assert_msg(strcmp(rl_buf_cstr(&t.b), rl_buf_cstr(&want)) == 0,
		    "prefix of %zu bytes, read size %d:\n--- want\n%s--- got\n%s", cut,
		    _i, rl_buf_cstr(&want), rl_buf_cstr(&t.b));
		rl_buf_free(&t.b);
	}
	close(fd);
	rl_buf_free(&want);
}
END_TEST

/* Every allocation failure ends cleanly: out of memory, never a crash. */
START_TEST(test_nomem)
{
	static const char in[] = "\xEF\xBB\xBFReferral ID;Deal Name;Notes;Colour\r\n"
	    "r1;\"A;B\";\"x\ny\";red\r\nr2;B;\"unbalanced\r\nr3;C;z;w\r\n";
	unsigned long n;
	int ok = 0;

	for (n = 1; n < 10000 && !ok; n++) {
		struct tr t;
		rl_diag err = RL_DIAG_INIT;
		int rc;

		memset(&t, 0, sizeof(t));
		t.any = 1;
		t.a = rl_arena_new(0);
		rl_alloc_fail_after(n);
		rc = t.a == NULL ? RL_READ_TRUNCATED :
		    rl_csv_read_mem(in, sizeof(in) - 1, "n.csv", rules, NULL, t.a, &cbs,
		    &t, &err);
		rl_alloc_fail_after(0);
		if (rc == RL_READ_OK)
			ok = 1;
		else if (t.a != NULL)
			ck_assert_int_eq(err.code, RL_NOMEM);
		rl_arena_free(t.a);
		rl_buf_free(&t.b);
	}
	ck_assert(ok);
	ck_assert_uint_gt(n, 5);
}
END_TEST

/* ---- columns.json in the loader ---------------------------------------- */

static rl_buf errs = RL_BUF_INIT;

static void
collect(void *ctx, const rl_diag *d)
{
	const char *base = d->source ? strrchr(d->source, '/') : NULL;

	(void)ctx;
	rl_buf_printf(&errs, "%s:%lu: %s\n", base ? base + 1 : d->source, d->line,
	    d->message);
}

static const struct broken {
	const char *text;
	const char *want;
} broken[] = {
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"}},\n\"x\":1}",
	  "columns.json:2: columns.json: unknown member \"x\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"pointer\":\"/name\",\"colour\":1}}}",
	  "columns.json:2: columns.A: unknown member \"colour\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"pointer\":5}}}",
	  "columns.json:2: columns.A: \"pointer\" must be a string, not a number" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{}}}",
	  "columns.json:2: columns.A: missing member \"pointer\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"pointer\":\"/id\"}}}",
	  "columns.json:2: columns.A: \"/id\" is not a path that paths.json lets \"replace\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"pointer\":\"name\"}}}",
	  "columns.json:2: columns.A: \"name\" is not a JSON Pointer" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"key\"}}}",
	  "columns.json:1: columns.Referral ID: unknown use \"key\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"pointer\":\"/name\",\"convert\":\"money\"}}}",
	  "columns.json:2: columns.A: unknown conversion \"money\"" },
	{ "{\"columns\":{\"A\":{\"pointer\":\"/name\"}}}",
	  "columns.json:1: columns.json: exactly one column must have use \"id\" (0 do)" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"pointer\":\"/statusReason\",\"convert\":\"reasonCode\"}}}",
	  "columns.json:2: columns.A: missing member \"substatusColumn\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"pointer\":\"/statusReason\",\"convert\":\"reasonCode\",\"substatusColumn\":\"S\"}}}",
	  "columns.json:2: columns.A: \"substatusColumn\": \"S\" is not another column with use \"replace\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"M\":{\"use\":\"microsoftReferral\",\"states\":{\"Won\":\"Closed/Wonn\"}}}}",
	  "columns.json:2: columns.M: \"Closed/Wonn\" is not one of \"pairs\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"M\":{\"use\":\"microsoftReferral\"}}}",
	  "columns.json:2: columns.M: missing member \"states\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"R\":{\"use\":\"readOnly\",\"pointer\":\"/name\"}}}",
	  "columns.json:2: columns.R: \"pointer\" needs use \"replace\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"referral id\":{\"use\":\"readOnly\"}}}",
	  "columns.json:2: columns.referral id: the same header as \"Referral ID\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\" A\":{\"use\":\"readOnly\"}}}",
	  "columns.json:2: columns. A: a header name must not be empty or begin or end with a space" },
	{ "{\"columns\":[]}",
	  "columns.json:1: columns.json: \"columns\" must be an object, not an array" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\"F\":{\"use\":\"matchedAccount\"},\n\"A\":{\"use\":\"account\"}}}",
	  "columns.json:2: columns.A: missing member \"accountType\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\"F\":{\"use\":\"matchedAccount\"},\n\"A\":{\"use\":\"account\",\"accountType\":\"managed\"}}}",
	  "columns.json:2: columns.A: \"accountType\": \"managed\" is not one of the \"accountTypes\" of dealregistration.json" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"pointer\":\"/name\",\"accountType\":\"Managed\"}}}",
	  "columns.json:2: columns.A: \"accountType\" needs use \"account\"" },
	/* profiles */
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"use\":\"member\",\"pointer\":\"/x\"}}}",
	  "columns.json:2: columns.A: use \"member\" needs a profile with \"add\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"pointer\":\"/name\",\"convert\":\"yesNo\"}}}",
	  "columns.json:2: columns.A: convert \"yesNo\" needs use \"member\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"}},\"profiles\":{\"p\":{\"requires\":[\"B\"],\n\"add\":\"/registrations/-\",\"columns\":{\"I\":{\"use\":\"id\"}}}}}",
	  "profiles.p: \"requires\": \"B\" is not one of its columns" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"}},\"profiles\":{\"p\":{\"requires\":[\"I\"],\n\"add\":\"/id\",\"columns\":{\"I\":{\"use\":\"id\"}}}}}",
	  "columns.json:2: profiles.p: \"add\": \"/id\" is not a path that paths.json lets \"add\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"}},\"profiles\":{\"p\":{\"requires\":[\"I\"],\"add\":\"/registrations/-\",\"columns\":{\"I\":{\"use\":\"id\"},\n\"A\":{\"use\":\"replace\",\"pointer\":\"/name\"}}}}}",
	  "columns.json:2: profiles.p.columns.A: use \"replace\" is not for a profile with \"add\"" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"}},\"profiles\":{\"p\":{\"requires\":[],\"add\":\"/registrations/-\",\"columns\":{\"I\":{\"use\":\"id\"}}}}}",
	  "profiles.p: \"requires\" must name at least one header" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"}},\"profiles\":{\"p\":{\"requires\":[\"I\"],\"add\":\"/registrations/-\",\"columns\":{\"I\":{\"use\":\"id\"},\n\"S\":{\"use\":\"solution\",\"pointer\":\"/s\"}}}}}",
	  "profiles.p.columns: one column with use \"solution\" goes with the profile's \"solutions\" (1 here)" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\n\"A\":{\"use\":\"account\",\"accountType\":\"Managed\"}}}",
	  "columns.json: a column with use \"matchedAccount\" and columns with use \"account\" go together (0 and 1 here)" },
	{ "{\"columns\":{\"Referral ID\":{\"use\":\"id\"},\"F\":{\"use\":\"matchedAccount\"},\n\"G\":{\"use\":\"matchedAccount\"},\"A\":{\"use\":\"account\",\"accountType\":\"Managed\"}}}",
	  "columns.json: at most one column may have use \"matchedAccount\"" },
};

static char tmpdir[1024];

/*
 * A spreadsheet read as two ranges, the second with the header of the
 * first (source.h), gives the transcript of reading it whole: the same
 * delimiter, columns, rows, lines and records.
 */
static void
pull_csv(struct tr *t, const char *text, size_t len, const rl_source *h,
    uint64_t offset, uint64_t length, unsigned long line, unsigned long rows,
    unsigned long records, size_t bufsize, rl_source **keep)
{
	rl_source_opts so;
	rl_source_item it;
	rl_source *s;

	memset(&so, 0, sizeof(so));
	so.kind = RL_SOURCE_CSV;
	so.rules = rules;
	so.ro.bufsize = bufsize;
	so.offset = offset;
	so.length = length;
	so.line = line;
	so.rows = rows;
	so.records = records;
	so.header_of = h;
	REQ((s = rl_source_open_mem(text, len, "t.csv", &so, NULL)) != NULL);
	while (rl_source_next(s, t->a, &it)) {
		if (it.kind == RL_ITEM_HEADER)
			(void)on_header(t, &it.header);
		else
			(void)on_record(t, &it.row);
		/* the header's source stays open for the next range */
		if (it.kind == RL_ITEM_HEADER && keep != NULL) {
			*keep = s;
			return;
		}
		rl_arena_reset(t->a);
	}
	REQ(rl_source_status(s, NULL) == RL_READ_OK);
	rl_source_close(s);
}

START_TEST(test_source_ranges)
{
	static const char text[] =
	    "Referral ID;Deal Name;Notes\r\n"
	    "r-1;a;x\r\n"
	    "\r\n"
	    "r-2;\"b\nc\";y\r\n"
	    "r-3;d\r\n"
	    "r-4;e;f\r\n";
	size_t len = sizeof(text) - 1, cut = strchr(strchr(text, '\n') + 1,
	    '\n') + 1 - text;
	static struct tr t;
	rl_source *first = NULL;
	char *whole;

	whole = strdup(run(text, len, 0, 0, 0));
	REQ(whole != NULL);
	for (size_t bs = 1; bs <= 31; bs += 6) {
		rl_buf_clear(&t.b);
		t.a = rl_arena_new(0);
		/* the first range up to its header, then the second, then the rest */
		pull_csv(&t, text, len, NULL, 0, cut, 0, 0, 0, bs, &first);
		REQ(first != NULL);
		{
			struct tr second;
			rl_source_item it;
			rl_buf all = RL_BUF_INIT;

			/* opened while the first is still under way */
			memset(&second, 0, sizeof(second));
			second.a = rl_arena_new(0);
			pull_csv(&second, text, len, first, cut, 0, 3, 2, 1, bs,
			    NULL);
			while (rl_source_next(first, t.a, &it))
				(void)on_record(&t, &it.row);
			REQ(rl_source_status(first, NULL) == RL_READ_OK);
			REQ(rl_buf_append(&all, t.b.data, t.b.len) == 0);
			REQ(rl_buf_append(&all, second.b.data, second.b.len) == 0);
			REQ(rl_buf_puts(&all, "= ok\n") == 0);
			ck_assert_msg(strcmp(rl_buf_cstr(&all), whole) == 0,
			    "bufsize %zu: ranges gave\n%s\nwhole\n%s", bs,
			    rl_buf_cstr(&all), whole);
			rl_buf_free(&all);
			rl_buf_free(&second.b);
			rl_arena_free(second.a);
		}
		rl_source_close(first);
		first = NULL;
		rl_arena_free(t.a);
	}
	rl_buf_free(&t.b);
	free(whole);
}
END_TEST

START_TEST(test_columns_broken)
{
	char from[2048], to[2048];
	const char *t = getenv("TMPDIR");
	rl_rules *r;
	FILE *f;
	size_t i;

	snprintf(tmpdir, sizeof(tmpdir), "%s/csvrules.XXXXXX", t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	for (i = 0; rl_rule_files[i] != NULL; i++) {
		snprintf(from, sizeof(from), "%s/%s", src_dir, rl_rule_files[i]);
		snprintf(to, sizeof(to), "%s/%s", tmpdir, rl_rule_files[i]);
		rl_test_copy_file(from, to);
	}
	snprintf(to, sizeof(to), "%s/columns.json", tmpdir);
	ck_assert_ptr_nonnull(f = fopen(to, "wb"));
	fputs(broken[_i].text, f);
	ck_assert_int_eq(fclose(f), 0);
	rl_buf_clear(&errs);
	r = rl_rules_load(tmpdir, collect, NULL);
	for (i = 0; rl_rule_files[i] != NULL; i++) {
		snprintf(to, sizeof(to), "%s/%s", tmpdir, rl_rule_files[i]);
		unlink(to);
	}
	rmdir(tmpdir);
	ck_assert_msg(r == NULL, "%s: loaded", broken[_i].want);
	ck_assert_msg(strstr(rl_buf_cstr(&errs), broken[_i].want) != NULL,
	    "want \"%s\" in:\n%s", broken[_i].want, rl_buf_cstr(&errs));
}
END_TEST

START_TEST(test_columns_loaded)
{
	const struct rl_columns *c = &rules->cols;
	size_t i, ids = 0;

	ck_assert_uint_ge(c->n, 12);
	for (i = 0; i < c->n; i++)
		ids += c->c[i].use == RL_COL_ID;
	ck_assert_uint_eq(ids, 1);
	ck_assert_str_eq(c->c[0].header, "Referral ID");
	ck_assert_ptr_nonnull(rules->lc.reason_codes);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_quirks, 0, N(quirks));
	tcase_add_loop_test(tc, test_convs, 0, N(convs));
	tcase_add_loop_test(tc, test_bad, 0, N(bad));
	tcase_add_loop_test(tc, test_bufsizes, 1, 32);
	tcase_add_test(tc, test_demo);
	tcase_add_test(tc, test_big);
	tcase_add_loop_test(tc, test_unchanged, 0, N(unchs));
	tcase_add_test(tc, test_add_diags);
	tcase_add_test(tc, test_op_columns);
	tcase_add_test(tc, test_column_names);
	tcase_add_test(tc, test_yesno);
	tcase_add_test(tc, test_registration_profile);
	tcase_add_test(tc, test_registration_yesno_cell);
	tcase_add_test(tc, test_parse_layer);
	tcase_add_test(tc, test_nomem);
	tcase_add_loop_test(tc, test_sniff, 0, N(sniffs));
	tcase_add_loop_test(tc, test_prefix, 1, 8);
	tcase_add_loop_test(tc, test_columns_broken, 0, N(broken));
	tcase_add_test(tc, test_columns_loaded);
	tcase_add_test(tc, test_source_ranges);
	suite_add_tcase(s, tc);
	return s;
}

/* --dump: the transcripts of the tables, to review a change. */
static void
dump(void)
{
	size_t i, k;

	for (k = 0; k < 3; k++) {
		const struct tcase *t = k == 0 ? quirks : k == 1 ? convs : bad;
		size_t n = k == 0 ? N(quirks) : k == 1 ? N(convs) : N(bad);

		for (i = 0; i < n; i++) {
			if (t[i].in == NULL || t[i].want == NULL)
				continue;
			printf("### %s\n%s", t[i].name, run(t[i].in, strlen(t[i].in),
			    t[i].delim, 0, t[i].max_field));
		}
	}
}

int
main(int argc, char **argv)
{
	rl_diag err = RL_DIAG_INIT;
	int rc;

	if ((src_dir = getenv("REFLINT_RULES")) == NULL ||
	    (top_srcdir = getenv("top_srcdir")) == NULL) {
		fprintf(stderr, "REFLINT_RULES and top_srcdir must be set\n");
		return 99;
	}
	(void)err;
	rl_buf_clear(&errs);
	if ((rules = rl_rules_load(src_dir, collect, NULL)) == NULL) {
		fprintf(stderr, "rules: %s", rl_buf_cstr(&errs));
		return 99;
	}
	if (argc > 1 && strcmp(argv[1], "--dump") == 0) {
		dump();
		rc = 0;
	} else
		rc = rl_test_run(suite());
	rl_rules_free(rules);
	rl_buf_free(&errs);
	return rc;
}
