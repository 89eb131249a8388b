/*
 * Ranking (METHODOLOGY M2.6, reused by M3.7): positions of items ordered by a
 * primary key and tie-breaking keys, with shared positions for ties
 * (competition 1, 2, 2, 4 or dense 1, 2, 2, 3) and items that are reported
 * but not ranked.
 */
#ifndef CHISO_CORE_RANK_H
#define CHISO_CORE_RANK_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "util/str.h"

enum cs_rank_method {
	CS_RANK_COMPETITION, /* 1, 2, 2, 4: a tie uses up the positions it covers (default) */
	CS_RANK_DENSE,	     /* 1, 2, 2, 3: the next value takes the next position */
	CS_RANK_METHOD_COUNT_
};

/* "competition" or "dense"; NULL for an out-of-range method. */
const char *cs_rank_method_name(enum cs_rank_method method);

/* Parses a method name (ASCII case-insensitive); false when unknown. */
bool cs_rank_method_parse(struct cs_str s, enum cs_rank_method *out);

/*
 * What to rank: n items with nkeys keys each. Key 0 decides; key k breaks
 * ties left by keys 0..k-1; items equal in every key share a position.
 * Keys are compared exactly, so a caller that ranks published figures rounds
 * them first (M2.6).
 */
struct cs_rank_input {
	size_t n;
	size_t nkeys;	       /* at least 1 */
	const double *keys;    /* n * nkeys, row-major: item i's key k at keys[i * nkeys + k] */
	const bool *ascending; /* nkeys flags, true: lower is better; NULL: higher is better */
	const bool *eligible;  /* n flags, false: reported but not ranked; NULL: all ranked */
	enum cs_rank_method method;
};

/*
 * Ranks the items. rank[i] (n entries, caller's) gets the 1-based position of
 * item i, or 0 when it is not eligible; *ranked_of gets the number of
 * eligible items (the 63 of "26/63"). order, when not NULL (n entries), gets
 * the items best first, ties and ineligible items (last) in input order.
 * CS_EINVAL when an eligible item has a NaN key or nkeys is 0, CS_ENOMEM;
 * on failure the outputs are unspecified.
 */
enum cs_err cs_rank_compute(const struct cs_rank_input *in, size_t *rank, size_t *ranked_of,
			    size_t *order, struct cs_error *err);

#endif
