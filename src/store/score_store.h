/*
 * PAR scores in the database (METHODOLOGY M2.2, M2.9): importing a checked
 * score table in one transaction with an audit row per changed field,
 * reading the audit history back, and loading a period's units and scores
 * as the input of cs_par_compute.
 */
#ifndef CHISO_STORE_SCORE_STORE_H
#define CHISO_STORE_SCORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/framework.h"
#include "core/par.h"
#include "core/unit.h"
#include "core/workflow.h"
#include "io/score_table.h"
#include "store/store.h"
#include "store/unit_store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/vec.h"

/* Room for a framework code or version and its NUL (CS_FW_CODE_MAX + 1). */
#define CS_SCORE_CODE_LEN 65

/*
 * The period with this code into *out. CS_ENOTFOUND ("no period '2024'; add
 * it with 'chiso period add 2024'"), storage errors.
 */
enum cs_err cs_score_store_period(struct cs_store *s, const char *code, struct cs_period *out,
				  struct cs_error *err);

/*
 * The id of the stored framework code at version. CS_ENOTFOUND naming both.
 */
enum cs_err cs_score_store_methodology(struct cs_store *s, const char *code, const char *version,
				       int64_t *id, struct cs_error *err);

/*
 * The framework version the period's scores for framework code were entered
 * against, into version (CS_SCORE_CODE_LEN bytes); *found false (version "")
 * when the period has no scores for it. Storage errors.
 */
enum cs_err cs_score_store_version(struct cs_store *s, int64_t period_id, const char *fw_code,
				   char version[CS_SCORE_CODE_LEN], bool *found,
				   struct cs_error *err);

/*
 * Appends to out (a vec of char * the caller initialised; strings in arena)
 * the codes of the frameworks that have scores, workflow states or a
 * publication in the period, sorted by code (bytes). Storage errors,
 * CS_ENOMEM.
 */
enum cs_err cs_score_store_frameworks(struct cs_store *s, int64_t period_id, struct cs_arena *arena,
				      struct cs_vec *out, struct cs_error *err);

/* What an import did. */
struct cs_score_import_stats {
	size_t added;	  /* rows new to the database */
	size_t changed;	  /* rows with at least one changed field */
	size_t unchanged; /* rows the file repeats as stored */
	size_t audited;	  /* audit rows written, one per changed field */
};

/*
 * Writes a score table checked with cs_score_table_check against fw (the
 * stored framework version the scores belong to) into period p, in one
 * transaction: all rows or none. A column the file lacks keeps the stored
 * value; a cell of a column the file has replaces it (empty: not yet). For
 * each row that changes something: the unit's workflow state must allow
 * changes (cs_wf_scores_editable), a new appraised score that differs from
 * the self score must come with a reason in the file (M2.9: the council
 * gives its reasons), and every changed field (self, appraised, note,
 * reason) gets an audit row (entity "assessment", id
 * "PERIOD/FRAMEWORK/UNIT/NODE", old and new value, reason). Rows that change
 * nothing write nothing.
 *
 * Failures, with nothing written: CS_ESTATE when the period's results are
 * published for the framework, or a unit's state forbids the change
 * ("scores.csv:4: unit 'U1' is approved ..."); CS_ECONFLICT when the
 * period already has scores of another version of the framework; CS_EPARSE
 * for a missing reason ("scores.csv:4:4: ..."); CS_ENOTFOUND when the
 * framework version is not stored; storage errors. stats may be NULL.
 */
enum cs_err cs_score_store_import(struct cs_store *s, const struct cs_period *p,
				  const struct cs_framework *fw, const struct cs_score_table *t,
				  struct cs_score_import_stats *stats, struct cs_error *err);

/* One change of the audit history of scores and states. Strings in the caller's arena. */
struct cs_score_change {
	const char *at;	   /* YYYY-MM-DDTHH:MM:SSZ */
	const char *actor; /* who */
	const char *framework;
	const char *unit;
	const char *node;  /* NULL for a change of workflow state */
	const char *field; /* self, appraised, note, reason, state */
	const char *old_value;
	const char *new_value;
	const char *reason;
};

/*
 * Appends to out (a vec of struct cs_score_change) the audit rows of the
 * period's scores and workflow states, oldest first, optionally only those
 * of framework fw_code, unit and node (NULL: any; a node filter leaves out
 * state changes). Strings go into arena. Storage errors, CS_ENOMEM.
 */
enum cs_err cs_score_store_history(struct cs_store *s, const char *period, const char *fw_code,
				   const char *unit, const char *node, struct cs_arena *arena,
				   struct cs_vec *out, struct cs_error *err);

/*
 * The input of one period's computation under one framework: the units
 * taking part (those with scores or a workflow state in the period for the
 * framework's code), sorted by code, with their stored attributes, state
 * and scores indexed by framework node.
 */
struct cs_par_round {
	struct cs_arena arena;
	size_t nunits;
	struct cs_par_unit *units;   /* for cs_par_compute; .scores point into scores */
	const char **names;	     /* unit names */
	int64_t *unit_ids;	     /* database ids */
	enum cs_wf_state *states;    /* workflow state of each unit */
	struct cs_par_score *scores; /* nunits * node count */
	size_t nscores;		     /* assessment rows read */
};

/* Initialises an empty round; allocates nothing. */
void cs_par_round_init(struct cs_par_round *r);

/* Frees what the round holds and leaves it empty; r may be NULL. */
void cs_par_round_release(struct cs_par_round *r);

/*
 * Loads the round of period_id for the validated framework fw, whose code
 * and version must be those the scores were entered against, with the
 * units' attributes from units (cs_unit_store_load). Whatever out held is
 * released first. CS_ECONFLICT when a stored score names a node fw does not
 * have or the scores belong to another version; storage errors, CS_ENOMEM.
 * On failure out is empty.
 */
enum cs_err cs_par_round_load(struct cs_store *s, int64_t period_id, const struct cs_framework *fw,
			      const struct cs_unit_set *units, struct cs_par_round *out,
			      struct cs_error *err);

/*
 * Appends the canonical text of a round's inputs to out, for the input hash
 * of a publication: a header line, then one line per unit (code, parent,
 * level, flags, name) and per score (unit, node, self, appraised, both as
 * shortest numbers, "na" or empty), units by code and scores in the
 * framework's pre-order, fields separated by tabs. Notes and reasons are not
 * inputs of the computation and are left out. CS_ETOOBIG, CS_ENOMEM.
 */
enum cs_err cs_par_round_canonical(const struct cs_par_round *r, const struct cs_framework *fw,
				   struct cs_buf *out, struct cs_error *err);

#endif
