/*
 * rules.c: the rules loader.  Reads every rule file of a directory (JSON
 * with comments), checks every member against the schema of reflint-rules(5)
 * and builds the tables that the judge walks.  Patterns are compiled here,
 * once.  This file holds the schema helpers, formats.json, severity.json,
 * reading the files and the handle; each other rule file has its own
 * loader (rules_paths.c, rules_lifecycle.c, rules_dealreg.c,
 * rules_columns.c).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader.h"
#include "rules_load.h"

const char *const rl_rule_files[] = {
	"formats.json",
	"paths.json",
	"lifecycle.json",
	"dealregistration.json",
	"severity.json",
	"columns.json",
	NULL
};

static const char *const rl_ld_kind_names[] = {
	"a string", "a boolean", "a number", "a non-negative integer",
	"an array", "an object"
};


void
rl_ld_err(struct rl_ld *l, const rl_value *at, const char *fmt, ...)
{
	rl_diag d = RL_DIAG_INIT;
	va_list ap;

	memset(&d, 0, sizeof(d));
	d.code = RL_RULES_ERROR;
	d.severity = RL_SEV_ERROR;
	d.source = l->file;
	d.line = at != NULL ? at->line : 0;
	d.op = -1;
	d.field = -1;
	va_start(ap, fmt);
	vsnprintf(d.message, sizeof(d.message), fmt, ap);
	va_end(ap);
	l->errors++;
	if (l->fn != NULL)
		l->fn(l->ctx, &d);
}

void *
rl_ld_alloc(struct rl_ld *l, size_t n)
{
	void *p;

	if (n == 0)
		n = 1;
	if ((p = rl_arena_alloc(l->r->a, n)) == NULL) {
		rl_diag d = RL_DIAG_INIT;

		rl_diag_set(&d, RL_NOMEM, "out of memory");
		d.source = l->file;
		l->errors++;
		if (l->fn != NULL)
			l->fn(l->ctx, &d);
		return NULL;
	}
	memset(p, 0, n);
	return p;
}

int
rl_ld_is_kind(const rl_value *v, enum rl_ld_kind k)
{
	size_t i;

	switch (k) {
	case K_STR: return v->type == RL_STRING;
	case K_BOOL: return v->type == RL_TRUE || v->type == RL_FALSE;
	case K_NUM: return v->type == RL_NUMBER;
	case K_INT:
		if (v->type != RL_NUMBER || v->u.s.len == 0 || v->u.s.len > 9)
			return 0;
		for (i = 0; i < v->u.s.len; i++)
			if (v->u.s.ptr[i] < '0' || v->u.s.ptr[i] > '9')
				return 0;
		return 1;
	case K_ARR: return v->type == RL_ARRAY;
	default: return v->type == RL_OBJECT;
	}
}

/* Reports every member of obj that is not in allowed (NULL-terminated). */
void
rl_ld_only_members(struct rl_ld *l, const rl_value *obj, const char *where,
    const char *const *allowed)
{
	size_t i, k;

	for (i = 0; i < obj->u.o.n; i++) {
		const rl_member *m = &obj->u.o.members[i];

		for (k = 0; allowed[k] != NULL; k++)
			if (strlen(allowed[k]) == m->klen &&
			    memcmp(allowed[k], m->key, m->klen) == 0)
				break;
		if (allowed[k] == NULL)
			rl_ld_err(l, m->value, "%s: unknown member \"%.*s\"", where,
			    (int)m->klen, m->key);
	}
}

/* Member name of obj, of kind k; NULL (reported when required) otherwise. */
const rl_value *
rl_ld_get(struct rl_ld *l, const rl_value *obj, const char *name, enum rl_ld_kind k,
    int required, const char *where)
{
	const rl_value *v = rl_json_get(obj, name);

	if (v == NULL) {
		if (required)
			rl_ld_err(l, obj, "%s: missing member \"%s\"", where, name);
		return NULL;
	}
	if (!rl_ld_is_kind(v, k)) {
		rl_ld_err(l, v, "%s: \"%s\" must be %s, not %s", where, name,
		    rl_ld_kind_names[k], rl_json_type_name(v));
		return NULL;
	}
	return v;
}

const char *
rl_ld_str(struct rl_ld *l, const rl_value *obj, const char *name, int required,
    const char *where)
{
	const rl_value *v = rl_ld_get(l, obj, name, K_STR, required, where);

	return v != NULL ? v->u.s.ptr : NULL;
}

long
rl_ld_int(struct rl_ld *l, const rl_value *obj, const char *name, int required,
    const char *where, long dflt)
{
	const rl_value *v = rl_ld_get(l, obj, name, K_INT, required, where);

	return v != NULL ? strtol(v->u.s.ptr, NULL, 10) : dflt;
}

/* An array whose items are all strings (reported otherwise). */
const rl_value *
rl_ld_strings(struct rl_ld *l, const rl_value *obj, const char *name, int required,
    const char *where)
{
	const rl_value *v = rl_ld_get(l, obj, name, K_ARR, required, where);
	size_t i;

	if (v == NULL)
		return NULL;
	for (i = 0; i < v->u.a.n; i++)
		if (v->u.a.items[i]->type != RL_STRING) {
			rl_ld_err(l, v->u.a.items[i], "%s: \"%s\"[%zu] must be a string, not %s",
			    where, name, i, rl_json_type_name(v->u.a.items[i]));
			return NULL;
		}
	return v;
}

rl_regex *
rl_ld_compile(struct rl_ld *l, const rl_value *pat, unsigned flags, const char *where)
{
	rl_regex_error e;
	struct rl_re_node *node;
	rl_regex *re;

	if ((re = rl_regex_new(pat->u.s.ptr, pat->u.s.len, flags, &e)) == NULL) {
		if (e.nomem)
			rl_ld_err(l, pat, "%s: out of memory compiling the pattern", where);
		else
			rl_ld_err(l, pat, "%s: pattern does not compile at offset %zu: %s",
			    where, e.offset, e.message);
		return NULL;
	}
	if ((node = rl_ld_alloc(l, sizeof(*node))) == NULL) {
		rl_regex_free(re);
		return NULL;
	}
	node->re = re;
	node->next = l->res;
	l->res = node;
	return re;
}

int
rl_ld_parse_pointer(struct rl_ld *l, const rl_value *s, const char *where,
    rl_pointer *out)
{
	rl_diag d = RL_DIAG_INIT;

	if (rl_pointer_parse(l->r->a, s->u.s.ptr, s->u.s.len, out, &d) == -1) {
		rl_ld_err(l, s, "%s: \"%s\" is not a JSON Pointer: %s", where,
		    s->u.s.ptr, d.message);
		return -1;
	}
	return 0;
}

int
rl_ld_pointer(struct rl_ld *l, const rl_value *obj, const char *name,
    const char *where, rl_pointer *out)
{
	const rl_value *v = rl_ld_get(l, obj, name, K_STR, 1, where);

	if (v == NULL)
		return -1;
	return rl_ld_parse_pointer(l, v, where, out);
}

int
rl_ld_parse_tmpl(struct rl_ld *l, const rl_value *s, const char *where,
    struct rl_tmpl *t)
{
	rl_pointer p;
	size_t i;

	if (rl_ld_parse_pointer(l, s, where, &p) == -1)
		return -1;
	if (p.n == 0) {
		rl_ld_err(l, s, "%s: the empty path (the whole referral) is not a path template",
		    where);
		return -1;
	}
	t->text = s->u.s.ptr;
	t->tok = p.tok;
	t->n = p.n;
	if ((t->kind = rl_ld_alloc(l, p.n)) == NULL)
		return -1;
	for (i = 0; i < p.n; i++) {
		const rl_token *k = &p.tok[i];

		if (k->len == 3 && memcmp(k->s, "{n}", 3) == 0)
			t->kind[i] = RL_TK_INDEX;
		else if (k->len == 1 && k->s[0] == '*')
			t->kind[i] = RL_TK_ANY;
		else if (k->len == 2 && memcmp(k->s, "**", 2) == 0) {
			if (i + 1 != p.n) {
				rl_ld_err(l, s, "%s: \"**\" may only be the last token of \"%s\"",
				    where, s->u.s.ptr);
				return -1;
			}
			t->kind[i] = RL_TK_DEEP;
		} else
			t->kind[i] = RL_TK_LIT;
	}
	return 0;
}

const struct rl_strfmt *
rl_rules_format(const rl_rules *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nformats; i++)
		if (strcmp(r->formats[i].name, name) == 0)
			return &r->formats[i];
	return NULL;
}

int
rl_rules_account_type(const rl_rules *r, const char *s, size_t len)
{
	const rl_value *t = r->dr.account_types;
	size_t i;

	for (i = 0; t != NULL && i < t->u.a.n; i++)
		if (t->u.a.items[i]->u.s.len == len &&
		    memcmp(t->u.a.items[i]->u.s.ptr, s, len) == 0)
			return 1;
	return 0;
}

const rl_value *
rl_rules_engagement(const rl_rules *r, const rl_value *referral)
{
	const rl_value *v;

	if (referral == NULL || r->dr.p_engagement.n == 0)
		return NULL;
	v = rl_pointer_get(referral, &r->dr.p_engagement);
	return v != NULL && v->type == RL_STRING ? v : NULL;
}

int
rl_rules_registration_path(const rl_rules *r, const char *p, size_t len)
{
	const struct rl_tmpl *t = &r->lc.reg_add;
	const char *slash;
	size_t n;

	/* the template's text up to its last "/" names the array */
	if (t->text == NULL || (slash = strrchr(t->text, '/')) == NULL ||
	    slash == t->text)
		return 0;
	n = (size_t)(slash - t->text);
	return len >= n && memcmp(p, t->text, n) == 0;
}

const struct rl_strfmt *
rl_ld_format_ref(struct rl_ld *l, const rl_value *s, const char *where)
{
	const struct rl_strfmt *f = rl_rules_format(l->r, s->u.s.ptr);

	if (f == NULL)
		rl_ld_err(l, s, "%s: unknown format \"%s\" (not in formats.json)",
		    where, s->u.s.ptr);
	return f;
}

/* ---- formats.json ---------------------------------------------------- */

static void
load_formats(struct rl_ld *l, const rl_value *doc)
{
	static const char *const top[] = { "formats", NULL };
	static const char *const fmt[] = {
		"pattern", "caseless", "calendar", "description", NULL
	};
	const rl_value *fs, *v;
	char where[160];
	size_t i;

	rl_ld_only_members(l, doc, "formats.json", top);
	if ((fs = rl_ld_get(l, doc, "formats", K_OBJ, 1, "formats.json")) == NULL)
		return;
	if ((l->r->formats = rl_ld_alloc(l, fs->u.o.n * sizeof(*l->r->formats))) == NULL)
		return;
	for (i = 0; i < fs->u.o.n; i++) {
		const rl_member *m = &fs->u.o.members[i];
		struct rl_strfmt *f = &l->r->formats[l->r->nformats];
		const rl_value *pat;
		unsigned flags = 0;

		snprintf(where, sizeof(where), "formats.%.*s", (int)m->klen, m->key);
		if (!rl_ld_is_kind(m->value, K_OBJ)) {
			rl_ld_err(l, m->value, "%s must be an object, not %s", where,
			    rl_json_type_name(m->value));
			continue;
		}
		rl_ld_only_members(l, m->value, where, fmt);
		f->name = m->key;
		f->description = rl_ld_str(l, m->value, "description", 0, where);
		if ((v = rl_ld_get(l, m->value, "caseless", K_BOOL, 0, where)) != NULL &&
		    v->type == RL_TRUE)
			flags |= RL_RE_CASELESS;
		if ((v = rl_ld_get(l, m->value, "calendar", K_BOOL, 0, where)) != NULL)
			f->calendar = v->type == RL_TRUE;
		if ((pat = rl_ld_get(l, m->value, "pattern", K_STR, 1, where)) == NULL)
			continue;
		snprintf(where, sizeof(where), "formats.%.*s.pattern",
		    (int)m->klen, m->key);
		/* Kept even when it does not compile: no "unknown format" echoes. */
		f->re = rl_ld_compile(l, pat, flags, where);
		l->r->nformats++;
	}
}

/* ---- severity.json --------------------------------------------------- */

static void
load_severity(struct rl_ld *l, const rl_value *doc)
{
	static const char *const top[] = { "severity", NULL };
	const rl_value *v;
	size_t i;

	rl_ld_only_members(l, doc, "severity.json", top);
	if ((v = rl_ld_get(l, doc, "severity", K_OBJ, 1, "severity.json")) == NULL)
		return;
	for (i = 0; i < v->u.o.n; i++) {
		const rl_member *m = &v->u.o.members[i];
		rl_code c = rl_code_lookup(m->key, m->klen);
		int s;

		if (c == RL_OK || c >= RL_IO_ERROR) {
			rl_ld_err(l, m->value, "severity: unknown diagnostic code \"%s\"",
			    m->key);
			continue;
		}
		if (m->value->type != RL_STRING ||
		    (s = rl_severity_lookup(m->value->u.s.ptr, m->value->u.s.len)) < 0) {
			rl_ld_err(l, m->value, "severity.%s must be \"error\", \"warning\", \"info\" or \"none\"",
			    m->key);
			continue;
		}
		l->r->sev[c] = (rl_severity)s;
	}
}

/* ---- files ----------------------------------------------------------- */

/*
 * Reads a rule file whole.  Only regular files of at most 4 MiB are read
 * (reflint-rules(5); the default rules are under 10 kB): a FIFO, a device
 * such as /dev/zero or a huge file in the rules directory is a rules error,
 * not a hang or unbounded memory.  O_NONBLOCK so that opening a FIFO does
 * not wait for a writer; errno EISDIR, EINVAL (another non-regular file)
 * or EFBIG says why, in the caller's "cannot read" message.
 */
static int
slurp(const char *path, rl_buf *b)
{
	const size_t cap = 4 * 1024 * 1024;
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	struct stat st;
	ssize_t n = 0;
	int refuse = 0;

	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		refuse = errno;
	else if (S_ISDIR(st.st_mode))
		refuse = EISDIR;
	else if (!S_ISREG(st.st_mode))
		refuse = EINVAL;
	else if (st.st_size < 0 || (unsigned long long)st.st_size > cap)
		refuse = EFBIG;
	if (refuse != 0) {
		close(fd);
		errno = refuse;
		return -1;
	}
	/* EFBIG too when it grew after fstat */
	if ((n = rl_buf_read_fd(b, fd, cap)) == -1) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

static rl_value *
read_file(struct rl_ld *l, const char *path)
{
	rl_buf b = RL_BUF_INIT;
	rl_reader_opts o;
	rl_value *v = NULL;
	rl_diag d = RL_DIAG_INIT;

	if (slurp(path, &b) == -1) {
		rl_ld_err(l, NULL, "cannot read: %s", errno == EINVAL ?
		    "not a regular file" : errno == EFBIG ?
		    "larger than 4 MiB, the most a rule file may be" :
		    strerror(errno));
		goto done;
	}
	memset(&o, 0, sizeof(o));
	o.format = RL_FMT_VALUE;
	o.allow_comments = 1;
	o.case_sensitive_names = 1;     /* only reflint reads rule files */
	v = rl_parse_value(b.data != NULL ? b.data : "", b.len, &o, l->r->a, &d);
	if (v == NULL) {
		rl_value at;

		memset(&at, 0, sizeof(at));
		at.line = (unsigned)d.line;
		rl_ld_err(l, &at, "%s: %s", rl_code_name(d.code), d.message);
	} else if (v->type != RL_OBJECT) {
		rl_ld_err(l, v, "a rule file must hold one object, not %s", rl_json_type_name(v));
		v = NULL;
	}
done:
	rl_buf_free(&b);
	return v;
}

/*
 * Rejects *.json files of dir that are not rule files (typos).  -1 when
 * the directory cannot be read at all.
 */
static int
unknown_files(struct rl_ld *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t k, n;

	if (d == NULL) {
		l->file = dir;
		rl_ld_err(l, NULL, "cannot open the rules directory: %s", strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		for (k = 0; rl_rule_files[k] != NULL; k++)
			if (strcmp(rl_rule_files[k], e->d_name) == 0)
				break;
		if (rl_rule_files[k] == NULL) {
			char path[PATH_MAX];

			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			l->file = path;
			rl_ld_err(l, NULL, "not a rule file (the rule files are formats.json, "
			    "paths.json, lifecycle.json, dealregistration.json, severity.json "
			    "and columns.json)");
		}
	}
	closedir(d);
	return 0;
}

static void
release_regexes(struct rl_re_node *n)
{
	for (; n != NULL; n = n->next)
		rl_regex_free(n->re);
}

rl_rules *
rl_rules_load(const char *dir, rl_rules_error_fn fn, void *ctx)
{
	static void (*const loaders[])(struct rl_ld *, const rl_value *) = {
		load_formats, rl_ld_paths, rl_ld_lifecycle, rl_ld_dealreg,
		load_severity, rl_ld_columns
	};
	struct rl_ld l;
	rl_rules *r;
	rl_arena *a;
	char path[PATH_MAX];
	size_t i;
	int c;

	memset(&l, 0, sizeof(l));
	l.fn = fn;
	l.ctx = ctx;
	if ((a = rl_arena_new(0)) == NULL ||
	    (r = rl_arena_alloc(a, sizeof(*r))) == NULL) {
		rl_diag d = RL_DIAG_INIT;

		rl_arena_free(a);
		rl_diag_set(&d, RL_NOMEM, "out of memory");
		d.source = dir;
		if (fn != NULL)
			fn(ctx, &d);
		return NULL;
	}
	memset(r, 0, sizeof(*r));
	r->a = a;
	l.r = r;
	for (c = 0; c < RL_CODE_COUNT; c++)
		r->sev[c] = rl_codes[c].severity;
	if ((r->dir = rl_arena_strndup(a, dir, strlen(dir))) == NULL ||
	    (r->doc = rl_json_object(a, 8)) == NULL) {
		l.file = dir;
		rl_ld_err(&l, NULL, "out of memory");
		goto fail;
	}
	if (unknown_files(&l, dir) == -1)
		goto fail;
	for (i = 0; rl_rule_files[i] != NULL; i++) {
		rl_value *doc;

		if (snprintf(path, sizeof(path), "%s/%s", dir, rl_rule_files[i]) >=
		    (int)sizeof(path)) {
			l.file = dir;
			rl_ld_err(&l, NULL, "path too long");
			continue;
		}
		l.file = path;
		if ((doc = read_file(&l, path)) == NULL)
			continue;
		loaders[i](&l, doc);
		if (rl_json_object_insert(a, r->doc, r->doc->u.o.n, rl_rule_files[i],
		    strlen(rl_rule_files[i]), doc) == -1)
			rl_ld_err(&l, NULL, "out of memory");
	}
	if (l.errors > 0)
		goto fail;
	r->res = l.res;
	return r;
fail:
	release_regexes(l.res);
	rl_arena_free(a);
	return NULL;
}

void
rl_rules_free(rl_rules *r)
{
	if (r == NULL)
		return;
	release_regexes(r->res);
	rl_arena_free(r->a);
}

const char *
rl_rules_dir(const rl_rules *r)
{
	return r->dir;
}

rl_severity
rl_rules_severity(const rl_rules *r, rl_code c)
{
	if ((int)c < 0 || c >= RL_CODE_COUNT)
		return RL_SEV_NONE;
	return r->sev[c];
}

void
rl_rules_set_severity(rl_rules *r, rl_code c, rl_severity s)
{
	if ((int)c > 0 && c < RL_CODE_COUNT)
		r->sev[c] = s;
}

int
rl_rules_dump(const rl_rules *r, rl_buf *b)
{
	size_t i;
	int c;

	if (rl_buf_putc(b, '{') == -1)
		return -1;
	for (i = 0; i < r->doc->u.o.n; i++) {
		const rl_member *m = &r->doc->u.o.members[i];

		if (rl_json_quote(b, m->key, m->klen) == -1 ||
		    rl_buf_putc(b, ':') == -1 ||
		    rl_json_serialize(b, m->value) == -1 ||
		    rl_buf_putc(b, ',') == -1)
			return -1;
	}
	if (rl_buf_puts(b, "\"codes\":{") == -1)
		return -1;
	for (c = 1; c < RL_IO_ERROR; c++) {
		if (c == RL_PATCH_TEST_FAILED)
			continue;
		if ((c > 1 && rl_buf_putc(b, ',') == -1) ||
		    rl_json_quote(b, rl_codes[c].name, strlen(rl_codes[c].name)) == -1 ||
		    rl_buf_putc(b, ':') == -1 ||
		    rl_json_quote(b, rl_severity_name(r->sev[c]),
		    strlen(rl_severity_name(r->sev[c]))) == -1)
			return -1;
	}
	return rl_buf_puts(b, "}}");
}

