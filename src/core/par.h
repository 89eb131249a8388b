/*
 * The PAR index of a set of units under one framework (METHODOLOGY M2.2 to
 * M2.8): points per node and unit, the applicable maximum, the index and the
 * component indices, the band, the ranking among peers, group averages and
 * the change since the previous period. Pure computation on plain structs;
 * storage feeds it scores and a provider of survey and data results.
 */
#ifndef CHISO_CORE_PAR_H
#define CHISO_CORE_PAR_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "core/framework.h"
#include "core/unit.h"
#include "util/arena.h"

/* Most units in one computation. */
#define CS_PAR_UNITS_MAX 1000000

/*
 * The scores of one unit for one self, bonus or penalty leaf (M2.2). All
 * zero means "no result yet". Values are the input of the leaf's rule (for
 * the usual `manual` rule, the points themselves). The appraised score, when
 * present, is final; the self-assessed score counts until the appraisal
 * council has set one. not_applicable (không áp dụng) wins over both scores.
 * A self leaf with neither score has no result yet (the unit is incomplete);
 * a bonus or penalty leaf with neither was not awarded and counts 0.
 */
struct cs_par_score {
	bool has_self;
	double self;
	bool has_appraised;
	double appraised;
	bool not_applicable;
};

/*
 * A unit to compute. Strings are copied into the run. scores, when not
 * NULL, has cs_framework_node_count(fw) entries indexed by node; entries of
 * inner, survey and data nodes are ignored.
 */
struct cs_par_unit {
	const char *code;
	const char *parent; /* parent unit's code, NULL for none (groups per parent, M2.7) */
	enum cs_level level;
	const char *flags; /* ';'-separated, canonical as in struct cs_unit; NULL for none */
	const struct cs_par_score *scores;
};

/* What a provider knows about a survey or data leaf for a unit. */
enum cs_par_fetch {
	CS_PAR_FETCH_VALUE,   /* *value holds the measured value (a rate, a survey index) */
	CS_PAR_FETCH_PENDING, /* no result yet: the unit is incomplete */
	CS_PAR_FETCH_NA	      /* not applicable, e.g. an indicator with an empty denominator (M4) */
};

/*
 * The one way survey and data results (M2.2, M3, M4) reach the PAR core.
 * fetch is called once per applicable survey or data leaf per unit; the
 * value it returns is converted to points by the leaf's rule. A non-zero
 * return (a storage error, say) stops the computation with that error.
 */
struct cs_par_source_provider {
	void *ctx;
	enum cs_err (*fetch)(void *ctx, const struct cs_par_unit *unit, size_t leaf,
			     const struct cs_fw_node *node, enum cs_par_fetch *state, double *value,
			     struct cs_error *err);
};

/* The state of a node for a unit. */
enum cs_par_node_state {
	CS_PAR_NODE_OFF,     /* applies_to excludes it: no points, no maximum */
	CS_PAR_NODE_NA,	     /* not applicable: maximum out of the denominator (M2.2) */
	CS_PAR_NODE_MISSING, /* a leaf with no result yet, or an inner node with such leaves */
	CS_PAR_NODE_SCORED
};

/* Which input gave a leaf its points. */
enum cs_par_origin {
	CS_PAR_ORIGIN_NONE,
	CS_PAR_ORIGIN_SELF,	 /* self-assessed, not yet appraised */
	CS_PAR_ORIGIN_APPRAISED, /* the appraisal council's score */
	CS_PAR_ORIGIN_PROVIDER,	 /* a survey or data result */
	CS_PAR_ORIGIN_NA_ZERO	 /* not applicable, scored 0 under CS_NA_ZERO */
};

/*
 * A node's result for a unit. For an ordinary node, points and max are the
 * sums over its applicable leaves and index = 100 * points / max (M2.4; 0
 * when max is 0). For a bonus or penalty node, points are the amount added
 * or deducted (never negative), capped at max. contribution is the node's
 * share of the unit's index, 100 * points / the unit's applicable maximum,
 * negative for a penalty: the contributions of the top-level nodes add up to
 * the index unless the total was clamped (M2.4).
 */
struct cs_par_node_result {
	enum cs_par_node_state state;
	enum cs_par_origin origin; /* leaves */
	double value;		   /* the rule input used (leaves with a value) */
	double points;
	double max;
	double index;
	double contribution;
	size_t missing; /* leaves with no result yet in this subtree */
};

/* The state of a unit's result. */
enum cs_par_state {
	CS_PAR_COMPLETE,   /* every applicable leaf has a result */
	CS_PAR_INCOMPLETE, /* some leaves have no result yet: see missing */
	CS_PAR_EMPTY	   /* nothing applies (applicable maximum 0) */
};

/* The change since the previous period (M2.6), filled by cs_par_change. */
struct cs_par_change {
	bool has_prev;	      /* the unit had a complete result in the previous period */
	double prev_index;    /* as given (published value) */
	double index_change;  /* percentage points, + is better */
	double points_change; /* points, + is better */
	bool has_places;      /* ranked in both periods */
	size_t prev_rank;
	long places_change; /* prev_rank - rank: + moved up */
};

/*
 * One unit's result. Strings and arrays belong to the run. Only COMPLETE
 * results are banded, ranked, averaged and compared; the numbers of an
 * INCOMPLETE result are provisional (missing leaves count 0 points with
 * their maximum in the denominator) and must not be published.
 */
struct cs_par_result {
	const char *code;
	const char *parent; /* NULL for none */
	enum cs_level level;
	bool unranked; /* has the framework's unranked flag */
	enum cs_par_state state;
	double base;		  /* points of the ordinary nodes */
	double bonus;		  /* added by bonus nodes, each capped (M2.2) */
	double penalty;		  /* deducted by penalty nodes, each capped (M2.2) */
	double points;		  /* base + bonus - penalty, clamped to [0, max] */
	bool clamped;		  /* the clamp changed the total */
	double max;		  /* applicable maximum (M2.2) */
	double index;		  /* 100 * points / max, full precision (M2.4) */
	double published;	  /* index rounded as the framework says (M2.8) */
	size_t band;		  /* band index, CS_FW_NONE when not banded (M2.5) */
	size_t rank;		  /* 1-based position among peers, 0 when not ranked (M2.6) */
	size_t ranked_of;	  /* units ranked among those peers */
	size_t pending_appraisal; /* self leaves scored but not yet appraised */
	size_t nmissing;
	const size_t *missing;		  /* leaf node indices with no result yet, in pre-order */
	struct cs_par_node_result *nodes; /* cs_framework_node_count(fw) entries */
	struct cs_par_change change;
};

/* Kind of a group of units (M2.7). */
enum cs_par_group_kind {
	CS_PAR_GROUP_ALL,
	CS_PAR_GROUP_LEVEL,
	CS_PAR_GROUP_PARENT
};

/*
 * Statistics of a group of units (M2.7) over the index of its COMPLETE
 * units: published values unless the framework asks for full precision, so
 * that a reader recomputing them from the published table agrees. Units of
 * every rank status count, the unranked included.
 */
struct cs_par_group {
	enum cs_par_group_kind kind;
	enum cs_level level; /* CS_PAR_GROUP_LEVEL */
	const char *parent;  /* CS_PAR_GROUP_PARENT: the parent unit's code */
	size_t units;	     /* units in the group */
	size_t n;	     /* complete units the statistics are over */
	double mean, median, min, max;
	double gap;	     /* max - min */
	size_t *band_counts; /* per framework band */
};

/*
 * Everything one computation produced, in one arena. The framework is
 * borrowed and must outlive the run.
 */
struct cs_par_run {
	struct cs_arena arena;
	const struct cs_framework *fw;
	size_t nunits;
	struct cs_par_result *results; /* in the order of the input units */
	size_t ngroups;
	struct cs_par_group *groups; /* after cs_par_groups */
};

/* Initialises an empty run. */
void cs_par_run_init(struct cs_par_run *run);

/* Frees what the run holds and leaves it empty; run may be NULL. */
void cs_par_run_release(struct cs_par_run *run);

/*
 * Computes the results of n units under the validated framework fw into run
 * (initialised with cs_par_run_init; whatever it held is released first),
 * with survey and data leaves from provider (NULL: they
 * all have no result yet), then bands and ranks them (M2.5, M2.6).
 * CS_ESTATE when fw is not validated; CS_EINVAL for a unit with an empty or
 * duplicate code or an unknown level, or a score its leaf's rule rejects
 * ("unit 'CAX01': node 'A1.2': appraised score: value 1.3 is not a multiple
 * of step 0.25"); the provider's own errors; CS_ETOOBIG past
 * CS_PAR_UNITS_MAX; CS_ENOMEM. On failure run is left empty.
 */
enum cs_err cs_par_compute(const struct cs_framework *fw, const struct cs_par_unit *units, size_t n,
			   const struct cs_par_source_provider *provider, struct cs_par_run *run,
			   struct cs_error *err);

/*
 * Fills run->groups (M2.7): all units first, then one group per level in
 * level order, then one per parent in order of first appearance (units
 * without a parent are in no parent group). CS_ENOMEM.
 */
enum cs_err cs_par_groups(struct cs_par_run *run, struct cs_error *err);

/* A unit's result of the previous period, as published. */
struct cs_par_prev {
	const char *code; /* matched to this period's units by code */
	double index;	  /* the published index */
	double points;	  /* the total points */
	size_t rank;	  /* 0 when not ranked */
};

/*
 * Fills each COMPLETE result's change from the previous period's results
 * (M2.6): index and points differences (on published values, rounded again
 * to the published decimals, unless the framework asks for full precision)
 * and places moved up (positive) or down. Units are matched by code; a
 * caller following merged units (M1) passes the predecessor's result under
 * the successor's code. CS_EINVAL for a duplicate code in prev, CS_ENOMEM.
 */
enum cs_err cs_par_change(struct cs_par_run *run, const struct cs_par_prev *prev, size_t nprev,
			  struct cs_error *err);

/* "complete", "incomplete", "empty"; NULL when out of range. */
const char *cs_par_state_name(enum cs_par_state state);

#endif
