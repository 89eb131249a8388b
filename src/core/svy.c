/*
 * Design-based domain means with Taylor-linearised variances (METHODOLOGY
 * M3.5), computed as R's survey package computes svymean on a subset() of a
 * svydesign: one pass over the respondents, sums kept per PSU or per stratum.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/svy.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/vec.h"

#include "util/banned.h"

#define ID_MAX 4096
#define INDEX_MAX (UINT32_MAX - 1)
#define NVARS_MAX 256
#define NO_PSU UINT32_MAX
#define NO_GROUP SIZE_MAX

/* R's onestrat treats a stratum whose fpc leaves less than this unsampled as a census. */
#define CENSUS_F 1e-7

/*
 * An open-addressing table from keys to indices into a vector that holds the
 * keys. Slots store index + 1 (0 is empty) and the key's hash, so growing
 * never re-hashes a key and most mismatches are decided without comparing.
 */
struct slot {
	uint32_t idx1;
	uint32_t hash;
};

struct itab {
	struct slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t len;
};

typedef bool itab_eq_fn(const void *ctx, uint32_t idx, const void *key);

static void itab_release(struct itab *t)
{
	cs_free(t->slots);
	t->slots = NULL;
	t->cap = 0;
	t->len = 0;
}

/* The slot holding key, or the empty slot where it would go; NULL when cap is 0. */
static struct slot *itab_find(const struct itab *t, uint32_t hash, itab_eq_fn *eq, const void *ctx,
			      const void *key)
{
	size_t mask = t->cap - 1;

	if (!t->cap)
		return NULL;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		struct slot *s = &t->slots[i];

		if (!s->idx1 || (s->hash == hash && eq(ctx, s->idx1 - 1, key)))
			return s;
	}
}

/* Makes room for one more entry, keeping the load at most one half. */
static enum cs_err itab_reserve(struct itab *t, struct cs_error *err)
{
	size_t ncap = t->cap ? t->cap * 2 : 16;
	struct slot *ns;

	if ((t->len + 1) * 2 <= t->cap)
		return CS_OK;
	ns = cs_calloc(ncap, sizeof(*ns));
	if (!ns)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->slots[i].idx1)
			continue;
		for (j = t->slots[i].hash & (ncap - 1); ns[j].idx1; j = (j + 1) & (ncap - 1))
			;
		ns[j] = t->slots[i];
	}
	cs_free(t->slots);
	t->slots = ns;
	t->cap = ncap;
	return CS_OK;
}

static uint32_t hash_bytes(uint64_t h, const char *p, size_t len)
{
	/* FNV-1a, folded to 32 bits. */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return (uint32_t)(h ^ (h >> 32));
}

#define FNV_BASIS 0xcbf29ce484222325ULL

/* ---- The design ---- */

struct stratum {
	const char *name; /* owned by the design's arena */
	size_t len;
	double fpc;    /* as given; 0 for none */
	uint64_t npsu; /* PSUs sampled (respondents when unclustered) */
	double f;      /* 1 - sampling fraction, once finished */
};

struct psu {
	const char *name; /* owned by the design's arena */
	size_t len;
	uint32_t stratum;
};

struct psu_key {
	uint32_t stratum;
	struct cs_str name;
};

struct cs_svy_design {
	struct cs_svy_design_opts opts;
	struct cs_arena arena;
	struct cs_vec strata; /* of struct stratum */
	struct cs_vec psus;   /* of struct psu; empty when unclustered */
	struct itab strata_tab, psu_tab;
	size_t rows;
	bool has_fpc; /* decided by the first respondent */
	bool finished;
};

static bool stratum_eq(const void *ctx, uint32_t idx, const void *key)
{
	const struct stratum *st = cs_vec_at(ctx, idx);
	const struct cs_str *name = key;

	return st->len == name->len && memcmp(st->name, name->ptr, name->len) == 0;
}

static bool psu_eq(const void *ctx, uint32_t idx, const void *key)
{
	const struct psu *p = cs_vec_at(ctx, idx);
	const struct psu_key *k = key;

	return p->stratum == k->stratum && p->len == k->name.len &&
	       memcmp(p->name, k->name.ptr, k->name.len) == 0;
}

static const struct stratum *stratum_at(const struct cs_svy_design *d, size_t i)
{
	return cs_vec_at(&d->strata, i);
}

enum cs_err cs_svy_design_new(const struct cs_svy_design_opts *opts, struct cs_svy_design **out,
			      struct cs_error *err)
{
	struct cs_svy_design *d;

	*out = NULL;
	if ((unsigned)opts->lonely >= CS_SVY_LONELY_COUNT_)
		return cs_fail(err, CS_EINVAL, "lonely-PSU rule %d: out of range",
			       (int)opts->lonely);
	d = cs_calloc(1, sizeof(*d));
	if (!d)
		return cs_fail(err, CS_ENOMEM, NULL);
	d->opts = *opts;
	cs_arena_init(&d->arena, 0);
	cs_vec_init(&d->strata, sizeof(struct stratum), INDEX_MAX);
	cs_vec_init(&d->psus, sizeof(struct psu), INDEX_MAX);
	*out = d;
	return CS_OK;
}

void cs_svy_design_free(struct cs_svy_design *d)
{
	if (!d)
		return;
	itab_release(&d->strata_tab);
	itab_release(&d->psu_tab);
	cs_vec_release(&d->strata);
	cs_vec_release(&d->psus);
	cs_arena_release(&d->arena);
	cs_free(d);
}

size_t cs_svy_design_strata(const struct cs_svy_design *d)
{
	return d->strata.len;
}

size_t cs_svy_design_psus(const struct cs_svy_design *d)
{
	return d->opts.clustered ? d->psus.len : d->rows;
}

size_t cs_svy_design_rows(const struct cs_svy_design *d)
{
	return d->rows;
}

static int id_len(struct cs_str s)
{
	return (int)(s.len > 64 ? 64 : s.len);
}

static enum cs_err check_row(const struct cs_svy_design *d, struct cs_str stratum,
			     struct cs_str psu, double fpc, struct cs_error *err)
{
	size_t row = d->rows + 1;

	if (d->finished)
		return cs_fail(err, CS_ESTATE,
			       "row %zu: the survey design is finished; no respondent can be added",
			       row);
	if (stratum.len > ID_MAX || (d->opts.clustered && psu.len > ID_MAX))
		return cs_fail(err, CS_ETOOBIG, "row %zu: stratum or PSU id longer than %d bytes",
			       row, ID_MAX);
	if (!(fpc >= 0))
		return cs_fail(err, CS_EINVAL,
			       "row %zu: fpc %g: expected a population size, a sampling fraction "
			       "or 0 for none",
			       row, fpc);
	if (d->rows && (fpc > 0) != d->has_fpc)
		return cs_fail(err, CS_EINVAL,
			       "row %zu: fpc %g: the design's first respondent %s an fpc; give it "
			       "for every respondent or for none",
			       row, fpc, d->has_fpc ? "has" : "has no");
	return CS_OK;
}

enum cs_err cs_svy_design_add(struct cs_svy_design *d, struct cs_str stratum, struct cs_str psu,
			      double fpc, struct cs_svy_ref *ref, struct cs_error *err)
{
	uint32_t sh = hash_bytes(FNV_BASIS, stratum.ptr, stratum.len), ph = 0;
	struct slot *ss = NULL, *ps = NULL;
	struct psu_key pkey;
	uint32_t si, pi = NO_PSU;
	char *sname = NULL, *pname = NULL;
	enum cs_err rc = check_row(d, stratum, psu, fpc, err);

	if (rc)
		return rc;
	/* Everything that can fail comes first, so that a failure leaves the
	 * design as it was (the arena may keep a few unused bytes). */
	ss = itab_find(&d->strata_tab, sh, stratum_eq, &d->strata, &stratum);
	if (ss && ss->idx1) {
		const struct stratum *st = stratum_at(d, ss->idx1 - 1);

		si = ss->idx1 - 1;
		if (st->fpc != fpc)
			return cs_fail(err, CS_EINVAL,
				       "row %zu: fpc %g for stratum '%.*s' differs from %g given "
				       "before; expected one fpc per stratum",
				       d->rows + 1, fpc, id_len(stratum), stratum.ptr, st->fpc);
	} else {
		si = (uint32_t)d->strata.len;
		sname = cs_arena_strndup(&d->arena, stratum.ptr ? stratum.ptr : "", stratum.len);
		if (!sname)
			return cs_fail(err, CS_ENOMEM, NULL);
		rc = cs_vec_reserve(&d->strata, d->strata.len + 1, err);
		if (!rc)
			rc = itab_reserve(&d->strata_tab, err);
		if (rc)
			return rc;
	}
	if (d->opts.clustered) {
		pkey.stratum = si;
		pkey.name = psu;
		ph = hash_bytes(FNV_BASIS ^ ((uint64_t)si * 0x9e3779b97f4a7c15ULL), psu.ptr,
				psu.len);
		ps = itab_find(&d->psu_tab, ph, psu_eq, &d->psus, &pkey);
		if (ps && ps->idx1) {
			pi = ps->idx1 - 1;
		} else {
			pname = cs_arena_strndup(&d->arena, psu.ptr ? psu.ptr : "", psu.len);
			if (!pname)
				return cs_fail(err, CS_ENOMEM, NULL);
			rc = cs_vec_reserve(&d->psus, d->psus.len + 1, err);
			if (!rc)
				rc = itab_reserve(&d->psu_tab, err);
			if (rc)
				return rc;
		}
	}

	if (sname) {
		struct stratum st = {.name = sname, .len = stratum.len, .fpc = fpc};

		cs_vec_push(&d->strata, &st, NULL);
		ss = itab_find(&d->strata_tab, sh, stratum_eq, &d->strata, &stratum);
		*ss = (struct slot){si + 1, sh};
		d->strata_tab.len++;
	}
	if (pname) {
		struct psu p = {.name = pname, .len = psu.len, .stratum = si};

		pi = (uint32_t)d->psus.len;
		cs_vec_push(&d->psus, &p, NULL);
		ps = itab_find(&d->psu_tab, ph, psu_eq, &d->psus, &pkey);
		*ps = (struct slot){pi + 1, ph};
		d->psu_tab.len++;
	}
	if (pname || !d->opts.clustered)
		((struct stratum *)cs_vec_at(&d->strata, si))->npsu++;
	if (!d->rows)
		d->has_fpc = fpc > 0;
	d->rows++;
	ref->stratum = si;
	ref->psu = pi;
	return CS_OK;
}

enum cs_err cs_svy_design_finish(struct cs_svy_design *d, struct cs_error *err)
{
	const struct stratum *big = NULL, *small = NULL;

	if (d->finished)
		return CS_OK;
	for (size_t h = 0; h < d->strata.len; h++) {
		struct stratum *st = cs_vec_at(&d->strata, h);

		st->f = 1;
		if (st->fpc > 1 && !big)
			big = st;
		if (st->fpc > 0 && st->fpc < 1 && !small)
			small = st;
	}
	if (d->has_fpc) {
		/* R's as.fpc: all values >= 1 with one > 1 are population sizes,
		 * all <= 1 are sampling fractions; anything else is refused. */
		if (big && small)
			return cs_fail(err, CS_EINVAL,
				       "fpc %g in stratum '%.*s' is a population size but %g in "
				       "stratum '%.*s' is a sampling fraction; expected one kind",
				       big->fpc, id_len(cs_str_make(big->name, big->len)),
				       big->name, small->fpc,
				       id_len(cs_str_make(small->name, small->len)), small->name);
		if (!big && !small)
			return cs_fail(err, CS_EINVAL,
				       "every fpc is 1: ambiguous between population sizes and "
				       "sampling fractions; expected sizes > 1 or fractions < 1");
		for (size_t h = 0; h < d->strata.len; h++) {
			struct stratum *st = cs_vec_at(&d->strata, h);
			double n = (double)st->npsu;
			double popsize = big ? st->fpc : n / st->fpc;

			if (popsize < n)
				return cs_fail(err, CS_EINVAL,
					       "stratum '%.*s': fpc %g means %g PSUs in the "
					       "population but %g are sampled",
					       id_len(cs_str_make(st->name, st->len)), st->name,
					       st->fpc, popsize, n);
			st->f = isinf(popsize) ? 1 : (popsize - n) / popsize;
		}
	}
	d->finished = true;
	return CS_OK;
}

static const char *const lonely_names[] = {"fail", "certainty", "remove", "adjust", "average"};

const char *cs_svy_lonely_name(enum cs_svy_lonely rule)
{
	return (unsigned)rule < CS_SVY_LONELY_COUNT_ ? lonely_names[rule] : NULL;
}

bool cs_svy_lonely_parse(struct cs_str s, enum cs_svy_lonely *out)
{
	for (int i = 0; i < CS_SVY_LONELY_COUNT_; i++) {
		if (cs_str_eq_nocase(s, lonely_names[i])) {
			*out = (enum cs_svy_lonely)i;
			return true;
		}
	}
	return false;
}

/* ---- The estimator ---- */

/*
 * One entry per PSU the domain reaches (clustered) or per stratum
 * (unclustered), stride doubles each. With K variables, a = w y and b = w for
 * a valid answer and 0 otherwise:
 *   clustered:   nany, A[K] = sum a, B[K] = sum b
 *   unclustered: nany, A[K], B[K], N[K] (valid answers), then the cross sums
 *                of a_k a_l, a_k b_l and b_k b_l over respondents, from which
 *                the sum of squared linearised values is recovered once the
 *                means are known. a_k a_l and b_k b_l are symmetric and kept
 *                for k <= l only. A "uniform" respondent, whose variables are
 *                all valid with one and the same weight b0 (the usual case:
 *                every item answered), adds b0 to every b_l, so its a_k b_l
 *                and b_k b_l terms are kept as the row sums UA[k] = sum a_k b0
 *                and UB = sum b0^2 rather than K x K updates; reading
 *                AB(k, l) and BB(k, l) adds them back.
 * A "binary" respondent is uniform with every valid value 0 or 1 (the
 * satisfied indicators of M3.2). With s_k = 1 for a valid 1 and m_k = 1 for an
 * invalid answer, t_k = 1 - s_k, its terms are b0^2 times
 *   a_k a_l = 1 - t_k - t_l + t_k t_l,
 *   a_k b_l = 1 - t_k - m_l + t_k m_l,
 *   b_k b_l = 1 - m_k - m_l + m_k m_l,
 * so it adds b0^2 to CU, to CT[k] for each k with t_k and to CM[k] for each
 * invalid k, and to the pair sums TT (t with t, k <= l), TM (t with m) and MM
 * (m with m, k <= l) only for its unsatisfied and missing answers: a handful
 * of updates instead of K^2 when most answers are satisfied.
 * nany counts respondents with at least one valid answer; with groups of
 * variables (cs_svy_est_set_groups), GANY[g] after the other sums counts
 * those with a valid answer in group g.
 */
struct cs_svy_est {
	const struct cs_svy_design *d;
	size_t nvars;
	size_t stride;
	struct cs_vec keys;    /* of uint32_t: PSU index or stratum index, per entry */
	struct cs_vec entries; /* of stride doubles */
	struct itab tab;       /* key -> entry */
	double *n;	       /* per variable: valid answers */
	double *wy2;	       /* per variable: sum of w y^2 over valid answers */
	double nany, wany;     /* respondents with a valid answer, their weight */
	size_t ngroups;
	uint8_t *group;	 /* per variable: its group, or CS_SVY_NO_GROUP */
	double *gn, *gw; /* per group: respondents with a valid answer in it, their weight */
	size_t gany;	 /* offset of GANY in an entry */
	size_t last1;	 /* the entry of the last respondent, + 1; 0 for none */

	/* cs_svy_est_prepare: P and W per variable (the means and weight sums),
	 * and per entry the PSU or stratum totals of each variable's linearised
	 * value, followed (unclustered) by the K x K matrix of the sums of their
	 * products. Valid until the next add or merge. */
	bool prepared;
	double *pP, *pW, *prep;
	size_t pstride;
};

#define E_NANY 0
#define E_A(e, k) (1 + (k))
#define E_B(e, k) (1 + (e)->nvars + (k))
#define E_N(e, k) (1 + 2 * (e)->nvars + (k))
#define E_UB(e) (1 + 3 * (e)->nvars)
#define E_UA(e, k) (2 + 3 * (e)->nvars + (k))
/* Row k of a triangle stored for l >= k; element l of the row is at row + l - k. */
#define E_TRI_ROW(e, k) ((k) * (e)->nvars - (k) * ((k)-1) / 2)
#define E_TRI(e) ((e)->nvars * ((e)->nvars + 1) / 2)
#define E_AA_ROW(e, k) (2 + 4 * (e)->nvars + E_TRI_ROW(e, k))
#define E_BB_ROW(e, k) (2 + 4 * (e)->nvars + E_TRI(e) + E_TRI_ROW(e, k))
#define E_AB(e, k, l) (2 + 4 * (e)->nvars + 2 * E_TRI(e) + (k) * (e)->nvars + (l))
/* The binary respondents' sums follow the dense ones. */
#define E_BIN(e) (2 + 4 * (e)->nvars + 2 * E_TRI(e) + (e)->nvars * (e)->nvars)
#define E_CU(e) E_BIN(e)
#define E_CT(e, k) (E_BIN(e) + 1 + (k))
#define E_CM(e, k) (E_BIN(e) + 1 + (e)->nvars + (k))
#define E_TT_ROW(e, k) (E_BIN(e) + 1 + 2 * (e)->nvars + E_TRI_ROW(e, k))
#define E_MM_ROW(e, k) (E_BIN(e) + 1 + 2 * (e)->nvars + E_TRI(e) + E_TRI_ROW(e, k))
/* Row m: the t_k m_m sums of the respondents missing variable m, for every k. */
#define E_MT(e, m, k) (E_BIN(e) + 1 + 2 * (e)->nvars + 2 * E_TRI(e) + (m) * (e)->nvars + (k))
#define E_UNCLUSTERED_STRIDE(K) \
	(2 + 4 * (K) + (K) * ((K) + 1) + (K) * (K) + 1 + 2 * (K) + (K) * ((K) + 1) + (K) * (K))

/* Element (k, l) of a symmetric matrix stored as the triangle l >= k from base. */
static double tri(const struct cs_svy_est *e, const double *v, size_t base, size_t k, size_t l)
{
	return k <= l ? v[base + E_TRI_ROW(e, k) + l - k] : v[base + E_TRI_ROW(e, l) + k - l];
}

/* The cross sums of an unclustered entry v, for any k and l. */
static double cross_aa(const struct cs_svy_est *e, const double *v, size_t k, size_t l)
{
	return tri(e, v, E_AA_ROW(e, 0), k, l) +
	       (v[E_CU(e)] - v[E_CT(e, k)] - v[E_CT(e, l)] + tri(e, v, E_TT_ROW(e, 0), k, l));
}

static double cross_ab(const struct cs_svy_est *e, const double *v, size_t k, size_t l)
{
	return v[E_AB(e, k, l)] + v[E_UA(e, k)] +
	       (v[E_CU(e)] - v[E_CT(e, k)] - v[E_CM(e, l)] + v[E_MT(e, l, k)]);
}

static double cross_bb(const struct cs_svy_est *e, const double *v, size_t k, size_t l)
{
	return tri(e, v, E_BB_ROW(e, 0), k, l) + v[E_UB(e)] +
	       (v[E_CU(e)] - v[E_CM(e, k)] - v[E_CM(e, l)] + tri(e, v, E_MM_ROW(e, 0), k, l));
}

static bool key_eq(const void *ctx, uint32_t idx, const void *key)
{
	return *(const uint32_t *)cs_vec_at(ctx, idx) == *(const uint32_t *)key;
}

static uint32_t hash_u32(uint32_t x)
{
	/* A multiplicative mix; the table masks the low bits. */
	uint64_t h = (uint64_t)x * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(h >> 32);
}

enum cs_err cs_svy_est_new(const struct cs_svy_design *d, size_t nvars, struct cs_svy_est **out,
			   struct cs_error *err)
{
	struct cs_svy_est *e;
	size_t stride;

	*out = NULL;
	if (nvars < 1 || nvars > NVARS_MAX)
		return cs_fail(err, CS_EINVAL, "%zu variables: expected 1 to %d", nvars, NVARS_MAX);
	stride = d->opts.clustered ? 1 + 2 * nvars : E_UNCLUSTERED_STRIDE(nvars);
	e = cs_calloc(1, sizeof(*e));
	if (!e)
		return cs_fail(err, CS_ENOMEM, NULL);
	e->d = d;
	e->nvars = nvars;
	e->stride = stride;
	cs_vec_init(&e->keys, sizeof(uint32_t), INDEX_MAX);
	cs_vec_init(&e->entries, stride * sizeof(double), INDEX_MAX);
	e->n = cs_calloc(nvars, sizeof(double));
	e->wy2 = cs_calloc(nvars, sizeof(double));
	if (!e->n || !e->wy2) {
		cs_svy_est_free(e);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	*out = e;
	return CS_OK;
}

void cs_svy_est_free(struct cs_svy_est *e)
{
	if (!e)
		return;
	itab_release(&e->tab);
	cs_vec_release(&e->keys);
	cs_vec_release(&e->entries);
	cs_free(e->n);
	cs_free(e->wy2);
	cs_free(e->group);
	cs_free(e->gn);
	cs_free(e->gw);
	cs_free(e->pP);
	cs_free(e->pW);
	cs_free(e->prep);
	cs_free(e);
}

enum cs_err cs_svy_est_set_groups(struct cs_svy_est *e, size_t ngroups, const uint8_t *group,
				  struct cs_error *err)
{
	uint8_t *g;
	double *gn, *gw;

	if (e->keys.len || e->ngroups)
		return cs_fail(err, CS_ESTATE,
			       "groups of variables are set once, before the first respondent");
	if (ngroups < 1 || ngroups > CS_SVY_NO_GROUP)
		return cs_fail(err, CS_EINVAL, "%zu groups: expected 1 to %d", ngroups,
			       CS_SVY_NO_GROUP);
	for (size_t k = 0; k < e->nvars; k++)
		if (group[k] >= ngroups && group[k] != CS_SVY_NO_GROUP)
			return cs_fail(err, CS_EINVAL,
				       "group %u of variable %zu: expected below %zu or none",
				       (unsigned)group[k], k + 1, ngroups);
	g = cs_malloc(e->nvars);
	gn = cs_calloc(ngroups, sizeof(double));
	gw = cs_calloc(ngroups, sizeof(double));
	if (!g || !gn || !gw) {
		cs_free(g);
		cs_free(gn);
		cs_free(gw);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	memcpy(g, group, e->nvars);
	e->group = g;
	e->gn = gn;
	e->gw = gw;
	e->ngroups = ngroups;
	e->gany = e->stride;
	e->stride += ngroups;
	cs_vec_release(&e->entries);
	cs_vec_init(&e->entries, e->stride * sizeof(double), INDEX_MAX);
	return CS_OK;
}

static enum cs_err check_ref(const struct cs_svy_est *e, struct cs_svy_ref ref,
			     struct cs_error *err)
{
	const struct cs_svy_design *d = e->d;

	if (ref.stratum >= d->strata.len ||
	    (d->opts.clustered
		     ? ref.psu >= d->psus.len ||
			       ((const struct psu *)cs_vec_at(&d->psus, ref.psu))->stratum !=
				       ref.stratum
		     : ref.psu != NO_PSU))
		return cs_fail(err, CS_EINVAL,
			       "respondent reference (stratum %u, PSU %u) is not from this design",
			       (unsigned)ref.stratum, (unsigned)ref.psu);
	return CS_OK;
}

/* Checks a respondent's values; the reference is checked by the caller. */
static enum cs_err check_add(const struct cs_svy_est *e, double weight, const double *scale,
			     const double *y, const bool *valid, bool *any, struct cs_error *err)
{
	if (!(weight > 0) || !isfinite(weight))
		return cs_fail(err, CS_EINVAL, "weight %g: expected a positive finite number",
			       weight);
	*any = false;
	for (size_t k = 0; k < e->nvars; k++) {
		if (valid && !valid[k])
			continue;
		if (!isfinite(y[k]))
			return cs_fail(err, CS_EINVAL,
				       "value %g of variable %zu: expected a finite number or a "
				       "missing answer",
				       y[k], k + 1);
		if (scale && (!(scale[k] > 0) || !isfinite(scale[k] * weight)))
			return cs_fail(
				err, CS_EINVAL,
				"scale %g of variable %zu: expected a positive finite number",
				scale[k], k + 1);
		*any = true;
	}
	return CS_OK;
}

/*
 * The cross sums of a binary respondent (see struct cs_svy_est): b2 = b0^2
 * added for the t and m indicators only. t lists the variables with t_k
 * (unsatisfied or invalid), m those with m_k (invalid), both ascending.
 */
static void add_binary(struct cs_svy_est *e, double *v, double b2, const uint8_t *t, size_t nt,
		       const uint8_t *m, size_t nm)
{
	v[E_CU(e)] += b2;
	for (size_t i = 0; i < nt; i++) {
		double *row = &v[E_TT_ROW(e, t[i])] - t[i];

		v[E_CT(e, t[i])] += b2;
		for (size_t j = i; j < nt; j++)
			row[t[j]] += b2;
	}
	/* Missing answers are rare: their rows are the ones touched. */
	for (size_t i = 0; i < nm; i++) {
		double *row = &v[E_MM_ROW(e, m[i])] - m[i];
		double *mt = &v[E_MT(e, m[i], 0)];

		v[E_CM(e, m[i])] += b2;
		for (size_t j = i; j < nm; j++)
			row[m[j]] += b2;
		for (size_t j = 0; j < nt; j++)
			mt[t[j]] += b2;
	}
}

/*
 * Adds one respondent's terms to entry v. Variable k has the weight
 * b_k = weight * scale_k when valid and 0 otherwise, and a_k = b_k y_k.
 * Unclustered entries also take the cross sums; an invalid answer
 * contributes 0 to every cross sum it enters, so the rows are branch-free
 * loops over a and b (which the compiler vectorises), giving the same sums
 * as adding only the valid pairs. A uniform respondent (every variable
 * valid, one weight) adds its a_k b_l and b_k b_l terms to the row sums
 * UA and UB instead, and a binary one (one weight, values 0 or 1) only its
 * unsatisfied and missing answers' terms (see struct cs_svy_est).
 */
static void add_terms(struct cs_svy_est *e, double *v, double weight, const double *scale,
		      const double *y, const bool *valid)
{
	size_t K = e->nvars, nt = 0, nm = 0;
	double av[NVARS_MAX], bv[NVARS_MAX], nv[NVARS_MAX], yv[NVARS_MAX], b0 = 0;
	double *restrict va = &v[E_A(e, 0)], *restrict vb = &v[E_B(e, 0)];
	double *restrict en = e->n, *restrict ewy2 = e->wy2;
	uint8_t t[NVARS_MAX], m[NVARS_MAX];
	unsigned uniform = 1, binary = 1;

	/* Branch-free: which answers are unsatisfied or missing is as good as
	 * random. An invalid answer adds 0 to every sum, which leaves it as it
	 * was. */
	for (size_t k = 0; k < K; k++) {
		unsigned ok = !valid || valid[k], bad = !ok, zero, one;
		double b = ok ? (scale ? weight * scale[k] : weight) : 0;

		bv[k] = b;
		yv[k] = ok ? y[k] : 0;
		av[k] = b * yv[k];
		nv[k] = ok;
		zero = yv[k] == 0;
		one = yv[k] == 1;
		uniform &= ok & (b == bv[0]);
		b0 = b0 == 0 ? b : b0;
		binary &= bad | ((b == b0) & (zero | one));
		t[nt] = (uint8_t)k;
		m[nm] = (uint8_t)k;
		nt += bad | zero;
		nm += bad;
	}
	for (size_t k = 0; k < K; k++) {
		va[k] += av[k];
		vb[k] += bv[k];
		en[k] += nv[k];
		ewy2[k] += av[k] * yv[k];
	}
	if (e->d->opts.clustered)
		return;
	{
		double *restrict vn = &v[E_N(e, 0)];

		for (size_t k = 0; k < K; k++)
			vn[k] += nv[k];
	}
	if (binary) {
		add_binary(e, v, b0 * b0, t, nt, m, nm);
		return;
	}
	for (size_t k = 0; k < K; k++) {
		double a = av[k], b = bv[k], *restrict aa, *restrict ab, *restrict bb;

		if (!nv[k])
			continue;
		aa = &v[E_AA_ROW(e, k)] - k;
		for (size_t l = k; l < K; l++)
			aa[l] += a * av[l];
		if (uniform) {
			v[E_UA(e, k)] += a * b;
			continue;
		}
		ab = &v[E_AB(e, k, 0)];
		bb = &v[E_BB_ROW(e, k)] - k;
		for (size_t l = 0; l < K; l++)
			ab[l] += a * bv[l];
		for (size_t l = k; l < K; l++)
			bb[l] += b * bv[l];
	}
	if (uniform)
		v[E_UB(e)] += bv[0] * bv[0];
}

enum cs_err cs_svy_est_add_concurrent(struct cs_svy_est *e, struct cs_svy_ref ref, double weight,
				      const double *scale, const double *y, const bool *valid,
				      struct cs_error *err)
{
	uint32_t key = e->d->opts.clustered ? ref.psu : ref.stratum;
	uint32_t h = hash_u32(key);
	struct slot *s;
	double *v;
	bool any = false;
	enum cs_err rc = check_add(e, weight, scale, y, valid, &any, err);

	if (rc || !any)
		return rc;
	if (key == NO_PSU)
		return cs_fail(err, CS_EINVAL,
			       "respondent reference (stratum %u, PSU %u) is not "
			       "from this design",
			       (unsigned)ref.stratum, (unsigned)ref.psu);
	/* Respondents come in runs of one stratum or PSU: the last entry first. */
	if (e->last1 && *(const uint32_t *)cs_vec_at(&e->keys, e->last1 - 1) == key) {
		v = cs_vec_at(&e->entries, e->last1 - 1);
		goto found;
	}
	s = itab_find(&e->tab, h, key_eq, &e->keys, &key);
	if (!s || !s->idx1) {
		uint32_t idx = (uint32_t)e->keys.len;

		rc = cs_vec_reserve(&e->keys, e->keys.len + 1, err);
		if (!rc)
			rc = cs_vec_reserve(&e->entries, e->entries.len + 1, err);
		if (!rc)
			rc = itab_reserve(&e->tab, err);
		if (rc)
			return rc;
		cs_vec_push(&e->keys, &key, NULL);
		cs_vec_push_zero(&e->entries, NULL);
		s = itab_find(&e->tab, h, key_eq, &e->keys, &key);
		*s = (struct slot){idx + 1, h};
		e->tab.len++;
	}
	e->last1 = s->idx1;
	v = cs_vec_at(&e->entries, s->idx1 - 1);
found:
	e->prepared = false;
	v[E_NANY] += 1;
	e->nany += 1;
	e->wany += weight;
	if (e->ngroups) {
		uint8_t hit[CS_SVY_NO_GROUP + 1];

		memset(hit, 0, e->ngroups);
		hit[CS_SVY_NO_GROUP] = 0;
		for (size_t k = 0; k < e->nvars; k++)
			hit[e->group[k]] |= !valid || valid[k];
		for (size_t g = 0; g < e->ngroups; g++) {
			v[e->gany + g] += hit[g];
			e->gn[g] += hit[g];
			e->gw[g] += hit[g] ? weight : 0;
		}
	}
	add_terms(e, v, weight, scale, y, valid);
	return CS_OK;
}

enum cs_err cs_svy_est_add_scaled(struct cs_svy_est *e, struct cs_svy_ref ref, double weight,
				  const double *scale, const double *y, const bool *valid,
				  struct cs_error *err)
{
	enum cs_err rc = check_ref(e, ref, err);

	return rc ? rc : cs_svy_est_add_concurrent(e, ref, weight, scale, y, valid, err);
}

enum cs_err cs_svy_est_add(struct cs_svy_est *e, struct cs_svy_ref ref, double weight,
			   const double *y, const bool *valid, struct cs_error *err)
{
	return cs_svy_est_add_scaled(e, ref, weight, NULL, y, valid, err);
}

enum cs_err cs_svy_est_merge(struct cs_svy_est *dst, const struct cs_svy_est *src,
			     struct cs_error *err)
{
	size_t fresh = 0, cap;
	enum cs_err rc;

	if (dst->d != src->d || dst->nvars != src->nvars || dst->ngroups != src->ngroups ||
	    (dst->ngroups && memcmp(dst->group, src->group, dst->nvars) != 0))
		return cs_fail(err, CS_EINVAL,
			       "estimators to merge differ in design, variables (%zu and %zu) or "
			       "groups",
			       dst->nvars, src->nvars);
	if (dst == src)
		return cs_fail(err, CS_EINVAL, "an estimator cannot be merged into itself");
	/* Room first, so that a failure leaves dst as it was. */
	for (size_t i = 0; i < src->keys.len; i++) {
		const uint32_t *key = cs_vec_at(&src->keys, i);
		struct slot *s = itab_find(&dst->tab, hash_u32(*key), key_eq, &dst->keys, key);

		fresh += !s || !s->idx1;
	}
	rc = cs_vec_reserve(&dst->keys, dst->keys.len + fresh, err);
	if (!rc)
		rc = cs_vec_reserve(&dst->entries, dst->entries.len + fresh, err);
	for (cap = dst->tab.cap; !rc && (dst->tab.len + fresh) * 2 > cap; cap = dst->tab.cap) {
		size_t len = dst->tab.len;

		/* itab_reserve grows for len + 1 entries; pretend to hold more. */
		dst->tab.len = cap / 2;
		rc = itab_reserve(&dst->tab, err);
		dst->tab.len = len;
	}
	if (rc)
		return rc;
	for (size_t i = 0; i < src->keys.len; i++) {
		const uint32_t *key = cs_vec_at(&src->keys, i);
		const double *sv = cs_vec_at(&src->entries, i);
		uint32_t h = hash_u32(*key);
		struct slot *s = itab_find(&dst->tab, h, key_eq, &dst->keys, key);
		double *dv;

		if (!s->idx1) {
			cs_vec_push(&dst->keys, key, NULL);
			cs_vec_push_zero(&dst->entries, NULL);
			*s = (struct slot){(uint32_t)dst->keys.len, h};
			dst->tab.len++;
		}
		dv = cs_vec_at(&dst->entries, s->idx1 - 1);
		for (size_t j = 0; j < dst->stride; j++)
			dv[j] += sv[j];
	}
	for (size_t k = 0; k < dst->nvars; k++) {
		dst->n[k] += src->n[k];
		dst->wy2[k] += src->wy2[k];
	}
	dst->prepared = false;
	dst->nany += src->nany;
	dst->wany += src->wany;
	for (size_t g = 0; g < dst->ngroups; g++) {
		dst->gn[g] += src->gn[g];
		dst->gw[g] += src->gw[g];
	}
	return CS_OK;
}

/* Per-stratum sums of the linearised variable over the PSUs of a domain. */
struct stratum_sums {
	double z, z2;	/* sum of PSU totals and of their squares */
	double reached; /* PSUs with a respondent in the analysis */
};

static void result_clear(struct cs_svy_result *out)
{
	out->mean = NAN;
	out->se = NAN;
	out->var = NAN;
	out->df = NAN;
	out->n = 0;
	out->wsum = 0;
	out->deff = NAN;
	out->deff_replace = NAN;
	out->n_eff = NAN;
	out->flags = 0;
}

/*
 * The variance of sum_k c_k mean_k (M3.5). Each mean is a ratio
 * sum(w y) / sum(w) over the domain's valid answers; its linearised variable
 * is z = d (y - mean) w / sum(w), zero outside the domain (svymean's
 * influence function). PSU totals of z enter the stratified variance
 *   sum_h f_h n_h / (n_h - 1) sum_i (z_hi - zbar_h)^2
 * with n_h the PSUs sampled in stratum h, counting those the domain does not
 * reach (their totals are 0), and f_h = 1 - n_h / N_h. This is R's onestrat
 * on a subset() design, with its lonely-PSU rules.
 */
static enum cs_err variance(const struct cs_svy_est *e, const size_t *sup, const double *c,
			    size_t nsup, size_t grp, const double *P, const double *W,
			    struct stratum_sums *ss, struct cs_svy_result *out,
			    struct cs_error *err)
{
	const struct cs_svy_design *d = e->d;
	bool single = nsup == 1;
	size_t any = grp == NO_GROUP ? E_NANY : e->gany + grp;
	double var = 0, reached_psus = 0, nstrat = 0, nok = 0;

	for (size_t i = 0; i < e->keys.len; i++) {
		const double *v = cs_vec_at(&e->entries, i);
		const double *row = e->prepared ? e->prep + i * e->pstride : NULL;
		uint32_t key = *(const uint32_t *)cs_vec_at(&e->keys, i);
		struct stratum_sums *s;
		double z = 0, z2 = 0;

		for (size_t j = 0; j < nsup; j++) {
			size_t k = sup[j];

			z += row ? c[j] * row[k]
				 : c[j] * (v[E_A(e, k)] - P[k] * v[E_B(e, k)]) / W[k];
		}
		if (d->opts.clustered) {
			s = &ss[((const struct psu *)cs_vec_at(&d->psus, key))->stratum];
			s->z += z;
			s->z2 += z * z;
			s->reached += single ? v[E_B(e, sup[0])] > 0 : v[any] > 0;
			continue;
		}
		/* Unclustered: every respondent is a PSU, and the sum of their
		 * squared z comes from the cross sums. */
		for (size_t j = 0; row && j < nsup; j++) {
			const double *q = row + e->nvars + sup[j] * e->nvars;
			double cq = 0;

			for (size_t m = 0; m < nsup; m++)
				cq += c[m] * q[sup[m]];
			z2 += c[j] * cq;
		}
		for (size_t j = 0; !row && j < nsup; j++) {
			for (size_t m = 0; m < nsup; m++) {
				size_t k = sup[j], l = sup[m];

				z2 += c[j] * c[m] *
				      (cross_aa(e, v, k, l) - P[l] * cross_ab(e, v, k, l) -
				       P[k] * cross_ab(e, v, l, k) +
				       P[k] * P[l] * cross_bb(e, v, k, l)) /
				      (W[k] * W[l]);
			}
		}
		s = &ss[key];
		s->z += z;
		s->z2 += z2;
		s->reached += single ? v[E_N(e, sup[0])] : v[any];
	}

	for (size_t h = 0; h < d->strata.len; h++) {
		const struct stratum *st = stratum_at(d, h);
		double n = (double)st->npsu, dev;

		if (ss[h].reached == 0)
			continue;
		nstrat++;
		reached_psus += ss[h].reached;
		if (st->f < CENSUS_F) {
			nok++;
			continue;
		}
		if (n > 1) {
			dev = ss[h].z2 - ss[h].z * ss[h].z / n;
			var += st->f * n / (n - 1) * (dev > 0 ? dev : 0);
			nok++;
			continue;
		}
		out->flags |= CS_SVY_LONELY;
		switch (d->opts.lonely) {
		case CS_SVY_LONELY_FAIL:
			if (!st->len)
				return cs_fail(err, CS_ESTATE,
					       "the sample has only one PSU: no variance can be "
					       "estimated");
			return cs_fail(err, CS_ESTATE,
				       "stratum '%.*s' has only one PSU: merge it with another "
				       "stratum or choose a lonely-PSU rule (certainty, remove, "
				       "adjust, average)",
				       id_len(cs_str_make(st->name, st->len)), st->name);
		case CS_SVY_LONELY_CERTAINTY:
		case CS_SVY_LONELY_REMOVE:
			/* The single PSU equals its stratum mean. */
			nok++;
			break;
		case CS_SVY_LONELY_ADJUST:
			/* Centred at the overall mean, which z already is. */
			var += st->f * ss[h].z2;
			nok++;
			break;
		case CS_SVY_LONELY_AVERAGE:
		case CS_SVY_LONELY_COUNT_:
			break;
		}
	}
	if (d->opts.lonely == CS_SVY_LONELY_AVERAGE)
		var = nok > 0 ? var * nstrat / nok : NAN;
	out->var = var;
	out->se = sqrt(var);
	out->df = reached_psus - nstrat;
	return CS_OK;
}

/*
 * R's deff for svymean: the variance over that of a simple random sample of
 * n from wsum (without replacement) or with replacement, the element
 * variance being svyvar's weighted one with the n / (n - 1) factor.
 */
static void design_effect(const struct cs_svy_est *e, size_t k, double P, double W,
			  struct cs_svy_result *out)
{
	double n = e->n[k], m2, s2, vsrs;

	if (n < 2)
		return;
	/* The streamed form sum(w y^2) / W - P^2 of sum(w (y - P)^2) / W: when
	 * every answer is the same it is rounding noise, which R's two-pass sum
	 * does not have, so differences below a few ulps count as 0. */
	m2 = e->wy2[k] / W;
	s2 = m2 - P * P;
	if (s2 <= 16 * DBL_EPSILON * m2)
		s2 = 0;
	s2 *= n / (n - 1);
	vsrs = W < n ? NAN : s2 * (W - n) / (W * n);
	out->deff = out->var / vsrs;
	out->deff_replace = out->var / (s2 / n);
	out->n_eff = n / out->deff_replace;
}

static enum cs_err estimate(const struct cs_svy_est *e, const double *coef, size_t var, size_t grp,
			    struct cs_svy_result *out, struct cs_error *err)
{
	const struct cs_svy_design *d = e->d;
	size_t K = e->nvars, nsup = 0;
	double *P = NULL, *W = NULL, *c = NULL;
	size_t *sup = NULL;
	struct stratum_sums *ss = NULL;
	enum cs_err rc = CS_OK;

	result_clear(out);
	if (!d->finished)
		return cs_fail(err, CS_ESTATE,
			       "the survey design is not finished: add every respondent, then "
			       "finish it");
	P = cs_calloc(K, sizeof(*P));
	W = cs_calloc(K, sizeof(*W));
	c = cs_calloc(K, sizeof(*c));
	sup = cs_calloc(K, sizeof(*sup));
	ss = cs_calloc(d->strata.len ? d->strata.len : 1, sizeof(*ss));
	if (!P || !W || !c || !sup || !ss) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	for (size_t k = 0; k < K; k++) {
		double ck = coef ? coef[k] : k == var;

		if (ck != 0) {
			sup[nsup] = k;
			c[nsup++] = ck;
		}
	}
	for (size_t i = 0; i < e->keys.len && !e->prepared; i++) {
		const double *v = cs_vec_at(&e->entries, i);

		for (size_t j = 0; j < nsup; j++) {
			P[sup[j]] += v[E_A(e, sup[j])];
			W[sup[j]] += v[E_B(e, sup[j])];
		}
	}
	for (size_t j = 0; j < nsup && e->prepared; j++) {
		P[sup[j]] = e->pP[sup[j]];
		W[sup[j]] = e->pW[sup[j]];
	}
	out->n = (uint64_t)(nsup == 1 ? e->n[sup[0]] : grp == NO_GROUP ? e->nany : e->gn[grp]);
	out->wsum = nsup == 1 ? W[sup[0]] : grp == NO_GROUP ? e->wany : e->gw[grp];
	for (size_t j = 0; j < nsup; j++) {
		if (W[sup[j]] == 0) {
			out->flags |= CS_SVY_EMPTY;
			goto out;
		}
	}
	out->mean = 0;
	for (size_t j = 0; j < nsup; j++) {
		if (!e->prepared)
			P[sup[j]] /= W[sup[j]];
		out->mean += c[j] * P[sup[j]];
	}
	rc = variance(e, sup, c, nsup, grp, P, W, ss, out, err);
	if (rc) {
		result_clear(out);
		goto out;
	}
	if (nsup == 1)
		design_effect(e, sup[0], P[sup[0]], W[sup[0]], out);
out:
	cs_free(P);
	cs_free(W);
	cs_free(c);
	cs_free(sup);
	cs_free(ss);
	return rc;
}

enum cs_err cs_svy_est_prepare(struct cs_svy_est *e, struct cs_error *err)
{
	size_t K = e->nvars, n = e->keys.len;
	size_t pstride = K + (e->d->opts.clustered ? 0 : K * K);
	double *P, *W, *prep;

	if (e->prepared)
		return CS_OK;
	if (n > SIZE_MAX / sizeof(double) / pstride)
		return cs_fail(err, CS_ETOOBIG, "%zu strata or PSUs: too many to prepare", n);
	P = cs_calloc(K, sizeof(*P));
	W = cs_calloc(K, sizeof(*W));
	prep = cs_calloc(n ? n * pstride : 1, sizeof(*prep));
	if (!P || !W || !prep) {
		cs_free(P);
		cs_free(W);
		cs_free(prep);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		const double *v = cs_vec_at(&e->entries, i);

		for (size_t k = 0; k < K; k++) {
			P[k] += v[E_A(e, k)];
			W[k] += v[E_B(e, k)];
		}
	}
	for (size_t k = 0; k < K; k++)
		P[k] = W[k] != 0 ? P[k] / W[k] : 0;
	/* The same terms as variance() computes unprepared, once per entry. */
	for (size_t i = 0; i < n; i++) {
		const double *v = cs_vec_at(&e->entries, i);
		double *row = prep + i * pstride, *q = row + K;

		for (size_t k = 0; k < K; k++)
			row[k] = W[k] != 0 ? (v[E_A(e, k)] - P[k] * v[E_B(e, k)]) / W[k] : 0;
		if (e->d->opts.clustered)
			continue;
		for (size_t k = 0; k < K; k++) {
			for (size_t l = 0; l < K; l++) {
				if (W[k] == 0 || W[l] == 0)
					continue;
				q[k * K + l] = (cross_aa(e, v, k, l) - P[l] * cross_ab(e, v, k, l) -
						P[k] * cross_ab(e, v, l, k) +
						P[k] * P[l] * cross_bb(e, v, k, l)) /
					       (W[k] * W[l]);
			}
		}
	}
	cs_free(e->pP);
	cs_free(e->pW);
	cs_free(e->prep);
	e->pP = P;
	e->pW = W;
	e->prep = prep;
	e->pstride = pstride;
	e->prepared = true;
	return CS_OK;
}

enum cs_err cs_svy_est_mean(const struct cs_svy_est *e, size_t var, struct cs_svy_result *out,
			    struct cs_error *err)
{
	if (var >= e->nvars) {
		result_clear(out);
		return cs_fail(err, CS_EINVAL, "variable %zu: the estimator has %zu", var + 1,
			       e->nvars);
	}
	return estimate(e, NULL, var, NO_GROUP, out, err);
}

static enum cs_err combine(const struct cs_svy_est *e, const double *coef, size_t grp,
			   struct cs_svy_result *out, struct cs_error *err)
{
	bool nonzero = false;

	for (size_t k = 0; k < e->nvars; k++) {
		if (grp != NO_GROUP && coef[k] != 0 && e->group[k] != grp) {
			result_clear(out);
			return cs_fail(err, CS_EINVAL,
				       "coefficient %g of variable %zu: the variable is not in "
				       "group %zu",
				       coef[k], k + 1, grp);
		}
		if (!isfinite(coef[k])) {
			result_clear(out);
			return cs_fail(err, CS_EINVAL,
				       "coefficient %g of variable %zu: expected a finite number",
				       coef[k], k + 1);
		}
		nonzero |= coef[k] != 0;
	}
	if (!nonzero) {
		result_clear(out);
		return cs_fail(err, CS_EINVAL, "every coefficient is 0: expected at least one");
	}
	return estimate(e, coef, 0, grp, out, err);
}

enum cs_err cs_svy_est_combine(const struct cs_svy_est *e, const double *coef,
			       struct cs_svy_result *out, struct cs_error *err)
{
	return combine(e, coef, NO_GROUP, out, err);
}

enum cs_err cs_svy_est_combine_group(const struct cs_svy_est *e, const double *coef, size_t group,
				     struct cs_svy_result *out, struct cs_error *err)
{
	if (group >= e->ngroups) {
		result_clear(out);
		return cs_fail(err, CS_EINVAL, "group %zu: the estimator has %zu", group,
			       e->ngroups);
	}
	return combine(e, coef, group, out, err);
}

enum cs_err cs_svy_ci(const struct cs_svy_result *r, struct cs_str method, double alpha,
		      struct cs_ci *out, struct cs_error *err)
{
	struct cs_ci_input in = {.alpha = alpha, .n = (double)r->n, .df = r->df};
	double p = r->mean;

	if (r->flags & CS_SVY_EMPTY) {
		if (!cs_ci_method_find(method))
			return cs_ci_compute(method, &in, out, err);
		*out = (struct cs_ci){NAN, NAN, CS_CI_NONE};
		return CS_OK;
	}
	/* A mean of proportions may round a hair outside [0, 1]. */
	if (p < 0 && p > -1e-12)
		p = 0;
	if (p > 1 && p < 1 + 1e-12)
		p = 1;
	in.p = p;
	in.se = r->se;
	in.s = p * in.n;
	return cs_ci_compute(method, &in, out, err);
}
