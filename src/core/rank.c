/*
 * Ranking with shared positions for ties (METHODOLOGY M2.6): sort eligible
 * items by their keys, then walk the sorted list giving equal items the same
 * position.
 */
#include <math.h>
#include <stdlib.h>

#include "core/rank.h"
#include "util/alloc.h"

#include "util/banned.h"

static const char *const method_names[CS_RANK_METHOD_COUNT_] = {
	[CS_RANK_COMPETITION] = "competition",
	[CS_RANK_DENSE] = "dense",
};

const char *cs_rank_method_name(enum cs_rank_method method)
{
	if ((unsigned)method >= CS_RANK_METHOD_COUNT_)
		return NULL;
	return method_names[method];
}

bool cs_rank_method_parse(struct cs_str s, enum cs_rank_method *out)
{
	for (int i = 0; i < CS_RANK_METHOD_COUNT_; i++) {
		if (cs_str_eq_nocase(s, method_names[i])) {
			*out = (enum cs_rank_method)i;
			return true;
		}
	}
	return false;
}

/* An item in the sort: qsort has no context argument, so each entry carries
 * a pointer to the input. */
struct entry {
	const struct cs_rank_input *in;
	size_t item;
};

/* <0 when item a ranks before item b on the keys alone, 0 when tied. */
static int compare_keys(const struct cs_rank_input *in, size_t a, size_t b)
{
	const double *ka = in->keys + a * in->nkeys;
	const double *kb = in->keys + b * in->nkeys;

	for (size_t k = 0; k < in->nkeys; k++) {
		bool asc = in->ascending && in->ascending[k];

		if (ka[k] != kb[k]) {
			if (asc)
				return ka[k] < kb[k] ? -1 : 1;
			return ka[k] > kb[k] ? -1 : 1;
		}
	}
	return 0;
}

static int compare_entries(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = compare_keys(a->in, a->item, b->item);

	if (c)
		return c;
	/* Ties keep input order, so the order of output is reproducible. */
	return a->item < b->item ? -1 : a->item > b->item;
}

enum cs_err cs_rank_compute(const struct cs_rank_input *in, size_t *rank, size_t *ranked_of,
			    size_t *order, struct cs_error *err)
{
	struct entry *entries = NULL;
	size_t m = 0, pos = 0, next = 0;

	if (in->nkeys == 0)
		return cs_fail(err, CS_EINVAL, "ranking needs at least one key");
	for (size_t i = 0; i < in->n; i++) {
		rank[i] = 0;
		if (in->eligible && !in->eligible[i])
			continue;
		for (size_t k = 0; k < in->nkeys; k++)
			if (isnan(in->keys[i * in->nkeys + k]))
				return cs_fail(err, CS_EINVAL,
					       "ranking: item %zu has no value for key %zu", i, k);
		m++;
	}
	entries = cs_calloc(m ? m : 1, sizeof(*entries));
	if (!entries)
		return cs_fail(err, CS_ENOMEM, NULL);
	m = 0;
	for (size_t i = 0; i < in->n; i++)
		if (!in->eligible || in->eligible[i])
			entries[m++] = (struct entry){in, i};
	qsort(entries, m, sizeof(*entries), compare_entries);
	for (size_t j = 0; j < m; j++) {
		if (j == 0 || compare_keys(in, entries[j - 1].item, entries[j].item) != 0) {
			next++;
			pos = in->method == CS_RANK_DENSE ? next : j + 1;
		}
		rank[entries[j].item] = pos;
		if (order)
			order[j] = entries[j].item;
	}
	*ranked_of = m;
	if (order)
		for (size_t i = 0; i < in->n; i++)
			if (in->eligible && !in->eligible[i])
				order[m++] = i;
	cs_free(entries);
	return CS_OK;
}
