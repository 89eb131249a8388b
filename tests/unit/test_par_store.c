/*
 * Tests of the PAR workflow and publication in the database
 * (store/par_store.h, METHODOLOGY M2.9): state changes along the transition
 * table, all or nothing, with audit rows; publications stored once, only for
 * approved units, and read back byte for byte; out of memory.
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
#include "store/framework_store.h"
#include "store/par_store.h"
#include "store/score_store.h"
#include "store/store.h"
#include "store/unit_store.h"
#include "util/alloc.h"

#include "par_fixture.h"

#include "util/banned.h"

static struct cs_par_state_change unit(struct fixture *f, size_t i)
{
	const struct cs_unit *u = cs_unit_set_at(&f->units, i);

	return (struct cs_par_state_change){u->id, u->code, CS_WF_DRAFT};
}

static void move(struct fixture *f, struct cs_par_state_change *ch, size_t n, enum cs_wf_state to)
{
	struct cs_error err = {0};

	assert_int_equal(cs_par_state_set(f->s, &f->period, "golden", ch, n, to, NULL, &err),
			 CS_OK);
}

static void test_states(void **state)
{
	struct fixture f;
	struct cs_error err = {0};
	struct cs_par_state_change ch[3];
	struct cs_arena arena;
	struct cs_vec hist;
	const struct cs_score_change *c;

	(void)state;
	setup(&f);
	for (size_t i = 0; i < 3; i++)
		ch[i] = unit(&f, i);
	move(&f, ch, 2, CS_WF_SUBMITTED);
	assert_int_equal(ch[0].from, CS_WF_DRAFT);
	assert_int_equal(q_i64(f.s, "select count(*) from assessment_state where state = "
				    "'submitted'"),
			 2);
	/* U3 is still in draft: the three together fail and nothing moves. */
	assert_int_equal(
		cs_par_state_set(f.s, &f.period, "golden", ch, 3, CS_WF_APPRAISED, NULL, &err),
		CS_ESTATE);
	assert_string_equal(err.msg, "unit 'U3': cannot go from draft to appraised; from draft "
				     "the next state is submitted");
	assert_int_equal(q_i64(f.s, "select count(*) from assessment_state where state = "
				    "'appraised'"),
			 0);
	assert_int_equal(q_i64(f.s, "select count(*) from audit where entity = "
				    "'assessment_state'"),
			 2);
	/* A reason where one is needed; an empty reason is none. */
	assert_int_equal(cs_par_state_set(f.s, &f.period, "golden", ch, 1, CS_WF_DRAFT, "", &err),
			 CS_ESTATE);
	assert_string_equal(err.msg, "unit 'U1': going from submitted to draft needs a reason "
				     "(--reason)");
	assert_int_equal(cs_store_set_actor(f.s, "hội đồng", &err), CS_OK);
	assert_int_equal(cs_par_state_set(f.s, &f.period, "golden", ch, 1, CS_WF_DRAFT,
					  "thiếu minh chứng", &err),
			 CS_OK);
	assert_int_equal(ch[0].from, CS_WF_SUBMITTED);

	cs_arena_init(&arena, 0);
	cs_vec_init(&hist, sizeof(struct cs_score_change), 0);
	assert_int_equal(
		cs_score_store_history(f.s, "2024", "golden", "U1", NULL, &arena, &hist, &err),
		CS_OK);
	assert_int_equal(hist.len, 2);
	c = cs_vec_at(&hist, 1);
	assert_null(c->node);
	assert_string_equal(c->field, "state");
	assert_string_equal(c->old_value, "submitted");
	assert_string_equal(c->new_value, "draft");
	assert_string_equal(c->reason, "thiếu minh chứng");
	assert_string_equal(c->actor, "hội đồng");
	/* A node filter leaves state changes out. */
	cs_vec_clear(&hist);
	assert_int_equal(
		cs_score_store_history(f.s, "2024", "golden", "U1", "A.1", &arena, &hist, &err),
		CS_OK);
	assert_int_equal(hist.len, 0);
	cs_vec_release(&hist);
	cs_arena_release(&arena);

	/* Another framework's states are its own. */
	assert_int_equal(
		cs_par_state_set(f.s, &f.period, "other", ch + 2, 1, CS_WF_SUBMITTED, NULL, &err),
		CS_OK);
	assert_int_equal(q_i64(f.s, "select count(*) from assessment_state where framework = "
				    "'golden' and unit_id = 3"),
			 0);

	/* A state the database should never hold. */
	assert_int_equal(cs_store_exec(f.s, "pragma ignore_check_constraints = on", &err), CS_OK);
	assert_int_equal(cs_store_exec(f.s,
				       "update assessment_state set state = 'lost' where unit_id = "
				       "2 and framework = 'golden'",
				       &err),
			 CS_OK);
	assert_int_equal(
		cs_par_state_set(f.s, &f.period, "golden", ch + 1, 1, CS_WF_APPRAISED, NULL, &err),
		CS_ESTORE);
	assert_string_equal(err.msg, "unknown workflow state 'lost' in the database");
	teardown(&f);
}

static void round_of(struct fixture *f, struct cs_par_round *r)
{
	struct cs_error err = {0};

	assert_int_equal(cs_par_round_load(f->s, f->period.id, f->fw, &f->units, r, &err), CS_OK);
}

static void test_publication(void **state)
{
	struct fixture f;
	struct cs_error err = {0};
	struct cs_par_state_change ch[2];
	struct cs_par_round r;
	struct cs_publication pub = {0}, got = {0};
	static const char results[] = "{\n  \"format\": \"chiso-par-results\"\n}\n";
	bool found = true;
	int64_t mid = 0;

	(void)state;
	setup(&f);
	assert_int_equal(cs_score_store_methodology(f.s, "golden", "1", &mid, &err), CS_OK);
	ch[0] = unit(&f, 0);
	ch[1] = unit(&f, 1);
	move(&f, ch, 2, CS_WF_SUBMITTED);
	move(&f, ch, 2, CS_WF_APPRAISED);
	move(&f, ch, 1, CS_WF_APPROVED);
	cs_par_round_init(&r);
	round_of(&f, &r);
	assert_int_equal(r.nunits, 2);

	snprintf(pub.framework, sizeof(pub.framework), "golden");
	snprintf(pub.version, sizeof(pub.version), "1");
	snprintf(pub.methodology_sha256, sizeof(pub.methodology_sha256), "%064d", 1);
	snprintf(pub.input_sha256, sizeof(pub.input_sha256), "%064d", 2);
	pub.results = (char *)results;
	pub.results_len = sizeof(results) - 1;
	pub.options = (char *)"{\"decimals\":2}";
	pub.options_len = strlen(pub.options);

	assert_int_equal(cs_store_begin(f.s, &err), CS_OK);
	assert_int_equal(cs_publication_add(f.s, &f.period, mid, &pub, &r, &err), CS_ESTATE);
	assert_string_equal(err.msg, "unit 'U2' is appraised, not approved; every unit of the "
				     "period must be approved before its results are published");
	cs_store_rollback(f.s);

	assert_int_equal(cs_publication_get(f.s, f.period.id, "golden", &got, &found, &err), CS_OK);
	assert_false(found);
	move(&f, ch + 1, 1, CS_WF_APPROVED);
	round_of(&f, &r);
	assert_int_equal(cs_store_set_actor(f.s, "hội đồng", &err), CS_OK);
	assert_int_equal(cs_store_begin(f.s, &err), CS_OK);
	assert_int_equal(cs_publication_add(f.s, &f.period, mid, &pub, &r, &err), CS_OK);
	assert_int_equal(cs_store_commit(f.s, &err), CS_OK);
	assert_true(pub.id > 0);
	assert_string_equal(pub.published_by, "hội đồng");
	assert_int_equal(strlen(pub.published_at), 20);
	assert_int_equal(q_i64(f.s, "select count(*) from assessment_state where state = "
				    "'published'"),
			 2);
	assert_int_equal(q_i64(f.s, "select count(*) from audit where entity = 'publication'"), 1);

	assert_int_equal(cs_publication_get(f.s, f.period.id, "golden", &got, &found, &err), CS_OK);
	assert_true(found);
	assert_int_equal(got.id, pub.id);
	assert_string_equal(got.framework, "golden");
	assert_string_equal(got.version, "1");
	assert_string_equal(got.input_sha256, pub.input_sha256);
	assert_string_equal(got.published_at, pub.published_at);
	assert_int_equal(got.results_len, sizeof(results) - 1);
	assert_memory_equal(got.results, results, sizeof(results) - 1);
	assert_string_equal(got.options, "{\"decimals\":2}");

	/* Once published: no second publication, no state change. */
	round_of(&f, &r);
	assert_int_equal(cs_store_begin(f.s, &err), CS_OK);
	assert_int_equal(cs_publication_add(f.s, &f.period, mid, &pub, &r, &err), CS_EEXIST);
	cs_store_rollback(f.s);
	assert_int_equal(
		cs_par_state_set(f.s, &f.period, "golden", ch, 1, CS_WF_APPRAISED, "x", &err),
		CS_ESTATE);
	assert_int_equal(strncmp(err.msg,
				 "the results of period '2024' for framework 'golden' "
				 "were published on ",
				 70),
			 0);
	cs_publication_release(&got);
	cs_publication_release(NULL);
	cs_par_round_release(&r);
	teardown(&f);
}

static void test_out_of_memory(void **state)
{
	struct fixture f;
	struct cs_error err = {0};
	struct cs_par_state_change ch[3];
	struct cs_publication got = {0};
	enum cs_err rc = CS_ENOMEM;
	bool found;
	long n;

	(void)state;
	setup(&f);
	for (size_t i = 0; i < 3; i++)
		ch[i] = unit(&f, i);
	for (n = 0; n < 10000; n++) {
		cs_alloc_fail_after(n);
		rc = cs_par_state_set(f.s, &f.period, "golden", ch, 3, CS_WF_SUBMITTED, NULL, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_int_equal(q_i64(f.s, "select count(*) from assessment_state"), 0);
	}
	assert_int_equal(rc, CS_OK);
	assert_int_equal(
		cs_store_exec(f.s,
			      "insert into publication (period_id, kind, framework, "
			      "framework_version, methodology_id, methodology_sha256, "
			      "input_sha256, options, results, published_at, published_by) "
			      "values (1, 'par', 'golden', '1', 1, 'a', 'b', '{}', '{\"x\": "
			      "1}', 't', 'hđ')",
			      &err),
		CS_OK);
	for (n = 0; n < 10000; n++) {
		cs_alloc_fail_after(n);
		rc = cs_publication_get(f.s, f.period.id, "golden", &got, &found, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_null(got.results);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(found);
	assert_string_equal(got.results, "{\"x\": 1}");
	cs_publication_release(&got);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_publication),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
