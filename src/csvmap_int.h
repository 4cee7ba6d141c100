/*
 * csvmap_int.h: the state of the spreadsheet reader (csvmap.h) shared by
 * its files: csvmap.c (rows and conversions), csvmap_header.c (the header:
 * binding, near misses, the ignored-columns note, format detection),
 * csvmap_date.c (date cells and the first pass over them) and
 * csvmap_reg.c (the profiles: the one a header chooses, rows that are one
 * "add" built member by member).  Included by those four files only.
 *
 * State of a file and state of a reader: what the header row binds (bind,
 * names, unk) and what the first pass finds (dates, when frozen is set) is
 * the file's, computed while the header is read and read-only afterwards,
 * so that readers of later byte ranges (rl_csv_reader_follow, which copies
 * it) may run on other threads.  Only a reader of the whole input that had
 * no first pass (a pipe) learns its dates as it goes.
 */
#ifndef RL_CSVMAP_INT_H
#define RL_CSVMAP_INT_H

#include <stdarg.h>

#include "buf.h"
#include "csvmap.h"
#include "decode.h"
#include "rules_int.h"

/*
 * What a date column holds, for csv-date-ambiguous: a date that reads only
 * day first (DD/MM/YYYY), found by the first pass over a file or by the
 * rows read so far; and, until one is known, the ambiguous dates met.
 */
struct datecol {
	int dmy;                    /* a DD/MM-only date is in the column */
	unsigned long dmy_row;      /* its row */
	char dmy_text[12];          /* and its text */
	unsigned long nearlier;     /* ambiguous dates before it (no first pass) */
	unsigned long earlier[3];   /* the rows of the first of them */
};

/* A header that is nearly the name of a mapped column (csv-column-unknown). */
struct unknown {
	size_t field;
	long col;
	unsigned long line, column; /* of the header cell */
};

struct map {
	const rl_rules *r;
	const struct rl_columns *cols;  /* the file's profile (the rules'):
	                                   the default until the header */
	rl_arena *a;
	const rl_csv_callbacks *cb;
	void *ctx;
	const rl_csv_opts *mo;      /* the parser's options */
	/* the file's (see above) */
	long *bind;                 /* column -> field index, -1 = absent */
	rl_buf names;               /* the header's names, each NUL-terminated */
	size_t *name_off;
	size_t nnames;
	struct unknown *unk;
	size_t nunk;
	struct datecol *dates;      /* per column of the rules */
	int frozen;                 /* dates are the first pass's, or a follower's */
	char order;                 /* dates: 'm' (MM/DD) or 'd' (DD/MM) */
	int warn_dates;             /* the default order: csv-date-ambiguous */
	/* the reader's */
	rl_diag *conv;              /* one per column and per unknown at most */
	size_t nconv;
	int header_seen;
	int fatal;
	int nomem;
	rl_diag err;
	rl_diag note;
	rl_buf notetext;            /* the note's whole text */
	const rl_decoder *dec;      /* the input's decoder, or NULL */
	rl_csv_reread_fn reread;    /* the input again, for the first pass */
	void *reread_ctx;
	int enc_stop;               /* the row of a bad encoding went out */
	rl_diag encd;
};

void rl_csvmap_trim(const char **s, size_t *len);
int  rl_csvmap_snip_len(const char *s, size_t len);
void rl_csvmap_diag(rl_diag *d, const rl_rules *r, rl_code code,
		const char *source, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
/* The column of columns.json a header name means, or -1. */
long rl_csvmap_find_column(const struct rl_columns *, const char *s,
		size_t len);
/* A conversion problem of a cell, in m->conv. */
rl_diag *rl_csvmap_cell_diag(struct map *, const struct rl_column *,
		const rl_csv_field *, rl_code);

rl_value *rl_csvmap_conv_number(struct map *, const struct rl_column *,
		const rl_csv_field *, const char *s, size_t len);

/* csvmap_reg.c */
/* The most columns a profile has, for the tables of a file. */
size_t rl_csvmap_max_columns(const rl_rules *);
/* A column of any profile that the header name means, or -1. */
long rl_csvmap_find_any(const rl_rules *, const char *s, size_t len);
/*
 * The record of a clean row of a profile with "add", as build() for the
 * default; mem gets the profile's member columns (*nmem of them).
 */
rl_value *rl_csvmap_build_add(struct map *, const rl_csv_row *,
		rl_diag *shape, int *bad_shape, unsigned *ops, size_t *nops,
		rl_csv_member *mem, size_t *nmem);

/* csvmap_header.c */
int  rl_csvmap_header(struct map *, const rl_csv_row *);
void rl_csvmap_unknown_diags(struct map *, const rl_csv_row *);
const char *rl_csvmap_name_of(const struct map *, size_t field);
int  rl_csvmap_copy_header(struct map *, const struct map *h);

/* csvmap_date.c */
rl_value *rl_csvmap_conv_date(struct map *, const struct rl_column *,
		const rl_csv_field *, const char *s, size_t len,
		unsigned long rowno);
/* The first pass over the dates, when the header is bound. */
void rl_csvmap_prescan(struct map *, const rl_csv_row *header);

#endif /* RL_CSVMAP_INT_H */
