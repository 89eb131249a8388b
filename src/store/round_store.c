/*
 * Assessment rounds: deadlines in UTC text compared as text with the store's
 * clock, units joining a round as recorded drafts, reopenings of late units,
 * and the progress of a round in one query.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/round_store.h"
#include "util/date.h"

#include "util/banned.h"

/* Longest audit entity id: period/framework/unit. */
#define ENTITY_ID_MAX (3 * CS_SCORE_CODE_LEN + 128)

static bool digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static int num2(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

enum cs_err cs_deadline_parse(struct cs_str s, char out[CS_STORE_TIME_LEN], struct cs_error *err)
{
	char day[CS_DATE_LEN];
	struct cs_error derr = {0};

	s = cs_str_trim(s);
	out[0] = '\0';
	if (s.len == 20 && s.ptr[10] == 'T' && s.ptr[13] == ':' && s.ptr[16] == ':' &&
	    s.ptr[19] == 'Z' && digits(s.ptr + 11, 2) && digits(s.ptr + 14, 2) &&
	    digits(s.ptr + 17, 2) && num2(s.ptr + 11) < 24 && num2(s.ptr + 14) < 60 &&
	    num2(s.ptr + 17) < 60 && s.ptr[4] == '-' &&
	    cs_date_parse(cs_str_make(s.ptr, 10), day, &derr) == CS_OK) {
		memcpy(out, s.ptr, 20);
		out[20] = '\0';
		return CS_OK;
	}
	if (s.len == 10 && cs_date_parse(s, day, &derr) == CS_OK) {
		/* The end of the day in Vietnam (UTC+7). */
		snprintf(out, CS_STORE_TIME_LEN, "%sT16:59:59Z", day);
		return CS_OK;
	}
	return cs_fail(err, CS_EPARSE,
		       "deadline '%.*s': expected a date YYYY-MM-DD (the end of that day in "
		       "Vietnam) or a time YYYY-MM-DDTHH:MM:SSZ",
		       (int)(s.len > 64 ? 64 : s.len), s.ptr);
}

static void read_round(struct cs_stmt *st, struct cs_round *r)
{
	memset(r, 0, sizeof(*r));
	cs_stmt_text_copy(st, 0, r->period, sizeof(r->period));
	cs_stmt_text_copy(st, 1, r->framework, sizeof(r->framework));
	cs_stmt_text_copy(st, 2, r->deadline, sizeof(r->deadline));
	r->closed = cs_stmt_i64(st, 3) != 0;
	cs_stmt_text_copy(st, 4, r->updated_by, sizeof(r->updated_by));
	cs_stmt_text_copy(st, 5, r->updated_at, sizeof(r->updated_at));
}

#define ROUND_COLUMNS "p.code, r.framework, r.deadline, r.closed, r.updated_by, r.updated_at"

enum cs_err cs_round_get(struct cs_store *s, int64_t period_id, const char *fw_code,
			 struct cs_round *out, bool *found, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	enum cs_err rc;

	*found = false;
	rc = cs_stmt_prepare(s,
			     "select " ROUND_COLUMNS " from par_round r join period p on p.id = "
			     "r.period_id where r.period_id = ? and r.framework = ?",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, fw_code, err);
	if (!rc)
		rc = cs_stmt_step(st, found, err);
	if (!rc && *found)
		read_round(st, out);
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_round_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select " ROUND_COLUMNS " from par_round r join period p on p.id = "
			     "r.period_id order by p.starts, p.code, r.framework",
			     &st, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_round *r = cs_vec_push_zero(out, err);

		if (!r) {
			rc = err ? err->code : CS_ENOMEM;
			break;
		}
		read_round(st, r);
	}
	cs_stmt_free(st);
	return rc;
}

/* Runs sql with the integer and text parameters given as a format: "itt" and so on. */
static enum cs_err run(struct cs_store *s, const char *sql, const char *fmt, const int64_t *ints,
		       const char *const *texts, bool *row, struct cs_stmt **keep,
		       struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	size_t ni = 0, nt = 0;
	enum cs_err rc = cs_stmt_prepare(s, sql, &st, err);

	for (int k = 0; !rc && fmt[k]; k++)
		rc = fmt[k] == 'i' ? cs_stmt_bind_i64(st, k + 1, ints[ni++], err)
				   : cs_stmt_bind_textz(st, k + 1, texts[nt++], err);
	if (!rc && row)
		rc = cs_stmt_step(st, row, err);
	else if (!rc)
		rc = cs_stmt_run(st, err);
	if (keep && !rc)
		*keep = st;
	else
		cs_stmt_free(st);
	return rc;
}

static enum cs_err unit_id_of(struct cs_store *s, const char *code, int64_t *id,
			      struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc =
		run(s, "select id from unit where code = ?", "t", NULL, &code, &row, &st, err);

	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "units: no unit '%s'; import it first", code);
	if (!rc)
		*id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return rc;
}

static enum cs_err not_published(struct cs_store *s, const struct cs_period *p, const char *fw_code,
				 struct cs_error *err)
{
	const char *t[1] = {fw_code};
	bool row = false;
	enum cs_err rc = run(s,
			     "select 1 from publication where period_id = ? and kind = 'par' and "
			     "framework = ?",
			     "it", &p->id, t, &row, NULL, err);

	if (!rc && row)
		rc = cs_fail(err, CS_ESTATE,
			     "the results of period '%s' for framework '%s' are published; "
			     "published results never change",
			     p->code, fw_code);
	return rc;
}

/* Adds a unit to the round as a recorded draft, unless it is in already. */
static enum cs_err join(struct cs_store *s, const struct cs_period *p, const char *fw_code,
			const char *unit, const char *now, bool *joined, struct cs_error *err)
{
	char id[ENTITY_ID_MAX];
	int64_t uid = 0, ints[2];
	const char *texts[3];
	bool row = false;
	enum cs_err rc;

	*joined = false;
	rc = unit_id_of(s, unit, &uid, err);
	ints[0] = p->id;
	ints[1] = uid;
	texts[0] = fw_code;
	if (!rc)
		rc = run(s,
			 "select 1 from assessment_state where period_id = ? and unit_id = ? and "
			 "framework = ?",
			 "iit", ints, texts, &row, NULL, err);
	if (rc || row)
		return rc;
	texts[1] = cs_store_actor(s);
	texts[2] = now;
	rc = run(s,
		 "insert into assessment_state (period_id, unit_id, framework, state, "
		 "updated_by, updated_at) values (?, ?, ?, 'draft', ?, ?)",
		 "iittt", ints, texts, NULL, NULL, err);
	snprintf(id, sizeof(id), "%s/%s/%s", p->code, fw_code, unit);
	if (!rc)
		rc = cs_audit_append(s, NULL, "assessment_state", id, "state", NULL, "draft",
				     "added to the round", err);
	if (!rc)
		*joined = true;
	return rc;
}

static enum cs_err set_round(struct cs_store *s, const struct cs_period *p,
			     const struct cs_round_spec *spec, size_t *added, struct cs_error *err)
{
	const char *fw = spec->framework, *deadline = spec->deadline ? spec->deadline : "";
	char now[CS_STORE_TIME_LEN], id[ENTITY_ID_MAX];
	struct cs_round old;
	bool found = false, row = false;
	const char *texts[4];
	int64_t ints[2];
	enum cs_err rc;

	cs_store_now(now);
	texts[0] = fw;
	rc = run(s, "select 1 from methodology where kind = 'framework' and code = ?", "t", NULL,
		 texts, &row, NULL, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "framework: no framework '%s'; import it first",
			     fw);
	if (!rc)
		rc = not_published(s, p, fw, err);
	if (!rc)
		rc = cs_round_get(s, p->id, fw, &old, &found, err);
	if (rc)
		return rc;
	ints[0] = spec->closed;
	ints[1] = p->id;
	texts[0] = spec->deadline;
	texts[1] = cs_store_actor(s);
	texts[2] = now;
	texts[3] = fw;
	if (found)
		rc = run(s,
			 "update par_round set deadline = ?, updated_by = ?, updated_at = ?, "
			 "closed = ? where period_id = ? and framework = ?",
			 "tttiit", ints, (const char *[]){spec->deadline, texts[1], now, fw}, NULL,
			 NULL, err);
	else
		rc = run(s,
			 "insert into par_round (deadline, updated_by, updated_at, framework, "
			 "closed, period_id) values (?, ?, ?, ?, ?, ?)",
			 "ttttii", ints, texts, NULL, NULL, err);
	snprintf(id, sizeof(id), "%s/%s", p->code, fw);
	if (!rc && (!found || strcmp(old.deadline, deadline) != 0))
		rc = cs_audit_append(s, NULL, "round", id, "deadline",
				     found && old.deadline[0] ? old.deadline : NULL,
				     *deadline ? deadline : NULL, NULL, err);
	if (!rc && (!found || old.closed != spec->closed))
		rc = cs_audit_append(s, NULL, "round", id, "closed",
				     found ? (old.closed ? "yes" : "no") : NULL,
				     spec->closed ? "yes" : "no", NULL, err);
	for (size_t i = 0; !rc && i < spec->nunits; i++) {
		bool joined = false;

		rc = join(s, p, fw, spec->units[i], now, &joined, err);
		if (!rc && joined && added)
			(*added)++;
	}
	return rc;
}

enum cs_err cs_round_set(struct cs_store *s, const struct cs_period *p,
			 const struct cs_round_spec *spec, size_t *added, struct cs_error *err)
{
	size_t n = 0;
	enum cs_err rc = cs_store_begin(s, err);

	if (rc)
		return rc;
	rc = set_round(s, p, spec, &n, err);
	if (!rc)
		rc = cs_store_commit(s, err);
	else
		cs_store_rollback(s);
	if (added)
		*added = rc ? 0 : n;
	return rc;
}

enum cs_err cs_round_reopen(struct cs_store *s, const struct cs_period *p, const char *fw_code,
			    const char *unit, const char *until, const char *reason,
			    struct cs_error *err)
{
	char now[CS_STORE_TIME_LEN], id[ENTITY_ID_MAX], old[CS_STORE_TIME_LEN] = "";
	struct cs_stmt *st = NULL;
	struct cs_round r;
	int64_t uid = 0, ints[2];
	bool found = false, row = false;
	enum cs_err rc;

	if (!reason || !*reason || strlen(reason) > CS_ROUND_REASON_MAX)
		return cs_fail(err, CS_EINVAL,
			       "reason: %s; a reopening must say why (at most %d bytes)",
			       reason && *reason ? "too long" : "empty", CS_ROUND_REASON_MAX);
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	rc = cs_round_get(s, p->id, fw_code, &r, &found, err);
	if (!rc && !found)
		rc = cs_fail(err, CS_ENOTFOUND,
			     "period '%s' has no round for framework '%s'; open one first", p->code,
			     fw_code);
	if (!rc)
		rc = unit_id_of(s, unit, &uid, err);
	ints[0] = p->id;
	ints[1] = uid;
	if (!rc)
		rc = run(s,
			 "select until from round_reopen where period_id = ? and unit_id = ? and "
			 "framework = ?",
			 "iit", ints, &fw_code, &row, &st, err);
	if (!rc && row)
		cs_stmt_text_copy(st, 0, old, sizeof(old));
	cs_stmt_free(st);
	cs_store_now(now);
	if (!rc && row)
		rc = run(
			s,
			"update round_reopen set until = ?, reason = ?, updated_by = ?, updated_at "
			"= ? where period_id = ? and unit_id = ? and framework = ?",
			"ttttiit", ints,
			(const char *[]){until, reason, cs_store_actor(s), now, fw_code}, NULL,
			NULL, err);
	else if (!rc)
		rc = run(s,
			 "insert into round_reopen (until, reason, updated_by, updated_at, "
			 "framework, period_id, unit_id) values (?, ?, ?, ?, ?, ?, ?)",
			 "tttttii", ints,
			 (const char *[]){until, reason, cs_store_actor(s), now, fw_code}, NULL,
			 NULL, err);
	snprintf(id, sizeof(id), "%s/%s/%s", p->code, fw_code, unit);
	if (!rc)
		rc = cs_audit_append(s, NULL, "round", id, "reopened_until", old[0] ? old : NULL,
				     until, reason, err);
	if (!rc)
		rc = cs_store_commit(s, err);
	else
		cs_store_rollback(s);
	return rc;
}

enum cs_err cs_round_may_submit(struct cs_store *s, const struct cs_period *p, const char *fw_code,
				int64_t unit_id, const char *unit, const char *now, char *until,
				struct cs_error *err)
{
	char reopened[CS_STORE_TIME_LEN] = "";
	struct cs_stmt *st = NULL;
	struct cs_round r;
	int64_t ints[2] = {p->id, unit_id};
	bool found = false, row = false;
	enum cs_err rc;

	rc = cs_round_get(s, p->id, fw_code, &r, &found, err);
	if (!rc)
		rc = run(s,
			 "select until from round_reopen where period_id = ? and unit_id = ? and "
			 "framework = ?",
			 "iit", ints, &fw_code, &row, &st, err);
	if (!rc && row)
		cs_stmt_text_copy(st, 0, reopened, sizeof(reopened));
	cs_stmt_free(st);
	if (until)
		snprintf(until, CS_STORE_TIME_LEN, "%s", reopened);
	if (rc || !found)
		return rc;
	if (reopened[0] && strcmp(now, reopened) <= 0)
		return CS_OK;
	if (r.closed)
		return cs_fail(err, CS_ESTATE,
			       "the round of period '%s' for framework '%s' is closed; an "
			       "administrator may reopen unit '%s'",
			       p->code, fw_code, unit);
	if (r.deadline[0] && strcmp(now, r.deadline) > 0)
		return cs_fail(
			err, CS_ESTATE,
			"the deadline of the round of period '%s' for framework '%s' was %s; "
			"an administrator may reopen unit '%s'",
			p->code, fw_code, r.deadline, unit);
	return CS_OK;
}

enum cs_err cs_round_units(struct cs_store *s, int64_t period_id, const char *fw_code,
			   struct cs_arena *arena, struct cs_vec *out, struct cs_error *err)
{
	/* The period and framework appear as parameters (?1 is not portable). */
	static const char sql[] =
		"select u.id, u.code, u.name, st.state, "
		"(select count(*) from assessment a where a.period_id = ? and a.framework = ? and "
		"a.unit_id = u.id and (a.self_score is not null or a.self_na = 1)), "
		"(select count(*) from assessment a where a.period_id = ? and a.framework = ? and "
		"a.unit_id = u.id and (a.appraised_score is not null or a.appraised_na = 1)), "
		"(select count(*) from explanation e where e.period_id = ? and e.framework = ? and "
		"e.unit_id = u.id and e.answer is null), "
		"(select r.until from round_reopen r where r.period_id = ? and r.framework = ? and "
		"r.unit_id = u.id) "
		"from unit u left join assessment_state st on st.unit_id = u.id and st.period_id = "
		"? and st.framework = ? "
		"where st.unit_id is not null or exists (select 1 from assessment a where "
		"a.period_id = ? and a.framework = ? and a.unit_id = u.id) "
		"order by u.code";
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s, sql, &st, err);

	for (int k = 0; !rc && k < 6; k++) {
		rc = cs_stmt_bind_i64(st, 2 * k + 1, period_id, err);
		if (!rc)
			rc = cs_stmt_bind_textz(st, 2 * k + 2, fw_code, err);
	}
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_round_unit *u = cs_vec_push_zero(out, err);
		const char *t;
		size_t len = 0;

		if (!u) {
			rc = err ? err->code : CS_ENOMEM;
			break;
		}
		u->unit_id = cs_stmt_i64(st, 0);
		t = cs_stmt_text(st, 1, &len);
		u->code = cs_arena_strndup(arena, t ? t : "", t ? len : 0);
		t = cs_stmt_text(st, 2, &len);
		u->name = cs_arena_strndup(arena, t ? t : "", t ? len : 0);
		t = cs_stmt_text(st, 3, &len);
		u->state = CS_WF_DRAFT;
		if (t && !cs_wf_state_parse(cs_str_make(t, len), &u->state)) {
			rc = cs_fail(err, CS_ESTORE, "unknown workflow state '%s' in the database",
				     t);
			break;
		}
		u->self_scores = cs_stmt_i64(st, 4);
		u->appraised_scores = cs_stmt_i64(st, 5);
		u->open_questions = cs_stmt_i64(st, 6);
		t = cs_stmt_text(st, 7, &len);
		u->reopened_until = t ? cs_arena_strndup(arena, t, len) : NULL;
		if (!u->code || !u->name || (t && !u->reopened_until))
			rc = cs_fail(err, CS_ENOMEM, NULL);
	}
	cs_stmt_free(st);
	return rc;
}
