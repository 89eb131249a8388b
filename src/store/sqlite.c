/*
 * The SQLite backend: one database file in WAL mode, opened by one thread at a
 * time, behind the ops table of store/backend.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "store/backend.h"
#include "util/alloc.h"

#include "util/banned.h"

struct sqlite_store {
	struct cs_store base; /* first, so that a struct cs_store * points here */
	sqlite3 *db;
};

struct sqlite_stmt {
	struct cs_stmt base;
	sqlite3_stmt *st;
	sqlite3 *db; /* for error messages */
};

/* Milliseconds a statement waits for another writer before giving up. */
#define BUSY_TIMEOUT_MS 5000

static sqlite3 *db_of(struct cs_store *s)
{
	return ((struct sqlite_store *)s)->db;
}

static struct sqlite_stmt *stmt_of(struct cs_stmt *st)
{
	return (struct sqlite_stmt *)st;
}

/*
 * Turns a SQLite result code into a chiso error. The extended codes (switched
 * on at open) tell a unique violation from a foreign-key one, which callers
 * report differently: "already exists" versus "still in use".
 */
static enum cs_err fail_rc(struct cs_error *err, sqlite3 *db, int rc)
{
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

	switch (rc) {
	case SQLITE_NOMEM:
		return cs_fail(err, CS_ENOMEM, NULL);
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return cs_fail(err, CS_EEXIST, "%s", msg);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return cs_fail(err, CS_ECONFLICT, "%s", msg);
	default:
		return cs_fail(err, CS_ESTORE, "%s", msg);
	}
}

static void sqlite_close(struct cs_store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;

	/* close_v2 rather than close: a statement the caller forgot would
	 * otherwise keep the file open for ever without telling anyone. */
	sqlite3_close_v2(ss->db);
	cs_free(ss);
}

/* True for targets that name no file, which therefore cannot be "missing". */
static bool is_memory(const char *target)
{
	return strcmp(target, ":memory:") == 0;
}

/*
 * SQLite would report a missing file as "unable to open database file";
 * looking first lets the message say what to do about it.
 */
static enum cs_err check_exists(const char *path, struct cs_error *err)
{
	struct stat st;
	char why[128];

	if (stat(path, &st) == 0)
		return CS_OK;
	if (errno == ENOENT)
		return cs_fail(err, CS_ENOTFOUND, "no database at '%s'; run 'chiso init' first",
			       path);
	if (strerror_r(errno, why, sizeof(why)) != 0)
		why[0] = '\0';
	return cs_fail(err, CS_EIO, "cannot open database '%s': %s", path, why);
}

static enum cs_err run_pragma(sqlite3 *db, const char *target, const char *sql,
			      struct cs_error *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	enum cs_err e;

	if (rc == SQLITE_OK)
		return CS_OK;
	e = fail_rc(err, db, rc);
	if (e != CS_ENOMEM)
		cs_error_prefix(err, "database '%s'", target);
	return e;
}

static enum cs_err sqlite_open(const char *target, int flags, struct cs_store **out,
			       struct cs_error *err)
{
	bool readonly = flags & CS_STORE_READONLY;
	int oflags = SQLITE_OPEN_NOMUTEX; /* each handle is used by one thread */
	struct sqlite_store *ss = NULL;
	enum cs_err rc;
	int src;

	*out = NULL;
	if (!is_memory(target) && (readonly || !(flags & CS_STORE_CREATE))) {
		rc = check_exists(target, err);
		if (rc)
			return rc;
	}
	if (readonly)
		oflags |= SQLITE_OPEN_READONLY;
	else if (flags & CS_STORE_CREATE)
		oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	else
		oflags |= SQLITE_OPEN_READWRITE;

	ss = cs_calloc(1, sizeof(*ss));
	if (!ss)
		return cs_fail(err, CS_ENOMEM, NULL);
	ss->base.ops = &cs_store_sqlite_ops;

	src = sqlite3_open_v2(target, &ss->db, oflags, NULL);
	if (src != SQLITE_OK) {
		if (!ss->db || src == SQLITE_NOMEM) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
		} else {
			rc = cs_fail(err, CS_ESTORE, "cannot open database '%s': %s", target,
				     sqlite3_errmsg(ss->db));
		}
		goto fail;
	}
	sqlite3_extended_result_codes(ss->db, 1);
	sqlite3_busy_timeout(ss->db, BUSY_TIMEOUT_MS);

	/* Reading the schema first turns "not a database" and a corrupt
	 * header into an error at open rather than at the first query. */
	rc = run_pragma(ss->db, target, "select count(*) from sqlite_master", err);
	if (rc)
		goto fail;
	/* WAL lets readers work while one writer writes; in WAL mode
	 * synchronous=NORMAL loses no committed data on a crash of the
	 * program, only possibly the last transactions on a power cut. The
	 * journal mode is stored in the file, so a reader leaves it alone. */
	if (!readonly) {
		rc = run_pragma(ss->db, target, "pragma journal_mode=WAL", err);
		if (rc)
			goto fail;
	}
	rc = run_pragma(ss->db, target, "pragma foreign_keys=ON; pragma synchronous=NORMAL", err);
	if (rc)
		goto fail;
	*out = &ss->base;
	return CS_OK;
fail:
	sqlite3_close_v2(ss->db);
	cs_free(ss);
	return rc;
}

static enum cs_err sqlite_exec(struct cs_store *s, const char *sql, struct cs_error *err)
{
	int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? CS_OK : fail_rc(err, db_of(s), rc);
}

static enum cs_err sqlite_begin(struct cs_store *s, struct cs_error *err)
{
	/* IMMEDIATE takes the write lock now, so a second writer waits (or
	 * fails) here instead of half-way through its work. */
	return sqlite_exec(s, "begin immediate", err);
}

static enum cs_err sqlite_commit(struct cs_store *s, struct cs_error *err)
{
	return sqlite_exec(s, "commit", err);
}

static void sqlite_rollback(struct cs_store *s)
{
	if (!sqlite3_get_autocommit(db_of(s)))
		sqlite3_exec(db_of(s), "rollback", NULL, NULL, NULL);
}

static enum cs_err sqlite_prepare(struct cs_store *s, const char *sql, struct cs_stmt **out,
				  struct cs_error *err)
{
	struct sqlite_stmt *st;
	int rc;

	*out = NULL;
	st = cs_calloc(1, sizeof(*st));
	if (!st)
		return cs_fail(err, CS_ENOMEM, NULL);
	st->base.ops = &cs_store_sqlite_ops;
	st->db = db_of(s);
	rc = sqlite3_prepare_v2(st->db, sql, -1, &st->st, NULL);
	if (rc != SQLITE_OK) {
		enum cs_err e = fail_rc(err, st->db, rc);

		sqlite3_finalize(st->st);
		cs_free(st);
		return e;
	}
	if (!st->st) {
		/* Only white space or comments: nothing to run, and SQLite
		 * gives no statement. Treat it as a caller's mistake. */
		cs_free(st);
		return cs_fail(err, CS_EINVAL, "empty SQL statement");
	}
	*out = &st->base;
	return CS_OK;
}

static void sqlite_finalize(struct cs_stmt *st)
{
	struct sqlite_stmt *sst = stmt_of(st);

	sqlite3_finalize(sst->st);
	cs_free(sst);
}

static enum cs_err bind_result(struct sqlite_stmt *sst, int rc, struct cs_error *err)
{
	return rc == SQLITE_OK ? CS_OK : fail_rc(err, sst->db, rc);
}

static enum cs_err sqlite_bind_text(struct cs_stmt *st, int idx, const char *v, size_t len,
				    struct cs_error *err)
{
	struct sqlite_stmt *sst = stmt_of(st);

	if (!v)
		return bind_result(sst, sqlite3_bind_null(sst->st, idx), err);
	return bind_result(
		sst, sqlite3_bind_text64(sst->st, idx, v, len, SQLITE_TRANSIENT, SQLITE_UTF8), err);
}

static enum cs_err sqlite_bind_i64(struct cs_stmt *st, int idx, int64_t v, struct cs_error *err)
{
	struct sqlite_stmt *sst = stmt_of(st);

	return bind_result(sst, sqlite3_bind_int64(sst->st, idx, v), err);
}

static enum cs_err sqlite_bind_double(struct cs_stmt *st, int idx, double v, struct cs_error *err)
{
	struct sqlite_stmt *sst = stmt_of(st);

	return bind_result(sst, sqlite3_bind_double(sst->st, idx, v), err);
}

static enum cs_err sqlite_bind_null(struct cs_stmt *st, int idx, struct cs_error *err)
{
	struct sqlite_stmt *sst = stmt_of(st);

	return bind_result(sst, sqlite3_bind_null(sst->st, idx), err);
}

static enum cs_err sqlite_step(struct cs_stmt *st, bool *row, struct cs_error *err)
{
	struct sqlite_stmt *sst = stmt_of(st);
	int rc = sqlite3_step(sst->st);

	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return CS_OK;
	return fail_rc(err, sst->db, rc);
}

static enum cs_err sqlite_reset(struct cs_stmt *st, struct cs_error *err)
{
	struct sqlite_stmt *sst = stmt_of(st);

	/* sqlite3_reset repeats the error of the last step; that error has
	 * been reported already, and the statement is reset regardless. */
	(void)err;
	sqlite3_reset(sst->st);
	return CS_OK;
}

static bool sqlite_is_null(struct cs_stmt *st, int col)
{
	return sqlite3_column_type(stmt_of(st)->st, col) == SQLITE_NULL;
}

static int64_t sqlite_col_i64(struct cs_stmt *st, int col)
{
	return sqlite3_column_int64(stmt_of(st)->st, col);
}

static double sqlite_col_double(struct cs_stmt *st, int col)
{
	return sqlite3_column_double(stmt_of(st)->st, col);
}

static const char *sqlite_col_text(struct cs_stmt *st, int col, size_t *len)
{
	sqlite3_stmt *s = stmt_of(st)->st;
	const char *p;

	/* Text first, then its length: the order SQLite documents, since
	 * converting a number to text changes the byte count. NULL comes back as
	 * a NULL pointer (empty text as ""), so no type query is needed. */
	p = (const char *)sqlite3_column_text(s, col);
	if (len)
		*len = p ? (size_t)sqlite3_column_bytes(s, col) : 0;
	return p;
}

const struct cs_store_ops cs_store_sqlite_ops = {
	.name = "sqlite",
	.id_column = "integer primary key",
	.open = sqlite_open,
	.close = sqlite_close,
	.exec = sqlite_exec,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.prepare = sqlite_prepare,
	.finalize = sqlite_finalize,
	.bind_text = sqlite_bind_text,
	.bind_i64 = sqlite_bind_i64,
	.bind_double = sqlite_bind_double,
	.bind_null = sqlite_bind_null,
	.step = sqlite_step,
	.reset = sqlite_reset,
	.is_null = sqlite_is_null,
	.col_i64 = sqlite_col_i64,
	.col_double = sqlite_col_double,
	.col_text = sqlite_col_text,
};
