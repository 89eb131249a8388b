/*
 * One response at a time inside the caller's transaction (the web server's
 * write queue), and the light lookups of waves, units and counts that a
 * request makes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/response_one.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

/* Longest packed answers of one response, as imports allow. */
#define ANSWERS_MAX (1u << 20)

/* A wave row without its count (cs_wave_row_read). */
#define WAVE_COLUMNS CS_WAVE_COLUMNS CS_WAVE_FROM

enum cs_err cs_resp_wave_get(struct cs_store *s, const char *code, int64_t id, struct cs_wave *out,
			     struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s,
					 code ? "select " WAVE_COLUMNS "where w.code = ?"
					      : "select " WAVE_COLUMNS "where w.id = ?",
					 &st, err);

	if (!rc)
		rc = code ? cs_stmt_bind_textz(st, 1, code, err) : cs_stmt_bind_i64(st, 1, id, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = code ? cs_fail(err, CS_ENOTFOUND, "no survey wave '%.64s'", code)
			  : cs_fail(err, CS_ENOTFOUND, "no survey wave with id %" PRId64, id);
	if (!rc)
		cs_wave_row_read(st, out);
	cs_stmt_free(st);
	return rc;
}

bool cs_resp_wave_is_open(const struct cs_wave *w, const char *today)
{
	if (w->opens[0] && strcmp(w->opens, today) > 0)
		return false;
	return !w->closes[0] || strcmp(w->closes, today) >= 0;
}

enum cs_err cs_resp_wave_open(struct cs_store *s, const char *today, struct cs_wave *out,
			      bool *found, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = true;
	enum cs_err rc = cs_stmt_prepare(s,
					 "select " WAVE_COLUMNS "where (w.opens is null or w.opens "
					 "<= ?) and (w.closes is null or w.closes >= ?) "
					 "order by p.starts desc, w.code desc",
					 &st, err);

	*found = false;
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, today, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, today, err);
	/* The mode is free text: the rule is applied here rather than in SQL. */
	while (!rc && !*found) {
		rc = cs_stmt_step(st, &row, err);
		if (rc || !row)
			break;
		cs_wave_row_read(st, out);
		*found = cs_resp_wave_is_open(out, today) && strcmp(out->mode, "paper") != 0;
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_resp_unit_find(struct cs_store *s, const char *code, int64_t id,
			      struct cs_resp_unit *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s,
					 code ? "select id, code, name from unit where code = ?"
					      : "select id, code, name from unit where id = ?",
					 &st, err);

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = code ? cs_stmt_bind_textz(st, 1, code, err) : cs_stmt_bind_i64(st, 1, id, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = code ? cs_fail(err, CS_ENOTFOUND, "no unit '%.64s'", code)
			  : cs_fail(err, CS_ENOTFOUND, "no unit with id %" PRId64, id);
	if (!rc) {
		out->id = cs_stmt_i64(st, 0);
		cs_stmt_text_copy(st, 1, out->code, sizeof(out->code));
		cs_stmt_text_copy(st, 2, out->name, sizeof(out->name));
	}
	cs_stmt_free(st);
	return rc;
}

/* The web batch of wave w to add to: the last one of source, or a new one. */
static enum cs_err web_batch(struct cs_store *s, const struct cs_wave *w, const char *source,
			     int64_t *batch, int64_t *rows, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	char now[CS_STORE_TIME_LEN];
	int64_t last = 0, max = 0;
	bool row = false, have = false;
	enum cs_err rc = cs_stmt_prepare(s,
					 "select id, rows, last_id, (select max(id) from "
					 "response) from response_batch where wave_id = ? and "
					 "source = ? order by id desc limit 1",
					 &st, err);

	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, w->id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, source, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row) {
		*batch = cs_stmt_i64(st, 0);
		*rows = cs_stmt_i64(st, 1);
		last = cs_stmt_i64(st, 2);
		max = cs_stmt_is_null(st, 3) ? 0 : cs_stmt_i64(st, 3);
		have = *rows == 0 || max - last <= CS_RESP_WEB_BATCH_GAP;
	}
	cs_stmt_free(st);
	st = NULL;
	if (rc || have)
		return rc;
	cs_store_now(now);
	*rows = 0;
	rc = cs_stmt_prepare(s,
			     "insert into response_batch (wave_id, source, imported_at, actor, "
			     "rows, first_id, last_id) values (?, ?, ?, ?, 0, 0, 0) returning id",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, w->id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, source, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, now, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 4, cs_store_actor(s), err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row)
		*batch = cs_stmt_i64(st, 0);
	else if (!rc)
		rc = cs_fail(err, CS_ESTORE, "response batch: insert returned no id");
	cs_stmt_free(st);
	return rc;
}

static enum cs_err insert_row(struct cs_store *s, const struct cs_wave *w, int64_t batch,
			      int64_t line, const struct cs_response *r, const struct cs_buf *fixed,
			      const struct cs_buf *extra, bool has_extra, int64_t *id,
			      struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(
		s,
		"insert into response (wave_id, batch_id, rid, unit_id, submitted_at, channel, "
		"weight, stratum, psu, fpc, kind, service, source_line, answers, extra) values "
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
		&st, err);

	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, w->id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, batch, err);
	if (!rc)
		rc = cs_resp_bind_row(st, r, line, cs_str_make(fixed->data, fixed->len),
				      cs_str_make(extra->data, extra->len), has_extra, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (rc == CS_EEXIST)
		rc = cs_fail(err, CS_EEXIST, "response '%.*s' is already stored for wave '%s'",
			     (int)(r->id.len > 64 ? 64 : r->id.len), r->id.ptr, w->code);
	if (!rc && row)
		*id = cs_stmt_i64(st, 0);
	else if (!rc)
		rc = cs_fail(err, CS_ESTORE, "response: insert returned no id");
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_resp_insert_one(struct cs_store *s, const struct cs_wave *w,
			       const struct cs_questionnaire *q, const struct cs_resp_layout *l,
			       const struct cs_response *r, const char *source, int64_t *id,
			       struct cs_error *err)
{
	struct cs_buf fixed, extra;
	struct cs_stmt *st = NULL;
	int64_t batch = 0, rows = 0, rid = 0;
	enum cs_err rc;

	cs_buf_init(&fixed, ANSWERS_MAX);
	cs_buf_init(&extra, ANSWERS_MAX);
	rc = cs_resp_encode(l, q, r->answers, r->texts, &fixed, &extra, err);
	if (!rc)
		rc = web_batch(s, w, source, &batch, &rows, err);
	if (!rc)
		rc = insert_row(s, w, batch, rows + 1, r, &fixed, &extra, l->nextra > 0, &rid, err);
	/* The batch's range grows to take the new row: first_id is set by its
	 * first row, last_id by every row. */
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "update response_batch set rows = rows + 1, first_id = case "
				     "when rows = 0 then ? else first_id end, last_id = ? where "
				     "id = ?",
				     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, rid, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, rid, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 3, batch, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	cs_buf_release(&fixed);
	cs_buf_release(&extra);
	if (!rc && id)
		*id = rid;
	return rc;
}

static int by_unit(const void *a, const void *b)
{
	return strcmp(((const struct cs_resp_unit_count *)a)->unit,
		      ((const struct cs_resp_unit_count *)b)->unit);
}

/* Runs a "select unit code, count" query of wave_id into a vec of counts. */
static enum cs_err unit_counts(struct cs_store *s, const char *sql, int64_t wave_id,
			       struct cs_vec *out, int which, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = true;
	enum cs_err rc = cs_stmt_prepare(s, sql, &st, err);

	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, wave_id, err);
	while (!rc) {
		struct cs_resp_unit_count c = {0};

		rc = cs_stmt_step(st, &row, err);
		if (rc || !row)
			break;
		cs_stmt_text_copy(st, 0, c.unit, sizeof(c.unit));
		if (which == 0) {
			c.responses = cs_stmt_i64(st, 1);
		} else {
			c.tokens_issued = cs_stmt_i64(st, 1);
			c.tokens_used = cs_stmt_i64(st, 2);
		}
		rc = cs_vec_push(out, &c, err);
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_resp_count_units(struct cs_store *s, int64_t wave_id, struct cs_vec *out,
				struct cs_error *err)
{
	struct cs_vec resp, tok;
	size_t i = 0, j = 0;
	enum cs_err rc;

	cs_vec_init(&resp, sizeof(struct cs_resp_unit_count), 0);
	cs_vec_init(&tok, sizeof(struct cs_resp_unit_count), 0);
	rc = unit_counts(s,
			 "select u.code, x.n from (select unit_id, count(*) as n from response "
			 "where wave_id = ? group by unit_id) x join unit u on u.id = x.unit_id",
			 wave_id, &resp, 0, err);
	if (!rc)
		rc = unit_counts(s,
				 "select u.code, x.n, x.used from (select unit_id, count(*) as n, "
				 "count(used_at) as used from token where wave_id = ? group by "
				 "unit_id) x join unit u on u.id = x.unit_id",
				 wave_id, &tok, 1, err);
	/* Sorted here by bytes, whatever the database's collation, then merged. */
	cs_vec_sort(&resp, by_unit);
	cs_vec_sort(&tok, by_unit);
	while (!rc && (i < resp.len || j < tok.len)) {
		const struct cs_resp_unit_count *a = i < resp.len ? cs_vec_at(&resp, i) : NULL;
		const struct cs_resp_unit_count *b = j < tok.len ? cs_vec_at(&tok, j) : NULL;
		int c = !a ? 1 : !b ? -1 : strcmp(a->unit, b->unit);
		struct cs_resp_unit_count m = c <= 0 ? *a : *b;

		if (c == 0) {
			m.tokens_issued = b->tokens_issued;
			m.tokens_used = b->tokens_used;
		}
		i += c <= 0;
		j += c >= 0;
		rc = cs_vec_push(out, &m, err);
	}
	cs_vec_release(&resp);
	cs_vec_release(&tok);
	return rc;
}
