/*
 * The survey team's routes of the workspace (METHODOLOGY M3.8, M3.9): a
 * wave's responses per unit against its sample plan, setting the plan,
 * token sheets (one-time tokens with their QR codes, issued by the same
 * store function as `chiso token issue`), and the double keying of paper
 * forms with the resolution of differences.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "http/auth.h"
#include "http/request.h"
#include "http/workspace.h"
#include "http/workspace_routes.h"
#include "report/qr_svg.h"
#include "store/keying_store.h"
#include "store/questionnaire_store.h"
#include "store/response_one.h"
#include "store/token_store.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

#define TEAM (AUTH_ROLE(CS_ROLE_ADMIN) | AUTH_ROLE(CS_ROLE_SURVEYOR))
/* Most tokens one sheet issues. */
#define SHEET_MAX 500

/* A write of the survey team, in the request's arena. */
struct team_write {
	struct cs_user user;
	const char *wave;
	json_t *body; /* the request's */
	char field[48];
	/* Tokens. */
	const char *unit;
	size_t count;
	unsigned expires_days;
	char (*codes)[CS_TOKEN_LEN];
	char expires_at[CS_STORE_TIME_LEN];
	/* Keying. */
	const char *form;
	json_t *answers; /* owned by the request's body */
	struct cs_keying_result result;
	struct cs_arena arena; /* the result's strings; released in finish */
	int64_t response_id;
};

static struct team_write *team_write_new(struct http_req *req, const struct auth_user *me,
					 const char *wave)
{
	struct team_write *w = cs_arena_calloc(http_req_arena(req), 1, sizeof(*w));

	if (!w) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return NULL;
	}
	w->user = me->session.user;
	w->wave = wave;
	return w;
}

/* The wave of the query, read on handle s. CS_ENOTFOUND names it. */
static enum cs_err wave_of(struct cs_store *s, const char *code, struct cs_wave *w,
			   struct cs_error *err)
{
	enum cs_err rc = cs_resp_wave_get(s, code, 0, w, err);

	if (rc == CS_ENOTFOUND)
		rc = cs_fail(err, CS_ENOTFOUND, "wave: no survey wave '%.64s'", code);
	return rc;
}

/* ---- Progress against the sample plan ---- */

void api_survey_progress(struct http_req *req)
{
	const char *wave = http_req_query(req, "wave");
	struct cs_error err = {0};
	struct auth_user me;
	struct http_db *db;
	struct cs_wave w;
	struct cs_arena arena;
	struct cs_vec units;
	int64_t target = 0, responses = 0;
	json_t *root, *arr;
	enum cs_err rc;

	if (!auth_require(req, TEAM | AUTH_ROLE(CS_ROLE_VIEWER), 0, &me) ||
	    !ws_query_required(req, "wave", wave) || !(db = http_req_db(req)))
		return;
	rc = wave_of(db->store, wave, &w, &err);
	if (rc) {
		ws_reply_error(req, rc, &err, "wave");
		return;
	}
	cs_arena_init(&arena, 0);
	cs_vec_init(&units, sizeof(struct cs_sample_unit), 0);
	rc = cs_sample_progress(db->store, w.id, &arena, &units, &err);
	if (rc) {
		cs_vec_release(&units);
		cs_arena_release(&arena);
		http_reply_internal(req, &err);
		return;
	}
	arr = json_array();
	for (size_t i = 0; arr && i < units.len; i++) {
		const struct cs_sample_unit *u = cs_vec_at(&units, i);

		target += u->target;
		responses += u->responses;
		json_array_append_new(
			arr,
			json_pack("{s:s, s:s, s:I, s:I, s:o, s:I, s:I}", "unit", u->unit, "name",
				  u->name, "target", (json_int_t)u->target, "responses",
				  (json_int_t)u->responses, "rate",
				  u->target ? json_real((double)u->responses / (double)u->target)
					    : json_null(),
				  "tokens_issued", (json_int_t)u->tokens_issued, "tokens_used",
				  (json_int_t)u->tokens_used));
	}
	root = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o?}", "wave", w.code, "title",
			 w.title, "period", w.period, "mode", w.mode, "target", (json_int_t)target,
			 "responses", (json_int_t)responses, "rate",
			 target ? json_real((double)responses / (double)target) : json_null(),
			 "units", arr);
	cs_vec_release(&units);
	cs_arena_release(&arena);
	ws_reply_json(req, 200, root);
}

/* ---- The sample plan ---- */

static enum cs_err plan_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct team_write *t = arg;
	json_t *targets = json_object_get(t->body, "targets");
	size_t n = json_object_size(targets), i = 0;
	const char **codes = cs_calloc(n ? n : 1, sizeof(*codes));
	int64_t *values = cs_calloc(n ? n : 1, sizeof(*values));
	struct cs_wave w;
	const char *key;
	json_t *v;
	enum cs_err rc;

	if (!codes || !values) {
		cs_free(codes);
		cs_free(values);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	json_object_foreach(targets, key, v)
	{
		codes[i] = key;
		values[i++] = (int64_t)json_integer_value(v);
	}
	rc = cs_store_set_actor(s, t->user.login, err);
	if (!rc) {
		rc = wave_of(s, t->wave, &w, err);
		if (rc)
			snprintf(t->field, sizeof(t->field), "wave");
	}
	if (!rc) {
		rc = cs_sample_plan_set(s, &w, codes, values, n, err);
		if (rc)
			snprintf(t->field, sizeof(t->field), "targets");
	}
	cs_store_set_actor(s, "api", NULL);
	cs_free(codes);
	cs_free(values);
	return rc;
}

void api_survey_plan(struct http_req *req)
{
	static const char *const fields[] = {"targets", NULL};
	struct auth_user me;
	struct team_write *t;
	const char *key;
	json_t *targets, *v;

	if (!auth_require(req, TEAM, AUTH_CHANGE, &me) ||
	    !(t = team_write_new(req, &me, http_req_query(req, "wave"))) ||
	    !ws_query_required(req, "wave", t->wave) || !(t->body = http_req_json_body(req)) ||
	    !http_json_only(req, t->body, fields))
		return;
	targets = json_object_get(t->body, "targets");
	if (!json_is_object(targets)) {
		http_problem(req, 400, "invalid-field", "targets",
			     "targets: expected an object of unit code to target number");
		return;
	}
	json_object_foreach(targets, key, v)
	{
		if (!json_is_integer(v)) {
			http_problem(req, 400, "invalid-field", "targets",
				     "targets.%.64s: expected a whole number", key);
			return;
		}
	}
	http_req_defer_write(req, plan_apply, t, HTTP_WRITE_OWN_TXN);
}

void api_survey_plan_done(struct http_req *req)
{
	struct team_write *t = http_req_write_arg(req);
	const struct cs_error *err = NULL;
	enum cs_err rc = http_req_write_result(req, &err);

	if (rc) {
		ws_reply_error(req, rc, err, t->field[0] ? t->field : NULL);
		return;
	}
	ws_reply_json(req, 200,
		      json_pack("{s:s, s:I}", "wave", t->wave, "units",
				(json_int_t)json_object_size(json_object_get(t->body, "targets"))));
}

/* ---- Token sheets ---- */

static enum cs_err tokens_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct team_write *t = arg;
	struct cs_token_issue is = {.wave = t->wave,
				    .unit = t->unit,
				    .count = t->count,
				    .expires_days = t->expires_days};
	enum cs_err rc = cs_store_set_actor(s, t->user.login, err);

	if (!rc) {
		rc = cs_token_store_issue(s, &is, t->codes, t->expires_at, err);
		if (rc == CS_ENOTFOUND)
			snprintf(t->field, sizeof(t->field), "%s",
				 strstr(err->msg, "unit") ? "unit" : "wave");
	}
	cs_store_set_actor(s, "api", NULL);
	return rc;
}

void api_survey_tokens(struct http_req *req)
{
	static const char *const fields[] = {"unit", "count", "expires_days", NULL};
	struct auth_user me;
	struct team_write *t;
	json_t *count, *days;

	if (!auth_require(req, TEAM, AUTH_CHANGE, &me) ||
	    !(t = team_write_new(req, &me, http_req_query(req, "wave"))) ||
	    !ws_query_required(req, "wave", t->wave) || !(t->body = http_req_json_body(req)) ||
	    !http_json_only(req, t->body, fields) ||
	    !http_json_string(req, t->body, "unit", 127, true, &t->unit))
		return;
	count = json_object_get(t->body, "count");
	days = json_object_get(t->body, "expires_days");
	if (!json_is_integer(count) || json_integer_value(count) < 1 ||
	    json_integer_value(count) > SHEET_MAX) {
		http_problem(req, 400, "invalid-field", "count",
			     "count: expected a number of tokens from 1 to %d", SHEET_MAX);
		return;
	}
	if (days && (!json_is_integer(days) || json_integer_value(days) < 0 ||
		     json_integer_value(days) > 3650)) {
		http_problem(req, 400, "invalid-field", "expires_days",
			     "expires_days: expected days from 0 (never) to 3650");
		return;
	}
	t->count = (size_t)json_integer_value(count);
	t->expires_days = days ? (unsigned)json_integer_value(days) : 0;
	t->codes = cs_arena_calloc(http_req_arena(req), t->count, sizeof(*t->codes));
	if (!t->codes) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return;
	}
	http_req_defer_write(req, tokens_apply, t, HTTP_WRITE_OWN_TXN);
}

/* The QR code of url as a data: URL of its SVG, which the page shows as an image. */
static json_t *qr_data_url(const char *url, struct cs_error *err)
{
	struct cs_buf svg;
	char *b64 = NULL;
	json_t *j = NULL;
	size_t n;

	cs_buf_init(&svg, 1u << 20);
	if (cs_qr_svg(&svg, url, 0, err) == CS_OK) {
		n = sodium_base64_ENCODED_LEN(svg.len, sodium_base64_VARIANT_ORIGINAL);
		b64 = cs_malloc(n + 32);
		if (b64) {
			memcpy(b64, "data:image/svg+xml;base64,", 26);
			sodium_bin2base64(b64 + 26, n, (const unsigned char *)svg.data, svg.len,
					  sodium_base64_VARIANT_ORIGINAL);
			j = json_string(b64);
		}
	}
	cs_free(b64);
	cs_buf_release(&svg);
	return j;
}

void api_survey_tokens_done(struct http_req *req)
{
	struct team_write *t = http_req_write_arg(req);
	const struct cs_error *err = NULL;
	struct cs_error qerr = {0};
	const char *host = http_req_header(req, "Host");
	enum cs_err rc = http_req_write_result(req, &err);
	json_t *root, *arr;

	if (rc) {
		ws_reply_error(req, rc, err, t->field[0] ? t->field : NULL);
		return;
	}
	arr = json_array();
	for (size_t i = 0; arr && i < t->count; i++) {
		char url[512];
		json_t *qr;

		snprintf(url, sizeof(url), "%s://%.300s/s/%s",
			 auth_request_https(req) ? "https" : "http", host ? host : "127.0.0.1",
			 t->codes[i]);
		qr = qr_data_url(url, &qerr);
		if (!qr) {
			json_decref(arr);
			http_reply_internal(req, &qerr);
			return;
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "token", t->codes[i], "url",
						     url, "qr", qr));
	}
	root = json_pack("{s:s, s:s, s:s?, s:o?}", "wave", t->wave, "unit", t->unit, "expires_at",
			 t->expires_at[0] ? t->expires_at : NULL, "tokens", arr);
	ws_reply_json(req, 201, root);
}

/* ---- Keying of paper forms ---- */

/* The wave, its questionnaire and layout, loaded on the writer's handle. */
struct survey {
	struct cs_wave w;
	struct cs_questionnaire *q;
	struct cs_resp_layout l;
	bool layout;
};

static enum cs_err survey_load(struct cs_store *s, const char *wave, struct survey *v,
			       struct cs_error *err)
{
	enum cs_err rc = wave_of(s, wave, &v->w, err);

	if (!rc)
		rc = cs_questionnaire_store_load(s, v->w.questionnaire, v->w.questionnaire_version,
						 &v->q, NULL, err);
	if (!rc) {
		rc = cs_resp_layout_init(&v->l, v->q, err);
		v->layout = rc == CS_OK;
	}
	return rc;
}

static void survey_release(struct survey *v)
{
	if (v->layout)
		cs_resp_layout_release(&v->l);
	cs_questionnaire_free(v->q);
}

static enum cs_err keying_apply(struct cs_store *s, void *arg, struct cs_error *err, bool resolve)
{
	struct team_write *t = arg;
	struct survey v = {0};
	enum cs_err rc = cs_store_set_actor(s, t->user.login, err);

	if (!rc) {
		rc = survey_load(s, t->wave, &v, err);
		if (rc == CS_ENOTFOUND)
			snprintf(t->field, sizeof(t->field), "wave");
	}
	if (!rc && resolve)
		rc = cs_keying_resolve(s, &v.w, v.q, &v.l, t->form, t->unit, t->answers,
				       &t->response_id, err);
	else if (!rc)
		rc = cs_keying_add(s, &v.w, v.q, &v.l, t->form, t->unit, t->answers, &t->arena,
				   &t->result, err);
	if (rc == CS_ENOTFOUND && !t->field[0])
		snprintf(t->field, sizeof(t->field), "unit");
	else if ((rc == CS_EINVAL || rc == CS_EPARSE) && !t->field[0])
		snprintf(t->field, sizeof(t->field), "answers");
	cs_store_set_actor(s, "api", NULL);
	survey_release(&v);
	return rc;
}

static enum cs_err keying_add_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	return keying_apply(s, arg, err, false);
}

static enum cs_err keying_resolve_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	return keying_apply(s, arg, err, true);
}

/* Reads {"form","unit","answers"} into t; false after answering. */
static bool keying_body(struct http_req *req, struct auth_user *me, struct team_write **out)
{
	static const char *const fields[] = {"form", "unit", "answers", NULL};
	struct cs_error err = {0};
	struct team_write *t;
	json_t *answers;

	if (!auth_require(req, TEAM, AUTH_CHANGE, me) ||
	    !(t = team_write_new(req, me, http_req_query(req, "wave"))) ||
	    !ws_query_required(req, "wave", t->wave) || !(t->body = http_req_json_body(req)) ||
	    !http_json_only(req, t->body, fields) ||
	    !http_json_string(req, t->body, "form", CS_KEYING_FORM_MAX, true, &t->form) ||
	    !http_json_string(req, t->body, "unit", 127, true, &t->unit))
		return false;
	if (cs_keying_form_check(t->form, &err)) {
		http_problem(req, 400, "invalid-field", "form", "%s", err.msg);
		return false;
	}
	answers = json_object_get(t->body, "answers");
	if (!json_is_object(answers)) {
		http_problem(req, 400, "invalid-field", "answers",
			     "answers: expected an object of item code to value as written on the "
			     "form");
		return false;
	}
	t->answers = answers;
	/* Nothing is allocated here: only a write that ran (and so is
	 * finished) fills them. */
	cs_arena_init(&t->arena, 0);
	cs_vec_init(&t->result.diffs, sizeof(struct cs_keying_diff), 0);
	*out = t;
	return true;
}

/* Frees what a keying write holds outside the request's arena. */
static void keying_release(struct team_write *t)
{
	cs_vec_release(&t->result.diffs);
	cs_arena_release(&t->arena);
}

static json_t *diffs_json(const struct cs_vec *diffs)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < diffs->len; i++) {
		const struct cs_keying_diff *d = cs_vec_at(diffs, i);

		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "field", d->field, "first",
						     d->first, "second", d->second));
	}
	return arr;
}

void api_survey_keying_add(struct http_req *req)
{
	struct auth_user me;
	struct team_write *t = NULL;

	if (!keying_body(req, &me, &t))
		return;
	http_req_defer_write(req, keying_add_apply, t, HTTP_WRITE_OWN_TXN);
}

void api_survey_keying_add_done(struct http_req *req)
{
	static const char *const outcomes[] = {"first", "stored", "differs"};
	struct team_write *t = http_req_write_arg(req);
	const struct cs_error *err = NULL;
	enum cs_err rc = http_req_write_result(req, &err);

	if (rc)
		ws_reply_error(req, rc, err, t->field[0] ? t->field : NULL);
	else
		ws_reply_json(req, t->result.outcome == CS_KEYING_FIRST ? 201 : 200,
			      json_pack("{s:s, s:i, s:s, s:o?, s:o, s:s?}", "form", t->form, "pass",
					t->result.outcome == CS_KEYING_FIRST ? 1 : 2, "state",
					outcomes[t->result.outcome], "response_id",
					t->result.response_id ? json_integer(t->result.response_id)
							      : NULL,
					"differences", diffs_json(&t->result.diffs), "problem",
					t->result.problem[0] ? t->result.problem : NULL));
	keying_release(t);
}

void api_survey_keying_resolve(struct http_req *req)
{
	struct auth_user me;
	struct team_write *t = NULL;

	if (!keying_body(req, &me, &t))
		return;
	http_req_defer_write(req, keying_resolve_apply, t, HTTP_WRITE_OWN_TXN);
}

void api_survey_keying_resolve_done(struct http_req *req)
{
	struct team_write *t = http_req_write_arg(req);
	const struct cs_error *err = NULL;
	enum cs_err rc = http_req_write_result(req, &err);

	if (rc)
		ws_reply_error(req, rc, err, t->field[0] ? t->field : NULL);
	else
		ws_reply_json(req, 200,
			      json_pack("{s:s, s:s, s:I}", "form", t->form, "state", "stored",
					"response_id", (json_int_t)t->response_id));
	keying_release(t);
}

void api_survey_keying_list(struct http_req *req)
{
	const char *wave = http_req_query(req, "wave");
	struct cs_error err = {0};
	struct auth_user me;
	struct http_db *db;
	struct cs_wave w;
	struct cs_arena arena;
	struct cs_vec forms;
	json_t *arr;
	enum cs_err rc;

	if (!auth_require(req, TEAM, 0, &me) || !ws_query_required(req, "wave", wave) ||
	    !(db = http_req_db(req)))
		return;
	rc = wave_of(db->store, wave, &w, &err);
	if (rc) {
		ws_reply_error(req, rc, &err, "wave");
		return;
	}
	cs_arena_init(&arena, 0);
	cs_vec_init(&forms, sizeof(struct cs_keyed_form), 0);
	rc = cs_keying_list(db->store, w.id, &arena, &forms, &err);
	arr = json_array();
	for (size_t i = 0; !rc && arr && i < forms.len; i++) {
		const struct cs_keyed_form *f = cs_vec_at(&forms, i);
		struct cs_vec diffs;
		json_error_t jerr;

		cs_vec_init(&diffs, sizeof(struct cs_keying_diff), 0);
		if (f->first && f->second)
			rc = cs_keying_compare(f->first, f->second, &arena, &diffs, &err);
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:s?, s:s?, s:o?, s:o?, s:o, s:o?}", "form",
				       f->form, "state", f->state, "first_by", f->first_by,
				       "second_by", f->second_by, "first",
				       f->first ? json_loads(f->first, 0, &jerr) : NULL, "second",
				       f->second ? json_loads(f->second, 0, &jerr) : NULL,
				       "differences", diffs_json(&diffs), "response_id",
				       f->response_id ? json_integer(f->response_id) : NULL));
		cs_vec_release(&diffs);
	}
	cs_vec_release(&forms);
	cs_arena_release(&arena);
	if (rc) {
		json_decref(arr);
		http_reply_internal(req, &err);
		return;
	}
	ws_reply_json(req, 200, json_pack("{s:s, s:o}", "wave", w.code, "forms", arr));
}
