/*
 * Signing in and out of the workspace: POST /api/v1/session checks a login
 * and password (argon2id, a few at a time), throttles an account after
 * repeated failures and starts a session in an HttpOnly, SameSite=Strict
 * cookie; GET tells the page who is signed in with the CSRF token; DELETE
 * signs out. Sessions and failures are written through the write queue.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/auth.h"
#include "http/request.h"
#include "http/workspace_routes.h"
#include "util/buf.h"

#include "util/banned.h"

/* Writes Unix seconds as "YYYY-MM-DDTHH:MM:SSZ". */
static void iso_time(int64_t t, char out[CS_STORE_TIME_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(out, CS_STORE_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, CS_STORE_TIME_LEN, "1970-01-01T00:00:00Z");
}

/* The reply describing a signed-in account. */
static json_t *session_json(const struct cs_user *u, const char *csrf, int64_t expires_at)
{
	char exp[CS_STORE_TIME_LEN];

	iso_time(expires_at, exp);
	return json_pack("{s:s, s:s, s:s, s:s?, s:b, s:s, s:s}", "login", u->login, "name", u->name,
			 "role", cs_role_name(u->role), "unit", u->unit[0] ? u->unit : NULL,
			 "subtree", u->subtree, "csrf", csrf, "expires_at", exp);
}

/* What a sign-in writes: a new session, or one more failure. */
struct login_write {
	bool ok;
	bool https;
	int64_t now;
	struct cs_user user;
	char token[CS_SESSION_TOKEN_LEN];
	char token_sha256[CS_SHA256_HEX_LEN];
	char csrf[CS_SESSION_TOKEN_LEN];
	int64_t failures, until; /* after a failure */
};

static enum cs_err login_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct login_write *w = arg;

	if (w->ok)
		return cs_session_add(s, w->user.id, w->token_sha256, w->csrf, w->now, err);
	return cs_user_login_failed(s, w->user.id, w->now, &w->failures, &w->until, err);
}

void api_session_create(struct http_req *req)
{
	static const char *const fields[] = {"login", "password", NULL};
	struct login_write *w = cs_arena_calloc(http_req_arena(req), 1, sizeof(*w));
	const char *login = NULL, *password = NULL;
	struct cs_error err = {0};
	struct http_db *db;
	bool found = false, ok;
	json_t *body;

	if (!w) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return;
	}
	/* A sign-in from another site's page would be a login CSRF. */
	if (!auth_same_origin(http_req_header(req, "Origin"), http_req_header(req, "Referer"),
			      http_req_header(req, "Host"), auth_request_https(req))) {
		http_problem(req, 403, "cross-origin", "Origin",
			     "Origin '%.100s': sign in from this server's own pages",
			     http_req_header(req, "Origin") ? http_req_header(req, "Origin")
							    : "(none)");
		return;
	}
	if (!(body = http_req_json_body(req)) || !http_json_only(req, body, fields) ||
	    !http_json_string(req, body, "login", CS_LOGIN_MAX, true, &login) ||
	    !http_json_string(req, body, "password", CS_PASSWORD_MAX, true, &password) ||
	    !(db = http_req_db(req)))
		return;
	if (cs_user_find(db->store, login, &w->user, &found, &err)) {
		http_reply_internal(req, &err);
		return;
	}
	w->now = (int64_t)time(NULL);
	w->https = auth_request_https(req);
	if (found && w->user.throttled_until > w->now) {
		char secs[24];

		snprintf(secs, sizeof(secs), "%lld", (long long)(w->user.throttled_until - w->now));
		http_reply_header(req, "Retry-After", secs);
		http_problem(req, 429, "throttled", "login",
			     "login '%s': %lld failed sign-ins in a row; try again in %s s",
			     w->user.login, (long long)w->user.failed_logins, secs);
		return;
	}
	if (!auth_hash_enter()) {
		http_reply_header(req, "Retry-After", "5");
		http_problem(req, 503, NULL, NULL, "too many sign-ins at once; try again");
		return;
	}
	/* An unknown login costs the same time as a known one. */
	ok = cs_password_verify(found ? w->user.password_hash : NULL, password, strlen(password));
	auth_hash_leave();
	sodium_memzero(w->user.password_hash, sizeof(w->user.password_hash));
	if (!found) {
		http_problem(req, 401, "wrong-credentials", NULL,
			     "the login or the password is wrong");
		return;
	}
	if (ok && w->user.disabled) {
		http_problem(req, 403, "account-disabled", "login",
			     "login '%s': the account is disabled; ask an administrator",
			     w->user.login);
		return;
	}
	w->ok = ok;
	if (ok) {
		if (cs_session_tokens(w->token, w->csrf, &err)) {
			http_reply_internal(req, &err);
			return;
		}
		cs_session_token_sha256(w->token, w->token_sha256);
	}
	http_req_defer_write(req, login_apply, w, 0);
}

void api_session_create_done(struct http_req *req)
{
	struct login_write *w = http_req_write_arg(req);
	const struct cs_error *err = NULL;
	char cookie[160];

	if (http_req_write_result(req, &err) != CS_OK) {
		http_reply_internal(req, err);
		return;
	}
	if (!w->ok) {
		if (w->until)
			http_problem(req, 401, "wrong-credentials", NULL,
				     "the login or the password is wrong; after %lld failures in "
				     "a row the account waits %lld s before the next try",
				     (long long)w->failures, (long long)(w->until - w->now));
		else
			http_problem(req, 401, "wrong-credentials", NULL,
				     "the login or the password is wrong");
		return;
	}
	auth_cookie_value(w->token, w->https, cookie, sizeof(cookie));
	sodium_memzero(w->token, sizeof(w->token));
	http_reply_header(req, "Set-Cookie", cookie);
	http_reply_json(req, 201, session_json(&w->user, w->csrf, w->now + CS_SESSION_LIFETIME));
}

void api_session_get(struct http_req *req)
{
	struct auth_user me;

	if (!auth_require(req, AUTH_ANY_ROLE, 0, &me))
		return;
	http_reply_json(req, 200,
			session_json(&me.session.user, me.session.csrf, me.session.expires_at));
}

static enum cs_err logout_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	return cs_session_delete(s, *(int64_t *)arg, err);
}

void api_session_delete(struct http_req *req)
{
	struct auth_user me;
	int64_t *id;

	if (!auth_require(req, AUTH_ANY_ROLE, AUTH_CHANGE, &me))
		return;
	id = cs_arena_alloc(http_req_arena(req), sizeof(*id));
	if (!id) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return;
	}
	*id = me.session.id;
	http_req_defer_write(req, logout_apply, id, 0);
}

void api_session_delete_done(struct http_req *req)
{
	const struct cs_error *err = NULL;
	char cookie[160];

	if (http_req_write_result(req, &err) != CS_OK) {
		http_reply_internal(req, err);
		return;
	}
	auth_cookie_value(NULL, auth_request_https(req), cookie, sizeof(cookie));
	http_reply_header(req, "Set-Cookie", cookie);
	http_reply_static(req, 204, NULL, "", 0);
}
