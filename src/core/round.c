/*
 * Decimal rounding of published figures (METHODOLOGY M2.8): a value is reduced
 * to 15 significant decimal digits and rounded on those digits, so that
 * 91.845 becomes 91.85 although the double holds 91.84499999....
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "core/round.h"

#include "util/banned.h"

static const uint64_t pow10_u64[] = {
	1ULL,
	10ULL,
	100ULL,
	1000ULL,
	10000ULL,
	100000ULL,
	1000000ULL,
	10000000ULL,
	100000000ULL,
	1000000000ULL,
	10000000000ULL,
	100000000000ULL,
	1000000000000ULL,
	10000000000000ULL,
	100000000000000ULL,
	1000000000000000ULL,
	10000000000000000ULL,
	100000000000000000ULL,
	1000000000000000000ULL,
};

#define POW10_MAX ((int)(sizeof(pow10_u64) / sizeof(pow10_u64[0])) - 1)

static const char *const mode_names[CS_ROUND_MODE_COUNT_] = {
	[CS_ROUND_HALF_AWAY] = "half_away",
	[CS_ROUND_TRUNCATE] = "truncate",
};

/*
 * Splits |x| into 15 significant digits and a decimal exponent:
 * |x| ~= digits * 10^exp10 with digits < 10^15. The digits come from
 * snprintf's "%.14e", which glibc rounds correctly; the text is read without
 * assuming the locale's decimal point (any non-digit between the first digit
 * and the 'e' is skipped). Returns false if the text is not as expected.
 */
static bool decimal_digits(double ax, uint64_t *digits, int *exp10)
{
	char text[64];
	uint64_t m = 0;
	int ndigits = 0, e = 0, esign = 1;
	const char *p;

	if (snprintf(text, sizeof(text), "%.*e", CS_ROUND_SIGNIFICANT - 1, ax) <= 0)
		return false;
	for (p = text; *p && *p != 'e' && *p != 'E'; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (uint64_t)(*p - '0');
			ndigits++;
		}
	}
	if (ndigits != CS_ROUND_SIGNIFICANT || !*p)
		return false;
	p++;
	if (*p == '-' || *p == '+')
		esign = *p++ == '-' ? -1 : 1;
	for (; *p >= '0' && *p <= '9'; p++)
		if (e < 10000)
			e = e * 10 + (*p - '0');
	*digits = m;
	*exp10 = esign * e - (CS_ROUND_SIGNIFICANT - 1);
	return true;
}

static double round_decimal(double x, int decimals, bool truncate)
{
	uint64_t digits, q, r, p;
	int exp10, k;
	double ax, result;

	if (!isfinite(x))
		return x;
	if (decimals < 0)
		decimals = 0;
	if (decimals > CS_ROUND_DECIMALS_MAX)
		decimals = CS_ROUND_DECIMALS_MAX;
	ax = fabs(x);
	if (!decimal_digits(ax, &digits, &exp10))
		return x;
	/* ax = digits * 10^exp10; keeping `decimals` decimals divides the
	 * digits by 10^k. */
	k = -(exp10 + decimals);
	if (k <= 0)
		return x; /* no digit right of the kept decimals */
	if (k > POW10_MAX) {
		q = 0; /* digits < 10^15 <= 10^k / 2 */
	} else {
		p = pow10_u64[k];
		q = digits / p;
		r = digits % p;
		if (!truncate && r >= p - r)
			q++; /* the remainder is at least half: away from zero */
	}
	if (q == 0)
		return 0.0;
	/* q < 2^53 and 10^decimals are exact doubles, so the quotient is the
	 * double nearest to the decimal q * 10^-decimals. */
	result = (double)q / (double)pow10_u64[decimals];
	return x < 0 ? -result : result;
}

double cs_round_half_away(double x, int decimals)
{
	return round_decimal(x, decimals, false);
}

double cs_round_truncate(double x, int decimals)
{
	return round_decimal(x, decimals, true);
}

double cs_round_apply(const struct cs_rounding *r, double x)
{
	return round_decimal(x, r->decimals, r->mode == CS_ROUND_TRUNCATE);
}

struct cs_rounding cs_rounding_default(void)
{
	return (struct cs_rounding){CS_ROUND_HALF_AWAY, 2};
}

const char *cs_round_mode_name(enum cs_round_mode mode)
{
	if ((unsigned)mode >= CS_ROUND_MODE_COUNT_)
		return NULL;
	return mode_names[mode];
}

bool cs_round_mode_parse(struct cs_str s, enum cs_round_mode *out)
{
	for (int i = 0; i < CS_ROUND_MODE_COUNT_; i++) {
		if (cs_str_eq_nocase(s, mode_names[i])) {
			*out = (enum cs_round_mode)i;
			return true;
		}
	}
	return false;
}
