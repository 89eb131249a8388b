/*
 * Unit tests for the read-only handle pool (http/dbpool.h) and the embedded
 * assets (http/assets.h): handles reused and capped, open errors reported,
 * gzip copies that decompress to the original.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>
#include <zlib.h>

#include <cmocka.h>

#include "http/assets.h"
#include "http/dbpool.h"
#include "util/alloc.h"

#include "util/banned.h"

static char db_path[512];

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct cs_store *s = NULL;
	int fd;

	(void)state;
	snprintf(db_path, sizeof(db_path), "%s/chiso-dbpool-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(db_path);
	assert_true(fd >= 0);
	close(fd);
	unlink(db_path);
	assert_int_equal(cs_store_open(db_path, CS_STORE_CREATE, &s, NULL), CS_OK);
	cs_store_close(s);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	unlink(db_path);
	return 0;
}

static void test_handles_reused_and_capped(void **state)
{
	struct http_dbpool *p = http_dbpool_new(db_path, 2);
	struct http_db *a = NULL, *b = NULL, *c = NULL;

	(void)state;
	assert_non_null(p);
	assert_int_equal(http_dbpool_open_count(p), 0);
	assert_int_equal(http_dbpool_get(p, &a, NULL), CS_OK);
	assert_non_null(a->store);
	assert_non_null(a->vi);
	assert_int_equal(cs_store_schema_version(a->store), cs_store_schema_latest());
	http_dbpool_put(p, a);
	assert_int_equal(http_dbpool_get(p, &b, NULL), CS_OK);
	assert_ptr_equal(a, b); /* the free handle is lent again, not a new one */
	assert_int_equal(http_dbpool_get(p, &c, NULL), CS_OK);
	assert_ptr_not_equal(b, c);
	assert_int_equal(http_dbpool_open_count(p), 2);
	http_dbpool_put(p, b);
	http_dbpool_put(p, c);
	http_dbpool_put(p, NULL);
	http_dbpool_free(p);
	http_dbpool_free(NULL);
}

struct borrower {
	struct http_dbpool *p;
	struct http_db *got;
	enum cs_err rc;
};

static void *borrow(void *arg)
{
	struct borrower *b = arg;

	b->rc = http_dbpool_get(b->p, &b->got, NULL);
	return NULL;
}

static void test_full_pool_waits_for_a_handle(void **state)
{
	struct http_dbpool *p = http_dbpool_new(db_path, 1);
	struct http_db *mine = NULL;
	struct borrower b = {p, NULL, CS_EINTERNAL};
	pthread_t th;

	(void)state;
	assert_int_equal(http_dbpool_get(p, &mine, NULL), CS_OK);
	assert_int_equal(pthread_create(&th, NULL, borrow, &b), 0);
	/* The borrower cannot get one until this one is back. */
	http_dbpool_put(p, mine);
	pthread_join(th, NULL);
	assert_int_equal(b.rc, CS_OK);
	assert_ptr_equal(b.got, mine);
	assert_int_equal(http_dbpool_open_count(p), 1);
	http_dbpool_put(p, b.got);
	http_dbpool_free(p);
}

static void test_open_error_frees_the_slot(void **state)
{
	struct http_dbpool *p = http_dbpool_new("/nonexistent/chiso.db", 1);
	struct http_db *db = (struct http_db *)1;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(http_dbpool_get(p, &db, &err), CS_ENOTFOUND);
	assert_null(db);
	assert_non_null(strstr(err.msg, "chiso init"));
	/* The failed open gave its slot back: a second try fails the same way
	 * rather than waiting for ever. */
	assert_int_equal(http_dbpool_get(p, &db, &err), CS_ENOTFOUND);
	assert_int_equal(http_dbpool_open_count(p), 0);
	http_dbpool_free(p);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	for (long n = 0;; n++) {
		struct http_dbpool *p;

		cs_alloc_fail_after(n);
		p = http_dbpool_new(db_path, 1);
		cs_alloc_fail_after(-1);
		if (p) {
			assert_int_equal(n, 2);
			http_dbpool_free(p);
			break;
		}
	}
	for (long n = 0;; n++) {
		struct http_dbpool *p = http_dbpool_new(db_path, 1);
		struct http_db *db = NULL;
		struct cs_error err = {0};
		enum cs_err rc;

		assert_non_null(p);
		cs_alloc_fail_after(n);
		rc = http_dbpool_get(p, &db, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			http_dbpool_put(p, db);
			http_dbpool_free(p);
			break;
		}
		assert_int_equal(rc, CS_ENOMEM);
		assert_null(db);
		/* The slot is free again after the failure. */
		assert_int_equal(http_dbpool_get(p, &db, &err), CS_OK);
		http_dbpool_put(p, db);
		http_dbpool_free(p);
	}
}

/* Inflates a gzip stream and compares it with the original. */
static void check_gunzip(const unsigned char *gz, size_t gz_len, const unsigned char *want,
			 size_t want_len)
{
	unsigned char *out = malloc(want_len + 1);
	z_stream z;

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)gz;
	z.avail_in = (uInt)gz_len;
	z.next_out = out;
	z.avail_out = (uInt)want_len + 1;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, want_len);
	assert_memory_equal(out, want, want_len);
	inflateEnd(&z);
	free(out);
}

static void test_assets(void **state)
{
	struct http_assets *set = NULL;
	const struct http_asset_served *s;

	(void)state;
	assert_int_equal(http_assets_load(&set, NULL), CS_OK);
	s = http_assets_find(set, "index.vi.html", strlen("index.vi.html"));
	assert_non_null(s);
	assert_string_equal(s->type, "text/html; charset=utf-8");
	assert_non_null(strstr((const char *)s->asset->data, "lang=\"vi\""));
	/* Asset references were resolved at build time to versioned URLs. */
	assert_null(strstr((const char *)s->asset->data, "{{asset:"));
	assert_non_null(strstr((const char *)s->asset->data, "/assets/style.css?v="));
	assert_non_null(s->gz);
	assert_true(s->gz_len < s->asset->len);
	check_gunzip(s->gz, s->gz_len, s->asset->data, s->asset->len);
	assert_int_equal(s->asset->etag[0], '"');
	assert_non_null(strstr(s->gz_etag, "-gz\""));
	assert_non_null(http_assets_find(set, "index.en.html", 13));
	assert_non_null(http_assets_find(set, "style.css", 9));
	assert_non_null(http_assets_find(set, "api.md", 6));
	assert_null(http_assets_find(set, "style.cs", 8));
	assert_null(http_assets_find(set, "../CMakeLists.txt", 17));
	http_assets_free(set);
	http_assets_free(NULL);

	assert_string_equal(http_content_type("a.css"), "text/css; charset=utf-8");
	assert_string_equal(http_content_type("x/y.js"), "text/javascript; charset=utf-8");
	assert_string_equal(http_content_type("i.svg"), "image/svg+xml");
	assert_string_equal(http_content_type("f.woff2"), "font/woff2");
	assert_string_equal(http_content_type("README"), "application/octet-stream");
	assert_string_equal(http_content_type(".css"), "application/octet-stream");
}

static void test_assets_out_of_memory(void **state)
{
	(void)state;
	for (long n = 0;; n++) {
		struct http_assets *set = NULL;
		struct cs_error err = {0};
		enum cs_err rc;

		cs_alloc_fail_after(n);
		rc = http_assets_load(&set, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			assert_non_null(set);
			http_assets_free(set);
			break;
		}
		assert_int_equal(rc, CS_ENOMEM);
		assert_null(set);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handles_reused_and_capped),
		cmocka_unit_test(test_full_pool_waits_for_a_handle),
		cmocka_unit_test(test_open_error_frees_the_slot),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_assets),
		cmocka_unit_test(test_assets_out_of_memory),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
