/*
 * Numbers as people read them and as machines read them: Vietnamese
 * `91,84%`, `1.234` and `26/63`, English `91.84%` and `1,234`, and the
 * locale-independent shortest form with '.' that CSV and JSON output use
 * (STYLE 5). Formatting never allocates: results go into a caller's buffer.
 */
#ifndef CHISO_REPORT_FMT_H
#define CHISO_REPORT_FMT_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any number these functions write, with its NUL. */
#define CS_FMT_MAX 64

/* The conventions of a language for human-facing numbers. */
enum cs_fmt_lang {
	CS_FMT_VI, /* decimal comma, '.' between thousands: 1.234,56 */
	CS_FMT_EN  /* decimal point, ',' between thousands: 1,234.56 */
};

/*
 * v rounded half away from zero to `decimals` (0..9) decimals, on its
 * decimal value as METHODOLOGY M2.8 rounds (core/round.h), written with
 * exactly that many decimals and the language's separators: 91.845 gives
 * "91,85" (vi) or "91.85" (en), 1234.5 with 1 decimal "1.234,5". A value
 * that rounds to zero prints without a minus sign. NaN and infinities give
 * "-". Returns out.
 */
const char *cs_fmt_number(double v, int decimals, enum cs_fmt_lang lang, char out[CS_FMT_MAX]);

/*
 * As cs_fmt_number, then without trailing zeros after the decimal separator
 * (nor the separator itself when nothing is left): 83.2 with 2 decimals
 * gives "83,2", 100 gives "100". For points, which are usually whole or
 * quarter numbers.
 */
const char *cs_fmt_number_trim(double v, int decimals, enum cs_fmt_lang lang, char out[CS_FMT_MAX]);

/* cs_fmt_number followed by '%': "91,84%". */
const char *cs_fmt_percent(double v, int decimals, enum cs_fmt_lang lang, char out[CS_FMT_MAX]);

/*
 * A change with its sign: "+1,50", "-0,25", and "0,00" when it rounds to
 * zero. trim drops trailing zeros as cs_fmt_number_trim does.
 */
const char *cs_fmt_signed(double v, int decimals, bool trim, enum cs_fmt_lang lang,
			  char out[CS_FMT_MAX]);

/* A position among peers: "26/63". Returns out. */
const char *cs_fmt_rank(size_t rank, size_t of, char out[CS_FMT_MAX]);

/*
 * A count with thousands separators: 1234 gives "1.234" (vi), "1,234" (en).
 */
const char *cs_fmt_count(size_t n, enum cs_fmt_lang lang, char out[CS_FMT_MAX]);

/*
 * The machine form of v (CSV, JSON, the audit log): the shortest decimal text
 * that reads back as the same double, with '.' and no thousands separators:
 * 8.5 gives "8.5", 100 gives "100", 0.1 + 0.2 gives "0.30000000000000004",
 * -0 gives "0"; magnitudes below 1e-7 or from 1e16 on keep an exponent ("1e+20").
 * Returns NULL for NaN and infinities (JSON has no such numbers).
 */
const char *cs_fmt_double(double v, char out[CS_FMT_MAX]);

/*
 * v rounded half away from zero to `decimals` (0..9) decimals, in the machine
 * form without trailing zeros: 91.845 gives "91.85", 83.2000000001 gives
 * "83.2", 100 gives "100". Returns NULL for NaN and infinities.
 */
const char *cs_fmt_decimal(double v, int decimals, char out[CS_FMT_MAX]);

/*
 * The width of UTF-8 text in a terminal or a fixed-width table: one column
 * per character, none for combining marks (Vietnamese tones typed as
 * separate marks).
 */
size_t cs_fmt_width(const char *s);

#endif
