/*
 * Tests of the response importer (io/response_import.h): CSV, JSON lines and
 * XLSX files against a questionnaire and a unit list; every problem it must
 * name (unknown unit or column, values outside an item's scale, weights and
 * fpc, missing required answers, duplicate ids from the sink) with its
 * file:line:col; limits on kept messages; allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter.h>

#include "core/questionnaire.h"
#include "core/unit.h"
#include "io/response_import.h"
#include "util/alloc.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static struct cs_questionnaire *make_q(void)
{
	struct cs_q_info info = {.code = "t", .title = "Test", .version = "1"};
	struct cs_q_element el = {"E1", "Yếu tố 1", "Element 1"};
	struct cs_q_choice kinds[] = {{"citizen", "Người dân", ""},
				      {"organisation", "Tổ chức", ""}};
	struct cs_q_choice xs[] = {{"a", "A", ""}, {"b", "B", ""}, {"c", "C", ""}};
	struct cs_q_item_spec items[] = {
		{.code = "q1",
		 .element = "E1",
		 .text_vi = "Q1",
		 .type = CS_Q_LIKERT5,
		 .required = true},
		{.code = "q2", .element = "E1", .text_vi = "Q2", .type = CS_Q_LIKERT5},
		{.code = "q3", .element = "E1", .text_vi = "Q3", .type = CS_Q_YESNO},
		{.code = "kind",
		 .text_vi = "Đối tượng",
		 .type = CS_Q_SINGLE,
		 .role = CS_Q_ROLE_RESPONDENT,
		 .field = CS_Q_FIELD_KIND,
		 .choices = kinds,
		 .nchoices = 2},
		{.code = "x",
		 .text_vi = "X",
		 .type = CS_Q_MULTI,
		 .role = CS_Q_ROLE_EXPECTATION,
		 .choices = xs,
		 .nchoices = 3},
		{.code = "age", .text_vi = "Tuổi", .type = CS_Q_NUMBER, .role = CS_Q_ROLE_OTHER},
		{.code = "note", .text_vi = "Ý kiến", .type = CS_Q_TEXT, .role = CS_Q_ROLE_OTHER},
		{.code = "r1",
		 .element = "E1",
		 .text_vi = "R1",
		 .type = CS_Q_LIKERT5,
		 .required = true,
		 .relevant = "${q3} = 1"},
	};
	struct cs_questionnaire *q = cs_questionnaire_new(&info, NULL);

	assert_non_null(q);
	assert_int_equal(cs_questionnaire_add_element(q, &el, NULL), CS_OK);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		assert_int_equal(cs_questionnaire_add_item(q, &items[i], NULL), CS_OK);
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	return q;
}

static void make_units(struct cs_unit_set *set)
{
	struct cs_unit u1 = {
		.id = 11, .code = "U1", .name = "Đơn vị 1", .level = CS_LEVEL_DISTRICT};
	struct cs_unit u2 = {.id = 12, .code = "U2", .name = "Đơn vị 2", .level = CS_LEVEL_COMMUNE};

	cs_unit_set_init(set);
	assert_int_equal(cs_unit_set_add(set, &u1, NULL), CS_OK);
	assert_int_equal(cs_unit_set_add(set, &u2, NULL), CS_OK);
}

/* What the sink saw, copied. */
struct got {
	size_t n;
	char id[8][16];
	int64_t unit[8];
	double weight[8], fpc[8];
	bool has_weight[8];
	char submitted[8][32], kind[8][16], channel[8][16], note[8][32];
	struct cs_q_answer ans[8][8];
	const char *refuse; /* an id the sink refuses as a duplicate */
};

static void copy(char *dst, size_t cap, struct cs_str s)
{
	snprintf(dst, cap, "%.*s", (int)s.len, s.ptr ? s.ptr : "");
}

static enum cs_err sink(void *ctx, const struct cs_response *r, struct cs_error *err)
{
	struct got *g = ctx;
	size_t i = g->n;

	if (g->refuse && cs_str_eq_cstr(r->id, g->refuse))
		return cs_fail(err, CS_EEXIST, "duplicate id '%s': first given at x.csv:2",
			       g->refuse);
	if (i < 8) {
		copy(g->id[i], sizeof(g->id[i]), r->id);
		g->unit[i] = r->unit_id;
		g->weight[i] = r->weight;
		g->has_weight[i] = r->has_weight;
		g->fpc[i] = r->fpc;
		copy(g->submitted[i], sizeof(g->submitted[i]), r->submitted_at);
		copy(g->kind[i], sizeof(g->kind[i]), r->kind);
		copy(g->channel[i], sizeof(g->channel[i]), r->channel);
		copy(g->note[i], sizeof(g->note[i]), r->texts[6]);
		memcpy(g->ans[i], r->answers, 8 * sizeof(struct cs_q_answer));
	}
	g->n++;
	return CS_OK;
}

static enum cs_err import(const char *name, const char *text, enum cs_resp_format fmt,
			  struct got *g, struct cs_resp_import_report *rep, struct cs_error *err)
{
	struct cs_questionnaire *q = make_q();
	struct cs_unit_set units;
	enum cs_err rc;

	make_units(&units);
	cs_resp_import_report_init(rep);
	rc = cs_resp_import(q, &units, name, text, strlen(text), fmt, NULL, sink, g, rep, err);
	cs_unit_set_release(&units);
	cs_questionnaire_free(q);
	return rc;
}

/* True when one of the report's messages is exactly msg. */
static bool has_message(const struct cs_resp_import_report *rep, const char *msg)
{
	for (size_t i = 0; i < rep->messages.len; i++)
		if (strcmp(*(char **)cs_vec_at(&rep->messages, i), msg) == 0)
			return true;
	for (size_t i = 0; i < rep->messages.len; i++)
		print_message("message: %s\n", *(char **)cs_vec_at(&rep->messages, i));
	return false;
}

static void test_csv_good(void **state)
{
	/* The note is written decomposed (e + combining circumflex + dot below):
	 * it must come out in NFC. */
	const char *csv = "\xef\xbb\xbfid,unit,submitted_at,channel,weight,stratum,fpc,q1,q2,q3,"
			  "kind,x,age,note\n"
			  "R1,U1,13/11/2024,paper,\"1,5\",S1,200,5,4,1,organisation,a;c,37,"
			  "Tốt\n"
			  "R2,U2,2024-11-14T08:30:00+07:00,online,2,S1,200,1,,no,citizen,,,"
			  "ke\xcc\x82\xcc\xa3\n"
			  "\n"
			  "R3, U2 ,2024-11-15T01:02:03Z,kiosk,0.5,S2,0.1,3,2,0,,b,4.5,\n";
	struct got g = {0};
	struct cs_resp_import_report rep;
	struct cs_error err = {0};

	(void)state;
	if (import("a.csv", csv, CS_RESP_CSV, &g, &rep, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(rep.rows, 3);
	assert_int_equal(rep.accepted, 3);
	assert_int_equal(rep.errors, 0);
	assert_int_equal(rep.id_col, 1);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.id[0], "R1");
	assert_int_equal(g.unit[0], 11);
	assert_int_equal(g.unit[2], 12);
	assert_true(g.has_weight[0] && g.weight[0] == 1.5);
	assert_true(g.fpc[2] == 0.1);
	assert_string_equal(g.submitted[0], "2024-11-13");
	assert_string_equal(g.submitted[1], "2024-11-14T08:30:00+07:00");
	assert_string_equal(g.kind[0], "organisation");
	assert_string_equal(g.kind[2], "");
	assert_string_equal(g.channel[2], "kiosk");
	assert_true(g.ans[0][0].answered && g.ans[0][0].value == 5);
	assert_true(g.ans[1][2].answered && g.ans[1][2].value == 0);
	assert_false(g.ans[1][1].answered);
	assert_true(g.ans[0][4].choices == 5);
	assert_true(g.ans[2][5].value == 4.5);
	assert_string_equal(g.note[0], "Tốt");
	assert_string_equal(g.note[1], "k\xe1\xbb\x87"); /* ệ precomposed */
	/* r1 is required but has a relevance condition: not enforced. */
	assert_false(g.ans[0][7].answered);
	cs_resp_import_report_release(&rep);
}

/*
 * A required item with a relevance condition (M3.1) must be answered exactly
 * when its condition holds: r1 is asked when q3 = 1.
 */
static void test_required_when_relevant(void **state)
{
	const char *csv = "id,unit,q1,q3,r1\n"
			  "R1,U1,5,1,4\n"
			  "R2,U1,5,0,\n"
			  "R3,U1,5,1,\n";
	struct got g = {0};
	struct cs_resp_import_report rep;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(import("rel.csv", csv, CS_RESP_CSV, &g, &rep, &err), CS_EPARSE);
	assert_int_equal(rep.errors, 1);
	assert_true(has_message(&rep, "rel.csv:4:5: item 'r1': missing answer to a required item "
				      "(its condition ${q3} = 1 holds)"));
	cs_resp_import_report_release(&rep);
}

static void test_csv_problems(void **state)
{
	const char *csv = "id,unit,weight,stratum,fpc,q1,q2,q3,zz,q2\n"
			  "R1,U9,1,S1,10,5,,,,\n"
			  "R2,U1,1,S1,10,7,,,,\n"
			  "R3,U1,0,S1,10,4,,,,\n"
			  "R4,U1,1,S1,10,,,,,\n"
			  "R5,U1,1,S1,20,4,,maybe,,\n"
			  ",U1,1,,10,4,,,,\n"
			  "R7,U1,x,S2,abc,4,,,,\n";
	struct got g = {0};
	struct cs_resp_import_report rep;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(import("bad.csv", csv, CS_RESP_CSV, &g, &rep, &err), CS_EPARSE);
	assert_true(has_message(&rep, "bad.csv:1:9: unknown column 'zz'; expected id, unit, "
				      "submitted_at, channel, weight, stratum, psu, fpc, kind, "
				      "service or an item code of questionnaire 't'"));
	assert_true(has_message(&rep, "bad.csv:1:10: column 'q2' repeats column 7"));
	assert_true(has_message(&rep, "bad.csv:2:2: unknown unit 'U9'; import it with 'chiso "
				      "unit import' first"));
	assert_true(has_message(&rep, "bad.csv:3:6: item 'q1': '7' is not a level of the scale "
				      "(expected 1 to 5)"));
	assert_true(has_message(&rep, "bad.csv:4:3: weight '0': expected a number greater than 0"));
	assert_true(has_message(&rep, "bad.csv:5:6: item 'q1': missing answer to a required item"));
	assert_true(has_message(&rep, "bad.csv:6:5: fpc 20 of stratum 'S1' differs from 10 given "
				      "at line 2; expected one fpc per stratum"));
	assert_true(has_message(&rep, "bad.csv:6:8: item 'q3': 'maybe' is not yes or no (expected "
				      "1, 0, yes, no, có or không)"));
	assert_true(has_message(&rep, "bad.csv:7:1: missing id"));
	assert_true(has_message(&rep, "bad.csv:7:4: missing stratum; the file has a stratum "
				      "column, so every row needs one"));
	assert_true(has_message(&rep, "bad.csv:8:3: weight 'x': expected a number greater than 0"));
	assert_true(has_message(&rep, "bad.csv:8:5: fpc 'abc': expected the stratum's population "
				      "size or a sampling fraction greater than 0"));
	assert_int_equal(rep.errors, 12);
	assert_int_equal(rep.rows, 7);
	/* Rows with a problem never reach the sink. */
	assert_int_equal(g.n, 0);
	assert_string_equal(err.msg,
			    "bad.csv:1:9: unknown column 'zz'; expected id, unit, "
			    "submitted_at, channel, weight, stratum, psu, fpc, kind, service "
			    "or an item code of questionnaire 't' (and 11 more problems)");
	cs_resp_import_report_release(&rep);
}

static void test_header_problems(void **state)
{
	struct got g = {0};
	struct cs_resp_import_report rep;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(import("h.csv", "id,q1\nR1,4\n", CS_RESP_CSV, &g, &rep, &err), CS_EPARSE);
	assert_string_equal(err.msg,
			    "h.csv:1: missing column 'unit'; every row needs an id and a unit");
	assert_int_equal(rep.rows, 0);
	cs_resp_import_report_release(&rep);
	assert_int_equal(import("h.csv", "id,unit,q2\nR1,U1,4\n", CS_RESP_CSV, &g, &rep, &err),
			 CS_EPARSE);
	assert_string_equal(err.msg, "h.csv:1: missing column 'q1' of a required item");
	cs_resp_import_report_release(&rep);
	assert_int_equal(import("h.csv", "", CS_RESP_CSV, &g, &rep, &err), CS_EPARSE);
	assert_string_equal(err.msg, "h.csv:1: no header row: the file is empty");
	cs_resp_import_report_release(&rep);
	assert_int_equal(import("h.csv", "id,unit,q1,,\nR1,U1,4,,x\n", CS_RESP_CSV, &g, &rep, &err),
			 CS_EPARSE);
	assert_true(has_message(&rep, "h.csv:1:4: empty column name"));
	assert_true(has_message(&rep, "h.csv:2:5: value 'x' in a column without a name in the "
				      "header"));
	cs_resp_import_report_release(&rep);
	assert_int_equal(import("h.csv", "id,unit,q1,submitted_at\nR1,U1,4,2024-02-30\n",
				CS_RESP_CSV, &g, &rep, &err),
			 CS_EPARSE);
	assert_string_equal(err.msg,
			    "h.csv:2:4: submitted_at '2024-02-30': expected a date "
			    "YYYY-MM-DD (or DD/MM/YYYY) or a timestamp YYYY-MM-DDTHH:MM:SSZ");
	cs_resp_import_report_release(&rep);
}

static void test_sink_duplicates(void **state)
{
	struct got g = {.refuse = "R2"};
	struct cs_resp_import_report rep;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(import("d.csv", "unit,id,q1\nU1,R1,4\nU1,R2,4\nU2,R3,5\n", CS_RESP_CSV, &g,
				&rep, &err),
			 CS_EPARSE);
	assert_string_equal(err.msg, "d.csv:3:2: duplicate id 'R2': first given at x.csv:2");
	assert_int_equal(rep.accepted, 2);
	cs_resp_import_report_release(&rep);
}

static void test_jsonl(void **state)
{
	const char *good =
		"{\"id\": \"J1\", \"unit\": \"U1\", \"q1\": 5, \"q3\": true, \"x\": [\"a\", "
		"\"b\"], \"weight\": 2.25, \"stratum\": \"S\"}\n"
		"\n"
		"{\"id\": \"J2\", \"unit\": \"U2\", \"q1\": \"4\", \"q2\": null, "
		"\"weight\": 1, \"stratum\": \"S\", \"kind\": \"citizen\"}\n";
	const char *bad = "{\"id\": \"J1\", \"unit\": \"U1\", \"q1\": 9}\n"
			  "[1, 2]\n"
			  "{\"id\": \"J3\", \"unit\": \"U1\", \"q1\": 4, \"zz\": 1, \"q2\": {}}\n"
			  "{\"id\": \"J4\", \"unit\": \"U1\", \"q1\": 4\n"
			  "{\"id\": \"J5\", \"unit\": \"U1\"}\n";
	struct got g = {0};
	struct cs_resp_import_report rep;
	struct cs_error err = {0};

	(void)state;
	if (import("a.jsonl", good, CS_RESP_JSONL, &g, &rep, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.id[1], "J2");
	assert_true(g.ans[0][0].value == 5);
	assert_true(g.ans[0][2].answered && g.ans[0][2].value == 1);
	assert_true(g.ans[0][4].choices == 3);
	assert_true(g.weight[0] == 2.25);
	assert_string_equal(g.kind[1], "citizen");
	cs_resp_import_report_release(&rep);

	memset(&g, 0, sizeof(g));
	assert_int_equal(import("b.jsonl", bad, CS_RESP_JSONL, &g, &rep, &err), CS_EPARSE);
	assert_true(has_message(&rep, "b.jsonl:1: key 'q1': item 'q1': '9' is not a level of the "
				      "scale (expected 1 to 5)"));
	assert_true(has_message(&rep, "b.jsonl:2: expected a JSON object, one respondent per "
				      "line"));
	assert_true(has_message(&rep,
				"b.jsonl:3: key 'zz': unknown column 'zz'; expected id, "
				"unit, submitted_at, channel, weight, stratum, psu, fpc, kind, "
				"service or an item code of questionnaire 't'"));
	assert_true(has_message(&rep, "b.jsonl:3: key 'q2': expected a string, number, boolean, "
				      "null or list of strings"));
	assert_true(has_message(&rep, "b.jsonl:5: key 'q1': item 'q1': missing answer to a "
				      "required item"));
	assert_int_equal(rep.errors, 6);
	cs_resp_import_report_release(&rep);
}

static void test_xlsx(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date;
	lxw_datetime dt = {2024, 11, 13, 0, 0, 0};
	const char *head[] = {"id", "unit", "submitted_at", "weight", "q1", "q3", "x"};
	struct got g = {0};
	struct cs_resp_import_report rep;
	struct cs_error err = {0};
	struct cs_questionnaire *q = make_q();
	struct cs_unit_set units;
	char *data;
	long len;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/test_response_import_%d.xlsx", tmp && *tmp ? tmp : "/tmp",
		 (int)getpid());
	wb = workbook_new(path);
	assert_non_null(wb);
	ws = workbook_add_worksheet(wb, "Phiếu");
	date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy");
	for (int c = 0; c < 7; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
	worksheet_write_string(ws, 1, 0, "X1", NULL);
	worksheet_write_string(ws, 1, 1, "U2", NULL);
	worksheet_write_datetime(ws, 1, 2, &dt, date);
	worksheet_write_number(ws, 1, 3, 1.75, NULL);
	worksheet_write_number(ws, 1, 4, 4, NULL);
	worksheet_write_boolean(ws, 1, 5, 1, NULL);
	worksheet_write_string(ws, 1, 6, "c", NULL);
	worksheet_write_string(ws, 3, 0, "X2", NULL);
	worksheet_write_string(ws, 3, 1, "U1", NULL);
	worksheet_write_number(ws, 3, 3, -1, NULL);
	worksheet_write_number(ws, 3, 4, 6, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)len);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	unlink(path);

	make_units(&units);
	cs_resp_import_report_init(&rep);
	assert_int_equal(cs_resp_import(q, &units, "r.xlsx", data, (size_t)len, CS_RESP_XLSX, NULL,
					sink, &g, &rep, &err),
			 CS_EPARSE);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.id[0], "X1");
	assert_string_equal(g.submitted[0], "2024-11-13");
	assert_true(g.weight[0] == 1.75);
	assert_true(g.ans[0][0].value == 4);
	assert_true(g.ans[0][2].answered && g.ans[0][2].value == 1);
	assert_true(g.ans[0][4].choices == 4);
	/* Excel rows jump: the second data row is row 4. */
	assert_true(has_message(&rep, "r.xlsx:4:4: weight '-1': expected a number greater than 0"));
	assert_true(has_message(&rep, "r.xlsx:4:5: item 'q1': '6' is not a level of the scale "
				      "(expected 1 to 5)"));
	cs_resp_import_report_release(&rep);
	cs_unit_set_release(&units);
	cs_questionnaire_free(q);
	free(data);
}

static void test_limits_and_formats(void **state)
{
	char csv[8192];
	size_t n = 0;
	struct got g = {0};
	struct cs_resp_import_report rep;
	struct cs_error err = {0};
	struct cs_questionnaire *q = make_q();
	struct cs_unit_set units;
	struct cs_resp_import_opts o = {.max_errors = 3};
	enum cs_resp_format fmt;

	(void)state;
	n += (size_t)snprintf(csv + n, sizeof(csv) - n, "id,unit,q1\n");
	for (int i = 0; i < 50; i++)
		n += (size_t)snprintf(csv + n, sizeof(csv) - n, "R%d,U1,0\n", i);
	make_units(&units);
	cs_resp_import_report_init(&rep);
	assert_int_equal(
		cs_resp_import(q, &units, "m.csv", csv, n, CS_RESP_CSV, &o, sink, &g, &rep, &err),
		CS_EPARSE);
	assert_int_equal(rep.errors, 50);
	assert_int_equal(rep.messages.len, 3);
	assert_non_null(strstr(err.msg, "(and 49 more problems)"));
	cs_resp_import_report_release(&rep);
	cs_unit_set_release(&units);
	cs_questionnaire_free(q);

	assert_true(cs_resp_format_from_path("a.CSV", &fmt) && fmt == CS_RESP_CSV);
	assert_true(cs_resp_format_from_path("dir.x/a.xlsx", &fmt) && fmt == CS_RESP_XLSX);
	assert_true(cs_resp_format_from_path("a.ndjson", &fmt) && fmt == CS_RESP_JSONL);
	assert_false(cs_resp_format_from_path("a.xls", &fmt));
	assert_false(cs_resp_format_from_path("csv", &fmt));
	assert_string_equal(cs_resp_format_name(CS_RESP_JSONL), "jsonl");
	assert_null(cs_resp_format_name(CS_RESP_FORMAT_COUNT_));
}

static void test_alloc_failures(void **state)
{
	const char *csv = "id,unit,weight,stratum,fpc,q1,q3,kind,x,note\n"
			  "R1,U1,1,S1,10,5,1,citizen,a;b,Ý kiến\n"
			  "R2,U2,2,S2,20,4,0,organisation,c,\n";
	const char *jsonl = "{\"id\": \"J1\", \"unit\": \"U1\", \"q1\": 5, \"x\": [\"a\"]}\n";
	struct cs_questionnaire *q = make_q();
	struct cs_unit_set units;
	enum cs_err rc = CS_ENOMEM;
	long budget;

	(void)state;
	make_units(&units);
	for (budget = 0; rc == CS_ENOMEM && budget < 10000; budget++) {
		struct got g = {0};
		struct cs_resp_import_report rep;

		cs_resp_import_report_init(&rep);
		cs_alloc_fail_after(budget);
		rc = cs_resp_import(q, &units, "a.csv", csv, strlen(csv), CS_RESP_CSV, NULL, sink,
				    &g, &rep, NULL);
		if (!rc)
			rc = cs_resp_import(q, &units, "a.jsonl", jsonl, strlen(jsonl),
					    CS_RESP_JSONL, NULL, sink, &g, &rep, NULL);
		cs_alloc_fail_after(-1);
		cs_resp_import_report_release(&rep);
		if (rc)
			assert_int_equal(rc, CS_ENOMEM);
	}
	assert_int_equal(rc, CS_OK);
	cs_unit_set_release(&units);
	cs_questionnaire_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_csv_good, restore_allocator),
		cmocka_unit_test_teardown(test_required_when_relevant, restore_allocator),
		cmocka_unit_test_teardown(test_csv_problems, restore_allocator),
		cmocka_unit_test_teardown(test_header_problems, restore_allocator),
		cmocka_unit_test_teardown(test_sink_duplicates, restore_allocator),
		cmocka_unit_test_teardown(test_jsonl, restore_allocator),
		cmocka_unit_test_teardown(test_xlsx, restore_allocator),
		cmocka_unit_test_teardown(test_limits_and_formats, restore_allocator),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
