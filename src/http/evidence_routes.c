/*
 * Evidence of self-assessments in the workspace: POST /api/v1/evidence takes
 * a file as the raw request body (PDF, images, office documents, up to
 * CS_EVIDENCE_MAX) for one criterion of a unit, GET
 * /api/v1/evidence/{id} gives it back as an attachment to those who may see
 * the unit's assessment.
 */
#include <stdio.h>
#include <string.h>

#include "http/auth.h"
#include "http/request.h"
#include "http/workspace.h"
#include "http/workspace_routes.h"
#include "store/evidence_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* An upload, in the request's arena, and its outcome. */
struct upload {
	struct cs_user user;
	const char *period, *unit, *framework, *node, *name;
	const char *data; /* the request's body */
	size_t len;
	int64_t id;
	char sha256[CS_SHA256_HEX_LEN];
	char field[16];
};

static enum cs_err upload_check(const struct upload *u, struct ws_ctx *c, struct cs_error *err)
{
	size_t i;

	if (!ws_acts_for_unit(&u->user))
		return cs_fail(err, CS_EPERM, "evidence is the unit's; '%s' is %s", u->user.login,
			       cs_role_name(u->user.role));
	if (!ws_unit_may_upload(c->state))
		return cs_fail(err, CS_ESTATE,
			       "unit '%s' is %s; evidence is added while the unit is a draft or "
			       "explaining",
			       c->unit->code, cs_wf_state_name(c->state));
	if (!cs_framework_find(c->fw, u->node, &i) ||
	    !cs_fw_node_is_leaf(cs_framework_node(c->fw, i)))
		return cs_fail(err, CS_EINVAL, "node: '%.64s' is not a criterion of framework '%s'",
			       u->node, c->fw_code);
	return CS_OK;
}

static enum cs_err upload_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct upload *u = arg;
	struct ws_ctx c;
	enum cs_err rc;

	ws_ctx_init(&c);
	rc = cs_store_set_actor(s, u->user.login, err);
	if (!rc) {
		rc = ws_ctx_load(s, &u->user, u->period, u->unit, u->framework, &c, err);
		snprintf(u->field, sizeof(u->field), "%s", c.field);
	}
	if (!rc) {
		rc = upload_check(u, &c, err);
		if (rc == CS_EINVAL)
			snprintf(u->field, sizeof(u->field), "node");
	}
	if (!rc)
		rc = cs_store_begin(s, err);
	if (!rc) {
		rc = cs_evidence_add(s, &c.period, c.unit->id, c.unit->code, c.fw_code, u->node,
				     u->name, u->data, u->len, &u->id, u->sha256, err);
		if (!rc)
			rc = cs_store_commit(s, err);
		else
			cs_store_rollback(s);
	}
	cs_store_set_actor(s, "api", NULL);
	ws_ctx_release(&c);
	return rc;
}

void api_evidence_add(struct http_req *req)
{
	struct upload *u = cs_arena_calloc(http_req_arena(req), 1, sizeof(*u));
	struct cs_error err = {0};
	struct auth_user me;

	if (!u) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return;
	}
	u->period = http_req_query(req, "period");
	u->unit = http_req_query(req, "unit");
	u->node = http_req_query(req, "node");
	u->name = http_req_query(req, "name");
	u->framework = http_req_query(req, "framework");
	if (!auth_require(req, AUTH_ROLE(CS_ROLE_ADMIN) | AUTH_ROLE(CS_ROLE_UNIT_OFFICER),
			  AUTH_CHANGE, &me) ||
	    !ws_query_required(req, "period", u->period) ||
	    !ws_query_required(req, "unit", u->unit) || !ws_query_required(req, "node", u->node) ||
	    !ws_query_required(req, "name", u->name))
		return;
	u->user = me.session.user;
	if (cs_evidence_name_check(u->name, &err)) {
		http_problem(req, 400, "invalid-field", "name", "%s", err.msg);
		return;
	}
	u->data = http_req_body(req, &u->len);
	if (u->len == 0) {
		http_problem(req, 400, "invalid-request", NULL,
			     "empty body; send the file's bytes as the body");
		return;
	}
	if (!cs_evidence_media_type(u->data, u->len, u->name)) {
		http_problem(req, 415, "unsupported-evidence", "name",
			     "file '%.100s': not a kind of file taken as evidence; expected PDF, "
			     "PNG, JPEG, GIF, WebP, or an office document (docx, xlsx, pptx, odt, "
			     "ods, odp, doc, xls, ppt)",
			     u->name);
		return;
	}
	http_req_defer_write(req, upload_apply, u, HTTP_WRITE_OWN_TXN);
}

void api_evidence_add_done(struct http_req *req)
{
	struct upload *u = http_req_write_arg(req);
	const struct cs_error *err = NULL;
	enum cs_err rc = http_req_write_result(req, &err);
	char url[64];

	if (rc) {
		ws_reply_error(req, rc, err, u->field[0] ? u->field : NULL);
		return;
	}
	snprintf(url, sizeof(url), "/api/v1/evidence/%lld", (long long)u->id);
	http_reply_header(req, "Location", url);
	ws_reply_json(req, 201,
		      json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)u->id, "name",
				u->name, "type", cs_evidence_media_type(u->data, u->len, u->name),
				"size", (json_int_t)u->len, "sha256", u->sha256, "url", url));
}

/* Appends name to a Content-Disposition value: RFC 6266 with RFC 8187 encoding. */
static void disposition(const char *name, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o;

	o = (size_t)snprintf(out, size, "attachment; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p && o + 4 < size; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	out[o] = '\0';
}

void api_evidence_get(struct http_req *req)
{
	const char *idtext = http_req_param(req, "id");
	struct cs_error err = {0};
	struct cs_unit_set units;
	struct auth_user me;
	struct http_db *db;
	struct cs_evidence e;
	struct cs_arena arena;
	struct cs_buf b;
	char cd[800];
	void *data = NULL;
	size_t len = 0;
	int64_t id = 0;
	enum cs_err rc;

	if (!auth_require(req,
			  AUTH_ROLE(CS_ROLE_ADMIN) | AUTH_ROLE(CS_ROLE_APPRAISER) |
				  AUTH_ROLE(CS_ROLE_UNIT_OFFICER) | AUTH_ROLE(CS_ROLE_VIEWER),
			  0, &me) ||
	    !idtext)
		return;
	if (cs_str_to_i64(cs_str_from(idtext), &id, NULL) != CS_OK || id <= 0) {
		http_problem(req, 400, "invalid-field", "id", "id: '%.32s' is not an evidence id",
			     idtext);
		return;
	}
	if (!(db = http_req_db(req)))
		return;
	cs_arena_init(&arena, 0);
	cs_unit_set_init(&units);
	cs_buf_init(&b, CS_EVIDENCE_MAX);
	rc = cs_evidence_get(db->store, id, &arena, &e, NULL, NULL, &err);
	if (!rc)
		rc = cs_unit_store_load(db->store, &units, &err);
	/* Someone who may not see the unit learns nothing, not even that the file exists. */
	if (!rc && !auth_unit_allowed(&me.session.user, &units, e.unit_id))
		rc = cs_fail(&err, CS_ENOTFOUND, "no evidence %lld", (long long)id);
	if (!rc)
		rc = cs_evidence_get(db->store, id, &arena, &e, &data, &len, &err);
	if (!rc)
		rc = cs_buf_add(&b, data, len, &err);
	if (rc) {
		ws_reply_error(req, rc, &err, rc == CS_ENOTFOUND ? "id" : NULL);
	} else {
		disposition(e.name, cd, sizeof(cd));
		/* The reply's type must outlive this function's arena. */
		const char *type =
			cs_arena_strndup(http_req_arena(req), e.media_type, strlen(e.media_type));

		http_reply_header(req, "Content-Disposition", cd);
		if (type)
			http_reply_buf(req, 200, type, &b);
		else
			http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
	}
	cs_free(data);
	cs_buf_release(&b);
	cs_unit_set_release(&units);
	cs_arena_release(&arena);
}
