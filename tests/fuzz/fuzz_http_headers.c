/*
 * libFuzzer target for what the server parses of a request before any
 * handler: the headers it acts on (http/headers.h) and the path against the
 * route patterns (http/router.h). The input is used as a header value and as
 * a path; whatever it is, nothing may crash, read out of bounds or return a
 * slice outside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/headers.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const patterns[] = {
	"/", "/healthz", "/api/v1/units/{code}", "/assets/{name*}", "/a/{x}/b/{y}", "/a/{x",
};

static void check_slice(struct cs_str s, const char *base, size_t len)
{
	if (s.len && (s.ptr < base || s.ptr + s.len > base + len))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct http_params params;
	struct cs_str tok;
	enum http_lang lang;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	size = strlen(s); /* header values and paths end at a NUL */

	lang = http_lang_pick(NULL, s);
	if (lang != HTTP_LANG_VI && lang != HTTP_LANG_EN)
		__builtin_trap();
	/* An explicit ?lang= always wins. */
	if (http_lang_pick("en", s) != HTTP_LANG_EN || http_lang_pick("vi", s) != HTTP_LANG_VI)
		__builtin_trap();
	(void)http_accepts_gzip(s);
	(void)http_etag_match(s, "\"0123abcd\"");
	if (!http_etag_match("*", s))
		__builtin_trap();
	(void)http_media_type_is(s, "application/json");
	if (http_bearer_token(s, &tok)) {
		check_slice(tok, s, size);
		if (tok.len == 0)
			__builtin_trap();
	}
	if (!http_secret_eq(cs_str_make(s, size), cs_str_make(s, size)))
		__builtin_trap();
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		if (http_pattern_match(patterns[i], s, &params)) {
			if (params.n > HTTP_PARAMS_MAX)
				__builtin_trap();
			for (size_t k = 0; k < params.n; k++) {
				check_slice(params.v[k].value, s, size);
				if (params.v[k].value.len == 0)
					__builtin_trap();
			}
		}
	}
	free(s);
	return 0;
}
