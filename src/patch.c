/*
 * patch.c: RFC 6902 JSON Patch, applied in place with an undo log.
 *
 * Every change to the document goes through one of three primitive edits
 * (set, insert, remove) on the root, an object or an array, and each is
 * logged before it is made.  Rolling back replays the inverses newest
 * first, which gives atomicity without copying the document.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "patch.h"
#include "pointer.h"

static const char *const op_names[RL_OP_UNKNOWN] = {
	[RL_OP_ADD] = "add",
	[RL_OP_REMOVE] = "remove",
	[RL_OP_REPLACE] = "replace",
	[RL_OP_MOVE] = "move",
	[RL_OP_COPY] = "copy",
	[RL_OP_TEST] = "test",
};

rl_op_kind
rl_op_kind_of(const char *s, size_t len)
{
	int k;

	for (k = 0; k < RL_OP_UNKNOWN; k++)
		if (strlen(op_names[k]) == len && memcmp(op_names[k], s, len) == 0)
			return (rl_op_kind)k;
	return RL_OP_UNKNOWN;
}

const char *
rl_op_name(rl_op_kind k)
{
	if ((int)k < 0 || k >= RL_OP_UNKNOWN)
		return NULL;
	return op_names[k];
}

/* The undo log ------------------------------------------------------- */

enum edit_kind {
	E_ROOT_SET,
	E_OBJ_SET,
	E_OBJ_INSERT,
	E_OBJ_REMOVE,
	E_ARR_SET,
	E_ARR_INSERT,
	E_ARR_REMOVE
};

struct edit {
	enum edit_kind kind;
	rl_value *c;          /* container edited; NULL for the root */
	size_t i;             /* member or item index */
	rl_value *old;        /* value overwritten or removed */
	const char *key;      /* name of a removed member (arena-owned) */
	size_t klen;
};

struct rl_undo {
	rl_arena *a;
	struct edit *e;
	size_t n, cap;
};

rl_undo *
rl_undo_new(rl_arena *a)
{
	rl_undo *u;

	if ((u = rl_arena_alloc(a, sizeof(*u))) == NULL)
		return NULL;
	u->a = a;
	u->e = NULL;
	u->n = u->cap = 0;
	return u;
}

size_t
rl_undo_mark(const rl_undo *u)
{
	return u->n;
}

static void
undo_one(rl_undo *u, const struct edit *e, rl_value **doc)
{
	/*
	 * Re-inserting cannot fail: a removal never shrinks the item array,
	 * so the slot it freed is still there.
	 */
	switch (e->kind) {
	case E_ROOT_SET:
		*doc = e->old;
		break;
	case E_OBJ_SET:
		e->c->u.o.members[e->i].value = e->old;
		break;
	case E_OBJ_INSERT:
		(void)rl_json_object_remove(e->c, e->i);
		break;
	case E_OBJ_REMOVE:
		(void)rl_json_object_insert(u->a, e->c, e->i, e->key, e->klen,
		    e->old);
		break;
	case E_ARR_SET:
		e->c->u.a.items[e->i] = e->old;
		break;
	case E_ARR_INSERT:
		(void)rl_json_array_remove(e->c, e->i);
		break;
	case E_ARR_REMOVE:
		(void)rl_json_array_insert(u->a, e->c, e->i, e->old);
		break;
	}
}

void
rl_undo_rollback(rl_undo *u, rl_value **doc, size_t mark)
{
	while (u->n > mark) {
		u->n--;
		undo_one(u, &u->e[u->n], doc);
	}
}

/* A new log entry, or NULL when the arena runs out. */
static struct edit *
undo_push(rl_undo *u, enum edit_kind kind, rl_value *c, size_t i,
    rl_value *old)
{
	struct edit *e;

	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 16;

		if (cap > SIZE_MAX / sizeof(*e) ||
		    (e = rl_arena_alloc(u->a, cap * sizeof(*e))) == NULL)
			return NULL;
		if (u->n)
			memcpy(e, u->e, u->n * sizeof(*e));
		u->e = e;
		u->cap = cap;
	}
	e = &u->e[u->n++];
	e->kind = kind;
	e->c = c;
	e->i = i;
	e->old = old;
	e->key = NULL;
	e->klen = 0;
	return e;
}

/* Applying one op ------------------------------------------------------ */

struct op_ctx {
	rl_arena *a;
	rl_value **doc;
	rl_undo *u;
	rl_diag *d;
	const char *raw;      /* text of the pointer being resolved */
	size_t rawlen;
};

/* Where a pointer leads: a slot in a container, or the root. */
struct loc {
	rl_value *parent;     /* NULL: the whole document */
	size_t i;             /* member or item index in parent */
	int exists;           /* 0: only add may use it (a new member) */
};

#define QUOTE_MAX 72

/* A short JSON-style quotation for messages, cut with "..." when long. */
static const char *
quote(char out[QUOTE_MAX], const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	out[o++] = '"';
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* Room for the longest escape, "...", the quote and the NUL. */
		if (o + 6 + 3 + 2 > QUOTE_MAX) {
			/* Cut at a character boundary, not inside UTF-8. */
			while (o > 1 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
				o--;
			if (o > 1 && ((unsigned char)out[o - 1] & 0xc0) == 0xc0)
				o--;
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hex[c >> 4];
			out[o + 5] = hex[c & 15];
			o += 6;
		} else
			out[o++] = (char)c;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

static const char *
type_name(const rl_value *v)
{
	static const char *const names[] = {
		[RL_NULL] = "null", [RL_FALSE] = "false", [RL_TRUE] = "true",
		[RL_NUMBER] = "a number", [RL_STRING] = "a string",
		[RL_ARRAY] = "an array", [RL_OBJECT] = "an object",
	};

	return v == NULL ? "nothing" : names[v->type];
}

/*
 * Fill the diagnostic for the pointer being resolved, unless it holds an
 * earlier error; returns -1.
 */
static int
fail(struct op_ctx *x, rl_code code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int
fail(struct op_ctx *x, rl_code code, const char *fmt, ...)
{
	va_list ap;

	if (!rl_diag_wants(x->d))
		return -1;
	rl_diag_set(x->d, code, "%s", "");
	va_start(ap, fmt);
	vsnprintf(x->d->message, sizeof(x->d->message), fmt, ap);
	va_end(ap);
	rl_diag_set_pointer(x->d, x->raw, x->rawlen);
	return -1;
}

static int
nomem(struct op_ctx *x)
{
	return fail(x, RL_NOMEM, "out of memory");
}

/* The value reached by the first k tokens is a scalar: say which. */
static int
not_container(struct op_ctx *x, const rl_value *v, size_t k)
{
	char q[QUOTE_MAX];
	size_t end = 0;

	if (k == 0)
		return fail(x, RL_PATCH_TARGET,
		    "the document is %s, not an object or array", type_name(v));
	/* Token k starts after the (k+1)-th "/": the prefix ends there. */
	for (end = 1; end < x->rawlen; end++)
		if (x->raw[end] == '/' && --k == 0)
			break;
	return fail(x, RL_PATCH_TARGET, "%s is %s, not an object or array",
	    quote(q, x->raw, end), type_name(v));
}

/* Token t as an index into arr: add may also use the end of the array. */
static int
item_index(struct op_ctx *x, const rl_value *arr, const rl_token *t,
    int for_add, size_t *ip)
{
	char q[QUOTE_MAX];
	size_t n = arr->u.a.n;

	switch (rl_pointer_index(t, ip)) {
	case RL_INDEX_END:
		if (for_add) {
			*ip = n;
			return 0;
		}
		return fail(x, RL_PATCH_TARGET,
		    "\"-\" names no existing item (array has %zu item%s)",
		    n, n == 1 ? "" : "s");
	case RL_INDEX_BAD:
		return fail(x, RL_PATCH_TARGET, "%s is not an array index",
		    quote(q, t->s, t->len));
	}
	if (*ip > n || (*ip == n && !for_add))
		return fail(x, RL_PATCH_TARGET,
		    "index %zu out of range (array has %zu item%s)",
		    *ip, n, n == 1 ? "" : "s");
	return 0;
}

/* The value at the first n tokens of p, or NULL with the reason. */
static rl_value *
walk(struct op_ctx *x, const rl_pointer *p, size_t n)
{
	char q[QUOTE_MAX];
	rl_value *v = *x->doc;
	size_t k, i;
	long m;

	for (k = 0; k < n; k++) {
		const rl_token *t = &p->tok[k];

		switch (v->type) {
		case RL_OBJECT:
			if ((m = rl_json_object_find(v, t->s, t->len)) < 0) {
				fail(x, RL_PATCH_TARGET, "member %s not found",
				    quote(q, t->s, t->len));
				return NULL;
			}
			v = v->u.o.members[m].value;
			break;
		case RL_ARRAY:
			if (item_index(x, v, t, 0, &i) == -1)
				return NULL;
			v = v->u.a.items[i];
			break;
		default:
			not_container(x, v, k);
			return NULL;
		}
	}
	return v;
}

/* Find where p leads; without for_add, the target must exist. */
static int
locate(struct op_ctx *x, const rl_pointer *p, int for_add, struct loc *l)
{
	char q[QUOTE_MAX];
	const rl_token *t;
	rl_value *c;
	long m;

	l->parent = NULL;
	l->i = 0;
	l->exists = 1;
	if (p->n == 0)
		return 0;
	if ((c = walk(x, p, p->n - 1)) == NULL)
		return -1;
	t = &p->tok[p->n - 1];
	l->parent = c;
	switch (c->type) {
	case RL_OBJECT:
		if ((m = rl_json_object_find(c, t->s, t->len)) >= 0) {
			l->i = (size_t)m;
			return 0;
		}
		if (!for_add)
			return fail(x, RL_PATCH_TARGET, "member %s not found",
			    quote(q, t->s, t->len));
		l->i = c->u.o.n;
		l->exists = 0;
		return 0;
	case RL_ARRAY:
		if (item_index(x, c, t, for_add, &l->i) == -1)
			return -1;
		l->exists = l->i < c->u.a.n;
		return 0;
	default:
		return not_container(x, c, p->n - 1);
	}
}

static rl_value *
loc_value(const struct op_ctx *x, const struct loc *l)
{
	if (l->parent == NULL)
		return *x->doc;
	if (l->parent->type == RL_OBJECT)
		return l->parent->u.o.members[l->i].value;
	return l->parent->u.a.items[l->i];
}

/* The three primitive edits, each logged before it is made. */

static int
ed_set(struct op_ctx *x, const struct loc *l, rl_value *v)
{
	rl_value *c = l->parent;

	if (c == NULL) {
		if (undo_push(x->u, E_ROOT_SET, NULL, 0, *x->doc) == NULL)
			return nomem(x);
		*x->doc = v;
	} else if (c->type == RL_OBJECT) {
		if (undo_push(x->u, E_OBJ_SET, c, l->i,
		    c->u.o.members[l->i].value) == NULL)
			return nomem(x);
		c->u.o.members[l->i].value = v;
	} else {
		if (undo_push(x->u, E_ARR_SET, c, l->i,
		    c->u.a.items[l->i]) == NULL)
			return nomem(x);
		c->u.a.items[l->i] = v;
	}
	return 0;
}

/* Insert v at l (a new member named by token t, or an array slot). */
static int
ed_insert(struct op_ctx *x, const struct loc *l, const rl_token *t,
    rl_value *v)
{
	rl_value *c = l->parent;
	int r;

	if (undo_push(x->u, c->type == RL_OBJECT ? E_OBJ_INSERT : E_ARR_INSERT,
	    c, l->i, NULL) == NULL)
		return nomem(x);
	/* The token text lives in the arena, so it can be the member name. */
	if (c->type == RL_OBJECT)
		r = rl_json_object_insert(x->a, c, l->i, t->s, t->len, v);
	else
		r = rl_json_array_insert(x->a, c, l->i, v);
	if (r == -1) {
		x->u->n--;
		return nomem(x);
	}
	return 0;
}

static int
ed_remove(struct op_ctx *x, const struct loc *l, rl_value **out)
{
	rl_value *c = l->parent;
	struct edit *e;

	if (c->type == RL_OBJECT) {
		const rl_member *m = &c->u.o.members[l->i];

		if ((e = undo_push(x->u, E_OBJ_REMOVE, c, l->i, m->value)) == NULL)
			return nomem(x);
		e->key = m->key;
		e->klen = m->klen;
		*out = rl_json_object_remove(c, l->i);
	} else {
		if (undo_push(x->u, E_ARR_REMOVE, c, l->i,
		    c->u.a.items[l->i]) == NULL)
			return nomem(x);
		*out = rl_json_array_remove(c, l->i);
	}
	return 0;
}

/* The six operations. */

static int
op_add(struct op_ctx *x, const rl_pointer *p, rl_value *v)
{
	struct loc l;

	if (locate(x, p, 1, &l) == -1)
		return -1;
	/* An existing member is replaced where it stands (RFC 6902 4.1). */
	if (l.parent != NULL && (l.parent->type == RL_ARRAY || !l.exists))
		return ed_insert(x, &l, &p->tok[p->n - 1], v);
	return ed_set(x, &l, v);
}

static int
op_remove(struct op_ctx *x, const rl_pointer *p, rl_value **out)
{
	struct loc l;

	if (p->n == 0)
		return fail(x, RL_PATCH_TARGET, "cannot remove the whole document");
	if (locate(x, p, 0, &l) == -1)
		return -1;
	return ed_remove(x, &l, out);
}

static int
op_replace(struct op_ctx *x, const rl_pointer *p, rl_value *v)
{
	struct loc l;

	if (locate(x, p, 0, &l) == -1)
		return -1;
	return ed_set(x, &l, v);
}

static int
op_test(struct op_ctx *x, const rl_pointer *p, const rl_value *want)
{
	struct loc l;
	const rl_value *have;

	if (locate(x, p, 0, &l) == -1)
		return -1;
	have = loc_value(x, &l);
	if (rl_json_equal(have, want))
		return 0;
	if (have->type != want->type)
		return fail(x, RL_PATCH_TEST_FAILED,
		    "test failed: found %s where %s was expected",
		    type_name(have), type_name(want));
	return fail(x, RL_PATCH_TEST_FAILED,
	    "test failed: %s differs from the expected one", type_name(have));
}

/* Resolve `from` with its own text in the messages. */
static void
use_pointer(struct op_ctx *x, const rl_value *s)
{
	x->raw = s->u.s.ptr;
	x->rawlen = s->u.s.len;
}

static int
op_move(struct op_ctx *x, const rl_value *path, const rl_pointer *pp,
    const rl_value *from, const rl_pointer *fp)
{
	const char *ps = path->u.s.ptr, *fs = from->u.s.ptr;
	size_t plen = path->u.s.len, flen = from->u.s.len;
	struct loc l;
	rl_value *v;

	use_pointer(x, from);
	if (plen == flen && memcmp(ps, fs, flen) == 0)
		return locate(x, fp, 0, &l);   /* a no-op, once from exists */
	/*
	 * Escapes are canonical (~0 and ~1 only), so a token-wise prefix is a
	 * textual prefix that stops at a "/".
	 */
	if (plen > flen && memcmp(ps, fs, flen) == 0 && ps[flen] == '/') {
		use_pointer(x, path);
		return fail(x, RL_PATCH_TARGET,
		    "cannot move a value into one of its own children");
	}
	if (op_remove(x, fp, &v) == -1)
		return -1;
	use_pointer(x, path);
	return op_add(x, pp, v);
}

static int
op_copy(struct op_ctx *x, const rl_value *path, const rl_pointer *pp,
    const rl_value *from, const rl_pointer *fp)
{
	struct loc l;
	rl_value *v;

	use_pointer(x, from);
	if (locate(x, fp, 0, &l) == -1)
		return -1;
	if ((v = rl_json_copy(x->a, loc_value(x, &l))) == NULL)
		return nomem(x);
	use_pointer(x, path);
	return op_add(x, pp, v);
}

/* Parse a pointer member, naming it in the message when it is bad. */
static int
parse_pointer(struct op_ctx *x, const char *field, const rl_value *s,
    rl_pointer *p)
{
	char q[QUOTE_MAX];
	rl_diag why = RL_DIAG_INIT;

	if (rl_pointer_parse(x->a, s->u.s.ptr, s->u.s.len, p, &why) == 0)
		return 0;
	use_pointer(x, s);
	if (why.code == RL_NOMEM)
		return nomem(x);
	return fail(x, why.code, "%s %s: %s", field,
	    quote(q, s->u.s.ptr, s->u.s.len), why.message);
}

/* A string member of the op object, or a patch-shape diagnostic. */
static int
string_member(struct op_ctx *x, const rl_value *op, const char *name,
    const char *needed_by, const rl_value **out)
{
	const rl_value *v = rl_json_get(op, name);

	if (v == NULL) {
		if (needed_by != NULL)
			return fail(x, RL_PATCH_SHAPE,
			    "%s needs a \"%s\" member", needed_by, name);
		return fail(x, RL_PATCH_SHAPE,
		    "the operation has no \"%s\" member", name);
	}
	if (v->type != RL_STRING)
		return fail(x, RL_PATCH_SHAPE, "\"%s\" must be a string, not %s",
		    name, type_name(v));
	*out = v;
	return 0;
}

static int
apply_op(struct op_ctx *x, const rl_value *op)
{
	char q[QUOTE_MAX];
	const rl_value *name, *path, *from = NULL, *value = NULL;
	rl_pointer pp, fp;
	rl_op_kind kind;
	rl_value *v, *removed;

	if (op->type != RL_OBJECT)
		return fail(x, RL_PATCH_SHAPE,
		    "an operation must be an object, not %s", type_name(op));
	/* Errors name the path whenever there is one to name. */
	if ((path = rl_json_get(op, "path")) != NULL && path->type == RL_STRING)
		use_pointer(x, path);
	if (string_member(x, op, "op", NULL, &name) == -1 ||
	    string_member(x, op, "path", NULL, &path) == -1)
		return -1;
	kind = rl_op_kind_of(name->u.s.ptr, name->u.s.len);
	if (kind == RL_OP_UNKNOWN)
		return fail(x, RL_OP_UNSUPPORTED, "unknown op %s",
		    quote(q, name->u.s.ptr, name->u.s.len));
	if ((kind == RL_OP_MOVE || kind == RL_OP_COPY) &&
	    string_member(x, op, "from", op_names[kind], &from) == -1)
		return -1;
	if (kind == RL_OP_ADD || kind == RL_OP_REPLACE || kind == RL_OP_TEST) {
		if ((value = rl_json_get(op, "value")) == NULL)
			return fail(x, RL_OP_VALUE_MISSING,
			    "%s needs a \"value\" member", op_names[kind]);
	}
	if (parse_pointer(x, "path", path, &pp) == -1 ||
	    (from != NULL && parse_pointer(x, "from", from, &fp) == -1))
		return -1;

	switch (kind) {
	case RL_OP_ADD:
	case RL_OP_REPLACE:
		/* The patch is read-only: later ops may edit what this one adds. */
		if ((v = rl_json_copy(x->a, value)) == NULL)
			return nomem(x);
		return kind == RL_OP_ADD ? op_add(x, &pp, v) : op_replace(x, &pp, v);
	case RL_OP_REMOVE:
		return op_remove(x, &pp, &removed);
	case RL_OP_MOVE:
		return op_move(x, path, &pp, from, &fp);
	case RL_OP_COPY:
		return op_copy(x, path, &pp, from, &fp);
	case RL_OP_TEST:
		return op_test(x, &pp, value);
	default:
		return -1;
	}
}

int
rl_patch_apply_op(rl_arena *a, rl_value **doc, const rl_value *op,
    rl_undo *u, rl_diag *d)
{
	struct op_ctx x = { a, doc, u, d, "", 0 };
	size_t mark = u->n;

	if (apply_op(&x, op) == 0)
		return 0;
	rl_undo_rollback(u, doc, mark);
	return -1;
}

int
rl_patch_apply_parsed(rl_arena *a, rl_value **doc, rl_op_kind kind,
    const rl_value *path, const rl_pointer *pp, const rl_value *value,
    rl_undo *u, rl_diag *d)
{
	struct op_ctx x = { a, doc, u, d, "", 0 };
	size_t mark = u->n;
	rl_value *v;
	int rc;

	use_pointer(&x, path);
	/*
	 * The patch is read-only: later ops may edit a container this one
	 * adds, so that is copied.  Scalars are never edited in place (an op
	 * replaces them), so the document can share the op's own.
	 */
	if (value->type != RL_ARRAY && value->type != RL_OBJECT)
		v = (rl_value *)(uintptr_t)value;
	else
		v = rl_json_copy(a, value);
	if (v == NULL)
		rc = nomem(&x);
	else if (kind == RL_OP_ADD)
		rc = op_add(&x, pp, v);
	else if (kind == RL_OP_REPLACE)
		rc = op_replace(&x, pp, v);
	else
		rc = fail(&x, RL_OP_UNSUPPORTED, "op %s needs more than a value",
		    rl_op_name(kind));
	if (rc == 0)
		return 0;
	rl_undo_rollback(u, doc, mark);
	return -1;
}

int
rl_patch_apply(rl_arena *a, rl_value **doc, const rl_value *patch,
    rl_diag *d)
{
	rl_undo *u;
	size_t i;
	int fresh = rl_diag_wants(d);   /* a failure here is d's to tell */

	if (patch->type != RL_ARRAY)
		return rl_diag_set(d, RL_PATCH_SHAPE,
		    "a patch must be an array of operations, not %s",
		    type_name(patch));
	if ((u = rl_undo_new(a)) == NULL)
		return rl_diag_set(d, RL_NOMEM, "out of memory");
	for (i = 0; i < patch->u.a.n; i++) {
		if (rl_patch_apply_op(a, doc, patch->u.a.items[i], u, d) == -1) {
			rl_undo_rollback(u, doc, 0);
			if (fresh)
				d->op = (long)i;
			return -1;
		}
	}
	return 0;
}
