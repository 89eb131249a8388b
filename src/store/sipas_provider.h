/*
 * Satisfaction results from stored responses (METHODOLOGY M3.3-M3.5, M2.2):
 * loading what an estimation of a wave needs (the wave, its questionnaire
 * version, the unit tree), streaming the wave's responses through
 * core/sipas.h, and a PAR source provider that gives framework leaves of
 * source `survey` the SIPAS index of each unit, for their conversion rule.
 */
#ifndef CHISO_STORE_SIPAS_PROVIDER_H
#define CHISO_STORE_SIPAS_PROVIDER_H

#include <stddef.h>

#include "chiso/error.h"
#include "core/par.h"
#include "core/questionnaire.h"
#include "core/sipas.h"
#include "core/unit.h"
#include "store/response_store.h"
#include "store/store.h"

/* What estimating a wave needs, loaded from the database. */
struct cs_sipas_source {
	struct cs_wave wave;
	struct cs_questionnaire *q; /* the wave's questionnaire version */
	struct cs_unit_set units;
	struct cs_sipas_unit *su; /* parallel to units, parents by index */
	size_t nunits;
	struct cs_sipas_idmap *ids; /* unit id -> index */
};

/*
 * Loads wave code, its questionnaire and the units into src (whatever it held
 * is not freed: pass a zeroed struct). Release it with
 * cs_sipas_source_release, also after a failure. CS_ENOTFOUND for an unknown
 * wave or questionnaire; the questionnaire store's and unit store's errors;
 * CS_ENOMEM.
 */
enum cs_err cs_sipas_source_load(struct cs_store *s, const char *wave, struct cs_sipas_source *src,
				 struct cs_error *err);

/* Frees what src holds and zeroes it; src may be NULL. */
void cs_sipas_source_release(struct cs_sipas_source *src);

/* The index of unit code in src->su; false when there is no such unit. */
bool cs_sipas_source_unit(const struct cs_sipas_source *src, const char *code, size_t *index);

/*
 * Estimates the wave of src (M3.3-M3.7) with the options in opts, except
 * that opts->design and opts->clustered are taken from what the wave's
 * responses carry (weights, strata, PSUs, fpc). Reads the responses once,
 * in constant memory. *out is owned by the caller (cs_sipas_result_free) and
 * refers to src->q, which must outlive it. Errors of the scan, of
 * cs_resp_decode (a response stored under another layout) and of the
 * estimation.
 */
enum cs_err cs_sipas_estimate_stored(struct cs_store *s, const struct cs_sipas_source *src,
				     const struct cs_sipas_opts *opts, struct cs_sipas_result **out,
				     struct cs_error *err);

/* Which index a survey leaf takes (M2.2, M3.3). */
struct cs_sipas_provider_opts {
	/* NULL or "": the questionnaire's headline overall index; "mean_of_elements",
	 * "pooled" or "general": that overall index; an element code: that
	 * element's index. */
	const char *measure;
	enum cs_svy_lonely lonely;
};

/* A provider of survey results for cs_par_compute. Opaque. */
struct cs_sipas_provider;

/*
 * Estimates wave by unit (rolled up the tree, M3.4) and keeps each unit's
 * index. Every survey leaf of a unit then gets that index in percent as
 * its measured value, which cs_par_compute turns into points by the leaf's
 * rule (e.g. `linear` from lo% to hi%); a unit without respondents in its
 * subtree, or whose index is empty, has no result yet (PENDING). *out is
 * owned by the caller (cs_sipas_provider_free). CS_EINVAL for an unknown
 * measure (the message lists the valid ones); the errors of
 * cs_sipas_source_load and cs_sipas_estimate_stored.
 */
enum cs_err cs_sipas_provider_new(struct cs_store *s, const char *wave,
				  const struct cs_sipas_provider_opts *o,
				  struct cs_sipas_provider **out, struct cs_error *err);

/*
 * The provider of period code period (M2.2): that of the period's survey
 * wave with the most responses (ties: the first code in byte order), or
 * *out NULL when no wave of the period has responses. Errors as
 * cs_sipas_provider_new.
 */
enum cs_err cs_sipas_provider_for_period(struct cs_store *s, const char *period,
					 const struct cs_sipas_provider_opts *o,
					 struct cs_sipas_provider **out, struct cs_error *err);

/* The wave a provider estimated; owned by p. */
const struct cs_wave *cs_sipas_provider_wave(const struct cs_sipas_provider *p);

/* The interface to pass to cs_par_compute; valid while p lives. */
const struct cs_par_source_provider *cs_sipas_provider_get(const struct cs_sipas_provider *p);

/* Frees the provider; NULL is a no-op. */
void cs_sipas_provider_free(struct cs_sipas_provider *p);

#endif
