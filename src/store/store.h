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
 * postgres:// URL (CS_EINVAL while no PostgreSQL backend is built in). Without
 * CS_STORE_CREATE a missing database is CS_ENOTFOUND. Brings an older schema
 * up to date by running the missing migrations, each in its own transaction;
 * a schema newer than this program knows is CS_ESCHEMA and the database is
 * left untouched. With CS_STORE_READONLY nothing is written: a schema that is
 * not exactly the latest is CS_ESCHEMA. A failing migration returns its error
 * (prefixed with the migration's name) with the earlier ones kept. *out is
 * owned by the caller and closed with cs_store_close; it is NULL on failure.
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

/* Longest actor name kept, including the terminating NUL. */
#define CS_STORE_ACTOR_MAX 64

/*
 * Names who makes the changes written through s (a login, "cli"), recorded in
 * the audit log. The name is copied; NULL restores the default "cli". CS_EINVAL
 * when it is empty or longer than CS_STORE_ACTOR_MAX - 1 bytes.
 */
enum cs_err cs_store_set_actor(struct cs_store *s, const char *actor, struct cs_error *err);

/* The actor set with cs_store_set_actor, or "cli"; owned by s. */
const char *cs_store_actor(const struct cs_store *s);

/* Room for an ISO 8601 UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define CS_STORE_TIME_LEN 21

/*
 * Writes the current UTC time as "YYYY-MM-DDTHH:MM:SSZ", the form of every
 * timestamp stored (audit rows, applied migrations). The clock lives here, in
 * the storage layer, never in core/.
 */
void cs_store_now(char out[CS_STORE_TIME_LEN]);

/* Runs SQL without parameters or results (one or more statements). */
enum cs_err cs_store_exec(struct cs_store *s, const char *sql, struct cs_error *err);

/*
 * Transactions. cs_store_begin takes the write lock at once, so that an
 * import fails early rather than half-way. Nested calls are not supported.
 * A commit that fails (a deferred constraint, a full disk) rolls back before
 * returning. cs_store_rollback outside a transaction does nothing.
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

/*
 * Copies text column col of the current row into out (cap bytes, NUL
 * included): SQL NULL as "", a longer value cut at a UTF-8 character
 * boundary so that the copy stays valid text.
 */
void cs_stmt_text_copy(struct cs_stmt *st, int col, char *out, size_t cap);

/*
 * Runs a statement that returns no rows (insert, update, delete) to its end,
 * skipping any rows it does return, and resets it (bindings kept) so that it
 * can be bound and run again. The reset happens on failure too.
 */
enum cs_err cs_stmt_run(struct cs_stmt *st, struct cs_error *err);

#endif
