/* Unit tests for ranking (core/rank.h, METHODOLOGY M2.6): competition and dense ties, tie-breakers, units not ranked, order, out of memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/rank.h"
#include "util/alloc.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static void rank_ok(const struct cs_rank_input *in, size_t *rank, size_t *of, size_t *order)
{
	struct cs_error err = {0};

	if (cs_rank_compute(in, rank, of, order, &err) != CS_OK)
		fail_msg("rank: %s", err.msg);
}

static void assert_ranks(const size_t *got, const size_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("item %zu: rank %zu, expected %zu", i, got[i], want[i]);
}

static void test_competition(void **state)
{
	double keys[] = {80.5, 91.84, 85.0, 85.0, 70.0};
	struct cs_rank_input in = {5, 1, keys, NULL, NULL, CS_RANK_COMPETITION};
	size_t rank[5], order[5], of = 0;

	(void)state;
	rank_ok(&in, rank, &of, order);
	assert_ranks(rank, (size_t[]){4, 1, 2, 2, 5}, 5);
	assert_int_equal(of, 5);
	/* Best first; tied items in input order. */
	assert_ranks(order, (size_t[]){1, 2, 3, 0, 4}, 5);
}

static void test_dense(void **state)
{
	double keys[] = {80.5, 91.84, 85.0, 85.0, 70.0};
	struct cs_rank_input in = {5, 1, keys, NULL, NULL, CS_RANK_DENSE};
	size_t rank[5], of = 0;

	(void)state;
	rank_ok(&in, rank, &of, NULL);
	assert_ranks(rank, (size_t[]){3, 1, 2, 2, 4}, 5);
	assert_int_equal(of, 5);
}

static void test_all_tied(void **state)
{
	double keys[] = {50, 50, 50};
	struct cs_rank_input in = {3, 1, keys, NULL, NULL, CS_RANK_COMPETITION};
	size_t rank[3], of = 0;

	(void)state;
	rank_ok(&in, rank, &of, NULL);
	assert_ranks(rank, (size_t[]){1, 1, 1}, 3);
	in.method = CS_RANK_DENSE;
	rank_ok(&in, rank, &of, NULL);
	assert_ranks(rank, (size_t[]){1, 1, 1}, 3);
}

static void test_tiebreakers(void **state)
{
	/* Index, then appraisal points (higher better), then penalty (lower better). */
	double keys[] = {
		90, 40, 1, /* 0 */
		90, 45, 2, /* 1 */
		90, 45, 0, /* 2 */
		95, 10, 5, /* 3 */
		90, 40, 1, /* 4: equal to 0 in every key */
	};
	bool ascending[] = {false, false, true};
	struct cs_rank_input in = {5, 3, keys, ascending, NULL, CS_RANK_COMPETITION};
	size_t rank[5], order[5], of = 0;

	(void)state;
	rank_ok(&in, rank, &of, order);
	assert_ranks(rank, (size_t[]){4, 3, 2, 1, 4}, 5);
	assert_ranks(order, (size_t[]){3, 2, 1, 0, 4}, 5);
	in.method = CS_RANK_DENSE;
	rank_ok(&in, rank, &of, NULL);
	assert_ranks(rank, (size_t[]){4, 3, 2, 1, 4}, 5);
	/* Without the third key, 1 and 2 tie. */
	in.nkeys = 2;
	in.keys = (double[]){90, 40, 90, 45, 90, 45, 95, 10, 90, 40};
	in.method = CS_RANK_COMPETITION;
	rank_ok(&in, rank, &of, NULL);
	assert_ranks(rank, (size_t[]){4, 2, 2, 1, 4}, 5);
}

static void test_not_ranked(void **state)
{
	double keys[] = {99, 80, NAN, 85, 80};
	bool eligible[] = {false, true, false, true, true};
	struct cs_rank_input in = {5, 1, keys, NULL, eligible, CS_RANK_COMPETITION};
	size_t rank[5], order[5], of = 0;

	(void)state;
	/* Ineligible items may have no value (NaN) and get 0. */
	rank_ok(&in, rank, &of, order);
	assert_ranks(rank, (size_t[]){0, 2, 0, 1, 2}, 5);
	assert_int_equal(of, 3);
	assert_ranks(order, (size_t[]){3, 1, 4, 0, 2}, 5);
}

static void test_edges(void **state)
{
	struct cs_rank_input in = {0, 1, NULL, NULL, NULL, CS_RANK_COMPETITION};
	double nan_key[] = {1, NAN};
	size_t rank[2], of = 9;
	struct cs_error err = {0};

	(void)state;
	rank_ok(&in, rank, &of, NULL);
	assert_int_equal(of, 0);
	in = (struct cs_rank_input){2, 1, nan_key, NULL, NULL, CS_RANK_COMPETITION};
	assert_int_equal(cs_rank_compute(&in, rank, &of, NULL, &err), CS_EINVAL);
	assert_string_equal(err.msg, "ranking: item 1 has no value for key 0");
	in.nkeys = 0;
	assert_int_equal(cs_rank_compute(&in, rank, &of, NULL, &err), CS_EINVAL);
	assert_string_equal(err.msg, "ranking needs at least one key");
	/* Negative zero equals zero: a tie. */
	in = (struct cs_rank_input){2, 1, (double[]){0.0, -0.0}, NULL, NULL, CS_RANK_COMPETITION};
	rank_ok(&in, rank, &of, NULL);
	assert_ranks(rank, (size_t[]){1, 1}, 2);
}

static void test_names(void **state)
{
	enum cs_rank_method m;

	(void)state;
	assert_string_equal(cs_rank_method_name(CS_RANK_COMPETITION), "competition");
	assert_string_equal(cs_rank_method_name(CS_RANK_DENSE), "dense");
	assert_null(cs_rank_method_name(CS_RANK_METHOD_COUNT_));
	assert_true(cs_rank_method_parse(CS_STR("Dense"), &m));
	assert_int_equal(m, CS_RANK_DENSE);
	assert_true(cs_rank_method_parse(CS_STR("competition"), &m));
	assert_int_equal(m, CS_RANK_COMPETITION);
	assert_false(cs_rank_method_parse(CS_STR("olympic"), &m));
}

static void test_out_of_memory(void **state)
{
	double keys[] = {3, 1, 2};
	struct cs_rank_input in = {3, 1, keys, NULL, NULL, CS_RANK_COMPETITION};
	size_t rank[3], of;
	struct cs_error err = {0};

	(void)state;
	cs_alloc_fail_after(0);
	assert_int_equal(cs_rank_compute(&in, rank, &of, NULL, &err), CS_ENOMEM);
	cs_alloc_fail_after(1);
	assert_int_equal(cs_rank_compute(&in, rank, &of, NULL, &err), CS_OK);
	cs_alloc_fail_after(-1);
	assert_ranks(rank, (size_t[]){1, 3, 2}, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_competition),
		cmocka_unit_test(test_dense),
		cmocka_unit_test(test_all_tied),
		cmocka_unit_test(test_tiebreakers),
		cmocka_unit_test(test_not_ranked),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_names),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
