/*
 * PAR frameworks in the database: each version stored once as its canonical
 * JSON body with the body's SHA-256 and its nodes in pre-order, loaded back
 * by reading and validating the body, so that what is computed is exactly
 * what was stored.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "io/framework_json.h"
#include "io/framework_table.h"
#include "store/framework_store.h"
#include "store/methodology.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

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

/* The words that differ for frameworks (messages name 'chiso framework list'). */
static const struct cs_methodology_kind framework_kind = {"framework", "framework",
							  CS_FW_CODE_MAX + 1};

/* insert_nodes as the derived rows of cs_methodology_save. */
static enum cs_err node_rows(struct cs_store *s, const void *fw, int64_t id, struct cs_error *err)
{
	return insert_nodes(s, fw, id, err);
}

enum cs_err cs_framework_store_save(struct cs_store *s, const struct cs_framework *fw,
				    const char *json, size_t len, bool *added, struct cs_error *err)
{
	const struct cs_fw_info *info = cs_framework_info(fw);

	if (added)
		*added = false;
	if (!cs_framework_is_valid(fw))
		return cs_fail(err, CS_ESTATE, "framework '%s' version '%s' is not validated",
			       info->code, info->version);
	return cs_methodology_save(s, &framework_kind, info->code, info->version, info->title,
				   info->decision, json, len, node_rows, fw, added, NULL, err);
}

enum cs_err cs_framework_store_body(struct cs_store *s, const char *code, const char *version,
				    char **json, size_t *len, char sha256[CS_SHA256_HEX_LEN],
				    char *version_out, struct cs_error *err)
{
	return cs_methodology_body(s, &framework_kind, code, version, json, len, sha256,
				   version_out, err);
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

	return cs_methodology_order(a->code, a->id, b->code, b->id);
}

/* Pushes one listed framework, with its node count and total, onto the vec out. */
static enum cs_err list_one(void *out, const struct cs_methodology_row *r, struct cs_stmt *sum,
			    struct cs_error *err)
{
	struct cs_fw_stored e = {r->id,	    r->code,	    r->version, r->title, r->decision,
				 r->sha256, r->imported_at, 0,		0,	  false};

	e.is_template = r->body && body_is_template(r->body, r->body_len);
	if (sum) {
		e.nodes = (size_t)cs_stmt_i64(sum, 0);
		e.total_max = cs_stmt_is_null(sum, 1) ? 0 : cs_stmt_double(sum, 1);
	}
	return cs_vec_push(out, &e, err);
}

enum cs_err cs_framework_store_list(struct cs_store *s, struct cs_arena *arena, struct cs_vec *out,
				    struct cs_error *err)
{
	enum cs_err rc;

	rc = cs_methodology_list(s, &framework_kind, arena,
				 "select count(*), sum(case when parent_code is null and "
				 "(source is null or source not in ('bonus', 'penalty')) then "
				 "max_points else 0 end) from framework_node where "
				 "methodology_id = ?",
				 1, list_one, out, err);
	/* Byte order in C, not the database's collation (docs/internals/store.md). */
	if (!rc)
		cs_vec_sort(out, compare_stored);
	return rc;
}
