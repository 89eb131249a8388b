/*
 * Sample plans and the double keying of paper forms. A form's response is
 * stored through the response importer's own checks (io/response_import.h:
 * one JSON line), so that a keyed form is held to exactly the rules of an
 * imported file, and inserted with cs_resp_insert_one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/response_import.h"
#include "store/audit.h"
#include "store/keying_store.h"
#include "store/response_one.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

#include "util/banned.h"

#define ENTITY_ID_MAX (CS_WAVE_CODE_LEN + CS_KEYING_FORM_MAX + 160)

static enum cs_err unit_id_of(struct cs_store *s, const char *code, int64_t *id,
			      struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s, "select id from unit where code = ?", &st, err);

	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, code, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "unit: no unit '%.127s'", code);
	if (!rc)
		*id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return rc;
}

/* ---- Sample plans ---- */

static enum cs_err set_target(struct cs_store *s, const struct cs_wave *w, const char *unit,
			      int64_t target, struct cs_error *err)
{
	char id[ENTITY_ID_MAX], oldt[24], newt[24];
	struct cs_stmt *st = NULL;
	int64_t uid = 0, old = 0;
	bool row = false;
	enum cs_err rc;

	if (target < 0 || target > CS_SAMPLE_TARGET_MAX)
		return cs_fail(err, CS_EINVAL,
			       "targets.%.127s: %" PRId64 "; expected 1 to %d, or 0 "
			       "to remove the target",
			       unit, target, CS_SAMPLE_TARGET_MAX);
	rc = unit_id_of(s, unit, &uid, err);
	if (!rc)
		rc = cs_stmt_prepare(
			s, "select target from sample_plan where wave_id = ? and unit_id = ?", &st,
			err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, w->id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, uid, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row)
		old = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	st = NULL;
	if (rc || old == target)
		return rc;
	rc = cs_stmt_prepare(
		s,
		target == 0 ? "delete from sample_plan where wave_id = ? and unit_id = ?"
		: row	    ? "update sample_plan set target = ? where wave_id = ? and "
			      "unit_id = ?"
			    : "insert into sample_plan (target, wave_id, unit_id) values (?, ?, ?)",
		&st, err);
	if (!rc && target)
		rc = cs_stmt_bind_i64(st, 1, target, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, target ? 2 : 1, w->id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, target ? 3 : 2, uid, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	snprintf(id, sizeof(id), "%s/%s", w->code, unit);
	snprintf(oldt, sizeof(oldt), "%" PRId64, old);
	snprintf(newt, sizeof(newt), "%" PRId64, target);
	if (!rc)
		rc = cs_audit_append(s, NULL, "sample_plan", id, "target", row ? oldt : NULL,
				     target ? newt : NULL, NULL, err);
	return rc;
}

enum cs_err cs_sample_plan_set(struct cs_store *s, const struct cs_wave *w,
			       const char *const *units, const int64_t *targets, size_t n,
			       struct cs_error *err)
{
	enum cs_err rc = cs_store_begin(s, err);

	for (size_t i = 0; !rc && i < n; i++)
		rc = set_target(s, w, units[i], targets[i], err);
	if (!rc)
		rc = cs_store_commit(s, err);
	else
		cs_store_rollback(s);
	return rc;
}

enum cs_err cs_sample_progress(struct cs_store *s, int64_t wave_id, struct cs_arena *arena,
			       struct cs_vec *out, struct cs_error *err)
{
	static const char sql[] =
		"select u.code, u.name, "
		"coalesce((select p.target from sample_plan p where p.wave_id = ? and p.unit_id = "
		"u.id), 0), "
		"(select count(*) from response r where r.wave_id = ? and r.unit_id = u.id), "
		"(select count(*) from token t where t.wave_id = ? and t.unit_id = u.id), "
		"(select count(used_at) from token t where t.wave_id = ? and t.unit_id = u.id) "
		"from unit u where exists (select 1 from sample_plan p where p.wave_id = ? and "
		"p.unit_id = u.id) or exists (select 1 from response r where r.wave_id = ? and "
		"r.unit_id = u.id) or exists (select 1 from token t where t.wave_id = ? and "
		"t.unit_id = u.id) order by u.code";
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s, sql, &st, err);

	for (int k = 1; !rc && k <= 7; k++)
		rc = cs_stmt_bind_i64(st, k, wave_id, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_sample_unit *u = cs_vec_push_zero(out, err);
		size_t len = 0;
		const char *t;

		if (!u) {
			rc = err ? err->code : CS_ENOMEM;
			break;
		}
		t = cs_stmt_text(st, 0, &len);
		u->unit = cs_arena_strndup(arena, t ? t : "", t ? len : 0);
		t = cs_stmt_text(st, 1, &len);
		u->name = cs_arena_strndup(arena, t ? t : "", t ? len : 0);
		u->target = cs_stmt_i64(st, 2);
		u->responses = cs_stmt_i64(st, 3);
		u->tokens_issued = cs_stmt_i64(st, 4);
		u->tokens_used = cs_stmt_i64(st, 5);
		if (!u->unit || !u->name)
			rc = cs_fail(err, CS_ENOMEM, NULL);
	}
	cs_stmt_free(st);
	return rc;
}

/* ---- Keying ---- */

enum cs_err cs_keying_form_check(const char *form, struct cs_error *err)
{
	size_t n = form ? strlen(form) : 0;

	if (n == 0 || n > CS_KEYING_FORM_MAX)
		return cs_fail(err, CS_EINVAL,
			       "form: %zu bytes; expected the form's number, 1 to %d "
			       "characters",
			       n, CS_KEYING_FORM_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = form[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return cs_fail(err, CS_EINVAL,
				       "form '%s': expected letters, digits, '.', '_' and '-'",
				       form);
	}
	return CS_OK;
}

/* Checks that answers is an object of item code to a string, a number, null or a list of strings. */
static enum cs_err answers_check(json_t *answers, struct cs_error *err)
{
	const char *key;
	json_t *v;

	if (!json_is_object(answers))
		return cs_fail(err, CS_EINVAL,
			       "answers: expected a JSON object of item code to value");
	json_object_foreach(answers, key, v)
	{
		bool ok = json_is_string(v) || json_is_number(v) || json_is_null(v);

		if (json_is_array(v)) {
			size_t i;
			json_t *e;

			ok = true;
			json_array_foreach(v, i, e) ok = ok && json_is_string(e);
		}
		if (!ok || !strcmp(key, "id") || !strcmp(key, "unit") || !strcmp(key, "channel"))
			return cs_fail(
				err, CS_EINVAL,
				"answers.%.64s: expected an item code with a string, a number, "
				"null or a list of strings",
				key);
	}
	return CS_OK;
}

/*
 * A value as compared, into b: trimmed text; numbers as written by jansson;
 * lists joined by ';'; "" for none. CS_ENOMEM, CS_ETOOBIG.
 */
static enum cs_err value_text(json_t *v, struct cs_buf *b, struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	cs_buf_reset(b);
	if (json_is_string(v)) {
		struct cs_str t =
			cs_str_trim(cs_str_make(json_string_value(v), json_string_length(v)));

		rc = cs_buf_add(b, t.ptr, t.len, err);
	} else if (json_is_integer(v)) {
		rc = cs_buf_addf(b, err, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (json_is_real(v)) {
		rc = cs_buf_addf(b, err, "%.15g", json_real_value(v));
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;

		json_array_foreach(v, i, e)
		{
			struct cs_str t = cs_str_trim(cs_str_from(json_string_value(e)));

			if (!rc && i)
				rc = cs_buf_addc(b, ';', err);
			if (!rc)
				rc = cs_buf_add(b, t.ptr, t.len, err);
		}
	}
	return rc;
}

/* Appends the fields where keyings a and b (objects with "unit") differ to diffs. */
static enum cs_err compare(json_t *a, json_t *b, struct cs_arena *arena, struct cs_vec *diffs,
			   struct cs_error *err)
{
	struct cs_buf x, y;
	const char *key;
	json_t *v;
	enum cs_err rc = CS_OK;

	cs_buf_init(&x, CS_KEYING_ANSWERS_MAX);
	cs_buf_init(&y, CS_KEYING_ANSWERS_MAX);
	for (int pass = 0; pass < 2 && !rc; pass++) {
		json_t *from = pass ? b : a, *other = pass ? a : b;

		json_object_foreach(from, key, v)
		{
			struct cs_keying_diff *d;

			/* A key both have is compared in the first pass only. */
			if (pass && json_object_get(other, key))
				continue;
			rc = value_text(pass ? json_object_get(other, key) : v, &x, err);
			if (!rc)
				rc = value_text(pass ? v : json_object_get(other, key), &y, err);
			if (rc)
				break;
			if (strcmp(x.data, y.data) == 0)
				continue;
			d = cs_vec_push_zero(diffs, err);
			if (!d) {
				rc = err ? err->code : CS_ENOMEM;
				break;
			}
			d->field = cs_arena_strndup(arena, key, strlen(key));
			d->first = cs_arena_strndup(arena, x.data, x.len);
			d->second = cs_arena_strndup(arena, y.data, y.len);
			if (!d->field || !d->first || !d->second) {
				rc = cs_fail(err, CS_ENOMEM, NULL);
				break;
			}
		}
	}
	cs_buf_release(&x);
	cs_buf_release(&y);
	return rc;
}

enum cs_err cs_keying_compare(const char *first, const char *second, struct cs_arena *arena,
			      struct cs_vec *diffs, struct cs_error *err)
{
	json_error_t ja, jb;
	json_t *a = json_loads(first ? first : "", 0, &ja);
	json_t *b = json_loads(second ? second : "", 0, &jb);
	enum cs_err rc;

	if ((!a && json_error_code(&ja) == json_error_out_of_memory) ||
	    (!b && json_error_code(&jb) == json_error_out_of_memory))
		rc = cs_fail(err, CS_ENOMEM, NULL);
	else if (!json_is_object(a) || !json_is_object(b))
		rc = cs_fail(err, CS_EINVAL, "keyings: expected two JSON objects");
	else
		rc = compare(a, b, arena, diffs, err);
	json_decref(a);
	json_decref(b);
	return rc;
}

/* The sink of the one-row import: inserts the response. */
struct sink {
	struct cs_store *s;
	const struct cs_wave *w;
	const struct cs_questionnaire *q;
	const struct cs_resp_layout *l;
	int64_t id;
	bool stored;
};

static enum cs_err sink_insert(void *ctx, const struct cs_response *r, struct cs_error *err)
{
	struct sink *k = ctx;
	enum cs_err rc = cs_resp_insert_one(k->s, k->w, k->q, k->l, r, "paper", &k->id, err);

	if (!rc)
		k->stored = true;
	return rc;
}

/*
 * Stores form's response from the keyed object (with "unit") inside the
 * caller's transaction. CS_EPARSE with the importer's message when it is
 * refused; *id its id.
 */
static enum cs_err store_response(struct cs_store *s, const struct cs_wave *w,
				  const struct cs_questionnaire *q, const struct cs_resp_layout *l,
				  const char *form, json_t *keyed, int64_t *id,
				  struct cs_error *err)
{
	struct sink k = {s, w, q, l, 0, false};
	struct cs_resp_import_report rep;
	struct cs_unit_set units;
	char rid[CS_KEYING_FORM_MAX + 8], name[CS_KEYING_FORM_MAX + 8];
	json_t *row = json_deep_copy(keyed);
	char *line = NULL;
	enum cs_err rc = CS_OK;

	cs_resp_import_report_init(&rep);
	cs_unit_set_init(&units);
	snprintf(rid, sizeof(rid), "paper-%s", form);
	snprintf(name, sizeof(name), "form %s", form);
	if (!row || json_object_set_new(row, "id", json_string(rid)) ||
	    json_object_set_new(row, "channel", json_string("paper")) ||
	    !(line = json_dumps(row, JSON_COMPACT)))
		rc = cs_fail(err, CS_ENOMEM, NULL);
	if (!rc)
		rc = cs_unit_store_load(s, &units, err);
	if (!rc)
		rc = cs_resp_import(q, &units, name, line, strlen(line), CS_RESP_JSONL, NULL,
				    sink_insert, &k, &rep, err);
	if (!rc && !k.stored)
		rc = cs_fail(err, CS_EPARSE, "%s: the response was not taken", name);
	if (rc == CS_EEXIST)
		rc = cs_fail(err, CS_EPARSE, "%s: response '%s' is already stored in wave '%s'",
			     name, rid, w->code);
	if (!rc)
		*id = k.id;
	free(line);
	json_decref(row);
	cs_unit_set_release(&units);
	cs_resp_import_report_release(&rep);
	return rc;
}

/* The keyings of a form: pass 1 and 2 as JSON objects with "unit", and their keyers. */
struct passes {
	json_t *keyed[2];
	char by[2][CS_STORE_ACTOR_MAX];
	char state[16]; /* keyed_form.state, "" when none */
};

static void passes_release(struct passes *p)
{
	json_decref(p->keyed[0]);
	json_decref(p->keyed[1]);
	memset(p, 0, sizeof(*p));
}

static enum cs_err passes_load(struct cs_store *s, int64_t wave_id, const char *form,
			       struct passes *p, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	memset(p, 0, sizeof(*p));
	rc = cs_stmt_prepare(s,
			     "select k.pass, k.answers, u.code, k.keyed_by from keying k join unit "
			     "u on u.id = k.unit_id where k.wave_id = ? and k.form = ?",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, wave_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, form, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		int k = cs_stmt_i64(st, 0) == 2;
		const char *a = cs_stmt_text(st, 1, NULL), *u = cs_stmt_text(st, 2, NULL);
		const char *by = cs_stmt_text(st, 3, NULL);

		json_decref(p->keyed[k]);
		p->keyed[k] = json_loads(a ? a : "{}", 0, NULL);
		/* The text was written by insert_pass: a refusal can only be
		 * memory (jansson does not always say so). */
		if (!p->keyed[k] ||
		    json_object_set_new(p->keyed[k], "unit", json_string(u ? u : "")))
			rc = cs_fail(err, CS_ENOMEM, NULL);
		snprintf(p->by[k], sizeof(p->by[k]), "%s", by ? by : "");
	}
	cs_stmt_free(st);
	st = NULL;
	if (!rc)
		rc = cs_stmt_prepare(
			s, "select state from keyed_form where wave_id = ? and form = ?", &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, wave_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, form, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row)
		snprintf(p->state, sizeof(p->state), "%s", cs_stmt_text(st, 0, NULL));
	cs_stmt_free(st);
	if (rc)
		passes_release(p);
	return rc;
}

static enum cs_err put_state(struct cs_store *s, int64_t wave_id, const char *form,
			     const char *state, int64_t response_id, bool exists,
			     struct cs_error *err)
{
	char now[CS_STORE_TIME_LEN];
	struct cs_stmt *st = NULL;
	enum cs_err rc;

	cs_store_now(now);
	rc = cs_stmt_prepare(
		s,
		exists ? "update keyed_form set state = ?, response_id = ?, updated_by "
			 "= ?, updated_at = ? where wave_id = ? and form = ?"
		       : "insert into keyed_form (state, response_id, updated_by, "
			 "updated_at, wave_id, form) values (?, ?, ?, ?, ?, ?)",
		&st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, state, err);
	if (!rc)
		rc = response_id ? cs_stmt_bind_i64(st, 2, response_id, err)
				 : cs_stmt_bind_null(st, 2, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, cs_store_actor(s), err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 4, now, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 5, wave_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 6, form, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	return rc;
}

/* Inserts keying pass of form with the answers' canonical text, and its audit row. */
static enum cs_err insert_pass(struct cs_store *s, const struct cs_wave *w, const char *form,
			       int pass, int64_t unit_id, const char *unit, json_t *answers,
			       struct cs_error *err)
{
	char now[CS_STORE_TIME_LEN], id[ENTITY_ID_MAX], field[8];
	char *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
	struct cs_stmt *st = NULL;
	enum cs_err rc = CS_OK;

	if (!text)
		return cs_fail(err, CS_ENOMEM, NULL);
	if (strlen(text) > CS_KEYING_ANSWERS_MAX)
		rc = cs_fail(err, CS_ETOOBIG, "answers: %zu bytes; at most %u", strlen(text),
			     CS_KEYING_ANSWERS_MAX);
	cs_store_now(now);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "insert into keying (wave_id, form, pass, unit_id, answers, "
				     "keyed_by, keyed_at) values (?, ?, ?, ?, ?, ?, ?)",
				     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, w->id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, form, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 3, pass, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 4, unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 5, text, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 6, cs_store_actor(s), err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 7, now, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	snprintf(id, sizeof(id), "%s/%s", w->code, form);
	snprintf(field, sizeof(field), "pass%d", pass);
	{
		char val[300];

		snprintf(val, sizeof(val), "unit %s, %zu answers", unit, json_object_size(answers));
		if (!rc)
			rc = cs_audit_append(s, NULL, "keying", id, field, NULL, val, NULL, err);
	}
	free(text);
	return rc;
}

static enum cs_err keying_add(struct cs_store *s, const struct cs_wave *w,
			      const struct cs_questionnaire *q, const struct cs_resp_layout *l,
			      const char *form, const char *unit, json_t *answers,
			      struct cs_arena *arena, struct cs_keying_result *out,
			      struct cs_error *err)
{
	struct passes p;
	int64_t uid = 0;
	json_t *second = NULL;
	enum cs_err rc;

	rc = unit_id_of(s, unit, &uid, err);
	if (!rc)
		rc = passes_load(s, w->id, form, &p, err);
	if (rc)
		return rc;
	if (p.keyed[1] || p.state[0]) {
		rc = cs_fail(err, CS_ESTATE,
			     "form '%s' of wave '%s' was keyed twice already (%s); %s", form,
			     w->code, p.state[0] ? p.state : "waiting",
			     strcmp(p.state, "stored") == 0 ? "its response is stored"
							    : "resolve its differences");
		goto out;
	}
	if (!p.keyed[0]) {
		rc = insert_pass(s, w, form, 1, uid, unit, answers, err);
		out->outcome = CS_KEYING_FIRST;
		goto out;
	}
	if (strcmp(p.by[0], cs_store_actor(s)) == 0) {
		rc = cs_fail(err, CS_EPERM,
			     "form '%s': '%s' keyed it the first time; the second keying must be "
			     "by someone else",
			     form, p.by[0]);
		goto out;
	}
	rc = insert_pass(s, w, form, 2, uid, unit, answers, err);
	second = json_deep_copy(answers);
	if (!rc && (!second || json_object_set_new(second, "unit", json_string(unit))))
		rc = cs_fail(err, CS_ENOMEM, NULL);
	if (!rc)
		rc = compare(p.keyed[0], second, arena, &out->diffs, err);
	if (rc)
		goto out;
	if (out->diffs.len == 0) {
		struct cs_error why = {0};

		rc = store_response(s, w, q, l, form, second, &out->response_id, &why);
		if (rc == CS_EPARSE) {
			snprintf(out->problem, sizeof(out->problem), "%s", why.msg);
			rc = CS_OK;
		} else if (rc && err) {
			*err = why;
		}
	}
	if (!rc) {
		out->outcome = out->response_id ? CS_KEYING_STORED : CS_KEYING_DIFFERS;
		rc = put_state(s, w->id, form, out->response_id ? "stored" : "differs",
			       out->response_id, false, err);
	}
out:
	json_decref(second);
	passes_release(&p);
	return rc;
}

enum cs_err cs_keying_add(struct cs_store *s, const struct cs_wave *w,
			  const struct cs_questionnaire *q, const struct cs_resp_layout *l,
			  const char *form, const char *unit, json_t *answers,
			  struct cs_arena *arena, struct cs_keying_result *out,
			  struct cs_error *err)
{
	enum cs_err rc;

	out->outcome = CS_KEYING_FIRST;
	out->response_id = 0;
	out->problem[0] = '\0';
	rc = cs_keying_form_check(form, err);
	if (!rc)
		rc = answers_check(answers, err);
	if (!rc)
		rc = cs_store_begin(s, err);
	if (!rc) {
		rc = keying_add(s, w, q, l, form, unit, answers, arena, out, err);
		if (!rc)
			rc = cs_store_commit(s, err);
		else
			cs_store_rollback(s);
	}
	return rc;
}

static enum cs_err keying_resolve(struct cs_store *s, const struct cs_wave *w,
				  const struct cs_questionnaire *q, const struct cs_resp_layout *l,
				  const char *form, const char *unit, json_t *answers,
				  int64_t *response_id, struct cs_error *err)
{
	struct cs_arena arena;
	struct cs_vec diffs;
	struct passes p;
	char id[ENTITY_ID_MAX];
	int64_t uid = 0, rid = 0;
	json_t *final = NULL;
	struct cs_buf b;
	enum cs_err rc;

	cs_arena_init(&arena, 0);
	cs_vec_init(&diffs, sizeof(struct cs_keying_diff), 0);
	cs_buf_init(&b, CS_KEYING_ANSWERS_MAX);
	rc = unit_id_of(s, unit, &uid, err);
	if (!rc)
		rc = passes_load(s, w->id, form, &p, err);
	if (rc)
		goto done;
	if (!p.keyed[1] || strcmp(p.state, "differs") != 0) {
		rc = cs_fail(err, CS_ESTATE, "form '%s' of wave '%s' %s", form, w->code,
			     strcmp(p.state, "stored") == 0 ? "is stored already"
			     : p.keyed[0]		    ? "is waiting for its second keying"
							    : "has not been keyed");
		goto out;
	}
	final = json_deep_copy(answers);
	if (!final || json_object_set_new(final, "unit", json_string(unit)))
		rc = cs_fail(err, CS_ENOMEM, NULL);
	if (!rc)
		rc = store_response(s, w, q, l, form, final, &rid, err);
	if (!rc)
		rc = compare(p.keyed[0], p.keyed[1], &arena, &diffs, err);
	snprintf(id, sizeof(id), "%s/%s", w->code, form);
	for (size_t i = 0; !rc && i < diffs.len; i++) {
		const struct cs_keying_diff *d = cs_vec_at(&diffs, i);
		char old[600];

		snprintf(old, sizeof(old), "%.290s | %.290s", d->first, d->second);
		rc = value_text(json_object_get(final, d->field), &b, err);
		if (!rc)
			rc = cs_audit_append(s, NULL, "keying", id, d->field, old, b.data,
					     "resolved", err);
	}
	if (!rc)
		rc = put_state(s, w->id, form, "stored", rid, true, err);
	if (!rc)
		rc = cs_audit_append(s, NULL, "keying", id, "state", "differs", "stored", NULL,
				     err);
	if (!rc && response_id)
		*response_id = rid;
out:
	passes_release(&p);
done:
	json_decref(final);
	cs_buf_release(&b);
	cs_vec_release(&diffs);
	cs_arena_release(&arena);
	return rc;
}

enum cs_err cs_keying_resolve(struct cs_store *s, const struct cs_wave *w,
			      const struct cs_questionnaire *q, const struct cs_resp_layout *l,
			      const char *form, const char *unit, json_t *answers,
			      int64_t *response_id, struct cs_error *err)
{
	enum cs_err rc;

	rc = cs_keying_form_check(form, err);
	if (!rc)
		rc = answers_check(answers, err);
	if (!rc)
		rc = cs_store_begin(s, err);
	if (!rc) {
		rc = keying_resolve(s, w, q, l, form, unit, answers, response_id, err);
		if (!rc)
			rc = cs_store_commit(s, err);
		else
			cs_store_rollback(s);
	}
	return rc;
}

enum cs_err cs_keying_list(struct cs_store *s, int64_t wave_id, struct cs_arena *arena,
			   struct cs_vec *out, struct cs_error *err)
{
	static const char sql[] =
		"select k.form, k.pass, k.answers, u.code, k.keyed_by, f.state, f.response_id from "
		"keying k join unit u on u.id = k.unit_id left join keyed_form f on f.wave_id = "
		"k.wave_id and f.form = k.form where k.wave_id = ? order by k.form, k.pass";
	struct cs_stmt *st = NULL;
	struct cs_keyed_form *cur = NULL;
	bool row = false, oom = false;
	enum cs_err rc = cs_stmt_prepare(s, sql, &st, err);

	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, wave_id, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		const char *form = cs_stmt_text(st, 0, NULL), *a = cs_stmt_text(st, 2, NULL);
		const char *u = cs_stmt_text(st, 3, NULL), *by = cs_stmt_text(st, 4, NULL);
		const char *state = cs_stmt_text(st, 5, NULL);
		bool second = cs_stmt_i64(st, 1) == 2;
		json_t *o = json_loads(a ? a : "{}", 0, NULL);
		char *text = NULL;

		if (!cur || strcmp(cur->form, form ? form : "") != 0) {
			cur = cs_vec_push_zero(out, err);
			if (!cur) {
				json_decref(o);
				rc = err ? err->code : CS_ENOMEM;
				break;
			}
			cur->form =
				cs_arena_strndup(arena, form ? form : "", strlen(form ? form : ""));
			cur->state = cs_arena_strndup(arena, state ? state : "waiting",
						      strlen(state ? state : "waiting"));
			cur->response_id = cs_stmt_is_null(st, 6) ? 0 : cs_stmt_i64(st, 6);
			oom = oom || !cur->form || !cur->state;
		}
		if (o)
			json_object_set_new(o, "unit", json_string(u ? u : ""));
		text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(o);
		if (!text) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
			break;
		}
		if (second) {
			cur->second = cs_arena_strndup(arena, text, strlen(text));
			cur->second_by =
				cs_arena_strndup(arena, by ? by : "", strlen(by ? by : ""));
			oom = oom || !cur->second || !cur->second_by;
		} else {
			cur->first = cs_arena_strndup(arena, text, strlen(text));
			cur->first_by = cs_arena_strndup(arena, by ? by : "", strlen(by ? by : ""));
			oom = oom || !cur->first || !cur->first_by;
		}
		free(text);
		if (oom)
			rc = cs_fail(err, CS_ENOMEM, NULL);
	}
	cs_stmt_free(st);
	return rc;
}
