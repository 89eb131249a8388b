/* UTF-8 validation (our own, to report the offset) and NFC through ICU. */
#include <stdint.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "util/alloc.h"
#include "util/utf8.h"

#include "util/banned.h"

bool cs_utf8_valid(const char *p, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			goto fail;
		}
		if (len - i <= n)
			goto fail;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			goto fail;
		i += n + 1;
	}
	return true;
fail:
	if (bad)
		*bad = i;
	return false;
}

size_t cs_utf8_bom_len(const char *p, size_t len)
{
	return (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
}

size_t cs_utf8_count(const char *p, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static bool is_ascii(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] >= 0x80)
			return false;
	return true;
}

enum cs_err cs_utf8_nfc(const char *p, size_t len, struct cs_buf *out, struct cs_error *err)
{
	UErrorCode uerr = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	UChar *src = NULL, *dst = NULL;
	int32_t src_len = 0, dst_len;
	size_t cap;
	enum cs_err rc = CS_OK;
	size_t bad;

	if (is_ascii(p, len))
		return cs_buf_add(out, p, len, err);
	if (!cs_utf8_valid(p, len, &bad))
		return cs_fail(err, CS_EUTF8, "invalid UTF-8 at byte %zu", bad + 1);
	if (len > INT32_MAX / 4)
		return cs_fail(err, CS_ETOOBIG, "text too long to normalise");
	nfc = unorm2_getNFCInstance(&uerr);
	if (U_FAILURE(uerr))
		return cs_fail(err, CS_EUNICODE, "ICU: %s", u_errorName(uerr));

	/* UTF-8 needs at least as many bytes as UTF-16 needs units. */
	src = cs_calloc(len + 1, sizeof(UChar));
	if (!src)
		return cs_fail(err, CS_ENOMEM, NULL);
	u_strFromUTF8(src, (int32_t)len + 1, &src_len, p, (int32_t)len, &uerr);
	if (U_FAILURE(uerr)) {
		rc = cs_fail(err, CS_EUNICODE, "ICU: %s", u_errorName(uerr));
		goto out;
	}
	if (unorm2_isNormalized(nfc, src, src_len, &uerr) && U_SUCCESS(uerr)) {
		rc = cs_buf_add(out, p, len, err);
		goto out;
	}
	uerr = U_ZERO_ERROR;
	/* NFC of Vietnamese text is never longer than the decomposed form, and
	 * UAX #15 bounds the growth of any text under NFC at 3x in UTF-16 units. */
	cap = (size_t)src_len * 3 + 1;
	dst = cs_calloc(cap, sizeof(UChar));
	if (!dst) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	dst_len = unorm2_normalize(nfc, src, src_len, dst, (int32_t)cap, &uerr);
	if (U_FAILURE(uerr)) {
		rc = cs_fail(err, CS_EUNICODE, "ICU: %s", u_errorName(uerr));
		goto out;
	}
	{
		int32_t need = 0;

		uerr = U_ZERO_ERROR;
		u_strToUTF8(NULL, 0, &need, dst, dst_len, &uerr);
		if (uerr != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(uerr)) {
			rc = cs_fail(err, CS_EUNICODE, "ICU: %s", u_errorName(uerr));
			goto out;
		}
		rc = cs_buf_grow(out, (size_t)need, err);
		if (rc)
			goto out;
		uerr = U_ZERO_ERROR;
		/* grow made room for need bytes and the NUL we write ourselves;
		 * ICU's "not terminated" warning is therefore expected. */
		u_strToUTF8(out->data + out->len, need, NULL, dst, dst_len, &uerr);
		if (U_FAILURE(uerr)) {
			rc = cs_fail(err, CS_EUNICODE, "ICU: %s", u_errorName(uerr));
			goto out;
		}
		out->len += (size_t)need;
		out->data[out->len] = '\0';
	}
out:
	cs_free(src);
	cs_free(dst);
	return rc;
}
