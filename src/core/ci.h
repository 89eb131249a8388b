/*
 * Confidence intervals for proportions (METHODOLOGY M3.5): Wilson score and
 * Clopper-Pearson for unweighted counts, and the intervals of R's svyciprop
 * (logit, mean, beta) for design-based estimates. The methods are rows of one
 * table, looked up by name.
 */
#ifndef CHISO_CORE_CI_H
#define CHISO_CORE_CI_H

#include <stddef.h>

#include "chiso/error.h"
#include "util/str.h"

/* What a method could make of its input. */
enum cs_ci_status {
	CS_CI_OK,	  /* an interval with lo <= hi */
	CS_CI_DEGENERATE, /* the estimate is 0 or 1, or its standard error is 0: lo = hi = p */
	CS_CI_NONE	  /* no interval (no observations, no degrees of freedom): lo, hi NaN */
};

struct cs_ci {
	double lo, hi;
	enum cs_ci_status status;
};

/*
 * The input of every method; each reads only the fields it needs (see the
 * method table): counts s of n for the unweighted methods, an estimate p with
 * standard error se on df degrees of freedom for the design-based ones (df
 * INFINITY: normal quantiles). The beta method also reads n, the number of
 * respondents behind p. alpha is 1 - confidence level, in (0, 1).
 */
struct cs_ci_input {
	double alpha;
	double s, n;
	double p, se, df;
};

/* Which fields of struct cs_ci_input a method reads. */
enum cs_ci_kind {
	CS_CI_FROM_COUNTS,  /* s, n */
	CS_CI_FROM_ESTIMATE /* p, se, df (and n for beta) */
};

/* One interval method: a row of the method table. */
struct cs_ci_method {
	const char *name; /* "wilson", "clopper-pearson", "logit", "wald", "beta" */
	enum cs_ci_kind kind;
	const char *summary; /* one line for help texts */
	enum cs_err (*compute)(const struct cs_ci_input *in, struct cs_ci *out,
			       struct cs_error *err);
};

/* The method named name (ASCII case-insensitive), or NULL when unknown. */
const struct cs_ci_method *cs_ci_method_find(struct cs_str name);

/* The i-th method of the table, or NULL past its end; for listing them. */
const struct cs_ci_method *cs_ci_method_at(size_t i);

/*
 * Runs the method named name on in. CS_EINVAL when the name is unknown or the
 * input is out of range (the message names the field and value); otherwise
 * what the method returns.
 */
enum cs_err cs_ci_compute(struct cs_str name, const struct cs_ci_input *in, struct cs_ci *out,
			  struct cs_error *err);

/*
 * Wilson score interval for s successes in n trials, as R's
 * prop.test(s, n, correct = FALSE): n = 0 gives CS_CI_NONE. CS_EINVAL when s or
 * n is negative or not finite, s > n, or alpha is outside (0, 1).
 */
enum cs_err cs_ci_wilson(double s, double n, double alpha, struct cs_ci *out, struct cs_error *err);

/*
 * Clopper-Pearson exact interval, as R's binom.test(s, n): beta quantiles,
 * with lo = 0 when s = 0 and hi = 1 when s = n; n = 0 gives CS_CI_NONE.
 * Errors as cs_ci_wilson, and CS_EINTERNAL if a quantile cannot be computed.
 */
enum cs_err cs_ci_clopper_pearson(double s, double n, double alpha, struct cs_ci *out,
				  struct cs_error *err);

/*
 * The logit interval of R's svyciprop(method = "logit"): on the scale
 * eta = log(p / (1 - p)), eta -+ q * se / (p (1 - p)) with q the t quantile on
 * df degrees of freedom (normal when df is INFINITY), mapped back. df <= 0
 * gives CS_CI_NONE (R gives NaN); p = 0, p = 1 or se = 0 give CS_CI_DEGENERATE
 * with lo = hi = p (R's iterative fit returns limits within 1e-8 of p there).
 * CS_EINVAL when p is outside [0, 1], se is negative or either is not a
 * number, df is NaN or alpha is outside (0, 1).
 */
enum cs_err cs_ci_logit(double p, double se, double df, double alpha, struct cs_ci *out,
			struct cs_error *err);

/*
 * The Wald interval p -+ q * se, R's svyciprop(method = "mean") and
 * confint(svymean(...), df = df). Not clipped to [0, 1], as in R; usable for
 * any mean, so p may be any finite number. df <= 0 gives CS_CI_NONE, se = 0
 * gives CS_CI_DEGENERATE.
 */
enum cs_err cs_ci_wald(double p, double se, double df, double alpha, struct cs_ci *out,
		       struct cs_error *err);

/*
 * The Korn-Graubard beta interval of R's svyciprop(method = "beta"): a
 * Clopper-Pearson interval on the effective sample size
 * p (1 - p) / se^2 * (t(n - 1) / t(df))^2, n the respondents behind p.
 * CS_CI_NONE when df <= 0, n <= 1, p is 0 or 1 or se = 0 (R gives NaN there).
 */
enum cs_err cs_ci_beta(double p, double se, double df, double n, double alpha, struct cs_ci *out,
		       struct cs_error *err);

/*
 * The two-sided quantile q with P(|T| <= q) = 1 - alpha for Student's t on df
 * degrees of freedom, the normal one when df is INFINITY; NaN when df <= 0.
 */
double cs_ci_quantile(double alpha, double df);

#endif
