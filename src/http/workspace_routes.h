/*
 * The staff workspace's routes (rows of routes.c): signing in and out, the
 * assessments of units with their evidence, explanations and audit trail,
 * the administration of rounds and publication, and the workspace pages.
 * Every handler checks the session and the role itself (http/auth.h);
 * docs/api.md documents each route.
 */
#ifndef CHISO_HTTP_WORKSPACE_ROUTES_H
#define CHISO_HTTP_WORKSPACE_ROUTES_H

struct http_req;

/* Largest JSON body of a sign-in, in bytes. */
#define WS_LOGIN_BODY_MAX (4u * 1024)

/* session_routes.c: POST, GET and DELETE /api/v1/session */
void api_session_create(struct http_req *req);
void api_session_create_done(struct http_req *req);
void api_session_get(struct http_req *req);
void api_session_delete(struct http_req *req);
void api_session_delete_done(struct http_req *req);

/* Largest JSON body of a change of an assessment, in bytes. */
#define WS_ASSESS_BODY_MAX (1024u * 1024)

/* workspace_routes.c: GET and PUT /api/v1/assessments?unit=U&period=P */
void api_assessments_get(struct http_req *req);
void api_assessments_put(struct http_req *req);
void api_assessments_put_done(struct http_req *req);

/* evidence_routes.c: POST /api/v1/evidence, GET /api/v1/evidence/{id} */
void api_evidence_add(struct http_req *req);
void api_evidence_add_done(struct http_req *req);
void api_evidence_get(struct http_req *req);

/* Largest CSV or JSON body of an import, in bytes. */
#define WS_IMPORT_BODY_MAX (8u * 1024 * 1024)

/* admin_routes.c: rounds, progress, publication, imports, accounts */
void api_rounds_list(struct http_req *req);
void api_rounds_put(struct http_req *req);
void api_rounds_put_done(struct http_req *req);
void api_rounds_reopen(struct http_req *req);
void api_rounds_reopen_done(struct http_req *req);
void api_progress_get(struct http_req *req);
void api_publish(struct http_req *req);
void api_publish_done(struct http_req *req);
void api_import_units(struct http_req *req);
void api_import_units_done(struct http_req *req);
void api_import_framework(struct http_req *req);
void api_import_framework_done(struct http_req *req);
void api_users_list(struct http_req *req);

/* survey_team_routes.c: the survey team's routes under /api/v1/survey/ */
void api_survey_progress(struct http_req *req);
void api_survey_plan(struct http_req *req);
void api_survey_plan_done(struct http_req *req);
void api_survey_tokens(struct http_req *req);
void api_survey_tokens_done(struct http_req *req);
void api_survey_keying_add(struct http_req *req);
void api_survey_keying_add_done(struct http_req *req);
void api_survey_keying_resolve(struct http_req *req);
void api_survey_keying_resolve_done(struct http_req *req);
void api_survey_keying_list(struct http_req *req);

/* workspace_page.c: GET /w and /w/, the workspace's pages */
void page_workspace(struct http_req *req);

#endif
