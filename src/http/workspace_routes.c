/*
 * The workspace's assessment routes (METHODOLOGY M2.9): GET
 * /api/v1/assessments shows a unit's framework tree with its maxima and
 * rules, the self-assessed and appraised scores, notes and reasons, evidence,
 * explanation requests and the audit trail of every criterion, and what the
 * person asking may do next; PUT changes scores, asks or answers questions
 * and moves the workflow, through the store functions the command line uses,
 * checking who may do what in which state on the writer's handle.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/auth.h"
#include "http/request.h"
#include "http/workspace.h"
#include "http/workspace_routes.h"
#include "io/framework_json.h"
#include "store/assess_store.h"
#include "store/evidence_store.h"
#include "store/par_store.h"
#include "store/round_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* The roles that take part in assessments; surveyors do not. */
#define ASSESS_ROLES                                               \
	(AUTH_ROLE(CS_ROLE_ADMIN) | AUTH_ROLE(CS_ROLE_APPRAISER) | \
	 AUTH_ROLE(CS_ROLE_UNIT_OFFICER) | AUTH_ROLE(CS_ROLE_VIEWER))

/* ---- JSON of one unit's assessment ---- */

static json_t *score_json(struct cs_score_value v)
{
	if (v.kind == CS_SCORE_NA)
		return json_string("na");
	if (v.kind == CS_SCORE_VALUE)
		return json_real(v.value);
	return json_null();
}

static json_t *params_json(const struct cs_fw_node *n)
{
	json_t *o = json_object();

	for (size_t i = 0; o && i < n->nparams; i++)
		json_object_set_new(o, n->params[i].key, json_string(n->params[i].value));
	return o;
}

static json_t *change_json(const struct cs_score_change *c)
{
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "at", c->at, "actor", c->actor,
			 "field", c->field, "old", c->old_value, "new", c->new_value, "reason",
			 c->reason);
}

static json_t *explanation_json(const struct cs_explanation *e)
{
	return json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", (json_int_t)e->id,
			 "node", e->node, "question", e->question, "asked_by", e->asked_by,
			 "asked_at", e->asked_at, "answer", e->answer, "answered_by",
			 e->answered_by, "answered_at", e->answered_at);
}

static json_t *evidence_json(const struct cs_evidence *e)
{
	char url[64];

	snprintf(url, sizeof(url), "/api/v1/evidence/%lld", (long long)e->id);
	return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id,
			 "name", e->name, "type", e->media_type, "size", (json_int_t)e->size,
			 "sha256", e->sha256, "uploaded_by", e->uploaded_by, "uploaded_at",
			 e->uploaded_at, "url", url);
}

/* The changes a person may make now, for the page's buttons. */
static json_t *actions_json(const struct ws_ctx *c, const struct cs_user *u, bool may_submit)
{
	json_t *o, *tr;
	bool unit_side = ws_acts_for_unit(u), council = ws_acts_for_council(u);

	o = json_pack("{s:b, s:b, s:b, s:b, s:b, s:[]}", "edit_self",
		      unit_side && c->state == CS_WF_DRAFT, "edit_appraisal",
		      council && ws_council_may_edit(c->state), "ask",
		      council && ws_council_may_edit(c->state), "answer",
		      unit_side && c->state == CS_WF_EXPLANATION_REQUESTED, "upload",
		      unit_side && ws_unit_may_upload(c->state), "transitions");
	tr = o ? json_object_get(o, "transitions") : NULL;
	for (size_t i = 0; tr && i < cs_wf_transition_count(); i++) {
		const struct cs_wf_transition *t = cs_wf_transition_at(i);

		if (t->from != c->state || t->by == CS_WF_BY_PUBLISH)
			continue;
		if ((t->by == CS_WF_BY_UNIT && !unit_side) ||
		    (t->by == CS_WF_BY_COUNCIL && !council))
			continue;
		if (t->to == CS_WF_SUBMITTED && !may_submit)
			continue;
		json_array_append_new(tr, json_pack("{s:s, s:b}", "to", cs_wf_state_name(t->to),
						    "reason_required", t->reason_required));
	}
	return o;
}

/* True when node i and its ancestors apply to unit u. */
static bool node_applies(const struct cs_framework *fw, size_t i, const struct cs_unit *u)
{
	while (i != CS_FW_NONE) {
		const struct cs_fw_node *n = cs_framework_node(fw, i);

		if (!cs_fw_node_applies(n, u->level, u->flags))
			return false;
		i = n->parent;
	}
	return true;
}

/* Everything GET shows, read on one handle. */
struct view {
	struct cs_arena arena;
	struct cs_vec rows, explanations, evidence, history;
};

static enum cs_err view_load(struct cs_store *s, const struct ws_ctx *c, struct view *v,
			     struct cs_error *err)
{
	enum cs_err rc;

	rc = cs_assess_rows(s, c->period.id, c->unit->id, c->fw_code, &v->arena, &v->rows, err);
	if (!rc)
		rc = cs_explanation_list(s, c->period.id, c->unit->id, c->fw_code, &v->arena,
					 &v->explanations, err);
	if (!rc)
		rc = cs_evidence_list(s, c->period.id, c->unit->id, c->fw_code, &v->arena,
				      &v->evidence, err);
	if (!rc)
		rc = cs_score_store_history(s, c->period.code, c->fw_code, c->unit->code, NULL,
					    &v->arena, &v->history, err);
	return rc;
}

static json_t *node_json(const struct ws_ctx *c, const struct view *v, size_t i)
{
	const struct cs_fw_node *n = cs_framework_node(c->fw, i);
	const struct cs_assess_row *row = NULL;
	bool leaf = cs_fw_node_is_leaf(n);
	bool entry = leaf && (n->source == CS_SOURCE_SELF || n->source == CS_SOURCE_BONUS ||
			      n->source == CS_SOURCE_PENALTY);
	json_t *o, *ev, *ex, *hi;

	for (size_t k = 0; k < v->rows.len && !row; k++) {
		const struct cs_assess_row *r = cs_vec_at(&v->rows, k);

		if (strcmp(r->node, n->code) == 0)
			row = r;
	}
	o = json_pack("{s:s, s:s?, s:i, s:s, s:f, s:s?, s:s?, s:o, s:b, s:b}", "code", n->code,
		      "parent", n->parent_code, "depth", (int)n->depth, "title", n->title, "max",
		      n->max, "source", cs_fw_source_name(n->source), "rule", n->rule_name,
		      "params", params_json(n), "leaf", leaf, "entry", entry);
	if (!o)
		return NULL;
	if (leaf) {
		struct cs_score_value none = {CS_SCORE_EMPTY, 0};

		json_object_set_new(o, "self", score_json(row ? row->self : none));
		json_object_set_new(o, "note",
				    row && row->note ? json_string(row->note) : json_null());
		json_object_set_new(o, "appraised", score_json(row ? row->appraised : none));
		json_object_set_new(o, "reason",
				    row && row->reason ? json_string(row->reason) : json_null());
		ev = json_array();
		ex = json_array();
		hi = json_array();
		for (size_t k = 0; ev && k < v->evidence.len; k++) {
			const struct cs_evidence *e = cs_vec_at(&v->evidence, k);

			if (strcmp(e->node, n->code) == 0)
				json_array_append_new(ev, evidence_json(e));
		}
		for (size_t k = 0; ex && k < v->explanations.len; k++) {
			const struct cs_explanation *e = cs_vec_at(&v->explanations, k);

			if (e->node && strcmp(e->node, n->code) == 0)
				json_array_append_new(ex, explanation_json(e));
		}
		for (size_t k = 0; hi && k < v->history.len; k++) {
			const struct cs_score_change *h = cs_vec_at(&v->history, k);

			if (h->node && strcmp(h->node, n->code) == 0)
				json_array_append_new(hi, change_json(h));
		}
		json_object_set_new(o, "evidence", ev);
		json_object_set_new(o, "explanations", ex);
		json_object_set_new(o, "history", hi);
	}
	return o;
}

static json_t *assessment_json(const struct ws_ctx *c, const struct view *v,
			       const struct cs_user *u, const struct cs_round *round,
			       bool has_round, bool may_submit, const char *why,
			       const char *reopened)
{
	const struct cs_fw_info *info = cs_framework_info(c->fw);
	const size_t *order = cs_framework_order(c->fw);
	json_t *root, *nodes, *hist, *rj = json_null();

	if (has_round)
		rj = json_pack("{s:s?, s:b, s:s?, s:b, s:s?}", "deadline",
			       round->deadline[0] ? round->deadline : NULL, "closed", round->closed,
			       "reopened_until", reopened[0] ? reopened : NULL, "may_submit",
			       may_submit, "why", why);
	root = json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s?}, s:{s:s, s:s, s:s, s:s}, "
			 "s:s, s:s, s:o, s:o, s:[], s:[]}",
			 "period", "code", c->period.code, "starts", c->period.starts, "ends",
			 c->period.ends, "unit", "code", c->unit->code, "name", c->unit->name,
			 "level", cs_level_name(c->unit->level), "parent", c->unit->parent,
			 "framework", "code", info->code, "version", info->version, "title",
			 info->title, "sha256", c->fw_sha, "state", cs_wf_state_name(c->state),
			 "state_label_vi", cs_wf_state_label_vi(c->state), "round", rj, "actions",
			 actions_json(c, u, may_submit), "nodes", "history");
	nodes = root ? json_object_get(root, "nodes") : NULL;
	hist = root ? json_object_get(root, "history") : NULL;
	for (size_t k = 0; nodes && k < cs_framework_node_count(c->fw); k++)
		if (node_applies(c->fw, order[k], c->unit))
			json_array_append_new(nodes, node_json(c, v, order[k]));
	for (size_t k = 0; hist && k < v->history.len; k++) {
		const struct cs_score_change *h = cs_vec_at(&v->history, k);

		if (!h->node)
			json_array_append_new(hist, change_json(h));
	}
	return root;
}

void api_assessments_get(struct http_req *req)
{
	const char *period = http_req_query(req, "period"), *unit = http_req_query(req, "unit");
	struct cs_error err = {0}, why = {0};
	char now[CS_STORE_TIME_LEN], reopened[CS_STORE_TIME_LEN] = "";
	struct auth_user me;
	struct http_db *db;
	struct ws_ctx c;
	struct view v;
	struct cs_round round;
	bool has_round = false, may_submit = false;
	enum cs_err rc;

	if (!auth_require(req, ASSESS_ROLES, 0, &me) || !ws_query_required(req, "period", period) ||
	    !ws_query_required(req, "unit", unit) || !(db = http_req_db(req)))
		return;
	ws_ctx_init(&c);
	memset(&v, 0, sizeof(v));
	cs_arena_init(&v.arena, 0);
	cs_vec_init(&v.rows, sizeof(struct cs_assess_row), 0);
	cs_vec_init(&v.explanations, sizeof(struct cs_explanation), 0);
	cs_vec_init(&v.evidence, sizeof(struct cs_evidence), 0);
	cs_vec_init(&v.history, sizeof(struct cs_score_change), 0);
	rc = ws_ctx_load(db->store, &me.session.user, period, unit,
			 http_req_query(req, "framework"), &c, &err);
	if (!rc)
		rc = view_load(db->store, &c, &v, &err);
	if (!rc)
		rc = cs_round_get(db->store, c.period.id, c.fw_code, &round, &has_round, &err);
	cs_store_now(now);
	if (!rc) {
		rc = cs_round_may_submit(db->store, &c.period, c.fw_code, c.unit->id, c.unit->code,
					 now, reopened, &why);
		may_submit = rc == CS_OK;
		if (rc == CS_ESTATE)
			rc = CS_OK;
		else if (rc)
			err = why;
	}
	if (rc)
		ws_reply_error(req, rc, &err, c.field);
	else
		ws_reply_json(req, 200,
			      assessment_json(&c, &v, &me.session.user, &round, has_round,
					      may_submit, may_submit ? NULL : why.msg, reopened));
	cs_vec_release(&v.rows);
	cs_vec_release(&v.explanations);
	cs_vec_release(&v.evidence);
	cs_vec_release(&v.history);
	cs_arena_release(&v.arena);
	ws_ctx_release(&c);
}

/* ---- PUT: changes, checked and made on the writer's handle ---- */

/* One entry of "scores": which of its fields were given. */
struct put_score {
	const char *node;
	bool has_self, has_note, has_appraised, has_reason;
	struct cs_score_value self, appraised;
	const char *note, *reason;
};

struct put_question {
	const char *node, *question;
};

struct put_answer {
	int64_t id;
	const char *answer;
};

/* The request's changes and, after the write, what came of them. All in the request's arena. */
struct put {
	struct cs_user user;
	const char *period, *unit, *framework;
	struct put_score *scores;
	size_t nscores;
	struct put_question *questions;
	size_t nquestions;
	struct put_answer *answers;
	size_t nanswers;
	bool has_to;
	enum cs_wf_state to;
	const char *reason;

	/* Results. */
	char field[48]; /* the field at fault */
	enum cs_wf_state state;
	struct cs_score_import_stats stats;
	size_t asked, answered;
};

/* Reads a score field: a number, "na" or null. False after answering 400. */
static bool read_value(struct http_req *req, json_t *v, const char *field,
		       struct cs_score_value *out)
{
	if (json_is_null(v)) {
		*out = (struct cs_score_value){CS_SCORE_EMPTY, 0};
		return true;
	}
	if (json_is_number(v)) {
		*out = (struct cs_score_value){CS_SCORE_VALUE, json_number_value(v)};
		return true;
	}
	if (json_is_string(v) && strcmp(json_string_value(v), "na") == 0) {
		*out = (struct cs_score_value){CS_SCORE_NA, 0};
		return true;
	}
	http_problem(req, 400, "invalid-field", field,
		     "%s: expected a number, \"na\" (not applicable) or null (no score yet)",
		     field);
	return false;
}

/* Reads an optional text field (null allowed: it clears). */
static bool read_text(struct http_req *req, json_t *obj, const char *name, const char *field,
		      size_t max, bool *has, const char **out)
{
	json_t *v = json_object_get(obj, name);

	*has = v != NULL;
	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v) || !ws_text_ok(json_string_value(v), json_string_length(v), max)) {
		http_problem(req, 400, "invalid-field", field,
			     "%s: expected text of at most %zu bytes without control characters "
			     "(line breaks are allowed), or null",
			     field, max);
		return false;
	}
	*out = json_string_length(v) ? json_string_value(v) : NULL;
	return true;
}

static bool parse_scores(struct http_req *req, json_t *arr, struct put *p, bool unit_side,
			 bool council)
{
	static const char *const fields[] = {"node", "self", "note", "appraised", "reason", NULL};
	char field[48];

	if (!json_is_array(arr)) {
		http_problem(req, 400, "invalid-field", "scores", "scores: expected an array");
		return false;
	}
	p->nscores = json_array_size(arr);
	p->scores = cs_arena_calloc(http_req_arena(req), p->nscores ? p->nscores : 1,
				    sizeof(*p->scores));
	if (!p->scores) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return false;
	}
	for (size_t i = 0; i < p->nscores; i++) {
		json_t *e = json_array_get(arr, i), *v;
		struct put_score *s = &p->scores[i];

		snprintf(field, sizeof(field), "scores[%zu]", i);
		if (!json_is_object(e)) {
			http_problem(req, 400, "invalid-field", field, "%s: expected an object",
				     field);
			return false;
		}
		if (!http_json_only(req, e, fields) ||
		    !http_json_string(req, e, "node", CS_SCORE_CODE_LEN - 1, true, &s->node))
			return false;
		for (size_t k = 0; k < i; k++)
			if (strcmp(p->scores[k].node, s->node) == 0) {
				http_problem(req, 400, "invalid-field", field,
					     "%s: node '%.64s' appears twice; give each criterion "
					     "once",
					     field, s->node);
				return false;
			}
		if ((v = json_object_get(e, "self"))) {
			snprintf(field, sizeof(field), "scores[%zu].self", i);
			s->has_self = true;
			if (!read_value(req, v, field, &s->self))
				return false;
		}
		if ((v = json_object_get(e, "appraised"))) {
			snprintf(field, sizeof(field), "scores[%zu].appraised", i);
			s->has_appraised = true;
			if (!read_value(req, v, field, &s->appraised))
				return false;
		}
		snprintf(field, sizeof(field), "scores[%zu].note", i);
		if (!read_text(req, e, "note", field, CS_SCORE_TEXT_MAX, &s->has_note, &s->note))
			return false;
		snprintf(field, sizeof(field), "scores[%zu].reason", i);
		if (!read_text(req, e, "reason", field, CS_SCORE_TEXT_MAX, &s->has_reason,
			       &s->reason))
			return false;
		if ((s->has_self || s->has_note) && !unit_side) {
			snprintf(field, sizeof(field), "scores[%zu].%s", i,
				 s->has_self ? "self" : "note");
			http_problem(
				req, 403, NULL, field,
				"%s: self-assessed scores and notes are the unit's; '%s' is %s",
				field, p->user.login, cs_role_name(p->user.role));
			return false;
		}
		if ((s->has_appraised || s->has_reason) && !council) {
			snprintf(field, sizeof(field), "scores[%zu].%s", i,
				 s->has_appraised ? "appraised" : "reason");
			http_problem(req, 403, NULL, field,
				     "%s: appraised scores and their reasons are the council's; "
				     "'%s' is %s",
				     field, p->user.login, cs_role_name(p->user.role));
			return false;
		}
		/* M2.9: the council gives its reasons. */
		if (s->has_appraised && s->appraised.kind != CS_SCORE_EMPTY && !s->reason) {
			snprintf(field, sizeof(field), "scores[%zu].reason", i);
			http_problem(req, 400, "missing-field", field,
				     "%s: an appraised score needs the council's reason", field);
			return false;
		}
	}
	return true;
}

static bool parse_questions(struct http_req *req, json_t *arr, struct put *p)
{
	static const char *const fields[] = {"node", "question", NULL};
	char field[48];

	if (!json_is_array(arr)) {
		http_problem(req, 400, "invalid-field", "questions",
			     "questions: expected an array");
		return false;
	}
	p->nquestions = json_array_size(arr);
	p->questions = cs_arena_calloc(http_req_arena(req), p->nquestions ? p->nquestions : 1,
				       sizeof(*p->questions));
	if (!p->questions) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return false;
	}
	for (size_t i = 0; i < p->nquestions; i++) {
		json_t *e = json_array_get(arr, i);
		bool has = false;

		snprintf(field, sizeof(field), "questions[%zu]", i);
		if (!json_is_object(e)) {
			http_problem(req, 400, "invalid-field", field, "%s: expected an object",
				     field);
			return false;
		}
		if (!http_json_only(req, e, fields) ||
		    !http_json_string(req, e, "node", CS_SCORE_CODE_LEN - 1, true,
				      &p->questions[i].node))
			return false;
		snprintf(field, sizeof(field), "questions[%zu].question", i);
		if (!read_text(req, e, "question", field, CS_EXPLANATION_MAX, &has,
			       &p->questions[i].question))
			return false;
		if (!p->questions[i].question) {
			http_problem(req, 400, "missing-field", field, "%s: missing; ask something",
				     field);
			return false;
		}
	}
	return true;
}

static bool parse_answers(struct http_req *req, json_t *arr, struct put *p)
{
	static const char *const fields[] = {"id", "answer", NULL};
	char field[48];

	if (!json_is_array(arr)) {
		http_problem(req, 400, "invalid-field", "answers", "answers: expected an array");
		return false;
	}
	p->nanswers = json_array_size(arr);
	p->answers = cs_arena_calloc(http_req_arena(req), p->nanswers ? p->nanswers : 1,
				     sizeof(*p->answers));
	if (!p->answers) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return false;
	}
	for (size_t i = 0; i < p->nanswers; i++) {
		json_t *e = json_array_get(arr, i), *id;
		bool has = false;

		snprintf(field, sizeof(field), "answers[%zu]", i);
		if (!json_is_object(e) || !http_json_only(req, e, fields)) {
			http_problem(req, 400, "invalid-field", field, "%s: expected an object",
				     field);
			return false;
		}
		id = json_object_get(e, "id");
		snprintf(field, sizeof(field), "answers[%zu].id", i);
		if (!json_is_integer(id) || json_integer_value(id) <= 0) {
			http_problem(req, 400, "invalid-field", field,
				     "%s: expected the id of an explanation request", field);
			return false;
		}
		p->answers[i].id = (int64_t)json_integer_value(id);
		snprintf(field, sizeof(field), "answers[%zu].answer", i);
		if (!read_text(req, e, "answer", field, CS_EXPLANATION_MAX, &has,
			       &p->answers[i].answer))
			return false;
		if (!p->answers[i].answer) {
			http_problem(req, 400, "missing-field", field, "%s: missing; expected text",
				     field);
			return false;
		}
	}
	return true;
}

/* A refusal from the writer: the code, the message and the field at fault. */
static enum cs_err refuse(struct put *p, const char *field, struct cs_error *err, enum cs_err code,
			  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static enum cs_err refuse(struct put *p, const char *field, struct cs_error *err, enum cs_err code,
			  const char *fmt, ...)
{
	va_list ap;

	snprintf(p->field, sizeof(p->field), "%s", field ? field : "");
	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Checks who may do what in the unit's present state (M2.9), before anything is written. */
static enum cs_err put_allowed(struct cs_store *s, struct put *p, const struct ws_ctx *c,
			       struct cs_error *err)
{
	bool unit_side = ws_acts_for_unit(&p->user), council = ws_acts_for_council(&p->user);
	const char *st = cs_wf_state_name(c->state);
	bool self = false, appr = false;
	enum cs_err rc;

	for (size_t i = 0; i < p->nscores; i++) {
		self = self || p->scores[i].has_self || p->scores[i].has_note;
		appr = appr || p->scores[i].has_appraised || p->scores[i].has_reason;
	}
	if (self && c->state != CS_WF_DRAFT)
		return refuse(p, "scores", err, CS_ESTATE,
			      "unit '%s' is %s; its self-assessment changes only while it is a "
			      "draft",
			      c->unit->code, st);
	if ((appr || p->nquestions) && !ws_council_may_edit(c->state))
		return refuse(p, appr ? "scores" : "questions", err, CS_ESTATE,
			      "unit '%s' is %s; the council appraises and asks questions once the "
			      "unit has submitted (submitted, appraised or explained)",
			      c->unit->code, st);
	if (p->nanswers && c->state != CS_WF_EXPLANATION_REQUESTED)
		return refuse(p, "answers", err, CS_ESTATE,
			      "unit '%s' is %s; explanations are answered while they are requested",
			      c->unit->code, st);
	for (size_t i = 0; i < p->nquestions; i++) {
		size_t k;

		if (!cs_framework_find(c->fw, p->questions[i].node, &k) ||
		    !node_applies(c->fw, k, c->unit)) {
			char f[48];

			snprintf(f, sizeof(f), "questions[%zu].node", i);
			return refuse(
				p, f, err, CS_EINVAL,
				"%s: '%.64s' is not a criterion of unit '%s' in framework '%s'", f,
				p->questions[i].node, c->unit->code, c->fw_code);
		}
	}
	if (p->has_to) {
		const struct cs_wf_transition *t = cs_wf_transition_find(c->state, p->to);

		rc = cs_wf_check(c->state, p->to, p->reason != NULL, err);
		if (rc) {
			snprintf(p->field, sizeof(p->field), "to");
			return rc;
		}
		if ((t->by == CS_WF_BY_UNIT && !unit_side) ||
		    (t->by == CS_WF_BY_COUNCIL && !council))
			return refuse(p, "to", err, CS_EPERM,
				      "to: going from %s to %s is for %s; '%s' is %s", st,
				      cs_wf_state_name(p->to),
				      t->by == CS_WF_BY_UNIT ? "the unit" : "the appraisal council",
				      p->user.login, cs_role_name(p->user.role));
		if (p->to == CS_WF_SUBMITTED) {
			char now[CS_STORE_TIME_LEN];

			cs_store_now(now);
			rc = cs_round_may_submit(s, &c->period, c->fw_code, c->unit->id,
						 c->unit->code, now, NULL, err);
			if (rc) {
				snprintf(p->field, sizeof(p->field), "to");
				return rc;
			}
		}
	}
	return CS_OK;
}

/* Counts the open questions after this request's questions and answers. */
static enum cs_err open_questions(struct cs_store *s, const struct put *p, const struct ws_ctx *c,
				  size_t *open, struct cs_error *err)
{
	struct cs_arena a;
	struct cs_vec list;
	enum cs_err rc;

	cs_arena_init(&a, 0);
	cs_vec_init(&list, sizeof(struct cs_explanation), 0);
	*open = 0;
	rc = cs_explanation_list(s, c->period.id, c->unit->id, c->fw_code, &a, &list, err);
	for (size_t i = 0; !rc && i < list.len; i++) {
		const struct cs_explanation *e = cs_vec_at(&list, i);
		bool answered = e->answer != NULL;

		for (size_t k = 0; k < p->nanswers && !answered; k++)
			answered = p->answers[k].id == e->id;
		*open += !answered;
	}
	cs_vec_release(&list);
	cs_arena_release(&a);
	return rc;
}

/* Rewrites "scores:3:4: message" of the score table into "scores[2].appraised: message". */
static void score_message(struct put *p, struct cs_error *err)
{
	static const char *const cols[] = {"unit", "node", "self", "appraised", "note", "reason"};
	unsigned long line = 0, col = 0;
	char rest[CS_ERROR_MSG_MAX], *end;
	const char *m = err->msg;

	if (strncmp(m, "scores:", 7) != 0)
		return;
	m += 7;
	line = strtoul(m, &end, 10);
	if (end == m || line == 0)
		return;
	m = end;
	if (*m == ':' && m[1] >= '0' && m[1] <= '9') {
		col = strtoul(m + 1, &end, 10);
		m = end;
	}
	if (strncmp(m, ": ", 2) != 0)
		return;
	snprintf(rest, sizeof(rest), "%s", m + 2);
	if (col >= 1 && col <= 6)
		snprintf(p->field, sizeof(p->field), "scores[%lu].%s", line - 1, cols[col - 1]);
	else
		snprintf(p->field, sizeof(p->field), "scores[%lu]", line - 1);
	/* The field is short and the rest was part of the message: it fits, cut at worst. */
	snprintf(err->msg, sizeof(err->msg), "%.47s: %.460s", p->field, rest);
}

/* Builds the score table of the request, each row merged with what is stored. */
static enum cs_err put_table(struct cs_store *s, struct put *p, const struct ws_ctx *c,
			     struct cs_score_table *t, struct cs_error *err)
{
	struct cs_arena a;
	struct cs_vec rows;
	enum cs_err rc;

	t->name = "scores";
	for (int k = 0; k < CS_SCORE_COL_COUNT_; k++)
		t->col[k] = (unsigned)k + 1;
	cs_arena_init(&a, 0);
	cs_vec_init(&rows, sizeof(struct cs_assess_row), 0);
	rc = cs_assess_rows(s, c->period.id, c->unit->id, c->fw_code, &a, &rows, err);
	for (size_t i = 0; !rc && i < p->nscores; i++) {
		const struct put_score *ps = &p->scores[i];
		const struct cs_assess_row *old = NULL;
		struct cs_score_row *r = cs_vec_push_zero(&t->rows, err);

		if (!r) {
			rc = err ? err->code : CS_ENOMEM;
			break;
		}
		for (size_t k = 0; k < rows.len && !old; k++) {
			const struct cs_assess_row *o = cs_vec_at(&rows, k);

			if (strcmp(o->node, ps->node) == 0)
				old = o;
		}
		r->line = i + 1;
		r->unit = cs_arena_strndup(&t->arena, c->unit->code, strlen(c->unit->code));
		r->node = cs_arena_strndup(&t->arena, ps->node, strlen(ps->node));
		r->self = ps->has_self
				  ? ps->self
				  : (old ? old->self : (struct cs_score_value){CS_SCORE_EMPTY, 0});
		r->appraised = ps->has_appraised
				       ? ps->appraised
				       : (old ? old->appraised
					      : (struct cs_score_value){CS_SCORE_EMPTY, 0});
		r->note = ps->has_note ? ps->note : (old ? old->note : NULL);
		r->reason = ps->has_reason ? ps->reason : (old ? old->reason : NULL);
		if (r->note)
			r->note = cs_arena_strndup(&t->arena, r->note, strlen(r->note));
		if (r->reason)
			r->reason = cs_arena_strndup(&t->arena, r->reason, strlen(r->reason));
		if (!r->unit || !r->node ||
		    ((ps->has_note ? ps->note
		      : old	   ? old->note
				   : NULL) &&
		     !r->note))
			rc = cs_fail(err, CS_ENOMEM, NULL);
	}
	cs_vec_release(&rows);
	cs_arena_release(&a);
	if (!rc)
		rc = cs_score_table_check(t, c->fw, &c->units, c->period.starts, c->period.ends,
					  err);
	if (rc == CS_EPARSE)
		score_message(p, err);
	return rc;
}

static enum cs_err put_explanations(struct cs_store *s, struct put *p, const struct ws_ctx *c,
				    struct cs_error *err)
{
	enum cs_err rc;

	if (!p->nquestions && !p->nanswers)
		return CS_OK;
	rc = cs_store_begin(s, err);
	for (size_t i = 0; !rc && i < p->nquestions; i++)
		rc = cs_explanation_ask(s, &c->period, c->unit->id, c->unit->code, c->fw_code,
					p->questions[i].node, p->questions[i].question, NULL, err);
	for (size_t i = 0; !rc && i < p->nanswers; i++) {
		rc = cs_explanation_answer(s, &c->period, c->unit->id, c->unit->code, c->fw_code,
					   p->answers[i].id, p->answers[i].answer, err);
		if (rc)
			snprintf(p->field, sizeof(p->field), "answers[%zu].id", i);
	}
	if (!rc)
		rc = cs_store_commit(s, err);
	else if (rc != CS_OK)
		cs_store_rollback(s);
	if (!rc) {
		p->asked = p->nquestions;
		p->answered = p->nanswers;
	}
	return rc;
}

static enum cs_err put_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct put *p = arg;
	struct cs_score_table t;
	struct ws_ctx c;
	size_t open = 0;
	enum cs_err rc;

	ws_ctx_init(&c);
	cs_score_table_init(&t);
	rc = cs_store_set_actor(s, p->user.login, err);
	if (!rc)
		rc = ws_ctx_load(s, &p->user, p->period, p->unit, p->framework, &c, err);
	if (rc)
		snprintf(p->field, sizeof(p->field), "%s", c.field);
	if (!rc)
		rc = put_allowed(s, p, &c, err);
	if (!rc && p->nscores)
		rc = put_table(s, p, &c, &t, err);
	if (!rc && p->nanswers) {
		/* Each answer must answer one of this unit's requests. */
		for (size_t i = 0; !rc && i < p->nanswers; i++) {
			struct cs_arena a;
			struct cs_vec list;
			bool mine = false;

			cs_arena_init(&a, 0);
			cs_vec_init(&list, sizeof(struct cs_explanation), 0);
			rc = cs_explanation_list(s, c.period.id, c.unit->id, c.fw_code, &a, &list,
						 err);
			for (size_t k = 0; !rc && k < list.len; k++)
				mine = mine || ((struct cs_explanation *)cs_vec_at(&list, k))->id ==
						       p->answers[i].id;
			cs_vec_release(&list);
			cs_arena_release(&a);
			if (!rc && !mine) {
				char f[48];

				snprintf(f, sizeof(f), "answers[%zu].id", i);
				rc = refuse(
					p, f, err, CS_EINVAL,
					"%s: %lld is not an explanation request of unit '%s' in "
					"period '%s'",
					f, (long long)p->answers[i].id, c.unit->code,
					c.period.code);
			}
		}
	}
	if (!rc && p->has_to &&
	    (p->to == CS_WF_EXPLAINED || p->to == CS_WF_EXPLANATION_REQUESTED)) {
		rc = open_questions(s, p, &c, &open, err);
		open += p->nquestions;
		if (!rc && p->to == CS_WF_EXPLAINED && open)
			rc = refuse(p, "to", err, CS_ESTATE,
				    "to: %zu explanation requests are not answered yet; answer "
				    "each before explaining",
				    open);
		if (!rc && p->to == CS_WF_EXPLANATION_REQUESTED && !open)
			rc = refuse(p, "to", err, CS_ESTATE,
				    "to: no open explanation request; ask on a criterion "
				    "(questions) when requesting an explanation");
	}
	/* Everything is checked: write. Each step is its own transaction, as
	 * the command line's, and none of them can now fail on the request's
	 * content. */
	if (!rc && p->nscores)
		rc = cs_score_store_import(s, &c.period, c.fw, &t, &p->stats, err);
	if (!rc)
		rc = put_explanations(s, p, &c, err);
	if (!rc && p->has_to) {
		struct cs_par_state_change ch = {c.unit->id, c.unit->code, c.state};

		rc = cs_par_state_set(s, &c.period, c.fw_code, &ch, 1, p->to, p->reason, err);
		if (rc)
			snprintf(p->field, sizeof(p->field), "to");
	}
	if (!rc)
		rc = cs_assess_state(s, c.period.id, c.unit->id, c.fw_code, &p->state, NULL, err);
	cs_store_set_actor(s, "api", NULL);
	cs_score_table_release(&t);
	ws_ctx_release(&c);
	return rc;
}

void api_assessments_put(struct http_req *req)
{
	static const char *const fields[] = {"framework", "scores", "questions", "answers",
					     "to",	  "reason", NULL};
	const char *period = http_req_query(req, "period"), *unit = http_req_query(req, "unit");
	struct put *p = cs_arena_calloc(http_req_arena(req), 1, sizeof(*p));
	struct auth_user me;
	const char *to = NULL;
	bool unit_side, council, has = false;
	json_t *body, *v;

	if (!p) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return;
	}
	if (!auth_require(req, ASSESS_ROLES & ~AUTH_ROLE(CS_ROLE_VIEWER), AUTH_CHANGE, &me) ||
	    !ws_query_required(req, "period", period) || !ws_query_required(req, "unit", unit) ||
	    !(body = http_req_json_body(req)) || !http_json_only(req, body, fields) ||
	    !http_json_string(req, body, "framework", CS_SCORE_CODE_LEN - 1, false,
			      &p->framework) ||
	    !http_json_string(req, body, "to", 32, false, &to) ||
	    !read_text(req, body, "reason", "reason", CS_SCORE_TEXT_MAX, &has, &p->reason))
		return;
	p->user = me.session.user;
	p->period = period;
	p->unit = unit;
	unit_side = ws_acts_for_unit(&p->user);
	council = ws_acts_for_council(&p->user);
	if ((v = json_object_get(body, "scores")) && !parse_scores(req, v, p, unit_side, council))
		return;
	if ((v = json_object_get(body, "questions"))) {
		if (!council) {
			http_problem(
				req, 403, NULL, "questions",
				"questions: explanation requests are the council's; '%s' is %s",
				p->user.login, cs_role_name(p->user.role));
			return;
		}
		if (!parse_questions(req, v, p))
			return;
	}
	if ((v = json_object_get(body, "answers"))) {
		if (!unit_side) {
			http_problem(req, 403, NULL, "answers",
				     "answers: explanations are the unit's; '%s' is %s",
				     p->user.login, cs_role_name(p->user.role));
			return;
		}
		if (!parse_answers(req, v, p))
			return;
	}
	if (to) {
		if (!cs_wf_state_parse(cs_str_from(to), &p->to)) {
			http_problem(
				req, 400, "invalid-field", "to",
				"to: '%.32s' is not a workflow state; expected submitted, "
				"appraised, explanation_requested, explained, approved or draft",
				to);
			return;
		}
		p->has_to = true;
	}
	if (!p->nscores && !p->nquestions && !p->nanswers && !p->has_to) {
		http_problem(req, 400, "invalid-request", NULL,
			     "nothing to change; send scores, questions, answers or to");
		return;
	}
	http_req_defer_write(req, put_apply, p, HTTP_WRITE_OWN_TXN);
}

void api_assessments_put_done(struct http_req *req)
{
	struct put *p = http_req_write_arg(req);
	const struct cs_error *err = NULL;
	enum cs_err rc = http_req_write_result(req, &err);

	if (rc) {
		ws_reply_error(req, rc, err, p->field[0] ? p->field : NULL);
		return;
	}
	ws_reply_json(req, 200,
		      json_pack("{s:s, s:{s:I, s:I, s:I, s:I}, s:I, s:I}", "state",
				cs_wf_state_name(p->state), "scores", "added",
				(json_int_t)p->stats.added, "changed", (json_int_t)p->stats.changed,
				"unchanged", (json_int_t)p->stats.unchanged, "audited",
				(json_int_t)p->stats.audited, "questions", (json_int_t)p->asked,
				"answers", (json_int_t)p->answered));
}
