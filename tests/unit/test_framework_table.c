/*
 * Tests of the PAR framework table (io/framework_table): CSV and XLSX reading
 * with both decimal forms, every message of tests/golden/frameworks for
 * tables, validation messages placed on their lines, the CSV writer and its
 * round trip, the band sets, and out-of-memory paths.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/framework_json.h"
#include "io/framework_table.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/vec.h"

#define DATA CHISO_SOURCE_DIR "/data/frameworks/"
#define GOLDEN CHISO_SOURCE_DIR "/tests/golden/frameworks/"

static const struct cs_fw_info test_info = {"t", "Test", "", "1"};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static bool is_xlsx(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".xlsx") == 0;
}

static enum cs_err parse_table(const char *name, const char *text, size_t len,
			       struct cs_framework **fw, struct cs_fw_table_lines *lines,
			       struct cs_error *err)
{
	if (is_xlsx(name))
		return cs_framework_table_parse_xlsx(name, text, len, &test_info, fw, lines, err);
	return cs_framework_table_parse_csv(name, text, len, &test_info, fw, lines, err);
}

/* The messages for a table: the reader's one, or every validation problem placed on its line. */
static void table_messages(const char *name, const char *text, size_t len, struct cs_buf *out)
{
	struct cs_framework *fw = (struct cs_framework *)&fw;
	struct cs_fw_table_lines lines = {0};
	struct cs_error err;
	struct cs_vec problems;
	enum cs_err rc;

	rc = parse_table(name, text, len, &fw, &lines, &err);
	if (rc) {
		assert_null(fw);
		assert_null(lines.lines);
		assert_int_equal(err.code, rc);
		assert_int_equal(cs_buf_addf(out, NULL, "%s\n", err.msg), CS_OK);
		return;
	}
	assert_int_equal(lines.n, cs_framework_node_count(fw));
	cs_vec_init(&problems, sizeof(struct cs_error), 100);
	rc = cs_framework_validate_all(fw, &problems, &err);
	assert_int_equal(rc, problems.len ? CS_EINVAL : CS_OK);
	cs_framework_table_locate(name, fw, &lines, &problems);
	for (size_t i = 0; i < problems.len; i++)
		assert_int_equal(cs_buf_addf(out, NULL, "%s\n",
					     ((struct cs_error *)cs_vec_at(&problems, i))->msg),
				 CS_OK);
	cs_vec_release(&problems);
	cs_fw_table_lines_release(&lines);
	cs_framework_free(fw);
}

static void test_golden(void **state)
{
	DIR *d = opendir(GOLDEN);
	struct dirent *e;
	int cases = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024], *text, *want;
		size_t len, wlen, nl = strlen(e->d_name);
		struct cs_buf got;

		if (!(nl > 4 && strcmp(e->d_name + nl - 4, ".csv") == 0) && !is_xlsx(e->d_name))
			continue;
		snprintf(path, sizeof(path), GOLDEN "%s", e->d_name);
		text = slurp(path, &len);
		cs_buf_init(&got, 1u << 20);
		table_messages(e->d_name, text, len, &got);
		if (strncmp(e->d_name, "good", 4) == 0) {
			if (got.len)
				fail_msg("%s: %s", e->d_name, got.data);
		} else {
			snprintf(path, sizeof(path), GOLDEN "%s.err", e->d_name);
			want = slurp(path, &wlen);
			if (strcmp(got.data, want) != 0)
				fail_msg("%s:\n got: %s\nwant: %s", e->d_name, got.data, want);
			free(want);
		}
		cs_buf_release(&got);
		free(text);
		cases++;
	}
	closedir(d);
	assert_true(cases >= 19);
}

static const struct cs_fw_node *node(const struct cs_framework *fw, const char *code)
{
	size_t i;

	assert_true(cs_framework_find(fw, code, &i));
	return cs_framework_node(fw, i);
}

static void test_good_csv(void **state)
{
	struct cs_framework *fw = NULL;
	struct cs_fw_table_lines lines;
	struct cs_error err;
	const struct cs_fw_node *n;
	size_t len;
	char *text = slurp(GOLDEN "good.csv", &len);

	(void)state;
	assert_int_equal(
		cs_framework_table_parse_csv("good.csv", text, len, &test_info, &fw, &lines, &err),
		CS_OK);
	assert_int_equal(cs_framework_validate(fw, &err), CS_OK);
	assert_string_equal(cs_framework_info(fw)->code, "t");
	assert_int_equal(cs_framework_node_count(fw), 7);
	assert_int_equal(cs_framework_band_count(fw), 0);
	/* Lines count the blank row of empty cells (line 5). */
	assert_int_equal(lines.lines[0], 2);
	assert_int_equal(lines.lines[3], 6);
	assert_true(cs_framework_total_max(fw) == 14.5 + 8.5 + 6);

	n = node(fw, "A");
	assert_string_equal(n->title, "Công tác chỉ đạo, điều hành");
	assert_true(n->max_declared && n->max == 14.5);
	n = node(fw, "A.1");
	assert_true(n->max == 4.5); /* "4,5" */
	assert_int_equal(n->source, CS_SOURCE_SELF);
	assert_string_equal(n->source_name, "self"); /* "Self" read in lower case */
	n = node(fw, "A.2");
	assert_int_equal(n->napplies, 1);
	assert_int_equal(n->applies[0].kind, CS_APPLIES_LEVEL);
	assert_int_equal(n->applies[0].level, CS_LEVEL_PROVINCE);
	n = node(fw, "B");
	assert_false(n->max_declared);
	assert_true(n->max == 14.5); /* the sum, after validation */
	assert_string_equal(n->applies[0].flag, "tthc");
	n = node(fw, "B.1");
	assert_true(n->max == 8.5);
	assert_int_equal(n->nparams, 2);
	assert_string_equal(n->params[0].key, "bounds");
	assert_string_equal(n->params[0].value, "1,0.9");
	assert_string_equal(n->params[1].value, "1,0.5");
	n = node(fw, "B.2");
	assert_string_equal(n->params[1].key, "hi");
	assert_string_equal(n->params[1].value, "100");
	assert_int_equal(n->applies[0].kind, CS_APPLIES_NOT_FLAG);
	assert_int_equal(node(fw, "X")->source, CS_SOURCE_BONUS);
	cs_fw_table_lines_release(&lines);
	cs_fw_table_lines_release(&lines);
	cs_fw_table_lines_release(NULL);
	cs_framework_free(fw);
	free(text);
}

static void test_good_xlsx(void **state)
{
	struct cs_framework *fw = NULL;
	struct cs_fw_table_lines lines;
	struct cs_error err;
	size_t len;
	char *data = slurp(GOLDEN "good.xlsx", &len);

	(void)state;
	assert_int_equal(cs_framework_table_parse_xlsx("good.xlsx", data, len, &test_info, &fw,
						       &lines, &err),
			 CS_OK);
	assert_int_equal(cs_framework_validate(fw, &err), CS_OK);
	assert_int_equal(cs_framework_node_count(fw), 5);
	assert_true(node(fw, "A")->max == 14.5);
	assert_true(node(fw, "A.1")->max == 4.5);
	assert_true(node(fw, "B.1")->max == 8.5);
	assert_string_equal(node(fw, "A.2")->params[0].value, "0.8");
	assert_int_equal(lines.lines[3], 6); /* row 5 is empty */
	cs_fw_table_lines_release(&lines);
	cs_framework_free(fw);
	free(data);
}

static void test_errors(void **state)
{
	static const struct {
		const char *text;
		enum cs_err code;
		const char *msg;
	} cases[] = {
		{"code,parent,title,max_points,source,rule,params\nA 1,,x,1,self,manual,\n",
		 CS_EPARSE,
		 "t.csv:2:1: node code 'A 1': expected 1 to 64 letters A-Z a-z, digits 0-9, '.', "
		 "'_' or '-'"},
		{"code,parent,title,max_points,source,rule,params\n,,x,1,self,manual,\n", CS_EPARSE,
		 "t.csv:2:1: empty node code; expected 1 to 64 letters A-Z a-z, digits 0-9, '.', "
		 "'_' "
		 "or '-'"},
		{"code,parent,title,max_points,source,rule,params\nA,B/C,x,1,self,manual,\n",
		 CS_EPARSE,
		 "t.csv:2:2: parent code 'B/C': expected 1 to 64 letters A-Z a-z, digits 0-9, '.', "
		 "'_' or '-'"},
		{"code,parent,title,max_points,source,rule,params\nA,,x,1,self,manual,a b=1\n",
		 CS_EPARSE,
		 "t.csv:2:7: params of node 'A': name 'a b' may use only letters, digits and '_'"},
		{"code,parent,title,max_points,source,rule,params\nA,,x,1,self,manual,=1\n",
		 CS_EPARSE,
		 "t.csv:2:7: params of node 'A': item '=1' is not key=value (items are separated "
		 "by "
		 "';', e.g. bounds=1,0.8;points=1,0.5)"},
		{"code,parent,title,max_points,source,rule,applies_to\nA,,x,1,self,manual,level="
		 "x\n",
		 CS_EPARSE,
		 "t.csv:2:7: applies_to of node 'A': unknown key 'level' (expected levels, flags "
		 "or "
		 "not_flags)"},
		{"code,parent,title,max_points,source,rule,applies_to\nA,,x,1,self,manual,flags=a "
		 "b\n",
		 CS_EPARSE,
		 "t.csv:2:7: applies_to of node 'A': flag 'a b': expected letters a-z, digits 0-9, "
		 "'_' or '-'"},
		{"code,parent,title,max_points,source,rule\nA,,\"x\x01y\",1,self,manual\n",
		 CS_EPARSE, "t.csv:2:3: title of node 'A' holds the control character U+0001"},
		{"code,parent,title,max_points,source,rule\nA,,x,1\xff,self,manual\n", CS_EUTF8,
		 "t.csv:2:4: invalid UTF-8 in column 'max_points' at byte 2 of the cell; save the "
		 "file as UTF-8"},
		{"code,parent,title,max_points,source,rule,code\n", CS_EPARSE,
		 "t.csv:1:7: duplicate column 'code' (first in column 1)"},
		{"code,parent,,max_points,source,rule\n", CS_EPARSE,
		 "t.csv:1:3: column 3 of the header has no name; expected columns "
		 "code,parent,title,max_points,source,rule and optionally params,applies_to"},
		{"code,parent,title,max_points,source,rule\nA,,x,1e400,self,manual\n", CS_EPARSE,
		 "t.csv:2:4: max_points of node 'A': expected a number such as 14.5 or 14,5, found "
		 "'1e400'"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cs_framework *fw = NULL;
		struct cs_error err;
		enum cs_err rc = cs_framework_table_parse_csv(
			"t.csv", cases[i].text, strlen(cases[i].text), &test_info, &fw, NULL, &err);

		if (rc != cases[i].code || strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("case %zu: got %s '%s'", i, cs_err_name(rc), err.msg);
		assert_null(fw);
	}
}

/* Both decimal forms read the same number. */
static void test_decimal_comma(void **state)
{
	static const char text[] = "code,parent,title,max_points,source,rule\n"
				   "A,,x,\"14,5\",self,manual\n"
				   "B,,y,14.5,self,manual\n"
				   "C,,z,\" 0,25 \",self,manual\n";
	struct cs_framework *fw = NULL;
	struct cs_error err;

	(void)state;
	assert_int_equal(cs_framework_table_parse_csv("t.csv", text, sizeof(text) - 1, &test_info,
						      &fw, NULL, &err),
			 CS_OK);
	assert_true(node(fw, "A")->max == 14.5);
	assert_true(node(fw, "B")->max == 14.5);
	assert_true(node(fw, "C")->max == 0.25);
	cs_framework_free(fw);
}

/* The nodes part of a framework's canonical JSON, from "nodes" on. */
static char *nodes_json(const struct cs_framework *fw)
{
	struct cs_buf b;
	char *s;

	cs_buf_init(&b, 1u << 24);
	assert_int_equal(cs_framework_json_write(fw, NULL, &b, NULL), CS_OK);
	s = strstr(b.data, "  \"nodes\": [");
	assert_non_null(s);
	s = strdup(s);
	cs_buf_release(&b);
	return s;
}

/* JSON -> table -> framework keeps every node; the table written again is the same. */
static void test_csv_round_trip(void **state)
{
	static const char *const files[] = {"example-small.json", "moha-province-2017.json",
					    "police-unit-template.json"};

	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct cs_framework *fw = NULL, *back = NULL;
		struct cs_error err;
		struct cs_buf csv, again;
		char path[1024], *text, *a, *b;
		size_t len;

		snprintf(path, sizeof(path), DATA "%s", files[f]);
		text = slurp(path, &len);
		assert_int_equal(cs_framework_json_parse(files[f], text, len, &fw, NULL, &err),
				 CS_OK);
		cs_buf_init(&csv, 1u << 24);
		cs_buf_init(&again, 1u << 24);
		assert_int_equal(cs_framework_table_write_csv(fw, &csv, &err), CS_OK);
		if (cs_framework_table_parse_csv("x.csv", csv.data, csv.len, cs_framework_info(fw),
						 &back, NULL, &err))
			fail_msg("%s: %s\n%s", files[f], err.msg, csv.data);
		assert_int_equal(cs_framework_table_write_csv(back, &again, &err), CS_OK);
		assert_string_equal(again.data, csv.data);
		a = nodes_json(fw);
		b = nodes_json(back);
		assert_string_equal(a, b);
		if (f == 0) {
			assert_non_null(strstr(csv.data, "code,parent,title,max_points,source,rule,"
							 "params,applies_to\n"));
			assert_non_null(strstr(csv.data,
					       "B.1,B,Tỷ lệ hồ sơ thủ tục hành chính giải "
					       "quyết đúng hạn,15,self,steps,\"bounds=1,"
					       "0.95,0.9;points=1,0.75,0.5\",\n"));
			assert_non_null(strstr(csv.data, "B,,Cải cách thủ tục hành chính,40,,,,"
							 "flags=tthc\n"));
		}
		free(a);
		free(b);
		cs_buf_release(&csv);
		cs_buf_release(&again);
		cs_framework_free(fw);
		cs_framework_free(back);
		free(text);
	}
}

static void test_text_forms(void **state)
{
	static const struct cs_rule_param params[] = {{"bounds", "1,0.8"}, {"points", "1,0.5"}};
	static const struct cs_fw_applies applies[] = {
		{CS_APPLIES_FLAG, CS_LEVEL_OTHER, "tthc"},
		{CS_APPLIES_LEVEL, CS_LEVEL_DISTRICT, NULL},
		{CS_APPLIES_NOT_FLAG, CS_LEVEL_OTHER, "unranked"},
		{CS_APPLIES_LEVEL, CS_LEVEL_COMMUNE, NULL},
	};
	struct cs_fw_node n = {.params = params, .nparams = 2, .applies = applies, .napplies = 4};
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 1000);
	assert_int_equal(cs_fw_params_text(&n, &b, NULL), CS_OK);
	assert_string_equal(b.data, "bounds=1,0.8;points=1,0.5");
	cs_buf_reset(&b);
	assert_int_equal(cs_fw_applies_text(&n, &b, NULL), CS_OK);
	assert_string_equal(b.data, "levels=district,commune;flags=tthc;not_flags=unranked");
	cs_buf_reset(&b);
	n.nparams = n.napplies = 0;
	assert_int_equal(cs_fw_applies_text(&n, &b, NULL), CS_OK);
	assert_int_equal(cs_fw_params_text(&n, &b, NULL), CS_OK);
	assert_int_equal(b.len, 0);
	cs_buf_release(&b);
}

static void test_band_sets(void **state)
{
	static const char text[] =
		"code,parent,title,max_points,source,rule\nA,,x,100,self,yesno\n";
	static const char *const sets[] = {"moha", "police"};
	static const size_t counts[] = {4, 5};

	(void)state;
	for (int s = 0; s < 2; s++) {
		struct cs_framework *fw = NULL;
		struct cs_error err;

		assert_int_equal(cs_framework_table_parse_csv("t.csv", text, sizeof(text) - 1,
							      &test_info, &fw, NULL, &err),
				 CS_OK);
		assert_int_equal(cs_framework_add_band_set(fw, sets[s], &err), CS_OK);
		assert_int_equal(cs_framework_validate(fw, &err), CS_OK);
		assert_int_equal(cs_framework_band_count(fw), counts[s]);
		/* M2.5 at the boundaries. */
		if (s == 0) {
			assert_string_equal(
				cs_framework_band(fw, cs_framework_band_for(fw, 90))->code, "A");
			assert_string_equal(
				cs_framework_band(fw, cs_framework_band_for(fw, 89.99))->code, "B");
			assert_string_equal(
				cs_framework_band(fw, cs_framework_band_for(fw, 69.99))->code, "D");
		} else {
			assert_string_equal(
				cs_framework_band(fw, cs_framework_band_for(fw, 95))->code, "XS");
			assert_string_equal(
				cs_framework_band(fw, cs_framework_band_for(fw, 94.99))->label_vi,
				"Tốt");
			assert_string_equal(
				cs_framework_band(fw, cs_framework_band_for(fw, 49.99))->code,
				"KHT");
		}
		assert_int_equal(cs_framework_add_band_set(fw, "mona", &err), CS_ENOTFOUND);
		assert_string_equal(err.msg, "no band set 'mona' (expected moha or police)");
		cs_framework_free(fw);
	}
}

/* Validation messages are placed on their node's line; others get the file name. */
static void test_locate(void **state)
{
	static const char text[] = "code,parent,title,max_points,source,rule\n"
				   "\n"
				   "A,,x,5,,\n"
				   "A.1,Q,y,5,self,manual\n";
	struct cs_framework *fw = NULL;
	struct cs_fw_table_lines lines;
	struct cs_error err, e = {CS_EINVAL, "framework: no nodes"};
	struct cs_vec problems;

	(void)state;
	assert_int_equal(cs_framework_table_parse_csv("t.csv", text, sizeof(text) - 1, &test_info,
						      &fw, &lines, &err),
			 CS_OK);
	cs_vec_init(&problems, sizeof(struct cs_error), 10);
	assert_int_equal(cs_framework_validate_all(fw, &problems, &err), CS_EINVAL);
	assert_int_equal(cs_vec_push(&problems, &e, NULL), CS_OK);
	snprintf(e.msg, sizeof(e.msg), "node 'NOPE': x");
	assert_int_equal(cs_vec_push(&problems, &e, NULL), CS_OK);
	cs_framework_table_locate("t.csv", fw, &lines, &problems);
	assert_int_equal(problems.len, 3);
	assert_string_equal(((struct cs_error *)cs_vec_at(&problems, 0))->msg,
			    "t.csv:4: node 'A.1': unknown parent 'Q'");
	assert_string_equal(((struct cs_error *)cs_vec_at(&problems, 1))->msg,
			    "t.csv: framework: no nodes");
	assert_string_equal(((struct cs_error *)cs_vec_at(&problems, 2))->msg,
			    "t.csv: node 'NOPE': x");
	cs_vec_release(&problems);
	cs_fw_table_lines_release(&lines);
	cs_framework_free(fw);
}

static void test_alloc_failure(void **state)
{
	static const char *const files[] = {"good.csv", "good.xlsx"};

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		char path[1024], *text;
		size_t len;
		long n;

		snprintf(path, sizeof(path), GOLDEN "%s", files[f]);
		text = slurp(path, &len);
		for (n = 0;; n++) {
			struct cs_framework *fw = NULL;
			struct cs_fw_table_lines lines = {0};
			struct cs_error err;
			enum cs_err rc;

			cs_alloc_fail_after(n);
			rc = parse_table(files[f], text, len, &fw, &lines, &err);
			cs_alloc_fail_after(-1);
			if (rc == CS_OK) {
				assert_int_equal(lines.n, cs_framework_node_count(fw));
				cs_fw_table_lines_release(&lines);
				cs_framework_free(fw);
				break;
			}
			if (rc != CS_ENOMEM)
				fail_msg("%s, allocation %ld: %s", files[f], n, err.msg);
			assert_null(fw);
			assert_null(lines.lines);
			assert_true(n < 5000);
		}
		assert_true(n > 5);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),	      cmocka_unit_test(test_good_csv),
		cmocka_unit_test(test_good_xlsx),     cmocka_unit_test(test_errors),
		cmocka_unit_test(test_decimal_comma), cmocka_unit_test(test_csv_round_trip),
		cmocka_unit_test(test_text_forms),    cmocka_unit_test(test_band_sets),
		cmocka_unit_test(test_locate),	      cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
