/*
 * The workspace's page: /w/ serves one HTML shell per language (Vietnamese
 * by default, English with ?lang=en or the browser's preference); the
 * modules under web/workspace/ draw the views from the JSON API. The shell
 * holds no data, so it is served to anyone; the API checks who asks.
 */
#include <string.h>

#include "http/request.h"
#include "http/workspace_routes.h"

#include "util/banned.h"

void page_workspace(struct http_req *req)
{
	enum http_lang lang = http_req_lang(req);
	const char *name = lang == HTTP_LANG_EN ? "workspace/workspace.en.html"
						: "workspace/workspace.vi.html";
	const struct http_asset_served *s =
		http_assets_find(http_req_assets(req), name, strlen(name));
	bool gz;
	const char *etag;

	if (!s) {
		http_problem(req, 404, NULL, NULL, "no workspace page in this build");
		return;
	}
	gz = s->gz && http_accepts_gzip(http_req_header(req, "Accept-Encoding"));
	etag = gz ? s->gz_etag : s->asset->etag;
	/* The same URL gives either language: caches must keep them apart. */
	http_reply_header(req, "Vary", "Accept-Language");
	http_reply_header(req, "Content-Language", http_lang_code(lang));
	if (s->gz)
		http_reply_header(req, "Vary", "Accept-Encoding");
	http_reply_header(req, "ETag", etag);
	if (http_etag_match(http_req_header(req, "If-None-Match"), etag)) {
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
