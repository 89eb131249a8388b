/*
 * libFuzzer target for the unit CSV importer: parses the input as a unit file
 * and plans its import into an empty database, checking that whatever the
 * input, nothing crashes, leaks or breaks the plan's counts.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/unit.h"
#include "io/unit_csv.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_unit_set stored, in;
	struct cs_unit_plan plan;
	struct cs_error err;
	enum cs_err rc;

	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	cs_unit_plan_init(&plan);
	cs_error_clear(&err);
	rc = cs_unit_csv_parse("fuzz.csv", (const char *)data, size, &in, &err);
	if (rc == CS_OK)
		rc = cs_unit_plan_make(&stored, &in, &plan, &err);
	/* Every failure explains itself in valid UTF-8 (messages go into JSON);
	 * with nothing stored, every unit of an accepted file is added. */
	if (rc != CS_OK && (err.code != rc || err.msg[0] == '\0' ||
			    !cs_utf8_valid(err.msg, strlen(err.msg), NULL)))
		__builtin_trap();
	if (rc == CS_OK && (plan.added != in.units.len || plan.changes.len != in.units.len ||
			    plan.changed + plan.unchanged + plan.kept != 0))
		__builtin_trap();
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);
	cs_unit_set_release(&stored);
	return 0;
}
