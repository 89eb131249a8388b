/*
 * The storage interface. Callers see a database handle and prepared
 * statements with `?` placeholders; a backend (SQLite by default, PostgreSQL
 * later) implements them as a table of operations (struct cs_store_ops in
 * store/backend.h). SQL written by callers stays in the portable subset that
 * both dialects accept: `?` parameters, `insert ... returning`, ISO dates as
 * text, no SQLite-only functions.
 */
#ifndef CHISO_STORE_STORE_H
#define CHISO_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"

struct cs_store;
struct cs_stmt;

/* The database used when neither --db nor CHISO_DB names one. */
#define CS_STORE_DEFAULT "chiso.db"

enum cs_store_flags {
	CS_STORE_CREATE = 1 << 0,   /* create the database when it does not exist */
	CS_STORE_READONLY = 1 << 1, /* open for reading only (no migrations run) */
};

/*
 * Opens the database named by target: a file path for SQLite, or a
 * postgres:// URL. Without CS_STORE_CREATE a missing database is CS_ENOTFOUND.
 * Brings an older schema up to date by running the missing migrations, each
 * in its own transaction; a schema newer than this program knows is
 * CS_ESCHEMA and the database is left untouched. *out is owned by the caller
 * and closed with cs_store_close.
 */
enum cs_err cs_store_open(const char *target, int flags, struct cs_store **out,
			  struct cs_error *err);

/* Closes the database; NULL is a no-op. Unfinished transactions roll back. */
void cs_store_close(struct cs_store *s);

/* The schema version the database is at, and the newest this program knows. */
int cs_store_schema_version(const struct cs_store *s);
int cs_store_schema_latest(void);

/* The backend's name ("sqlite"). */
const char *cs_store_backend(const struct cs_store *s);

/* Runs SQL without parameters or results (one or more statements). */
enum cs_err cs_store_exec(struct cs_store *s, const char *sql, struct cs_error *err);

/*
 * Transactions. cs_store_begin takes the write lock at once, so that an
 * import fails early rather than half-way. Nested calls are not supported.
 */
enum cs_err cs_store_begin(struct cs_store *s, struct cs_error *err);
enum cs_err cs_store_commit(struct cs_store *s, struct cs_error *err);
void cs_store_rollback(struct cs_store *s);

/* Prepares one statement; *out is finalised with cs_stmt_free. */
enum cs_err cs_stmt_prepare(struct cs_store *s, const char *sql, struct cs_stmt **out,
			    struct cs_error *err);

/* Finalises st; NULL is a no-op. */
void cs_stmt_free(struct cs_stmt *st);

/*
 * Binds parameter idx (1-based). Text is copied; a NULL v binds SQL NULL.
 * cs_stmt_bind_textz binds a NUL-terminated string (or NULL).
 */
enum cs_err cs_stmt_bind_text(struct cs_stmt *st, int idx, const char *v, size_t len,
			      struct cs_error *err);
enum cs_err cs_stmt_bind_textz(struct cs_stmt *st, int idx, const char *v, struct cs_error *err);
enum cs_err cs_stmt_bind_i64(struct cs_stmt *st, int idx, int64_t v, struct cs_error *err);
enum cs_err cs_stmt_bind_double(struct cs_stmt *st, int idx, double v, struct cs_error *err);
enum cs_err cs_stmt_bind_null(struct cs_stmt *st, int idx, struct cs_error *err);

/*
 * Runs the statement to its next row: *row is true when a row is available
 * through the column functions, false when the statement is done.
 */
enum cs_err cs_stmt_step(struct cs_stmt *st, bool *row, struct cs_error *err);

/* Makes the statement ready to run again; bindings are kept. */
enum cs_err cs_stmt_reset(struct cs_stmt *st, struct cs_error *err);

/* Columns of the current row (0-based). Text is valid until the next step. */
bool cs_stmt_is_null(struct cs_stmt *st, int col);
int64_t cs_stmt_i64(struct cs_stmt *st, int col);
double cs_stmt_double(struct cs_stmt *st, int col);
const char *cs_stmt_text(struct cs_stmt *st, int col, size_t *len); /* NULL for SQL NULL */

/* Runs a statement that returns no rows (insert, update, delete) to its end. */
enum cs_err cs_stmt_run(struct cs_stmt *st, struct cs_error *err);

#endif
