/*
 * Tests of the organisation model (core/unit): levels, unit sets, unit
 * comparison, and the import plan: counting, parents, cycles through stored
 * units, successors, dates, scale and out-of-memory paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/unit.h"
#include "util/alloc.h"

/* Adds a unit from the file "units.csv" at line, with code in column 1 and parent in 3. */
static void add(struct cs_unit_set *set, const char *code, const char *parent, size_t line)
{
	struct cs_unit u = {
		.code = code,
		.name = code,
		.parent = parent,
		.level = CS_LEVEL_OTHER,
		.src = {.file = line ? "units.csv" : NULL,
			.line = line,
			.col_code = 1,
			.col_parent = 3,
			.col_successor = 8},
	};
	struct cs_error err;

	assert_int_equal(cs_unit_set_add(set, &u, &err), CS_OK);
}

/* Makes the plan and checks the code and message. */
static void expect_plan(const struct cs_unit_set *stored, struct cs_unit_set *in, enum cs_err code,
			const char *msg)
{
	struct cs_unit_plan plan;
	struct cs_error err;
	enum cs_err rc;

	cs_unit_plan_init(&plan);
	cs_error_clear(&err);
	rc = cs_unit_plan_make(stored, in, &plan, &err);
	if (rc != code || (msg && strcmp(err.msg, msg) != 0))
		fail_msg("got %s \"%s\"\nexpected %s \"%s\"", cs_err_name(rc), err.msg,
			 cs_err_name(code), msg ? msg : "");
	if (rc) {
		assert_int_equal(plan.changes.len, 0);
		assert_int_equal(plan.added + plan.changed + plan.unchanged + plan.kept, 0);
	}
	cs_unit_plan_release(&plan);
}

static void test_levels(void **state)
{
	static const char *const names[] = {"ministry", "province", "department",
					    "district", "commune",  "other"};
	static const char *const vi[] = {
		"C\xe1\xba\xa5p b\xe1\xbb\x99", "C\xe1\xba\xa5p t\xe1\xbb\x89nh",
		"C\xe1\xba\xa5p ph\xc3\xb2ng",	"C\xe1\xba\xa5p huy\xe1\xbb\x87n",
		"C\xe1\xba\xa5p x\xc3\xa3",	"Kh\xc3\xa1" /* split: 'c' is a hex digit */ "c"};
	enum cs_level l;

	(void)state;
	assert_int_equal(CS_LEVEL_COUNT_, 6);
	for (int i = 0; i < CS_LEVEL_COUNT_; i++) {
		assert_string_equal(cs_level_name((enum cs_level)i), names[i]);
		assert_string_equal(cs_level_name_vi((enum cs_level)i), vi[i]);
		assert_true(cs_level_parse(cs_str_from(names[i]), &l));
		assert_int_equal(l, i);
	}
	assert_int_equal(CS_LEVEL_DEPARTMENT, 2);
	assert_true(cs_level_parse(CS_STR("DiStRiCt"), &l));
	assert_int_equal(l, CS_LEVEL_DISTRICT);
	l = CS_LEVEL_OTHER;
	assert_false(cs_level_parse(CS_STR("tinh"), &l));
	assert_false(cs_level_parse(CS_STR("provinces"), &l));
	assert_false(cs_level_parse(CS_STR(""), &l));
	assert_false(cs_level_parse(CS_STR(" commune"), &l));
	assert_int_equal(l, CS_LEVEL_OTHER);
	assert_null(cs_level_name(CS_LEVEL_COUNT_));
	assert_null(cs_level_name_vi((enum cs_level) - 1));
}

static void test_set_copies(void **state)
{
	struct cs_unit_set set;
	struct cs_error err;
	char code[] = "A1", name[] = "Name", succ[] = "B;C";
	struct cs_unit u = {.id = 9,
			    .code = code,
			    .name = name,
			    .level = CS_LEVEL_COMMUNE,
			    .successor = succ,
			    .src = {.file = "f.csv", .line = 4}};
	const struct cs_unit *got;

	(void)state;
	cs_unit_set_init(&set);
	assert_int_equal(cs_unit_set_add(&set, &u, &err), CS_OK);
	code[0] = 'X';
	name[0] = 'X';
	succ[0] = 'X';
	got = cs_unit_set_at(&set, 0);
	assert_int_equal(set.units.len, 1);
	assert_int_equal(got->id, 9);
	assert_string_equal(got->code, "A1");
	assert_string_equal(got->name, "Name");
	assert_string_equal(got->successor, "B;C");
	assert_null(got->parent);
	assert_null(got->flags);
	assert_int_equal(got->level, CS_LEVEL_COMMUNE);
	assert_string_equal(got->src.file, "f.csv");
	assert_int_equal(got->src.line, 4);
	cs_unit_set_release(&set);
	cs_unit_set_release(NULL);
	cs_unit_plan_release(NULL);
}

static void test_set_alloc_failure(void **state)
{
	struct cs_unit u = {.code = "A", .name = "a", .parent = "P", .flags = "tthc"};
	struct cs_unit_set set;
	struct cs_error err;
	enum cs_err rc;

	(void)state;
	for (long n = 0;; n++) {
		cs_unit_set_init(&set);
		cs_alloc_fail_after(n);
		rc = cs_unit_set_add(&set, &u, &err);
		cs_alloc_fail_after(-1);
		cs_unit_set_release(&set);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
	}
}

static void test_same(void **state)
{
	struct cs_unit a = {.code = "A",
			    .name = "Name",
			    .parent = "P",
			    .level = CS_LEVEL_DISTRICT,
			    .flags = "tthc;unranked",
			    .valid_from = "2020-01-01",
			    .successor = "B;C"};
	struct cs_unit b = a;

	(void)state;
	b.id = 5;
	b.src.line = 99;
	assert_true(cs_unit_same(&a, &b));
	/* Absent equals empty; lists compare as sets. */
	b.valid_to = "";
	b.flags = "unranked;tthc";
	b.successor = "C;B";
	assert_true(cs_unit_same(&a, &b));
	b.successor = "C";
	assert_false(cs_unit_same(&a, &b));
	b.successor = "C;B;D";
	assert_false(cs_unit_same(&a, &b));
	b.successor = a.successor;
	b.flags = NULL;
	assert_false(cs_unit_same(&a, &b));
	b.flags = a.flags;
	b.name = "Name ";
	assert_false(cs_unit_same(&a, &b));
	b.name = a.name;
	b.parent = NULL;
	assert_false(cs_unit_same(&a, &b));
	b.parent = a.parent;
	b.level = CS_LEVEL_COMMUNE;
	assert_false(cs_unit_same(&a, &b));
	b.level = a.level;
	b.valid_to = "2030-01-01";
	assert_false(cs_unit_same(&a, &b));
	b.valid_to = NULL;
	b.valid_from = "2020-01-02";
	assert_false(cs_unit_same(&a, &b));
	b.valid_from = a.valid_from;
	assert_true(cs_unit_same(&a, &b));
}

static void test_plan_counts(void **state)
{
	struct cs_unit_set stored, in;
	struct cs_unit_plan plan;
	struct cs_error err;
	struct cs_unit changed = {.code = "C", .name = "renamed", .parent = "A"};

	(void)state;
	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	add(&stored, "A", NULL, 0);
	add(&stored, "B", "A", 0);
	add(&stored, "C", "A", 0);
	add(&stored, "D", "B", 0);
	add(&stored, "E", "D", 0);
	/* The file: F added under G, E the same as stored, C renamed, G added under B. */
	add(&in, "F", "G", 2);
	add(&in, "E", "D", 3);
	assert_int_equal(cs_unit_set_add(&in, &changed, &err), CS_OK);
	add(&in, "G", "B", 5);
	cs_unit_set_at(&in, 2)->level = CS_LEVEL_OTHER;

	cs_unit_plan_init(&plan);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
	assert_int_equal(plan.added, 2);
	assert_int_equal(plan.changed, 1);
	assert_int_equal(plan.unchanged, 1);
	assert_int_equal(plan.kept, 3);
	assert_int_equal(plan.changes.len, 4);
	assert_int_equal(*(enum cs_unit_change *)cs_vec_at(&plan.changes, 0), CS_UNIT_ADDED);
	assert_int_equal(*(enum cs_unit_change *)cs_vec_at(&plan.changes, 1), CS_UNIT_UNCHANGED);
	assert_int_equal(*(enum cs_unit_change *)cs_vec_at(&plan.changes, 2), CS_UNIT_CHANGED);
	assert_int_equal(*(enum cs_unit_change *)cs_vec_at(&plan.changes, 3), CS_UNIT_ADDED);

	/* A plan can be made again; nothing stored: all added, none kept. */
	cs_unit_set_release(&stored);
	cs_unit_set_init(&stored);
	add(&in, "A", NULL, 6);
	add(&in, "B", "A", 7);
	add(&in, "D", "B", 8);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
	assert_int_equal(plan.added, 7);
	assert_int_equal(plan.changed + plan.unchanged + plan.kept, 0);
	assert_int_equal(plan.changes.len, 7);

	/* An empty file keeps everything. */
	add(&stored, "A", NULL, 0);
	cs_unit_set_release(&in);
	cs_unit_set_init(&in);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
	assert_int_equal(plan.kept, 1);
	assert_int_equal(plan.added + plan.changed + plan.unchanged, 0);

	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);
	cs_unit_set_release(&stored);
}

static void test_plan_parents(void **state)
{
	struct cs_unit_set stored, in;

	(void)state;
	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	add(&stored, "CAT-HN", NULL, 0);
	add(&in, "PC06", "CAT-HN", 2);
	add(&in, "PC08", "CAT-HP", 3);
	expect_plan(&stored, &in, CS_EPARSE,
		    "units.csv:3:3: unknown parent 'CAT-HP' of unit 'PC08'; the parent must be in "
		    "the file or already in the database");
	cs_unit_set_release(&in);

	cs_unit_set_init(&in);
	add(&in, "PC06", "CAT-HN", 2);
	add(&in, "X", "X", 3);
	expect_plan(&stored, &in, CS_EPARSE, "units.csv:3:3: unit 'X' cannot be its own parent");
	cs_unit_set_release(&in);

	/* Units not from a file: the message has no place. */
	cs_unit_set_init(&in);
	add(&in, "Y", "Z", 0);
	expect_plan(&stored, &in, CS_EPARSE,
		    "unknown parent 'Z' of unit 'Y'; the parent must be in the file or already in "
		    "the database");
	cs_unit_set_release(&in);

	/* Duplicates are the parser's to catch; the plan refuses them too. */
	cs_unit_set_init(&in);
	add(&in, "Q", NULL, 2);
	add(&in, "Q", NULL, 5);
	expect_plan(&stored, &in, CS_EPARSE, NULL);
	cs_unit_set_release(&in);

	cs_unit_set_release(&stored);
}

static void test_plan_cycles(void **state)
{
	struct cs_unit_set stored, in;

	(void)state;
	/* Within the file; D hangs off the cycle but is not on it. */
	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	add(&in, "D", "B", 2);
	add(&in, "R", NULL, 3);
	add(&in, "B", "A", 4);
	add(&in, "C", "B", 5);
	add(&in, "A", "C", 6);
	expect_plan(&stored, &in, CS_EPARSE,
		    "units.csv:4:3: unit 'B' is its own ancestor (B -> A -> C -> B)");
	cs_unit_set_release(&in);

	/* Through stored units: A was the root of A <- B <- C; the file hangs A under C. */
	add(&stored, "A", NULL, 0);
	add(&stored, "B", "A", 0);
	add(&stored, "C", "B", 0);
	cs_unit_set_init(&in);
	add(&in, "N", "C", 2);
	add(&in, "A", "C", 3);
	expect_plan(&stored, &in, CS_EPARSE,
		    "units.csv:3:3: unit 'A' is its own ancestor (A -> C -> B -> A)");
	cs_unit_set_release(&in);

	/* Two units swapped: B under A in the database, the file puts A under B. */
	cs_unit_set_init(&in);
	add(&in, "A", "B", 2);
	expect_plan(&stored, &in, CS_EPARSE,
		    "units.csv:2:3: unit 'A' is its own ancestor (A -> B -> A)");
	cs_unit_set_release(&in);

	/* Moving B to the root at the same time makes it a tree again. */
	cs_unit_set_init(&in);
	add(&in, "A", "B", 2);
	add(&in, "B", NULL, 3);
	expect_plan(&stored, &in, CS_OK, NULL);
	cs_unit_set_release(&in);

	cs_unit_set_release(&stored);
}

static void test_plan_long_cycle(void **state)
{
	struct cs_unit_set stored, in;
	char code[16], parent[16];

	(void)state;
	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	for (int i = 0; i < 200; i++) {
		snprintf(code, sizeof(code), "UNIT-%03d", i);
		snprintf(parent, sizeof(parent), "UNIT-%03d", (i + 1) % 200);
		add(&in, code, parent, (size_t)i + 2);
	}
	expect_plan(&stored, &in, CS_EPARSE,
		    "units.csv:2:3: unit 'UNIT-000' is its own ancestor (UNIT-000 -> UNIT-001 -> "
		    "UNIT-002 -> UNIT-003 -> UNIT-004 -> UNIT-005 -> UNIT-006 -> UNIT-007 -> "
		    "UNIT-008 -> UNIT-009 -> UNIT-010 -> UNIT-011 -> UNIT-012 -> UNIT-013 -> "
		    "UNIT-014 -> UNIT-015 -> UNIT-016 -> UNIT-017 -> UNIT-018 -> ... "
		    "-> UNIT-000)");
	cs_unit_set_release(&in);
	cs_unit_set_release(&stored);
}

static void test_plan_successors(void **state)
{
	struct cs_unit_set stored, in;
	struct cs_error err;
	struct cs_unit u = {.code = "CAT-HG",
			    .name = "Ha Giang",
			    .level = CS_LEVEL_PROVINCE,
			    .valid_to = "2025-06-30",
			    .successor = "CAT-TQ;OLD",
			    .src = {.file = "units.csv", .line = 2, .col_successor = 8}};

	(void)state;
	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	add(&stored, "OLD", NULL, 0);
	assert_int_equal(cs_unit_set_add(&in, &u, &err), CS_OK);
	expect_plan(&stored, &in, CS_EPARSE,
		    "units.csv:2:8: successor 'CAT-TQ' of unit 'CAT-HG' does not exist");
	/* Later in the file is fine: successors may come after. */
	add(&in, "CAT-TQ", NULL, 3);
	expect_plan(&stored, &in, CS_OK, NULL);
	cs_unit_set_release(&in);

	cs_unit_set_init(&in);
	u.successor = "OLD;CAT-HG";
	assert_int_equal(cs_unit_set_add(&in, &u, &err), CS_OK);
	expect_plan(&stored, &in, CS_EPARSE,
		    "units.csv:2:8: unit 'CAT-HG' cannot be its own successor");
	cs_unit_set_release(&in);
	cs_unit_set_release(&stored);
}

static void test_plan_dates(void **state)
{
	struct cs_unit_set stored, in;
	struct cs_error err;
	struct cs_unit u = {.code = "A",
			    .name = "a",
			    .valid_from = "2025-07-01",
			    .valid_to = "2025-06-30",
			    .src = {.file = "units.csv", .line = 7}};

	(void)state;
	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	assert_int_equal(cs_unit_set_add(&in, &u, &err), CS_OK);
	expect_plan(&stored, &in, CS_EPARSE,
		    "units.csv:7: unit 'A' is valid from 2025-07-01, after its valid_to "
		    "2025-06-30; expected valid_from on or before valid_to");
	cs_unit_set_release(&in);
	/* A single day is a valid range. */
	u.valid_to = u.valid_from;
	cs_unit_set_init(&in);
	assert_int_equal(cs_unit_set_add(&in, &u, &err), CS_OK);
	expect_plan(&stored, &in, CS_OK, NULL);
	cs_unit_set_release(&in);
	cs_unit_set_release(&stored);
}

/* A column the file does not have keeps the stored values; an empty cell clears. */
static void test_plan_keeps_absent_columns(void **state)
{
	struct cs_unit_set stored, in;
	struct cs_unit_plan plan;
	struct cs_error err;
	struct cs_unit s = {.code = "A",
			    .name = "a",
			    .level = CS_LEVEL_PROVINCE,
			    .flags = "tthc",
			    .valid_from = "2008-08-01",
			    .valid_to = "2025-06-30",
			    .successor = "B"};
	struct cs_unit f = {
		.code = "A",
		.name = "a",
		.level = CS_LEVEL_PROVINCE,
		.src = {.file = "units.csv", .line = 2, .col_code = 1, .col_parent = 3}};
	const struct cs_unit *got;

	(void)state;
	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	cs_unit_plan_init(&plan);
	assert_int_equal(cs_unit_set_add(&stored, &s, &err), CS_OK);
	add(&stored, "B", NULL, 0);

	/* Only the required columns: nothing changes, the stored values are kept. */
	assert_int_equal(cs_unit_set_add(&in, &f, &err), CS_OK);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
	assert_int_equal(plan.unchanged, 1);
	got = cs_unit_set_at(&in, 0);
	assert_string_equal(got->flags, "tthc");
	assert_string_equal(got->valid_from, "2008-08-01");
	assert_string_equal(got->valid_to, "2025-06-30");
	assert_string_equal(got->successor, "B");
	assert_ptr_not_equal(got->flags, s.flags);
	cs_unit_set_release(&in);

	/* The columns present with empty cells: cleared, so changed. */
	f.src.col_flags = 5;
	f.src.col_valid_from = 6;
	f.src.col_valid_to = 7;
	f.src.col_successor = 8;
	cs_unit_set_init(&in);
	assert_int_equal(cs_unit_set_add(&in, &f, &err), CS_OK);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
	assert_int_equal(plan.changed, 1);
	got = cs_unit_set_at(&in, 0);
	assert_null(got->flags);
	assert_null(got->valid_to);
	assert_null(got->successor);
	cs_unit_set_release(&in);

	/* A kept valid_to and a new valid_from after it are checked together. */
	f.src.col_valid_to = 0;
	f.valid_from = "2025-07-01";
	cs_unit_set_init(&in);
	assert_int_equal(cs_unit_set_add(&in, &f, &err), CS_OK);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_EPARSE);
	assert_string_equal(err.msg, "units.csv:2: unit 'A' is valid from 2025-07-01, after its "
				     "valid_to 2025-06-30; expected valid_from on or before "
				     "valid_to");
	cs_unit_set_release(&in);

	/* Units not from a file are taken as given. */
	f.src = (struct cs_unit_src){0};
	f.valid_from = NULL;
	cs_unit_set_init(&in);
	assert_int_equal(cs_unit_set_add(&in, &f, &err), CS_OK);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
	assert_int_equal(plan.changed, 1);
	assert_null(cs_unit_set_at(&in, 0)->flags);

	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);
	cs_unit_set_release(&stored);
}

/* A national tree: 1 ministry, 63 provinces, 60 000 units below them. */
static void test_plan_scale(void **state)
{
	enum {
		PROVINCES = 63,
		PER = 1000
	};
	struct cs_unit_set stored, in;
	struct cs_unit_plan plan;
	struct cs_error err;
	char code[32], parent[32];

	(void)state;
	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	add(&stored, "BCA", NULL, 0);
	for (int p = 0; p < PROVINCES; p++) {
		snprintf(code, sizeof(code), "P%02d", p);
		add(&stored, code, "BCA", 0);
		for (int k = 0; k < PER; k++) {
			snprintf(code, sizeof(code), "P%02d-U%04d", p, k);
			snprintf(parent, sizeof(parent), k ? "P%02d-U%04d" : "P%02d", p,
				 k ? k / 2 : 0);
			add(k % 2 ? &in : &stored, code, parent, (size_t)k + 2);
		}
	}
	cs_unit_plan_init(&plan);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
	assert_int_equal(plan.added, PROVINCES * PER / 2);
	assert_int_equal(plan.kept, 1 + PROVINCES + PROVINCES * PER / 2);

	/* The same units again: all unchanged. */
	for (size_t i = 0; i < in.units.len; i++)
		assert_int_equal(cs_unit_set_add(&stored, cs_unit_set_at(&in, i), &err), CS_OK);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
	assert_int_equal(plan.unchanged, PROVINCES * PER / 2);
	assert_int_equal(plan.added, 0);
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);
	cs_unit_set_release(&stored);
}

static void test_plan_alloc_failure(void **state)
{
	struct cs_unit_set stored, in;
	struct cs_unit_plan plan;
	struct cs_error err;
	enum cs_err rc;
	static char flags[20000];
	struct cs_unit a = {.code = "A", .name = "A", .flags = flags, .valid_to = "2020-01-01"};

	(void)state;
	/* Flags longer than a quarter of an arena block get a block of their
	 * own, so keeping them in the incoming set allocates. */
	memset(flags, 'f', sizeof(flags) - 1);
	cs_unit_set_init(&stored);
	cs_unit_set_init(&in);
	assert_int_equal(cs_unit_set_add(&stored, &a, &err), CS_OK);
	add(&stored, "B", "A", 0);
	add(&in, "B", NULL, 2);
	add(&in, "C", "B", 3);
	add(&in, "A", NULL, 4); /* keeps its flags and valid_to */
	for (long n = 0;; n++) {
		cs_unit_plan_init(&plan);
		cs_alloc_fail_after(n);
		rc = cs_unit_plan_make(&stored, &in, &plan, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			assert_int_equal(plan.added, 1);
			assert_int_equal(plan.changed, 2);
			assert_int_equal(plan.kept, 0);
			assert_string_equal(cs_unit_set_at(&in, 2)->flags, flags);
			cs_unit_plan_release(&plan);
			break;
		}
		assert_int_equal(rc, CS_ENOMEM);
		assert_int_equal(plan.changes.len, 0);
		cs_unit_plan_release(&plan);
		assert_true(n < 100);
	}
	cs_unit_set_release(&in);
	cs_unit_set_release(&stored);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_set_copies),
		cmocka_unit_test(test_set_alloc_failure),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_plan_counts),
		cmocka_unit_test(test_plan_parents),
		cmocka_unit_test(test_plan_cycles),
		cmocka_unit_test(test_plan_long_cycle),
		cmocka_unit_test(test_plan_successors),
		cmocka_unit_test(test_plan_dates),
		cmocka_unit_test(test_plan_keeps_absent_columns),
		cmocka_unit_test(test_plan_scale),
		cmocka_unit_test(test_plan_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
