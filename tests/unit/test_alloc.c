/* Unit tests for the allocator hook: cs_malloc and friends, custom and failing allocators. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/alloc.h"

#include "util/banned.h"

/* A recording allocator: counts calls, remembers the last size, and fills
 * fresh memory with 0xA5 so that zeroing is visible. */
struct recorder {
	int mallocs, reallocs, frees;
	size_t last_size;
};

static void *rec_malloc(void *ctx, size_t size)
{
	struct recorder *r = ctx;
	unsigned char *p = malloc(size);

	r->mallocs++;
	r->last_size = size;
	if (p)
		memset(p, 0xA5, size);
	return p;
}

static void *rec_realloc(void *ctx, void *ptr, size_t size)
{
	struct recorder *r = ctx;

	r->reallocs++;
	r->last_size = size;
	return realloc(ptr, size);
}

static void rec_free(void *ctx, void *ptr)
{
	struct recorder *r = ctx;

	r->frees++;
	free(ptr);
}

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	cs_set_allocator(NULL);
	return 0;
}

static void test_malloc_zero_is_usable(void **state)
{
	char *p = cs_malloc(0);

	(void)state;
	assert_non_null(p);
	p[0] = 'x'; /* one byte, as documented */
	cs_free(p);
}

static void test_calloc_zeroes_and_checks_overflow(void **state)
{
	struct recorder r = {0};
	struct cs_allocator a = {rec_malloc, rec_realloc, rec_free, &r};
	unsigned char *p;

	(void)state;
	cs_set_allocator(&a);
	p = cs_calloc(10, 7);
	assert_non_null(p);
	assert_int_equal(r.last_size, 70);
	for (size_t i = 0; i < 70; i++)
		assert_int_equal(p[i], 0);
	cs_free(p);

	p = cs_calloc(0, 8);
	assert_non_null(p);
	assert_int_equal(p[0], 0);
	cs_free(p);

	r.mallocs = 0;
	assert_null(cs_calloc(SIZE_MAX, 2));
	assert_null(cs_calloc(SIZE_MAX / 2 + 1, 2));
	assert_null(cs_calloc(2, SIZE_MAX / 2 + 1));
	/* Overflow is caught before the allocator is asked. */
	assert_int_equal(r.mallocs, 0);
	cs_set_allocator(NULL);
}

static void test_realloc_keeps_contents(void **state)
{
	char *p = cs_malloc(4);
	char *q;

	(void)state;
	assert_non_null(p);
	memcpy(p, "abc", 4);
	q = cs_realloc(p, 4096);
	assert_non_null(q);
	assert_string_equal(q, "abc");
	q = cs_realloc(q, 0); /* treated as 1, still a live block */
	assert_non_null(q);
	cs_free(q);

	q = cs_realloc(NULL, 16); /* NULL allocates */
	assert_non_null(q);
	cs_free(q);
}

static void test_reallocarray_overflow_leaves_ptr(void **state)
{
	int *p = cs_reallocarray(NULL, 4, sizeof(int));

	(void)state;
	assert_non_null(p);
	for (int i = 0; i < 4; i++)
		p[i] = i * 11;
	assert_null(cs_reallocarray(p, SIZE_MAX / 2, sizeof(int)));
	for (int i = 0; i < 4; i++)
		assert_int_equal(p[i], i * 11);
	p = cs_reallocarray(p, 100, sizeof(int));
	assert_non_null(p);
	assert_int_equal(p[3], 33);
	cs_free(p);
}

static void test_free_null(void **state)
{
	struct recorder r = {0};
	struct cs_allocator a = {rec_malloc, rec_realloc, rec_free, &r};

	(void)state;
	cs_set_allocator(&a);
	cs_free(NULL);
	assert_int_equal(r.frees, 0);
	cs_set_allocator(NULL);
}

static void test_strdup_strndup(void **state)
{
	char *p;

	(void)state;
	p = cs_strdup("Sở Nội vụ");
	assert_non_null(p);
	assert_string_equal(p, "Sở Nội vụ");
	cs_free(p);

	p = cs_strdup("");
	assert_non_null(p);
	assert_string_equal(p, "");
	cs_free(p);

	/* The source need not be terminated. */
	p = cs_strndup("abcdef", 3);
	assert_non_null(p);
	assert_string_equal(p, "abc");
	cs_free(p);

	p = cs_strndup("abc", 0);
	assert_non_null(p);
	assert_string_equal(p, "");
	cs_free(p);

	/* Bytes after an embedded NUL are copied too. */
	p = cs_strndup("a\0b", 3);
	assert_non_null(p);
	assert_memory_equal(p, "a\0b\0", 4);
	cs_free(p);

	assert_null(cs_strndup("x", SIZE_MAX));
}

static void test_custom_allocator_is_used(void **state)
{
	struct recorder r = {0};
	struct cs_allocator a = {rec_malloc, rec_realloc, rec_free, &r};
	char *p;

	(void)state;
	cs_set_allocator(&a);
	p = cs_malloc(0);
	assert_int_equal(r.mallocs, 1);
	assert_int_equal(r.last_size, 1); /* never 0 */
	p = cs_realloc(p, 0);
	assert_int_equal(r.reallocs, 1);
	assert_int_equal(r.last_size, 1);
	p = cs_reallocarray(p, 3, 5);
	assert_int_equal(r.reallocs, 2);
	assert_int_equal(r.last_size, 15);
	cs_free(p);
	assert_int_equal(r.frees, 1);
	p = cs_strdup("abc");
	assert_int_equal(r.mallocs, 2);
	assert_int_equal(r.last_size, 4);
	cs_free(p);
	assert_int_equal(r.frees, 2);

	/* NULL restores the C library's allocator. */
	cs_set_allocator(NULL);
	p = cs_malloc(8);
	assert_non_null(p);
	cs_free(p);
	assert_int_equal(r.mallocs, 2);
	assert_int_equal(r.frees, 2);
}

static void test_fail_after_zero(void **state)
{
	char *p = cs_malloc(8);
	char *q;

	(void)state;
	assert_non_null(p);
	memcpy(p, "keepme!", 8);
	cs_alloc_fail_after(0);
	assert_null(cs_malloc(1));
	assert_null(cs_calloc(1, 1));
	assert_null(cs_strdup("x"));
	assert_null(cs_strndup("xy", 1));
	q = cs_realloc(p, 1024);
	assert_null(q);
	assert_null(cs_reallocarray(p, 2, 512));
	/* A failed realloc leaves the block alone; freeing still works. */
	assert_string_equal(p, "keepme!");
	assert_int_equal(cs_alloc_fail_after(-1), 0);
	cs_free(p);
}

static void test_fail_after_budget_counts(void **state)
{
	void *a, *b, *c;

	(void)state;
	cs_alloc_fail_after(2);
	a = cs_malloc(10);
	b = cs_realloc(NULL, 10);
	c = cs_malloc(10);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(c);
	/* Failures keep failing; freeing does not refill the budget. */
	cs_free(a);
	assert_null(cs_malloc(1));
	assert_int_equal(cs_alloc_fail_after(-1), 2);

	/* Back to normal: nothing fails, nothing is counted. */
	c = cs_malloc(10);
	assert_non_null(c);
	cs_free(b);
	cs_free(c);
	assert_int_equal(cs_alloc_fail_after(-1), 0);
}

static void test_fail_after_reports_successes(void **state)
{
	void *p[5];

	(void)state;
	cs_alloc_fail_after(100);
	for (int i = 0; i < 5; i++) {
		p[i] = cs_malloc(4);
		assert_non_null(p[i]);
	}
	/* Re-arming returns the count so far and starts a new count. */
	assert_int_equal(cs_alloc_fail_after(100), 5);
	for (int i = 0; i < 5; i++)
		cs_free(p[i]);
	assert_int_equal(cs_alloc_fail_after(-1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_malloc_zero_is_usable, restore_allocator),
		cmocka_unit_test_teardown(test_calloc_zeroes_and_checks_overflow,
					  restore_allocator),
		cmocka_unit_test_teardown(test_realloc_keeps_contents, restore_allocator),
		cmocka_unit_test_teardown(test_reallocarray_overflow_leaves_ptr, restore_allocator),
		cmocka_unit_test_teardown(test_free_null, restore_allocator),
		cmocka_unit_test_teardown(test_strdup_strndup, restore_allocator),
		cmocka_unit_test_teardown(test_custom_allocator_is_used, restore_allocator),
		cmocka_unit_test_teardown(test_fail_after_zero, restore_allocator),
		cmocka_unit_test_teardown(test_fail_after_budget_counts, restore_allocator),
		cmocka_unit_test_teardown(test_fail_after_reports_successes, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
