/*
 * Tests of the yearly report (report/report_model.h, report_html.h,
 * report_xlsx.h) on PAR runs and a SIPAS estimation computed by the core: the
 * force chosen, its units in tree order, the sections in display order, the
 * summary figures, "fix first" lists, a unit without responses, the HTML
 * (escaping, languages, reproducibility) and the workbook read back with the
 * XLSX reader; unknown and ambiguous forces; out of memory.
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
#include "core/questionnaire.h"
#include "core/sipas.h"
#include "io/xlsx.h"
#include "report/report_html.h"
#include "report/report_model.h"
#include "report/report_xlsx.h"
#include "util/alloc.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* The unit tree: the ministry, two forces, P's districts and communes. */
enum {
	U_BCA,
	U_P,
	U_X,
	U_D1,
	U_D2,
	U_C1,
	U_C2,
	U_XD,
	NUNITS
};

static const struct {
	const char *code, *name, *parent;
	enum cs_level level;
} tree[NUNITS] = {
	{"BCA", "Bộ Công an", NULL, CS_LEVEL_MINISTRY},
	{"P", "Công an tỉnh <P> & Q", "BCA", CS_LEVEL_PROVINCE},
	{"X", "Công an tỉnh X", "BCA", CS_LEVEL_PROVINCE},
	{"D1", "Công an huyện \"Một\"", "P", CS_LEVEL_DISTRICT},
	{"D2", "Công an huyện Hai", "P", CS_LEVEL_DISTRICT},
	{"C1", "Công an xã Một", "D1", CS_LEVEL_COMMUNE},
	{"C2", "Công an xã Hai", "D2", CS_LEVEL_COMMUNE},
	{"XD", "Công an huyện của X", "X", CS_LEVEL_DISTRICT},
};

/* A (50): A.1 manual 50; B (50): B.1 manual 50. Bands A >= 90, B 80-90, D < 80. */
static struct cs_framework *framework(const char *code)
{
	const struct cs_fw_node_spec nodes[] = {
		{"A", NULL, "Lĩnh vực A", NAN, NULL, NULL, NULL, 0, NULL, 0},
		{"A.1", "A", "A.1", 50, "self", "manual", NULL, 0, NULL, 0},
		{"B", NULL, "Lĩnh vực B", NAN, NULL, NULL, NULL, 0, NULL, 0},
		{"B.1", "B", "B.1", 50, "self", "manual", NULL, 0, NULL, 0},
	};
	const struct cs_fw_band bands[] = {{"A", "Tốt", "Good", 90, 100},
					   {"B", "Khá", "Fair", 80, 90},
					   {"D", "Yếu", "Weak", 0, 80}};
	struct cs_fw_info info = {code, "Khung thử", "QĐ 1", "2024"};
	struct cs_framework *fw = cs_framework_new(&info, NULL);

	assert_non_null(fw);
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		assert_int_equal(cs_framework_add_node(fw, &nodes[i], NULL, NULL), CS_OK);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(cs_framework_add_band(fw, &bands[i], NULL), CS_OK);
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	return fw;
}

/* E1: E1.1, E1.2; E2: E2.1 (likert5); exp: multiple choice a, b. */
static struct cs_questionnaire *questionnaire(void)
{
	static const struct cs_q_choice choices[] = {{"a", "Rút ngắn thời gian", "Faster"},
						     {"b", "Thái độ", "Attitude"}};
	struct cs_q_info info = {"q", "Phiếu thử", "QĐ 2640/QĐ-BNV", "1", false, ""};
	struct cs_questionnaire *q = cs_questionnaire_new(&info, NULL);
	const struct cs_q_element els[] = {{"E1", "Tiếp cận", "Access"},
					   {"E2", "Thủ tục", "Procedure"}};
	const struct cs_q_item_spec items[] = {
		{"E1.1", "E1", "Chỗ ngồi", "Seats", CS_Q_LIKERT5, CS_Q_ROLE_SATISFACTION,
		 CS_Q_FIELD_NONE, false, NULL, NULL, NULL, 0},
		{"E1.2", "E1", "Trang thiết bị", "Equipment", CS_Q_LIKERT5, CS_Q_ROLE_SATISFACTION,
		 CS_Q_FIELD_NONE, false, NULL, NULL, NULL, 0},
		{"E2.1", "E2", "Thủ tục <công khai>", "Posted", CS_Q_LIKERT5,
		 CS_Q_ROLE_SATISFACTION, CS_Q_FIELD_NONE, false, NULL, NULL, NULL, 0},
		{"exp", NULL, "Cần cải thiện", "Improve", CS_Q_MULTI, CS_Q_ROLE_EXPECTATION,
		 CS_Q_FIELD_NONE, false, NULL, NULL, choices, 2},
	};

	assert_non_null(q);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(cs_questionnaire_add_element(q, &els[i], NULL), CS_OK);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(cs_questionnaire_add_item(q, &items[i], NULL), CS_OK);
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	return q;
}

struct fixture {
	struct cs_unit_set units;
	struct cs_framework *fw_units, *fw_league;
	struct cs_par_score scores[6][4];
	struct cs_par_unit pu[6];
	const char *names[6];
	struct cs_par_run run_units, run_league;
	struct cs_par_report reps[2];
	struct cs_questionnaire *q;
	struct cs_sipas_result *res;
	struct cs_report_wave_input wave;
	struct cs_report_input in;
};

static void scores(struct cs_par_score *s, double a, double b)
{
	s[1] = (struct cs_par_score){.has_self = true, .self = a};
	s[3] = (struct cs_par_score){.has_self = true, .self = b};
}

static void compute(struct cs_framework *fw, struct cs_par_unit *pu, size_t n,
		    struct cs_par_run *run)
{
	cs_par_run_init(run);
	assert_int_equal(cs_par_compute(fw, pu, n, NULL, run, NULL), CS_OK);
	assert_int_equal(cs_par_groups(run, NULL), CS_OK);
}

/* Respondents of unit u: n answers of level v to E1.1 and E1.2 and level w to E2.1. */
static void respond(struct cs_sipas *s, size_t u, int n, double v, double w)
{
	for (int i = 0; i < n; i++) {
		struct cs_q_answer ans[4] = {{true, v, 0},
					     {true, (i % 3) ? v : 5, 0},
					     {true, w, 0},
					     {true, i % 2 ? 1 : 2, i % 2 ? 1u : 3u}};
		struct cs_sipas_resp rp = {.unit = u, .weight = 1, .answers = ans};

		assert_int_equal(cs_sipas_add(s, &rp, NULL), CS_OK);
	}
}

static void setup(struct fixture *f, bool prev)
{
	struct cs_sipas_unit su[NUNITS];
	struct cs_sipas_opts o = cs_sipas_opts_default();
	struct cs_sipas *s = NULL;

	memset(f, 0, sizeof(*f));
	cs_unit_set_init(&f->units);
	for (size_t i = 0; i < NUNITS; i++) {
		struct cs_unit u = {.code = tree[i].code,
				    .name = tree[i].name,
				    .parent = tree[i].parent,
				    .level = tree[i].level};
		size_t p = CS_SIPAS_NONE;

		assert_int_equal(cs_unit_set_add(&f->units, &u, NULL), CS_OK);
		for (size_t k = 0; tree[i].parent && k < NUNITS; k++)
			if (strcmp(tree[k].code, tree[i].parent) == 0)
				p = k;
		su[i] = (struct cs_sipas_unit){tree[i].code, tree[i].name, p, tree[i].level};
	}

	/* The force's units: C2 loses most in B; D2 most in A. */
	f->fw_units = framework("units");
	scores(f->scores[0], 48, 47); /* D1 95 */
	scores(f->scores[1], 30, 45); /* D2 75 */
	scores(f->scores[2], 45, 40); /* C1 85 */
	scores(f->scores[3], 46, 20); /* C2 66 */
	for (size_t i = 0; i < 4; i++) {
		size_t t = (size_t[]){U_D1, U_D2, U_C1, U_C2}[i];

		f->pu[i] = (struct cs_par_unit){tree[t].code, tree[t].parent, tree[t].level, NULL,
						f->scores[i]};
		f->names[i] = tree[t].name;
	}
	compute(f->fw_units, f->pu, 4, &f->run_units);

	/* The league of the forces: P 88 (2nd), X 92; last year P was 1st. */
	f->fw_league = framework("league");
	scores(f->scores[4], 44, 44);
	scores(f->scores[5], 46, 46);
	f->pu[4] = (struct cs_par_unit){"P", "BCA", CS_LEVEL_PROVINCE, NULL, f->scores[4]};
	f->pu[5] = (struct cs_par_unit){"X", "BCA", CS_LEVEL_PROVINCE, NULL, f->scores[5]};
	f->names[4] = tree[U_P].name;
	f->names[5] = tree[U_X].name;
	compute(f->fw_league, f->pu + 4, 2, &f->run_league);
	if (prev) {
		const struct cs_par_prev rows[] = {{"P", 90, 90, 1}, {"X", 85, 85, 2}};

		assert_int_equal(cs_par_change(&f->run_league, rows, 2, NULL), CS_OK);
	}
	/* The league first: the model puts the force's units first. */
	f->reps[0] = (struct cs_par_report){"2024", prev ? "2023" : NULL, f->fw_league,
					    "abc",  &f->run_league,	  f->names + 4};
	f->reps[1] =
		(struct cs_par_report){"2024", NULL, f->fw_units, NULL, &f->run_units, f->names};

	/* SIPAS: C1 is unhappy with the procedure; C2 has no respondents. */
	f->q = questionnaire();
	assert_int_equal(cs_sipas_new(f->q, su, NUNITS, &o, &s, NULL), CS_OK);
	respond(s, U_P, 10, 5, 4);
	respond(s, U_D1, 10, 4, 4);
	respond(s, U_C1, 12, 4, 2);
	respond(s, U_D2, 8, 5, 5);
	respond(s, U_X, 40, 4, 4);
	assert_int_equal(cs_sipas_finish(s, &f->res, NULL), CS_OK);
	cs_sipas_free(s);
	f->wave = (struct cs_report_wave_input){{"W24", "2024", "q", "1", NULL}, f->res, NULL};
	f->in = (struct cs_report_input){
		"2024", "2024-01-01", "2024-12-31", &f->units, NULL, f->reps, 2, &f->wave, 1};
}

static void teardown(struct fixture *f)
{
	cs_sipas_result_free(f->res);
	cs_questionnaire_free(f->q);
	cs_par_run_release(&f->run_units);
	cs_par_run_release(&f->run_league);
	cs_framework_free(f->fw_units);
	cs_framework_free(f->fw_league);
	cs_unit_set_release(&f->units);
}

static void test_model(void **state)
{
	struct fixture f;
	struct cs_report_model *m = NULL;
	struct cs_error err = {0};
	const struct cs_par_result *fr;
	size_t sec = 99;

	(void)state;
	setup(&f, true);
	assert_int_equal(cs_report_model_build(&f.in, &m, &err), CS_OK);
	/* The force: the only province-level unit the assessed units hang from. */
	assert_string_equal(m->focus_code, "P");
	assert_int_equal(m->focus_level, CS_LEVEL_PROVINCE);

	/* The force's units first, then the league. */
	assert_int_equal(m->npar, 2);
	assert_ptr_equal(m->par[0].rep, &f.reps[1]);
	assert_int_equal(m->par[0].kind, CS_REPORT_PAR_UNITS);
	assert_int_equal(m->par[0].nrows, 4);
	assert_int_equal(m->par[0].nscope, 4);
	assert_int_equal(m->par[0].ncomplete, 4);
	assert_int_equal(m->par[0].focus, CS_REPORT_NONE);
	assert_string_equal(f.run_units.results[m->par[0].rows[0]].code, "D1");
	assert_string_equal(f.run_units.results[m->par[0].rows[3]].code, "C2");
	assert_int_equal(m->par[1].kind, CS_REPORT_PAR_LEAGUE);
	assert_int_equal(m->par[1].nrows, 2);
	assert_int_equal(m->par[1].focus, 0);

	/* Units in tree order, C2 without respondents. */
	assert_int_equal(m->nunits, 4);
	assert_string_equal(m->units[0].code, "D1");
	assert_string_equal(m->units[1].code, "C1");
	assert_string_equal(m->units[2].code, "D2");
	assert_string_equal(m->units[3].code, "C2");
	assert_int_equal(m->units[0].depth, 1);
	assert_int_equal(m->units[1].depth, 2);
	assert_int_equal(m->units[0].par, 0);
	assert_non_null(cs_report_unit_domain(m, &m->units[1], 0));
	assert_null(cs_report_unit_domain(m, &m->units[3], 0));
	assert_int_equal(m->units[3].domains[0], CS_REPORT_NONE);
	assert_null(cs_report_unit_domain(m, &m->units[0], 1));

	/* Summary: (95 + 75 + 85 + 66) / 4; one unit per band but two in D. */
	assert_int_equal(m->summary.units, 4);
	assert_true(fabs(m->summary.mean - 80.25) < 1e-9);
	assert_int_equal(m->summary.decimals, 2);
	assert_int_equal(m->summary.nbands, 3);
	assert_string_equal(m->summary.bands[0].code, "A");
	assert_int_equal(m->summary.bands[0].count, 1);
	assert_int_equal(m->summary.bands[1].count, 1);
	assert_int_equal(m->summary.bands[2].count, 2);
	assert_int_equal(m->summary.position_par, 1);
	fr = cs_report_focus_par(m, &sec);
	assert_int_equal(sec, 1);
	assert_int_equal(fr->rank, 2);
	assert_int_equal(fr->ranked_of, 2);
	assert_int_equal(fr->change.places_change, -1);
	assert_int_equal(m->summary.general_wave, 0);

	/* The force's domain pools 40 respondents; X's 40 make a league of two. */
	assert_int_equal(cs_report_focus_domain(m, 0)->n, 40);
	assert_int_equal(m->waves[0].ranked_of, 2);
	assert_true(m->waves[0].rank >= 1);

	/* C1: area B lost 10 points, A 5; then E2.1 (level 2: 0%) and E2. */
	assert_int_equal(m->units[1].nfix, 4);
	assert_false(m->units[1].fix[0].sipas);
	assert_string_equal(cs_framework_node(f.fw_units, m->units[1].fix[0].pos)->code, "B");
	assert_true(fabs(m->units[1].fix[0].lost - 10) < 1e-9);
	assert_string_equal(cs_framework_node(f.fw_units, m->units[1].fix[1].pos)->code, "A");
	assert_true(m->units[1].fix[2].sipas);
	assert_true(fabs(m->units[1].fix[2].index) < 1e-9);
	/* D1 lost 3 and 2 points; its domain pools C1's respondents (M3.4), so
	 * E2.1 is 10 of 22 satisfied. */
	assert_int_equal(m->units[0].nfix, 4);
	assert_string_equal(cs_framework_node(f.fw_units, m->units[0].fix[0].pos)->code, "B");
	assert_true(m->units[0].fix[2].sipas);
	assert_true(fabs(m->units[0].fix[2].index - 1000.0 / 22) < 1e-9);
	/* D2: everything satisfied, PAR entries only. */
	assert_int_equal(m->units[2].nfix, 2);
	assert_string_equal(cs_framework_node(f.fw_units, m->units[2].fix[0].pos)->code, "A");
	cs_report_model_free(m);
	cs_report_model_free(NULL);
	teardown(&f);
}

static void test_focus(void **state)
{
	struct fixture f;
	struct cs_report_model *m = NULL;
	struct cs_error err = {0};
	struct cs_par_unit pu[2];
	struct cs_par_run run;
	struct cs_par_report rep;
	const char *names[2] = {"A", "B"};

	(void)state;
	setup(&f, false);

	/* Given: a district and its commune. */
	f.in.focus = "D2";
	assert_int_equal(cs_report_model_build(&f.in, &m, &err), CS_OK);
	assert_string_equal(m->focus_code, "D2");
	assert_int_equal(m->nunits, 1);
	assert_string_equal(m->units[0].code, "C2");
	/* The force's own row and its unit's; the league is another matter. */
	assert_int_equal(m->par[0].nrows, 2);
	assert_int_equal(m->par[0].kind, CS_REPORT_PAR_UNITS);
	assert_int_equal(m->par[1].kind, CS_REPORT_PAR_OTHER);
	assert_int_equal(m->summary.position_par, CS_REPORT_NONE);
	assert_int_equal(m->summary.general_wave, 0);
	assert_int_equal(cs_report_focus_domain(m, 0)->n, 8);
	cs_report_model_free(m);

	f.in.focus = "NOPE";
	assert_int_equal(cs_report_model_build(&f.in, &m, &err), CS_ENOTFOUND);
	assert_null(m);
	assert_string_equal(err.msg, "unit 'NOPE': no such unit; see 'chiso unit list'");

	/* Units of two forces assessed together: the report cannot choose. */
	f.in.focus = NULL;
	pu[0] = (struct cs_par_unit){"D1", "P", CS_LEVEL_DISTRICT, NULL, f.scores[0]};
	pu[1] = (struct cs_par_unit){"XD", "X", CS_LEVEL_DISTRICT, NULL, f.scores[1]};
	compute(f.fw_units, pu, 2, &run);
	rep = (struct cs_par_report){"2024", NULL, f.fw_units, NULL, &run, names};
	f.in.par = &rep;
	f.in.npar = 1;
	f.in.nwaves = 0;
	assert_int_equal(cs_report_model_build(&f.in, &m, &err), CS_EINVAL);
	assert_string_equal(err.msg, "the report could be of several units ('P', 'X'); choose one "
				     "with --unit");
	/* Nothing assessed at all, and two forces in the tree. */
	f.in.npar = 0;
	assert_int_equal(cs_report_model_build(&f.in, &m, &err), CS_EINVAL);
	assert_string_equal(err.msg, "no unit to report on: the period has no results; choose one "
				     "with --unit");
	cs_par_run_release(&run);
	teardown(&f);
}

static void test_html(void **state)
{
	struct fixture f;
	struct cs_report_model *m = NULL;
	struct cs_buf vi, again, en, small;
	const char *c2, *end;

	(void)state;
	setup(&f, true);
	assert_int_equal(cs_report_model_build(&f.in, &m, NULL), CS_OK);
	cs_buf_init(&vi, 1u << 24);
	cs_buf_init(&again, 1u << 24);
	cs_buf_init(&en, 1u << 24);
	assert_int_equal(cs_report_html_write(m, CS_FMT_VI, &vi, NULL), CS_OK);
	assert_int_equal(strncmp(vi.data, "<!DOCTYPE html>\n<html lang=\"vi\">", 32), 0);
	assert_non_null(strstr(vi.data, "</html>\n"));
	/* Escaped everywhere: text, attributes and the running header's CSS string. */
	assert_non_null(strstr(vi.data, "Công an tỉnh &lt;P&gt; &amp; Q"));
	assert_null(strstr(vi.data, "<P>"));
	assert_non_null(strstr(vi.data, "Công an huyện &quot;Một&quot;"));
	assert_non_null(strstr(vi.data, "Thủ tục &lt;công khai&gt;"));
	assert_non_null(strstr(vi.data, "@top-left{content:\"Công an tỉnh \\3c P\\3e  & Q\""));
	/* Summary figures as Vietnamese writes them. */
	assert_non_null(strstr(vi.data, "data-value=\"80.25\">80,25%</span>"));
	assert_non_null(strstr(vi.data, "data-value=\"2/2\">2/2</span>"));
	assert_non_null(strstr(vi.data, "năm trước 1/2 (<span class=\"down\">↓1</span>)"));
	assert_non_null(strstr(vi.data, "<h2>6. Việc cần ưu tiên khắc phục theo đơn vị</h2>"));
	/* C2 has no respondents: "chưa có phản hồi", never a percentage. */
	c2 = strstr(strstr(vi.data, "<table class=\"t-units\">"), "data-code=\"C2\"");
	assert_non_null(c2);
	end = strstr(c2, "</tr>");
	assert_non_null(strstr(c2, "chưa có phản hồi"));
	assert_true(strstr(c2, "chưa có phản hồi") < end);
	assert_true(strchr(c2, '%') > end);
	/* The league has no previous period for the units: dashes. */
	assert_non_null(strstr(vi.data, "Không có kỳ trước để so sánh"));
	assert_null(strstr(vi.data, "nan"));
	assert_null(strstr(vi.data, "NaN"));
	assert_null(strstr(vi.data, "<script"));

	/* The same model gives the same bytes. */
	assert_int_equal(cs_report_html_write(m, CS_FMT_VI, &again, NULL), CS_OK);
	assert_int_equal(vi.len, again.len);
	assert_memory_equal(vi.data, again.data, vi.len);

	assert_int_equal(cs_report_html_write(m, CS_FMT_EN, &en, NULL), CS_OK);
	assert_non_null(strstr(en.data, "<html lang=\"en\">"));
	assert_non_null(strstr(en.data, "<h2>1. Summary</h2>"));
	assert_non_null(strstr(en.data, "data-value=\"80.25\">80.25%</span>"));
	assert_non_null(strstr(en.data, "no responses"));
	assert_non_null(strstr(en.data, "Posted"));

	cs_buf_init(&small, 1000);
	assert_int_equal(cs_report_html_write(m, CS_FMT_VI, &small, NULL), CS_ETOOBIG);
	cs_buf_release(&small);
	cs_buf_release(&vi);
	cs_buf_release(&again);
	cs_buf_release(&en);
	cs_report_model_free(m);
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
	static const char *const vi[] = {"Tóm tắt",	 "Xếp hạng",	 "Thành phần",
					 "Thay đổi",	 "SIPAS yếu tố", "SIPAS tiêu chí",
					 "Lĩnh vực yếu", "Mong đợi",	 "Phương pháp"};
	struct fixture f;
	struct cs_report_model *m = NULL;
	struct cs_error err = {0};
	struct cs_xlsx *x = NULL;
	struct cs_buf cells;
	const char *tmp = getenv("TMPDIR");
	char path[4096];

	(void)state;
	setup(&f, true);
	assert_int_equal(cs_report_model_build(&f.in, &m, NULL), CS_OK);
	snprintf(path, sizeof(path), "%s/report-yearly-%d.xlsx", tmp && *tmp ? tmp : "/tmp",
		 (int)getpid());
	assert_int_equal(cs_report_xlsx_write(m, CS_FMT_VI, path, &err), CS_OK);
	assert_int_equal(cs_xlsx_open_file(path, &x, &err), CS_OK);
	assert_int_equal(cs_xlsx_sheet_count(x), 9);
	for (size_t i = 0; i < 9; i++)
		assert_string_equal(cs_xlsx_sheet_name(x, i), vi[i]);
	cs_buf_init(&cells, 1u << 22);
	/* Summary: the figures are numbers, under their labels. */
	assert_int_equal(cs_xlsx_read_sheet(x, 0, collect, &cells, &err), CS_OK);
	assert_non_null(strstr(cells.data, "A9=Chỉ số trung bình của các đơn vị (%)\nB9=80.25\n"));
	assert_non_null(strstr(cells.data, "=Vị trí của đơn vị\nB11=2/2\n"));
	assert_non_null(strstr(cells.data, "=Số người trả lời (n)\nB"));
	cs_buf_reset(&cells);
	/* Ranking: the force's units first, then the league with P. */
	assert_int_equal(cs_xlsx_read_sheet(x, 1, collect, &cells, &err), CS_OK);
	assert_non_null(strstr(cells.data, "A2=units\nB2=1/4\nC2=1\nD2=D1\nE2=Công an huyện "
					   "\"Một\"\nF2=95\nG2=100\nH2=95\nI2=Tốt\n"));
	assert_non_null(strstr(cells.data, "A7=league\nB7=2/2\nC7=2\nD7=P\n"));
	cs_buf_reset(&cells);
	/* Change: nothing before for the units, a dash. */
	assert_int_equal(cs_xlsx_read_sheet(x, 3, collect, &cells, &err), CS_OK);
	assert_non_null(strstr(cells.data, "D2=—\nE2=—\nF2=95\nG2=—\n"));
	assert_non_null(strstr(cells.data, "D7=2023\nE7=90\nF7=88\nG7=-2\nH7=-2\nI7=1/2\nJ7=2/2\n"
					   "K7=-1\n"));
	cs_buf_reset(&cells);
	/* SIPAS elements: C2 without respondents says so. */
	assert_int_equal(cs_xlsx_read_sheet(x, 4, collect, &cells, &err), CS_OK);
	assert_non_null(strstr(cells.data, "B2=P\n"));
	assert_non_null(strstr(cells.data, "=C2\nC"));
	assert_non_null(strstr(cells.data, "=chưa có phản hồi\n"));
	cs_buf_release(&cells);
	cs_xlsx_free(x);

	assert_int_equal(cs_report_xlsx_write(m, CS_FMT_EN, path, &err), CS_OK);
	assert_int_equal(cs_xlsx_open_file(path, &x, &err), CS_OK);
	assert_string_equal(cs_xlsx_sheet_name(x, 0), "Summary");
	assert_string_equal(cs_xlsx_sheet_name(x, 8), "Methodology");
	cs_xlsx_free(x);
	unlink(path);

	assert_int_equal(cs_report_xlsx_write(m, CS_FMT_VI, "/nonexistent/dir/r.xlsx", &err),
			 CS_EIO);
	assert_int_equal(
		strncmp(err.msg, "cannot write the workbook '/nonexistent/dir/r.xlsx': ", 53), 0);
	cs_report_model_free(m);
	teardown(&f);
}

/* A period with PAR but no survey, and one with a survey but no PAR. */
static void test_partial(void **state)
{
	struct fixture f;
	struct cs_report_model *m = NULL;
	struct cs_buf out;

	(void)state;
	setup(&f, false);
	f.in.nwaves = 0;
	assert_int_equal(cs_report_model_build(&f.in, &m, NULL), CS_OK);
	assert_string_equal(m->focus_code, "P");
	assert_int_equal(m->summary.general_wave, CS_REPORT_NONE);
	cs_buf_init(&out, 1u << 24);
	assert_int_equal(cs_report_html_write(m, CS_FMT_VI, &out, NULL), CS_OK);
	assert_non_null(strstr(out.data, "Kỳ này chưa có đợt khảo sát nào có phản hồi."));
	cs_buf_release(&out);
	cs_report_model_free(m);

	f.in.nwaves = 1;
	f.in.npar = 0;
	assert_int_equal(cs_report_model_build(&f.in, &m, NULL), CS_OK);
	assert_string_equal(m->focus_code, "P");
	assert_int_equal(m->summary.units, 0);
	assert_true(isnan(m->summary.mean));
	cs_buf_init(&out, 1u << 24);
	assert_int_equal(cs_report_html_write(m, CS_FMT_VI, &out, NULL), CS_OK);
	assert_non_null(strstr(out.data, "Kỳ này chưa có điểm Chỉ số CCHC."));
	assert_non_null(strstr(out.data, "chưa có kết quả"));
	cs_buf_release(&out);
	cs_report_model_free(m);
	teardown(&f);
}

static void test_out_of_memory(void **state)
{
	struct fixture f;
	struct cs_report_model *m = NULL;
	struct cs_error err = {0};
	struct cs_buf out;
	enum cs_err rc = CS_OK;
	int n;

	(void)state;
	setup(&f, true);
	for (n = 0; n < 100000; n++) {
		cs_alloc_fail_after(n);
		rc = cs_report_model_build(&f.in, &m, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_null(m);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 5);
	for (n = 0; n < 100000; n++) {
		cs_buf_init(&out, 1u << 24);
		cs_alloc_fail_after(n);
		rc = cs_report_html_write(m, CS_FMT_VI, &out, &err);
		cs_alloc_fail_after(-1);
		cs_buf_release(&out);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 1);
	cs_report_model_free(m);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_model, restore_allocator),
		cmocka_unit_test_teardown(test_focus, restore_allocator),
		cmocka_unit_test_teardown(test_html, restore_allocator),
		cmocka_unit_test_teardown(test_xlsx, restore_allocator),
		cmocka_unit_test_teardown(test_partial, restore_allocator),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
