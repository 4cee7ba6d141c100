/*
 * sink_tagged.c: mapper mode, --emit tagged (reflint(1), Scaling out): one
 * line per record read, in input order, so that the lines of many shards
 * join back to their inputs.  check and apply: the verdict with the
 * accepted or rejected line (rl_out_tagged); eligibility: the response of
 * a judged record, or "judged":false (rl_out_eligibility_tagged).
 */
#include "config.h"

#include "output.h"
#include "sink.h"

static int
tagged_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	int acc = r->accepted && r->line != NULL;

	(void)err;
	if (r->note)
		return 0;
	/* the line without its newline: rl_out_tagged ends the line itself */
	return rl_out_tagged(rl_sink_buf(s), r->rec, r->res,
	    acc ? r->line : NULL, acc && r->line_len > 0 ? r->line_len - 1 : 0);
}

const rl_sink_class rl_sink_tagged = {
	.name = "tagged",
	.size = sizeof(rl_sink),
	.record = tagged_record,
};

static int
eligibility_record(rl_sink *s, const rl_sink_record *r, rl_diag *err)
{
	(void)err;
	if (r->note)
		return 0;
	return rl_out_eligibility_tagged(rl_sink_buf(s), r->rec, r->res,
	    r->policies);
}

const rl_sink_class rl_sink_tagged_eligibility = {
	.name = "tagged",
	.size = sizeof(rl_sink),
	.record = eligibility_record,
};
