/* Unit tests for the per-handle reply cache (http/cache.h): hits, versions, eviction, memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <microhttpd.h>

#include <cmocka.h>

#include "http/cache.h"
#include "util/alloc.h"

#include "util/banned.h"

static struct MHD_Response *response(const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(body), (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);

	assert_non_null(r);
	return r;
}

static void test_hit_and_version(void **state)
{
	struct http_cache *c = http_cache_new(4);
	struct MHD_Response *a = response("aaa");
	size_t len = 0;

	(void)state;
	assert_non_null(c);
	/* A first look sets the version; nothing is kept yet. */
	assert_null(http_cache_get(c, "/x", 7, &len));
	/* A reply for another version than the cache's is refused. */
	assert_false(http_cache_put(c, "/x", 8, a, 3));
	assert_true(http_cache_put(c, "/x", 7, a, 3));
	assert_ptr_equal(http_cache_get(c, "/x", 7, &len), a);
	assert_int_equal(len, 3);
	assert_null(http_cache_get(c, "/x?a=1", 7, &len));
	/* The database moved on: everything kept is dropped. */
	assert_null(http_cache_get(c, "/x", 8, &len));
	assert_null(http_cache_get(c, "/x", 7, &len));
	http_cache_free(c);
	http_cache_free(NULL);
}

static void test_replace_and_evict(void **state)
{
	struct http_cache *c = http_cache_new(2);
	size_t len;

	(void)state;
	assert_null(http_cache_get(c, "/", 1, &len));
	assert_true(http_cache_put(c, "/a", 1, response("a"), 1));
	assert_true(http_cache_put(c, "/a", 1, response("A2"), 2)); /* replaces */
	assert_non_null(http_cache_get(c, "/a", 1, &len));
	assert_int_equal(len, 2);
	assert_true(http_cache_put(c, "/b", 1, response("b"), 1));
	assert_true(http_cache_put(c, "/c", 1, response("c"), 1)); /* evicts the oldest */
	assert_null(http_cache_get(c, "/a", 1, &len));
	assert_non_null(http_cache_get(c, "/b", 1, &len));
	assert_non_null(http_cache_get(c, "/c", 1, &len));
	/* Too big to keep: refused, and the caller keeps its reference. */
	{
		struct MHD_Response *big = response("x");

		assert_false(http_cache_put(c, "/big", 1, big, HTTP_CACHE_BODY_MAX + 1));
		MHD_destroy_response(big);
	}
	http_cache_free(c);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	for (long n = 0;; n++) {
		struct http_cache *c;

		cs_alloc_fail_after(n);
		c = http_cache_new(8);
		cs_alloc_fail_after(-1);
		if (c) {
			struct MHD_Response *r = response("r");
			size_t len;
			bool ok;

			assert_int_equal(n, 2);
			assert_null(http_cache_get(c, "/", 1, &len));
			cs_alloc_fail_after(0);
			ok = http_cache_put(c, "/r", 1, r, 1);
			cs_alloc_fail_after(-1);
			assert_false(ok);
			MHD_destroy_response(r);
			http_cache_free(c);
			break;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_and_version),
		cmocka_unit_test(test_replace_and_evict),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
