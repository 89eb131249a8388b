/*
 * Token buckets per client address in a fixed-size table split into shards,
 * each with its own lock, so that worker threads rarely wait for each other.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <netinet/in.h>

#include "http/ratelimit.h"
#include "util/alloc.h"

#include "util/banned.h"

#define SHARDS 16
/* Slots looked at for a client before the oldest of them is reused. */
#define PROBE 8

struct bucket {
	unsigned char key[16];
	bool used;
	double tokens;
	double last; /* when tokens was last brought up to date */
};

struct shard {
	pthread_mutex_t mu;
	struct bucket *b;
	size_t mask; /* slots - 1, a power of two minus one */
};

struct http_ratelimit {
	double rate;
	double burst;
	uint64_t seed;
	struct shard shards[SHARDS];
};

/* The finaliser of MurmurHash3's 64-bit variant: every input bit affects every output bit. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t hash_key(const struct http_ratelimit *rl, const unsigned char key[16])
{
	uint64_t a, b;

	memcpy(&a, key, 8);
	memcpy(&b, key + 8, 8);
	return mix64(mix64(a ^ rl->seed) ^ b);
}

/*
 * The bucket key of an address: IPv4 in its IPv6-mapped form, so that a
 * client seen over both socket kinds is one client; other IPv6 addresses cut
 * to their /64 prefix.
 */
static void make_key(const struct sockaddr *addr, unsigned char key[16])
{
	memset(key, 0, 16);
	if (!addr)
		return;
	if (addr->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)addr;

		key[10] = 0xff;
		key[11] = 0xff;
		memcpy(key + 12, &in->sin_addr, 4);
	} else if (addr->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)addr;
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

		if (memcmp(&in6->sin6_addr, mapped, sizeof(mapped)) == 0)
			memcpy(key, &in6->sin6_addr, 16);
		else
			memcpy(key, &in6->sin6_addr, 8);
	}
}

struct http_ratelimit *http_ratelimit_new(double per_second, double burst, size_t slots)
{
	struct http_ratelimit *rl;
	struct timespec ts = {0};
	size_t per_shard = 4;
	size_t i = 0;

	if (!(per_second > 0) || !(burst > 0))
		return NULL;
	while (per_shard * SHARDS < slots && per_shard < ((size_t)1 << 24))
		per_shard *= 2;
	rl = cs_calloc(1, sizeof(*rl));
	if (!rl)
		return NULL;
	rl->rate = per_second;
	rl->burst = burst;
	/* The seed only has to be unknown to clients, which cannot see the
	 * clock or the address space of the server. */
	clock_gettime(CLOCK_REALTIME, &ts);
	rl->seed = mix64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uintptr_t)rl);
	for (i = 0; i < SHARDS; i++) {
		struct shard *s = &rl->shards[i];

		s->b = cs_calloc(per_shard, sizeof(*s->b));
		if (!s->b)
			goto fail;
		s->mask = per_shard - 1;
		if (pthread_mutex_init(&s->mu, NULL) != 0) {
			cs_free(s->b);
			goto fail;
		}
	}
	return rl;
fail:
	while (i-- > 0) {
		pthread_mutex_destroy(&rl->shards[i].mu);
		cs_free(rl->shards[i].b);
	}
	cs_free(rl);
	return NULL;
}

void http_ratelimit_free(struct http_ratelimit *rl)
{
	if (!rl)
		return;
	for (size_t i = 0; i < SHARDS; i++) {
		pthread_mutex_destroy(&rl->shards[i].mu);
		cs_free(rl->shards[i].b);
	}
	cs_free(rl);
}

bool http_ratelimit_take(struct http_ratelimit *rl, const struct sockaddr *addr, double now,
			 unsigned *retry_after)
{
	unsigned char key[16];
	uint64_t h;
	struct shard *s;
	struct bucket *hit = NULL, *victim = NULL;
	bool ok;

	make_key(addr, key);
	h = hash_key(rl, key);
	s = &rl->shards[h % SHARDS];
	pthread_mutex_lock(&s->mu);
	for (size_t i = 0; i < PROBE && !hit; i++) {
		struct bucket *b = &s->b[(h / SHARDS + i) & s->mask];

		if (b->used && memcmp(b->key, key, 16) == 0)
			hit = b;
		else if (!victim || (victim->used && (!b->used || b->last < victim->last)))
			victim = b;
	}
	if (!hit) {
		/* A forgotten client starts with a full bucket, as a new one does. */
		hit = victim;
		memcpy(hit->key, key, 16);
		hit->used = true;
		hit->tokens = rl->burst;
		hit->last = now;
	}
	if (now > hit->last) {
		hit->tokens = fmin(rl->burst, hit->tokens + (now - hit->last) * rl->rate);
		hit->last = now;
	}
	ok = hit->tokens >= 1;
	if (ok) {
		hit->tokens -= 1;
	} else if (retry_after) {
		double wait = ceil((1 - hit->tokens) / rl->rate);

		*retry_after = wait < 1 ? 1 : wait > 86400 ? 86400 : (unsigned)wait;
	}
	pthread_mutex_unlock(&s->mu);
	return ok;
}
