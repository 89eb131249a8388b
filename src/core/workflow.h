/*
 * The assessment workflow of a unit in a period (METHODOLOGY M2.9): its
 * states and the transitions allowed between them, as one table. Pure: the
 * store records states and the audit log; this module says what may happen.
 */
#ifndef CHISO_CORE_WORKFLOW_H
#define CHISO_CORE_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "util/str.h"

/*
 * The states of one unit's assessment for one period and framework. A unit
 * with no recorded state is in CS_WF_DRAFT.
 */
enum cs_wf_state {
	CS_WF_DRAFT,		     /* the unit is entering its self-assessment */
	CS_WF_SUBMITTED,	     /* self-assessed and submitted with evidence */
	CS_WF_APPRAISED,	     /* the appraisal council has set its scores */
	CS_WF_EXPLANATION_REQUESTED, /* the council asks the unit to explain (giải trình) */
	CS_WF_EXPLAINED,	     /* the unit has explained; awaiting the final appraisal */
	CS_WF_APPROVED,		     /* the results are approved */
	CS_WF_PUBLISHED,	     /* the period's results are published and frozen */
	CS_WF_STATE_COUNT_
};

/* Who takes a transition. */
enum cs_wf_actor {
	CS_WF_BY_UNIT,	  /* the assessed unit */
	CS_WF_BY_COUNCIL, /* the appraisal council (hội đồng thẩm định) */
	CS_WF_BY_PUBLISH  /* only publication of the whole period (chiso par publish) */
};

/* One allowed transition. */
struct cs_wf_transition {
	enum cs_wf_state from, to;
	enum cs_wf_actor by;
	bool reason_required; /* a transition backwards, or a request, must say why */
	const char *summary;  /* one English line for listings */
};

/* "draft", "submitted", "appraised", "explanation_requested", "explained",
 * "approved", "published"; NULL when out of range. */
const char *cs_wf_state_name(enum cs_wf_state state);

/* The Vietnamese label of a state ("Nháp", "Đã nộp", ...); NULL when out of range. */
const char *cs_wf_state_label_vi(enum cs_wf_state state);

/* Parses a state name (ASCII case-insensitive; '-' and '_' alike); false when unknown. */
bool cs_wf_state_parse(struct cs_str s, enum cs_wf_state *out);

/* The number of rows of the transition table and the i-th (i < count). */
size_t cs_wf_transition_count(void);
const struct cs_wf_transition *cs_wf_transition_at(size_t i);

/* The row from -> to, or NULL when the table has none. */
const struct cs_wf_transition *cs_wf_transition_find(enum cs_wf_state from, enum cs_wf_state to);

/*
 * Checks that a unit may go from `from` to `to` by an explicit state change
 * (not publication). CS_OK when the table allows it and a reason is given
 * where one is required (has_reason). CS_ESTATE otherwise, with a message
 * naming both states and the states reachable from `from` ("cannot go from
 * draft to approved; from draft the next state is submitted"), or saying that
 * publication is done for the whole period by `chiso par publish`, or that
 * the change needs a reason.
 */
enum cs_err cs_wf_check(enum cs_wf_state from, enum cs_wf_state to, bool has_reason,
			struct cs_error *err);

/*
 * True when scores of a unit in this state may still change: every state but
 * approved (reopen it first) and published (frozen).
 */
bool cs_wf_scores_editable(enum cs_wf_state state);

#endif
