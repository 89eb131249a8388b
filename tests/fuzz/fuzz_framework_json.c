/*
 * libFuzzer target for the PAR framework JSON reader: whatever the input,
 * nothing crashes or leaks, every failure explains itself in valid UTF-8, and
 * an accepted file written in canonical form reads back to the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "io/framework_json.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/vec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(enum cs_err rc, const struct cs_error *err)
{
	if (err->code != rc || err->msg[0] == '\0' ||
	    !cs_utf8_valid(err->msg, strlen(err->msg), NULL))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_framework *fw = NULL, *again = NULL;
	struct cs_fw_meta meta = {0}, meta2 = {0};
	struct cs_buf out, out2;
	struct cs_vec problems;
	struct cs_error err;
	enum cs_err rc;

	cs_buf_init(&out, 64u * 1024 * 1024);
	cs_buf_init(&out2, 64u * 1024 * 1024);
	cs_vec_init(&problems, sizeof(struct cs_error), 64);
	cs_error_clear(&err);
	rc = cs_framework_json_parse("fuzz.json", (const char *)data, size, &fw, &meta, &err);
	if (rc != CS_OK) {
		check_error(rc, &err);
		if (fw)
			__builtin_trap();
		goto out;
	}
	rc = cs_framework_validate_all(fw, &problems, &err);
	if (rc != CS_OK && rc != CS_EINVAL)
		__builtin_trap();
	for (size_t i = 0; i < problems.len; i++)
		check_error(CS_EINVAL, cs_vec_at(&problems, i));
	/* The canonical form reads back and writes the same bytes. */
	if (cs_framework_json_write(fw, &meta, &out, &err) != CS_OK)
		__builtin_trap();
	if (cs_framework_json_parse("canonical.json", out.data, out.len, &again, &meta2, &err) !=
	    CS_OK)
		__builtin_trap();
	if (cs_framework_json_write(again, &meta2, &out2, &err) != CS_OK)
		__builtin_trap();
	if (out.len != out2.len || memcmp(out.data, out2.data, out.len) != 0)
		__builtin_trap();
out:
	cs_vec_release(&problems);
	cs_buf_release(&out);
	cs_buf_release(&out2);
	cs_fw_meta_release(&meta);
	cs_fw_meta_release(&meta2);
	cs_framework_free(fw);
	cs_framework_free(again);
	return 0;
}
