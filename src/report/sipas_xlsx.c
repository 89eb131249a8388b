/*
 * The satisfaction workbook through libxlsxwriter. Every call's result is
 * checked and the first failure kept, as in par_xlsx.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "report/sipas_table.h"
#include "report/sipas_xlsx.h"

#include "util/banned.h"

#define T(lang, vi, en) ((lang) == CS_FMT_EN ? (en) : (vi))

/* Elements the summary sheet gives a column each. */
#define ELEMENT_COLS_MAX 64

struct book {
	lxw_workbook *wb;
	lxw_format *head, *num, *text;
	lxw_error rc;
	enum cs_fmt_lang lang;
	const struct cs_sipas_result *r;
};

static void keep(struct book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->rc == LXW_NO_ERROR)
		b->rc = e;
}

static void put_text(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s)
{
	if (s && *s)
		keep(b, worksheet_write_string(ws, row, col, s, b->text));
}

/* A figure rounded to two decimals for display; NaN leaves the cell empty. */
static void put_num(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v)
{
	if (isfinite(v))
		keep(b, worksheet_write_number(ws, row, col, v, b->num));
}

static void put_count(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v)
{
	if (isfinite(v))
		keep(b, worksheet_write_number(ws, row, col, v, NULL));
}

static lxw_worksheet *sheet(struct book *b, const char *name, const char *const *head, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);

	if (!ws) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return NULL;
	}
	for (size_t c = 0; c < n; c++)
		if (head[c] && *head[c])
			keep(b, worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], b->head));
	worksheet_freeze_panes(ws, 1, 0);
	return ws;
}

static const char *dname(const struct book *b, const struct cs_sipas_domain *d)
{
	return b->lang == CS_FMT_EN && d->name_en && d->name_en[0] ? d->name_en : d->name;
}

static void summary_sheet(struct book *b, const struct cs_sipas_change *ch)
{
	const struct cs_sipas_result *r = b->r;
	enum cs_fmt_lang lang = b->lang;
	size_t nel = r->ndomains ? r->domains[0].nelements : 0;
	const char *head[10 + ELEMENT_COLS_MAX + 4] = {
		T(lang, "Loại", "Kind"),
		T(lang, "Mã", "Code"),
		T(lang, "Tên", "Name"),
		T(lang, "Cấp", "Level"),
		"n",
		T(lang, "Chỉ số (%)", "Index (%)"),
		T(lang, "KTC dưới", "CI low"),
		T(lang, "KTC trên", "CI high"),
		T(lang, "Gộp (%)", "Pooled (%)"),
		T(lang, "Hài lòng chung (%)", "General (%)")};
	size_t col = 10;
	lxw_worksheet *ws;
	lxw_chart *chart;

	if (nel > ELEMENT_COLS_MAX)
		nel = ELEMENT_COLS_MAX;
	for (size_t e = 0; e < nel; e++)
		head[col++] = cs_questionnaire_element(r->q, e)->code;
	head[col++] = T(lang, "Ghi chú", "Notes");
	if (ch) {
		head[col++] = T(lang, "Thay đổi", "Change");
		head[col++] = T(lang, "Có ý nghĩa", "Significant");
	}
	ws = sheet(b, T(lang, "Tổng hợp", "Summary"), head, col);
	if (!ws)
		return;
	keep(b, worksheet_set_column(ws, 2, 2, 36, NULL));
	keep(b, worksheet_set_column(ws, 4, col, 11, NULL));
	for (size_t i = 0; i < r->ndomains; i++) {
		const struct cs_sipas_domain *d = &r->domains[i];
		const struct cs_sipas_est *h = cs_sipas_headline(r, d);
		lxw_row_t row = (lxw_row_t)(i + 1);
		char fl[128];
		lxw_col_t c = 10;

		put_text(b, ws, row, 0, cs_sipas_by_name(d->by));
		put_text(b, ws, row, 1, d->code);
		put_text(b, ws, row, 2, dname(b, d));
		if (d->by == CS_SIPAS_BY_UNIT || d->by == CS_SIPAS_BY_LEVEL)
			put_text(b, ws, row, 3,
				 lang == CS_FMT_EN ? cs_level_name(d->level)
						   : cs_level_name_vi(d->level));
		put_count(b, ws, row, 4, (double)d->n);
		put_num(b, ws, row, 5, h->index);
		put_num(b, ws, row, 6, h->ci_lo);
		put_num(b, ws, row, 7, h->ci_hi);
		put_num(b, ws, row, 8, d->overall[CS_Q_OVERALL_POOLED].index);
		put_num(b, ws, row, 9, d->overall[CS_Q_OVERALL_GENERAL].index);
		for (size_t e = 0; e < nel; e++)
			put_num(b, ws, row, c++, cs_sipas_element_index(r, &d->elements[e])->index);
		put_text(b, ws, row, c++, cs_sipas_flags_text(h->flags, lang, fl, sizeof(fl)));
		if (ch && ch[i].overall.has_prev) {
			put_num(b, ws, row, c, ch[i].overall.diff);
			put_text(b, ws, row, c + 1,
				 ch[i].overall.significant ? T(lang, "có", "yes")
							   : T(lang, "không", "no"));
		}
	}
	if (!r->ndomains || !nel)
		return;
	/* The first domain's element indices as a bar chart. */
	chart = workbook_add_chart(b->wb, LXW_CHART_BAR);
	if (!chart) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	{
		lxw_chart_series *s = chart_add_series(chart, NULL, NULL);

		if (!s) {
			keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return;
		}
		chart_series_set_categories(s, T(lang, "Tổng hợp", "Summary"), 0, 10, 0,
					    (lxw_col_t)(9 + nel));
		chart_series_set_values(s, T(lang, "Tổng hợp", "Summary"), 1, 10, 1,
					(lxw_col_t)(9 + nel));
		chart_title_set_name(chart,
				     T(lang, "Chỉ số theo yếu tố (%)", "Index by element (%)"));
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
		chart_axis_set_min(chart->x_axis, 0);
		chart_axis_set_max(chart->x_axis, 100);
		keep(b, worksheet_insert_chart(ws, (lxw_row_t)(r->ndomains + 2), 1, chart));
	}
}

static void items_sheet(struct book *b)
{
	const struct cs_sipas_result *r = b->r;
	enum cs_fmt_lang lang = b->lang;
	const char *head[] = {T(lang, "Mã đơn vị/nhóm", "Domain"),
			      T(lang, "Tên", "Name"),
			      T(lang, "Tiêu chí", "Item"),
			      T(lang, "Nội dung", "Text"),
			      "n",
			      T(lang, "Hài lòng", "Satisfied"),
			      T(lang, "Chỉ số (%)", "Index (%)"),
			      T(lang, "KTC dưới", "CI low"),
			      T(lang, "KTC trên", "CI high"),
			      "deff",
			      T(lang, "Điểm TB", "Mean score"),
			      T(lang, "Mức 1 (%)", "Level 1 (%)"),
			      T(lang, "Mức 2 (%)", "Level 2 (%)"),
			      T(lang, "Mức 3 (%)", "Level 3 (%)"),
			      T(lang, "Mức 4 (%)", "Level 4 (%)"),
			      T(lang, "Mức 5 (%)", "Level 5 (%)"),
			      T(lang, "Ghi chú", "Notes")};
	lxw_worksheet *ws =
		sheet(b, T(lang, "Tiêu chí", "Items"), head, sizeof(head) / sizeof(head[0]));
	lxw_row_t row = 1;

	if (!ws)
		return;
	keep(b, worksheet_set_column(ws, 1, 1, 28, NULL));
	keep(b, worksheet_set_column(ws, 3, 3, 50, NULL));
	for (size_t i = 0; i < r->ndomains; i++) {
		const struct cs_sipas_domain *d = &r->domains[i];

		for (size_t k = 0; k < d->nitems; k++, row++) {
			const struct cs_sipas_item *it = &d->items[k];
			const struct cs_q_item *qi = cs_questionnaire_item(r->q, it->item);
			char fl[128];

			put_text(b, ws, row, 0, d->code[0] ? d->code : "-");
			put_text(b, ws, row, 1, dname(b, d));
			put_text(b, ws, row, 2, qi->code);
			put_text(b, ws, row, 3,
				 lang == CS_FMT_EN && qi->text_en && qi->text_en[0] ? qi->text_en
										    : qi->text_vi);
			put_count(b, ws, row, 4, (double)it->est.n);
			put_count(b, ws, row, 5, (double)it->satisfied);
			put_num(b, ws, row, 6, it->est.index);
			put_num(b, ws, row, 7, it->est.ci_lo);
			put_num(b, ws, row, 8, it->est.ci_hi);
			put_num(b, ws, row, 9, it->est.deff);
			put_num(b, ws, row, 10, it->mean_score);
			for (int l = 0; l < 5; l++)
				put_num(b, ws, row, (lxw_col_t)(11 + l), it->levels[l]);
			put_text(b, ws, row, 16,
				 cs_sipas_flags_text(it->est.flags, lang, fl, sizeof(fl)));
		}
	}
}

static void expectations_sheet(struct book *b)
{
	const struct cs_sipas_result *r = b->r;
	enum cs_fmt_lang lang = b->lang;
	const char *head[] = {T(lang, "Mã đơn vị/nhóm", "Domain"),
			      T(lang, "Tên", "Name"),
			      T(lang, "Câu hỏi", "Item"),
			      T(lang, "Lựa chọn", "Option"),
			      T(lang, "Tỷ lệ chọn (%)", "Share (%)"),
			      "n"};
	lxw_worksheet *ws =
		sheet(b, T(lang, "Mong đợi", "Expectations"), head, sizeof(head) / sizeof(head[0]));
	lxw_row_t row = 1;

	if (!ws)
		return;
	keep(b, worksheet_set_column(ws, 1, 1, 28, NULL));
	keep(b, worksheet_set_column(ws, 3, 3, 50, NULL));
	for (size_t i = 0; i < r->ndomains; i++) {
		const struct cs_sipas_domain *d = &r->domains[i];

		for (size_t c = 0; c < d->nchoices; c++, row++) {
			const struct cs_sipas_choice *x = &d->expectations[c];
			const struct cs_q_item *qi = cs_questionnaire_item(r->q, x->item);
			const struct cs_q_choice *cc = &qi->choices[x->choice];

			put_text(b, ws, row, 0, d->code[0] ? d->code : "-");
			put_text(b, ws, row, 1, dname(b, d));
			put_text(b, ws, row, 2, qi->code);
			put_text(b, ws, row, 3,
				 lang == CS_FMT_EN && cc->label_en && cc->label_en[0]
					 ? cc->label_en
					 : cc->label_vi);
			put_num(b, ws, row, 4, x->share);
			put_count(b, ws, row, 5, (double)x->n);
		}
	}
}

static void about_sheet(struct book *b, const struct cs_sipas_meta *m)
{
	const struct cs_sipas_result *r = b->r;
	enum cs_fmt_lang lang = b->lang;
	const struct cs_q_options *o = cs_questionnaire_options(r->q);
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, T(lang, "Thông tin", "About"));
	const char *keys[] = {T(lang, "Đợt khảo sát", "Survey wave"),
			      T(lang, "Kỳ", "Period"),
			      T(lang, "Phiếu khảo sát", "Questionnaire"),
			      T(lang, "Phiên bản", "Version"),
			      T(lang, "Người trả lời", "Respondents"),
			      T(lang, "Khoảng tin cậy", "Intervals"),
			      T(lang, "Chỉ số chung", "Headline index"),
			      T(lang, "Chỉ số yếu tố", "Element index"),
			      T(lang, "Mức tin cậy", "Confidence"),
			      T(lang, "Đợt so sánh", "Compared with")};
	char n[32];

	if (!ws) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	keep(b, worksheet_set_column(ws, 0, 0, 24, NULL));
	keep(b, worksheet_set_column(ws, 1, 1, 48, NULL));
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		keep(b, worksheet_write_string(ws, (lxw_row_t)k, 0, keys[k], b->head));
	put_text(b, ws, 0, 1, m->wave);
	put_text(b, ws, 1, 1, m->period);
	put_text(b, ws, 2, 1, m->questionnaire);
	put_text(b, ws, 3, 1, m->questionnaire_version);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)r->respondents);
	put_text(b, ws, 4, 1, n);
	put_text(b, ws, 5, 1,
		 r->opts.design ? T(lang, "logit theo thiết kế mẫu", "design-based logit")
				: T(lang, "Wilson (tiêu chí), logit (chỉ số gộp)",
				    "Wilson (items), logit (combined indices)"));
	put_text(b, ws, 6, 1, cs_q_overall_agg_name(o->headline));
	put_text(b, ws, 7, 1, cs_q_element_agg_name(o->element_agg));
	keep(b, worksheet_write_number(ws, 8, 1, 1 - r->alpha, NULL));
	put_text(b, ws, 9, 1, m->previous_wave);
}

enum cs_err cs_sipas_xlsx_write(const struct cs_sipas_result *r, const struct cs_sipas_change *ch,
				const struct cs_sipas_meta *m, enum cs_fmt_lang lang,
				const char *path, struct cs_error *err)
{
	struct book b = {.lang = lang, .r = r};
	lxw_error close_rc;

	b.wb = workbook_new(path);
	if (!b.wb)
		return cs_fail(err, CS_EIO, "%s: cannot create the workbook", path);
	b.head = workbook_add_format(b.wb);
	b.num = workbook_add_format(b.wb);
	b.text = workbook_add_format(b.wb);
	if (!b.head || !b.num || !b.text) {
		workbook_close(b.wb);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	format_set_bold(b.head);
	format_set_num_format(b.num, "0.00");
	summary_sheet(&b, ch);
	items_sheet(&b);
	expectations_sheet(&b);
	about_sheet(&b, m);
	close_rc = workbook_close(b.wb);
	if (b.rc == LXW_NO_ERROR)
		b.rc = close_rc;
	if (b.rc == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return cs_fail(err, CS_ENOMEM, NULL);
	if (b.rc != LXW_NO_ERROR)
		return cs_fail(err, CS_EIO, "%s: cannot write the workbook: %s", path,
			       lxw_strerror(b.rc));
	return CS_OK;
}
