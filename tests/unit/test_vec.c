/* Unit tests for the growable array (util/vec.h): growth, caps, sorting, overflow, no memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/alloc.h"
#include "util/vec.h"

#include "util/banned.h"

struct item {
	int64_t id;
	double score;
	char code[12];
};

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Score descending, then code ascending: how a ranking is ordered. */
static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->code, y->code);
}

static void test_init_release(void **state)
{
	struct cs_vec v;

	(void)state;
	cs_vec_init(&v, sizeof(int), 0);
	assert_null(v.data);
	assert_int_equal(v.len, 0);
	assert_int_equal(v.cap, 0);
	assert_int_equal(v.elem_size, sizeof(int));
	cs_vec_release(&v);
	cs_vec_release(&v);
	cs_vec_release(NULL);
}

static void test_push_many(void **state)
{
	struct cs_vec v;

	(void)state;
	cs_vec_init(&v, sizeof(int), 0);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(cs_vec_push(&v, &i, NULL), CS_OK);
		assert_int_equal(v.len, (size_t)i + 1);
		assert_true(v.cap >= v.len);
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal(*(int *)cs_vec_at(&v, (size_t)i), i);
	cs_vec_release(&v);
	assert_null(v.data);
	assert_int_equal(v.len, 0);
	/* Reusable after release, with the same element size. */
	assert_int_equal(cs_vec_push(&v, &(int){5}, NULL), CS_OK);
	assert_int_equal(*(int *)cs_vec_at(&v, 0), 5);
	cs_vec_release(&v);
}

static void test_push_structs(void **state)
{
	struct cs_vec v;
	struct item it = {7, 91.5, "CA-HN"};
	struct item *got;

	(void)state;
	cs_vec_init(&v, sizeof(struct item), 0);
	assert_int_equal(cs_vec_push(&v, &it, NULL), CS_OK);
	it.id = 8; /* the vector holds a copy */
	got = cs_vec_at(&v, 0);
	assert_int_equal(got->id, 7);
	assert_true(got->score == 91.5);
	assert_string_equal(got->code, "CA-HN");
	cs_vec_release(&v);
}

static void test_push_zero(void **state)
{
	struct cs_vec v;
	struct item *p;

	(void)state;
	cs_vec_init(&v, sizeof(struct item), 0);
	for (int i = 0; i < 20; i++) {
		p = cs_vec_push_zero(&v, NULL);
		assert_non_null(p);
		assert_ptr_equal(p, cs_vec_at(&v, (size_t)i));
		assert_int_equal(p->id, 0);
		assert_true(p->score == 0.0);
		assert_int_equal(p->code[0], '\0');
		p->id = i;
		memset(p->code, 'z', sizeof(p->code) - 1);
	}
	assert_int_equal(v.len, 20);
	/* Clearing keeps the storage; the next zeroed element is zeroed again. */
	cs_vec_clear(&v);
	assert_int_equal(v.len, 0);
	assert_true(v.cap >= 20);
	p = cs_vec_push_zero(&v, NULL);
	assert_int_equal(p->id, 0);
	assert_int_equal(p->code[0], '\0');
	cs_vec_release(&v);
}

static void test_reserve(void **state)
{
	struct cs_vec v;
	void *data;

	(void)state;
	cs_vec_init(&v, sizeof(int), 0);
	assert_int_equal(cs_vec_reserve(&v, 0, NULL), CS_OK);
	assert_null(v.data);
	assert_int_equal(cs_vec_reserve(&v, 100, NULL), CS_OK);
	assert_true(v.cap >= 100);
	assert_int_equal(v.len, 0);
	data = v.data;
	for (int i = 0; i < 100; i++)
		assert_int_equal(cs_vec_push(&v, &i, NULL), CS_OK);
	/* No reallocation inside the reserved room. */
	assert_ptr_equal(v.data, data);
	/* Reserving less than the capacity changes nothing. */
	assert_int_equal(cs_vec_reserve(&v, 10, NULL), CS_OK);
	assert_ptr_equal(v.data, data);
	assert_int_equal(v.len, 100);
	cs_vec_release(&v);
}

static void test_max(void **state)
{
	struct cs_vec v;
	struct cs_error err = {0};

	(void)state;
	cs_vec_init(&v, sizeof(int), 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(cs_vec_push(&v, &i, &err), CS_OK);
	assert_int_equal(v.cap, 3); /* never more than max */
	assert_int_equal(cs_vec_push(&v, &(int){3}, &err), CS_ETOOBIG);
	assert_int_equal(err.code, CS_ETOOBIG);
	assert_string_equal(err.msg, "more than 3 items");
	assert_int_equal(v.len, 3);
	assert_int_equal(*(int *)cs_vec_at(&v, 2), 2);
	cs_error_clear(&err);
	assert_null(cs_vec_push_zero(&v, &err));
	assert_int_equal(err.code, CS_ETOOBIG);
	assert_int_equal(cs_vec_reserve(&v, 4, &err), CS_ETOOBIG);
	assert_int_equal(cs_vec_reserve(&v, 3, &err), CS_OK);
	assert_int_equal(v.len, 3);
	cs_vec_release(&v);

	/* Reserving past max on an empty vector allocates nothing. */
	cs_vec_init(&v, sizeof(int), 1000);
	assert_int_equal(cs_vec_reserve(&v, 1001, &err), CS_ETOOBIG);
	assert_null(v.data);
	assert_int_equal(cs_vec_reserve(&v, 1000, &err), CS_OK);
	assert_int_equal(v.cap, 1000);
	cs_vec_release(&v);
}

static void test_sort(void **state)
{
	static const int in[] = {5, -3, 9, 0, 5, 2, -3, 100, 7};
	static const int want[] = {-3, -3, 0, 2, 5, 5, 7, 9, 100};
	struct cs_vec v;

	(void)state;
	cs_vec_init(&v, sizeof(int), 0);
	cs_vec_sort(&v, cmp_int); /* empty */
	assert_int_equal(cs_vec_push(&v, &in[0], NULL), CS_OK);
	cs_vec_sort(&v, cmp_int); /* one element */
	assert_int_equal(*(int *)cs_vec_at(&v, 0), 5);
	for (size_t i = 1; i < sizeof(in) / sizeof(in[0]); i++)
		assert_int_equal(cs_vec_push(&v, &in[i], NULL), CS_OK);
	cs_vec_sort(&v, cmp_int);
	assert_int_equal(v.len, sizeof(want) / sizeof(want[0]));
	assert_memory_equal(v.data, want, sizeof(want));
	cs_vec_release(&v);
}

static void test_sort_structs(void **state)
{
	static const struct item in[] = {
		{1, 80.5, "B"}, {2, 91.84, "C"}, {3, 80.5, "A"}, {4, 99.0, "D"}, {5, 91.84, "A"},
	};
	static const int64_t want[] = {4, 5, 2, 3, 1};
	struct cs_vec v;

	(void)state;
	cs_vec_init(&v, sizeof(struct item), 0);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(cs_vec_push(&v, &in[i], NULL), CS_OK);
	cs_vec_sort(&v, cmp_item);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(((struct item *)cs_vec_at(&v, i))->id, want[i]);
	cs_vec_release(&v);
}

static void test_huge_elements_overflow(void **state)
{
	struct cs_vec v;
	struct cs_error err = {0};

	(void)state;
	/* Eight elements (the first capacity) of this size overflow size_t, and
	 * one is larger than any object may be. */
	cs_vec_init(&v, SIZE_MAX / 2 + 1, 0);
	assert_int_equal(cs_vec_reserve(&v, 1, &err), CS_ETOOBIG);
	assert_int_equal(err.code, CS_ETOOBIG);
	assert_null(v.data);
	assert_int_equal(v.cap, 0);
	assert_int_equal(cs_vec_reserve(&v, 3, &err), CS_ETOOBIG);
	cs_error_clear(&err);
	assert_null(cs_vec_push_zero(&v, &err));
	assert_int_equal(err.code, CS_ETOOBIG);
	assert_int_equal(v.len, 0);
	cs_vec_release(&v);

	/* Ordinary elements, impossible counts. */
	cs_vec_init(&v, sizeof(int64_t), 0);
	assert_int_equal(cs_vec_push(&v, &(int64_t){1}, NULL), CS_OK);
	assert_int_equal(cs_vec_reserve(&v, SIZE_MAX, &err), CS_ETOOBIG);
	assert_int_equal(cs_vec_reserve(&v, SIZE_MAX / 4, &err), CS_ETOOBIG);
	assert_int_equal(cs_vec_reserve(&v, SIZE_MAX / 8 + 1, &err), CS_ETOOBIG);
	assert_int_equal(cs_vec_reserve(&v, (size_t)PTRDIFF_MAX / 8 + 1, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "1152921504606846976 items of 8 bytes do not fit in memory");
	assert_int_equal(v.len, 1);
	assert_int_equal(*(int64_t *)cs_vec_at(&v, 0), 1);
	cs_vec_release(&v);
}

/*
 * Out of memory: every growing call is run with budgets 0, 1, 2, ... until it
 * succeeds. A failing call returns CS_ENOMEM (NULL for push_zero) and leaves
 * the vector as it was.
 */
static void test_out_of_memory(void **state)
{
	(void)state;
	/* Prefill 0 (first allocation) and 8 (the first capacity is full). */
	for (int prefill = 0; prefill <= 8; prefill += 8) {
		for (int op = 0; op < 3; op++) {
			long budget;

			for (budget = 0;; budget++) {
				struct cs_vec v;
				struct cs_error err = {0};
				enum cs_err rc;
				size_t cap;
				void *data;

				cs_vec_init(&v, sizeof(int), 0);
				for (int i = 0; i < prefill; i++)
					assert_int_equal(cs_vec_push(&v, &i, NULL), CS_OK);
				cap = v.cap;
				data = v.data;
				cs_alloc_fail_after(budget);
				if (op == 0)
					rc = cs_vec_push(&v, &(int){42}, &err);
				else if (op == 1)
					rc = cs_vec_push_zero(&v, &err) ? CS_OK : err.code;
				else
					rc = cs_vec_reserve(&v, 1000, &err);
				cs_alloc_fail_after(-1);
				if (rc == CS_OK) {
					cs_vec_release(&v);
					break;
				}
				assert_int_equal(rc, CS_ENOMEM);
				assert_int_equal(err.code, CS_ENOMEM);
				assert_string_equal(err.msg, "out of memory");
				assert_int_equal(v.len, (size_t)prefill);
				assert_int_equal(v.cap, cap);
				assert_ptr_equal(v.data, data);
				for (int i = 0; i < prefill; i++)
					assert_int_equal(*(int *)cs_vec_at(&v, (size_t)i), i);
				/* Still usable. */
				assert_int_equal(cs_vec_push(&v, &(int){1}, NULL), CS_OK);
				cs_vec_release(&v);
				assert_true(budget < 10);
			}
			assert_int_equal(budget, 1); /* each needed exactly one allocation */
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_release),
		cmocka_unit_test(test_push_many),
		cmocka_unit_test(test_push_structs),
		cmocka_unit_test(test_push_zero),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_sort_structs),
		cmocka_unit_test(test_huge_elements_overflow),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
