/*
 * json.h: the JSON value model.
 * Included by every module of src/ and by the tests; not installed.
 *
 * Ownership: values, their strings and their item arrays live in an
 * rl_arena and die with it.  Strings are (ptr, len), may hold NUL bytes, and
 * are also NUL-terminated for convenience.  Numbers keep their exact lexeme.
 * Objects keep member order; a member name may repeat only in a value built
 * from input that the reader flagged (json-duplicate-key).
 */
#ifndef RL_JSON_H
#define RL_JSON_H

#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

typedef enum rl_type {
	RL_NULL,
	RL_FALSE,
	RL_TRUE,
	RL_NUMBER,
	RL_STRING,
	RL_ARRAY,
	RL_OBJECT
} rl_type;

typedef struct rl_value rl_value;

typedef struct rl_member {
	const char *key;
	size_t klen;
	rl_value *value;
} rl_member;

struct rl_value {
	rl_type type;
	unsigned line;       /* 1-based line where the reader saw it; 0 = built */
	union {
		struct {             /* RL_STRING: bytes; RL_NUMBER: lexeme */
			const char *ptr;
			size_t len;
		} s;
		struct {
			rl_value **items;
			size_t n, cap;
		} a;
		struct {
			rl_member *members;
			size_t n, cap;
		} o;
	} u;
};

/* Constructors: NULL when the arena runs out.  Strings are copied. */
rl_value *rl_json_null(rl_arena *) RL_WARN_UNUSED;
rl_value *rl_json_bool(rl_arena *, int) RL_WARN_UNUSED;
rl_value *rl_json_number(rl_arena *, const char *lexeme, size_t) RL_WARN_UNUSED;
rl_value *rl_json_string(rl_arena *, const char *, size_t) RL_WARN_UNUSED;
rl_value *rl_json_array(rl_arena *, size_t cap) RL_WARN_UNUSED;
rl_value *rl_json_object(rl_arena *, size_t cap) RL_WARN_UNUSED;
/* A deep copy. */
rl_value *rl_json_copy(rl_arena *, const rl_value *) RL_WARN_UNUSED;

/*
 * Container edits, used by the builder and the patch engine.  Inserting
 * grows the item array in the arena; removing shifts and keeps order.
 * Index arguments must be in range (callers check).  -1 = out of memory.
 */
int       rl_json_array_insert(rl_arena *, rl_value *arr, size_t i, rl_value *v);
rl_value *rl_json_array_remove(rl_value *arr, size_t i);
/* Member name is borrowed: it must live in the arena (or longer). */
int       rl_json_object_insert(rl_arena *, rl_value *obj, size_t i,
		const char *key, size_t klen, rl_value *v);
rl_value *rl_json_object_remove(rl_value *obj, size_t i);
/* Index of the first member with that name, or -1. */
long      rl_json_object_find(const rl_value *obj, const char *key, size_t klen);
/*
 * Value of member key (NUL-terminated name), or NULL (also for non-objects).
 * Inline, so that the length of a literal name is known when compiling.
 */
static inline rl_value *
rl_json_get(const rl_value *obj, const char *key)
{
	long i = rl_json_object_find(obj, key, strlen(key));

	return i < 0 ? NULL : obj->u.o.members[i].value;
}

/* Truth helpers. */
int rl_json_is_bool(const rl_value *);
int rl_json_is_string(const rl_value *, const char *s);

/*
 * Equality as RFC 6902 `test` needs it: numbers by exact value (1, 1.0 and
 * 1e0 are equal), objects regardless of member order, true never equals 1.
 */
int rl_json_equal(const rl_value *, const rl_value *);

/*
 * ASCII case folding, for member names and words compared the way .NET's
 * OrdinalIgnoreCase compares ASCII: only A-Z change.
 */
static inline int
rl_ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* (a, an) and (b, bn) equal under rl_ascii_lower. */
int rl_ascii_caseeq(const char *a, size_t an, const char *b, size_t bn);

/* Compact canonical JSON (no spaces; minimal string escapes). -1 = OOM. */
int rl_json_serialize(rl_buf *, const rl_value *);
/* "null", "a boolean", "a number", "a string", "an array", "an object". */
const char *rl_json_type_name(const rl_value *);

/* A JSON string literal for (s, len), quotes included. */
int rl_json_quote(rl_buf *, const char *s, size_t len);

#endif /* RL_JSON_H */
