/*
 * Tests of the periods marked public (store/public_store.h): marking and
 * unmarking with one audit row per change and none for a repeat, the list in
 * period order, a period that is not stored, and out of memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/public_store.h"
#include "store/store.h"
#include "store/unit_store.h"
#include "util/alloc.h"

#include "util/banned.h"

static char path[4096];
static int serial;

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static int64_t q_i64(struct cs_store *s, const char *sql)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	int64_t v;

	assert_int_equal(cs_stmt_prepare(s, sql, &st, NULL), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, NULL), CS_OK);
	assert_true(row);
	v = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return v;
}

/* A new database with periods 2023, 2024 and 2025-Q1; their ids in the order added. */
static struct cs_store *open_db(struct cs_period p[3])
{
	static const char *const codes[] = {"2024", "2023", "2025-Q1"};
	static const char *const starts[] = {"2024-01-01", "2023-01-01", "2025-01-01"};
	static const char *const ends[] = {"2024-12-31", "2023-12-31", "2025-03-31"};
	const char *tmp = getenv("TMPDIR");
	struct cs_store *s = NULL;
	struct cs_vec all;

	snprintf(path, sizeof(path), "%s/test_public_store.%d.%d.db", tmp && *tmp ? tmp : "/tmp",
		 (int)getpid(), serial++);
	unlink(path);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, NULL), CS_OK);
	for (int i = 0; i < 3; i++) {
		struct cs_period q = {0};

		snprintf(q.code, sizeof(q.code), "%s", codes[i]);
		snprintf(q.starts, sizeof(q.starts), "%s", starts[i]);
		snprintf(q.ends, sizeof(q.ends), "%s", ends[i]);
		assert_int_equal(cs_period_store_add(s, &q, NULL), CS_OK);
	}
	cs_vec_init(&all, sizeof(struct cs_period), 0);
	assert_int_equal(cs_period_store_list(s, &all, NULL), CS_OK);
	assert_int_equal(all.len, 3);
	/* Listed by start: 2023, 2024, 2025-Q1. */
	for (int i = 0; i < 3; i++)
		p[i] = *(struct cs_period *)cs_vec_at(&all, (size_t)i);
	cs_vec_release(&all);
	return s;
}

static void close_db(struct cs_store *s)
{
	char wal[4200];

	cs_store_close(s);
	unlink(path);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
}

static void test_mark_unmark(void **state)
{
	struct cs_period p[3];
	struct cs_store *s = open_db(p);
	struct cs_error err = {0};
	bool changed = false, pub = true;

	(void)state;
	assert_string_equal(p[1].code, "2024");
	assert_int_equal(cs_public_period_is(s, p[1].id, &pub, &err), CS_OK);
	assert_false(pub);

	assert_int_equal(cs_public_period_set(s, &p[1], true, &changed, &err), CS_OK);
	assert_true(changed);
	assert_int_equal(cs_public_period_is(s, p[1].id, &pub, &err), CS_OK);
	assert_true(pub);
	assert_int_equal(cs_public_period_is(s, p[0].id, &pub, &err), CS_OK);
	assert_false(pub);
	assert_int_equal(q_i64(s,
			       "select count(*) from audit where entity = 'period' and "
			       "entity_id = '2024' and field = 'public' and old_value = 'no' and "
			       "new_value = 'yes' and actor = 'cli'"),
			 1);

	/* Again: nothing changes, nothing is written. */
	assert_int_equal(cs_public_period_set(s, &p[1], true, &changed, &err), CS_OK);
	assert_false(changed);
	assert_int_equal(q_i64(s, "select count(*) from audit where field = 'public'"), 1);
	assert_int_equal(q_i64(s, "select count(*) from public_period"), 1);

	assert_int_equal(cs_store_set_actor(s, "hoa", &err), CS_OK);
	assert_int_equal(cs_public_period_set(s, &p[1], false, &changed, &err), CS_OK);
	assert_true(changed);
	assert_int_equal(cs_public_period_is(s, p[1].id, &pub, &err), CS_OK);
	assert_false(pub);
	assert_int_equal(q_i64(s, "select count(*) from audit where field = 'public' and "
				  "old_value = 'yes' and new_value = 'no' and actor = 'hoa'"),
			 1);
	assert_int_equal(cs_public_period_set(s, &p[1], false, NULL, &err), CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from audit where field = 'public'"), 2);
	close_db(s);
}

static void test_list_in_period_order(void **state)
{
	struct cs_period p[3];
	struct cs_store *s = open_db(p);
	struct cs_vec out;

	(void)state;
	cs_vec_init(&out, sizeof(struct cs_period), 0);
	assert_int_equal(cs_public_period_list(s, &out, NULL), CS_OK);
	assert_int_equal(out.len, 0);

	/* Marked out of order, listed by start date. */
	assert_int_equal(cs_public_period_set(s, &p[2], true, NULL, NULL), CS_OK);
	assert_int_equal(cs_public_period_set(s, &p[0], true, NULL, NULL), CS_OK);
	assert_int_equal(cs_public_period_list(s, &out, NULL), CS_OK);
	assert_int_equal(out.len, 2);
	assert_string_equal(((struct cs_period *)cs_vec_at(&out, 0))->code, "2023");
	assert_string_equal(((struct cs_period *)cs_vec_at(&out, 1))->code, "2025-Q1");
	assert_string_equal(((struct cs_period *)cs_vec_at(&out, 1))->ends, "2025-03-31");
	cs_vec_release(&out);
	close_db(s);
}

static void test_unknown_period(void **state)
{
	struct cs_period p[3];
	struct cs_store *s = open_db(p);
	struct cs_period ghost = {.id = 999, .code = "ghost"};
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_public_period_set(s, &ghost, true, NULL, &err), CS_ECONFLICT);
	assert_string_equal(err.msg, "period 'ghost' (id 999) is not in the database");
	assert_int_equal(q_i64(s, "select count(*) from public_period"), 0);
	assert_int_equal(q_i64(s, "select count(*) from audit where field = 'public'"), 0);
	close_db(s);
}

static void test_out_of_memory(void **state)
{
	struct cs_period p[3];
	struct cs_store *s = open_db(p);
	struct cs_error err = {0};
	struct cs_vec out;
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(cs_public_period_set(s, &p[i], true, NULL, NULL), CS_OK);
	for (n = 0; n < 1000; n++) {
		cs_vec_init(&out, sizeof(struct cs_period), 0);
		cs_alloc_fail_after(n);
		rc = cs_public_period_list(s, &out, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		cs_vec_release(&out);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 0);
	assert_int_equal(out.len, 3);
	cs_vec_release(&out);

	for (n = 0; n < 1000; n++) {
		cs_alloc_fail_after(n);
		rc = cs_public_period_set(s, &p[1], false, NULL, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		/* All or nothing: still public, no audit row. */
		assert_int_equal(q_i64(s, "select count(*) from public_period"), 3);
	}
	assert_int_equal(rc, CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from public_period"), 2);
	close_db(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mark_unmark),
		cmocka_unit_test(test_list_in_period_order),
		cmocka_unit_test(test_unknown_period),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
