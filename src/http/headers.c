/* Parsing of the request headers the server acts on (see headers.h). */
#include <string.h>
#include <strings.h>

#include "http/headers.h"

#include "util/banned.h"

/* One element of a comma-separated header list: its value and its q weight. */
struct list_item {
	struct cs_str value; /* without parameters, trimmed */
	struct cs_str params;
	double q; /* 1.0 when absent, 0.0 when malformed */
};

/*
 * Parses a weight "0.8" (RFC 9110 12.4.2: at most three decimals, between 0
 * and 1). A malformed weight counts as 0, so that garbage never wins.
 */
static double parse_q(struct cs_str s)
{
	double v = 0, scale = 0.1;
	size_t i = 0;

	if (s.len == 0 || (s.ptr[0] != '0' && s.ptr[0] != '1'))
		return 0;
	v = s.ptr[0] - '0';
	i = 1;
	if (i < s.len && s.ptr[i] == '.') {
		for (i++; i < s.len && i <= 4; i++) {
			if (s.ptr[i] < '0' || s.ptr[i] > '9')
				return 0;
			v += (s.ptr[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (i != s.len || v > 1)
		return 0;
	return v;
}

/* Splits an item "value;p=1;q=0.5" into value, parameters and q. */
static void parse_item(struct cs_str raw, struct list_item *it)
{
	struct cs_str rest = raw, tok;

	it->q = 1;
	cs_str_next(&rest, ';', &tok);
	it->value = cs_str_trim(tok);
	it->params = rest;
	while (cs_str_next(&rest, ';', &tok)) {
		tok = cs_str_trim(tok);
		if (tok.len >= 2 && (tok.ptr[0] == 'q' || tok.ptr[0] == 'Q') && tok.ptr[1] == '=')
			it->q = parse_q(cs_str_trim(cs_str_make(tok.ptr + 2, tok.len - 2)));
	}
}

/* The language part of a tag: "vi" of "vi-VN". */
static struct cs_str primary_tag(struct cs_str tag)
{
	for (size_t i = 0; i < tag.len; i++)
		if (tag.ptr[i] == '-' || tag.ptr[i] == '_')
			return cs_str_make(tag.ptr, i);
	return tag;
}

enum http_lang http_lang_pick(const char *query_lang, const char *accept_language)
{
	enum http_lang best = HTTP_LANG_VI;
	double best_q = 0;
	struct cs_str rest, tok;

	if (query_lang && strcmp(query_lang, "en") == 0)
		return HTTP_LANG_EN;
	if (query_lang && strcmp(query_lang, "vi") == 0)
		return HTTP_LANG_VI;
	if (!accept_language)
		return HTTP_LANG_VI;
	rest = cs_str_from(accept_language);
	while (cs_str_next(&rest, ',', &tok)) {
		struct list_item it;
		struct cs_str lang;

		parse_item(tok, &it);
		lang = primary_tag(it.value);
		if (it.q <= best_q)
			continue;
		if (cs_str_eq_nocase(lang, "vi")) {
			best = HTTP_LANG_VI;
			best_q = it.q;
		} else if (cs_str_eq_nocase(lang, "en")) {
			best = HTTP_LANG_EN;
			best_q = it.q;
		}
	}
	return best;
}

const char *http_lang_code(enum http_lang lang)
{
	return lang == HTTP_LANG_EN ? "en" : "vi";
}

bool http_accepts_gzip(const char *accept_encoding)
{
	struct cs_str rest, tok;
	double gzip_q = -1, any_q = -1;

	if (!accept_encoding)
		return false;
	rest = cs_str_from(accept_encoding);
	while (cs_str_next(&rest, ',', &tok)) {
		struct list_item it;

		parse_item(tok, &it);
		if (cs_str_eq_nocase(it.value, "gzip") || cs_str_eq_nocase(it.value, "x-gzip"))
			gzip_q = it.q;
		else if (cs_str_eq_cstr(it.value, "*"))
			any_q = it.q;
	}
	/* An explicit gzip entry overrides the wildcard (RFC 9110 12.5.3). */
	return gzip_q >= 0 ? gzip_q > 0 : any_q > 0;
}

bool http_etag_match(const char *if_none_match, const char *etag)
{
	struct cs_str rest, tok, want;

	if (!if_none_match || !etag)
		return false;
	want = cs_str_from(etag);
	rest = cs_str_from(if_none_match);
	while (cs_str_next(&rest, ',', &tok)) {
		tok = cs_str_trim(tok);
		if (cs_str_eq_cstr(tok, "*"))
			return true;
		if (cs_str_starts_with(tok, "W/"))
			tok = cs_str_make(tok.ptr + 2, tok.len - 2);
		if (cs_str_eq(tok, want))
			return true;
	}
	return false;
}

bool http_media_type_is(const char *content_type, const char *want)
{
	struct list_item it;
	struct cs_str rest, tok;

	if (!content_type)
		return false;
	parse_item(cs_str_from(content_type), &it);
	if (!cs_str_eq_nocase(it.value, want))
		return false;
	rest = it.params;
	while (cs_str_next(&rest, ';', &tok)) {
		struct cs_str p = cs_str_trim(tok), v;

		if (p.len < 8 || strncasecmp(p.ptr, "charset=", 8) != 0)
			continue;
		v = cs_str_make(p.ptr + 8, p.len - 8);
		if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
			v = cs_str_make(v.ptr + 1, v.len - 2);
		if (!cs_str_eq_nocase(v, "utf-8") && !cs_str_eq_nocase(v, "utf8"))
			return false;
	}
	return true;
}

bool http_bearer_token(const char *authorization, struct cs_str *token)
{
	struct cs_str s;

	if (!authorization)
		return false;
	s = cs_str_trim(cs_str_from(authorization));
	/* The scheme is case-insensitive (RFC 9110 11.1). */
	if (s.len < 7 || strncasecmp(s.ptr, "bearer ", 7) != 0)
		return false;
	*token = cs_str_trim(cs_str_make(s.ptr + 7, s.len - 7));
	return token->len > 0;
}

bool http_secret_eq(struct cs_str a, struct cs_str b)
{
	unsigned char diff = a.len != b.len;
	size_t n = a.len < b.len ? a.len : b.len;

	/* Every byte of the shorter string is compared whatever the outcome,
	 * so the time taken does not tell how much of a guess was right. */
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(a.ptr[i] ^ b.ptr[i]);
	return diff == 0;
}
