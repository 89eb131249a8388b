/*
 * Rounding of published figures (METHODOLOGY M2.8): round half away from zero
 * or truncate to a number of decimals, done on the decimal value a number
 * stands for rather than on its binary approximation.
 */
#ifndef CHISO_CORE_ROUND_H
#define CHISO_CORE_ROUND_H

#include <stdbool.h>

#include "util/str.h"

/* Most decimals a rounding may keep; 2 is what agencies publish (M2.8). */
#define CS_ROUND_DECIMALS_MAX 9

/* Significant decimal digits a value is reduced to before rounding. */
#define CS_ROUND_SIGNIFICANT 15

enum cs_round_mode {
	CS_ROUND_HALF_AWAY, /* 91.845 -> 91.85, -0.125 -> -0.13 (the default) */
	CS_ROUND_TRUNCATE,  /* toward zero: 91.849 -> 91.84, -91.849 -> -91.84 */
	CS_ROUND_MODE_COUNT_
};

/* How published figures are rounded: part of a methodology (M2.8). */
struct cs_rounding {
	enum cs_round_mode mode;
	int decimals; /* 0..CS_ROUND_DECIMALS_MAX */
};

/*
 * x rounded half away from zero to `decimals` decimals (clamped to
 * 0..CS_ROUND_DECIMALS_MAX).
 *
 * A double seldom holds a decimal exactly: 91.845 is stored as
 * 91.844999999999998863..., and 100 * 45.9225 / 50 may come out one ulp either
 * side of 91.845. Rounding the binary value would print 91.84 where a person
 * with a calculator gets 91.85. So x is first reduced to its
 * CS_ROUND_SIGNIFICANT (15) significant decimal digits, which every double
 * carries exactly (DBL_DIG is 15) and which absorbs the representation and
 * accumulated error of a few ulps, and the rounding is then done on those
 * digits in integer arithmetic. The result is the double nearest to the
 * rounded decimal. Values whose 15th significant digit lies left of the kept
 * decimals are returned unchanged, as are NaN and infinities. A zero result
 * is +0 (never "-0.00").
 */
double cs_round_half_away(double x, int decimals);

/*
 * x truncated toward zero to `decimals` decimals, on the same 15-digit
 * decimal value as cs_round_half_away: 91.84 (stored as 91.8399999...) stays
 * 91.84, 91.849 becomes 91.84.
 */
double cs_round_truncate(double x, int decimals);

/* x rounded as r says. */
double cs_round_apply(const struct cs_rounding *r, double x);

/* The default of M2.8: half away from zero, 2 decimals. */
struct cs_rounding cs_rounding_default(void);

/* "half_away" or "truncate"; NULL for an out-of-range mode. */
const char *cs_round_mode_name(enum cs_round_mode mode);

/* Parses a mode name (ASCII case-insensitive); false when unknown. */
bool cs_round_mode_parse(struct cs_str s, enum cs_round_mode *out);

#endif
