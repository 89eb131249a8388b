/*
 * The yearly report as one self-contained HTML file: the style sheet is
 * inline and the charts are inline SVG drawn here, so the file needs no
 * network and no script, reads on a phone and prints to A4 with page breaks
 * and running headers (docs/formats.md, "Yearly report").
 */
#ifndef CHISO_REPORT_REPORT_HTML_H
#define CHISO_REPORT_REPORT_HTML_H

#include "chiso/error.h"
#include "report/fmt.h"
#include "report/report_model.h"
#include "util/buf.h"

/*
 * Appends the report of m in lang (Vietnamese `91,84%` or English `91.84%`)
 * to out: summary, PAR ranking with area points, change since the previous
 * period, SIPAS by element, item and unit with intervals, weak areas and
 * expectations, "fix first" lists and the methodology. Every text from the
 * data is escaped. The same model and language give the same bytes.
 * CS_ETOOBIG past out's max, CS_ENOMEM; out may then hold part of the text.
 */
enum cs_err cs_report_html_write(const struct cs_report_model *m, enum cs_fmt_lang lang,
				 struct cs_buf *out, struct cs_error *err);

#endif
