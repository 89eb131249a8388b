/*
 * Questionnaires in the methodology table (METHODOLOGY M3.1): saving the
 * canonical JSON with its hash and derived element and item rows, loading a
 * version back, listing what is stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/questionnaire_json.h"
#include "store/methodology.h"
#include "store/questionnaire_store.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

/* The derived rows of migration 0004, one per element and item. */
static enum cs_err insert_parts(struct cs_store *s, const struct cs_questionnaire *q, int64_t id,
				struct cs_error *err)
{
	struct cs_stmt *el = NULL, *it = NULL;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "insert into questionnaire_element (methodology_id, code, position, "
			     "title_vi, title_en) values (?, ?, ?, ?, ?)",
			     &el, err);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "insert into questionnaire_item (methodology_id, code, "
				     "position, element, type, role, field, text_vi, text_en, "
				     "choices) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				     &it, err);
	for (size_t e = 0; !rc && e < cs_questionnaire_element_count(q); e++) {
		const struct cs_q_element *x = cs_questionnaire_element(q, e);

		if (!(rc = cs_stmt_bind_i64(el, 1, id, err)) &&
		    !(rc = cs_stmt_bind_textz(el, 2, x->code, err)) &&
		    !(rc = cs_stmt_bind_i64(el, 3, (int64_t)e, err)) &&
		    !(rc = cs_stmt_bind_textz(el, 4, x->title_vi, err)) &&
		    !(rc = cs_stmt_bind_textz(el, 5, x->title_en, err)))
			rc = cs_stmt_run(el, err);
	}
	for (size_t i = 0; !rc && i < cs_questionnaire_item_count(q); i++) {
		const struct cs_q_item *x = cs_questionnaire_item(q, i);

		if (!(rc = cs_stmt_bind_i64(it, 1, id, err)) &&
		    !(rc = cs_stmt_bind_textz(it, 2, x->code, err)) &&
		    !(rc = cs_stmt_bind_i64(it, 3, (int64_t)i, err)) &&
		    !(rc = cs_stmt_bind_textz(it, 4, x->element_code, err)) &&
		    !(rc = cs_stmt_bind_textz(it, 5, cs_q_type_name(x->type), err)) &&
		    !(rc = cs_stmt_bind_textz(it, 6, cs_q_role_name(x->role), err)) &&
		    !(rc = cs_stmt_bind_textz(it, 7, cs_q_field_name(x->field), err)) &&
		    !(rc = cs_stmt_bind_textz(it, 8, x->text_vi, err)) &&
		    !(rc = cs_stmt_bind_textz(it, 9, x->text_en, err)) &&
		    !(rc = cs_stmt_bind_i64(it, 10, (int64_t)x->nchoices, err)))
			rc = cs_stmt_run(it, err);
	}
	cs_stmt_free(el);
	cs_stmt_free(it);
	return rc;
}

/* The words that differ for questionnaires (messages name 'chiso survey list'). */
static const struct cs_methodology_kind questionnaire_kind = {"questionnaire", "survey",
							      CS_Q_CODE_MAX + 1};

/* insert_parts as the derived rows of cs_methodology_save. */
static enum cs_err part_rows(struct cs_store *s, const void *q, int64_t id, struct cs_error *err)
{
	return insert_parts(s, q, id, err);
}

enum cs_err cs_questionnaire_store_save(struct cs_store *s, const struct cs_questionnaire *q,
					bool *added, char sha256[CS_SHA256_HEX_LEN],
					struct cs_error *err)
{
	const struct cs_q_info *info = cs_questionnaire_info(q);
	struct cs_buf body;
	enum cs_err rc;

	if (added)
		*added = false;
	if (!cs_questionnaire_is_valid(q))
		return cs_fail(err, CS_ESTATE, "questionnaire '%s' version '%s' is not validated",
			       info->code, info->version);
	cs_buf_init(&body, CS_Q_JSON_MAX);
	rc = cs_questionnaire_json_write(q, &body, err);
	if (!rc)
		rc = cs_methodology_save(s, &questionnaire_kind, info->code, info->version,
					 info->title, info->decision, body.data, body.len,
					 part_rows, q, added, sha256, err);
	cs_buf_release(&body);
	return rc;
}

enum cs_err cs_questionnaire_store_body(struct cs_store *s, const char *code, const char *version,
					char **json, size_t *len, char sha256[CS_SHA256_HEX_LEN],
					char *version_out, struct cs_error *err)
{
	return cs_methodology_body(s, &questionnaire_kind, code, version, json, len, sha256,
				   version_out, err);
}

enum cs_err cs_questionnaire_store_load(struct cs_store *s, const char *code, const char *version,
					struct cs_questionnaire **out,
					char sha256[CS_SHA256_HEX_LEN], struct cs_error *err)
{
	char ver[CS_Q_CODE_MAX + 1], label[2 * CS_Q_CODE_MAX + 64];
	char *json = NULL;
	size_t len = 0;
	enum cs_err rc;

	*out = NULL;
	rc = cs_questionnaire_store_body(s, code, version, &json, &len, sha256, ver, err);
	if (rc)
		return rc;
	snprintf(label, sizeof(label), "stored questionnaire '%s' version '%s'", code, ver);
	rc = cs_questionnaire_json_read(label, json, len, out, err);
	cs_free(json);
	return rc;
}

static int compare_stored(const void *pa, const void *pb)
{
	const struct cs_q_stored *a = pa, *b = pb;

	return cs_methodology_order(a->code, a->id, b->code, b->id);
}

/* Pushes one listed questionnaire, with its element and item counts, onto the vec out. */
static enum cs_err list_one(void *out, const struct cs_methodology_row *r, struct cs_stmt *cnt,
			    struct cs_error *err)
{
	struct cs_q_stored e = {r->id,	   r->code,	   r->version, r->title, r->decision,
				r->sha256, r->imported_at, 0,	       0,	 0};

	if (cnt) {
		e.elements = (size_t)cs_stmt_i64(cnt, 0);
		e.items = (size_t)cs_stmt_i64(cnt, 1);
		e.satisfaction = (size_t)cs_stmt_i64(cnt, 2);
	}
	return cs_vec_push(out, &e, err);
}

enum cs_err cs_questionnaire_store_list(struct cs_store *s, struct cs_arena *arena,
					struct cs_vec *out, struct cs_error *err)
{
	enum cs_err rc;

	rc = cs_methodology_list(
		s, &questionnaire_kind, arena,
		"select (select count(*) from questionnaire_element where methodology_id = "
		"?), (select count(*) from questionnaire_item where methodology_id = ?), "
		"(select count(*) from questionnaire_item where methodology_id = ? and "
		"role = 'satisfaction')",
		3, list_one, out, err);
	/* Byte order in C, not the database's collation (docs/internals/store.md). */
	if (!rc)
		cs_vec_sort(out, compare_stored);
	return rc;
}
