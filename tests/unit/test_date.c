/* Unit tests for date parsing, validation and Vietnamese display (util/date.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/date.h"
#include "util/utf8.h"

#include "util/banned.h"

static void check_date(const char *text, const char *want)
{
	struct cs_error err = {0};
	char iso[CS_DATE_LEN];

	assert_int_equal(cs_date_parse(cs_str_from(text), iso, &err), CS_OK);
	assert_string_equal(iso, want);
	assert_int_equal(cs_date_parse(cs_str_from(text), iso, NULL), CS_OK);
}

/* Checks the refusal, its message, and that iso is left alone. */
static void check_refused(struct cs_str s, const char *want_msg)
{
	struct cs_error err = {0};
	char iso[CS_DATE_LEN];

	memset(iso, 'X', sizeof(iso));
	assert_int_equal(cs_date_parse(s, iso, &err), CS_EPARSE);
	assert_int_equal(err.code, CS_EPARSE);
	assert_string_equal(err.msg, want_msg);
	for (size_t i = 0; i < sizeof(iso); i++)
		assert_int_equal(iso[i], 'X');
	assert_int_equal(cs_date_parse(s, iso, NULL), CS_EPARSE);
}

static void check_not_a_day(const char *text)
{
	char msg[100];

	(void)snprintf(msg, sizeof(msg), "'%s' is not a day of the calendar", text);
	check_refused(cs_str_from(text), msg);
}

static void check_not_a_date(const char *text)
{
	char msg[200];

	(void)snprintf(msg, sizeof(msg), "'%s' is not a date; expected YYYY-MM-DD or DD/MM/YYYY",
		       text);
	check_refused(cs_str_from(text), msg);
}

static void test_iso(void **state)
{
	(void)state;
	check_date("2024-02-29", "2024-02-29");
	check_date("2020-11-13", "2020-11-13");
	check_date("1900-01-01", "1900-01-01");
	check_date("9999-12-31", "9999-12-31");
	check_date("2000-02-29", "2000-02-29"); /* divisible by 400: leap */
	check_date("2023-04-30", "2023-04-30");
	check_date("2023-01-31", "2023-01-31");
}

static void test_vietnamese_form(void **state)
{
	(void)state;
	check_date("29/02/2024", "2024-02-29");
	check_date("13/11/2020", "2020-11-13");
	check_date("01/01/1900", "1900-01-01");
	check_date("31/12/9999", "9999-12-31");
	check_date("02/09/1945", "1945-09-02");
	check_date("30/04/2025", "2025-04-30");
}

static void test_slice_end_respected(void **state)
{
	char iso[CS_DATE_LEN];

	(void)state;
	assert_int_equal(cs_date_parse(cs_str_make("2024-02-29T10:00", 10), iso, NULL), CS_OK);
	assert_string_equal(iso, "2024-02-29");
	assert_int_equal(cs_date_parse(cs_str_make("29/02/2024 extra", 10), iso, NULL), CS_OK);
	assert_string_equal(iso, "2024-02-29");
}

static void test_days_that_do_not_exist(void **state)
{
	(void)state;
	check_not_a_day("29/02/2023");
	check_not_a_day("2023-02-29");
	check_not_a_day("1900-02-29"); /* divisible by 100, not by 400 */
	check_not_a_day("2100-02-29");
	check_not_a_day("30/02/2024");
	check_not_a_day("31/04/2024");
	check_not_a_day("31/06/2024");
	check_not_a_day("31/09/2024");
	check_not_a_day("31/11/2024");
	check_not_a_day("32/01/2024");
	check_not_a_day("00/01/2024");
	check_not_a_day("15/00/2024");
	check_not_a_day("15/13/2024");
	check_not_a_day("2024-00-10");
	check_not_a_day("2024-13-01");
	check_not_a_day("2024-01-00");
	check_not_a_day("1899-12-31");
	check_not_a_day("0000-01-01");
	check_not_a_day("99/99/9999");
}

static void test_garbage(void **state)
{
	static const char *const garbage[] = {
		"",
		"hôm qua",
		"2024/02/29",
		"2024-2-9",
		"1/2/2024",
		"29-02-2024",
		"2024.02.29",
		"20240229",
		" 2024-02-29",
		"2024-02-29 ",
		"2024-02-29T00:00",
		"abcd-ef-gh",
		"+024-01-01",
		"2024-+1-01",
		"29/02/24",
		"29/2/2024",
		"2024-02-2x",
		"ab/cd/efgh",
		"-1/02/2024",
		"29/02/-024",
		NULL,
	};

	(void)state;
	for (size_t i = 0; garbage[i]; i++)
		check_not_a_date(garbage[i]);
	/* No memory at all. */
	check_refused(cs_str_make(NULL, 0), "'' is not a date; expected YYYY-MM-DD or DD/MM/YYYY");
}

static void test_garbage_message_is_cut(void **state)
{
	struct cs_error err = {0};
	char iso[CS_DATE_LEN];
	const char *quoted;

	(void)state;
	/* 45 ASCII bytes: the message quotes the first 40. */
	assert_int_equal(
		cs_date_parse(CS_STR("0123456789012345678901234567890123456789abcde"), iso, &err),
		CS_EPARSE);
	assert_string_equal(err.msg, "'0123456789012345678901234567890123456789' is not a date; "
				     "expected YYYY-MM-DD or DD/MM/YYYY");

	/* Byte 40 falls inside the second "ợ": the cut moves back to a
	 * character boundary, so the message stays valid UTF-8. */
	assert_int_equal(
		cs_date_parse(CS_STR("ngày không hợp lệ, ngày không hợp lệ nữa"), iso, &err),
		CS_EPARSE);
	assert_true(cs_utf8_valid(err.msg, strlen(err.msg), NULL));
	quoted = "'ngày không hợp lệ, ngày không h' is not a date";
	assert_memory_equal(err.msg, quoted, strlen(quoted));
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(cs_date_valid(2024, 2, 29));
	assert_false(cs_date_valid(2023, 2, 29));
	assert_true(cs_date_valid(2023, 2, 28));
	assert_true(cs_date_valid(2000, 2, 29));
	assert_false(cs_date_valid(1900, 2, 29));
	assert_true(cs_date_valid(1904, 2, 29));
	assert_false(cs_date_valid(2024, 4, 31));
	assert_true(cs_date_valid(2024, 12, 31));
	assert_false(cs_date_valid(2024, 12, 32));
	assert_false(cs_date_valid(2024, 0, 1));
	assert_false(cs_date_valid(2024, 13, 1));
	assert_false(cs_date_valid(2024, 1, 0));
	assert_false(cs_date_valid(2024, -1, 1));
	assert_false(cs_date_valid(1899, 12, 31));
	assert_true(cs_date_valid(1900, 1, 1));
	assert_true(cs_date_valid(9999, 12, 31));
	assert_false(cs_date_valid(10000, 1, 1));
	/* Every month's last day in a common and a leap year. */
	{
		static const int common[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

		for (int m = 1; m <= 12; m++) {
			int leap_last = m == 2 ? 29 : common[m - 1];

			assert_true(cs_date_valid(2023, m, common[m - 1]));
			assert_false(cs_date_valid(2023, m, common[m - 1] + 1));
			assert_true(cs_date_valid(2024, m, leap_last));
			assert_false(cs_date_valid(2024, m, leap_last + 1));
		}
	}
}

static void test_to_vi(void **state)
{
	char out[CS_DATE_LEN];

	(void)state;
	cs_date_to_vi("2024-02-29", out);
	assert_string_equal(out, "29/02/2024");
	cs_date_to_vi("2020-11-13", out);
	assert_string_equal(out, "13/11/2020");
	cs_date_to_vi("1945-09-02", out);
	assert_string_equal(out, "02/09/1945");
	/* Not an ISO date: copied as it is (cut to fit). */
	cs_date_to_vi("2024", out);
	assert_string_equal(out, "2024");
	cs_date_to_vi("", out);
	assert_string_equal(out, "");
	cs_date_to_vi("2024-02-29T10:00:00", out);
	assert_string_equal(out, "2024-02-29");
}

static void test_round_trip(void **state)
{
	char iso[CS_DATE_LEN], vi[CS_DATE_LEN], back[CS_DATE_LEN];

	(void)state;
	/* Every day of a leap year survives ISO -> display -> parse. */
	for (int m = 1; m <= 12; m++)
		for (int d = 1; d <= 31; d++) {
			if (!cs_date_valid(2024, m, d))
				continue;
			(void)snprintf(iso, sizeof(iso), "2024-%02d-%02d", m, d);
			cs_date_to_vi(iso, vi);
			assert_int_equal(cs_date_parse(cs_str_from(vi), back, NULL), CS_OK);
			assert_string_equal(back, iso);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso),
		cmocka_unit_test(test_vietnamese_form),
		cmocka_unit_test(test_slice_end_respected),
		cmocka_unit_test(test_days_that_do_not_exist),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_garbage_message_is_cut),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_to_vi),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
