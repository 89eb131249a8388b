/*
 * UTF-8 text: validation, BOM stripping and NFC normalisation (ICU). Every
 * importer validates and normalises outside text, so that "Hài lòng" typed on
 * two different Vietnamese keyboards (precomposed or with combining marks)
 * is stored as the same bytes.
 */
#ifndef CHISO_UTIL_UTF8_H
#define CHISO_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "util/buf.h"

/*
 * True when p[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). Otherwise false with *bad set to the byte offset
 * of the first bad sequence (bad may be NULL).
 */
bool cs_utf8_valid(const char *p, size_t len, size_t *bad);

/* The length of a leading UTF-8 byte order mark in p (3 or 0). */
size_t cs_utf8_bom_len(const char *p, size_t len);

/* The number of code points in valid UTF-8 text (for column numbers, widths). */
size_t cs_utf8_count(const char *p, size_t len);

/*
 * Appends the NFC form of the valid UTF-8 text p[0..len) to out. Pure ASCII
 * and text already in NFC are copied as they are. CS_EUTF8 for invalid input,
 * CS_ENOMEM, CS_ETOOBIG past out's cap, CS_EUNICODE when ICU fails.
 */
enum cs_err cs_utf8_nfc(const char *p, size_t len, struct cs_buf *out, struct cs_error *err);

#endif
