/*
 * Tests of the pure parts of the workspace's authorisation (http/auth.h):
 * reading the session cookie out of a Cookie header, the same-origin check
 * of changes, the Set-Cookie values, and which units a unit officer may see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/auth.h"

#include "util/banned.h"

static void expect_cookie(const char *header, const char *name, const char *want)
{
	struct cs_str v;
	bool got = auth_cookie_get(header, name, &v);

	if (!want) {
		assert_false(got);
		return;
	}
	assert_true(got);
	assert_int_equal(v.len, strlen(want));
	assert_memory_equal(v.ptr, want, v.len);
}

static void test_cookie_get(void **state)
{
	(void)state;
	expect_cookie("chiso_session=abc", "chiso_session", "abc");
	expect_cookie("a=1; chiso_session=abc; b=2", "chiso_session", "abc");
	expect_cookie("a=1;chiso_session=abc", "chiso_session", "abc");
	expect_cookie("  chiso_session=abc  ", "chiso_session", "abc");
	expect_cookie("chiso_session=first; chiso_session=second", "chiso_session", "first");
	expect_cookie("xchiso_session=abc", "chiso_session", NULL);
	expect_cookie("chiso_sessionx=abc", "chiso_session", NULL);
	expect_cookie("chiso_session", "chiso_session", NULL);
	expect_cookie("chiso_session=", "chiso_session", NULL);
	expect_cookie("", "chiso_session", NULL);
	expect_cookie(NULL, "chiso_session", NULL);
}

static void test_same_origin(void **state)
{
	(void)state;
	assert_true(auth_same_origin("http://h.vn:8080", NULL, "h.vn:8080", false));
	assert_true(auth_same_origin(NULL, "http://h.vn:8080/w/", "h.vn:8080", false));
	assert_true(auth_same_origin("https://h.vn", NULL, "h.vn", true));
	/* No header at all: a command-line client; the CSRF token guards it. */
	assert_true(auth_same_origin(NULL, NULL, "h.vn", false));
	assert_false(auth_same_origin("http://h.vn", NULL, "h.vn", true));
	assert_false(auth_same_origin("https://h.vn", NULL, "h.vn", false));
	assert_false(auth_same_origin("http://h.vn.evil.example", NULL, "h.vn", false));
	assert_false(auth_same_origin("http://h.vn:8081", NULL, "h.vn:8080", false));
	assert_false(auth_same_origin("http://h.vn:8080", NULL, "h.vn:808", false));
	assert_false(auth_same_origin("null", NULL, "h.vn", false));
	assert_false(auth_same_origin("http://evil.example", "http://h.vn/", "h.vn", false));
	assert_false(auth_same_origin(NULL, "http://evil.example/h.vn", "h.vn", false));
	assert_false(auth_same_origin("http://h.vn", NULL, NULL, false));
	assert_true(auth_same_origin(NULL, NULL, NULL, false));
}

static void test_cookie_value(void **state)
{
	char v[160];

	(void)state;
	auth_cookie_value("tok", false, v, sizeof(v));
	assert_string_equal(v,
			    "chiso_session=tok; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
	auth_cookie_value("tok", true, v, sizeof(v));
	assert_string_equal(
		v, "chiso_session=tok; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure");
	auth_cookie_value(NULL, false, v, sizeof(v));
	assert_string_equal(v, "chiso_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
}

static void add_unit(struct cs_unit_set *set, int64_t id, const char *code, const char *parent)
{
	struct cs_unit u = {.id = id, .code = code, .name = code, .parent = parent};

	assert_int_equal(cs_unit_set_add(set, &u, NULL), CS_OK);
}

static void test_unit_allowed(void **state)
{
	struct cs_unit_set units;
	struct cs_user officer = {.role = CS_ROLE_UNIT_OFFICER, .unit_id = 2};
	struct cs_user viewer = {.role = CS_ROLE_VIEWER};

	(void)state;
	cs_unit_set_init(&units);
	add_unit(&units, 1, "P", NULL);
	add_unit(&units, 2, "D1", "P");
	add_unit(&units, 3, "C11", "D1");
	add_unit(&units, 4, "X111", "C11");
	add_unit(&units, 5, "D2", "P");
	add_unit(&units, 6, "C21", "D2");

	assert_true(auth_unit_allowed(&viewer, &units, 6));
	assert_true(auth_unit_allowed(&officer, &units, 2));
	assert_false(auth_unit_allowed(&officer, &units, 3));
	assert_false(auth_unit_allowed(&officer, &units, 1));
	officer.subtree = true;
	assert_true(auth_unit_allowed(&officer, &units, 2));
	assert_true(auth_unit_allowed(&officer, &units, 3));
	assert_true(auth_unit_allowed(&officer, &units, 4));
	assert_false(auth_unit_allowed(&officer, &units, 1));
	assert_false(auth_unit_allowed(&officer, &units, 5));
	assert_false(auth_unit_allowed(&officer, &units, 6));
	assert_false(auth_unit_allowed(&officer, &units, 99));
	cs_unit_set_release(&units);
}

static void test_hash_slots(void **state)
{
	(void)state;
	assert_true(auth_hash_enter());
	assert_true(auth_hash_enter());
	auth_hash_leave();
	assert_true(auth_hash_enter());
	auth_hash_leave();
	auth_hash_leave();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cookie_get),   cmocka_unit_test(test_same_origin),
		cmocka_unit_test(test_cookie_value), cmocka_unit_test(test_unit_allowed),
		cmocka_unit_test(test_hash_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
