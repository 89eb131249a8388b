/*
 * A survey wave's results with the change since the previous wave, as every
 * program of chiso shows them (sipas_wave.h).
 */
#include <string.h>

#include "store/sipas_wave.h"
#include "util/vec.h"

#include "util/banned.h"

struct cs_sipas_wave_opts cs_sipas_wave_opts_default(void)
{
	return (struct cs_sipas_wave_opts){
		.by = CS_SIPAS_BY_UNIT, .lonely = CS_SVY_LONELY_FAIL, .compare = true};
}

void cs_sipas_wave_init(struct cs_sipas_wave *w)
{
	memset(w, 0, sizeof(*w));
}

void cs_sipas_wave_release(struct cs_sipas_wave *w)
{
	if (!w)
		return;
	/* The change lives in res's arena. */
	cs_sipas_result_free(w->res);
	cs_sipas_result_free(w->prev);
	cs_sipas_source_release(&w->src);
	cs_sipas_source_release(&w->psrc);
	cs_sipas_wave_init(w);
}

/* Loads and estimates wave code into src and *out under the options of o. */
static enum cs_err estimate(struct cs_store *s, const struct cs_sipas_wave_opts *o,
			    const char *code, struct cs_sipas_source *src,
			    struct cs_sipas_result **out, struct cs_error *err)
{
	struct cs_sipas_opts so = cs_sipas_opts_default();
	enum cs_err rc = cs_sipas_source_load(s, code, src, err);

	so.by = o->by;
	so.lonely = o->lonely;
	if (!rc && o->unit && !cs_sipas_source_unit(src, o->unit, &so.scope))
		rc = cs_fail(err, CS_ENOTFOUND, "%s '%.64s': no such unit",
			     o->unit_field ? o->unit_field : "unit", o->unit);
	if (!rc)
		rc = cs_sipas_estimate_stored(s, src, &so, out, err);
	return rc;
}

enum cs_err cs_sipas_wave_compute(struct cs_store *s, const char *code,
				  const struct cs_sipas_wave_opts *o, struct cs_sipas_wave *w,
				  struct cs_error *err)
{
	struct cs_wave pw;
	bool found = o->previous != NULL;
	enum cs_err rc = estimate(s, o, code, &w->src, &w->res, err);

	if (rc || !o->compare)
		return rc;
	/* M3.7: the previous wave of the same questionnaire, unless named. */
	if (!found)
		rc = cs_wave_store_previous(s, &w->src.wave, &pw, &found, err);
	if (!rc && found)
		rc = estimate(s, o, o->previous ? o->previous : pw.code, &w->psrc, &w->prev, err);
	if (!rc && found)
		rc = cs_sipas_compare(w->res, w->prev, &w->ch, err);
	if (!rc)
		w->has_prev = found;
	return rc;
}

enum cs_err cs_sipas_period_wave(struct cs_store *s, const char *period, struct cs_wave *out,
				 bool *found, struct cs_error *err)
{
	struct cs_vec waves;
	const struct cs_wave *best = NULL;
	enum cs_err rc;

	*found = false;
	cs_vec_init(&waves, sizeof(struct cs_wave), 0);
	rc = cs_wave_store_list(s, &waves, err);
	for (size_t i = 0; i < waves.len && !rc; i++) {
		const struct cs_wave *w = cs_vec_at(&waves, i);

		if (strcmp(w->period, period) != 0 || w->responses == 0)
			continue;
		if (!best || w->responses > best->responses ||
		    (w->responses == best->responses && strcmp(w->code, best->code) < 0))
			best = w;
	}
	if (!rc && best) {
		*out = *best;
		*found = true;
	}
	cs_vec_release(&waves);
	return rc;
}
