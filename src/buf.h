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
#include <string.h>

typedef struct rl_buf {
	char *data;
	size_t len;
	size_t cap;
} rl_buf;

#define RL_BUF_INIT { NULL, 0, 0 }

int  rl_buf_reserve(rl_buf *, size_t more);
/*
 * Appends what fd holds to its end (read(2), EINTR retried; fd is not
 * closed), keeping room for a NUL.  0, or -1 with errno: the read's,
 * ENOMEM, or EFBIG once b holds more than cap bytes (0: no cap).
 */
int  rl_buf_read_fd(rl_buf *, int fd, size_t cap);
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

/*
 * The appends are inline: they run for every byte of output, and the room
 * is nearly always there already (one comparison, then a copy).
 */
static inline int
rl_buf_append(rl_buf *b, const void *p, size_t n)
{
	if (n >= b->cap - b->len && rl_buf_reserve(b, n) == -1)
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

static inline int
rl_buf_puts(rl_buf *b, const char *s)
{
	return rl_buf_append(b, s, strlen(s));
}

static inline int
rl_buf_putc(rl_buf *b, char c)
{
	if (b->len + 1 >= b->cap && rl_buf_reserve(b, 1) == -1)
		return -1;
	b->data[b->len++] = c;
	return 0;
}

#endif /* RL_BUF_H */
