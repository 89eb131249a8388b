/*
 * Survey responses one at a time, for the web server (METHODOLOGY M3.4,
 * M3.9): inserting one response inside the caller's transaction, so that the
 * write queue commits many in one group, and the light lookups a request
 * needs (a wave without counting its responses, the wave open today, a unit
 * by code, response and token counts per unit). Imports of whole files use
 * store/response_store.h.
 */
#ifndef CHISO_STORE_RESPONSE_ONE_H
#define CHISO_STORE_RESPONSE_ONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/questionnaire.h"
#include "core/response.h"
#include "store/response_store.h"
#include "store/store.h"
#include "util/vec.h"

/*
 * Web responses of a wave go to a batch of their own (response_batch, source
 * as given), reused while fewer than this many other responses have been
 * stored since its last one, so that a scan of the wave stays close to
 * sequential when imports and web submissions alternate.
 */
#define CS_RESP_WEB_BATCH_GAP 10000

/*
 * Inserts response r of wave w, whose questionnaire is q with layout l (from
 * cs_resp_layout_init), inside the caller's transaction: no begin, commit or
 * rollback here, so that many calls commit together. r->answers and r->texts
 * are packed with cs_resp_encode; r->id must be unique in the wave;
 * r->line is ignored (the response's position in its batch is stored).
 * source names the batch ("web"). *id (may be NULL) receives the row's id.
 * CS_EEXIST when r->id is already stored for the wave; CS_ETOOBIG when the
 * packed answers exceed 1 MiB; CS_ENOMEM; storage errors. On failure the
 * caller rolls back (the write queue's savepoint does).
 */
enum cs_err cs_resp_insert_one(struct cs_store *s, const struct cs_wave *w,
			       const struct cs_questionnaire *q, const struct cs_resp_layout *l,
			       const struct cs_response *r, const char *source, int64_t *id,
			       struct cs_error *err);

/*
 * Finds a wave by code (id 0) or by id (code NULL), as cs_wave_store_find does
 * but without counting its responses (out->responses is -1), which costs a
 * scan of the wave. CS_ENOTFOUND naming the code or id.
 */
enum cs_err cs_resp_wave_get(struct cs_store *s, const char *code, int64_t id, struct cs_wave *out,
			     struct cs_error *err);

/*
 * The wave open on day today (YYYY-MM-DD): opens empty or not after today,
 * closes empty or not before it, mode other than "paper"; when several are
 * open, the one whose period starts last (then the greatest code). *found is
 * false when none is open. Storage errors.
 */
enum cs_err cs_resp_wave_open(struct cs_store *s, const char *today, struct cs_wave *out,
			      bool *found, struct cs_error *err);

/*
 * True when wave w takes responses on day today (YYYY-MM-DD): opens empty or
 * not after today, closes empty or not before it. The mode is not looked at.
 */
bool cs_resp_wave_is_open(const struct cs_wave *w, const char *today);

/* A unit as the survey pages show it. */
struct cs_resp_unit {
	int64_t id;
	char code[128];
	char name[512]; /* cut at 511 bytes, on a character boundary */
};

/*
 * Finds a unit by code (id 0) or by id (code NULL). CS_ENOTFOUND ("no unit
 * 'X'"); storage errors.
 */
enum cs_err cs_resp_unit_find(struct cs_store *s, const char *code, int64_t id,
			      struct cs_resp_unit *out, struct cs_error *err);

/* Responses and tokens of one unit in a wave. */
struct cs_resp_unit_count {
	char unit[128]; /* the unit's code */
	int64_t responses;
	int64_t tokens_issued;
	int64_t tokens_used;
};

/*
 * Appends to out (a vec of struct cs_resp_unit_count) every unit that has
 * responses or tokens in wave wave_id, ordered by unit code (bytes). Storage
 * errors, CS_ENOMEM; on failure out may hold some of them.
 */
enum cs_err cs_resp_count_units(struct cs_store *s, int64_t wave_id, struct cs_vec *out,
				struct cs_error *err);

#endif
