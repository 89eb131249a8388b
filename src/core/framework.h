/*
 * A PAR framework in memory (METHODOLOGY M2.1, M2.2, M2.5, M2.6, M2.8): the
 * tree of areas, criteria and sub-criteria with their maxima, sources and
 * scoring rules, the classification bands, and the rounding and ranking
 * options that make a published table reproducible. Importers build one with
 * the builder functions below; cs_framework_validate checks and freezes it
 * for computation (par.h).
 */
#ifndef CHISO_CORE_FRAMEWORK_H
#define CHISO_CORE_FRAMEWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/rank.h"
#include "core/round.h"
#include "core/rules.h"
#include "core/unit.h"
#include "util/str.h"
#include "util/vec.h"

/* "No node", "no band": an index that is never valid. */
#define CS_FW_NONE SIZE_MAX

/* Limits on what one framework may hold; past them the builder fails with CS_ETOOBIG. */
#define CS_FW_NODES_MAX 10000  /* official frameworks have about 100 */
#define CS_FW_PARAMS_MAX 16    /* rule parameters of one node */
#define CS_FW_APPLIES_MAX 32   /* applies_to items of one node */
#define CS_FW_BANDS_MAX 32     /* classification bands */
#define CS_FW_TIEBREAKS_MAX 16 /* ranking tie-breakers */
#define CS_FW_DEPTH_MAX 8      /* levels of the tree: area, criterion, sub-criterion, ... */

/*
 * Tolerance when comparing maxima and band bounds: an inner node's maximum
 * may differ from the sum of its children's by at most this (M2.1).
 */
#define CS_FW_EPS 1e-9

/*
 * Where a node's points come from (M2.2). A leaf names one of self, survey,
 * data, bonus or penalty. An inner node has none (an ordinary area or
 * criterion) or bonus / penalty (a group of bonus or penalty leaves whose
 * maximum is a cap on their sum).
 */
enum cs_fw_source {
	CS_SOURCE_NONE,	   /* no source given */
	CS_SOURCE_SELF,	   /* self-assessed, then appraised; the appraised score is final */
	CS_SOURCE_SURVEY,  /* converted from a survey index (SIPAS, leaders' survey) */
	CS_SOURCE_DATA,	   /* converted from a service-data indicator (M4) */
	CS_SOURCE_BONUS,   /* added to the total, up to the node's maximum (its cap) */
	CS_SOURCE_PENALTY, /* deducted from the total, up to the node's maximum (its cap) */
	CS_SOURCE_UNKNOWN, /* a name the builder did not recognise; validation rejects it */
	CS_SOURCE_COUNT_
};

/* "self", "survey", "data", "bonus", "penalty"; NULL for NONE, UNKNOWN or out of range. */
const char *cs_fw_source_name(enum cs_fw_source source);

/* Parses a source name (ASCII case-insensitive); false when unknown. */
bool cs_fw_source_parse(struct cs_str s, enum cs_fw_source *out);

/*
 * One condition of a node's applies_to list. A node applies to a unit when
 * the unit's level is one of the LEVEL items (or there are none), the unit
 * has every FLAG item, and has no NOT_FLAG item; and its parent applies. An
 * empty list means all units. A node that does not apply is excluded from
 * the unit's computation entirely: no points and no maximum (M1, M2.1).
 */
enum cs_fw_applies_kind {
	CS_APPLIES_LEVEL,    /* the unit is at this level */
	CS_APPLIES_FLAG,     /* the unit has this flag (e.g. "tthc") */
	CS_APPLIES_NOT_FLAG, /* the unit does not have this flag */
	CS_APPLIES_KIND_COUNT_
};

struct cs_fw_applies {
	enum cs_fw_applies_kind kind;
	enum cs_level level; /* CS_APPLIES_LEVEL */
	const char *flag;    /* the two flag kinds */
};

/*
 * A node as an importer describes it to cs_framework_add_node. Strings are
 * copied. parent names the parent's code (NULL or "" at the top level); the
 * parent may be added later, it is looked up by validation. max is the
 * declared maximum: for a leaf its points, for a bonus or penalty node its
 * cap; NaN on an ordinary inner node means "the sum of the children".
 * source and rule are names as written in the file (NULL when absent); leaves
 * need both, inner nodes take no rule.
 */
struct cs_fw_node_spec {
	const char *code;
	const char *parent;
	const char *title;
	double max;
	const char *source;
	const char *rule;
	const struct cs_rule_param *params;
	size_t nparams;
	const struct cs_fw_applies *applies;
	size_t napplies;
};

/*
 * A node of the framework. Everything is owned by the framework. The fields
 * under "validation" are filled by a successful cs_framework_validate.
 */
struct cs_fw_node {
	const char *code;
	const char *parent_code; /* NULL at the top level */
	const char *title;	 /* "" when none */
	double max;		 /* maximum (validation puts the sum in when not declared) */
	bool max_declared;	 /* false when the spec gave NaN */
	enum cs_fw_source source;
	const char *source_name;    /* as given; NULL when none */
	const char *rule_name;	    /* as given; NULL when none */
	const struct cs_rule *rule; /* NULL when none or unknown */
	const struct cs_rule_param *params;
	size_t nparams;
	const struct cs_fw_applies *applies;
	size_t napplies;

	/* validation */
	size_t parent;	     /* CS_FW_NONE at the top level */
	size_t first_child;  /* CS_FW_NONE for a leaf */
	size_t next_sibling; /* CS_FW_NONE for the last child; siblings in insertion order */
	size_t nchildren;
	unsigned depth;				  /* 0 at the top level */
	const struct cs_rule_params *rule_params; /* parsed parameters of a leaf's rule */
};

/* True for a node with no children (after validation). */
bool cs_fw_node_is_leaf(const struct cs_fw_node *node);

/* True for a bonus or penalty node: its maximum is a cap, outside the denominator. */
bool cs_fw_node_is_adjustment(const struct cs_fw_node *node);

/*
 * True when the node itself (not looking at its ancestors) applies to a unit
 * at level with flags (';'-separated, canonical form as in struct cs_unit;
 * NULL for none).
 */
bool cs_fw_node_applies(const struct cs_fw_node *node, enum cs_level level, const char *flags);

/*
 * A classification band (M2.5): [lo, hi) on the index, except that the top
 * band also holds its upper bound (100). Bands must cover [0, 100] without
 * gaps or overlaps.
 */
struct cs_fw_band {
	const char *code;     /* short and unique: "A", "XS" */
	const char *label_vi; /* "Xuất sắc" */
	const char *label_en; /* "Excellent" */
	double lo, hi;
};

/* What to do with a leaf a unit marks not applicable (M2.2). */
enum cs_na_policy {
	CS_NA_EXCLUDE, /* its maximum leaves the denominator (default) */
	CS_NA_ZERO,    /* it scores 0 and its maximum stays */
	CS_NA_POLICY_COUNT_
};

/* "exclude" or "zero"; NULL when out of range. */
const char *cs_na_policy_name(enum cs_na_policy p);
bool cs_na_policy_parse(struct cs_str s, enum cs_na_policy *out);

/* Among which units a unit is ranked (M2.6). */
enum cs_rank_scope {
	CS_RANK_SCOPE_ALL,    /* all units of the computation (default) */
	CS_RANK_SCOPE_LEVEL,  /* units of the same level */
	CS_RANK_SCOPE_PARENT, /* units with the same parent */
	CS_RANK_SCOPE_COUNT_
};

/* "all", "level" or "parent"; NULL when out of range. */
const char *cs_rank_scope_name(enum cs_rank_scope s);
bool cs_rank_scope_parse(struct cs_str s, enum cs_rank_scope *out);

/* The computation options a methodology fixes, with their defaults. */
struct cs_fw_options {
	struct cs_rounding rounding;	 /* M2.8: half away from zero, 2 decimals */
	enum cs_rank_method rank_method; /* M2.6: competition */
	enum cs_rank_scope rank_scope;	 /* M2.6: all units */
	bool full_precision;		 /* M2.6: false: rank, band, average published figures */
	enum cs_na_policy na_policy;	 /* M2.2: exclude */
};

/* The defaults above. */
struct cs_fw_options cs_fw_options_default(void);

/* A ranking tie-breaker (M2.6): a node whose points decide between equal indices. */
struct cs_fw_tiebreak {
	const char *node; /* node code */
	bool ascending;	  /* true: fewer points rank higher (e.g. a penalty) */
	size_t index;	  /* node index, set by validation */
};

/* Who issued the framework and which version it is. */
struct cs_fw_info {
	const char *code;     /* "par-province-2022" */
	const char *title;    /* "Chỉ số CCHC cấp tỉnh 2022-2030" */
	const char *decision; /* "QĐ 876/QĐ-BNV" */
	const char *version;  /* "2022" */
};

struct cs_framework;

/*
 * A new empty framework with a copy of info (NULL fields become "") and the
 * default options; the unranked flag is "unranked". The caller frees it with
 * cs_framework_free. NULL with CS_ENOMEM in err.
 */
struct cs_framework *cs_framework_new(const struct cs_fw_info *info, struct cs_error *err);

/* Frees fw and everything it owns; NULL is a no-op. */
void cs_framework_free(struct cs_framework *fw);

/*
 * Appends a node described by spec (copied) and sets *index (may be NULL) to
 * its index. Accepts anything that can be stored, so that validation can
 * report every problem with its node; unknown source or rule names are kept
 * for that. CS_ETOOBIG past the limits above, CS_ENOMEM; on failure fw is
 * unchanged. Marks fw not validated.
 */
enum cs_err cs_framework_add_node(struct cs_framework *fw, const struct cs_fw_node_spec *spec,
				  size_t *index, struct cs_error *err);

/* Appends a band (copied). CS_ETOOBIG, CS_ENOMEM. Marks fw not validated. */
enum cs_err cs_framework_add_band(struct cs_framework *fw, const struct cs_fw_band *band,
				  struct cs_error *err);

/* Replaces the options; validation checks them. Marks fw not validated. */
void cs_framework_set_options(struct cs_framework *fw, const struct cs_fw_options *opts);

/*
 * Sets the flag of units that are reported but not ranked (M2.6); NULL or ""
 * means none. CS_ENOMEM.
 */
enum cs_err cs_framework_set_unranked_flag(struct cs_framework *fw, const char *flag,
					   struct cs_error *err);

/* Appends a tie-breaker by node code. CS_ETOOBIG, CS_ENOMEM. Marks fw not validated. */
enum cs_err cs_framework_add_tiebreak(struct cs_framework *fw, const char *node, bool ascending,
				      struct cs_error *err);

/*
 * Checks the framework and, when it is sound, resolves the tree (parent,
 * children, depth, sums, parsed rule parameters) and marks it validated;
 * computation needs a validated framework. Returns CS_EINVAL with the first
 * problem, naming the node ("node 'A1.2': unknown parent 'A9'"), or
 * CS_ENOMEM. The checks, in this order: the framework's code and that it
 * has nodes; per node in insertion order, empty or duplicate code, negative
 * or infinite maximum, unknown parent, unknown source, malformed applies_to;
 * then cycles and depth; then per node a leaf's
 * maximum, source, rule and rule parameters (cs_rule_compile), an inner
 * node's maximum against the sum of its children (CS_FW_EPS), bonus and
 * penalty placement and caps; then the bands (cover [0, 100] exactly,
 * contiguous); then the options and tie-breakers.
 */
enum cs_err cs_framework_validate(struct cs_framework *fw, struct cs_error *err);

/*
 * The same checks, collecting every problem: appends one struct cs_error per
 * problem to errors (a vec of struct cs_error the caller initialised and
 * releases), in the order above. Checks that need a sound tree are skipped
 * while the tree has unknown parents, cycles or duplicate codes. Returns
 * CS_OK when there is none, CS_EINVAL (err holds the first) when there are;
 * collecting stops quietly at the vec's max. CS_ENOMEM.
 */
enum cs_err cs_framework_validate_all(struct cs_framework *fw, struct cs_vec *errors,
				      struct cs_error *err);

/* True after a successful validation and no change since. */
bool cs_framework_is_valid(const struct cs_framework *fw);

/* Accessors. Pointers stay valid until fw changes or is freed. */
const struct cs_fw_info *cs_framework_info(const struct cs_framework *fw);
size_t cs_framework_node_count(const struct cs_framework *fw);
const struct cs_fw_node *cs_framework_node(const struct cs_framework *fw, size_t i);

/*
 * The node with this code: sets *index and returns true, false when there is
 * none. O(log n) on a validated framework, O(n) otherwise.
 */
bool cs_framework_find(const struct cs_framework *fw, const char *code, size_t *index);

/*
 * Node indices in pre-order (a parent before its children, siblings in
 * insertion order); node_count entries. Validated frameworks only (NULL
 * otherwise).
 */
const size_t *cs_framework_order(const struct cs_framework *fw);

/* Sum of the maxima of the ordinary top-level nodes (normally 100); validated only. */
double cs_framework_total_max(const struct cs_framework *fw);

size_t cs_framework_band_count(const struct cs_framework *fw);
const struct cs_fw_band *cs_framework_band(const struct cs_framework *fw, size_t i);

/*
 * The band holding an index value: lo - CS_FW_EPS <= value < next band's lo,
 * the top band including 100 (+ CS_FW_EPS). CS_FW_NONE when there are no
 * bands or value is outside [0, 100] or NaN.
 */
size_t cs_framework_band_for(const struct cs_framework *fw, double value);

const struct cs_fw_options *cs_framework_options(const struct cs_framework *fw);

/* The unranked flag, or NULL when none. */
const char *cs_framework_unranked_flag(const struct cs_framework *fw);

size_t cs_framework_tiebreak_count(const struct cs_framework *fw);
const struct cs_fw_tiebreak *cs_framework_tiebreak(const struct cs_framework *fw, size_t i);

#endif
