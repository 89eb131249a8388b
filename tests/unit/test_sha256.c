/* Unit tests for the SHA-256 hex wrapper (util/sha256.h) against published and sha256sum vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/sha256.h"

#include "util/banned.h"

static void test_known_vectors(void **state)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog";
	static const char long896[] =
		"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop"
		"qklmnopqrlmnopqrsmnopqrstnopqrstu";
	char hex[CS_SHA256_HEX_LEN];

	(void)state;
	cs_sha256_hex(fox, strlen(fox), hex);
	assert_string_equal(hex,
			    "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
	cs_sha256_hex(long896, strlen(long896), hex);
	assert_string_equal(hex,
			    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* Several compression blocks, and the empty input. */
static void test_multi_block_and_empty(void **state)
{
	char data[1000], hex[CS_SHA256_HEX_LEN];

	(void)state;
	memset(data, 'a', sizeof(data));
	cs_sha256_hex(data, sizeof(data), hex);
	assert_string_equal(hex,
			    "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
	assert_int_equal(strlen(hex), CS_SHA256_HEX_LEN - 1);
	cs_sha256_hex("", 0, hex);
	assert_string_equal(hex,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_multi_block_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
