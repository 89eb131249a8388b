/*
 * A satisfaction questionnaire in memory (METHODOLOGY M3.1-M3.4, M3.6):
 * elements, items with their type, scale and role, the satisfied levels and
 * the aggregation options that fix how indices are computed. Importers (JSON,
 * XLSForm) build one with the builder below; cs_questionnaire_validate checks
 * and freezes it for estimation.
 */
#ifndef CHISO_CORE_QUESTIONNAIRE_H
#define CHISO_CORE_QUESTIONNAIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "util/str.h"
#include "util/vec.h"

/* "No item", "no element": an index that is never valid. */
#define CS_Q_NONE SIZE_MAX

/* Limits; past them the builder fails with CS_ETOOBIG. */
#define CS_Q_ITEMS_MAX 1000
#define CS_Q_ELEMENTS_MAX 64
#define CS_Q_CHOICES_MAX 64 /* choices of one item; multi-select answers are a 64-bit set */

/*
 * Longest code (questionnaire, element, item) and choice value validation
 * accepts, in bytes. Codes are column names of response files and command
 * arguments, so they are short: letters, digits, '_', '-' and '.'.
 */
#define CS_Q_CODE_MAX 64

/* How an item is answered (M3.2). */
enum cs_q_type {
	CS_Q_LIKERT5, /* 1 Rất không hài lòng ... 5 Rất hài lòng */
	CS_Q_YESNO,   /* 1 yes, 0 no */
	CS_Q_SINGLE,  /* one of the item's choices */
	CS_Q_MULTI,   /* any of the item's choices; stored as a set */
	CS_Q_NUMBER,  /* a number (integer or decimal) */
	CS_Q_TEXT,    /* free text */
	CS_Q_NOTE,    /* shown, never answered */
	CS_Q_TYPE_COUNT_
};

/* "likert5", "yesno", "single", "multi", "number", "text", "note". */
const char *cs_q_type_name(enum cs_q_type t);
bool cs_q_type_parse(struct cs_str s, enum cs_q_type *out);

/* What an item measures, which decides where it enters the indices. */
enum cs_q_role {
	CS_Q_ROLE_SATISFACTION, /* a satisfaction item of an element: enters the indices */
	CS_Q_ROLE_ASSESSMENT,	/* an assessment (nhận định) item, often yes/no */
	CS_Q_ROLE_GENERAL,	/* the general-satisfaction question (M3.3 third overall) */
	CS_Q_ROLE_EXPECTATION,	/* "which should be improved" (M3.6), usually multi */
	CS_Q_ROLE_RESPONDENT,	/* a respondent field: see enum cs_q_field */
	CS_Q_ROLE_OTHER,	/* asked and kept, not used in indices */
	CS_Q_ROLE_COUNT_
};

const char *cs_q_role_name(enum cs_q_role r);
bool cs_q_role_parse(struct cs_str s, enum cs_q_role *out);

/* Respondent fields (M3.4 domains): which one a ROLE_RESPONDENT item holds. */
enum cs_q_field {
	CS_Q_FIELD_NONE,
	CS_Q_FIELD_KIND, /* citizen or organisation */
	CS_Q_FIELD_SEX,
	CS_Q_FIELD_AGE_BAND,
	CS_Q_FIELD_SERVICE, /* the service or procedure used */
	CS_Q_FIELD_COUNT_
};

const char *cs_q_field_name(enum cs_q_field f);
bool cs_q_field_parse(struct cs_str s, enum cs_q_field *out);

/*
 * The *_name functions return NULL for a value out of range (and for
 * CS_Q_FIELD_NONE); the *_parse functions compare ASCII case-insensitively
 * and return false for an unknown name. Field names: "kind", "sex",
 * "age_band", "service".
 */

/*
 * A choice of a single or multi item, and the labels of a scale: a likert5
 * item may carry exactly 5 choices, the first for level 1 (Rất không hài
 * lòng) to the last for level 5, and a yesno item exactly 2, yes then no;
 * their values are then accepted as answers besides the numbers.
 */
struct cs_q_choice {
	const char *value; /* as stored in responses: "1", "a", "citizen" */
	const char *label_vi;
	const char *label_en; /* "" when none */
};

/* An element (yếu tố) of the service process (M3.1). */
struct cs_q_element {
	const char *code;     /* "E1" */
	const char *title_vi; /* "Tiếp cận dịch vụ" */
	const char *title_en;
};

/*
 * An item as an importer describes it. Strings are copied; NULL means absent.
 * element names the element's code (satisfaction and assessment items).
 * relevant and constraint are kept as expressions (XLSForm syntax), not
 * evaluated by the core.
 */
struct cs_q_item_spec {
	const char *code;
	const char *element;
	const char *text_vi;
	const char *text_en;
	enum cs_q_type type;
	enum cs_q_role role;
	enum cs_q_field field;
	bool required;
	const char *relevant;
	const char *constraint;
	const struct cs_q_choice *choices;
	size_t nchoices;
};

/* An item of a questionnaire; everything is owned by the questionnaire. */
struct cs_q_item {
	const char *code;
	const char *element_code; /* NULL when none */
	size_t element;		  /* element index, CS_Q_NONE when none (after validation) */
	const char *text_vi;
	const char *text_en;
	enum cs_q_type type;
	enum cs_q_role role;
	enum cs_q_field field;
	bool required;
	const char *relevant;
	const char *constraint;
	const struct cs_q_choice *choices;
	size_t nchoices;
};

/* How element and overall indices combine their parts (M3.3). */
enum cs_q_element_agg {
	CS_Q_ELEMENT_MEAN_OF_ITEMS, /* mean of the element's item indices (default) */
	CS_Q_ELEMENT_POOLED,	    /* 100 * sum satisfied / sum valid over its items */
};

enum cs_q_overall_agg {
	CS_Q_OVERALL_MEAN_OF_ELEMENTS, /* mean of the element indices (default) */
	CS_Q_OVERALL_POOLED,	       /* pooled over all satisfaction items */
	CS_Q_OVERALL_GENERAL,	       /* share satisfied on the general-satisfaction item */
};

/* "mean_of_items", "pooled"; NULL out of range. Parsing is ASCII case-insensitive. */
const char *cs_q_element_agg_name(enum cs_q_element_agg a);
bool cs_q_element_agg_parse(struct cs_str s, enum cs_q_element_agg *out);

/* "mean_of_elements", "pooled", "general"; NULL out of range. */
const char *cs_q_overall_agg_name(enum cs_q_overall_agg a);
bool cs_q_overall_agg_parse(struct cs_str s, enum cs_q_overall_agg *out);

/* The options a methodology file fixes, with their defaults. */
struct cs_q_options {
	uint8_t satisfied_levels; /* bit k set: level k (1-5) counts as satisfied; default 4 and 5 */
	enum cs_q_element_agg element_agg;
	enum cs_q_overall_agg
		headline;  /* which overall index is the headline (all three are reported) */
	double target;	   /* M3.6 weak-area target in percent; default 80 */
	unsigned min_n;	   /* M3.5 small-n flag below this; default 30 */
	double max_cv;	   /* M3.5 high-CV flag above this; default 0.2 */
	double confidence; /* default 0.95 */
	const char *ci_unweighted; /* "wilson" (default) or "clopper-pearson" */
};

struct cs_q_options cs_q_options_default(void);

/* Who issued the questionnaire and which version it is. */
struct cs_q_info {
	const char *code;     /* "sipas-2017" */
	const char *title;    /* "Phiếu khảo sát SIPAS 2017-2020" */
	const char *decision; /* "QĐ 2640/QĐ-BNV" */
	const char *version;  /* "2017" */
	bool reconstructed;   /* wording reconstructed, to be checked against the official text */
	const char *note;     /* free text: sources, what is reconstructed; "" when none */
};

struct cs_questionnaire;

/*
 * A new empty questionnaire with a copy of info (NULL strings become "") and
 * default options; the caller frees it with cs_questionnaire_free. NULL with
 * CS_ENOMEM in err.
 */
struct cs_questionnaire *cs_questionnaire_new(const struct cs_q_info *info, struct cs_error *err);

/* Frees q and everything it owns; NULL is a no-op. */
void cs_questionnaire_free(struct cs_questionnaire *q);

/*
 * Append an element or an item (strings and choices are copied; NULL title
 * or label strings become ""). They accept anything that can be stored, so
 * that validation can name every problem. CS_ETOOBIG past the limits above,
 * CS_ENOMEM; on failure q is unchanged. Each marks q not validated.
 */
enum cs_err cs_questionnaire_add_element(struct cs_questionnaire *q, const struct cs_q_element *e,
					 struct cs_error *err);
enum cs_err cs_questionnaire_add_item(struct cs_questionnaire *q, const struct cs_q_item_spec *spec,
				      struct cs_error *err);

/*
 * Replaces the options. ci_unweighted is copied into q (NULL means "wilson";
 * a name longer than 31 bytes is kept cut, for validation to reject). Marks
 * q not validated.
 */
void cs_questionnaire_set_options(struct cs_questionnaire *q, const struct cs_q_options *o);

/*
 * Checks and freezes q: unique item and element codes, every element an item
 * names exists, every element has at least one satisfaction item, choices
 * where the type needs them and unique values, at most one general item,
 * satisfaction and general items are likert5 (or yesno), options in range.
 * Returns the first problem naming the item; cs_questionnaire_validate_all
 * appends every message (char * owned by the vector's caller via cs_free).
 *
 * In detail, in this order: the questionnaire's code (non-empty, at most
 * CS_Q_CODE_MAX bytes of letters, digits, '_', '-', '.'), title and version
 * (at most CS_Q_CODE_MAX bytes); that it
 * has items; per element its code (same rule, unique) and Vietnamese title;
 * per item its code (same rule, unique), type, role and field in range, the
 * element it names (satisfaction items need one), the type its role needs
 * (satisfaction and general: likert5 or yesno; expectation: multi or single;
 * respondent kind, sex and age band: single; service: single or text), a
 * field on respondent items only and each field on one item, Vietnamese text
 * on satisfaction, assessment, general and expectation items, its choices
 * (none on number, text and note; 5 on a likert5 and 2 on a yesno item that
 * has any; at least one on single and multi; values non-empty, at most
 * CS_Q_CODE_MAX bytes, without white space or ';', unique), that a note is
 * not required; at most one general item; every element has a satisfaction
 * item; then the options (satisfied levels a non-empty subset of 1-5, known
 * aggregations, a general item when it is the headline, target in [0, 100],
 * max_cv positive, confidence in (0, 1), ci_unweighted a counts method of
 * core/ci.h). A questionnaire without elements is valid: it is asked and
 * stored, but yields no satisfaction index.
 *
 * Failure is CS_EINVAL with the first message ("item 'E1.2': unknown element
 * 'E9'"), or CS_ENOMEM. validate_all collects every message into errors (a vec
 * of char *, each freed by the caller with cs_free), stopping quietly at the
 * vec's max. On success q is marked valid and find_item is O(log n).
 */
enum cs_err cs_questionnaire_validate(struct cs_questionnaire *q, struct cs_error *err);
enum cs_err cs_questionnaire_validate_all(struct cs_questionnaire *q, struct cs_vec *errors,
					  struct cs_error *err);

/* True after a successful validation and no change since. */
bool cs_questionnaire_is_valid(const struct cs_questionnaire *q);

/* Accessors. Pointers stay valid until q changes or is freed. */
const struct cs_q_info *cs_questionnaire_info(const struct cs_questionnaire *q);
const struct cs_q_options *cs_questionnaire_options(const struct cs_questionnaire *q);
size_t cs_questionnaire_item_count(const struct cs_questionnaire *q);
const struct cs_q_item *cs_questionnaire_item(const struct cs_questionnaire *q, size_t i);
size_t cs_questionnaire_element_count(const struct cs_questionnaire *q);
const struct cs_q_element *cs_questionnaire_element(const struct cs_questionnaire *q, size_t i);
bool cs_questionnaire_find_item(const struct cs_questionnaire *q, const char *code, size_t *index);

/* The element with this code: sets *index (may be NULL) and returns true. */
bool cs_questionnaire_find_element(const struct cs_questionnaire *q, const char *code,
				   size_t *index);

/* The general-satisfaction item's index, CS_Q_NONE when there is none. */
size_t cs_questionnaire_general_item(const struct cs_questionnaire *q);

/* The index of the respondent item holding field, CS_Q_NONE when none. */
size_t cs_questionnaire_field_item(const struct cs_questionnaire *q, enum cs_q_field field);

/*
 * Parses one answer to item i as written in a response file: likert5 "1".."5",
 * yesno "1"/"0" (also "yes"/"no", "có"/"không"), single a choice value, multi
 * choice values separated by ';' or ' ', number a decimal (',' or '.'), text
 * anything. "" is no answer (*answered false). Writes the answer as a number
 * (likert level, yes 1 / no 0, choice index, number) or a choice set (bit k for
 * choice k). CS_EPARSE with a message saying what the item accepts.
 *
 * Also: leading and trailing white space is ignored; a likert5 or yesno item
 * with choices accepts their values too (choice k is level k + 1; yes, no);
 * likert5 takes "4.0" as 4; a multi answer of separators only is no answer,
 * and value holds the number of choices picked; a note answered with
 * anything but "" is CS_EPARSE; i out of range is CS_EINVAL. Messages name
 * the item by code; callers add the file, line and column.
 */
struct cs_q_answer {
	bool answered;
	double value;	  /* likert5, yesno, single (choice index), number */
	uint64_t choices; /* multi */
};

enum cs_err cs_questionnaire_parse_answer(const struct cs_questionnaire *q, size_t i,
					  struct cs_str text, struct cs_q_answer *out,
					  struct cs_error *err);

#endif
