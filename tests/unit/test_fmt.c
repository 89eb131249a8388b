/*
 * Tests of number formatting (report/fmt.h): Vietnamese and English
 * separators, rounding on the decimal value (METHODOLOGY M2.8), signs, ranks,
 * and the machine form that reads back to the same double.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report/fmt.h"

#include "util/banned.h"

static void test_number(void **state)
{
	char out[CS_FMT_MAX];

	(void)state;
	assert_string_equal(cs_fmt_number(91.84, 2, CS_FMT_VI, out), "91,84");
	assert_string_equal(cs_fmt_number(91.84, 2, CS_FMT_EN, out), "91.84");
	/* 91.845 is stored as 91.8449999...; M2.8 rounds the decimal value. */
	assert_string_equal(cs_fmt_number(91.845, 2, CS_FMT_VI, out), "91,85");
	assert_string_equal(cs_fmt_number(1.005, 2, CS_FMT_EN, out), "1.01");
	assert_string_equal(cs_fmt_number(100, 2, CS_FMT_VI, out), "100,00");
	assert_string_equal(cs_fmt_number(0, 2, CS_FMT_VI, out), "0,00");
	assert_string_equal(cs_fmt_number(-0.001, 2, CS_FMT_VI, out), "0,00");
	assert_string_equal(cs_fmt_number(-0.0, 2, CS_FMT_EN, out), "0.00");
	assert_string_equal(cs_fmt_number(-1.5, 1, CS_FMT_VI, out), "-1,5");
	assert_string_equal(cs_fmt_number(1234.5, 1, CS_FMT_VI, out), "1.234,5");
	assert_string_equal(cs_fmt_number(1234.5, 1, CS_FMT_EN, out), "1,234.5");
	assert_string_equal(cs_fmt_number(1234567, 0, CS_FMT_VI, out), "1.234.567");
	assert_string_equal(cs_fmt_number(-123456.789, 2, CS_FMT_EN, out), "-123,456.79");
	assert_string_equal(cs_fmt_number(999.995, 2, CS_FMT_VI, out), "1.000,00");
	assert_string_equal(cs_fmt_number(2.5, 0, CS_FMT_VI, out), "3");
	assert_string_equal(cs_fmt_number(0.5, -3, CS_FMT_VI, out), "1");
	assert_string_equal(cs_fmt_number(NAN, 2, CS_FMT_VI, out), "-");
	assert_string_equal(cs_fmt_number(INFINITY, 2, CS_FMT_VI, out), "-");
	/* Beyond fixed notation: the machine form. */
	assert_string_equal(cs_fmt_number(1e20, 2, CS_FMT_VI, out), "1e+20");
}

static void test_trim_percent_signed(void **state)
{
	char out[CS_FMT_MAX];

	(void)state;
	assert_string_equal(cs_fmt_number_trim(83.2, 2, CS_FMT_VI, out), "83,2");
	assert_string_equal(cs_fmt_number_trim(83.2000000001, 2, CS_FMT_VI, out), "83,2");
	assert_string_equal(cs_fmt_number_trim(100, 2, CS_FMT_VI, out), "100");
	assert_string_equal(cs_fmt_number_trim(8.25, 2, CS_FMT_EN, out), "8.25");
	assert_string_equal(cs_fmt_number_trim(0.004, 2, CS_FMT_EN, out), "0");
	assert_string_equal(cs_fmt_percent(91.84, 2, CS_FMT_VI, out), "91,84%");
	assert_string_equal(cs_fmt_percent(91.84, 2, CS_FMT_EN, out), "91.84%");
	assert_string_equal(cs_fmt_percent(100, 2, CS_FMT_VI, out), "100,00%");
	assert_string_equal(cs_fmt_percent(NAN, 2, CS_FMT_VI, out), "-");
	assert_string_equal(cs_fmt_signed(1.5, 2, false, CS_FMT_VI, out), "+1,50");
	assert_string_equal(cs_fmt_signed(1.5, 2, true, CS_FMT_VI, out), "+1,5");
	assert_string_equal(cs_fmt_signed(-0.25, 2, true, CS_FMT_EN, out), "-0.25");
	assert_string_equal(cs_fmt_signed(0, 2, false, CS_FMT_VI, out), "0,00");
	assert_string_equal(cs_fmt_signed(-0.0001, 2, true, CS_FMT_VI, out), "0");
	assert_string_equal(cs_fmt_signed(15, 2, true, CS_FMT_VI, out), "+15");
}

static void test_rank_count(void **state)
{
	char out[CS_FMT_MAX];

	(void)state;
	assert_string_equal(cs_fmt_rank(26, 63, out), "26/63");
	assert_string_equal(cs_fmt_rank(1, 1, out), "1/1");
	assert_string_equal(cs_fmt_count(0, CS_FMT_VI, out), "0");
	assert_string_equal(cs_fmt_count(999, CS_FMT_VI, out), "999");
	assert_string_equal(cs_fmt_count(1234, CS_FMT_VI, out), "1.234");
	assert_string_equal(cs_fmt_count(1234, CS_FMT_EN, out), "1,234");
	assert_string_equal(cs_fmt_count(10000000, CS_FMT_VI, out), "10.000.000");
}

static void test_double(void **state)
{
	static const double values[] = {8.5,	       100,    0.1 + 0.2, 1e-5,	 1.5e-7,
					123456789.125, 1e15,   1e16,	  -2.75, 91.845,
					1.0 / 3.0,     5e-324, 1.7e308};
	char out[CS_FMT_MAX];

	(void)state;
	assert_string_equal(cs_fmt_double(8.5, out), "8.5");
	assert_string_equal(cs_fmt_double(100, out), "100");
	assert_string_equal(cs_fmt_double(0.1 + 0.2, out), "0.30000000000000004");
	assert_string_equal(cs_fmt_double(-0.0, out), "0");
	assert_string_equal(cs_fmt_double(1e-5, out), "0.00001");
	assert_string_equal(cs_fmt_double(1e15, out), "1000000000000000");
	assert_string_equal(cs_fmt_double(1e16, out), "1e+16");
	assert_string_equal(cs_fmt_double(-2.75, out), "-2.75");
	assert_string_equal(cs_fmt_double(25.59, out), "25.59");
	assert_null(cs_fmt_double(NAN, out));
	assert_null(cs_fmt_double(-INFINITY, out));
	/* Whatever the form, it reads back to the same double. */
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		assert_non_null(cs_fmt_double(values[i], out));
		assert_true(strtod(out, NULL) == values[i]);
		assert_null(strchr(out, ','));
	}
}

static void test_decimal(void **state)
{
	char out[CS_FMT_MAX];

	(void)state;
	assert_string_equal(cs_fmt_decimal(91.845, 2, out), "91.85");
	assert_string_equal(cs_fmt_decimal(83.2000000001, 2, out), "83.2");
	assert_string_equal(cs_fmt_decimal(100, 2, out), "100");
	assert_string_equal(cs_fmt_decimal(-0.004, 2, out), "0");
	assert_string_equal(cs_fmt_decimal(-1.25, 1, out), "-1.3");
	assert_string_equal(cs_fmt_decimal(1e20, 2, out), "1e+20");
	assert_null(cs_fmt_decimal(NAN, 2, out));
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(cs_fmt_width(""), 0);
	assert_int_equal(cs_fmt_width("26/63"), 5);
	/* Precomposed and decomposed Vietnamese take the same columns. */
	assert_int_equal(cs_fmt_width("Đơn vị"), 6);
	assert_int_equal(cs_fmt_width("Đơn vi\xcc\xa3"), 6);
	assert_int_equal(cs_fmt_width("─"), 1);
	/* A truncated sequence at the end does not run past the NUL. */
	assert_int_equal(cs_fmt_width("a\xe1\xbb"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number),	   cmocka_unit_test(test_trim_percent_signed),
		cmocka_unit_test(test_rank_count), cmocka_unit_test(test_double),
		cmocka_unit_test(test_decimal),	   cmocka_unit_test(test_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
