/*
 * Confidence intervals for proportions (METHODOLOGY M3.5), each method a row
 * of one table. Distribution functions come from GSL; the formulas follow R's prop.test,
 * binom.test and survey::svyciprop, which tests/reference/ checks them against.
 */
#include <math.h>
#include <stdbool.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "core/ci.h"

#include "util/banned.h"

static enum cs_err check_alpha(double alpha, struct cs_error *err)
{
	if (!(alpha > 0 && alpha < 1))
		return cs_fail(err, CS_EINVAL, "alpha %g: expected a number between 0 and 1",
			       alpha);
	return CS_OK;
}

static enum cs_err check_counts(double s, double n, double alpha, struct cs_error *err)
{
	if (!isfinite(n) || n < 0)
		return cs_fail(err, CS_EINVAL, "n %g: expected a count of at least 0", n);
	if (!isfinite(s) || s < 0 || s > n)
		return cs_fail(err, CS_EINVAL, "s %g: expected a count between 0 and n = %g", s, n);
	return check_alpha(alpha, err);
}

static enum cs_err check_estimate(double p, double se, double df, double alpha, bool proportion,
				  struct cs_error *err)
{
	if (proportion ? !(p >= 0 && p <= 1) : !isfinite(p))
		return cs_fail(err, CS_EINVAL, "estimate %g: expected %s", p,
			       proportion ? "a proportion between 0 and 1" : "a finite number");
	if (!(se >= 0) || !isfinite(se))
		return cs_fail(err, CS_EINVAL, "standard error %g: expected a finite number >= 0",
			       se);
	if (isnan(df))
		return cs_fail(err, CS_EINVAL, "degrees of freedom NaN: expected a number");
	return check_alpha(alpha, err);
}

static void set(struct cs_ci *out, double lo, double hi, enum cs_ci_status status)
{
	out->lo = lo;
	out->hi = hi;
	out->status = status;
}

static void set_none(struct cs_ci *out)
{
	set(out, NAN, NAN, CS_CI_NONE);
}

double cs_ci_quantile(double alpha, double df)
{
	if (!(df > 0))
		return NAN;
	if (isinf(df))
		return gsl_cdf_ugaussian_Qinv(alpha / 2);
	return gsl_cdf_tdist_Qinv(alpha / 2, df);
}

/*
 * The q-quantile of Beta(a, b), the x with I_x(a, b) = q, for small q.
 * GSL's gsl_cdf_beta_Pinv fails to converge on inputs such as q = 0.05,
 * a = 1, b = 100000 (the Clopper-Pearson limit of 1 in 100000 at 90%) and
 * then calls GSL's error handler, which aborts by default. So the quantile is
 * found here: Newton steps on gsl_cdf_beta_P inside a bracket [lo, hi] that
 * always holds the root; a step that leaves the bracket is replaced by
 * bisection, geometric when the bracket spans orders of magnitude, since
 * quantiles near 0 are tiny. NaN if the distribution function fails.
 */
static double beta_lower(double q, double a, double b)
{
	double lo = 0, hi = 1, x = a / (a + b);

	for (int i = 0; i < 2000; i++) {
		double px = gsl_cdf_beta_P(x, a, b), nx;

		if (isnan(px))
			return NAN;
		if (px == q)
			return x;
		if (px < q)
			lo = x;
		else
			hi = x;
		nx = x - (px - q) / gsl_ran_beta_pdf(x, a, b);
		if (!(nx > lo && nx < hi))
			nx = lo == 0 ? hi / 8 : hi / lo > 8 ? sqrt(lo * hi) : (lo + hi) / 2;
		if (fabs(nx - x) <= 1e-15 * nx || hi - lo <= 1e-15 * hi)
			return nx;
		x = nx;
	}
	return x;
}

/*
 * The value x with P(X > x) = q for X ~ Beta(a, b), computed as 1 minus the
 * q-quantile of Beta(b, a) so that small upper tails keep their precision.
 */
static double beta_upper(double q, double a, double b)
{
	return 1 - beta_lower(q, b, a);
}

enum cs_err cs_ci_wilson(double s, double n, double alpha, struct cs_ci *out, struct cs_error *err)
{
	enum cs_err rc = check_counts(s, n, alpha, err);
	double z, p, z22n, centre, half, denom;

	set_none(out);
	if (rc)
		return rc;
	if (n == 0)
		return CS_OK;
	/* prop.test's form of the score interval (M3.5): the roots of
	 * (p - P)^2 = z^2 P (1 - P) / n, written around p + z^2 / 2n. */
	z = cs_ci_quantile(alpha, INFINITY);
	p = s / n;
	z22n = z * z / (2 * n);
	centre = p + z22n;
	half = z * sqrt(p * (1 - p) / n + z22n / (2 * n));
	denom = 1 + 2 * z22n;
	set(out, s == 0 ? 0 : (centre - half) / denom, s == n ? 1 : (centre + half) / denom,
	    CS_CI_OK);
	return CS_OK;
}

enum cs_err cs_ci_clopper_pearson(double s, double n, double alpha, struct cs_ci *out,
				  struct cs_error *err)
{
	enum cs_err rc = check_counts(s, n, alpha, err);
	double lo, hi;

	set_none(out);
	if (rc)
		return rc;
	if (n == 0)
		return CS_OK;
	/* binom.test (M3.5): the limits are the p at which the one-sided
	 * binomial tails equal alpha / 2, i.e. beta quantiles. */
	lo = s == 0 ? 0 : beta_lower(alpha / 2, s, n - s + 1);
	hi = s == n ? 1 : beta_upper(alpha / 2, s + 1, n - s);
	if (isnan(lo) || isnan(hi))
		return cs_fail(err, CS_EINTERNAL,
			       "beta quantile for %g of %g at alpha %g could not be computed", s, n,
			       alpha);
	set(out, lo, hi, CS_CI_OK);
	return CS_OK;
}

static double expit(double x)
{
	return 1 / (1 + exp(-x));
}

enum cs_err cs_ci_logit(double p, double se, double df, double alpha, struct cs_ci *out,
			struct cs_error *err)
{
	enum cs_err rc = check_estimate(p, se, df, alpha, true, err);
	double eta, half;

	set_none(out);
	if (rc)
		return rc;
	if (!(df > 0))
		return CS_OK;
	if (p == 0 || p == 1 || se == 0) {
		set(out, p, p, CS_CI_DEGENERATE);
		return CS_OK;
	}
	/* svyciprop(method = "logit") fits an intercept-only quasibinomial
	 * svyglm, whose sandwich variance of the intercept is the delta-method
	 * var(p) / (p (1 - p))^2, and takes a Wald interval with t(df)
	 * quantiles on that scale (M3.5). */
	eta = log(p) - log1p(-p);
	half = cs_ci_quantile(alpha, df) * se / (p * (1 - p));
	set(out, expit(eta - half), expit(eta + half), CS_CI_OK);
	return CS_OK;
}

enum cs_err cs_ci_wald(double p, double se, double df, double alpha, struct cs_ci *out,
		       struct cs_error *err)
{
	enum cs_err rc = check_estimate(p, se, df, alpha, false, err);
	double half;

	set_none(out);
	if (rc)
		return rc;
	if (!(df > 0))
		return CS_OK;
	if (se == 0) {
		set(out, p, p, CS_CI_DEGENERATE);
		return CS_OK;
	}
	half = cs_ci_quantile(alpha, df) * se;
	set(out, p - half, p + half, CS_CI_OK);
	return CS_OK;
}

enum cs_err cs_ci_beta(double p, double se, double df, double n, double alpha, struct cs_ci *out,
		       struct cs_error *err)
{
	enum cs_err rc = check_estimate(p, se, df, alpha, true, err);
	double ratio, neff, lo, hi;

	set_none(out);
	if (rc)
		return rc;
	if (!isfinite(n) || n < 0)
		return cs_fail(err, CS_EINVAL, "n %g: expected a count of at least 0", n);
	if (!(df > 0) || n <= 1 || p == 0 || p == 1 || se == 0)
		return CS_OK;
	/* Korn and Graubard's effective sample size, with the degrees-of-freedom
	 * adjustment svyciprop(method = "beta") applies (M3.5). */
	ratio = cs_ci_quantile(alpha, n - 1) / cs_ci_quantile(alpha, df);
	neff = p * (1 - p) / (se * se) * ratio * ratio;
	lo = beta_lower(alpha / 2, neff * p, neff * (1 - p) + 1);
	hi = beta_upper(alpha / 2, neff * p + 1, neff * (1 - p));
	if (isnan(lo) || isnan(hi))
		return cs_fail(
			err, CS_EINTERNAL,
			"beta quantile for p %g on %g effective respondents could not be computed",
			p, neff);
	set(out, lo, hi, CS_CI_OK);
	return CS_OK;
}

static enum cs_err run_wilson(const struct cs_ci_input *in, struct cs_ci *out, struct cs_error *err)
{
	return cs_ci_wilson(in->s, in->n, in->alpha, out, err);
}

static enum cs_err run_clopper_pearson(const struct cs_ci_input *in, struct cs_ci *out,
				       struct cs_error *err)
{
	return cs_ci_clopper_pearson(in->s, in->n, in->alpha, out, err);
}

static enum cs_err run_logit(const struct cs_ci_input *in, struct cs_ci *out, struct cs_error *err)
{
	return cs_ci_logit(in->p, in->se, in->df, in->alpha, out, err);
}

static enum cs_err run_wald(const struct cs_ci_input *in, struct cs_ci *out, struct cs_error *err)
{
	return cs_ci_wald(in->p, in->se, in->df, in->alpha, out, err);
}

static enum cs_err run_beta(const struct cs_ci_input *in, struct cs_ci *out, struct cs_error *err)
{
	return cs_ci_beta(in->p, in->se, in->df, in->n, in->alpha, out, err);
}

static const struct cs_ci_method methods[] = {
	{"wilson", CS_CI_FROM_COUNTS, "Wilson score interval (unweighted, default)", run_wilson},
	{"clopper-pearson", CS_CI_FROM_COUNTS, "Clopper-Pearson exact interval (unweighted)",
	 run_clopper_pearson},
	{"logit", CS_CI_FROM_ESTIMATE,
	 "logit interval with t(df) quantiles (survey designs, default)", run_logit},
	{"wald", CS_CI_FROM_ESTIMATE, "estimate -+ t(df) standard errors", run_wald},
	{"beta", CS_CI_FROM_ESTIMATE, "Korn-Graubard beta interval", run_beta},
};

const struct cs_ci_method *cs_ci_method_find(struct cs_str name)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (cs_str_eq_nocase(name, methods[i].name))
			return &methods[i];
	return NULL;
}

const struct cs_ci_method *cs_ci_method_at(size_t i)
{
	return i < sizeof(methods) / sizeof(methods[0]) ? &methods[i] : NULL;
}

enum cs_err cs_ci_compute(struct cs_str name, const struct cs_ci_input *in, struct cs_ci *out,
			  struct cs_error *err)
{
	const struct cs_ci_method *m = cs_ci_method_find(name);

	if (!m) {
		set_none(out);
		return cs_fail(err, CS_EINVAL,
			       "interval method '%.*s': expected wilson, clopper-pearson, logit, "
			       "wald or beta",
			       (int)(name.len > 64 ? 64 : name.len), name.ptr ? name.ptr : "");
	}
	return m->compute(in, out, err);
}
