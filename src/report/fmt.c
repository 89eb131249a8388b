/*
 * Number formatting for people (Vietnamese and English separators) and for
 * machines (shortest round-trip text with '.'), independent of the C
 * library's locale.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/round.h"
#include "report/fmt.h"

#include "util/banned.h"

/* Beyond this magnitude fixed notation would not fit; machine form is used. */
#define FIXED_LIMIT 1e15

static int clamp_decimals(int d)
{
	return d < 0 ? 0 : d > CS_ROUND_DECIMALS_MAX ? CS_ROUND_DECIMALS_MAX : d;
}

/*
 * The parts of a number printed in fixed notation: sign, integer digits and
 * fraction digits, read from snprintf's output whatever decimal point the
 * locale uses (chiso keeps the C locale; this does not rely on it).
 */
struct parts {
	bool negative;
	char intd[32];
	char frac[16];
};

static bool split_fixed(double r, int d, struct parts *p)
{
	char tmp[CS_FMT_MAX];
	const char *s = tmp;
	size_t n = 0;
	bool nonzero = false;
	int w = snprintf(tmp, sizeof(tmp), "%.*f", d, r);

	if (w < 0 || (size_t)w >= sizeof(tmp))
		return false;
	p->negative = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	while (*s >= '0' && *s <= '9' && n + 1 < sizeof(p->intd)) {
		nonzero |= *s != '0';
		p->intd[n++] = *s++;
	}
	p->intd[n] = '\0';
	n = 0;
	if (*s && !(*s >= '0' && *s <= '9'))
		s++; /* the decimal point, whatever it is */
	while (*s >= '0' && *s <= '9' && n + 1 < sizeof(p->frac)) {
		nonzero |= *s != '0';
		p->frac[n++] = *s++;
	}
	p->frac[n] = '\0';
	if (!nonzero)
		p->negative = false; /* never "-0,00" */
	return p->intd[0] != '\0';
}

/* Writes the parts with the language's separators. */
static const char *join(const struct parts *p, bool trim, bool plus, enum cs_fmt_lang lang,
			char out[CS_FMT_MAX])
{
	char thousands = lang == CS_FMT_VI ? '.' : ',';
	char point = lang == CS_FMT_VI ? ',' : '.';
	size_t ni = strlen(p->intd), nf = strlen(p->frac), o = 0;

	if (p->negative)
		out[o++] = '-';
	else if (plus)
		out[o++] = '+';
	for (size_t i = 0; i < ni; i++) {
		if (i > 0 && (ni - i) % 3 == 0)
			out[o++] = thousands;
		out[o++] = p->intd[i];
	}
	if (trim)
		while (nf > 0 && p->frac[nf - 1] == '0')
			nf--;
	if (nf > 0) {
		out[o++] = point;
		memcpy(out + o, p->frac, nf);
		o += nf;
	}
	out[o] = '\0';
	return out;
}

static const char *human(double v, int decimals, bool trim, bool plus, enum cs_fmt_lang lang,
			 char out[CS_FMT_MAX])
{
	struct parts p;
	int d = clamp_decimals(decimals);
	double r;

	if (!isfinite(v)) {
		out[0] = '-';
		out[1] = '\0';
		return out;
	}
	r = cs_round_half_away(v, d);
	if (fabs(r) >= FIXED_LIMIT || !split_fixed(r, d, &p)) {
		if (!cs_fmt_double(r, out)) {
			out[0] = '-';
			out[1] = '\0';
		}
		return out;
	}
	return join(&p, trim, plus && (r != 0 || p.negative), lang, out);
}

const char *cs_fmt_number(double v, int decimals, enum cs_fmt_lang lang, char out[CS_FMT_MAX])
{
	return human(v, decimals, false, false, lang, out);
}

const char *cs_fmt_number_trim(double v, int decimals, enum cs_fmt_lang lang, char out[CS_FMT_MAX])
{
	return human(v, decimals, true, false, lang, out);
}

const char *cs_fmt_percent(double v, int decimals, enum cs_fmt_lang lang, char out[CS_FMT_MAX])
{
	size_t n;

	human(v, decimals, false, false, lang, out);
	n = strlen(out);
	if (n + 1 < CS_FMT_MAX && isfinite(v)) {
		out[n] = '%';
		out[n + 1] = '\0';
	}
	return out;
}

const char *cs_fmt_signed(double v, int decimals, bool trim, enum cs_fmt_lang lang,
			  char out[CS_FMT_MAX])
{
	return human(v, decimals, trim, true, lang, out);
}

const char *cs_fmt_rank(size_t rank, size_t of, char out[CS_FMT_MAX])
{
	snprintf(out, CS_FMT_MAX, "%zu/%zu", rank, of);
	return out;
}

const char *cs_fmt_count(size_t n, enum cs_fmt_lang lang, char out[CS_FMT_MAX])
{
	struct parts p = {false, "", ""};

	snprintf(p.intd, sizeof(p.intd), "%zu", n);
	return join(&p, true, false, lang, out);
}

/*
 * Rewrites "d.ddde[+-]XX" (from %g) as plain decimal text when the exponent
 * is small enough to fit; leaves it as it is otherwise.
 */
static void plain(char *s, size_t cap)
{
	char digits[32], *e = strchr(s, 'e');
	size_t nd = 0, o = 0;
	bool neg = s[0] == '-';
	long exp;
	char tmp[CS_FMT_MAX];

	if (!e)
		return;
	exp = strtol(e + 1, NULL, 10);
	if (exp < -7 || exp > 15)
		return;
	for (const char *p = s; p < e; p++)
		if (*p >= '0' && *p <= '9' && nd + 1 < sizeof(digits))
			digits[nd++] = *p;
	/* digits[0] is before the point: the value is 0.d0d1... * 10^(exp + 1). */
	if (neg)
		tmp[o++] = '-';
	if (exp < 0) {
		tmp[o++] = '0';
		tmp[o++] = '.';
		for (long k = -1; k > exp; k--)
			tmp[o++] = '0';
		for (size_t k = 0; k < nd; k++)
			tmp[o++] = digits[k];
	} else {
		for (size_t k = 0; k < nd || k <= (size_t)exp; k++) {
			if (k == (size_t)exp + 1)
				tmp[o++] = '.';
			tmp[o++] = k < nd ? digits[k] : '0';
		}
	}
	tmp[o] = '\0';
	if (o < cap)
		memcpy(s, tmp, o + 1);
}

/* Replaces the locale's decimal point, whatever it is, with '.'. */
static void dot(char *s)
{
	for (; *s; s++)
		if (!(*s >= '0' && *s <= '9') && *s != '-' && *s != '+' && *s != 'e')
			*s = '.';
}

const char *cs_fmt_double(double v, char out[CS_FMT_MAX])
{
	if (!isfinite(v))
		return NULL;
	if (v == 0) {
		out[0] = '0';
		out[1] = '\0';
		return out;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, CS_FMT_MAX, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
	dot(out);
	plain(out, CS_FMT_MAX);
	return out;
}

const char *cs_fmt_decimal(double v, int decimals, char out[CS_FMT_MAX])
{
	struct parts p;
	int d = clamp_decimals(decimals);
	double r;
	size_t o = 0, nf;

	if (!isfinite(v))
		return NULL;
	r = cs_round_half_away(v, d);
	if (fabs(r) >= FIXED_LIMIT || !split_fixed(r, d, &p))
		return cs_fmt_double(r, out);
	nf = strlen(p.frac);
	while (nf > 0 && p.frac[nf - 1] == '0')
		nf--;
	if (p.negative)
		out[o++] = '-';
	memcpy(out + o, p.intd, strlen(p.intd));
	o += strlen(p.intd);
	if (nf > 0) {
		out[o++] = '.';
		memcpy(out + o, p.frac, nf);
		o += nf;
	}
	out[o] = '\0';
	return out;
}

size_t cs_fmt_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	while (*p) {
		unsigned cp;
		int n;

		if (*p < 0x80) {
			cp = *p;
			n = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1Fu;
			n = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0Fu;
			n = 3;
		} else {
			cp = *p & 0x07u;
			n = 4;
		}
		p++;
		for (int k = 1; k < n && (*p & 0xC0) == 0x80; k++)
			cp = (cp << 6) | (*p++ & 0x3Fu);
		if (!((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1DC0 && cp <= 0x1DFF)))
			w++;
	}
	return w;
}
