/*
 * Where `chiso par` (and everything that shows its figures) gets the results of framework leaves of source survey
 * (METHODOLOGY M2.2): the SIPAS indices of each period's survey wave,
 * estimated from the stored responses (store/sipas_provider.h).
 */
#ifndef CHISO_REPORT_SIPAS_SOURCES_H
#define CHISO_REPORT_SIPAS_SOURCES_H

#include "report/par_period.h"
#include "store/sipas_provider.h"
#include "util/vec.h"

/* The providers made for the periods of one computation. */
struct sipas_sources {
	struct cs_vec providers; /* of struct cs_sipas_provider * */
};

/*
 * Initialises ss and returns the sources to pass to par_period_compute:
 * each period's provider is that of its wave with the most responses
 * (cs_sipas_provider_for_period), giving every survey leaf the unit's
 * headline SIPAS index for the leaf's rule; a period without responses
 * gives none. Release ss with sipas_sources_release after the computation.
 */
struct par_period_sources sipas_sources_init(struct sipas_sources *ss);
void sipas_sources_release(struct sipas_sources *ss);

#endif
