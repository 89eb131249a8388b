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

/* Writes v as exactly n decimal digits. snprintf would do, but GCC cannot see
 * that a valid date fits and warns about truncation at -O2. */
static void put_digits(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
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
		/* Quote at most 40 bytes, cut on a UTF-8 character boundary so
		 * the message stays valid UTF-8 for JSON output. */
		size_t n = s.len > 40 ? 40 : s.len;

		while (n > 0 && n < s.len && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
			n--;
		return cs_fail(err, CS_EPARSE,
			       "'%.*s' is not a date; expected YYYY-MM-DD or DD/MM/YYYY", (int)n,
			       s.ptr ? s.ptr : "");
	}
	if (!cs_date_valid(y, m, d))
		return cs_fail(err, CS_EPARSE, "'%.*s' is not a day of the calendar", (int)s.len,
			       s.ptr);
	put_digits(iso, y, 4);
	iso[4] = '-';
	put_digits(iso + 5, m, 2);
	iso[7] = '-';
	put_digits(iso + 8, d, 2);
	iso[10] = '\0';
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
