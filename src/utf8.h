/*
 * utf8.h: strict UTF-8, the one definition every reader of text uses
 * (JSON strings and names, CSV fields, the input decoder, the cutter of
 * CSV ranges, the mending of diagnostic text).
 *
 * Strict means what RFC 3629 allows and nothing more: no overlong forms,
 * no surrogates (U+D800..U+DFFF), nothing past U+10FFFF, and no bytes
 * 0xC0, 0xC1 or 0xF5..0xFF.  Whether a sequence is valid is decided by
 * its lead byte and the range of its second byte (the table below);
 * every later byte is a plain continuation byte.
 * Included by the readers and the tests; not installed.
 */
#ifndef RL_UTF8_H
#define RL_UTF8_H

#include <stddef.h>

/*
 * The lead byte c of a multi-byte sequence: the number of continuation
 * bytes that follow it (1 to 3), with the range [*lo, *hi] that the first
 * of them must fall in; 0 when c cannot begin a sequence (c < 0x80 is
 * ASCII, not a lead byte, and gives 0 too).
 */
static inline unsigned
rl_utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 1;
	if (c >= 0xE0 && c <= 0xEF) {
		if (c == 0xE0)
			*lo = 0xA0;     /* overlong below U+0800 */
		else if (c == 0xED)
			*hi = 0x9F;     /* surrogates */
		return 2;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (c == 0xF0)
			*lo = 0x90;     /* overlong below U+10000 */
		else if (c == 0xF4)
			*hi = 0x8F;     /* past U+10FFFF */
		return 3;
	}
	return 0;
}

/*
 * The sequence at s[0..n), n > 0: its length (1 for ASCII) when it is
 * valid; 0 when its bytes so far are a valid beginning but n ends it
 * early (more input may complete it); -1 when it is invalid.
 */
int rl_utf8_seq(const unsigned char *s, size_t n);

/*
 * The whole of s[0..n) as strict UTF-8: 0 when valid, else the offset of
 * the first byte of the first bad or cut-short sequence, plus one.  Runs
 * of ASCII are checked eight bytes at a time.
 */
size_t rl_utf8_check(const unsigned char *s, size_t n);

#endif /* RL_UTF8_H */
