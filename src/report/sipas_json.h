/*
 * Satisfaction results as JSON (docs/formats.md, "SIPAS results (JSON)"):
 * the indices of every domain with their intervals, flags, weak-area tests
 * and changes; the weak-area ("fix first") lists; and rankings. Keys come in
 * a fixed order and numbers are written with '.', whatever the locale, so
 * that the output is stable and diffable.
 */
#ifndef CHISO_REPORT_SIPAS_JSON_H
#define CHISO_REPORT_SIPAS_JSON_H

#include <stddef.h>

#include "chiso/error.h"
#include "core/sipas.h"
#include "util/buf.h"

/* The version of the format; a breaking change of the layout bumps it. */
#define CS_SIPAS_JSON_FORMAT "chiso-sipas-results"
#define CS_SIPAS_JSON_VERSION 1

/* What the results are of, for every output of them. */
struct cs_sipas_meta {
	const char *wave;
	const char *period;
	const char *questionnaire;
	const char *questionnaire_version;
	const char *previous_wave; /* NULL when there is no comparison */
};

/*
 * Appends the results document: the meta data, the design and options, then
 * one object per domain (the whole sample first). ch, when not NULL, holds
 * the changes against meta->previous_wave (cs_sipas_compare). Indices are in
 * percent; NaN and missing values are null. CS_ETOOBIG past out's max,
 * CS_ENOMEM; out may then hold part of the text.
 */
enum cs_err cs_sipas_json_write(const struct cs_sipas_result *r, const struct cs_sipas_change *ch,
				const struct cs_sipas_meta *m, struct cs_buf *out,
				struct cs_error *err);

/*
 * Appends the weak-area document (M3.6): per domain the items and elements
 * flagged below the target or significantly below the domain's own index or
 * its peers, weakest first, and the expectations most chosen first. Errors
 * as cs_sipas_json_write.
 */
enum cs_err cs_sipas_weak_json_write(const struct cs_sipas_result *r, const struct cs_sipas_meta *m,
				     struct cs_buf *out, struct cs_error *err);

/*
 * Appends the ranking document (M3.7): per group, the ranked domains with
 * their headline index, position, "26/63" and the bootstrap interval of the
 * position (null without replicates). Errors as cs_sipas_json_write.
 */
enum cs_err cs_sipas_rank_json_write(const struct cs_sipas_result *r,
				     const struct cs_sipas_rank *ranks, size_t n,
				     const struct cs_sipas_rank_opts *o,
				     const struct cs_sipas_meta *m, struct cs_buf *out,
				     struct cs_error *err);

#endif
