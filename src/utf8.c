/* utf8.c: strict UTF-8 (utf8.h). */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

int
rl_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo, hi;
	unsigned need, k;

	if (s[0] < 0x80)
		return 1;
	if ((need = rl_utf8_lead(s[0], &lo, &hi)) == 0)
		return -1;
	for (k = 1; k <= need; k++) {
		if (k >= n)
			return 0;
		if (s[k] < lo || s[k] > hi)
			return -1;
		lo = 0x80;
		hi = 0xBF;
	}
	return (int)need + 1;
}

size_t
rl_utf8_check(const unsigned char *s, size_t n)
{
	const uint64_t high = UINT64_C(0x8080808080808080);
	size_t i = 0;
	uint64_t w;
	int k;

	while (i < n) {
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & high) == 0) {
				i += 8;
				continue;
			}
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = rl_utf8_seq(s + i, n - i)) <= 0)
			return i + 1;
		i += (size_t)k;
	}
	return 0;
}
