/*
 * decode.c: UTF-16 and Windows-1252 to UTF-8, chunk by chunk (decode.h).
 *
 * The conversions are the C library's iconv(3): glibc knows both encodings
 * and rejects what is not in them (an unpaired surrogate, the five bytes
 * Windows-1252 leaves undefined), which is what we want to report.  UTF-8
 * input is not converted but checked here, strictly (no overlong forms,
 * surrogates or code points past U+10FFFF), as the CSV parser checks its
 * fields, since a byte loop is several times faster than iconv on text
 * that is nearly all ASCII.
 *
 * Detection (RL_ENC_AUTO) looks at the first HEAD bytes only, so that the
 * answer does not depend on how the input is cut into chunks: a byte-order
 * mark, else the NUL pattern of UTF-16 text that is mostly ASCII (one byte
 * of each pair zero, the same one), else UTF-8.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "utf8.h"

#define HEAD 64

struct rl_decoder {
	rl_encoding want;            /* as asked */
	rl_encoding enc;             /* in use; RL_ENC_AUTO while detecting */
	iconv_t cd;                  /* (iconv_t)-1 for UTF-8 */
	unsigned char head[HEAD];    /* the first bytes, while detecting */
	size_t nhead;
	rl_buf tmp;                  /* a split character and the next chunk */
	unsigned char part[4];       /* the start of a split character */
	size_t npart;
	unsigned long line, col;     /* of the next character written */
	int bad;                     /* a problem: writing out its line */
	int done;                    /* dropping the rest of the input */
	rl_diag err;
};

int
rl_encoding_lookup(const char *s)
{
	if (strcasecmp(s, "utf-8") == 0 || strcasecmp(s, "utf8") == 0)
		return RL_ENC_UTF8;
	if (strcasecmp(s, "utf-16") == 0 || strcasecmp(s, "utf16") == 0)
		return RL_ENC_UTF16;
	if (strcasecmp(s, "windows-1252") == 0 || strcasecmp(s, "cp1252") == 0)
		return RL_ENC_WINDOWS_1252;
	return -1;
}

const char *
rl_encoding_name(rl_encoding e)
{
	switch (e) {
	case RL_ENC_UTF8: return "utf-8";
	case RL_ENC_UTF16: return "utf-16";
	case RL_ENC_UTF16LE: return "utf-16le";
	case RL_ENC_UTF16BE: return "utf-16be";
	case RL_ENC_WINDOWS_1252: return "windows-1252";
	case RL_ENC_NONE: return "none";
	default: return "auto";
	}
}

int
rl_utf16_sniff(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i, pairs, lo = 0, hi = 0;

	if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
		return 1;
	if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
		return 2;
	if (len > HEAD)
		len = HEAD;
	pairs = len / 2;
	for (i = 0; i < pairs; i++) {
		if (s[2 * i] != 0 && s[2 * i + 1] == 0)
			lo++;
		else if (s[2 * i] == 0 && s[2 * i + 1] != 0)
			hi++;
	}
	/* three pairs in four: room for a few letters past ASCII */
	if (pairs >= 2 && lo * 4 >= pairs * 3)
		return 1;
	if (pairs >= 2 && hi * 4 >= pairs * 3)
		return 2;
	return 0;
}

rl_decoder *
rl_decoder_new(rl_encoding e)
{
	rl_decoder *d = rl_malloc(sizeof(*d));

	if (d == NULL)
		return NULL;
	memset(d, 0, sizeof(*d));
	d->want = e;
	d->cd = (iconv_t)-1;
	d->line = d->col = 1;
	if (e == RL_ENC_NONE)
		d->enc = e;
	else if (e == RL_ENC_WINDOWS_1252 || e == RL_ENC_UTF16LE ||
	    e == RL_ENC_UTF16BE) {
		d->enc = e;
		d->cd = iconv_open("UTF-8", e == RL_ENC_WINDOWS_1252 ?
		    "WINDOWS-1252" : e == RL_ENC_UTF16LE ? "UTF-16LE" : "UTF-16BE");
		if (d->cd == (iconv_t)-1) {
			rl_free(d);
			return NULL;
		}
	}
	return d;
}

void
rl_decoder_free(rl_decoder *d)
{
	if (d == NULL)
		return;
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	rl_buf_free(&d->tmp);
	rl_free(d);
}

const rl_diag *
rl_decoder_error(const rl_decoder *d)
{
	return d->err.code != RL_OK ? &d->err : NULL;
}

rl_encoding
rl_decoder_encoding(const rl_decoder *d)
{
	return d->enc;
}

/*
 * Counts the positions of the bytes just written (from out->len = from
 * on); after a problem, cuts them after the first line end and stops.
 */
static void
written(rl_decoder *d, rl_buf *out, size_t from)
{
	const char *p = out->data + from, *end = out->data + out->len, *nl;
	size_t i;

	if (!d->bad) {
		/* the lines by memchr, the column from the last line end on */
		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			d->line++;
			d->col = 1;
			p = nl + 1;
		}
		for (; p < end; p++)
			d->col += ((unsigned char)*p & 0xC0) != 0x80;
		return;
	}
	for (i = from; i < out->len; i++) {
		unsigned char c = (unsigned char)out->data[i];

		if (c == '\n') {
			d->line++;
			d->col = 1;
			if (d->bad) {
				out->len = i + 1;
				d->done = 1;
				return;
			}
		} else if ((c & 0xC0) != 0x80)
			d->col++;
	}
}

static int
emit(rl_decoder *d, rl_buf *out, const void *s, size_t n)
{
	size_t from = out->len;

	if (rl_buf_append(out, s, n) == -1)
		return -1;
	written(d, out, from);
	return 0;
}

static const char fffd[] = "\xEF\xBF\xBD";

/* The first bad byte: the problem, then U+FFFD in its place. */
static int
problem(rl_decoder *d, rl_buf *out, const unsigned char *s, size_t n)
{
	char bytes[32];
	size_t i, k = 0;

	if (!d->bad) {
		d->bad = 1;
		for (i = 0; i < n && i < 4; i++)
			k += (size_t)snprintf(bytes + k, sizeof(bytes) - k, "%s0x%02X",
			    i ? " " : "", s[i]);
		if (n == 0)
			snprintf(bytes, sizeof(bytes), "%s", "(none)");
		rl_diag_set(&d->err, RL_CSV_ENCODING, "%s", "");
		d->err.line = d->line;
		d->err.column = d->col;
		d->err.op = -1;
		switch (d->enc) {
		case RL_ENC_WINDOWS_1252:
			snprintf(d->err.message, sizeof(d->err.message),
			    "byte %s is not a Windows-1252 character: save the file as \"CSV UTF-8 (Comma delimited)\" (the rest of the file is not read)",
			    bytes);
			break;
		case RL_ENC_UTF16LE:
		case RL_ENC_UTF16BE:
			snprintf(d->err.message, sizeof(d->err.message),
			    n < 2 ? "the file ends inside a UTF-16 character (an odd number of bytes): save it again as \"Unicode Text\" or \"CSV UTF-8 (Comma delimited)\"" :
			    "bytes %s are not UTF-16 (an unpaired surrogate): save the file again as \"Unicode Text\" or \"CSV UTF-8 (Comma delimited)\" (the rest of the file is not read)",
			    bytes);
			break;
		default:
			snprintf(d->err.message, sizeof(d->err.message),
			    "byte %s is not UTF-8: the file looks like Windows-1252 (Excel's \"CSV (Comma delimited)\"); save it as \"CSV UTF-8 (Comma delimited)\", or give --encoding windows-1252 (the rest of the file is not read)",
			    bytes);
			break;
		}
	}
	return emit(d, out, fffd, 3);
}

/*
 * The length of the UTF-8 sequence at s[0..n): > 0 when valid, 0 when it
 * may continue past n (more input to come), -1 when invalid.
 */
static int
utf8_len(const unsigned char *s, size_t n, int more)
{
	int k = rl_utf8_seq(s, n);

	return k == 0 && !more ? -1 : k;
}

/* Checked UTF-8: runs of valid bytes are written as they are. */
static int
utf8(rl_decoder *d, const unsigned char *s, size_t n, int eof, rl_buf *out)
{
	size_t i = 0, run = 0;

	while (i < n && !d->done) {
		int k;

		if (s[i] < 0x80) {
			uint64_t w;

			/* ASCII, eight bytes at a time */
			i++;
			while (n - i >= 8 && (memcpy(&w, s + i, 8),
			    (w & UINT64_C(0x8080808080808080)) == 0))
				i += 8;
			continue;
		}
		if ((k = utf8_len(s + i, n - i, !eof)) > 0) {
			i += (size_t)k;
			continue;
		}
		if (emit(d, out, s + run, i - run) == -1)
			return -1;
		run = i;
		if (d->done)
			return 0;
		if (k == 0) {               /* split: the rest comes next time */
			d->npart = n - i;
			memcpy(d->part, s + i, d->npart);
			return 0;
		}
		if (problem(d, out, s + i, 1) == -1)
			return -1;
		run = ++i;
	}
	if (!d->done && emit(d, out, s + run, i - run) == -1)
		return -1;
	return 0;
}

/* Through iconv; unit: the bytes one bad character is skipped by. */
static int
convert(rl_decoder *d, const unsigned char *s, size_t n, int eof, rl_buf *out)
{
	size_t unit = d->enc == RL_ENC_WINDOWS_1252 ? 1 : 2;
	char *in = (char *)(uintptr_t)s;
	size_t left = n;

	while (left > 0 && !d->done) {
		size_t from = out->len, room;
		char *o;
		size_t r;

		/* at most 3 bytes of UTF-8 per byte of input */
		if (rl_buf_reserve(out, 3 * left + 4) == -1)
			return -1;
		o = out->data + out->len;
		room = out->cap - out->len - 1;
		r = iconv(d->cd, &in, &left, &o, &room);
		out->len = (size_t)(o - out->data);
		written(d, out, from);
		if (d->done || r != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !eof) {      /* split character */
			d->npart = left;
			memcpy(d->part, in, left);
			return 0;
		}
		/* EILSEQ, or EINVAL at the end: not of the encoding */
		if (problem(d, out, (const unsigned char *)in,
		    left < unit ? left : unit) == -1)
			return -1;
		if (left < unit)
			break;
		in += unit;
		left -= unit;
	}
	return 0;
}

static int
decide(rl_decoder *d)
{
	int u = rl_utf16_sniff((const char *)d->head, d->nhead);

	if (d->want == RL_ENC_UTF16)
		d->enc = u == 2 ? RL_ENC_UTF16BE : RL_ENC_UTF16LE;
	else if (d->want == RL_ENC_UTF8)
		d->enc = RL_ENC_UTF8;
	else
		d->enc = u == 1 ? RL_ENC_UTF16LE : u == 2 ? RL_ENC_UTF16BE :
		    RL_ENC_UTF8;
	if (d->enc == RL_ENC_UTF8)
		return 0;
	d->cd = iconv_open("UTF-8", d->enc == RL_ENC_UTF16LE ? "UTF-16LE" :
	    "UTF-16BE");
	return d->cd == (iconv_t)-1 ? -1 : 0;
}

static int
process(rl_decoder *d, const unsigned char *s, size_t n, int eof, rl_buf *out)
{
	if (d->npart > 0) {
		/* the split character and this chunk, in one piece */
		d->tmp.len = 0;
		if (rl_buf_append(&d->tmp, d->part, d->npart) == -1 ||
		    rl_buf_append(&d->tmp, s, n) == -1)
			return -1;
		d->npart = 0;
		s = (const unsigned char *)d->tmp.data;
		n = d->tmp.len;
	}
	if (n == 0)
		return 0;
	if (d->enc == RL_ENC_UTF8)
		return utf8(d, s, n, eof, out);
	return convert(d, s, n, eof, out);
}

int
rl_decoder_feed(rl_decoder *d, const char *in, size_t n, int eof, rl_buf *out)
{
	const unsigned char *s = (const unsigned char *)in;

	if (d->done)
		return 0;
	if (d->enc == RL_ENC_NONE)
		return rl_buf_append(out, in, n);
	if (d->enc == RL_ENC_AUTO) {
		size_t k = HEAD - d->nhead < n ? HEAD - d->nhead : n;

		memcpy(d->head + d->nhead, s, k);
		d->nhead += k;
		s += k;
		n -= k;
		if (d->nhead < HEAD && !eof)
			return 0;
		if (decide(d) == -1) {
			errno = ENOMEM;
			return -1;
		}
		{
			/*
			 * The head first, without a UTF-16 byte-order mark; a
			 * UTF-8 one goes to the parser, which skips it, and
			 * takes no column.
			 */
			size_t skip = 0;

			if (d->enc != RL_ENC_UTF8 && d->nhead >= 2 &&
			    ((d->head[0] == 0xFF && d->head[1] == 0xFE) ||
			    (d->head[0] == 0xFE && d->head[1] == 0xFF)))
				skip = 2;
			else if (d->enc == RL_ENC_UTF8 && d->nhead >= 3 &&
			    memcmp(d->head, "\xEF\xBB\xBF", 3) == 0) {
				if (rl_buf_append(out, d->head, 3) == -1)
					return -1;
				skip = 3;
			}
			if (process(d, d->head + skip, d->nhead - skip,
			    eof && n == 0, out) == -1)
				return -1;
		}
	}
	if (d->done)
		return 0;
	/* with eof, a split character left from before is reported there */
	return process(d, s, n, eof, out);
}

const char *
rl_decoder_iconv_name(const rl_decoder *d)
{
	switch (d->enc) {
	case RL_ENC_UTF16LE: return "UTF-16LE";
	case RL_ENC_UTF16BE: return "UTF-16BE";
	case RL_ENC_WINDOWS_1252: return "WINDOWS-1252";
	default: return NULL;
	}
}

void
rl_decoder_set_line(rl_decoder *d, unsigned long line)
{
	d->line = line > 0 ? line : 1;
}

int
rl_decoder_done(const rl_decoder *d)
{
	return d->done;
}
