/*
 * Read-only database handles for the request threads. SQLite handles are not
 * shared between threads at once, so each request borrows one from a small
 * pool and gives it back; each handle comes with its own Vietnamese collator,
 * which ICU does not let threads share either, and its own reply cache.
 */
#ifndef CHISO_HTTP_DBPOOL_H
#define CHISO_HTTP_DBPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "store/store.h"
#include "util/collate.h"

/* A borrowed handle: use its members, give it back with http_dbpool_put. */
struct http_db {
	struct cs_store *store;	  /* opened with CS_STORE_READONLY */
	struct cs_collator *vi;	  /* Vietnamese collation */
	struct http_cache *cache; /* replies made on this handle (http/cache.h) */
	struct cs_stmt *version;  /* private: asks the database's version */
	struct http_db *next;	  /* private to the pool */
};

struct http_dbpool;

/*
 * A pool of at most max handles on target, opened when first needed. The
 * database must already be at the latest schema (the server opens it for
 * writing, and so migrates it, first). NULL when out of memory. The caller
 * frees it with http_dbpool_free once every handle is back.
 */
struct http_dbpool *http_dbpool_new(const char *target, size_t max);

/*
 * Borrows a handle, opening one when none is free and fewer than max are
 * open, or waiting for one to come back. Errors of the open (CS_ENOMEM,
 * CS_ESTORE, CS_ESCHEMA, CS_ENOTFOUND) are returned with *out NULL.
 */
enum cs_err http_dbpool_get(struct http_dbpool *p, struct http_db **out, struct cs_error *err);

/* Gives a handle back; NULL is a no-op. */
void http_dbpool_put(struct http_dbpool *p, struct http_db *db);

/*
 * A number that changes whenever the database has changed since db last
 * looked, for keeping replies in db->cache. CS_EINVAL when the backend has no
 * such number (the caller then caches nothing), or the store's error.
 */
enum cs_err http_db_version(struct http_db *db, uint64_t *out, struct cs_error *err);

/* Handles open now (for tests). */
size_t http_dbpool_open_count(struct http_dbpool *p);

/* Closes every handle and frees the pool; NULL is a no-op. */
void http_dbpool_free(struct http_dbpool *p);

#endif
