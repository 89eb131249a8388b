/* Unit tests for the error record: cs_fail, cs_error_prefix, cs_error_clear, names, messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chiso/error.h"

#include "util/banned.h"

/* Written out by hand, not generated from CS_ERR_MAP, so a changed list fails here. */
static const struct {
	enum cs_err code;
	int value;
	const char *name;
	const char *msg;
} expected[] = {
	{CS_OK, 0, "OK", "success"},
	{CS_ENOMEM, 1, "ENOMEM", "out of memory"},
	{CS_EINVAL, 2, "EINVAL", "invalid argument"},
	{CS_EUSAGE, 3, "EUSAGE", "wrong usage"},
	{CS_EPARSE, 4, "EPARSE", "malformed input"},
	{CS_EUTF8, 5, "EUTF8", "invalid UTF-8"},
	{CS_ETOOBIG, 6, "ETOOBIG", "input too large"},
	{CS_EIO, 7, "EIO", "input/output error"},
	{CS_ENOTFOUND, 8, "ENOTFOUND", "not found"},
	{CS_EEXIST, 9, "EEXIST", "already exists"},
	{CS_ECONFLICT, 10, "ECONFLICT", "conflicting data"},
	{CS_ESTATE, 11, "ESTATE", "operation not allowed in this state"},
	{CS_EPERM, 12, "EPERM", "permission denied"},
	{CS_ESTORE, 13, "ESTORE", "storage error"},
	{CS_ESCHEMA, 14, "ESCHEMA", "unsupported database schema"},
	{CS_EUNICODE, 15, "EUNICODE", "unicode library error"},
	{CS_EINTERNAL, 16, "EINTERNAL", "internal error"},
};

#define N_EXPECTED (sizeof(expected) / sizeof(expected[0]))

/* A message full of a marker, to see what a call overwrites. */
static void poison(struct cs_error *err)
{
	err->code = CS_EINTERNAL;
	memset(err->msg, 'X', sizeof(err->msg) - 1);
	err->msg[sizeof(err->msg) - 1] = '\0';
}

static void test_codes_are_complete(void **state)
{
	(void)state;
	assert_int_equal(CS_OK, 0);
	assert_int_equal(CS_ERR_COUNT_, N_EXPECTED);
	for (size_t i = 0; i < N_EXPECTED; i++)
		assert_int_equal(expected[i].code, expected[i].value);
}

static void test_strerror_and_name_every_code(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_EXPECTED; i++) {
		assert_string_equal(cs_strerror(expected[i].code), expected[i].msg);
		assert_string_equal(cs_err_name(expected[i].code), expected[i].name);
	}
}

static void test_messages_follow_house_style(void **state)
{
	(void)state;
	for (int c = 0; c < CS_ERR_COUNT_; c++) {
		const char *m = cs_strerror((enum cs_err)c);
		size_t n = strlen(m);

		assert_true(n > 0);
		assert_false(m[0] >= 'A' && m[0] <= 'Z');
		assert_int_not_equal(m[n - 1], '.');
		for (int d = c + 1; d < CS_ERR_COUNT_; d++)
			assert_string_not_equal(cs_err_name((enum cs_err)c),
						cs_err_name((enum cs_err)d));
	}
}

static void test_out_of_range_codes(void **state)
{
	int bad[] = {CS_ERR_COUNT_, CS_ERR_COUNT_ + 1, 1000, -1, INT32_MIN};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum cs_err code = (enum cs_err)bad[i];

		assert_string_equal(cs_strerror(code), "unknown error");
		assert_string_equal(cs_err_name(code), "EUNKNOWN");
	}
}

static void test_fail_formats_message(void **state)
{
	struct cs_error err;

	(void)state;
	poison(&err);
	assert_int_equal(cs_fail(&err, CS_EPARSE, "%s:%zu: unknown unit code '%s'", "units.csv",
				 (size_t)12, "CA-99"),
			 CS_EPARSE);
	assert_int_equal(err.code, CS_EPARSE);
	assert_string_equal(err.msg, "units.csv:12: unknown unit code 'CA-99'");
}

static void test_fail_keeps_utf8(void **state)
{
	struct cs_error err;

	(void)state;
	cs_fail(&err, CS_ECONFLICT, "unit '%s' exists", "Công an tỉnh Hà Giang");
	assert_int_equal(err.code, CS_ECONFLICT);
	assert_string_equal(err.msg, "unit 'Công an tỉnh Hà Giang' exists");
}

static void test_fail_null_err_returns_code(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_EXPECTED; i++)
		assert_int_equal(cs_fail(NULL, expected[i].code, "field %s", "x"),
				 expected[i].code);
	assert_int_equal(cs_fail(NULL, CS_ENOMEM, NULL), CS_ENOMEM);
}

static void test_fail_default_message(void **state)
{
	struct cs_error err;
	const char *empty = "";

	(void)state;
	for (size_t i = 0; i < N_EXPECTED; i++) {
		poison(&err);
		assert_int_equal(cs_fail(&err, expected[i].code, NULL), expected[i].code);
		assert_int_equal(err.code, expected[i].code);
		assert_string_equal(err.msg, expected[i].msg);
	}
	/* An empty format, as a computed format string would give. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
	poison(&err);
	assert_int_equal(cs_fail(&err, CS_EIO, empty), CS_EIO);
#pragma GCC diagnostic pop
	assert_string_equal(err.msg, "input/output error");
}

static void test_fail_truncates_long_message(void **state)
{
	struct cs_error err;
	char big[2 * CS_ERROR_MSG_MAX];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cs_fail(&err, CS_ETOOBIG, "value '%s'", big);
	assert_int_equal(err.code, CS_ETOOBIG);
	assert_int_equal(strlen(err.msg), CS_ERROR_MSG_MAX - 1);
	assert_memory_equal(err.msg, "value 'aaa", 10);
}

static void test_fail_overwrites_previous(void **state)
{
	struct cs_error err;

	(void)state;
	cs_fail(&err, CS_EPARSE, "first problem that is long");
	cs_fail(&err, CS_ENOTFOUND, "second");
	assert_int_equal(err.code, CS_ENOTFOUND);
	assert_string_equal(err.msg, "second");
}

static void test_clear(void **state)
{
	struct cs_error err;

	(void)state;
	poison(&err);
	cs_error_clear(&err);
	assert_int_equal(err.code, CS_OK);
	assert_string_equal(err.msg, "");
	cs_error_clear(NULL);
}

static void test_prefix(void **state)
{
	struct cs_error err;

	(void)state;
	cs_fail(&err, CS_EPARSE, "line %d: column %d: expected a number, got '%s'", 3, 7, "abc");
	cs_error_prefix(&err, "%s", "units.csv");
	assert_int_equal(err.code, CS_EPARSE);
	assert_string_equal(err.msg, "units.csv: line 3: column 7: expected a number, got 'abc'");
	cs_error_prefix(&err, "import %s", "2024");
	assert_string_equal(
		err.msg, "import 2024: units.csv: line 3: column 7: expected a number, got 'abc'");
	assert_int_equal(err.code, CS_EPARSE);
}

static void test_prefix_on_default_message(void **state)
{
	struct cs_error err;

	(void)state;
	cs_fail(&err, CS_ENOMEM, NULL);
	cs_error_prefix(&err, "reading %s", "survey.xlsx");
	assert_string_equal(err.msg, "reading survey.xlsx: out of memory");
	assert_int_equal(err.code, CS_ENOMEM);
}

static void test_prefix_null_err(void **state)
{
	(void)state;
	cs_error_prefix(NULL, "%s", "ignored");
}

static void test_prefix_truncates(void **state)
{
	struct cs_error err;
	char big[CS_ERROR_MSG_MAX];

	(void)state;
	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cs_fail(&err, CS_EPARSE, "%s", big);
	assert_int_equal(strlen(err.msg), CS_ERROR_MSG_MAX - 1);
	cs_error_prefix(&err, "file.csv");
	/* The place comes first and survives the cut. */
	assert_int_equal(strlen(err.msg), CS_ERROR_MSG_MAX - 1);
	assert_memory_equal(err.msg, "file.csv: mmm", 13);

	/* A prefix longer than the whole message is cut as well. */
	cs_fail(&err, CS_EPARSE, "short");
	cs_error_prefix(&err, "%s%s", big, big);
	assert_int_equal(strlen(err.msg), CS_ERROR_MSG_MAX - 1);
	assert_int_equal(err.msg[0], 'm');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes_are_complete),
		cmocka_unit_test(test_strerror_and_name_every_code),
		cmocka_unit_test(test_messages_follow_house_style),
		cmocka_unit_test(test_out_of_range_codes),
		cmocka_unit_test(test_fail_formats_message),
		cmocka_unit_test(test_fail_keeps_utf8),
		cmocka_unit_test(test_fail_null_err_returns_code),
		cmocka_unit_test(test_fail_default_message),
		cmocka_unit_test(test_fail_truncates_long_message),
		cmocka_unit_test(test_fail_overwrites_previous),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_prefix_on_default_message),
		cmocka_unit_test(test_prefix_null_err),
		cmocka_unit_test(test_prefix_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
