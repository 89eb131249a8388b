/*
 * PAR frameworks in the database (METHODOLOGY M2.1): each imported version is
 * kept with its canonical JSON body and the body's SHA-256, so that results
 * can always name, and reproduce from, the exact framework they used.
 */
#ifndef CHISO_STORE_FRAMEWORK_STORE_H
#define CHISO_STORE_FRAMEWORK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/framework.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/sha256.h" /* CS_SHA256_HEX_LEN, cs_sha256_hex, for its callers too */
#include "util/vec.h"

/*
 * Stores a validated framework under its code and version with its body,
 * which must be the canonical JSON of fw (cs_framework_json_write): the
 * methodology row (kind 'framework', title, decision as source, body, its
 * SHA-256, the import time), one framework_node row per node in pre-order,
 * and an audit row (entity "framework", id "CODE@VERSION", field "sha256"),
 * in one transaction. Storing the same code and version with the same body
 * again writes nothing (*added false); with a different body it is CS_EEXIST
 * ("framework 'X' version 'V' is already stored with other content (sha256
 * ...); give the changed framework a new version"). *added (may be NULL) is
 * true when a row was written. CS_ESTATE when fw is not validated; storage
 * errors as store.h says.
 */
enum cs_err cs_framework_store_save(struct cs_store *s, const struct cs_framework *fw,
				    const char *json, size_t len, bool *added,
				    struct cs_error *err);

/*
 * Loads framework code: the given version, or the newest imported one when
 * version is NULL. *out is validated and owned by the caller (free it with
 * cs_framework_free); sha256 receives the hash of its body (may be NULL).
 * CS_ENOTFOUND with a message naming the code (and version) when there is
 * none; CS_ECONFLICT when the stored body no longer matches its hash;
 * CS_EPARSE or CS_EINVAL when the stored body does not read or validate.
 */
enum cs_err cs_framework_store_load(struct cs_store *s, const char *code, const char *version,
				    struct cs_framework **out, char sha256[CS_SHA256_HEX_LEN],
				    struct cs_error *err);

/*
 * The stored body of framework code (version, or the newest when NULL),
 * exactly as stored: *json is NUL-terminated and owned by the caller
 * (cs_free), *len its length (may be NULL), sha256 (may be NULL) its hash,
 * version_out (may be NULL; CS_FW_CODE_MAX + 1 bytes, io/framework_json.h) the
 * version found.
 * CS_ENOTFOUND as cs_framework_store_load; CS_ECONFLICT when the body does
 * not match its hash.
 */
enum cs_err cs_framework_store_body(struct cs_store *s, const char *code, const char *version,
				    char **json, size_t *len, char sha256[CS_SHA256_HEX_LEN],
				    char *version_out, struct cs_error *err);

/* One stored framework version, as cs_framework_store_list gives it. */
struct cs_fw_stored {
	int64_t id;
	const char *code;
	const char *version;
	const char *title;
	const char *decision;
	const char *sha256;
	const char *imported_at; /* YYYY-MM-DDTHH:MM:SSZ */
	size_t nodes;		 /* framework_node rows */
	double total_max;	 /* sum of the maxima of the top-level ordinary nodes */
	bool is_template;	 /* the body says "template": true */
};

/*
 * Appends every stored framework version to out (a vec of struct
 * cs_fw_stored the caller initialised), ordered by code (bytes) and then by
 * import order. Strings live in arena. CS_ENOMEM, storage errors.
 */
enum cs_err cs_framework_store_list(struct cs_store *s, struct cs_arena *arena, struct cs_vec *out,
				    struct cs_error *err);

#endif
