/*
 * SHA-256 in lower-case hex (nettle): the fingerprint stored beside every
 * methodology body, published result, evidence file and session token.
 */
#ifndef CHISO_UTIL_SHA256_H
#define CHISO_UTIL_SHA256_H

#include <stddef.h>

/* Room for a SHA-256 in lower-case hex and its NUL. */
#define CS_SHA256_HEX_LEN 65

/*
 * Writes the SHA-256 of data[0..len) as 64 lower-case hex digits and a NUL.
 * Cannot fail and allocates nothing.
 */
void cs_sha256_hex(const void *data, size_t len, char out[CS_SHA256_HEX_LEN]);

#endif
