/*
 * report_json.c: the json report (reflint(1), Output), one document:
 * {"records":[every record with a problem of any severity, as
 * rl_out_verdict writes it],"summary":{the summary}}.
 */
#include "config.h"

#include "output.h"
#include "sink.h"

struct json_report {
	rl_sink base;
	unsigned long written;      /* records in the array so far */
};

static int
json_begin(rl_sink *s, rl_diag *err)
{
	(void)err;
	return rl_buf_puts(rl_sink_buf(s), "{\"records\":[");
}

static int
json_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	struct json_report *j = (struct json_report *)s;
	rl_buf *b = rl_sink_buf(s);
	const rl_result *res = r->res;
	size_t len = b->len;

	(void)err;
	if (res->errors + res->warnings + res->infos == 0)
		return 0;
	if ((j->written > 0 && rl_buf_putc(b, ',') == -1) ||
	    rl_out_verdict(b, r->rec, res) == -1) {
		b->len = len;
		return -1;
	}
	j->written++;
	return 0;
}

static int
json_end(rl_sink *s, const rl_summary *sum, rl_diag *err)
{
	static const rl_summary none;
	rl_buf *b = rl_sink_buf(s);
	size_t len = b->len;

	(void)err;
	if (rl_buf_puts(b, "],\"summary\":") == -1 ||
	    rl_summary_json(b, sum != NULL ? sum : &none) == -1 ||
	    rl_buf_puts(b, "}\n") == -1) {
		b->len = len;
		return -1;
	}
	return 0;
}

const rl_sink_class rl_report_json = {
	.name = "json",
	.size = sizeof(struct json_report),
	.traits = RL_SINK_REPORT,
	.begin = json_begin,
	.record = json_record,
	.end = json_end,
};
