/*
 * Replies kept for reuse: the finished libmicrohttpd response of a GET, under
 * its URL, valid while the database has not changed. Each read-only handle
 * has its own cache and its own idea of the database's version (SQLite's
 * data_version, which moves whenever another connection commits), so a cache
 * is used by one thread at a time and needs no lock. Responses are reference
 * counted by libmicrohttpd, so one still being sent outlives its eviction.
 */
#ifndef CHISO_HTTP_CACHE_H
#define CHISO_HTTP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct MHD_Response;
struct http_cache;

/* Largest body kept, in bytes; bigger replies are built every time. */
#define HTTP_CACHE_BODY_MAX (4u * 1024 * 1024)

/* An empty cache of at most entries replies; NULL when out of memory. */
struct http_cache *http_cache_new(size_t entries);

/* Drops every reply and frees the cache; NULL is a no-op. */
void http_cache_free(struct http_cache *c);

/*
 * The reply kept for key at the database version version, or NULL. A
 * version other than the cache's empties it first: every reply was made
 * from data that has changed since. The response stays owned by the cache
 * (queue it; do not destroy it); *len is its body's length.
 */
struct MHD_Response *http_cache_get(struct http_cache *c, const char *key, uint64_t version,
				    size_t *len);

/*
 * Keeps r (one reference to it passes to the cache) for key at version,
 * replacing the oldest reply when full. Returns false, keeping nothing and
 * taking no reference, when out of memory or the version is not the cache's.
 */
bool http_cache_put(struct http_cache *c, const char *key, uint64_t version, struct MHD_Response *r,
		    size_t len);

#endif
