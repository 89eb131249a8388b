/*
 * Error codes and the error record shared by every chiso module. The codes
 * and their default messages come from one X-macro list, so a new code is one
 * line here and nowhere else.
 */
#ifndef CHISO_ERROR_H
#define CHISO_ERROR_H

#include <stddef.h>

#include "chiso/api.h"

/* X(NAME, default message). CS_OK must stay first so that it is 0. */
#define CS_ERR_MAP(X)                                    \
	X(OK, "success")                                 \
	X(ENOMEM, "out of memory")                       \
	X(EINVAL, "invalid argument")                    \
	X(EUSAGE, "wrong usage")                         \
	X(EPARSE, "malformed input")                     \
	X(EUTF8, "invalid UTF-8")                        \
	X(ETOOBIG, "input too large")                    \
	X(EIO, "input/output error")                     \
	X(ENOTFOUND, "not found")                        \
	X(EEXIST, "already exists")                      \
	X(ECONFLICT, "conflicting data")                 \
	X(ESTATE, "operation not allowed in this state") \
	X(EPERM, "permission denied")                    \
	X(ESTORE, "storage error")                       \
	X(ESCHEMA, "unsupported database schema")        \
	X(EUNICODE, "unicode library error")             \
	X(EINTERNAL, "internal error")

enum cs_err {
#define CS_ERR_ENUM_(name, msg) CS_##name,
	CS_ERR_MAP(CS_ERR_ENUM_)
#undef CS_ERR_ENUM_
	CS_ERR_COUNT_
};

/* Longest message kept, including the terminating NUL; longer ones are cut. */
#define CS_ERROR_MSG_MAX 512

/*
 * What went wrong: the code and a one-line message that names the place
 * (file, line, column, field) and says what was expected. Callers own it,
 * usually on the stack; every function that can fail takes an optional
 * pointer to one as its last argument.
 */
struct cs_error {
	enum cs_err code;
	char msg[CS_ERROR_MSG_MAX];
};

/*
 * Records a failure in err (which may be NULL) and returns code, so callers
 * can write `return cs_fail(err, CS_EPARSE, "%s:%zu: ...", ...);`. A NULL or
 * empty fmt stores the code's default message.
 */
CS_API enum cs_err cs_fail(struct cs_error *err, enum cs_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clears err to CS_OK with an empty message; err may be NULL. */
CS_API void cs_error_clear(struct cs_error *err);

/*
 * Adds context in front of an existing message: "ctx: old message". Used when
 * a caller knows the file name and the callee only knew the line.
 */
CS_API void cs_error_prefix(struct cs_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The default message of a code ("out of memory"); never NULL. */
CS_API const char *cs_strerror(enum cs_err code);

/* The symbolic name of a code without the prefix ("ENOMEM"); never NULL. */
CS_API const char *cs_err_name(enum cs_err code);

#endif
