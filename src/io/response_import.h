/*
 * Reading survey responses from CSV, XLSX and JSON-lines files
 * (docs/formats.md, "Survey responses"): one respondent per row, checked
 * against the questionnaire and the unit list, with every problem named by
 * file, line and column. Valid rows go to a sink (the database writer);
 * the caller writes nothing unless the whole file is clean.
 */
#ifndef CHISO_IO_RESPONSE_IMPORT_H
#define CHISO_IO_RESPONSE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "core/questionnaire.h"
#include "core/response.h"
#include "core/unit.h"
#include "util/vec.h"

/* Longest field read (a text answer), in bytes. */
#define CS_RESP_FIELD_MAX (64u * 1024)
/* Longest id, channel, stratum, PSU, kind or service value, in bytes. */
#define CS_RESP_KEY_MAX 256
/* Problems whose messages are kept when none is asked for. */
#define CS_RESP_ERRORS_DEFAULT 20

enum cs_resp_format {
	CS_RESP_CSV,
	CS_RESP_XLSX,
	CS_RESP_JSONL,
	CS_RESP_FORMAT_COUNT_
};

/* "csv", "xlsx", "jsonl"; NULL out of range. */
const char *cs_resp_format_name(enum cs_resp_format f);

/*
 * The format of a file from its name: .csv, .xlsx, .jsonl, .ndjson or .json
 * (ASCII case-insensitive); false when the extension is none of these.
 */
bool cs_resp_format_from_path(const char *path, enum cs_resp_format *out);

/*
 * Receives each valid response. A non-zero return is a problem with that
 * response: CS_EEXIST (a duplicate id) and CS_EINVAL are reported at the id's
 * place and reading goes on; any other code stops the import and is
 * returned.
 */
typedef enum cs_err cs_resp_sink_fn(void *ctx, const struct cs_response *r, struct cs_error *err);

struct cs_resp_import_opts {
	size_t max_errors; /* messages kept; 0: CS_RESP_ERRORS_DEFAULT */
	/* Called every progress_every rows (0: 100000) and after the last, with
	 * the rows read and the bytes of data consumed so far; may be NULL. */
	void (*progress)(void *ctx, size_t rows, size_t done, size_t total);
	void *progress_ctx;
	size_t progress_every;
};

struct cs_resp_import_report {
	size_t rows;		/* responses read */
	size_t accepted;	/* responses the sink took */
	size_t errors;		/* problems found */
	size_t id_col;		/* 1-based column of the ids (0 until the header is read) */
	struct cs_vec messages; /* of char *, "file:line:col: ...", at most max_errors */
};

void cs_resp_import_report_init(struct cs_resp_import_report *r);
/* Frees the messages; r may be NULL. */
void cs_resp_import_report_release(struct cs_resp_import_report *r);

/*
 * Reads the responses in data[0..len) (format fmt; name is the file name for
 * messages) against the validated questionnaire q and the units (their ids
 * must be set), and passes each valid one to sink. Columns: id and unit
 * (required), submitted_at, channel, weight, stratum, psu, fpc, kind,
 * service, then one per item code. Checks: unknown, duplicate or missing
 * required columns; unknown unit; a value outside an item's scale; a weight
 * or fpc that is not a positive number; a missing required answer (items
 * without a relevance condition); design columns left empty; an fpc that
 * differs within a stratum; and the sink's duplicate ids.
 *
 * Every problem is counted in rep and its message ("name:line:col: ...";
 * JSON lines name the key instead of the column) kept up to max_errors.
 * Returns CS_OK when the whole file is clean, CS_EPARSE when any problem was
 * found (err holds the first, followed by how many more), CS_ETOOBIG past
 * CS_RESP_FIELD_MAX or the readers' limits, CS_EUTF8, CS_ENOMEM, or the
 * sink's stopping error. rep must be initialised; the caller releases it.
 */
enum cs_err cs_resp_import(const struct cs_questionnaire *q, const struct cs_unit_set *units,
			   const char *name, const char *data, size_t len, enum cs_resp_format fmt,
			   const struct cs_resp_import_opts *o, cs_resp_sink_fn *sink,
			   void *sink_ctx, struct cs_resp_import_report *rep, struct cs_error *err);

#endif
