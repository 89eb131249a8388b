/*
 * Tests of PAR scores in the database (store/score_store.h): imports with
 * their audit rows, the reason rule, refusals that write nothing, history,
 * the round loaded for computation, its canonical text, and out of memory.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/framework.h"
#include "io/framework_json.h"
#include "io/score_table.h"
#include "store/framework_store.h"
#include "store/par_store.h"
#include "store/score_store.h"
#include "store/store.h"
#include "store/unit_store.h"
#include "util/alloc.h"

#include "par_fixture.h"

#include "util/banned.h"

/* Parses and checks a CSV score file against the fixture. */
static void table(struct fixture *f, const char *text, struct cs_score_table *t)
{
	struct cs_error err = {0};

	cs_score_table_init(t);
	assert_int_equal(cs_score_table_parse_csv("s.csv", text, strlen(text), t, &err), CS_OK);
	assert_int_equal(cs_score_table_check(t, f->fw, &f->units, NULL, NULL, &err), CS_OK);
}

static enum cs_err import(struct fixture *f, const char *text, struct cs_score_import_stats *st,
			  struct cs_error *err)
{
	struct cs_score_table t;
	enum cs_err rc;

	table(f, text, &t);
	rc = cs_score_store_import(f->s, &f->period, f->fw, &t, st, err);
	cs_score_table_release(&t);
	return rc;
}

static const char *first_file = "unit,node,self,appraised,note,reason\n"
				"U1,A.1,20,18,minh chứng số 1,thiếu tài liệu\n"
				"U1,A.2,0.9,,,\n"
				"U1,B.1,45,,,\n"
				"U2,A.1,na,,,\n"
				"U2,A.2,1,,,\n"
				"U2,B.1,50,na,,không được giao\n"
				"U2,Y,,2,,vi phạm\n";

static void test_import(void **state)
{
	struct fixture f;
	struct cs_score_import_stats st = {0};
	struct cs_error err = {0};
	struct cs_arena arena;
	struct cs_vec ch;
	const struct cs_score_change *c;

	(void)state;
	setup(&f);
	assert_int_equal(cs_store_set_actor(f.s, "tổng hợp", &err), CS_OK);
	assert_int_equal(import(&f, first_file, &st, &err), CS_OK);
	assert_int_equal(st.added, 7);
	assert_int_equal(st.changed, 0);
	assert_int_equal(st.unchanged, 0);
	/* 6 self values (U2's Y has none), 3 appraised, 1 note, 3 reasons. */
	assert_int_equal(st.audited, 13);
	assert_int_equal(q_i64(f.s, "select count(*) from assessment"), 7);
	assert_int_equal(q_i64(f.s, "select count(*) from audit where entity = 'assessment'"), 13);
	assert_int_equal(q_i64(f.s, "select self_na from assessment where node_code = 'A.1' and "
				    "unit_id = (select id from unit where code = 'U2')"),
			 1);
	assert_int_equal(q_i64(f.s, "select count(*) from assessment where updated_by = 'tổng "
				    "hợp' and self_score is null and self_na = 0"),
			 1);

	cs_arena_init(&arena, 0);
	cs_vec_init(&ch, sizeof(struct cs_score_change), 0);
	assert_int_equal(cs_score_store_history(f.s, "2024", NULL, "U1", "A.1", &arena, &ch, &err),
			 CS_OK);
	assert_int_equal(ch.len, 4);
	c = cs_vec_at(&ch, 0);
	assert_string_equal(c->actor, "tổng hợp");
	assert_string_equal(c->framework, "golden");
	assert_string_equal(c->unit, "U1");
	assert_string_equal(c->node, "A.1");
	assert_string_equal(c->field, "self");
	assert_null(c->old_value);
	assert_string_equal(c->new_value, "20");
	assert_string_equal(c->reason, "minh chứng số 1");
	c = cs_vec_at(&ch, 1);
	assert_string_equal(c->field, "appraised");
	assert_string_equal(c->new_value, "18");
	assert_string_equal(c->reason, "thiếu tài liệu");
	assert_string_equal(((struct cs_score_change *)cs_vec_at(&ch, 2))->field, "note");
	assert_string_equal(((struct cs_score_change *)cs_vec_at(&ch, 3))->field, "reason");
	cs_vec_clear(&ch);

	/* The same file again changes and logs nothing. */
	assert_int_equal(import(&f, first_file, &st, &err), CS_OK);
	assert_int_equal(st.added + st.changed + st.audited, 0);
	assert_int_equal(st.unchanged, 7);
	assert_int_equal(q_i64(f.s, "select count(*) from audit where entity = 'assessment'"), 13);

	/* A council file keeps the self scores; an empty cell clears. */
	assert_int_equal(import(&f,
				"unit,node,appraised,reason\n"
				"U1,A.2,0.8,đếm lại\n"
				"U1,A.1,,\n",
				&st, &err),
			 CS_OK);
	assert_int_equal(st.changed, 2);
	assert_int_equal(st.audited, 4);
	assert_int_equal(q_i64(f.s, "select count(*) from assessment where self_score is not null "
				    "and node_code in ('A.1', 'A.2') and unit_id = (select id from "
				    "unit where code = 'U1')"),
			 2);
	assert_int_equal(
		cs_score_store_history(f.s, "2024", "golden", "U1", "A.1", &arena, &ch, &err),
		CS_OK);
	assert_int_equal(ch.len, 6);
	c = cs_vec_at(&ch, 4);
	assert_string_equal(c->field, "appraised");
	assert_string_equal(c->old_value, "18");
	assert_null(c->new_value);
	c = cs_vec_at(&ch, 5);
	assert_string_equal(c->field, "reason");
	assert_string_equal(c->old_value, "thiếu tài liệu");
	assert_null(c->new_value);
	cs_vec_clear(&ch);
	assert_int_equal(
		cs_score_store_history(f.s, "2024", "other", NULL, NULL, &arena, &ch, &err), CS_OK);
	assert_int_equal(ch.len, 0);
	assert_int_equal(cs_score_store_history(f.s, "2023", NULL, NULL, NULL, &arena, &ch, &err),
			 CS_OK);
	assert_int_equal(ch.len, 0);
	cs_vec_release(&ch);
	cs_arena_release(&arena);
	teardown(&f);
}

static void expect_refused(struct fixture *f, const char *text, enum cs_err code, const char *msg)
{
	struct cs_error err = {0};
	int64_t rows = q_i64(f->s, "select count(*) from assessment");
	int64_t audits = q_i64(f->s, "select count(*) from audit");

	assert_int_equal(import(f, text, NULL, &err), code);
	assert_string_equal(err.msg, msg);
	assert_int_equal(q_i64(f->s, "select count(*) from assessment"), rows);
	assert_int_equal(q_i64(f->s, "select count(*) from audit"), audits);
}

static void test_refusals(void **state)
{
	struct fixture f;
	struct cs_error err = {0};
	struct cs_framework *v2 = framework("2");
	struct cs_par_state_change ch;

	(void)state;
	setup(&f);
	assert_int_equal(import(&f, first_file, NULL, &err), CS_OK);
	/* Later rows fail: the earlier ones of the same file are not kept. */
	expect_refused(&f,
		       "unit,node,self,appraised\n"
		       "U3,A.1,10,\n"
		       "U3,B.1,40,39\n",
		       CS_EPARSE,
		       "s.csv:3:4: the appraised score 39 of unit 'U3' node 'B.1' differs from the "
		       "self-assessed score 40 and has no reason; give the council's reason in "
		       "column 'reason'");
	/* The stored self score counts when the file has no self column. */
	expect_refused(&f, "unit,node,appraised\nU1,B.1,44\n", CS_EPARSE,
		       "s.csv:2:3: the appraised score 44 of unit 'U1' node 'B.1' differs from the "
		       "self-assessed score 45 and has no reason; give the council's reason in "
		       "column 'reason'");
	expect_refused(&f, "unit,node,appraised,reason\nU3,B.1,na,\n", CS_EPARSE,
		       "s.csv:2:3: the appraised score na of unit 'U3' node 'B.1' differs from the "
		       "self-assessed score (none) and has no reason; give the council's reason in "
		       "column 'reason'");
	/* Agreeing with the self score needs no reason. */
	assert_int_equal(import(&f, "unit,node,appraised\nU1,B.1,45\n", NULL, &err), CS_OK);

	/* Scores of another version of the framework. */
	save_framework(f.s, v2);
	{
		struct cs_score_table t;

		table(&f, "unit,node,self\nU3,A.1,10\n", &t);
		assert_int_equal(cs_score_store_import(f.s, &f.period, v2, &t, NULL, &err),
				 CS_ECONFLICT);
		assert_string_equal(
			err.msg, "period '2024' already has scores entered against framework "
				 "'golden' version '1', not version '2'; import with --version 1");
		cs_score_table_release(&t);
	}

	/* An approved unit's scores are frozen until the approval is reopened. */
	ch = (struct cs_par_state_change){f.units.units.len ? cs_unit_set_at(&f.units, 0)->id : 0,
					  "U1", CS_WF_DRAFT};
	for (int to = CS_WF_SUBMITTED; to <= CS_WF_APPRAISED; to++)
		assert_int_equal(cs_par_state_set(f.s, &f.period, "golden", &ch, 1,
						  (enum cs_wf_state)to, NULL, &err),
				 CS_OK);
	assert_int_equal(
		cs_par_state_set(f.s, &f.period, "golden", &ch, 1, CS_WF_APPROVED, NULL, &err),
		CS_OK);
	expect_refused(&f, "unit,node,self\nU2,B.1,49\nU1,B.1,44\n", CS_ESTATE,
		       "s.csv:3: unit 'U1' is approved in period '2024'; its scores cannot change "
		       "until the approval is reopened (chiso par state --to appraised --reason "
		       "...)");
	/* Rows that change nothing pass. */
	assert_int_equal(import(&f, "unit,node,self\nU1,B.1,45\n", NULL, &err), CS_OK);

	/* A published period refuses every import. */
	assert_int_equal(
		cs_store_exec(f.s,
			      "insert into publication (period_id, kind, framework, "
			      "framework_version, methodology_id, methodology_sha256, "
			      "input_sha256, options, results, published_at, published_by) "
			      "values (1, 'par', 'golden', '1', 1, 'a', 'b', '{}', '{}', "
			      "'2025-01-10T00:00:00Z', 'hđ')",
			      &err),
		CS_OK);
	expect_refused(&f, "unit,node,self\nU1,B.1,45\n", CS_ESTATE,
		       "the results of period '2024' for framework 'golden' were published on "
		       "2025-01-10T00:00:00Z by hđ; published results never change, so their "
		       "scores cannot be changed");
	cs_framework_free(v2);
	teardown(&f);
}

static void test_lookups(void **state)
{
	struct fixture f;
	struct cs_error err = {0};
	struct cs_period p;
	struct cs_arena arena;
	struct cs_vec codes;
	char version[CS_SCORE_CODE_LEN];
	bool found = true;
	int64_t id = 0;

	(void)state;
	setup(&f);
	assert_int_equal(cs_score_store_period(f.s, "2023", &p, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "no period '2023'; add it with 'chiso period add 2023'");
	assert_int_equal(cs_score_store_methodology(f.s, "golden", "9", &id, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "framework 'golden' version '9' is not stored");
	assert_int_equal(cs_score_store_methodology(f.s, "golden", "1", &id, &err), CS_OK);
	assert_true(id > 0);
	assert_int_equal(cs_score_store_version(f.s, f.period.id, "golden", version, &found, &err),
			 CS_OK);
	assert_false(found);
	assert_string_equal(version, "");
	cs_arena_init(&arena, 0);
	cs_vec_init(&codes, sizeof(char *), 0);
	assert_int_equal(cs_score_store_frameworks(f.s, f.period.id, &arena, &codes, &err), CS_OK);
	assert_int_equal(codes.len, 0);
	assert_int_equal(import(&f, first_file, NULL, &err), CS_OK);
	assert_int_equal(cs_score_store_version(f.s, f.period.id, "golden", version, &found, &err),
			 CS_OK);
	assert_true(found);
	assert_string_equal(version, "1");
	assert_int_equal(
		cs_store_exec(f.s,
			      "insert into assessment_state (period_id, unit_id, framework, "
			      "state, updated_by, updated_at) values (1, 3, 'alpha', "
			      "'submitted', 'x', 'y')",
			      &err),
		CS_OK);
	assert_int_equal(cs_score_store_frameworks(f.s, f.period.id, &arena, &codes, &err), CS_OK);
	assert_int_equal(codes.len, 2);
	assert_string_equal(*(char **)cs_vec_at(&codes, 0), "alpha");
	assert_string_equal(*(char **)cs_vec_at(&codes, 1), "golden");
	cs_vec_release(&codes);
	cs_arena_release(&arena);
	teardown(&f);
}

static void test_round(void **state)
{
	struct fixture f;
	struct cs_error err = {0};
	struct cs_par_round r;
	struct cs_buf text;
	size_t a1, a2, b1, y;
	struct cs_par_state_change ch;

	(void)state;
	setup(&f);
	assert_true(cs_framework_find(f.fw, "A.1", &a1));
	assert_true(cs_framework_find(f.fw, "A.2", &a2));
	assert_true(cs_framework_find(f.fw, "B.1", &b1));
	assert_true(cs_framework_find(f.fw, "Y", &y));
	cs_par_round_init(&r);
	assert_int_equal(cs_par_round_load(f.s, f.period.id, f.fw, &f.units, &r, &err), CS_OK);
	assert_int_equal(r.nunits, 0);
	assert_int_equal(import(&f, first_file, NULL, &err), CS_OK);
	/* U3 takes part through its state alone. */
	ch = (struct cs_par_state_change){cs_unit_set_at(&f.units, 2)->id, "U3", CS_WF_DRAFT};
	assert_int_equal(
		cs_par_state_set(f.s, &f.period, "golden", &ch, 1, CS_WF_SUBMITTED, NULL, &err),
		CS_OK);
	assert_int_equal(cs_par_round_load(f.s, f.period.id, f.fw, &f.units, &r, &err), CS_OK);
	assert_int_equal(r.nunits, 3);
	assert_int_equal(r.nscores, 7);
	assert_string_equal(r.units[0].code, "U1");
	assert_string_equal(r.units[1].code, "U2");
	assert_string_equal(r.units[1].flags, "unranked");
	assert_string_equal(r.units[2].code, "U3");
	assert_int_equal(r.units[2].level, CS_LEVEL_DISTRICT);
	assert_string_equal(r.names[0], "Một");
	assert_int_equal(r.states[0], CS_WF_DRAFT);
	assert_int_equal(r.states[2], CS_WF_SUBMITTED);
	/* U1 A.1: self 20, appraised 18. */
	assert_true(r.units[0].scores[a1].has_self && r.units[0].scores[a1].self == 20);
	assert_true(r.units[0].scores[a1].has_appraised && r.units[0].scores[a1].appraised == 18);
	assert_false(r.units[0].scores[a1].not_applicable);
	/* U2 A.1: self na. U2 B.1: self 50, appraised na: the appraisal decides. */
	assert_true(r.units[1].scores[a1].not_applicable);
	assert_true(r.units[1].scores[b1].not_applicable);
	assert_true(r.units[1].scores[b1].has_self);
	assert_true(r.units[1].scores[y].has_appraised && r.units[1].scores[y].appraised == 2);
	assert_false(r.units[2].scores[a2].has_self);

	cs_buf_init(&text, 1u << 20);
	assert_int_equal(cs_par_round_canonical(&r, f.fw, &text, &err), CS_OK);
	assert_string_equal(text.data, "chiso-par-input\t1\n"
				       "framework\tgolden\t1\n"
				       "unit\tU1\t\tprovince\t\tMột\n"
				       "score\tU1\tA.1\t20\t18\n"
				       "score\tU1\tA.2\t0.9\t\n"
				       "score\tU1\tB.1\t45\t\n"
				       "unit\tU2\t\tprovince\tunranked\tHai\n"
				       "score\tU2\tA.1\t\tna\n"
				       "score\tU2\tA.2\t1\t\n"
				       "score\tU2\tB.1\t50\tna\n"
				       "score\tU2\tY\t\t2\n"
				       "unit\tU3\t\tdistrict\t\tBa\n");
	cs_buf_release(&text);

	/* A stored score on a node the framework lacks, or another version. */
	{
		struct cs_framework *v2 = framework("2");

		assert_int_equal(cs_par_round_load(f.s, f.period.id, v2, &f.units, &r, &err),
				 CS_ECONFLICT);
		assert_string_equal(err.msg, "the scores were entered against framework 'golden' "
					     "version '1', not version '2'");
		assert_int_equal(r.nunits, 0);
		cs_framework_free(v2);
	}
	assert_int_equal(
		cs_store_exec(f.s, "update assessment set node_code = 'Z' where node_code = 'Y'",
			      &err),
		CS_OK);
	assert_int_equal(cs_par_round_load(f.s, f.period.id, f.fw, &f.units, &r, &err),
			 CS_ECONFLICT);
	assert_string_equal(err.msg, "a stored score names node 'Z', which framework 'golden' "
				     "version '1' does not have");
	cs_par_round_release(&r);
	teardown(&f);
}

static void test_out_of_memory(void **state)
{
	struct fixture f;
	struct cs_error err = {0};
	struct cs_score_table t;
	struct cs_par_round r;
	struct cs_arena arena;
	struct cs_vec ch;
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	setup(&f);
	table(&f, first_file, &t);
	for (n = 0; n < 10000; n++) {
		cs_alloc_fail_after(n);
		rc = cs_score_store_import(f.s, &f.period, f.fw, &t, NULL, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_int_equal(q_i64(f.s, "select count(*) from assessment"), 0);
		assert_int_equal(q_i64(f.s, "select count(*) from audit where entity = "
					    "'assessment'"),
				 0);
	}
	assert_int_equal(rc, CS_OK);
	cs_score_table_release(&t);

	for (n = 0; n < 10000; n++) {
		cs_arena_init(&arena, 0);
		cs_vec_init(&ch, sizeof(struct cs_score_change), 0);
		cs_alloc_fail_after(n);
		rc = cs_score_store_history(f.s, "2024", NULL, NULL, NULL, &arena, &ch, &err);
		cs_alloc_fail_after(-1);
		cs_vec_release(&ch);
		cs_arena_release(&arena);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
	}
	assert_int_equal(rc, CS_OK);

	cs_par_round_init(&r);
	for (n = 0; n < 10000; n++) {
		cs_alloc_fail_after(n);
		rc = cs_par_round_load(f.s, f.period.id, f.fw, &f.units, &r, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_int_equal(r.nunits, 0);
	}
	assert_int_equal(rc, CS_OK);
	assert_int_equal(r.nunits, 2);
	cs_par_round_release(&r);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_round),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
