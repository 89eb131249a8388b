/*
 * Sessions, roles, CSRF and same-origin checks for the workspace routes, and
 * the unit scope of unit officers. The session is looked up on the request's
 * read handle at every request: a disabled account or a sign-out takes
 * effect at the next request, and nothing about a session is kept in memory.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/auth.h"
#include "http/request.h"

#include "util/banned.h"

bool auth_cookie_get(const char *cookie_header, const char *name, struct cs_str *out)
{
	struct cs_str rest, pair;
	size_t nlen = strlen(name);

	if (!cookie_header)
		return false;
	rest = cs_str_from(cookie_header);
	while (cs_str_next(&rest, ';', &pair)) {
		struct cs_str p = cs_str_trim(pair);

		if (p.len > nlen + 1 && memcmp(p.ptr, name, nlen) == 0 && p.ptr[nlen] == '=') {
			*out = cs_str_make(p.ptr + nlen + 1, p.len - nlen - 1);
			return true;
		}
	}
	return false;
}

/* True when url is scheme://host exactly, or that followed by a path. */
static bool origin_is(const char *url, const char *host, bool https)
{
	const char *scheme = https ? "https://" : "http://";
	size_t sl = strlen(scheme), hl = strlen(host);

	if (strncmp(url, scheme, sl) != 0 || strlen(url + sl) < hl ||
	    strncmp(url + sl, host, hl) != 0)
		return false;
	return url[sl + hl] == '\0' || url[sl + hl] == '/';
}

bool auth_same_origin(const char *origin, const char *referer, const char *host, bool https)
{
	if (!host || !*host)
		return !origin && !referer;
	if (origin)
		return origin_is(origin, host, https);
	if (referer)
		return origin_is(referer, host, https);
	return true;
}

bool auth_request_https(struct http_req *req)
{
	const char *proto;

	if (!http_req_trust_proxy(req))
		return false;
	proto = http_req_header(req, "X-Forwarded-Proto");
	return proto && cs_str_eq_nocase(cs_str_trim(cs_str_from(proto)), "https");
}

void auth_cookie_value(const char *token, bool https, char *out, size_t size)
{
	snprintf(out, size, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", AUTH_COOKIE,
		 token ? token : "", token ? CS_SESSION_LIFETIME : 0, https ? "; Secure" : "");
}

/* A session token is 43 characters of URL-safe base64. */
static bool token_shape(struct cs_str t)
{
	if (t.len != CS_SESSION_TOKEN_LEN - 1)
		return false;
	for (size_t i = 0; i < t.len; i++) {
		char c = t.ptr[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Writes the roles of a mask as "admin or appraiser". */
static void roles_text(unsigned roles, char *out, size_t size)
{
	size_t len = 0, n = 0, total = 0;

	out[0] = '\0';
	for (int r = 0; r < CS_ROLE_COUNT_; r++)
		total += (roles & AUTH_ROLE(r)) != 0;
	for (int r = 0; r < CS_ROLE_COUNT_ && len < size; r++) {
		int w;

		if (!(roles & AUTH_ROLE(r)))
			continue;
		n++;
		w = snprintf(out + len, size - len, "%s%s",
			     n == 1	  ? ""
			     : n == total ? " or "
					  : ", ",
			     cs_role_name((enum cs_role)r));
		if (w < 0)
			return;
		len += (size_t)w;
	}
}

bool auth_require(struct http_req *req, unsigned roles, unsigned flags, struct auth_user *out)
{
	char hash[CS_SHA256_HEX_LEN], tok[CS_SESSION_TOKEN_LEN], need[128];
	struct cs_error err = {0};
	struct http_db *db;
	struct cs_str t;
	bool found = false;

	memset(out, 0, sizeof(*out));
	if (!auth_cookie_get(http_req_header(req, "Cookie"), AUTH_COOKIE, &t) || !token_shape(t)) {
		http_reply_header(req, "WWW-Authenticate", "Session realm=\"chiso\"");
		http_problem(req, 401, "not-signed-in", NULL,
			     "not signed in; sign in with POST /api/v1/session");
		return false;
	}
	memcpy(tok, t.ptr, t.len);
	tok[t.len] = '\0';
	cs_session_token_sha256(tok, hash);
	sodium_memzero(tok, sizeof(tok));
	if (!(db = http_req_db(req)))
		return false;
	if (cs_session_find(db->store, hash, (int64_t)time(NULL), &out->session, &found, &err)) {
		http_reply_internal(req, &err);
		return false;
	}
	if (!found) {
		http_reply_header(req, "WWW-Authenticate", "Session realm=\"chiso\"");
		http_problem(req, 401, "not-signed-in", NULL,
			     "the session has ended (signed out, expired or the account disabled); "
			     "sign in again");
		return false;
	}
	if (!(roles & AUTH_ROLE(out->session.user.role))) {
		roles_text(roles, need, sizeof(need));
		http_problem(req, 403, NULL, NULL,
			     "this needs the role %s; '%s' is signed in as %s", need,
			     out->session.user.login, cs_role_name(out->session.user.role));
		return false;
	}
	if (flags & AUTH_CHANGE) {
		const char *origin = http_req_header(req, "Origin");
		const char *csrf = http_req_header(req, AUTH_CSRF_HEADER);
		size_t want = strlen(out->session.csrf);

		if (!auth_same_origin(origin, http_req_header(req, "Referer"),
				      http_req_header(req, "Host"), auth_request_https(req))) {
			http_problem(req, 403, "cross-origin", "Origin",
				     "Origin '%.100s': changes are taken from this server's own "
				     "pages only",
				     origin ? origin : "(none)");
			return false;
		}
		if (!csrf || strlen(csrf) != want ||
		    sodium_memcmp(csrf, out->session.csrf, want) != 0) {
			http_problem(req, 403, "csrf", AUTH_CSRF_HEADER,
				     "%s: %s; send the token that POST /api/v1/session or GET "
				     "/api/v1/session gave",
				     AUTH_CSRF_HEADER, csrf ? "wrong token" : "missing");
			return false;
		}
	}
	return true;
}

bool auth_unit_allowed(const struct cs_user *u, const struct cs_unit_set *units, int64_t unit_id)
{
	const struct cs_unit *at = NULL;
	size_t hops = 0;

	if (u->role != CS_ROLE_UNIT_OFFICER)
		return true;
	if (unit_id == u->unit_id)
		return true;
	if (!u->subtree)
		return false;
	for (size_t i = 0; i < units->units.len; i++)
		if (cs_unit_set_at(units, i)->id == unit_id)
			at = cs_unit_set_at(units, i);
	/* Up the tree by parent codes; the depth bound guards against a cycle. */
	while (at && at->parent && hops++ < units->units.len) {
		const struct cs_unit *parent = NULL;

		for (size_t i = 0; i < units->units.len && !parent; i++)
			if (strcmp(cs_unit_set_at(units, i)->code, at->parent) == 0)
				parent = cs_unit_set_at(units, i);
		if (parent && parent->id == u->unit_id)
			return true;
		at = parent;
	}
	return false;
}

/* At most this many password checks at once: each takes 64 MiB. */
#define HASH_SLOTS 2
/* The longest wait for a slot, in seconds. */
#define HASH_WAIT 5

static pthread_mutex_t hash_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_cv = PTHREAD_COND_INITIALIZER;
static unsigned hash_busy;

bool auth_hash_enter(void)
{
	struct timespec deadline;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += HASH_WAIT;
	pthread_mutex_lock(&hash_mu);
	while (hash_busy >= HASH_SLOTS && ok)
		ok = pthread_cond_timedwait(&hash_cv, &hash_mu, &deadline) != ETIMEDOUT ||
		     hash_busy < HASH_SLOTS;
	if (ok)
		hash_busy++;
	pthread_mutex_unlock(&hash_mu);
	return ok;
}

void auth_hash_leave(void)
{
	pthread_mutex_lock(&hash_mu);
	hash_busy--;
	pthread_cond_signal(&hash_cv);
	pthread_mutex_unlock(&hash_mu);
}
