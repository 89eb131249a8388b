/*
 * Tests of survey waves and responses in the database (store/response_store.h)
 * and of estimating a stored wave (store/sipas_provider.h), on databases in a
 * temporary directory: waves, the packed answer layout, the import writer
 * (duplicates, all or nothing, design flags), the streaming scan, the PAR
 * provider, and allocation failures.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/questionnaire.h"
#include "store/questionnaire_store.h"
#include "store/response_store.h"
#include "store/sipas_provider.h"
#include "store/store.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/vec.h"

#include "util/banned.h"

static char dir[4096];
static int serial;

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_response_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[8192];

	(void)state;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(dir);
}

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* A questionnaire with every kind of answer the layout packs. */
static struct cs_questionnaire *make_q(const char *version)
{
	struct cs_q_info info = {.code = "t", .title = "Test", .version = version};
	struct cs_q_element el = {"E1", "Yếu tố 1", "Element 1"};
	struct cs_q_choice kinds[] = {{"citizen", "Người dân", ""},
				      {"organisation", "Tổ chức", ""}};
	struct cs_q_choice xs[] = {{"a", "A", ""}, {"b", "B", ""}, {"c", "C", ""}};
	struct cs_q_item_spec items[] = {
		{.code = "q1", .element = "E1", .text_vi = "Q1", .type = CS_Q_LIKERT5},
		{.code = "q2", .element = "E1", .text_vi = "Q2", .type = CS_Q_YESNO},
		{.code = "n0", .text_vi = "Ghi chú", .type = CS_Q_NOTE, .role = CS_Q_ROLE_OTHER},
		{.code = "x",
		 .text_vi = "X",
		 .type = CS_Q_MULTI,
		 .role = CS_Q_ROLE_EXPECTATION,
		 .choices = xs,
		 .nchoices = 3},
		{.code = "age", .text_vi = "Tuổi", .type = CS_Q_NUMBER, .role = CS_Q_ROLE_OTHER},
		{.code = "kind",
		 .text_vi = "Đối tượng",
		 .type = CS_Q_SINGLE,
		 .role = CS_Q_ROLE_RESPONDENT,
		 .field = CS_Q_FIELD_KIND,
		 .choices = kinds,
		 .nchoices = 2},
		{.code = "note", .text_vi = "Ý kiến", .type = CS_Q_TEXT, .role = CS_Q_ROLE_OTHER},
	};
	struct cs_questionnaire *q = cs_questionnaire_new(&info, NULL);

	assert_non_null(q);
	assert_int_equal(cs_questionnaire_add_element(q, &el, NULL), CS_OK);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (items[i].role == CS_Q_ROLE_SATISFACTION && items[i].element == NULL)
			items[i].role = CS_Q_ROLE_OTHER;
		assert_int_equal(cs_questionnaire_add_item(q, &items[i], NULL), CS_OK);
	}
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	return q;
}

/* A database with units P > U1, U2, period 2024 and 2023, questionnaire t@1. */
static struct cs_store *open_ready(struct cs_questionnaire *q)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};
	struct cs_period p24 = {.code = "2024", .starts = "2024-01-01", .ends = "2024-12-31"};
	struct cs_period p23 = {.code = "2023", .starts = "2023-01-01", .ends = "2023-12-31"};
	bool added = false;

	snprintf(path, sizeof(path), "%s/db%d.sqlite", dir, serial++);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_OK);
	assert_int_equal(cs_store_exec(s,
				       "insert into unit (code, name, level) values "
				       "('P', 'Tỉnh P', 'province');"
				       "insert into unit (code, name, parent_id, level) values "
				       "('U1', 'Đơn vị 1', 1, 'district'), "
				       "('U2', 'Đơn vị 2', 1, 'district');",
				       &err),
			 CS_OK);
	assert_int_equal(cs_period_store_add(s, &p24, &err), CS_OK);
	assert_int_equal(cs_period_store_add(s, &p23, &err), CS_OK);
	if (cs_questionnaire_store_save(s, q, &added, NULL, &err))
		fail_msg("%s", err.msg);
	return s;
}

static struct cs_wave wave_of(const char *code, const char *period)
{
	struct cs_wave w = {0};

	snprintf(w.code, sizeof(w.code), "%s", code);
	snprintf(w.questionnaire, sizeof(w.questionnaire), "t");
	snprintf(w.questionnaire_version, sizeof(w.questionnaire_version), "1");
	snprintf(w.period, sizeof(w.period), "%s", period);
	return w;
}

static void test_waves(void **state)
{
	struct cs_questionnaire *q = make_q("1");
	struct cs_store *s = open_ready(q);
	struct cs_wave w = wave_of("W24", "2024"), w23 = wave_of("W23", "2023"), got, prev;
	struct cs_error err = {0};
	struct cs_vec list;
	bool found = true;

	(void)state;
	assert_int_equal(cs_wave_store_add(s, &w, &err), CS_OK);
	assert_true(w.id > 0);
	assert_int_equal(cs_wave_store_add(s, &w, &err), CS_EEXIST);
	assert_string_equal(err.msg, "survey wave 'W24' already exists");
	{
		struct cs_wave bad = wave_of("W 1", "2024");

		assert_int_equal(cs_wave_store_add(s, &bad, &err), CS_EINVAL);
		assert_non_null(strstr(err.msg, "wave code 'W 1'"));
		bad = wave_of("W9", "2099");
		assert_int_equal(cs_wave_store_add(s, &bad, &err), CS_ENOTFOUND);
		assert_string_equal(err.msg,
				    "no period '2099'; add it first with 'chiso period add 2099'");
	}
	assert_int_equal(cs_wave_store_find(s, "W24", &got, &err), CS_OK);
	assert_string_equal(got.questionnaire, "t");
	assert_string_equal(got.period, "2024");
	assert_string_equal(got.period_starts, "2024-01-01");
	assert_int_equal(got.responses, 0);
	assert_false(got.has_weight);
	assert_int_equal(cs_wave_store_find(s, "nope", &got, &err), CS_ENOTFOUND);
	assert_int_equal(cs_wave_store_previous(s, &w, &prev, &found, &err), CS_OK);
	assert_false(found);
	assert_int_equal(cs_wave_store_add(s, &w23, &err), CS_OK);
	assert_int_equal(cs_wave_store_previous(s, &w, &prev, &found, &err), CS_OK);
	assert_true(found);
	assert_string_equal(prev.code, "W23");
	cs_vec_init(&list, sizeof(struct cs_wave), 0);
	assert_int_equal(cs_wave_store_list(s, &list, &err), CS_OK);
	assert_int_equal(list.len, 2);
	assert_string_equal(((struct cs_wave *)cs_vec_at(&list, 0))->code, "W23");
	cs_vec_release(&list);
	cs_store_close(s);
	cs_questionnaire_free(q);
}

static void test_layout(void **state)
{
	struct cs_questionnaire *q = make_q("1");
	struct cs_resp_layout l;
	struct cs_q_answer in[7] = {{0}}, out[7];
	struct cs_str texts[7] = {{0}};
	struct cs_buf fixed, extra;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_resp_layout_init(&l, q, &err), CS_OK);
	assert_int_equal(l.nfixed, 3); /* q1, q2, kind */
	assert_int_equal(l.nextra, 3); /* x, age, note */
	assert_int_equal(l.slots[2].kind, CS_RESP_SLOT_NONE);
	cs_buf_init(&fixed, 1024);
	cs_buf_init(&extra, 1024);
	in[0] = (struct cs_q_answer){true, 4, 0};
	in[1] = (struct cs_q_answer){true, 0, 0};
	in[3] = (struct cs_q_answer){true, 2, 5};
	in[4] = (struct cs_q_answer){true, 37.5, 0};
	in[5] = (struct cs_q_answer){true, 1, 0};
	in[6] = (struct cs_q_answer){true, 0, 0};
	texts[6] = CS_STR("tab\there\\ and\nline");
	assert_int_equal(cs_resp_encode(&l, q, in, texts, &fixed, &extra, &err), CS_OK);
	assert_string_equal(fixed.data, "401");
	assert_string_equal(extra.data, "5\t37.5\ttab\\there\\\\ and\\nline");
	assert_int_equal(cs_resp_decode(&l, q, cs_str_make(fixed.data, fixed.len),
					cs_str_make(extra.data, extra.len), out, &err),
			 CS_OK);
	assert_true(out[0].answered && out[0].value == 4);
	assert_true(out[1].answered && out[1].value == 0);
	assert_false(out[2].answered);
	assert_true(out[3].answered && out[3].choices == 5);
	assert_true(out[4].answered && out[4].value == 37.5);
	assert_true(out[5].answered && out[5].value == 1);
	assert_true(out[6].answered);
	/* Blanks. */
	cs_buf_reset(&fixed);
	cs_buf_reset(&extra);
	memset(in, 0, sizeof(in));
	assert_int_equal(cs_resp_encode(&l, q, in, NULL, &fixed, &extra, &err), CS_OK);
	assert_string_equal(fixed.data, "---");
	assert_string_equal(extra.data, "\t\t");
	assert_int_equal(cs_resp_decode(&l, q, cs_str_make(fixed.data, fixed.len),
					cs_str_make(extra.data, extra.len), out, &err),
			 CS_OK);
	for (int i = 0; i < 7; i++)
		assert_false(out[i].answered);
	/* A stored response of another layout is refused. */
	assert_int_equal(cs_resp_decode(&l, q, CS_STR("40"), CS_STR("\t\t"), out, &err), CS_EPARSE);
	assert_non_null(strstr(err.msg, "does not match the questionnaire's layout"));
	assert_int_equal(cs_resp_decode(&l, q, CS_STR("4x1"), CS_STR("\t\t"), out, &err),
			 CS_EPARSE);
	assert_int_equal(cs_resp_decode(&l, q, CS_STR("401"), CS_STR("zz\t\t"), out, &err),
			 CS_EPARSE);
	assert_int_equal(cs_resp_decode(&l, q, CS_STR("401"), CS_STR("\t"), out, &err), CS_EPARSE);
	cs_buf_release(&fixed);
	cs_buf_release(&extra);
	cs_resp_layout_release(&l);
	cs_questionnaire_free(q);
}

struct collected {
	size_t n;
	int64_t units[8];
	double weights[8];
	char answers[8][8];
	char strata[8][8];
};

static enum cs_err collect(void *ctx, const struct cs_resp_row *row, struct cs_error *err)
{
	struct collected *c = ctx;

	(void)err;
	if (c->n < 8) {
		c->units[c->n] = row->unit_id;
		c->weights[c->n] = row->weight;
		snprintf(c->answers[c->n], 8, "%.*s", (int)row->answers.len, row->answers.ptr);
		snprintf(c->strata[c->n], 8, "%.*s", (int)row->stratum.len, row->stratum.ptr);
	}
	c->n++;
	return CS_OK;
}

static struct cs_response resp(const char *id, int64_t unit, size_t line,
			       const struct cs_q_answer *a)
{
	struct cs_response r = {.id = cs_str_from(id), .unit_id = unit, .line = line, .answers = a};

	return r;
}

static void test_writer_and_scan(void **state)
{
	struct cs_questionnaire *q = make_q("1");
	struct cs_store *s = open_ready(q);
	struct cs_wave w = wave_of("W24", "2024"), got;
	struct cs_resp_writer *wr = NULL;
	struct cs_q_answer a[7] = {{true, 5, 0}, {true, 1, 0}};
	struct cs_response r;
	struct cs_error err = {0};
	struct collected c = {0};
	size_t rows = 0;

	(void)state;
	assert_int_equal(cs_wave_store_add(s, &w, &err), CS_OK);
	/* A batch that fails is rolled back whole. */
	assert_int_equal(cs_resp_writer_begin(s, &w, q, "a.csv", &wr, &err), CS_OK);
	r = resp("R1", 2, 2, a);
	assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_OK);
	r = resp("R1", 3, 3, a);
	assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_EEXIST);
	assert_string_equal(err.msg, "duplicate id 'R1': first given at a.csv:2");
	cs_resp_writer_abort(wr);
	assert_int_equal(cs_wave_store_find(s, "W24", &got, &err), CS_OK);
	assert_int_equal(got.responses, 0);

	/* Two good batches; the second has weights and strata. */
	assert_int_equal(cs_resp_writer_begin(s, &w, q, "a.csv", &wr, &err), CS_OK);
	r = resp("R1", 2, 2, a);
	assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_OK);
	r = resp("R2", 3, 3, a);
	a[0].value = 2;
	assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_OK);
	assert_int_equal(cs_resp_writer_commit(wr, &rows, &err), CS_OK);
	assert_int_equal(rows, 2);
	assert_int_equal(cs_wave_store_find(s, "W24", &got, &err), CS_OK);
	assert_false(got.has_weight);
	assert_int_equal(cs_resp_writer_begin(s, &got, q, "b.csv", &wr, &err), CS_OK);
	r = resp("R3", 3, 7, a);
	r.has_weight = true;
	r.weight = 2.5;
	r.stratum = CS_STR("S1");
	assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_OK);
	r = resp("R2", 3, 8, a);
	assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_EEXIST);
	assert_string_equal(
		err.msg, "duplicate id 'R2': first given at a.csv:3, already stored for this wave");
	cs_resp_writer_abort(wr);
	assert_int_equal(cs_resp_writer_begin(s, &got, q, "b.csv", &wr, &err), CS_OK);
	r = resp("R3", 3, 7, a);
	r.has_weight = true;
	r.weight = 2.5;
	r.stratum = CS_STR("S1");
	assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_OK);
	assert_int_equal(cs_resp_writer_add_packed(wr, &r, CS_STR("44"), CS_STR(""), &err),
			 CS_EINVAL);
	assert_int_equal(cs_resp_writer_commit(wr, &rows, &err), CS_OK);
	assert_int_equal(cs_wave_store_find(s, "W24", &got, &err), CS_OK);
	assert_int_equal(got.responses, 3);
	assert_true(got.has_weight);
	assert_true(got.has_stratum);
	assert_false(got.has_psu);
	assert_false(got.has_fpc);

	assert_int_equal(cs_resp_store_scan(s, got.id, collect, &c, &err), CS_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.units[0], 2);
	assert_int_equal(c.units[2], 3);
	assert_true(isnan(c.weights[0]));
	assert_true(c.weights[2] == 2.5);
	assert_string_equal(c.answers[0], "51-");
	assert_string_equal(c.answers[1], "21-");
	assert_string_equal(c.answers[2], "21-");
	assert_string_equal(c.strata[2], "S1");
	/* Only the columns asked for: the others come back absent. */
	{
		struct collected only = {0};

		assert_int_equal(cs_resp_store_scan_fields(s, got.id, CS_RESP_F_STRATUM, collect,
							   &only, &err),
				 CS_OK);
		assert_int_equal(only.n, 3);
		assert_int_equal(only.units[2], 3);
		assert_true(isnan(only.weights[2]));
		assert_string_equal(only.strata[2], "S1");
		assert_string_equal(only.answers[2], "21-");
		memset(&only, 0, sizeof(only));
		assert_int_equal(cs_resp_store_scan_fields(s, got.id, CS_RESP_F_WEIGHT, collect,
							   &only, &err),
				 CS_OK);
		assert_true(only.weights[2] == 2.5);
		assert_string_equal(only.strata[2], "");
	}
	cs_store_close(s);
	cs_questionnaire_free(q);
}

/* A stored wave estimated, and the PAR provider giving units their index. */
static void test_estimate_and_provider(void **state)
{
	struct cs_questionnaire *q = make_q("1");
	struct cs_store *s = open_ready(q);
	struct cs_wave w = wave_of("W24", "2024");
	struct cs_resp_writer *wr = NULL;
	struct cs_error err = {0};
	struct cs_sipas_source src = {0};
	struct cs_sipas_result *res = NULL;
	struct cs_sipas_opts o = cs_sipas_opts_default();
	struct cs_sipas_provider *p = NULL;
	struct cs_sipas_provider_opts po = {.measure = NULL, .lonely = CS_SVY_LONELY_FAIL};
	struct cs_fw_node node = {.code = "B.3", .source = CS_SOURCE_SURVEY};
	struct cs_par_unit pu = {.code = "U1"};
	const struct cs_par_source_provider *prov;
	enum cs_par_fetch fst;
	double value = 0;
	char id[8];

	(void)state;
	assert_int_equal(cs_wave_store_add(s, &w, &err), CS_OK);
	assert_int_equal(cs_resp_writer_begin(s, &w, q, "a.csv", &wr, &err), CS_OK);
	for (int i = 0; i < 10; i++) {
		struct cs_q_answer a[7] = {{true, i < 8 ? 5 : 2, 0}, {true, i < 5, 0}};
		struct cs_response r = resp(id, i < 6 ? 2 : 3, (size_t)i + 2, a);

		snprintf(id, sizeof(id), "R%d", i);
		r.id = cs_str_from(id);
		assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_OK);
	}
	assert_int_equal(cs_resp_writer_commit(wr, NULL, &err), CS_OK);

	assert_int_equal(cs_sipas_source_load(s, "W24", &src, &err), CS_OK);
	assert_int_equal(src.nunits, 3);
	assert_int_equal(src.su[1].parent, 0);
	if (cs_sipas_estimate_stored(s, &src, &o, &res, &err))
		fail_msg("%s", err.msg);
	/* all, P (rolled up), U1, U2 */
	assert_int_equal(res->ndomains, 4);
	assert_string_equal(res->domains[1].code, "P");
	assert_int_equal(res->domains[1].n, 10);
	assert_int_equal(res->domains[2].n, 6);
	/* U1: q1 all 5 (100%), q2 yes 5 of 6. */
	assert_true(fabs(res->domains[2].items[0].est.index - 100) < 1e-9);
	assert_true(fabs(res->domains[2].items[1].est.index - 500.0 / 6) < 1e-9);
	assert_true(fabs(cs_sipas_headline(res, &res->domains[2])->index - (100 + 500.0 / 6) / 2) <
		    1e-9);
	cs_sipas_result_free(res);
	cs_sipas_source_release(&src);

	assert_int_equal(cs_sipas_provider_new(s, "W24", &po, &p, &err), CS_OK);
	prov = cs_sipas_provider_get(p);
	assert_int_equal(prov->fetch(prov->ctx, &pu, 0, &node, &fst, &value, &err), CS_OK);
	assert_int_equal(fst, CS_PAR_FETCH_VALUE);
	assert_true(fabs(value - (100 + 500.0 / 6) / 2) < 1e-9);
	pu.code = "P";
	assert_int_equal(prov->fetch(prov->ctx, &pu, 0, &node, &fst, &value, &err), CS_OK);
	assert_int_equal(fst, CS_PAR_FETCH_VALUE);
	pu.code = "X";
	assert_int_equal(prov->fetch(prov->ctx, &pu, 0, &node, &fst, &value, &err), CS_OK);
	assert_int_equal(fst, CS_PAR_FETCH_PENDING);
	cs_sipas_provider_free(p);
	po.measure = "E1";
	assert_int_equal(cs_sipas_provider_new(s, "W24", &po, &p, &err), CS_OK);
	cs_sipas_provider_free(p);
	po.measure = "E9";
	assert_int_equal(cs_sipas_provider_new(s, "W24", &po, &p, &err), CS_EINVAL);
	assert_string_equal(err.msg, "measure 'E9': expected mean_of_elements, pooled, general or "
				     "an element code of questionnaire 't'");
	assert_int_equal(cs_sipas_provider_new(s, "W99", NULL, &p, &err), CS_ENOTFOUND);
	cs_store_close(s);
	cs_questionnaire_free(q);
}

static void test_alloc_failures(void **state)
{
	struct cs_questionnaire *q = make_q("1");
	struct cs_store *s = open_ready(q);
	struct cs_wave w = wave_of("W24", "2024");
	struct cs_error err = {0};
	enum cs_err rc = CS_ENOMEM;
	long budget;

	(void)state;
	assert_int_equal(cs_wave_store_add(s, &w, &err), CS_OK);
	{
		struct cs_resp_writer *wr = NULL;
		struct cs_q_answer a[7] = {{true, 4, 0}, {true, 1, 0}};
		struct cs_response r = resp("R1", 2, 2, a);

		assert_int_equal(cs_resp_writer_begin(s, &w, q, "a.csv", &wr, &err), CS_OK);
		assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_OK);
		r = resp("R2", 3, 3, a);
		assert_int_equal(cs_resp_writer_add(wr, &r, &err), CS_OK);
		assert_int_equal(cs_resp_writer_commit(wr, NULL, &err), CS_OK);
	}
	for (budget = 0; rc == CS_ENOMEM && budget < 100000; budget++) {
		struct cs_sipas_source src = {0};
		struct cs_sipas_result *res = NULL;
		struct cs_sipas_opts o = cs_sipas_opts_default();
		struct cs_resp_layout l = {0};

		cs_alloc_fail_after(budget);
		rc = cs_resp_layout_init(&l, q, &err);
		if (!rc)
			rc = cs_sipas_source_load(s, "W24", &src, &err);
		if (!rc)
			rc = cs_sipas_estimate_stored(s, &src, &o, &res, &err);
		cs_alloc_fail_after(-1);
		cs_sipas_result_free(res);
		cs_sipas_source_release(&src);
		cs_resp_layout_release(&l);
		if (rc && rc != CS_ENOMEM)
			fail_msg("budget %ld: %s", budget, err.msg);
	}
	assert_int_equal(rc, CS_OK);
	cs_store_close(s);
	cs_questionnaire_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_waves, restore_allocator),
		cmocka_unit_test_teardown(test_layout, restore_allocator),
		cmocka_unit_test_teardown(test_writer_and_scan, restore_allocator),
		cmocka_unit_test_teardown(test_estimate_and_provider, restore_allocator),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
