/*
 * The questionnaire JSON format (docs/formats.md): a strict reader over
 * Jansson that names the JSON path of each problem, and a canonical writer
 * over cs_buf whose output reads back to the same bytes.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/json_util.h"
#include "io/questionnaire_json.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Longest JSON path kept for messages (".items[123].choices[4].label.vi"). */
#define PATH_MAX_LEN 128

struct reader {
	const char *label;
	struct cs_error *err;
	struct cs_arena arena; /* normalised strings, choice arrays: live until the build */
	struct cs_buf nfc;
	char path[PATH_MAX_LEN];
	size_t plen;
	const char *item; /* code of the item being read, for messages; NULL outside */
};

static enum cs_err fail_at(struct reader *r, enum cs_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fails with "label: PATH: message" (no PATH at the top level). */
static enum cs_err fail_at(struct reader *r, enum cs_err code, const char *fmt, ...)
{
	char msg[CS_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->plen && r->item)
		return cs_fail(r->err, code, "%s: %s (item '%s'): %s", r->label, r->path, r->item,
			       msg);
	if (r->plen)
		return cs_fail(r->err, code, "%s: %s: %s", r->label, r->path, msg);
	return cs_fail(r->err, code, "%s: %s", r->label, msg);
}

/*
 * Appends a path step (".key" or "[i]") and returns the length to restore.
 * At the top level a key has no leading '.': "items[3].text.vi".
 */
static size_t push(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static size_t push(struct reader *r, const char *fmt, ...)
{
	size_t old = r->plen, n;
	va_list ap;
	int w;

	if (old >= sizeof(r->path) - 1)
		return old;
	va_start(ap, fmt);
	w = vsnprintf(r->path + old, sizeof(r->path) - old, fmt, ap);
	va_end(ap);
	if (w < 0) {
		r->path[old] = '\0';
		return old;
	}
	/* What was written: a long key is cut at the end of the buffer. */
	n = (size_t)w < sizeof(r->path) - 1 - old ? (size_t)w : sizeof(r->path) - 1 - old;
	if (n > 0 && old == 0 && r->path[0] == '.') {
		memmove(r->path, r->path + 1, n); /* the NUL at n moves too */
		n--;
	}
	r->plen = old + n;
	return old;
}

static void pop(struct reader *r, size_t len)
{
	r->plen = len;
	r->path[len] = '\0';
}

/* What a JSON value is, for messages. */
static const char *kind_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "true or false";
	case JSON_NULL:
		return "null";
	}
	return "a value";
}

/* Checks that obj is an object whose keys are all in the NULL-terminated list. */
static enum cs_err check_keys(struct reader *r, const json_t *obj, const char *const *keys,
			      const char *expected)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return fail_at(r, CS_EPARSE, "expected an object, found %s", kind_of(obj));
	json_object_foreach((json_t *)obj, key, v)
	{
		const char *const *k = keys;

		while (*k && strcmp(*k, key) != 0)
			k++;
		if (!*k) {
			size_t old = push(r, ".%s", key);
			enum cs_err rc =
				fail_at(r, CS_EPARSE, "unknown key (expected %s)", expected);

			pop(r, old);
			return rc;
		}
	}
	return CS_OK;
}

/*
 * The string at obj[key], normalised to NFC and copied into the reader's
 * arena. *out is NULL when the key is absent (an error when required).
 */
static enum cs_err get_string_max(struct reader *r, const json_t *obj, const char *key,
				  bool required, size_t max, const char **out)
{
	json_t *v = json_object_get(obj, key);
	size_t old = push(r, ".%s", key);
	enum cs_err rc = CS_OK;
	struct cs_error e;
	const char *s;
	size_t n;

	*out = NULL;
	if (!v) {
		if (required)
			rc = fail_at(r, CS_EPARSE, "missing (expected a string)");
		goto done;
	}
	if (!json_is_string(v)) {
		rc = fail_at(r, CS_EPARSE, "expected a string, found %s", kind_of(v));
		goto done;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	if (memchr(s, '\0', n)) {
		rc = fail_at(r, CS_EPARSE, "the string holds a NUL character (\\u0000)");
		goto done;
	}
	cs_buf_reset(&r->nfc);
	rc = cs_utf8_nfc(s, n, &r->nfc, &e);
	if (rc) {
		rc = fail_at(r, rc, "%s", e.msg);
		goto done;
	}
	if (r->nfc.len > max) {
		rc = fail_at(r, CS_ETOOBIG, "%zu bytes of text (at most %zu)", r->nfc.len, max);
		goto done;
	}
	*out = cs_arena_strndup(&r->arena, r->nfc.data, r->nfc.len);
	if (!*out)
		rc = cs_fail(r->err, CS_ENOMEM, NULL);
done:
	pop(r, old);
	return rc;
}

static enum cs_err get_string(struct reader *r, const json_t *obj, const char *key, bool required,
			      const char **out)
{
	return get_string_max(r, obj, key, required, CS_Q_JSON_TEXT_MAX, out);
}

static enum cs_err get_bool(struct reader *r, const json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	size_t old;
	enum cs_err rc;

	if (!v)
		return CS_OK;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return CS_OK;
	}
	old = push(r, ".%s", key);
	rc = fail_at(r, CS_EPARSE, "expected true or false, found %s", kind_of(v));
	pop(r, old);
	return rc;
}

static enum cs_err get_number(struct reader *r, const json_t *obj, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);
	size_t old;
	enum cs_err rc;

	if (!v)
		return CS_OK;
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return CS_OK;
	}
	old = push(r, ".%s", key);
	rc = fail_at(r, CS_EPARSE, "expected a number, found %s", kind_of(v));
	pop(r, old);
	return rc;
}

/* A {"vi": ..., "en": ...} object; absent gives "" and "" unless required. */
static enum cs_err get_text(struct reader *r, const json_t *obj, const char *key, bool required,
			    const char **vi, const char **en)
{
	static const char *const keys[] = {"vi", "en", NULL};
	json_t *v = json_object_get(obj, key);
	size_t old = push(r, ".%s", key);
	enum cs_err rc = CS_OK;

	*vi = *en = "";
	if (!v) {
		if (required)
			rc = fail_at(r, CS_EPARSE, "missing (expected {\"vi\": ..., \"en\": ...})");
		goto done;
	}
	rc = check_keys(r, v, keys, "vi, en");
	if (!rc)
		rc = get_string(r, v, "vi", true, vi);
	if (!rc)
		rc = get_string(r, v, "en", false, en);
	if (!*en)
		*en = "";
done:
	pop(r, old);
	return rc;
}

/* A name looked up by parse (type, role, field, aggregation). */
static enum cs_err get_name(struct reader *r, const json_t *obj, const char *key, bool required,
			    bool (*parse)(struct cs_str, int *), const char *what,
			    const char *expected, int *out, bool *present)
{
	const char *s;
	enum cs_err rc = get_string(r, obj, key, required, &s);
	size_t old;

	if (present)
		*present = s != NULL;
	if (rc || !s)
		return rc;
	if (parse(cs_str_from(s), out))
		return CS_OK;
	old = push(r, ".%s", key);
	rc = fail_at(r, CS_EPARSE, "unknown %s '%s' (expected %s)", what, s, expected);
	pop(r, old);
	return rc;
}

/* Adapters from the typed parse functions to get_name's int form. */
CS_JSON_ENUM_PARSER(parse_type, enum cs_q_type, cs_q_type_parse)
CS_JSON_ENUM_PARSER(parse_role, enum cs_q_role, cs_q_role_parse)
CS_JSON_ENUM_PARSER(parse_field, enum cs_q_field, cs_q_field_parse)
CS_JSON_ENUM_PARSER(parse_element_agg, enum cs_q_element_agg, cs_q_element_agg_parse)
CS_JSON_ENUM_PARSER(parse_overall_agg, enum cs_q_overall_agg, cs_q_overall_agg_parse)

#define TYPES "likert5, yesno, single, multi, number, text or note"
#define ROLES "satisfaction, assessment, general, expectation, respondent or other"
#define FIELDS "kind, sex, age_band or service"

static enum cs_err read_levels(struct reader *r, const json_t *v, uint8_t *out)
{
	size_t old = push(r, ".satisfied_levels");
	enum cs_err rc = CS_OK;
	uint8_t mask = 0;

	if (!json_is_array(v) || json_array_size(v) == 0) {
		rc = fail_at(r, CS_EPARSE, "expected a non-empty array of levels 1 to 5, found %s",
			     json_is_array(v) ? "[]" : kind_of(v));
		goto done;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *l = json_array_get(v, i);
		json_int_t k;

		if (!json_is_integer(l) || (k = json_integer_value(l)) < 1 || k > 5) {
			size_t o2 = push(r, "[%zu]", i);

			rc = fail_at(r, CS_EPARSE, "expected a level 1 to 5");
			pop(r, o2);
			goto done;
		}
		if (mask & (1u << k)) {
			rc = fail_at(r, CS_EPARSE, "level %d appears twice", (int)k);
			goto done;
		}
		mask = (uint8_t)(mask | (1u << k));
	}
	*out = mask;
done:
	pop(r, old);
	return rc;
}

static enum cs_err read_options(struct reader *r, const json_t *root, struct cs_questionnaire *q)
{
	static const char *const keys[] = {
		"satisfied_levels", "element_aggregation", "headline",	    "target", "min_n",
		"max_cv",	    "confidence",	   "ci_unweighted", NULL};
	struct cs_q_options o = cs_q_options_default();
	json_t *v = json_object_get(root, "options"), *l;
	size_t old = push(r, ".options");
	const char *ci = NULL;
	enum cs_err rc = CS_OK;
	int agg;

	if (!v)
		goto done;
	rc = check_keys(r, v, keys,
			"satisfied_levels, element_aggregation, headline, target, min_n, "
			"max_cv, confidence, ci_unweighted");
	if (rc)
		goto done;
	l = json_object_get(v, "satisfied_levels");
	if (l && (rc = read_levels(r, l, &o.satisfied_levels)))
		goto done;
	agg = (int)o.element_agg;
	rc = get_name(r, v, "element_aggregation", false, parse_element_agg, "element aggregation",
		      "mean_of_items or pooled", &agg, NULL);
	if (rc)
		goto done;
	o.element_agg = (enum cs_q_element_agg)agg;
	agg = (int)o.headline;
	rc = get_name(r, v, "headline", false, parse_overall_agg, "headline",
		      "mean_of_elements, pooled or general", &agg, NULL);
	if (rc)
		goto done;
	o.headline = (enum cs_q_overall_agg)agg;
	if ((rc = get_number(r, v, "target", &o.target)) ||
	    (rc = get_number(r, v, "max_cv", &o.max_cv)) ||
	    (rc = get_number(r, v, "confidence", &o.confidence)) ||
	    (rc = get_string(r, v, "ci_unweighted", false, &ci)))
		goto done;
	if (ci)
		o.ci_unweighted = ci;
	l = json_object_get(v, "min_n");
	if (l) {
		json_int_t k = json_is_integer(l) ? json_integer_value(l) : -1;

		if (k < 0 || k > (json_int_t)UINT_MAX) {
			size_t o2 = push(r, ".min_n");

			rc = fail_at(r, CS_EPARSE, "expected a whole number of 0 or more");
			pop(r, o2);
			goto done;
		}
		o.min_n = (unsigned)k;
	}
done:
	if (!rc)
		cs_questionnaire_set_options(q, &o);
	pop(r, old);
	return rc;
}

static enum cs_err read_elements(struct reader *r, const json_t *root, struct cs_questionnaire *q)
{
	static const char *const keys[] = {"code", "title", NULL};
	json_t *v = json_object_get(root, "elements");
	size_t old = push(r, ".elements");
	enum cs_err rc = CS_OK;

	if (!v)
		goto done;
	if (!json_is_array(v)) {
		rc = fail_at(r, CS_EPARSE, "expected an array of elements, found %s", kind_of(v));
		goto done;
	}
	for (size_t i = 0; i < json_array_size(v) && !rc; i++) {
		json_t *e = json_array_get(v, i);
		struct cs_q_element el;
		size_t o2 = push(r, "[%zu]", i);

		rc = check_keys(r, e, keys, "code, title");
		if (!rc)
			rc = get_string(r, e, "code", true, &el.code);
		if (!rc)
			rc = get_text(r, e, "title", true, &el.title_vi, &el.title_en);
		if (!rc && (rc = cs_questionnaire_add_element(q, &el, r->err)) == CS_ETOOBIG)
			rc = fail_at(r, rc, "%s", r->err->msg);
		pop(r, o2);
	}
done:
	pop(r, old);
	return rc;
}

static enum cs_err read_choices(struct reader *r, const json_t *item, struct cs_q_item_spec *spec)
{
	static const char *const keys[] = {"value", "label", NULL};
	json_t *v = json_object_get(item, "choices");
	size_t old = push(r, ".choices"), n;
	struct cs_q_choice *choices;
	enum cs_err rc = CS_OK;

	if (!v)
		goto done;
	if (!json_is_array(v)) {
		rc = fail_at(r, CS_EPARSE, "expected an array of choices, found %s", kind_of(v));
		goto done;
	}
	n = json_array_size(v);
	if (n > CS_Q_CHOICES_MAX) {
		rc = fail_at(r, CS_ETOOBIG, "%zu choices (at most %d)", n, CS_Q_CHOICES_MAX);
		goto done;
	}
	choices = cs_arena_calloc(&r->arena, n ? n : 1, sizeof(*choices));
	if (!choices) {
		rc = cs_fail(r->err, CS_ENOMEM, NULL);
		goto done;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		json_t *c = json_array_get(v, i);
		size_t o2 = push(r, "[%zu]", i);

		rc = check_keys(r, c, keys, "value, label");
		if (!rc)
			rc = get_string(r, c, "value", true, &choices[i].value);
		if (!rc)
			rc = get_text(r, c, "label", false, &choices[i].label_vi,
				      &choices[i].label_en);
		pop(r, o2);
	}
	spec->choices = choices;
	spec->nchoices = n;
done:
	pop(r, old);
	return rc;
}

static enum cs_err read_item(struct reader *r, const json_t *it, struct cs_questionnaire *q)
{
	static const char *const keys[] = {"code",	 "element", "type",	"role",
					   "field",	 "text",    "required", "relevant",
					   "constraint", "choices", NULL};
	struct cs_q_item_spec spec = {0};
	int type = 0, role = CS_Q_ROLE_OTHER, field = CS_Q_FIELD_NONE;
	enum cs_err rc;

	rc = check_keys(r, it, keys,
			"code, element, type, role, field, text, required, relevant, "
			"constraint, choices");
	if (!rc)
		rc = get_string(r, it, "code", true, &spec.code);
	r->item = spec.code;
	if (!rc)
		rc = get_string(r, it, "element", false, &spec.element);
	if (!rc)
		rc = get_name(r, it, "type", true, parse_type, "type", TYPES, &type, NULL);
	if (!rc)
		rc = get_name(r, it, "role", false, parse_role, "role", ROLES, &role, NULL);
	if (!rc)
		rc = get_name(r, it, "field", false, parse_field, "field", FIELDS, &field, NULL);
	if (!rc)
		rc = get_text(r, it, "text", false, &spec.text_vi, &spec.text_en);
	if (!rc)
		rc = get_bool(r, it, "required", &spec.required);
	if (!rc)
		rc = get_string(r, it, "relevant", false, &spec.relevant);
	if (!rc)
		rc = get_string(r, it, "constraint", false, &spec.constraint);
	if (!rc)
		rc = read_choices(r, it, &spec);
	if (rc)
		return rc;
	spec.type = (enum cs_q_type)type;
	spec.role = (enum cs_q_role)role;
	spec.field = (enum cs_q_field)field;
	rc = cs_questionnaire_add_item(q, &spec, r->err);
	if (rc == CS_ETOOBIG)
		return fail_at(r, rc, "%s", r->err->msg);
	r->item = NULL;
	return rc;
}

static enum cs_err read_items(struct reader *r, const json_t *root, struct cs_questionnaire *q)
{
	json_t *v = json_object_get(root, "items");
	size_t old = push(r, ".items");
	enum cs_err rc = CS_OK;

	if (!v) {
		rc = fail_at(r, CS_EPARSE, "missing (expected an array of items)");
		goto done;
	}
	if (!json_is_array(v)) {
		rc = fail_at(r, CS_EPARSE, "expected an array of items, found %s", kind_of(v));
		goto done;
	}
	if (json_array_size(v) > CS_Q_ITEMS_MAX) {
		rc = fail_at(r, CS_ETOOBIG, "%zu items (at most %d)", json_array_size(v),
			     CS_Q_ITEMS_MAX);
		goto done;
	}
	for (size_t i = 0; i < json_array_size(v) && !rc; i++) {
		size_t o2 = push(r, "[%zu]", i);

		rc = read_item(r, json_array_get(v, i), q);
		pop(r, o2);
	}
done:
	pop(r, old);
	return rc;
}

static enum cs_err read_root(struct reader *r, const json_t *root, struct cs_questionnaire **out)
{
	static const char *const keys[] = {"format",   "format_version", "code",	  "title",
					   "decision", "version",	 "reconstructed", "note",
					   "options",  "elements",	 "items",	  NULL};
	struct cs_q_info info = {0};
	struct cs_questionnaire *q = NULL;
	enum cs_err rc;

	const char *format = NULL;
	json_t *v;

	rc = check_keys(r, root, keys,
			"format, format_version, code, title, decision, version, reconstructed, "
			"note, options, elements, items");
	if (!rc)
		rc = get_string(r, root, "format", true, &format);
	if (rc)
		return rc;
	if (strcmp(format, CS_Q_JSON_FORMAT) != 0) {
		size_t old = push(r, "format");

		rc = fail_at(r, CS_EPARSE, "'%s' is not a questionnaire (expected \"%s\")", format,
			     CS_Q_JSON_FORMAT);
		pop(r, old);
		return rc;
	}
	v = json_object_get(root, "format_version");
	if (v && (!json_is_integer(v) || json_integer_value(v) != CS_Q_JSON_FORMAT_VERSION)) {
		size_t old = push(r, "format_version");

		rc = fail_at(r, CS_EPARSE,
			     "expected %d (the version of the format this chiso reads)",
			     CS_Q_JSON_FORMAT_VERSION);
		pop(r, old);
		return rc;
	}
	rc = get_string(r, root, "code", true, &info.code);
	if (!rc)
		rc = get_string(r, root, "title", true, &info.title);
	if (!rc)
		rc = get_string(r, root, "decision", false, &info.decision);
	if (!rc)
		rc = get_string(r, root, "version", false, &info.version);
	if (!rc)
		rc = get_bool(r, root, "reconstructed", &info.reconstructed);
	if (!rc)
		rc = get_string_max(r, root, "note", false, CS_Q_JSON_NOTE_MAX, &info.note);
	if (rc)
		return rc;
	q = cs_questionnaire_new(&info, r->err);
	if (!q)
		return CS_ENOMEM;
	rc = read_options(r, root, q);
	if (!rc)
		rc = read_elements(r, root, q);
	if (!rc)
		rc = read_items(r, root, q);
	if (rc) {
		cs_questionnaire_free(q);
		return rc;
	}
	*out = q;
	return CS_OK;
}

enum cs_err cs_questionnaire_json_parse(const char *label, const char *data, size_t len,
					struct cs_questionnaire **out, struct cs_error *err)
{
	struct reader r = {.label = label ? label : "<input>", .err = err};
	size_t bom = cs_utf8_bom_len(data, len), line, col;
	json_error_t jerr;
	json_t *root = NULL;
	enum cs_err rc;

	*out = NULL;
	if (len > CS_Q_JSON_MAX)
		return cs_fail(err, CS_ETOOBIG,
			       "%s: %zu bytes (a questionnaire file has at most %u)", r.label, len,
			       CS_Q_JSON_MAX);
	if (len == bom)
		return cs_fail(err, CS_EPARSE, "%s: empty file (expected a JSON object)", r.label);
	/* Nesting is refused before Jansson, which recurses, sees the text. */
	if (cs_json_too_deep(data + bom, len - bom, CS_Q_JSON_DEPTH_MAX, &line, &col))
		return cs_fail(err, CS_ETOOBIG,
			       "%s:%zu:%zu: nested deeper than %d levels (a questionnaire needs 6)",
			       r.label, line, col, CS_Q_JSON_DEPTH_MAX);
	cs_arena_init(&r.arena, 0);
	cs_buf_init(&r.nfc, CS_Q_JSON_MAX);
	cs_json_alloc_begin();
	/* NUL inside strings is let through to be refused with a clearer message. */
	root = json_loadb(data + bom, len - bom, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!root) {
		/* Jansson leaves the error empty when it cannot allocate its lexer. */
		if (cs_json_alloc_failed() || !jerr.text[0] ||
		    json_error_code(&jerr) == json_error_out_of_memory)
			rc = cs_fail(err, CS_ENOMEM, NULL);
		else if (json_error_code(&jerr) == json_error_invalid_utf8)
			rc = cs_fail(err, CS_EUTF8,
				     "%s:%d:%d: invalid UTF-8 (save the file as UTF-8)", r.label,
				     jerr.line, jerr.column);
		else
			rc = cs_fail(err, CS_EPARSE, "%s:%d:%d: %s", r.label, jerr.line,
				     jerr.column, jerr.text);
		goto out;
	}
	rc = read_root(&r, root, out);
out:
	json_decref(root);
	cs_buf_release(&r.nfc);
	cs_arena_release(&r.arena);
	return rc;
}

enum cs_err cs_questionnaire_json_read(const char *label, const char *data, size_t len,
				       struct cs_questionnaire **out, struct cs_error *err)
{
	struct cs_questionnaire *q = NULL;
	enum cs_err rc = cs_questionnaire_json_parse(label, data, len, &q, err);

	*out = NULL;
	if (rc)
		return rc;
	rc = cs_questionnaire_validate(q, err);
	if (rc) {
		if (rc == CS_EINVAL)
			cs_error_prefix(err, "%s", label ? label : "<input>");
		cs_questionnaire_free(q);
		return rc;
	}
	*out = q;
	return CS_OK;
}

/* The canonical writer. */

struct writer {
	struct cs_buf *out;
	struct cs_error *err;
	enum cs_err rc; /* the first failure; later writes do nothing */
};

static void put(struct writer *w, const char *s)
{
	if (!w->rc)
		w->rc = cs_buf_addstr(w->out, s, w->err);
}

/* A JSON string: '"' and '\\' escaped, control characters as \n or \u00XX. */
static void put_string(struct writer *w, const char *s)
{
	const char *run = s;

	put(w, "\"");
	for (; *s && !w->rc; s++) {
		unsigned char ch = (unsigned char)*s;
		char esc[8];

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		w->rc = cs_buf_add(w->out, run, (size_t)(s - run), w->err);
		switch (ch) {
		case '"':
			put(w, "\\\"");
			break;
		case '\\':
			put(w, "\\\\");
			break;
		case '\n':
			put(w, "\\n");
			break;
		case '\t':
			put(w, "\\t");
			break;
		case '\r':
			put(w, "\\r");
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", ch);
			put(w, esc);
		}
		run = s + 1;
	}
	if (!w->rc)
		w->rc = cs_buf_add(w->out, run, strlen(run), w->err);
	put(w, "\"");
}

/* s, or "?" for a name out of range (never in a valid questionnaire). */
static const char *nz(const char *s)
{
	return s ? s : "?";
}

/* "key": "value" */
static void put_pair(struct writer *w, const char *key, const char *value)
{
	put_string(w, key);
	put(w, ": ");
	put_string(w, value);
}

/*
 * The shortest text that reads back as the same double: a whole number
 * without a fraction, otherwise the fewest significant digits that round
 * trip (0.2, not 0.20000000000000001).
 */
static void put_number(struct writer *w, double v)
{
	char s[40];

	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(s, sizeof(s), "%.0f", v);
	} else {
		for (int p = 1; p <= 17; p++) {
			snprintf(s, sizeof(s), "%.*g", p, v);
			if (strtod(s, NULL) == v)
				break;
		}
	}
	put(w, s);
}

/* {"vi": "...", "en": "..."}, en left out when empty. */
static void put_text(struct writer *w, const char *vi, const char *en)
{
	put(w, "{");
	put_pair(w, "vi", vi);
	if (en && *en) {
		put(w, ", ");
		put_pair(w, "en", en);
	}
	put(w, "}");
}

static void put_options(struct writer *w, const struct cs_q_options *o)
{
	bool first = true;

	put(w, "  \"options\": {\n    \"satisfied_levels\": [");
	for (int k = 1; k <= 5; k++) {
		if (!(o->satisfied_levels & (1u << k)))
			continue;
		put(w, first ? "" : ", ");
		put_number(w, k);
		first = false;
	}
	put(w, "],\n    ");
	put_pair(w, "element_aggregation", nz(cs_q_element_agg_name(o->element_agg)));
	put(w, ",\n    ");
	put_pair(w, "headline", nz(cs_q_overall_agg_name(o->headline)));
	put(w, ",\n    \"target\": ");
	put_number(w, o->target);
	put(w, ",\n    \"min_n\": ");
	put_number(w, o->min_n);
	put(w, ",\n    \"max_cv\": ");
	put_number(w, o->max_cv);
	put(w, ",\n    \"confidence\": ");
	put_number(w, o->confidence);
	put(w, ",\n    ");
	put_pair(w, "ci_unweighted", o->ci_unweighted ? o->ci_unweighted : "wilson");
	put(w, "\n  },\n");
}

static void put_item(struct writer *w, const struct cs_q_item *it)
{
	put(w, "    {\n      ");
	put_pair(w, "code", it->code);
	if (it->element_code) {
		put(w, ",\n      ");
		put_pair(w, "element", it->element_code);
	}
	put(w, ",\n      ");
	put_pair(w, "type", nz(cs_q_type_name(it->type)));
	put(w, ",\n      ");
	put_pair(w, "role", nz(cs_q_role_name(it->role)));
	if (it->field != CS_Q_FIELD_NONE) {
		put(w, ",\n      ");
		put_pair(w, "field", nz(cs_q_field_name(it->field)));
	}
	if (*it->text_vi || *it->text_en) {
		put(w, ",\n      \"text\": ");
		put_text(w, it->text_vi, it->text_en);
	}
	if (it->required)
		put(w, ",\n      \"required\": true");
	if (it->relevant) {
		put(w, ",\n      ");
		put_pair(w, "relevant", it->relevant);
	}
	if (it->constraint) {
		put(w, ",\n      ");
		put_pair(w, "constraint", it->constraint);
	}
	if (it->nchoices) {
		put(w, ",\n      \"choices\": [\n");
		for (size_t k = 0; k < it->nchoices; k++) {
			const struct cs_q_choice *c = &it->choices[k];

			put(w, "        {");
			put_pair(w, "value", c->value);
			if (*c->label_vi || *c->label_en) {
				put(w, ", \"label\": ");
				put_text(w, c->label_vi, c->label_en);
			}
			put(w, k + 1 < it->nchoices ? "},\n" : "}\n");
		}
		put(w, "      ]");
	}
	put(w, "\n    }");
}

enum cs_err cs_questionnaire_json_write(const struct cs_questionnaire *q, struct cs_buf *out,
					struct cs_error *err)
{
	const struct cs_q_info *info = cs_questionnaire_info(q);
	size_t ne = cs_questionnaire_element_count(q), ni = cs_questionnaire_item_count(q);
	struct writer w = {out, err, CS_OK};

	put(&w, "{\n  ");
	put_pair(&w, "format", CS_Q_JSON_FORMAT);
	put(&w, ",\n  \"format_version\": ");
	put_number(&w, CS_Q_JSON_FORMAT_VERSION);
	put(&w, ",\n  ");
	put_pair(&w, "code", info->code);
	put(&w, ",\n  ");
	put_pair(&w, "title", info->title);
	put(&w, ",\n  ");
	put_pair(&w, "decision", info->decision);
	put(&w, ",\n  ");
	put_pair(&w, "version", info->version);
	put(&w, info->reconstructed ? ",\n  \"reconstructed\": true,\n  "
				    : ",\n  \"reconstructed\": false,\n  ");
	put_pair(&w, "note", info->note);
	put(&w, ",\n");
	put_options(&w, cs_questionnaire_options(q));
	put(&w, ne ? "  \"elements\": [\n" : "  \"elements\": [],\n");
	for (size_t e = 0; e < ne; e++) {
		const struct cs_q_element *el = cs_questionnaire_element(q, e);

		put(&w, "    {");
		put_pair(&w, "code", el->code);
		put(&w, ", \"title\": ");
		put_text(&w, el->title_vi, el->title_en);
		put(&w, e + 1 < ne ? "},\n" : "}\n  ],\n");
	}
	put(&w, ni ? "  \"items\": [\n" : "  \"items\": []\n");
	for (size_t i = 0; i < ni; i++) {
		put_item(&w, cs_questionnaire_item(q, i));
		put(&w, i + 1 < ni ? ",\n" : "\n  ]\n");
	}
	put(&w, "}\n");
	return w.rc;
}
