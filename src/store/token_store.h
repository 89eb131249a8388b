/*
 * One-time survey tokens in the database (METHODOLOGY M3.9): issued in bulk
 * for a wave and a unit, printed as QR codes on receipts, and consumed once,
 * in the transaction that stores the response they open.
 */
#ifndef CHISO_STORE_TOKEN_STORE_H
#define CHISO_STORE_TOKEN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "store/store.h"
#include "util/str.h"

/*
 * A token is CS_TOKEN_CHARS characters of Crockford's base32 alphabet
 * (digits and lower-case letters without i, l, o and u), 5 bits each: 120
 * random bits. CS_TOKEN_LEN has room for its NUL.
 */
#define CS_TOKEN_CHARS 24
#define CS_TOKEN_LEN (CS_TOKEN_CHARS + 1)

/* Most tokens one call issues. */
#define CS_TOKEN_ISSUE_MAX 100000

/* Longest dossier reference taken, in bytes. */
#define CS_TOKEN_DOSSIER_MAX 256

/*
 * Writes a new random token into out (libsodium's randombytes_buf, which
 * reads the kernel's generator). CS_EINTERNAL when libsodium cannot start.
 * Thread-safe.
 */
enum cs_err cs_token_generate(char out[CS_TOKEN_LEN], struct cs_error *err);

/*
 * Reads a token as a person may type it: ASCII case is ignored, and i and l
 * read as 1, o as 0 (Crockford's rule), so that a code copied from paper
 * still works. Writes the canonical form into out and returns true; false
 * when s is not CS_TOKEN_CHARS characters of the alphabet.
 */
bool cs_token_normalize(struct cs_str s, char out[CS_TOKEN_LEN]);

/* What a token opens, and its state. Times are "YYYY-MM-DDTHH:MM:SSZ" or "". */
struct cs_token {
	char code[CS_TOKEN_LEN];
	int64_t wave_id;
	int64_t unit_id;
	char wave[65];	/* the wave's code */
	char unit[128]; /* the unit's code (cut at 127 bytes) */
	char issued_at[CS_STORE_TIME_LEN];
	char expires_at[CS_STORE_TIME_LEN];
	char used_at[CS_STORE_TIME_LEN];
};

/* How a token stands at a given time. */
enum cs_token_state {
	CS_TOKEN_OPEN,
	CS_TOKEN_USED,
	CS_TOKEN_EXPIRED,
};

/* The state of t at now (an ISO timestamp as cs_store_now writes). */
enum cs_token_state cs_token_state_at(const struct cs_token *t, const char *now);

/* What cs_token_store_issue makes. */
struct cs_token_issue {
	const char *wave; /* wave code */
	const char *unit; /* unit code */
	size_t count;	  /* tokens to issue, 1 to CS_TOKEN_ISSUE_MAX */
	/* NULL, or count dossier references, one per token (at most
	 * CS_TOKEN_DOSSIER_MAX bytes each, not empty): only their SHA-256 is
	 * stored, and a dossier gets one token per wave. */
	const char *const *dossiers;
	unsigned expires_days; /* 0: never expires */
};

/*
 * Issues is->count new tokens for a wave and a unit in one transaction, with
 * an audit row (entity "survey_wave", the wave's code, field "tokens"), and
 * writes them into codes (is->count entries, in the order of is->dossiers)
 * and their expiry time into expires_at ("" when none). CS_EINVAL for a
 * count out of range or a bad dossier reference; CS_ENOTFOUND naming the
 * wave or the unit; CS_EEXIST naming the dossier when one already has a
 * token for this wave (or appears twice); storage errors. On failure nothing
 * is written.
 */
enum cs_err cs_token_store_issue(struct cs_store *s, const struct cs_token_issue *is,
				 char (*codes)[CS_TOKEN_LEN], char expires_at[CS_STORE_TIME_LEN],
				 struct cs_error *err);

/*
 * Finds a token by its canonical code. CS_ENOTFOUND ("no token 'X'") when
 * there is none; storage errors.
 */
enum cs_err cs_token_store_find(struct cs_store *s, const char *code, struct cs_token *out,
				struct cs_error *err);

/*
 * Marks token code used at now, inside the caller's transaction (no begin or
 * commit here), so that it commits or rolls back with the response it opens.
 * Sets *wave_id and *unit_id (either may be NULL) to what the token opens.
 * CS_ENOTFOUND when there is no such token, CS_ECONFLICT ("token 'X' was
 * already used at T") when it has been used, CS_ESTATE ("token 'X' expired at
 * T") when it has expired; storage errors. Only one of two concurrent calls
 * for the same token can succeed: the update is conditional on used_at being
 * empty.
 */
enum cs_err cs_token_store_consume(struct cs_store *s, const char *code, const char *now,
				   int64_t *wave_id, int64_t *unit_id, struct cs_error *err);

#endif
