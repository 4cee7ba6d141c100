/*
 * arena.h: per-record memory and the library's allocator hook.
 * Included by every module of src/ and by the tests; not installed.
 *
 * Ownership: everything allocated from an rl_arena belongs to the arena and
 * is released by rl_arena_reset() or rl_arena_free(); nothing is freed one
 * by one.  Memory that outlives a record (buffers, handles) comes from
 * rl_malloc() and is released with rl_free().
 */
#ifndef RL_ARENA_H
#define RL_ARENA_H

#include <stddef.h>

#if defined(__GNUC__)
#define RL_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define RL_WARN_UNUSED
#endif

typedef struct rl_arena rl_arena;

rl_arena *rl_arena_new(size_t chunk) RL_WARN_UNUSED;
void      rl_arena_free(rl_arena *);
/* Releases everything; keeps its default-size chunks for the next use. */
void      rl_arena_reset(rl_arena *);
/* Aligned for any object; NULL when memory runs out. */
void     *rl_arena_alloc(rl_arena *, size_t) RL_WARN_UNUSED;
/* A copy of (p, len) followed by a NUL that is not counted in len. */
char     *rl_arena_strndup(rl_arena *, const char *, size_t) RL_WARN_UNUSED;
/* Bytes currently held from the system (for tests and limits). */
size_t    rl_arena_footprint(const rl_arena *);

/*
 * The allocator every module uses (yajl included), so that a test can make
 * the N-th allocation fail.
 */
void *rl_malloc(size_t) RL_WARN_UNUSED;
void *rl_realloc(void *, size_t) RL_WARN_UNUSED;
void  rl_free(void *);
/* Make the n-th call from now (1-based) and every later one fail; 0 = never. */
void  rl_alloc_fail_after(unsigned long n);
/* Allocations made since the counter was last set (for the fault tests). */
unsigned long rl_alloc_count(void);
/* Whether rl_alloc_fail_after was ever called (allocations are counted). */
int           rl_alloc_hooked(void);

#endif /* RL_ARENA_H */
