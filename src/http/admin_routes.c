/*
 * The workspace's administration (METHODOLOGY M2.9): rounds with deadlines,
 * the reopening of a late unit, the progress of a round (units not yet
 * submitted, appraisals pending), publication of a period, the import of
 * units and frameworks, and the list of accounts. Writes go through the
 * write queue with the signed-in administrator as the audit log's actor.
 */
#include <stdio.h>
#include <string.h>

#include "http/auth.h"
#include "http/request.h"
#include "http/workspace.h"
#include "http/workspace_routes.h"
#include "io/framework_json.h"
#include "io/unit_csv.h"
#include "report/par_period.h"
#include "report/par_publish.h"
#include "store/framework_store.h"
#include "store/public_store.h"
#include "store/round_store.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

#define ADMIN AUTH_ROLE(CS_ROLE_ADMIN)
/* Who may follow the rounds: the administration, the council, viewers. */
#define FOLLOWERS (ADMIN | AUTH_ROLE(CS_ROLE_APPRAISER) | AUTH_ROLE(CS_ROLE_VIEWER))

/* A write of this file: the administrator, the request's inputs and the outcome. */
struct admin_write {
	struct cs_user user;
	const char *period, *framework;
	json_t *body;	  /* the request's, owned by it */
	const char *data; /* a raw body */
	size_t len;
	char field[32];
	/* Outcomes. */
	size_t count, added, changed, unchanged;
	bool flag;
	struct par_published pub;
	char text[CS_SHA256_HEX_LEN];
	char code[CS_SCORE_CODE_LEN], version[CS_SCORE_CODE_LEN];
};

static struct admin_write *admin_write_new(struct http_req *req, const struct auth_user *me)
{
	struct admin_write *w = cs_arena_calloc(http_req_arena(req), 1, sizeof(*w));

	if (!w) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return NULL;
	}
	w->user = me->session.user;
	return w;
}

static enum cs_err as_user(struct cs_store *s, const struct admin_write *w, struct cs_error *err)
{
	return cs_store_set_actor(s, w->user.login, err);
}

static void reply_write_error(struct http_req *req, const struct admin_write *w)
{
	const struct cs_error *err = NULL;
	enum cs_err rc = http_req_write_result(req, &err);

	ws_reply_error(req, rc, err, w->field[0] ? w->field : NULL);
}

/* ---- Rounds ---- */

static json_t *round_json(const struct cs_round *r)
{
	return json_pack("{s:s, s:s, s:s?, s:b, s:s, s:s}", "period", r->period, "framework",
			 r->framework, "deadline", r->deadline[0] ? r->deadline : NULL, "closed",
			 r->closed, "updated_by", r->updated_by, "updated_at", r->updated_at);
}

void api_rounds_list(struct http_req *req)
{
	struct cs_error err = {0};
	struct auth_user me;
	struct http_db *db;
	struct cs_vec rounds;
	json_t *arr;

	if (!auth_require(req, FOLLOWERS, 0, &me) || !(db = http_req_db(req)))
		return;
	cs_vec_init(&rounds, sizeof(struct cs_round), 0);
	if (cs_round_list(db->store, &rounds, &err)) {
		cs_vec_release(&rounds);
		http_reply_internal(req, &err);
		return;
	}
	arr = json_array();
	for (size_t i = 0; arr && i < rounds.len; i++)
		json_array_append_new(arr, round_json(cs_vec_at(&rounds, i)));
	cs_vec_release(&rounds);
	ws_reply_json(req, 200, json_pack("{s:o?}", "rounds", arr));
}

static enum cs_err round_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct admin_write *w = arg;
	json_t *deadline = json_object_get(w->body, "deadline");
	json_t *units = json_object_get(w->body, "units");
	char dl[CS_STORE_TIME_LEN] = "";
	struct cs_round_spec spec = {.framework = w->framework};
	struct cs_period p;
	struct cs_round old;
	bool found = false;
	const char **codes = NULL;
	enum cs_err rc;

	rc = as_user(s, w, err);
	if (!rc) {
		rc = cs_score_store_period(s, w->period, &p, err);
		if (rc == CS_ENOTFOUND) {
			snprintf(w->field, sizeof(w->field), "period");
			rc = cs_fail(err, CS_ENOTFOUND, "period: no period '%.64s'", w->period);
		}
	}
	if (!rc)
		rc = cs_round_get(s, p.id, w->framework, &old, &found, err);
	if (rc)
		goto out;
	/* Members the body leaves out keep their values. */
	if (deadline && json_is_string(deadline)) {
		rc = cs_deadline_parse(cs_str_from(json_string_value(deadline)), dl, err);
		if (rc) {
			snprintf(w->field, sizeof(w->field), "deadline");
			goto out;
		}
	} else if (!deadline && found) {
		snprintf(dl, sizeof(dl), "%s", old.deadline);
	}
	spec.deadline = dl[0] ? dl : NULL;
	spec.closed = json_object_get(w->body, "closed")
			      ? json_is_true(json_object_get(w->body, "closed"))
			      : found && old.closed;
	spec.nunits = units ? json_array_size(units) : 0;
	codes = cs_calloc(spec.nunits ? spec.nunits : 1, sizeof(*codes));
	if (!codes) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	for (size_t i = 0; i < spec.nunits; i++)
		codes[i] = json_string_value(json_array_get(units, i));
	spec.units = codes;
	rc = cs_round_set(s, &p, &spec, &w->added, err);
	if (rc == CS_ENOTFOUND)
		snprintf(w->field, sizeof(w->field), "%s",
			 strncmp(err->msg, "units", 5) == 0 ? "units" : "framework");
out:
	cs_free(codes);
	cs_store_set_actor(s, "api", NULL);
	return rc;
}

void api_rounds_put(struct http_req *req)
{
	static const char *const fields[] = {"deadline", "closed", "units", NULL};
	struct auth_user me;
	struct admin_write *w;
	json_t *v;

	if (!auth_require(req, ADMIN, AUTH_CHANGE, &me) || !(w = admin_write_new(req, &me)))
		return;
	w->period = http_req_query(req, "period");
	w->framework = http_req_query(req, "framework");
	if (!ws_query_required(req, "period", w->period) ||
	    !ws_query_required(req, "framework", w->framework) ||
	    !(w->body = http_req_json_body(req)) || !http_json_only(req, w->body, fields))
		return;
	v = json_object_get(w->body, "deadline");
	if (v && !json_is_null(v) && !json_is_string(v)) {
		http_problem(req, 400, "invalid-field", "deadline",
			     "deadline: expected a date YYYY-MM-DD, a time YYYY-MM-DDTHH:MM:SSZ or "
			     "null (no deadline)");
		return;
	}
	v = json_object_get(w->body, "closed");
	if (v && !json_is_boolean(v)) {
		http_problem(req, 400, "invalid-field", "closed", "closed: expected true or false");
		return;
	}
	v = json_object_get(w->body, "units");
	if (v) {
		bool ok = json_is_array(v);

		for (size_t i = 0; ok && i < json_array_size(v); i++)
			ok = json_is_string(json_array_get(v, i)) &&
			     json_string_length(json_array_get(v, i)) > 0 &&
			     json_string_length(json_array_get(v, i)) < 128;
		if (!ok) {
			http_problem(req, 400, "invalid-field", "units",
				     "units: expected an array of unit codes");
			return;
		}
	}
	http_req_defer_write(req, round_apply, w, HTTP_WRITE_OWN_TXN);
}

void api_rounds_put_done(struct http_req *req)
{
	struct admin_write *w = http_req_write_arg(req);
	struct cs_error err = {0};
	struct cs_period p;
	struct cs_round r;
	struct http_db *db;
	bool found = false;

	if (http_req_write_result(req, NULL)) {
		reply_write_error(req, w);
		return;
	}
	if (!(db = http_req_db(req)))
		return;
	if (cs_score_store_period(db->store, w->period, &p, &err) ||
	    cs_round_get(db->store, p.id, w->framework, &r, &found, &err) || !found) {
		http_reply_internal(req, &err);
		return;
	}
	ws_reply_json(req, 200,
		      json_pack("{s:o, s:I}", "round", round_json(&r), "units_added",
				(json_int_t)w->added));
}

static enum cs_err reopen_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct admin_write *w = arg;
	const char *unit = json_string_value(json_object_get(w->body, "unit"));
	const char *until = json_string_value(json_object_get(w->body, "until"));
	const char *reason = json_string_value(json_object_get(w->body, "reason"));
	char u[CS_STORE_TIME_LEN];
	struct cs_period p;
	enum cs_err rc;

	rc = as_user(s, w, err);
	if (!rc) {
		rc = cs_deadline_parse(cs_str_from(until), u, err);
		if (rc)
			snprintf(w->field, sizeof(w->field), "until");
	}
	if (!rc) {
		rc = cs_score_store_period(s, w->period, &p, err);
		if (rc == CS_ENOTFOUND) {
			snprintf(w->field, sizeof(w->field), "period");
			rc = cs_fail(err, CS_ENOTFOUND, "period: no period '%.64s'", w->period);
		}
	}
	if (!rc) {
		rc = cs_round_reopen(s, &p, w->framework, unit, u, reason, err);
		if (rc == CS_ENOTFOUND && strncmp(err->msg, "units:", 6) == 0)
			snprintf(w->field, sizeof(w->field), "unit");
		else if (rc == CS_EINVAL)
			snprintf(w->field, sizeof(w->field), "reason");
		snprintf(w->text, sizeof(w->text), "%s", u);
	}
	cs_store_set_actor(s, "api", NULL);
	return rc;
}

void api_rounds_reopen(struct http_req *req)
{
	static const char *const fields[] = {"unit", "until", "reason", NULL};
	const char *unit = NULL, *until = NULL, *reason = NULL;
	struct auth_user me;
	struct admin_write *w;

	if (!auth_require(req, ADMIN, AUTH_CHANGE, &me) || !(w = admin_write_new(req, &me)))
		return;
	w->period = http_req_query(req, "period");
	w->framework = http_req_query(req, "framework");
	if (!ws_query_required(req, "period", w->period) ||
	    !ws_query_required(req, "framework", w->framework) ||
	    !(w->body = http_req_json_body(req)) || !http_json_only(req, w->body, fields) ||
	    !http_json_string(req, w->body, "unit", 127, true, &unit) ||
	    !http_json_string(req, w->body, "until", 32, true, &until) ||
	    !http_json_string(req, w->body, "reason", CS_ROUND_REASON_MAX, true, &reason))
		return;
	http_req_defer_write(req, reopen_apply, w, HTTP_WRITE_OWN_TXN);
}

void api_rounds_reopen_done(struct http_req *req)
{
	struct admin_write *w = http_req_write_arg(req);

	if (http_req_write_result(req, NULL)) {
		reply_write_error(req, w);
		return;
	}
	ws_reply_json(req, 200,
		      json_pack("{s:s, s:s, s:s, s:s}", "period", w->period, "framework",
				w->framework, "unit",
				json_string_value(json_object_get(w->body, "unit")),
				"reopened_until", w->text));
}

/* ---- Progress ---- */

void api_progress_get(struct http_req *req)
{
	const char *period = http_req_query(req, "period");
	struct cs_error err = {0};
	char code[CS_SCORE_CODE_LEN];
	struct auth_user me;
	struct http_db *db;
	struct cs_period p;
	struct cs_round round;
	struct cs_arena arena;
	struct cs_vec units;
	size_t counts[CS_WF_STATE_COUNT_] = {0};
	bool has_round = false;
	json_t *root, *list, *states, *waiting, *pending;
	enum cs_err rc;

	if (!auth_require(req, FOLLOWERS, 0, &me) || !ws_query_required(req, "period", period) ||
	    !(db = http_req_db(req)))
		return;
	rc = cs_score_store_period(db->store, period, &p, &err);
	if (rc == CS_ENOTFOUND) {
		http_problem(req, 404, NULL, "period", "period: no period '%.64s'", period);
		return;
	}
	if (!rc)
		rc = par_period_pick_framework(db->store, &p, http_req_query(req, "framework"),
					       code, &err);
	if (rc == CS_ENOTFOUND || rc == CS_EINVAL) {
		ws_reply_error(req, rc, &err, rc == CS_EINVAL ? "framework" : "period");
		return;
	}
	if (rc) {
		http_reply_internal(req, &err);
		return;
	}
	cs_arena_init(&arena, 0);
	cs_vec_init(&units, sizeof(struct cs_round_unit), 0);
	rc = cs_round_units(db->store, p.id, code, &arena, &units, &err);
	if (!rc)
		rc = cs_round_get(db->store, p.id, code, &round, &has_round, &err);
	if (rc) {
		cs_vec_release(&units);
		cs_arena_release(&arena);
		http_reply_internal(req, &err);
		return;
	}
	root = json_pack("{s:s, s:s, s:o, s:{}, s:[], s:[], s:[]}", "period", p.code, "framework",
			 code, "round", has_round ? round_json(&round) : json_null(), "states",
			 "units", "not_submitted", "appraisal_pending");
	list = root ? json_object_get(root, "units") : NULL;
	waiting = root ? json_object_get(root, "not_submitted") : NULL;
	pending = root ? json_object_get(root, "appraisal_pending") : NULL;
	for (size_t i = 0; list && i < units.len; i++) {
		const struct cs_round_unit *u = cs_vec_at(&units, i);

		counts[u->state]++;
		json_array_append_new(
			list, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s?}", "unit", u->code,
					"name", u->name, "state", cs_wf_state_name(u->state),
					"self_scores", (json_int_t)u->self_scores,
					"appraised_scores", (json_int_t)u->appraised_scores,
					"open_questions", (json_int_t)u->open_questions,
					"reopened_until", u->reopened_until));
		if (u->state == CS_WF_DRAFT)
			json_array_append_new(waiting, json_string(u->code));
		if (u->state == CS_WF_SUBMITTED || u->state == CS_WF_EXPLAINED)
			json_array_append_new(pending, json_string(u->code));
	}
	states = root ? json_object_get(root, "states") : NULL;
	for (int k = 0; states && k < CS_WF_STATE_COUNT_; k++)
		json_object_set_new(states, cs_wf_state_name((enum cs_wf_state)k),
				    json_integer((json_int_t)counts[k]));
	cs_vec_release(&units);
	cs_arena_release(&arena);
	ws_reply_json(req, 200, root);
}

/* ---- Publication ---- */

static enum cs_err publish_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct admin_write *w = arg;
	struct cs_period p;
	enum cs_err rc;

	rc = as_user(s, w, err);
	if (!rc) {
		rc = cs_score_store_period(s, w->period, &p, err);
		if (rc == CS_ENOTFOUND) {
			snprintf(w->field, sizeof(w->field), "period");
			rc = cs_fail(err, CS_ENOTFOUND, "period: no period '%.64s'", w->period);
		}
	}
	if (!rc)
		rc = par_period_publish(s, w->period, w->framework, &w->pub, err);
	if (!rc && w->flag)
		rc = cs_public_period_set(s, &p, true, NULL, err);
	cs_store_set_actor(s, "api", NULL);
	return rc;
}

void api_publish(struct http_req *req)
{
	static const char *const fields[] = {"public", NULL};
	struct auth_user me;
	struct admin_write *w;
	json_t *v;

	if (!auth_require(req, ADMIN, AUTH_CHANGE, &me) || !(w = admin_write_new(req, &me)))
		return;
	w->period = http_req_query(req, "period");
	w->framework = http_req_query(req, "framework");
	if (!ws_query_required(req, "period", w->period) || !(w->body = http_req_json_body(req)) ||
	    !http_json_only(req, w->body, fields))
		return;
	v = json_object_get(w->body, "public");
	if (v && !json_is_boolean(v)) {
		http_problem(req, 400, "invalid-field", "public", "public: expected true or false");
		return;
	}
	w->flag = json_is_true(v);
	http_req_defer_write(req, publish_apply, w, HTTP_WRITE_OWN_TXN);
}

void api_publish_done(struct http_req *req)
{
	struct admin_write *w = http_req_write_arg(req);

	if (http_req_write_result(req, NULL)) {
		reply_write_error(req, w);
		return;
	}
	ws_reply_json(req, 201,
		      json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b}", "period", w->pub.period,
				"framework", w->pub.framework, "version", w->pub.version, "units",
				(json_int_t)w->pub.units, "methodology_sha256",
				w->pub.methodology_sha256, "input_sha256", w->pub.input_sha256,
				"published_at", w->pub.published_at, "public", w->flag));
}

/* ---- Imports ---- */

static enum cs_err units_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct admin_write *w = arg;
	struct cs_unit_set incoming, stored;
	struct cs_unit_plan plan;
	enum cs_err rc;

	cs_unit_set_init(&incoming);
	cs_unit_set_init(&stored);
	cs_unit_plan_init(&plan);
	rc = as_user(s, w, err);
	if (!rc)
		rc = cs_unit_csv_parse("units.csv", w->data, w->len, &incoming, err);
	if (!rc)
		rc = cs_unit_store_load(s, &stored, err);
	if (!rc)
		rc = cs_unit_plan_make(&stored, &incoming, &plan, err);
	if (!rc)
		rc = cs_unit_store_apply(s, &incoming, &plan, err);
	if (!rc) {
		w->added = plan.added;
		w->changed = plan.changed;
		w->unchanged = plan.unchanged;
	}
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&stored);
	cs_unit_set_release(&incoming);
	cs_store_set_actor(s, "api", NULL);
	return rc;
}

void api_import_units(struct http_req *req)
{
	struct auth_user me;
	struct admin_write *w;

	if (!auth_require(req, ADMIN, AUTH_CHANGE, &me) || !(w = admin_write_new(req, &me)))
		return;
	w->data = http_req_body(req, &w->len);
	if (w->len == 0) {
		http_problem(req, 400, "invalid-request", NULL,
			     "empty body; send the units as CSV (docs/formats.md)");
		return;
	}
	http_req_defer_write(req, units_apply, w, HTTP_WRITE_OWN_TXN);
}

void api_import_units_done(struct http_req *req)
{
	struct admin_write *w = http_req_write_arg(req);

	if (http_req_write_result(req, NULL)) {
		reply_write_error(req, w);
		return;
	}
	ws_reply_json(req, 200,
		      json_pack("{s:I, s:I, s:I}", "added", (json_int_t)w->added, "changed",
				(json_int_t)w->changed, "unchanged", (json_int_t)w->unchanged));
}

static enum cs_err framework_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct admin_write *w = arg;
	struct cs_framework *fw = NULL;
	struct cs_fw_meta meta = {0};
	struct cs_buf json;
	enum cs_err rc;

	cs_buf_init(&json, 4u * CS_FW_JSON_MAX);
	rc = as_user(s, w, err);
	if (!rc)
		rc = cs_framework_json_parse("framework", w->data, w->len, &fw, &meta, err);
	if (!rc)
		rc = cs_framework_validate(fw, err);
	if (!rc)
		rc = cs_framework_json_write(fw, &meta, &json, err);
	if (!rc)
		rc = cs_framework_store_save(s, fw, json.data, json.len, &w->flag, err);
	if (!rc) {
		snprintf(w->code, sizeof(w->code), "%s", cs_framework_info(fw)->code);
		snprintf(w->version, sizeof(w->version), "%s", cs_framework_info(fw)->version);
		cs_sha256_hex(json.data, json.len, w->text);
		w->count = cs_framework_node_count(fw);
	}
	cs_buf_release(&json);
	cs_fw_meta_release(&meta);
	cs_framework_free(fw);
	cs_store_set_actor(s, "api", NULL);
	return rc;
}

void api_import_framework(struct http_req *req)
{
	struct auth_user me;
	struct admin_write *w;

	if (!auth_require(req, ADMIN, AUTH_CHANGE, &me) || !(w = admin_write_new(req, &me)))
		return;
	w->data = http_req_body(req, &w->len);
	if (w->len == 0) {
		http_problem(req, 400, "invalid-request", NULL,
			     "empty body; send the framework as JSON (docs/formats.md)");
		return;
	}
	http_req_defer_write(req, framework_apply, w, HTTP_WRITE_OWN_TXN);
}

void api_import_framework_done(struct http_req *req)
{
	struct admin_write *w = http_req_write_arg(req);

	if (http_req_write_result(req, NULL)) {
		reply_write_error(req, w);
		return;
	}
	ws_reply_json(req, w->flag ? 201 : 200,
		      json_pack("{s:s, s:s, s:I, s:s, s:b}", "code", w->code, "version", w->version,
				"nodes", (json_int_t)w->count, "sha256", w->text, "added",
				w->flag));
}

/* ---- Accounts ---- */

void api_users_list(struct http_req *req)
{
	struct cs_error err = {0};
	struct auth_user me;
	struct http_db *db;
	struct cs_vec users;
	json_t *arr;

	if (!auth_require(req, ADMIN, 0, &me) || !(db = http_req_db(req)))
		return;
	cs_vec_init(&users, sizeof(struct cs_user), 0);
	if (cs_user_list(db->store, &users, &err)) {
		cs_vec_release(&users);
		http_reply_internal(req, &err);
		return;
	}
	arr = json_array();
	for (size_t i = 0; arr && i < users.len; i++) {
		const struct cs_user *u = cs_vec_at(&users, i);

		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s, s:s?, s:b, s:b, s:s}", "login", u->login,
				       "name", u->name, "role", cs_role_name(u->role), "unit",
				       u->unit[0] ? u->unit : NULL, "subtree", u->subtree,
				       "disabled", u->disabled, "created_at", u->created_at));
	}
	cs_vec_release(&users);
	ws_reply_json(req, 200, json_pack("{s:o?}", "users", arr));
}
