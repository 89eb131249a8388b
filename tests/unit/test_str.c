/* Unit tests for string slices and locale-independent number parsing (util/str.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/alloc.h"
#include "util/str.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static void assert_slice(struct cs_str s, const char *want)
{
	assert_int_equal(s.len, strlen(want));
	if (s.len)
		assert_memory_equal(s.ptr, want, s.len);
}

static void test_constructors(void **state)
{
	static const char text[] = "Thanh Hóa";
	struct cs_str s;

	(void)state;
	s = cs_str_from(text);
	assert_ptr_equal(s.ptr, text);
	assert_int_equal(s.len, strlen(text));
	s = cs_str_from(NULL);
	assert_non_null(s.ptr);
	assert_int_equal(s.len, 0);
	s = cs_str_make(text, 5);
	assert_slice(s, "Thanh");
	s = CS_STR("abc");
	assert_slice(s, "abc");
	assert_int_equal(CS_STR("").len, 0);
}

static void test_eq(void **state)
{
	(void)state;
	assert_true(cs_str_eq(CS_STR("abc"), cs_str_make("abcdef", 3)));
	assert_false(cs_str_eq(CS_STR("abc"), CS_STR("abd")));
	assert_false(cs_str_eq(CS_STR("abc"), CS_STR("ab")));
	assert_false(cs_str_eq(CS_STR("ab"), CS_STR("abc")));
	/* Empty slices are equal whatever they point at, NULL included. */
	assert_true(cs_str_eq(cs_str_make(NULL, 0), CS_STR("")));
	assert_true(cs_str_eq(cs_str_make("xyz", 0), cs_str_make(NULL, 0)));
	assert_true(cs_str_eq(CS_STR("a\0b"), cs_str_make("a\0b", 3)));
	assert_false(cs_str_eq(CS_STR("a\0b"), CS_STR("a\0c")));
	assert_true(cs_str_eq_cstr(CS_STR("Hà Nội"), "Hà Nội"));
	assert_false(cs_str_eq_cstr(CS_STR("Hà Nội"), "Ha Noi"));
	assert_false(cs_str_eq_cstr(cs_str_make("abc", 2), "abc"));
	assert_true(cs_str_eq_cstr(cs_str_make(NULL, 0), ""));
	assert_true(cs_str_eq_cstr(CS_STR(""), NULL));
}

static void test_eq_nocase(void **state)
{
	(void)state;
	assert_true(cs_str_eq_nocase(CS_STR("SIPAS"), "sipas"));
	assert_true(cs_str_eq_nocase(CS_STR("sIpAs"), "SiPaS"));
	assert_true(cs_str_eq_nocase(CS_STR(""), ""));
	assert_false(cs_str_eq_nocase(CS_STR("sipa"), "sipas"));
	assert_false(cs_str_eq_nocase(CS_STR("sipas"), "sipa"));
	assert_false(cs_str_eq_nocase(CS_STR("sipaz"), "sipas"));
	/* Only ASCII letters fold: '@' and '`' are next to 'A' and 'a'. */
	assert_false(cs_str_eq_nocase(CS_STR("@"), "`"));
	assert_false(cs_str_eq_nocase(CS_STR("["), "{"));
	/* Non-ASCII bytes compare exactly; Đ and đ are different. */
	assert_false(cs_str_eq_nocase(CS_STR("Đ"), "đ"));
	assert_true(cs_str_eq_nocase(CS_STR("ĐÀ"), "ĐÀ"));
	assert_true(cs_str_eq_nocase(cs_str_make("TRUEx", 4), "true"));
}

static void test_starts_with(void **state)
{
	(void)state;
	assert_true(cs_str_starts_with(CS_STR("CA-HN-01"), "CA-"));
	assert_true(cs_str_starts_with(CS_STR("CA"), "CA"));
	assert_true(cs_str_starts_with(CS_STR("CA"), ""));
	assert_true(cs_str_starts_with(CS_STR(""), ""));
	assert_false(cs_str_starts_with(CS_STR("C"), "CA"));
	assert_false(cs_str_starts_with(CS_STR("ca-hn"), "CA"));
	assert_false(cs_str_starts_with(cs_str_make("CA-", 2), "CA-"));
}

static void test_trim(void **state)
{
	static const char text[] = " \t\r\n\f\vHải Dương \t\r\n";
	struct cs_str t;

	(void)state;
	t = cs_str_trim(CS_STR(text));
	assert_slice(t, "Hải Dương");
	assert_ptr_equal(t.ptr, text + 6); /* a slice of the source, not a copy */
	assert_slice(cs_str_trim(CS_STR("a b")), "a b");
	assert_slice(cs_str_trim(CS_STR("  a  b  ")), "a  b");
	assert_slice(cs_str_trim(CS_STR("x")), "x");
	assert_slice(cs_str_trim(CS_STR("   ")), "");
	assert_slice(cs_str_trim(CS_STR("")), "");
	assert_slice(cs_str_trim(cs_str_make(NULL, 0)), "");
	/* Only ASCII white space: a no-break space (U+00A0) stays. */
	assert_slice(cs_str_trim(CS_STR("\xC2\xA0x\xC2\xA0")), "\xC2\xA0x\xC2\xA0");
	/* The slice end is respected: the space after it is not looked at. */
	assert_slice(cs_str_trim(cs_str_make(" ab cd", 4)), "ab");
}

/* Splits s by sep and checks the fields against want (NULL-terminated). */
static void check_split(struct cs_str s, char sep, const char *const *want)
{
	struct cs_str tok;
	size_t i = 0;

	while (cs_str_next(&s, sep, &tok)) {
		assert_non_null(want[i]);
		assert_slice(tok, want[i]);
		i++;
	}
	assert_null(want[i]);
	/* Exhausted stays exhausted. */
	assert_false(cs_str_next(&s, sep, &tok));
}

static void test_next(void **state)
{
	static const char *const w1[] = {"a", "", "b", NULL};
	static const char *const w2[] = {"", NULL};
	static const char *const w3[] = {"", "", NULL};
	static const char *const w4[] = {"a", "", NULL};
	static const char *const w5[] = {"", "a", NULL};
	static const char *const w6[] = {"CA-01", "Công an phường 1", " 95,5 ", NULL};
	static const char *const w7[] = {"abc", NULL};
	static const char *const w8[] = {"", "", "", NULL};
	static const char *const none[] = {NULL};

	(void)state;
	check_split(CS_STR("a;;b"), ';', w1);
	check_split(CS_STR(""), ';', w2);
	check_split(cs_str_from(NULL), ';', w2);
	check_split(CS_STR(";"), ';', w3);
	check_split(CS_STR("a;"), ';', w4);
	check_split(CS_STR(";a"), ';', w5);
	check_split(CS_STR("CA-01,Công an phường 1, 95,5 "), ',',
		    (const char *const[]){"CA-01", "Công an phường 1", " 95", "5 ", NULL});
	check_split(CS_STR("CA-01\tCông an phường 1\t 95,5 "), '\t', w6);
	check_split(CS_STR("abc"), ';', w7);
	check_split(CS_STR(",,"), ',', w8);
	/* A slice with no memory at all has no fields. */
	check_split(cs_str_make(NULL, 0), ';', none);
	/* The separator after the slice end is not seen. */
	check_split(cs_str_make("abc;def", 3), ';', w7);
}

static void test_next_points_into_source(void **state)
{
	static const char text[] = "x|yy|zzz";
	struct cs_str s = CS_STR(text), tok;

	(void)state;
	assert_true(cs_str_next(&s, '|', &tok));
	assert_ptr_equal(tok.ptr, text);
	assert_true(cs_str_next(&s, '|', &tok));
	assert_ptr_equal(tok.ptr, text + 2);
	assert_int_equal(tok.len, 2);
	assert_true(cs_str_next(&s, '|', &tok));
	assert_ptr_equal(tok.ptr, text + 5);
	assert_int_equal(tok.len, 3);
	assert_false(cs_str_next(&s, '|', &tok));
}

static void test_dup(void **state)
{
	char *p;

	(void)state;
	p = cs_str_dup(cs_str_make("Quảng Ninh, rest", strlen("Quảng Ninh")));
	assert_non_null(p);
	assert_string_equal(p, "Quảng Ninh");
	cs_free(p);
	p = cs_str_dup(cs_str_make(NULL, 0));
	assert_non_null(p);
	assert_string_equal(p, "");
	cs_free(p);
}

static void test_dup_no_memory(void **state)
{
	char *p;

	(void)state;
	cs_alloc_fail_after(0);
	p = cs_str_dup(CS_STR("abc"));
	cs_alloc_fail_after(-1);
	assert_null(p);
	cs_alloc_fail_after(1);
	p = cs_str_dup(CS_STR("abc"));
	cs_alloc_fail_after(-1);
	assert_non_null(p);
	assert_string_equal(p, "abc");
	cs_free(p);
}

static void check_i64(const char *text, int64_t want)
{
	struct cs_error err = {0};
	int64_t v = 12345;

	assert_int_equal(cs_str_to_i64(cs_str_from(text), &v, &err), CS_OK);
	assert_true(v == want);
}

static void check_i64_fails(const char *text, enum cs_err code)
{
	struct cs_error err = {0};
	int64_t v = 12345;

	assert_int_equal(cs_str_to_i64(cs_str_from(text), &v, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg,
			    code == CS_EPARSE ? "expected a whole number" : "number out of range");
	assert_true(v == 12345); /* untouched */
	assert_int_equal(cs_str_to_i64(cs_str_from(text), &v, NULL), code);
}

static void test_to_i64(void **state)
{
	int64_t v = 0;

	(void)state;
	check_i64("0", 0);
	check_i64("-0", 0);
	check_i64("42", 42);
	check_i64("-42", -42);
	check_i64("+7", 7);
	check_i64("007", 7);
	check_i64("-007", -7);
	check_i64("9223372036854775807", INT64_MAX);
	check_i64("-9223372036854775808", INT64_MIN);
	check_i64("+9223372036854775807", INT64_MAX);
	/* Leading zeros do not make a number too long. */
	check_i64("0000000000000000000000000000000000000000000000000000000000000000000000001", 1);
	check_i64("-0000000000000000000000000000000000000000000000000000000000000000000000922337203"
		  "6854775808",
		  INT64_MIN);
	check_i64("00000000000000000000000000000000000000000000000000000000000000000000000", 0);

	/* The slice end is respected. */
	assert_int_equal(cs_str_to_i64(cs_str_make("123456", 3), &v, NULL), CS_OK);
	assert_true(v == 123);
}

static void test_to_i64_refused(void **state)
{
	(void)state;
	check_i64_fails("", CS_EPARSE);
	check_i64_fails("-", CS_EPARSE);
	check_i64_fails("+", CS_EPARSE);
	check_i64_fails("--1", CS_EPARSE);
	check_i64_fails("+-1", CS_EPARSE);
	check_i64_fails(" 1", CS_EPARSE);
	check_i64_fails("1 ", CS_EPARSE);
	check_i64_fails("1.0", CS_EPARSE);
	check_i64_fails("1,0", CS_EPARSE);
	check_i64_fails("1e3", CS_EPARSE);
	check_i64_fails("0x10", CS_EPARSE);
	check_i64_fails("12a", CS_EPARSE);
	check_i64_fails("abc", CS_EPARSE);
	check_i64_fails("1.234", CS_EPARSE);
	check_i64_fails("\xD9\xA1", CS_EPARSE); /* Arabic-Indic one */

	check_i64_fails("9223372036854775808", CS_ETOOBIG);
	check_i64_fails("-9223372036854775809", CS_ETOOBIG);
	check_i64_fails("99999999999999999999", CS_ETOOBIG);
	check_i64_fails("-99999999999999999999", CS_ETOOBIG);
	check_i64_fails("1000000000000000000000000000000000000000000000000000000000000000000000000"
			"000",
			CS_ETOOBIG);
	/* A long string with a bad character is garbage, not too big. */
	check_i64_fails("1000000000000000000000000000000000000000000000000000000000000000000000000"
			"00x",
			CS_EPARSE);
	assert_int_equal(cs_str_to_i64(cs_str_make(NULL, 0), &(int64_t){0}, NULL), CS_EPARSE);
}

static void check_double(const char *text, bool comma_ok, double want)
{
	struct cs_error err = {0};
	double v = -1234.5;

	assert_int_equal(cs_str_to_double(cs_str_from(text), comma_ok, &v, &err), CS_OK);
	assert_true(v == want);
}

static void check_double_fails(const char *text, bool comma_ok, enum cs_err code)
{
	struct cs_error err = {0};
	double v = -1234.5;

	assert_int_equal(cs_str_to_double(cs_str_from(text), comma_ok, &v, &err), code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg,
			    code == CS_EPARSE ? "expected a number" : "number out of range");
	assert_true(v == -1234.5); /* untouched */
	assert_int_equal(cs_str_to_double(cs_str_from(text), comma_ok, &v, NULL), code);
}

static void test_to_double(void **state)
{
	double v = 0;

	(void)state;
	for (int comma = 0; comma <= 1; comma++) {
		check_double("0", comma, 0.0);
		check_double("42", comma, 42.0);
		check_double("1.5", comma, 1.5);
		check_double("-2.25", comma, -2.25);
		check_double("+3", comma, 3.0);
		check_double(".5", comma, 0.5);
		check_double("5.", comma, 5.0);
		check_double("007.25", comma, 7.25);
		check_double("1e3", comma, 1000.0);
		check_double("1E-2", comma, 0.01);
		check_double("2.5e+1", comma, 25.0);
		check_double("91.84", comma, 91.84);
		check_double("1e308", comma, 1e308);
	}
	/* The slice end is respected. */
	assert_int_equal(cs_str_to_double(cs_str_make("3.25xyz", 4), false, &v, NULL), CS_OK);
	assert_true(v == 3.25);
}

static void test_to_double_comma(void **state)
{
	(void)state;
	check_double("8,5", true, 8.5);
	check_double("-0,25", true, -0.25);
	check_double(",5", true, 0.5);
	check_double("91,84", true, 91.84);
	check_double("1,5e2", true, 150.0);
	/* Refused when the caller does not allow it. */
	check_double_fails("8,5", false, CS_EPARSE);
	check_double_fails(",5", false, CS_EPARSE);
	/* Still one separator only: no thousands separators. */
	check_double_fails("1,234.5", true, CS_EPARSE);
	check_double_fails("1.234,5", true, CS_EPARSE);
	check_double_fails("1,234,567", true, CS_EPARSE);
	check_double_fails(",", true, CS_EPARSE);
}

static void test_to_double_refused(void **state)
{
	static const char *const garbage[] = {
		"",	"-",	"+",	".",	    "nan",  "NaN",   "-nan",  "inf",
		"-inf", "+inf", "INF",	"infinity", "0x10", "0x1p3", "1.2.3", "1..2",
		"--1",	"+-1",	"1e",	"1e+",	    "1e-",  "e5",    "1e5.5", "1e5e5",
		" 1",	"1 ",	"1.5x", "1_000",    "½",    "1e0x1", "١",     NULL,
	};

	(void)state;
	for (size_t i = 0; garbage[i]; i++) {
		check_double_fails(garbage[i], false, CS_EPARSE);
		check_double_fails(garbage[i], true, CS_EPARSE);
	}
	check_double_fails("1e999", false, CS_ETOOBIG);
	check_double_fails("-1e999", false, CS_ETOOBIG);
	check_double_fails("1e309", true, CS_ETOOBIG);
	check_double_fails("1e-999", false, CS_ETOOBIG);
	/* Longer than any number a person types. */
	check_double_fails("1.00000000000000000000000000000000000000000000000000000000000000000000",
			   false, CS_EPARSE);
	assert_int_equal(cs_str_to_double(cs_str_make(NULL, 0), false, &(double){0}, NULL),
			 CS_EPARSE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constructors),
		cmocka_unit_test(test_eq),
		cmocka_unit_test(test_eq_nocase),
		cmocka_unit_test(test_starts_with),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_next_points_into_source),
		cmocka_unit_test(test_dup),
		cmocka_unit_test_teardown(test_dup_no_memory, restore_allocator),
		cmocka_unit_test(test_to_i64),
		cmocka_unit_test(test_to_i64_refused),
		cmocka_unit_test(test_to_double),
		cmocka_unit_test(test_to_double_comma),
		cmocka_unit_test(test_to_double_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
