/*
 * The daemon: listening socket, libmicrohttpd's worker threads and callbacks,
 * the checks made before a handler runs (route, method, rate limit, admin
 * token, content type, body size), deferred writes through suspend and
 * resume, replies with the security headers, the access log and the graceful
 * stop. How it fits together: docs/internals/http.md.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/cache.h"
#include "http/routes.h"
#include "http/server_internal.h"
#include "store/store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* Sent with every reply: no inline scripts or styles, no framing, no sniffing. */
static const struct {
	const char *name;
	const char *value;
} security_headers[] = {
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	 "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
	{"X-Frame-Options", "DENY"},
};

static const char *const cache_control[] = {
	[HTTP_CACHE_NO_STORE] = "no-store",
	[HTTP_CACHE_REVALIDATE] = "no-cache",
	[HTTP_CACHE_IMMUTABLE] = "public, max-age=31536000, immutable",
};

/* Bytes of a body read and thrown away past max_body before the connection is cut. */
#define DISCARD_MAX (1024u * 1024)

/* A request's arena: small blocks, and a cap well above any legitimate use. */
#define REQ_ARENA_BLOCK 4096
#define REQ_ARENA_MAX (16u * 1024 * 1024)

static double mono_seconds(const struct timespec *ts)
{
	return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

void http_server_log_error(struct http_server *srv, const char *path, const char *msg)
{
	char line[1024];
	int n;

	if (!srv->log)
		return;
	n = snprintf(line, sizeof(line), "chiso: error: %s: %s\n", path ? path : "-", msg);
	if (n > 0)
		fwrite(line, 1, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1, srv->log);
}

/* Copies s into out with control characters, spaces and quotes escaped, for the log. */
static void log_escape(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (; s && *s && o + 5 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c == 0x7f || c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, size, "-");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)size);
}

/* One line per request: time, client, method, path, status, body bytes, milliseconds. */
static void log_access(struct http_req *req)
{
	struct http_server *srv = req->srv;
	char when[32], client[INET6_ADDRSTRLEN], path[512], method[24], line[1024];
	struct timespec now;
	struct tm tm;
	double ms;
	int n;

	if (!srv->log)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (mono_seconds(&now) - mono_seconds(&req->started)) * 1000;
	if (!gmtime_r(&req->wall.tv_sec, &tm) ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(when, sizeof(when), "-");
	client_address(req->conn, client, sizeof(client));
	log_escape(req->path, path, sizeof(path));
	log_escape(req->method_name, method, sizeof(method));
	n = snprintf(line, sizeof(line), "%s.%03ldZ %s %s %s %u %zu %.1f\n", when,
		     req->wall.tv_nsec / 1000000, client, method, path, req->status, req->bytes,
		     ms);
	/* One fwrite per line: stdio's lock keeps lines from interleaving. */
	if (n > 0)
		fwrite(line, 1, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1, srv->log);
}

static struct http_req *req_new(struct http_server *srv, struct MHD_Connection *conn,
				const char *url, const char *method)
{
	struct http_req *req = cs_calloc(1, sizeof(*req));

	if (!req)
		return NULL;
	req->srv = srv;
	req->conn = conn;
	clock_gettime(CLOCK_MONOTONIC, &req->started);
	clock_gettime(CLOCK_REALTIME, &req->wall);
	cs_arena_init(&req->arena, REQ_ARENA_BLOCK);
	cs_arena_set_max(&req->arena, REQ_ARENA_MAX);
	cs_buf_init(&req->body, 0);
	cs_buf_init(&req->out, HTTP_REPLY_MAX);
	req->method = http_method_parse(method);
	req->path = cs_arena_strndup(&req->arena, url, strlen(url));
	req->method_name = cs_arena_strndup(&req->arena, method, strlen(method));
	if (!req->path || !req->method_name) {
		cs_arena_release(&req->arena);
		cs_free(req);
		return NULL;
	}
	return req;
}

static void req_free(struct http_req *req)
{
	http_dbpool_put(req->srv->pool, req->db);
	json_decref(req->json);
	cs_buf_release(&req->body);
	cs_buf_release(&req->out);
	cs_arena_release(&req->arena);
	cs_free(req);
}

/* Gives the database handle back as soon as the handler is done with it. */
static void release_db(struct http_req *req)
{
	http_dbpool_put(req->srv->pool, req->db);
	req->db = NULL;
}

static bool add_header(struct MHD_Response *r, const char *name, const char *value)
{
	return MHD_add_response_header(r, name, value) == MHD_YES;
}

/* Queues the reply the handler built. */
static enum MHD_Result send_reply(struct http_req *req)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	bool ok = true;
	size_t len;

	if (!req->answered)
		http_reply_internal(req, &(struct cs_error){CS_EINTERNAL, "handler gave no reply"});
	if (req->static_data) {
		len = req->static_len;
		r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)req->static_data,
						    MHD_RESPMEM_PERSISTENT);
	} else {
		char *data = cs_buf_detach(&req->out, &len);

		r = data ? MHD_create_response_from_buffer_with_free_callback(len, data, cs_free)
			 : NULL;
		if (!r)
			cs_free(data);
	}
	if (!r)
		return MHD_NO; /* out of memory: closing the connection is all that is left */
	for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		ok = ok && add_header(r, security_headers[i].name, security_headers[i].value);
	ok = ok && add_header(r, "Cache-Control", cache_control[req->cache]);
	if (req->type)
		ok = ok && add_header(r, "Content-Type", req->type);
	for (size_t i = 0; i < req->nheaders; i++)
		ok = ok && add_header(r, req->headers[i].name, req->headers[i].value);
	/* While stopping, a kept-alive connection would only be cut later. */
	if (req->srv->draining)
		ok = ok && add_header(r, "Connection", "close");
	if (!ok) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	ret = MHD_queue_response(req->conn, req->status, r);
	/* Kept for the next request of the same URL, or let go: the
	 * connection holds its own reference until it is sent. */
	if (!req->cache_key || req->status != 200 || req->srv->draining || !req->db ||
	    !http_cache_put(req->db->cache, req->cache_key, req->cache_version, r, len))
		MHD_destroy_response(r);
	req->phase = HTTP_PHASE_ANSWERED;
	req->bytes = len;
	return ret;
}

/*
 * Appends decoded query text to a cache key with the separators escaped
 * again, so that ?a=x%26b=y (one argument) and ?a=x&b=y (two) make
 * different keys.
 */
static bool add_escaped(struct cs_buf *b, const char *s)
{
	for (; *s; s++) {
		bool sep = *s == '%' || *s == '&' || *s == '=' || *s == '?';

		if (sep ? cs_buf_addf(b, NULL, "%%%02X", (unsigned char)*s) != CS_OK
			: cs_buf_addc(b, *s, NULL) != CS_OK)
			return false;
	}
	return true;
}

/* Appends one query argument to the cache key. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct cs_buf *b = cls;

	(void)kind;
	if (cs_buf_addc(b, b->len ? '&' : '?', NULL) || !add_escaped(b, key) ||
	    (value && (cs_buf_addc(b, '=', NULL) || !add_escaped(b, value)))) {
		b->max = 0; /* marks the key as unusable */
		return MHD_NO;
	}
	return MHD_YES;
}

/*
 * Answers from the handle's cache when the route allows and the reply for
 * this URL is still current; otherwise notes where the reply will go.
 * Returns true when answered.
 */
static bool from_cache(struct http_req *req, enum MHD_Result *ret)
{
	struct cs_error err = {0};
	struct MHD_Response *r;
	struct http_db *db;
	struct cs_buf args;
	uint64_t version;
	size_t len = 0;
	char *key;

	if (!(req->route->flags & HTTP_ROUTE_CACHED) || req->srv->draining)
		return false;
	db = http_req_db(req);
	if (!db) {
		*ret = send_reply(req);
		return true;
	}
	if (http_db_version(db, &version, &err) != CS_OK)
		return false;
	cs_buf_init(&args, 2048);
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_arg, &args);
	key = args.max ? cs_arena_strndup(&req->arena, req->path, strlen(req->path)) : NULL;
	if (key && args.len) {
		char *k = cs_arena_alloc(&req->arena, strlen(key) + args.len + 1);

		if (k) {
			memcpy(k, key, strlen(key));
			memcpy(k + strlen(key), args.data, args.len + 1);
		}
		key = k;
	}
	cs_buf_release(&args);
	if (!key)
		return false;
	r = http_cache_get(db->cache, key, version, &len);
	if (!r) {
		req->cache_key = key;
		req->cache_version = version;
		return false;
	}
	*ret = MHD_queue_response(req->conn, 200, r);
	req->answered = true;
	req->status = 200;
	req->bytes = len;
	req->phase = HTTP_PHASE_ANSWERED;
	return true;
}

/* The checks before a route's handler: method, rate limit, token, body headers. */
static bool admit(struct http_req *req, unsigned allow)
{
	struct http_server *srv = req->srv;
	const struct http_route *rt = req->route;
	const char *cl;

	if (!rt) {
		char list[96];

		if (!allow) {
			http_problem(req, 404, NULL, NULL, "no such resource: %.200s", req->path);
			return false;
		}
		http_reply_header(req, "Allow", http_methods_list(allow, list, sizeof(list)));
		http_problem(req, 405, NULL, NULL, "method %.16s not allowed here; allowed: %s",
			     req->method_name, list);
		return false;
	}
	if ((rt->flags & HTTP_ROUTE_LIMITED) && srv->limit) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		struct timespec now;
		unsigned wait = 1;
		char secs[16];

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!http_ratelimit_take(srv->limit, ci ? ci->client_addr : NULL,
					 mono_seconds(&now), &wait)) {
			snprintf(secs, sizeof(secs), "%u", wait);
			http_reply_header(req, "Retry-After", secs);
			http_problem(req, 429, NULL, NULL,
				     "too many submissions from this address; retry in %u s", wait);
			return false;
		}
	}
	if (rt->flags & HTTP_ROUTE_ADMIN) {
		struct cs_str tok;

		if (!srv->admin_token) {
			http_problem(req, 403, NULL, NULL,
				     "the administration API is off; start the server with "
				     "--admin-token-file to turn it on");
			return false;
		}
		if (!http_bearer_token(http_req_header(req, "Authorization"), &tok) ||
		    !http_secret_eq(tok, cs_str_from(srv->admin_token))) {
			http_reply_header(req, "WWW-Authenticate", "Bearer realm=\"chiso\"");
			http_problem(req, 401, NULL, "Authorization",
				     "Authorization: missing or wrong token; expected 'Bearer "
				     "<administrator token>'");
			return false;
		}
	}
	if (rt->max_body == 0)
		return true;
	if (rt->media && !http_media_type_is(http_req_header(req, "Content-Type"), rt->media)) {
		const char *got = http_req_header(req, "Content-Type");

		http_problem(req, 415, NULL, "Content-Type",
			     "Content-Type: '%.64s'; expected %s with UTF-8 text",
			     got ? got : "(none)", rt->media);
		return false;
	}
	cl = http_req_header(req, "Content-Length");
	if (cl) {
		int64_t n = 0;

		if (cs_str_to_i64(cs_str_from(cl), &n, NULL) != CS_OK || n < 0 ||
		    (uint64_t)n > rt->max_body) {
			http_problem(req, 413, NULL, NULL, "body of %.24s bytes; at most %zu taken",
				     cl, rt->max_body);
			return false;
		}
	}
	req->body.max = rt->max_body;
	return true;
}

/* Runs the handler. Returns false when the reply must wait for a write. */
static bool run_handler(struct http_req *req)
{
	req->route->handle(req);
	return !req->write_wanted || req->answered;
}

static void write_done(struct http_write *w)
{
	struct http_req *req = (struct http_req *)((char *)w - offsetof(struct http_req, write));

	MHD_resume_connection(req->conn);
}

/* Marks the request as no longer suspended (at resumption or at its end). */
static void unsuspend(struct http_req *req)
{
	struct http_server *srv = req->srv;

	if (!req->suspended)
		return;
	req->suspended = false;
	pthread_mutex_lock(&srv->mu);
	srv->suspended--;
	if (srv->draining)
		pthread_cond_broadcast(&srv->cv);
	pthread_mutex_unlock(&srv->mu);
}

/* Suspends the connection and queues the handler's write. */
static enum MHD_Result defer(struct http_req *req)
{
	struct http_server *srv = req->srv;
	struct cs_error err = {0};
	bool closing;

	pthread_mutex_lock(&srv->mu);
	closing = srv->closing;
	if (!closing)
		srv->suspended++;
	pthread_mutex_unlock(&srv->mu);
	if (closing) {
		http_problem(req, 503, NULL, NULL, "the server is shutting down; try again");
		return send_reply(req);
	}
	req->suspended = true;
	req->phase = HTTP_PHASE_DEFERRED;
	req->write.done = write_done;
	/* Suspended before queueing, so that the writer's resume never comes
	 * first. */
	MHD_suspend_connection(req->conn);
	if (http_writer_submit(srv->writer, &req->write, &err) != CS_OK) {
		req->write_refused = true;
		MHD_resume_connection(req->conn);
	}
	return MHD_YES;
}

/* The whole request is in: answers it, from the cache or the handler. */
static enum MHD_Result respond(struct http_req *req)
{
	enum MHD_Result ret = MHD_YES;

	if (from_cache(req, &ret)) {
		release_db(req);
		return ret;
	}
	if (run_handler(req)) {
		ret = send_reply(req);
		release_db(req);
		return ret;
	}
	release_db(req);
	return defer(req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_req *req = *con_cls;
	unsigned allow = 0;

	(void)version;
	if (!req) {
		req = req_new(srv, conn, url, method);
		if (!req)
			return MHD_NO;
		*con_cls = req;
		atomic_fetch_add(&srv->active, 1);
		req->route = req->method
				     ? http_route_find(http_routes, http_route_count, req->method,
						       req->path, &req->params, &allow)
				     : NULL;
		if (!req->method) {
			/* An unknown method: say what the path takes, if anything. */
			struct http_params scratch;

			for (size_t i = 0; i < http_route_count; i++)
				if (http_pattern_match(http_routes[i].pattern, req->path, &scratch))
					allow |= http_routes[i].method;
		}
		if (req->route && (req->route->flags & HTTP_ROUTE_STATIC))
			req->cache = HTTP_CACHE_REVALIDATE;
		/* A refusal is queued at once, which makes libmicrohttpd close
		 * the connection rather than read a body nobody wants. Anything
		 * else is answered once the whole request is in: a reply queued
		 * this early would cost the connection its keep-alive. */
		if (!admit(req, allow))
			return send_reply(req);
		req->phase = HTTP_PHASE_BODY;
		return MHD_YES;
	}

	switch (req->phase) {
	case HTTP_PHASE_BODY:
		if (*upload_data_size) {
			size_t n = *upload_data_size;

			*upload_data_size = 0;
			req->body_seen += n;
			if (req->route->max_body == 0) {
				/* A body where none is expected (GET) means
				 * nothing: read and dropped, within reason. */
				return req->body_seen > DISCARD_MAX ? MHD_NO : MHD_YES;
			}
			if (!req->body_too_big &&
			    cs_buf_add(&req->body, upload_data, n, NULL) != CS_OK) {
				/* Past max_body (a chunked body, whose size
				 * comes unannounced): stop keeping it. */
				req->body_too_big = true;
				cs_buf_release(&req->body);
			}
			if (req->body_too_big &&
			    req->body_seen > req->route->max_body + DISCARD_MAX)
				return MHD_NO;
			return MHD_YES;
		}
		if (req->body_too_big) {
			http_problem(req, 413, NULL, NULL,
				     "body of more than %zu bytes; at most %zu taken",
				     req->route->max_body, req->route->max_body);
			return send_reply(req);
		}
		return respond(req);
	case HTTP_PHASE_DEFERRED:
		unsuspend(req);
		if (req->write_refused)
			http_problem(req, 503, NULL, NULL,
				     "the server is shutting down; try again");
		else
			req->route->finish(req);
		{
			enum MHD_Result ret = send_reply(req);

			release_db(req);
			return ret;
		}
	case HTTP_PHASE_ANSWERED:
	default:
		*upload_data_size = 0;
		return MHD_YES;
	}
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct http_req *req = *con_cls;

	(void)conn;
	(void)toe;
	if (!req)
		return;
	*con_cls = NULL;
	unsuspend(req);
	log_access(req);
	req_free(req);
	if (atomic_fetch_sub(&srv->active, 1) == 1) {
		pthread_mutex_lock(&srv->mu);
		if (srv->draining)
			pthread_cond_broadcast(&srv->cv);
		pthread_mutex_unlock(&srv->mu);
	}
}

/*
 * Splits "HOST:PORT" or "[V6]:PORT" and binds a listening socket to it.
 * Binding here rather than in libmicrohttpd lets the error say what failed.
 */
static enum cs_err listen_on(const char *spec, int *fd_out, struct sockaddr_storage *bound,
			     struct cs_error *err)
{
	char host[256];
	const char *colon, *port, *h = spec;
	size_t hlen;
	struct addrinfo hints = {0}, *ai = NULL;
	socklen_t blen = sizeof(*bound);
	int fd = -1, one = 1, gai;

	*fd_out = -1;
	colon = strrchr(spec, ':');
	if (!colon || colon[1] == '\0')
		return cs_fail(err, CS_EUSAGE, "--listen '%s': expected HOST:PORT", spec);
	port = colon + 1;
	hlen = (size_t)(colon - spec);
	if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']') {
		h = spec + 1;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return cs_fail(err, CS_EUSAGE, "--listen '%s': expected HOST:PORT", spec);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	for (const char *p = port; *p; p++)
		if (*p < '0' || *p > '9')
			return cs_fail(err, CS_EUSAGE, "--listen '%s': port '%s' is not a number",
				       spec, port);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	gai = getaddrinfo(host, port, &hints, &ai);
	if (gai != 0)
		return cs_fail(err, CS_EUSAGE, "--listen '%s': %s", spec, gai_strerror(gai));
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 1024) != 0 ||
	    getsockname(fd, (struct sockaddr *)bound, &blen) != 0) {
		char why[128];
		int e = errno;

		if (strerror_r(e, why, sizeof(why)) != 0)
			why[0] = '\0';
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return cs_fail(err, CS_EIO, "cannot listen on %s: %s", spec, why);
	}
	freeaddrinfo(ai);
	*fd_out = fd;
	return CS_OK;
}

static void make_url(const struct sockaddr_storage *ss, char *out, size_t size)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof(addr));
		snprintf(out, size, "http://[%s]:%u", addr, (unsigned)ntohs(in6->sin6_port));
	} else {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)ss;

		inet_ntop(AF_INET, &in->sin_addr, addr, sizeof(addr));
		snprintf(out, size, "http://%s:%u", addr, (unsigned)ntohs(in->sin_port));
	}
}

static unsigned processors(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* Frees what start made, in the order that leaves the database clean. */
static void destroy(struct http_server *srv)
{
	if (srv->mhd)
		MHD_stop_daemon(srv->mhd);
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	http_writer_free(srv->writer);
	/* Readers close before the writer's handle: the last connection to
	 * close checkpoints the write-ahead log and removes it, and only a
	 * connection that may write can. */
	http_dbpool_free(srv->pool);
	cs_store_close(srv->store);
	http_ratelimit_free(srv->limit);
	http_assets_free(srv->assets);
	cs_free(srv->admin_token);
	pthread_cond_destroy(&srv->cv);
	pthread_mutex_destroy(&srv->mu);
	cs_free(srv);
}

enum cs_err http_server_start(const struct http_server_config *cfg, struct http_server **out,
			      struct cs_error *err)
{
	struct http_server *srv;
	struct sockaddr_storage bound;
	pthread_condattr_t ca;
	unsigned threads = cfg->threads ? cfg->threads : processors();
	unsigned flags;
	enum cs_err rc;

	*out = NULL;
	if (cfg->admin_token && strlen(cfg->admin_token) < HTTP_ADMIN_TOKEN_MIN)
		return cs_fail(err, CS_EUSAGE,
			       "the administrator token has %zu bytes; expected at least %d",
			       strlen(cfg->admin_token), HTTP_ADMIN_TOKEN_MIN);
	srv = cs_calloc(1, sizeof(*srv));
	if (!srv)
		return cs_fail(err, CS_ENOMEM, NULL);
	srv->listen_fd = -1;
	srv->log = cfg->log;
	srv->drain_ms = cfg->drain_ms ? cfg->drain_ms : 10000;
	srv->trust_proxy = cfg->trust_proxy;
	atomic_init(&srv->active, 0);
	/* The drain wait measures time on the monotonic clock, which a
	 * change of the wall clock cannot stretch. */
	if (pthread_mutex_init(&srv->mu, NULL) != 0) {
		cs_free(srv);
		return cs_fail(err, CS_EINTERNAL, "cannot create the server's lock");
	}
	if (pthread_condattr_init(&ca) != 0 ||
	    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&srv->cv, &ca) != 0) {
		pthread_mutex_destroy(&srv->mu);
		cs_free(srv);
		return cs_fail(err, CS_EINTERNAL, "cannot create the server's condition");
	}
	pthread_condattr_destroy(&ca);

	if (cfg->admin_token) {
		srv->admin_token = cs_strdup(cfg->admin_token);
		if (!srv->admin_token) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
			goto fail;
		}
	}
	rc = listen_on(cfg->listen, &srv->listen_fd, &bound, err);
	if (rc)
		goto fail;
	make_url(&bound, srv->url, sizeof(srv->url));
	rc = cs_store_open(cfg->db, 0, &srv->store, err);
	if (rc)
		goto fail;
	rc = cs_store_set_actor(srv->store, "api", err);
	if (rc)
		goto fail;
	rc = http_writer_new(srv->store, cfg->write_batch, &srv->writer, err);
	if (rc)
		goto fail;
	srv->pool = http_dbpool_new(cfg->db, threads);
	if (!srv->pool) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto fail;
	}
	if (cfg->rate_limit > 0) {
		/* The burst is a minute's allowance: a kiosk may send a few
		 * at once after being offline, never more than that. */
		srv->limit = http_ratelimit_new(cfg->rate_limit / 60, cfg->rate_limit, 16384);
		if (!srv->limit) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
			goto fail;
		}
	}
	rc = http_assets_load(&srv->assets, err);
	if (rc)
		goto fail;

	/* Not MHD_USE_TURBO: it skips the shutdown() that lets a client read
	 * a refusal (413) sent before its body was read. */
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
	srv->mhd = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_LISTEN_SOCKET, srv->listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
		cfg->max_connections ? cfg->max_connections : 1024u,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_client_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout ? cfg->timeout : 30u,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
	if (!srv->mhd) {
		rc = cs_fail(err, CS_EINTERNAL,
			     "cannot start the HTTP server on %s (too many threads or "
			     "connections for this system?)",
			     srv->url);
		goto fail;
	}
	*out = srv;
	return CS_OK;
fail:
	destroy(srv);
	return rc;
}

const char *http_server_url(const struct http_server *srv)
{
	return srv->url;
}

/* Waits until no request is under way, or until the deadline passes with
 * none of them waiting on the writer. The caller holds srv->mu. */
static void drain(struct http_server *srv)
{
	struct timespec deadline;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += srv->drain_ms / 1000;
	deadline.tv_nsec += (long)(srv->drain_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	while (atomic_load(&srv->active) > 0) {
		if (pthread_cond_timedwait(&srv->cv, &srv->mu, &deadline) == ETIMEDOUT)
			break;
	}
	/* No new write may be queued from here on; the ones queued finish
	 * whatever the deadline, since their connections must be resumed
	 * before the daemon may stop. */
	srv->closing = true;
	while (srv->suspended > 0)
		pthread_cond_wait(&srv->cv, &srv->mu);
}

void http_server_stop(struct http_server *srv)
{
	int fd;

	if (!srv)
		return;
	pthread_mutex_lock(&srv->mu);
	srv->draining = true;
	pthread_mutex_unlock(&srv->mu);
	fd = MHD_quiesce_daemon(srv->mhd);
	if (fd < 0)
		srv->listen_fd = -1; /* not ours: the daemon closes it */
	pthread_mutex_lock(&srv->mu);
	drain(srv);
	pthread_mutex_unlock(&srv->mu);
	MHD_stop_daemon(srv->mhd);
	srv->mhd = NULL;
	/* After quiescing the socket is ours to close, once the daemon is
	 * gone (libmicrohttpd's threads may look at it until then): destroy
	 * does. */
	if (fd >= 0 && fd != srv->listen_fd) {
		close(srv->listen_fd);
		srv->listen_fd = fd;
	}
	destroy(srv);
}
