/*
 * libFuzzer target for relevance conditions (core/relevance.h), which come
 * from imported questionnaires (XLSForm workbooks among them): any text must
 * be evaluated or refused with CS_EPARSE, without a crash, an out-of-bounds
 * read or deep recursion, over answers of every item type.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/questionnaire.h"
#include "core/relevance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cs_questionnaire *q;
static struct cs_q_answer answers[6];
static struct cs_str texts[6];

static void init(void)
{
	struct cs_q_info info = {.code = "f", .title = "F", .version = "1"};
	struct cs_q_element el = {"E1", "E1", ""};
	struct cs_q_choice ab[] = {{"a", "A", ""}, {"b", "B", ""}};
	struct cs_q_item_spec items[] = {
		{.code = "q1", .element = "E1", .text_vi = "Q", .type = CS_Q_LIKERT5},
		{.code = "yn", .text_vi = "Q", .type = CS_Q_YESNO, .role = CS_Q_ROLE_OTHER},
		{.code = "s",
		 .text_vi = "Q",
		 .type = CS_Q_SINGLE,
		 .role = CS_Q_ROLE_OTHER,
		 .choices = ab,
		 .nchoices = 2},
		{.code = "m",
		 .text_vi = "Q",
		 .type = CS_Q_MULTI,
		 .role = CS_Q_ROLE_OTHER,
		 .choices = ab,
		 .nchoices = 2},
		{.code = "n", .text_vi = "Q", .type = CS_Q_NUMBER, .role = CS_Q_ROLE_OTHER},
		{.code = "t", .text_vi = "Q", .type = CS_Q_TEXT, .role = CS_Q_ROLE_OTHER},
	};

	q = cs_questionnaire_new(&info, NULL);
	if (!q || cs_questionnaire_add_element(q, &el, NULL))
		abort();
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		if (cs_questionnaire_add_item(q, &items[i], NULL))
			abort();
	if (cs_questionnaire_validate(q, NULL))
		abort();
	answers[0] = (struct cs_q_answer){true, 4, 0};
	answers[1] = (struct cs_q_answer){true, 1, 0};
	answers[2] = (struct cs_q_answer){true, 1, 0};
	answers[3] = (struct cs_q_answer){true, 2, 3};
	answers[4] = (struct cs_q_answer){true, -2.5e300, 0};
	answers[5] = (struct cs_q_answer){true, 0, 0};
	texts[5] = CS_STR("văn bản a b");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *expr = malloc(size + 1);
	bool r;
	enum cs_err rc;

	if (!q)
		init();
	if (!expr)
		return 0;
	memcpy(expr, data, size);
	expr[size] = '\0';
	rc = cs_relevance_eval(q, expr, answers, texts, &r, NULL);
	if (rc != CS_OK && rc != CS_EPARSE)
		__builtin_trap();
	rc = cs_relevance_check(q, expr, NULL);
	if (rc != CS_OK && rc != CS_EPARSE)
		__builtin_trap();
	free(expr);
	return 0;
}
