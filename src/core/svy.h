/*
 * Design-based estimation of means and proportions over domains (METHODOLOGY
 * M3.5): streaming accumulators for stratified, clustered, weighted samples with
 * finite population corrections, and Taylor-linearised variances, design
 * degrees of freedom and design effects computed as R's survey package does
 * (svydesign, svymean on a subset(), svyby, degf). See docs/internals/stats.md.
 *
 * Use: one design holds the sample's structure (strata, PSUs, fpc); every
 * respondent of the sample is added to it once, in-domain or not, because the
 * variance of a domain estimate counts the PSUs the domain does not reach.
 * One estimator per domain accumulates the in-domain respondents' answers:
 *
 *     cs_svy_design_add(d, stratum, psu, fpc, &ref, err);
 *     for each domain the respondent belongs to:
 *             cs_svy_est_add(est[domain], ref, weight, y, valid, err);
 *     ...
 *     cs_svy_design_finish(d, err);
 *     cs_svy_est_mean(est[domain], k, &result, err);
 *
 * Memory grows with the strata and PSUs seen (per design) and with the PSUs a
 * domain reaches (per estimator), never with respondents, except that a
 * clustered design keeps one entry per PSU id given.
 */
#ifndef CHISO_CORE_SVY_H
#define CHISO_CORE_SVY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/ci.h"
#include "util/str.h"

/*
 * What to do with a stratum that has a single PSU in the sample, R's
 * options(survey.lonely.psu = ...). The rule applies only where a domain
 * reaches such a stratum.
 */
enum cs_svy_lonely {
	CS_SVY_LONELY_FAIL,	 /* an error (R's default) */
	CS_SVY_LONELY_CERTAINTY, /* the stratum adds no variance (a PSU sampled with certainty) */
	CS_SVY_LONELY_REMOVE,	 /* no variance either; the same as certainty in survey 4.x */
	CS_SVY_LONELY_ADJUST, /* the PSU's deviation from the overall mean instead of the stratum mean */
	CS_SVY_LONELY_AVERAGE, /* variance scaled up by strata / strata with more than one PSU */
	CS_SVY_LONELY_COUNT_
};

/* "fail", "certainty", "remove", "adjust", "average"; NULL when out of range. */
const char *cs_svy_lonely_name(enum cs_svy_lonely rule);

/* Parses a rule name (ASCII case-insensitive); false when unknown. */
bool cs_svy_lonely_parse(struct cs_str s, enum cs_svy_lonely *out);

struct cs_svy_design_opts {
	/* false: every respondent is its own PSU (R's ids = ~1) and PSU ids are
	 * ignored; the estimators then keep sums per stratum only. */
	bool clustered;
	enum cs_svy_lonely lonely;
};

/* The sample's structure. Opaque. */
struct cs_svy_design;

/*
 * Creates an empty design; *out is owned by the caller, freed with
 * cs_svy_design_free. CS_ENOMEM.
 */
enum cs_err cs_svy_design_new(const struct cs_svy_design_opts *opts, struct cs_svy_design **out,
			      struct cs_error *err);

/*
 * Frees the design; NULL is a no-op. Its estimators must not be used after
 * this, but may be freed before or after it.
 */
void cs_svy_design_free(struct cs_svy_design *d);

/* Where a respondent sits in the design; pass it to cs_svy_est_add. */
struct cs_svy_ref {
	uint32_t stratum;
	uint32_t psu; /* UINT32_MAX in an unclustered design */
};

/*
 * Adds one respondent of the sample. stratum and psu are ids (any bytes; the
 * empty stratum for an unstratified design); PSU ids are nested in strata
 * (R's nest = TRUE). fpc is the stratum's finite population correction as R's
 * svydesign(fpc = ) takes it: the number of PSUs in the stratum's population
 * (or of respondents' population units when unclustered), or the sampling
 * fraction; 0 means none. Whether fpc values are sizes or fractions is decided
 * over the whole design at cs_svy_design_finish, as R does. Fills *ref.
 * CS_EINVAL for a negative or NaN fpc, an fpc given for some respondents only
 * or differing within a stratum; CS_ESTATE after finish; CS_ETOOBIG past 2^32 - 2
 * strata or PSUs or for an id longer than 4096 bytes; CS_ENOMEM.
 */
enum cs_err cs_svy_design_add(struct cs_svy_design *d, struct cs_str stratum, struct cs_str psu,
			      double fpc, struct cs_svy_ref *ref, struct cs_error *err);

/*
 * Closes the design after the last respondent: resolves the fpc values into
 * sampling fractions. CS_EINVAL when fpc values mix sizes (> 1) and fractions
 * (< 1), are all exactly 1 (ambiguous; R rejects it too), or imply more PSUs
 * sampled than exist in a stratum. Calling it twice is harmless.
 */
enum cs_err cs_svy_design_finish(struct cs_svy_design *d, struct cs_error *err);

/* Numbers of strata, PSUs (respondents when unclustered) and respondents added. */
size_t cs_svy_design_strata(const struct cs_svy_design *d);
size_t cs_svy_design_psus(const struct cs_svy_design *d);
size_t cs_svy_design_rows(const struct cs_svy_design *d);

/* An accumulator of nvars variables over one domain. Opaque. */
struct cs_svy_est;

/*
 * Creates an estimator of nvars (1 to 256) variables over the design d,
 * which must outlive it. *out is owned by the caller, freed with
 * cs_svy_est_free. CS_EINVAL for nvars out of range, CS_ENOMEM.
 */
enum cs_err cs_svy_est_new(const struct cs_svy_design *d, size_t nvars, struct cs_svy_est **out,
			   struct cs_error *err);

/* Frees the estimator; NULL is a no-op. */
void cs_svy_est_free(struct cs_svy_est *e);

/* The group of a variable that belongs to none (cs_svy_est_set_groups). */
#define CS_SVY_NO_GROUP 255

/*
 * Assigns the estimator's variables to groups: group[k] is variable k's group
 * (below ngroups, at most 255 groups) or CS_SVY_NO_GROUP. Each stratum or PSU
 * then also counts the respondents with a valid answer in each group, so that
 * a combination of one group's variables (cs_svy_est_combine_group) has the
 * n, wsum, df and lonely-stratum rule of an estimator that held those
 * variables alone (M3.3: an element index over the element's respondents),
 * without accumulating its sums a second time. Set once, before the first
 * respondent. CS_ESTATE after a respondent or a second call; CS_EINVAL for a
 * group out of range; CS_ENOMEM.
 */
enum cs_err cs_svy_est_set_groups(struct cs_svy_est *e, size_t ngroups, const uint8_t *group,
				  struct cs_error *err);

/*
 * Adds one in-domain respondent: ref from cs_svy_design_add, the sampling
 * weight (1 when the sample has no weights), the nvars values y and which of
 * them are valid answers (NULL: all). Invalid values are ignored, as R's
 * na.rm = TRUE drops them. Respondents may be added before or after the
 * design is finished (a second pass over the data). CS_EINVAL for a weight
 * that is not positive and finite, a valid value that is not finite or a ref
 * not from the design; CS_ENOMEM. On failure the estimator is unchanged.
 */
enum cs_err cs_svy_est_add(struct cs_svy_est *e, struct cs_svy_ref ref, double weight,
			   const double *y, const bool *valid, struct cs_error *err);

/*
 * As cs_svy_est_add, with variable k weighted by weight * scale[k] (scale
 * NULL: all 1). A mean then becomes the ratio sum(w s y) / sum(w s) with its
 * linearised variance, as R's svyratio(~I(s * y), ~s) computes it: the pooled
 * index 100 * sum satisfied / sum valid over several items (M3.3) is the
 * variable y = satisfied / valid with scale = valid answers, and a linear
 * combination of such variables has its variance from the same sums.
 * weight alone counts in wsum of combinations. CS_EINVAL as
 * cs_svy_est_add, and for a valid variable whose scale is not positive and
 * finite.
 */
enum cs_err cs_svy_est_add_scaled(struct cs_svy_est *e, struct cs_svy_ref ref, double weight,
				  const double *scale, const double *y, const bool *valid,
				  struct cs_error *err);

/*
 * As cs_svy_est_add_scaled, for a ref just returned by cs_svy_design_add on
 * the estimator's design, which is not looked up again: another thread may be
 * adding the next respondents to the design meanwhile (one thread places
 * respondents in the design, others accumulate them into estimators of their
 * own). Nothing else of the design is read. A ref not from the design is
 * undefined behaviour, except an unclustered ref given to a clustered
 * estimator (CS_EINVAL).
 */
enum cs_err cs_svy_est_add_concurrent(struct cs_svy_est *e, struct cs_svy_ref ref, double weight,
				      const double *scale, const double *y, const bool *valid,
				      struct cs_error *err);

/*
 * Adds everything src has accumulated to dst, so that dst then estimates the
 * union of both domains, as if each of src's respondents had also been
 * added to dst (M3.4: a parent unit's domain pools its children's
 * respondents). The domains must not share a respondent. src is unchanged.
 * CS_EINVAL when the two differ in design, number of variables or groups or are the
 * same estimator; CS_ENOMEM, with dst unchanged.
 */
enum cs_err cs_svy_est_merge(struct cs_svy_est *dst, const struct cs_svy_est *src,
			     struct cs_error *err);

/*
 * Prepares the estimator for many estimates after its last respondent: the
 * linearised totals of every variable and the sums of their products are
 * computed once per stratum or PSU, so that each later cs_svy_est_mean or
 * cs_svy_est_combine costs the square of its nonzero coefficients per
 * stratum or PSU instead of recomputing them from the cross sums (M3.6: a
 * domain's weak-area tests are dozens of combinations over the same
 * variables). Results agree with the unprepared ones up to rounding. Adding a
 * respondent or merging into the estimator undoes it; preparing again is
 * allowed. Optional: CS_ENOMEM or CS_ETOOBIG leave the estimator usable,
 * unprepared.
 */
enum cs_err cs_svy_est_prepare(struct cs_svy_est *e, struct cs_error *err);

/* Flags of a result. */
enum {
	CS_SVY_EMPTY = 1u << 0,	 /* no valid answer: mean, se and the rest are NaN */
	CS_SVY_LONELY = 1u << 1, /* a single-PSU stratum was handled by the lonely rule */
};

/*
 * A domain estimate. For one variable these are R's
 * svymean(~y, subset(design, domain & !is.na(y)), deff = TRUE) and friends.
 */
struct cs_svy_result {
	double mean;	     /* weighted mean (a proportion for 0/1 answers) */
	double se;	     /* linearised standard error */
	double var;	     /* se^2 */
	double df;	     /* degf(): PSUs reached minus strata reached */
	uint64_t n;	     /* respondents with a valid answer */
	double wsum;	     /* their total weight */
	double deff;	     /* design effect against simple random sampling without
				replacement from a population of wsum (R: deff = TRUE);
				Inf when wsum = n, NaN when wsum < n */
	double deff_replace; /* against sampling with replacement (R: deff = "replace") */
	double n_eff;	     /* effective sample size n / deff_replace */
	unsigned flags;	     /* CS_SVY_EMPTY, CS_SVY_LONELY */
};

/*
 * The estimate of variable var (< nvars) over the domain. CS_ESTATE when the
 * design is not finished, or when a stratum with a single PSU is reached and
 * the rule is CS_SVY_LONELY_FAIL (the message names the stratum); CS_EINVAL for
 * var out of range; CS_ENOMEM. A domain without valid answers is CS_OK with
 * CS_SVY_EMPTY set.
 */
enum cs_err cs_svy_est_mean(const struct cs_svy_est *e, size_t var, struct cs_svy_result *out,
			    struct cs_error *err);

/*
 * The linear combination sum_k coef[k] * mean_k of the nvars variables' means,
 * each over its own valid answers, with its linearised variance (M3.3, M3.5:
 * an element index is the mean of its item indices, coef[k] = 1 / items).
 * With more than one nonzero coefficient the respondents behind n, wsum, df
 * and the lonely-stratum rule are those with a valid answer to at least one of
 * the estimator's variables; deff, deff_replace and n_eff are NaN. With one
 * nonzero coefficient c it is c times cs_svy_est_mean. CS_SVY_EMPTY when a
 * variable with a nonzero coefficient has no valid answer. Errors as
 * cs_svy_est_mean, and CS_EINVAL when coef is all zeros or not finite.
 */
enum cs_err cs_svy_est_combine(const struct cs_svy_est *e, const double *coef,
			       struct cs_svy_result *out, struct cs_error *err);

/*
 * As cs_svy_est_combine, with the respondents behind n, wsum, df and the
 * lonely-stratum rule those with a valid answer to at least one variable of
 * the group (cs_svy_est_set_groups): the result equals cs_svy_est_combine on
 * an estimator holding only the group's variables. Errors as
 * cs_svy_est_combine, and CS_EINVAL for a group out of range or a nonzero
 * coefficient of a variable outside the group.
 */
enum cs_err cs_svy_est_combine_group(const struct cs_svy_est *e, const double *coef, size_t group,
				     struct cs_svy_result *out, struct cs_error *err);

/*
 * The interval of a result with the named method of core/ci.h at level
 * 1 - alpha: the estimate methods get mean, se, df and n; the count methods
 * get s = mean * n of n, which only makes sense for unweighted 0/1 answers.
 * An empty result gives CS_CI_NONE. Errors as cs_ci_compute.
 */
enum cs_err cs_svy_ci(const struct cs_svy_result *r, struct cs_str method, double alpha,
		      struct cs_ci *out, struct cs_error *err);

#endif
