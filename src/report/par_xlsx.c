/*
 * The PAR workbook through libxlsxwriter: ranking (with a bar chart of the
 * indices), components and groups sheets. libxlsxwriter records its first
 * error per call; every call's result is checked and the first one kept.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "report/par_xlsx.h"
#include "util/alloc.h"

#include "util/banned.h"

#define T(lang, vi, en) ((lang) == CS_FMT_VI ? (vi) : (en))

/* Rows the chart shows at most; beyond it the chart would be unreadable. */
#define CHART_UNITS_MAX 200

struct book {
	lxw_workbook *wb;
	lxw_format *head, *num, *text;
	lxw_error rc; /* the first failure */
	enum cs_fmt_lang lang;
	const struct cs_par_report *r;
	const size_t *order;
};

static void keep(struct book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->rc == LXW_NO_ERROR)
		b->rc = e;
}

static void put_text(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
		     lxw_format *f)
{
	if (s && *s)
		keep(b, worksheet_write_string(ws, row, col, s, f ? f : b->text));
}

static void put_num(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v)
{
	keep(b, worksheet_write_number(ws, row, col, cs_par_report_round(b->r, v), b->num));
}

static void put_count(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v)
{
	keep(b, worksheet_write_number(ws, row, col, v, NULL));
}

static void header(struct book *b, lxw_worksheet *ws, const char *const *names, size_t n)
{
	for (size_t c = 0; c < n; c++)
		put_text(b, ws, 0, (lxw_col_t)c, names[c], b->head);
	worksheet_freeze_panes(ws, 1, 0);
}

static const char *band_label(const struct cs_fw_band *band, enum cs_fmt_lang lang)
{
	const char *l = lang == CS_FMT_VI ? band->label_vi : band->label_en;

	return l && *l ? l : band->code;
}

static const char *state_label(const struct cs_par_result *res, enum cs_fmt_lang lang)
{
	switch (res->state) {
	case CS_PAR_COMPLETE:
		return T(lang, "có kết quả", "complete");
	case CS_PAR_INCOMPLETE:
		return T(lang, "chưa có kết quả", "no result yet");
	case CS_PAR_EMPTY:
	default:
		return T(lang, "không áp dụng", "not applicable");
	}
}

/* The ranking sheet; returns the number of units with a result (listed first). */
static size_t ranking_sheet(struct book *b, const char *sheet)
{
	const struct cs_par_report *r = b->r;
	enum cs_fmt_lang lang = b->lang;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, sheet);
	const char *head[] = {T(lang, "Hạng", "Rank"),
			      T(lang, "Vị trí", "Position"),
			      T(lang, "Mã", "Code"),
			      T(lang, "Đơn vị", "Unit"),
			      T(lang, "Điểm", "Points"),
			      T(lang, "Điểm tối đa", "Maximum"),
			      T(lang, "Chỉ số (%)", "Index (%)"),
			      T(lang, "Xếp loại", "Band"),
			      T(lang, "Thay đổi điểm", "Change in points"),
			      T(lang, "Thay đổi bậc", "Change in places"),
			      T(lang, "Trạng thái", "State")};
	size_t with_result = 0;

	if (!ws) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return 0;
	}
	header(b, ws, head, sizeof(head) / sizeof(head[0]));
	keep(b, worksheet_set_column(ws, 0, 2, 10, NULL));
	keep(b, worksheet_set_column(ws, 3, 3, 40, NULL));
	keep(b, worksheet_set_column(ws, 4, 10, 14, NULL));
	for (size_t k = 0; k < r->run->nunits; k++) {
		size_t i = b->order[k];
		const struct cs_par_result *res = &r->run->results[i];
		lxw_row_t row = (lxw_row_t)(k + 1);
		char rank[CS_FMT_MAX];

		if (res->rank) {
			put_text(b, ws, row, 0, cs_fmt_rank(res->rank, res->ranked_of, rank), NULL);
			put_count(b, ws, row, 1, (double)res->rank);
		} else if (cs_par_report_has_result(res) && res->unranked) {
			put_text(b, ws, row, 0, T(lang, "không xếp hạng", "not ranked"), NULL);
		}
		put_text(b, ws, row, 2, res->code, NULL);
		put_text(b, ws, row, 3, r->names ? r->names[i] : NULL, NULL);
		put_num(b, ws, row, 5, res->max);
		put_text(b, ws, row, 10, state_label(res, lang), NULL);
		if (!cs_par_report_has_result(res))
			continue;
		with_result++;
		put_num(b, ws, row, 4, res->points);
		keep(b, worksheet_write_number(ws, row, 6, res->published, b->num));
		if (res->band != CS_FW_NONE)
			put_text(b, ws, row, 7,
				 band_label(cs_framework_band(r->fw, res->band), lang), NULL);
		if (res->change.has_prev) {
			put_num(b, ws, row, 8, res->change.points_change);
			if (res->change.has_places)
				put_count(b, ws, row, 9, (double)res->change.places_change);
		}
	}
	if (with_result > 0) {
		lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_BAR);
		lxw_chart_series *s = chart ? chart_add_series(chart, NULL, NULL) : NULL;
		lxw_chart_options opt = {0};
		size_t shown = with_result < CHART_UNITS_MAX ? with_result : CHART_UNITS_MAX;

		if (!s) {
			keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return with_result;
		}
		chart_series_set_categories(s, sheet, 1, 3, (lxw_row_t)shown, 3);
		chart_series_set_values(s, sheet, 1, 6, (lxw_row_t)shown, 6);
		chart_series_set_name(s, T(lang, "Chỉ số CCHC (%)", "PAR index (%)"));
		chart_title_set_name(chart, T(lang, "Chỉ số CCHC", "PAR index"));
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
		chart_axis_set_min(chart->x_axis, 0);
		chart_axis_set_max(chart->x_axis, 100);
		/* Bars run top to bottom in the order of the table. */
		chart_axis_set_reverse(chart->y_axis);
		opt.x_scale = 1.5;
		opt.y_scale = shown > 15 ? (double)shown / 15.0 : 1.0;
		keep(b, worksheet_insert_chart_opt(ws, 1, 12, chart, &opt));
	}
	return with_result;
}

/* The components sheet: every node's points per unit, in the framework's order. */
static void components_sheet(struct book *b, const char *sheet)
{
	const struct cs_par_report *r = b->r;
	enum cs_fmt_lang lang = b->lang;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, sheet);
	const char *head[] = {T(lang, "Mã đơn vị", "Unit"),
			      T(lang, "Mã tiêu chí", "Node"),
			      T(lang, "Tiêu chí", "Title"),
			      T(lang, "Nguồn", "Source"),
			      T(lang, "Điểm", "Points"),
			      T(lang, "Điểm tối đa", "Maximum"),
			      T(lang, "Chỉ số thành phần (%)", "Component index (%)"),
			      T(lang, "Đóng góp vào chỉ số", "Contribution to the index"),
			      T(lang, "Trạng thái", "State")};
	const size_t *pre = cs_framework_order(r->fw);
	size_t nn = cs_framework_node_count(r->fw);
	lxw_row_t row = 1;

	if (!ws) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	header(b, ws, head, sizeof(head) / sizeof(head[0]));
	keep(b, worksheet_set_column(ws, 0, 1, 12, NULL));
	keep(b, worksheet_set_column(ws, 2, 2, 50, NULL));
	keep(b, worksheet_set_column(ws, 3, 8, 14, NULL));
	for (size_t k = 0; k < r->run->nunits; k++) {
		const struct cs_par_result *res = &r->run->results[b->order[k]];
		bool has = cs_par_report_has_result(res);

		for (size_t j = 0; j < nn && row < 1048575; j++) {
			const struct cs_fw_node *node = cs_framework_node(r->fw, pre[j]);
			const struct cs_par_node_result *nr = &res->nodes[pre[j]];
			static const char *const st_vi[] = {"", "không áp dụng", "chưa có kết quả",
							    "có điểm"};
			static const char *const st_en[] = {"", "not applicable", "no result yet",
							    "scored"};

			if (nr->state == CS_PAR_NODE_OFF)
				continue;
			put_text(b, ws, row, 0, res->code, NULL);
			put_text(b, ws, row, 1, node->code, NULL);
			put_text(b, ws, row, 2, node->title, NULL);
			put_text(b, ws, row, 3, cs_fw_source_name(node->source), NULL);
			put_num(b, ws, row, 5, nr->max);
			put_text(b, ws, row, 8, T(lang, st_vi, st_en)[nr->state], NULL);
			if (nr->state == CS_PAR_NODE_SCORED) {
				put_num(b, ws, row, 4, nr->points);
				if (!cs_fw_node_is_adjustment(node))
					put_num(b, ws, row, 6, nr->index);
				if (has)
					put_num(b, ws, row, 7, nr->contribution);
			}
			row++;
		}
	}
	keep(b, worksheet_autofilter(ws, 0, 0, row > 1 ? row - 1 : 0, 8));
}

static void groups_sheet(struct book *b, const char *sheet)
{
	const struct cs_par_report *r = b->r;
	enum cs_fmt_lang lang = b->lang;
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, sheet);
	const char *head[] = {T(lang, "Nhóm", "Group"),
			      T(lang, "Đơn vị", "Units"),
			      T(lang, "Có kết quả", "With result"),
			      T(lang, "Trung bình", "Mean"),
			      T(lang, "Trung vị", "Median"),
			      T(lang, "Thấp nhất", "Min"),
			      T(lang, "Cao nhất", "Max"),
			      T(lang, "Chênh lệch", "Gap")};
	size_t nb = cs_framework_band_count(r->fw);

	if (!ws) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	header(b, ws, head, 8);
	for (size_t k = 0; k < nb; k++)
		put_text(b, ws, 0, (lxw_col_t)(8 + k), cs_framework_band(r->fw, k)->code, b->head);
	keep(b, worksheet_set_column(ws, 0, 0, 24, NULL));
	for (size_t g = 0; g < r->run->ngroups; g++) {
		const struct cs_par_group *gr = &r->run->groups[g];
		lxw_row_t row = (lxw_row_t)(g + 1);
		double v[5] = {gr->mean, gr->median, gr->min, gr->max, gr->gap};
		char name[200];

		put_text(b, ws, row, 0, cs_par_report_group_name(gr, name, sizeof(name)), NULL);
		put_count(b, ws, row, 1, (double)gr->units);
		put_count(b, ws, row, 2, (double)gr->n);
		for (int s = 0; gr->n && s < 5; s++)
			put_num(b, ws, row, (lxw_col_t)(3 + s), v[s]);
		for (size_t k = 0; k < nb; k++)
			put_count(b, ws, row, (lxw_col_t)(8 + k),
				  gr->band_counts ? (double)gr->band_counts[k] : 0);
	}
}

enum cs_err cs_par_xlsx_write(const struct cs_par_report *r, enum cs_fmt_lang lang,
			      const char *path, struct cs_error *err)
{
	size_t n = r->run->nunits, *order = cs_calloc(n ? n : 1, sizeof(*order));
	struct book b = {0};
	FILE *probe;
	lxw_error closed;
	enum cs_err rc;

	if (!order)
		return cs_fail(err, CS_ENOMEM, NULL);
	rc = cs_par_report_order(r, order, err);
	if (rc) {
		cs_free(order);
		return rc;
	}
	/* libxlsxwriter reports a file it cannot create on stderr; trying
	 * first keeps the message ours and the library silent. */
	probe = fopen(path, "wb");
	if (!probe) {
		cs_free(order);
		return cs_fail(err, CS_EIO, "cannot write the workbook '%s': %s", path,
			       strerror(errno));
	}
	fclose(probe);
	b.r = r;
	b.lang = lang;
	b.order = order;
	b.wb = workbook_new(path);
	if (!b.wb) {
		cs_free(order);
		return cs_fail(err, CS_EIO, "cannot create the workbook '%s'", path);
	}
	b.head = workbook_add_format(b.wb);
	b.num = workbook_add_format(b.wb);
	b.text = workbook_add_format(b.wb);
	if (!b.head || !b.num || !b.text) {
		keep(&b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	} else {
		format_set_bold(b.head);
		format_set_text_wrap(b.head);
		format_set_num_format(b.num, "0.00");
		ranking_sheet(&b, T(lang, "Xếp hạng", "Ranking"));
		components_sheet(&b, T(lang, "Thành phần", "Components"));
		groups_sheet(&b, T(lang, "Nhóm", "Groups"));
	}
	closed = workbook_close(b.wb);
	keep(&b, closed);
	cs_free(order);
	if (b.rc == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return cs_fail(err, CS_ENOMEM, NULL);
	if (b.rc != LXW_NO_ERROR)
		return cs_fail(err, CS_EIO, "cannot write the workbook '%s': %s", path,
			       lxw_strerror(b.rc));
	return CS_OK;
}
