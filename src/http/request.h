/*
 * What a route handler sees of a request and how it answers: parameters,
 * query, headers, the body, a database handle, an arena for the request's
 * memory; JSON replies, problem replies (RFC 9457 application/problem+json)
 * and writes deferred to the write queue. The server (server.c) does the
 * rest: routing, limits, security headers, the access log.
 */
#ifndef CHISO_HTTP_REQUEST_H
#define CHISO_HTTP_REQUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "chiso/error.h"
#include "http/assets.h"
#include "http/dbpool.h"
#include "http/headers.h"
#include "http/writer.h"
#include "util/arena.h"
#include "util/buf.h"

struct http_req;

/* Caching of a reply. API data is never stored; pages revalidate by ETag. */
enum http_cache_control {
	HTTP_CACHE_NO_STORE,   /* "no-store": API data, errors */
	HTTP_CACHE_REVALIDATE, /* "no-cache": pages, revalidated by ETag */
	HTTP_CACHE_IMMUTABLE,  /* a year: assets named by their content's hash */
};

/* Longest value of a path parameter, in bytes. */
#define HTTP_PARAM_MAX 256

/* Largest JSON reply, in bytes. */
#define HTTP_REPLY_MAX (64u * 1024 * 1024)

/*
 * The path parameter name of the route's pattern as a NUL-terminated string in
 * the request's arena, or NULL when the pattern has none by that name. A value
 * longer than HTTP_PARAM_MAX bytes, not UTF-8 or with control characters
 * answers 400 naming the parameter and returns NULL as well, so a handler
 * returns at once on NULL.
 */
const char *http_req_param(struct http_req *req, const char *name);

/* The query parameter name (already percent-decoded), or NULL; owned by the request. */
const char *http_req_query(struct http_req *req, const char *name);

/* The request header name (any case), or NULL; owned by the request. */
const char *http_req_header(struct http_req *req, const char *name);

/* The request body (NUL-terminated), and its length; "" for none. */
const char *http_req_body(struct http_req *req, size_t *len);

/*
 * True when the server was told to trust the reverse proxy in front of it
 * (chiso serve --trust-proxy), whose X-Forwarded-Proto then says whether
 * the client used TLS.
 */
bool http_req_trust_proxy(struct http_req *req);

/* The language the client wants (?lang=, Accept-Language; Vietnamese by default). */
enum http_lang http_req_lang(struct http_req *req);

/* Memory freed with the request. */
struct cs_arena *http_req_arena(struct http_req *req);

/*
 * A read-only database handle for the rest of the request. On failure the
 * request has been answered with 500 (the cause goes to the server log) and
 * NULL is returned.
 */
struct http_db *http_req_db(struct http_req *req);

/* The embedded web assets, ready to serve. */
const struct http_assets *http_req_assets(struct http_req *req);

/*
 * Answers with status and json (a reference taken over by the reply, NULL
 * included: it is answered as 503 "out of memory"). Content type
 * application/json.
 */
void http_reply_json(struct http_req *req, unsigned status, json_t *json);

/*
 * Answers with bytes that outlive the server (embedded assets): nothing is
 * copied. type is the Content-Type.
 */
void http_reply_static(struct http_req *req, unsigned status, const char *type, const void *data,
		       size_t len);

/*
 * Answers with the bytes of b, written by the handler (a JSON document whose
 * bytes must equal what the command line prints, say), as content type type.
 * The bytes are moved, not copied: b is left empty and is still the caller's
 * to release.
 */
void http_reply_buf(struct http_req *req, unsigned status, const char *type, struct cs_buf *b);

/* Answers 304 Not Modified (no body). */
void http_reply_not_modified(struct http_req *req);

/*
 * Answers with a problem object {"type","title","status","detail","field"}:
 * type is "urn:chiso:problem:" and kind (NULL picks the status's generic kind
 * such as "not-found"), title the status's reason phrase, detail the
 * formatted message, field the JSON field or parameter at fault (NULL for
 * none). The message must name the field and the value and say what was
 * expected, and must not contain SQL, file paths or other internals.
 */
void http_problem(struct http_req *req, unsigned status, const char *kind, const char *field,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Answers 500 for an internal failure: the client learns nothing but
 * "internal error"; err's message goes to the server log with the request's
 * path. CS_ENOMEM answers 503 "out of memory, try again".
 */
void http_reply_internal(struct http_req *req, const struct cs_error *err);

/* Adds a response header (both strings are copied). */
void http_reply_header(struct http_req *req, const char *name, const char *value);

/* Sets how the reply may be cached (HTTP_CACHE_NO_STORE unless set). */
void http_reply_cache(struct http_req *req, enum http_cache_control cache);

/*
 * Reads the body as a JSON object. On failure the request has been answered
 * (400 with the parse position, or when the body is not an object) and NULL
 * is returned. The object is freed with the request.
 */
json_t *http_req_json_body(struct http_req *req);

/*
 * Checks the members of a request object against a list of known names:
 * false (after answering 400 naming the first unknown member) when obj has a
 * member not in names (NULL-terminated).
 */
bool http_json_only(struct http_req *req, json_t *obj, const char *const *names);

/*
 * Reads the string member field of obj. Returns true with *out (owned by obj)
 * set, or NULL when absent and not required. Answers 400 naming field and
 * returns false when it is required and missing, not a string, empty, longer
 * than max bytes, or holds control characters.
 */
bool http_json_string(struct http_req *req, json_t *obj, const char *field, size_t max,
		      bool required, const char **out);

/*
 * For HTTP_ROUTE_WRITE routes: queues a write that apply(store, arg) makes on
 * the writer's handle (see writer.h for flags), and answers later: the
 * route's finish runs once the write is durable or has failed, and reads the
 * outcome with http_req_write_result. arg must live as long as the request
 * (the arena). When the queue is closed the request is answered 503 at once.
 */
void http_req_defer_write(struct http_req *req,
			  enum cs_err (*apply)(struct cs_store *s, void *arg, struct cs_error *err),
			  void *arg, unsigned flags);

/* In finish: the outcome of the deferred write (its rc, and err filled). */
enum cs_err http_req_write_result(struct http_req *req, const struct cs_error **err);

/* The argument given to http_req_defer_write. */
void *http_req_write_arg(struct http_req *req);

#endif
