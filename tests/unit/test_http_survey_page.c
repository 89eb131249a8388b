/*
 * Tests of the survey's HTML (http/survey_page.h) without a server: reading
 * form bodies (escapes, empty pairs, limits, bad input), escaping, the form
 * as rendered for each item type in both languages (labels, fieldsets,
 * required marks, relevance as data, answers and problems of a refused
 * submission, kiosk attributes), the pages around it, the absence of inline
 * script and style, and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/questionnaire.h"
#include "http/survey_page.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static void test_form_parse(void **state)
{
	static const char body[] = "E1.1=4&&x=a&x=c&note=xin+ch%C3%A0o%0D%0Ab%26c&empty=&bare";
	struct cs_arena a;
	struct survey_field *f = NULL;
	struct cs_error err = {0};
	size_t n = 0;

	(void)state;
	cs_arena_init(&a, 1024);
	assert_int_equal(survey_form_parse(body, strlen(body), &a, &f, &n, &err), CS_OK);
	assert_int_equal(n, 6);
	assert_string_equal(f[0].name, "E1.1");
	assert_string_equal(f[0].value, "4");
	assert_string_equal(f[1].name, "x");
	assert_string_equal(f[2].value, "c");
	assert_string_equal(f[3].name, "note");
	assert_string_equal(f[3].value, "xin chào\r\nb&c");
	assert_string_equal(f[4].name, "empty");
	assert_string_equal(f[4].value, "");
	assert_string_equal(f[5].name, "bare");
	assert_string_equal(f[5].value, "");

	assert_int_equal(survey_form_parse("", 0, &a, &f, &n, &err), CS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(survey_form_parse("a=%4", 4, &a, &f, &n, &err), CS_EPARSE);
	assert_string_equal(err.msg, "form field 1: malformed % escape");
	assert_int_equal(survey_form_parse("a=1&b=%zz", 9, &a, &f, &n, &err), CS_EPARSE);
	assert_string_equal(err.msg, "form field 2: malformed % escape");
	assert_int_equal(survey_form_parse("a=%FF", 5, &a, &f, &n, &err), CS_EUTF8);
	assert_string_equal(err.msg, "form field 1: not UTF-8 text");
	assert_int_equal(survey_form_parse("a=%00", 5, &a, &f, &n, &err), CS_EPARSE);
	assert_string_equal(err.msg, "form field 1 ('a'): has control characters");
	assert_int_equal(survey_form_parse("a%0A=1", 6, &a, &f, &n, &err), CS_EPARSE);
	assert_string_equal(err.msg, "form field 1 ('?'): has control characters");
	/* Tabs and line breaks are text in a value. */
	assert_int_equal(survey_form_parse("a=%09", 5, &a, &f, &n, &err), CS_OK);
	cs_arena_release(&a);
}

static void test_form_limits(void **state)
{
	struct cs_arena a;
	struct survey_field *f = NULL;
	struct cs_error err = {0};
	struct cs_buf b;
	size_t n = 0;

	(void)state;
	cs_buf_init(&b, 1u << 20);
	for (int i = 0; i <= SURVEY_FIELDS_MAX; i++)
		assert_int_equal(cs_buf_addf(&b, NULL, "%sq=1", i ? "&" : ""), CS_OK);
	cs_arena_init(&a, 1024);
	assert_int_equal(survey_form_parse(b.data, b.len, &a, &f, &n, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "form: more than 1000 fields");
	/* Exactly the maximum is taken. */
	b.len -= 4;
	assert_int_equal(survey_form_parse(b.data, b.len, &a, &f, &n, &err), CS_OK);
	assert_int_equal(n, SURVEY_FIELDS_MAX);
	cs_arena_release(&a);

	/* A full arena is out of memory, not a crash. */
	cs_arena_init(&a, 64);
	cs_arena_set_max(&a, 256);
	assert_int_equal(survey_form_parse(b.data, b.len, &a, &f, &n, &err), CS_ENOMEM);
	cs_arena_release(&a);
	cs_buf_release(&b);
}

static void test_escapes(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 1024);
	assert_int_equal(survey_html_escape(&b, "a<b>&\"c'd", NULL), CS_OK);
	assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&#39;d");
	cs_buf_reset(&b);
	assert_int_equal(survey_url_escape(&b, "HN-HK 1/ă?&=", NULL), CS_OK);
	assert_string_equal(b.data, "HN-HK%201%2F%C4%83%3F%26%3D");
	cs_buf_reset(&b);
	cs_buf_release(&b);
	cs_buf_init(&b, 4);
	assert_int_equal(survey_html_escape(&b, "<<", NULL), CS_ETOOBIG);
	cs_buf_release(&b);
}

/* A questionnaire with every item type, a required one and a condition. */
static struct cs_questionnaire *make_q(void)
{
	struct cs_q_info info = {.code = "t", .title = "Phiếu <thử>", .version = "1"};
	struct cs_q_element el = {"E1", "Tiếp cận", "Access"};
	struct cs_q_choice ab[] = {{"a", "Lựa chọn A", "Option A"}, {"b", "Lựa chọn B", ""}};
	struct cs_q_item_spec items[] = {
		{.code = "E1.1",
		 .element = "E1",
		 .text_vi = "Nơi chờ đủ chỗ",
		 .text_en = "Enough seats",
		 .type = CS_Q_LIKERT5,
		 .required = true},
		{.code = "complained",
		 .text_vi = "Có góp ý không?",
		 .type = CS_Q_YESNO,
		 .role = CS_Q_ROLE_OTHER},
		{.code = "handled",
		 .text_vi = "Góp ý được xử lý tốt",
		 .type = CS_Q_LIKERT5,
		 .role = CS_Q_ROLE_OTHER,
		 .required = true,
		 .relevant = "${complained} = '1'"},
		{.code = "x",
		 .text_vi = "Cần cải thiện",
		 .type = CS_Q_MULTI,
		 .role = CS_Q_ROLE_EXPECTATION,
		 .choices = ab,
		 .nchoices = 2},
		{.code = "age", .text_vi = "Tuổi", .type = CS_Q_NUMBER, .role = CS_Q_ROLE_OTHER},
		{.code = "n1", .text_vi = "Cảm ơn", .type = CS_Q_NOTE, .role = CS_Q_ROLE_OTHER},
		{.code = "note",
		 .text_vi = "Ý kiến khác",
		 .type = CS_Q_TEXT,
		 .role = CS_Q_ROLE_OTHER},
	};
	struct cs_questionnaire *q = cs_questionnaire_new(&info, NULL);

	assert_non_null(q);
	assert_int_equal(cs_questionnaire_add_element(q, &el, NULL), CS_OK);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		assert_int_equal(cs_questionnaire_add_item(q, &items[i], NULL), CS_OK);
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	return q;
}

static void has(const struct cs_buf *b, const char *s)
{
	if (!strstr(b->data, s))
		fail_msg("page lacks: %s", s);
}

static void lacks(const struct cs_buf *b, const char *s)
{
	if (strstr(b->data, s))
		fail_msg("page has: %s", s);
}

/* What the Content-Security-Policy refuses never appears. */
static void no_inline(const struct cs_buf *b)
{
	lacks(b, "<style");
	lacks(b, " style=");
	lacks(b, "<script>");
	lacks(b, " onclick=");
	lacks(b, " onload=");
	lacks(b, " onsubmit=");
	lacks(b, "javascript:");
}

static void test_form_vi(void **state)
{
	struct cs_questionnaire *q = make_q();
	struct survey_view v = {
		.lang = HTTP_LANG_VI,
		.mode = SURVEY_MODE_TOKEN,
		.q = q,
		.wave_title = "Đợt 2024",
		.unit_name = "Công an xã \"A\"",
		.action = "/s/abc",
		.switch_url = "/s/abc?lang=en",
		.css = "/assets/survey/survey.css?v=1",
		.js = "/assets/survey/survey.js?v=2",
	};
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, SURVEY_PAGE_MAX);
	assert_int_equal(survey_page_form(&b, &v, NULL), CS_OK);
	has(&b, "<html lang=\"vi\">");
	has(&b, "<title>Phiếu &lt;thử&gt;</title>");
	has(&b, "<link rel=\"stylesheet\" href=\"/assets/survey/survey.css?v=1\">");
	has(&b, "<script type=\"module\" src=\"/assets/survey/survey.js?v=2\"></script>");
	has(&b, "<p class=\"unit\">Công an xã &quot;A&quot;</p>");
	has(&b,
	    "<a class=\"lang\" href=\"/s/abc?lang=en\" hreflang=\"en\" lang=\"en\">English</a>");
	has(&b, "<p class=\"wave\">Đợt 2024</p>");
	has(&b, "<form id=\"survey\" method=\"post\" accept-charset=\"utf-8\" autocomplete=\"off\" "
		"action=\"/s/abc\"");
	has(&b, "data-msg-required=\"Vui lòng trả lời câu này.\"");
	/* The element is a fieldset; each question one inside it. */
	has(&b, "<fieldset class=\"element\"><legend>Tiếp cận</legend>");
	has(&b, "<fieldset class=\"q\" id=\"q-E1.1\" data-item=\"E1.1\" data-type=\"likert5\" "
		"data-required aria-describedby=\"err-E1.1\">");
	has(&b, "<legend><span class=\"num\">1.</span> Nơi chờ đủ chỗ <abbr class=\"req\" "
		"title=\"bắt buộc\">*</abbr></legend>");
	has(&b, "<p class=\"err\" id=\"err-E1.1\" hidden></p>");
	/* Five real labels, from 1 to 5; native validation on the first. */
	has(&b, "<label class=\"opt\"><input type=\"radio\" name=\"E1.1\" value=\"1\" "
		"required><span>Rất không hài lòng</span></label>");
	has(&b, "<label class=\"opt\"><input type=\"radio\" name=\"E1.1\" value=\"5\"><span>Rất "
		"hài lòng</span></label>");
	has(&b, "name=\"complained\" value=\"1\"><span>Có</span>");
	has(&b, "name=\"complained\" value=\"0\"><span>Không</span>");
	/* A condition is data for the script; no native validation on it. */
	has(&b, "data-required data-relevant=\"${complained} = &#39;1&#39;\"");
	lacks(&b, "name=\"handled\" value=\"1\" required");
	has(&b, "<input type=\"checkbox\" name=\"x\" value=\"a\"><span>Lựa chọn A</span>");
	has(&b, "(có thể chọn nhiều phương án)");
	has(&b, "<label for=\"i-age\"><span class=\"num\">5.</span> Tuổi</label>");
	has(&b, "<input type=\"text\" inputmode=\"decimal\" id=\"i-age\" name=\"age\" "
		"aria-describedby=\"err-age\" value=\"\">");
	/* Notes are not numbered. */
	has(&b, "<p class=\"note\" id=\"q-n1\"");
	has(&b, "<span class=\"num\">6.</span> Ý kiến khác");
	has(&b, "<textarea rows=\"3\" maxlength=\"1000\" id=\"i-note\" name=\"note\"");
	has(&b, "<fieldset class=\"element\"><legend>Đánh giá chung và thông tin người trả "
		"lời</legend>");
	has(&b, "<button type=\"submit\">Gửi ý kiến</button>");
	has(&b, "<div class=\"summary\" id=\"summary\" role=\"alert\" tabindex=\"-1\" hidden>");
	lacks(&b, "kiosk");
	no_inline(&b);
	cs_buf_release(&b);
	cs_questionnaire_free(q);
}

static void test_form_refused_en_kiosk(void **state)
{
	struct cs_questionnaire *q = make_q();
	const struct survey_field given[] = {
		{"complained", "1"}, {"x", "a"}, {"x", "b"}, {"age", "abc\"<"}, {"note", "<b>"}};
	enum survey_problem problems[7] = {SURVEY_REQUIRED, SURVEY_OK, SURVEY_REQUIRED, SURVEY_OK,
					   SURVEY_NUMBER,   SURVEY_OK, SURVEY_OK};
	struct survey_view v = {
		.lang = HTTP_LANG_EN,
		.mode = SURVEY_MODE_KIOSK,
		.q = q,
		.unit_name = "Unit",
		.action = "/k/U?lang=en",
		.switch_url = "/k/U",
		.home = "/k/U",
		.idle_seconds = 45,
		.given = given,
		.ngiven = 5,
		.problems = problems,
		.notice = "Note <here>",
	};
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, SURVEY_PAGE_MAX);
	assert_int_equal(survey_page_form(&b, &v, NULL), CS_OK);
	has(&b, "<html lang=\"en\">");
	has(&b, "<body class=\"survey kiosk\" data-idle=\"45\" data-home=\"/k/U\">");
	has(&b, "hreflang=\"vi\" lang=\"vi\">Tiếng Việt</a>");
	has(&b, "Nothing is kept on this device.");
	has(&b, "<legend>Access</legend>");
	has(&b, "Enough seats");
	/* Text without an English version falls back to Vietnamese. */
	has(&b, "Có góp ý không?");
	has(&b, "<span>Very dissatisfied</span>");
	has(&b, "<span>Option A</span>");
	has(&b, "<span>Lựa chọn B</span>");
	/* The problems: a summary linking to each, and a message at each. */
	has(&b, "<div class=\"summary\" id=\"summary\" role=\"alert\" tabindex=\"-1\">");
	has(&b, "<p>Note &lt;here&gt;</p>");
	has(&b, "<li><a href=\"#q-E1.1\">Question 1: Please answer this question.</a></li>");
	has(&b, "<li><a href=\"#q-handled\">Question 3: Please answer this question.</a></li>");
	has(&b, "<li><a href=\"#q-age\">Question 5: Please enter a number, such as 12 or "
		"3.5.</a></li>");
	has(&b, "<fieldset class=\"q invalid\" id=\"q-E1.1\"");
	has(&b, "<p class=\"err\" id=\"err-E1.1\">Please answer this question.</p>");
	has(&b, "value=\"1\" required aria-invalid=\"true\">");
	/* The answers given are shown again. */
	has(&b, "name=\"complained\" value=\"1\" checked>");
	has(&b, "name=\"x\" value=\"a\" checked>");
	has(&b, "name=\"x\" value=\"b\" checked>");
	has(&b, "aria-invalid=\"true\" value=\"abc&quot;&lt;\">");
	has(&b, ">&lt;b&gt;</textarea>");
	has(&b, "<button type=\"submit\">Send answers</button>");
	no_inline(&b);
	cs_buf_release(&b);
	cs_questionnaire_free(q);
}

static void test_notices(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, SURVEY_PAGE_MAX);
	assert_int_equal(survey_page_notice(&b, SURVEY_TOKEN_USED, HTTP_LANG_VI, "/s/x?lang=en",
					    NULL, 0, "/c.css", "/j.js", NULL),
			 CS_OK);
	has(&b, "<title>Phiếu này đã được trả lời</title>");
	has(&b, "data-notice=\"used\"");
	has(&b, "Mỗi mã khảo sát chỉ dùng được một lần");
	has(&b, "href=\"/s/x?lang=en\"");
	lacks(&b, "http-equiv");
	no_inline(&b);
	cs_buf_reset(&b);
	assert_int_equal(survey_page_notice(&b, SURVEY_THANKS, HTTP_LANG_EN, NULL, "/k/U1?wave=W",
					    8, NULL, NULL, NULL),
			 CS_OK);
	has(&b, "<h1>Thank you!</h1>");
	/* A kiosk goes back to its form, with or without the script. */
	has(&b, "<meta http-equiv=\"refresh\" content=\"8;url=/k/U1?wave=W\">");
	has(&b, "<body class=\"survey notice kiosk\" data-idle=\"8\" data-home=\"/k/U1?wave=W\" "
		"data-notice=\"thanks\">");
	has(&b, "<a class=\"button\" href=\"/k/U1?wave=W\">Start a new survey</a>");
	lacks(&b, "<nav");
	no_inline(&b);
	cs_buf_reset(&b);
	for (int n = SURVEY_THANKS; n <= SURVEY_UNAVAILABLE; n++) {
		cs_buf_reset(&b);
		assert_int_equal(survey_page_notice(&b, (enum survey_notice)n, HTTP_LANG_EN, NULL,
						    NULL, 0, NULL, NULL, NULL),
				 CS_OK);
		has(&b, "<h1>");
	}
	cs_buf_release(&b);
}

static void test_alloc_failures(void **state)
{
	struct cs_questionnaire *q = make_q();
	struct survey_view v = {.q = q, .action = "/u/x", .switch_url = "/u/x?lang=en"};
	enum cs_err rc = CS_ENOMEM;
	struct cs_buf b;

	(void)state;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		cs_buf_init(&b, SURVEY_PAGE_MAX);
		cs_alloc_fail_after(n);
		rc = survey_page_form(&b, &v, NULL);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		cs_buf_release(&b);
	}
	/* Past the page's cap: too big, not a crash. */
	cs_buf_init(&b, 2000);
	assert_int_equal(survey_page_form(&b, &v, NULL), CS_ETOOBIG);
	cs_buf_release(&b);
	cs_questionnaire_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_parse),
		cmocka_unit_test(test_form_limits),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_form_vi),
		cmocka_unit_test(test_form_refused_en_kiosk),
		cmocka_unit_test(test_notices),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
