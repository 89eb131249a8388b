/*
 * The PAR framework (METHODOLOGY M2.1): a builder that stores what importers
 * hand it, and a validation that reports every problem by node and then
 * resolves the tree for computation.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/framework.h"
#include "util/alloc.h"
#include "util/arena.h"

#include "util/banned.h"

struct code_entry {
	const char *code;
	size_t index;
};

struct cs_framework {
	struct cs_arena arena; /* strings, params, applies, parsed rule parameters */
	struct cs_fw_info info;
	struct cs_vec nodes;	 /* of struct cs_fw_node */
	struct cs_vec bands;	 /* of struct cs_fw_band */
	struct cs_vec tiebreaks; /* of struct cs_fw_tiebreak */
	struct cs_fw_options opts;
	const char *unranked_flag; /* NULL: none */
	/* Set by a successful validation: */
	bool valid;
	size_t *order;		    /* pre-order node indices */
	struct code_entry *by_code; /* nodes sorted by code */
	double total_max;
};

static const char *const source_names[CS_SOURCE_COUNT_] = {
	[CS_SOURCE_SELF] = "self",   [CS_SOURCE_SURVEY] = "survey",   [CS_SOURCE_DATA] = "data",
	[CS_SOURCE_BONUS] = "bonus", [CS_SOURCE_PENALTY] = "penalty",
};

static const char *const na_names[CS_NA_POLICY_COUNT_] = {
	[CS_NA_EXCLUDE] = "exclude",
	[CS_NA_ZERO] = "zero",
};

static const char *const scope_names[CS_RANK_SCOPE_COUNT_] = {
	[CS_RANK_SCOPE_ALL] = "all",
	[CS_RANK_SCOPE_LEVEL] = "level",
	[CS_RANK_SCOPE_PARENT] = "parent",
};

static bool parse_name(struct cs_str s, const char *const *names, int count, int *out)
{
	for (int i = 0; i < count; i++) {
		if (names[i] && cs_str_eq_nocase(s, names[i])) {
			*out = i;
			return true;
		}
	}
	return false;
}

const char *cs_fw_source_name(enum cs_fw_source source)
{
	if ((unsigned)source >= CS_SOURCE_COUNT_)
		return NULL;
	return source_names[source];
}

bool cs_fw_source_parse(struct cs_str s, enum cs_fw_source *out)
{
	int i;

	if (!parse_name(s, source_names, CS_SOURCE_COUNT_, &i))
		return false;
	*out = (enum cs_fw_source)i;
	return true;
}

const char *cs_na_policy_name(enum cs_na_policy p)
{
	if ((unsigned)p >= CS_NA_POLICY_COUNT_)
		return NULL;
	return na_names[p];
}

bool cs_na_policy_parse(struct cs_str s, enum cs_na_policy *out)
{
	int i;

	if (!parse_name(s, na_names, CS_NA_POLICY_COUNT_, &i))
		return false;
	*out = (enum cs_na_policy)i;
	return true;
}

const char *cs_rank_scope_name(enum cs_rank_scope s)
{
	if ((unsigned)s >= CS_RANK_SCOPE_COUNT_)
		return NULL;
	return scope_names[s];
}

bool cs_rank_scope_parse(struct cs_str s, enum cs_rank_scope *out)
{
	int i;

	if (!parse_name(s, scope_names, CS_RANK_SCOPE_COUNT_, &i))
		return false;
	*out = (enum cs_rank_scope)i;
	return true;
}

struct cs_fw_options cs_fw_options_default(void)
{
	return (struct cs_fw_options){
		.rounding = cs_rounding_default(),
		.rank_method = CS_RANK_COMPETITION,
		.rank_scope = CS_RANK_SCOPE_ALL,
		.full_precision = false,
		.na_policy = CS_NA_EXCLUDE,
	};
}

bool cs_fw_node_is_leaf(const struct cs_fw_node *node)
{
	return node->nchildren == 0;
}

bool cs_fw_node_is_adjustment(const struct cs_fw_node *node)
{
	return node->source == CS_SOURCE_BONUS || node->source == CS_SOURCE_PENALTY;
}

/* True when the ';'-separated list holds flag. */
static bool has_flag(const char *flags, const char *flag)
{
	struct cs_str rest = cs_str_from(flags), item;

	while (cs_str_next(&rest, ';', &item))
		if (cs_str_eq_cstr(item, flag))
			return true;
	return false;
}

bool cs_fw_node_applies(const struct cs_fw_node *node, enum cs_level level, const char *flags)
{
	bool any_level = false, level_ok = false;

	for (size_t i = 0; i < node->napplies; i++) {
		const struct cs_fw_applies *a = &node->applies[i];

		switch (a->kind) {
		case CS_APPLIES_LEVEL:
			any_level = true;
			if (a->level == level)
				level_ok = true;
			break;
		case CS_APPLIES_FLAG:
			if (!has_flag(flags, a->flag))
				return false;
			break;
		case CS_APPLIES_NOT_FLAG:
			if (has_flag(flags, a->flag))
				return false;
			break;
		case CS_APPLIES_KIND_COUNT_:
			break;
		}
	}
	return !any_level || level_ok;
}

/* A copy of s (NULL gives "") in the framework's arena. */
static const char *keep(struct cs_framework *fw, const char *s)
{
	if (!s)
		s = "";
	return cs_arena_strndup(&fw->arena, s, strlen(s));
}

/* A copy of s in the arena, NULL staying NULL; *ok becomes false on no memory. */
static const char *keep_opt(struct cs_framework *fw, const char *s, bool *ok)
{
	const char *p;

	if (!s)
		return NULL;
	p = keep(fw, s);
	if (!p)
		*ok = false;
	return p;
}

static void invalidate(struct cs_framework *fw)
{
	fw->valid = false;
	cs_free(fw->order);
	fw->order = NULL;
	cs_free(fw->by_code);
	fw->by_code = NULL;
	fw->total_max = 0;
}

struct cs_framework *cs_framework_new(const struct cs_fw_info *info, struct cs_error *err)
{
	struct cs_framework *fw = cs_calloc(1, sizeof(*fw));
	struct cs_fw_info none = {NULL, NULL, NULL, NULL};

	if (!fw) {
		cs_fail(err, CS_ENOMEM, NULL);
		return NULL;
	}
	if (!info)
		info = &none;
	cs_arena_init(&fw->arena, 0);
	cs_vec_init(&fw->nodes, sizeof(struct cs_fw_node), CS_FW_NODES_MAX);
	cs_vec_init(&fw->bands, sizeof(struct cs_fw_band), CS_FW_BANDS_MAX);
	cs_vec_init(&fw->tiebreaks, sizeof(struct cs_fw_tiebreak), CS_FW_TIEBREAKS_MAX);
	fw->opts = cs_fw_options_default();
	fw->info.code = keep(fw, info->code);
	fw->info.title = keep(fw, info->title);
	fw->info.decision = keep(fw, info->decision);
	fw->info.version = keep(fw, info->version);
	fw->unranked_flag = keep(fw, "unranked");
	if (!fw->info.code || !fw->info.title || !fw->info.decision || !fw->info.version ||
	    !fw->unranked_flag) {
		cs_framework_free(fw);
		cs_fail(err, CS_ENOMEM, NULL);
		return NULL;
	}
	return fw;
}

void cs_framework_free(struct cs_framework *fw)
{
	if (!fw)
		return;
	invalidate(fw);
	cs_vec_release(&fw->nodes);
	cs_vec_release(&fw->bands);
	cs_vec_release(&fw->tiebreaks);
	cs_arena_release(&fw->arena);
	cs_free(fw);
}

enum cs_err cs_framework_add_node(struct cs_framework *fw, const struct cs_fw_node_spec *spec,
				  size_t *index, struct cs_error *err)
{
	struct cs_fw_node node = {0};
	struct cs_rule_param *params = NULL;
	struct cs_fw_applies *applies = NULL;
	bool ok = true;
	enum cs_err rc;

	if (fw->nodes.len >= CS_FW_NODES_MAX)
		return cs_fail(err, CS_ETOOBIG, "node '%s': more than %d nodes in a framework",
			       spec->code ? spec->code : "", CS_FW_NODES_MAX);
	if (spec->nparams > CS_FW_PARAMS_MAX)
		return cs_fail(err, CS_ETOOBIG, "node '%s': %zu rule parameters (at most %d)",
			       spec->code ? spec->code : "", spec->nparams, CS_FW_PARAMS_MAX);
	if (spec->napplies > CS_FW_APPLIES_MAX)
		return cs_fail(err, CS_ETOOBIG, "node '%s': %zu applies_to items (at most %d)",
			       spec->code ? spec->code : "", spec->napplies, CS_FW_APPLIES_MAX);
	node.code = keep(fw, spec->code);
	node.parent_code = spec->parent && *spec->parent ? keep_opt(fw, spec->parent, &ok) : NULL;
	node.title = keep(fw, spec->title);
	node.max_declared = !isnan(spec->max);
	node.max = spec->max;
	node.source_name = keep_opt(fw, spec->source, &ok);
	node.source = CS_SOURCE_NONE;
	if (spec->source && !cs_fw_source_parse(cs_str_from(spec->source), &node.source))
		node.source = CS_SOURCE_UNKNOWN;
	node.rule_name = keep_opt(fw, spec->rule, &ok);
	node.rule = cs_rule_find(spec->rule);
	if (spec->nparams) {
		params = cs_arena_calloc(&fw->arena, spec->nparams, sizeof(*params));
		ok = ok && params;
		for (size_t i = 0; ok && i < spec->nparams; i++) {
			params[i].key = keep(fw, spec->params[i].key);
			params[i].value = keep(fw, spec->params[i].value);
			ok = params[i].key && params[i].value;
		}
	}
	if (spec->napplies) {
		applies = cs_arena_calloc(&fw->arena, spec->napplies, sizeof(*applies));
		ok = ok && applies;
		for (size_t i = 0; ok && i < spec->napplies; i++) {
			applies[i] = spec->applies[i];
			applies[i].flag = keep_opt(fw, spec->applies[i].flag, &ok);
		}
	}
	if (!ok || !node.code || !node.title)
		return cs_fail(err, CS_ENOMEM, NULL);
	node.params = params;
	node.nparams = spec->nparams;
	node.applies = applies;
	node.napplies = spec->napplies;
	node.parent = node.first_child = node.next_sibling = CS_FW_NONE;
	rc = cs_vec_push(&fw->nodes, &node, err);
	if (rc)
		return rc;
	invalidate(fw);
	if (index)
		*index = fw->nodes.len - 1;
	return CS_OK;
}

enum cs_err cs_framework_add_band(struct cs_framework *fw, const struct cs_fw_band *band,
				  struct cs_error *err)
{
	struct cs_fw_band b = *band;
	enum cs_err rc;

	if (fw->bands.len >= CS_FW_BANDS_MAX)
		return cs_fail(err, CS_ETOOBIG, "band '%s': more than %d bands",
			       band->code ? band->code : "", CS_FW_BANDS_MAX);
	b.code = keep(fw, band->code);
	b.label_vi = keep(fw, band->label_vi);
	b.label_en = keep(fw, band->label_en);
	if (!b.code || !b.label_vi || !b.label_en)
		return cs_fail(err, CS_ENOMEM, NULL);
	rc = cs_vec_push(&fw->bands, &b, err);
	if (rc)
		return rc;
	invalidate(fw);
	return CS_OK;
}

void cs_framework_set_options(struct cs_framework *fw, const struct cs_fw_options *opts)
{
	fw->opts = *opts;
	invalidate(fw);
}

enum cs_err cs_framework_set_unranked_flag(struct cs_framework *fw, const char *flag,
					   struct cs_error *err)
{
	const char *copy = NULL;

	if (flag && *flag) {
		copy = keep(fw, flag);
		if (!copy)
			return cs_fail(err, CS_ENOMEM, NULL);
	}
	fw->unranked_flag = copy;
	invalidate(fw);
	return CS_OK;
}

enum cs_err cs_framework_add_tiebreak(struct cs_framework *fw, const char *node, bool ascending,
				      struct cs_error *err)
{
	struct cs_fw_tiebreak t = {keep(fw, node), ascending, CS_FW_NONE};
	enum cs_err rc;

	if (fw->tiebreaks.len >= CS_FW_TIEBREAKS_MAX)
		return cs_fail(err, CS_ETOOBIG,
			       "ranking tie-breaker '%s': more than %d tie-breakers",
			       node ? node : "", CS_FW_TIEBREAKS_MAX);
	if (!t.node)
		return cs_fail(err, CS_ENOMEM, NULL);
	rc = cs_vec_push(&fw->tiebreaks, &t, err);
	if (rc)
		return rc;
	invalidate(fw);
	return CS_OK;
}

/* Validation. */

/* The state of one validation run: first problem, count, where to collect. */
struct check {
	struct cs_framework *fw;
	struct cs_vec *all; /* NULL: stop at the first problem */
	struct cs_error first;
	size_t count;
	bool oom;
};

/*
 * Records a problem. Returns true when checking must stop: in first-error
 * mode, or when out of memory while collecting.
 */
static bool report(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool report(struct check *c, const char *fmt, ...)
{
	struct cs_error e;
	va_list ap;

	e.code = CS_EINVAL;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	if (c->count++ == 0)
		c->first = e;
	if (!c->all)
		return true;
	if (c->all->max && c->all->len >= c->all->max)
		return false; /* full: keep checking for nothing but stop collecting */
	if (cs_vec_push(c->all, &e, NULL)) {
		c->oom = true;
		return true;
	}
	return false;
}

#define REPORT(...)                         \
	do {                                \
		if (report(c, __VA_ARGS__)) \
			goto stop;          \
	} while (0)

static int compare_codes(const void *pa, const void *pb)
{
	const struct code_entry *a = pa, *b = pb;
	int r = strcmp(a->code, b->code);

	if (r)
		return r;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The first entry with code in the sorted array, or CS_FW_NONE. */
static size_t lookup(const struct code_entry *sorted, size_t n, const char *code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(sorted[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(sorted[lo].code, code) == 0)
		return sorted[lo].index;
	return CS_FW_NONE;
}

static struct cs_fw_node *node_at(const struct cs_framework *fw, size_t i)
{
	return cs_vec_at(&fw->nodes, i);
}

static void preorder(const struct cs_framework *fw, size_t i, size_t *order, size_t *k)
{
	order[(*k)++] = i;
	for (size_t c = node_at(fw, i)->first_child; c != CS_FW_NONE;
	     c = node_at(fw, c)->next_sibling)
		preorder(fw, c, order, k);
}

/* "manual, yesno, ratio, threshold, steps or linear" for messages. */
static void rule_list(char *out, size_t size)
{
	size_t len = 0, n = cs_rule_count();

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
		int w = snprintf(out + len, size - len, "%s%s", sep, cs_rule_at(i)->name);

		if (w < 0 || (size_t)w >= size - len)
			return;
		len += (size_t)w;
	}
}

#define SOURCES "self, survey, data, bonus or penalty"

static bool valid_flag(const char *flag)
{
	return flag && *flag && !strchr(flag, ';');
}

/* Checks of one node on its own (first pass). */
static bool check_node_alone(struct check *c, const struct code_entry *sorted, const size_t *dup_of,
			     size_t i, bool *tree_ok)
{
	struct cs_framework *fw = c->fw;
	struct cs_fw_node *node = node_at(fw, i);
	size_t n = fw->nodes.len;

	if (!*node->code) {
		*tree_ok = false;
		REPORT("node #%zu: empty code", i + 1);
	} else if (dup_of[i] != CS_FW_NONE) {
		*tree_ok = false;
		REPORT("node '%s': duplicate code (node #%zu has it too)", node->code,
		       dup_of[i] + 1);
	}
	if (node->max_declared && !isfinite(node->max))
		REPORT("node '%s': maximum %g is not a finite number", node->code, node->max);
	else if (node->max_declared && node->max < 0)
		REPORT("node '%s': negative maximum %g (expected a number of 0 or more)",
		       node->code, node->max);
	node->parent = CS_FW_NONE;
	if (node->parent_code) {
		node->parent = lookup(sorted, n, node->parent_code);
		if (node->parent == CS_FW_NONE) {
			*tree_ok = false;
			REPORT("node '%s': unknown parent '%s'", node->code, node->parent_code);
		}
	}
	if (node->source == CS_SOURCE_UNKNOWN)
		REPORT("node '%s': unknown source '%s' (expected " SOURCES ")", node->code,
		       node->source_name);
	for (size_t k = 0; k < node->napplies; k++) {
		const struct cs_fw_applies *a = &node->applies[k];

		if ((unsigned)a->kind >= CS_APPLIES_KIND_COUNT_)
			REPORT("node '%s': applies_to item %zu has an unknown kind %d", node->code,
			       k + 1, (int)a->kind);
		else if (a->kind == CS_APPLIES_LEVEL && (unsigned)a->level >= CS_LEVEL_COUNT_)
			REPORT("node '%s': applies_to item %zu has an unknown level %d", node->code,
			       k + 1, (int)a->level);
		else if (a->kind != CS_APPLIES_LEVEL && !valid_flag(a->flag))
			REPORT("node '%s': applies_to flag '%s' is not a flag name (expected a "
			       "non-empty name without ';')",
			       node->code, a->flag ? a->flag : "");
	}
	return true;
stop:
	return false;
}

/* Cycles and depth (second pass); node parents are resolved. */
static bool check_chain(struct check *c, size_t i, bool *tree_ok)
{
	struct cs_framework *fw = c->fw;
	struct cs_fw_node *node = node_at(fw, i);
	size_t n = fw->nodes.len, steps = 0, j;

	for (j = node->parent; j != CS_FW_NONE && j != i && steps <= n; j = node_at(fw, j)->parent)
		steps++;
	if (j == i) {
		*tree_ok = false;
		REPORT("node '%s': is its own ancestor (its parent chain loops)", node->code);
	} else if (j == CS_FW_NONE) {
		node->depth = (unsigned)(steps < CS_FW_DEPTH_MAX ? steps : CS_FW_DEPTH_MAX);
		if (steps >= CS_FW_DEPTH_MAX) {
			*tree_ok = false;
			if (steps == CS_FW_DEPTH_MAX)
				REPORT("node '%s': deeper than %d levels", node->code,
				       CS_FW_DEPTH_MAX);
		}
	} else {
		*tree_ok = false; /* below a loop that another node reports */
	}
	return true;
stop:
	return false;
}

/* Checks that need the tree (third pass). */
static bool check_node_in_tree(struct check *c, size_t i)
{
	struct cs_framework *fw = c->fw;
	struct cs_fw_node *node = node_at(fw, i);
	bool adjustment = cs_fw_node_is_adjustment(node);
	const char *kind = adjustment ? cs_fw_source_name(node->source) : "";
	char rules[128];

	if (cs_fw_node_is_leaf(node)) {
		if (!node->max_declared)
			REPORT("node '%s': leaf has no maximum", node->code);
		if (node->source == CS_SOURCE_NONE)
			REPORT("node '%s': leaf has no source (expected " SOURCES ")", node->code);
		rule_list(rules, sizeof(rules));
		if (!node->rule_name)
			REPORT("node '%s': leaf has no rule (expected %s)", node->code, rules);
		else if (!node->rule)
			REPORT("node '%s': unknown rule '%s' (expected %s)", node->code,
			       node->rule_name, rules);
		if (node->max_declared && isfinite(node->max) && node->max >= 0) {
			if (adjustment && node->max == 0) {
				REPORT("node '%s': a %s node needs a cap: a positive maximum, "
				       "found 0",
				       node->code, kind);
			} else if (node->max == 0) {
				REPORT("node '%s': leaf maximum must be positive, found 0",
				       node->code);
			} else if (node->rule) {
				struct cs_rule_params rp, *keep_rp;
				struct cs_error e;

				if (cs_rule_compile(node->rule, node->params, node->nparams,
						    node->max, &rp, &e)) {
					REPORT("node '%s': %s", node->code, e.msg);
				} else {
					keep_rp = cs_arena_alloc(&fw->arena, sizeof(*keep_rp));
					if (!keep_rp) {
						c->oom = true;
						goto stop;
					}
					*keep_rp = rp;
					node->rule_params = keep_rp;
				}
			}
		}
	} else {
		if (node->rule_name)
			REPORT("node '%s': has children, so it takes no rule (found '%s')",
			       node->code, node->rule_name);
		if (node->source == CS_SOURCE_SELF || node->source == CS_SOURCE_SURVEY ||
		    node->source == CS_SOURCE_DATA)
			REPORT("node '%s': has children, so its source must be empty, bonus or "
			       "penalty (found '%s')",
			       node->code, node->source_name);
		if (adjustment) {
			if (!node->max_declared || node->max == 0)
				REPORT("node '%s': a %s group needs a cap: a positive maximum",
				       node->code, kind);
			for (size_t k = node->first_child; k != CS_FW_NONE;
			     k = node_at(fw, k)->next_sibling)
				if (!cs_fw_node_is_adjustment(node_at(fw, k)))
					REPORT("node '%s': a %s group may hold only %s nodes, "
					       "found "
					       "'%s'",
					       node->code, kind, kind, node_at(fw, k)->code);
		} else if (node->max_declared && isfinite(node->max)) {
			double sum = 0;

			for (size_t k = node->first_child; k != CS_FW_NONE;
			     k = node_at(fw, k)->next_sibling)
				if (!cs_fw_node_is_adjustment(node_at(fw, k)))
					sum += node_at(fw, k)->max;
			if (fabs(node->max - sum) > CS_FW_EPS)
				REPORT("node '%s': maximum %.15g disagrees with the sum of its "
				       "children %.15g",
				       node->code, node->max, sum);
		}
	}
	if (adjustment && node->parent != CS_FW_NONE &&
	    node_at(fw, node->parent)->source != node->source)
		REPORT("node '%s': a %s node must be at the top level or inside a %s group "
		       "(parent '%s' is not)",
		       node->code, kind, kind, node_at(fw, node->parent)->code);
	return true;
stop:
	return false;
}

struct band_entry {
	double lo;
	size_t index;
};

static int compare_bands(const void *pa, const void *pb)
{
	const struct band_entry *a = pa, *b = pb;

	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static const struct cs_fw_band *band_at(const struct cs_framework *fw, size_t i)
{
	return cs_vec_at(&fw->bands, i);
}

/* M2.5: bands are data, and must cover [0, 100] exactly. */
static bool check_bands(struct check *c, struct band_entry *sorted)
{
	struct cs_framework *fw = c->fw;
	size_t nb = fw->bands.len;
	bool ok = true;

	for (size_t i = 0; i < nb; i++) {
		const struct cs_fw_band *b = band_at(fw, i);

		if (!*b->code) {
			ok = false;
			REPORT("band #%zu: empty code", i + 1);
		}
		for (size_t j = 0; *b->code && j < i; j++) {
			if (strcmp(band_at(fw, j)->code, b->code) == 0) {
				ok = false;
				REPORT("band '%s': duplicate code", b->code);
				break;
			}
		}
		if (!(isfinite(b->lo) && isfinite(b->hi) && b->lo < b->hi)) {
			ok = false;
			REPORT("band '%s': lower bound %g is not below upper bound %g", b->code,
			       b->lo, b->hi);
		}
		sorted[i] = (struct band_entry){b->lo, i};
	}
	if (!ok || nb == 0)
		return true;
	qsort(sorted, nb, sizeof(*sorted), compare_bands);
	if (fabs(sorted[0].lo) > CS_FW_EPS)
		REPORT("bands: the lowest band '%s' starts at %g (expected 0)",
		       band_at(fw, sorted[0].index)->code, sorted[0].lo);
	for (size_t i = 1; i < nb; i++) {
		const struct cs_fw_band *p = band_at(fw, sorted[i - 1].index);
		const struct cs_fw_band *b = band_at(fw, sorted[i].index);

		if (b->lo > p->hi + CS_FW_EPS)
			REPORT("bands: gap between band '%s' (up to %g) and band '%s' (from %g)",
			       p->code, p->hi, b->code, b->lo);
		else if (b->lo < p->hi - CS_FW_EPS)
			REPORT("bands: band '%s' [%g, %g) overlaps band '%s' [%g, %g)", p->code,
			       p->lo, p->hi, b->code, b->lo, b->hi);
	}
	if (fabs(band_at(fw, sorted[nb - 1].index)->hi - 100) > CS_FW_EPS)
		REPORT("bands: the highest band '%s' ends at %g (expected 100)",
		       band_at(fw, sorted[nb - 1].index)->code,
		       band_at(fw, sorted[nb - 1].index)->hi);
	return true;
stop:
	return false;
}

static bool check_options(struct check *c, const struct code_entry *sorted)
{
	struct cs_framework *fw = c->fw;
	const struct cs_fw_options *o = &fw->opts;

	if ((unsigned)o->rounding.mode >= CS_ROUND_MODE_COUNT_)
		REPORT("options: unknown rounding mode %d (expected half_away or truncate)",
		       (int)o->rounding.mode);
	if (o->rounding.decimals < 0 || o->rounding.decimals > CS_ROUND_DECIMALS_MAX)
		REPORT("options: rounding to %d decimals (expected 0 to %d)", o->rounding.decimals,
		       CS_ROUND_DECIMALS_MAX);
	if ((unsigned)o->rank_method >= CS_RANK_METHOD_COUNT_)
		REPORT("options: unknown ranking method %d (expected competition or dense)",
		       (int)o->rank_method);
	if ((unsigned)o->rank_scope >= CS_RANK_SCOPE_COUNT_)
		REPORT("options: unknown ranking scope %d (expected all, level or parent)",
		       (int)o->rank_scope);
	if ((unsigned)o->na_policy >= CS_NA_POLICY_COUNT_)
		REPORT("options: unknown not-applicable policy %d (expected exclude or zero)",
		       (int)o->na_policy);
	if (fw->unranked_flag && !valid_flag(fw->unranked_flag))
		REPORT("options: unranked flag '%s' is not a flag name (expected a non-empty name "
		       "without ';')",
		       fw->unranked_flag);
	for (size_t i = 0; i < fw->tiebreaks.len; i++) {
		struct cs_fw_tiebreak *t = cs_vec_at(&fw->tiebreaks, i);

		t->index = lookup(sorted, fw->nodes.len, t->node);
		if (t->index == CS_FW_NONE)
			REPORT("ranking tie-breaker '%s': unknown node", t->node);
	}
	return true;
stop:
	return false;
}

/*
 * Runs every check. Returns CS_ENOMEM when memory ran out, otherwise CS_OK
 * with the problems in c. On success without problems, marks fw valid.
 */
static enum cs_err run_checks(struct check *c)
{
	struct cs_framework *fw = c->fw;
	size_t n = fw->nodes.len;
	struct code_entry *sorted = NULL;
	size_t *dup_of = NULL, *last_child = NULL, *order = NULL;
	struct band_entry *bands = NULL;
	bool tree_ok = true;
	double total = 0;
	size_t k = 0;

	invalidate(fw);
	sorted = cs_calloc(n ? n : 1, sizeof(*sorted));
	dup_of = cs_calloc(n ? n : 1, sizeof(*dup_of));
	last_child = cs_calloc(n ? n : 1, sizeof(*last_child));
	order = cs_calloc(n ? n : 1, sizeof(*order));
	bands = cs_calloc(fw->bands.len ? fw->bands.len : 1, sizeof(*bands));
	if (!sorted || !dup_of || !last_child || !order || !bands) {
		c->oom = true;
		goto stop;
	}
	if (!*fw->info.code && report(c, "framework: empty code"))
		goto stop;
	if (n == 0 && report(c, "framework: no nodes"))
		goto stop;

	/* Pass 1: each node on its own (M2.1, M2.2). */
	for (size_t i = 0; i < n; i++) {
		sorted[i] = (struct code_entry){node_at(fw, i)->code, i};
		dup_of[i] = CS_FW_NONE;
	}
	qsort(sorted, n, sizeof(*sorted), compare_codes);
	for (size_t i = 1; i < n; i++)
		if (strcmp(sorted[i].code, sorted[i - 1].code) == 0)
			dup_of[sorted[i].index] = dup_of[sorted[i - 1].index] != CS_FW_NONE
							  ? dup_of[sorted[i - 1].index]
							  : sorted[i - 1].index;
	for (size_t i = 0; i < n; i++)
		if (!check_node_alone(c, sorted, dup_of, i, &tree_ok))
			goto stop;

	/* Pass 2: loops and depth. */
	if (tree_ok)
		for (size_t i = 0; i < n; i++)
			if (!check_chain(c, i, &tree_ok))
				goto stop;

	/* Pass 3: the tree. Children are linked in insertion order and maxima
	 * not declared are summed bottom-up (reverse pre-order) before the
	 * checks, so that every check sees the final numbers (M2.1). */
	if (tree_ok) {
		for (size_t i = 0; i < n; i++) {
			struct cs_fw_node *node = node_at(fw, i);

			node->first_child = node->next_sibling = CS_FW_NONE;
			node->nchildren = 0;
			node->rule_params = NULL;
			last_child[i] = CS_FW_NONE;
		}
		for (size_t i = 0; i < n; i++) {
			size_t p = node_at(fw, i)->parent;

			if (p == CS_FW_NONE)
				continue;
			if (last_child[p] == CS_FW_NONE)
				node_at(fw, p)->first_child = i;
			else
				node_at(fw, last_child[p])->next_sibling = i;
			last_child[p] = i;
			node_at(fw, p)->nchildren++;
		}
		for (size_t i = 0; i < n; i++)
			if (node_at(fw, i)->parent == CS_FW_NONE)
				preorder(fw, i, order, &k);
		for (size_t j = n; j-- > 0;) {
			struct cs_fw_node *node = node_at(fw, order[j]);
			double sum = 0;

			if (cs_fw_node_is_leaf(node) || node->max_declared ||
			    cs_fw_node_is_adjustment(node))
				continue;
			for (size_t ch = node->first_child; ch != CS_FW_NONE;
			     ch = node_at(fw, ch)->next_sibling)
				if (!cs_fw_node_is_adjustment(node_at(fw, ch)))
					sum += node_at(fw, ch)->max;
			node->max = sum;
		}
		for (size_t i = 0; i < n; i++)
			if (!check_node_in_tree(c, i))
				goto stop;
		for (size_t i = 0; i < n; i++) {
			const struct cs_fw_node *node = node_at(fw, i);

			if (node->parent == CS_FW_NONE && !cs_fw_node_is_adjustment(node))
				total += node->max;
		}
		if (n && !(total > 0) &&
		    report(c, "framework: no scored nodes (every top-level node is a bonus or "
			      "penalty, or has maximum 0)"))
			goto stop;
	}

	/* Pass 4: bands (M2.5) and options (M2.6, M2.8). */
	if (!check_bands(c, bands))
		goto stop;
	if (!check_options(c, sorted))
		goto stop;

	if (c->count == 0) {
		fw->valid = true;
		fw->order = order;
		fw->by_code = sorted;
		fw->total_max = total;
		order = NULL;
		sorted = NULL;
	}
stop:
	cs_free(sorted);
	cs_free(dup_of);
	cs_free(last_child);
	cs_free(order);
	cs_free(bands);
	return c->oom ? CS_ENOMEM : CS_OK;
}

enum cs_err cs_framework_validate(struct cs_framework *fw, struct cs_error *err)
{
	struct check c = {.fw = fw};

	if (run_checks(&c))
		return cs_fail(err, CS_ENOMEM, NULL);
	if (c.count) {
		if (err)
			*err = c.first;
		return CS_EINVAL;
	}
	return CS_OK;
}

enum cs_err cs_framework_validate_all(struct cs_framework *fw, struct cs_vec *errors,
				      struct cs_error *err)
{
	struct check c = {.fw = fw, .all = errors};

	if (run_checks(&c))
		return cs_fail(err, CS_ENOMEM, NULL);
	if (c.count) {
		if (err)
			*err = c.first;
		return CS_EINVAL;
	}
	return CS_OK;
}

bool cs_framework_is_valid(const struct cs_framework *fw)
{
	return fw->valid;
}

const struct cs_fw_info *cs_framework_info(const struct cs_framework *fw)
{
	return &fw->info;
}

size_t cs_framework_node_count(const struct cs_framework *fw)
{
	return fw->nodes.len;
}

const struct cs_fw_node *cs_framework_node(const struct cs_framework *fw, size_t i)
{
	return node_at(fw, i);
}

bool cs_framework_find(const struct cs_framework *fw, const char *code, size_t *index)
{
	size_t i = CS_FW_NONE;

	if (!code)
		return false;
	if (fw->valid) {
		i = lookup(fw->by_code, fw->nodes.len, code);
	} else {
		for (size_t j = 0; j < fw->nodes.len && i == CS_FW_NONE; j++)
			if (strcmp(node_at(fw, j)->code, code) == 0)
				i = j;
	}
	if (i == CS_FW_NONE)
		return false;
	if (index)
		*index = i;
	return true;
}

const size_t *cs_framework_order(const struct cs_framework *fw)
{
	return fw->valid ? fw->order : NULL;
}

double cs_framework_total_max(const struct cs_framework *fw)
{
	return fw->total_max;
}

size_t cs_framework_band_count(const struct cs_framework *fw)
{
	return fw->bands.len;
}

const struct cs_fw_band *cs_framework_band(const struct cs_framework *fw, size_t i)
{
	return band_at(fw, i);
}

size_t cs_framework_band_for(const struct cs_framework *fw, double value)
{
	size_t best = CS_FW_NONE;
	double top = -INFINITY;

	if (isnan(value))
		return CS_FW_NONE;
	for (size_t i = 0; i < fw->bands.len; i++) {
		const struct cs_fw_band *b = band_at(fw, i);

		if (b->hi > top)
			top = b->hi;
		if (value >= b->lo - CS_FW_EPS &&
		    (best == CS_FW_NONE || b->lo > band_at(fw, best)->lo))
			best = i;
	}
	/* Bands are contiguous: the highest lower bound reached names the band,
	 * and the top band holds its upper bound too (M2.5). */
	if (best == CS_FW_NONE || value > top + CS_FW_EPS)
		return CS_FW_NONE;
	return best;
}

const struct cs_fw_options *cs_framework_options(const struct cs_framework *fw)
{
	return &fw->opts;
}

const char *cs_framework_unranked_flag(const struct cs_framework *fw)
{
	return fw->unranked_flag;
}

size_t cs_framework_tiebreak_count(const struct cs_framework *fw)
{
	return fw->tiebreaks.len;
}

const struct cs_fw_tiebreak *cs_framework_tiebreak(const struct cs_framework *fw, size_t i)
{
	return cs_vec_at(&fw->tiebreaks, i);
}
