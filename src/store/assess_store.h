/*
 * One unit's assessment in a period, as the workspace shows and changes it
 * (METHODOLOGY M2.9): its stored scores and workflow state, and the
 * council's explanation requests (giải trình) with the unit's answers, each
 * change audited per criterion.
 */
#ifndef CHISO_STORE_ASSESS_STORE_H
#define CHISO_STORE_ASSESS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/workflow.h"
#include "io/score_table.h"
#include "store/store.h"
#include "store/unit_store.h"
#include "util/arena.h"
#include "util/vec.h"

/* Longest explanation question or answer, in bytes. */
#define CS_EXPLANATION_MAX 4000

/* One stored score row. Strings live in the caller's arena; NULL when absent. */
struct cs_assess_row {
	const char *node;
	struct cs_score_value self, appraised;
	const char *note, *reason;
	const char *updated_by, *updated_at;
};

/*
 * Appends to out (a vec of struct cs_assess_row) the stored score rows of
 * unit_id in period_id under framework fw_code, by node code. Strings go into
 * arena. Storage errors, CS_ENOMEM.
 */
enum cs_err cs_assess_rows(struct cs_store *s, int64_t period_id, int64_t unit_id,
			   const char *fw_code, struct cs_arena *arena, struct cs_vec *out,
			   struct cs_error *err);

/*
 * The workflow state of unit_id in period_id under fw_code into *out (draft
 * when none is recorded), *recorded (may be NULL) whether a row exists.
 * CS_ESTORE for an unknown state name; storage errors.
 */
enum cs_err cs_assess_state(struct cs_store *s, int64_t period_id, int64_t unit_id,
			    const char *fw_code, enum cs_wf_state *out, bool *recorded,
			    struct cs_error *err);

/* An explanation request and its answer. Strings in the caller's arena. */
struct cs_explanation {
	int64_t id;
	const char *node;
	const char *question, *asked_by, *asked_at;
	const char *answer, *answered_by, *answered_at; /* NULL until answered */
};

/*
 * Appends to out (a vec of struct cs_explanation) the explanation requests
 * of unit_id in period_id under fw_code, oldest first. Strings go into arena.
 * Storage errors, CS_ENOMEM.
 */
enum cs_err cs_explanation_list(struct cs_store *s, int64_t period_id, int64_t unit_id,
				const char *fw_code, struct cs_arena *arena, struct cs_vec *out,
				struct cs_error *err);

/*
 * Records the council's question on criterion node of unit (id and code) in
 * period p under fw_code, inside the caller's transaction, asked by
 * cs_store_actor(s) now, with an audit row (entity "assessment", id
 * "PERIOD/FRAMEWORK/UNIT/NODE", field "explanation_request", the question as
 * new value). *id (may be NULL) receives its id. CS_EINVAL for an empty
 * question or one longer than CS_EXPLANATION_MAX; storage errors.
 */
enum cs_err cs_explanation_ask(struct cs_store *s, const struct cs_period *p, int64_t unit_id,
			       const char *unit, const char *fw_code, const char *node,
			       const char *question, int64_t *id, struct cs_error *err);

/*
 * Records the unit's answer to request id (replacing an earlier answer),
 * inside the caller's transaction, with an audit row (same entity and id,
 * field "explanation", old and new answer, the question as reason).
 * CS_ENOTFOUND ("explanation request 7 is not one of unit 'U1' in period
 * ...") when the request is not the unit's in that period and framework;
 * CS_EINVAL for an empty or too long answer; storage errors.
 */
enum cs_err cs_explanation_answer(struct cs_store *s, const struct cs_period *p, int64_t unit_id,
				  const char *unit, const char *fw_code, int64_t id,
				  const char *answer, struct cs_error *err);

#endif
