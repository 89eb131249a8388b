/*
 * The yearly report as an Excel workbook (libxlsxwriter): one sheet per
 * table (summary, ranking, components, change, SIPAS elements and items,
 * weak areas, expectations, methodology) and native Excel charts of the unit
 * indices and the element indices (docs/formats.md, "Yearly report").
 */
#ifndef CHISO_REPORT_REPORT_XLSX_H
#define CHISO_REPORT_REPORT_XLSX_H

#include "chiso/error.h"
#include "report/fmt.h"
#include "report/report_model.h"

/*
 * Writes the workbook of m to path (created or replaced), with sheet names,
 * headers and labels in lang. Figures are numbers, not text, under number
 * formats with two decimals; Excel shows them with the decimal separator of
 * the reader's locale (see docs/formats.md). Absent figures are text
 * ("chưa có phản hồi", "—"), never 0. CS_EIO when the file cannot be written
 * (naming path and the reason), CS_ENOMEM. A failed write may leave a
 * partial file behind, which the caller removes.
 */
enum cs_err cs_report_xlsx_write(const struct cs_report_model *m, enum cs_fmt_lang lang,
				 const char *path, struct cs_error *err);

#endif
