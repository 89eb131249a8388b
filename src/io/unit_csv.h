/*
 * The unit CSV format (docs/formats.md): header row with columns
 * code,name,parent,level and optionally flags,valid_from,valid_to,successor,
 * in any order; one unit per row.
 */
#ifndef CHISO_IO_UNIT_CSV_H
#define CHISO_IO_UNIT_CSV_H

#include <stddef.h>

#include "chiso/error.h"
#include "core/unit.h"

/* Largest unit file accepted (bytes); larger ones are CS_ETOOBIG. */
#define CS_UNIT_CSV_MAX (64u * 1024 * 1024)

/*
 * Parses a unit file held in memory. name is used in messages (the path, as
 * the user typed it). Strips a BOM, checks UTF-8, normalises text to NFC,
 * trims fields, and checks each row on its own: required fields present,
 * known level, valid ISO dates (YYYY-MM-DD, or DD/MM/YYYY), well-formed codes,
 * no duplicate code. Cross-row checks (parents, cycles, successors) belong to
 * cs_unit_plan_make. Appends the units to out; on error returns CS_EPARSE
 * (CS_EUTF8, CS_ETOOBIG) with "name:line:col: ..." and out may hold some of
 * the rows. name must outlive out (units point to it for messages).
 */
enum cs_err cs_unit_csv_parse(const char *name, const char *data, size_t len,
			      struct cs_unit_set *out, struct cs_error *err);

#endif
