/*
 * The PAR framework in JSON: a strict reader over Jansson that checks each
 * member against the format of docs/formats.md and names its path in every
 * message, and a writer of the canonical form (fixed member order, shortest
 * numbers) whose bytes are hashed when a framework is stored.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/framework_json.h"
#include "io/json_util.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Longest JSON path kept for messages ("nodes[9999].applies_to.levels[31]"). */
#define PATH_MAX_LEN 160

void cs_fw_meta_release(struct cs_fw_meta *m)
{
	if (!m)
		return;
	cs_free(m->note);
	m->note = NULL;
	m->is_template = false;
}

void cs_fw_number_format(double v, char out[CS_FW_NUMBER_LEN])
{
	if (isnan(v)) {
		snprintf(out, CS_FW_NUMBER_LEN, "nan");
		return;
	}
	if (isinf(v)) {
		snprintf(out, CS_FW_NUMBER_LEN, v < 0 ? "-inf" : "inf");
		return;
	}
	if (v == 0) {
		snprintf(out, CS_FW_NUMBER_LEN, "0");
		return;
	}
	/* The shortest precision that reads back exactly; 17 always does. */
	for (int p = 1; p <= 17; p++) {
		const char *e;
		long exp;

		snprintf(out, CS_FW_NUMBER_LEN, "%.*g", p, v);
		if (strtod(out, NULL) != v)
			continue;
		/* %g writes 100 as "1e+02" at precision 1: give whole digits room
		 * so that numbers people write without an exponent keep none. */
		e = strchr(out, 'e');
		exp = e ? strtol(e + 1, NULL, 10) : 0;
		if (e && exp > 0 && exp < 17)
			snprintf(out, CS_FW_NUMBER_LEN, "%.*g", (int)exp + 1, v);
		return;
	}
}

static bool code_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

bool cs_fw_code_valid(const char *s, size_t len)
{
	if (!s || len == 0 || len > CS_FW_CODE_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!code_char((unsigned char)s[i]))
			return false;
	return true;
}

/* ---- reading ---- */

struct reader {
	const char *name;
	struct cs_error *err;
	char path[PATH_MAX_LEN];
	size_t plen;
	const char *node;      /* code of the node being read, for messages; NULL outside nodes */
	struct cs_arena arena; /* text that lives until the builder has copied it */
	struct cs_buf nfc;
};

/* Appends to the path; returns the length to restore with path_pop. */
static size_t path_push(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static size_t path_push(struct reader *r, const char *fmt, ...)
{
	size_t mark = r->plen;
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(r->path + r->plen, sizeof(r->path) - r->plen, fmt, ap);
	va_end(ap);
	if (w > 0)
		r->plen += (size_t)w < sizeof(r->path) - r->plen ? (size_t)w
								 : sizeof(r->path) - r->plen - 1;
	return mark;
}

/* Appends ".key", or "key" at the top level. */
static size_t path_key(struct reader *r, const char *key)
{
	return path_push(r, "%s%s", r->plen ? "." : "", key);
}

static void path_pop(struct reader *r, size_t mark)
{
	r->plen = mark;
	r->path[mark] = '\0';
}

/* Fails naming the file, the path and the node: "f.json: nodes[3].rule (node 'A1'): ...". */
static enum cs_err fail_at(struct reader *r, enum cs_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum cs_err fail_at(struct reader *r, enum cs_err code, const char *fmt, ...)
{
	char msg[CS_ERROR_MSG_MAX];
	char node[CS_FW_CODE_MAX + 16] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->node)
		snprintf(node, sizeof(node), " (node '%s')", r->node);
	return cs_fail(r->err, code, "%s: %s%s: %s", r->name, r->plen ? r->path : "(top level)",
		       node, msg);
}

/*
 * Quotes text for a message: cut at 40 bytes (on a character boundary), control
 * characters escaped, so that the message stays one short line.
 */
static const char *quote(const char *s, size_t n, char out[128])
{
	size_t o = 0, cut = n > 40 ? 40 : n;

	while (cut < n && cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	out[o++] = '"';
	for (size_t i = 0; i < cut && o < 100; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, 128 - o, "\\x%02X", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	snprintf(out + o, 128 - o, "%s\"", cut < n ? "..." : "");
	return out;
}

/*
 * Describes a JSON value for a message: a string quoted and cut at 40 bytes
 * (on a character boundary, control characters escaped), a number as
 * written, or the kind of value.
 */
static const char *describe(const json_t *v, char out[128])
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return quote(json_string_value(v), json_string_length(v), out);
	case JSON_INTEGER:
		snprintf(out, 128, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return out;
	case JSON_REAL: {
		char num[CS_FW_NUMBER_LEN];

		cs_fw_number_format(json_real_value(v), num);
		snprintf(out, 128, "%s", num);
		return out;
	}
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "null";
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	}
	return "a value";
}

static enum cs_err fail_type(struct reader *r, const char *expected, const json_t *v)
{
	char d[128];

	return fail_at(r, CS_EPARSE, "expected %s, found %s", expected, describe(v, d));
}

/* Refuses members other than those listed (NULL-terminated). */
static enum cs_err check_members(struct reader *r, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		char list[400];
		size_t len = 0;

		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(key, *a) == 0;
		if (ok)
			continue;
		list[0] = '\0';
		for (const char *const *a = allowed; *a; a++) {
			int w = snprintf(list + len, sizeof(list) - len, "%s%s",
					 a == allowed ? "" : ", ", *a);

			if (w < 0 || (size_t)w >= sizeof(list) - len)
				break;
			len += (size_t)w;
		}
		char shown[128];

		quote(key, strlen(key), shown);
		return fail_at(r, CS_EPARSE, "unknown member %s (expected one of %s)", shown, list);
	}
	return CS_OK;
}

/*
 * A text member: absent or null gives def. one_line refuses control
 * characters; otherwise line breaks and tabs are allowed. Normalised to NFC
 * and kept in the reader's arena.
 */
static enum cs_err get_text(struct reader *r, json_t *obj, const char *key, const char *def,
			    size_t max, bool one_line, const char **out)
{
	json_t *v = json_object_get(obj, key);
	size_t mark = path_key(r, key);
	enum cs_err rc = CS_OK;
	const char *s;
	size_t n;

	*out = def;
	if (!v || json_is_null(v))
		goto out;
	if (!json_is_string(v)) {
		rc = fail_type(r, "a string", v);
		goto out;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && (one_line || (c != '\n' && c != '\t'))) || c == 0x7f) {
			rc = fail_at(r, CS_EPARSE,
				     "control character U+%04X at byte %zu (expected %s)", c, i + 1,
				     one_line ? "one line of text" : "text, line breaks and tabs");
			goto out;
		}
	}
	cs_buf_reset(&r->nfc);
	rc = cs_utf8_nfc(s, n, &r->nfc, r->err);
	if (rc == CS_ETOOBIG || (rc == CS_OK && r->nfc.len > max)) {
		rc = fail_at(r, CS_ETOOBIG, "text of %zu bytes is longer than %zu bytes", n, max);
		goto out;
	}
	if (rc) {
		cs_error_prefix(r->err, "%s: %s", r->name, r->path);
		goto out;
	}
	*out = cs_arena_strndup(&r->arena, r->nfc.data, r->nfc.len);
	if (!*out)
		rc = cs_fail(r->err, CS_ENOMEM, NULL);
out:
	path_pop(r, mark);
	return rc;
}

#define CODE_EXPECTED "a code of 1 to 64 letters A-Z a-z, digits 0-9, '.', '_' or '-'"

/* A code member (framework code, version, node code, parent): *out NULL when absent or null. */
static enum cs_err get_code(struct reader *r, json_t *obj, const char *key, bool required,
			    const char **out)
{
	json_t *v = json_object_get(obj, key);
	size_t mark = path_key(r, key);
	enum cs_err rc = CS_OK;

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			rc = fail_at(r, CS_EPARSE, "missing (expected %s)", CODE_EXPECTED);
	} else if (!json_is_string(v) ||
		   !cs_fw_code_valid(json_string_value(v), json_string_length(v))) {
		rc = fail_type(r, CODE_EXPECTED, v);
	} else {
		*out = json_string_value(v);
	}
	path_pop(r, mark);
	return rc;
}

/* A short name (source, rule): printable ASCII, at most CS_FW_NAME_MAX bytes. */
static bool name_valid(const char *s, size_t len)
{
	if (len == 0 || len > CS_FW_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static enum cs_err get_name(struct reader *r, json_t *obj, const char *key, const char *expected,
			    const char **out)
{
	json_t *v = json_object_get(obj, key);
	size_t mark = path_key(r, key);
	enum cs_err rc = CS_OK;

	*out = NULL;
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || !name_valid(json_string_value(v), json_string_length(v)))
			rc = fail_type(r, expected, v);
		else
			*out = json_string_value(v);
	}
	path_pop(r, mark);
	return rc;
}

/* A flag name: a-z 0-9 '_' '-' (capitals read as lower case), kept in the arena. */
static const char *flag_copy(struct reader *r, const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	char *copy;

	if (n == 0 || n > CS_FW_CODE_MAX)
		return NULL;
	copy = cs_arena_strndup(&r->arena, s, n);
	if (!copy)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = copy[i];

		if (c >= 'A' && c <= 'Z')
			copy[i] = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
			   c == '-'))
			return NULL;
	}
	return copy;
}

#define FLAG_EXPECTED "a flag name of letters a-z, digits 0-9, '_' or '-'"

static enum cs_err get_bool(struct reader *r, json_t *obj, const char *key, bool def, bool *out)
{
	json_t *v = json_object_get(obj, key);
	size_t mark = path_key(r, key);
	enum cs_err rc = CS_OK;

	*out = def;
	if (v && !json_is_null(v)) {
		if (!json_is_boolean(v))
			rc = fail_type(r, "true or false", v);
		else
			*out = json_is_true(v);
	}
	path_pop(r, mark);
	return rc;
}

/* A number member: NaN when absent or null. */
static enum cs_err get_number(struct reader *r, json_t *obj, const char *key, bool required,
			      const char *expected, double *out)
{
	json_t *v = json_object_get(obj, key);
	size_t mark = path_key(r, key);
	enum cs_err rc = CS_OK;

	*out = NAN;
	if (!v || json_is_null(v)) {
		if (required)
			rc = fail_at(r, CS_EPARSE, "missing (expected %s)", expected);
	} else if (!json_is_number(v)) {
		rc = fail_type(r, expected, v);
	} else {
		*out = json_number_value(v);
	}
	path_pop(r, mark);
	return rc;
}

/* Looks up an optional member of a given type; *out NULL when absent or null. */
static enum cs_err get_typed(struct reader *r, json_t *obj, const char *key, json_type type,
			     const char *expected, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	enum cs_err rc = CS_OK;

	*out = NULL;
	if (!v || json_is_null(v))
		return CS_OK;
	if (json_typeof(v) != type) {
		size_t mark = path_key(r, key);

		rc = fail_type(r, expected, v);
		path_pop(r, mark);
		return rc;
	}
	*out = v;
	return CS_OK;
}

/* A name of one of the option tables (rounding mode, ranking method, ...). */
static enum cs_err get_choice(struct reader *r, json_t *obj, const char *key, const char *what,
			      const char *choices, bool (*parse)(struct cs_str, int *), int *out)
{
	json_t *v = json_object_get(obj, key);
	size_t mark = path_key(r, key);
	enum cs_err rc = CS_OK;
	char d[128];

	if (v && !json_is_null(v)) {
		if (!json_is_string(v))
			rc = fail_type(r, choices, v);
		else if (!parse(cs_str_make(json_string_value(v), json_string_length(v)), out))
			rc = fail_at(r, CS_EPARSE, "unknown %s %s (expected %s)", what,
				     describe(v, d), choices);
	}
	path_pop(r, mark);
	return rc;
}

/* Adapters from the typed parsers of core/ to get_choice. */
CS_JSON_ENUM_PARSER(parse_round, enum cs_round_mode, cs_round_mode_parse)
CS_JSON_ENUM_PARSER(parse_method, enum cs_rank_method, cs_rank_method_parse)
CS_JSON_ENUM_PARSER(parse_scope, enum cs_rank_scope, cs_rank_scope_parse)
CS_JSON_ENUM_PARSER(parse_na, enum cs_na_policy, cs_na_policy_parse)
CS_JSON_ENUM_PARSER(parse_level, enum cs_level, cs_level_parse)

#define LEVELS "ministry, province, department, district, commune or other"

static enum cs_err read_options(struct reader *r, json_t *root, struct cs_framework *fw)
{
	static const char *const opt_keys[] = {"rounding", "ranking", "not_applicable", NULL};
	static const char *const round_keys[] = {"mode", "decimals", NULL};
	static const char *const rank_keys[] = {"method",	 "scope",	 "full_precision",
						"unranked_flag", "tie_breakers", NULL};
	static const char *const tb_keys[] = {"node", "lower_is_better", NULL};
	struct cs_fw_options o = cs_fw_options_default();
	json_t *opts, *rounding, *ranking, *tbs, *uf;
	size_t mark = r->plen, m2;
	enum cs_err rc;
	int choice;

	rc = get_typed(r, root, "options", JSON_OBJECT, "an object", &opts);
	if (rc || !opts)
		goto out;
	path_push(r, "options");
	if ((rc = check_members(r, opts, opt_keys)))
		goto out;

	rc = get_typed(r, opts, "rounding", JSON_OBJECT,
		       "an object such as {\"mode\": "
		       "\"half_away\", \"decimals\": 2}",
		       &rounding);
	if (rc)
		goto out;
	if (rounding) {
		json_t *d;

		m2 = path_push(r, ".rounding");
		choice = (int)o.rounding.mode;
		if ((rc = check_members(r, rounding, round_keys)) ||
		    (rc = get_choice(r, rounding, "mode", "rounding mode", "half_away or truncate",
				     parse_round, &choice)))
			goto out;
		o.rounding.mode = (enum cs_round_mode)choice;
		d = json_object_get(rounding, "decimals");
		if (d && !json_is_null(d)) {
			path_push(r, ".decimals");
			if (!json_is_integer(d) || json_integer_value(d) < 0 ||
			    json_integer_value(d) > CS_ROUND_DECIMALS_MAX) {
				rc = fail_type(r, "a whole number of decimals from 0 to 9", d);
				goto out;
			}
			o.rounding.decimals = (int)json_integer_value(d);
		}
		path_pop(r, m2);
	}

	rc = get_typed(r, opts, "ranking", JSON_OBJECT, "an object", &ranking);
	if (rc)
		goto out;
	if (ranking) {
		m2 = path_push(r, ".ranking");
		if ((rc = check_members(r, ranking, rank_keys)))
			goto out;
		choice = (int)o.rank_method;
		if ((rc = get_choice(r, ranking, "method", "ranking method", "competition or dense",
				     parse_method, &choice)))
			goto out;
		o.rank_method = (enum cs_rank_method)choice;
		choice = (int)o.rank_scope;
		if ((rc = get_choice(r, ranking, "scope", "ranking scope", "all, level or parent",
				     parse_scope, &choice)))
			goto out;
		o.rank_scope = (enum cs_rank_scope)choice;
		if ((rc = get_bool(r, ranking, "full_precision", false, &o.full_precision)))
			goto out;
		uf = json_object_get(ranking, "unranked_flag");
		if (uf) {
			const char *flag = NULL;
			size_t m3 = path_push(r, ".unranked_flag");

			if (!json_is_null(uf) &&
			    (!json_is_string(uf) || !(flag = flag_copy(r, uf)))) {
				rc = fail_type(r, FLAG_EXPECTED " or null for none", uf);
				goto out;
			}
			if ((rc = cs_framework_set_unranked_flag(fw, flag, r->err)))
				goto out;
			path_pop(r, m3);
		}
		if ((rc = get_typed(r, ranking, "tie_breakers", JSON_ARRAY, "an array", &tbs)))
			goto out;
		for (size_t i = 0; tbs && i < json_array_size(tbs); i++) {
			json_t *t = json_array_get(tbs, i);
			size_t m3 = path_push(r, ".tie_breakers[%zu]", i);
			const char *node;
			bool lower;

			if (!json_is_object(t)) {
				rc = fail_type(r, "an object such as {\"node\": \"A1\"}", t);
				goto out;
			}
			if ((rc = check_members(r, t, tb_keys)) ||
			    (rc = get_code(r, t, "node", true, &node)) ||
			    (rc = get_bool(r, t, "lower_is_better", false, &lower)))
				goto out;
			if ((rc = cs_framework_add_tiebreak(fw, node, lower, r->err))) {
				fail_at(r, rc, "%s", r->err->msg);
				goto out;
			}
			path_pop(r, m3);
		}
		path_pop(r, m2);
	}
	choice = (int)o.na_policy;
	if ((rc = get_choice(r, opts, "not_applicable", "not-applicable policy", "exclude or zero",
			     parse_na, &choice)))
		goto out;
	o.na_policy = (enum cs_na_policy)choice;
	cs_framework_set_options(fw, &o);
out:
	path_pop(r, mark);
	return rc;
}

static enum cs_err read_bands(struct reader *r, json_t *root, struct cs_framework *fw)
{
	static const char *const band_keys[] = {"code", "label_vi", "label_en", "from", "to", NULL};
	json_t *bands;
	size_t mark = r->plen;
	enum cs_err rc;

	rc = get_typed(r, root, "bands", JSON_ARRAY, "an array of bands", &bands);
	if (!rc && bands)
		path_push(r, "bands");
	for (size_t i = 0; !rc && bands && i < json_array_size(bands); i++) {
		json_t *b = json_array_get(bands, i);
		size_t m2 = path_push(r, "[%zu]", i);
		struct cs_fw_band band = {0};

		if (!json_is_object(b)) {
			rc = fail_type(
				r,
				"a band such as {\"code\": \"A\", \"label_vi\": \"Xuất sắc\", "
				"\"from\": 90, \"to\": 100}",
				b);
			break;
		}
		if ((rc = check_members(r, b, band_keys)) ||
		    (rc = get_code(r, b, "code", true, &band.code)) ||
		    (rc = get_text(r, b, "label_vi", "", CS_FW_TEXT_MAX, true, &band.label_vi)) ||
		    (rc = get_text(r, b, "label_en", "", CS_FW_TEXT_MAX, true, &band.label_en)) ||
		    (rc = get_number(r, b, "from", true, "the lower bound, a number from 0 to 100",
				     &band.lo)) ||
		    (rc = get_number(r, b, "to", true, "the upper bound, a number from 0 to 100",
				     &band.hi)))
			break;
		if ((rc = cs_framework_add_band(fw, &band, r->err))) {
			fail_at(r, rc, "%s", r->err->msg);
			break;
		}
		path_pop(r, m2);
	}
	path_pop(r, mark);
	return rc;
}

/* A parameter key: letters, digits and '_'. */
static bool key_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CS_FW_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

/* A parameter value given as text: no control characters and no ';' (the table form's separator). */
static bool value_text_valid(const char *s, size_t n)
{
	if (n > CS_FW_VALUE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == ';')
			return false;
	return true;
}

#define PARAM_EXPECTED "a number, an array of numbers or a string without ';'"

/*
 * The value of a rule parameter as the rules read it: a number in its
 * shortest form, an array of numbers joined by commas ("1,0.8"), or a string
 * as given.
 */
static enum cs_err param_value(struct reader *r, json_t *v, const char **out)
{
	char num[CS_FW_NUMBER_LEN];
	struct cs_buf b;
	enum cs_err rc = CS_OK;

	if (json_is_number(v)) {
		cs_fw_number_format(json_number_value(v), num);
		*out = cs_arena_strndup(&r->arena, num, strlen(num));
		return *out ? CS_OK : cs_fail(r->err, CS_ENOMEM, NULL);
	}
	if (json_is_string(v)) {
		if (!value_text_valid(json_string_value(v), json_string_length(v)))
			return fail_type(r, PARAM_EXPECTED, v);
		*out = json_string_value(v);
		return CS_OK;
	}
	if (!json_is_array(v))
		return fail_type(r, PARAM_EXPECTED, v);
	cs_buf_init(&b, CS_FW_VALUE_MAX);
	for (size_t i = 0; i < json_array_size(v) && !rc; i++) {
		json_t *item = json_array_get(v, i);

		if (!json_is_number(item)) {
			size_t mark = path_push(r, "[%zu]", i);

			rc = fail_type(r, "a number", item);
			path_pop(r, mark);
			break;
		}
		cs_fw_number_format(json_number_value(item), num);
		rc = cs_buf_addf(&b, r->err, "%s%s", i ? "," : "", num);
		if (rc == CS_ETOOBIG)
			rc = fail_at(r, rc, "more than %u bytes of numbers", CS_FW_VALUE_MAX);
	}
	if (!rc) {
		*out = cs_arena_strndup(&r->arena, b.data, b.len);
		if (!*out)
			rc = cs_fail(r->err, CS_ENOMEM, NULL);
	}
	cs_buf_release(&b);
	return rc;
}

static enum cs_err read_params(struct reader *r, json_t *node, struct cs_rule_param *params,
			       size_t *n)
{
	json_t *obj, *v;
	const char *key;
	size_t mark;
	enum cs_err rc;

	*n = 0;
	rc = get_typed(r, node, "params", JSON_OBJECT, "an object such as {\"t\": 0.8}", &obj);
	if (rc || !obj)
		return rc;
	mark = path_push(r, ".params");
	if (json_object_size(obj) > CS_FW_PARAMS_MAX) {
		rc = fail_at(r, CS_ETOOBIG, "%zu rule parameters (at most %d)",
			     json_object_size(obj), CS_FW_PARAMS_MAX);
		goto out;
	}
	json_object_foreach(obj, key, v)
	{
		size_t m2 = path_key(r, key);

		if (!key_valid(key)) {
			rc = fail_at(r, CS_EPARSE,
				     "a parameter name may use only letters, digits and '_'");
			goto out;
		}
		params[*n].key = key;
		if ((rc = param_value(r, v, &params[*n].value)))
			goto out;
		(*n)++;
		path_pop(r, m2);
	}
out:
	path_pop(r, mark);
	return rc;
}

static enum cs_err read_applies(struct reader *r, json_t *node, struct cs_fw_applies *applies,
				size_t *n)
{
	static const char *const keys[] = {"levels", "flags", "not_flags", NULL};
	static const enum cs_fw_applies_kind kinds[] = {CS_APPLIES_LEVEL, CS_APPLIES_FLAG,
							CS_APPLIES_NOT_FLAG};
	json_t *obj;
	size_t mark;
	enum cs_err rc;

	*n = 0;
	rc = get_typed(r, node, "applies_to", JSON_OBJECT,
		       "an object such as {\"levels\": [\"commune\"], \"flags\": [\"tthc\"]}",
		       &obj);
	if (rc || !obj)
		return rc;
	mark = path_push(r, ".applies_to");
	if ((rc = check_members(r, obj, keys)))
		goto out;
	for (int k = 0; k < 3; k++) {
		json_t *list;
		size_t m2;

		if ((rc = get_typed(r, obj, keys[k], JSON_ARRAY, "an array of names", &list)) ||
		    !list)
			continue;
		m2 = path_push(r, ".%s", keys[k]);
		for (size_t i = 0; i < json_array_size(list); i++) {
			json_t *item = json_array_get(list, i);
			struct cs_fw_applies a = {.kind = kinds[k]};
			size_t m3 = path_push(r, "[%zu]", i);
			char d[128];
			int level;

			if (*n == CS_FW_APPLIES_MAX) {
				rc = fail_at(r, CS_ETOOBIG, "more than %d applies_to items",
					     CS_FW_APPLIES_MAX);
				goto out;
			}
			if (kinds[k] == CS_APPLIES_LEVEL) {
				if (!json_is_string(item)) {
					rc = fail_type(r, "a level: " LEVELS, item);
					goto out;
				}
				if (!parse_level(cs_str_make(json_string_value(item),
							     json_string_length(item)),
						 &level)) {
					rc = fail_at(r, CS_EPARSE, "unknown level %s (expected %s)",
						     describe(item, d), LEVELS);
					goto out;
				}
				a.level = (enum cs_level)level;
			} else if (!json_is_string(item) || !(a.flag = flag_copy(r, item))) {
				rc = fail_type(r, FLAG_EXPECTED, item);
				goto out;
			}
			applies[(*n)++] = a;
			path_pop(r, m3);
		}
		path_pop(r, m2);
	}
out:
	path_pop(r, mark);
	return rc;
}

struct code_index {
	const char *code;
	size_t index;
};

static int compare_code_index(const void *pa, const void *pb)
{
	const struct code_index *a = pa, *b = pb;
	int c = strcmp(a->code, b->code);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/*
 * Reports the first repeated node code (the repetition nearest the start of
 * the file), naming both places. Validation would catch it too, but here the
 * message can point at both.
 */
static enum cs_err check_duplicates(struct reader *r, const struct cs_framework *fw)
{
	size_t n = cs_framework_node_count(fw), best = CS_FW_NONE, first = 0;
	struct code_index *ci;
	enum cs_err rc = CS_OK;

	if (n < 2)
		return CS_OK;
	ci = cs_calloc(n, sizeof(*ci));
	if (!ci)
		return cs_fail(r->err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++)
		ci[i] = (struct code_index){cs_framework_node(fw, i)->code, i};
	qsort(ci, n, sizeof(*ci), compare_code_index);
	for (size_t i = 1; i < n; i++)
		if (strcmp(ci[i].code, ci[i - 1].code) == 0 &&
		    (i < 2 || strcmp(ci[i].code, ci[i - 2].code) != 0) &&
		    (best == CS_FW_NONE || ci[i].index < best)) {
			best = ci[i].index;
			first = ci[i - 1].index;
		}
	if (best != CS_FW_NONE) {
		path_push(r, "nodes[%zu].code", best);
		rc = fail_at(r, CS_EPARSE, "duplicate node code '%s' (nodes[%zu] has it too)",
			     cs_framework_node(fw, best)->code, first);
	}
	cs_free(ci);
	return rc;
}

static enum cs_err read_nodes(struct reader *r, json_t *root, struct cs_framework *fw)
{
	static const char *const node_keys[] = {"code",	      "parent",	    "title",
						"max_points", "source",	    "rule",
						"params",     "applies_to", NULL};
	struct cs_rule_param params[CS_FW_PARAMS_MAX];
	struct cs_fw_applies applies[CS_FW_APPLIES_MAX];
	json_t *nodes = json_object_get(root, "nodes");
	size_t mark = path_push(r, "nodes");
	enum cs_err rc = CS_OK;

	if (!nodes || json_is_null(nodes)) {
		rc = fail_at(r, CS_EPARSE, "missing (expected an array of nodes)");
		goto out;
	}
	if (!json_is_array(nodes)) {
		rc = fail_type(r, "an array of nodes", nodes);
		goto out;
	}
	if (json_array_size(nodes) > CS_FW_NODES_MAX) {
		rc = fail_at(r, CS_ETOOBIG, "%zu nodes (at most %d)", json_array_size(nodes),
			     CS_FW_NODES_MAX);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(nodes); i++) {
		json_t *node = json_array_get(nodes, i);
		struct cs_fw_node_spec spec = {0};
		size_t m2 = path_push(r, "[%zu]", i);

		r->node = NULL;
		if (!json_is_object(node)) {
			rc = fail_type(r, "a node such as {\"code\": \"A1\", \"max_points\": 10}",
				       node);
			goto out;
		}
		if ((rc = get_code(r, node, "code", true, &spec.code)))
			goto out;
		r->node = spec.code;
		if ((rc = check_members(r, node, node_keys)) ||
		    (rc = get_code(r, node, "parent", false, &spec.parent)) ||
		    (rc = get_text(r, node, "title", "", CS_FW_TEXT_MAX, true, &spec.title)) ||
		    (rc = get_number(r, node, "max_points", false,
				     "a number of points such as 14.5", &spec.max)) ||
		    (rc = get_name(r, node, "source",
				   "a source: self, survey, data, bonus or penalty",
				   &spec.source)) ||
		    (rc = get_name(r, node, "rule", "a rule name such as manual", &spec.rule)) ||
		    (rc = read_params(r, node, params, &spec.nparams)) ||
		    (rc = read_applies(r, node, applies, &spec.napplies)))
			goto out;
		spec.params = params;
		spec.applies = applies;
		if ((rc = cs_framework_add_node(fw, &spec, NULL, r->err))) {
			fail_at(r, rc, "%s", r->err->msg);
			goto out;
		}
		path_pop(r, m2);
	}
	r->node = NULL;
	path_pop(r, mark);
	rc = check_duplicates(r, fw);
out:
	r->node = NULL;
	path_pop(r, mark);
	return rc;
}

/*
 * Jansson's description quotes the input near the mistake, which may be
 * invalid UTF-8 or hold control characters: the message keeps the valid part
 * on one line.
 */
static const char *tidy_jansson_text(char *text)
{
	size_t n = strnlen(text, JSON_ERROR_TEXT_LENGTH - 1), bad;

	text[n] = '\0';
	if (!cs_utf8_valid(text, n, &bad)) {
		n = bad;
		text[n] = '\0';
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			text[i] = '?';
	return text;
}

static enum cs_err load(const char *name, const char *data, size_t len, json_t **root,
			struct cs_error *err)
{
	json_error_t jerr;
	size_t line, col;

	if (len > CS_FW_JSON_MAX)
		return cs_fail(err, CS_ETOOBIG,
			       "%s: %zu bytes is larger than the limit of %u bytes", name, len,
			       CS_FW_JSON_MAX);
	if (len == 0)
		return cs_fail(err, CS_EPARSE, "%s: empty file (expected a JSON object)", name);
	/* Nesting is checked before Jansson, which recurses, sees the text: the
	 * format itself never needs more than CS_FW_JSON_DEPTH_MAX levels. */
	if (cs_json_too_deep(data, len, CS_FW_JSON_DEPTH_MAX, &line, &col))
		return cs_fail(
			err, CS_ETOOBIG,
			"%s:%zu:%zu: nested deeper than %d levels (a framework file needs at "
			"most %d)",
			name, line, col, CS_FW_JSON_DEPTH_MAX, 5);
	cs_json_alloc_begin();
	*root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (*root)
		return CS_OK;
	/* Jansson reports some failed allocations as syntax errors, and leaves
	 * the error empty when it cannot allocate its lexer. */
	if (cs_json_alloc_failed() || jerr.text[0] == '\0')
		return cs_fail(err, CS_ENOMEM, NULL);
	switch (json_error_code(&jerr)) {
	case json_error_out_of_memory:
		return cs_fail(err, CS_ENOMEM, NULL);
	case json_error_invalid_utf8:
		return cs_fail(err, CS_EUTF8, "%s:%d:%d: invalid UTF-8 (save the file as UTF-8)",
			       name, jerr.line, jerr.column);
	case json_error_null_character:
		return cs_fail(err, CS_EPARSE,
			       "%s:%d:%d: a \\u0000 character is not allowed in text", name,
			       jerr.line, jerr.column);
	default:
		return cs_fail(err, CS_EPARSE, "%s:%d:%d: invalid JSON: %s", name, jerr.line,
			       jerr.column, tidy_jansson_text(jerr.text));
	}
}

enum cs_err cs_framework_json_parse(const char *name, const char *data, size_t len,
				    struct cs_framework **out, struct cs_fw_meta *meta,
				    struct cs_error *err)
{
	static const char *const root_keys[] = {"format",  "format_version", "code",	 "version",
						"title",   "decision",	     "template", "note",
						"options", "bands",	     "nodes",	 NULL};
	struct cs_error scratch;
	struct reader r = {.name = name, .err = err ? err : &scratch};
	struct cs_framework *fw = NULL;
	struct cs_fw_info info = {0};
	json_t *root = NULL, *v;
	const char *format, *note;
	bool is_template;
	enum cs_err rc;
	size_t bom;

	*out = NULL;
	if (meta) {
		meta->is_template = false;
		meta->note = NULL;
	}
	cs_arena_init(&r.arena, 0);
	cs_buf_init(&r.nfc, CS_FW_NOTE_MAX * 4);
	bom = cs_utf8_bom_len(data, len);
	err = r.err;
	rc = load(name, data + bom, len - bom, &root, err);
	if (rc)
		goto out;
	if (!json_is_object(root)) {
		rc = fail_type(&r, "a JSON object", root);
		goto out;
	}
	if ((rc = check_members(&r, root, root_keys)))
		goto out;
	if ((rc = get_text(&r, root, "format", NULL, CS_FW_NAME_MAX, true, &format)))
		goto out;
	if (format && strcmp(format, CS_FW_JSON_FORMAT) != 0) {
		path_push(&r, "format");
		rc = fail_at(&r, CS_EPARSE, "'%s' is not a PAR framework (expected \"%s\")", format,
			     CS_FW_JSON_FORMAT);
		goto out;
	}
	v = json_object_get(root, "format_version");
	if (v && !json_is_null(v) &&
	    (!json_is_integer(v) || json_integer_value(v) != CS_FW_JSON_FORMAT_VERSION)) {
		path_push(&r, "format_version");
		rc = fail_type(&r, "1 (the version of the format this chiso reads)", v);
		goto out;
	}
	if ((rc = get_code(&r, root, "code", true, &info.code)) ||
	    (rc = get_code(&r, root, "version", true, &info.version)) ||
	    (rc = get_text(&r, root, "title", "", CS_FW_TEXT_MAX, true, &info.title)) ||
	    (rc = get_text(&r, root, "decision", "", CS_FW_TEXT_MAX, true, &info.decision)) ||
	    (rc = get_bool(&r, root, "template", false, &is_template)) ||
	    (rc = get_text(&r, root, "note", NULL, CS_FW_NOTE_MAX, false, &note)))
		goto out;
	/* The path helpers start with '.'; at the top level the path has none. */
	fw = cs_framework_new(&info, err);
	if (!fw) {
		rc = CS_ENOMEM;
		goto out;
	}
	if ((rc = read_options(&r, root, fw)) || (rc = read_bands(&r, root, fw)) ||
	    (rc = read_nodes(&r, root, fw)))
		goto out;
	if (meta) {
		meta->is_template = is_template;
		if (note) {
			meta->note = cs_strdup(note);
			if (!meta->note) {
				rc = cs_fail(err, CS_ENOMEM, NULL);
				goto out;
			}
		}
	}
	*out = fw;
	fw = NULL;
out:
	cs_framework_free(fw);
	json_decref(root);
	cs_buf_release(&r.nfc);
	cs_arena_release(&r.arena);
	return rc;
}

/* ---- writing ---- */

/* Appends s as a JSON string: quotes, backslashes and control characters escaped. */
static enum cs_err put_string(struct cs_buf *b, const char *s, struct cs_error *err)
{
	enum cs_err rc = cs_buf_addc(b, '"', err);

	for (; !rc && *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;

		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			break;
		}
		if (esc)
			rc = cs_buf_addstr(b, esc, err);
		else if (c < 0x20)
			rc = cs_buf_addf(b, err, "\\u%04x", c);
		else
			rc = cs_buf_addc(b, (char)c, err);
	}
	return rc ? rc : cs_buf_addc(b, '"', err);
}

static enum cs_err put_number(struct cs_buf *b, double v, const char *what, struct cs_error *err)
{
	char num[CS_FW_NUMBER_LEN];

	if (!isfinite(v))
		return cs_fail(err, CS_EINVAL, "%s: %g is not a finite number", what, v);
	cs_fw_number_format(v, num);
	return cs_buf_addstr(b, num, err);
}

/* `"key": "value"` with the separator before it. */
static enum cs_err put_member_str(struct cs_buf *b, const char *sep, const char *key,
				  const char *value, struct cs_error *err)
{
	enum cs_err rc = cs_buf_addf(b, err, "%s\"%s\": ", sep, key);

	return rc ? rc : put_string(b, value ? value : "", err);
}

/* True when text is a number exactly as cs_fw_number_format writes it. */
static bool canonical_number(struct cs_str text)
{
	char num[CS_FW_NUMBER_LEN];
	double v;

	if (text.len == 0 || text.len >= CS_FW_NUMBER_LEN ||
	    cs_str_to_double(text, false, &v, NULL) != CS_OK)
		return false;
	cs_fw_number_format(v, num);
	return strlen(num) == text.len && memcmp(num, text.ptr, text.len) == 0;
}

/*
 * A rule parameter's value: a number or array of numbers when the text is
 * exactly what the reader would make of one, so that reading and writing
 * agree; otherwise a string.
 */
static enum cs_err put_param_value(struct cs_buf *b, const char *value, struct cs_error *err)
{
	struct cs_str rest = cs_str_from(value), item;
	bool numbers = rest.len > 0, list = strchr(value, ',') != NULL;
	enum cs_err rc;

	while (numbers && cs_str_next(&rest, ',', &item))
		numbers = canonical_number(item);
	if (!numbers)
		return put_string(b, value, err);
	if (!list)
		return cs_buf_addstr(b, value, err);
	rc = cs_buf_addc(b, '[', err);
	rest = cs_str_from(value);
	for (bool first = true; !rc && cs_str_next(&rest, ',', &item); first = false)
		rc = cs_buf_addf(b, err, "%s%.*s", first ? "" : ", ", (int)item.len, item.ptr);
	return rc ? rc : cs_buf_addc(b, ']', err);
}

static enum cs_err put_applies(struct cs_buf *b, const struct cs_fw_node *node,
			       struct cs_error *err)
{
	static const char *const keys[] = {"levels", "flags", "not_flags"};
	static const enum cs_fw_applies_kind kinds[] = {CS_APPLIES_LEVEL, CS_APPLIES_FLAG,
							CS_APPLIES_NOT_FLAG};
	enum cs_err rc = cs_buf_addstr(b, ", \"applies_to\": {", err);
	bool any = false;

	for (int k = 0; !rc && k < 3; k++) {
		bool first = true;

		for (size_t i = 0; !rc && i < node->napplies; i++) {
			const struct cs_fw_applies *a = &node->applies[i];

			if (a->kind != kinds[k])
				continue;
			if (first)
				rc = cs_buf_addf(b, err, "%s\"%s\": [", any ? ", " : "", keys[k]);
			if (!rc && !first)
				rc = cs_buf_addstr(b, ", ", err);
			if (!rc)
				rc = put_string(b,
						a->kind == CS_APPLIES_LEVEL
							? (cs_level_name(a->level)
								   ? cs_level_name(a->level)
								   : "")
							: (a->flag ? a->flag : ""),
						err);
			first = false;
			any = true;
		}
		if (!rc && !first)
			rc = cs_buf_addc(b, ']', err);
	}
	return rc ? rc : cs_buf_addc(b, '}', err);
}

static enum cs_err put_node(struct cs_buf *b, const struct cs_fw_node *node, bool last,
			    struct cs_error *err)
{
	const char *source = cs_fw_source_name(node->source);
	char what[CS_FW_CODE_MAX + 16];
	enum cs_err rc;

	if (!source)
		source = node->source_name; /* NONE gives NULL, UNKNOWN its name */
	snprintf(what, sizeof(what), "node '%s'", node->code);
	rc = put_member_str(b, "    {", "code", node->code, err);
	if (!rc && node->parent_code)
		rc = put_member_str(b, ", ", "parent", node->parent_code, err);
	if (!rc)
		rc = put_member_str(b, ", ", "title", node->title, err);
	if (!rc && node->max_declared) {
		rc = cs_buf_addstr(b, ", \"max_points\": ", err);
		if (!rc)
			rc = put_number(b, node->max, what, err);
	}
	if (!rc && source)
		rc = put_member_str(b, ", ", "source", source, err);
	if (!rc && node->rule_name)
		rc = put_member_str(b, ", ", "rule", node->rule_name, err);
	if (!rc && node->nparams) {
		rc = cs_buf_addstr(b, ", \"params\": {", err);
		for (size_t i = 0; !rc && i < node->nparams; i++) {
			rc = cs_buf_addstr(b, i ? ", " : "", err);
			if (!rc)
				rc = put_string(b, node->params[i].key, err);
			if (!rc)
				rc = cs_buf_addstr(b, ": ", err);
			if (!rc)
				rc = put_param_value(b, node->params[i].value, err);
		}
		if (!rc)
			rc = cs_buf_addc(b, '}', err);
	}
	if (!rc && node->napplies)
		rc = put_applies(b, node, err);
	return rc ? rc : cs_buf_addstr(b, last ? "}\n" : "},\n", err);
}

static enum cs_err put_options(struct cs_buf *b, const struct cs_framework *fw,
			       struct cs_error *err)
{
	const struct cs_fw_options *o = cs_framework_options(fw);
	const char *flag = cs_framework_unranked_flag(fw);
	size_t nt = cs_framework_tiebreak_count(fw);
	enum cs_err rc;

	rc = cs_buf_addf(
		b, err,
		"  \"options\": {\n"
		"    \"rounding\": {\"mode\": \"%s\", \"decimals\": %d},\n"
		"    \"ranking\": {\"method\": \"%s\", \"scope\": \"%s\", "
		"\"full_precision\": %s, \"unranked_flag\": ",
		cs_round_mode_name(o->rounding.mode) ? cs_round_mode_name(o->rounding.mode) : "?",
		o->rounding.decimals,
		cs_rank_method_name(o->rank_method) ? cs_rank_method_name(o->rank_method) : "?",
		cs_rank_scope_name(o->rank_scope) ? cs_rank_scope_name(o->rank_scope) : "?",
		o->full_precision ? "true" : "false");
	if (!rc)
		rc = flag ? put_string(b, flag, err) : cs_buf_addstr(b, "null", err);
	if (!rc)
		rc = cs_buf_addstr(b, ", \"tie_breakers\": [", err);
	for (size_t i = 0; !rc && i < nt; i++) {
		const struct cs_fw_tiebreak *t = cs_framework_tiebreak(fw, i);

		rc = put_member_str(b, i ? ", {" : "{", "node", t->node, err);
		if (!rc)
			rc = cs_buf_addf(b, err, ", \"lower_is_better\": %s}",
					 t->ascending ? "true" : "false");
	}
	if (!rc)
		rc = cs_buf_addf(b, err,
				 "]},\n"
				 "    \"not_applicable\": \"%s\"\n"
				 "  },\n",
				 cs_na_policy_name(o->na_policy) ? cs_na_policy_name(o->na_policy)
								 : "?");
	return rc;
}

enum cs_err cs_framework_json_write(const struct cs_framework *fw, const struct cs_fw_meta *meta,
				    struct cs_buf *out, struct cs_error *err)
{
	const struct cs_fw_info *info = cs_framework_info(fw);
	size_t nb = cs_framework_band_count(fw), nn = cs_framework_node_count(fw);
	enum cs_err rc;

	rc = cs_buf_addf(out, err, "{\n  \"format\": \"%s\",\n  \"format_version\": %d,\n",
			 CS_FW_JSON_FORMAT, CS_FW_JSON_FORMAT_VERSION);
	if (!rc)
		rc = put_member_str(out, "  ", "code", info->code, err);
	if (!rc)
		rc = put_member_str(out, ",\n  ", "version", info->version, err);
	if (!rc)
		rc = put_member_str(out, ",\n  ", "title", info->title, err);
	if (!rc)
		rc = put_member_str(out, ",\n  ", "decision", info->decision, err);
	if (!rc && meta && meta->is_template)
		rc = cs_buf_addstr(out, ",\n  \"template\": true", err);
	if (!rc && meta && meta->note)
		rc = put_member_str(out, ",\n  ", "note", meta->note, err);
	if (!rc)
		rc = cs_buf_addstr(out, ",\n", err);
	if (!rc)
		rc = put_options(out, fw, err);
	if (!rc)
		rc = cs_buf_addstr(out, nb ? "  \"bands\": [\n" : "  \"bands\": [],\n", err);
	for (size_t i = 0; !rc && i < nb; i++) {
		const struct cs_fw_band *band = cs_framework_band(fw, i);
		char what[CS_FW_CODE_MAX + 16];

		snprintf(what, sizeof(what), "band '%s'", band->code);
		rc = put_member_str(out, "    {", "code", band->code, err);
		if (!rc)
			rc = put_member_str(out, ", ", "label_vi", band->label_vi, err);
		if (!rc)
			rc = put_member_str(out, ", ", "label_en", band->label_en, err);
		if (!rc)
			rc = cs_buf_addstr(out, ", \"from\": ", err);
		if (!rc)
			rc = put_number(out, band->lo, what, err);
		if (!rc)
			rc = cs_buf_addstr(out, ", \"to\": ", err);
		if (!rc)
			rc = put_number(out, band->hi, what, err);
		if (!rc)
			rc = cs_buf_addstr(out, i + 1 < nb ? "},\n" : "}\n  ],\n", err);
	}
	if (!rc)
		rc = cs_buf_addstr(out, nn ? "  \"nodes\": [\n" : "  \"nodes\": []\n", err);
	for (size_t i = 0; !rc && i < nn; i++)
		rc = put_node(out, cs_framework_node(fw, i), i + 1 == nn, err);
	if (!rc && nn)
		rc = cs_buf_addstr(out, "  ]\n", err);
	return rc ? rc : cs_buf_addstr(out, "}\n", err);
}
