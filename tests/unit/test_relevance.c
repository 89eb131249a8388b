/*
 * Tests of the relevance evaluator (core/relevance.h): the cases of
 * tests/golden/relevance (the text each item type gives, comparisons as XPath
 * makes them, the empty answer, functions, logic and precedence, nesting),
 * which the browser test also runs through web/survey/survey.js so that page
 * and server agree, and every refusal with its message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/questionnaire.h"
#include "core/relevance.h"

#include "util/banned.h"

enum {
	Q1,
	Q2,
	YN,
	YN2,
	S,
	M,
	AGE,
	T,
	NITEMS
};

static struct cs_questionnaire *make_q(void)
{
	struct cs_q_info info = {.code = "t", .title = "Test", .version = "1"};
	struct cs_q_element el = {"E1", "Yếu tố 1", ""};
	struct cs_q_choice five[] = {
		{"vd", "Rất không hài lòng", ""}, {"d", "Không hài lòng", ""},
		{"n", "Bình thường", ""},	  {"s", "Hài lòng", ""},
		{"vs", "Rất hài lòng", ""},
	};
	struct cs_q_choice yesno[] = {{"yes", "Có", ""}, {"no", "Không", ""}};
	struct cs_q_choice ab[] = {{"a", "A", ""}, {"b", "B", ""}};
	struct cs_q_choice abc[] = {{"a", "A", ""}, {"b", "B", ""}, {"c", "C", ""}};
	struct cs_q_item_spec items[NITEMS] = {
		[Q1] = {.code = "q1", .element = "E1", .text_vi = "Q1", .type = CS_Q_LIKERT5},
		[Q2] = {.code = "q2",
			.element = "E1",
			.text_vi = "Q2",
			.type = CS_Q_LIKERT5,
			.choices = five,
			.nchoices = 5},
		[YN] = {.code = "yn", .text_vi = "YN", .type = CS_Q_YESNO, .role = CS_Q_ROLE_OTHER},
		[YN2] = {.code = "yn2",
			 .text_vi = "YN2",
			 .type = CS_Q_YESNO,
			 .role = CS_Q_ROLE_OTHER,
			 .choices = yesno,
			 .nchoices = 2},
		[S] = {.code = "s",
		       .text_vi = "S",
		       .type = CS_Q_SINGLE,
		       .role = CS_Q_ROLE_OTHER,
		       .choices = ab,
		       .nchoices = 2},
		[M] = {.code = "m",
		       .text_vi = "M",
		       .type = CS_Q_MULTI,
		       .role = CS_Q_ROLE_OTHER,
		       .choices = abc,
		       .nchoices = 3},
		[AGE] = {.code = "age",
			 .text_vi = "Tuổi",
			 .type = CS_Q_NUMBER,
			 .role = CS_Q_ROLE_OTHER},
		[T] = {.code = "t", .text_vi = "T", .type = CS_Q_TEXT, .role = CS_Q_ROLE_OTHER},
	};
	struct cs_questionnaire *q = cs_questionnaire_new(&info, NULL);

	assert_non_null(q);
	assert_int_equal(cs_questionnaire_add_element(q, &el, NULL), CS_OK);
	for (size_t i = 0; i < NITEMS; i++)
		assert_int_equal(cs_questionnaire_add_item(q, &items[i], NULL), CS_OK);
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	return q;
}

struct fixture {
	struct cs_questionnaire *q;
	struct cs_q_answer a[NITEMS];
	struct cs_str texts[NITEMS];
};

static int setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	f.q = make_q();
	f.a[Q1] = (struct cs_q_answer){true, 4, 0};
	f.a[Q2] = (struct cs_q_answer){true, 5, 0};
	f.a[YN] = (struct cs_q_answer){true, 1, 0};
	f.a[YN2] = (struct cs_q_answer){true, 0, 0};
	f.a[S] = (struct cs_q_answer){true, 1, 0};
	f.a[M] = (struct cs_q_answer){true, 2, 5}; /* a and c */
	f.a[AGE] = (struct cs_q_answer){true, 37.5, 0};
	f.a[T] = (struct cs_q_answer){true, 0, 0};
	f.texts[T] = CS_STR("  xin chào ");
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cs_questionnaire_free(f->q);
	return 0;
}

/* Evaluates expr and asserts it succeeds; returns the result. */
static bool eval(const struct fixture *f, const char *expr)
{
	struct cs_error err = {0};
	bool r = false;

	if (cs_relevance_eval(f->q, expr, f->a, f->texts, &r, &err) != CS_OK)
		fail_msg("'%s': %s", expr, err.msg);
	return r;
}

/*
 * The cases of tests/golden/relevance/cases.json, which the browser test
 * checks against the page's evaluator too: answers as a form sends them,
 * read with cs_questionnaire_parse_answer.
 */
static void test_golden(void **state)
{
	const struct fixture *f = *state;
	json_error_t jerr;
	json_t *doc =
		json_load_file(CHISO_SOURCE_DIR "/tests/golden/relevance/cases.json", 0, &jerr);
	struct cs_q_answer a[NITEMS];
	struct cs_str texts[NITEMS];
	json_t *answers, *cases, *c;
	size_t i, checked = 0;

	if (!doc)
		fail_msg("cases.json:%d: %s", jerr.line, jerr.text);
	answers = json_object_get(doc, "answers");
	cases = json_object_get(doc, "cases");
	assert_true(json_is_object(answers) && json_is_array(cases));
	json_array_foreach(cases, i, c)
	{
		const char *expr = json_string_value(json_object_get(c, "expr"));
		json_t *want = json_object_get(c, "want"), *un = json_object_get(c, "unanswered");
		struct cs_error err = {0};
		bool r = false;
		enum cs_err rc;

		assert_non_null(expr);
		for (size_t k = 0; k < NITEMS; k++) {
			const struct cs_q_item *it = cs_questionnaire_item(f->q, k);
			const char *v = json_string_value(json_object_get(answers, it->code));
			bool skip = false;
			size_t u;
			json_t *x;

			assert_non_null(v);
			json_array_foreach(un, u, x) skip =
				skip || strcmp(json_string_value(x), it->code) == 0;
			texts[k] = cs_str_from(skip ? "" : v);
			assert_int_equal(
				cs_questionnaire_parse_answer(f->q, k, texts[k], &a[k], NULL),
				CS_OK);
		}
		rc = cs_relevance_eval(f->q, expr, a, texts, &r, &err);
		if (json_is_string(want)) {
			if (rc != CS_EPARSE)
				fail_msg("case %zu '%s': evaluated, expected an error", i + 1,
					 expr);
		} else if (rc != CS_OK) {
			fail_msg("case %zu '%s': %s", i + 1, expr, err.msg);
		} else if (r != json_is_true(want)) {
			fail_msg("case %zu '%s': %s, expected %s", i + 1, expr,
				 r ? "true" : "false", r ? "false" : "true");
		}
		checked++;
	}
	assert_true(checked >= 60);
	json_decref(doc);
}

/* Asserts that expr is refused with message msg. */
static void refused(const struct fixture *f, const char *expr, const char *msg)
{
	struct cs_error err = {0};
	bool r = true;

	assert_int_equal(cs_relevance_eval(f->q, expr, f->a, f->texts, &r, &err), CS_EPARSE);
	assert_string_equal(err.msg, msg);
	assert_int_equal(cs_relevance_check(f->q, expr, &err), CS_EPARSE);
	assert_string_equal(err.msg, msg);
}

static void test_refused(void **state)
{
	const struct fixture *f = *state;
	char deep[200], long_expr[1100];

	refused(f, "${nope} = 1", "relevance '${nope} = 1' at column 3: unknown item 'nope'");
	refused(f,
		"${q1} = ", "relevance '${q1} = ' at column 9: unexpected end; expected a value");
	refused(f, "${q1", "relevance '${q1' at column 3: '${' without its '}'");
	refused(f, "${} = 1",
		"relevance '${} = 1' at column 3: expected an item code inside ${...}");
	refused(f, "$q1 = 1", "relevance '$q1 = 1' at column 1: expected '{' after '$'");
	refused(f, "'abc = 1", "relevance ''abc = 1' at column 1: text without its closing quote");
	refused(f, "foo(1)",
		"relevance 'foo(1)': function 'foo' is not supported; expected selected, "
		"count-selected, string-length, not, true or false");
	refused(f, "${q1} = 1 )",
		"relevance '${q1} = 1 )' at column 11: unexpected text after the "
		"condition");
	refused(f, "1 = 1 = 1",
		"relevance '1 = 1 = 1' at column 7: unexpected text after the condition");
	refused(f, "bar",
		"relevance 'bar' at column 1: unknown word; expected ${item}, a quoted "
		"text, a number or a function call");
	refused(f, "selected(${m} 'a')",
		"relevance 'selected(${m} 'a')' at column 15: expected "
		"',' between the arguments of selected()");
	refused(f, "not(true()", "relevance 'not(true()' at column 11: expected ')'");
	refused(f, "1.2.3 = 1", "relevance '1.2.3 = 1' at column 1: malformed number");
	refused(f, "# = 1",
		"relevance '# = 1' at column 1: unexpected character; expected a value");

	/* Nesting and length are capped: 31 parentheses read, 32 do not. */
	memset(deep, '(', 31);
	deep[31] = '1';
	memset(deep + 32, ')', 31);
	deep[63] = '\0';
	assert_true(eval(f, deep));
	memset(deep, '(', 32);
	deep[32] = '1';
	memset(deep + 33, ')', 32);
	deep[65] = '\0';
	{
		struct cs_error err = {0};
		bool r;

		assert_int_equal(cs_relevance_eval(f->q, deep, f->a, f->texts, &r, &err),
				 CS_EPARSE);
		assert_non_null(strstr(err.msg, "at column 33: nested too deeply"));
		memset(long_expr, ' ', sizeof(long_expr) - 1);
		long_expr[sizeof(long_expr) - 1] = '\0';
		long_expr[0] = '1';
		assert_int_equal(cs_relevance_eval(f->q, long_expr, f->a, f->texts, &r, &err),
				 CS_EPARSE);
		assert_string_equal(err.msg, "relevance of 1099 bytes; at most 1024 taken");
	}
}

static void test_check(void **state)
{
	const struct fixture *f = *state;
	struct cs_error err = {0};

	assert_int_equal(cs_relevance_check(f->q, "selected(${m}, 'a') and ${q1} >= 4", &err),
			 CS_OK);
	assert_int_equal(cs_relevance_check(f->q, "string-length(${t}) > 0", &err), CS_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
