/*
 * Units and periods in the database: loading them, and applying an import
 * plan in one transaction.
 */
#ifndef CHISO_STORE_UNIT_STORE_H
#define CHISO_STORE_UNIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/unit.h"
#include "store/store.h"
#include "util/vec.h"

/*
 * Appends every stored unit to out in the order they were first added, with
 * its id, its parent's code and its successors as one ';'-joined list sorted
 * by code (byte order). Empty flags come back as NULL. Strings are copied
 * into out's arena. On failure out may hold some of the units.
 */
enum cs_err cs_unit_store_load(struct cs_store *s, struct cs_unit_set *out, struct cs_error *err);

/*
 * Writes the incoming units of a checked plan: inserts added units, updates
 * changed ones, sets parents and successors by code, and appends an audit row
 * (actor cs_store_actor) for every field whose value changed. All in one
 * transaction: on any error nothing is written. CS_EINVAL when the plan does
 * not match incoming; CS_ENOTFOUND or CS_EEXIST, prefixed with the unit's
 * file:line, when the database changed since the plan was made.
 */
enum cs_err cs_unit_store_apply(struct cs_store *s, const struct cs_unit_set *incoming,
				const struct cs_unit_plan *plan, struct cs_error *err);

/* A period (METHODOLOGY M1): a year, quarter or month, with ISO dates. */
struct cs_period {
	int64_t id;
	char code[32];
	char starts[11];
	char ends[11];
};

/*
 * Adds a period and its audit rows. CS_EEXIST when the code is taken,
 * CS_EINVAL when the code or a date is empty or not NUL-terminated, or starts
 * is after ends. Dates must already be valid ISO dates.
 */
enum cs_err cs_period_store_add(struct cs_store *s, const struct cs_period *p,
				struct cs_error *err);

/*
 * Appends every period to out (a vec of struct cs_period), ordered by start
 * date, then code. On failure out may hold some of the periods.
 */
enum cs_err cs_period_store_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err);

#endif
