/* The error record: codes from the X-macro list in chiso/error.h, formatted messages. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chiso/error.h"

#include "util/banned.h"

static const char *const default_msgs[] = {
#define CS_ERR_MSG_(name, msg) msg,
	CS_ERR_MAP(CS_ERR_MSG_)
#undef CS_ERR_MSG_
};

static const char *const names[] = {
#define CS_ERR_NAME_(name, msg) #name,
	CS_ERR_MAP(CS_ERR_NAME_)
#undef CS_ERR_NAME_
};

const char *cs_strerror(enum cs_err code)
{
	if ((unsigned)code >= CS_ERR_COUNT_)
		return "unknown error";
	return default_msgs[code];
}

const char *cs_err_name(enum cs_err code)
{
	if ((unsigned)code >= CS_ERR_COUNT_)
		return "EUNKNOWN";
	return names[code];
}

enum cs_err cs_fail(struct cs_error *err, enum cs_err code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	if (!fmt || !*fmt) {
		snprintf(err->msg, sizeof(err->msg), "%s", cs_strerror(code));
		return code;
	}
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void cs_error_clear(struct cs_error *err)
{
	if (!err)
		return;
	err->code = CS_OK;
	err->msg[0] = '\0';
}

void cs_error_prefix(struct cs_error *err, const char *fmt, ...)
{
	char prefix[CS_ERROR_MSG_MAX];
	char old[CS_ERROR_MSG_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* Truncation is fine: a cut message still names the place first. */
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old) < 0)
		err->msg[0] = '\0';
}
