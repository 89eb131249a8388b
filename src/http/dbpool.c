/* The pool of read-only database handles (see dbpool.h). */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "http/cache.h"
#include "http/dbpool.h"
#include "util/alloc.h"

#include "util/banned.h"

/* Replies kept per handle: the pages and API lists people look at most. */
#define CACHE_ENTRIES 64

struct http_dbpool {
	char *target;
	size_t max;
	size_t open;	/* handles open, lent or free */
	size_t opening; /* opens under way, counted against max */
	struct http_db *free;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

struct http_dbpool *http_dbpool_new(const char *target, size_t max)
{
	struct http_dbpool *p = cs_calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->target = cs_strdup(target);
	p->max = max ? max : 1;
	if (!p->target)
		goto fail;
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	return p;
fail:
	cs_free(p->target);
	cs_free(p);
	return NULL;
}

static void close_db(struct http_db *db)
{
	if (!db)
		return;
	http_cache_free(db->cache);
	cs_stmt_free(db->version);
	cs_collator_free(db->vi);
	cs_store_close(db->store);
	cs_free(db);
}

static enum cs_err open_db(const char *target, struct http_db **out, struct cs_error *err)
{
	struct http_db *db = cs_calloc(1, sizeof(*db));
	enum cs_err rc;

	*out = NULL;
	if (!db)
		return cs_fail(err, CS_ENOMEM, NULL);
	rc = cs_store_open(target, CS_STORE_READONLY, &db->store, err);
	if (rc)
		goto fail;
	db->vi = cs_collator_new("vi", err);
	if (!db->vi) {
		rc = err ? err->code : CS_EUNICODE;
		goto fail;
	}
	db->cache = http_cache_new(CACHE_ENTRIES);
	if (!db->cache) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto fail;
	}
	*out = db;
	return CS_OK;
fail:
	close_db(db);
	return rc;
}

enum cs_err http_dbpool_get(struct http_dbpool *p, struct http_db **out, struct cs_error *err)
{
	struct http_db *db;
	enum cs_err rc;

	*out = NULL;
	pthread_mutex_lock(&p->mu);
	while (!p->free && p->open + p->opening >= p->max)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->free) {
		db = p->free;
		p->free = db->next;
		db->next = NULL;
		pthread_mutex_unlock(&p->mu);
		*out = db;
		return CS_OK;
	}
	/* Opening takes milliseconds: done outside the lock, with the slot
	 * reserved so that no other thread opens one past max meanwhile. */
	p->opening++;
	pthread_mutex_unlock(&p->mu);
	rc = open_db(p->target, &db, err);
	pthread_mutex_lock(&p->mu);
	p->opening--;
	if (!rc)
		p->open++;
	else
		pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	*out = db;
	return rc;
}

void http_dbpool_put(struct http_dbpool *p, struct http_db *db)
{
	if (!db)
		return;
	pthread_mutex_lock(&p->mu);
	db->next = p->free;
	p->free = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

enum cs_err http_db_version(struct http_db *db, uint64_t *out, struct cs_error *err)
{
	bool row = false;
	enum cs_err rc;

	/* SQLite's data_version moves when another connection commits; these
	 * handles never write, so every change is another's. */
	if (strcmp(cs_store_backend(db->store), "sqlite") != 0)
		return cs_fail(err, CS_EINVAL, "no data version on this backend");
	if (!db->version) {
		rc = cs_stmt_prepare(db->store, "pragma data_version", &db->version, err);
		if (rc)
			return rc;
	}
	rc = cs_stmt_step(db->version, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ESTORE, "pragma data_version gave no row");
	if (!rc)
		*out = (uint64_t)cs_stmt_i64(db->version, 0);
	cs_stmt_reset(db->version, NULL);
	return rc;
}

size_t http_dbpool_open_count(struct http_dbpool *p)
{
	size_t n;

	pthread_mutex_lock(&p->mu);
	n = p->open;
	pthread_mutex_unlock(&p->mu);
	return n;
}

void http_dbpool_free(struct http_dbpool *p)
{
	if (!p)
		return;
	while (p->free) {
		struct http_db *db = p->free;

		p->free = db->next;
		close_db(db);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	cs_free(p->target);
	cs_free(p);
}
