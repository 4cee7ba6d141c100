/*
 * output.h: the writers of `reflint check` (reflint(1), Output): accepted
 * lines, rejected lines and the text report.  The batch processor adds the
 * other report formats and the summary.
 * Included by the commands and the tests; not installed.
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
 * FILE:LINE: ID: SEVERITY: MESSAGE [CODE]\n, one line per diagnostic; control
 * characters of FILE, ID and MESSAGE escaped.
 */
int rl_out_text(rl_buf *, const rl_record *, const rl_result *);
/* The length of (s, n) as rl_out_text writes it. */
size_t rl_out_text_len(const char *s, size_t n);

#endif /* RL_OUTPUT_H */
