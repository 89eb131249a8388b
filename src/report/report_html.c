/*
 * The yearly report as one self-contained HTML file (see report_html.h):
 * inline CSS for screens, phones and A4 print, inline SVG charts drawn with
 * integer coordinates, every text from the data escaped.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/rank.h"
#include "core/round.h"
#include "report/report_html.h"
#include "report/sipas_table.h"

#include "util/banned.h"

/* The writer: the first error is kept and later calls do nothing. */
struct hw {
	struct cs_buf *b;
	struct cs_error *err;
	enum cs_err rc;
	enum cs_fmt_lang lang;
	const struct cs_report_model *m;
};

#define T(w, vi, en) ((w)->lang == CS_FMT_EN ? (en) : (vi))

/* Decimals of SIPAS figures on display (M5). */
#define SIPAS_DECIMALS 2

static void raw(struct hw *w, const char *s)
{
	if (!w->rc)
		w->rc = cs_buf_addstr(w->b, s, w->err);
}

static void rawf(struct hw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rawf(struct hw *w, const char *fmt, ...)
{
	va_list ap;

	if (w->rc)
		return;
	va_start(ap, fmt);
	w->rc = cs_buf_vaddf(w->b, w->err, fmt, ap);
	va_end(ap);
}

/* Text from the data, escaped for element content and quoted attributes. */
static void text(struct hw *w, const char *s)
{
	const char *from = s;

	if (!s)
		return;
	for (; *s && !w->rc; s++) {
		const char *rep;

		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		w->rc = cs_buf_add(w->b, from, (size_t)(s - from), w->err);
		raw(w, rep);
		from = s + 1;
	}
	if (!w->rc)
		w->rc = cs_buf_add(w->b, from, (size_t)(s - from), w->err);
}

/* Text inside a CSS string in a <style> element: quotes, backslashes and '<' escaped. */
static void css_text(struct hw *w, const char *s)
{
	char esc[8];

	for (; s && *s && !w->rc; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '<' || c == '>' || c < 0x20) {
			snprintf(esc, sizeof(esc), "\\%x ", c);
			raw(w, esc);
		} else {
			w->rc = cs_buf_addc(w->b, (char)c, w->err);
		}
	}
}

/* At most max characters of UTF-8 text s, escaped, with "…" when cut. */
static void text_cut(struct hw *w, const char *s, size_t max)
{
	size_t chars = 0, i = 0;
	char tmp[512];

	if (!s)
		return;
	for (; s[i] && chars < max && i < sizeof(tmp) - 4; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			chars++;
	/* Back to the start of a character when stopped inside one. */
	while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80 && i > 0)
		i--;
	if (!s[i]) {
		text(w, s);
		return;
	}
	/* Leave room: the last counted character is dropped for the ellipsis. */
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0)
		i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	memcpy(tmp, s, i);
	tmp[i] = '\0';
	text(w, tmp);
	raw(w, "…");
}

static const char *pick(struct hw *w, const char *vi, const char *en)
{
	return w->lang == CS_FMT_EN && en && *en ? en : vi ? vi : "";
}

/* ---- Numbers ---- */

static const char *pct(struct hw *w, double v, int decimals, char b[CS_FMT_MAX])
{
	return cs_fmt_percent(v, decimals, w->lang, b);
}

static const char *num(struct hw *w, double v, int decimals, char b[CS_FMT_MAX])
{
	return cs_fmt_number(v, decimals, w->lang, b);
}

static const char *count(struct hw *w, uint64_t n, char b[CS_FMT_MAX])
{
	return cs_fmt_count((size_t)n, w->lang, b);
}

/* The machine form of v for data-value attributes; "" for NaN. */
static const char *mach(double v, int decimals, char b[CS_FMT_MAX])
{
	const char *s = cs_fmt_decimal(v, decimals, b);

	return s ? s : "";
}

/* A date YYYY-MM-DD as 13/11/2020 (vi) or as it is (en, ISO 8601). */
static void date(struct hw *w, const char *iso)
{
	if (!iso || strlen(iso) != 10) {
		text(w, iso);
		return;
	}
	if (w->lang == CS_FMT_EN)
		text(w, iso);
	else
		rawf(w, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

static void none(struct hw *w, const char *vi, const char *en)
{
	raw(w, "<span class=\"none\">");
	text(w, T(w, vi, en));
	raw(w, "</span>");
}

static void no_responses(struct hw *w)
{
	none(w, "chưa có phản hồi", "no responses");
}

static void dash(struct hw *w)
{
	raw(w, "<span class=\"none\">—</span>");
}

/* An interval "83,10–87,20"; a dash when there is none. */
static void interval(struct hw *w, double lo, double hi)
{
	char a[CS_FMT_MAX], b[CS_FMT_MAX];

	if (isnan(lo) || isnan(hi)) {
		dash(w);
		return;
	}
	rawf(w, "%s–%s", num(w, lo, SIPAS_DECIMALS, a), num(w, hi, SIPAS_DECIMALS, b));
}

/* A signed change with an arrow class; a dash when there is none. */
static void change(struct hw *w, bool has, double v, int decimals)
{
	char b[CS_FMT_MAX];
	double r = cs_round_half_away(v, decimals);

	if (!has || isnan(v)) {
		dash(w);
		return;
	}
	rawf(w, "<span class=\"%s\">%s</span>",
	     r > 0   ? "up"
	     : r < 0 ? "down"
		     : "same",
	     cs_fmt_signed(v, decimals, false, w->lang, b));
}

static void places(struct hw *w, bool has, long moved)
{
	if (!has) {
		dash(w);
		return;
	}
	if (moved > 0)
		rawf(w, "<span class=\"up\">↑%ld</span>", moved);
	else if (moved < 0)
		rawf(w, "<span class=\"down\">↓%ld</span>", -moved);
	else
		raw(w, "<span class=\"same\">=</span>");
}

/* ---- Style ---- */

static const char css[] =
	":root{--ink:#1b1f24;--muted:#5b6470;--line:#d5dbe1;--accent:#0b5cab;"
	"--accent-soft:#e1ecf8;--focus:#d9730d;--good:#1e7d45;--bad:#b42318;--band:#f4f6f8}\n"
	"*{box-sizing:border-box}\n"
	"html{font-size:16px;-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0;font-family:\"Noto Sans\",\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
	"sans-serif;color:var(--ink);background:#fff;line-height:1.45}\n"
	"header.cover{padding:1.25rem 1rem;background:var(--accent);color:#fff}\n"
	"header.cover .inner,main,nav.toc{max-width:72rem;margin:0 auto}\n"
	"header.cover h1{font-size:1.6rem;line-height:1.25;margin:.2rem 0 .4rem}\n"
	"header.cover p{margin:.15rem 0}\n"
	".kicker{text-transform:uppercase;letter-spacing:.06em;font-size:.8rem;opacity:.85}\n"
	"nav.toc{padding:.75rem 1rem;font-size:.95rem}\n"
	"nav.toc ol{margin:0;padding-left:1.25rem;columns:2 16rem}\n"
	"nav.toc a{color:var(--accent)}\n"
	"main{padding:0 1rem 2rem}\n"
	"h2{font-size:1.35rem;border-bottom:2px solid var(--accent);padding-bottom:.2rem;"
	"margin:2rem 0 .75rem}\n"
	"h3{font-size:1.1rem;margin:1.5rem 0 .5rem}\n"
	"h4{font-size:1rem;margin:1rem 0 .4rem}\n"
	"p.note,.muted{color:var(--muted);font-size:.9rem}\n"
	".kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.75rem;"
	"margin:.75rem 0}\n"
	".kpi{border:1px solid var(--line);border-radius:.5rem;padding:.75rem .9rem;"
	"background:var(--band)}\n"
	".kpi .label{display:block;font-size:.9rem;color:var(--muted)}\n"
	".kpi .value{display:block;font-size:1.75rem;font-weight:700;line-height:1.2}\n"
	".kpi .sub{display:block;font-size:.85rem;color:var(--muted)}\n"
	".table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.5rem 0 1rem}\n"
	"table{border-collapse:collapse;width:100%;font-size:.9rem}\n"
	"caption{text-align:left;font-weight:600;padding:.25rem 0}\n"
	"th,td{padding:.3rem .5rem;border-bottom:1px solid var(--line);text-align:left;"
	"vertical-align:top}\n"
	"thead th{background:var(--band);font-weight:600;vertical-align:bottom}\n"
	"td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
	"tr.focus td,tr.focus th{background:var(--accent-soft);font-weight:600}\n"
	"td.d2{padding-left:1.5rem}td.d3{padding-left:2.5rem}td.d4{padding-left:3.5rem}\n"
	"td.name{min-width:9rem}td.text{min-width:14rem}\n"
	".none{color:var(--muted);font-style:italic}\n"
	".up{color:var(--good)}.down{color:var(--bad)}.same{color:var(--muted)}\n"
	".flag{display:inline-block;font-size:.75rem;border:1px solid var(--line);"
	"border-radius:.25rem;padding:0 .3rem;margin:0 .15rem;color:var(--muted)}\n"
	".weak{color:var(--bad);font-weight:600}\n"
	"ul.fix{margin:0;padding-left:1.1rem}\n"
	"svg.chart{display:block;width:100%;height:auto;max-width:32rem;margin:.5rem 0 1rem}\n"
	"svg.chart text{font-size:15px;fill:var(--ink)}svg.chart text.focus{font-weight:700}\n"
	"svg.chart .axis{fill:var(--muted);font-size:12px}\n"
	"svg.chart .bar{fill:var(--accent)}svg.chart .bar.focus{fill:var(--focus)}\n"
	"svg.chart .grid{stroke:var(--line);stroke-width:1}\n"
	"svg.chart .ci{stroke:var(--ink);stroke-width:2}\n"
	"svg.chart .target{stroke:var(--bad);stroke-width:2;stroke-dasharray:6 4}\n"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem "
	"0}\n"
	"dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
	"code{font-family:\"Noto Sans Mono\",\"DejaVu Sans Mono\",monospace;font-size:.85em}\n"
	"footer{max-width:72rem;margin:0 auto;padding:1rem;color:var(--muted);font-size:.85rem;"
	"border-top:1px solid var(--line)}\n"
	"@media (max-width:40rem){html{font-size:15px}header.cover h1{font-size:1.3rem}"
	".kpi .value{font-size:1.45rem}th,td{padding:.25rem .35rem}"
	"dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:.35rem}}\n"
	"@media print{html{font-size:9.5pt}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"header.cover{background:none;color:var(--ink);border-bottom:2px solid var(--accent);"
	"padding:0 0 .5rem}"
	"nav.toc{display:none}main{padding:0;max-width:none}"
	"section.major{break-before:page}"
	"h2,h3,h4{break-after:avoid}"
	"tr,.kpi,svg.chart,dl.meta{break-inside:avoid}"
	"thead{display:table-header-group}"
	".table-wrap{overflow:visible}a{color:inherit;text-decoration:none}"
	"footer{border:none}}\n"
	"@page{size:A4;margin:16mm 12mm}\n";

/* The running headers of the printed pages: the force and the period. */
static void page_css(struct hw *w)
{
	const struct cs_report_model *m = w->m;

	raw(w, "@page{@top-left{content:\"");
	css_text(w, m->focus_name);
	raw(w, "\";font-size:8pt;color:#5b6470}@top-right{content:\"");
	css_text(w, T(w, "Báo cáo kỳ ", "Report for period "));
	css_text(w, m->in->period);
	raw(w, "\";font-size:8pt;color:#5b6470}@bottom-right{content:counter(page) \" / \" "
	       "counter(pages);font-size:8pt;color:#5b6470}}\n");
}

/* ---- Charts ---- */

struct bar {
	const char *label;
	double value;  /* percent; NaN: no bar, the text says why */
	double lo, hi; /* an interval to draw; NaN for none */
	bool focus;
	const char *empty; /* text instead of a bar */
};

/* Most bars drawn in one chart; the tables list every unit. */
#define BARS_MAX 200

/*
 * A horizontal bar chart on a 0-100 scale: per row, the label on a line of
 * its own (so that long Vietnamese names fit a phone's width), then the bar,
 * the interval when given and the value; a dashed line at target (NaN:
 * none). The drawing is 480 units wide, so that its text stays readable
 * when a phone scales it down.
 */
static void svg_bars(struct hw *w, const char *title, const struct bar *bars, size_t n,
		     double target, int decimals)
{
	const int width = 480, plot_w = 400, row_h = 40, top = 4, x0 = 2;
	int height, bottom;
	char b[CS_FMT_MAX];

	if (n > BARS_MAX)
		n = BARS_MAX;
	if (n == 0)
		return;
	bottom = top + (int)n * row_h;
	height = bottom + 20;
	rawf(w, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", width,
	     height);
	text(w, title);
	raw(w, "\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
	text(w, title);
	raw(w, "</title>");
	for (int t = 0; t <= 100; t += 20) {
		int x = x0 + plot_w * t / 100;

		rawf(w,
		     "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		     "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">%d</text>",
		     x, top + 18, x, bottom, x, bottom + 15, t == 0 ? "start" : "middle", t);
	}
	for (size_t i = 0; i < n; i++) {
		const struct bar *r = &bars[i];
		int y = top + (int)i * row_h, by = y + 21, bh = 14;

		rawf(w, "<text x=\"%d\" y=\"%d\"%s>", x0, y + 15,
		     r->focus ? " class=\"focus\"" : "");
		text_cut(w, r->label, 52);
		raw(w, "</text>");
		if (isnan(r->value)) {
			rawf(w, "<text class=\"axis\" x=\"%d\" y=\"%d\">", x0 + 4, by + 12);
			text(w, r->empty);
			raw(w, "</text>");
			continue;
		}
		{
			double v = r->value < 0 ? 0 : r->value > 100 ? 100 : r->value;
			int bw = (int)lround(v * plot_w / 100);
			int tx = x0 + bw + 5;

			rawf(w,
			     "<rect class=\"bar%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
			     r->focus ? " focus" : "", x0, by, bw, bh);
			if (!isnan(r->lo) && !isnan(r->hi)) {
				int lo = x0 + (int)lround(fmax(0, r->lo) * plot_w / 100);
				int hi = x0 + (int)lround(fmin(100, r->hi) * plot_w / 100);
				int my = by + bh / 2;

				rawf(w,
				     "<line class=\"ci\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
				     "<line class=\"ci\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
				     "<line class=\"ci\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
				     lo, my, hi, my, lo, by + 2, lo, by + bh - 2, hi, by + 2, hi,
				     by + bh - 2);
				if (hi + 5 > tx)
					tx = hi + 5;
			}
			rawf(w, "<text x=\"%d\" y=\"%d\">%s</text>", tx, by + 12,
			     num(w, r->value, decimals, b));
		}
	}
	if (!isnan(target)) {
		int x = x0 + (int)lround(target * plot_w / 100);

		rawf(w, "<line class=\"target\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", x,
		     top + 18, x, bottom);
	}
	raw(w, "</svg>\n");
}

/* ---- Pieces ---- */

static const char *level_name(struct hw *w, enum cs_level l)
{
	return w->lang == CS_FMT_EN ? cs_level_name(l) : cs_level_name_vi(l);
}

static const char *band_label(struct hw *w, const struct cs_framework *fw, size_t band)
{
	const struct cs_fw_band *b;

	if (band == CS_FW_NONE)
		return "";
	b = cs_framework_band(fw, band);
	return pick(w, b->label_vi, b->label_en);
}

/* "Tên (MÃ)" */
static void unit_name(struct hw *w, const char *name, const char *code)
{
	text(w, name && *name ? name : code);
	if (name && *name && code) {
		raw(w, " <span class=\"muted\">(");
		text(w, code);
		raw(w, ")</span>");
	}
}

static void flags(struct hw *w, unsigned f)
{
	char buf[256];

	if (!f)
		return;
	raw(w, " <span class=\"flag\">");
	text(w, cs_sipas_flags_text(f, w->lang, buf, sizeof(buf)));
	raw(w, "</span>");
}

static void kpi(struct hw *w, const char *id, const char *label, const char *value,
		const char *machine)
{
	rawf(w, "<div class=\"kpi\" data-kpi=\"%s\"><span class=\"label\">", id);
	text(w, label);
	raw(w, "</span><span class=\"value\" data-value=\"");
	text(w, machine);
	raw(w, "\">");
	text(w, value);
	raw(w, "</span>");
}

static void section_open(struct hw *w, const char *id, int number, const char *title, bool major)
{
	rawf(w, "<section id=\"%s\"%s>\n<h2>%d. ", id, major ? " class=\"major\"" : "", number);
	text(w, title);
	raw(w, "</h2>\n");
}

static void table_open(struct hw *w, const char *cls)
{
	rawf(w, "<div class=\"table-wrap\"><table class=\"t-%s\">", cls);
}

static void table_close(struct hw *w)
{
	raw(w, "</tbody></table></div>\n");
}

static void th(struct hw *w, const char *label, bool numeric)
{
	raw(w, numeric ? "<th class=\"num\" scope=\"col\">" : "<th scope=\"col\">");
	text(w, label);
	raw(w, "</th>");
}

/* The name of the framework of a section: "title (code version)". */
static void fw_name(struct hw *w, const struct cs_framework *fw)
{
	const struct cs_fw_info *fi = cs_framework_info(fw);

	text(w, fi->title && *fi->title ? fi->title : fi->code);
	raw(w, " <span class=\"muted\">(");
	text(w, fi->code);
	raw(w, " ");
	text(w, fi->version);
	raw(w, ")</span>");
}

/* ---- Sections ---- */

static void head(struct hw *w)
{
	const struct cs_report_model *m = w->m;

	rawf(w, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
	     T(w, "vi", "en"));
	raw(w, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<meta name=\"generator\" content=\"chiso\">\n<title>");
	text(w, T(w, "Báo cáo kết quả kỳ ", "Report for period "));
	text(w, m->in->period);
	raw(w, " — ");
	text(w, m->focus_name);
	raw(w, "</title>\n<style>\n");
	raw(w, css);
	page_css(w);
	raw(w, "</style>\n</head>\n<body>\n");
}

struct toc_entry {
	const char *id, *vi, *en;
};

static const struct toc_entry toc[] = {
	{"summary", "Tóm tắt", "Summary"},
	{"par", "Chỉ số cải cách hành chính", "Administrative reform index"},
	{"change", "Thay đổi so với năm trước", "Change since last year"},
	{"sipas", "Sự hài lòng của người dân (SIPAS)", "Citizen satisfaction (SIPAS)"},
	{"weak", "Lĩnh vực yếu và mong đợi", "Weak areas and expectations"},
	{"fix", "Việc cần ưu tiên khắc phục theo đơn vị", "Fix first, by unit"},
	{"method", "Phương pháp, tùy chọn và cỡ mẫu", "Methodology, options and sample sizes"},
};

static void cover(struct hw *w)
{
	const struct cs_report_model *m = w->m;

	raw(w, "<header class=\"cover\"><div class=\"inner\"><p class=\"kicker\">");
	text(w, T(w, "Báo cáo năm", "Yearly report"));
	raw(w, "</p>\n<h1>");
	text(w, T(w, "Kết quả Chỉ số cải cách hành chính và sự hài lòng kỳ ",
		  "Administrative reform index and citizen satisfaction, period "));
	text(w, m->in->period);
	raw(w, "</h1>\n<p class=\"unit\" data-unit=\"");
	text(w, m->focus_code);
	raw(w, "\">");
	text(w, m->focus_name);
	raw(w, " (");
	text(w, m->focus_code);
	raw(w, ") · ");
	text(w, level_name(w, m->focus_level));
	raw(w, "</p>\n");
	if (m->in->starts && m->in->ends) {
		raw(w, "<p class=\"period\">");
		text(w, T(w, "Kỳ đánh giá: ", "Period: "));
		date(w, m->in->starts);
		raw(w, " – ");
		date(w, m->in->ends);
		raw(w, "</p>\n");
	}
	raw(w, "</div></header>\n<nav class=\"toc\" aria-label=\"");
	text(w, T(w, "Mục lục", "Contents"));
	raw(w, "\"><ol>");
	for (size_t i = 0; i < sizeof(toc) / sizeof(toc[0]); i++) {
		rawf(w, "<li><a href=\"#%s\">", toc[i].id);
		text(w, T(w, toc[i].vi, toc[i].en));
		raw(w, "</a></li>");
	}
	raw(w, "</ol></nav>\n<main>\n");
}

static void summary(struct hw *w)
{
	const struct cs_report_model *m = w->m;
	const struct cs_report_summary *s = &m->summary;
	char a[CS_FMT_MAX], b[CS_FMT_MAX], c[CS_FMT_MAX], d[CS_FMT_MAX];
	size_t sec = CS_REPORT_NONE;
	const struct cs_par_result *fr = cs_report_focus_par(m, &sec);

	section_open(w, "summary", 1, T(w, toc[0].vi, toc[0].en), false);
	raw(w, "<div class=\"kpis\">\n");
	if (s->units) {
		double mean = cs_par_report_round(m->par[0].rep, s->mean);

		kpi(w, "mean", T(w, "Chỉ số trung bình của các đơn vị", "Average index of units"),
		    pct(w, mean, s->decimals, a), mach(mean, s->decimals, b));
		rawf(w, "<span class=\"sub\">n = %s %s</span></div>\n", count(w, s->units, c),
		     T(w, "đơn vị có kết quả", "units with a result"));
	} else {
		kpi(w, "mean", T(w, "Chỉ số trung bình của các đơn vị", "Average index of units"),
		    T(w, "chưa có kết quả", "no result yet"), "");
		raw(w, "</div>\n");
	}
	if (fr && cs_par_report_has_result(fr)) {
		const struct cs_report_par *p = &m->par[sec];
		int dec = cs_par_report_decimals(p->rep);

		if (sec == s->position_par) {
			kpi(w, "position", T(w, "Vị trí của đơn vị", "Position of the force"),
			    cs_fmt_rank(fr->rank, fr->ranked_of, a), a);
			raw(w, "<span class=\"sub\">");
			text(w, T(w, "Chỉ số ", "Index "));
			raw(w, "<span data-value=\"");
			raw(w, mach(fr->published, dec, b));
			rawf(w, "\">%s</span>", pct(w, fr->published, dec, c));
		} else {
			kpi(w, "index", T(w, "Chỉ số CCHC của đơn vị", "PAR index of the force"),
			    pct(w, fr->published, dec, a), mach(fr->published, dec, b));
			raw(w, "<span class=\"sub\">");
			if (fr->change.has_prev) {
				text(w, T(w, "so với năm trước ", "since last year "));
				change(w, true, fr->change.index_change, dec);
			}
		}
		if (fr->band != CS_FW_NONE) {
			raw(w, fr->change.has_prev || sec == s->position_par ? " · " : "");
			text(w, band_label(w, p->rep->fw, fr->band));
		}
		if (sec == s->position_par && fr->change.has_places) {
			raw(w, " · ");
			text(w, T(w, "năm trước ", "last year "));
			raw(w, cs_fmt_rank(fr->change.prev_rank, fr->ranked_of, d));
			raw(w, " (");
			places(w, true, fr->change.places_change);
			raw(w, ")");
		}
		raw(w, "</span></div>\n");
	}
	if (s->general_wave != CS_REPORT_NONE) {
		const struct cs_sipas_result *r = m->waves[s->general_wave].in->res;
		const struct cs_sipas_domain *fd = cs_report_focus_domain(m, s->general_wave);
		const struct cs_sipas_est *h = cs_sipas_headline(r, fd);

		kpi(w, "satisfaction", T(w, "Chỉ số hài lòng chung", "Overall satisfaction index"),
		    pct(w, h->index, SIPAS_DECIMALS, a), mach(h->index, 6, b));
		raw(w, "<span class=\"sub\">");
		text(w, T(w, "KTC 95%: ", "95% CI: "));
		if (fabs(1 - r->alpha - 0.95) > 1e-9) {
			raw(w, "(");
			text(w, num(w, 100 * (1 - r->alpha), 0, c));
			raw(w, "%) ");
		}
		raw(w, "<span data-ci=\"");
		raw(w, mach(h->ci_lo, 6, c));
		raw(w, " ");
		raw(w, mach(h->ci_hi, 6, d));
		raw(w, "\">");
		interval(w, h->ci_lo, h->ci_hi);
		rawf(w, "</span> · n = <span data-n=\"%llu\">%s</span>", (unsigned long long)h->n,
		     count(w, h->n, c));
		if (m->waves[s->general_wave].ranked_of > 1) {
			raw(w, " · ");
			text(w, T(w, "vị trí ", "position "));
			raw(w, cs_fmt_rank(m->waves[s->general_wave].rank,
					   m->waves[s->general_wave].ranked_of, d));
		}
		raw(w, "</span></div>\n");
	} else {
		kpi(w, "satisfaction", T(w, "Chỉ số hài lòng chung", "Overall satisfaction index"),
		    T(w, "chưa có phản hồi", "no responses"), "");
		raw(w, "</div>\n");
	}
	raw(w, "</div>\n");

	if (s->nbands) {
		raw(w, "<h3>");
		text(w, T(w, "Số đơn vị theo xếp loại", "Units per band"));
		raw(w, "</h3>\n");
		table_open(w, "bands");
		raw(w, "<thead><tr>");
		th(w, T(w, "Xếp loại", "Band"), false);
		th(w, T(w, "Số đơn vị", "Units"), true);
		raw(w, "</tr></thead><tbody>");
		for (size_t i = 0; i < s->nbands; i++) {
			raw(w, "<tr data-band=\"");
			text(w, s->bands[i].code);
			raw(w, "\"><td>");
			text(w, pick(w, s->bands[i].label_vi, s->bands[i].label_en));
			rawf(w, "</td><td class=\"num\">%s</td></tr>",
			     count(w, s->bands[i].count, a));
		}
		table_close(w);
	}
	raw(w, "</section>\n");
}

/* The rows of a section as chart bars (complete results only). */
static void par_chart(struct hw *w, const struct cs_report_par *p)
{
	struct bar bars[BARS_MAX];
	size_t n = 0;
	int dec = cs_par_report_decimals(p->rep);

	for (size_t i = 0; i < p->nrows && n < BARS_MAX; i++) {
		const struct cs_par_result *r = &p->rep->run->results[p->rows[i]];
		const char *name = p->rep->names ? p->rep->names[p->rows[i]] : NULL;

		if (!cs_par_report_has_result(r))
			continue;
		bars[n++] = (struct bar){name && *name ? name : r->code, r->published, NAN, NAN,
					 p->rows[i] == p->focus,	 NULL};
	}
	svg_bars(w, T(w, "Chỉ số CCHC của các đơn vị (%)", "PAR index of the units (%)"), bars, n,
		 NAN, dec);
}

static void par_section(struct hw *w, size_t s)
{
	const struct cs_report_model *m = w->m;
	const struct cs_report_par *p = &m->par[s];
	const struct cs_framework *fw = p->rep->fw;
	const struct cs_par_run *run = p->rep->run;
	int dec = cs_par_report_decimals(p->rep);
	char a[CS_FMT_MAX], b[CS_FMT_MAX], c[CS_FMT_MAX];

	rawf(w, "<h3 id=\"par-%zu\">", s + 1);
	fw_name(w, fw);
	raw(w, "</h3>\n<p class=\"note\">");
	if (p->kind == CS_REPORT_PAR_UNITS)
		text(w, T(w, "Các đơn vị thuộc ", "The units of "));
	else if (p->kind == CS_REPORT_PAR_LEAGUE)
		text(w, T(w, "Bảng xếp hạng các đơn vị cùng cấp với ",
			  "The league table of the peers of "));
	if (p->kind != CS_REPORT_PAR_OTHER) {
		text(w, m->focus_name);
		raw(w, ". ");
	}
	rawf(w, "%s: %s. ", T(w, "Số đơn vị", "Units"), count(w, p->nrows, a));
	text(w, T(w,
		  "Điểm theo từng lĩnh vực; chỉ số = 100 × tổng điểm / tổng điểm tối đa áp "
		  "dụng (M2.4).",
		  "Points per area; index = 100 × points / applicable maximum (M2.4)."));
	raw(w, "</p>\n");
	par_chart(w, p);

	table_open(w, "ranking");
	raw(w, "<thead><tr>");
	th(w, T(w, "Hạng", "Position"), true);
	th(w, T(w, "Đơn vị", "Unit"), false);
	th(w, T(w, "Điểm", "Points"), true);
	th(w, T(w, "Chỉ số", "Index"), true);
	th(w, T(w, "Xếp loại", "Band"), false);
	for (size_t i = 0; i < cs_framework_node_count(fw); i++) {
		const struct cs_fw_node *node = cs_framework_node(fw, i);

		if (node->depth != 0)
			continue;
		raw(w, "<th class=\"num\" scope=\"col\" title=\"");
		text(w, node->title);
		raw(w, "\">");
		text(w, node->code);
		rawf(w, "<br><span class=\"muted\">%s</span></th>",
		     cs_fmt_number_trim(node->max, dec, w->lang, a));
	}
	raw(w, "</tr></thead><tbody>");
	for (size_t i = 0; i < p->nrows; i++) {
		size_t k = p->rows[i];
		const struct cs_par_result *r = &run->results[k];
		const char *name = p->rep->names ? p->rep->names[k] : NULL;
		bool has = cs_par_report_has_result(r);

		raw(w, k == p->focus ? "<tr class=\"focus\" data-code=\"" : "<tr data-code=\"");
		text(w, r->code);
		raw(w, "\"><td class=\"num\">");
		if (has && r->rank)
			raw(w, cs_fmt_rank(r->rank, r->ranked_of, a));
		else if (has && r->unranked)
			none(w, "không xếp hạng", "not ranked");
		else
			dash(w);
		raw(w, "</td><td class=\"name\">");
		unit_name(w, name, r->code);
		raw(w, "</td>");
		if (has) {
			rawf(w,
			     "<td class=\"num\">%s</td><td class=\"num\" data-value=\"%s\">%s</td>"
			     "<td>",
			     cs_fmt_number_trim(cs_par_report_round(p->rep, r->points), dec,
						w->lang, a),
			     mach(r->published, dec, b), pct(w, r->published, dec, c));
			text(w, band_label(w, fw, r->band));
			raw(w, "</td>");
		} else {
			raw(w, "<td class=\"num\">");
			dash(w);
			raw(w, "</td><td class=\"num\">");
			if (r->state == CS_PAR_EMPTY)
				none(w, "không áp dụng", "nothing applies");
			else
				none(w, "chưa có kết quả", "no result yet");
			raw(w, "</td><td></td>");
		}
		for (size_t j = 0; j < cs_framework_node_count(fw); j++) {
			const struct cs_fw_node *node = cs_framework_node(fw, j);
			const struct cs_par_node_result *nr = &r->nodes[j];

			if (node->depth != 0)
				continue;
			raw(w, "<td class=\"num\">");
			if (!has || nr->state == CS_PAR_NODE_OFF)
				dash(w);
			else if (nr->state == CS_PAR_NODE_NA)
				none(w, "KAD", "n/a");
			else
				raw(w, cs_fmt_number_trim(cs_par_report_round(p->rep, nr->points),
							  dec, w->lang, a));
			raw(w, "</td>");
		}
		raw(w, "</tr>\n");
	}
	table_close(w);
	if (p->nrows > BARS_MAX) {
		raw(w, "<p class=\"note\">");
		rawf(w,
		     T(w, "Biểu đồ chỉ vẽ %d đơn vị đầu; bảng liệt kê tất cả.",
		       "The chart draws the first %d units; the table lists all."),
		     BARS_MAX);
		raw(w, "</p>\n");
	}
}

static void par_sections(struct hw *w)
{
	const struct cs_report_model *m = w->m;

	section_open(w, "par", 2, T(w, toc[1].vi, toc[1].en), true);
	if (m->npar == 0) {
		raw(w, "<p>");
		none(w, "Kỳ này chưa có điểm Chỉ số CCHC.", "This period has no PAR scores.");
		raw(w, "</p>\n");
	}
	for (size_t s = 0; s < m->npar; s++)
		par_section(w, s);
	raw(w, "</section>\n");
}

static void change_section(struct hw *w)
{
	const struct cs_report_model *m = w->m;
	char a[CS_FMT_MAX], b[CS_FMT_MAX];

	section_open(w, "change", 3, T(w, toc[2].vi, toc[2].en), true);
	if (m->npar == 0) {
		raw(w, "<p>");
		none(w, "Kỳ này chưa có điểm Chỉ số CCHC.", "This period has no PAR scores.");
		raw(w, "</p>\n");
	}
	for (size_t s = 0; s < m->npar; s++) {
		const struct cs_report_par *p = &m->par[s];
		const struct cs_par_run *run = p->rep->run;
		int dec = cs_par_report_decimals(p->rep);

		raw(w, "<h3>");
		fw_name(w, p->rep->fw);
		raw(w, "</h3>\n<p class=\"note\">");
		if (p->rep->prev_period) {
			text(w, T(w, "So với kỳ ", "Compared with period "));
			text(w, p->rep->prev_period);
			text(w, T(w,
				  ": chênh lệch chỉ số (điểm phần trăm) và số bậc xếp hạng "
				  "(↑ tăng hạng).",
				  ": change of the index (percentage points) and of the position "
				  "(↑ moved up)."));
		} else {
			text(w, T(w, "Không có kỳ trước để so sánh: các cột thay đổi để trống (—).",
				  "There is no previous period: the change columns show —."));
		}
		raw(w, "</p>\n");
		table_open(w, "change");
		raw(w, "<thead><tr>");
		th(w, T(w, "Đơn vị", "Unit"), false);
		th(w, T(w, "Chỉ số kỳ trước", "Previous index"), true);
		th(w, T(w, "Chỉ số", "Index"), true);
		th(w, T(w, "Thay đổi (điểm %)", "Change (points)"), true);
		th(w, T(w, "Hạng kỳ trước", "Previous position"), true);
		th(w, T(w, "Hạng", "Position"), true);
		th(w, T(w, "Thay đổi hạng", "Places"), true);
		raw(w, "</tr></thead><tbody>");
		for (size_t i = 0; i < p->nrows; i++) {
			size_t k = p->rows[i];
			const struct cs_par_result *r = &run->results[k];
			const struct cs_par_change *c = &r->change;
			const char *name = p->rep->names ? p->rep->names[k] : NULL;
			bool has = cs_par_report_has_result(r);

			raw(w, k == p->focus ? "<tr class=\"focus\" data-code=\""
					     : "<tr data-code=\"");
			text(w, r->code);
			raw(w, "\"><td class=\"name\">");
			unit_name(w, name, r->code);
			raw(w, "</td><td class=\"num\">");
			if (has && c->has_prev)
				raw(w, pct(w, c->prev_index, dec, a));
			else
				dash(w);
			raw(w, "</td><td class=\"num\">");
			if (has)
				raw(w, pct(w, r->published, dec, a));
			else
				none(w, "chưa có kết quả", "no result yet");
			raw(w, "</td><td class=\"num\">");
			change(w, has && c->has_prev, c->index_change, dec);
			raw(w, "</td><td class=\"num\">");
			if (has && c->has_places)
				raw(w, cs_fmt_rank(c->prev_rank, r->ranked_of, b));
			else
				dash(w);
			raw(w, "</td><td class=\"num\">");
			if (has && r->rank)
				raw(w, cs_fmt_rank(r->rank, r->ranked_of, b));
			else
				dash(w);
			raw(w, "</td><td class=\"num\">");
			places(w, has && c->has_places, c->places_change);
			raw(w, "</td></tr>\n");
		}
		table_close(w);
	}
	raw(w, "</section>\n");
}

static const char *element_title(struct hw *w, const struct cs_sipas_result *r, size_t e)
{
	const struct cs_q_element *qe = cs_questionnaire_element(r->q, e);

	return pick(w, qe->title_vi, qe->title_en);
}

/* The overall indices of the force in a wave, with the change. */
static void sipas_overall(struct hw *w, size_t wv, const struct cs_sipas_domain *d)
{
	const struct cs_report_wave *rw = &w->m->waves[wv];
	const struct cs_sipas_result *r = rw->in->res;
	const struct cs_q_options *o = cs_questionnaire_options(r->q);
	static const struct {
		enum cs_q_overall_agg agg;
		const char *vi, *en;
	} rows[] = {
		{CS_Q_OVERALL_MEAN_OF_ELEMENTS, "Trung bình các yếu tố", "Mean of the elements"},
		{CS_Q_OVERALL_POOLED, "Gộp mọi tiêu chí", "Pooled over all items"},
		{CS_Q_OVERALL_GENERAL, "Câu hỏi hài lòng chung", "General-satisfaction question"},
	};
	size_t di = (size_t)(d - r->domains);
	char a[CS_FMT_MAX];

	table_open(w, "overall");
	raw(w, "<thead><tr>");
	th(w, T(w, "Chỉ số chung", "Overall index"), false);
	th(w, "n", true);
	th(w, T(w, "Chỉ số", "Index"), true);
	th(w, T(w, "KTC 95%", "95% CI"), true);
	th(w, T(w, "Thay đổi", "Change"), true);
	raw(w, "</tr></thead><tbody>");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct cs_sipas_est *e = &d->overall[rows[i].agg];
		bool headline = o->headline == rows[i].agg;

		if (rows[i].agg == CS_Q_OVERALL_GENERAL &&
		    cs_questionnaire_general_item(r->q) == CS_Q_NONE)
			continue;
		rawf(w, "<tr%s data-overall=\"%s\"><td>", headline ? " class=\"focus\"" : "",
		     cs_q_overall_agg_name(rows[i].agg));
		text(w, T(w, rows[i].vi, rows[i].en));
		if (headline) {
			raw(w, " <span class=\"flag\">");
			text(w, T(w, "chỉ số công bố", "headline"));
			raw(w, "</span>");
		}
		rawf(w, "</td><td class=\"num\">%s</td><td class=\"num\">", count(w, e->n, a));
		if (e->flags & CS_SIPAS_F_EMPTY)
			no_responses(w);
		else
			raw(w, pct(w, e->index, SIPAS_DECIMALS, a));
		flags(w, e->flags & ~(unsigned)CS_SIPAS_F_EMPTY);
		raw(w, "</td><td class=\"num\">");
		interval(w, e->ci_lo, e->ci_hi);
		raw(w, "</td><td class=\"num\">");
		if (headline && rw->in->ch)
			change(w, rw->in->ch[di].overall.has_prev, rw->in->ch[di].overall.diff,
			       SIPAS_DECIMALS);
		else
			dash(w);
		raw(w, "</td></tr>\n");
	}
	table_close(w);
}

static void sipas_elements(struct hw *w, size_t wv, const struct cs_sipas_domain *d)
{
	const struct cs_report_wave *rw = &w->m->waves[wv];
	const struct cs_sipas_result *r = rw->in->res;
	const struct cs_q_options *o = cs_questionnaire_options(r->q);
	size_t di = (size_t)(d - r->domains);
	struct bar bars[CS_Q_ELEMENTS_MAX];
	char a[CS_FMT_MAX], b[CS_FMT_MAX];
	size_t n = 0;

	raw(w, "<h4>");
	text(w, T(w, "Theo yếu tố", "By element"));
	raw(w, "</h4>\n");
	for (size_t e = 0; e < d->nelements && n < CS_Q_ELEMENTS_MAX; e++) {
		const struct cs_sipas_est *x = cs_sipas_element_index(r, &d->elements[e]);

		bars[n++] = (struct bar){element_title(w, r, d->elements[e].element),
					 x->flags & CS_SIPAS_F_EMPTY ? NAN : x->index,
					 x->ci_lo,
					 x->ci_hi,
					 false,
					 T(w, "chưa có phản hồi", "no responses")};
	}
	svg_bars(w,
		 T(w, "Chỉ số hài lòng theo yếu tố, khoảng tin cậy 95% và mục tiêu",
		   "Satisfaction by element, 95% intervals and the target"),
		 bars, n, o->target, SIPAS_DECIMALS);
	table_open(w, "elements");
	raw(w, "<thead><tr>");
	th(w, T(w, "Mã", "Code"), false);
	th(w, T(w, "Yếu tố", "Element"), false);
	th(w, "n", true);
	th(w, T(w, "Chỉ số", "Index"), true);
	th(w, T(w, "KTC 95%", "95% CI"), true);
	th(w, T(w, "Thay đổi", "Change"), true);
	raw(w, "</tr></thead><tbody>");
	for (size_t e = 0; e < d->nelements; e++) {
		const struct cs_sipas_element *el = &d->elements[e];
		const struct cs_sipas_est *x = cs_sipas_element_index(r, el);
		const struct cs_q_element *qe = cs_questionnaire_element(r->q, el->element);

		raw(w, "<tr data-element=\"");
		text(w, qe->code);
		raw(w, "\"><td>");
		text(w, qe->code);
		raw(w, "</td><td>");
		text(w, pick(w, qe->title_vi, qe->title_en));
		rawf(w, "</td><td class=\"num\">%s</td><td class=\"num\" data-value=\"%s\">",
		     count(w, x->n, a), mach(x->index, 6, b));
		if (x->flags & CS_SIPAS_F_EMPTY)
			no_responses(w);
		else
			raw(w, pct(w, x->index, SIPAS_DECIMALS, a));
		flags(w, x->flags & ~(unsigned)CS_SIPAS_F_EMPTY);
		raw(w, "</td><td class=\"num\">");
		interval(w, x->ci_lo, x->ci_hi);
		raw(w, "</td><td class=\"num\">");
		if (rw->in->ch)
			change(w, rw->in->ch[di].elements[e].has_prev,
			       rw->in->ch[di].elements[e].diff, SIPAS_DECIMALS);
		else
			dash(w);
		raw(w, "</td></tr>\n");
	}
	table_close(w);
}

static void sipas_items(struct hw *w, size_t wv, const struct cs_sipas_domain *d)
{
	const struct cs_report_wave *rw = &w->m->waves[wv];
	const struct cs_sipas_result *r = rw->in->res;
	size_t di = (size_t)(d - r->domains);
	char a[CS_FMT_MAX], b[CS_FMT_MAX];

	raw(w, "<h4>");
	text(w, T(w, "Theo tiêu chí", "By item"));
	raw(w, "</h4>\n");
	table_open(w, "items");
	raw(w, "<thead><tr>");
	th(w, T(w, "Mã", "Code"), false);
	th(w, T(w, "Tiêu chí", "Item"), false);
	th(w, "n", true);
	th(w, T(w, "Hài lòng", "Satisfied"), true);
	th(w, T(w, "Chỉ số", "Index"), true);
	th(w, T(w, "KTC 95%", "95% CI"), true);
	th(w, T(w, "Điểm TB (1–5)", "Mean (1–5)"), true);
	th(w, T(w, "Không hài lòng", "Dissatisfied"), true);
	th(w, T(w, "Thay đổi", "Change"), true);
	raw(w, "</tr></thead><tbody>");
	for (size_t k = 0; k < d->nitems; k++) {
		const struct cs_sipas_item *it = &d->items[k];
		const struct cs_q_item *qi = cs_questionnaire_item(r->q, it->item);
		bool empty = it->est.flags & CS_SIPAS_F_EMPTY;

		raw(w, "<tr data-item=\"");
		text(w, qi->code);
		raw(w, "\"><td>");
		text(w, qi->code);
		raw(w, "</td><td class=\"text\">");
		text(w, pick(w, qi->text_vi, qi->text_en));
		rawf(w, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>",
		     count(w, it->est.n, a), count(w, it->satisfied, b));
		rawf(w, "<td class=\"num\" data-value=\"%s\">", mach(it->est.index, 6, a));
		if (empty)
			no_responses(w);
		else
			raw(w, pct(w, it->est.index, SIPAS_DECIMALS, a));
		flags(w, it->est.flags & ~(unsigned)CS_SIPAS_F_EMPTY);
		raw(w, "</td><td class=\"num\">");
		interval(w, it->est.ci_lo, it->est.ci_hi);
		raw(w, "</td><td class=\"num\">");
		if (isnan(it->mean_score) || empty)
			dash(w);
		else
			raw(w, num(w, it->mean_score, 2, a));
		raw(w, "</td><td class=\"num\">");
		if (isnan(it->dissatisfied) || empty)
			dash(w);
		else
			raw(w, pct(w, it->dissatisfied, SIPAS_DECIMALS, a));
		raw(w, "</td><td class=\"num\">");
		if (rw->in->ch)
			change(w, rw->in->ch[di].items[k].has_prev, rw->in->ch[di].items[k].diff,
			       SIPAS_DECIMALS);
		else
			dash(w);
		raw(w, "</td></tr>\n");
	}
	table_close(w);
}

/* The headline and element indices of each unit of the force in a wave. */
static void sipas_units(struct hw *w, size_t wv)
{
	const struct cs_report_model *m = w->m;
	const struct cs_sipas_result *r = m->waves[wv].in->res;
	size_t nel = cs_questionnaire_element_count(r->q);
	char a[CS_FMT_MAX], b[CS_FMT_MAX];

	if (m->nunits == 0)
		return;
	raw(w, "<h4>");
	text(w, T(w, "Theo đơn vị", "By unit"));
	raw(w, "</h4>\n<p class=\"note\">");
	text(w, T(w,
		  "Chỉ số của một đơn vị gộp người trả lời của đơn vị và các đơn vị trực thuộc "
		  "(M3.4).",
		  "A unit's index pools the respondents of the unit and the units below it "
		  "(M3.4)."));
	raw(w, "</p>\n");
	table_open(w, "units");
	raw(w, "<thead><tr>");
	th(w, T(w, "Đơn vị", "Unit"), false);
	th(w, "n", true);
	th(w, T(w, "Chỉ số chung", "Overall"), true);
	th(w, T(w, "KTC 95%", "95% CI"), true);
	for (size_t e = 0; e < nel; e++) {
		raw(w, "<th class=\"num\" scope=\"col\" title=\"");
		text(w, element_title(w, r, e));
		raw(w, "\">");
		text(w, cs_questionnaire_element(r->q, e)->code);
		raw(w, "</th>");
	}
	raw(w, "</tr></thead><tbody>");
	for (size_t i = 0; i < m->nunits; i++) {
		const struct cs_report_unit *u = &m->units[i];
		const struct cs_sipas_domain *d = cs_report_unit_domain(m, u, wv);

		raw(w, "<tr data-code=\"");
		text(w, u->code);
		rawf(w, "\"><td class=\"name d%u\">", u->depth > 4 ? 4 : u->depth);
		unit_name(w, u->name, u->code);
		raw(w, "</td>");
		if (!d) {
			rawf(w, "<td class=\"num\">0</td><td class=\"num\" colspan=\"%zu\">",
			     2 + nel);
			no_responses(w);
			raw(w, "</td></tr>\n");
			continue;
		}
		{
			const struct cs_sipas_est *h = cs_sipas_headline(r, d);

			rawf(w, "<td class=\"num\">%s</td><td class=\"num\" data-value=\"%s\">",
			     count(w, d->n, a), mach(h->index, 6, b));
			if (h->flags & CS_SIPAS_F_EMPTY)
				no_responses(w);
			else
				raw(w, pct(w, h->index, SIPAS_DECIMALS, a));
			flags(w, h->flags & ~(unsigned)CS_SIPAS_F_EMPTY);
			raw(w, "</td><td class=\"num\">");
			interval(w, h->ci_lo, h->ci_hi);
			raw(w, "</td>");
		}
		for (size_t e = 0; e < nel; e++) {
			const struct cs_sipas_est *x = NULL;

			for (size_t k = 0; k < d->nelements; k++)
				if (d->elements[k].element == e)
					x = cs_sipas_element_index(r, &d->elements[k]);
			raw(w, "<td class=\"num\">");
			if (!x || (x->flags & CS_SIPAS_F_EMPTY))
				dash(w);
			else
				raw(w, num(w, x->index, SIPAS_DECIMALS, a));
			raw(w, "</td>");
		}
		raw(w, "</tr>\n");
	}
	table_close(w);
}

static void wave_title(struct hw *w, const struct cs_report_wave *rw)
{
	const struct cs_sipas_meta *mt = &rw->in->meta;
	const struct cs_q_info *qi = cs_questionnaire_info(rw->in->res->q);

	text(w, T(w, "Đợt khảo sát ", "Survey wave "));
	text(w, mt->wave);
	raw(w, " <span class=\"muted\">(");
	text(w, qi->title && *qi->title ? qi->title : mt->questionnaire);
	raw(w, ", ");
	text(w, mt->questionnaire);
	raw(w, " ");
	text(w, mt->questionnaire_version);
	raw(w, ")</span>");
}

static void sipas_sections(struct hw *w)
{
	const struct cs_report_model *m = w->m;
	char a[CS_FMT_MAX], b[CS_FMT_MAX];

	section_open(w, "sipas", 4, T(w, toc[3].vi, toc[3].en), true);
	if (m->nwaves == 0) {
		raw(w, "<p>");
		none(w, "Kỳ này chưa có đợt khảo sát nào có phản hồi.",
		     "No survey wave of this period has responses.");
		raw(w, "</p>\n");
	}
	for (size_t wv = 0; wv < m->nwaves; wv++) {
		const struct cs_report_wave *rw = &m->waves[wv];
		const struct cs_sipas_domain *d = cs_report_focus_domain(m, wv);

		rawf(w, "<h3 id=\"wave-%zu\">", wv + 1);
		wave_title(w, rw);
		raw(w, "</h3>\n<p class=\"note\">");
		text(w, m->focus_name);
		raw(w, ": ");
		if (d) {
			rawf(w, "%s %s", count(w, d->n, a),
			     T(w, "người trả lời trong đơn vị và các đơn vị trực thuộc",
			       "respondents in the force and its units"));
			if (rw->ranked_of > 1) {
				rawf(w, "; %s %s",
				     T(w, "vị trí trong các đơn vị cùng cấp",
				       "position among its peers"),
				     cs_fmt_rank(rw->rank, rw->ranked_of, b));
			}
			if (rw->in->meta.previous_wave) {
				raw(w, "; ");
				text(w, T(w, "so sánh với đợt ", "compared with wave "));
				text(w, rw->in->meta.previous_wave);
			}
			raw(w, ".");
		} else {
			text(w, T(w, "chưa có phản hồi.", "no responses."));
		}
		raw(w, "</p>\n");
		if (d) {
			sipas_overall(w, wv, d);
			sipas_elements(w, wv, d);
			sipas_items(w, wv, d);
		}
		sipas_units(w, wv);
	}
	raw(w, "</section>\n");
}

/* Why an entry is on a weak list. */
static void weak_reasons(struct hw *w, const struct cs_sipas_weak *k, double target)
{
	char a[CS_FMT_MAX];
	bool first = true;

	if (k->below_target) {
		rawf(w, "%s %s", T(w, "dưới mục tiêu", "below the target"), pct(w, target, 0, a));
		first = false;
	}
	if (k->sig_own) {
		raw(w, first ? "" : "; ");
		text(w, T(w, "thấp hơn đáng kể so với chỉ số chung",
			  "significantly below the overall index"));
		first = false;
	}
	if (k->sig_peers) {
		raw(w, first ? "" : "; ");
		text(w, T(w, "thấp hơn đáng kể so với đơn vị cùng cấp",
			  "significantly below the peers"));
	}
}

static void weak_section(struct hw *w)
{
	const struct cs_report_model *m = w->m;
	char a[CS_FMT_MAX];

	section_open(w, "weak", 5, T(w, toc[4].vi, toc[4].en), true);
	if (m->nwaves == 0) {
		raw(w, "<p>");
		none(w, "Kỳ này chưa có đợt khảo sát nào có phản hồi.",
		     "No survey wave of this period has responses.");
		raw(w, "</p>\n");
	}
	for (size_t wv = 0; wv < m->nwaves; wv++) {
		const struct cs_report_wave *rw = &m->waves[wv];
		const struct cs_sipas_result *r = rw->in->res;
		const struct cs_q_options *o = cs_questionnaire_options(r->q);
		const struct cs_sipas_domain *d = cs_report_focus_domain(m, wv);

		raw(w, "<h3>");
		wave_title(w, rw);
		raw(w, "</h3>\n");
		if (!d) {
			raw(w, "<p>");
			no_responses(w);
			raw(w, "</p>\n");
			continue;
		}
		raw(w, "<h4>");
		text(w, T(w, "Lĩnh vực yếu (ưu tiên khắc phục)", "Weak areas (fix first)"));
		raw(w, "</h4>\n<p class=\"note\">");
		rawf(w, "%s %s; %s",
		     T(w, "Tiêu chí và yếu tố dưới mục tiêu",
		       "Items and elements below the target"),
		     pct(w, o->target, 0, a),
		     T(w,
		       "hoặc thấp hơn đáng kể so với chỉ số chung của đơn vị hay so với các đơn "
		       "vị cùng cấp (kiểm định một phía, hiệu chỉnh Holm; M3.6). Thấp nhất trước.",
		       "or significantly below the force's overall index or its peers (one-sided "
		       "tests, Holm's correction; M3.6). Weakest first."));
		raw(w, "</p>\n");
		if (rw->nweak == 0) {
			raw(w, "<p>");
			none(w, "Không có tiêu chí hay yếu tố nào cần ưu tiên.",
			     "No item or element needs fixing first.");
			raw(w, "</p>\n");
		} else {
			table_open(w, "weak");
			raw(w, "<thead><tr>");
			th(w, T(w, "Loại", "Kind"), false);
			th(w, T(w, "Mã", "Code"), false);
			th(w, T(w, "Nội dung", "Text"), false);
			th(w, "n", true);
			th(w, T(w, "Chỉ số", "Index"), true);
			th(w, T(w, "KTC 95%", "95% CI"), true);
			th(w, T(w, "Lý do", "Why"), false);
			raw(w, "</tr></thead><tbody>");
			for (size_t j = 0; j < rw->nweak; j++) {
				size_t k = rw->weak[j];
				bool item = k < d->nitems;
				const struct cs_sipas_est *x =
					item ? &d->items[k].est
					     : cs_sipas_element_index(r,
								      &d->elements[k - d->nitems]);
				const struct cs_sipas_weak *wk =
					item ? &d->items[k].weak : &d->elements[k - d->nitems].weak;
				const char *code, *txt;

				if (item) {
					const struct cs_q_item *qi =
						cs_questionnaire_item(r->q, d->items[k].item);

					code = qi->code;
					txt = pick(w, qi->text_vi, qi->text_en);
				} else {
					const struct cs_q_element *qe = cs_questionnaire_element(
						r->q, d->elements[k - d->nitems].element);

					code = qe->code;
					txt = pick(w, qe->title_vi, qe->title_en);
				}
				raw(w, "<tr data-weak=\"");
				text(w, code);
				raw(w, "\"><td>");
				text(w,
				     item ? T(w, "tiêu chí", "item") : T(w, "yếu tố", "element"));
				raw(w, "</td><td>");
				text(w, code);
				raw(w, "</td><td class=\"text\">");
				text(w, txt);
				rawf(w, "</td><td class=\"num\">%s</td><td class=\"num weak\">",
				     count(w, x->n, a));
				raw(w, pct(w, x->index, SIPAS_DECIMALS, a));
				raw(w, "</td><td class=\"num\">");
				interval(w, x->ci_lo, x->ci_hi);
				raw(w, "</td><td>");
				weak_reasons(w, wk, o->target);
				raw(w, "</td></tr>\n");
			}
			table_close(w);
		}
		raw(w, "<h4>");
		text(w, T(w, "Mong đợi của người dân", "What respondents expect"));
		raw(w, "</h4>\n");
		if (d->nchoices == 0) {
			raw(w, "<p>");
			none(w, "Không có câu trả lời về mong đợi.", "No answers on expectations.");
			raw(w, "</p>\n");
			continue;
		}
		table_open(w, "expectations");
		raw(w, "<thead><tr>");
		th(w, T(w, "Cần cải thiện", "Should improve"), false);
		th(w, T(w, "Số người chọn", "Chosen by"), true);
		th(w, T(w, "Tỷ lệ", "Share"), true);
		raw(w, "</tr></thead><tbody>");
		for (size_t c = 0; c < d->nchoices; c++) {
			const struct cs_sipas_choice *x = &d->expectations[c];
			const struct cs_q_item *qi = cs_questionnaire_item(r->q, x->item);
			const struct cs_q_choice *ch = &qi->choices[x->choice];

			raw(w, "<tr data-choice=\"");
			text(w, ch->value);
			raw(w, "\"><td>");
			text(w, pick(w, ch->label_vi, ch->label_en));
			rawf(w, "</td><td class=\"num\">%s</td>", count(w, x->n, a));
			rawf(w, "<td class=\"num\">%s</td></tr>\n",
			     pct(w, x->share, SIPAS_DECIMALS, a));
		}
		table_close(w);
	}
	raw(w, "</section>\n");
}

static void fix_entry(struct hw *w, const struct cs_report_unit *u, const struct cs_report_fix *f)
{
	const struct cs_report_model *m = w->m;
	char a[CS_FMT_MAX], b[CS_FMT_MAX];

	raw(w, "<li>");
	if (!f->sipas) {
		const struct cs_report_par *p = &m->par[u->par];
		const struct cs_fw_node *node = cs_framework_node(p->rep->fw, f->pos);
		int dec = cs_par_report_decimals(p->rep);

		text(w, T(w, "CCHC ", "PAR "));
		text(w, node->code);
		raw(w, " ");
		text(w, node->title);
		rawf(w, ": %s %s %s", T(w, "mất", "lost"),
		     cs_fmt_number_trim(cs_par_report_round(p->rep, f->lost), dec, w->lang, a),
		     T(w, "điểm", "points"));
		(void)b;
	} else {
		const struct cs_sipas_result *r = m->waves[f->wave].in->res;
		const struct cs_sipas_domain *d = cs_report_unit_domain(m, u, f->wave);
		const char *code, *txt;

		if (f->pos < d->nitems) {
			const struct cs_q_item *qi =
				cs_questionnaire_item(r->q, d->items[f->pos].item);

			code = qi->code;
			txt = pick(w, qi->text_vi, qi->text_en);
		} else {
			const struct cs_q_element *qe = cs_questionnaire_element(
				r->q, d->elements[f->pos - d->nitems].element);

			code = qe->code;
			txt = pick(w, qe->title_vi, qe->title_en);
		}
		text(w, T(w, "Hài lòng ", "Satisfaction "));
		text(w, code);
		raw(w, " ");
		text(w, txt);
		rawf(w, ": <span class=\"weak\">%s</span>", pct(w, f->index, SIPAS_DECIMALS, b));
		if (m->nwaves > 1) {
			raw(w, " (");
			text(w, m->waves[f->wave].in->meta.wave);
			raw(w, ")");
		}
	}
	raw(w, "</li>");
}

/* True when the unit has respondents in every wave. */
static bool unit_has_all_domains(const struct cs_report_model *m, const struct cs_report_unit *u)
{
	for (size_t wv = 0; wv < m->nwaves; wv++)
		if (!cs_report_unit_domain(m, u, wv))
			return false;
	return true;
}

static void fix_section(struct hw *w)
{
	const struct cs_report_model *m = w->m;

	section_open(w, "fix", 6, T(w, toc[5].vi, toc[5].en), true);
	raw(w, "<p class=\"note\">");
	rawf(w,
	     T(w,
	       "Với mỗi đơn vị: tối đa %d lĩnh vực CCHC bị mất nhiều điểm nhất, rồi tối đa %d "
	       "tiêu chí hay yếu tố hài lòng yếu nhất (dưới mục tiêu hoặc thấp hơn đáng kể).",
	       "For each unit: at most %d PAR areas that lost the most points, then at most %d "
	       "satisfaction items or elements that are weakest (below the target or "
	       "significantly below)."),
	     CS_REPORT_FIX_PAR, CS_REPORT_FIX_SIPAS);
	raw(w, "</p>\n");
	if (m->nunits == 0) {
		raw(w, "<p>");
		none(w, "Không có đơn vị trực thuộc nào có kết quả.", "No unit below has results.");
		raw(w, "</p>\n");
	} else {
		table_open(w, "fix");
		raw(w, "<thead><tr>");
		th(w, T(w, "Đơn vị", "Unit"), false);
		th(w, T(w, "Ưu tiên khắc phục", "Fix first"), false);
		raw(w, "</tr></thead><tbody>");
		for (size_t i = 0; i < m->nunits; i++) {
			const struct cs_report_unit *u = &m->units[i];

			raw(w, "<tr data-code=\"");
			text(w, u->code);
			raw(w, "\"><td class=\"name\">");
			unit_name(w, u->name, u->code);
			raw(w, "</td><td>");
			raw(w, "<ul class=\"fix\">");
			for (size_t k = 0; k < u->nfix; k++)
				fix_entry(w, u, &u->fix[k]);
			for (size_t wv = 0; wv < m->nwaves; wv++) {
				if (cs_report_unit_domain(m, u, wv))
					continue;
				raw(w, "<li>");
				text(w, T(w, "Hài lòng: ", "Satisfaction: "));
				no_responses(w);
				if (m->nwaves > 1) {
					raw(w, " (");
					text(w, m->waves[wv].in->meta.wave);
					raw(w, ")");
				}
				raw(w, "</li>");
				break;
			}
			if (u->nfix == 0 && unit_has_all_domains(m, u)) {
				raw(w, "<li>");
				none(w, "không có mục nào cần ưu tiên", "nothing to fix first");
				raw(w, "</li>");
			}
			raw(w, "</ul>");
			raw(w, "</td></tr>\n");
		}
		table_close(w);
	}
	raw(w, "</section>\n");
}

static void dl_row(struct hw *w, const char *term, const char *value)
{
	raw(w, "<dt>");
	text(w, term);
	raw(w, "</dt><dd>");
	text(w, value);
	raw(w, "</dd>");
}

static const char *rounding_text(struct hw *w, const struct cs_fw_options *o, char *buf,
				 size_t size)
{
	snprintf(buf, size, "%s, %d %s",
		 o->rounding.mode == CS_ROUND_TRUNCATE
			 ? T(w, "cắt bỏ (không làm tròn)", "truncate")
			 : T(w, "làm tròn nửa xa số 0", "round half away from zero"),
		 o->rounding.decimals, T(w, "chữ số thập phân", "decimals"));
	return buf;
}

static const char *scope_text(struct hw *w, enum cs_rank_scope scope)
{
	switch (scope) {
	case CS_RANK_SCOPE_LEVEL:
		return T(w, "các đơn vị cùng cấp", "units of the same level");
	case CS_RANK_SCOPE_PARENT:
		return T(w, "các đơn vị cùng đơn vị cấp trên", "units with the same parent");
	case CS_RANK_SCOPE_ALL:
	default:
		return T(w, "mọi đơn vị tính điểm", "all units computed");
	}
}

static const char *element_agg_text(struct hw *w, enum cs_q_element_agg a)
{
	return a == CS_Q_ELEMENT_POOLED ? T(w, "gộp các tiêu chí (pooled)", "pooled over its items")
					: T(w, "trung bình các tiêu chí (mean_of_items)",
					    "mean of its items (mean_of_items)");
}

static const char *overall_agg_text(struct hw *w, enum cs_q_overall_agg a)
{
	switch (a) {
	case CS_Q_OVERALL_POOLED:
		return T(w, "gộp mọi tiêu chí (pooled)", "pooled over all items (pooled)");
	case CS_Q_OVERALL_GENERAL:
		return T(w, "câu hỏi hài lòng chung (general)", "the general question (general)");
	case CS_Q_OVERALL_MEAN_OF_ELEMENTS:
	default:
		return T(w, "trung bình các yếu tố (mean_of_elements)",
			 "mean of the elements (mean_of_elements)");
	}
}

static void method_section(struct hw *w)
{
	const struct cs_report_model *m = w->m;
	char buf[512], a[CS_FMT_MAX], b[CS_FMT_MAX];

	section_open(w, "method", 7, T(w, toc[6].vi, toc[6].en), true);
	raw(w, "<p class=\"note\">");
	text(w, T(w,
		  "Mọi con số trong báo cáo được tính bằng chiso từ dữ liệu đã lưu, theo "
		  "các phiên bản phương pháp và tùy chọn dưới đây; n là số đơn vị hoặc số "
		  "người trả lời đứng sau mỗi con số.",
		  "Every figure in this report is computed by chiso from the stored data, under "
		  "the methodology versions and options below; n is the number of units or "
		  "respondents behind each figure."));
	raw(w, "</p>\n");
	for (size_t s = 0; s < m->npar; s++) {
		const struct cs_report_par *p = &m->par[s];
		const struct cs_fw_info *fi = cs_framework_info(p->rep->fw);
		const struct cs_fw_options *o = cs_framework_options(p->rep->fw);

		raw(w, "<h3>");
		text(w, T(w, "Chỉ số CCHC: ", "PAR index: "));
		fw_name(w, p->rep->fw);
		raw(w, "</h3>\n<dl class=\"meta\" data-framework=\"");
		text(w, fi->code);
		raw(w, "\">");
		dl_row(w, T(w, "Khung", "Framework"), fi->code);
		dl_row(w, T(w, "Phiên bản", "Version"), fi->version);
		dl_row(w, T(w, "Tên", "Title"), fi->title);
		dl_row(w, T(w, "Văn bản", "Decision"), fi->decision);
		raw(w, "<dt>sha256</dt><dd><code>");
		text(w, p->rep->fw_sha256 ? p->rep->fw_sha256 : "");
		raw(w, "</code></dd>");
		dl_row(w, T(w, "Làm tròn (M2.8)", "Rounding (M2.8)"),
		       rounding_text(w, o, buf, sizeof(buf)));
		snprintf(buf, sizeof(buf), "%s; %s %s; %s",
			 o->rank_method == CS_RANK_DENSE
				 ? T(w, "xếp hạng liên tục (1, 2, 2, 3)", "dense (1, 2, 2, 3)")
				 : T(w, "đồng hạng (1, 2, 2, 4)", "competition (1, 2, 2, 4)"),
			 T(w, "trong", "among"), scope_text(w, o->rank_scope),
			 o->full_precision ? T(w, "theo giá trị đầy đủ", "on full precision")
					   : T(w, "theo giá trị công bố", "on published values"));
		dl_row(w, T(w, "Xếp hạng (M2.6)", "Ranking (M2.6)"), buf);
		dl_row(w, T(w, "Không áp dụng (M2.2)", "Not applicable (M2.2)"),
		       o->na_policy == CS_NA_ZERO
			       ? T(w, "tính 0 điểm", "scored 0")
			       : T(w, "loại khỏi điểm tối đa", "left out of the maximum"));
		buf[0] = '\0';
		for (size_t i = 0; i < cs_framework_band_count(p->rep->fw); i++) {
			const struct cs_fw_band *band = cs_framework_band(p->rep->fw, i);
			size_t len = strlen(buf);

			snprintf(buf + len, sizeof(buf) - len, "%s%s ≥ %s", i ? "; " : "",
				 pick(w, band->label_vi, band->label_en),
				 cs_fmt_number_trim(band->lo, 2, w->lang, a));
		}
		dl_row(w, T(w, "Xếp loại (M2.5)", "Bands (M2.5)"), buf);
		dl_row(w, T(w, "Kỳ so sánh", "Compared with"),
		       p->rep->prev_period ? p->rep->prev_period : T(w, "không có", "none"));
		snprintf(buf, sizeof(buf), "%s %s; %s %s", count(w, p->rep->run->nunits, a),
			 T(w, "đơn vị tính điểm", "units computed"),
			 count(w, p->ncomplete + (p->focus != CS_REPORT_NONE), b),
			 T(w, "đơn vị của báo cáo có kết quả", "of the report's units complete"));
		dl_row(w, T(w, "Cỡ mẫu", "Sample size"), buf);
		raw(w, "</dl>\n");
	}
	for (size_t wv = 0; wv < m->nwaves; wv++) {
		const struct cs_report_wave *rw = &m->waves[wv];
		const struct cs_sipas_result *r = rw->in->res;
		const struct cs_q_options *o = cs_questionnaire_options(r->q);
		const struct cs_q_info *qi = cs_questionnaire_info(r->q);
		size_t len = 0;

		raw(w, "<h3>");
		text(w, T(w, "Sự hài lòng: ", "Satisfaction: "));
		wave_title(w, rw);
		raw(w, "</h3>\n<dl class=\"meta\" data-wave=\"");
		text(w, rw->in->meta.wave);
		raw(w, "\">");
		dl_row(w, T(w, "Bảng hỏi", "Questionnaire"), rw->in->meta.questionnaire);
		dl_row(w, T(w, "Phiên bản", "Version"), rw->in->meta.questionnaire_version);
		dl_row(w, T(w, "Văn bản", "Decision"), qi->decision);
		dl_row(w, T(w, "Đợt trước để so sánh", "Compared with wave"),
		       rw->in->meta.previous_wave ? rw->in->meta.previous_wave
						  : T(w, "không có", "none"));
		snprintf(buf, sizeof(buf), "%s %s%s%s", count(w, r->respondents, a),
			 T(w, "người trả lời", "respondents"),
			 r->opts.design ? T(w, "; có trọng số / thiết kế mẫu", "; weighted design")
					: T(w, "; mẫu ngẫu nhiên đơn, không trọng số",
					    "; unweighted simple random sample"),
			 r->opts.clustered ? T(w, ", theo cụm", ", clustered") : "");
		dl_row(w, T(w, "Cỡ mẫu", "Sample size"), buf);
		buf[0] = '\0';
		for (int lv = 1; lv <= 5; lv++)
			if (o->satisfied_levels >> lv & 1) {
				len = strlen(buf);
				snprintf(buf + len, sizeof(buf) - len, "%s%d", len ? ", " : "", lv);
			}
		dl_row(w, T(w, "Mức tính là hài lòng (M3.2)", "Levels counted satisfied (M3.2)"),
		       buf);
		snprintf(buf, sizeof(buf), "%s: %s; %s: %s", T(w, "yếu tố", "element"),
			 element_agg_text(w, o->element_agg), T(w, "chỉ số công bố", "headline"),
			 overall_agg_text(w, o->headline));
		dl_row(w, T(w, "Cách gộp (M3.3)", "Aggregation (M3.3)"), buf);
		snprintf(buf, sizeof(buf), "%s %s%%; %s: %s; %s: logit",
			 T(w, "độ tin cậy", "confidence"), num(w, 100 * (1 - r->alpha), 0, a),
			 T(w, "tiêu chí", "items"),
			 r->opts.design	    ? "logit"
			 : o->ci_unweighted ? o->ci_unweighted
					    : "wilson",
			 T(w, "chỉ số gộp", "combined indices"));
		dl_row(w, T(w, "Khoảng tin cậy (M3.5)", "Intervals (M3.5)"), buf);
		snprintf(buf, sizeof(buf), "%s %s; n < %u %s; CV > %s %s",
			 T(w, "mục tiêu", "target"), pct(w, o->target, 0, a), o->min_n,
			 T(w, "đánh dấu cỡ mẫu nhỏ, không xếp hạng", "flagged small, not ranked"),
			 num(w, o->max_cv, 2, b), T(w, "đánh dấu", "flagged"));
		dl_row(w, T(w, "Ngưỡng (M3.5, M3.6)", "Limits (M3.5, M3.6)"), buf);
		dl_row(w, T(w, "PSU đơn lẻ", "Lonely PSUs"), cs_svy_lonely_name(r->opts.lonely));
		raw(w, "</dl>\n");
	}
	raw(w, "</section>\n");
}

static void foot(struct hw *w)
{
	raw(w, "</main>\n<footer><p>");
	text(w, T(w,
		  "Báo cáo do chiso tạo; các con số tái lập được bằng 'chiso par compute' và "
		  "'chiso sipas compute' trên cùng cơ sở dữ liệu.",
		  "Made by chiso; the figures can be reproduced with 'chiso par compute' and "
		  "'chiso sipas compute' on the same database."));
	raw(w, "</p></footer>\n</body>\n</html>\n");
}

enum cs_err cs_report_html_write(const struct cs_report_model *m, enum cs_fmt_lang lang,
				 struct cs_buf *out, struct cs_error *err)
{
	struct hw w = {out, err, CS_OK, lang, m};

	head(&w);
	cover(&w);
	summary(&w);
	par_sections(&w);
	change_section(&w);
	sipas_sections(&w);
	weak_section(&w);
	fix_section(&w);
	method_section(&w);
	foot(&w);
	return w.rc;
}
