/* Unit tests for the per-client token buckets (http/ratelimit.h), on a clock the test drives. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "http/ratelimit.h"
#include "util/alloc.h"

#include "util/banned.h"

static struct sockaddr_in v4(const char *ip)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
	return a;
}

static struct sockaddr_in6 v6(const char *ip)
{
	struct sockaddr_in6 a;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
	return a;
}

#define SA(x) ((const struct sockaddr *)(const void *)&(x))

static void test_burst_then_refill(void **state)
{
	/* 3 at once, then one every 2 seconds (0.5 per second). */
	struct http_ratelimit *rl = http_ratelimit_new(0.5, 3, 100);
	struct sockaddr_in a = v4("192.0.2.1");
	unsigned wait = 0;

	(void)state;
	assert_non_null(rl);
	for (int i = 0; i < 3; i++)
		assert_true(http_ratelimit_take(rl, SA(a), 100.0, &wait));
	assert_false(http_ratelimit_take(rl, SA(a), 100.0, &wait));
	assert_int_equal(wait, 2);
	/* Half a token back after one second: still refused, 1 s to go. */
	assert_false(http_ratelimit_take(rl, SA(a), 101.0, &wait));
	assert_int_equal(wait, 1);
	assert_true(http_ratelimit_take(rl, SA(a), 102.0, &wait));
	assert_false(http_ratelimit_take(rl, SA(a), 102.0, &wait));
	/* A long pause refills to the burst, not beyond. */
	for (int i = 0; i < 3; i++)
		assert_true(http_ratelimit_take(rl, SA(a), 1000.0, &wait));
	assert_false(http_ratelimit_take(rl, SA(a), 1000.0, &wait));
	/* A clock that goes back gives nothing. */
	assert_false(http_ratelimit_take(rl, SA(a), 10.0, &wait));
	http_ratelimit_free(rl);
}

static void test_clients_are_separate(void **state)
{
	struct http_ratelimit *rl = http_ratelimit_new(1, 1, 100);
	struct sockaddr_in a = v4("192.0.2.1"), b = v4("192.0.2.2");
	struct sockaddr_in6 mapped = v6("::ffff:192.0.2.1");
	unsigned wait;

	(void)state;
	assert_true(http_ratelimit_take(rl, SA(a), 0, &wait));
	assert_false(http_ratelimit_take(rl, SA(a), 0, &wait));
	assert_true(http_ratelimit_take(rl, SA(b), 0, &wait));
	/* The same IPv4 client seen over an IPv6 socket is the same client. */
	assert_false(http_ratelimit_take(rl, SA(mapped), 0, &wait));
	http_ratelimit_free(rl);
}

static void test_ipv6_counted_per_64(void **state)
{
	struct http_ratelimit *rl = http_ratelimit_new(1, 1, 100);
	struct sockaddr_in6 a = v6("2001:db8:1:2::1"), b = v6("2001:db8:1:2:ffff::9");
	struct sockaddr_in6 other = v6("2001:db8:1:3::1");
	unsigned wait;

	(void)state;
	assert_true(http_ratelimit_take(rl, SA(a), 0, &wait));
	assert_false(http_ratelimit_take(rl, SA(b), 0, &wait));
	assert_true(http_ratelimit_take(rl, SA(other), 0, &wait));
	/* Unknown families (NULL) share one bucket. */
	assert_true(http_ratelimit_take(rl, NULL, 0, &wait));
	assert_false(http_ratelimit_take(rl, NULL, 0, &wait));
	http_ratelimit_free(rl);
}

static void test_full_table_forgets_oldest(void **state)
{
	/* The smallest table (64 slots) and ten thousand clients. */
	struct http_ratelimit *rl = http_ratelimit_new(1, 1, 1);
	struct sockaddr_in last;
	unsigned wait;
	char ip[32];

	(void)state;
	assert_non_null(rl);
	for (int i = 0; i < 10000; i++) {
		struct sockaddr_in a;

		snprintf(ip, sizeof(ip), "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
		a = v4(ip);
		/* Each new client starts with a full bucket. */
		assert_true(http_ratelimit_take(rl, SA(a), (double)i, &wait));
		last = a;
	}
	/* The client seen last is remembered. */
	assert_false(http_ratelimit_take(rl, SA(last), 9999.0, &wait));
	http_ratelimit_free(rl);
}

static void test_bad_parameters_and_memory(void **state)
{
	(void)state;
	assert_null(http_ratelimit_new(0, 1, 10));
	assert_null(http_ratelimit_new(1, 0, 10));
	assert_null(http_ratelimit_new(-1, 1, 10));
	http_ratelimit_free(NULL);
	for (long n = 0;; n++) {
		struct http_ratelimit *rl;

		cs_alloc_fail_after(n);
		rl = http_ratelimit_new(1, 1, 1000);
		cs_alloc_fail_after(-1);
		if (rl) {
			assert_true(n >= 17); /* the limiter and its 16 shards */
			http_ratelimit_free(rl);
			break;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_refill),
		cmocka_unit_test(test_clients_are_separate),
		cmocka_unit_test(test_ipv6_counted_per_64),
		cmocka_unit_test(test_full_table_forgets_oldest),
		cmocka_unit_test(test_bad_parameters_and_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
