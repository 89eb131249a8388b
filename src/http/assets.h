/*
 * The web UI's files, embedded into the binary at build time
 * (cmake/embed-assets.cmake), with their content types and, made once at
 * start, gzip copies of those worth compressing.
 */
#ifndef CHISO_HTTP_ASSETS_H
#define CHISO_HTTP_ASSETS_H

#include <stddef.h>

#include "chiso/error.h"

/* One embedded file, as the build wrote it. */
struct http_asset {
	const char *name;	   /* path under web/: "style.css", "index.vi.html" */
	const unsigned char *data; /* len bytes, then a NUL */
	size_t len;
	const char *etag;    /* strong entity tag, quoted: "\"3f2a...\"" */
	const char *version; /* the hash in the tag, the ?v= of versioned URLs */
};

/* The generated table (NULL name after the last). */
extern const struct http_asset http_assets[];
extern const size_t http_asset_count;

/* An asset ready to serve. */
struct http_asset_served {
	const struct http_asset *asset;
	const char *type;  /* Content-Type */
	unsigned char *gz; /* gzip form, or NULL when it would not be smaller */
	size_t gz_len;
	char gz_etag[48]; /* entity tag of the gzip form */
};

struct http_assets;

/*
 * Prepares every embedded asset: content types, gzip copies of text. CS_ENOMEM.
 * The caller frees *out with http_assets_free.
 */
enum cs_err http_assets_load(struct http_assets **out, struct cs_error *err);

/* Frees the set; NULL is a no-op. */
void http_assets_free(struct http_assets *set);

/* The asset named name (len bytes), or NULL. */
const struct http_asset_served *http_assets_find(const struct http_assets *set, const char *name,
						 size_t len);

/* The Content-Type of a file name by its extension; octet-stream for unknown ones. */
const char *http_content_type(const char *name);

#endif
