/*
 * The database fixture shared by the PAR store tests (test_par_store.c,
 * test_score_store.c): a temporary directory of databases, a small framework
 * and a database holding it with three units and a period.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/framework_json.h"
#include "par_fixture.h"
#include "store/framework_store.h"
#include "store/score_store.h"
#include "util/alloc.h"

#include "util/banned.h"

static char dir[4096];
static int serial;

int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_par.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

int remove_dir(void **state)
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

int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

int64_t q_i64(struct cs_store *s, const char *sql)
{
	struct cs_stmt *st = NULL;
	bool row = false;
	int64_t v;

	assert_int_equal(cs_stmt_prepare(s, sql, &st, NULL), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, NULL), CS_OK);
	assert_true(row);
	v = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	return v;
}

/* A: A.1 manual 20, A.2 ratio 30; B.1 manual 50; Y penalty 5. */
struct cs_framework *framework(const char *version)
{
	const struct cs_fw_node_spec nodes[] = {
		{"A", NULL, "A", NAN, NULL, NULL, NULL, 0, NULL, 0},
		{"A.1", "A", "A.1", 20, "self", "manual", NULL, 0, NULL, 0},
		{"A.2", "A", "A.2", 30, "self", "ratio", NULL, 0, NULL, 0},
		{"B.1", NULL, "B.1", 50, "self", "manual", NULL, 0, NULL, 0},
		{"Y", NULL, "Y", 5, "penalty", "manual", NULL, 0, NULL, 0},
	};
	const struct cs_fw_band bands[] = {{"A", "Tốt", "Good", 90, 100},
					   {"D", "Yếu", "Weak", 0, 90}};
	struct cs_fw_info info = {"golden", "Test", "QĐ 1", version};
	struct cs_framework *fw = cs_framework_new(&info, NULL);

	assert_non_null(fw);
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		assert_int_equal(cs_framework_add_node(fw, &nodes[i], NULL, NULL), CS_OK);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(cs_framework_add_band(fw, &bands[i], NULL), CS_OK);
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	return fw;
}

void save_framework(struct cs_store *s, const struct cs_framework *fw)
{
	struct cs_buf json;
	struct cs_error err = {0};

	cs_buf_init(&json, 1u << 20);
	assert_int_equal(cs_framework_json_write(fw, NULL, &json, &err), CS_OK);
	assert_int_equal(cs_framework_store_save(s, fw, json.data, json.len, NULL, &err), CS_OK);
	cs_buf_release(&json);
}

void setup(struct fixture *f)
{
	char path[8192];
	struct cs_error err = {0};

	snprintf(path, sizeof(path), "%s/db%d.sqlite", dir, serial++);
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &f->s, &err), CS_OK);
	f->fw = framework("1");
	save_framework(f->s, f->fw);
	assert_int_equal(cs_store_exec(f->s,
				       "insert into unit (code, name, level, flags) values "
				       "('U1', 'Một', 'province', ''), ('U2', 'Hai', 'province', "
				       "'unranked'), ('U3', 'Ba', 'district', '')",
				       &err),
			 CS_OK);
	f->period = (struct cs_period){0, "2024", "2024-01-01", "2024-12-31"};
	assert_int_equal(cs_period_store_add(f->s, &f->period, &err), CS_OK);
	assert_int_equal(cs_score_store_period(f->s, "2024", &f->period, &err), CS_OK);
	cs_unit_set_init(&f->units);
	assert_int_equal(cs_unit_store_load(f->s, &f->units, &err), CS_OK);
}

void teardown(struct fixture *f)
{
	cs_unit_set_release(&f->units);
	cs_framework_free(f->fw);
	cs_store_close(f->s);
}
