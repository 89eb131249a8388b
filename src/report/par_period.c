/*
 * The PAR results of a period computed from the database, with the change
 * since the previous period (METHODOLOGY M2.2-M2.8); see par_period.h.
 */
#include <stdio.h>
#include <string.h>

#include "report/par_period.h"
#include "core/round.h"
#include "report/par_json.h"
#include "store/par_store.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/vec.h"

#include "util/banned.h"

/*
 * The provider of a period without survey and data results (M2.2): every
 * such leaf says "no result yet", so the unit is reported as incomplete
 * with the leaves it waits for, never given a silent zero.
 */
static enum cs_err no_result_yet(void *ctx, const struct cs_par_unit *unit, size_t leaf,
				 const struct cs_fw_node *node, enum cs_par_fetch *state,
				 double *value, struct cs_error *err)
{
	(void)ctx;
	(void)unit;
	(void)leaf;
	(void)node;
	(void)value;
	(void)err;
	*state = CS_PAR_FETCH_PENDING;
	return CS_OK;
}

static const struct cs_par_source_provider none = {NULL, no_result_yet};

/* The provider of period p: the sources', or none. */
static enum cs_err provider_of(const struct par_period_sources *sources, struct cs_store *s,
			       const struct cs_period *p, const struct cs_par_source_provider **out,
			       struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	*out = NULL;
	if (sources && sources->get)
		rc = sources->get(sources->ctx, s, p, out, err);
	if (!rc && !*out)
		*out = &none;
	return rc;
}

void par_period_init(struct par_period *c)
{
	memset(c, 0, sizeof(*c));
	cs_unit_set_init(&c->units);
	cs_par_round_init(&c->round);
	cs_par_run_init(&c->run);
}

void par_period_release(struct par_period *c)
{
	if (!c)
		return;
	cs_par_run_release(&c->run);
	cs_par_round_release(&c->round);
	cs_unit_set_release(&c->units);
	cs_framework_free(c->fw);
	c->fw = NULL;
}

enum cs_err par_period_pick_framework(struct cs_store *s, const struct cs_period *p,
				      const char *given, char out[CS_SCORE_CODE_LEN],
				      struct cs_error *err)
{
	struct cs_arena arena;
	struct cs_vec codes;
	struct cs_buf list;
	enum cs_err rc;

	if (given) {
		snprintf(out, CS_SCORE_CODE_LEN, "%s", given);
		return CS_OK;
	}
	cs_arena_init(&arena, 0);
	cs_vec_init(&codes, sizeof(char *), 0);
	cs_buf_init(&list, 4096);
	rc = cs_score_store_frameworks(s, p->id, &arena, &codes, err);
	if (!rc && codes.len == 0)
		rc = cs_fail(err, CS_ENOTFOUND,
			     "period '%s' has no scores yet; import them with 'chiso score import "
			     "FILE --period %s --framework CODE'",
			     p->code, p->code);
	if (!rc && codes.len > 1) {
		for (size_t i = 0; i < codes.len && !rc; i++)
			rc = cs_buf_addf(&list, err, "%s%s", i ? ", " : "",
					 *(char **)cs_vec_at(&codes, i));
		if (!rc)
			rc = cs_fail(err, CS_EINVAL,
				     "period '%s' has scores under several frameworks (%s); choose "
				     "one with --framework",
				     p->code, list.data);
	}
	if (!rc)
		snprintf(out, CS_SCORE_CODE_LEN, "%s", *(char **)cs_vec_at(&codes, 0));
	cs_buf_release(&list);
	cs_vec_release(&codes);
	cs_arena_release(&arena);
	return rc;
}

enum cs_err par_period_load_framework(struct cs_store *s, int64_t period_id, const char *code,
				      struct cs_framework **fw, char sha[CS_SHA256_HEX_LEN],
				      int64_t *methodology_id, struct cs_error *err)
{
	char version[CS_SCORE_CODE_LEN];
	bool found = false;
	enum cs_err rc;

	rc = cs_score_store_version(s, period_id, code, version, &found, err);
	if (!rc)
		rc = cs_framework_store_load(s, code, found ? version : NULL, fw, sha, err);
	if (!rc)
		rc = cs_score_store_methodology(s, code, cs_framework_info(*fw)->version,
						methodology_id, err);
	return rc;
}

/* Periods before p, the latest end first (ties: the longer period first). */
static int by_end_desc(const void *pa, const void *pb)
{
	const struct cs_period *a = pa, *b = pb;
	int c = strcmp(b->ends, a->ends);

	return c ? c : strcmp(a->starts, b->starts);
}

/*
 * The results of the previous period for the change columns (M2.6): the
 * latest period ending before this one starts that has results for the same
 * framework code, published (its frozen table) or computed from its scores
 * with the framework version they were entered against.
 */
static enum cs_err previous(struct cs_store *s, const struct par_period_sources *sources,
			    struct par_period *c, struct cs_error *err)
{
	struct cs_vec periods;
	struct cs_arena arena;
	struct cs_publication pub = {0};
	struct par_period prev;
	struct cs_par_prev *rows = NULL;
	size_t nrows = 0;
	enum cs_err rc;

	cs_vec_init(&periods, sizeof(struct cs_period), 0);
	cs_arena_init(&arena, 0);
	par_period_init(&prev);
	rc = cs_period_store_list(s, &periods, err);
	if (!rc)
		cs_vec_sort(&periods, by_end_desc);
	for (size_t i = 0; !rc && i < periods.len; i++) {
		const struct cs_period *p = cs_vec_at(&periods, i);
		const struct cs_par_source_provider *provider = NULL;
		char version[CS_SCORE_CODE_LEN];
		bool published = false, scored = false;

		if (strcmp(p->ends, c->period.starts) >= 0)
			continue;
		rc = cs_publication_get(s, p->id, c->fw_code, &pub, &published, err);
		if (!rc && published) {
			char name[80];

			snprintf(name, sizeof(name), "published results of period %s", p->code);
			rc = cs_par_json_read_prev(name, pub.results, pub.results_len, &arena,
						   &rows, &nrows, err);
		} else if (!rc) {
			rc = cs_score_store_version(s, p->id, c->fw_code, version, &scored, err);
			if (!rc && !scored)
				continue;
			if (!rc)
				rc = cs_framework_store_load(s, c->fw_code, version, &prev.fw, NULL,
							     err);
			if (!rc)
				rc = cs_par_round_load(s, p->id, prev.fw, &c->units, &prev.round,
						       err);
			if (!rc)
				rc = provider_of(sources, s, p, &provider, err);
			if (!rc)
				rc = cs_par_compute(prev.fw, prev.round.units, prev.round.nunits,
						    provider, &prev.run, err);
			if (!rc)
				rows = cs_arena_calloc(&arena,
						       prev.run.nunits ? prev.run.nunits : 1,
						       sizeof(*rows));
			if (!rc && !rows)
				rc = cs_fail(err, CS_ENOMEM, NULL);
			for (size_t k = 0; !rc && k < prev.run.nunits; k++) {
				const struct cs_par_result *r = &prev.run.results[k];

				if (r->state != CS_PAR_COMPLETE)
					continue;
				rows[nrows++] = (struct cs_par_prev){
					r->code, r->published,
					cs_round_apply(&cs_framework_options(prev.fw)->rounding,
						       r->points),
					r->rank};
			}
			if (rc)
				cs_error_prefix(err, "previous period '%s'", p->code);
		}
		if (!rc) {
			c->has_prev = true;
			c->prev = *p;
			rc = cs_par_change(&c->run, rows, nrows, err);
		}
		break;
	}
	cs_publication_release(&pub);
	par_period_release(&prev);
	cs_arena_release(&arena);
	cs_vec_release(&periods);
	return rc;
}

enum cs_err par_period_compute(struct cs_store *s, const char *period_code, const char *fw_code,
			       const struct par_period_sources *sources, struct par_period *c,
			       struct cs_error *err)
{
	const struct cs_par_source_provider *provider = NULL;
	enum cs_err rc;

	rc = cs_score_store_period(s, period_code, &c->period, err);
	if (!rc)
		rc = par_period_pick_framework(s, &c->period, fw_code, c->fw_code, err);
	if (!rc)
		rc = par_period_load_framework(s, c->period.id, c->fw_code, &c->fw, c->fw_sha,
					       &c->methodology_id, err);
	if (!rc)
		rc = cs_unit_store_load(s, &c->units, err);
	if (!rc)
		rc = cs_par_round_load(s, c->period.id, c->fw, &c->units, &c->round, err);
	if (!rc)
		rc = provider_of(sources, s, &c->period, &provider, err);
	if (!rc)
		rc = cs_par_compute(c->fw, c->round.units, c->round.nunits, provider, &c->run, err);
	if (!rc)
		rc = cs_par_groups(&c->run, err);
	if (!rc)
		rc = previous(s, sources, c, err);
	c->report = (struct cs_par_report){c->period.code, c->has_prev ? c->prev.code : NULL,
					   c->fw,	   c->fw_sha,
					   &c->run,	   c->round.names};
	return rc;
}
