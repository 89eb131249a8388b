/* Unit tests for decimal rounding (core/round.h, METHODOLOGY M2.8): half away from zero and truncation on values a double cannot hold exactly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/round.h"

#include "util/banned.h"

/* Rounded results must be the double nearest to the decimal, exactly. */
#define assert_double_exact(a, b) assert_true((a) == (b))

static void test_half_away_tricky(void **state)
{
	(void)state;
	/* Each of these is stored just below the half: binary rounding gives the lower value. */
	assert_double_exact(cs_round_half_away(1.005, 2), 1.01);
	assert_double_exact(cs_round_half_away(2.675, 2), 2.68);
	assert_double_exact(cs_round_half_away(91.845, 2), 91.85);
	assert_double_exact(cs_round_half_away(1.0049999, 2), 1.0);
	assert_double_exact(cs_round_half_away(0.125, 2), 0.13);
	assert_double_exact(cs_round_half_away(0.375, 2), 0.38);
	assert_double_exact(cs_round_half_away(1.115, 2), 1.12);
	assert_double_exact(cs_round_half_away(8.345, 2), 8.35);
	assert_double_exact(cs_round_half_away(99.995, 2), 100.0);
	assert_double_exact(cs_round_half_away(89.995, 2), 90.0);
	assert_double_exact(cs_round_half_away(89.9949, 2), 89.99);
}

static void test_half_away_computed(void **state)
{
	(void)state;
	/* Values as the index computation produces them, error included. */
	assert_double_exact(cs_round_half_away(100 * 45.9225 / 50, 2), 91.85);
	assert_double_exact(cs_round_half_away(0.1 + 0.2, 2), 0.3);
	assert_double_exact(cs_round_half_away(100 * (0.1 + 0.2 + 0.345) / 1, 2), 64.5);
	assert_double_exact(cs_round_half_away(91.84499999999999, 2), 91.85);
	/* Far from a half, ordinary rounding. */
	assert_double_exact(cs_round_half_away(91.8449, 2), 91.84);
	assert_double_exact(cs_round_half_away(91.8451, 2), 91.85);
}

static void test_half_away_signs_and_zero(void **state)
{
	(void)state;
	assert_double_exact(cs_round_half_away(-0.125, 2), -0.13);
	assert_double_exact(cs_round_half_away(-91.845, 2), -91.85);
	assert_double_exact(cs_round_half_away(0.5, 0), 1.0);
	assert_double_exact(cs_round_half_away(-0.5, 0), -1.0);
	assert_double_exact(cs_round_half_away(2.5, 0), 3.0);
	assert_double_exact(cs_round_half_away(1.5, 0), 2.0);
	assert_double_exact(cs_round_half_away(0.0, 2), 0.0);
	/* A negative value rounding to zero gives +0, never "-0.00". */
	assert_false(signbit(cs_round_half_away(-0.001, 2)));
	assert_false(signbit(cs_round_half_away(-0.0, 2)));
	assert_double_exact(cs_round_half_away(0.004999, 2), 0.0);
	assert_double_exact(cs_round_half_away(0.005, 2), 0.01);
	assert_double_exact(cs_round_half_away(1e-20, 2), 0.0);
}

static void test_half_away_decimals(void **state)
{
	(void)state;
	assert_double_exact(cs_round_half_away(91.845, 0), 92.0);
	assert_double_exact(cs_round_half_away(91.845, 1), 91.8);
	assert_double_exact(cs_round_half_away(91.85, 1), 91.9);
	assert_double_exact(cs_round_half_away(0.1234565, 6), 0.123457);
	assert_double_exact(cs_round_half_away(1.23456789, 9), 1.23456789);
	/* Out-of-range decimals are clamped. */
	assert_double_exact(cs_round_half_away(91.845, -3), 92.0);
	assert_double_exact(cs_round_half_away(0.1234567891, 20), 0.123456789);
	/* Already on the grid. */
	assert_double_exact(cs_round_half_away(100.0, 2), 100.0);
	assert_double_exact(cs_round_half_away(91.84, 2), 91.84);
}

static void test_large_and_special(void **state)
{
	(void)state;
	/* No digit right of the kept decimals: unchanged. */
	assert_double_exact(cs_round_half_away(1e20, 2), 1e20);
	assert_double_exact(cs_round_half_away(123456789012345.0, 2), 123456789012345.0);
	assert_true(isnan(cs_round_half_away(NAN, 2)));
	assert_true(isinf(cs_round_half_away(INFINITY, 2)));
	assert_true(isinf(cs_round_truncate(-INFINITY, 2)));
	assert_double_exact(cs_round_half_away(1234567.125, 2), 1234567.13);
}

static void test_truncate(void **state)
{
	(void)state;
	assert_double_exact(cs_round_truncate(91.849, 2), 91.84);
	/* 91.84 is stored as 91.8399999...: it must stay 91.84. */
	assert_double_exact(cs_round_truncate(91.84, 2), 91.84);
	assert_double_exact(cs_round_truncate(0.29, 2), 0.29);
	assert_double_exact(cs_round_truncate(1.005, 2), 1.0);
	assert_double_exact(cs_round_truncate(91.845, 2), 91.84);
	assert_double_exact(cs_round_truncate(99.999, 2), 99.99);
	assert_double_exact(cs_round_truncate(0.1 + 0.2, 2), 0.3);
	assert_double_exact(cs_round_truncate(100 * 0.9184, 2), 91.84);
	assert_double_exact(cs_round_truncate(-91.849, 2), -91.84);
	assert_double_exact(cs_round_truncate(0.009, 2), 0.0);
	assert_false(signbit(cs_round_truncate(-0.009, 2)));
	assert_double_exact(cs_round_truncate(7.9, 0), 7.0);
	assert_double_exact(cs_round_truncate(90.0, 2), 90.0);
}

static void test_apply_and_names(void **state)
{
	struct cs_rounding r = cs_rounding_default();
	enum cs_round_mode m;

	(void)state;
	assert_int_equal(r.mode, CS_ROUND_HALF_AWAY);
	assert_int_equal(r.decimals, 2);
	assert_double_exact(cs_round_apply(&r, 91.845), 91.85);
	r.mode = CS_ROUND_TRUNCATE;
	assert_double_exact(cs_round_apply(&r, 91.845), 91.84);
	r.decimals = 1;
	assert_double_exact(cs_round_apply(&r, 91.845), 91.8);

	assert_string_equal(cs_round_mode_name(CS_ROUND_HALF_AWAY), "half_away");
	assert_string_equal(cs_round_mode_name(CS_ROUND_TRUNCATE), "truncate");
	assert_null(cs_round_mode_name(CS_ROUND_MODE_COUNT_));
	assert_true(cs_round_mode_parse(CS_STR("TRUNCATE"), &m));
	assert_int_equal(m, CS_ROUND_TRUNCATE);
	assert_true(cs_round_mode_parse(CS_STR("half_away"), &m));
	assert_int_equal(m, CS_ROUND_HALF_AWAY);
	assert_false(cs_round_mode_parse(CS_STR("bankers"), &m));
	assert_false(cs_round_mode_parse(CS_STR(""), &m));
}

/* Every two-decimal value v.vv5 rounds up, and every v.vv stays itself. */
static void test_exhaustive_grid(void **state)
{
	(void)state;
	for (int i = 0; i < 100000; i++) {
		double on = i / 100.0, half = (i * 10 + 5) / 1000.0;

		assert_double_exact(cs_round_half_away(on, 2), on);
		assert_double_exact(cs_round_truncate(on, 2), on);
		assert_double_exact(cs_round_half_away(half, 2), (i + 1) / 100.0);
		assert_double_exact(cs_round_truncate(half, 2), on);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_half_away_tricky),
		cmocka_unit_test(test_half_away_computed),
		cmocka_unit_test(test_half_away_signs_and_zero),
		cmocka_unit_test(test_half_away_decimals),
		cmocka_unit_test(test_large_and_special),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_apply_and_names),
		cmocka_unit_test(test_exhaustive_grid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
