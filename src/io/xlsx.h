/*
 * A reader for Excel .xlsx workbooks (Office Open XML spreadsheets: a zip of
 * XML parts), over libzip and expat. It lists the sheets and streams the rows
 * of one sheet at a time; docs/internals/xlsx.md says what is supported.
 */
#ifndef CHISO_IO_XLSX_H
#define CHISO_IO_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "util/date.h"

/*
 * Limits. Every one of them is checked before or while the data is read;
 * passing one is CS_ETOOBIG with a message saying which.
 */
/* Largest .xlsx file cs_xlsx_open_file reads (bytes). */
#define CS_XLSX_MAX_FILE (256u * 1024 * 1024)
/* Largest uncompressed size of the parts read (workbook, relationships,
 * styles, shared strings and every sheet), summed over the workbook. */
#define CS_XLSX_MAX_TOTAL (256u * 1024 * 1024)
/* Largest uncompressed size of one part. */
#define CS_XLSX_MAX_PART (128u * 1024 * 1024)
/* Most shared strings (distinct texts) in a workbook. */
#define CS_XLSX_MAX_STRINGS (2u * 1024 * 1024)
/* Longest cell text, in UTF-16 code units as Excel counts them (its limit). */
#define CS_XLSX_MAX_TEXT 32767
/* Excel's last column (XFD) and last row. */
#define CS_XLSX_MAX_COLS 16384
#define CS_XLSX_MAX_ROWS 1048576
/* Most entries (files) in the zip archive. */
#define CS_XLSX_MAX_ENTRIES 65536
/* Most sheets in a workbook, and the longest sheet name (bytes). */
#define CS_XLSX_MAX_SHEETS 4096
#define CS_XLSX_MAX_SHEET_NAME 1024
/* Most cells passed to the row callback for one sheet, counting the empty
 * entries that keep column positions; bounds the work a sparse sheet with
 * far-right cells can cause. */
#define CS_XLSX_MAX_SHEET_CELLS (128u * 1024 * 1024)
/* Deepest nesting of XML elements in a part. */
#define CS_XLSX_MAX_DEPTH 256

/* Room for a column name ("A" to "XFD") and its NUL. */
#define CS_XLSX_COL_LEN 4

/* An open workbook. Opaque; one thread at a time. */
struct cs_xlsx;

/* What a cell holds. */
enum cs_xlsx_type {
	CS_XLSX_EMPTY,	/* no value, or an empty string; text is "" */
	CS_XLSX_STRING, /* text: shared, inline, or the result of a formula */
	CS_XLSX_NUMBER, /* a number, text exactly as stored ("8.5", "1", "0.30000000000000004") */
	CS_XLSX_BOOL,	/* "TRUE" or "FALSE" */
	CS_XLSX_ERROR,	/* a formula error as Excel shows it: "#N/A", "#DIV/0!" */
	CS_XLSX_DATE,	/* a number whose cell format is a date or time: the serial, as stored */
};

/*
 * One cell of a row. text is UTF-8, NUL-terminated at text[len], and valid
 * only during the row callback.
 */
struct cs_xlsx_cell {
	unsigned col; /* 1-based column: A is 1 */
	enum cs_xlsx_type type;
	const char *text;
	size_t len;
};

/*
 * Opens a workbook held in memory. label names it in messages (usually the
 * file name the user gave). data must stay valid and unchanged until
 * cs_xlsx_free; label is copied.
 *
 * Reads the package relationships, the workbook (sheet names and order), its
 * relationships, the styles (to tell dates from numbers) and all shared
 * strings. Sheets are read later, one at a time, by cs_xlsx_read_sheet.
 *
 * On success *out is a handle the caller frees with cs_xlsx_free. Failures
 * (*out is then NULL): CS_EPARSE when data is not an .xlsx workbook (the
 * message says what it is when it can tell: an .xls or encrypted workbook,
 * an .ods or .xlsb file) or a part is malformed ("label: part:line:col:
 * ..."), CS_ETOOBIG past a limit above (including data that decompresses
 * to more than the zip declares), CS_EUTF8, CS_ENOMEM.
 */
enum cs_err cs_xlsx_open(const char *label, const void *data, size_t len, struct cs_xlsx **out,
			 struct cs_error *err);

/*
 * Reads the file at path (at most CS_XLSX_MAX_FILE bytes) and opens it as
 * cs_xlsx_open does, with path as the label. CS_EIO when the file cannot be
 * read; otherwise the failures of cs_xlsx_open.
 */
enum cs_err cs_xlsx_open_file(const char *path, struct cs_xlsx **out, struct cs_error *err);

/* Closes a workbook and frees everything it owns; NULL is a no-op. */
void cs_xlsx_free(struct cs_xlsx *x);

/* The number of sheets (at least 1), in the order Excel shows their tabs. */
size_t cs_xlsx_sheet_count(const struct cs_xlsx *x);

/* The name of sheet i (0-based), owned by x; NULL when i is out of range. */
const char *cs_xlsx_sheet_name(const struct cs_xlsx *x, size_t i);

/* True when sheet i is hidden (state "hidden" or "veryHidden"). */
bool cs_xlsx_sheet_hidden(const struct cs_xlsx *x, size_t i);

/*
 * Finds the sheet called name, ignoring case (Unicode case folding, as Excel
 * does: "KHẢO SÁT" finds "Khảo sát") and composed/decomposed accents. Sets
 * *index to the first match. CS_ENOTFOUND with a message listing the sheets
 * when there is none.
 */
enum cs_err cs_xlsx_find_sheet(const struct cs_xlsx *x, const char *name, size_t *index,
			       struct cs_error *err);

/* True when the workbook counts dates from 1904 (old Mac Excel) rather than 1900. */
bool cs_xlsx_date1904(const struct cs_xlsx *x);

/*
 * Reads sheet index (0-based) from top to bottom and calls row_cb once per
 * row that has at least one non-empty cell, with the row's 1-based number as
 * Excel shows it (numbers jump over rows that are absent or empty) and its
 * cells: cells[i] is column i + 1, so empty cells before the last non-empty
 * one appear as CS_XLSX_EMPTY entries and ncells is the column of the last
 * non-empty cell. Cell text and the array live only during the call.
 *
 * Numbers come as the literal text stored in the file; dates as serial
 * numbers (see cs_xlsx_serial_to_iso); formulas as their last computed
 * value (formulas are not evaluated). Text is valid UTF-8 as stored: it is
 * not normalised to NFC, which is left to the caller.
 *
 * row_cb returns CS_OK to go on; any other code stops the reading and is
 * returned, with err as row_cb filled it. Other failures: CS_EINVAL for an
 * index out of range, CS_EPARSE for a missing or malformed sheet part or an
 * invalid cell ("label: part:line:col (sheet 'name'): cell C5: ..."),
 * CS_ETOOBIG past a limit, CS_EUTF8, CS_ENOMEM. Rows already passed to row_cb
 * stay passed.
 */
enum cs_err cs_xlsx_read_sheet(struct cs_xlsx *x, size_t index,
			       enum cs_err (*row_cb)(void *ctx, size_t row,
						     const struct cs_xlsx_cell *cells,
						     size_t ncells, struct cs_error *err),
			       void *ctx, struct cs_error *err);

/*
 * Converts a date serial of the 1900 date system (Excel's default on
 * Windows) to an ISO date "YYYY-MM-DD"; the time of day (the fraction) is
 * dropped. Excel counts 1900 as a leap year, so serial 60 is 29 February
 * 1900, a day that never was: it is CS_EPARSE, and serials from 61 on are
 * shifted back one day to real dates (61 is 1900-03-01). For a workbook in
 * the 1904 system (cs_xlsx_date1904) add 1462 to the serial first.
 * CS_EPARSE for serials below 1, at or past 10000-01-01, or not finite.
 */
enum cs_err cs_xlsx_serial_to_iso(double serial, char iso[CS_DATE_LEN], struct cs_error *err);

/* Writes the letters of 1-based column col ("A", "Z", "AA", "XFD"); "?" past XFD. */
void cs_xlsx_col_name(unsigned col, char out[CS_XLSX_COL_LEN]);

#endif
