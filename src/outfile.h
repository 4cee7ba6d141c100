/*
 * outfile.h: output files written safely (reflint(1), Output).
 * Included by the batch processor and the command; not installed.
 *
 * A regular file, or a name that does not exist yet, is written to a
 * temporary name in the same directory and renamed over the final name by
 * rl_outfile_commit(), so that an interrupted run never leaves a
 * half-written file (and an earlier file of that name stays intact).  A
 * symbolic link is followed: the temporary file goes beside the link's
 * target and replaces the target, never the link.  "-" (stdout), devices,
 * pipes and names of open descriptors (/dev/stdout, /proc/self/fd/N, or a
 * link to one) are written directly, never renamed over.  When the target
 * is writable but its directory is not, the target is written in place.
 *
 * Ownership: rl_outfile_open() returns a handle that rl_outfile_close()
 * releases (it accepts NULL); closing without a commit removes the
 * temporary file.  Writes go through one buffer flushed in large writes.
 * The module never prints: failures are described in a caller's rl_diag.
 */
#ifndef RL_OUTFILE_H
#define RL_OUTFILE_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

typedef struct rl_outfile rl_outfile;

/* Opens path ("-" = stdout); NULL with d filled (io-error) on failure. */
rl_outfile *rl_outfile_open(const char *path, rl_diag *d) RL_WARN_UNUSED;
/* Wraps an open descriptor (stderr, say), written directly, not closed. */
rl_outfile *rl_outfile_fd(int fd, const char *name) RL_WARN_UNUSED;
/* The file's buffer: append to it, then call rl_outfile_flush. */
rl_buf     *rl_outfile_buf(rl_outfile *);
/*
 * Writes the buffer out once it holds at least min bytes (0 = always).
 * 0 = fine; -1 = write error (d filled); RL_OUTFILE_EPIPE = the reader went
 * away (a closed pipe): stop quietly; RL_OUTFILE_DEAD = the file failed
 * earlier and that error was reported then (d untouched).  After an error
 * the buffer is emptied and later writes are dropped.
 */
#define RL_OUTFILE_EPIPE (-2)
#define RL_OUTFILE_DEAD  (-3)
int         rl_outfile_flush(rl_outfile *, size_t min, rl_diag *d);
/* Flushes, fsyncs a temporary file and renames it into place; as flush. */
int         rl_outfile_commit(rl_outfile *, rl_diag *d);
/* Releases the handle; an uncommitted temporary file is removed. */
void        rl_outfile_close(rl_outfile *);
/* The name given to rl_outfile_open. */
const char *rl_outfile_name(const rl_outfile *);
/*
 * 1 when path names the file this output writes (the same name, or the
 * same file through links or as standard output for "-").
 */
int         rl_outfile_is(const rl_outfile *, const char *path);
/* Nonzero when the output is a terminal (for --color auto). */
int         rl_outfile_isatty(const rl_outfile *);

/*
 * Removes every temporary file still open (for a signal handler: only
 * async-signal-safe calls).
 */
void        rl_outfile_cleanup_all(void);

#endif /* RL_OUTFILE_H */
