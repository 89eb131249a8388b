/*
 * An RFC 4180 CSV reader over libcsv that knows where each record starts: the
 * physical line, counting the line breaks inside quoted fields and blank lines,
 * so that importers can name "file:line:column" in their messages.
 */
#ifndef CHISO_IO_CSV_H
#define CHISO_IO_CSV_H

#include <stddef.h>

#include "chiso/error.h"
#include "util/str.h"

/* Most fields one record may have; more is CS_ETOOBIG. */
#define CS_CSV_MAX_FIELDS 1024

/*
 * Reads the CSV text data[0..len) and calls row_cb once per record, in order,
 * with the 1-based physical line on which the record starts and its fields.
 *
 * The dialect: fields are separated by ',' (only; ';' is not recognised),
 * lines end with LF, CRLF or CR, a field may be enclosed in double quotes and
 * then hold commas, line breaks and doubled quotes (""). Spaces and tabs
 * around a field are dropped; inside quotes they are kept. Blank lines (empty
 * or only spaces and tabs) are skipped but counted. A UTF-8 byte order mark at
 * the start is skipped. The encoding is not checked here (callers validate
 * UTF-8 per field, where they can name the column), except that a UTF-16 byte
 * order mark or a NUL byte in a field is an error.
 *
 * Fields passed to row_cb have their quotes removed, are NUL-terminated at
 * ptr[len], and live in the reader's memory only for the duration of the
 * call. row_cb returns CS_OK to go on; any other code stops the reading and is
 * returned by cs_csv_read, with err filled in by row_cb (which receives err).
 *
 * name is the file name used in messages ("name:line:column: ...", the column
 * being the 1-based field number). Failures: CS_EPARSE for a quoting mistake
 * (a '"' inside an unquoted field, text after a closing quote, a quote never
 * closed) or a NUL byte, CS_ETOOBIG for a field longer than max_field bytes or
 * a record of more than CS_CSV_MAX_FIELDS fields, CS_EUTF8 for UTF-16 text,
 * CS_ENOMEM.
 */
enum cs_err cs_csv_read(const char *name, const char *data, size_t len, size_t max_field,
			enum cs_err (*row_cb)(void *ctx, size_t line, const struct cs_str *fields,
					      size_t nfields, struct cs_error *err),
			void *ctx, struct cs_error *err);

#endif
