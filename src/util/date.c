/* ISO dates: parsing both written forms, validating, formatting for display. */
#include <stdio.h>
#include <string.h>

#include "util/date.h"

#include "util/banned.h"

bool cs_date_valid(int y, int m, int d)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int max;

	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	max = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

static bool digits(const char *p, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

enum cs_err cs_date_parse(struct cs_str s, char iso[CS_DATE_LEN], struct cs_error *err)
{
	int y, m, d;

	if (s.len == 10 && s.ptr[4] == '-' && s.ptr[7] == '-' && digits(s.ptr, 4, &y) &&
	    digits(s.ptr + 5, 2, &m) && digits(s.ptr + 8, 2, &d)) {
		/* ISO form */
	} else if (s.len == 10 && s.ptr[2] == '/' && s.ptr[5] == '/' && digits(s.ptr, 2, &d) &&
		   digits(s.ptr + 3, 2, &m) && digits(s.ptr + 6, 4, &y)) {
		/* Vietnamese form */
	} else {
		return cs_fail(err, CS_EPARSE,
			       "'%.*s' is not a date; expected YYYY-MM-DD or DD/MM/YYYY",
			       (int)(s.len > 40 ? 40 : s.len), s.ptr);
	}
	if (!cs_date_valid(y, m, d))
		return cs_fail(err, CS_EPARSE, "'%.*s' is not a day of the calendar", (int)s.len,
			       s.ptr);
	snprintf(iso, CS_DATE_LEN, "%04d-%02d-%02d", y, m, d);
	return CS_OK;
}

void cs_date_to_vi(const char *iso, char out[CS_DATE_LEN])
{
	if (strlen(iso) != 10) {
		snprintf(out, CS_DATE_LEN, "%s", iso);
		return;
	}
	snprintf(out, CS_DATE_LEN, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}
