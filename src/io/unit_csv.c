/*
 * The unit CSV importer (docs/formats.md): reads the header, then checks and
 * normalises each row on its own and appends it to a unit set. Cross-row
 * checks (parents, cycles, successors) are left to cs_unit_plan_make.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "io/csv.h"
#include "io/unit_csv.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Longest field read from the file; the checks below are stricter per column. */
#define FIELD_MAX (64u * 1024)
/* NFC may make text longer (at most 3 times for any script). */
#define VALUE_MAX (3u * FIELD_MAX)
#define CODE_MAX 64
#define NAME_MAX_BYTES 500

#define EXPECTED_COLUMNS                                          \
	"expected columns code,name,parent,level and optionally " \
	"flags,valid_from,valid_to,successor"
#define EXPECTED_LEVELS "expected one of ministry, province, department, district, commune, other"
#define CODE_CHARS "codes may use only letters A-Z a-z, digits 0-9, '.', '_' and '-'"
#define FLAG_CHARS "flags may use only letters a-z, digits 0-9, '_' and '-'"

enum col {
	COL_CODE,
	COL_NAME,
	COL_PARENT,
	COL_LEVEL,
	COL_FLAGS,
	COL_VALID_FROM,
	COL_VALID_TO,
	COL_SUCCESSOR,
	COL_COUNT
};

static const struct {
	const char *name;
	bool required;
} columns[COL_COUNT] = {
	[COL_CODE] = {"code", true},	      [COL_NAME] = {"name", true},
	[COL_PARENT] = {"parent", true},      [COL_LEVEL] = {"level", true},
	[COL_FLAGS] = {"flags", false},	      [COL_VALID_FROM] = {"valid_from", false},
	[COL_VALID_TO] = {"valid_to", false}, [COL_SUCCESSOR] = {"successor", false},
};

/* Codes seen so far in the file, with their line: open addressing on FNV-1a. */
struct seen_slot {
	const char *code; /* NULL for an empty slot; points into the unit set's arena */
	size_t line;
};

struct seen {
	struct seen_slot *slots;
	size_t cap; /* a power of two, or 0 */
	size_t len;
};

struct parser {
	const char *name;
	struct cs_unit_set *out;
	bool have_header;
	size_t nfields;		      /* fields in the header, and so in every row */
	unsigned field_of[COL_COUNT]; /* 1-based field of each column, 0 when absent */
	enum col col_of[COL_COUNT];   /* the column of each field (index field - 1) */
	struct cs_buf val[COL_COUNT]; /* the normalised, trimmed text of the row */
	struct cs_buf flags, succ;    /* canonical forms of the two lists */
	struct seen seen;
};

static uint64_t hash_code(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3u;
	return h;
}

static struct seen_slot *seen_slot(const struct seen *t, const char *code)
{
	size_t i = (size_t)hash_code(code) & (t->cap - 1);

	while (t->slots[i].code && strcmp(t->slots[i].code, code) != 0)
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

/* The line on which code was first seen, 0 when it was not. */
static size_t seen_find(const struct seen *t, const char *code)
{
	return t->cap ? seen_slot(t, code)->line : 0;
}

static enum cs_err seen_add(struct seen *t, const char *code, size_t line, struct cs_error *err)
{
	if ((t->len + 1) * 2 > t->cap) {
		struct seen bigger = {.cap = t->cap ? t->cap * 2 : 64, .len = t->len};

		bigger.slots = cs_calloc(bigger.cap, sizeof(*bigger.slots));
		if (!bigger.slots)
			return cs_fail(err, CS_ENOMEM, NULL);
		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i].code)
				*seen_slot(&bigger, t->slots[i].code) = t->slots[i];
		cs_free(t->slots);
		*t = bigger;
	}
	*seen_slot(t, code) = (struct seen_slot){code, line};
	t->len++;
	return CS_OK;
}

/*
 * Writes a value for a message: at most 40 bytes, cut at a character
 * boundary, with control characters escaped so the message stays one line.
 */
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

/* Describes the character at s.ptr[i] (valid UTF-8): "' '" or "'ô' (U+00F4)". */
static const char *show_char(struct cs_str s, size_t i, char out[32])
{
	unsigned char c = (unsigned char)s.ptr[i];
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;

	if (c >= 0x20 && c < 0x7f) {
		snprintf(out, 32, "'%c'", c);
		return out;
	}
	for (size_t k = 1; k < n && i + k < s.len; k++)
		cp = (cp << 6) | ((unsigned char)s.ptr[i + k] & 0x3Fu);
	if (c < 0x80)
		snprintf(out, 32, "U+%04X", (unsigned)cp);
	else
		snprintf(out, 32, "'%.*s' (U+%04X)", (int)n, s.ptr + i, (unsigned)cp);
	return out;
}

static bool code_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static bool flag_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/*
 * Checks a code (of a unit, its parent or a successor): what names it in the
 * message is `what`, e.g. "code" or "successor". The unit's own code is
 * named too when it is known.
 */
static enum cs_err check_code(const struct parser *p, size_t line, unsigned col, const char *what,
			      struct cs_str s, struct cs_error *err)
{
	char v[200], ch[32];

	if (s.len == 0)
		return cs_fail(err, CS_EPARSE, "%s:%zu:%u: empty %s; %s", p->name, line, col, what,
			       CODE_CHARS);
	for (size_t i = 0; i < s.len; i++)
		if (!code_char((unsigned char)s.ptr[i]))
			return cs_fail(err, CS_EPARSE,
				       "%s:%zu:%u: %s '%s' has the character %s; %s", p->name, line,
				       col, what, show(s, v), show_char(s, i, ch), CODE_CHARS);
	if (s.len > CODE_MAX)
		return cs_fail(err, CS_EPARSE, "%s:%zu:%u: %s '%s' is %zu bytes long; at most %d",
			       p->name, line, col, what, show(s, v), s.len, CODE_MAX);
	return CS_OK;
}

/* Whether a ';'-joined list already holds item. */
static bool list_has(const struct cs_buf *list, struct cs_str item)
{
	struct cs_str rest = cs_str_make(list->data, list->len), tok;

	while (list->len && cs_str_next(&rest, ';', &tok))
		if (cs_str_eq(tok, item))
			return true;
	return false;
}

/*
 * Puts the canonical form of a ';'-separated list in list: items trimmed,
 * empty ones dropped, duplicates dropped, order kept. Flags are lower-cased
 * and checked against [a-z0-9_-]; successors are checked as codes.
 */
static enum cs_err canon_list(struct parser *p, size_t line, enum col c, const char *code,
			      struct cs_buf *list, struct cs_error *err)
{
	struct cs_str rest = cs_str_make(p->val[c].data, p->val[c].len), item;
	unsigned col = p->field_of[c];
	char lower[CODE_MAX + 1], v[200], ch[32];
	enum cs_err rc;

	cs_buf_reset(list);
	while (p->val[c].len && cs_str_next(&rest, ';', &item)) {
		item = cs_str_trim(item);
		if (item.len == 0)
			continue;
		if (c == COL_FLAGS) {
			for (size_t i = 0; i < item.len; i++) {
				unsigned char b = (unsigned char)item.ptr[i];

				if (b >= 'A' && b <= 'Z')
					b = (unsigned char)(b - 'A' + 'a');
				if (!flag_char(b))
					return cs_fail(err, CS_EPARSE,
						       "%s:%zu:%u: flag '%s' of unit '%s' has the "
						       "character %s; %s",
						       p->name, line, col, show(item, v), code,
						       show_char(item, i, ch), FLAG_CHARS);
				if (i < CODE_MAX)
					lower[i] = (char)b;
			}
			if (item.len > CODE_MAX)
				return cs_fail(
					err, CS_EPARSE,
					"%s:%zu:%u: flag '%s' of unit '%s' is %zu bytes long; "
					"at most %d",
					p->name, line, col, show(item, v), code, item.len,
					CODE_MAX);
			item = cs_str_make(lower, item.len);
		} else {
			rc = check_code(p, line, col, "successor", item, err);
			if (rc)
				return rc;
		}
		if (list_has(list, item))
			continue;
		if (list->len && (rc = cs_buf_addc(list, ';', err)))
			return rc;
		if ((rc = cs_buf_add(list, item.ptr, item.len, err)))
			return rc;
	}
	return CS_OK;
}

static enum cs_err header(struct parser *p, size_t line, const struct cs_str *f, size_t n,
			  struct cs_error *err)
{
	char v[200];
	size_t bad;

	/* Checked first: the header's text goes into messages, which must be UTF-8. */
	for (size_t i = 0; i < n; i++)
		if (!cs_utf8_valid(f[i].ptr, f[i].len, &bad))
			return cs_fail(err, CS_EUTF8,
				       "%s:%zu:%zu: invalid UTF-8 in the header at byte %zu of the "
				       "field; save the file as UTF-8",
				       p->name, line, i + 1, bad + 1);
	if (n == 1 && memchr(f[0].ptr, ';', f[0].len))
		return cs_fail(
			err, CS_EPARSE,
			"%s:%zu: the header '%s' is separated by ';'; save the file with ',' "
			"between columns (in Excel: CSV UTF-8, comma delimited)",
			p->name, line, show(f[0], v));
	for (size_t i = 0; i < n; i++) {
		struct cs_str h = cs_str_trim(f[i]);
		unsigned fld = (unsigned)i + 1;
		int c = 0;

		if (h.len == 0)
			return cs_fail(err, CS_EPARSE,
				       "%s:%zu:%u: column %u of the header has no name; %s",
				       p->name, line, fld, fld, EXPECTED_COLUMNS);
		while (c < COL_COUNT && !cs_str_eq_nocase(h, columns[c].name))
			c++;
		if (c == COL_COUNT)
			return cs_fail(err, CS_EPARSE, "%s:%zu:%u: unknown column '%s'; %s",
				       p->name, line, fld, show(h, v), EXPECTED_COLUMNS);
		if (p->field_of[c])
			return cs_fail(err, CS_EPARSE,
				       "%s:%zu:%u: duplicate column '%s' (first in column %u)",
				       p->name, line, fld, columns[c].name, p->field_of[c]);
		p->field_of[c] = fld;
		p->col_of[i] = (enum col)c;
	}
	for (int c = 0; c < COL_COUNT; c++)
		if (columns[c].required && !p->field_of[c])
			return cs_fail(err, CS_EPARSE, "%s:%zu: missing column '%s'; %s", p->name,
				       line, columns[c].name, EXPECTED_COLUMNS);
	p->nfields = n;
	p->have_header = true;
	return CS_OK;
}

/* Normalises one field into b: valid UTF-8 checked, NFC, trimmed. */
static enum cs_err normalise(struct parser *p, size_t line, unsigned fld, enum col c,
			     struct cs_str f, struct cs_buf *b, struct cs_error *err)
{
	struct cs_str t;
	size_t bad;
	enum cs_err rc;

	if (!cs_utf8_valid(f.ptr, f.len, &bad))
		return cs_fail(err, CS_EUTF8,
			       "%s:%zu:%u: invalid UTF-8 in column '%s' at byte %zu of the field; "
			       "save the file as UTF-8",
			       p->name, line, fld, columns[c].name, bad + 1);
	cs_buf_reset(b);
	rc = cs_utf8_nfc(f.ptr, f.len, b, err);
	if (rc) {
		cs_error_prefix(err, "%s:%zu:%u: column '%s'", p->name, line, fld, columns[c].name);
		return rc;
	}
	t = cs_str_trim(cs_str_make(b->data, b->len));
	if (t.len && t.ptr != b->data)
		memmove(b->data, t.ptr, t.len);
	cs_buf_truncate(b, t.len);
	return CS_OK;
}

/*
 * Tidies a name in place: each run of white space inside it (spaces, tabs,
 * the line break of an Alt+Enter in a spreadsheet cell) becomes one space, so
 * the name prints on one line. Returns the offset of another control
 * character, which a name may not hold, or SIZE_MAX.
 */
static size_t tidy_name(struct cs_buf *b)
{
	size_t o = 0;

	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];
		bool space =
			c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';

		if (!space && (c < 0x20 || c == 0x7f))
			return i;
		if (space && o > 0 && b->data[o - 1] == ' ')
			continue;
		b->data[o++] = space ? ' ' : (char)c;
	}
	cs_buf_truncate(b, o);
	return SIZE_MAX;
}

/* The value of column c, or NULL when the column is absent or the field empty. */
static const char *opt(const struct parser *p, enum col c)
{
	return p->field_of[c] && p->val[c].len ? p->val[c].data : NULL;
}

static enum cs_err parse_date(struct parser *p, size_t line, enum col c, const char *code,
			      char iso[CS_DATE_LEN], struct cs_error *err)
{
	enum cs_err rc;

	if (!opt(p, c))
		return CS_OK;
	rc = cs_date_parse(cs_str_make(p->val[c].data, p->val[c].len), iso, err);
	if (rc)
		cs_error_prefix(err, "%s:%zu:%u: %s of unit '%s'", p->name, line, p->field_of[c],
				columns[c].name, code);
	return rc;
}

static enum cs_err row(void *ctx, size_t line, const struct cs_str *f, size_t n,
		       struct cs_error *err)
{
	struct parser *p = ctx;
	struct cs_unit u = {0};
	char from[CS_DATE_LEN], to[CS_DATE_LEN], v[200], ch[32];
	const char *code;
	size_t first, bad;
	bool empty = true;
	enum cs_err rc;

	if (!p->have_header)
		return header(p, line, f, n, err);
	/* Spreadsheets export rows of empty cells (",,,"): skip them like blank lines. */
	for (size_t i = 0; i < n && empty; i++)
		empty = cs_str_trim(f[i]).len == 0;
	if (empty)
		return CS_OK;
	if (n != p->nfields)
		return cs_fail(err, CS_EPARSE,
			       "%s:%zu: row has %zu field%s; expected %zu, one per header column",
			       p->name, line, n, n == 1 ? "" : "s", p->nfields);
	for (size_t i = 0; i < n; i++) {
		rc = normalise(p, line, (unsigned)i + 1, p->col_of[i], f[i], &p->val[p->col_of[i]],
			       err);
		if (rc)
			return rc;
	}

	code = p->val[COL_CODE].data;
	rc = check_code(p, line, p->field_of[COL_CODE], "code",
			cs_str_make(code, p->val[COL_CODE].len), err);
	if (rc)
		return rc;
	first = seen_find(&p->seen, code);
	if (first)
		return cs_fail(err, CS_EPARSE, "%s:%zu:%u: duplicate code '%s' (first at line %zu)",
			       p->name, line, p->field_of[COL_CODE], code, first);

	bad = tidy_name(&p->val[COL_NAME]);
	if (bad != SIZE_MAX)
		return cs_fail(err, CS_EPARSE, "%s:%zu:%u: name of unit '%s' has the character %s",
			       p->name, line, p->field_of[COL_NAME], code,
			       show_char(cs_str_make(p->val[COL_NAME].data, p->val[COL_NAME].len),
					 bad, ch));
	if (p->val[COL_NAME].len == 0)
		return cs_fail(err, CS_EPARSE, "%s:%zu:%u: empty name of unit '%s'", p->name, line,
			       p->field_of[COL_NAME], code);
	if (p->val[COL_NAME].len > NAME_MAX_BYTES)
		return cs_fail(err, CS_EPARSE,
			       "%s:%zu:%u: name of unit '%s' is %zu bytes long; at most %d",
			       p->name, line, p->field_of[COL_NAME], code, p->val[COL_NAME].len,
			       NAME_MAX_BYTES);

	if (p->val[COL_PARENT].len) {
		rc = check_code(p, line, p->field_of[COL_PARENT], "parent",
				cs_str_make(p->val[COL_PARENT].data, p->val[COL_PARENT].len), err);
		if (rc)
			return rc;
	}

	if (p->val[COL_LEVEL].len == 0)
		return cs_fail(err, CS_EPARSE, "%s:%zu:%u: empty level of unit '%s'; %s", p->name,
			       line, p->field_of[COL_LEVEL], code, EXPECTED_LEVELS);
	if (!cs_level_parse(cs_str_make(p->val[COL_LEVEL].data, p->val[COL_LEVEL].len), &u.level))
		return cs_fail(err, CS_EPARSE, "%s:%zu:%u: unknown level '%s'; %s", p->name, line,
			       p->field_of[COL_LEVEL],
			       show(cs_str_make(p->val[COL_LEVEL].data, p->val[COL_LEVEL].len), v),
			       EXPECTED_LEVELS);

	if ((rc = parse_date(p, line, COL_VALID_FROM, code, from, err)) ||
	    (rc = parse_date(p, line, COL_VALID_TO, code, to, err)))
		return rc;
	if (opt(p, COL_VALID_FROM) && opt(p, COL_VALID_TO) && strcmp(from, to) > 0)
		return cs_fail(err, CS_EPARSE,
			       "%s:%zu:%u: unit '%s' is valid from %s, after its valid_to %s; "
			       "expected valid_from on or before valid_to",
			       p->name, line, p->field_of[COL_VALID_TO], code, from, to);

	u.code = code;
	u.name = p->val[COL_NAME].data;
	u.parent = opt(p, COL_PARENT);
	u.valid_from = opt(p, COL_VALID_FROM) ? from : NULL;
	u.valid_to = opt(p, COL_VALID_TO) ? to : NULL;
	u.src = (struct cs_unit_src){
		.file = p->name,
		.line = line,
		.col_code = p->field_of[COL_CODE],
		.col_parent = p->field_of[COL_PARENT],
		.col_successor = p->field_of[COL_SUCCESSOR],
		.col_flags = p->field_of[COL_FLAGS],
		.col_valid_from = p->field_of[COL_VALID_FROM],
		.col_valid_to = p->field_of[COL_VALID_TO],
	};
	if (opt(p, COL_FLAGS)) {
		if ((rc = canon_list(p, line, COL_FLAGS, code, &p->flags, err)))
			return rc;
		u.flags = p->flags.len ? p->flags.data : NULL;
	}
	if (opt(p, COL_SUCCESSOR)) {
		if ((rc = canon_list(p, line, COL_SUCCESSOR, code, &p->succ, err)))
			return rc;
		u.successor = p->succ.len ? p->succ.data : NULL;
	}
	rc = cs_unit_set_add(p->out, &u, err);
	if (rc)
		return rc;
	return seen_add(&p->seen, cs_unit_set_at(p->out, p->out->units.len - 1)->code, line, err);
}

enum cs_err cs_unit_csv_parse(const char *name, const char *data, size_t len,
			      struct cs_unit_set *out, struct cs_error *err)
{
	struct parser p = {.name = name, .out = out};
	enum cs_err rc;

	if (len > CS_UNIT_CSV_MAX)
		return cs_fail(err, CS_ETOOBIG,
			       "%s: the file is %zu bytes; unit files of at most %u bytes are "
			       "accepted",
			       name, len, CS_UNIT_CSV_MAX);
	for (int c = 0; c < COL_COUNT; c++)
		cs_buf_init(&p.val[c], VALUE_MAX);
	cs_buf_init(&p.flags, VALUE_MAX);
	cs_buf_init(&p.succ, VALUE_MAX);
	rc = cs_csv_read(name, data, len, FIELD_MAX, row, &p, err);
	if (!rc && !p.have_header)
		rc = cs_fail(err, CS_EPARSE,
			     "%s:1: empty file; expected a header row with columns "
			     "code,name,parent,level",
			     name);
	for (int c = 0; c < COL_COUNT; c++)
		cs_buf_release(&p.val[c]);
	cs_buf_release(&p.flags);
	cs_buf_release(&p.succ);
	cs_free(p.seen.slots);
	return rc;
}
