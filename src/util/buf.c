/* The capped growable buffer. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

static char empty_[1];

void cs_buf_init(struct cs_buf *b, size_t max)
{
	b->data = empty_;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void cs_buf_release(struct cs_buf *b)
{
	if (!b)
		return;
	if (b->cap)
		cs_free(b->data);
	cs_buf_init(b, b->max);
}

void cs_buf_reset(struct cs_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

enum cs_err cs_buf_grow(struct cs_buf *b, size_t extra, struct cs_error *err)
{
	size_t need, cap;
	char *p;

	if (__builtin_add_overflow(b->len, extra, &need) || need > b->max)
		return cs_fail(err, CS_ETOOBIG, "text longer than the limit of %zu bytes", b->max);
	if (need < b->cap)
		return CS_OK;
	cap = b->cap ? b->cap : 32;
	while (cap <= need) {
		if (__builtin_mul_overflow(cap, 2, &cap))
			return cs_fail(err, CS_ETOOBIG, "text too long");
	}
	/* max + 1 would wrap to 0 for an uncapped (SIZE_MAX) buffer: no clamp then. */
	if (b->max < SIZE_MAX && cap > b->max + 1)
		cap = b->max + 1;
	p = cs_realloc(b->cap ? b->data : NULL, cap);
	if (!p)
		return cs_fail(err, CS_ENOMEM, NULL);
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return CS_OK;
}

enum cs_err cs_buf_add(struct cs_buf *b, const void *p, size_t len, struct cs_error *err)
{
	enum cs_err rc = cs_buf_grow(b, len, err);

	if (rc)
		return rc;
	if (len)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return CS_OK;
}

enum cs_err cs_buf_addstr(struct cs_buf *b, const char *s, struct cs_error *err)
{
	return cs_buf_add(b, s, strlen(s), err);
}

enum cs_err cs_buf_addc(struct cs_buf *b, char c, struct cs_error *err)
{
	return cs_buf_add(b, &c, 1, err);
}

enum cs_err cs_buf_vaddf(struct cs_buf *b, struct cs_error *err, const char *fmt, va_list ap)
{
	va_list cp;
	enum cs_err rc;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return cs_fail(err, CS_EINVAL, "bad format string");
	rc = cs_buf_grow(b, (size_t)n, err);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return CS_OK;
}

enum cs_err cs_buf_addf(struct cs_buf *b, struct cs_error *err, const char *fmt, ...)
{
	va_list ap;
	enum cs_err rc;

	va_start(ap, fmt);
	rc = cs_buf_vaddf(b, err, fmt, ap);
	va_end(ap);
	return rc;
}

void cs_buf_truncate(struct cs_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->data[len] = '\0';
}

char *cs_buf_detach(struct cs_buf *b, size_t *len)
{
	char *p;

	if (len)
		*len = b->len;
	if (b->cap) {
		p = b->data;
	} else {
		p = cs_malloc(1);
		if (p)
			p[0] = '\0';
	}
	cs_buf_init(b, b->max);
	return p;
}
