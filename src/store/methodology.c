/*
 * Methodology rows shared by frameworks and questionnaires: saving a
 * canonical body once under its hash, reading it back with the hash checked,
 * listing the stored versions of one kind.
 */
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/methodology.h"
#include "util/alloc.h"

#include "util/banned.h"

enum cs_err cs_methodology_save(struct cs_store *s, const struct cs_methodology_kind *kind,
				const char *code, const char *version, const char *title,
				const char *decision, const char *body, size_t len,
				cs_methodology_rows_fn rows, const void *ctx, bool *added,
				char sha256[CS_SHA256_HEX_LEN], struct cs_error *err)
{
	char sha[CS_SHA256_HEX_LEN], now[CS_STORE_TIME_LEN], *entity = NULL;
	struct cs_stmt *st = NULL;
	bool row = false, in_tx = false;
	size_t elen;
	int64_t id;
	enum cs_err rc;

	if (added)
		*added = false;
	cs_sha256_hex(body, len, sha);
	if (sha256)
		memcpy(sha256, sha, CS_SHA256_HEX_LEN);
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	in_tx = true;
	rc = cs_stmt_prepare(s,
			     "select sha256 from methodology where kind = ? and code = ? and "
			     "version = ?",
			     &st, err);
	if (!rc && !(rc = cs_stmt_bind_textz(st, 1, kind->kind, err)) &&
	    !(rc = cs_stmt_bind_textz(st, 2, code, err)) &&
	    !(rc = cs_stmt_bind_textz(st, 3, version, err)))
		rc = cs_stmt_step(st, &row, err);
	if (rc)
		goto out;
	if (row) {
		const char *old = cs_stmt_text(st, 0, NULL);

		if (old && strcmp(old, sha) == 0)
			goto out; /* the same body again: nothing to write */
		rc = cs_fail(err, CS_EEXIST,
			     "%s '%s' version '%s' is already stored with other content "
			     "(sha256 %.12s..., this file %.12s...); give the changed %s a new "
			     "version",
			     kind->kind, code, version, old ? old : "", sha, kind->kind);
		goto out;
	}
	cs_stmt_free(st);
	st = NULL;
	cs_store_now(now);
	rc = cs_stmt_prepare(s,
			     "insert into methodology (code, kind, version, title, source, body, "
			     "sha256, imported_at) values (?, ?, ?, ?, ?, ?, ?, ?) returning id",
			     &st, err);
	if (rc || (rc = cs_stmt_bind_textz(st, 1, code, err)) ||
	    (rc = cs_stmt_bind_textz(st, 2, kind->kind, err)) ||
	    (rc = cs_stmt_bind_textz(st, 3, version, err)) ||
	    (rc = cs_stmt_bind_textz(st, 4, title, err)) ||
	    (rc = cs_stmt_bind_textz(st, 5, decision, err)) ||
	    (rc = cs_stmt_bind_text(st, 6, body, len, err)) ||
	    (rc = cs_stmt_bind_textz(st, 7, sha, err)) ||
	    (rc = cs_stmt_bind_textz(st, 8, now, err)) || (rc = cs_stmt_step(st, &row, err)))
		goto out;
	if (!row) {
		rc = cs_fail(err, CS_EINTERNAL, "insert of %s '%s' returned no id", kind->kind,
			     code);
		goto out;
	}
	id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	st = NULL;
	elen = strlen(code) + strlen(version) + 2;
	entity = cs_malloc(elen);
	if (!entity) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	snprintf(entity, elen, "%s@%s", code, version);
	if ((rc = rows(s, ctx, id, err)) ||
	    (rc = cs_audit_append(s, NULL, kind->kind, entity, "sha256", NULL, sha, "import", err)))
		goto out;
	rc = cs_store_commit(s, err);
	in_tx = false;
	if (!rc && added)
		*added = true;
out:
	cs_stmt_free(st);
	cs_free(entity);
	if (in_tx)
		cs_store_rollback(s);
	return rc;
}

/* CS_ENOTFOUND for kind code (and version), with what to do about it. */
static enum cs_err not_found(const struct cs_methodology_kind *kind, const char *code,
			     const char *version, struct cs_error *err)
{
	if (version)
		return cs_fail(err, CS_ENOTFOUND,
			       "no %s '%s' version '%s' is stored; see 'chiso %s list'", kind->kind,
			       code, version, kind->command);
	return cs_fail(err, CS_ENOTFOUND,
		       "no %s '%s' is stored; import it with 'chiso %s import FILE'", kind->kind,
		       code, kind->command);
}

enum cs_err cs_methodology_body(struct cs_store *s, const struct cs_methodology_kind *kind,
				const char *code, const char *version, char **json, size_t *len,
				char sha256[CS_SHA256_HEX_LEN], char *version_out,
				struct cs_error *err)
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
				       "? and code = ? and version = ?"
				     : "select body, sha256, version from methodology where kind = "
				       "? and code = ? order by id desc limit 1",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, kind->kind, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, code, err);
	if (!rc && version)
		rc = cs_stmt_bind_textz(st, 3, version, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (rc)
		goto out;
	if (!row) {
		rc = not_found(kind, code, version, err);
		goto out;
	}
	body = cs_stmt_text(st, 0, &blen);
	stored_sha = cs_stmt_text(st, 1, NULL);
	ver = cs_stmt_text(st, 2, NULL);
	cs_sha256_hex(body ? body : "", body ? blen : 0, sha);
	if (!stored_sha || strcmp(sha, stored_sha) != 0) {
		rc = cs_fail(err, CS_ECONFLICT,
			     "%s '%s' version '%s': the stored body does not match its sha256 (the "
			     "database was changed outside chiso)",
			     kind->kind, code, ver ? ver : "");
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
		snprintf(version_out, kind->version_size, "%s", ver ? ver : "");
out:
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_methodology_list(struct cs_store *s, const struct cs_methodology_kind *kind,
				struct cs_arena *arena, const char *count_sql, int nbind,
				cs_methodology_row_fn each, void *ctx, struct cs_error *err)
{
	struct cs_stmt *st = NULL, *cnt = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select id, code, version, title, source, sha256, imported_at, body "
			     "from methodology where kind = ? order by id",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, kind->kind, err);
	if (!rc)
		rc = cs_stmt_prepare(s, count_sql, &cnt, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_methodology_row e = {0};
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
		e.body = cs_stmt_text(st, 7, &e.body_len);
		for (int k = 1; k <= nbind && !rc; k++)
			rc = cs_stmt_bind_i64(cnt, k, e.id, err);
		if (rc || (rc = cs_stmt_step(cnt, &crow, err)) ||
		    (rc = each(ctx, &e, crow ? cnt : NULL, err)))
			break;
		rc = cs_stmt_reset(cnt, err);
	}
	cs_stmt_free(st);
	cs_stmt_free(cnt);
	return rc;
}

int cs_methodology_order(const char *code_a, int64_t id_a, const char *code_b, int64_t id_b)
{
	int c = strcmp(code_a, code_b);

	if (c)
		return c;
	return id_a < id_b ? -1 : id_a > id_b;
}
