/*
 * A survey wave's satisfaction results as `chiso sipas` and the dashboards
 * show them (METHODOLOGY M3.3-M3.7): the wave estimated from its stored
 * responses and, when asked, compared with the previous wave of the same
 * questionnaire. One function for both, so that a number on the command line
 * and on a dashboard is the same number.
 */
#ifndef CHISO_STORE_SIPAS_WAVE_H
#define CHISO_STORE_SIPAS_WAVE_H

#include <stdbool.h>

#include "chiso/error.h"
#include "core/sipas.h"
#include "store/response_store.h"
#include "store/sipas_provider.h"
#include "store/store.h"

/* How to estimate a wave. */
struct cs_sipas_wave_opts {
	enum cs_sipas_by by;	   /* the domains (M3.4) */
	const char *unit;	   /* report within this unit's subtree; NULL: everywhere */
	const char *unit_field;	   /* how messages name unit ("--unit"); NULL: "unit" */
	enum cs_svy_lonely lonely; /* single-PSU strata (M3.5) */
	bool compare;		   /* compare with an earlier wave (M3.7) */
	const char *previous; /* that wave's code; NULL: the wave before (cs_wave_store_previous) */
};

/* The options of `chiso sipas compute` without arguments: by unit, lonely PSUs fail, compared. */
struct cs_sipas_wave_opts cs_sipas_wave_opts_default(void);

/* A wave's results. Everything belongs to it until cs_sipas_wave_release. */
struct cs_sipas_wave {
	struct cs_sipas_source src;   /* the wave, its questionnaire and the units */
	struct cs_sipas_result *res;  /* the estimate */
	bool has_prev;		      /* compared with psrc.wave */
	struct cs_sipas_source psrc;  /* the earlier wave, when has_prev */
	struct cs_sipas_result *prev; /* its estimate under the same options */
	struct cs_sipas_change *ch;   /* res against prev (in res's arena); NULL without */
};

/* Initialises an empty wave; allocates nothing. */
void cs_sipas_wave_init(struct cs_sipas_wave *w);

/* Frees what w holds and leaves it empty; w may be NULL. */
void cs_sipas_wave_release(struct cs_sipas_wave *w);

/*
 * Estimates wave code with the options o into w (initialised, empty), and,
 * when o->compare and there is an earlier wave (o->previous, or the wave
 * before), that wave too and the change against it. CS_ENOTFOUND for an
 * unknown wave or a unit o->unit that does not exist ("unit 'X': no such
 * unit", named by o->unit_field); the errors of cs_sipas_source_load, cs_sipas_estimate_stored and
 * cs_sipas_compare. w must be released, also after a failure.
 */
enum cs_err cs_sipas_wave_compute(struct cs_store *s, const char *code,
				  const struct cs_sipas_wave_opts *o, struct cs_sipas_wave *w,
				  struct cs_error *err);

/*
 * The survey wave of period code period that its results come from (M2.2):
 * the one with the most responses (ties: the first code in byte order), into
 * *out; *found is false when no wave of the period has responses. The same
 * wave gives the period's survey leaves their points in `chiso par`.
 * Storage errors.
 */
enum cs_err cs_sipas_period_wave(struct cs_store *s, const char *period, struct cs_wave *out,
				 bool *found, struct cs_error *err);

#endif
