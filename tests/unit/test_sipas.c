/*
 * Unit tests for the satisfaction indices (core/sipas.h): every row of
 * tests/reference/sipas_domains_expected.csv (R's survey package on
 * data_domains.csv: items, elements, the three overall indices, level
 * distributions, expectations and the weak-area test, over the whole
 * sample, units rolled up the tree, levels and channels) to 1e-6; scope,
 * change, ranking with a seeded bootstrap, input errors and allocation
 * failures.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/questionnaire.h"
#include "core/sipas.h"
#include "util/alloc.h"

#include "util/banned.h"

#define REF_DIR CHISO_SOURCE_DIR "/tests/reference/"
#define TOL 1e-6
#define MAX_ROWS 1600
#define NITEMS 9 /* a1 a2 b1 b2 b3 g x, plus kind and a note-free padding */

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* ---- The questionnaire and units of the reference data ---- */

static const char *const item_codes[] = {"a1", "a2", "b1", "b2", "b3", "g", "x"};
#define NQ 7

static struct cs_questionnaire *make_q(enum cs_q_overall_agg headline,
				       enum cs_q_element_agg element_agg)
{
	struct cs_q_info info = {.code = "ref", .title = "Reference", .version = "1"};
	struct cs_q_element els[] = {{"E1", "Yếu tố 1", "Element 1"},
				     {"E2", "Yếu tố 2", "Element 2"}};
	struct cs_q_choice xs[] = {{"p", "Lựa chọn p", "Option p"},
				   {"q", "Lựa chọn q", "Option q"},
				   {"r", "Lựa chọn r", "Option r"}};
	struct cs_questionnaire *q = cs_questionnaire_new(&info, NULL);
	struct cs_q_options o;

	assert_non_null(q);
	for (size_t e = 0; e < 2; e++)
		assert_int_equal(cs_questionnaire_add_element(q, &els[e], NULL), CS_OK);
	for (size_t i = 0; i < NQ; i++) {
		struct cs_q_item_spec sp = {.code = item_codes[i], .text_vi = item_codes[i]};

		if (i < 5) {
			sp.element = i < 2 ? "E1" : "E2";
			sp.type = CS_Q_LIKERT5;
			sp.role = CS_Q_ROLE_SATISFACTION;
		} else if (i == 5) {
			sp.type = CS_Q_LIKERT5;
			sp.role = CS_Q_ROLE_GENERAL;
		} else {
			sp.type = CS_Q_MULTI;
			sp.role = CS_Q_ROLE_EXPECTATION;
			sp.choices = xs;
			sp.nchoices = 3;
		}
		assert_int_equal(cs_questionnaire_add_item(q, &sp, NULL), CS_OK);
	}
	o = *cs_questionnaire_options(q);
	o.headline = headline;
	o.element_agg = element_agg;
	cs_questionnaire_set_options(q, &o);
	assert_int_equal(cs_questionnaire_validate(q, NULL), CS_OK);
	return q;
}

static const struct cs_sipas_unit units[] = {
	{"P", "Tỉnh P", CS_SIPAS_NONE, CS_LEVEL_PROVINCE},
	{"D1", "Huyện D1", 0, CS_LEVEL_DISTRICT},
	{"D2", "Huyện D2", 0, CS_LEVEL_DISTRICT},
	{"C11", "Xã C11", 1, CS_LEVEL_COMMUNE},
	{"C12", "Xã C12", 1, CS_LEVEL_COMMUNE},
	{"C21", "Xã C21", 2, CS_LEVEL_COMMUNE},
};
#define NUNITS 6

/* ---- The reference data ---- */

struct row {
	size_t unit;
	char stratum[8], psu[12], channel[12];
	double w, fpc;
	struct cs_q_answer ans[NQ];
};

static struct row rows[MAX_ROWS];
static size_t nrows;

static size_t split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static double num(const char *s)
{
	char *end;
	double v;

	if (strcmp(s, "NA") == 0 || *s == '\0')
		return NAN;
	v = strtod(s, &end);
	if (*end)
		fail_msg("not a number in a reference file: '%s'", s);
	return v;
}

static size_t unit_index(const char *code)
{
	for (size_t u = 0; u < NUNITS; u++)
		if (strcmp(units[u].code, code) == 0)
			return u;
	fail_msg("unknown unit '%s'", code);
	return 0;
}

static void load_data(void)
{
	FILE *f = fopen(REF_DIR "data_domains.csv", "r");
	char line[512], *fl[16];

	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	nrows = 0;
	while (fgets(line, sizeof(line), f)) {
		struct row *r = &rows[nrows++];
		size_t n = split(line, fl, 16);

		assert_int_equal(n, 14);
		r->unit = unit_index(fl[1]);
		snprintf(r->stratum, sizeof(r->stratum), "%s", fl[2]);
		snprintf(r->psu, sizeof(r->psu), "%s", fl[3]);
		r->w = num(fl[4]);
		r->fpc = num(fl[5]);
		snprintf(r->channel, sizeof(r->channel), "%s", fl[6]);
		for (size_t k = 0; k < 6; k++) {
			r->ans[k] = (struct cs_q_answer){0};
			if (fl[7 + k][0]) {
				r->ans[k].answered = true;
				r->ans[k].value = num(fl[7 + k]);
			}
		}
		r->ans[6] = (struct cs_q_answer){0};
		for (char *p = fl[13]; *p; p++) {
			if (*p >= 'p' && *p <= 'r') {
				r->ans[6].answered = true;
				r->ans[6].choices |= 1u << (*p - 'p');
			}
		}
	}
	fclose(f);
	assert_int_equal(nrows, 1500);
}

/* Which columns a design uses (tests/reference/sipas_domains.R). */
enum design {
	CLUSTERED,
	STRATIFIED,
	SRS
};

/* How run() feeds the respondents: cs_sipas_add, or placed and added in lanes. */
enum feed {
	FEED_ADD,
	FEED_LANE_BY_UNIT, /* lane = unit mod lanes, as the stored-response reader does */
	FEED_LANE_BY_ROW   /* lane = row mod lanes: every domain in every lane */
};

static enum cs_err run_fed(enum design dz, enum cs_sipas_by by, size_t scope,
			   const struct cs_questionnaire *q, enum feed feed,
			   struct cs_sipas_result **out, struct cs_error *err)
{
	struct cs_sipas_opts o = cs_sipas_opts_default();
	struct cs_sipas *s = NULL;
	enum cs_err rc;

	o.by = by;
	o.scope = scope;
	o.design = dz != SRS;
	o.clustered = dz == CLUSTERED;
	rc = cs_sipas_new(q, units, NUNITS, &o, &s, err);
	for (size_t i = 0; i < nrows && !rc; i++) {
		const struct row *r = &rows[i];
		struct cs_sipas_resp rp = {
			.unit = r->unit,
			.channel = cs_str_from(r->channel),
			.weight = dz == SRS ? 1 : r->w,
			.stratum = dz == SRS ? cs_str_make("", 0) : cs_str_from(r->stratum),
			.psu = dz == CLUSTERED ? cs_str_from(r->psu) : cs_str_make("", 0),
			.fpc = dz == CLUSTERED ? r->fpc : 0,
			.answers = r->ans,
		};

		struct cs_sipas_placed pl;

		if (feed == FEED_ADD) {
			rc = cs_sipas_add(s, &rp, err);
			continue;
		}
		rc = cs_sipas_place(s, &rp, &pl, err);
		if (!rc)
			rc = cs_sipas_add_placed(
				s, (feed == FEED_LANE_BY_UNIT ? r->unit : i) % CS_SIPAS_LANES, &rp,
				&pl, err);
	}
	if (!rc)
		rc = cs_sipas_finish(s, out, err);
	cs_sipas_free(s);
	return rc;
}

static enum cs_err run(enum design dz, enum cs_sipas_by by, size_t scope,
		       const struct cs_questionnaire *q, struct cs_sipas_result **out,
		       struct cs_error *err)
{
	return run_fed(dz, by, scope, q, FEED_ADD, out, err);
}

/* ---- Comparing with R ---- */

static void near(double got, double want, double tol, const char *what, const char *where)
{
	if (isnan(want) && isnan(got))
		return;
	if (isinf(want) && got == want)
		return;
	if (!(fabs(got - want) <= tol))
		fail_msg("%s %s: chiso %.12g, R %.12g", where, what, got, want);
}

static void check_est(const struct cs_sipas_est *e, char **f, const char *where, bool deff)
{
	assert_int_equal(e->n, (uint64_t)num(f[4]));
	near(e->index / 100, num(f[5]), TOL, "mean", where);
	near(e->se / 100, num(f[6]), TOL, "se", where);
	near(e->df, num(f[7]), TOL, "df", where);
	if (deff)
		near(e->deff, num(f[8]), TOL, "deff", where);
	near(e->ci_lo / 100, num(f[9]), TOL, "ci_lo", where);
	near(e->ci_hi / 100, num(f[10]), TOL, "ci_hi", where);
}

static size_t item_pos(const char *code)
{
	for (size_t k = 0; k < NQ; k++)
		if (strcmp(item_codes[k], code) == 0)
			return k;
	fail_msg("unknown item '%s'", code);
	return 0;
}

/* Checks one expected row against the domain; returns nothing, fails loudly. */
static void check_row(const struct cs_sipas_result *r, const struct cs_sipas_domain *d, char **f)
{
	const char *target = f[3], *colon = strchr(target, ':');
	const char *what = colon + 1;
	char where[96];

	snprintf(where, sizeof(where), "%s/%s/%s/%s", f[0], f[1], f[2], target);
	if (strncmp(target, "item:", 5) == 0) {
		const struct cs_sipas_item *it = &d->items[item_pos(what)];

		check_est(&it->est, f, where, true);
	} else if (strncmp(target, "levels:", 7) == 0) {
		const struct cs_sipas_item *it = &d->items[item_pos(what)];

		near(it->mean_score, num(f[5]), TOL, "mean score", where);
		for (int l = 0; l < 5; l++)
			near(it->levels[l] / 100, num(f[6 + l]), TOL, "level share", where);
		near(it->dissatisfied / 100, num(f[6]) + num(f[7]), TOL, "dissatisfied", where);
	} else if (strncmp(target, "element:", 8) == 0) {
		check_est(&d->elements[what[1] - '1'].mean_of_items, f, where, false);
	} else if (strncmp(target, "pooled:", 7) == 0) {
		check_est(&d->elements[what[1] - '1'].pooled, f, where, false);
	} else if (strcmp(target, "overall:general") == 0) {
		check_est(&d->overall[CS_Q_OVERALL_GENERAL], f, where, true);
	} else if (strcmp(target, "overall:pooled") == 0) {
		check_est(&d->overall[CS_Q_OVERALL_POOLED], f, where, false);
	} else if (strcmp(target, "overall:mean_of_elements") == 0) {
		check_est(&d->overall[CS_Q_OVERALL_MEAN_OF_ELEMENTS], f, where, false);
	} else if (strncmp(target, "test:", 5) == 0) {
		near(d->items[item_pos(what)].weak.p_own, num(f[9]), TOL, "p below own", where);
	} else if (strncmp(target, "expect:", 7) == 0) {
		bool found = false;

		for (size_t c = 0; c < d->nchoices; c++) {
			if (d->expectations[c].choice != (size_t)(what[0] - 'p'))
				continue;
			found = true;
			assert_int_equal(d->expectations[c].n, (uint64_t)num(f[4]));
			near(d->expectations[c].share / 100, num(f[5]), TOL, "share", where);
		}
		assert_true(found);
	} else {
		fail_msg("unknown target '%s'", target);
	}
	(void)r;
}

static void test_against_r(void **state)
{
	static const struct {
		const char *design;
		enum design dz;
		enum cs_sipas_by by;
	} runs[] = {
		{"clustered", CLUSTERED, CS_SIPAS_BY_UNIT},
		{"clustered", CLUSTERED, CS_SIPAS_BY_LEVEL},
		{"clustered", CLUSTERED, CS_SIPAS_BY_CHANNEL},
		{"stratified", STRATIFIED, CS_SIPAS_BY_UNIT},
		{"srs", SRS, CS_SIPAS_BY_UNIT},
	};
	struct cs_questionnaire *q =
		make_q(CS_Q_OVERALL_MEAN_OF_ELEMENTS, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	size_t checked = 0;

	(void)state;
	load_data();
	for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++) {
		struct cs_sipas_result *r = NULL;
		struct cs_error err = {0};
		FILE *f = fopen(REF_DIR "sipas_domains_expected.csv", "r");
		char line[512], *fl[16];

		assert_non_null(f);
		if (run(runs[k].dz, runs[k].by, CS_SIPAS_NONE, q, &r, &err))
			fail_msg("%s", err.msg);
		assert_non_null(fgets(line, sizeof(line), f));
		while (fgets(line, sizeof(line), f)) {
			const struct cs_sipas_domain *d;

			assert_int_equal(split(line, fl, 16), 11);
			if (strcmp(fl[0], runs[k].design) != 0)
				continue;
			if (strcmp(fl[1], "all") == 0)
				d = cs_sipas_find(r, CS_SIPAS_BY_ALL, "all");
			else if (strcmp(fl[1], cs_sipas_by_name(runs[k].by)) == 0)
				d = cs_sipas_find(r, runs[k].by, fl[2]);
			else
				continue;
			if (!d)
				fail_msg("no domain %s/%s", fl[1], fl[2]);
			check_row(r, d, fl);
			checked++;
		}
		fclose(f);
		cs_sipas_result_free(r);
	}
	/* Every row of the file is checked once per run that covers it. */
	assert_true(checked > 600);
	cs_questionnaire_free(q);
}

/* The scope reports its subtree only, with the numbers of the full run. */
static void test_scope(void **state)
{
	struct cs_questionnaire *q =
		make_q(CS_Q_OVERALL_MEAN_OF_ELEMENTS, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	struct cs_sipas_result *all = NULL, *sub = NULL;

	(void)state;
	load_data();
	assert_int_equal(run(CLUSTERED, CS_SIPAS_BY_UNIT, CS_SIPAS_NONE, q, &all, NULL), CS_OK);
	assert_int_equal(run(CLUSTERED, CS_SIPAS_BY_UNIT, 1, q, &sub, NULL), CS_OK);
	assert_int_equal(sub->ndomains, 3);
	assert_string_equal(sub->domains[0].code, "D1");
	assert_string_equal(sub->domains[1].code, "C11");
	assert_string_equal(sub->domains[2].code, "C12");
	for (size_t i = 0; i < sub->ndomains; i++) {
		const struct cs_sipas_domain *a =
			cs_sipas_find(all, CS_SIPAS_BY_UNIT, sub->domains[i].code);
		const struct cs_sipas_domain *b = &sub->domains[i];

		assert_non_null(a);
		assert_int_equal(a->n, b->n);
		for (int o = 0; o < 3; o++) {
			near(b->overall[o].index, a->overall[o].index, 1e-9, "index", b->code);
			near(b->overall[o].se, a->overall[o].se, 1e-9, "se", b->code);
		}
		/* M3.4: D1 pools C11 and C12 and its own respondents. */
		if (strcmp(b->code, "D1") == 0) {
			uint64_t n = 0;

			for (size_t r = 0; r < nrows; r++)
				n += rows[r].unit == 1 || rows[r].unit == 3 || rows[r].unit == 4;
			assert_int_equal(b->n, n);
		}
	}
	cs_sipas_result_free(all);
	cs_sipas_result_free(sub);
	cs_questionnaire_free(q);
}

/* The headline follows the questionnaire; pooled elements feed the overall mean. */
static void test_headline_and_pooled(void **state)
{
	struct cs_questionnaire *q = make_q(CS_Q_OVERALL_POOLED, CS_Q_ELEMENT_POOLED);
	struct cs_sipas_result *r = NULL;
	const struct cs_sipas_domain *d;
	double mean;

	(void)state;
	load_data();
	assert_int_equal(run(STRATIFIED, CS_SIPAS_BY_ALL, CS_SIPAS_NONE, q, &r, NULL), CS_OK);
	assert_int_equal(r->ndomains, 1);
	d = &r->domains[0];
	assert_ptr_equal(cs_sipas_headline(r, d), &d->overall[CS_Q_OVERALL_POOLED]);
	assert_ptr_equal(cs_sipas_element_index(r, &d->elements[0]), &d->elements[0].pooled);
	mean = (d->elements[0].pooled.index + d->elements[1].pooled.index) / 2;
	near(d->overall[CS_Q_OVERALL_MEAN_OF_ELEMENTS].index, mean, 1e-9, "mean of pooled", "all");
	assert_true(d->overall[CS_Q_OVERALL_MEAN_OF_ELEMENTS].se > 0);
	cs_sipas_result_free(r);
	cs_questionnaire_free(q);
}

/* M3.7: a wave against itself changes by nothing; the interval covers 0. */
static void test_compare(void **state)
{
	struct cs_questionnaire *q =
		make_q(CS_Q_OVERALL_MEAN_OF_ELEMENTS, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	struct cs_sipas_result *a = NULL, *b = NULL;
	struct cs_sipas_change *ch = NULL;

	(void)state;
	load_data();
	assert_int_equal(run(CLUSTERED, CS_SIPAS_BY_UNIT, CS_SIPAS_NONE, q, &a, NULL), CS_OK);
	assert_int_equal(run(CLUSTERED, CS_SIPAS_BY_LEVEL, CS_SIPAS_NONE, q, &b, NULL), CS_OK);
	assert_int_equal(cs_sipas_compare(a, a, &ch, NULL), CS_OK);
	for (size_t i = 0; i < a->ndomains; i++) {
		const struct cs_sipas_est *h = cs_sipas_headline(a, &a->domains[i]);

		assert_true(ch[i].overall.has_prev);
		near(ch[i].overall.diff, 0, 1e-12, "diff", a->domains[i].code);
		near(ch[i].overall.se, sqrt(2) * h->se, 1e-9, "se", a->domains[i].code);
		assert_false(ch[i].overall.significant);
		assert_true(ch[i].items[0].has_prev);
	}
	/* Against a result by level only the whole sample matches. */
	assert_int_equal(cs_sipas_compare(a, b, &ch, NULL), CS_OK);
	assert_true(ch[0].overall.has_prev);
	for (size_t i = 1; i < a->ndomains; i++)
		assert_false(ch[i].overall.has_prev);
	/* C11 (low) against P (high): a real difference is significant. */
	{
		const struct cs_sipas_est *lo =
			cs_sipas_headline(a, cs_sipas_find(a, CS_SIPAS_BY_UNIT, "C11"));
		const struct cs_sipas_est *hi =
			cs_sipas_headline(a, cs_sipas_find(a, CS_SIPAS_BY_UNIT, "P"));

		assert_true(hi->index - lo->index > 10);
	}
	cs_sipas_result_free(a);
	cs_sipas_result_free(b);
	cs_questionnaire_free(q);
}

/* M3.7: ranks per level, ties, and a bootstrap that the seed reproduces. */
static void test_rank(void **state)
{
	struct cs_questionnaire *q =
		make_q(CS_Q_OVERALL_MEAN_OF_ELEMENTS, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	struct cs_sipas_result *r = NULL;
	struct cs_sipas_rank *k1 = NULL, *k2 = NULL, *k3 = NULL;
	struct cs_sipas_rank_opts o = {.bootstrap = 500, .seed = 42};
	size_t n1 = 0, n2 = 0, n3 = 0;

	(void)state;
	load_data();
	assert_int_equal(run(CLUSTERED, CS_SIPAS_BY_UNIT, CS_SIPAS_NONE, q, &r, NULL), CS_OK);
	assert_int_equal(cs_sipas_rank(r, &o, &k1, &n1, NULL), CS_OK);
	assert_int_equal(cs_sipas_rank(r, &o, &k2, &n2, NULL), CS_OK);
	assert_int_equal(n1, 6);
	assert_int_equal(n1, n2);
	assert_memory_equal(k1, k2, n1 * sizeof(*k1));
	/* Groups: province (P), district (D1, D2), commune (C11, C12, C21). */
	assert_int_equal(k1[0].group, 0);
	assert_string_equal(r->domains[k1[0].domain].code, "P");
	assert_int_equal(k1[0].rank, 1);
	assert_int_equal(k1[0].ranked_of, 1);
	assert_int_equal(k1[0].rank_lo, 1);
	assert_int_equal(k1[0].rank_hi, 1);
	for (size_t i = 1; i < 3; i++) {
		assert_int_equal(k1[i].group, 1);
		assert_int_equal(k1[i].ranked_of, 2);
		assert_int_equal(k1[i].rank, i);
		assert_true(k1[i].rank_lo >= 1 && k1[i].rank_lo <= k1[i].rank_hi);
		assert_true(k1[i].rank_hi <= 2);
	}
	for (size_t i = 3; i < 6; i++) {
		assert_int_equal(k1[i].group, 2);
		assert_int_equal(k1[i].rank, i - 2);
		assert_true(k1[i].value <= k1[i - 1].value || i == 3);
		assert_true(k1[i].rank_lo <= k1[i].rank && k1[i].rank <= k1[i].rank_hi + 1);
	}
	/* Another seed may move the limits, never the ranks. */
	o.seed = 7;
	assert_int_equal(cs_sipas_rank(r, &o, &k3, &n3, NULL), CS_OK);
	for (size_t i = 0; i < n1; i++)
		assert_int_equal(k1[i].rank, k3[i].rank);
	cs_free(k1);
	cs_free(k2);
	cs_free(k3);
	cs_sipas_result_free(r);
	cs_questionnaire_free(q);
}

/* M3.6: the fix-first list is sorted ascending and holds what is flagged. */
static void test_weak(void **state)
{
	struct cs_questionnaire *q =
		make_q(CS_Q_OVERALL_MEAN_OF_ELEMENTS, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	struct cs_sipas_result *r = NULL;

	(void)state;
	load_data();
	assert_int_equal(run(CLUSTERED, CS_SIPAS_BY_UNIT, CS_SIPAS_NONE, q, &r, NULL), CS_OK);
	for (size_t i = 0; i < r->ndomains; i++) {
		const struct cs_sipas_domain *d = &r->domains[i];
		size_t *list = NULL, n = 0, flagged = 0;
		double prev = -1;

		assert_int_equal(cs_sipas_weak_list(r, d, &list, &n, NULL), CS_OK);
		for (size_t k = 0; k < d->nitems; k++) {
			const struct cs_sipas_weak *w = &d->items[k].weak;

			assert_int_equal(w->below_target, d->items[k].est.index < 80);
			flagged += w->below_target || w->sig_own || w->sig_peers;
			/* Peers exist for units with siblings of their level. */
			assert_true(d->by == CS_SIPAS_BY_ALL || strcmp(d->code, "P") == 0
					    ? isnan(w->peer_average)
					    : !isnan(w->peer_average));
		}
		for (size_t j = 0; j < n; j++) {
			double v = list[j] < d->nitems
					   ? d->items[list[j]].est.index
					   : d->elements[list[j] - d->nitems].mean_of_items.index;

			assert_true(v >= prev);
			prev = v;
			flagged -= list[j] < d->nitems;
		}
		assert_int_equal(flagged, 0);
		cs_free(list);
	}
	cs_sipas_result_free(r);
	cs_questionnaire_free(q);
}

/* A hand-checkable unweighted case: 3 of 4 satisfied, Wilson interval. */
static void test_small_unweighted(void **state)
{
	struct cs_questionnaire *q =
		make_q(CS_Q_OVERALL_MEAN_OF_ELEMENTS, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	struct cs_sipas_unit one = {"U", "Đơn vị U", CS_SIPAS_NONE, CS_LEVEL_COMMUNE};
	struct cs_sipas_opts o = cs_sipas_opts_default();
	struct cs_sipas *s = NULL;
	struct cs_sipas_result *r = NULL;
	const double levels[4] = {5, 4, 2, 4};
	const struct cs_sipas_item *it;

	(void)state;
	assert_int_equal(cs_sipas_new(q, &one, 1, &o, &s, NULL), CS_OK);
	for (int i = 0; i < 4; i++) {
		struct cs_q_answer ans[NQ] = {{0}};
		struct cs_sipas_resp rp = {.unit = 0, .weight = 1, .answers = ans};

		ans[0] = (struct cs_q_answer){true, levels[i], 0};
		assert_int_equal(cs_sipas_add(s, &rp, NULL), CS_OK);
	}
	assert_int_equal(cs_sipas_finish(s, &r, NULL), CS_OK);
	cs_sipas_free(s);
	assert_int_equal(r->ndomains, 2); /* all, U */
	it = &r->domains[1].items[0];
	assert_int_equal(it->est.n, 4);
	assert_int_equal(it->satisfied, 3);
	near(it->est.index, 75, 1e-12, "index", "U");
	/* prop.test(3, 4, correct = FALSE)$conf.int */
	near(it->est.ci_lo, 100 * 0.300641842582402, 1e-9, "wilson lo", "U");
	near(it->est.ci_hi, 100 * 0.954412739190299, 1e-9, "wilson hi", "U");
	near(it->mean_score, 3.75, 1e-12, "mean score", "U");
	near(it->dissatisfied, 25, 1e-12, "dissatisfied", "U");
	assert_true(it->est.flags & CS_SIPAS_F_SMALL_N);
	/* Items nobody answered are empty and leave the element means. */
	assert_true(r->domains[1].items[1].est.flags & CS_SIPAS_F_EMPTY);
	near(r->domains[1].elements[0].mean_of_items.index, 75, 1e-12, "element", "U");
	assert_true(r->domains[1].elements[1].mean_of_items.flags & CS_SIPAS_F_EMPTY);
	near(r->domains[1].overall[CS_Q_OVERALL_MEAN_OF_ELEMENTS].index, 75, 1e-12, "overall", "U");
	assert_true(r->domains[1].overall[CS_Q_OVERALL_GENERAL].flags & CS_SIPAS_F_EMPTY);
	cs_sipas_result_free(r);
	cs_questionnaire_free(q);
}

static void test_errors(void **state)
{
	struct cs_questionnaire *q =
		make_q(CS_Q_OVERALL_MEAN_OF_ELEMENTS, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	struct cs_sipas_opts o = cs_sipas_opts_default();
	struct cs_sipas *s = NULL;
	struct cs_sipas_result *r = NULL;
	struct cs_q_answer ans[NQ] = {{0}};
	struct cs_sipas_resp rp = {.unit = 0, .weight = 1, .answers = ans};
	struct cs_sipas_unit loop[2] = {{"A", "A", 1, CS_LEVEL_COMMUNE},
					{"B", "B", 0, CS_LEVEL_COMMUNE}};
	struct cs_error err = {0};

	(void)state;
	o.scope = 9;
	assert_int_equal(cs_sipas_new(q, units, NUNITS, &o, &s, &err), CS_EINVAL);
	assert_string_equal(err.msg, "scope unit 9: out of range");
	o.scope = CS_SIPAS_NONE;
	assert_int_equal(cs_sipas_new(q, loop, 2, &o, &s, &err), CS_EINVAL);
	assert_string_equal(err.msg, "unit 'A' is its own ancestor");
	assert_int_equal(cs_sipas_new(q, units, NUNITS, &o, &s, &err), CS_OK);
	rp.weight = 0;
	assert_int_equal(cs_sipas_add(s, &rp, &err), CS_EINVAL);
	assert_string_equal(err.msg, "respondent 1: weight 0: expected a positive number");
	rp.weight = 1;
	rp.unit = 6;
	assert_int_equal(cs_sipas_add(s, &rp, &err), CS_EINVAL);
	assert_string_equal(err.msg, "respondent 1: unit index 6 out of range");
	rp.unit = 0;
	rp.fpc = 10;
	assert_int_equal(cs_sipas_add(s, &rp, &err), CS_OK);
	rp.fpc = 0;
	assert_int_equal(cs_sipas_add(s, &rp, &err), CS_EINVAL);
	assert_non_null(strstr(err.msg, "respondent 2: row 2: fpc 0"));
	cs_sipas_free(s);

	/* A single PSU under the rule "fail" names the problem at finish. */
	o.design = true;
	assert_int_equal(cs_sipas_new(q, units, NUNITS, &o, &s, &err), CS_OK);
	ans[0] = (struct cs_q_answer){true, 4, 0};
	assert_int_equal(cs_sipas_add(s, &rp, &err), CS_OK);
	assert_int_equal(cs_sipas_finish(s, &r, &err), CS_ESTATE);
	assert_null(r);
	assert_non_null(strstr(err.msg, "only one PSU"));
	assert_int_equal(cs_sipas_finish(s, &r, &err), CS_ESTATE);
	cs_sipas_free(s);
	cs_questionnaire_free(q);
}

static void test_by_names(void **state)
{
	enum cs_sipas_by by;

	(void)state;
	for (int i = 0; i < CS_SIPAS_BY_COUNT_; i++) {
		assert_true(
			cs_sipas_by_parse(cs_str_from(cs_sipas_by_name((enum cs_sipas_by)i)), &by));
		assert_int_equal(by, i);
	}
	assert_true(cs_sipas_by_parse(CS_STR("UNIT"), &by));
	assert_false(cs_sipas_by_parse(CS_STR("province"), &by));
	assert_null(cs_sipas_by_name(CS_SIPAS_BY_COUNT_));
	assert_string_equal(cs_sipas_flag_name(1), "small_n");
	assert_null(cs_sipas_flag_name(CS_SIPAS_F_COUNT_));
}

/* ---- Golden cases: tests/golden/sipas/ (README there) ---- */

#define GOLDEN_DIR CHISO_SOURCE_DIR "/tests/golden/sipas/"
#define G_MAX 64

struct golden {
	struct cs_questionnaire *q;
	struct cs_q_options o;
	char els[8][16], items[G_MAX][16], general[16], expect[16];
	char choices[8][16];
	size_t nels, nitems, nchoices, el_of[G_MAX];
	struct cs_sipas_unit units[G_MAX];
	char ucode[G_MAX][16], uname[G_MAX][16];
	size_t nunits;
	char resp[256][512]; /* the resp lines, parsed after the questionnaire */
	size_t nresp;
};

static size_t words(char *line, char **w, size_t max)
{
	size_t n = 0;

	line[strcspn(line, "#\r\n")] = '\0';
	for (char *p = line; *p && n < max;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static size_t g_item(const struct golden *g, const char *code)
{
	size_t i;

	assert_true(cs_questionnaire_find_item(g->q, code, &i));
	return i;
}

static void golden_load(const char *dir, struct golden *g)
{
	char path[512], line[512], *w[32];
	FILE *f;
	struct cs_q_info info = {.code = "golden", .title = "Golden", .version = "1"};

	memset(g, 0, sizeof(*g));
	snprintf(path, sizeof(path), "%s%s/input.txt", GOLDEN_DIR, dir);
	f = fopen(path, "r");
	assert_non_null(f);
	g->q = cs_questionnaire_new(&info, NULL);
	g->o = *cs_questionnaire_options(g->q);
	while (fgets(line, sizeof(line), f)) {
		char copy[512];
		size_t n;

		snprintf(copy, sizeof(copy), "%s", line);
		n = words(line, w, 32);
		if (!n)
			continue;
		if (strcmp(w[0], "option") == 0 && n == 3) {
			if (strcmp(w[1], "satisfied") == 0) {
				g->o.satisfied_levels = 0;
				for (char *p = w[2]; *p; p++)
					if (*p >= '1' && *p <= '5')
						g->o.satisfied_levels |=
							(uint8_t)(1u << (*p - '0'));
			} else if (strcmp(w[1], "headline") == 0) {
				assert_true(
					cs_q_overall_agg_parse(cs_str_from(w[2]), &g->o.headline));
			} else if (strcmp(w[1], "element") == 0) {
				assert_true(cs_q_element_agg_parse(cs_str_from(w[2]),
								   &g->o.element_agg));
			} else if (strcmp(w[1], "min_n") == 0) {
				g->o.min_n = (unsigned)strtoul(w[2], NULL, 10);
			} else {
				fail_msg("%s: unknown option '%s'", path, w[1]);
			}
		} else if (strcmp(w[0], "element") == 0) {
			struct cs_q_element e = {w[1], w[1], ""};

			assert_int_equal(cs_questionnaire_add_element(g->q, &e, NULL), CS_OK);
			for (size_t k = 2; k < n; k++) {
				struct cs_q_item_spec sp = {.code = w[k],
							    .element = w[1],
							    .text_vi = w[k],
							    .type = CS_Q_LIKERT5};

				assert_int_equal(cs_questionnaire_add_item(g->q, &sp, NULL), CS_OK);
			}
		} else if (strcmp(w[0], "general") == 0) {
			struct cs_q_item_spec sp = {.code = w[1],
						    .text_vi = w[1],
						    .type = CS_Q_LIKERT5,
						    .role = CS_Q_ROLE_GENERAL};

			assert_int_equal(cs_questionnaire_add_item(g->q, &sp, NULL), CS_OK);
		} else if (strcmp(w[0], "expect") == 0) {
			struct cs_q_choice ch[8];
			struct cs_q_item_spec sp = {.code = w[1],
						    .text_vi = w[1],
						    .type = CS_Q_MULTI,
						    .role = CS_Q_ROLE_EXPECTATION,
						    .choices = ch,
						    .nchoices = n - 2};

			for (size_t k = 2; k < n; k++)
				ch[k - 2] = (struct cs_q_choice){w[k], w[k], ""};
			assert_int_equal(cs_questionnaire_add_item(g->q, &sp, NULL), CS_OK);
		} else if (strcmp(w[0], "unit") == 0 && n == 4) {
			struct cs_sipas_unit *u = &g->units[g->nunits];

			snprintf(g->ucode[g->nunits], 16, "%s", w[1]);
			u->code = g->ucode[g->nunits];
			u->name = u->code;
			u->parent = CS_SIPAS_NONE;
			for (size_t k = 0; k < g->nunits; k++)
				if (strcmp(g->ucode[k], w[2]) == 0)
					u->parent = k;
			assert_true(cs_level_parse(cs_str_from(w[3]), &u->level));
			g->nunits++;
		} else if (strcmp(w[0], "resp") == 0) {
			snprintf(g->resp[g->nresp++], sizeof(g->resp[0]), "%s", copy);
		} else {
			fail_msg("%s: cannot read '%s'", path, w[0]);
		}
	}
	fclose(f);
	cs_questionnaire_set_options(g->q, &g->o);
	if (cs_questionnaire_validate(g->q, NULL))
		fail_msg("%s: the questionnaire does not validate", path);
}

static struct cs_sipas_result *golden_run(struct golden *g)
{
	struct cs_sipas_opts o = cs_sipas_opts_default();
	struct cs_sipas *s = NULL;
	struct cs_sipas_result *r = NULL;
	struct cs_error err = {0};
	size_t ni = cs_questionnaire_item_count(g->q);

	assert_int_equal(cs_sipas_new(g->q, g->units, g->nunits, &o, &s, &err), CS_OK);
	for (size_t i = 0; i < g->nresp; i++) {
		struct cs_q_answer ans[G_MAX] = {{0}};
		struct cs_sipas_resp rp = {.weight = 1, .answers = ans};
		char line[512], *w[32];
		size_t n;

		snprintf(line, sizeof(line), "%s", g->resp[i]);
		n = words(line, w, 32);
		rp.unit = CS_SIPAS_NONE;
		for (size_t u = 0; u < g->nunits; u++)
			if (strcmp(g->ucode[u], w[1]) == 0)
				rp.unit = u;
		assert_true(rp.unit != CS_SIPAS_NONE);
		for (size_t k = 2; k < n; k++) {
			char *eq = strchr(w[k], '=');
			size_t it;

			assert_non_null(eq);
			*eq = '\0';
			if (strcmp(w[k], "w") == 0) {
				rp.weight = strtod(eq + 1, NULL);
				continue;
			}
			it = g_item(g, w[k]);
			assert_true(it < ni);
			if (strcmp(eq + 1, "-") == 0)
				continue;
			assert_int_equal(cs_questionnaire_parse_answer(
						 g->q, it, cs_str_from(eq + 1), &ans[it], NULL),
					 CS_OK);
		}
		assert_int_equal(cs_sipas_add(s, &rp, &err), CS_OK);
	}
	if (cs_sipas_finish(s, &r, &err))
		fail_msg("%s", err.msg);
	cs_sipas_free(s);
	return r;
}

static unsigned flag_bits(const char *list)
{
	unsigned f = 0;

	if (strcmp(list, "-") == 0)
		return 0;
	for (unsigned b = 0; b < CS_SIPAS_F_COUNT_; b++)
		if (strstr(list, cs_sipas_flag_name(b)))
			f |= 1u << b;
	return f;
}

/* Checks key=value pairs against an estimate (and item extras when it is one). */
static void golden_est(const struct cs_sipas_est *e, const struct cs_sipas_item *it, char **w,
		       size_t n, const char *where)
{
	for (size_t k = 4; k < n; k++) {
		char *eq = strchr(w[k], '=');
		const char *key = w[k];

		assert_non_null(eq);
		*eq = '\0';
		if (strcmp(key, "index") == 0)
			near(e->index, strtod(eq + 1, NULL), 1e-9, key, where);
		else if (strcmp(key, "n") == 0)
			assert_int_equal(e->n, strtoull(eq + 1, NULL, 10));
		else if (strcmp(key, "ci_lo") == 0)
			near(e->ci_lo, strtod(eq + 1, NULL), 1e-9, key, where);
		else if (strcmp(key, "ci_hi") == 0)
			near(e->ci_hi, strtod(eq + 1, NULL), 1e-9, key, where);
		else if (strcmp(key, "flags") == 0)
			assert_int_equal(e->flags, flag_bits(eq + 1));
		else if (it && strcmp(key, "satisfied") == 0)
			assert_int_equal(it->satisfied, strtoull(eq + 1, NULL, 10));
		else if (it && strcmp(key, "mean_score") == 0)
			near(it->mean_score, strtod(eq + 1, NULL), 1e-9, key, where);
		else if (it && strcmp(key, "dissatisfied") == 0)
			near(it->dissatisfied, strtod(eq + 1, NULL), 1e-9, key, where);
		else
			fail_msg("%s: unknown key '%s'", where, key);
	}
}

static void golden_case(const char *dir)
{
	struct golden g;
	struct cs_sipas_result *r;
	struct cs_sipas_rank *ranks = NULL;
	struct cs_sipas_rank_opts ro = {0};
	size_t nranks = 0, checked = 0;
	char path[512], line[512], *w[32];
	FILE *f;

	golden_load(dir, &g);
	r = golden_run(&g);
	assert_int_equal(cs_sipas_rank(r, &ro, &ranks, &nranks, NULL), CS_OK);
	snprintf(path, sizeof(path), "%s%s/expected.txt", GOLDEN_DIR, dir);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		size_t n = words(line, w, 32);
		const struct cs_sipas_domain *d;
		char where[128];

		if (!n)
			continue;
		assert_true(n >= 4);
		snprintf(where, sizeof(where), "%s: %s %s %s %s", dir, w[0], w[1], w[2], w[3]);
		d = cs_sipas_find(r, strcmp(w[0], "all") == 0 ? CS_SIPAS_BY_ALL : CS_SIPAS_BY_UNIT,
				  w[1]);
		if (!d)
			fail_msg("%s: no such domain", where);
		checked++;
		if (strcmp(w[2], "item") == 0) {
			size_t it = g_item(&g, w[3]);
			const struct cs_sipas_item *x = NULL;

			for (size_t k = 0; k < d->nitems; k++)
				if (d->items[k].item == it)
					x = &d->items[k];
			assert_non_null(x);
			golden_est(&x->est, x, w, n, where);
		} else if (strcmp(w[2], "element") == 0) {
			size_t e;

			assert_true(cs_questionnaire_find_element(g.q, w[3], &e));
			for (size_t k = 4; k < n; k++) {
				char *eq = strchr(w[k], '=');

				*eq = '\0';
				near(strcmp(w[k], "pooled") == 0
					     ? d->elements[e].pooled.index
					     : d->elements[e].mean_of_items.index,
				     strtod(eq + 1, NULL), 1e-9, w[k], where);
			}
		} else if (strcmp(w[2], "overall") == 0) {
			enum cs_q_overall_agg a;
			const struct cs_sipas_est *e;

			if (strcmp(w[3], "headline") == 0)
				e = cs_sipas_headline(r, d);
			else if (cs_q_overall_agg_parse(cs_str_from(w[3]), &a))
				e = &d->overall[a];
			else
				fail_msg("%s: unknown overall index", where);
			golden_est(e, NULL, w, n, where);
		} else if (strcmp(w[2], "expect") == 0) {
			char *colon = strchr(w[3], ':');
			double share = NAN;
			size_t cn = 0, pos = 0;

			*colon = '\0';
			for (size_t k = 4; k < n; k++) {
				char *eq = strchr(w[k], '=');

				*eq = '\0';
				if (strcmp(w[k], "share") == 0)
					share = strtod(eq + 1, NULL);
				else if (strcmp(w[k], "n") == 0)
					cn = strtoull(eq + 1, NULL, 10);
				else
					pos = strtoull(eq + 1, NULL, 10);
			}
			assert_true(pos < d->nchoices);
			assert_int_equal(d->expectations[pos].item, g_item(&g, w[3]));
			assert_string_equal(cs_questionnaire_item(g.q, d->expectations[pos].item)
						    ->choices[d->expectations[pos].choice]
						    .value,
					    colon + 1);
			near(d->expectations[pos].share, share, 1e-9, "share", where);
			assert_int_equal(d->expectations[pos].n, cn);
		} else if (strcmp(w[2], "rank") == 0) {
			const struct cs_sipas_rank *k = NULL;

			for (size_t i = 0; i < nranks; i++)
				if (&r->domains[ranks[i].domain] == d)
					k = &ranks[i];
			assert_non_null(k);
			for (size_t j = 4; j < n; j++) {
				char *eq = strchr(w[j], '=');

				*eq = '\0';
				assert_int_equal(strcmp(w[j], "rank") == 0 ? k->rank : k->ranked_of,
						 strtoull(eq + 1, NULL, 10));
			}
		} else {
			fail_msg("%s: unknown line", where);
		}
	}
	fclose(f);
	assert_true(checked > 0);
	cs_free(ranks);
	cs_sipas_result_free(r);
	cs_questionnaire_free(g.q);
}

static void test_golden(void **state)
{
	static const char *const cases[] = {"rollup_pools",	  "element_mean_vs_pooled",
					    "overall_variants",	  "satisfied_levels",
					    "blanks_not_valid",	  "small_n_unranked",
					    "expectations_order", "wilson_unweighted"};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		golden_case(cases[i]);
}

/* Every allocation of an estimation may fail: CS_ENOMEM and no leak. */
/* Two estimates agree: exactly, or to tol. */
static void same_est(const struct cs_sipas_est *a, const struct cs_sipas_est *b, double tol)
{
	const double x[] = {a->index, a->se, a->ci_lo, a->ci_hi, a->df, a->wsum};
	const double y[] = {b->index, b->se, b->ci_lo, b->ci_hi, b->df, b->wsum};

	for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
		if (isnan(x[i]) && isnan(y[i]))
			continue;
		if (tol == 0 ? x[i] != y[i] : !(fabs(x[i] - y[i]) <= tol))
			fail_msg("value %zu: %.17g and %.17g", i, x[i], y[i]);
	}
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->flags, b->flags);
}

static void same_result(const struct cs_sipas_result *a, const struct cs_sipas_result *b,
			double tol)
{
	assert_int_equal(a->ndomains, b->ndomains);
	assert_int_equal(a->respondents, b->respondents);
	for (size_t i = 0; i < a->ndomains; i++) {
		const struct cs_sipas_domain *x = &a->domains[i], *y = &b->domains[i];

		assert_string_equal(x->code, y->code);
		assert_int_equal(x->n, y->n);
		for (int o = 0; o < 3; o++)
			same_est(&x->overall[o], &y->overall[o], tol);
		for (size_t e = 0; e < x->nelements; e++) {
			same_est(&x->elements[e].mean_of_items, &y->elements[e].mean_of_items, tol);
			same_est(&x->elements[e].pooled, &y->elements[e].pooled, tol);
		}
		for (size_t k = 0; k < x->nitems; k++)
			same_est(&x->items[k].est, &y->items[k].est, tol);
	}
}

/*
 * Respondents placed in order and accumulated in lanes give the estimates of
 * cs_sipas_add: the same bits when each unit stays in one lane (by unit),
 * and the same to rounding when the lanes' sums are merged.
 */
static void test_lanes(void **state)
{
	struct cs_questionnaire *q =
		make_q(CS_Q_OVERALL_MEAN_OF_ELEMENTS, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	const enum cs_sipas_by bys[] = {CS_SIPAS_BY_UNIT, CS_SIPAS_BY_ALL, CS_SIPAS_BY_LEVEL,
					CS_SIPAS_BY_CHANNEL};
	struct cs_sipas_opts o = cs_sipas_opts_default();
	struct cs_sipas *s = NULL;
	struct cs_sipas_placed pl;
	struct cs_error err;

	(void)state;
	load_data();
	for (enum design dz = CLUSTERED; dz <= STRATIFIED; dz++) {
		for (size_t b = 0; b < sizeof(bys) / sizeof(bys[0]); b++) {
			struct cs_sipas_result *one = NULL, *byunit = NULL, *byrow = NULL;

			assert_int_equal(
				run_fed(dz, bys[b], CS_SIPAS_NONE, q, FEED_ADD, &one, NULL), CS_OK);
			assert_int_equal(run_fed(dz, bys[b], CS_SIPAS_NONE, q, FEED_LANE_BY_UNIT,
						 &byunit, NULL),
					 CS_OK);
			assert_int_equal(run_fed(dz, bys[b], CS_SIPAS_NONE, q, FEED_LANE_BY_ROW,
						 &byrow, NULL),
					 CS_OK);
			same_result(one, byunit, bys[b] == CS_SIPAS_BY_UNIT ? 0 : 1e-9);
			same_result(one, byrow, 1e-9);
			cs_sipas_result_free(one);
			cs_sipas_result_free(byunit);
			cs_sipas_result_free(byrow);
		}
	}
	/* A lane out of range. */
	assert_int_equal(cs_sipas_new(q, units, NUNITS, &o, &s, NULL), CS_OK);
	{
		struct cs_sipas_resp rp = {.unit = 1, .weight = 1, .answers = rows[0].ans};

		assert_int_equal(cs_sipas_place(s, &rp, &pl, NULL), CS_OK);
		assert_int_equal(pl.row, 1);
		assert_int_equal(cs_sipas_add_placed(s, CS_SIPAS_LANES, &rp, &pl, &err), CS_EINVAL);
		assert_string_equal(err.msg, "lane 2: expected below 2");
	}
	cs_sipas_free(s);
	cs_questionnaire_free(q);
}

static void test_alloc_failures(void **state)
{
	struct cs_questionnaire *q =
		make_q(CS_Q_OVERALL_MEAN_OF_ELEMENTS, CS_Q_ELEMENT_MEAN_OF_ITEMS);
	enum cs_err rc = CS_ENOMEM;
	long budget;

	(void)state;
	load_data();
	nrows = 60; /* enough to reach every domain */
	for (budget = 0; rc == CS_ENOMEM && budget < 100000; budget++) {
		struct cs_sipas_result *r = NULL;
		struct cs_sipas_rank *k = NULL;
		struct cs_sipas_change *ch = NULL;
		struct cs_sipas_rank_opts o = {.bootstrap = 3, .seed = 1};
		size_t n = 0;

		cs_alloc_fail_after(budget);
		rc = run(CLUSTERED, CS_SIPAS_BY_UNIT, CS_SIPAS_NONE, q, &r, NULL);
		if (!rc) {
			cs_sipas_result_free(r);
			r = NULL;
			rc = run_fed(STRATIFIED, CS_SIPAS_BY_CHANNEL, CS_SIPAS_NONE, q,
				     FEED_LANE_BY_ROW, &r, NULL);
		}
		if (!rc)
			rc = cs_sipas_compare(r, r, &ch, NULL);
		if (!rc)
			rc = cs_sipas_rank(r, &o, &k, &n, NULL);
		cs_alloc_fail_after(-1);
		if (rc)
			assert_int_equal(rc, CS_ENOMEM);
		cs_free(k);
		cs_sipas_result_free(r);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(budget > 10);
	cs_questionnaire_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_against_r, restore_allocator),
		cmocka_unit_test_teardown(test_scope, restore_allocator),
		cmocka_unit_test_teardown(test_headline_and_pooled, restore_allocator),
		cmocka_unit_test_teardown(test_compare, restore_allocator),
		cmocka_unit_test_teardown(test_rank, restore_allocator),
		cmocka_unit_test_teardown(test_weak, restore_allocator),
		cmocka_unit_test_teardown(test_small_unweighted, restore_allocator),
		cmocka_unit_test_teardown(test_errors, restore_allocator),
		cmocka_unit_test_teardown(test_by_names, restore_allocator),
		cmocka_unit_test_teardown(test_golden, restore_allocator),
		cmocka_unit_test_teardown(test_lanes, restore_allocator),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
