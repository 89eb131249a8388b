/*
 * libFuzzer target for the survey form's body (http/survey_page.h,
 * survey_form_parse): whatever a browser or anyone else posts, nothing may
 * crash or read out of bounds, and every field read must be NUL-terminated
 * UTF-8 without control characters in its name.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/survey_page.h"
#include "util/arena.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_arena a;
	struct survey_field *f = NULL;
	size_t n = 0;

	cs_arena_init(&a, 4096);
	/* The request arena's cap, smaller: running out must be clean too. */
	cs_arena_set_max(&a, 1u << 20);
	if (survey_form_parse((const char *)data, size, &a, &f, &n, NULL) == CS_OK) {
		if (n > SURVEY_FIELDS_MAX)
			__builtin_trap();
		for (size_t i = 0; i < n; i++) {
			size_t nl = strlen(f[i].name), vl = strlen(f[i].value);

			if (!cs_utf8_valid(f[i].name, nl, NULL) ||
			    !cs_utf8_valid(f[i].value, vl, NULL))
				__builtin_trap();
			for (size_t k = 0; k < nl; k++)
				if ((unsigned char)f[i].name[k] < 0x20)
					__builtin_trap();
		}
	}
	cs_arena_release(&a);
	return 0;
}
