/*
 * The dashboards' JSON writer (dash_json.h).
 */
#include <stdio.h>

#include "http/dash_json.h"
#include "report/fmt.h"

#include "util/banned.h"

void dash_json_init(struct dash_json *w, struct cs_buf *b, struct cs_error *err)
{
	*w = (struct dash_json){.b = b, .err = err};
	w->first[0] = true;
}

enum cs_err dash_json_done(const struct dash_json *w)
{
	if (!w->rc && (w->depth || w->after_key))
		return cs_fail(w->err, CS_EINVAL, "JSON writer: %u values left open", w->depth);
	return w->rc;
}

static void put(struct dash_json *w, const char *s, size_t len)
{
	if (!w->rc)
		w->rc = cs_buf_add(w->b, s, len, w->err);
}

static void puts_(struct dash_json *w, const char *s)
{
	if (!w->rc)
		w->rc = cs_buf_addstr(w->b, s, w->err);
}

/* What comes before a value or a key: a comma after an earlier sibling. */
static void before(struct dash_json *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		put(w, ",", 1);
	w->first[w->depth] = false;
}

static void open_(struct dash_json *w, char c)
{
	before(w);
	if (!w->rc && w->depth == DASH_JSON_DEPTH)
		w->rc = cs_fail(w->err, CS_EINVAL, "JSON writer: nesting deeper than %d",
				DASH_JSON_DEPTH);
	put(w, &c, 1);
	if (w->rc)
		return;
	w->depth++;
	w->first[w->depth] = true;
}

static void close_(struct dash_json *w, char c)
{
	if (!w->rc && (w->depth == 0 || w->after_key))
		w->rc = cs_fail(w->err, CS_EINVAL, "JSON writer: '%c' closes nothing", c);
	put(w, &c, 1);
	if (!w->rc)
		w->depth--;
}

void dash_json_obj(struct dash_json *w)
{
	open_(w, '{');
}

void dash_json_arr(struct dash_json *w)
{
	open_(w, '[');
}

void dash_json_end(struct dash_json *w)
{
	close_(w, '}');
}

void dash_json_end_arr(struct dash_json *w)
{
	close_(w, ']');
}

/* A JSON string: quotes, backslashes and control characters escaped, UTF-8 kept. */
static void quoted(struct dash_json *w, const char *s)
{
	const char *run = s;

	put(w, "\"", 1);
	for (const char *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		char esc[8];

		if (c && c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		put(w, run, (size_t)(p - run));
		if (!c)
			break;
		switch (c) {
		case '"':
			puts_(w, "\\\"");
			break;
		case '\\':
			puts_(w, "\\\\");
			break;
		case '\n':
			puts_(w, "\\n");
			break;
		case '\r':
			puts_(w, "\\r");
			break;
		case '\t':
			puts_(w, "\\t");
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			puts_(w, esc);
			break;
		}
		run = p + 1;
	}
	put(w, "\"", 1);
}

void dash_json_key(struct dash_json *w, const char *k)
{
	before(w);
	quoted(w, k);
	put(w, ":", 1);
	w->after_key = true;
}

void dash_json_str(struct dash_json *w, const char *s)
{
	before(w);
	if (s)
		quoted(w, s);
	else
		puts_(w, "null");
}

void dash_json_num(struct dash_json *w, double v)
{
	char out[CS_FMT_MAX];
	const char *s = cs_fmt_double(v, out);

	before(w);
	puts_(w, s ? s : "null");
}

void dash_json_size(struct dash_json *w, size_t v)
{
	char out[32];

	snprintf(out, sizeof(out), "%zu", v);
	before(w);
	puts_(w, out);
}

void dash_json_int(struct dash_json *w, long long v)
{
	char out[32];

	snprintf(out, sizeof(out), "%lld", v);
	before(w);
	puts_(w, out);
}

void dash_json_bool(struct dash_json *w, bool v)
{
	before(w);
	puts_(w, v ? "true" : "false");
}

void dash_json_null(struct dash_json *w)
{
	before(w);
	puts_(w, "null");
}

void dash_json_raw(struct dash_json *w, const char *json, size_t len)
{
	before(w);
	put(w, json, len);
}

void dash_json_kstr(struct dash_json *w, const char *k, const char *s)
{
	dash_json_key(w, k);
	dash_json_str(w, s);
}

void dash_json_knum(struct dash_json *w, const char *k, double v)
{
	dash_json_key(w, k);
	dash_json_num(w, v);
}

void dash_json_ksize(struct dash_json *w, const char *k, size_t v)
{
	dash_json_key(w, k);
	dash_json_size(w, v);
}

void dash_json_kbool(struct dash_json *w, const char *k, bool v)
{
	dash_json_key(w, k);
	dash_json_bool(w, v);
}
