/*
 * reader_yajl.c: the shim around yajl (reader_int.h).  yajl's allocator,
 * which must not return NULL; the calls into yajl; its error messages as
 * diagnostics with our positions; and the pre-scan for lone surrogate
 * escapes, which yajl would accept silently.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "reader_int.h"

static void
y_link(struct rl_reader *r, union yblk *b)
{
	b->l.prev = NULL;
	b->l.next = r->blocks;
	if (r->blocks != NULL)
		r->blocks->l.prev = b;
	r->blocks = b;
}

static void
y_unlink(struct rl_reader *r, union yblk *b)
{
	if (b->l.prev != NULL)
		b->l.prev->l.next = b->l.next;
	else
		r->blocks = b->l.next;
	if (b->l.next != NULL)
		b->l.next->l.prev = b->l.prev;
}

/*
 * yajl dereferences what its allocator returns without a check, so inside
 * yajl a failed allocation leaves through longjmp to rl_rd_ycall(), which frees
 * every block of the abandoned handle.  Outside (yajl_get_error), NULL is
 * handled.
 */
static void *
y_oom(struct rl_reader *r)
{
	if (r->in_yajl)
		longjmp(r->oom, 1);
	return NULL;
}

static void *
y_malloc(void *ctx, size_t n)
{
	struct rl_reader *r = ctx;
	union yblk *b;

	if (n > SIZE_MAX - sizeof(*b) ||
	    (b = rl_malloc(sizeof(*b) + n)) == NULL)
		return y_oom(r);
	y_link(r, b);
	return b + 1;
}

static void *
y_realloc(void *ctx, void *p, size_t n)
{
	struct rl_reader *r = ctx;
	union yblk *b, *nb;

	if (p == NULL)
		return y_malloc(ctx, n);
	b = (union yblk *)p - 1;
	if (n > SIZE_MAX - sizeof(*b))
		return y_oom(r);
	y_unlink(r, b);
	if ((nb = rl_realloc(b, sizeof(*b) + n)) == NULL) {
		y_link(r, b);
		return y_oom(r);
	}
	y_link(r, nb);
	return nb + 1;
}

static void
y_free(void *ctx, void *p)
{
	struct rl_reader *r = ctx;
	union yblk *b;

	if (p == NULL)
		return;
	b = (union yblk *)p - 1;
	y_unlink(r, b);
	rl_free(b);
}

void
rl_rd_yajl_free_all(struct rl_reader *r)
{
	union yblk *b, *next;

	for (b = r->blocks; b != NULL; b = next) {
		next = b->l.next;
		rl_free(b);
	}
	r->blocks = NULL;
}

void
rl_rd_drop_handle(struct rl_reader *r)
{
	if (r->h != NULL)
		yajl_free(r->h);
	r->h = NULL;
}

/* yajl_parse (p != NULL) or yajl_complete_parse, creating the handle. */
yajl_status
rl_rd_ycall(struct rl_reader *r, const unsigned char *p, size_t n)
{
	yajl_status st;

	if (setjmp(r->oom) != 0) {
		/* y_oom: the handle is beyond repair; free its blocks */
		r->in_yajl = 0;
		r->h = NULL;
		rl_rd_yajl_free_all(r);
		rl_rd_nomem(r);
		return yajl_status_error;
	}
	r->in_yajl = 1;
	if (r->h == NULL) {
		r->afs.malloc = y_malloc;
		r->afs.realloc = y_realloc;
		r->afs.free = y_free;
		r->afs.ctx = r;
		r->h = yajl_alloc(&rl_rd_callbacks, &r->afs, r);
		yajl_config(r->h, yajl_allow_multiple_values,
		    r->fmt != RL_FMT_VALUE);
		yajl_config(r->h, yajl_allow_comments, r->comments);
	}
	st = p != NULL ? yajl_parse(r->h, p, n) : yajl_complete_parse(r->h);
	r->in_yajl = 0;
	return st;
}

/* The first byte after the last member value, if this piece holds it. */
int
rl_rd_after_member(struct rl_reader *r)
{
	size_t i = r->vend > r->g ? (size_t)(r->vend - r->g) : 0;

	if (!r->vscan)
		return 1;
	for (; i < r->n; i++)
		if (!is_ws(r->p[i])) {
			r->vpos = pos_at(r, i);
			r->vscan = 0;
			return 1;
		}
	return 0;
}

/* yajl reported an error: note it with its position. */
void
rl_rd_yajl_failed(struct rl_reader *r)
{
	unsigned char *msg;
	const char *text;
	char what[128];
	size_t off = tok_end(r), len;
	struct pos at;
	int before, member;

	msg = yajl_get_error(r->h, 0, NULL, 0);
	text = msg != NULL ? (const char *)msg : "syntax error";
	/*
	 * yajl's offset is at the offending byte, or just past it for an
	 * unexpected token, a stray byte or bad UTF-8.
	 */
	before = strncmp(text, "parse error", 11) == 0 ||
	    strstr(text, "invalid char in") != NULL ||
	    strstr(text, "invalid bytes in UTF8") != NULL;
	member = strstr(text, "after key and value") != NULL;
	if (strncmp(text, "lexical error: ", 15) == 0)
		text += 15;
	else if (strncmp(text, "parse error: ", 13) == 0)
		text += 13;
	len = strcspn(text, "\n");
	if (len > 0 && text[len - 1] == '.')
		len--;
	if (strncmp(text, "premature EOF", 13) == 0) {
		snprintf(what, sizeof(what), "unexpected end of input");
		before = 0;
	} else
		snprintf(what, sizeof(what), "%.*s", (int)len, text);
	if (msg != NULL)
		yajl_free_error(r->h, msg);
	if (member && rl_rd_after_member(r))
		at = r->vpos;
	else if (before)
		at = pos_before(r, off);
	else
		at = pos_at(r, off);
	rl_rd_fail_at(r, RL_JSON_SYNTAX, &at, what);
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * yajl turns a lone high surrogate escape into '?' and a lone low one into
 * invalid UTF-8, silently.  Follow the backslashes of p[0..k) and return
 * how much of it yajl may have: all of it, or the bytes before the one that
 * proves an escape lone (esc_lone is then set).  Backslashes occur only in
 * strings of valid JSON, so escapes stay in step; elsewhere yajl fails
 * anyway.
 */
size_t
rl_rd_prescan(struct rl_reader *r, size_t k)
{
	const unsigned char *p = r->p, *q;
	size_t i = 0;
	int h;

	while (i < k) {
		switch (r->esc) {
		case ESC_NONE:
			if ((q = memchr(p + i, '\\', k - i)) == NULL)
				return k;
			i = (size_t)(q - p);
			r->esc = ESC_BS;
			r->esc_here = 1;
			r->esc_i = i++;
			break;
		case ESC_BS:
			/* \\ and the other escapes are two bytes */
			r->esc = p[i++] == 'u' ? ESC_HEX : ESC_NONE;
			r->esc_n = r->esc_v = 0;
			break;
		case ESC_HEX:
			if ((h = hexval(p[i])) < 0) {
				r->esc = ESC_NONE;   /* yajl rejects it */
				break;
			}
			r->esc_v = r->esc_v << 4 | (unsigned)h;
			if (++r->esc_n < 4) {
				i++;
				break;
			}
			if (r->esc_v >= 0xDC00 && r->esc_v <= 0xDFFF) {
				r->esc_sur = r->esc_v;
				goto lone;
			}
			if (r->esc_v >= 0xD800 && r->esc_v <= 0xDBFF) {
				r->esc_sur = r->esc_v;
				r->esc = ESC_HIGH;
			} else
				r->esc = ESC_NONE;
			i++;
			break;
		case ESC_HIGH:
			if (p[i] != '\\')
				goto lone;
			r->esc = ESC_HIGH_BS;
			i++;
			break;
		case ESC_HIGH_BS:
			if (p[i] != 'u')
				goto lone;
			r->esc = ESC_LOW;
			r->esc_n = r->esc_v = 0;
			i++;
			break;
		case ESC_LOW:
			if ((h = hexval(p[i])) < 0)
				goto lone;
			r->esc_v = r->esc_v << 4 | (unsigned)h;
			if (++r->esc_n < 4) {
				i++;
				break;
			}
			if (r->esc_v < 0xDC00 || r->esc_v > 0xDFFF)
				goto lone;
			r->esc = ESC_NONE;
			i++;
			break;
		}
	}
	return k;
lone:
	r->esc_lone = 1;
	return i;
}

/* An escape still open at the end of input is lone too. */
int
rl_rd_escape_pending(const struct rl_reader *r)
{
	return r->esc == ESC_HIGH || r->esc == ESC_HIGH_BS || r->esc == ESC_LOW;
}

/* Where the pending escape began, while its piece is still at hand. */
void
rl_rd_keep_escape(struct rl_reader *r)
{
	if (r->esc != ESC_NONE && r->esc_here) {
		r->esc_at = pos_at(r, r->esc_i);
		r->esc_here = 0;
	}
}

void
rl_rd_fail_escape(struct rl_reader *r)
{
	char what[48];

	rl_rd_keep_escape(r);
	snprintf(what, sizeof(what), "lone surrogate escape \\u%04X",
	    r->esc_sur);
	rl_rd_fail_at(r, RL_JSON_SYNTAX, &r->esc_at, what);
}
