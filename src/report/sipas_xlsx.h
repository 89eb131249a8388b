/*
 * Satisfaction results as an Excel workbook (libxlsxwriter): a summary
 * sheet of the domains with a bar chart of the first domain's element
 * indices, an items sheet with level distributions, an expectations sheet
 * and a sheet saying what the figures are (METHODOLOGY M3.3-M3.6, M5).
 * Figures are numbers with two-decimal formats, not text.
 */
#ifndef CHISO_REPORT_SIPAS_XLSX_H
#define CHISO_REPORT_SIPAS_XLSX_H

#include "chiso/error.h"
#include "core/sipas.h"
#include "report/fmt.h"
#include "report/sipas_json.h"

/*
 * Writes the workbook to path (created or replaced), with sheet names and
 * headers in lang; ch (may be NULL) adds the change columns. CS_EIO when
 * the file cannot be written (the message names path and libxlsxwriter's
 * reason), CS_ENOMEM. A failed write may leave a partial file behind, which
 * the caller removes.
 */
enum cs_err cs_sipas_xlsx_write(const struct cs_sipas_result *r, const struct cs_sipas_change *ch,
				const struct cs_sipas_meta *m, enum cs_fmt_lang lang,
				const char *path, struct cs_error *err);

#endif
