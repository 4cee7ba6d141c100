/*
 * reader_value.c: yajl's callbacks, which build each record's value in the
 * arena from the scratch stacks of struct rl_reader (reader_int.h), and the
 * checks that yajl leaves to us (string limits, strict UTF-8, depth).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "reader_int.h"
#include "utf8.h"

void *
rl_rd_alloc_block(struct rl_reader *r, size_t n)
{
	unsigned char *p;

	if (rl_rd_mem_check(r, n > BLOCK / 4 ? n : BLOCK) == -1)
		return NULL;            /* the caller's rl_rd_nomem() keeps json-limit */
	/*
	 * rl_parse_value's arena is the caller's and lives on: a block's
	 * unused tail stays there, at most BLOCK bytes a value, which buys
	 * one call per block instead of one per value (snapshot re-reads).
	 */
	if (n > BLOCK / 4)
		return rl_arena_alloc(r->arena, n);
	if ((p = rl_arena_alloc(r->arena, BLOCK)) == NULL)
		return NULL;
	r->bump = p + n;
	r->bump_end = p + BLOCK;
	return p;
}

/*
 * Copy (s, n) to d, NUL-terminated, and tell whether a byte had its high
 * bit set: the strict UTF-8 test is needed only then.
 */
static int
copy_text(char *d, const char *s, size_t n)
{
	const uint64_t hi = 0x8080808080808080ULL;
	uint64_t w, any = 0;
	uint32_t h;
	uint16_t q;
	size_t i = 0;

	if (n >= 8) {
		for (; i + 8 <= n; i += 8) {
			memcpy(&w, s + i, 8);
			memcpy(d + i, &w, 8);
			any |= w;
		}
		/* the tail as one word that overlaps the last one copied */
		if (i < n) {
			memcpy(&w, s + n - 8, 8);
			memcpy(d + n - 8, &w, 8);
			any |= w;
		}
	} else {
		/* short names and values: at most three moves */
		if (n & 4) {
			memcpy(&h, s, 4);
			memcpy(d, &h, 4);
			any |= h;
			i = 4;
		}
		if (n & 2) {
			memcpy(&q, s + i, 2);
			memcpy(d + i, &q, 2);
			any |= q;
			i += 2;
		}
		if (n & 1) {
			d[i] = s[i];
			any |= (unsigned char)s[i];
		}
	}
	d[n] = '\0';
	return (any & hi) != 0;
}

static rl_value *
new_scalar(struct rl_reader *r, rl_type t, const char *s, size_t len, int *high)
{
	int text = t == RL_STRING || t == RL_NUMBER;
	rl_value *v;
	char *p;

	if (len > SIZE_MAX - sizeof(*v) - 1 ||
	    (v = alloc(r, sizeof(*v) + (text ? len + 1 : 0))) == NULL)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = t;
	if (text) {
		p = (char *)(v + 1);
		*high = copy_text(p, s, len);
		v->u.s.ptr = p;
		v->u.s.len = len;
	}
	return v;
}

static rl_value *
new_container(struct rl_reader *r, rl_type t, size_t n, size_t size)
{
	rl_value *v;
	void *items;

	if (n > (SIZE_MAX - sizeof(*v)) / size ||
	    (v = alloc(r, sizeof(*v) + n * size)) == NULL)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = t;
	items = n > 0 ? (void *)(v + 1) : NULL;
	if (t == RL_OBJECT) {
		v->u.o.members = items;
		v->u.o.n = v->u.o.cap = n;
	} else {
		v->u.a.items = items;
		v->u.a.n = v->u.a.cap = n;
	}
	return v;
}

/* Doubles a scratch stack of the record; NULL past max_memory too. */
static void *
grow(struct rl_reader *r, void *p, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 64;

	if (ncap > SIZE_MAX / size ||
	    rl_rd_mem_check(r, (ncap - *cap) * size) == -1 ||
	    (p = rl_realloc(p, ncap * size)) == NULL)
		return NULL;
	*cap = ncap;
	return p;
}

static int
add_value(struct rl_reader *r, rl_value *v)
{
	struct ent *e;
	void *q;

	if (r->nfr == 0) {
		/* the record's last container closed: no member error to place */
		r->vscan = 0;
		return rl_rd_complete(r, v, tok_end(r));
	}
	if (r->fr[r->nfr - 1].object) {
		/* the entry of its member name */
		r->ent[r->nent - 1].value = v;
		r->vend = r->g + tok_end(r);
		r->vscan = 1;
		return 1;
	}
	if (r->nent == r->cent) {
		if ((q = grow(r, r->ent, &r->cent, sizeof(*r->ent))) == NULL)
			return rl_rd_nomem(r);
		r->ent = q;
	}
	e = &r->ent[r->nent++];
	e->key = NULL;
	e->klen = 0;
	e->value = v;
	return 1;
}

/* A string or member name over max_string, or not strict UTF-8. */
static int
bad_string(struct rl_reader *r, size_t len)
{
	char what[64];
	size_t at = tok_end(r);

	if (at > 0)
		at--;                   /* the closing quote */
	if (len > r->max_string) {
		snprintf(what, sizeof(what), "string longer than %zu bytes",
		    r->max_string);
		rl_rd_fail_i(r, RL_JSON_LIMIT, at, what);
	} else
		rl_rd_fail_i(r, RL_JSON_SYNTAX, at, "invalid UTF-8 in a string");
	return 0;
}

static int
scalar(struct rl_reader *r, rl_type t, const char *s, size_t len)
{
	rl_value *v;
	int b, high = 0;

	if (t == RL_STRING && len > r->max_string)
		return bad_string(r, len);
	/* inside a record, a scalar is always built (begin_value says 1) */
	if (!r->building && (b = rl_rd_begin_value(r, 0)) <= 0) {
		if (b == 0 && t == RL_STRING &&
		    rl_utf8_check((const unsigned char *)s, len) != 0)
			return bad_string(r, len);
		return b == 0;
	}
	if ((v = new_scalar(r, t, s, len, &high)) == NULL)
		return rl_rd_nomem(r);
	if (high && t == RL_STRING &&
	    rl_utf8_check((const unsigned char *)v->u.s.ptr, len) != 0)
		return bad_string(r, len);
	v->line = (unsigned)r->line;
	return add_value(r, v);
}

static int
cb_null(void *ctx)
{
	return scalar(ctx, RL_NULL, NULL, 0);
}

static int
cb_boolean(void *ctx, int b)
{
	return scalar(ctx, b ? RL_TRUE : RL_FALSE, NULL, 0);
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	return scalar(ctx, RL_NUMBER, s, len);
}

static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return scalar(ctx, RL_STRING, (const char *)s, len);
}

static int
open_container(struct rl_reader *r, int object)
{
	struct frame *f;
	char what[64];
	size_t off;
	void *q;
	int b;

	if ((b = rl_rd_begin_value(r, object ? '{' : '[')) < 0)
		return 0;
	r->depth++;
	/* Containers outside records are the stream's and the page's. */
	if (r->depth - (b ? r->level : 1) > r->max_depth) {
		snprintf(what, sizeof(what), "nesting deeper than %u levels",
		    r->max_depth);
		off = tok_end(r);
		rl_rd_fail_i(r, RL_JSON_LIMIT, off ? off - 1 : 0, what);
		return 0;
	}
	if (b == 0)
		return 1;
	if (r->nfr == r->cfr) {
		if ((q = grow(r, r->fr, &r->cfr, sizeof(*r->fr))) == NULL)
			return rl_rd_nomem(r);
		r->fr = q;
	}
	f = &r->fr[r->nfr++];
	f->base = r->nent;
	f->object = object;
	f->line = r->line;
	return 1;
}

static int
cb_start_map(void *ctx)
{
	return open_container(ctx, 1);
}

static int
cb_start_array(void *ctx)
{
	return open_container(ctx, 0);
}

static int
cb_map_key(void *ctx, const unsigned char *s, size_t len)
{
	struct rl_reader *r = ctx;
	struct ent *e;
	char *key;
	void *q;

	if (len > r->max_string)
		return bad_string(r, len);
	if (!r->building)
		return rl_utf8_check(s, len) == 0 || bad_string(r, len);
	if ((key = alloc(r, len + 1)) == NULL)
		return rl_rd_nomem(r);
	if (copy_text(key, (const char *)s, len) &&
	    rl_utf8_check((const unsigned char *)key, len) != 0)
		return bad_string(r, len);
	if (r->nent == r->cent) {
		if ((q = grow(r, r->ent, &r->cent, sizeof(*r->ent))) == NULL)
			return rl_rd_nomem(r);
		r->ent = q;
	}
	e = &r->ent[r->nent++];
	e->key = key;
	e->klen = len;
	e->value = NULL;
	e->kp.off = r->g + tok_end(r);
	e->kp.line = r->line;
	e->kp.col = 0;
	return 1;
}

/* The innermost container of the record ends: exact-size items in the arena. */
static int
end_container(struct rl_reader *r, int object)
{
	struct frame *f = &r->fr[r->nfr - 1];
	size_t n = r->nent - f->base, i;
	/* No scratch is allocated before the first member: no NULL + 0. */
	struct ent *e = n ? r->ent + f->base : NULL;
	rl_value *v;
	size_t prev = 0;
	long d;

	if (object) {
		if ((v = new_container(r, RL_OBJECT, n,
		    sizeof(rl_member))) == NULL)
			return rl_rd_nomem(r);
		for (i = 0; i < n; i++) {
			v->u.o.members[i].key = e[i].key;
			v->u.o.members[i].klen = e[i].klen;
			v->u.o.members[i].value = e[i].value;
		}
		/* The first duplicate of the record is the one reported. */
		if (!r->dup && n > 1) {
			if ((d = rl_rd_find_dup(r, e, n, !r->case_sensitive,
			    &prev)) == -2)
				return rl_rd_nomem(r);
			/* prev is named only when the names differ by case */
			if (d >= 0 && rl_rd_dup_diag(r, &e[d],
			    rl_rd_same_name(&e[d], &e[prev], 0) ? NULL : &e[prev]) == -1)
				return rl_rd_nomem(r);
		}
	} else {
		if ((v = new_container(r, RL_ARRAY, n,
		    sizeof(rl_value *))) == NULL)
			return rl_rd_nomem(r);
		for (i = 0; i < n; i++)
			v->u.a.items[i] = e[i].value;
	}
	/* add_value may hand the record over, which frees the scratch */
	v->line = (unsigned)f->line;
	r->nent = f->base;
	if (r->counted > r->nent)
		r->counted = r->nent;
	r->nfr--;
	return add_value(r, v);
}

static int
close_container(struct rl_reader *r, int object)
{
	r->depth--;
	if (r->building)
		return end_container(r, object);
	if (r->stream != 0 && r->depth + 1 == r->stream) {
		r->stream = 0;
		if (r->page)
			return 1;       /* the page's other members follow */
	} else if (r->page && r->depth == 0)
		r->page = 0;
	else
		return 1;
	r->seek = SEEK_TOP;
	rl_rd_seek(r, tok_end(r));
	return 1;
}

static int
cb_end_map(void *ctx)
{
	return close_container(ctx, 1);
}

static int
cb_end_array(void *ctx)
{
	return close_container(ctx, 0);
}

const yajl_callbacks rl_rd_callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end_map,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end_array,
};
