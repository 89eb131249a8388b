/*
 * What the PAR renderers (JSON, CSV and terminal tables, XLSX) share: the
 * description of one computed period, the order units are listed in, and how
 * published figures are rounded for display (METHODOLOGY M2.4-M2.8).
 */
#ifndef CHISO_REPORT_PAR_REPORT_H
#define CHISO_REPORT_PAR_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "core/framework.h"
#include "core/par.h"

/*
 * One period's computed results and what names them. Everything is
 * borrowed: the run (with cs_par_groups and cs_par_change done), its
 * framework, and the unit names, parallel to run->results.
 */
struct cs_par_report {
	const char *period;	       /* period code */
	const char *prev_period;       /* the period changes are measured against; NULL for none */
	const struct cs_framework *fw; /* run->fw */
	const char *fw_sha256;	       /* hash of the stored framework body; NULL when unknown */
	const struct cs_par_run *run;
	const char *const *names; /* unit names, run->nunits entries (NULL entries print as "") */
};

/*
 * The order units are listed in, into order (run->nunits entries): complete
 * units by index, highest first (the published value unless the framework
 * compares in full precision), equal indices by position and then code;
 * then the units with no result yet and those nothing applies to, by code.
 * CS_ENOMEM.
 */
enum cs_err cs_par_report_order(const struct cs_par_report *r, size_t *order, struct cs_error *err);

/*
 * A figure as it is published: rounded (or truncated) to the framework's
 * decimals (M2.8).
 */
double cs_par_report_round(const struct cs_par_report *r, double v);

/* The decimals the framework publishes. */
int cs_par_report_decimals(const struct cs_par_report *r);

/* True when the unit's numbers can be shown: a complete result. */
bool cs_par_report_has_result(const struct cs_par_result *res);

/*
 * The group's name in machine output: "all", "level:province",
 * "parent:CA-BNI". Returns out (at least 80 bytes).
 */
const char *cs_par_report_group_name(const struct cs_par_group *g, char *out, size_t cap);

#endif
