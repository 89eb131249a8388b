/*
 * Survey waves and responses in the database: the wave table, the packed
 * answer layout, the import writer (one transaction, prepared statements)
 * and the streaming scan of a wave by contiguous id ranges.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/response_store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/vec.h"

#include "util/banned.h"

/* Longest packed answers of one response (text answers included). */
#define ANSWERS_MAX (1u << 20)

/* The character stored for "no answer" in the answers column. */
#define NO_ANSWER '-'

/* ---- Waves ---- */

static bool code_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > CS_Q_CODE_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

/* A wave row with its response count (column 14). */
#define WAVE_COLUMNS                                                                  \
	CS_WAVE_COLUMNS                                                               \
	", (select coalesce(sum(b.rows), 0) from response_batch b where b.wave_id = " \
	"w.id) " CS_WAVE_FROM

void cs_wave_row_read(struct cs_stmt *st, struct cs_wave *w)
{
	memset(w, 0, sizeof(*w));
	w->id = cs_stmt_i64(st, 0);
	cs_stmt_text_copy(st, 1, w->code, sizeof(w->code));
	cs_stmt_text_copy(st, 2, w->questionnaire, sizeof(w->questionnaire));
	cs_stmt_text_copy(st, 3, w->questionnaire_version, sizeof(w->questionnaire_version));
	cs_stmt_text_copy(st, 4, w->period, sizeof(w->period));
	cs_stmt_text_copy(st, 5, w->period_starts, sizeof(w->period_starts));
	cs_stmt_text_copy(st, 6, w->title, sizeof(w->title));
	cs_stmt_text_copy(st, 7, w->opens, sizeof(w->opens));
	cs_stmt_text_copy(st, 8, w->closes, sizeof(w->closes));
	cs_stmt_text_copy(st, 9, w->mode, sizeof(w->mode));
	w->has_weight = cs_stmt_i64(st, 10) != 0;
	w->has_stratum = cs_stmt_i64(st, 11) != 0;
	w->has_psu = cs_stmt_i64(st, 12) != 0;
	w->has_fpc = cs_stmt_i64(st, 13) != 0;
	w->responses = -1;
}

static void read_wave(struct cs_stmt *st, struct cs_wave *w)
{
	cs_wave_row_read(st, w);
	w->responses = cs_stmt_i64(st, 14);
}

static enum cs_err bind_opt(struct cs_stmt *st, int idx, const char *v, struct cs_error *err)
{
	return v && v[0] ? cs_stmt_bind_textz(st, idx, v, err) : cs_stmt_bind_null(st, idx, err);
}

enum cs_err cs_wave_store_add(struct cs_store *s, struct cs_wave *w, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	char now[CS_STORE_TIME_LEN];
	int64_t period_id = 0;
	bool row = false;
	enum cs_err rc;

	if (!memchr(w->code, '\0', sizeof(w->code)) || !code_ok(w->code))
		return cs_fail(
			err, CS_EINVAL,
			"wave code '%.64s': expected 1 to %d letters, digits, '_', '-' or '.'",
			w->code, CS_Q_CODE_MAX);
	if (!memchr(w->questionnaire, '\0', sizeof(w->questionnaire)) || !w->questionnaire[0] ||
	    !memchr(w->questionnaire_version, '\0', sizeof(w->questionnaire_version)) ||
	    !memchr(w->period, '\0', sizeof(w->period)) ||
	    !memchr(w->title, '\0', sizeof(w->title)) ||
	    !memchr(w->opens, '\0', sizeof(w->opens)) ||
	    !memchr(w->closes, '\0', sizeof(w->closes)) || !memchr(w->mode, '\0', sizeof(w->mode)))
		return cs_fail(err, CS_EINVAL, "wave '%s': a field is empty or too long", w->code);
	cs_store_now(now);
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	rc = cs_stmt_prepare(s, "select id from period where code = ?", &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, w->period, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND,
			     "no period '%s'; add it first with 'chiso period add %s'", w->period,
			     w->period);
	if (!rc)
		period_id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	st = NULL;
	if (!rc)
		rc = cs_stmt_prepare(
			s,
			"insert into survey_wave (code, questionnaire, "
			"questionnaire_version, period_id, title, opens, closes, mode, "
			"created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
			&st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, w->code, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, w->questionnaire, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, w->questionnaire_version, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 4, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 5, w->title, err);
	if (!rc)
		rc = bind_opt(st, 6, w->opens, err);
	if (!rc)
		rc = bind_opt(st, 7, w->closes, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 8, w->mode, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 9, now, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (rc == CS_EEXIST)
		rc = cs_fail(err, CS_EEXIST, "survey wave '%s' already exists", w->code);
	if (!rc && row)
		w->id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	if (!rc)
		rc = cs_audit_append(s, NULL, "survey_wave", w->code, "questionnaire", NULL,
				     w->questionnaire, "wave added", err);
	if (!rc)
		rc = cs_audit_append(s, NULL, "survey_wave", w->code, "questionnaire_version", NULL,
				     w->questionnaire_version, "wave added", err);
	if (!rc)
		rc = cs_audit_append(s, NULL, "survey_wave", w->code, "period", NULL, w->period,
				     "wave added", err);
	if (rc) {
		cs_store_rollback(s);
		return rc;
	}
	return cs_store_commit(s, err);
}

enum cs_err cs_wave_store_find(struct cs_store *s, const char *code, struct cs_wave *out,
			       struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s, "select " WAVE_COLUMNS "where w.code = ?", &st, err);

	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, code, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND,
			     "no survey wave '%.64s'; add it with 'chiso survey wave add'", code);
	if (!rc)
		read_wave(st, out);
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_wave_store_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = true;
	enum cs_err rc =
		cs_stmt_prepare(s, "select " WAVE_COLUMNS "order by p.starts, w.code", &st, err);

	while (!rc) {
		struct cs_wave w;

		rc = cs_stmt_step(st, &row, err);
		if (rc || !row)
			break;
		read_wave(st, &w);
		rc = cs_vec_push(out, &w, err);
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_wave_store_previous(struct cs_store *s, const struct cs_wave *w, struct cs_wave *out,
				   bool *found, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(
		s,
		"select " WAVE_COLUMNS "where w.questionnaire = ? and p.starts < (select p2.starts "
		"from survey_wave w2 join period p2 on p2.id = w2.period_id "
		"where w2.code = ?) order by p.starts desc, w.code desc",
		&st, err);

	*found = false;
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, w->questionnaire, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, w->code, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row) {
		read_wave(st, out);
		*found = true;
	}
	cs_stmt_free(st);
	return rc;
}

/* ---- The packed layout ---- */

enum cs_err cs_resp_layout_init(struct cs_resp_layout *l, const struct cs_questionnaire *q,
				struct cs_error *err)
{
	size_t n = cs_questionnaire_item_count(q);

	memset(l, 0, sizeof(*l));
	l->slots = cs_calloc(n ? n : 1, sizeof(*l->slots));
	if (!l->slots)
		return cs_fail(err, CS_ENOMEM, NULL);
	l->nitems = n;
	for (size_t i = 0; i < n; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(q, i);
		struct cs_resp_slot *sl = &l->slots[i];

		sl->type = it->type;
		switch (it->type) {
		case CS_Q_LIKERT5:
		case CS_Q_YESNO:
		case CS_Q_SINGLE:
			sl->kind = CS_RESP_SLOT_FIXED;
			sl->pos = l->nfixed++;
			break;
		case CS_Q_MULTI:
		case CS_Q_NUMBER:
		case CS_Q_TEXT:
			sl->kind = CS_RESP_SLOT_EXTRA;
			sl->pos = l->nextra++;
			break;
		case CS_Q_NOTE:
		case CS_Q_TYPE_COUNT_:
			sl->kind = CS_RESP_SLOT_NONE;
			break;
		}
	}
	return CS_OK;
}

void cs_resp_layout_release(struct cs_resp_layout *l)
{
	if (!l)
		return;
	cs_free(l->slots);
	memset(l, 0, sizeof(*l));
}

static enum cs_err add_escaped(struct cs_buf *b, struct cs_str t, struct cs_error *err)
{
	enum cs_err rc = CS_OK;
	size_t from = 0;

	for (size_t i = 0; i < t.len && !rc; i++) {
		char c = t.ptr[i], e;

		if (c == '\\')
			e = '\\';
		else if (c == '\t')
			e = 't';
		else if (c == '\n')
			e = 'n';
		else if (c == '\r')
			e = 'r';
		else
			continue;
		rc = cs_buf_add(b, t.ptr + from, i - from, err);
		if (!rc)
			rc = cs_buf_addc(b, '\\', err);
		if (!rc)
			rc = cs_buf_addc(b, e, err);
		from = i + 1;
	}
	if (!rc)
		rc = cs_buf_add(b, t.ptr + from, t.len - from, err);
	return rc;
}

enum cs_err cs_resp_encode(const struct cs_resp_layout *l, const struct cs_questionnaire *q,
			   const struct cs_q_answer *answers, const struct cs_str *texts,
			   struct cs_buf *fixed, struct cs_buf *extra, struct cs_error *err)
{
	size_t fixed0 = fixed->len;
	enum cs_err rc = cs_buf_grow(fixed, l->nfixed, err);
	bool first = true;

	if (rc)
		return rc;
	/* Fixed characters go in order of their slots, which is item order. */
	for (size_t i = 0; i < l->nitems && !rc; i++) {
		const struct cs_resp_slot *sl = &l->slots[i];
		const struct cs_q_answer *a = &answers[i];
		char num[40];
		int n;

		if (sl->kind == CS_RESP_SLOT_FIXED) {
			char c = NO_ANSWER;

			if (a->answered && a->value >= 0 && a->value < 64)
				c = (char)('0' + (int)a->value);
			fixed->data[fixed->len++] = c;
			fixed->data[fixed->len] = '\0';
			continue;
		}
		if (sl->kind != CS_RESP_SLOT_EXTRA)
			continue;
		if (!first)
			rc = cs_buf_addc(extra, '\t', err);
		first = false;
		if (rc || !a->answered)
			continue;
		switch (cs_questionnaire_item(q, i)->type) {
		case CS_Q_MULTI:
			n = snprintf(num, sizeof(num), "%" PRIx64, a->choices);
			rc = cs_buf_add(extra, num, (size_t)n, err);
			break;
		case CS_Q_NUMBER:
			n = snprintf(num, sizeof(num), "%.17g", a->value);
			rc = cs_buf_add(extra, num, (size_t)n, err);
			break;
		default:
			if (texts)
				rc = add_escaped(extra, texts[i], err);
			break;
		}
	}
	if (rc)
		cs_buf_truncate(fixed, fixed0);
	return rc;
}

static enum cs_err layout_mismatch(struct cs_error *err, const char *what)
{
	return cs_fail(err, CS_EPARSE,
		       "stored response does not match the questionnaire's layout: %s; was it "
		       "stored under another questionnaire version?",
		       what);
}

enum cs_err cs_resp_decode(const struct cs_resp_layout *l, const struct cs_questionnaire *q,
			   struct cs_str fixed, struct cs_str extra, struct cs_q_answer *answers,
			   struct cs_error *err)
{
	struct cs_str rest = extra, field;
	bool more = l->nextra > 0;

	(void)q;
	if (fixed.len != l->nfixed)
		return layout_mismatch(err, "answers has the wrong length");
	memset(answers, 0, l->nitems * sizeof(*answers));
	for (size_t i = 0; i < l->nitems; i++) {
		const struct cs_resp_slot *sl = &l->slots[i];
		struct cs_q_answer *a = &answers[i];

		if (sl->kind == CS_RESP_SLOT_FIXED) {
			char c = fixed.ptr[sl->pos];

			if (c != NO_ANSWER) {
				if (c < '0' || c >= '0' + 64)
					return layout_mismatch(err,
							       "an answer character is invalid");
				a->answered = true;
				a->value = c - '0';
			}
			continue;
		}
		if (sl->kind != CS_RESP_SLOT_EXTRA)
			continue;
		if (!more || !cs_str_next(&rest, '\t', &field))
			return layout_mismatch(err, "extra has too few fields");
		if (!field.len)
			continue;
		switch (sl->type) {
		case CS_Q_MULTI: {
			uint64_t v = 0;

			for (size_t k = 0; k < field.len; k++) {
				char c = field.ptr[k];
				unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
					     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
								    : 16;

				if (d > 15 || k >= 16)
					return layout_mismatch(err, "a choice set is invalid");
				v = v << 4 | d;
			}
			a->choices = v;
			break;
		}
		case CS_Q_NUMBER:
			if (cs_str_to_double(field, false, &a->value, NULL))
				return layout_mismatch(err, "a number is invalid");
			break;
		default:
			break;
		}
		a->answered = true;
	}
	return CS_OK;
}

/* ---- Writing ---- */

struct cs_resp_writer {
	struct cs_store *s;
	const struct cs_wave *wave;
	const struct cs_questionnaire *q;
	struct cs_resp_layout layout;
	struct cs_buf fixed, extra;
	char *source;
	int64_t batch_id;
	int64_t base; /* the largest response id before this import */
	struct cs_stmt *insert;
	struct cs_stmt *first_seen;
	size_t rows;
	bool has_weight, has_stratum, has_psu, has_fpc;
};

static enum cs_err max_response_id(struct cs_store *s, int64_t *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s, "select max(id) from response", &st, err);

	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	*out = !rc && row && !cs_stmt_is_null(st, 0) ? cs_stmt_i64(st, 0) : 0;
	cs_stmt_free(st);
	return rc;
}

static void writer_free(struct cs_resp_writer *w)
{
	cs_stmt_free(w->insert);
	cs_stmt_free(w->first_seen);
	cs_resp_layout_release(&w->layout);
	cs_buf_release(&w->fixed);
	cs_buf_release(&w->extra);
	cs_free(w->source);
	cs_free(w);
}

enum cs_err cs_resp_writer_begin(struct cs_store *s, const struct cs_wave *wave,
				 const struct cs_questionnaire *q, const char *source,
				 struct cs_resp_writer **out, struct cs_error *err)
{
	struct cs_resp_writer *w = cs_calloc(1, sizeof(*w));
	struct cs_stmt *st = NULL;
	char now[CS_STORE_TIME_LEN];
	bool row = false;
	enum cs_err rc;

	*out = NULL;
	if (!w)
		return cs_fail(err, CS_ENOMEM, NULL);
	w->s = s;
	w->wave = wave;
	w->q = q;
	cs_buf_init(&w->fixed, ANSWERS_MAX);
	cs_buf_init(&w->extra, ANSWERS_MAX);
	w->source = cs_strdup(source);
	if (!w->source || cs_resp_layout_init(&w->layout, q, err)) {
		writer_free(w);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	rc = cs_store_begin(s, err);
	if (rc) {
		writer_free(w);
		return rc;
	}
	cs_store_now(now);
	rc = max_response_id(s, &w->base, err);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "insert into response_batch (wave_id, source, imported_at, "
				     "actor, rows, first_id, last_id) values (?, ?, ?, ?, 0, 0, 0) "
				     "returning id",
				     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, wave->id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, source, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, now, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 4, cs_store_actor(s), err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row)
		w->batch_id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	if (!rc)
		rc = cs_stmt_prepare(
			s,
			"insert into response (wave_id, batch_id, rid, unit_id, submitted_at, "
			"channel, weight, stratum, psu, fpc, kind, service, source_line, answers, "
			"extra) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			&w->insert, err);
	if (!rc)
		rc = cs_stmt_bind_i64(w->insert, 1, wave->id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(w->insert, 2, w->batch_id, err);
	if (rc) {
		cs_store_rollback(s);
		writer_free(w);
		return rc;
	}
	*out = w;
	return CS_OK;
}

static enum cs_err bind_str(struct cs_stmt *st, int idx, struct cs_str v, struct cs_error *err)
{
	if (!v.ptr || !v.len)
		return cs_stmt_bind_null(st, idx, err);
	return cs_stmt_bind_text(st, idx, v.ptr, v.len, err);
}

enum cs_err cs_resp_bind_row(struct cs_stmt *st, const struct cs_response *r, int64_t line,
			     struct cs_str fixed, struct cs_str extra, bool has_extra,
			     struct cs_error *err)
{
	enum cs_err rc = cs_stmt_bind_text(st, 3, r->id.ptr, r->id.len, err);

	if (!rc)
		rc = cs_stmt_bind_i64(st, 4, r->unit_id, err);
	if (!rc)
		rc = bind_str(st, 5, r->submitted_at, err);
	if (!rc)
		rc = bind_str(st, 6, r->channel, err);
	if (!rc)
		rc = r->has_weight ? cs_stmt_bind_double(st, 7, r->weight, err)
				   : cs_stmt_bind_null(st, 7, err);
	if (!rc)
		rc = bind_str(st, 8, r->stratum, err);
	if (!rc)
		rc = bind_str(st, 9, r->psu, err);
	if (!rc)
		rc = r->has_fpc ? cs_stmt_bind_double(st, 10, r->fpc, err)
				: cs_stmt_bind_null(st, 10, err);
	if (!rc)
		rc = bind_str(st, 11, r->kind, err);
	if (!rc)
		rc = bind_str(st, 12, r->service, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 13, line, err);
	if (!rc)
		rc = cs_stmt_bind_text(st, 14, fixed.len ? fixed.ptr : "", fixed.len, err);
	if (!rc)
		rc = has_extra
			     ? cs_stmt_bind_text(st, 15, extra.len ? extra.ptr : "", extra.len, err)
			     : cs_stmt_bind_null(st, 15, err);
	return rc;
}

/* The message for a duplicate id: where it was given first. */
static enum cs_err duplicate(struct cs_resp_writer *w, struct cs_str id, struct cs_error *err)
{
	bool row = false;
	enum cs_err rc = CS_OK;
	int shown = (int)(id.len > 128 ? 128 : id.len);

	if (!w->first_seen)
		rc = cs_stmt_prepare(
			w->s,
			"select b.source, r.source_line, r.batch_id from response r join "
			"response_batch b on b.id = r.batch_id where r.wave_id = ? and "
			"r.rid = ?",
			&w->first_seen, err);
	if (!rc)
		rc = cs_stmt_bind_i64(w->first_seen, 1, w->wave->id, err);
	if (!rc)
		rc = cs_stmt_bind_text(w->first_seen, 2, id.ptr, id.len, err);
	if (!rc)
		rc = cs_stmt_step(w->first_seen, &row, err);
	if (!rc && row) {
		const char *src = cs_stmt_text(w->first_seen, 0, NULL);
		int64_t line = cs_stmt_i64(w->first_seen, 1);
		bool same = cs_stmt_i64(w->first_seen, 2) == w->batch_id;

		rc = cs_fail(err, CS_EEXIST, "duplicate id '%.*s': first given at %s:%" PRId64 "%s",
			     shown, id.ptr, src ? src : "?", line,
			     same ? "" : ", already stored for this wave");
	} else if (!rc) {
		rc = cs_fail(err, CS_EEXIST, "duplicate id '%.*s'", shown, id.ptr);
	}
	cs_stmt_reset(w->first_seen, NULL);
	return rc;
}

enum cs_err cs_resp_writer_add(struct cs_resp_writer *w, const struct cs_response *r,
			       struct cs_error *err)
{
	enum cs_err rc;

	cs_buf_reset(&w->fixed);
	cs_buf_reset(&w->extra);
	rc = cs_resp_encode(&w->layout, w->q, r->answers, r->texts, &w->fixed, &w->extra, err);
	if (rc)
		return rc;
	return cs_resp_writer_add_packed(w, r, cs_str_make(w->fixed.data, w->fixed.len),
					 cs_str_make(w->extra.data, w->extra.len), err);
}

enum cs_err cs_resp_writer_add_packed(struct cs_resp_writer *w, const struct cs_response *r,
				      struct cs_str fixed, struct cs_str extra,
				      struct cs_error *err)
{
	struct cs_stmt *st = w->insert;
	enum cs_err rc = CS_OK;

	if (fixed.len != w->layout.nfixed)
		rc = cs_fail(err, CS_EINVAL, "packed answers of %zu characters; the layout has %zu",
			     fixed.len, w->layout.nfixed);
	if (!rc)
		rc = cs_resp_bind_row(st, r, (int64_t)r->line, fixed, extra, w->layout.nextra > 0,
				      err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	if (rc == CS_EEXIST)
		return duplicate(w, r->id, err);
	if (rc)
		return rc;
	w->rows++;
	w->has_weight |= r->has_weight;
	w->has_stratum |= r->stratum.len > 0;
	w->has_psu |= r->psu.len > 0;
	w->has_fpc |= r->has_fpc;
	return CS_OK;
}

enum cs_err cs_resp_writer_commit(struct cs_resp_writer *w, size_t *rows, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	int64_t last = 0;
	char count[32];
	enum cs_err rc = max_response_id(w->s, &last, err);

	if (!rc)
		rc = cs_stmt_prepare(
			w->s,
			"update response_batch set rows = ?, first_id = ?, last_id = ? "
			"where id = ?",
			&st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, (int64_t)w->rows, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, w->rows ? w->base + 1 : 0, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 3, w->rows ? last : 0, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 4, w->batch_id, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	st = NULL;
	if (!rc)
		rc = cs_stmt_prepare(
			w->s,
			"update survey_wave set has_weight = has_weight + ? - has_weight "
			"* ?, has_stratum = has_stratum + ? - has_stratum * ?, has_psu = "
			"has_psu + ? - has_psu * ?, has_fpc = has_fpc + ? - has_fpc * ? "
			"where id = ?",
			&st, err);
	/* x + b - x * b is x OR b for 0/1 values, in portable SQL. */
	for (int i = 0; i < 4 && !rc; i++) {
		bool b = i == 0	  ? w->has_weight
			 : i == 1 ? w->has_stratum
			 : i == 2 ? w->has_psu
				  : w->has_fpc;

		rc = cs_stmt_bind_i64(st, 2 * i + 1, b, err);
		if (!rc)
			rc = cs_stmt_bind_i64(st, 2 * i + 2, b, err);
	}
	if (!rc)
		rc = cs_stmt_bind_i64(st, 9, w->wave->id, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	snprintf(count, sizeof(count), "%zu", w->rows);
	if (!rc)
		rc = cs_audit_append(w->s, NULL, "survey_wave", w->wave->code, "responses", NULL,
				     count, w->source, err);
	if (!rc)
		rc = cs_store_commit(w->s, err);
	else
		cs_store_rollback(w->s);
	if (!rc && rows)
		*rows = w->rows;
	writer_free(w);
	return rc;
}

void cs_resp_writer_abort(struct cs_resp_writer *w)
{
	if (!w)
		return;
	cs_store_rollback(w->s);
	writer_free(w);
}

/* ---- Reading ---- */

struct range {
	int64_t batch, first, last;
};

static struct cs_str col_str(struct cs_stmt *st, int col)
{
	size_t len = 0;
	const char *t = cs_stmt_text(st, col, &len);

	return t ? cs_str_make(t, len) : cs_str_make("", 0);
}

static struct cs_str opt_str(struct cs_stmt *st, int col, unsigned wanted)
{
	return wanted ? col_str(st, col) : cs_str_make("", 0);
}

enum cs_err cs_resp_store_scan(struct cs_store *s, int64_t wave_id,
			       enum cs_err (*cb)(void *ctx, const struct cs_resp_row *row,
						 struct cs_error *err),
			       void *ctx, struct cs_error *err)
{
	return cs_resp_store_scan_fields(s, wave_id, CS_RESP_F_ALL, cb, ctx, err);
}

/* The optional columns in select order, after unit_id: CS_RESP_F_* bit i is column i + 1. */
static const char *const scan_cols[] = {"weight",  "fpc",  "stratum", "psu",
					"channel", "kind", "service", "extra"};

enum cs_err cs_resp_store_scan_fields(struct cs_store *s, int64_t wave_id, unsigned fields,
				      enum cs_err (*cb)(void *ctx, const struct cs_resp_row *row,
							struct cs_error *err),
				      void *ctx, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	struct cs_vec ranges;
	char sql[512];
	size_t len;
	bool row = true;
	enum cs_err rc;

	cs_vec_init(&ranges, sizeof(struct range), 0);
	rc = cs_stmt_prepare(s,
			     "select id, first_id, last_id from response_batch where wave_id = ? "
			     "and rows > 0 order by id",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, wave_id, err);
	while (!rc) {
		struct range r;

		rc = cs_stmt_step(st, &row, err);
		if (rc || !row)
			break;
		r.batch = cs_stmt_i64(st, 0);
		r.first = cs_stmt_i64(st, 1);
		r.last = cs_stmt_i64(st, 2);
		rc = cs_vec_push(&ranges, &r, err);
	}
	cs_stmt_free(st);
	st = NULL;
	/* Each batch's rows are one contiguous id range: reading it by id keeps
	 * the scan sequential in the table, whatever the indexes. Columns not
	 * wanted are selected as null, which the database does not decode. */
	len = (size_t)snprintf(sql, sizeof(sql), "select unit_id, answers");
	for (size_t i = 0; i < sizeof(scan_cols) / sizeof(scan_cols[0]); i++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len, ", %s",
					fields >> i & 1 ? scan_cols[i] : "null");
	snprintf(sql + len, sizeof(sql) - len,
		 " from response where id >= ? and id <= ? and batch_id = ? order by id");
	if (!rc)
		rc = cs_stmt_prepare(s, sql, &st, err);
	for (size_t i = 0; i < ranges.len && !rc; i++) {
		const struct range *r = cs_vec_at(&ranges, i);

		rc = cs_stmt_bind_i64(st, 1, r->first, err);
		if (!rc)
			rc = cs_stmt_bind_i64(st, 2, r->last, err);
		if (!rc)
			rc = cs_stmt_bind_i64(st, 3, r->batch, err);
		while (!rc) {
			struct cs_resp_row rr;

			rc = cs_stmt_step(st, &row, err);
			if (rc || !row)
				break;
			rr.unit_id = cs_stmt_i64(st, 0);
			rr.answers = col_str(st, 1);
			rr.weight = fields & CS_RESP_F_WEIGHT && !cs_stmt_is_null(st, 2)
					    ? cs_stmt_double(st, 2)
					    : NAN;
			rr.fpc = fields & CS_RESP_F_FPC && !cs_stmt_is_null(st, 3)
					 ? cs_stmt_double(st, 3)
					 : NAN;
			rr.stratum = opt_str(st, 4, fields & CS_RESP_F_STRATUM);
			rr.psu = opt_str(st, 5, fields & CS_RESP_F_PSU);
			rr.channel = opt_str(st, 6, fields & CS_RESP_F_CHANNEL);
			rr.kind = opt_str(st, 7, fields & CS_RESP_F_KIND);
			rr.service = opt_str(st, 8, fields & CS_RESP_F_SERVICE);
			rr.extra = opt_str(st, 9, fields & CS_RESP_F_EXTRA);
			rc = cb(ctx, &rr, err);
		}
		if (!rc)
			rc = cs_stmt_reset(st, err);
	}
	cs_stmt_free(st);
	cs_vec_release(&ranges);
	return rc;
}
