/*
 * String slices: a pointer and a length into memory someone else owns, as in
 * h2o's h2o_iovec_t. Parsing splits and trims slices without copying; a slice
 * is copied (cs_str_dup) only when it must outlive its source.
 */
#ifndef CHISO_UTIL_STR_H
#define CHISO_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"

struct cs_str {
	const char *ptr;
	size_t len;
};

/* A slice of a string literal. */
#define CS_STR(lit) ((struct cs_str){(lit), sizeof(lit) - 1})

/* A slice of a NUL-terminated string; NULL gives the empty slice. */
struct cs_str cs_str_from(const char *s);

/* A slice of len bytes at p. */
struct cs_str cs_str_make(const char *p, size_t len);

/* True when both slices hold the same bytes. */
bool cs_str_eq(struct cs_str a, struct cs_str b);

/* True when the slice equals the NUL-terminated s. */
bool cs_str_eq_cstr(struct cs_str a, const char *s);

/* True when the slice equals s ignoring ASCII case. */
bool cs_str_eq_nocase(struct cs_str a, const char *s);

/* True when a starts with prefix. */
bool cs_str_starts_with(struct cs_str a, const char *prefix);

/* The slice without leading and trailing ASCII white space. */
struct cs_str cs_str_trim(struct cs_str a);

/*
 * Takes the next field of *s up to sep into *tok and advances *s past it.
 * Returns false when *s was already exhausted. "a;;b" gives "a", "", "b".
 */
bool cs_str_next(struct cs_str *s, char sep, struct cs_str *tok);

/* A NUL-terminated copy that the caller frees with cs_free; NULL on no memory. */
char *cs_str_dup(struct cs_str a);

/*
 * Parses a whole slice as a decimal integer (optional sign, no spaces).
 * CS_EPARSE when it is not one, CS_ETOOBIG when out of range of int64_t.
 */
enum cs_err cs_str_to_i64(struct cs_str a, int64_t *out, struct cs_error *err);

/*
 * Parses a whole slice as a finite decimal number (optional sign, no spaces).
 * The decimal separator is '.', or ',' as well when comma_ok is set (Vietnamese
 * users type 8,5). No thousands separators, no hexadecimal, no NaN or infinity;
 * a decimal exponent (1e3, 2,5E-2) is accepted. CS_EPARSE when it is not such
 * a number, CS_ETOOBIG when it overflows or underflows a double. Relies on the
 * C locale's LC_NUMERIC, which chiso never changes.
 */
enum cs_err cs_str_to_double(struct cs_str a, bool comma_ok, double *out, struct cs_error *err);

#endif
