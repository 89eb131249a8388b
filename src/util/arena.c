/* The arena allocator: blocks chained newest first, bump allocation inside. */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "util/alloc.h"
#include "util/arena.h"

#include "util/banned.h"

#define ARENA_DEFAULT_BLOCK (64 * 1024)
#define ARENA_ALIGN alignof(max_align_t)

struct cs_arena_block {
	struct cs_arena_block *next;
	size_t size; /* usable bytes in data */
	size_t off;  /* first free byte */
	alignas(max_align_t) unsigned char data[];
};

void cs_arena_init(struct cs_arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : ARENA_DEFAULT_BLOCK;
	a->used = 0;
	a->max = 0;
}

void cs_arena_set_max(struct cs_arena *a, size_t max)
{
	a->max = max;
}

void cs_arena_release(struct cs_arena *a)
{
	struct cs_arena_block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		cs_free(b);
	}
	a->head = NULL;
	a->used = 0;
}

static struct cs_arena_block *new_block(size_t size)
{
	struct cs_arena_block *b;
	size_t total;

	if (__builtin_add_overflow(sizeof(*b), size, &total))
		return NULL;
	b = cs_malloc(total);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->off = 0;
	return b;
}

void *cs_arena_alloc(struct cs_arena *a, size_t size)
{
	struct cs_arena_block *b = a->head;
	size_t rounded, total;

	/* No object may span more than PTRDIFF_MAX bytes; refusing here keeps
	 * absurd sizes away from the allocator. */
	if (size > (size_t)PTRDIFF_MAX - ARENA_ALIGN)
		return NULL;
	rounded = size + ARENA_ALIGN - 1;
	rounded &= ~(size_t)(ARENA_ALIGN - 1);
	if (rounded == 0)
		rounded = ARENA_ALIGN;
	if (__builtin_add_overflow(a->used, rounded, &total) || (a->max && total > a->max))
		return NULL;
	if (!b || b->size - b->off < rounded) {
		if (rounded > a->block_size / 4) {
			/* A large object gets its own block behind the current one,
			 * so the free space of the current block is not wasted. */
			b = new_block(rounded);
			if (!b)
				return NULL;
			if (a->head) {
				b->next = a->head->next;
				a->head->next = b;
			} else {
				a->head = b;
			}
		} else {
			b = new_block(a->block_size);
			if (!b)
				return NULL;
			b->next = a->head;
			a->head = b;
		}
	}
	b->off += rounded;
	a->used = total;
	return b->data + b->off - rounded;
}

void *cs_arena_calloc(struct cs_arena *a, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	p = cs_arena_alloc(a, total);
	if (p)
		memset(p, 0, total);
	return p;
}

char *cs_arena_strndup(struct cs_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = cs_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *cs_arena_strdup_str(struct cs_arena *a, struct cs_str s)
{
	return cs_arena_strndup(a, s.ptr, s.len);
}
