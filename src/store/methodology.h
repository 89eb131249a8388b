/*
 * Methodology rows shared by frameworks and questionnaires (METHODOLOGY M2.1,
 * M3.1): one version of a methodology is its canonical JSON body with the
 * body's SHA-256 in the methodology table, saved once, loaded back by code
 * and version with its hash checked, and listed.
 */
#ifndef CHISO_STORE_METHODOLOGY_H
#define CHISO_STORE_METHODOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/sha256.h"

/* The words that differ between the kinds of methodology. */
struct cs_methodology_kind {
	const char *kind;    /* methodology.kind, also the noun in messages and audit rows */
	const char *command; /* the CLI command in hints: "chiso COMMAND list" */
	size_t version_size; /* the size of a version_out buffer (code maximum + 1) */
};

/* Writes the rows derived from a methodology with id (nodes, items) into s. */
typedef enum cs_err (*cs_methodology_rows_fn)(struct cs_store *s, const void *ctx, int64_t id,
					      struct cs_error *err);

/*
 * Stores body[0..len) as kind code@version with title and decision (as
 * source), its SHA-256 and the import time, then rows(s, ctx, id, err) and an
 * audit row (entity kind->kind, id "CODE@VERSION", field "sha256"), in one
 * transaction. sha256 (may be NULL) receives the hash before anything is
 * written. The same body again writes nothing (*added false); another body
 * under the same code and version is CS_EEXIST naming both hashes. *added (may
 * be NULL) is true when a row was written. CS_ENOMEM; storage errors as
 * store.h says, and those of rows.
 */
enum cs_err cs_methodology_save(struct cs_store *s, const struct cs_methodology_kind *kind,
				const char *code, const char *version, const char *title,
				const char *decision, const char *body, size_t len,
				cs_methodology_rows_fn rows, const void *ctx, bool *added,
				char sha256[CS_SHA256_HEX_LEN], struct cs_error *err);

/*
 * The stored body of kind code (version, or the newest imported when NULL),
 * exactly as stored: *json is NUL-terminated and owned by the caller
 * (cs_free), *len its length (may be NULL), sha256 (may be NULL) its hash,
 * version_out (may be NULL; kind->version_size bytes) the version found.
 * CS_ENOTFOUND naming the code (and version) when there is none;
 * CS_ECONFLICT when the body no longer matches its hash; CS_ENOMEM.
 */
enum cs_err cs_methodology_body(struct cs_store *s, const struct cs_methodology_kind *kind,
				const char *code, const char *version, char **json, size_t *len,
				char sha256[CS_SHA256_HEX_LEN], char *version_out,
				struct cs_error *err);

/*
 * One methodology row as cs_methodology_list passes it on: the strings live
 * in the arena, body (may be NULL) only during the call.
 */
struct cs_methodology_row {
	int64_t id;
	const char *code, *version, *title, *decision, *sha256, *imported_at;
	const char *body;
	size_t body_len;
};

/*
 * Receives one listed row and counts, the row of the per-row query (NULL when
 * it gave none); a non-zero return stops the listing with that code.
 */
typedef enum cs_err (*cs_methodology_row_fn)(void *ctx, const struct cs_methodology_row *row,
					     struct cs_stmt *counts, struct cs_error *err);

/*
 * Calls each(ctx, row, counts, err) for every stored version of kind, in
 * import order, where counts is count_sql run with the row's id bound to its
 * first nbind parameters. CS_ENOMEM, storage errors, or what each returns.
 */
enum cs_err cs_methodology_list(struct cs_store *s, const struct cs_methodology_kind *kind,
				struct cs_arena *arena, const char *count_sql, int nbind,
				cs_methodology_row_fn each, void *ctx, struct cs_error *err);

/*
 * The order of listed versions: by code (bytes, not the database's collation)
 * and then by id (import order); negative, zero or positive as strcmp.
 */
int cs_methodology_order(const char *code_a, int64_t id_a, const char *code_b, int64_t id_b);

#endif
