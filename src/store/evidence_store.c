/*
 * Evidence files: recognised by their magic bytes, hashed with SHA-256,
 * stored once per content as base64 text (libsodium's codec) so that the
 * schema stays within the portable subset, checked against the hash again
 * when read back.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "store/audit.h"
#include "store/evidence_store.h"
#include "store/score_store.h"
#include "util/alloc.h"
#include "util/str.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Longest audit entity id: period/framework/unit/node. */
#define ENTITY_ID_MAX (4 * CS_SCORE_CODE_LEN + 128)

/* Formats recognised by their first bytes alone. */
static const struct {
	const char *magic;
	size_t len;
	size_t at; /* offset of magic */
	const char *type;
} magics[] = {
	{"%PDF-", 5, 0, "application/pdf"},
	{"\x89PNG\r\n\x1a\n", 8, 0, "image/png"},
	{"\xff\xd8\xff", 3, 0, "image/jpeg"},
	{"GIF87a", 6, 0, "image/gif"},
	{"GIF89a", 6, 0, "image/gif"},
	{"WEBP", 4, 8, "image/webp"}, /* after "RIFF" and a size */
};

/* Formats in a shared container, told apart by extension. */
static const struct {
	const char *ext;
	bool zip; /* zip, else OLE2 */
	const char *type;
} containers[] = {
	{".docx", true, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{".xlsx", true, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{".pptx", true,
	 "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
	{".odt", true, "application/vnd.oasis.opendocument.text"},
	{".ods", true, "application/vnd.oasis.opendocument.spreadsheet"},
	{".odp", true, "application/vnd.oasis.opendocument.presentation"},
	{".doc", false, "application/msword"},
	{".xls", false, "application/vnd.ms-excel"},
	{".ppt", false, "application/vnd.ms-powerpoint"},
};

static bool ends_with_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && cs_str_eq_nocase(cs_str_make(s + n - k, k), suffix);
}

const char *cs_evidence_media_type(const void *data, size_t len, const char *name)
{
	const unsigned char *d = data;
	bool zip = len >= 4 && memcmp(d, "PK\x03\x04", 4) == 0;
	bool ole = len >= 8 && memcmp(d, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0;

	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].at + magics[i].len &&
		    memcmp(d + magics[i].at, magics[i].magic, magics[i].len) == 0 &&
		    (magics[i].at == 0 || memcmp(d, "RIFF", 4) == 0))
			return magics[i].type;
	if ((zip || ole) && name)
		for (size_t i = 0; i < sizeof(containers) / sizeof(containers[0]); i++)
			if (containers[i].zip == zip && ends_with_nocase(name, containers[i].ext))
				return containers[i].type;
	return NULL;
}

enum cs_err cs_evidence_name_check(const char *name, struct cs_error *err)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > CS_EVIDENCE_NAME_MAX)
		return cs_fail(err, CS_EINVAL,
			       "name: %zu bytes; expected a file name of 1 to %d bytes", n,
			       CS_EVIDENCE_NAME_MAX);
	if (!cs_utf8_valid(name, n, NULL))
		return cs_fail(err, CS_EINVAL, "name: not UTF-8 text");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || (i == 0 && c == '.'))
			return cs_fail(err, CS_EINVAL,
				       "name '%s': expected a plain file name, without '/', '\\', "
				       "control characters or a leading '.'",
				       name);
	}
	return CS_OK;
}

static enum cs_err store_content(struct cs_store *s, const void *data, size_t len, const char *sha,
				 struct cs_error *err)
{
	size_t b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	struct cs_stmt *st = NULL;
	bool row = false;
	char *b64 = NULL;
	enum cs_err rc;

	rc = cs_stmt_prepare(s, "select 1 from evidence_content where sha256 = ?", &st, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, sha, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	cs_stmt_free(st);
	st = NULL;
	if (rc || row)
		return rc;
	b64 = cs_malloc(b64len);
	if (!b64)
		return cs_fail(err, CS_ENOMEM, NULL);
	sodium_bin2base64(b64, b64len, data, len, sodium_base64_VARIANT_ORIGINAL);
	rc = cs_stmt_prepare(
		s, "insert into evidence_content (sha256, size, content) values (?, ?, ?)", &st,
		err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, sha, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, (int64_t)len, err);
	if (!rc)
		rc = cs_stmt_bind_text(st, 3, b64, b64len - 1, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	cs_free(b64);
	return rc;
}

enum cs_err cs_evidence_add(struct cs_store *s, const struct cs_period *p, int64_t unit_id,
			    const char *unit, const char *fw_code, const char *node,
			    const char *name, const void *data, size_t len, int64_t *id,
			    char sha256[CS_SHA256_HEX_LEN], struct cs_error *err)
{
	char sha[CS_SHA256_HEX_LEN], now[CS_STORE_TIME_LEN], eid[ENTITY_ID_MAX], text[400];
	const char *type;
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_evidence_name_check(name, err);
	if (rc)
		return rc;
	if (len > CS_EVIDENCE_MAX)
		return cs_fail(err, CS_ETOOBIG, "file '%s': %zu bytes; at most %u taken", name, len,
			       CS_EVIDENCE_MAX);
	type = cs_evidence_media_type(data, len, name);
	if (!type)
		return cs_fail(err, CS_EINVAL,
			       "file '%s': not a kind of file taken as evidence; expected PDF, "
			       "PNG, JPEG, GIF, WebP, or an office document (docx, xlsx, pptx, "
			       "odt, ods, odp, doc, xls, ppt)",
			       name);
	cs_sha256_hex(data, len, sha);
	rc = store_content(s, data, len, sha, err);
	cs_store_now(now);
	if (!rc)
		rc = cs_stmt_prepare(
			s,
			"insert into evidence (period_id, unit_id, framework, node_code, "
			"name, media_type, size, sha256, uploaded_by, uploaded_at) "
			"values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id",
			&st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, p->id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, fw_code, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 4, node, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 5, name, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 6, type, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 7, (int64_t)len, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 8, sha, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 9, cs_store_actor(s), err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 10, now, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && row && id)
		*id = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	snprintf(eid, sizeof(eid), "%s/%s/%s/%s", p->code, fw_code, unit, node);
	snprintf(text, sizeof(text), "%s (sha256 %s)", name, sha);
	if (!rc)
		rc = cs_audit_append(s, NULL, "assessment", eid, "evidence", NULL, text, NULL, err);
	if (!rc && sha256)
		memcpy(sha256, sha, CS_SHA256_HEX_LEN);
	return rc;
}

#define EVIDENCE_COLUMNS                                                                 \
	"e.id, e.period_id, e.unit_id, e.framework, e.node_code, e.name, e.media_type, " \
	"e.size, e.sha256, e.uploaded_by, e.uploaded_at"

static enum cs_err read_row(struct cs_stmt *st, struct cs_arena *a, struct cs_evidence *e,
			    struct cs_error *err)
{
	const char **texts[] = {&e->framework, &e->node,	&e->name,	&e->media_type,
				&e->sha256,    &e->uploaded_by, &e->uploaded_at};
	const int cols[] = {3, 4, 5, 6, 8, 9, 10};

	e->id = cs_stmt_i64(st, 0);
	e->period_id = cs_stmt_i64(st, 1);
	e->unit_id = cs_stmt_i64(st, 2);
	e->size = cs_stmt_i64(st, 7);
	for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
		size_t len = 0;
		const char *t = cs_stmt_text(st, cols[k], &len);

		*texts[k] = cs_arena_strndup(a, t ? t : "", t ? len : 0);
		if (!*texts[k])
			return cs_fail(err, CS_ENOMEM, NULL);
	}
	return CS_OK;
}

enum cs_err cs_evidence_list(struct cs_store *s, int64_t period_id, int64_t unit_id,
			     const char *fw_code, struct cs_arena *arena, struct cs_vec *out,
			     struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	enum cs_err rc;

	rc = cs_stmt_prepare(s,
			     "select " EVIDENCE_COLUMNS " from evidence e where e.period_id = ? "
			     "and e.unit_id = ? and e.framework = ? order by e.id",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, period_id, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, unit_id, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, fw_code, err);
	while (!rc && !(rc = cs_stmt_step(st, &row, err)) && row) {
		struct cs_evidence *e = cs_vec_push_zero(out, err);

		rc = e ? read_row(st, arena, e, err) : (err ? err->code : CS_ENOMEM);
	}
	cs_stmt_free(st);
	return rc;
}

enum cs_err cs_evidence_get(struct cs_store *s, int64_t id, struct cs_arena *arena,
			    struct cs_evidence *out, void **data, size_t *len, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	unsigned char *bytes = NULL;
	enum cs_err rc;

	if (data)
		*data = NULL;
	rc = cs_stmt_prepare(s,
			     "select " EVIDENCE_COLUMNS ", c.content from evidence e join "
			     "evidence_content c on c.sha256 = e.sha256 where e.id = ?",
			     &st, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 1, id, err);
	if (!rc)
		rc = cs_stmt_step(st, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND, "no evidence %" PRId64, id);
	if (!rc)
		rc = read_row(st, arena, out, err);
	if (!rc && data) {
		size_t b64len = 0, n = 0;
		const char *b64 = cs_stmt_text(st, 11, &b64len);
		char sha[CS_SHA256_HEX_LEN];

		bytes = cs_malloc(out->size > 0 ? (size_t)out->size : 1);
		if (!bytes)
			rc = cs_fail(err, CS_ENOMEM, NULL);
		else if (!b64 ||
			 sodium_base642bin(bytes, (size_t)out->size, b64, b64len, NULL, &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL) != 0 ||
			 n != (size_t)out->size)
			rc = cs_fail(err, CS_ECONFLICT,
				     "evidence %" PRId64 ": stored bytes unreadable", id);
		if (!rc) {
			cs_sha256_hex(bytes, n, sha);
			if (strcmp(sha, out->sha256) != 0)
				rc = cs_fail(err, CS_ECONFLICT,
					     "evidence %" PRId64
					     ": stored bytes do not match their "
					     "sha256",
					     id);
		}
		if (!rc) {
			*data = bytes;
			*len = n;
			bytes = NULL;
		}
	}
	cs_free(bytes);
	cs_stmt_free(st);
	return rc;
}
