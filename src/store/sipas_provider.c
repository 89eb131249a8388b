/*
 * Satisfaction results from stored responses: the source of an estimation
 * (wave, questionnaire, units), the streaming estimation of a wave, and the
 * PAR provider of survey leaves.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/questionnaire_store.h"
#include "store/sipas_provider.h"
#include "store/sipas_wave.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/vec.h"

#include "util/banned.h"

/*
 * Unit ids to indices: sorted pairs, searched by bisection, and when the ids
 * are small (as the database numbers them) a table indexed by id.
 */
struct id_pair {
	int64_t id;
	size_t index;
};

struct cs_sipas_idmap {
	struct id_pair *pairs;
	size_t n;
	uint32_t *direct; /* index + 1 by id, 0 for none; NULL when ids are large */
	size_t ndirect;
};

static int cmp_id(const void *a, const void *b)
{
	int64_t x = ((const struct id_pair *)a)->id, y = ((const struct id_pair *)b)->id;

	return x < y ? -1 : x > y;
}

static bool id_index(const struct cs_sipas_idmap *m, int64_t id, size_t *out)
{
	size_t lo = 0, hi = m->n;

	if (m->direct) {
		if (id < 0 || (uint64_t)id >= m->ndirect || !m->direct[id])
			return false;
		*out = m->direct[id] - 1;
		return true;
	}

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->pairs[mid].id == id) {
			*out = m->pairs[mid].index;
			return true;
		}
		if (m->pairs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

struct code_pair {
	const char *code;
	size_t index;
};

static int cmp_code(const void *a, const void *b)
{
	return strcmp(((const struct code_pair *)a)->code, ((const struct code_pair *)b)->code);
}

void cs_sipas_source_release(struct cs_sipas_source *src)
{
	if (!src)
		return;
	cs_questionnaire_free(src->q);
	cs_unit_set_release(&src->units);
	cs_free(src->su);
	if (src->ids) {
		cs_free(src->ids->pairs);
		cs_free(src->ids->direct);
	}
	cs_free(src->ids);
	memset(src, 0, sizeof(*src));
	cs_unit_set_init(&src->units);
}

bool cs_sipas_source_unit(const struct cs_sipas_source *src, const char *code, size_t *index)
{
	for (size_t i = 0; i < src->nunits; i++) {
		if (strcmp(src->su[i].code, code) == 0) {
			*index = i;
			return true;
		}
	}
	return false;
}

/* The units as core/sipas.h takes them: parents by index. */
static enum cs_err build_units(struct cs_sipas_source *src, struct cs_error *err)
{
	size_t n = src->units.units.len;
	struct code_pair *byc = cs_calloc(n + 1, sizeof(*byc));
	enum cs_err rc = CS_OK;

	src->su = cs_calloc(n + 1, sizeof(*src->su));
	src->ids = cs_calloc(1, sizeof(*src->ids));
	if (src->ids)
		src->ids->pairs = cs_calloc(n + 1, sizeof(struct id_pair));
	if (!byc || !src->su || !src->ids || !src->ids->pairs) {
		cs_free(byc);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		const struct cs_unit *u = cs_unit_set_at(&src->units, i);

		byc[i] = (struct code_pair){u->code, i};
		src->ids->pairs[i] = (struct id_pair){u->id, i};
	}
	qsort(byc, n, sizeof(*byc), cmp_code);
	qsort(src->ids->pairs, n, sizeof(struct id_pair), cmp_id);
	src->ids->n = n;
	/* The table is optional: without memory for it, bisection does. */
	if (n && n < UINT32_MAX && src->ids->pairs[0].id >= 0 &&
	    src->ids->pairs[n - 1].id < (int64_t)(4 * n + 1024)) {
		size_t nd = (size_t)src->ids->pairs[n - 1].id + 1;

		src->ids->direct = cs_calloc(nd, sizeof(uint32_t));
		src->ids->ndirect = src->ids->direct ? nd : 0;
		for (size_t i = 0; i < n && src->ids->direct; i++)
			src->ids->direct[src->ids->pairs[i].id] =
				(uint32_t)src->ids->pairs[i].index + 1;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const struct cs_unit *u = cs_unit_set_at(&src->units, i);
		struct code_pair key = {u->parent, 0}, *hit = NULL;

		src->su[i] = (struct cs_sipas_unit){u->code, u->name, CS_SIPAS_NONE, u->level};
		if (!u->parent)
			continue;
		hit = bsearch(&key, byc, n, sizeof(*byc), cmp_code);
		if (!hit)
			rc = cs_fail(err, CS_EINTERNAL, "unit '%s': parent '%s' is not stored",
				     u->code, u->parent);
		else
			src->su[i].parent = hit->index;
	}
	src->nunits = n;
	cs_free(byc);
	return rc;
}

enum cs_err cs_sipas_source_load(struct cs_store *s, const char *wave, struct cs_sipas_source *src,
				 struct cs_error *err)
{
	enum cs_err rc;

	cs_unit_set_init(&src->units);
	rc = cs_wave_store_find(s, wave, &src->wave, err);
	if (!rc)
		rc = cs_questionnaire_store_load(s, src->wave.questionnaire,
						 src->wave.questionnaire_version, &src->q, NULL,
						 err);
	if (!rc)
		rc = cs_unit_store_load(s, &src->units, err);
	if (!rc)
		rc = build_units(src, err);
	return rc;
}

/* ---- Estimation from the stored responses ---- */

/*
 * This thread reads the responses in chunks and places each respondent in
 * the survey design, in row order (cs_sipas_place: the design is touched by
 * this thread alone). Every chunk then goes to every estimation lane, each
 * on a thread of its own: lane l takes the rows of the units u with
 * u mod CS_SIPAS_LANES = l into accumulators of its own
 * (cs_sipas_add_placed), and finishing merges the lanes in order. Which rows
 * a lane gets, and in which order, does not depend on timing, so a rerun
 * gives the same bits; without threads the lanes run here in turn, with the
 * same result.
 *
 * A lane takes its rows of a chunk sorted by unit: a unit's accumulators
 * (several kilobytes of cross sums per stratum) then stay in the processor's
 * cache for a run of rows, instead of being fetched from memory for every
 * row of a file that mixes units. Splitting by unit keeps each unit's
 * accumulators in one lane, so the lanes together need no more cache than
 * one.
 */
#define CHUNK_ROWS 16384
#define CHUNK_BYTES ((size_t)32 << 20)
/* One chunk being read, the others with the lanes. */
#define NCHUNKS 4
#define PREFETCH_AHEAD 8

enum {
	F_SERVICE,
	F_KIND,
	F_CHANNEL,
	F_ANSWERS,
	F_EXTRA,
	F_COUNT
};

struct chunk_row {
	size_t unit;
	double weight, fpc;
	struct cs_sipas_placed pl;
	uint32_t off[F_COUNT], len[F_COUNT]; /* the fields in the chunk's text */
};

struct chunk {
	struct chunk_row *rows;
	size_t nrows;
	struct cs_buf text;
	size_t refs; /* lanes yet to take it */
};

struct scan_ctx;

struct lane_ctx {
	struct scan_ctx *c;
	size_t index;
	struct cs_q_answer *answers;
	size_t *order;		      /* CHUNK_ROWS: the rows sorted by unit */
	size_t *counts;		      /* nunits + 1: the counting sort's buckets */
	struct chunk *queue[NCHUNKS]; /* handed over, not yet taken, oldest first */
	size_t qhead, qlen;
	pthread_t thread;
	bool started;
};

struct scan_ctx {
	const struct cs_sipas_source *src;
	const struct cs_questionnaire *q;
	struct cs_sipas *est;
	struct cs_resp_layout layout;
	struct chunk chunks[NCHUNKS];
	struct chunk *free[NCHUNKS];
	size_t nfree;
	struct chunk *fill; /* the chunk being read */
	struct lane_ctx lanes[CS_SIPAS_LANES];

	/* the hand-over, under mu */
	bool threaded;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	enum cs_err fatal; /* a lane's error */
	struct cs_error fatal_err;
};

static inline void prefetch(const void *p)
{
#if defined(__GNUC__) || defined(__clang__)
	__builtin_prefetch(p);
#else
	(void)p;
#endif
}

/* Feeds a chunk's rows to the lane's accumulators, sorted by unit (a stable counting sort). */
static enum cs_err estimate_chunk(struct lane_ctx *l, struct chunk *ch, struct cs_error *err)
{
	struct scan_ctx *c = l->c;
	size_t nu = c->src->nunits;
	enum cs_err rc = CS_OK;

	size_t n = 0;

	memset(l->counts, 0, (nu + 1) * sizeof(size_t));
	for (size_t i = 0; i < ch->nrows; i++)
		l->counts[ch->rows[i].unit + 1] += ch->rows[i].unit % CS_SIPAS_LANES == l->index;
	for (size_t u = 1; u <= nu; u++)
		l->counts[u] += l->counts[u - 1];
	for (size_t i = 0; i < ch->nrows; i++) {
		if (ch->rows[i].unit % CS_SIPAS_LANES != l->index)
			continue;
		l->order[l->counts[ch->rows[i].unit]++] = i;
		n++;
	}
	for (size_t j = 0; j < n && !rc; j++) {
		const struct chunk_row *cr = &ch->rows[l->order[j]];
		struct cs_sipas_resp r = {.unit = cr->unit, .weight = cr->weight, .fpc = cr->fpc};
		struct cs_str f[F_COUNT];

		/* In unit order the rows are scattered over the chunk: ask for
		 * the rows and then the text of the next few ahead of time. */
		if (j + 2 * PREFETCH_AHEAD < n)
			prefetch(&ch->rows[l->order[j + 2 * PREFETCH_AHEAD]]);
		if (j + PREFETCH_AHEAD < n) {
			const struct chunk_row *next = &ch->rows[l->order[j + PREFETCH_AHEAD]];

			prefetch(ch->text.data + next->off[F_SERVICE]);
			prefetch(ch->text.data + next->off[F_ANSWERS]);
		}
		for (int k = 0; k < F_COUNT; k++)
			f[k] = cs_str_make(ch->text.data + cr->off[k], cr->len[k]);
		rc = cs_resp_decode(&c->layout, c->q, f[F_ANSWERS], f[F_EXTRA], l->answers, err);
		if (rc)
			break;
		r.service = f[F_SERVICE];
		r.kind = f[F_KIND];
		r.channel = f[F_CHANNEL];
		r.answers = l->answers;
		rc = cs_sipas_add_placed(c->est, l->index, &r, &cr->pl, err);
	}
	return rc;
}

static void *lane_main(void *arg)
{
	struct lane_ctx *l = arg;
	struct scan_ctx *c = l->c;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		struct cs_error e = {0};
		struct chunk *ch;
		enum cs_err rc;

		while (!l->qlen && !c->stop && !c->fatal)
			pthread_cond_wait(&c->cv, &c->mu);
		if (!l->qlen || c->fatal)
			break;
		ch = l->queue[l->qhead];
		l->qhead = (l->qhead + 1) % NCHUNKS;
		l->qlen--;
		pthread_mutex_unlock(&c->mu);
		rc = estimate_chunk(l, ch, &e);
		pthread_mutex_lock(&c->mu);
		if (rc && !c->fatal) {
			c->fatal = rc;
			c->fatal_err = e;
		}
		if (!--ch->refs) {
			c->free[c->nfree++] = ch;
			pthread_cond_broadcast(&c->cv);
		}
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

static void chunk_reset(struct chunk *ch)
{
	ch->nrows = 0;
	cs_buf_reset(&ch->text);
}

/*
 * Hands the chunk read to every lane and takes a free one to read into (or,
 * without threads, estimates it here, lane by lane).
 */
static enum cs_err submit(struct scan_ctx *c, struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	if (!c->threaded) {
		for (size_t i = 0; i < CS_SIPAS_LANES && !rc; i++)
			rc = estimate_chunk(&c->lanes[i], c->fill, err);
		chunk_reset(c->fill);
		return rc;
	}
	pthread_mutex_lock(&c->mu);
	if (!c->fatal) {
		/* A lane holds fewer chunks than there are: its queue has room. */
		c->fill->refs = CS_SIPAS_LANES;
		for (size_t i = 0; i < CS_SIPAS_LANES; i++) {
			struct lane_ctx *l = &c->lanes[i];

			l->queue[(l->qhead + l->qlen++) % NCHUNKS] = c->fill;
		}
		c->fill = NULL;
		pthread_cond_broadcast(&c->cv);
		while (!c->nfree && !c->fatal)
			pthread_cond_wait(&c->cv, &c->mu);
		if (!c->fatal) {
			c->fill = c->free[--c->nfree];
			chunk_reset(c->fill);
		}
	}
	if (c->fatal) {
		rc = c->fatal;
		if (err)
			*err = c->fatal_err;
	}
	pthread_mutex_unlock(&c->mu);
	return rc;
}

/* Stops the first n lane threads once they have finished what was handed to them. */
static void join_lanes(struct scan_ctx *c, size_t n)
{
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	for (size_t i = 0; i < n; i++)
		pthread_join(c->lanes[i].thread, NULL);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	c->threaded = false;
}

/* Lets the lanes finish the chunks handed to them and stops them; a lane's error, if any. */
static enum cs_err stop_threads(struct scan_ctx *c, struct cs_error *err)
{
	enum cs_err rc;

	if (!c->threaded)
		return CS_OK;
	join_lanes(c, CS_SIPAS_LANES);
	rc = c->fatal;
	if (rc && err)
		*err = c->fatal_err;
	return rc;
}

static enum cs_err scan_row(void *ctx, const struct cs_resp_row *row, struct cs_error *err)
{
	struct scan_ctx *c = ctx;
	struct chunk *ch = c->fill;
	struct chunk_row *cr = &ch->rows[ch->nrows];
	const struct cs_str f[F_COUNT] = {row->service, row->kind, row->channel, row->answers,
					  row->extra};
	struct cs_sipas_resp r = {0};
	enum cs_err rc;

	if (!id_index(c->src->ids, row->unit_id, &cr->unit))
		return cs_fail(err, CS_EINTERNAL,
			       "a response names unit id %lld, which is not stored",
			       (long long)row->unit_id);
	cr->weight = isnan(row->weight) ? 1 : row->weight;
	cr->fpc = isnan(row->fpc) ? 0 : row->fpc;
	r.unit = cr->unit;
	r.weight = cr->weight;
	r.fpc = cr->fpc;
	r.stratum = row->stratum;
	r.psu = row->psu;
	rc = cs_sipas_place(c->est, &r, &cr->pl, err);
	for (int k = 0; k < F_COUNT && !rc; k++) {
		cr->off[k] = (uint32_t)ch->text.len;
		cr->len[k] = (uint32_t)f[k].len;
		if (f[k].len)
			rc = cs_buf_add(&ch->text, f[k].ptr, f[k].len, err);
	}
	if (rc)
		return rc;
	if (++ch->nrows == CHUNK_ROWS || ch->text.len > CHUNK_BYTES / 2)
		return submit(c, err);
	return CS_OK;
}

/*
 * The columns the estimation reads: an unclustered design ignores PSU ids,
 * and the service, kind or channel only make domains by them.
 */
static unsigned scan_fields(const struct scan_ctx *c, const struct cs_sipas_opts *o)
{
	unsigned f = CS_RESP_F_WEIGHT | CS_RESP_F_FPC | CS_RESP_F_STRATUM;

	if (o->clustered)
		f |= CS_RESP_F_PSU;
	if (o->by == CS_SIPAS_BY_CHANNEL)
		f |= CS_RESP_F_CHANNEL;
	if (o->by == CS_SIPAS_BY_KIND)
		f |= CS_RESP_F_KIND;
	if (o->by == CS_SIPAS_BY_SERVICE)
		f |= CS_RESP_F_SERVICE;
	if (c->layout.nextra)
		f |= CS_RESP_F_EXTRA;
	return f;
}

/* Starts a thread per lane; without all of them, none runs. */
static void start_threads(struct scan_ctx *c)
{
	size_t started = 0;

	if (pthread_mutex_init(&c->mu, NULL))
		return;
	if (pthread_cond_init(&c->cv, NULL)) {
		pthread_mutex_destroy(&c->mu);
		return;
	}
	c->threaded = true;
	for (; started < CS_SIPAS_LANES; started++)
		if (pthread_create(&c->lanes[started].thread, NULL, lane_main, &c->lanes[started]))
			break;
	if (started == CS_SIPAS_LANES)
		return;
	join_lanes(c, started);
	c->stop = false;
}

enum cs_err cs_sipas_estimate_stored(struct cs_store *s, const struct cs_sipas_source *src,
				     const struct cs_sipas_opts *opts, struct cs_sipas_result **out,
				     struct cs_error *err)
{
	struct scan_ctx c = {.src = src, .q = src->q};
	struct cs_sipas_opts o = *opts;
	const struct cs_wave *w = &src->wave;
	size_t nitems = cs_questionnaire_item_count(src->q);
	enum cs_err rc = CS_OK, rc2;

	*out = NULL;
	/* M3.5: weights, strata, PSUs or an fpc make the design-based intervals
	 * apply to items too; PSUs make it clustered. */
	o.design = w->has_weight || w->has_stratum || w->has_psu || w->has_fpc;
	o.clustered = w->has_psu;
	for (size_t k = 0; k < NCHUNKS; k++) {
		cs_buf_init(&c.chunks[k].text, CHUNK_BYTES);
		c.chunks[k].rows = cs_calloc(CHUNK_ROWS, sizeof(struct chunk_row));
		if (!c.chunks[k].rows)
			rc = CS_ENOMEM;
		if (k)
			c.free[c.nfree++] = &c.chunks[k];
	}
	c.fill = &c.chunks[0];
	for (size_t i = 0; i < CS_SIPAS_LANES; i++) {
		struct lane_ctx *l = &c.lanes[i];

		l->c = &c;
		l->index = i;
		l->answers = cs_calloc(nitems + 1, sizeof(*l->answers));
		l->order = cs_calloc(CHUNK_ROWS, sizeof(*l->order));
		l->counts = cs_calloc(src->nunits + 1, sizeof(*l->counts));
		if (!l->answers || !l->order || !l->counts)
			rc = CS_ENOMEM;
	}
	if (rc) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	rc = cs_resp_layout_init(&c.layout, src->q, err);
	if (!rc)
		rc = cs_sipas_new(src->q, src->su, src->nunits, &o, &c.est, err);
	if (rc)
		goto out;
	start_threads(&c);
	rc = cs_resp_store_scan_fields(s, w->id, scan_fields(&c, &o), scan_row, &c, err);
	if (!rc && c.fill && c.fill->nrows)
		rc = submit(&c, err);
	rc2 = stop_threads(&c, rc ? NULL : err);
	if (!rc)
		rc = rc2;
	if (!rc)
		rc = cs_sipas_finish(c.est, out, err);
out:
	cs_sipas_free(c.est);
	cs_resp_layout_release(&c.layout);
	for (size_t k = 0; k < NCHUNKS; k++) {
		cs_buf_release(&c.chunks[k].text);
		cs_free(c.chunks[k].rows);
	}
	for (size_t i = 0; i < CS_SIPAS_LANES; i++) {
		cs_free(c.lanes[i].answers);
		cs_free(c.lanes[i].order);
		cs_free(c.lanes[i].counts);
	}
	return rc;
}

/* ---- The PAR provider (M2.2) ---- */

struct cs_sipas_provider {
	struct cs_par_source_provider base;
	struct cs_sipas_source src;
	struct cs_sipas_result *res;
	enum cs_q_overall_agg overall; /* when element is CS_Q_NONE */
	size_t element;
	bool headline;
};

static const struct cs_sipas_est *measure_of(const struct cs_sipas_provider *p,
					     const struct cs_sipas_domain *d)
{
	if (p->element != CS_Q_NONE)
		return cs_sipas_element_index(p->res, &d->elements[p->element]);
	if (p->headline)
		return cs_sipas_headline(p->res, d);
	return &d->overall[p->overall];
}

static enum cs_err fetch(void *ctx, const struct cs_par_unit *unit, size_t leaf,
			 const struct cs_fw_node *node, enum cs_par_fetch *state, double *value,
			 struct cs_error *err)
{
	const struct cs_sipas_provider *p = ctx;
	const struct cs_sipas_domain *d = cs_sipas_find(p->res, CS_SIPAS_BY_UNIT, unit->code);
	const struct cs_sipas_est *e;

	(void)leaf;
	(void)err;
	*state = CS_PAR_FETCH_PENDING;
	if (node->source != CS_SOURCE_SURVEY || !d)
		return CS_OK;
	e = measure_of(p, d);
	if (e->flags & CS_SIPAS_F_EMPTY || isnan(e->index))
		return CS_OK;
	*state = CS_PAR_FETCH_VALUE;
	*value = e->index;
	return CS_OK;
}

static enum cs_err parse_measure(struct cs_sipas_provider *p, const char *m, struct cs_error *err)
{
	p->element = CS_Q_NONE;
	p->headline = !m || !m[0];
	if (p->headline)
		return CS_OK;
	if (cs_q_overall_agg_parse(cs_str_from(m), &p->overall))
		return CS_OK;
	if (cs_questionnaire_find_element(p->src.q, m, &p->element))
		return CS_OK;
	p->element = CS_Q_NONE;
	return cs_fail(err, CS_EINVAL,
		       "measure '%.64s': expected mean_of_elements, pooled, general or an element "
		       "code of questionnaire '%s'",
		       m, cs_questionnaire_info(p->src.q)->code);
}

enum cs_err cs_sipas_provider_new(struct cs_store *s, const char *wave,
				  const struct cs_sipas_provider_opts *o,
				  struct cs_sipas_provider **out, struct cs_error *err)
{
	struct cs_sipas_provider *p = cs_calloc(1, sizeof(*p));
	struct cs_sipas_opts so = cs_sipas_opts_default();
	enum cs_err rc;

	*out = NULL;
	if (!p)
		return cs_fail(err, CS_ENOMEM, NULL);
	so.by = CS_SIPAS_BY_UNIT;
	so.lonely = o ? o->lonely : CS_SVY_LONELY_FAIL;
	rc = cs_sipas_source_load(s, wave, &p->src, err);
	if (!rc)
		rc = parse_measure(p, o ? o->measure : NULL, err);
	if (!rc)
		rc = cs_sipas_estimate_stored(s, &p->src, &so, &p->res, err);
	if (rc) {
		cs_sipas_provider_free(p);
		return rc;
	}
	p->base.ctx = p;
	p->base.fetch = fetch;
	*out = p;
	return CS_OK;
}

enum cs_err cs_sipas_provider_for_period(struct cs_store *s, const char *period,
					 const struct cs_sipas_provider_opts *o,
					 struct cs_sipas_provider **out, struct cs_error *err)
{
	struct cs_wave wave;
	bool found = false;
	enum cs_err rc = cs_sipas_period_wave(s, period, &wave, &found, err);

	*out = NULL;
	if (!rc && found)
		rc = cs_sipas_provider_new(s, wave.code, o, out, err);
	return rc;
}

const struct cs_wave *cs_sipas_provider_wave(const struct cs_sipas_provider *p)
{
	return &p->src.wave;
}

const struct cs_par_source_provider *cs_sipas_provider_get(const struct cs_sipas_provider *p)
{
	return &p->base;
}

void cs_sipas_provider_free(struct cs_sipas_provider *p)
{
	if (!p)
		return;
	cs_sipas_result_free(p->res);
	cs_sipas_source_release(&p->src);
	cs_free(p);
}
