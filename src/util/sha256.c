/*
 * SHA-256 in lower-case hex, a thin wrapper around nettle's sha256 so that
 * callers need neither nettle's header nor their own hex loop.
 */
#include <stdint.h>

#include <nettle/sha2.h>

#include "util/sha256.h"

#include "util/banned.h"

void cs_sha256_hex(const void *data, size_t len, char out[CS_SHA256_HEX_LEN])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t digest[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * SHA256_DIGEST_SIZE] = '\0';
}
