/*
 * What handlers call: request accessors and the ways to answer (see
 * request.h). Only the first answer of a request counts, so that a helper
 * that answered 400 and returned NULL cannot be overridden by mistake.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http/server_internal.h"
#include "util/alloc.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Problem kinds by status: the generic type suffix and the reason phrase. */
static const struct {
	unsigned status;
	const char *kind;
	const char *title;
} statuses[] = {
	{400, "invalid-request", "Bad Request"},
	{401, "unauthorized", "Unauthorized"},
	{403, "forbidden", "Forbidden"},
	{404, "not-found", "Not Found"},
	{405, "method-not-allowed", "Method Not Allowed"},
	{409, "conflict", "Conflict"},
	{410, "gone", "Gone"},
	{413, "body-too-large", "Content Too Large"},
	{415, "unsupported-media-type", "Unsupported Media Type"},
	{422, "unprocessable", "Unprocessable Content"},
	{429, "rate-limited", "Too Many Requests"},
	{500, "internal", "Internal Server Error"},
	{503, "unavailable", "Service Unavailable"},
};

static void set_answer(struct http_req *req, unsigned status, const char *type)
{
	req->answered = true;
	req->status = status;
	req->type = type;
	cs_buf_reset(&req->out);
	req->static_data = NULL;
	req->static_len = 0;
}

/* The last resort when even a problem object cannot be built: a fixed body. */
static void answer_fixed(struct http_req *req, unsigned status, const char *body)
{
	set_answer(req, status, "application/problem+json");
	req->static_data = body;
	req->static_len = strlen(body);
	req->cache = HTTP_CACHE_NO_STORE;
}

static const char oom_body[] = "{\"type\":\"urn:chiso:problem:unavailable\","
			       "\"title\":\"Service Unavailable\",\"status\":503,"
			       "\"detail\":\"the server is out of memory; try again\","
			       "\"field\":null}";

/* jansson's dump callback: appends to the reply buffer (capped). */
static int dump_to_buf(const char *p, size_t len, void *data)
{
	return cs_buf_add(data, p, len, NULL) == CS_OK ? 0 : -1;
}

static bool set_json(struct http_req *req, unsigned status, const char *type, json_t *json)
{
	set_answer(req, status, type);
	req->cache = HTTP_CACHE_NO_STORE;
	if (!json || json_dump_callback(json, dump_to_buf, &req->out, JSON_COMPACT) != 0) {
		json_decref(json);
		return false;
	}
	json_decref(json);
	return true;
}

void http_reply_json(struct http_req *req, unsigned status, json_t *json)
{
	if (req->answered) {
		json_decref(json);
		return;
	}
	if (!set_json(req, status, "application/json", json))
		answer_fixed(req, 503, oom_body);
}

void http_reply_static(struct http_req *req, unsigned status, const char *type, const void *data,
		       size_t len)
{
	if (req->answered)
		return;
	set_answer(req, status, type);
	req->static_data = data;
	req->static_len = len;
}

void http_reply_buf(struct http_req *req, unsigned status, const char *type, struct cs_buf *b)
{
	struct cs_buf t;

	if (req->answered)
		return;
	set_answer(req, status, type);
	req->cache = HTTP_CACHE_NO_STORE;
	t = req->out;
	req->out = *b;
	*b = t;
}

void http_reply_not_modified(struct http_req *req)
{
	if (req->answered)
		return;
	set_answer(req, 304, NULL);
	req->static_data = "";
}

void http_problem(struct http_req *req, unsigned status, const char *kind, const char *field,
		  const char *fmt, ...)
{
	const char *title = "Error";
	char detail[CS_ERROR_MSG_MAX], type[96];
	va_list ap;
	json_t *j;

	if (req->answered)
		return;
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		if (statuses[i].status == status) {
			title = statuses[i].title;
			if (!kind)
				kind = statuses[i].kind;
		}
	}
	snprintf(type, sizeof(type), "urn:chiso:problem:%s", kind ? kind : "error");
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	/* The detail may quote a client's bytes, cut anywhere by vsnprintf:
	 * jansson refuses invalid UTF-8, so such a detail is replaced. */
	if (!cs_utf8_valid(detail, strlen(detail), NULL))
		snprintf(detail, sizeof(detail), "%s (the offending value is not UTF-8)",
			 field ? field : title);
	j = json_pack("{s:s, s:s, s:i, s:s, s:s?}", "type", type, "title", title, "status",
		      (int)status, "detail", detail, "field", field);
	if (!set_json(req, status, "application/problem+json", j))
		answer_fixed(req, 503, oom_body);
}

void http_reply_internal(struct http_req *req, const struct cs_error *err)
{
	if (req->answered)
		return;
	if (err && err->code == CS_ENOMEM) {
		answer_fixed(req, 503, oom_body);
		return;
	}
	http_server_log_error(req->srv, req->path,
			      err && err->msg[0] ? err->msg
						 : cs_strerror(err ? err->code : CS_EINTERNAL));
	http_problem(req, 500, NULL, NULL, "internal error; the server log has the details");
}

void http_reply_header(struct http_req *req, const char *name, const char *value)
{
	const char *n, *v;

	if (req->nheaders == HTTP_REPLY_HEADERS_MAX)
		return;
	n = cs_arena_strndup(&req->arena, name, strlen(name));
	v = cs_arena_strndup(&req->arena, value, strlen(value));
	if (!n || !v)
		return;
	req->headers[req->nheaders].name = n;
	req->headers[req->nheaders].value = v;
	req->nheaders++;
}

void http_reply_cache(struct http_req *req, enum http_cache_control cache)
{
	req->cache = cache;
}

/* True when s has no control characters (C0 and DEL). */
static bool printable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

const char *http_req_param(struct http_req *req, const char *name)
{
	struct cs_str v;
	char *s;

	if (!http_params_get(&req->params, name, &v))
		return NULL;
	if (v.len > HTTP_PARAM_MAX) {
		http_problem(req, 400, NULL, name, "%s: %zu bytes; expected at most %d", name,
			     v.len, HTTP_PARAM_MAX);
		return NULL;
	}
	if (!cs_utf8_valid(v.ptr, v.len, NULL) || !printable(v.ptr, v.len)) {
		http_problem(req, 400, NULL, name, "%s: not UTF-8 text, or has control characters",
			     name);
		return NULL;
	}
	s = cs_arena_strdup_str(&req->arena, v);
	if (!s)
		answer_fixed(req, 503, oom_body);
	return s;
}

const char *http_req_query(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_req_header(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_req_body(struct http_req *req, size_t *len)
{
	if (len)
		*len = req->body.len;
	return req->body.data;
}

bool http_req_trust_proxy(struct http_req *req)
{
	return req->srv->trust_proxy;
}

enum http_lang http_req_lang(struct http_req *req)
{
	if (!req->lang_known) {
		req->lang = http_lang_pick(http_req_query(req, "lang"),
					   http_req_header(req, "Accept-Language"));
		req->lang_known = true;
	}
	return req->lang;
}

struct cs_arena *http_req_arena(struct http_req *req)
{
	return &req->arena;
}

struct http_db *http_req_db(struct http_req *req)
{
	struct cs_error err = {0};

	if (!req->db && http_dbpool_get(req->srv->pool, &req->db, &err) != CS_OK) {
		http_reply_internal(req, &err);
		return NULL;
	}
	return req->db;
}

const struct http_assets *http_req_assets(struct http_req *req)
{
	return req->srv->assets;
}

json_t *http_req_json_body(struct http_req *req)
{
	json_error_t jerr;

	if (req->json)
		return req->json;
	if (req->body.len == 0) {
		http_problem(req, 400, NULL, NULL, "empty body; expected a JSON object");
		return NULL;
	}
	/* Duplicate keys are refused: which one wins would be a guess. */
	req->json = json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req->json) {
		http_problem(req, 400, "malformed-json", NULL,
			     "malformed JSON at line %d, column %d: %s", jerr.line, jerr.column,
			     jerr.text);
		return NULL;
	}
	if (!json_is_object(req->json)) {
		http_problem(req, 400, "malformed-json", NULL,
			     "the body is a JSON %s; expected an object",
			     json_is_array(req->json) ? "array" : "value other than an object");
		return NULL;
	}
	return req->json;
}

bool http_json_only(struct http_req *req, json_t *obj, const char *const *names)
{
	const char *key;
	json_t *val;

	json_object_foreach(obj, key, val)
	{
		bool known = false;

		for (size_t i = 0; names[i] && !known; i++)
			known = strcmp(key, names[i]) == 0;
		if (!known) {
			http_problem(req, 400, "unknown-field", key,
				     "unknown field '%.64s'; expected one of the documented fields",
				     key);
			return false;
		}
	}
	return true;
}

bool http_json_string(struct http_req *req, json_t *obj, const char *field, size_t max,
		      bool required, const char **out)
{
	json_t *v = json_object_get(obj, field);
	const char *s;
	size_t len;

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (!required)
			return true;
		http_problem(req, 400, "missing-field", field, "%s: missing; it is required",
			     field);
		return false;
	}
	if (!json_is_string(v)) {
		http_problem(req, 400, "invalid-field", field, "%s: expected a string", field);
		return false;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (len == 0) {
		http_problem(req, 400, "invalid-field", field, "%s: empty; expected a value",
			     field);
		return false;
	}
	if (len > max) {
		http_problem(req, 400, "field-too-long", field,
			     "%s: %zu bytes long; expected at most %zu", field, len, max);
		return false;
	}
	if (!printable(s, len)) {
		http_problem(req, 400, "invalid-field", field,
			     "%s: has control characters; expected plain text", field);
		return false;
	}
	*out = s;
	return true;
}

void http_req_defer_write(struct http_req *req,
			  enum cs_err (*apply)(struct cs_store *s, void *arg, struct cs_error *err),
			  void *arg, unsigned flags)
{
	if (req->answered || req->write_wanted)
		return;
	req->write.apply = apply;
	req->write.arg = arg;
	req->write.flags = flags;
	req->write_wanted = true;
}

enum cs_err http_req_write_result(struct http_req *req, const struct cs_error **err)
{
	if (err)
		*err = &req->write.err;
	return req->write.rc;
}

void *http_req_write_arg(struct http_req *req)
{
	return req->write.arg;
}
