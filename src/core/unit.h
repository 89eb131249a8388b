/*
 * The organisation model (METHODOLOGY M1): units in a tree, with a level,
 * flags, validity dates and successors; and the pure logic of an import:
 * merging incoming units into the stored ones and checking the merged tree.
 */
#ifndef CHISO_CORE_UNIT_H
#define CHISO_CORE_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "util/arena.h"
#include "util/str.h"
#include "util/vec.h"

enum cs_level {
	CS_LEVEL_MINISTRY,
	CS_LEVEL_PROVINCE,
	CS_LEVEL_DEPARTMENT,
	CS_LEVEL_DISTRICT,
	CS_LEVEL_COMMUNE,
	CS_LEVEL_OTHER,
	CS_LEVEL_COUNT_
};

/* "ministry", "province", ...; NULL for an out-of-range level. */
const char *cs_level_name(enum cs_level level);

/* The Vietnamese name of a level ("Cấp bộ", "Cấp tỉnh", "Cấp phòng", "Cấp huyện", "Cấp xã", "Khác"). */
const char *cs_level_name_vi(enum cs_level level);

/* Parses a level name (ASCII case-insensitive); false when unknown. */
bool cs_level_parse(struct cs_str s, enum cs_level *out);

/*
 * Where a unit came from, so that errors can name the file, line and column.
 * The columns are 1-based; 0 when the file has no such column, which for the
 * optional ones means "keep the stored value" (see cs_unit_plan_make).
 */
struct cs_unit_src {
	const char *file; /* NULL for units not read from a file (database, API) */
	size_t line;	  /* 1-based line of the record */
	unsigned col_code, col_parent, col_successor;
	unsigned col_flags, col_valid_from, col_valid_to;
};

/*
 * One unit. Strings are owned by whoever owns the unit set (an arena); NULL
 * means absent. flags and successor hold ';'-separated lists in their
 * canonical form (no spaces, no empty items). Dates are ISO 8601 (YYYY-MM-DD).
 */
struct cs_unit {
	int64_t id; /* database id, 0 when not stored yet */
	const char *code;
	const char *name;
	const char *parent; /* parent's code */
	enum cs_level level;
	const char *flags;
	const char *valid_from;
	const char *valid_to;
	const char *successor;
	struct cs_unit_src src;
};

/* A list of units with the arena that owns their strings. */
struct cs_unit_set {
	struct cs_arena arena;
	struct cs_vec units; /* of struct cs_unit */
};

/* Initialises an empty set; allocates nothing. */
void cs_unit_set_init(struct cs_unit_set *set);

/* Frees the units and their strings; set may be NULL. */
void cs_unit_set_release(struct cs_unit_set *set);

/*
 * Appends a copy of *u, copying its strings into the set's arena (except
 * src.file, which must outlive the set). CS_ENOMEM; the set then holds the
 * units it held before.
 */
enum cs_err cs_unit_set_add(struct cs_unit_set *set, const struct cs_unit *u, struct cs_error *err);

/* The unit at index i (i < set->units.len), owned by the set. */
struct cs_unit *cs_unit_set_at(const struct cs_unit_set *set, size_t i);

/*
 * True when the two units carry the same data (id and source ignored). An
 * absent string equals an empty one; the flags and successor lists compare
 * as sets, in any order.
 */
bool cs_unit_same(const struct cs_unit *a, const struct cs_unit *b);

/* What an import does to one incoming unit. */
enum cs_unit_change {
	CS_UNIT_ADDED,
	CS_UNIT_CHANGED,
	CS_UNIT_UNCHANGED
};

/*
 * The plan of an import: for each incoming unit (same order as the input) what
 * happens to it, and the merged set (stored units overlaid by incoming ones)
 * that the database will hold afterwards.
 */
struct cs_unit_plan {
	struct cs_vec changes; /* of enum cs_unit_change, parallel to the incoming units */
	size_t added, changed, unchanged;
	size_t kept; /* stored units the file did not mention, left alone */
};

/* Initialises an empty plan; allocates nothing. */
void cs_unit_plan_init(struct cs_unit_plan *plan);

/* Frees the plan's memory; plan may be NULL. */
void cs_unit_plan_release(struct cs_unit_plan *plan);

/*
 * Merges incoming units into stored ones by code and checks the result:
 * every parent and successor names a unit of the merged set, no unit is its
 * own parent, ancestor or successor, valid_from is not after valid_to. Stored
 * units the incoming set does not name are kept as they are. O(n log n) in
 * the number of units.
 *
 * An incoming unit read from a file (src.file set) that lacks an optional
 * column (src.col_flags, col_valid_from, col_valid_to or col_successor is 0)
 * keeps the stored unit's value for that field: the plan copies it into the
 * incoming unit (into the incoming set's arena), so that re-importing a file
 * of only the required columns does not clear flags, dates or successors. An
 * empty cell in a column the file has clears the field.
 *
 * Problems are looked for in the order of the incoming units, and the first
 * is returned as CS_EPARSE with a message "file:line:col: ..." naming the
 * incoming unit involved (no prefix for units without src.file). Incoming
 * codes are expected to be unique (the parser checks; a duplicate is
 * CS_EPARSE here too). CS_ENOMEM. On failure the plan is left empty. The plan
 * may be made again into the same struct; the caller releases it.
 */
enum cs_err cs_unit_plan_make(const struct cs_unit_set *stored, struct cs_unit_set *incoming,
			      struct cs_unit_plan *plan, struct cs_error *err);

#endif
