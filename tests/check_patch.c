/* check_patch.c: RFC 6902 JSON Patch, its errors, atomicity and undo marks. */
#include "config.h"

#include <stdio.h>

#include "patch.h"
#include "tests.h"

#define NELEM(a) (int)(sizeof(a) / sizeof((a)[0]))

/* A serialization that survives the next rl_test_dump(). */
static const char *
dump(const rl_value *v)
{
	const char *s = rl_test_dump(v);
	char *copy = rl_arena_strndup(A, s, strlen(s));

	ck_assert_ptr_nonnull(copy);
	return copy;
}

/*
 * The tables write JSON with ' for " to stay readable (J, tests.h); a real
 * apostrophe is written \u0027.
 */
static const char *
canon(const char *text)
{
	return dump(J(text));
}

/* Ops that apply ------------------------------------------------------ */

static const struct ok_case {
	const char *doc, *patch, *want;
} ok_cases[] = {
	/* add */
	{ "{}", "[{'op':'add','path':'/a','value':1}]", "{'a':1}" },
	{ "{'a':1,'b':2}", "[{'op':'add','path':'/c','value':[1,{'x':null}]}]",
	  "{'a':1,'b':2,'c':[1,{'x':null}]}" },
	/* An existing member is replaced where it stands, order kept. */
	{ "{'a':1,'b':2,'c':3}", "[{'op':'add','path':'/b','value':'x'}]",
	  "{'a':1,'b':'x','c':3}" },
	{ "{}", "[{'op':'add','path':'/','value':1}]", "{'':1}" },
	{ "{'a':{}}", "[{'op':'add','path':'/a/','value':1}]", "{'a':{'':1}}" },
	{ "{}", "[{'op':'add','path':'/a~1b~0c','value':1}]", "{'a/b~c':1}" },
	{ "{'0':1}", "[{'op':'add','path':'/01','value':2}]", "{'0':1,'01':2}" },
	{ "[1,2]", "[{'op':'add','path':'/0','value':0}]", "[0,1,2]" },
	{ "[1,2]", "[{'op':'add','path':'/1','value':9}]", "[1,9,2]" },
	{ "[1,2]", "[{'op':'add','path':'/2','value':3}]", "[1,2,3]" },
	{ "[1,2]", "[{'op':'add','path':'/-','value':3}]", "[1,2,3]" },
	{ "[]", "[{'op':'add','path':'/0','value':[1]}]", "[[1]]" },
	{ "{'a':[[0]]}", "[{'op':'add','path':'/a/0/-','value':1}]",
	  "{'a':[[0,1]]}" },
	{ "{'a':1}", "[{'op':'add','path':'','value':[true]}]", "[true]" },
	{ "[]", "[{'op':'add','path':'','value':{}}]", "{}" },
	/* Numbers keep their lexeme. */
	{ "{}", "[{'op':'add','path':'/n','value':1.50E+3}]", "{'n':1.50E+3}" },
	/* Members an op does not use are ignored (RFC 6902 4). */
	{ "{}", "[{'op':'add','path':'/a','value':1,'from':7,'x':{}}]",
	  "{'a':1}" },
	{ "{'a':1}", "[{'path':'/a','value':2,'op':'replace'}]", "{'a':2}" },
	/* remove */
	{ "{'a':1,'b':2,'c':3}", "[{'op':'remove','path':'/b'}]",
	  "{'a':1,'c':3}" },
	{ "[1,2,3]", "[{'op':'remove','path':'/0'}]", "[2,3]" },
	{ "[1,2,3]", "[{'op':'remove','path':'/2'}]", "[1,2]" },
	{ "{'a':[{'b':null}]}", "[{'op':'remove','path':'/a/0/b'}]",
	  "{'a':[{}]}" },
	{ "[1,2,3,4]", "[{'op':'remove','path':'/1'},{'op':'remove','path':'/2'}]",
	  "[1,3]" },
	/* replace */
	{ "{'a':1,'b':2}", "[{'op':'replace','path':'/a','value':null}]",
	  "{'a':null,'b':2}" },
	{ "[1,2]", "[{'op':'replace','path':'/1','value':[3]}]", "[1,[3]]" },
	{ "{'a':1}", "[{'op':'replace','path':'','value':'s'}]", "'s'" },
	{ "7", "[{'op':'replace','path':'','value':8}]", "8" },
	/* move */
	{ "{'a':1,'b':2}", "[{'op':'move','from':'/a','path':'/c'}]",
	  "{'b':2,'c':1}" },
	{ "{'a':1,'b':2}", "[{'op':'move','from':'/a','path':'/a'}]",
	  "{'a':1,'b':2}" },
	{ "{'a':1,'b':2}", "[{'op':'move','from':'/a','path':'/b'}]",
	  "{'b':1}" },
	{ "['all','grass','cows','eat']",
	  "[{'op':'move','from':'/1','path':'/3'}]",
	  "['all','cows','eat','grass']" },
	{ "[1,2,3]", "[{'op':'move','from':'/2','path':'/0'}]", "[3,1,2]" },
	{ "{'a':{'x':[1]},'b':[]}",
	  "[{'op':'move','from':'/a/x','path':'/b/-'}]", "{'a':{},'b':[[1]]}" },
	{ "{'a':{'b':1}}", "[{'op':'move','from':'/a/b','path':''}]", "1" },
	/* "/ab" starts like "/a" but is not inside it. */
	{ "{'a':1,'ab':{}}", "[{'op':'move','from':'/a','path':'/ab/x'}]",
	  "{'ab':{'x':1}}" },
	/* copy */
	{ "{'a':{'b':[1]}}", "[{'op':'copy','from':'/a','path':'/c'}]",
	  "{'a':{'b':[1]},'c':{'b':[1]}}" },
	{ "[1,2]", "[{'op':'copy','from':'/0','path':'/-'}]", "[1,2,1]" },
	{ "{'a':1}", "[{'op':'copy','from':'','path':'/self'}]",
	  "{'a':1,'self':{'a':1}}" },
	/* The copy is independent of its source, both ways. */
	{ "{'a':{'b':1}}",
	  "[{'op':'copy','from':'/a','path':'/c'},"
	  "{'op':'replace','path':'/c/b','value':2},"
	  "{'op':'add','path':'/a/d','value':3}]",
	  "{'a':{'b':1,'d':3},'c':{'b':2}}" },
	/* test */
	{ "{'a':[1,{'b':'c'}]}",
	  "[{'op':'test','path':'/a','value':[1,{'b':'c'}]},"
	  "{'op':'test','path':'/a/1/b','value':'c'},"
	  "{'op':'test','path':'','value':{'a':[1.0,{'b':'c'}]}}]",
	  "{'a':[1,{'b':'c'}]}" },
	{ "{'1e0':'x'}", "[{'op':'test','path':'/1e0','value':'x'}]",
	  "{'1e0':'x'}" },
	/* An empty patch changes nothing. */
	{ "{'b':1,'a':2}", "[]", "{'b':1,'a':2}" },
};

START_TEST(test_ok)
{
	const struct ok_case *c = &ok_cases[_i];
	rl_value *doc = J(c->doc), *patch = J(c->patch);
	const char *patch_before = dump(patch);
	rl_diag d = RL_DIAG_INIT;

	memset(&d, 0, sizeof(d));
	ck_assert_msg(rl_patch_apply(A, &doc, patch, &d) == 0,
	    "%s on %s: op %ld: %s: %s", c->patch, c->doc, d.op,
	    rl_code_name(d.code), d.message);
	ck_assert_str_eq(dump(doc), canon(c->want));
	/* The patch is read-only: nothing it added is shared with it. */
	ck_assert_str_eq(dump(patch), patch_before);
}
END_TEST

/* A later op must not edit the value held by the patch. */
START_TEST(test_value_not_shared)
{
	rl_value *doc = J("{}");
	rl_value *patch = J("[{'op':'add','path':'/a','value':{'b':[1]}},"
	    "{'op':'add','path':'/a/b/-','value':2},"
	    "{'op':'add','path':'/a/c','value':3}]");
	const char *before = dump(patch);

	ck_assert_int_eq(rl_patch_apply(A, &doc, patch, NULL), 0);
	ck_assert_str_eq(dump(doc), canon("{'a':{'b':[1,2],'c':3}}"));
	ck_assert_str_eq(dump(patch), before);
}
END_TEST

/* Ops that fail -------------------------------------------------------- */

static const struct err_case {
	const char *doc, *patch;
	const char *code;
	long op;
	const char *pointer;
	const char *message;      /* a substring of the message */
} err_cases[] = {
	/* patch-shape */
	{ "{}", "{'op':'add','path':'/a','value':1}", "patch-shape", -1, "",
	  "must be an array" },
	{ "{}", "[1]", "patch-shape", 0, "", "must be an object, not a number" },
	{ "{}", "[[]]", "patch-shape", 0, "", "not an array" },
	{ "{}", "[{'path':'/a','value':1}]", "patch-shape", 0, "/a",
	  "no \"op\" member" },
	{ "{}", "[{'op':1,'path':'/a','value':1}]", "patch-shape", 0, "/a",
	  "\"op\" must be a string, not a number" },
	{ "{}", "[{'op':'add','value':1}]", "patch-shape", 0, "",
	  "no \"path\" member" },
	{ "{}", "[{'op':'add','path':null,'value':1}]", "patch-shape", 0, "",
	  "\"path\" must be a string, not null" },
	{ "{}", "[{'op':'add','path':['/a'],'value':1}]", "patch-shape", 0, "",
	  "not an array" },
	{ "{'a':1}", "[{'op':'move','path':'/b'}]", "patch-shape", 0, "/b",
	  "move needs a \"from\" member" },
	{ "{'a':1}", "[{'op':'copy','path':'/b','from':1}]", "patch-shape", 0,
	  "/b", "\"from\" must be a string, not a number" },
	{ "{'a':1}", "[{'op':'copy','path':'/b','from':null}]", "patch-shape",
	  0, "/b", "not null" },
	/* op-unsupported */
	{ "{'a':1}", "[{'op':'spam','path':'/a','value':1}]", "op-unsupported",
	  0, "/a", "unknown op \"spam\"" },
	{ "{'a':1}", "[{'op':'Add','path':'/a','value':1}]", "op-unsupported",
	  0, "/a", "\"Add\"" },
	{ "{'a':1}", "[{'op':'','path':'/a','value':1}]", "op-unsupported",
	  0, "/a", "\"\"" },
	{ "{'a':1}", "[{'op':'add ','path':'/a','value':1}]", "op-unsupported",
	  0, "/a", "\"add \"" },
	/* op-value-missing */
	{ "[1]", "[{'op':'add','path':'/-'}]", "op-value-missing", 0, "/-",
	  "add needs a \"value\"" },
	{ "[1]", "[{'op':'replace','path':'/0'}]", "op-value-missing", 0, "/0",
	  "replace needs" },
	{ "[false]", "[{'op':'test','path':'/0'}]", "op-value-missing", 0,
	  "/0", "test needs" },
	/* pointer-syntax */
	{ "{}", "[{'op':'add','path':'a','value':1}]", "pointer-syntax", 0,
	  "a", "path \"a\"" },
	{ "{}", "[{'op':'add','path':'#/a','value':1}]", "pointer-syntax", 0,
	  "#/a", "start with" },
	{ "{}", "[{'op':'add','path':'/~2','value':1}]", "pointer-syntax", 0,
	  "/~2", "not followed by 0 or 1" },
	{ "{}", "[{'op':'add','path':'/a~','value':1}]", "pointer-syntax", 0,
	  "/a~", "at the end" },
	{ "{'a':1}", "[{'op':'copy','from':'/a~','path':'/b'}]",
	  "pointer-syntax", 0, "/a~", "from \"/a~\"" },
	/* patch-target: what is missing, and where */
	{ "{'foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "patch-target",
	  0, "/baz", "member \"baz\" not found" },
	{ "{'foo':'bar'}", "[{'op':'remove','path':'/m1/m2'}]", "patch-target",
	  0, "/m1/m2", "member \"m1\" not found" },
	{ "{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':1}]",
	  "patch-target", 0, "/baz/bat", "member \"baz\" not found" },
	{ "{'bar':'baz'}", "[{'op':'replace','path':'/foo','value':1}]",
	  "patch-target", 0, "/foo", "member \"foo\" not found" },
	{ "{'bar':[1,2]}", "[{'op':'add','path':'/bar/8','value':1}]",
	  "patch-target", 0, "/bar/8", "index 8 out of range (array has 2 items)" },
	{ "['a','b']", "[{'op':'add','path':'/3','value':1}]", "patch-target",
	  0, "/3", "index 3 out of range" },
	{ "['a']", "[{'op':'remove','path':'/1'}]", "patch-target", 0, "/1",
	  "index 1 out of range (array has 1 item)" },
	{ "[]", "[{'op':'replace','path':'/0','value':1}]", "patch-target", 0,
	  "/0", "index 0 out of range (array has 0 items)" },
	{ "{'bar':[1,2]}", "[{'op':'add','path':'/bar/-1','value':1}]",
	  "patch-target", 0, "/bar/-1", "\"-1\" is not an array index" },
	{ "['a','b']", "[{'op':'test','path':'/01','value':'b'}]",
	  "patch-target", 0, "/01", "\"01\" is not an array index" },
	{ "['a','b']", "[{'op':'test','path':'/00','value':'a'}]",
	  "patch-target", 0, "/00", "\"00\" is not an array index" },
	{ "['a','b']", "[{'op':'test','path':'/1e0','value':'b'}]",
	  "patch-target", 0, "/1e0", "\"1e0\" is not an array index" },
	{ "['a','b']", "[{'op':'add','path':'/bar','value':1}]",
	  "patch-target", 0, "/bar", "\"bar\" is not an array index" },
	{ "[[1]]", "[{'op':'add','path':'/x/0','value':1}]",
	  "patch-target", 0, "/x/0", "\"x\" is not an array index" },
	{ "[1]", "[{'op':'remove','path':'/-'}]", "patch-target", 0, "/-",
	  "\"-\" names no existing item" },
	{ "[[1]]", "[{'op':'add','path':'/-/0','value':1}]", "patch-target",
	  0, "/-/0", "\"-\" names no existing item" },
	{ "{'foo':{'n':1}}", "[{'op':'add','path':'/foo/n/x','value':1}]",
	  "patch-target", 0, "/foo/n/x",
	  "\"/foo/n\" is a number, not an object or array" },
	{ "{'foo':'s'}", "[{'op':'replace','path':'/foo/0/1','value':1}]",
	  "patch-target", 0, "/foo/0/1", "\"/foo\" is a string" },
	{ "true", "[{'op':'add','path':'/x','value':1}]", "patch-target", 0,
	  "/x", "the document is true, not an object or array" },
	{ "{'a':1}", "[{'op':'remove','path':''}]", "patch-target", 0, "",
	  "whole document" },
	{ "{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]",
	  "patch-target", 0, "/a/b/c", "into one of its own children" },
	{ "{'a':{}}", "[{'op':'move','from':'','path':'/a'}]",
	  "patch-target", 0, "/a", "own children" },
	{ "{'foo':1}", "[{'op':'move','from':'/bar','path':'/foo'}]",
	  "patch-target", 0, "/bar", "member \"bar\" not found" },
	{ "{'foo':1}", "[{'op':'move','from':'/bar','path':'/bar'}]",
	  "patch-target", 0, "/bar", "member \"bar\" not found" },
	{ "{'foo':1}", "[{'op':'copy','from':'/bar','path':'/foo'}]",
	  "patch-target", 0, "/bar", "member \"bar\" not found" },
	{ "{'baz':[1,2,3]}", "[{'op':'copy','from':'/baz/1e0','path':'/boo'}]",
	  "patch-target", 0, "/baz/1e0", "not an array index" },
	{ "{'a':1,'b':{}}", "[{'op':'move','from':'/b','path':'/b/c'}]",
	  "patch-target", 0, "/b/c", "own children" },
	/* The source is removed first, then the target fails: both undone. */
	{ "{'a':{'x':1}}", "[{'op':'move','from':'/a/x','path':'/nope/x'}]",
	  "patch-target", 0, "/nope/x", "member \"nope\" not found" },
	/* Messages quote odd names so that they stay on one line. */
	{ "{}", "[{'op':'remove','path':'/a\\nb\\\"c'}]", "patch-target", 0,
	  "/a\nb\"c", "member \"a\\u000ab\\\"c\" not found" },
	/* patch-test-failed */
	{ "{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]",
	  "patch-test-failed", 0, "/baz", "a string differs" },
	{ "{'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]",
	  "patch-test-failed", 0, "/~01",
	  "found a number where a string was expected" },
	{ "{'a':true}", "[{'op':'test','path':'/a','value':1}]",
	  "patch-test-failed", 0, "/a", "found true where a number" },
	/* The index of the failing op, counted from 0. */
	{ "[1]",
	  "[{'op':'test','path':'/0','value':1},"
	  "{'op':'add','path':'/-','value':2},"
	  "{'op':'remove','path':'/5'}]",
	  "patch-target", 2, "/5", "index 5 out of range (array has 2 items)" },
	{ "{}", "[{'op':'add','path':'/a','value':1},"
	  "{'op':'add','path':'/b','value':2},"
	  "{'op':'add','path':'/c','value':3},"
	  "{'op':'move','path':'/d'}]", "patch-shape", 3, "/d", "from" },
};

START_TEST(test_err)
{
	const struct err_case *c = &err_cases[_i];
	rl_value *doc = J(c->doc), *orig = doc, *patch = J(c->patch);
	const char *before = dump(doc);
	rl_diag d = RL_DIAG_INIT;

	memset(&d, 0, sizeof(d));
	ck_assert_msg(rl_patch_apply(A, &doc, patch, &d) == -1,
	    "%s on %s applied: %s", c->patch, c->doc, dump(doc));
	ck_assert_str_eq(rl_code_name(d.code), c->code);
	ck_assert_int_eq(d.op, c->op);
	ck_assert_str_eq(d.pointer, c->pointer);
	ck_assert_msg(strstr(d.message, c->message) != NULL,
	    "message \"%s\" lacks \"%s\"", d.message, c->message);
	ck_assert_ptr_eq(doc, orig);
	ck_assert_str_eq(dump(doc), before);
}
END_TEST

/* Atomicity: earlier ops of a failing patch leave no trace --------------- */

static const struct atomic_case {
	const char *doc, *patch;
} atomic_cases[] = {
	{ "{'a':[1,2,3],'b':[]}",
	  "[{'op':'move','from':'/a/0','path':'/b/-'},"
	  "{'op':'copy','from':'/b','path':'/a/0'},"
	  "{'op':'remove','path':'/nope'}]" },
	{ "{'arr':[1,2,3,4,5]}",
	  "[{'op':'add','path':'/arr/0','value':0},"
	  "{'op':'remove','path':'/arr/3'},"
	  "{'op':'test','path':'/arr/0','value':1}]" },
	{ "{'keep':{'x':1}}",
	  "[{'op':'replace','path':'','value':{'new':[]}},"
	  "{'op':'add','path':'/new/-','value':1},"
	  "{'op':'remove','path':'/keep'}]" },
	{ "{'a':1,'b':2,'c':3}",
	  "[{'op':'add','path':'/b','value':'x'},"
	  "{'op':'move','from':'/a','path':'/z'},"
	  "{'op':'replace','path':'/a','value':0}]" },
	{ "[1,2,3]",
	  "[{'op':'remove','path':'/0'},"
	  "{'op':'remove','path':'/0'},"
	  "{'op':'add','path':'/5','value':1}]" },
	{ "{'a':{'b':{'c':[1,{'d':2}]}},'e':[]}",
	  "[{'op':'copy','from':'','path':'/self'},"
	  "{'op':'move','from':'/a/b/c/1','path':'/e/0'},"
	  "{'op':'move','from':'/self/a','path':'/a/b/c/1/x'}]" },
	{ "{'m':{'k1':1,'k2':2,'k3':3}}",
	  "[{'op':'remove','path':'/m/k1'},"
	  "{'op':'move','from':'/m/k3','path':'/m/k1'},"
	  "{'op':'spam','path':'/m'}]" },
	{ "[[1,2],[3,4]]",
	  "[{'op':'move','from':'/0/1','path':'/1/0'},"
	  "{'op':'move','from':'/1','path':'/0/0'},"
	  "{'op':'test','path':'/0/0','value':[3,4]}]" },
};

START_TEST(test_atomic)
{
	const struct atomic_case *c = &atomic_cases[_i];
	rl_value *doc = J(c->doc), *orig = doc, *patch = J(c->patch);
	const char *before = dump(doc);
	rl_diag d = RL_DIAG_INIT;

	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(rl_patch_apply(A, &doc, patch, &d), -1);
	ck_assert_int_eq(d.op, 2);
	ck_assert_ptr_eq(doc, orig);
	ck_assert_str_eq(dump(doc), before);
	/* The restored containers still take edits: same result as fresh. */
	patch = J(doc->type == RL_OBJECT ?
	    "[{'op':'copy','from':'','path':'/z'}]" :
	    "[{'op':'copy','from':'','path':'/0'}]");
	ck_assert_int_eq(rl_patch_apply(A, &doc, patch, &d), 0);
	{
		rl_value *fresh = J(c->doc);

		ck_assert_int_eq(rl_patch_apply(A, &fresh, patch, &d), 0);
		ck_assert_str_eq(dump(doc), dump(fresh));
	}
}
END_TEST

/* Out of memory at any step: the document is left as it was. */
START_TEST(test_nomem)
{
	static const char doc_text[] = "{'a':[1,2,3],'b':{'c':'d'}}";
	static const char patch_text[] =
	    "[{'op':'add','path':'/a/1','value':[9,9]},"
	    "{'op':'add','path':'/n1','value':1},"
	    "{'op':'add','path':'/n2','value':{'x':[1,2,3,4,5]}},"
	    "{'op':'copy','from':'/b','path':'/a/-'},"
	    "{'op':'move','from':'/a/0','path':'/b/e'},"
	    "{'op':'add','path':'/a/-','value':5},"
	    "{'op':'add','path':'/a/-','value':6},"
	    "{'op':'replace','path':'','value':{'r':1}}]";
	rl_value *patch = J(patch_text);
	const char *before = canon(doc_text);
	unsigned long n;
	int failures = 0;

	for (n = 1; n < 10000; n++) {
		/* Tiny chunks: nearly every allocation reaches malloc. */
		rl_arena *small = rl_arena_new(16);
		rl_value *doc = J(doc_text);
		rl_diag d = RL_DIAG_INIT;
		int r;

		ck_assert_ptr_nonnull(small);
		rl_alloc_fail_after(n);
		r = rl_patch_apply(small, &doc, patch, &d);
		rl_alloc_fail_after(0);
		if (r == 0) {
			ck_assert_str_eq(dump(doc), canon("{'r':1}"));
			rl_arena_free(small);
			break;
		}
		failures++;
		ck_assert_str_eq(rl_code_name(d.code), "out-of-memory");
		ck_assert_str_eq(dump(doc), before);
		rl_arena_free(small);
	}
	ck_assert_int_gt(failures, 10);
	ck_assert_uint_lt(n, 10000);
}
END_TEST

/* Undo marks: ops one by one, failing ones skipped ---------------------- */

START_TEST(test_one_by_one)
{
	rl_value *doc = J("{'a':[1,2,3],'b':{}}"), *orig = doc;
	rl_value *ops = J("["
	    "{'op':'add','path':'/a/-','value':4},"
	    "{'op':'remove','path':'/nope'},"
	    "{'op':'move','from':'/a/0','path':'/b/x'},"
	    "{'op':'test','path':'/b/x','value':1},"
	    "{'op':'move','from':'/a/0','path':'/missing/y'},"
	    "{'op':'replace','path':'/a/9','value':0},"
	    "{'op':'add','path':'','value':{'root':[]}},"
	    "{'op':'add','path':'/root/-','value':true}"
	    "]");
	static const int fails[] = { 0, 1, 0, 0, 1, 1, 0, 0 };
	const char *before = dump(doc), *after_move = NULL;
	size_t i, mark_after_move = 0;
	rl_undo *u = rl_undo_new(A);
	rl_diag d = RL_DIAG_INIT;

	ck_assert_ptr_nonnull(u);
	ck_assert_uint_eq(rl_undo_mark(u), 0);
	for (i = 0; i < ops->u.a.n; i++) {
		size_t mark = rl_undo_mark(u);
		const char *prev = dump(doc);
		int r;

		rl_diag_clear(&d);      /* each op's own reason */
		r = rl_patch_apply_op(A, &doc, ops->u.a.items[i], u, &d);

		ck_assert_msg(r == (fails[i] ? -1 : 0), "op %zu: %s", i, d.message);
		if (r == -1) {
			/* A failing op undid its own edits (the move's removal). */
			ck_assert_uint_eq(rl_undo_mark(u), mark);
			ck_assert_str_eq(dump(doc), prev);
			ck_assert_str_eq(rl_code_name(d.code), "patch-target");
		}
		if (i == 3) {
			after_move = dump(doc);
			mark_after_move = rl_undo_mark(u);
		}
	}
	ck_assert_str_eq(dump(doc), canon("{'root':[true]}"));
	rl_undo_rollback(u, &doc, mark_after_move);
	ck_assert_str_eq(after_move, canon("{'a':[2,3,4],'b':{'x':1}}"));
	ck_assert_str_eq(dump(doc), after_move);
	rl_undo_rollback(u, &doc, 0);
	ck_assert_ptr_eq(doc, orig);
	ck_assert_str_eq(dump(doc), before);
	ck_assert_uint_eq(rl_undo_mark(u), 0);
}
END_TEST

/* Appending many items stays linear: log and arrays grow by doubling. */
START_TEST(test_many_ops)
{
	rl_value *doc = J("[]"), *op = J("{'op':'add','path':'/-','value':1}");
	rl_undo *u = rl_undo_new(A);
	size_t i, n = 100000;

	ck_assert_ptr_nonnull(u);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(rl_patch_apply_op(A, &doc, op, u, NULL), 0);
	ck_assert_uint_eq(doc->u.a.n, n);
	rl_undo_rollback(u, &doc, 0);
	ck_assert_uint_eq(doc->u.a.n, 0);
}
END_TEST

/* `test` equality ----------------------------------------------------- */

static const struct eq_case {
	const char *a, *b;
	int equal;
} eq_cases[] = {
	{ "1", "1", 1 },
	{ "1", "1.0", 1 },
	{ "1", "1e0", 1 },
	{ "1.0", "1E0", 1 },
	{ "100", "1e2", 1 },
	{ "1", "10e-1", 1 },
	{ "0", "-0", 1 },
	{ "0.5", "5e-1", 1 },
	{ "1", "2", 0 },
	{ "1", "1.0000000000000000001", 0 },
	{ "12345678901234567890", "12345678901234567891", 0 },
	{ "true", "1", 0 },
	{ "false", "0", 0 },
	{ "true", "false", 0 },
	{ "null", "false", 0 },
	{ "null", "null", 1 },
	{ "'1'", "1", 0 },
	{ "'a'", "'a'", 1 },
	{ "'a'", "'A'", 0 },
	{ "'\\u00e9'", "'\xc3\xa9'", 1 },
	{ "'a\\u0000b'", "'a\\u0000c'", 0 },
	{ "'a\\u0000b'", "'a\\u0000b'", 1 },
	{ "{'a':1,'b':2}", "{'b':2,'a':1}", 1 },
	{ "{'a':{'x':1,'y':[1,{'p':1,'q':2}]}}",
	  "{'a':{'y':[1.0,{'q':2,'p':1}],'x':1}}", 1 },
	{ "{'a':1}", "{'a':1,'b':2}", 0 },
	{ "{'a':null}", "{}", 0 },
	{ "{'a':1}", "{'b':1}", 0 },
	{ "[1,2]", "[2,1]", 0 },
	{ "[1,2]", "[1,2]", 1 },
	{ "[1,2]", "[1,2,2]", 0 },
	{ "[]", "{}", 0 },
	{ "[[]]", "[[]]", 1 },
};

START_TEST(test_equal)
{
	const struct eq_case *c = &eq_cases[_i];
	char text[256];
	rl_value *doc, *patch;
	rl_diag d = RL_DIAG_INIT;
	int r;

	snprintf(text, sizeof(text), "{'v':%s}", c->a);
	doc = J(text);
	snprintf(text, sizeof(text), "[{'op':'test','path':'/v','value':%s}]",
	    c->b);
	patch = J(text);
	r = rl_patch_apply(A, &doc, patch, &d);
	ck_assert_msg(r == (c->equal ? 0 : -1), "%s vs %s: %d", c->a, c->b, r);
	if (r == -1)
		ck_assert_str_eq(rl_code_name(d.code), "patch-test-failed");
}
END_TEST

START_TEST(test_op_names)
{
	static const char *const names[] = {
		"add", "remove", "replace", "move", "copy", "test"
	};
	int k;

	for (k = 0; k < NELEM(names); k++) {
		ck_assert_int_eq(rl_op_kind_of(names[k], strlen(names[k])), k);
		ck_assert_str_eq(rl_op_name((rl_op_kind)k), names[k]);
	}
	ck_assert_int_eq(rl_op_kind_of("ADD", 3), RL_OP_UNKNOWN);
	ck_assert_int_eq(rl_op_kind_of("ad", 2), RL_OP_UNKNOWN);
	ck_assert_int_eq(rl_op_kind_of("add\0", 4), RL_OP_UNKNOWN);
	ck_assert_ptr_null(rl_op_name(RL_OP_UNKNOWN));
}
END_TEST

/*
 * The first error wins: a later one, set directly or by a failing call,
 * leaves it whole, position and all; NULL wants nothing; a cleared diag
 * takes the next one.
 */
START_TEST(test_first_error_wins)
{
	rl_value *doc = J("{'a':1}");
	const rl_value *patch = J("[{'op':'add','path':'/a','value':2},"
	    "{'op':'remove','path':'/b'}]");
	rl_pointer p;
	rl_diag d = RL_DIAG_INIT;

	ck_assert_int_eq(rl_diag_set(NULL, RL_NOMEM, "nobody"), -1);
	ck_assert(rl_diag_wants(&d));
	ck_assert_int_eq(rl_diag_set(&d, RL_VALUE_ENUM, "first"), -1);
	ck_assert(!rl_diag_wants(&d));
	ck_assert_int_eq(rl_diag_set(&d, RL_NOMEM, "second"), -1);
	ck_assert_int_eq(rl_pointer_parse(A, "x~", 2, &p, &d), -1);
	ck_assert_ptr_null(rl_parse_value("{", 1, NULL, A, &d));
	ck_assert_int_eq(rl_patch_apply(A, &doc, patch, &d), -1);
	ck_assert_str_eq(rl_code_name(d.code), "value-enum");
	ck_assert_str_eq(d.message, "first");
	ck_assert_str_eq(d.pointer, "");
	ck_assert_int_eq(d.op, -1);
	ck_assert_str_eq(rl_test_dump(doc), "{\"a\":1}");

	rl_diag_clear(&d);
	ck_assert(rl_diag_wants(&d));
	ck_assert_int_eq(d.code, RL_OK);
	ck_assert_int_eq(rl_patch_apply(A, &doc, patch, &d), -1);
	ck_assert_str_eq(rl_code_name(d.code), "patch-target");
	ck_assert_str_eq(d.pointer, "/b");
	ck_assert_int_eq(d.op, 1);
	rl_diag_clear(NULL);
}
END_TEST

static Suite *
patch_suite(void)
{
	Suite *s = suite_create("patch");
	TCase *tc;

	tc = tcase_create("apply");
	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_loop_test(tc, test_ok, 0, NELEM(ok_cases));
	tcase_add_test(tc, test_value_not_shared);
	tcase_add_test(tc, test_op_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_loop_test(tc, test_err, 0, NELEM(err_cases));
	tcase_add_test(tc, test_first_error_wins);
	suite_add_tcase(s, tc);

	tc = tcase_create("atomic");
	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_loop_test(tc, test_atomic, 0, NELEM(atomic_cases));
	tcase_add_test(tc, test_nomem);
	suite_add_tcase(s, tc);

	tc = tcase_create("undo");
	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_test(tc, test_one_by_one);
	tcase_add_test(tc, test_many_ops);
	suite_add_tcase(s, tc);

	tc = tcase_create("equal");
	tcase_add_checked_fixture(tc, rl_test_setup, rl_test_teardown);
	tcase_add_loop_test(tc, test_equal, 0, NELEM(eq_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return rl_test_run(patch_suite());
}
