/*
 * A capped growable byte buffer, always NUL-terminated. Every buffer fed by
 * outside data has a maximum; growing past it fails with CS_ETOOBIG instead of
 * eating memory. The pattern is curl's dynbuf and git's strbuf.
 */
#ifndef CHISO_UTIL_BUF_H
#define CHISO_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "chiso/error.h"

struct cs_buf {
	char *data; /* NUL-terminated when cap > 0; "" (static) before the first write */
	size_t len; /* bytes in use, not counting the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* largest len allowed */
};

/* Initialises an empty buffer whose contents may not exceed max bytes. */
void cs_buf_init(struct cs_buf *b, size_t max);

/* Frees the memory of b and leaves it empty and reusable; b may be NULL. */
void cs_buf_release(struct cs_buf *b);

/* Empties b but keeps its memory. */
void cs_buf_reset(struct cs_buf *b);

/* Makes room for at least extra more bytes. CS_ETOOBIG past max, CS_ENOMEM. */
enum cs_err cs_buf_grow(struct cs_buf *b, size_t extra, struct cs_error *err);

/* Appends len bytes of p. On failure b is unchanged. */
enum cs_err cs_buf_add(struct cs_buf *b, const void *p, size_t len, struct cs_error *err);

/* Appends a NUL-terminated string. */
enum cs_err cs_buf_addstr(struct cs_buf *b, const char *s, struct cs_error *err);

/* Appends one byte. */
enum cs_err cs_buf_addc(struct cs_buf *b, char c, struct cs_error *err);

/* Appends printf-formatted text. On failure b is unchanged. */
enum cs_err cs_buf_addf(struct cs_buf *b, struct cs_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* va_list form of cs_buf_addf. */
enum cs_err cs_buf_vaddf(struct cs_buf *b, struct cs_error *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Shortens b to len bytes (len <= b->len). */
void cs_buf_truncate(struct cs_buf *b, size_t len);

/*
 * Hands the contents to the caller, who frees them with cs_free, and leaves b
 * empty. Never NULL except when out of memory for an empty buffer.
 */
char *cs_buf_detach(struct cs_buf *b, size_t *len);

#endif
