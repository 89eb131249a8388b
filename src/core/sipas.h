/*
 * Satisfaction indices of a survey wave (METHODOLOGY M3.3-M3.7): one
 * streaming pass over the respondents accumulates, per domain, what the item,
 * element and overall indices need with their design-based uncertainty
 * (core/svy.h); finishing computes the indices, intervals, flags and the
 * weak-area tests. Change against an earlier wave and rankings with
 * bootstrap intervals work on finished results. Pure computation: no I/O.
 */
#ifndef CHISO_CORE_SIPAS_H
#define CHISO_CORE_SIPAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/questionnaire.h"
#include "core/svy.h"
#include "core/unit.h"
#include "util/arena.h"
#include "util/str.h"

/* "No unit", "no domain". */
#define CS_SIPAS_NONE SIZE_MAX

/* Most units, and most distinct values of a service, kind or channel. */
#define CS_SIPAS_UNITS_MAX 1000000
#define CS_SIPAS_KEYS_MAX 100000
/* Longest domain key (service, kind, channel value) kept, in bytes. */
#define CS_SIPAS_KEY_MAX 256

/* What the domains are (M3.4). Besides them there is always the whole sample. */
enum cs_sipas_by {
	CS_SIPAS_BY_ALL,     /* only the whole sample (or the scope unit's subtree) */
	CS_SIPAS_BY_UNIT,    /* each unit with every unit below it (roll-up) */
	CS_SIPAS_BY_LEVEL,   /* the level of the unit that served the respondent */
	CS_SIPAS_BY_SERVICE, /* the service or procedure used */
	CS_SIPAS_BY_KIND,    /* citizen or organisation */
	CS_SIPAS_BY_CHANNEL, /* how the answer came: paper, online, kiosk ... */
	CS_SIPAS_BY_COUNT_
};

/* "all", "unit", "level", "service", "kind", "channel"; NULL out of range. */
const char *cs_sipas_by_name(enum cs_sipas_by by);
bool cs_sipas_by_parse(struct cs_str s, enum cs_sipas_by *out);

/* A unit respondents can belong to; units refer to their parent by index. */
struct cs_sipas_unit {
	const char *code;
	const char *name;
	size_t parent; /* index in the same array, CS_SIPAS_NONE for a root */
	enum cs_level level;
};

struct cs_sipas_opts {
	enum cs_sipas_by by;
	size_t scope; /* report only within this unit's subtree; CS_SIPAS_NONE: everywhere */
	/* true when the sample has weights, strata, PSUs or an fpc: item
	 * intervals are then design-based (logit); false: an unweighted simple
	 * random sample, item intervals from counts (the questionnaire's
	 * ci_unweighted, Wilson by default) (M3.5). */
	bool design;
	bool clustered; /* PSUs given: R's ids = ~psu */
	enum cs_svy_lonely lonely;
};

/* Default options: by unit, no scope, unweighted, lonely PSUs fail. */
struct cs_sipas_opts cs_sipas_opts_default(void);

/*
 * One respondent. Strings are slices valid during the call; empty means
 * none. answers has one entry per questionnaire item, as
 * cs_questionnaire_parse_answer writes them.
 */
struct cs_sipas_resp {
	size_t unit;
	struct cs_str service, kind, channel;
	double weight; /* 1 when the sample has no weights */
	struct cs_str stratum, psu;
	double fpc; /* 0 for none */
	const struct cs_q_answer *answers;
};

/* Flags of an estimate (M3.5). */
enum {
	CS_SIPAS_F_EMPTY = 1u << 0,   /* no valid answer */
	CS_SIPAS_F_SMALL_N = 1u << 1, /* n below the questionnaire's min_n */
	CS_SIPAS_F_HIGH_CV = 1u << 2, /* se / estimate above max_cv */
	CS_SIPAS_F_LONELY = 1u << 3,  /* a single-PSU stratum was handled by the lonely rule */
	CS_SIPAS_F_NO_CI = 1u << 4,   /* no interval: no degrees of freedom */
	CS_SIPAS_F_COUNT_ = 5
};

/* "empty", "small_n", "high_cv", "lonely_psu", "no_interval" for bit i; NULL past them. */
const char *cs_sipas_flag_name(unsigned bit);

/* An index with its uncertainty, in percent (M3.3, M3.5). */
struct cs_sipas_est {
	double index; /* 100 x the estimate; NaN when empty */
	double se;
	double ci_lo, ci_hi; /* NaN when there is no interval */
	double df;	     /* design degrees of freedom */
	uint64_t n;	     /* respondents behind it */
	double wsum;	     /* their weight */
	double deff;	     /* R's deff = "replace"; NaN for combinations */
	double n_eff;	     /* n / deff */
	unsigned flags;
};

/* The weak-area tests of an item or element (M3.6). */
struct cs_sipas_weak {
	bool below_target;   /* index below the questionnaire's target */
	double p_own;	     /* one-sided p-value of "below the domain's headline overall" */
	double p_peers;	     /* one-sided p-value of "below the peers' average" */
	double peer_average; /* mean of the peers' indices; NaN without peers */
	bool sig_own;	     /* significant after Holm's correction within the domain */
	bool sig_peers;
};

struct cs_sipas_item {
	size_t item;	    /* questionnaire item index */
	uint64_t satisfied; /* satisfied answers (unweighted count) */
	struct cs_sipas_est est;
	double levels[5];    /* weighted share of levels 1-5 in percent; NaN unless likert5 */
	double mean_score;   /* weighted mean level 1-5; NaN unless likert5 */
	double dissatisfied; /* weighted share of levels 1-2 in percent; NaN unless likert5 */
	struct cs_sipas_weak weak;
};

struct cs_sipas_element {
	size_t element;			   /* questionnaire element index */
	struct cs_sipas_est mean_of_items; /* mean of its item indices */
	struct cs_sipas_est pooled;	   /* 100 sum satisfied / sum valid */
	struct cs_sipas_weak weak;	   /* of the index the questionnaire's element_agg picks */
};

/* Share of respondents choosing an expectation option (M3.6). */
struct cs_sipas_choice {
	size_t item, choice; /* questionnaire item and choice index */
	double share;	     /* weighted percent of the item's respondents */
	uint64_t n;	     /* respondents who chose it */
};

/* The results of one domain. Everything belongs to the result's arena. */
struct cs_sipas_domain {
	enum cs_sipas_by by;
	const char *code; /* unit code, level name, service / kind / channel value; "all" */
	const char *name; /* Vietnamese name or label ("" when none) */
	const char *name_en;
	size_t unit;	     /* unit domains: the unit's index; CS_SIPAS_NONE otherwise */
	enum cs_level level; /* unit and level domains */
	uint64_t n;	     /* respondents in the domain */
	double wsum;
	struct cs_sipas_est overall[3]; /* indexed by enum cs_q_overall_agg */
	size_t nelements;
	struct cs_sipas_element *elements;
	size_t nitems;
	struct cs_sipas_item *items; /* satisfaction items in questionnaire order */
	size_t nchoices;
	struct cs_sipas_choice *expectations; /* by item, then share descending */
};

/* Everything one estimation produced. */
struct cs_sipas_result {
	struct cs_arena arena;
	const struct cs_questionnaire *q; /* borrowed */
	struct cs_sipas_opts opts;
	double alpha; /* 1 - the questionnaire's confidence */
	uint64_t respondents;
	size_t ndomains;
	struct cs_sipas_domain *domains; /* the whole sample first, then by code order */
};

/* An estimation in progress. Opaque. */
struct cs_sipas;

/*
 * Starts an estimation under the validated questionnaire q over n units (which
 * must outlive the estimation, as must q). *out is owned by the caller and
 * freed with cs_sipas_free. CS_ESTATE when q is not validated; CS_EINVAL for
 * a unit whose parent index is out of range or a cycle, a scope out of range,
 * an option out of range; CS_ETOOBIG past the limits (also for more than 255
 * satisfaction items); CS_ENOMEM.
 */
enum cs_err cs_sipas_new(const struct cs_questionnaire *q, const struct cs_sipas_unit *units,
			 size_t n, const struct cs_sipas_opts *opts, struct cs_sipas **out,
			 struct cs_error *err);

/* Frees an estimation; NULL is a no-op. */
void cs_sipas_free(struct cs_sipas *s);

/*
 * Adds one respondent of the sample (every one, in the scope or not: the
 * variance of a domain counts the whole design). CS_EINVAL for a unit index
 * out of range, a weight that is not positive, and the design's errors
 * (cs_svy_design_add: an fpc that differs within a stratum, ...), with the
 * respondent's number; CS_ETOOBIG past the key limits; CS_ENOMEM. On failure
 * the estimation must be freed.
 */
enum cs_err cs_sipas_add(struct cs_sipas *s, const struct cs_sipas_resp *r, struct cs_error *err);

/*
 * cs_sipas_add in two steps, for estimating on several threads: one thread
 * places every respondent in the design, in order (cs_sipas_place); the
 * accumulation (cs_sipas_add_placed) runs in one of CS_SIPAS_LANES lanes,
 * each touched by one thread at a time, and may run while the next
 * respondents are placed. Finishing merges the lanes in their order, so the
 * result depends on which lane took which respondent, not on timing.
 */
#define CS_SIPAS_LANES 2

/* Where a placed respondent sits: its reference in the design and its number (from 1). */
struct cs_sipas_placed {
	struct cs_svy_ref ref;
	uint64_t row;
};

/* The checks and the design part of cs_sipas_add, with its errors. Fills *out. */
enum cs_err cs_sipas_place(struct cs_sipas *s, const struct cs_sipas_resp *r,
			   struct cs_sipas_placed *out, struct cs_error *err);

/*
 * The rest of cs_sipas_add for a respondent placed by cs_sipas_place, into
 * lane (below CS_SIPAS_LANES): r must be the respondent that was placed.
 * CS_EINVAL for a lane out of range; CS_ETOOBIG past the key limits;
 * CS_ENOMEM. On failure the estimation must be freed.
 */
enum cs_err cs_sipas_add_placed(struct cs_sipas *s, size_t lane, const struct cs_sipas_resp *r,
				const struct cs_sipas_placed *pl, struct cs_error *err);

/*
 * Finishes the estimation: closes the design, rolls unit domains up the
 * tree, computes every domain's indices, intervals and flags and the weak-area
 * tests, and hands the result to the caller (*out, freed with
 * cs_sipas_result_free). Domains without respondents are left out. Errors of
 * the design (fpc kinds, a lonely PSU under the rule "fail", naming the
 * stratum), CS_ENOMEM. s may be freed afterwards; it cannot be used again.
 */
enum cs_err cs_sipas_finish(struct cs_sipas *s, struct cs_sipas_result **out, struct cs_error *err);

/* Frees a result; NULL is a no-op. */
void cs_sipas_result_free(struct cs_sipas_result *r);

/* The domain's headline overall index (the questionnaire's headline option). */
const struct cs_sipas_est *cs_sipas_headline(const struct cs_sipas_result *r,
					     const struct cs_sipas_domain *d);

/* The element's index under the questionnaire's element_agg option. */
const struct cs_sipas_est *cs_sipas_element_index(const struct cs_sipas_result *r,
						  const struct cs_sipas_element *e);

/* The domain of result r with this by and code, or NULL. */
const struct cs_sipas_domain *cs_sipas_find(const struct cs_sipas_result *r, enum cs_sipas_by by,
					    const char *code);

/*
 * The "fix first" list of domain d (M3.6): its items and elements that are
 * below the target, or significantly below the domain's own headline index
 * or its peers' average, weakest (lowest index) first. Each entry is an item
 * position (< d->nitems) or, offset by d->nitems, an element position.
 * *out (*n entries) is owned by the caller (cs_free). CS_ENOMEM.
 */
enum cs_err cs_sipas_weak_list(const struct cs_sipas_result *r, const struct cs_sipas_domain *d,
			       size_t **out, size_t *n, struct cs_error *err);

/* A change against an earlier wave (M3.7), in percentage points. */
struct cs_sipas_diff {
	bool has_prev; /* the earlier wave has this domain and index */
	double prev;   /* the earlier index */
	double diff;   /* current - earlier */
	double se;     /* sqrt(se^2 + se_prev^2): independent samples */
	double ci_lo, ci_hi;
	bool significant; /* the interval excludes 0 */
};

/* The changes of one domain: overall headline, then per element and item. */
struct cs_sipas_change {
	struct cs_sipas_diff overall;
	struct cs_sipas_diff *elements; /* nelements of the domain */
	struct cs_sipas_diff *items;	/* nitems of the domain */
};

/*
 * Compares each domain of cur with the domain of the same by and code in
 * prev (M3.7): the difference of the indices, its standard error for
 * independent samples, and its interval at cur's confidence with t on the
 * smaller of the two degrees of freedom. Elements and items are matched by
 * code. *out (cur->ndomains entries) lives in cur's arena. CS_ENOMEM.
 */
enum cs_err cs_sipas_compare(struct cs_sipas_result *cur, const struct cs_sipas_result *prev,
			     struct cs_sipas_change **out, struct cs_error *err);

/* A domain's place in a ranking (M3.7, M2.6). */
struct cs_sipas_rank {
	size_t domain;		 /* index into the result's domains */
	size_t group;		 /* ranking group: 0.. (units: one per level) */
	double value;		 /* the headline rounded to 2 decimals, as published */
	size_t rank;		 /* 1-based; 0 when not ranked (small n, empty) */
	size_t ranked_of;	 /* ranked in the group */
	size_t rank_lo, rank_hi; /* bootstrap interval of the rank; 0 without bootstrap */
};

struct cs_sipas_rank_opts {
	size_t bootstrap;   /* replicates; 0: none */
	unsigned long seed; /* for the generator (MT19937) */
};

/*
 * Ranks the domains of r (the whole sample excluded) by their headline
 * index with competition ties (M2.6); units are ranked among units of the
 * same level. Domains flagged empty or small-n are listed but not ranked. With
 * bootstrap replicates it adds rank intervals (M3.7): each replicate draws
 * every ranked domain's index from its sampling distribution, normal on the
 * logit scale with the design-based standard error, ranks the draws, and
 * the interval is the alpha/2 and 1 - alpha/2 quantiles of a domain's ranks.
 * The same seed gives the same intervals. *out (*n entries, ordered by group,
 * then rank, unranked last) is owned by the caller (cs_free). CS_ENOMEM;
 * CS_ETOOBIG past 10^6 replicates.
 */
enum cs_err cs_sipas_rank(const struct cs_sipas_result *r, const struct cs_sipas_rank_opts *o,
			  struct cs_sipas_rank **out, size_t *n, struct cs_error *err);

#endif
