/*
 * The response importer: CSV (io/csv.h), XLSX (io/xlsx.h) and JSON lines
 * (Jansson) are turned into rows of fields under a header, and every row is
 * checked against the questionnaire and the units before it goes to the
 * sink. Problems are collected with their place rather than stopping at the
 * first, so that one run lists what to fix.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/relevance.h"
#include "io/csv.h"
#include "io/response_import.h"
#include "io/xlsx.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/utf8.h"

#include "util/banned.h"

/*
 * Items whose one-digit answers need no lookup: a likert5 item without
 * choices (or with the choices "1".."5" in order) takes "1".."5", a yes/no
 * item without choices "0" and "1". Everything else goes through
 * cs_questionnaire_parse_answer, which gives the same values for these.
 */
enum {
	FAST_LIKERT = 1,
	FAST_YESNO = 2
};

/* The columns that are not items. */
enum col_kind {
	C_ID,
	C_UNIT,
	C_SUBMITTED,
	C_CHANNEL,
	C_WEIGHT,
	C_STRATUM,
	C_PSU,
	C_FPC,
	C_KIND,
	C_SERVICE,
	C_FIXED_COUNT_,
	C_ITEM = C_FIXED_COUNT_,
	C_NONE /* an unknown or repeated column, already reported */
};

static const char *const fixed_names[C_FIXED_COUNT_] = {
	"id",	   "unit", "submitted_at", "channel", "weight",
	"stratum", "psu",  "fpc",	   "kind",    "service"};

#define FIXED_LIST "id, unit, submitted_at, channel, weight, stratum, psu, fpc, kind, service"

struct col {
	enum col_kind kind;
	size_t item;
	char *name; /* owned by the importer's arena */
};

struct unit_ref {
	const char *code;
	int64_t id;
};

/* A stratum's fpc, to check that it is the same on every row. */
struct fpc_entry {
	const char *stratum; /* NULL: empty slot */
	size_t len;
	double fpc;
	size_t line;
};

struct imp {
	const struct cs_questionnaire *q;
	const char *name;
	enum cs_resp_format fmt;
	const struct cs_resp_import_opts *o;
	size_t max_errors, every;
	cs_resp_sink_fn *sink;
	void *sink_ctx;
	struct cs_resp_import_report *rep;
	struct cs_error first;
	struct cs_arena arena;

	struct cs_vec cols;	      /* of struct col, by position */
	size_t fixed[C_FIXED_COUNT_]; /* position + 1 of each fixed column; 0 when absent */
	size_t *item_col;	      /* per item: position + 1 */
	unsigned char *fast;	      /* per item: FAST_LIKERT, FAST_YESNO or 0 */
	size_t nitems;
	size_t kind_item, service_item;
	bool header_done;

	struct unit_ref *units;
	size_t nunits;

	struct fpc_entry *fpcs;
	size_t fpc_cap, fpc_len;

	struct cs_q_answer *answers;
	struct cs_str *texts;
	struct cs_buf *text_bufs; /* per item, for text answers in NFC */
	struct cs_buf key_bufs[C_FIXED_COUNT_];
	struct cs_str *fields; /* JSON and XLSX rows, by position */
	size_t fields_cap;
	struct cs_buf scratch; /* JSON numbers and multi lists */
	char date[40];
	size_t done; /* bytes consumed, when known */
	size_t len;
	bool fatal;
};

const char *cs_resp_format_name(enum cs_resp_format f)
{
	static const char *const names[] = {"csv", "xlsx", "jsonl"};

	return (unsigned)f < CS_RESP_FORMAT_COUNT_ ? names[f] : NULL;
}

bool cs_resp_format_from_path(const char *path, enum cs_resp_format *out)
{
	const char *dot = strrchr(path, '.');
	struct cs_str ext = cs_str_from(dot ? dot + 1 : "");

	if (cs_str_eq_nocase(ext, "csv"))
		*out = CS_RESP_CSV;
	else if (cs_str_eq_nocase(ext, "xlsx"))
		*out = CS_RESP_XLSX;
	else if (cs_str_eq_nocase(ext, "jsonl") || cs_str_eq_nocase(ext, "ndjson") ||
		 cs_str_eq_nocase(ext, "json"))
		*out = CS_RESP_JSONL;
	else
		return false;
	return true;
}

void cs_resp_import_report_init(struct cs_resp_import_report *r)
{
	memset(r, 0, sizeof(*r));
	cs_vec_init(&r->messages, sizeof(char *), 0);
}

void cs_resp_import_report_release(struct cs_resp_import_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->messages.len; i++)
		cs_free(*(char **)cs_vec_at(&r->messages, i));
	cs_vec_release(&r->messages);
}

/* How a value appears in a message: at most 40 bytes of it. */
#define SHOWN(s) (int)((s).len > 40 ? 40 : (s).len), (s).ptr

/*
 * Records a problem at line:col (col 0: none) of column colname. The message
 * is kept when there is room; the first is also kept in m->first.
 */
__attribute__((format(printf, 5, 6))) static void problem(struct imp *m, size_t line, size_t col,
							  const char *colname, const char *fmt, ...)
{
	char msg[CS_ERROR_MSG_MAX], where[160];
	va_list ap;
	char *copy;

	m->rep->errors++;
	if (m->rep->errors > m->max_errors && m->first.code)
		return;
	if (m->fmt == CS_RESP_JSONL)
		snprintf(where, sizeof(where), "%s:%zu:%s%.64s%s", m->name, line,
			 colname ? " key '" : "", colname ? colname : "", colname ? "':" : "");
	else if (col)
		snprintf(where, sizeof(where), "%s:%zu:%zu:", m->name, line, col);
	else
		snprintf(where, sizeof(where), "%s:%zu:", m->name, line);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!m->first.code)
		cs_fail(&m->first, CS_EPARSE, "%s %s", where, msg);
	if (m->rep->messages.len >= m->max_errors)
		return;
	copy = cs_malloc(strlen(where) + strlen(msg) + 2);
	if (!copy)
		return;
	memcpy(copy, where, strlen(where));
	copy[strlen(where)] = ' ';
	memcpy(copy + strlen(where) + 1, msg, strlen(msg) + 1);
	if (cs_vec_push(&m->rep->messages, &copy, NULL))
		cs_free(copy);
}

static int cmp_unit_ref(const void *a, const void *b)
{
	return strcmp(((const struct unit_ref *)a)->code, ((const struct unit_ref *)b)->code);
}

static const struct unit_ref *find_unit(const struct imp *m, struct cs_str code)
{
	size_t lo = 0, hi = m->nunits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *c = m->units[mid].code;
		size_t clen = strlen(c);
		int r = memcmp(c, code.ptr, clen < code.len ? clen : code.len);

		if (!r)
			r = clen < code.len ? -1 : clen > code.len ? 1 : 0;
		if (!r)
			return &m->units[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- The header ---- */

static const char *col_name(const struct imp *m, size_t pos)
{
	return pos < m->cols.len ? ((const struct col *)cs_vec_at(&m->cols, pos))->name : "";
}

/*
 * Registers the column at position pos (0-based) named name. Items named
 * kind or service take precedence over those fixed columns, since they are
 * the questionnaire's respondent fields.
 */
static enum cs_err add_column(struct imp *m, size_t pos, struct cs_str name, size_t line,
			      struct cs_error *err)
{
	struct col c = {.kind = C_NONE, .item = CS_Q_NONE};
	struct cs_str t = cs_str_trim(name);
	size_t item;
	enum cs_err rc;

	c.name = cs_arena_strdup_str(&m->arena, t);
	if (!c.name)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (int k = 0; k < C_FIXED_COUNT_ && c.kind == C_NONE; k++)
		if (cs_str_eq_cstr(t, fixed_names[k]) && k != C_KIND && k != C_SERVICE)
			c.kind = (enum col_kind)k;
	if (c.kind == C_NONE && cs_questionnaire_find_item(m->q, c.name, &item)) {
		c.kind = C_ITEM;
		c.item = item;
	}
	if (c.kind == C_NONE && cs_str_eq_cstr(t, "kind") && m->kind_item == CS_Q_NONE)
		c.kind = C_KIND;
	if (c.kind == C_NONE && cs_str_eq_cstr(t, "service") && m->service_item == CS_Q_NONE)
		c.kind = C_SERVICE;
	if (c.kind == C_NONE) {
		problem(m, line, pos + 1, c.name,
			"unknown column '%.*s'; expected %s or an item code of questionnaire '%s'",
			SHOWN(t), FIXED_LIST, cs_questionnaire_info(m->q)->code);
	} else if (c.kind == C_ITEM ? m->item_col[c.item] != 0 : m->fixed[c.kind] != 0) {
		size_t first = c.kind == C_ITEM ? m->item_col[c.item] : m->fixed[c.kind];

		problem(m, line, pos + 1, c.name, "column '%s' repeats column %zu", c.name, first);
		c.kind = C_NONE;
	} else if (c.kind == C_ITEM) {
		if (cs_questionnaire_item(m->q, c.item)->type == CS_Q_NOTE) {
			problem(m, line, pos + 1, c.name,
				"item '%s' is a note and takes no answer; remove the column",
				c.name);
			c.kind = C_NONE;
		} else {
			m->item_col[c.item] = pos + 1;
		}
	} else {
		m->fixed[c.kind] = pos + 1;
	}
	rc = cs_vec_reserve(&m->cols, pos + 1, err);
	if (rc)
		return rc;
	while (m->cols.len < pos) {
		struct col none = {.kind = C_NONE, .item = CS_Q_NONE, .name = ""};

		cs_vec_push(&m->cols, &none, NULL);
	}
	if (m->cols.len == pos)
		cs_vec_push(&m->cols, &c, NULL);
	else
		*(struct col *)cs_vec_at(&m->cols, pos) = c;
	return CS_OK;
}

/* After the header: the required columns (M3.1: required items). */
static void check_header(struct imp *m, size_t line)
{
	m->rep->id_col = m->fixed[C_ID];
	if (!m->fixed[C_ID] || !m->fixed[C_UNIT]) {
		problem(m, line, 0, NULL, "missing column '%s'; every row needs an id and a unit",
			m->fixed[C_ID] ? "unit" : "id");
		m->fatal = true;
		return;
	}
	for (size_t i = 0; i < m->nitems; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(m->q, i);

		if (it->required && !it->relevant && !m->item_col[i])
			problem(m, line, 0, NULL, "missing column '%s' of a required item",
				it->code);
	}
	m->header_done = true;
}

static enum cs_err header_row(struct imp *m, size_t line, const struct cs_str *f, size_t nf,
			      struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	for (size_t j = 0; j < nf && !rc; j++) {
		if (!cs_str_trim(f[j]).len) {
			problem(m, line, j + 1, NULL, "empty column name");
			continue;
		}
		rc = add_column(m, j, f[j], line, err);
	}
	if (!rc)
		check_header(m, line);
	return rc;
}

/* ---- One row ---- */

static struct cs_str field_at(const struct cs_str *f, size_t nf, size_t pos1)
{
	return pos1 && pos1 - 1 < nf ? cs_str_trim(f[pos1 - 1]) : cs_str_make("", 0);
}

/* A key-like text field (channel, stratum, ...) in NFC into its buffer. */
static bool key_field(struct imp *m, size_t line, enum col_kind k, struct cs_str v,
		      struct cs_str *out, struct cs_error *err, enum cs_err *rc)
{
	struct cs_buf *b = &m->key_bufs[k];

	*out = cs_str_make("", 0);
	if (!v.len)
		return true;
	if (v.len > CS_RESP_KEY_MAX) {
		problem(m, line, m->fixed[k], fixed_names[k],
			"%s '%.*s...' is longer than %d bytes", fixed_names[k], SHOWN(v),
			CS_RESP_KEY_MAX);
		return false;
	}
	cs_buf_reset(b);
	*rc = cs_utf8_nfc(v.ptr, v.len, b, err);
	if (*rc == CS_EUTF8) {
		*rc = CS_OK;
		problem(m, line, m->fixed[k], fixed_names[k], "%s is not valid UTF-8",
			fixed_names[k]);
		return false;
	}
	if (*rc)
		return false;
	for (size_t i = 0; i < b->len; i++) {
		if ((unsigned char)b->data[i] < 0x20) {
			problem(m, line, m->fixed[k], fixed_names[k],
				"%s holds a control character", fixed_names[k]);
			return false;
		}
	}
	*out = cs_str_make(b->data, b->len);
	return true;
}

static bool digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/*
 * submitted_at: a date (YYYY-MM-DD or DD/MM/YYYY) or an ISO 8601 timestamp
 * YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or an offset; kept as written, dates in
 * ISO form.
 */
static bool parse_submitted(struct imp *m, struct cs_str v, struct cs_str *out)
{
	char iso[CS_DATE_LEN];
	const char *p = v.ptr;
	size_t n = v.len, i;

	if (n <= 10) {
		if (cs_date_parse(v, iso, NULL))
			return false;
		memcpy(m->date, iso, CS_DATE_LEN);
		*out = cs_str_make(m->date, 10);
		return true;
	}
	if (n >= sizeof(m->date) || (p[10] != 'T' && p[10] != ' ') ||
	    cs_date_parse(cs_str_make(p, 10), iso, NULL))
		return false;
	i = 11;
	if (n < i + 5 || !digits(p + i, 2) || p[i + 2] != ':' || !digits(p + i + 3, 2) ||
	    (p[i] - '0') * 10 + (p[i + 1] - '0') > 23 ||
	    (p[i + 3] - '0') * 10 + (p[i + 4] - '0') > 59)
		return false;
	i += 5;
	if (i + 3 <= n && p[i] == ':' && digits(p + i + 1, 2) && p[i + 1] <= '5')
		i += 3;
	if (i < n && p[i] == '.') {
		i++;
		while (i < n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (i + 1 == n && p[i] == 'Z')
		i++;
	else if (i + 6 == n && (p[i] == '+' || p[i] == '-') && digits(p + i + 1, 2) &&
		 p[i + 3] == ':' && digits(p + i + 4, 2))
		i += 6;
	if (i != n)
		return false;
	memcpy(m->date, p, n);
	m->date[10] = 'T';
	*out = cs_str_make(m->date, n);
	return true;
}

/* A weight or fpc: a positive finite number (',' accepted as decimal separator). */
static bool positive(struct cs_str v, double *out)
{
	return !cs_str_to_double(v, true, out, NULL) && *out > 0 && isfinite(*out);
}

static uint64_t hash_bytes(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The fpc seen first for a stratum, or records this one. */
static enum cs_err fpc_check(struct imp *m, size_t line, struct cs_str stratum, double fpc,
			     struct cs_error *err)
{
	struct fpc_entry *e;
	size_t mask, j;

	if ((m->fpc_len + 1) * 2 > m->fpc_cap) {
		size_t ncap = m->fpc_cap ? m->fpc_cap * 2 : 64;
		struct fpc_entry *nt = cs_calloc(ncap, sizeof(*nt));

		if (!nt)
			return cs_fail(err, CS_ENOMEM, NULL);
		for (size_t i = 0; i < m->fpc_cap; i++) {
			if (!m->fpcs[i].stratum)
				continue;
			for (j = hash_bytes(m->fpcs[i].stratum, m->fpcs[i].len) & (ncap - 1);
			     nt[j].stratum; j = (j + 1) & (ncap - 1))
				;
			nt[j] = m->fpcs[i];
		}
		cs_free(m->fpcs);
		m->fpcs = nt;
		m->fpc_cap = ncap;
	}
	mask = m->fpc_cap - 1;
	for (j = hash_bytes(stratum.ptr, stratum.len) & mask; m->fpcs[j].stratum;
	     j = (j + 1) & mask) {
		e = &m->fpcs[j];
		if (e->len == stratum.len && memcmp(e->stratum, stratum.ptr, stratum.len) == 0) {
			if (e->fpc != fpc)
				problem(m, line, m->fixed[C_FPC], "fpc",
					"fpc %g of stratum '%.*s' differs from %g given at line "
					"%zu; expected one fpc per stratum",
					fpc, SHOWN(stratum), e->fpc, e->line);
			return CS_OK;
		}
	}
	e = &m->fpcs[j];
	e->stratum = cs_arena_strdup_str(&m->arena, stratum);
	if (!e->stratum)
		return cs_fail(err, CS_ENOMEM, NULL);
	e->len = stratum.len;
	e->fpc = fpc;
	e->line = line;
	m->fpc_len++;
	return CS_OK;
}

/* The value a respondent field item gives (a choice value, or its text). */
static struct cs_str field_value(const struct imp *m, size_t item)
{
	const struct cs_q_item *it;
	const struct cs_q_answer *a;

	if (item == CS_Q_NONE)
		return cs_str_make("", 0);
	it = cs_questionnaire_item(m->q, item);
	a = &m->answers[item];
	if (!a->answered)
		return cs_str_make("", 0);
	if (it->type == CS_Q_SINGLE && a->value >= 0 && a->value < (double)it->nchoices)
		return cs_str_from(it->choices[(size_t)a->value].value);
	if (it->type == CS_Q_TEXT)
		return m->texts[item];
	return cs_str_make("", 0);
}

static enum cs_err data_row(struct imp *m, size_t line, const struct cs_str *f, size_t nf,
			    struct cs_error *err)
{
	struct cs_response r = {.line = line};
	struct cs_str v;
	const struct unit_ref *u = NULL;
	size_t errors0 = m->rep->errors;
	enum cs_err rc = CS_OK;

	m->rep->rows++;
	for (size_t j = m->cols.len; j < nf; j++) {
		if (cs_str_trim(f[j]).len) {
			problem(m, line, j + 1, NULL,
				"value '%.*s' in a column without a name in the header",
				SHOWN(cs_str_trim(f[j])));
			break;
		}
	}

	v = field_at(f, nf, m->fixed[C_ID]);
	if (!v.len)
		problem(m, line, m->fixed[C_ID], "id", "missing id");
	else if (v.len > CS_RESP_KEY_MAX)
		problem(m, line, m->fixed[C_ID], "id", "id '%.*s...' is longer than %d bytes",
			SHOWN(v), CS_RESP_KEY_MAX);
	else if (!cs_utf8_valid(v.ptr, v.len, NULL))
		problem(m, line, m->fixed[C_ID], "id", "id is not valid UTF-8");
	r.id = v;

	v = field_at(f, nf, m->fixed[C_UNIT]);
	if (!v.len) {
		problem(m, line, m->fixed[C_UNIT], "unit", "missing unit");
	} else {
		u = find_unit(m, v);
		if (!u)
			problem(m, line, m->fixed[C_UNIT], "unit",
				"unknown unit '%.*s'; import it with 'chiso unit import' first",
				SHOWN(v));
		else
			r.unit_id = u->id;
	}

	v = field_at(f, nf, m->fixed[C_SUBMITTED]);
	if (v.len && !parse_submitted(m, v, &r.submitted_at))
		problem(m, line, m->fixed[C_SUBMITTED], "submitted_at",
			"submitted_at '%.*s': expected a date YYYY-MM-DD (or DD/MM/YYYY) or a "
			"timestamp YYYY-MM-DDTHH:MM:SSZ",
			SHOWN(v));

	if (m->fixed[C_WEIGHT]) {
		v = field_at(f, nf, m->fixed[C_WEIGHT]);
		if (!v.len)
			problem(m, line, m->fixed[C_WEIGHT], "weight",
				"missing weight; the file has a weight column, so every row needs "
				"one");
		else if (!positive(v, &r.weight))
			problem(m, line, m->fixed[C_WEIGHT], "weight",
				"weight '%.*s': expected a number greater than 0", SHOWN(v));
		else
			r.has_weight = true;
	}
	for (int k = C_CHANNEL; k <= C_SERVICE && !rc; k++) {
		struct cs_str *dst = k == C_CHANNEL   ? &r.channel
				     : k == C_STRATUM ? &r.stratum
				     : k == C_PSU     ? &r.psu
				     : k == C_KIND    ? &r.kind
				     : k == C_SERVICE ? &r.service
						      : NULL;

		if (!dst || !m->fixed[k])
			continue;
		v = field_at(f, nf, m->fixed[k]);
		if (!v.len && (k == C_STRATUM || k == C_PSU)) {
			problem(m, line, m->fixed[k], fixed_names[k],
				"missing %s; the file has a %s column, so every row needs one",
				fixed_names[k], fixed_names[k]);
			continue;
		}
		key_field(m, line, (enum col_kind)k, v, dst, err, &rc);
	}
	if (rc)
		return rc;
	if (m->fixed[C_FPC]) {
		v = field_at(f, nf, m->fixed[C_FPC]);
		if (!v.len)
			problem(m, line, m->fixed[C_FPC], "fpc",
				"missing fpc; the file has an fpc column, so every row needs one");
		else if (!positive(v, &r.fpc))
			problem(m, line, m->fixed[C_FPC], "fpc",
				"fpc '%.*s': expected the stratum's population size or a sampling "
				"fraction greater than 0",
				SHOWN(v));
		else {
			r.has_fpc = true;
			rc = fpc_check(m, line, r.stratum, r.fpc, err);
			if (rc)
				return rc;
		}
	}

	/* The answers (M3.2): each checked against its item's scale. */
	for (size_t i = 0; i < m->nitems; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(m->q, i);
		struct cs_error aerr;

		m->answers[i] = (struct cs_q_answer){0};
		m->texts[i] = cs_str_make("", 0);
		if (!m->item_col[i])
			continue;
		v = field_at(f, nf, m->item_col[i]);
		if (it->type == CS_Q_TEXT && v.len) {
			struct cs_buf *b = &m->text_bufs[i];

			cs_buf_reset(b);
			rc = cs_utf8_nfc(v.ptr, v.len, b, err);
			if (rc == CS_EUTF8 || rc == CS_ETOOBIG) {
				problem(m, line, m->item_col[i], it->code, "item '%s': %s",
					it->code,
					rc == CS_EUTF8 ? "the answer is not valid UTF-8"
						       : "the answer is too long");
				rc = CS_OK;
				continue;
			}
			if (rc)
				return rc;
			m->texts[i] = cs_str_make(b->data, b->len);
			m->answers[i].answered = true;
			continue;
		}
		if (v.len == 1 &&
		    ((m->fast[i] == FAST_LIKERT && v.ptr[0] >= '1' && v.ptr[0] <= '5') ||
		     (m->fast[i] == FAST_YESNO && (v.ptr[0] == '0' || v.ptr[0] == '1')))) {
			m->answers[i].answered = true;
			m->answers[i].value = v.ptr[0] - '0';
			continue;
		}
		if (v.len && cs_questionnaire_parse_answer(m->q, i, v, &m->answers[i], &aerr)) {
			problem(m, line, m->item_col[i], it->code, "%s", aerr.msg);
			continue;
		}
		if (!m->answers[i].answered && it->required && !it->relevant)
			problem(m, line, m->item_col[i], it->code,
				"item '%s': missing answer to a required item", it->code);
	}
	/* A required item with a relevance condition must be answered when
	 * the condition holds for this respondent's other answers (M3.1); the
	 * survey pages apply the same rule (core/relevance.c). A condition
	 * outside the supported subset leaves the item optional here, as the
	 * pages then ask it without enforcing it. */
	for (size_t i = 0; i < m->nitems; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(m->q, i);
		struct cs_error rerr = {0};
		bool asked = false;

		if (!it->required || !it->relevant || m->answers[i].answered || !m->item_col[i])
			continue;
		if (cs_relevance_eval(m->q, it->relevant, m->answers, m->texts, &asked, &rerr) ==
			    CS_OK &&
		    asked)
			problem(m, line, m->item_col[i], it->code,
				"item '%s': missing answer to a required item (its condition %s "
				"holds)",
				it->code, it->relevant);
	}
	if (m->kind_item != CS_Q_NONE)
		r.kind = field_value(m, m->kind_item);
	if (m->service_item != CS_Q_NONE)
		r.service = field_value(m, m->service_item);
	r.answers = m->answers;
	r.texts = m->texts;

	if (m->rep->errors == errors0) {
		struct cs_error serr = {0};

		rc = m->sink(m->sink_ctx, &r, &serr);
		if (rc == CS_EEXIST || rc == CS_EINVAL) {
			problem(m, line, m->fixed[C_ID], "id", "%s", serr.msg);
			rc = CS_OK;
		} else if (rc) {
			cs_fail(err, rc, "%s:%zu: %s", m->name, line, serr.msg);
		} else {
			m->rep->accepted++;
		}
	}
	if (!rc && m->o && m->o->progress && m->rep->rows % m->every == 0)
		m->o->progress(m->o->progress_ctx, m->rep->rows, m->done, m->len);
	return rc;
}

static enum cs_err any_row(struct imp *m, size_t line, const struct cs_str *f, size_t nf,
			   struct cs_error *err)
{
	if (m->fatal)
		return CS_OK;
	if (!m->header_done)
		return header_row(m, line, f, nf, err);
	return data_row(m, line, f, nf, err);
}

/* ---- CSV ---- */

static enum cs_err csv_row(void *ctx, size_t line, const struct cs_str *fields, size_t nfields,
			   struct cs_error *err)
{
	return any_row(ctx, line, fields, nfields, err);
}

/* ---- XLSX ---- */

static enum cs_err ensure_fields(struct imp *m, size_t n, struct cs_error *err)
{
	struct cs_str *nf;

	if (n <= m->fields_cap)
		return CS_OK;
	nf = cs_reallocarray(m->fields, n, sizeof(*nf));
	if (!nf)
		return cs_fail(err, CS_ENOMEM, NULL);
	m->fields = nf;
	m->fields_cap = n;
	return CS_OK;
}

struct xlsx_ctx {
	struct imp *m;
	bool date1904;
	char dates[2][CS_DATE_LEN];
};

static enum cs_err xlsx_row(void *ctx, size_t row, const struct cs_xlsx_cell *cells, size_t n,
			    struct cs_error *err)
{
	struct xlsx_ctx *x = ctx;
	struct imp *m = x->m;
	enum cs_err rc = ensure_fields(m, n + 1, err);

	if (rc || m->fatal)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct cs_xlsx_cell *c = &cells[i];

		m->fields[i] = cs_str_make(c->text, c->len);
		if (c->type == CS_XLSX_BOOL)
			m->fields[i] = c->text[0] == 'T' ? CS_STR("1") : CS_STR("0");
		if (c->type == CS_XLSX_ERROR) {
			problem(m, row, i + 1, NULL, "the cell holds the error %.*s",
				SHOWN(m->fields[i]));
			m->fields[i] = cs_str_make("", 0);
		}
		if (c->type == CS_XLSX_DATE && m->header_done && m->fixed[C_SUBMITTED] == i + 1) {
			double serial = strtod(c->text, NULL);

			if (x->date1904)
				serial += 1462;
			if (cs_xlsx_serial_to_iso(serial, x->dates[0], NULL))
				problem(m, row, i + 1, "submitted_at",
					"date serial %.*s is not a day of the calendar",
					SHOWN(m->fields[i]));
			else
				m->fields[i] = cs_str_make(x->dates[0], 10);
		}
	}
	return any_row(m, row, m->fields, n, err);
}

static enum cs_err read_xlsx(struct imp *m, const char *data, size_t len, struct cs_error *err)
{
	struct cs_xlsx *x = NULL;
	struct xlsx_ctx ctx = {.m = m};
	size_t sheet = 0;
	enum cs_err rc = cs_xlsx_open(m->name, data, len, &x, err);

	if (rc)
		return rc;
	/* The first visible sheet holds the responses. */
	while (sheet + 1 < cs_xlsx_sheet_count(x) && cs_xlsx_sheet_hidden(x, sheet))
		sheet++;
	ctx.date1904 = cs_xlsx_date1904(x);
	rc = cs_xlsx_read_sheet(x, sheet, xlsx_row, &ctx, err);
	cs_xlsx_free(x);
	return rc;
}

/* ---- JSON lines ---- */

/* A JSON value as the text a CSV cell would hold; false for objects. */
static bool json_text(struct imp *m, json_t *v, struct cs_str *out, struct cs_error *err,
		      enum cs_err *rc)
{
	char num[40];
	int n;

	switch (json_typeof(v)) {
	case JSON_STRING:
		*out = cs_str_make(json_string_value(v), json_string_length(v));
		return true;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		n = snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		break;
	case JSON_TRUE:
		*out = CS_STR("1");
		return true;
	case JSON_FALSE:
		*out = CS_STR("0");
		return true;
	case JSON_NULL:
		*out = cs_str_make("", 0);
		return true;
	case JSON_ARRAY: {
		size_t start = m->scratch.len, i;
		json_t *e;

		json_array_foreach(v, i, e)
		{
			if (!json_is_string(e))
				return false;
			if (i)
				*rc = cs_buf_addc(&m->scratch, ';', err);
			if (!*rc)
				*rc = cs_buf_add(&m->scratch, json_string_value(e),
						 json_string_length(e), err);
			if (*rc)
				return true;
		}
		*rc = cs_buf_addc(&m->scratch, '\0', err);
		/* Offsets, not pointers: the buffer may move; fixed up by the caller. */
		*out = cs_str_make((const char *)(uintptr_t)start, m->scratch.len - 1 - start);
		return true;
	}
	default:
		return false;
	}
	*rc = cs_buf_add(&m->scratch, num, (size_t)n + 1, err);
	*out = cs_str_make((const char *)(uintptr_t)(m->scratch.len - (size_t)n - 1), (size_t)n);
	return true;
}

static enum cs_err jsonl_line(struct imp *m, size_t line, const char *p, size_t n,
			      struct cs_error *err)
{
	json_error_t jerr;
	json_t *obj = json_loadb(p, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	const char *key;
	json_t *v;
	bool *scratch_ref = NULL;
	enum cs_err rc = CS_OK;

	if (!obj) {
		problem(m, line, 0, NULL, "malformed JSON at column %d: %s", jerr.column,
			jerr.text);
		return CS_OK;
	}
	if (!json_is_object(obj)) {
		problem(m, line, 0, NULL, "expected a JSON object, one respondent per line");
		json_decref(obj);
		return CS_OK;
	}
	cs_buf_reset(&m->scratch);
	rc = ensure_fields(m, m->cols.len + json_object_size(obj) + 1, err);
	for (size_t j = 0; j < m->cols.len && !rc; j++)
		m->fields[j] = cs_str_make("", 0);
	scratch_ref = cs_calloc(m->cols.len + json_object_size(obj) + 1, sizeof(bool));
	if (!rc && !scratch_ref)
		rc = cs_fail(err, CS_ENOMEM, NULL);
	json_object_foreach(obj, key, v)
	{
		size_t pos = SIZE_MAX;
		struct cs_str t;

		if (rc)
			break;
		for (size_t j = 0; j < m->cols.len; j++)
			if (strcmp(col_name(m, j), key) == 0)
				pos = j;
		if (pos == SIZE_MAX) {
			/* A new key becomes a column; unknown ones are reported once. */
			pos = m->cols.len;
			rc = add_column(m, pos, cs_str_from(key), line, err);
			if (rc)
				break;
			m->fields[pos] = cs_str_make("", 0);
		}
		if (!json_text(m, v, &t, err, &rc)) {
			problem(m, line, 0, key,
				"expected a string, number, boolean, null or list of "
				"strings");
			continue;
		}
		if (rc)
			break;
		m->fields[pos] = t;
		scratch_ref[pos] = !json_is_string(v) && !json_is_null(v) && !json_is_boolean(v);
	}
	for (size_t j = 0; j < m->cols.len && !rc; j++)
		if (scratch_ref[j])
			m->fields[j] = cs_str_make(m->scratch.data + (uintptr_t)m->fields[j].ptr,
						   m->fields[j].len);
	if (!rc && !m->header_done) {
		check_header(m, line);
		m->header_done = !m->fatal;
	}
	if (!rc && !m->fatal)
		rc = data_row(m, line, m->fields, m->cols.len, err);
	cs_free(scratch_ref);
	json_decref(obj);
	return rc;
}

static enum cs_err read_jsonl(struct imp *m, const char *data, size_t len, struct cs_error *err)
{
	size_t pos = cs_utf8_bom_len(data, len), line = 0;
	enum cs_err rc = CS_OK;

	while (pos < len && !rc && !m->fatal) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		struct cs_str s = cs_str_trim(cs_str_make(data + pos, end - pos));

		line++;
		m->done = end;
		if (s.len > CS_RESP_FIELD_MAX * 16)
			return cs_fail(err, CS_ETOOBIG, "%s:%zu: line longer than %u bytes",
				       m->name, line, CS_RESP_FIELD_MAX * 16);
		if (s.len)
			rc = jsonl_line(m, line, s.ptr, s.len, err);
		pos = end + 1;
	}
	if (!rc && !m->header_done && !m->fatal)
		problem(m, line ? line : 1, 0, NULL, "no responses in the file");
	return rc;
}

/* ---- Driver ---- */

static void imp_release(struct imp *m)
{
	if (m->text_bufs)
		for (size_t i = 0; i < m->nitems; i++)
			cs_buf_release(&m->text_bufs[i]);
	for (int k = 0; k < C_FIXED_COUNT_; k++)
		cs_buf_release(&m->key_bufs[k]);
	cs_buf_release(&m->scratch);
	cs_free(m->text_bufs);
	cs_free(m->answers);
	cs_free(m->texts);
	cs_free(m->item_col);
	cs_free(m->fast);
	cs_free(m->units);
	cs_free(m->fpcs);
	cs_free(m->fields);
	cs_vec_release(&m->cols);
	cs_arena_release(&m->arena);
}

static enum cs_err imp_init(struct imp *m, const struct cs_questionnaire *q,
			    const struct cs_unit_set *units, struct cs_error *err)
{
	size_t n = cs_questionnaire_item_count(q);

	m->q = q;
	m->nitems = n;
	m->kind_item = cs_questionnaire_field_item(q, CS_Q_FIELD_KIND);
	m->service_item = cs_questionnaire_field_item(q, CS_Q_FIELD_SERVICE);
	cs_arena_init(&m->arena, 0);
	cs_vec_init(&m->cols, sizeof(struct col), CS_CSV_MAX_FIELDS);
	cs_buf_init(&m->scratch, CS_RESP_FIELD_MAX * 16);
	for (int k = 0; k < C_FIXED_COUNT_; k++)
		cs_buf_init(&m->key_bufs[k], CS_RESP_KEY_MAX * 4);
	m->item_col = cs_calloc(n + 1, sizeof(size_t));
	m->fast = cs_calloc(n + 1, 1);
	m->answers = cs_calloc(n + 1, sizeof(*m->answers));
	m->texts = cs_calloc(n + 1, sizeof(*m->texts));
	m->text_bufs = cs_calloc(n + 1, sizeof(*m->text_bufs));
	m->units = cs_calloc(units->units.len + 1, sizeof(*m->units));
	if (!m->item_col || !m->fast || !m->answers || !m->texts || !m->text_bufs || !m->units)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(q, i);
		bool digits = it->nchoices == 5;

		for (size_t c = 0; c < it->nchoices && digits; c++)
			digits = it->choices[c].value[0] == (char)('1' + c) &&
				 it->choices[c].value[1] == '\0';
		cs_buf_init(&m->text_bufs[i], CS_RESP_FIELD_MAX * 2);
		if (it->type == CS_Q_LIKERT5 && (!it->nchoices || digits))
			m->fast[i] = FAST_LIKERT;
		if (it->type == CS_Q_YESNO && !it->nchoices)
			m->fast[i] = FAST_YESNO;
	}
	for (size_t i = 0; i < units->units.len; i++) {
		const struct cs_unit *u = cs_unit_set_at(units, i);

		m->units[i] = (struct unit_ref){u->code, u->id};
	}
	m->nunits = units->units.len;
	qsort(m->units, m->nunits, sizeof(*m->units), cmp_unit_ref);
	return CS_OK;
}

enum cs_err cs_resp_import(const struct cs_questionnaire *q, const struct cs_unit_set *units,
			   const char *name, const char *data, size_t len, enum cs_resp_format fmt,
			   const struct cs_resp_import_opts *o, cs_resp_sink_fn *sink,
			   void *sink_ctx, struct cs_resp_import_report *rep, struct cs_error *err)
{
	struct imp m = {0};
	enum cs_err rc;

	if (!cs_questionnaire_is_valid(q))
		return cs_fail(err, CS_ESTATE, "the questionnaire is not validated");
	m.name = name;
	m.fmt = fmt;
	m.o = o;
	m.max_errors = o && o->max_errors ? o->max_errors : CS_RESP_ERRORS_DEFAULT;
	m.every = o && o->progress_every ? o->progress_every : 100000;
	m.sink = sink;
	m.sink_ctx = sink_ctx;
	m.rep = rep;
	m.len = len;
	rc = imp_init(&m, q, units, err);
	if (!rc) {
		switch (fmt) {
		case CS_RESP_CSV:
			rc = cs_csv_read(name, data, len, CS_RESP_FIELD_MAX, csv_row, &m, err);
			if (!rc && !m.header_done && !m.fatal)
				problem(&m, 1, 0, NULL, "no header row: the file is empty");
			break;
		case CS_RESP_XLSX:
			rc = read_xlsx(&m, data, len, err);
			if (!rc && !m.header_done && !m.fatal)
				problem(&m, 1, 0, NULL, "no header row: the first sheet is empty");
			break;
		case CS_RESP_JSONL:
			rc = read_jsonl(&m, data, len, err);
			break;
		default:
			rc = cs_fail(err, CS_EINVAL, "response format %d: out of range", (int)fmt);
			break;
		}
	}
	m.done = len;
	if (!rc && o && o->progress)
		o->progress(o->progress_ctx, rep->rows, len, len);
	if (!rc && rep->errors) {
		if (rep->errors > 1)
			cs_fail(err, CS_EPARSE, "%s (and %zu more problem%s)", m.first.msg,
				rep->errors - 1, rep->errors > 2 ? "s" : "");
		else
			cs_fail(err, CS_EPARSE, "%s", m.first.msg);
		rc = CS_EPARSE;
	}
	imp_release(&m);
	return rc;
}
