/*
 * Tests of evidence files (store/evidence_store.h): the kinds recognised by
 * their content and name, file names, adding with the content kept once per
 * SHA-256 and an audit row per file, listing, reading back byte for byte,
 * stored bytes that no longer match their hash, and allocation failures.
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

#include "store/evidence_store.h"
#include "store/store.h"
#include "util/alloc.h"

#include "util/banned.h"

static char dir[4096];
static int serial;

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_evidence_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
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

static const struct cs_period P = {1, "2026", "2026-01-01", "2026-12-31"};
static const char PDF[] = "%PDF-1.4\n% minh chứng\n";

static struct cs_store *open_ready(void)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	snprintf(path, sizeof(path), "%s/db%d.sqlite", dir, serial++);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_OK);
	if (cs_store_exec(s,
			  "insert into period (code, starts, ends) values ('2026', '2026-01-01', "
			  "'2026-12-31');"
			  "insert into unit (code, name, level) values ('U1', 'Đơn vị 1', "
			  "'district');",
			  &err))
		fail_msg("%s", err.msg);
	assert_int_equal(cs_store_set_actor(s, "u1", &err), CS_OK);
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

static void test_media_types(void **state)
{
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0};
	static const unsigned char jpg[] = {0xff, 0xd8, 0xff, 0xe0};
	static const unsigned char ole[] = {0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1};
	static const char webp[] = "RIFF\x10\0\0\0WEBPVP8 ";

	(void)state;
	assert_string_equal(cs_evidence_media_type(PDF, sizeof(PDF) - 1, "a.bin"),
			    "application/pdf");
	assert_string_equal(cs_evidence_media_type(png, sizeof(png), NULL), "image/png");
	assert_string_equal(cs_evidence_media_type(jpg, sizeof(jpg), "x"), "image/jpeg");
	assert_string_equal(cs_evidence_media_type("GIF89a..", 8, "x"), "image/gif");
	assert_string_equal(cs_evidence_media_type(webp, sizeof(webp) - 1, "x"), "image/webp");
	assert_null(cs_evidence_media_type("XXXX\x10\0\0\0WEBP", 12, "x"));
	assert_string_equal(cs_evidence_media_type("PK\x03\x04...", 7, "Báo cáo.DOCX"),
			    "application/vnd.openxmlformats-officedocument.wordprocessingml."
			    "document");
	assert_string_equal(cs_evidence_media_type("PK\x03\x04...", 7, "b.ods"),
			    "application/vnd.oasis.opendocument.spreadsheet");
	assert_null(cs_evidence_media_type("PK\x03\x04...", 7, "b.zip"));
	assert_null(cs_evidence_media_type("PK\x03\x04...", 7, "b.doc"));
	assert_string_equal(cs_evidence_media_type(ole, sizeof(ole), "b.xls"),
			    "application/vnd.ms-excel");
	assert_null(cs_evidence_media_type(ole, sizeof(ole), "b.docx"));
	assert_null(cs_evidence_media_type("<html>", 6, "a.pdf"));
	assert_null(cs_evidence_media_type("<svg xmlns=", 11, "a.svg"));
	assert_null(cs_evidence_media_type("%PD", 3, "a.pdf"));
	assert_null(cs_evidence_media_type("", 0, "a.pdf"));
}

static void test_names(void **state)
{
	struct cs_error err = {0};

	(void)state;
	assert_int_equal(cs_evidence_name_check("Kế hoạch số 12.pdf", &err), CS_OK);
	assert_int_equal(cs_evidence_name_check("../x.pdf", &err), CS_EINVAL);
	assert_string_equal(err.msg, "name '../x.pdf': expected a plain file name, without '/', "
				     "'\\', control characters or a leading '.'");
	assert_int_equal(cs_evidence_name_check("a\\b.pdf", &err), CS_EINVAL);
	assert_int_equal(cs_evidence_name_check("a\nb.pdf", &err), CS_EINVAL);
	assert_int_equal(cs_evidence_name_check(".hidden", &err), CS_EINVAL);
	assert_int_equal(cs_evidence_name_check("", &err), CS_EINVAL);
	assert_int_equal(cs_evidence_name_check("\xff.pdf", &err), CS_EINVAL);
}

static void test_add_list_get(void **state)
{
	struct cs_store *s = open_ready();
	char sha[CS_SHA256_HEX_LEN], sha2[CS_SHA256_HEX_LEN];
	struct cs_error err = {0};
	struct cs_evidence e;
	struct cs_arena arena;
	struct cs_vec list;
	int64_t id = 0, id2 = 0;
	void *data = NULL;
	size_t len = 0;

	(void)state;
	cs_arena_init(&arena, 0);
	assert_int_equal(cs_evidence_add(s, &P, 1, "U1", "f", "A.1", "kế hoạch.pdf", PDF,
					 sizeof(PDF) - 1, &id, sha, &err),
			 CS_OK);
	assert_int_equal(strlen(sha), 64);
	/* The same bytes again, for another criterion: one copy of the content. */
	assert_int_equal(cs_evidence_add(s, &P, 1, "U1", "f", "B", "again.pdf", PDF,
					 sizeof(PDF) - 1, &id2, sha2, &err),
			 CS_OK);
	assert_string_equal(sha, sha2);
	assert_int_equal(q_i64(s, "select count(*) from evidence"), 2);
	assert_int_equal(q_i64(s, "select count(*) from evidence_content"), 1);
	assert_int_equal(q_i64(s, "select count(*) from audit where entity = 'assessment' and "
				  "field = 'evidence' and entity_id = '2026/f/U1/A.1'"),
			 1);
	assert_int_equal(
		cs_evidence_add(s, &P, 1, "U1", "f", "B", "x.pdf", "<html>", 6, NULL, NULL, &err),
		CS_EINVAL);
	assert_int_equal(cs_evidence_add(s, &P, 1, "U1", "f", "B", "x/y.pdf", PDF, sizeof(PDF) - 1,
					 NULL, NULL, &err),
			 CS_EINVAL);
	assert_int_equal(cs_evidence_add(s, &P, 1, "U1", "f", "B", "x.pdf", PDF,
					 CS_EVIDENCE_MAX + 1, NULL, NULL, &err),
			 CS_ETOOBIG);

	cs_vec_init(&list, sizeof(struct cs_evidence), 0);
	assert_int_equal(cs_evidence_list(s, 1, 1, "f", &arena, &list, &err), CS_OK);
	assert_int_equal(list.len, 2);
	assert_string_equal(((struct cs_evidence *)cs_vec_at(&list, 0))->name, "kế hoạch.pdf");
	assert_string_equal(((struct cs_evidence *)cs_vec_at(&list, 0))->media_type,
			    "application/pdf");
	assert_string_equal(((struct cs_evidence *)cs_vec_at(&list, 0))->uploaded_by, "u1");
	assert_string_equal(((struct cs_evidence *)cs_vec_at(&list, 1))->node, "B");
	cs_vec_release(&list);

	assert_int_equal(cs_evidence_get(s, id, &arena, &e, &data, &len, &err), CS_OK);
	assert_int_equal(len, sizeof(PDF) - 1);
	assert_memory_equal(data, PDF, len);
	assert_int_equal(e.unit_id, 1);
	cs_free(data);
	assert_int_equal(cs_evidence_get(s, 99, &arena, &e, &data, &len, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "no evidence 99");

	/* Bytes changed behind the application's back are caught. */
	if (cs_store_exec(s, "update evidence_content set content = 'JVBERi0xLjUK'", &err))
		fail_msg("%s", err.msg);
	assert_int_equal(cs_evidence_get(s, id, &arena, &e, &data, &len, &err), CS_ECONFLICT);
	assert_null(data);
	cs_arena_release(&arena);
	cs_store_close(s);
}

static void test_alloc_failures(void **state)
{
	struct cs_store *s = open_ready();
	enum cs_err rc = CS_ENOMEM;
	int64_t id = 0;

	(void)state;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_error err = {0};

		cs_alloc_fail_after(n);
		rc = cs_store_begin(s, &err);
		if (!rc) {
			rc = cs_evidence_add(s, &P, 1, "U1", "f", "A.1", "a.pdf", PDF,
					     sizeof(PDF) - 1, &id, NULL, &err);
			if (rc)
				cs_store_rollback(s);
			else
				rc = cs_store_commit(s, &err);
		}
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (rc)
			assert_int_equal(q_i64(s, "select count(*) from evidence"), 0);
	}
	rc = CS_ENOMEM;
	for (long n = 0; rc == CS_ENOMEM; n++) {
		struct cs_error err = {0};
		struct cs_arena arena;
		struct cs_evidence e;
		void *data = NULL;
		size_t len = 0;

		cs_arena_init(&arena, 0);
		cs_alloc_fail_after(n);
		rc = cs_evidence_get(s, id, &arena, &e, &data, &len, &err);
		cs_alloc_fail_after(-1);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		if (!rc)
			assert_memory_equal(data, PDF, len);
		else
			assert_null(data);
		cs_free(data);
		cs_arena_release(&arena);
	}
	cs_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_media_types),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_add_list_get),
		cmocka_unit_test_teardown(test_alloc_failures, restore_allocator),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
