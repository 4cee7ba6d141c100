/*
 * check_registration.c: deal registrations (reflint(1), Judging).
 * Each row starts from the seed's own registration request on a referral
 * that satisfies all five policies, changes one thing with an RFC 6902
 * patch (on the registration, the referral or the record), and says which
 * codes must come out.  Every policy passes and fails; the deal-value
 * boundaries and the date windows are covered on both sides.
 * JSON is written with ' for ".
 */
#include "config.h"

#include <stdio.h>

#include "datetime.h"
#include "output.h"
#include "patch.h"
#include "policies.h"
#include "rules.h"
#include "tests.h"
#include "validate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static rl_rules *R;

static const char *
codes(const rl_result *res)
{
	static char buf[1024];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < res->n; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    n ? " " : "", rl_code_name(res->d[i].code));
	return buf;
}

/* The seed's registration request, verbatim. */
#define SEED_REG "{'type':'AzureIPCoSell','contract':{'currency':'USD'," \
	"'endDateTime':'2026-02-28T09:14:19.454Z','signDateTime':'2026-02-12T09:14:10.783Z'," \
	"'startDateTime':'2026-02-12T09:14:16.319Z','term':'Finite','value':250000}," \
	"'solutionDetails':[{'id':'DEAL-123456-XYZ','isDeployedOnAzure':true," \
	"'marketplaceTransactionDetails':{'isMarketplaceTransacted':true," \
	"'marketplaceTransactionDateTime':'2026-02-11T09:13:52.105Z'}," \
	"'primaryDeploymentOn':'Partner','pricingModel':'Other','value':250000,'currency':'USD'}]}"

/* A won co-sell referral that meets the five policies. */
#define ELIGIBLE "{'id':'e1','engagementId':'g1','type':'Shared','status':'Closed','substatus':'Won'," \
	"'createdDateTime':'2025-12-01T00:00:00Z'," \
	"'consent':{'consentToShareReferralWithMicrosoftSellers':false}," \
	"'customerProfile':{'isMatchingComplete':true,'matchedAccountType':'Managed'}," \
	"'details':{'dealValue':'30000','currency':'USD','requirements':{'solutions':[" \
	"{'id':'DEAL-123456-XYZ','name':'Contoso Experience Platform'," \
	"'incentives':['MSFT Internal Azure IP Co-Sell']}]}}}"

#define RECORD "{'microsoftReferral':{'status':'Active','substatus':'Accepted'}}"
/* A referral as the API returns it: no account type (policy 5) */
#define NO_TYPE "[{'op':'remove','path':'/customerProfile/matchedAccountType'}]"
#define NOW "2026-02-20T00:00:00Z"

static const struct row {
	const char *name;
	const char *reg;        /* patch on the registration, or NULL */
	const char *ref;        /* patch on the referral, or NULL */
	const char *rec;        /* patch on the record, or NULL */
	const char *want;
	const char *rates;      /* rates file, or NULL */
} rows[] = {
	{ "seed", NULL, NULL, NULL, "", NULL },
	/* fields */
	{ "type", "[{'op':'replace','path':'/type','value':'Other'}]", NULL, NULL, "registration-field", NULL },
	{ "value string", "[{'op':'replace','path':'/contract/value','value':'250000'}]", NULL, NULL,
	    "registration-field", NULL },
	{ "value zero", "[{'op':'replace','path':'/contract/value','value':0},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':1}]", NULL, NULL,
	    "registration-field", NULL },
	/* amounts the API's System.Decimal holds exactly, and two it does not */
	{ "value past .NET decimal", "[{'op':'replace','path':'/contract/value',"
	    "'value':79228162514264337593543950336}]", NULL, NULL, "registration-field", NULL },
	{ "solution value past .NET precision", "[{'op':'replace','path':'/solutionDetails/0/value',"
	    "'value':1.00000000000000000000000000001}]", NULL, NULL, "registration-field", NULL },
	{ "value at .NET precision", "[{'op':'replace','path':'/contract/value',"
	    "'value':250000.0000000000000000000001}]", NULL, NULL, "", NULL },
	{ "no term", "[{'op':'remove','path':'/contract/term'}]", NULL, NULL, "registration-field", NULL },
	{ "bad term", "[{'op':'replace','path':'/contract/term','value':'finite'}]", NULL, NULL, "registration-field", NULL },
	{ "no end, finite", "[{'op':'remove','path':'/contract/endDateTime'}]", NULL, NULL, "registration-field", NULL },
	{ "no end, perpetual", "[{'op':'remove','path':'/contract/endDateTime'},"
	    "{'op':'replace','path':'/contract/term','value':'Perpetual'}]", NULL, NULL, "", NULL },
	{ "no sign", "[{'op':'remove','path':'/contract/signDateTime'}]", NULL, NULL, "registration-field", NULL },
	{ "date only", "[{'op':'replace','path':'/contract/startDateTime','value':'2026-02-12'}]", NULL, NULL,
	    "registration-field", NULL },
	{ "currency", "[{'op':'replace','path':'/contract/currency','value':'usd'}]", NULL, NULL,
	    "registration-field", NULL },
	{ "no contract", "[{'op':'remove','path':'/contract'}]", NULL, NULL,
	    "registration-field", NULL },
	/* dates */
	{ "end before start", "[{'op':'replace','path':'/contract/endDateTime','value':'2026-02-12T09:14:16.318Z'}]",
	    NULL, NULL, "registration-dates", NULL },
	{ "end equals start", "[{'op':'replace','path':'/contract/endDateTime','value':'2026-02-12T09:14:16.319Z'}]",
	    NULL, NULL, "", NULL },
	{ "sign future", "[{'op':'replace','path':'/contract/signDateTime','value':'2026-02-20T00:00:00.001Z'}]",
	    NULL, NULL, "registration-dates", NULL },
	{ "sign now", "[{'op':'replace','path':'/contract/signDateTime','value':'2026-02-20T00:00:00Z'}]",
	    NULL, NULL, "", NULL },
	{ "sign 60 days", "[{'op':'replace','path':'/contract/signDateTime','value':'2025-12-22T00:00:00Z'}]",
	    NULL, NULL, "", NULL },
	{ "sign 60 days and a bit", "[{'op':'replace','path':'/contract/signDateTime','value':'2025-12-21T23:59:59.999Z'}]",
	    NULL, NULL, "registration-dates", NULL },
	{ "sign before created", NULL, "[{'op':'replace','path':'/createdDateTime','value':'2026-02-13T00:00:00Z'}]",
	    NULL, "registration-dates", NULL },
	{ "start 90 days", "[{'op':'replace','path':'/contract/startDateTime','value':'2025-11-22T00:00:00Z'}]",
	    NULL, NULL, "", NULL },
	{ "start 90 days and a bit", "[{'op':'replace','path':'/contract/startDateTime','value':'2025-11-21T23:59:59Z'}]",
	    NULL, NULL, "registration-dates", NULL },
	{ "start in the future", "[{'op':'replace','path':'/contract/startDateTime','value':'2026-02-27T00:00:00Z'}]",
	    NULL, NULL, "", NULL },
	/* annual value */
	{ "finite under a year, at threshold", "[{'op':'replace','path':'/contract/value','value':25000},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':25000}]", NULL, NULL, "registration-value", NULL },
	{ "finite under a year, above", "[{'op':'replace','path':'/contract/value','value':25000.01},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':25000}]", NULL, NULL, "", NULL },
	{ "finite two years, at threshold", "[{'op':'replace','path':'/contract/startDateTime','value':'2026-02-12T00:00:00Z'},"
	    "{'op':'replace','path':'/contract/endDateTime','value':'2028-02-12T00:00:00Z'},"
	    "{'op':'replace','path':'/contract/value','value':50000},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':1}]", NULL, NULL, "registration-value", NULL },
	{ "finite two years, above", "[{'op':'replace','path':'/contract/startDateTime','value':'2026-02-12T00:00:00Z'},"
	    "{'op':'replace','path':'/contract/endDateTime','value':'2028-02-12T00:00:00Z'},"
	    "{'op':'replace','path':'/contract/value','value':50000.01},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':1}]", NULL, NULL, "", NULL },
	{ "perpetual at threshold", "[{'op':'replace','path':'/contract/term','value':'Perpetual'},"
	    "{'op':'replace','path':'/contract/value','value':150000},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':1}]", NULL, NULL, "registration-value", NULL },
	{ "perpetual above", "[{'op':'replace','path':'/contract/term','value':'Perpetual'},"
	    "{'op':'replace','path':'/contract/value','value':1.50000000000000000001e5},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':1}]", NULL, NULL, "", NULL },
	/* an annual value without a rate cannot be compared: unverified, not failed */
	{ "contract EUR, no rate", "[{'op':'replace','path':'/contract/currency','value':'EUR'}]", NULL, NULL,
	    "registration-unverified", NULL },
	{ "contract EUR, no rate, a policy fails", "[{'op':'replace','path':'/contract/currency','value':'EUR'}]",
	    "[{'op':'replace','path':'/details/dealValue','value':25000}]", NULL, "registration-ineligible", NULL },
	{ "contract EUR, rate", "[{'op':'replace','path':'/contract/currency','value':'EUR'},"
	    "{'op':'replace','path':'/solutionDetails/0/currency','value':'EUR'}]", NULL, NULL, "",
	    "{'base':'USD','rates':{'EUR':0.92}}" },
	/* solutions */
	{ "no solutions", "[{'op':'replace','path':'/solutionDetails','value':[]}]", NULL, NULL, "registration-field", NULL },
	{ "solution not on referral", "[{'op':'replace','path':'/solutionDetails/0/id','value':'SOL-1-X'}]", NULL, NULL,
	    "registration-solution", NULL },
	{ "not azure", "[{'op':'replace','path':'/solutionDetails/0/isDeployedOnAzure','value':false}]", NULL, NULL,
	    "registration-not-azure", NULL },
	{ "azure missing", "[{'op':'remove','path':'/solutionDetails/0/isDeployedOnAzure'}]", NULL, NULL,
	    "registration-field", NULL },
	{ "deployment", "[{'op':'replace','path':'/solutionDetails/0/primaryDeploymentOn','value':'Cloud'}]", NULL, NULL,
	    "registration-field", NULL },
	{ "pricing missing", "[{'op':'remove','path':'/solutionDetails/0/pricingModel'}]", NULL, NULL,
	    "registration-field", NULL },
	{ "marketplace date missing", "[{'op':'remove','path':'/solutionDetails/0/marketplaceTransactionDetails/marketplaceTransactionDateTime'}]",
	    NULL, NULL, "registration-field", NULL },
	{ "not transacted, no date", "[{'op':'remove','path':'/solutionDetails/0/marketplaceTransactionDetails/marketplaceTransactionDateTime'},"
	    "{'op':'replace','path':'/solutionDetails/0/marketplaceTransactionDetails/isMarketplaceTransacted','value':false}]",
	    NULL, NULL, "", NULL },
	{ "not transacted, bad date ignored", "[{'op':'replace','path':'/solutionDetails/0/marketplaceTransactionDetails/marketplaceTransactionDateTime','value':'x'},"
	    "{'op':'replace','path':'/solutionDetails/0/marketplaceTransactionDetails/isMarketplaceTransacted','value':false}]",
	    NULL, NULL, "", NULL },
	{ "solution above contract", "[{'op':'replace','path':'/solutionDetails/0/value','value':250000.5}]", NULL, NULL,
	    "registration-value", NULL },
	{ "solution equals contract", "[{'op':'replace','path':'/solutionDetails/0/value','value':2.5e5}]", NULL, NULL, "", NULL },
	{ "solution EUR, no rate: skipped", "[{'op':'replace','path':'/solutionDetails/0/currency','value':'EUR'},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':260000}]", NULL, NULL, "", NULL },
	{ "solution EUR, rate", "[{'op':'replace','path':'/solutionDetails/0/currency','value':'EUR'},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':230000.01}]", NULL, NULL,
	    "registration-value", "{'base':'USD','rates':{'EUR':0.92}}" },
	{ "solution EUR, rate, equal", "[{'op':'replace','path':'/solutionDetails/0/currency','value':'EUR'},"
	    "{'op':'replace','path':'/solutionDetails/0/value','value':230000}]", NULL, NULL,
	    "", "{'base':'USD','rates':{'EUR':0.92}}" },
	/* policy 1 */
	{ "private", NULL, "[{'op':'replace','path':'/type','value':'Independent'}]", NULL, "registration-ineligible", NULL },
	{ "partner-led", NULL, "[{'op':'replace','path':'/type','value':'Independent'},"
	    "{'op':'replace','path':'/consent/consentToShareReferralWithMicrosoftSellers','value':true}]",
	    "[{'op':'remove','path':'/microsoftReferral'}]", "", NULL },
	/* policy 2: no Microsoft referral found is unverified (--referrals or related) */
	{ "no microsoft referral", NULL, NULL, "[{'op':'remove','path':'/microsoftReferral'}]", "registration-unverified", NULL },
	{ "microsoft pending", NULL, NULL, "[{'op':'replace','path':'/microsoftReferral/substatus','value':'Pending'},"
	    "{'op':'replace','path':'/microsoftReferral/status','value':'New'}]", "registration-ineligible", NULL },
	{ "microsoft won", NULL, NULL, "[{'op':'replace','path':'/microsoftReferral/substatus','value':'Won'},"
	    "{'op':'replace','path':'/microsoftReferral/status','value':'Closed'}]", "", NULL },
	{ "related", NULL, NULL, "[{'op':'remove','path':'/microsoftReferral'},{'op':'add','path':'/related','value':["
	    "{'engagementId':'g1','organizationName':'Contoso','status':'New','substatus':'Pending'},"
	    "{'engagementId':'g1','organizationName':'Microsoft Corporation','status':'Active','substatus':'Accepted'}]}]", "", NULL },
	{ "related other engagement", NULL, NULL, "[{'op':'remove','path':'/microsoftReferral'},{'op':'add','path':'/related','value':["
	    "{'engagementId':'g2','organizationName':'Microsoft Corporation','status':'Active','substatus':'Accepted'}]}]",
	    "registration-unverified", NULL },
	{ "related not Microsoft's", NULL, NULL, "[{'op':'remove','path':'/microsoftReferral'},{'op':'add','path':'/related','value':["
	    "{'engagementId':'g1','organizationName':'Contoso','status':'Active','substatus':'Accepted'}]}]",
	    "registration-unverified", NULL },
	/* policy 3: unknown incentives are unverified; known and none eligible fails */
	{ "no incentives", NULL, "[{'op':'remove','path':'/details/requirements/solutions/0/incentives'}]", NULL,
	    "registration-unverified", NULL },
	{ "empty incentives", NULL, "[{'op':'replace','path':'/details/requirements/solutions/0/incentives','value':[]}]", NULL,
	    "registration-ineligible", NULL },
	{ "one known without, one unknown", NULL, "[{'op':'replace','path':'/details/requirements/solutions/0/incentives','value':['Other']},"
	    "{'op':'add','path':'/details/requirements/solutions/-','value':{'id':'SOL-2-B','name':'B'}}]", NULL,
	    "registration-unverified", NULL },
	{ "one unknown, one eligible", NULL, "[{'op':'add','path':'/details/requirements/solutions/0','value':{'id':'SOL-2-B','name':'B'}}]",
	    NULL, "", NULL },
	{ "no solutions on the referral", NULL, "[{'op':'replace','path':'/details/requirements/solutions','value':[]}]", NULL,
	    "registration-solution registration-ineligible", NULL },
	{ "incentive without dash, any case", NULL, "[{'op':'replace','path':'/details/requirements/solutions/0/incentives',"
	    "'value':['Other','msft internal azure ip cosell']}]", NULL, "", NULL },
	{ "other incentive", NULL, "[{'op':'replace','path':'/details/requirements/solutions/0/incentives',"
	    "'value':['MSFT Internal Azure IP Co-Sell Plus']}]", NULL, "registration-ineligible", NULL },
	/* policy 4: exact decimal boundaries */
	{ "deal 25000", NULL, "[{'op':'replace','path':'/details/dealValue','value':25000}]", NULL, "registration-ineligible", NULL },
	{ "deal 25000.00", NULL, "[{'op':'replace','path':'/details/dealValue','value':25000.00}]", NULL, "registration-ineligible", NULL },
	{ "deal '25000.00'", NULL, "[{'op':'replace','path':'/details/dealValue','value':'25000.00'}]", NULL, "registration-ineligible", NULL },
	{ "deal 25000.01", NULL, "[{'op':'replace','path':'/details/dealValue','value':25000.01}]", NULL, "", NULL },
	{ "deal '25000.01'", NULL, "[{'op':'replace','path':'/details/dealValue','value':'25000.01'}]", NULL, "", NULL },
	{ "deal 1e5", NULL, "[{'op':'replace','path':'/details/dealValue','value':1e5}]", NULL, "", NULL },
	{ "deal 2.5e4", NULL, "[{'op':'replace','path':'/details/dealValue','value':2.5e4}]", NULL, "registration-ineligible", NULL },
	{ "deal 40 digits", NULL, "[{'op':'replace','path':'/details/dealValue','value':'1234567890123456789012345678901234567890'}]",
	    NULL, "", NULL },
	{ "deal 25000.000...01", NULL, "[{'op':'replace','path':'/details/dealValue','value':'25000.0000000000000000000000000000000001'}]",
	    NULL, "", NULL },
	{ "deal EUR no rate", NULL, "[{'op':'replace','path':'/details/currency','value':'EUR'}]", NULL, "registration-unverified", NULL },
	{ "deal EUR, rates without EUR", NULL, "[{'op':'replace','path':'/details/currency','value':'EUR'}]", NULL,
	    "registration-unverified", "{'base':'USD','rates':{'GBP':0.8}}" },
	{ "deal currency not a code", NULL, "[{'op':'replace','path':'/details/currency','value':'eur'}]", NULL,
	    "registration-ineligible", NULL },
	{ "deal value missing, EUR", NULL, "[{'op':'replace','path':'/details/currency','value':'EUR'},"
	    "{'op':'remove','path':'/details/dealValue'}]", NULL, "registration-ineligible", NULL },
	{ "deal EUR at threshold", NULL, "[{'op':'replace','path':'/details/currency','value':'EUR'},"
	    "{'op':'replace','path':'/details/dealValue','value':'23000'}]", NULL, "registration-ineligible",
	    "{'base':'USD','rates':{'EUR':0.92}}" },
	{ "deal EUR above", NULL, "[{'op':'replace','path':'/details/currency','value':'EUR'},"
	    "{'op':'replace','path':'/details/dealValue','value':'23000.01'}]", NULL, "",
	    "{'base':'USD','rates':{'EUR':0.92}}" },
	/* policy 5 */
	{ "matching as string", NULL, "[{'op':'replace','path':'/customerProfile/isMatchingComplete','value':'true'}]", NULL, "", NULL },
	{ "matching false", NULL, "[{'op':'replace','path':'/customerProfile/isMatchingComplete','value':false}]", NULL,
	    "registration-ineligible", NULL },
	{ "not managed", NULL, "[{'op':'replace','path':'/customerProfile/matchedAccountType','value':'Unmanaged'}]", NULL,
	    "registration-ineligible", NULL },
	{ "no account type", NULL, "[{'op':'remove','path':'/customerProfile/matchedAccountType'}]", NULL,
	    "registration-unverified", NULL },
	{ "no account type, matching not complete", NULL, "[{'op':'remove','path':'/customerProfile/matchedAccountType'},"
	    "{'op':'replace','path':'/customerProfile/isMatchingComplete','value':false}]", NULL,
	    "registration-ineligible", NULL },
	{ "account type from the record", NULL, "[{'op':'remove','path':'/customerProfile/matchedAccountType'}]",
	    "[{'op':'add','path':'/matchedAccountType','value':'Managed'}]", "", NULL },
	{ "account type from the record, unmanaged", NULL, "[{'op':'remove','path':'/customerProfile/matchedAccountType'}]",
	    "[{'op':'add','path':'/matchedAccountType','value':'Unmanaged'}]", "registration-ineligible", NULL },
	{ "the referral's account type before the record's", NULL, NULL,
	    "[{'op':'add','path':'/matchedAccountType','value':'Unmanaged'}]", "", NULL },
	/* state */
	{ "not won", NULL, "[{'op':'replace','path':'/substatus','value':'Accepted'},"
	    "{'op':'replace','path':'/status','value':'Active'}]", NULL, "registration-not-won", NULL },
};

/* An input file's value, checked as main.c checks it. */
static const rl_value *
input(int kind, const char *text)
{
	rl_value *v = J(text);
	rl_diag d = RL_DIAG_INIT;

	ck_assert_msg(rl_inputs_check(R, kind, v, &d) == 0, "%s: %s", text, d.message);
	return v;
}

static rl_value *
patched(const char *doc, const char *patch)
{
	rl_value *v = J(doc);
	rl_diag d = RL_DIAG_INIT;

	if (patch != NULL)
		ck_assert_msg(rl_patch_apply(A, &v, J(patch), &d) == 0, "%s: %s", patch, d.message);
	return v;
}

/* Judges the record rec whose referral ref gets `add /registrations/-` reg. */
static void
judge(rl_value *ref, rl_value *reg, const rl_value *rec, const rl_inputs *in,
    rl_result *res)
{
	rl_value *patch = rl_json_array(A, 1), *op = rl_json_object(A, 3);
	rl_check_opts o;

	memset(&o, 0, sizeof(o));
	o.inputs = in;
	ck_assert_int_eq(rl_datetime_parse(NOW, strlen(NOW), &o.now), 0);
	ck_assert_int_eq(rl_json_object_insert(A, op, 0, "op", 2, J("'add'")), 0);
	ck_assert_int_eq(rl_json_object_insert(A, op, 1, "path", 4, J("'/registrations/-'")), 0);
	ck_assert_int_eq(rl_json_object_insert(A, op, 2, "value", 5, reg), 0);
	ck_assert_int_eq(rl_json_array_insert(A, patch, 0, op), 0);
	memset(res, 0, sizeof(*res));
	ck_assert_int_eq(rl_check_parts(R, A, ref, patch, NULL, rec, &o, res), 0);
}

START_TEST(test_rows)
{
	const struct row *w = &rows[_i];
	rl_inputs in;
	rl_result res;

	memset(&in, 0, sizeof(in));
	if (w->rates)
		in.rates = input(RL_RATES, w->rates);
	judge(patched(ELIGIBLE, w->ref), patched(SEED_REG, w->reg),
	    patched(RECORD, w->rec), &in, &res);
	ck_assert_msg(strcmp(codes(&res), w->want) == 0, "%s: got \"%s\" (%s), want \"%s\"",
	    w->name, codes(&res), res.n ? res.d[0].message : "", w->want);
}
END_TEST

/*
 * The account type of policy 5 from an accounts file: by referral id, else
 * by engagement id; after the referral's own member, before the record's.
 */
static const struct acc_row {
	const char *name;
	const char *accounts;   /* the file, or NULL */
	const char *ref;        /* patch on the referral, or NULL */
	const char *rec;        /* patch on the record, or NULL */
	const char *want;
} acc_rows[] = {
	{ "no account type anywhere", NULL, NO_TYPE, NULL, "registration-unverified" },
	{ "referral id: Managed", "{'e1':'Managed'}", NO_TYPE, NULL, "" },
	{ "referral id: Unmanaged", "{'e1':'Unmanaged'}", NO_TYPE, NULL, "registration-ineligible" },
	{ "engagement id: Managed", "{'a':'Unmanaged','g1':'Managed','z':'Unmanaged'}", NO_TYPE, NULL, "" },
	{ "engagement id: Unmanaged", "{'g1':'Unmanaged'}", NO_TYPE, NULL, "registration-ineligible" },
	{ "referral id before engagement id", "{'g1':'Unmanaged','e1':'Managed'}", NO_TYPE, NULL, "" },
	{ "another referral only", "{'e2':'Managed','g2':'Managed'}", NO_TYPE, NULL, "registration-unverified" },
	{ "ids compare exactly", "{'E1':'Managed'}", NO_TYPE, NULL, "registration-unverified" },
	{ "the referral's member first", "{'e1':'Unmanaged'}", NULL, NULL, "" },
	{ "the file before the record's", "{'e1':'Unmanaged'}", NO_TYPE,
	  "[{'op':'add','path':'/matchedAccountType','value':'Managed'}]", "registration-ineligible" },
	{ "the record's when the file has none", "{'e2':'Unmanaged'}", NO_TYPE,
	  "[{'op':'add','path':'/matchedAccountType','value':'Managed'}]", "" },
	{ "matching not complete fails whatever the file says", "{'e1':'Managed'}",
	  "[{'op':'remove','path':'/customerProfile/matchedAccountType'},"
	  "{'op':'replace','path':'/customerProfile/isMatchingComplete','value':'false'}]", NULL,
	  "registration-ineligible" },
	{ "many accounts, found by binary search",
	  "{'r9':'Unmanaged','r1':'Unmanaged','g0':'Unmanaged','e10':'Unmanaged','e':'Unmanaged',"
	  "'e1':'Managed','f':'Unmanaged','e0':'Unmanaged','r5':'Unmanaged'}", NO_TYPE, NULL, "" },
};

START_TEST(test_accounts)
{
	const struct acc_row *w = &acc_rows[_i];
	rl_inputs in;
	rl_result res;

	memset(&in, 0, sizeof(in));
	if (w->accounts)
		in.accounts = input(RL_ACCOUNTS, w->accounts);
	judge(patched(ELIGIBLE, w->ref), J(SEED_REG), patched(RECORD, w->rec), &in, &res);
	ck_assert_msg(strcmp(codes(&res), w->want) == 0, "%s: got \"%s\" (%s), want \"%s\"",
	    w->name, codes(&res), res.n ? res.d[0].message : "", w->want);
	if (res.n > 0 && strcmp(w->want, "registration-unverified") == 0)
		ck_assert_str_eq(res.d[0].message, "unverified: isCustomerManaged "
		    "(--accounts or customerProfile.matchedAccountType)");
}
END_TEST

/*
 * Four policies and the annual value unverified at once, with two
 * currencies so that nothing is named together: the message lists them
 * all, whole, within RL_DIAG_MSG.
 */
START_TEST(test_unverified_message)
{
	rl_value *ref = patched(ELIGIBLE,
	    "[{'op':'remove','path':'/customerProfile/matchedAccountType'},"
	    "{'op':'remove','path':'/details/requirements/solutions/0/incentives'},"
	    "{'op':'replace','path':'/details/currency','value':'EUR'}]");
	rl_value *reg = patched(SEED_REG,
	    "[{'op':'replace','path':'/contract/currency','value':'GBP'},"
	    "{'op':'remove','path':'/solutionDetails/0/currency'}]");
	static const char want[] = "unverified: isMicrosoftReferralAcceptedOrWon "
	    "(--referrals or related); isSolutionIncentiveEligible (--catalog); "
	    "isDealValueEligible (--rates: EUR); isCustomerManaged "
	    "(--accounts or customerProfile.matchedAccountType); "
	    "annual value (--rates: GBP)";
	rl_inputs in;
	rl_result res;

	memset(&in, 0, sizeof(in));
	judge(ref, reg, J("{}"), &in, &res);
	ck_assert_str_eq(codes(&res), "registration-unverified");
	ck_assert_str_eq(res.d[0].message, want);
	ck_assert_uint_lt(sizeof(want), RL_DIAG_MSG);
	/* one currency: the deal value and the annual value named together */
	judge(patched(ELIGIBLE, "[{'op':'replace','path':'/details/currency','value':'EUR'}]"),
	    patched(SEED_REG, "[{'op':'replace','path':'/contract/currency','value':'EUR'},"
	    "{'op':'remove','path':'/solutionDetails/0/currency'}]"), J(RECORD), &in, &res);
	ck_assert_str_eq(res.d[0].message, "unverified: isDealValueEligible, "
	    "annual value (--rates: EUR)");
	/* --severity registration-unverified=error: a strict run rejects it */
	rl_rules_set_severity(R, RL_REGISTRATION_UNVERIFIED, RL_SEV_ERROR);
	judge(patched(ELIGIBLE, "[{'op':'replace','path':'/details/currency','value':'EUR'}]"),
	    J(SEED_REG), J(RECORD), &in, &res);
	rl_rules_set_severity(R, RL_REGISTRATION_UNVERIFIED, RL_SEV_WARNING);
	ck_assert_str_eq(codes(&res), "registration-unverified");
	ck_assert(!rl_result_accepted(&res));
}
END_TEST

/* The eligibility response: a third array, isEligible null, and a reason. */
START_TEST(test_eligibility_output)
{
	struct rl_policy_result pr[RL_POLICY_COUNT];
	rl_buf b = RL_BUF_INIT;

	ck_assert_int_eq(rl_policies_eval(R, patched(ELIGIBLE,
	    "[{'op':'remove','path':'/customerProfile/matchedAccountType'}]"),
	    J(RECORD), NULL, pr), 0);
	ck_assert_int_eq(rl_out_eligibility(&b, pr), 0);
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&b), "{\"isEligible\":false,\"passedPolicies\":["));
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&b), "],\"failedPolicies\":[],\"unverifiedPolicies\":"
	    "[{\"policyName\":\"isCustomerManaged\",\"isEligible\":null,"
	    "\"referralProperties\":{\"isMatchingComplete\":\"true\"},\"additionalProperties\":[],"
	    "\"reason\":\"no account type was given for the matched customer "
	    "(customerProfile.matchedAccountType, --accounts or the spreadsheet's account columns)\"}]}"));
	ck_assert_ptr_null(strstr(rl_buf_cstr(&b), "\"Managed\""));
	rl_buf_clear(&b);
	ck_assert_int_eq(rl_policies_eval(R, J(ELIGIBLE), J(RECORD), NULL, pr), 0);
	ck_assert_int_eq(rl_out_eligibility(&b, pr), 0);
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&b), "{\"isEligible\":true,"));
	ck_assert_ptr_nonnull(strstr(rl_buf_cstr(&b), ",\"failedPolicies\":[],\"unverifiedPolicies\":[]}"));
	rl_buf_free(&b);
}
END_TEST

START_TEST(test_partner)
{
	rl_inputs in;
	rl_check_opts o;
	rl_result res;
	int k;

	for (k = 0; k < 2; k++) {
		memset(&in, 0, sizeof(in));
		memset(&o, 0, sizeof(o));
		in.partner = input(RL_PARTNER, k ? "{'isEligible':true,'policies':[{'isEligible':true}]}" :
		    "{'isEligible':false,'policies':[{'isEligible':false}]}");
		o.inputs = &in;
		ck_assert_int_eq(rl_datetime_parse(NOW, strlen(NOW), &o.now), 0);
		memset(&res, 0, sizeof(res));
		ck_assert_int_eq(rl_check_parts(R, A, J(ELIGIBLE),
		    J("[{'op':'add','path':'/registrations/-','value':" SEED_REG "}]"),
		    NULL, J(RECORD), &o, &res), 0);
		ck_assert_str_eq(codes(&res), k ? "" : "partner-ineligible");
	}
}
END_TEST

/* A catalog supplies incentives a solution does not carry inline. */
START_TEST(test_catalog)
{
	rl_value *ref = patched(ELIGIBLE,
	    "[{'op':'remove','path':'/details/requirements/solutions/0/incentives'}]");
	struct rl_policy_result pr[RL_POLICY_COUNT];
	rl_inputs in;

	memset(&in, 0, sizeof(in));
	ck_assert_int_eq(rl_policies_eval(R, ref, J(RECORD), &in, pr), 0);
	ck_assert_int_eq(pr[2].outcome, RL_POLICY_UNVERIFIED);
	ck_assert_str_eq(pr[2].decider, "--catalog");
	ck_assert_uint_eq(pr[2].nextra, 0);
	ck_assert_uint_eq(pr[2].nprops, 0);
	in.catalog = input(RL_CATALOG, "{'DEAL-123456-XYZ':['MSFT Internal Azure IP Co-Sell']}");
	ck_assert_int_eq(rl_policies_eval(R, ref, J(RECORD), &in, pr), 0);
	ck_assert_int_eq(pr[2].outcome, RL_POLICY_PASSED);
	ck_assert_uint_eq(pr[2].nextra, 1);
	/* the catalog lists it without the incentive: known, so failed */
	in.catalog = input(RL_CATALOG, "{'DEAL-123456-XYZ':['Other']}");
	ck_assert_int_eq(rl_policies_eval(R, ref, J(RECORD), &in, pr), 1);
	ck_assert_int_eq(pr[2].outcome, RL_POLICY_FAILED);
}
END_TEST

/* The seed's eligibility example: what each policy reports. */
START_TEST(test_seed_eligibility)
{
	struct rl_policy_result pr[RL_POLICY_COUNT];
	int i;

	ck_assert_int_eq(rl_policies_eval(R, J(ELIGIBLE), J(RECORD), NULL, pr), 0);
	for (i = 0; i < RL_POLICY_COUNT; i++) {
		ck_assert_int_eq(pr[i].outcome, RL_POLICY_PASSED);
		ck_assert_str_eq(pr[i].name, rl_policy_names[i]);
	}
	ck_assert_str_eq(pr[0].props[0].key, "type");
	ck_assert_int_eq(strncmp(pr[0].props[0].s, "Shared", 6), 0);
	ck_assert_int_eq(strncmp(pr[1].props[1].s, "Accepted", 8), 0);
	ck_assert_int_eq(strncmp(pr[2].props[0].s, "DEAL-123456-XYZ", 15), 0);
	ck_assert_int_eq(strncmp(pr[2].extra[0], "MSFT Internal Azure IP Co-Sell", 30), 0);
	ck_assert_int_eq(strncmp(pr[3].props[1].s, "30000", 5), 0);
	ck_assert_int_eq(strncmp(pr[4].props[0].s, "true", 4), 0);
	ck_assert_int_eq(strncmp(pr[4].extra[0], "Managed", 7), 0);
}
END_TEST

static const struct bad_input {
	int kind;
	const char *text;
} bad_inputs[] = {
	{ RL_RATES, "{'base':'EUR','rates':{}}" },
	{ RL_RATES, "{'base':'USD','rates':{'EUR':0}}" },
	{ RL_RATES, "{'base':'USD','rates':{'EUR':'0.9'}}" },
	{ RL_RATES, "{'base':'USD','rates':{'eur':0.9}}" },
	{ RL_RATES, "{'base':'USD'}" },
	{ RL_CATALOG, "{'SOL-1-A':'x'}" },
	{ RL_CATALOG, "{'SOL-1-A':[1]}" },
	{ RL_PARTNER, "{'policies':[]}" },
	{ RL_PARTNER, "[]" },
	{ RL_ACCOUNTS, "{'r-1':'managed'}" },
	{ RL_ACCOUNTS, "{'r-1':'Managed','r-2':true}" },
	{ RL_ACCOUNTS, "{'r-1':null}" },
	{ RL_ACCOUNTS, "['r-1']" },
};

START_TEST(test_bad_inputs)
{
	rl_diag d = RL_DIAG_INIT;

	ck_assert_int_eq(rl_inputs_check(R, bad_inputs[_i].kind, J(bad_inputs[_i].text), &d), -1);
	ck_assert_int_eq(d.code, RL_RULES_ERROR);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("registration");
	TCase *tc = tcase_create("registration");

	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_loop_test(tc, test_rows, 0, N(rows));
	tcase_add_loop_test(tc, test_accounts, 0, N(acc_rows));
	tcase_add_test(tc, test_unverified_message);
	tcase_add_test(tc, test_eligibility_output);
	tcase_add_test(tc, test_partner);
	tcase_add_test(tc, test_catalog);
	tcase_add_test(tc, test_seed_eligibility);
	tcase_add_loop_test(tc, test_bad_inputs, 0, N(bad_inputs));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run_with_rules(suite, &R);
}
