/* Unit tests for the questionnaire JSON format (io/questionnaire_json.h): the shipped files round trip byte for byte, every reader error names its JSON path, text is normalised, numbers and strings are written canonically, out of memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/questionnaire.h"
#include "io/questionnaire_json.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* Reads a whole file into a buffer the caller frees with cs_free. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = cs_malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return data;
}

static const char *const shipped[] = {
	"sipas-2017.json",
	"sipas-police-2019.json",
	"sipas-2023-public-service.json",
};

/* Each shipped questionnaire validates, and writing it gives its bytes back. */
static void test_shipped_round_trip(void **state)
{
	(void)state;
	for (size_t f = 0; f < sizeof(shipped) / sizeof(shipped[0]); f++) {
		char path[512];
		struct cs_questionnaire *q = NULL;
		struct cs_error err = {0};
		struct cs_buf out;
		size_t len;
		char *data;

		snprintf(path, sizeof(path), "%s/data/questionnaires/%s", CHISO_SOURCE_DIR,
			 shipped[f]);
		data = slurp(path, &len);
		if (cs_questionnaire_json_read(shipped[f], data, len, &q, &err))
			fail_msg("%s", err.msg);
		cs_buf_init(&out, CS_Q_JSON_MAX);
		assert_int_equal(cs_questionnaire_json_write(q, &out, &err), CS_OK);
		if (out.len != len || memcmp(out.data, data, len) != 0)
			fail_msg("%s: written text differs from the file", shipped[f]);
		assert_true(cs_questionnaire_info(q)->reconstructed);
		cs_buf_release(&out);
		cs_questionnaire_free(q);
		cs_free(data);
	}
}

static size_t count_role(const struct cs_questionnaire *q, enum cs_q_role role, const char *element)
{
	size_t n = 0;

	for (size_t i = 0; i < cs_questionnaire_item_count(q); i++) {
		const struct cs_q_item *it = cs_questionnaire_item(q, i);

		if (it->role == role &&
		    (!element || (it->element_code && strcmp(it->element_code, element) == 0)))
			n++;
	}
	return n;
}

static struct cs_questionnaire *load_shipped(const char *name)
{
	char path[512];
	struct cs_questionnaire *q = NULL;
	struct cs_error err = {0};
	size_t len;
	char *data;

	snprintf(path, sizeof(path), "%s/data/questionnaires/%s", CHISO_SOURCE_DIR, name);
	data = slurp(path, &len);
	if (cs_questionnaire_json_read(name, data, len, &q, &err))
		fail_msg("%s", err.msg);
	cs_free(data);
	return q;
}

/* What M3.1 says the forms hold. */
static void test_shipped_content(void **state)
{
	struct cs_questionnaire *q = load_shipped("sipas-2017.json");
	const struct cs_q_item *it;
	size_t i;

	(void)state;
	assert_string_equal(cs_questionnaire_info(q)->code, "sipas-2017");
	assert_string_equal(cs_questionnaire_info(q)->decision, "QĐ 2640/QĐ-BNV");
	assert_int_equal(cs_questionnaire_element_count(q), 5);
	assert_string_equal(cs_questionnaire_element(q, 0)->title_vi, "Tiếp cận dịch vụ");
	assert_string_equal(cs_questionnaire_element(q, 4)->title_vi,
			    "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị");
	assert_int_equal(count_role(q, CS_Q_ROLE_SATISFACTION, NULL), 22);
	assert_int_equal(count_role(q, CS_Q_ROLE_SATISFACTION, "E1"), 4);
	assert_int_equal(count_role(q, CS_Q_ROLE_SATISFACTION, "E2"), 5);
	assert_int_equal(count_role(q, CS_Q_ROLE_SATISFACTION, "E3"), 6);
	assert_int_equal(count_role(q, CS_Q_ROLE_SATISFACTION, "E4"), 3);
	assert_int_equal(count_role(q, CS_Q_ROLE_SATISFACTION, "E5"), 4);
	assert_int_equal(count_role(q, CS_Q_ROLE_GENERAL, NULL), 1);
	assert_int_equal(count_role(q, CS_Q_ROLE_EXPECTATION, NULL), 1);
	assert_true(cs_questionnaire_find_item(q, "E3.1", &i));
	it = cs_questionnaire_item(q, i);
	assert_string_equal(it->text_vi, "Công chức có thái độ giao tiếp lịch sự");
	assert_string_equal(it->text_en, "Civil servants communicate politely");
	for (int f = CS_Q_FIELD_KIND; f < CS_Q_FIELD_COUNT_; f++)
		assert_int_not_equal(cs_questionnaire_field_item(q, (enum cs_q_field)f), CS_Q_NONE);
	it = cs_questionnaire_item(q, cs_questionnaire_field_item(q, CS_Q_FIELD_KIND));
	assert_string_equal(it->choices[0].value, "citizen");
	assert_string_equal(it->choices[1].value, "organisation");
	cs_questionnaire_free(q);

	q = load_shipped("sipas-police-2019.json");
	assert_string_equal(cs_questionnaire_info(q)->decision, "QĐ 2561/QĐ-BCA-V03");
	assert_int_equal(cs_questionnaire_element_count(q), 5);
	assert_int_equal(count_role(q, CS_Q_ROLE_SATISFACTION, NULL), 22);
	it = cs_questionnaire_item(q, cs_questionnaire_field_item(q, CS_Q_FIELD_SERVICE));
	assert_int_equal(it->type, CS_Q_SINGLE);
	assert_string_equal(it->choices[0].value, "xuat_nhap_canh");
	assert_string_equal(it->choices[0].label_vi, "Xuất nhập cảnh");
	cs_questionnaire_free(q);

	q = load_shipped("sipas-2023-public-service.json");
	assert_string_equal(cs_questionnaire_info(q)->decision, "QĐ 1001/QĐ-BNV");
	assert_int_equal(count_role(q, CS_Q_ROLE_SATISFACTION, NULL), 19);
	assert_true(cs_questionnaire_find_item(q, "c15", NULL));
	assert_true(cs_questionnaire_find_item(q, "c33", NULL));
	assert_false(cs_questionnaire_find_item(q, "c14", NULL));
	assert_true(cs_questionnaire_find_item(q, "c34", &i));
	it = cs_questionnaire_item(q, i);
	assert_int_equal(it->role, CS_Q_ROLE_EXPECTATION);
	assert_int_equal(it->nchoices, 10);
	cs_questionnaire_free(q);
}

/* The smallest file, to which the error cases add one wrong piece. */
#define HEAD "{\"format\": \"chiso-questionnaire\", \"code\": \"q\", \"title\": \"T\", "
#define ITEM "{\"code\": \"x\", \"type\": \"text\"}"

static void test_minimal_and_defaults(void **state)
{
	const char *text = HEAD "\"items\": [" ITEM "]}";
	struct cs_questionnaire *q = NULL;
	struct cs_error err = {0};
	struct cs_buf out;
	const struct cs_q_item *it;

	(void)state;
	assert_int_equal(cs_questionnaire_json_read("min.json", text, strlen(text), &q, &err),
			 CS_OK);
	assert_string_equal(cs_questionnaire_info(q)->decision, "");
	assert_false(cs_questionnaire_info(q)->reconstructed);
	it = cs_questionnaire_item(q, 0);
	assert_int_equal(it->role, CS_Q_ROLE_OTHER);
	assert_int_equal(it->field, CS_Q_FIELD_NONE);
	assert_false(it->required);
	assert_string_equal(it->text_vi, "");
	assert_int_equal(cs_questionnaire_options(q)->min_n, 30);
	cs_buf_init(&out, CS_Q_JSON_MAX);
	assert_int_equal(cs_questionnaire_json_write(q, &out, &err), CS_OK);
	assert_string_equal(out.data, "{\n"
				      "  \"format\": \"chiso-questionnaire\",\n"
				      "  \"format_version\": 1,\n"
				      "  \"code\": \"q\",\n"
				      "  \"title\": \"T\",\n"
				      "  \"decision\": \"\",\n"
				      "  \"version\": \"\",\n"
				      "  \"reconstructed\": false,\n"
				      "  \"note\": \"\",\n"
				      "  \"options\": {\n"
				      "    \"satisfied_levels\": [4, 5],\n"
				      "    \"element_aggregation\": \"mean_of_items\",\n"
				      "    \"headline\": \"mean_of_elements\",\n"
				      "    \"target\": 80,\n"
				      "    \"min_n\": 30,\n"
				      "    \"max_cv\": 0.2,\n"
				      "    \"confidence\": 0.95,\n"
				      "    \"ci_unweighted\": \"wilson\"\n"
				      "  },\n"
				      "  \"elements\": [],\n"
				      "  \"items\": [\n"
				      "    {\n"
				      "      \"code\": \"x\",\n"
				      "      \"type\": \"text\",\n"
				      "      \"role\": \"other\"\n"
				      "    }\n"
				      "  ]\n"
				      "}\n");
	cs_buf_release(&out);
	cs_questionnaire_free(q);
}

static void test_options_and_text(void **state)
{
	/* Decomposed Vietnamese (e + combining marks) becomes NFC; a BOM is skipped. */
	const char *text =
		"\xEF\xBB\xBF" HEAD "\"note\": \"a \\\"quoted\\\"\\nline\\u0001\", "
		"\"options\": {\"satisfied_levels\": [5, 3], \"element_aggregation\": "
		"\"pooled\", \"headline\": \"general\", \"target\": 72.5, \"min_n\": 0, "
		"\"max_cv\": 0.1, \"confidence\": 0.9, \"ci_unweighted\": "
		"\"clopper-pearson\"}, "
		"\"elements\": [{\"code\": \"E\", \"title\": {\"vi\": \"Tie\xCC\x82\xCC\x81p "
		"ca\xCC\xA3\xCC\x82n\"}}], "
		"\"items\": [{\"code\": \"g\", \"element\": \"E\", \"type\": \"likert5\", "
		"\"role\": \"general\", \"text\": {\"vi\": \"Chung\", \"en\": \"All\"}}, "
		"{\"code\": \"s\", \"element\": \"E\", \"type\": \"yesno\", \"role\": "
		"\"satisfaction\", \"text\": {\"vi\": \"Có\"}, \"required\": true, "
		"\"relevant\": \"${g} >= 4\", \"constraint\": \". = 1\", \"choices\": "
		"[{\"value\": \"y\"}, {\"value\": \"n\", \"label\": {\"vi\": \"Không\"}}]}]}";
	struct cs_questionnaire *q = NULL, *q2 = NULL;
	struct cs_error err = {0};
	const struct cs_q_options *o;
	const struct cs_q_item *it;
	struct cs_buf out, out2;

	(void)state;
	if (cs_questionnaire_json_read("o.json", text, strlen(text), &q, &err))
		fail_msg("%s", err.msg);
	o = cs_questionnaire_options(q);
	assert_int_equal(o->satisfied_levels, (1 << 3) | (1 << 5));
	assert_int_equal(o->element_agg, CS_Q_ELEMENT_POOLED);
	assert_int_equal(o->headline, CS_Q_OVERALL_GENERAL);
	assert_true(o->target == 72.5);
	assert_int_equal(o->min_n, 0);
	assert_string_equal(o->ci_unweighted, "clopper-pearson");
	assert_string_equal(cs_questionnaire_element(q, 0)->title_vi, "Tiếp cận");
	assert_string_equal(cs_questionnaire_info(q)->note, "a \"quoted\"\nline\x01");
	it = cs_questionnaire_item(q, 1);
	assert_true(it->required);
	assert_string_equal(it->relevant, "${g} >= 4");
	assert_string_equal(it->choices[0].label_vi, "");
	assert_string_equal(it->choices[1].label_vi, "Không");

	cs_buf_init(&out, CS_Q_JSON_MAX);
	cs_buf_init(&out2, CS_Q_JSON_MAX);
	assert_int_equal(cs_questionnaire_json_write(q, &out, &err), CS_OK);
	assert_non_null(strstr(out.data, "\"note\": \"a \\\"quoted\\\"\\nline\\u0001\""));
	assert_non_null(strstr(out.data, "\"satisfied_levels\": [3, 5]"));
	assert_non_null(strstr(out.data, "\"target\": 72.5,"));
	assert_non_null(strstr(out.data, "\"max_cv\": 0.1,"));
	assert_non_null(strstr(out.data, "{\"value\": \"y\"},\n"));
	assert_non_null(strstr(out.data, "\"text\": {\"vi\": \"Có\"},\n"));
	/* Reading what was written writes the same bytes. */
	if (cs_questionnaire_json_read("o2.json", out.data, out.len, &q2, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(cs_questionnaire_json_write(q2, &out2, &err), CS_OK);
	assert_string_equal(out.data, out2.data);
	cs_buf_release(&out);
	cs_buf_release(&out2);
	cs_questionnaire_free(q);
	cs_questionnaire_free(q2);
}

struct bad_json {
	const char *text;
	enum cs_err code;
	const char *msg;
};

static const struct bad_json bad[] = {
	{"{", CS_EPARSE, "f.json:1:1: string or '}' expected near end of file"},
	{"[]", CS_EPARSE, "f.json: expected an object, found an array"},
	{"{\"format\": \"chiso-questionnaire\", \"format\": \"x\"}", CS_EPARSE,
	 "f.json:1:42: duplicate object key near '\"format\"'"},
	{"{\"code\": \"q\"}", CS_EPARSE, "f.json: format: missing (expected a string)"},
	{"{\"format\": \"chiso-par-framework\"}", CS_EPARSE,
	 "f.json: format: 'chiso-par-framework' is not a questionnaire (expected "
	 "\"chiso-questionnaire\")"},
	{HEAD "\"format_version\": 2, \"items\": []}", CS_EPARSE,
	 "f.json: format_version: expected 1 (the version of the format this chiso reads)"},
	{HEAD "\"colour\": 1, \"items\": []}", CS_EPARSE,
	 "f.json: colour: unknown key (expected format, format_version, code, title, decision, "
	 "version, reconstructed, note, options, elements, items)"},
	{"{\"format\": \"chiso-questionnaire\", \"code\": 7}", CS_EPARSE,
	 "f.json: code: expected a string, found a number"},
	{"{\"format\": \"chiso-questionnaire\", \"code\": \"q\"}", CS_EPARSE,
	 "f.json: title: missing (expected a string)"},
	{HEAD "\"reconstructed\": \"yes\", \"items\": []}", CS_EPARSE,
	 "f.json: reconstructed: expected true or false, found a string"},
	{HEAD "\"decision\": \"a\\u0000b\", \"items\": []}", CS_EPARSE,
	 "f.json: decision: the string holds a NUL character (\\u0000)"},
	{HEAD "\"elements\": []}", CS_EPARSE,
	 "f.json: items: missing (expected an array of items)"},
	{HEAD "\"items\": {}}", CS_EPARSE,
	 "f.json: items: expected an array of items, found an object"},
	{HEAD "\"items\": [3]}", CS_EPARSE, "f.json: items[0]: expected an object, found a number"},
	{HEAD "\"items\": [" ITEM ", {\"code\": \"y\"}]}", CS_EPARSE,
	 "f.json: items[1].type (item 'y'): missing (expected a string)"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"likert\"}]}", CS_EPARSE,
	 "f.json: items[0].type (item 'y'): unknown type 'likert' (expected likert5, yesno, "
	 "single, multi, number, text or note)"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"text\", \"role\": \"x\"}]}", CS_EPARSE,
	 "f.json: items[0].role (item 'y'): unknown role 'x' (expected satisfaction, assessment, "
	 "general, expectation, respondent or other)"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"text\", \"field\": \"age\"}]}", CS_EPARSE,
	 "f.json: items[0].field (item 'y'): unknown field 'age' (expected kind, sex, age_band or "
	 "service)"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"text\", \"txt\": {}}]}", CS_EPARSE,
	 "f.json: items[0].txt: unknown key (expected code, element, type, role, field, text, "
	 "required, relevant, constraint, choices)"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"text\", \"text\": \"hi\"}]}", CS_EPARSE,
	 "f.json: items[0].text (item 'y'): expected an object, found a string"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"text\", \"text\": {\"en\": \"hi\"}}]}",
	 CS_EPARSE, "f.json: items[0].text.vi (item 'y'): missing (expected a string)"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"text\", \"text\": {\"vi\": \"a\", "
	      "\"fr\": \"b\"}}]}",
	 CS_EPARSE, "f.json: items[0].text.fr (item 'y'): unknown key (expected vi, en)"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"text\", \"required\": 1}]}", CS_EPARSE,
	 "f.json: items[0].required (item 'y'): expected true or false, found a number"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"single\", \"choices\": {}}]}", CS_EPARSE,
	 "f.json: items[0].choices (item 'y'): expected an array of choices, found an object"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"single\", \"choices\": [{\"val\": "
	      "\"a\"}]}]}",
	 CS_EPARSE,
	 "f.json: items[0].choices[0].val (item 'y'): unknown key (expected value, label)"},
	{HEAD "\"items\": [{\"code\": \"y\", \"type\": \"single\", \"choices\": [{\"value\": "
	      "1}]}]}",
	 CS_EPARSE,
	 "f.json: items[0].choices[0].value (item 'y'): expected a string, found a number"},
	{HEAD "\"elements\": {}, \"items\": []}", CS_EPARSE,
	 "f.json: elements: expected an array of elements, found an object"},
	{HEAD "\"elements\": [{\"code\": \"E\"}], \"items\": []}", CS_EPARSE,
	 "f.json: elements[0].title: missing (expected {\"vi\": ..., \"en\": ...})"},
	{HEAD "\"options\": [], \"items\": []}", CS_EPARSE,
	 "f.json: options: expected an object, found an array"},
	{HEAD "\"options\": {\"target\": \"80\"}, \"items\": []}", CS_EPARSE,
	 "f.json: options.target: expected a number, found a string"},
	{HEAD "\"options\": {\"min_n\": 2.5}, \"items\": []}", CS_EPARSE,
	 "f.json: options.min_n: expected a whole number of 0 or more"},
	{HEAD "\"options\": {\"min_n\": -1}, \"items\": []}", CS_EPARSE,
	 "f.json: options.min_n: expected a whole number of 0 or more"},
	{HEAD "\"options\": {\"satisfied_levels\": []}, \"items\": []}", CS_EPARSE,
	 "f.json: options.satisfied_levels: expected a non-empty array of levels 1 to 5, found "
	 "[]"},
	{HEAD "\"options\": {\"satisfied_levels\": [4, 6]}, \"items\": []}", CS_EPARSE,
	 "f.json: options.satisfied_levels[1]: expected a level 1 to 5"},
	{HEAD "\"options\": {\"satisfied_levels\": [4, 4]}, \"items\": []}", CS_EPARSE,
	 "f.json: options.satisfied_levels: level 4 appears twice"},
	{HEAD "\"options\": {\"headline\": \"mean\"}, \"items\": []}", CS_EPARSE,
	 "f.json: options.headline: unknown headline 'mean' (expected mean_of_elements, pooled or "
	 "general)"},
	{HEAD "\"options\": {\"element_aggregation\": \"sum\"}, \"items\": []}", CS_EPARSE,
	 "f.json: options.element_aggregation: unknown element aggregation 'sum' (expected "
	 "mean_of_items or pooled)"},
	{HEAD "\"options\": {\"ci\": \"wilson\"}, \"items\": []}", CS_EPARSE,
	 "f.json: options.ci: unknown key (expected satisfied_levels, element_aggregation, "
	 "headline, target, min_n, max_cv, confidence, ci_unweighted)"},
	{"{\"format\": \"chiso-questionnaire\", \"code\": \"\xC3\x28\"}", CS_EUTF8,
	 "f.json:1:43: invalid UTF-8 (save the file as UTF-8)"},
	{"", CS_EPARSE, "f.json: empty file (expected a JSON object)"},
	{"[[[[[[[[[1]]]]]]]]]", CS_ETOOBIG,
	 "f.json:1:9: nested deeper than 8 levels (a questionnaire needs 6)"},
	/* The reader builds; validation (cs_questionnaire_json_read) names items by code. */
	{HEAD "\"items\": [" ITEM ", " ITEM "]}", CS_EINVAL,
	 "f.json: item 'x': duplicate code (item #1 has it too)"},
	{HEAD "\"items\": []}", CS_EINVAL, "f.json: questionnaire 'q': no items"},
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(bad) / sizeof(bad[0]); c++) {
		struct cs_questionnaire *q = (struct cs_questionnaire *)&q;
		struct cs_error err = {0};
		enum cs_err rc;

		rc = cs_questionnaire_json_read("f.json", bad[c].text, strlen(bad[c].text), &q,
						&err);
		if (rc != bad[c].code || strcmp(err.msg, bad[c].msg) != 0)
			fail_msg("case %zu: got %s '%s'\n  expected %s '%s'", c, cs_err_name(rc),
				 err.msg, cs_err_name(bad[c].code), bad[c].msg);
		assert_null(q);
	}
}

static void test_limits(void **state)
{
	struct cs_questionnaire *q = NULL;
	struct cs_error err = {0};
	struct cs_buf text, out;
	const char *body = HEAD "\"items\": [" ITEM "]}";

	(void)state;
	assert_int_equal(cs_questionnaire_json_parse("big.json", body, CS_Q_JSON_MAX + 1, &q, &err),
			 CS_ETOOBIG);
	assert_string_equal(err.msg,
			    "big.json: 4194305 bytes (a questionnaire file has at most 4194304)");

	/* A title past CS_Q_JSON_TEXT_MAX. */
	cs_buf_init(&text, 1 << 20);
	assert_int_equal(cs_buf_addstr(&text,
				       "{\"format\": \"chiso-questionnaire\", \"code\": \"q\", "
				       "\"title\": \"",
				       NULL),
			 CS_OK);
	for (int i = 0; i <= CS_Q_JSON_TEXT_MAX; i++)
		assert_int_equal(cs_buf_addc(&text, 'a', NULL), CS_OK);
	assert_int_equal(cs_buf_addstr(&text, "\", \"items\": [" ITEM "]}", NULL), CS_OK);
	assert_int_equal(cs_questionnaire_json_parse("t.json", text.data, text.len, &q, &err),
			 CS_ETOOBIG);
	assert_string_equal(err.msg, "t.json: title: 4001 bytes of text (at most 4000)");
	cs_buf_release(&text);

	/* A long unknown key is cut in the path of the message (found by fuzzing). */
	cs_buf_init(&text, 1 << 20);
	assert_int_equal(cs_buf_addstr(&text, "{\"", NULL), CS_OK);
	for (int i = 0; i < 300; i++)
		assert_int_equal(cs_buf_addc(&text, 'k', NULL), CS_OK);
	assert_int_equal(cs_buf_addstr(&text, "\": 1}", NULL), CS_OK);
	assert_int_equal(cs_questionnaire_json_parse("k.json", text.data, text.len, &q, &err),
			 CS_EPARSE);
	assert_true(strncmp(err.msg, "k.json: kkkkkkkk", 16) == 0);
	assert_non_null(strstr(err.msg, "k: unknown key (expected format, "));
	cs_buf_release(&text);

	/* The writer stops at its buffer's cap. */
	assert_int_equal(cs_questionnaire_json_read("m.json", body, strlen(body), &q, &err), CS_OK);
	cs_buf_init(&out, 100);
	assert_int_equal(cs_questionnaire_json_write(q, &out, &err), CS_ETOOBIG);
	cs_buf_release(&out);
	cs_questionnaire_free(q);
}

/* Reads and writes a shipped questionnaire with an allocation budget. */
static enum cs_err read_write_with_budget(long n, const char *data, size_t len)
{
	struct cs_questionnaire *q = NULL;
	struct cs_buf out;
	enum cs_err rc;

	cs_buf_init(&out, CS_Q_JSON_MAX);
	cs_alloc_fail_after(n);
	rc = cs_questionnaire_json_read("sipas", data, len, &q, NULL);
	if (!rc)
		rc = cs_questionnaire_json_write(q, &out, NULL);
	cs_alloc_fail_after(-1);
	cs_questionnaire_free(q);
	cs_buf_release(&out);
	return rc;
}

static void test_out_of_memory(void **state)
{
	char path[512];
	size_t len;
	char *data;
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	snprintf(path, sizeof(path), "%s/data/questionnaires/sipas-police-2019.json",
		 CHISO_SOURCE_DIR);
	data = slurp(path, &len);
	for (n = 0; n < 100000; n++) {
		rc = read_write_with_budget(n, data, len);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 100); /* jansson allocates through chiso's allocator too */
	cs_free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_round_trip),
		cmocka_unit_test(test_shipped_content),
		cmocka_unit_test(test_minimal_and_defaults),
		cmocka_unit_test(test_options_and_text),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
