/*
 * Who asks, and may they: the session behind a request's cookie, the roles a
 * route admits, the CSRF token and same-origin checks that every change must
 * pass, and the units an account may see. Every workspace handler starts with
 * auth_require; docs/internals/auth.md explains the whole scheme.
 */
#ifndef CHISO_HTTP_AUTH_H
#define CHISO_HTTP_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/unit.h"
#include "store/user_store.h"
#include "util/str.h"

struct http_req;

/* The session cookie's name. */
#define AUTH_COOKIE "chiso_session"
/* The request header that carries the CSRF token. */
#define AUTH_CSRF_HEADER "X-CSRF-Token"

/* A set of roles, as bits: AUTH_ROLE(CS_ROLE_ADMIN) | AUTH_ROLE(CS_ROLE_VIEWER). */
#define AUTH_ROLE(r) (1u << (r))
#define AUTH_ANY_ROLE ((1u << CS_ROLE_COUNT_) - 1)

/*
 * The value of cookie name in a Cookie header (may be NULL) as a slice of it:
 * true when present. Pairs are separated by ';' with optional spaces; the
 * first pair of that name wins.
 */
bool auth_cookie_get(const char *cookie_header, const char *name, struct cs_str *out);

/*
 * True when a state-changing request comes from this server's own pages:
 * its Origin (or, without one, its Referer) has the scheme (https when
 * https, else http) and the host (host, the Host header) of the server. A
 * request with neither header (a command-line client; browsers always send
 * Origin with such requests) passes: the CSRF token still guards it.
 */
bool auth_same_origin(const char *origin, const char *referer, const char *host, bool https);

/*
 * True when the request came over TLS: chiso itself speaks plain HTTP, so
 * only behind a reverse proxy that terminates TLS, when the server trusts
 * its X-Forwarded-Proto (chiso serve --trust-proxy).
 */
bool auth_request_https(struct http_req *req);

/*
 * The Set-Cookie value that starts (token) or ends (token NULL) a session:
 * HttpOnly, SameSite=Strict, Path=/, Max-Age (0 to end it), and Secure
 * when https. Written into out (size bytes).
 */
void auth_cookie_value(const char *token, bool https, char *out, size_t size);

/* What a route handler learns of the person asking. */
struct auth_user {
	struct cs_session session; /* the session and its account */
};

/* Flags of auth_require. */
enum auth_flags {
	/* A change: the CSRF token and the origin are checked. */
	AUTH_CHANGE = 1 << 0,
};

/*
 * Resolves the session of the request's cookie into *out and checks it: 401
 * when there is none (or it expired, or the account is disabled); 403 when
 * the account's role is not in roles; for AUTH_CHANGE, 403 when the Origin
 * is another site's or X-CSRF-Token is missing or wrong. Returns false after
 * answering, so a handler returns at once. Uses the request's read handle.
 */
bool auth_require(struct http_req *req, unsigned roles, unsigned flags, struct auth_user *out);

/*
 * True when the account may see unit unit_id: any account but a unit
 * officer; a unit officer for its unit and, with subtree, the units below
 * it. units is the stored set (cs_unit_store_load).
 */
bool auth_unit_allowed(const struct cs_user *u, const struct cs_unit_set *units, int64_t unit_id);

/*
 * Waits for one of the few slots in which a password may be checked
 * (argon2id takes 64 MiB each), at most a few seconds: false when none came
 * free (the caller answers 503). auth_hash_leave gives the slot back.
 */
bool auth_hash_enter(void);
void auth_hash_leave(void);

#endif
