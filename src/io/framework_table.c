/*
 * The PAR framework table: a reader of CSV and XLSX rows (one node per row)
 * that checks each cell and names its place, a CSV writer, the table forms of
 * rule parameters and applies_to lists, and the named band sets of M2.5.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/framework_json.h"
#include "io/framework_table.h"
#include "io/xlsx.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Longest cell read from a CSV file; the checks below are stricter per column. */
#define FIELD_MAX (64u * 1024)

#define EXPECTED_COLUMNS                                                            \
	"expected columns code,parent,title,max_points,source,rule and optionally " \
	"params,applies_to"
#define CODE_EXPECTED "expected 1 to 64 letters A-Z a-z, digits 0-9, '.', '_' or '-'"
#define FLAG_EXPECTED "expected letters a-z, digits 0-9, '_' or '-'"
#define LEVELS "ministry, province, department, district, commune or other"

enum col {
	COL_CODE,
	COL_PARENT,
	COL_TITLE,
	COL_MAX,
	COL_SOURCE,
	COL_RULE,
	COL_PARAMS,
	COL_APPLIES,
	COL_COUNT
};

static const struct {
	const char *name;
	bool required;
} columns[COL_COUNT] = {
	[COL_CODE] = {"code", true},	  [COL_PARENT] = {"parent", true},
	[COL_TITLE] = {"title", true},	  [COL_MAX] = {"max_points", true},
	[COL_SOURCE] = {"source", true},  [COL_RULE] = {"rule", true},
	[COL_PARAMS] = {"params", false}, [COL_APPLIES] = {"applies_to", false},
};

void cs_fw_table_lines_release(struct cs_fw_table_lines *l)
{
	if (!l)
		return;
	cs_free(l->lines);
	l->lines = NULL;
	l->n = 0;
}

/* One cell as both readers give it. */
struct cell {
	struct cs_str text;
	enum cs_xlsx_type type; /* CSV cells are CS_XLSX_STRING (or EMPTY) */
};

struct parser {
	const char *name;
	bool xlsx;
	struct cs_framework *fw;
	bool have_header;
	size_t nfields;		      /* header fields, and so fields of every CSV row */
	unsigned field_of[COL_COUNT]; /* 1-based field of each column, 0 when absent */
	struct cs_vec lines;	      /* of size_t, one per node */
	struct cs_arena arena;	      /* cell text of the current file */
	struct cs_buf nfc;
};

/* "name:line:col", or "name:row:col (cell C5)" for a workbook. */
static const char *where(const struct parser *p, size_t line, unsigned col, char out[300])
{
	char cell[CS_XLSX_COL_LEN];

	if (!p->xlsx) {
		snprintf(out, 300, "%s:%zu:%u", p->name, line, col);
	} else {
		cs_xlsx_col_name(col, cell);
		snprintf(out, 300, "%s:%zu:%u (cell %s%zu)", p->name, line, col, cell, line);
	}
	return out;
}

/* A value for a message: at most 40 bytes, cut at a character boundary, controls escaped. */
static const char *show(struct cs_str s, char out[200])
{
	size_t n = s.len, o = 0;

	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s.ptr[i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, 200 - o, "\\x%02X", c);
		else
			out[o++] = (char)c;
	}
	if (n < s.len)
		o += (size_t)snprintf(out + o, 200 - o, "...");
	out[o] = '\0';
	return out;
}

static enum cs_err header(struct parser *p, size_t line, const struct cell *cells, size_t n,
			  struct cs_error *err)
{
	char w[300], v[200];
	size_t bad;

	for (size_t i = 0; i < n; i++)
		if (!cs_utf8_valid(cells[i].text.ptr, cells[i].text.len, &bad))
			return cs_fail(err, CS_EUTF8,
				       "%s: invalid UTF-8 in the header at byte %zu of the cell; "
				       "save the file as UTF-8",
				       where(p, line, (unsigned)i + 1, w), bad + 1);
	if (n == 1 && memchr(cells[0].text.ptr, ';', cells[0].text.len))
		return cs_fail(
			err, CS_EPARSE,
			"%s:%zu: the header '%s' is separated by ';'; save the file with ',' "
			"between columns (in Excel: CSV UTF-8, comma delimited)",
			p->name, line, show(cells[0].text, v));
	for (size_t i = 0; i < n; i++) {
		struct cs_str h = cs_str_trim(cells[i].text);
		unsigned fld = (unsigned)i + 1;
		int c = 0;

		if (h.len == 0)
			return cs_fail(err, CS_EPARSE,
				       "%s: column %u of the header has no name; %s",
				       where(p, line, fld, w), fld, EXPECTED_COLUMNS);
		while (c < COL_COUNT && !cs_str_eq_nocase(h, columns[c].name))
			c++;
		if (c == COL_COUNT)
			return cs_fail(err, CS_EPARSE, "%s: unknown column '%s'; %s",
				       where(p, line, fld, w), show(h, v), EXPECTED_COLUMNS);
		if (p->field_of[c])
			return cs_fail(err, CS_EPARSE,
				       "%s: duplicate column '%s' (first in column %u)",
				       where(p, line, fld, w), columns[c].name, p->field_of[c]);
		p->field_of[c] = fld;
	}
	for (int c = 0; c < COL_COUNT; c++)
		if (columns[c].required && !p->field_of[c])
			return cs_fail(err, CS_EPARSE, "%s:%zu: missing column '%s'; %s", p->name,
				       line, columns[c].name, EXPECTED_COLUMNS);
	p->nfields = n;
	p->have_header = true;
	return CS_OK;
}

/* The row being read: each column's cell, checked UTF-8, NFC, trimmed, in the arena. */
struct row {
	size_t line;
	const char *val[COL_COUNT]; /* "" when absent or empty */
	enum cs_xlsx_type type[COL_COUNT];
	const char *code; /* for messages */
};

static enum cs_err take_cell(struct parser *p, struct row *r, enum col c, const struct cell *cell,
			     struct cs_error *err)
{
	unsigned fld = p->field_of[c];
	char w[300];
	struct cs_str t;
	size_t bad;
	enum cs_err rc;
	char *copy;

	r->type[c] = cell->type;
	if (!cs_utf8_valid(cell->text.ptr, cell->text.len, &bad))
		return cs_fail(err, CS_EUTF8,
			       "%s: invalid UTF-8 in column '%s' at byte %zu of the cell; save the "
			       "file as UTF-8",
			       where(p, r->line, fld, w), columns[c].name, bad + 1);
	cs_buf_reset(&p->nfc);
	rc = cs_utf8_nfc(cell->text.ptr, cell->text.len, &p->nfc, err);
	if (rc) {
		cs_error_prefix(err, "%s: column '%s'", where(p, r->line, fld, w), columns[c].name);
		return rc;
	}
	t = cs_str_trim(cs_str_make(p->nfc.data, p->nfc.len));
	copy = cs_arena_strndup(&p->arena, t.ptr, t.len);
	if (!copy)
		return cs_fail(err, CS_ENOMEM, NULL);
	r->val[c] = copy;
	return CS_OK;
}

static enum cs_err check_code(const struct parser *p, const struct row *r, enum col c,
			      const char *what, struct cs_error *err)
{
	char w[300], v[200];
	const char *s = r->val[c];

	if (cs_fw_code_valid(s, strlen(s)))
		return CS_OK;
	return cs_fail(err, CS_EPARSE, "%s: %s '%s': %s", where(p, r->line, p->field_of[c], w),
		       what, show(cs_str_from(s), v), CODE_EXPECTED);
}

/*
 * A title: each run of white space (an Alt+Enter in an Excel cell included)
 * becomes one space; other control characters are refused.
 */
static enum cs_err tidy_title(const struct parser *p, struct row *r, struct cs_error *err)
{
	char *s = (char *)r->val[COL_TITLE];
	size_t o = 0, n = strlen(s);
	char w[300];

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool space =
			c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';

		if (!space && (c < 0x20 || c == 0x7f))
			return cs_fail(err, CS_EPARSE,
				       "%s: title of node '%s' holds the control character U+%04X",
				       where(p, r->line, p->field_of[COL_TITLE], w), r->code, c);
		if (space && o > 0 && s[o - 1] == ' ')
			continue;
		s[o++] = space ? ' ' : (char)c;
	}
	s[o] = '\0';
	if (o > CS_FW_TEXT_MAX)
		return cs_fail(
			err, CS_ETOOBIG, "%s: title of node '%s' is %zu bytes long; at most %d",
			where(p, r->line, p->field_of[COL_TITLE], w), r->code, o, CS_FW_TEXT_MAX);
	return CS_OK;
}

static const char *type_name(enum cs_xlsx_type t)
{
	switch (t) {
	case CS_XLSX_BOOL:
		return "a TRUE/FALSE cell";
	case CS_XLSX_ERROR:
		return "an error cell";
	case CS_XLSX_DATE:
		return "a date cell";
	default:
		return "a cell";
	}
}

static enum cs_err read_max(const struct parser *p, const struct row *r, double *max,
			    struct cs_error *err)
{
	const char *s = r->val[COL_MAX];
	enum cs_xlsx_type t = r->type[COL_MAX];
	char w[300], v[200];

	*max = NAN;
	if (!*s)
		return CS_OK;
	if (t == CS_XLSX_BOOL || t == CS_XLSX_ERROR || t == CS_XLSX_DATE)
		return cs_fail(err, CS_EPARSE,
			       "%s: max_points of node '%s': expected a number such as 14.5 or "
			       "14,5, found %s '%s'",
			       where(p, r->line, p->field_of[COL_MAX], w), r->code, type_name(t),
			       show(cs_str_from(s), v));
	if (cs_str_to_double(cs_str_from(s), true, max, NULL) != CS_OK)
		return cs_fail(err, CS_EPARSE,
			       "%s: max_points of node '%s': expected a number such as 14.5 or "
			       "14,5, found '%s'",
			       where(p, r->line, p->field_of[COL_MAX], w), r->code,
			       show(cs_str_from(s), v));
	return CS_OK;
}

/* Source and rule names: any one line of at most CS_FW_NAME_MAX bytes, in lower case. */
static enum cs_err read_name(const struct parser *p, const struct row *r, enum col c,
			     const char **out, struct cs_error *err)
{
	char *s = (char *)r->val[c];
	size_t n = strlen(s);
	char w[300], v[200];

	*out = NULL;
	if (n == 0)
		return CS_OK;
	if (n > CS_FW_NAME_MAX)
		return cs_fail(err, CS_EPARSE,
			       "%s: %s of node '%s' is %zu bytes long ('%s'); at most %d",
			       where(p, r->line, p->field_of[c], w), columns[c].name, r->code, n,
			       show(cs_str_from(s), v), CS_FW_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20)
			return cs_fail(
				err, CS_EPARSE, "%s: %s of node '%s' holds a control character",
				where(p, r->line, p->field_of[c], w), columns[c].name, r->code);
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	}
	*out = s;
	return CS_OK;
}

static bool key_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/*
 * Splits "key=value;key=value" into items. Empty items are skipped; each
 * other item needs a key of letters, digits and '_', and an '='. The pieces
 * are NUL-terminated in place (s is the row's copy).
 */
static enum cs_err split_pairs(const struct parser *p, const struct row *r, enum col c,
			       struct cs_rule_param *pairs, size_t max, size_t *n,
			       struct cs_error *err)
{
	char *s = (char *)r->val[c];
	char w[300], v[200];

	*n = 0;
	while (*s) {
		char *end = strchr(s, ';'), *eq;
		struct cs_str key, val;

		if (end)
			*end = '\0';
		eq = strchr(s, '=');
		key = cs_str_trim(cs_str_make(s, eq ? (size_t)(eq - s) : strlen(s)));
		if (key.len == 0 && !eq) {
			s = end ? end + 1 : s + strlen(s);
			continue;
		}
		if (!eq || key.len == 0)
			return cs_fail(err, CS_EPARSE,
				       "%s: %s of node '%s': item '%s' is not key=value (items are "
				       "separated by ';', e.g. bounds=1,0.8;points=1,0.5)",
				       where(p, r->line, p->field_of[c], w), columns[c].name,
				       r->code, show(cs_str_trim(cs_str_from(s)), v));
		for (size_t i = 0; i < key.len; i++)
			if (!key_char((unsigned char)key.ptr[i]))
				return cs_fail(
					err, CS_EPARSE,
					"%s: %s of node '%s': name '%s' may use only letters, "
					"digits and '_'",
					where(p, r->line, p->field_of[c], w), columns[c].name,
					r->code, show(key, v));
		if (*n == max)
			return cs_fail(err, CS_ETOOBIG, "%s: %s of node '%s': more than %zu items",
				       where(p, r->line, p->field_of[c], w), columns[c].name,
				       r->code, max);
		val = cs_str_trim(cs_str_from(eq + 1));
		((char *)key.ptr)[key.len] = '\0';
		((char *)val.ptr)[val.len] = '\0';
		pairs[(*n)++] = (struct cs_rule_param){key.ptr, val.ptr};
		if (!end)
			break;
		s = end + 1;
	}
	return CS_OK;
}

/* The applies_to cell: levels=a,b;flags=c;not_flags=d. */
static enum cs_err read_applies(struct parser *p, const struct row *r, struct cs_fw_applies *out,
				size_t *n, struct cs_error *err)
{
	static const char *const keys[] = {"levels", "flags", "not_flags"};
	static const enum cs_fw_applies_kind kinds[] = {CS_APPLIES_LEVEL, CS_APPLIES_FLAG,
							CS_APPLIES_NOT_FLAG};
	struct cs_rule_param pairs[3 * CS_FW_APPLIES_MAX];
	unsigned fld = p->field_of[COL_APPLIES];
	char w[300], v[200];
	size_t np;
	enum cs_err rc;

	*n = 0;
	rc = split_pairs(p, r, COL_APPLIES, pairs, 3 * CS_FW_APPLIES_MAX, &np, err);
	for (size_t i = 0; !rc && i < np; i++) {
		struct cs_str rest = cs_str_from(pairs[i].value), item;
		int k = 0;

		while (k < 3 && strcmp(pairs[i].key, keys[k]) != 0)
			k++;
		if (k == 3)
			return cs_fail(
				err, CS_EPARSE,
				"%s: applies_to of node '%s': unknown key '%s' (expected levels, "
				"flags or not_flags)",
				where(p, r->line, fld, w), r->code,
				show(cs_str_from(pairs[i].key), v));
		while (cs_str_next(&rest, ',', &item)) {
			struct cs_fw_applies a = {.kind = kinds[k]};

			item = cs_str_trim(item);
			if (item.len == 0)
				continue;
			if (*n == CS_FW_APPLIES_MAX)
				return cs_fail(err, CS_ETOOBIG,
					       "%s: applies_to of node '%s': more than %d items",
					       where(p, r->line, fld, w), r->code,
					       CS_FW_APPLIES_MAX);
			if (kinds[k] == CS_APPLIES_LEVEL) {
				if (!cs_level_parse(item, &a.level))
					return cs_fail(
						err, CS_EPARSE,
						"%s: applies_to of node '%s': unknown level '%s' "
						"(expected %s)",
						where(p, r->line, fld, w), r->code, show(item, v),
						LEVELS);
			} else {
				char *flag = (char *)item.ptr;

				for (size_t j = 0; j < item.len; j++) {
					unsigned char c = (unsigned char)flag[j];

					if (c >= 'A' && c <= 'Z')
						flag[j] = (char)(c - 'A' + 'a');
					else if (!((c >= 'a' && c <= 'z') ||
						   (c >= '0' && c <= '9') || c == '_' || c == '-'))
						return cs_fail(
							err, CS_EPARSE,
							"%s: applies_to of node '%s': flag '%s': "
							"%s",
							where(p, r->line, fld, w), r->code,
							show(item, v), FLAG_EXPECTED);
				}
				if (item.len > CS_FW_CODE_MAX)
					return cs_fail(
						err, CS_EPARSE,
						"%s: applies_to of node '%s': flag '%s' is longer "
						"than %d bytes",
						where(p, r->line, fld, w), r->code, show(item, v),
						CS_FW_CODE_MAX);
				/* The item is followed by ',' or the end: cut it there. */
				a.flag = cs_arena_strndup(&p->arena, item.ptr, item.len);
				if (!a.flag)
					return cs_fail(err, CS_ENOMEM, NULL);
			}
			out[(*n)++] = a;
		}
	}
	return rc;
}

static enum cs_err node_row(struct parser *p, size_t line, const struct cell *cells, size_t n,
			    struct cs_error *err)
{
	static const struct cell none = {{"", 0}, CS_XLSX_EMPTY};
	struct cs_rule_param params[CS_FW_PARAMS_MAX];
	struct cs_fw_applies applies[CS_FW_APPLIES_MAX];
	struct cs_fw_node_spec spec = {0};
	struct row r = {.line = line};
	bool empty = true;
	char w[300], v[200];
	enum cs_err rc;

	for (size_t i = 0; i < n && empty; i++)
		empty = cs_str_trim(cells[i].text).len == 0;
	if (empty)
		return CS_OK; /* rows of empty cells (",,,") are skipped like blank lines */
	if (!p->xlsx && n != p->nfields)
		return cs_fail(err, CS_EPARSE,
			       "%s:%zu: row has %zu field%s; expected %zu, one per header column",
			       p->name, line, n, n == 1 ? "" : "s", p->nfields);
	for (size_t i = p->nfields; i < n; i++)
		if (cs_str_trim(cells[i].text).len)
			return cs_fail(err, CS_EPARSE,
				       "%s: a value in a column the header does not name ('%s')",
				       where(p, line, (unsigned)i + 1, w),
				       show(cs_str_trim(cells[i].text), v));
	for (int c = 0; c < COL_COUNT; c++) {
		unsigned f = p->field_of[c];

		r.val[c] = "";
		if (f && (rc = take_cell(p, &r, (enum col)c, f <= n ? &cells[f - 1] : &none, err)))
			return rc;
	}
	r.code = r.val[COL_CODE];
	if (!*r.code)
		return cs_fail(err, CS_EPARSE, "%s: empty node code; %s",
			       where(p, line, p->field_of[COL_CODE], w), CODE_EXPECTED);
	if ((rc = check_code(p, &r, COL_CODE, "node code", err)))
		return rc;
	if (*r.val[COL_PARENT] && (rc = check_code(p, &r, COL_PARENT, "parent code", err)))
		return rc;
	if ((rc = tidy_title(p, &r, err)) || (rc = read_max(p, &r, &spec.max, err)) ||
	    (rc = read_name(p, &r, COL_SOURCE, &spec.source, err)) ||
	    (rc = read_name(p, &r, COL_RULE, &spec.rule, err)) ||
	    (rc = split_pairs(p, &r, COL_PARAMS, params, CS_FW_PARAMS_MAX, &spec.nparams, err)) ||
	    (rc = read_applies(p, &r, applies, &spec.napplies, err)))
		return rc;
	for (size_t i = 0; i < spec.nparams; i++)
		if (strlen(params[i].value) > CS_FW_VALUE_MAX)
			return cs_fail(
				err, CS_EPARSE,
				"%s: params of node '%s': value of '%s' is longer than %d bytes",
				where(p, line, p->field_of[COL_PARAMS], w), r.code, params[i].key,
				CS_FW_VALUE_MAX);
	spec.code = r.code;
	spec.parent = *r.val[COL_PARENT] ? r.val[COL_PARENT] : NULL;
	spec.title = r.val[COL_TITLE];
	spec.params = params;
	spec.applies = applies;
	rc = cs_framework_add_node(p->fw, &spec, NULL, err);
	if (rc) {
		cs_error_prefix(err, "%s:%zu", p->name, line);
		return rc;
	}
	return cs_vec_push(&p->lines, &line, err);
}

static enum cs_err csv_row(void *ctx, size_t line, const struct cs_str *fields, size_t n,
			   struct cs_error *err)
{
	struct parser *p = ctx;
	struct cell *cells = cs_calloc(n ? n : 1, sizeof(*cells));
	enum cs_err rc;

	if (!cells)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++)
		cells[i] = (struct cell){fields[i], fields[i].len ? CS_XLSX_STRING : CS_XLSX_EMPTY};
	rc = p->have_header ? node_row(p, line, cells, n, err) : header(p, line, cells, n, err);
	cs_free(cells);
	return rc;
}

static enum cs_err xlsx_row(void *ctx, size_t row, const struct cs_xlsx_cell *xc, size_t n,
			    struct cs_error *err)
{
	struct parser *p = ctx;
	struct cell *cells = cs_calloc(n ? n : 1, sizeof(*cells));
	enum cs_err rc;

	if (!cells)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++)
		cells[i] = (struct cell){cs_str_make(xc[i].text, xc[i].len), xc[i].type};
	rc = p->have_header ? node_row(p, row, cells, n, err) : header(p, row, cells, n, err);
	cs_free(cells);
	return rc;
}

struct code_line {
	const char *code;
	size_t line, index;
};

static int compare_code_line(const void *pa, const void *pb)
{
	const struct code_line *a = pa, *b = pb;
	int c = strcmp(a->code, b->code);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The first repeated code in file order, naming both lines. */
static enum cs_err check_duplicates(const struct parser *p, struct cs_error *err)
{
	size_t n = cs_framework_node_count(p->fw), best = CS_FW_NONE, first = 0, bline = 0;
	struct code_line *cl;
	enum cs_err rc = CS_OK;
	char w[300];

	if (n < 2)
		return CS_OK;
	cl = cs_calloc(n, sizeof(*cl));
	if (!cl)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++)
		cl[i] = (struct code_line){cs_framework_node(p->fw, i)->code,
					   *(size_t *)cs_vec_at(&p->lines, i), i};
	qsort(cl, n, sizeof(*cl), compare_code_line);
	for (size_t i = 1; i < n; i++)
		if (strcmp(cl[i].code, cl[i - 1].code) == 0 &&
		    (i < 2 || strcmp(cl[i].code, cl[i - 2].code) != 0) &&
		    (best == CS_FW_NONE || cl[i].index < best)) {
			best = cl[i].index;
			bline = cl[i].line;
			first = cl[i - 1].line;
		}
	if (best != CS_FW_NONE)
		rc = cs_fail(err, CS_EPARSE, "%s: duplicate node code '%s' (%s %zu has it too)",
			     where(p, bline, p->field_of[COL_CODE], w),
			     cs_framework_node(p->fw, best)->code, p->xlsx ? "row" : "line", first);
	cs_free(cl);
	return rc;
}

static void parser_init(struct parser *p, const char *name, bool xlsx)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->xlsx = xlsx;
	cs_vec_init(&p->lines, sizeof(size_t), CS_FW_NODES_MAX);
	cs_arena_init(&p->arena, 0);
	cs_buf_init(&p->nfc, 3 * FIELD_MAX);
}

/* Hands over the framework and lines when rc is CS_OK, and frees the rest. */
static enum cs_err parser_finish(struct parser *p, enum cs_err rc, struct cs_framework **out,
				 struct cs_fw_table_lines *lines, struct cs_error *err)
{
	if (!rc && !p->have_header)
		rc = cs_fail(err, CS_EPARSE, "%s: empty file (%s)", p->name, EXPECTED_COLUMNS);
	if (!rc)
		rc = check_duplicates(p, err);
	if (!rc) {
		*out = p->fw;
		p->fw = NULL;
		if (lines) {
			lines->n = p->lines.len;
			lines->lines = p->lines.data;
			p->lines.data = NULL;
		}
	}
	cs_framework_free(p->fw);
	cs_vec_release(&p->lines);
	cs_arena_release(&p->arena);
	cs_buf_release(&p->nfc);
	return rc;
}

static enum cs_err start(struct parser *p, const struct cs_fw_info *info, struct cs_framework **out,
			 struct cs_fw_table_lines *lines, struct cs_error *err)
{
	*out = NULL;
	if (lines) {
		lines->lines = NULL;
		lines->n = 0;
	}
	p->fw = cs_framework_new(info, err);
	return p->fw ? CS_OK : CS_ENOMEM;
}

enum cs_err cs_framework_table_parse_csv(const char *name, const char *data, size_t len,
					 const struct cs_fw_info *info, struct cs_framework **out,
					 struct cs_fw_table_lines *lines, struct cs_error *err)
{
	struct parser p;
	enum cs_err rc;

	parser_init(&p, name, false);
	rc = start(&p, info, out, lines, err);
	if (!rc && len > CS_FW_TABLE_MAX)
		rc = cs_fail(err, CS_ETOOBIG, "%s: %zu bytes is larger than the limit of %u bytes",
			     name, len, CS_FW_TABLE_MAX);
	if (!rc)
		rc = cs_csv_read(name, data, len, FIELD_MAX, csv_row, &p, err);
	return parser_finish(&p, rc, out, lines, err);
}

enum cs_err cs_framework_table_parse_xlsx(const char *name, const void *data, size_t len,
					  const struct cs_fw_info *info, struct cs_framework **out,
					  struct cs_fw_table_lines *lines, struct cs_error *err)
{
	struct cs_xlsx *x = NULL;
	struct parser p;
	size_t sheet = 0;
	enum cs_err rc;

	parser_init(&p, name, true);
	rc = start(&p, info, out, lines, err);
	if (!rc && len > CS_FW_TABLE_MAX)
		rc = cs_fail(err, CS_ETOOBIG, "%s: %zu bytes is larger than the limit of %u bytes",
			     name, len, CS_FW_TABLE_MAX);
	if (!rc)
		rc = cs_xlsx_open(name, data, len, &x, err);
	if (!rc && cs_xlsx_find_sheet(x, CS_FW_TABLE_SHEET, &sheet, NULL) != CS_OK)
		sheet = 0;
	if (!rc)
		rc = cs_xlsx_read_sheet(x, sheet, xlsx_row, &p, err);
	cs_xlsx_free(x);
	return parser_finish(&p, rc, out, lines, err);
}

/* ---- writing ---- */

static enum cs_err put_field(struct cs_buf *b, const char *s, struct cs_error *err)
{
	enum cs_err rc;

	if (!strpbrk(s, ",\"\r\n"))
		return cs_buf_addstr(b, s, err);
	rc = cs_buf_addc(b, '"', err);
	for (; !rc && *s; s++)
		rc = *s == '"' ? cs_buf_add(b, "\"\"", 2, err) : cs_buf_addc(b, *s, err);
	return rc ? rc : cs_buf_addc(b, '"', err);
}

enum cs_err cs_fw_params_text(const struct cs_fw_node *node, struct cs_buf *out,
			      struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	for (size_t i = 0; !rc && i < node->nparams; i++)
		rc = cs_buf_addf(out, err, "%s%s=%s", i ? ";" : "", node->params[i].key,
				 node->params[i].value);
	return rc;
}

enum cs_err cs_fw_applies_text(const struct cs_fw_node *node, struct cs_buf *out,
			       struct cs_error *err)
{
	static const char *const keys[] = {"levels", "flags", "not_flags"};
	static const enum cs_fw_applies_kind kinds[] = {CS_APPLIES_LEVEL, CS_APPLIES_FLAG,
							CS_APPLIES_NOT_FLAG};
	enum cs_err rc = CS_OK;
	bool any = false;

	for (int k = 0; !rc && k < 3; k++) {
		bool first = true;

		for (size_t i = 0; !rc && i < node->napplies; i++) {
			const struct cs_fw_applies *a = &node->applies[i];
			const char *name;

			if (a->kind != kinds[k])
				continue;
			name = a->kind == CS_APPLIES_LEVEL ? cs_level_name(a->level) : a->flag;
			rc = cs_buf_addf(out, err, "%s%s%s", first ? (any ? ";" : "") : ",",
					 first ? keys[k] : "", first ? "=" : "");
			if (!rc)
				rc = cs_buf_addstr(out, name ? name : "", err);
			first = false;
			any = true;
		}
	}
	return rc;
}

enum cs_err cs_framework_table_write_csv(const struct cs_framework *fw, struct cs_buf *out,
					 struct cs_error *err)
{
	size_t n = cs_framework_node_count(fw);
	bool any_applies = false;
	struct cs_buf cell;
	enum cs_err rc;

	for (size_t i = 0; i < n; i++)
		any_applies = any_applies || cs_framework_node(fw, i)->napplies;
	rc = cs_buf_addstr(out,
			   any_applies
				   ? "code,parent,title,max_points,source,rule,params,applies_to\n"
				   : "code,parent,title,max_points,source,rule,params\n",
			   err);
	cs_buf_init(&cell, CS_FW_TABLE_MAX);
	for (size_t i = 0; !rc && i < n; i++) {
		const struct cs_fw_node *node = cs_framework_node(fw, i);
		const char *source = cs_fw_source_name(node->source);
		char num[CS_FW_NUMBER_LEN] = "";

		if (node->max_declared)
			cs_fw_number_format(node->max, num);
		if (!source)
			source = node->source_name ? node->source_name : "";
		rc = put_field(out, node->code, err);
		if (!rc)
			rc = cs_buf_addc(out, ',', err);
		if (!rc)
			rc = put_field(out, node->parent_code ? node->parent_code : "", err);
		if (!rc)
			rc = cs_buf_addc(out, ',', err);
		if (!rc)
			rc = put_field(out, node->title, err);
		if (!rc)
			rc = cs_buf_addf(out, err, ",%s,", num);
		if (!rc)
			rc = put_field(out, source, err);
		if (!rc)
			rc = cs_buf_addc(out, ',', err);
		if (!rc)
			rc = put_field(out, node->rule_name ? node->rule_name : "", err);
		if (!rc)
			rc = cs_buf_addc(out, ',', err);
		cs_buf_reset(&cell);
		if (!rc)
			rc = cs_fw_params_text(node, &cell, err);
		if (!rc)
			rc = put_field(out, cell.len ? cell.data : "", err);
		if (!rc && any_applies) {
			cs_buf_reset(&cell);
			rc = cs_buf_addc(out, ',', err);
			if (!rc)
				rc = cs_fw_applies_text(node, &cell, err);
			if (!rc)
				rc = put_field(out, cell.len ? cell.data : "", err);
		}
		if (!rc)
			rc = cs_buf_addc(out, '\n', err);
	}
	cs_buf_release(&cell);
	return rc;
}

/* ---- band sets and messages ---- */

/* METHODOLOGY M2.5: MOHA 2020 and 2022, and police 2025. */
static const struct cs_fw_band moha_bands[] = {
	{"A", "Nhóm A", "Group A", 90, 100},
	{"B", "Nhóm B", "Group B", 80, 90},
	{"C", "Nhóm C", "Group C", 70, 80},
	{"D", "Nhóm D", "Group D", 0, 70},
};

static const struct cs_fw_band police_bands[] = {
	{"XS", "Xuất sắc", "Excellent", 95, 100},
	{"T", "Tốt", "Good", 80, 95},
	{"K", "Khá", "Fair", 70, 80},
	{"HT", "Hoàn thành nhiệm vụ", "Duties completed", 50, 70},
	{"KHT", "Không hoàn thành nhiệm vụ", "Duties not completed", 0, 50},
};

static const struct {
	const char *name;
	const struct cs_fw_band *bands;
	size_t n;
} band_sets[] = {
	{"moha", moha_bands, sizeof(moha_bands) / sizeof(moha_bands[0])},
	{"police", police_bands, sizeof(police_bands) / sizeof(police_bands[0])},
};

enum cs_err cs_framework_add_band_set(struct cs_framework *fw, const char *name,
				      struct cs_error *err)
{
	for (size_t s = 0; s < sizeof(band_sets) / sizeof(band_sets[0]); s++) {
		if (strcmp(band_sets[s].name, name) != 0)
			continue;
		for (size_t i = 0; i < band_sets[s].n; i++) {
			enum cs_err rc = cs_framework_add_band(fw, &band_sets[s].bands[i], err);

			if (rc)
				return rc;
		}
		return CS_OK;
	}
	return cs_fail(err, CS_ENOTFOUND, "no band set '%s' (expected moha or police)", name);
}

void cs_framework_table_locate(const char *name, const struct cs_framework *fw,
			       const struct cs_fw_table_lines *lines, struct cs_vec *errors)
{
	for (size_t i = 0; i < errors->len; i++) {
		struct cs_error *e = cs_vec_at(errors, i);
		const char *code = e->msg + 6, *end;
		size_t index;
		char c[CS_FW_CODE_MAX + 1];

		if (strncmp(e->msg, "node '", 6) == 0 && (end = strchr(code, '\'')) &&
		    (size_t)(end - code) <= CS_FW_CODE_MAX && lines) {
			memcpy(c, code, (size_t)(end - code));
			c[end - code] = '\0';
			if (cs_framework_find(fw, c, &index) && index < lines->n) {
				cs_error_prefix(e, "%s:%zu", name, lines->lines[index]);
				continue;
			}
		}
		cs_error_prefix(e, "%s", name);
	}
}
