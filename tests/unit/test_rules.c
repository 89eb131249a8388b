/* Unit tests for the scoring rules (core/rules.h, METHODOLOGY M2.3): every rule at its boundaries, out-of-range values, and parameter errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/rules.h"

#include "util/banned.h"

#define EPS 1e-12

/* cmocka's assert_float_equal works in float; PAR figures need double. */
#define assert_near(a, b, eps)                                              \
	do {                                                                \
		double a_ = (a), b_ = (b);                                  \
		if (!(fabs(a_ - b_) <= (eps)))                              \
			fail_msg("%s = %.17g, expected %.17g", #a, a_, b_); \
	} while (0)

/* Compiles rule name with params for a leaf of maximum max; asserts success. */
static struct cs_rule_params compile_ok(const char *name, const struct cs_rule_param *params,
					size_t n, double max)
{
	const struct cs_rule *r = cs_rule_find(name);
	struct cs_rule_params p;
	struct cs_error err = {0};

	assert_non_null(r);
	if (cs_rule_compile(r, params, n, max, &p, &err) != CS_OK)
		fail_msg("compile %s: %s", name, err.msg);
	return p;
}

/* Points for value, asserting success. */
static double score(const char *name, const struct cs_rule_params *p, double max, double value)
{
	struct cs_error err = {0};
	double points = -1;

	if (cs_rule_score(cs_rule_find(name), p, max, value, &points, &err) != CS_OK)
		fail_msg("score %s(%g): %s", name, value, err.msg);
	return points;
}

/* Asserts value is rejected with a message containing needle; points untouched. */
static void score_fails(const char *name, const struct cs_rule_params *p, double max, double value,
			const char *needle)
{
	struct cs_error err = {0};
	double points = -7;

	assert_int_equal(cs_rule_score(cs_rule_find(name), p, max, value, &points, &err),
			 CS_EINVAL);
	assert_int_equal(err.code, CS_EINVAL);
	if (!strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
	assert_true(points == -7);
}

static void compile_fails(const char *name, const struct cs_rule_param *params, size_t n,
			  double max, const char *needle)
{
	struct cs_rule_params p;
	struct cs_error err = {0};

	assert_int_equal(cs_rule_compile(cs_rule_find(name), params, n, max, &p, &err), CS_EINVAL);
	if (!strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
}

static void test_table(void **state)
{
	const char *names[] = {"manual", "yesno", "ratio", "threshold", "steps", "linear"};

	(void)state;
	assert_int_equal(cs_rule_count(), 6);
	for (size_t i = 0; i < 6; i++) {
		assert_non_null(cs_rule_find(names[i]));
		assert_string_equal(cs_rule_at(i)->name, names[i]);
		assert_non_null(cs_rule_at(i)->summary);
	}
	assert_null(cs_rule_at(6));
	assert_null(cs_rule_find("Manual"));
	assert_null(cs_rule_find("percent"));
	assert_null(cs_rule_find(NULL));
}

static void test_manual(void **state)
{
	struct cs_rule_params p = compile_ok("manual", NULL, 0, 1.5);
	struct cs_rule_param step10[] = {{"step", "0.1"}};

	(void)state;
	assert_true(p.step == 0.25);
	assert_near(score("manual", &p, 1.5, 0), 0, EPS);
	assert_near(score("manual", &p, 1.5, 0.25), 0.25, EPS);
	assert_near(score("manual", &p, 1.5, 1.25), 1.25, EPS);
	assert_near(score("manual", &p, 1.5, 1.5), 1.5, EPS);
	/* Within 1e-9 of a step and of the ends is on them. */
	assert_near(score("manual", &p, 1.5, 0.75 + 1e-10), 0.75, 1e-9);
	assert_near(score("manual", &p, 1.5, 1.5 + 1e-10), 1.5, EPS);
	assert_near(score("manual", &p, 1.5, -1e-10), 0, EPS);
	score_fails("manual", &p, 1.5, 0.3, "is not a multiple of step 0.25");
	score_fails("manual", &p, 1.5, 0.25 + 1e-6, "is not a multiple of step 0.25");
	score_fails("manual", &p, 1.5, 1.75, "is not a score in [0, 1.5]");
	score_fails("manual", &p, 1.5, -0.25, "is not a score in [0, 1.5]");
	score_fails("manual", &p, 1.5, NAN, "not a finite number");
	score_fails("manual", &p, 1.5, INFINITY, "not a finite number");

	p = compile_ok("manual", step10, 1, 0.3);
	assert_near(score("manual", &p, 0.3, 0.1 + 0.2), 0.3, 1e-9);
	assert_near(score("manual", &p, 0.3, 0.2), 0.2, EPS);
	score_fails("manual", &p, 0.3, 0.15, "multiple of step 0.1");
}

static void test_manual_params(void **state)
{
	struct cs_rule_param zero[] = {{"step", "0"}};
	struct cs_rule_param neg[] = {{"step", "-0.5"}};
	struct cs_rule_param text[] = {{"step", "quarter"}};
	struct cs_rule_param unknown[] = {{"stride", "0.5"}};
	struct cs_rule_param twice[] = {{"step", "0.5"}, {"step", "0.25"}};

	(void)state;
	compile_fails("manual", NULL, 0, 0.3, "maximum 0.3 is not a multiple of step 0.25");
	compile_fails("manual", zero, 1, 1,
		      "parameter 'step': expected a positive number, found 0");
	compile_fails("manual", neg, 1, 1, "expected a positive number, found -0.5");
	compile_fails("manual", text, 1, 1, "parameter 'step': expected a number, found 'quarter'");
	compile_fails("manual", unknown, 1, 1,
		      "unknown parameter 'stride' (rule 'manual' takes step)");
	compile_fails("manual", twice, 2, 1, "parameter 'step' given twice");
}

static void test_yesno(void **state)
{
	struct cs_rule_params p = compile_ok("yesno", NULL, 0, 2);
	struct cs_rule_param extra[] = {{"t", "0.5"}};

	(void)state;
	assert_near(score("yesno", &p, 2, 1), 2, EPS);
	assert_near(score("yesno", &p, 2, 0), 0, EPS);
	score_fails("yesno", &p, 2, 0.5, "is not 0 (no) or 1 (yes)");
	score_fails("yesno", &p, 2, 2, "is not 0 (no) or 1 (yes)");
	score_fails("yesno", &p, 2, -1, "is not 0 (no) or 1 (yes)");
	score_fails("yesno", &p, 2, NAN, "not a finite number");
	compile_fails("yesno", extra, 1, 2,
		      "unknown parameter 't' (rule 'yesno' takes no parameters)");
}

static void test_ratio(void **state)
{
	struct cs_rule_params p = compile_ok("ratio", NULL, 0, 2);

	(void)state;
	assert_near(score("ratio", &p, 2, 0), 0, EPS);
	assert_near(score("ratio", &p, 2, 1), 2, EPS);
	assert_near(score("ratio", &p, 2, 0.5), 1, EPS);
	assert_near(score("ratio", &p, 2, 0.123), 0.246, EPS);
	/* Representation slack at the ends, clamped. */
	assert_near(score("ratio", &p, 2, 1 + 1e-12), 2, EPS);
	assert_near(score("ratio", &p, 2, -1e-12), 0, EPS);
	score_fails("ratio", &p, 2, 1.0000001, "is not a rate in [0, 1]");
	score_fails("ratio", &p, 2, -0.0000001, "is not a rate in [0, 1]");
	score_fails("ratio", &p, 2, 80, "value 80 is not a rate in [0, 1]");
	score_fails("ratio", &p, 2, -INFINITY, "not a finite number");
}

static void test_threshold(void **state)
{
	struct cs_rule_param t80[] = {{"t", "0.8"}};
	struct cs_rule_params p = compile_ok("threshold", t80, 1, 3);

	(void)state;
	assert_near(p.t, 0.8, EPS);
	/* QĐ 766: at or above t full points, below it proportional. */
	assert_near(score("threshold", &p, 3, 0.8), 3, EPS);
	assert_near(score("threshold", &p, 3, 0.7999999999999999), 3, EPS);
	assert_near(score("threshold", &p, 3, 0.79), 3 * 0.79 / 0.8, EPS);
	assert_near(score("threshold", &p, 3, 0.8 - 1e-6), 3 * (0.8 - 1e-6) / 0.8, EPS);
	assert_true(score("threshold", &p, 3, 0.8 - 1e-6) < 3);
	assert_near(score("threshold", &p, 3, 0.4), 1.5, EPS);
	assert_near(score("threshold", &p, 3, 0.95), 3, EPS);
	assert_near(score("threshold", &p, 3, 1), 3, EPS);
	assert_near(score("threshold", &p, 3, 0), 0, EPS);
	score_fails("threshold", &p, 3, 1.2, "is not a rate in [0, 1]");
	score_fails("threshold", &p, 3, -0.1, "is not a rate in [0, 1]");
}

static void test_threshold_params(void **state)
{
	struct cs_rule_param zero[] = {{"t", "0"}};
	struct cs_rule_param big[] = {{"t", "80"}};
	struct cs_rule_param one[] = {{"t", "1"}};
	struct cs_rule_param comma[] = {{"t", "0,8"}};
	struct cs_rule_params p;

	(void)state;
	compile_fails("threshold", NULL, 0, 1, "rule 'threshold' needs parameter 't'");
	compile_fails("threshold", zero, 1, 1, "parameter 't': expected a rate in (0, 1], found 0");
	compile_fails("threshold", big, 1, 1, "expected a rate in (0, 1], found 80");
	compile_fails("threshold", comma, 1, 1, "parameter 't': expected a number, found '0,8'");
	p = compile_ok("threshold", one, 1, 1);
	assert_near(score("threshold", &p, 1, 1), 1, EPS);
	assert_near(score("threshold", &p, 1, 0.5), 0.5, EPS);
}

static void test_steps(void **state)
{
	struct cs_rule_param params[] = {{"bounds", "1, 0.8"}, {"points", "1,0.5"}};
	struct cs_rule_params p = compile_ok("steps", params, 2, 2);

	(void)state;
	assert_int_equal(p.nsteps, 2);
	/* 100% -> max, 80..<100% -> max/2, below 80% -> 0 (M2.3). */
	assert_near(score("steps", &p, 2, 1), 2, EPS);
	assert_near(score("steps", &p, 2, 1 - 1e-12), 2, EPS);
	assert_near(score("steps", &p, 2, 0.99), 1, EPS);
	assert_near(score("steps", &p, 2, 0.8), 1, EPS);
	assert_near(score("steps", &p, 2, 0.7999999999999999), 1, EPS);
	assert_near(score("steps", &p, 2, 0.79), 0, EPS);
	assert_near(score("steps", &p, 2, 0), 0, EPS);
	assert_near(score("steps", &p, 2, -5), 0, EPS);
	assert_near(score("steps", &p, 2, 7), 2, EPS);
	score_fails("steps", &p, 2, NAN, "not a finite number");
}

static void test_steps_params(void **state)
{
	struct cs_rule_param uneven[] = {{"bounds", "1,0.8,0.5"}, {"points", "1,0.5"}};
	struct cs_rule_param ascending[] = {{"bounds", "0.8,1"}, {"points", "0.5,1"}};
	struct cs_rule_param equal[] = {{"bounds", "0.8,0.8"}, {"points", "1,0.5"}};
	struct cs_rule_param share[] = {{"bounds", "1,0.8"}, {"points", "2,1"}};
	struct cs_rule_param empty_item[] = {{"bounds", "1,,0.8"}, {"points", "1,0.5,0"}};
	struct cs_rule_param empty[] = {{"bounds", ""}, {"points", "1"}};
	struct cs_rule_param only_bounds[] = {{"bounds", "1"}};
	char many[200] = "";
	struct cs_rule_param too_many[] = {{"bounds", many}, {"points", many}};
	size_t len = 0;

	(void)state;
	compile_fails("steps", uneven, 2, 1, "3 bounds but 2 points");
	compile_fails("steps", ascending, 2, 1,
		      "parameter 'bounds': 1 after 0.8 (expected strictly descending");
	compile_fails("steps", equal, 2, 1, "0.8 after 0.8");
	compile_fails("steps", share, 2, 1,
		      "parameter 'points': 2 is not a share of max in [0, 1]");
	compile_fails("steps", empty_item, 2, 1, "parameter 'bounds': item 2 '' is not a number");
	compile_fails("steps", empty, 2, 1, "parameter 'bounds': expected comma-separated numbers");
	compile_fails("steps", only_bounds, 1, 1, "rule 'steps' needs parameter 'points'");
	for (int i = 0; i < CS_RULE_STEPS_MAX + 1; i++) {
		many[len++] = '1';
		many[len++] = ',';
	}
	many[len - 1] = '\0';
	compile_fails("steps", too_many, 2, 1, "parameter 'bounds': more than 32 items");
}

static void test_linear(void **state)
{
	struct cs_rule_param params[] = {{"lo", "50"}, {"hi", "100"}};
	struct cs_rule_params p = compile_ok("linear", params, 2, 4);
	struct cs_rule_param same[] = {{"lo", "50"}, {"hi", "50"}};
	struct cs_rule_param reversed[] = {{"lo", "90"}, {"hi", "10"}};
	struct cs_rule_param missing[] = {{"lo", "50"}};

	(void)state;
	assert_near(score("linear", &p, 4, 50), 0, EPS);
	assert_near(score("linear", &p, 4, 100), 4, EPS);
	assert_near(score("linear", &p, 4, 75), 2, EPS);
	assert_near(score("linear", &p, 4, 87.5), 3, EPS);
	/* Clamped outside [lo, hi]. */
	assert_near(score("linear", &p, 4, 30), 0, EPS);
	assert_near(score("linear", &p, 4, 0), 0, EPS);
	assert_near(score("linear", &p, 4, 120), 4, EPS);
	assert_near(score("linear", &p, 4, 50.5), 0.04, EPS);
	score_fails("linear", &p, 4, NAN, "not a finite number");
	compile_fails("linear", same, 2, 4, "lo 50 is not below hi 50");
	compile_fails("linear", reversed, 2, 4, "lo 90 is not below hi 10");
	compile_fails("linear", missing, 1, 4, "rule 'linear' needs parameter 'hi'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_manual),
		cmocka_unit_test(test_manual_params),
		cmocka_unit_test(test_yesno),
		cmocka_unit_test(test_ratio),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_threshold_params),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_steps_params),
		cmocka_unit_test(test_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
