/* Tests of the storage layer (store.c, sqlite.c, audit.c) on databases in a temporary directory. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/audit.h"
#include "store/migrations.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

static char dir[4096];
static int serial;

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[8192];

	(void)state;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(dir);
}

/* A fresh database path in the temporary directory. */
static void new_path(char *out, size_t cap)
{
	snprintf(out, cap, "%s/db%d.sqlite", dir, serial++);
}

/* Removes a database and its WAL files. */
static void remove_db(const char *path)
{
	char p[8192];

	unlink(path);
	if (snprintf(p, sizeof(p), "%s-wal", path) < (int)sizeof(p))
		unlink(p);
	if (snprintf(p, sizeof(p), "%s-shm", path) < (int)sizeof(p))
		unlink(p);
}

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The whole content of a file (caller frees), for before/after comparisons. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static struct cs_store *open_new(char *path, size_t cap)
{
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	new_path(path, cap);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_OK);
	assert_non_null(s);
	return s;
}

/* The single integer a query returns. */
static int64_t q_i64(struct cs_store *s, const char *sql)
{
	struct cs_stmt *st = NULL;
	struct cs_error err = {0};
	bool row = false;
	int64_t v;

	assert_int_equal(cs_stmt_prepare(s, sql, &st, &err), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, &err), CS_OK);
	assert_true(row);
	v = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return v;
}

/* The single text a query returns, copied into out. */
static void q_text(struct cs_store *s, const char *sql, char *out, size_t cap)
{
	struct cs_stmt *st = NULL;
	struct cs_error err = {0};
	bool row = false;
	const char *v;

	assert_int_equal(cs_stmt_prepare(s, sql, &st, &err), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, &err), CS_OK);
	assert_true(row);
	v = cs_stmt_text(st, 0, NULL);
	assert_non_null(v);
	snprintf(out, cap, "%s", v);
	cs_stmt_free(st);
}

static void assert_timestamp(const char *t)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	assert_int_equal(strlen(t), strlen(shape));
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == 'd')
			assert_true(t[i] >= '0' && t[i] <= '9');
		else
			assert_int_equal(t[i], shape[i]);
	}
}

static void test_open_creates_and_migrates(void **state)
{
	char path[8192];
	char text[256];
	struct cs_store *s;

	(void)state;
	s = open_new(path, sizeof(path));
	assert_true(file_exists(path));
	assert_string_equal(cs_store_backend(s), "sqlite");
	assert_int_equal(cs_store_schema_latest(), (int)cs_migration_count);
	assert_true(cs_migration_count >= 1);
	assert_int_equal(cs_store_schema_version(s), cs_store_schema_latest());
	assert_int_equal(q_i64(s, "select count(*) from schema_version"),
			 (int64_t)cs_migration_count);
	q_text(s, "select name from schema_version where version = 1", text, sizeof(text));
	assert_string_equal(text, "0001_units_periods");
	q_text(s, "select applied_at from schema_version where version = 1", text, sizeof(text));
	assert_timestamp(text);
	/* @ID@ became the backend's id column. */
	q_text(s, "select sql from sqlite_master where name = 'period'", text, sizeof(text));
	assert_non_null(strstr(text, "id integer primary key"));
	assert_null(strstr(text, "@ID@"));
	assert_int_equal(q_i64(s, "select count(*) from unit"), 0);
	assert_int_equal(q_i64(s, "select count(*) from audit"), 0);
	cs_store_close(s);
}

static void test_reopen_keeps_schema(void **state)
{
	char path[8192];
	struct cs_store *s;
	struct cs_error err = {0};

	(void)state;
	s = open_new(path, sizeof(path));
	assert_int_equal(cs_store_exec(s,
				       "insert into period (code, starts, ends) values "
				       "('2024', '2024-01-01', '2024-12-31')",
				       &err),
			 CS_OK);
	cs_store_close(s);
	s = NULL;
	/* Without CS_STORE_CREATE an existing file opens. */
	assert_int_equal(cs_store_open(path, 0, &s, &err), CS_OK);
	assert_int_equal(cs_store_schema_version(s), cs_store_schema_latest());
	assert_int_equal(q_i64(s, "select count(*) from schema_version"),
			 (int64_t)cs_migration_count);
	assert_int_equal(q_i64(s, "select count(*) from period"), 1);
	cs_store_close(s);
	s = NULL;
	assert_int_equal(cs_store_open(path, CS_STORE_READONLY, &s, &err), CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from period"), 1);
	cs_store_close(s);
}

static void test_newer_schema_is_refused(void **state)
{
	char path[8192];
	struct cs_store *s;
	struct cs_error err = {0};
	char *before, *after;
	size_t before_len, after_len;
	char text[256], sql[256];
	int future = cs_store_schema_latest() + 1;

	(void)state;
	s = open_new(path, sizeof(path));
	snprintf(sql, sizeof(sql),
		 "insert into schema_version values (%d, 'future', '2030-01-01T00:00:00Z')",
		 future);
	assert_int_equal(cs_store_exec(s, sql, &err), CS_OK);
	cs_store_close(s);
	before = slurp(path, &before_len);

	s = (struct cs_store *)&err; /* must be reset to NULL */
	assert_int_equal(cs_store_open(path, 0, &s, &err), CS_ESCHEMA);
	assert_null(s);
	assert_int_equal(err.code, CS_ESCHEMA);
	snprintf(text, sizeof(text),
		 "database schema version %d is newer than this chiso knows (%d); upgrade chiso",
		 future, cs_store_schema_latest());
	assert_string_equal(err.msg, text);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_ESCHEMA);
	assert_int_equal(cs_store_open(path, CS_STORE_READONLY, &s, &err), CS_ESCHEMA);
	assert_non_null(strstr(err.msg, "newer than this chiso"));

	after = slurp(path, &after_len);
	assert_int_equal(before_len, after_len);
	assert_memory_equal(before, after, before_len);
	free(before);
	free(after);
}

static void test_missing_file(void **state)
{
	char path[8192];
	char want[8300];
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	(void)state;
	new_path(path, sizeof(path));
	assert_int_equal(cs_store_open(path, 0, &s, &err), CS_ENOTFOUND);
	assert_null(s);
	snprintf(want, sizeof(want), "no database at '%s'; run 'chiso init' first", path);
	assert_string_equal(err.msg, want);
	assert_false(file_exists(path));
	assert_int_equal(cs_store_open(path, CS_STORE_READONLY, &s, &err), CS_ENOTFOUND);
	assert_int_equal(cs_store_open(path, CS_STORE_READONLY | CS_STORE_CREATE, &s, &err),
			 CS_ENOTFOUND);
	assert_false(file_exists(path));

	/* A directory that does not exist cannot hold a new database. */
	snprintf(want, sizeof(want), "%s/no/such/dir/x.db", dir);
	assert_int_equal(cs_store_open(want, CS_STORE_CREATE, &s, &err), CS_ESTORE);
	assert_non_null(strstr(err.msg, "cannot open database"));
}

static void test_postgres_is_not_built_in(void **state)
{
	static const char *const urls[] = {
		"postgres://chiso@localhost/chiso",
		"postgresql://chiso:secret@db.example/par",
		"POSTGRES://host/db",
	};
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		cs_error_clear(&err);
		assert_int_equal(cs_store_open(urls[i], CS_STORE_CREATE, &s, &err), CS_EINVAL);
		assert_null(s);
		assert_string_equal(err.msg, "PostgreSQL support is not built into this chiso; use "
					     "a SQLite file path");
		/* The URL, which may hold a password, is not echoed. */
		assert_null(strstr(err.msg, "secret"));
	}
	assert_false(file_exists("postgres:"));
	assert_int_equal(cs_store_open("", CS_STORE_CREATE, &s, &err), CS_EINVAL);
	assert_int_equal(cs_store_open(NULL, CS_STORE_CREATE, &s, &err), CS_EINVAL);
}

static void test_pragmas(void **state)
{
	char path[8192];
	char text[64];
	struct cs_store *s;

	(void)state;
	s = open_new(path, sizeof(path));
	q_text(s, "pragma journal_mode", text, sizeof(text));
	assert_string_equal(text, "wal");
	assert_int_equal(q_i64(s, "pragma foreign_keys"), 1);
	assert_int_equal(q_i64(s, "pragma synchronous"), 1); /* NORMAL */
	assert_int_equal(q_i64(s, "pragma busy_timeout"), 5000);
	cs_store_close(s);
}

static void test_bind_and_columns(void **state)
{
	static const char name[] = "Công an tỉnh Hà Giang — Phòng PC06";
	char path[8192];
	struct cs_store *s;
	struct cs_stmt *st = NULL;
	struct cs_error err = {0};
	bool row = false;
	const char *t;
	size_t len = 99;

	(void)state;
	s = open_new(path, sizeof(path));
	assert_int_equal(cs_store_exec(s,
				       "create table t (a text, b integer, c real, d text, "
				       "e text, f text)",
				       &err),
			 CS_OK);
	assert_int_equal(cs_stmt_prepare(s, "insert into t values (?, ?, ?, ?, ?, ?)", &st, &err),
			 CS_OK);
	assert_int_equal(cs_stmt_bind_textz(st, 1, name, &err), CS_OK);
	assert_int_equal(cs_stmt_bind_i64(st, 2, INT64_MIN, &err), CS_OK);
	assert_int_equal(cs_stmt_bind_double(st, 3, 91.84, &err), CS_OK);
	assert_int_equal(cs_stmt_bind_null(st, 4, &err), CS_OK);
	/* Only the first len bytes count, and an empty string is not NULL. */
	assert_int_equal(cs_stmt_bind_text(st, 5, "abcdef", 3, &err), CS_OK);
	assert_int_equal(cs_stmt_bind_text(st, 6, "", 0, &err), CS_OK);
	assert_int_equal(cs_stmt_run(st, &err), CS_OK);
	/* Run again with new bindings: run resets the statement. */
	assert_int_equal(cs_stmt_bind_textz(st, 1, NULL, &err), CS_OK);
	assert_int_equal(cs_stmt_bind_i64(st, 2, INT64_MAX, &err), CS_OK);
	assert_int_equal(cs_stmt_bind_text(st, 6, NULL, 5, &err), CS_OK);
	assert_int_equal(cs_stmt_run(st, &err), CS_OK);
	cs_stmt_free(st);
	st = NULL;

	assert_int_equal(
		cs_stmt_prepare(s, "select a, b, c, d, e, f from t order by rowid", &st, &err),
		CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, &err), CS_OK);
	assert_true(row);
	t = cs_stmt_text(st, 0, &len);
	assert_string_equal(t, name);
	assert_int_equal(len, strlen(name));
	assert_false(cs_stmt_is_null(st, 0));
	assert_true(cs_stmt_i64(st, 1) == INT64_MIN);
	assert_true(cs_stmt_double(st, 2) == 91.84);
	assert_true(cs_stmt_is_null(st, 3));
	assert_null(cs_stmt_text(st, 3, &len));
	assert_int_equal(len, 0);
	assert_string_equal(cs_stmt_text(st, 4, &len), "abc");
	assert_int_equal(len, 3);
	assert_false(cs_stmt_is_null(st, 5));
	assert_string_equal(cs_stmt_text(st, 5, &len), "");
	assert_int_equal(len, 0);

	assert_int_equal(cs_stmt_step(st, &row, &err), CS_OK);
	assert_true(row);
	assert_true(cs_stmt_is_null(st, 0));
	assert_true(cs_stmt_i64(st, 1) == INT64_MAX);
	assert_true(cs_stmt_is_null(st, 5));

	assert_int_equal(cs_stmt_step(st, &row, &err), CS_OK);
	assert_false(row);
	/* reset makes the statement run again from the start. */
	assert_int_equal(cs_stmt_reset(st, &err), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, &err), CS_OK);
	assert_true(row);
	cs_stmt_free(st);
	cs_stmt_free(NULL);
	cs_store_close(s);
	cs_store_close(NULL);
}

static void test_statement_errors(void **state)
{
	char path[8192];
	struct cs_store *s;
	struct cs_stmt *st = NULL;
	struct cs_error err = {0};

	(void)state;
	s = open_new(path, sizeof(path));
	st = (struct cs_stmt *)&err;
	assert_int_equal(cs_stmt_prepare(s, "selec 1", &st, &err), CS_ESTORE);
	assert_null(st);
	assert_non_null(strstr(err.msg, "syntax error"));
	assert_int_equal(cs_stmt_prepare(s, "select * from no_such_table", &st, &err), CS_ESTORE);
	assert_string_equal(err.msg, "no such table: no_such_table");
	assert_int_equal(cs_stmt_prepare(s, "  -- nothing\n", &st, &err), CS_EINVAL);
	assert_int_equal(cs_store_exec(s, "drop table nothing_here", &err), CS_ESTORE);

	/* A unique violation is CS_EEXIST, a foreign-key one CS_ECONFLICT. */
	assert_int_equal(cs_store_exec(s,
				       "insert into period (code, starts, ends) values "
				       "('2024', '2024-01-01', '2024-12-31')",
				       &err),
			 CS_OK);
	assert_int_equal(cs_stmt_prepare(s,
					 "insert into period (code, starts, ends) values "
					 "(?, '2024-01-01', '2024-12-31')",
					 &st, &err),
			 CS_OK);
	assert_int_equal(cs_stmt_bind_textz(st, 1, "2024", &err), CS_OK);
	assert_int_equal(cs_stmt_run(st, &err), CS_EEXIST);
	assert_string_equal(err.msg, "UNIQUE constraint failed: period.code");
	/* The failed run left the statement reusable. */
	assert_int_equal(cs_stmt_bind_textz(st, 1, "2025", &err), CS_OK);
	assert_int_equal(cs_stmt_run(st, &err), CS_OK);
	assert_int_equal(cs_stmt_bind_i64(st, 9, 1, &err), CS_ESTORE);
	cs_stmt_free(st);

	assert_int_equal(cs_store_exec(s,
				       "insert into unit (code, name, level, parent_id) values "
				       "('X', 'x', 'other', 12345)",
				       &err),
			 CS_ECONFLICT);
	assert_string_equal(err.msg, "FOREIGN KEY constraint failed");
	assert_int_equal(cs_store_exec(s,
				       "insert into unit (code, name, level) values "
				       "('X', 'x', 'galaxy')",
				       &err),
			 CS_ESTORE);
	assert_non_null(strstr(err.msg, "CHECK constraint failed"));
	assert_int_equal(q_i64(s, "select count(*) from unit"), 0);
	cs_store_close(s);
}

static void test_transactions(void **state)
{
	char path[8192];
	struct cs_store *s;
	struct cs_error err = {0};

	(void)state;
	s = open_new(path, sizeof(path));
	assert_int_equal(cs_store_begin(s, &err), CS_OK);
	assert_int_equal(cs_store_exec(s,
				       "insert into period (code, starts, ends) values "
				       "('a', '2024-01-01', '2024-12-31')",
				       &err),
			 CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from period"), 1);
	/* Nested transactions are not supported. */
	assert_int_equal(cs_store_begin(s, &err), CS_ESTORE);
	cs_store_rollback(s);
	assert_int_equal(q_i64(s, "select count(*) from period"), 0);
	/* Rolling back outside a transaction does nothing. */
	cs_store_rollback(s);

	assert_int_equal(cs_store_begin(s, &err), CS_OK);
	assert_int_equal(cs_store_exec(s,
				       "insert into period (code, starts, ends) values "
				       "('b', '2024-01-01', '2024-12-31')",
				       &err),
			 CS_OK);
	assert_int_equal(cs_store_commit(s, &err), CS_OK);
	assert_int_equal(cs_store_commit(s, &err), CS_ESTORE);

	/* A commit that fails rolls back: here a foreign key checked at commit. */
	assert_int_equal(cs_store_exec(s, "pragma defer_foreign_keys = on", &err), CS_OK);
	assert_int_equal(cs_store_begin(s, &err), CS_OK);
	assert_int_equal(cs_store_exec(s,
				       "insert into unit (code, name, level, parent_id) values "
				       "('X', 'x', 'other', 999)",
				       &err),
			 CS_OK);
	assert_int_equal(cs_store_commit(s, &err), CS_ECONFLICT);
	assert_int_equal(q_i64(s, "select count(*) from unit"), 0);
	assert_int_equal(cs_store_begin(s, &err), CS_OK); /* no transaction was left open */
	cs_store_rollback(s);

	/* Closing with a transaction open rolls it back. */
	assert_int_equal(cs_store_begin(s, &err), CS_OK);
	assert_int_equal(cs_store_exec(s,
				       "insert into period (code, starts, ends) values "
				       "('c', '2024-01-01', '2024-12-31')",
				       &err),
			 CS_OK);
	cs_store_close(s);
	s = NULL;
	assert_int_equal(cs_store_open(path, 0, &s, &err), CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from period"), 1);
	assert_int_equal(q_i64(s, "select count(*) from period where code = 'b'"), 1);
	cs_store_close(s);
}

/*
 * A database made by an older chiso (schema version 1 only) is brought up to
 * date when opened for writing, and its data is kept.
 */
static void test_older_schema_is_migrated(void **state)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};
	struct cs_buf sql;
	const char *p, *at;
	sqlite3 *db = NULL;

	(void)state;
	assert_true(cs_migration_count >= 2);
	new_path(path, sizeof(path));
	cs_buf_init(&sql, 1u << 20);
	for (p = cs_migrations[0].sql; (at = strstr(p, "@ID@")) != NULL; p = at + 4) {
		assert_int_equal(cs_buf_add(&sql, p, (size_t)(at - p), NULL), CS_OK);
		assert_int_equal(cs_buf_addstr(&sql, "integer primary key", NULL), CS_OK);
	}
	assert_int_equal(cs_buf_addstr(&sql, p, NULL), CS_OK);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "create table schema_version (version integer primary key, "
				      "name text not null, applied_at text not null);"
				      "insert into schema_version values "
				      "(1, '0001_units_periods', '2020-01-01T00:00:00Z');",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql.data, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "insert into period (code, starts, ends) values "
				      "('2019', '2019-01-01', '2019-12-31')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	cs_buf_release(&sql);

	assert_int_equal(cs_store_open(path, 0, &s, &err), CS_OK);
	assert_int_equal(cs_store_schema_version(s), cs_store_schema_latest());
	assert_int_equal(q_i64(s, "select count(*) from schema_version"),
			 (int64_t)cs_migration_count);
	assert_int_equal(q_i64(s, "select count(*) from period where code = '2019'"), 1);
	cs_store_close(s);
	remove_db(path);
}

static void test_readonly(void **state)
{
	char path[8192];
	char text[256];
	struct cs_store *s;
	struct cs_error err = {0};
	FILE *f;

	(void)state;
	s = open_new(path, sizeof(path));
	cs_store_close(s);
	s = NULL;
	assert_int_equal(cs_store_open(path, CS_STORE_READONLY, &s, &err), CS_OK);
	assert_int_equal(cs_store_exec(s,
				       "insert into period (code, starts, ends) values "
				       "('a', '2024-01-01', '2024-12-31')",
				       &err),
			 CS_ESTORE);
	assert_non_null(strstr(err.msg, "readonly"));
	cs_store_close(s);
	s = NULL;

	/* An older schema: a reader may not upgrade it and says how to. */
	assert_int_equal(cs_store_open(path, 0, &s, &err), CS_OK);
	assert_int_equal(cs_store_exec(s, "delete from schema_version", &err), CS_OK);
	cs_store_close(s);
	s = NULL;
	assert_int_equal(cs_store_open(path, CS_STORE_READONLY, &s, &err), CS_ESCHEMA);
	snprintf(text, sizeof(text),
		 "database schema version 0 is older than this chiso (%d); run 'chiso init' or any "
		 "command that writes to upgrade it",
		 cs_store_schema_latest());
	assert_string_equal(err.msg, text);

	/* A migration that fails names itself and leaves the version alone. */
	assert_int_equal(cs_store_open(path, 0, &s, &err), CS_ESTORE);
	assert_null(s);
	assert_string_equal(err.msg, "migration 0001_units_periods: table unit already exists");

	/* An empty file is an empty SQLite database without chiso's schema. */
	new_path(path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(cs_store_open(path, CS_STORE_READONLY, &s, &err), CS_ESCHEMA);
	assert_non_null(strstr(err.msg, "has no chiso schema (no such table: schema_version); "
					"run 'chiso init' first"));
	/* A writer initialises it. */
	assert_int_equal(cs_store_open(path, 0, &s, &err), CS_OK);
	assert_int_equal(cs_store_schema_version(s), cs_store_schema_latest());
	cs_store_close(s);
}

static void test_not_a_database(void **state)
{
	char path[8192];
	char want[8300];
	struct cs_store *s = NULL;
	struct cs_error err = {0};
	FILE *f;

	(void)state;
	new_path(path, sizeof(path));
	f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 100; i++)
		fputs("code,name,parent,level\n", f);
	fclose(f);
	assert_int_equal(cs_store_open(path, 0, &s, &err), CS_ESTORE);
	assert_null(s);
	snprintf(want, sizeof(want), "database '%s': file is not a database", path);
	assert_string_equal(err.msg, want);
}

static void test_actor_and_audit(void **state)
{
	char path[8192];
	char text[256];
	char longname[100];
	struct cs_store *s;
	struct cs_error err = {0};

	(void)state;
	s = open_new(path, sizeof(path));
	assert_string_equal(cs_store_actor(s), "cli");
	assert_int_equal(
		cs_audit_append(s, NULL, "unit", "BCA", "name", NULL, "Bộ Công an", "import", &err),
		CS_OK);
	assert_int_equal(cs_store_set_actor(s, "thanh.nguyen", &err), CS_OK);
	assert_string_equal(cs_store_actor(s), "thanh.nguyen");
	assert_int_equal(cs_audit_append(s, NULL, "unit", "BCA", "name", "Bộ Công an", "Bộ Công An",
					 NULL, &err),
			 CS_OK);
	assert_int_equal(cs_audit_append(s, "server", "period", "2024", "ends", "2024-12-31", NULL,
					 "typo", &err),
			 CS_OK);
	assert_int_equal(cs_store_set_actor(s, "", &err), CS_EINVAL);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(cs_store_set_actor(s, longname, &err), CS_EINVAL);
	assert_string_equal(cs_store_actor(s), "thanh.nguyen");
	assert_int_equal(cs_store_set_actor(s, NULL, &err), CS_OK);
	assert_string_equal(cs_store_actor(s), "cli");

	assert_int_equal(q_i64(s, "select count(*) from audit"), 3);
	assert_int_equal(q_i64(s, "select count(*) from audit where id = 1 and actor = 'cli' and "
				  "entity = 'unit' and entity_id = 'BCA' and field = 'name' and "
				  "old_value is null and new_value = 'Bộ Công an' and "
				  "reason = 'import'"),
			 1);
	assert_int_equal(q_i64(s, "select count(*) from audit where id = 2 and "
				  "actor = 'thanh.nguyen' and old_value = 'Bộ Công an' and "
				  "new_value = 'Bộ Công An' and reason is null"),
			 1);
	assert_int_equal(q_i64(s, "select count(*) from audit where id = 3 and actor = 'server' "
				  "and new_value is null and reason = 'typo'"),
			 1);
	q_text(s, "select at from audit where id = 3", text, sizeof(text));
	assert_timestamp(text);
	cs_store_close(s);
}

static void test_memory_database(void **state)
{
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_store_open(":memory:", 0, &s, &err), CS_OK);
	assert_int_equal(cs_store_schema_version(s), cs_store_schema_latest());
	assert_int_equal(q_i64(s, "select count(*) from period"), 0);
	cs_store_close(s);
	assert_false(file_exists(":memory:"));
}

static void test_now(void **state)
{
	char t[CS_STORE_TIME_LEN];

	(void)state;
	cs_store_now(t);
	assert_timestamp(t);
	assert_true(strcmp(t, "2024-01-01T00:00:00Z") > 0);
}

/* Every allocation chiso makes while creating and migrating can fail cleanly. */
static void test_open_out_of_memory(void **state)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	new_path(path, sizeof(path));
	for (n = 0; n < 1000; n++) {
		remove_db(path);
		cs_alloc_fail_after(n);
		rc = cs_store_open(path, CS_STORE_CREATE, &s, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_int_equal(err.code, CS_ENOMEM);
		assert_null(s);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 2);
	assert_int_equal(cs_store_schema_version(s), cs_store_schema_latest());
	cs_store_close(s);
	s = NULL;

	/* Reopening an up-to-date database, and the audit statement. */
	for (n = 0; n < 1000; n++) {
		cs_alloc_fail_after(n);
		rc = cs_store_open(path, 0, &s, &err);
		if (rc == CS_OK)
			rc = cs_audit_append(s, NULL, "unit", "A", "name", NULL, "a", NULL, &err);
		cs_alloc_fail_after(-1);
		cs_store_close(s);
		s = NULL;
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_creates_and_migrates),
		cmocka_unit_test(test_reopen_keeps_schema),
		cmocka_unit_test(test_newer_schema_is_refused),
		cmocka_unit_test(test_older_schema_is_migrated),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_postgres_is_not_built_in),
		cmocka_unit_test(test_pragmas),
		cmocka_unit_test(test_bind_and_columns),
		cmocka_unit_test(test_statement_errors),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_actor_and_audit),
		cmocka_unit_test(test_memory_database),
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_open_out_of_memory),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
