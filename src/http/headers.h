/*
 * Parsing of the HTTP request headers the server acts on: Accept-Language,
 * Accept-Encoding, If-None-Match, Content-Type and Authorization. Pure
 * functions on strings, so they are unit-tested without a network.
 */
#ifndef CHISO_HTTP_HEADERS_H
#define CHISO_HTTP_HEADERS_H

#include <stdbool.h>

#include "util/str.h"

/* The languages pages and messages are written in. */
enum http_lang {
	HTTP_LANG_VI,
	HTTP_LANG_EN
};

/*
 * The language to answer in: the query's lang ("vi" or "en") when it is one
 * of those, else the preferred of vi and en in accept_language (RFC 9110
 * 12.5.4: highest q, ties to the first listed; "vi-VN" counts as vi, q=0 as
 * refused), else Vietnamese. Either argument may be NULL.
 */
enum http_lang http_lang_pick(const char *query_lang, const char *accept_language);

/* "vi" or "en". */
const char *http_lang_code(enum http_lang lang);

/*
 * True when accept_encoding (may be NULL) lists gzip (or "*") with a q above
 * zero. "gzip;q=0" is a refusal.
 */
bool http_accepts_gzip(const char *accept_encoding);

/*
 * True when the If-None-Match value (may be NULL) names etag (a quoted
 * entity tag) or is "*". Weak tags (W/"...") match by their opaque part, as
 * RFC 9110 13.1.2 asks for this header.
 */
bool http_etag_match(const char *if_none_match, const char *etag);

/*
 * True when the media type of the Content-Type value (may be NULL) is want,
 * compared without case and ignoring parameters ("application/json;
 * charset=utf-8" is application/json). A charset parameter other than UTF-8
 * makes it false: chiso reads nothing but UTF-8.
 */
bool http_media_type_is(const char *content_type, const char *want);

/*
 * The credentials of an "Authorization: Bearer TOKEN" value: true with *token
 * a slice of authorization, false when the value is NULL, of another scheme
 * or has no token.
 */
bool http_bearer_token(const char *authorization, struct cs_str *token);

/* Compares two byte strings in time that depends only on their lengths. */
bool http_secret_eq(struct cs_str a, struct cs_str b);

#endif
