/*
 * sink_eligibility.c: the lines of `reflint eligibility` (reflint(1),
 * Eligibility): the API's response for each judged record, one a line.
 */
#include "config.h"

#include "output.h"
#include "sink.h"

static int
response_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	rl_buf *b = rl_sink_buf(s);
	size_t len = b->len;

	(void)err;
	if (r->note || r->policies == NULL)
		return 0;
	if (rl_out_eligibility(b, r->policies) == -1 ||
	    rl_buf_putc(b, '\n') == -1) {
		b->len = len;
		return -1;
	}
	return 0;
}

const rl_sink_class rl_sink_eligibility = {
	.name = "eligibility",
	.size = sizeof(rl_sink),
	.record = response_record,
};
