/* Unit tests for XLSForm import (io/xlsform.h, METHODOLOGY M3.1): real pyxform workbooks import or fail clearly with named warnings; forms built here check five-level groups becoming elements, languages, relevance, every error, out of memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "core/questionnaire.h"
#include "io/xlsform.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/vec.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* Building workbooks: a sheet is text, rows split by '\n' and cells by '|'. */

static void xml_escaped(struct cs_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '&'   ? "&amp;"
				: s[i] == '<' ? "&lt;"
				: s[i] == '>' ? "&gt;"
					      : NULL;

		if (e)
			assert_int_equal(cs_buf_addstr(b, e, NULL), CS_OK);
		else
			assert_int_equal(cs_buf_addc(b, s[i], NULL), CS_OK);
	}
}

static char *sheet_xml(const char *text)
{
	struct cs_buf b;
	size_t row = 0;
	const char *p = text;

	cs_buf_init(&b, 1 << 24);
	assert_int_equal(
		cs_buf_addstr(&b,
			      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet "
			      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
			      "main\"><sheetData>",
			      NULL),
		CS_OK);
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		unsigned col = 0;
		const char *c = p;

		row++;
		assert_int_equal(cs_buf_addf(&b, NULL, "<row r=\"%zu\">", row), CS_OK);
		while (c <= p + len) {
			const char *bar = memchr(c, '|', (size_t)(p + len - c));
			size_t clen = bar ? (size_t)(bar - c) : (size_t)(p + len - c);

			col++;
			if (clen) {
				assert_true(col <= 26);
				assert_int_equal(
					cs_buf_addf(&b, NULL,
						    "<c r=\"%c%zu\" t=\"inlineStr\"><is><t>",
						    'A' + col - 1, row),
					CS_OK);
				xml_escaped(&b, c, clen);
				assert_int_equal(cs_buf_addstr(&b, "</t></is></c>", NULL), CS_OK);
			}
			if (!bar)
				break;
			c = bar + 1;
		}
		assert_int_equal(cs_buf_addstr(&b, "</row>", NULL), CS_OK);
		p += len + (end ? 1 : 0);
	}
	assert_int_equal(cs_buf_addstr(&b, "</sheetData></worksheet>", NULL), CS_OK);
	return cs_buf_detach(&b, NULL);
}

static void add_part(zip_t *za, const char *name, char *text)
{
	zip_source_t *src = zip_source_buffer(za, text, strlen(text), 1);

	assert_non_null(src);
	assert_true(zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) >= 0);
}

static char *dup_text(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1); /* freed by libzip */

	assert_non_null(p);
	memcpy(p, s, n + 1);
	return p;
}

/*
 * An .xlsx in memory with sheets names[i] holding sheets[i]; the caller
 * frees the result with free().
 */
static void *make_xlsx(const char *const *names, const char *const *sheets, size_t n, size_t *len)
{
	zip_error_t ze;
	zip_source_t *buf;
	zip_t *za;
	zip_stat_t st;
	struct cs_buf types, wb, rels;
	void *out;

	zip_error_init(&ze);
	buf = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(buf);
	za = zip_open_from_source(buf, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	zip_source_keep(buf);
	cs_buf_init(&types, 1 << 20);
	cs_buf_init(&wb, 1 << 20);
	cs_buf_init(&rels, 1 << 20);
	cs_buf_addstr(&types,
		      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types "
		      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		      "<Default Extension=\"rels\" "
		      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
		      "<Override PartName=\"/xl/workbook.xml\" "
		      "ContentType=\"application/"
		      "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>",
		      NULL);
	cs_buf_addstr(&wb,
		      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workbook "
		      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		      "relationships\"><sheets>",
		      NULL);
	cs_buf_addstr(&rels,
		      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships "
		      "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
		      NULL);
	for (size_t i = 0; i < n; i++) {
		char part[64];

		cs_buf_addf(&types, NULL,
			    "<Override PartName=\"/xl/worksheets/sheet%zu.xml\" "
			    "ContentType=\"application/"
			    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>",
			    i + 1);
		cs_buf_addf(&wb, NULL, "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>",
			    names[i], i + 1, i + 1);
		cs_buf_addf(&rels, NULL,
			    "<Relationship Id=\"rId%zu\" "
			    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
			    "relationships/worksheet\" Target=\"worksheets/sheet%zu.xml\"/>",
			    i + 1, i + 1);
		snprintf(part, sizeof(part), "xl/worksheets/sheet%zu.xml", i + 1);
		{
			char *x = sheet_xml(sheets[i]);

			add_part(za, part, dup_text(x));
			cs_free(x);
		}
	}
	cs_buf_addstr(&types, "</Types>", NULL);
	cs_buf_addstr(&wb, "</sheets></workbook>", NULL);
	cs_buf_addstr(&rels, "</Relationships>", NULL);
	add_part(za, "[Content_Types].xml", dup_text(types.data));
	add_part(za, "_rels/.rels",
		 dup_text("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships "
			  "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
			  "<Relationship Id=\"rId1\" "
			  "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
			  "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
			  "</Relationships>"));
	add_part(za, "xl/workbook.xml", dup_text(wb.data));
	add_part(za, "xl/_rels/workbook.xml.rels", dup_text(rels.data));
	cs_buf_release(&types);
	cs_buf_release(&wb);
	cs_buf_release(&rels);
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_stat(buf, &st), 0);
	assert_int_equal(zip_source_open(buf), 0);
	out = malloc(st.size ? st.size : 1);
	assert_non_null(out);
	assert_int_equal(zip_source_read(buf, out, st.size), (zip_int64_t)st.size);
	zip_source_close(buf);
	zip_source_free(buf);
	*len = st.size;
	return out;
}

/* Imports a form made of the given sheets. */
static enum cs_err import(const char *label, const char *const *names, const char *const *sheets,
			  size_t n, struct cs_questionnaire **q, struct cs_vec *warnings,
			  struct cs_error *err)
{
	size_t len;
	void *data = make_xlsx(names, sheets, n, &len);
	enum cs_err rc = cs_xlsform_read(label, data, len, q, warnings, err);

	free(data);
	return rc;
}

static bool has_warning(const struct cs_vec *w, const char *msg)
{
	for (size_t i = 0; i < w->len; i++)
		if (strcmp(((const struct cs_xlsform_warning *)cs_vec_at(w, i))->msg, msg) == 0)
			return true;
	return false;
}

static void expect_warning(const struct cs_vec *w, const char *msg)
{
	if (has_warning(w, msg))
		return;
	for (size_t i = 0; i < w->len; i++)
		print_message("  have: %s\n",
			      ((const struct cs_xlsform_warning *)cs_vec_at(w, i))->msg);
	fail_msg("no warning '%s'", msg);
}

static const struct cs_q_item *item(const struct cs_questionnaire *q, const char *code)
{
	size_t i;

	if (!cs_questionnaire_find_item(q, code, &i))
		fail_msg("no item '%s'", code);
	return cs_questionnaire_item(q, i);
}

/* A SIPAS-like form: two groups of five-level questions and others around them. */
static const char *const mini_names[] = {"survey", "choices", "settings"};
static const char *const mini_sheets[] = {
	"type|name|label::Vietnamese (vi)|label::English (en)|required|relevant|constraint|hint\n"
	"select_one kind|kind|Ông/Bà là|You are|yes\n"
	"begin group|tiep_can|Tiếp cận dịch vụ|Access to the service\n"
	"select_one hl|tc1|Nơi ngồi chờ có đủ chỗ|Enough seats|yes\n"
	"select_one hl|tc2|Trang thiết bị dễ sử dụng|Equipment easy to use|TRUE()\n"
	"note|tc_note|Cảm ơn|Thanks\n"
	"end group\n"
	"begin_group|cong_chuc|Công chức|Civil servants||${kind} = 'citizen'\n"
	"select_one hl|cc1|Lịch sự|Polite|no|${tc1} >= 3\n"
	"select_one hl_text|cc2|Hướng dẫn tận tình|Careful guidance\n"
	"end_group\n"
	"begin group|thong_tin|Thông tin|Information\n"
	"integer|age|Tuổi|Age|||. >= 18|số năm\n"
	"select_multiple mong_doi|expect|Mong đợi|Expectations\n"
	"text|comment|Ý kiến|Comment\n"
	"end group\n"
	"decimal|score|Điểm|Score\n"
	"calculate|calc\n"
	"begin repeat|rep|Lặp|Repeat\n"
	"text|inrep|Trong vòng lặp|In the repeat\n"
	"end repeat\n"
	"date|when|Ngày|Date\n",
	"list_name|name|label::Vietnamese (vi)|label::English (en)\n"
	"kind|citizen|Người dân|Citizen\n"
	"kind|organisation|Tổ chức|Organisation\n"
	"hl|5|Rất hài lòng|Very satisfied\n"
	"hl|4|Hài lòng|Satisfied\n"
	"hl|3|Bình thường|Neutral\n"
	"hl|2|Không hài lòng|Dissatisfied\n"
	"hl|1|Rất không hài lòng|Very dissatisfied\n"
	"hl_text|rkhl|Rất không hài lòng|Very dissatisfied\n"
	"hl_text|khl|Không hài lòng|Dissatisfied\n"
	"hl_text|bt|Bình thường|Neutral\n"
	"hl_text|hl|Hài lòng|Satisfied\n"
	"hl_text|rhl|Rất hài lòng|Very satisfied\n"
	"mong_doi|a|Thông tin|Information\n"
	"mong_doi|b|Thái độ|Attitude\n",
	"form_title|form_id|version|default_language\n"
	"Phiếu thử SIPAS|sipas-mini|2024-01|Vietnamese (vi)\n",
};

static void test_elements_from_groups(void **state)
{
	struct cs_questionnaire *q = NULL;
	struct cs_error err = {0};
	struct cs_vec w;
	const struct cs_q_item *it;
	struct cs_q_answer a;
	size_t i;

	(void)state;
	cs_vec_init(&w, sizeof(struct cs_xlsform_warning), 0);
	if (import("dir/mini.xlsx", mini_names, mini_sheets, 3, &q, &w, &err))
		fail_msg("%s", err.msg);
	assert_true(cs_questionnaire_is_valid(q));
	assert_string_equal(cs_questionnaire_info(q)->code, "sipas-mini");
	assert_string_equal(cs_questionnaire_info(q)->title, "Phiếu thử SIPAS");
	assert_string_equal(cs_questionnaire_info(q)->version, "2024-01");
	assert_string_equal(cs_questionnaire_info(q)->note, "Imported from the XLSForm mini.");

	/* Groups of five-level questions are elements; thong_tin is not. */
	assert_int_equal(cs_questionnaire_element_count(q), 2);
	assert_string_equal(cs_questionnaire_element(q, 0)->code, "tiep_can");
	assert_string_equal(cs_questionnaire_element(q, 0)->title_vi, "Tiếp cận dịch vụ");
	assert_string_equal(cs_questionnaire_element(q, 0)->title_en, "Access to the service");
	assert_string_equal(cs_questionnaire_element(q, 1)->code, "cong_chuc");

	/* Questions in order; calculate, repeat rows and date are gone, inrep kept. */
	assert_int_equal(cs_questionnaire_item_count(q), 11);
	assert_string_equal(cs_questionnaire_item(q, 0)->code, "kind");
	assert_string_equal(cs_questionnaire_item(q, 10)->code, "inrep");

	it = item(q, "tc1");
	assert_int_equal(it->type, CS_Q_LIKERT5);
	assert_int_equal(it->role, CS_Q_ROLE_SATISFACTION);
	assert_string_equal(it->element_code, "tiep_can");
	assert_true(it->required);
	assert_string_equal(it->text_vi, "Nơi ngồi chờ có đủ chỗ");
	assert_string_equal(it->text_en, "Enough seats");
	/* The list 5..1 is put in level order. */
	assert_int_equal(it->nchoices, 5);
	assert_string_equal(it->choices[0].value, "1");
	assert_string_equal(it->choices[0].label_vi, "Rất không hài lòng");
	assert_string_equal(it->choices[4].value, "5");
	assert_true(item(q, "tc2")->required);
	assert_int_equal(item(q, "tc_note")->type, CS_Q_NOTE);
	assert_null(item(q, "tc_note")->element_code);

	/* Relevance of the group and of the question, both kept. */
	it = item(q, "cc1");
	assert_false(it->required);
	assert_string_equal(it->relevant, "(${kind} = 'citizen') and (${tc1} >= 3)");
	assert_string_equal(item(q, "cc2")->relevant, "${kind} = 'citizen'");
	/* Values that are not 1-5: list order gives the levels. */
	assert_true(cs_questionnaire_find_item(q, "cc2", &i));
	assert_int_equal(cs_questionnaire_parse_answer(q, i, CS_STR("rhl"), &a, &err), CS_OK);
	assert_true(a.value == 5);
	assert_int_equal(cs_questionnaire_parse_answer(q, i, CS_STR("rkhl"), &a, &err), CS_OK);
	assert_true(a.value == 1);
	assert_true(cs_questionnaire_find_item(q, "tc1", &i));
	assert_int_equal(cs_questionnaire_parse_answer(q, i, CS_STR("4"), &a, &err), CS_OK);
	assert_true(a.value == 4);

	it = item(q, "age");
	assert_int_equal(it->type, CS_Q_NUMBER);
	assert_int_equal(it->role, CS_Q_ROLE_OTHER);
	assert_string_equal(it->constraint, ". >= 18");
	assert_int_equal(item(q, "expect")->type, CS_Q_MULTI);
	assert_int_equal(item(q, "expect")->nchoices, 2);
	assert_int_equal(item(q, "comment")->type, CS_Q_TEXT);
	assert_int_equal(item(q, "score")->type, CS_Q_NUMBER);
	it = item(q, "kind");
	assert_int_equal(it->type, CS_Q_SINGLE);
	assert_string_equal(it->choices[1].label_en, "Organisation");

	expect_warning(&w, "dir/mini.xlsx:survey:18: type 'calculate' is not supported; 1 question "
			   "skipped ('calc')");
	expect_warning(&w, "dir/mini.xlsx:survey:19: repeats are not supported: the questions of 1 "
			   "repeat ('rep') are imported as if asked once");
	expect_warning(&w, "dir/mini.xlsx:survey:22: type 'date' is not supported; 1 question "
			   "skipped ('when')");
	expect_warning(&w, "dir/mini.xlsx:survey:13: column 'hint' is not supported; its values "
			   "are ignored");
	expect_warning(&w, "dir/mini.xlsx:choices:9: list 'hl_text' of five-level questions has "
			   "values other than 1 to 5: its first choice is taken as level 1 (Rất "
			   "không hài lòng) and its last as level 5 (Rất hài lòng)");
	assert_int_equal(w.len, 5);
	cs_vec_release(&w);
	cs_questionnaire_free(q);
}

/* Paths of the real workbooks. */
static void path_of(char *out, size_t size, const char *dir, const char *name)
{
	snprintf(out, size, "%s/tests/data/%s/%s", CHISO_SOURCE_DIR, dir, name);
}

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
	fclose(f);
	*len = (size_t)n;
	return data;
}

/* Imports tests/data/<dir>/<name> with the label <name>. */
static enum cs_err import_file(const char *dir, const char *name, struct cs_questionnaire **q,
			       struct cs_vec *w, struct cs_error *err)
{
	char path[512];
	size_t len;
	char *data;
	enum cs_err rc;

	path_of(path, sizeof(path), dir, name);
	data = slurp(path, &len);
	rc = cs_xlsform_read(name, data, len, q, w, err);
	cs_free(data);
	return rc;
}

static void test_spec_test(void **state)
{
	struct cs_questionnaire *q = NULL;
	struct cs_error err = {0};
	struct cs_vec w;
	const struct cs_q_item *it;

	(void)state;
	cs_vec_init(&w, sizeof(struct cs_xlsform_warning), 0);
	if (import_file("xlsx", "xlsform_spec_test.xlsx", &q, &w, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(cs_questionnaire_info(q)->code, "Spec-test");
	assert_string_equal(cs_questionnaire_info(q)->title, "Spec test");
	assert_int_equal(cs_questionnaire_item_count(q), 30);
	assert_int_equal(cs_questionnaire_element_count(q), 0);
	it = item(q, "my_name");
	assert_string_equal(it->text_vi, "Enter your name");
	assert_string_equal(it->text_en, "Enter your name");
	assert_string_equal(it->relevant, "not(selected(${skip_to_end}, 'yes'))");
	it = item(q, "a_decimal");
	assert_int_equal(it->type, CS_Q_NUMBER);
	assert_string_equal(it->constraint, ". <= ${a_integer}");
	it = item(q, "select_multiple_test");
	assert_int_equal(it->type, CS_Q_MULTI);
	assert_string_equal(it->choices[0].label_en, "Yes");
	assert_true(item(q, "required_text")->required);
	assert_true(item(q, "list-nolabel-test")->required);
	/* Relevance of the outer group reaches into nested groups. */
	assert_string_equal(item(q, "required_text")->relevant,
			    "not(selected(${skip_to_end}, 'yes'))");
	assert_true(cs_questionnaire_find_item(q, "_1", NULL));
	/* "0" written as the formula FALSE(): the name is what Excel shows. */
	assert_true(cs_questionnaire_find_item(q, "FALSE", NULL));

	expect_warning(&w, "xlsform_spec_test.xlsx:columns: sheet 'columns' is not part of an "
			   "XLSForm; ignored");
	expect_warning(&w, "xlsform_spec_test.xlsx:settings:2: settings not supported, ignored: "
			   "public_key, submission_url, add_none_option, omit_instanceID, "
			   "clean_text_values, instance_name");
	expect_warning(&w, "xlsform_spec_test.xlsx:settings:2: form_id 'Spec test' is not a code "
			   "(letters, digits, '_', '-', '.'); the questionnaire's code is "
			   "'Spec-test'");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey:1: no Vietnamese label column "
			   "(label::Vietnamese (vi)); the Vietnamese text is taken from "
			   "'label::english'");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey:6: label language 'chinese' is not kept "
			   "(chiso keeps Vietnamese and English)");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey:15: repeats are not supported: the "
			   "questions of 1 repeat ('repeat_test') are imported as if asked once");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey:34: type 'geopoint' is not supported; 1 "
			   "question skipped ('geopoint_test')");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey:36: type 'image' is not supported; 1 "
			   "question skipped ('image_test')");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey:40: type 'calculate' is not supported; 1 "
			   "question skipped ('calculate_test')");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey:42: metadata 'start' is not kept "
			   "(responses are imported without it); 1 row skipped");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey:50: metadata 'uri:deviceid' is not kept "
			   "(responses are imported without it); 1 row skipped");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey:11: column 'appearance' is not "
			   "supported; its values are ignored");
	expect_warning(&w, "xlsform_spec_test.xlsx:choices:4: column 'image' is not supported; its "
			   "values are ignored");
	expect_warning(&w, "xlsform_spec_test.xlsx:survey: no group of five-level questions "
			   "(select_one of a list of 5 choices): the questionnaire has no elements "
			   "and gives no satisfaction index");
	cs_vec_release(&w);
	cs_questionnaire_free(q);
}

static void test_ucl(void **state)
{
	struct cs_questionnaire *q = NULL;
	struct cs_error err = {0};
	struct cs_vec w;
	const struct cs_q_item *it;

	(void)state;
	cs_vec_init(&w, sizeof(struct cs_xlsform_warning), 0);
	if (import_file("xlsx", "UCL_Biomass_Plot_Form.xlsx", &q, &w, &err))
		fail_msg("%s", err.msg);
	/* No form_id: the file name. The version cell is a date-formatted number. */
	assert_string_equal(cs_questionnaire_info(q)->code, "UCL_Biomass_Plot_Form");
	assert_string_equal(cs_questionnaire_info(q)->version, "2022-04-11T16:26:29");
	assert_int_equal(cs_questionnaire_item_count(q), 45);
	it = item(q, "plant_phase");
	assert_int_equal(it->type, CS_Q_SINGLE);
	assert_int_equal(it->nchoices, 7);
	assert_string_equal(it->text_vi, "In which planting area phase was the activity done?");
	assert_true(it->required);
	/* A required expression is taken as not required, and said so. */
	assert_false(item(q, "stem_height")->required);
	/* Questions of repeats are kept. */
	assert_int_equal(item(q, "cbh")->type, CS_Q_NUMBER);
	assert_string_equal(item(q, "cbh")->constraint, ". >=  ${size_constraint}");
	expect_warning(&w, "UCL_Biomass_Plot_Form.xlsx:settings: no form_id in the settings; the "
			   "questionnaire's code is 'UCL_Biomass_Plot_Form', from the file name");
	expect_warning(&w, "UCL_Biomass_Plot_Form.xlsx:survey:1: no Vietnamese label column "
			   "(label::Vietnamese (vi)); the Vietnamese text is taken from "
			   "'label::English (en)'");
	expect_warning(&w, "UCL_Biomass_Plot_Form.xlsx:survey:2: label language 'Swahili (sw)' is "
			   "not kept (chiso keeps Vietnamese and English)");
	expect_warning(&w, "UCL_Biomass_Plot_Form.xlsx:survey:16: type 'select_one_from_file' is "
			   "not supported; 8 questions skipped ('region_id', 'district_id', "
			   "'village', ...)");
	expect_warning(&w,
		       "UCL_Biomass_Plot_Form.xlsx:survey:32: repeats are not supported: the "
		       "questions of 5 repeats ('trees', 'stems', 'stumps', ...) are imported as "
		       "if asked once");
	expect_warning(&w, "UCL_Biomass_Plot_Form.xlsx:survey:49: required holds an expression "
			   "('${health_id}=‘dead’') that chiso does not evaluate; 1 question "
			   "('stem_height') taken as not required");
	expect_warning(&w, "UCL_Biomass_Plot_Form.xlsx:survey:91: metadata 'deviceid' is not kept "
			   "(responses are imported without it); 1 row skipped");
	cs_vec_release(&w);
	cs_questionnaire_free(q);
}

static void test_small_forms(void **state)
{
	struct cs_questionnaire *q = NULL;
	struct cs_error err = {0};
	struct cs_vec w;
	const struct cs_q_item *it;

	(void)state;
	cs_vec_init(&w, sizeof(struct cs_xlsform_warning), 0);

	/* Upper-case sheets and columns; extra ODK sheets named. */
	if (import_file("xlsx", "case_insensitivity.xlsx", &q, &w, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(cs_questionnaire_info(q)->code, "YesNo");
	assert_string_equal(cs_questionnaire_info(q)->title, "Yes or no");
	assert_int_equal(cs_questionnaire_item_count(q), 1);
	it = item(q, "q1");
	assert_string_equal(it->text_vi, "Are you good?");
	assert_string_equal(it->choices[1].value, "n2-c");
	assert_string_equal(it->choices[1].label_vi, "l2-c");
	expect_warning(&w, "case_insensitivity.xlsx:EXTERNAL_CHOICES: sheet 'EXTERNAL_CHOICES' "
			   "(choices of select_one_external) is not supported; ignored");
	expect_warning(&w, "case_insensitivity.xlsx:ENTITIES: sheet 'ENTITIES' (ODK entities) is "
			   "not supported; ignored");
	expect_warning(&w,
		       "case_insensitivity.xlsx:SURVEY:1: only one label language "
		       "('label::EN'): it is used for both the Vietnamese and the English text");
	expect_warning(&w, "case_insensitivity.xlsx:SURVEY:3: type 'select_one_external' is not "
			   "supported; 1 question skipped ('q2')");
	expect_warning(&w, "case_insensitivity.xlsx:SURVEY:4: type 'osm' is not supported; 1 "
			   "question skipped ('q3')");
	cs_questionnaire_free(q);
	cs_vec_clear(&w);

	/* or_other: a choice 'other' is added. */
	if (import_file("xlsform", "or_other.xlsx", &q, &w, &err))
		fail_msg("%s", err.msg);
	it = item(q, "fav_color");
	assert_int_equal(it->nchoices, 6);
	assert_string_equal(it->choices[5].value, "other");
	assert_string_equal(it->choices[5].label_vi, "Khác");
	assert_int_equal(item(q, "fav_pastel")->nchoices, 5);
	expect_warning(&w, "or_other.xlsx:survey:2: or_other: the text typed for 'other' is not "
			   "supported; 1 question ('fav_color') gets a choice 'other' and the text "
			   "is not kept");
	expect_warning(&w, "or_other.xlsx:survey:3: column 'choice_filter' is not supported; its "
			   "values are ignored");
	expect_warning(&w, "or_other.xlsx:choices:2: column 'pastel' is not supported; its values "
			   "are ignored");
	expect_warning(&w, "or_other.xlsx: no settings sheet; the questionnaire's code is "
			   "'or_other', from the file name");
	/* fav_pastel is a select_one of 5 choices outside a group: not an element. */
	assert_int_equal(cs_questionnaire_element_count(q), 0);
	cs_questionnaire_free(q);
	cs_vec_clear(&w);

	/* A group of ordinary questions; an unknown type named as written. */
	if (import_file("xlsform", "group.xlsx", &q, &w, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(cs_questionnaire_info(q)->code, "group");
	assert_int_equal(cs_questionnaire_item_count(q), 2);
	assert_string_equal(item(q, "age")->text_en, "How old is your father?");
	expect_warning(&w, "group.xlsx:survey:4: type 'phone number' is not supported; 1 question "
			   "skipped ('phone_number')");
	cs_questionnaire_free(q);
	cs_vec_clear(&w);

	if (import_file("xlsform", "field-list.xlsx", &q, &w, &err))
		fail_msg("%s", err.msg);
	it = item(q, "table_list_question");
	assert_string_equal(it->text_vi, "table list question");
	assert_string_equal(it->choices[0].label_vi, "Yes");
	expect_warning(&w, "field-list.xlsx:choices:2: label language 'chinese' is not kept "
			   "(chiso keeps Vietnamese and English)");
	cs_questionnaire_free(q);
	cs_vec_clear(&w);

	if (import_file("xlsform", "extra_sheet_names.xlsx", &q, &w, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(item(q, "test")->text_vi, "test");
	expect_warning(&w, "extra_sheet_names.xlsx:stettings: sheet 'stettings' is not read; did "
			   "you mean 'settings'?");
	expect_warning(&w, "extra_sheet_names.xlsx:my_sheet: sheet 'my_sheet' is not part of an "
			   "XLSForm; ignored");
	cs_questionnaire_free(q);
	cs_vec_clear(&w);

	/* "select one from LIST" and "label:english". */
	if (import_file("xlsform", "yes_or_no_question.xlsx", &q, &w, &err))
		fail_msg("%s", err.msg);
	it = item(q, "good_day");
	assert_int_equal(it->type, CS_Q_SINGLE);
	assert_int_equal(it->nchoices, 2);
	assert_string_equal(it->text_en, "have you had a good day today?");
	cs_questionnaire_free(q);
	cs_vec_clear(&w);

	if (import_file("xlsform", "text_and_integer.xlsx", &q, &w, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(cs_questionnaire_info(q)->code, "text_and_integer");
	assert_int_equal(item(q, "your_name")->type, CS_Q_TEXT);
	assert_int_equal(item(q, "your_age")->type, CS_Q_NUMBER);
	cs_questionnaire_free(q);

	/* Duplicate columns: a clear error, no crash, nothing built. */
	q = (struct cs_questionnaire *)&q;
	assert_int_equal(import_file("xlsx", "duplicate_columns.xlsx", &q, NULL, &err), CS_EPARSE);
	assert_string_equal(err.msg, "duplicate_columns.xlsx:survey:1: column 'label' appears "
				     "twice (columns D and E); keep one of them");
	assert_null(q);
	cs_vec_release(&w);
}

static void test_languages(void **state)
{
	static const char *const names[] = {"survey"};
	struct cs_questionnaire *q = NULL;
	struct cs_error err = {0};
	struct cs_vec w;
	const char *s1[] = {"type|name|label::English (en)|label::Tiếng Việt\ntext|t|Name|Tên\n"};
	const char *s2[] = {"type|name|label|label::en\ntext|t|Tên|Name\n"};
	const char *s3[] = {"type|name|label::vi\ntext|t|Tên\n"};
	const char *s4[] = {"type|name\ntext|t\n"};

	(void)state;
	cs_vec_init(&w, sizeof(struct cs_xlsform_warning), 0);
	assert_int_equal(import("a.xlsx", names, s1, 1, &q, &w, &err), CS_OK);
	assert_string_equal(item(q, "t")->text_vi, "Tên");
	assert_string_equal(item(q, "t")->text_en, "Name");
	assert_int_equal(w.len, 2); /* no settings, no elements */
	cs_questionnaire_free(q);
	cs_vec_clear(&w);

	/* The plain label is the form's main language. */
	assert_int_equal(import("b.xlsx", names, s2, 1, &q, &w, &err), CS_OK);
	assert_string_equal(item(q, "t")->text_vi, "Tên");
	assert_string_equal(item(q, "t")->text_en, "Name");
	expect_warning(&w, "b.xlsx:survey:1: no Vietnamese label column (label::Vietnamese (vi)); "
			   "the Vietnamese text is taken from 'label'");
	cs_questionnaire_free(q);
	cs_vec_clear(&w);

	/* Vietnamese only: used for English too, silently (it is the text that matters). */
	assert_int_equal(import("c.xlsx", names, s3, 1, &q, &w, &err), CS_OK);
	assert_string_equal(item(q, "t")->text_en, "Tên");
	assert_int_equal(w.len, 2);
	cs_questionnaire_free(q);
	cs_vec_clear(&w);

	assert_int_equal(import("d.xlsx", names, s4, 1, &q, &w, &err), CS_OK);
	assert_string_equal(item(q, "t")->text_vi, "");
	expect_warning(&w, "d.xlsx:survey:1: no label column: questions have no text");
	cs_questionnaire_free(q);
	cs_vec_release(&w);
}

struct bad_form {
	const char *survey;
	const char *choices; /* NULL: no choices sheet */
	enum cs_err code;
	const char *msg;
};

static const struct bad_form bad_forms[] = {
	{"name|label\nx|X\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:1: no 'type' column (a survey sheet has type, name and label)"},
	{"type|label\ntext|X\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:1: no 'name' column (a survey sheet has type, name and label)"},
	{"type|name|label\nselect_one l|x|X\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:2: list 'l' of question 'x' is not in the choices sheet (the workbook has "
	 "none)"},
	{"type|name|label\nselect_one m|x|X\n", "list_name|name|label\nl|a|A\n", CS_EPARSE,
	 "f.xlsx:survey:2: list 'm' of question 'x' is not in the choices sheet"},
	{"type|name|label\nselect_one|x|X\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:2: type 'select_one': expected select_one LIST or select_multiple LIST, "
	 "optionally followed by or_other"},
	{"type|name|label\nselect_one l extra|x|X\n", "list_name|name|label\nl|a|A\n", CS_EPARSE,
	 "f.xlsx:survey:2: type 'select_one l extra': expected select_one LIST or select_multiple "
	 "LIST, optionally followed by or_other"},
	{"type|name|label\nend group\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:2: end group without a begin before it"},
	{"type|name|label\nbegin group|g|G\ntext|x|X\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:2: begin group 'g' is never ended"},
	{"type|name|label\nbegin repeat|r|R\ntext|x|X\nend group\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:4: end group closes begin repeat 'r' (row 2)"},
	{"type|name|label\ntext||X\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:2: a question of type 'text' without a name"},
	{"type|name|label\ntext|x|X\ninteger|x|Y\n", NULL, CS_EINVAL,
	 "f.xlsx: item 'x': duplicate code (item #1 has it too)"},
	{"type|name|label\ntext|x y|X\n", NULL, CS_EINVAL,
	 "f.xlsx: item #1: code 'x y' is not a code (expected letters, digits, '_', '-' or '.')"},
	{"type|name|label\nselect_one l|x|X\n", "list_name|label\nl|A\n", CS_EPARSE,
	 "f.xlsx:choices:1: no 'name' column (a choices sheet has list_name, name and label)"},
	{"type|name|label|label\ntext|x|X|Y\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:1: column 'label' appears twice (columns C and D); keep one of them"},
	{"type|name|LABEL::EN|label::en\ntext|x|X|Y\n", NULL, CS_EPARSE,
	 "f.xlsx:survey:1: column 'label::en' appears twice (columns C and D); keep one of them"},
	{"", NULL, CS_EPARSE, "f.xlsx:survey: the survey sheet is empty"},
};

static void test_errors(void **state)
{
	static const char *const names2[] = {"survey", "choices"};
	static const char *const other[] = {"Sheet1"};
	static const char *const text[] = {"a|b\n"};
	struct cs_error err = {0};
	struct cs_questionnaire *q;
	char choices[4096];
	size_t n = 0;

	(void)state;
	for (size_t c = 0; c < sizeof(bad_forms) / sizeof(bad_forms[0]); c++) {
		const char *sheets[2] = {bad_forms[c].survey, bad_forms[c].choices};
		enum cs_err rc;

		q = (struct cs_questionnaire *)&q;
		rc = import("f.xlsx", names2, sheets, bad_forms[c].choices ? 2 : 1, &q, NULL, &err);
		if (rc != bad_forms[c].code || strcmp(err.msg, bad_forms[c].msg) != 0)
			fail_msg("case %zu: got %s '%s'\n  expected %s '%s'", c, cs_err_name(rc),
				 err.msg, cs_err_name(bad_forms[c].code), bad_forms[c].msg);
		assert_null(q);
	}

	/* No survey sheet: not an XLSForm. */
	assert_int_equal(import("s.xlsx", other, text, 1, &q, NULL, &err), CS_EPARSE);
	assert_string_equal(err.msg, "s.xlsx: no 'survey' sheet: this is not an XLSForm (its first "
				     "sheet is 'Sheet1')");

	/* Not a workbook at all: the reader says so. */
	assert_int_equal(cs_xlsform_read("x.json", "{\"a\": 1}", 8, &q, NULL, &err), CS_EPARSE);
	assert_non_null(strstr(err.msg, "x.json"));
	assert_null(q);

	/* A list longer than a question can hold. */
	n = (size_t)snprintf(choices, sizeof(choices), "list_name|name|label\n");
	for (int k = 0; k < CS_Q_CHOICES_MAX + 1; k++)
		n += (size_t)snprintf(choices + n, sizeof(choices) - n, "l|c%d|C\n", k);
	{
		const char *sheets[2] = {"type|name|label\nselect_multiple l|x|X\n", choices};

		assert_int_equal(import("f.xlsx", names2, sheets, 2, &q, NULL, &err), CS_ETOOBIG);
		assert_string_equal(err.msg, "f.xlsx:survey:2: list 'l' has 65 choices; a question "
					     "takes at most 64");
	}
}

static void test_out_of_memory(void **state)
{
	size_t len;
	void *data = make_xlsx(mini_names, mini_sheets, 3, &len);
	struct cs_questionnaire *q = NULL;
	struct cs_vec w;
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	for (n = 0; n < 100000; n++) {
		cs_vec_init(&w, sizeof(struct cs_xlsform_warning), 0);
		cs_alloc_fail_after(n);
		rc = cs_xlsform_read("mini.xlsx", data, len, &q, &w, NULL);
		cs_alloc_fail_after(-1);
		cs_vec_release(&w);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_null(q);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 50);
	assert_int_equal(cs_questionnaire_element_count(q), 2);
	cs_questionnaire_free(q);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elements_from_groups),
		cmocka_unit_test(test_spec_test),
		cmocka_unit_test(test_ucl),
		cmocka_unit_test(test_small_forms),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_errors),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
