/* Replies kept per database handle while the database is unchanged (see cache.h). */
#include <stdbool.h>
#include <string.h>

#include <microhttpd.h>

#include "http/cache.h"
#include "util/alloc.h"

#include "util/banned.h"

struct entry {
	char *key; /* NULL: free slot */
	struct MHD_Response *r;
	size_t len;
};

struct http_cache {
	uint64_t version;
	bool have_version;
	size_t n;    /* slots */
	size_t next; /* slot replaced next when none is free (oldest first) */
	struct entry *e;
};

struct http_cache *http_cache_new(size_t entries)
{
	struct http_cache *c = cs_calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->n = entries ? entries : 1;
	c->e = cs_calloc(c->n, sizeof(*c->e));
	if (!c->e) {
		cs_free(c);
		return NULL;
	}
	return c;
}

static void drop(struct entry *e)
{
	if (!e->key)
		return;
	cs_free(e->key);
	MHD_destroy_response(e->r);
	e->key = NULL;
	e->r = NULL;
	e->len = 0;
}

static void clear(struct http_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		drop(&c->e[i]);
	c->next = 0;
}

void http_cache_free(struct http_cache *c)
{
	if (!c)
		return;
	clear(c);
	cs_free(c->e);
	cs_free(c);
}

struct MHD_Response *http_cache_get(struct http_cache *c, const char *key, uint64_t version,
				    size_t *len)
{
	if (!c->have_version || c->version != version) {
		clear(c);
		c->version = version;
		c->have_version = true;
		return NULL;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (c->e[i].key && strcmp(c->e[i].key, key) == 0) {
			*len = c->e[i].len;
			return c->e[i].r;
		}
	}
	return NULL;
}

bool http_cache_put(struct http_cache *c, const char *key, uint64_t version, struct MHD_Response *r,
		    size_t len)
{
	struct entry *slot = NULL;
	char *k;

	if (!c->have_version || c->version != version || len > HTTP_CACHE_BODY_MAX)
		return false;
	k = cs_strdup(key);
	if (!k)
		return false;
	for (size_t i = 0; i < c->n && !slot; i++)
		if (c->e[i].key && strcmp(c->e[i].key, key) == 0)
			slot = &c->e[i];
	for (size_t i = 0; i < c->n && !slot; i++)
		if (!c->e[i].key)
			slot = &c->e[i];
	if (!slot) {
		slot = &c->e[c->next];
		c->next = (c->next + 1) % c->n;
	}
	drop(slot);
	slot->key = k;
	slot->r = r;
	slot->len = len;
	return true;
}
