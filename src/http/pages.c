/*
 * Pages and assets from web/, embedded into the binary: the landing page in
 * the client's language, the files under /assets/ (gzip when accepted,
 * revalidated by ETag, cached for a year when the URL names their version),
 * and the API reference.
 */
#include <string.h>

#include "http/request.h"
#include "http/routes.h"

#include "util/banned.h"

/* Answers with an embedded asset, honouring If-None-Match and Accept-Encoding. */
static void serve(struct http_req *req, const struct http_asset_served *s)
{
	bool gz = s->gz && http_accepts_gzip(http_req_header(req, "Accept-Encoding"));
	const char *etag = gz ? s->gz_etag : s->asset->etag;
	const char *inm = http_req_header(req, "If-None-Match");

	if (s->gz)
		http_reply_header(req, "Vary", "Accept-Encoding");
	http_reply_header(req, "ETag", etag);
	if (http_etag_match(inm, etag)) {
		http_reply_not_modified(req);
		return;
	}
	if (gz) {
		http_reply_header(req, "Content-Encoding", "gzip");
		http_reply_static(req, 200, s->type, s->gz, s->gz_len);
	} else {
		http_reply_static(req, 200, s->type, s->asset->data, s->asset->len);
	}
}

static const struct http_asset_served *find(struct http_req *req, const char *name)
{
	return http_assets_find(http_req_assets(req), name, strlen(name));
}

void page_index(struct http_req *req)
{
	enum http_lang lang = http_req_lang(req);
	const struct http_asset_served *s =
		find(req, lang == HTTP_LANG_EN ? "index.en.html" : "index.vi.html");

	if (!s) {
		http_problem(req, 404, NULL, NULL, "no landing page in this build");
		return;
	}
	/* The same URL gives either language: caches must keep them apart. */
	http_reply_header(req, "Vary", "Accept-Language");
	http_reply_header(req, "Content-Language", http_lang_code(lang));
	serve(req, s);
}

void page_asset(struct http_req *req)
{
	const char *name = http_req_param(req, "name");
	const char *v = http_req_query(req, "v");
	const struct http_asset_served *s;

	if (!name)
		return;
	s = find(req, name);
	if (!s) {
		http_problem(req, 404, NULL, "name", "no asset named '%.100s'", name);
		return;
	}
	/* A URL naming the current version never changes meaning: cache it
	 * for good. Any other URL is revalidated. */
	if (v && strcmp(v, s->asset->version) == 0)
		http_reply_cache(req, HTTP_CACHE_IMMUTABLE);
	serve(req, s);
}

void page_api_docs(struct http_req *req)
{
	const struct http_asset_served *s = find(req, "api.md");

	if (!s) {
		http_problem(req, 404, NULL, NULL, "no API reference in this build");
		return;
	}
	serve(req, s);
}
