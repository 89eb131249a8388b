/*
 * The PAR framework as a table (docs/formats.md, "PAR framework"), the form
 * agencies keep in Excel: one row per node with columns
 * code,parent,title,max_points,source,rule,params and optionally applies_to,
 * read from CSV or XLSX and written as CSV. The table holds the tree only;
 * the framework's code, title, decision, version and bands come from the
 * caller (the command line).
 */
#ifndef CHISO_IO_FRAMEWORK_TABLE_H
#define CHISO_IO_FRAMEWORK_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "core/framework.h"
#include "util/buf.h"
#include "util/vec.h"

/* Largest framework table accepted (bytes), CSV or XLSX. */
#define CS_FW_TABLE_MAX (16u * 1024 * 1024)

/* The sheet an XLSX framework is read from when the workbook has one of that name. */
#define CS_FW_TABLE_SHEET "framework"

/*
 * Where each node of a table came from: lines[i] is the 1-based line (CSV)
 * or row (XLSX) of node i, so that validation messages can name it.
 */
struct cs_fw_table_lines {
	size_t *lines; /* owned; cs_free */
	size_t n;
};

/* Frees the lines; l may be NULL. */
void cs_fw_table_lines_release(struct cs_fw_table_lines *l);

/*
 * Reads a CSV framework table held in memory and builds a framework with info
 * (copied; its code must be given) and default options, without bands. name
 * is used in messages. The header row names the columns in any order (case
 * and surrounding spaces ignored); code, parent, title, max_points, source
 * and rule are required, params and applies_to optional. Per row: a code, an
 * optional parent code, a title (NFC, white space runs made one space), a
 * maximum written 14.5 or 14,5 (empty: the sum of the children), a source and
 * a rule (empty for inner nodes; read in lower case), params as
 * `key=value;key=value` and applies_to as
 * `levels=district,commune;flags=tthc;not_flags=x`. Blank rows are skipped;
 * a repeated code is refused naming both lines. The framework is not
 * validated (see cs_framework_table_locate).
 *
 * On success *out is owned by the caller (cs_framework_free) and lines (may
 * be NULL) is filled. On failure *out is NULL and err says
 * "name:line:col: ..." (CSV) or "name:row:col (cell C5): ..." (XLSX):
 * CS_EPARSE, CS_EUTF8, CS_ETOOBIG, CS_ENOMEM.
 */
enum cs_err cs_framework_table_parse_csv(const char *name, const char *data, size_t len,
					 const struct cs_fw_info *info, struct cs_framework **out,
					 struct cs_fw_table_lines *lines, struct cs_error *err);

/*
 * The same for an XLSX workbook held in memory: the sheet called "framework"
 * when there is one (any case), otherwise the first sheet. Number cells are
 * read as stored; text cells as typed; boolean, date and error cells are
 * refused where a number is expected. Failures of the XLSX reader are
 * returned as it gives them.
 */
enum cs_err cs_framework_table_parse_xlsx(const char *name, const void *data, size_t len,
					  const struct cs_fw_info *info, struct cs_framework **out,
					  struct cs_fw_table_lines *lines, struct cs_error *err);

/*
 * Appends fw as a CSV table to out: the header
 * code,parent,title,max_points,source,rule,params (and applies_to when a node
 * has any), then one row per node in file order, numbers with '.', fields
 * quoted as RFC 4180 needs. An undeclared inner maximum is left empty.
 * CS_ETOOBIG past out's cap, CS_ENOMEM.
 */
enum cs_err cs_framework_table_write_csv(const struct cs_framework *fw, struct cs_buf *out,
					 struct cs_error *err);

/*
 * Writes a node's rule parameters in the table form "key=value;key=value"
 * ("" when none), and its applies_to list as
 * "levels=a,b;flags=c;not_flags=d" ("" when empty). Append to out.
 */
enum cs_err cs_fw_params_text(const struct cs_fw_node *node, struct cs_buf *out,
			      struct cs_error *err);
enum cs_err cs_fw_applies_text(const struct cs_fw_node *node, struct cs_buf *out,
			       struct cs_error *err);

/*
 * Adds a named set of classification bands (METHODOLOGY M2.5) to fw:
 * "moha" (A >= 90, B 80-<90, C 70-<80, D below 70; MOHA 2020 and 2022) or
 * "police" (Xuất sắc >= 95, Tốt 80-<95, Khá 70-<80, Hoàn thành nhiệm vụ
 * 50-<70, Không hoàn thành nhiệm vụ below 50; police 2025). CS_ENOTFOUND for
 * another name (the message lists the names), CS_ENOMEM.
 */
enum cs_err cs_framework_add_band_set(struct cs_framework *fw, const char *name,
				      struct cs_error *err);

/*
 * Puts the place of each validation problem in front of its message: for a
 * message about a node ("node 'A1.2': ..."), "name:line: " with the node's
 * line from lines (NULL: "name: "); for others "name: ". errors is the vec
 * of struct cs_error that cs_framework_validate_all filled.
 */
void cs_framework_table_locate(const char *name, const struct cs_framework *fw,
			       const struct cs_fw_table_lines *lines, struct cs_vec *errors);

#endif
