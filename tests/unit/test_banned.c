/*
 * Unit tests for util/banned.h: every banned call expands to the marker that
 * makes it a compile error, and the allowed replacements still work. That a
 * banned call really fails to compile is checked by the CTest probes built
 * from banned_probe.c.in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util/banned.h"

/* The text a call expands to once banned.h is in force. */
#define EXPANDED(...) STRINGIFY_(__VA_ARGS__)
#define STRINGIFY_(...) #__VA_ARGS__

static void test_every_ban_expands_to_marker(void **state)
{
	static const struct {
		const char *expansion;
		const char *marker;
	} bans[] = {
		{EXPANDED(strcpy(d, s)), "sorry_strcpy_is_banned_in_chiso"},
		{EXPANDED(strcat(d, s)), "sorry_strcat_is_banned_in_chiso"},
		{EXPANDED(strncpy(d, s, n)), "sorry_strncpy_is_banned_in_chiso"},
		{EXPANDED(strncat(d, s, n)), "sorry_strncat_is_banned_in_chiso"},
		{EXPANDED(sprintf(d, "%d", 1)), "sorry_sprintf_is_banned_in_chiso"},
		{EXPANDED(vsprintf(d, f, ap)), "sorry_vsprintf_is_banned_in_chiso"},
		{EXPANDED(strtok(s, ",")), "sorry_strtok_is_banned_in_chiso"},
		{EXPANDED(strtok_r(s, ",", &p)), "sorry_strtok_r_is_banned_in_chiso"},
		{EXPANDED(gets(d)), "sorry_gets_is_banned_in_chiso"},
		{EXPANDED(atoi(s)), "sorry_atoi_is_banned_in_chiso"},
		{EXPANDED(atol(s)), "sorry_atol_is_banned_in_chiso"},
		{EXPANDED(atoll(s)), "sorry_atoll_is_banned_in_chiso"},
		{EXPANDED(atof(s)), "sorry_atof_is_banned_in_chiso"},
		{EXPANDED(asctime(tm)), "sorry_asctime_is_banned_in_chiso"},
		{EXPANDED(ctime(t)), "sorry_ctime_is_banned_in_chiso"},
		{EXPANDED(gmtime(t)), "sorry_gmtime_is_banned_in_chiso"},
		{EXPANDED(localtime(t)), "sorry_localtime_is_banned_in_chiso"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bans) / sizeof(bans[0]); i++)
		assert_string_equal(bans[i].expansion, bans[i].marker);
}

static void test_replacements_work(void **state)
{
	char buf[16];
	char *end;
	struct tm tm;
	time_t t = 86400 * 366; /* 1971-01-02 */

	(void)state;
	assert_int_equal(snprintf(buf, sizeof(buf), "%s-%d", "CA", 7), 4);
	assert_string_equal(buf, "CA-7");
	assert_int_equal(strtol("42x", &end, 10), 42);
	assert_string_equal(end, "x");
	assert_non_null(gmtime_r(&t, &tm));
	assert_int_equal(tm.tm_year, 71);
	assert_int_equal(tm.tm_yday, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_ban_expands_to_marker),
		cmocka_unit_test(test_replacements_work),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
