/*
 * Questionnaires as JSON files (docs/formats.md, "Questionnaires (JSON) and
 * XLSForm import"): a strict reader that names the JSON path of every
 * problem, and a canonical writer, so that a file written by chiso reads back
 * and writes out byte for byte the same.
 */
#ifndef CHISO_IO_QUESTIONNAIRE_JSON_H
#define CHISO_IO_QUESTIONNAIRE_JSON_H

#include <stddef.h>

#include "chiso/error.h"
#include "core/questionnaire.h"
#include "util/buf.h"

/* The value of the "format" member, and the version of the format. */
#define CS_Q_JSON_FORMAT "chiso-questionnaire"
#define CS_Q_JSON_FORMAT_VERSION 1

/* Limits; past them the reader fails with CS_ETOOBIG. */
#define CS_Q_JSON_MAX (4u * 1024 * 1024) /* bytes of one file */
#define CS_Q_JSON_TEXT_MAX 4000		 /* a title, text, label or expression (bytes, NFC) */
#define CS_Q_JSON_NOTE_MAX 20000	 /* the note */
#define CS_Q_JSON_DEPTH_MAX 8		 /* nesting of objects and arrays */

/*
 * Parses a questionnaire file held in memory and builds it, without
 * validating it (cs_questionnaire_validate_all can then list every problem).
 * label names the input in messages (usually the path). A UTF-8 byte order
 * mark is skipped and every string is normalised to NFC.
 *
 * Strict: unknown keys, duplicate keys, wrong JSON types, unknown names
 * (type, role, field, options), a "format" other than CS_Q_JSON_FORMAT and
 * strings holding NUL are errors. Jansson allocates through chiso's
 * allocator: the reader sets its allocation functions to cs_malloc and
 * cs_free. On
 * success *out is owned by the caller (cs_questionnaire_free). Failures, with
 * *out NULL: CS_ETOOBIG past CS_Q_JSON_MAX, CS_Q_JSON_DEPTH_MAX, the text
 * limits or the builder's limits,
 * CS_EPARSE for malformed JSON ("label:3:17: ...") or a value of the wrong
 * kind ("label: items[4].type (item 'E1.2'): unknown type 'likert'
 * (expected likert5, ...)"), CS_EUTF8, CS_ENOMEM.
 */
enum cs_err cs_questionnaire_json_parse(const char *label, const char *data, size_t len,
					struct cs_questionnaire **out, struct cs_error *err);

/*
 * cs_questionnaire_json_parse followed by cs_questionnaire_validate: *out is
 * a validated questionnaire. A validation problem is CS_EINVAL with its
 * message prefixed by label.
 */
enum cs_err cs_questionnaire_json_read(const char *label, const char *data, size_t len,
				       struct cs_questionnaire **out, struct cs_error *err);

/*
 * Appends the canonical JSON of q to out (keys in a fixed order, two-space
 * indentation, empty optional values left out, a final newline). q need not
 * be validated. CS_ETOOBIG past out's max, CS_ENOMEM; out may then hold part
 * of the text.
 */
enum cs_err cs_questionnaire_json_write(const struct cs_questionnaire *q, struct cs_buf *out,
					struct cs_error *err);

#endif
