/*
 * Tests of one-time survey tokens (store/token_store.h) on databases in a
 * temporary directory: the code's form, issuing with and without dossiers,
 * finding, the states, consuming once inside the caller's transaction (and
 * rolling back with the response it opens), and allocation failures.
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

#include "store/framework_store.h"
#include "store/store.h"
#include "store/token_store.h"
#include "store/unit_store.h"
#include "util/alloc.h"

#include "util/banned.h"

static char dir[4096];
static int serial;

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_token_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
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

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* A database with units P and U1, period 2024 and wave W (no questionnaire needed). */
static struct cs_store *open_ready(void)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};
	struct cs_period p = {.code = "2024", .starts = "2024-01-01", .ends = "2024-12-31"};

	snprintf(path, sizeof(path), "%s/db%d.sqlite", dir, serial++);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_OK);
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_OK);
	if (cs_store_exec(
		    s,
		    "insert into unit (code, name, level) values ('P', 'Tỉnh P', "
		    "'province');"
		    "insert into unit (code, name, parent_id, level) values ('U1', 'Đơn vị "
		    "1', 1, 'district');"
		    "insert into survey_wave (code, questionnaire, questionnaire_version, "
		    "period_id, created_at) values ('W', 't', '1', 1, '2024-01-01T00:00:00Z');",
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
	snprintf(out, size, "%s", t ? t : "");
	cs_stmt_free(st);
}

static bool in_alphabet(const char *s)
{
	for (; *s; s++)
		if (!strchr("0123456789abcdefghjkmnpqrstvwxyz", *s))
			return false;
	return true;
}

static void test_generate(void **state)
{
	char a[CS_TOKEN_LEN], b[CS_TOKEN_LEN];

	(void)state;
	assert_int_equal(cs_token_generate(a, NULL), CS_OK);
	assert_int_equal(cs_token_generate(b, NULL), CS_OK);
	assert_int_equal(strlen(a), CS_TOKEN_CHARS);
	assert_true(in_alphabet(a));
	assert_true(in_alphabet(b));
	/* 120 random bits: two draws are never equal. */
	assert_string_not_equal(a, b);
}

static void test_normalize(void **state)
{
	char out[CS_TOKEN_LEN];

	(void)state;
	assert_true(cs_token_normalize(CS_STR("0123456789abcdefghjkmnpq"), out));
	assert_string_equal(out, "0123456789abcdefghjkmnpq");
	/* Typed from paper: capitals, and I, L, O for 1, 1, 0. */
	assert_true(cs_token_normalize(CS_STR("O123456789ABCDEFGHJKMNPQ"), out));
	assert_string_equal(out, "0123456789abcdefghjkmnpq");
	assert_true(cs_token_normalize(CS_STR("il0000000000000000000000"), out));
	assert_string_equal(out, "110000000000000000000000");
	assert_false(cs_token_normalize(CS_STR("0123456789abcdefghjkmnp"), out));   /* 23 */
	assert_false(cs_token_normalize(CS_STR("0123456789abcdefghjkmnpqr"), out)); /* 25 */
	assert_false(cs_token_normalize(CS_STR("u123456789abcdefghjkmnpq"), out));
	assert_false(cs_token_normalize(CS_STR("-123456789abcdefghjkmnpq"), out));
	assert_false(cs_token_normalize(cs_str_make("0123456789abcdef\0hjkmnpq", 24), out));
	assert_false(cs_token_normalize(CS_STR(""), out));
}

static void test_issue(void **state)
{
	struct cs_store *s = open_ready();
	char codes[5][CS_TOKEN_LEN], exp[CS_STORE_TIME_LEN], now[CS_STORE_TIME_LEN], text[256];
	struct cs_token_issue is = {.wave = "W", .unit = "U1", .count = 5};
	struct cs_error err = {0};
	struct cs_token t;

	(void)state;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_OK);
	assert_string_equal(exp, "");
	for (int i = 0; i < 5; i++) {
		assert_true(in_alphabet(codes[i]));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(codes[i], codes[j]);
	}
	assert_int_equal(q_i64(s, "select count(*) from token where wave_id = 1 and unit_id = 2 "
				  "and dossier_ref_hash is null and used_at is null and expires_at "
				  "is null"),
			 5);
	q_text(s,
	       "select entity || ' ' || entity_id || ' ' || field || ' ' || new_value || ' ' || "
	       "reason from audit where field = 'tokens'",
	       text, sizeof(text));
	assert_string_equal(text, "survey_wave W tokens 5 U1");

	assert_int_equal(cs_token_store_find(s, codes[2], &t, &err), CS_OK);
	assert_string_equal(t.code, codes[2]);
	assert_string_equal(t.wave, "W");
	assert_string_equal(t.unit, "U1");
	assert_int_equal(t.wave_id, 1);
	assert_int_equal(t.unit_id, 2);
	assert_int_equal(strlen(t.issued_at), CS_STORE_TIME_LEN - 1);
	assert_string_equal(t.used_at, "");
	assert_string_equal(t.expires_at, "");
	cs_store_now(now);
	assert_int_equal(cs_token_state_at(&t, now), CS_TOKEN_OPEN);

	/* With an expiry. */
	is.count = 1;
	is.expires_days = 30;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_OK);
	assert_int_equal(strlen(exp), CS_STORE_TIME_LEN - 1);
	assert_true(strcmp(exp, now) > 0);
	assert_int_equal(cs_token_store_find(s, codes[0], &t, &err), CS_OK);
	assert_string_equal(t.expires_at, exp);
	assert_int_equal(cs_token_state_at(&t, now), CS_TOKEN_OPEN);
	assert_int_equal(cs_token_state_at(&t, "2999-01-01T00:00:00Z"), CS_TOKEN_EXPIRED);
	/* The expiry instant itself is past. */
	assert_int_equal(cs_token_state_at(&t, exp), CS_TOKEN_EXPIRED);

	assert_int_equal(cs_token_store_find(s, "zzzzzzzzzzzzzzzzzzzzzzzz", &t, &err),
			 CS_ENOTFOUND);
	assert_string_equal(err.msg, "no token 'zzzzzzzzzzzzzzzzzzzzzzzz'");
	cs_store_close(s);
}

static void test_issue_refused(void **state)
{
	struct cs_store *s = open_ready();
	char codes[3][CS_TOKEN_LEN], exp[CS_STORE_TIME_LEN];
	struct cs_token_issue is = {.wave = "W", .unit = "U1", .count = 0};
	struct cs_error err = {0};
	const char *dup[] = {"HS-1", "HS-2", "HS-1"};
	const char *empty[] = {"HS-1", ""};

	(void)state;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_EINVAL);
	assert_string_equal(err.msg, "count 0: expected 1 to 100000 tokens");
	is.count = CS_TOKEN_ISSUE_MAX + 1;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_EINVAL);
	is.count = 1;
	is.expires_days = 5000;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_EINVAL);
	assert_string_equal(err.msg, "expires 5000 days: expected at most 3660");
	is.expires_days = 0;
	is.wave = "W9";
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "no survey wave 'W9'");
	is.wave = "W";
	is.unit = "U9";
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "no unit 'U9'");
	is.unit = "U1";

	/* A dossier twice in one call: nothing is written. */
	is.count = 3;
	is.dossiers = dup;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_EEXIST);
	assert_string_equal(err.msg, "dossier 'HS-1' already has a token for wave 'W'");
	assert_int_equal(q_i64(s, "select count(*) from token"), 0);
	is.count = 2;
	is.dossiers = empty;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_EINVAL);
	assert_string_equal(err.msg, "dossier 2: 0 bytes; expected 1 to 256 bytes");

	/* Dossiers are kept as hashes only, one token each per wave. */
	is.dossiers = dup;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_OK);
	{
		char hash[CS_SHA256_HEX_LEN], sql[256];

		cs_sha256_hex("HS-2", 4, hash);
		snprintf(sql, sizeof(sql),
			 "select count(*) from token where dossier_ref_hash = '%s' and code = '%s'",
			 hash, codes[1]);
		assert_int_equal(q_i64(s, sql), 1);
		assert_int_equal(q_i64(s, "select count(*) from token where dossier_ref_hash "
					  "like '%HS%'"),
				 0);
	}
	is.count = 1;
	is.dossiers = dup + 1;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_EEXIST);
	assert_string_equal(err.msg, "dossier 'HS-2' already has a token for wave 'W'");
	assert_int_equal(q_i64(s, "select count(*) from token"), 2);
	cs_store_close(s);
}

static void test_consume(void **state)
{
	struct cs_store *s = open_ready();
	char codes[2][CS_TOKEN_LEN], exp[CS_STORE_TIME_LEN], now[CS_STORE_TIME_LEN], msg[256];
	struct cs_token_issue is = {.wave = "W", .unit = "U1", .count = 2};
	struct cs_error err = {0};
	int64_t wave = 0, unit = 0;
	struct cs_token t;

	(void)state;
	assert_int_equal(cs_token_store_issue(s, &is, codes, exp, &err), CS_OK);
	cs_store_now(now);

	/* Spent inside a transaction that rolls back: still open. */
	assert_int_equal(cs_store_begin(s, &err), CS_OK);
	assert_int_equal(cs_token_store_consume(s, codes[0], now, &wave, &unit, &err), CS_OK);
	assert_int_equal(wave, 1);
	assert_int_equal(unit, 2);
	cs_store_rollback(s);
	assert_int_equal(cs_token_store_find(s, codes[0], &t, &err), CS_OK);
	assert_int_equal(cs_token_state_at(&t, now), CS_TOKEN_OPEN);

	/* Spent and committed: accepted once. */
	assert_int_equal(cs_store_begin(s, &err), CS_OK);
	assert_int_equal(cs_token_store_consume(s, codes[0], now, NULL, NULL, &err), CS_OK);
	assert_int_equal(cs_token_store_consume(s, codes[0], now, NULL, NULL, &err), CS_ECONFLICT);
	snprintf(msg, sizeof(msg), "token '%s' was already used at %s", codes[0], now);
	assert_string_equal(err.msg, msg);
	assert_int_equal(cs_store_commit(s, &err), CS_OK);
	assert_int_equal(cs_token_store_find(s, codes[0], &t, &err), CS_OK);
	assert_string_equal(t.used_at, now);
	assert_int_equal(cs_token_state_at(&t, now), CS_TOKEN_USED);
	assert_int_equal(cs_token_store_consume(s, codes[0], now, NULL, NULL, &err), CS_ECONFLICT);

	/* Expired. */
	assert_int_equal(
		cs_store_exec(s, "update token set expires_at = '2020-01-01T00:00:00Z'", &err),
		CS_OK);
	assert_int_equal(cs_token_store_consume(s, codes[1], now, NULL, NULL, &err), CS_ESTATE);
	snprintf(msg, sizeof(msg), "token '%s' expired at 2020-01-01T00:00:00Z", codes[1]);
	assert_string_equal(err.msg, msg);
	/* Used wins over expired in the message: it is what happened first. */
	assert_int_equal(cs_token_store_consume(s, codes[0], now, NULL, NULL, &err), CS_ECONFLICT);
	/* Before its expiry it could be spent. */
	assert_int_equal(
		cs_token_store_consume(s, codes[1], "2019-12-31T23:59:59Z", NULL, NULL, &err),
		CS_OK);

	assert_int_equal(
		cs_token_store_consume(s, "zzzzzzzzzzzzzzzzzzzzzzzz", now, NULL, NULL, &err),
		CS_ENOTFOUND);
	cs_store_close(s);
}

static void test_alloc_failures(void **state)
{
	struct cs_store *s = open_ready();
	char codes[3][CS_TOKEN_LEN], exp[CS_STORE_TIME_LEN], now[CS_STORE_TIME_LEN];
	const char *dossiers[] = {"A", "B", "C"};
	struct cs_token_issue is = {.wave = "W", .unit = "U1", .count = 3, .dossiers = dossiers};
	struct cs_token t;
	enum cs_err rc = CS_ENOMEM;

	(void)state;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_error err = {0};

		cs_alloc_fail_after(n);
		rc = cs_token_store_issue(s, &is, codes, exp, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (rc)
			assert_int_equal(q_i64(s, "select count(*) from token"), 0);
	}
	assert_int_equal(q_i64(s, "select count(*) from token"), 3);
	cs_store_now(now);
	rc = CS_ENOMEM;
	for (long n = 0; rc != CS_OK; n++) {
		struct cs_error err = {0};

		cs_alloc_fail_after(n);
		rc = cs_token_store_find(s, codes[1], &t, &err);
		if (rc == CS_OK)
			rc = cs_token_store_consume(s, codes[1], now, NULL, NULL, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
	}
	assert_int_equal(q_i64(s, "select count(used_at) from token"), 1);
	cs_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_issue),
		cmocka_unit_test(test_issue_refused),
		cmocka_unit_test(test_consume),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
