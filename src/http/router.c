/* Matching of request paths against the route table's patterns (see router.h). */
#include <stdio.h>
#include <string.h>

#include "http/router.h"

#include "util/banned.h"

static const struct {
	enum http_method m;
	const char *name;
} methods[] = {
	{HTTP_GET, "GET"},	   {HTTP_HEAD, "HEAD"},	  {HTTP_POST, "POST"},
	{HTTP_PUT, "PUT"},	   {HTTP_PATCH, "PATCH"}, {HTTP_DELETE, "DELETE"},
	{HTTP_OPTIONS, "OPTIONS"},
};

enum http_method http_method_parse(const char *method)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].name, method) == 0)
			return methods[i].m;
	return 0;
}

const char *http_methods_list(unsigned mask, char *out, size_t size)
{
	size_t used = 0;

	if (mask & HTTP_GET)
		mask |= HTTP_HEAD;
	if (size)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		int n;

		if (!(mask & methods[i].m))
			continue;
		n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", methods[i].name);
		if (n < 0 || (size_t)n >= size - used) {
			out[used] = '\0'; /* drop the method that did not fit */
			break;
		}
		used += (size_t)n;
	}
	return out;
}

bool http_pattern_match(const char *pattern, const char *path, struct http_params *params)
{
	const char *p = pattern, *s = path;

	params->n = 0;
	while (*p) {
		const char *close;
		size_t seg;

		if (*p != '{') {
			if (*p != *s)
				return false;
			p++;
			s++;
			continue;
		}
		close = strchr(p, '}');
		if (!close || params->n == HTTP_PARAMS_MAX)
			return false; /* a broken pattern matches nothing */
		if (close > p + 1 && close[-1] == '*') {
			seg = strlen(s);
		} else {
			const char *slash = strchr(s, '/');

			seg = slash ? (size_t)(slash - s) : strlen(s);
		}
		if (seg == 0)
			return false;
		params->v[params->n].name = p + 1;
		params->v[params->n].name_len = (size_t)(close - p - 1);
		if (close[-1] == '*')
			params->v[params->n].name_len--;
		params->v[params->n].value = cs_str_make(s, seg);
		params->n++;
		p = close + 1;
		s += seg;
	}
	return *s == '\0';
}

const struct http_route *http_route_find(const struct http_route *routes, size_t n,
					 enum http_method method, const char *path,
					 struct http_params *params, unsigned *allow)
{
	enum http_method want = method == HTTP_HEAD ? HTTP_GET : method;
	struct http_params scratch;

	*allow = 0;
	for (size_t i = 0; i < n; i++) {
		if (routes[i].method == want && http_pattern_match(routes[i].pattern, path, params))
			return &routes[i];
	}
	for (size_t i = 0; i < n; i++)
		if (http_pattern_match(routes[i].pattern, path, &scratch))
			*allow |= routes[i].method;
	params->n = 0;
	return NULL;
}

bool http_params_get(const struct http_params *params, const char *name, struct cs_str *out)
{
	size_t len = strlen(name);

	for (size_t i = 0; i < params->n; i++) {
		if (params->v[i].name_len == len && memcmp(params->v[i].name, name, len) == 0) {
			*out = params->v[i].value;
			return true;
		}
	}
	return false;
}
