/*
 * PAR frameworks in the database (METHODOLOGY M2.1): each imported version is
 * kept with its canonical JSON body and the body's SHA-256, so that results
 * can always name, and reproduce from, the exact framework they used.
 */
#ifndef CHISO_STORE_FRAMEWORK_STORE_H
#define CHISO_STORE_FRAMEWORK_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "core/framework.h"
#include "store/store.h"

/* Room for a SHA-256 in lower-case hex and its NUL. */
#define CS_SHA256_HEX_LEN 65

/*
 * Stores a validated framework under its code and version with its canonical
 * JSON body. Storing the same code and version with the same body again is a
 * no-op (*added false); with a different body it is CS_EEXIST ("framework X
 * version V already exists with other content; give it a new version").
 */
enum cs_err cs_framework_store_save(struct cs_store *s, const struct cs_framework *fw,
				    const char *json, size_t len, bool *added,
				    struct cs_error *err);

/*
 * Loads framework code: the given version, or the newest imported one when
 * version is NULL. *out is validated and owned by the caller (free it with
 * cs_framework_free); sha256 receives the hash of its body (may be NULL).
 * CS_ENOTFOUND with a message naming the code when there is none.
 */
enum cs_err cs_framework_store_load(struct cs_store *s, const char *code, const char *version,
				    struct cs_framework **out, char sha256[CS_SHA256_HEX_LEN],
				    struct cs_error *err);

#endif
