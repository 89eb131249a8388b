/*
 * Scoring rules (METHODOLOGY M2.3): how a measured value becomes the points
 * of a framework leaf. Rules are rows of one table of names, parameters and
 * functions; adding a rule is one row and two functions in rules.c.
 */
#ifndef CHISO_CORE_RULES_H
#define CHISO_CORE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"

/* Most rows of a `steps` table. */
#define CS_RULE_STEPS_MAX 32

/*
 * Tolerance of the rules' comparisons, in the unit of the value: a value
 * within it of a step, a bound or an end of a range counts as on it. It
 * absorbs binary representation error (0.7999999999999999 reaches 0.8).
 */
#define CS_RULE_EPS 1e-9

/* One parameter of a leaf's rule as the framework file writes it: key=value. */
struct cs_rule_param {
	const char *key;
	const char *value;
};

/*
 * A rule's parameters parsed once (cs_rule_compile) so that scoring does not
 * parse text per unit. Only the fields of the rule in question are used.
 */
struct cs_rule_params {
	double step;			  /* manual */
	double t;			  /* threshold */
	double lo, hi;			  /* linear */
	size_t nsteps;			  /* steps: rows of the table */
	double bounds[CS_RULE_STEPS_MAX]; /* steps: lower bounds, strictly descending */
	double points[CS_RULE_STEPS_MAX]; /* steps: points as fractions of max, 0..1 */
};

/*
 * A row of the rule table.
 *
 *   manual     value = the points themselves, in [0, max], a multiple of
 *              `step` (optional, default 0.25; max must be a multiple too).
 *   yesno      value 1 (done) -> max, 0 -> 0; anything else is an error.
 *   ratio      value = a rate in [0, 1] -> rate * max.
 *   threshold  value = a rate in [0, 1] -> min(1, rate / t) * max, with
 *              `t` in (0, 1] (QĐ 766: t = 0.8 gives full points at 80%).
 *   steps      `bounds` = descending lower bounds, `points` = the share of
 *              max for each, both comma-separated lists of equal length:
 *              bounds=1,0.8 points=1,0.5 gives 100% -> max, 80..<100% ->
 *              max/2, below 80% -> 0. The first bound the value reaches
 *              wins; below the last bound gives 0. Points are fractions of
 *              max so that one table serves leaves of any maximum.
 *   linear     max * (value - lo) / (hi - lo) clamped to [0, max], lo < hi
 *              (a survey index of lo% or less gives 0, hi% or more max).
 *
 * Values must be finite. Ranges allow CS_RULE_EPS of slack and the result is
 * clamped into [0, max].
 */
struct cs_rule {
	const char *name;
	const char *const *required; /* NULL-terminated parameter names */
	const char *const *optional; /* NULL-terminated parameter names */
	const char *summary;	     /* one line for `framework rules` listings */
	/* Parses the parameters (already checked for unknown and missing keys). */
	enum cs_err (*compile)(const struct cs_rule_param *params, size_t n, double max,
			       struct cs_rule_params *out, struct cs_error *err);
	/* Turns a value into points in [0, max]. */
	enum cs_err (*score)(const struct cs_rule_params *p, double max, double value,
			     double *points, struct cs_error *err);
};

/* The rule called name (exact, lower case), or NULL when there is none. */
const struct cs_rule *cs_rule_find(const char *name);

/* Number of rules in the table, and the i-th (i < count) for listings. */
size_t cs_rule_count(void);
const struct cs_rule *cs_rule_at(size_t i);

/*
 * Checks and parses a leaf's parameters for rule r with leaf maximum max:
 * no unknown or repeated key, every required key present, values well formed.
 * Fills *out. CS_EINVAL with a message such as "rule 'threshold' needs
 * parameter 't'" or "parameter 'step': expected a positive number, found
 * 'abc'"; the caller prefixes the node.
 */
enum cs_err cs_rule_compile(const struct cs_rule *r, const struct cs_rule_param *params, size_t n,
			    double max, struct cs_rule_params *out, struct cs_error *err);

/*
 * Points of a leaf with maximum max for a measured value, by rule r with
 * parameters p from cs_rule_compile. CS_EINVAL when the value is outside what
 * the rule accepts, with a message naming the value and what was expected
 * ("value 1.3 is not a multiple of step 0.25"); *points is then untouched.
 */
enum cs_err cs_rule_score(const struct cs_rule *r, const struct cs_rule_params *p, double max,
			  double value, double *points, struct cs_error *err);

#endif
