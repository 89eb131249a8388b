/*
 * A growable array of fixed-size elements. Type-erased: the element size is
 * given at init, and cs_vec_at returns a pointer the caller casts, e.g.
 * `struct cs_unit *u = cs_vec_at(&units, i);`.
 */
#ifndef CHISO_UTIL_VEC_H
#define CHISO_UTIL_VEC_H

#include <stddef.h>

#include "chiso/error.h"

struct cs_vec {
	void *data;
	size_t len;	  /* elements in use */
	size_t cap;	  /* elements allocated */
	size_t elem_size; /* bytes per element */
	size_t max;	  /* largest len allowed; 0 means no cap */
};

/* Initialises an empty vector of elem_size-byte elements (max 0: uncapped). */
void cs_vec_init(struct cs_vec *v, size_t elem_size, size_t max);

/* Frees the elements' storage (not what they point to); v may be NULL. */
void cs_vec_release(struct cs_vec *v);

/*
 * Makes room for n elements in total. CS_ETOOBIG past max or when n elements
 * would span more than PTRDIFF_MAX bytes, CS_ENOMEM; on failure v is unchanged.
 */
enum cs_err cs_vec_reserve(struct cs_vec *v, size_t n, struct cs_error *err);

/* Appends a copy of *elem; on failure v is unchanged. */
enum cs_err cs_vec_push(struct cs_vec *v, const void *elem, struct cs_error *err);

/* Appends a zeroed element and returns it, or NULL (with err set) on failure. */
void *cs_vec_push_zero(struct cs_vec *v, struct cs_error *err);

/* The element at i (i < len). */
void *cs_vec_at(const struct cs_vec *v, size_t i);

/* Removes all elements, keeping the storage. */
void cs_vec_clear(struct cs_vec *v);

/* Sorts the elements with qsort's comparison function. */
void cs_vec_sort(struct cs_vec *v, int (*cmp)(const void *, const void *));

#endif
