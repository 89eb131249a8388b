/*
 * The allocator hook. Every allocation in chiso goes through cs_malloc and
 * friends, so an embedding program can supply its own allocator and tests can
 * make the n-th allocation fail to exercise out-of-memory paths.
 */
#ifndef CHISO_UTIL_ALLOC_H
#define CHISO_UTIL_ALLOC_H

#include <stddef.h>

#include "chiso/api.h"

/*
 * An allocator: malloc, realloc and free with a context pointer. realloc is
 * called with ptr NULL to allocate and is never called with size 0.
 */
struct cs_allocator {
	void *(*malloc)(void *ctx, size_t size);
	void *(*realloc)(void *ctx, void *ptr, size_t size);
	void (*free)(void *ctx, void *ptr);
	void *ctx;
};

/*
 * Replaces the allocator; NULL restores the C library's. Call it before any
 * other chiso function and never while memory from the previous allocator is
 * still live (it would be freed by the wrong allocator).
 */
CS_API void cs_set_allocator(const struct cs_allocator *a);

/* Like malloc; a size of 0 allocates 1 byte. Returns NULL when out of memory. */
CS_API void *cs_malloc(size_t size);

/* Like calloc, with the product n * size checked for overflow (NULL then). */
CS_API void *cs_calloc(size_t n, size_t size);

/* Like realloc; size 0 is treated as 1. On failure ptr is left untouched. */
CS_API void *cs_realloc(void *ptr, size_t size);

/* realloc for an array of n elements of size, NULL on overflow or no memory. */
CS_API void *cs_reallocarray(void *ptr, size_t n, size_t size);

/* Frees ptr; NULL is a no-op. */
CS_API void cs_free(void *ptr);

/* A copy of the NUL-terminated s that the caller frees with cs_free, or NULL. */
CS_API char *cs_strdup(const char *s);

/* A NUL-terminated copy of the first len bytes of s (caller frees), or NULL. */
CS_API char *cs_strndup(const char *s, size_t len);

/*
 * Test support: a counting allocator that fails every allocation after the
 * first `budget` successful ones (budget < 0 never fails). Installed with
 * cs_alloc_fail_after(); cs_alloc_fail_after(-1) restores normal behaviour.
 * Returns how many allocations have succeeded since the last call.
 */
CS_API long cs_alloc_fail_after(long budget);

#endif
