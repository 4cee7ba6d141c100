/*
 * outfile.c: output files that appear whole or not at all.  A temporary
 * file beside the target is renamed over it at the end; stdout, devices
 * and pipes are written as they are.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

struct rl_outfile {
	char *name;            /* as given */
	char *tmp;             /* temporary name; NULL = written directly */
	int fd;
	int own;               /* close fd at the end */
	int dead;              /* a write failed: drop the rest */
	int tty;
	rl_buf b;
	struct rl_outfile *next;   /* the open temporary files, for cleanup */
};

/* Temporary files not yet renamed, for rl_outfile_cleanup_all(). */
static struct rl_outfile *pending;

static int
io_error(rl_diag *d, const char *name, const char *what, int err)
{
	rl_diag_set(d, RL_IO_ERROR, "%s: %s%s%s", name, what, *what ? ": " : "",
	    strerror(err));
	return -1;
}

static char *
dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = rl_malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

/* dir/.base.XXXXXX beside path, created with mkstemp; -1 with errno. */
static int
make_temp(rl_outfile *f, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t n = strlen(path) + 16;
	int fd;

	if ((f->tmp = rl_malloc(n)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(f->tmp, path, dlen);
	strcpy(f->tmp + dlen, ".");
	strcat(f->tmp, path + dlen);
	strcat(f->tmp, ".XXXXXX");
	if ((fd = mkstemp(f->tmp)) == -1) {
		int e = errno;

		rl_free(f->tmp);
		f->tmp = NULL;
		errno = e;
		return -1;
	}
	return fd;
}

rl_outfile *
rl_outfile_open(const char *path, rl_diag *d)
{
	rl_outfile *f;
	struct stat st;
	int e;

	if ((f = rl_malloc(sizeof(*f))) == NULL) {
		io_error(d, path, "", ENOMEM);
		return NULL;
	}
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	if ((f->name = dup_str(path)) == NULL) {
		e = ENOMEM;
		goto fail;
	}
	if (strcmp(path, "-") == 0) {
		f->fd = STDOUT_FILENO;
		f->tty = isatty(f->fd);
		return f;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device, a pipe, a socket: write it as it is. */
		if ((f->fd = open(path, O_WRONLY | O_APPEND)) == -1 &&
		    (f->fd = open(path, O_WRONLY)) == -1) {
			e = errno;
			goto fail;
		}
		f->own = 1;
		f->tty = isatty(f->fd);
		return f;
	}
	if ((f->fd = make_temp(f, path)) == -1) {
		e = errno;
		goto fail;
	}
	/* mkstemp makes 0600: give the file what a plain create would. */
	{
		mode_t m = umask(0);

		umask(m);
		(void)fchmod(f->fd, 0666 & ~m);
	}
	f->own = 1;
	f->next = pending;
	pending = f;
	return f;
fail:
	io_error(d, path, "", e);
	rl_outfile_close(f);
	return NULL;
}

rl_outfile *
rl_outfile_fd(int fd, const char *name)
{
	rl_outfile *f;

	if ((f = rl_malloc(sizeof(*f))) == NULL)
		return NULL;
	memset(f, 0, sizeof(*f));
	if ((f->name = dup_str(name)) == NULL) {
		rl_free(f);
		return NULL;
	}
	f->fd = fd;
	f->tty = isatty(fd);
	return f;
}

rl_buf *
rl_outfile_buf(rl_outfile *f)
{
	return &f->b;
}

const char *
rl_outfile_name(const rl_outfile *f)
{
	return f->name;
}

int
rl_outfile_isatty(const rl_outfile *f)
{
	return f->tty;
}

int
rl_outfile_flush(rl_outfile *f, size_t min, rl_diag *d)
{
	const char *p = f->b.data;
	size_t n = f->b.len;
	ssize_t w;

	if (f->dead) {
		/* Reported once already: d is not filled again. */
		rl_buf_clear(&f->b);
		return f->dead == RL_OUTFILE_EPIPE ? RL_OUTFILE_EPIPE : RL_OUTFILE_DEAD;
	}
	if (n == 0 || n < min)
		return 0;
	while (n > 0) {
		w = write(f->fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w == 0 ? EIO : errno;

			rl_buf_clear(&f->b);
			if (e == EPIPE)
				return f->dead = RL_OUTFILE_EPIPE;
			f->dead = -1;
			return io_error(d, f->name, "write", e);
		}
		p += w;
		n -= (size_t)w;
	}
	rl_buf_clear(&f->b);
	return 0;
}

static void
unlink_pending(rl_outfile *f)
{
	rl_outfile **pp;

	for (pp = &pending; *pp != NULL; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
}

int
rl_outfile_commit(rl_outfile *f, rl_diag *d)
{
	int rc = rl_outfile_flush(f, 0, d);

	if (rc != 0 || f->tmp == NULL)
		return rc;
	if (fsync(f->fd) == -1 && errno != EINVAL && errno != EROFS) {
		f->dead = -1;
		return io_error(d, f->name, "fsync", errno);
	}
	if (close(f->fd) == -1) {
		f->fd = -1;
		f->dead = -1;
		return io_error(d, f->name, "close", errno);
	}
	f->fd = -1;
	if (rename(f->tmp, f->name) == -1) {
		f->dead = -1;
		return io_error(d, f->name, "rename", errno);
	}
	unlink_pending(f);
	rl_free(f->tmp);
	f->tmp = NULL;
	return 0;
}

void
rl_outfile_close(rl_outfile *f)
{
	if (f == NULL)
		return;
	if (f->own && f->fd != -1)
		close(f->fd);
	if (f->tmp != NULL) {
		unlink_pending(f);
		unlink(f->tmp);
		rl_free(f->tmp);
	}
	rl_buf_free(&f->b);
	rl_free(f->name);
	rl_free(f);
}

void
rl_outfile_cleanup_all(void)
{
	const rl_outfile *f;

	for (f = pending; f != NULL; f = f->next)
		if (f->tmp != NULL)
			unlink(f->tmp);
}
