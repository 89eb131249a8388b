/*
 * Reading one unit's scores and state, and the explanation requests of the
 * appraisal with their answers, audited per criterion under the same entity
 * ids as the scores ("PERIOD/FRAMEWORK/UNIT/NODE"), so that a criterion's
 * history shows all of it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/assess_store.h"
#include "store/audit.h"
#include "store/score_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* Longest audit entity id: period/framework/unit/node. */
#define ENTITY_ID_MAX (4 * CS_SCORE_CODE_LEN + 4 + 128)

/* A copy of column col in arena, NULL for SQL NULL; *oom set when out of memory. */
static const char *arena_col(struct cs_arena *a, struct cs_stmt *st, int col, bool *oom)
{
	size_t len = 0;
	const char *t = cs_stmt_text(st, col, &len);
	const char *copy;

	if (!t)
		return NULL;
	copy = cs_arena_strndup(a, t, len);
	if (!copy)
		*oom = true;
	return copy;
}

static struct cs_score_value score_col(struct cs_stmt *st, int score, int na)
{
	struct cs_score_value v = {CS_SCORE_EMPTY, 0};

	if (cs_stmt_i64(st, na))
		v.kind = CS_SCORE_NA;
	else if (!cs_stmt_is_null(st, score)) {
		v.kind = CS_SCORE_VALUE;
		v.value = cs_stmt_double(st, score);
	}
	return v;
}

/* Prepares sql and binds period_id, unit_id and fw_code as parameters 1 to 3. */
static enum cs_err prepare3(struct cs_store *s, const char *sql, int64_t period_id, int64_t unit_id,
			    const char *fw_code, struct cs_stmt **st, struct cs_error *err)
{
	enum cs_err rc = cs_stmt_prepare(s, sql, st, err);

	if (!rc)
		rc = cs_stmt_bind_i64(*st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(*st, 2, unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(*st, 3, fw_code, err);
	return rc;
}

enum cs_err cs_assess_rows(struct cs_store *s, int64_t period_id, int64_t unit_id,
			   const char *fw_code, struct cs_arena *arena, struct cs_vec *out,
			   struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false, oom = false;
	enum cs_err rc;

	rc = prepare3(s,
		      "select node_code, self_score, self_na, appraised_score, appraised_na, "
		      "self_note, appraisal_reason, updated_by, updated_at from assessment where "
		      "period_id = ? and unit_id = ? and framework = ? order by node_code",
		      period_id, unit_id, fw_code, &st, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_assess_row *r = cs_vec_push_zero(out, err);

		if (!r) {
			rc = err ? err->code : CS_ENOMEM;
			break;
		}
		r->node = arena_col(arena, st, 0, &oom);
		r->self = score_col(st, 1, 2);
		r->appraised = score_col(st, 3, 4);
		r->note = arena_col(arena, st, 5, &oom);
		r->reason = arena_col(arena, st, 6, &oom);
		r->updated_by = arena_col(arena, st, 7, &oom);
		r->updated_at = arena_col(arena, st, 8, &oom);
		if (oom || !r->node)
			rc = cs_fail(err, CS_ENOMEM, NULL);
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_assess_state(struct cs_store *s, int64_t period_id, int64_t unit_id,
			    const char *fw_code, enum cs_wf_state *out, bool *recorded,
			    struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	*out = CS_WF_DRAFT;
	rc = prepare3(s,
		      "select state from assessment_state where period_id = ? and unit_id = ? and "
		      "framework = ?",
		      period_id, unit_id, fw_code, &st, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row) {
		size_t len = 0;
		const char *t = cs_stmt_text(st, 0, &len);

		if (!t || !cs_wf_state_parse(cs_str_make(t, len), out))
			rc = cs_fail(err, CS_ESTORE, "unknown workflow state '%s' in the database",
				     t ? t : "");
	}
	if (!rc && recorded)
		*recorded = row;
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_explanation_list(struct cs_store *s, int64_t period_id, int64_t unit_id,
				const char *fw_code, struct cs_arena *arena, struct cs_vec *out,
				struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false, oom = false;
	enum cs_err rc;

	rc = prepare3(s,
		      "select id, node_code, question, asked_by, asked_at, answer, answered_by, "
		      "answered_at from explanation where period_id = ? and unit_id = ? and "
		      "framework = ? order by id",
		      period_id, unit_id, fw_code, &st, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_explanation *e = cs_vec_push_zero(out, err);

		if (!e) {
			rc = err ? err->code : CS_ENOMEM;
			break;
		}
		e->id = cs_stmt_i64(st, 0);
		e->node = arena_col(arena, st, 1, &oom);
		e->question = arena_col(arena, st, 2, &oom);
		e->asked_by = arena_col(arena, st, 3, &oom);
		e->asked_at = arena_col(arena, st, 4, &oom);
		e->answer = arena_col(arena, st, 5, &oom);
		e->answered_by = arena_col(arena, st, 6, &oom);
		e->answered_at = arena_col(arena, st, 7, &oom);
		if (oom)
			rc = cs_fail(err, CS_ENOMEM, NULL);
	}
	cs_stmt_free(st);
	return rc;
}

static enum cs_err text_check(const char *what, const char *text, struct cs_error *err)
{
	size_t n = text ? strlen(text) : 0;

	if (n == 0)
		return cs_fail(err, CS_EINVAL, "%s: empty; expected text", what);
	if (n > CS_EXPLANATION_MAX)
		return cs_fail(err, CS_EINVAL, "%s: %zu bytes long; expected at most %d", what, n,
			       CS_EXPLANATION_MAX);
	return CS_OK;
}

enum cs_err cs_explanation_ask(struct cs_store *s, const struct cs_period *p, int64_t unit_id,
			       const char *unit, const char *fw_code, const char *node,
			       const char *question, int64_t *id, struct cs_error *err)
{
	char now[CS_STORE_TIME_LEN], eid[ENTITY_ID_MAX];
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = text_check("question", question, err);
	if (rc)
		return rc;
	cs_store_now(now);
	rc = cs_stmt_prepare(s,
			     "insert into explanation (period_id, unit_id, framework, node_code, "
			     "question, asked_by, asked_at) values (?, ?, ?, ?, ?, ?, ?) returning "
			     "id",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, p->id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, fw_code, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 4, node, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 5, question, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 6, cs_store_actor(s), err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 7, now, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row && id)
		*id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	snprintf(eid, sizeof(eid), "%s/%s/%s/%s", p->code, fw_code, unit, node);
	if (!rc)
		rc = cs_audit_append(s, NULL, "assessment", eid, "explanation_request", NULL,
				     question, NULL, err);
	return rc;
}

enum cs_err cs_explanation_answer(struct cs_store *s, const struct cs_period *p, int64_t unit_id,
				  const char *unit, const char *fw_code, int64_t id,
				  const char *answer, struct cs_error *err)
{
	char now[CS_STORE_TIME_LEN], eid[ENTITY_ID_MAX], node[CS_SCORE_CODE_LEN];
	char *old = NULL, *question = NULL;
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = text_check("answer", answer, err);
	if (rc)
		return rc;
	rc = prepare3(s,
		      "select node_code, question, answer from explanation where period_id = ? "
		      "and unit_id = ? and framework = ? and id = ?",
		      p->id, unit_id, fw_code, &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 4, id, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND,
			     "explanation request %" PRId64
			     " is not one of unit '%s' in period '%s' under framework '%s'",
			     id, unit, p->code, fw_code);
	if (!rc) {
		const char *n = cs_stmt_text(st, 0, NULL), *q = cs_stmt_text(st, 1, NULL);
		const char *a = cs_stmt_text(st, 2, NULL);

		snprintf(node, sizeof(node), "%s", n ? n : "");
		question = cs_strdup(q ? q : "");
		old = a ? cs_strdup(a) : NULL;
		if (!question || (a && !old))
			rc = cs_fail(err, CS_ENOMEM, NULL);
	}
	cs_stmt_free(st);
	st = NULL;
	if (!rc && old && strcmp(old, answer) == 0)
		goto out; /* the same answer again: nothing changes */
	cs_store_now(now);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "update explanation set answer = ?, answered_by = ?, "
				     "answered_at = ? where id = ?",
				     &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, answer, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, cs_store_actor(s), err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, now, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 4, id, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	snprintf(eid, sizeof(eid), "%s/%s/%s/%s", p->code, fw_code, unit, node);
	if (!rc)
		rc = cs_audit_append(s, NULL, "assessment", eid, "explanation", old, answer,
				     question, err);
out:
	cs_stmt_free(st);
	cs_free(old);
	cs_free(question);
	return rc;
}
