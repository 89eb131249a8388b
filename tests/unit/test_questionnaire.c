/* Unit tests for questionnaires (core/questionnaire.h, METHODOLOGY M3.1-M3.3): building, every validation message, collected messages, lookups, answer parsing for every type, limits, out of memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/questionnaire.h"
#include "util/alloc.h"
#include "util/vec.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* A small sound questionnaire that tests change one piece at a time. */
struct sample {
	struct cs_q_info info;
	struct cs_q_element elements[4];
	size_t nelements;
	struct cs_q_item_spec items[12];
	size_t nitems;
	struct cs_q_options opts;
	struct cs_q_choice yn[2], kinds[2], expect[3], scale[5];
};

static void sample_init(struct sample *s)
{
	memset(s, 0, sizeof(*s));
	s->info = (struct cs_q_info){"q-test", "Phiếu thử", "QĐ 1/QĐ-X", "2024", true, "ghi chú"};
	s->elements[0] = (struct cs_q_element){"E1", "Tiếp cận dịch vụ", "Access"};
	s->elements[1] = (struct cs_q_element){"E2", "Công chức", "Civil servants"};
	s->nelements = 2;
	s->yn[0] = (struct cs_q_choice){"co", "Có", "Yes"};
	s->yn[1] = (struct cs_q_choice){"khong", "Không", "No"};
	s->kinds[0] = (struct cs_q_choice){"citizen", "Người dân", "Citizen"};
	s->kinds[1] = (struct cs_q_choice){"organisation", "Tổ chức", "Organisation"};
	s->expect[0] = (struct cs_q_choice){"a", "Thông tin", "Information"};
	s->expect[1] = (struct cs_q_choice){"b", "Thái độ", "Attitude"};
	s->expect[2] = (struct cs_q_choice){"c", "Thời gian", "Time"};
	for (int k = 0; k < 5; k++) {
		static const char *const v[] = {"r1", "r2", "r3", "r4", "r5"};

		s->scale[k] = (struct cs_q_choice){v[k], v[k], ""};
	}
	s->items[0] = (struct cs_q_item_spec){.code = "E1.1",
					      .element = "E1",
					      .text_vi = "Có đủ chỗ ngồi",
					      .type = CS_Q_LIKERT5,
					      .role = CS_Q_ROLE_SATISFACTION};
	s->items[1] = (struct cs_q_item_spec){.code = "E1.2",
					      .element = "E1",
					      .text_vi = "Dễ sử dụng",
					      .type = CS_Q_LIKERT5,
					      .role = CS_Q_ROLE_SATISFACTION,
					      .choices = s->scale,
					      .nchoices = 5};
	s->items[2] = (struct cs_q_item_spec){.code = "E2.1",
					      .element = "E2",
					      .text_vi = "Lịch sự",
					      .type = CS_Q_LIKERT5,
					      .role = CS_Q_ROLE_SATISFACTION,
					      .required = true};
	s->items[3] = (struct cs_q_item_spec){.code = "E2.a",
					      .element = "E2",
					      .text_vi = "Có được hướng dẫn không?",
					      .type = CS_Q_YESNO,
					      .role = CS_Q_ROLE_ASSESSMENT,
					      .choices = s->yn,
					      .nchoices = 2};
	s->items[4] = (struct cs_q_item_spec){.code = "general",
					      .text_vi = "Nhìn chung",
					      .type = CS_Q_LIKERT5,
					      .role = CS_Q_ROLE_GENERAL};
	s->items[5] = (struct cs_q_item_spec){.code = "expect",
					      .text_vi = "Mong đợi",
					      .type = CS_Q_MULTI,
					      .role = CS_Q_ROLE_EXPECTATION,
					      .choices = s->expect,
					      .nchoices = 3};
	s->items[6] = (struct cs_q_item_spec){.code = "kind",
					      .text_vi = "Đối tượng",
					      .type = CS_Q_SINGLE,
					      .role = CS_Q_ROLE_RESPONDENT,
					      .field = CS_Q_FIELD_KIND,
					      .required = true,
					      .choices = s->kinds,
					      .nchoices = 2};
	s->items[7] = (struct cs_q_item_spec){.code = "age",
					      .text_vi = "Tuổi",
					      .type = CS_Q_NUMBER,
					      .role = CS_Q_ROLE_OTHER,
					      .constraint = ". >= 18",
					      .relevant = "${kind} = 'citizen'"};
	s->items[8] = (struct cs_q_item_spec){.code = "service",
					      .text_vi = "Thủ tục",
					      .type = CS_Q_TEXT,
					      .role = CS_Q_ROLE_RESPONDENT,
					      .field = CS_Q_FIELD_SERVICE};
	s->items[9] = (struct cs_q_item_spec){
		.code = "thanks", .text_vi = "Cảm ơn", .type = CS_Q_NOTE, .role = CS_Q_ROLE_OTHER};
	s->nitems = 10;
	s->opts = cs_q_options_default();
}

static struct cs_questionnaire *sample_build(const struct sample *s)
{
	struct cs_error err = {0};
	struct cs_questionnaire *q = cs_questionnaire_new(&s->info, &err);

	if (!q)
		fail_msg("new: %s", err.msg);
	for (size_t e = 0; e < s->nelements; e++)
		if (cs_questionnaire_add_element(q, &s->elements[e], &err))
			fail_msg("element %zu: %s", e, err.msg);
	for (size_t i = 0; i < s->nitems; i++)
		if (cs_questionnaire_add_item(q, &s->items[i], &err))
			fail_msg("item %zu: %s", i, err.msg);
	cs_questionnaire_set_options(q, &s->opts);
	return q;
}

static void test_names(void **state)
{
	enum cs_q_type t;
	enum cs_q_role r;
	enum cs_q_field f;
	enum cs_q_element_agg ea;
	enum cs_q_overall_agg oa;

	(void)state;
	for (int i = 0; i < CS_Q_TYPE_COUNT_; i++) {
		assert_non_null(cs_q_type_name((enum cs_q_type)i));
		assert_true(cs_q_type_parse(cs_str_from(cs_q_type_name((enum cs_q_type)i)), &t));
		assert_int_equal(t, i);
	}
	assert_string_equal(cs_q_type_name(CS_Q_LIKERT5), "likert5");
	assert_string_equal(cs_q_type_name(CS_Q_NOTE), "note");
	assert_null(cs_q_type_name(CS_Q_TYPE_COUNT_));
	assert_true(cs_q_type_parse(CS_STR("MULTI"), &t));
	assert_int_equal(t, CS_Q_MULTI);
	assert_false(cs_q_type_parse(CS_STR("likert"), &t));
	for (int i = 0; i < CS_Q_ROLE_COUNT_; i++) {
		assert_true(cs_q_role_parse(cs_str_from(cs_q_role_name((enum cs_q_role)i)), &r));
		assert_int_equal(r, i);
	}
	assert_string_equal(cs_q_role_name(CS_Q_ROLE_EXPECTATION), "expectation");
	assert_false(cs_q_role_parse(CS_STR(""), &r));
	assert_null(cs_q_field_name(CS_Q_FIELD_NONE));
	assert_string_equal(cs_q_field_name(CS_Q_FIELD_AGE_BAND), "age_band");
	assert_true(cs_q_field_parse(CS_STR("service"), &f));
	assert_int_equal(f, CS_Q_FIELD_SERVICE);
	assert_false(cs_q_field_parse(CS_STR("none"), &f));
	assert_string_equal(cs_q_element_agg_name(CS_Q_ELEMENT_POOLED), "pooled");
	assert_true(cs_q_element_agg_parse(CS_STR("mean_of_items"), &ea));
	assert_int_equal(ea, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	assert_string_equal(cs_q_overall_agg_name(CS_Q_OVERALL_GENERAL), "general");
	assert_true(cs_q_overall_agg_parse(CS_STR("mean_of_elements"), &oa));
	assert_int_equal(oa, CS_Q_OVERALL_MEAN_OF_ELEMENTS);
	assert_false(cs_q_overall_agg_parse(CS_STR("mean"), &oa));
	assert_null(cs_q_overall_agg_name((enum cs_q_overall_agg)7));
}

static void test_defaults(void **state)
{
	struct cs_q_options o = cs_q_options_default();

	(void)state;
	assert_int_equal(o.satisfied_levels, (1 << 4) | (1 << 5));
	assert_int_equal(o.element_agg, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	assert_int_equal(o.headline, CS_Q_OVERALL_MEAN_OF_ELEMENTS);
	assert_true(o.target == 80);
	assert_int_equal(o.min_n, 30);
	assert_true(o.max_cv == 0.2);
	assert_true(o.confidence == 0.95);
	assert_string_equal(o.ci_unweighted, "wilson");
}

static void test_build_and_lookup(void **state)
{
	struct sample s;
	struct cs_questionnaire *q;
	struct cs_error err = {0};
	const struct cs_q_item *it;
	size_t i = 99;

	(void)state;
	sample_init(&s);
	q = sample_build(&s);
	assert_false(cs_questionnaire_is_valid(q));
	/* Lookups work before validation too (linear). */
	assert_true(cs_questionnaire_find_item(q, "kind", &i));
	assert_int_equal(i, 6);
	assert_int_equal(cs_questionnaire_general_item(q), 4);
	assert_int_equal(cs_questionnaire_field_item(q, CS_Q_FIELD_SERVICE), 8);

	assert_int_equal(cs_questionnaire_validate(q, &err), CS_OK);
	assert_true(cs_questionnaire_is_valid(q));
	assert_string_equal(cs_questionnaire_info(q)->code, "q-test");
	assert_string_equal(cs_questionnaire_info(q)->title, "Phiếu thử");
	assert_string_equal(cs_questionnaire_info(q)->decision, "QĐ 1/QĐ-X");
	assert_true(cs_questionnaire_info(q)->reconstructed);
	assert_string_equal(cs_questionnaire_info(q)->note, "ghi chú");
	assert_int_equal(cs_questionnaire_item_count(q), 10);
	assert_int_equal(cs_questionnaire_element_count(q), 2);
	assert_string_equal(cs_questionnaire_element(q, 1)->title_vi, "Công chức");
	assert_string_equal(cs_questionnaire_element(q, 1)->title_en, "Civil servants");

	it = cs_questionnaire_item(q, 2);
	assert_string_equal(it->code, "E2.1");
	assert_string_equal(it->element_code, "E2");
	assert_int_equal(it->element, 1);
	assert_true(it->required);
	assert_string_equal(it->text_en, "");
	it = cs_questionnaire_item(q, 4);
	assert_null(it->element_code);
	assert_int_equal(it->element, CS_Q_NONE);
	it = cs_questionnaire_item(q, 7);
	assert_string_equal(it->relevant, "${kind} = 'citizen'");
	assert_string_equal(it->constraint, ". >= 18");
	assert_null(cs_questionnaire_item(q, 0)->relevant);
	it = cs_questionnaire_item(q, 6);
	assert_int_equal(it->nchoices, 2);
	assert_string_equal(it->choices[1].value, "organisation");
	assert_string_equal(it->choices[1].label_vi, "Tổ chức");

	/* The builder copied everything. */
	s.kinds[1].value = "changed";
	assert_string_equal(it->choices[1].value, "organisation");

	assert_true(cs_questionnaire_find_item(q, "E2.a", &i));
	assert_int_equal(i, 3);
	assert_true(cs_questionnaire_find_item(q, "E1.1", NULL));
	assert_false(cs_questionnaire_find_item(q, "E9.9", &i));
	assert_false(cs_questionnaire_find_item(q, NULL, &i));
	assert_true(cs_questionnaire_find_element(q, "E2", &i));
	assert_int_equal(i, 1);
	assert_false(cs_questionnaire_find_element(q, "E3", &i));
	assert_int_equal(cs_questionnaire_general_item(q), 4);
	assert_int_equal(cs_questionnaire_field_item(q, CS_Q_FIELD_KIND), 6);
	assert_int_equal(cs_questionnaire_field_item(q, CS_Q_FIELD_SERVICE), 8);
	assert_int_equal(cs_questionnaire_field_item(q, CS_Q_FIELD_SEX), CS_Q_NONE);
	assert_int_equal(cs_questionnaire_field_item(q, CS_Q_FIELD_NONE), CS_Q_NONE);

	/* A change marks it not validated; validating again works. */
	cs_questionnaire_set_options(q, &s.opts);
	assert_false(cs_questionnaire_is_valid(q));
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	cs_questionnaire_free(q);
	cs_questionnaire_free(NULL);
}

/* A questionnaire without elements (an ordinary form) is valid. */
static void test_no_elements(void **state)
{
	struct cs_q_item_spec it = {
		.code = "name", .text_vi = "Tên", .type = CS_Q_TEXT, .role = CS_Q_ROLE_OTHER};
	struct cs_q_info info = {"form", "Form", NULL, NULL, false, NULL};
	struct cs_questionnaire *q = cs_questionnaire_new(&info, NULL);

	(void)state;
	assert_non_null(q);
	assert_string_equal(cs_questionnaire_info(q)->decision, "");
	assert_string_equal(cs_questionnaire_info(q)->note, "");
	assert_int_equal(cs_questionnaire_add_item(q, &it, NULL), CS_OK);
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	assert_int_equal(cs_questionnaire_general_item(q), CS_Q_NONE);
	cs_questionnaire_free(q);
}

/* One validation case: a change to the sample and the message it must give. */
struct bad_case {
	const char *name;
	void (*change)(struct sample *s);
	const char *msg;
};

static void bad_qcode(struct sample *s)
{
	s->info.code = "q test";
}
static void empty_qcode(struct sample *s)
{
	s->info.code = "";
}
static void long_qcode(struct sample *s)
{
	s->info.code = "a123456789a123456789a123456789a123456789a123456789a123456789abcde";
}
static void no_title(struct sample *s)
{
	s->info.title = NULL;
}
static void no_items(struct sample *s)
{
	s->nitems = 0;
	s->nelements = 0;
}
static void bad_element_code(struct sample *s)
{
	s->elements[1].code = "E 2";
}
static void dup_element(struct sample *s)
{
	s->elements[2] = (struct cs_q_element){"E1", "Lần hai", ""};
	s->nelements = 3;
}
static void element_no_title(struct sample *s)
{
	s->elements[0].title_vi = "";
}
static void element_no_items(struct sample *s)
{
	s->elements[2] = (struct cs_q_element){"E3", "Kết quả", "Result"};
	s->nelements = 3;
}
static void bad_item_code(struct sample *s)
{
	s->items[1].code = "E1;2";
}
static void empty_item_code(struct sample *s)
{
	s->items[9].code = NULL;
}
static void dup_item(struct sample *s)
{
	s->items[7].code = "kind";
}
static void bad_type(struct sample *s)
{
	s->items[7].type = CS_Q_TYPE_COUNT_;
}
static void bad_role(struct sample *s)
{
	s->items[7].role = (enum cs_q_role)42;
}
static void bad_field(struct sample *s)
{
	s->items[8].field = CS_Q_FIELD_COUNT_;
}
static void unknown_element(struct sample *s)
{
	s->items[3].element = "E9";
}
static void sat_no_element(struct sample *s)
{
	s->items[0].element = NULL;
}
static void sat_single(struct sample *s)
{
	s->items[1].type = CS_Q_SINGLE;
}
static void general_number(struct sample *s)
{
	s->items[4].type = CS_Q_NUMBER;
}
static void expectation_text(struct sample *s)
{
	s->items[5].type = CS_Q_TEXT;
	s->items[5].nchoices = 0;
}
static void respondent_no_field(struct sample *s)
{
	s->items[8].field = CS_Q_FIELD_NONE;
}
static void kind_text(struct sample *s)
{
	s->items[6].type = CS_Q_TEXT;
	s->items[6].nchoices = 0;
}
static void service_number(struct sample *s)
{
	s->items[8].type = CS_Q_NUMBER;
}
static void field_on_other(struct sample *s)
{
	s->items[7].field = CS_Q_FIELD_SEX;
}
static void field_twice(struct sample *s)
{
	s->items[8].field = CS_Q_FIELD_KIND;
	s->items[8].type = CS_Q_SINGLE;
	s->items[8].choices = s->kinds;
	s->items[8].nchoices = 2;
}
static void two_general(struct sample *s)
{
	s->items[10] = s->items[4];
	s->items[10].code = "general2";
	s->nitems = 11;
}
static void no_text(struct sample *s)
{
	s->items[5].text_vi = "";
}
static void note_required(struct sample *s)
{
	s->items[9].required = true;
}
static void note_choices(struct sample *s)
{
	s->items[9].choices = s->yn;
	s->items[9].nchoices = 2;
}
static void likert_four(struct sample *s)
{
	s->items[1].nchoices = 4;
}
static void yesno_three(struct sample *s)
{
	s->items[3].choices = s->expect;
	s->items[3].nchoices = 3;
}
static void single_no_choices(struct sample *s)
{
	s->items[6].nchoices = 0;
}
static void empty_value(struct sample *s)
{
	s->expect[1].value = "";
}
static void value_space(struct sample *s)
{
	s->expect[1].value = "b c";
}
static void value_dup(struct sample *s)
{
	s->expect[2].value = "a";
}
static void levels_empty(struct sample *s)
{
	s->opts.satisfied_levels = 0;
}
static void levels_zero(struct sample *s)
{
	s->opts.satisfied_levels = 1 | (1 << 5);
}
static void bad_element_agg(struct sample *s)
{
	s->opts.element_agg = (enum cs_q_element_agg)5;
}
static void bad_headline(struct sample *s)
{
	s->opts.headline = (enum cs_q_overall_agg)5;
}
static void headline_general_missing(struct sample *s)
{
	s->opts.headline = CS_Q_OVERALL_GENERAL;
	s->items[4].role = CS_Q_ROLE_OTHER;
}
static void bad_target(struct sample *s)
{
	s->opts.target = 101;
}
static void bad_cv(struct sample *s)
{
	s->opts.max_cv = 0;
}
static void bad_confidence(struct sample *s)
{
	s->opts.confidence = 95;
}
static void bad_ci(struct sample *s)
{
	s->opts.ci_unweighted = "logit";
}
static void long_ci(struct sample *s)
{
	s->opts.ci_unweighted = "wilson-wilson-wilson-wilson-wilson-wilson";
}

static const struct bad_case bad_cases[] = {
	{"code with a space", bad_qcode,
	 "questionnaire: code 'q test' is not a code (expected letters, digits, '_', '-' or '.')"},
	{"empty code", empty_qcode, "questionnaire: code '' is empty"},
	{"long code", long_qcode,
	 "questionnaire: code "
	 "'a123456789a123456789a123456789a123456789a123456789a123456789abcde' is longer than "
	 "64 bytes"},
	{"no title", no_title, "questionnaire 'q-test': no title"},
	{"no items", no_items, "questionnaire 'q-test': no items"},
	{"element code", bad_element_code,
	 "element #2: code 'E 2' is not a code (expected letters, digits, '_', '-' or '.')"},
	{"duplicate element", dup_element, "element 'E1': duplicate code (element #1 has it too)"},
	{"element title", element_no_title, "element 'E1': no Vietnamese title"},
	{"element without items", element_no_items, "element 'E3': no satisfaction item"},
	{"item code", bad_item_code,
	 "item #2: code 'E1;2' is not a code (expected letters, digits, '_', '-' or '.')"},
	{"empty item code", empty_item_code, "item #10: code '' is empty"},
	{"duplicate item", dup_item, "item 'kind': duplicate code (item #7 has it too)"},
	{"type", bad_type, "item 'age': unknown type 7"},
	{"role", bad_role, "item 'age': unknown role 42"},
	{"field", bad_field, "item 'service': unknown respondent field 5"},
	{"unknown element", unknown_element, "item 'E2.a': unknown element 'E9'"},
	{"satisfaction without element", sat_no_element,
	 "item 'E1.1': a satisfaction item needs an element"},
	{"satisfaction single", sat_single,
	 "item 'E1.2': a satisfaction item must be likert5 or yesno (found single)"},
	{"general number", general_number,
	 "item 'general': a general item must be likert5 or yesno (found number)"},
	{"expectation text", expectation_text,
	 "item 'expect': an expectation item must be multi or single (found text)"},
	{"respondent without field", respondent_no_field,
	 "item 'service': a respondent item needs a field (expected kind, sex, age_band or "
	 "service)"},
	{"kind text", kind_text, "item 'kind': respondent field kind must be single (found text)"},
	{"service number", service_number,
	 "item 'service': respondent field service must be single or text (found number)"},
	{"field on other", field_on_other,
	 "item 'age': only respondent items take a field (role is other)"},
	{"field twice", field_twice,
	 "item 'service': respondent field kind is already held by item 'kind'"},
	{"two general", two_general,
	 "item 'general2': a second general-satisfaction item (item 'general' is one)"},
	{"no text", no_text, "item 'expect': no Vietnamese text"},
	{"note required", note_required,
	 "item 'thanks': a note is never answered, so it cannot be required"},
	{"note choices", note_choices, "item 'thanks': a note item takes no choices (found 2)"},
	{"likert four", likert_four,
	 "item 'E1.2': a likert5 item has 5 choices, one per level, or none (found 4)"},
	{"yesno three", yesno_three,
	 "item 'E2.a': a yesno item has 2 choices, yes then no, or none (found 3)"},
	{"single without choices", single_no_choices, "item 'kind': a single item needs choices"},
	{"empty value", empty_value, "item 'expect': choice 2: value '' is empty"},
	{"value with space", value_space,
	 "item 'expect': choice 2: value 'b c' holds ';' or white space, which separate "
	 "multi-select answers"},
	{"duplicate value", value_dup,
	 "item 'expect': choice value 'a' appears twice (choices 1 and 3)"},
	{"no satisfied level", levels_empty,
	 "options: satisfied levels must be some of 1 to 5 (bit mask 0x00)"},
	{"level 0", levels_zero,
	 "options: satisfied levels must be some of 1 to 5 (bit mask 0x21)"},
	{"element aggregation", bad_element_agg,
	 "options: unknown element aggregation 5 (expected mean_of_items or pooled)"},
	{"headline", bad_headline,
	 "options: unknown headline 5 (expected mean_of_elements, pooled or general)"},
	{"headline general", headline_general_missing,
	 "options: the headline is general but no item has role general"},
	{"target", bad_target, "options: target 101 is outside 0 to 100 (percent)"},
	{"max_cv", bad_cv, "options: max_cv 0 must be a positive number"},
	{"confidence", bad_confidence,
	 "options: confidence 95 must be between 0 and 1 (e.g. 0.95)"},
	{"ci", bad_ci,
	 "options: ci_unweighted 'logit' is not an interval for counts (expected wilson or "
	 "clopper-pearson)"},
	{"long ci name", long_ci,
	 "options: ci_unweighted 'wilson-wilson-wilson-wilson-wil' is not an interval for counts "
	 "(expected wilson or clopper-pearson)"},
};

static void test_each_validation_error(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(bad_cases) / sizeof(bad_cases[0]); c++) {
		struct sample s;
		struct cs_questionnaire *q;
		struct cs_error err = {0};
		enum cs_err rc;

		sample_init(&s);
		bad_cases[c].change(&s);
		q = sample_build(&s);
		rc = cs_questionnaire_validate(q, &err);
		if (rc != CS_EINVAL || strcmp(err.msg, bad_cases[c].msg) != 0)
			fail_msg("case '%s': got %s '%s'\n  expected '%s'", bad_cases[c].name,
				 cs_err_name(rc), err.msg, bad_cases[c].msg);
		assert_false(cs_questionnaire_is_valid(q));
		cs_questionnaire_free(q);
	}
}

static void free_messages(struct cs_vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		cs_free(*(char **)cs_vec_at(v, i));
	cs_vec_release(v);
}

static void test_validate_all(void **state)
{
	struct sample s;
	struct cs_questionnaire *q;
	struct cs_error err = {0};
	struct cs_vec all;

	(void)state;
	sample_init(&s);
	unknown_element(&s);
	dup_item(&s);
	bad_target(&s);
	q = sample_build(&s);
	cs_vec_init(&all, sizeof(char *), 0);
	assert_int_equal(cs_questionnaire_validate_all(q, &all, &err), CS_EINVAL);
	assert_string_equal(err.msg, "item 'E2.a': unknown element 'E9'");
	assert_int_equal(all.len, 3);
	assert_string_equal(*(char **)cs_vec_at(&all, 0), "item 'E2.a': unknown element 'E9'");
	assert_string_equal(*(char **)cs_vec_at(&all, 1),
			    "item 'kind': duplicate code (item #7 has it too)");
	assert_string_equal(*(char **)cs_vec_at(&all, 2),
			    "options: target 101 is outside 0 to 100 (percent)");
	free_messages(&all);

	/* Collecting stops quietly at the vec's max. */
	cs_vec_init(&all, sizeof(char *), 2);
	assert_int_equal(cs_questionnaire_validate_all(q, &all, &err), CS_EINVAL);
	assert_int_equal(all.len, 2);
	free_messages(&all);

	/* A sound one collects nothing. */
	cs_questionnaire_free(q);
	sample_init(&s);
	q = sample_build(&s);
	cs_vec_init(&all, sizeof(char *), 0);
	assert_int_equal(cs_questionnaire_validate_all(q, &all, &err), CS_OK);
	assert_int_equal(all.len, 0);
	assert_true(cs_questionnaire_is_valid(q));
	free_messages(&all);
	cs_questionnaire_free(q);
}

/* Answers (M3.2). */

static struct cs_questionnaire *valid_sample(void)
{
	struct sample s;
	struct cs_questionnaire *q;

	sample_init(&s);
	q = sample_build(&s);
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	return q;
}

static void answer_ok(const struct cs_questionnaire *q, const char *item, const char *text,
		      double value)
{
	struct cs_q_answer a;
	struct cs_error err = {0};
	size_t i;

	assert_true(cs_questionnaire_find_item(q, item, &i));
	if (cs_questionnaire_parse_answer(q, i, cs_str_from(text), &a, &err))
		fail_msg("%s '%s': %s", item, text, err.msg);
	if (!a.answered || a.value != value)
		fail_msg("%s '%s': answered %d value %g, expected %g", item, text, a.answered,
			 a.value, value);
}

static void answer_bad(const struct cs_questionnaire *q, const char *item, const char *text,
		       const char *msg)
{
	struct cs_q_answer a;
	struct cs_error err = {0};
	size_t i;
	enum cs_err rc;

	assert_true(cs_questionnaire_find_item(q, item, &i));
	rc = cs_questionnaire_parse_answer(q, i, cs_str_from(text), &a, &err);
	if (rc != CS_EPARSE || strcmp(err.msg, msg) != 0)
		fail_msg("%s '%s': got %s '%s'\n  expected '%s'", item, text, cs_err_name(rc),
			 err.msg, msg);
	assert_false(a.answered);
}

static uint64_t multi(const struct cs_questionnaire *q, const char *text)
{
	struct cs_q_answer a;
	struct cs_error err = {0};
	size_t i;

	assert_true(cs_questionnaire_find_item(q, "expect", &i));
	if (cs_questionnaire_parse_answer(q, i, cs_str_from(text), &a, &err))
		fail_msg("expect '%s': %s", text, err.msg);
	return a.answered ? a.choices : UINT64_MAX;
}

static void test_answers(void **state)
{
	struct cs_questionnaire *q = valid_sample();
	struct cs_q_answer a;
	struct cs_error err = {0};

	(void)state;
	/* likert5: 1-5, as a whole number, and a scale's own choice values. */
	answer_ok(q, "E1.1", "1", 1);
	answer_ok(q, "E1.1", "5", 5);
	answer_ok(q, "E1.1", " 4 ", 4);
	answer_ok(q, "E1.1", "4.0", 4);
	answer_ok(q, "E1.2", "r2", 2);
	answer_ok(q, "E1.2", "3", 3);
	answer_bad(q, "E1.1", "6",
		   "item 'E1.1': '6' is not a level of the scale (expected 1 to 5)");
	answer_bad(q, "E1.1", "0",
		   "item 'E1.1': '0' is not a level of the scale (expected 1 to 5)");
	answer_bad(q, "E1.1", "4.5",
		   "item 'E1.1': '4.5' is not a level of the scale (expected 1 to 5)");
	answer_bad(q, "E1.1", "hài lòng",
		   "item 'E1.1': 'hài lòng' is not a level of the scale (expected 1 to 5)");
	answer_bad(q, "E1.2", "r6",
		   "item 'E1.2': 'r6' is not a level of the scale (expected 1 to 5 or 'r1', 'r2', "
		   "'r3', 'r4', 'r5')");

	/* yesno: 1/0, yes/no, có/không, and the item's own values. */
	answer_ok(q, "E2.a", "1", 1);
	answer_ok(q, "E2.a", "0", 0);
	answer_ok(q, "E2.a", "YES", 1);
	answer_ok(q, "E2.a", "no", 0);
	answer_ok(q, "E2.a", "Có", 1);
	answer_ok(q, "E2.a", "không", 0);
	answer_ok(q, "E2.a", "co", 1);
	answer_ok(q, "E2.a", "khong", 0);
	answer_bad(q, "E2.a", "2",
		   "item 'E2.a': '2' is not yes or no (expected 1, 0, yes, no, có or không or "
		   "'co', 'khong')");

	/* single: a choice value, written as its index. */
	answer_ok(q, "kind", "citizen", 0);
	answer_ok(q, "kind", "organisation", 1);
	answer_bad(q, "kind", "Citizen",
		   "item 'kind': 'Citizen' is not one of its choices (expected 'citizen', "
		   "'organisation')");

	/* multi: ';' or ' ' separated values as a set. */
	assert_int_equal(multi(q, "a"), 1);
	assert_int_equal(multi(q, "a;c"), 5);
	assert_int_equal(multi(q, "c b a"), 7);
	assert_int_equal(multi(q, "a; b;;a"), 3);
	assert_int_equal(multi(q, " ; "), UINT64_MAX); /* separators only: no answer */
	answer_ok(q, "expect", "a;c", 2);	       /* value: how many were picked */
	answer_bad(q, "expect", "a;d",
		   "item 'expect': 'd' is not one of its choices (expected values from 'a', 'b', "
		   "'c', separated by ';')");

	/* number: '.' or ','. */
	answer_ok(q, "age", "42", 42);
	answer_ok(q, "age", "8,5", 8.5);
	answer_ok(q, "age", "-1.25", -1.25);
	answer_bad(q, "age", "forty", "item 'age': 'forty' is not a number");
	answer_bad(q, "age", "1.234,5", "item 'age': '1.234,5' is not a number");

	/* text: anything. */
	answer_ok(q, "service", "Cấp hộ chiếu; lần đầu", 0);

	/* note: never answered. */
	answer_bad(q, "thanks", "x", "item 'thanks': is a note and takes no answer (found 'x')");

	/* "" and white space are no answer, for every type. */
	for (size_t i = 0; i < cs_questionnaire_item_count(q); i++) {
		a.answered = true;
		assert_int_equal(cs_questionnaire_parse_answer(q, i, CS_STR("  "), &a, &err),
				 CS_OK);
		assert_false(a.answered);
	}

	/* An item out of range is a programming error, not input. */
	assert_int_equal(cs_questionnaire_parse_answer(q, 10, CS_STR("1"), &a, &err), CS_EINVAL);
	assert_string_equal(err.msg, "item #11: no such item (the questionnaire has 10)");

	/* Long values are cut in messages, never inside a UTF-8 sequence. */
	answer_bad(q, "age", "123456789012345678901234567890123456789ế and more",
		   "item 'age': '123456789012345678901234567890123456789' is not a number");
	answer_bad(q, "age", "123456789012345678901234567890123456789012345678901234567890x",
		   "item 'age': '1234567890123456789012345678901234567890' is not a number");
	cs_questionnaire_free(q);
}

static void test_limits(void **state)
{
	struct cs_q_info info = {"big", "Big", NULL, NULL, false, NULL};
	struct cs_questionnaire *q = cs_questionnaire_new(&info, NULL);
	struct cs_q_choice many[CS_Q_CHOICES_MAX + 1];
	struct cs_q_item_spec it = {.code = "x", .type = CS_Q_MULTI, .role = CS_Q_ROLE_OTHER};
	struct cs_q_element el = {"E", "T", NULL};
	struct cs_error err = {0};
	char code[16];

	(void)state;
	assert_non_null(q);
	for (int k = 0; k <= CS_Q_CHOICES_MAX; k++)
		many[k] = (struct cs_q_choice){"v", "l", NULL};
	it.choices = many;
	it.nchoices = CS_Q_CHOICES_MAX + 1;
	assert_int_equal(cs_questionnaire_add_item(q, &it, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "item 'x': 65 choices (at most 64)");
	assert_int_equal(cs_questionnaire_item_count(q), 0);
	it.nchoices = 0;
	it.type = CS_Q_TEXT;
	for (int i = 0; i < CS_Q_ITEMS_MAX; i++) {
		snprintf(code, sizeof(code), "i%d", i);
		it.code = code;
		assert_int_equal(cs_questionnaire_add_item(q, &it, NULL), CS_OK);
	}
	assert_int_equal(cs_questionnaire_add_item(q, &it, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "item 'i999': more than 1000 items in a questionnaire");
	for (int e = 0; e < CS_Q_ELEMENTS_MAX; e++)
		assert_int_equal(cs_questionnaire_add_element(q, &el, NULL), CS_OK);
	assert_int_equal(cs_questionnaire_add_element(q, &el, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "element 'E': more than 64 elements");
	cs_questionnaire_free(q);
}

/* Builds and validates the sample with an allocation budget. */
static enum cs_err build_with_budget(long n, struct cs_questionnaire **out)
{
	struct sample s;
	struct cs_questionnaire *q;
	struct cs_vec all;
	enum cs_err rc = CS_OK;

	sample_init(&s);
	cs_vec_init(&all, sizeof(char *), 0);
	cs_alloc_fail_after(n);
	q = cs_questionnaire_new(&s.info, NULL);
	if (!q) {
		rc = CS_ENOMEM;
		goto done;
	}
	for (size_t e = 0; e < s.nelements && !rc; e++)
		rc = cs_questionnaire_add_element(q, &s.elements[e], NULL);
	for (size_t i = 0; i < s.nitems && !rc; i++)
		rc = cs_questionnaire_add_item(q, &s.items[i], NULL);
	if (!rc)
		rc = cs_questionnaire_validate(q, NULL);
	/* Collected messages allocate too: a bad target gives one. */
	s.opts.target = -1;
	if (!rc) {
		cs_questionnaire_set_options(q, &s.opts);
		rc = cs_questionnaire_validate_all(q, &all, NULL);
		if (rc == CS_EINVAL)
			rc = all.len == 1 ? CS_OK : CS_EINTERNAL;
	}
done:
	cs_alloc_fail_after(-1);
	free_messages(&all);
	*out = q;
	return rc;
}

static void test_out_of_memory(void **state)
{
	struct cs_questionnaire *q = NULL;
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	for (n = 0; n < 1000; n++) {
		rc = build_with_budget(n, &q);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		cs_questionnaire_free(q);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 5);
	assert_int_equal(cs_questionnaire_item_count(q), 10);
	cs_questionnaire_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_build_and_lookup),
		cmocka_unit_test(test_no_elements),
		cmocka_unit_test(test_each_validation_error),
		cmocka_unit_test(test_validate_all),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_limits),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
