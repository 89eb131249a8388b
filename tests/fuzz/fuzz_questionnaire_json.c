/*
 * libFuzzer target for the questionnaire JSON reader: whatever the input,
 * nothing crashes or leaks, every failure explains itself, and an accepted
 * questionnaire written in canonical form reads back and writes out as the
 * same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/questionnaire.h"
#include "io/questionnaire_json.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_questionnaire *q = NULL, *q2 = NULL;
	struct cs_buf a, b;
	struct cs_error err;
	enum cs_err rc;

	cs_error_clear(&err);
	cs_buf_init(&a, 4 * CS_Q_JSON_MAX);
	cs_buf_init(&b, 4 * CS_Q_JSON_MAX);
	rc = cs_questionnaire_json_read("fuzz.json", (const char *)data, size, &q, &err);
	if (rc != CS_OK && (err.code != rc || err.msg[0] == '\0' || q))
		__builtin_trap();
	if (rc == CS_OK) {
		if (!cs_questionnaire_is_valid(q) || cs_questionnaire_json_write(q, &a, &err) ||
		    cs_questionnaire_json_read("canonical.json", a.data, a.len, &q2, &err) ||
		    cs_questionnaire_json_write(q2, &b, &err) || a.len != b.len ||
		    memcmp(a.data, b.data, a.len) != 0)
			__builtin_trap();
		/* Every item parses an empty answer as no answer. */
		for (size_t i = 0; i < cs_questionnaire_item_count(q); i++) {
			struct cs_q_answer ans;

			if (cs_questionnaire_parse_answer(q, i, cs_str_make("", 0), &ans, &err) ||
			    ans.answered)
				__builtin_trap();
		}
	}
	cs_questionnaire_free(q);
	cs_questionnaire_free(q2);
	cs_buf_release(&a);
	cs_buf_release(&b);
	return 0;
}
