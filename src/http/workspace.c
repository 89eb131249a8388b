/*
 * Shared parts of the workspace's handlers: loading the assessment a
 * request names with the scope check of unit officers, the role rules of the
 * workflow, and replies.
 */
#include <stdio.h>
#include <string.h>

#include "http/auth.h"
#include "http/request.h"
#include "http/workspace.h"
#include "report/par_period.h"
#include "store/assess_store.h"
#include "util/buf.h"
#include "util/utf8.h"

#include "util/banned.h"

void ws_ctx_init(struct ws_ctx *c)
{
	memset(c, 0, sizeof(*c));
	cs_unit_set_init(&c->units);
}

void ws_ctx_release(struct ws_ctx *c)
{
	if (!c)
		return;
	cs_framework_free(c->fw);
	cs_unit_set_release(&c->units);
	ws_ctx_init(c);
}

static enum cs_err field_fail(struct ws_ctx *c, const char *field, enum cs_err rc)
{
	snprintf(c->field, sizeof(c->field), "%s", field);
	return rc;
}

enum cs_err ws_ctx_load(struct cs_store *s, const struct cs_user *u, const char *period,
			const char *unit, const char *framework, struct ws_ctx *c,
			struct cs_error *err)
{
	enum cs_err rc;

	rc = cs_score_store_period(s, period, &c->period, err);
	if (rc == CS_ENOTFOUND)
		return field_fail(c, "period",
				  cs_fail(err, CS_ENOTFOUND, "period: no period '%.64s'", period));
	if (!rc)
		rc = cs_unit_store_load(s, &c->units, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < c->units.units.len && !c->unit; i++)
		if (strcmp(cs_unit_set_at(&c->units, i)->code, unit) == 0)
			c->unit = cs_unit_set_at(&c->units, i);
	if (!c->unit)
		return field_fail(c, "unit",
				  cs_fail(err, CS_ENOTFOUND, "unit: no unit '%.64s'", unit));
	if (!auth_unit_allowed(u, &c->units, c->unit->id))
		return field_fail(
			c, "unit",
			cs_fail(err, CS_EPERM,
				"unit '%.64s': '%s' is the unit officer of '%s'%s and may "
				"not see or change other units' assessments",
				unit, u->login, u->unit, u->subtree ? " and its subtree" : ""));
	rc = par_period_pick_framework(s, &c->period, framework, c->fw_code, err);
	if (rc == CS_ENOTFOUND)
		return field_fail(
			c, "period",
			cs_fail(err, CS_ENOTFOUND,
				"period '%s' has no assessment round yet; an administrator "
				"opens one",
				c->period.code));
	if (rc == CS_EINVAL)
		return field_fail(c, "framework", rc);
	if (!rc)
		rc = par_period_load_framework(s, c->period.id, c->fw_code, &c->fw, c->fw_sha,
					       &c->methodology_id, err);
	if (rc == CS_ENOTFOUND)
		return field_fail(
			c, "framework",
			cs_fail(err, CS_ENOTFOUND, "framework: no framework '%.64s'", c->fw_code));
	if (!rc)
		rc = cs_assess_state(s, c->period.id, c->unit->id, c->fw_code, &c->state, NULL,
				     err);
	return rc;
}

bool ws_acts_for_unit(const struct cs_user *u)
{
	return u->role == CS_ROLE_UNIT_OFFICER || u->role == CS_ROLE_ADMIN;
}

bool ws_acts_for_council(const struct cs_user *u)
{
	return u->role == CS_ROLE_APPRAISER || u->role == CS_ROLE_ADMIN;
}

bool ws_council_may_edit(enum cs_wf_state s)
{
	return s == CS_WF_SUBMITTED || s == CS_WF_APPRAISED || s == CS_WF_EXPLAINED;
}

bool ws_unit_may_upload(enum cs_wf_state s)
{
	return s == CS_WF_DRAFT || s == CS_WF_EXPLANATION_REQUESTED;
}

bool ws_text_ok(const char *text, size_t len, size_t max)
{
	if (len > max || !cs_utf8_valid(text, len, NULL))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];

		if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f)
			return false;
	}
	return true;
}

bool ws_query_required(struct http_req *req, const char *name, const char *value)
{
	if (value && *value)
		return true;
	http_problem(req, 400, "missing-field", name, "%s: missing query parameter; it is required",
		     name);
	return false;
}

static int dump_to_buf(const char *p, size_t len, void *data)
{
	return cs_buf_add(data, p, len, NULL) == CS_OK ? 0 : -1;
}

void ws_reply_json(struct http_req *req, unsigned status, json_t *json)
{
	struct cs_buf b;

	cs_buf_init(&b, HTTP_REPLY_MAX);
	if (!json ||
	    json_dump_callback(json, dump_to_buf, &b, JSON_COMPACT | JSON_REAL_PRECISION(15))) {
		json_decref(json);
		cs_buf_release(&b);
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return;
	}
	json_decref(json);
	http_reply_buf(req, status, "application/json", &b);
	cs_buf_release(&b);
}

void ws_reply_error(struct http_req *req, enum cs_err rc, const struct cs_error *err,
		    const char *field)
{
	const char *msg = err && err->msg[0] ? err->msg : cs_strerror(rc);

	switch (rc) {
	case CS_ENOTFOUND:
		http_problem(req, 404, NULL, field, "%s", msg);
		break;
	case CS_EPERM:
		http_problem(req, 403, NULL, field, "%s", msg);
		break;
	case CS_ESTATE:
		http_problem(req, 409, "state", field, "%s", msg);
		break;
	case CS_ECONFLICT:
	case CS_EEXIST:
		http_problem(req, 409, NULL, field, "%s", msg);
		break;
	case CS_EINVAL:
	case CS_EPARSE:
	case CS_EUTF8:
	case CS_ETOOBIG:
		http_problem(req, 422, NULL, field, "%s", msg);
		break;
	default:
		http_reply_internal(req, err);
	}
}
