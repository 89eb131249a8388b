/*
 * The JSON documents of satisfaction results, written by hand into a buffer
 * so that key order and number forms are fixed (docs/formats.md).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fmt.h"
#include "report/sipas_json.h"
#include "util/alloc.h"

#include "util/banned.h"

/* A small streaming writer: indentation and commas, errors kept until the end. */
struct jw {
	struct cs_buf *b;
	struct cs_error *err;
	enum cs_err rc;
	int depth;
	bool first; /* no member written yet at this depth */
	bool key;   /* a key was just written: the value follows on the same line */
};

static void put(struct jw *w, const char *s, size_t n)
{
	if (!w->rc)
		w->rc = cs_buf_add(w->b, s, n, w->err);
}

static void puts_(struct jw *w, const char *s)
{
	put(w, s, strlen(s));
}

/* Starts a value: a comma and a new line unless it follows its key. */
static void lead(struct jw *w)
{
	static const char spaces[] = "                                                  ";

	if (w->key) {
		w->key = false;
		return;
	}
	if (w->depth == 0)
		return;
	puts_(w, w->first ? "\n" : ",\n");
	put(w, spaces,
	    (size_t)(2 * w->depth) < sizeof(spaces) - 1 ? (size_t)(2 * w->depth)
							: sizeof(spaces) - 1);
	w->first = false;
}

static void str_body(struct jw *w, const char *s)
{
	const char *from = s;

	puts_(w, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];

		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		put(w, from, (size_t)(s - from));
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(w, esc, 2);
		} else {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(w, esc, 6);
		}
		from = s + 1;
	}
	put(w, from, (size_t)(s - from));
	puts_(w, "\"");
}

static void jkey(struct jw *w, const char *k)
{
	lead(w);
	str_body(w, k);
	puts_(w, ": ");
	w->key = true;
}

static void jstr(struct jw *w, const char *s)
{
	lead(w);
	if (s)
		str_body(w, s);
	else
		puts_(w, "null");
}

/*
 * The shortest text that reads back as v, as cs_fmt_double writes it: the
 * first of %.15g, %.16g and %.17g that reads back as v (15 significant
 * digits or fewer give the shortest text already, their trailing zeros
 * dropped), or cs_fmt_double's own search for numbers that need an exponent.
 * A results document holds a few hundred numbers per domain, so this is
 * done with one conversion instead of three and three strtod calls:
 *
 * - v is printed once with 17 significant digits (s17, correctly rounded by
 *   the C library), and the 15- and 16-digit texts are s17 rounded. That is
 *   the correct rounding of v itself unless s17's dropped digits are exactly
 *   a half ("5" or "50"): a 15- or 16-digit midpoint is itself a 17-digit
 *   number, so when s17 is not one, v and s17 lie on the same side of every
 *   midpoint. In that case the digits come from snprintf as before.
 * - Whether a text reads back as v: Clinger's fast path (a mantissa below
 *   2^53 times or divided by an exact power of ten up to 10^22 is one
 *   correctly rounded operation, so it equals strtod), strtod otherwise; 17
 *   digits always read back.
 */
#define MANT_EXACT 9007199254740992.0 /* 2^53 */

static const double pow10_exact[] = {1e0,  1e1,	 1e2,  1e3,  1e4,  1e5,	 1e6,  1e7,
				     1e8,  1e9,	 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
				     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The text of %.*g with prec digits, the old way; false when it needs an exponent. */
static bool g_text(double v, int prec, char buf[CS_FMT_MAX])
{
	int n = snprintf(buf, CS_FMT_MAX, "%.*g", prec, v);

	return n > 0 && n < CS_FMT_MAX && !strpbrk(buf, "e,");
}

/*
 * Rounds the 17 digits d to p digits in r with the exponent *x (updated on a
 * carry); false when the dropped digits are exactly a half.
 */
static bool round_digits(const char d[17], int p, char r[17], int *x)
{
	bool up;

	if (p == 16 && d[16] == '5')
		return false;
	if (p == 15 && d[15] == '5' && d[16] == '0')
		return false;
	up = d[p] >= '5';
	memcpy(r, d, (size_t)p);
	for (int i = p - 1; up && i >= 0; i--) {
		if (r[i] == '9') {
			r[i] = '0';
		} else {
			r[i]++;
			up = false;
		}
	}
	if (up) {
		/* 99...9 rounded up: 100...0 one decade higher. */
		r[0] = '1';
		memset(r + 1, '0', (size_t)p - 1);
		(*x)++;
	}
	return true;
}

/*
 * Writes the p digits r with exponent x (-4 <= x < p) as %.*g does without
 * an exponent: trailing zeros and a bare point dropped. Returns whether the
 * text reads back as v.
 */
static bool fixed_text(double v, const char *r, int p, int x, char buf[CS_FMT_MAX])
{
	size_t o = 0, nd = (size_t)p;
	uint64_t m = 0;
	int q = x - p + 1;
	double back;

	if (v < 0)
		buf[o++] = '-';
	while (nd > 0 && r[nd - 1] == '0' && (int)nd > x + 1)
		nd--;
	if (x < 0) {
		buf[o++] = '0';
		buf[o++] = '.';
		for (int k = -1; k > x; k--)
			buf[o++] = '0';
		memcpy(buf + o, r, nd);
		o += nd;
	} else {
		for (size_t k = 0; k < nd; k++) {
			if ((int)k == x + 1)
				buf[o++] = '.';
			buf[o++] = r[k];
		}
	}
	buf[o] = '\0';
	if (p == 17)
		return true;
	for (int k = 0; k < p; k++)
		m = m * 10 + (uint64_t)(r[k] - '0');
	if ((double)m < MANT_EXACT && q >= -22 && q <= 22) {
		back = q >= 0 ? (double)m * pow10_exact[q] : (double)m / pow10_exact[-q];
		return back == fabs(v);
	}
	return strtod(buf, NULL) == v;
}

static const char *num_text(double v, char buf[CS_FMT_MAX])
{
	char s17[40], d[17], r[17];
	int n, e17;

	if (!isfinite(v) || v == 0)
		return cs_fmt_double(v, buf);
	n = snprintf(s17, sizeof(s17), "%.16e", fabs(v));
	/* d.dddddddddddddddde[+-]X with '.' for the point; anything else
	 * (another locale's point) takes the slow path. */
	if (n < 21 || s17[1] != '.' || s17[18] != 'e')
		goto slow;
	d[0] = s17[0];
	memcpy(d + 1, s17 + 2, 16);
	e17 = (int)strtol(s17 + 19, NULL, 10);
	for (int p = 15; p <= 17; p++) {
		int x = e17;

		if (p == 17)
			memcpy(r, d, 17);
		else if (!round_digits(d, p, r, &x)) {
			if (!g_text(v, p, buf))
				break;
			if (strtod(buf, NULL) == v)
				return buf;
			continue;
		}
		if (x < -4 || x >= p)
			break;
		if (fixed_text(v, r, p, x, buf))
			return buf;
	}
	return cs_fmt_double(v, buf);
slow:
	for (int prec = 15; prec <= 17; prec++) {
		if (!g_text(v, prec, buf))
			break;
		if (strtod(buf, NULL) == v)
			return buf;
	}
	return cs_fmt_double(v, buf);
}

static void jnum(struct jw *w, double v)
{
	char buf[CS_FMT_MAX];
	const char *t = num_text(v, buf);

	lead(w);
	puts_(w, t ? t : "null");
}

static void juint(struct jw *w, uint64_t v)
{
	char buf[32];

	lead(w);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	puts_(w, buf);
}

static void jbool(struct jw *w, bool v)
{
	lead(w);
	puts_(w, v ? "true" : "false");
}

static void jnull(struct jw *w)
{
	lead(w);
	puts_(w, "null");
}

static void jopen(struct jw *w, const char *bracket)
{
	lead(w);
	puts_(w, bracket);
	w->depth++;
	w->first = true;
}

static void jclose(struct jw *w, const char *bracket)
{
	static const char spaces[] = "                                                  ";
	bool empty = w->first;

	w->depth--;
	if (!empty) {
		puts_(w, "\n");
		put(w, spaces,
		    (size_t)(2 * w->depth) < sizeof(spaces) - 1 ? (size_t)(2 * w->depth)
								: sizeof(spaces) - 1);
	}
	puts_(w, bracket);
	w->first = false;
}

#define KSTR(w, k, v) (jkey(w, k), jstr(w, v))
#define KNUM(w, k, v) (jkey(w, k), jnum(w, v))
#define KUINT(w, k, v) (jkey(w, k), juint(w, v))

static void flags(struct jw *w, unsigned f)
{
	jopen(w, "[");
	for (unsigned b = 0; b < CS_SIPAS_F_COUNT_; b++)
		if (f >> b & 1)
			jstr(w, cs_sipas_flag_name(b));
	jclose(w, "]");
}

/* An index with its uncertainty: {"index","se","ci_lo","ci_hi","n","df","flags"}. */
static void est(struct jw *w, const struct cs_sipas_est *e)
{
	jopen(w, "{");
	KNUM(w, "index", e->index);
	KNUM(w, "se", e->se);
	KNUM(w, "ci_lo", e->ci_lo);
	KNUM(w, "ci_hi", e->ci_hi);
	KUINT(w, "n", e->n);
	KNUM(w, "df", e->df);
	jkey(w, "flags");
	flags(w, e->flags);
	jclose(w, "}");
}

static void weak(struct jw *w, const struct cs_sipas_weak *k)
{
	jopen(w, "{");
	jkey(w, "below_target");
	jbool(w, k->below_target);
	KNUM(w, "p_below_own", k->p_own);
	jkey(w, "significantly_below_own");
	jbool(w, k->sig_own);
	KNUM(w, "peer_average", k->peer_average);
	KNUM(w, "p_below_peers", k->p_peers);
	jkey(w, "significantly_below_peers");
	jbool(w, k->sig_peers);
	jclose(w, "}");
}

static void diff(struct jw *w, const struct cs_sipas_diff *d)
{
	if (!d->has_prev) {
		jnull(w);
		return;
	}
	jopen(w, "{");
	KNUM(w, "previous", d->prev);
	KNUM(w, "diff", d->diff);
	KNUM(w, "se", d->se);
	KNUM(w, "ci_lo", d->ci_lo);
	KNUM(w, "ci_hi", d->ci_hi);
	jkey(w, "significant");
	jbool(w, d->significant);
	jclose(w, "}");
}

static void domain_head(struct jw *w, const struct cs_sipas_domain *d)
{
	jkey(w, "domain");
	jopen(w, "{");
	KSTR(w, "by", cs_sipas_by_name(d->by));
	KSTR(w, "code", d->code);
	KSTR(w, "name", d->name);
	if (d->by == CS_SIPAS_BY_UNIT || d->by == CS_SIPAS_BY_LEVEL)
		KSTR(w, "level", cs_level_name(d->level));
	jclose(w, "}");
}

static void meta(struct jw *w, const struct cs_sipas_result *r, const struct cs_sipas_meta *m,
		 const char *format)
{
	const struct cs_q_options *o = cs_questionnaire_options(r->q);

	KSTR(w, "format", format);
	jkey(w, "format_version");
	juint(w, CS_SIPAS_JSON_VERSION);
	KSTR(w, "wave", m->wave);
	KSTR(w, "period", m->period);
	jkey(w, "questionnaire");
	jopen(w, "{");
	KSTR(w, "code", m->questionnaire);
	KSTR(w, "version", m->questionnaire_version);
	jclose(w, "}");
	KSTR(w, "by", cs_sipas_by_name(r->opts.by));
	jkey(w, "design");
	jopen(w, "{");
	KUINT(w, "respondents", r->respondents);
	jkey(w, "weighted");
	jbool(w, r->opts.design);
	jkey(w, "clustered");
	jbool(w, r->opts.clustered);
	KSTR(w, "lonely_psu", cs_svy_lonely_name(r->opts.lonely));
	KNUM(w, "confidence", 1 - r->alpha);
	KSTR(w, "ci_items",
	     r->opts.design	? "logit"
	     : o->ci_unweighted ? o->ci_unweighted
				: "wilson");
	KSTR(w, "ci_combined", "logit");
	jclose(w, "}");
	jkey(w, "options");
	jopen(w, "{");
	KSTR(w, "element_aggregation", cs_q_element_agg_name(o->element_agg));
	KSTR(w, "headline", cs_q_overall_agg_name(o->headline));
	KNUM(w, "target", o->target);
	KUINT(w, "min_n", o->min_n);
	KNUM(w, "max_cv", o->max_cv);
	jclose(w, "}");
}

static enum cs_err finish(struct jw *w)
{
	if (!w->rc)
		w->rc = cs_buf_addc(w->b, '\n', w->err);
	return w->rc;
}

enum cs_err cs_sipas_json_write(const struct cs_sipas_result *r, const struct cs_sipas_change *ch,
				const struct cs_sipas_meta *m, struct cs_buf *out,
				struct cs_error *err)
{
	struct jw w = {.b = out, .err = err, .first = true};
	const struct cs_q_options *o = cs_questionnaire_options(r->q);

	jopen(&w, "{");
	meta(&w, r, m, CS_SIPAS_JSON_FORMAT);
	KSTR(&w, "previous_wave", ch ? m->previous_wave : NULL);
	jkey(&w, "domains");
	jopen(&w, "[");
	for (size_t i = 0; i < r->ndomains && !w.rc; i++) {
		const struct cs_sipas_domain *d = &r->domains[i];
		const struct cs_sipas_est *h = cs_sipas_headline(r, d);

		jopen(&w, "{");
		domain_head(&w, d);
		KUINT(&w, "n", d->n);
		KNUM(&w, "weight_sum", d->wsum);
		jkey(&w, "overall");
		jopen(&w, "{");
		KSTR(&w, "headline", cs_q_overall_agg_name(o->headline));
		KNUM(&w, "index", h->index);
		KNUM(&w, "ci_lo", h->ci_lo);
		KNUM(&w, "ci_hi", h->ci_hi);
		jkey(&w, "mean_of_elements");
		est(&w, &d->overall[CS_Q_OVERALL_MEAN_OF_ELEMENTS]);
		jkey(&w, "pooled");
		est(&w, &d->overall[CS_Q_OVERALL_POOLED]);
		jkey(&w, "general");
		if (cs_questionnaire_general_item(r->q) == CS_Q_NONE)
			jnull(&w);
		else
			est(&w, &d->overall[CS_Q_OVERALL_GENERAL]);
		if (ch) {
			jkey(&w, "change");
			diff(&w, &ch[i].overall);
		}
		jclose(&w, "}");

		jkey(&w, "elements");
		jopen(&w, "[");
		for (size_t e = 0; e < d->nelements; e++) {
			const struct cs_sipas_element *el = &d->elements[e];
			const struct cs_sipas_est *x = cs_sipas_element_index(r, el);

			jopen(&w, "{");
			KSTR(&w, "code", cs_questionnaire_element(r->q, el->element)->code);
			KSTR(&w, "name", cs_questionnaire_element(r->q, el->element)->title_vi);
			KNUM(&w, "index", x->index);
			KNUM(&w, "ci_lo", x->ci_lo);
			KNUM(&w, "ci_hi", x->ci_hi);
			KNUM(&w, "se", x->se);
			KUINT(&w, "n", x->n);
			jkey(&w, "flags");
			flags(&w, x->flags);
			jkey(&w, "mean_of_items");
			est(&w, &el->mean_of_items);
			jkey(&w, "pooled");
			est(&w, &el->pooled);
			jkey(&w, "weak");
			weak(&w, &el->weak);
			if (ch) {
				jkey(&w, "change");
				diff(&w, &ch[i].elements[e]);
			}
			jclose(&w, "}");
		}
		jclose(&w, "]");

		jkey(&w, "items");
		jopen(&w, "[");
		for (size_t k = 0; k < d->nitems; k++) {
			const struct cs_sipas_item *it = &d->items[k];
			const struct cs_q_item *qi = cs_questionnaire_item(r->q, it->item);

			jopen(&w, "{");
			KSTR(&w, "code", qi->code);
			KUINT(&w, "n", it->est.n);
			KUINT(&w, "satisfied", it->satisfied);
			KNUM(&w, "index", it->est.index);
			KNUM(&w, "se", it->est.se);
			KNUM(&w, "ci_lo", it->est.ci_lo);
			KNUM(&w, "ci_hi", it->est.ci_hi);
			KNUM(&w, "deff", it->est.deff);
			jkey(&w, "flags");
			flags(&w, it->est.flags);
			KNUM(&w, "df", it->est.df);
			KNUM(&w, "n_eff", it->est.n_eff);
			jkey(&w, "levels");
			if (qi->type == CS_Q_LIKERT5) {
				jopen(&w, "[");
				for (int l = 0; l < 5; l++)
					jnum(&w, it->levels[l]);
				jclose(&w, "]");
			} else {
				jnull(&w);
			}
			KNUM(&w, "mean_score", it->mean_score);
			KNUM(&w, "dissatisfied", it->dissatisfied);
			jkey(&w, "weak");
			weak(&w, &it->weak);
			if (ch) {
				jkey(&w, "change");
				diff(&w, &ch[i].items[k]);
			}
			jclose(&w, "}");
		}
		jclose(&w, "]");

		jkey(&w, "expectations");
		jopen(&w, "[");
		for (size_t c = 0; c < d->nchoices; c++) {
			const struct cs_sipas_choice *x = &d->expectations[c];
			const struct cs_q_item *qi = cs_questionnaire_item(r->q, x->item);

			jopen(&w, "{");
			KSTR(&w, "item", qi->code);
			KSTR(&w, "choice", qi->choices[x->choice].value);
			KSTR(&w, "label", qi->choices[x->choice].label_vi);
			KNUM(&w, "share", x->share);
			KUINT(&w, "n", x->n);
			jclose(&w, "}");
		}
		jclose(&w, "]");
		jclose(&w, "}");
	}
	jclose(&w, "]");
	jclose(&w, "}");
	return finish(&w);
}

enum cs_err cs_sipas_weak_json_write(const struct cs_sipas_result *r, const struct cs_sipas_meta *m,
				     struct cs_buf *out, struct cs_error *err)
{
	struct jw w = {.b = out, .err = err, .first = true};

	jopen(&w, "{");
	meta(&w, r, m, "chiso-sipas-weak");
	jkey(&w, "domains");
	jopen(&w, "[");
	for (size_t i = 0; i < r->ndomains && !w.rc; i++) {
		const struct cs_sipas_domain *d = &r->domains[i];
		const struct cs_sipas_est *h = cs_sipas_headline(r, d);
		size_t *list = NULL, n = 0;

		w.rc = cs_sipas_weak_list(r, d, &list, &n, err);
		if (w.rc)
			break;
		jopen(&w, "{");
		domain_head(&w, d);
		KUINT(&w, "n", d->n);
		KNUM(&w, "index", h->index);
		jkey(&w, "fix_first");
		jopen(&w, "[");
		for (size_t j = 0; j < n; j++) {
			size_t k = list[j];
			bool item = k < d->nitems;
			const struct cs_sipas_est *x =
				item ? &d->items[k].est
				     : cs_sipas_element_index(r, &d->elements[k - d->nitems]);
			const struct cs_sipas_weak *wk =
				item ? &d->items[k].weak : &d->elements[k - d->nitems].weak;

			jopen(&w, "{");
			KSTR(&w, "kind", item ? "item" : "element");
			if (item) {
				const struct cs_q_item *qi =
					cs_questionnaire_item(r->q, d->items[k].item);

				KSTR(&w, "code", qi->code);
				KSTR(&w, "text", qi->text_vi);
			} else {
				const struct cs_q_element *qe = cs_questionnaire_element(
					r->q, d->elements[k - d->nitems].element);

				KSTR(&w, "code", qe->code);
				KSTR(&w, "text", qe->title_vi);
			}
			KNUM(&w, "index", x->index);
			KNUM(&w, "ci_lo", x->ci_lo);
			KNUM(&w, "ci_hi", x->ci_hi);
			KUINT(&w, "n", x->n);
			jkey(&w, "weak");
			weak(&w, wk);
			jclose(&w, "}");
		}
		jclose(&w, "]");
		jkey(&w, "expectations");
		jopen(&w, "[");
		for (size_t c = 0; c < d->nchoices; c++) {
			const struct cs_sipas_choice *x = &d->expectations[c];
			const struct cs_q_item *qi = cs_questionnaire_item(r->q, x->item);

			jopen(&w, "{");
			KSTR(&w, "item", qi->code);
			KSTR(&w, "choice", qi->choices[x->choice].value);
			KSTR(&w, "label", qi->choices[x->choice].label_vi);
			KNUM(&w, "share", x->share);
			KUINT(&w, "n", x->n);
			jclose(&w, "}");
		}
		jclose(&w, "]");
		jclose(&w, "}");
		cs_free(list);
	}
	jclose(&w, "]");
	jclose(&w, "}");
	return finish(&w);
}

enum cs_err cs_sipas_rank_json_write(const struct cs_sipas_result *r,
				     const struct cs_sipas_rank *ranks, size_t n,
				     const struct cs_sipas_rank_opts *o,
				     const struct cs_sipas_meta *m, struct cs_buf *out,
				     struct cs_error *err)
{
	struct jw w = {.b = out, .err = err, .first = true};
	char pos[CS_FMT_MAX];

	jopen(&w, "{");
	meta(&w, r, m, "chiso-sipas-rank");
	KUINT(&w, "bootstrap", o->bootstrap);
	KUINT(&w, "seed", o->seed);
	jkey(&w, "ranks");
	jopen(&w, "[");
	for (size_t i = 0; i < n && !w.rc; i++) {
		const struct cs_sipas_rank *k = &ranks[i];
		const struct cs_sipas_domain *d = &r->domains[k->domain];
		const struct cs_sipas_est *h = cs_sipas_headline(r, d);

		jopen(&w, "{");
		domain_head(&w, d);
		KUINT(&w, "group", k->group);
		KUINT(&w, "n", d->n);
		KNUM(&w, "index", h->index);
		KNUM(&w, "ci_lo", h->ci_lo);
		KNUM(&w, "ci_hi", h->ci_hi);
		KNUM(&w, "value", k->value);
		jkey(&w, "rank");
		if (k->rank)
			juint(&w, k->rank);
		else
			jnull(&w);
		KUINT(&w, "ranked_of", k->ranked_of);
		KSTR(&w, "position", k->rank ? cs_fmt_rank(k->rank, k->ranked_of, pos) : NULL);
		jkey(&w, "rank_interval");
		if (k->rank_lo) {
			jopen(&w, "[");
			juint(&w, k->rank_lo);
			juint(&w, k->rank_hi);
			jclose(&w, "]");
		} else {
			jnull(&w);
		}
		jkey(&w, "flags");
		flags(&w, h->flags);
		jclose(&w, "}");
	}
	jclose(&w, "]");
	jclose(&w, "}");
	return finish(&w);
}
