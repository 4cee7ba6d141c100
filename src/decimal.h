/*
 * decimal.h: exact comparison and arithmetic on decimal numbers written as
 * JSON number lexemes (or numeric strings that follow that grammar).
 * Included by json.c, the policies and the tests; not installed.
 *
 * Nothing here goes through a double: a deal value is never rounded across
 * a threshold.
 */
#ifndef RL_DECIMAL_H
#define RL_DECIMAL_H

#include <stddef.h>

/* 1 when (s, len) follows the JSON number grammar exactly. */
int rl_decimal_valid(const char *s, size_t len);
/*
 * Compares two valid lexemes by value: -1, 0 or 1.  -0 equals 0; exponents
 * beyond +-10^15 saturate (such numbers compare by sign and magnitude class).
 */
int rl_decimal_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif /* RL_DECIMAL_H */
