/*
 * Tests of staff accounts and sessions (store/user_store.h) on databases in a
 * temporary directory: roles and logins, argon2id hashing and checking,
 * adding, listing, disabling and re-keying accounts with their audit rows,
 * the throttling of failed sign-ins, sessions (tokens, expiry, disabled
 * accounts, sign-out), and allocation failures.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "store/user_store.h"
#include "util/alloc.h"

#include "util/banned.h"

static char dir[4096];
static int serial;
/* One hash made once: argon2id costs 64 MiB and tens of milliseconds. */
static char hash_a[CS_PASSWORD_HASH_LEN];

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct cs_error err = {0};

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_user_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	return cs_password_hash("correct horse", 13, hash_a, &err) == CS_OK ? 0 : -1;
}

static int teardown(void **state)
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

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* A database with units P and U1. */
static struct cs_store *open_ready(void)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	snprintf(path, sizeof(path), "%s/db%d.sqlite", dir, serial++);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_OK);
	if (cs_store_exec(s,
			  "insert into unit (code, name, level) values ('P', 'Tỉnh P', "
			  "'province');"
			  "insert into unit (code, name, parent_id, level) values ('U1', 'Đơn vị "
			  "1', 1, 'district');",
			  &err))
		fail_msg("%s", err.msg);
	return s;
}

static int64_t q_i64(struct cs_store *s, const char *sql)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	int64_t v = -1;

	assert_int_equal(cs_stmt_prepare(s, sql, &st, NULL), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, NULL), CS_OK);
	if (row)
		v = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return v;
}

static void q_text(struct cs_store *s, const char *sql, char *out, size_t size)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	const char *t;

	out[0] = '\0';
	assert_int_equal(cs_stmt_prepare(s, sql, &st, NULL), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, NULL), CS_OK);
	t = row ? cs_stmt_text(st, 0, NULL) : NULL;
	snprintf(out, size, "%s", t ? t : "(null)");
	cs_stmt_free(st);
}

static void add(struct cs_store *s, const char *login, enum cs_role role, const char *unit)
{
	struct cs_user_spec spec = {.login = login,
				    .name = "Nguyễn Văn A",
				    .role = role,
				    .unit = unit,
				    .password_hash = hash_a};
	struct cs_error err = {0};

	if (cs_user_add(s, &spec, &err))
		fail_msg("%s", err.msg);
}

static void test_roles_and_logins(void **state)
{
	struct cs_error err = {0};
	enum cs_role r;

	(void)state;
	assert_string_equal(cs_role_name(CS_ROLE_ADMIN), "admin");
	assert_string_equal(cs_role_name(CS_ROLE_UNIT_OFFICER), "unit_officer");
	assert_string_equal(cs_role_name(CS_ROLE_SURVEYOR), "surveyor");
	assert_null(cs_role_name(CS_ROLE_COUNT_));
	assert_true(cs_role_parse(cs_str_from("Unit-Officer"), &r));
	assert_int_equal(r, CS_ROLE_UNIT_OFFICER);
	assert_true(cs_role_parse(cs_str_from("appraiser"), &r));
	assert_int_equal(r, CS_ROLE_APPRAISER);
	assert_false(cs_role_parse(cs_str_from("root"), &r));
	assert_false(cs_role_parse(cs_str_from("admins"), &r));

	assert_int_equal(cs_login_check(cs_str_from("nva.2024_x-y"), &err), CS_OK);
	assert_int_equal(cs_login_check(cs_str_from("Admin"), &err), CS_EINVAL);
	assert_string_equal(err.msg, "login 'Admin': expected lower-case letters a-z, digits, '.', "
				     "'_' and '-', starting with a letter or digit");
	assert_int_equal(cs_login_check(cs_str_from(".x"), &err), CS_EINVAL);
	assert_int_equal(cs_login_check(cs_str_from("a b"), &err), CS_EINVAL);
	assert_int_equal(cs_login_check(cs_str_from(""), &err), CS_EINVAL);
	assert_string_equal(err.msg, "login '': 0 bytes; expected 1 to 63");
	assert_int_equal(cs_login_check(cs_str_from("abcdefghijabcdefghijabcdefghijabcdefghijabcd"
						    "efghijabcdefghijabcde"),
					&err),
			 CS_EINVAL);
}

static void test_passwords(void **state)
{
	char h[CS_PASSWORD_HASH_LEN];
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(strncmp(hash_a, "$argon2id$v=19$m=65536,t=2,p=1$", 31), 0);
	assert_true(cs_password_verify(hash_a, "correct horse", 13));
	assert_false(cs_password_verify(hash_a, "correct horsE", 13));
	assert_false(cs_password_verify(hash_a, "correct hors", 12));
	assert_false(cs_password_verify("not a hash", "correct horse", 13));
	/* An unknown login is checked against a dummy hash, never accepted. */
	assert_false(cs_password_verify(NULL, "correct horse", 13));
	assert_int_equal(cs_password_hash("short", 5, h, &err), CS_EINVAL);
	assert_string_equal(err.msg, "the password has 5 bytes; expected 10 to 1024");
	assert_string_equal(h, "");
}

static void test_add_find_list(void **state)
{
	struct cs_store *s = open_ready();
	struct cs_user_spec spec = {
		.login = "x", .role = CS_ROLE_UNIT_OFFICER, .password_hash = hash_a};
	struct cs_error err = {0};
	struct cs_user u;
	struct cs_vec list;
	bool found = false;
	char text[256];

	(void)state;
	add(s, "admin", CS_ROLE_ADMIN, NULL);
	add(s, "u1", CS_ROLE_UNIT_OFFICER, "U1");
	add(s, "council", CS_ROLE_APPRAISER, NULL);

	assert_int_equal(cs_user_add(s, &spec, &err), CS_EINVAL);
	assert_string_equal(err.msg, "a unit officer is bound to a unit; give the unit's code");
	spec.unit = "NOPE";
	assert_int_equal(cs_user_add(s, &spec, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "unit: no unit 'NOPE'; import it first");
	spec.role = CS_ROLE_VIEWER;
	spec.unit = "U1";
	assert_int_equal(cs_user_add(s, &spec, &err), CS_EINVAL);
	assert_string_equal(err.msg,
			    "only unit officers are bound to a unit; a viewer sees every unit");
	spec.unit = NULL;
	spec.login = "admin";
	assert_int_equal(cs_user_add(s, &spec, &err), CS_EEXIST);
	assert_string_equal(err.msg, "login 'admin' is taken; choose another");
	spec.login = "bad login";
	assert_int_equal(cs_user_add(s, &spec, &err), CS_EINVAL);
	spec.login = "nohash";
	spec.password_hash = "plain text";
	assert_int_equal(cs_user_add(s, &spec, &err), CS_EINVAL);
	assert_int_equal(q_i64(s, "select count(*) from app_user"), 3);

	assert_int_equal(cs_user_find(s, "u1", &u, &found, &err), CS_OK);
	assert_true(found);
	assert_string_equal(u.login, "u1");
	assert_string_equal(u.name, "Nguyễn Văn A");
	assert_int_equal(u.role, CS_ROLE_UNIT_OFFICER);
	assert_string_equal(u.unit, "U1");
	assert_int_equal(u.unit_id, 2);
	assert_false(u.subtree);
	assert_false(u.disabled);
	assert_string_equal(u.password_hash, hash_a);
	assert_int_equal(cs_user_find(s, "nobody", &u, &found, &err), CS_OK);
	assert_false(found);

	cs_vec_init(&list, sizeof(struct cs_user), 0);
	assert_int_equal(cs_user_list(s, &list, &err), CS_OK);
	assert_int_equal(list.len, 3);
	assert_string_equal(((struct cs_user *)cs_vec_at(&list, 0))->login, "admin");
	assert_string_equal(((struct cs_user *)cs_vec_at(&list, 1))->login, "council");
	assert_string_equal(((struct cs_user *)cs_vec_at(&list, 2))->login, "u1");
	assert_string_equal(((struct cs_user *)cs_vec_at(&list, 2))->password_hash, "");
	cs_vec_release(&list);

	q_text(s,
	       "select group_concat(entity || '|' || entity_id || '|' || field || '|' || "
	       "new_value, ';') from audit",
	       text, sizeof(text));
	assert_string_equal(text, "user|admin|role|admin;user|u1|role|unit_officer;"
				  "user|u1|unit|U1;user|council|role|appraiser");
	cs_store_close(s);
}

static void test_backoff_and_failures(void **state)
{
	struct cs_store *s = open_ready();
	struct cs_error err = {0};
	int64_t failures = 0, until = 0;

	(void)state;
	assert_int_equal(cs_login_backoff(0), 0);
	assert_int_equal(cs_login_backoff(5), 0);
	assert_int_equal(cs_login_backoff(6), 30);
	assert_int_equal(cs_login_backoff(7), 60);
	assert_int_equal(cs_login_backoff(8), 120);
	assert_int_equal(cs_login_backoff(12), 1920);
	assert_int_equal(cs_login_backoff(13), 3600);
	assert_int_equal(cs_login_backoff(1000000), 3600);

	add(s, "a", CS_ROLE_ADMIN, NULL);
	for (int i = 1; i <= 5; i++) {
		assert_int_equal(cs_user_login_failed(s, 1, 1000, &failures, &until, &err), CS_OK);
		assert_int_equal(failures, i);
		assert_int_equal(until, 0);
	}
	assert_int_equal(cs_user_login_failed(s, 1, 1000, &failures, &until, &err), CS_OK);
	assert_int_equal(failures, 6);
	assert_int_equal(until, 1030);
	assert_int_equal(cs_user_login_failed(s, 1, 2000, &failures, &until, &err), CS_OK);
	assert_int_equal(until, 2060);
	assert_int_equal(q_i64(s, "select throttled_until from app_user"), 2060);
	assert_int_equal(cs_user_login_failed(s, 99, 2000, NULL, NULL, &err), CS_ENOTFOUND);

	/* A new password lifts the throttling. */
	assert_int_equal(cs_user_set_password(s, "a", hash_a, &err), CS_OK);
	assert_int_equal(q_i64(s, "select failed_logins + throttled_until from app_user"), 0);
	assert_int_equal(cs_user_set_password(s, "b", hash_a, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "no account 'b'; list them with 'chiso user list'");
	assert_int_equal(cs_user_set_password(s, "a", "x", &err), CS_EINVAL);
	cs_store_close(s);
}

static void test_sessions(void **state)
{
	struct cs_store *s = open_ready();
	char tok[CS_SESSION_TOKEN_LEN], csrf[CS_SESSION_TOKEN_LEN], tok2[CS_SESSION_TOKEN_LEN];
	char h[CS_SHA256_HEX_LEN], h2[CS_SHA256_HEX_LEN], text[256];
	struct cs_error err = {0};
	struct cs_session ses;
	bool found = false, changed = false;

	(void)state;
	add(s, "u1", CS_ROLE_UNIT_OFFICER, "U1");
	assert_int_equal(cs_session_tokens(tok, csrf, &err), CS_OK);
	assert_int_equal(strlen(tok), 43);
	assert_int_equal(strlen(csrf), 43);
	assert_int_not_equal(strcmp(tok, csrf), 0);
	assert_int_equal(strspn(tok,
				"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
				"-_"),
			 43);
	cs_session_token_sha256("abc", h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	cs_session_token_sha256(tok, h);

	assert_int_equal(cs_user_login_failed(s, 1, 100, NULL, NULL, &err), CS_OK);
	assert_int_equal(cs_session_add(s, 1, h, csrf, 1000, &err), CS_OK);
	/* A success ends the run of failures. */
	assert_int_equal(q_i64(s, "select failed_logins from app_user"), 0);
	/* The token itself is nowhere in the database. */
	snprintf(text, sizeof(text), "select count(*) from session where token_sha256 = '%s'", tok);
	assert_int_equal(q_i64(s, text), 0);

	assert_int_equal(cs_session_find(s, h, 1001, &ses, &found, &err), CS_OK);
	assert_true(found);
	assert_string_equal(ses.csrf, csrf);
	assert_int_equal(ses.expires_at, 1000 + CS_SESSION_LIFETIME);
	assert_string_equal(ses.user.login, "u1");
	assert_string_equal(ses.user.unit, "U1");
	assert_int_equal(ses.user.role, CS_ROLE_UNIT_OFFICER);
	/* Expired. */
	assert_int_equal(cs_session_find(s, h, 1000 + CS_SESSION_LIFETIME, &ses, &found, &err),
			 CS_OK);
	assert_false(found);
	/* Unknown. */
	cs_session_token_sha256("other", h2);
	assert_int_equal(cs_session_find(s, h2, 1001, &ses, &found, &err), CS_OK);
	assert_false(found);

	/* A disabled account has no live session, and disabling ends them. */
	assert_int_equal(cs_user_set_disabled(s, "u1", true, &changed, &err), CS_OK);
	assert_true(changed);
	assert_int_equal(q_i64(s, "select count(*) from session"), 0);
	assert_int_equal(cs_user_set_disabled(s, "u1", true, &changed, &err), CS_OK);
	assert_false(changed);
	assert_int_equal(cs_session_add(s, 1, h, csrf, 1000, &err), CS_OK);
	assert_int_equal(cs_session_find(s, h, 1001, &ses, &found, &err), CS_OK);
	assert_false(found);
	assert_int_equal(cs_user_set_disabled(s, "u1", false, &changed, &err), CS_OK);
	assert_true(changed);
	assert_int_equal(cs_session_find(s, h, 1001, &ses, &found, &err), CS_OK);
	assert_true(found);
	assert_int_equal(cs_user_set_disabled(s, "zz", false, &changed, &err), CS_ENOTFOUND);

	/* Expired sessions are swept when a new one starts; sign-out deletes. */
	assert_int_equal(cs_session_tokens(tok2, csrf, &err), CS_OK);
	cs_session_token_sha256(tok2, h2);
	assert_int_equal(cs_session_add(s, 1, h2, csrf, 1000 + CS_SESSION_LIFETIME, &err), CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from session"), 1);
	assert_int_equal(cs_session_find(s, h2, 1001, &ses, &found, &err), CS_OK);
	assert_true(found);
	assert_int_equal(cs_session_delete(s, ses.id, &err), CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from session"), 0);

	/* A new password ends the sessions. */
	assert_int_equal(cs_session_add(s, 1, h2, csrf, 5000, &err), CS_OK);
	assert_int_equal(cs_user_set_password(s, "u1", hash_a, &err), CS_OK);
	assert_int_equal(q_i64(s, "select count(*) from session"), 0);
	q_text(s, "select group_concat(field, ',') from audit", text, sizeof(text));
	assert_string_equal(text, "role,unit,disabled,disabled,password");
	cs_store_close(s);
}

static void test_alloc_failures(void **state)
{
	struct cs_store *s = open_ready();
	struct cs_user_spec spec = {.login = "a", .role = CS_ROLE_ADMIN, .password_hash = hash_a};
	struct cs_session ses;
	char h[CS_SHA256_HEX_LEN];
	enum cs_err rc = CS_ENOMEM;

	(void)state;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_error err = {0};

		cs_alloc_fail_after(n);
		rc = cs_user_add(s, &spec, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (rc)
			assert_int_equal(q_i64(s, "select count(*) from app_user"), 0);
	}
	add(s, "b", CS_ROLE_VIEWER, NULL);
	rc = CS_ENOMEM;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_error err = {0};
		struct cs_vec list;

		cs_vec_init(&list, sizeof(struct cs_user), 0);
		cs_alloc_fail_after(n);
		rc = cs_user_list(s, &list, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (!rc)
			assert_int_equal(list.len, 2);
		cs_vec_release(&list);
	}
	cs_session_token_sha256("t", h);
	rc = CS_ENOMEM;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_error err = {0};
		bool found = false;

		cs_alloc_fail_after(n);
		rc = cs_session_add(s, 1, h, "c", 100, &err);
		if (!rc)
			rc = cs_session_find(s, h, 101, &ses, &found, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (!rc)
			assert_true(found);
		else
			cs_store_exec(s, "delete from session", NULL);
	}
	cs_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_and_logins),
		cmocka_unit_test(test_passwords),
		cmocka_unit_test(test_add_find_list),
		cmocka_unit_test(test_backoff_and_failures),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
