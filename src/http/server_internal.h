/*
 * The server's and the request's insides, shared by server.c (the daemon and
 * its callbacks) and request.c (what handlers call). Nothing else includes
 * this file: handlers go through request.h.
 */
#ifndef CHISO_HTTP_SERVER_INTERNAL_H
#define CHISO_HTTP_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "http/assets.h"
#include "http/dbpool.h"
#include "http/headers.h"
#include "http/ratelimit.h"
#include "http/request.h"
#include "http/router.h"
#include "http/server.h"
#include "http/writer.h"
#include "util/arena.h"
#include "util/buf.h"

struct http_server {
	char url[HTTP_URL_MAX];
	int listen_fd;
	struct MHD_Daemon *mhd;
	struct cs_store *store; /* the writer's handle, opened first (migrates) */
	struct http_writer *writer;
	struct http_dbpool *pool;
	struct http_ratelimit *limit; /* NULL: no rate limit */
	struct http_assets *assets;
	char *admin_token; /* NULL: admin routes answer 403 */
	FILE *log;
	unsigned drain_ms;
	bool trust_proxy; /* X-Forwarded-Proto is honoured (--trust-proxy) */

	atomic_uint active; /* requests between their first call and completion */
	pthread_mutex_t mu; /* guards what follows */
	pthread_cond_t cv;  /* signalled when active or suspended drop while draining */
	bool draining;	    /* stop has begun: replies close their connection */
	bool closing;	    /* no more writes may be deferred */
	unsigned suspended; /* connections waiting on the writer */
};

/* Where a request is in its life. */
enum http_phase {
	HTTP_PHASE_BODY,     /* receiving the body */
	HTTP_PHASE_DEFERRED, /* waiting on the writer (connection suspended) */
	HTTP_PHASE_ANSWERED, /* a reply is queued */
};

#define HTTP_REPLY_HEADERS_MAX 8

struct http_req {
	struct http_server *srv;
	struct MHD_Connection *conn;
	const struct http_route *route;
	struct http_params params;
	enum http_method method;
	const char *method_name; /* for the log; owned by the request */
	const char *path;	 /* decoded path, owned by the request */
	struct timespec started; /* monotonic */
	struct timespec wall;	 /* when it started, for the log */
	struct cs_arena arena;
	enum http_phase phase;

	struct cs_buf body;
	size_t body_seen; /* bytes received, kept or not */
	bool body_too_big;
	json_t *json;
	struct http_db *db;
	bool lang_known;
	enum http_lang lang;

	/* The reply, built by the handler and queued by the server. */
	bool answered;
	unsigned status;
	const char *type;
	struct cs_buf out;
	const void *static_data; /* when set, the body instead of out */
	size_t static_len;
	enum http_cache_control cache;
	size_t nheaders;
	struct {
		const char *name, *value;
	} headers[HTTP_REPLY_HEADERS_MAX];
	size_t bytes; /* body bytes queued, for the log */

	/* Where a cacheable reply goes (HTTP_ROUTE_CACHED). */
	const char *cache_key; /* NULL: not cached */
	uint64_t cache_version;

	/* A deferred write. */
	struct http_write write;
	bool write_wanted;  /* the handler asked for one */
	bool write_refused; /* the queue was closed */
	bool suspended;	    /* counted in srv->suspended */
};

/* Writes a line "chiso: error: ..." to the server's log, if any. */
void http_server_log_error(struct http_server *srv, const char *path, const char *msg);

#endif
