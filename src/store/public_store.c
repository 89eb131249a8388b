/*
 * Periods marked public (public_store.h): one row per public period in
 * public_period (migration 0006), audited when it comes or goes.
 */
#include <string.h>

#include "store/audit.h"
#include "store/public_store.h"

#include "util/banned.h"

enum cs_err cs_public_period_is(struct cs_store *s, int64_t period_id, bool *out,
				struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	enum cs_err rc;

	*out = false;
	rc = cs_stmt_prepare(s, "select 1 from public_period where period_id = ?", &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_step(st, out, err);
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_public_period_set(struct cs_store *s, const struct cs_period *p, bool on,
				 bool *changed, struct cs_error *err)
{
	char now[CS_STORE_TIME_LEN];
	struct cs_stmt *st = NULL;
	bool was = false;
	enum cs_err rc;

	if (changed)
		*changed = false;
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	rc = cs_public_period_is(s, p->id, &was, err);
	if (rc || was == on)
		goto out;
	if (on) {
		cs_store_now(now);
		rc = cs_stmt_prepare(s,
				     "insert into public_period (period_id, marked_at, marked_by) "
				     "values (?, ?, ?)",
				     &st, err);
		if (!rc)
			rc = cs_stmt_bind_textz(st, 2, now, err);
		if (!rc)
			rc = cs_stmt_bind_textz(st, 3, cs_store_actor(s), err);
	} else {
		rc = cs_stmt_prepare(s, "delete from public_period where period_id = ?", &st, err);
	}
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, p->id, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	if (rc == CS_ECONFLICT)
		rc = cs_fail(err, CS_ECONFLICT, "period '%s' (id %lld) is not in the database",
			     p->code, (long long)p->id);
	if (!rc)
		rc = cs_audit_append(s, NULL, "period", p->code, "public", on ? "no" : "yes",
				     on ? "yes" : "no", NULL, err);
	if (!rc && changed)
		*changed = true;
out:
	cs_stmt_free(st);
	if (rc) {
		cs_store_rollback(s);
		return rc;
	}
	return cs_store_commit(s, err);
}

enum cs_err cs_public_period_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	struct cs_vec all, ids;
	bool row = true;
	enum cs_err rc;

	cs_vec_init(&all, sizeof(struct cs_period), 0);
	cs_vec_init(&ids, sizeof(int64_t), 0);
	rc = cs_stmt_prepare(s, "select period_id from public_period", &st, err);
	while (!rc && row) {
		int64_t id;

		rc = cs_stmt_step(st, &row, err);
		if (!rc && row) {
			id = cs_stmt_i64(st, 0);
			rc = cs_vec_push(&ids, &id, err);
		}
	}
	if (!rc && ids.len)
		rc = cs_period_store_list(s, &all, err);
	for (size_t i = 0; !rc && i < all.len; i++) {
		const struct cs_period *p = cs_vec_at(&all, i);

		for (size_t k = 0; !rc && k < ids.len; k++)
			if (*(int64_t *)cs_vec_at(&ids, k) == p->id)
				rc = cs_vec_push(out, p, err);
	}
	cs_stmt_free(st);
	cs_vec_release(&ids);
	cs_vec_release(&all);
	return rc;
}
