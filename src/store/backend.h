/*
 * What a storage backend implements: one table of operations. A backend's
 * handle and statement structs start with the base structs below, so the
 * generic layer (store.c) can find the ops table of any handle.
 */
#ifndef CHISO_STORE_BACKEND_H
#define CHISO_STORE_BACKEND_H

#include "store/store.h"

struct cs_store_ops;

struct cs_store {
	const struct cs_store_ops *ops;
	int schema_version;
};

struct cs_stmt {
	const struct cs_store_ops *ops;
};

struct cs_store_ops {
	const char *name;
	/* The URL scheme that selects this backend ("postgres://"), or NULL for
	 * the default backend that takes file paths. */
	const char *scheme;
	/* Replaces @ID@ in migrations: an auto-numbered integer primary key. */
	const char *id_column;

	enum cs_err (*open)(const char *target, int flags, struct cs_store **out,
			    struct cs_error *err);
	void (*close)(struct cs_store *s);
	enum cs_err (*exec)(struct cs_store *s, const char *sql, struct cs_error *err);
	enum cs_err (*begin)(struct cs_store *s, struct cs_error *err);
	enum cs_err (*commit)(struct cs_store *s, struct cs_error *err);
	void (*rollback)(struct cs_store *s);

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
