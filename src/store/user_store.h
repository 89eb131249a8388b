/*
 * Staff accounts and their sessions (issue 7): people who sign in to the
 * workspace with a role, passwords kept as argon2id hashes, the throttling of
 * repeated failed sign-ins, and sessions named by random tokens of which only
 * a SHA-256 is stored.
 */
#ifndef CHISO_STORE_USER_STORE_H
#define CHISO_STORE_USER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "store/store.h"
#include "util/sha256.h"
#include "util/str.h"
#include "util/vec.h"

/* What a person may do (docs/internals/auth.md has the whole table). */
enum cs_role {
	CS_ROLE_ADMIN,	      /* rounds, imports, publication; everything */
	CS_ROLE_APPRAISER,    /* a member of the appraisal council (hội đồng thẩm định) */
	CS_ROLE_UNIT_OFFICER, /* self-assesses one unit (and its subtree when allowed) */
	CS_ROLE_VIEWER,	      /* reads assessments and results, changes nothing */
	CS_ROLE_SURVEYOR,     /* the survey team: waves, token sheets, keying of paper forms */
	CS_ROLE_COUNT_
};

/* "admin", "appraiser", "unit_officer", "viewer", "surveyor"; NULL when out of range. */
const char *cs_role_name(enum cs_role role);

/* Parses a role name (ASCII case-insensitive, '-' and '_' alike); false when unknown. */
bool cs_role_parse(struct cs_str s, enum cs_role *out);

/* Longest login, in bytes (it names the actor of audit rows): 1 to CS_LOGIN_MAX of [a-z0-9._-]. */
#define CS_LOGIN_MAX (CS_STORE_ACTOR_MAX - 1)
/* Longest display name, in bytes. */
#define CS_USER_NAME_MAX 200
/* Shortest and longest password, in bytes. */
#define CS_PASSWORD_MIN 10
#define CS_PASSWORD_MAX 1024
/* Room for an argon2id hash string (libsodium's crypto_pwhash_STRBYTES). */
#define CS_PASSWORD_HASH_LEN 128

/*
 * Checks a login: 1 to CS_LOGIN_MAX bytes of lower-case ASCII letters,
 * digits, '.', '_' and '-', starting with a letter or digit. CS_EINVAL
 * naming the login and saying what is expected.
 */
enum cs_err cs_login_check(struct cs_str login, struct cs_error *err);

/*
 * Hashes a password with argon2id (crypto_pwhash_str, libsodium's
 * "interactive" cost: 64 MiB and 2 passes) into out. CS_EINVAL when the
 * password is shorter than CS_PASSWORD_MIN or longer than CS_PASSWORD_MAX
 * bytes; CS_ENOMEM when the hash's memory cannot be had; CS_EINTERNAL when
 * libsodium cannot start.
 */
enum cs_err cs_password_hash(const char *pw, size_t len, char out[CS_PASSWORD_HASH_LEN],
			     struct cs_error *err);

/*
 * True when pw matches the hash string. Takes as long as hashing (that is
 * the point); false for a malformed hash too. hash NULL checks against a
 * fixed dummy hash, so that an unknown login costs the same time as a known
 * one, and returns false.
 */
bool cs_password_verify(const char *hash, const char *pw, size_t len);

/* A stored account. */
struct cs_user {
	int64_t id;
	char login[CS_LOGIN_MAX + 1];
	char name[CS_USER_NAME_MAX + 1];
	enum cs_role role;
	int64_t unit_id; /* 0 when not bound to a unit */
	char unit[128];	 /* the unit's code, "" when none */
	bool subtree;	 /* the unit's subtree too */
	bool disabled;
	int64_t failed_logins;			  /* failed sign-ins since the last success */
	int64_t throttled_until;		  /* Unix seconds; 0 when not throttled */
	char password_hash[CS_PASSWORD_HASH_LEN]; /* "" in listings */
	char created_at[CS_STORE_TIME_LEN];
};

/* What cs_user_add stores. */
struct cs_user_spec {
	const char *login;
	const char *name; /* NULL: "" */
	enum cs_role role;
	const char *unit; /* unit code; required for unit officers, refused for others */
	bool subtree;	  /* unit officers only */
	const char *password_hash;
};

/*
 * Adds an account in a transaction of its own, with audit rows (entity
 * "user", id the login, fields "role" and "unit"). CS_EINVAL for a bad
 * login, a name too long, a unit officer without a unit or another role
 * with one; CS_ENOTFOUND naming an unknown unit; CS_EEXIST when the login
 * is taken; storage errors.
 */
enum cs_err cs_user_add(struct cs_store *s, const struct cs_user_spec *spec, struct cs_error *err);

/*
 * The account with this login into *out (with its password hash), *found
 * false when there is none. Storage errors.
 */
enum cs_err cs_user_find(struct cs_store *s, const char *login, struct cs_user *out, bool *found,
			 struct cs_error *err);

/*
 * Appends every account to out (a vec of struct cs_user the caller
 * initialised) by login, without password hashes. Storage errors, CS_ENOMEM.
 */
enum cs_err cs_user_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err);

/*
 * Disables (on true) or enables an account in a transaction of its own;
 * disabling also ends its sessions. An audit row (field "disabled") when it
 * changes; *changed (may be NULL) says whether it did. CS_ENOTFOUND naming
 * the login; storage errors.
 */
enum cs_err cs_user_set_disabled(struct cs_store *s, const char *login, bool disabled,
				 bool *changed, struct cs_error *err);

/*
 * Replaces the password hash of an account in a transaction of its own,
 * clears its failed sign-ins and throttling and ends its sessions, with an
 * audit row (field "password", no values). CS_ENOTFOUND; storage errors.
 */
enum cs_err cs_user_set_password(struct cs_store *s, const char *login, const char *password_hash,
				 struct cs_error *err);

/* Failed sign-ins allowed before an account is throttled. */
#define CS_LOGIN_FREE_FAILURES 5
/* Throttling after the first failure past the free ones, and its cap, in seconds. */
#define CS_LOGIN_BACKOFF_BASE 30
#define CS_LOGIN_BACKOFF_MAX 3600

/*
 * Seconds an account is refused after its failures-th consecutive failed
 * sign-in: 0 up to CS_LOGIN_FREE_FAILURES, then CS_LOGIN_BACKOFF_BASE
 * doubling with each further failure, at most CS_LOGIN_BACKOFF_MAX.
 */
int64_t cs_login_backoff(int64_t failures);

/*
 * Records a failed sign-in of account user_id at now (Unix seconds) inside
 * the caller's transaction: one more failure, and throttled_until set to now
 * plus cs_login_backoff of the new count. *failures and *until (either may be
 * NULL) receive the new values. CS_ENOTFOUND; storage errors.
 */
enum cs_err cs_user_login_failed(struct cs_store *s, int64_t user_id, int64_t now,
				 int64_t *failures, int64_t *until, struct cs_error *err);

/* Token lengths: 32 random bytes in URL-safe base64 without padding, and a NUL. */
#define CS_SESSION_TOKEN_LEN 44
/* Sessions last this long after sign-in, in seconds (12 hours: a working day). */
#define CS_SESSION_LIFETIME (12 * 3600)

/*
 * Writes two new random tokens: the session's (for the cookie) and its CSRF
 * token. CS_EINTERNAL when libsodium cannot start. Thread-safe.
 */
enum cs_err cs_session_tokens(char token[CS_SESSION_TOKEN_LEN], char csrf[CS_SESSION_TOKEN_LEN],
			      struct cs_error *err);

/* The SHA-256 of a session token as stored (lower-case hex). */
void cs_session_token_sha256(const char *token, char out[CS_SHA256_HEX_LEN]);

/*
 * Starts a session of account user_id inside the caller's transaction: the
 * token's hash, the CSRF token, now and now + CS_SESSION_LIFETIME. Also
 * clears the account's failed sign-ins and throttling (a success ends the
 * run of failures) and deletes sessions that have expired. Storage errors.
 */
enum cs_err cs_session_add(struct cs_store *s, int64_t user_id, const char *token_sha256,
			   const char *csrf, int64_t now, struct cs_error *err);

/* A live session and who it belongs to. */
struct cs_session {
	int64_t id;
	int64_t expires_at; /* Unix seconds */
	char csrf[CS_SESSION_TOKEN_LEN];
	struct cs_user user; /* without the password hash */
};

/*
 * The session whose token has this hash, if it has not expired at now and
 * its account is not disabled: *found true and *out filled. Storage errors.
 */
enum cs_err cs_session_find(struct cs_store *s, const char *token_sha256, int64_t now,
			    struct cs_session *out, bool *found, struct cs_error *err);

/* Ends the session with this id (sign-out), inside the caller's transaction. Storage errors. */
enum cs_err cs_session_delete(struct cs_store *s, int64_t session_id, struct cs_error *err);

#endif
