/*
 * The embedded HTTP server behind `chiso serve`: libmicrohttpd with a pool of
 * worker threads, the route table, a read-only handle pool, the write queue,
 * per-client rate limiting, security headers on every reply, an access log
 * line per request, and a graceful stop.
 */
#ifndef CHISO_HTTP_SERVER_H
#define CHISO_HTTP_SERVER_H

#include <stdbool.h>
#include <stdio.h>

#include "chiso/error.h"

struct http_server;

/* Longest URL the server reports, "http://[v6 address]:port" and its NUL. */
#define HTTP_URL_MAX 80

/* Shortest administrator token accepted, in bytes. */
#define HTTP_ADMIN_TOKEN_MIN 16

struct http_server_config {
	const char *db;			 /* database target; must exist (chiso init) */
	const char *listen;		 /* "HOST:PORT", "[V6]:PORT"; port 0 picks a free one */
	unsigned threads;		 /* worker threads; 0: one per processor */
	unsigned max_connections;	 /* 0: 1024 */
	unsigned per_client_connections; /* 0: no limit per address */
	unsigned timeout;		 /* seconds an idle connection is kept; 0: 30 */
	double rate_limit;		 /* submissions per minute per client; 0: no limit */
	unsigned write_batch;		 /* writes per transaction; 0: 256 */
	const char *admin_token;	 /* bearer token of admin routes; NULL: they answer 403 */
	unsigned drain_ms;		 /* longest wait for requests at stop; 0: 10000 */
	bool trust_proxy;		 /* honour X-Forwarded-Proto (behind a TLS proxy) */
	FILE *log;			 /* access log and errors; NULL: nothing is logged */
};

/*
 * Opens the database (migrating it if it is older), starts the writer and
 * the worker threads, and listens. CS_EUSAGE for a malformed listen address
 * or a too short token, CS_EIO when the address cannot be bound, the store's
 * errors when the database cannot be opened, CS_ENOMEM, CS_EINTERNAL when
 * libmicrohttpd or a thread cannot start. The caller stops *out with
 * http_server_stop.
 */
enum cs_err http_server_start(const struct http_server_config *cfg, struct http_server **out,
			      struct cs_error *err);

/* "http://127.0.0.1:8080": where the server listens; owned by srv. */
const char *http_server_url(const struct http_server *srv);

/*
 * Stops gracefully: no new connections, requests under way finish (queued
 * writes are committed and answered) for up to drain_ms, then the threads
 * stop and the database is closed cleanly (the write-ahead log checkpointed).
 * Frees srv; NULL is a no-op.
 */
void http_server_stop(struct http_server *srv);

#endif
