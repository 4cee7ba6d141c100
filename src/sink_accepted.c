/*
 * sink_accepted.c: --accepted (reflint(1), Output): the line of every
 * accepted record of check and apply, as the batch processor made it (the
 * patch, or the referral after it).
 */
#include "config.h"

#include "sink.h"

static int
accepted_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	(void)err;
	if (!r->accepted || r->note || r->line == NULL)
		return 0;
	return rl_buf_append(rl_sink_buf(s), r->line, r->line_len);
}

const rl_sink_class rl_sink_accepted = {
	.name = "accepted",
	.size = sizeof(rl_sink),
	.record = accepted_record,
};
