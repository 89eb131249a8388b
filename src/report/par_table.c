/*
 * PAR results as terminal tables (Vietnamese or English) and as CSV. Tables
 * are built in memory, measured by display width and then written, so that
 * Vietnamese names line up.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/par_table.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/vec.h"

#include "util/banned.h"

#define TABLE_COLS_MAX 64
#define T(lang, vi, en) ((lang) == CS_FMT_VI ? (vi) : (en))

/* A text table: cells in an arena, row-major. */
struct table {
	struct cs_arena arena;
	struct cs_vec cells; /* of const char * */
	size_t ncols;
	bool right[TABLE_COLS_MAX]; /* right-aligned columns (numbers) */
};

static void table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	cs_arena_init(&t->arena, 0);
	cs_vec_init(&t->cells, sizeof(const char *), 0);
	t->ncols = ncols < TABLE_COLS_MAX ? ncols : TABLE_COLS_MAX;
}

static void table_release(struct table *t)
{
	cs_vec_release(&t->cells);
	cs_arena_release(&t->arena);
}

static enum cs_err cell(struct table *t, const char *s, struct cs_error *err)
{
	const char *copy = cs_arena_strndup(&t->arena, s ? s : "", s ? strlen(s) : 0);

	if (!copy)
		return cs_fail(err, CS_ENOMEM, NULL);
	return cs_vec_push(&t->cells, &copy, err);
}

static enum cs_err cellf(struct table *t, struct cs_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum cs_err cellf(struct table *t, struct cs_error *err, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return cell(t, buf, err);
}

static enum cs_err pad(struct cs_buf *out, size_t n, struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	for (size_t i = 0; !rc && i < n; i++)
		rc = cs_buf_addc(out, ' ', err);
	return rc;
}

/* Writes the table: the first row is the header, underlined. */
static enum cs_err table_write(const struct table *t, struct cs_buf *out, struct cs_error *err)
{
	size_t rows = t->cells.len / t->ncols, width[TABLE_COLS_MAX] = {0};
	enum cs_err rc = CS_OK;

	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t w = cs_fmt_width(
				*(const char **)cs_vec_at(&t->cells, r * t->ncols + c));

			if (w > width[c])
				width[c] = w;
		}
	for (size_t r = 0; !rc && r < rows; r++) {
		size_t start = out->len;

		for (size_t c = 0; !rc && c < t->ncols; c++) {
			const char *s = *(const char **)cs_vec_at(&t->cells, r * t->ncols + c);
			size_t gap = width[c] - cs_fmt_width(s);
			bool last = c + 1 == t->ncols;

			if (t->right[c] && r > 0)
				rc = pad(out, gap, err);
			if (!rc)
				rc = cs_buf_addstr(out, s, err);
			if (!rc && !last && !(t->right[c] && r > 0))
				rc = pad(out, gap, err);
			if (!rc && !last)
				rc = cs_buf_addstr(out, "  ", err);
		}
		/* Lines end without the padding of empty cells. */
		while (!rc && out->len > start && out->data[out->len - 1] == ' ')
			cs_buf_truncate(out, out->len - 1);
		if (!rc)
			rc = cs_buf_addc(out, '\n', err);
		if (!rc && r == 0) {
			for (size_t c = 0; !rc && c < t->ncols; c++) {
				for (size_t k = 0; !rc && k < width[c]; k++)
					rc = cs_buf_addstr(out, "─", err);
				if (!rc && c + 1 < t->ncols)
					rc = cs_buf_addstr(out, "  ", err);
			}
			if (!rc)
				rc = cs_buf_addc(out, '\n', err);
		}
	}
	return rc;
}

static const char *source_label(enum cs_fw_source s, enum cs_fmt_lang lang)
{
	static const char *const vi[CS_SOURCE_COUNT_] = {
		[CS_SOURCE_SELF] = "tự đánh giá", [CS_SOURCE_SURVEY] = "khảo sát",
		[CS_SOURCE_DATA] = "số liệu",	  [CS_SOURCE_BONUS] = "điểm thưởng",
		[CS_SOURCE_PENALTY] = "điểm trừ",
	};
	const char *name = cs_fw_source_name(s);

	if (lang == CS_FMT_VI && (unsigned)s < CS_SOURCE_COUNT_ && vi[s])
		return vi[s];
	return name ? name : "";
}

static const char *band_label(const struct cs_fw_band *b, enum cs_fmt_lang lang)
{
	const char *l = lang == CS_FMT_VI ? b->label_vi : b->label_en;

	return l && *l ? l : b->code;
}

static enum cs_err ranking(const struct cs_par_report *r, const size_t *order,
			   enum cs_fmt_lang lang, struct cs_buf *out, struct cs_error *err)
{
	struct table t;
	int d = cs_par_report_decimals(r);
	const char *head[] = {T(lang, "Hạng", "Rank"),	    T(lang, "Mã", "Code"),
			      T(lang, "Đơn vị", "Unit"),    T(lang, "Điểm", "Points"),
			      T(lang, "Chỉ số", "Index"),   T(lang, "Xếp loại", "Band"),
			      T(lang, "Thay đổi", "Change")};
	size_t nh = r->prev_period ? 7 : 6;
	bool pending = false;
	enum cs_err rc = CS_OK;

	table_init(&t, nh);
	t.right[3] = t.right[4] = true;
	for (size_t c = 0; !rc && c < nh; c++)
		rc = cell(&t, head[c], err);
	for (size_t k = 0; !rc && k < r->run->nunits; k++) {
		size_t i = order[k];
		const struct cs_par_result *res = &r->run->results[i];
		bool has = cs_par_report_has_result(res);
		char a[CS_FMT_MAX], b[CS_FMT_MAX];

		if (res->rank)
			rc = cell(&t, cs_fmt_rank(res->rank, res->ranked_of, a), err);
		else if (has && res->unranked)
			rc = cell(&t, T(lang, "không xếp hạng", "not ranked"), err);
		else
			rc = cell(&t, "-", err);
		if (!rc)
			rc = cell(&t, res->code, err);
		if (!rc)
			rc = cell(&t, r->names && r->names[i] ? r->names[i] : "", err);
		if (!rc && has)
			rc = cellf(
				&t, err, "%s/%s",
				cs_fmt_number_trim(cs_par_report_round(r, res->points), d, lang, a),
				cs_fmt_number_trim(cs_par_report_round(r, res->max), d, lang, b));
		else if (!rc)
			rc = cell(&t, "-", err);
		if (!rc && has) {
			pending |= res->pending_appraisal > 0;
			rc = cellf(&t, err, "%s%s", cs_fmt_percent(res->published, d, lang, a),
				   res->pending_appraisal ? "*" : "");
		} else if (!rc) {
			rc = cell(&t,
				  res->state == CS_PAR_EMPTY
					  ? T(lang, "không áp dụng", "not applicable")
					  : T(lang, "chưa có kết quả", "no result yet"),
				  err);
		}
		if (!rc)
			rc = cell(&t,
				  has && res->band != CS_FW_NONE
					  ? band_label(cs_framework_band(r->fw, res->band), lang)
					  : "",
				  err);
		if (!rc && nh == 7) {
			const struct cs_par_change *c = &res->change;

			if (!has || !c->has_prev)
				rc = cell(&t, "", err);
			else if (c->has_places && c->places_change == 0)
				rc = cellf(&t, err, "%s =",
					   cs_fmt_signed(c->points_change, d, true, lang, a));
			else if (c->has_places)
				rc = cellf(&t, err, "%s %s%ld",
					   cs_fmt_signed(c->points_change, d, true, lang, a),
					   c->places_change > 0 ? "↑" : "↓",
					   c->places_change < 0 ? -c->places_change
								: c->places_change);
			else
				rc = cell(&t, cs_fmt_signed(c->points_change, d, true, lang, a),
					  err);
		}
	}
	if (!rc)
		rc = table_write(&t, out, err);
	if (!rc && pending)
		rc = cs_buf_addstr(out,
				   T(lang,
				     "* còn tiêu chí chỉ có điểm tự đánh giá, chưa có điểm thẩm "
				     "định\n",
				     "* some criteria have a self-assessed score only, not yet "
				     "appraised\n"),
				   err);
	table_release(&t);
	return rc;
}

/* Per unit with a result, the contribution of each top-level node (M2.4). */
static enum cs_err components(const struct cs_par_report *r, const size_t *order,
			      enum cs_fmt_lang lang, struct cs_buf *out, struct cs_error *err)
{
	size_t nn = cs_framework_node_count(r->fw), ntop = 0, top[TABLE_COLS_MAX];
	int d = cs_par_report_decimals(r);
	struct table t;
	bool any = false;
	enum cs_err rc = CS_OK;

	for (size_t i = 0; i < nn && ntop + 3 < TABLE_COLS_MAX; i++)
		if (cs_framework_node(r->fw, i)->parent == CS_FW_NONE)
			top[ntop++] = i;
	for (size_t i = 0; i < r->run->nunits; i++)
		any |= cs_par_report_has_result(&r->run->results[i]);
	if (!any)
		return CS_OK;
	table_init(&t, ntop + 2);
	for (size_t c = 1; c < ntop + 2; c++)
		t.right[c] = true;
	rc = cs_buf_addstr(out,
			   T(lang, "\nĐiểm thành phần (cộng lại bằng chỉ số):\n",
			     "\nComponents (they add up to the index):\n"),
			   err);
	if (!rc)
		rc = cell(&t, T(lang, "Mã", "Code"), err);
	for (size_t c = 0; !rc && c < ntop; c++)
		rc = cell(&t, cs_framework_node(r->fw, top[c])->code, err);
	if (!rc)
		rc = cell(&t, T(lang, "Chỉ số", "Index"), err);
	for (size_t k = 0; !rc && k < r->run->nunits; k++) {
		const struct cs_par_result *res = &r->run->results[order[k]];
		char a[CS_FMT_MAX];

		if (!cs_par_report_has_result(res))
			continue;
		rc = cell(&t, res->code, err);
		for (size_t c = 0; !rc && c < ntop; c++) {
			const struct cs_par_node_result *nr = &res->nodes[top[c]];

			rc = cell(&t,
				  nr->state == CS_PAR_NODE_SCORED
					  ? cs_fmt_number(cs_par_report_round(r, nr->contribution),
							  d, lang, a)
					  : "-",
				  err);
		}
		if (!rc)
			rc = cell(&t, cs_fmt_number(res->published, d, lang, a), err);
	}
	if (!rc)
		rc = table_write(&t, out, err);
	table_release(&t);
	return rc;
}

/* Units with no result yet and the leaves they wait for: never a silent zero. */
static enum cs_err waiting(const struct cs_par_report *r, const size_t *order,
			   enum cs_fmt_lang lang, struct cs_buf *out, struct cs_error *err)
{
	bool header = false;
	enum cs_err rc = CS_OK;

	for (size_t k = 0; !rc && k < r->run->nunits; k++) {
		const struct cs_par_result *res = &r->run->results[order[k]];

		if (res->state != CS_PAR_INCOMPLETE)
			continue;
		if (!header) {
			rc = cs_buf_addstr(
				out,
				T(lang,
				  "\nChưa có kết quả (không tính điểm 0, không xếp loại, không xếp "
				  "hạng):\n",
				  "\nNo result yet (not counted as zero, not banded, not "
				  "ranked):\n"),
				err);
			header = true;
		}
		if (!rc)
			rc = cs_buf_addf(out, err, "  %s: %s ", res->code,
					 T(lang, "còn chờ", "waiting for"));
		for (size_t m = 0; !rc && m < res->nmissing; m++) {
			const struct cs_fw_node *n = cs_framework_node(r->fw, res->missing[m]);

			if (m == 8) {
				rc = cs_buf_addf(
					out, err,
					T(lang, ", ... (%zu tiêu chí)", ", ... (%zu criteria)"),
					res->nmissing);
				break;
			}
			rc = cs_buf_addf(out, err, "%s%s (%s)", m ? ", " : "", n->code,
					 source_label(n->source, lang));
		}
		for (size_t m = 0; !rc && m < res->nmissing; m++) {
			enum cs_fw_source s = cs_framework_node(r->fw, res->missing[m])->source;

			if (s == CS_SOURCE_SURVEY || s == CS_SOURCE_DATA) {
				rc = cs_buf_addstr(out,
						   T(lang,
						     " — kết quả khảo sát và số liệu chưa được "
						     "cung cấp",
						     " — survey and data results are not provided "
						     "yet"),
						   err);
				break;
			}
		}
		if (!rc)
			rc = cs_buf_addc(out, '\n', err);
	}
	return rc;
}

static const char *group_label(const struct cs_par_group *g, enum cs_fmt_lang lang, char *buf,
			       size_t cap)
{
	if (g->kind == CS_PAR_GROUP_ALL)
		return T(lang, "Tất cả", "All");
	if (g->kind == CS_PAR_GROUP_LEVEL)
		return lang == CS_FMT_VI ? cs_level_name_vi(g->level) : cs_level_name(g->level);
	snprintf(buf, cap, "%s %s", T(lang, "Trực thuộc", "Under"), g->parent ? g->parent : "");
	return buf;
}

static enum cs_err group_table(const struct cs_par_report *r, enum cs_fmt_lang lang,
			       enum cs_par_group_kind kind, struct cs_buf *out,
			       struct cs_error *err)
{
	size_t nb = cs_framework_band_count(r->fw);
	int d = cs_par_report_decimals(r);
	const char *head[] = {T(lang, "Nhóm", "Group"),
			      T(lang, "Đơn vị", "Units"),
			      T(lang, "Có kết quả", "With result"),
			      T(lang, "Trung bình", "Mean"),
			      T(lang, "Trung vị", "Median"),
			      T(lang, "Thấp nhất", "Min"),
			      T(lang, "Cao nhất", "Max"),
			      T(lang, "Chênh lệch", "Gap")};
	struct table t;
	enum cs_err rc;

	if (8 + nb > TABLE_COLS_MAX)
		nb = TABLE_COLS_MAX - 8;
	table_init(&t, 8 + nb);
	for (size_t c = 1; c < 8 + nb; c++)
		t.right[c] = true;
	rc = cs_buf_addstr(out, T(lang, "\nThống kê theo nhóm:\n", "\nGroups:\n"), err);
	for (size_t c = 0; !rc && c < 8; c++)
		rc = cell(&t, head[c], err);
	for (size_t b = 0; !rc && b < nb; b++)
		rc = cell(&t, cs_framework_band(r->fw, b)->code, err);
	for (size_t gi = 0; !rc && gi < r->run->ngroups; gi++) {
		const struct cs_par_group *g = &r->run->groups[gi];
		double v[5] = {g->mean, g->median, g->min, g->max, g->gap};
		char a[CS_FMT_MAX], label[200];

		if (g->kind != CS_PAR_GROUP_ALL && g->kind != kind)
			continue;
		rc = cell(&t, group_label(g, lang, label, sizeof(label)), err);
		if (!rc)
			rc = cell(&t, cs_fmt_count(g->units, lang, a), err);
		if (!rc)
			rc = cell(&t, cs_fmt_count(g->n, lang, a), err);
		for (int s = 0; !rc && s < 5; s++)
			rc = cell(&t,
				  g->n ? cs_fmt_number(cs_par_report_round(r, v[s]), d, lang, a)
				       : "-",
				  err);
		for (size_t b = 0; !rc && b < nb; b++)
			rc = cell(&t, cs_fmt_count(g->band_counts ? g->band_counts[b] : 0, lang, a),
				  err);
	}
	if (!rc)
		rc = table_write(&t, out, err);
	table_release(&t);
	return rc;
}

enum cs_err cs_par_table_write(const struct cs_par_report *r, enum cs_fmt_lang lang,
			       enum cs_par_group_kind groups, struct cs_buf *out,
			       struct cs_error *err)
{
	const struct cs_fw_info *info = cs_framework_info(r->fw);
	size_t n = r->run->nunits, *order = cs_calloc(n ? n : 1, sizeof(*order));
	enum cs_err rc;

	if (!order)
		return cs_fail(err, CS_ENOMEM, NULL);
	rc = cs_par_report_order(r, order, err);
	if (!rc)
		rc = cs_buf_addf(out, err,
				 T(lang, "Chỉ số CCHC kỳ %s — %s (%s, phiên bản %s)\n",
				   "PAR index, period %s — %s (%s, version %s)\n"),
				 r->period, info->title && *info->title ? info->title : info->code,
				 info->code, info->version);
	if (!rc && r->prev_period)
		rc = cs_buf_addf(
			out, err,
			T(lang, "Thay đổi so với kỳ %s: điểm, và bậc xếp hạng (↑ tăng, ↓ giảm)\n",
			  "Change since period %s: points, and places (↑ up, ↓ down)\n"),
			r->prev_period);
	if (!rc && n == 0)
		rc = cs_buf_addstr(out,
				   T(lang, "Chưa có đơn vị nào có điểm trong kỳ này.\n",
				     "No unit has scores in this period yet.\n"),
				   err);
	if (!rc && n > 0)
		rc = cs_buf_addc(out, '\n', err);
	if (!rc && n > 0)
		rc = ranking(r, order, lang, out, err);
	if (!rc && n > 0)
		rc = components(r, order, lang, out, err);
	if (!rc && n > 0)
		rc = waiting(r, order, lang, out, err);
	if (!rc && n > 0)
		rc = group_table(r, lang, groups, out, err);
	cs_free(order);
	return rc;
}

/* CSV */

static enum cs_err csv_field(struct cs_buf *out, const char *s, bool first, struct cs_error *err)
{
	enum cs_err rc = first ? CS_OK : cs_buf_addc(out, ',', err);

	if (rc || !s)
		return rc;
	if (!strpbrk(s, ",\"\r\n"))
		return cs_buf_addstr(out, s, err);
	rc = cs_buf_addc(out, '"', err);
	for (const char *p = s; !rc && *p; p++) {
		if (*p == '"')
			rc = cs_buf_addc(out, '"', err);
		if (!rc)
			rc = cs_buf_addc(out, *p, err);
	}
	if (!rc)
		rc = cs_buf_addc(out, '"', err);
	return rc;
}

static const char *csv_num(const struct cs_par_report *r, bool has, double v, char out[CS_FMT_MAX])
{
	return has ? cs_fmt_double(cs_par_report_round(r, v), out) : NULL;
}

enum cs_err cs_par_csv_write(const struct cs_par_report *r, struct cs_buf *out,
			     struct cs_error *err)
{
	static const char *const head[] = {
		"code",	     "name",	      "parent",	      "level",	       "state",
		"points",    "max_points",    "index",	      "band",	       "rank",
		"ranked_of", "change_points", "change_index", "change_places", "missing"};
	size_t nn = cs_framework_node_count(r->fw), n = r->run->nunits;
	size_t *order = cs_calloc(n ? n : 1, sizeof(*order));
	struct cs_buf missing;
	enum cs_err rc;

	if (!order)
		return cs_fail(err, CS_ENOMEM, NULL);
	cs_buf_init(&missing, 1u << 20);
	rc = cs_par_report_order(r, order, err);
	for (size_t c = 0; !rc && c < sizeof(head) / sizeof(head[0]); c++)
		rc = csv_field(out, head[c], c == 0, err);
	for (size_t i = 0; !rc && i < nn; i++) {
		const struct cs_fw_node *node = cs_framework_node(r->fw, i);
		char name[200];

		if (node->parent != CS_FW_NONE)
			continue;
		snprintf(name, sizeof(name), "points:%s", node->code);
		rc = csv_field(out, name, false, err);
	}
	if (!rc)
		rc = cs_buf_addc(out, '\n', err);
	for (size_t k = 0; !rc && k < n; k++) {
		size_t i = order[k];
		const struct cs_par_result *res = &r->run->results[i];
		const struct cs_par_change *c = &res->change;
		bool has = cs_par_report_has_result(res), ch = has && c->has_prev;
		char a[CS_FMT_MAX];

		cs_buf_reset(&missing);
		for (size_t m = 0; !rc && m < res->nmissing; m++)
			rc = cs_buf_addf(&missing, err, "%s%s", m ? ";" : "",
					 cs_framework_node(r->fw, res->missing[m])->code);
		if (!rc)
			rc = csv_field(out, res->code, true, err);
		if (!rc)
			rc = csv_field(out, r->names ? r->names[i] : NULL, false, err);
		if (!rc)
			rc = csv_field(out, res->parent, false, err);
		if (!rc)
			rc = csv_field(out, cs_level_name(res->level), false, err);
		if (!rc)
			rc = csv_field(out, cs_par_state_name(res->state), false, err);
		if (!rc)
			rc = csv_field(out, csv_num(r, has, res->points, a), false, err);
		if (!rc)
			rc = csv_field(out, csv_num(r, true, res->max, a), false, err);
		if (!rc)
			rc = csv_field(out, has ? cs_fmt_double(res->published, a) : NULL, false,
				       err);
		if (!rc)
			rc = csv_field(out,
				       has && res->band != CS_FW_NONE
					       ? cs_framework_band(r->fw, res->band)->code
					       : NULL,
				       false, err);
		if (!rc)
			rc = csv_field(out,
				       res->rank ? (snprintf(a, sizeof(a), "%zu", res->rank), a)
						 : NULL,
				       false, err);
		if (!rc)
			rc = csv_field(out,
				       res->rank
					       ? (snprintf(a, sizeof(a), "%zu", res->ranked_of), a)
					       : NULL,
				       false, err);
		if (!rc)
			rc = csv_field(out, csv_num(r, ch, c->points_change, a), false, err);
		if (!rc)
			rc = csv_field(out, csv_num(r, ch, c->index_change, a), false, err);
		if (!rc)
			rc = csv_field(
				out,
				ch && c->has_places
					? (snprintf(a, sizeof(a), "%ld", c->places_change), a)
					: NULL,
				false, err);
		if (!rc)
			rc = csv_field(out, missing.len ? missing.data : NULL, false, err);
		for (size_t j = 0; !rc && j < nn; j++) {
			const struct cs_fw_node *node = cs_framework_node(r->fw, j);
			const struct cs_par_node_result *nr = &res->nodes[j];

			if (node->parent != CS_FW_NONE)
				continue;
			rc = csv_field(out,
				       csv_num(r, nr->state == CS_PAR_NODE_SCORED, nr->points, a),
				       false, err);
		}
		if (!rc)
			rc = cs_buf_addc(out, '\n', err);
	}
	cs_buf_release(&missing);
	cs_free(order);
	return rc;
}
