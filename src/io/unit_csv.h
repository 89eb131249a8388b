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
 * trims fields (and turns white space inside a name into single spaces),
 * skips blank lines and rows of empty cells, and checks each row on its own:
 * the row has one field per header column, well-formed codes (at most 64
 * bytes of A-Z a-z 0-9 . _ -), a name of at most 500 bytes, a known level,
 * valid dates (YYYY-MM-DD, or DD/MM/YYYY) with valid_from not after valid_to,
 * well-formed flags and successors, no duplicate code. Flags and successors
 * are stored in their canonical form ("a;b"). Cross-row checks (parents,
 * cycles, successors) belong to cs_unit_plan_make. A file with a header and
 * no rows gives no units; an empty file is an error.
 *
 * Appends the units to out; on error returns CS_EPARSE (CS_EUTF8, CS_ETOOBIG,
 * CS_ENOMEM) with "name:line:col: ..." (line of the record, column the
 * 1-based field) and out may hold some of the rows. name must outlive out
 * (units point to it for messages). The messages are listed in
 * docs/formats.md.
 */
enum cs_err cs_unit_csv_parse(const char *name, const char *data, size_t len,
			      struct cs_unit_set *out, struct cs_error *err);

#endif
