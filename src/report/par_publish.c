/*
 * Publication of a period's PAR results: compute, hash the inputs, record
 * the options, store, all in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/par_json.h"
#include "report/par_period.h"
#include "report/par_publish.h"
#include "report/sipas_sources.h"
#include "util/buf.h"

#include "util/banned.h"

/* Largest results document, inputs text or options text kept. */
#define PUBLISH_MAX (512u * 1024 * 1024)

/* The options a publication records: the framework's, and the previous period used. */
static enum cs_err options_json(const struct par_period *c, struct cs_buf *out,
				struct cs_error *err)
{
	const struct cs_fw_options *o = cs_framework_options(c->fw);
	const char *flag = cs_framework_unranked_flag(c->fw);
	json_t *root, *tb;
	char *text;
	enum cs_err rc = CS_OK;

	root = json_pack("{s:s?, s:s, s:i, s:s, s:s, s:s, s:s, s:s?, s:[]}", "previous_period",
			 c->has_prev ? c->prev.code : NULL, "rounding",
			 cs_round_mode_name(o->rounding.mode), "decimals", o->rounding.decimals,
			 "rank_method", cs_rank_method_name(o->rank_method), "rank_scope",
			 cs_rank_scope_name(o->rank_scope), "precision",
			 o->full_precision ? "full" : "published", "na_policy",
			 cs_na_policy_name(o->na_policy), "unranked_flag", flag, "tiebreaks");
	tb = root ? json_object_get(root, "tiebreaks") : NULL;
	for (size_t i = 0; tb && i < cs_framework_tiebreak_count(c->fw); i++) {
		const struct cs_fw_tiebreak *t = cs_framework_tiebreak(c->fw, i);

		json_array_append_new(tb, json_pack("{s:s, s:s}", "node", t->node, "order",
						    t->ascending ? "ascending" : "descending"));
	}
	text = root ? json_dumps(root, JSON_COMPACT) : NULL;
	if (!text)
		rc = cs_fail(err, CS_ENOMEM, NULL);
	else
		rc = cs_buf_addstr(out, text, err);
	free(text);
	json_decref(root);
	return rc;
}

/* Computes and stores, inside the transaction par_period_publish opened. */
static enum cs_err publish(struct cs_store *s, const char *period_code, const char *fw_code,
			   struct par_period *c, const struct par_period_sources *sources,
			   struct par_published *out, struct cs_error *err)
{
	struct cs_publication pub = {0};
	struct cs_buf results, input, options;
	enum cs_err rc;

	cs_buf_init(&results, PUBLISH_MAX);
	cs_buf_init(&input, PUBLISH_MAX);
	cs_buf_init(&options, 1u << 20);
	rc = par_period_compute(s, period_code, fw_code, sources, c, err);
	if (!rc && c->round.nunits == 0)
		rc = cs_fail(err, CS_ESTATE,
			     "period '%s' has no units for framework '%s'; nothing to publish",
			     c->period.code, c->fw_code);
	for (size_t i = 0; !rc && i < c->run.nunits; i++) {
		const struct cs_par_result *r = &c->run.results[i];

		if (r->state == CS_PAR_INCOMPLETE)
			rc = cs_fail(err, CS_ESTATE,
				     "unit '%s' has no result yet (%zu criteria wait for scores or "
				     "for survey and data results, the first '%s'); only complete "
				     "results are published",
				     r->code, r->nmissing,
				     cs_framework_node(c->fw, r->missing[0])->code);
	}
	if (!rc)
		rc = cs_par_json_write(&c->report, &results, err);
	if (!rc)
		rc = cs_par_round_canonical(&c->round, c->fw, &input, err);
	if (!rc)
		rc = cs_buf_addf(&input, err, "methodology\t%s\n", c->fw_sha);
	if (!rc)
		rc = options_json(c, &options, err);
	if (!rc) {
		snprintf(pub.framework, sizeof(pub.framework), "%s", c->fw_code);
		snprintf(pub.version, sizeof(pub.version), "%s", cs_framework_info(c->fw)->version);
		snprintf(pub.methodology_sha256, sizeof(pub.methodology_sha256), "%s", c->fw_sha);
		cs_sha256_hex(input.data, input.len, pub.input_sha256);
		pub.results = results.data;
		pub.results_len = results.len;
		pub.options = options.data;
		pub.options_len = options.len;
		rc = cs_publication_add(s, &c->period, c->methodology_id, &pub, &c->round, err);
	}
	if (!rc && out) {
		snprintf(out->period, sizeof(out->period), "%s", c->period.code);
		snprintf(out->framework, sizeof(out->framework), "%s", pub.framework);
		snprintf(out->version, sizeof(out->version), "%s", pub.version);
		snprintf(out->methodology_sha256, sizeof(out->methodology_sha256), "%s",
			 pub.methodology_sha256);
		snprintf(out->input_sha256, sizeof(out->input_sha256), "%s", pub.input_sha256);
		snprintf(out->published_at, sizeof(out->published_at), "%s", pub.published_at);
		out->units = c->round.nunits;
	}
	cs_buf_release(&options);
	cs_buf_release(&input);
	cs_buf_release(&results);
	return rc;
}

enum cs_err par_period_publish(struct cs_store *s, const char *period_code, const char *fw_code,
			       struct par_published *out, struct cs_error *err)
{
	struct sipas_sources ss; /* survey leaves: SIPAS results (M2.2) */
	struct par_period_sources sources = sipas_sources_init(&ss);
	struct par_period c;
	enum cs_err rc;

	par_period_init(&c);
	/* The results are computed inside the transaction that stores them,
	 * so that they are exactly those of the data being frozen. */
	rc = cs_store_begin(s, err);
	if (!rc) {
		rc = publish(s, period_code, fw_code, &c, &sources, out, err);
		if (!rc)
			rc = cs_store_commit(s, err);
		else
			cs_store_rollback(s);
	}
	par_period_release(&c);
	sipas_sources_release(&ss);
	return rc;
}
