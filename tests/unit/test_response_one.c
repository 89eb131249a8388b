/*
 * Tests of web responses one at a time (store/response_one.h): inserting
 * inside the caller's transaction, the web batch and its id range (read back
 * by the wave's scan), duplicates, the light wave and unit lookups, the wave
 * open on a day, counts per unit, and allocation failures.
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

#include "core/questionnaire.h"
#include "store/questionnaire_store.h"
#include "store/response_one.h"
#include "store/response_store.h"
#include "store/store.h"
#include "store/token_store.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/vec.h"

#include "util/banned.h"

static char dir[4096];
static int serial;

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_response_one.XXXXXX", tmp && *tmp ? tmp : "/tmp");
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

/* Two likert items of one element, a multi item and a text item. */
static struct cs_questionnaire *make_q(void)
{
	struct cs_q_info info = {.code = "t", .title = "Test", .version = "1"};
	struct cs_q_element el = {"E1", "Yếu tố 1", "Element 1"};
	struct cs_q_choice xs[] = {{"a", "A", ""}, {"b", "B", ""}};
	struct cs_q_item_spec items[] = {
		{.code = "q1", .element = "E1", .text_vi = "Q1", .type = CS_Q_LIKERT5},
		{.code = "q2", .element = "E1", .text_vi = "Q2", .type = CS_Q_LIKERT5},
		{.code = "x",
		 .text_vi = "X",
		 .type = CS_Q_MULTI,
		 .role = CS_Q_ROLE_EXPECTATION,
		 .choices = xs,
		 .nchoices = 2},
		{.code = "note", .text_vi = "Ý kiến", .type = CS_Q_TEXT, .role = CS_Q_ROLE_OTHER},
	};
	struct cs_questionnaire *q = cs_questionnaire_new(&info, NULL);

	assert_non_null(q);
	assert_int_equal(cs_questionnaire_add_element(q, &el, NULL), CS_OK);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		assert_int_equal(cs_questionnaire_add_item(q, &items[i], NULL), CS_OK);
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	return q;
}

/* Units P, U1, U2; periods 2023, 2024; waves W23 (2023), W24 and P24 (paper, 2024). */
static struct cs_store *open_ready(struct cs_questionnaire *q)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};
	struct cs_period p24 = {.code = "2024", .starts = "2024-01-01", .ends = "2024-12-31"};
	struct cs_period p23 = {.code = "2023", .starts = "2023-01-01", .ends = "2023-12-31"};
	bool added = false;

	snprintf(path, sizeof(path), "%s/db%d.sqlite", dir, serial++);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_OK);
	assert_int_equal(cs_period_store_add(s, &p23, &err), CS_OK);
	assert_int_equal(cs_period_store_add(s, &p24, &err), CS_OK);
	if (cs_questionnaire_store_save(s, q, &added, NULL, &err) ||
	    cs_store_exec(s,
			  "insert into unit (code, name, level) values ('P', 'Tỉnh P', "
			  "'province');"
			  "insert into unit (code, name, parent_id, level) values "
			  "('U1', 'Đơn vị 1', 1, 'district'), ('U2', 'Đơn vị 2', 1, 'district');"
			  "insert into survey_wave (code, questionnaire, questionnaire_version, "
			  "period_id, title, opens, closes, mode, created_at) values "
			  "('W23', 't', '1', 1, 'Đợt 2023', '2023-01-01', '2023-12-31', 'online', "
			  "'x'),"
			  "('W24', 't', '1', 2, 'Đợt 2024', '2024-01-01', null, 'online', 'x'),"
			  "('P24', 't', '1', 2, 'Giấy', null, null, 'paper', 'x');",
			  &err))
		fail_msg("%s", err.msg);
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

/* One response of the test questionnaire. */
struct one {
	struct cs_q_answer a[4];
	struct cs_str texts[4];
	struct cs_response r;
};

static void make_one(struct one *o, const char *id, int64_t unit, int q1)
{
	memset(o, 0, sizeof(*o));
	o->a[0] = (struct cs_q_answer){true, q1, 0};
	o->a[2] = (struct cs_q_answer){true, 2, 3};
	o->a[3] = (struct cs_q_answer){true, 0, 0};
	o->texts[3] = CS_STR("tốt");
	o->r.id = cs_str_from(id);
	o->r.unit_id = unit;
	o->r.submitted_at = CS_STR("2024-05-01T10:00:00Z");
	o->r.channel = CS_STR("qr");
	o->r.answers = o->a;
	o->r.texts = o->texts;
}

struct seen {
	size_t n;
	char answers[8][16];
	int64_t unit[8];
};

static enum cs_err on_row(void *ctx, const struct cs_resp_row *row, struct cs_error *err)
{
	struct seen *s = ctx;

	(void)err;
	if (s->n < 8) {
		snprintf(s->answers[s->n], sizeof(s->answers[s->n]), "%.*s", (int)row->answers.len,
			 row->answers.ptr);
		s->unit[s->n] = row->unit_id;
	}
	s->n++;
	return CS_OK;
}

static void test_insert(void **state)
{
	struct cs_questionnaire *q = make_q();
	struct cs_store *s = open_ready(q);
	struct cs_resp_layout l;
	struct cs_error err = {0};
	struct cs_wave w;
	struct one o;
	struct seen seen = {0};
	int64_t id1 = 0, id2 = 0, id3 = 0;

	(void)state;
	assert_int_equal(cs_resp_layout_init(&l, q, &err), CS_OK);
	assert_int_equal(cs_resp_wave_get(s, "W24", 0, &w, &err), CS_OK);
	assert_int_equal(cs_store_begin(s, &err), CS_OK);
	make_one(&o, "web-1", 2, 4);
	assert_int_equal(cs_resp_insert_one(s, &w, q, &l, &o.r, "web", &id1, &err), CS_OK);
	make_one(&o, "web-2", 3, 5);
	assert_int_equal(cs_resp_insert_one(s, &w, q, &l, &o.r, "web", &id2, &err), CS_OK);
	/* The same id again: refused, and the caller rolls back. */
	assert_int_equal(cs_resp_insert_one(s, &w, q, &l, &o.r, "web", NULL, &err), CS_EEXIST);
	assert_string_equal(err.msg, "response 'web-2' is already stored for wave 'W24'");
	assert_int_equal(cs_store_commit(s, &err), CS_OK);
	assert_true(id2 > id1);

	/* One web batch holds both, as a range the scan reads. */
	assert_int_equal(q_i64(s, "select count(*) from response_batch"), 1);
	assert_int_equal(q_i64(s, "select rows from response_batch"), 2);
	assert_int_equal(q_i64(s, "select first_id from response_batch"), id1);
	assert_int_equal(q_i64(s, "select last_id from response_batch"), id2);
	assert_int_equal(q_i64(s, "select count(*) from response_batch where source = 'web' and "
				  "actor = 'cli'"),
			 1);
	assert_int_equal(q_i64(s, "select source_line from response where rid = 'web-2'"), 2);
	assert_int_equal(q_i64(s, "select count(*) from response where rid = 'web-1' and "
				  "channel = 'qr' and submitted_at = '2024-05-01T10:00:00Z' and "
				  "extra = '3' || char(9) || 'tốt'"),
			 1);
	assert_int_equal(cs_resp_store_scan(s, w.id, on_row, &seen, &err), CS_OK);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.answers[0], "4-");
	assert_string_equal(seen.answers[1], "5-");
	assert_int_equal(seen.unit[1], 3);

	/* Far past the batch's last row (an import came in between): a new batch. */
	assert_int_equal(cs_store_exec(s,
				       "insert into response (id, wave_id, batch_id, rid, unit_id, "
				       "source_line, answers) values (100000, 1, 1, 'other', 2, 1, "
				       "'--')",
				       &err),
			 CS_OK);
	assert_int_equal(cs_store_begin(s, &err), CS_OK);
	make_one(&o, "web-3", 2, 3);
	assert_int_equal(cs_resp_insert_one(s, &w, q, &l, &o.r, "web", &id3, &err), CS_OK);
	assert_int_equal(cs_store_commit(s, &err), CS_OK);
	assert_int_equal(id3, 100001);
	assert_int_equal(q_i64(s, "select count(*) from response_batch where wave_id = 2"), 2);
	assert_int_equal(q_i64(s, "select first_id from response_batch order by id desc"), id3);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(cs_resp_store_scan(s, w.id, on_row, &seen, &err), CS_OK);
	assert_int_equal(seen.n, 3);
	assert_string_equal(seen.answers[2], "3-");

	cs_resp_layout_release(&l);
	cs_store_close(s);
	cs_questionnaire_free(q);
}

static void test_lookups(void **state)
{
	struct cs_questionnaire *q = make_q();
	struct cs_store *s = open_ready(q);
	struct cs_error err = {0};
	struct cs_resp_unit u;
	struct cs_wave w;
	bool found = false;

	(void)state;
	assert_int_equal(cs_resp_wave_get(s, "W23", 0, &w, &err), CS_OK);
	assert_string_equal(w.title, "Đợt 2023");
	assert_string_equal(w.period, "2023");
	assert_string_equal(w.closes, "2023-12-31");
	assert_int_equal(w.responses, -1);
	assert_int_equal(cs_resp_wave_get(s, NULL, 2, &w, &err), CS_OK);
	assert_string_equal(w.code, "W24");
	assert_int_equal(cs_resp_wave_get(s, "W9", 0, &w, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "no survey wave 'W9'");
	assert_int_equal(cs_resp_wave_get(s, NULL, 99, &w, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "no survey wave with id 99");

	assert_true(cs_resp_wave_is_open(&w, "2024-01-01"));
	assert_true(cs_resp_wave_is_open(&w, "2030-06-01"));
	assert_false(cs_resp_wave_is_open(&w, "2023-12-31"));

	/* The open wave of a day: the latest period's, never a paper wave. */
	assert_int_equal(cs_resp_wave_open(s, "2023-06-01", &w, &found, &err), CS_OK);
	assert_true(found);
	assert_string_equal(w.code, "W23");
	assert_int_equal(cs_resp_wave_open(s, "2024-06-01", &w, &found, &err), CS_OK);
	assert_true(found);
	assert_string_equal(w.code, "W24");
	assert_int_equal(cs_resp_wave_open(s, "2022-06-01", &w, &found, &err), CS_OK);
	assert_false(found);

	assert_int_equal(cs_resp_unit_find(s, "U2", 0, &u, &err), CS_OK);
	assert_int_equal(u.id, 3);
	assert_string_equal(u.name, "Đơn vị 2");
	assert_int_equal(cs_resp_unit_find(s, NULL, 1, &u, &err), CS_OK);
	assert_string_equal(u.code, "P");
	assert_int_equal(cs_resp_unit_find(s, "U9", 0, &u, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "no unit 'U9'");
	cs_store_close(s);
	cs_questionnaire_free(q);
}

static void test_counts(void **state)
{
	struct cs_questionnaire *q = make_q();
	struct cs_store *s = open_ready(q);
	struct cs_token_issue is = {.wave = "W24", .unit = "U2", .count = 3};
	char codes[3][CS_TOKEN_LEN], exp[CS_STORE_TIME_LEN];
	struct cs_resp_layout l;
	struct cs_error err = {0};
	struct cs_vec v;
	struct cs_wave w;
	struct one o;
	const struct cs_resp_unit_count *c;

	(void)state;
	assert_int_equal(cs_resp_layout_init(&l, q, &err), CS_OK);
	assert_int_equal(cs_resp_wave_get(s, "W24", 0, &w, &err), CS_OK);
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_OK);
	assert_int_equal(cs_store_begin(s, &err), CS_OK);
	assert_int_equal(
		cs_token_store_consume(s, codes[0], "2024-05-01T00:00:00Z", NULL, NULL, &err),
		CS_OK);
	make_one(&o, "a", 3, 4);
	assert_int_equal(cs_resp_insert_one(s, &w, q, &l, &o.r, "web", NULL, &err), CS_OK);
	make_one(&o, "b", 1, 4);
	assert_int_equal(cs_resp_insert_one(s, &w, q, &l, &o.r, "web", NULL, &err), CS_OK);
	make_one(&o, "c", 1, 2);
	assert_int_equal(cs_resp_insert_one(s, &w, q, &l, &o.r, "web", NULL, &err), CS_OK);
	assert_int_equal(cs_store_commit(s, &err), CS_OK);

	cs_vec_init(&v, sizeof(struct cs_resp_unit_count), 0);
	assert_int_equal(cs_resp_count_units(s, w.id, &v, &err), CS_OK);
	/* P has responses only, U2 responses and tokens, U1 nothing. */
	assert_int_equal(v.len, 2);
	c = cs_vec_at(&v, 0);
	assert_string_equal(c->unit, "P");
	assert_int_equal(c->responses, 2);
	assert_int_equal(c->tokens_issued, 0);
	c = cs_vec_at(&v, 1);
	assert_string_equal(c->unit, "U2");
	assert_int_equal(c->responses, 1);
	assert_int_equal(c->tokens_issued, 3);
	assert_int_equal(c->tokens_used, 1);
	cs_vec_clear(&v);
	assert_int_equal(cs_resp_count_units(s, 1, &v, &err), CS_OK);
	assert_int_equal(v.len, 0);
	/* Tokens alone list the unit too. */
	is.wave = "W23";
	is.unit = "U1";
	is.count = 1;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_OK);
	assert_int_equal(cs_resp_count_units(s, 1, &v, &err), CS_OK);
	assert_int_equal(v.len, 1);
	c = cs_vec_at(&v, 0);
	assert_string_equal(c->unit, "U1");
	assert_int_equal(c->responses, 0);
	assert_int_equal(c->tokens_issued, 1);
	cs_vec_release(&v);
	cs_resp_layout_release(&l);
	cs_store_close(s);
	cs_questionnaire_free(q);
}

static void test_alloc_failures(void **state)
{
	struct cs_questionnaire *q = make_q();
	struct cs_store *s = open_ready(q);
	struct cs_resp_layout l;
	struct cs_error err = {0};
	struct cs_wave w;
	struct one o;
	enum cs_err rc = CS_ENOMEM;

	(void)state;
	assert_int_equal(cs_resp_layout_init(&l, q, &err), CS_OK);
	assert_int_equal(cs_resp_wave_get(s, "W24", 0, &w, &err), CS_OK);
	make_one(&o, "x1", 2, 4);
	for (long n = 0; rc == CS_ENOMEM; n++) {
		assert_int_equal(cs_store_begin(s, &err), CS_OK);
		cs_alloc_fail_after(n);
		rc = cs_resp_insert_one(s, &w, q, &l, &o.r, "web", NULL, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (rc) {
			cs_store_rollback(s);
			assert_int_equal(q_i64(s, "select count(*) from response"), 0);
		} else {
			assert_int_equal(cs_store_commit(s, &err), CS_OK);
		}
	}
	assert_int_equal(q_i64(s, "select count(*) from response"), 1);
	rc = CS_ENOMEM;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_vec v;

		cs_vec_init(&v, sizeof(struct cs_resp_unit_count), 0);
		cs_alloc_fail_after(n);
		rc = cs_resp_count_units(s, w.id, &v, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (!rc)
			assert_int_equal(v.len, 1);
		cs_vec_release(&v);
	}
	cs_resp_layout_release(&l);
	cs_store_close(s);
	cs_questionnaire_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_counts),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
