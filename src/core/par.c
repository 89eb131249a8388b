/*
 * The PAR index computation (METHODOLOGY M2.2 to M2.8): a fold over the
 * framework tree per unit, then bands, ranks among peers, group statistics
 * and the change since the previous period.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/par.h"
#include "core/rank.h"
#include "core/round.h"
#include "util/alloc.h"
#include "util/str.h"

#include "util/banned.h"

static const char *const state_names[] = {
	[CS_PAR_COMPLETE] = "complete",
	[CS_PAR_INCOMPLETE] = "incomplete",
	[CS_PAR_EMPTY] = "empty",
};

const char *cs_par_state_name(enum cs_par_state state)
{
	if ((unsigned)state >= sizeof(state_names) / sizeof(state_names[0]))
		return NULL;
	return state_names[state];
}

void cs_par_run_init(struct cs_par_run *run)
{
	memset(run, 0, sizeof(*run));
	cs_arena_init(&run->arena, 0);
}

void cs_par_run_release(struct cs_par_run *run)
{
	if (!run)
		return;
	cs_arena_release(&run->arena);
	run->fw = NULL;
	run->nunits = 0;
	run->results = NULL;
	run->ngroups = 0;
	run->groups = NULL;
}

static bool has_flag(const char *flags, const char *flag)
{
	struct cs_str rest = cs_str_from(flags), item;

	if (!flag)
		return false;
	while (cs_str_next(&rest, ';', &item))
		if (cs_str_eq_cstr(item, flag))
			return true;
	return false;
}

static char *keep(struct cs_arena *a, const char *s)
{
	return cs_arena_strndup(a, s, strlen(s));
}

/* The value a published comparison uses: rounded, or full precision (M2.6). */
static double compared(const struct cs_fw_options *o, double v)
{
	return o->full_precision ? v : cs_round_apply(&o->rounding, v);
}

/* Where a self, bonus or penalty leaf's input comes from (M2.2). */
static void read_score(const struct cs_par_score *s, enum cs_par_fetch *state, double *value,
		       enum cs_par_origin *origin)
{
	*state = CS_PAR_FETCH_PENDING;
	*origin = CS_PAR_ORIGIN_NONE;
	if (!s)
		return;
	if (s->not_applicable) {
		*state = CS_PAR_FETCH_NA;
	} else if (s->has_appraised) {
		/* M2.2: the appraised score is final. */
		*state = CS_PAR_FETCH_VALUE;
		*value = s->appraised;
		*origin = CS_PAR_ORIGIN_APPRAISED;
	} else if (s->has_self) {
		*state = CS_PAR_FETCH_VALUE;
		*value = s->self;
		*origin = CS_PAR_ORIGIN_SELF;
	}
}

/* One leaf of one unit; the leaf applies to the unit. */
static enum cs_err eval_leaf(const struct cs_framework *fw, const struct cs_par_unit *unit,
			     const struct cs_par_source_provider *provider, size_t i,
			     struct cs_par_result *res, struct cs_error *err)
{
	const struct cs_fw_node *node = cs_framework_node(fw, i);
	struct cs_par_node_result *nr = &res->nodes[i];
	enum cs_par_fetch state = CS_PAR_FETCH_PENDING;
	enum cs_par_origin origin = CS_PAR_ORIGIN_NONE;
	bool adjustment = cs_fw_node_is_adjustment(node);
	double value = 0, points = 0;
	struct cs_error e;

	if (node->source == CS_SOURCE_SURVEY || node->source == CS_SOURCE_DATA) {
		if (provider && provider->fetch) {
			enum cs_err rc;

			cs_error_clear(&e);
			rc = provider->fetch(provider->ctx, unit, i, node, &state, &value, &e);
			if (rc) {
				/* A provider that gave no message still gets a place. */
				if (e.code != rc || !e.msg[0])
					cs_fail(&e, rc, NULL);
				cs_error_prefix(&e, "unit '%s': node '%s'", unit->code, node->code);
				if (err)
					*err = e;
				return rc;
			}
			origin = CS_PAR_ORIGIN_PROVIDER;
		}
	} else {
		read_score(unit->scores ? &unit->scores[i] : NULL, &state, &value, &origin);
	}
	switch (state) {
	case CS_PAR_FETCH_VALUE:
		if (cs_rule_score(node->rule, node->rule_params, node->max, value, &points, &e))
			return cs_fail(err, CS_EINVAL, "unit '%s': node '%s': %s: %s", unit->code,
				       node->code,
				       origin == CS_PAR_ORIGIN_APPRAISED ? "appraised score"
				       : origin == CS_PAR_ORIGIN_SELF	 ? "self-assessed score"
									 : "provided value",
				       e.msg);
		nr->state = CS_PAR_NODE_SCORED;
		nr->origin = origin;
		nr->value = value;
		nr->points = points;
		nr->max = node->max;
		if (origin == CS_PAR_ORIGIN_SELF)
			res->pending_appraisal++;
		break;
	case CS_PAR_FETCH_NA:
		if (!adjustment && cs_framework_options(fw)->na_policy == CS_NA_ZERO) {
			nr->state = CS_PAR_NODE_SCORED;
			nr->origin = CS_PAR_ORIGIN_NA_ZERO;
			nr->max = node->max;
		} else {
			/* M2.2: the leaf's maximum leaves the denominator. */
			nr->state = CS_PAR_NODE_NA;
		}
		break;
	case CS_PAR_FETCH_PENDING:
	default:
		if (adjustment) {
			/* A bonus or penalty nobody entered was not awarded: bonus
			 * and penalty points are entered when they occur. */
			nr->state = CS_PAR_NODE_SCORED;
			nr->max = node->max;
			break;
		}
		/* No silent zero: the unit becomes incomplete, and the provisional
		 * figures keep the leaf's maximum in the denominator. */
		nr->state = CS_PAR_NODE_MISSING;
		nr->max = node->max;
		nr->missing = 1;
		break;
	}
	return CS_OK;
}

/* An inner node from its children; they are done (reverse pre-order). */
static void fold_inner(const struct cs_framework *fw, size_t i, struct cs_par_result *res)
{
	const struct cs_fw_node *node = cs_framework_node(fw, i);
	struct cs_par_node_result *nr = &res->nodes[i];
	bool all_off = true, any_counted = false;
	double points = 0, max = 0;
	size_t missing = 0;

	for (size_t c = node->first_child; c != CS_FW_NONE;
	     c = cs_framework_node(fw, c)->next_sibling) {
		const struct cs_par_node_result *cr = &res->nodes[c];

		if (cr->state == CS_PAR_NODE_OFF)
			continue;
		all_off = false;
		if (cr->state != CS_PAR_NODE_NA)
			any_counted = true;
		points += cr->points;
		max += cr->max;
		missing += cr->missing;
	}
	if (all_off) {
		nr->state = CS_PAR_NODE_OFF;
		return;
	}
	if (cs_fw_node_is_adjustment(node)) {
		/* M2.2: a group of bonus (penalty) leaves adds (deducts) up to its cap. */
		nr->points = points < node->max ? points : node->max;
		nr->max = any_counted ? node->max : 0;
	} else {
		/* M2.1, M2.2: sums over the applicable leaves. */
		nr->points = points;
		nr->max = max;
	}
	nr->missing = missing;
	if (missing)
		nr->state = CS_PAR_NODE_MISSING;
	else if (any_counted && (nr->max > 0 || cs_fw_node_is_adjustment(node)))
		nr->state = CS_PAR_NODE_SCORED;
	else
		nr->state = CS_PAR_NODE_NA; /* every applicable leaf below is not applicable */
}

static enum cs_err compute_unit(const struct cs_framework *fw, const struct cs_par_unit *unit,
				const struct cs_par_source_provider *provider,
				struct cs_arena *arena, struct cs_par_result *res,
				struct cs_error *err)
{
	const struct cs_fw_options *o = cs_framework_options(fw);
	const size_t *order = cs_framework_order(fw);
	size_t nn = cs_framework_node_count(fw), k = 0;
	double raw;
	enum cs_err rc;

	res->code = keep(arena, unit->code);
	res->parent = unit->parent ? keep(arena, unit->parent) : NULL;
	res->nodes = cs_arena_calloc(arena, nn, sizeof(*res->nodes));
	if (!res->code || (unit->parent && !res->parent) || !res->nodes)
		return cs_fail(err, CS_ENOMEM, NULL);
	res->level = unit->level;
	res->unranked = has_flag(unit->flags, cs_framework_unranked_flag(fw));
	res->band = CS_FW_NONE;

	/* Down the tree: what applies (M2.1), and the leaves (M2.2, M2.3). */
	for (size_t j = 0; j < nn; j++) {
		size_t i = order[j];
		const struct cs_fw_node *node = cs_framework_node(fw, i);
		struct cs_par_node_result *nr = &res->nodes[i];

		if ((node->parent != CS_FW_NONE &&
		     res->nodes[node->parent].state == CS_PAR_NODE_OFF) ||
		    !cs_fw_node_applies(node, unit->level, unit->flags)) {
			nr->state = CS_PAR_NODE_OFF;
			continue;
		}
		nr->state = CS_PAR_NODE_SCORED;
		if (cs_fw_node_is_leaf(node)) {
			rc = eval_leaf(fw, unit, provider, i, res, err);
			if (rc)
				return rc;
		}
	}
	/* Up the tree: sums and caps. */
	for (size_t j = nn; j-- > 0;) {
		size_t i = order[j];

		if (!cs_fw_node_is_leaf(cs_framework_node(fw, i)) &&
		    res->nodes[i].state != CS_PAR_NODE_OFF)
			fold_inner(fw, i, res);
	}
	/* The total (M2.2, M2.4). */
	for (size_t i = 0; i < nn; i++) {
		const struct cs_fw_node *node = cs_framework_node(fw, i);
		const struct cs_par_node_result *nr = &res->nodes[i];

		if (node->parent != CS_FW_NONE || nr->state == CS_PAR_NODE_OFF)
			continue;
		res->nmissing += nr->missing;
		if (node->source == CS_SOURCE_BONUS) {
			res->bonus += nr->points;
		} else if (node->source == CS_SOURCE_PENALTY) {
			res->penalty += nr->points;
		} else {
			res->base += nr->points;
			res->max += nr->max;
		}
	}
	raw = res->base + res->bonus - res->penalty;
	/* [chiso] The total stays within [0, applicable maximum]: a bonus does
	 * not lift the index above 100, a penalty not below 0. */
	res->points = raw < 0 ? 0 : raw > res->max ? res->max : raw;
	res->clamped = res->points != raw;
	res->index = res->max > 0 ? 100 * res->points / res->max : 0;
	res->published = cs_round_apply(&o->rounding, res->index);
	res->state = res->nmissing  ? CS_PAR_INCOMPLETE
		     : res->max > 0 ? CS_PAR_COMPLETE
				    : CS_PAR_EMPTY;
	for (size_t i = 0; i < nn; i++) {
		const struct cs_fw_node *node = cs_framework_node(fw, i);
		struct cs_par_node_result *nr = &res->nodes[i];

		if (nr->state == CS_PAR_NODE_OFF)
			continue;
		nr->index = nr->max > 0 ? 100 * nr->points / nr->max : 0;
		nr->contribution = res->max > 0 ? 100 * nr->points / res->max : 0;
		if (node->source == CS_SOURCE_PENALTY)
			nr->contribution = -nr->contribution;
	}
	if (res->nmissing) {
		size_t *missing = cs_arena_calloc(arena, res->nmissing, sizeof(*missing));

		if (!missing)
			return cs_fail(err, CS_ENOMEM, NULL);
		for (size_t j = 0; j < nn; j++) {
			size_t i = order[j];

			if (res->nodes[i].state == CS_PAR_NODE_MISSING &&
			    cs_fw_node_is_leaf(cs_framework_node(fw, i)))
				missing[k++] = i;
		}
		res->missing = missing;
	}
	if (res->state == CS_PAR_COMPLETE)
		res->band = cs_framework_band_for(fw, compared(o, res->index));
	return CS_OK;
}

/* Sorting helpers: qsort has no context, so entries carry what they compare. */
struct unit_entry {
	const char *code;
	size_t index;
};

static int compare_unit_codes(const void *pa, const void *pb)
{
	const struct unit_entry *a = pa, *b = pb;
	int r = strcmp(a->code, b->code);

	if (r)
		return r;
	return a->index < b->index ? -1 : a->index > b->index;
}

static enum cs_err check_units(const struct cs_par_unit *units, size_t n, struct cs_error *err)
{
	struct unit_entry *sorted;
	enum cs_err rc = CS_OK;

	for (size_t i = 0; i < n; i++) {
		if (!units[i].code || !*units[i].code)
			return cs_fail(err, CS_EINVAL, "unit #%zu: empty code", i + 1);
		if ((unsigned)units[i].level >= CS_LEVEL_COUNT_)
			return cs_fail(err, CS_EINVAL, "unit '%s': unknown level %d", units[i].code,
				       (int)units[i].level);
	}
	sorted = cs_calloc(n ? n : 1, sizeof(*sorted));
	if (!sorted)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++)
		sorted[i] = (struct unit_entry){units[i].code, i};
	qsort(sorted, n, sizeof(*sorted), compare_unit_codes);
	for (size_t i = 1; i < n && !rc; i++)
		if (strcmp(sorted[i].code, sorted[i - 1].code) == 0)
			rc = cs_fail(err, CS_EINVAL,
				     "unit '%s': duplicate code (units #%zu and #%zu)",
				     sorted[i].code, sorted[i - 1].index + 1, sorted[i].index + 1);
	cs_free(sorted);
	return rc;
}

/* Peers for ranking (M2.6): results sorted by scope key, then input order. */
struct peer_entry {
	const struct cs_par_result *res;
	size_t index;
	enum cs_rank_scope scope;
};

static int compare_parents(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int compare_scope(const struct peer_entry *a, const struct peer_entry *b)
{
	switch (a->scope) {
	case CS_RANK_SCOPE_LEVEL:
		return (a->res->level > b->res->level) - (a->res->level < b->res->level);
	case CS_RANK_SCOPE_PARENT:
		return compare_parents(a->res->parent, b->res->parent);
	case CS_RANK_SCOPE_ALL:
	case CS_RANK_SCOPE_COUNT_:
		break;
	}
	return 0;
}

static int compare_peers(const void *pa, const void *pb)
{
	const struct peer_entry *a = pa, *b = pb;
	int r = compare_scope(a, b);

	if (r)
		return r;
	return a->index < b->index ? -1 : a->index > b->index;
}

static enum cs_err rank_all(const struct cs_framework *fw, struct cs_par_result *results, size_t n,
			    struct cs_error *err)
{
	const struct cs_fw_options *o = cs_framework_options(fw);
	size_t nt = cs_framework_tiebreak_count(fw), nk = 1 + nt;
	struct peer_entry *peers = NULL;
	double *keys = NULL;
	bool *ascending = NULL, *eligible = NULL;
	size_t *ranks = NULL, ranked_of;
	enum cs_err rc = CS_OK;

	peers = cs_calloc(n ? n : 1, sizeof(*peers));
	keys = cs_calloc(n ? n : 1, nk * sizeof(*keys));
	ascending = cs_calloc(nk, sizeof(*ascending));
	eligible = cs_calloc(n ? n : 1, sizeof(*eligible));
	ranks = cs_calloc(n ? n : 1, sizeof(*ranks));
	if (!peers || !keys || !ascending || !eligible || !ranks) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto done;
	}
	for (size_t t = 0; t < nt; t++)
		ascending[1 + t] = cs_framework_tiebreak(fw, t)->ascending;
	for (size_t i = 0; i < n; i++)
		peers[i] = (struct peer_entry){&results[i], i, o->rank_scope};
	qsort(peers, n, sizeof(*peers), compare_peers);
	for (size_t a = 0, b; a < n; a = b) {
		size_t m;

		for (b = a + 1; b < n && compare_scope(&peers[a], &peers[b]) == 0; b++)
			;
		m = b - a;
		for (size_t j = 0; j < m; j++) {
			const struct cs_par_result *r = peers[a + j].res;

			/* M2.6: descending by the published index, then the
			 * tie-breakers' points, published the same way. */
			keys[j * nk] = compared(o, r->index);
			for (size_t t = 0; t < nt; t++) {
				const struct cs_par_node_result *nr =
					&r->nodes[cs_framework_tiebreak(fw, t)->index];

				keys[j * nk + 1 + t] = compared(o, nr->points);
			}
			eligible[j] = r->state == CS_PAR_COMPLETE && !r->unranked;
		}
		rc = cs_rank_compute(
			&(struct cs_rank_input){m, nk, keys, ascending, eligible, o->rank_method},
			ranks, &ranked_of, NULL, err);
		if (rc)
			goto done;
		for (size_t j = 0; j < m; j++) {
			struct cs_par_result *r = &results[peers[a + j].index];

			r->rank = ranks[j];
			r->ranked_of = ranked_of;
		}
	}
done:
	cs_free(peers);
	cs_free(keys);
	cs_free(ascending);
	cs_free(eligible);
	cs_free(ranks);
	return rc;
}

enum cs_err cs_par_compute(const struct cs_framework *fw, const struct cs_par_unit *units, size_t n,
			   const struct cs_par_source_provider *provider, struct cs_par_run *run,
			   struct cs_error *err)
{
	enum cs_err rc;

	cs_par_run_release(run);
	if (!cs_framework_is_valid(fw))
		return cs_fail(err, CS_ESTATE, "framework '%s' is not validated",
			       cs_framework_info(fw)->code);
	if (n > CS_PAR_UNITS_MAX)
		return cs_fail(err, CS_ETOOBIG, "%zu units (at most %d in one computation)", n,
			       CS_PAR_UNITS_MAX);
	rc = check_units(units, n, err);
	if (rc)
		return rc;
	run->results = cs_arena_calloc(&run->arena, n ? n : 1, sizeof(*run->results));
	if (!run->results) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		rc = compute_unit(fw, &units[i], provider, &run->arena, &run->results[i], err);
		if (rc)
			goto fail;
	}
	rc = rank_all(fw, run->results, n, err);
	if (rc)
		goto fail;
	run->fw = fw;
	run->nunits = n;
	return CS_OK;
fail:
	cs_par_run_release(run);
	return rc;
}

/* Group statistics (M2.7). */

static int compare_doubles(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/* Fills g's statistics from the results whose indices are members[0..m). */
static enum cs_err fill_group(struct cs_par_run *run, struct cs_par_group *g, const size_t *members,
			      size_t m, double *values, struct cs_error *err)
{
	const struct cs_fw_options *o = cs_framework_options(run->fw);
	size_t nb = cs_framework_band_count(run->fw), k = 0;
	double sum = 0;

	g->band_counts = cs_arena_calloc(&run->arena, nb ? nb : 1, sizeof(*g->band_counts));
	if (!g->band_counts)
		return cs_fail(err, CS_ENOMEM, NULL);
	g->units = m;
	for (size_t j = 0; j < m; j++) {
		const struct cs_par_result *r = &run->results[members[j]];

		if (r->state != CS_PAR_COMPLETE)
			continue;
		values[k++] = compared(o, r->index);
		if (r->band != CS_FW_NONE)
			g->band_counts[r->band]++;
	}
	g->n = k;
	if (k == 0)
		return CS_OK;
	qsort(values, k, sizeof(*values), compare_doubles);
	for (size_t j = 0; j < k; j++)
		sum += values[j];
	g->mean = sum / (double)k;
	g->median = k % 2 ? values[k / 2] : (values[k / 2 - 1] + values[k / 2]) / 2;
	g->min = values[0];
	g->max = values[k - 1];
	g->gap = g->max - g->min;
	return CS_OK;
}

enum cs_err cs_par_groups(struct cs_par_run *run, struct cs_error *err)
{
	size_t n = run->nunits, ng = 1, nparents = 0, gi = 0;
	struct peer_entry *by_parent = NULL;
	size_t *members = NULL, *first = NULL;
	double *values = NULL;
	size_t level_count[CS_LEVEL_COUNT_] = {0};
	enum cs_err rc = CS_OK;

	run->groups = NULL;
	run->ngroups = 0;
	if (!run->fw)
		return CS_OK;
	by_parent = cs_calloc(n ? n : 1, sizeof(*by_parent));
	members = cs_calloc(n ? n : 1, sizeof(*members));
	first = cs_calloc(n ? n : 1, sizeof(*first));
	values = cs_calloc(n ? n : 1, sizeof(*values));
	if (!by_parent || !members || !first || !values) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		level_count[run->results[i].level]++;
		by_parent[i] = (struct peer_entry){&run->results[i], i, CS_RANK_SCOPE_PARENT};
	}
	qsort(by_parent, n, sizeof(*by_parent), compare_peers);
	/* first[p]: position in by_parent where parent group p starts. */
	for (size_t j = 0; j < n; j++)
		if (by_parent[j].res->parent &&
		    (j == 0 || compare_scope(&by_parent[j - 1], &by_parent[j]) != 0))
			first[nparents++] = j;
	for (int l = 0; l < CS_LEVEL_COUNT_; l++)
		ng += level_count[l] > 0;
	ng += nparents;
	run->groups = cs_arena_calloc(&run->arena, ng, sizeof(*run->groups));
	if (!run->groups) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto done;
	}

	for (size_t i = 0; i < n; i++)
		members[i] = i;
	run->groups[gi].kind = CS_PAR_GROUP_ALL;
	rc = fill_group(run, &run->groups[gi++], members, n, values, err);
	for (int l = 0; !rc && l < CS_LEVEL_COUNT_; l++) {
		size_t m = 0;

		if (!level_count[l])
			continue;
		for (size_t i = 0; i < n; i++)
			if (run->results[i].level == (enum cs_level)l)
				members[m++] = i;
		run->groups[gi].kind = CS_PAR_GROUP_LEVEL;
		run->groups[gi].level = (enum cs_level)l;
		rc = fill_group(run, &run->groups[gi++], members, m, values, err);
	}
	/* Parent groups in order of first appearance: each run in by_parent is
	 * in input order, so its first entry is where the parent first appears. */
	for (size_t p = 1; p < nparents; p++) {
		size_t key = first[p], q = p;

		while (q > 0 && by_parent[first[q - 1]].index > by_parent[key].index) {
			first[q] = first[q - 1];
			q--;
		}
		first[q] = key;
	}
	for (size_t p = 0; !rc && p < nparents; p++) {
		size_t m = 0;

		for (size_t j = first[p];
		     j < n &&
		     (j == first[p] || compare_scope(&by_parent[first[p]], &by_parent[j]) == 0);
		     j++)
			members[m++] = by_parent[j].index;
		run->groups[gi].kind = CS_PAR_GROUP_PARENT;
		run->groups[gi].parent = by_parent[first[p]].res->parent;
		rc = fill_group(run, &run->groups[gi++], members, m, values, err);
	}
	if (!rc)
		run->ngroups = ng;
done:
	if (rc)
		run->groups = NULL;
	cs_free(by_parent);
	cs_free(members);
	cs_free(first);
	cs_free(values);
	return rc;
}

/* Change since the previous period (M2.6). */

struct prev_entry {
	const char *code;
	size_t index;
};

static int compare_prev(const void *pa, const void *pb)
{
	const struct prev_entry *a = pa, *b = pb;
	int r = strcmp(a->code, b->code);

	if (r)
		return r;
	return a->index < b->index ? -1 : a->index > b->index;
}

static size_t find_prev(const struct prev_entry *sorted, size_t n, const char *code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(sorted[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(sorted[lo].code, code) == 0 ? sorted[lo].index : SIZE_MAX;
}

enum cs_err cs_par_change(struct cs_par_run *run, const struct cs_par_prev *prev, size_t nprev,
			  struct cs_error *err)
{
	const struct cs_fw_options *o;
	struct prev_entry *sorted;
	enum cs_err rc = CS_OK;

	if (!run->fw)
		return CS_OK;
	o = cs_framework_options(run->fw);
	for (size_t i = 0; i < nprev; i++) {
		if (!prev[i].code || !*prev[i].code)
			return cs_fail(err, CS_EINVAL,
				       "previous results: entry #%zu has no unit code", i + 1);
		if (!isfinite(prev[i].index) || !isfinite(prev[i].points))
			return cs_fail(err, CS_EINVAL,
				       "previous results: unit '%s' has no finite index or points",
				       prev[i].code);
	}
	sorted = cs_calloc(nprev ? nprev : 1, sizeof(*sorted));
	if (!sorted)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < nprev; i++)
		sorted[i] = (struct prev_entry){prev[i].code, i};
	qsort(sorted, nprev, sizeof(*sorted), compare_prev);
	for (size_t i = 1; i < nprev && !rc; i++)
		if (strcmp(sorted[i].code, sorted[i - 1].code) == 0)
			rc = cs_fail(err, CS_EINVAL, "previous results: duplicate unit code '%s'",
				     sorted[i].code);
	for (size_t i = 0; i < run->nunits && !rc; i++) {
		struct cs_par_result *r = &run->results[i];
		struct cs_par_change *c = &r->change;
		size_t p;

		memset(c, 0, sizeof(*c));
		if (r->state != CS_PAR_COMPLETE)
			continue;
		p = find_prev(sorted, nprev, r->code);
		if (p == SIZE_MAX)
			continue;
		c->has_prev = true;
		c->prev_index = prev[p].index;
		if (o->full_precision) {
			c->index_change = r->index - prev[p].index;
			c->points_change = r->points - prev[p].points;
		} else {
			/* Differences of published figures, so that the table
			 * adds up: 92.10 - 91.84 shows as 0.26 (M2.6, M2.8). */
			int d = o->rounding.decimals;

			c->index_change = cs_round_half_away(r->published - prev[p].index, d);
			c->points_change = cs_round_half_away(
				cs_round_apply(&o->rounding, r->points) - prev[p].points, d);
		}
		if (r->rank && prev[p].rank) {
			c->has_places = true;
			c->prev_rank = prev[p].rank;
			c->places_change = (long)prev[p].rank - (long)r->rank;
		}
	}
	cs_free(sorted);
	return rc;
}
