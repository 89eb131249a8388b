/*
 * The PAR score table reader (docs/formats.md, "PAR scores"): the header,
 * then each row on its own (codes, numbers, `na`, text), duplicates by unit
 * and node, and finally the checks against the framework and the units.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/score_table.h"
#include "io/xlsx.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Longest field read from a file; notes and reasons are held to less. */
#define FIELD_MAX (64u * 1024)
/* NFC may make text longer (at most 3 times). */
#define VALUE_MAX (3u * FIELD_MAX)
#define CODE_MAX 64

#define EXPECTED_COLUMNS                                                      \
	"expected columns unit,node and at least one of self,appraised, and " \
	"optionally note,reason"
#define EXPECTED_SCORE                                                                \
	"expected a number such as 8.5 or 8,5, 'na' for not applicable, or an empty " \
	"cell for not yet"

static const char *const col_names[CS_SCORE_COL_COUNT_] = {
	[CS_SCORE_COL_UNIT] = "unit", [CS_SCORE_COL_NODE] = "node",
	[CS_SCORE_COL_SELF] = "self", [CS_SCORE_COL_APPRAISED] = "appraised",
	[CS_SCORE_COL_NOTE] = "note", [CS_SCORE_COL_REASON] = "reason",
};

const char *cs_score_col_name(enum cs_score_col col)
{
	if ((unsigned)col >= CS_SCORE_COL_COUNT_)
		return NULL;
	return col_names[col];
}

bool cs_score_value_eq(struct cs_score_value a, struct cs_score_value b)
{
	if (a.kind != b.kind)
		return false;
	return a.kind != CS_SCORE_VALUE || a.value == b.value;
}

void cs_score_table_init(struct cs_score_table *t)
{
	memset(t, 0, sizeof(*t));
	cs_arena_init(&t->arena, 0);
	cs_vec_init(&t->rows, sizeof(struct cs_score_row), CS_SCORE_ROWS_MAX);
}

void cs_score_table_release(struct cs_score_table *t)
{
	if (!t)
		return;
	cs_vec_release(&t->rows);
	cs_arena_release(&t->arena);
	memset(t->col, 0, sizeof(t->col));
}

struct cs_score_row *cs_score_table_at(const struct cs_score_table *t, size_t i)
{
	return cs_vec_at(&t->rows, i);
}

const char *cs_score_table_where(const struct cs_score_table *t, size_t line, enum cs_score_col col,
				 char out[CS_SCORE_WHERE_MAX])
{
	unsigned c = (unsigned)col < CS_SCORE_COL_COUNT_ ? t->col[col] : 0;
	char name[CS_XLSX_COL_LEN];

	if (c == 0)
		snprintf(out, CS_SCORE_WHERE_MAX, "%.500s:%zu", t->name, line);
	else if (!t->xlsx)
		snprintf(out, CS_SCORE_WHERE_MAX, "%.500s:%zu:%u", t->name, line, c);
	else {
		cs_xlsx_col_name(c, name);
		snprintf(out, CS_SCORE_WHERE_MAX, "%.500s:%zu:%u (cell %s%zu)", t->name, line, c,
			 name, line);
	}
	return out;
}

/*
 * (unit, node) pairs seen so far with their line: open addressing on FNV-1a.
 * The strings live in the table's arena, so they stay put while the rows
 * vector grows.
 */
struct seen_slot {
	const char *unit; /* NULL for an empty slot */
	const char *node;
	size_t line;
};

struct seen {
	struct seen_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t len;
};

static uint64_t hash_pair(const char *unit, const char *node)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (const char *s = unit; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	h = (h ^ 0x1fu) * 0x100000001b3u;
	for (const char *s = node; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

static struct seen_slot *seen_slot(const struct seen *t, const char *unit, const char *node)
{
	size_t i = (size_t)hash_pair(unit, node) & (t->cap - 1);

	while (t->slots[i].unit &&
	       (strcmp(t->slots[i].unit, unit) != 0 || strcmp(t->slots[i].node, node) != 0))
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static enum cs_err seen_add(struct seen *t, const struct cs_score_row *row, struct cs_error *err)
{
	if ((t->len + 1) * 2 > t->cap) {
		struct seen bigger = {.cap = t->cap ? t->cap * 2 : 64, .len = t->len};

		bigger.slots = cs_calloc(bigger.cap, sizeof(*bigger.slots));
		if (!bigger.slots)
			return cs_fail(err, CS_ENOMEM, NULL);
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i].unit)
				*seen_slot(&bigger, t->slots[i].unit, t->slots[i].node) =
					t->slots[i];
		cs_free(t->slots);
		*t = bigger;
	}
	*seen_slot(t, row->unit, row->node) = (struct seen_slot){row->unit, row->node, row->line};
	t->len++;
	return CS_OK;
}

/* The reading state shared by the CSV and XLSX front ends. */
struct parser {
	struct cs_score_table *t;
	bool have_header;
	size_t nfields;				/* columns of the header */
	enum cs_score_col *col_of;		/* column of each header field, COUNT_ for none */
	struct cs_buf val[CS_SCORE_COL_COUNT_]; /* the row's NFC text per column */
	struct seen seen;
};

static void parser_init(struct parser *p, struct cs_score_table *t)
{
	memset(p, 0, sizeof(*p));
	p->t = t;
	for (int c = 0; c < CS_SCORE_COL_COUNT_; c++)
		cs_buf_init(&p->val[c], VALUE_MAX);
}

static void parser_release(struct parser *p)
{
	for (int c = 0; c < CS_SCORE_COL_COUNT_; c++)
		cs_buf_release(&p->val[c]);
	cs_free(p->col_of);
	cs_free(p->seen.slots);
}

/*
 * Writes a value for a message: at most 40 bytes, cut at a character
 * boundary, control characters escaped.
 */
static const char *show(const char *s, size_t len, char out[200])
{
	size_t n = len, o = 0;

	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, 200 - o, "\\x%02X", c);
		else
			out[o++] = (char)c;
	}
	if (n < len)
		o += (size_t)snprintf(out + o, 200 - o, "...");
	out[o] = '\0';
	return out;
}

/* Reads the header: every field names a known column, once. */
static enum cs_err read_header(struct parser *p, size_t line, const struct cs_str *fields, size_t n,
			       struct cs_error *err)
{
	struct cs_score_table *t = p->t;
	char where[CS_SCORE_WHERE_MAX], v[200];

	p->col_of = cs_calloc(n ? n : 1, sizeof(*p->col_of));
	if (!p->col_of)
		return cs_fail(err, CS_ENOMEM, NULL);
	if (n == 1 && memchr(fields[0].ptr, ';', fields[0].len) &&
	    cs_utf8_valid(fields[0].ptr, fields[0].len, NULL))
		return cs_fail(err, CS_EPARSE,
			       "%s:%zu: the header '%s' is separated by ';'; save the file with "
			       "',' between columns (in Excel: CSV UTF-8, comma delimited)",
			       t->name, line, show(fields[0].ptr, fields[0].len, v));
	for (size_t i = 0; i < n; i++) {
		struct cs_str f = cs_str_trim(fields[i]);
		size_t bad = 0;
		int c;

		snprintf(where, sizeof(where), "%s:%zu:%zu", t->name, line, i + 1);
		if (t->xlsx) {
			char cn[CS_XLSX_COL_LEN];

			cs_xlsx_col_name((unsigned)(i + 1), cn);
			snprintf(where, sizeof(where), "%.500s:%zu:%zu (cell %s%zu)", t->name, line,
				 i + 1, cn, line);
		}
		if (!cs_utf8_valid(f.ptr, f.len, &bad))
			return cs_fail(
				err, CS_EUTF8,
				"%s: invalid UTF-8 in the header at byte %zu of the field; save "
				"the file as UTF-8",
				where, bad + 1);
		if (f.len == 0)
			return cs_fail(err, CS_EPARSE,
				       "%s: column %zu of the header has no name; %s", where, i + 1,
				       EXPECTED_COLUMNS);
		for (c = 0; c < CS_SCORE_COL_COUNT_; c++)
			if (cs_str_eq_nocase(f, col_names[c]))
				break;
		if (c == CS_SCORE_COL_COUNT_)
			return cs_fail(err, CS_EPARSE, "%s: unknown column '%s'; %s", where,
				       show(f.ptr, f.len, v), EXPECTED_COLUMNS);
		if (t->col[c])
			return cs_fail(err, CS_EPARSE,
				       "%s: duplicate column '%s' (first in column %u)", where,
				       col_names[c], t->col[c]);
		t->col[c] = (unsigned)(i + 1);
		p->col_of[i] = (enum cs_score_col)c;
	}
	p->nfields = n;
	for (int c = CS_SCORE_COL_UNIT; c <= CS_SCORE_COL_NODE; c++)
		if (!t->col[c])
			return cs_fail(err, CS_EPARSE, "%s:%zu: missing column '%s'; %s", t->name,
				       line, col_names[c], EXPECTED_COLUMNS);
	if (!t->col[CS_SCORE_COL_SELF] && !t->col[CS_SCORE_COL_APPRAISED])
		return cs_fail(err, CS_EPARSE, "%s:%zu: missing column 'self' or 'appraised'; %s",
			       t->name, line, EXPECTED_COLUMNS);
	p->have_header = true;
	return CS_OK;
}

/* Checks and normalises one field into p->val[c]. */
static enum cs_err take_field(struct parser *p, size_t line, enum cs_score_col c, struct cs_str f,
			      struct cs_error *err)
{
	char where[CS_SCORE_WHERE_MAX];
	size_t bad = 0;
	enum cs_err rc;

	f = cs_str_trim(f);
	cs_buf_reset(&p->val[c]);
	if (!cs_utf8_valid(f.ptr, f.len, &bad))
		return cs_fail(
			err, CS_EUTF8,
			"%s: invalid UTF-8 in column '%s' at byte %zu of the field; save the "
			"file as UTF-8",
			cs_score_table_where(p->t, line, c, where), col_names[c], bad + 1);
	rc = cs_utf8_nfc(f.ptr, f.len, &p->val[c], err);
	if (rc == CS_ETOOBIG)
		return cs_fail(err, rc, "%s: field of column '%s' is too long",
			       cs_score_table_where(p->t, line, c, where), col_names[c]);
	return rc;
}

static bool code_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

/* A unit or node code: 1 to 64 bytes of A-Z a-z 0-9 . _ - */
static enum cs_err check_code(struct parser *p, size_t line, enum cs_score_col c,
			      struct cs_error *err)
{
	const struct cs_buf *b = &p->val[c];
	char where[CS_SCORE_WHERE_MAX], v[200];

	cs_score_table_where(p->t, line, c, where);
	if (b->len == 0)
		return cs_fail(err, CS_EPARSE, "%s: empty %s code", where, col_names[c]);
	for (size_t i = 0; i < b->len; i++)
		if (!code_char((unsigned char)b->data[i]))
			return cs_fail(err, CS_EPARSE,
				       "%s: %s code '%s' has a character other than A-Z a-z 0-9 "
				       "'.' '_' '-'",
				       where, col_names[c], show(b->data, b->len, v));
	if (b->len > CODE_MAX)
		return cs_fail(err, CS_EPARSE, "%s: %s code '%s' is %zu bytes long; at most %d",
			       where, col_names[c], show(b->data, b->len, v), b->len, CODE_MAX);
	return CS_OK;
}

/* True for the spellings of "not applicable". */
static bool is_na(const struct cs_buf *b)
{
	struct cs_str s = cs_str_make(b->data, b->len);

	return cs_str_eq_nocase(s, "na") || cs_str_eq_nocase(s, "n/a") ||
	       cs_str_eq_nocase(s, "không áp dụng") || cs_str_eq_nocase(s, "Không áp dụng") ||
	       cs_str_eq_nocase(s, "KHÔNG ÁP DỤNG");
}

static enum cs_err parse_score(struct parser *p, size_t line, enum cs_score_col c,
			       const struct cs_score_row *row, struct cs_score_value *out,
			       struct cs_error *err)
{
	const struct cs_buf *b = &p->val[c];
	char where[CS_SCORE_WHERE_MAX], v[200];
	enum cs_err rc;

	out->kind = CS_SCORE_EMPTY;
	out->value = 0;
	if (!p->t->col[c] || b->len == 0)
		return CS_OK;
	if (is_na(b)) {
		out->kind = CS_SCORE_NA;
		return CS_OK;
	}
	rc = cs_str_to_double(cs_str_make(b->data, b->len), true, &out->value, NULL);
	if (rc)
		return cs_fail(err, CS_EPARSE,
			       "%s: %s score '%s' of unit '%s' node '%s' is not a "
			       "number; %s",
			       cs_score_table_where(p->t, line, c, where), col_names[c],
			       show(b->data, b->len, v), row->unit, row->node, EXPECTED_SCORE);
	if (out->value == 0)
		out->value = 0; /* -0 is 0 */
	out->kind = CS_SCORE_VALUE;
	return CS_OK;
}

static const char *arena_text(struct cs_score_table *t, const struct cs_buf *b)
{
	return cs_arena_strndup(&t->arena, b->data, b->len);
}

/* Handles one record after the header: fields[i] is header column i. */
static enum cs_err read_row(struct parser *p, size_t line, const struct cs_str *fields, size_t n,
			    struct cs_error *err)
{
	struct cs_score_table *t = p->t;
	struct cs_score_row row = {0}, *added;
	struct seen_slot *dup;
	char where[CS_SCORE_WHERE_MAX];
	bool blank = true;
	enum cs_err rc;

	for (size_t i = 0; i < n; i++)
		if (cs_str_trim(fields[i]).len)
			blank = false;
	if (blank)
		return CS_OK;
	if (n != p->nfields)
		return cs_fail(err, CS_EPARSE,
			       "%s:%zu: row has %zu fields; expected %zu, one per "
			       "header column",
			       t->name, line, n, p->nfields);
	for (int c = 0; c < CS_SCORE_COL_COUNT_; c++)
		cs_buf_reset(&p->val[c]);
	for (size_t i = 0; i < n; i++) {
		rc = take_field(p, line, p->col_of[i], fields[i], err);
		if (rc)
			return rc;
	}
	rc = check_code(p, line, CS_SCORE_COL_UNIT, err);
	if (!rc)
		rc = check_code(p, line, CS_SCORE_COL_NODE, err);
	if (rc)
		return rc;
	for (int c = CS_SCORE_COL_NOTE; c <= CS_SCORE_COL_REASON; c++)
		if (p->val[c].len > CS_SCORE_TEXT_MAX)
			return cs_fail(err, CS_EPARSE, "%s: %s is %zu bytes long; at most %d",
				       cs_score_table_where(t, line, (enum cs_score_col)c, where),
				       col_names[c], p->val[c].len, CS_SCORE_TEXT_MAX);
	row.line = line;
	row.unit = arena_text(t, &p->val[CS_SCORE_COL_UNIT]);
	row.node = arena_text(t, &p->val[CS_SCORE_COL_NODE]);
	if (p->val[CS_SCORE_COL_NOTE].len)
		row.note = arena_text(t, &p->val[CS_SCORE_COL_NOTE]);
	if (p->val[CS_SCORE_COL_REASON].len)
		row.reason = arena_text(t, &p->val[CS_SCORE_COL_REASON]);
	if (!row.unit || !row.node || (p->val[CS_SCORE_COL_NOTE].len && !row.note) ||
	    (p->val[CS_SCORE_COL_REASON].len && !row.reason))
		return cs_fail(err, CS_ENOMEM, NULL);
	rc = parse_score(p, line, CS_SCORE_COL_SELF, &row, &row.self, err);
	if (!rc)
		rc = parse_score(p, line, CS_SCORE_COL_APPRAISED, &row, &row.appraised, err);
	if (rc)
		return rc;
	if (p->seen.cap) {
		dup = seen_slot(&p->seen, row.unit, row.node);
		if (dup->unit)
			return cs_fail(
				err, CS_EPARSE,
				"%s: duplicate row for unit '%s' node '%s' (first at line %zu)",
				cs_score_table_where(t, line, CS_SCORE_COL_UNIT, where), row.unit,
				row.node, dup->line);
	}
	if (t->rows.len >= CS_SCORE_ROWS_MAX)
		return cs_fail(err, CS_ETOOBIG, "%s:%zu: more than %d rows", t->name, line,
			       CS_SCORE_ROWS_MAX);
	rc = seen_add(&p->seen, &row, err);
	if (rc)
		return rc;
	added = cs_vec_push_zero(&t->rows, err);
	if (!added)
		return cs_fail(err, CS_ENOMEM, NULL);
	*added = row;
	return CS_OK;
}

static enum cs_err record(struct parser *p, size_t line, const struct cs_str *fields, size_t n,
			  struct cs_error *err)
{
	if (!p->have_header)
		return read_header(p, line, fields, n, err);
	return read_row(p, line, fields, n, err);
}

static enum cs_err csv_row(void *ctx, size_t line, const struct cs_str *fields, size_t n,
			   struct cs_error *err)
{
	return record(ctx, line, fields, n, err);
}

enum cs_err cs_score_table_parse_csv(const char *name, const char *data, size_t len,
				     struct cs_score_table *t, struct cs_error *err)
{
	struct parser p;
	enum cs_err rc;

	t->name = name;
	t->xlsx = false;
	if (len > CS_SCORE_TABLE_MAX)
		return cs_fail(err, CS_ETOOBIG,
			       "%s: the file is %zu bytes; score files of at most %u bytes are "
			       "accepted",
			       name, len, CS_SCORE_TABLE_MAX);
	parser_init(&p, t);
	rc = cs_csv_read(name, data, len, FIELD_MAX, csv_row, &p, err);
	if (!rc && !p.have_header)
		rc = cs_fail(err, CS_EPARSE, "%s:1: empty file; %s", name, EXPECTED_COLUMNS);
	parser_release(&p);
	return rc;
}

bool cs_score_table_is_xlsx(const void *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

/* XLSX rows: cells become slices, empty ones up to the header's width. */
struct xlsx_ctx {
	struct parser *p;
	struct cs_str *fields;
	size_t cap;
};

static enum cs_err xlsx_row(void *ctx, size_t row, const struct cs_xlsx_cell *cells, size_t n,
			    struct cs_error *err)
{
	struct xlsx_ctx *x = ctx;
	struct parser *p = x->p;
	size_t width = p->have_header ? p->nfields : n;
	char where[CS_SCORE_WHERE_MAX], cn[CS_XLSX_COL_LEN];

	if (p->have_header && n > p->nfields) {
		for (size_t i = p->nfields; i < n; i++)
			if (cells[i].type != CS_XLSX_EMPTY) {
				cs_xlsx_col_name(cells[i].col, cn);
				return cs_fail(err, CS_EPARSE,
					       "%.500s:%zu:%u (cell %s%zu): a value outside the "
					       "columns of the header; expected %zu columns",
					       p->t->name, row, cells[i].col, cn, row, p->nfields);
			}
	}
	if (width > x->cap) {
		struct cs_str *f = cs_reallocarray(x->fields, width, sizeof(*f));

		if (!f)
			return cs_fail(err, CS_ENOMEM, NULL);
		x->fields = f;
		x->cap = width;
	}
	for (size_t i = 0; i < width; i++) {
		x->fields[i] = cs_str_make("", 0);
		if (i >= n)
			continue;
		if (p->have_header &&
		    (p->col_of[i] == CS_SCORE_COL_SELF || p->col_of[i] == CS_SCORE_COL_APPRAISED)) {
			if (cells[i].type == CS_XLSX_BOOL || cells[i].type == CS_XLSX_DATE ||
			    cells[i].type == CS_XLSX_ERROR) {
				static const char *const what[] = {
					[CS_XLSX_BOOL] = "a TRUE/FALSE value",
					[CS_XLSX_DATE] = "a date",
					[CS_XLSX_ERROR] = "a formula error",
				};

				return cs_fail(err, CS_EPARSE, "%s: %s score '%s' is %s; %s",
					       cs_score_table_where(p->t, row, p->col_of[i], where),
					       col_names[p->col_of[i]], cells[i].text,
					       what[cells[i].type], EXPECTED_SCORE);
			}
		}
		x->fields[i] = cs_str_make(cells[i].text, cells[i].len);
	}
	return record(p, row, x->fields, width, err);
}

enum cs_err cs_score_table_parse_xlsx(const char *name, const void *data, size_t len,
				      const char *sheet, struct cs_score_table *t,
				      struct cs_error *err)
{
	struct cs_xlsx *x = NULL;
	struct parser p;
	struct xlsx_ctx ctx = {&p, NULL, 0};
	size_t index = 0, nsheets;
	enum cs_err rc;

	t->name = name;
	t->xlsx = true;
	parser_init(&p, t);
	rc = cs_xlsx_open(name, data, len, &x, err);
	if (rc)
		goto out;
	nsheets = cs_xlsx_sheet_count(x);
	if (sheet) {
		rc = cs_xlsx_find_sheet(x, sheet, &index, err);
		if (rc)
			goto out;
	} else {
		while (index + 1 < nsheets && cs_xlsx_sheet_hidden(x, index))
			index++;
	}
	rc = cs_xlsx_read_sheet(x, index, xlsx_row, &ctx, err);
	if (!rc && !p.have_header)
		rc = cs_fail(err, CS_EPARSE, "%s: sheet '%s' is empty; %s", name,
			     cs_xlsx_sheet_name(x, index), EXPECTED_COLUMNS);
out:
	cs_free(ctx.fields);
	cs_xlsx_free(x);
	parser_release(&p);
	return rc;
}

/* Units by code, for the checks. */
struct unit_ref {
	const char *code;
	const struct cs_unit *unit;
};

static int cmp_ref(const void *a, const void *b)
{
	return strcmp(((const struct unit_ref *)a)->code, ((const struct unit_ref *)b)->code);
}

static const struct cs_unit *find_unit(const struct unit_ref *refs, size_t n, const char *code)
{
	struct unit_ref key = {code, NULL};
	const struct unit_ref *r = bsearch(&key, refs, n, sizeof(*refs), cmp_ref);

	return r ? r->unit : NULL;
}

/* True when node and each of its ancestors apply to the unit. */
static bool applies(const struct cs_framework *fw, size_t i, const struct cs_unit *u)
{
	while (i != CS_FW_NONE) {
		const struct cs_fw_node *n = cs_framework_node(fw, i);

		if (!cs_fw_node_applies(n, u->level, u->flags))
			return false;
		i = n->parent;
	}
	return true;
}

/* The children of an inner node, for the "not a leaf" message. */
static void list_children(const struct cs_framework *fw, const struct cs_fw_node *n, char *out,
			  size_t cap)
{
	size_t len = 0, k = 0;

	out[0] = '\0';
	for (size_t c = n->first_child; c != CS_FW_NONE && len < cap;
	     c = cs_framework_node(fw, c)->next_sibling) {
		int w;

		if (k == 4) {
			snprintf(out + len, cap - len, ", ...");
			return;
		}
		w = snprintf(out + len, cap - len, "%s%s", k ? ", " : "",
			     cs_framework_node(fw, c)->code);
		if (w < 0)
			return;
		len += (size_t)w;
		k++;
	}
}

static enum cs_err check_value(const struct cs_score_table *t, const struct cs_score_row *row,
			       const struct cs_fw_node *n, enum cs_score_col c,
			       struct cs_score_value v, struct cs_error *err)
{
	char where[CS_SCORE_WHERE_MAX], num[40];
	const char *limit = n->source == CS_SOURCE_BONUS     ? "bonus cap"
			    : n->source == CS_SOURCE_PENALTY ? "penalty cap"
							     : "maximum";
	struct cs_error rerr = {0};
	double points;

	if (v.kind != CS_SCORE_VALUE)
		return CS_OK;
	cs_score_table_where(t, row->line, c, where);
	snprintf(num, sizeof(num), "%.15g", v.value);
	if (strcmp(n->rule_name, "manual") == 0) {
		if (v.value < 0)
			return cs_fail(
				err, CS_EPARSE,
				"%s: %s score %s of unit '%s' node '%s' is negative; expected "
				"0 to %g",
				where, col_names[c], num, row->unit, row->node, n->max);
		if (v.value > n->max + CS_RULE_EPS)
			return cs_fail(err, CS_EPARSE,
				       "%s: %s score %s of unit '%s' node '%s' is above its %s %g",
				       where, col_names[c], num, row->unit, row->node, limit,
				       n->max);
	}
	if (cs_rule_score(n->rule, n->rule_params, n->max, v.value, &points, &rerr))
		return cs_fail(err, CS_EPARSE, "%s: %s score of unit '%s' node '%s' (rule %s): %s",
			       where, col_names[c], row->unit, row->node, n->rule_name, rerr.msg);
	return CS_OK;
}

static enum cs_err check_row(const struct cs_score_table *t, struct cs_score_row *row,
			     const struct cs_framework *fw, const struct unit_ref *refs,
			     size_t nrefs, const char *starts, const char *ends,
			     struct cs_error *err)
{
	const struct cs_fw_info *info = cs_framework_info(fw);
	const struct cs_unit *u = find_unit(refs, nrefs, row->unit);
	const struct cs_fw_node *n;
	char where[CS_SCORE_WHERE_MAX], kids[300];
	size_t i;
	enum cs_err rc;

	if (!u)
		return cs_fail(err, CS_EPARSE,
			       "%s: unknown unit '%s'; import it first with 'chiso unit import'",
			       cs_score_table_where(t, row->line, CS_SCORE_COL_UNIT, where),
			       row->unit);
	if (starts && ends &&
	    ((u->valid_to && strcmp(u->valid_to, starts) < 0) ||
	     (u->valid_from && strcmp(u->valid_from, ends) > 0)))
		return cs_fail(err, CS_EPARSE,
			       "%s: unit '%s' does not exist during the period %s to %s (valid "
			       "%s to %s)",
			       cs_score_table_where(t, row->line, CS_SCORE_COL_UNIT, where),
			       row->unit, starts, ends, u->valid_from ? u->valid_from : "...",
			       u->valid_to ? u->valid_to : "...");
	row->unit_id = u->id;
	cs_score_table_where(t, row->line, CS_SCORE_COL_NODE, where);
	if (!cs_framework_find(fw, row->node, &i))
		return cs_fail(err, CS_EPARSE,
			       "%s: unknown node '%s' in framework '%s' version '%s'", where,
			       row->node, info->code, info->version);
	n = cs_framework_node(fw, i);
	row->node_index = i;
	if (!cs_fw_node_is_leaf(n)) {
		list_children(fw, n, kids, sizeof(kids));
		return cs_fail(err, CS_EPARSE,
			       "%s: node '%s' is not a leaf: its points are the sum of its "
			       "children (%s); score those instead",
			       where, row->node, kids);
	}
	if (n->source == CS_SOURCE_SURVEY || n->source == CS_SOURCE_DATA)
		return cs_fail(err, CS_EPARSE,
			       "%s: node '%s' takes its points from %s results (source %s); they "
			       "are not imported as scores",
			       where, row->node, n->source == CS_SOURCE_SURVEY ? "survey" : "data",
			       cs_fw_source_name(n->source));
	if (!applies(fw, i, u))
		return cs_fail(err, CS_EPARSE,
			       "%s: node '%s' does not apply to unit '%s' (level %s, flags '%s'); "
			       "see its applies_to in the framework",
			       where, row->node, row->unit, cs_level_name(u->level),
			       u->flags ? u->flags : "");
	rc = check_value(t, row, n, CS_SCORE_COL_SELF, row->self, err);
	if (!rc)
		rc = check_value(t, row, n, CS_SCORE_COL_APPRAISED, row->appraised, err);
	return rc;
}

enum cs_err cs_score_table_check(struct cs_score_table *t, const struct cs_framework *fw,
				 const struct cs_unit_set *units, const char *period_starts,
				 const char *period_ends, struct cs_error *err)
{
	size_t n = units->units.len;
	struct unit_ref *refs;
	enum cs_err rc = CS_OK;

	if (!cs_framework_is_valid(fw))
		return cs_fail(err, CS_ESTATE, "the framework is not validated");
	refs = cs_calloc(n ? n : 1, sizeof(*refs));
	if (!refs)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct cs_unit *u = cs_unit_set_at(units, i);

		refs[i] = (struct unit_ref){u->code, u};
	}
	qsort(refs, n, sizeof(*refs), cmp_ref);
	for (size_t i = 0; !rc && i < t->rows.len; i++)
		rc = check_row(t, cs_score_table_at(t, i), fw, refs, n, period_starts, period_ends,
			       err);
	cs_free(refs);
	return rc;
}
