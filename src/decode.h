/*
 * decode.h: the text encodings of a spreadsheet as saved (reflint(1),
 * Spreadsheets, Encodings): UTF-8, UTF-16 (little or big endian, Excel's
 * "Unicode Text") and Windows-1252 (Excel's "CSV (Comma delimited)" on a
 * Western Windows), converted chunk by chunk to UTF-8 for the CSV parser.
 * Included by the sources (source.c), the CSV reader (csvmap.c, for the
 * problem), the fuzzers and the tests; not installed.
 *
 * Ownership: rl_decoder_new / rl_decoder_free; the decoder holds at most a
 * few bytes of a character split between two chunks and the first bytes
 * of the input while it detects the encoding, whatever the input's size.
 * Output goes to the caller's rl_buf.
 *
 * Positions: the decoder counts the lines and the columns (in characters)
 * of the UTF-8 it writes, as the CSV parser does, so that the line and
 * column of a problem are those the parser and the spreadsheet show.
 */
#ifndef RL_DECODE_H
#define RL_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"

typedef enum rl_encoding {
	RL_ENC_AUTO = 0,      /* a byte-order mark, the NUL pattern of UTF-16,
	                         else UTF-8 (checked) */
	RL_ENC_UTF8,          /* --encoding utf-8 (checked; a BOM is skipped) */
	RL_ENC_UTF16,         /* --encoding utf-16: the BOM's byte order, else
	                         the NUL pattern's, else little endian */
	RL_ENC_WINDOWS_1252,  /* --encoding windows-1252 */
	RL_ENC_UTF16LE,       /* as detected */
	RL_ENC_UTF16BE,
	RL_ENC_NONE           /* no decoding layer: bytes go through as they are */
} rl_encoding;

/* "utf-8", "utf-16" or "windows-1252" (ASCII case ignored); -1 otherwise. */
int rl_encoding_lookup(const char *);
const char *rl_encoding_name(rl_encoding);

typedef struct rl_decoder rl_decoder;

/* NULL when memory runs out or the C library cannot convert (iconv_open). */
rl_decoder *rl_decoder_new(rl_encoding) RL_WARN_UNUSED;
void rl_decoder_free(rl_decoder *);

/*
 * Converts n bytes of input (eof: the input ends after them) and appends
 * the UTF-8 to out.  At the first byte that is not of the encoding, the
 * decoder records the problem (rl_decoder_error), writes the rest of that
 * line with U+FFFD for each bad sequence, and then drops all further
 * input: what follows a wrong guess of the encoding is not text to judge.
 * 0, or -1 when memory runs out.
 */
int rl_decoder_feed(rl_decoder *, const char *in, size_t n, int eof, rl_buf *out);

/*
 * The problem: csv-encoding (default severity) with the line and column of
 * the bad byte in the decoded text and a message naming the byte, the
 * likely encoding and the fix; NULL while the input is clean.  The message
 * does not name a file or a cell: the caller adds them.
 */
const rl_diag *rl_decoder_error(const rl_decoder *);

/* The encoding in use: RL_ENC_AUTO while still detecting. */
rl_encoding rl_decoder_encoding(const rl_decoder *);

/*
 * The first bytes of an input look like UTF-16 (a BOM, or the NUL pattern
 * of ASCII text): 1 little endian, 2 big endian, 0 no.
 */
int rl_utf16_sniff(const char *buf, size_t len);

/*
 * The encoding in use as iconv(3) names it ("UTF-16LE", "UTF-16BE",
 * "WINDOWS-1252"), or NULL for UTF-8 (and while still detecting).
 */
const char *rl_decoder_iconv_name(const rl_decoder *);

/*
 * The line the first byte fed is on (default 1), for a decoder that starts
 * in a range of a file, so that its positions are the file's.
 */
void rl_decoder_set_line(rl_decoder *, unsigned long line);

/* 1 once a problem was met and the rest of the input is dropped. */
int rl_decoder_done(const rl_decoder *);

#endif /* RL_DECODE_H */
