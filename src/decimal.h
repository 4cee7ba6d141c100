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
/*
 * 1 when the value of a valid lexeme is exactly a .NET System.Decimal: an
 * integer of at most 96 bits (79228162514264337593543950335) scaled by
 * 10^-s, 0 <= s <= 28; 0 when .NET would round it or refuse it.
 */
int rl_decimal_dotnet_exact(const char *s, size_t len);

#endif /* RL_DECIMAL_H */
