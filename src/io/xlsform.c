/*
 * XLSForm import (METHODOLOGY M3.1): reads the survey, choices and settings
 * sheets of a workbook with io/xlsx.h, maps what chiso supports onto a
 * questionnaire, turns groups of five-level questions into elements, and
 * names everything else in warnings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/xlsform.h"
#include "io/xlsx.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Deepest nesting of groups and repeats. */
#define DEPTH_MAX 32
/* Bytes of all cell text kept from one workbook. */
#define TEXT_MAX (64u * 1024 * 1024)
/* Names listed in one warning before "...". */
#define NAMES_SHOWN 3

/* A row of a sheet: cells[i] is column i + 1, "" when empty. */
struct row {
	size_t num; /* the row number Excel shows */
	size_t ncells;
	const char **cells;
	unsigned char *types; /* enum cs_xlsx_type per cell */
};

struct sheet {
	const char *name; /* as the workbook spells it; NULL: absent */
	struct cs_vec rows;
};

/* A header cell: "label::English (en)" is base "label", lang "English (en)". */
struct column {
	const char *raw;  /* trimmed header text */
	const char *base; /* lower case, spaces as '_' */
	const char *lang; /* NULL when the header has no language */
};

/* A choice list of the choices sheet. */
struct clist {
	const char *name;
	size_t row;	       /* its first row */
	struct cs_vec choices; /* of struct cs_q_choice */
};

/* What a warning groups (one warning per distinct feature). */
enum feature_kind {
	F_TYPE,
	F_METADATA,
	F_REPEAT,
	F_OR_OTHER,
	F_COLUMN,
	F_LANGUAGE,
	F_REQUIRED,
	F_NO_TYPE,
	F_ORDER,
};

struct feature {
	enum feature_kind kind;
	const char *key; /* the type, column, language or list */
	const char *sheet;
	size_t row; /* first row */
	size_t count;
	char names[160];   /* the first NAMES_SHOWN names, ", "-separated */
	const char *extra; /* F_REQUIRED: the first expression */
};

/* A group or repeat of the survey sheet. */
struct group {
	const char *name;
	const char *label_vi, *label_en;
	const char *relevant; /* its own, NULL when none */
	size_t row;
	bool repeat;
	size_t questions; /* questions whose innermost group this is (notes aside) */
	bool all_five;	  /* every one of them a select_one of a 5-choice list */
};

/* A question waiting for the elements to be known. */
struct pending {
	struct cs_q_item_spec spec;
	size_t row;
	size_t group; /* innermost group, SIZE_MAX at the top level */
	const struct clist *list;
	bool five;
};

struct form {
	const char *label;
	struct cs_error *err;
	struct cs_vec *warnings;
	struct cs_arena arena;
	struct cs_buf tmp;
	struct cs_xlsx *x;
	struct sheet survey, choices, settings;
	struct sheet *reading;
	struct cs_vec features; /* of struct feature */
	struct cs_vec lists;	/* of struct clist */
	struct cs_vec groups;	/* of struct group */
	struct cs_vec pending;	/* of struct pending */
	/* From the settings sheet: */
	const char *form_id, *form_title, *version, *default_language;
	/* The survey sheet's header, and the label languages picked on it:
	 * "" for the plain label, NULL for none. */
	struct column *survey_cols;
	size_t survey_ncols;
	const char *lang_vi, *lang_en;
};

static void warn(struct form *f, const char *sheet, size_t row, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Appends "label:sheet:row: message" (sheet and row left out when absent). */
static void warn(struct form *f, const char *sheet, size_t row, const char *fmt, ...)
{
	struct cs_xlsform_warning w;
	va_list ap;
	int k;

	if (!f->warnings)
		return;
	if (sheet && row)
		k = snprintf(w.msg, sizeof(w.msg), "%s:%s:%zu: ", f->label, sheet, row);
	else if (sheet)
		k = snprintf(w.msg, sizeof(w.msg), "%s:%s: ", f->label, sheet);
	else
		k = snprintf(w.msg, sizeof(w.msg), "%s: ", f->label);
	if (k < 0)
		k = 0;
	if ((size_t)k >= sizeof(w.msg))
		k = (int)sizeof(w.msg) - 1;
	va_start(ap, fmt);
	vsnprintf(w.msg + k, sizeof(w.msg) - (size_t)k, fmt, ap);
	va_end(ap);
	/* A warning lost for want of memory is not worth failing the import. */
	cs_vec_push(f->warnings, &w, NULL);
}

static enum cs_err fail(struct form *f, enum cs_err code, const char *sheet, size_t row,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Fails with "label:sheet:row: message". */
static enum cs_err fail(struct form *f, enum cs_err code, const char *sheet, size_t row,
			const char *fmt, ...)
{
	char msg[CS_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sheet && row)
		return cs_fail(f->err, code, "%s:%s:%zu: %s", f->label, sheet, row, msg);
	if (sheet)
		return cs_fail(f->err, code, "%s:%s: %s", f->label, sheet, msg);
	return cs_fail(f->err, code, "%s: %s", f->label, msg);
}

static enum cs_err no_memory(struct form *f)
{
	return cs_fail(f->err, CS_ENOMEM, NULL);
}

/* A copy of len bytes in the form's arena, or NULL. */
static const char *keep(struct form *f, const char *s, size_t len)
{
	return cs_arena_strndup(&f->arena, s, len);
}

/*
 * Notes one more occurrence of a feature, creating it at its first; *where
 * (may be NULL) is set to it.
 */
static enum cs_err note_feature_at(struct form *f, enum feature_kind kind, const char *key,
				   const char *sheet, size_t row, const char *name,
				   struct feature **where)
{
	struct feature *ft = NULL;
	size_t len;

	for (size_t i = 0; i < f->features.len && !ft; i++) {
		struct feature *c = cs_vec_at(&f->features, i);

		/* A column is a feature of its sheet; the rest of the whole form. */
		if (c->kind == kind && strcmp(c->key, key) == 0 &&
		    ((kind != F_COLUMN && kind != F_LANGUAGE) || c->sheet == sheet))
			ft = c;
	}
	if (!ft) {
		ft = cs_vec_push_zero(&f->features, f->err);
		if (!ft)
			return CS_ENOMEM;
		ft->kind = kind;
		ft->key = keep(f, key, strlen(key));
		if (!ft->key) {
			f->features.len--;
			return no_memory(f);
		}
		ft->sheet = sheet;
		ft->row = row;
	}
	if (name && *name && ft->count < NAMES_SHOWN) {
		len = strlen(ft->names);
		snprintf(ft->names + len, sizeof(ft->names) - len, "%s'%s'", len ? ", " : "", name);
	} else if (name && *name && ft->count == NAMES_SHOWN) {
		len = strlen(ft->names);
		snprintf(ft->names + len, sizeof(ft->names) - len, ", ...");
	}
	ft->count++;
	if (where)
		*where = ft;
	return CS_OK;
}

static enum cs_err note_feature(struct form *f, enum feature_kind kind, const char *key,
				const char *sheet, size_t row, const char *name)
{
	return note_feature_at(f, kind, key, sheet, row, name, NULL);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Turns the collected features into warnings, in order of first appearance. */
static void flush_features(struct form *f)
{
	for (size_t i = 0; i < f->features.len; i++) {
		const struct feature *ft = cs_vec_at(&f->features, i);
		size_t n = ft->count;

		switch (ft->kind) {
		case F_TYPE:
			warn(f, ft->sheet, ft->row,
			     "type '%s' is not supported; %zu question%s skipped (%s)", ft->key, n,
			     plural(n), ft->names);
			break;
		case F_METADATA:
			warn(f, ft->sheet, ft->row,
			     "metadata '%s' is not kept (responses are imported without it); %zu "
			     "row%s skipped",
			     ft->key, n, plural(n));
			break;
		case F_REPEAT:
			warn(f, ft->sheet, ft->row,
			     "repeats are not supported: the questions of %zu repeat%s (%s) are "
			     "imported as if asked once",
			     n, plural(n), ft->names);
			break;
		case F_OR_OTHER:
			warn(f, ft->sheet, ft->row,
			     "or_other: the text typed for 'other' is not supported; %zu "
			     "question%s "
			     "(%s) get%s a choice 'other' and the text is not kept",
			     n, plural(n), ft->names, n == 1 ? "s" : "");
			break;
		case F_COLUMN:
			warn(f, ft->sheet, ft->row,
			     "column '%s' is not supported; its values are ignored", ft->key);
			break;
		case F_LANGUAGE:
			warn(f, ft->sheet, ft->row,
			     "label language '%s' is not kept (chiso keeps Vietnamese and English)",
			     ft->key);
			break;
		case F_REQUIRED:
			warn(f, ft->sheet, ft->row,
			     "required holds an expression ('%s') that chiso does not evaluate; "
			     "%zu "
			     "question%s (%s) taken as not required",
			     ft->extra ? ft->extra : "", n, plural(n), ft->names);
			break;
		case F_NO_TYPE:
			warn(f, ft->sheet, ft->row, "%zu row%s without a type skipped", n,
			     plural(n));
			break;
		case F_ORDER:
			warn(f, ft->sheet, ft->row,
			     "list '%s' of five-level questions has values other than 1 to 5: its "
			     "first choice is taken as level 1 (Rất không hài lòng) and its last "
			     "as "
			     "level 5 (Rất hài lòng)",
			     ft->key);
			break;
		}
	}
}

/* Reading sheets. */

static enum cs_err keep_cell(struct form *f, const struct cs_xlsx_cell *c, const char **out)
{
	struct cs_error e;
	enum cs_err rc;

	if (c->len == 0) {
		*out = "";
		return CS_OK;
	}
	cs_buf_reset(&f->tmp);
	rc = cs_utf8_nfc(c->text, c->len, &f->tmp, &e);
	if (rc) {
		char col[CS_XLSX_COL_LEN];

		cs_xlsx_col_name(c->col, col);
		return cs_fail(f->err, rc, "%s:%s: cell %s: %s", f->label, f->reading->name, col,
			       e.msg);
	}
	*out = keep(f, f->tmp.data, f->tmp.len);
	return *out ? CS_OK : no_memory(f);
}

static enum cs_err row_cb(void *ctx, size_t num, const struct cs_xlsx_cell *cells, size_t ncells,
			  struct cs_error *err)
{
	struct form *f = ctx;
	struct row *r;
	enum cs_err rc;

	(void)err;
	if (f->reading->rows.len >= CS_XLSFORM_ROWS_MAX)
		return fail(f, CS_ETOOBIG, f->reading->name, num,
			    "more than %d rows (an XLSForm has far fewer)", CS_XLSFORM_ROWS_MAX);
	if (ncells > CS_XLSFORM_COLS_MAX) {
		char col[CS_XLSX_COL_LEN];

		cs_xlsx_col_name((unsigned)ncells, col);
		return fail(f, CS_ETOOBIG, f->reading->name, num,
			    "a value in column %s, past the %d columns chiso reads", col,
			    CS_XLSFORM_COLS_MAX);
	}
	r = cs_vec_push_zero(&f->reading->rows, f->err);
	if (!r)
		return CS_ENOMEM;
	r->num = num;
	r->ncells = ncells;
	r->cells = cs_arena_calloc(&f->arena, ncells ? ncells : 1, sizeof(*r->cells));
	r->types = cs_arena_calloc(&f->arena, ncells ? ncells : 1, 1);
	if (!r->cells || !r->types)
		return no_memory(f);
	for (size_t i = 0; i < ncells; i++) {
		r->types[i] = (unsigned char)cells[i].type;
		if ((rc = keep_cell(f, &cells[i], &r->cells[i])))
			return rc;
	}
	return CS_OK;
}

static enum cs_err read_sheet(struct form *f, size_t index, struct sheet *sh)
{
	sh->name = cs_xlsx_sheet_name(f->x, index);
	f->reading = sh;
	return cs_xlsx_read_sheet(f->x, index, row_cb, f, f->err);
}

/* The cell at column i of r ("" past its end), without surrounding spaces. */
static struct cs_str cell(const struct row *r, size_t i)
{
	if (i == SIZE_MAX || i >= r->ncells)
		return cs_str_make("", 0);
	return cs_str_trim(cs_str_from(r->cells[i]));
}

static const struct row *row_at(const struct sheet *sh, size_t i)
{
	return cs_vec_at(&sh->rows, i);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* A lower-case copy of s in the arena with runs of spaces as one sep. */
static const char *normal_sep(struct form *f, struct cs_str s, char sep)
{
	char *out = cs_arena_alloc(&f->arena, s.len + 1);
	size_t n = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];

		if (c == ' ' || c == '\t') {
			if (n && out[n - 1] != sep)
				out[n++] = sep;
		} else {
			out[n++] = lower(c);
		}
	}
	out[n] = '\0';
	return out;
}

/* A lower-case copy of s in the arena with runs of spaces as one '_'. */
static const char *normal_name(struct form *f, struct cs_str s)
{
	return normal_sep(f, s, '_');
}

/* Splits the header row into columns; two columns of one name and language fail. */
static enum cs_err read_header(struct form *f, const struct sheet *sh, struct column **out,
			       size_t *ncols)
{
	const struct row *h = row_at(sh, 0);
	struct column *cols = cs_arena_calloc(&f->arena, h->ncells ? h->ncells : 1, sizeof(*cols));

	if (!cols)
		return no_memory(f);
	for (size_t i = 0; i < h->ncells; i++) {
		struct cs_str raw = cell(h, i), base = raw;
		const char *sep = NULL;
		size_t seplen = 0;

		for (size_t k = 0; k + 1 < raw.len && !sep; k++)
			if (raw.ptr[k] == ':' && raw.ptr[k + 1] == ':')
				sep = raw.ptr + k, seplen = 2;
		if (!sep)
			sep = memchr(raw.ptr, ':', raw.len), seplen = 1;
		cols[i].raw = keep(f, raw.ptr, raw.len);
		if (sep) {
			struct cs_str lang = cs_str_trim(cs_str_make(
				sep + seplen, raw.len - (size_t)(sep - raw.ptr) - seplen));

			base = cs_str_trim(cs_str_make(raw.ptr, (size_t)(sep - raw.ptr)));
			cols[i].lang = keep(f, lang.ptr, lang.len);
			if (!cols[i].lang)
				return no_memory(f);
		}
		cols[i].base = normal_name(f, base);
		if (!cols[i].raw || !cols[i].base)
			return no_memory(f);
		if (!*cols[i].base)
			continue;
		for (size_t j = 0; j < i; j++) {
			char a[CS_XLSX_COL_LEN], b[CS_XLSX_COL_LEN];

			if (strcmp(cols[j].base, cols[i].base) != 0 ||
			    !cols[j].lang != !cols[i].lang ||
			    (cols[j].lang &&
			     !cs_str_eq_nocase(cs_str_from(cols[j].lang), cols[i].lang)))
				continue;
			cs_xlsx_col_name((unsigned)j + 1, a);
			cs_xlsx_col_name((unsigned)i + 1, b);
			return fail(
				f, CS_EPARSE, sh->name, h->num,
				"column '%s' appears twice (columns %s and %s); keep one of them",
				cols[i].raw, a, b);
		}
	}
	*out = cols;
	*ncols = h->ncells;
	return CS_OK;
}

/* The first column whose base is one of the NULL-terminated names, or SIZE_MAX. */
static size_t find_column(const struct column *cols, size_t n, const char *const *names)
{
	for (size_t i = 0; i < n; i++)
		for (const char *const *k = names; *k; k++)
			if (!cols[i].lang && strcmp(cols[i].base, *k) == 0)
				return i;
	return SIZE_MAX;
}

/* The first row at or after row index from where column i holds a value, or 0. */
static size_t first_value_row(const struct sheet *sh, size_t i)
{
	for (size_t r = 1; r < sh->rows.len; r++)
		if (cell(row_at(sh, r), i).len)
			return row_at(sh, r)->num;
	return 0;
}

/* Languages (M3.1: Vietnamese text with an English translation). */

static bool ends_with_code(const char *lang, const char *code)
{
	size_t n = strlen(lang), c = strlen(code);

	/* "English (en)" */
	return n >= c + 2 && lang[n - 1] == ')' && lang[n - c - 2] == '(' &&
	       cs_str_eq_nocase(cs_str_make(lang + n - c - 1, c), code);
}

static bool is_vi(const char *lang)
{
	static const char *const names[] = {"vi",	  "vietnamese", "tiếng việt", "tieng viet",
					    "Tiếng Việt", "TIẾNG VIỆT", NULL};

	if (!lang)
		return false;
	for (const char *const *k = names; *k; k++)
		if (cs_str_eq_nocase(cs_str_from(lang), *k))
			return true;
	return ends_with_code(lang, "vi");
}

static bool is_en(const char *lang)
{
	if (!lang)
		return false;
	return cs_str_eq_nocase(cs_str_from(lang), "en") ||
	       cs_str_eq_nocase(cs_str_from(lang), "english") || ends_with_code(lang, "en");
}

/* The label column of language lang ("" plain, NULL none) among cols. */
static size_t label_column(const struct column *cols, size_t n, const char *lang)
{
	if (!lang)
		return SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(cols[i].base, "label") != 0)
			continue;
		if (!*lang ? !cols[i].lang
			   : cols[i].lang && cs_str_eq_nocase(cs_str_from(cols[i].lang), lang))
			return i;
	}
	return SIZE_MAX;
}

static const char *label_name(const char *lang, char *buf, size_t size)
{
	if (!*lang)
		return "label";
	snprintf(buf, size, "label::%s", lang);
	return buf;
}

/*
 * Picks the label columns of the survey sheet for Vietnamese and English,
 * and warns when one stands in for the other.
 */
static void pick_languages(struct form *f, const struct column *cols, size_t n)
{
	const char *first = NULL, *plain = NULL, *dflt = NULL, *vi = NULL, *en = NULL;
	size_t nlang = 0;
	char a[128], b[128];

	for (size_t i = 0; i < n; i++) {
		const char *lang;

		if (strcmp(cols[i].base, "label") != 0)
			continue;
		lang = cols[i].lang ? cols[i].lang : "";
		nlang++;
		if (!first)
			first = lang;
		if (!*lang)
			plain = lang;
		if (!vi && is_vi(cols[i].lang))
			vi = lang;
		if (!en && is_en(cols[i].lang))
			en = lang;
		if (!dflt && f->default_language &&
		    cs_str_eq_nocase(cs_str_from(lang), f->default_language))
			dflt = lang;
	}
	if (nlang == 0) {
		warn(f, f->survey.name, row_at(&f->survey, 0)->num,
		     "no label column: questions have no text");
		return;
	}
	if (nlang == 1) {
		f->lang_vi = f->lang_en = first;
		if (!vi)
			warn(f, f->survey.name, row_at(&f->survey, 0)->num,
			     "only one label language ('%s'): it is used for both the Vietnamese "
			     "and the English text",
			     label_name(first, a, sizeof(a)));
		return;
	}
	if (!vi) {
		/* The form's main language (a plain label), else English, which
		 * more users read than a third language, else the default. */
		vi = plain ? plain : en ? en : dflt ? dflt : first;
		warn(f, f->survey.name, row_at(&f->survey, 0)->num,
		     "no Vietnamese label column (label::Vietnamese (vi)); the Vietnamese text is "
		     "taken from '%s'",
		     label_name(vi, a, sizeof(a)));
	}
	if (!en) {
		en = vi;
		warn(f, f->survey.name, row_at(&f->survey, 0)->num,
		     "no English label column (label::English (en)); the English text is taken "
		     "from '%s'",
		     label_name(en, b, sizeof(b)));
	}
	f->lang_vi = vi;
	f->lang_en = en;
}

/* The label column for lang in a sheet: that language, else the plain label, else the first. */
static size_t sheet_label(const struct column *cols, size_t n, const char *lang)
{
	static const char *const label[] = {"label", NULL};
	size_t i = label_column(cols, n, lang);

	if (i == SIZE_MAX)
		i = find_column(cols, n, label);
	for (size_t k = 0; k < n && i == SIZE_MAX; k++)
		if (strcmp(cols[k].base, "label") == 0)
			i = k;
	return i;
}

/*
 * Warns about every column of sh that has a value and is not used: one
 * warning per column base name ("hint" and "hint::chinese" are one), label
 * columns of other languages one per language.
 */
static enum cs_err warn_unused_columns(struct form *f, const struct sheet *sh,
				       const struct column *cols, size_t n, const bool *used)
{
	enum cs_err rc;

	for (size_t i = 0; i < n; i++) {
		size_t row;

		if (used[i] || !*cols[i].base || !(row = first_value_row(sh, i)))
			continue;
		if (strcmp(cols[i].base, "label") == 0)
			rc = note_feature(f, F_LANGUAGE, cols[i].lang ? cols[i].lang : "", sh->name,
					  row, NULL);
		else
			rc = note_feature(f, F_COLUMN, cols[i].base, sh->name, row, NULL);
		if (rc)
			return rc;
	}
	return CS_OK;
}

/* The settings sheet: one header row and one row of values. */
static enum cs_err read_settings(struct form *f)
{
	const struct sheet *sh = &f->settings;
	const struct row *v;
	struct column *cols;
	size_t n;
	char ignored[256] = "";
	size_t first_row = 0;
	enum cs_err rc;

	if (!sh->name || sh->rows.len == 0)
		return CS_OK;
	if ((rc = read_header(f, sh, &cols, &n)))
		return rc;
	if (sh->rows.len < 2)
		return CS_OK;
	v = row_at(sh, 1);
	for (size_t i = 0; i < n; i++) {
		struct cs_str val = cell(v, i);
		const char *b = cols[i].base, *s;

		if (!val.len)
			continue;
		s = keep(f, val.ptr, val.len);
		if (!s)
			return no_memory(f);
		if (strcmp(b, "form_id") == 0) {
			f->form_id = s;
		} else if (strcmp(b, "form_title") == 0) {
			f->form_title = s;
		} else if (strcmp(b, "default_language") == 0) {
			f->default_language = s;
		} else if (strcmp(b, "version") == 0) {
			f->version = s;
			if (i < v->ncells && v->types[i] == CS_XLSX_DATE) {
				/* A version Excel shows as a date and time: keep what it shows. */
				double serial = strtod(s, NULL);
				char iso[CS_DATE_LEN], buf[40];
				long secs;

				if (cs_xlsx_date1904(f->x))
					serial += 1462;
				if (cs_xlsx_serial_to_iso(serial, iso, NULL) == CS_OK) {
					secs = (long)((serial - (long)serial) * 86400 + 0.5);
					if (secs >= 86400)
						secs = 86399;
					snprintf(buf, sizeof(buf), "%sT%02ld:%02ld:%02ld", iso,
						 secs / 3600, secs / 60 % 60, secs % 60);
					f->version = keep(f, buf, strlen(buf));
					if (!f->version)
						return no_memory(f);
				}
			}
		} else {
			size_t len = strlen(ignored);

			if (!first_row)
				first_row = v->num;
			snprintf(ignored + len, sizeof(ignored) - len, "%s%s", len ? ", " : "",
				 cols[i].raw);
		}
	}
	if (*ignored)
		warn(f, sh->name, first_row, "settings not supported, ignored: %s", ignored);
	if (sh->rows.len > 2)
		warn(f, sh->name, row_at(sh, 2)->num,
		     "only the first row of settings is read; %zu more ignored", sh->rows.len - 2);
	return CS_OK;
}

/* The choices sheet: lists of choices by list_name. */
static enum cs_err read_choices(struct form *f)
{
	static const char *const list_names[] = {"list_name", NULL};
	static const char *const names[] = {"name", NULL};
	const struct sheet *sh = &f->choices;
	struct column *cols;
	size_t n, c_list, c_name, c_vi, c_en;
	bool *used;
	enum cs_err rc;

	if (!sh->name || sh->rows.len == 0)
		return CS_OK;
	if ((rc = read_header(f, sh, &cols, &n)))
		return rc;
	c_list = find_column(cols, n, list_names);
	c_name = find_column(cols, n, names);
	if (c_list == SIZE_MAX || c_name == SIZE_MAX)
		return fail(f, CS_EPARSE, sh->name, row_at(sh, 0)->num,
			    "no '%s' column (a choices sheet has list_name, name and label)",
			    c_list == SIZE_MAX ? "list_name" : "name");
	c_vi = sheet_label(cols, n, f->lang_vi ? f->lang_vi : "");
	c_en = sheet_label(cols, n, f->lang_en ? f->lang_en : "");
	used = cs_arena_calloc(&f->arena, n ? n : 1, sizeof(*used));
	if (!used)
		return no_memory(f);
	used[c_list] = used[c_name] = true;
	if (c_vi != SIZE_MAX)
		used[c_vi] = true;
	if (c_en != SIZE_MAX)
		used[c_en] = true;
	for (size_t r = 1; r < sh->rows.len; r++) {
		const struct row *row = row_at(sh, r);
		struct cs_str list = cell(row, c_list), name = cell(row, c_name);
		struct cs_str vi = cell(row, c_vi), en = cell(row, c_en);
		struct clist *cl = NULL;
		struct cs_q_choice *ch;

		if (!list.len)
			continue;
		for (size_t k = 0; k < f->lists.len && !cl; k++) {
			struct clist *c = cs_vec_at(&f->lists, k);

			if (cs_str_eq_cstr(list, c->name))
				cl = c;
		}
		if (!cl) {
			cl = cs_vec_push_zero(&f->lists, f->err);
			if (!cl)
				return CS_ENOMEM;
			cl->name = keep(f, list.ptr, list.len);
			cl->row = row->num;
			cs_vec_init(&cl->choices, sizeof(struct cs_q_choice), 0);
			if (!cl->name)
				return no_memory(f);
		}
		ch = cs_vec_push_zero(&cl->choices, f->err);
		if (!ch)
			return CS_ENOMEM;
		ch->value = keep(f, name.ptr, name.len);
		ch->label_vi = keep(f, vi.ptr, vi.len);
		ch->label_en = keep(f, en.ptr, en.len);
		if (!ch->value || !ch->label_vi || !ch->label_en)
			return no_memory(f);
	}
	return warn_unused_columns(f, sh, cols, n, used);
}

static const struct clist *find_list(const struct form *f, struct cs_str name)
{
	for (size_t k = 0; k < f->lists.len; k++) {
		const struct clist *c = cs_vec_at(&f->lists, k);

		if (cs_str_eq_cstr(name, c->name))
			return c;
	}
	return NULL;
}

/* Types. */

enum kind {
	K_QUESTION,
	K_BEGIN_GROUP,
	K_END_GROUP,
	K_BEGIN_REPEAT,
	K_END_REPEAT,
	K_METADATA,
	K_UNSUPPORTED,
};

struct parsed_type {
	enum kind kind;
	enum cs_q_type type; /* K_QUESTION */
	struct cs_str list;  /* selects */
	bool or_other;
	const char *name; /* K_METADATA, K_UNSUPPORTED: the type as reported */
};

static const char *const metadata_types[] = {
	"start",	"end",
	"today",	"deviceid",
	"subscriberid", "simserial",
	"phonenumber",	"username",
	"email",	"audit",
	"imei",		"start_geopoint",
	"instanceid",	"background_audio",
	NULL,
};

/*
 * Splits a type cell into words; words[0..n) are slices of s. At most 8 are
 * kept, which every type that chiso reads fits in.
 */
static size_t split_words(struct cs_str s, struct cs_str *words, size_t max)
{
	size_t n = 0, i = 0;

	while (i < s.len && n < max) {
		size_t start;

		while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t'))
			i++;
		if (i == s.len)
			break;
		start = i;
		while (i < s.len && s.ptr[i] != ' ' && s.ptr[i] != '\t')
			i++;
		words[n++] = cs_str_make(s.ptr + start, i - start);
	}
	return n;
}

static bool word_is(struct cs_str w, const char *s)
{
	return cs_str_eq_nocase(w, s);
}

/* Parses the type of a survey row. false: words after a list name that mean nothing. */
static bool parse_type(struct form *f, struct cs_str type, struct parsed_type *out)
{
	struct cs_str w[8];
	size_t n = split_words(type, w, 8), k = 0;
	const char *norm;

	*out = (struct parsed_type){0};
	norm = normal_name(f, type);
	if (!norm)
		norm = "";
	/* Groups and repeats ("begin group", "begin_group", "begin looped group"). */
	if (strcmp(norm, "begin_group") == 0) {
		out->kind = K_BEGIN_GROUP;
		return true;
	}
	if (strcmp(norm, "end_group") == 0) {
		out->kind = K_END_GROUP;
		return true;
	}
	if (strcmp(norm, "begin_repeat") == 0 || strcmp(norm, "begin_looped_group") == 0) {
		out->kind = K_BEGIN_REPEAT;
		return true;
	}
	if (strcmp(norm, "end_repeat") == 0 || strcmp(norm, "end_looped_group") == 0) {
		out->kind = K_END_REPEAT;
		return true;
	}
	/* Selects: "select_one L", "select one L", "select one from L", "select1 L". */
	if (n >= 2 && (word_is(w[0], "select_one") || word_is(w[0], "select1"))) {
		out->type = CS_Q_SINGLE;
		k = 1;
	} else if (n >= 2 && word_is(w[0], "select_multiple")) {
		out->type = CS_Q_MULTI;
		k = 1;
	} else if (n >= 3 && word_is(w[0], "select") && word_is(w[1], "one")) {
		out->type = CS_Q_SINGLE;
		k = 2;
	} else if (n >= 3 && word_is(w[0], "select") && word_is(w[1], "multiple")) {
		out->type = CS_Q_MULTI;
		k = 2;
	} else if (n >= 5 && word_is(w[0], "select") && word_is(w[1], "all") &&
		   word_is(w[2], "that") && word_is(w[3], "apply")) {
		out->type = CS_Q_MULTI;
		k = 4;
	}
	if (k) {
		if (k + 1 < n && word_is(w[k], "from"))
			k++;
		out->kind = K_QUESTION;
		out->list = w[k++];
		if (k + 1 == n && word_is(w[k], "or_other"))
			out->or_other = true;
		else if (k + 2 == n && word_is(w[k], "or") && word_is(w[k + 1], "other"))
			out->or_other = true;
		else if (k != n)
			return false;
		return true;
	}
	out->kind = K_QUESTION;
	if (strcmp(norm, "integer") == 0 || strcmp(norm, "int") == 0 ||
	    strcmp(norm, "decimal") == 0) {
		out->type = CS_Q_NUMBER;
		return true;
	}
	if (strcmp(norm, "text") == 0 || strcmp(norm, "string") == 0) {
		out->type = CS_Q_TEXT;
		return true;
	}
	if (strcmp(norm, "note") == 0) {
		out->type = CS_Q_NOTE;
		return true;
	}
	/* What is left is reported by name: the first word of a file-backed
	 * select ("select_one_from_file"), the whole type otherwise. */
	if (n == 1 && (word_is(w[0], "select_one") || word_is(w[0], "select_multiple")))
		return false;
	out->kind = K_UNSUPPORTED;
	out->name = n > 1 && (strncmp(norm, "select", 6) == 0 || strncmp(norm, "rank", 4) == 0 ||
			      strncmp(norm, "osm", 3) == 0)
			    ? normal_name(f, w[0])
			    : normal_sep(f, type, ' ');
	if (!out->name)
		out->name = "";
	for (const char *const *m = metadata_types; *m; m++)
		if (strcmp(norm, *m) == 0)
			out->kind = K_METADATA;
	if (strncmp(norm, "uri:", 4) == 0)
		out->kind = K_METADATA;
	return true;
}

/* "yes", "true", "true()", "1" and their opposites; anything else is an expression. */
static int parse_required(struct cs_str s, bool *out)
{
	static const char *const yes[] = {"yes", "true", "true()", "1", NULL};
	static const char *const no[] = {"", "no", "false", "false()", "0", NULL};

	for (const char *const *k = yes; *k; k++)
		if (cs_str_eq_nocase(s, *k)) {
			*out = true;
			return 1;
		}
	for (const char *const *k = no; *k; k++)
		if (cs_str_eq_nocase(s, *k)) {
			*out = false;
			return 1;
		}
	*out = false;
	return 0;
}

/*
 * The relevance of a question: its own expression and those of the groups
 * around it, all of which must hold (XLSForm semantics), joined with "and".
 */
static const char *combine_relevant(struct form *f, const size_t *stack, size_t depth,
				    struct cs_str own)
{
	const char *parts[DEPTH_MAX + 1];
	size_t n = 0;
	struct cs_buf b;
	const char *out;

	for (size_t d = 0; d < depth; d++) {
		const struct group *g = cs_vec_at(&f->groups, stack[d]);

		if (g->relevant)
			parts[n++] = g->relevant;
	}
	if (n == 0)
		return own.len ? keep(f, own.ptr, own.len) : "";
	cs_buf_init(&b, 1 << 20);
	for (size_t i = 0; i < n; i++)
		if (cs_buf_addf(&b, NULL, "%s(%s)", i ? " and " : "", parts[i])) {
			cs_buf_release(&b);
			return NULL;
		}
	if (own.len && cs_buf_addf(&b, NULL, " and (%.*s)", (int)own.len, own.ptr)) {
		cs_buf_release(&b);
		return NULL;
	}
	if (n == 1 && !own.len) {
		cs_buf_release(&b);
		return parts[0];
	}
	out = keep(f, b.data, b.len);
	cs_buf_release(&b);
	return out;
}

/* The survey sheet: questions, groups, repeats, in order. */
static enum cs_err read_survey(struct form *f)
{
	static const char *const c_types[] = {"type", NULL}, *const c_names[] = {"name", NULL};
	static const char *const c_req[] = {"required", NULL};
	static const char *const c_rel[] = {"relevant", "relevance", NULL};
	static const char *const c_con[] = {"constraint", NULL};
	const struct sheet *sh = &f->survey;
	const struct column *cols = f->survey_cols;
	size_t n = f->survey_ncols, ct, cn, cvi, cen, creq, crel, ccon;
	size_t stack[DEPTH_MAX], depth = 0;
	bool *used;
	enum cs_err rc;

	ct = find_column(cols, n, c_types);
	cn = find_column(cols, n, c_names);
	if (ct == SIZE_MAX || cn == SIZE_MAX)
		return fail(f, CS_EPARSE, sh->name, row_at(sh, 0)->num,
			    "no '%s' column (a survey sheet has type, name and label)",
			    ct == SIZE_MAX ? "type" : "name");
	cvi = label_column(cols, n, f->lang_vi);
	cen = label_column(cols, n, f->lang_en);
	creq = find_column(cols, n, c_req);
	crel = find_column(cols, n, c_rel);
	ccon = find_column(cols, n, c_con);
	used = cs_arena_calloc(&f->arena, n ? n : 1, sizeof(*used));
	if (!used)
		return no_memory(f);
	used[ct] = used[cn] = true;
	if (cvi != SIZE_MAX)
		used[cvi] = true;
	if (cen != SIZE_MAX)
		used[cen] = true;
	if (creq != SIZE_MAX)
		used[creq] = true;
	if (crel != SIZE_MAX)
		used[crel] = true;
	if (ccon != SIZE_MAX)
		used[ccon] = true;

	for (size_t r = 1; r < sh->rows.len; r++) {
		const struct row *row = row_at(sh, r);
		struct cs_str type = cell(row, ct), name = cell(row, cn);
		struct cs_str vi = cell(row, cvi), en = cell(row, cen);
		struct parsed_type pt;
		struct pending *p;
		struct group *g;
		bool required = false;
		char *sname;

		if (!type.len) {
			if (name.len || vi.len)
				if ((rc = note_feature(f, F_NO_TYPE, "", sh->name, row->num, NULL)))
					return rc;
			continue;
		}
		sname = (char *)keep(f, name.ptr, name.len);
		if (!sname)
			return no_memory(f);
		if (!parse_type(f, type, &pt))
			return fail(
				f, CS_EPARSE, sh->name, row->num,
				"type '%.*s': expected select_one LIST or select_multiple LIST, "
				"optionally followed by or_other",
				(int)type.len, type.ptr);
		switch (pt.kind) {
		case K_BEGIN_GROUP:
		case K_BEGIN_REPEAT:
			if (depth == DEPTH_MAX)
				return fail(f, CS_ETOOBIG, sh->name, row->num,
					    "groups nested deeper than %d", DEPTH_MAX);
			g = cs_vec_push_zero(&f->groups, f->err);
			if (!g)
				return CS_ENOMEM;
			g->name = sname;
			g->label_vi = keep(f, vi.ptr, vi.len);
			g->label_en = keep(f, en.ptr, en.len);
			g->relevant = cell(row, crel).len
					      ? keep(f, cell(row, crel).ptr, cell(row, crel).len)
					      : NULL;
			g->row = row->num;
			g->repeat = pt.kind == K_BEGIN_REPEAT;
			g->all_five = true;
			if (!g->label_vi || !g->label_en || (cell(row, crel).len && !g->relevant))
				return no_memory(f);
			stack[depth++] = f->groups.len - 1;
			if (g->repeat &&
			    (rc = note_feature(f, F_REPEAT, "repeat", sh->name, row->num, sname)))
				return rc;
			continue;
		case K_END_GROUP:
		case K_END_REPEAT:
			if (depth == 0)
				return fail(f, CS_EPARSE, sh->name, row->num,
					    "%.*s without a begin before it", (int)type.len,
					    type.ptr);
			g = cs_vec_at(&f->groups, stack[depth - 1]);
			if (g->repeat != (pt.kind == K_END_REPEAT))
				return fail(f, CS_EPARSE, sh->name, row->num,
					    "%.*s closes %s '%s' (row %zu)", (int)type.len,
					    type.ptr, g->repeat ? "begin repeat" : "begin group",
					    g->name, g->row);
			depth--;
			continue;
		case K_METADATA:
			if ((rc = note_feature(f, F_METADATA, pt.name, sh->name, row->num, sname)))
				return rc;
			continue;
		case K_UNSUPPORTED:
			if ((rc = note_feature(f, F_TYPE, pt.name, sh->name, row->num, sname)))
				return rc;
			continue;
		case K_QUESTION:
			break;
		}
		if (!name.len)
			return fail(f, CS_EPARSE, sh->name, row->num,
				    "a question of type '%.*s' without a name", (int)type.len,
				    type.ptr);
		p = cs_vec_push_zero(&f->pending, f->err);
		if (!p)
			return CS_ENOMEM;
		p->row = row->num;
		p->group = depth ? stack[depth - 1] : SIZE_MAX;
		p->spec.code = sname;
		p->spec.type = pt.type;
		p->spec.role = CS_Q_ROLE_OTHER;
		p->spec.text_vi = keep(f, vi.ptr, vi.len);
		p->spec.text_en = keep(f, en.ptr, en.len);
		p->spec.relevant = combine_relevant(f, stack, depth, cell(row, crel));
		p->spec.constraint = keep(f, cell(row, ccon).ptr, cell(row, ccon).len);
		if (!p->spec.text_vi || !p->spec.text_en || !p->spec.relevant ||
		    !p->spec.constraint)
			return no_memory(f);
		if (!parse_required(cell(row, creq), &required)) {
			struct feature *ft;

			if ((rc = note_feature_at(f, F_REQUIRED, "required", sh->name, row->num,
						  sname, &ft)))
				return rc;
			if (!ft->extra)
				ft->extra = keep(f, cell(row, creq).ptr, cell(row, creq).len);
		}
		p->spec.required = required && pt.type != CS_Q_NOTE;
		if (pt.list.len) {
			p->list = find_list(f, pt.list);
			if (!p->list)
				return fail(f, CS_EPARSE, sh->name, row->num,
					    "list '%.*s' of question '%s' is not in the choices "
					    "sheet%s",
					    (int)pt.list.len, pt.list.ptr, sname,
					    f->choices.name ? "" : " (the workbook has none)");
			if (p->list->choices.len + pt.or_other > CS_Q_CHOICES_MAX)
				return fail(
					f, CS_ETOOBIG, sh->name, row->num,
					"list '%s' has %zu choices; a question takes at most %d",
					p->list->name, p->list->choices.len + pt.or_other,
					CS_Q_CHOICES_MAX);
			p->spec.choices = p->list->choices.data;
			p->spec.nchoices = p->list->choices.len;
			if (pt.or_other) {
				struct cs_q_choice *ch;
				bool has = false;

				if ((rc = note_feature(f, F_OR_OTHER, "or_other", sh->name,
						       row->num, sname)))
					return rc;
				for (size_t k = 0; k < p->spec.nchoices; k++)
					has = has || strcmp(p->spec.choices[k].value, "other") == 0;
				if (!has) {
					ch = cs_arena_calloc(&f->arena, p->spec.nchoices + 1,
							     sizeof(*ch));
					if (!ch)
						return no_memory(f);
					memcpy(ch, p->spec.choices, p->spec.nchoices * sizeof(*ch));
					ch[p->spec.nchoices] =
						(struct cs_q_choice){"other", "Khác", "Other"};
					p->spec.choices = ch;
					p->spec.nchoices++;
				}
			}
		}
		p->five = pt.type == CS_Q_SINGLE && p->spec.nchoices == 5 && !pt.or_other;
		if (p->group != SIZE_MAX && pt.type != CS_Q_NOTE) {
			g = cs_vec_at(&f->groups, p->group);
			g->questions++;
			g->all_five = g->all_five && p->five;
		}
	}
	if (depth) {
		const struct group *g = cs_vec_at(&f->groups, stack[depth - 1]);

		return fail(f, CS_EPARSE, sh->name, g->row, "%s '%s' is never ended",
			    g->repeat ? "begin repeat" : "begin group", g->name);
	}
	return warn_unused_columns(f, sh, cols, n, used);
}

/* Codes. */

static bool code_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/*
 * s as a code: runs of other characters become one '-', no '-' at either
 * end, at most CS_Q_CODE_MAX bytes; "form" when nothing is left.
 */
static const char *as_code(struct form *f, const char *s)
{
	char buf[CS_Q_CODE_MAX + 1];
	size_t n = 0;

	for (; *s && n < CS_Q_CODE_MAX; s++) {
		if (code_char(*s))
			buf[n++] = *s;
		else if (n && buf[n - 1] != '-')
			buf[n++] = '-';
	}
	while (n && buf[n - 1] == '-')
		n--;
	if (!n)
		return "form";
	return keep(f, buf, n);
}

/* The file name of label without directories and extension. */
static struct cs_str base_name(const char *label)
{
	const char *slash = strrchr(label, '/'), *start = slash ? slash + 1 : label;
	const char *dot = strrchr(start, '.');

	return cs_str_make(start, dot && dot > start ? (size_t)(dot - start) : strlen(start));
}

/* Reorders a five-level list by its values 1-5, or warns that order decides. */
static enum cs_err scale_choices(struct form *f, struct pending *p, const struct cs_q_choice **out)
{
	struct cs_q_choice *ch = cs_arena_calloc(&f->arena, 5, sizeof(*ch));
	bool seen[6] = {false};
	bool digits = true;

	if (!ch)
		return no_memory(f);
	for (size_t k = 0; k < 5 && digits; k++) {
		const char *v = p->spec.choices[k].value;

		digits = v[0] >= '1' && v[0] <= '5' && v[1] == '\0' && !seen[v[0] - '0'];
		if (digits) {
			seen[v[0] - '0'] = true;
			ch[v[0] - '1'] = p->spec.choices[k];
		}
	}
	if (!digits) {
		memcpy(ch, p->spec.choices, 5 * sizeof(*ch));
		if (note_feature(f, F_ORDER, p->list->name, f->choices.name, p->list->row, NULL))
			return CS_ENOMEM;
	}
	*out = ch;
	return CS_OK;
}

/* Builds the questionnaire from what the sheets held (M3.1: groups of five-level items). */
static enum cs_err build(struct form *f, struct cs_questionnaire **out)
{
	struct cs_q_info info = {0};
	struct cs_questionnaire *q;
	const char **element_of;
	size_t nelements = 0;
	struct cs_str base;
	enum cs_err rc = CS_OK;
	char note[300];

	if (f->form_id) {
		info.code = as_code(f, f->form_id);
		if (!info.code)
			return no_memory(f);
		if (strcmp(info.code, f->form_id) != 0)
			warn(f, f->settings.name, row_at(&f->settings, 1)->num,
			     "form_id '%s' is not a code (letters, digits, '_', '-', '.'); the "
			     "questionnaire's code is '%s'",
			     f->form_id, info.code);
	} else {
		const char *file;

		base = base_name(f->label);
		file = keep(f, base.ptr, base.len);
		info.code = file ? as_code(f, file) : NULL;
		if (!info.code)
			return no_memory(f);
		warn(f, f->settings.name, 0,
		     "%s; the questionnaire's code is '%s', from the file name",
		     f->settings.name ? "no form_id in the settings" : "no settings sheet",
		     info.code);
	}
	info.title = f->form_title ? f->form_title : f->form_id ? f->form_id : info.code;
	/* A form without a version gets "1", so that it can be stored and
	 * named by survey waves; a changed form then needs a version. */
	info.version = f->version ? f->version : "1";
	base = base_name(f->label);
	snprintf(note, sizeof(note), "Imported from the XLSForm %.*s.", (int)base.len, base.ptr);
	info.note = note;

	/* Elements: groups whose questions are all five-level. */
	element_of =
		cs_arena_calloc(&f->arena, f->groups.len ? f->groups.len : 1, sizeof(*element_of));
	if (!element_of)
		return no_memory(f);
	q = cs_questionnaire_new(&info, f->err);
	if (!q)
		return CS_ENOMEM;
	for (size_t i = 0; i < f->groups.len && !rc; i++) {
		struct group *g = cs_vec_at(&f->groups, i);
		struct cs_q_element el;

		if (g->repeat || !g->questions || !g->all_five)
			continue;
		el.code = as_code(f, *g->name ? g->name : "group");
		if (!el.code) {
			rc = no_memory(f);
			break;
		}
		el.title_vi = *g->label_vi ? g->label_vi : *g->name ? g->name : el.code;
		el.title_en = *g->label_en ? g->label_en : el.title_vi;
		element_of[i] = el.code;
		rc = cs_questionnaire_add_element(q, &el, f->err);
		if (rc == CS_ETOOBIG)
			rc = fail(f, rc, f->survey.name, g->row, "%s", f->err->msg);
		nelements++;
	}
	for (size_t i = 0; i < f->pending.len && !rc; i++) {
		struct pending *p = cs_vec_at(&f->pending, i);

		if (p->group != SIZE_MAX && element_of[p->group] && p->five) {
			p->spec.element = element_of[p->group];
			p->spec.type = CS_Q_LIKERT5;
			p->spec.role = CS_Q_ROLE_SATISFACTION;
			if ((rc = scale_choices(f, p, &p->spec.choices)))
				break;
		}
		rc = cs_questionnaire_add_item(q, &p->spec, f->err);
		if (rc == CS_ETOOBIG)
			rc = fail(f, rc, f->survey.name, p->row, "%s", f->err->msg);
	}
	if (!rc)
		flush_features(f);
	if (!rc && !nelements)
		warn(f, f->survey.name, 0,
		     "no group of five-level questions (select_one of a list of 5 choices): the "
		     "questionnaire has no elements and gives no satisfaction index");
	if (!rc) {
		rc = cs_questionnaire_validate(q, f->err);
		if (rc == CS_EINVAL)
			cs_error_prefix(f->err, "%s", f->label);
	}
	if (rc) {
		cs_questionnaire_free(q);
		return rc;
	}
	*out = q;
	return CS_OK;
}

/* Sheets. */

static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[16], cur[16];

	if (la >= 15 || lb >= 15)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

/* Finds survey, choices and settings; warns about every other sheet. */
static enum cs_err find_sheets(struct form *f, size_t idx[3])
{
	static const char *const wanted[3] = {"survey", "choices", "settings"};
	size_t n = cs_xlsx_sheet_count(f->x);
	char lname[64];

	idx[0] = idx[1] = idx[2] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		const char *name = cs_xlsx_sheet_name(f->x, i);

		for (int w = 0; w < 3; w++)
			if (idx[w] == SIZE_MAX && cs_str_eq_nocase(cs_str_from(name), wanted[w]))
				idx[w] = i;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = cs_xlsx_sheet_name(f->x, i), *hint = NULL;
		size_t k = 0;

		if (i == idx[0] || i == idx[1] || i == idx[2])
			continue;
		for (; name[k] && k + 1 < sizeof(lname); k++)
			lname[k] = lower(name[k]);
		lname[k] = '\0';
		if (strcmp(lname, "external_choices") == 0)
			hint = "(choices of select_one_external) is not supported; ignored";
		else if (strcmp(lname, "entities") == 0)
			hint = "(ODK entities) is not supported; ignored";
		else if (strcmp(lname, "osm") == 0)
			hint = "(OpenStreetMap tags) is not supported; ignored";
		if (hint) {
			warn(f, name, 0, "sheet '%s' %s", name, hint);
			continue;
		}
		for (int w = 0; w < 3 && !hint; w++)
			if (idx[w] == SIZE_MAX && distance(lname, wanted[w]) <= 2)
				hint = wanted[w];
		if (hint)
			warn(f, name, 0, "sheet '%s' is not read; did you mean '%s'?", name, hint);
		else
			warn(f, name, 0, "sheet '%s' is not part of an XLSForm; ignored", name);
	}
	if (idx[0] == SIZE_MAX)
		return fail(f, CS_EPARSE, NULL, 0,
			    "no 'survey' sheet: this is not an XLSForm (its first sheet is '%s')",
			    cs_xlsx_sheet_name(f->x, 0));
	return CS_OK;
}

enum cs_err cs_xlsform_read(const char *label, const void *data, size_t len,
			    struct cs_questionnaire **out, struct cs_vec *warnings,
			    struct cs_error *err)
{
	struct form f = {.label = label ? label : "<input>", .err = err, .warnings = warnings};
	size_t idx[3];
	enum cs_err rc;

	*out = NULL;
	cs_arena_init(&f.arena, 0);
	cs_arena_set_max(&f.arena, TEXT_MAX);
	cs_buf_init(&f.tmp, 4 * CS_XLSX_MAX_TEXT);
	cs_vec_init(&f.survey.rows, sizeof(struct row), 0);
	cs_vec_init(&f.choices.rows, sizeof(struct row), 0);
	cs_vec_init(&f.settings.rows, sizeof(struct row), 0);
	cs_vec_init(&f.features, sizeof(struct feature), 0);
	cs_vec_init(&f.lists, sizeof(struct clist), 0);
	cs_vec_init(&f.groups, sizeof(struct group), 0);
	cs_vec_init(&f.pending, sizeof(struct pending), 0);

	rc = cs_xlsx_open(f.label, data, len, &f.x, err);
	if (rc)
		goto out;
	if ((rc = find_sheets(&f, idx)))
		goto out;
	if ((rc = read_sheet(&f, idx[0], &f.survey)))
		goto out;
	if (idx[2] != SIZE_MAX && (rc = read_sheet(&f, idx[2], &f.settings)))
		goto out;
	if (idx[1] != SIZE_MAX && (rc = read_sheet(&f, idx[1], &f.choices)))
		goto out;
	if (f.survey.rows.len == 0) {
		rc = fail(&f, CS_EPARSE, f.survey.name, 0, "the survey sheet is empty");
		goto out;
	}
	if ((rc = read_settings(&f)))
		goto out;
	/* The languages are picked on the survey sheet; choices follow them. */
	if ((rc = read_header(&f, &f.survey, &f.survey_cols, &f.survey_ncols)))
		goto out;
	pick_languages(&f, f.survey_cols, f.survey_ncols);
	if ((rc = read_choices(&f)) || (rc = read_survey(&f)))
		goto out;
	rc = build(&f, out);
out:
	for (size_t i = 0; i < f.lists.len; i++)
		cs_vec_release(&((struct clist *)cs_vec_at(&f.lists, i))->choices);
	cs_vec_release(&f.survey.rows);
	cs_vec_release(&f.choices.rows);
	cs_vec_release(&f.settings.rows);
	cs_vec_release(&f.features);
	cs_vec_release(&f.lists);
	cs_vec_release(&f.groups);
	cs_vec_release(&f.pending);
	cs_buf_release(&f.tmp);
	cs_arena_release(&f.arena);
	cs_xlsx_free(f.x);
	return rc;
}
