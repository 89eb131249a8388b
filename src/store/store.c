/*
 * The generic storage layer: picks a backend from a table by the target's URL
 * scheme, brings the schema up to date with the embedded migrations, and
 * forwards everything else to the backend's ops table.
 */
#include <assert.h>
#include <limits.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store/backend.h"
#include "store/migrations.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

/*
 * One backend. A target starting with one of the schemes selects the row;
 * the row without schemes takes everything else (file paths). A row whose ops
 * is NULL names a backend this program was built without, so that a
 * postgres:// URL gets a clear refusal rather than a file of that name.
 * Adding PostgreSQL is filling in ops in its row.
 */
struct backend_row {
	const char *label;		/* for messages */
	const char *schemes[3];		/* URL prefixes, NULL-terminated */
	const struct cs_store_ops *ops; /* NULL when not built in */
};

static const struct backend_row backends[] = {
	{"PostgreSQL", {"postgres://", "postgresql://", NULL}, NULL},
	{"SQLite", {NULL}, &cs_store_sqlite_ops},
};

/* Largest migration after @ID@ substitution; migrations are our own files. */
#define MIGRATION_MAX (1024u * 1024)

/* The placeholder a backend's id column replaces in migrations. */
#define ID_PLACEHOLDER "@ID@"

static const struct backend_row *find_backend(const char *target)
{
	const struct backend_row *fallback = NULL;

	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		const struct backend_row *b = &backends[i];

		if (!b->schemes[0]) {
			fallback = b;
			continue;
		}
		for (size_t j = 0; b->schemes[j]; j++) {
			/* URL schemes are case-insensitive (RFC 3986 3.1). */
			if (strncasecmp(target, b->schemes[j], strlen(b->schemes[j])) == 0)
				return b;
		}
	}
	return fallback;
}

void cs_store_now(char out[CS_STORE_TIME_LEN])
{
	static const char epoch[CS_STORE_TIME_LEN] = "1970-01-01T00:00:00Z";
	time_t t = time(NULL);
	struct tm tm;

	/* strftime with these conversions does not depend on the locale. */
	if (t == (time_t)-1 || !gmtime_r(&t, &tm) ||
	    strftime(out, CS_STORE_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		memcpy(out, epoch, CS_STORE_TIME_LEN);
}

/* The highest version recorded in schema_version; 0 for none. */
static enum cs_err read_version(struct cs_store *s, int *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	*out = 0;
	rc = cs_stmt_prepare(s, "select max(version) from schema_version", &st, err);
	if (rc)
		goto done;
	rc = cs_stmt_step(st, &row, err);
	if (rc)
		goto done;
	if (row && !cs_stmt_is_null(st, 0)) {
		int64_t v = cs_stmt_i64(st, 0);

		*out = v > INT_MAX ? INT_MAX : v < 0 ? 0 : (int)v;
	}
done:
	cs_stmt_free(st);
	return rc;
}

/* The migration's SQL with @ID@ replaced by the backend's id column. */
static enum cs_err migration_sql(const struct cs_store *s, const struct cs_migration *m,
				 struct cs_buf *out, struct cs_error *err)
{
	const char *p = m->sql;
	const char *hit;
	enum cs_err rc;

	while ((hit = strstr(p, ID_PLACEHOLDER)) != NULL) {
		rc = cs_buf_add(out, p, (size_t)(hit - p), err);
		if (!rc)
			rc = cs_buf_addstr(out, s->ops->id_column, err);
		if (rc)
			return rc;
		p = hit + strlen(ID_PLACEHOLDER);
	}
	return cs_buf_addstr(out, p, err);
}

static enum cs_err record_migration(struct cs_store *s, const struct cs_migration *m,
				    struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	char now[CS_STORE_TIME_LEN];
	enum cs_err rc;

	cs_store_now(now);
	rc = cs_stmt_prepare(s,
			     "insert into schema_version (version, name, applied_at) "
			     "values (?, ?, ?)",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, m->version, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, m->name, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, now, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	return rc;
}

/*
 * Applies the next missing migration in its own transaction, or sets *done
 * when there is none. The version is read again under the write lock: two
 * programs opening a new database at once must not both run migration 1.
 */
static enum cs_err migrate_step(struct cs_store *s, bool *done, struct cs_error *err)
{
	const struct cs_migration *m;
	struct cs_buf sql;
	int version;
	enum cs_err rc;

	cs_buf_init(&sql, MIGRATION_MAX);
	*done = false;
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	rc = read_version(s, &version, err);
	if (rc)
		goto fail;
	if (version >= (int)cs_migration_count) {
		/* Someone else got there first; nothing was written. */
		cs_store_rollback(s);
		s->schema_version = version;
		*done = true;
		return CS_OK;
	}
	m = &cs_migrations[version];
	assert(m->version == version + 1);
	rc = migration_sql(s, m, &sql, err);
	if (!rc)
		rc = cs_store_exec(s, sql.data, err);
	if (!rc)
		rc = record_migration(s, m, err);
	if (rc) {
		if (rc != CS_ENOMEM)
			cs_error_prefix(err, "migration %s", m->name);
		goto fail;
	}
	rc = cs_store_commit(s, err);
	if (rc)
		goto done;
	s->schema_version = m->version;
	goto done;
fail:
	cs_store_rollback(s);
done:
	cs_buf_release(&sql);
	return rc;
}

static enum cs_err fail_newer(struct cs_error *err, int version)
{
	return cs_fail(err, CS_ESCHEMA,
		       "database schema version %d is newer than this chiso knows (%u); "
		       "upgrade chiso",
		       version, cs_migration_count);
}

/* A reader may not migrate, so it accepts only the latest schema. */
static enum cs_err check_readonly(struct cs_store *s, const char *target, struct cs_error *err)
{
	int version;
	enum cs_err rc = read_version(s, &version, err);

	if (rc == CS_ENOMEM)
		return rc;
	if (rc) {
		char why[CS_ERROR_MSG_MAX] = "";

		if (err)
			memcpy(why, err->msg, sizeof(why));
		return cs_fail(err, CS_ESCHEMA,
			       "database '%s' has no chiso schema (%s); run 'chiso init' first",
			       target, why);
	}
	s->schema_version = version;
	if (version > (int)cs_migration_count)
		return fail_newer(err, version);
	if (version < (int)cs_migration_count)
		return cs_fail(err, CS_ESCHEMA,
			       "database schema version %d is older than this chiso (%u); "
			       "run 'chiso init' or any command that writes to upgrade it",
			       version, cs_migration_count);
	return CS_OK;
}

static enum cs_err migrate(struct cs_store *s, struct cs_error *err)
{
	int version;
	bool done = false;
	enum cs_err rc;

	/* "if not exists" keeps a database that has the table untouched,
	 * which matters when its schema turns out to be too new. */
	rc = cs_store_exec(s,
			   "create table if not exists schema_version ("
			   "version integer primary key, "
			   "name text not null, "
			   "applied_at text not null)",
			   err);
	if (rc)
		return rc;
	rc = read_version(s, &version, err);
	if (rc)
		return rc;
	s->schema_version = version;
	if (version > (int)cs_migration_count)
		return fail_newer(err, version);
	/* Up to date is the common case; it takes no write lock. */
	while (!rc && !done && s->schema_version < (int)cs_migration_count)
		rc = migrate_step(s, &done, err);
	if (!rc && s->schema_version > (int)cs_migration_count)
		return fail_newer(err, s->schema_version);
	return rc;
}

enum cs_err cs_store_open(const char *target, int flags, struct cs_store **out,
			  struct cs_error *err)
{
	const struct backend_row *b;
	struct cs_store *s = NULL;
	enum cs_err rc;

	*out = NULL;
	if (!target || !*target)
		return cs_fail(err, CS_EINVAL, "no database named; give a SQLite file path");
	b = find_backend(target);
	if (!b || !b->ops)
		return cs_fail(err, CS_EINVAL,
			       "%s support is not built into this chiso; use a SQLite file path",
			       b ? b->label : "this database's");
	rc = b->ops->open(target, flags, &s, err);
	if (rc)
		return rc;
	s->ops = b->ops;
	if (flags & CS_STORE_READONLY)
		rc = check_readonly(s, target, err);
	else
		rc = migrate(s, err);
	if (rc) {
		cs_store_close(s);
		return rc;
	}
	*out = s;
	return CS_OK;
}

void cs_store_close(struct cs_store *s)
{
	if (!s)
		return;
	cs_stmt_free(s->audit_insert);
	s->audit_insert = NULL;
	s->ops->close(s);
}

int cs_store_schema_version(const struct cs_store *s)
{
	return s->schema_version;
}

int cs_store_schema_latest(void)
{
	return (int)cs_migration_count;
}

const char *cs_store_backend(const struct cs_store *s)
{
	return s->ops->name;
}

enum cs_err cs_store_set_actor(struct cs_store *s, const char *actor, struct cs_error *err)
{
	size_t len;

	if (!actor) {
		s->actor[0] = '\0';
		return CS_OK;
	}
	len = strlen(actor);
	if (len == 0)
		return cs_fail(err, CS_EINVAL,
			       "empty actor name; expected a login or a program name");
	if (len >= sizeof(s->actor))
		return cs_fail(err, CS_EINVAL, "actor name '%.40s...' is longer than %zu bytes",
			       actor, sizeof(s->actor) - 1);
	memcpy(s->actor, actor, len + 1);
	return CS_OK;
}

const char *cs_store_actor(const struct cs_store *s)
{
	return s->actor[0] ? s->actor : "cli";
}

enum cs_err cs_store_exec(struct cs_store *s, const char *sql, struct cs_error *err)
{
	return s->ops->exec(s, sql, err);
}

enum cs_err cs_store_begin(struct cs_store *s, struct cs_error *err)
{
	return s->ops->begin(s, err);
}

enum cs_err cs_store_commit(struct cs_store *s, struct cs_error *err)
{
	enum cs_err rc = s->ops->commit(s, err);

	/* A commit that fails (a deferred constraint, a full disk) leaves the
	 * transaction open; ending it here means callers need no second path. */
	if (rc)
		s->ops->rollback(s);
	return rc;
}

void cs_store_rollback(struct cs_store *s)
{
	s->ops->rollback(s);
}

enum cs_err cs_stmt_prepare(struct cs_store *s, const char *sql, struct cs_stmt **out,
			    struct cs_error *err)
{
	*out = NULL;
	return s->ops->prepare(s, sql, out, err);
}

void cs_stmt_free(struct cs_stmt *st)
{
	if (st)
		st->ops->finalize(st);
}

enum cs_err cs_stmt_bind_text(struct cs_stmt *st, int idx, const char *v, size_t len,
			      struct cs_error *err)
{
	return st->ops->bind_text(st, idx, v, len, err);
}

enum cs_err cs_stmt_bind_textz(struct cs_stmt *st, int idx, const char *v, struct cs_error *err)
{
	if (!v)
		return st->ops->bind_null(st, idx, err);
	return st->ops->bind_text(st, idx, v, strlen(v), err);
}

enum cs_err cs_stmt_bind_i64(struct cs_stmt *st, int idx, int64_t v, struct cs_error *err)
{
	return st->ops->bind_i64(st, idx, v, err);
}

enum cs_err cs_stmt_bind_double(struct cs_stmt *st, int idx, double v, struct cs_error *err)
{
	return st->ops->bind_double(st, idx, v, err);
}

enum cs_err cs_stmt_bind_null(struct cs_stmt *st, int idx, struct cs_error *err)
{
	return st->ops->bind_null(st, idx, err);
}

enum cs_err cs_stmt_step(struct cs_stmt *st, bool *row, struct cs_error *err)
{
	return st->ops->step(st, row, err);
}

enum cs_err cs_stmt_reset(struct cs_stmt *st, struct cs_error *err)
{
	return st->ops->reset(st, err);
}

bool cs_stmt_is_null(struct cs_stmt *st, int col)
{
	return st->ops->is_null(st, col);
}

int64_t cs_stmt_i64(struct cs_stmt *st, int col)
{
	return st->ops->col_i64(st, col);
}

double cs_stmt_double(struct cs_stmt *st, int col)
{
	return st->ops->col_double(st, col);
}

const char *cs_stmt_text(struct cs_stmt *st, int col, size_t *len)
{
	return st->ops->col_text(st, col, len);
}

enum cs_err cs_stmt_run(struct cs_stmt *st, struct cs_error *err)
{
	bool row = true;
	enum cs_err rc = CS_OK;

	while (!rc && row)
		rc = st->ops->step(st, &row, err);
	st->ops->reset(st, NULL);
	return rc;
}

void cs_stmt_text_copy(struct cs_stmt *st, int col, char *out, size_t cap)
{
	size_t len = 0;
	const char *t = cs_stmt_text(st, col, &len);

	if (cap == 0)
		return;
	if (!t)
		len = 0;
	if (len >= cap) {
		len = cap - 1;
		/* Back off continuation bytes so that a cut value stays UTF-8. */
		while (len > 0 && ((unsigned char)t[len] & 0xc0) == 0x80)
			len--;
	}
	if (len)
		memcpy(out, t, len);
	out[len] = '\0';
}
