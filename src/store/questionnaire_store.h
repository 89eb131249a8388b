/*
 * Questionnaires in the database (METHODOLOGY M3.1): each imported version is
 * kept in the methodology table (kind 'questionnaire') with its canonical
 * JSON body and the body's SHA-256, so that a survey wave and its results
 * always name, and reproduce from, the exact questionnaire they used.
 */
#ifndef CHISO_STORE_QUESTIONNAIRE_STORE_H
#define CHISO_STORE_QUESTIONNAIRE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/questionnaire.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/sha256.h" /* CS_SHA256_HEX_LEN, cs_sha256_hex */
#include "util/vec.h"

/*
 * Stores a validated questionnaire under its code and version: the
 * methodology row (kind 'questionnaire', title, decision as source, the
 * canonical JSON written by cs_questionnaire_json_write, its SHA-256, the
 * import time), its questionnaire_element and questionnaire_item rows, and an
 * audit row (entity "questionnaire", id "CODE@VERSION", field "sha256"), in
 * one transaction. Storing the same code and version with the same body
 * again writes nothing (*added false); with a different body it is CS_EEXIST
 * ("questionnaire 'X' version 'V' is already stored with other content ...;
 * give the changed questionnaire a new version"). *added and sha256 (may be
 * NULL) receive whether a row was written and the body's hash. CS_ESTATE
 * when q is not validated; CS_ENOMEM; storage errors as store.h says.
 */
enum cs_err cs_questionnaire_store_save(struct cs_store *s, const struct cs_questionnaire *q,
					bool *added, char sha256[CS_SHA256_HEX_LEN],
					struct cs_error *err);

/*
 * The stored body of questionnaire code (the given version, or the newest
 * imported when version is NULL), exactly as stored: *json is NUL-terminated
 * and owned by the caller (cs_free), *len its length (may be NULL), sha256
 * (may be NULL) its hash, version_out (may be NULL, CS_Q_CODE_MAX + 1 bytes)
 * the version found. CS_ENOTFOUND naming the code (and version) when there
 * is none; CS_ECONFLICT when the body no longer matches its hash.
 */
enum cs_err cs_questionnaire_store_body(struct cs_store *s, const char *code, const char *version,
					char **json, size_t *len, char sha256[CS_SHA256_HEX_LEN],
					char *version_out, struct cs_error *err);

/*
 * Loads questionnaire code (version, or the newest imported when NULL). *out
 * is validated and owned by the caller (cs_questionnaire_free); sha256 (may
 * be NULL) receives the hash of its body. The failures of
 * cs_questionnaire_store_body, and CS_EPARSE or CS_EINVAL when the stored
 * body does not read or validate.
 */
enum cs_err cs_questionnaire_store_load(struct cs_store *s, const char *code, const char *version,
					struct cs_questionnaire **out,
					char sha256[CS_SHA256_HEX_LEN], struct cs_error *err);

/* One stored questionnaire version, as cs_questionnaire_store_list gives it. */
struct cs_q_stored {
	int64_t id;
	const char *code;
	const char *version;
	const char *title;
	const char *decision;
	const char *sha256;
	const char *imported_at; /* YYYY-MM-DDTHH:MM:SSZ */
	size_t elements;	 /* questionnaire_element rows */
	size_t items;		 /* questionnaire_item rows */
	size_t satisfaction;	 /* of which satisfaction items */
};

/*
 * Appends every stored questionnaire version to out (a vec of struct
 * cs_q_stored the caller initialised), ordered by code (bytes, sorted in C)
 * and then by import order. Strings live in arena. CS_ENOMEM, storage errors.
 */
enum cs_err cs_questionnaire_store_list(struct cs_store *s, struct cs_arena *arena,
					struct cs_vec *out, struct cs_error *err);

#endif
