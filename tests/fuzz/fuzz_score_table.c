/*
 * libFuzzer target for the PAR score table: reads the input as a CSV score
 * file (or an XLSX workbook when it is a zip) and checks it against a small
 * framework and unit set, so that whatever the input, nothing crashes or
 * leaks and every failure explains itself.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/framework.h"
#include "io/score_table.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A.1 manual 20, A.2 ratio 30 under A; B.1 steps (tthc only); X bonus; Y penalty. */
static struct cs_framework *framework(void)
{
	static const struct cs_rule_param steps[] = {{"bounds", "1,0.8"}, {"points", "1,0.5"}};
	static const struct cs_fw_applies tthc[] = {{CS_APPLIES_FLAG, CS_LEVEL_OTHER, "tthc"}};
	const struct cs_fw_node_spec nodes[] = {
		{"A", NULL, "A", NAN, NULL, NULL, NULL, 0, NULL, 0},
		{"A.1", "A", "A.1", 20, "self", "manual", NULL, 0, NULL, 0},
		{"A.2", "A", "A.2", 30, "self", "ratio", NULL, 0, NULL, 0},
		{"B.1", NULL, "B.1", 50, "self", "steps", steps, 2, tthc, 1},
		{"X", NULL, "X", 2, "bonus", "manual", NULL, 0, NULL, 0},
		{"Y", NULL, "Y", 5, "penalty", "manual", NULL, 0, NULL, 0},
	};
	const struct cs_fw_band band = {"A", "A", "A", 0, 100};
	struct cs_fw_info info = {"fuzz", "", "", "1"};
	struct cs_framework *fw = cs_framework_new(&info, NULL);

	for (size_t i = 0; fw && i < sizeof(nodes) / sizeof(nodes[0]); i++)
		cs_framework_add_node(fw, &nodes[i], NULL, NULL);
	if (fw)
		cs_framework_add_band(fw, &band, NULL);
	if (fw && cs_framework_validate(fw, NULL) != CS_OK)
		__builtin_trap();
	return fw;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cs_framework *fw;
	static struct cs_unit_set units;
	static bool ready;
	struct cs_score_table t;
	struct cs_error err;
	enum cs_err rc;

	if (!ready) {
		struct cs_unit u1 = {
			.id = 1, .code = "U1", .name = "U1", .level = CS_LEVEL_PROVINCE};
		struct cs_unit u2 = {.id = 2,
				     .code = "U2",
				     .name = "U2",
				     .level = CS_LEVEL_DISTRICT,
				     .flags = "tthc",
				     .valid_to = "2020-12-31"};

		fw = framework();
		cs_unit_set_init(&units);
		if (!fw || cs_unit_set_add(&units, &u1, NULL) || cs_unit_set_add(&units, &u2, NULL))
			__builtin_trap();
		ready = true;
	}
	cs_score_table_init(&t);
	cs_error_clear(&err);
	if (cs_score_table_is_xlsx(data, size))
		rc = cs_score_table_parse_xlsx("fuzz.xlsx", data, size, NULL, &t, &err);
	else
		rc = cs_score_table_parse_csv("fuzz.csv", (const char *)data, size, &t, &err);
	if (rc == CS_OK)
		rc = cs_score_table_check(&t, fw, &units, "2021-01-01", "2021-12-31", &err);
	if (rc != CS_OK && (err.code != rc || err.msg[0] == '\0' ||
			    !cs_utf8_valid(err.msg, strlen(err.msg), NULL)))
		__builtin_trap();
	for (size_t i = 0; rc == CS_OK && i < t.rows.len; i++)
		if (cs_score_table_at(&t, i)->unit_id != 1)
			__builtin_trap();
	cs_score_table_release(&t);
	return 0;
}
