/*
 * output.h: the JSON lines and pieces that several sinks share
 * (reflint(1), Output): accepted, rejected and tagged lines, a record's
 * verdict, source and warnings, the eligibility response.  The sinks
 * (sink.h) write them to their files; the report formats are in
 * report_*.c.
 * Included by the batch processor, the sinks, the fuzzers and the tests;
 * not installed.
 *
 * Each function appends to a caller's buffer and returns -1 only when
 * memory runs out; nothing is written to a file here.
 */
#ifndef RL_OUTPUT_H
#define RL_OUTPUT_H

#include "buf.h"
#include "reader.h"
#include "validate.h"

/* {"id":…,"ifMatch":…,"patch":[…]}\n, ops as op, path, value, others. */
int rl_out_accepted(rl_buf *, const rl_result *);
/* {"id":…,"source":{…},"errors":[…]}\n, every problem in errors. */
int rl_out_rejected(rl_buf *, const rl_record *, const rl_result *);
/*
 * {"verdict":…,"id":…,"source":{…},"errors":[…],"warnings":[…]} without a
 * newline: errors in errors, warnings and infos in warnings (left out when
 * there are none), for tagged lines and the JSON report.
 */
int rl_out_verdict(rl_buf *, const rl_record *, const rl_result *);
/* {"file":…,"line":…,"record":…}: where a record was read. */
int rl_out_source(rl_buf *, const rl_record *);
/* ,"warnings":[…] with the warnings and infos, or nothing when none. */
int rl_out_warnings(rl_buf *, const rl_result *);
/*
 * The Deal Registration Eligibility response in the API's shape
 * (isEligible, passedPolicies, failedPolicies) and unverifiedPolicies
 * (entries with "isEligible": null), each policy that did not pass with a
 * reason; no newline.  p holds RL_POLICY_COUNT results.
 */
struct rl_policy_result;
int rl_out_eligibility(rl_buf *, const struct rl_policy_result *p);
/*
 * eligibility --emit tagged: one line per record read, with its newline:
 * {"id":…,"source":{…},"judged":true,"response":{the response above},
 * "errors":[…],"warnings":[…]} for a judged record (p its RL_POLICY_COUNT
 * results), or "judged":false,"response":null when p is NULL; errors and
 * warnings split as in rl_out_verdict, notShown as there.
 */
int rl_out_eligibility_tagged(rl_buf *, const rl_record *, const rl_result *,
		const struct rl_policy_result *p);
/*
 * Mapper mode (--emit tagged): one line per record, with its newline, in
 * input order.  The verdict is rl_result_accepted(res).
 *   accepted: {"verdict":"accepted","source":{"file":…,"line":…,
 *             "record":…}, then the accepted line's members}
 *   rejected: {"verdict":"rejected", then the rejected line's members,
 *             which hold the same "source" object}
 * source is rec->source ("" when NULL), rec->line and rec->index: the
 * caller applies --source-name, --line-offset and --record-offset to the
 * record it passes.  accepted_line is the compact object `check` or `apply`
 * would write to --accepted (a trailing newline is ignored), or NULL for
 * rl_out_accepted's line; it is not used for a rejected record.
 */
int rl_out_tagged(rl_buf *, const rl_record *, const rl_result *,
		const char *accepted_line, size_t len);

#endif /* RL_OUTPUT_H */
