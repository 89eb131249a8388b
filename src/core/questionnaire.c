/*
 * Satisfaction questionnaires (METHODOLOGY M3.1-M3.4): a builder that stores
 * what importers hand it, a validation that names every problem by element
 * or item, and the parsing of one answer as response files write it (M3.2).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ci.h"
#include "core/questionnaire.h"
#include "util/alloc.h"
#include "util/arena.h"

#include "util/banned.h"

/* Room for ci_unweighted, which set_options copies without allocating. */
#define CI_NAME_MAX 32

#define STR_(x) #x
#define STR(x) STR_(x)

struct code_entry {
	const char *code;
	size_t index;
};

struct cs_questionnaire {
	struct cs_arena arena; /* every string and choice array */
	struct cs_q_info info;
	struct cs_vec elements; /* of struct cs_q_element */
	struct cs_vec items;	/* of struct cs_q_item */
	struct cs_q_options opts;
	char ci_name[CI_NAME_MAX];
	/* Set by a successful validation: */
	bool valid;
	struct code_entry *by_code; /* items sorted by code */
	size_t general;
	size_t fields[CS_Q_FIELD_COUNT_];
};

static const char *const type_names[CS_Q_TYPE_COUNT_] = {
	[CS_Q_LIKERT5] = "likert5", [CS_Q_YESNO] = "yesno",   [CS_Q_SINGLE] = "single",
	[CS_Q_MULTI] = "multi",	    [CS_Q_NUMBER] = "number", [CS_Q_TEXT] = "text",
	[CS_Q_NOTE] = "note",
};

static const char *const role_names[CS_Q_ROLE_COUNT_] = {
	[CS_Q_ROLE_SATISFACTION] = "satisfaction", [CS_Q_ROLE_ASSESSMENT] = "assessment",
	[CS_Q_ROLE_GENERAL] = "general",	   [CS_Q_ROLE_EXPECTATION] = "expectation",
	[CS_Q_ROLE_RESPONDENT] = "respondent",	   [CS_Q_ROLE_OTHER] = "other",
};

static const char *const field_names[CS_Q_FIELD_COUNT_] = {
	[CS_Q_FIELD_KIND] = "kind",
	[CS_Q_FIELD_SEX] = "sex",
	[CS_Q_FIELD_AGE_BAND] = "age_band",
	[CS_Q_FIELD_SERVICE] = "service",
};

static const char *const element_agg_names[] = {
	[CS_Q_ELEMENT_MEAN_OF_ITEMS] = "mean_of_items",
	[CS_Q_ELEMENT_POOLED] = "pooled",
};

static const char *const overall_agg_names[] = {
	[CS_Q_OVERALL_MEAN_OF_ELEMENTS] = "mean_of_elements",
	[CS_Q_OVERALL_POOLED] = "pooled",
	[CS_Q_OVERALL_GENERAL] = "general",
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static bool parse_name(struct cs_str s, const char *const *names, int count, int *out)
{
	for (int i = 0; i < count; i++) {
		if (names[i] && cs_str_eq_nocase(s, names[i])) {
			*out = i;
			return true;
		}
	}
	return false;
}

static const char *name_of(int v, const char *const *names, int count)
{
	if (v < 0 || v >= count)
		return NULL;
	return names[v];
}

const char *cs_q_type_name(enum cs_q_type t)
{
	return name_of((int)t, type_names, COUNT(type_names));
}

bool cs_q_type_parse(struct cs_str s, enum cs_q_type *out)
{
	int i;

	if (!parse_name(s, type_names, COUNT(type_names), &i))
		return false;
	*out = (enum cs_q_type)i;
	return true;
}

const char *cs_q_role_name(enum cs_q_role r)
{
	return name_of((int)r, role_names, COUNT(role_names));
}

bool cs_q_role_parse(struct cs_str s, enum cs_q_role *out)
{
	int i;

	if (!parse_name(s, role_names, COUNT(role_names), &i))
		return false;
	*out = (enum cs_q_role)i;
	return true;
}

const char *cs_q_field_name(enum cs_q_field f)
{
	return name_of((int)f, field_names, COUNT(field_names));
}

bool cs_q_field_parse(struct cs_str s, enum cs_q_field *out)
{
	int i;

	if (!parse_name(s, field_names, COUNT(field_names), &i))
		return false;
	*out = (enum cs_q_field)i;
	return true;
}

const char *cs_q_element_agg_name(enum cs_q_element_agg a)
{
	return name_of((int)a, element_agg_names, COUNT(element_agg_names));
}

bool cs_q_element_agg_parse(struct cs_str s, enum cs_q_element_agg *out)
{
	int i;

	if (!parse_name(s, element_agg_names, COUNT(element_agg_names), &i))
		return false;
	*out = (enum cs_q_element_agg)i;
	return true;
}

const char *cs_q_overall_agg_name(enum cs_q_overall_agg a)
{
	return name_of((int)a, overall_agg_names, COUNT(overall_agg_names));
}

bool cs_q_overall_agg_parse(struct cs_str s, enum cs_q_overall_agg *out)
{
	int i;

	if (!parse_name(s, overall_agg_names, COUNT(overall_agg_names), &i))
		return false;
	*out = (enum cs_q_overall_agg)i;
	return true;
}

/* M3.2: "satisfied" is level 4 or 5; M3.5: 95%, Wilson, n < 30 flagged; M3.6: 80% target. */
struct cs_q_options cs_q_options_default(void)
{
	return (struct cs_q_options){
		.satisfied_levels = (1u << 4) | (1u << 5),
		.element_agg = CS_Q_ELEMENT_MEAN_OF_ITEMS,
		.headline = CS_Q_OVERALL_MEAN_OF_ELEMENTS,
		.target = 80,
		.min_n = 30,
		.max_cv = 0.2,
		.confidence = 0.95,
		.ci_unweighted = "wilson",
	};
}

/* A copy of s (NULL gives "") in q's arena, or NULL when out of memory. */
static const char *keep(struct cs_questionnaire *q, const char *s)
{
	if (!s)
		s = "";
	return cs_arena_strndup(&q->arena, s, strlen(s));
}

/* A copy of s in the arena, NULL staying NULL; *ok becomes false on no memory. */
static const char *keep_opt(struct cs_questionnaire *q, const char *s, bool *ok)
{
	const char *p;

	if (!s)
		return NULL;
	p = keep(q, s);
	if (!p)
		*ok = false;
	return p;
}

static void invalidate(struct cs_questionnaire *q)
{
	q->valid = false;
	cs_free(q->by_code);
	q->by_code = NULL;
	q->general = CS_Q_NONE;
	for (int f = 0; f < CS_Q_FIELD_COUNT_; f++)
		q->fields[f] = CS_Q_NONE;
}

static void set_ci_name(struct cs_questionnaire *q, const char *name)
{
	size_t n;

	if (!name)
		name = "wilson";
	n = strlen(name);
	if (n >= sizeof(q->ci_name))
		n = sizeof(q->ci_name) - 1;
	memcpy(q->ci_name, name, n);
	q->ci_name[n] = '\0';
	q->opts.ci_unweighted = q->ci_name;
}

struct cs_questionnaire *cs_questionnaire_new(const struct cs_q_info *info, struct cs_error *err)
{
	struct cs_questionnaire *q = cs_calloc(1, sizeof(*q));
	struct cs_q_info none = {0};

	if (!q) {
		cs_fail(err, CS_ENOMEM, NULL);
		return NULL;
	}
	if (!info)
		info = &none;
	cs_arena_init(&q->arena, 0);
	cs_vec_init(&q->elements, sizeof(struct cs_q_element), CS_Q_ELEMENTS_MAX);
	cs_vec_init(&q->items, sizeof(struct cs_q_item), CS_Q_ITEMS_MAX);
	q->opts = cs_q_options_default();
	set_ci_name(q, q->opts.ci_unweighted);
	invalidate(q);
	q->info.code = keep(q, info->code);
	q->info.title = keep(q, info->title);
	q->info.decision = keep(q, info->decision);
	q->info.version = keep(q, info->version);
	q->info.reconstructed = info->reconstructed;
	q->info.note = keep(q, info->note);
	if (!q->info.code || !q->info.title || !q->info.decision || !q->info.version ||
	    !q->info.note) {
		cs_questionnaire_free(q);
		cs_fail(err, CS_ENOMEM, NULL);
		return NULL;
	}
	return q;
}

void cs_questionnaire_free(struct cs_questionnaire *q)
{
	if (!q)
		return;
	invalidate(q);
	cs_vec_release(&q->elements);
	cs_vec_release(&q->items);
	cs_arena_release(&q->arena);
	cs_free(q);
}

enum cs_err cs_questionnaire_add_element(struct cs_questionnaire *q, const struct cs_q_element *e,
					 struct cs_error *err)
{
	struct cs_q_element copy;
	enum cs_err rc;

	if (q->elements.len >= CS_Q_ELEMENTS_MAX)
		return cs_fail(err, CS_ETOOBIG, "element '%s': more than %d elements",
			       e->code ? e->code : "", CS_Q_ELEMENTS_MAX);
	copy.code = keep(q, e->code);
	copy.title_vi = keep(q, e->title_vi);
	copy.title_en = keep(q, e->title_en);
	if (!copy.code || !copy.title_vi || !copy.title_en)
		return cs_fail(err, CS_ENOMEM, NULL);
	rc = cs_vec_push(&q->elements, &copy, err);
	if (rc)
		return rc;
	invalidate(q);
	return CS_OK;
}

enum cs_err cs_questionnaire_add_item(struct cs_questionnaire *q, const struct cs_q_item_spec *spec,
				      struct cs_error *err)
{
	struct cs_q_item item = {0};
	struct cs_q_choice *choices = NULL;
	bool ok = true;
	enum cs_err rc;

	if (q->items.len >= CS_Q_ITEMS_MAX)
		return cs_fail(err, CS_ETOOBIG, "item '%s': more than %d items in a questionnaire",
			       spec->code ? spec->code : "", CS_Q_ITEMS_MAX);
	if (spec->nchoices > CS_Q_CHOICES_MAX)
		return cs_fail(err, CS_ETOOBIG, "item '%s': %zu choices (at most %d)",
			       spec->code ? spec->code : "", spec->nchoices, CS_Q_CHOICES_MAX);
	item.code = keep(q, spec->code);
	item.element_code =
		spec->element && *spec->element ? keep_opt(q, spec->element, &ok) : NULL;
	item.element = CS_Q_NONE;
	item.text_vi = keep(q, spec->text_vi);
	item.text_en = keep(q, spec->text_en);
	item.type = spec->type;
	item.role = spec->role;
	item.field = spec->field;
	item.required = spec->required;
	item.relevant = spec->relevant && *spec->relevant ? keep_opt(q, spec->relevant, &ok) : NULL;
	item.constraint =
		spec->constraint && *spec->constraint ? keep_opt(q, spec->constraint, &ok) : NULL;
	if (spec->nchoices) {
		choices = cs_arena_calloc(&q->arena, spec->nchoices, sizeof(*choices));
		ok = ok && choices;
		for (size_t i = 0; ok && i < spec->nchoices; i++) {
			choices[i].value = keep(q, spec->choices[i].value);
			choices[i].label_vi = keep(q, spec->choices[i].label_vi);
			choices[i].label_en = keep(q, spec->choices[i].label_en);
			ok = choices[i].value && choices[i].label_vi && choices[i].label_en;
		}
	}
	if (!ok || !item.code || !item.text_vi || !item.text_en)
		return cs_fail(err, CS_ENOMEM, NULL);
	item.choices = choices;
	item.nchoices = spec->nchoices;
	rc = cs_vec_push(&q->items, &item, err);
	if (rc)
		return rc;
	invalidate(q);
	return CS_OK;
}

void cs_questionnaire_set_options(struct cs_questionnaire *q, const struct cs_q_options *o)
{
	q->opts = *o;
	set_ci_name(q, o->ci_unweighted);
	invalidate(q);
}

/* Validation. */

/* The state of one validation run: first problem, count, where to collect. */
struct check {
	struct cs_questionnaire *q;
	struct cs_vec *all; /* of char *; NULL: stop at the first problem */
	struct cs_error first;
	size_t count;
	bool oom;
};

/*
 * Records a problem. Returns true when checking must stop: in first-error
 * mode, or when out of memory while collecting.
 */
static bool report(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool report(struct check *c, const char *fmt, ...)
{
	struct cs_error e;
	va_list ap;
	char *copy;

	e.code = CS_EINVAL;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	if (c->count++ == 0)
		c->first = e;
	if (!c->all)
		return true;
	if (c->all->max && c->all->len >= c->all->max)
		return false; /* full: keep checking for nothing but stop collecting */
	copy = cs_strdup(e.msg);
	if (!copy || cs_vec_push(c->all, &copy, NULL)) {
		cs_free(copy);
		c->oom = true;
		return true;
	}
	return false;
}

#define REPORT(...)                         \
	do {                                \
		if (report(c, __VA_ARGS__)) \
			goto stop;          \
	} while (0)

static int compare_codes(const void *pa, const void *pb)
{
	const struct code_entry *a = pa, *b = pb;
	int r = strcmp(a->code, b->code);

	if (r)
		return r;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* The first entry with code in the sorted array, or CS_Q_NONE. */
static size_t lookup(const struct code_entry *sorted, size_t n, const char *code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(sorted[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(sorted[lo].code, code) == 0)
		return sorted[lo].index;
	return CS_Q_NONE;
}

static struct cs_q_item *item_at(const struct cs_questionnaire *q, size_t i)
{
	return cs_vec_at(&q->items, i);
}

static struct cs_q_element *element_at(const struct cs_questionnaire *q, size_t i)
{
	return cs_vec_at(&q->elements, i);
}

/* What is wrong with a code, or NULL when it is fine. */
static const char *code_problem(const char *code)
{
	size_t n = strlen(code);

	if (n == 0)
		return "empty";
	if (n > CS_Q_CODE_MAX)
		return "longer than " STR(CS_Q_CODE_MAX) " bytes";
	for (const char *p = code; *p; p++) {
		char ch = *p;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.'))
			return "not a code (expected letters, digits, '_', '-' or '.')";
	}
	return NULL;
}

/* What is wrong with a choice value, or NULL when it is fine. */
static const char *value_problem(const char *v)
{
	size_t n = strlen(v);

	if (n == 0)
		return "is empty";
	if (n > CS_Q_CODE_MAX)
		return "is longer than " STR(CS_Q_CODE_MAX) " bytes";
	for (const char *p = v; *p; p++)
		if (*p == ';' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			return "holds ';' or white space, which separate multi-select answers";
	return NULL;
}

static bool needs_text(enum cs_q_role r)
{
	return r == CS_Q_ROLE_SATISFACTION || r == CS_Q_ROLE_ASSESSMENT || r == CS_Q_ROLE_GENERAL ||
	       r == CS_Q_ROLE_EXPECTATION;
}

/* The choices of one item: counts by type, values well-formed and unique. */
static bool check_choices(struct check *c, const struct cs_q_item *it)
{
	const char *tn = cs_q_type_name(it->type);

	switch (it->type) {
	case CS_Q_NUMBER:
	case CS_Q_TEXT:
	case CS_Q_NOTE:
		if (it->nchoices)
			REPORT("item '%s': a %s item takes no choices (found %zu)", it->code, tn,
			       it->nchoices);
		return true;
	case CS_Q_LIKERT5:
		if (it->nchoices && it->nchoices != 5)
			REPORT("item '%s': a likert5 item has 5 choices, one per level, or none "
			       "(found %zu)",
			       it->code, it->nchoices);
		break;
	case CS_Q_YESNO:
		if (it->nchoices && it->nchoices != 2)
			REPORT("item '%s': a yesno item has 2 choices, yes then no, or none "
			       "(found %zu)",
			       it->code, it->nchoices);
		break;
	case CS_Q_SINGLE:
	case CS_Q_MULTI:
		if (!it->nchoices)
			REPORT("item '%s': a %s item needs choices", it->code, tn);
		break;
	case CS_Q_TYPE_COUNT_:
		return true;
	}
	for (size_t k = 0; k < it->nchoices; k++) {
		const char *v = it->choices[k].value, *why = value_problem(v);

		if (why) {
			REPORT("item '%s': choice %zu: value '%s' %s", it->code, k + 1, v, why);
			continue;
		}
		for (size_t j = 0; j < k; j++) {
			if (strcmp(it->choices[j].value, v) == 0) {
				REPORT("item '%s': choice value '%s' appears twice (choices %zu "
				       "and %zu)",
				       it->code, v, j + 1, k + 1);
				break;
			}
		}
	}
	return true;
stop:
	return false;
}

/* One item on its own, and against the elements and the items before it. */
static bool check_item(struct check *c, const size_t *dup_of, size_t i)
{
	struct cs_questionnaire *q = c->q;
	struct cs_q_item *it = item_at(q, i);
	const char *why = code_problem(it->code);
	const char *tn = cs_q_type_name(it->type);

	if (why)
		REPORT("item #%zu: code '%s' is %s", i + 1, it->code, why);
	else if (dup_of[i] != CS_Q_NONE)
		REPORT("item '%s': duplicate code (item #%zu has it too)", it->code, dup_of[i] + 1);
	if (!tn)
		REPORT("item '%s': unknown type %d", it->code, (int)it->type);
	if (!cs_q_role_name(it->role))
		REPORT("item '%s': unknown role %d", it->code, (int)it->role);
	if ((unsigned)it->field >= CS_Q_FIELD_COUNT_)
		REPORT("item '%s': unknown respondent field %d", it->code, (int)it->field);
	if (!tn || !cs_q_role_name(it->role) || (unsigned)it->field >= CS_Q_FIELD_COUNT_)
		return true;

	it->element = CS_Q_NONE;
	if (it->element_code) {
		for (size_t e = 0; e < q->elements.len; e++)
			if (strcmp(element_at(q, e)->code, it->element_code) == 0) {
				it->element = e;
				break;
			}
		if (it->element == CS_Q_NONE)
			REPORT("item '%s': unknown element '%s'", it->code, it->element_code);
	} else if (it->role == CS_Q_ROLE_SATISFACTION) {
		REPORT("item '%s': a satisfaction item needs an element", it->code);
	}

	switch (it->role) {
	case CS_Q_ROLE_SATISFACTION:
	case CS_Q_ROLE_GENERAL:
		if (it->type != CS_Q_LIKERT5 && it->type != CS_Q_YESNO)
			REPORT("item '%s': a %s item must be likert5 or yesno (found %s)", it->code,
			       cs_q_role_name(it->role), tn);
		break;
	case CS_Q_ROLE_EXPECTATION:
		if (it->type != CS_Q_MULTI && it->type != CS_Q_SINGLE)
			REPORT("item '%s': an expectation item must be multi or single (found %s)",
			       it->code, tn);
		break;
	case CS_Q_ROLE_RESPONDENT:
		if (it->field == CS_Q_FIELD_NONE) {
			REPORT("item '%s': a respondent item needs a field (expected kind, sex, "
			       "age_band or service)",
			       it->code);
		} else if (it->field == CS_Q_FIELD_SERVICE) {
			if (it->type != CS_Q_SINGLE && it->type != CS_Q_TEXT)
				REPORT("item '%s': respondent field service must be single or text "
				       "(found %s)",
				       it->code, tn);
		} else if (it->type != CS_Q_SINGLE) {
			REPORT("item '%s': respondent field %s must be single (found %s)", it->code,
			       cs_q_field_name(it->field), tn);
		}
		break;
	default:
		break;
	}
	if (it->field != CS_Q_FIELD_NONE) {
		if (it->role != CS_Q_ROLE_RESPONDENT)
			REPORT("item '%s': only respondent items take a field (role is %s)",
			       it->code, cs_q_role_name(it->role));
		else if (q->fields[it->field] != CS_Q_NONE)
			REPORT("item '%s': respondent field %s is already held by item '%s'",
			       it->code, cs_q_field_name(it->field),
			       item_at(q, q->fields[it->field])->code);
		else
			q->fields[it->field] = i;
	}
	if (it->role == CS_Q_ROLE_GENERAL) {
		if (q->general != CS_Q_NONE)
			REPORT("item '%s': a second general-satisfaction item (item '%s' is one)",
			       it->code, item_at(q, q->general)->code);
		else
			q->general = i;
	}
	if (needs_text(it->role) && !*it->text_vi)
		REPORT("item '%s': no Vietnamese text", it->code);
	if (it->type == CS_Q_NOTE && it->required)
		REPORT("item '%s': a note is never answered, so it cannot be required", it->code);
	if (!check_choices(c, it))
		goto stop;
	return true;
stop:
	return false;
}

static bool check_options(struct check *c)
{
	const struct cs_q_options *o = &c->q->opts;
	const struct cs_ci_method *m;

	if (o->satisfied_levels == 0 || (o->satisfied_levels & ~0x3Eu))
		REPORT("options: satisfied levels must be some of 1 to 5 (bit mask 0x%02x)",
		       (unsigned)o->satisfied_levels);
	if (!cs_q_element_agg_name(o->element_agg))
		REPORT("options: unknown element aggregation %d (expected mean_of_items or "
		       "pooled)",
		       (int)o->element_agg);
	if (!cs_q_overall_agg_name(o->headline))
		REPORT("options: unknown headline %d (expected mean_of_elements, pooled or "
		       "general)",
		       (int)o->headline);
	else if (o->headline == CS_Q_OVERALL_GENERAL && c->q->general == CS_Q_NONE)
		REPORT("options: the headline is general but no item has role general");
	if (!(o->target >= 0 && o->target <= 100))
		REPORT("options: target %g is outside 0 to 100 (percent)", o->target);
	if (!(o->max_cv > 0 && isfinite(o->max_cv)))
		REPORT("options: max_cv %g must be a positive number", o->max_cv);
	if (!(o->confidence > 0 && o->confidence < 1))
		REPORT("options: confidence %g must be between 0 and 1 (e.g. 0.95)", o->confidence);
	m = cs_ci_method_find(cs_str_from(o->ci_unweighted));
	if (!m || m->kind != CS_CI_FROM_COUNTS)
		REPORT("options: ci_unweighted '%s' is not an interval for counts (expected "
		       "wilson or clopper-pearson)",
		       o->ci_unweighted ? o->ci_unweighted : "");
	return true;
stop:
	return false;
}

/*
 * Runs every check. Returns CS_ENOMEM when memory ran out, otherwise CS_OK
 * with the problems in c. On success without problems, marks q valid.
 */
static enum cs_err run_checks(struct check *c)
{
	struct cs_questionnaire *q = c->q;
	size_t n = q->items.len, ne = q->elements.len;
	struct code_entry *sorted = NULL;
	size_t *dup_of = NULL;
	bool *has_sat = NULL;
	const char *why;

	invalidate(q);
	sorted = cs_calloc(n ? n : 1, sizeof(*sorted));
	dup_of = cs_calloc(n ? n : 1, sizeof(*dup_of));
	has_sat = cs_calloc(ne ? ne : 1, sizeof(*has_sat));
	if (!sorted || !dup_of || !has_sat) {
		c->oom = true;
		goto stop;
	}
	why = code_problem(q->info.code);
	if (why)
		REPORT("questionnaire: code '%s' is %s", q->info.code, why);
	if (!*q->info.title)
		REPORT("questionnaire '%s': no title", q->info.code);
	if (strlen(q->info.version) > CS_Q_CODE_MAX)
		REPORT("questionnaire '%s': version '%.20s...' is longer than " STR(
			       CS_Q_CODE_MAX) " bytes",
		       q->info.code, q->info.version);
	if (n == 0)
		REPORT("questionnaire '%s': no items", q->info.code);

	/* Elements (M3.1): codes and titles. */
	for (size_t e = 0; e < ne; e++) {
		const struct cs_q_element *el = element_at(q, e);

		why = code_problem(el->code);
		if (why) {
			REPORT("element #%zu: code '%s' is %s", e + 1, el->code, why);
		} else {
			for (size_t j = 0; j < e; j++)
				if (strcmp(element_at(q, j)->code, el->code) == 0) {
					REPORT("element '%s': duplicate code (element #%zu has it "
					       "too)",
					       el->code, j + 1);
					break;
				}
		}
		if (!*el->title_vi)
			REPORT("element '%s': no Vietnamese title", el->code);
	}

	/* Items, in the order they were added. */
	for (size_t i = 0; i < n; i++) {
		sorted[i] = (struct code_entry){item_at(q, i)->code, i};
		dup_of[i] = CS_Q_NONE;
	}
	qsort(sorted, n, sizeof(*sorted), compare_codes);
	for (size_t i = 1; i < n; i++)
		if (strcmp(sorted[i].code, sorted[i - 1].code) == 0)
			dup_of[sorted[i].index] = dup_of[sorted[i - 1].index] != CS_Q_NONE
							  ? dup_of[sorted[i - 1].index]
							  : sorted[i - 1].index;
	for (size_t i = 0; i < n; i++)
		if (!check_item(c, dup_of, i))
			goto stop;

	/* M3.3: an element index is made of its satisfaction items. */
	for (size_t i = 0; i < n; i++) {
		const struct cs_q_item *it = item_at(q, i);

		if (it->role == CS_Q_ROLE_SATISFACTION && it->element != CS_Q_NONE)
			has_sat[it->element] = true;
	}
	for (size_t e = 0; e < ne; e++)
		if (!has_sat[e])
			REPORT("element '%s': no satisfaction item", element_at(q, e)->code);

	if (!check_options(c))
		goto stop;

	if (c->count == 0) {
		q->valid = true;
		q->by_code = sorted;
		sorted = NULL;
	}
stop:
	cs_free(sorted);
	cs_free(dup_of);
	cs_free(has_sat);
	if (!q->valid) {
		/* A failed run leaves no half-resolved lookups behind. */
		q->general = CS_Q_NONE;
		for (int f = 0; f < CS_Q_FIELD_COUNT_; f++)
			q->fields[f] = CS_Q_NONE;
	}
	return c->oom ? CS_ENOMEM : CS_OK;
}

enum cs_err cs_questionnaire_validate(struct cs_questionnaire *q, struct cs_error *err)
{
	struct check c = {.q = q};

	if (run_checks(&c))
		return cs_fail(err, CS_ENOMEM, NULL);
	if (c.count) {
		if (err)
			*err = c.first;
		return CS_EINVAL;
	}
	return CS_OK;
}

enum cs_err cs_questionnaire_validate_all(struct cs_questionnaire *q, struct cs_vec *errors,
					  struct cs_error *err)
{
	struct check c = {.q = q, .all = errors};

	if (run_checks(&c))
		return cs_fail(err, CS_ENOMEM, NULL);
	if (c.count) {
		if (err)
			*err = c.first;
		return CS_EINVAL;
	}
	return CS_OK;
}

bool cs_questionnaire_is_valid(const struct cs_questionnaire *q)
{
	return q->valid;
}

const struct cs_q_info *cs_questionnaire_info(const struct cs_questionnaire *q)
{
	return &q->info;
}

const struct cs_q_options *cs_questionnaire_options(const struct cs_questionnaire *q)
{
	return &q->opts;
}

size_t cs_questionnaire_item_count(const struct cs_questionnaire *q)
{
	return q->items.len;
}

const struct cs_q_item *cs_questionnaire_item(const struct cs_questionnaire *q, size_t i)
{
	return item_at(q, i);
}

size_t cs_questionnaire_element_count(const struct cs_questionnaire *q)
{
	return q->elements.len;
}

const struct cs_q_element *cs_questionnaire_element(const struct cs_questionnaire *q, size_t i)
{
	return element_at(q, i);
}

bool cs_questionnaire_find_item(const struct cs_questionnaire *q, const char *code, size_t *index)
{
	size_t i = CS_Q_NONE;

	if (!code)
		return false;
	if (q->valid) {
		i = lookup(q->by_code, q->items.len, code);
	} else {
		for (size_t j = 0; j < q->items.len && i == CS_Q_NONE; j++)
			if (strcmp(item_at(q, j)->code, code) == 0)
				i = j;
	}
	if (i == CS_Q_NONE)
		return false;
	if (index)
		*index = i;
	return true;
}

bool cs_questionnaire_find_element(const struct cs_questionnaire *q, const char *code,
				   size_t *index)
{
	if (!code)
		return false;
	for (size_t e = 0; e < q->elements.len; e++) {
		if (strcmp(element_at(q, e)->code, code) == 0) {
			if (index)
				*index = e;
			return true;
		}
	}
	return false;
}

size_t cs_questionnaire_general_item(const struct cs_questionnaire *q)
{
	if (q->valid)
		return q->general;
	for (size_t i = 0; i < q->items.len; i++)
		if (item_at(q, i)->role == CS_Q_ROLE_GENERAL)
			return i;
	return CS_Q_NONE;
}

size_t cs_questionnaire_field_item(const struct cs_questionnaire *q, enum cs_q_field field)
{
	if (field == CS_Q_FIELD_NONE || (unsigned)field >= CS_Q_FIELD_COUNT_)
		return CS_Q_NONE;
	if (q->valid)
		return q->fields[field];
	for (size_t i = 0; i < q->items.len; i++)
		if (item_at(q, i)->role == CS_Q_ROLE_RESPONDENT && item_at(q, i)->field == field)
			return i;
	return CS_Q_NONE;
}

/* Answers (M3.2). */

/* The choice whose value is s, or CS_Q_NONE. */
static size_t find_choice(const struct cs_q_item *it, struct cs_str s)
{
	for (size_t k = 0; k < it->nchoices; k++)
		if (cs_str_eq_cstr(s, it->choices[k].value))
			return k;
	return CS_Q_NONE;
}

/* s as a whole number in [lo, hi] ("4", "4.0", "+4"); false otherwise. */
static bool whole_in(struct cs_str s, int lo, int hi, int *out)
{
	double d;

	if (cs_str_to_double(s, false, &d, NULL) || d != floor(d) || d < lo || d > hi)
		return false;
	*out = (int)d;
	return true;
}

/* True when s is one of the NUL-terminated words, ignoring ASCII case. */
static bool is_word(struct cs_str s, const char *const *words)
{
	for (; *words; words++)
		if (cs_str_eq_nocase(s, *words))
			return true;
	return false;
}

/* The values of an item's choices for a message: "'a', 'b', 'c'" (cut when long). */
static void list_choices(const struct cs_q_item *it, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t k = 0; k < it->nchoices; k++) {
		int w = snprintf(out + len, size - len, "%s'%s'", k ? ", " : "",
				 it->choices[k].value);

		if (w < 0 || (size_t)w >= size - len) {
			/* Cut at a whole choice, and say so. */
			out[len] = '\0';
			if (size - len > 5)
				memcpy(out + len, ", ...", 6);
			return;
		}
		len += (size_t)w;
	}
}

/*
 * How much of a value a message shows: at most 40 bytes, cut before a UTF-8
 * continuation byte so that the message stays valid UTF-8.
 */
static int shown_len(struct cs_str s)
{
	size_t n = s.len > 40 ? 40 : s.len;

	while (n < s.len && n > 0 && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

#define SHOWN(s) shown_len(s), (s).ptr

static const char *const yes_words[] = {"1", "yes", "y", "true", "có", "Có", "CÓ", NULL};
static const char *const no_words[] = {"0", "no", "n", "false", "không", "Không", "KHÔNG", NULL};

enum cs_err cs_questionnaire_parse_answer(const struct cs_questionnaire *q, size_t i,
					  struct cs_str text, struct cs_q_answer *out,
					  struct cs_error *err)
{
	const struct cs_q_item *it;
	struct cs_str s = cs_str_trim(text), rest, tok;
	char list[200];
	size_t k;
	int level;

	*out = (struct cs_q_answer){0};
	if (i >= q->items.len)
		return cs_fail(err, CS_EINVAL,
			       "item #%zu: no such item (the questionnaire has %zu)", i + 1,
			       q->items.len);
	it = item_at(q, i);
	if (s.len == 0)
		return CS_OK;
	switch (it->type) {
	case CS_Q_LIKERT5:
		k = find_choice(it, s);
		if (k != CS_Q_NONE && it->nchoices == 5) {
			level = (int)k + 1;
		} else if (!whole_in(s, 1, 5, &level)) {
			list_choices(it, list, sizeof(list));
			return cs_fail(err, CS_EPARSE,
				       "item '%s': '%.*s' is not a level of the scale (expected 1 "
				       "to 5%s%s)",
				       it->code, SHOWN(s), it->nchoices ? " or " : "", list);
		}
		out->value = level;
		break;
	case CS_Q_YESNO:
		k = find_choice(it, s);
		if (k != CS_Q_NONE && it->nchoices == 2) {
			out->value = k == 0 ? 1 : 0;
		} else if (is_word(s, yes_words)) {
			out->value = 1;
		} else if (is_word(s, no_words)) {
			out->value = 0;
		} else {
			list_choices(it, list, sizeof(list));
			return cs_fail(err, CS_EPARSE,
				       "item '%s': '%.*s' is not yes or no (expected 1, 0, yes, "
				       "no, có or không%s%s)",
				       it->code, SHOWN(s), it->nchoices ? " or " : "", list);
		}
		break;
	case CS_Q_SINGLE:
		k = find_choice(it, s);
		if (k == CS_Q_NONE) {
			list_choices(it, list, sizeof(list));
			return cs_fail(err, CS_EPARSE,
				       "item '%s': '%.*s' is not one of its choices (expected %s)",
				       it->code, SHOWN(s), list);
		}
		out->value = (double)k;
		break;
	case CS_Q_MULTI:
		rest = s;
		while (rest.len) {
			size_t cut = 0;

			while (cut < rest.len && rest.ptr[cut] != ';' && rest.ptr[cut] != ' ' &&
			       rest.ptr[cut] != '\t')
				cut++;
			tok = cs_str_make(rest.ptr, cut);
			rest = cs_str_make(rest.ptr + cut + (cut < rest.len),
					   rest.len - cut - (cut < rest.len));
			if (tok.len == 0)
				continue;
			k = find_choice(it, tok);
			if (k == CS_Q_NONE) {
				list_choices(it, list, sizeof(list));
				return cs_fail(err, CS_EPARSE,
					       "item '%s': '%.*s' is not one of its choices "
					       "(expected values from %s, separated by ';')",
					       it->code, SHOWN(tok), list);
			}
			out->choices |= UINT64_C(1) << k;
		}
		if (!out->choices)
			return CS_OK; /* only separators: no answer */
		out->value = (double)__builtin_popcountll(out->choices);
		break;
	case CS_Q_NUMBER:
		if (cs_str_to_double(s, true, &out->value, NULL))
			return cs_fail(err, CS_EPARSE, "item '%s': '%.*s' is not a number",
				       it->code, SHOWN(s));
		break;
	case CS_Q_TEXT:
		break;
	case CS_Q_NOTE:
		return cs_fail(err, CS_EPARSE,
			       "item '%s': is a note and takes no answer (found '%.*s')", it->code,
			       SHOWN(s));
	default:
		return cs_fail(err, CS_EINVAL, "item '%s': unknown type %d", it->code,
			       (int)it->type);
	}
	out->answered = true;
	return CS_OK;
}
