/*
 * Text tables and CSV of satisfaction results. A small table builder pads
 * columns by display width (Vietnamese letters are one column each after
 * NFC; combining marks take none).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/sipas_table.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/vec.h"

#include "util/banned.h"

#define T(lang, vi, en) ((lang) == CS_FMT_EN ? (en) : (vi))
#define COLS_MAX 32

/* ---- A padded text table ---- */

struct tab {
	struct cs_arena arena;
	struct cs_vec rows; /* of const char **, ncols each */
	size_t ncols;
	bool right[COLS_MAX]; /* numbers align right */
};

static void tab_init(struct tab *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	cs_arena_init(&t->arena, 0);
	cs_vec_init(&t->rows, sizeof(const char **), 0);
	t->ncols = ncols < COLS_MAX ? ncols : COLS_MAX;
}

static void tab_release(struct tab *t)
{
	cs_vec_release(&t->rows);
	cs_arena_release(&t->arena);
}

static enum cs_err tab_row(struct tab *t, const char *const *cells, struct cs_error *err)
{
	const char **row = cs_arena_calloc(&t->arena, t->ncols, sizeof(char *));

	if (!row)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = cells[c] ? cells[c] : "";

		row[c] = cs_arena_strndup(&t->arena, s, strlen(s));
		if (!row[c])
			return cs_fail(err, CS_ENOMEM, NULL);
	}
	return cs_vec_push(&t->rows, &row, err);
}

/* Columns a UTF-8 string takes: code points, less combining marks U+0300-U+036F. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		if (*p == 0xcc || (*p == 0xcd && p[1] < 0xb0))
			continue;
		w++;
	}
	return w;
}

static enum cs_err tab_print(const struct tab *t, const char *indent, struct cs_buf *out,
			     struct cs_error *err)
{
	size_t wd[COLS_MAX] = {0};
	enum cs_err rc = CS_OK;

	for (size_t i = 0; i < t->rows.len; i++) {
		const char **row = *(const char ***)cs_vec_at(&t->rows, i);

		for (size_t c = 0; c < t->ncols; c++)
			if (width(row[c]) > wd[c])
				wd[c] = width(row[c]);
	}
	for (size_t i = 0; i < t->rows.len && !rc; i++) {
		const char **row = *(const char ***)cs_vec_at(&t->rows, i);

		rc = cs_buf_addstr(out, indent, err);
		for (size_t c = 0; c < t->ncols && !rc; c++) {
			size_t pad = wd[c] - width(row[c]);
			bool last = c + 1 == t->ncols;

			if (t->right[c] && i > 0)
				for (size_t k = 0; k < pad && !rc; k++)
					rc = cs_buf_addc(out, ' ', err);
			if (!rc)
				rc = cs_buf_addstr(out, row[c], err);
			if (!(t->right[c] && i > 0) && !last)
				for (size_t k = 0; k < pad && !rc; k++)
					rc = cs_buf_addc(out, ' ', err);
			if (!rc && !last)
				rc = cs_buf_add(out, "  ", 2, err);
		}
		/* Trailing spaces of a left-aligned last column are not written. */
		while (!rc && out->len && out->data[out->len - 1] == ' ')
			cs_buf_truncate(out, out->len - 1);
		if (!rc)
			rc = cs_buf_addc(out, '\n', err);
		if (!rc && i == 0) {
			size_t total = 0;

			for (size_t c = 0; c < t->ncols; c++)
				total += wd[c] + (c + 1 < t->ncols ? 2 : 0);
			rc = cs_buf_addstr(out, indent, err);
			for (size_t k = 0; k < total && !rc; k++)
				rc = cs_buf_add(out, "─", strlen("─"), err);
			if (!rc)
				rc = cs_buf_addc(out, '\n', err);
		}
	}
	return rc;
}

/* ---- Numbers ---- */

static const char *pct(double v, enum cs_fmt_lang lang, char out[CS_FMT_MAX])
{
	return cs_fmt_number(v, 2, lang, out);
}

/* "[84,00 – 86,20]", or "" without an interval. */
static const char *interval(const struct cs_sipas_est *e, enum cs_fmt_lang lang, char *out,
			    size_t size)
{
	char lo[CS_FMT_MAX], hi[CS_FMT_MAX];

	if (isnan(e->ci_lo)) {
		out[0] = '\0';
		return out;
	}
	snprintf(out, size, "%s – %s", pct(e->ci_lo, lang, lo), pct(e->ci_hi, lang, hi));
	return out;
}

const char *cs_sipas_flags_text(unsigned flags, enum cs_fmt_lang lang, char *out, size_t size)
{
	static const char *const vi[] = {"trống", "n nhỏ", "CV cao", "PSU đơn", "không có KTC"};
	static const char *const en[] = {"empty", "small n", "high CV", "lonely PSU",
					 "no interval"};
	size_t len = 0;

	if (size)
		out[0] = '\0';
	for (unsigned b = 0; b < CS_SIPAS_F_COUNT_; b++) {
		const char *w = lang == CS_FMT_EN ? en[b] : vi[b];
		int n;

		if (!(flags >> b & 1))
			continue;
		n = snprintf(out + len, size - len, "%s%s", len ? "; " : "", w);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	return out;
}

static const char *domain_kind(enum cs_sipas_by by, enum cs_fmt_lang lang)
{
	static const char *const vi[] = {"Toàn bộ", "Đơn vị",	 "Cấp",
					 "Dịch vụ", "Đối tượng", "Kênh"};
	static const char *const en[] = {"All",	   "Unit", "Level", "Service", "Respondent kind",
					 "Channel"};

	return (unsigned)by < CS_SIPAS_BY_COUNT_ ? (lang == CS_FMT_EN ? en[by] : vi[by]) : "";
}

static const char *domain_name(const struct cs_sipas_domain *d, enum cs_fmt_lang lang)
{
	return lang == CS_FMT_EN && d->name_en && d->name_en[0] ? d->name_en : d->name;
}

static enum cs_err header(const struct cs_sipas_result *r, const struct cs_sipas_meta *m,
			  enum cs_fmt_lang lang, struct cs_buf *out, struct cs_error *err)
{
	const struct cs_q_options *o = cs_questionnaire_options(r->q);
	char n[CS_FMT_MAX], conf[CS_FMT_MAX];

	cs_fmt_count((size_t)r->respondents, lang, n);
	cs_fmt_number_trim(100 * (1 - r->alpha), 1, lang, conf);
	return cs_buf_addf(out, err,
			   T(lang,
			     "Đợt khảo sát %s, kỳ %s, phiếu %s phiên bản %s\n"
			     "%s người trả lời; khoảng tin cậy %s%%: %s; chỉ số chung: %s\n\n",
			     "Survey wave %s, period %s, questionnaire %s version %s\n"
			     "%s respondents; %s%% intervals: %s; headline index: %s\n\n"),
			   m->wave, m->period, m->questionnaire, m->questionnaire_version, n, conf,
			   r->opts.design ? T(lang, "logit theo thiết kế mẫu", "design-based logit")
					  : T(lang, "Wilson (tiêu chí), logit (chỉ số gộp)",
					      "Wilson (items), logit (combined indices)"),
			   cs_q_overall_agg_name(o->headline));
}

static enum cs_err detail(const struct cs_sipas_result *r, const struct cs_sipas_domain *d,
			  enum cs_fmt_lang lang, struct cs_buf *out, struct cs_error *err)
{
	static const char *const ov_vi[] = {"Trung bình các yếu tố", "Gộp các tiêu chí",
					    "Câu hỏi hài lòng chung"};
	static const char *const ov_en[] = {"Mean of elements", "Pooled over items",
					    "General question"};
	struct tab t;
	char a[CS_FMT_MAX], b[CS_FMT_MAX], ci[2 * CS_FMT_MAX + 8], fl[128], nn[CS_FMT_MAX];
	enum cs_err rc;

	cs_fmt_count((size_t)d->n, lang, nn);
	if (d->by == CS_SIPAS_BY_ALL)
		rc = cs_buf_addf(out, err, "%s (n = %s)\n\n",
				 T(lang, "Toàn bộ mẫu", "The whole sample"), nn);
	else
		rc = cs_buf_addf(out, err, "%s: %s %s (n = %s)\n\n", domain_kind(d->by, lang),
				 d->code, domain_name(d, lang), nn);
	tab_init(&t, 5);
	t.right[1] = t.right[3] = true;
	{
		const char *h[5] = {T(lang, "Chỉ số chung", "Overall index"),
				    T(lang, "Chỉ số (%)", "Index (%)"), T(lang, "KTC", "Interval"),
				    "n", T(lang, "Ghi chú", "Notes")};

		if (!rc)
			rc = tab_row(&t, h, err);
	}
	for (int o = 0; o < 3 && !rc; o++) {
		const struct cs_sipas_est *e = &d->overall[o];
		const char *row[5] = {lang == CS_FMT_EN ? ov_en[o] : ov_vi[o],
				      pct(e->index, lang, a), interval(e, lang, ci, sizeof(ci)),
				      cs_fmt_count((size_t)e->n, lang, b),
				      cs_sipas_flags_text(e->flags, lang, fl, sizeof(fl))};

		if (o == CS_Q_OVERALL_GENERAL && cs_questionnaire_general_item(r->q) == CS_Q_NONE)
			continue;
		rc = tab_row(&t, row, err);
	}
	if (!rc)
		rc = tab_print(&t, "  ", out, err);
	tab_release(&t);
	if (!rc)
		rc = cs_buf_addc(out, '\n', err);

	tab_init(&t, 6);
	t.right[2] = t.right[4] = true;
	{
		const char *h[6] = {
			T(lang, "Yếu tố", "Element"), "",  T(lang, "Chỉ số (%)", "Index (%)"),
			T(lang, "KTC", "Interval"),   "n", T(lang, "Ghi chú", "Notes")};

		if (!rc)
			rc = tab_row(&t, h, err);
	}
	for (size_t e = 0; e < d->nelements && !rc; e++) {
		const struct cs_q_element *qe =
			cs_questionnaire_element(r->q, d->elements[e].element);
		const struct cs_sipas_est *x = cs_sipas_element_index(r, &d->elements[e]);
		const char *row[6] = {qe->code,
				      lang == CS_FMT_EN && qe->title_en && qe->title_en[0]
					      ? qe->title_en
					      : qe->title_vi,
				      pct(x->index, lang, a),
				      interval(x, lang, ci, sizeof(ci)),
				      cs_fmt_count((size_t)x->n, lang, b),
				      cs_sipas_flags_text(x->flags, lang, fl, sizeof(fl))};

		rc = tab_row(&t, row, err);
	}
	if (!rc)
		rc = tab_print(&t, "  ", out, err);
	tab_release(&t);
	if (!rc)
		rc = cs_buf_addc(out, '\n', err);

	tab_init(&t, 12);
	for (int c = 1; c < 11; c++)
		t.right[c] = c != 4;
	{
		const char *h[12] = {T(lang, "Tiêu chí", "Item"),
				     "n",
				     T(lang, "Hài lòng", "Satisfied"),
				     T(lang, "Chỉ số (%)", "Index (%)"),
				     T(lang, "KTC", "Interval"),
				     T(lang, "Điểm TB", "Mean"),
				     "1",
				     "2",
				     "3",
				     "4",
				     "5",
				     T(lang, "Ghi chú", "Notes")};

		if (!rc)
			rc = tab_row(&t, h, err);
	}
	for (size_t k = 0; k < d->nitems && !rc; k++) {
		const struct cs_sipas_item *it = &d->items[k];
		char lv[5][CS_FMT_MAX], ms[CS_FMT_MAX], sat[CS_FMT_MAX];
		const char *row[12];

		for (int l = 0; l < 5; l++)
			cs_fmt_number(it->levels[l], 1, lang, lv[l]);
		row[0] = cs_questionnaire_item(r->q, it->item)->code;
		row[1] = cs_fmt_count((size_t)it->est.n, lang, a);
		row[2] = cs_fmt_count((size_t)it->satisfied, lang, sat);
		row[3] = pct(it->est.index, lang, b);
		row[4] = interval(&it->est, lang, ci, sizeof(ci));
		row[5] = cs_fmt_number(it->mean_score, 2, lang, ms);
		for (int l = 0; l < 5; l++)
			row[6 + l] = lv[l];
		row[11] = cs_sipas_flags_text(it->est.flags, lang, fl, sizeof(fl));
		rc = tab_row(&t, row, err);
	}
	if (!rc)
		rc = tab_print(&t, "  ", out, err);
	tab_release(&t);
	if (!rc)
		rc = cs_buf_addc(out, '\n', err);
	return rc;
}

static enum cs_err summary(const struct cs_sipas_result *r, const struct cs_sipas_change *ch,
			   size_t from, enum cs_fmt_lang lang, struct cs_buf *out,
			   struct cs_error *err)
{
	size_t nel = r->ndomains ? r->domains[0].nelements : 0, ncols = (ch ? 8 : 7) + nel;
	const char *cells[COLS_MAX];
	char buf[COLS_MAX][CS_FMT_MAX * 2 + 8];
	struct tab t;
	enum cs_err rc;

	if (ncols > COLS_MAX) {
		nel -= ncols - COLS_MAX;
		ncols = COLS_MAX;
	}
	tab_init(&t, ncols);
	for (size_t c = 3; c < ncols - 1; c++)
		t.right[c] = c != 5;
	cells[0] = T(lang, "Mã", "Code");
	cells[1] = T(lang, "Tên", "Name");
	cells[2] = T(lang, "Cấp", "Level");
	cells[3] = "n";
	cells[4] = T(lang, "Chỉ số (%)", "Index (%)");
	cells[5] = T(lang, "KTC", "Interval");
	for (size_t e = 0; e < nel; e++)
		cells[6 + e] = cs_questionnaire_element(r->q, e)->code;
	cells[6 + nel] = T(lang, "Thay đổi", "Change");
	cells[ncols - 1] = T(lang, "Ghi chú", "Notes");
	rc = tab_row(&t, cells, err);
	for (size_t i = from; i < r->ndomains && !rc; i++) {
		const struct cs_sipas_domain *d = &r->domains[i];
		const struct cs_sipas_est *h = cs_sipas_headline(r, d);

		cells[0] = d->code[0] ? d->code : "-";
		cells[1] = domain_name(d, lang);
		cells[2] = d->by == CS_SIPAS_BY_UNIT
				   ? (lang == CS_FMT_EN ? cs_level_name(d->level)
							: cs_level_name_vi(d->level))
				   : "";
		cells[3] = cs_fmt_count((size_t)d->n, lang, buf[3]);
		cells[4] = pct(h->index, lang, buf[4]);
		cells[5] = interval(h, lang, buf[5], sizeof(buf[5]));
		for (size_t e = 0; e < nel; e++)
			cells[6 + e] = pct(cs_sipas_element_index(r, &d->elements[e])->index, lang,
					   buf[6 + e]);
		cells[6 + nel] = "";
		if (ch && ch[i].overall.has_prev) {
			cs_fmt_signed(ch[i].overall.diff, 2, false, lang, buf[6 + nel]);
			if (ch[i].overall.significant) {
				size_t l = strlen(buf[6 + nel]);

				if (l + 3 <= sizeof(buf[6 + nel]))
					memcpy(buf[6 + nel] + l, " *", 3);
			}
			cells[6 + nel] = buf[6 + nel];
		}
		cells[ncols - 1] =
			cs_sipas_flags_text(h->flags, lang, buf[7 + nel], sizeof(buf[0]));
		rc = tab_row(&t, cells, err);
	}
	if (!rc)
		rc = tab_print(&t, "", out, err);
	if (!rc && ch)
		rc = cs_buf_addstr(out,
				   T(lang, "* thay đổi có ý nghĩa thống kê\n",
				     "* statistically significant change\n"),
				   err);
	tab_release(&t);
	return rc;
}

enum cs_err cs_sipas_table_write(const struct cs_sipas_result *r, const struct cs_sipas_change *ch,
				 const struct cs_sipas_meta *m, enum cs_fmt_lang lang,
				 struct cs_buf *out, struct cs_error *err)
{
	enum cs_err rc = header(r, m, lang, out, err);

	if (!rc && r->ndomains)
		rc = detail(r, &r->domains[0], lang, out, err);
	if (!rc && r->ndomains > 1)
		rc = summary(r, ch, 1, lang, out, err);
	return rc;
}

/* ---- CSV ---- */

static enum cs_err csv_field(struct cs_buf *out, const char *s, struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	if (!s)
		return CS_OK;
	if (!strpbrk(s, ",\"\r\n"))
		return cs_buf_addstr(out, s, err);
	rc = cs_buf_addc(out, '"', err);
	for (const char *p = s; *p && !rc; p++) {
		if (*p == '"')
			rc = cs_buf_addc(out, '"', err);
		if (!rc)
			rc = cs_buf_addc(out, *p, err);
	}
	if (!rc)
		rc = cs_buf_addc(out, '"', err);
	return rc;
}

static enum cs_err csv_num(struct cs_buf *out, double v, struct cs_error *err)
{
	char b[CS_FMT_MAX];
	const char *t = cs_fmt_double(v, b);

	return t ? cs_buf_addstr(out, t, err) : CS_OK;
}

static void flags_machine(unsigned f, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (unsigned b = 0; b < CS_SIPAS_F_COUNT_; b++) {
		int n;

		if (!(f >> b & 1))
			continue;
		n = snprintf(out + len, size - len, "%s%s", len ? ";" : "", cs_sipas_flag_name(b));
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
	}
}

static enum cs_err csv_line(struct cs_buf *out, const struct cs_sipas_domain *d,
			    const char *measure, const char *code, const struct cs_sipas_est *e,
			    double satisfied, const struct cs_sipas_diff *df, struct cs_error *err)
{
	char fl[128];
	enum cs_err rc = csv_field(out, cs_sipas_by_name(d->by), err);

	flags_machine(e->flags, fl, sizeof(fl));
	if (!rc)
		rc = cs_buf_addc(out, ',', err);
	if (!rc)
		rc = csv_field(out, d->code, err);
	if (!rc)
		rc = cs_buf_addc(out, ',', err);
	if (!rc)
		rc = csv_field(out, d->name, err);
	if (!rc)
		rc = cs_buf_addf(out, err, ",%s,%s,%s,%llu,", measure, code,
				 d->by == CS_SIPAS_BY_UNIT || d->by == CS_SIPAS_BY_LEVEL
					 ? cs_level_name(d->level)
					 : "",
				 (unsigned long long)e->n);
	if (!rc && !isnan(satisfied))
		rc = csv_num(out, satisfied, err);
	{
		const double v[6] = {e->index, e->se, e->ci_lo, e->ci_hi, e->deff, e->df};

		for (int k = 0; k < 6 && !rc; k++) {
			rc = cs_buf_addc(out, ',', err);
			if (!rc)
				rc = csv_num(out, v[k], err);
		}
	}
	if (!rc)
		rc = cs_buf_addc(out, ',', err);
	if (!rc)
		rc = csv_field(out, fl, err);
	if (!rc && df && df->has_prev) {
		const double v[3] = {df->diff, df->ci_lo, df->ci_hi};

		for (int k = 0; k < 3 && !rc; k++) {
			rc = cs_buf_addc(out, ',', err);
			if (!rc)
				rc = csv_num(out, v[k], err);
		}
		if (!rc)
			rc = cs_buf_addstr(out, df->significant ? ",1" : ",0", err);
	} else if (!rc) {
		rc = cs_buf_addstr(out, ",,,,", err);
	}
	if (!rc)
		rc = cs_buf_addc(out, '\n', err);
	return rc;
}

enum cs_err cs_sipas_csv_write(const struct cs_sipas_result *r, const struct cs_sipas_change *ch,
			       struct cs_buf *out, struct cs_error *err)
{
	static const char *const ov[] = {"overall.mean_of_elements", "overall.pooled",
					 "overall.general"};
	enum cs_err rc = cs_buf_addstr(
		out,
		"by,code,name,measure,measure_code,level,n,satisfied,index,se,ci_lo,ci_hi,deff,df,"
		"flags,change,change_lo,change_hi,significant\n",
		err);
	enum cs_q_overall_agg head = cs_questionnaire_options(r->q)->headline;

	for (size_t i = 0; i < r->ndomains && !rc; i++) {
		const struct cs_sipas_domain *d = &r->domains[i];

		for (int o = 0; o < 3 && !rc; o++) {
			if (o == CS_Q_OVERALL_GENERAL &&
			    cs_questionnaire_general_item(r->q) == CS_Q_NONE)
				continue;
			rc = csv_line(out, d, ov[o], "", &d->overall[o], NAN,
				      ch && (int)head == o ? &ch[i].overall : NULL, err);
		}
		for (size_t e = 0; e < d->nelements && !rc; e++) {
			const char *code =
				cs_questionnaire_element(r->q, d->elements[e].element)->code;

			rc = csv_line(out, d, "element.mean_of_items", code,
				      &d->elements[e].mean_of_items, NAN,
				      ch && cs_questionnaire_options(r->q)->element_agg ==
							      CS_Q_ELEMENT_MEAN_OF_ITEMS
					      ? &ch[i].elements[e]
					      : NULL,
				      err);
			if (!rc)
				rc = csv_line(out, d, "element.pooled", code,
					      &d->elements[e].pooled, NAN,
					      ch && cs_questionnaire_options(r->q)->element_agg ==
								      CS_Q_ELEMENT_POOLED
						      ? &ch[i].elements[e]
						      : NULL,
					      err);
		}
		for (size_t k = 0; k < d->nitems && !rc; k++)
			rc = csv_line(out, d, "item",
				      cs_questionnaire_item(r->q, d->items[k].item)->code,
				      &d->items[k].est, (double)d->items[k].satisfied,
				      ch ? &ch[i].items[k] : NULL, err);
	}
	return rc;
}

/* ---- Weak areas ---- */

enum cs_err cs_sipas_weak_table_write(const struct cs_sipas_result *r,
				      const struct cs_sipas_meta *m, enum cs_fmt_lang lang,
				      struct cs_buf *out, struct cs_error *err)
{
	enum cs_err rc = header(r, m, lang, out, err);
	const struct cs_q_options *o = cs_questionnaire_options(r->q);
	char tg[CS_FMT_MAX];

	if (!rc)
		rc = cs_buf_addf(
			out, err,
			T(lang,
			  "Cần ưu tiên cải thiện: dưới mục tiêu %s%%, hoặc thấp hơn có ý "
			  "nghĩa so với chỉ số chung của chính đơn vị (R) hay trung bình các "
			  "đơn vị cùng cấp (C), đã hiệu chỉnh Holm.\n\n",
			  "Fix first: below the %s%% target, or significantly below the "
			  "domain's own index (O) or its peers' average (P), Holm-corrected.\n\n"),
			cs_fmt_number_trim(o->target, 2, lang, tg));
	for (size_t i = 0; i < r->ndomains && !rc; i++) {
		const struct cs_sipas_domain *d = &r->domains[i];
		size_t *list = NULL, n = 0;
		char a[CS_FMT_MAX], ci[2 * CS_FMT_MAX + 8], h[CS_FMT_MAX], pa[CS_FMT_MAX];
		struct tab t;

		rc = cs_sipas_weak_list(r, d, &list, &n, err);
		if (rc)
			break;
		if (d->by == CS_SIPAS_BY_ALL)
			rc = cs_buf_addf(out, err, "%s — %s%%\n",
					 T(lang, "Toàn bộ mẫu", "The whole sample"),
					 pct(cs_sipas_headline(r, d)->index, lang, h));
		else
			rc = cs_buf_addf(out, err, "%s: %s %s — %s%%\n", domain_kind(d->by, lang),
					 d->code, domain_name(d, lang),
					 pct(cs_sipas_headline(r, d)->index, lang, h));
		tab_init(&t, 6);
		t.right[2] = t.right[4] = true;
		{
			const char *hd[6] = {T(lang, "Mã", "Code"),
					     T(lang, "Nội dung", "Text"),
					     T(lang, "Chỉ số (%)", "Index (%)"),
					     T(lang, "KTC", "Interval"),
					     T(lang, "TB cùng cấp", "Peers"),
					     T(lang, "Vì", "Why")};

			if (!rc)
				rc = tab_row(&t, hd, err);
		}
		for (size_t j = 0; j < n && !rc; j++) {
			size_t k = list[j];
			bool item = k < d->nitems;
			const struct cs_sipas_est *x =
				item ? &d->items[k].est
				     : cs_sipas_element_index(r, &d->elements[k - d->nitems]);
			const struct cs_sipas_weak *w =
				item ? &d->items[k].weak : &d->elements[k - d->nitems].weak;
			char why[32];
			const char *row[6];

			snprintf(why, sizeof(why), "%s%s%s", w->below_target ? "<" : "",
				 w->sig_own ? T(lang, " R", " O") : "",
				 w->sig_peers ? T(lang, " C", " P") : "");
			if (item) {
				const struct cs_q_item *qi =
					cs_questionnaire_item(r->q, d->items[k].item);

				row[0] = qi->code;
				row[1] = lang == CS_FMT_EN && qi->text_en && qi->text_en[0]
						 ? qi->text_en
						 : qi->text_vi;
			} else {
				const struct cs_q_element *qe = cs_questionnaire_element(
					r->q, d->elements[k - d->nitems].element);

				row[0] = qe->code;
				row[1] = lang == CS_FMT_EN && qe->title_en && qe->title_en[0]
						 ? qe->title_en
						 : qe->title_vi;
			}
			row[2] = pct(x->index, lang, a);
			row[3] = interval(x, lang, ci, sizeof(ci));
			row[4] = isnan(w->peer_average) ? "" : pct(w->peer_average, lang, pa);
			row[5] = why[0] == ' ' ? why + 1 : why;
			rc = tab_row(&t, row, err);
		}
		if (!rc && n)
			rc = tab_print(&t, "  ", out, err);
		else if (!rc)
			rc = cs_buf_addstr(out, T(lang, "  (không có)\n", "  (none)\n"), err);
		tab_release(&t);
		for (size_t c = 0; c < d->nchoices && !rc; c++) {
			const struct cs_sipas_choice *x = &d->expectations[c];
			const struct cs_q_item *qi = cs_questionnaire_item(r->q, x->item);
			const struct cs_q_choice *cc = &qi->choices[x->choice];

			if (c == 0)
				rc = cs_buf_addstr(
					out, T(lang, "  Mong đợi:\n", "  Expectations:\n"), err);
			if (!rc)
				rc = cs_buf_addf(
					out, err, "    %6s%%  %s\n", pct(x->share, lang, a),
					lang == CS_FMT_EN && cc->label_en && cc->label_en[0]
						? cc->label_en
						: cc->label_vi);
		}
		if (!rc)
			rc = cs_buf_addc(out, '\n', err);
		cs_free(list);
	}
	return rc;
}

/* ---- Rankings ---- */

enum cs_err cs_sipas_rank_table_write(const struct cs_sipas_result *r,
				      const struct cs_sipas_rank *ranks, size_t n,
				      const struct cs_sipas_meta *m, enum cs_fmt_lang lang,
				      struct cs_buf *out, struct cs_error *err)
{
	enum cs_err rc = header(r, m, lang, out, err);

	for (size_t i = 0; i < n && !rc;) {
		size_t g = ranks[i].group;
		struct tab t;
		const char *hd[7] = {T(lang, "Hạng", "Rank"),
				     T(lang, "Mã", "Code"),
				     T(lang, "Tên", "Name"),
				     "n",
				     T(lang, "Chỉ số (%)", "Index (%)"),
				     T(lang, "KTC", "Interval"),
				     T(lang, "Khoảng hạng", "Rank interval")};

		tab_init(&t, 7);
		t.right[0] = t.right[3] = t.right[4] = true;
		rc = tab_row(&t, hd, err);
		for (; i < n && ranks[i].group == g && !rc; i++) {
			const struct cs_sipas_rank *k = &ranks[i];
			const struct cs_sipas_domain *d = &r->domains[k->domain];
			const struct cs_sipas_est *h = cs_sipas_headline(r, d);
			char pos[CS_FMT_MAX], nn[CS_FMT_MAX], ix[CS_FMT_MAX],
				ci[2 * CS_FMT_MAX + 8], ri[64];
			const char *row[7];

			if (k->rank_lo)
				snprintf(ri, sizeof(ri), "%zu–%zu", k->rank_lo, k->rank_hi);
			else
				ri[0] = '\0';
			row[0] = k->rank ? cs_fmt_rank(k->rank, k->ranked_of, pos)
					 : T(lang, "không xếp", "unranked");
			row[1] = d->code;
			row[2] = domain_name(d, lang);
			row[3] = cs_fmt_count((size_t)d->n, lang, nn);
			row[4] = pct(h->index, lang, ix);
			row[5] = interval(h, lang, ci, sizeof(ci));
			row[6] = ri;
			rc = tab_row(&t, row, err);
		}
		if (!rc && r->domains[ranks[i - 1].domain].by == CS_SIPAS_BY_UNIT)
			rc = cs_buf_addf(
				out, err, "%s: %s\n", T(lang, "Cấp", "Level"),
				lang == CS_FMT_EN
					? cs_level_name(r->domains[ranks[i - 1].domain].level)
					: cs_level_name_vi(r->domains[ranks[i - 1].domain].level));
		if (!rc)
			rc = tab_print(&t, "", out, err);
		if (!rc)
			rc = cs_buf_addc(out, '\n', err);
		tab_release(&t);
	}
	return rc;
}

enum cs_err cs_sipas_rank_csv_write(const struct cs_sipas_result *r,
				    const struct cs_sipas_rank *ranks, size_t n, struct cs_buf *out,
				    struct cs_error *err)
{
	enum cs_err rc = cs_buf_addstr(out,
				       "group,by,code,name,level,n,index,ci_lo,ci_hi,value,rank,"
				       "ranked_of,rank_lo,rank_hi\n",
				       err);

	for (size_t i = 0; i < n && !rc; i++) {
		const struct cs_sipas_rank *k = &ranks[i];
		const struct cs_sipas_domain *d = &r->domains[k->domain];
		const struct cs_sipas_est *h = cs_sipas_headline(r, d);
		const double v[4] = {h->index, h->ci_lo, h->ci_hi, k->value};

		rc = cs_buf_addf(out, err, "%zu,%s,", k->group, cs_sipas_by_name(d->by));
		if (!rc)
			rc = csv_field(out, d->code, err);
		if (!rc)
			rc = cs_buf_addc(out, ',', err);
		if (!rc)
			rc = csv_field(out, d->name, err);
		if (!rc)
			rc = cs_buf_addf(out, err, ",%s,%llu",
					 d->by == CS_SIPAS_BY_UNIT ? cs_level_name(d->level) : "",
					 (unsigned long long)d->n);
		for (int j = 0; j < 4 && !rc; j++) {
			rc = cs_buf_addc(out, ',', err);
			if (!rc)
				rc = csv_num(out, v[j], err);
		}
		if (!rc && k->rank)
			rc = cs_buf_addf(out, err, ",%zu,%zu", k->rank, k->ranked_of);
		else if (!rc)
			rc = cs_buf_addf(out, err, ",,%zu", k->ranked_of);
		if (!rc && k->rank_lo)
			rc = cs_buf_addf(out, err, ",%zu,%zu\n", k->rank_lo, k->rank_hi);
		else if (!rc)
			rc = cs_buf_addstr(out, ",,\n", err);
	}
	return rc;
}
