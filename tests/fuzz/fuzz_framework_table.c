/*
 * libFuzzer target for the PAR framework table reader (CSV): whatever the
 * input, nothing crashes or leaks, every failure explains itself in valid
 * UTF-8, and an accepted table written as CSV reads back to the same table.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/framework_table.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/vec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cs_fw_info info = {"fuzz", "", "", "1"};
	struct cs_framework *fw = NULL, *again = NULL;
	struct cs_fw_table_lines lines = {0};
	struct cs_buf out, out2;
	struct cs_vec problems;
	struct cs_error err;
	enum cs_err rc;

	cs_buf_init(&out, 64u * 1024 * 1024);
	cs_buf_init(&out2, 64u * 1024 * 1024);
	cs_vec_init(&problems, sizeof(struct cs_error), 64);
	cs_error_clear(&err);
	rc = cs_framework_table_parse_csv("fuzz.csv", (const char *)data, size, &info, &fw, &lines,
					  &err);
	if (rc != CS_OK) {
		if (fw || err.code != rc || err.msg[0] == '\0' ||
		    !cs_utf8_valid(err.msg, strlen(err.msg), NULL))
			__builtin_trap();
		goto out;
	}
	if (lines.n != cs_framework_node_count(fw))
		__builtin_trap();
	rc = cs_framework_validate_all(fw, &problems, &err);
	if (rc != CS_OK && rc != CS_EINVAL)
		__builtin_trap();
	cs_framework_table_locate("fuzz.csv", fw, &lines, &problems);
	for (size_t i = 0; i < problems.len; i++) {
		const struct cs_error *e = cs_vec_at(&problems, i);

		if (!cs_utf8_valid(e->msg, strlen(e->msg), NULL))
			__builtin_trap();
	}
	if (cs_framework_table_write_csv(fw, &out, &err) != CS_OK)
		__builtin_trap();
	if (cs_framework_table_parse_csv("again.csv", out.data, out.len, &info, &again, NULL,
					 &err) != CS_OK)
		__builtin_trap();
	if (cs_framework_table_write_csv(again, &out2, &err) != CS_OK)
		__builtin_trap();
	if (out.len != out2.len || memcmp(out.data, out2.data, out.len) != 0)
		__builtin_trap();
out:
	cs_vec_release(&problems);
	cs_buf_release(&out);
	cs_buf_release(&out2);
	cs_fw_table_lines_release(&lines);
	cs_framework_free(fw);
	cs_framework_free(again);
	return 0;
}
