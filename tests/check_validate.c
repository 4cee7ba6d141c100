/*
 * check_validate.c: the per-record procedure of reflint(1), Judging on the
 * default rules: each row is a referral (or none), a patch and an ifMatch,
 * and the codes that must come out, as "code@op" (op omitted when none).
 * JSON is written with ' for " to keep the table readable.
 */
#include "config.h"

#include <stdio.h>

#include "datetime.h"
#include "rules.h"
#include "tests.h"
#include "validate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static rl_rules *R;

/* The codes of a result, "code@op code ..." in the order found. */
static const char *
codes(const rl_result *res)
{
	static char buf[1024];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < res->n; i++) {
		const rl_diag *d = &res->d[i];

		if (d->op >= 0)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s@%ld",
			    n ? " " : "", rl_code_name(d->code), d->op);
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
			    n ? " " : "", rl_code_name(d->code));
	}
	return buf;
}

#define NEW "{'id':'r1','name':'Deal','status':'New','substatus':'Pending'," \
	"'createdDateTime':'2026-01-01T00:00:00Z','eTag':'\\'abc\\''," \
	"'consent':{'consentToShareReferralWithMicrosoftSellers':false}," \
	"'details':{'dealValue':'100','currency':'USD','notes':'n','closingDateTime':'2026-06-30T00:00:00Z'}," \
	"'team':[{'firstName':'A','lastName':'B','email':'a@b.com','phoneNumber':'0000000001'}]}"
#define ACTIVE "{'id':'r2','status':'Active','substatus':'Accepted'," \
	"'createdDateTime':'2026-02-28T23:00:00Z'," \
	"'consent':{'consentToShareReferralWithMicrosoftSellers':true}," \
	"'team':[{'firstName':'A','lastName':'B','email':'a@b.com','phoneNumber':'0000000001'}]}"
#define WON "{'id':'r3','name':'Deal','status':'Closed','substatus':'Won','registrations':[]}"
#define LOST "{'id':'r4','name':'Deal','status':'Closed','substatus':'Lost'}"
#define BARE "{'id':'r5','status':'New','substatus':'Received'}"
#define MEMBER "{'firstName':'Jane','lastName':'Doe','email':'jane.doe@contoso.com','phoneNumber':'0000000001'}"
/* A customer with one contact, and a team member and a solution as a GET returns them. */
#define CUSTOMER "{'id':'r6','name':'Deal','status':'Active','substatus':'Accepted'," \
	"'customerProfile':{'name':'Fabrikam','team':[" MEMBER "]}}"
#define GET_MEMBER "{'firstName':'Ana','lastName':'Ruiz','phoneNumber':'+5491100000000'," \
	"'email':'ana.ruiz@fabrikam.com','title':null," \
	"'contactPreference':{'locale':null,'disableNotifications':null}}"
#define GET_SOLUTION "{'id':'3a2fead4-d3fa-4fe9-819f-8062f6f3b2fe','name':'M365 E5 Compliance'," \
	"'type':'Name','price':null,'quantity':null,'currency':null,'publisherName':null," \
	"'solutionType':null,'closingDateTime':null}"
#define SOL "'/details/requirements/solutions/-'"

static const struct row {
	const char *name;
	const char *referral;   /* NULL: patch-only, no state */
	const char *patch;
	const char *if_match;   /* NULL: none */
	const char *want;
} rows[] = {
	/* the seed's sample requests */
	{ "seed 1", NEW, "[{'op':'replace','path':'/details/dealValue','value':'10000'},"
	    "{'op':'replace','path':'/details/notes','value':'Lorem ipsum dolor sit amet.'}]", NULL, "" },
	{ "seed 2", ACTIVE "", "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Won'}]", NULL, "won-too-soon@1" },
	{ "seed 3", NEW, "[{'op':'add','path':'/team/-','value':" MEMBER "}]", NULL, "" },
	/* step 2: op */
	{ "remove", NEW, "[{'op':'remove','path':'/name'}]", NULL, "op-unsupported@0" },
	{ "move", NEW, "[{'op':'move','from':'/name','path':'/details/notes'}]", NULL, "op-unsupported@0" },
	{ "test", NEW, "[{'op':'test','path':'/name','value':'Deal'}]", NULL, "op-unsupported@0" },
	{ "op case", NEW, "[{'op':'Replace','path':'/name','value':'x'}]", NULL, "op-unsupported@0" },
	{ "no value", NEW, "[{'op':'replace','path':'/name'}]", NULL, "op-value-missing@0" },
	{ "no value bad path", NEW, "[{'op':'replace','path':'/nmae'}]", NULL,
	    "op-value-missing@0 path-unknown@0" },
	{ "value null ok type", NEW, "[{'op':'replace','path':'/name','value':null}]", NULL, "value-type@0" },
	{ "not object", NEW, "[1]", NULL, "patch-shape@0" },
	{ "no op", NEW, "[{'path':'/name','value':'x'}]", NULL, "patch-shape@0" },
	{ "path number", NEW, "[{'op':'replace','path':3,'value':'x'}]", NULL, "patch-shape@0" },
	{ "pointer", NEW, "[{'op':'replace','path':'name','value':'x'}]", NULL, "pointer-syntax@0" },
	{ "pointer escape", NEW, "[{'op':'replace','path':'/na~2me','value':'x'}]", NULL, "pointer-syntax@0" },
	/* step 2: path */
	{ "read-only", NEW, "[{'op':'replace','path':'/id','value':'x'}]", NULL, "path-read-only@0" },
	{ "read-only below", NEW, "[{'op':'replace','path':'/customerProfile/address/city','value':'x'}]",
	    NULL, "path-read-only@0" },
	{ "read-only etag", NEW, "[{'op':'replace','path':'/eTag','value':'x'}]", NULL, "path-read-only@0" },
	{ "unknown case", NEW, "[{'op':'replace','path':'/details/dealvalue','value':'1'}]", NULL, "path-unknown@0" },
	{ "unknown", NEW, "[{'op':'add','path':'/foo','value':'1'}]", NULL, "path-unknown@0" },
	{ "whole referral", NEW, "[{'op':'replace','path':'','value':{}}]", NULL, "path-unknown@0" },
	{ "empty token", NEW, "[{'op':'add','path':'/','value':1}]", NULL, "path-unknown@0" },
	{ "escaped token", NEW, "[{'op':'replace','path':'/details~1dealValue','value':'1'}]", NULL, "path-unknown@0" },
	{ "read-only quality", NEW, "[{'op':'replace','path':'/quality','value':'High'}]", NULL,
	    "path-read-only@0" },
	{ "read-only isSpam", NEW, "[{'op':'add','path':'/isSpam','value':false}]", NULL, "path-read-only@0" },
	{ "read-only tags", NEW, "[{'op':'add','path':'/tags/-','value':'x'}]", NULL, "path-read-only@0" },
	/* add wherever replace is: an add on an existing member replaces it */
	{ "add name", NEW, "[{'op':'add','path':'/name','value':'x'}]", NULL, "" },
	{ "add state", NEW, "[{'op':'add','path':'/status','value':'Active'},"
	    "{'op':'add','path':'/substatus','value':'Accepted'}]", NULL, "" },
	{ "add deal value", NEW, "[{'op':'add','path':'/details/dealValue','value':'10'},"
	    "{'op':'add','path':'/details/currency','value':'EUR'},"
	    "{'op':'add','path':'/details/closingDateTime','value':'2026-07-01T00:00:00Z'}]", NULL, "" },
	{ "add email", NEW, "[{'op':'add','path':'/team/0/email','value':'x@y.com'}]", NULL, "" },
	{ "add consent", NEW, "[{'op':'add','path':'/consent/consentToShareReferralWithMicrosoftSellers',"
	    "'value':true}]", NULL, "" },
	{ "op mismatch team", NEW, "[{'op':'replace','path':'/team/-','value':" MEMBER "}]", NULL,
	    "path-op-mismatch@0" },
	{ "op mismatch solution", NEW, "[{'op':'replace','path':" SOL ",'value':{'id':'SOL-1-A'}}]", NULL,
	    "path-op-mismatch@0" },
	{ "op mismatch customer", CUSTOMER, "[{'op':'replace','path':'/customerProfile/team/-','value':"
	    MEMBER "}]", NULL, "path-op-mismatch@0" },
	/* the connector's paths that the rules lacked */
	{ "campaignId", NEW, "[{'op':'add','path':'/campaignId','value':'CMP-7'}]", NULL, "" },
	{ "campaignId replace absent", NEW, "[{'op':'replace','path':'/campaignId','value':'CMP-7'}]", NULL,
	    "patch-target@0" },
	{ "campaignId null", NEW, "[{'op':'add','path':'/campaignId','value':null}]", NULL, "value-type@0" },
	{ "referralProgram", NEW, "[{'op':'add','path':'/referralProgram','value':'Co-sell'}]", NULL, "" },
	{ "customer contact", CUSTOMER, "[{'op':'add','path':'/customerProfile/team/-','value':" GET_MEMBER "}]",
	    NULL, "" },
	{ "customer contact bad", CUSTOMER, "[{'op':'add','path':'/customerProfile/team/-','value':"
	    "{'firstName':'A','lastName':'B','email':'a.b.com'}}]", NULL, "value-format@0 value-member-missing@0" },
	{ "customer contacts", CUSTOMER, "[{'op':'replace','path':'/customerProfile/team','value':["
	    GET_MEMBER "," MEMBER "]}]", NULL, "" },
	{ "customer contacts type", CUSTOMER, "[{'op':'replace','path':'/customerProfile/team','value':"
	    MEMBER "}]", NULL, "value-type@0" },
	/* whole arrays, item by item */
	{ "team whole", NEW, "[{'op':'replace','path':'/team','value':[" MEMBER "," GET_MEMBER "]}]", NULL, "" },
	{ "team whole add", BARE, "[{'op':'add','path':'/team','value':[" MEMBER "]}]", NULL, "" },
	{ "team whole empty", NEW, "[{'op':'replace','path':'/team','value':[]}]", NULL, "" },
	{ "team whole items", NEW, "[{'op':'replace','path':'/team','value':[" MEMBER ","
	    "{'firstName':'J','lastName':'D','email':'jd.com','phoneNumber':'0000000002'},"
	    "'Jane',{'firstName':'J','lastName':'D','email':'j@d.com'}]}]", NULL,
	    "value-format@0 value-type@0 value-member-missing@0" },
	{ "team whole not array", NEW, "[{'op':'replace','path':'/team','value':" MEMBER "}]", NULL,
	    "value-type@0" },
	{ "solutions whole", NEW, "[{'op':'add','path':'/details/requirements/solutions','value':["
	    GET_SOLUTION ",{'id':'SOL-34104-EBB'}]}]", NULL, "" },
	{ "solutions whole items", NEW, "[{'op':'replace','path':'/details/requirements/solutions','value':["
	    "{'id':'SOL-34104-EBB','type':'Foo'},{'name':'x'}]}]", NULL, "value-enum@0 value-member-missing@0" },
	{ "index leading zero", NEW, "[{'op':'replace','path':'/team/00/email','value':'a@b.com'}]", NULL,
	    "path-unknown@0" },
	/* step 2: values */
	{ "deal value string", NEW, "[{'op':'replace','path':'/details/dealValue','value':'25000.01'}]", NULL, "" },
	{ "deal value number", NEW, "[{'op':'replace','path':'/details/dealValue','value':1e5}]", NULL, "" },
	{ "deal value zero", NEW, "[{'op':'replace','path':'/details/dealValue','value':0}]", NULL, "" },
	{ "deal value negative", NEW, "[{'op':'replace','path':'/details/dealValue','value':'-0.01'}]", NULL,
	    "value-range@0" },
	{ "deal value negative number", NEW, "[{'op':'replace','path':'/details/dealValue','value':-1}]", NULL,
	    "value-range@0" },
	/* a string is the right type for a decimal: not a number is its format */
	{ "deal value text", NEW, "[{'op':'replace','path':'/details/dealValue','value':'ten'}]", NULL,
	    "value-format@0" },
	{ "deal value lexeme", NEW, "[{'op':'replace','path':'/details/dealValue','value':'01'}]", NULL,
	    "value-format@0" },
	{ "deal value empty", NEW, "[{'op':'replace','path':'/details/dealValue','value':''}]", NULL,
	    "value-format@0" },
	{ "deal value numeric string", NEW, "[{'op':'replace','path':'/details/dealValue','value':'1500.50'}]", NULL,
	    "" },
	{ "contract value past decimal", WON, "[{'op':'replace','path':'/registrations/0/contract/value','value':1e29}]",
	    NULL, "value-range@0" },
	{ "deal value bool", NEW, "[{'op':'replace','path':'/details/dealValue','value':true}]", NULL,
	    "value-type@0" },
	{ "enum", NEW, "[{'op':'replace','path':'/salesStage','value':'30'}]", NULL, "value-enum@0" },
	{ "enum case", NEW, "[{'op':'add','path':'/salesStage','value':'qualify'}]", NULL, "value-enum@0" },
	{ "enum ok", NEW, "[{'op':'add','path':'/salesStage','value':'Qualify'}]", NULL, "" },
	{ "currency", NEW, "[{'op':'replace','path':'/details/currency','value':'usd'}]", NULL, "value-format@0" },
	{ "currency unknown", NEW, "[{'op':'replace','path':'/details/currency','value':'ABC'}]", NULL, "value-format@0" },
	{ "currency ok", NEW, "[{'op':'replace','path':'/details/currency','value':'EUR'}]", NULL, "" },
	{ "date-time calendar", NEW, "[{'op':'replace','path':'/details/closingDateTime','value':'2026-02-30T00:00:00Z'}]",
	    NULL, "value-format@0" },
	{ "date only", NEW, "[{'op':'replace','path':'/details/closingDateTime','value':'2026-02-28'}]",
	    NULL, "value-format@0" },
	{ "date-time ok", NEW, "[{'op':'replace','path':'/details/closingDateTime','value':'2026-02-28T10:00:00.1234567Z'}]",
	    NULL, "" },
	{ "empty name", NEW, "[{'op':'replace','path':'/name','value':''}]", NULL, "value-length@0" },
	{ "member missing", NEW, "[{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D'}}]", NULL,
	    "value-member-missing@0 value-member-missing@0" },
	{ "member unknown", NEW, "[{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D',"
	    "'email':'j@d.com','phoneNumber':'+1 (425) 555-0100','nickname':'x'}}]", NULL, "value-member-unknown@0" },
	/* members a GET returns as null */
	{ "member from GET", NEW, "[{'op':'add','path':'/team/-','value':" GET_MEMBER "}]", NULL, "" },
	{ "member title", NEW, "[{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D',"
	    "'email':'j@d.com','phoneNumber':'0000000002','title':'CTO',"
	    "'contactPreference':{'locale':'en-US','disableNotifications':false}}}]", NULL, "" },
	{ "member title type", NEW, "[{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D',"
	    "'email':'j@d.com','phoneNumber':'0000000002','title':7}}]", NULL, "value-type@0" },
	{ "member locale type", NEW, "[{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D',"
	    "'email':'j@d.com','phoneNumber':'0000000002','contactPreference':{'locale':1,"
	    "'disableNotifications':'yes'}}}]", NULL, "value-type@0 value-type@0" },
	{ "member email null", NEW, "[{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D',"
	    "'email':null,'phoneNumber':'0000000002'}}]", NULL, "value-type@0" },
	{ "solution from GET", NEW, "[{'op':'add','path':" SOL ",'value':" GET_SOLUTION "}]", NULL, "" },
	{ "solution filled", NEW, "[{'op':'add','path':" SOL ",'value':{'id':'SOL-34104-EBB','name':'n',"
	    "'type':'Category','price':12.5,'quantity':3,'currency':'EUR','publisherName':'Contoso',"
	    "'solutionType':'x','closingDateTime':'2026-06-30T00:00:00Z'}}]", NULL, "" },
	{ "solution type", NEW, "[{'op':'add','path':" SOL ",'value':{'id':'SOL-34104-EBB','type':'Foo'}}]",
	    NULL, "value-enum@0" },
	{ "solution type null", NEW, "[{'op':'add','path':" SOL ",'value':{'id':'SOL-34104-EBB','type':null}}]",
	    NULL, "" },
	{ "solution members", NEW, "[{'op':'add','path':" SOL ",'value':{'id':'SOL-34104-EBB','price':'12',"
	    "'quantity':true,'currency':'usd','closingDateTime':'2026-02-30T00:00:00Z','name':1}}]", NULL,
	    "value-type@0 value-type@0 value-type@0 value-format@0 value-format@0" },
	{ "solution id null", NEW, "[{'op':'add','path':" SOL ",'value':{'id':null}}]", NULL, "value-type@0" },
	{ "member format", NEW, "[{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D',"
	    "'email':'jd.com','phoneNumber':'12'}}]", NULL, "value-format@0 value-format@0" },
	{ "member type", NEW, "[{'op':'add','path':'/team/-','value':'Jane'}]", NULL, "value-type@0" },
	{ "solution", NEW, "[{'op':'add','path':'/details/requirements/solutions/-','value':{'id':'SOL-34104-EBB','x':1}}]",
	    NULL, "" },
	{ "solution no id", NEW, "[{'op':'add','path':'/details/requirements/solutions/-','value':{'name':'x'}}]",
	    NULL, "value-member-missing@0" },
	{ "email replace", NEW, "[{'op':'replace','path':'/team/0/email','value':'not an email'}]", NULL,
	    "value-format@0" },
	/* step 3 */
	{ "target", NEW, "[{'op':'replace','path':'/team/5/email','value':'x@y.com'}]", NULL, "patch-target@0" },
	{ "target goes on", NEW, "[{'op':'replace','path':'/team/5/email','value':'x@y.com'},"
	    "{'op':'replace','path':'/name','value':'x'}]", NULL, "patch-target@0" },
	{ "add statusReason", BARE, "[{'op':'add','path':'/statusReason','value':'x'}]", NULL, "" },
	{ "replace missing", BARE, "[{'op':'replace','path':'/statusReason','value':'x'}]", NULL, "patch-target@0" },
	{ "container default", BARE, "[{'op':'add','path':'/team/-','value':" MEMBER "}]", NULL, "" },
	{ "container parents", BARE, "[{'op':'add','path':'/details/requirements/solutions/-','value':{'id':'SOL-1-A'}}]",
	    NULL, "" },
	{ "no cascade", NEW, "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Wonn'}]", NULL, "value-enum@1" },
	{ "left-out substatus, removed", NEW, "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'remove','path':'/substatus'}]", NULL, "op-unsupported@1" },
	{ "left-out status, bad target", NEW, "[{'op':'replace','path':'/substatus','value':'Declined'},"
	    "{'op':'replace','path':'/status/x','value':'Closed'}]", NULL, "path-unknown@1" },
	{ "status alone still judged", NEW, "[{'op':'replace','path':'/status','value':'Closed'}]", NULL,
	    "status-pair@0" },
	/* step 4: lifecycle */
	{ "status alone", ACTIVE, "[{'op':'replace','path':'/status','value':'Closed'}]", NULL, "status-pair@0" },
	{ "transition", NEW, "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Won'}]", NULL, "transition@1" },
	{ "system only", NEW, "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Expired'}]", NULL, "transition-system-only@1" },
	{ "intermediate ignored", NEW, "[{'op':'replace','path':'/status','value':'Active'},"
	    "{'op':'replace','path':'/substatus','value':'Accepted'}]", NULL, "" },
	{ "reason warning", ACTIVE, "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Lost'}]", NULL, "status-reason-required@1" },
	{ "reason given", ACTIVE, "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Lost'},"
	    "{'op':'add','path':'/statusReason','value':'Customer chose another vendor'}]", NULL, "" },
	{ "won not too soon", "{'status':'Active','substatus':'Accepted','createdDateTime':'2026-02-26T00:00:00Z'}",
	    "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Won'}]", NULL, "" },
	{ "won just too soon", "{'status':'Active','substatus':'Accepted','createdDateTime':'2026-02-26T00:00:00.001Z'}",
	    "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Won'}]", NULL, "won-too-soon@1" },
	{ "consent", ACTIVE, "[{'op':'replace','path':'/consent/consentToShareReferralWithMicrosoftSellers','value':false}]",
	    NULL, "consent-irreversible@0" },
	{ "consent on", NEW, "[{'op':'replace','path':'/consent/consentToShareReferralWithMicrosoftSellers','value':true}]",
	    NULL, "" },
	{ "closed", LOST, "[{'op':'replace','path':'/name','value':'x'}]", NULL, "referral-closed@0" },
	{ "closed once", LOST, "[{'op':'replace','path':'/name','value':'x'},{'op':'remove','path':'/name'}]", NULL,
	    "op-unsupported@1 referral-closed@0" },
	{ "closed registration", LOST, "[{'op':'add','path':'/registrations/-','value':{}}]", NULL,
	    "referral-closed@0 registration-field@0 registration-field@0 registration-field@0 registration-ineligible@0" },
	{ "won registration", WON, "[{'op':'add','path':'/registrations/-','value':{}}]", NULL,
	    "registration-field@0 registration-field@0 registration-field@0 registration-ineligible@0" },
	{ "won other", WON, "[{'op':'replace','path':'/name','value':'x'}]", NULL, "referral-closed@0" },
	{ "closed empty", LOST, "[]", NULL, "" },
	{ "closed by patch", ACTIVE, "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Lost'},{'op':'add','path':'/statusReason','value':'x'},"
	    "{'op':'add','path':'/registrations/-','value':{}}]", NULL,
	    "referral-closed@3 registration-field@3 registration-field@3 registration-field@3 registration-ineligible@3" },
	{ "not won", NEW, "[{'op':'add','path':'/registrations/-','value':{}}]", NULL,
	    "registration-not-won@0 registration-field@0 registration-field@0 registration-field@0 registration-ineligible@0" },
	{ "etag", NEW, "[]", "xyz", "etag-mismatch" },
	{ "etag weak", NEW, "[]", "W/\"abc\"", "etag-mismatch" },
	{ "etag star", NEW, "[]", "*", "" },
	{ "etag quoted", NEW, "[]", "\"abc\"", "" },
	{ "etag empty", NEW, "[]", "", "record-shape" },
	{ "etag empty, no state", BARE, "[]", "", "record-shape" },
	{ "etag case", NEW, "[]", "ABC", "etag-mismatch" },
	{ "etag bare", NEW, "[]", "abc", "" },
	{ "etag none", BARE, "[]", "xyz", "" },
	{ "duplicate email", NEW, "[{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D',"
	    "'email':'A@B.com','phoneNumber':'0000000001'}}]", NULL, "team-duplicate-email" },
	/* no state */
	{ "patch only", NULL, "[{'op':'replace','path':'/name','value':'x'}]", NULL, "referral-state-missing" },
	{ "patch only bad", NULL, "[{'op':'remove','path':'/name'}]", NULL, "op-unsupported@0 referral-state-missing" },
	{ "patch not array", NEW, "{}", NULL, "record-shape" },
	/*
	 * the state rules in table order (staterules.c): the change of state,
	 * then irreversible members, then unique members, then the eTag
	 */
	{ "state rules in order", ACTIVE, "[{'op':'replace','path':'/status','value':'New'},"
	    "{'op':'replace','path':'/substatus','value':'Pending'},"
	    "{'op':'replace','path':'/consent/consentToShareReferralWithMicrosoftSellers','value':false},"
	    "{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D',"
	    "'email':'A@B.com','phoneNumber':'0000000001'}}]", NULL,
	    "transition@1 consent-irreversible@2 team-duplicate-email" },
	{ "closed first, then etag", "{'id':'r4','name':'Deal','status':'Closed','substatus':'Lost','eTag':'1'}",
	    "[{'op':'replace','path':'/name','value':'x'}]", "2", "referral-closed@0 etag-mismatch" },
	{ "reason, then irreversible", ACTIVE, "[{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Lost'},"
	    "{'op':'replace','path':'/consent/consentToShareReferralWithMicrosoftSellers','value':false}]",
	    NULL, "status-reason-required@1 consent-irreversible@2" },
	/* every independent problem at once */
	{ "all", NEW, "[{'op':'remove','path':'/name'},{'op':'replace','path':'/ID','value':'x'},"
	    "{'op':'replace','path':'/details/dealValue','value':'-1'},{'op':'replace','path':'/team/9/email','value':'a@b.co'}]",
	    "nope", "op-unsupported@0 path-unknown@1 value-range@2 patch-target@3 etag-mismatch" },
};

START_TEST(test_rows)
{
	const struct row *w = &rows[_i];
	rl_value *ref = w->referral ? J(w->referral) : NULL;
	rl_value *patch = J(w->patch);
	rl_value *im = NULL;
	rl_check_opts o;
	rl_result res;

	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(rl_datetime_parse("2026-03-01T00:00:00Z", 20, &o.now), 0);
	if (w->if_match)
		ck_assert_ptr_nonnull(im = rl_json_string(A, w->if_match, strlen(w->if_match)));
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(rl_check_parts(R, A, ref, patch, im, NULL, &o, &res), 0);
	ck_assert_msg(strcmp(codes(&res), w->want) == 0, "%s: got \"%s\", want \"%s\"",
	    w->name, codes(&res), w->want);
}
END_TEST

/* The "did you mean" of path-unknown. */
static const struct hint {
	const char *path;
	const char *want;       /* substring of the message; NULL = no hint */
} hints[] = {
	{ "/details/dealvalue", "did you mean /details/dealValue?" },
	{ "/Details/DealValue", "did you mean /details/dealValue?" },
	{ "/detials/dealValue", "did you mean /details/dealValue?" },
	{ "/details/dealValu", "did you mean /details/dealValue?" },
	{ "/details/dealValuee", "did you mean /details/dealValue?" },
	{ "/team/3/Email", "did you mean /team/3/email?" },
	{ "/substatuss", "did you mean /substatus?" },
	{ "/details/dealVal", NULL },
	{ "/detials/dealvalu", NULL },
	{ "/nothing/like/it", NULL },
};

START_TEST(test_hints)
{
	const struct hint *h = &hints[_i];
	char patch[256];
	rl_check_opts o;
	rl_result res;

	memset(&o, 0, sizeof(o));
	snprintf(patch, sizeof(patch), "[{'op':'replace','path':'%s','value':'1'}]", h->path);
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(rl_check_parts(R, A, J(NEW), J(patch), NULL, NULL, &o, &res), 0);
	ck_assert_uint_ge(res.n, 1);
	ck_assert_str_eq(rl_code_name(res.d[0].code), "path-unknown");
	if (h->want)
		ck_assert_msg(strstr(res.d[0].message, h->want) != NULL, "%s: %s",
		    h->path, res.d[0].message);
	else
		ck_assert_msg(strstr(res.d[0].message, "did you mean") == NULL, "%s: %s",
		    h->path, res.d[0].message);
}
END_TEST

/* What a message names: a member, an item of a whole array, a member of an item. */
static const struct msg {
	const char *referral;
	const char *patch;
	const char *want;       /* substring of the first message */
} msgs[] = {
	{ NEW, "[{'op':'replace','path':'/team','value':[" MEMBER ",{'firstName':'J','lastName':'D',"
	    "'email':'jd.com','phoneNumber':'0000000002'}]}]",
	    "member \"email\" of item 1 of value \"jd.com\" is not an email address" },
	{ NEW, "[{'op':'replace','path':'/team','value':[1]}]",
	    "item 0 of value must be an object, not a number" },
	{ NEW, "[{'op':'add','path':'/team','value':[" MEMBER ",{'firstName':'J','lastName':'D',"
	    "'email':'j@d.com','phoneNumber':'0000000002','contactPreference':{'locale':2}}]}]",
	    "member \"locale\" of member \"contactPreference\" of item 1 of value must be a string" },
	{ NEW, "[{'op':'replace','path':'/details/requirements/solutions','value':[{'id':'SOL-1-A'},{}]}]",
	    "item 1 of value lacks the required member \"id\"" },
	{ NEW, "[{'op':'add','path':" SOL ",'value':{'id':'SOL-1-A','type':'name'}}]",
	    "member \"type\" of value \"name\" is not an allowed value (values are case-sensitive); did you mean \"Name\"?" },
};

START_TEST(test_messages)
{
	const struct msg *m = &msgs[_i];
	rl_check_opts o;
	rl_result res;

	memset(&o, 0, sizeof(o));
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(rl_check_parts(R, A, J(m->referral), J(m->patch), NULL, NULL, &o, &res), 0);
	ck_assert_uint_ge(res.n, 1);
	ck_assert_msg(strstr(res.d[0].message, m->want) != NULL, "want \"%s\" in \"%s\"",
	    m->want, res.d[0].message);
}
END_TEST

/* Limits: 50 members is fine, the 51st is not; an untouched team is not judged. */
START_TEST(test_team_limit)
{
	rl_buf b = RL_BUF_INIT;
	rl_check_opts o;
	rl_result res;
	int i, k;

	for (k = 49; k <= 50; k++) {
		rl_buf_clear(&b);
		rl_buf_puts(&b, "{'name':'x','status':'New','substatus':'Pending','team':[");
		for (i = 0; i < k; i++)
			rl_buf_printf(&b, "%s{'email':'m%d@x.com'}", i ? "," : "", i);
		rl_buf_puts(&b, "]}");
		memset(&o, 0, sizeof(o));
		memset(&res, 0, sizeof(res));
		ck_assert_int_eq(rl_check_parts(R, A, J(rl_buf_cstr(&b)),
		    J("[{'op':'add','path':'/team/-','value':" MEMBER "}]"), NULL, NULL, &o, &res), 0);
		ck_assert_str_eq(codes(&res), k == 49 ? "" : "team-limit@0");
	}
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(rl_check_parts(R, A, J(rl_buf_cstr(&b)),
	    J("[{'op':'replace','path':'/name','value':'x'}]"), NULL, NULL, &o, &res), 0);
	ck_assert_str_eq(codes(&res), "");
	rl_buf_free(&b);
}
END_TEST

/*
 * A whole-array add or replace is held to the limits too: the array after
 * the patch is what counts, and the op that set it is named.
 */
static const struct whole {
	const char *path;       /* the array */
	const char *item;       /* one item, ' for " */
	int before;             /* items in the referral before */
	const char *op;
	int items;              /* items in the op's value */
	const char *extra;      /* an op after it, or NULL */
	const char *want;
} wholes[] = {
	{ "/team", MEMBER, 1, "replace", 50, NULL, "" },
	{ "/team", MEMBER, 1, "replace", 51, NULL, "team-limit@0" },
	{ "/team", MEMBER, 0, "add", 51, NULL, "team-limit@0" },
	{ "/team", MEMBER, 60, "replace", 51, NULL, "team-limit@0" },
	{ "/team", MEMBER, 60, "replace", 50, NULL, "" },
	{ "/team", MEMBER, 1, "replace", 50, "{'op':'add','path':'/team/-','value':" MEMBER "}",
	    "team-limit@1" },
	{ "/team", MEMBER, 51, NULL, 0, "{'op':'replace','path':'/team/0/email','value':'x@y.com'}", "" },
	{ "/details/requirements/solutions", "{'id':'SOL-1-A'}", 0, "replace", 50, NULL, "" },
	{ "/details/requirements/solutions", "{'id':'SOL-1-A'}", 0, "replace", 51, NULL,
	    "solutions-limit@0" },
	{ "/details/requirements/solutions", "{'id':'SOL-1-A'}", 3, "add", 51, NULL,
	    "solutions-limit@0" },
};

static void
items(rl_buf *b, const char *item, int n)
{
	int i;

	rl_buf_puts(b, "[");
	for (i = 0; i < n; i++)
		rl_buf_printf(b, "%s%s", i ? "," : "", item);
	rl_buf_puts(b, "]");
}

START_TEST(test_whole_array_limit)
{
	const struct whole *w = &wholes[_i];
	int solutions = strcmp(w->path, "/team") != 0;
	rl_buf ref = RL_BUF_INIT, patch = RL_BUF_INIT;
	rl_check_opts o;
	rl_result res;

	/* distinct emails would not matter: team-duplicate-email is a warning apart */
	rl_buf_puts(&ref, "{'name':'x','status':'New','substatus':'Pending',");
	rl_buf_puts(&ref, solutions ? "'details':{'requirements':{'solutions':" : "'team':");
	items(&ref, w->item, w->before);
	rl_buf_puts(&ref, solutions ? "}}}" : "}");
	rl_buf_puts(&patch, "[");
	if (w->op != NULL) {
		rl_buf_printf(&patch, "{'op':'%s','path':'%s','value':", w->op, w->path);
		items(&patch, w->item, w->items);
		rl_buf_puts(&patch, "}");
	}
	if (w->extra != NULL)
		rl_buf_printf(&patch, "%s%s", w->op != NULL ? "," : "", w->extra);
	rl_buf_puts(&patch, "]");
	memset(&o, 0, sizeof(o));
	memset(&res, 0, sizeof(res));
	rl_rules_set_severity(R, RL_TEAM_DUPLICATE_EMAIL, RL_SEV_NONE);
	ck_assert_int_eq(rl_check_parts(R, A, J(rl_buf_cstr(&ref)), J(rl_buf_cstr(&patch)),
	    NULL, NULL, &o, &res), 0);
	rl_rules_set_severity(R, RL_TEAM_DUPLICATE_EMAIL, RL_SEV_WARNING);
	ck_assert_msg(strcmp(codes(&res), w->want) == 0, "%s %s of %d: got \"%s\", want \"%s\"",
	    w->op ? w->op : "-", w->path, w->items, codes(&res), w->want);
	rl_buf_free(&ref);
	rl_buf_free(&patch);
}
END_TEST

/* The cap keeps the first N diagnostics and counts the rest. */
START_TEST(test_cap)
{
	rl_check_opts o;
	rl_result res;

	memset(&o, 0, sizeof(o));
	o.max_errors = 2;
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(rl_check_parts(R, A, J(NEW), J("[{'op':'remove','path':'/a'},"
	    "{'op':'remove','path':'/b'},{'op':'remove','path':'/c'}]"), NULL, NULL, &o, &res), 0);
	ck_assert_uint_eq(res.n, 2);
	ck_assert_uint_eq(res.dropped, 1);
	ck_assert_uint_eq(res.errors, 3);
}
END_TEST

/* Record shapes through rl_check_record. */
static const struct shape {
	const char *record;
	const char *want;
	const char *id;
} shapes[] = {
	{ "{'referral':" NEW ",'patch':[]}", "", "r1" },
	{ "{'id':'p1','patch':[]}", "referral-state-missing", "p1" },
	{ "{'id':'p1','patch':[],'ifMatch':'x'}", "referral-state-missing", "p1" },
	{ "{'id':'p1','patch':{}}", "record-shape", "p1" },
	{ "{'id':1,'patch':[]}", "record-shape", NULL },
	{ "{'referral':[],'patch':[]}", "record-shape", NULL },
	{ "{'referral':" NEW "}", "record-shape", "r1" },
	{ "{'referral':" NEW ",'patch':[],'ifMatch':3}", "record-shape", "r1" },
	{ "[1]", "record-shape", NULL },
	{ "{'patch':[]}", "record-shape", NULL },
};

START_TEST(test_shapes)
{
	const struct shape *s = &shapes[_i];
	rl_record rec;
	rl_check_opts o;
	rl_result res;

	memset(&rec, 0, sizeof(rec));
	memset(&o, 0, sizeof(o));
	rec.value = J(s->record);
	rec.source = "t";
	rec.line = rec.index = 1;
	ck_assert_int_eq(rl_check_record(R, A, &rec, &o, &res), 0);
	ck_assert_str_eq(codes(&res), s->want);
	if (s->id)
		ck_assert_str_eq(res.id->u.s.ptr, s->id);
	else
		ck_assert_ptr_null(res.id);
}
END_TEST

/* Severity overrides: a warning does not reject, "none" turns a code off. */
START_TEST(test_severity_override)
{
	rl_check_opts o;
	rl_result res;
	rl_rules *r2 = rl_rules_load(getenv("REFLINT_RULES"), NULL, NULL);

	ck_assert_ptr_nonnull(r2);
	rl_rules_set_severity(r2, RL_OP_UNSUPPORTED, RL_SEV_WARNING);
	rl_rules_set_severity(r2, RL_PATH_UNKNOWN, RL_SEV_NONE);
	memset(&o, 0, sizeof(o));
	memset(&res, 0, sizeof(res));
	ck_assert_int_eq(rl_check_parts(r2, A, J(NEW), J("[{'op':'remove','path':'/name'},"
	    "{'op':'add','path':'/nope','value':1}]"), NULL, NULL, &o, &res), 0);
	ck_assert_str_eq(codes(&res), "op-unsupported@0");
	ck_assert(rl_result_accepted(&res));
	ck_assert_int_eq(res.d[0].severity, RL_SEV_WARNING);
	rl_rules_free(r2);
}
END_TEST

/* Allocation failures anywhere in a record's judgement: -1, never a crash. */
START_TEST(test_nomem)
{
	const char *patch = "[{'op':'remove','path':'/name'},{'op':'replace','path':'/Name','value':'x'},"
	    "{'op':'add','path':'/team/-','value':{'firstName':'J','lastName':'D','email':'j@d.co',"
	    "'phoneNumber':'0000000001','x':1}},{'op':'replace','path':'/status','value':'Closed'},"
	    "{'op':'replace','path':'/substatus','value':'Lost'},{'op':'replace','path':'/team/7/email','value':'a@b.co'},"
	    "{'op':'add','path':'/registrations/-','value':{'type':'AzureIPCoSell'}}]";
	unsigned long n;
	int failures = 0;

	for (n = 1; n < 100000; n++) {
		rl_arena *small = rl_arena_new(16);
		rl_value *ref, *p;
		rl_check_opts o;
		rl_result res;
		int r;

		ck_assert_ptr_nonnull(small);
		ref = J(ACTIVE);
		p = J(patch);
		memset(&o, 0, sizeof(o));
		memset(&res, 0, sizeof(res));
		rl_alloc_fail_after(n);
		r = rl_check_parts(R, small, ref, p, NULL, NULL, &o, &res);
		rl_alloc_fail_after(0);
		rl_arena_free(small);
		if (r == 0)
			break;
		ck_assert_int_eq(r, -1);
		failures++;
	}
	ck_assert_int_gt(failures, 5);
	ck_assert_uint_lt(n, 100000);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("validate");

	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_loop_test(tc, test_rows, 0, N(rows));
	tcase_add_loop_test(tc, test_hints, 0, N(hints));
	tcase_add_loop_test(tc, test_messages, 0, N(msgs));
	tcase_add_test(tc, test_team_limit);
	tcase_add_loop_test(tc, test_whole_array_limit, 0, N(wholes));
	tcase_add_test(tc, test_cap);
	tcase_add_loop_test(tc, test_shapes, 0, N(shapes));
	tcase_add_test(tc, test_severity_override);
	tcase_add_test(tc, test_nomem);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run_with_rules(suite, &R);
}
