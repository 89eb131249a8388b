/*
 * Tests of the survey team's records (store/keying_store.h): sample plans
 * and progress, form numbers, the double keying of paper forms (first,
 * agreeing, differing, agreeing on refused values, the same person twice, a
 * third keying), resolution, the list of forms, and allocation failures.
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
#include "store/keying_store.h"
#include "store/response_one.h"
#include "store/store.h"
#include "util/alloc.h"

#include "util/banned.h"

static char dir[4096];
static int serial;
static struct cs_questionnaire *q;
static struct cs_resp_layout layout;

static const char QJSON[] =
	"{\"format\":\"chiso-questionnaire\",\"format_version\":1,\"code\":\"p\",\"title\":\"P\","
	"\"version\":\"1\",\"elements\":[{\"code\":\"E1\",\"title\":{\"vi\":\"E\",\"en\":\"E\"}}],"
	"\"items\":[{\"code\":\"q1\",\"element\":\"E1\",\"type\":\"likert5\",\"role\":"
	"\"satisfaction\",\"required\":true,\"text\":{\"vi\":\"a\",\"en\":\"a\"}},"
	"{\"code\":\"q2\",\"element\":\"E1\",\"type\":\"likert5\",\"role\":\"satisfaction\","
	"\"text\":{\"vi\":\"b\",\"en\":\"b\"}}]}";

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct cs_error err = {0};

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_keying_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	if (cs_questionnaire_json_read("p", QJSON, sizeof(QJSON) - 1, &q, &err) ||
	    cs_resp_layout_init(&layout, q, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[8192];

	(void)state;
	cs_resp_layout_release(&layout);
	cs_questionnaire_free(q);
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

static struct cs_store *open_ready(struct cs_wave *w)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	snprintf(path, sizeof(path), "%s/db%d.sqlite", dir, serial++);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_OK);
	if (cs_store_exec(s,
			  "insert into period (code, starts, ends) values ('2026', '2026-01-01', "
			  "'2026-12-31');"
			  "insert into unit (code, name, level) values ('U1', 'Đơn vị 1', "
			  "'district');"
			  "insert into unit (code, name, level) values ('U2', 'Đơn vị 2', "
			  "'district');"
			  "insert into survey_wave (code, questionnaire, questionnaire_version, "
			  "period_id, mode, created_at) values ('W', 'p', '1', 1, 'paper', "
			  "'2026-01-01T00:00:00Z');",
			  &err))
		fail_msg("%s", err.msg);
	assert_int_equal(cs_resp_wave_get(s, "W", 0, w, &err), CS_OK);
	return s;
}

static int64_t q_i64(struct cs_store *s, const char *sql)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	int64_t v = -1;

	assert_int_equal(cs_stmt_prepare(s, sql, &st, NULL), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, NULL), CS_OK);
	if (row)
		v = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return v;
}

/* One keying by actor; returns its outcome, or -1 with err set. */
static int key(struct cs_store *s, const struct cs_wave *w, const char *actor, const char *form,
	       const char *unit, const char *answers, struct cs_keying_result *res,
	       struct cs_arena *arena, struct cs_error *err)
{
	json_t *a = json_loads(answers, 0, NULL);
	enum cs_err rc;

	assert_int_equal(cs_store_set_actor(s, actor, NULL), CS_OK);
	cs_vec_clear(&res->diffs);
	rc = cs_keying_add(s, w, q, &layout, form, unit, a, arena, res, err);
	json_decref(a);
	return rc ? -1 : (int)res->outcome;
}

static enum cs_err resolve(struct cs_store *s, const struct cs_wave *w, const char *form,
			   const char *unit, const char *answers, int64_t *rid,
			   struct cs_error *err)
{
	json_t *a = json_loads(answers, 0, NULL);
	enum cs_err rc = cs_keying_resolve(s, w, q, &layout, form, unit, a, rid, err);

	json_decref(a);
	return rc;
}

static void test_plan(void **state)
{
	struct cs_wave w;
	struct cs_store *s = open_ready(&w);
	const char *units[] = {"U1", "U2"}, *bad[] = {"U9"};
	int64_t targets[] = {10, 5}, zero[] = {0}, neg[] = {-1};
	struct cs_error err = {0};
	struct cs_arena arena;
	struct cs_vec list;

	(void)state;
	cs_arena_init(&arena, 0);
	assert_int_equal(cs_sample_plan_set(s, &w, units, targets, 2, &err), CS_OK);
	assert_int_equal(cs_sample_plan_set(s, &w, bad, targets, 1, &err), CS_ENOTFOUND);
	assert_int_equal(cs_sample_plan_set(s, &w, units, neg, 1, &err), CS_EINVAL);
	assert_int_equal(cs_sample_plan_set(s, &w, units, targets, 2, &err), CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from audit where entity = 'sample_plan'"), 2);
	assert_int_equal(cs_sample_plan_set(s, &w, units + 1, zero, 1, &err), CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from sample_plan"), 1);
	cs_vec_init(&list, sizeof(struct cs_sample_unit), 0);
	assert_int_equal(cs_sample_progress(s, w.id, &arena, &list, &err), CS_OK);
	assert_int_equal(list.len, 1);
	assert_string_equal(((struct cs_sample_unit *)cs_vec_at(&list, 0))->unit, "U1");
	assert_int_equal(((struct cs_sample_unit *)cs_vec_at(&list, 0))->target, 10);
	assert_int_equal(((struct cs_sample_unit *)cs_vec_at(&list, 0))->responses, 0);
	cs_vec_release(&list);
	cs_arena_release(&arena);
	cs_store_close(s);
}

static void test_double_keying(void **state)
{
	struct cs_wave w;
	struct cs_store *s = open_ready(&w);
	struct cs_keying_result res;
	struct cs_error err = {0};
	struct cs_arena arena;
	struct cs_vec forms;
	int64_t rid = 0;

	(void)state;
	cs_arena_init(&arena, 0);
	cs_vec_init(&res.diffs, sizeof(struct cs_keying_diff), 0);
	assert_int_equal(cs_keying_form_check("F-1.a_b", &err), CS_OK);
	assert_int_equal(cs_keying_form_check("F 1", &err), CS_EINVAL);
	assert_int_equal(cs_keying_form_check("", &err), CS_EINVAL);
	assert_int_equal(key(s, &w, "a", "F1", "U1", "[1]", &res, &arena, &err), -1);
	assert_int_equal(err.code, CS_EINVAL);
	assert_int_equal(key(s, &w, "a", "F1", "U1", "{\"unit\":\"U2\"}", &res, &arena, &err), -1);
	assert_int_equal(key(s, &w, "a", "F1", "U9", "{}", &res, &arena, &err), -1);
	assert_int_equal(err.code, CS_ENOTFOUND);

	/* Agreeing keyings: the values are compared as text, trimmed. */
	assert_int_equal(key(s, &w, "a", "F1", "U1", "{\"q1\":\"4\",\"q2\":5}", &res, &arena, &err),
			 CS_KEYING_FIRST);
	assert_int_equal(key(s, &w, "a", "F1", "U1", "{\"q1\":\"4\"}", &res, &arena, &err), -1);
	assert_int_equal(err.code, CS_EPERM);
	assert_int_equal(
		key(s, &w, "b", "F1", "U1", "{\"q1\":4,\"q2\":\" 5\"}", &res, &arena, &err),
		CS_KEYING_STORED);
	assert_true(res.response_id > 0);
	assert_int_equal(q_i64(s, "select count(*) from response where rid = 'paper-F1' and "
				  "channel = 'paper'"),
			 1);
	assert_int_equal(key(s, &w, "c", "F1", "U1", "{}", &res, &arena, &err), -1);
	assert_int_equal(err.code, CS_ESTATE);

	/* Differing keyings: nothing stored until resolved. */
	assert_int_equal(
		key(s, &w, "a", "F2", "U1", "{\"q1\":\"4\",\"q2\":\"5\"}", &res, &arena, &err),
		CS_KEYING_FIRST);
	assert_int_equal(
		key(s, &w, "b", "F2", "U2", "{\"q1\":\"4\",\"q2\":\"3\"}", &res, &arena, &err),
		CS_KEYING_DIFFERS);
	assert_int_equal(res.diffs.len, 2);
	assert_string_equal(((struct cs_keying_diff *)cs_vec_at(&res.diffs, 0))->field, "q2");
	assert_string_equal(((struct cs_keying_diff *)cs_vec_at(&res.diffs, 0))->first, "5");
	assert_string_equal(((struct cs_keying_diff *)cs_vec_at(&res.diffs, 0))->second, "3");
	assert_string_equal(((struct cs_keying_diff *)cs_vec_at(&res.diffs, 1))->field, "unit");
	assert_int_equal(q_i64(s, "select count(*) from response"), 1);
	assert_int_equal(cs_store_set_actor(s, "c", NULL), CS_OK);
	assert_int_equal(resolve(s, &w, "F2", "U1", "{\"q1\":\"4\",\"q2\":\"9\"}", &rid, &err),
			 CS_EPARSE);
	assert_int_equal(q_i64(s, "select count(*) from response"), 1);
	assert_int_equal(resolve(s, &w, "F2", "U1", "{\"q1\":\"4\",\"q2\":\"5\"}", &rid, &err),
			 CS_OK);
	assert_true(rid > 0);
	assert_int_equal(q_i64(s, "select count(*) from response"), 2);
	assert_int_equal(q_i64(s, "select count(*) from audit where entity = 'keying' and reason = "
				  "'resolved'"),
			 2);
	assert_int_equal(resolve(s, &w, "F2", "U1", "{}", &rid, &err), CS_ESTATE);
	assert_int_equal(resolve(s, &w, "F9", "U1", "{}", &rid, &err), CS_ESTATE);

	/* Agreeing on a value the questionnaire refuses waits for resolution. */
	assert_int_equal(key(s, &w, "a", "F3", "U1", "{\"q1\":\"7\"}", &res, &arena, &err),
			 CS_KEYING_FIRST);
	assert_int_equal(key(s, &w, "b", "F3", "U1", "{\"q1\":\"7\"}", &res, &arena, &err),
			 CS_KEYING_DIFFERS);
	assert_int_equal(res.diffs.len, 0);
	assert_non_null(strstr(res.problem, "q1"));

	cs_vec_init(&forms, sizeof(struct cs_keyed_form), 0);
	assert_int_equal(key(s, &w, "a", "F4", "U2", "{\"q1\":\"1\"}", &res, &arena, &err),
			 CS_KEYING_FIRST);
	assert_int_equal(cs_keying_list(s, w.id, &arena, &forms, &err), CS_OK);
	assert_int_equal(forms.len, 4);
	assert_string_equal(((struct cs_keyed_form *)cs_vec_at(&forms, 0))->state, "stored");
	assert_string_equal(((struct cs_keyed_form *)cs_vec_at(&forms, 1))->second_by, "b");
	assert_string_equal(((struct cs_keyed_form *)cs_vec_at(&forms, 2))->state, "differs");
	assert_string_equal(((struct cs_keyed_form *)cs_vec_at(&forms, 3))->state, "waiting");
	assert_string_equal(((struct cs_keyed_form *)cs_vec_at(&forms, 3))->first,
			    "{\"q1\":\"1\",\"unit\":\"U2\"}");
	assert_null(((struct cs_keyed_form *)cs_vec_at(&forms, 3))->second);
	cs_vec_clear(&res.diffs);
	assert_int_equal(cs_keying_compare("{\"a\":\"1\"}", "{\"a\":1,\"b\":null}", &arena,
					   &res.diffs, &err),
			 CS_OK);
	assert_int_equal(res.diffs.len, 0);
	assert_int_equal(cs_keying_compare("{", "{}", &arena, &res.diffs, &err), CS_EINVAL);
	cs_vec_release(&forms);
	cs_vec_release(&res.diffs);
	cs_arena_release(&arena);
	cs_store_close(s);
}

static void test_alloc_failures(void **state)
{
	struct cs_wave w;
	struct cs_store *s = open_ready(&w);
	struct cs_keying_result res;
	json_t *answers = json_loads("{\"q1\":\"4\"}", 0, NULL);
	enum cs_err rc = CS_ENOMEM;

	(void)state;
	cs_vec_init(&res.diffs, sizeof(struct cs_keying_diff), 0);
	for (int pass = 0; pass < 2; pass++) {
		rc = CS_ENOMEM;
		assert_int_equal(cs_store_set_actor(s, pass ? "b" : "a", NULL), CS_OK);
		for (long n = 0; rc == CS_ENOMEM; n++) {
			struct cs_error err = {0};
			struct cs_arena arena;

			cs_arena_init(&arena, 0);
			cs_vec_clear(&res.diffs);
			cs_alloc_fail_after(n);
			rc = cs_keying_add(s, &w, q, &layout, "F1", "U1", answers, &arena, &res,
					   &err);
			cs_alloc_fail_after(-1);
			cs_arena_release(&arena);
			if (rc != CS_OK && rc != CS_ENOMEM)
				fail_msg("pass %d, n %ld: %s %s", pass, n, cs_err_name(rc),
					 err.msg);
			if (rc)
				assert_int_equal(q_i64(s, "select count(*) from keying"), pass);
		}
	}
	assert_int_equal(res.outcome, CS_KEYING_STORED);
	assert_int_equal(q_i64(s, "select count(*) from response"), 1);
	json_decref(answers);
	cs_vec_release(&res.diffs);
	cs_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_double_keying),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
