/* buf.c: growable byte buffer. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"

int
rl_buf_reserve(rl_buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (more > SIZE_MAX - b->len - 1)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
	if ((p = rl_realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}


int
rl_buf_printf(rl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || rl_buf_reserve(b, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int
rl_buf_putu(rl_buf *b, unsigned long long v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return rl_buf_append(b, tmp + i, sizeof(tmp) - i);
}

void
rl_buf_clear(rl_buf *b)
{
	b->len = 0;
}

void
rl_buf_free(rl_buf *b)
{
	if (b == NULL)
		return;
	rl_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *
rl_buf_cstr(rl_buf *b)
{
	if (b->data == NULL || b->len + 1 > b->cap) {
		if (rl_buf_reserve(b, 1) == -1)
			return NULL;
	}
	b->data[b->len] = '\0';
	return b->data;
}

int
rl_buf_read_fd(rl_buf *b, int fd, size_t cap)
{
	ssize_t n;

	for (;;) {
		if (rl_buf_reserve(b, 65536) == -1) {
			errno = ENOMEM;
			return -1;
		}
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		if (cap > 0 && b->len > cap) {
			errno = EFBIG;
			return -1;
		}
	}
}
