/*
 * Tests of the dashboards' JSON writer (http/dash_json.h): commas, nesting,
 * string escapes, numbers in the shortest form with NaN as null, the misuse
 * it reports, the buffer's cap, and out of memory.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/dash_json.h"
#include "util/alloc.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* A document with every kind of value. */
static enum cs_err write_doc(struct cs_buf *b, struct cs_error *err)
{
	struct dash_json w;

	dash_json_init(&w, b, err);
	dash_json_obj(&w);
	dash_json_kstr(&w, "name", "Công an \"tỉnh\"\\\n\t\x01");
	dash_json_knum(&w, "index", 91.84);
	dash_json_knum(&w, "third", 1.0 / 3.0);
	dash_json_knum(&w, "none", NAN);
	dash_json_knum(&w, "big", 1e20);
	dash_json_ksize(&w, "n", 63);
	dash_json_key(&w, "places");
	dash_json_int(&w, -3);
	dash_json_kbool(&w, "ok", true);
	dash_json_kstr(&w, "missing", NULL);
	dash_json_key(&w, "list");
	dash_json_arr(&w);
	dash_json_num(&w, 0.1 + 0.2);
	dash_json_null(&w);
	dash_json_obj(&w);
	dash_json_end(&w);
	dash_json_arr(&w);
	dash_json_end_arr(&w);
	dash_json_raw(&w, "{\"a\": 1}", 8);
	dash_json_end_arr(&w);
	dash_json_end(&w);
	return dash_json_done(&w);
}

static void test_document(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 4096);
	assert_int_equal(write_doc(&b, NULL), CS_OK);
	assert_string_equal(b.data,
			    "{\"name\":\"Công an \\\"tỉnh\\\"\\\\\\n\\t\\u0001\","
			    "\"index\":91.84,\"third\":0.3333333333333333,\"none\":null,"
			    "\"big\":1e+20,\"n\":63,\"places\":-3,\"ok\":true,\"missing\":null,"
			    "\"list\":[0.30000000000000004,null,{},[],{\"a\": 1}]}");
	cs_buf_release(&b);
}

static void test_top_level_values(void **state)
{
	struct dash_json w;
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 64);
	dash_json_init(&w, &b, NULL);
	dash_json_str(&w, "a");
	assert_int_equal(dash_json_done(&w), CS_OK);
	assert_string_equal(b.data, "\"a\"");
	cs_buf_release(&b);
}

static void test_misuse(void **state)
{
	struct cs_error err = {0};
	struct dash_json w;
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 4096);
	dash_json_init(&w, &b, &err);
	dash_json_obj(&w);
	assert_int_equal(dash_json_done(&w), CS_EINVAL);
	assert_string_equal(err.msg, "JSON writer: 1 values left open");

	cs_buf_reset(&b);
	dash_json_init(&w, &b, &err);
	dash_json_end_arr(&w);
	assert_int_equal(dash_json_done(&w), CS_EINVAL);
	assert_string_equal(err.msg, "JSON writer: ']' closes nothing");

	/* A key without its value. */
	cs_buf_reset(&b);
	dash_json_init(&w, &b, &err);
	dash_json_obj(&w);
	dash_json_key(&w, "k");
	dash_json_end(&w);
	assert_int_equal(dash_json_done(&w), CS_EINVAL);

	cs_buf_reset(&b);
	dash_json_init(&w, &b, &err);
	for (int i = 0; i <= DASH_JSON_DEPTH; i++)
		dash_json_arr(&w);
	assert_int_equal(dash_json_done(&w), CS_EINVAL);
	assert_string_equal(err.msg, "JSON writer: nesting deeper than 16");
	/* Every later call does nothing. */
	dash_json_str(&w, "x");
	assert_int_equal(dash_json_done(&w), CS_EINVAL);
	cs_buf_release(&b);
}

static void test_cap(void **state)
{
	struct cs_error err = {0};
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 40);
	assert_int_equal(write_doc(&b, &err), CS_ETOOBIG);
	assert_true(b.len <= 40);
	cs_buf_release(&b);
}

static void test_out_of_memory(void **state)
{
	struct cs_buf b;
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	for (n = 0; n < 100; n++) {
		cs_buf_init(&b, 4096);
		cs_alloc_fail_after(n);
		rc = write_doc(&b, NULL);
		cs_alloc_fail_after(-1);
		cs_buf_release(&b);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_top_level_values),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_cap),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
