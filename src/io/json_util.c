/*
 * Building blocks shared by the JSON readers of io/: the nesting check run
 * before Jansson and Jansson's allocator hook with its failure flag.
 */
#include <jansson.h>

#include "io/json_util.h"
#include "util/alloc.h"

#include "util/banned.h"

bool cs_json_too_deep(const char *p, size_t len, size_t max, size_t *line, size_t *col)
{
	size_t ln = 1, cl = 0, depth = 0;
	bool in_string = false, escape = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n') {
			ln++;
			cl = 0;
		} else if ((c & 0xC0) != 0x80) {
			cl++;
		}
		if (in_string) {
			if (escape)
				escape = false;
			else if (c == '\\')
				escape = true;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			if (++depth > max) {
				*line = ln;
				*col = cl;
				return true;
			}
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return false;
}

/* Set when an allocation of Jansson's fails; per thread, like Jansson's callers. */
static _Thread_local bool jansson_oom;

static void *jansson_malloc(size_t size)
{
	void *p = cs_malloc(size);

	if (!p)
		jansson_oom = true;
	return p;
}

void cs_json_alloc_begin(void)
{
	json_set_alloc_funcs(jansson_malloc, cs_free);
	jansson_oom = false;
}

bool cs_json_alloc_failed(void)
{
	return jansson_oom;
}
