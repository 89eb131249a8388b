/*
 * Calendar dates as ISO 8601 text (YYYY-MM-DD), the form chiso stores and
 * writes in machine output, and the Vietnamese display form DD/MM/YYYY.
 */
#ifndef CHISO_UTIL_DATE_H
#define CHISO_UTIL_DATE_H

#include <stdbool.h>

#include "chiso/error.h"
#include "util/str.h"

/* Room for "YYYY-MM-DD" and its NUL. */
#define CS_DATE_LEN 11

/*
 * Parses a date written YYYY-MM-DD or DD/MM/YYYY (as Vietnamese users write
 * it) and checks that the day exists (leap years included, years 1900-9999).
 * Writes the ISO form to iso. CS_EPARSE with a message saying what was
 * expected.
 */
enum cs_err cs_date_parse(struct cs_str s, char iso[CS_DATE_LEN], struct cs_error *err);

/* True when y-m-d is a real calendar day. */
bool cs_date_valid(int y, int m, int d);

/* Writes an ISO date as DD/MM/YYYY (display form); out must hold 11 bytes. */
void cs_date_to_vi(const char *iso, char out[CS_DATE_LEN]);

#endif
