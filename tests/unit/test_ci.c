/*
 * Unit tests for the confidence intervals (core/ci.h): hand-checkable values,
 * every row of tests/reference/ci_expected.csv (R's prop.test and binom.test),
 * quantiles against R's qt, edge cases and the method table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "core/ci.h"

#include "util/banned.h"

#define TOL 1e-9

static void assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.17g, want %.17g (tolerance %g)", got, want, tol);
}

static void test_wilson_hand(void **state)
{
	struct cs_ci ci;

	(void)state;
	/* prop.test(8, 10, correct = FALSE)$conf.int */
	assert_int_equal(cs_ci_wilson(8, 10, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_OK);
	assert_near(ci.lo, 0.49016247153664183, 1e-12);
	assert_near(ci.hi, 0.94331784854562473, 1e-12);
	/* The score interval is the set of P with |p - P| <= z sqrt(P(1-P)/n). */
	for (int i = 0; i < 2; i++) {
		double P = i ? ci.hi : ci.lo;
		double z = 1.9599639845400536;

		assert_near(fabs(0.8 - P), z * sqrt(P * (1 - P) / 10), 1e-12);
	}
	/* All or nothing: the interval reaches the bound exactly. */
	assert_int_equal(cs_ci_wilson(0, 10, 0.05, &ci, NULL), CS_OK);
	assert_true(ci.lo == 0);
	assert_near(ci.hi, 0.27753279986288915, 1e-9);
	assert_int_equal(cs_ci_wilson(10, 10, 0.05, &ci, NULL), CS_OK);
	assert_true(ci.hi == 1);
	assert_near(ci.lo, 1 - 0.27753279986288915, 1e-9);
}

static void test_clopper_pearson_hand(void **state)
{
	struct cs_ci ci;

	(void)state;
	/* binom.test(8, 10)$conf.int */
	assert_int_equal(cs_ci_clopper_pearson(8, 10, 0.05, &ci, NULL), CS_OK);
	assert_near(ci.lo, 0.44390453769235860, 1e-10);
	assert_near(ci.hi, 0.97478927367316659, 1e-10);
	/* 0 of n: the upper limit solves (1 - p)^n = alpha / 2. */
	assert_int_equal(cs_ci_clopper_pearson(0, 20, 0.05, &ci, NULL), CS_OK);
	assert_true(ci.lo == 0);
	assert_near(ci.hi, 1 - pow(0.025, 1.0 / 20), 1e-12);
	assert_int_equal(cs_ci_clopper_pearson(20, 20, 0.05, &ci, NULL), CS_OK);
	assert_true(ci.hi == 1);
	assert_near(ci.lo, pow(0.025, 1.0 / 20), 1e-12);
	/* Clopper-Pearson is wider than Wilson. */
	{
		struct cs_ci w;

		assert_int_equal(cs_ci_wilson(8, 10, 0.05, &w, NULL), CS_OK);
		assert_int_equal(cs_ci_clopper_pearson(8, 10, 0.05, &ci, NULL), CS_OK);
		assert_true(ci.lo < w.lo && ci.hi > w.hi);
	}
}

/*
 * The limits solve the binomial tail equations P(X >= s | p_lo) = alpha / 2 and
 * P(X <= s | p_hi) = alpha / 2 over a wide range of n, including inputs on
 * which GSL's own beta inverse gives up. The check loses precision when a
 * limit is within 1e-9 of 1 (the binomial tail is evaluated at the rounded
 * limit), hence the relative tolerance of 1e-6.
 */
static void test_clopper_pearson_stress(void **state)
{
	static const double ns[] = {1, 2, 5, 13, 100, 999, 20000, 100000, 1e6};
	static const double alphas[] = {0.2, 0.1, 0.05, 0.01, 0.001};

	(void)state;
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		double n = ns[i];
		double ss[] = {0, 1, 2, floor(n / 3), floor(n / 2), n - 2, n - 1, n};

		for (size_t j = 0; j < sizeof(ss) / sizeof(ss[0]); j++) {
			double s = ss[j];

			if (s < 0 || s > n)
				continue;
			for (size_t k = 0; k < sizeof(alphas) / sizeof(alphas[0]); k++) {
				double a = alphas[k];
				struct cs_ci ci;

				assert_int_equal(cs_ci_clopper_pearson(s, n, a, &ci, NULL), CS_OK);
				assert_true(ci.lo >= 0 && ci.lo < ci.hi && ci.hi <= 1);
				assert_true(ci.lo <= s / n && ci.hi >= s / n);
				if (s > 0)
					assert_near(gsl_cdf_binomial_Q((unsigned)s - 1, ci.lo,
								       (unsigned)n) /
							    (a / 2),
						    1, 1e-6);
				if (s < n)
					assert_near(gsl_cdf_binomial_P((unsigned)s, ci.hi,
								       (unsigned)n) /
							    (a / 2),
						    1, 1e-6);
			}
		}
	}
}

/* Splits line at commas into at most max fields (in place); returns the count. */
static size_t split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static double num(const char *s)
{
	char *end;
	double v;

	if (strcmp(s, "NA") == 0 || *s == '\0')
		return NAN;
	v = strtod(s, &end);
	if (*end)
		fail_msg("not a number in the reference file: '%s'", s);
	return v;
}

static void test_reference(void **state)
{
	const char *path = CHISO_SOURCE_DIR "/tests/reference/ci_expected.csv";
	FILE *f = fopen(path, "r");
	char line[1024];
	char *fl[8];
	size_t rows = 0;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_int_equal(split(line, fl, 8), 7);
	assert_string_equal(fl[3], "wilson_lo");
	while (fgets(line, sizeof(line), f)) {
		struct cs_ci w, cp;
		double s, n, alpha;

		assert_int_equal(split(line, fl, 8), 7);
		s = num(fl[0]);
		n = num(fl[1]);
		alpha = 1 - num(fl[2]);
		assert_int_equal(cs_ci_wilson(s, n, alpha, &w, NULL), CS_OK);
		assert_int_equal(cs_ci_clopper_pearson(s, n, alpha, &cp, NULL), CS_OK);
		assert_near(w.lo, num(fl[3]), TOL);
		assert_near(w.hi, num(fl[4]), TOL);
		assert_near(cp.lo, num(fl[5]), TOL);
		assert_near(cp.hi, num(fl[6]), TOL);
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, 45);
}

static void test_quantile(void **state)
{
	/* R: qt(0.975, df), qt(0.95, df), qt(0.995, df). */
	static const struct {
		double df, q95, q90, q99;
	} t[] = {
		{1, 12.706204736174694, 6.3137515146750376, 63.656741162871526},
		{2, 4.3026527297494619, 2.9199855803537238, 9.9248432009182892},
		{3, 3.1824463052837078, 2.3533634348018246, 5.8409093097333544},
		{7, 2.3646242515927844, 1.8945786050900062, 3.4994832973504932},
		{14, 2.1447866879178039, 1.7613101357748917, 2.9768427343708339},
		{30, 2.0422724563012378, 1.6972608865939569, 2.7499956535672254},
		{120, 1.9799304050824222, 1.6576508993552286, 2.6174211451068659},
		{783, 1.9629983142029732, 1.6468020107940635, 2.5821228548300801},
		{1e5, 1.9599877075346088, 1.6448688647849685, 2.5758784699083743},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_near(cs_ci_quantile(0.05, t[i].df), t[i].q95, 1e-9 * t[i].q95);
		assert_near(cs_ci_quantile(0.10, t[i].df), t[i].q90, 1e-9 * t[i].q90);
		assert_near(cs_ci_quantile(0.01, t[i].df), t[i].q99, 1e-9 * t[i].q99);
	}
	assert_near(cs_ci_quantile(0.05, INFINITY), 1.9599639845400536, 1e-14);
	assert_true(isnan(cs_ci_quantile(0.05, 0)));
	assert_true(isnan(cs_ci_quantile(0.05, -1)));
}

static void test_logit(void **state)
{
	struct cs_ci ci;

	(void)state;
	/* plogis(qlogis(0.8) -+ qnorm(0.975) * 0.05 / 0.16) */
	assert_int_equal(cs_ci_logit(0.8, 0.05, INFINITY, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_OK);
	assert_near(ci.lo, 0.68434354934546304, 1e-12);
	assert_near(ci.hi, 0.88066925272695951, 1e-12);
	/* plogis(qlogis(0.3) -+ qt(0.95, 7) * 0.1 / 0.21) */
	assert_int_equal(cs_ci_logit(0.3, 0.1, 7, 0.10, &ci, NULL), CS_OK);
	assert_near(ci.lo, 0.14811303084368260, 1e-10);
	assert_near(ci.hi, 0.51371716400994416, 1e-10);
	/* The interval stays inside (0, 1) however large the error. */
	assert_int_equal(cs_ci_logit(0.02, 0.05, 3, 0.05, &ci, NULL), CS_OK);
	assert_true(ci.lo > 0 && ci.hi < 1 && ci.lo < 0.02 && ci.hi > 0.02);

	/* p = 0 and p = 1: R's fit gives limits within 1e-8 of p. */
	assert_int_equal(cs_ci_logit(0, 0, 14, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_DEGENERATE);
	assert_true(ci.lo == 0 && ci.hi == 0);
	assert_int_equal(cs_ci_logit(1, 0, 14, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_DEGENERATE);
	assert_true(ci.lo == 1 && ci.hi == 1);
	assert_int_equal(cs_ci_logit(0.4, 0, 14, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_DEGENERATE);
	assert_true(ci.lo == 0.4 && ci.hi == 0.4);
	/* No degrees of freedom: no interval, as R's NaN. */
	assert_int_equal(cs_ci_logit(0.5, 0.1, 0, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);
	assert_true(isnan(ci.lo) && isnan(ci.hi));
	assert_int_equal(cs_ci_logit(1, 0, 0, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);
}

static void test_wald_beta(void **state)
{
	struct cs_ci ci;

	(void)state;
	assert_int_equal(cs_ci_wald(0.9, 0.1, INFINITY, 0.05, &ci, NULL), CS_OK);
	assert_near(ci.lo, 0.9 - 0.19599639845400536, 1e-14);
	/* Not clipped to [0, 1], as R's confint. */
	assert_near(ci.hi, 0.9 + 0.19599639845400536, 1e-14);
	assert_true(ci.hi > 1);
	/* Any mean: a 1-5 score. */
	assert_int_equal(cs_ci_wald(3.7, 0.2, 30, 0.05, &ci, NULL), CS_OK);
	assert_near(ci.lo, 3.7 - 2.0422724563012378 * 0.2, 1e-12);
	assert_int_equal(cs_ci_wald(1, 0, 5, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_DEGENERATE);
	assert_int_equal(cs_ci_wald(0.5, 0.1, 0, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);

	/* R: p 0.3, se 0.1, df 7, n 20 */
	assert_int_equal(cs_ci_beta(0.3, 0.1, 7, 20, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_OK);
	assert_near(ci.lo, 0.10440593807924950, 1e-9);
	assert_near(ci.hi, 0.57022822872980972, 1e-9);
	/* R gives NaN for these. */
	assert_int_equal(cs_ci_beta(0, 0, 7, 20, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);
	assert_int_equal(cs_ci_beta(0.3, 0.1, 7, 1, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);
	assert_int_equal(cs_ci_beta(0.3, 0.1, 0, 20, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);
}

static void test_empty(void **state)
{
	struct cs_ci ci = {0, 0, CS_CI_OK};

	(void)state;
	assert_int_equal(cs_ci_wilson(0, 0, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);
	assert_true(isnan(ci.lo) && isnan(ci.hi));
	ci.status = CS_CI_OK;
	assert_int_equal(cs_ci_clopper_pearson(0, 0, 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);
}

static void expect_einval(enum cs_err rc, const struct cs_error *err, const char *needle)
{
	assert_int_equal(rc, CS_EINVAL);
	assert_int_equal(err->code, CS_EINVAL);
	if (!strstr(err->msg, needle))
		fail_msg("message '%s' lacks '%s'", err->msg, needle);
}

static void test_bad_input(void **state)
{
	struct cs_error err;
	struct cs_ci ci;

	(void)state;
	expect_einval(cs_ci_wilson(11, 10, 0.05, &ci, &err), &err, "s 11: expected a count");
	assert_int_equal(ci.status, CS_CI_NONE);
	expect_einval(cs_ci_wilson(-1, 10, 0.05, &ci, &err), &err, "s -1");
	expect_einval(cs_ci_wilson(1, -10, 0.05, &ci, &err), &err, "n -10");
	expect_einval(cs_ci_wilson(1, INFINITY, 0.05, &ci, &err), &err, "n inf");
	expect_einval(cs_ci_wilson(1, 10, 0, &ci, &err), &err, "alpha 0: expected");
	expect_einval(cs_ci_clopper_pearson(1, 10, 1, &ci, &err), &err, "alpha 1");
	expect_einval(cs_ci_clopper_pearson(NAN, 10, 0.05, &ci, &err), &err, "s nan");
	expect_einval(cs_ci_logit(1.2, 0.1, 5, 0.05, &ci, &err), &err, "estimate 1.2");
	expect_einval(cs_ci_logit(NAN, 0.1, 5, 0.05, &ci, &err), &err, "estimate nan");
	expect_einval(cs_ci_logit(0.5, -0.1, 5, 0.05, &ci, &err), &err, "standard error -0.1");
	expect_einval(cs_ci_logit(0.5, 0.1, NAN, 0.05, &ci, &err), &err, "degrees of freedom");
	expect_einval(cs_ci_wald(INFINITY, 0.1, 5, 0.05, &ci, &err), &err, "a finite number");
	expect_einval(cs_ci_beta(0.5, 0.1, 5, -3, 0.05, &ci, &err), &err, "n -3");
	/* A NULL error record is allowed. */
	assert_int_equal(cs_ci_wilson(11, 10, 0.05, &ci, NULL), CS_EINVAL);
}

static void test_table(void **state)
{
	struct cs_ci_input in = {.alpha = 0.05, .s = 8, .n = 10, .p = 0.8, .se = 0.05, .df = 20};
	struct cs_ci a, b;
	struct cs_error err;
	size_t n = 0;

	(void)state;
	for (const struct cs_ci_method *m; (m = cs_ci_method_at(n)); n++) {
		assert_ptr_equal(cs_ci_method_find(cs_str_from(m->name)), m);
		assert_non_null(m->summary);
		assert_int_equal(m->compute(&in, &a, NULL), CS_OK);
		assert_int_equal(a.status, CS_CI_OK);
		assert_true(a.lo < 0.8 && a.hi > 0.8);
	}
	assert_int_equal(n, 5);
	assert_non_null(cs_ci_method_find(CS_STR("Wilson")));
	assert_null(cs_ci_method_find(CS_STR("agresti")));

	assert_int_equal(cs_ci_compute(CS_STR("wilson"), &in, &a, NULL), CS_OK);
	assert_int_equal(cs_ci_wilson(8, 10, 0.05, &b, NULL), CS_OK);
	assert_true(a.lo == b.lo && a.hi == b.hi);
	assert_int_equal(cs_ci_compute(CS_STR("clopper-pearson"), &in, &a, NULL), CS_OK);
	assert_int_equal(cs_ci_clopper_pearson(8, 10, 0.05, &b, NULL), CS_OK);
	assert_true(a.lo == b.lo && a.hi == b.hi);
	assert_int_equal(cs_ci_compute(CS_STR("LOGIT"), &in, &a, NULL), CS_OK);
	assert_int_equal(cs_ci_logit(0.8, 0.05, 20, 0.05, &b, NULL), CS_OK);
	assert_true(a.lo == b.lo && a.hi == b.hi);
	assert_int_equal(cs_ci_compute(CS_STR("beta"), &in, &a, NULL), CS_OK);
	assert_int_equal(cs_ci_beta(0.8, 0.05, 20, 10, 0.05, &b, NULL), CS_OK);
	assert_true(a.lo == b.lo && a.hi == b.hi);

	expect_einval(cs_ci_compute(CS_STR("agresti"), &in, &a, &err), &err,
		      "interval method 'agresti': expected wilson");
	assert_int_equal(a.status, CS_CI_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wilson_hand),
		cmocka_unit_test(test_clopper_pearson_hand),
		cmocka_unit_test(test_clopper_pearson_stress),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_logit),
		cmocka_unit_test(test_wald_beta),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
