/*
 * /api/v1/periods: the periods results belong to (METHODOLOGY M1). Listing is
 * public; adding one is for the administrator, and goes through the write
 * queue like every write of the server.
 */
#include <stdio.h>
#include <string.h>

#include "http/request.h"
#include "http/routes.h"
#include "store/unit_store.h"
#include "util/date.h"
#include "util/vec.h"

#include "util/banned.h"

static json_t *period_json(const struct cs_period *p)
{
	return json_pack("{s:s, s:s, s:s}", "code", p->code, "starts", p->starts, "ends", p->ends);
}

/* Loads every period into out; false after answering on failure. */
static bool load(struct http_req *req, struct cs_vec *out)
{
	struct http_db *db = http_req_db(req);
	struct cs_error err = {0};

	if (!db)
		return false;
	if (cs_period_store_list(db->store, out, &err) != CS_OK) {
		http_reply_internal(req, &err);
		return false;
	}
	return true;
}

void api_periods_list(struct http_req *req)
{
	struct cs_vec periods;
	json_t *arr = json_array();

	cs_vec_init(&periods, sizeof(struct cs_period), 0);
	if (!load(req, &periods)) {
		json_decref(arr);
		goto out;
	}
	for (size_t i = 0; arr && i < periods.len; i++) {
		if (json_array_append_new(arr, period_json(cs_vec_at(&periods, i))) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	http_reply_json(req, 200, arr ? json_pack("{s:o}", "periods", arr) : NULL);
out:
	cs_vec_release(&periods);
}

void api_periods_get(struct http_req *req)
{
	const char *code = http_req_param(req, "code");
	struct cs_vec periods;

	if (!code)
		return;
	cs_vec_init(&periods, sizeof(struct cs_period), 0);
	if (!load(req, &periods))
		goto out;
	for (size_t i = 0; i < periods.len; i++) {
		const struct cs_period *p = cs_vec_at(&periods, i);

		if (strcmp(p->code, code) == 0) {
			http_reply_json(req, 200, period_json(p));
			goto out;
		}
	}
	http_problem(req, 404, NULL, "code", "code: no period with code '%.64s'", code);
out:
	cs_vec_release(&periods);
}

/* Letters, digits, '-', '_' and '.': the codes `chiso period add` takes. */
static bool valid_code(const char *s)
{
	for (; *s; s++) {
		char c = *s;

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

/* Reads an ISO date member into iso; false after answering 400. */
static bool read_date(struct http_req *req, json_t *obj, const char *field, char iso[CS_DATE_LEN])
{
	struct cs_error err = {0};
	const char *s;

	if (!http_json_string(req, obj, field, 10, true, &s))
		return false;
	/* The API takes the machine form only; DD/MM/YYYY is for people. */
	if (strlen(s) != 10 || s[4] != '-' || cs_date_parse(cs_str_from(s), iso, &err) != CS_OK) {
		http_problem(req, 400, "invalid-field", field,
			     "%s: '%s' is not a date; expected YYYY-MM-DD", field, s);
		return false;
	}
	return true;
}

static enum cs_err add_period(struct cs_store *s, void *arg, struct cs_error *err)
{
	return cs_period_store_add(s, arg, err);
}

void api_periods_add(struct http_req *req)
{
	static const char *const fields[] = {"code", "starts", "ends", NULL};
	struct cs_period *p;
	const char *code;
	json_t *body = http_req_json_body(req);

	if (!body || !http_json_only(req, body, fields))
		return;
	if (!http_json_string(req, body, "code", sizeof(p->code) - 1, true, &code))
		return;
	if (!valid_code(code)) {
		http_problem(req, 400, "invalid-field", "code",
			     "code: '%s'; expected letters, digits, '-', '_' or '.'", code);
		return;
	}
	p = cs_arena_calloc(http_req_arena(req), 1, sizeof(*p));
	if (!p) {
		http_reply_json(req, 503, NULL);
		return;
	}
	snprintf(p->code, sizeof(p->code), "%s", code);
	if (!read_date(req, body, "starts", p->starts) || !read_date(req, body, "ends", p->ends))
		return;
	if (strcmp(p->starts, p->ends) > 0) {
		http_problem(req, 422, NULL, "ends", "ends: %s is before starts %s", p->ends,
			     p->starts);
		return;
	}
	/* cs_period_store_add commits on its own: the write runs alone. */
	http_req_defer_write(req, add_period, p, HTTP_WRITE_OWN_TXN);
}

void api_periods_add_done(struct http_req *req)
{
	const struct cs_period *p = http_req_write_arg(req);
	const struct cs_error *err;
	char location[64];

	switch (http_req_write_result(req, &err)) {
	case CS_OK:
		snprintf(location, sizeof(location), "/api/v1/periods/%s", p->code);
		http_reply_header(req, "Location", location);
		http_reply_json(req, 201, period_json(p));
		break;
	case CS_EEXIST:
		http_problem(req, 409, NULL, "code", "code: period '%s' already exists", p->code);
		break;
	default:
		http_reply_internal(req, err);
		break;
	}
}
