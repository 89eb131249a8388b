/*
 * Unit tests for design-based estimation (core/svy.h): every row of
 * tests/reference/svy_expected.csv (R's survey package on the datasets beside
 * it) to 1e-6, hand-checkable cases, lonely-PSU rules, input errors and
 * allocation failures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/ci.h"
#include "core/svy.h"
#include "util/alloc.h"

#include "util/banned.h"

#define REF_DIR CHISO_SOURCE_DIR "/tests/reference/"
#define TOL 1e-6
#define NVARS 5 /* y1..y4, score */
#define MAX_ROWS 2000
#define MAX_UNITS 16

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* ---- Reading the reference files ---- */

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

/* A number of a reference file: "NA" and "" are NaN, "Inf" and "NaN" as strtod reads them. */
static double num(const char *s)
{
	char *end;
	double v;

	if (strcmp(s, "NA") == 0 || *s == '\0')
		return NAN;
	v = strtod(s, &end);
	if (*end)
		fail_msg("not a number in a reference file: '%s'", s);
	return v;
}

struct row {
	char stratum[16], psu[16], unit[8];
	double w, fpc_pop, fpc_frac;
	double y[NVARS];
	bool valid[NVARS];
};

struct dataset {
	struct row rows[MAX_ROWS];
	size_t n;
	char units[MAX_UNITS][8];
	size_t nunits;
};

static void copy_field(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	assert_true(len < size);
	memcpy(dst, src, len + 1);
}

static struct dataset *load_data(const char *name)
{
	char path[512], line[512], *f[16];
	struct dataset *ds = calloc(1, sizeof(*ds));
	FILE *fp;

	assert_non_null(ds);
	snprintf(path, sizeof(path), "%s%s", REF_DIR, name);
	fp = fopen(path, "r");
	if (!fp)
		fail_msg("cannot open %s", path);
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_int_equal(split(line, f, 16), 12);
	assert_string_equal(f[8], "y1");
	while (fgets(line, sizeof(line), fp)) {
		struct row *r = &ds->rows[ds->n++];
		size_t u;

		assert_true(ds->n <= MAX_ROWS);
		assert_int_equal(split(line, f, 16), 12);
		copy_field(r->stratum, sizeof(r->stratum), f[1]);
		copy_field(r->psu, sizeof(r->psu), f[2]);
		r->w = num(f[3]);
		r->fpc_pop = num(f[4]);
		r->fpc_frac = num(f[5]);
		copy_field(r->unit, sizeof(r->unit), f[6]);
		/* Variables in the order y1..y4, score. */
		for (int k = 0; k < NVARS; k++) {
			double v = num(f[k == 4 ? 7 : 8 + k]);

			r->valid[k] = !isnan(v);
			r->y[k] = r->valid[k] ? v : 0;
		}
		for (u = 0; u < ds->nunits; u++)
			if (strcmp(ds->units[u], r->unit) == 0)
				break;
		if (u == ds->nunits) {
			assert_true(ds->nunits < MAX_UNITS);
			copy_field(ds->units[ds->nunits++], sizeof(ds->units[0]), r->unit);
		}
	}
	fclose(fp);
	return ds;
}

/* ---- The designs of sipas_reference.R ---- */

enum fpc_kind {
	FPC_NONE,
	FPC_POP,
	FPC_FRAC
};

struct spec {
	const char *name;
	int data; /* 0 clustered, 1 stratified, 2 lonely */
	bool strata, psu, weights;
	enum fpc_kind fpc;
};

static const struct spec specs[] = {
	{"clu_fpcpop", 0, true, true, true, FPC_POP},
	{"clu_fpcfrac", 0, true, true, true, FPC_FRAC},
	{"clu_nofpc", 0, true, true, true, FPC_NONE},
	{"clu_nostrata", 0, false, true, true, FPC_NONE},
	{"str_fpcfrac", 1, true, false, true, FPC_FRAC},
	{"str_fpcpop", 1, true, false, true, FPC_POP},
	{"srs_weighted", 1, false, false, true, FPC_NONE},
	{"srs", 1, false, false, false, FPC_NONE},
	{"lonely", 2, true, true, true, FPC_POP},
};

/* One design fed with a dataset, with an estimator for the whole sample and one per unit. */
struct run {
	struct cs_svy_design *d;
	struct cs_svy_est *all;
	struct cs_svy_est *unit[MAX_UNITS];
	const struct dataset *ds;
};

static void run_free(struct run *r)
{
	cs_svy_est_free(r->all);
	for (size_t u = 0; u < MAX_UNITS; u++)
		cs_svy_est_free(r->unit[u]);
	cs_svy_design_free(r->d);
	memset(r, 0, sizeof(*r));
}

/*
 * Builds the design of spec over ds. clustered forces PSU ids even for a
 * design without clusters: the stratified dataset has one PSU id per row, so
 * both storage modes must give R's numbers.
 */
static void run_make(struct run *r, const struct spec *spec, const struct dataset *ds,
		     enum cs_svy_lonely lonely, bool clustered)
{
	struct cs_svy_design_opts opts = {.clustered = clustered, .lonely = lonely};
	struct cs_error err;

	memset(r, 0, sizeof(*r));
	r->ds = ds;
	assert_int_equal(cs_svy_design_new(&opts, &r->d, &err), CS_OK);
	assert_int_equal(cs_svy_est_new(r->d, NVARS, &r->all, &err), CS_OK);
	for (size_t u = 0; u < ds->nunits; u++)
		assert_int_equal(cs_svy_est_new(r->d, NVARS, &r->unit[u], &err), CS_OK);
	for (size_t i = 0; i < ds->n; i++) {
		const struct row *row = &ds->rows[i];
		double fpc = spec->fpc == FPC_POP    ? row->fpc_pop
			     : spec->fpc == FPC_FRAC ? row->fpc_frac
						     : 0;
		double w = spec->weights ? row->w : 1;
		struct cs_svy_ref ref;
		size_t u;

		if (cs_svy_design_add(r->d, cs_str_from(spec->strata ? row->stratum : ""),
				      cs_str_from(row->psu), fpc, &ref, &err))
			fail_msg("%s row %zu: %s", spec->name, i + 1, err.msg);
		assert_int_equal(cs_svy_est_add(r->all, ref, w, row->y, row->valid, &err), CS_OK);
		for (u = 0; strcmp(ds->units[u], row->unit) != 0; u++)
			;
		assert_int_equal(cs_svy_est_add(r->unit[u], ref, w, row->y, row->valid, &err),
				 CS_OK);
	}
	if (cs_svy_design_finish(r->d, &err))
		fail_msg("%s: %s", spec->name, err.msg);
}

static struct cs_svy_est *run_domain(const struct run *r, const char *domain)
{
	if (strcmp(domain, "ALL") == 0)
		return r->all;
	for (size_t u = 0; u < r->ds->nunits; u++)
		if (strcmp(r->ds->units[u], domain) == 0)
			return r->unit[u];
	fail_msg("unknown domain %s", domain);
	return NULL;
}

/* The largest difference from R seen so far, reported by check_reference. */
static double max_diff;

static void check_value(const char *what, const char *ctx, double got, double want)
{
	if (isnan(want)) {
		if (!isnan(got))
			fail_msg("%s %s: got %.17g, R gives NaN", ctx, what, got);
		return;
	}
	if (isinf(want)) {
		if (got != want)
			fail_msg("%s %s: got %.17g, R gives %g", ctx, what, got, want);
		return;
	}
	if (!(fabs(got - want) <= TOL))
		fail_msg("%s %s: got %.17g, R gives %.17g", ctx, what, got, want);
	if (fabs(got - want) > max_diff)
		max_diff = fabs(got - want);
}

/* An interval against R's: NaN limits in R mean no interval here. */
static void check_ci(const char *what, const char *ctx, const struct cs_ci *ci, double lo,
		     double hi)
{
	if (isnan(lo) || isnan(hi)) {
		if (ci->status != CS_CI_NONE)
			fail_msg("%s %s: got [%.17g, %.17g], R gives no interval", ctx, what,
				 ci->lo, ci->hi);
		return;
	}
	if (ci->status == CS_CI_NONE)
		fail_msg("%s %s: no interval, R gives [%.17g, %.17g]", ctx, what, lo, hi);
	check_value(what, ctx, ci->lo, lo);
	check_value(what, ctx, ci->hi, hi);
}

enum {
	C_DESIGN,
	C_LONELY,
	C_LEVEL,
	C_DOMAIN,
	C_TARGET,
	C_STATUS,
	C_N,
	C_WSUM,
	C_MEAN,
	C_SE,
	C_DF,
	C_DEFF,
	C_DEFF_REPLACE,
	C_LOGIT_LO,
	C_LOGIT_HI,
	C_LOGITINF_LO,
	C_LOGITINF_HI,
	C_MEAN_LO,
	C_MEAN_HI,
	C_BETA_LO,
	C_BETA_HI,
	C_COUNT
};

/* Checks one reference row against the run; returns the number of values compared. */
static size_t check_row(const struct run *r, char **f)
{
	static const char *const vars[NVARS] = {"y1", "y2", "y3", "y4", "score"};
	static const double element[NVARS] = {1.0 / 3, 1.0 / 3, 1.0 / 3, 0, 0};
	struct cs_svy_est *e = run_domain(r, f[C_DOMAIN]);
	double alpha = 1 - num(f[C_LEVEL]);
	bool is_element = strcmp(f[C_TARGET], "element:y1+y2+y3") == 0;
	bool is_score = strcmp(f[C_TARGET], "score") == 0;
	struct cs_svy_result res;
	struct cs_error err;
	struct cs_ci ci;
	char ctx[128];
	enum cs_err rc;
	size_t k;

	snprintf(ctx, sizeof(ctx), "%s/%s/%s/%s/%s", f[C_DESIGN], f[C_LONELY], f[C_LEVEL],
		 f[C_DOMAIN], f[C_TARGET]);
	if (is_element) {
		rc = cs_svy_est_combine(e, element, &res, &err);
	} else {
		for (k = 0; k < NVARS && strcmp(vars[k], f[C_TARGET]) != 0; k++)
			;
		assert_true(k < NVARS);
		rc = cs_svy_est_mean(e, k, &res, &err);
	}
	if (strcmp(f[C_STATUS], "error") == 0) {
		if (rc != CS_ESTATE)
			fail_msg("%s: R fails, got %s", ctx, cs_err_name(rc));
		assert_non_null(strstr(err.msg, "has only one PSU"));
		return 1;
	}
	if (rc)
		fail_msg("%s: %s", ctx, err.msg);
	if (strcmp(f[C_STATUS], "empty") == 0) {
		assert_true(res.flags & CS_SVY_EMPTY);
		return 1;
	}
	assert_string_equal(f[C_STATUS], "ok");
	assert_false(res.flags & CS_SVY_EMPTY);
	if ((double)res.n != num(f[C_N]))
		fail_msg("%s n: got %llu, R gives %s", ctx, (unsigned long long)res.n, f[C_N]);
	check_value("wsum", ctx, res.wsum, num(f[C_WSUM]));
	check_value("mean", ctx, res.mean, num(f[C_MEAN]));
	check_value("se", ctx, res.se, num(f[C_SE]));
	check_value("df", ctx, res.df, num(f[C_DF]));
	if (!is_element) {
		check_value("deff", ctx, res.deff, num(f[C_DEFF]));
		check_value("deff_replace", ctx, res.deff_replace, num(f[C_DEFF_REPLACE]));
	} else {
		assert_true(isnan(res.deff) && isnan(res.n_eff));
	}
	if (is_score)
		return 7;
	assert_int_equal(cs_svy_ci(&res, CS_STR("logit"), alpha, &ci, &err), CS_OK);
	check_ci("logit", ctx, &ci, num(f[C_LOGIT_LO]), num(f[C_LOGIT_HI]));
	if (is_element)
		return 9;
	assert_int_equal(cs_ci_logit(res.mean, res.se, INFINITY, alpha, &ci, &err), CS_OK);
	check_ci("logit df=Inf", ctx, &ci, num(f[C_LOGITINF_LO]), num(f[C_LOGITINF_HI]));
	assert_int_equal(cs_svy_ci(&res, CS_STR("wald"), alpha, &ci, &err), CS_OK);
	check_ci("mean", ctx, &ci, num(f[C_MEAN_LO]), num(f[C_MEAN_HI]));
	assert_int_equal(cs_svy_ci(&res, CS_STR("beta"), alpha, &ci, &err), CS_OK);
	check_ci("beta", ctx, &ci, num(f[C_BETA_LO]), num(f[C_BETA_HI]));
	return 17;
}

static void check_reference(bool clustered_always)
{
	static const char *const files[] = {"data_clustered.csv", "data_stratified.csv",
					    "data_lonely.csv"};
	struct dataset *data[3];
	char line[1024], *f[C_COUNT + 1];
	char current[64] = "";
	struct run r;
	size_t rows = 0, values = 0;
	FILE *fp = fopen(REF_DIR "svy_expected.csv", "r");

	assert_non_null(fp);
	for (int i = 0; i < 3; i++)
		data[i] = load_data(files[i]);
	memset(&r, 0, sizeof(r));
	max_diff = 0;
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_int_equal(split(line, f, C_COUNT + 1), C_COUNT);
	assert_string_equal(f[C_BETA_HI], "beta_hi");
	while (fgets(line, sizeof(line), fp)) {
		char key[64];

		assert_int_equal(split(line, f, C_COUNT + 1), C_COUNT);
		snprintf(key, sizeof(key), "%s/%s", f[C_DESIGN], f[C_LONELY]);
		if (strcmp(key, current) != 0) {
			const struct spec *spec = NULL;
			enum cs_svy_lonely lonely;

			for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
				if (strcmp(specs[i].name, f[C_DESIGN]) == 0)
					spec = &specs[i];
			assert_non_null(spec);
			assert_true(cs_svy_lonely_parse(cs_str_from(f[C_LONELY]), &lonely));
			run_free(&r);
			run_make(&r, spec, data[spec->data], lonely, spec->psu || clustered_always);
			memcpy(current, key, sizeof(key));
		}
		values += check_row(&r, f);
		rows++;
	}
	run_free(&r);
	fclose(fp);
	for (int i = 0; i < 3; i++)
		free(data[i]);
	assert_int_equal(rows, 450);
	print_message("%zu reference rows, %zu values compared, largest difference %.3g\n", rows,
		      values, max_diff);
}

static void test_reference(void **state)
{
	(void)state;
	check_reference(false);
}

/* Unclustered designs computed from per-PSU sums (one PSU id per row) agree too. */
static void test_reference_clustered_storage(void **state)
{
	(void)state;
	check_reference(true);
}

/* ---- Hand-checkable cases ---- */

struct tiny {
	const char *stratum, *psu;
	double w, fpc, y;
	bool valid;
};

static struct cs_svy_design *tiny_design(const struct tiny *t, size_t n, bool clustered,
					 enum cs_svy_lonely lonely, struct cs_svy_est **est,
					 struct cs_error *err)
{
	struct cs_svy_design_opts opts = {.clustered = clustered, .lonely = lonely};
	struct cs_svy_design *d;

	assert_int_equal(cs_svy_design_new(&opts, &d, err), CS_OK);
	assert_int_equal(cs_svy_est_new(d, 1, est, err), CS_OK);
	for (size_t i = 0; i < n; i++) {
		struct cs_svy_ref ref;

		assert_int_equal(cs_svy_design_add(d, cs_str_from(t[i].stratum),
						   cs_str_from(t[i].psu), t[i].fpc, &ref, err),
				 CS_OK);
		assert_int_equal(cs_svy_est_add(*est, ref, t[i].w, &t[i].y, &t[i].valid, err),
				 CS_OK);
	}
	assert_int_equal(cs_svy_design_finish(d, err), CS_OK);
	return d;
}

static void test_srs_by_hand(void **state)
{
	/* 3 of 4 satisfied: s^2 = 0.25, var = s^2 / n = 1/16. */
	const struct tiny t[] = {
		{"", "", 1, 0, 1, true}, {"", "", 1, 0, 1, true},  {"", "", 1, 0, 0, true},
		{"", "", 1, 0, 1, true}, {"", "", 1, 0, 0, false},
	};
	struct cs_svy_est *e;
	struct cs_svy_result res;
	struct cs_error err;
	struct cs_svy_design *d = tiny_design(t, 4, false, CS_SVY_LONELY_FAIL, &e, &err);
	struct cs_ci a, b;

	(void)state;
	assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_OK);
	assert_true(res.mean == 0.75);
	assert_true(fabs(res.var - 0.0625) < 1e-15);
	assert_true(fabs(res.se - 0.25) < 1e-15);
	assert_true(res.df == 3);
	assert_int_equal(res.n, 4);
	assert_true(res.wsum == 4);
	/* Unweighted: the without-replacement reference variance is 0. */
	assert_true(isinf(res.deff));
	assert_true(fabs(res.deff_replace - 1) < 1e-14);
	assert_true(fabs(res.n_eff - 4) < 1e-13);
	assert_int_equal(res.flags, 0);
	assert_int_equal(cs_svy_design_rows(d), 4);
	assert_int_equal(cs_svy_design_psus(d), 4);
	assert_int_equal(cs_svy_design_strata(d), 1);
	/* The count methods see 3 of 4. */
	assert_int_equal(cs_svy_ci(&res, CS_STR("wilson"), 0.05, &a, &err), CS_OK);
	assert_int_equal(cs_ci_wilson(3, 4, 0.05, &b, &err), CS_OK);
	assert_true(fabs(a.lo - b.lo) < 1e-15 && fabs(a.hi - b.hi) < 1e-15);
	assert_int_equal(cs_svy_ci(&res, CS_STR("nope"), 0.05, &a, &err), CS_EINVAL);
	cs_svy_est_free(e);
	cs_svy_design_free(d);

	/*
	 * A fifth respondent with a blank answer stays a sampled PSU with z = 0,
	 * as in R's svymean(na.rm = TRUE): var = 5/4 * sum z^2 = 0.05859375 and
	 * deff_replace = 0.9375 (R 4.2.2, survey 4.1.1).
	 */
	d = tiny_design(t, 5, false, CS_SVY_LONELY_FAIL, &e, &err);
	assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_OK);
	assert_true(res.mean == 0.75);
	assert_true(fabs(res.var - 0.05859375) < 1e-15);
	assert_true(fabs(res.deff_replace - 0.9375) < 1e-14);
	assert_true(res.df == 3);
	assert_int_equal(res.n, 4);
	assert_int_equal(cs_svy_design_psus(d), 5);
	cs_svy_est_free(e);
	cs_svy_design_free(d);
}

static void test_fpc_by_hand(void **state)
{
	/* The same sample from a population of 8 (or a fraction of 1/2), with
	 * weights that add up to it: the variance halves. */
	struct tiny t[] = {
		{"", "a", 2, 8, 1, true},
		{"", "b", 2, 8, 1, true},
		{"", "c", 2, 8, 0, true},
		{"", "d", 2, 8, 1, true},
	};
	struct cs_svy_est *e;
	struct cs_svy_result res;
	struct cs_error err;
	struct cs_svy_design *d;

	(void)state;
	for (int clustered = 0; clustered < 2; clustered++) {
		for (int frac = 0; frac < 2; frac++) {
			for (size_t i = 0; i < 4; i++)
				t[i].fpc = frac ? 0.5 : 8;
			d = tiny_design(t, 4, clustered, CS_SVY_LONELY_FAIL, &e, &err);
			assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_OK);
			assert_true(fabs(res.var - 0.03125) < 1e-15);
			assert_true(res.df == 3);
			/* Against svyvar * (W - n) / (W n) = 0.25 * 4 / 32, W the weight total. */
			assert_true(fabs(res.deff - 1) < 1e-14);
			cs_svy_est_free(e);
			cs_svy_design_free(d);
		}
	}
}

static void test_stratified_by_hand(void **state)
{
	/*
	 * Two strata of two PSUs, weights 1 and 3. W = 8, mean = (1 + 3) / 8.
	 * z = w (y - 0.5) / 8: stratum A: PSU a1 {1: +0.0625}, a2 {0: -0.0625};
	 * stratum B: b1 {1 w3: +0.1875}, b2 {0 w3: -0.1875}.
	 * var = 2 * (2 * 0.0625^2) + 2 * (2 * 0.1875^2) = 0.15625.
	 */
	const struct tiny t[] = {
		{"A", "a1", 1, 0, 1, true},
		{"A", "a2", 1, 0, 0, true},
		{"B", "b1", 3, 0, 1, true},
		{"B", "b2", 3, 0, 0, true},
	};
	struct cs_svy_est *e;
	struct cs_svy_result res;
	struct cs_error err;
	struct cs_svy_design *d = tiny_design(t, 4, true, CS_SVY_LONELY_FAIL, &e, &err);

	(void)state;
	assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_OK);
	assert_true(res.mean == 0.5);
	assert_true(fabs(res.var - 0.15625) < 1e-15);
	assert_true(res.df == 2);
	cs_svy_est_free(e);
	cs_svy_design_free(d);
}

static void test_domain_counts_unreached_psus(void **state)
{
	/*
	 * A domain that reaches one of a stratum's three PSUs: the others count
	 * as zeros (n_h = 3), and df counts only what the domain reaches
	 * (R's degf on a subset): 1 PSU - 1 stratum = 0.
	 */
	struct cs_svy_design_opts opts = {.clustered = true};
	struct cs_svy_design *d;
	struct cs_svy_est *e;
	struct cs_svy_ref ref;
	struct cs_svy_result res;
	double y[] = {1, 0};
	const char *psus[] = {"p1", "p1", "p2", "p3"};

	(void)state;
	assert_int_equal(cs_svy_design_new(&opts, &d, NULL), CS_OK);
	assert_int_equal(cs_svy_est_new(d, 1, &e, NULL), CS_OK);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(
			cs_svy_design_add(d, CS_STR("S"), cs_str_from(psus[i]), 0, &ref, NULL),
			CS_OK);
		if (i < 2)
			assert_int_equal(cs_svy_est_add(e, ref, 2, &y[i], NULL, NULL), CS_OK);
	}
	assert_int_equal(cs_svy_design_psus(d), 3);
	assert_int_equal(cs_svy_design_finish(d, NULL), CS_OK);
	assert_int_equal(cs_svy_est_mean(e, 0, &res, NULL), CS_OK);
	assert_true(res.mean == 0.5);
	/* PSU totals of z: p1 = 2 (1 - .5) / 4 + 2 (0 - .5) / 4 = 0, others 0. */
	assert_true(res.var == 0);
	assert_true(res.df == 0);
	cs_svy_est_free(e);
	cs_svy_design_free(d);
}

static void test_lonely_rules(void **state)
{
	/* Stratum L has one PSU; M has two. */
	const struct tiny t[] = {
		{"L", "l1", 2, 0, 1, true}, {"L", "l1", 2, 0, 1, true}, {"M", "m1", 1, 0, 0, true},
		{"M", "m1", 1, 0, 1, true}, {"M", "m2", 1, 0, 0, true},
	};
	struct cs_svy_est *e;
	struct cs_svy_result res, cert, adj, avg;
	struct cs_error err;
	struct cs_svy_design *d;

	(void)state;
	d = tiny_design(t, 5, true, CS_SVY_LONELY_FAIL, &e, &err);
	assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_ESTATE);
	assert_string_equal(err.msg, "stratum 'L' has only one PSU: merge it with another stratum "
				     "or choose a lonely-PSU rule (certainty, remove, adjust, "
				     "average)");
	assert_true(isnan(res.mean));
	cs_svy_est_free(e);
	cs_svy_design_free(d);

	d = tiny_design(t, 5, true, CS_SVY_LONELY_CERTAINTY, &e, &err);
	assert_int_equal(cs_svy_est_mean(e, 0, &cert, &err), CS_OK);
	assert_true(cert.flags & CS_SVY_LONELY);
	/* W = 7, mean 5/7; z in M: m1 = (0 - p + 1 - p)/7, m2 = -p/7. */
	{
		double p = 5.0 / 7, m1 = (1 - 2 * p) / 7, m2 = -p / 7, zbar = (m1 + m2) / 2;
		double vm = 2 * ((m1 - zbar) * (m1 - zbar) + (m2 - zbar) * (m2 - zbar));
		double zl = 4 * (1 - p) / 7;

		assert_true(fabs(cert.var - vm) < 1e-15);
		cs_svy_est_free(e);
		cs_svy_design_free(d);

		d = tiny_design(t, 5, true, CS_SVY_LONELY_REMOVE, &e, &err);
		assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_OK);
		assert_true(res.var == cert.var);
		cs_svy_est_free(e);
		cs_svy_design_free(d);

		d = tiny_design(t, 5, true, CS_SVY_LONELY_ADJUST, &e, &err);
		assert_int_equal(cs_svy_est_mean(e, 0, &adj, &err), CS_OK);
		assert_true(fabs(adj.var - (vm + zl * zl)) < 1e-15);
		cs_svy_est_free(e);
		cs_svy_design_free(d);

		d = tiny_design(t, 5, true, CS_SVY_LONELY_AVERAGE, &e, &err);
		assert_int_equal(cs_svy_est_mean(e, 0, &avg, &err), CS_OK);
		assert_true(fabs(avg.var - vm * 2) < 1e-15);
		assert_true(avg.df == 1);
		cs_svy_est_free(e);
		cs_svy_design_free(d);
	}

	/* A single PSU without strata. */
	d = tiny_design(t, 2, true, CS_SVY_LONELY_FAIL, &e, &err);
	assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_ESTATE);
	cs_svy_est_free(e);
	cs_svy_design_free(d);
	{
		const struct tiny one[] = {{"", "x", 1, 0, 1, true}, {"", "x", 1, 0, 0, true}};

		d = tiny_design(one, 2, true, CS_SVY_LONELY_FAIL, &e, &err);
		assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_ESTATE);
		assert_string_equal(err.msg,
				    "the sample has only one PSU: no variance can be estimated");
		cs_svy_est_free(e);
		cs_svy_design_free(d);
	}
	/* A census stratum with one PSU adds nothing and does not fail. */
	{
		const struct tiny census[] = {
			{"L", "l1", 1, 1, 1, true},
			{"M", "m1", 1, 4, 0, true},
			{"M", "m2", 1, 4, 1, true},
		};

		d = tiny_design(census, 3, true, CS_SVY_LONELY_FAIL, &e, &err);
		assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_OK);
		assert_false(res.flags & CS_SVY_LONELY);
		cs_svy_est_free(e);
		cs_svy_design_free(d);
	}

	{
		enum cs_svy_lonely rule;

		assert_true(cs_svy_lonely_parse(CS_STR("Certainty"), &rule));
		assert_int_equal(rule, CS_SVY_LONELY_CERTAINTY);
		assert_false(cs_svy_lonely_parse(CS_STR("scale"), &rule));
		for (int i = 0; i < CS_SVY_LONELY_COUNT_; i++) {
			assert_true(cs_svy_lonely_parse(
				cs_str_from(cs_svy_lonely_name((enum cs_svy_lonely)i)), &rule));
			assert_int_equal(rule, i);
		}
		assert_null(cs_svy_lonely_name(CS_SVY_LONELY_COUNT_));
	}
}

static void test_empty_and_edges(void **state)
{
	struct cs_svy_design_opts opts = {.clustered = false};
	struct cs_svy_design *d;
	struct cs_svy_est *e, *none;
	struct cs_svy_ref ref;
	struct cs_svy_result res;
	struct cs_ci ci;
	double y[2] = {1, 3};
	bool valid[2] = {true, false};

	(void)state;
	assert_int_equal(cs_svy_design_new(&opts, &d, NULL), CS_OK);
	assert_int_equal(cs_svy_est_new(d, 2, &e, NULL), CS_OK);
	assert_int_equal(cs_svy_est_new(d, 2, &none, NULL), CS_OK);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cs_svy_design_add(d, CS_STR(""), CS_STR(""), 0, &ref, NULL),
				 CS_OK);
		assert_int_equal(ref.psu, UINT32_MAX);
	}
	assert_int_equal(cs_svy_design_finish(d, NULL), CS_OK);
	assert_int_equal(cs_svy_design_finish(d, NULL), CS_OK);
	/* A second pass after finishing: one respondent in the domain. */
	assert_int_equal(cs_svy_est_add(e, ref, 5, y, valid, NULL), CS_OK);

	/* No respondents at all. */
	assert_int_equal(cs_svy_est_mean(none, 0, &res, NULL), CS_OK);
	assert_true(res.flags & CS_SVY_EMPTY);
	assert_true(isnan(res.mean) && isnan(res.se));
	assert_int_equal(res.n, 0);
	assert_int_equal(cs_svy_ci(&res, CS_STR("logit"), 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);

	/* A variable with no valid answer: empty, and so is any combination using it. */
	assert_int_equal(cs_svy_est_mean(e, 1, &res, NULL), CS_OK);
	assert_true(res.flags & CS_SVY_EMPTY);
	assert_int_equal(cs_svy_est_combine(e, (double[]){0.5, 0.5}, &res, NULL), CS_OK);
	assert_true(res.flags & CS_SVY_EMPTY);
	assert_int_equal(res.n, 1);

	/* One respondent: mean exact, no spread, no degrees of freedom. */
	assert_int_equal(cs_svy_est_mean(e, 0, &res, NULL), CS_OK);
	assert_true(res.mean == 1 && res.var == 0 && res.df == 0 && res.wsum == 5);
	assert_true(isnan(res.deff) && isnan(res.deff_replace));
	assert_int_equal(cs_svy_ci(&res, CS_STR("logit"), 0.05, &ci, NULL), CS_OK);
	assert_int_equal(ci.status, CS_CI_NONE);
	/* A single nonzero coefficient scales the mean. */
	assert_int_equal(cs_svy_est_combine(e, (double[]){100, 0}, &res, NULL), CS_OK);
	assert_true(res.mean == 100 && res.n == 1);
	cs_svy_est_free(e);
	cs_svy_est_free(none);
	cs_svy_design_free(d);
	cs_svy_design_free(NULL);
	cs_svy_est_free(NULL);
}

/* Items with different blanks: the combination agrees with its definition. */
static void test_combine_matches_items(void **state)
{
	struct cs_svy_design_opts opts = {.clustered = true};
	struct cs_svy_design *d;
	struct cs_svy_est *e;
	struct cs_svy_result r0, r1, rc;
	struct cs_svy_ref ref;
	char psu[8];

	(void)state;
	assert_int_equal(cs_svy_design_new(&opts, &d, NULL), CS_OK);
	assert_int_equal(cs_svy_est_new(d, 2, &e, NULL), CS_OK);
	for (int i = 0; i < 60; i++) {
		double y[2] = {(double)(i % 3 != 0), (double)(i % 5 < 3)};
		bool valid[2] = {i % 7 != 0, i % 4 != 1};

		snprintf(psu, sizeof(psu), "p%d", i / 6);
		assert_int_equal(cs_svy_design_add(d, cs_str_from(i < 30 ? "A" : "B"),
						   cs_str_from(psu), 0, &ref, NULL),
				 CS_OK);
		assert_int_equal(cs_svy_est_add(e, ref, 1 + i % 4, y, valid, NULL), CS_OK);
	}
	assert_int_equal(cs_svy_design_finish(d, NULL), CS_OK);
	assert_int_equal(cs_svy_est_mean(e, 0, &r0, NULL), CS_OK);
	assert_int_equal(cs_svy_est_mean(e, 1, &r1, NULL), CS_OK);
	assert_int_equal(cs_svy_est_combine(e, (double[]){0.5, 0.5}, &rc, NULL), CS_OK);
	assert_true(fabs(rc.mean - (r0.mean + r1.mean) / 2) < 1e-15);
	/* var(a/2 + b/2) lies within the bounds set by the correlation. */
	assert_true(rc.var <= (r0.se + r1.se) * (r0.se + r1.se) / 4 + 1e-15);
	assert_true(rc.var >= (r0.se - r1.se) * (r0.se - r1.se) / 4 - 1e-15);
	/* Respondents 21 and 49 have no valid answer. */
	assert_int_equal(rc.n, 58);
	assert_true(rc.df == 10 - 2);
	/* The difference of two items: a contrast. */
	assert_int_equal(cs_svy_est_combine(e, (double[]){1, -1}, &rc, NULL), CS_OK);
	assert_true(fabs(rc.mean - (r0.mean - r1.mean)) < 1e-15);
	cs_svy_est_free(e);
	cs_svy_design_free(d);
}

static void expect_err(enum cs_err rc, enum cs_err want, const struct cs_error *err,
		       const char *msg);

static void expect_err(enum cs_err rc, enum cs_err want, const struct cs_error *err,
		       const char *msg)
{
	assert_int_equal(rc, want);
	assert_int_equal(err->code, want);
	if (!strstr(err->msg, msg))
		fail_msg("message '%s' lacks '%s'", err->msg, msg);
}

static void test_bad_input(void **state)
{
	struct cs_svy_design_opts opts = {.clustered = true};
	struct cs_svy_design *d, *other;
	struct cs_svy_est *e;
	struct cs_svy_ref ref, ref2;
	struct cs_svy_result res;
	struct cs_error err;
	double y = 1, inf = INFINITY;
	char longid[5000];

	(void)state;
	assert_int_equal(cs_svy_design_new(&opts, &d, &err), CS_OK);
	assert_int_equal(cs_svy_design_new(&opts, &other, &err), CS_OK);
	expect_err(cs_svy_est_new(d, 0, &e, &err), CS_EINVAL, &err, "0 variables: expected 1 to");
	assert_null(e);
	expect_err(cs_svy_est_new(d, 257, &e, &err), CS_EINVAL, &err, "257 variables");
	assert_int_equal(cs_svy_est_new(d, 1, &e, &err), CS_OK);

	expect_err(cs_svy_design_add(d, CS_STR("A"), CS_STR("p"), -1, &ref, &err), CS_EINVAL, &err,
		   "row 1: fpc -1: expected a population size");
	expect_err(cs_svy_design_add(d, CS_STR("A"), CS_STR("p"), NAN, &ref, &err), CS_EINVAL, &err,
		   "row 1: fpc nan");
	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	expect_err(cs_svy_design_add(d, cs_str_from(longid), CS_STR("p"), 10, &ref, &err),
		   CS_ETOOBIG, &err, "longer than 4096 bytes");
	assert_int_equal(cs_svy_design_add(d, CS_STR("A"), CS_STR("p"), 10, &ref, &err), CS_OK);
	expect_err(cs_svy_design_add(d, CS_STR("A"), CS_STR("q"), 12, &ref2, &err), CS_EINVAL, &err,
		   "row 2: fpc 12 for stratum 'A' differs from 10 given before");
	expect_err(cs_svy_design_add(d, CS_STR("B"), CS_STR("q"), 0, &ref2, &err), CS_EINVAL, &err,
		   "row 2: fpc 0: the design's first respondent has an fpc");
	assert_int_equal(cs_svy_design_rows(d), 1);
	assert_int_equal(cs_svy_design_strata(d), 1);
	assert_int_equal(cs_svy_design_add(d, CS_STR("A"), CS_STR("q"), 10, &ref2, &err), CS_OK);

	expect_err(cs_svy_est_add(e, ref, 0, &y, NULL, &err), CS_EINVAL, &err,
		   "weight 0: expected a positive finite number");
	expect_err(cs_svy_est_add(e, ref, inf, &y, NULL, &err), CS_EINVAL, &err, "weight inf");
	expect_err(cs_svy_est_add(e, ref, 1, &inf, NULL, &err), CS_EINVAL, &err,
		   "value inf of variable 1");
	expect_err(cs_svy_est_add(e, (struct cs_svy_ref){0, 7}, 1, &y, NULL, &err), CS_EINVAL, &err,
		   "(stratum 0, PSU 7) is not from this design");
	expect_err(cs_svy_est_add(e, (struct cs_svy_ref){3, 0}, 1, &y, NULL, &err), CS_EINVAL, &err,
		   "not from this design");
	assert_int_equal(cs_svy_est_add(e, ref, 1, &y, NULL, &err), CS_OK);

	expect_err(cs_svy_est_mean(e, 0, &res, &err), CS_ESTATE, &err,
		   "the survey design is not finished");
	assert_int_equal(cs_svy_design_finish(d, &err), CS_OK);
	expect_err(cs_svy_design_add(d, CS_STR("A"), CS_STR("p"), 10, &ref, &err), CS_ESTATE, &err,
		   "row 3: the survey design is finished");
	expect_err(cs_svy_est_mean(e, 1, &res, &err), CS_EINVAL, &err,
		   "variable 2: the estimator has 1");
	expect_err(cs_svy_est_combine(e, (double[]){0}, &res, &err), CS_EINVAL, &err,
		   "every coefficient is 0");
	expect_err(cs_svy_est_combine(e, (double[]){NAN}, &res, &err), CS_EINVAL, &err,
		   "coefficient nan of variable 1");
	assert_int_equal(cs_svy_est_mean(e, 0, &res, &err), CS_OK);
	cs_svy_est_free(e);
	cs_svy_design_free(d);
	cs_svy_design_free(other);
}

/* ---- Groups of variables, prepared estimators, the binary and dense sums ---- */

static void close_to(double got, double want)
{
	if (isnan(want)) {
		assert_true(isnan(got));
		return;
	}
	if (fabs(got - want) > 1e-12 * fmax(1, fabs(want))) {
		fprintf(stderr, "got %.17g, want %.17g\n", got, want);
		fail();
	}
}

static void same_result(const struct cs_svy_result *a, const struct cs_svy_result *b)
{
	close_to(a->mean, b->mean);
	close_to(a->se, b->se);
	close_to(a->df, b->df);
	close_to(a->wsum, b->wsum);
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->flags, b->flags);
}

/*
 * Four 0/1 variables in two groups (0, 1 | 2, 3). all holds the four with
 * groups; g0 only the first two, fed only the respondents who answered one of
 * them, as an estimator of that group alone would be; twice the same answers
 * times 2, which takes the dense sums instead of the binary ones; plain the
 * same as all, never prepared.
 */
struct quad {
	struct cs_svy_design *d;
	struct cs_svy_est *all, *g0, *twice, *plain;
};

static void quad_add(struct quad *q, int i)
{
	struct cs_svy_ref ref;
	char st[16], psu[16];
	double y[4], y2[4];
	bool v[4];

	for (int k = 0; k < 4; k++) {
		y[k] = (double)((i * (k + 3) + k) % 5 < 3);
		y2[k] = 2 * y[k];
		/* Respondents 0, 10, 20, ... answer group 1 only. */
		v[k] = (k < 2 ? i % 10 != 0 : true) && (i + k) % 7 != 0;
	}
	snprintf(st, sizeof(st), "s%d", i % 3);
	snprintf(psu, sizeof(psu), "p%d", i / 4);
	assert_int_equal(cs_svy_design_add(q->d, cs_str_from(st), cs_str_from(psu), 0, &ref, NULL),
			 CS_OK);
	assert_int_equal(cs_svy_est_add(q->all, ref, 1 + i % 4, y, v, NULL), CS_OK);
	assert_int_equal(cs_svy_est_add(q->plain, ref, 1 + i % 4, y, v, NULL), CS_OK);
	assert_int_equal(cs_svy_est_add(q->twice, ref, 1 + i % 4, y2, v, NULL), CS_OK);
	if (v[0] || v[1])
		assert_int_equal(cs_svy_est_add(q->g0, ref, 1 + i % 4, y, v, NULL), CS_OK);
}

static void quad_make(struct quad *q, bool clustered)
{
	struct cs_svy_design_opts opts = {.clustered = clustered};
	const uint8_t groups[4] = {0, 0, 1, 1};

	assert_int_equal(cs_svy_design_new(&opts, &q->d, NULL), CS_OK);
	assert_int_equal(cs_svy_est_new(q->d, 4, &q->all, NULL), CS_OK);
	assert_int_equal(cs_svy_est_new(q->d, 4, &q->plain, NULL), CS_OK);
	assert_int_equal(cs_svy_est_new(q->d, 4, &q->twice, NULL), CS_OK);
	assert_int_equal(cs_svy_est_new(q->d, 2, &q->g0, NULL), CS_OK);
	assert_int_equal(cs_svy_est_set_groups(q->all, 2, groups, NULL), CS_OK);
	assert_int_equal(cs_svy_est_set_groups(q->plain, 2, groups, NULL), CS_OK);
	for (int i = 0; i < 120; i++)
		quad_add(q, i);
}

static void quad_free(struct quad *q)
{
	cs_svy_est_free(q->all);
	cs_svy_est_free(q->plain);
	cs_svy_est_free(q->twice);
	cs_svy_est_free(q->g0);
	cs_svy_design_free(q->d);
}

static void test_groups(void **state)
{
	(void)state;
	for (int clustered = 0; clustered < 2; clustered++) {
		struct quad q;
		struct cs_svy_result rg, r0, rall;
		struct cs_error err;
		const uint8_t bad[4] = {0, 2, 1, 1};

		quad_make(&q, clustered);
		assert_int_equal(cs_svy_design_finish(q.d, NULL), CS_OK);
		/* Group 0's mean equals the one of an estimator of its variables alone. */
		assert_int_equal(
			cs_svy_est_combine_group(q.all, (double[]){0.5, 0.5, 0, 0}, 0, &rg, NULL),
			CS_OK);
		assert_int_equal(cs_svy_est_combine(q.g0, (double[]){0.5, 0.5}, &r0, NULL), CS_OK);
		same_result(&rg, &r0);
		/* Without the group, the respondents of group 1 count too. */
		assert_int_equal(cs_svy_est_combine(q.all, (double[]){0.5, 0.5, 0, 0}, &rall, NULL),
				 CS_OK);
		close_to(rall.mean, rg.mean);
		assert_true(rall.n > rg.n);
		assert_true(rall.wsum > rg.wsum);

		expect_err(
			cs_svy_est_combine_group(q.all, (double[]){0.5, 0, 0.5, 0}, 0, &rg, &err),
			CS_EINVAL, &err, "variable 3: the variable is not in group 0");
		assert_true(isnan(rg.mean));
		expect_err(cs_svy_est_combine_group(q.all, (double[]){1, 0, 0, 0}, 2, &rg, &err),
			   CS_EINVAL, &err, "group 2: the estimator has 2");
		expect_err(cs_svy_est_combine_group(q.twice, (double[]){1, 0, 0, 0}, 0, &rg, &err),
			   CS_EINVAL, &err, "group 0: the estimator has 0");
		expect_err(cs_svy_est_set_groups(q.all, 2, bad, &err), CS_ESTATE, &err,
			   "groups of variables are set once, before the first respondent");
		expect_err(cs_svy_est_merge(q.all, q.twice, &err), CS_EINVAL, &err,
			   "estimators to merge differ in design, variables (4 and 4) or groups");
		quad_free(&q);
	}
}

static void test_set_groups_bad(void **state)
{
	struct cs_svy_design_opts opts = {0};
	struct cs_svy_design *d;
	struct cs_svy_est *e;
	struct cs_error err;

	(void)state;
	assert_int_equal(cs_svy_design_new(&opts, &d, NULL), CS_OK);
	assert_int_equal(cs_svy_est_new(d, 3, &e, NULL), CS_OK);
	expect_err(cs_svy_est_set_groups(e, 2, (const uint8_t[]){0, 2, 1}, &err), CS_EINVAL, &err,
		   "group 2 of variable 2: expected below 2 or none");
	expect_err(cs_svy_est_set_groups(e, 0, (const uint8_t[]){0, 0, 0}, &err), CS_EINVAL, &err,
		   "0 groups: expected 1 to 255");
	assert_int_equal(
		cs_svy_est_set_groups(e, 1, (const uint8_t[]){0, CS_SVY_NO_GROUP, 0}, NULL), CS_OK);
	cs_svy_est_free(e);
	cs_svy_design_free(d);
}

/* Every mean, and combinations over one and several variables, of two estimators. */
static void same_estimates(const struct cs_svy_est *a, const struct cs_svy_est *b, double scale)
{
	static const double combos[][4] = {
		{0.25, 0.25, 0.25, 0.25}, {1, -1, 0, 0}, {0.5, 0, 0, 0.5}, {0, 0, 1, 0}};
	struct cs_svy_result ra, rb;

	for (size_t k = 0; k < 4; k++) {
		assert_int_equal(cs_svy_est_mean(a, k, &ra, NULL), CS_OK);
		assert_int_equal(cs_svy_est_mean(b, k, &rb, NULL), CS_OK);
		ra.mean *= scale;
		ra.se *= scale;
		same_result(&ra, &rb);
		close_to(ra.deff, rb.deff);
	}
	for (size_t c = 0; c < sizeof(combos) / sizeof(combos[0]); c++) {
		assert_int_equal(cs_svy_est_combine(a, combos[c], &ra, NULL), CS_OK);
		assert_int_equal(cs_svy_est_combine(b, combos[c], &rb, NULL), CS_OK);
		ra.mean *= scale;
		ra.se *= scale;
		same_result(&ra, &rb);
	}
}

static void test_binary_and_dense_sums(void **state)
{
	(void)state;
	for (int clustered = 0; clustered < 2; clustered++) {
		struct quad q;

		quad_make(&q, clustered);
		assert_int_equal(cs_svy_design_finish(q.d, NULL), CS_OK);
		/* 0/1 answers take the binary sums, twice them the dense ones:
		 * the estimates are twice as large, to rounding. */
		same_estimates(q.all, q.twice, 2);
		quad_free(&q);
	}
}

static void test_prepare(void **state)
{
	(void)state;
	for (int clustered = 0; clustered < 2; clustered++) {
		struct quad q;
		struct cs_svy_result rg, rp;

		quad_make(&q, clustered);
		assert_int_equal(cs_svy_design_finish(q.d, NULL), CS_OK);
		assert_int_equal(cs_svy_est_prepare(q.all, NULL), CS_OK);
		assert_int_equal(cs_svy_est_prepare(q.all, NULL), CS_OK);
		same_estimates(q.plain, q.all, 1);
		assert_int_equal(
			cs_svy_est_combine_group(q.all, (double[]){0.5, 0.5, 0, 0}, 0, &rp, NULL),
			CS_OK);
		assert_int_equal(
			cs_svy_est_combine_group(q.plain, (double[]){0.5, 0.5, 0, 0}, 0, &rg, NULL),
			CS_OK);
		same_result(&rg, &rp);
		/* A merge undoes the preparation: both estimators double. */
		assert_int_equal(cs_svy_est_merge(q.all, q.plain, NULL), CS_OK);
		assert_int_equal(cs_svy_est_merge(q.plain, q.all, NULL), CS_OK);
		assert_int_equal(cs_svy_est_merge(q.plain, q.plain, NULL), CS_EINVAL);
		assert_int_equal(cs_svy_est_mean(q.all, 0, &rp, NULL), CS_OK);
		assert_int_equal(cs_svy_est_mean(q.g0, 0, &rg, NULL), CS_OK);
		/* all now holds every respondent twice: twice the weight of g0's. */
		assert_true(rp.wsum > 1.9 * rg.wsum);
		quad_free(&q);
	}
}

static struct cs_svy_design *fpc_design(const double *fpc, const char *const *strata, size_t n,
					struct cs_error *err, enum cs_err *rc)
{
	struct cs_svy_design_opts opts = {.clustered = false};
	struct cs_svy_design *d;
	struct cs_svy_ref ref;

	assert_int_equal(cs_svy_design_new(&opts, &d, err), CS_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(
			cs_svy_design_add(d, cs_str_from(strata[i]), CS_STR(""), fpc[i], &ref, err),
			CS_OK);
	*rc = cs_svy_design_finish(d, err);
	return d;
}

static void test_fpc_kinds(void **state)
{
	const char *const strata[] = {"A", "A", "B", "B"};
	struct cs_error err;
	enum cs_err rc;
	struct cs_svy_design *d;

	(void)state;
	d = fpc_design((double[]){100, 100, 0.5, 0.5}, strata, 4, &err, &rc);
	expect_err(rc, CS_EINVAL, &err,
		   "fpc 100 in stratum 'A' is a population size but 0.5 in stratum 'B' is a "
		   "sampling fraction");
	cs_svy_design_free(d);
	d = fpc_design((double[]){1, 1, 1, 1}, strata, 4, &err, &rc);
	expect_err(rc, CS_EINVAL, &err, "every fpc is 1: ambiguous");
	cs_svy_design_free(d);
	d = fpc_design((double[]){100, 100, 1, 1}, strata, 4, &err, &rc);
	expect_err(rc, CS_EINVAL, &err,
		   "stratum 'B': fpc 1 means 1 PSUs in the population but 2 are sampled");
	cs_svy_design_free(d);
	/* Fractions up to 1 (a census stratum) and sizes with Inf are fine. */
	d = fpc_design((double[]){0.1, 0.1, 1, 1}, strata, 4, &err, &rc);
	assert_int_equal(rc, CS_OK);
	cs_svy_design_free(d);
	d = fpc_design((double[]){INFINITY, INFINITY, 2, 2}, strata, 4, &err, &rc);
	assert_int_equal(rc, CS_OK);
	cs_svy_design_free(d);
}

/* ---- Out of memory ---- */

/* The whole life cycle on a small design; returns the first failure. */
static enum cs_err lifecycle(bool clustered, struct cs_error *err)
{
	struct cs_svy_design_opts opts = {.clustered = clustered, .lonely = CS_SVY_LONELY_FAIL};
	struct cs_svy_design *d = NULL;
	struct cs_svy_est *e = NULL;
	struct cs_svy_result res;
	char s[8], p[8];
	enum cs_err rc;

	rc = cs_svy_design_new(&opts, &d, err);
	if (rc)
		goto out;
	rc = cs_svy_est_new(d, 3, &e, err);
	if (!rc)
		rc = cs_svy_est_set_groups(e, 2, (const uint8_t[]){0, 0, 1}, err);
	if (rc)
		goto out;
	for (int i = 0; i < 200; i++) {
		struct cs_svy_ref ref;
		double y[3] = {i % 2, i % 3 == 0, i % 5};
		bool valid[3] = {true, i % 4 != 0, true};

		snprintf(s, sizeof(s), "s%d", i % 5);
		snprintf(p, sizeof(p), "p%d", i % 40);
		rc = cs_svy_design_add(d, cs_str_from(s), cs_str_from(p), 0, &ref, err);
		if (rc)
			goto out;
		rc = cs_svy_est_add(e, ref, 1 + i % 3, y, valid, err);
		if (rc)
			goto out;
	}
	rc = cs_svy_design_finish(d, err);
	if (rc)
		goto out;
	rc = cs_svy_est_mean(e, 1, &res, err);
	if (rc)
		goto out;
	rc = cs_svy_est_combine(e, (double[]){0.5, 0.5, 0}, &res, err);
	if (!rc)
		rc = cs_svy_est_prepare(e, err);
	if (!rc)
		rc = cs_svy_est_combine_group(e, (double[]){0.5, 0.5, 0}, 0, &res, err);
out:
	cs_svy_est_free(e);
	cs_svy_design_free(d);
	return rc;
}

static void test_out_of_memory(void **state)
{
	(void)state;
	for (int clustered = 0; clustered < 2; clustered++) {
		long n;

		for (n = 0;; n++) {
			struct cs_error err;
			enum cs_err rc;

			cs_alloc_fail_after(n);
			rc = lifecycle(clustered, &err);
			cs_alloc_fail_after(-1);
			if (rc == CS_OK)
				break;
			assert_int_equal(rc, CS_ENOMEM);
			assert_string_equal(err.msg, "out of memory");
		}
		assert_true(n > 5);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_reference_clustered_storage),
		cmocka_unit_test(test_srs_by_hand),
		cmocka_unit_test(test_fpc_by_hand),
		cmocka_unit_test(test_stratified_by_hand),
		cmocka_unit_test(test_domain_counts_unreached_psus),
		cmocka_unit_test(test_lonely_rules),
		cmocka_unit_test(test_empty_and_edges),
		cmocka_unit_test(test_combine_matches_items),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_fpc_kinds),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_set_groups_bad),
		cmocka_unit_test(test_binary_and_dense_sums),
		cmocka_unit_test(test_prepare),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
