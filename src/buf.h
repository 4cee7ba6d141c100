/*
 * buf.h: growable byte buffer for output and scratch text.
 * Included by any module of src/ and by the tests; not installed.
 *
 * Ownership: an rl_buf owns its data (from rl_malloc); rl_buf_free releases
 * it and accepts a buffer that never grew.  Appends return -1 when memory
 * runs out and leave the buffer as it was.
 */
#ifndef RL_BUF_H
#define RL_BUF_H

#include <stddef.h>

typedef struct rl_buf {
	char *data;
	size_t len;
	size_t cap;
} rl_buf;

#define RL_BUF_INIT { NULL, 0, 0 }

int  rl_buf_reserve(rl_buf *, size_t more);
int  rl_buf_append(rl_buf *, const void *, size_t);
int  rl_buf_puts(rl_buf *, const char *);
int  rl_buf_putc(rl_buf *, char);
int  rl_buf_printf(rl_buf *, const char *, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Appends an unsigned decimal number. */
int  rl_buf_putu(rl_buf *, unsigned long long);
void rl_buf_clear(rl_buf *);
void rl_buf_free(rl_buf *);
/* Makes data a NUL-terminated string (the NUL is not counted in len). */
const char *rl_buf_cstr(rl_buf *);

#endif /* RL_BUF_H */
