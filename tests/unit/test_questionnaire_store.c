/*
 * Tests of storing questionnaires (store/questionnaire_store.h): saving a
 * version once, the same content again, other content under the same
 * version, loading the newest or a given version, the derived element and
 * item rows, listing, a body changed behind chiso's back, out of memory.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/questionnaire_json.h"
#include "store/questionnaire_store.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/vec.h"

#include "util/banned.h"

static char dir[4096];
static int serial;

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_questionnaire_store.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[8192];

	(void)state;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(dir);
}

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static struct cs_store *open_new(void)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	snprintf(path, sizeof(path), "%s/q%d.db", dir, serial++);
	if (cs_store_open(path, CS_STORE_CREATE, &s, &err))
		fail_msg("open: %s", err.msg);
	return s;
}

/* A small valid questionnaire; title changes the content. */
static struct cs_questionnaire *small(const char *version, const char *title)
{
	char text[1024];
	struct cs_questionnaire *q = NULL;
	struct cs_error err = {0};

	snprintf(text, sizeof(text),
		 "{\"format\": \"chiso-questionnaire\", \"code\": \"q\", \"title\": \"%s\", "
		 "\"version\": \"%s\", \"decision\": \"QĐ 1/QĐ-X\", "
		 "\"elements\": [{\"code\": \"E1\", \"title\": {\"vi\": \"Tiếp cận\"}}], "
		 "\"items\": [{\"code\": \"a\", \"element\": \"E1\", \"type\": \"likert5\", "
		 "\"role\": \"satisfaction\", \"text\": {\"vi\": \"A\", \"en\": \"A en\"}}, "
		 "{\"code\": \"k\", \"type\": \"single\", \"role\": \"respondent\", \"field\": "
		 "\"kind\", \"choices\": [{\"value\": \"citizen\"}, {\"value\": "
		 "\"organisation\"}]}]}",
		 title, version);
	if (cs_questionnaire_json_read("small.json", text, strlen(text), &q, &err))
		fail_msg("%s", err.msg);
	return q;
}

static int64_t count(struct cs_store *s, const char *sql)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	int64_t n;

	assert_int_equal(cs_stmt_prepare(s, sql, &st, NULL), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, NULL), CS_OK);
	assert_true(row);
	n = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return n;
}

static void test_save_load_list(void **state)
{
	struct cs_store *s = open_new();
	struct cs_questionnaire *q1 = small("1", "Một"), *q2 = small("2", "Hai"), *got = NULL;
	struct cs_error err = {0};
	char sha[CS_SHA256_HEX_LEN], sha2[CS_SHA256_HEX_LEN], ver[CS_Q_CODE_MAX + 1];
	struct cs_arena arena;
	struct cs_vec list;
	const struct cs_q_stored *e;
	char *json = NULL;
	size_t len = 0;
	bool added = false;

	(void)state;
	assert_int_equal(cs_questionnaire_store_save(s, q1, &added, sha, &err), CS_OK);
	assert_true(added);
	assert_int_equal(strlen(sha), 64);
	/* The same content again: nothing written. */
	assert_int_equal(cs_questionnaire_store_save(s, q1, &added, sha2, &err), CS_OK);
	assert_false(added);
	assert_string_equal(sha, sha2);
	assert_int_equal(cs_questionnaire_store_save(s, q2, &added, NULL, &err), CS_OK);
	assert_true(added);

	/* The body is the canonical JSON, and its hash is the one returned. */
	assert_int_equal(cs_questionnaire_store_body(s, "q", "1", &json, &len, sha2, ver, &err),
			 CS_OK);
	assert_string_equal(sha, sha2);
	assert_string_equal(ver, "1");
	assert_non_null(strstr(json, "\"title\": \"Một\""));
	assert_int_equal(len, strlen(json));
	cs_free(json);

	/* Newest by default, or the version asked for. */
	assert_int_equal(cs_questionnaire_store_load(s, "q", NULL, &got, NULL, &err), CS_OK);
	assert_string_equal(cs_questionnaire_info(got)->version, "2");
	assert_true(cs_questionnaire_is_valid(got));
	cs_questionnaire_free(got);
	assert_int_equal(cs_questionnaire_store_load(s, "q", "1", &got, sha2, &err), CS_OK);
	assert_string_equal(cs_questionnaire_info(got)->title, "Một");
	assert_string_equal(sha, sha2);
	assert_string_equal(cs_questionnaire_item(got, 0)->text_en, "A en");
	cs_questionnaire_free(got);

	assert_int_equal(cs_questionnaire_store_load(s, "q", "9", &got, NULL, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg,
			    "no questionnaire 'q' version '9' is stored; see 'chiso survey list'");
	assert_null(got);
	assert_int_equal(cs_questionnaire_store_load(s, "zz", NULL, &got, NULL, &err),
			 CS_ENOTFOUND);
	assert_string_equal(err.msg, "no questionnaire 'zz' is stored; import it with 'chiso "
				     "survey import FILE'");

	/* Derived rows and the audit log. */
	assert_int_equal(count(s, "select count(*) from questionnaire_element"), 2);
	assert_int_equal(count(s, "select count(*) from questionnaire_item"), 4);
	assert_int_equal(count(s, "select count(*) from questionnaire_item where role = "
				  "'respondent' and field = 'kind' and choices = 2"),
			 2);
	assert_int_equal(count(s, "select count(*) from audit where entity = 'questionnaire' and "
				  "entity_id = 'q@1' and new_value is not null"),
			 1);

	cs_arena_init(&arena, 0);
	cs_vec_init(&list, sizeof(struct cs_q_stored), 0);
	assert_int_equal(cs_questionnaire_store_list(s, &arena, &list, &err), CS_OK);
	assert_int_equal(list.len, 2);
	e = cs_vec_at(&list, 0);
	assert_string_equal(e->code, "q");
	assert_string_equal(e->version, "1");
	assert_string_equal(e->decision, "QĐ 1/QĐ-X");
	assert_string_equal(e->sha256, sha);
	assert_int_equal(e->elements, 1);
	assert_int_equal(e->items, 2);
	assert_int_equal(e->satisfaction, 1);
	assert_int_equal(strlen(e->imported_at), 20);
	cs_vec_release(&list);
	cs_arena_release(&arena);

	cs_questionnaire_free(q1);
	cs_questionnaire_free(q2);
	cs_store_close(s);
}

static void test_conflicts(void **state)
{
	struct cs_store *s = open_new();
	struct cs_questionnaire *q = small("1", "Một"), *other = small("1", "Khác"), *got = NULL;
	struct cs_questionnaire *raw;
	struct cs_q_info info = {"r", "R", NULL, "1", false, NULL};
	struct cs_error err = {0};
	bool added = true;

	(void)state;
	assert_int_equal(cs_questionnaire_store_save(s, q, NULL, NULL, &err), CS_OK);
	assert_int_equal(cs_questionnaire_store_save(s, other, &added, NULL, &err), CS_EEXIST);
	assert_false(added);
	assert_non_null(strstr(err.msg, "questionnaire 'q' version '1' is already stored with "
					"other content (sha256 "));
	assert_non_null(strstr(err.msg, "give the changed questionnaire a new version"));
	assert_int_equal(count(s, "select count(*) from methodology"), 1);

	/* Not validated: refused. */
	raw = cs_questionnaire_new(&info, NULL);
	assert_non_null(raw);
	assert_int_equal(cs_questionnaire_store_save(s, raw, NULL, NULL, &err), CS_ESTATE);
	assert_string_equal(err.msg, "questionnaire 'r' version '1' is not validated");
	cs_questionnaire_free(raw);

	/* A body changed outside chiso no longer matches its hash. */
	assert_int_equal(cs_store_exec(s,
				       "update methodology set body = replace(body, 'Một', 'Mot') "
				       "where kind = 'questionnaire'",
				       &err),
			 CS_OK);
	assert_int_equal(cs_questionnaire_store_load(s, "q", "1", &got, NULL, &err), CS_ECONFLICT);
	assert_string_equal(err.msg, "questionnaire 'q' version '1': the stored body does not "
				     "match its sha256 (the database was changed outside chiso)");
	assert_null(got);

	cs_questionnaire_free(q);
	cs_questionnaire_free(other);
	cs_store_close(s);
}

static void test_out_of_memory(void **state)
{
	struct cs_questionnaire *q = small("1", "Một"), *got = NULL;
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	for (n = 0; n < 100000; n++) {
		struct cs_store *s = open_new();

		cs_alloc_fail_after(n);
		rc = cs_questionnaire_store_save(s, q, NULL, NULL, NULL);
		if (!rc)
			rc = cs_questionnaire_store_load(s, "q", NULL, &got, NULL, NULL);
		cs_alloc_fail_after(-1);
		cs_store_close(s);
		if (rc == CS_OK)
			break;
		assert_true(rc == CS_ENOMEM || rc == CS_ESTORE);
		assert_null(got);
	}
	assert_int_equal(rc, CS_OK);
	assert_int_equal(cs_questionnaire_item_count(got), 2);
	cs_questionnaire_free(got);
	cs_questionnaire_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_save_load_list),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
