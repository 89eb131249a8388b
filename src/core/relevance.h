/*
 * Relevance conditions of questionnaire items (XLSForm's `relevant` column):
 * a small, safe evaluator of the subset chiso supports, used by the server
 * to decide which answers are asked, and mirrored by the survey page's
 * script (web/survey/survey.js) so that the browser shows the same items.
 */
#ifndef CHISO_CORE_RELEVANCE_H
#define CHISO_CORE_RELEVANCE_H

#include <stdbool.h>

#include "chiso/error.h"
#include "core/questionnaire.h"
#include "util/str.h"

/*
 * The subset, as XLSForm writes it:
 *
 *   ${code}                   the answer to item code as text: a choice's
 *                             value, the level of a likert5 item, 1 or 0 for
 *                             yes/no items without choices, choice values
 *                             separated by spaces for multi items, the number
 *                             or the text; "" when unanswered
 *   'text'  "text"  12  1.5   literals
 *   =  !=  <  <=  >  >=       comparisons: numeric when either side is a
 *                             number (a non-number then compares false, but
 *                             for !=), else text equality
 *   and  or  not(x)  ( )      logic; a text is true when not empty
 *   selected(${code}, 'v')    whether v is one of the space-separated values
 *   count-selected(${code})   how many values are picked
 *   string-length(x)          characters (code points), spaces around cut
 *   true()  false()
 *
 * Nesting deeper than CS_RELEVANCE_DEPTH_MAX is refused.
 */
#define CS_RELEVANCE_DEPTH_MAX 32

/* Longest expression taken, in bytes. */
#define CS_RELEVANCE_MAX 1024

/*
 * Evaluates expr over the answers of q (one per item, as
 * cs_questionnaire_parse_answer writes them; texts, when not NULL, the text
 * of text items at the same positions) and sets *relevant. CS_EPARSE with a
 * message naming the column (1-based) and what was expected, for an
 * expression outside the subset, an unknown item, or one longer than
 * CS_RELEVANCE_MAX; callers then treat the item as always asked.
 */
enum cs_err cs_relevance_eval(const struct cs_questionnaire *q, const char *expr,
			      const struct cs_q_answer *answers, const struct cs_str *texts,
			      bool *relevant, struct cs_error *err);

/*
 * Checks that expr is within the subset and names only items of q, without
 * answers. CS_EPARSE as cs_relevance_eval.
 */
enum cs_err cs_relevance_check(const struct cs_questionnaire *q, const char *expr,
			       struct cs_error *err);

#endif
