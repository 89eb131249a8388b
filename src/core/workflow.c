/*
 * The workflow table of METHODOLOGY M2.9: draft -> submitted -> appraised
 * (-> explanation requested -> explained -> appraised again) -> approved ->
 * published, with the ways back that the practice of appraisal needs.
 */
#include <stdio.h>
#include <string.h>

#include "core/workflow.h"

#include "util/banned.h"

static const char *const state_names[CS_WF_STATE_COUNT_] = {
	[CS_WF_DRAFT] = "draft",	 [CS_WF_SUBMITTED] = "submitted",
	[CS_WF_APPRAISED] = "appraised", [CS_WF_EXPLANATION_REQUESTED] = "explanation_requested",
	[CS_WF_EXPLAINED] = "explained", [CS_WF_APPROVED] = "approved",
	[CS_WF_PUBLISHED] = "published",
};

static const char *const state_labels_vi[CS_WF_STATE_COUNT_] = {
	[CS_WF_DRAFT] = "Đang tự đánh giá",  [CS_WF_SUBMITTED] = "Đã nộp tự đánh giá",
	[CS_WF_APPRAISED] = "Đã thẩm định",  [CS_WF_EXPLANATION_REQUESTED] = "Yêu cầu giải trình",
	[CS_WF_EXPLAINED] = "Đã giải trình", [CS_WF_APPROVED] = "Đã phê duyệt",
	[CS_WF_PUBLISHED] = "Đã công bố",
};

/*
 * M2.9: "draft -> self-assessed (submitted by the unit, with evidence) ->
 * appraised (council sets scores with reasons, may request explanation) ->
 * unit explains -> final appraisal -> approved -> published". The rows going
 * backwards (a submission returned, an approval reopened) and the request
 * for an explanation must carry a reason, which the audit log keeps.
 */
static const struct cs_wf_transition transitions[] = {
	{CS_WF_DRAFT, CS_WF_SUBMITTED, CS_WF_BY_UNIT, false,
	 "the unit submits its self-assessment"},
	{CS_WF_SUBMITTED, CS_WF_DRAFT, CS_WF_BY_COUNCIL, true,
	 "the submission is returned to the unit"},
	{CS_WF_SUBMITTED, CS_WF_APPRAISED, CS_WF_BY_COUNCIL, false,
	 "the council sets the appraised scores"},
	{CS_WF_APPRAISED, CS_WF_EXPLANATION_REQUESTED, CS_WF_BY_COUNCIL, true,
	 "the council asks the unit to explain"},
	{CS_WF_EXPLANATION_REQUESTED, CS_WF_EXPLAINED, CS_WF_BY_UNIT, false, "the unit explains"},
	{CS_WF_EXPLAINED, CS_WF_APPRAISED, CS_WF_BY_COUNCIL, false, "the final appraisal"},
	{CS_WF_APPRAISED, CS_WF_APPROVED, CS_WF_BY_COUNCIL, false, "the results are approved"},
	{CS_WF_APPROVED, CS_WF_APPRAISED, CS_WF_BY_COUNCIL, true,
	 "an approval is reopened for appraisal"},
	{CS_WF_APPROVED, CS_WF_PUBLISHED, CS_WF_BY_PUBLISH, false,
	 "the period's results are published"},
};

#define NTRANSITIONS (sizeof(transitions) / sizeof(transitions[0]))

const char *cs_wf_state_name(enum cs_wf_state state)
{
	if ((unsigned)state >= CS_WF_STATE_COUNT_)
		return NULL;
	return state_names[state];
}

const char *cs_wf_state_label_vi(enum cs_wf_state state)
{
	if ((unsigned)state >= CS_WF_STATE_COUNT_)
		return NULL;
	return state_labels_vi[state];
}

bool cs_wf_state_parse(struct cs_str s, enum cs_wf_state *out)
{
	for (int i = 0; i < CS_WF_STATE_COUNT_; i++) {
		const char *name = state_names[i];
		size_t n = strlen(name), k;

		if (s.len != n)
			continue;
		for (k = 0; k < n; k++) {
			char c = s.ptr[k];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c == '-')
				c = '_';
			if (c != name[k])
				break;
		}
		if (k == n) {
			*out = (enum cs_wf_state)i;
			return true;
		}
	}
	return false;
}

size_t cs_wf_transition_count(void)
{
	return NTRANSITIONS;
}

const struct cs_wf_transition *cs_wf_transition_at(size_t i)
{
	return i < NTRANSITIONS ? &transitions[i] : NULL;
}

const struct cs_wf_transition *cs_wf_transition_find(enum cs_wf_state from, enum cs_wf_state to)
{
	for (size_t i = 0; i < NTRANSITIONS; i++)
		if (transitions[i].from == from && transitions[i].to == to)
			return &transitions[i];
	return NULL;
}

/* Writes the states reachable from `from` by an explicit change: "a or b". */
static void next_states(enum cs_wf_state from, char *out, size_t cap)
{
	size_t len = 0, n = 0, total = 0;

	out[0] = '\0';
	for (size_t i = 0; i < NTRANSITIONS; i++)
		if (transitions[i].from == from && transitions[i].by != CS_WF_BY_PUBLISH)
			total++;
	for (size_t i = 0; i < NTRANSITIONS && len < cap; i++) {
		const struct cs_wf_transition *t = &transitions[i];
		int w;

		if (t->from != from || t->by == CS_WF_BY_PUBLISH)
			continue;
		n++;
		w = snprintf(out + len, cap - len, "%s%s",
			     n == 1	  ? ""
			     : n == total ? " or "
					  : ", ",
			     state_names[t->to]);
		if (w < 0)
			return;
		len += (size_t)w;
	}
}

enum cs_err cs_wf_check(enum cs_wf_state from, enum cs_wf_state to, bool has_reason,
			struct cs_error *err)
{
	const struct cs_wf_transition *t;
	char next[256];

	if ((unsigned)from >= CS_WF_STATE_COUNT_ || (unsigned)to >= CS_WF_STATE_COUNT_)
		return cs_fail(err, CS_EINVAL, "unknown workflow state");
	if (to == CS_WF_PUBLISHED)
		return cs_fail(err, CS_ESTATE,
			       "units are published together with their period's results; use "
			       "'chiso par publish'");
	if (from == CS_WF_PUBLISHED)
		return cs_fail(err, CS_ESTATE,
			       "the results are published; published results never change");
	if (from == to)
		return cs_fail(err, CS_ESTATE, "the state is already %s", state_names[to]);
	t = cs_wf_transition_find(from, to);
	if (!t) {
		next_states(from, next, sizeof(next));
		return cs_fail(err, CS_ESTATE,
			       "cannot go from %s to %s; from %s the next state is %s",
			       state_names[from], state_names[to], state_names[from], next);
	}
	if (t->reason_required && !has_reason)
		return cs_fail(err, CS_ESTATE, "going from %s to %s needs a reason (--reason)",
			       state_names[from], state_names[to]);
	return CS_OK;
}

bool cs_wf_scores_editable(enum cs_wf_state state)
{
	return state != CS_WF_APPROVED && state != CS_WF_PUBLISHED;
}
