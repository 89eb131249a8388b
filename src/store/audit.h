/*
 * The audit log: an append-only record, one row per changed field, of who
 * changed what, from which value to which, and why. Rows are inserted and
 * never updated or deleted.
 */
#ifndef CHISO_STORE_AUDIT_H
#define CHISO_STORE_AUDIT_H

#include "chiso/error.h"
#include "store/store.h"

/*
 * Appends one audit row stamped with the current UTC time (cs_store_now).
 * actor NULL means cs_store_actor(s). entity is the kind of thing ("unit",
 * "period", "assessment"), entity_id its code, field the column or attribute
 * changed; old_value is NULL for something new, new_value NULL for something
 * removed; reason may be NULL. Call it inside the transaction that makes the
 * change, so that the change and its record commit or roll back together.
 * Returns CS_ESTORE (or CS_ENOMEM) when the row cannot be written. The insert
 * statement is prepared once per handle and kept until cs_store_close.
 */
enum cs_err cs_audit_append(struct cs_store *s, const char *actor, const char *entity,
			    const char *entity_id, const char *field, const char *old_value,
			    const char *new_value, const char *reason, struct cs_error *err);

#endif
