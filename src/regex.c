/* regex.c: PCRE2 patterns compiled once, matched with limits. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "regex.h"

struct rl_regex {
	pcre2_code *code;
	pcre2_match_context *mctx;
	pcre2_match_data *md;    /* reused by every match */
	int jit;
	char msg[RL_RE_MSG];     /* text of the last error */
};

/*
 * A worker thread's own match data and message (rl_regex_thread_begin):
 * a handle's are the calling thread's, and two threads may match with one
 * handle at once.  One pair of offsets is all a match asks for.
 */
struct thread_state {
	int on;
	pcre2_match_data *md;       /* NULL when it could not be made */
	char msg[RL_RE_MSG];
};
static __thread struct thread_state ts;

void
rl_regex_thread_begin(void)
{
	ts.on = 1;
	ts.md = pcre2_match_data_create(1, NULL);
	ts.msg[0] = '\0';
}

void
rl_regex_thread_end(void)
{
	pcre2_match_data_free(ts.md);
	ts.md = NULL;
	ts.on = 0;
}

/* PCRE2's allocator hooks, so that fault-injection tests reach PCRE2 too. */
static void *
re_malloc(PCRE2_SIZE n, void *data)
{
	(void)data;
	return rl_malloc(n);
}

static void
re_free(void *p, void *data)
{
	(void)data;
	rl_free(p);
}

static rl_regex *
re_fail(rl_regex_error *err, int code, size_t offset)
{
	if (err == NULL)
		return NULL;
	err->nomem = code == PCRE2_ERROR_NOMEMORY ||
	    code == PCRE2_ERROR_HEAP_FAILED;
	err->offset = offset;
	if (err->nomem)
		snprintf(err->message, sizeof(err->message), "out of memory");
	else if (pcre2_get_error_message(code, (PCRE2_UCHAR *)err->message,
	    sizeof(err->message)) < 0 && err->message[0] == '\0')
		snprintf(err->message, sizeof(err->message),
		    "PCRE2 error %d", code);
	return NULL;
}

rl_regex *
rl_regex_new(const char *pattern, size_t len, unsigned flags,
    rl_regex_error *err)
{
	pcre2_general_context *gctx;
	pcre2_compile_context *cctx;
	rl_regex *re;
	uint32_t opts = PCRE2_UTF | PCRE2_DOLLAR_ENDONLY |
	    PCRE2_NEVER_BACKSLASH_C;
	int code;
	PCRE2_SIZE offset;
	size_t jitsize;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (flags & RL_RE_CASELESS)
		opts |= PCRE2_CASELESS;
	if ((re = rl_malloc(sizeof(*re))) == NULL)
		return re_fail(err, PCRE2_ERROR_NOMEMORY, 0);
	memset(re, 0, sizeof(*re));

	/* The code, contexts and match data keep their own copy of it. */
	if ((gctx = pcre2_general_context_create(re_malloc, re_free,
	    NULL)) == NULL) {
		rl_free(re);
		return re_fail(err, PCRE2_ERROR_NOMEMORY, 0);
	}
	if ((cctx = pcre2_compile_context_create(gctx)) == NULL) {
		code = PCRE2_ERROR_NOMEMORY;
		offset = 0;
	} else {
		re->code = pcre2_compile((PCRE2_SPTR)pattern, len, opts,
		    &code, &offset, cctx);
		pcre2_compile_context_free(cctx);
	}
	if (re->code == NULL) {
		pcre2_general_context_free(gctx);
		rl_free(re);
		return re_fail(err, code, offset);
	}
	re->mctx = pcre2_match_context_create(gctx);
	/* One pair is enough: callers only ask whether it matched. */
	re->md = pcre2_match_data_create(1, gctx);
	pcre2_general_context_free(gctx);
	if (re->mctx == NULL || re->md == NULL) {
		rl_regex_free(re);
		return re_fail(err, PCRE2_ERROR_NOMEMORY, 0);
	}
	rl_regex_set_limits(re, RL_RE_MATCH_LIMIT, RL_RE_DEPTH_LIMIT,
	    RL_RE_HEAP_LIMIT);
	/*
	 * Best effort: without JIT (unsupported, no memory, or (*NO_JIT) in
	 * the pattern) we interpret, so only the size tells what we got.
	 */
	if (pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0 &&
	    pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jitsize) == 0)
		re->jit = jitsize > 0;
	return re;
}

void
rl_regex_free(rl_regex *re)
{
	if (re == NULL)
		return;
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	rl_free(re);
}

void
rl_regex_set_limits(rl_regex *re, uint32_t match_limit, uint32_t depth_limit,
    uint32_t heap_kib)
{
	if (match_limit != 0)
		pcre2_set_match_limit(re->mctx, match_limit);
	if (depth_limit != 0)
		pcre2_set_depth_limit(re->mctx, depth_limit);
	if (heap_kib != 0)
		pcre2_set_heap_limit(re->mctx, heap_kib);
}

int
rl_regex_jit(const rl_regex *re)
{
	return re->jit;
}

const char *
rl_regex_errmsg(const rl_regex *re)
{
	return ts.on ? ts.msg : re->msg;
}

static int
re_error(rl_regex *re, pcre2_match_data *md, char *msg, int rc)
{
	char text[120] = "";   /* PCRE2's longest message is shorter */

	(void)re;
	if (rc == PCRE2_ERROR_NOMEMORY) {
		snprintf(msg, RL_RE_MSG, "out of memory");
		return RL_RE_NOMEM;
	}
	if (pcre2_get_error_message(rc, (PCRE2_UCHAR *)text,
	    sizeof(text)) < 0 && text[0] == '\0')
		snprintf(text, sizeof(text), "PCRE2 error %d", rc);
	/* After a UTF-8 error, "startchar" is where the bad character is. */
	if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
		snprintf(msg, RL_RE_MSG, "%s at byte %zu", text,
		    (size_t)pcre2_get_startchar(md));
	else
		snprintf(msg, RL_RE_MSG, "%s", text);
	return RL_RE_ERROR;
}

int
rl_regex_match(rl_regex *re, const char *subject, size_t len)
{
	pcre2_match_data *md = ts.on ? ts.md : re->md;
	char *msg = ts.on ? ts.msg : re->msg;
	int rc;

	msg[0] = '\0';
	if (md == NULL) {
		snprintf(msg, RL_RE_MSG, "out of memory");
		return RL_RE_NOMEM;
	}
	/* PCRE2 rejects a NULL subject even when it is empty. */
	if (subject == NULL)
		subject = "";
	rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, 0, md,
	    re->mctx);
	/*
	 * JIT's stack is small and fixed; the interpreter works from the heap
	 * under the depth and heap limits, so give it the last word.
	 */
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
		rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0,
		    PCRE2_NO_JIT, md, re->mctx);
	if (rc >= 0)
		return RL_RE_MATCH;
	if (rc == PCRE2_ERROR_NOMATCH)
		return RL_RE_NOMATCH;
	return re_error(re, md, msg, rc);
}
