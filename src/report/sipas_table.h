/*
 * Satisfaction results for people and spreadsheets: terminal tables in
 * Vietnamese (91,84) or English (91.84), and CSV with machine numbers
 * (docs/formats.md, "SIPAS results (CSV)"). Formatting only; the numbers
 * come from core/sipas.h.
 */
#ifndef CHISO_REPORT_SIPAS_TABLE_H
#define CHISO_REPORT_SIPAS_TABLE_H

#include <stddef.h>

#include "chiso/error.h"
#include "core/sipas.h"
#include "report/fmt.h"
#include "report/sipas_json.h"
#include "util/buf.h"

/*
 * Appends the results as text: the meta data, then the whole sample (or the
 * first domain) in detail (overall indices, elements, items with level
 * distributions) and, when there are other domains, one summary row per
 * domain with its headline, interval, element indices, flags and change
 * (ch may be NULL). CS_ETOOBIG past out's max, CS_ENOMEM.
 */
enum cs_err cs_sipas_table_write(const struct cs_sipas_result *r, const struct cs_sipas_change *ch,
				 const struct cs_sipas_meta *m, enum cs_fmt_lang lang,
				 struct cs_buf *out, struct cs_error *err);

/*
 * Appends the results as CSV, one row per domain and measure: the three
 * overall indices, each element's two indices and each item. Errors as
 * cs_sipas_table_write.
 */
enum cs_err cs_sipas_csv_write(const struct cs_sipas_result *r, const struct cs_sipas_change *ch,
			       struct cs_buf *out, struct cs_error *err);

/* Appends the "fix first" lists and expectations of each domain (M3.6) as text. */
enum cs_err cs_sipas_weak_table_write(const struct cs_sipas_result *r,
				      const struct cs_sipas_meta *m, enum cs_fmt_lang lang,
				      struct cs_buf *out, struct cs_error *err);

/* Appends a ranking (M3.7) as text, one table per group. */
enum cs_err cs_sipas_rank_table_write(const struct cs_sipas_result *r,
				      const struct cs_sipas_rank *ranks, size_t n,
				      const struct cs_sipas_meta *m, enum cs_fmt_lang lang,
				      struct cs_buf *out, struct cs_error *err);

/* Appends a ranking as CSV: group, code, name, n, index, limits, rank, of, rank interval. */
enum cs_err cs_sipas_rank_csv_write(const struct cs_sipas_result *r,
				    const struct cs_sipas_rank *ranks, size_t n, struct cs_buf *out,
				    struct cs_error *err);

/* Short words for the flags of an estimate, in the language, ';'-joined into out. */
const char *cs_sipas_flags_text(unsigned flags, enum cs_fmt_lang lang, char *out, size_t size);

#endif
