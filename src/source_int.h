/*
 * source_int.h: the source handle and the row of the format table that a
 * format implements (source.h).  Included by source.c and the format files
 * (source_json.c, source_csv.c) only.
 *
 * Ownership: struct rl_source owns its queue, its queue arena and its
 * format's parser (fmt->close frees it).  A format's callbacks queue each
 * item with rl_source_push(), built in the arena rl_source_build_arena()
 * gives; source.c moves it into the caller's arena.
 */
#ifndef RL_SOURCE_INT_H
#define RL_SOURCE_INT_H

#include "decode.h"
#include "source.h"

struct rl_source_format {
	const char *name;
	/* 1: this format; 0: not; -1: more bytes are needed (eof 0) */
	int  (*sniff)(const rl_source *, const char *buf, size_t len, int eof);
	int  (*open)(rl_source *);          /* -1 with s->err */
	/* 0: go on; nonzero: the parser stopped (close says why) */
	int  (*feed)(rl_source *, const char *, size_t n, size_t *taken);
	int  (*end)(rl_source *);
	int  (*idle)(const rl_source *);    /* no item partly built */
	void (*set_arena)(rl_source *, rl_arena *);
	int  (*close)(rl_source *);         /* RL_READ_*, with s->err */
	/* rl_source_position, with the queue empty; NULL: cannot tell */
	int  (*position)(const rl_source *, rl_source_pos *);
};

extern const struct rl_source_format rl_source_json, rl_source_csv;

struct qent {
	rl_source_item it;
	int in_q;                   /* built in the queue's arena */
};

struct rl_source {
	const char *name;
	rl_source_opts o;           /* a copy: the parsers borrow it */
	const struct rl_source_format *fmt;
	void *parser;
	int fd, own_fd;
	const char *mem;            /* memory source, or NULL */
	size_t memlen;
	size_t memall;              /* its bytes to the end, past a length */
	/*
	 * A CSV input not fed as it is (rl_csv_opts.encoding): the decoder
	 * in front of the parser, and the window it fills; mpos: the bytes
	 * of memory decoded.  rr: the first pass over the input again
	 * (rl_source_reread).
	 */
	rl_decoder *dec;
	rl_buf dtext;
	size_t mpos;
	struct {
		rl_decoder *dec;
		rl_buf in, out;
		uint64_t pos;
		int eof;
	} rr;
	/* the bytes read and not yet fed: win[wpos, wlen) */
	const char *win;
	size_t wpos, wlen;
	char *rbuf;
	size_t bufsize;
	rl_buf peek;                /* bytes read for detection, fed first */
	int peek_fed;
	int peek_eof;               /* detection read to the end */
	uint64_t left;              /* bytes of the range still to read */
	uint64_t fed;
	int eof, done, rc, nomem;
	rl_diag err;
	/* items queued, and where the parser builds now */
	struct qent *q;
	size_t qhead, qn, qcap;
	rl_arena *qa;               /* items after the first of a pull */
	rl_arena *build;
};

/* For the format files: queue an item (its memory in rl_source_build_arena). */
int rl_source_push(rl_source *, const rl_source_item *);
rl_arena *rl_source_build_arena(const rl_source *);
/* next_arena for the parsers: after an item, the queue's arena. */
rl_arena *rl_source_next_arena(void *ctx, int *same);
/*
 * The input again from its first byte (offset), decoded as it is fed,
 * for csvmap.h's rl_csv_reread_fn (ctx: the source); can_reread: 1 when
 * it can be read again (bytes in memory, a regular file).
 */
int rl_source_reread(void *ctx, const char **p, size_t *n);
int rl_source_can_reread(const rl_source *);

#endif /* RL_SOURCE_INT_H */
