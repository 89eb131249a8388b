/*
 * PAR frameworks in the database: each version stored once as its canonical
 * JSON body with the body's SHA-256 and its nodes in pre-order, loaded back
 * by reading and validating the body, so that what is computed is exactly
 * what was stored.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <nettle/sha2.h>

#include "io/framework_json.h"
#include "io/framework_table.h"
#include "store/audit.h"
#include "store/framework_store.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

void cs_sha256_hex(const void *data, size_t len, char out[CS_SHA256_HEX_LEN])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * SHA256_DIGEST_SIZE] = '\0';
}

/* The rule parameters of a node as a JSON object of strings: {"t":"0.8"}. */
static enum cs_err params_json(const struct cs_fw_node *node, struct cs_buf *b,
			       struct cs_error *err)
{
	enum cs_err rc = cs_buf_addc(b, '{', err);

	for (size_t i = 0; !rc && i < node->nparams; i++) {
		json_t *k = json_string(node->params[i].key);
		json_t *v = json_string(node->params[i].value);
		char *ks = k ? json_dumps(k, JSON_ENCODE_ANY) : NULL;
		char *vs = v ? json_dumps(v, JSON_ENCODE_ANY) : NULL;

		if (!ks || !vs)
			rc = cs_fail(err, CS_ENOMEM, NULL);
		else
			rc = cs_buf_addf(b, err, "%s%s:%s", i ? "," : "", ks, vs);
		cs_free(ks);
		cs_free(vs);
		json_decref(k);
		json_decref(v);
	}
	return rc ? rc : cs_buf_addc(b, '}', err);
}

static enum cs_err insert_nodes(struct cs_store *s, const struct cs_framework *fw, int64_t id,
				struct cs_error *err)
{
	const size_t *order = cs_framework_order(fw);
	size_t n = cs_framework_node_count(fw);
	struct cs_stmt *st = NULL;
	struct cs_buf params, applies;
	enum cs_err rc;

	cs_buf_init(&params, CS_FW_JSON_MAX);
	cs_buf_init(&applies, CS_FW_JSON_MAX);
	rc = cs_stmt_prepare(s,
			     "insert into framework_node (methodology_id, code, parent_code, "
			     "position, depth, title, max_points, source, rule, params, "
			     "applies_to) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			     &st, err);
	for (size_t k = 0; !rc && k < n; k++) {
		const struct cs_fw_node *node = cs_framework_node(fw, order[k]);

		cs_buf_reset(&params);
		cs_buf_reset(&applies);
		if ((rc = params_json(node, &params, err)) ||
		    (rc = cs_fw_applies_text(node, &applies, err)) ||
		    (rc = cs_stmt_bind_i64(st, 1, id, err)) ||
		    (rc = cs_stmt_bind_textz(st, 2, node->code, err)) ||
		    (rc = cs_stmt_bind_textz(st, 3, node->parent_code, err)) ||
		    (rc = cs_stmt_bind_i64(st, 4, (int64_t)k, err)) ||
		    (rc = cs_stmt_bind_i64(st, 5, (int64_t)node->depth, err)) ||
		    (rc = cs_stmt_bind_textz(st, 6, node->title, err)) ||
		    (rc = cs_stmt_bind_double(st, 7, node->max, err)) ||
		    (rc = cs_stmt_bind_textz(st, 8, cs_fw_source_name(node->source), err)) ||
		    (rc = cs_stmt_bind_textz(st, 9, node->rule_name, err)) ||
		    (rc = cs_stmt_bind_text(st, 10, params.data, params.len, err)) ||
		    (rc = cs_stmt_bind_text(st, 11, applies.data, applies.len, err)))
			break;
		rc = cs_stmt_run(st, err);
	}
	cs_stmt_free(st);
	cs_buf_release(&params);
	cs_buf_release(&applies);
	return rc;
}

enum cs_err cs_framework_store_save(struct cs_store *s, const struct cs_framework *fw,
				    const char *json, size_t len, bool *added, struct cs_error *err)
{
	const struct cs_fw_info *info = cs_framework_info(fw);
	char sha[CS_SHA256_HEX_LEN], now[CS_STORE_TIME_LEN], *entity = NULL;
	struct cs_stmt *st = NULL;
	bool row = false, in_tx = false;
	int64_t id = 0;
	enum cs_err rc;

	if (added)
		*added = false;
	if (!cs_framework_is_valid(fw))
		return cs_fail(err, CS_ESTATE, "framework '%s' version '%s' is not validated",
			       info->code, info->version);
	cs_sha256_hex(json, len, sha);
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	in_tx = true;
	rc = cs_stmt_prepare(s,
			     "select sha256 from methodology where kind = 'framework' and code = ? "
			     "and version = ?",
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
		rc = cs_fail(err, CS_EEXIST,
			     "framework '%s' version '%s' is already stored with other content "
			     "(sha256 %.12s..., this file %.12s...); give the changed framework a "
			     "new version",
			     info->code, info->version, old ? old : "", sha);
		goto out;
	}
	cs_stmt_free(st);
	st = NULL;
	cs_store_now(now);
	rc = cs_stmt_prepare(s,
			     "insert into methodology (code, kind, version, title, source, body, "
			     "sha256, imported_at) values (?, 'framework', ?, ?, ?, ?, ?, ?) "
			     "returning id",
			     &st, err);
	if (rc || (rc = cs_stmt_bind_textz(st, 1, info->code, err)) ||
	    (rc = cs_stmt_bind_textz(st, 2, info->version, err)) ||
	    (rc = cs_stmt_bind_textz(st, 3, info->title, err)) ||
	    (rc = cs_stmt_bind_textz(st, 4, info->decision, err)) ||
	    (rc = cs_stmt_bind_text(st, 5, json, len, err)) ||
	    (rc = cs_stmt_bind_textz(st, 6, sha, err)) ||
	    (rc = cs_stmt_bind_textz(st, 7, now, err)) || (rc = cs_stmt_step(st, &row, err)))
		goto out;
	if (!row) {
		rc = cs_fail(err, CS_EINTERNAL, "insert of framework '%s' returned no id",
			     info->code);
		goto out;
	}
	id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	st = NULL;
	entity = cs_malloc(strlen(info->code) + strlen(info->version) + 2);
	if (!entity) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	snprintf(entity, strlen(info->code) + strlen(info->version) + 2, "%s@%s", info->code,
		 info->version);
	if ((rc = insert_nodes(s, fw, id, err)) ||
	    (rc = cs_audit_append(s, NULL, "framework", entity, "sha256", NULL, sha, "import",
				  err)))
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

enum cs_err cs_framework_store_body(struct cs_store *s, const char *code, const char *version,
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
				       "'framework' and code = ? and version = ?"
				     : "select body, sha256, version from methodology where kind = "
				       "'framework' and code = ? order by id desc limit 1",
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
			rc = cs_fail(
				err, CS_ENOTFOUND,
				"no framework '%s' version '%s' is stored; see 'chiso framework "
				"list'",
				code, version);
		else
			rc = cs_fail(err, CS_ENOTFOUND,
				     "no framework '%s' is stored; import it with 'chiso framework "
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
			     "framework '%s' version '%s': the stored body does not match its "
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
		snprintf(version_out, CS_FW_CODE_MAX + 1, "%s", ver ? ver : "");
out:
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_framework_store_load(struct cs_store *s, const char *code, const char *version,
				    struct cs_framework **out, char sha256[CS_SHA256_HEX_LEN],
				    struct cs_error *err)
{
	char ver[CS_FW_CODE_MAX + 1], label[2 * CS_FW_CODE_MAX + 64];
	struct cs_framework *fw = NULL;
	char *json = NULL;
	size_t len = 0;
	enum cs_err rc;

	*out = NULL;
	rc = cs_framework_store_body(s, code, version, &json, &len, sha256, ver, err);
	if (rc)
		return rc;
	snprintf(label, sizeof(label), "stored framework '%s' version '%s'", code, ver);
	rc = cs_framework_json_parse(label, json, len, &fw, NULL, err);
	if (!rc) {
		rc = cs_framework_validate(fw, err);
		if (rc == CS_EINVAL)
			cs_error_prefix(err, "%s", label);
	}
	cs_free(json);
	if (rc) {
		cs_framework_free(fw);
		return rc;
	}
	*out = fw;
	return CS_OK;
}

/* True when a stored body says "template": true. Bodies that do not read say false. */
static bool body_is_template(const char *body, size_t len)
{
	json_t *root;
	bool t;

	json_set_alloc_funcs(cs_malloc, cs_free);
	root = json_loadb(body, len, 0, NULL);
	t = root && json_is_true(json_object_get(root, "template"));
	json_decref(root);
	return t;
}

static int compare_stored(const void *pa, const void *pb)
{
	const struct cs_fw_stored *a = pa, *b = pb;
	int c = strcmp(a->code, b->code);

	if (c)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

enum cs_err cs_framework_store_list(struct cs_store *s, struct cs_arena *arena, struct cs_vec *out,
				    struct cs_error *err)
{
	struct cs_stmt *st = NULL, *sum = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select id, code, version, title, source, sha256, imported_at, body "
			     "from methodology where kind = 'framework' order by id",
			     &st, err);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "select count(*), sum(case when parent_code is null and "
				     "(source is null or source not in ('bonus', 'penalty')) then "
				     "max_points else 0 end) from framework_node where "
				     "methodology_id = ?",
				     &sum, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_fw_stored e = {0};
		const char *cols[6];
		const char **dst[6] = {&e.code,	    &e.version, &e.title,
				       &e.decision, &e.sha256,	&e.imported_at};
		const char *body;
		size_t blen = 0;
		bool srow = false;

		e.id = cs_stmt_i64(st, 0);
		for (int c = 0; c < 6; c++) {
			size_t n = 0;

			cols[c] = cs_stmt_text(st, c + 1, &n);
			*dst[c] = cs_arena_strndup(arena, cols[c] ? cols[c] : "", cols[c] ? n : 0);
			if (!*dst[c])
				rc = cs_fail(err, CS_ENOMEM, NULL);
		}
		if (rc)
			break;
		body = cs_stmt_text(st, 7, &blen);
		e.is_template = body && body_is_template(body, blen);
		if ((rc = cs_stmt_bind_i64(sum, 1, e.id, err)) ||
		    (rc = cs_stmt_step(sum, &srow, err)))
			break;
		if (srow) {
			e.nodes = (size_t)cs_stmt_i64(sum, 0);
			e.total_max = cs_stmt_is_null(sum, 1) ? 0 : cs_stmt_double(sum, 1);
		}
		if ((rc = cs_stmt_reset(sum, err)) || (rc = cs_vec_push(out, &e, err)))
			break;
	}
	cs_stmt_free(st);
	cs_stmt_free(sum);
	/* Byte order in C, not the database's collation (docs/internals/store.md). */
	if (!rc)
		cs_vec_sort(out, compare_stored);
	return rc;
}
