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

/* The Vietnamese name of a level ("Bộ", "Tỉnh", "Phòng", "Huyện", "Xã", "Khác"). */
const char *cs_level_name_vi(enum cs_level level);

/* Parses a level name (ASCII case-insensitive); false when unknown. */
bool cs_level_parse(struct cs_str s, enum cs_level *out);

/* Where a unit came from, so that errors can name the file, line and column. */
struct cs_unit_src {
	const char *file;			      /* NULL for units loaded from the database */
	size_t line;				      /* 1-based line of the record */
	unsigned col_code, col_parent, col_successor; /* 1-based columns; 0 when absent */
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

void cs_unit_set_init(struct cs_unit_set *set);
void cs_unit_set_release(struct cs_unit_set *set);

/* Appends a copy of *u, copying its strings into the set's arena. */
enum cs_err cs_unit_set_add(struct cs_unit_set *set, const struct cs_unit *u, struct cs_error *err);

/* The unit at index i. */
struct cs_unit *cs_unit_set_at(const struct cs_unit_set *set, size_t i);

/* True when the two units carry the same data (id and source ignored). */
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

void cs_unit_plan_init(struct cs_unit_plan *plan);
void cs_unit_plan_release(struct cs_unit_plan *plan);

/*
 * Merges incoming units into stored ones by code and checks the result:
 * every parent and successor names a unit of the merged set, no unit is its
 * own ancestor, valid_from is not after valid_to. On the first problem returns
 * CS_EPARSE with a message "file:line:col: ..." naming the incoming unit
 * involved. Incoming codes are expected to be unique (the parser checks).
 */
enum cs_err cs_unit_plan_make(const struct cs_unit_set *stored, const struct cs_unit_set *incoming,
			      struct cs_unit_plan *plan, struct cs_error *err);

#endif
