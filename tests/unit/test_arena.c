/* Unit tests for the arena allocator (util/arena.h): alignment, large blocks, caps, failures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/alloc.h"
#include "util/arena.h"

#include "util/banned.h"

#define ALIGN alignof(max_align_t)

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	cs_set_allocator(NULL);
	return 0;
}

static void assert_aligned(const void *p)
{
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % ALIGN, 0);
}

static void test_init(void **state)
{
	struct cs_arena a;

	(void)state;
	cs_arena_init(&a, 0);
	assert_null(a.head);
	assert_int_equal(a.block_size, 64 * 1024);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.max, 0);
	cs_arena_release(&a);
	cs_arena_init(&a, 1000);
	assert_int_equal(a.block_size, 1000);
	cs_arena_release(&a);
	cs_arena_release(NULL);
}

static void test_every_allocation_aligned(void **state)
{
	size_t block_sizes[] = {0, 100, 1000, 4096};

	(void)state;
	for (size_t k = 0; k < sizeof(block_sizes) / sizeof(block_sizes[0]); k++) {
		struct cs_arena a;
		unsigned char *prev = NULL;
		size_t prev_size = 0;

		cs_arena_init(&a, block_sizes[k]);
		for (size_t size = 0; size < 300; size++) {
			unsigned char *p = cs_arena_alloc(&a, size);

			assert_aligned(p);
			/* Writable over the whole size (ASan checks the bounds). */
			memset(p, (int)(size & 0xFF), size);
			/* Does not overlap the previous allocation. */
			if (prev)
				assert_true(p >= prev + prev_size || p + size <= prev);
			prev = p;
			prev_size = size;
		}
		cs_arena_release(&a);
	}
}

static void test_allocations_keep_contents(void **state)
{
	struct cs_arena a;
	unsigned char *p[200];

	(void)state;
	cs_arena_init(&a, 256);
	for (size_t i = 0; i < 200; i++) {
		p[i] = cs_arena_alloc(&a, i % 50 + 1);
		assert_non_null(p[i]);
		memset(p[i], (int)i, i % 50 + 1);
	}
	/* Later allocations, in this or new blocks, overwrite nothing. */
	for (size_t i = 0; i < 200; i++)
		for (size_t j = 0; j < i % 50 + 1; j++)
			assert_int_equal(p[i][j], (unsigned char)i);
	cs_arena_release(&a);
}

static void test_zero_size(void **state)
{
	struct cs_arena a;
	void *p, *q;

	(void)state;
	cs_arena_init(&a, 0);
	p = cs_arena_alloc(&a, 0);
	q = cs_arena_alloc(&a, 0);
	assert_aligned(p);
	assert_aligned(q);
	assert_ptr_not_equal(p, q);
	cs_arena_release(&a);
}

static void test_used_counts_rounded_sizes(void **state)
{
	struct cs_arena a;

	(void)state;
	cs_arena_init(&a, 0);
	assert_non_null(cs_arena_alloc(&a, 1));
	assert_int_equal(a.used, ALIGN);
	assert_non_null(cs_arena_alloc(&a, ALIGN));
	assert_int_equal(a.used, 2 * ALIGN);
	assert_non_null(cs_arena_alloc(&a, ALIGN + 1));
	assert_int_equal(a.used, 4 * ALIGN);
	cs_arena_release(&a);
	assert_int_equal(a.used, 0);
	assert_null(a.head);
}

static void test_large_allocation(void **state)
{
	struct cs_arena a;
	unsigned char *p[4], *big, *small, *huge;

	(void)state;
	cs_arena_init(&a, 1024);
	/* A large request that still fits the current block is bumped there. */
	p[0] = cs_arena_alloc(&a, ALIGN);
	big = cs_arena_alloc(&a, 600);
	assert_ptr_equal(big, p[0] + ALIGN);
	cs_arena_release(&a);

	/* 4 x 208 of 1024 bytes used: 192 left in the block. */
	cs_arena_init(&a, 1024);
	for (int i = 0; i < 4; i++) {
		p[i] = cs_arena_alloc(&a, 200);
		assert_aligned(p[i]);
		memset(p[i], 0xAA, 200);
	}
	/* Over a quarter of a block and not fitting: a block of its own. */
	big = cs_arena_alloc(&a, 600);
	assert_aligned(big);
	memset(big, 0xBB, 600);
	assert_true(big + 600 <= p[0] || big >= p[3] + 208);
	/* The current block's free space is still used for small objects. */
	small = cs_arena_alloc(&a, ALIGN);
	assert_ptr_equal(small, p[3] + 208);
	/* Larger than a whole block. */
	huge = cs_arena_alloc(&a, 1 << 20);
	assert_aligned(huge);
	memset(huge, 0xCC, 1 << 20);
	small = cs_arena_alloc(&a, ALIGN);
	assert_ptr_equal(small, p[3] + 208 + ALIGN);
	for (size_t i = 0; i < 600; i++)
		assert_int_equal(big[i], 0xBB);
	for (size_t i = 0; i < 200; i++)
		assert_int_equal(p[3][i], 0xAA);
	assert_int_equal(a.used, 4 * 208 + 608 + ALIGN + (1 << 20) + ALIGN);
	cs_arena_release(&a);

	/* A large allocation into an empty arena. */
	cs_arena_init(&a, 1024);
	big = cs_arena_alloc(&a, 5000);
	assert_aligned(big);
	memset(big, 1, 5000);
	small = cs_arena_alloc(&a, 8);
	assert_aligned(small);
	cs_arena_release(&a);
}

static void test_impossible_sizes(void **state)
{
	struct cs_arena a;

	(void)state;
	cs_arena_init(&a, 0);
	assert_non_null(cs_arena_alloc(&a, 10));
	/* Rounding or the block header would overflow size_t: refused before
	 * any allocator is asked. */
	assert_null(cs_arena_alloc(&a, SIZE_MAX));
	assert_null(cs_arena_alloc(&a, SIZE_MAX - ALIGN + 2));
	assert_null(cs_arena_alloc(&a, SIZE_MAX - 100));
	/* Sizes no object may have never reach the allocator (which would
	 * abort under AddressSanitizer). */
	assert_null(cs_arena_alloc(&a, SIZE_MAX / 2));
	assert_null(cs_arena_alloc(&a, (size_t)PTRDIFF_MAX - ALIGN + 1));
	assert_null(cs_arena_calloc(&a, 2, (size_t)PTRDIFF_MAX / 2));
	assert_null(cs_arena_strndup(&a, "x", SIZE_MAX / 2));
	assert_int_equal(a.used, ALIGN);
	assert_non_null(cs_arena_alloc(&a, 10));
	cs_arena_release(&a);
}

static void test_cap(void **state)
{
	struct cs_arena a;

	(void)state;
	cs_arena_init(&a, 0);
	cs_arena_set_max(&a, 4 * ALIGN);
	assert_non_null(cs_arena_alloc(&a, 2 * ALIGN));
	assert_non_null(cs_arena_alloc(&a, ALIGN));
	assert_null(cs_arena_alloc(&a, 2 * ALIGN)); /* would make 5 */
	assert_int_equal(a.used, 3 * ALIGN);
	assert_non_null(cs_arena_alloc(&a, 1)); /* exactly the cap */
	assert_int_equal(a.used, 4 * ALIGN);
	assert_null(cs_arena_alloc(&a, 1));
	assert_null(cs_arena_alloc(&a, 0));
	assert_null(cs_arena_calloc(&a, 1, 1));
	assert_null(cs_arena_strndup(&a, "", 0));
	assert_int_equal(a.used, 4 * ALIGN);
	/* Release empties the arena; the cap stays. */
	cs_arena_release(&a);
	assert_int_equal(a.max, 4 * ALIGN);
	assert_non_null(cs_arena_alloc(&a, 4 * ALIGN));
	assert_null(cs_arena_alloc(&a, 1));
	/* 0 lifts the cap. */
	cs_arena_set_max(&a, 0);
	assert_non_null(cs_arena_alloc(&a, 100000));
	cs_arena_release(&a);
}

/* An allocator whose fresh memory is dirty, so that zeroing is visible. */
static void *dirty_malloc(void *ctx, size_t size)
{
	unsigned char *p = malloc(size);

	(void)ctx;
	if (p)
		memset(p, 0xA5, size);
	return p;
}

static void *plain_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	return realloc(ptr, size);
}

static void plain_free(void *ctx, void *ptr)
{
	(void)ctx;
	free(ptr);
}

static void test_arena_calloc(void **state)
{
	static const struct cs_allocator dirty = {dirty_malloc, plain_realloc, plain_free, NULL};
	struct cs_arena a;
	unsigned char *p;
	size_t used;

	(void)state;
	cs_set_allocator(&dirty);
	cs_arena_init(&a, 0);
	p = cs_arena_calloc(&a, 37, 3);
	assert_aligned(p);
	for (size_t i = 0; i < 111; i++)
		assert_int_equal(p[i], 0);
	p = cs_arena_calloc(&a, 1000, 100); /* its own block */
	assert_aligned(p);
	for (size_t i = 0; i < 100000; i++)
		assert_int_equal(p[i], 0);
	assert_non_null(cs_arena_calloc(&a, 0, 8));

	used = a.used;
	assert_null(cs_arena_calloc(&a, SIZE_MAX, 2));
	assert_null(cs_arena_calloc(&a, 2, SIZE_MAX / 2 + 1));
	assert_null(cs_arena_calloc(&a, (size_t)1 << 33, (size_t)1 << 33));
	assert_int_equal(a.used, used);
	cs_arena_release(&a);
	cs_set_allocator(NULL);
}

static void test_strndup(void **state)
{
	struct cs_arena a;
	char *p;

	(void)state;
	cs_arena_init(&a, 0);
	p = cs_arena_strndup(&a, "Bà Rịa - Vũng Tàu, more", strlen("Bà Rịa - Vũng Tàu"));
	assert_aligned(p);
	assert_string_equal(p, "Bà Rịa - Vũng Tàu");
	p = cs_arena_strndup(&a, NULL, 0);
	assert_non_null(p);
	assert_string_equal(p, "");
	p = cs_arena_strdup_str(&a, cs_str_make("abcdef", 2));
	assert_string_equal(p, "ab");
	p = cs_arena_strdup_str(&a, CS_STR(""));
	assert_string_equal(p, "");
	assert_null(cs_arena_strndup(&a, "x", SIZE_MAX));
	cs_arena_release(&a);
}

/*
 * Out of memory: with budgets 0, 1, 2, ... each allocation either succeeds or
 * returns NULL leaving the arena as it was; everything is freed by release.
 */
static void test_out_of_memory(void **state)
{
	/* With 4 x 208 bytes used of a 1024-byte block: 1 fits in the block, 256
	 * needs a new ordinary block, 300 and up get blocks of their own. */
	size_t sizes[] = {1, 256, 300, 5000, 70000};

	(void)state;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		long budget;

		for (budget = 0;; budget++) {
			struct cs_arena a;
			struct cs_arena_block *head;
			size_t used;
			char *p;

			cs_arena_init(&a, 1024);
			for (int i = 0; i < 4; i++)
				assert_non_null(cs_arena_alloc(&a, 200));
			head = a.head;
			used = a.used;
			cs_alloc_fail_after(budget);
			p = cs_arena_alloc(&a, sizes[k]);
			cs_alloc_fail_after(-1);
			if (p) {
				memset(p, 7, sizes[k]);
				cs_arena_release(&a);
				break;
			}
			assert_ptr_equal(a.head, head);
			assert_int_equal(a.used, used);
			/* Still usable. */
			assert_non_null(cs_arena_alloc(&a, sizes[k]));
			cs_arena_release(&a);
			assert_true(budget < 10);
		}
		/* Only the allocation that fits the current block needs no memory. */
		assert_int_equal(budget, sizes[k] == 1 ? 0 : 1);
	}
}

static void test_out_of_memory_first_block(void **state)
{
	struct cs_arena a;

	(void)state;
	cs_arena_init(&a, 0);
	cs_alloc_fail_after(0);
	assert_null(cs_arena_alloc(&a, 8));
	assert_null(cs_arena_strndup(&a, "abc", 3));
	assert_null(cs_arena_calloc(&a, 2, 2));
	assert_null(cs_arena_strdup_str(&a, CS_STR("abc")));
	cs_alloc_fail_after(-1);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	assert_string_equal(cs_arena_strndup(&a, "abc", 3), "abc");
	cs_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_every_allocation_aligned),
		cmocka_unit_test(test_allocations_keep_contents),
		cmocka_unit_test(test_zero_size),
		cmocka_unit_test(test_used_counts_rounded_sizes),
		cmocka_unit_test(test_large_allocation),
		cmocka_unit_test(test_impossible_sizes),
		cmocka_unit_test(test_cap),
		cmocka_unit_test_teardown(test_arena_calloc, restore_allocator),
		cmocka_unit_test(test_strndup),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
		cmocka_unit_test_teardown(test_out_of_memory_first_block, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
