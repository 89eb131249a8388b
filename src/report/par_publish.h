/*
 * Publishing a period's PAR results (METHODOLOGY M2.9): the results are
 * computed inside the transaction that freezes them, with the hashes of the
 * framework and of the inputs and the options they were computed with. One
 * function for `chiso par publish` and the workspace's publish route, so
 * that both freeze the same bytes.
 */
#ifndef CHISO_REPORT_PAR_PUBLISH_H
#define CHISO_REPORT_PAR_PUBLISH_H

#include <stddef.h>

#include "chiso/error.h"
#include "store/par_store.h"
#include "store/store.h"

/* What was published, for the caller to report. */
struct par_published {
	char period[32];
	char framework[CS_SCORE_CODE_LEN];
	char version[CS_SCORE_CODE_LEN];
	char methodology_sha256[CS_SHA256_HEX_LEN];
	char input_sha256[CS_SHA256_HEX_LEN];
	char published_at[CS_STORE_TIME_LEN];
	size_t units;
};

/*
 * Publishes period_code under framework fw_code (NULL: the period's only
 * framework) in a transaction of its own: computes the results with the
 * SIPAS results of the period's survey (report/sipas_sources.h), refuses
 * when the round has no units or a unit's result is incomplete (CS_ESTATE
 * naming the unit and its first missing criterion), and stores the
 * publication with cs_publication_add (every unit must be approved; each
 * moves to published), audited under cs_store_actor(s). out (may be NULL)
 * receives what was published. The errors of par_period_compute and
 * cs_publication_add (CS_EEXIST when already published); nothing is
 * written on failure.
 */
enum cs_err par_period_publish(struct cs_store *s, const char *period_code, const char *fw_code,
			       struct par_published *out, struct cs_error *err);

#endif
