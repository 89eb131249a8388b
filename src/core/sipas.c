/*
 * Satisfaction indices over domains (METHODOLOGY M3.3-M3.7), on top of the
 * design-based estimators of core/svy.h: the respondent stream, the domain
 * accumulators and their roll-up, the indices with intervals and flags, the
 * weak-area tests, change against an earlier wave and ranking.
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "core/ci.h"
#include "core/rank.h"
#include "core/round.h"
#include "core/sipas.h"
#include "util/alloc.h"
#include "util/vec.h"

#include "util/banned.h"

#define VARS_MAX 256
#define BOOTSTRAP_MAX 1000000

/* Per index item (satisfaction items, then the general item): the sums. */
enum {
	S_NVALID,
	S_NSAT,
	S_WL1, /* weighted answers at level 1 .. 5 (likert5) */
	S_WVALID = S_WL1 + 5,
	S_WSAT,
	S_STRIDE
};

static const char *const by_names[] = {"all", "unit", "level", "service", "kind", "channel"};

const char *cs_sipas_by_name(enum cs_sipas_by by)
{
	return (unsigned)by < CS_SIPAS_BY_COUNT_ ? by_names[by] : NULL;
}

bool cs_sipas_by_parse(struct cs_str s, enum cs_sipas_by *out)
{
	for (int i = 0; i < CS_SIPAS_BY_COUNT_; i++) {
		if (cs_str_eq_nocase(s, by_names[i])) {
			*out = (enum cs_sipas_by)i;
			return true;
		}
	}
	return false;
}

static const char *const flag_names[] = {"empty", "small_n", "high_cv", "lonely_psu",
					 "no_interval"};

const char *cs_sipas_flag_name(unsigned bit)
{
	return bit < CS_SIPAS_F_COUNT_ ? flag_names[bit] : NULL;
}

struct cs_sipas_opts cs_sipas_opts_default(void)
{
	return (struct cs_sipas_opts){
		.by = CS_SIPAS_BY_UNIT, .scope = CS_SIPAS_NONE, .lonely = CS_SVY_LONELY_FAIL};
}

/* ---- Accumulation ---- */

/* A domain being accumulated. */
struct acc {
	enum cs_sipas_by by;
	const char *code; /* owned by the estimation's arena */
	const char *name, *name_en;
	size_t unit;
	enum cs_level level;
	uint64_t n;
	double wsum;
	struct cs_svy_est *main;   /* the satisfaction items, and what the headline needs */
	struct cs_svy_est *pooled; /* pooled elements, pooled all, general */
	double *sums;		   /* S_STRIDE per index item, then the expectation sums */
};

/*
 * Accumulators and scratch of one lane (cs_sipas_add_placed): lanes are
 * touched by one thread each and merged into lane 0 at finish.
 */
struct lane {
	struct acc *all_acc;   /* the whole sample (by ALL), or NULL until finish */
	struct acc **unit_acc; /* per unit (by UNIT) */
	struct acc *level_acc[CS_LEVEL_COUNT_];
	struct cs_vec keyed; /* of struct acc *: service, kind, channel */
	uint32_t *key_tab;   /* open addressing: index + 1 into keyed, 0 empty */
	size_t key_cap;
	struct cs_arena arena; /* the keyed domains' codes */

	/* scratch for one respondent */
	double *y, *scale, *ex, *my, *mscale;
	bool *valid, *mvalid;
};

/*
 * Each respondent gives a vector of "full" variables: the satisfaction items
 * (0..nsat-1), the pooled index of each element (ratio variables scaled by
 * the element's valid answers), the pooled index over every item, and the
 * general item. Two estimators share them out, because the cost of an
 * unclustered estimator grows with the square of its variables: `main`
 * holds the items and whatever the headline index and the element index
 * need besides them, so that the weak-area tests (an item or element
 * against the headline) are combinations within one estimator; `pooled`
 * holds the pooled and general variables, whose own indices it reports.
 * With the default options main is the items alone. Each element is a group
 * of main's variables (cs_svy_est_set_groups), so that its index counts the
 * respondents who answered the element.
 */
struct cs_sipas {
	const struct cs_questionnaire *q;
	const struct cs_sipas_unit *units;
	size_t nunits;
	struct cs_sipas_opts opts;
	struct cs_q_options qo;
	struct cs_arena arena;
	struct cs_svy_design *design;
	bool finished;

	size_t nsat, nel, general; /* general: item index or CS_Q_NONE */
	size_t *sat;		   /* nsat: questionnaire item of each satisfaction variable */
	bool *sat_yesno;	   /* nsat: a yes/no item (else likert5) */
	unsigned *sat_mask;	   /* nsat: bit v set when answer value v is satisfied (M3.2) */
	size_t *sat_el;		   /* nsat: its element */
	size_t *el_count;	   /* nel: satisfaction items per element */
	size_t **el_vars;	   /* nel: the satisfaction variables of each element */
	size_t nfull;		   /* full variables */
	size_t v_pooled, v_all, v_general; /* first pooled element var, pooled-all var, general */
	size_t nmain, npooled;		   /* variables of the two estimators */
	size_t *main_vars;		   /* nmain: the full variable of each main variable */
	size_t *main_pos;		   /* nfull: its main variable, or CS_SIPAS_NONE */
	size_t nexp;			   /* expectation items */
	size_t *exp_item;		   /* nexp */
	size_t *exp_off;		   /* nexp: offset in sums */
	size_t nsums;

	bool *in_scope; /* per unit */
	unsigned *depth;
	uint8_t *main_group; /* nmain: the element of each main variable, or CS_SVY_NO_GROUP */

	struct lane lanes[CS_SIPAS_LANES]; /* lanes[0] takes cs_sipas_add; all end in it */
	uint64_t rows;			   /* respondents placed in the design */
};

static void acc_free(struct acc *a)
{
	if (!a)
		return;
	cs_svy_est_free(a->main);
	cs_svy_est_free(a->pooled);
	cs_free(a->sums);
	cs_free(a);
}

static struct acc *acc_new(struct cs_sipas *s, enum cs_sipas_by by, const char *code,
			   struct cs_error *err)
{
	struct acc *a = cs_calloc(1, sizeof(*a));
	enum cs_err rc = CS_OK;

	if (!a) {
		cs_fail(err, CS_ENOMEM, NULL);
		return NULL;
	}
	a->by = by;
	a->code = code;
	a->name = "";
	a->name_en = "";
	a->unit = CS_SIPAS_NONE;
	a->level = CS_LEVEL_OTHER;
	a->sums = cs_calloc(s->nsums ? s->nsums : 1, sizeof(double));
	if (!a->sums)
		rc = cs_fail(err, CS_ENOMEM, NULL);
	if (!rc)
		rc = cs_svy_est_new(s->design, s->nmain, &a->main, err);
	if (!rc && s->nel)
		rc = cs_svy_est_set_groups(a->main, s->nel, s->main_group, err);
	if (!rc)
		rc = cs_svy_est_new(s->design, s->npooled, &a->pooled, err);
	if (rc) {
		acc_free(a);
		return NULL;
	}
	return a;
}

/* Adds everything src holds to dst (M3.4 roll-up: respondents are pooled). */
static enum cs_err acc_merge(struct cs_sipas *s, struct acc *dst, const struct acc *src,
			     struct cs_error *err)
{
	enum cs_err rc = cs_svy_est_merge(dst->main, src->main, err);

	if (!rc)
		rc = cs_svy_est_merge(dst->pooled, src->pooled, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < s->nsums; i++)
		dst->sums[i] += src->sums[i];
	dst->n += src->n;
	dst->wsum += src->wsum;
	return CS_OK;
}

void cs_sipas_free(struct cs_sipas *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < CS_SIPAS_LANES; i++) {
		struct lane *L = &s->lanes[i];

		if (L->unit_acc)
			for (size_t u = 0; u < s->nunits; u++)
				acc_free(L->unit_acc[u]);
		for (int l = 0; l < CS_LEVEL_COUNT_; l++)
			acc_free(L->level_acc[l]);
		for (size_t k = 0; k < L->keyed.len; k++)
			acc_free(*(struct acc **)cs_vec_at(&L->keyed, k));
		acc_free(L->all_acc);
		cs_vec_release(&L->keyed);
		cs_free(L->key_tab);
		cs_free(L->unit_acc);
		cs_arena_release(&L->arena);
	}
	cs_svy_design_free(s->design);
	cs_arena_release(&s->arena);
	cs_free(s);
}

static bool is_index_type(enum cs_q_type t)
{
	return t == CS_Q_LIKERT5 || t == CS_Q_YESNO;
}

/* Sets up the variables from the questionnaire. */
static enum cs_err plan_vars(struct cs_sipas *s, struct cs_error *err)
{
	const struct cs_questionnaire *q = s->q;
	size_t ni = cs_questionnaire_item_count(q), off;

	s->nel = cs_questionnaire_element_count(q);
	s->general = cs_questionnaire_general_item(q);
	for (size_t i = 0; i < ni; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(q, i);

		if (it->role == CS_Q_ROLE_SATISFACTION && it->element != CS_Q_NONE &&
		    is_index_type(it->type))
			s->nsat++;
		if (it->role == CS_Q_ROLE_EXPECTATION &&
		    (it->type == CS_Q_MULTI || it->type == CS_Q_SINGLE) && it->nchoices)
			s->nexp++;
	}
	if (s->general != CS_Q_NONE && !is_index_type(cs_questionnaire_item(q, s->general)->type))
		s->general = CS_Q_NONE;
	s->v_pooled = s->nsat;
	s->v_all = s->nsat + s->nel;
	s->v_general = s->v_all + 1;
	s->nfull = s->v_general + (s->general != CS_Q_NONE);
	s->npooled = s->nfull - s->v_pooled;
	s->nmain = s->nsat + (s->qo.element_agg == CS_Q_ELEMENT_POOLED ? s->nel : 0) +
		   (s->qo.headline == CS_Q_OVERALL_POOLED) +
		   (s->qo.headline == CS_Q_OVERALL_GENERAL && s->general != CS_Q_NONE);
	if (!s->nmain)
		s->nmain = 1; /* a questionnaire without items: one variable never valid */
	if (s->nmain > VARS_MAX || s->npooled > VARS_MAX)
		return cs_fail(err, CS_ETOOBIG,
			       "questionnaire '%s': %zu satisfaction items and %zu elements; at "
			       "most %d variables can be estimated together",
			       cs_questionnaire_info(q)->code, s->nsat, s->nel, VARS_MAX);
	if (s->nel >= CS_SVY_NO_GROUP)
		return cs_fail(err, CS_ETOOBIG, "questionnaire '%s': %zu elements; at most %d",
			       cs_questionnaire_info(q)->code, s->nel, CS_SVY_NO_GROUP - 1);
	s->sat = cs_arena_calloc(&s->arena, s->nsat + 1, sizeof(size_t));
	s->sat_el = cs_arena_calloc(&s->arena, s->nsat + 1, sizeof(size_t));
	s->sat_yesno = cs_arena_calloc(&s->arena, s->nsat + 1, sizeof(bool));
	s->sat_mask = cs_arena_calloc(&s->arena, s->nsat + 1, sizeof(unsigned));
	s->el_count = cs_arena_calloc(&s->arena, s->nel + 1, sizeof(size_t));
	s->el_vars = cs_arena_calloc(&s->arena, s->nel + 1, sizeof(size_t *));
	s->exp_item = cs_arena_calloc(&s->arena, s->nexp + 1, sizeof(size_t));
	s->exp_off = cs_arena_calloc(&s->arena, s->nexp + 1, sizeof(size_t));
	s->main_vars = cs_arena_calloc(&s->arena, s->nmain + 1, sizeof(size_t));
	s->main_pos = cs_arena_calloc(&s->arena, s->nfull, sizeof(size_t));
	s->main_group = cs_arena_calloc(&s->arena, s->nmain + 1, 1);
	if (!s->sat || !s->sat_el || !s->sat_yesno || !s->sat_mask || !s->el_count || !s->el_vars ||
	    !s->exp_item || !s->exp_off || !s->main_group || !s->main_vars || !s->main_pos)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < CS_SIPAS_LANES; i++) {
		struct lane *L = &s->lanes[i];

		L->y = cs_arena_calloc(&s->arena, s->nfull, sizeof(double));
		L->scale = cs_arena_calloc(&s->arena, s->nfull, sizeof(double));
		L->valid = cs_arena_calloc(&s->arena, s->nfull, sizeof(bool));
		L->my = cs_arena_calloc(&s->arena, s->nmain + 1, sizeof(double));
		L->mscale = cs_arena_calloc(&s->arena, s->nmain + 1, sizeof(double));
		L->mvalid = cs_arena_calloc(&s->arena, s->nmain + 1, sizeof(bool));
		L->ex = cs_arena_calloc(&s->arena, s->nel + 1, sizeof(double));
		if (!L->y || !L->scale || !L->valid || !L->my || !L->mscale || !L->mvalid || !L->ex)
			return cs_fail(err, CS_ENOMEM, NULL);
	}
	for (size_t k = 0, m = 0; k < s->nfull; k++) {
		bool in = k < s->nsat ||
			  (k >= s->v_pooled && k < s->v_all &&
			   s->qo.element_agg == CS_Q_ELEMENT_POOLED) ||
			  (k == s->v_all && s->qo.headline == CS_Q_OVERALL_POOLED) ||
			  (k == s->v_general && s->qo.headline == CS_Q_OVERALL_GENERAL);

		s->main_pos[k] = in ? m : CS_SIPAS_NONE;
		if (in)
			s->main_vars[m++] = k;
	}
	for (size_t i = 0, k = 0, x = 0; i < ni; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(q, i);

		if (it->role == CS_Q_ROLE_SATISFACTION && it->element != CS_Q_NONE &&
		    is_index_type(it->type)) {
			s->sat[k] = i;
			s->sat_yesno[k] = it->type == CS_Q_YESNO;
			s->sat_mask[k] = it->type == CS_Q_YESNO ? 1u << 1 : s->qo.satisfied_levels;
			s->sat_el[k++] = it->element;
			s->el_count[it->element]++;
		}
		if (it->role == CS_Q_ROLE_EXPECTATION &&
		    (it->type == CS_Q_MULTI || it->type == CS_Q_SINGLE) && it->nchoices)
			s->exp_item[x++] = i;
	}
	for (size_t e = 0; e < s->nel; e++) {
		size_t m = 0;

		if (!s->el_count[e])
			return cs_fail(err, CS_EINVAL, "element '%s' has no satisfaction item",
				       cs_questionnaire_element(q, e)->code);
		s->el_vars[e] = cs_arena_calloc(&s->arena, s->el_count[e], sizeof(size_t));
		if (!s->el_vars[e])
			return cs_fail(err, CS_ENOMEM, NULL);
		for (size_t k = 0; k < s->nsat; k++)
			if (s->sat_el[k] == e)
				s->el_vars[e][m++] = k;
	}
	for (size_t j = 0; j < s->nmain; j++)
		s->main_group[j] = s->main_vars[j] < s->nsat ? (uint8_t)s->sat_el[s->main_vars[j]]
							     : CS_SVY_NO_GROUP;
	off = S_STRIDE * (s->nsat + 1);
	for (size_t x = 0; x < s->nexp; x++) {
		s->exp_off[x] = off;
		off += 2 + 2 * cs_questionnaire_item(q, s->exp_item[x])->nchoices;
	}
	s->nsums = off;
	return CS_OK;
}

/* Marks the scope and computes depths; refuses parent cycles. */
static enum cs_err plan_units(struct cs_sipas *s, struct cs_error *err)
{
	size_t n = s->nunits;

	s->in_scope = cs_arena_calloc(&s->arena, n + 1, sizeof(bool));
	s->depth = cs_arena_calloc(&s->arena, n + 1, sizeof(unsigned));
	if (!s->in_scope || !s->depth)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < CS_SIPAS_LANES; i++) {
		s->lanes[i].unit_acc = cs_calloc(n + 1, sizeof(struct acc *));
		if (!s->lanes[i].unit_acc)
			return cs_fail(err, CS_ENOMEM, NULL);
	}
	for (size_t u = 0; u < n; u++) {
		size_t p = u, steps = 0;
		bool in = s->opts.scope == CS_SIPAS_NONE;

		if (s->units[u].parent != CS_SIPAS_NONE && s->units[u].parent >= n)
			return cs_fail(err, CS_EINVAL, "unit '%s': parent index %zu out of range",
				       s->units[u].code, s->units[u].parent);
		if ((unsigned)s->units[u].level >= CS_LEVEL_COUNT_)
			return cs_fail(err, CS_EINVAL, "unit '%s': level out of range",
				       s->units[u].code);
		while (p != CS_SIPAS_NONE) {
			if (p == s->opts.scope)
				in = true;
			p = s->units[p].parent;
			if (p != CS_SIPAS_NONE && ++steps > n)
				return cs_fail(err, CS_EINVAL, "unit '%s' is its own ancestor",
					       s->units[u].code);
		}
		s->in_scope[u] = in;
		s->depth[u] = (unsigned)steps;
	}
	return CS_OK;
}

enum cs_err cs_sipas_new(const struct cs_questionnaire *q, const struct cs_sipas_unit *units,
			 size_t n, const struct cs_sipas_opts *opts, struct cs_sipas **out,
			 struct cs_error *err)
{
	struct cs_svy_design_opts dopts = {.clustered = opts->clustered, .lonely = opts->lonely};
	struct cs_sipas *s;
	enum cs_err rc;

	*out = NULL;
	if (!cs_questionnaire_is_valid(q))
		return cs_fail(err, CS_ESTATE, "the questionnaire is not validated");
	if ((unsigned)opts->by >= CS_SIPAS_BY_COUNT_)
		return cs_fail(err, CS_EINVAL, "domain kind %d: out of range", (int)opts->by);
	if (opts->scope != CS_SIPAS_NONE && opts->scope >= n)
		return cs_fail(err, CS_EINVAL, "scope unit %zu: out of range", opts->scope);
	if (n > CS_SIPAS_UNITS_MAX)
		return cs_fail(err, CS_ETOOBIG, "%zu units: at most %d", n, CS_SIPAS_UNITS_MAX);
	s = cs_calloc(1, sizeof(*s));
	if (!s)
		return cs_fail(err, CS_ENOMEM, NULL);
	s->q = q;
	s->units = units;
	s->nunits = n;
	s->opts = *opts;
	s->qo = *cs_questionnaire_options(q);
	cs_arena_init(&s->arena, 0);
	for (size_t i = 0; i < CS_SIPAS_LANES; i++) {
		cs_vec_init(&s->lanes[i].keyed, sizeof(struct acc *), CS_SIPAS_KEYS_MAX);
		cs_arena_init(&s->lanes[i].arena, 0);
	}
	rc = cs_svy_design_new(&dopts, &s->design, err);
	if (!rc)
		rc = plan_vars(s, err);
	if (!rc)
		rc = plan_units(s, err);
	if (rc) {
		cs_sipas_free(s);
		return rc;
	}
	*out = s;
	return CS_OK;
}

/* ---- Adding respondents ---- */

static uint32_t hash_str(struct cs_str k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < k.len; i++) {
		h ^= (unsigned char)k.ptr[i];
		h *= 0x100000001b3ULL;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static struct acc *keyed_at(const struct lane *L, size_t i)
{
	return *(struct acc **)cs_vec_at(&L->keyed, i);
}

/* The label of a choice value of the respondent item holding field, or NULL. */
static const struct cs_q_choice *field_choice(const struct cs_questionnaire *q,
					      enum cs_q_field field, const char *value)
{
	size_t i = cs_questionnaire_field_item(q, field);
	const struct cs_q_item *it;

	if (i == CS_Q_NONE)
		return NULL;
	it = cs_questionnaire_item(q, i);
	for (size_t c = 0; c < it->nchoices; c++)
		if (strcmp(it->choices[c].value, value) == 0)
			return &it->choices[c];
	return NULL;
}

static enum cs_err key_grow(struct lane *L, struct cs_error *err)
{
	size_t ncap = L->key_cap ? L->key_cap * 2 : 64;
	uint32_t *nt = cs_calloc(ncap, sizeof(*nt));

	if (!nt)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < L->keyed.len; i++) {
		const char *code = keyed_at(L, i)->code;
		size_t j = hash_str(cs_str_from(code)) & (ncap - 1);

		while (nt[j])
			j = (j + 1) & (ncap - 1);
		nt[j] = (uint32_t)i + 1;
	}
	cs_free(L->key_tab);
	L->key_tab = nt;
	L->key_cap = ncap;
	return CS_OK;
}

/* The accumulator of a service, kind or channel value, created on first use. */
static enum cs_err keyed_acc(struct cs_sipas *s, struct lane *L, struct cs_str key, uint64_t row,
			     struct acc **out, struct cs_error *err)
{
	uint32_t h;
	size_t j;
	struct acc *a;
	char *code;
	enum cs_err rc;

	if (!key.ptr)
		key = CS_STR("");
	h = hash_str(key);
	if (key.len > CS_SIPAS_KEY_MAX)
		return cs_fail(err, CS_ETOOBIG,
			       "respondent %" PRIu64 ": %s '%.32s...' longer than %d bytes", row,
			       cs_sipas_by_name(s->opts.by), key.ptr, CS_SIPAS_KEY_MAX);
	for (j = L->key_cap ? h & (L->key_cap - 1) : 0; L->key_cap && L->key_tab[j];
	     j = (j + 1) & (L->key_cap - 1)) {
		a = keyed_at(L, L->key_tab[j] - 1);
		if (strlen(a->code) == key.len && memcmp(a->code, key.ptr, key.len) == 0) {
			*out = a;
			return CS_OK;
		}
	}
	if ((L->keyed.len + 1) * 2 > L->key_cap) {
		rc = key_grow(L, err);
		if (rc)
			return rc;
		for (j = h & (L->key_cap - 1); L->key_tab[j]; j = (j + 1) & (L->key_cap - 1))
			;
	}
	code = cs_arena_strdup_str(&L->arena, key);
	if (!code)
		return cs_fail(err, CS_ENOMEM, NULL);
	rc = cs_vec_reserve(&L->keyed, L->keyed.len + 1, err);
	if (rc)
		return rc == CS_ETOOBIG
			       ? cs_fail(err, CS_ETOOBIG, "more than %d distinct %s values",
					 CS_SIPAS_KEYS_MAX, cs_sipas_by_name(s->opts.by))
			       : rc;
	a = acc_new(s, s->opts.by, code, err);
	if (!a)
		return err ? err->code : CS_ENOMEM;
	if (!key.len) {
		a->name = "(không rõ)";
		a->name_en = "(not given)";
	} else if (s->opts.by != CS_SIPAS_BY_CHANNEL) {
		const struct cs_q_choice *c = field_choice(
			s->q, s->opts.by == CS_SIPAS_BY_KIND ? CS_Q_FIELD_KIND : CS_Q_FIELD_SERVICE,
			code);

		if (c) {
			a->name = c->label_vi;
			a->name_en = c->label_en && c->label_en[0] ? c->label_en : c->label_vi;
		}
	}
	cs_vec_push(&L->keyed, &a, NULL);
	L->key_tab[j] = (uint32_t)L->keyed.len;
	*out = a;
	return CS_OK;
}

/* The accumulator the respondent's answers go to. */
static enum cs_err target_acc(struct cs_sipas *s, struct lane *L, const struct cs_sipas_resp *r,
			      uint64_t row, struct acc **out, struct cs_error *err)
{
	const struct cs_sipas_unit *u = &s->units[r->unit];
	struct acc **slot = NULL;

	switch (s->opts.by) {
	case CS_SIPAS_BY_ALL:
		slot = &L->all_acc;
		break;
	case CS_SIPAS_BY_UNIT:
		slot = &L->unit_acc[r->unit];
		break;
	case CS_SIPAS_BY_LEVEL:
		slot = &L->level_acc[u->level];
		break;
	case CS_SIPAS_BY_SERVICE:
		return keyed_acc(s, L, r->service, row, out, err);
	case CS_SIPAS_BY_KIND:
		return keyed_acc(s, L, r->kind, row, out, err);
	case CS_SIPAS_BY_CHANNEL:
		return keyed_acc(s, L, r->channel, row, out, err);
	case CS_SIPAS_BY_COUNT_:
		break;
	}
	if (!slot)
		return cs_fail(err, CS_EINTERNAL, "domain kind out of range");
	if (!*slot) {
		*slot = acc_new(s, s->opts.by, "all", err);
		if (!*slot)
			return err ? err->code : CS_ENOMEM;
	}
	*out = *slot;
	return CS_OK;
}

static bool satisfied(const struct cs_sipas *s, const struct cs_q_item *it, double v)
{
	if (it->type == CS_Q_YESNO)
		return v == 1;
	return v >= 1 && v <= 5 && ((s->qo.satisfied_levels >> (int)v) & 1);
}

/* Whether an answer to an index item is a valid answer (M3.2). */
static bool index_answer(const struct cs_q_item *it, const struct cs_q_answer *a)
{
	if (!a->answered)
		return false;
	if (it->type == CS_Q_YESNO)
		return a->value == 0 || a->value == 1;
	return a->value >= 1 && a->value <= 5 && a->value == floor(a->value);
}

/*
 * The level of a valid answer to an index item (likert5 1-5, yes/no 0-1,
 * M3.2), or -1 for no valid answer.
 */
static int answer_level(bool yesno, const struct cs_q_answer *a)
{
	double v = a->value;
	int lo = yesno ? 0 : 1, hi = yesno ? 1 : 5;
	/* Without branches: answers are valid or not, satisfied or not, at random. */
	bool ok = a->answered & (v >= lo) & (v <= hi);
	int iv = ok ? (int)v : -1;

	return ok & (iv == v) ? iv : -1;
}

/* Adds an index item's answer to the domain sums. */
static void add_sums(const struct cs_sipas *s, double *sums, const struct cs_q_item *it,
		     const struct cs_q_answer *a, double w)
{
	bool sat;

	if (!index_answer(it, a))
		return;
	sat = satisfied(s, it, a->value);
	sums[S_NVALID] += 1;
	sums[S_WVALID] += w;
	if (sat) {
		sums[S_NSAT] += 1;
		sums[S_WSAT] += w;
	}
	if (it->type == CS_Q_LIKERT5)
		sums[S_WL1 + (int)a->value - 1] += w;
}

enum cs_err cs_sipas_place(struct cs_sipas *s, const struct cs_sipas_resp *r,
			   struct cs_sipas_placed *out, struct cs_error *err)
{
	double w = r->weight;
	enum cs_err rc;

	if (s->finished)
		return cs_fail(err, CS_ESTATE, "the estimation is finished");
	if (r->unit >= s->nunits)
		return cs_fail(err, CS_EINVAL,
			       "respondent %" PRIu64 ": unit index %zu out of range", s->rows + 1,
			       r->unit);
	if (!(w > 0) || !isfinite(w))
		return cs_fail(err, CS_EINVAL,
			       "respondent %" PRIu64 ": weight %g: expected a positive number",
			       s->rows + 1, w);
	/* A NULL slice is an empty id. */
	rc = cs_svy_design_add(s->design, r->stratum.ptr ? r->stratum : CS_STR(""),
			       r->psu.ptr ? r->psu : CS_STR(""), r->fpc, &out->ref, err);
	if (rc) {
		cs_error_prefix(err, "respondent %" PRIu64, s->rows + 1);
		return rc;
	}
	out->row = ++s->rows;
	return CS_OK;
}

enum cs_err cs_sipas_add(struct cs_sipas *s, const struct cs_sipas_resp *r, struct cs_error *err)
{
	struct cs_sipas_placed pl;
	enum cs_err rc = cs_sipas_place(s, r, &pl, err);

	return rc ? rc : cs_sipas_add_placed(s, 0, r, &pl, err);
}

enum cs_err cs_sipas_add_placed(struct cs_sipas *s, size_t lane, const struct cs_sipas_resp *r,
				const struct cs_sipas_placed *pl, struct cs_error *err)
{
	struct lane *L;
	struct cs_svy_ref ref = pl->ref;
	struct acc *a = NULL;
	double w = r->weight, Y = 0, X = 0;
	enum cs_err rc;

	if (lane >= CS_SIPAS_LANES)
		return cs_fail(err, CS_EINVAL, "lane %zu: expected below %d", lane, CS_SIPAS_LANES);
	L = &s->lanes[lane];
	if (!s->in_scope[r->unit])
		return CS_OK;
	rc = target_acc(s, L, r, pl->row, &a, err);
	if (rc)
		return rc;

	/* M3.3: the satisfied indicator of each item; per element the pooled
	 * ratio of satisfied to valid answers, scaled by the valid answers. */
	memset(L->ex, 0, (s->nel + 1) * sizeof(double));
	for (size_t e = 0; e < s->nel; e++)
		L->y[s->v_pooled + e] = 0;
	for (size_t k = 0; k < s->nsat; k++) {
		int lv = answer_level(s->sat_yesno[k], &r->answers[s->sat[k]]);
		double *sums = &a->sums[S_STRIDE * k];
		unsigned ok = lv >= 0, sat = ok ? s->sat_mask[k] >> lv & 1 : 0;
		unsigned lik = ok & !s->sat_yesno[k];
		size_t e = s->sat_el[k];

		/* Branch-free; adding 0 leaves a sum as it was. */
		L->valid[k] = ok;
		L->y[k] = sat;
		L->scale[k] = 1;
		L->ex[e] += ok;
		L->y[s->v_pooled + e] += sat;
		sums[S_NVALID] += ok;
		sums[S_WVALID] += ok ? w : 0;
		sums[S_NSAT] += sat;
		sums[S_WSAT] += sat ? w : 0;
		sums[lik ? S_WL1 + lv - 1 : S_WL1] += lik ? w : 0;
	}
	for (size_t e = 0; e < s->nel; e++) {
		size_t v = s->v_pooled + e;

		L->valid[v] = L->ex[e] > 0;
		L->scale[v] = L->ex[e] > 0 ? L->ex[e] : 1;
		Y += L->y[v];
		X += L->ex[e];
		L->y[v] = L->ex[e] > 0 ? L->y[v] / L->ex[e] : 0;
	}
	L->valid[s->v_all] = X > 0;
	L->scale[s->v_all] = X > 0 ? X : 1;
	L->y[s->v_all] = X > 0 ? Y / X : 0;
	if (s->general != CS_Q_NONE) {
		const struct cs_q_item *it = cs_questionnaire_item(s->q, s->general);
		const struct cs_q_answer *ans = &r->answers[s->general];
		bool ok = index_answer(it, ans);

		L->valid[s->v_general] = ok;
		L->y[s->v_general] = ok && satisfied(s, it, ans->value);
		L->scale[s->v_general] = 1;
		add_sums(s, &a->sums[S_STRIDE * s->nsat], it, ans, w);
	}
	if (s->nmain == s->nsat) {
		rc = cs_svy_est_add_concurrent(a->main, ref, w, L->scale, L->y, L->valid, err);
	} else {
		for (size_t j = 0; j < s->nmain; j++) {
			size_t k = s->main_vars[j];

			L->my[j] = L->y[k];
			L->mscale[j] = L->scale[k];
			L->mvalid[j] = s->main_pos[k] == j && L->valid[k];
		}
		rc = cs_svy_est_add_concurrent(a->main, ref, w, L->mscale, L->my, L->mvalid, err);
	}
	if (!rc)
		rc = cs_svy_est_add_concurrent(a->pooled, ref, w, L->scale + s->v_pooled,
					       L->y + s->v_pooled, L->valid + s->v_pooled, err);
	if (rc)
		return rc;

	/* M3.6: expectations, the share of respondents choosing each option. */
	for (size_t x = 0; x < s->nexp; x++) {
		const struct cs_q_item *it = cs_questionnaire_item(s->q, s->exp_item[x]);
		const struct cs_q_answer *ans = &r->answers[s->exp_item[x]];
		double *es = &a->sums[s->exp_off[x]];
		uint64_t set;

		if (!ans->answered)
			continue;
		set = it->type == CS_Q_MULTI ? ans->choices
		      : ans->value >= 0 && ans->value < (double)it->nchoices
			      ? (uint64_t)1 << (unsigned)ans->value
			      : 0;
		es[0] += w;
		es[1] += 1;
		for (size_t c = 0; c < it->nchoices && c < 64; c++) {
			if (set >> c & 1) {
				es[2 + 2 * c] += w;
				es[3 + 2 * c] += 1;
			}
		}
	}
	a->n++;
	a->wsum += w;
	return CS_OK;
}

/* ---- Finishing ---- */

static void est_clear(struct cs_sipas_est *e)
{
	*e = (struct cs_sipas_est){NAN, NAN, NAN, NAN, NAN, 0, 0, NAN, NAN, CS_SIPAS_F_EMPTY};
}

/* Converts a svy result and its interval to percent, with flags (M3.5). */
static void est_from(const struct cs_sipas *s, const struct cs_svy_result *r,
		     const struct cs_ci *ci, bool single, struct cs_sipas_est *out)
{
	out->index = 100 * r->mean;
	out->se = 100 * r->se;
	out->ci_lo = 100 * ci->lo;
	out->ci_hi = 100 * ci->hi;
	out->df = r->df;
	out->n = r->n;
	out->wsum = r->wsum;
	out->deff = single ? r->deff_replace : NAN;
	out->n_eff = single ? r->n_eff : NAN;
	out->flags = 0;
	if (r->flags & CS_SVY_EMPTY) {
		est_clear(out);
		out->n = r->n;
		out->wsum = r->wsum;
		return;
	}
	if (r->flags & CS_SVY_LONELY)
		out->flags |= CS_SIPAS_F_LONELY;
	if (r->n < s->qo.min_n)
		out->flags |= CS_SIPAS_F_SMALL_N;
	if (r->mean > 0 && r->se / r->mean > s->qo.max_cv)
		out->flags |= CS_SIPAS_F_HIGH_CV;
	if (ci->status == CS_CI_NONE)
		out->flags |= CS_SIPAS_F_NO_CI;
}

/*
 * An estimate from estimator est (coef NULL: variable var alone; with coef,
 * var is the group of variables whose respondents count, or CS_SIPAS_NONE)
 * with the logit interval, or for a single item of an unweighted sample the
 * counts interval of the questionnaire (M3.5).
 */
static enum cs_err estimate(const struct cs_sipas *s, const struct cs_svy_est *est,
			    const double *coef, size_t var, const double *counts,
			    struct cs_sipas_est *out, double alpha, struct cs_error *err)
{
	struct cs_svy_result r;
	struct cs_ci ci = {NAN, NAN, CS_CI_NONE};
	enum cs_err rc = !coef			? cs_svy_est_mean(est, var, &r, err)
			 : var == CS_SIPAS_NONE ? cs_svy_est_combine(est, coef, &r, err)
						: cs_svy_est_combine_group(est, coef, var, &r, err);

	if (rc)
		return rc;
	if (!(r.flags & CS_SVY_EMPTY)) {
		if (counts && !s->opts.design) {
			struct cs_ci_input in = {
				.alpha = alpha, .s = counts[S_NSAT], .n = counts[S_NVALID]};
			const char *m = s->qo.ci_unweighted ? s->qo.ci_unweighted : "wilson";

			rc = cs_ci_compute(cs_str_from(m), &in, &ci, err);
		} else {
			rc = cs_svy_ci(&r, CS_STR("logit"), alpha, &ci, err);
		}
		if (rc)
			return rc;
	}
	est_from(s, &r, &ci, !coef, out);
	return CS_OK;
}

static const struct cs_sipas_est *element_est(const struct cs_sipas *s,
					      const struct cs_sipas_element *e)
{
	return s->qo.element_agg == CS_Q_ELEMENT_POOLED ? &e->pooled : &e->mean_of_items;
}

/*
 * Coefficients of an overall index over the full variables (M3.3); false
 * when the index is empty in the domain.
 */
static bool overall_coef(const struct cs_sipas *s, const struct cs_sipas_domain *d,
			 enum cs_q_overall_agg agg, double *c)
{
	size_t used = 0;

	memset(c, 0, s->nfull * sizeof(double));
	switch (agg) {
	case CS_Q_OVERALL_POOLED:
		c[s->v_all] = 1;
		return !(d->overall[agg].flags & CS_SIPAS_F_EMPTY);
	case CS_Q_OVERALL_GENERAL:
		if (s->general == CS_Q_NONE)
			return false;
		c[s->v_general] = 1;
		return !(d->overall[agg].flags & CS_SIPAS_F_EMPTY);
	case CS_Q_OVERALL_MEAN_OF_ELEMENTS:
		break;
	}
	/* Elements and items without a valid answer in the domain are left out
	 * of the means (M3.3). */
	for (size_t e = 0; e < s->nel; e++)
		used += !(element_est(s, &d->elements[e])->flags & CS_SIPAS_F_EMPTY);
	if (!used)
		return false;
	for (size_t e = 0; e < s->nel; e++) {
		size_t m = 0;

		if (element_est(s, &d->elements[e])->flags & CS_SIPAS_F_EMPTY)
			continue;
		if (s->qo.element_agg == CS_Q_ELEMENT_POOLED) {
			c[s->v_pooled + e] = 1.0 / (double)used;
			continue;
		}
		for (size_t j = 0; j < s->el_count[e]; j++)
			m += !(d->items[s->el_vars[e][j]].est.flags & CS_SIPAS_F_EMPTY);
		for (size_t j = 0; j < s->el_count[e]; j++) {
			size_t k = s->el_vars[e][j];

			if (!(d->items[k].est.flags & CS_SIPAS_F_EMPTY))
				c[k] = 1.0 / ((double)used * (double)m);
		}
	}
	return true;
}

/* Coefficients of element e's index (element_agg) over the full variables. */
static void element_coef(const struct cs_sipas *s, const struct cs_sipas_domain *d, size_t e,
			 double *c)
{
	size_t m = 0;

	memset(c, 0, s->nfull * sizeof(double));
	if (s->qo.element_agg == CS_Q_ELEMENT_POOLED) {
		c[s->v_pooled + e] = 1;
		return;
	}
	for (size_t j = 0; j < s->el_count[e]; j++)
		m += !(d->items[s->el_vars[e][j]].est.flags & CS_SIPAS_F_EMPTY);
	for (size_t j = 0; j < s->el_count[e]; j++) {
		size_t k = s->el_vars[e][j];

		if (!(d->items[k].est.flags & CS_SIPAS_F_EMPTY))
			c[k] = 1.0 / (double)m;
	}
}

/*
 * Maps coefficients over the full variables onto the estimator that holds
 * every variable with a nonzero coefficient (main first), writing them to
 * cm in that estimator's order. NULL when neither holds them all.
 */
static const struct cs_svy_est *coef_target(const struct cs_sipas *s, const struct acc *a,
					    const double *c, double *cm)
{
	bool in_main = true, in_pooled = true;

	for (size_t k = 0; k < s->nfull; k++) {
		if (c[k] == 0)
			continue;
		in_main &= s->main_pos[k] != CS_SIPAS_NONE;
		in_pooled &= k >= s->v_pooled;
	}
	if (in_main) {
		for (size_t j = 0; j < s->nmain; j++)
			cm[j] = s->main_pos[s->main_vars[j]] == j ? c[s->main_vars[j]] : 0;
		return a->main;
	}
	if (in_pooled) {
		for (size_t j = 0; j < s->npooled; j++)
			cm[j] = c[s->v_pooled + j];
		return a->pooled;
	}
	return NULL;
}

/* One-sided p-value of "the difference d with standard error se is below 0". */
static double p_below(double d, double se, double df)
{
	double t;

	if (isnan(d) || isnan(se) || isnan(df) || df <= 0)
		return NAN;
	if (!(se > 0))
		return d < 0 ? 0 : 1;
	t = d / se;
	return isinf(df) ? gsl_cdf_ugaussian_P(t) : gsl_cdf_tdist_P(t, df);
}

/*
 * The test of "index below the domain's headline overall" for the index with
 * coefficients c (M3.6): the difference is a linear combination of the same
 * respondents' answers, so its standard error accounts for their
 * correlation. Coefficients that cancel (an element that is the whole
 * overall index) give no test.
 */
static enum cs_err own_test(const struct cs_sipas *s, const struct acc *a, double *c,
			    const double *co, double *cm, double *p, struct cs_error *err)
{
	const struct cs_svy_est *est;
	struct cs_svy_result r;
	bool nonzero = false;
	enum cs_err rc;

	*p = NAN;
	for (size_t k = 0; k < s->nfull; k++) {
		c[k] -= co[k];
		if (fabs(c[k]) > 1e-12)
			nonzero = true;
		else
			c[k] = 0;
	}
	est = nonzero ? coef_target(s, a, c, cm) : NULL;
	if (!est)
		return CS_OK;
	rc = cs_svy_est_combine(est, cm, &r, err);
	if (rc || (r.flags & CS_SVY_EMPTY))
		return rc;
	*p = p_below(r.mean, r.se, r.df);
	return CS_OK;
}

static void weak_clear(struct cs_sipas_weak *w)
{
	*w = (struct cs_sipas_weak){false, NAN, NAN, NAN, false, false};
}

static char *rdup(struct cs_sipas_result *res, const char *s)
{
	return cs_arena_strndup(&res->arena, s ? s : "", s ? strlen(s) : 0);
}

/* Computes one domain's indices, intervals and own tests from its accumulator. */
static enum cs_err compute_domain(struct cs_sipas *s, struct cs_sipas_result *res,
				  const struct acc *a, struct cs_sipas_domain *d, double *c,
				  double *co, double *cm, struct cs_error *err)
{
	enum cs_q_overall_agg head = s->qo.headline;
	double alpha = res->alpha;
	struct cs_error ignored = {0};
	enum cs_err rc = CS_OK;

	/* Dozens of estimates over the same estimators follow. Without memory
	 * for it they are computed unprepared, with the same results. */
	(void)cs_svy_est_prepare(a->main, &ignored);
	(void)cs_svy_est_prepare(a->pooled, &ignored);

	d->by = a->by;
	d->code = rdup(res, a->code);
	d->name = rdup(res, a->name);
	d->name_en = rdup(res, a->name_en);
	d->unit = a->unit;
	d->level = a->level;
	d->n = a->n;
	d->wsum = a->wsum;
	d->nitems = s->nsat;
	d->nelements = s->nel;
	d->items = cs_arena_calloc(&res->arena, s->nsat + 1, sizeof(*d->items));
	d->elements = cs_arena_calloc(&res->arena, s->nel + 1, sizeof(*d->elements));
	if (!d->code || !d->name || !d->name_en || !d->items || !d->elements)
		return cs_fail(err, CS_ENOMEM, NULL);

	/* M3.3 item indices, level distributions, mean score. */
	for (size_t k = 0; k < s->nsat && !rc; k++) {
		struct cs_sipas_item *it = &d->items[k];
		const double *sums = &a->sums[S_STRIDE * k];
		double wl = 0, ws = 0;

		it->item = s->sat[k];
		it->satisfied = (uint64_t)sums[S_NSAT];
		weak_clear(&it->weak);
		rc = estimate(s, a->main, NULL, k, sums, &it->est, alpha, err);
		for (int l = 0; l < 5; l++) {
			wl += sums[S_WL1 + l];
			ws += (l + 1) * sums[S_WL1 + l];
		}
		for (int l = 0; l < 5; l++)
			it->levels[l] = wl > 0 ? 100 * sums[S_WL1 + l] / wl : NAN;
		it->mean_score = wl > 0 ? ws / wl : NAN;
		it->dissatisfied = wl > 0 ? 100 * (sums[S_WL1] + sums[S_WL1 + 1]) / wl : NAN;
	}

	/* Element indices: the mean of the item indices over the element's
	 * group of main's variables (n and df count its respondents), and the
	 * pooled ratio. */
	for (size_t e = 0; e < s->nel && !rc; e++) {
		struct cs_sipas_element *el = &d->elements[e];
		size_t m = 0;

		el->element = e;
		weak_clear(&el->weak);
		for (size_t j = 0; j < s->el_count[e]; j++)
			m += !(d->items[s->el_vars[e][j]].est.flags & CS_SIPAS_F_EMPTY);
		if (m) {
			memset(cm, 0, s->nmain * sizeof(double));
			for (size_t j = 0; j < s->el_count[e]; j++) {
				size_t k = s->el_vars[e][j];

				if (!(d->items[k].est.flags & CS_SIPAS_F_EMPTY))
					cm[s->main_pos[k]] = 1.0 / (double)m;
			}
			rc = estimate(s, a->main, cm, e, NULL, &el->mean_of_items, alpha, err);
		} else {
			est_clear(&el->mean_of_items);
		}
		if (!rc)
			rc = estimate(s, a->pooled, NULL, e, NULL, &el->pooled, alpha, err);
	}

	/* The three overall indices (M3.3). */
	if (!rc && overall_coef(s, d, CS_Q_OVERALL_MEAN_OF_ELEMENTS, c)) {
		/* The mean of the element indices: over main when the elements are
		 * means of items, over pooled when they are pooled ratios. */
		const struct cs_svy_est *est = a->pooled;

		if (s->qo.element_agg == CS_Q_ELEMENT_POOLED)
			for (size_t j = 0; j < s->npooled; j++)
				cm[j] = c[s->v_pooled + j];
		else
			est = coef_target(s, a, c, cm);
		rc = est ? estimate(s, est, cm, CS_SIPAS_NONE, NULL,
				    &d->overall[CS_Q_OVERALL_MEAN_OF_ELEMENTS], alpha, err)
			 : cs_fail(err, CS_EINTERNAL, "no estimator holds the overall index");
	} else {
		est_clear(&d->overall[CS_Q_OVERALL_MEAN_OF_ELEMENTS]);
	}
	if (!rc)
		rc = estimate(s, a->pooled, NULL, s->v_all - s->v_pooled, NULL,
			      &d->overall[CS_Q_OVERALL_POOLED], alpha, err);
	if (!rc && s->general != CS_Q_NONE)
		rc = estimate(s, a->pooled, NULL, s->v_general - s->v_pooled,
			      &a->sums[S_STRIDE * s->nsat], &d->overall[CS_Q_OVERALL_GENERAL],
			      alpha, err);
	else
		est_clear(&d->overall[CS_Q_OVERALL_GENERAL]);
	if (rc)
		return rc;
	/* The pooled overall index is a ratio: its design effect would not be
	 * the one of a proportion. */
	d->overall[CS_Q_OVERALL_POOLED].deff = NAN;
	d->overall[CS_Q_OVERALL_POOLED].n_eff = NAN;
	for (size_t e = 0; e < s->nel; e++) {
		d->elements[e].pooled.deff = NAN;
		d->elements[e].pooled.n_eff = NAN;
	}

	/* M3.6: below the domain's own headline overall index. */
	if (overall_coef(s, d, head, co)) {
		for (size_t k = 0; k < s->nsat && !rc; k++) {
			if (d->items[k].est.flags & CS_SIPAS_F_EMPTY)
				continue;
			memset(c, 0, s->nfull * sizeof(double));
			c[k] = 1;
			rc = own_test(s, a, c, co, cm, &d->items[k].weak.p_own, err);
		}
		for (size_t e = 0; e < s->nel && !rc; e++) {
			if (element_est(s, &d->elements[e])->flags & CS_SIPAS_F_EMPTY)
				continue;
			element_coef(s, d, e, c);
			rc = own_test(s, a, c, co, cm, &d->elements[e].weak.p_own, err);
		}
	}
	if (rc)
		return rc;

	/* M3.6: expectations, by item, most chosen first. */
	for (size_t x = 0; x < s->nexp; x++)
		d->nchoices += cs_questionnaire_item(s->q, s->exp_item[x])->nchoices;
	d->expectations = cs_arena_calloc(&res->arena, d->nchoices + 1, sizeof(*d->expectations));
	if (!d->expectations)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t x = 0, o = 0; x < s->nexp; x++) {
		const struct cs_q_item *it = cs_questionnaire_item(s->q, s->exp_item[x]);
		const double *es = &a->sums[s->exp_off[x]];
		struct cs_sipas_choice *first = &d->expectations[o];

		for (size_t ch = 0; ch < it->nchoices; ch++, o++) {
			struct cs_sipas_choice *cc = &d->expectations[o];

			cc->item = s->exp_item[x];
			cc->choice = ch;
			cc->share = es[0] > 0 ? 100 * es[2 + 2 * ch] / es[0] : NAN;
			cc->n = (uint64_t)es[3 + 2 * ch];
		}
		/* Insertion sort: a handful of choices, and stable. Shares
		 * equal but for rounding (the same weights summed in another
		 * order) count as ties and keep the questionnaire's order. */
		for (size_t i = 1; i < it->nchoices; i++) {
			struct cs_sipas_choice t = first[i];
			size_t j = i;

			while (j > 0 && first[j - 1].share < t.share - 1e-9) {
				first[j] = first[j - 1];
				j--;
			}
			first[j] = t;
		}
	}
	return CS_OK;
}

/* Whether two domains are peers (M3.6): same kind, and units of one level. */
static bool peers(const struct cs_sipas_domain *a, const struct cs_sipas_domain *b)
{
	if (a->by != b->by || a->by == CS_SIPAS_BY_ALL)
		return false;
	return a->by != CS_SIPAS_BY_UNIT || a->level == b->level;
}

/*
 * The peers' average of each item and element (the domain itself left out)
 * and the test of "below it", with the peers' average taken as known.
 */
static enum cs_err peer_tests(struct cs_sipas *s, struct cs_sipas_result *res, struct cs_error *err)
{
	size_t nk = s->nsat + s->nel, D = res->ndomains;
	double *sum = cs_calloc(nk * (D ? D : 1), sizeof(double));
	double *cnt = cs_calloc(nk * (D ? D : 1), sizeof(double));
	size_t *grp = cs_calloc(D ? D : 1, sizeof(size_t));
	size_t ngroups = 0;

	if (!sum || !cnt || !grp) {
		cs_free(sum);
		cs_free(cnt);
		cs_free(grp);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	/* Group the domains: a group's sums sit at its first member's row. */
	for (size_t i = 0; i < D; i++) {
		grp[i] = i;
		for (size_t j = 0; j < i; j++) {
			if (peers(&res->domains[i], &res->domains[j])) {
				grp[i] = grp[j];
				break;
			}
		}
		ngroups += grp[i] == i;
	}
	(void)ngroups;
	for (size_t i = 0; i < D; i++) {
		const struct cs_sipas_domain *d = &res->domains[i];

		for (size_t k = 0; k < nk; k++) {
			const struct cs_sipas_est *e =
				k < s->nsat ? &d->items[k].est
					    : element_est(s, &d->elements[k - s->nsat]);

			if (e->flags & CS_SIPAS_F_EMPTY)
				continue;
			sum[grp[i] * nk + k] += e->index;
			cnt[grp[i] * nk + k] += 1;
		}
	}
	for (size_t i = 0; i < D; i++) {
		struct cs_sipas_domain *d = &res->domains[i];

		if (d->by == CS_SIPAS_BY_ALL)
			continue;
		for (size_t k = 0; k < nk; k++) {
			struct cs_sipas_weak *w =
				k < s->nsat ? &d->items[k].weak : &d->elements[k - s->nsat].weak;
			const struct cs_sipas_est *e =
				k < s->nsat ? &d->items[k].est
					    : element_est(s, &d->elements[k - s->nsat]);
			double sm = sum[grp[i] * nk + k], n = cnt[grp[i] * nk + k];

			if (e->flags & CS_SIPAS_F_EMPTY || n < 2)
				continue;
			w->peer_average = (sm - e->index) / (n - 1);
			w->p_peers = p_below(e->index - w->peer_average, e->se, e->df);
		}
	}
	cs_free(sum);
	cs_free(cnt);
	cs_free(grp);
	return CS_OK;
}

struct pref {
	double p;
	bool *flag;
};

static int by_p(const void *a, const void *b)
{
	double x = ((const struct pref *)a)->p, y = ((const struct pref *)b)->p;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * Holm's step-down correction over every test of a domain (M3.6): the
 * smallest p-values are significant while p_(i) <= alpha / (m - i + 1).
 * Also sets below_target.
 */
static enum cs_err holm(struct cs_sipas *s, struct cs_sipas_result *res, struct cs_error *err)
{
	size_t nk = s->nsat + s->nel;
	struct pref *ps = cs_calloc(2 * nk + 1, sizeof(*ps));

	if (!ps)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < res->ndomains; i++) {
		struct cs_sipas_domain *d = &res->domains[i];
		size_t m = 0;

		for (size_t k = 0; k < nk; k++) {
			struct cs_sipas_weak *w =
				k < s->nsat ? &d->items[k].weak : &d->elements[k - s->nsat].weak;
			const struct cs_sipas_est *e =
				k < s->nsat ? &d->items[k].est
					    : element_est(s, &d->elements[k - s->nsat]);

			w->below_target = !(e->flags & CS_SIPAS_F_EMPTY) && e->index < s->qo.target;
			if (!isnan(w->p_own))
				ps[m++] = (struct pref){w->p_own, &w->sig_own};
			if (!isnan(w->p_peers))
				ps[m++] = (struct pref){w->p_peers, &w->sig_peers};
		}
		qsort(ps, m, sizeof(*ps), by_p);
		for (size_t j = 0; j < m; j++) {
			if (ps[j].p > res->alpha / (double)(m - j))
				break;
			*ps[j].flag = true;
		}
	}
	cs_free(ps);
	return CS_OK;
}

/* Orders accumulators of service, kind and channel by code, bytewise. */
static int by_code(const void *a, const void *b)
{
	return strcmp((*(struct acc *const *)a)->code, (*(struct acc *const *)b)->code);
}

/* Pools each unit's respondents into its ancestors', deepest units first (M3.4). */
/*
 * Moves src's accumulator into *dst when dst has none, or merges it into
 * dst's and frees it (M3.4: a domain's respondents are the union of its
 * lanes').
 */
static enum cs_err take(struct cs_sipas *s, struct acc **dst, struct acc **src,
			struct cs_error *err)
{
	enum cs_err rc;

	if (!*src)
		return CS_OK;
	if (!*dst) {
		*dst = *src;
		*src = NULL;
		return CS_OK;
	}
	rc = acc_merge(s, *dst, *src, err);
	if (!rc) {
		acc_free(*src);
		*src = NULL;
	}
	return rc;
}

/* Merges every lane into lane 0, lane by lane, so that the sums do not depend on timing. */
static enum cs_err merge_lanes(struct cs_sipas *s, struct cs_error *err)
{
	struct lane *L0 = &s->lanes[0];
	enum cs_err rc = CS_OK;

	for (size_t i = 1; i < CS_SIPAS_LANES && !rc; i++) {
		struct lane *L = &s->lanes[i];

		rc = take(s, &L0->all_acc, &L->all_acc, err);
		for (size_t u = 0; u < s->nunits && !rc; u++)
			rc = take(s, &L0->unit_acc[u], &L->unit_acc[u], err);
		for (int l = 0; l < CS_LEVEL_COUNT_ && !rc; l++)
			rc = take(s, &L0->level_acc[l], &L->level_acc[l], err);
		for (size_t k = 0; k < L->keyed.len && !rc; k++) {
			struct acc **src = cs_vec_at(&L->keyed, k), *dst = NULL;
			const char *code = (*src)->code;

			rc = keyed_acc(s, L0, cs_str_from(code), 0, &dst, err);
			if (!rc)
				rc = acc_merge(s, dst, *src, err);
		}
	}
	return rc;
}

static enum cs_err roll_up(struct cs_sipas *s, struct cs_error *err)
{
	size_t n = s->nunits, maxd = 0;
	size_t *order = NULL, *start = NULL;
	enum cs_err rc = CS_OK;

	for (size_t u = 0; u < n; u++)
		if (s->depth[u] > maxd)
			maxd = s->depth[u];
	order = cs_calloc(n + 1, sizeof(size_t));
	start = cs_calloc(maxd + 2, sizeof(size_t));
	if (!order || !start) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	/* Counting sort by depth, deepest first. */
	for (size_t u = 0; u < n; u++)
		start[maxd - s->depth[u] + 1]++;
	for (size_t d = 1; d <= maxd + 1; d++)
		start[d] += start[d - 1];
	for (size_t u = 0; u < n; u++)
		order[start[maxd - s->depth[u]]++] = u;
	for (size_t i = 0; i < n && !rc; i++) {
		size_t u = order[i], p = s->units[u].parent;

		if (!s->lanes[0].unit_acc[u] || p == CS_SIPAS_NONE || !s->in_scope[p])
			continue;
		if (!s->lanes[0].unit_acc[p]) {
			s->lanes[0].unit_acc[p] = acc_new(s, CS_SIPAS_BY_UNIT, "", err);
			if (!s->lanes[0].unit_acc[p]) {
				rc = err ? err->code : CS_ENOMEM;
				break;
			}
		}
		rc = acc_merge(s, s->lanes[0].unit_acc[p], s->lanes[0].unit_acc[u], err);
	}
out:
	cs_free(order);
	cs_free(start);
	return rc;
}

/* Collects the accumulators to report, the whole sample first. */
static enum cs_err collect(struct cs_sipas *s, struct cs_vec *out, struct cs_error *err)
{
	bool want_all = !(s->opts.by == CS_SIPAS_BY_UNIT && s->opts.scope != CS_SIPAS_NONE);
	enum cs_err rc = CS_OK;

	if (want_all && !s->lanes[0].all_acc) {
		s->lanes[0].all_acc = acc_new(s, CS_SIPAS_BY_ALL, "all", err);
		if (!s->lanes[0].all_acc)
			return err ? err->code : CS_ENOMEM;
		if (s->opts.by == CS_SIPAS_BY_UNIT) {
			for (size_t u = 0; u < s->nunits && !rc; u++)
				if (s->lanes[0].unit_acc[u] && s->units[u].parent == CS_SIPAS_NONE)
					rc = acc_merge(s, s->lanes[0].all_acc,
						       s->lanes[0].unit_acc[u], err);
		}
		for (int l = 0; l < CS_LEVEL_COUNT_ && !rc; l++)
			if (s->lanes[0].level_acc[l])
				rc = acc_merge(s, s->lanes[0].all_acc, s->lanes[0].level_acc[l],
					       err);
		for (size_t i = 0; i < s->lanes[0].keyed.len && !rc; i++)
			rc = acc_merge(s, s->lanes[0].all_acc, keyed_at(&s->lanes[0], i), err);
	}
	if (rc)
		return rc;
	if (want_all) {
		s->lanes[0].all_acc->by = CS_SIPAS_BY_ALL;
		s->lanes[0].all_acc->code = "all";
		s->lanes[0].all_acc->name = "Toàn bộ";
		s->lanes[0].all_acc->name_en = "All";
		rc = cs_vec_push(out, &s->lanes[0].all_acc, err);
	}
	for (size_t u = 0; u < s->nunits && !rc; u++) {
		struct acc *a = s->lanes[0].unit_acc[u];

		if (!a || !a->n)
			continue;
		a->code = s->units[u].code;
		a->name = s->units[u].name ? s->units[u].name : "";
		a->name_en = a->name;
		a->unit = u;
		a->level = s->units[u].level;
		rc = cs_vec_push(out, &a, err);
	}
	for (int l = 0; l < CS_LEVEL_COUNT_ && !rc; l++) {
		struct acc *a = s->lanes[0].level_acc[l];

		if (!a || !a->n)
			continue;
		a->code = cs_level_name((enum cs_level)l);
		a->name = cs_level_name_vi((enum cs_level)l);
		a->name_en = cs_level_name((enum cs_level)l);
		a->level = (enum cs_level)l;
		rc = cs_vec_push(out, &a, err);
	}
	if (!rc && s->lanes[0].keyed.len) {
		size_t from = out->len;

		for (size_t i = 0; i < s->lanes[0].keyed.len && !rc; i++)
			rc = cs_vec_push(out, cs_vec_at(&s->lanes[0].keyed, i), err);
		if (!rc)
			qsort((struct acc **)out->data + from, out->len - from,
			      sizeof(struct acc *), by_code);
	}
	return rc;
}

enum cs_err cs_sipas_finish(struct cs_sipas *s, struct cs_sipas_result **out, struct cs_error *err)
{
	struct cs_sipas_result *res = NULL;
	struct cs_vec accs;
	double *c = NULL, *co = NULL, *cm = NULL;
	enum cs_err rc;

	*out = NULL;
	if (s->finished)
		return cs_fail(err, CS_ESTATE, "the estimation is finished");
	s->finished = true;
	cs_vec_init(&accs, sizeof(struct acc *), 0);
	rc = cs_svy_design_finish(s->design, err);
	if (!rc)
		rc = merge_lanes(s, err);
	if (!rc && s->opts.by == CS_SIPAS_BY_UNIT)
		rc = roll_up(s, err);
	if (!rc)
		rc = collect(s, &accs, err);
	if (rc)
		goto out;
	res = cs_calloc(1, sizeof(*res));
	c = cs_calloc(s->nfull + 1, sizeof(double));
	co = cs_calloc(s->nfull + 1, sizeof(double));
	cm = cs_calloc(s->nfull + 1, sizeof(double));
	if (!res || !c || !co || !cm) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	cs_arena_init(&res->arena, 0);
	res->q = s->q;
	res->opts = s->opts;
	res->alpha = 1 - s->qo.confidence;
	res->respondents = s->rows;
	res->domains = cs_arena_calloc(&res->arena, accs.len + 1, sizeof(*res->domains));
	if (!res->domains) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	for (size_t i = 0; i < accs.len && !rc; i++) {
		rc = compute_domain(s, res, *(struct acc **)cs_vec_at(&accs, i), &res->domains[i],
				    c, co, cm, err);
		res->ndomains = i + 1;
	}
	if (!rc)
		rc = peer_tests(s, res, err);
	if (!rc)
		rc = holm(s, res, err);
out:
	cs_free(c);
	cs_free(co);
	cs_free(cm);
	cs_vec_release(&accs);
	if (rc) {
		cs_sipas_result_free(res);
		return rc;
	}
	*out = res;
	return CS_OK;
}

void cs_sipas_result_free(struct cs_sipas_result *r)
{
	if (!r)
		return;
	cs_arena_release(&r->arena);
	cs_free(r);
}

const struct cs_sipas_est *cs_sipas_headline(const struct cs_sipas_result *r,
					     const struct cs_sipas_domain *d)
{
	return &d->overall[cs_questionnaire_options(r->q)->headline];
}

const struct cs_sipas_est *cs_sipas_element_index(const struct cs_sipas_result *r,
						  const struct cs_sipas_element *e)
{
	return cs_questionnaire_options(r->q)->element_agg == CS_Q_ELEMENT_POOLED
		       ? &e->pooled
		       : &e->mean_of_items;
}

const struct cs_sipas_domain *cs_sipas_find(const struct cs_sipas_result *r, enum cs_sipas_by by,
					    const char *code)
{
	for (size_t i = 0; i < r->ndomains; i++)
		if (r->domains[i].by == by && strcmp(r->domains[i].code, code) == 0)
			return &r->domains[i];
	return NULL;
}

/* ---- Change against an earlier wave (M3.7) ---- */

static void diff_of(const struct cs_sipas_est *cur, const struct cs_sipas_est *prev, double alpha,
		    struct cs_sipas_diff *out)
{
	double q, df;

	*out = (struct cs_sipas_diff){false, NAN, NAN, NAN, NAN, NAN, false};
	if (!prev || (cur->flags & CS_SIPAS_F_EMPTY) || (prev->flags & CS_SIPAS_F_EMPTY))
		return;
	out->has_prev = true;
	out->prev = prev->index;
	out->diff = cur->index - prev->index;
	out->se = sqrt(cur->se * cur->se + prev->se * prev->se);
	/* Independent samples; t on the smaller df is the conservative choice. */
	df = cur->df < prev->df ? cur->df : prev->df;
	q = cs_ci_quantile(alpha, df);
	if (isnan(q))
		return;
	out->ci_lo = out->diff - q * out->se;
	out->ci_hi = out->diff + q * out->se;
	out->significant = out->ci_lo > 0 || out->ci_hi < 0;
}

enum cs_err cs_sipas_compare(struct cs_sipas_result *cur, const struct cs_sipas_result *prev,
			     struct cs_sipas_change **out, struct cs_error *err)
{
	struct cs_sipas_change *ch = cs_arena_calloc(&cur->arena, cur->ndomains + 1, sizeof(*ch));

	*out = NULL;
	if (!ch)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < cur->ndomains; i++) {
		const struct cs_sipas_domain *d = &cur->domains[i];
		const struct cs_sipas_domain *p = cs_sipas_find(prev, d->by, d->code);

		ch[i].elements = cs_arena_calloc(&cur->arena, d->nelements + 1,
						 sizeof(struct cs_sipas_diff));
		ch[i].items =
			cs_arena_calloc(&cur->arena, d->nitems + 1, sizeof(struct cs_sipas_diff));
		if (!ch[i].elements || !ch[i].items)
			return cs_fail(err, CS_ENOMEM, NULL);
		diff_of(cs_sipas_headline(cur, d), p ? cs_sipas_headline(prev, p) : NULL,
			cur->alpha, &ch[i].overall);
		for (size_t e = 0; e < d->nelements; e++) {
			const char *code =
				cs_questionnaire_element(cur->q, d->elements[e].element)->code;
			const struct cs_sipas_est *pe = NULL;

			for (size_t f = 0; p && f < p->nelements; f++)
				if (strcmp(cs_questionnaire_element(prev->q, p->elements[f].element)
						   ->code,
					   code) == 0)
					pe = cs_sipas_element_index(prev, &p->elements[f]);
			diff_of(cs_sipas_element_index(cur, &d->elements[e]), pe, cur->alpha,
				&ch[i].elements[e]);
		}
		for (size_t k = 0; k < d->nitems; k++) {
			const char *code = cs_questionnaire_item(cur->q, d->items[k].item)->code;
			const struct cs_sipas_est *pk = NULL;

			for (size_t f = 0; p && f < p->nitems; f++)
				if (strcmp(cs_questionnaire_item(prev->q, p->items[f].item)->code,
					   code) == 0)
					pk = &p->items[f].est;
			diff_of(&d->items[k].est, pk, cur->alpha, &ch[i].items[k]);
		}
	}
	*out = ch;
	return CS_OK;
}

/* ---- Ranking (M3.7) ---- */

static bool rankable(const struct cs_sipas_est *e)
{
	return !(e->flags & (CS_SIPAS_F_EMPTY | CS_SIPAS_F_SMALL_N));
}

/* A draw of an index (percent) from its sampling distribution on the logit scale. */
static double draw(gsl_rng *rng, const struct cs_sipas_est *e)
{
	double p = e->index / 100, se = e->se / 100, eta;

	if (!(p > 0 && p < 1) || !(se > 0))
		return e->index;
	eta = log(p / (1 - p)) + gsl_ran_gaussian(rng, se / (p * (1 - p)));
	return 100 / (1 + exp(-eta));
}

/* Ranks one group of domains (members[0..m)) into out, with the bootstrap. */
static enum cs_err rank_group(const struct cs_sipas_result *r, const struct cs_sipas_rank_opts *o,
			      gsl_rng *rng, const size_t *members, size_t m, size_t group,
			      struct cs_sipas_rank *out, struct cs_error *err)
{
	double *keys = cs_calloc(m + 1, sizeof(double));
	bool *elig = cs_calloc(m + 1, sizeof(bool));
	size_t *rank = cs_calloc(m + 1, sizeof(size_t));
	size_t *order = cs_calloc(m + 1, sizeof(size_t));
	uint32_t *hist = NULL;
	size_t ranked_of = 0;
	struct cs_rank_input in = {.n = m, .nkeys = 1, .method = CS_RANK_COMPETITION};
	enum cs_err rc = CS_OK;

	if (!keys || !elig || !rank || !order) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	for (size_t i = 0; i < m; i++) {
		const struct cs_sipas_est *h = cs_sipas_headline(r, &r->domains[members[i]]);

		elig[i] = rankable(h);
		keys[i] = elig[i] ? cs_round_half_away(h->index, 2) : 0;
	}
	in.keys = keys;
	in.eligible = elig;
	rc = cs_rank_compute(&in, rank, &ranked_of, order, err);
	if (rc)
		goto out;
	for (size_t j = 0; j < m; j++) {
		size_t i = order[j];

		out[j] = (struct cs_sipas_rank){.domain = members[i],
						.group = group,
						.value = elig[i] ? keys[i] : NAN,
						.rank = rank[i],
						.ranked_of = ranked_of};
	}
	if (!o->bootstrap || !ranked_of)
		goto out;
	hist = cs_calloc(m * m, sizeof(uint32_t));
	if (!hist) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	for (size_t b = 0; b < o->bootstrap && !rc; b++) {
		for (size_t i = 0; i < m; i++)
			keys[i] = elig[i] ? draw(rng, cs_sipas_headline(r, &r->domains[members[i]]))
					  : 0;
		rc = cs_rank_compute(&in, rank, &ranked_of, NULL, err);
		for (size_t i = 0; i < m && !rc; i++)
			if (elig[i])
				hist[i * m + rank[i] - 1]++;
	}
	for (size_t j = 0; j < m && !rc; j++) {
		size_t i = order[j];
		double lo_at = r->alpha / 2 * (double)o->bootstrap,
		       hi_at = (1 - r->alpha / 2) * (double)o->bootstrap, cum = 0;

		if (!elig[i])
			continue;
		/* The empirical quantiles: the smallest rank whose cumulative
		 * count reaches the level. */
		for (size_t k = 0; k < m; k++) {
			cum += hist[i * m + k];
			if (!out[j].rank_lo && cum >= lo_at && cum > 0)
				out[j].rank_lo = k + 1;
			if (cum >= hi_at && cum > 0) {
				out[j].rank_hi = k + 1;
				break;
			}
		}
	}
out:
	cs_free(keys);
	cs_free(elig);
	cs_free(rank);
	cs_free(order);
	cs_free(hist);
	return rc;
}

enum cs_err cs_sipas_rank(const struct cs_sipas_result *r, const struct cs_sipas_rank_opts *o,
			  struct cs_sipas_rank **out, size_t *n, struct cs_error *err)
{
	struct cs_sipas_rank *ranks = NULL;
	size_t *members = NULL, *grp = NULL, nr = 0, ngroups = 0;
	gsl_rng *rng = NULL;
	enum cs_err rc = CS_OK;

	*out = NULL;
	*n = 0;
	if (o->bootstrap > BOOTSTRAP_MAX)
		return cs_fail(err, CS_ETOOBIG, "%zu bootstrap replicates: at most %d",
			       o->bootstrap, BOOTSTRAP_MAX);
	ranks = cs_calloc(r->ndomains + 1, sizeof(*ranks));
	members = cs_calloc(r->ndomains + 1, sizeof(size_t));
	grp = cs_calloc(r->ndomains + 1, sizeof(size_t));
	if (o->bootstrap) {
		rng = gsl_rng_alloc(gsl_rng_mt19937);
		if (rng)
			gsl_rng_set(rng, o->seed);
	}
	if (!ranks || !members || !grp || (o->bootstrap && !rng)) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	/* Groups in order of first appearance: units one per level. */
	for (size_t i = 0; i < r->ndomains; i++) {
		grp[i] = SIZE_MAX;
		if (r->domains[i].by == CS_SIPAS_BY_ALL)
			continue;
		grp[i] = ngroups;
		for (size_t j = 0; j < i; j++) {
			if (grp[j] != SIZE_MAX && peers(&r->domains[i], &r->domains[j])) {
				grp[i] = grp[j];
				break;
			}
		}
		ngroups += grp[i] == ngroups;
	}
	for (size_t g = 0; g < ngroups && !rc; g++) {
		size_t m = 0;

		for (size_t i = 0; i < r->ndomains; i++)
			if (grp[i] == g)
				members[m++] = i;
		rc = rank_group(r, o, rng, members, m, g, ranks + nr, err);
		nr += m;
	}
out:
	gsl_rng_free(rng);
	cs_free(members);
	cs_free(grp);
	if (rc) {
		cs_free(ranks);
		return rc;
	}
	*out = ranks;
	*n = nr;
	return CS_OK;
}

/* ---- Weak areas (M3.6) ---- */

static const struct cs_sipas_est *entry_est(const struct cs_sipas_result *r,
					    const struct cs_sipas_domain *d, size_t k)
{
	return k < d->nitems ? &d->items[k].est
			     : cs_sipas_element_index(r, &d->elements[k - d->nitems]);
}

static const struct cs_sipas_weak *entry_weak(const struct cs_sipas_domain *d, size_t k)
{
	return k < d->nitems ? &d->items[k].weak : &d->elements[k - d->nitems].weak;
}

enum cs_err cs_sipas_weak_list(const struct cs_sipas_result *r, const struct cs_sipas_domain *d,
			       size_t **out, size_t *n, struct cs_error *err)
{
	size_t total = d->nitems + d->nelements, m = 0;
	size_t *list = cs_calloc(total + 1, sizeof(size_t));

	*out = NULL;
	*n = 0;
	if (!list)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t k = 0; k < total; k++) {
		const struct cs_sipas_weak *w = entry_weak(d, k);

		if (!(entry_est(r, d, k)->flags & CS_SIPAS_F_EMPTY) &&
		    (w->below_target || w->sig_own || w->sig_peers))
			list[m++] = k;
	}
	/* Insertion sort by index, ascending; stable, so items come before
	 * elements of the same index, in questionnaire order. */
	for (size_t i = 1; i < m; i++) {
		size_t t = list[i], j = i;
		double v = entry_est(r, d, t)->index;

		while (j > 0 && entry_est(r, d, list[j - 1])->index > v) {
			list[j] = list[j - 1];
			j--;
		}
		list[j] = t;
	}
	*out = list;
	*n = m;
	return CS_OK;
}
