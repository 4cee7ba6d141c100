/*
 * check_rules.c: the rules loader.  The default rules load cleanly; each
 * broken variant (a copy of the default rules with one file replaced) is
 * refused with the right file, line and message; templates and "did you
 * mean" distances; severity overrides; the dump.
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "rules_int.h"
#include "tests.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *src_dir;

/* Errors of a load, one "BASENAME:LINE: message" per line. */
static rl_buf errs = RL_BUF_INIT;

static void
collect(void *ctx, const rl_diag *d)
{
	const char *base = d->source ? strrchr(d->source, '/') : NULL;

	(void)ctx;
	rl_buf_printf(&errs, "%s:%lu: %s\n", base ? base + 1 : d->source,
	    d->line, d->message);
}

static char tmpdir[1024];

/* A copy of the default rules with file `name` replaced by text (NULL: removed). */
static const char *
variant(const char *name, const char *text)
{
	char from[2048], to[2048];
	const char *t = getenv("TMPDIR");
	size_t i;

	snprintf(tmpdir, sizeof(tmpdir), "%s/rules.XXXXXX", t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	for (i = 0; rl_rule_files[i] != NULL; i++) {
		snprintf(from, sizeof(from), "%s/%s", src_dir, rl_rule_files[i]);
		snprintf(to, sizeof(to), "%s/%s", tmpdir, rl_rule_files[i]);
		rl_test_copy_file(from, to);
	}
	if (name != NULL) {
		FILE *f;

		snprintf(to, sizeof(to), "%s/%s", tmpdir, name);
		if (text == NULL)
			ck_assert_int_eq(unlink(to), 0);
		else {
			ck_assert_ptr_nonnull(f = fopen(to, "wb"));
			fputs(text, f);
			ck_assert_int_eq(fclose(f), 0);
		}
	}
	return tmpdir;
}

static void
remove_variant(void)
{
	char path[2048];
	size_t i;

	for (i = 0; rl_rule_files[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, rl_rule_files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/lifecycel.json", tmpdir);
	unlink(path);
	rmdir(tmpdir);
}

/*
 * The template index never hides a template that matches: over the default
 * rules and a variant whose templates begin with a wildcard, every
 * template matching a pointer is among its candidates, in ascending order.
 */
static void
index_covers(const struct rl_tindex *ix, size_t n, const struct rl_tmpl *base,
    size_t stride, const rl_pointer *p, int prefix)
{
	const uint32_t *list;
	size_t from, to, j, k, last = 0;
	int first = 1;

	rl_tindex_find(ix, n, p, &list, &from, &to);
	ck_assert_ptr_nonnull(list);
	for (j = from; j < to; j++) {
		ck_assert(first || list[j] > last);
		last = list[j];
		first = 0;
	}
	for (k = 0; k < n; k++) {
		const struct rl_tmpl *t = (const struct rl_tmpl *)(const void *)
		    ((const char *)base + k * stride);
		rl_pointer head = *p;
		int m;

		if (prefix && head.n >= t->n)
			head.n = t->n;
		m = rl_tmpl_match(t, &head);
		if (!m)
			continue;
		for (j = from; j < to && list[j] != k; j++)
			;
		ck_assert_msg(j < to, "template %zu (%s) matches but is no candidate",
		    k, t->text);
	}
}

START_TEST(test_template_index)
{
	static const char *const ptrs[] = {
		"", "/", "/name", "/Name", "/details/notes", "/details/dealValue",
		"/team/0/email", "/team/-", "/registrations/-", "/x/name",
		"/status", "/consent/consentToShareReferralWithMicrosoftSellers",
		"/customerProfile/address/city", "/createdDateTime", "/id/x",
	};
	const char *wild =
	    "{\"readOnly\":[\"/*/secret\",\"/id\"],\"paths\":["
	    "{\"path\":\"/*/name\",\"ops\":[\"replace\"],\"value\":{}},"
	    "{\"path\":\"/details/name\",\"ops\":[\"add\"],\"value\":{}},"
	    "{\"path\":\"/{n}\",\"ops\":[\"add\"],\"value\":{}},"
	    "{\"path\":\"/x/**\",\"ops\":[\"add\"],\"value\":{}},"
	    "{\"path\":\"/name\",\"ops\":[\"add\"],\"value\":{}},"
	    "{\"path\":\"/**\",\"ops\":[\"add\",\"replace\"],\"value\":{}}]}";
	rl_rules *r;
	rl_arena *a = rl_arena_new(0);
	rl_pointer p;
	rl_diag d = RL_DIAG_INIT;
	size_t i, v;

	for (v = 0; v < 2; v++) {
		rl_buf_clear(&errs);
		r = rl_rules_load(v == 0 ? src_dir : variant("paths.json", wild),
		    collect, NULL);
		ck_assert_msg(r != NULL, "%s", rl_buf_cstr(&errs));
		ck_assert_uint_ge(r->npaths, 5);
		for (i = 0; i < N(ptrs); i++) {
			ck_assert_int_eq(rl_pointer_parse(a, ptrs[i], strlen(ptrs[i]),
			    &p, &d), 0);
			index_covers(&r->paths_ix, r->npaths, &r->paths[0].t,
			    sizeof(*r->paths), &p, 0);
			index_covers(&r->readonly_ix, r->nreadonly, r->readonly,
			    sizeof(*r->readonly), &p, 1);
		}
		rl_rules_free(r);
		if (v == 1)
			remove_variant();
	}
	rl_arena_free(a);
}
END_TEST

START_TEST(test_default_loads)
{
	rl_rules *r;

	rl_buf_clear(&errs);
	r = rl_rules_load(src_dir, collect, NULL);
	ck_assert_msg(r != NULL, "%s", rl_buf_cstr(&errs));
	ck_assert_uint_eq(errs.len, 0);
	ck_assert_uint_eq(r->nformats, 7);
	ck_assert_uint_eq(r->lc.npairs, 8);
	ck_assert_uint_eq(r->lc.ntrans, 3);
	ck_assert_uint_ge(r->npaths, 20);
	ck_assert_ptr_nonnull(rl_rules_format(r, "email"));
	ck_assert_ptr_null(rl_rules_format(r, "nope"));
	ck_assert_int_eq(rl_rules_severity(r, RL_WON_TOO_SOON), RL_SEV_WARNING);
	ck_assert_int_eq(rl_rules_severity(r, RL_TRANSITION), RL_SEV_ERROR);
	ck_assert_str_eq(rl_rules_dir(r), src_dir);
	rl_rules_free(r);
	rl_rules_free(NULL);
}
END_TEST

/* The whole arrays of the default rules carry a schema for their items. */
static const struct rl_path *
path_of(const rl_rules *r, const char *text)
{
	size_t i;

	for (i = 0; i < r->npaths; i++)
		if (strcmp(r->paths[i].t.text, text) == 0)
			return &r->paths[i];
	return NULL;
}

START_TEST(test_items_loaded)
{
	static const char *const arrays[] = {
		"/team", "/customerProfile/team", "/details/requirements/solutions",
	};
	rl_rules *r = rl_rules_load(src_dir, NULL, NULL);
	const struct rl_path *p;
	size_t i;

	ck_assert_ptr_nonnull(r);
	for (i = 0; i < N(arrays); i++) {
		ck_assert_msg((p = path_of(r, arrays[i])) != NULL, "%s", arrays[i]);
		ck_assert_uint_eq(p->v.types, RL_VT_ARRAY);
		ck_assert_ptr_nonnull(p->v.items);
		ck_assert_ptr_nonnull(p->v.items->object);
		ck_assert_ptr_null(p->v.items->items);
		ck_assert_uint_eq(p->ops, (1u << RL_OP_ADD) | (1u << RL_OP_REPLACE));
	}
	ck_assert_ptr_null(path_of(r, "/name")->v.items);
	rl_rules_free(r);
}
END_TEST

/* Each broken file: the first line of the errors must be `want`. */
static const struct broken {
	const char *file;
	const char *text;       /* NULL: the file is removed */
	const char *want;       /* a substring of the errors */
} broken[] = {
	{ "formats.json", "{\"formats\":{\"email\":{\"pattern\":\"^(a$\"}}}",
	    "formats.json:1: formats.email.pattern: pattern does not compile at offset 4: " },
	{ "formats.json", "// comment\n{\"formats\":{},\n\"extra\":1}",
	    "formats.json:3: formats.json: unknown member \"extra\"" },
	{ "formats.json", "{\"formats\":{\"x\":{\"pattern\":\"a\",\n\"caseless\":\"yes\"}}}",
	    "formats.json:2: formats.x: \"caseless\" must be a boolean, not a string" },
	{ "formats.json", "{\"formats\":{\"x\":{}}}",
	    "formats.json:1: formats.x: missing member \"pattern\"" },
	{ "formats.json", "{\"formats\":\n[]}",
	    "formats.json:2: formats.json: \"formats\" must be an object, not an array" },
	{ "formats.json", "{\"formats\":{}",
	    "formats.json:1: json-syntax: " },
	{ "formats.json", "[]",
	    "formats.json:1: a rule file must hold one object, not an array" },
	{ "formats.json", "{\"formats\":{},\"formats\":{}}",
	    "formats.json:1: json-duplicate-key: " },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/name\",\n\"ops\":\"replace\",\"value\":{}}]}",
	    "paths.json:2: paths[0]: \"ops\" must be an array, not a string" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/name\",\"ops\":[\"remove\"],\"value\":{}}]}",
	    "paths[0]: op \"remove\" is not \"add\" or \"replace\"" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"name\",\"ops\":[\"add\"],\"value\":{}}]}",
	    "paths[0]: \"name\" is not a JSON Pointer" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a/**/b\",\"ops\":[\"add\"],\"value\":{}}]}",
	    "\"**\" may only be the last token" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"format\":\"nope\"}}]}",
	    "paths[0].value: unknown format \"nope\"" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"type\":\"text\"}}]}",
	    "paths[0].value: unknown type \"text\"" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"minimum\":\"0\"}}]}",
	    "paths[0].value: \"minimum\" must be a number, not a string" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"minLength\":-1}}]}",
	    "paths[0].value: \"minLength\" must be a non-negative integer, not a number" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"type\":\"object\",\"object\":\"nope\"}}]}",
	    "unknown object schema \"nope\"" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"required\":true}}]}",
	    "paths[0].value: unknown member \"required\"" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"type\":\"string\",\"items\":{}}}]}",
	    "paths[0].value: \"items\" needs type \"array\"" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"type\":\"array\",\"items\":[]}}]}",
	    "paths[0].value: \"items\" must be an object, not an array" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"type\":\"array\",\n\"items\":{\"type\":\"text\"}}}]}",
	    "paths.json:2: paths[0].value.items: unknown type \"text\"" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"type\":\"array\",\"items\":{\"required\":true}}}]}",
	    "paths[0].value.items: unknown member \"required\"" },
	{ "paths.json", "{\"readOnly\":[],\"objects\":{\"o\":{\"members\":{\"m\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"object\":\"p\"}}}}},\"paths\":[]}",
	    "objects.o.members.m.items: unknown object schema \"p\"" },
	{ "paths.json", "{\"readOnly\":[],\"paths\":[{\"path\":\"/a\",\"ops\":[\"add\"],\"value\":{\"nullable\":1}}]}",
	    "paths[0].value: \"nullable\" must be a boolean, not a number" },
	{ "lifecycle.json", NULL, "lifecycle.json:0: cannot read: " },
	{ "lifecycel.json", "{}", "lifecycel.json:0: not a rule file" },
	{ "severity.json", "{\"severity\":{\"won-to-soon\":\"warning\"}}",
	    "severity.json:1: severity: unknown diagnostic code \"won-to-soon\"" },
	{ "severity.json", "{\"severity\":{\"won-too-soon\":\"fatal\"}}",
	    "severity.json:1: severity.won-too-soon must be \"error\", \"warning\", \"info\" or \"none\"" },
	{ "severity.json", "{\"severity\":{\"rules-error\":\"none\"}}",
	    "unknown diagnostic code \"rules-error\"" },
	{ "dealregistration.json", "{\"policies\":{}, \"registration\":{}}",
	    "policies: missing member \"isDealTypeCosellOrPartnerLed\"" },
};

START_TEST(test_broken)
{
	const struct broken *b = &broken[_i];
	rl_rules *r;

	rl_buf_clear(&errs);
	r = rl_rules_load(variant(b->file, b->text), collect, NULL);
	remove_variant();
	ck_assert_msg(r == NULL, "%s: loaded", b->want);
	ck_assert_msg(errs.len > 0 && strstr(rl_buf_cstr(&errs), b->want) != NULL,
	    "want \"%s\" in:\n%s", b->want, errs.len ? rl_buf_cstr(&errs) : "(none)");
}
END_TEST

/* Lifecycle consistency: states must be pairs, codes must exist. */
static const char *const bad_lifecycle[] = {
	"\"transitions\": {\"New/Pending\": [\"New/Won\"]}",
	"\"transitions\": {\"New\": []}",
	"\"systemOnly\": [\"Closed/Gone\"]",
	"\"limits\": [{\"array\": \"/team\", \"max\": 50, \"code\": \"team-limits\"}]",
	"\"wonTooSoon\": {\"state\": \"Closed/Won\", \"hours\": \"72\"}",
	"\"closedAccepts\": {\"states\": [\"Closed/Won\"], \"paths\": [\"registrations\"]}",
};

START_TEST(test_bad_lifecycle)
{
	char text[2048];
	rl_rules *r;

	snprintf(text, sizeof(text),
	    "{\"pointers\":{\"status\":\"/status\",\"substatus\":\"/substatus\","
	    "\"statusReason\":\"/statusReason\",\"created\":\"/createdDateTime\",\"eTag\":\"/eTag\"},"
	    "\"pairs\":[\"New/Pending\",\"Closed/Won\"],\"terminal\":[\"Closed\"],"
	    "\"registrationAdd\":\"/registrations/-\",%s%s}",
	    strncmp(bad_lifecycle[_i], "\"closedAccepts", 14) == 0 ? "" :
	    "\"closedAccepts\":{\"states\":[\"Closed/Won\"],\"paths\":[\"/registrations/-\"]},",
	    bad_lifecycle[_i]);
	rl_buf_clear(&errs);
	r = rl_rules_load(variant("lifecycle.json", text), collect, NULL);
	remove_variant();
	ck_assert_msg(r == NULL, "%s: loaded", bad_lifecycle[_i]);
	ck_assert_msg(strstr(rl_buf_cstr(&errs), "lifecycle.json:1: ") != NULL, "%s",
	    rl_buf_cstr(&errs));
}
END_TEST

/* Every problem of a file is reported, not only the first. */
START_TEST(test_all_errors)
{
	rl_rules *r;

	rl_buf_clear(&errs);
	r = rl_rules_load(variant("severity.json",
	    "{\"severity\":{\"a\":\"error\",\n\"b\":\"error\"},\n\"c\":1}"), collect, NULL);
	remove_variant();
	ck_assert_ptr_null(r);
	ck_assert_str_eq(rl_buf_cstr(&errs),
	    "severity.json:3: severity.json: unknown member \"c\"\n"
	    "severity.json:1: severity: unknown diagnostic code \"a\"\n"
	    "severity.json:2: severity: unknown diagnostic code \"b\"\n");
}
END_TEST

START_TEST(test_severity_file)
{
	rl_rules *r;

	rl_buf_clear(&errs);
	r = rl_rules_load(variant("severity.json",
	    "{\"severity\":{\"won-too-soon\":\"error\",\"transition\":\"none\"}}"), collect, NULL);
	remove_variant();
	ck_assert_msg(r != NULL, "%s", rl_buf_cstr(&errs));
	ck_assert_int_eq(rl_rules_severity(r, RL_WON_TOO_SOON), RL_SEV_ERROR);
	ck_assert_int_eq(rl_rules_severity(r, RL_TRANSITION), RL_SEV_NONE);
	rl_rules_set_severity(r, RL_TRANSITION, RL_SEV_INFO);
	ck_assert_int_eq(rl_rules_severity(r, RL_TRANSITION), RL_SEV_INFO);
	rl_rules_free(r);
}
END_TEST

START_TEST(test_dump)
{
	rl_arena *a = rl_arena_new(0);
	rl_buf b = RL_BUF_INIT;
	rl_rules *r = rl_rules_load(src_dir, NULL, NULL);
	rl_value *v;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rl_rules_dump(r, &b), 0);
	v = rl_test_parse(a, rl_buf_cstr(&b));
	ck_assert_ptr_nonnull(rl_json_get(v, "paths.json"));
	ck_assert_ptr_nonnull(rl_json_get(rl_json_get(v, "codes"), "won-too-soon"));
	ck_assert_ptr_null(rl_json_get(rl_json_get(v, "codes"), "rules-error"));
	rl_buf_free(&b);
	rl_rules_free(r);
	rl_arena_free(a);
}
END_TEST

/* Business facts for the modules outside the judge come from the rules. */
START_TEST(test_facts)
{
	rl_arena *a = rl_arena_new(0);
	rl_rules *r = rl_rules_load(src_dir, NULL, NULL);
	const rl_value *v;

	ck_assert_ptr_nonnull(r);
	v = rl_rules_engagement(r, rl_test_json(a, "{'id':'1','engagementId':'E-7'}"));
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v->u.s.ptr, "E-7");
	ck_assert_ptr_null(rl_rules_engagement(r, rl_test_json(a, "{'engagementId':7}")));
	ck_assert_ptr_null(rl_rules_engagement(r, rl_test_json(a, "{'engagement':'E'}")));
	ck_assert_ptr_null(rl_rules_engagement(r, NULL));
	ck_assert_int_eq(rl_rules_registration_path(r, "/registrations/-", 16), 1);
	ck_assert_int_eq(rl_rules_registration_path(r, "/registrations", 14), 1);
	ck_assert_int_eq(rl_rules_registration_path(r, "/registration", 13), 0);
	ck_assert_int_eq(rl_rules_registration_path(r, "/name", 5), 0);
	ck_assert_int_eq(rl_rules_registration_path(r, "", 0), 0);
	rl_rules_free(r);
	rl_arena_free(a);
}
END_TEST

/* Templates against pointers: match and near. */
static const struct tm {
	const char *tmpl, *ptr;
	int match, near;
} tms[] = {
	{ "/team/{n}/email", "/team/0/email", 1, 1 },
	{ "/team/{n}/email", "/team/12/email", 1, 1 },
	{ "/team/{n}/email", "/team/01/email", 0, 0 },
	{ "/team/{n}/email", "/team/-/email", 0, 0 },
	{ "/team/{n}/email", "/team/0/Email", 0, 1 },
	{ "/team/{n}/email", "/team/0/emial", 0, 1 },
	{ "/team/{n}/email", "/team/0/emails", 0, 1 },
	{ "/team/{n}/email", "/team/0/mail", 0, 1 },
	{ "/team/{n}/email", "/team/0/mai", 0, 0 },
	{ "/team/{n}/email", "/tem/0/emial", 0, 0 },
	{ "/team/-", "/team/-", 1, 1 },
	{ "/team/-", "/team/0", 0, 1 },
	{ "/a/*", "/a/anything", 1, 1 },
	{ "/registrations/{n}/**", "/registrations/0", 0, 0 },
	{ "/registrations/{n}/**", "/registrations/0/contract", 1, 0 },
	{ "/registrations/{n}/**", "/registrations/0/contract/value", 1, 0 },
	{ "/a~1b", "/a~1b", 1, 1 },
	{ "/details/dealValue", "/DETAILS/DEALVALUE", 0, 1 },
	{ "/details/dealValue", "/details/dealValue/x", 0, 0 },
};

START_TEST(test_templates)
{
	const struct tm *t = &tms[_i];
	rl_arena *a = rl_arena_new(0);
	struct rl_tmpl tmpl;
	rl_pointer tp, p;
	size_t i;

	ck_assert_int_eq(rl_pointer_parse(a, t->tmpl, strlen(t->tmpl), &tp, NULL), 0);
	ck_assert_int_eq(rl_pointer_parse(a, t->ptr, strlen(t->ptr), &p, NULL), 0);
	tmpl.text = t->tmpl;
	tmpl.tok = tp.tok;
	tmpl.n = tp.n;
	tmpl.kind = rl_arena_alloc(a, tp.n);
	for (i = 0; i < tp.n; i++)
		tmpl.kind[i] = strcmp(tp.tok[i].s, "{n}") == 0 ? RL_TK_INDEX :
		    strcmp(tp.tok[i].s, "*") == 0 ? RL_TK_ANY :
		    strcmp(tp.tok[i].s, "**") == 0 ? RL_TK_DEEP : RL_TK_LIT;
	ck_assert_msg(rl_tmpl_match(&tmpl, &p) == t->match, "%s ~ %s", t->tmpl, t->ptr);
	ck_assert_msg(rl_tmpl_near(&tmpl, &p) == t->near, "%s near %s", t->tmpl, t->ptr);
	rl_arena_free(a);
}
END_TEST

/* Every allocation failure while loading ends in NULL and a report, never a crash. */
static void
count(void *ctx, const rl_diag *d)
{
	(void)d;
	++*(int *)ctx;
}

START_TEST(test_nomem)
{
	unsigned long n;
	int failures = 0;

	for (n = 1; n < 100000; n++) {
		int reports = 0;
		rl_rules *r;

		rl_alloc_fail_after(n);
		r = rl_rules_load(src_dir, count, &reports);
		rl_alloc_fail_after(0);
		if (r != NULL) {
			ck_assert_int_eq(reports, 0);
			rl_rules_free(r);
			break;
		}
		ck_assert_int_gt(reports, 0);
		failures++;
	}
	ck_assert_int_gt(failures, 10);
	ck_assert_uint_lt(n, 100000);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_default_loads);
	tcase_add_test(tc, test_template_index);
	tcase_add_test(tc, test_items_loaded);
	tcase_add_loop_test(tc, test_broken, 0, N(broken));
	tcase_add_loop_test(tc, test_bad_lifecycle, 0, N(bad_lifecycle));
	tcase_add_test(tc, test_all_errors);
	tcase_add_test(tc, test_severity_file);
	tcase_add_test(tc, test_dump);
	tcase_add_test(tc, test_facts);
	tcase_add_loop_test(tc, test_templates, 0, N(tms));
	tcase_add_test(tc, test_nomem);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	int rc;

	if ((src_dir = getenv("REFLINT_RULES")) == NULL) {
		fprintf(stderr, "REFLINT_RULES is not set\n");
		return 99;
	}
	rc = rl_test_run(suite());
	rl_buf_free(&errs);
	return rc;
}
