/*
 * The PAR score table (docs/formats.md, "PAR scores"): one row per unit and
 * framework leaf with columns unit,node,self,appraised,note,reason, read from
 * CSV or from the first sheet of an XLSX workbook, and checked against the
 * framework and the units before anything is stored.
 */
#ifndef CHISO_IO_SCORE_TABLE_H
#define CHISO_IO_SCORE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/framework.h"
#include "core/unit.h"
#include "util/arena.h"
#include "util/vec.h"

/* Largest score file accepted (bytes), CSV or XLSX. */
#define CS_SCORE_TABLE_MAX (64u * 1024 * 1024)
/* Most rows one file may hold. */
#define CS_SCORE_ROWS_MAX 2000000
/* Longest note or reason (bytes, after NFC). */
#define CS_SCORE_TEXT_MAX 4000
/* Room for a location prefix such as "scores.xlsx:12:3 (cell C12)". */
#define CS_SCORE_WHERE_MAX 600

/* The columns of the table. */
enum cs_score_col {
	CS_SCORE_COL_UNIT,
	CS_SCORE_COL_NODE,
	CS_SCORE_COL_SELF,
	CS_SCORE_COL_APPRAISED,
	CS_SCORE_COL_NOTE,
	CS_SCORE_COL_REASON,
	CS_SCORE_COL_COUNT_
};

/* The header name of a column ("unit", "node", ...); NULL when out of range. */
const char *cs_score_col_name(enum cs_score_col col);

/* What a score cell holds. */
enum cs_score_kind {
	CS_SCORE_EMPTY, /* not yet (chưa có) */
	CS_SCORE_NA,	/* not applicable (không áp dụng, METHODOLOGY M2.2) */
	CS_SCORE_VALUE	/* a number: the input of the leaf's rule */
};

struct cs_score_value {
	enum cs_score_kind kind;
	double value; /* CS_SCORE_VALUE */
};

/* True when a and b say the same (same kind, and the same number). */
bool cs_score_value_eq(struct cs_score_value a, struct cs_score_value b);

/*
 * One row. Strings live in the table's arena; note and reason are NULL when
 * the cell is empty or the column is absent. unit_id and node are filled by
 * cs_score_table_check.
 */
struct cs_score_row {
	size_t line; /* CSV: physical line of the record; XLSX: row number */
	const char *unit;
	const char *node;
	struct cs_score_value self;
	struct cs_score_value appraised;
	const char *note;
	const char *reason;
	int64_t unit_id;   /* from the unit set */
	size_t node_index; /* in the framework */
};

/* A parsed file. */
struct cs_score_table {
	struct cs_arena arena;
	struct cs_vec rows;		   /* of struct cs_score_row, in file order */
	const char *name;		   /* as given to the parser; borrowed */
	bool xlsx;			   /* locations are worksheet cells */
	unsigned col[CS_SCORE_COL_COUNT_]; /* 1-based column of each, 0 when absent */
};

/* Initialises an empty table; allocates nothing. */
void cs_score_table_init(struct cs_score_table *t);

/* Frees the rows and their strings; t may be NULL. */
void cs_score_table_release(struct cs_score_table *t);

/* The row at i (i < t->rows.len). */
struct cs_score_row *cs_score_table_at(const struct cs_score_table *t, size_t i);

/*
 * Parses a CSV score file held in memory. name is used in messages and must
 * outlive t. The header names the columns in any order (case and spaces
 * around names ignored): unit and node are required, and at least one of
 * self and appraised; note and reason are optional. Cells: a number written
 * 8.5 or 8,5; `na` (also `n/a` or `không áp dụng`, any case) for not
 * applicable; empty for not yet. Text is checked as UTF-8 and normalised to
 * NFC. Blank rows are skipped. Per row: one field per header column, a unit
 * and a node code, numbers that parse, no second row for the same unit and
 * node. CS_EPARSE (CS_EUTF8, CS_ETOOBIG, CS_ENOMEM) with "name:line:col: ..."
 * on the first problem; t may then hold some rows.
 */
enum cs_err cs_score_table_parse_csv(const char *name, const char *data, size_t len,
				     struct cs_score_table *t, struct cs_error *err);

/*
 * The same for an XLSX workbook held in memory: the sheet called sheet, or
 * the first visible sheet when sheet is NULL. Rows are read as the CSV rows
 * are; messages say "name:row:col (cell C5): ...". Number cells are read as
 * stored; text cells as typed (8,5 is accepted); boolean, date and error
 * cells in a score column are refused. Failures of the XLSX reader
 * (io/xlsx.h) are returned as it gives them.
 */
enum cs_err cs_score_table_parse_xlsx(const char *name, const void *data, size_t len,
				      const char *sheet, struct cs_score_table *t,
				      struct cs_error *err);

/*
 * True when data looks like an XLSX workbook (a zip archive) rather than
 * CSV text.
 */
bool cs_score_table_is_xlsx(const void *data, size_t len);

/*
 * Writes the location of a cell for messages: "name:line:col", or for XLSX
 * "name:row:col (cell C5)". col may be CS_SCORE_COL_COUNT_ for the whole row
 * ("name:line"). Returns out.
 */
const char *cs_score_table_where(const struct cs_score_table *t, size_t line, enum cs_score_col col,
				 char out[CS_SCORE_WHERE_MAX]);

/*
 * Checks every row against the validated framework fw and the units: the unit
 * exists (sets unit_id) and, when period_starts and period_ends are given
 * (ISO dates), is valid during the period; the node exists (sets
 * node_index), is a leaf scored by entry (source self, bonus or penalty, not
 * survey or data) and applies to the unit (applies_to); each number is one
 * the leaf's rule accepts (cs_rule_score: for the usual `manual` rule the
 * points, between 0 and the maximum or the bonus or penalty cap, in the
 * framework's steps; for other rules the rule's input, e.g. a rate in
 * [0, 1]). CS_EPARSE with "name:line:col: ..." naming the unit, node and
 * value on the first problem in file order; CS_ENOMEM.
 */
enum cs_err cs_score_table_check(struct cs_score_table *t, const struct cs_framework *fw,
				 const struct cs_unit_set *units, const char *period_starts,
				 const char *period_ends, struct cs_error *err);

#endif
