/*
 * What a storage backend implements: one table of operations. A backend's
 * handle and statement structs start with the base structs below, so the
 * generic layer (store.c) can find the ops table of any handle.
 */
#ifndef CHISO_STORE_BACKEND_H
#define CHISO_STORE_BACKEND_H

#include "store/store.h"

struct cs_store_ops;

/*
 * The part of every handle that the generic layer owns. A backend allocates
 * its handle zeroed (cs_calloc) and sets ops; store.c fills in the rest.
 */
struct cs_store {
	const struct cs_store_ops *ops;
	int schema_version;
	char actor[CS_STORE_ACTOR_MAX]; /* who writes, for the audit log; "" means "cli" */
	struct cs_stmt *audit_insert;	/* prepared on first use by audit.c, finalised on close */
};

struct cs_stmt {
	const struct cs_store_ops *ops;
};

/*
 * A backend. The generic layer picks one by the target's URL scheme (the
 * table in store.c) and calls these; none of them is called with NULL
 * handles. Errors are reported through err like everywhere else: a unique
 * violation is CS_EEXIST, a foreign-key violation CS_ECONFLICT, anything else
 * the database refuses CS_ESTORE with the database's own message.
 */
struct cs_store_ops {
	const char *name;
	/* Replaces @ID@ in migrations: an auto-numbered integer primary key. */
	const char *id_column;

	/* Opens target (a path or URL) honouring CS_STORE_CREATE and
	 * CS_STORE_READONLY. A missing database without CS_STORE_CREATE is
	 * CS_ENOTFOUND. Migrations are not the backend's business. */
	enum cs_err (*open)(const char *target, int flags, struct cs_store **out,
			    struct cs_error *err);
	void (*close)(struct cs_store *s);
	enum cs_err (*exec)(struct cs_store *s, const char *sql, struct cs_error *err);
	enum cs_err (*begin)(struct cs_store *s, struct cs_error *err);
	enum cs_err (*commit)(struct cs_store *s, struct cs_error *err);
	void (*rollback)(struct cs_store *s);

	/* SQL arrives with `?` placeholders; a backend whose database wants
	 * another style ($1, $2, ... for PostgreSQL) translates here. */
	enum cs_err (*prepare)(struct cs_store *s, const char *sql, struct cs_stmt **out,
			       struct cs_error *err);
	void (*finalize)(struct cs_stmt *st);
	enum cs_err (*bind_text)(struct cs_stmt *st, int idx, const char *v, size_t len,
				 struct cs_error *err);
	enum cs_err (*bind_i64)(struct cs_stmt *st, int idx, int64_t v, struct cs_error *err);
	enum cs_err (*bind_double)(struct cs_stmt *st, int idx, double v, struct cs_error *err);
	enum cs_err (*bind_null)(struct cs_stmt *st, int idx, struct cs_error *err);
	enum cs_err (*step)(struct cs_stmt *st, bool *row, struct cs_error *err);
	enum cs_err (*reset)(struct cs_stmt *st, struct cs_error *err);
	bool (*is_null)(struct cs_stmt *st, int col);
	int64_t (*col_i64)(struct cs_stmt *st, int col);
	double (*col_double)(struct cs_stmt *st, int col);
	const char *(*col_text)(struct cs_stmt *st, int col, size_t *len);
};

/* The SQLite backend (store/sqlite.c). */
extern const struct cs_store_ops cs_store_sqlite_ops;

#endif
