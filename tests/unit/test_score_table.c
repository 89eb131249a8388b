/*
 * Tests of the PAR score table reader (io/score_table.h): CSV and XLSX
 * parsing, every message with its file:line:col, the checks against a
 * framework built with the core builder and a unit set, and out of memory.
 */
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
#include <xlsxwriter.h>

#include "core/framework.h"
#include "io/score_table.h"
#include "util/alloc.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* A: A.1 manual 20, A.2 ratio 30; B (tthc only): B.1 survey, B.2 manual 10; X bonus 2; Y penalty 5. */
static struct cs_framework *framework(void)
{
	static const struct cs_rule_param linear[] = {{"lo", "50"}, {"hi", "100"}};
	static const struct cs_rule_param half[] = {{"step", "0.5"}};
	static const struct cs_fw_applies tthc[] = {{CS_APPLIES_FLAG, CS_LEVEL_OTHER, "tthc"}};
	const struct cs_fw_node_spec nodes[] = {
		{"A", NULL, "A", NAN, NULL, NULL, NULL, 0, NULL, 0},
		{"A.1", "A", "A.1", 20, "self", "manual", NULL, 0, NULL, 0},
		{"A.2", "A", "A.2", 30, "self", "ratio", NULL, 0, NULL, 0},
		{"B", NULL, "B", NAN, NULL, NULL, NULL, 0, tthc, 1},
		{"B.1", "B", "B.1", 15, "survey", "linear", linear, 2, NULL, 0},
		{"B.2", "B", "B.2", 10, "self", "manual", NULL, 0, NULL, 0},
		{"X", NULL, "X", 2, "bonus", "manual", half, 1, NULL, 0},
		{"Y", NULL, "Y", 5, "penalty", "manual", NULL, 0, NULL, 0},
	};
	const struct cs_fw_band bands[] = {{"A", "Tốt", "Good", 90, 100},
					   {"D", "Yếu", "Weak", 0, 90}};
	struct cs_fw_info info = {"golden", "Test", "QĐ 1", "1"};
	struct cs_error err = {0};
	struct cs_framework *fw = cs_framework_new(&info, &err);

	assert_non_null(fw);
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		assert_int_equal(cs_framework_add_node(fw, &nodes[i], NULL, &err), CS_OK);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(cs_framework_add_band(fw, &bands[i], &err), CS_OK);
	assert_int_equal(cs_framework_validate(fw, &err), CS_OK);
	return fw;
}

static void add_unit(struct cs_unit_set *set, int64_t id, const char *code, enum cs_level level,
		     const char *flags, const char *valid_to)
{
	struct cs_unit u = {0};

	u.id = id;
	u.code = code;
	u.name = code;
	u.level = level;
	u.flags = flags;
	u.valid_to = valid_to;
	assert_int_equal(cs_unit_set_add(set, &u, NULL), CS_OK);
}

static void units(struct cs_unit_set *set)
{
	cs_unit_set_init(set);
	add_unit(set, 1, "U1", CS_LEVEL_PROVINCE, NULL, NULL);
	add_unit(set, 2, "D1", CS_LEVEL_DEPARTMENT, "tthc", NULL);
	add_unit(set, 3, "OLD", CS_LEVEL_DISTRICT, NULL, "2020-06-30");
}

static enum cs_err parse(const char *text, struct cs_score_table *t, struct cs_error *err)
{
	cs_score_table_init(t);
	return cs_score_table_parse_csv("s.csv", text, strlen(text), t, err);
}

static void test_parse(void **state)
{
	struct cs_score_table t;
	struct cs_error err = {0};
	const struct cs_score_row *r;

	(void)state;
	assert_int_equal(parse("\xef\xbb\xbf"
			       " Unit ,NODE,self,appraised,note,reason\r\n"
			       "U1,A.1,\"8,5\",8.25,\"ghi chú, có dấu phẩy\",thiếu\r\n"
			       "\r\n"
			       ",,,,,\r\n"
			       "U1,A.2,na,N/A,,\r\n"
			       "U1,B.2,,Không áp dụng,,\r\n"
			       "D1,X,-0,1e-1,,\r\n",
			       &t, &err),
			 CS_OK);
	assert_int_equal(t.rows.len, 4);
	assert_false(t.xlsx);
	assert_int_equal(t.col[CS_SCORE_COL_UNIT], 1);
	assert_int_equal(t.col[CS_SCORE_COL_REASON], 6);
	r = cs_score_table_at(&t, 0);
	assert_int_equal(r->line, 2);
	assert_string_equal(r->unit, "U1");
	assert_string_equal(r->node, "A.1");
	assert_int_equal(r->self.kind, CS_SCORE_VALUE);
	assert_true(r->self.value == 8.5);
	assert_true(r->appraised.value == 8.25);
	assert_string_equal(r->note, "ghi chú, có dấu phẩy");
	assert_string_equal(r->reason, "thiếu");
	r = cs_score_table_at(&t, 1);
	assert_int_equal(r->line, 5);
	assert_int_equal(r->self.kind, CS_SCORE_NA);
	assert_int_equal(r->appraised.kind, CS_SCORE_NA);
	assert_null(r->note);
	assert_null(r->reason);
	r = cs_score_table_at(&t, 2);
	assert_int_equal(r->self.kind, CS_SCORE_EMPTY);
	assert_int_equal(r->appraised.kind, CS_SCORE_NA);
	r = cs_score_table_at(&t, 3);
	assert_int_equal(r->self.kind, CS_SCORE_VALUE);
	assert_false(signbit(r->self.value));
	assert_true(r->appraised.value == 0.1);
	cs_score_table_release(&t);

	/* Columns in any order, optional ones absent. */
	assert_int_equal(parse("node,appraised,unit\nA.1,7,U1\n", &t, &err), CS_OK);
	assert_int_equal(t.col[CS_SCORE_COL_SELF], 0);
	assert_int_equal(t.col[CS_SCORE_COL_UNIT], 3);
	r = cs_score_table_at(&t, 0);
	assert_int_equal(r->self.kind, CS_SCORE_EMPTY);
	assert_true(r->appraised.value == 7);
	cs_score_table_release(&t);

	/* A header alone gives no rows. */
	assert_int_equal(parse("unit,node,self\n", &t, &err), CS_OK);
	assert_int_equal(t.rows.len, 0);
	cs_score_table_release(&t);
}

static void test_values(void **state)
{
	struct cs_score_value a = {CS_SCORE_VALUE, 1}, b = {CS_SCORE_VALUE, 1};
	struct cs_score_value na = {CS_SCORE_NA, 0}, empty = {CS_SCORE_EMPTY, 0};

	(void)state;
	assert_true(cs_score_value_eq(a, b));
	b.value = 2;
	assert_false(cs_score_value_eq(a, b));
	assert_false(cs_score_value_eq(a, na));
	assert_true(cs_score_value_eq(na, (struct cs_score_value){CS_SCORE_NA, 5}));
	assert_false(cs_score_value_eq(na, empty));
	assert_string_equal(cs_score_col_name(CS_SCORE_COL_APPRAISED), "appraised");
	assert_null(cs_score_col_name(CS_SCORE_COL_COUNT_));
}

static void expect_parse_error(const char *text, enum cs_err code, const char *msg)
{
	struct cs_score_table t;
	struct cs_error err = {0};

	if (parse(text, &t, &err) != code)
		fail_msg("'%s' gave '%s'", text, err.msg);
	assert_string_equal(err.msg, msg);
	cs_score_table_release(&t);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_parse_error("", CS_EPARSE,
			   "s.csv:1: empty file; expected columns unit,node and at least one of "
			   "self,appraised, and optionally note,reason");
	expect_parse_error(
		"unit,self\nU1,1\n", CS_EPARSE,
		"s.csv:1: missing column 'node'; expected columns unit,node and at least "
		"one of self,appraised, and optionally note,reason");
	expect_parse_error(
		"unit,node,note\n", CS_EPARSE,
		"s.csv:1: missing column 'self' or 'appraised'; expected columns "
		"unit,node and at least one of self,appraised, and optionally note,reason");
	expect_parse_error(
		"unit,node,self,điểm\n", CS_EPARSE,
		"s.csv:1:4: unknown column 'điểm'; expected columns unit,node and at least "
		"one of self,appraised, and optionally note,reason");
	expect_parse_error(
		"unit,node,self,,\n", CS_EPARSE,
		"s.csv:1:4: column 4 of the header has no name; expected columns "
		"unit,node and at least one of self,appraised, and optionally note,reason");
	expect_parse_error("unit,node,self,Self\n", CS_EPARSE,
			   "s.csv:1:4: duplicate column 'self' (first in column 3)");
	expect_parse_error(
		"unit;node;self\n", CS_EPARSE,
		"s.csv:1: the header 'unit;node;self' is separated by ';'; save the file "
		"with ',' between columns (in Excel: CSV UTF-8, comma delimited)");
	expect_parse_error("unit,node,self\nU1,A.1\n", CS_EPARSE,
			   "s.csv:2: row has 2 fields; expected 3, one per header column");
	expect_parse_error("unit,node,self\n,A.1,1\n", CS_EPARSE, "s.csv:2:1: empty unit code");
	expect_parse_error("unit,node,self\nU1,,1\n", CS_EPARSE, "s.csv:2:2: empty node code");
	expect_parse_error("unit,node,self\nU 1,A.1,1\n", CS_EPARSE,
			   "s.csv:2:1: unit code 'U 1' has a character other than A-Z a-z 0-9 '.' "
			   "'_' '-'");
	expect_parse_error(
		"unit,node,self\nU1,"
		"N1234567890123456789012345678901234567890123456789012345678901234,1\n",
		CS_EPARSE,
		"s.csv:2:2: node code 'N123456789012345678901234567890123456789...' is 65 "
		"bytes long; at most 64");
	expect_parse_error("unit,node,self\nU1,A.1,8.5.1\n", CS_EPARSE,
			   "s.csv:2:3: self score '8.5.1' of unit 'U1' node 'A.1' is not a number; "
			   "expected a number such as 8.5 or 8,5, 'na' for not applicable, or an "
			   "empty cell for not yet");
	expect_parse_error("unit,node,appraised\nU1,A.1,1.234,5\n", CS_EPARSE,
			   "s.csv:2: row has 4 fields; expected 3, one per header column");
	expect_parse_error("unit,node,appraised\nU1,A.1,nan\n", CS_EPARSE,
			   "s.csv:2:3: appraised score 'nan' of unit 'U1' node 'A.1' is not a "
			   "number; expected a number such as 8.5 or 8,5, 'na' for not applicable, "
			   "or an empty cell for not yet");
	expect_parse_error("unit,node,self\nU1,A.1,1\n\nU1,A.1,2\n", CS_EPARSE,
			   "s.csv:4:1: duplicate row for unit 'U1' node 'A.1' (first at line 2)");
	expect_parse_error("unit,node,self,note\nU1,A.1,1,\xc3\x28\n", CS_EUTF8,
			   "s.csv:2:4: invalid UTF-8 in column 'note' at byte 1 of the field; save "
			   "the file as UTF-8");
	expect_parse_error(
		"unit,node,self,gh\xc3i ch\xc3\xba\n", CS_EUTF8,
		"s.csv:1:4: invalid UTF-8 in the header at byte 3 of the field; save the "
		"file as UTF-8");
	expect_parse_error(
		"unit;node;\xff\n", CS_EUTF8,
		"s.csv:1:1: invalid UTF-8 in the header at byte 11 of the field; save the "
		"file as UTF-8");
	expect_parse_error("unit,node,self\nU1,A.1,\"1\n", CS_EPARSE,
			   "s.csv:2:3: the quote opening field 3 is never closed; add the closing "
			   "'\"'");
}

static void test_long_text(void **state)
{
	struct cs_score_table t;
	struct cs_error err = {0};
	char *text = malloc(CS_SCORE_TEXT_MAX + 100);

	(void)state;
	assert_non_null(text);
	memcpy(text, "unit,node,self,reason\nU1,A.1,1,", 31);
	memset(text + 31, 'x', CS_SCORE_TEXT_MAX + 1);
	text[31 + CS_SCORE_TEXT_MAX + 1] = '\n';
	text[31 + CS_SCORE_TEXT_MAX + 2] = '\0';
	assert_int_equal(parse(text, &t, &err), CS_EPARSE);
	assert_string_equal(err.msg, "s.csv:2:4: reason is 4001 bytes long; at most 4000");
	cs_score_table_release(&t);
	free(text);
}

/* Many rows: the duplicate set grows and still finds the first line. */
static void test_many_rows(void **state)
{
	struct cs_score_table t;
	struct cs_error err = {0};
	size_t cap = 64 + 3000 * 32, len = 0;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len, "unit,node,self\n");
	for (int i = 0; i < 3000; i++)
		len += (size_t)snprintf(text + len, cap - len, "U%d,A.1,1\n", i);
	len += (size_t)snprintf(text + len, cap - len, "U1234,A.1,2\n");
	assert_int_equal(parse(text, &t, &err), CS_EPARSE);
	assert_string_equal(err.msg,
			    "s.csv:3002:1: duplicate row for unit 'U1234' node 'A.1' (first at "
			    "line 1236)");
	assert_int_equal(t.rows.len, 3000);
	cs_score_table_release(&t);
	free(text);
}

static void check_row(const char *row, enum cs_err code, const char *msg)
{
	struct cs_framework *fw = framework();
	struct cs_unit_set set;
	struct cs_score_table t;
	struct cs_error err = {0};
	char text[512];

	units(&set);
	snprintf(text, sizeof(text), "unit,node,self,appraised\n%s\n", row);
	assert_int_equal(parse(text, &t, &err), CS_OK);
	assert_int_equal(cs_score_table_check(&t, fw, &set, "2024-01-01", "2024-12-31", &err),
			 code);
	if (msg)
		assert_string_equal(err.msg, msg);
	cs_score_table_release(&t);
	cs_unit_set_release(&set);
	cs_framework_free(fw);
}

static void test_check(void **state)
{
	(void)state;
	check_row("U1,A.1,20,19.75", CS_OK, NULL);
	check_row("D1,B.2,na,10", CS_OK, NULL);
	check_row("U1,A.2,0,1", CS_OK, NULL);
	check_row("U1,X,2,", CS_OK, NULL);
	check_row("U1,Y,,5", CS_OK, NULL);
	check_row("U9,A.1,1,", CS_EPARSE,
		  "s.csv:2:1: unknown unit 'U9'; import it first with 'chiso unit import'");
	check_row("OLD,A.1,1,", CS_EPARSE,
		  "s.csv:2:1: unit 'OLD' does not exist during the period 2024-01-01 to "
		  "2024-12-31 (valid ... to 2020-06-30)");
	check_row("U1,Z,1,", CS_EPARSE,
		  "s.csv:2:2: unknown node 'Z' in framework 'golden' version '1'");
	check_row("U1,A,1,", CS_EPARSE,
		  "s.csv:2:2: node 'A' is not a leaf: its points are the sum of its children "
		  "(A.1, A.2); score those instead");
	check_row("D1,B.1,60,", CS_EPARSE,
		  "s.csv:2:2: node 'B.1' takes its points from survey results (source survey); "
		  "they are not imported as scores");
	check_row("U1,B.2,1,", CS_EPARSE,
		  "s.csv:2:2: node 'B.2' does not apply to unit 'U1' (level province, flags "
		  "''); see its applies_to in the framework");
	check_row("U1,A.1,20.25,", CS_EPARSE,
		  "s.csv:2:3: self score 20.25 of unit 'U1' node 'A.1' is above its maximum 20");
	check_row("U1,A.1,,-0.5", CS_EPARSE,
		  "s.csv:2:4: appraised score -0.5 of unit 'U1' node 'A.1' is negative; "
		  "expected 0 to 20");
	check_row("U1,A.1,19.1,", CS_EPARSE,
		  "s.csv:2:3: self score of unit 'U1' node 'A.1' (rule manual): value 19.1 is "
		  "not a multiple of step 0.25");
	check_row("U1,A.2,1.01,", CS_EPARSE,
		  "s.csv:2:3: self score of unit 'U1' node 'A.2' (rule ratio): value 1.01 is "
		  "not a rate in [0, 1]");
	check_row("U1,X,2.5,", CS_EPARSE,
		  "s.csv:2:3: self score 2.5 of unit 'U1' node 'X' is above its bonus cap 2");
	check_row("U1,X,1.25,", CS_EPARSE,
		  "s.csv:2:3: self score of unit 'U1' node 'X' (rule manual): value 1.25 is "
		  "not a multiple of step 0.5");
	check_row("U1,Y,,6", CS_EPARSE,
		  "s.csv:2:4: appraised score 6 of unit 'U1' node 'Y' is above its penalty cap "
		  "5");
}

static void test_check_ids(void **state)
{
	struct cs_framework *fw = framework();
	struct cs_unit_set set;
	struct cs_score_table t;
	struct cs_error err = {0};
	size_t i;

	(void)state;
	units(&set);
	assert_int_equal(parse("unit,node,self\nD1,B.2,3\nU1,Y,1\n", &t, &err), CS_OK);
	/* No period given: validity dates are not looked at. */
	assert_int_equal(cs_score_table_check(&t, fw, &set, NULL, NULL, &err), CS_OK);
	assert_int_equal(cs_score_table_at(&t, 0)->unit_id, 2);
	assert_true(cs_framework_find(fw, "B.2", &i));
	assert_int_equal(cs_score_table_at(&t, 0)->node_index, i);
	assert_int_equal(cs_score_table_at(&t, 1)->unit_id, 1);
	cs_score_table_release(&t);
	cs_unit_set_release(&set);
	cs_framework_free(fw);
}

/* Writes a workbook with libxlsxwriter and reads it back. */
static char *write_workbook(const char *name, void (*fill)(lxw_worksheet *), size_t *len)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	lxw_workbook *wb;
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s-%d.xlsx", tmp && *tmp ? tmp : "/tmp", name,
		 (int)getpid());
	wb = workbook_new(path);
	assert_non_null(wb);
	workbook_add_worksheet(wb, "Ẩn");
	fill(workbook_add_worksheet(wb, "Điểm"));
	worksheet_hide(workbook_get_worksheet_by_name(wb, "Ẩn"));
	worksheet_activate(workbook_get_worksheet_by_name(wb, "Điểm"));
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(path);
	*len = (size_t)n;
	return data;
}

static void fill_good(lxw_worksheet *ws)
{
	const char *head[] = {"unit", "node", "self", "appraised", "note", "reason"};

	for (int c = 0; c < 6; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
	worksheet_write_string(ws, 1, 0, "U1", NULL);
	worksheet_write_string(ws, 1, 1, "A.1", NULL);
	worksheet_write_number(ws, 1, 2, 8.5, NULL);
	worksheet_write_string(ws, 1, 3, "8,25", NULL);
	worksheet_write_string(ws, 1, 5, "lý do", NULL);
	/* Row 3 is empty; row 4 has a value in the note column only after blanks. */
	worksheet_write_string(ws, 3, 0, "U1", NULL);
	worksheet_write_string(ws, 3, 1, "A.2", NULL);
	worksheet_write_string(ws, 3, 2, "NA", NULL);
	worksheet_write_string(ws, 3, 4, "ghi chú", NULL);
}

static void fill_bool(lxw_worksheet *ws)
{
	worksheet_write_string(ws, 0, 0, "unit", NULL);
	worksheet_write_string(ws, 0, 1, "node", NULL);
	worksheet_write_string(ws, 0, 2, "self", NULL);
	worksheet_write_string(ws, 1, 0, "U1", NULL);
	worksheet_write_string(ws, 1, 1, "A.1", NULL);
	worksheet_write_boolean(ws, 1, 2, 1, NULL);
}

static void fill_wide(lxw_worksheet *ws)
{
	worksheet_write_string(ws, 0, 0, "unit", NULL);
	worksheet_write_string(ws, 0, 1, "node", NULL);
	worksheet_write_string(ws, 0, 2, "self", NULL);
	worksheet_write_string(ws, 1, 0, "U1", NULL);
	worksheet_write_string(ws, 1, 1, "A.1", NULL);
	worksheet_write_number(ws, 1, 4, 3, NULL);
}

static void test_xlsx(void **state)
{
	struct cs_score_table t;
	struct cs_error err = {0};
	const struct cs_score_row *r;
	char where[CS_SCORE_WHERE_MAX];
	size_t len;
	char *data = write_workbook("good", fill_good, &len);

	(void)state;
	assert_true(cs_score_table_is_xlsx(data, len));
	assert_false(cs_score_table_is_xlsx("unit,node", 9));
	cs_score_table_init(&t);
	assert_int_equal(cs_score_table_parse_xlsx("s.xlsx", data, len, NULL, &t, &err), CS_OK);
	assert_true(t.xlsx);
	assert_int_equal(t.rows.len, 2);
	r = cs_score_table_at(&t, 0);
	assert_int_equal(r->line, 2);
	assert_true(r->self.value == 8.5);
	assert_true(r->appraised.value == 8.25);
	assert_string_equal(r->reason, "lý do");
	r = cs_score_table_at(&t, 1);
	assert_int_equal(r->line, 4);
	assert_int_equal(r->self.kind, CS_SCORE_NA);
	assert_int_equal(r->appraised.kind, CS_SCORE_EMPTY);
	assert_string_equal(r->note, "ghi chú");
	assert_string_equal(cs_score_table_where(&t, 4, CS_SCORE_COL_SELF, where),
			    "s.xlsx:4:3 (cell C4)");
	assert_string_equal(cs_score_table_where(&t, 4, CS_SCORE_COL_COUNT_, where), "s.xlsx:4");
	cs_score_table_release(&t);

	/* The hidden sheet by name: it is empty. */
	cs_score_table_init(&t);
	assert_int_equal(cs_score_table_parse_xlsx("s.xlsx", data, len, "ẩn", &t, &err), CS_EPARSE);
	assert_string_equal(err.msg,
			    "s.xlsx: sheet 'Ẩn' is empty; expected columns unit,node and at least "
			    "one of self,appraised, and optionally note,reason");
	cs_score_table_release(&t);
	cs_score_table_init(&t);
	assert_int_equal(cs_score_table_parse_xlsx("s.xlsx", data, len, "Scores", &t, &err),
			 CS_ENOTFOUND);
	cs_score_table_release(&t);
	free(data);

	data = write_workbook("bool", fill_bool, &len);
	cs_score_table_init(&t);
	assert_int_equal(cs_score_table_parse_xlsx("b.xlsx", data, len, NULL, &t, &err), CS_EPARSE);
	assert_string_equal(
		err.msg, "b.xlsx:2:3 (cell C2): self score 'TRUE' is a TRUE/FALSE value; expected "
			 "a number such as 8.5 or 8,5, 'na' for not applicable, or an empty cell "
			 "for not yet");
	cs_score_table_release(&t);
	free(data);

	data = write_workbook("wide", fill_wide, &len);
	cs_score_table_init(&t);
	assert_int_equal(cs_score_table_parse_xlsx("w.xlsx", data, len, NULL, &t, &err), CS_EPARSE);
	assert_string_equal(err.msg, "w.xlsx:2:5 (cell E2): a value outside the columns of the "
				     "header; expected 3 columns");
	cs_score_table_release(&t);
	free(data);

	cs_score_table_init(&t);
	assert_int_equal(cs_score_table_parse_xlsx("x.xlsx", "PK\x03\x04junk", 8, NULL, &t, &err),
			 CS_EPARSE);
	cs_score_table_release(&t);
}

static void test_out_of_memory(void **state)
{
	const char *text = "unit,node,self,appraised,note,reason\n"
			   "U1,A.1,20,19.75,ghi chú,lý do\n"
			   "D1,B.2,na,10,,\n"
			   "U1,X,2,,,\n";
	struct cs_framework *fw = framework();
	struct cs_unit_set set;
	struct cs_score_table t;
	struct cs_error err = {0};
	enum cs_err rc = CS_ENOMEM;
	size_t len = 0;
	char *data = write_workbook("oom", fill_good, &len);
	long n;

	(void)state;
	units(&set);
	for (n = 0; n < 10000; n++) {
		cs_score_table_init(&t);
		cs_alloc_fail_after(n);
		rc = cs_score_table_parse_csv("s.csv", text, strlen(text), &t, &err);
		if (rc == CS_OK)
			rc = cs_score_table_check(&t, fw, &set, "2024-01-01", "2024-12-31", &err);
		cs_alloc_fail_after(-1);
		cs_score_table_release(&t);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 5);
	for (n = 0; n < 100000; n++) {
		cs_score_table_init(&t);
		cs_alloc_fail_after(n);
		rc = cs_score_table_parse_xlsx("s.xlsx", data, len, NULL, &t, &err);
		cs_alloc_fail_after(-1);
		cs_score_table_release(&t);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
	}
	assert_int_equal(rc, CS_OK);
	free(data);
	cs_unit_set_release(&set);
	cs_framework_free(fw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_ids),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
