/*
 * Assessment rounds (METHODOLOGY M2.9): the units of a period assessed under
 * a framework, the deadline for their self-assessments, closing and opening
 * the round, reopening one late unit, and how far the round has come.
 */
#ifndef CHISO_STORE_ROUND_STORE_H
#define CHISO_STORE_ROUND_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/workflow.h"
#include "store/score_store.h"
#include "store/store.h"
#include "store/unit_store.h"
#include "util/arena.h"
#include "util/str.h"
#include "util/vec.h"

/* Longest reason of a reopening, in bytes. */
#define CS_ROUND_REASON_MAX 1000

/*
 * Reads a deadline: "YYYY-MM-DDTHH:MM:SSZ" (UTC), or a date "YYYY-MM-DD" (or
 * DD/MM/YYYY), which means the end of that day in Vietnam (UTC+7), that is
 * "YYYY-MM-DDT16:59:59Z". Writes the UTC form into out. CS_EPARSE saying
 * what was expected.
 */
enum cs_err cs_deadline_parse(struct cs_str s, char out[CS_STORE_TIME_LEN], struct cs_error *err);

/* A round as stored. */
struct cs_round {
	char period[32];
	char framework[CS_SCORE_CODE_LEN];
	char deadline[CS_STORE_TIME_LEN]; /* "" when there is none */
	bool closed;
	char updated_by[CS_STORE_ACTOR_MAX];
	char updated_at[CS_STORE_TIME_LEN];
};

/*
 * The round of period_id under fw_code into *out, *found false when there
 * is none (a period without a round takes submissions at any time). Storage
 * errors.
 */
enum cs_err cs_round_get(struct cs_store *s, int64_t period_id, const char *fw_code,
			 struct cs_round *out, bool *found, struct cs_error *err);

/*
 * Appends every round to out (a vec of struct cs_round), by period start and
 * framework. Storage errors, CS_ENOMEM.
 */
enum cs_err cs_round_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err);

/* What cs_round_set makes of a round. */
struct cs_round_spec {
	const char *framework;	  /* the framework's code */
	const char *deadline;	  /* UTC form (cs_deadline_parse); NULL: none */
	bool closed;		  /* no submissions at all (but by reopened units) */
	const char *const *units; /* unit codes to add to the round (draft) */
	size_t nunits;
};

/*
 * Creates or changes the round of period p in a transaction of its own:
 * its deadline and whether it is closed (audit rows, entity "round", id
 * "PERIOD/FRAMEWORK", fields "deadline" and "closed", for each change), and
 * the given units join it as drafts (a recorded state "draft" with its audit
 * row, reason "added to the round"; units already in it are left alone).
 * *added (may be NULL) counts the units that joined. CS_ENOTFOUND naming an
 * unknown unit or framework; CS_ESTATE when the period's results are
 * published for the framework; storage errors. Nothing is written on
 * failure.
 */
enum cs_err cs_round_set(struct cs_store *s, const struct cs_period *p,
			 const struct cs_round_spec *spec, size_t *added, struct cs_error *err);

/*
 * Lets unit (its code) of the round of p under fw_code submit until the
 * later time until (UTC form), whatever the deadline or closing, in a
 * transaction of its own with an audit row (entity "round", id
 * "PERIOD/FRAMEWORK/UNIT", field "reopened_until", reason). CS_ENOTFOUND for
 * an unknown unit or when the period has no round for the framework;
 * CS_EINVAL for an empty or too long reason; storage errors.
 */
enum cs_err cs_round_reopen(struct cs_store *s, const struct cs_period *p, const char *fw_code,
			    const char *unit, const char *until, const char *reason,
			    struct cs_error *err);

/*
 * Whether unit_id (code unit) may submit its self-assessment of p under
 * fw_code at now (UTC form): CS_OK when the period has no round, or the
 * round is open and its deadline (if any) not past, or the unit is reopened
 * until after now. CS_ESTATE otherwise, naming the deadline or the closing
 * and saying that an administrator may reopen the unit. *until (may be
 * NULL, CS_STORE_TIME_LEN bytes) receives the unit's reopening ("" for
 * none). Storage errors.
 */
enum cs_err cs_round_may_submit(struct cs_store *s, const struct cs_period *p, const char *fw_code,
				int64_t unit_id, const char *unit, const char *now, char *until,
				struct cs_error *err);

/* A unit of a round and where it stands. Strings in the caller's arena. */
struct cs_round_unit {
	int64_t unit_id;
	const char *code, *name;
	enum cs_wf_state state;
	int64_t self_scores;	    /* criteria with a self-assessed score or "na" */
	int64_t appraised_scores;   /* criteria with an appraised score or "na" */
	int64_t open_questions;	    /* explanation requests not answered yet */
	const char *reopened_until; /* NULL when not reopened */
};

/*
 * Appends to out (a vec of struct cs_round_unit) the units of period_id
 * under fw_code (those with a recorded state or scores), by code, with their
 * states and counts. Strings go into arena. Storage errors, CS_ENOMEM.
 */
enum cs_err cs_round_units(struct cs_store *s, int64_t period_id, const char *fw_code,
			   struct cs_arena *arena, struct cs_vec *out, struct cs_error *err);

#endif
