/*
 * Vietnamese collation (ICU "vi"), for sorting unit and person names the way
 * a Vietnamese reader expects: "Đ" after "D", tones ordered, not by bytes.
 */
#ifndef CHISO_UTIL_COLLATE_H
#define CHISO_UTIL_COLLATE_H

#include <stddef.h>

#include "chiso/error.h"

struct cs_collator;

/*
 * Opens a collator for an ICU locale name ("vi", "en"). The caller frees it
 * with cs_collator_free. NULL with err set when ICU cannot open it.
 */
struct cs_collator *cs_collator_new(const char *locale, struct cs_error *err);

/* Frees c; NULL is a no-op. */
void cs_collator_free(struct cs_collator *c);

/* <0, 0, >0 as UTF-8 a sorts before, equal to, after b. */
int cs_collator_cmp(const struct cs_collator *c, const char *a, size_t alen, const char *b,
		    size_t blen);

/* The same for NUL-terminated strings. */
int cs_collator_cmpz(const struct cs_collator *c, const char *a, const char *b);

#endif
