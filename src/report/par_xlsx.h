/*
 * The PAR results as an Excel workbook (libxlsxwriter): a ranking sheet with
 * a bar chart of the indices, a components sheet with every node's points,
 * and a groups sheet (METHODOLOGY M2.4-M2.7). Officials work in Excel; the
 * figures are real numbers with two-decimal formats, not text.
 */
#ifndef CHISO_REPORT_PAR_XLSX_H
#define CHISO_REPORT_PAR_XLSX_H

#include "chiso/error.h"
#include "report/fmt.h"
#include "report/par_report.h"

/*
 * Writes the workbook to path (created or replaced), with sheet names,
 * headers and band labels in lang. Figures are rounded as published; units
 * with no result yet have empty figure cells and say so in a state column.
 * CS_EIO when the file cannot be written (the message names path and
 * libxlsxwriter's reason), CS_ENOMEM. A failed write may leave a partial
 * file behind, which the caller removes.
 */
enum cs_err cs_par_xlsx_write(const struct cs_par_report *r, enum cs_fmt_lang lang,
			      const char *path, struct cs_error *err);

#endif
