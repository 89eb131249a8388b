/*
 * A recursive-descent evaluator of XLSForm relevance conditions (the subset
 * described in relevance.h). It reads the expression once, evaluating as it
 * parses; it allocates nothing and never recurses deeper than
 * CS_RELEVANCE_DEPTH_MAX.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/relevance.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Room for the text of any answer but a text item's: 64 choice values and spaces. */
#define TEXT_ROOM (CS_Q_CHOICES_MAX * (CS_Q_CODE_MAX + 1) + 1)

enum val_kind {
	V_BOOL,
	V_NUM,
	V_STR,	/* a literal: a slice of the expression */
	V_ITEM, /* an item's answer */
};

struct val {
	enum val_kind kind;
	bool b;
	double n;
	struct cs_str s;
	size_t item;
};

struct parser {
	const struct cs_questionnaire *q;
	const struct cs_q_answer *answers; /* NULL: checking only, nothing answered */
	const struct cs_str *texts;
	const char *src;
	size_t pos, len;
	unsigned depth;
	struct cs_error *err;
};

static enum cs_err fail_at(struct parser *p, const char *what)
{
	return cs_fail(p->err, CS_EPARSE, "relevance '%.80s' at column %zu: %s", p->src, p->pos + 1,
		       what);
}

static void skip_space(struct parser *p)
{
	while (p->pos < p->len && (p->src[p->pos] == ' ' || p->src[p->pos] == '\t' ||
				   p->src[p->pos] == '\n' || p->src[p->pos] == '\r'))
		p->pos++;
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* True (and consumed) when the next token is the word w. */
static bool take_word(struct parser *p, const char *w)
{
	size_t n = strlen(w);

	skip_space(p);
	if (p->len - p->pos < n || memcmp(p->src + p->pos, w, n) != 0)
		return false;
	if (p->pos + n < p->len && ident_char(p->src[p->pos + n]))
		return false;
	p->pos += n;
	return true;
}

static bool take_char(struct parser *p, char c)
{
	skip_space(p);
	if (p->pos < p->len && p->src[p->pos] == c) {
		p->pos++;
		return true;
	}
	return false;
}

static const struct cs_q_answer *answer(const struct parser *p, size_t item)
{
	static const struct cs_q_answer none = {0};

	return p->answers ? &p->answers[item] : &none;
}

/* The text of an item's answer, as relevance.h describes it. */
static struct cs_str item_text(const struct parser *p, size_t item, char *buf, size_t cap)
{
	const struct cs_q_item *it = cs_questionnaire_item(p->q, item);
	const struct cs_q_answer *a = answer(p, item);
	size_t k, o = 0;
	int n = 0;

	if (!a->answered)
		return cs_str_make("", 0);
	switch (it->type) {
	case CS_Q_LIKERT5:
		k = (size_t)a->value;
		if (it->nchoices == 5 && k >= 1 && k <= 5)
			return cs_str_from(it->choices[k - 1].value);
		n = snprintf(buf, cap, "%d", (int)a->value);
		break;
	case CS_Q_YESNO:
		if (it->nchoices == 2)
			return cs_str_from(it->choices[a->value ? 0 : 1].value);
		n = snprintf(buf, cap, "%d", a->value ? 1 : 0);
		break;
	case CS_Q_SINGLE:
		k = (size_t)a->value;
		return k < it->nchoices ? cs_str_from(it->choices[k].value) : cs_str_make("", 0);
	case CS_Q_MULTI:
		for (k = 0; k < it->nchoices && k < 64; k++) {
			size_t vl;

			if (!(a->choices >> k & 1))
				continue;
			vl = strlen(it->choices[k].value);
			if (o + vl + 2 > cap)
				break;
			if (o)
				buf[o++] = ' ';
			memcpy(buf + o, it->choices[k].value, vl);
			o += vl;
		}
		buf[o] = '\0';
		return cs_str_make(buf, o);
	case CS_Q_NUMBER:
		n = snprintf(buf, cap, "%.15g", a->value);
		break;
	case CS_Q_TEXT:
		return p->texts ? p->texts[item] : cs_str_make("", 0);
	default:
		return cs_str_make("", 0);
	}
	return cs_str_make(buf, n > 0 && (size_t)n < cap ? (size_t)n : 0);
}

static struct cs_str val_text(const struct parser *p, const struct val *v, char *buf, size_t cap)
{
	int n;

	switch (v->kind) {
	case V_STR:
		return v->s;
	case V_ITEM:
		return item_text(p, v->item, buf, cap);
	case V_BOOL:
		return cs_str_from(v->b ? "true" : "false");
	case V_NUM:
	default:
		n = snprintf(buf, cap, "%.15g", v->n);
		return cs_str_make(buf, n > 0 && (size_t)n < cap ? (size_t)n : 0);
	}
}

/* A text as a number: decimal with '.', surrounding spaces allowed; NaN otherwise. */
static double text_num(struct cs_str s)
{
	double d;

	s = cs_str_trim(s);
	if (s.len == 0 || cs_str_to_double(s, false, &d, NULL) != CS_OK)
		return NAN;
	return d;
}

__attribute__((noinline)) static double val_num(const struct parser *p, const struct val *v)
{
	char buf[TEXT_ROOM];

	switch (v->kind) {
	case V_NUM:
		return v->n;
	case V_BOOL:
		return v->b ? 1 : 0;
	default:
		return text_num(val_text(p, v, buf, sizeof(buf)));
	}
}

__attribute__((noinline)) static bool val_bool(const struct parser *p, const struct val *v)
{
	char buf[TEXT_ROOM];

	switch (v->kind) {
	case V_BOOL:
		return v->b;
	case V_NUM:
		return v->n != 0 && !isnan(v->n);
	default:
		return val_text(p, v, buf, sizeof(buf)).len > 0;
	}
}

static struct val make_bool(bool b)
{
	return (struct val){.kind = V_BOOL, .b = b};
}

static struct val make_num(double n)
{
	return (struct val){.kind = V_NUM, .n = n};
}

static enum cs_err parse_or(struct parser *p, struct val *out);

/* ${code}: the item must exist. */
static enum cs_err parse_ref(struct parser *p, struct val *out)
{
	size_t start = p->pos, end;
	char code[CS_Q_CODE_MAX + 1];
	size_t item;

	while (p->pos < p->len && p->src[p->pos] != '}')
		p->pos++;
	if (p->pos >= p->len) {
		p->pos = start;
		return fail_at(p, "'${' without its '}'");
	}
	end = p->pos++;
	if (end == start || end - start > CS_Q_CODE_MAX) {
		p->pos = start;
		return fail_at(p, "expected an item code inside ${...}");
	}
	memcpy(code, p->src + start, end - start);
	code[end - start] = '\0';
	if (!cs_questionnaire_find_item(p->q, code, &item)) {
		p->pos = start;
		return cs_fail(p->err, CS_EPARSE,
			       "relevance '%.80s' at column %zu: unknown item '%s'", p->src,
			       start + 1, code);
	}
	*out = (struct val){.kind = V_ITEM, .item = item};
	return CS_OK;
}

/* Whether the text of b is one of the space-separated values of a. */
__attribute__((noinline)) static bool selected(const struct parser *p, const struct val *a,
					       const struct val *b)
{
	char buf[TEXT_ROOM], vbuf[TEXT_ROOM];
	struct cs_str rest = val_text(p, a, buf, sizeof(buf)), tok;
	struct cs_str v = cs_str_trim(val_text(p, b, vbuf, sizeof(vbuf)));

	while (cs_str_next(&rest, ' ', &tok))
		if (tok.len && cs_str_eq(tok, v))
			return true;
	return false;
}

__attribute__((noinline)) static size_t count_selected(const struct parser *p, const struct val *a)
{
	char buf[TEXT_ROOM];
	struct cs_str rest = val_text(p, a, buf, sizeof(buf)), tok;
	size_t n = 0;

	while (cs_str_next(&rest, ' ', &tok))
		n += tok.len > 0;
	return n;
}

__attribute__((noinline)) static size_t text_length(const struct parser *p, const struct val *a)
{
	char buf[TEXT_ROOM];

	struct cs_str t = cs_str_trim(val_text(p, a, buf, sizeof(buf)));

	return cs_utf8_count(t.ptr, t.len);
}

/*
 * name( args ): the functions of the subset. The texts are made in the
 * helpers above, so that this frame, which recursion repeats, stays small.
 */
static enum cs_err parse_call(struct parser *p, const char *name, struct val *out)
{
	struct val a = {0}, b = {0};
	enum cs_err rc = CS_OK;

	if (!take_char(p, '('))
		return fail_at(p, "expected '(' after a function name");
	if (strcmp(name, "true") == 0 || strcmp(name, "false") == 0) {
		*out = make_bool(name[0] == 't');
	} else if (strcmp(name, "not") == 0) {
		rc = parse_or(p, &a);
		*out = make_bool(!rc && !val_bool(p, &a));
	} else if (strcmp(name, "count-selected") == 0) {
		rc = parse_or(p, &a);
		*out = make_num(rc ? 0 : (double)count_selected(p, &a));
	} else if (strcmp(name, "string-length") == 0) {
		rc = parse_or(p, &a);
		*out = make_num(rc ? 0 : (double)text_length(p, &a));
	} else if (strcmp(name, "selected") == 0) {
		rc = parse_or(p, &a);
		if (!rc && !take_char(p, ','))
			rc = fail_at(p, "expected ',' between the arguments of selected()");
		if (!rc)
			rc = parse_or(p, &b);
		*out = make_bool(!rc && selected(p, &a, &b));
	} else {
		return cs_fail(p->err, CS_EPARSE,
			       "relevance '%.80s': function '%s' is not supported; expected "
			       "selected, count-selected, string-length, not, true or false",
			       p->src, name);
	}
	if (!rc && !take_char(p, ')'))
		rc = fail_at(p, "expected ')'");
	return rc;
}

static enum cs_err parse_primary(struct parser *p, struct val *out)
{
	char c;

	skip_space(p);
	if (p->pos >= p->len)
		return fail_at(p, "unexpected end; expected a value");
	c = p->src[p->pos];
	if (c == '(') {
		enum cs_err rc;

		p->pos++;
		rc = parse_or(p, out);
		if (!rc && !take_char(p, ')'))
			rc = fail_at(p, "expected ')'");
		return rc;
	}
	if (c == '$') {
		if (p->pos + 1 >= p->len || p->src[p->pos + 1] != '{')
			return fail_at(p, "expected '{' after '$'");
		p->pos += 2;
		return parse_ref(p, out);
	}
	if (c == '\'' || c == '"') {
		size_t start = ++p->pos;

		while (p->pos < p->len && p->src[p->pos] != c)
			p->pos++;
		if (p->pos >= p->len) {
			p->pos = start - 1;
			return fail_at(p, "text without its closing quote");
		}
		*out = (struct val){.kind = V_STR,
				    .s = cs_str_make(p->src + start, p->pos - start)};
		p->pos++;
		return CS_OK;
	}
	if ((c >= '0' && c <= '9') || c == '-' || c == '.') {
		size_t start = p->pos;
		double d;

		p->pos++;
		while (p->pos < p->len &&
		       ((p->src[p->pos] >= '0' && p->src[p->pos] <= '9') || p->src[p->pos] == '.'))
			p->pos++;
		if (cs_str_to_double(cs_str_make(p->src + start, p->pos - start), false, &d,
				     NULL)) {
			p->pos = start;
			return fail_at(p, "malformed number");
		}
		*out = make_num(d);
		return CS_OK;
	}
	if (ident_char(c)) {
		char name[32];
		size_t start = p->pos;

		while (p->pos < p->len && ident_char(p->src[p->pos]))
			p->pos++;
		if (p->pos - start >= sizeof(name)) {
			p->pos = start;
			return fail_at(p, "unknown word; expected a value");
		}
		memcpy(name, p->src + start, p->pos - start);
		name[p->pos - start] = '\0';
		skip_space(p);
		if (p->pos < p->len && p->src[p->pos] == '(')
			return parse_call(p, name, out);
		p->pos = start;
		return fail_at(p, "unknown word; expected ${item}, a quoted text, a number or "
				  "a function call");
	}
	return fail_at(p, "unexpected character; expected a value");
}

enum cmp_op {
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
};

static bool take_op(struct parser *p, enum cmp_op *op)
{
	skip_space(p);
	if (p->pos >= p->len)
		return false;
	switch (p->src[p->pos]) {
	case '=':
		*op = OP_EQ;
		p->pos++;
		return true;
	case '!':
		if (p->pos + 1 < p->len && p->src[p->pos + 1] == '=') {
			*op = OP_NE;
			p->pos += 2;
			return true;
		}
		return false;
	case '<':
	case '>': {
		bool eq = p->pos + 1 < p->len && p->src[p->pos + 1] == '=';

		*op = p->src[p->pos] == '<' ? (eq ? OP_LE : OP_LT) : (eq ? OP_GE : OP_GT);
		p->pos += eq ? 2 : 1;
		return true;
	}
	default:
		return false;
	}
}

static bool num_cmp(double a, double b, enum cmp_op op)
{
	switch (op) {
	case OP_EQ:
		return a == b;
	case OP_NE:
		return a != b; /* true when either is NaN, as XPath says */
	case OP_LT:
		return a < b;
	case OP_LE:
		return a <= b;
	case OP_GT:
		return a > b;
	case OP_GE:
	default:
		return a >= b;
	}
}

/* XPath 1.0's comparison of two values (booleans, then numbers, then text). */
__attribute__((noinline)) static bool compare(const struct parser *p, const struct val *a,
					      const struct val *b, enum cmp_op op)
{
	char ba[TEXT_ROOM], bb[TEXT_ROOM];

	if ((op == OP_EQ || op == OP_NE) && (a->kind == V_BOOL || b->kind == V_BOOL)) {
		bool x = val_bool(p, a), y = val_bool(p, b);

		return op == OP_EQ ? x == y : x != y;
	}
	if (a->kind == V_NUM || b->kind == V_NUM || a->kind == V_BOOL || b->kind == V_BOOL ||
	    (op != OP_EQ && op != OP_NE))
		return num_cmp(val_num(p, a), val_num(p, b), op);
	{
		bool eq = cs_str_eq(val_text(p, a, ba, sizeof(ba)), val_text(p, b, bb, sizeof(bb)));

		return op == OP_EQ ? eq : !eq;
	}
}

static enum cs_err parse_cmp(struct parser *p, struct val *out)
{
	struct val b;
	enum cmp_op op;
	enum cs_err rc = parse_primary(p, out);

	if (rc || !take_op(p, &op))
		return rc;
	rc = parse_primary(p, &b);
	if (!rc)
		*out = make_bool(compare(p, out, &b, op));
	return rc;
}

static enum cs_err parse_and(struct parser *p, struct val *out)
{
	enum cs_err rc = parse_cmp(p, out);

	while (!rc && take_word(p, "and")) {
		struct val b;

		rc = parse_cmp(p, &b);
		if (!rc)
			*out = make_bool(val_bool(p, out) && val_bool(p, &b));
	}
	return rc;
}

static enum cs_err parse_or(struct parser *p, struct val *out)
{
	enum cs_err rc;

	if (++p->depth > CS_RELEVANCE_DEPTH_MAX)
		return fail_at(p, "nested too deeply");
	rc = parse_and(p, out);
	while (!rc && take_word(p, "or")) {
		struct val b;

		rc = parse_and(p, &b);
		if (!rc)
			*out = make_bool(val_bool(p, out) || val_bool(p, &b));
	}
	p->depth--;
	return rc;
}

static enum cs_err run(const struct cs_questionnaire *q, const char *expr,
		       const struct cs_q_answer *answers, const struct cs_str *texts,
		       bool *relevant, struct cs_error *err)
{
	struct parser p = {.q = q, .answers = answers, .texts = texts, .src = expr, .err = err};
	struct val v = {0};
	enum cs_err rc;

	p.len = strlen(expr);
	if (p.len > CS_RELEVANCE_MAX)
		return cs_fail(err, CS_EPARSE, "relevance of %zu bytes; at most %d taken", p.len,
			       CS_RELEVANCE_MAX);
	rc = parse_or(&p, &v);
	skip_space(&p);
	if (!rc && p.pos < p.len)
		rc = fail_at(&p, "unexpected text after the condition");
	if (!rc && relevant)
		*relevant = val_bool(&p, &v);
	return rc;
}

enum cs_err cs_relevance_eval(const struct cs_questionnaire *q, const char *expr,
			      const struct cs_q_answer *answers, const struct cs_str *texts,
			      bool *relevant, struct cs_error *err)
{
	return run(q, expr, answers, texts, relevant, err);
}

enum cs_err cs_relevance_check(const struct cs_questionnaire *q, const char *expr,
			       struct cs_error *err)
{
	return run(q, expr, NULL, NULL, NULL, err);
}
