/* pointer.c: RFC 6901 JSON Pointer: parsing, evaluation and formatting. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "pointer.h"

/*
 * A syntax error: d is set and names the pointer, unless d holds an
 * earlier error.  Returns -1.
 */
static int
bad(rl_diag *d, const char *s, size_t len, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int
bad(rl_diag *d, const char *s, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!rl_diag_wants(d))
		return -1;
	va_start(ap, fmt);
	rl_diag_vset(d, RL_POINTER_SYNTAX, fmt, ap);
	va_end(ap);
	rl_diag_set_pointer(d, s, len);
	return -1;
}

int
rl_pointer_parse(rl_arena *a, const char *s, size_t len, rl_pointer *p,
    rl_diag *d)
{
	size_t i, n = 0;
	char *out;

	p->tok = NULL;
	p->n = 0;
	if (len == 0)
		return 0;
	if (s[0] != '/')
		return bad(d, s, len,
		    "a JSON Pointer must be empty or start with \"/\"");
	if (memchr(s, '~', len) == NULL) {
		/* No escapes (nearly every path): one copy, slashes become NULs. */
		for (i = 0; i < len; i++)
			n += s[i] == '/';
		if ((p->tok = rl_arena_alloc(a, n * sizeof(*p->tok))) == NULL ||
		    (out = rl_arena_alloc(a, len)) == NULL) {
			p->tok = NULL;
			return rl_diag_set(d, RL_NOMEM, "out of memory");
		}
		/* out holds the len - 1 bytes after the first '/', then a NUL */
		memcpy(out, s + 1, len - 1);
		p->n = n;
		for (i = 0, n = 0; n < p->n; n++) {
			p->tok[n].s = out + i;
			while (i < len - 1 && out[i] != '/')
				i++;
			p->tok[n].len = (size_t)(out + i - p->tok[n].s);
			out[i++] = '\0';
		}
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '/')
			n++;
		else if (s[i] == '~') {
			if (i + 1 == len)
				return bad(d, s, len, "\"~\" at the "
				    "end (a literal \"~\" is written \"~0\")");
			if (s[i + 1] != '0' && s[i + 1] != '1')
				return bad(d, s, len, "\"~\" at "
				    "offset %zu is not followed by 0 or 1", i);
			i++;
		}
	}
	/*
	 * One block for all tokens: the unescaped text of n tokens is at most
	 * len - n bytes, which leaves room for a NUL after each of them.
	 */
	if ((p->tok = rl_arena_alloc(a, n * sizeof(*p->tok))) == NULL ||
	    (out = rl_arena_alloc(a, len)) == NULL) {
		p->tok = NULL;
		return rl_diag_set(d, RL_NOMEM, "out of memory");
	}
	p->n = n;
	n = 0;
	for (i = 1; i <= len; i++) {
		p->tok[n].s = out;
		while (i < len && s[i] != '/') {
			if (s[i] == '~')
				*out++ = s[++i] == '0' ? '~' : '/';
			else
				*out++ = s[i];
			i++;
		}
		p->tok[n].len = (size_t)(out - p->tok[n].s);
		*out++ = '\0';
		n++;
	}
	return 0;
}

int
rl_pointer_index(const rl_token *t, size_t *ip)
{
	size_t i, v = 0;

	if (t->len == 1 && t->s[0] == '-')
		return RL_INDEX_END;
	if (t->len == 0 || (t->s[0] == '0' && t->len > 1))
		return RL_INDEX_BAD;
	for (i = 0; i < t->len; i++) {
		unsigned digit = (unsigned char)t->s[i] - '0';

		if (digit > 9 || v > (SIZE_MAX - digit) / 10)
			return RL_INDEX_BAD;
		v = v * 10 + digit;
	}
	*ip = v;
	return RL_INDEX_OK;
}

rl_value *
rl_pointer_get(const rl_value *doc, const rl_pointer *p)
{
	/* The caller may edit what it gets: the const only promises no edit here. */
	rl_value *v = (rl_value *)(uintptr_t)doc;
	size_t k, i;
	long m;

	for (k = 0; v != NULL && k < p->n; k++) {
		const rl_token *t = &p->tok[k];

		switch (v->type) {
		case RL_OBJECT:
			m = rl_json_object_find(v, t->s, t->len);
			v = m < 0 ? NULL : v->u.o.members[m].value;
			break;
		case RL_ARRAY:
			if (rl_pointer_index(t, &i) != RL_INDEX_OK ||
			    i >= v->u.a.n)
				return NULL;
			v = v->u.a.items[i];
			break;
		default:
			return NULL;
		}
	}
	return v;
}

int
rl_pointer_append(rl_buf *b, const char *tok, size_t len)
{
	size_t i, start = 0;

	if (rl_buf_putc(b, '/') == -1)
		return -1;
	/* Copy runs of plain bytes at once; only ~ and / need escapes. */
	for (i = 0; i < len; i++) {
		if (tok[i] != '~' && tok[i] != '/')
			continue;
		if (rl_buf_append(b, tok + start, i - start) == -1 ||
		    rl_buf_append(b, tok[i] == '~' ? "~0" : "~1", 2) == -1)
			return -1;
		start = i + 1;
	}
	return rl_buf_append(b, tok + start, len - start);
}

int
rl_pointer_format(rl_buf *b, const rl_pointer *p)
{
	size_t k;

	for (k = 0; k < p->n; k++)
		if (rl_pointer_append(b, p->tok[k].s, p->tok[k].len) == -1)
			return -1;
	return 0;
}
