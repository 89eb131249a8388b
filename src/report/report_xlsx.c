/*
 * The yearly report as an Excel workbook through libxlsxwriter (see
 * report_xlsx.h). Every figure is a number cell under a format code; Excel
 * formats are locale-independent codes ("0.00" means two decimals) that the
 * reader's Excel shows with its own separators, so a Vietnamese Excel shows
 * 91,84 and an English one 91.84 from the same cell. libxlsxwriter records
 * the first error of each call; the first one is kept.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "core/rank.h"
#include "core/round.h"
#include "report/report_xlsx.h"
#include "report/sipas_table.h"

#include "util/banned.h"

#define T(b, vi, en) ((b)->lang == CS_FMT_EN ? (en) : (vi))

/* Bars a chart shows at most; beyond it a chart is unreadable. */
#define CHART_BARS_MAX 200
/* Last row of a sheet (Excel's limit, 0-based). */
#define ROW_MAX 1048575u

struct book {
	lxw_workbook *wb;
	lxw_format *head, *title, *text, *pct, *num, *pts, *chg, *cnt, *none, *focus;
	lxw_error rc; /* the first failure */
	enum cs_fmt_lang lang;
	const struct cs_report_model *m;
};

static void keep(struct book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->rc == LXW_NO_ERROR)
		b->rc = e;
}

static const char *pick(const struct book *b, const char *vi, const char *en)
{
	return b->lang == CS_FMT_EN && en && *en ? en : vi ? vi : "";
}

/* A sheet, or NULL after recording the failure. */
static lxw_worksheet *sheet(struct book *b, const char *name)
{
	lxw_worksheet *ws = b->rc ? NULL : workbook_add_worksheet(b->wb, name);

	if (!ws)
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return ws;
}

static void put_text(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
		     lxw_format *f)
{
	if (s && *s && r <= ROW_MAX)
		keep(b, worksheet_write_string(ws, r, c, s, f ? f : b->text));
}

/* A number, or the text of an absent value when v is NaN. */
static void put_num(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
		    lxw_format *f)
{
	if (r > ROW_MAX)
		return;
	if (isnan(v))
		put_text(b, ws, r, c, "—", b->none);
	else
		keep(b, worksheet_write_number(ws, r, c, v, f));
}

static void put_none(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *vi,
		     const char *en)
{
	put_text(b, ws, r, c, T(b, vi, en), b->none);
}

static void header(struct book *b, lxw_worksheet *ws, lxw_row_t r, const char *const *names,
		   size_t n)
{
	for (size_t c = 0; c < n; c++)
		put_text(b, ws, r, (lxw_col_t)c, names[c], b->head);
	worksheet_freeze_panes(ws, r + 1, 0);
}

static const char *band_label(const struct book *b, const struct cs_framework *fw, size_t band)
{
	const struct cs_fw_band *fb;

	if (band == CS_FW_NONE)
		return NULL;
	fb = cs_framework_band(fw, band);
	return pick(b, fb->label_vi, fb->label_en);
}

static const char *fw_code(const struct cs_report_par *p)
{
	return cs_framework_info(p->rep->fw)->code;
}

/* A PAR figure as published (M2.8). */
static double published(const struct cs_report_par *p, double v)
{
	return cs_par_report_round(p->rep, v);
}

/* ---- Summary ---- */

static lxw_row_t kv_text(struct book *b, lxw_worksheet *ws, lxw_row_t r, const char *k,
			 const char *v)
{
	put_text(b, ws, r, 0, k, b->head);
	put_text(b, ws, r, 1, v, NULL);
	return r + 1;
}

static lxw_row_t kv_num(struct book *b, lxw_worksheet *ws, lxw_row_t r, const char *k, double v,
			lxw_format *f)
{
	put_text(b, ws, r, 0, k, b->head);
	put_num(b, ws, r, 1, v, f);
	return r + 1;
}

static void summary_sheet(struct book *b)
{
	const struct cs_report_model *m = b->m;
	const struct cs_report_summary *s = &m->summary;
	lxw_worksheet *ws = sheet(b, T(b, "Tóm tắt", "Summary"));
	const struct cs_par_result *fr;
	size_t sec = CS_REPORT_NONE;
	lxw_row_t r = 2;
	char buf[CS_FMT_MAX];

	if (!ws)
		return;
	keep(b, worksheet_set_column(ws, 0, 0, 44, NULL));
	keep(b, worksheet_set_column(ws, 1, 1, 40, NULL));
	put_text(b, ws, 0, 0,
		 T(b, "Kết quả Chỉ số cải cách hành chính và sự hài lòng",
		   "Administrative reform index and citizen satisfaction"),
		 b->title);
	r = kv_text(b, ws, r, T(b, "Đơn vị", "Force"), m->focus_name);
	r = kv_text(b, ws, r, T(b, "Mã đơn vị", "Code"), m->focus_code);
	r = kv_text(b, ws, r, T(b, "Kỳ", "Period"), m->in->period);
	if (m->in->starts)
		r = kv_text(b, ws, r, T(b, "Từ ngày", "From"), m->in->starts);
	if (m->in->ends)
		r = kv_text(b, ws, r, T(b, "Đến ngày", "To"), m->in->ends);
	r++;
	if (s->units)
		r = kv_num(
			b, ws, r,
			T(b, "Chỉ số trung bình của các đơn vị (%)", "Average index of units (%)"),
			published(&m->par[0], s->mean), b->pct);
	else
		r = kv_text(
			b, ws, r,
			T(b, "Chỉ số trung bình của các đơn vị (%)", "Average index of units (%)"),
			T(b, "chưa có kết quả", "no result yet"));
	r = kv_num(b, ws, r, T(b, "Số đơn vị có kết quả", "Units with a result"), (double)s->units,
		   b->cnt);
	fr = cs_report_focus_par(m, &sec);
	if (fr && cs_par_report_has_result(fr)) {
		if (sec == s->position_par) {
			r = kv_text(b, ws, r, T(b, "Vị trí của đơn vị", "Position of the force"),
				    cs_fmt_rank(fr->rank, fr->ranked_of, buf));
			if (fr->change.has_places)
				r = kv_text(b, ws, r,
					    T(b, "Vị trí năm trước", "Position last year"),
					    cs_fmt_rank(fr->change.prev_rank, fr->ranked_of, buf));
		}
		r = kv_num(b, ws, r,
			   T(b, "Chỉ số CCHC của đơn vị (%)", "PAR index of the force (%)"),
			   fr->published, b->pct);
		r = kv_text(b, ws, r, T(b, "Xếp loại", "Band"),
			    band_label(b, m->par[sec].rep->fw, fr->band));
	}
	if (s->general_wave != CS_REPORT_NONE) {
		const struct cs_sipas_result *res = m->waves[s->general_wave].in->res;
		const struct cs_sipas_est *h =
			cs_sipas_headline(res, cs_report_focus_domain(m, s->general_wave));

		r = kv_num(b, ws, r,
			   T(b, "Chỉ số hài lòng chung (%)", "Overall satisfaction index (%)"),
			   h->index, b->pct);
		r = kv_num(b, ws, r, T(b, "Khoảng tin cậy 95%: cận dưới", "95% interval: lower"),
			   h->ci_lo, b->pct);
		r = kv_num(b, ws, r, T(b, "Khoảng tin cậy 95%: cận trên", "95% interval: upper"),
			   h->ci_hi, b->pct);
		r = kv_num(b, ws, r, T(b, "Số người trả lời (n)", "Respondents (n)"), (double)h->n,
			   b->cnt);
		r = kv_text(b, ws, r, T(b, "Đợt khảo sát", "Survey wave"),
			    m->waves[s->general_wave].in->meta.wave);
	} else {
		r = kv_text(b, ws, r,
			    T(b, "Chỉ số hài lòng chung (%)", "Overall satisfaction index (%)"),
			    T(b, "chưa có phản hồi", "no responses"));
	}
	r++;
	if (s->nbands) {
		const char *head[] = {T(b, "Xếp loại", "Band"), T(b, "Số đơn vị", "Units")};

		for (size_t c = 0; c < 2; c++)
			put_text(b, ws, r, (lxw_col_t)c, head[c], b->head);
		r++;
		for (size_t i = 0; i < s->nbands; i++, r++) {
			put_text(b, ws, r, 0, pick(b, s->bands[i].label_vi, s->bands[i].label_en),
				 NULL);
			put_num(b, ws, r, 1, (double)s->bands[i].count, b->cnt);
		}
	}
}

/* ---- PAR ---- */

/* The section whose units the chart of indices shows: the force's own units first. */
static size_t chart_section(const struct cs_report_model *m)
{
	for (size_t s = 0; s < m->npar; s++)
		if (m->par[s].kind == CS_REPORT_PAR_UNITS)
			return s;
	return m->npar ? 0 : CS_REPORT_NONE;
}

static void ranking_sheet(struct book *b)
{
	const struct cs_report_model *m = b->m;
	const char *name = T(b, "Xếp hạng", "Ranking");
	lxw_worksheet *ws = sheet(b, name);
	const char *head[] = {T(b, "Khung", "Framework"),     T(b, "Hạng", "Position"),
			      T(b, "Thứ hạng", "Rank"),	      T(b, "Mã", "Code"),
			      T(b, "Đơn vị", "Unit"),	      T(b, "Điểm", "Points"),
			      T(b, "Điểm tối đa", "Maximum"), T(b, "Chỉ số (%)", "Index (%)"),
			      T(b, "Xếp loại", "Band"),	      T(b, "Trạng thái", "State")};
	size_t cs = chart_section(m), chart_n = 0;
	lxw_row_t r = 1, chart_first = 0;
	char buf[CS_FMT_MAX];

	if (!ws)
		return;
	header(b, ws, 0, head, sizeof(head) / sizeof(head[0]));
	keep(b, worksheet_set_column(ws, 0, 0, 18, NULL));
	keep(b, worksheet_set_column(ws, 1, 3, 10, NULL));
	keep(b, worksheet_set_column(ws, 4, 4, 40, NULL));
	keep(b, worksheet_set_column(ws, 5, 9, 13, NULL));
	if (m->npar == 0)
		put_none(b, ws, r, 0, "Kỳ này chưa có điểm Chỉ số CCHC.",
			 "This period has no PAR scores.");
	for (size_t s = 0; s < m->npar; s++) {
		const struct cs_report_par *p = &m->par[s];

		for (size_t i = 0; i < p->nrows && r <= ROW_MAX; i++, r++) {
			size_t k = p->rows[i];
			const struct cs_par_result *res = &p->rep->run->results[k];
			bool has = cs_par_report_has_result(res);
			lxw_format *f = k == p->focus ? b->focus : NULL;

			put_text(b, ws, r, 0, fw_code(p), NULL);
			if (has && res->rank) {
				put_text(b, ws, r, 1, cs_fmt_rank(res->rank, res->ranked_of, buf),
					 NULL);
				put_num(b, ws, r, 2, (double)res->rank, b->cnt);
			} else if (has && res->unranked) {
				put_none(b, ws, r, 1, "không xếp hạng", "not ranked");
			}
			put_text(b, ws, r, 3, res->code, f);
			put_text(b, ws, r, 4, p->rep->names ? p->rep->names[k] : NULL, f);
			put_num(b, ws, r, 6, published(p, res->max), b->pts);
			if (has) {
				put_num(b, ws, r, 5, published(p, res->points), b->pts);
				put_num(b, ws, r, 7, res->published, b->pct);
				put_text(b, ws, r, 8, band_label(b, p->rep->fw, res->band), NULL);
				put_text(b, ws, r, 9, T(b, "có kết quả", "complete"), NULL);
				if (s == cs) {
					if (chart_n == 0)
						chart_first = r;
					chart_n++;
				}
			} else {
				put_none(b, ws, r, 7,
					 res->state == CS_PAR_EMPTY ? "không áp dụng"
								    : "chưa có kết quả",
					 res->state == CS_PAR_EMPTY ? "nothing applies"
								    : "no result yet");
				put_text(b, ws, r, 9,
					 res->state == CS_PAR_EMPTY
						 ? T(b, "không áp dụng", "nothing applies")
						 : T(b, "chưa có kết quả", "no result yet"),
					 NULL);
			}
		}
	}
	if (chart_n > 0 && !b->rc) {
		lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_BAR);
		lxw_chart_series *ser = chart ? chart_add_series(chart, NULL, NULL) : NULL;
		lxw_chart_options opt = {0};
		size_t shown = chart_n < CHART_BARS_MAX ? chart_n : CHART_BARS_MAX;

		if (!ser) {
			keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return;
		}
		/* Complete results come first in a section, so the rows are contiguous. */
		chart_series_set_categories(ser, name, chart_first, 4,
					    chart_first + (lxw_row_t)shown - 1, 4);
		chart_series_set_values(ser, name, chart_first, 7,
					chart_first + (lxw_row_t)shown - 1, 7);
		chart_series_set_name(ser, T(b, "Chỉ số CCHC (%)", "PAR index (%)"));
		chart_title_set_name(chart,
				     T(b, "Chỉ số CCHC của các đơn vị", "PAR index of the units"));
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
		chart_axis_set_min(chart->x_axis, 0);
		chart_axis_set_max(chart->x_axis, 100);
		/* Bars run top to bottom in the order of the table. */
		chart_axis_set_reverse(chart->y_axis);
		opt.x_scale = 1.6;
		opt.y_scale = shown > 15 ? (double)shown / 15.0 : 1.0;
		keep(b, worksheet_insert_chart_opt(ws, 1, 11, chart, &opt));
	}
}

static void components_sheet(struct book *b)
{
	const struct cs_report_model *m = b->m;
	lxw_worksheet *ws = sheet(b, T(b, "Thành phần", "Components"));
	const char *head[] = {T(b, "Khung", "Framework"),
			      T(b, "Mã đơn vị", "Unit code"),
			      T(b, "Đơn vị", "Unit"),
			      T(b, "Lĩnh vực", "Area"),
			      T(b, "Tên lĩnh vực", "Area title"),
			      T(b, "Điểm", "Points"),
			      T(b, "Điểm tối đa", "Maximum"),
			      T(b, "Chỉ số thành phần (%)", "Component index (%)"),
			      T(b, "Đóng góp vào chỉ số", "Contribution to the index")};
	lxw_row_t r = 1;

	if (!ws)
		return;
	header(b, ws, 0, head, sizeof(head) / sizeof(head[0]));
	keep(b, worksheet_set_column(ws, 0, 1, 14, NULL));
	keep(b, worksheet_set_column(ws, 2, 2, 36, NULL));
	keep(b, worksheet_set_column(ws, 3, 3, 9, NULL));
	keep(b, worksheet_set_column(ws, 4, 4, 44, NULL));
	keep(b, worksheet_set_column(ws, 5, 8, 14, NULL));
	for (size_t s = 0; s < m->npar; s++) {
		const struct cs_report_par *p = &m->par[s];
		const struct cs_framework *fw = p->rep->fw;

		for (size_t i = 0; i < p->nrows; i++) {
			size_t k = p->rows[i];
			const struct cs_par_result *res = &p->rep->run->results[k];

			if (!cs_par_report_has_result(res))
				continue;
			for (size_t j = 0; j < cs_framework_node_count(fw) && r <= ROW_MAX; j++) {
				const struct cs_fw_node *node = cs_framework_node(fw, j);
				const struct cs_par_node_result *nr = &res->nodes[j];

				if (node->depth != 0 || nr->state == CS_PAR_NODE_OFF)
					continue;
				put_text(b, ws, r, 0, fw_code(p), NULL);
				put_text(b, ws, r, 1, res->code, NULL);
				put_text(b, ws, r, 2, p->rep->names ? p->rep->names[k] : NULL,
					 NULL);
				put_text(b, ws, r, 3, node->code, NULL);
				put_text(b, ws, r, 4, node->title, NULL);
				put_num(b, ws, r, 6, published(p, nr->max), b->pts);
				if (nr->state == CS_PAR_NODE_NA) {
					put_none(b, ws, r, 5, "không áp dụng", "not applicable");
				} else {
					put_num(b, ws, r, 5, published(p, nr->points), b->pts);
					if (!cs_fw_node_is_adjustment(node))
						put_num(b, ws, r, 7, published(p, nr->index),
							b->pct);
					put_num(b, ws, r, 8, published(p, nr->contribution),
						b->pts);
				}
				r++;
			}
		}
	}
	if (r > 1)
		keep(b, worksheet_autofilter(ws, 0, 0, r - 1, 8));
	else
		put_none(b, ws, 1, 0, "Chưa có đơn vị nào có kết quả.", "No unit has a result.");
}

static void change_sheet(struct book *b)
{
	const struct cs_report_model *m = b->m;
	lxw_worksheet *ws = sheet(b, T(b, "Thay đổi", "Change"));
	const char *head[] = {T(b, "Khung", "Framework"),
			      T(b, "Mã", "Code"),
			      T(b, "Đơn vị", "Unit"),
			      T(b, "Kỳ trước", "Previous period"),
			      T(b, "Chỉ số kỳ trước (%)", "Previous index (%)"),
			      T(b, "Chỉ số (%)", "Index (%)"),
			      T(b, "Thay đổi chỉ số (điểm %)", "Index change (points)"),
			      T(b, "Thay đổi điểm", "Points change"),
			      T(b, "Hạng kỳ trước", "Previous position"),
			      T(b, "Hạng", "Position"),
			      T(b, "Thay đổi hạng (+ tăng)", "Places moved up")};
	lxw_row_t r = 1;
	char buf[CS_FMT_MAX];

	if (!ws)
		return;
	header(b, ws, 0, head, sizeof(head) / sizeof(head[0]));
	keep(b, worksheet_set_column(ws, 0, 1, 14, NULL));
	keep(b, worksheet_set_column(ws, 2, 2, 36, NULL));
	keep(b, worksheet_set_column(ws, 3, 10, 14, NULL));
	if (m->npar == 0)
		put_none(b, ws, r, 0, "Kỳ này chưa có điểm Chỉ số CCHC.",
			 "This period has no PAR scores.");
	for (size_t s = 0; s < m->npar; s++) {
		const struct cs_report_par *p = &m->par[s];

		for (size_t i = 0; i < p->nrows && r <= ROW_MAX; i++, r++) {
			size_t k = p->rows[i];
			const struct cs_par_result *res = &p->rep->run->results[k];
			const struct cs_par_change *c = &res->change;
			bool has = cs_par_report_has_result(res);

			put_text(b, ws, r, 0, fw_code(p), NULL);
			put_text(b, ws, r, 1, res->code, NULL);
			put_text(b, ws, r, 2, p->rep->names ? p->rep->names[k] : NULL, NULL);
			if (p->rep->prev_period)
				put_text(b, ws, r, 3, p->rep->prev_period, NULL);
			else
				put_text(b, ws, r, 3, "—", b->none);
			put_num(b, ws, r, 4, has && c->has_prev ? c->prev_index : NAN, b->pct);
			put_num(b, ws, r, 5, has ? res->published : NAN, b->pct);
			put_num(b, ws, r, 6, has && c->has_prev ? c->index_change : NAN, b->chg);
			put_num(b, ws, r, 7, has && c->has_prev ? c->points_change : NAN, b->chg);
			if (has && c->has_places)
				put_text(b, ws, r, 8,
					 cs_fmt_rank(c->prev_rank, res->ranked_of, buf), NULL);
			else
				put_text(b, ws, r, 8, "—", b->none);
			if (has && res->rank)
				put_text(b, ws, r, 9, cs_fmt_rank(res->rank, res->ranked_of, buf),
					 NULL);
			else
				put_text(b, ws, r, 9, "—", b->none);
			put_num(b, ws, r, 10, has && c->has_places ? (double)c->places_change : NAN,
				b->cnt);
		}
	}
}

/* ---- SIPAS ---- */

static const char *no_waves(const struct book *b)
{
	return T(b, "Kỳ này chưa có đợt khảo sát nào có phản hồi.",
		 "No survey wave of this period has responses.");
}

/* One unit's element rows; returns the next row. */
static lxw_row_t element_rows(struct book *b, lxw_worksheet *ws, lxw_row_t r, size_t wv,
			      const char *code, const char *name, const struct cs_sipas_domain *d)
{
	const struct cs_report_wave *rw = &b->m->waves[wv];
	const struct cs_sipas_result *res = rw->in->res;
	size_t di = d ? (size_t)(d - res->domains) : 0;

	if (!d) {
		put_text(b, ws, r, 0, rw->in->meta.wave, NULL);
		put_text(b, ws, r, 1, code, NULL);
		put_text(b, ws, r, 2, name, NULL);
		put_num(b, ws, r, 5, 0, b->cnt);
		put_none(b, ws, r, 6, "chưa có phản hồi", "no responses");
		return r + 1;
	}
	for (size_t e = 0; e < d->nelements && r <= ROW_MAX; e++, r++) {
		const struct cs_sipas_element *el = &d->elements[e];
		const struct cs_sipas_est *x = cs_sipas_element_index(res, el);
		const struct cs_q_element *qe = cs_questionnaire_element(res->q, el->element);
		char flags[256];

		put_text(b, ws, r, 0, rw->in->meta.wave, NULL);
		put_text(b, ws, r, 1, code, NULL);
		put_text(b, ws, r, 2, name, NULL);
		put_text(b, ws, r, 3, qe->code, NULL);
		put_text(b, ws, r, 4, pick(b, qe->title_vi, qe->title_en), NULL);
		put_num(b, ws, r, 5, (double)x->n, b->cnt);
		if (x->flags & CS_SIPAS_F_EMPTY) {
			put_none(b, ws, r, 6, "chưa có phản hồi", "no responses");
		} else {
			put_num(b, ws, r, 6, x->index, b->pct);
			put_num(b, ws, r, 7, x->ci_lo, b->pct);
			put_num(b, ws, r, 8, x->ci_hi, b->pct);
		}
		if (rw->in->ch && rw->in->ch[di].elements[e].has_prev)
			put_num(b, ws, r, 9, rw->in->ch[di].elements[e].diff, b->chg);
		else
			put_text(b, ws, r, 9, "—", b->none);
		put_text(b, ws, r, 10,
			 cs_sipas_flags_text(x->flags & ~(unsigned)CS_SIPAS_F_EMPTY, b->lang, flags,
					     sizeof(flags)),
			 NULL);
	}
	return r;
}

static void elements_sheet(struct book *b)
{
	const struct cs_report_model *m = b->m;
	const char *name = T(b, "SIPAS yếu tố", "SIPAS elements");
	lxw_worksheet *ws = sheet(b, name);
	const char *head[] = {T(b, "Đợt", "Wave"),
			      T(b, "Mã đơn vị", "Unit code"),
			      T(b, "Đơn vị", "Unit"),
			      T(b, "Mã yếu tố", "Element"),
			      T(b, "Yếu tố", "Element title"),
			      "n",
			      T(b, "Chỉ số (%)", "Index (%)"),
			      T(b, "KTC 95% dưới", "95% CI lower"),
			      T(b, "KTC 95% trên", "95% CI upper"),
			      T(b, "Thay đổi (điểm %)", "Change (points)"),
			      T(b, "Ghi chú", "Flags")};
	lxw_row_t r = 1, first = 0, chart_rows = 0;

	if (!ws)
		return;
	header(b, ws, 0, head, sizeof(head) / sizeof(head[0]));
	keep(b, worksheet_set_column(ws, 0, 1, 12, NULL));
	keep(b, worksheet_set_column(ws, 2, 2, 34, NULL));
	keep(b, worksheet_set_column(ws, 3, 3, 10, NULL));
	keep(b, worksheet_set_column(ws, 4, 4, 40, NULL));
	keep(b, worksheet_set_column(ws, 5, 10, 13, NULL));
	if (m->nwaves == 0)
		put_text(b, ws, r, 0, no_waves(b), b->none);
	for (size_t wv = 0; wv < m->nwaves; wv++) {
		const struct cs_sipas_domain *fd = cs_report_focus_domain(m, wv);
		lxw_row_t start = r;

		r = element_rows(b, ws, r, wv, m->focus_code, m->focus_name, fd);
		if (wv == 0 && fd && fd->nelements) {
			first = start;
			chart_rows = r - start;
		}
		for (size_t i = 0; i < m->nunits && r <= ROW_MAX; i++)
			r = element_rows(b, ws, r, wv, m->units[i].code, m->units[i].name,
					 cs_report_unit_domain(m, &m->units[i], wv));
	}
	if (chart_rows > 0 && !b->rc) {
		lxw_chart *chart = workbook_add_chart(b->wb, LXW_CHART_BAR);
		lxw_chart_series *ser = chart ? chart_add_series(chart, NULL, NULL) : NULL;
		lxw_chart_options opt = {0};

		if (!ser) {
			keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return;
		}
		chart_series_set_categories(ser, name, first, 4, first + chart_rows - 1, 4);
		chart_series_set_values(ser, name, first, 6, first + chart_rows - 1, 6);
		chart_series_set_name(ser, T(b, "Chỉ số hài lòng (%)", "Satisfaction index (%)"));
		chart_title_set_name(
			chart, T(b, "Chỉ số hài lòng theo yếu tố", "Satisfaction by element"));
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
		chart_axis_set_min(chart->x_axis, 0);
		chart_axis_set_max(chart->x_axis, 100);
		chart_axis_set_reverse(chart->y_axis);
		opt.x_scale = 1.6;
		keep(b, worksheet_insert_chart_opt(ws, 1, 12, chart, &opt));
	}
}

static void items_sheet(struct book *b)
{
	const struct cs_report_model *m = b->m;
	lxw_worksheet *ws = sheet(b, T(b, "SIPAS tiêu chí", "SIPAS items"));
	const char *head[] = {T(b, "Đợt", "Wave"),
			      T(b, "Mã", "Code"),
			      T(b, "Tiêu chí", "Item"),
			      T(b, "Yếu tố", "Element"),
			      "n",
			      T(b, "Hài lòng", "Satisfied"),
			      T(b, "Chỉ số (%)", "Index (%)"),
			      T(b, "KTC 95% dưới", "95% CI lower"),
			      T(b, "KTC 95% trên", "95% CI upper"),
			      T(b, "Điểm trung bình (1-5)", "Mean score (1-5)"),
			      T(b, "Không hài lòng (%)", "Dissatisfied (%)"),
			      T(b, "Thay đổi (điểm %)", "Change (points)"),
			      T(b, "Ghi chú", "Flags")};
	lxw_row_t r = 1;

	if (!ws)
		return;
	header(b, ws, 0, head, sizeof(head) / sizeof(head[0]));
	keep(b, worksheet_set_column(ws, 0, 1, 10, NULL));
	keep(b, worksheet_set_column(ws, 2, 2, 60, NULL));
	keep(b, worksheet_set_column(ws, 3, 12, 12, NULL));
	if (m->nwaves == 0)
		put_text(b, ws, r, 0, no_waves(b), b->none);
	for (size_t wv = 0; wv < m->nwaves; wv++) {
		const struct cs_report_wave *rw = &m->waves[wv];
		const struct cs_sipas_result *res = rw->in->res;
		const struct cs_sipas_domain *d = cs_report_focus_domain(m, wv);
		size_t di = d ? (size_t)(d - res->domains) : 0;

		if (!d) {
			put_text(b, ws, r, 0, rw->in->meta.wave, NULL);
			put_none(b, ws, r++, 2, "chưa có phản hồi", "no responses");
			continue;
		}
		for (size_t k = 0; k < d->nitems && r <= ROW_MAX; k++, r++) {
			const struct cs_sipas_item *it = &d->items[k];
			const struct cs_q_item *qi = cs_questionnaire_item(res->q, it->item);
			bool empty = it->est.flags & CS_SIPAS_F_EMPTY;
			char flags[256];

			put_text(b, ws, r, 0, rw->in->meta.wave, NULL);
			put_text(b, ws, r, 1, qi->code, NULL);
			put_text(b, ws, r, 2, pick(b, qi->text_vi, qi->text_en), NULL);
			put_text(b, ws, r, 3, qi->element_code, NULL);
			put_num(b, ws, r, 4, (double)it->est.n, b->cnt);
			put_num(b, ws, r, 5, (double)it->satisfied, b->cnt);
			if (empty) {
				put_none(b, ws, r, 6, "chưa có phản hồi", "no responses");
			} else {
				put_num(b, ws, r, 6, it->est.index, b->pct);
				put_num(b, ws, r, 7, it->est.ci_lo, b->pct);
				put_num(b, ws, r, 8, it->est.ci_hi, b->pct);
				put_num(b, ws, r, 9, it->mean_score, b->num);
				put_num(b, ws, r, 10, it->dissatisfied, b->pct);
			}
			if (rw->in->ch && rw->in->ch[di].items[k].has_prev)
				put_num(b, ws, r, 11, rw->in->ch[di].items[k].diff, b->chg);
			else
				put_text(b, ws, r, 11, "—", b->none);
			put_text(b, ws, r, 12,
				 cs_sipas_flags_text(it->est.flags & ~(unsigned)CS_SIPAS_F_EMPTY,
						     b->lang, flags, sizeof(flags)),
				 NULL);
		}
	}
}

/* The code and text of a weak-list entry of domain d. */
static void entry_text(const struct book *b, const struct cs_sipas_result *res,
		       const struct cs_sipas_domain *d, size_t k, const char **code,
		       const char **txt, const struct cs_sipas_est **x,
		       const struct cs_sipas_weak **wk)
{
	if (k < d->nitems) {
		const struct cs_q_item *qi = cs_questionnaire_item(res->q, d->items[k].item);

		*code = qi->code;
		*txt = pick(b, qi->text_vi, qi->text_en);
		*x = &d->items[k].est;
		*wk = &d->items[k].weak;
	} else {
		const struct cs_sipas_element *el = &d->elements[k - d->nitems];
		const struct cs_q_element *qe = cs_questionnaire_element(res->q, el->element);

		*code = qe->code;
		*txt = pick(b, qe->title_vi, qe->title_en);
		*x = cs_sipas_element_index(res, el);
		*wk = &el->weak;
	}
}

static const char *reasons(const struct book *b, const struct cs_sipas_weak *k, char *buf,
			   size_t size)
{
	size_t len;

	buf[0] = '\0';
	if (k->below_target)
		snprintf(buf, size, "%s", T(b, "dưới mục tiêu", "below the target"));
	len = strlen(buf);
	if (k->sig_own)
		snprintf(buf + len, size - len, "%s%s", len ? "; " : "",
			 T(b, "thấp hơn đáng kể so với chỉ số chung",
			   "significantly below the overall index"));
	len = strlen(buf);
	if (k->sig_peers)
		snprintf(buf + len, size - len, "%s%s", len ? "; " : "",
			 T(b, "thấp hơn đáng kể so với đơn vị cùng cấp",
			   "significantly below the peers"));
	return buf;
}

/* The force's weak areas, then each unit's "fix first" list. */
static void weak_sheet(struct book *b)
{
	const struct cs_report_model *m = b->m;
	lxw_worksheet *ws = sheet(b, T(b, "Lĩnh vực yếu", "Weak areas"));
	const char *head[] = {T(b, "Mã đơn vị", "Unit code"),
			      T(b, "Đơn vị", "Unit"),
			      T(b, "Thứ tự", "Order"),
			      T(b, "Nguồn", "Source"),
			      T(b, "Mã", "Code"),
			      T(b, "Nội dung", "Text"),
			      T(b, "Chỉ số (%)", "Index (%)"),
			      T(b, "Điểm bị mất", "Points lost"),
			      "n",
			      T(b, "Lý do", "Why"),
			      T(b, "Đợt", "Wave")};
	lxw_row_t r = 1;
	char buf[512];

	if (!ws)
		return;
	header(b, ws, 0, head, sizeof(head) / sizeof(head[0]));
	keep(b, worksheet_set_column(ws, 0, 0, 12, NULL));
	keep(b, worksheet_set_column(ws, 1, 1, 34, NULL));
	keep(b, worksheet_set_column(ws, 2, 4, 9, NULL));
	keep(b, worksheet_set_column(ws, 5, 5, 56, NULL));
	keep(b, worksheet_set_column(ws, 6, 8, 12, NULL));
	keep(b, worksheet_set_column(ws, 9, 9, 40, NULL));
	for (size_t wv = 0; wv < m->nwaves; wv++) {
		const struct cs_report_wave *rw = &m->waves[wv];
		const struct cs_sipas_result *res = rw->in->res;
		const struct cs_sipas_domain *d = cs_report_focus_domain(m, wv);

		for (size_t j = 0; d && j < rw->nweak && r <= ROW_MAX; j++, r++) {
			const char *code, *txt;
			const struct cs_sipas_est *x;
			const struct cs_sipas_weak *wk;

			entry_text(b, res, d, rw->weak[j], &code, &txt, &x, &wk);
			put_text(b, ws, r, 0, m->focus_code, b->focus);
			put_text(b, ws, r, 1, m->focus_name, b->focus);
			put_num(b, ws, r, 2, (double)(j + 1), b->cnt);
			put_text(b, ws, r, 3, T(b, "hài lòng", "satisfaction"), NULL);
			put_text(b, ws, r, 4, code, NULL);
			put_text(b, ws, r, 5, txt, NULL);
			put_num(b, ws, r, 6, x->index, b->pct);
			put_num(b, ws, r, 8, (double)x->n, b->cnt);
			put_text(b, ws, r, 9, reasons(b, wk, buf, sizeof(buf)), NULL);
			put_text(b, ws, r, 10, rw->in->meta.wave, NULL);
		}
	}
	for (size_t i = 0; i < m->nunits; i++) {
		const struct cs_report_unit *u = &m->units[i];

		for (size_t j = 0; j < u->nfix && r <= ROW_MAX; j++, r++) {
			const struct cs_report_fix *f = &u->fix[j];

			put_text(b, ws, r, 0, u->code, NULL);
			put_text(b, ws, r, 1, u->name, NULL);
			put_num(b, ws, r, 2, (double)(j + 1), b->cnt);
			if (!f->sipas) {
				const struct cs_report_par *p = &m->par[u->par];
				const struct cs_fw_node *node =
					cs_framework_node(p->rep->fw, f->pos);

				put_text(b, ws, r, 3, T(b, "CCHC", "PAR"), NULL);
				put_text(b, ws, r, 4, node->code, NULL);
				put_text(b, ws, r, 5, node->title, NULL);
				put_num(b, ws, r, 6, published(p, f->index), b->pct);
				put_num(b, ws, r, 7, published(p, f->lost), b->pts);
			} else {
				const struct cs_sipas_result *res = m->waves[f->wave].in->res;
				const struct cs_sipas_domain *d =
					cs_report_unit_domain(m, u, f->wave);
				const char *code, *txt;
				const struct cs_sipas_est *x;
				const struct cs_sipas_weak *wk;

				entry_text(b, res, d, f->pos, &code, &txt, &x, &wk);
				put_text(b, ws, r, 3, T(b, "hài lòng", "satisfaction"), NULL);
				put_text(b, ws, r, 4, code, NULL);
				put_text(b, ws, r, 5, txt, NULL);
				put_num(b, ws, r, 6, x->index, b->pct);
				put_num(b, ws, r, 8, (double)x->n, b->cnt);
				put_text(b, ws, r, 9, reasons(b, wk, buf, sizeof(buf)), NULL);
				put_text(b, ws, r, 10, m->waves[f->wave].in->meta.wave, NULL);
			}
		}
		for (size_t wv = 0; wv < m->nwaves && r <= ROW_MAX; wv++)
			if (!cs_report_unit_domain(m, u, wv)) {
				put_text(b, ws, r, 0, u->code, NULL);
				put_text(b, ws, r, 1, u->name, NULL);
				put_text(b, ws, r, 3, T(b, "hài lòng", "satisfaction"), NULL);
				put_none(b, ws, r, 5, "chưa có phản hồi", "no responses");
				put_text(b, ws, r++, 10, m->waves[wv].in->meta.wave, NULL);
			}
	}
	if (r == 1)
		put_none(b, ws, r, 0, "Không có mục nào cần ưu tiên.", "Nothing to fix first.");
	else
		keep(b, worksheet_autofilter(ws, 0, 0, r - 1, 10));
}

static void expectations_sheet(struct book *b)
{
	const struct cs_report_model *m = b->m;
	lxw_worksheet *ws = sheet(b, T(b, "Mong đợi", "Expectations"));
	const char *head[] = {T(b, "Đợt", "Wave"),
			      T(b, "Câu hỏi", "Item"),
			      T(b, "Phương án", "Choice"),
			      T(b, "Cần cải thiện", "Should improve"),
			      T(b, "Số người chọn", "Chosen by"),
			      T(b, "Tỷ lệ (%)", "Share (%)")};
	lxw_row_t r = 1;

	if (!ws)
		return;
	header(b, ws, 0, head, sizeof(head) / sizeof(head[0]));
	keep(b, worksheet_set_column(ws, 0, 2, 12, NULL));
	keep(b, worksheet_set_column(ws, 3, 3, 60, NULL));
	keep(b, worksheet_set_column(ws, 4, 5, 14, NULL));
	if (m->nwaves == 0)
		put_text(b, ws, r, 0, no_waves(b), b->none);
	for (size_t wv = 0; wv < m->nwaves; wv++) {
		const struct cs_sipas_result *res = m->waves[wv].in->res;
		const struct cs_sipas_domain *d = cs_report_focus_domain(m, wv);

		for (size_t c = 0; d && c < d->nchoices && r <= ROW_MAX; c++, r++) {
			const struct cs_sipas_choice *x = &d->expectations[c];
			const struct cs_q_item *qi = cs_questionnaire_item(res->q, x->item);
			const struct cs_q_choice *ch = &qi->choices[x->choice];

			put_text(b, ws, r, 0, m->waves[wv].in->meta.wave, NULL);
			put_text(b, ws, r, 1, qi->code, NULL);
			put_text(b, ws, r, 2, ch->value, NULL);
			put_text(b, ws, r, 3, pick(b, ch->label_vi, ch->label_en), NULL);
			put_num(b, ws, r, 4, (double)x->n, b->cnt);
			put_num(b, ws, r, 5, x->share, b->pct);
		}
	}
}

static void method_sheet(struct book *b)
{
	const struct cs_report_model *m = b->m;
	lxw_worksheet *ws = sheet(b, T(b, "Phương pháp", "Methodology"));
	lxw_row_t r = 0;
	char buf[512];

	if (!ws)
		return;
	keep(b, worksheet_set_column(ws, 0, 0, 40, NULL));
	keep(b, worksheet_set_column(ws, 1, 1, 70, NULL));
	put_text(b, ws, r++, 0,
		 T(b,
		   "Các con số được tính bằng chiso theo các phiên bản phương pháp và tùy chọn "
		   "dưới đây; n là số đơn vị hoặc số người trả lời đứng sau mỗi con số.",
		   "The figures are computed by chiso under the methodology versions and options "
		   "below; n is the number of units or respondents behind each figure."),
		 NULL);
	r++;
	for (size_t s = 0; s < m->npar; s++) {
		const struct cs_report_par *p = &m->par[s];
		const struct cs_fw_info *fi = cs_framework_info(p->rep->fw);
		const struct cs_fw_options *o = cs_framework_options(p->rep->fw);

		put_text(b, ws, r++, 0, T(b, "Chỉ số CCHC", "PAR index"), b->title);
		r = kv_text(b, ws, r, T(b, "Khung", "Framework"), fi->code);
		r = kv_text(b, ws, r, T(b, "Phiên bản", "Version"), fi->version);
		r = kv_text(b, ws, r, T(b, "Tên", "Title"), fi->title);
		r = kv_text(b, ws, r, T(b, "Văn bản", "Decision"), fi->decision);
		r = kv_text(b, ws, r, "sha256", p->rep->fw_sha256);
		snprintf(buf, sizeof(buf), "%s, %d", cs_round_mode_name(o->rounding.mode),
			 o->rounding.decimals);
		r = kv_text(b, ws, r,
			    T(b, "Làm tròn, số chữ số (M2.8)", "Rounding, decimals (M2.8)"), buf);
		snprintf(buf, sizeof(buf), "%s; %s; %s", cs_rank_method_name(o->rank_method),
			 cs_rank_scope_name(o->rank_scope),
			 o->full_precision ? "full" : "published");
		r = kv_text(b, ws, r, T(b, "Xếp hạng (M2.6)", "Ranking (M2.6)"), buf);
		r = kv_text(b, ws, r, T(b, "Không áp dụng (M2.2)", "Not applicable (M2.2)"),
			    cs_na_policy_name(o->na_policy));
		r = kv_text(b, ws, r, T(b, "Kỳ so sánh", "Compared with"),
			    p->rep->prev_period ? p->rep->prev_period : "—");
		r = kv_num(b, ws, r, T(b, "Số đơn vị tính điểm", "Units computed"),
			   (double)p->rep->run->nunits, b->cnt);
		r = kv_num(b, ws, r,
			   T(b, "Đơn vị trực thuộc có kết quả", "Units of the force with a result"),
			   (double)p->ncomplete, b->cnt);
		r++;
	}
	for (size_t wv = 0; wv < m->nwaves; wv++) {
		const struct cs_report_wave *rw = &m->waves[wv];
		const struct cs_sipas_result *res = rw->in->res;
		const struct cs_q_options *o = cs_questionnaire_options(res->q);
		size_t len;

		put_text(b, ws, r++, 0, T(b, "Sự hài lòng (SIPAS)", "Satisfaction (SIPAS)"),
			 b->title);
		r = kv_text(b, ws, r, T(b, "Đợt khảo sát", "Wave"), rw->in->meta.wave);
		r = kv_text(b, ws, r, T(b, "Bảng hỏi", "Questionnaire"),
			    rw->in->meta.questionnaire);
		r = kv_text(b, ws, r, T(b, "Phiên bản", "Version"),
			    rw->in->meta.questionnaire_version);
		r = kv_text(b, ws, r, T(b, "Văn bản", "Decision"),
			    cs_questionnaire_info(res->q)->decision);
		r = kv_text(b, ws, r, T(b, "Đợt trước để so sánh", "Compared with wave"),
			    rw->in->meta.previous_wave ? rw->in->meta.previous_wave : "—");
		r = kv_num(b, ws, r, T(b, "Số người trả lời", "Respondents"),
			   (double)res->respondents, b->cnt);
		r = kv_text(b, ws, r, T(b, "Thiết kế mẫu", "Design"),
			    res->opts.design
				    ? (res->opts.clustered ? "weighted, clustered" : "weighted")
				    : "simple random sample");
		buf[0] = '\0';
		for (int lv = 1; lv <= 5; lv++)
			if (o->satisfied_levels >> lv & 1) {
				len = strlen(buf);
				snprintf(buf + len, sizeof(buf) - len, "%s%d", len ? ", " : "", lv);
			}
		r = kv_text(b, ws, r,
			    T(b, "Mức tính là hài lòng (M3.2)", "Satisfied levels (M3.2)"), buf);
		r = kv_text(b, ws, r, T(b, "Chỉ số yếu tố (M3.3)", "Element index (M3.3)"),
			    cs_q_element_agg_name(o->element_agg));
		r = kv_text(b, ws, r, T(b, "Chỉ số công bố (M3.3)", "Headline (M3.3)"),
			    cs_q_overall_agg_name(o->headline));
		snprintf(buf, sizeof(buf), "%s; %s: %s; %s: logit",
			 cs_fmt_percent(100 * (1 - res->alpha), 0, b->lang, (char[CS_FMT_MAX]){0}),
			 T(b, "tiêu chí", "items"),
			 res->opts.design   ? "logit"
			 : o->ci_unweighted ? o->ci_unweighted
					    : "wilson",
			 T(b, "chỉ số gộp", "combined"));
		r = kv_text(b, ws, r, T(b, "Khoảng tin cậy (M3.5)", "Intervals (M3.5)"), buf);
		r = kv_num(b, ws, r, T(b, "Mục tiêu (%) (M3.6)", "Target (%) (M3.6)"), o->target,
			   b->pct);
		r = kv_num(b, ws, r, T(b, "Cỡ mẫu tối thiểu (M3.5)", "Minimum n (M3.5)"),
			   (double)o->min_n, b->cnt);
		r = kv_num(b, ws, r, T(b, "CV tối đa (M3.5)", "Maximum CV (M3.5)"), o->max_cv,
			   b->num);
		r = kv_text(b, ws, r, T(b, "PSU đơn lẻ", "Lonely PSUs"),
			    cs_svy_lonely_name(res->opts.lonely));
		r++;
	}
}

/* The formats: two decimals for indices and points, signed changes, counts. */
static void formats(struct book *b)
{
	b->head = workbook_add_format(b->wb);
	b->title = workbook_add_format(b->wb);
	b->text = workbook_add_format(b->wb);
	b->pct = workbook_add_format(b->wb);
	b->num = workbook_add_format(b->wb);
	b->pts = workbook_add_format(b->wb);
	b->chg = workbook_add_format(b->wb);
	b->cnt = workbook_add_format(b->wb);
	b->none = workbook_add_format(b->wb);
	b->focus = workbook_add_format(b->wb);
	if (!b->head || !b->title || !b->text || !b->pct || !b->num || !b->pts || !b->chg ||
	    !b->cnt || !b->none || !b->focus) {
		keep(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	format_set_bold(b->head);
	format_set_text_wrap(b->head);
	format_set_bg_color(b->head, 0xE8EEF4);
	format_set_bold(b->title);
	format_set_font_size(b->title, 14);
	/* Percentages are stored as percent (91.84), as the JSON gives them,
	 * shown with two decimals and a literal "%". */
	format_set_num_format(b->pct, "0.00\"%\"");
	format_set_num_format(b->num, "0.00");
	format_set_num_format(b->pts, "0.00");
	format_set_num_format(b->chg, "+0.00;-0.00;0.00");
	format_set_num_format(b->cnt, "#,##0");
	format_set_italic(b->none);
	format_set_font_color(b->none, 0x5B6470);
	format_set_bold(b->focus);
}

enum cs_err cs_report_xlsx_write(const struct cs_report_model *m, enum cs_fmt_lang lang,
				 const char *path, struct cs_error *err)
{
	struct book b = {.lang = lang, .m = m};
	lxw_workbook_options opts = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	lxw_doc_properties props = {0};
	FILE *probe;

	/* libxlsxwriter reports a file it cannot create on stderr; trying
	 * first keeps the message ours and the library silent. */
	probe = fopen(path, "wb");
	if (!probe)
		return cs_fail(err, CS_EIO, "cannot write the workbook '%s': %s", path,
			       strerror(errno));
	fclose(probe);
	b.wb = workbook_new_opt(path, &opts);
	if (!b.wb)
		return cs_fail(err, CS_EIO, "cannot create the workbook '%s'", path);
	props.title = (char *)T(&b, "Báo cáo kết quả CCHC và sự hài lòng", "Yearly report");
	props.subject = (char *)m->focus_name;
	props.company = (char *)m->focus_name;
	keep(&b, workbook_set_properties(b.wb, &props));
	formats(&b);
	summary_sheet(&b);
	ranking_sheet(&b);
	components_sheet(&b);
	change_sheet(&b);
	elements_sheet(&b);
	items_sheet(&b);
	weak_sheet(&b);
	expectations_sheet(&b);
	method_sheet(&b);
	keep(&b, workbook_close(b.wb));
	if (b.rc == LXW_ERROR_MEMORY_MALLOC_FAILED)
		return cs_fail(err, CS_ENOMEM, NULL);
	if (b.rc != LXW_NO_ERROR)
		return cs_fail(err, CS_EIO, "cannot write the workbook '%s': %s", path,
			       lxw_strerror(b.rc));
	return CS_OK;
}
