/*
 * Tests of the PAR renderers (report/par_json.h, par_table.h, par_xlsx.h)
 * on a run computed by the core: the JSON's fixed text and its reading back,
 * the Vietnamese and English tables, the CSV, the workbook read back with
 * the XLSX reader, and out of memory in every writer.
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

#include "core/framework.h"
#include "core/par.h"
#include "io/xlsx.h"
#include "report/par_json.h"
#include "report/par_table.h"
#include "report/par_xlsx.h"
#include "util/alloc.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/*
 * A (50): A.1 manual 20, A.2 ratio 30; B (50): B.1 manual 50; C (tthc only):
 * C.1 survey 10; Y penalty 5. Bands A >= 90, B 80-90, D < 80.
 */
static struct cs_framework *framework(void)
{
	static const struct cs_rule_param linear[] = {{"lo", "50"}, {"hi", "100"}};
	static const struct cs_fw_applies tthc[] = {{CS_APPLIES_FLAG, CS_LEVEL_OTHER, "tthc"}};
	const struct cs_fw_node_spec nodes[] = {
		{"A", NULL, "Lĩnh vực A", NAN, NULL, NULL, NULL, 0, NULL, 0},
		{"A.1", "A", "A.1", 20, "self", "manual", NULL, 0, NULL, 0},
		{"A.2", "A", "A.2", 30, "self", "ratio", NULL, 0, NULL, 0},
		{"B", NULL, "Lĩnh vực \"B\"", NAN, NULL, NULL, NULL, 0, NULL, 0},
		{"B.1", "B", "B.1", 50, "self", "manual", NULL, 0, NULL, 0},
		{"C", NULL, "C", NAN, NULL, NULL, NULL, 0, tthc, 1},
		{"C.1", "C", "C.1", 10, "survey", "linear", linear, 2, NULL, 0},
		{"Y", NULL, "Điểm trừ", 5, "penalty", "manual", NULL, 0, NULL, 0},
	};
	const struct cs_fw_band bands[] = {{"A", "Tốt", "Good", 90, 100},
					   {"B", "Khá", "Fair", 80, 90},
					   {"D", "Yếu", "", 0, 80}};
	struct cs_fw_info info = {"demo", "Bộ tiêu chí", "QĐ 1", "2024"};
	struct cs_framework *fw = cs_framework_new(&info, NULL);

	assert_non_null(fw);
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		assert_int_equal(cs_framework_add_node(fw, &nodes[i], NULL, NULL), CS_OK);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(cs_framework_add_band(fw, &bands[i], NULL), CS_OK);
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	return fw;
}

struct fixture {
	struct cs_framework *fw;
	struct cs_par_score scores[4][8];
	struct cs_par_unit units[4];
	const char *names[4];
	struct cs_par_run run;
	struct cs_par_report report;
};

static void score(struct fixture *f, int u, const char *node, double self, double appraised)
{
	size_t i;

	assert_true(cs_framework_find(f->fw, node, &i));
	f->scores[u][i].has_self = !isnan(self);
	f->scores[u][i].self = self;
	f->scores[u][i].has_appraised = !isnan(appraised);
	f->scores[u][i].appraised = appraised;
}

/*
 * U1: 18 + 0.9 * 30 + 46 = 91 (A). U2: 20 + 30 + 45 - 2 = 93 (A), with a
 * previous 90 at rank 1. U3: 10 + 15 + 30 = 55 (D). P (tthc): waits for C.1.
 */
static void setup(struct fixture *f, bool change)
{
	static const struct cs_par_prev prev[] = {{"U2", 90, 90, 1}, {"U1", 80, 80, 2}};
	struct cs_error err = {0};

	memset(f, 0, sizeof(*f));
	f->fw = framework();
	f->units[0] = (struct cs_par_unit){"U1", "P", CS_LEVEL_DEPARTMENT, NULL, f->scores[0]};
	f->units[1] = (struct cs_par_unit){"U2", "P", CS_LEVEL_DEPARTMENT, NULL, f->scores[1]};
	f->units[2] = (struct cs_par_unit){"U3", "P", CS_LEVEL_DEPARTMENT, NULL, f->scores[2]};
	f->units[3] = (struct cs_par_unit){"P", NULL, CS_LEVEL_PROVINCE, "tthc", f->scores[3]};
	f->names[0] = "Phòng \"Một\", tỉnh";
	f->names[1] = "Phòng Hai";
	f->names[2] = NULL;
	f->names[3] = "Công an tỉnh";
	score(f, 0, "A.1", 20, 18);
	score(f, 0, "A.2", 0.9, NAN);
	score(f, 0, "B.1", 46, NAN);
	score(f, 1, "A.1", 20, NAN);
	score(f, 1, "A.2", 1, NAN);
	score(f, 1, "B.1", 45, NAN);
	score(f, 1, "Y", NAN, 2);
	score(f, 2, "A.1", 10, 10);
	score(f, 2, "A.2", 0.5, 0.5);
	score(f, 2, "B.1", 30, 30);
	score(f, 3, "A.1", 20, 20);
	score(f, 3, "A.2", 1, 1);
	score(f, 3, "B.1", 50, 50);
	cs_par_run_init(&f->run);
	assert_int_equal(cs_par_compute(f->fw, f->units, 4, NULL, &f->run, &err), CS_OK);
	assert_int_equal(cs_par_groups(&f->run, &err), CS_OK);
	if (change)
		assert_int_equal(cs_par_change(&f->run, prev, 2, &err), CS_OK);
	f->report = (struct cs_par_report){"2024",  change ? "2023" : NULL, f->fw, "abc", &f->run,
					   f->names};
}

static void teardown(struct fixture *f)
{
	cs_par_run_release(&f->run);
	cs_framework_free(f->fw);
}

static void test_order(void **state)
{
	struct fixture f;
	size_t order[4];

	(void)state;
	setup(&f, false);
	assert_int_equal(cs_par_report_order(&f.report, order, NULL), CS_OK);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
	assert_int_equal(order[2], 2);
	assert_int_equal(order[3], 3);
	assert_int_equal(cs_par_report_decimals(&f.report), 2);
	assert_true(cs_par_report_round(&f.report, 91.845) == 91.85);
	teardown(&f);
}

static void test_json(void **state)
{
	struct fixture f;
	struct cs_buf out;
	struct cs_error err = {0};
	struct cs_arena arena;
	struct cs_par_prev *prev = NULL;
	size_t n = 0;

	(void)state;
	setup(&f, true);
	cs_buf_init(&out, 1u << 20);
	assert_int_equal(cs_par_json_write(&f.report, &out, &err), CS_OK);
	assert_non_null(strstr(out.data, "{\n  \"format\": \"chiso-par-results\",\n  "
					 "\"format_version\": 1,\n  \"period\": \"2024\",\n  "
					 "\"previous_period\": \"2023\",\n"));
	assert_non_null(strstr(out.data, "\"name\": \"Phòng \\\"Một\\\", tỉnh\""));
	assert_non_null(strstr(out.data,
			       "      \"code\": \"U2\",\n      \"name\": \"Phòng Hai\",\n"
			       "      \"parent\": \"P\",\n      \"level\": \"department\",\n"
			       "      \"state\": \"complete\",\n      \"points\": 93,\n"
			       "      \"max_points\": 100,\n      \"index\": 93,\n"
			       "      \"band\": \"A\",\n      \"rank\": 1,\n"
			       "      \"ranked_of\": 3,\n"));
	assert_non_null(strstr(out.data,
			       "\"change\": {\n        \"points\": 3,\n        \"index\": "
			       "3,\n        \"previous_index\": 90,\n        "
			       "\"previous_rank\": 1,\n        \"places\": 0\n      }"));
	assert_non_null(strstr(out.data,
			       "{\"code\": \"Y\", \"parent\": null, \"source\": "
			       "\"penalty\", \"state\": \"scored\", \"points\": 2, "
			       "\"max_points\": 5, \"index\": null, \"contribution\": -2}"));
	assert_non_null(strstr(out.data, "\"missing\": [{\"code\": \"C.1\", \"source\": "
					 "\"survey\"}]"));
	assert_non_null(strstr(out.data, "\"name\": \"\",\n"));
	assert_non_null(strstr(out.data, "\"group\": \"parent:P\""));
	assert_non_null(strstr(out.data, "\"band_counts\": {\"A\": 2, \"B\": 0, \"D\": 1}"));
	assert_int_equal(out.data[out.len - 1], '\n');

	/* The same run gives the same bytes. */
	{
		struct cs_buf again;

		cs_buf_init(&again, 1u << 20);
		assert_int_equal(cs_par_json_write(&f.report, &again, &err), CS_OK);
		assert_int_equal(again.len, out.len);
		assert_memory_equal(again.data, out.data, out.len);
		cs_buf_release(&again);
	}

	/* Read back as a previous period: the units with a result. */
	cs_arena_init(&arena, 0);
	assert_int_equal(cs_par_json_read_prev("p", out.data, out.len, &arena, &prev, &n, &err),
			 CS_OK);
	assert_int_equal(n, 3);
	assert_string_equal(prev[0].code, "U2");
	assert_true(prev[0].index == 93 && prev[0].points == 93 && prev[0].rank == 1);
	assert_string_equal(prev[1].code, "U1");
	assert_true(prev[1].index == 91);
	assert_int_equal(cs_par_json_read_prev("p", "{\"units\": []}", 13, &arena, &prev, &n, &err),
			 CS_EPARSE);
	assert_string_equal(err.msg, "p: no \"format\" or \"units\"; expected a document written "
				     "by chiso par compute");
	{
		const char *doc =
			"{\"format\": \"chiso-par-results\", \"units\": [{\"index\": 1}]}";

		assert_int_equal(
			cs_par_json_read_prev("p", doc, strlen(doc), &arena, &prev, &n, &err),
			CS_EPARSE);
	}
	assert_string_equal(err.msg, "p: a unit without a code; expected a document written by "
				     "chiso par compute");
	assert_int_equal(cs_par_json_read_prev("p", "{", 1, &arena, &prev, &n, &err), CS_EPARSE);
	assert_int_equal(strncmp(err.msg, "p:1:", 4), 0);
	cs_arena_release(&arena);
	cs_buf_release(&out);
	teardown(&f);
}

static void test_table(void **state)
{
	struct fixture f;
	struct cs_buf out;
	struct cs_error err = {0};

	(void)state;
	setup(&f, true);
	cs_buf_init(&out, 1u << 20);
	assert_int_equal(cs_par_table_write(&f.report, CS_FMT_VI, CS_PAR_GROUP_PARENT, &out, &err),
			 CS_OK);
	assert_non_null(strstr(out.data,
			       "Chỉ số CCHC kỳ 2024 — Bộ tiêu chí (demo, phiên bản 2024)\n"
			       "Thay đổi so với kỳ 2023"));
	assert_non_null(strstr(out.data, "1/3   U2  Phòng Hai          93/100          93,00%*  "
					 "Tốt       +3 =\n"));
	assert_non_null(strstr(out.data, "2/3   U1  Phòng \"Một\", tỉnh  91/100          91,00%*  "
					 "Tốt       +11 =\n"));
	assert_non_null(strstr(out.data, "3/3   U3                     55/100           55,00%  "
					 "Yếu\n"));
	assert_non_null(strstr(out.data, "-     P   Công an tỉnh            -  chưa có kết quả\n"));
	assert_non_null(strstr(out.data, "P: còn chờ C.1 (khảo sát) — kết quả khảo sát"));
	assert_non_null(strstr(out.data, "U2  50,00  45,00  -  -2,00   93,00\n"));
	assert_non_null(strstr(out.data, "Trực thuộc P"));
	assert_non_null(strstr(out.data, "Yếu"));
	assert_null(strstr(out.data, "Cấp phòng"));
	cs_buf_reset(&out);
	assert_int_equal(cs_par_table_write(&f.report, CS_FMT_EN, CS_PAR_GROUP_LEVEL, &out, &err),
			 CS_OK);
	assert_non_null(strstr(out.data, "93.00%*  Good"));
	assert_non_null(strstr(out.data, "+11 =\n"));
	assert_non_null(strstr(out.data, "No result yet (not counted as zero"));
	assert_non_null(strstr(out.data, "department"));
	/* A band without an English label shows its code. */
	assert_non_null(strstr(out.data, "  D\n"));
	cs_buf_release(&out);
	teardown(&f);
}

static void test_csv(void **state)
{
	struct fixture f;
	struct cs_buf out;
	struct cs_error err = {0};

	(void)state;
	setup(&f, true);
	cs_buf_init(&out, 1u << 20);
	assert_int_equal(cs_par_csv_write(&f.report, &out, &err), CS_OK);
	assert_string_equal(out.data,
			    "code,name,parent,level,state,points,max_points,index,band,rank,ranked_"
			    "of,change_points,change_index,change_places,missing,points:A,points:B,"
			    "points:C,points:Y\n"
			    "U2,Phòng Hai,P,department,complete,93,100,93,A,1,3,3,3,0,,50,45,,2\n"
			    "U1,\"Phòng \"\"Một\"\", tỉnh\",P,department,complete,91,100,91,A,2,3,"
			    "11,11,0,,45,46,,0\n"
			    "U3,,P,department,complete,55,100,55,D,3,3,,,,,25,30,,0\n"
			    "P,Công an tỉnh,,province,incomplete,,110,,,,,,,,C.1,50,50,,0\n");
	cs_buf_release(&out);
	teardown(&f);
}

/* Collects the cells of a sheet as "A1=text" lines. */
static enum cs_err collect(void *ctx, size_t row, const struct cs_xlsx_cell *cells, size_t n,
			   struct cs_error *err)
{
	struct cs_buf *b = ctx;
	char col[CS_XLSX_COL_LEN];

	for (size_t i = 0; i < n; i++) {
		if (cells[i].type == CS_XLSX_EMPTY)
			continue;
		cs_xlsx_col_name(cells[i].col, col);
		if (cs_buf_addf(b, err, "%s%zu=%s\n", col, row, cells[i].text))
			return CS_ENOMEM;
	}
	return CS_OK;
}

static void test_xlsx(void **state)
{
	struct fixture f;
	struct cs_error err = {0};
	struct cs_xlsx *x = NULL;
	struct cs_buf cells;
	const char *tmp = getenv("TMPDIR");
	char path[4096];

	(void)state;
	setup(&f, true);
	snprintf(path, sizeof(path), "%s/par-report-%d.xlsx", tmp && *tmp ? tmp : "/tmp",
		 (int)getpid());
	assert_int_equal(cs_par_xlsx_write(&f.report, CS_FMT_VI, path, &err), CS_OK);
	assert_int_equal(cs_xlsx_open_file(path, &x, &err), CS_OK);
	assert_int_equal(cs_xlsx_sheet_count(x), 3);
	assert_string_equal(cs_xlsx_sheet_name(x, 0), "Xếp hạng");
	assert_string_equal(cs_xlsx_sheet_name(x, 1), "Thành phần");
	assert_string_equal(cs_xlsx_sheet_name(x, 2), "Nhóm");
	cs_buf_init(&cells, 1u << 20);
	assert_int_equal(cs_xlsx_read_sheet(x, 0, collect, &cells, &err), CS_OK);
	assert_non_null(strstr(cells.data, "A1=Hạng\n"));
	assert_non_null(strstr(cells.data, "A2=1/3\nB2=1\nC2=U2\nD2=Phòng Hai\nE2=93\nF2=100\n"
					   "G2=93\nH2=Tốt\nI2=3\nJ2=0\nK2=có kết quả\n"));
	assert_non_null(strstr(cells.data, "C5=P\n"));
	assert_non_null(strstr(cells.data, "K5=chưa có kết quả\n"));
	assert_null(strstr(cells.data, "G5="));
	cs_buf_reset(&cells);
	assert_int_equal(cs_xlsx_read_sheet(x, 1, collect, &cells, &err), CS_OK);
	assert_non_null(strstr(cells.data, "A2=U2\nB2=A\nC2=Lĩnh vực A\nE2=50\nF2=50\nG2=100\n"
					   "H2=50\nI2=có điểm\n"));
	assert_non_null(strstr(cells.data, "=C.1\n"));
	cs_buf_reset(&cells);
	assert_int_equal(cs_xlsx_read_sheet(x, 2, collect, &cells, &err), CS_OK);
	assert_non_null(strstr(cells.data, "A2=all\nB2=4\nC2=3\nD2=79.67\n"));
	cs_buf_release(&cells);
	cs_xlsx_free(x);
	unlink(path);

	assert_int_equal(cs_par_xlsx_write(&f.report, CS_FMT_EN, "/nonexistent/dir/x.xlsx", &err),
			 CS_EIO);
	assert_int_equal(
		strncmp(err.msg, "cannot write the workbook '/nonexistent/dir/x.xlsx': ", 53), 0);
	teardown(&f);
}

static void test_empty(void **state)
{
	struct fixture f;
	struct cs_buf out;
	struct cs_error err = {0};

	(void)state;
	setup(&f, false);
	cs_par_run_release(&f.run);
	cs_par_run_init(&f.run);
	assert_int_equal(cs_par_compute(f.fw, f.units, 0, NULL, &f.run, &err), CS_OK);
	assert_int_equal(cs_par_groups(&f.run, &err), CS_OK);
	cs_buf_init(&out, 1u << 20);
	assert_int_equal(cs_par_table_write(&f.report, CS_FMT_EN, CS_PAR_GROUP_ALL, &out, &err),
			 CS_OK);
	assert_non_null(strstr(out.data, "No unit has scores in this period yet.\n"));
	cs_buf_reset(&out);
	assert_int_equal(cs_par_json_write(&f.report, &out, &err), CS_OK);
	assert_non_null(strstr(out.data, "\"units\": [],\n"));
	assert_non_null(strstr(out.data, "\"mean\": null,"));
	cs_buf_reset(&out);
	assert_int_equal(cs_par_csv_write(&f.report, &out, &err), CS_OK);
	assert_null(strchr(strchr(out.data, '\n') + 1, '\n'));
	cs_buf_release(&out);
	teardown(&f);
}

static void test_too_big(void **state)
{
	struct fixture f;
	struct cs_buf out;
	struct cs_error err = {0};

	(void)state;
	setup(&f, true);
	cs_buf_init(&out, 100);
	assert_int_equal(cs_par_json_write(&f.report, &out, &err), CS_ETOOBIG);
	cs_buf_reset(&out);
	assert_int_equal(cs_par_table_write(&f.report, CS_FMT_VI, CS_PAR_GROUP_ALL, &out, &err),
			 CS_ETOOBIG);
	cs_buf_reset(&out);
	assert_int_equal(cs_par_csv_write(&f.report, &out, &err), CS_ETOOBIG);
	cs_buf_release(&out);
	teardown(&f);
}

static void test_out_of_memory(void **state)
{
	struct fixture f;
	struct cs_buf out;
	struct cs_error err = {0};
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	setup(&f, true);
	for (int w = 0; w < 3; w++) {
		for (n = 0; n < 100000; n++) {
			cs_buf_init(&out, 1u << 20);
			cs_alloc_fail_after(n);
			rc = w == 0   ? cs_par_json_write(&f.report, &out, &err)
			     : w == 1 ? cs_par_table_write(&f.report, CS_FMT_VI, CS_PAR_GROUP_LEVEL,
							   &out, &err)
				      : cs_par_csv_write(&f.report, &out, &err);
			cs_alloc_fail_after(-1);
			cs_buf_release(&out);
			if (rc == CS_OK)
				break;
			assert_int_equal(rc, CS_ENOMEM);
		}
		assert_int_equal(rc, CS_OK);
		assert_true(n > 1);
	}
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
