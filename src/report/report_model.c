/*
 * The yearly report's model: choosing the force, its units and the rows of
 * each section, and the summary figures, from computed PAR and SIPAS
 * results (see report_model.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_model.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

/* A code and what it names, for lookups by binary search. */
struct key {
	const char *code;
	size_t a, b;
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct key *x = pa, *y = pb;
	int c = strcmp(x->code, y->code);

	if (c)
		return c;
	/* Equal codes keep their first occurrence first. */
	return x->a != y->a ? (x->a < y->a ? -1 : 1) : (x->b < y->b ? -1 : x->b > y->b);
}

static const struct key *key_find(const struct key *keys, size_t n, const char *code)
{
	size_t lo = 0, hi = n;

	/* The first entry with this code: lower bound. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(keys[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(keys[lo].code, code) == 0 ? &keys[lo] : NULL;
}

/* What building needs besides the model: lookups, freed at the end. */
struct build {
	const struct cs_report_input *in;
	struct cs_report_model *m;
	size_t nunits;
	struct key *units; /* stored units by code: a = index in the set */
	size_t *parent;	   /* per stored unit: its parent's index, CS_REPORT_NONE */
	size_t nresults;
	struct key *results; /* PAR results by code: a = section, b = result */
	struct key **dkeys;  /* per wave: unit domains by code, a = domain */
	size_t *ndomains;
	size_t focus; /* index of the force in the set */
	bool *below;  /* per stored unit: a descendant of the force */
};

static const struct cs_unit *unit_at(const struct build *b, size_t i)
{
	return cs_unit_set_at(b->in->units, i);
}

static size_t unit_index(const struct build *b, const char *code)
{
	const struct key *k = code ? key_find(b->units, b->nunits, code) : NULL;

	return k ? k->a : CS_REPORT_NONE;
}

static enum cs_err index_units(struct build *b, struct cs_error *err)
{
	b->nunits = b->in->units ? b->in->units->units.len : 0;
	b->units = cs_calloc(b->nunits + 1, sizeof(*b->units));
	b->parent = cs_calloc(b->nunits + 1, sizeof(*b->parent));
	b->below = cs_calloc(b->nunits + 1, sizeof(*b->below));
	if (!b->units || !b->parent || !b->below)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < b->nunits; i++)
		b->units[i] = (struct key){unit_at(b, i)->code, i, 0};
	qsort(b->units, b->nunits, sizeof(*b->units), key_cmp);
	for (size_t i = 0; i < b->nunits; i++)
		b->parent[i] = unit_index(b, unit_at(b, i)->parent);
	return CS_OK;
}

static enum cs_err index_results(struct build *b, struct cs_error *err)
{
	size_t n = 0;

	for (size_t s = 0; s < b->in->npar; s++)
		n += b->in->par[s].run->nunits;
	b->results = cs_calloc(n + 1, sizeof(*b->results));
	if (!b->results)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t s = 0; s < b->in->npar; s++)
		for (size_t i = 0; i < b->in->par[s].run->nunits; i++)
			b->results[b->nresults++] =
				(struct key){b->in->par[s].run->results[i].code, s, i};
	qsort(b->results, b->nresults, sizeof(*b->results), key_cmp);
	return CS_OK;
}

static enum cs_err index_domains(struct build *b, struct cs_error *err)
{
	size_t nw = b->in->nwaves;

	b->dkeys = cs_calloc(nw + 1, sizeof(*b->dkeys));
	b->ndomains = cs_calloc(nw + 1, sizeof(*b->ndomains));
	if (!b->dkeys || !b->ndomains)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t w = 0; w < nw; w++) {
		const struct cs_sipas_result *r = b->in->waves[w].res;

		b->dkeys[w] = cs_calloc(r->ndomains + 1, sizeof(struct key));
		if (!b->dkeys[w])
			return cs_fail(err, CS_ENOMEM, NULL);
		for (size_t i = 0; i < r->ndomains; i++)
			if (r->domains[i].by == CS_SIPAS_BY_UNIT && r->domains[i].n > 0)
				b->dkeys[w][b->ndomains[w]++] =
					(struct key){r->domains[i].code, i, 0};
		qsort(b->dkeys[w], b->ndomains[w], sizeof(struct key), key_cmp);
	}
	return CS_OK;
}

static size_t domain_of(const struct build *b, size_t w, const char *code)
{
	const struct key *k = key_find(b->dkeys[w], b->ndomains[w], code);

	return k ? k->a : CS_REPORT_NONE;
}

static void build_release(struct build *b)
{
	for (size_t w = 0; b->dkeys && w < b->in->nwaves; w++)
		cs_free(b->dkeys[w]);
	cs_free(b->dkeys);
	cs_free(b->ndomains);
	cs_free(b->results);
	cs_free(b->units);
	cs_free(b->parent);
	cs_free(b->below);
}

/* Adds unit index u to the candidate list once. */
static void candidate(size_t *list, size_t *n, size_t u)
{
	for (size_t i = 0; i < *n; i++)
		if (list[i] == u)
			return;
	list[(*n)++] = u;
}

/*
 * The force: given, or the unit the assessed units hang from (see
 * cs_report_model_build).
 */
static enum cs_err choose_focus(struct build *b, struct cs_error *err)
{
	size_t *cand = NULL, ncand = 0, nprov = 0, prov = CS_REPORT_NONE;
	size_t cap = b->nresults + 1;
	struct cs_buf names;
	enum cs_err rc = CS_OK;

	if (b->in->focus) {
		b->focus = unit_index(b, b->in->focus);
		if (b->focus == CS_REPORT_NONE)
			return cs_fail(err, CS_ENOTFOUND,
				       "unit '%s': no such unit; see 'chiso unit list'",
				       b->in->focus);
		return CS_OK;
	}
	for (size_t w = 0; w < b->in->nwaves; w++)
		cap += b->ndomains[w];
	cand = cs_calloc(cap, sizeof(*cand));
	if (!cand)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < b->nresults; i++) {
		size_t u = unit_index(b, b->results[i].code);

		if (u != CS_REPORT_NONE && b->parent[u] != CS_REPORT_NONE)
			candidate(cand, &ncand, b->parent[u]);
	}
	for (size_t w = 0; w < b->in->nwaves; w++)
		for (size_t i = 0; i < b->ndomains[w]; i++) {
			size_t u = unit_index(b, b->dkeys[w][i].code);

			if (u != CS_REPORT_NONE && b->parent[u] != CS_REPORT_NONE)
				candidate(cand, &ncand, b->parent[u]);
		}
	for (size_t i = 0; i < ncand; i++)
		if (unit_at(b, cand[i])->level == CS_LEVEL_PROVINCE) {
			nprov++;
			prov = cand[i];
		}
	if (nprov == 1) {
		b->focus = prov;
	} else if (ncand == 1) {
		b->focus = cand[0];
	} else {
		size_t in_set = 0;

		for (size_t i = 0; i < b->nunits; i++)
			if (unit_at(b, i)->level == CS_LEVEL_PROVINCE) {
				in_set++;
				prov = i;
			}
		if (in_set == 1 && nprov == 0) {
			b->focus = prov;
		} else {
			cs_buf_init(&names, 4096);
			for (size_t i = 0, k = 0; i < ncand && k < 8; i++) {
				if (nprov && unit_at(b, cand[i])->level != CS_LEVEL_PROVINCE)
					continue;
				cs_buf_addf(&names, NULL, "%s'%s'", k++ ? ", " : "",
					    unit_at(b, cand[i])->code);
			}
			rc = cs_fail(err, CS_EINVAL,
				     ncand ? "the report could be of several units (%s%s); choose "
					     "one with --unit"
					   : "no unit to report on: the period has no results%s%s; "
					     "choose one with --unit",
				     names.data, (nprov ? nprov : ncand) > 8 ? ", ..." : "");
			cs_buf_release(&names);
		}
	}
	cs_free(cand);
	return rc;
}

/* Marks the force's descendants. */
static void mark_below(struct build *b)
{
	for (size_t i = 0; i < b->nunits; i++) {
		size_t p = b->parent[i];

		/* The tree was checked on import; the step limit only guards a cycle. */
		for (size_t steps = 0; p != CS_REPORT_NONE && steps < b->nunits; steps++) {
			if (p == b->focus) {
				b->below[i] = true;
				break;
			}
			p = b->parent[p];
		}
	}
}

static bool is_below(const struct build *b, const char *code)
{
	size_t u = unit_index(b, code);

	return u != CS_REPORT_NONE && b->below[u];
}

static enum cs_err build_par(struct build *b, struct cs_error *err)
{
	struct cs_report_model *m = b->m;
	enum cs_err rc = CS_OK;

	m->npar = b->in->npar;
	m->par = cs_arena_calloc(&m->arena, m->npar + 1, sizeof(*m->par));
	if (!m->par)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t s = 0; s < m->npar && !rc; s++) {
		struct cs_report_par *p = &m->par[s];
		const struct cs_par_run *run = b->in->par[s].run;
		size_t *order = cs_arena_calloc(&m->arena, run->nunits + 1, sizeof(size_t));

		p->rep = &b->in->par[s];
		p->focus = CS_REPORT_NONE;
		p->rows = cs_arena_calloc(&m->arena, run->nunits + 1, sizeof(size_t));
		if (!order || !p->rows)
			return cs_fail(err, CS_ENOMEM, NULL);
		rc = cs_par_report_order(p->rep, order, err);
		for (size_t i = 0; !rc && i < run->nunits; i++) {
			const struct cs_par_result *r = &run->results[i];

			if (strcmp(r->code, m->focus_code) == 0 && p->focus == CS_REPORT_NONE)
				p->focus = i;
			if (is_below(b, r->code)) {
				p->nscope++;
				p->ncomplete += cs_par_report_has_result(r);
			}
		}
		p->kind = p->nscope		       ? CS_REPORT_PAR_UNITS
			  : p->focus != CS_REPORT_NONE ? CS_REPORT_PAR_LEAGUE
						       : CS_REPORT_PAR_OTHER;
		for (size_t i = 0; !rc && i < run->nunits; i++) {
			size_t k = order[i];

			if (p->kind != CS_REPORT_PAR_UNITS || k == p->focus ||
			    is_below(b, run->results[k].code))
				p->rows[p->nrows++] = k;
		}
	}
	return rc;
}

/*
 * Puts the sections in the order the report shows them: the force's own
 * units first, then the league it is ranked in, then any other; the order
 * of the period's frameworks (by code) within each kind.
 */
static enum cs_err order_par(struct build *b, struct cs_error *err)
{
	struct cs_report_model *m = b->m;
	static const enum cs_report_par_kind kinds[] = {CS_REPORT_PAR_UNITS, CS_REPORT_PAR_LEAGUE,
							CS_REPORT_PAR_OTHER};
	struct cs_report_par *old = cs_calloc(m->npar + 1, sizeof(*old));
	size_t *to = cs_calloc(m->npar + 1, sizeof(*to));
	size_t k = 0;

	if (!old || !to) {
		cs_free(old);
		cs_free(to);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	if (m->npar)
		memcpy(old, m->par, m->npar * sizeof(*old));
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		for (size_t s = 0; s < m->npar; s++)
			if (old[s].kind == kinds[i]) {
				to[s] = k;
				m->par[k++] = old[s];
			}
	for (size_t i = 0; i < b->nresults; i++)
		b->results[i].a = to[b->results[i].a];
	/* A unit in several sections is shown with the first one shown. */
	qsort(b->results, b->nresults, sizeof(*b->results), key_cmp);
	cs_free(old);
	cs_free(to);
	return CS_OK;
}

/* The force's units in tree order: a depth-first walk, children in stored order. */
static enum cs_err build_units(struct build *b, struct cs_error *err)
{
	struct cs_report_model *m = b->m;
	size_t *first = cs_calloc(b->nunits + 1, sizeof(size_t));
	size_t *last = cs_calloc(b->nunits + 1, sizeof(size_t));
	size_t *next = cs_calloc(b->nunits + 1, sizeof(size_t));
	size_t *stack = cs_calloc(b->nunits + 1, sizeof(size_t));
	size_t *depth = cs_calloc(b->nunits + 1, sizeof(size_t));
	size_t top = 0, nw = b->in->nwaves;
	enum cs_err rc = CS_OK;

	m->units = cs_arena_calloc(&m->arena, b->nunits + 1, sizeof(*m->units));
	if (!first || !last || !next || !stack || !depth || !m->units) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	for (size_t i = 0; i < b->nunits; i++)
		first[i] = last[i] = next[i] = CS_REPORT_NONE;
	for (size_t i = 0; i < b->nunits; i++) {
		size_t p = b->parent[i];

		if (p == CS_REPORT_NONE || !b->below[i])
			continue;
		if (first[p] == CS_REPORT_NONE)
			first[p] = i;
		else
			next[last[p]] = i;
		last[p] = i;
	}
	/* Children are pushed in reverse so that they come out in order. */
	for (size_t c = first[b->focus]; c != CS_REPORT_NONE; c = next[c])
		stack[top++] = c;
	for (size_t i = 0, j = top; i < j / 2; i++) {
		size_t t = stack[i];

		stack[i] = stack[j - 1 - i];
		stack[j - 1 - i] = t;
	}
	for (size_t c = first[b->focus]; c != CS_REPORT_NONE; c = next[c])
		depth[c] = 1;
	while (top > 0 && !rc) {
		size_t u = stack[--top], base = top;
		const struct cs_unit *su = unit_at(b, u);
		const struct key *k = key_find(b->results, b->nresults, su->code);
		struct cs_report_unit ru = {
			su->code,	su->name,	su->parent, su->level, (unsigned)depth[u],
			CS_REPORT_NONE, CS_REPORT_NONE, NULL,	    0,	       NULL};
		bool shown = k != NULL;

		ru.domains = cs_arena_calloc(&m->arena, nw + 1, sizeof(size_t));
		if (!ru.domains) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
			break;
		}
		if (k) {
			ru.par = k->a;
			ru.result = k->b;
		}
		for (size_t w = 0; w < nw; w++) {
			ru.domains[w] = domain_of(b, w, su->code);
			shown = shown || ru.domains[w] != CS_REPORT_NONE;
		}
		if (shown)
			m->units[m->nunits++] = ru;
		for (size_t c = first[u]; c != CS_REPORT_NONE; c = next[c]) {
			depth[c] = depth[u] + 1;
			stack[top++] = c;
		}
		for (size_t i = base, j = top; i < base + (j - base) / 2; i++) {
			size_t t = stack[i];

			stack[i] = stack[j - 1 - (i - base)];
			stack[j - 1 - (i - base)] = t;
		}
	}
out:
	cs_free(first);
	cs_free(last);
	cs_free(next);
	cs_free(stack);
	cs_free(depth);
	return rc;
}

/* A copy of a weak list in the arena. */
static enum cs_err weak_list(struct cs_report_model *m, const struct cs_sipas_result *r,
			     const struct cs_sipas_domain *d, size_t **out, size_t *n,
			     struct cs_error *err)
{
	size_t *list = NULL;
	enum cs_err rc = cs_sipas_weak_list(r, d, &list, n, err);

	if (!rc) {
		*out = cs_arena_calloc(&m->arena, *n + 1, sizeof(size_t));
		if (!*out)
			rc = cs_fail(err, CS_ENOMEM, NULL);
		else if (*n)
			memcpy(*out, list, *n * sizeof(size_t));
	}
	cs_free(list);
	return rc;
}

/* The index of a weak-list entry of domain d. */
static double entry_index(const struct cs_sipas_result *r, const struct cs_sipas_domain *d,
			  size_t k)
{
	return k < d->nitems ? d->items[k].est.index
			     : cs_sipas_element_index(r, &d->elements[k - d->nitems])->index;
}

static enum cs_err build_waves(struct build *b, struct cs_error *err)
{
	struct cs_report_model *m = b->m;
	enum cs_err rc = CS_OK;

	m->nwaves = b->in->nwaves;
	m->waves = cs_arena_calloc(&m->arena, m->nwaves + 1, sizeof(*m->waves));
	if (!m->waves)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t w = 0; w < m->nwaves && !rc; w++) {
		struct cs_report_wave *rw = &m->waves[w];
		const struct cs_sipas_result *r = b->in->waves[w].res;
		struct cs_sipas_rank_opts ro = {0, 0};
		struct cs_sipas_rank *ranks = NULL;
		size_t nranks = 0;

		rw->in = &b->in->waves[w];
		rw->focus = domain_of(b, w, m->focus_code);
		if (rw->focus == CS_REPORT_NONE)
			continue;
		rc = weak_list(m, r, &r->domains[rw->focus], &rw->weak, &rw->nweak, err);
		if (!rc)
			rc = cs_sipas_rank(r, &ro, &ranks, &nranks, err);
		for (size_t i = 0; !rc && i < nranks; i++)
			if (ranks[i].domain == rw->focus && ranks[i].rank) {
				rw->rank = ranks[i].rank;
				rw->ranked_of = ranks[i].ranked_of;
			}
		cs_free(ranks);
	}
	return rc;
}

/* Top-level framework nodes of result r that lost most points, at most CS_REPORT_FIX_PAR. */
static size_t par_fix(const struct cs_report_model *m, const struct cs_report_unit *u,
		      struct cs_report_fix *out)
{
	const struct cs_par_result *r = cs_report_unit_par(m, u);
	const struct cs_framework *fw = m->par[u->par].rep->fw;
	size_t n = 0;

	if (!r || !cs_par_report_has_result(r))
		return 0;
	for (size_t i = 0; i < cs_framework_node_count(fw); i++) {
		const struct cs_fw_node *node = cs_framework_node(fw, i);
		const struct cs_par_node_result *nr = &r->nodes[i];
		struct cs_report_fix f = {false, 0, i, nr->index, nr->max - nr->points};
		size_t j;

		if (node->depth != 0 || cs_fw_node_is_adjustment(node) ||
		    nr->state != CS_PAR_NODE_SCORED || !(f.lost > 1e-9))
			continue;
		/* Insertion into the top list, most lost first; ties keep framework order. */
		for (j = n; j > 0 && out[j - 1].lost < f.lost; j--)
			if (j < CS_REPORT_FIX_PAR)
				out[j] = out[j - 1];
		if (j < CS_REPORT_FIX_PAR) {
			out[j] = f;
			if (n < CS_REPORT_FIX_PAR)
				n++;
		}
	}
	return n;
}

static enum cs_err build_fix(struct build *b, struct cs_error *err)
{
	struct cs_report_model *m = b->m;
	enum cs_err rc = CS_OK;

	for (size_t i = 0; i < m->nunits && !rc; i++) {
		struct cs_report_unit *u = &m->units[i];
		size_t cap = CS_REPORT_FIX_PAR + CS_REPORT_FIX_SIPAS * m->nwaves;

		u->fix = cs_arena_calloc(&m->arena, cap + 1, sizeof(*u->fix));
		if (!u->fix)
			return cs_fail(err, CS_ENOMEM, NULL);
		if (u->result != CS_REPORT_NONE)
			u->nfix = par_fix(m, u, u->fix);
		for (size_t w = 0; w < m->nwaves && !rc; w++) {
			const struct cs_sipas_result *r = m->waves[w].in->res;
			const struct cs_sipas_domain *d = cs_report_unit_domain(m, u, w);
			size_t *list = NULL, n = 0;

			if (!d)
				continue;
			rc = cs_sipas_weak_list(r, d, &list, &n, err);
			for (size_t k = 0; !rc && k < n && k < CS_REPORT_FIX_SIPAS; k++)
				u->fix[u->nfix++] = (struct cs_report_fix){
					true, w, list[k], entry_index(r, d, list[k]), NAN};
			cs_free(list);
		}
	}
	return rc;
}

/* The band of a section's band i in the summary list, added when new. */
static enum cs_err summary_band(struct cs_report_model *m, const struct cs_fw_band *fb, size_t cap,
				struct cs_report_band **out, struct cs_error *err)
{
	struct cs_report_summary *s = &m->summary;

	for (size_t i = 0; i < s->nbands; i++)
		if (strcmp(s->bands[i].code, fb->code) == 0 &&
		    strcmp(s->bands[i].label_vi, fb->label_vi) == 0) {
			*out = &s->bands[i];
			return CS_OK;
		}
	if (s->nbands >= cap)
		return cs_fail(err, CS_EINVAL, "band '%s': more bands than expected", fb->code);
	s->bands[s->nbands] = (struct cs_report_band){fb->code, fb->label_vi, fb->label_en, 0};
	*out = &s->bands[s->nbands++];
	return CS_OK;
}

static enum cs_err build_summary(struct build *b, struct cs_error *err)
{
	struct cs_report_model *m = b->m;
	struct cs_report_summary *s = &m->summary;
	size_t cap = 0;
	double sum = 0;
	enum cs_err rc = CS_OK;

	s->mean = NAN;
	s->position_par = CS_REPORT_NONE;
	s->general_wave = CS_REPORT_NONE;
	s->decimals = m->npar ? cs_par_report_decimals(m->par[0].rep) : 2;
	for (size_t p = 0; p < m->npar; p++)
		cap += cs_framework_band_count(m->par[p].rep->fw);
	s->bands = cs_arena_calloc(&m->arena, cap + 1, sizeof(*s->bands));
	if (!s->bands)
		return cs_fail(err, CS_ENOMEM, NULL);
	/* Every band of the frameworks is listed, with 0 where no unit has it. */
	for (size_t p = 0; p < m->npar && !rc; p++)
		for (size_t i = 0; i < cs_framework_band_count(m->par[p].rep->fw) && !rc; i++) {
			struct cs_report_band *band;

			rc = summary_band(m, cs_framework_band(m->par[p].rep->fw, i), cap, &band,
					  err);
		}
	for (size_t i = 0; i < m->nunits && !rc; i++) {
		const struct cs_report_unit *u = &m->units[i];
		const struct cs_par_result *r = cs_report_unit_par(m, u);
		const struct cs_framework *fw;
		struct cs_report_band *band;

		if (!r || !cs_par_report_has_result(r))
			continue;
		fw = m->par[u->par].rep->fw;
		s->units++;
		/* M2.7: the average of the figures as published, unless the
		 * framework compares in full precision. */
		sum += cs_framework_options(fw)->full_precision ? r->index : r->published;
		if (r->band != CS_FW_NONE) {
			rc = summary_band(m, cs_framework_band(fw, r->band), cap, &band, err);
			if (!rc)
				band->count++;
		}
	}
	if (s->units)
		s->mean = sum / (double)s->units;
	for (size_t p = 0; p < m->npar; p++) {
		size_t f = m->par[p].focus;

		/* A position among the force's own units would say nothing: only
		 * a league of peers gives one. */
		if (f != CS_REPORT_NONE && m->par[p].kind == CS_REPORT_PAR_LEAGUE &&
		    m->par[p].rep->run->results[f].rank && s->position_par == CS_REPORT_NONE)
			s->position_par = p;
	}
	for (size_t w = 0; w < m->nwaves; w++)
		if (m->waves[w].focus != CS_REPORT_NONE && s->general_wave == CS_REPORT_NONE)
			s->general_wave = w;
	return rc;
}

enum cs_err cs_report_model_build(const struct cs_report_input *in, struct cs_report_model **out,
				  struct cs_error *err)
{
	struct build b = {.in = in, .focus = CS_REPORT_NONE};
	struct cs_report_model *m = cs_calloc(1, sizeof(*m));
	const struct cs_unit *fu;
	enum cs_err rc;

	*out = NULL;
	if (!m)
		return cs_fail(err, CS_ENOMEM, NULL);
	cs_arena_init(&m->arena, 0);
	m->in = in;
	b.m = m;
	rc = index_units(&b, err);
	if (!rc)
		rc = index_results(&b, err);
	if (!rc)
		rc = index_domains(&b, err);
	if (!rc)
		rc = choose_focus(&b, err);
	if (!rc) {
		fu = unit_at(&b, b.focus);
		m->focus_code = fu->code;
		m->focus_name = fu->name ? fu->name : "";
		m->focus_level = fu->level;
		mark_below(&b);
		rc = build_par(&b, err);
	}
	if (!rc)
		rc = order_par(&b, err);
	if (!rc)
		rc = build_units(&b, err);
	if (!rc)
		rc = build_waves(&b, err);
	if (!rc)
		rc = build_fix(&b, err);
	if (!rc)
		rc = build_summary(&b, err);
	build_release(&b);
	if (rc) {
		cs_report_model_free(m);
		return rc;
	}
	*out = m;
	return CS_OK;
}

void cs_report_model_free(struct cs_report_model *m)
{
	if (!m)
		return;
	cs_arena_release(&m->arena);
	cs_free(m);
}

const struct cs_par_result *cs_report_unit_par(const struct cs_report_model *m,
					       const struct cs_report_unit *u)
{
	if (u->par == CS_REPORT_NONE || u->par >= m->npar)
		return NULL;
	return &m->par[u->par].rep->run->results[u->result];
}

const struct cs_sipas_domain *cs_report_unit_domain(const struct cs_report_model *m,
						    const struct cs_report_unit *u, size_t w)
{
	if (w >= m->nwaves || u->domains[w] == CS_REPORT_NONE)
		return NULL;
	return &m->waves[w].in->res->domains[u->domains[w]];
}

const struct cs_sipas_domain *cs_report_focus_domain(const struct cs_report_model *m, size_t w)
{
	if (w >= m->nwaves || m->waves[w].focus == CS_REPORT_NONE)
		return NULL;
	return &m->waves[w].in->res->domains[m->waves[w].focus];
}

const struct cs_par_result *cs_report_focus_par(const struct cs_report_model *m, size_t *section)
{
	size_t p = m->summary.position_par;

	for (size_t i = 0; p == CS_REPORT_NONE && i < m->npar; i++)
		if (m->par[i].focus != CS_REPORT_NONE)
			p = i;
	if (section)
		*section = p;
	return p == CS_REPORT_NONE ? NULL : &m->par[p].rep->run->results[m->par[p].focus];
}
