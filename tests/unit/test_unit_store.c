/* Tests of storing units and periods (unit_store.c) on databases in a temporary directory. */
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
#include "store/unit_store.h"
#include "util/alloc.h"

#include "util/banned.h"

static char dir[4096];
static int serial;

static int make_dir(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_unit_store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
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
	assert_int_equal(cs_store_open(path, CS_STORE_CREATE, &s, &err), CS_OK);
	return s;
}

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

static void add(struct cs_unit_set *set, const char *code, const char *name, const char *parent,
		enum cs_level level, const char *flags, const char *from, const char *to,
		const char *successor)
{
	struct cs_unit u = {
		.code = code,
		.name = name,
		.parent = parent,
		.level = level,
		.flags = flags,
		.valid_from = from,
		.valid_to = to,
		.successor = successor,
	};
	struct cs_error err = {0};

	u.src.file = "units.csv";
	u.src.line = set->units.len + 2;
	assert_int_equal(cs_unit_set_add(set, &u, &err), CS_OK);
}

static void plan_of(struct cs_unit_plan *plan, const enum cs_unit_change *ch, size_t n)
{
	cs_unit_plan_init(plan);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(cs_vec_push(&plan->changes, &ch[i], NULL), CS_OK);
}

/* A commune listed before its district, successors out of order, Vietnamese names. */
static void first_import(struct cs_unit_set *set)
{
	cs_unit_set_init(set);
	add(set, "BCA", "Bộ Công an", NULL, CS_LEVEL_MINISTRY, "tthc", NULL, NULL, NULL);
	add(set, "HG", "Công an tỉnh Hà Giang", "BCA", CS_LEVEL_PROVINCE, NULL, "2008-01-01",
	    "2025-06-30", "TQ");
	add(set, "TQ", "Công an tỉnh Tuyên Quang", "BCA", CS_LEVEL_PROVINCE, "", NULL, NULL, NULL);
	add(set, "HG-X1", "Công an xã Lũng Cú", "HG-H1", CS_LEVEL_COMMUNE, "tthc;mot-cua", NULL,
	    NULL, NULL);
	add(set, "HG-H1", "Công an huyện Đồng Văn", "HG", CS_LEVEL_DISTRICT, NULL, NULL, NULL,
	    NULL);
	add(set, "HG-H2", "Công an huyện Mèo Vạc", "HG", CS_LEVEL_DISTRICT, NULL, NULL,
	    "2025-06-30", "TQ;HG-H1");
}

static const enum cs_unit_change all_added[6] = {
	CS_UNIT_ADDED, CS_UNIT_ADDED, CS_UNIT_ADDED, CS_UNIT_ADDED, CS_UNIT_ADDED, CS_UNIT_ADDED,
};

static const struct cs_unit *find(const struct cs_unit_set *set, const char *code)
{
	for (size_t i = 0; i < set->units.len; i++) {
		const struct cs_unit *u = cs_unit_set_at(set, i);

		if (strcmp(u->code, code) == 0)
			return u;
	}
	fail_msg("unit %s not loaded", code);
	return NULL;
}

static void assert_opt(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

static void apply_first(struct cs_store *s)
{
	struct cs_unit_set in;
	struct cs_unit_plan plan;
	struct cs_error err = {0};

	first_import(&in);
	plan_of(&plan, all_added, 6);
	assert_int_equal(cs_unit_store_apply(s, &in, &plan, &err), CS_OK);
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);
}

static void test_apply_and_load(void **state)
{
	struct cs_store *s = open_new();
	struct cs_unit_set out;
	struct cs_error err = {0};
	const struct cs_unit *u;

	(void)state;
	cs_unit_set_init(&out);
	assert_int_equal(cs_unit_store_load(s, &out, &err), CS_OK);
	assert_int_equal(out.units.len, 0);

	apply_first(s);
	assert_int_equal(cs_unit_store_load(s, &out, &err), CS_OK);
	assert_int_equal(out.units.len, 6);
	/* Loaded in the order they were added. */
	assert_string_equal(cs_unit_set_at(&out, 0)->code, "BCA");
	assert_string_equal(cs_unit_set_at(&out, 5)->code, "HG-H2");

	u = find(&out, "BCA");
	assert_true(u->id > 0);
	assert_string_equal(u->name, "Bộ Công an");
	assert_null(u->parent);
	assert_int_equal(u->level, CS_LEVEL_MINISTRY);
	assert_string_equal(u->flags, "tthc");
	assert_opt(u->valid_from, NULL);
	assert_opt(u->valid_to, NULL);
	assert_null(u->successor);
	assert_null(u->src.file);

	u = find(&out, "HG");
	assert_string_equal(u->parent, "BCA");
	assert_int_equal(u->level, CS_LEVEL_PROVINCE);
	assert_null(u->flags);
	assert_opt(u->valid_from, "2008-01-01");
	assert_string_equal(u->valid_to, "2025-06-30");
	assert_string_equal(u->successor, "TQ");

	u = find(&out, "TQ");
	assert_null(u->flags); /* empty flags are absent */

	u = find(&out, "HG-X1");
	assert_string_equal(u->parent, "HG-H1");
	assert_int_equal(u->level, CS_LEVEL_COMMUNE);
	assert_string_equal(u->flags, "tthc;mot-cua");

	u = find(&out, "HG-H2");
	assert_string_equal(u->parent, "HG");
	assert_int_equal(u->level, CS_LEVEL_DISTRICT);
	assert_string_equal(u->successor, "HG-H1;TQ"); /* sorted by code */

	/* Every unit round-trips: what was imported is what is loaded. */
	{
		struct cs_unit_set in;

		first_import(&in);
		for (size_t i = 0; i < in.units.len; i++) {
			const struct cs_unit *a = cs_unit_set_at(&in, i);
			const struct cs_unit *b = find(&out, a->code);

			if (strcmp(a->code, "HG-H2") != 0)
				assert_true(cs_unit_same(a, b));
		}
		cs_unit_set_release(&in);
	}

	assert_int_equal(q_i64(s, "select count(*) from unit_successor"), 3);
	/* One audit row per field given: 3+6+3+4+3+5. */
	assert_int_equal(q_i64(s, "select count(*) from audit where entity = 'unit'"), 24);
	assert_int_equal(q_i64(s, "select count(*) from audit where entity_id = 'HG-H2' and "
				  "field = 'successor' and old_value is null and "
				  "new_value = 'HG-H1;TQ' and actor = 'cli' and "
				  "reason = 'import: unit added'"),
			 1);
	assert_int_equal(q_i64(s, "select count(*) from audit where entity_id = 'HG-X1' and "
				  "field = 'parent' and new_value = 'HG-H1'"),
			 1);
	assert_int_equal(q_i64(s, "select count(*) from audit where entity_id = 'HG' and "
				  "field = 'level' and new_value = 'province'"),
			 1);
	cs_unit_set_release(&out);
	cs_store_close(s);
}

static void test_apply_changes(void **state)
{
	static const enum cs_unit_change ch[4] = {CS_UNIT_UNCHANGED, CS_UNIT_CHANGED, CS_UNIT_ADDED,
						  CS_UNIT_CHANGED};
	struct cs_store *s = open_new();
	struct cs_unit_set in, out;
	struct cs_unit_plan plan;
	struct cs_error err = {0};
	const struct cs_unit *u;

	(void)state;
	apply_first(s);
	assert_int_equal(cs_store_set_actor(s, "admin", &err), CS_OK);
	cs_unit_set_init(&in);
	add(&in, "BCA", "ignored because unchanged", NULL, CS_LEVEL_MINISTRY, "tthc", NULL, NULL,
	    NULL);
	add(&in, "HG-H1", "Công an huyện Đồng Văn (mới)", "TQ", CS_LEVEL_DISTRICT, NULL, NULL, NULL,
	    NULL);
	add(&in, "TQ-X1", "Công an xã Minh Xuân", "HG-H1", CS_LEVEL_COMMUNE, NULL, NULL, NULL,
	    NULL);
	add(&in, "HG-H2", "Công an huyện Mèo Vạc", "HG", CS_LEVEL_OTHER, "", NULL, "2025-06-30",
	    "TQ");
	plan_of(&plan, ch, 4);
	assert_int_equal(cs_unit_store_apply(s, &in, &plan, &err), CS_OK);

	cs_unit_set_init(&out);
	assert_int_equal(cs_unit_store_load(s, &out, &err), CS_OK);
	assert_int_equal(out.units.len, 7);
	assert_string_equal(find(&out, "BCA")->name, "Bộ Công an");
	u = find(&out, "HG-H1");
	assert_string_equal(u->name, "Công an huyện Đồng Văn (mới)");
	assert_string_equal(u->parent, "TQ");
	u = find(&out, "TQ-X1");
	assert_string_equal(u->parent, "HG-H1");
	u = find(&out, "HG-H2");
	assert_int_equal(u->level, CS_LEVEL_OTHER);
	assert_string_equal(u->successor, "TQ");
	/* Units the file did not mention keep their data and their parent. */
	assert_string_equal(find(&out, "HG-X1")->parent, "HG-H1");
	assert_int_equal(q_i64(s, "select count(*) from unit_successor"), 2);

	/* Only the fields that changed are in the log, with old and new values. */
	assert_int_equal(q_i64(s, "select count(*) from audit where actor = 'admin'"), 2 + 3 + 2);
	assert_int_equal(q_i64(s, "select count(*) from audit where actor = 'admin' and "
				  "entity_id = 'HG-H1' and field = 'parent' and old_value = 'HG' "
				  "and new_value = 'TQ' and reason = 'import: unit changed'"),
			 1);
	assert_int_equal(q_i64(s, "select count(*) from audit where actor = 'admin' and "
				  "entity_id = 'HG-H2' and field = 'successor' and "
				  "old_value = 'HG-H1;TQ' and new_value = 'TQ'"),
			 1);
	assert_int_equal(q_i64(s, "select count(*) from audit where actor = 'admin' and "
				  "entity_id = 'HG-H2' and field = 'level' and "
				  "old_value = 'district' and new_value = 'other'"),
			 1);
	assert_int_equal(q_i64(s, "select count(*) from audit where entity_id = 'BCA' and "
				  "actor = 'admin'"),
			 0);
	cs_unit_set_release(&out);
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);
	cs_store_close(s);
}

/* Applies one unit with the given change and expects the apply to fail. */
static void apply_fails(struct cs_store *s, const struct cs_unit *u, enum cs_unit_change ch,
			enum cs_err want, const char *msg)
{
	struct cs_unit_set in;
	struct cs_unit_plan plan;
	struct cs_error err = {0};
	int64_t units = q_i64(s, "select count(*) from unit");
	int64_t audit = q_i64(s, "select count(*) from audit");
	enum cs_unit_change chs[2] = {CS_UNIT_ADDED, ch};

	/* A good unit first, so that there is something to roll back. */
	cs_unit_set_init(&in);
	add(&in, "OK1", "Công an phường", "HG", CS_LEVEL_COMMUNE, NULL, NULL, NULL, NULL);
	add(&in, u->code, u->name, u->parent, u->level, u->flags, u->valid_from, u->valid_to,
	    u->successor);
	plan_of(&plan, chs, 2);
	assert_int_equal(cs_unit_store_apply(s, &in, &plan, &err), want);
	assert_string_equal(err.msg, msg);
	assert_int_equal(q_i64(s, "select count(*) from unit"), units);
	assert_int_equal(q_i64(s, "select count(*) from audit"), audit);
	assert_int_equal(q_i64(s, "select count(*) from unit where code = 'OK1'"), 0);
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);
}

static void test_apply_rolls_back(void **state)
{
	struct cs_store *s = open_new();
	struct cs_unit_set in;
	struct cs_unit_plan plan;
	struct cs_error err = {0};
	struct cs_unit u = {.code = "N1", .name = "Mới", .level = CS_LEVEL_COMMUNE};

	(void)state;
	apply_first(s);
	u.parent = "NOPE";
	apply_fails(s, &u, CS_UNIT_ADDED, CS_ENOTFOUND,
		    "units.csv:3: unit 'N1': parent 'NOPE' is not in the database");
	u.parent = "HG";
	u.successor = "TQ;GONE";
	apply_fails(s, &u, CS_UNIT_ADDED, CS_ENOTFOUND,
		    "units.csv:3: unit 'N1': successor 'GONE' is not in the database");
	u.successor = NULL;
	apply_fails(s, &u, CS_UNIT_CHANGED, CS_ENOTFOUND,
		    "units.csv:3: unit 'N1' is not in the database; the database changed since "
		    "the import was checked, run it again");
	u.code = "HG";
	apply_fails(s, &u, CS_UNIT_ADDED, CS_EEXIST,
		    "units.csv:3: unit 'HG' already exists; the database changed since the import "
		    "was checked, run it again");
	u.code = "N1";
	u.level = CS_LEVEL_COUNT_;
	apply_fails(s, &u, CS_UNIT_ADDED, CS_EINVAL,
		    "units.csv:3: unit 'N1': level 6 out of range");

	/* A plan made for other units is refused before anything is written. */
	first_import(&in);
	plan_of(&plan, all_added, 5);
	assert_int_equal(cs_unit_store_apply(s, &in, &plan, &err), CS_EINVAL);
	assert_string_equal(err.msg, "import plan covers 5 units but 6 were given; make the plan "
				     "from the same units");
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);
	assert_int_equal(q_i64(s, "select count(*) from unit"), 6);
	cs_store_close(s);
}

static struct cs_period period(const char *code, const char *starts, const char *ends)
{
	struct cs_period p;

	memset(&p, 0, sizeof(p));
	snprintf(p.code, sizeof(p.code), "%s", code);
	snprintf(p.starts, sizeof(p.starts), "%s", starts);
	snprintf(p.ends, sizeof(p.ends), "%s", ends);
	return p;
}

static void test_periods(void **state)
{
	struct cs_store *s = open_new();
	struct cs_error err = {0};
	struct cs_vec list;
	struct cs_period p;
	const struct cs_period *got;

	(void)state;
	cs_vec_init(&list, sizeof(struct cs_period), 0);
	assert_int_equal(cs_period_store_list(s, &list, &err), CS_OK);
	assert_int_equal(list.len, 0);

	p = period("2024", "2024-01-01", "2024-12-31");
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_OK);
	p = period("2024-Q1", "2024-01-01", "2024-03-31");
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_OK);
	p = period("2023", "2023-01-01", "2023-12-31");
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_OK);
	p = period("2024-01-15", "2024-01-15", "2024-01-15"); /* one day is fine */
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_OK);

	p = period("2024", "2025-01-01", "2025-12-31");
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_EEXIST);
	assert_string_equal(err.msg, "period '2024' already exists");
	p = period("2026", "2026-12-31", "2026-01-01");
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_EINVAL);
	assert_string_equal(err.msg, "period '2026': start date 2026-12-31 is after end date "
				     "2026-01-01; expected starts <= ends");
	p = period("", "2026-01-01", "2026-12-31");
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_EINVAL);
	p = period("2026", "", "2026-12-31");
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_EINVAL);
	memset(p.code, 'x', sizeof(p.code)); /* not NUL-terminated */
	assert_int_equal(cs_period_store_add(s, &p, &err), CS_EINVAL);

	assert_int_equal(cs_period_store_list(s, &list, &err), CS_OK);
	assert_int_equal(list.len, 4);
	got = cs_vec_at(&list, 0);
	assert_string_equal(got->code, "2023");
	assert_string_equal(got->starts, "2023-01-01");
	assert_string_equal(got->ends, "2023-12-31");
	assert_true(got->id > 0);
	assert_string_equal(((struct cs_period *)cs_vec_at(&list, 1))->code, "2024");
	assert_string_equal(((struct cs_period *)cs_vec_at(&list, 2))->code, "2024-Q1");
	assert_string_equal(((struct cs_period *)cs_vec_at(&list, 3))->code, "2024-01-15");

	assert_int_equal(q_i64(s, "select count(*) from audit where entity = 'period'"), 8);
	assert_int_equal(q_i64(s, "select count(*) from audit where entity = 'period' and "
				  "entity_id = '2023' and field = 'ends' and "
				  "new_value = '2023-12-31' and old_value is null"),
			 1);
	cs_vec_release(&list);
	cs_store_close(s);
}

static void test_out_of_memory(void **state)
{
	struct cs_store *s = open_new();
	struct cs_unit_set in, out;
	struct cs_unit_plan plan;
	struct cs_error err = {0};
	struct cs_vec list;
	struct cs_period p = period("2024", "2024-01-01", "2024-12-31");
	enum cs_err rc = CS_ENOMEM;
	long n;

	(void)state;
	first_import(&in);
	plan_of(&plan, all_added, 6);
	for (n = 0; n < 10000; n++) {
		cs_alloc_fail_after(n);
		rc = cs_unit_store_apply(s, &in, &plan, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_int_equal(q_i64(s, "select count(*) from unit"), 0);
		assert_int_equal(q_i64(s, "select count(*) from audit"), 0);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 10);
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);

	for (n = 0; n < 10000; n++) {
		cs_unit_set_init(&out);
		cs_alloc_fail_after(n);
		rc = cs_unit_store_load(s, &out, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		cs_unit_set_release(&out);
	}
	assert_int_equal(rc, CS_OK);
	assert_true(n > 3);
	assert_int_equal(out.units.len, 6);
	assert_string_equal(find(&out, "HG-H2")->successor, "HG-H1;TQ");
	cs_unit_set_release(&out);

	for (n = 0; n < 1000; n++) {
		cs_alloc_fail_after(n);
		rc = cs_period_store_add(s, &p, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_int_equal(q_i64(s, "select count(*) from period"), 0);
	}
	assert_int_equal(rc, CS_OK);

	for (n = 0; n < 1000; n++) {
		cs_vec_init(&list, sizeof(struct cs_period), 0);
		cs_alloc_fail_after(n);
		rc = cs_period_store_list(s, &list, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		cs_vec_release(&list);
	}
	assert_int_equal(rc, CS_OK);
	assert_int_equal(list.len, 1);
	cs_vec_release(&list);
	cs_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_and_load),	 cmocka_unit_test(test_apply_changes),
		cmocka_unit_test(test_apply_rolls_back), cmocka_unit_test(test_periods),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
