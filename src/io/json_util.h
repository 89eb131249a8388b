/*
 * Building blocks shared by the JSON readers of io/ (framework and
 * questionnaire files): a nesting check that runs before Jansson, Jansson's
 * allocations through chiso's allocator, and adapters from the typed name
 * parsers of core/ to one int form.
 */
#ifndef CHISO_IO_JSON_UTIL_H
#define CHISO_IO_JSON_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/str.h"

/*
 * True when the JSON text p[0..len) nests objects and arrays deeper than
 * max; *line and *col (1-based; columns count characters, as Jansson's do)
 * then name the bracket that went too deep. Checking before Jansson, which
 * recurses, refuses a deeply nested file with its position instead of
 * running out of stack. Text inside strings is skipped. Allocates nothing.
 */
bool cs_json_too_deep(const char *p, size_t len, size_t max, size_t *line, size_t *col);

/*
 * Routes Jansson's allocations through cs_malloc and cs_free and clears the
 * failure flag that cs_json_alloc_failed reads; call it before each load.
 * The flag is per thread.
 */
void cs_json_alloc_begin(void);

/*
 * True when an allocation of Jansson's failed since cs_json_alloc_begin:
 * its lexer reports some failed allocations as syntax errors.
 */
bool cs_json_alloc_failed(void);

/*
 * Defines static bool name(struct cs_str s, int *out) from a typed parser
 * bool parse(struct cs_str, enum_type *), so that one lookup of names
 * (get_choice, get_name) can serve every enum.
 */
#define CS_JSON_ENUM_PARSER(name, enum_type, parse) \
	static bool name(struct cs_str s, int *out) \
	{                                           \
		enum_type v;                        \
                                                    \
		if (!parse(s, &v))                  \
			return false;               \
		*out = (int)v;                      \
		return true;                        \
	}

#endif
