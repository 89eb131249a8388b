/* Unit tests for Vietnamese collation through ICU (util/collate.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/alloc.h"
#include "util/collate.h"

#include "util/banned.h"

static int open_vi(void **state)
{
	struct cs_error err = {0};
	struct cs_collator *c = cs_collator_new("vi", &err);

	if (!c)
		return -1;
	*state = c;
	return 0;
}

static int close_vi(void **state)
{
	cs_collator_free(*state);
	return 0;
}

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Names in the order a Vietnamese reader expects: letters a ă â, d đ, e ê,
 * o ô ơ, u ư are distinct, and a word that is a prefix comes first. */
static const char *const names_in_order[] = {
	"An", "Anh",   "Ăn",	 "Ân",	      "Bình", "Chi", "Dung", "Đà Nẵng", "Đông", "Em",
	"Ê",  "Giang", "Hà Nội", "Hải Phòng", "Oanh", "Ôn",  "Ơn",   "Uyên",	"Ưng",	"Yến",
};

#define N_NAMES (sizeof(names_in_order) / sizeof(names_in_order[0]))

static void test_vietnamese_order_pairwise(void **state)
{
	const struct cs_collator *c = *state;

	for (size_t i = 0; i < N_NAMES; i++) {
		assert_int_equal(cs_collator_cmpz(c, names_in_order[i], names_in_order[i]), 0);
		for (size_t j = i + 1; j < N_NAMES; j++) {
			assert_int_equal(cs_collator_cmpz(c, names_in_order[i], names_in_order[j]),
					 -1);
			assert_int_equal(cs_collator_cmpz(c, names_in_order[j], names_in_order[i]),
					 1);
		}
	}
}

static void test_brief_example(void **state)
{
	const struct cs_collator *c = *state;
	static const char *const chain[] = {"An", "Ân", "Bình", "Dung", "Đà Nẵng", "Em"};

	for (size_t i = 0; i + 1 < 6; i++)
		assert_true(cs_collator_cmpz(c, chain[i], chain[i + 1]) < 0);
	/* The space ends the first word before any letter: as ICU orders them. */
	assert_true(cs_collator_cmpz(c, "Hà Nội", "Hải Phòng") < 0);
	assert_true(cs_collator_cmpz(c, "Hải Phòng", "Hà Nội") > 0);
}

static void test_differs_from_byte_order(void **state)
{
	const struct cs_collator *c = *state;

	/* Byte order puts "Đ" (C4 90) after "E" and "Ân" (C3 82) after "B";
	 * only a real collation gets these right. */
	assert_true(strcmp("Đà Nẵng", "Em") > 0);
	assert_true(cs_collator_cmpz(c, "Đà Nẵng", "Em") < 0);
	assert_true(strcmp("Ân", "Bình") > 0);
	assert_true(cs_collator_cmpz(c, "Ân", "Bình") < 0);
	assert_true(strcmp("Ưng", "Yến") > 0);
	assert_true(cs_collator_cmpz(c, "Ưng", "Yến") < 0);
}

/* Insertion sort with the collator, as the ranking table does it. */
static void sort_names(const struct cs_collator *c, const char **v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const char *x = v[i];
		size_t j = i;

		for (; j > 0 && cs_collator_cmpz(c, v[j - 1], x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void test_sort_shuffled(void **state)
{
	const struct cs_collator *c = *state;
	const char *v[N_NAMES];

	/* A fixed permutation: i * 7 mod 20 visits every index once. */
	for (size_t i = 0; i < N_NAMES; i++)
		v[i] = names_in_order[(i * 7) % N_NAMES];
	sort_names(c, v, N_NAMES);
	for (size_t i = 0; i < N_NAMES; i++)
		assert_string_equal(v[i], names_in_order[i]);
}

static void test_tones(void **state)
{
	const struct cs_collator *c = *state;
	/* Ngang, huyền, hỏi, ngã, sắc, nặng: the order of Vietnamese dictionaries. */
	static const char *const tones[] = {"ma", "mà", "mả", "mã", "má", "mạ"};

	for (size_t i = 0; i + 1 < 6; i++)
		assert_true(cs_collator_cmpz(c, tones[i], tones[i + 1]) < 0);
	/* A tone is a lesser difference than a letter. */
	assert_true(cs_collator_cmpz(c, "mạ", "mai") < 0);
	assert_true(cs_collator_cmpz(c, "mạnh", "mai") > 0);
}

static void test_case_and_normalisation(void **state)
{
	const struct cs_collator *c = *state;

	/* Case is a difference, but a lesser one than letters. */
	assert_int_not_equal(cs_collator_cmpz(c, "an", "An"), 0);
	assert_true(cs_collator_cmpz(c, "an", "Anh") < 0);
	assert_true(cs_collator_cmpz(c, "An", "anh") < 0);
	/* Precomposed and decomposed forms are the same text. */
	assert_int_equal(cs_collator_cmpz(c, "Hòa",
					  "Ho\xCC\x80"
					  "a"),
			 0);
	assert_int_equal(cs_collator_cmpz(c, "Nguyễn", "Nguye\xCC\x82\xCC\x83n"), 0);
}

static void test_lengths(void **state)
{
	const struct cs_collator *c = *state;

	/* Slices that are not NUL-terminated compare by their length. */
	assert_int_equal(cs_collator_cmp(c, "Bình Dương", 5, "Bình Định", 5), 0);
	assert_true(cs_collator_cmp(c, "Bình Dương", strlen("Bình Dương"), "Bình Định", 5) > 0);
	assert_true(cs_collator_cmp(c, "Bình Dương", strlen("Bình Dương"), "Bình Định",
				    strlen("Bình Định")) < 0);
	assert_true(cs_collator_cmp(c, "", 0, "a", 1) < 0);
	assert_int_equal(cs_collator_cmp(c, "", 0, "", 0), 0);
	assert_int_equal(cs_collator_cmp(c, "a\0b", 3, "a\0b", 3), 0);
}

static void test_invalid_utf8_still_total(void **state)
{
	const struct cs_collator *c = *state;
	static const char *const v[] = {"\xFF", "a\xC0", "\xED\xA0\x80", "a", "Đ"};

	/* Importers refuse invalid UTF-8, but a comparison must still be a
	 * consistent order if some slips through. */
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(cs_collator_cmpz(c, v[i], v[i]), 0);
		for (size_t j = 0; j < 5; j++)
			assert_int_equal(sign(cs_collator_cmpz(c, v[i], v[j])),
					 -sign(cs_collator_cmpz(c, v[j], v[i])));
	}
}

static void test_other_locales(void **state)
{
	struct cs_error err = {0};
	struct cs_collator *en;

	(void)state;
	en = cs_collator_new("en", &err);
	assert_non_null(en);
	assert_true(cs_collator_cmpz(en, "apple", "Banana") < 0);
	cs_collator_free(en);
	cs_collator_free(NULL);
}

static void test_bad_locale(void **state)
{
	struct cs_error err = {0};
	char locale[300];

	(void)state;
	/* ICU refuses a locale name longer than any it knows. */
	memset(locale, 'v', sizeof(locale) - 1);
	locale[sizeof(locale) - 1] = '\0';
	assert_null(cs_collator_new(locale, &err));
	assert_int_equal(err.code, CS_EUNICODE);
	assert_memory_equal(err.msg, "cannot open the collation for 'vvv", 34);
	assert_non_null(strstr(err.msg, "U_ILLEGAL_ARGUMENT_ERROR"));
	assert_null(cs_collator_new(locale, NULL));
}

static void test_out_of_memory(void **state)
{
	struct cs_error err = {0};
	struct cs_collator *c;

	(void)state;
	cs_alloc_fail_after(0);
	c = cs_collator_new("vi", &err);
	cs_alloc_fail_after(-1);
	assert_null(c);
	assert_int_equal(err.code, CS_ENOMEM);
	assert_string_equal(err.msg, "out of memory");

	cs_alloc_fail_after(1);
	c = cs_collator_new("vi", &err);
	cs_alloc_fail_after(-1);
	assert_non_null(c);
	assert_true(cs_collator_cmpz(c, "Dung", "Đà") < 0);
	cs_collator_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vietnamese_order_pairwise, open_vi, close_vi),
		cmocka_unit_test_setup_teardown(test_brief_example, open_vi, close_vi),
		cmocka_unit_test_setup_teardown(test_differs_from_byte_order, open_vi, close_vi),
		cmocka_unit_test_setup_teardown(test_sort_shuffled, open_vi, close_vi),
		cmocka_unit_test_setup_teardown(test_tones, open_vi, close_vi),
		cmocka_unit_test_setup_teardown(test_case_and_normalisation, open_vi, close_vi),
		cmocka_unit_test_setup_teardown(test_lengths, open_vi, close_vi),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_still_total, open_vi, close_vi),
		cmocka_unit_test(test_other_locales),
		cmocka_unit_test(test_bad_locale),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
