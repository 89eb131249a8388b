/*
 * Tests of assessment rounds (store/round_store.h) and of one unit's
 * assessment with its explanation requests (store/assess_store.h), on
 * databases in a temporary directory: deadlines as written by people, a
 * round's units and audit rows, submissions before and after the deadline,
 * closing and reopening, progress, questions and answers, and allocation
 * failures.
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

#include "store/assess_store.h"
#include "store/round_store.h"
#include "store/store.h"
#include "util/alloc.h"

#include "util/banned.h"

static char dir[4096];
static int serial;

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_round_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
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

static const struct cs_period P2026 = {1, "2026", "2026-01-01", "2026-12-31"};

/* Units P, U1, U2, period 2026 and a stored framework 'f' (no nodes needed here). */
static struct cs_store *open_ready(void)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	snprintf(path, sizeof(path), "%s/db%d.sqlite", dir, serial++);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_OK);
	if (cs_store_exec(
		    s,
		    "insert into period (code, starts, ends) values ('2026', '2026-01-01', "
		    "'2026-12-31');"
		    "insert into unit (code, name, level) values ('P', 'Tỉnh P', 'province');"
		    "insert into unit (code, name, parent_id, level) values ('U1', 'Đơn vị 1', 1, "
		    "'district');"
		    "insert into unit (code, name, parent_id, level) values ('U2', 'Đơn vị 2', 1, "
		    "'district');"
		    "insert into methodology (code, kind, version, body, sha256, imported_at) "
		    "values "
		    "('f', 'framework', '1', '{}', 'x', '2026-01-01T00:00:00Z');",
		    &err))
		fail_msg("%s", err.msg);
	assert_int_equal(cs_store_set_actor(s, "admin", &err), CS_OK);
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

static void q_text(struct cs_store *s, const char *sql, char *out, size_t size)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	const char *t;

	out[0] = '\0';
	assert_int_equal(cs_stmt_prepare(s, sql, &st, NULL), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, NULL), CS_OK);
	t = row ? cs_stmt_text(st, 0, NULL) : NULL;
	snprintf(out, size, "%s", t ? t : "(null)");
	cs_stmt_free(st);
}

static void test_deadline_parse(void **state)
{
	char out[CS_STORE_TIME_LEN];
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_deadline_parse(cs_str_from("2026-03-31"), out, &err), CS_OK);
	assert_string_equal(out, "2026-03-31T16:59:59Z");
	assert_int_equal(cs_deadline_parse(cs_str_from(" 31/03/2026 "), out, &err), CS_OK);
	assert_string_equal(out, "2026-03-31T16:59:59Z");
	assert_int_equal(cs_deadline_parse(cs_str_from("2026-03-31T08:00:00Z"), out, &err), CS_OK);
	assert_string_equal(out, "2026-03-31T08:00:00Z");
	assert_int_equal(cs_deadline_parse(cs_str_from("2026-02-30"), out, &err), CS_EPARSE);
	assert_int_equal(cs_deadline_parse(cs_str_from("2026-03-31T24:00:00Z"), out, &err),
			 CS_EPARSE);
	assert_int_equal(cs_deadline_parse(cs_str_from("2026-03-31T08:00:00+07:00"), out, &err),
			 CS_EPARSE);
	assert_int_equal(cs_deadline_parse(cs_str_from("soon"), out, &err), CS_EPARSE);
	assert_string_equal(err.msg, "deadline 'soon': expected a date YYYY-MM-DD (the end of that "
				     "day in Vietnam) or a time YYYY-MM-DDTHH:MM:SSZ");
}

static void test_round_set_and_submit(void **state)
{
	struct cs_store *s = open_ready();
	const char *units[] = {"U1", "U2"}, *bad[] = {"U1", "NOPE"};
	struct cs_round_spec spec = {
		.framework = "f", .deadline = "2026-03-31T16:59:59Z", .units = units, .nunits = 2};
	char until[CS_STORE_TIME_LEN], text[512];
	struct cs_error err = {0};
	struct cs_round r;
	struct cs_vec list;
	size_t added = 0;
	bool found = false;

	(void)state;
	assert_int_equal(cs_round_get(s, 1, "f", &r, &found, &err), CS_OK);
	assert_false(found);
	/* No round: submissions at any time. */
	assert_int_equal(
		cs_round_may_submit(s, &P2026, "f", 2, "U1", "2030-01-01T00:00:00Z", until, &err),
		CS_OK);
	assert_string_equal(until, "");

	spec.units = bad;
	assert_int_equal(cs_round_set(s, &P2026, &spec, &added, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "units: no unit 'NOPE'; import it first");
	assert_int_equal(q_i64(s, "select count(*) from par_round"), 0);
	assert_int_equal(q_i64(s, "select count(*) from assessment_state"), 0);
	spec.units = units;
	spec.framework = "g";
	assert_int_equal(cs_round_set(s, &P2026, &spec, &added, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "framework: no framework 'g'; import it first");
	spec.framework = "f";

	assert_int_equal(cs_round_set(s, &P2026, &spec, &added, &err), CS_OK);
	assert_int_equal(added, 2);
	assert_int_equal(cs_round_set(s, &P2026, &spec, &added, &err), CS_OK);
	assert_int_equal(added, 0);
	assert_int_equal(cs_round_get(s, 1, "f", &r, &found, &err), CS_OK);
	assert_true(found);
	assert_string_equal(r.period, "2026");
	assert_string_equal(r.deadline, "2026-03-31T16:59:59Z");
	assert_false(r.closed);
	assert_string_equal(r.updated_by, "admin");
	cs_vec_init(&list, sizeof(struct cs_round), 0);
	assert_int_equal(cs_round_list(s, &list, &err), CS_OK);
	assert_int_equal(list.len, 1);
	cs_vec_release(&list);
	q_text(s,
	       "select group_concat(entity || '|' || entity_id || '|' || field || '|' || "
	       "coalesce(new_value, '') || '|' || coalesce(reason, ''), ';') from audit",
	       text, sizeof(text));
	assert_string_equal(text,
			    "round|2026/f|deadline|2026-03-31T16:59:59Z|;round|2026/f|closed|no|;"
			    "assessment_state|2026/f/U1|state|draft|added to the round;"
			    "assessment_state|2026/f/U2|state|draft|added to the round");

	/* Before and after the deadline; the deadline itself still counts. */
	assert_int_equal(
		cs_round_may_submit(s, &P2026, "f", 2, "U1", "2026-03-31T16:59:59Z", until, &err),
		CS_OK);
	assert_int_equal(
		cs_round_may_submit(s, &P2026, "f", 2, "U1", "2026-03-31T17:00:00Z", until, &err),
		CS_ESTATE);
	assert_string_equal(err.msg, "the deadline of the round of period '2026' for framework 'f' "
				     "was 2026-03-31T16:59:59Z; an administrator may reopen unit "
				     "'U1'");
	assert_int_equal(cs_round_reopen(s, &P2026, "f", "U1", "2026-04-10T16:59:59Z", "", &err),
			 CS_EINVAL);
	assert_int_equal(cs_round_reopen(s, &P2026, "f", "NOPE", "2026-04-10T16:59:59Z", "x", &err),
			 CS_ENOTFOUND);
	assert_int_equal(cs_round_reopen(s, &P2026, "g", "U1", "2026-04-10T16:59:59Z", "x", &err),
			 CS_ENOTFOUND);
	assert_int_equal(
		cs_round_reopen(s, &P2026, "f", "U1", "2026-04-10T16:59:59Z", "mất điện", &err),
		CS_OK);
	assert_int_equal(
		cs_round_may_submit(s, &P2026, "f", 2, "U1", "2026-04-01T00:00:00Z", until, &err),
		CS_OK);
	assert_string_equal(until, "2026-04-10T16:59:59Z");
	assert_int_equal(
		cs_round_may_submit(s, &P2026, "f", 3, "U2", "2026-04-01T00:00:00Z", until, &err),
		CS_ESTATE);
	assert_int_equal(
		cs_round_may_submit(s, &P2026, "f", 2, "U1", "2026-04-11T00:00:00Z", until, &err),
		CS_ESTATE);
	/* Reopening again replaces the time, audited with the old one. */
	assert_int_equal(
		cs_round_reopen(s, &P2026, "f", "U1", "2026-05-01T00:00:00Z", "lần hai", &err),
		CS_OK);
	q_text(s,
	       "select old_value || '>' || new_value || '|' || reason from audit where field = "
	       "'reopened_until' order by id desc",
	       text, sizeof(text));
	assert_string_equal(text, "2026-04-10T16:59:59Z>2026-05-01T00:00:00Z|lần hai");

	/* Closed: refused even before the deadline, but for a reopened unit. */
	spec.closed = true;
	spec.deadline = NULL;
	spec.nunits = 0;
	assert_int_equal(cs_round_set(s, &P2026, &spec, NULL, &err), CS_OK);
	assert_int_equal(
		cs_round_may_submit(s, &P2026, "f", 3, "U2", "2026-01-02T00:00:00Z", until, &err),
		CS_ESTATE);
	assert_string_equal(err.msg, "the round of period '2026' for framework 'f' is closed; an "
				     "administrator may reopen unit 'U2'");
	assert_int_equal(
		cs_round_may_submit(s, &P2026, "f", 2, "U1", "2026-01-02T00:00:00Z", until, &err),
		CS_OK);

	/* Published: the round no longer changes. */
	if (cs_store_exec(s,
			  "insert into publication (period_id, kind, framework, framework_version, "
			  "methodology_id, methodology_sha256, input_sha256, options, results, "
			  "published_at, published_by) values (1, 'par', 'f', '1', 1, 'x', 'y', "
			  "'{}', '{}', 't', 'admin')",
			  &err))
		fail_msg("%s", err.msg);
	assert_int_equal(cs_round_set(s, &P2026, &spec, NULL, &err), CS_ESTATE);
	cs_store_close(s);
}

static void test_units_and_explanations(void **state)
{
	struct cs_store *s = open_ready();
	const char *units[] = {"U1"};
	struct cs_round_spec spec = {.framework = "f", .units = units, .nunits = 1};
	struct cs_error err = {0};
	struct cs_arena arena;
	struct cs_vec list, ex, rows;
	enum cs_wf_state st;
	bool recorded = true;
	int64_t id = 0;
	char text[512];

	(void)state;
	cs_arena_init(&arena, 0);
	assert_int_equal(cs_assess_state(s, 1, 2, "f", &st, &recorded, &err), CS_OK);
	assert_int_equal(st, CS_WF_DRAFT);
	assert_false(recorded);
	assert_int_equal(cs_round_set(s, &P2026, &spec, NULL, &err), CS_OK);
	assert_int_equal(cs_assess_state(s, 1, 2, "f", &st, &recorded, &err), CS_OK);
	assert_true(recorded);
	if (cs_store_exec(
		    s,
		    "insert into assessment (period_id, unit_id, framework, methodology_id, "
		    "node_code, self_score, self_na, self_note, appraised_score, appraised_na, "
		    "updated_by, updated_at) values (1, 3, 'f', 1, 'A.1', 7.5, 0, 'n', null, "
		    "1, 'u2', 't'), (1, 3, 'f', 1, 'A.2', null, 1, null, null, 0, 'u2', 't');"
		    "update assessment_state set state = 'submitted' where unit_id = 2",
		    &err))
		fail_msg("%s", err.msg);

	cs_vec_init(&rows, sizeof(struct cs_assess_row), 0);
	assert_int_equal(cs_assess_rows(s, 1, 3, "f", &arena, &rows, &err), CS_OK);
	assert_int_equal(rows.len, 2);
	{
		const struct cs_assess_row *r = cs_vec_at(&rows, 0);

		assert_string_equal(r->node, "A.1");
		assert_int_equal(r->self.kind, CS_SCORE_VALUE);
		assert_true(r->self.value == 7.5);
		assert_int_equal(r->appraised.kind, CS_SCORE_NA);
		assert_string_equal(r->note, "n");
		assert_null(r->reason);
		r = cs_vec_at(&rows, 1);
		assert_int_equal(r->self.kind, CS_SCORE_NA);
		assert_int_equal(r->appraised.kind, CS_SCORE_EMPTY);
	}
	cs_vec_release(&rows);

	cs_vec_init(&list, sizeof(struct cs_round_unit), 0);
	assert_int_equal(cs_round_units(s, 1, "f", &arena, &list, &err), CS_OK);
	assert_int_equal(list.len, 2);
	assert_string_equal(((struct cs_round_unit *)cs_vec_at(&list, 0))->code, "U1");
	assert_int_equal(((struct cs_round_unit *)cs_vec_at(&list, 0))->state, CS_WF_SUBMITTED);
	assert_string_equal(((struct cs_round_unit *)cs_vec_at(&list, 1))->code, "U2");
	assert_int_equal(((struct cs_round_unit *)cs_vec_at(&list, 1))->self_scores, 2);
	assert_int_equal(((struct cs_round_unit *)cs_vec_at(&list, 1))->appraised_scores, 1);
	cs_vec_release(&list);

	assert_int_equal(cs_explanation_ask(s, &P2026, 2, "U1", "f", "A.1", "", &id, &err),
			 CS_EINVAL);
	assert_int_equal(cs_explanation_ask(s, &P2026, 2, "U1", "f", "A.1", "Vì sao?", &id, &err),
			 CS_OK);
	assert_true(id > 0);
	assert_int_equal(cs_explanation_answer(s, &P2026, 3, "U2", "f", id, "x", &err),
			 CS_ENOTFOUND);
	assert_string_equal(err.msg, "explanation request 1 is not one of unit 'U2' in period "
				     "'2026' under framework 'f'");
	assert_int_equal(cs_explanation_answer(s, &P2026, 2, "U1", "f", id, "Vì vậy.", &err),
			 CS_OK);
	assert_int_equal(cs_explanation_answer(s, &P2026, 2, "U1", "f", id, "Vì vậy.", &err),
			 CS_OK);
	assert_int_equal(cs_explanation_answer(s, &P2026, 2, "U1", "f", id, "Vì thế.", &err),
			 CS_OK);
	cs_vec_init(&ex, sizeof(struct cs_explanation), 0);
	assert_int_equal(cs_explanation_list(s, 1, 2, "f", &arena, &ex, &err), CS_OK);
	assert_int_equal(ex.len, 1);
	assert_string_equal(((struct cs_explanation *)cs_vec_at(&ex, 0))->answer, "Vì thế.");
	assert_string_equal(((struct cs_explanation *)cs_vec_at(&ex, 0))->answered_by, "admin");
	cs_vec_release(&ex);
	q_text(s,
	       "select group_concat(field || '|' || coalesce(old_value, '') || '|' || new_value "
	       "|| '|' || coalesce(reason, ''), ';') from audit where entity = 'assessment'",
	       text, sizeof(text));
	assert_string_equal(text, "explanation_request||Vì sao?|;explanation||Vì vậy.|Vì sao?;"
				  "explanation|Vì vậy.|Vì thế.|Vì sao?");
	cs_arena_release(&arena);
	cs_store_close(s);
}

static void test_alloc_failures(void **state)
{
	struct cs_store *s = open_ready();
	const char *units[] = {"U1", "U2"};
	struct cs_round_spec spec = {
		.framework = "f", .deadline = "2026-03-31T16:59:59Z", .units = units, .nunits = 2};
	enum cs_err rc = CS_ENOMEM;

	(void)state;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_error err = {0};

		cs_alloc_fail_after(n);
		rc = cs_round_set(s, &P2026, &spec, NULL, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (rc)
			assert_int_equal(q_i64(s, "select count(*) from assessment_state"), 0);
	}
	assert_int_equal(q_i64(s, "select count(*) from assessment_state"), 2);
	rc = CS_ENOMEM;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_error err = {0};
		struct cs_arena arena;
		struct cs_vec list;

		cs_arena_init(&arena, 0);
		cs_vec_init(&list, sizeof(struct cs_round_unit), 0);
		cs_alloc_fail_after(n);
		rc = cs_round_units(s, 1, "f", &arena, &list, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (!rc)
			assert_int_equal(list.len, 2);
		cs_vec_release(&list);
		cs_arena_release(&arena);
	}
	rc = CS_ENOMEM;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_error err = {0};

		cs_alloc_fail_after(n);
		rc = cs_store_begin(s, &err);
		if (!rc) {
			rc = cs_explanation_ask(s, &P2026, 2, "U1", "f", "A.1", "?", NULL, &err);
			if (rc)
				cs_store_rollback(s);
			else
				rc = cs_store_commit(s, &err);
		}
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
	}
	assert_int_equal(q_i64(s, "select count(*) from explanation"), 1);
	cs_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline_parse),
		cmocka_unit_test(test_round_set_and_submit),
		cmocka_unit_test(test_units_and_explanations),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
