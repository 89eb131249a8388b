/*
 * What the workspace's handlers share: the assessment a request is about
 * (period, unit and its scope check, framework, state), who acts for the
 * unit and for the council, replies whose numbers read back exactly, and the
 * mapping of store errors to problem replies.
 */
#ifndef CHISO_HTTP_WORKSPACE_H
#define CHISO_HTTP_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/framework.h"
#include "core/unit.h"
#include "core/workflow.h"
#include "store/score_store.h"
#include "store/user_store.h"

struct http_req;

/* The assessment of one unit in one period under one framework. */
struct ws_ctx {
	struct cs_period period;
	struct cs_unit_set units;
	const struct cs_unit *unit; /* in units */
	char fw_code[CS_SCORE_CODE_LEN];
	struct cs_framework *fw;
	char fw_sha[CS_SHA256_HEX_LEN];
	int64_t methodology_id;
	enum cs_wf_state state;
	char field[16]; /* after a failure: the parameter at fault */
};

void ws_ctx_init(struct ws_ctx *c);
void ws_ctx_release(struct ws_ctx *c);

/*
 * Loads the assessment of unit in period under framework (NULL: the
 * period's only one) as user u sees it. CS_ENOTFOUND naming the period, the
 * unit or the framework (c->field says which); CS_EPERM when u is a unit
 * officer of another unit; CS_EINVAL when the period has several frameworks
 * and none is named; storage errors.
 */
enum cs_err ws_ctx_load(struct cs_store *s, const struct cs_user *u, const char *period,
			const char *unit, const char *framework, struct ws_ctx *c,
			struct cs_error *err);

/* Unit officers and administrators act for units; appraisers and administrators for the council. */
bool ws_acts_for_unit(const struct cs_user *u);
bool ws_acts_for_council(const struct cs_user *u);

/* The states in which the council sets appraised scores and asks questions. */
bool ws_council_may_edit(enum cs_wf_state s);

/* The states in which a unit may add evidence: its draft and while explaining. */
bool ws_unit_may_upload(enum cs_wf_state s);

/* True when text (len bytes) is valid UTF-8 of at most max bytes, with no control characters but tab and line breaks. */
bool ws_text_ok(const char *text, size_t len, size_t max);

/* False after answering 400 when the query parameter name is missing or empty. */
bool ws_query_required(struct http_req *req, const char *name, const char *value);

/*
 * Answers with json (a reference taken over; NULL answers 503) whose
 * numbers are written with 15 significant digits, so that 8.7 reads 8.7.
 */
void ws_reply_json(struct http_req *req, unsigned status, json_t *json);

/*
 * Answers a store error as a problem: CS_ENOTFOUND 404, CS_EPERM 403,
 * CS_ESTATE, CS_ECONFLICT and CS_EEXIST 409, CS_EINVAL, CS_EPARSE, CS_EUTF8
 * and CS_ETOOBIG 422, anything else 500 (the message to the log only).
 * field (may be NULL) names the field or parameter at fault.
 */
void ws_reply_error(struct http_req *req, enum cs_err rc, const struct cs_error *err,
		    const char *field);

#endif
