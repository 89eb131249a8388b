/*
 * XLSForm import (docs/formats.md, "Questionnaires (JSON) and XLSForm
 * import"): builds a questionnaire from the survey, choices and settings
 * sheets of a form made for ODK or KoboToolbox. What chiso does not support
 * is named in warnings, never dropped in silence.
 */
#ifndef CHISO_IO_XLSFORM_H
#define CHISO_IO_XLSFORM_H

#include <stddef.h>

#include "chiso/error.h"
#include "core/questionnaire.h"
#include "util/vec.h"

/* Limits; past them the import fails with CS_ETOOBIG. */
#define CS_XLSFORM_ROWS_MAX 20000 /* rows of one sheet */
#define CS_XLSFORM_COLS_MAX 512	  /* columns of one sheet */

/* One warning: "FILE:sheet:row: message", ready to print after "warning: ". */
struct cs_xlsform_warning {
	char msg[CS_ERROR_MSG_MAX];
};

/*
 * Reads an XLSForm workbook held in memory (label names it in messages,
 * usually its path; the file name without its extension is the fallback
 * code) and builds and validates a questionnaire:
 *
 * - sheets survey, choices and settings, found ignoring case; other sheets
 *   are warned about (a near miss like "stettings" as such);
 * - survey columns type, name, label (plain or per language, label::English
 *   (en) or label:en), required, relevant (or relevance) and constraint;
 *   other columns with a value are warned about, one warning per column;
 * - types select_one / select_multiple LIST (also "select one LIST", "select
 *   one from LIST", "select all that apply LIST"; or_other adds an "other"
 *   choice, with a warning that its text is not kept), integer, decimal,
 *   text, note, begin/end group (also begin_group); every other type (repeat,
 *   calculate, geopoint, image, metadata such as start ...) is skipped with
 *   one warning per type naming its first row; questions inside a repeat are
 *   kept as if asked once, with a warning;
 * - Vietnamese and English text from the label columns whose language is vi
 *   ("Vietnamese (vi)", "vi", "Tiếng Việt") and en; without Vietnamese the
 *   plain label, else English, else the settings' default_language stands
 *   in, without English the Vietnamese text, each with a warning; a single
 *   label language serves for both; other languages are warned about;
 * - a group all of whose questions are select_one of a 5-choice list
 *   becomes an element (code: the group's name, title: its label) and its
 *   questions likert5 satisfaction items (M3.1); values 1-5 give the levels,
 *   otherwise list order does (first = 1), with a warning;
 * - code: settings form_id (characters outside the code rule become '-',
 *   with a warning; none: the file name, with a warning), title: form_title
 *   (else the code), version: settings version (else "1"; a date-formatted
 *   version cell as Excel shows it, "2022-04-11T16:26:29").
 *
 * Warnings are appended to warnings (a vec of struct cs_xlsform_warning the
 * caller initialised and releases; may be NULL). On success *out is a
 * validated questionnaire the caller frees. Failures, *out NULL: the
 * workbook's (CS_EPARSE for a file that is not .xlsx, ...), CS_EPARSE for a
 * form chiso cannot read ("FILE:survey:1: column 'label' appears twice
 * (columns D and E)", no survey sheet, a select of a list the choices sheet
 * lacks, an end group without a begin), CS_EINVAL for a questionnaire that
 * does not validate (message prefixed with label), CS_ETOOBIG, CS_EUTF8,
 * CS_ENOMEM.
 */
enum cs_err cs_xlsform_read(const char *label, const void *data, size_t len,
			    struct cs_questionnaire **out, struct cs_vec *warnings,
			    struct cs_error *err);

#endif
