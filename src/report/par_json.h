/*
 * The PAR results as JSON (docs/formats.md, "PAR results"): a documented,
 * stable document with keys in a fixed order and numbers written with '.',
 * rounded as the framework publishes them. The same bytes are printed by
 * `chiso par compute --format json`, stored by `chiso par publish` and
 * reproduced by `chiso par show-published`. Also the reader of a published
 * document's units, for the change against a published previous period.
 */
#ifndef CHISO_REPORT_PAR_JSON_H
#define CHISO_REPORT_PAR_JSON_H

#include <stddef.h>

#include "chiso/error.h"
#include "core/par.h"
#include "report/par_report.h"
#include "util/arena.h"
#include "util/buf.h"

/* The "format" member and its version; a new version for an incompatible change. */
#define CS_PAR_JSON_FORMAT "chiso-par-results"
#define CS_PAR_JSON_VERSION 1

/* Largest published document read back (bytes). */
#define CS_PAR_JSON_MAX (256u * 1024 * 1024)

/*
 * Appends the JSON of the report to out, ending with a newline. Identical
 * inputs give identical bytes. CS_ETOOBIG past out's cap, CS_ENOMEM; out may
 * then hold part of the text.
 */
enum cs_err cs_par_json_write(const struct cs_par_report *r, struct cs_buf *out,
			      struct cs_error *err);

/*
 * Reads the units of a results document written by cs_par_json_write into
 * previous-period rows (core/par.h) for cs_par_change: for each unit with a
 * result, its code, published index, points and rank (0 when not ranked).
 * *prev and its strings are allocated in arena; *n is their number. name
 * names the document in messages. CS_EPARSE for a document that is not such
 * JSON, CS_ETOOBIG past CS_PAR_JSON_MAX, CS_ENOMEM.
 */
enum cs_err cs_par_json_read_prev(const char *name, const char *json, size_t len,
				  struct cs_arena *arena, struct cs_par_prev **prev, size_t *n,
				  struct cs_error *err);

#endif
