/* Unit tests for the framework (core/framework.h, METHODOLOGY M2.1, M2.2, M2.5): building, validation errors one by one and collected, tree resolution, bands, applies_to, out of memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/framework.h"
#include "util/alloc.h"
#include "util/vec.h"

#include "util/banned.h"

#define assert_near(a, b, eps)                                              \
	do {                                                                \
		double a_ = (a), b_ = (b);                                  \
		if (!(fabs(a_ - b_) <= (eps)))                              \
			fail_msg("%s = %.17g, expected %.17g", #a, a_, b_); \
	} while (0)

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static struct cs_framework *new_fw(void)
{
	struct cs_fw_info info = {"par-test", "Khung thử", "QĐ 1/QĐ-X", "2024"};
	struct cs_framework *fw = cs_framework_new(&info, NULL);

	assert_non_null(fw);
	return fw;
}

static size_t add_p(struct cs_framework *fw, const char *code, const char *parent, double max,
		    const char *source, const char *rule, const struct cs_rule_param *params,
		    size_t nparams)
{
	struct cs_fw_node_spec s = {code, parent, code,	   max,	 source,
				    rule, params, nparams, NULL, 0};
	struct cs_error err = {0};
	size_t index = CS_FW_NONE;

	if (cs_framework_add_node(fw, &s, &index, &err))
		fail_msg("add %s: %s", code, err.msg);
	return index;
}

static size_t add(struct cs_framework *fw, const char *code, const char *parent, double max,
		  const char *source, const char *rule)
{
	return add_p(fw, code, parent, max, source, rule, NULL, 0);
}

static void band(struct cs_framework *fw, const char *code, double lo, double hi)
{
	struct cs_fw_band b = {code, code, code, lo, hi};

	assert_int_equal(cs_framework_add_band(fw, &b, NULL), CS_OK);
}

/*
 * A small sound framework: two areas (6 + 4 points), a bonus leaf (cap 2)
 * and a penalty group (cap 3) of two penalty leaves, bands A/B/C/D.
 */
static struct cs_framework *sample(void)
{
	struct cs_framework *fw = new_fw();
	struct cs_rule_param t[] = {{"t", "0.8"}};

	add(fw, "A", NULL, 6, NULL, NULL);
	add(fw, "A.1", "A", NAN, NULL, NULL);
	add(fw, "A.1.a", "A.1", 1.5, "self", "manual");
	add(fw, "A.1.b", "A.1", 2.5, "self", "manual");
	add(fw, "A.2", "A", 2, "self", "yesno");
	add(fw, "B", NULL, NAN, NULL, NULL);
	add_p(fw, "B.1", "B", 4, "data", "threshold", t, 1);
	add(fw, "BON", NULL, 2, "bonus", "manual");
	add(fw, "PEN", NULL, 3, "penalty", NULL);
	add(fw, "PEN.1", "PEN", 2, "penalty", "manual");
	add(fw, "PEN.2", "PEN", 2, "penalty", "manual");
	band(fw, "D", 0, 70);
	band(fw, "A", 90, 100);
	band(fw, "C", 70, 80);
	band(fw, "B", 80, 90);
	return fw;
}

static void expect_error(struct cs_framework *fw, const char *msg)
{
	struct cs_error err = {0};

	assert_int_equal(cs_framework_validate(fw, &err), CS_EINVAL);
	assert_int_equal(err.code, CS_EINVAL);
	assert_string_equal(err.msg, msg);
	assert_false(cs_framework_is_valid(fw));
	assert_null(cs_framework_order(fw));
	cs_framework_free(fw);
}

static void test_valid_tree(void **state)
{
	struct cs_framework *fw = sample();
	struct cs_error err = {0};
	const struct cs_fw_node *n;
	const size_t *order;
	size_t i;
	size_t want[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

	(void)state;
	if (cs_framework_validate(fw, &err))
		fail_msg("%s", err.msg);
	assert_true(cs_framework_is_valid(fw));
	assert_string_equal(cs_framework_info(fw)->decision, "QĐ 1/QĐ-X");
	assert_int_equal(cs_framework_node_count(fw), 11);
	assert_near(cs_framework_total_max(fw), 10, 0);

	assert_true(cs_framework_find(fw, "A.1", &i));
	n = cs_framework_node(fw, i);
	assert_int_equal(i, 1);
	assert_false(n->max_declared);
	assert_near(n->max, 4, 0); /* the sum of 1.5 and 2.5 */
	assert_int_equal(n->parent, 0);
	assert_int_equal(n->first_child, 2);
	assert_int_equal(n->nchildren, 2);
	assert_int_equal(n->depth, 1);
	assert_int_equal(cs_framework_node(fw, 2)->next_sibling, 3);
	assert_int_equal(cs_framework_node(fw, 3)->next_sibling, CS_FW_NONE);
	assert_int_equal(cs_framework_node(fw, 3)->depth, 2);
	assert_near(cs_framework_node(fw, 5)->max, 4, 0);
	assert_true(cs_fw_node_is_leaf(cs_framework_node(fw, 6)));
	assert_near(cs_framework_node(fw, 6)->rule_params->t, 0.8, 0);
	assert_true(cs_framework_node(fw, 2)->rule_params->step == 0.25);
	assert_true(cs_fw_node_is_adjustment(cs_framework_node(fw, 8)));
	assert_false(cs_fw_node_is_leaf(cs_framework_node(fw, 8)));
	assert_false(cs_framework_find(fw, "Z", &i));
	assert_false(cs_framework_find(fw, NULL, &i));
	assert_true(cs_framework_find(fw, "PEN.2", NULL));

	order = cs_framework_order(fw);
	assert_non_null(order);
	for (size_t k = 0; k < 11; k++)
		assert_int_equal(order[k], want[k]);

	/* A change invalidates. */
	add(fw, "C", NULL, 1, "self", "manual");
	assert_false(cs_framework_is_valid(fw));
	assert_null(cs_framework_order(fw));
	assert_true(cs_framework_find(fw, "C", &i));
	assert_int_equal(i, 11);
	assert_int_equal(cs_framework_validate(fw, &err), CS_OK);
	assert_near(cs_framework_total_max(fw), 11, 0);
	cs_framework_free(fw);
	cs_framework_free(NULL);
}

static void test_children_any_order(void **state)
{
	struct cs_framework *fw = new_fw();
	const size_t *order;

	(void)state;
	/* Children before their parent: the parent is looked up by validation. */
	add(fw, "A.2", "A", 1, "self", "manual");
	add(fw, "B", NULL, 1, "self", "manual");
	add(fw, "A.1", "A", 1, "self", "manual");
	add(fw, "A", NULL, 2, NULL, NULL);
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	order = cs_framework_order(fw);
	/* Top-level nodes in insertion order, each followed by its subtree. */
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 0);
	assert_int_equal(order[3], 2);
	cs_framework_free(fw);
}

static void test_error_unknown_parent(void **state)
{
	struct cs_framework *fw = sample();

	(void)state;
	add(fw, "B.2", "B9", 1, "self", "manual");
	expect_error(fw, "node 'B.2': unknown parent 'B9'");
}

static void test_error_duplicate(void **state)
{
	struct cs_framework *fw = sample();

	(void)state;
	add(fw, "A.2", "B", 1, "self", "manual");
	expect_error(fw, "node 'A.2': duplicate code (node #5 has it too)");
}

static void test_error_empty_code(void **state)
{
	struct cs_framework *fw = sample();

	(void)state;
	add(fw, "", "B", 1, "self", "manual");
	expect_error(fw, "node #12: empty code");
}

static void test_error_sum(void **state)
{
	struct cs_framework *fw = sample();

	(void)state;
	add(fw, "B.2", "B", 0.5, "self", "manual");
	/* B declares no maximum: it becomes 4.5 and the top total follows. */
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	assert_near(cs_framework_total_max(fw), 10.5, 0);
	cs_framework_free(fw);

	fw = sample();
	add(fw, "A.3", "A", 0.5, "self", "manual");
	expect_error(fw, "node 'A': maximum 6 disagrees with the sum of its children 6.5");
}

static void test_sum_tolerance(void **state)
{
	struct cs_framework *fw = new_fw();

	(void)state;
	/* 0.1 + 0.2 is 0.30000000000000004: within 1e-9 of 0.3. */
	add(fw, "A", NULL, 0.3, NULL, NULL);
	add_p(fw, "A.1", "A", 0.1, "self", "manual", (struct cs_rule_param[]){{"step", "0.05"}}, 1);
	add_p(fw, "A.2", "A", 0.2, "self", "manual", (struct cs_rule_param[]){{"step", "0.05"}}, 1);
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	cs_framework_free(fw);

	fw = new_fw();
	add(fw, "A", NULL, 0.3 + 2e-9, NULL, NULL);
	add(fw, "A.1", "A", 0.3, "self", "ratio");
	expect_error(fw,
		     "node 'A': maximum 0.300000002 disagrees with the sum of its children 0.3");
}

static void test_error_negative_max(void **state)
{
	struct cs_framework *fw = sample();

	(void)state;
	add(fw, "B.2", "B", -1, "self", "manual");
	expect_error(fw, "node 'B.2': negative maximum -1 (expected a number of 0 or more)");
	fw = sample();
	add(fw, "B.2", "B", INFINITY, "self", "manual");
	expect_error(fw, "node 'B.2': maximum inf is not a finite number");
}

static void test_error_leaf_max(void **state)
{
	struct cs_framework *fw = sample();

	(void)state;
	add(fw, "B.2", "B", 0, "self", "manual");
	expect_error(fw, "node 'B.2': leaf maximum must be positive, found 0");
	fw = sample();
	add(fw, "B.2", "B", NAN, "self", "manual");
	expect_error(fw, "node 'B.2': leaf has no maximum");
}

static void test_error_source(void **state)
{
	struct cs_framework *fw = sample();

	(void)state;
	add(fw, "B.2", "B", 1, "sipas", "linear");
	expect_error(fw, "node 'B.2': unknown source 'sipas' (expected self, survey, data, bonus "
			 "or penalty)");
	fw = sample();
	add(fw, "B.2", "B", 1, NULL, "manual");
	expect_error(fw, "node 'B.2': leaf has no source (expected self, survey, data, bonus or "
			 "penalty)");
	fw = sample();
	add(fw, "C", NULL, NAN, "self", NULL);
	add(fw, "C.1", "C", 1, "self", "manual");
	expect_error(fw, "node 'C': has children, so its source must be empty, bonus or penalty "
			 "(found 'self')");
}

static void test_error_rule(void **state)
{
	struct cs_framework *fw = sample();
	struct cs_rule_param bad[] = {{"t", "1.5"}};

	(void)state;
	add(fw, "B.2", "B", 1, "self", "percent");
	expect_error(fw, "node 'B.2': unknown rule 'percent' (expected manual, yesno, ratio, "
			 "threshold, steps or linear)");
	fw = sample();
	add(fw, "B.2", "B", 1, "self", NULL);
	expect_error(fw, "node 'B.2': leaf has no rule (expected manual, yesno, ratio, threshold, "
			 "steps or linear)");
	fw = sample();
	add(fw, "B.2", "B", 1, "survey", "linear");
	expect_error(fw, "node 'B.2': rule 'linear' needs parameter 'lo'");
	fw = sample();
	add_p(fw, "B.2", "B", 1, "data", "threshold", bad, 1);
	expect_error(fw, "node 'B.2': parameter 't': expected a rate in (0, 1], found 1.5");
	fw = sample();
	add(fw, "B.2", "B", 0.1, "self", "manual");
	expect_error(fw, "node 'B.2': maximum 0.1 is not a multiple of step 0.25 (set parameter "
			 "'step')");
	fw = sample();
	add(fw, "C", NULL, NAN, NULL, "manual");
	add(fw, "C.1", "C", 1, "self", "manual");
	expect_error(fw, "node 'C': has children, so it takes no rule (found 'manual')");
}

static void test_error_bonus_penalty(void **state)
{
	struct cs_framework *fw = sample();

	(void)state;
	add(fw, "BON2", NULL, 0, "bonus", "manual");
	expect_error(fw, "node 'BON2': a bonus node needs a cap: a positive maximum, found 0");
	fw = sample();
	add(fw, "A.9", "A", 1, "bonus", "manual");
	expect_error(fw, "node 'A.9': a bonus node must be at the top level or inside a bonus "
			 "group (parent 'A' is not)");
	fw = sample();
	add(fw, "PEN.3", "PEN", 1, "bonus", "manual");
	expect_error(fw, "node 'PEN.3': a bonus node must be at the top level or inside a bonus "
			 "group (parent 'PEN' is not)");
	fw = sample();
	add(fw, "PEN.3", "PEN", 1, "self", "manual");
	expect_error(fw, "node 'PEN': a penalty group may hold only penalty nodes, found 'PEN.3'");
	fw = sample();
	add(fw, "BG", NULL, NAN, "bonus", NULL);
	add(fw, "BG.1", "BG", 1, "bonus", "manual");
	expect_error(fw, "node 'BG': a bonus group needs a cap: a positive maximum");
}

static void test_error_cycle_and_depth(void **state)
{
	struct cs_framework *fw = sample();
	char code[16], parent[16];

	(void)state;
	add(fw, "X", "Y", NAN, NULL, NULL);
	add(fw, "Y", "X", NAN, NULL, NULL);
	expect_error(fw, "node 'X': is its own ancestor (its parent chain loops)");
	fw = sample();
	add(fw, "S", "S", 1, "self", "manual");
	expect_error(fw, "node 'S': is its own ancestor (its parent chain loops)");

	fw = new_fw();
	add(fw, "L0", NULL, NAN, NULL, NULL);
	for (int d = 1; d <= CS_FW_DEPTH_MAX; d++) {
		snprintf(code, sizeof(code), "L%d", d);
		snprintf(parent, sizeof(parent), "L%d", d - 1);
		add(fw, code, parent, d == CS_FW_DEPTH_MAX ? 1 : NAN,
		    d == CS_FW_DEPTH_MAX ? "self" : NULL, d == CS_FW_DEPTH_MAX ? "manual" : NULL);
	}
	expect_error(fw, "node 'L8': deeper than 8 levels");
}

static void test_error_applies(void **state)
{
	struct cs_framework *fw = sample();
	struct cs_fw_applies bad_flag[] = {{CS_APPLIES_FLAG, 0, "a;b"}};
	struct cs_fw_applies bad_level[] = {{CS_APPLIES_LEVEL, CS_LEVEL_COUNT_, NULL}};
	struct cs_fw_node_spec s = {"B.2", "B", "", 1, "self", "manual", NULL, 0, bad_flag, 1};

	(void)state;
	assert_int_equal(cs_framework_add_node(fw, &s, NULL, NULL), CS_OK);
	expect_error(fw, "node 'B.2': applies_to flag 'a;b' is not a flag name (expected a "
			 "non-empty name without ';')");
	fw = sample();
	s.applies = bad_level;
	assert_int_equal(cs_framework_add_node(fw, &s, NULL, NULL), CS_OK);
	expect_error(fw, "node 'B.2': applies_to item 1 has an unknown level 6");
}

static void test_error_bands(void **state)
{
	struct cs_framework *fw = new_fw();

	(void)state;
	add(fw, "A", NULL, 1, "self", "manual");
	band(fw, "A", 90, 100);
	band(fw, "B", 80, 90);
	band(fw, "C", 0, 70);
	expect_error(fw, "bands: gap between band 'C' (up to 70) and band 'B' (from 80)");

	fw = new_fw();
	add(fw, "A", NULL, 1, "self", "manual");
	band(fw, "A", 90, 100);
	band(fw, "B", 0, 90.5);
	expect_error(fw, "bands: band 'B' [0, 90.5) overlaps band 'A' [90, 100)");

	fw = new_fw();
	add(fw, "A", NULL, 1, "self", "manual");
	band(fw, "A", 90, 100);
	band(fw, "B", 10, 90);
	expect_error(fw, "bands: the lowest band 'B' starts at 10 (expected 0)");

	fw = new_fw();
	add(fw, "A", NULL, 1, "self", "manual");
	band(fw, "A", 50, 95);
	band(fw, "B", 0, 50);
	expect_error(fw, "bands: the highest band 'A' ends at 95 (expected 100)");

	fw = new_fw();
	add(fw, "A", NULL, 1, "self", "manual");
	band(fw, "A", 50, 50);
	expect_error(fw, "band 'A': lower bound 50 is not below upper bound 50");

	fw = new_fw();
	add(fw, "A", NULL, 1, "self", "manual");
	band(fw, "A", 50, 100);
	band(fw, "A", 0, 50);
	expect_error(fw, "band 'A': duplicate code");

	fw = new_fw();
	add(fw, "A", NULL, 1, "self", "manual");
	band(fw, "", 0, 100);
	expect_error(fw, "band #1: empty code");
}

static void test_error_options(void **state)
{
	struct cs_framework *fw = sample();
	struct cs_fw_options o = cs_fw_options_default();

	(void)state;
	assert_int_equal(cs_framework_add_tiebreak(fw, "A.9", false, NULL), CS_OK);
	expect_error(fw, "ranking tie-breaker 'A.9': unknown node");

	fw = sample();
	o.rounding.decimals = 12;
	cs_framework_set_options(fw, &o);
	expect_error(fw, "options: rounding to 12 decimals (expected 0 to 9)");

	fw = sample();
	o = cs_fw_options_default();
	o.rank_method = CS_RANK_METHOD_COUNT_;
	cs_framework_set_options(fw, &o);
	expect_error(fw, "options: unknown ranking method 2 (expected competition or dense)");

	fw = sample();
	assert_int_equal(cs_framework_set_unranked_flag(fw, "x;y", NULL), CS_OK);
	expect_error(fw, "options: unranked flag 'x;y' is not a flag name (expected a non-empty "
			 "name without ';')");
}

static void test_error_framework(void **state)
{
	struct cs_framework *fw = cs_framework_new(NULL, NULL);

	(void)state;
	assert_non_null(fw);
	assert_string_equal(cs_framework_info(fw)->title, "");
	expect_error(fw, "framework: empty code");
	fw = new_fw();
	expect_error(fw, "framework: no nodes");
	fw = new_fw();
	add(fw, "BON", NULL, 2, "bonus", "manual");
	expect_error(fw, "framework: no scored nodes (every top-level node is a bonus or penalty, "
			 "or has maximum 0)");
}

static void test_validate_all(void **state)
{
	struct cs_framework *fw = sample();
	struct cs_vec errors;
	struct cs_error err = {0};
	const char *want[] = {
		"node 'A.2': duplicate code (node #5 has it too)",
		"node 'X': negative maximum -2 (expected a number of 0 or more)",
		"node 'X': unknown parent 'Q'",
		"node 'Y': unknown source 'sipas' (expected self, survey, data, bonus or penalty)",
		"bands: band 'A' [90, 100) overlaps band 'E' [95, 100)",
		"ranking tie-breaker 'NOPE': unknown node",
	};

	(void)state;
	add(fw, "A.2", "B", 1, "self", "manual");
	add(fw, "X", "Q", -2, "self", "manual");
	add(fw, "Y", "B", 1, "sipas", "manual");
	band(fw, "E", 95, 100);
	assert_int_equal(cs_framework_add_tiebreak(fw, "NOPE", false, NULL), CS_OK);
	cs_vec_init(&errors, sizeof(struct cs_error), 0);
	assert_int_equal(cs_framework_validate_all(fw, &errors, &err), CS_EINVAL);
	assert_string_equal(err.msg, want[0]);
	assert_int_equal(errors.len, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(((struct cs_error *)cs_vec_at(&errors, i))->msg, want[i]);
	assert_false(cs_framework_is_valid(fw));

	/* A capped vec stops collecting, the result stays CS_EINVAL. */
	cs_vec_release(&errors);
	cs_vec_init(&errors, sizeof(struct cs_error), 2);
	assert_int_equal(cs_framework_validate_all(fw, &errors, &err), CS_EINVAL);
	assert_int_equal(errors.len, 2);
	cs_vec_release(&errors);
	cs_framework_free(fw);

	/* Tree checks run once the structure is sound. */
	fw = sample();
	add(fw, "A.3", "A", 1, "self", "manual");
	add(fw, "B.2", "B", 1, "self", "percent");
	cs_vec_init(&errors, sizeof(struct cs_error), 0);
	assert_int_equal(cs_framework_validate_all(fw, &errors, &err), CS_EINVAL);
	assert_int_equal(errors.len, 2);
	assert_string_equal(((struct cs_error *)cs_vec_at(&errors, 0))->msg,
			    "node 'A': maximum 6 disagrees with the sum of its children 7");
	assert_string_equal(((struct cs_error *)cs_vec_at(&errors, 1))->msg,
			    "node 'B.2': unknown rule 'percent' (expected manual, yesno, ratio, "
			    "threshold, steps or linear)");
	cs_vec_release(&errors);

	/* No problem: CS_OK and nothing collected. */
	cs_framework_free(fw);
	fw = sample();
	cs_vec_init(&errors, sizeof(struct cs_error), 0);
	assert_int_equal(cs_framework_validate_all(fw, &errors, &err), CS_OK);
	assert_int_equal(errors.len, 0);
	assert_true(cs_framework_is_valid(fw));
	cs_vec_release(&errors);
	cs_framework_free(fw);
}

static void test_band_for(void **state)
{
	struct cs_framework *fw = sample();

	(void)state;
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	/* Insertion order: D, A, C, B. */
	assert_string_equal(cs_framework_band(fw, cs_framework_band_for(fw, 90.0))->code, "A");
	assert_string_equal(cs_framework_band(fw, cs_framework_band_for(fw, 100.0))->code, "A");
	assert_string_equal(cs_framework_band(fw, cs_framework_band_for(fw, 89.99))->code, "B");
	assert_string_equal(cs_framework_band(fw, cs_framework_band_for(fw, 80.0))->code, "B");
	assert_string_equal(cs_framework_band(fw, cs_framework_band_for(fw, 79.99))->code, "C");
	assert_string_equal(cs_framework_band(fw, cs_framework_band_for(fw, 70.0))->code, "C");
	assert_string_equal(cs_framework_band(fw, cs_framework_band_for(fw, 0.0))->code, "D");
	assert_string_equal(cs_framework_band(fw, cs_framework_band_for(fw, 69.999))->code, "D");
	/* Representation error at a bound does not drop a band. */
	assert_string_equal(
		cs_framework_band(fw, cs_framework_band_for(fw, 89.99999999999999))->code, "A");
	assert_int_equal(cs_framework_band_for(fw, 100.01), CS_FW_NONE);
	assert_int_equal(cs_framework_band_for(fw, -0.01), CS_FW_NONE);
	assert_int_equal(cs_framework_band_for(fw, NAN), CS_FW_NONE);
	assert_int_equal(cs_framework_band_count(fw), 4);
	cs_framework_free(fw);

	fw = new_fw();
	add(fw, "A", NULL, 1, "self", "manual");
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	assert_int_equal(cs_framework_band_for(fw, 50), CS_FW_NONE);
	cs_framework_free(fw);
}

static void test_applies(void **state)
{
	struct cs_fw_applies items[] = {
		{CS_APPLIES_LEVEL, CS_LEVEL_DISTRICT, NULL},
		{CS_APPLIES_LEVEL, CS_LEVEL_COMMUNE, NULL},
		{CS_APPLIES_FLAG, 0, "tthc"},
		{CS_APPLIES_NOT_FLAG, 0, "new"},
	};
	struct cs_fw_node node = {.applies = items, .napplies = 4};
	struct cs_fw_node all = {.napplies = 0};

	(void)state;
	assert_true(cs_fw_node_applies(&node, CS_LEVEL_COMMUNE, "tthc"));
	assert_true(cs_fw_node_applies(&node, CS_LEVEL_DISTRICT, "x;tthc;y"));
	assert_false(cs_fw_node_applies(&node, CS_LEVEL_PROVINCE, "tthc"));
	assert_false(cs_fw_node_applies(&node, CS_LEVEL_COMMUNE, NULL));
	assert_false(cs_fw_node_applies(&node, CS_LEVEL_COMMUNE, "tthc2"));
	assert_false(cs_fw_node_applies(&node, CS_LEVEL_COMMUNE, "tthc;new"));
	assert_true(cs_fw_node_applies(&all, CS_LEVEL_PROVINCE, NULL));
	node.napplies = 1; /* district only */
	assert_true(cs_fw_node_applies(&node, CS_LEVEL_DISTRICT, NULL));
	assert_false(cs_fw_node_applies(&node, CS_LEVEL_COMMUNE, NULL));
}

static void test_names(void **state)
{
	enum cs_fw_source s;
	enum cs_na_policy p;
	enum cs_rank_scope sc;
	struct cs_fw_options o = cs_fw_options_default();

	(void)state;
	assert_string_equal(cs_fw_source_name(CS_SOURCE_PENALTY), "penalty");
	assert_null(cs_fw_source_name(CS_SOURCE_NONE));
	assert_null(cs_fw_source_name(CS_SOURCE_UNKNOWN));
	assert_true(cs_fw_source_parse(CS_STR("Survey"), &s));
	assert_int_equal(s, CS_SOURCE_SURVEY);
	assert_false(cs_fw_source_parse(CS_STR("none"), &s));
	assert_string_equal(cs_na_policy_name(CS_NA_ZERO), "zero");
	assert_true(cs_na_policy_parse(CS_STR("exclude"), &p));
	assert_int_equal(p, CS_NA_EXCLUDE);
	assert_false(cs_na_policy_parse(CS_STR("drop"), &p));
	assert_string_equal(cs_rank_scope_name(CS_RANK_SCOPE_PARENT), "parent");
	assert_true(cs_rank_scope_parse(CS_STR("level"), &sc));
	assert_int_equal(sc, CS_RANK_SCOPE_LEVEL);
	assert_null(cs_rank_scope_name(CS_RANK_SCOPE_COUNT_));
	assert_int_equal(o.rounding.mode, CS_ROUND_HALF_AWAY);
	assert_int_equal(o.rounding.decimals, 2);
	assert_int_equal(o.rank_method, CS_RANK_COMPETITION);
	assert_false(o.full_precision);
	assert_int_equal(o.na_policy, CS_NA_EXCLUDE);
}

static void test_options_and_tiebreaks(void **state)
{
	struct cs_framework *fw = sample();
	struct cs_fw_options o = cs_fw_options_default();

	(void)state;
	assert_string_equal(cs_framework_unranked_flag(fw), "unranked");
	assert_int_equal(cs_framework_set_unranked_flag(fw, "", NULL), CS_OK);
	assert_null(cs_framework_unranked_flag(fw));
	assert_int_equal(cs_framework_set_unranked_flag(fw, "khong_xh", NULL), CS_OK);
	assert_string_equal(cs_framework_unranked_flag(fw), "khong_xh");
	o.rounding.mode = CS_ROUND_TRUNCATE;
	o.rank_method = CS_RANK_DENSE;
	cs_framework_set_options(fw, &o);
	assert_int_equal(cs_framework_options(fw)->rounding.mode, CS_ROUND_TRUNCATE);
	assert_int_equal(cs_framework_add_tiebreak(fw, "A.1", false, NULL), CS_OK);
	assert_int_equal(cs_framework_add_tiebreak(fw, "PEN", true, NULL), CS_OK);
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	assert_int_equal(cs_framework_tiebreak_count(fw), 2);
	assert_int_equal(cs_framework_tiebreak(fw, 0)->index, 1);
	assert_int_equal(cs_framework_tiebreak(fw, 1)->index, 8);
	assert_true(cs_framework_tiebreak(fw, 1)->ascending);
	cs_framework_free(fw);
}

static void test_limits(void **state)
{
	struct cs_framework *fw = new_fw();
	struct cs_rule_param params[CS_FW_PARAMS_MAX + 1];
	struct cs_fw_node_spec s = {
		"A", NULL, "", 1, "self", "manual", params, CS_FW_PARAMS_MAX + 1, NULL, 0};
	struct cs_error err = {0};

	(void)state;
	for (size_t i = 0; i <= CS_FW_PARAMS_MAX; i++)
		params[i] = (struct cs_rule_param){"k", "v"};
	assert_int_equal(cs_framework_add_node(fw, &s, NULL, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "node 'A': 17 rule parameters (at most 16)");
	assert_int_equal(cs_framework_node_count(fw), 0);
	for (int i = 0; i < CS_FW_BANDS_MAX; i++)
		band(fw, "b", 0, 1);
	assert_int_equal(cs_framework_add_band(fw, &(struct cs_fw_band){"x", "", "", 0, 1}, &err),
			 CS_ETOOBIG);
	cs_framework_free(fw);
}

/* Builds and validates the sample with n allocations allowed. */
static enum cs_err build_sample_with_budget(long n, struct cs_framework **out)
{
	struct cs_fw_info info = {"par-test", "t", "d", "v"};
	struct cs_framework *fw;
	struct cs_rule_param t[] = {{"t", "0.8"}};
	struct cs_fw_applies ap[] = {{CS_APPLIES_FLAG, 0, "tthc"}};
	struct cs_fw_node_spec specs[] = {
		{"A", NULL, "Area", 2, NULL, NULL, NULL, 0, NULL, 0},
		{"A.1", "A", "x", 1, "self", "manual", NULL, 0, ap, 1},
		{"A.2", "A", "y", 1, "data", "threshold", t, 1, NULL, 0},
	};
	struct cs_fw_band b = {"A", "Tốt", "Good", 0, 100};
	enum cs_err rc = CS_OK;

	cs_alloc_fail_after(n);
	fw = cs_framework_new(&info, NULL);
	if (!fw) {
		rc = CS_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < 3 && !rc; i++)
		rc = cs_framework_add_node(fw, &specs[i], NULL, NULL);
	if (!rc)
		rc = cs_framework_add_band(fw, &b, NULL);
	if (!rc)
		rc = cs_framework_add_tiebreak(fw, "A.1", false, NULL);
	if (!rc)
		rc = cs_framework_validate(fw, NULL);
done:
	cs_alloc_fail_after(-1);
	*out = fw;
	return rc;
}

static void test_out_of_memory(void **state)
{
	struct cs_framework *fw = NULL;
	long n;
	enum cs_err rc;

	(void)state;
	for (n = 0; n < 1000; n++) {
		rc = build_sample_with_budget(n, &fw);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		cs_framework_free(fw);
		fw = NULL;
	}
	assert_true(n > 3);
	assert_true(cs_framework_is_valid(fw));
	cs_framework_free(fw);
}

static void test_validate_all_out_of_memory(void **state)
{
	struct cs_framework *fw = sample();
	struct cs_vec errors;
	struct cs_error err = {0};
	long n;
	enum cs_err rc = CS_OK;

	(void)state;
	add(fw, "X", "Q", 1, "self", "manual");
	add(fw, "Y", "Q", 1, "self", "manual");
	for (n = 0; n < 100; n++) {
		cs_vec_init(&errors, sizeof(struct cs_error), 0);
		cs_alloc_fail_after(n);
		rc = cs_framework_validate_all(fw, &errors, &err);
		cs_alloc_fail_after(-1);
		cs_vec_release(&errors);
		if (rc != CS_ENOMEM)
			break;
	}
	assert_true(n > 0);
	assert_int_equal(rc, CS_EINVAL);
	cs_framework_free(fw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_tree),
		cmocka_unit_test(test_children_any_order),
		cmocka_unit_test(test_error_unknown_parent),
		cmocka_unit_test(test_error_duplicate),
		cmocka_unit_test(test_error_empty_code),
		cmocka_unit_test(test_error_sum),
		cmocka_unit_test(test_sum_tolerance),
		cmocka_unit_test(test_error_negative_max),
		cmocka_unit_test(test_error_leaf_max),
		cmocka_unit_test(test_error_source),
		cmocka_unit_test(test_error_rule),
		cmocka_unit_test(test_error_bonus_penalty),
		cmocka_unit_test(test_error_cycle_and_depth),
		cmocka_unit_test(test_error_applies),
		cmocka_unit_test(test_error_bands),
		cmocka_unit_test(test_error_options),
		cmocka_unit_test(test_error_framework),
		cmocka_unit_test(test_validate_all),
		cmocka_unit_test(test_band_for),
		cmocka_unit_test(test_applies),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_options_and_tiebreaks),
		cmocka_unit_test(test_limits),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
		cmocka_unit_test_teardown(test_validate_all_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
