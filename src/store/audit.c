/* Appending to the audit log, with the insert statement kept prepared per handle. */
#include "store/audit.h"
#include "store/backend.h"

#include "util/banned.h"

enum cs_err cs_audit_append(struct cs_store *s, const char *actor, const char *entity,
			    const char *entity_id, const char *field, const char *old_value,
			    const char *new_value, const char *reason, struct cs_error *err)
{
	char now[CS_STORE_TIME_LEN];
	struct cs_stmt *st;
	enum cs_err rc;

	/* An import writes a row per changed field of every unit: preparing
	 * the statement once keeps that from dominating the import. */
	if (!s->audit_insert) {
		rc = cs_stmt_prepare(
			s,
			"insert into audit (at, actor, entity, entity_id, field, "
			"old_value, new_value, reason) values (?, ?, ?, ?, ?, ?, ?, ?)",
			&s->audit_insert, err);
		if (rc)
			return rc;
	}
	st = s->audit_insert;
	cs_store_now(now);
	rc = cs_stmt_bind_textz(st, 1, now, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, actor ? actor : cs_store_actor(s), err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, entity, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 4, entity_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 5, field, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 6, old_value, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 7, new_value, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 8, reason, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	return rc;
}
