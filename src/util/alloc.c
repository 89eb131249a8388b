/* The allocator hook and the failing allocator used by out-of-memory tests. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#include "util/banned.h"

static void *libc_malloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void *libc_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	return realloc(ptr, size);
}

static void libc_free(void *ctx, void *ptr)
{
	(void)ctx;
	free(ptr);
}

static const struct cs_allocator libc_allocator = {libc_malloc, libc_realloc, libc_free, NULL};

/*
 * The one process-wide setting of chiso, like libuv's uv_replace_allocator:
 * allocation is below every module, so passing an allocator through every
 * call would cost more clarity than the global does.
 */
static struct cs_allocator current = {libc_malloc, libc_realloc, libc_free, NULL};

void cs_set_allocator(const struct cs_allocator *a)
{
	current = a ? *a : libc_allocator;
}

void *cs_malloc(size_t size)
{
	return current.malloc(current.ctx, size ? size : 1);
}

void *cs_calloc(size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	p = cs_malloc(total);
	if (p)
		memset(p, 0, total ? total : 1);
	return p;
}

void *cs_realloc(void *ptr, size_t size)
{
	return current.realloc(current.ctx, ptr, size ? size : 1);
}

void *cs_reallocarray(void *ptr, size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	return cs_realloc(ptr, total);
}

void cs_free(void *ptr)
{
	if (ptr)
		current.free(current.ctx, ptr);
}

char *cs_strdup(const char *s)
{
	return cs_strndup(s, strlen(s));
}

char *cs_strndup(const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = cs_malloc(len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* The failing allocator: state of the test that installed it. */
static long fail_budget = -1;
static long fail_count;

static void *failing_malloc(void *ctx, size_t size)
{
	(void)ctx;
	if (fail_budget >= 0 && fail_count >= fail_budget)
		return NULL;
	fail_count++;
	return malloc(size);
}

static void *failing_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	if (fail_budget >= 0 && fail_count >= fail_budget)
		return NULL;
	fail_count++;
	return realloc(ptr, size);
}

long cs_alloc_fail_after(long budget)
{
	static const struct cs_allocator failing = {failing_malloc, failing_realloc, libc_free,
						    NULL};
	long done = fail_count;

	fail_count = 0;
	fail_budget = budget;
	cs_set_allocator(budget < 0 ? NULL : &failing);
	return done;
}
