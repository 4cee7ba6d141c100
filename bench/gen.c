/*
 * gen.c: the benchmark's input generator (README, Performance).
 *
 * Writes realistic, deterministic batches of Partner Center referral
 * updates to stdout.  Every record is drawn from its own PRNG stream,
 * seeded from (--seed, record index), so the five kinds below describe the
 * same logical records and can be checked against one another:
 *
 *   paired     {"referral":{…},"patch":[…]} (+ ifMatch, microsoftReferral)
 *   patch      {"id":…,"ifMatch":…,"patch":[…]}: record i's patch alone
 *   snapshot   record i's referral, one per line (for --referrals)
 *   csv        Partner Center bulk co-sell CSV rows, with the header that
 *              rules/columns.json maps
 *   csvjson    the same rows as patch-only NDJSON, as the CSV reader maps
 *              them (one replace per cell, Microsoft's status as
 *              microsoftReferral): each row gets the same verdict both ways
 *
 * About a tenth of the records carry a deal registration that should be
 * accepted, and about a tenth must be rejected, for reasons that vary.
 * Dates are relative to --now (default 2026-03-01T00:00:00Z): pass the same
 * --now to reflint.  No rand(): splitmix64, so the bytes are the same on
 * every platform.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { PAIRED, PATCH, SNAPSHOT, CSV, CSVJSON };

/* What a record is meant to be. */
enum fate { PLAIN, REGISTRATION, REJECTED };

/* ---- output buffer ---------------------------------------------------- */

static char *ob;
static size_t olen, ocap;
static unsigned long long written;

static void
oflush(void)
{
	if (olen > 0 && fwrite(ob, 1, olen, stdout) != olen) {
		perror("gen: write");
		exit(1);
	}
	written += olen;
	olen = 0;
}

static void
oreserve(size_t n)
{
	if (olen + n <= ocap)
		return;
	while (olen + n > ocap)
		ocap = ocap ? ocap * 2 : 1 << 20;
	if ((ob = realloc(ob, ocap)) == NULL) {
		perror("gen");
		exit(1);
	}
}

static void
puts_(const char *s)
{
	size_t n = strlen(s);

	oreserve(n);
	memcpy(ob + olen, s, n);
	olen += n;
}

static void putf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

static void
putf(const char *fmt, ...)
{
	va_list ap;
	int n;

	oreserve(256);
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(ob + olen, ocap - olen, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if ((size_t)n < ocap - olen)
			break;
		oreserve((size_t)n + 1);
	}
	olen += (size_t)n;
}

/* ---- PRNG --------------------------------------------------------------- */

static uint64_t
splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t rs;	/* the current record's stream */

static unsigned
rnd(unsigned n)
{
	return (unsigned)((splitmix64(&rs) >> 11) % n);
}

#define PICK(a) ((a)[rnd(sizeof(a) / sizeof((a)[0]))])

/* ---- vocabulary ----------------------------------------------------- */

static const char *const customers[] = {
	"Contoso Retail", "Fabrikam Manufacturing", "Northwind Traders",
	"Adventure Works Cycles", "Tailspin Toys", "Wide World Importers",
	"Woodgrove Bank", "Litware Inc.", "Proseware, Inc.", "Alpine Ski House",
	"Coho Winery", "Lamna Healthcare", "Trey Research", "Relecloud",
	"Margie's Travel", "Fourth Coffee", "Bellows College", "VanArsdel, Ltd."
};
static const char *const projects[] = {
	"data platform modernisation", "SAP on Azure migration",
	"AI-assisted customer service", "Windows Server estate to Azure VMs",
	"analytics lakehouse", "contact centre on Azure Communication Services",
	"zero-trust identity rollout", "Azure Virtual Desktop for branches",
	"IoT telemetry for the plant floor", "disaster recovery site"
};
static const char *const partners[] = {
	"Fabrikam Cloud Partners", "Blue Yonder Airlines IT Services",
	"Graphic Design Institute Consulting", "A. Datum Corporation",
	"Humongous Insurance Digital", "School of Fine Art Solutions"
};
static const char *const firsts[] = {
	"Ana", "Ben", "Chloe", "Dmitri", "Elif", "Farah", "Gustavo", "Hana",
	"Ivan", "Jane", "Kwame", "Lena", "Mateo", "Noor", "Olga", "Priya"
};
static const char *const lasts[] = {
	"Silva", "Okafor", "Nakamura", "Schmidt", "Yilmaz", "Haddad", "Costa",
	"Lee", "Petrov", "Doe", "Mensah", "Novak", "Garcia", "Khan", "Berg"
};
static const char *const cities[][3] = {
	{ "Seattle", "WA", "98101" }, { "Redmond", "WA", "98052" },
	{ "Austin", "TX", "78701" }, { "Boston", "MA", "02110" },
	{ "Denver", "CO", "80202" }, { "Chicago", "IL", "60601" }
};
static const char *const notes[] = {
	"Customer wants to move its order analytics to Azure.",
	"Follow-up call booked with the CIO; budget confirmed for Q3.",
	"Needs a proof of concept first, then a phased roll-out by region.",
	"Competing offer from another vendor; price is the main concern.",
	"Procurement asked for a reference customer in the same industry.",
	"Existing EA renews in June; align the deal with the renewal."
};
static const char *const stages[] = {
	"10", "20", "40", "60", "80", "100", "Qualify", "Develop", "Propose",
	"Close"
};
static const char *const currencies[] = { "USD", "USD", "USD", "EUR", "GBP" };
static const char *const solnames[] = {
	"Contoso Experience Platform", "Fabrikam Data Fabric",
	"Northwind Secure Landing Zone", "Litware Analytics Suite"
};
static const char *const lost_reasons[] = {
	"Budget not adequate", "Customer did not respond",
	"Customer chose another vendor", "Requirement not met",
	"Not a customer", "Time line too short", "Other"
};

/* ---- time ----------------------------------------------------------- */

static long long now_s = 1772323200LL;	/* 2026-03-01T00:00:00Z */

/* days since 1970-01-01 -> y/m/d (Howard Hinnant's civil_from_days) */
static void
civil(long long z, int *y, unsigned *m, unsigned *d)
{
	long long era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

/* an RFC 3339 instant, with 0, 3 or 7 fractional digits as the API sends */
static void
put_time(long long t, int frac)
{
	long long days = t / 86400, s = t % 86400;
	unsigned m, d;
	int y;

	civil(days, &y, &m, &d);
	putf("\"%04d-%02u-%02uT%02lld:%02lld:%02lld", y, m, d, s / 3600,
	    s / 60 % 60, s % 60);
	if (frac == 3)
		putf(".%03u", rnd(1000));
	else if (frac == 7)
		putf(".%07u", rnd(10000000));
	puts_("Z\"");
}

static void
put_guid(void)
{
	uint64_t a = splitmix64(&rs), b = splitmix64(&rs);

	putf("\"%08x-%04x-4%03x-%04x-%012llx\"", (unsigned)(a >> 32),
	    (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
	    (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

/* ---- one logical record ------------------------------------------------- */

/*
 * The record's state, drawn once so that every kind writes the same record:
 * the PRNG is re-seeded per record and the referral is always drawn first.
 */
struct rec {
	enum fate fate;
	unsigned why;		/* reason, for REJECTED */
	char id[40];
	unsigned etag;
	int status;		/* index into pairs[] */
	int shared, consent, nteam, ifmatch;
	long long created;
	char *referral;		/* the referral's JSON, malloc'd */
};

static const char *const pairs[][2] = {
	{ "New", "Pending" }, { "New", "Received" }, { "Active", "Accepted" },
	{ "Closed", "Won" }, { "Closed", "Lost" }
};
enum { NEW_PENDING, NEW_RECEIVED, ACTIVE, WON, LOST };

/* Member k of a team: k in the address keeps addresses distinct. */
static void
put_member(int bad_email, unsigned k)
{
	const char *f = PICK(firsts), *l = PICK(lasts);

	putf("{\"firstName\":\"%s\",\"lastName\":\"%s\",\"email\":\"", f, l);
	if (bad_email)
		putf("%s.%s%u(at)fabrikam.example", f, l, k);
	else
		putf("%s.%s%u@fabrikam.example", f, l, k);
	putf("\",\"phoneNumber\":\"+1 206 555 %04u\"}", rnd(10000));
}

/* Writes the referral into the output buffer; the caller moves it out. */
static void
put_referral(struct rec *r, uint64_t seed, unsigned long long i)
{
	const char *cust = PICK(customers);
	const char *const *city = PICK(cities);
	unsigned j, nsol;

	puts_("{\"id\":");
	put_guid();
	puts_(",\"engagementId\":");
	put_guid();
	putf(",\"organizationName\":\"%s\",\"name\":\"%s - %s\","
	    "\"externalReferenceId\":\"CRM-%llu-%06llu\",\"createdDateTime\":",
	    PICK(partners), cust, PICK(projects),
	    (unsigned long long)(seed % 10000), i);
	put_time(r->created, 7);
	putf(",\"status\":\"%s\",\"substatus\":\"%s\",\"statusReason\":%s,"
	    "\"type\":\"%s\",\"qualification\":\"SalesQualified\","
	    "\"direction\":\"%s\",\"salesStage\":\"%s\",\"eTag\":\"\\\"%06x\\\"\","
	    "\"consent\":{\"consentToShareReferralWithMicrosoftSellers\":%s},",
	    pairs[r->status][0], pairs[r->status][1],
	    r->status == LOST ? "\"Customer chose another vendor\"" : "null",
	    r->shared ? "Shared" : "Independent",
	    rnd(2) ? "Incoming" : "Outgoing", PICK(stages), r->etag,
	    r->consent ? "true" : "false");
	putf("\"customerProfile\":{\"name\":\"%s\",\"address\":{"
	    "\"addressLine1\":\"%u Harbour Street\",\"city\":\"%s\","
	    "\"state\":\"%s\",\"postalCode\":\"%s\",\"country\":\"US\"},"
	    "\"team\":[],\"isMatchingComplete\":true,"
	    "\"matchedAccountType\":\"Managed\"},",
	    cust, 1 + rnd(400), city[0], city[1], city[2]);
	putf("\"details\":{\"notes\":\"%s\",", PICK(notes));
	if (r->fate == REGISTRATION)
		putf("\"dealValue\":\"%u\",\"currency\":\"USD\",",
		    30000 + rnd(500) * 1000);
	else if (rnd(2))
		putf("\"dealValue\":%u.%02u,\"currency\":\"%s\",",
		    1000 + rnd(200000), rnd(100), PICK(currencies));
	else
		putf("\"dealValue\":\"%u\",\"currency\":\"%s\",",
		    1000 + rnd(200000), PICK(currencies));
	puts_("\"closingDateTime\":");
	put_time(now_s + 86400 * (30 + (long long)rnd(180)), 0);
	puts_(",\"requirements\":{\"solutions\":[");
	nsol = 1 + (rnd(5) == 0);
	for (j = 0; j < nsol; j++)
		putf("%s{\"id\":\"DEAL-%06u-XYZ\",\"name\":\"%s\","
		    "\"incentives\":[\"MSFT Internal Azure IP Co-Sell\"]}",
		    j ? "," : "", 100000 + rnd(900000), PICK(solnames));
	puts_("]}},\"team\":[");
	for (j = 0; j < (unsigned)r->nteam; j++) {
		if (j)
			puts_(",");
		put_member(0, j);
	}
	puts_("],\"registrations\":[]}");
}

static void
draw(struct rec *r, uint64_t seed, unsigned long long i)
{
	unsigned u;
	size_t start;

	rs = seed ^ (i * 0xD1B54A32D192ED03ULL);
	(void)splitmix64(&rs);
	memset(r, 0, sizeof(*r));
	u = rnd(100);
	r->fate = u < 10 ? REJECTED : u < 20 ? REGISTRATION : PLAIN;
	r->why = rnd(14);
	r->etag = rnd(0x1000000);
	r->consent = rnd(3) != 0;
	/* registrations on partner-led deals: policy 2 needs no Microsoft
	 * referral, so patch-only records judge the same as paired ones */
	r->shared = r->fate == REGISTRATION ? 0 : rnd(4) != 0;
	if (r->fate == REGISTRATION)
		r->consent = 1;
	r->nteam = 1 + (rnd(4) == 0);
	r->ifmatch = rnd(2);
	r->created = now_s - 86400 * (61 + (long long)rnd(240)) -
	    (long long)rnd(86400);
	if (r->fate == REGISTRATION)
		r->status = rnd(2) ? WON : ACTIVE;
	else if (r->fate == REJECTED && r->why == 8)
		r->status = LOST;
	else if (r->fate == REJECTED && (r->why == 5 || r->why == 6))
		r->status = r->why == 5 ? NEW_PENDING : ACTIVE;
	else
		r->status = PICK(((const int[]){ NEW_PENDING, NEW_PENDING,
		    NEW_RECEIVED, ACTIVE, ACTIVE, ACTIVE }));
	if (r->fate == REJECTED && r->why == 10)
		r->consent = 1;
	start = olen;
	put_referral(r, seed, i);
	/* the id is the first member: {"id":"…" */
	memcpy(r->id, ob + start + 7, 36);
	r->id[36] = '\0';
	if ((r->referral = malloc(olen - start + 1)) == NULL) {
		perror("gen");
		exit(1);
	}
	memcpy(r->referral, ob + start, olen - start);
	r->referral[olen - start] = '\0';
	olen = start;
}

/* ---- patches ------------------------------------------------------------ */

static int nops;

static void
op(const char *o, const char *path)
{
	putf("%s{\"op\":\"%s\",\"path\":\"%s\",\"value\":", nops++ ? "," : "",
	    o, path);
}

/* A registration that passes: signed in the last 50 days, 1 to 3 years. */
static void
put_registration(const struct rec *r)
{
	long long sign, start;
	unsigned value = 120000 + rnd(2000) * 1000;

	sign = now_s - 86400 * (1 + (long long)rnd(50)) - rnd(86400);
	start = sign + rnd(86400);
	puts_("{\"type\":\"AzureIPCoSell\",\"contract\":{\"currency\":\"USD\","
	    "\"endDateTime\":");
	put_time(start + 86400 * 365LL * (1 + rnd(3)), 3);
	puts_(",\"signDateTime\":");
	put_time(sign, 3);
	puts_(",\"startDateTime\":");
	put_time(start, 3);
	putf(",\"term\":\"Finite\",\"value\":%u},\"solutionDetails\":[{"
	    "\"id\":\"", value);
	/* the referral's first solution: DEAL-nnnnnn-XYZ */
	{
		const char *p = strstr(r->referral, "\"solutions\":[{\"id\":\"");

		p += strlen("\"solutions\":[{\"id\":\"");
		oreserve(15);
		memcpy(ob + olen, p, 15);
		olen += 15;
	}
	putf("\",\"isDeployedOnAzure\":true,\"marketplaceTransactionDetails\":"
	    "{\"isMarketplaceTransacted\":false},\"primaryDeploymentOn\":"
	    "\"%s\",\"pricingModel\":\"%s\",\"value\":%u,\"currency\":\"USD\"}]}",
	    rnd(2) ? "Partner" : "Customer", rnd(2) ? "PayAsYouGo" : "Other",
	    value / 2);
}

/* A valid status move from the record's state; the number of ops. */
static int
put_move(const struct rec *r)
{
	int to;

	switch (r->status) {
	case NEW_PENDING:
		to = rnd(2) ? NEW_RECEIVED : ACTIVE;
		break;
	case NEW_RECEIVED:
		to = ACTIVE;
		break;
	case ACTIVE:
		to = rnd(3) ? WON : LOST;
		break;
	default:
		return 0;
	}
	if (strcmp(pairs[to][0], pairs[r->status][0]) != 0) {
		op("replace", "/status");
		putf("\"%s\"}", pairs[to][0]);
	}
	op("replace", "/substatus");
	putf("\"%s\"}", pairs[to][1]);
	if (to == LOST) {
		op("replace", "/statusReason");
		putf("\"%s\"}", PICK(lost_reasons));
	}
	return nops;
}

/* One ordinary, valid op of kind k. */
static void
put_plain(const struct rec *r, unsigned k)
{
	switch (k) {
	case 0:
		op("replace", "/details/dealValue");
		putf("\"%u.%02u\"}", 1000 + rnd(300000), rnd(100));
		break;
	case 1:
		op("replace", "/details/notes");
		putf("\"%s %s\"}", PICK(notes), PICK(notes));
		break;
	case 2:
		op("add", "/team/-");
		put_member(0, 9);
		puts_("}");
		break;
	case 3:
		op("replace", "/salesStage");
		putf("\"%s\"}", PICK(stages));
		break;
	case 4:
		op("replace", "/name");
		putf("\"%s - %s\"}", PICK(customers), PICK(projects));
		break;
	case 5:
		op(rnd(2) ? "add" : "replace", "/externalReferenceId");
		putf("\"CRM-%06u\"}", rnd(1000000));
		break;
	case 6:
		op("replace", "/details/closingDateTime");
		put_time(now_s + 86400 * (10 + (long long)rnd(300)), rnd(2) * 3);
		puts_("}");
		break;
	case 7:
		op("replace", "/details/currency");
		putf("\"%s\"}", PICK(currencies));
		break;
	case 8:
		op("replace", "/consent/consentToShareReferralWithMicrosoftSellers");
		puts_("true}");
		break;
	default:
		op("replace", "/team/0/phoneNumber");
		putf("\"+1 (425) 555-%04u\"}", rnd(10000));
		break;
	}
	(void)r;
}

/* 1 to n distinct plain op kinds */
static void
put_plains(const struct rec *r, unsigned n)
{
	unsigned used = 0, k;

	while (n-- > 0) {
		do
			k = rnd(10);
		while (used & (1u << k));
		used |= 1u << k;
		put_plain(r, k);
	}
}

/* The bad op of a rejected record, by reason. */
static void
put_bad(const struct rec *r)
{
	switch (r->why) {
	case 0:		/* op-unsupported */
		putf("%s{\"op\":\"remove\",\"path\":\"/details/notes\"}",
		    nops++ ? "," : "");
		break;
	case 1:		/* path-read-only */
		op("replace", "/createdDateTime");
		put_time(now_s, 0);
		puts_("}");
		break;
	case 2:		/* path-unknown, with a "did you mean" */
		op("replace", "/Name");
		putf("\"%s\"}", PICK(customers));
		break;
	case 3:		/* value-enum */
		op("replace", "/salesStage");
		puts_("\"50\"}");
		break;
	case 4:		/* value-format */
		op("add", "/team/-");
		put_member(1, 9);
		puts_("}");
		break;
	case 5:		/* transition: New/Pending -> Closed/Won */
		op("replace", "/status");
		puts_("\"Closed\"}");
		op("replace", "/substatus");
		puts_("\"Won\"}");
		break;
	case 6:		/* status-pair: Closed/Accepted */
		op("replace", "/status");
		puts_("\"Closed\"}");
		break;
	case 7:		/* value-range */
		op("replace", "/details/dealValue");
		putf("\"-%u\"}", 1 + rnd(5000));
		break;
	case 8:		/* referral-closed: Closed/Lost accepts nothing */
		op("replace", "/details/notes");
		putf("\"%s\"}", PICK(notes));
		break;
	case 9:		/* patch-target: no such team member */
		op("replace", "/team/7/email");
		puts_("\"someone@fabrikam.example\"}");
		break;
	case 10:	/* consent-irreversible */
		op("replace", "/consent/consentToShareReferralWithMicrosoftSellers");
		puts_("false}");
		break;
	case 11:	/* value-type */
		op("replace", "/name");
		puts_("null}");
		break;
	case 12:	/* json-duplicate-key */
		op("replace", "/details/notes");
		putf("\"%s\",\"value\":\"%s\"}", PICK(notes), PICK(notes));
		break;
	default:	/* etag-mismatch: written by put_patch() */
		break;
	}
}

static void
put_patch(const struct rec *r, int *ifmatch_bad)
{
	unsigned n;

	nops = 0;
	*ifmatch_bad = 0;
	puts_("[");
	switch (r->fate) {
	case REGISTRATION:
		if (r->status == ACTIVE) {
			op("replace", "/status");
			puts_("\"Closed\"}");
			op("replace", "/substatus");
			puts_("\"Won\"}");
		}
		op("add", "/registrations/-");
		put_registration(r);
		puts_("}");
		break;
	case REJECTED:
		if (r->why == 13) {
			*ifmatch_bad = 1;
			put_plains(r, 2 + rnd(3));
			break;
		}
		if (r->why == 8) {
			put_bad(r);
			break;
		}
		n = rnd(3);
		put_plains(r, n / 2);
		put_bad(r);
		put_plains(r, n - n / 2);
		break;
	default:
		n = 2 + rnd(4);
		if (rnd(4) == 0)
			n -= n > 2 ? put_move(r) : 0;
		put_plains(r, n);
		break;
	}
	puts_("]");
}

static void
put_ifmatch(const struct rec *r, int bad)
{
	if (bad)
		puts_(",\"ifMatch\":\"\\\"000000\\\"\"");
	else if (r->ifmatch && rnd(2))
		/* the same tag quoted or bare; a weak tag would never match */
		putf(",\"ifMatch\":\"\\\"%06x\\\"\"", r->etag);
	else if (r->ifmatch)
		putf(",\"ifMatch\":\"%06x\"", r->etag);
}

/* ---- CSV ---------------------------------------------------------------- */

static const char csv_header[] =
    "Referral ID,Deal Name,Partner Referral Status,"
    "Partner Referral Substatus,Declined/Lost/Error reason,"
    "Estimated Deal Value,Currency,Estimated Close Date,"
    "CRM ID,Notes,Sales Stage,Microsoft Referral Status\r\n";

/* The cells of one bulk-upload row; "" is an empty cell. */
struct row {
	char name[128], status[16], substatus[16], reason[4], value[24];
	char currency[8], close[16], crm[24], notes[160], stage[16], ms[16];
};

static const char *const reason_text[] = {
	"", "Budget not adequate", "Customer did not respond",
	"Customer chose another vendor", "Requirement not met",
	"Not a customer", "Time line too short", "Abuse/spam/phishing",
	"Other"
};

static void
draw_row(const struct rec *r, struct row *w)
{
	long long t;
	unsigned m, d;
	int y;

	memset(w, 0, sizeof(*w));
	if (rnd(3) == 0)
		snprintf(w->name, sizeof(w->name), "%s - %s", PICK(customers),
		    PICK(projects));
	if (rnd(3) == 0) {
		if (r->status == ACTIVE && rnd(2)) {
			strcpy(w->status, "Closed");
			strcpy(w->substatus, "Lost");
			snprintf(w->reason, sizeof(w->reason), "%u",
			    1 + rnd(8));
		} else {
			strcpy(w->status, "Active");
			strcpy(w->substatus, "Accepted");
		}
	}
	snprintf(w->value, sizeof(w->value), "%u.%02u", 1000 + rnd(300000),
	    rnd(100));
	strcpy(w->currency, PICK(currencies));
	t = now_s + 86400 * (10 + (long long)rnd(300));
	civil(t / 86400, &y, &m, &d);
	snprintf(w->close, sizeof(w->close), "%02u/%02u/%04d", m, d, y);
	if (rnd(2))
		snprintf(w->crm, sizeof(w->crm), "CRM-%06u", rnd(1000000));
	if (rnd(2))
		snprintf(w->notes, sizeof(w->notes), "%s", PICK(notes));
	if (rnd(4) == 0)	/* quotes and a comma, to exercise quoting */
		snprintf(w->notes, sizeof(w->notes),
		    "Customer said \"go\", pending legal review");
	if (rnd(2))
		strcpy(w->stage, PICK(stages));
	/* the export shows Microsoft's substatus (rules/columns.json) */
	strcpy(w->ms, rnd(2) ? "Accepted" : "Won");
	if (r->fate != REJECTED)
		return;
	switch (r->why % 5) {	/* stateless errors only */
	case 0:
		strcpy(w->currency, "US$");
		break;
	case 1:
		snprintf(w->value, sizeof(w->value), "-%u", 1 + rnd(5000));
		break;
	case 2:
		strcpy(w->stage, "55");
		break;
	case 3:
		strcpy(w->substatus, "Approved");
		strcpy(w->status, "Active");
		w->reason[0] = '\0';	/* one error, the same both ways */
		break;
	default:
		strcpy(w->close, "13/45/2026");
		break;
	}
}

static void
csv_cell(const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n") != NULL) {
		puts_("\"");
		for (; *s; s++) {
			if (*s == '"')
				puts_("\"");
			oreserve(1);
			ob[olen++] = *s;
		}
		puts_("\"");
	} else
		puts_(s);
	puts_(last ? "\r\n" : ",");
}

static void
put_csv_row(const struct rec *r, const struct row *w)
{
	csv_cell(r->id, 0);
	csv_cell(w->name, 0);
	csv_cell(w->status, 0);
	csv_cell(w->substatus, 0);
	csv_cell(w->reason, 0);
	csv_cell(w->value, 0);
	csv_cell(w->currency, 0);
	csv_cell(w->close, 0);
	csv_cell(w->crm, 0);
	csv_cell(w->notes, 0);
	csv_cell(w->stage, 0);
	csv_cell(w->ms, 1);
}

static void
json_str(const char *s)
{
	puts_("\"");
	for (; *s; s++) {
		oreserve(2);
		if (*s == '"' || *s == '\\')
			ob[olen++] = '\\';
		ob[olen++] = *s;
	}
	puts_("\"");
}

/*
 * The row as the CSV reader maps it with the default rules/columns.json
 * (reflint(1), Spreadsheets), so that both forms get the same verdicts.  A
 * cell that does not convert (a bad date) is an error there and a bad value
 * here: the verdict is the same, the message differs.
 */
static void
put_csv_json(const struct rec *r, const struct row *w)
{
	struct {
		const char *cell, *path;
	} map[] = {
		{ w->name, "/name" }, { w->status, "/status" },
		{ w->substatus, "/substatus" }, { NULL, "/statusReason" },
		{ w->value, "/details/dealValue" },
		{ w->currency, "/details/currency" },
		{ NULL, "/details/closingDateTime" },
		{ w->crm, "/externalReferenceId" },
		{ w->notes, "/details/notes" }, { w->stage, "/salesStage" }
	};
	unsigned k, m, d;
	int y;

	putf("{\"id\":\"%s\",\"patch\":[", r->id);
	nops = 0;
	for (k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
		if (k == 3) {
			if (w->reason[0] == '\0')
				continue;
			op("replace", map[k].path);
			json_str(reason_text[atoi(w->reason)]);
		} else if (k == 6) {
			op("replace", map[k].path);
			if (sscanf(w->close, "%u/%u/%d", &m, &d, &y) == 3 &&
			    m >= 1 && m <= 12 && d >= 1 && d <= 31)
				putf("\"%04d-%02u-%02uT00:00:00Z\"", y, m, d);
			else
				json_str(w->close);
		} else if (k == 4) {
			/* convert "number": the cell as a JSON number */
			op("replace", map[k].path);
			puts_(w->value);
		} else {
			if (map[k].cell[0] == '\0')
				continue;
			op("replace", map[k].path);
			json_str(map[k].cell);
		}
		puts_("}");
	}
	puts_("]");
	if (strcmp(w->ms, "Won") == 0)
		puts_(",\"microsoftReferral\":{\"status\":\"Closed\","
		    "\"substatus\":\"Won\"}");
	else
		puts_(",\"microsoftReferral\":{\"status\":\"Active\","
		    "\"substatus\":\"Accepted\"}");
	puts_("}\n");
}

/* ---- main ------------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: gen [--kind paired|patch|snapshot|csv|csvjson]\n"
	    "           [--records N | --bytes N[k|M|G]] [--seed N]"
	    " [--now EPOCH-SECONDS]\n");
	exit(2);
}

static unsigned long long
number(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (end == s || *end != '\0')
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	enum kind kind = PAIRED;
	unsigned long long records = 0, bytes = 0, i, perm_a = 1, perm_b = 0;
	uint64_t seed = 1;
	struct rec r;
	struct row w;
	int k, bad;

	for (k = 1; k < argc; k++) {
		if (k + 1 >= argc)
			usage();
		if (strcmp(argv[k], "--kind") == 0) {
			const char *v = argv[++k];

			kind = strcmp(v, "paired") == 0 ? PAIRED :
			    strcmp(v, "patch") == 0 ? PATCH :
			    strcmp(v, "snapshot") == 0 ? SNAPSHOT :
			    strcmp(v, "csv") == 0 ? CSV :
			    strcmp(v, "csvjson") == 0 ? CSVJSON : (usage(), PAIRED);
		} else if (strcmp(argv[k], "--records") == 0)
			records = number(argv[++k]);
		else if (strcmp(argv[k], "--bytes") == 0)
			bytes = number(argv[++k]);
		else if (strcmp(argv[k], "--seed") == 0)
			seed = number(argv[++k]);
		else if (strcmp(argv[k], "--now") == 0)
			now_s = (long long)number(argv[++k]);
		else
			usage();
	}
	if ((records == 0) == (bytes == 0))
		usage();
	/*
	 * Patch-only records come in another order than the snapshot (an
	 * affine permutation of 0..N-1), so the join really looks records up.
	 */
	if (kind == PATCH && records > 1) {
		perm_a = records / 2 + 1;
		while (perm_a > 1) {
			unsigned long long x = perm_a, y = records, t;

			while (y) {
				t = x % y;
				x = y;
				y = t;
			}
			if (x == 1)
				break;
			perm_a++;
		}
		perm_b = records / 3;
	}
	if (kind == CSV)
		puts_(csv_header);
	for (i = 0; records ? i < records : written + olen < bytes; i++) {
		unsigned long long j = kind == PATCH && records ?
		    (perm_a * i + perm_b) % records : i;

		draw(&r, seed, j);
		switch (kind) {
		case PAIRED:
			puts_("{\"referral\":");
			puts_(r.referral);
			puts_(",\"patch\":");
			put_patch(&r, &bad);
			put_ifmatch(&r, bad);
			if (r.shared)
				puts_(",\"microsoftReferral\":{\"status\":"
				    "\"Active\",\"substatus\":\"Accepted\"}");
			puts_("}\n");
			break;
		case PATCH:
			putf("{\"id\":\"%s\",\"patch\":", r.id);
			put_patch(&r, &bad);
			put_ifmatch(&r, bad);
			puts_("}\n");
			break;
		case SNAPSHOT:
			puts_(r.referral);
			puts_("\n");
			break;
		case CSV:
		case CSVJSON:
			draw_row(&r, &w);
			if (kind == CSV)
				put_csv_row(&r, &w);
			else
				put_csv_json(&r, &w);
			break;
		}
		free(r.referral);
		if (olen >= 1 << 20)
			oflush();
	}
	oflush();
	if (fflush(stdout) != 0) {
		perror("gen: write");
		return 1;
	}
	return 0;
}
