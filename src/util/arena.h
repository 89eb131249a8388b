/*
 * An arena: memory for objects that live and die together (one import, one
 * computation, one HTTP request). Allocation is a pointer bump inside blocks;
 * everything is freed at once by cs_arena_release. The pattern is h2o's
 * per-request memory pool.
 */
#ifndef CHISO_UTIL_ARENA_H
#define CHISO_UTIL_ARENA_H

#include <stddef.h>

#include "util/str.h"

struct cs_arena_block;

struct cs_arena {
	struct cs_arena_block *head; /* newest block first */
	size_t block_size;	     /* size of ordinary blocks */
	size_t used;		     /* bytes handed out, for statistics and caps */
	size_t max;		     /* largest total allowed; 0 means no cap */
};

/* Initialises an empty arena; block_size 0 picks a default (64 KiB). */
void cs_arena_init(struct cs_arena *a, size_t block_size);

/* Limits the total bytes the arena hands out; allocations past it fail. */
void cs_arena_set_max(struct cs_arena *a, size_t max);

/* Frees every block; the arena is empty and reusable. a may be NULL. */
void cs_arena_release(struct cs_arena *a);

/*
 * size bytes aligned for any object (alignof(max_align_t)), owned by the
 * arena. NULL when out of memory, past the cap or when size is near
 * PTRDIFF_MAX; the arena is unchanged then. A large request (over a quarter
 * of block_size) that does not fit the current block gets a block of its own,
 * so the free space left in the current block is not wasted.
 */
void *cs_arena_alloc(struct cs_arena *a, size_t size);

/* n zeroed elements of size bytes, with overflow checking; NULL on failure. */
void *cs_arena_calloc(struct cs_arena *a, size_t n, size_t size);

/* A NUL-terminated copy of len bytes of s in the arena, or NULL. */
char *cs_arena_strndup(struct cs_arena *a, const char *s, size_t len);

/* A NUL-terminated copy of a slice in the arena, or NULL. */
char *cs_arena_strdup_str(struct cs_arena *a, struct cs_str s);

#endif
