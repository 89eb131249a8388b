/* The growable array. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/vec.h"

#include "util/banned.h"

void cs_vec_init(struct cs_vec *v, size_t elem_size, size_t max)
{
	assert(elem_size > 0);
	v->data = NULL;
	v->len = 0;
	v->cap = 0;
	v->elem_size = elem_size;
	v->max = max;
}

void cs_vec_release(struct cs_vec *v)
{
	if (!v)
		return;
	cs_free(v->data);
	v->data = NULL;
	v->len = 0;
	v->cap = 0;
}

enum cs_err cs_vec_reserve(struct cs_vec *v, size_t n, struct cs_error *err)
{
	size_t cap, bytes;
	void *p;

	if (n <= v->cap)
		return CS_OK;
	if (v->max && n > v->max)
		return cs_fail(err, CS_ETOOBIG, "more than %zu items", v->max);
	cap = v->cap ? v->cap : 8;
	while (cap < n)
		if (__builtin_mul_overflow(cap, 2, &cap))
			return cs_fail(err, CS_ETOOBIG, "too many items");
	if (v->max && cap > v->max)
		cap = v->max;
	/* When doubling overshoots what one object may span (PTRDIFF_MAX, the
	 * C library's own limit), ask for exactly n; a size that still does not
	 * fit is too big rather than out of memory. */
	if (__builtin_mul_overflow(cap, v->elem_size, &bytes) || bytes > (size_t)PTRDIFF_MAX) {
		cap = n;
		if (__builtin_mul_overflow(cap, v->elem_size, &bytes) ||
		    bytes > (size_t)PTRDIFF_MAX)
			return cs_fail(err, CS_ETOOBIG,
				       "%zu items of %zu bytes do not fit in memory", n,
				       v->elem_size);
	}
	p = cs_realloc(v->data, bytes);
	if (!p)
		return cs_fail(err, CS_ENOMEM, NULL);
	v->data = p;
	v->cap = cap;
	return CS_OK;
}

enum cs_err cs_vec_push(struct cs_vec *v, const void *elem, struct cs_error *err)
{
	enum cs_err rc = cs_vec_reserve(v, v->len + 1, err);

	if (rc)
		return rc;
	memcpy((char *)v->data + v->len * v->elem_size, elem, v->elem_size);
	v->len++;
	return CS_OK;
}

void *cs_vec_push_zero(struct cs_vec *v, struct cs_error *err)
{
	void *p;

	if (cs_vec_reserve(v, v->len + 1, err))
		return NULL;
	p = (char *)v->data + v->len * v->elem_size;
	memset(p, 0, v->elem_size);
	v->len++;
	return p;
}

void *cs_vec_at(const struct cs_vec *v, size_t i)
{
	assert(i < v->len);
	return (char *)v->data + i * v->elem_size;
}

void cs_vec_clear(struct cs_vec *v)
{
	v->len = 0;
}

void cs_vec_sort(struct cs_vec *v, int (*cmp)(const void *, const void *))
{
	if (v->len > 1)
		qsort(v->data, v->len, v->elem_size, cmp);
}
