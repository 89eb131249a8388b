/* Collation through ICU's ucol API, which compares UTF-8 directly. */
#include <string.h>

#include <unicode/ucol.h>

#include "util/alloc.h"
#include "util/collate.h"

#include "util/banned.h"

struct cs_collator {
	UCollator *ucol;
};

struct cs_collator *cs_collator_new(const char *locale, struct cs_error *err)
{
	UErrorCode uerr = U_ZERO_ERROR;
	struct cs_collator *c = cs_malloc(sizeof(*c));

	if (!c) {
		cs_fail(err, CS_ENOMEM, NULL);
		return NULL;
	}
	c->ucol = ucol_open(locale, &uerr);
	if (U_FAILURE(uerr)) {
		cs_fail(err, CS_EUNICODE, "cannot open the collation for '%s': %s", locale,
			u_errorName(uerr));
		cs_free(c);
		return NULL;
	}
	return c;
}

void cs_collator_free(struct cs_collator *c)
{
	if (!c)
		return;
	ucol_close(c->ucol);
	cs_free(c);
}

int cs_collator_cmp(const struct cs_collator *c, const char *a, size_t alen, const char *b,
		    size_t blen)
{
	UErrorCode uerr = U_ZERO_ERROR;
	UCollationResult r;

	r = ucol_strcollUTF8(c->ucol, a, (int32_t)alen, b, (int32_t)blen, &uerr);
	if (U_FAILURE(uerr)) {
		/* Only invalid UTF-8 makes ICU fail here, and importers refuse
		 * it; fall back to byte order so sorting stays total. */
		int m = memcmp(a, b, alen < blen ? alen : blen);

		return m ? m : (alen > blen) - (alen < blen);
	}
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

int cs_collator_cmpz(const struct cs_collator *c, const char *a, const char *b)
{
	return cs_collator_cmp(c, a, strlen(a), b, strlen(b));
}
