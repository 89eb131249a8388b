/*
 * The CSV reader: libcsv does the RFC 4180 parsing; this file feeds it one
 * physical line at a time so that every record and every error can be given
 * the line it is on, and collects each record's fields for the callback.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "io/csv.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/vec.h"

#include "util/banned.h"

/*
 * Bytes handed to libcsv per call. A line longer than this is fed in pieces,
 * so that a field growing past max_field is caught before libcsv has buffered
 * the whole of a huge line.
 */
#define FEED_CHUNK (64u * 1024)

/* Growth step of libcsv's field buffer (its default of 128 means many reallocs). */
#define CSV_BLOCK 1024

/* Where one field of the current record sits in reader.bytes. */
struct span {
	size_t off, len;
};

struct reader {
	const char *name;
	size_t max_field;
	enum cs_err (*row_cb)(void *ctx, size_t line, const struct cs_str *fields, size_t nfields,
			      struct cs_error *err);
	void *ctx;
	struct cs_error *err;
	enum cs_err rc;	     /* the first failure; the callbacks do nothing once it is set */
	size_t line;	     /* the physical line being fed to libcsv */
	size_t rec_line;     /* the line on which the current record started */
	size_t field_line;   /* the line on which the current field started */
	bool rec_open;	     /* a record has begun and not ended */
	bool row_ended;	     /* a record ended while feeding the current line */
	struct cs_buf bytes; /* the fields of the current record, each NUL-terminated */
	struct cs_vec spans; /* of struct span */
	struct cs_vec strs;  /* of struct cs_str, built for the callback */
};

static enum cs_err field_too_big(struct reader *r, size_t col)
{
	/* A field that began on an earlier line is a quoted one still open: most
	 * often a quote that was meant to be closed was not. */
	return cs_fail(r->err, CS_ETOOBIG, "%s:%zu:%zu: field %zu is longer than %zu bytes%s",
		       r->name, r->field_line, col, col, r->max_field,
		       r->field_line != r->line ? "; is the closing quote of a field missing?"
						: "");
}

static void on_field(void *field, size_t len, void *data)
{
	struct reader *r = data;
	size_t col = r->spans.len + 1;
	struct span sp;

	if (r->rc)
		return;
	r->rec_open = true;
	if (len > r->max_field) {
		r->rc = field_too_big(r, col);
		return;
	}
	if (r->spans.len >= CS_CSV_MAX_FIELDS) {
		r->rc = cs_fail(r->err, CS_ETOOBIG, "%s:%zu: more than %d fields in one record",
				r->name, r->rec_line, CS_CSV_MAX_FIELDS);
		return;
	}
	if (len && memchr(field, '\0', len)) {
		r->rc = cs_fail(r->err, CS_EPARSE,
				"%s:%zu:%zu: NUL byte in field %zu; the file is not UTF-8 text, "
				"save it as CSV UTF-8",
				r->name, r->field_line, col, col);
		return;
	}
	sp.off = r->bytes.len;
	sp.len = len;
	r->rc = cs_buf_add(&r->bytes, field, len, r->err);
	if (!r->rc)
		r->rc = cs_buf_addc(&r->bytes, '\0', r->err);
	if (!r->rc)
		r->rc = cs_vec_push(&r->spans, &sp, r->err);
	/* The delimiter that ended this field is on the current line, so the
	 * next field starts there. */
	r->field_line = r->line;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	size_t n = r->spans.len;

	(void)c;
	if (r->rc)
		return;
	r->rc = cs_vec_reserve(&r->strs, n, r->err);
	if (r->rc)
		return;
	cs_vec_clear(&r->strs);
	for (size_t i = 0; i < n; i++) {
		const struct span *sp = cs_vec_at(&r->spans, i);
		struct cs_str s = cs_str_make(r->bytes.data + sp->off, sp->len);

		r->rc = cs_vec_push(&r->strs, &s, r->err);
		if (r->rc)
			return;
	}
	r->rc = r->row_cb(r->ctx, r->rec_line, n ? cs_vec_at(&r->strs, 0) : NULL, n, r->err);
	cs_buf_reset(&r->bytes);
	cs_vec_clear(&r->spans);
	r->rec_open = false;
	r->row_ended = true;
}

/* Describes a byte for a message: the character itself when printable. */
static void describe_byte(unsigned char c, char out[16])
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(out, 16, "'%c'", c);
	else
		snprintf(out, 16, "byte 0x%02X", c);
}

/* Turns a libcsv failure at byte bad of the current line into a message. */
static enum cs_err libcsv_failure(struct reader *r, struct csv_parser *p, unsigned char bad)
{
	size_t col = r->spans.len + 1;
	char what[16];

	switch (csv_error(p)) {
	case CSV_ENOMEM:
		return cs_fail(r->err, CS_ENOMEM, NULL);
	case CSV_ETOOBIG:
		return field_too_big(r, col);
	case CSV_EPARSE:
		if (bad == '"')
			return cs_fail(r->err, CS_EPARSE,
				       "%s:%zu:%zu: unexpected '\"' in field %zu; a field holding "
				       "quotes must be enclosed in quotes, with each quote inside "
				       "doubled (\"\")",
				       r->name, r->line, col, col);
		describe_byte(bad, what);
		return cs_fail(r->err, CS_EPARSE,
			       "%s:%zu:%zu: unexpected %s after the closing quote of field %zu; "
			       "a quoted field must be followed by ',' or the end of the line",
			       r->name, r->line, col, what, col);
	default:
		return cs_fail(r->err, CS_EINTERNAL, "%s:%zu: csv parser: %s", r->name, r->line,
			       csv_strerror(csv_error(p)));
	}
}

/* The end of the physical line starting at pos, and the length of its break. */
static size_t line_end(const char *data, size_t len, size_t pos, size_t *brk)
{
	size_t i = pos;

	while (i < len && data[i] != '\n' && data[i] != '\r')
		i++;
	*brk = 0;
	if (i < len)
		*brk = (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n') ? 2 : 1;
	return i;
}

static bool blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t')
			return false;
	return true;
}

/* Feeds one physical line (with its break) to libcsv, in pieces. */
static void feed_line(struct reader *r, struct csv_parser *p, const char *s, size_t len)
{
	size_t off = 0;

	while (off < len && !r->rc) {
		size_t n = len - off < FEED_CHUNK ? len - off : FEED_CHUNK;
		size_t done = csv_parse(p, s + off, n, on_field, on_row, r);

		if (r->rc)
			return;
		if (done < n) {
			r->rc = libcsv_failure(r, p, (unsigned char)s[off + done]);
			return;
		}
		/* libcsv's buffer holds only the field being read, and grows in
		 * CSV_BLOCK steps once full: past this size that field is already
		 * longer than max_field. */
		if (csv_get_buffer_size(p) > r->max_field + CSV_BLOCK) {
			r->rc = field_too_big(r, r->spans.len + 1);
			return;
		}
		off += n;
	}
}

enum cs_err cs_csv_read(const char *name, const char *data, size_t len, size_t max_field,
			enum cs_err (*row_cb)(void *ctx, size_t line, const struct cs_str *fields,
					      size_t nfields, struct cs_error *err),
			void *ctx, struct cs_error *err)
{
	struct reader r = {
		.name = name,
		.max_field = max_field,
		.row_cb = row_cb,
		.ctx = ctx,
		.err = err,
		.line = 1,
	};
	struct csv_parser p;
	bool parser_live = false;
	size_t pos, rec_max;

	if (len >= 2 &&
	    ((data[0] == '\xFF' && data[1] == '\xFE') || (data[0] == '\xFE' && data[1] == '\xFF')))
		return cs_fail(err, CS_EUTF8, "%s:1: the file is UTF-16 text; save it as UTF-8",
			       name);
	pos = cs_utf8_bom_len(data, len);
	/* A record holds at most CS_CSV_MAX_FIELDS fields of max_field bytes
	 * and a NUL each; on overflow the field checks are the only cap. */
	if (__builtin_add_overflow(max_field, 1, &rec_max) ||
	    __builtin_mul_overflow(rec_max, (size_t)CS_CSV_MAX_FIELDS, &rec_max))
		rec_max = SIZE_MAX - 1;
	cs_buf_init(&r.bytes, rec_max);
	cs_vec_init(&r.spans, sizeof(struct span), 0);
	cs_vec_init(&r.strs, sizeof(struct cs_str), 0);

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		r.rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	parser_live = true;
	csv_set_realloc_func(&p, cs_realloc);
	csv_set_free_func(&p, cs_free);
	csv_set_blk_size(&p, CSV_BLOCK);

	while (pos < len && !r.rc) {
		size_t brk, end = line_end(data, len, pos, &brk);

		if (!r.rec_open) {
			r.rec_line = r.line;
			r.field_line = r.line;
		}
		r.row_ended = false;
		feed_line(&r, &p, data + pos, end + brk - pos);
		if (r.rc)
			break;
		/* A line with text that did not end a record leaves one open
		 * (a quoted field going on); libcsv skips blank lines. */
		if (!r.row_ended && !blank(data + pos, end - pos))
			r.rec_open = true;
		r.line++;
		pos = end + brk;
	}
	if (!r.rc && csv_fini(&p, on_field, on_row, &r) != 0 && !r.rc)
		r.rc = cs_fail(err, CS_EPARSE,
			       "%s:%zu:%zu: the quote opening field %zu is never closed; add the "
			       "closing '\"'",
			       name, r.field_line, r.spans.len + 1, r.spans.len + 1);
out:
	if (parser_live)
		csv_free(&p);
	cs_buf_release(&r.bytes);
	cs_vec_release(&r.spans);
	cs_vec_release(&r.strs);
	return r.rc;
}
