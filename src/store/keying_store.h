/*
 * The survey team's records (METHODOLOGY M3.8): the sample plan of a wave
 * (how many responses each unit should collect) against what came in, and
 * paper forms keyed twice by two people, compared field by field, and stored
 * as responses only once the two keyings agree or every difference has been
 * resolved.
 */
#ifndef CHISO_STORE_KEYING_STORE_H
#define CHISO_STORE_KEYING_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "chiso/error.h"
#include "store/response_store.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/vec.h"

/* Longest form number, in bytes: 1 to 64 of [A-Za-z0-9._-]. */
#define CS_KEYING_FORM_MAX 64
/* Largest keyed answers (their JSON text), in bytes. */
#define CS_KEYING_ANSWERS_MAX (64u * 1024)
/* Largest sample target of one unit. */
#define CS_SAMPLE_TARGET_MAX 1000000

/*
 * Sets the targets of units[0..n) (codes) in wave w to targets[0..n) (each
 * 1 to CS_SAMPLE_TARGET_MAX; 0 removes the unit's target), in a transaction
 * of its own, with an audit row per change (entity "sample_plan", id
 * "WAVE/UNIT", field "target"). CS_ENOTFOUND naming an unknown unit;
 * CS_EINVAL for a target out of range; storage errors. Nothing is written on
 * failure.
 */
enum cs_err cs_sample_plan_set(struct cs_store *s, const struct cs_wave *w,
			       const char *const *units, const int64_t *targets, size_t n,
			       struct cs_error *err);

/* A unit of a wave: its target and what came in. Strings in the caller's arena. */
struct cs_sample_unit {
	const char *unit, *name;
	int64_t target; /* 0 when the plan has none */
	int64_t responses;
	int64_t tokens_issued, tokens_used;
};

/*
 * Appends to out (a vec of struct cs_sample_unit) every unit of wave wave_id
 * with a target, responses or tokens, by code. Strings go into arena.
 * Storage errors, CS_ENOMEM.
 */
enum cs_err cs_sample_progress(struct cs_store *s, int64_t wave_id, struct cs_arena *arena,
			       struct cs_vec *out, struct cs_error *err);

/* Checks a form number. CS_EINVAL naming it and saying what is expected. */
enum cs_err cs_keying_form_check(const char *form, struct cs_error *err);

/* A field on which two keyings differ. Strings in the caller's arena; "" for none typed. */
struct cs_keying_diff {
	const char *field; /* "unit" or an item code */
	const char *first, *second;
};

/* What a keying did. */
enum cs_keying_outcome {
	CS_KEYING_FIRST,   /* the first keying, kept until the second comes */
	CS_KEYING_STORED,  /* the second agreed with the first: the response is stored */
	CS_KEYING_DIFFERS, /* they differ (diffs), or agree on values refused (problem) */
};

struct cs_keying_result {
	enum cs_keying_outcome outcome;
	int64_t response_id; /* CS_KEYING_STORED */
	struct cs_vec diffs; /* of struct cs_keying_diff; the caller initialises and releases */
	char problem[CS_ERROR_MSG_MAX]; /* why agreeing values were refused, or "" */
};

/*
 * Records one keying of paper form form of wave w, unit unit (a code),
 * answers a JSON object of item code -> value as typed (strings, numbers,
 * null or lists of strings; read, not changed), by cs_store_actor(s), in a transaction of its
 * own. The first keying is kept. The second, which must be by someone else,
 * is compared with the first field by field (the unit and every item, values
 * trimmed): when they agree the response is stored (id "paper-FORM",
 * channel "paper", checked exactly as an imported row, against the
 * validated questionnaire q with layout l) and the form marked stored; when
 * they differ, or the questionnaire refuses the values they agree on, the
 * form waits for cs_keying_resolve. Strings of out go into arena.
 * CS_EINVAL for a bad form number or answers that are not an object of
 * such values; CS_ENOTFOUND for an unknown unit; CS_EPERM when the second
 * keying is by the first keyer; CS_ESTATE when the form was keyed twice
 * already; storage errors, CS_ENOMEM.
 */
enum cs_err cs_keying_add(struct cs_store *s, const struct cs_wave *w,
			  const struct cs_questionnaire *q, const struct cs_resp_layout *l,
			  const char *form, const char *unit, json_t *answers,
			  struct cs_arena *arena, struct cs_keying_result *out,
			  struct cs_error *err);

/*
 * Stores the response of form form of wave w with the final values (unit and
 * answers as in cs_keying_add), after both keyings, in a transaction of its
 * own, with an audit row for every field that differed (entity "keying", id
 * "WAVE/FORM", field the item, old "FIRST | SECOND", new the final value) and
 * one for the form (field "state", new "stored"). *response_id (may be NULL)
 * receives the response's id. CS_ESTATE when the form has not been keyed
 * twice or is stored already; CS_EPARSE with the import's message when the
 * questionnaire refuses a value; CS_EINVAL, CS_ENOTFOUND as cs_keying_add;
 * storage errors. Nothing is written on failure.
 */
enum cs_err cs_keying_resolve(struct cs_store *s, const struct cs_wave *w,
			      const struct cs_questionnaire *q, const struct cs_resp_layout *l,
			      const char *form, const char *unit, json_t *answers,
			      int64_t *response_id, struct cs_error *err);

/*
 * Appends to diffs (a vec of struct cs_keying_diff) the fields where keyings
 * first and second (JSON objects with "unit", as cs_keying_list gives them)
 * differ, compared as cs_keying_add compares them. Strings go into arena.
 * CS_EINVAL when either is not a JSON object; CS_ENOMEM.
 */
enum cs_err cs_keying_compare(const char *first, const char *second, struct cs_arena *arena,
			      struct cs_vec *diffs, struct cs_error *err);

/* A keyed form and where it stands. Strings in the caller's arena. */
struct cs_keyed_form {
	const char *form;
	const char *state; /* "waiting" (one keying), "differs", "stored" */
	const char *first_by, *second_by;
	const char *first, *second; /* the keyings (JSON objects with "unit"); NULL when absent */
	int64_t response_id;	    /* 0 until stored */
};

/*
 * Appends to out (a vec of struct cs_keyed_form) every form keyed in wave
 * wave_id, by form number. Storage errors, CS_ENOMEM.
 */
enum cs_err cs_keying_list(struct cs_store *s, int64_t wave_id, struct cs_arena *arena,
			   struct cs_vec *out, struct cs_error *err);

#endif
