/*
 * One-time survey tokens: random codes from libsodium in Crockford's base32,
 * issued in one transaction per batch and consumed by a conditional update
 * inside the transaction of the response they open.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "store/audit.h"
#include "store/framework_store.h" /* cs_sha256_hex */
#include "store/token_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* Crockford's base32: no i, l, o or u, which read as 1, 1, 0 or a rude word. */
static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

enum cs_err cs_token_generate(char out[CS_TOKEN_LEN], struct cs_error *err)
{
	unsigned char raw[CS_TOKEN_CHARS * 5 / 8];
	uint64_t bits = 0;
	unsigned have = 0;
	size_t o = 0;

	/* sodium_init is safe to call from several threads and more than once. */
	if (sodium_init() < 0)
		return cs_fail(err, CS_EINTERNAL, "libsodium cannot start: no random numbers");
	randombytes_buf(raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++) {
		bits = bits << 8 | raw[i];
		have += 8;
		while (have >= 5) {
			have -= 5;
			out[o++] = alphabet[(bits >> have) & 31];
		}
	}
	out[o] = '\0';
	sodium_memzero(raw, sizeof(raw));
	return CS_OK;
}

bool cs_token_normalize(struct cs_str s, char out[CS_TOKEN_LEN])
{
	if (s.len != CS_TOKEN_CHARS)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c == 'i' || c == 'l')
			c = '1';
		else if (c == 'o')
			c = '0';
		if (c == '\0' || !strchr(alphabet, c))
			return false;
		out[i] = c;
	}
	out[s.len] = '\0';
	return true;
}

enum cs_token_state cs_token_state_at(const struct cs_token *t, const char *now)
{
	if (t->used_at[0])
		return CS_TOKEN_USED;
	if (t->expires_at[0] && strcmp(t->expires_at, now) <= 0)
		return CS_TOKEN_EXPIRED;
	return CS_TOKEN_OPEN;
}

/* The id of the row of table whose code is code; CS_ENOTFOUND naming what. */
static enum cs_err find_id(struct cs_store *s, const char *sql, const char *code, const char *what,
			   int64_t *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s, sql, &st, err);

	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, code, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "no %s '%.64s'", what, code);
	if (!rc)
		*out = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return rc;
}

/* now + days as a stored timestamp. */
static void expiry(unsigned days, char out[CS_STORE_TIME_LEN])
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(out, CS_STORE_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

static enum cs_err check_issue(const struct cs_token_issue *is, struct cs_error *err)
{
	if (is->count == 0 || is->count > CS_TOKEN_ISSUE_MAX)
		return cs_fail(err, CS_EINVAL, "count %zu: expected 1 to %d tokens", is->count,
			       CS_TOKEN_ISSUE_MAX);
	if (is->expires_days > 3660)
		return cs_fail(err, CS_EINVAL, "expires %u days: expected at most 3660",
			       is->expires_days);
	for (size_t i = 0; is->dossiers && i < is->count; i++) {
		const char *d = is->dossiers[i];
		size_t len = d ? strlen(d) : 0;

		if (len == 0 || len > CS_TOKEN_DOSSIER_MAX)
			return cs_fail(err, CS_EINVAL,
				       "dossier %zu: %zu bytes; expected 1 to %d bytes", i + 1, len,
				       CS_TOKEN_DOSSIER_MAX);
	}
	return CS_OK;
}

enum cs_err cs_token_store_issue(struct cs_store *s, const struct cs_token_issue *is,
				 char (*codes)[CS_TOKEN_LEN], char expires_at[CS_STORE_TIME_LEN],
				 struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	char now[CS_STORE_TIME_LEN], count[32];
	int64_t wave_id = 0, unit_id = 0;
	enum cs_err rc = check_issue(is, err);

	expires_at[0] = '\0';
	if (rc)
		return rc;
	cs_store_now(now);
	if (is->expires_days)
		expiry(is->expires_days, expires_at);
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	rc = find_id(s, "select id from survey_wave where code = ?", is->wave, "survey wave",
		     &wave_id, err);
	if (!rc)
		rc = find_id(s, "select id from unit where code = ?", is->unit, "unit", &unit_id,
			     err);
	if (!rc)
		rc = cs_stmt_prepare(s,
				     "insert into token (code, wave_id, unit_id, dossier_ref_hash, "
				     "issued_at, expires_at) values (?, ?, ?, ?, ?, ?)",
				     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, wave_id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 3, unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 5, now, err);
	if (!rc)
		rc = expires_at[0] ? cs_stmt_bind_textz(st, 6, expires_at, err)
				   : cs_stmt_bind_null(st, 6, err);
	for (size_t i = 0; i < is->count && !rc; i++) {
		char hash[CS_SHA256_HEX_LEN];

		if (is->dossiers) {
			cs_sha256_hex(is->dossiers[i], strlen(is->dossiers[i]), hash);
			rc = cs_stmt_bind_textz(st, 4, hash, err);
		} else {
			rc = cs_stmt_bind_null(st, 4, err);
		}
		/* Two equal codes out of 2^120 will not happen; the unique
		 * index would refuse them, and a second draw is tried. */
		for (int attempt = 0; attempt < 2 && !rc; attempt++) {
			rc = cs_token_generate(codes[i], err);
			if (!rc)
				rc = cs_stmt_bind_textz(st, 1, codes[i], err);
			if (!rc)
				rc = cs_stmt_run(st, err);
			if (rc != CS_EEXIST || is->dossiers)
				break;
			rc = CS_OK;
		}
		if (rc == CS_EEXIST && is->dossiers)
			rc = cs_fail(err, CS_EEXIST,
				     "dossier '%.64s' already has a token for wave '%.64s'",
				     is->dossiers[i], is->wave);
	}
	cs_stmt_free(st);
	snprintf(count, sizeof(count), "%zu", is->count);
	if (!rc)
		rc = cs_audit_append(s, NULL, "survey_wave", is->wave, "tokens", NULL, count,
				     is->unit, err);
	if (rc) {
		cs_store_rollback(s);
		expires_at[0] = '\0';
		return rc;
	}
	return cs_store_commit(s, err);
}

#define TOKEN_COLUMNS                                                                          \
	"t.code, t.wave_id, t.unit_id, w.code, u.code, t.issued_at, t.expires_at, "            \
	"t.used_at from token t join survey_wave w on w.id = t.wave_id join unit u on u.id = " \
	"t.unit_id "

enum cs_err cs_token_store_find(struct cs_store *s, const char *code, struct cs_token *out,
				struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s, "select " TOKEN_COLUMNS "where t.code = ?", &st, err);

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, code, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "no token '%.32s'", code);
	if (!rc) {
		cs_stmt_text_copy(st, 0, out->code, sizeof(out->code));
		out->wave_id = cs_stmt_i64(st, 1);
		out->unit_id = cs_stmt_i64(st, 2);
		cs_stmt_text_copy(st, 3, out->wave, sizeof(out->wave));
		cs_stmt_text_copy(st, 4, out->unit, sizeof(out->unit));
		cs_stmt_text_copy(st, 5, out->issued_at, sizeof(out->issued_at));
		cs_stmt_text_copy(st, 6, out->expires_at, sizeof(out->expires_at));
		cs_stmt_text_copy(st, 7, out->used_at, sizeof(out->used_at));
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_token_store_consume(struct cs_store *s, const char *code, const char *now,
				   int64_t *wave_id, int64_t *unit_id, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	struct cs_token t;
	bool row = false;
	enum cs_err rc = cs_stmt_prepare(s,
					 "update token set used_at = ? where code = ? and used_at "
					 "is null and (expires_at is null or expires_at > ?) "
					 "returning wave_id, unit_id",
					 &st, err);

	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, now, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, code, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, now, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row) {
		if (wave_id)
			*wave_id = cs_stmt_i64(st, 0);
		if (unit_id)
			*unit_id = cs_stmt_i64(st, 1);
	}
	cs_stmt_free(st);
	if (rc || row)
		return rc;
	/* Nothing updated: say why. */
	rc = cs_token_store_find(s, code, &t, err);
	if (rc)
		return rc;
	if (t.used_at[0])
		return cs_fail(err, CS_ECONFLICT, "token '%s' was already used at %s", t.code,
			       t.used_at);
	return cs_fail(err, CS_ESTATE, "token '%s' expired at %s", t.code, t.expires_at);
}
