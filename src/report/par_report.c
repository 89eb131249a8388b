/* The order and rounding every PAR renderer uses, so their figures agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/round.h"
#include "report/par_report.h"
#include "util/alloc.h"

#include "util/banned.h"

/* qsort has no context argument: each entry carries what it compares. */
struct entry {
	const struct cs_par_result *res;
	double key; /* the compared index */
	size_t index;
};

static int rank_of(const struct cs_par_result *r)
{
	return r->rank ? (int)(r->rank < 1000000000 ? r->rank : 1000000000) : 1000000001;
}

static int compare(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	bool ca = cs_par_report_has_result(a->res), cb = cs_par_report_has_result(b->res);

	if (ca != cb)
		return ca ? -1 : 1;
	if (ca && a->key != b->key)
		return a->key > b->key ? -1 : 1;
	if (ca && rank_of(a->res) != rank_of(b->res))
		return rank_of(a->res) < rank_of(b->res) ? -1 : 1;
	return strcmp(a->res->code, b->res->code);
}

enum cs_err cs_par_report_order(const struct cs_par_report *r, size_t *order, struct cs_error *err)
{
	const struct cs_fw_options *o = cs_framework_options(r->fw);
	size_t n = r->run->nunits;
	struct entry *e = cs_calloc(n ? n : 1, sizeof(*e));

	if (!e)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct cs_par_result *res = &r->run->results[i];

		e[i] = (struct entry){res, o->full_precision ? res->index : res->published, i};
	}
	qsort(e, n, sizeof(*e), compare);
	for (size_t i = 0; i < n; i++)
		order[i] = e[i].index;
	cs_free(e);
	return CS_OK;
}

double cs_par_report_round(const struct cs_par_report *r, double v)
{
	return cs_round_apply(&cs_framework_options(r->fw)->rounding, v);
}

int cs_par_report_decimals(const struct cs_par_report *r)
{
	return cs_framework_options(r->fw)->rounding.decimals;
}

bool cs_par_report_has_result(const struct cs_par_result *res)
{
	return res->state == CS_PAR_COMPLETE;
}

const char *cs_par_report_group_name(const struct cs_par_group *g, char *out, size_t cap)
{
	switch (g->kind) {
	case CS_PAR_GROUP_LEVEL:
		snprintf(out, cap, "level:%s", cs_level_name(g->level));
		break;
	case CS_PAR_GROUP_PARENT:
		snprintf(out, cap, "parent:%s", g->parent ? g->parent : "");
		break;
	case CS_PAR_GROUP_ALL:
	default:
		snprintf(out, cap, "all");
		break;
	}
	return out;
}
