/*
 * The PAR results of one period under one framework, computed from the
 * database (METHODOLOGY M2.2-M2.8): the framework version the scores were
 * entered against, the round of units, the run, its groups and the change
 * since the previous period. Shared by `chiso par`, `chiso report` and the
 * server's dashboards, so that all of them show the same figures.
 */
#ifndef CHISO_REPORT_PAR_PERIOD_H
#define CHISO_REPORT_PAR_PERIOD_H

#include <stdbool.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/framework.h"
#include "core/par.h"
#include "report/par_report.h"
#include "store/framework_store.h"
#include "store/score_store.h"
#include "store/store.h"
#include "store/unit_store.h"

/*
 * Where the survey and data leaves of a period get their results (M2.2).
 * get sets *out to the provider for period p, or to NULL when there is
 * none: every such leaf then has no result yet, so the unit is reported as
 * incomplete, never given a silent zero. What *out points to must stay
 * valid until the computation using it is released.
 */
struct par_period_sources {
	void *ctx;
	enum cs_err (*get)(void *ctx, struct cs_store *s, const struct cs_period *p,
			   const struct cs_par_source_provider **out, struct cs_error *err);
};

/* Everything one computation of a period needs and produces. */
struct par_period {
	struct cs_period period;
	char fw_code[CS_SCORE_CODE_LEN];
	struct cs_framework *fw;
	char fw_sha[CS_SHA256_HEX_LEN];
	int64_t methodology_id;
	struct cs_unit_set units;
	struct cs_par_round round;
	struct cs_par_run run;
	bool has_prev;
	struct cs_period prev;
	struct cs_par_report report; /* borrows the members above */
};

/* Initialises an empty computation; allocates nothing. */
void par_period_init(struct par_period *c);

/* Frees what c holds; c may be NULL. It may be computed again after par_period_init. */
void par_period_release(struct par_period *c);

/*
 * The framework of period p into out: given when not NULL, otherwise the
 * only one with scores, states or a publication in the period. CS_ENOTFOUND
 * when the period has none (the message says how to import scores),
 * CS_EINVAL when it has several (the message lists them); storage errors.
 */
enum cs_err par_period_pick_framework(struct cs_store *s, const struct cs_period *p,
				      const char *given, char out[CS_SCORE_CODE_LEN],
				      struct cs_error *err);

/*
 * Loads the version of framework code that the period's scores use (the
 * newest imported when there are none) into *fw (the caller frees it), its
 * body's hash into sha (when not NULL) and its methodology id. Storage
 * errors, CS_ENOTFOUND.
 */
enum cs_err par_period_load_framework(struct cs_store *s, int64_t period_id, const char *code,
				      struct cs_framework **fw, char sha[CS_SHA256_HEX_LEN],
				      int64_t *methodology_id, struct cs_error *err);

/*
 * Computes period_code under framework fw_code (NULL: the period's only
 * framework) into c (initialised, empty): the round, the results, the groups
 * and the change since the previous period, that is the latest period ending
 * before this one starts with results for the same framework code, published
 * (its frozen table) or computed from its scores with the framework version
 * they were entered against. sources (NULL: none) gives the survey and data
 * results of each period. Fills c->report. CS_ENOTFOUND for an unknown
 * period; the errors of the store and of cs_par_compute, the previous
 * period's prefixed with its code. c must be released, also after a failure.
 */
enum cs_err par_period_compute(struct cs_store *s, const char *period_code, const char *fw_code,
			       const struct par_period_sources *sources, struct par_period *c,
			       struct cs_error *err);

#endif
