/*
 * Questionnaires in the methodology table (METHODOLOGY M3.1): saving the
 * canonical JSON with its hash and derived element and item rows, loading a
 * version back, listing what is stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/questionnaire_json.h"
#include "store/audit.h"
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

enum cs_err cs_questionnaire_store_save(struct cs_store *s, const struct cs_questionnaire *q,
					bool *added, char sha256[CS_SHA256_HEX_LEN],
					struct cs_error *err)
{
	const struct cs_q_info *info = cs_questionnaire_info(q);
	char sha[CS_SHA256_HEX_LEN], now[CS_STORE_TIME_LEN], *entity = NULL;
	struct cs_stmt *st = NULL;
	struct cs_buf body;
	bool row = false, in_tx = false;
	size_t elen;
	int64_t id;
	enum cs_err rc;

	if (added)
		*added = false;
	if (!cs_questionnaire_is_valid(q))
		return cs_fail(err, CS_ESTATE, "questionnaire '%s' version '%s' is not validated",
			       info->code, info->version);
	cs_buf_init(&body, CS_Q_JSON_MAX);
	rc = cs_questionnaire_json_write(q, &body, err);
	if (rc)
		goto out;
	cs_sha256_hex(body.data, body.len, sha);
	if (sha256)
		memcpy(sha256, sha, CS_SHA256_HEX_LEN);
	if ((rc = cs_store_begin(s, err)))
		goto out;
	in_tx = true;
	rc = cs_stmt_prepare(
		s,
		"select sha256 from methodology where kind = 'questionnaire' and code = "
		"? and version = ?",
		&st, err);
	if (!rc && !(rc = cs_stmt_bind_textz(st, 1, info->code, err)) &&
	    !(rc = cs_stmt_bind_textz(st, 2, info->version, err)))
		rc = cs_stmt_step(st, &row, err);
	if (rc)
		goto out;
	if (row) {
		const char *old = cs_stmt_text(st, 0, NULL);

		if (old && strcmp(old, sha) == 0)
			goto out; /* the same body again: nothing to write */
		rc = cs_fail(
			err, CS_EEXIST,
			"questionnaire '%s' version '%s' is already stored with other content "
			"(sha256 %.12s..., this file %.12s...); give the changed questionnaire "
			"a new version",
			info->code, info->version, old ? old : "", sha);
		goto out;
	}
	cs_stmt_free(st);
	st = NULL;
	cs_store_now(now);
	rc = cs_stmt_prepare(s,
			     "insert into methodology (code, kind, version, title, source, body, "
			     "sha256, imported_at) values (?, 'questionnaire', ?, ?, ?, ?, ?, ?) "
			     "returning id",
			     &st, err);
	if (rc || (rc = cs_stmt_bind_textz(st, 1, info->code, err)) ||
	    (rc = cs_stmt_bind_textz(st, 2, info->version, err)) ||
	    (rc = cs_stmt_bind_textz(st, 3, info->title, err)) ||
	    (rc = cs_stmt_bind_textz(st, 4, info->decision, err)) ||
	    (rc = cs_stmt_bind_text(st, 5, body.data, body.len, err)) ||
	    (rc = cs_stmt_bind_textz(st, 6, sha, err)) ||
	    (rc = cs_stmt_bind_textz(st, 7, now, err)) || (rc = cs_stmt_step(st, &row, err)))
		goto out;
	if (!row) {
		rc = cs_fail(err, CS_EINTERNAL, "insert of questionnaire '%s' returned no id",
			     info->code);
		goto out;
	}
	id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	st = NULL;
	elen = strlen(info->code) + strlen(info->version) + 2;
	entity = cs_malloc(elen);
	if (!entity) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	snprintf(entity, elen, "%s@%s", info->code, info->version);
	if ((rc = insert_parts(s, q, id, err)) ||
	    (rc = cs_audit_append(s, NULL, "questionnaire", entity, "sha256", NULL, sha, "import",
				  err)))
		goto out;
	rc = cs_store_commit(s, err);
	in_tx = false;
	if (!rc && added)
		*added = true;
out:
	cs_stmt_free(st);
	cs_free(entity);
	cs_buf_release(&body);
	if (in_tx)
		cs_store_rollback(s);
	return rc;
}

enum cs_err cs_questionnaire_store_body(struct cs_store *s, const char *code, const char *version,
					char **json, size_t *len, char sha256[CS_SHA256_HEX_LEN],
					char *version_out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	char sha[CS_SHA256_HEX_LEN];
	const char *body, *stored_sha, *ver;
	size_t blen = 0;
	bool row = false;
	enum cs_err rc;

	*json = NULL;
	rc = cs_stmt_prepare(s,
			     version ? "select body, sha256, version from methodology where kind = "
				       "'questionnaire' and code = ? and version = ?"
				     : "select body, sha256, version from methodology where kind = "
				       "'questionnaire' and code = ? order by id desc limit 1",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, code, err);
	if (!rc && version)
		rc = cs_stmt_bind_textz(st, 2, version, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (rc)
		goto out;
	if (!row) {
		if (version)
			rc = cs_fail(err, CS_ENOTFOUND,
				     "no questionnaire '%s' version '%s' is stored; see 'chiso "
				     "survey list'",
				     code, version);
		else
			rc = cs_fail(
				err, CS_ENOTFOUND,
				"no questionnaire '%s' is stored; import it with 'chiso survey "
				"import FILE'",
				code);
		goto out;
	}
	body = cs_stmt_text(st, 0, &blen);
	stored_sha = cs_stmt_text(st, 1, NULL);
	ver = cs_stmt_text(st, 2, NULL);
	cs_sha256_hex(body ? body : "", body ? blen : 0, sha);
	if (!stored_sha || strcmp(sha, stored_sha) != 0) {
		rc = cs_fail(err, CS_ECONFLICT,
			     "questionnaire '%s' version '%s': the stored body does not match its "
			     "sha256 (the database was changed outside chiso)",
			     code, ver ? ver : "");
		goto out;
	}
	*json = cs_strndup(body ? body : "", body ? blen : 0);
	if (!*json) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	if (len)
		*len = blen;
	if (sha256)
		memcpy(sha256, sha, CS_SHA256_HEX_LEN);
	if (version_out)
		snprintf(version_out, CS_Q_CODE_MAX + 1, "%s", ver ? ver : "");
out:
	cs_stmt_free(st);
	return rc;
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
	int c = strcmp(a->code, b->code);

	if (c)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

enum cs_err cs_questionnaire_store_list(struct cs_store *s, struct cs_arena *arena,
					struct cs_vec *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL, *cnt = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select id, code, version, title, source, sha256, imported_at from "
			     "methodology where kind = 'questionnaire' order by id",
			     &st, err);
	if (!rc)
		rc = cs_stmt_prepare(
			s,
			"select (select count(*) from questionnaire_element where methodology_id = "
			"?), (select count(*) from questionnaire_item where methodology_id = ?), "
			"(select count(*) from questionnaire_item where methodology_id = ? and "
			"role = 'satisfaction')",
			&cnt, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_q_stored e = {0};
		const char **dst[6] = {&e.code,	    &e.version, &e.title,
				       &e.decision, &e.sha256,	&e.imported_at};
		bool crow = false;

		e.id = cs_stmt_i64(st, 0);
		for (int c = 0; c < 6 && !rc; c++) {
			size_t n = 0;
			const char *v = cs_stmt_text(st, c + 1, &n);

			*dst[c] = cs_arena_strndup(arena, v ? v : "", v ? n : 0);
			if (!*dst[c])
				rc = cs_fail(err, CS_ENOMEM, NULL);
		}
		for (int k = 1; k <= 3 && !rc; k++)
			rc = cs_stmt_bind_i64(cnt, k, e.id, err);
		if (rc || (rc = cs_stmt_step(cnt, &crow, err)))
			break;
		if (crow) {
			e.elements = (size_t)cs_stmt_i64(cnt, 0);
			e.items = (size_t)cs_stmt_i64(cnt, 1);
			e.satisfaction = (size_t)cs_stmt_i64(cnt, 2);
		}
		if ((rc = cs_stmt_reset(cnt, err)) || (rc = cs_vec_push(out, &e, err)))
			break;
	}
	cs_stmt_free(st);
	cs_stmt_free(cnt);
	/* Byte order in C, not the database's collation (docs/internals/store.md). */
	if (!rc)
		cs_vec_sort(out, compare_stored);
	return rc;
}
