/*
 * Per-client rate limiting: a token bucket for each client address, in a
 * table of fixed size so that a flood of addresses cannot grow memory.
 * IPv6 clients are counted per /64, the block one subscriber usually holds.
 */
#ifndef CHISO_HTTP_RATELIMIT_H
#define CHISO_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>

#include <sys/socket.h>

struct http_ratelimit;

/*
 * A limiter allowing burst requests at once and per_second on average to each
 * client, remembering up to slots clients (rounded up to a power of two, at
 * least 64). When the table is full the client seen longest ago is forgotten,
 * which can only make the limiter more lenient, never refuse wrongly. NULL
 * when out of memory or when per_second or burst is not positive. The caller
 * frees it with http_ratelimit_free. Safe to use from many threads.
 */
struct http_ratelimit *http_ratelimit_new(double per_second, double burst, size_t slots);

/* Frees rl; NULL is a no-op. */
void http_ratelimit_free(struct http_ratelimit *rl);

/*
 * Takes one token from the bucket of the client at addr, at time now (in
 * seconds on any monotonic clock). Returns true when the request may go
 * ahead; false when the bucket is empty, with *retry_after the whole number
 * of seconds (at least 1) until a token is back. Addresses other than IPv4
 * and IPv6 (a Unix socket) all share one bucket.
 */
bool http_ratelimit_take(struct http_ratelimit *rl, const struct sockaddr *addr, double now,
			 unsigned *retry_after);

#endif
