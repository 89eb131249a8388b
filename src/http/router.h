/*
 * The route table's shape and its matching: a route is a method, a path
 * pattern such as /api/v1/units/{code}, a handler and flags saying what the
 * server checks before the handler runs. Every route of the server is a row
 * of one table (routes.c).
 */
#ifndef CHISO_HTTP_ROUTER_H
#define CHISO_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/str.h"

struct http_req;

/* Methods as bits, so that a path's allowed methods form one Allow header. */
enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_PATCH = 1 << 4,
	HTTP_DELETE = 1 << 5,
	HTTP_OPTIONS = 1 << 6,
};

/* The method of a request line; 0 for one chiso does not know. */
enum http_method http_method_parse(const char *method);

/*
 * Writes the methods of a mask as an Allow header value ("GET, HEAD, POST");
 * a mask with GET implies HEAD. Returns out.
 */
const char *http_methods_list(unsigned mask, char *out, size_t size);

enum http_route_flags {
	/* The handler queues a write (http_req_defer_write); the response is
	 * built by finish once the write is on disk. */
	HTTP_ROUTE_WRITE = 1 << 0,
	/* Counts against the client's rate limit (submissions). */
	HTTP_ROUTE_LIMITED = 1 << 1,
	/* Needs the administrator's bearer token. */
	HTTP_ROUTE_ADMIN = 1 << 2,
	/* A page or asset rather than API data: cached by its ETag, not
	 * no-store. */
	HTTP_ROUTE_STATIC = 1 << 3,
	/* A 200 reply is kept and given again to the same URL (path and
	 * query) until the database changes: for GET handlers whose reply
	 * depends on nothing else (no headers, no language, no clock). */
	HTTP_ROUTE_CACHED = 1 << 4,
};

struct http_route {
	enum http_method method; /* one method; GET routes answer HEAD too */
	const char *pattern;	 /* "/api/v1/units/{code}"; {name*} takes the rest */
	void (*handle)(struct http_req *req);
	/* For HTTP_ROUTE_WRITE: builds the response once the write is done. */
	void (*finish)(struct http_req *req);
	unsigned flags;	   /* enum http_route_flags */
	size_t max_body;   /* largest request body in bytes; 0 takes none */
	const char *media; /* the Content-Type a body must have ("application/json") */
};

/* Most parameters a pattern may have. */
#define HTTP_PARAMS_MAX 4

/* The values a matched pattern gave its parameters: slices of the path. */
struct http_params {
	size_t n;
	struct {
		const char *name; /* points into the pattern: "code}" up to the '}' */
		size_t name_len;
		struct cs_str value;
	} v[HTTP_PARAMS_MAX];
};

/*
 * True when path matches pattern, filling params. A {name} segment matches
 * one non-empty segment; a final {name*} matches the non-empty rest, slashes
 * included. Everything else compares byte for byte.
 */
bool http_pattern_match(const char *pattern, const char *path, struct http_params *params);

/*
 * The first of n routes whose method is method (GET for HEAD) and whose
 * pattern matches path, with params filled. NULL when none: *allow then has
 * the methods the path would take (0 when no pattern matches: a 404 rather
 * than a 405).
 */
const struct http_route *http_route_find(const struct http_route *routes, size_t n,
					 enum http_method method, const char *path,
					 struct http_params *params, unsigned *allow);

/* The parameter named name (NUL-terminated), or false. */
bool http_params_get(const struct http_params *params, const char *name, struct cs_str *out);

#endif
