/* Embedded web assets: content types and gzip copies made at start (see assets.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "http/assets.h"
#include "util/alloc.h"

#include "util/banned.h"

struct http_assets {
	size_t n;
	struct http_asset_served *v;
};

/* Content types by extension; compress says whether gzip is worth trying. */
static const struct {
	const char *ext;
	const char *type;
	bool compress;
} types[] = {
	{".html", "text/html; charset=utf-8", true},
	{".css", "text/css; charset=utf-8", true},
	{".js", "text/javascript; charset=utf-8", true},
	{".mjs", "text/javascript; charset=utf-8", true},
	{".json", "application/json", true},
	{".webmanifest", "application/manifest+json", true},
	{".svg", "image/svg+xml", true},
	{".txt", "text/plain; charset=utf-8", true},
	/* Markdown as plain text, which browsers show rather than download. */
	{".md", "text/plain; charset=utf-8", true},
	{".png", "image/png", false},
	{".jpg", "image/jpeg", false},
	{".webp", "image/webp", false},
	{".ico", "image/vnd.microsoft.icon", false},
	{".woff2", "font/woff2", false},
};

static int find_type(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t e = strlen(types[i].ext);

		if (n > e && strcmp(name + n - e, types[i].ext) == 0)
			return (int)i;
	}
	return -1;
}

const char *http_content_type(const char *name)
{
	int t = find_type(name);

	return t < 0 ? "application/octet-stream" : types[t].type;
}

/*
 * Compresses data with a gzip wrapper at the highest level: done once at
 * start, so the time spent buys bytes on every slow phone. Returns CS_OK with
 * *out NULL when the result would not be smaller.
 */
static enum cs_err gzip(const unsigned char *data, size_t len, unsigned char **out, size_t *out_len,
			struct cs_error *err)
{
	z_stream z;
	unsigned char *buf;
	uLong bound;
	int zrc;

	*out = NULL;
	*out_len = 0;
	if (len < 256 || len > 0x7fffffffu)
		return CS_OK; /* headers would eat the gain; or too big for zlib's int */
	memset(&z, 0, sizeof(z));
	/* windowBits 15 + 16 asks for the gzip wrapper rather than zlib's. */
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return cs_fail(err, CS_ENOMEM, NULL);
	bound = deflateBound(&z, (uLong)len);
	buf = cs_malloc(bound);
	if (!buf) {
		deflateEnd(&z);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)bound;
	zrc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (zrc != Z_STREAM_END || z.total_out >= len) {
		cs_free(buf);
		return CS_OK;
	}
	*out = buf;
	*out_len = z.total_out;
	return CS_OK;
}

enum cs_err http_assets_load(struct http_assets **out, struct cs_error *err)
{
	struct http_assets *set;
	enum cs_err rc = CS_OK;

	*out = NULL;
	set = cs_calloc(1, sizeof(*set));
	if (!set)
		return cs_fail(err, CS_ENOMEM, NULL);
	set->v = cs_calloc(http_asset_count ? http_asset_count : 1, sizeof(*set->v));
	if (!set->v) {
		cs_free(set);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	for (size_t i = 0; i < http_asset_count; i++) {
		struct http_asset_served *s = &set->v[i];
		const struct http_asset *a = &http_assets[i];
		int t = find_type(a->name);

		s->asset = a;
		s->type = http_content_type(a->name);
		set->n = i + 1;
		if (t >= 0 && types[t].compress) {
			rc = gzip(a->data, a->len, &s->gz, &s->gz_len, err);
			if (rc)
				break;
		}
		snprintf(s->gz_etag, sizeof(s->gz_etag), "\"%s-gz\"", a->version);
	}
	if (rc) {
		http_assets_free(set);
		return rc;
	}
	*out = set;
	return CS_OK;
}

void http_assets_free(struct http_assets *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		cs_free(set->v[i].gz);
	cs_free(set->v);
	cs_free(set);
}

const struct http_asset_served *http_assets_find(const struct http_assets *set, const char *name,
						 size_t len)
{
	/* A few dozen files: a scan costs less than keeping an index. */
	for (size_t i = 0; i < set->n; i++) {
		const char *an = set->v[i].asset->name;

		if (strlen(an) == len && memcmp(an, name, len) == 0)
			return &set->v[i];
	}
	return NULL;
}
