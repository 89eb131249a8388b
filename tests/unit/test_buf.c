/* Unit tests for the capped growable buffer (util/buf.h), including out-of-memory paths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* The invariants every buffer keeps between calls. */
static void check_buf(const struct cs_buf *b, const char *want)
{
	size_t n = strlen(want);

	assert_non_null(b->data);
	assert_int_equal(b->len, n);
	assert_memory_equal(b->data, want, n);
	assert_int_equal(b->data[b->len], '\0');
	assert_true(b->len <= b->max);
	if (b->cap)
		assert_true(b->cap > b->len);
}

static void test_init_is_empty_string(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 100);
	check_buf(&b, "");
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 100);
	assert_string_equal(b.data, "");
	cs_buf_release(&b);
}

static void test_add_grows(void **state)
{
	struct cs_buf b;
	char want[3001];

	(void)state;
	cs_buf_init(&b, SIZE_MAX - 1);
	for (size_t i = 0; i < 3000; i++) {
		want[i] = (char)('a' + i % 26);
		want[i + 1] = '\0';
		assert_int_equal(cs_buf_addc(&b, want[i], NULL), CS_OK);
		check_buf(&b, want);
	}
	assert_int_equal(cs_buf_addstr(&b, "", NULL), CS_OK);
	assert_int_equal(cs_buf_add(&b, NULL, 0, NULL), CS_OK);
	check_buf(&b, want);
	cs_buf_release(&b);
}

static void test_add_mixed(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 1000);
	assert_int_equal(cs_buf_addstr(&b, "Công an ", NULL), CS_OK);
	assert_int_equal(cs_buf_add(&b, "tỉnh Lào Cai, ignored", strlen("tỉnh Lào Cai"), NULL),
			 CS_OK);
	assert_int_equal(cs_buf_addc(&b, '!', NULL), CS_OK);
	check_buf(&b, "Công an tỉnh Lào Cai!");
	/* Embedded NULs are bytes like any other. */
	assert_int_equal(cs_buf_add(&b, "\0x", 2, NULL), CS_OK);
	assert_int_equal(b.len, strlen("Công an tỉnh Lào Cai!") + 2);
	assert_int_equal(b.data[b.len - 1], 'x');
	cs_buf_release(&b);
}

static void test_grow_reserves(void **state)
{
	struct cs_buf b;
	char *before;

	(void)state;
	cs_buf_init(&b, 10000);
	assert_int_equal(cs_buf_grow(&b, 500, NULL), CS_OK);
	assert_true(b.cap >= 501);
	check_buf(&b, "");
	before = b.data;
	for (int i = 0; i < 500; i++)
		assert_int_equal(cs_buf_addc(&b, 'z', NULL), CS_OK);
	/* No reallocation was needed inside the reserved room. */
	assert_ptr_equal(b.data, before);
	assert_int_equal(b.len, 500);
	cs_buf_release(&b);
}

static void test_cap_exact_max_ok(void **state)
{
	struct cs_buf b;
	struct cs_error err = {0};

	(void)state;
	cs_buf_init(&b, 10);
	assert_int_equal(cs_buf_addstr(&b, "0123456789", &err), CS_OK);
	check_buf(&b, "0123456789");
	assert_true(b.cap <= 11); /* never more than max + 1 for the NUL */
	cs_buf_release(&b);

	cs_buf_init(&b, 10);
	for (int i = 0; i < 10; i++)
		assert_int_equal(cs_buf_addc(&b, (char)('0' + i), &err), CS_OK);
	check_buf(&b, "0123456789");
	assert_true(b.cap <= 11);
	cs_buf_release(&b);
}

static void test_cap_max_plus_one_fails(void **state)
{
	struct cs_buf b;
	struct cs_error err = {0};

	(void)state;
	cs_buf_init(&b, 10);
	assert_int_equal(cs_buf_addstr(&b, "0123456789", &err), CS_OK);
	assert_int_equal(cs_buf_addc(&b, 'x', &err), CS_ETOOBIG);
	assert_int_equal(err.code, CS_ETOOBIG);
	assert_string_equal(err.msg, "text longer than the limit of 10 bytes");
	check_buf(&b, "0123456789");
	assert_int_equal(cs_buf_addf(&b, &err, "%d", 7), CS_ETOOBIG);
	assert_int_equal(cs_buf_grow(&b, 1, &err), CS_ETOOBIG);
	assert_int_equal(cs_buf_grow(&b, 0, &err), CS_OK);
	check_buf(&b, "0123456789");
	cs_buf_release(&b);

	/* Max + 1 in one go, on an empty buffer: nothing is written. */
	cs_buf_init(&b, 10);
	cs_error_clear(&err);
	assert_int_equal(cs_buf_addstr(&b, "0123456789A", &err), CS_ETOOBIG);
	assert_int_equal(err.code, CS_ETOOBIG);
	check_buf(&b, "");
	assert_int_equal(b.cap, 0);
	cs_buf_release(&b);
}

static void test_cap_zero(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 0);
	assert_int_equal(cs_buf_addstr(&b, "", NULL), CS_OK);
	check_buf(&b, "");
	assert_int_equal(cs_buf_addc(&b, 'a', NULL), CS_ETOOBIG);
	check_buf(&b, "");
	cs_buf_release(&b);
}

static void test_uncapped_buffer(void **state)
{
	struct cs_buf b;

	(void)state;
	/* SIZE_MAX as the cap must not wrap the capacity computation. */
	cs_buf_init(&b, SIZE_MAX);
	assert_int_equal(cs_buf_addstr(&b, "abc", NULL), CS_OK);
	check_buf(&b, "abc");
	for (int i = 0; i < 100; i++)
		assert_int_equal(cs_buf_addstr(&b, "0123456789", NULL), CS_OK);
	assert_int_equal(b.len, 1003);
	assert_int_equal(b.data[1003], '\0');
	cs_buf_release(&b);
}

static void test_grow_overflow(void **state)
{
	struct cs_buf b;
	struct cs_error err = {0};

	(void)state;
	cs_buf_init(&b, SIZE_MAX);
	assert_int_equal(cs_buf_addstr(&b, "ab", NULL), CS_OK);
	assert_int_equal(cs_buf_grow(&b, SIZE_MAX, &err), CS_ETOOBIG);
	assert_int_equal(cs_buf_grow(&b, SIZE_MAX - 1, &err), CS_ETOOBIG);
	check_buf(&b, "ab");
	cs_buf_release(&b);
}

static void test_addf(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 4096);
	assert_int_equal(cs_buf_addf(&b, NULL, "%s:%zu:%d: %s", "units.csv", (size_t)4, 12, "bad"),
			 CS_OK);
	check_buf(&b, "units.csv:4:12: bad");
	assert_int_equal(cs_buf_addf(&b, NULL, " %.2f%%", 91.835), CS_OK);
	check_buf(&b, "units.csv:4:12: bad 91.83%");
	cs_buf_reset(&b);
	/* A long expansion in one call. */
	assert_int_equal(cs_buf_addf(&b, NULL, "[%*d]", 1000, 7), CS_OK);
	assert_int_equal(b.len, 1002);
	assert_int_equal(b.data[0], '[');
	assert_int_equal(b.data[999], ' ');
	assert_int_equal(b.data[1000], '7');
	assert_int_equal(b.data[1001], ']');
	assert_int_equal(b.data[1002], '\0');
	cs_buf_reset(&b);
	/* An empty expansion on a fresh buffer. */
	assert_int_equal(cs_buf_addf(&b, NULL, "%s", ""), CS_OK);
	check_buf(&b, "");
	cs_buf_release(&b);
}

static void test_addf_cap(void **state)
{
	struct cs_buf b;
	struct cs_error err = {0};

	(void)state;
	cs_buf_init(&b, 8);
	assert_int_equal(cs_buf_addf(&b, &err, "%d-%d", 123, 4567), CS_OK); /* 8 bytes */
	check_buf(&b, "123-4567");
	cs_buf_reset(&b);
	assert_int_equal(cs_buf_addf(&b, &err, "%d-%d", 123, 45678), CS_ETOOBIG); /* 9 bytes */
	assert_int_equal(err.code, CS_ETOOBIG);
	check_buf(&b, "");
	cs_buf_release(&b);
}

static enum cs_err add_v(struct cs_buf *b, struct cs_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum cs_err add_v(struct cs_buf *b, struct cs_error *err, const char *fmt, ...)
{
	va_list ap;
	enum cs_err rc;

	va_start(ap, fmt);
	rc = cs_buf_vaddf(b, err, fmt, ap);
	va_end(ap);
	return rc;
}

static void test_vaddf(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 100);
	assert_int_equal(add_v(&b, NULL, "%s=%ld", "n", 42L), CS_OK);
	assert_int_equal(add_v(&b, NULL, ", %s=%c", "c", 'q'), CS_OK);
	check_buf(&b, "n=42, c=q");
	cs_buf_release(&b);
}

static void test_truncate(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 100);
	cs_buf_truncate(&b, 0); /* on a never-written buffer */
	check_buf(&b, "");
	assert_int_equal(cs_buf_addstr(&b, "abcdef", NULL), CS_OK);
	cs_buf_truncate(&b, 3);
	check_buf(&b, "abc");
	cs_buf_truncate(&b, 3);
	check_buf(&b, "abc");
	cs_buf_truncate(&b, 50); /* longer than len: no change */
	check_buf(&b, "abc");
	assert_int_equal(cs_buf_addc(&b, 'Z', NULL), CS_OK);
	check_buf(&b, "abcZ");
	cs_buf_truncate(&b, 0);
	check_buf(&b, "");
	cs_buf_release(&b);
}

static void test_reset_keeps_memory(void **state)
{
	struct cs_buf b;
	size_t cap;
	char *data;

	(void)state;
	cs_buf_init(&b, 100);
	cs_buf_reset(&b); /* on a never-written buffer */
	check_buf(&b, "");
	assert_int_equal(cs_buf_addstr(&b, "hello", NULL), CS_OK);
	cap = b.cap;
	data = b.data;
	cs_buf_reset(&b);
	check_buf(&b, "");
	assert_int_equal(b.cap, cap);
	assert_ptr_equal(b.data, data);
	assert_int_equal(cs_buf_addstr(&b, "again", NULL), CS_OK);
	check_buf(&b, "again");
	cs_buf_release(&b);
}

static void test_release_reusable(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 20);
	assert_int_equal(cs_buf_addstr(&b, "first", NULL), CS_OK);
	cs_buf_release(&b);
	check_buf(&b, "");
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 20); /* the cap survives */
	assert_int_equal(cs_buf_addstr(&b, "second", NULL), CS_OK);
	check_buf(&b, "second");
	cs_buf_release(&b);
	cs_buf_release(&b); /* twice is fine */
	cs_buf_release(NULL);
}

static void test_detach(void **state)
{
	struct cs_buf b;
	size_t len = 99;
	char *p;

	(void)state;
	cs_buf_init(&b, 50);
	assert_int_equal(cs_buf_addstr(&b, "Phường Bến Nghé", NULL), CS_OK);
	p = cs_buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "Phường Bến Nghé");
	assert_int_equal(len, strlen("Phường Bến Nghé"));
	check_buf(&b, "");
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 50);
	/* The buffer is reusable and no longer shares memory with p. */
	assert_int_equal(cs_buf_addstr(&b, "x", NULL), CS_OK);
	assert_ptr_not_equal(b.data, p);
	assert_string_equal(p, "Phường Bến Nghé");
	cs_free(p);

	p = cs_buf_detach(&b, NULL);
	assert_string_equal(p, "x");
	cs_free(p);
	cs_buf_release(&b);
}

static void test_detach_empty(void **state)
{
	struct cs_buf b;
	size_t len = 99;
	char *p;

	(void)state;
	cs_buf_init(&b, 50);
	p = cs_buf_detach(&b, &len);
	/* Even an empty buffer gives memory the caller may free. */
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	cs_free(p);
	cs_buf_release(&b);
}

static void test_detach_empty_no_memory(void **state)
{
	struct cs_buf b;
	size_t len = 99;

	(void)state;
	cs_buf_init(&b, 50);
	cs_alloc_fail_after(0);
	assert_null(cs_buf_detach(&b, &len));
	cs_alloc_fail_after(-1);
	assert_int_equal(len, 0);
	check_buf(&b, "");
	cs_buf_release(&b);
}

/*
 * The out-of-memory loop: each operation is run with an allocation budget of
 * 0, 1, 2, ... until it succeeds. Every failing run must report CS_ENOMEM and
 * leave the buffer as it was; LeakSanitizer checks that nothing leaks.
 */
enum op {
	OP_ADD,
	OP_ADDSTR,
	OP_ADDC,
	OP_ADDF,
	OP_GROW,
};

static enum cs_err run_op(struct cs_buf *b, enum op op, struct cs_error *err)
{
	switch (op) {
	case OP_ADD:
		return cs_buf_add(b, "0123456789012345678901234567890123456789", 40, err);
	case OP_ADDSTR:
		return cs_buf_addstr(b, "Sở Lao động - Thương binh và Xã hội", err);
	case OP_ADDC:
		return cs_buf_addc(b, 'q', err);
	case OP_ADDF:
		return cs_buf_addf(b, err, "%s %d %*s", "điểm", 95, 300, "end");
	case OP_GROW:
		return cs_buf_grow(b, 5000, err);
	}
	return CS_EINTERNAL;
}

static void oom_loop(const char *prefill, enum op op)
{
	for (long budget = 0;; budget++) {
		struct cs_buf b;
		struct cs_error err = {0};
		enum cs_err rc;
		char *before;

		cs_buf_init(&b, 100000);
		if (prefill)
			assert_int_equal(cs_buf_addstr(&b, prefill, NULL), CS_OK);
		before = cs_strdup(b.data);
		assert_non_null(before);
		cs_alloc_fail_after(budget);
		rc = run_op(&b, op, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			assert_true(b.len >= strlen(before));
			assert_memory_equal(b.data, before, strlen(before));
			cs_free(before);
			cs_buf_release(&b);
			break;
		}
		assert_int_equal(rc, CS_ENOMEM);
		assert_int_equal(err.code, CS_ENOMEM);
		assert_string_equal(err.msg, "out of memory");
		check_buf(&b, before);
		/* Still usable after the failure. */
		assert_int_equal(cs_buf_addc(&b, '.', NULL), CS_OK);
		assert_int_equal(b.data[b.len - 1], '.');
		cs_free(before);
		cs_buf_release(&b);
		assert_true(budget < 100);
	}
}

static void test_oom_every_op(void **state)
{
	/* Long enough that the next add needs a reallocation. */
	static const char full[] = "0123456789abcdefghijklmnopqrstu";

	(void)state;
	for (enum op op = OP_ADD; op <= OP_GROW; op++) {
		oom_loop(NULL, op);
		oom_loop("abc", op);
		oom_loop(full, op);
	}
}

static void test_oom_message_with_null_err(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 100);
	cs_alloc_fail_after(0);
	assert_int_equal(cs_buf_addstr(&b, "x", NULL), CS_ENOMEM);
	cs_alloc_fail_after(-1);
	check_buf(&b, "");
	cs_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty_string),
		cmocka_unit_test(test_add_grows),
		cmocka_unit_test(test_add_mixed),
		cmocka_unit_test(test_grow_reserves),
		cmocka_unit_test(test_cap_exact_max_ok),
		cmocka_unit_test(test_cap_max_plus_one_fails),
		cmocka_unit_test(test_cap_zero),
		cmocka_unit_test(test_uncapped_buffer),
		cmocka_unit_test(test_grow_overflow),
		cmocka_unit_test(test_addf),
		cmocka_unit_test(test_addf_cap),
		cmocka_unit_test(test_vaddf),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_reset_keeps_memory),
		cmocka_unit_test(test_release_reusable),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_detach_empty),
		cmocka_unit_test_teardown(test_detach_empty_no_memory, restore_allocator),
		cmocka_unit_test_teardown(test_oom_every_op, restore_allocator),
		cmocka_unit_test_teardown(test_oom_message_with_null_err, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
