/*
 * PAR scores in the database: the all-or-nothing import with its audit
 * rows, the audit history of a period, and the loading of a period's round
 * (units, states, scores) for computation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/framework_json.h"
#include "store/audit.h"
#include "store/score_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* Longest entity id of an audit row: period/framework/unit/node. */
#define ENTITY_ID_MAX (4 * CS_SCORE_CODE_LEN + 4)

enum cs_err cs_score_store_period(struct cs_store *s, const char *code, struct cs_period *out,
				  struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s, "select id, code, starts, ends from period where code = ?", &st,
			     err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, code, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "no period '%s'; add it with 'chiso period add %s'",
			     code, code);
	if (!rc) {
		const char *c = cs_stmt_text(st, 1, NULL), *a = cs_stmt_text(st, 2, NULL);
		const char *b = cs_stmt_text(st, 3, NULL);

		memset(out, 0, sizeof(*out));
		out->id = cs_stmt_i64(st, 0);
		snprintf(out->code, sizeof(out->code), "%s", c ? c : "");
		snprintf(out->starts, sizeof(out->starts), "%s", a ? a : "");
		snprintf(out->ends, sizeof(out->ends), "%s", b ? b : "");
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_score_store_methodology(struct cs_store *s, const char *code, const char *version,
				       int64_t *id, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select id from methodology where kind = 'framework' and code = ? and "
			     "version = ?",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, code, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, version, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "framework '%s' version '%s' is not stored", code,
			     version);
	if (!rc)
		*id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_score_store_version(struct cs_store *s, int64_t period_id, const char *fw_code,
				   char version[CS_SCORE_CODE_LEN], bool *found,
				   struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	version[0] = '\0';
	*found = false;
	rc = cs_stmt_prepare(s,
			     "select m.version from assessment a join methodology m on m.id = "
			     "a.methodology_id where a.period_id = ? and a.framework = ? limit 1",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, fw_code, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row) {
		const char *v = cs_stmt_text(st, 0, NULL);

		snprintf(version, CS_SCORE_CODE_LEN, "%s", v ? v : "");
		*found = true;
	}
	cs_stmt_free(st);
	return rc;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

enum cs_err cs_score_store_frameworks(struct cs_store *s, int64_t period_id, struct cs_arena *arena,
				      struct cs_vec *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	size_t first = out->len;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select framework from assessment where period_id = ? union select "
			     "framework from assessment_state where period_id = ? union select "
			     "framework from publication where period_id = ?",
			     &st, err);
	for (int k = 1; !rc && k <= 3; k++)
		rc = cs_stmt_bind_i64(st, k, period_id, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		size_t len = 0;
		const char *t = cs_stmt_text(st, 0, &len);
		char *copy = cs_arena_strndup(arena, t ? t : "", t ? len : 0);

		rc = copy ? cs_vec_push(out, &copy, err) : cs_fail(err, CS_ENOMEM, NULL);
	}
	cs_stmt_free(st);
	if (!rc && out->len > first)
		qsort((char *)out->data + first * out->elem_size, out->len - first, out->elem_size,
		      cmp_strp);
	return rc;
}

/* A stored or incoming row's values. */
struct values {
	struct cs_score_value self, appraised;
	const char *note, *reason; /* NULL for none */
};

static struct cs_score_value column_value(struct cs_stmt *st, int score_col, int na_col)
{
	struct cs_score_value v = {CS_SCORE_EMPTY, 0};

	if (cs_stmt_i64(st, na_col))
		v.kind = CS_SCORE_NA;
	else if (!cs_stmt_is_null(st, score_col)) {
		v.kind = CS_SCORE_VALUE;
		v.value = cs_stmt_double(st, score_col);
	}
	return v;
}

/* The text of a value in the audit log: a number, "na", or NULL for none. */
static const char *value_text(struct cs_score_value v, char out[CS_FW_NUMBER_LEN])
{
	if (v.kind == CS_SCORE_NA)
		return "na";
	if (v.kind == CS_SCORE_EMPTY)
		return NULL;
	cs_fw_number_format(v.value, out);
	return out;
}

static bool same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static enum cs_err bind_value(struct cs_stmt *st, int score_idx, int na_idx,
			      struct cs_score_value v, struct cs_error *err)
{
	enum cs_err rc = v.kind == CS_SCORE_VALUE ? cs_stmt_bind_double(st, score_idx, v.value, err)
						  : cs_stmt_bind_null(st, score_idx, err);

	if (!rc)
		rc = cs_stmt_bind_i64(st, na_idx, v.kind == CS_SCORE_NA, err);
	return rc;
}

/* The statements of an import, prepared once. */
struct import {
	struct cs_store *s;
	const struct cs_period *p;
	const struct cs_fw_info *info;
	const struct cs_score_table *t;
	int64_t methodology_id;
	char now[CS_STORE_TIME_LEN];
	struct cs_stmt *state, *select, *insert, *update;
};

static enum cs_err published_check(struct cs_store *s, const struct cs_period *p,
				   const char *fw_code, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(
		s,
		"select published_at, published_by from publication where period_id = ? "
		"and kind = 'par' and framework = ?",
		&st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, p->id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, fw_code, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row)
		rc = cs_fail(
			err, CS_ESTATE,
			"the results of period '%s' for framework '%s' were published on %s by "
			"%s; published results never change, so their scores cannot be "
			"changed",
			p->code, fw_code, cs_stmt_text(st, 0, NULL), cs_stmt_text(st, 1, NULL));
	cs_stmt_free(st);
	return rc;
}

/* The period must not hold scores of another version of the framework. */
static enum cs_err version_check(struct import *im, struct cs_error *err)
{
	char version[CS_SCORE_CODE_LEN];
	bool found = false;
	enum cs_err rc;

	rc = cs_score_store_version(im->s, im->p->id, im->info->code, version, &found, err);
	if (!rc && found && strcmp(version, im->info->version) != 0)
		rc = cs_fail(
			err, CS_ECONFLICT,
			"period '%s' already has scores entered against framework '%s' version "
			"'%s', not version '%s'; import with --version %s",
			im->p->code, im->info->code, version, im->info->version, version);
	return rc;
}

static enum cs_err unit_state(struct import *im, int64_t unit_id, enum cs_wf_state *state,
			      struct cs_error *err)
{
	bool row = false;
	enum cs_err rc;

	*state = CS_WF_DRAFT;
	rc = cs_stmt_reset(im->state, err);
	if (!rc)
		rc = cs_stmt_bind_i64(im->state, 1, im->p->id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(im->state, 2, unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(im->state, 3, im->info->code, err);
	if (!rc)
		rc = cs_stmt_step(im->state, &row, err);
	if (!rc && row) {
		size_t len = 0;
		const char *t = cs_stmt_text(im->state, 0, &len);

		if (!t || !cs_wf_state_parse(cs_str_make(t, len), state))
			rc = cs_fail(err, CS_ESTORE, "unknown workflow state '%s' in the database",
				     t ? t : "");
	}
	return rc;
}

/* Reads the stored row into *v; *found false when there is none. */
static enum cs_err stored_row(struct import *im, const struct cs_score_row *row,
			      struct cs_arena *scratch, struct values *v, bool *found,
			      struct cs_error *err)
{
	bool got = false;
	enum cs_err rc;

	memset(v, 0, sizeof(*v));
	*found = false;
	rc = cs_stmt_reset(im->select, err);
	if (!rc)
		rc = cs_stmt_bind_i64(im->select, 1, im->p->id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(im->select, 2, row->unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(im->select, 3, im->info->code, err);
	if (!rc)
		rc = cs_stmt_bind_textz(im->select, 4, row->node, err);
	if (!rc)
		rc = cs_stmt_step(im->select, &got, err);
	if (rc || !got)
		return rc;
	*found = true;
	v->self = column_value(im->select, 0, 1);
	v->appraised = column_value(im->select, 3, 4);
	for (int k = 0; k < 2; k++) {
		size_t len = 0;
		const char *t = cs_stmt_text(im->select, k ? 5 : 2, &len);
		const char *copy = t ? cs_arena_strndup(scratch, t, len) : NULL;

		if (t && !copy)
			return cs_fail(err, CS_ENOMEM, NULL);
		if (k)
			v->reason = copy;
		else
			v->note = copy;
	}
	return CS_OK;
}

static enum cs_err audit_field(struct import *im, const char *entity_id, const char *field,
			       const char *old_value, const char *new_value, const char *reason,
			       struct cs_error *err)
{
	return cs_audit_append(im->s, NULL, "assessment", entity_id, field, old_value, new_value,
			       reason, err);
}

static enum cs_err write_row(struct import *im, const struct cs_score_row *row,
			     const struct values *v, bool insert, struct cs_error *err)
{
	struct cs_stmt *st = insert ? im->insert : im->update;
	int k = insert ? 6 : 1; /* first value parameter */
	enum cs_err rc = CS_OK;

	if (insert) {
		rc = cs_stmt_bind_i64(st, 1, im->p->id, err);
		if (!rc)
			rc = cs_stmt_bind_i64(st, 2, row->unit_id, err);
		if (!rc)
			rc = cs_stmt_bind_textz(st, 3, im->info->code, err);
		if (!rc)
			rc = cs_stmt_bind_i64(st, 4, im->methodology_id, err);
		if (!rc)
			rc = cs_stmt_bind_textz(st, 5, row->node, err);
	}
	if (!rc)
		rc = bind_value(st, k, k + 1, v->self, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, k + 2, v->note, err);
	if (!rc)
		rc = bind_value(st, k + 3, k + 4, v->appraised, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, k + 5, v->reason, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, k + 6, cs_store_actor(im->s), err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, k + 7, im->now, err);
	if (!rc && !insert) {
		rc = cs_stmt_bind_i64(st, 9, im->p->id, err);
		if (!rc)
			rc = cs_stmt_bind_i64(st, 10, row->unit_id, err);
		if (!rc)
			rc = cs_stmt_bind_textz(st, 11, im->info->code, err);
		if (!rc)
			rc = cs_stmt_bind_textz(st, 12, row->node, err);
	}
	if (!rc)
		rc = cs_stmt_run(st, err);
	return rc;
}

static enum cs_err import_row(struct import *im, const struct cs_score_row *row,
			      struct cs_arena *scratch, struct cs_score_import_stats *stats,
			      struct cs_error *err)
{
	const struct cs_score_table *t = im->t;
	struct values old, nv;
	bool found = false, ch_self, ch_appr, ch_note, ch_reason;
	char where[CS_SCORE_WHERE_MAX], id[ENTITY_ID_MAX], a[CS_FW_NUMBER_LEN], b[CS_FW_NUMBER_LEN];
	enum cs_wf_state state;
	enum cs_err rc;

	rc = stored_row(im, row, scratch, &old, &found, err);
	if (rc)
		return rc;
	nv = old;
	if (t->col[CS_SCORE_COL_SELF])
		nv.self = row->self;
	if (t->col[CS_SCORE_COL_APPRAISED])
		nv.appraised = row->appraised;
	if (t->col[CS_SCORE_COL_NOTE])
		nv.note = row->note;
	if (t->col[CS_SCORE_COL_REASON])
		nv.reason = row->reason;
	ch_self = !cs_score_value_eq(old.self, nv.self);
	ch_appr = !cs_score_value_eq(old.appraised, nv.appraised);
	ch_note = !same_text(old.note, nv.note);
	ch_reason = !same_text(old.reason, nv.reason);
	if (!ch_self && !ch_appr && !ch_note && !ch_reason && found) {
		stats->unchanged++;
		return CS_OK;
	}
	rc = unit_state(im, row->unit_id, &state, err);
	if (rc)
		return rc;
	if (!cs_wf_scores_editable(state))
		return cs_fail(err, CS_ESTATE,
			       "%s: unit '%s' is %s in period '%s'; its scores cannot change%s",
			       cs_score_table_where(t, row->line, CS_SCORE_COL_COUNT_, where),
			       row->unit, cs_wf_state_name(state), im->p->code,
			       state == CS_WF_APPROVED
				       ? " until the approval is reopened (chiso par state --to "
					 "appraised --reason ...)"
				       : "");
	/* M2.9: the appraisal council sets the appraised score with a reason. */
	if (ch_appr && nv.appraised.kind != CS_SCORE_EMPTY &&
	    !cs_score_value_eq(nv.appraised, nv.self) && !row->reason)
		return cs_fail(err, CS_EPARSE,
			       "%s: the appraised score %s of unit '%s' node '%s' differs from the "
			       "self-assessed score %s and has no reason; give the council's "
			       "reason in column 'reason'",
			       cs_score_table_where(t, row->line, CS_SCORE_COL_APPRAISED, where),
			       value_text(nv.appraised, a), row->unit, row->node,
			       nv.self.kind == CS_SCORE_EMPTY ? "(none)" : value_text(nv.self, b));
	rc = write_row(im, row, &nv, !found, err);
	if (rc)
		return rc;
	if (found)
		stats->changed++;
	else
		stats->added++;
	snprintf(id, sizeof(id), "%s/%s/%s/%s", im->p->code, im->info->code, row->unit, row->node);
	if (ch_self) {
		rc = audit_field(im, id, "self", value_text(old.self, a), value_text(nv.self, b),
				 nv.note, err);
		stats->audited++;
	}
	if (!rc && ch_appr) {
		rc = audit_field(im, id, "appraised", value_text(old.appraised, a),
				 value_text(nv.appraised, b), nv.reason, err);
		stats->audited++;
	}
	if (!rc && ch_note) {
		rc = audit_field(im, id, "note", old.note, nv.note, NULL, err);
		stats->audited++;
	}
	if (!rc && ch_reason) {
		rc = audit_field(im, id, "reason", old.reason, nv.reason, NULL, err);
		stats->audited++;
	}
	return rc;
}

enum cs_err cs_score_store_import(struct cs_store *s, const struct cs_period *p,
				  const struct cs_framework *fw, const struct cs_score_table *t,
				  struct cs_score_import_stats *stats, struct cs_error *err)
{
	struct import im = {s, p, cs_framework_info(fw), t, 0, "", NULL, NULL, NULL, NULL};
	struct cs_score_import_stats local = {0};
	struct cs_arena scratch;
	enum cs_err rc;

	cs_arena_init(&scratch, 0);
	cs_store_now(im.now);
	rc = cs_store_begin(s, err);
	if (rc)
		goto out;
	rc = cs_score_store_methodology(s, im.info->code, im.info->version, &im.methodology_id,
					err);
	if (!rc)
		rc = published_check(s, p, im.info->code, err);
	if (!rc)
		rc = version_check(&im, err);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "select state from assessment_state where period_id = ? and "
				     "unit_id = ? and framework = ?",
				     &im.state, err);
	if (!rc)
		rc = cs_stmt_prepare(
			s,
			"select self_score, self_na, self_note, appraised_score, "
			"appraised_na, appraisal_reason from assessment where "
			"period_id = ? and unit_id = ? and framework = ? and node_code = ?",
			&im.select, err);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "insert into assessment (period_id, unit_id, framework, "
				     "methodology_id, node_code, self_score, self_na, self_note, "
				     "appraised_score, appraised_na, appraisal_reason, updated_by, "
				     "updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				     &im.insert, err);
	if (!rc)
		rc = cs_stmt_prepare(
			s,
			"update assessment set self_score = ?, self_na = ?, self_note = "
			"?, appraised_score = ?, appraised_na = ?, appraisal_reason = ?, "
			"updated_by = ?, updated_at = ? where period_id = ? and unit_id = "
			"? and framework = ? and node_code = ?",
			&im.update, err);
	for (size_t i = 0; !rc && i < t->rows.len; i++) {
		rc = import_row(&im, cs_score_table_at(t, i), &scratch, &local, err);
		if (i % 1024 == 1023) {
			cs_arena_release(&scratch);
			cs_arena_init(&scratch, 0);
		}
	}
	cs_stmt_free(im.state);
	cs_stmt_free(im.select);
	cs_stmt_free(im.insert);
	cs_stmt_free(im.update);
	if (!rc)
		rc = cs_store_commit(s, err);
	else
		cs_store_rollback(s);
out:
	cs_arena_release(&scratch);
	if (!rc && stats)
		*stats = local;
	return rc;
}

/* History. */

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

/*
 * Splits an entity id "PERIOD/FRAMEWORK/UNIT[/NODE]" (codes never hold '/')
 * into parts; false when it does not have the expected number of parts.
 */
static bool split_id(char *id, char **parts, int n)
{
	int k = 0;

	parts[k++] = id;
	for (char *c = id; *c; c++)
		if (*c == '/') {
			if (k == n)
				return false;
			*c = '\0';
			parts[k++] = c + 1;
		}
	return k == n;
}

enum cs_err cs_score_store_history(struct cs_store *s, const char *period, const char *fw_code,
				   const char *unit, const char *node, struct cs_arena *arena,
				   struct cs_vec *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false, oom = false;
	enum cs_err rc;

	/* Filtering by the id's parts is done here: the audit table keys rows
	 * by one text id, and prefix matching with `like` would treat the '_'
	 * of codes as a wildcard. */
	rc = cs_stmt_prepare(s,
			     "select at, actor, entity, entity_id, field, old_value, new_value, "
			     "reason from audit where entity in ('assessment', 'assessment_state') "
			     "order by id",
			     &st, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		const char *entity = cs_stmt_text(st, 2, NULL), *eid = cs_stmt_text(st, 3, NULL);
		bool is_state = entity && strcmp(entity, "assessment_state") == 0;
		char buf[ENTITY_ID_MAX], *parts[4];
		struct cs_score_change *c;

		if (!eid || strlen(eid) >= sizeof(buf))
			continue;
		snprintf(buf, sizeof(buf), "%s", eid);
		if (!split_id(buf, parts, is_state ? 3 : 4) || strcmp(parts[0], period) != 0 ||
		    (fw_code && strcmp(parts[1], fw_code) != 0) ||
		    (unit && strcmp(parts[2], unit) != 0) ||
		    (node && (is_state || strcmp(parts[3], node) != 0)))
			continue;
		c = cs_vec_push_zero(out, err);
		if (!c) {
			rc = err ? err->code : CS_ENOMEM;
			break;
		}
		c->at = arena_col(arena, st, 0, &oom);
		c->actor = arena_col(arena, st, 1, &oom);
		c->framework = cs_arena_strndup(arena, parts[1], strlen(parts[1]));
		c->unit = cs_arena_strndup(arena, parts[2], strlen(parts[2]));
		c->node = is_state ? NULL : cs_arena_strndup(arena, parts[3], strlen(parts[3]));
		c->field = arena_col(arena, st, 4, &oom);
		c->old_value = arena_col(arena, st, 5, &oom);
		c->new_value = arena_col(arena, st, 6, &oom);
		c->reason = arena_col(arena, st, 7, &oom);
		if (oom || !c->framework || !c->unit || (!is_state && !c->node)) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
			break;
		}
	}
	cs_stmt_free(st);
	return rc;
}

/* Rounds. */

void cs_par_round_init(struct cs_par_round *r)
{
	memset(r, 0, sizeof(*r));
	cs_arena_init(&r->arena, 0);
}

void cs_par_round_release(struct cs_par_round *r)
{
	if (!r)
		return;
	cs_arena_release(&r->arena);
	cs_par_round_init(r);
}

struct unit_by_id {
	int64_t id;
	const struct cs_unit *unit;
};

static int cmp_id(const void *a, const void *b)
{
	int64_t x = ((const struct unit_by_id *)a)->id, y = ((const struct unit_by_id *)b)->id;

	return x < y ? -1 : x > y;
}

static int cmp_unit_code(const void *a, const void *b)
{
	return strcmp(((const struct unit_by_id *)a)->unit->code,
		      ((const struct unit_by_id *)b)->unit->code);
}

static const struct cs_unit *unit_for(const struct unit_by_id *all, size_t n, int64_t id)
{
	struct unit_by_id key = {id, NULL};
	const struct unit_by_id *f = bsearch(&key, all, n, sizeof(*all), cmp_id);

	return f ? f->unit : NULL;
}

/* The round's units by database id: their position in the round. */
struct member {
	int64_t id;
	size_t index;
};

static int cmp_member(const void *a, const void *b)
{
	int64_t x = ((const struct member *)a)->id, y = ((const struct member *)b)->id;

	return x < y ? -1 : x > y;
}

/* The round position of unit id, or SIZE_MAX when it is not in the round. */
static size_t member_of(const struct member *m, size_t n, int64_t id)
{
	struct member key = {id, 0};
	const struct member *f = bsearch(&key, m, n, sizeof(*m), cmp_member);

	return f ? f->index : SIZE_MAX;
}

/* The ids of the units taking part, sorted, deduplicated, into *ids. */
static enum cs_err round_unit_ids(struct cs_store *s, int64_t period_id, const char *fw_code,
				  struct cs_vec *ids, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select unit_id from assessment where period_id = ? and framework = ? "
			     "union select unit_id from assessment_state where period_id = ? and "
			     "framework = ?",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, fw_code, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 3, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 4, fw_code, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		int64_t id = cs_stmt_i64(st, 0);

		rc = cs_vec_push(ids, &id, err);
	}
	cs_stmt_free(st);
	return rc;
}

static enum cs_err round_states(struct cs_store *s, int64_t period_id, const char *fw_code,
				struct cs_par_round *r, const struct member *by_id,
				struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select unit_id, state from assessment_state where period_id = ? and "
			     "framework = ?",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, fw_code, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		int64_t id = cs_stmt_i64(st, 0);
		size_t len = 0;
		const char *t = cs_stmt_text(st, 1, &len);

		size_t i = member_of(by_id, r->nunits, id);

		if (i != SIZE_MAX && (!t || !cs_wf_state_parse(cs_str_make(t, len), &r->states[i])))
			rc = cs_fail(err, CS_ESTORE, "unknown workflow state '%s' in the database",
				     t ? t : "");
	}
	cs_stmt_free(st);
	return rc;
}

static enum cs_err round_scores(struct cs_store *s, int64_t period_id,
				const struct cs_framework *fw, struct cs_par_round *r,
				const struct member *by_id, struct cs_error *err)
{
	const struct cs_fw_info *info = cs_framework_info(fw);
	size_t nn = cs_framework_node_count(fw);
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select a.unit_id, a.node_code, a.self_score, a.self_na, "
			     "a.appraised_score, a.appraised_na, m.version from assessment a join "
			     "methodology m on m.id = a.methodology_id where a.period_id = ? and "
			     "a.framework = ?",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, info->code, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		int64_t id = cs_stmt_i64(st, 0);
		const char *node = cs_stmt_text(st, 1, NULL), *version = cs_stmt_text(st, 6, NULL);
		struct cs_score_value sv = column_value(st, 2, 3), av = column_value(st, 4, 5);
		struct cs_par_score *sc;
		size_t ni, ui;

		if (!version || strcmp(version, info->version) != 0) {
			rc = cs_fail(err, CS_ECONFLICT,
				     "the scores were entered against framework '%s' version '%s', "
				     "not version '%s'",
				     info->code, version ? version : "", info->version);
			break;
		}
		if (!node || !cs_framework_find(fw, node, &ni)) {
			rc = cs_fail(err, CS_ECONFLICT,
				     "a stored score names node '%s', which framework '%s' version "
				     "'%s' does not have",
				     node ? node : "", info->code, info->version);
			break;
		}
		ui = member_of(by_id, r->nunits, id);
		if (ui == SIZE_MAX)
			continue;
		sc = &r->scores[ui * nn + ni];
		sc->has_self = sv.kind == CS_SCORE_VALUE;
		sc->self = sv.value;
		sc->has_appraised = av.kind == CS_SCORE_VALUE;
		sc->appraised = av.value;
		/* The appraised side decides when it says anything (M2.2). */
		sc->not_applicable = av.kind == CS_SCORE_NA ||
				     (av.kind == CS_SCORE_EMPTY && sv.kind == CS_SCORE_NA);
		r->nscores++;
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_par_round_load(struct cs_store *s, int64_t period_id, const struct cs_framework *fw,
			      const struct cs_unit_set *units, struct cs_par_round *out,
			      struct cs_error *err)
{
	const struct cs_fw_info *info = cs_framework_info(fw);
	size_t nn = cs_framework_node_count(fw), nall = units->units.len, n;
	struct unit_by_id *all = NULL, *members = NULL;
	struct member *by_id = NULL;
	struct cs_vec ids;
	enum cs_err rc;

	cs_par_round_release(out);
	cs_vec_init(&ids, sizeof(int64_t), 0);
	all = cs_calloc(nall ? nall : 1, sizeof(*all));
	if (!all) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	for (size_t i = 0; i < nall; i++) {
		const struct cs_unit *u = cs_unit_set_at(units, i);

		all[i] = (struct unit_by_id){u->id, u};
	}
	qsort(all, nall, sizeof(*all), cmp_id);
	rc = round_unit_ids(s, period_id, info->code, &ids, err);
	if (rc)
		goto out;
	members = cs_calloc(ids.len ? ids.len : 1, sizeof(*members));
	if (!members) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	n = 0;
	for (size_t i = 0; i < ids.len; i++) {
		int64_t id = *(int64_t *)cs_vec_at(&ids, i);
		const struct cs_unit *u = unit_for(all, nall, id);

		if (!u) {
			rc = cs_fail(err, CS_ESTORE,
				     "scores name unit id %lld, which is not stored",
				     (long long)id);
			goto out;
		}
		members[n++] = (struct unit_by_id){id, u};
	}
	qsort(members, n, sizeof(*members), cmp_unit_code);
	by_id = cs_calloc(n ? n : 1, sizeof(*by_id));
	if (!by_id) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		by_id[i] = (struct member){members[i].id, i};
	qsort(by_id, n, sizeof(*by_id), cmp_member);
	out->nunits = n;
	out->units = cs_arena_calloc(&out->arena, n ? n : 1, sizeof(*out->units));
	out->names = cs_arena_calloc(&out->arena, n ? n : 1, sizeof(*out->names));
	out->unit_ids = cs_arena_calloc(&out->arena, n ? n : 1, sizeof(*out->unit_ids));
	out->states = cs_arena_calloc(&out->arena, n ? n : 1, sizeof(*out->states));
	if (n && nn > SIZE_MAX / n) {
		rc = cs_fail(err, CS_ETOOBIG, "too many scores");
		goto out;
	}
	out->scores = cs_arena_calloc(&out->arena, n * nn != 0 ? n * nn : 1, sizeof(*out->scores));
	if (!out->units || !out->names || !out->unit_ids || !out->states || !out->scores) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cs_unit *u = members[i].unit;

		/* The unit set outlives the round only when the caller keeps it;
		 * the strings are copied so that the round stands alone. */
		out->units[i].code = cs_arena_strndup(&out->arena, u->code, strlen(u->code));
		out->units[i].parent =
			u->parent ? cs_arena_strndup(&out->arena, u->parent, strlen(u->parent))
				  : NULL;
		out->units[i].flags =
			u->flags ? cs_arena_strndup(&out->arena, u->flags, strlen(u->flags)) : NULL;
		out->units[i].level = u->level;
		out->units[i].scores = &out->scores[i * nn];
		out->names[i] = cs_arena_strndup(&out->arena, u->name, strlen(u->name));
		out->unit_ids[i] = u->id;
		out->states[i] = CS_WF_DRAFT;
		if (!out->units[i].code || (u->parent && !out->units[i].parent) ||
		    (u->flags && !out->units[i].flags) || !out->names[i]) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
			goto out;
		}
	}
	rc = round_states(s, period_id, info->code, out, by_id, err);
	if (!rc)
		rc = round_scores(s, period_id, fw, out, by_id, err);
out:
	cs_free(all);
	cs_free(members);
	cs_free(by_id);
	cs_vec_release(&ids);
	if (rc)
		cs_par_round_release(out);
	return rc;
}

static const char *score_text(bool has, double v, bool na, char out[CS_FW_NUMBER_LEN])
{
	if (na)
		return "na";
	if (!has)
		return "";
	cs_fw_number_format(v, out);
	return out;
}

enum cs_err cs_par_round_canonical(const struct cs_par_round *r, const struct cs_framework *fw,
				   struct cs_buf *out, struct cs_error *err)
{
	const struct cs_fw_info *info = cs_framework_info(fw);
	const size_t *order = cs_framework_order(fw);
	size_t nn = cs_framework_node_count(fw);
	enum cs_err rc;

	rc = cs_buf_addf(out, err, "chiso-par-input\t1\nframework\t%s\t%s\n", info->code,
			 info->version);
	for (size_t i = 0; !rc && i < r->nunits; i++) {
		const struct cs_par_unit *u = &r->units[i];

		rc = cs_buf_addf(out, err, "unit\t%s\t%s\t%s\t%s\t%s\n", u->code,
				 u->parent ? u->parent : "", cs_level_name(u->level),
				 u->flags ? u->flags : "", r->names[i]);
		for (size_t j = 0; !rc && j < nn; j++) {
			const struct cs_par_score *sc = &u->scores[order[j]];
			char a[CS_FW_NUMBER_LEN], b[CS_FW_NUMBER_LEN];

			if (!sc->has_self && !sc->has_appraised && !sc->not_applicable)
				continue;
			rc = cs_buf_addf(out, err, "score\t%s\t%s\t%s\t%s\n", u->code,
					 cs_framework_node(fw, order[j])->code,
					 score_text(sc->has_self, sc->self, false, a),
					 score_text(sc->has_appraised, sc->appraised,
						    sc->not_applicable, b));
		}
	}
	return rc;
}
