/*
 * sink_rejected.c: --rejected (reflint(1), Output): every rejected record
 * with its source and every problem (rl_out_rejected).
 */
#include "config.h"

#include "output.h"
#include "sink.h"

static int
rejected_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	(void)err;
	if (r->accepted || r->note)
		return 0;
	return rl_out_rejected(rl_sink_buf(s), r->rec, r->res);
}

const rl_sink_class rl_sink_rejected = {
	.name = "rejected",
	.size = sizeof(rl_sink),
	.record = rejected_record,
};
