/*
 * outfile.c: output files that appear whole or not at all.  A temporary
 * file beside the target is renamed over it at the end; stdout, devices
 * and pipes are written as they are.  A symbolic link is followed to its
 * target, so that the link stays a link and the file it names gets the
 * content; a link into /proc or /dev/fd (/dev/stdout, /proc/self/fd/1)
 * names an open descriptor, which is written as it is, never renamed over.
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
	char *dest;            /* what the temporary file becomes (the link's
	                          target, or name); NULL = written directly */
	char *tmp;             /* temporary name; NULL = written directly */
	dev_t dev;             /* the file written, when it existed */
	ino_t ino;
	int known;             /* dev and ino are set */
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
	/* The name goes in d->source, so that a printer says it once. */
	rl_diag_set(d, RL_IO_ERROR, "cannot %s: %s", *what ? what : "open",
	    strerror(err));
	if (d != NULL)
		d->source = name;
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

#define MAX_LINKS 40

static int
magic_dir(const char *p)
{
	return strncmp(p, "/proc/", 6) == 0 || strncmp(p, "/dev/fd/", 8) == 0;
}

/*
 * Follows path through its symbolic links (at most MAX_LINKS) to the name
 * of what it finally designates, which may not exist (a dangling link).
 * *magic is set when a name on the way is in /proc or /dev/fd: a link
 * there designates an open descriptor, not a name.  NULL with errno.
 */
static char *
follow(const char *path, int *magic)
{
	char *cur = dup_str(path), *next;
	struct stat st;
	int hops = 0;

	*magic = 0;
	while (cur != NULL) {
		char target[4096];
		ssize_t n;
		const char *slash;
		size_t dlen;

		*magic |= magic_dir(cur);
		if (lstat(cur, &st) == -1 || !S_ISLNK(st.st_mode))
			return cur;     /* the end: a file, or nothing yet */
		if (++hops > MAX_LINKS) {
			rl_free(cur);
			errno = ELOOP;
			return NULL;
		}
		if ((n = readlink(cur, target, sizeof(target) - 1)) == -1) {
			int e = errno;

			rl_free(cur);
			errno = e;
			return NULL;
		}
		target[n] = '\0';
		/* a relative target is relative to the link's directory */
		slash = strrchr(cur, '/');
		dlen = target[0] == '/' || slash == NULL ? 0 :
		    (size_t)(slash - cur) + 1;
		if ((next = rl_malloc(dlen + (size_t)n + 1)) == NULL) {
			rl_free(cur);
			errno = ENOMEM;
			return NULL;
		}
		memcpy(next, cur, dlen);
		memcpy(next + dlen, target, (size_t)n + 1);
		rl_free(cur);
		cur = next;
	}
	errno = ENOMEM;
	return NULL;
}

/* The descriptor of 0, 1, 2 that is this very file, or -1. */
static int
std_fd(const struct stat *st)
{
	struct stat o;
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fstat(fd, &o) == 0 && o.st_dev == st->st_dev &&
		    o.st_ino == st->st_ino)
			return fd;
	return -1;
}

/* Opens what is written as it is: a device, a pipe, an open descriptor. */
static int
open_direct(rl_outfile *f, const char *path, const struct stat *st)
{
	int fd;

	/*
	 * One of our own standard descriptors (/dev/stdout, say): share its
	 * open file, so that what is written there stays in order with it.
	 */
	if (st != NULL && (fd = std_fd(st)) >= 0 && fd != 0 &&
	    (f->fd = dup(fd)) != -1)
		return 0;
	if ((f->fd = open(path, O_WRONLY | O_APPEND)) == -1 &&
	    (f->fd = open(path, O_WRONLY)) == -1)
		return -1;
	return 0;
}

rl_outfile *
rl_outfile_open(const char *path, rl_diag *d)
{
	rl_outfile *f;
	struct stat st;
	int e, magic, exists;

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
		if (fstat(f->fd, &st) == 0) {
			f->dev = st.st_dev;
			f->ino = st.st_ino;
			f->known = 1;
		}
		return f;
	}
	if ((f->dest = follow(path, &magic)) == NULL) {
		e = errno;
		goto fail;
	}
	exists = stat(f->dest, &st) == 0;
	if (exists) {
		f->dev = st.st_dev;
		f->ino = st.st_ino;
		f->known = 1;
	}
	if (magic || (exists && !S_ISREG(st.st_mode))) {
		/* A descriptor, a device, a pipe, a socket: write it as it is. */
		rl_free(f->dest);
		f->dest = NULL;
		if (open_direct(f, path, exists ? &st : NULL) == -1) {
			e = errno;
			goto fail;
		}
		f->own = 1;
		f->tty = isatty(f->fd);
		return f;
	}
	if ((f->fd = make_temp(f, f->dest)) == -1) {
		/*
		 * No room for a temporary file beside the target (a directory
		 * we may not write in) but the file itself is writable: write
		 * it in place, which is not atomic but loses nothing.
		 */
		e = errno;
		if (!exists || (e != EACCES && e != EPERM && e != EROFS) ||
		    (f->fd = open(f->dest, O_WRONLY | O_TRUNC)) == -1)
			goto fail;
		rl_free(f->dest);
		f->dest = NULL;
		f->own = 1;
		return f;
	}
	/*
	 * mkstemp makes 0600: give the file the mode of the one it replaces,
	 * or what a plain create would.
	 */
	{
		mode_t m = umask(0);

		umask(m);
		(void)fchmod(f->fd, exists ? st.st_mode & 07777 : 0666 & ~m);
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
rl_outfile_is(const rl_outfile *f, const char *path)
{
	struct stat st;

	if (strcmp(f->name, path) == 0)
		return 1;
	if (!f->known)
		return 0;
	if (strcmp(path, "-") == 0 ? fstat(STDOUT_FILENO, &st) : stat(path, &st))
		return 0;
	return st.st_dev == f->dev && st.st_ino == f->ino;
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
	if (rename(f->tmp, f->dest) == -1) {
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
	rl_free(f->dest);
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
