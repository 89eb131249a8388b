/*
 * Tests of storing PAR frameworks (store/framework_store): saving a version
 * once, the same content again, other content under the same version,
 * loading the newest or a given version, the node rows, listing, a body
 * changed behind chiso's back, and SHA-256 against known vectors.
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

#include "io/framework_json.h"
#include "store/framework_store.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/vec.h"

#define DATA CHISO_SOURCE_DIR "/data/frameworks/"

static char dir[4096];
static int serial;

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_framework_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
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

static struct cs_store *open_new(void)
{
	char path[8192];
	struct cs_store *s = NULL;
	struct cs_error err = {0};

	snprintf(path, sizeof(path), "%s/db%d.sqlite", dir, serial++);
	if (cs_store_open(path, CS_STORE_CREATE, &s, &err))
		fail_msg("%s", err.msg);
	return s;
}

/* A framework file read, validated, and written in canonical form. */
struct fixture {
	struct cs_framework *fw;
	struct cs_fw_meta meta;
	struct cs_buf json;
};

static void fixture_from_text(struct fixture *f, const char *text, size_t len)
{
	struct cs_error err;

	cs_buf_init(&f->json, 1u << 24);
	if (cs_framework_json_parse("f.json", text, len, &f->fw, &f->meta, &err) ||
	    cs_framework_validate(f->fw, &err) ||
	    cs_framework_json_write(f->fw, &f->meta, &f->json, &err))
		fail_msg("%s", err.msg);
}

static void fixture_load(struct fixture *f, const char *file)
{
	char path[1024], *text;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), DATA "%s", file);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	fixture_from_text(f, text, (size_t)n);
	free(text);
}

static void fixture_release(struct fixture *f)
{
	cs_framework_free(f->fw);
	cs_fw_meta_release(&f->meta);
	cs_buf_release(&f->json);
}

static void test_sha256(void **state)
{
	char hex[CS_SHA256_HEX_LEN];

	(void)state;
	cs_sha256_hex("", 0, hex);
	assert_string_equal(hex,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	cs_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	cs_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	assert_string_equal(hex,
			    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static int64_t count(struct cs_store *s, const char *sql)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	int64_t n;

	assert_int_equal(cs_stmt_prepare(s, sql, &st, NULL), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, NULL), CS_OK);
	assert_true(row);
	n = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return n;
}

static void test_save_load(void **state)
{
	struct cs_store *s = open_new();
	struct fixture f;
	struct cs_framework *fw = NULL;
	char sha[CS_SHA256_HEX_LEN], want[CS_SHA256_HEX_LEN], *body = NULL, ver[CS_FW_CODE_MAX + 1];
	struct cs_error err;
	bool added = false;
	size_t len = 0, i;

	(void)state;
	fixture_load(&f, "example-small.json");
	assert_int_equal(cs_framework_store_save(s, f.fw, f.json.data, f.json.len, &added, &err),
			 CS_OK);
	assert_true(added);
	assert_int_equal(count(s, "select count(*) from methodology"), 1);
	assert_int_equal(count(s, "select count(*) from framework_node"), 13);
	assert_int_equal(count(s, "select count(*) from audit where entity = 'framework' and "
				  "entity_id = 'example-small@2024' and field = 'sha256'"),
			 1);
	/* Nodes in pre-order with their depth; the area B holds its children. */
	assert_int_equal(count(s, "select position from framework_node where code = 'B.3'"), 7);
	assert_int_equal(count(s, "select depth from framework_node where code = 'B.3'"), 1);
	assert_int_equal(count(s,
			       "select count(*) from framework_node where code = 'B.1' and "
			       "params = '{\"bounds\":\"1,0.95,0.9\",\"points\":\"1,0.75,0.5\"}'"),
			 1);
	assert_int_equal(count(s,
			       "select count(*) from framework_node where code = 'B' and "
			       "applies_to = 'flags=tthc' and source is null and max_points = 40"),
			 1);

	/* The same content again: nothing written. */
	assert_int_equal(cs_framework_store_save(s, f.fw, f.json.data, f.json.len, &added, &err),
			 CS_OK);
	assert_false(added);
	assert_int_equal(count(s, "select count(*) from methodology"), 1);
	assert_int_equal(count(s, "select count(*) from audit"), 1);

	/* Load it back: validated, and the hash is the body's. */
	cs_sha256_hex(f.json.data, f.json.len, want);
	assert_int_equal(cs_framework_store_load(s, "example-small", NULL, &fw, sha, &err), CS_OK);
	assert_true(cs_framework_is_valid(fw));
	assert_string_equal(sha, want);
	assert_int_equal(cs_framework_node_count(fw), 13);
	assert_true(cs_framework_find(fw, "B.3", &i));
	cs_framework_free(fw);
	fw = NULL;
	assert_int_equal(cs_framework_store_load(s, "example-small", "2024", &fw, NULL, &err),
			 CS_OK);
	cs_framework_free(fw);
	fw = NULL;

	/* The body comes back byte for byte. */
	assert_int_equal(
		cs_framework_store_body(s, "example-small", NULL, &body, &len, sha, ver, &err),
		CS_OK);
	assert_int_equal(len, f.json.len);
	assert_memory_equal(body, f.json.data, len);
	assert_string_equal(ver, "2024");
	cs_free(body);

	/* Not there. */
	assert_int_equal(cs_framework_store_load(s, "nope", NULL, &fw, sha, &err), CS_ENOTFOUND);
	assert_null(fw);
	assert_string_equal(err.msg, "no framework 'nope' is stored; import it with 'chiso "
				     "framework import FILE'");
	assert_int_equal(cs_framework_store_load(s, "example-small", "2023", &fw, sha, &err),
			 CS_ENOTFOUND);
	assert_string_equal(err.msg, "no framework 'example-small' version '2023' is stored; see "
				     "'chiso framework list'");
	fixture_release(&f);
	cs_store_close(s);
}

/* Other content under the same code and version is refused; a new version is added. */
static void test_versions(void **state)
{
	struct cs_store *s = open_new();
	struct fixture a, b, c;
	struct cs_framework *fw = NULL;
	struct cs_error err;
	bool added = true;
	static const char v1[] =
		"{\"code\": \"f\", \"version\": \"1\", \"title\": \"One\", \"nodes\": [{\"code\": "
		"\"A\", \"max_points\": 10, \"source\": \"self\", \"rule\": \"yesno\"}]}";
	static const char v1b[] =
		"{\"code\": \"f\", \"version\": \"1\", \"title\": \"One\", \"nodes\": [{\"code\": "
		"\"A\", \"max_points\": 20, \"source\": \"self\", \"rule\": \"yesno\"}]}";
	static const char v2[] =
		"{\"code\": \"f\", \"version\": \"2\", \"title\": \"Two\", \"nodes\": [{\"code\": "
		"\"A\", \"max_points\": 20, \"source\": \"self\", \"rule\": \"yesno\"}]}";

	(void)state;
	fixture_from_text(&a, v1, sizeof(v1) - 1);
	fixture_from_text(&b, v1b, sizeof(v1b) - 1);
	fixture_from_text(&c, v2, sizeof(v2) - 1);
	assert_int_equal(cs_framework_store_save(s, a.fw, a.json.data, a.json.len, &added, &err),
			 CS_OK);
	assert_int_equal(cs_framework_store_save(s, b.fw, b.json.data, b.json.len, &added, &err),
			 CS_EEXIST);
	assert_false(added);
	assert_non_null(strstr(err.msg, "framework 'f' version '1' is already stored with other "
					"content (sha256 "));
	assert_non_null(strstr(err.msg, "; give the changed framework a new version"));
	assert_int_equal(count(s, "select count(*) from framework_node"), 1);
	assert_int_equal(cs_framework_store_save(s, c.fw, c.json.data, c.json.len, &added, &err),
			 CS_OK);
	assert_true(added);

	/* Without a version, the newest imported. */
	assert_int_equal(cs_framework_store_load(s, "f", NULL, &fw, NULL, &err), CS_OK);
	assert_string_equal(cs_framework_info(fw)->version, "2");
	cs_framework_free(fw);
	assert_int_equal(cs_framework_store_load(s, "f", "1", &fw, NULL, &err), CS_OK);
	assert_string_equal(cs_framework_info(fw)->title, "One");
	cs_framework_free(fw);

	fixture_release(&a);
	fixture_release(&b);
	fixture_release(&c);
	cs_store_close(s);
}

static void test_list(void **state)
{
	struct cs_store *s = open_new();
	struct fixture a, b;
	struct cs_arena arena;
	struct cs_vec list;
	const struct cs_fw_stored *e;
	struct cs_error err;

	(void)state;
	fixture_load(&a, "moha-province-2017.json");
	fixture_load(&b, "example-small.json");
	assert_int_equal(cs_framework_store_save(s, a.fw, a.json.data, a.json.len, NULL, &err),
			 CS_OK);
	assert_int_equal(cs_framework_store_save(s, b.fw, b.json.data, b.json.len, NULL, &err),
			 CS_OK);
	cs_arena_init(&arena, 0);
	cs_vec_init(&list, sizeof(struct cs_fw_stored), 0);
	assert_int_equal(cs_framework_store_list(s, &arena, &list, &err), CS_OK);
	assert_int_equal(list.len, 2);
	e = cs_vec_at(&list, 0); /* by code: example-small first */
	assert_string_equal(e->code, "example-small");
	assert_int_equal(e->nodes, 13);
	assert_true(e->total_max == 100);
	assert_false(e->is_template);
	assert_int_equal(strlen(e->sha256), 64);
	assert_int_equal(strlen(e->imported_at), 20);
	e = cs_vec_at(&list, 1);
	assert_string_equal(e->code, "moha-province-2017");
	assert_string_equal(e->version, "2017-template");
	assert_string_equal(e->decision, "QĐ 4361/QĐ-BNV (28/12/2016)");
	assert_int_equal(e->nodes, 16);
	assert_true(e->total_max == 100);
	assert_true(e->is_template);
	cs_vec_release(&list);
	cs_arena_release(&arena);
	fixture_release(&a);
	fixture_release(&b);
	cs_store_close(s);
}

/* A body edited in the database no longer matches its hash and is refused. */
static void test_tampered(void **state)
{
	struct cs_store *s = open_new();
	struct fixture f;
	struct cs_framework *fw = NULL;
	struct cs_error err;

	(void)state;
	fixture_load(&f, "example-small.json");
	assert_int_equal(cs_framework_store_save(s, f.fw, f.json.data, f.json.len, NULL, &err),
			 CS_OK);
	assert_int_equal(cs_store_exec(s, "update methodology set body = body || ' '", &err),
			 CS_OK);
	assert_int_equal(cs_framework_store_load(s, "example-small", NULL, &fw, NULL, &err),
			 CS_ECONFLICT);
	assert_null(fw);
	assert_string_equal(err.msg,
			    "framework 'example-small' version '2024': the stored body does "
			    "not match its sha256 (the database was changed outside chiso)");
	fixture_release(&f);
	cs_store_close(s);
}

static void test_not_validated(void **state)
{
	struct cs_store *s = open_new();
	struct cs_fw_info info = {"x", "", "", "1"};
	struct cs_framework *fw = cs_framework_new(&info, NULL);
	struct cs_error err;

	(void)state;
	assert_int_equal(cs_framework_store_save(s, fw, "{}", 2, NULL, &err), CS_ESTATE);
	assert_string_equal(err.msg, "framework 'x' version '1' is not validated");
	assert_int_equal(count(s, "select count(*) from methodology"), 0);
	cs_framework_free(fw);
	cs_store_close(s);
}

static void test_alloc_failure(void **state)
{
	struct cs_store *s = open_new();
	struct fixture f;
	struct cs_error err;
	long n;

	(void)state;
	fixture_load(&f, "example-small.json");
	for (n = 0;; n++) {
		enum cs_err rc;
		bool added = false;

		cs_alloc_fail_after(n);
		rc = cs_framework_store_save(s, f.fw, f.json.data, f.json.len, &added, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			assert_true(added);
			break;
		}
		if (rc != CS_ENOMEM)
			fail_msg("save, allocation %ld: %s", n, err.msg);
		assert_int_equal(count(s, "select count(*) from methodology"), 0);
		assert_true(n < 1000);
	}
	for (n = 0;; n++) {
		struct cs_framework *fw = NULL;
		enum cs_err rc;

		cs_alloc_fail_after(n);
		rc = cs_framework_store_load(s, "example-small", NULL, &fw, NULL, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			cs_framework_free(fw);
			break;
		}
		if (rc != CS_ENOMEM)
			fail_msg("load, allocation %ld: %s", n, err.msg);
		assert_null(fw);
		assert_true(n < 5000);
	}
	fixture_release(&f);
	cs_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),	      cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_versions),      cmocka_unit_test(test_list),
		cmocka_unit_test(test_tampered),      cmocka_unit_test(test_not_validated),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
