/*
 * The PAR workflow and publication in the database (METHODOLOGY M2.9): the
 * state of each unit's assessment, changed only along the transitions of
 * core/workflow.h and audited, and the frozen results of a published period.
 */
#ifndef CHISO_STORE_PAR_STORE_H
#define CHISO_STORE_PAR_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/workflow.h"
#include "store/framework_store.h"
#include "store/score_store.h"
#include "store/store.h"
#include "store/unit_store.h"

/* A unit whose state changes. */
struct cs_par_state_change {
	int64_t unit_id;
	const char *unit;      /* its code, for messages and the audit log */
	enum cs_wf_state from; /* filled by cs_par_state_set */
};

/*
 * Moves the n units to state `to` for period p and framework fw_code, all in
 * one transaction: either every unit changes or none. For each unit: its
 * current state (draft when none is recorded) goes into from; the move must
 * be allowed by cs_wf_check (reason, may be NULL, counts as given when not
 * empty); the new state is stored with the actor and time; an audit row is
 * written (entity "assessment_state", id "PERIOD/FRAMEWORK/UNIT", field
 * "state", old and new state, reason). CS_ESTATE when the period is
 * published for the framework or a move is not allowed ("unit 'U1': cannot
 * go from draft to approved; ..."); storage errors.
 */
enum cs_err cs_par_state_set(struct cs_store *s, const struct cs_period *p, const char *fw_code,
			     struct cs_par_state_change *units, size_t n, enum cs_wf_state to,
			     const char *reason, struct cs_error *err);

/* A publication as stored. The two texts are owned (cs_publication_release). */
struct cs_publication {
	int64_t id;
	char framework[CS_SCORE_CODE_LEN];
	char version[CS_SCORE_CODE_LEN];
	char methodology_sha256[CS_SHA256_HEX_LEN];
	char input_sha256[CS_SHA256_HEX_LEN];
	char published_at[CS_STORE_TIME_LEN];
	char published_by[CS_STORE_ACTOR_MAX];
	char *options; /* JSON object */
	size_t options_len;
	char *results; /* the results JSON, byte for byte as computed */
	size_t results_len;
};

/* Frees the texts of p and clears it; p may be NULL. */
void cs_publication_release(struct cs_publication *p);

/*
 * The publication of period_id for framework fw_code into *out (released
 * first), *found false when there is none. Storage errors, CS_ENOMEM.
 */
enum cs_err cs_publication_get(struct cs_store *s, int64_t period_id, const char *fw_code,
			       struct cs_publication *out, bool *found, struct cs_error *err);

/*
 * Stores the publication pub of period p (framework, version, hashes,
 * options and results as given; published_at and published_by are set from
 * the clock and the actor, into pub) and moves every unit of round to
 * published, with audit rows for each unit's state and for the publication
 * (entity "publication", id "PERIOD/FRAMEWORK", field "input_sha256").
 * Must run inside the caller's transaction, which also computed the results
 * from the same data. CS_EEXIST when the period is already published for
 * the framework, CS_ESTATE when a unit of the round is not approved;
 * storage errors.
 */
enum cs_err cs_publication_add(struct cs_store *s, const struct cs_period *p,
			       int64_t methodology_id, struct cs_publication *pub,
			       const struct cs_par_round *round, struct cs_error *err);

#endif
