/*
 * Workflow states and publications of PAR results: each change checked
 * against the transition table of core/workflow.c and written with its audit
 * row in the same transaction.
 */
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/par_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* Longest audit entity id: period/framework/unit. */
#define ENTITY_ID_MAX (3 * CS_SCORE_CODE_LEN + 3)

/* The publication row of the period and framework, if any, into *found and the time and actor. */
static enum cs_err find_publication(struct cs_store *s, int64_t period_id, const char *fw_code,
				    bool *found, char at[CS_STORE_TIME_LEN],
				    char by[CS_STORE_ACTOR_MAX], struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	enum cs_err rc;

	*found = false;
	rc = cs_stmt_prepare(
		s,
		"select published_at, published_by from publication where period_id = ? "
		"and kind = 'par' and framework = ?",
		&st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, fw_code, err);
	if (!rc)
		rc = cs_stmt_step(st, found, err);
	if (!rc && *found) {
		const char *a = cs_stmt_text(st, 0, NULL), *b = cs_stmt_text(st, 1, NULL);

		snprintf(at, CS_STORE_TIME_LEN, "%s", a ? a : "");
		snprintf(by, CS_STORE_ACTOR_MAX, "%s", b ? b : "");
	}
	cs_stmt_free(st);
	return rc;
}

static enum cs_err current_state(struct cs_stmt *st, int64_t period_id, int64_t unit_id,
				 const char *fw_code, enum cs_wf_state *state, bool *stored,
				 struct cs_error *err)
{
	enum cs_err rc;

	*state = CS_WF_DRAFT;
	*stored = false;
	rc = cs_stmt_reset(st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, fw_code, err);
	if (!rc)
		rc = cs_stmt_step(st, stored, err);
	if (!rc && *stored) {
		size_t len = 0;
		const char *t = cs_stmt_text(st, 0, &len);

		if (!t || !cs_wf_state_parse(cs_str_make(t, len), state))
			rc = cs_fail(err, CS_ESTORE, "unknown workflow state '%s' in the database",
				     t ? t : "");
	}
	return rc;
}

/* The statements that read and write states, prepared once. */
struct states {
	struct cs_stmt *get, *insert, *update;
	char now[CS_STORE_TIME_LEN];
};

static enum cs_err states_prepare(struct cs_store *s, struct states *st, struct cs_error *err)
{
	enum cs_err rc;

	cs_store_now(st->now);
	rc = cs_stmt_prepare(s,
			     "select state from assessment_state where period_id = ? and unit_id = "
			     "? and framework = ?",
			     &st->get, err);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "insert into assessment_state (state, updated_by, updated_at, "
				     "period_id, unit_id, framework) values (?, ?, ?, ?, ?, ?)",
				     &st->insert, err);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "update assessment_state set state = ?, updated_by = ?, "
				     "updated_at = ? where period_id = ? and unit_id = ? and "
				     "framework = ?",
				     &st->update, err);
	return rc;
}

static void states_free(struct states *st)
{
	cs_stmt_free(st->get);
	cs_stmt_free(st->insert);
	cs_stmt_free(st->update);
}

/* Stores one unit's new state and its audit row. */
static enum cs_err put_state(struct cs_store *s, struct states *st, const struct cs_period *p,
			     const char *fw_code, int64_t unit_id, const char *unit, bool stored,
			     enum cs_wf_state from, enum cs_wf_state to, const char *reason,
			     struct cs_error *err)
{
	struct cs_stmt *w = stored ? st->update : st->insert;
	char id[ENTITY_ID_MAX];
	enum cs_err rc;

	rc = cs_stmt_bind_textz(w, 1, cs_wf_state_name(to), err);
	if (!rc)
		rc = cs_stmt_bind_textz(w, 2, cs_store_actor(s), err);
	if (!rc)
		rc = cs_stmt_bind_textz(w, 3, st->now, err);
	if (!rc)
		rc = cs_stmt_bind_i64(w, 4, p->id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(w, 5, unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(w, 6, fw_code, err);
	if (!rc)
		rc = cs_stmt_run(w, err);
	snprintf(id, sizeof(id), "%s/%s/%s", p->code, fw_code, unit);
	if (!rc)
		rc = cs_audit_append(s, NULL, "assessment_state", id, "state",
				     cs_wf_state_name(from), cs_wf_state_name(to), reason, err);
	return rc;
}

enum cs_err cs_par_state_set(struct cs_store *s, const struct cs_period *p, const char *fw_code,
			     struct cs_par_state_change *units, size_t n, enum cs_wf_state to,
			     const char *reason, struct cs_error *err)
{
	struct states st = {0};
	char at[CS_STORE_TIME_LEN], by[CS_STORE_ACTOR_MAX];
	bool published = false;
	enum cs_err rc;

	if (reason && !*reason)
		reason = NULL;
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	rc = find_publication(s, p->id, fw_code, &published, at, by, err);
	if (!rc && published)
		rc = cs_fail(
			err, CS_ESTATE,
			"the results of period '%s' for framework '%s' were published on %s by "
			"%s; published results never change",
			p->code, fw_code, at, by);
	if (!rc)
		rc = states_prepare(s, &st, err);
	for (size_t i = 0; !rc && i < n; i++) {
		bool stored = false;

		rc = current_state(st.get, p->id, units[i].unit_id, fw_code, &units[i].from,
				   &stored, err);
		if (!rc) {
			rc = cs_wf_check(units[i].from, to, reason != NULL, err);
			if (rc)
				cs_error_prefix(err, "unit '%s'", units[i].unit);
		}
		if (!rc)
			rc = put_state(s, &st, p, fw_code, units[i].unit_id, units[i].unit, stored,
				       units[i].from, to, reason, err);
	}
	states_free(&st);
	if (!rc)
		rc = cs_store_commit(s, err);
	else
		cs_store_rollback(s);
	return rc;
}

void cs_publication_release(struct cs_publication *p)
{
	if (!p)
		return;
	cs_free(p->options);
	cs_free(p->results);
	memset(p, 0, sizeof(*p));
}

static enum cs_err copy_col(struct cs_stmt *st, int col, char **out, size_t *len,
			    struct cs_error *err)
{
	size_t n = 0;
	const char *t = cs_stmt_text(st, col, &n);

	*out = cs_strndup(t ? t : "", t ? n : 0);
	if (!*out)
		return cs_fail(err, CS_ENOMEM, NULL);
	*len = t ? n : 0;
	return CS_OK;
}

static void fixed_col(struct cs_stmt *st, int col, char *out, size_t cap)
{
	const char *t = cs_stmt_text(st, col, NULL);

	snprintf(out, cap, "%s", t ? t : "");
}

enum cs_err cs_publication_get(struct cs_store *s, int64_t period_id, const char *fw_code,
			       struct cs_publication *out, bool *found, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	enum cs_err rc;

	cs_publication_release(out);
	*found = false;
	rc = cs_stmt_prepare(s,
			     "select id, framework, framework_version, methodology_sha256, "
			     "input_sha256, published_at, published_by, options, results from "
			     "publication where period_id = ? and kind = 'par' and framework = ?",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, fw_code, err);
	if (!rc)
		rc = cs_stmt_step(st, found, err);
	if (!rc && *found) {
		out->id = cs_stmt_i64(st, 0);
		fixed_col(st, 1, out->framework, sizeof(out->framework));
		fixed_col(st, 2, out->version, sizeof(out->version));
		fixed_col(st, 3, out->methodology_sha256, sizeof(out->methodology_sha256));
		fixed_col(st, 4, out->input_sha256, sizeof(out->input_sha256));
		fixed_col(st, 5, out->published_at, sizeof(out->published_at));
		fixed_col(st, 6, out->published_by, sizeof(out->published_by));
		rc = copy_col(st, 7, &out->options, &out->options_len, err);
		if (!rc)
			rc = copy_col(st, 8, &out->results, &out->results_len, err);
		if (rc)
			cs_publication_release(out);
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_publication_add(struct cs_store *s, const struct cs_period *p,
			       int64_t methodology_id, struct cs_publication *pub,
			       const struct cs_par_round *round, struct cs_error *err)
{
	struct cs_stmt *ins = NULL;
	struct states st = {0};
	char at[CS_STORE_TIME_LEN], by[CS_STORE_ACTOR_MAX], id[ENTITY_ID_MAX];
	bool published = false;
	enum cs_err rc;

	rc = find_publication(s, p->id, pub->framework, &published, at, by, err);
	if (!rc && published)
		rc = cs_fail(err, CS_EEXIST,
			     "the results of period '%s' for framework '%s' were already published "
			     "on %s by %s",
			     p->code, pub->framework, at, by);
	for (size_t i = 0; !rc && i < round->nunits; i++)
		if (round->states[i] != CS_WF_APPROVED)
			rc = cs_fail(err, CS_ESTATE,
				     "unit '%s' is %s, not approved; every unit of the period must "
				     "be approved before its results are published",
				     round->units[i].code, cs_wf_state_name(round->states[i]));
	if (!rc)
		rc = states_prepare(s, &st, err);
	if (rc)
		goto out;
	cs_store_now(pub->published_at);
	snprintf(pub->published_by, sizeof(pub->published_by), "%s", cs_store_actor(s));
	rc = cs_stmt_prepare(
		s,
		"insert into publication (period_id, kind, framework, framework_version, "
		"methodology_id, methodology_sha256, input_sha256, options, results, "
		"published_at, published_by) values (?, 'par', ?, ?, ?, ?, ?, ?, ?, ?, "
		"?) returning id",
		&ins, err);
	if (!rc)
		rc = cs_stmt_bind_i64(ins, 1, p->id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(ins, 2, pub->framework, err);
	if (!rc)
		rc = cs_stmt_bind_textz(ins, 3, pub->version, err);
	if (!rc)
		rc = cs_stmt_bind_i64(ins, 4, methodology_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(ins, 5, pub->methodology_sha256, err);
	if (!rc)
		rc = cs_stmt_bind_textz(ins, 6, pub->input_sha256, err);
	if (!rc)
		rc = cs_stmt_bind_text(ins, 7, pub->options, pub->options_len, err);
	if (!rc)
		rc = cs_stmt_bind_text(ins, 8, pub->results, pub->results_len, err);
	if (!rc)
		rc = cs_stmt_bind_textz(ins, 9, pub->published_at, err);
	if (!rc)
		rc = cs_stmt_bind_textz(ins, 10, pub->published_by, err);
	if (!rc)
		rc = cs_stmt_step(ins, &published, err);
	if (!rc && published)
		pub->id = cs_stmt_i64(ins, 0);
	for (size_t i = 0; !rc && i < round->nunits; i++)
		rc = put_state(s, &st, p, pub->framework, round->unit_ids[i], round->units[i].code,
			       true, CS_WF_APPROVED, CS_WF_PUBLISHED, "results published", err);
	snprintf(id, sizeof(id), "%s/%s", p->code, pub->framework);
	if (!rc)
		rc = cs_audit_append(s, NULL, "publication", id, "input_sha256", NULL,
				     pub->input_sha256, "results published", err);
out:
	cs_stmt_free(ins);
	states_free(&st);
	return rc;
}
