/*
 * Tests of the assessment workflow table (core/workflow.h, METHODOLOGY
 * M2.9): every pair of states allowed or refused as the table says, the
 * reasons required, and the messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/workflow.h"

#include "util/banned.h"

static void test_names(void **state)
{
	enum cs_wf_state s;

	(void)state;
	for (int i = 0; i < CS_WF_STATE_COUNT_; i++) {
		const char *name = cs_wf_state_name((enum cs_wf_state)i);

		assert_non_null(name);
		assert_non_null(cs_wf_state_label_vi((enum cs_wf_state)i));
		assert_true(cs_wf_state_parse(cs_str_from(name), &s));
		assert_int_equal(s, i);
	}
	assert_null(cs_wf_state_name(CS_WF_STATE_COUNT_));
	assert_null(cs_wf_state_label_vi((enum cs_wf_state) - 1));
	assert_true(cs_wf_state_parse(cs_str_from("Explanation-Requested"), &s));
	assert_int_equal(s, CS_WF_EXPLANATION_REQUESTED);
	assert_true(cs_wf_state_parse(cs_str_from("APPROVED"), &s));
	assert_int_equal(s, CS_WF_APPROVED);
	assert_false(cs_wf_state_parse(cs_str_from("approve"), &s));
	assert_false(cs_wf_state_parse(cs_str_from(""), &s));
	assert_false(cs_wf_state_parse(cs_str_from("draft "), &s));
	assert_string_equal(cs_wf_state_label_vi(CS_WF_EXPLANATION_REQUESTED),
			    "Yêu cầu giải trình");
}

/* The expected table: from, to, reason needed; everything else is refused. */
static const struct {
	enum cs_wf_state from, to;
	bool reason;
} allowed[] = {
	{CS_WF_DRAFT, CS_WF_SUBMITTED, false},
	{CS_WF_SUBMITTED, CS_WF_DRAFT, true},
	{CS_WF_SUBMITTED, CS_WF_APPRAISED, false},
	{CS_WF_APPRAISED, CS_WF_EXPLANATION_REQUESTED, true},
	{CS_WF_EXPLANATION_REQUESTED, CS_WF_EXPLAINED, false},
	{CS_WF_EXPLAINED, CS_WF_APPRAISED, false},
	{CS_WF_APPRAISED, CS_WF_APPROVED, false},
	{CS_WF_APPROVED, CS_WF_APPRAISED, true},
};

static int expected(enum cs_wf_state from, enum cs_wf_state to)
{
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (allowed[i].from == from && allowed[i].to == to)
			return allowed[i].reason ? 2 : 1;
	return 0;
}

static void test_every_pair(void **state)
{
	(void)state;
	for (int f = 0; f < CS_WF_STATE_COUNT_; f++)
		for (int t = 0; t < CS_WF_STATE_COUNT_; t++) {
			struct cs_error err = {0};
			int e = expected((enum cs_wf_state)f, (enum cs_wf_state)t);
			enum cs_err with =
				cs_wf_check((enum cs_wf_state)f, (enum cs_wf_state)t, true, &err);
			enum cs_err without =
				cs_wf_check((enum cs_wf_state)f, (enum cs_wf_state)t, false, &err);

			assert_int_equal(with, e ? CS_OK : CS_ESTATE);
			assert_int_equal(without, e == 1 ? CS_OK : CS_ESTATE);
		}
}

static void test_table(void **state)
{
	size_t n = cs_wf_transition_count();

	(void)state;
	/* The rows above, plus approved -> published by publication only. */
	assert_int_equal(n, sizeof(allowed) / sizeof(allowed[0]) + 1);
	for (size_t i = 0; i < n; i++) {
		const struct cs_wf_transition *t = cs_wf_transition_at(i);

		assert_non_null(t);
		assert_ptr_equal(cs_wf_transition_find(t->from, t->to), t);
		assert_non_null(t->summary);
		if (t->to == CS_WF_PUBLISHED)
			assert_int_equal(t->by, CS_WF_BY_PUBLISH);
		else
			assert_int_equal(expected(t->from, t->to), t->reason_required ? 2 : 1);
	}
	assert_null(cs_wf_transition_at(n));
	assert_null(cs_wf_transition_find(CS_WF_DRAFT, CS_WF_APPROVED));
	assert_non_null(cs_wf_transition_find(CS_WF_APPROVED, CS_WF_PUBLISHED));
}

static void test_messages(void **state)
{
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_wf_check(CS_WF_DRAFT, CS_WF_APPROVED, true, &err), CS_ESTATE);
	assert_string_equal(
		err.msg,
		"cannot go from draft to approved; from draft the next state is submitted");
	assert_int_equal(cs_wf_check(CS_WF_SUBMITTED, CS_WF_EXPLAINED, true, &err), CS_ESTATE);
	assert_string_equal(err.msg, "cannot go from submitted to explained; from submitted the "
				     "next state is draft or appraised");
	assert_int_equal(cs_wf_check(CS_WF_APPRAISED, CS_WF_DRAFT, true, &err), CS_ESTATE);
	assert_string_equal(err.msg, "cannot go from appraised to draft; from appraised the next "
				     "state is explanation_requested or approved");
	assert_int_equal(cs_wf_check(CS_WF_APPRAISED, CS_WF_EXPLANATION_REQUESTED, false, &err),
			 CS_ESTATE);
	assert_string_equal(
		err.msg, "going from appraised to explanation_requested needs a reason (--reason)");
	assert_int_equal(cs_wf_check(CS_WF_APPROVED, CS_WF_PUBLISHED, true, &err), CS_ESTATE);
	assert_string_equal(err.msg, "units are published together with their period's results; "
				     "use 'chiso par publish'");
	assert_int_equal(cs_wf_check(CS_WF_PUBLISHED, CS_WF_APPRAISED, true, &err), CS_ESTATE);
	assert_string_equal(err.msg, "the results are published; published results never change");
	assert_int_equal(cs_wf_check(CS_WF_DRAFT, CS_WF_DRAFT, true, &err), CS_ESTATE);
	assert_string_equal(err.msg, "the state is already draft");
	assert_int_equal(cs_wf_check(CS_WF_STATE_COUNT_, CS_WF_DRAFT, true, &err), CS_EINVAL);
	assert_int_equal(cs_wf_check(CS_WF_DRAFT, CS_WF_SUBMITTED, false, NULL), CS_OK);
}

static void test_scores_editable(void **state)
{
	(void)state;
	for (int i = 0; i < CS_WF_STATE_COUNT_; i++)
		assert_int_equal(cs_wf_scores_editable((enum cs_wf_state)i),
				 i != CS_WF_APPROVED && i != CS_WF_PUBLISHED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_table),		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_scores_editable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
