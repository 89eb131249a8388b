/*
 * Server-side rendering of the citizen survey and the pages around it, and
 * the reading of the form's body. The pages carry no inline script or style
 * (the Content-Security-Policy forbids both): behaviour comes from
 * web/survey/survey.js through data attributes, looks from survey.css.
 */
#include <stdio.h>
#include <string.h>

#include "http/survey_page.h"
#include "util/utf8.h"

#include "util/banned.h"

/* ---- Reading the form's body ---- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes one name or value into the arena; false on a malformed escape. */
static bool decode(const char *p, size_t len, struct cs_arena *a, char **out, size_t *out_len)
{
	char *d = cs_arena_alloc(a, len + 1);
	size_t o = 0;

	*out = d;
	if (!d)
		return true; /* the caller sees NULL: out of memory */
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '+') {
			d[o++] = ' ';
		} else if (p[i] == '%') {
			int hi = i + 2 < len ? hex_digit(p[i + 1]) : -1;
			int lo = i + 2 < len ? hex_digit(p[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return false;
			d[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			d[o++] = p[i];
		}
	}
	d[o] = '\0';
	*out_len = o;
	return true;
}

/* True when s has no NUL and no control character (but tab, CR and LF when text). */
static bool clean(const char *s, size_t len, bool text)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0x7f || (c < 0x20 && !(text && (c == '\t' || c == '\r' || c == '\n'))))
			return false;
	}
	return true;
}

enum cs_err survey_form_parse(const char *body, size_t len, struct cs_arena *arena,
			      struct survey_field **fields, size_t *n, struct cs_error *err)
{
	size_t count = 0, start = 0, cap = 1;
	struct survey_field *f;

	*fields = NULL;
	*n = 0;
	for (size_t i = 0; i < len; i++)
		cap += body[i] == '&';
	if (cap > SURVEY_FIELDS_MAX)
		cap = SURVEY_FIELDS_MAX + 1;
	f = cs_arena_calloc(arena, cap, sizeof(*f));
	if (!f)
		return cs_fail(err, CS_ENOMEM, NULL);
	while (start <= len) {
		const char *seg = body + start, *amp = memchr(seg, '&', len - start), *eq;
		size_t seg_len = amp ? (size_t)(amp - seg) : len - start;
		size_t name_len, value_len = 0, nl = 0, vl = 0;
		char *name = NULL, *value = NULL;

		start += seg_len + 1;
		if (seg_len == 0)
			continue;
		if (count == SURVEY_FIELDS_MAX)
			return cs_fail(err, CS_ETOOBIG, "form: more than %d fields",
				       SURVEY_FIELDS_MAX);
		eq = memchr(seg, '=', seg_len);
		name_len = eq ? (size_t)(eq - seg) : seg_len;
		if (eq)
			value_len = seg_len - name_len - 1;
		if (!decode(seg, name_len, arena, &name, &nl) ||
		    !decode(eq ? eq + 1 : "", value_len, arena, &value, &vl))
			return cs_fail(err, CS_EPARSE, "form field %zu: malformed %% escape",
				       count + 1);
		if (!name || !value)
			return cs_fail(err, CS_ENOMEM, NULL);
		if (!cs_utf8_valid(name, nl, NULL) || !cs_utf8_valid(value, vl, NULL))
			return cs_fail(err, CS_EUTF8, "form field %zu: not UTF-8 text", count + 1);
		if (!clean(name, nl, false) || !clean(value, vl, true))
			return cs_fail(err, CS_EPARSE,
				       "form field %zu ('%.64s'): has control characters",
				       count + 1, clean(name, nl, false) ? name : "?");
		f[count].name = name;
		f[count].value = value;
		count++;
	}
	*fields = f;
	*n = count;
	return CS_OK;
}

/* ---- Writing HTML ---- */

enum cs_err survey_html_escape(struct cs_buf *out, const char *s, struct cs_error *err)
{
	enum cs_err rc = CS_OK;
	size_t from = 0, i;

	for (i = 0; s[i] && !rc; i++) {
		const char *e;

		switch (s[i]) {
		case '&':
			e = "&amp;";
			break;
		case '<':
			e = "&lt;";
			break;
		case '>':
			e = "&gt;";
			break;
		case '"':
			e = "&quot;";
			break;
		case '\'':
			e = "&#39;";
			break;
		default:
			continue;
		}
		rc = cs_buf_add(out, s + from, i - from, err);
		if (!rc)
			rc = cs_buf_addstr(out, e, err);
		from = i + 1;
	}
	if (!rc)
		rc = cs_buf_add(out, s + from, i - from, err);
	return rc;
}

enum cs_err survey_url_escape(struct cs_buf *out, const char *s, struct cs_error *err)
{
	static const char hex[] = "0123456789ABCDEF";
	enum cs_err rc = CS_OK;

	for (; *s && !rc; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			rc = cs_buf_addc(out, (char)c, err);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};

			rc = cs_buf_add(out, e, 3, err);
		}
	}
	return rc;
}

/* A writer that stops at the first failure, so that the page code reads straight. */
struct html {
	struct cs_buf *out;
	enum cs_err rc;
	struct cs_error *err;
	enum http_lang lang;
};

static void raw(struct html *h, const char *s)
{
	if (!h->rc)
		h->rc = cs_buf_addstr(h->out, s, h->err);
}

static void text(struct html *h, const char *s)
{
	if (!h->rc)
		h->rc = survey_html_escape(h->out, s ? s : "", h->err);
}

static void rawf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rawf(struct html *h, const char *fmt, ...)
{
	va_list ap;

	if (h->rc)
		return;
	va_start(ap, fmt);
	h->rc = cs_buf_vaddf(h->out, h->err, fmt, ap);
	va_end(ap);
}

/* Writes ` name="value"` with the value escaped. */
static void attr(struct html *h, const char *name, const char *value)
{
	raw(h, " ");
	raw(h, name);
	raw(h, "=\"");
	text(h, value);
	raw(h, "\"");
}

/* The Vietnamese or English text. */
#define T(h, vi, en) ((h)->lang == HTTP_LANG_EN ? (en) : (vi))

/* The English text when asked for and present, else the Vietnamese. */
static const char *pick(const struct html *h, const char *vi, const char *en)
{
	return h->lang == HTTP_LANG_EN && en && en[0] ? en : vi;
}

static const char *const likert_vi[5] = {"Rất không hài lòng", "Không hài lòng", "Bình thường",
					 "Hài lòng", "Rất hài lòng"};
static const char *const likert_en[5] = {"Very dissatisfied", "Dissatisfied", "Neutral",
					 "Satisfied", "Very satisfied"};

static void head(struct html *h, const char *title, const char *css, const char *js,
		 const char *refresh_url, unsigned refresh_seconds)
{
	raw(h, "<!doctype html>\n<html lang=\"");
	raw(h, http_lang_code(h->lang));
	raw(h, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<meta name=\"robots\" content=\"noindex\">\n<title>");
	text(h, title);
	raw(h, "</title>\n");
	if (css) {
		raw(h, "<link rel=\"stylesheet\" href=\"");
		text(h, css);
		raw(h, "\">\n");
	}
	if (js) {
		raw(h, "<script type=\"module\" src=\"");
		text(h, js);
		raw(h, "\"></script>\n");
	}
	if (refresh_url) {
		rawf(h, "<meta http-equiv=\"refresh\" content=\"%u;url=", refresh_seconds);
		text(h, refresh_url);
		raw(h, "\">\n");
	}
	raw(h, "</head>\n");
}

/* The top bar: who asks, and the language switch. */
static void top(struct html *h, const char *unit_name, const char *switch_url)
{
	raw(h, "<header class=\"top\">\n<p class=\"unit\">");
	text(h, unit_name ? unit_name : T(h, "Khảo sát sự hài lòng", "Satisfaction survey"));
	raw(h, "</p>\n");
	if (switch_url) {
		rawf(h, "<nav aria-label=\"%s\"><a class=\"lang\" href=\"",
		     T(h, "Ngôn ngữ", "Language"));
		text(h, switch_url);
		raw(h, h->lang == HTTP_LANG_EN ? "\" hreflang=\"vi\" lang=\"vi\">Tiếng Việt</a>"
					       : "\" hreflang=\"en\" lang=\"en\">English</a>");
		raw(h, "</nav>\n");
	}
	raw(h, "</header>\n");
}

static const char *problem_text(const struct html *h, enum survey_problem p)
{
	switch (p) {
	case SURVEY_REQUIRED:
		return T(h, "Vui lòng trả lời câu này.", "Please answer this question.");
	case SURVEY_CHOICE:
		return T(h, "Vui lòng chọn một trong các phương án đã cho.",
			 "Please choose one of the options given.");
	case SURVEY_NUMBER:
		return T(h, "Vui lòng nhập một số, ví dụ 12 hoặc 3,5.",
			 "Please enter a number, such as 12 or 3.5.");
	case SURVEY_TOO_LONG:
		return T(h, "Câu trả lời quá dài: tối đa 1000 ký tự.",
			 "The answer is too long: at most 1000 characters.");
	case SURVEY_ONE_ONLY:
		return T(h, "Vui lòng chỉ chọn một phương án.", "Please choose only one option.");
	case SURVEY_OK:
	default:
		return "";
	}
}

/* Whether the submission being shown again gave value to item code. */
static bool given_has(const struct survey_view *v, const char *code, const char *value)
{
	for (size_t i = 0; i < v->ngiven; i++)
		if (strcmp(v->given[i].name, code) == 0 && strcmp(v->given[i].value, value) == 0)
			return true;
	return false;
}

static const char *given_first(const struct survey_view *v, const char *code)
{
	for (size_t i = 0; i < v->ngiven; i++)
		if (strcmp(v->given[i].name, code) == 0)
			return v->given[i].value;
	return "";
}

/* One option of a radio group or a set of checkboxes. */
static void option(struct html *h, const struct survey_view *v, const struct cs_q_item *it,
		   const char *type, const char *value, const char *label, bool required,
		   bool invalid)
{
	raw(h, "<label class=\"opt\"><input type=\"");
	raw(h, type);
	raw(h, "\" name=\"");
	text(h, it->code);
	raw(h, "\" value=\"");
	text(h, value);
	raw(h, "\"");
	if (given_has(v, it->code, value))
		raw(h, " checked");
	if (required)
		raw(h, " required");
	if (invalid)
		raw(h, " aria-invalid=\"true\"");
	raw(h, "><span>");
	text(h, label);
	raw(h, "</span></label>\n");
}

static void item_choices(struct html *h, const struct survey_view *v, const struct cs_q_item *it,
			 bool required, bool invalid)
{
	const char *type = it->type == CS_Q_MULTI ? "checkbox" : "radio";
	char num[4];

	rawf(h, "<div class=\"opts %s\">\n", cs_q_type_name(it->type));
	switch (it->type) {
	case CS_Q_LIKERT5:
		/* Most satisfied first would bias answers; the official form
		 * reads from 1 to 5. */
		for (int k = 0; k < 5; k++) {
			const struct cs_q_choice *c = it->nchoices == 5 ? &it->choices[k] : NULL;
			const char *label = c && c->label_vi[0] ? pick(h, c->label_vi, c->label_en)
								: T(h, likert_vi[k], likert_en[k]);

			snprintf(num, sizeof(num), "%d", k + 1);
			option(h, v, it, type, c ? c->value : num, label, required && k == 0,
			       invalid);
		}
		break;
	case CS_Q_YESNO:
		for (int k = 0; k < 2; k++) {
			const struct cs_q_choice *c = it->nchoices == 2 ? &it->choices[k] : NULL;
			const char *label = c && c->label_vi[0] ? pick(h, c->label_vi, c->label_en)
					    : k == 0		? T(h, "Có", "Yes")
								: T(h, "Không", "No");

			option(h, v, it, type,
			       c	? c->value
			       : k == 0 ? "1"
					: "0",
			       label, required && k == 0, invalid);
		}
		break;
	default:
		for (size_t k = 0; k < it->nchoices; k++)
			option(h, v, it, type, it->choices[k].value,
			       pick(h, it->choices[k].label_vi, it->choices[k].label_en),
			       required && k == 0 && it->type != CS_Q_MULTI, invalid);
		break;
	}
	raw(h, "</div>\n");
}

/* The data attributes and the message slot every question carries. */
static void item_attrs(struct html *h, const struct cs_q_item *it)
{
	raw(h, " id=\"q-");
	text(h, it->code);
	raw(h, "\" data-item=\"");
	text(h, it->code);
	rawf(h, "\" data-type=\"%s\"", cs_q_type_name(it->type));
	if (it->required)
		raw(h, " data-required");
	if (it->relevant && it->relevant[0]) {
		raw(h, " data-relevant=\"");
		text(h, it->relevant);
		raw(h, "\"");
	}
	raw(h, " aria-describedby=\"err-");
	text(h, it->code);
	raw(h, "\"");
}

static void item_error(struct html *h, const struct cs_q_item *it, enum survey_problem problem)
{
	raw(h, "<p class=\"err\" id=\"err-");
	text(h, it->code);
	raw(h, problem ? "\">" : "\" hidden>");
	text(h, problem_text(h, problem));
	raw(h, "</p>\n");
}

static void item_label(struct html *h, const struct cs_q_item *it, unsigned number)
{
	rawf(h, "<span class=\"num\">%u.</span> ", number);
	text(h, pick(h, it->text_vi, it->text_en));
	if (it->type == CS_Q_MULTI)
		rawf(h, " <span class=\"hint\">%s</span>",
		     T(h, "(có thể chọn nhiều phương án)", "(choose any that apply)"));
	if (it->required)
		rawf(h, " <abbr class=\"req\" title=\"%s\">*</abbr>", T(h, "bắt buộc", "required"));
}

static void item(struct html *h, const struct survey_view *v, const struct cs_q_item *it,
		 unsigned number, enum survey_problem problem)
{
	/* Native validation only where no condition can hide the question. */
	bool required = it->required && !(it->relevant && it->relevant[0]);
	bool invalid = problem != SURVEY_OK;

	switch (it->type) {
	case CS_Q_NOTE:
		raw(h, "<p class=\"note\"");
		item_attrs(h, it);
		raw(h, ">");
		text(h, pick(h, it->text_vi, it->text_en));
		raw(h, "</p>\n");
		return;
	case CS_Q_NUMBER:
	case CS_Q_TEXT:
		rawf(h, "<div class=\"q%s\"", invalid ? " invalid" : "");
		item_attrs(h, it);
		raw(h, ">\n<label for=\"i-");
		text(h, it->code);
		raw(h, "\">");
		item_label(h, it, number);
		raw(h, "</label>\n");
		item_error(h, it, problem);
		if (it->type == CS_Q_NUMBER) {
			raw(h, "<input type=\"text\" inputmode=\"decimal\" id=\"i-");
		} else {
			rawf(h, "<textarea rows=\"3\" maxlength=\"%d\" id=\"i-", SURVEY_TEXT_CHARS);
		}
		text(h, it->code);
		raw(h, "\" name=\"");
		text(h, it->code);
		raw(h, "\" aria-describedby=\"err-");
		text(h, it->code);
		raw(h, "\"");
		if (required)
			raw(h, " required");
		if (invalid)
			raw(h, " aria-invalid=\"true\"");
		if (it->type == CS_Q_NUMBER) {
			raw(h, " value=\"");
			text(h, given_first(v, it->code));
			raw(h, "\">\n");
		} else {
			raw(h, ">");
			text(h, given_first(v, it->code));
			raw(h, "</textarea>\n");
		}
		raw(h, "</div>\n");
		return;
	default:
		rawf(h, "<fieldset class=\"q%s\"", invalid ? " invalid" : "");
		item_attrs(h, it);
		raw(h, ">\n<legend>");
		item_label(h, it, number);
		raw(h, "</legend>\n");
		item_error(h, it, problem);
		item_choices(h, v, it, required, invalid);
		raw(h, "</fieldset>\n");
		return;
	}
}

/* The list of refused answers at the top, each a link to its question. */
static void summary(struct html *h, const struct survey_view *v)
{
	size_t n = cs_questionnaire_item_count(v->q);
	unsigned number = 0;
	bool any = false;

	for (size_t i = 0; v->problems && i < n; i++)
		any = any || v->problems[i] != SURVEY_OK;
	rawf(h, "<div class=\"summary\" id=\"summary\" role=\"alert\" tabindex=\"-1\"%s>\n",
	     any || v->notice ? "" : " hidden");
	if (v->notice) {
		raw(h, "<p>");
		text(h, v->notice);
		raw(h, "</p>\n");
	}
	if (any) {
		rawf(h, "<p>%s</p>\n<ul>\n",
		     T(h, "Vui lòng xem lại các câu sau:", "Please check these questions:"));
		for (size_t i = 0; i < n; i++) {
			const struct cs_q_item *it = cs_questionnaire_item(v->q, i);

			if (it->type == CS_Q_NOTE)
				continue;
			number++;
			if (v->problems[i] == SURVEY_OK)
				continue;
			raw(h, "<li><a href=\"#q-");
			text(h, it->code);
			rawf(h, "\">%s %u: ", T(h, "Câu", "Question"), number);
			text(h, problem_text(h, v->problems[i]));
			raw(h, "</a></li>\n");
		}
		raw(h, "</ul>\n");
	}
	raw(h, "</div>\n");
}

enum cs_err survey_page_form(struct cs_buf *out, const struct survey_view *v, struct cs_error *err)
{
	struct html h = {.out = out, .err = err, .lang = v->lang};
	const struct cs_q_info *info = cs_questionnaire_info(v->q);
	size_t n = cs_questionnaire_item_count(v->q);
	bool kiosk = v->mode == SURVEY_MODE_KIOSK;
	const char *open_group = NULL; /* element code of the open fieldset, "" for none */
	unsigned number = 0;

	head(&h, info->title, v->css, v->js, NULL, 0);
	raw(&h, kiosk ? "<body class=\"survey kiosk\"" : "<body class=\"survey\"");
	if (kiosk && v->home) {
		rawf(&h, " data-idle=\"%u\" data-home=\"", v->idle_seconds);
		text(&h, v->home);
		raw(&h, "\"");
	}
	raw(&h, ">\n");
	top(&h, v->unit_name, v->switch_url);
	raw(&h, "<main>\n<h1>");
	text(&h, info->title);
	raw(&h, "</h1>\n");
	if (v->wave_title && v->wave_title[0]) {
		raw(&h, "<p class=\"wave\">");
		text(&h, v->wave_title);
		raw(&h, "</p>\n");
	}
	rawf(&h, "<p class=\"intro\">%s</p>\n<p class=\"intro\">%s</p>\n",
	     T(&h,
	       "Xin Ông/Bà cho biết mức độ hài lòng của mình. Phiếu không ghi tên; câu trả "
	       "lời chỉ dùng để đo lường và cải thiện chất lượng phục vụ.",
	       "Please tell us how satisfied you are. The form is anonymous: your answers "
	       "are only used to measure and improve the service."),
	     T(&h, "Câu có dấu * là bắt buộc.", "Questions marked * are required."));
	if (kiosk)
		rawf(&h, "<p class=\"intro kiosk-note\">%s</p>\n",
		     T(&h,
		       "Màn hình tự xóa câu trả lời sau một lúc không sử dụng. Không có gì "
		       "được lưu trên máy này.",
		       "The screen clears the answers after a while without use. Nothing is "
		       "kept on this device."));

	raw(&h, "<form id=\"survey\" method=\"post\" accept-charset=\"utf-8\" "
		"autocomplete=\"off\" action=\"");
	text(&h, v->action);
	raw(&h, "\"");
	attr(&h, "data-msg-required", problem_text(&h, SURVEY_REQUIRED));
	attr(&h, "data-msg-summary",
	     T(&h, "Vui lòng xem lại các câu sau:", "Please check these questions:"));
	attr(&h, "data-msg-question", T(&h, "Câu", "Question"));
	attr(&h, "data-msg-sending", T(&h, "Đang gửi…", "Sending…"));
	raw(&h, ">\n");
	summary(&h, v);

	for (size_t i = 0; i < n; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(v->q, i);
		const char *group = it->element_code ? it->element_code : "";

		/* Consecutive items of one element share a fieldset; items of
		 * no element (overall, expectations, about the respondent)
		 * share one too. */
		if (!open_group || strcmp(open_group, group) != 0) {
			size_t e;

			if (open_group)
				raw(&h, "</fieldset>\n");
			open_group = group;
			raw(&h, "<fieldset class=\"element\"><legend>");
			if (group[0] && cs_questionnaire_find_element(v->q, group, &e)) {
				const struct cs_q_element *el = cs_questionnaire_element(v->q, e);

				text(&h, pick(&h, el->title_vi, el->title_en));
			} else {
				text(&h, T(&h, "Đánh giá chung và thông tin người trả lời",
					   "Overall view and about you"));
			}
			raw(&h, "</legend>\n");
		}
		if (it->type != CS_Q_NOTE)
			number++;
		item(&h, v, it, number, v->problems ? v->problems[i] : SURVEY_OK);
	}
	if (open_group)
		raw(&h, "</fieldset>\n");
	rawf(&h, "<div class=\"actions\"><button type=\"submit\">%s</button></div>\n",
	     T(&h, "Gửi ý kiến", "Send answers"));
	raw(&h, "</form>\n</main>\n</body>\n</html>\n");
	return h.rc;
}

static const struct {
	const char *title_vi, *text_vi, *title_en, *text_en;
} notices[] = {
	[SURVEY_THANKS] = {"Cảm ơn Ông/Bà!",
			   "Ý kiến của Ông/Bà đã được ghi nhận. Cảm ơn Ông/Bà đã giúp chúng tôi "
			   "phục vụ tốt hơn.",
			   "Thank you!",
			   "Your answers have been recorded. Thank you for helping us serve you "
			   "better."},
	[SURVEY_TOKEN_UNKNOWN] = {"Không tìm thấy phiếu khảo sát",
				  "Mã trên biên nhận không đúng hoặc đã bị gõ sai. Vui lòng quét "
				  "lại mã QR hoặc kiểm tra lại đường dẫn.",
				  "Survey not found",
				  "The code on the receipt is not known, or was mistyped. Please "
				  "scan the QR code again or check the link."},
	[SURVEY_TOKEN_USED] = {"Phiếu này đã được trả lời",
			       "Mỗi mã khảo sát chỉ dùng được một lần, và mã này đã được dùng. "
			       "Cảm ơn Ông/Bà đã tham gia.",
			       "This survey has already been answered",
			       "Each survey code can be used once, and this one has been. Thank "
			       "you for taking part."},
	[SURVEY_TOKEN_EXPIRED] = {"Phiếu khảo sát đã hết hạn",
				  "Thời hạn trả lời bằng mã này đã qua. Cảm ơn Ông/Bà đã quan "
				  "tâm.",
				  "This survey has expired",
				  "The time to answer with this code is over. Thank you for your "
				  "interest."},
	[SURVEY_NO_WAVE] = {"Hiện không có đợt khảo sát",
			    "Hiện không có đợt khảo sát nào đang mở ở đây. Vui lòng quay lại "
			    "sau.",
			    "No survey open",
			    "There is no survey open here at the moment. Please come back "
			    "later."},
	[SURVEY_UNKNOWN_UNIT] = {"Không tìm thấy đơn vị",
				 "Đường dẫn khảo sát không đúng. Vui lòng kiểm tra lại.",
				 "Unit not found",
				 "The survey link is not right. Please check it."},
	[SURVEY_UNAVAILABLE] = {"Chưa gửi được",
				"Máy chủ đang bận nên câu trả lời chưa được ghi. Vui lòng thử lại "
				"sau ít phút.",
				"Not sent yet",
				"The server is busy and your answers were not recorded. Please try "
				"again in a few minutes."},
};

enum cs_err survey_page_notice(struct cs_buf *out, enum survey_notice notice, enum http_lang lang,
			       const char *switch_url, const char *home, unsigned idle_seconds,
			       const char *css, const char *js, struct cs_error *err)
{
	struct html h = {.out = out, .err = err, .lang = lang};
	const char *title = T(&h, notices[notice].title_vi, notices[notice].title_en);

	head(&h, title, css, js, home, idle_seconds);
	raw(&h, home ? "<body class=\"survey notice kiosk\"" : "<body class=\"survey notice\"");
	if (home) {
		rawf(&h, " data-idle=\"%u\" data-home=\"", idle_seconds);
		text(&h, home);
		raw(&h, "\"");
	}
	rawf(&h, " data-notice=\"%s\">\n",
	     notice == SURVEY_THANKS	      ? "thanks"
	     : notice == SURVEY_TOKEN_USED    ? "used"
	     : notice == SURVEY_TOKEN_EXPIRED ? "expired"
					      : "other");
	top(&h, NULL, switch_url);
	raw(&h, "<main>\n<h1>");
	text(&h, title);
	raw(&h, "</h1>\n<p>");
	text(&h, T(&h, notices[notice].text_vi, notices[notice].text_en));
	raw(&h, "</p>\n");
	if (home) {
		raw(&h, "<p><a class=\"button\" href=\"");
		text(&h, home);
		rawf(&h, "\">%s</a></p>\n", T(&h, "Trả lời phiếu mới", "Start a new survey"));
	}
	raw(&h, "</main>\n</body>\n</html>\n");
	return h.rc;
}
