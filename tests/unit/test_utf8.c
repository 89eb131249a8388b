/* Unit tests for UTF-8 validation, BOM detection, code point counting and NFC (util/utf8.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/alloc.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Combining marks, written out so that the source file's own form does not matter. */
#define GRAVE "\xCC\x80"      /* U+0300 dấu huyền */
#define ACUTE "\xCC\x81"      /* U+0301 dấu sắc */
#define TILDE "\xCC\x83"      /* U+0303 dấu ngã */
#define HOOK "\xCC\x89"	      /* U+0309 dấu hỏi */
#define DOT_BELOW "\xCC\xA3"  /* U+0323 dấu nặng */
#define CIRCUMFLEX "\xCC\x82" /* U+0302 mũ */
#define HORN "\xCC\x9B"	      /* U+031B móc */

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

static void check_valid(const char *p, size_t len)
{
	size_t bad = 12345;

	assert_true(cs_utf8_valid(p, len, &bad));
	assert_true(cs_utf8_valid(p, len, NULL));
}

static void check_invalid(const char *p, size_t len, size_t want_offset)
{
	size_t bad = 12345;

	assert_false(cs_utf8_valid(p, len, &bad));
	assert_int_equal(bad, want_offset);
	assert_false(cs_utf8_valid(p, len, NULL));
}

#define VALID(lit) check_valid(lit, sizeof(lit) - 1)
#define INVALID(lit, off) check_invalid(lit, sizeof(lit) - 1, off)

static void test_valid(void **state)
{
	(void)state;
	VALID("");
	VALID("plain ASCII, 0-9 ~\x7F");
	VALID("Hòa");
	VALID("Đà Nẵng, Thừa Thiên Huế, Bà Rịa - Vũng Tàu");
	VALID("Ho" GRAVE "a");
	VALID("a\0b");	       /* NUL is a valid code point */
	VALID("\xC2\x80");     /* U+0080, smallest 2-byte */
	VALID("\xDF\xBF");     /* U+07FF, largest 2-byte */
	VALID("\xE0\xA0\x80"); /* U+0800, smallest 3-byte */
	VALID("\xED\x9F\xBF"); /* U+D7FF, just below the surrogates */
	VALID("\xEE\x80\x80"); /* U+E000, just above them */
	VALID("\xEF\xBF\xBF"); /* U+FFFF */
	VALID("\xEF\xBB\xBF"
	      "x");		   /* a BOM is a valid character */
	VALID("\xF0\x90\x80\x80"); /* U+10000, smallest 4-byte */
	VALID("\xF0\x9F\x98\x80"); /* an emoji */
	VALID("\xF4\x8F\xBF\xBF"); /* U+10FFFF, the last code point */
}

static void test_invalid_with_offsets(void **state)
{
	(void)state;
	/* Overlong forms. */
	INVALID("\xC0\x80", 0);
	INVALID("ab\xC0\x80", 2);
	INVALID("\xC1\xBF", 0);
	INVALID("\xE0\x80\xAF", 0);
	INVALID("\xE0\x9F\xBF", 0);
	INVALID("\xF0\x80\x80\xAF", 0);
	INVALID("\xF0\x8F\xBF\xBF", 0);
	/* UTF-16 surrogates. */
	INVALID("\xED\xA0\x80", 0);
	INVALID("x\xED\xA0\x80", 1);
	INVALID("\xED\xBF\xBF", 0);
	/* Above U+10FFFF. */
	INVALID("\xF4\x90\x80\x80", 0);
	INVALID("Hòa\xF4\x90\x80\x80", 4);
	INVALID("\xF5\x80\x80\x80", 0);
	INVALID("\xF7\xBF\xBF\xBF", 0);
	/* Bytes that never occur. */
	INVALID("\xFE", 0);
	INVALID("\xFF", 0);
	INVALID("Hòa\xFF", 4);
	/* A continuation byte on its own. */
	INVALID("\x80", 0);
	INVALID("a\x80", 1);
	INVALID("Hò\xBF", 3);
	/* Truncated sequences, at the end and before other text. */
	INVALID("\xC3", 0);
	INVALID("ab\xE1\xBB", 2);
	INVALID("\xF0\x9F\x98", 0);
	INVALID("\xE1\xBBx", 0);
	INVALID("\xC3 a", 0);
	INVALID("ok \xF0\x9F\x98"
		"ok",
		3);
	/* Too many continuation bytes: the extra one is the error. */
	INVALID("\xC3\xA0\x80", 2);
	/* The first error is reported, not a later one. */
	INVALID("a\xFF\xC0\x80", 1);
}

static void test_valid_respects_length(void **state)
{
	static const char hoa[] = "Hòa";

	(void)state;
	/* Cutting inside "ò" (C3 B2) makes a truncated sequence. */
	check_valid(hoa, 1);
	check_invalid(hoa, 2, 1);
	check_valid(hoa, 3);
	check_valid(hoa, 0);
}

static void test_bom(void **state)
{
	(void)state;
	assert_int_equal(cs_utf8_bom_len("\xEF\xBB\xBF"
					 "ma_don_vi",
					 12),
			 3);
	assert_int_equal(cs_utf8_bom_len("\xEF\xBB\xBF", 3), 3);
	assert_int_equal(cs_utf8_bom_len("ma_don_vi", 9), 0);
	assert_int_equal(cs_utf8_bom_len("\xEF\xBB", 2), 0);
	assert_int_equal(cs_utf8_bom_len("\xEF\xBB\xBF", 2), 0);
	assert_int_equal(cs_utf8_bom_len("", 0), 0);
	assert_int_equal(cs_utf8_bom_len("\xEF\xBB\xBE", 3), 0);
	assert_int_equal(cs_utf8_bom_len("\xFE\xFF\x00\x41", 4), 0); /* UTF-16 BOM is not ours */
}

static void test_count(void **state)
{
	(void)state;
	assert_int_equal(cs_utf8_count("", 0), 0);
	assert_int_equal(cs_utf8_count("abc", 3), 3);
	assert_int_equal(cs_utf8_count("Hòa", strlen("Hòa")), 3);
	assert_int_equal(strlen("Hòa"), 4);
	assert_int_equal(cs_utf8_count("Đà Nẵng", strlen("Đà Nẵng")), 7);
	assert_int_equal(cs_utf8_count("Ho" GRAVE "a", 5),
			 4); /* a combining mark is a code point */
	assert_int_equal(cs_utf8_count("\xF0\x9F\x98\x80!", 5), 2);
	assert_int_equal(cs_utf8_count("\xEF\xBB\xBF", 3), 1);
}

/* Normalises in (as a NUL-terminated literal) into a fresh buffer and compares. */
static void check_nfc(const char *in, const char *want)
{
	struct cs_buf out;
	struct cs_error err = {0};

	cs_buf_init(&out, 4096);
	assert_int_equal(cs_utf8_nfc(in, strlen(in), &out, &err), CS_OK);
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.data, want, out.len);
	assert_int_equal(out.data[out.len], '\0');
	assert_true(cs_utf8_valid(out.data, out.len, NULL));
	cs_buf_release(&out);
}

static void test_nfc_vietnamese(void **state)
{
	(void)state;
	/* "Hòa" typed with a combining grave equals the precomposed form. */
	check_nfc("Ho" GRAVE "a", "H\xC3\xB2"
				  "a");
	check_nfc("Ho" GRAVE "a", "Hòa");
	check_nfc("Ha" GRAVE "i lo" GRAVE "ng", "Hài lòng");
	check_nfc("Hue" CIRCUMFLEX ACUTE, "Huế");
	/* Two marks on one letter, in either order: ệ (U+1EC7). */
	check_nfc("e" CIRCUMFLEX DOT_BELOW, "\xE1\xBB\x87");
	check_nfc("e" DOT_BELOW CIRCUMFLEX, "\xE1\xBB\x87");
	check_nfc("Nguye" CIRCUMFLEX TILDE "n", "Nguyễn");
	check_nfc("Thu" HORN HOOK "a", "Thửa");
	check_nfc("Đa" GRAVE " Na"
		  "\xCC\x86" TILDE "ng",
		  "Đà Nẵng");
	/* A mix of precomposed and decomposed letters. */
	check_nfc("Vie" CIRCUMFLEX DOT_BELOW "t Nam, Việt Nam", "Việt Nam, Việt Nam");
	/* Nothing to combine with: the mark stays as it is. */
	check_nfc(GRAVE "x", GRAVE "x");
}

static void test_nfc_unchanged(void **state)
{
	(void)state;
	check_nfc("", "");
	check_nfc("CA-HN-01, 91.84", "CA-HN-01, 91.84");
	check_nfc("Hòa", "Hòa");
	check_nfc("Đà Nẵng, Thừa Thiên Huế", "Đà Nẵng, Thừa Thiên Huế");
	check_nfc("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80");
	/* ASCII with NUL bytes is copied byte for byte. */
	{
		struct cs_buf out;

		cs_buf_init(&out, 100);
		assert_int_equal(cs_utf8_nfc("a\0b", 3, &out, NULL), CS_OK);
		assert_int_equal(out.len, 3);
		assert_memory_equal(out.data, "a\0b", 3);
		cs_buf_release(&out);
	}
}

static void test_nfc_appends(void **state)
{
	struct cs_buf out;

	(void)state;
	cs_buf_init(&out, 100);
	assert_int_equal(cs_buf_addstr(&out, "tên: ", NULL), CS_OK);
	assert_int_equal(cs_utf8_nfc("Ho" GRAVE "a", 5, &out, NULL), CS_OK);
	assert_int_equal(cs_utf8_nfc(", ", 2, &out, NULL), CS_OK);
	assert_int_equal(cs_utf8_nfc("Hòa", 4, &out, NULL), CS_OK);
	assert_string_equal(out.data, "tên: Hòa, Hòa");
	cs_buf_release(&out);
}

static void test_nfc_invalid(void **state)
{
	struct cs_buf out;
	struct cs_error err = {0};

	(void)state;
	cs_buf_init(&out, 100);
	assert_int_equal(cs_buf_addstr(&out, "keep", NULL), CS_OK);
	assert_int_equal(cs_utf8_nfc("Ho\xCC", 3, &out, &err), CS_EUTF8);
	assert_int_equal(err.code, CS_EUTF8);
	assert_string_equal(err.msg, "invalid UTF-8 at byte 3");
	assert_string_equal(out.data, "keep");
	assert_int_equal(cs_utf8_nfc("Hòa\xED\xA0\x80", 7, &out, &err), CS_EUTF8);
	assert_string_equal(err.msg, "invalid UTF-8 at byte 5");
	assert_int_equal(cs_utf8_nfc("\xC0\x80", 2, &out, NULL), CS_EUTF8);
	assert_string_equal(out.data, "keep");
	assert_int_equal(out.len, 4);
	cs_buf_release(&out);
}

static void test_nfc_cap(void **state)
{
	struct cs_buf out;
	struct cs_error err = {0};

	(void)state;
	/* NFC of "Ho" GRAVE "a" is 4 bytes: a cap of 3 refuses it. */
	cs_buf_init(&out, 3);
	assert_int_equal(cs_utf8_nfc("Ho" GRAVE "a", 5, &out, &err), CS_ETOOBIG);
	assert_int_equal(err.code, CS_ETOOBIG);
	assert_int_equal(out.len, 0);
	/* The same for ASCII and for text already in NFC. */
	assert_int_equal(cs_utf8_nfc("abcd", 4, &out, &err), CS_ETOOBIG);
	assert_int_equal(cs_utf8_nfc("Hòa", 4, &out, &err), CS_ETOOBIG);
	assert_int_equal(out.len, 0);
	cs_buf_release(&out);

	/* The cap counts the normalised length, not the input length. */
	cs_buf_init(&out, 4);
	assert_int_equal(cs_utf8_nfc("Ho" GRAVE "a", 5, &out, &err), CS_OK);
	assert_string_equal(out.data, "Hòa");
	assert_int_equal(cs_utf8_nfc("x", 1, &out, &err), CS_ETOOBIG);
	assert_string_equal(out.data, "Hòa");
	cs_buf_release(&out);
}

/* Out of memory at every allocation of every path (ASCII, already NFC, to normalise). */
static void test_nfc_out_of_memory(void **state)
{
	static const char *const inputs[] = {
		"ascii only",
		"Hòa Bình",
		"Ho" GRAVE "a Bi" GRAVE "nh, Nguye" CIRCUMFLEX TILDE "n",
	};
	static const char *const want[] = {"ascii only", "Hòa Bình", "Hòa Bình, Nguyễn"};

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		long budget;

		for (budget = 0;; budget++) {
			struct cs_buf out;
			struct cs_error err = {0};
			enum cs_err rc;

			cs_buf_init(&out, 1000);
			assert_int_equal(cs_buf_addstr(&out, "x", NULL), CS_OK);
			cs_alloc_fail_after(budget);
			rc = cs_utf8_nfc(inputs[k], strlen(inputs[k]), &out, &err);
			cs_alloc_fail_after(-1);
			if (rc == CS_OK) {
				assert_string_equal(out.data + 1, want[k]);
				cs_buf_release(&out);
				break;
			}
			assert_int_equal(rc, CS_ENOMEM);
			assert_int_equal(err.code, CS_ENOMEM);
			assert_string_equal(out.data, "x");
			assert_int_equal(out.len, 1);
			cs_buf_release(&out);
			assert_true(budget < 10);
		}
		/* The path that normalises allocates twice (UTF-16 in and out);
		 * the others only if the buffer grows, which it does not here. */
		assert_int_equal(budget, k == 2 ? 2 : (k == 1 ? 1 : 0));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid_with_offsets),
		cmocka_unit_test(test_valid_respects_length),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_nfc_vietnamese),
		cmocka_unit_test(test_nfc_unchanged),
		cmocka_unit_test(test_nfc_appends),
		cmocka_unit_test(test_nfc_invalid),
		cmocka_unit_test(test_nfc_cap),
		cmocka_unit_test_teardown(test_nfc_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
