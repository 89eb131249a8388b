/*
 * The PAR framework file in JSON (docs/formats.md, "PAR framework"): a strict
 * reader that builds a struct cs_framework and names the JSON path of every
 * mistake, and a writer of the canonical form that is stored, hashed and
 * exported, so that the same framework always gives the same bytes.
 */
#ifndef CHISO_IO_FRAMEWORK_JSON_H
#define CHISO_IO_FRAMEWORK_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "core/framework.h"
#include "util/buf.h"

/* The value of the "format" member, and the version of the format. */
#define CS_FW_JSON_FORMAT "chiso-par-framework"
#define CS_FW_JSON_FORMAT_VERSION 1

/* Limits on a framework file; past them the reader fails with CS_ETOOBIG. */
#define CS_FW_JSON_MAX (16u * 1024 * 1024) /* bytes of one file */
#define CS_FW_JSON_DEPTH_MAX 8		   /* nesting of objects and arrays */
#define CS_FW_CODE_MAX 64		   /* framework and node codes, versions, flags */
#define CS_FW_NAME_MAX 64		   /* source, rule and parameter names */
#define CS_FW_TEXT_MAX 2000		   /* titles, labels, the decision (bytes, after NFC) */
#define CS_FW_NOTE_MAX 20000		   /* the note */
#define CS_FW_VALUE_MAX 2000		   /* one rule parameter's value */

/*
 * What a framework file says besides the framework: whether it is a template
 * whose points must still be completed from the decision, and a free note.
 * Computation does not use either; they travel with the stored body.
 */
struct cs_fw_meta {
	bool is_template;
	char *note; /* NULL when none; owned, freed by cs_fw_meta_release */
};

/* Frees the note and clears m; m may be NULL. */
void cs_fw_meta_release(struct cs_fw_meta *m);

/*
 * Reads a framework file held in memory. name is used in messages (the path
 * as the user typed it). Strips a BOM, refuses files larger than
 * CS_FW_JSON_MAX or nested deeper than CS_FW_JSON_DEPTH_MAX, parses strictly
 * (no duplicate member, no unknown member, no trailing text), checks every
 * member's type and form and normalises text to NFC, and builds the
 * framework with the builder of core/framework.h in file order. Duplicate
 * node codes are reported here, with both paths. The framework is NOT
 * validated: the caller runs cs_framework_validate(_all), which reports the
 * problems of the tree (unknown parents, sums, rules, bands) by node.
 *
 * On success *out is a framework the caller frees with cs_framework_free and
 * meta (may be NULL) is filled; the caller releases it. On failure *out is
 * NULL, meta is empty and err says "name:line:col: ..." for a syntax error,
 * or "name: path: ..." naming the member (`nodes[3].max_points (node 'A1.2'):
 * expected a number, found "abc"`) and what was expected. Codes: CS_EPARSE,
 * CS_ETOOBIG, CS_EUTF8, CS_ENOMEM.
 *
 * Jansson allocates through chiso's allocator (util/alloc.h): the reader sets
 * jansson's allocation functions to cs_malloc and cs_free.
 */
enum cs_err cs_framework_json_parse(const char *name, const char *data, size_t len,
				    struct cs_framework **out, struct cs_fw_meta *meta,
				    struct cs_error *err);

/*
 * Appends the canonical JSON of fw and meta (may be NULL) to out: members in
 * a fixed order, two-space indentation, one node per line, every option
 * written out, numbers in their shortest form that reads back to the same
 * double, text as UTF-8. Reading the result with cs_framework_json_parse and
 * writing it again gives the same bytes. fw need not be validated; a leaf's
 * or group's maximum is written when it was declared. CS_EINVAL for a
 * maximum or band bound that is not finite, CS_ETOOBIG past out's cap,
 * CS_ENOMEM; out may then hold part of the text.
 */
enum cs_err cs_framework_json_write(const struct cs_framework *fw, const struct cs_fw_meta *meta,
				    struct cs_buf *out, struct cs_error *err);

/* Room for any number written by cs_fw_number_format. */
#define CS_FW_NUMBER_LEN 32

/*
 * Writes a finite double in the shortest decimal form that reads back to the
 * same value, with '.' as the decimal point ("14.5", "10", "0.25", "1e-07");
 * -0 is written "0". Non-finite values give "nan" or "inf" (never written to
 * a file: the writers refuse them).
 */
void cs_fw_number_format(double v, char out[CS_FW_NUMBER_LEN]);

/*
 * True when s[0..len) is a code: 1 to CS_FW_CODE_MAX bytes of A-Z a-z 0-9
 * '.' '_' '-', the form of framework codes, versions and node codes.
 */
bool cs_fw_code_valid(const char *s, size_t len);

#endif
