/*
 * The scoring rules of METHODOLOGY M2.3 as one table: each row names a rule,
 * its parameters and the functions that parse them and score a value.
 */
#include <math.h>
#include <string.h>

#include "core/rules.h"
#include "util/str.h"

#include "util/banned.h"

/* M2.3 names steps of 0.25 as the usual grain of manual scores. */
#define MANUAL_STEP_DEFAULT 0.25

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static const char *param_value(const struct cs_rule_param *params, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(params[i].key, key) == 0)
			return params[i].value;
	return NULL;
}

/* A parameter that must be a finite number. */
static enum cs_err param_number(const struct cs_rule_param *params, size_t n, const char *key,
				double *out, struct cs_error *err)
{
	const char *v = param_value(params, n, key);

	if (cs_str_to_double(cs_str_trim(cs_str_from(v)), false, out, NULL))
		return cs_fail(err, CS_EINVAL, "parameter '%s': expected a number, found '%s'", key,
			       v ? v : "");
	return CS_OK;
}

/*
 * A comma-separated list of numbers, at most CS_RULE_STEPS_MAX of them.
 * "1,0.8" gives 2 numbers; empty items are errors.
 */
static enum cs_err param_list(const struct cs_rule_param *params, size_t n, const char *key,
			      double *out, size_t *count, struct cs_error *err)
{
	const char *v = param_value(params, n, key);
	struct cs_str rest = cs_str_from(v), item;
	size_t k = 0;

	if (cs_str_trim(rest).len == 0)
		return cs_fail(err, CS_EINVAL,
			       "parameter '%s': expected comma-separated numbers such as 1,0.8",
			       key);
	while (cs_str_next(&rest, ',', &item)) {
		if (k == CS_RULE_STEPS_MAX)
			return cs_fail(err, CS_EINVAL, "parameter '%s': more than %d items", key,
				       CS_RULE_STEPS_MAX);
		if (cs_str_to_double(cs_str_trim(item), false, &out[k], NULL))
			return cs_fail(err, CS_EINVAL,
				       "parameter '%s': item %zu '%.*s' is not a number (expected "
				       "comma-separated numbers such as 1,0.8)",
				       key, k + 1, (int)item.len, item.ptr);
		k++;
	}
	*count = k;
	return CS_OK;
}

static bool finite_value(double value, struct cs_error *err)
{
	if (isfinite(value))
		return true;
	cs_fail(err, CS_EINVAL, "value is not a finite number");
	return false;
}

/* A value that must lie in [lo, hi] give or take CS_RULE_EPS. */
static enum cs_err in_range(double value, double lo, double hi, const char *what,
			    struct cs_error *err)
{
	if (!finite_value(value, err))
		return CS_EINVAL;
	if (value < lo - CS_RULE_EPS || value > hi + CS_RULE_EPS)
		return cs_fail(err, CS_EINVAL, "value %.15g is not %s in [%g, %g]", value, what, lo,
			       hi);
	return CS_OK;
}

/* M2.3 manual: the value is the points, on a grid of `step`. */
static enum cs_err manual_compile(const struct cs_rule_param *params, size_t n, double max,
				  struct cs_rule_params *out, struct cs_error *err)
{
	double k;

	out->step = MANUAL_STEP_DEFAULT;
	if (param_value(params, n, "step") && param_number(params, n, "step", &out->step, err))
		return CS_EINVAL;
	if (!(out->step > 0))
		return cs_fail(err, CS_EINVAL,
			       "parameter 'step': expected a positive number, found %g", out->step);
	k = round(max / out->step);
	if (fabs(max - k * out->step) > CS_RULE_EPS)
		return cs_fail(err, CS_EINVAL,
			       "maximum %g is not a multiple of step %g (set parameter 'step')",
			       max, out->step);
	return CS_OK;
}

static enum cs_err manual_score(const struct cs_rule_params *p, double max, double value,
				double *points, struct cs_error *err)
{
	double k;

	if (in_range(value, 0, max, "a score", err))
		return CS_EINVAL;
	k = round(value / p->step);
	if (fabs(value - k * p->step) > CS_RULE_EPS)
		return cs_fail(err, CS_EINVAL, "value %.15g is not a multiple of step %g", value,
			       p->step);
	*points = clamp(value, 0, max);
	return CS_OK;
}

static enum cs_err no_params(const struct cs_rule_param *params, size_t n, double max,
			     struct cs_rule_params *out, struct cs_error *err)
{
	(void)params;
	(void)n;
	(void)max;
	(void)out;
	(void)err;
	return CS_OK;
}

/* M2.3 yesno: max if done, 0 otherwise. */
static enum cs_err yesno_score(const struct cs_rule_params *p, double max, double value,
			       double *points, struct cs_error *err)
{
	(void)p;
	if (!finite_value(value, err))
		return CS_EINVAL;
	if (value != 0 && value != 1)
		return cs_fail(err, CS_EINVAL, "value %.15g is not 0 (no) or 1 (yes)", value);
	*points = value == 1 ? max : 0;
	return CS_OK;
}

/* M2.3 ratio: rate x max. */
static enum cs_err ratio_score(const struct cs_rule_params *p, double max, double value,
			       double *points, struct cs_error *err)
{
	(void)p;
	if (in_range(value, 0, 1, "a rate", err))
		return CS_EINVAL;
	*points = clamp(value, 0, 1) * max;
	return CS_OK;
}

/* M2.3 threshold, QĐ 766: min(1, rate / t) x max. */
static enum cs_err threshold_compile(const struct cs_rule_param *params, size_t n, double max,
				     struct cs_rule_params *out, struct cs_error *err)
{
	(void)max;
	if (param_number(params, n, "t", &out->t, err))
		return CS_EINVAL;
	if (!(out->t > 0 && out->t <= 1))
		return cs_fail(err, CS_EINVAL, "parameter 't': expected a rate in (0, 1], found %g",
			       out->t);
	return CS_OK;
}

static enum cs_err threshold_score(const struct cs_rule_params *p, double max, double value,
				   double *points, struct cs_error *err)
{
	if (in_range(value, 0, 1, "a rate", err))
		return CS_EINVAL;
	/* A rate within CS_RULE_EPS of t has reached it. */
	if (value >= p->t - CS_RULE_EPS)
		*points = max;
	else
		*points = clamp(value / p->t, 0, 1) * max;
	return CS_OK;
}

/* M2.3 steps: a table of descending lower bounds and shares of max. */
static enum cs_err steps_compile(const struct cs_rule_param *params, size_t n, double max,
				 struct cs_rule_params *out, struct cs_error *err)
{
	size_t nb = 0, np = 0;

	(void)max;
	if (param_list(params, n, "bounds", out->bounds, &nb, err) ||
	    param_list(params, n, "points", out->points, &np, err))
		return CS_EINVAL;
	if (nb != np)
		return cs_fail(err, CS_EINVAL,
			       "parameters 'bounds' and 'points': %zu bounds but %zu points "
			       "(expected one share of max per bound)",
			       nb, np);
	for (size_t i = 1; i < nb; i++)
		if (!(out->bounds[i] < out->bounds[i - 1]))
			return cs_fail(err, CS_EINVAL,
				       "parameter 'bounds': %g after %g (expected strictly "
				       "descending lower bounds)",
				       out->bounds[i], out->bounds[i - 1]);
	for (size_t i = 0; i < np; i++)
		if (!(out->points[i] >= 0 && out->points[i] <= 1))
			return cs_fail(err, CS_EINVAL,
				       "parameter 'points': %g is not a share of max in [0, 1]",
				       out->points[i]);
	out->nsteps = nb;
	return CS_OK;
}

static enum cs_err steps_score(const struct cs_rule_params *p, double max, double value,
			       double *points, struct cs_error *err)
{
	if (!finite_value(value, err))
		return CS_EINVAL;
	for (size_t i = 0; i < p->nsteps; i++) {
		if (value >= p->bounds[i] - CS_RULE_EPS) {
			*points = p->points[i] * max;
			return CS_OK;
		}
	}
	*points = 0;
	return CS_OK;
}

/* M2.3 linear: a survey index between lo and hi mapped onto 0..max. */
static enum cs_err linear_compile(const struct cs_rule_param *params, size_t n, double max,
				  struct cs_rule_params *out, struct cs_error *err)
{
	(void)max;
	if (param_number(params, n, "lo", &out->lo, err) ||
	    param_number(params, n, "hi", &out->hi, err))
		return CS_EINVAL;
	if (!(out->lo < out->hi))
		return cs_fail(err, CS_EINVAL, "parameters 'lo' and 'hi': lo %g is not below hi %g",
			       out->lo, out->hi);
	return CS_OK;
}

static enum cs_err linear_score(const struct cs_rule_params *p, double max, double value,
				double *points, struct cs_error *err)
{
	if (!finite_value(value, err))
		return CS_EINVAL;
	*points = clamp(max * (value - p->lo) / (p->hi - p->lo), 0, max);
	return CS_OK;
}

static const char *const none[] = {NULL};
static const char *const manual_opt[] = {"step", NULL};
static const char *const threshold_req[] = {"t", NULL};
static const char *const steps_req[] = {"bounds", "points", NULL};
static const char *const linear_req[] = {"lo", "hi", NULL};

static const struct cs_rule rules[] = {
	{"manual", none, manual_opt, "points entered by hand, 0..max in steps of `step` (0.25)",
	 manual_compile, manual_score},
	{"yesno", none, none, "1 (done) gives max, 0 gives 0", no_params, yesno_score},
	{"ratio", none, none, "rate in [0, 1] times max", no_params, ratio_score},
	{"threshold", threshold_req, none, "min(1, rate / t) times max", threshold_compile,
	 threshold_score},
	{"steps", steps_req, none, "first descending lower bound reached gives its share of max",
	 steps_compile, steps_score},
	{"linear", linear_req, none, "max * (value - lo) / (hi - lo), clamped to [0, max]",
	 linear_compile, linear_score},
};

const struct cs_rule *cs_rule_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strcmp(rules[i].name, name) == 0)
			return &rules[i];
	return NULL;
}

size_t cs_rule_count(void)
{
	return sizeof(rules) / sizeof(rules[0]);
}

const struct cs_rule *cs_rule_at(size_t i)
{
	return i < cs_rule_count() ? &rules[i] : NULL;
}

static bool listed(const char *const *names, const char *key)
{
	for (; *names; names++)
		if (strcmp(*names, key) == 0)
			return true;
	return false;
}

/* "step" or "bounds, points" or "no parameters", for messages. */
static void describe_params(const struct cs_rule *r, char *out, size_t size)
{
	size_t len = 0;
	const char *const *lists[2] = {r->required, r->optional};

	out[0] = '\0';
	for (int l = 0; l < 2; l++) {
		for (const char *const *k = lists[l]; *k; k++) {
			size_t klen = strlen(*k);

			if (len + klen + 3 >= size)
				return;
			if (len) {
				memcpy(out + len, ", ", 2);
				len += 2;
			}
			memcpy(out + len, *k, klen + 1);
			len += klen;
		}
	}
	if (!len && size > 14)
		memcpy(out, "no parameters", 14);
}

enum cs_err cs_rule_compile(const struct cs_rule *r, const struct cs_rule_param *params, size_t n,
			    double max, struct cs_rule_params *out, struct cs_error *err)
{
	char takes[128];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		if (!listed(r->required, params[i].key) && !listed(r->optional, params[i].key)) {
			describe_params(r, takes, sizeof(takes));
			return cs_fail(err, CS_EINVAL,
				       "unknown parameter '%s' (rule '%s' takes %s)", params[i].key,
				       r->name, takes);
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(params[i].key, params[j].key) == 0)
				return cs_fail(err, CS_EINVAL, "parameter '%s' given twice",
					       params[i].key);
	}
	for (const char *const *k = r->required; *k; k++)
		if (!param_value(params, n, *k))
			return cs_fail(err, CS_EINVAL, "rule '%s' needs parameter '%s'", r->name,
				       *k);
	return r->compile(params, n, max, out, err);
}

enum cs_err cs_rule_score(const struct cs_rule *r, const struct cs_rule_params *p, double max,
			  double value, double *points, struct cs_error *err)
{
	return r->score(p, max, value, points, err);
}
