/* arena.c: bump allocator for per-record memory, and the allocator hook. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* The strictest alignment we need; C99 has no max_align_t. */
typedef union {
	long double ld;
	long long ll;
	void *p;
	void (*fn)(void);
} align_t;

struct chunk {
	struct chunk *next;
	size_t size;          /* usable bytes after the header */
	size_t used;
	align_t data[];   /* aligned start of the usable bytes */
};

struct rl_arena {
	struct chunk *head;   /* the chunk being filled */
	struct chunk *spare;  /* default-size chunks kept by a reset */
	size_t chunk;         /* default chunk size */
	size_t footprint;
};

/*
 * The fault hook counts allocations only once a test has set it: a normal
 * run never writes these, so the batch pipeline's two threads share no
 * counter (and the pipeline stays off while the hook is set).
 */
static int alloc_hooked;
static unsigned long alloc_calls;
static unsigned long alloc_fail_at;

void
rl_alloc_fail_after(unsigned long n)
{
	alloc_hooked = 1;
	alloc_calls = 0;
	alloc_fail_at = n;
}

unsigned long
rl_alloc_count(void)
{
	return alloc_calls;
}

int
rl_alloc_hooked(void)
{
	return alloc_hooked;
}

static int
alloc_should_fail(void)
{
	if (!alloc_hooked)
		return 0;
	alloc_calls++;
	return alloc_fail_at != 0 && alloc_calls >= alloc_fail_at;
}

void *
rl_malloc(size_t n)
{
	if (alloc_should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *
rl_realloc(void *p, size_t n)
{
	if (alloc_should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void
rl_free(void *p)
{
	free(p);
}

rl_arena *
rl_arena_new(size_t chunk)
{
	rl_arena *a;

	if ((a = rl_malloc(sizeof(*a))) == NULL)
		return NULL;
	a->head = NULL;
	a->spare = NULL;
	a->chunk = chunk ? chunk : 64 * 1024;
	a->footprint = 0;
	return a;
}

static void
free_chunks(struct chunk *c)
{
	struct chunk *next;

	for (; c != NULL; c = next) {
		next = c->next;
		rl_free(c);
	}
}

void
rl_arena_free(rl_arena *a)
{
	if (a == NULL)
		return;
	free_chunks(a->head);
	free_chunks(a->spare);
	rl_free(a);
}

void
rl_arena_reset(rl_arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	/*
	 * Chunks of the default size are kept for the next use, so that a
	 * steady stream of records (or of a worker's chunks of input) never
	 * calls malloc and touches no new page; oversized chunks go back.
	 * What is kept is at most what the largest use needed, which keeps
	 * memory bounded by the largest record (or chunk of input).
	 */
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c->size == a->chunk) {
			c->next = a->spare;
			a->spare = c;
		} else
			rl_free(c);
	}
	a->head = NULL;
	a->footprint = 0;
}

void *
rl_arena_alloc(rl_arena *a, size_t n)
{
	const size_t align = sizeof(align_t);
	struct chunk *c;
	size_t size;

	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	c = a->head;
	if (c == NULL || c->size - c->used < n) {
		if (n <= a->chunk && (c = a->spare) != NULL) {
			a->spare = c->next;
			c->used = 0;
			c->next = a->head;
			a->head = c;
			a->footprint += sizeof(*c) + c->size;
			c->used = n;
			return c->data;
		}
		size = n > a->chunk ? n : a->chunk;
		if (size > SIZE_MAX - sizeof(*c))
			return NULL;
		if ((c = rl_malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		a->footprint += sizeof(*c) + size;
		if (size > a->chunk && a->head != NULL) {
			/* An oversized block goes behind the chunk being filled. */
			c->next = a->head->next;
			a->head->next = c;
			c->used = n;
			return c->data;
		}
		c->next = a->head;
		a->head = c;
	}
	c->used += n;
	return (char *)c->data + c->used - n;
}

char *
rl_arena_strndup(rl_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX || (p = rl_arena_alloc(a, len + 1)) == NULL)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

size_t
rl_arena_footprint(const rl_arena *a)
{
	return a ? a->footprint : 0;
}
