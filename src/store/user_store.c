/*
 * Staff accounts and sessions: argon2id password hashes and random tokens
 * from libsodium, accounts changed in their own audited transactions,
 * sign-in failures and sessions written inside the caller's transaction (the
 * server's write queue).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "store/audit.h"
#include "store/user_store.h"
#include "util/alloc.h"

#include "util/banned.h"

static const char *const role_names[CS_ROLE_COUNT_] = {
	[CS_ROLE_ADMIN] = "admin",
	[CS_ROLE_APPRAISER] = "appraiser",
	[CS_ROLE_UNIT_OFFICER] = "unit_officer",
	[CS_ROLE_VIEWER] = "viewer",
	[CS_ROLE_SURVEYOR] = "surveyor",
};

const char *cs_role_name(enum cs_role role)
{
	return (unsigned)role < CS_ROLE_COUNT_ ? role_names[role] : NULL;
}

bool cs_role_parse(struct cs_str s, enum cs_role *out)
{
	for (int i = 0; i < CS_ROLE_COUNT_; i++) {
		const char *name = role_names[i];
		size_t k;

		if (s.len != strlen(name))
			continue;
		for (k = 0; k < s.len; k++) {
			char c = s.ptr[k];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c == '-')
				c = '_';
			if (c != name[k])
				break;
		}
		if (k == s.len) {
			*out = (enum cs_role)i;
			return true;
		}
	}
	return false;
}

enum cs_err cs_login_check(struct cs_str login, struct cs_error *err)
{
	if (login.len == 0 || login.len > CS_LOGIN_MAX)
		return cs_fail(err, CS_EINVAL, "login '%.*s': %zu bytes; expected 1 to %d",
			       (int)(login.len > 80 ? 80 : login.len), login.ptr, login.len,
			       CS_LOGIN_MAX);
	for (size_t i = 0; i < login.len; i++) {
		char c = login.ptr[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return cs_fail(
				err, CS_EINVAL,
				"login '%.*s': expected lower-case letters a-z, digits, '.', "
				"'_' and '-', starting with a letter or digit",
				(int)login.len, login.ptr);
	}
	return CS_OK;
}

/* libsodium must be started once; sodium_init is safe to call again and from many threads. */
static enum cs_err sodium_ready(struct cs_error *err)
{
	if (sodium_init() < 0)
		return cs_fail(err, CS_EINTERNAL, "libsodium cannot start");
	return CS_OK;
}

enum cs_err cs_password_hash(const char *pw, size_t len, char out[CS_PASSWORD_HASH_LEN],
			     struct cs_error *err)
{
	_Static_assert(CS_PASSWORD_HASH_LEN == crypto_pwhash_STRBYTES, "hash string size");
	enum cs_err rc;

	out[0] = '\0';
	if (len < CS_PASSWORD_MIN || len > CS_PASSWORD_MAX)
		return cs_fail(err, CS_EINVAL, "the password has %zu bytes; expected %d to %d", len,
			       CS_PASSWORD_MIN, CS_PASSWORD_MAX);
	rc = sodium_ready(err);
	if (rc)
		return rc;
	if (crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return cs_fail(err, CS_ENOMEM, "not enough memory to hash the password (64 MiB)");
	return CS_OK;
}

/* A hash of a password nobody knows, at the cost cs_password_hash uses. */
static const char dummy_hash[] = "$argon2id$v=19$m=65536,t=2,p=1$Jfl4HIBGlscCh65E+GvmOQ$"
				 "Ce/mZXEtPv3YEZlQfa4wyXlSw3GrU+iioZclhI9qSN4";

bool cs_password_verify(const char *hash, const char *pw, size_t len)
{
	bool ok;

	if (sodium_init() < 0 || len > CS_PASSWORD_MAX)
		return false;
	ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, pw, len) == 0;
	return hash && ok;
}

/* The columns read_user expects, in order, from app_user u left-joined to unit n. */
#define USER_COLUMNS                                                                \
	"u.id, u.login, u.name, u.role, u.unit_id, n.code, u.subtree, u.disabled, " \
	"u.failed_logins, u.throttled_until, u.created_at"

/* Reads the USER_COLUMNS starting at column first into *u. */
static enum cs_err read_user(struct cs_stmt *st, int first, struct cs_user *u, struct cs_error *err)
{
	size_t len = 0;
	const char *role;

	memset(u, 0, sizeof(*u));
	u->id = cs_stmt_i64(st, first);
	cs_stmt_text_copy(st, first + 1, u->login, sizeof(u->login));
	cs_stmt_text_copy(st, first + 2, u->name, sizeof(u->name));
	role = cs_stmt_text(st, first + 3, &len);
	if (!role || !cs_role_parse(cs_str_make(role, len), &u->role))
		return cs_fail(err, CS_ESTORE, "unknown role '%s' in the database",
			       role ? role : "");
	u->unit_id = cs_stmt_is_null(st, first + 4) ? 0 : cs_stmt_i64(st, first + 4);
	cs_stmt_text_copy(st, first + 5, u->unit, sizeof(u->unit));
	u->subtree = cs_stmt_i64(st, first + 6) != 0;
	u->disabled = cs_stmt_i64(st, first + 7) != 0;
	u->failed_logins = cs_stmt_i64(st, first + 8);
	u->throttled_until = cs_stmt_i64(st, first + 9);
	cs_stmt_text_copy(st, first + 10, u->created_at, sizeof(u->created_at));
	return CS_OK;
}

static enum cs_err unit_id_of(struct cs_store *s, const char *code, int64_t *id,
			      struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s, "select id from unit where code = ?", &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, code, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "unit: no unit '%s'; import it first", code);
	if (!rc)
		*id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return rc;
}

static enum cs_err spec_check(const struct cs_user_spec *spec, struct cs_error *err)
{
	enum cs_err rc = cs_login_check(cs_str_from(spec->login), err);

	if (rc)
		return rc;
	if ((unsigned)spec->role >= CS_ROLE_COUNT_)
		return cs_fail(err, CS_EINVAL, "role: unknown role");
	if (spec->name && strlen(spec->name) > CS_USER_NAME_MAX)
		return cs_fail(err, CS_EINVAL, "name: %zu bytes; expected at most %d",
			       strlen(spec->name), CS_USER_NAME_MAX);
	if (spec->role == CS_ROLE_UNIT_OFFICER && (!spec->unit || !*spec->unit))
		return cs_fail(err, CS_EINVAL,
			       "a unit officer is bound to a unit; give the unit's code");
	if (spec->role != CS_ROLE_UNIT_OFFICER && spec->unit && *spec->unit)
		return cs_fail(err, CS_EINVAL,
			       "only unit officers are bound to a unit; a %s sees every unit",
			       cs_role_name(spec->role));
	if (spec->role != CS_ROLE_UNIT_OFFICER && spec->subtree)
		return cs_fail(err, CS_EINVAL, "only unit officers may be given a subtree");
	if (!spec->password_hash || strncmp(spec->password_hash, "$argon2id$", 10) != 0)
		return cs_fail(err, CS_EINVAL, "the password hash is not an argon2id hash");
	return CS_OK;
}

enum cs_err cs_user_add(struct cs_store *s, const struct cs_user_spec *spec, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	char now[CS_STORE_TIME_LEN], unit_text[160];
	int64_t unit_id = 0;
	enum cs_err rc;

	rc = spec_check(spec, err);
	if (rc)
		return rc;
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	if (spec->role == CS_ROLE_UNIT_OFFICER)
		rc = unit_id_of(s, spec->unit, &unit_id, err);
	cs_store_now(now);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "insert into app_user (login, name, role, unit_id, subtree, "
				     "password_hash, created_at) values (?, ?, ?, ?, ?, ?, ?)",
				     &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, spec->login, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, spec->name ? spec->name : "", err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, cs_role_name(spec->role), err);
	if (!rc)
		rc = unit_id ? cs_stmt_bind_i64(st, 4, unit_id, err)
			     : cs_stmt_bind_null(st, 4, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 5, spec->subtree, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 6, spec->password_hash, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 7, now, err);
	if (!rc) {
		rc = cs_stmt_run(st, err);
		if (rc == CS_EEXIST)
			cs_fail(err, CS_EEXIST, "login '%s' is taken; choose another", spec->login);
	}
	if (!rc)
		rc = cs_audit_append(s, NULL, "user", spec->login, "role", NULL,
				     cs_role_name(spec->role), NULL, err);
	if (!rc && unit_id) {
		snprintf(unit_text, sizeof(unit_text), "%s%s", spec->unit,
			 spec->subtree ? " (subtree)" : "");
		rc = cs_audit_append(s, NULL, "user", spec->login, "unit", NULL, unit_text, NULL,
				     err);
	}
	cs_stmt_free(st);
	if (!rc)
		rc = cs_store_commit(s, err);
	else
		cs_store_rollback(s);
	return rc;
}

enum cs_err cs_user_find(struct cs_store *s, const char *login, struct cs_user *out, bool *found,
			 struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	enum cs_err rc;

	*found = false;
	rc = cs_stmt_prepare(s,
			     "select " USER_COLUMNS ", u.password_hash from app_user u left join "
			     "unit n on n.id = u.unit_id where u.login = ?",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, login, err);
	if (!rc)
		rc = cs_stmt_step(st, found, err);
	if (!rc && *found) {
		rc = read_user(st, 0, out, err);
		cs_stmt_text_copy(st, 11, out->password_hash, sizeof(out->password_hash));
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_user_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select " USER_COLUMNS " from app_user u left join unit n on n.id = "
			     "u.unit_id order by u.login",
			     &st, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_user *u = cs_vec_push_zero(out, err);

		rc = u ? read_user(st, 0, u, err) : (err ? err->code : CS_ENOMEM);
	}
	cs_stmt_free(st);
	return rc;
}

/* Runs one statement: text (when not NULL) is parameter 1, the integers follow. */
static enum cs_err run_sql(struct cs_store *s, const char *sql, const int64_t *ints, size_t nints,
			   const char *text, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	enum cs_err rc;
	int k = 1;

	rc = cs_stmt_prepare(s, sql, &st, err);
	if (!rc && text)
		rc = cs_stmt_bind_textz(st, k++, text, err);
	for (size_t i = 0; !rc && i < nints; i++)
		rc = cs_stmt_bind_i64(st, k++, ints[i], err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	return rc;
}

/* Finds the account inside a transaction: CS_ENOTFOUND naming the login. */
static enum cs_err must_find(struct cs_store *s, const char *login, struct cs_user *u,
			     struct cs_error *err)
{
	bool found = false;
	enum cs_err rc = cs_user_find(s, login, u, &found, err);

	if (!rc && !found)
		rc = cs_fail(err, CS_ENOTFOUND, "no account '%s'; list them with 'chiso user list'",
			     login);
	return rc;
}

enum cs_err cs_user_set_disabled(struct cs_store *s, const char *login, bool disabled,
				 bool *changed, struct cs_error *err)
{
	struct cs_user u;
	enum cs_err rc;

	if (changed)
		*changed = false;
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	rc = must_find(s, login, &u, err);
	if (!rc && u.disabled != disabled) {
		int64_t args[2] = {disabled, u.id};

		rc = run_sql(s, "update app_user set disabled = ? where id = ?", args, 2, NULL,
			     err);
		if (!rc && disabled)
			rc = run_sql(s, "delete from session where user_id = ?", &u.id, 1, NULL,
				     err);
		if (!rc)
			rc = cs_audit_append(s, NULL, "user", login, "disabled",
					     u.disabled ? "yes" : "no", disabled ? "yes" : "no",
					     NULL, err);
		if (!rc && changed)
			*changed = true;
	}
	if (!rc)
		rc = cs_store_commit(s, err);
	else
		cs_store_rollback(s);
	return rc;
}

enum cs_err cs_user_set_password(struct cs_store *s, const char *login, const char *password_hash,
				 struct cs_error *err)
{
	struct cs_user u;
	enum cs_err rc;

	if (!password_hash || strncmp(password_hash, "$argon2id$", 10) != 0)
		return cs_fail(err, CS_EINVAL, "the password hash is not an argon2id hash");
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	rc = must_find(s, login, &u, err);
	if (!rc)
		rc = run_sql(s,
			     "update app_user set failed_logins = 0, throttled_until = 0, "
			     "password_hash = ? where id = ?",
			     &u.id, 1, password_hash, err);
	if (!rc)
		rc = run_sql(s, "delete from session where user_id = ?", &u.id, 1, NULL, err);
	if (!rc)
		rc = cs_audit_append(s, NULL, "user", login, "password", NULL, NULL,
				     "password changed", err);
	if (!rc)
		rc = cs_store_commit(s, err);
	else
		cs_store_rollback(s);
	return rc;
}

int64_t cs_login_backoff(int64_t failures)
{
	int64_t wait = CS_LOGIN_BACKOFF_BASE;

	if (failures <= CS_LOGIN_FREE_FAILURES)
		return 0;
	for (int64_t i = CS_LOGIN_FREE_FAILURES + 1; i < failures && wait < CS_LOGIN_BACKOFF_MAX;
	     i++)
		wait *= 2;
	return wait < CS_LOGIN_BACKOFF_MAX ? wait : CS_LOGIN_BACKOFF_MAX;
}

enum cs_err cs_user_login_failed(struct cs_store *s, int64_t user_id, int64_t now,
				 int64_t *failures, int64_t *until, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	int64_t n = 0, t = 0;
	enum cs_err rc;

	rc = cs_stmt_prepare(s, "select failed_logins from app_user where id = ?", &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, user_id, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "no account with id %" PRId64, user_id);
	if (!rc)
		n = cs_stmt_i64(st, 0) + 1;
	cs_stmt_free(st);
	if (rc)
		return rc;
	t = cs_login_backoff(n) ? now + cs_login_backoff(n) : 0;
	{
		int64_t args[3] = {n, t, user_id};

		rc = run_sql(s,
			     "update app_user set failed_logins = ?, throttled_until = ? where id "
			     "= ?",
			     args, 3, NULL, err);
	}
	if (!rc && failures)
		*failures = n;
	if (!rc && until)
		*until = t;
	return rc;
}

/* 32 random bytes as URL-safe base64 without padding: 43 characters. */
static void random_token(char out[CS_SESSION_TOKEN_LEN])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, CS_SESSION_TOKEN_LEN, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

enum cs_err cs_session_tokens(char token[CS_SESSION_TOKEN_LEN], char csrf[CS_SESSION_TOKEN_LEN],
			      struct cs_error *err)
{
	_Static_assert(
		CS_SESSION_TOKEN_LEN ==
			sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
		"token size");
	enum cs_err rc = sodium_ready(err);

	if (rc)
		return rc;
	random_token(token);
	random_token(csrf);
	return CS_OK;
}

void cs_session_token_sha256(const char *token, char out[CS_SHA256_HEX_LEN])
{
	cs_sha256_hex(token, strlen(token), out);
}

enum cs_err cs_session_add(struct cs_store *s, int64_t user_id, const char *token_sha256,
			   const char *csrf, int64_t now, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	enum cs_err rc;

	rc = run_sql(s, "delete from session where expires_at <= ?", &now, 1, NULL, err);
	if (!rc)
		rc = run_sql(s,
			     "update app_user set failed_logins = 0, throttled_until = 0 where id "
			     "= ?",
			     &user_id, 1, NULL, err);
	if (!rc)
		rc = cs_stmt_prepare(
			s,
			"insert into session (token_sha256, user_id, csrf, created_at, "
			"expires_at) values (?, ?, ?, ?, ?)",
			&st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, token_sha256, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, user_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, csrf, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 4, now, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 5, now + CS_SESSION_LIFETIME, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_session_find(struct cs_store *s, const char *token_sha256, int64_t now,
			    struct cs_session *out, bool *found, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	enum cs_err rc;

	*found = false;
	rc = cs_stmt_prepare(s,
			     "select s.id, s.expires_at, s.csrf, " USER_COLUMNS
			     " from session s join app_user u on u.id = s.user_id left join unit n "
			     "on n.id = u.unit_id where s.token_sha256 = ? and s.expires_at > ? "
			     "and u.disabled = 0",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, token_sha256, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, now, err);
	if (!rc)
		rc = cs_stmt_step(st, found, err);
	if (!rc && *found) {
		memset(out, 0, sizeof(*out));
		out->id = cs_stmt_i64(st, 0);
		out->expires_at = cs_stmt_i64(st, 1);
		cs_stmt_text_copy(st, 2, out->csrf, sizeof(out->csrf));
		rc = read_user(st, 3, &out->user, err);
		if (rc)
			*found = false;
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_session_delete(struct cs_store *s, int64_t session_id, struct cs_error *err)
{
	return run_sql(s, "delete from session where id = ?", &session_id, 1, NULL, err);
}
