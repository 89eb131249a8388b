/*
 * A small streaming JSON writer for the dashboard replies: compact output,
 * keys in the order written, numbers in the shortest form that reads back
 * as the same double (report/fmt.h, as in `chiso ... --format json`), NaN
 * as null. Commas are placed by the writer; the first failure is kept and
 * every later call does nothing, so calls can be chained and checked once.
 */
#ifndef CHISO_HTTP_DASH_JSON_H
#define CHISO_HTTP_DASH_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "util/buf.h"

/* Deepest nesting of objects and arrays. */
#define DASH_JSON_DEPTH 16

struct dash_json {
	struct cs_buf *b;
	struct cs_error *err;
	enum cs_err rc;
	unsigned depth;
	bool after_key;
	bool first[DASH_JSON_DEPTH + 1]; /* nothing written yet at this depth */
};

/* Starts writing into b (appending); err (may be NULL) gets the first failure. */
void dash_json_init(struct dash_json *w, struct cs_buf *b, struct cs_error *err);

/* The first failure (CS_ETOOBIG past b's cap, CS_ENOMEM, CS_EINVAL for nesting past
 * DASH_JSON_DEPTH or closing what is not open), or CS_OK. */
enum cs_err dash_json_done(const struct dash_json *w);

void dash_json_obj(struct dash_json *w);
void dash_json_end(struct dash_json *w); /* closes the innermost object or array */
void dash_json_arr(struct dash_json *w);
void dash_json_end_arr(struct dash_json *w);

/* A member name; the next call writes its value. */
void dash_json_key(struct dash_json *w, const char *k);

/* Values. A NULL string and a NaN or infinite number are written as null. */
void dash_json_str(struct dash_json *w, const char *s);
void dash_json_num(struct dash_json *w, double v);
void dash_json_size(struct dash_json *w, size_t v);
void dash_json_int(struct dash_json *w, long long v);
void dash_json_bool(struct dash_json *w, bool v);
void dash_json_null(struct dash_json *w);
/* Text that is already JSON (a stored document), copied as it is. */
void dash_json_raw(struct dash_json *w, const char *json, size_t len);

/* A member and its value in one call. */
void dash_json_kstr(struct dash_json *w, const char *k, const char *s);
void dash_json_knum(struct dash_json *w, const char *k, double v);
void dash_json_ksize(struct dash_json *w, const char *k, size_t v);
void dash_json_kbool(struct dash_json *w, const char *k, bool v);

#endif
