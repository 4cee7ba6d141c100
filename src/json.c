/* json.c: JSON values in an arena, equality, duplicates and serialization. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "decimal.h"
#include "json.h"

static rl_value *
new_value(rl_arena *a, rl_type t)
{
	rl_value *v;

	if ((v = rl_arena_alloc(a, sizeof(*v))) == NULL)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = t;
	return v;
}

rl_value *
rl_json_null(rl_arena *a)
{
	return new_value(a, RL_NULL);
}

rl_value *
rl_json_bool(rl_arena *a, int b)
{
	return new_value(a, b ? RL_TRUE : RL_FALSE);
}

static rl_value *
new_text(rl_arena *a, rl_type t, const char *s, size_t len)
{
	rl_value *v;
	char *p;

	if ((p = rl_arena_strndup(a, s, len)) == NULL ||
	    (v = new_value(a, t)) == NULL)
		return NULL;
	v->u.s.ptr = p;
	v->u.s.len = len;
	return v;
}

rl_value *
rl_json_number(rl_arena *a, const char *lexeme, size_t len)
{
	return new_text(a, RL_NUMBER, lexeme, len);
}

rl_value *
rl_json_string(rl_arena *a, const char *s, size_t len)
{
	return new_text(a, RL_STRING, s, len);
}

rl_value *
rl_json_array(rl_arena *a, size_t cap)
{
	rl_value *v;

	if ((v = new_value(a, RL_ARRAY)) == NULL)
		return NULL;
	if (cap && (v->u.a.items = rl_arena_alloc(a, cap * sizeof(rl_value *))) == NULL)
		return NULL;
	v->u.a.cap = cap;
	return v;
}

rl_value *
rl_json_object(rl_arena *a, size_t cap)
{
	rl_value *v;

	if ((v = new_value(a, RL_OBJECT)) == NULL)
		return NULL;
	if (cap && (v->u.o.members = rl_arena_alloc(a, cap * sizeof(rl_member))) == NULL)
		return NULL;
	v->u.o.cap = cap;
	return v;
}

rl_value *
rl_json_copy(rl_arena *a, const rl_value *v)
{
	rl_value *c;
	size_t i;

	switch (v->type) {
	case RL_NULL:
	case RL_FALSE:
	case RL_TRUE:
		return new_value(a, v->type);
	case RL_NUMBER:
	case RL_STRING:
		return new_text(a, v->type, v->u.s.ptr, v->u.s.len);
	case RL_ARRAY:
		if ((c = rl_json_array(a, v->u.a.n)) == NULL)
			return NULL;
		for (i = 0; i < v->u.a.n; i++)
			if ((c->u.a.items[i] = rl_json_copy(a, v->u.a.items[i])) == NULL)
				return NULL;
		c->u.a.n = v->u.a.n;
		return c;
	case RL_OBJECT:
		if ((c = rl_json_object(a, v->u.o.n)) == NULL)
			return NULL;
		for (i = 0; i < v->u.o.n; i++) {
			const rl_member *m = &v->u.o.members[i];
			rl_member *d = &c->u.o.members[i];
			if ((d->key = rl_arena_strndup(a, m->key, m->klen)) == NULL ||
			    (d->value = rl_json_copy(a, m->value)) == NULL)
				return NULL;
			d->klen = m->klen;
		}
		c->u.o.n = v->u.o.n;
		return c;
	}
	return NULL;
}

/* Room for one more slot of size sz in (*items, n, *cap): doubling in the arena. */
static int
grow(rl_arena *a, void **items, size_t n, size_t *cap, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	if (ncap > SIZE_MAX / sz || (p = rl_arena_alloc(a, ncap * sz)) == NULL)
		return -1;
	if (n)
		memcpy(p, *items, n * sz);
	*items = p;
	*cap = ncap;
	return 0;
}

int
rl_json_array_insert(rl_arena *a, rl_value *arr, size_t i, rl_value *v)
{
	void *items = arr->u.a.items;

	if (grow(a, &items, arr->u.a.n, &arr->u.a.cap, sizeof(rl_value *)) == -1)
		return -1;
	arr->u.a.items = items;
	memmove(arr->u.a.items + i + 1, arr->u.a.items + i,
	    (arr->u.a.n - i) * sizeof(rl_value *));
	arr->u.a.items[i] = v;
	arr->u.a.n++;
	return 0;
}

rl_value *
rl_json_array_remove(rl_value *arr, size_t i)
{
	rl_value *v = arr->u.a.items[i];

	memmove(arr->u.a.items + i, arr->u.a.items + i + 1,
	    (arr->u.a.n - i - 1) * sizeof(rl_value *));
	arr->u.a.n--;
	return v;
}

int
rl_json_object_insert(rl_arena *a, rl_value *obj, size_t i, const char *key,
    size_t klen, rl_value *v)
{
	void *members = obj->u.o.members;
	rl_member *m;

	if (grow(a, &members, obj->u.o.n, &obj->u.o.cap, sizeof(rl_member)) == -1)
		return -1;
	obj->u.o.members = members;
	memmove(obj->u.o.members + i + 1, obj->u.o.members + i,
	    (obj->u.o.n - i) * sizeof(rl_member));
	m = &obj->u.o.members[i];
	m->key = key;
	m->klen = klen;
	m->value = v;
	obj->u.o.n++;
	return 0;
}

rl_value *
rl_json_object_remove(rl_value *obj, size_t i)
{
	rl_value *v = obj->u.o.members[i].value;

	memmove(obj->u.o.members + i, obj->u.o.members + i + 1,
	    (obj->u.o.n - i - 1) * sizeof(rl_member));
	obj->u.o.n--;
	return v;
}

/*
 * n bytes of a and b equal?  Member names are short: two overlapping
 * words for 8 to 16 bytes, smaller loads below, memcmp only beyond.
 */
static inline int
same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y, x2, y2;
	uint32_t h, k;

	if (n >= 8) {
		if (n > 16)
			return memcmp(a, b, n) == 0;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&x2, a + n - 8, 8);
		memcpy(&y2, b + n - 8, 8);
		return ((x ^ y) | (x2 ^ y2)) == 0;
	}
	if (n >= 4) {
		memcpy(&h, a, 4);
		memcpy(&k, b, 4);
		if (h != k)
			return 0;
		memcpy(&h, a + n - 4, 4);
		memcpy(&k, b + n - 4, 4);
		return h == k;
	}
	for (; n > 0; n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

long
rl_json_object_find(const rl_value *obj, const char *key, size_t klen)
{
	size_t i;

	if (obj == NULL || obj->type != RL_OBJECT)
		return -1;
	for (i = 0; i < obj->u.o.n; i++) {
		const rl_member *m = &obj->u.o.members[i];

		if (m->klen == klen && same_bytes(m->key, key, klen))
			return (long)i;
	}
	return -1;
}

int
rl_json_is_bool(const rl_value *v)
{
	return v != NULL && (v->type == RL_TRUE || v->type == RL_FALSE);
}

int
rl_json_is_string(const rl_value *v, const char *s)
{
	size_t n;

	if (v == NULL || v->type != RL_STRING)
		return 0;
	n = strlen(s);
	return v->u.s.len == n && memcmp(v->u.s.ptr, s, n) == 0;
}

int
rl_ascii_caseeq(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++)
		if (a[i] != b[i] && rl_ascii_lower((unsigned char)a[i]) !=
		    rl_ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

int
rl_json_equal(const rl_value *x, const rl_value *y)
{
	size_t i;
	long j;

	if (x->type != y->type)
		return 0;
	switch (x->type) {
	case RL_NULL:
	case RL_FALSE:
	case RL_TRUE:
		return 1;
	case RL_NUMBER:
		return rl_decimal_cmp(x->u.s.ptr, x->u.s.len, y->u.s.ptr, y->u.s.len) == 0;
	case RL_STRING:
		return x->u.s.len == y->u.s.len &&
		    memcmp(x->u.s.ptr, y->u.s.ptr, x->u.s.len) == 0;
	case RL_ARRAY:
		if (x->u.a.n != y->u.a.n)
			return 0;
		for (i = 0; i < x->u.a.n; i++)
			if (!rl_json_equal(x->u.a.items[i], y->u.a.items[i]))
				return 0;
		return 1;
	case RL_OBJECT:
		/* Values we compare have no repeated names (the reader rejects them). */
		if (x->u.o.n != y->u.o.n)
			return 0;
		for (i = 0; i < x->u.o.n; i++) {
			const rl_member *m = &x->u.o.members[i];
			if (i < y->u.o.n && y->u.o.members[i].klen == m->klen &&
			    memcmp(y->u.o.members[i].key, m->key, m->klen) == 0)
				j = (long)i;   /* same order: the common case */
			else if ((j = rl_json_object_find(y, m->key, m->klen)) < 0)
				return 0;
			if (!rl_json_equal(m->value, y->u.o.members[j].value))
				return 0;
		}
		return 1;
	}
	return 0;
}

/*
 * The bytes of w that must be escaped (below 0x20, '"' or '\\'), as their
 * high bits: the classic "has a zero byte" test on w, w ^ '"' and w ^ '\\'.
 * Whether there is one is exact, and so is the lowest one flagged (a borrow
 * can flag only bytes above a true one).
 */
static inline uint64_t
special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, hi = 0x8080808080808080ULL;
	uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');

	return (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) |
	    ((bs - ones) & ~bs)) & hi;
}

/* Index of the first byte of (s, len) that must be escaped, or len. */
static inline size_t
first_special(const char *s, size_t len)
{
	size_t i = 0;
	uint64_t w, m;

#if defined(__SSE2__)
	{
		const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
		const __m128i c1f = _mm_set1_epi8(0x1f);
		int mask;

		/* sixteen at a time: '"', '\\', or at most 0x1f unsigned */
		for (; i + 16 <= len; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			__m128i x = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q),
			    _mm_cmpeq_epi8(v, bs)),
			    _mm_cmpeq_epi8(_mm_max_epu8(v, c1f), c1f));

			if ((mask = _mm_movemask_epi8(x)) != 0)
				return i + (size_t)__builtin_ctz((unsigned)mask);
		}
	}
#endif
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if ((m = special8(w)) != 0) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return i + (size_t)__builtin_ctzll(m) / 8;
#else
			break;
#endif
		}
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\')
			break;
	}
	return i;
}

int
rl_json_quote(rl_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;
	char esc[6], *d;
	int elen;

	if (len + 2 >= b->cap - b->len && rl_buf_reserve(b, len + 2) == -1)
		return -1;
	/* Most strings need no escape: one scan, one move. */
	if ((i = first_special(s, len)) == len) {
		d = b->data + b->len;
		d[0] = '"';
		if (len > 0)
			memcpy(d + 1, s, len);
		d[len + 1] = '"';
		b->len += len + 2;
		return 0;
	}
	if (rl_buf_putc(b, '"') == -1)
		return -1;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		elen = 2;
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		if (rl_buf_append(b, s + start, i - start) == -1 ||
		    rl_buf_append(b, esc, (size_t)elen) == -1)
			return -1;
		start = i + 1;
		i = start + first_special(s + start, len - start);
	}
	if (rl_buf_append(b, s + start, len - start) == -1)
		return -1;
	return rl_buf_putc(b, '"');
}

int
rl_json_serialize(rl_buf *b, const rl_value *v)
{
	size_t i;

	switch (v->type) {
	case RL_NULL:
		return rl_buf_append(b, "null", 4);
	case RL_FALSE:
		return rl_buf_append(b, "false", 5);
	case RL_TRUE:
		return rl_buf_append(b, "true", 4);
	case RL_NUMBER:
		return rl_buf_append(b, v->u.s.ptr, v->u.s.len);
	case RL_STRING:
		return rl_json_quote(b, v->u.s.ptr, v->u.s.len);
	case RL_ARRAY:
		if (rl_buf_putc(b, '[') == -1)
			return -1;
		for (i = 0; i < v->u.a.n; i++)
			if ((i && rl_buf_putc(b, ',') == -1) ||
			    rl_json_serialize(b, v->u.a.items[i]) == -1)
				return -1;
		return rl_buf_putc(b, ']');
	case RL_OBJECT:
		if (rl_buf_putc(b, '{') == -1)
			return -1;
		for (i = 0; i < v->u.o.n; i++) {
			const rl_member *m = &v->u.o.members[i];
			if ((i && rl_buf_putc(b, ',') == -1) ||
			    rl_json_quote(b, m->key, m->klen) == -1 ||
			    rl_buf_putc(b, ':') == -1 ||
			    rl_json_serialize(b, m->value) == -1)
				return -1;
		}
		return rl_buf_putc(b, '}');
	}
	return -1;
}

const char *
rl_json_type_name(const rl_value *v)
{
	switch (v->type) {
	case RL_NULL: return "null";
	case RL_FALSE: case RL_TRUE: return "a boolean";
	case RL_NUMBER: return "a number";
	case RL_STRING: return "a string";
	case RL_ARRAY: return "an array";
	default: return "an object";
	}
}
