/* Unit tests for request header parsing (http/headers.h) and route matching (http/router.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/headers.h"
#include "http/router.h"

#include "util/banned.h"

static void test_lang_pick(void **state)
{
	(void)state;
	assert_int_equal(http_lang_pick(NULL, NULL), HTTP_LANG_VI);
	assert_int_equal(http_lang_pick("en", NULL), HTTP_LANG_EN);
	assert_int_equal(http_lang_pick("vi", "en"), HTTP_LANG_VI);
	/* An unknown ?lang= falls back to the header. */
	assert_int_equal(http_lang_pick("fr", "en-US,en;q=0.9"), HTTP_LANG_EN);
	assert_int_equal(http_lang_pick(NULL, "en-GB"), HTTP_LANG_EN);
	assert_int_equal(http_lang_pick(NULL, "vi-VN,vi;q=0.9,en;q=0.8"), HTTP_LANG_VI);
	assert_int_equal(http_lang_pick(NULL, "fr, en;q=0.5, vi;q=0.7"), HTTP_LANG_VI);
	assert_int_equal(http_lang_pick(NULL, "fr, vi;q=0.5, en;q=0.7"), HTTP_LANG_EN);
	/* Equal weights: the first listed wins. */
	assert_int_equal(http_lang_pick(NULL, "en, vi"), HTTP_LANG_EN);
	/* q=0 refuses; garbage weights count as 0. */
	assert_int_equal(http_lang_pick(NULL, "en;q=0"), HTTP_LANG_VI);
	assert_int_equal(http_lang_pick(NULL, "en;q=banana"), HTTP_LANG_VI);
	assert_int_equal(http_lang_pick(NULL, "en;q=1.5"), HTTP_LANG_VI);
	assert_int_equal(http_lang_pick(NULL, "EN"), HTTP_LANG_EN);
	assert_int_equal(http_lang_pick(NULL, "fr, de"), HTTP_LANG_VI);
	assert_int_equal(http_lang_pick(NULL, ""), HTTP_LANG_VI);
	assert_int_equal(http_lang_pick(NULL, ",,;"), HTTP_LANG_VI);
	assert_string_equal(http_lang_code(HTTP_LANG_EN), "en");
	assert_string_equal(http_lang_code(HTTP_LANG_VI), "vi");
}

static void test_accepts_gzip(void **state)
{
	(void)state;
	assert_false(http_accepts_gzip(NULL));
	assert_false(http_accepts_gzip(""));
	assert_true(http_accepts_gzip("gzip"));
	assert_true(http_accepts_gzip("gzip, deflate, br"));
	assert_true(http_accepts_gzip("br;q=1.0, gzip;q=0.8"));
	assert_true(http_accepts_gzip("*"));
	assert_false(http_accepts_gzip("gzip;q=0"));
	assert_false(http_accepts_gzip("*, gzip;q=0"));
	assert_false(http_accepts_gzip("identity"));
	assert_false(http_accepts_gzip("gzipx"));
	assert_true(http_accepts_gzip("GZIP"));
}

static void test_etag_match(void **state)
{
	(void)state;
	assert_false(http_etag_match(NULL, "\"a\""));
	assert_true(http_etag_match("\"a\"", "\"a\""));
	assert_true(http_etag_match("\"x\", \"a\"", "\"a\""));
	assert_true(http_etag_match("W/\"a\"", "\"a\""));
	assert_true(http_etag_match("*", "\"a\""));
	assert_false(http_etag_match("\"b\"", "\"a\""));
	assert_false(http_etag_match("a", "\"a\""));
	assert_false(http_etag_match("", "\"a\""));
}

static void test_media_type(void **state)
{
	(void)state;
	assert_false(http_media_type_is(NULL, "application/json"));
	assert_true(http_media_type_is("application/json", "application/json"));
	assert_true(http_media_type_is("Application/JSON", "application/json"));
	assert_true(http_media_type_is("application/json; charset=utf-8", "application/json"));
	assert_true(http_media_type_is("application/json;charset=\"UTF-8\"", "application/json"));
	assert_false(http_media_type_is("application/json; charset=latin1", "application/json"));
	assert_false(http_media_type_is("text/plain", "application/json"));
	assert_false(http_media_type_is("application/jsonx", "application/json"));
	assert_false(http_media_type_is("", "application/json"));
}

static void test_bearer_and_secret(void **state)
{
	struct cs_str tok;

	(void)state;
	assert_false(http_bearer_token(NULL, &tok));
	assert_false(http_bearer_token("Basic abc", &tok));
	assert_false(http_bearer_token("Bearer ", &tok));
	assert_false(http_bearer_token("Bearer", &tok));
	assert_true(http_bearer_token("Bearer abc123", &tok));
	assert_true(cs_str_eq_cstr(tok, "abc123"));
	assert_true(http_bearer_token("  bearer   xyz  ", &tok));
	assert_true(cs_str_eq_cstr(tok, "xyz"));

	assert_true(http_secret_eq(CS_STR("secret"), CS_STR("secret")));
	assert_false(http_secret_eq(CS_STR("secret"), CS_STR("secreT")));
	assert_false(http_secret_eq(CS_STR("secret"), CS_STR("secret2")));
	assert_false(http_secret_eq(CS_STR(""), CS_STR("x")));
	assert_true(http_secret_eq(CS_STR(""), CS_STR("")));
}

static void test_pattern_match(void **state)
{
	struct http_params p;
	struct cs_str v;

	(void)state;
	assert_true(http_pattern_match("/api/v1/units", "/api/v1/units", &p));
	assert_int_equal(p.n, 0);
	assert_false(http_pattern_match("/api/v1/units", "/api/v1/units/", &p));
	assert_false(http_pattern_match("/api/v1/units", "/api/v1/unit", &p));
	assert_true(http_pattern_match("/api/v1/units/{code}", "/api/v1/units/HN", &p));
	assert_int_equal(p.n, 1);
	assert_true(http_params_get(&p, "code", &v));
	assert_true(cs_str_eq_cstr(v, "HN"));
	assert_false(http_params_get(&p, "cod", &v));
	assert_false(http_params_get(&p, "codes", &v));
	assert_false(http_pattern_match("/api/v1/units/{code}", "/api/v1/units/", &p));
	assert_false(http_pattern_match("/api/v1/units/{code}", "/api/v1/units/a/b", &p));
	assert_true(http_pattern_match("/a/{x}/b/{y}", "/a/1/b/22", &p));
	assert_int_equal(p.n, 2);
	assert_true(http_params_get(&p, "y", &v));
	assert_true(cs_str_eq_cstr(v, "22"));
	assert_true(http_pattern_match("/assets/{name*}", "/assets/js/app.js", &p));
	assert_true(http_params_get(&p, "name", &v));
	assert_true(cs_str_eq_cstr(v, "js/app.js"));
	assert_false(http_pattern_match("/assets/{name*}", "/assets/", &p));
	/* A broken pattern matches nothing. */
	assert_false(http_pattern_match("/a/{x", "/a/1", &p));
}

static void h(struct http_req *req)
{
	(void)req;
}

static const struct http_route routes[] = {
	{HTTP_GET, "/x", h, NULL, 0, 0, NULL},
	{HTTP_POST, "/x", h, NULL, 0, 100, "application/json"},
	{HTTP_GET, "/x/{id}", h, NULL, 0, 0, NULL},
	{HTTP_DELETE, "/x/{id}", h, NULL, 0, 0, NULL},
};

static void test_route_find(void **state)
{
	struct http_params p;
	unsigned allow = 99;
	char list[64];

	(void)state;
	assert_ptr_equal(http_route_find(routes, 4, HTTP_GET, "/x", &p, &allow), &routes[0]);
	assert_ptr_equal(http_route_find(routes, 4, HTTP_HEAD, "/x", &p, &allow), &routes[0]);
	assert_ptr_equal(http_route_find(routes, 4, HTTP_POST, "/x", &p, &allow), &routes[1]);
	assert_ptr_equal(http_route_find(routes, 4, HTTP_DELETE, "/x/7", &p, &allow), &routes[3]);
	assert_int_equal(p.n, 1);
	assert_null(http_route_find(routes, 4, HTTP_PUT, "/x/7", &p, &allow));
	assert_int_equal(allow, HTTP_GET | HTTP_DELETE);
	assert_string_equal(http_methods_list(allow, list, sizeof(list)), "GET, HEAD, DELETE");
	assert_null(http_route_find(routes, 4, HTTP_GET, "/y", &p, &allow));
	assert_int_equal(allow, 0);
	assert_string_equal(http_methods_list(HTTP_POST, list, sizeof(list)), "POST");
	/* A list that does not fit stops at the last whole method. */
	assert_string_equal(http_methods_list(HTTP_GET | HTTP_POST, list, 12), "GET, HEAD");

	assert_int_equal(http_method_parse("GET"), HTTP_GET);
	assert_int_equal(http_method_parse("OPTIONS"), HTTP_OPTIONS);
	assert_int_equal(http_method_parse("get"), 0);
	assert_int_equal(http_method_parse("BREW"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lang_pick),	  cmocka_unit_test(test_accepts_gzip),
		cmocka_unit_test(test_etag_match),	  cmocka_unit_test(test_media_type),
		cmocka_unit_test(test_bearer_and_secret), cmocka_unit_test(test_pattern_match),
		cmocka_unit_test(test_route_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
