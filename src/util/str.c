/* String slices and locale-independent number parsing. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/str.h"

#include "util/banned.h"

/* Longest number text accepted; anything longer is not a number a person typed. */
#define NUMBER_TEXT_MAX 64

struct cs_str cs_str_from(const char *s)
{
	return (struct cs_str){s ? s : "", s ? strlen(s) : 0};
}

struct cs_str cs_str_make(const char *p, size_t len)
{
	return (struct cs_str){p, len};
}

bool cs_str_eq(struct cs_str a, struct cs_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool cs_str_eq_cstr(struct cs_str a, const char *s)
{
	return cs_str_eq(a, cs_str_from(s));
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool cs_str_eq_nocase(struct cs_str a, const char *s)
{
	size_t n = strlen(s);

	if (a.len != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(a.ptr[i]) != ascii_lower(s[i]))
			return false;
	return true;
}

bool cs_str_starts_with(struct cs_str a, const char *prefix)
{
	size_t n = strlen(prefix);

	return a.len >= n && memcmp(a.ptr, prefix, n) == 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

struct cs_str cs_str_trim(struct cs_str a)
{
	while (a.len && is_space(a.ptr[0])) {
		a.ptr++;
		a.len--;
	}
	while (a.len && is_space(a.ptr[a.len - 1]))
		a.len--;
	return a;
}

bool cs_str_next(struct cs_str *s, char sep, struct cs_str *tok)
{
	const char *p;

	if (!s->ptr)
		return false;
	p = s->len ? memchr(s->ptr, sep, s->len) : NULL;
	if (!p) {
		*tok = *s;
		s->ptr = NULL;
		s->len = 0;
		return true;
	}
	*tok = cs_str_make(s->ptr, (size_t)(p - s->ptr));
	s->len -= (size_t)(p - s->ptr) + 1;
	s->ptr = p + 1;
	return true;
}

char *cs_str_dup(struct cs_str a)
{
	return cs_strndup(a.ptr ? a.ptr : "", a.len);
}

enum cs_err cs_str_to_i64(struct cs_str a, int64_t *out, struct cs_error *err)
{
	char tmp[NUMBER_TEXT_MAX];
	char *end;
	long long v;
	size_t i = 0, first, n;

	if (a.len == 0)
		return cs_fail(err, CS_EPARSE, "expected a whole number");
	if (a.ptr[0] == '-' || a.ptr[0] == '+')
		i = 1;
	if (i == a.len)
		return cs_fail(err, CS_EPARSE, "expected a whole number");
	for (size_t k = i; k < a.len; k++)
		if (a.ptr[k] < '0' || a.ptr[k] > '9')
			return cs_fail(err, CS_EPARSE, "expected a whole number");
	/* Leading zeros do not count towards the length: "0000...7" is 7, and
	 * more significant digits than fit in tmp are out of range, not garbage. */
	for (first = i; first + 1 < a.len && a.ptr[first] == '0'; first++)
		;
	n = a.len - first;
	if (n + 2 > sizeof(tmp))
		return cs_fail(err, CS_ETOOBIG, "number out of range");
	tmp[0] = a.ptr[0] == '-' ? '-' : '+';
	memcpy(tmp + 1, a.ptr + first, n);
	tmp[n + 1] = '\0';
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (errno == ERANGE)
		return cs_fail(err, CS_ETOOBIG, "number out of range");
	if (*end != '\0')
		return cs_fail(err, CS_EPARSE, "expected a whole number");
	*out = (int64_t)v;
	return CS_OK;
}

/*
 * strtod follows LC_NUMERIC; chiso never calls setlocale for numbers, so the
 * C locale's '.' is in force. The grammar is checked by hand first so that
 * strtod sees only plain decimals ("0x1p3", "nan", "1e999" are refused).
 */
enum cs_err cs_str_to_double(struct cs_str a, bool comma_ok, double *out, struct cs_error *err)
{
	char tmp[NUMBER_TEXT_MAX];
	size_t i = 0, digits = 0;
	bool dot = false;
	char *end;
	double v;

	if (a.len == 0 || a.len >= sizeof(tmp))
		return cs_fail(err, CS_EPARSE, "expected a number");
	if (a.ptr[0] == '-' || a.ptr[0] == '+')
		i = 1;
	for (; i < a.len; i++) {
		char c = a.ptr[i];

		if (c >= '0' && c <= '9') {
			digits++;
		} else if ((c == '.' || (c == ',' && comma_ok)) && !dot) {
			dot = true;
		} else if ((c == 'e' || c == 'E') && digits) {
			break;
		} else {
			return cs_fail(err, CS_EPARSE, "expected a number");
		}
	}
	if (!digits)
		return cs_fail(err, CS_EPARSE, "expected a number");
	if (i < a.len) { /* exponent: e, optional sign, digits */
		size_t j = i + 1;

		if (j < a.len && (a.ptr[j] == '-' || a.ptr[j] == '+'))
			j++;
		if (j == a.len)
			return cs_fail(err, CS_EPARSE, "expected a number");
		for (; j < a.len; j++)
			if (a.ptr[j] < '0' || a.ptr[j] > '9')
				return cs_fail(err, CS_EPARSE, "expected a number");
	}
	memcpy(tmp, a.ptr, a.len);
	tmp[a.len] = '\0';
	for (i = 0; i < a.len; i++)
		if (tmp[i] == ',')
			tmp[i] = '.';
	errno = 0;
	v = strtod(tmp, &end);
	if (errno == ERANGE || !isfinite(v))
		return cs_fail(err, CS_ETOOBIG, "number out of range");
	/* Only a program that set LC_NUMERIC to a ',' locale gets here. */
	if (*end != '\0')
		return cs_fail(err, CS_EPARSE, "expected a number");
	*out = v;
	return CS_OK;
}
