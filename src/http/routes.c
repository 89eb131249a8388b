/*
 * Every route of the server, in one table: method, path pattern, handler,
 * the finish step of routes that write, flags and the largest body taken.
 * Adding an endpoint is one row here and one handler. docs/api.md documents
 * each row.
 */
#include "http/routes.h"
#include "http/dash_routes.h"
#include "http/survey_routes.h"
#include "http/workspace_routes.h"
#include "store/evidence_store.h"

#include "util/banned.h"

#define JSON "application/json"

const struct http_route http_routes[] = {
	/* Pages and assets (embedded from web/). */
	{HTTP_GET, "/", page_index, NULL, HTTP_ROUTE_STATIC, 0, NULL},
	{HTTP_GET, "/assets/{name*}", page_asset, NULL, HTTP_ROUTE_STATIC, 0, NULL},
	{HTTP_GET, "/docs/api", page_api_docs, NULL, HTTP_ROUTE_STATIC, 0, NULL},

	/* Health, for load balancers and the tests. */
	{HTTP_GET, "/healthz", api_healthz, NULL, 0, 0, NULL},

	/* JSON API v1. */
	{HTTP_GET, "/api/v1/units", api_units_list, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/units/{code}", api_units_get, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/periods", api_periods_list, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/periods/{code}", api_periods_get, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_POST, "/api/v1/periods", api_periods_add, api_periods_add_done,
	 HTTP_ROUTE_WRITE | HTTP_ROUTE_LIMITED | HTTP_ROUTE_ADMIN, HTTP_ADMIN_BODY_MAX, JSON},

	/* The citizen survey (survey_routes.c): the three ways in with their
	 * form posts, the JSON submission, questionnaires and waves. */
	{HTTP_GET, "/s/{token}", page_survey_token, NULL, 0, 0, NULL},
	{HTTP_POST, "/s/{token}", page_survey_token_post, page_survey_post_done,
	 HTTP_ROUTE_WRITE | HTTP_ROUTE_LIMITED, SURVEY_BODY_MAX, SURVEY_FORM_MEDIA},
	{HTTP_GET, "/u/{unit}", page_survey_unit, NULL, 0, 0, NULL},
	{HTTP_POST, "/u/{unit}", page_survey_unit_post, page_survey_post_done,
	 HTTP_ROUTE_WRITE | HTTP_ROUTE_LIMITED, SURVEY_BODY_MAX, SURVEY_FORM_MEDIA},
	{HTTP_GET, "/k/{unit}", page_survey_kiosk, NULL, 0, 0, NULL},
	{HTTP_POST, "/k/{unit}", page_survey_kiosk_post, page_survey_post_done,
	 HTTP_ROUTE_WRITE | HTTP_ROUTE_LIMITED, SURVEY_BODY_MAX, SURVEY_FORM_MEDIA},
	{HTTP_GET, "/survey/thanks", page_survey_thanks, NULL, 0, 0, NULL},
	{HTTP_POST, "/api/v1/responses", api_responses_add, api_responses_add_done,
	 HTTP_ROUTE_WRITE | HTTP_ROUTE_LIMITED, SURVEY_BODY_MAX, JSON},
	{HTTP_GET, "/api/v1/questionnaires", api_questionnaires_list, NULL, HTTP_ROUTE_CACHED, 0,
	 NULL},
	{HTTP_GET, "/api/v1/questionnaires/{code}", api_questionnaires_get, NULL, HTTP_ROUTE_CACHED,
	 0, NULL},
	{HTTP_GET, "/api/v1/waves", api_waves_list, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/waves/{code}", api_waves_get, NULL, HTTP_ROUTE_CACHED, 0, NULL},

	/* Dashboards (dash_routes.c): results of public periods, and their pages. */
	{HTTP_GET, "/api/v1/frameworks", api_frameworks_list, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/frameworks/{code}", api_frameworks_get, NULL, HTTP_ROUTE_CACHED, 0,
	 NULL},
	{HTTP_GET, "/api/v1/par/results", api_par_results, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/par/rankings", api_par_rankings, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/sipas/results", api_sipas_results, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/sipas/weak", api_sipas_weak, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/trend", api_trend, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/dashboards", api_dashboards_list, NULL, HTTP_ROUTE_CACHED, 0, NULL},
	{HTTP_GET, "/api/v1/dashboards/{period}", api_dashboards_get, NULL, HTTP_ROUTE_CACHED, 0,
	 NULL},
	{HTTP_GET, "/d", page_dashboard, NULL, HTTP_ROUTE_STATIC, 0, NULL},
	{HTTP_GET, "/d/", page_dashboard, NULL, HTTP_ROUTE_STATIC, 0, NULL},
	{HTTP_GET, "/d/{period}", page_dashboard_period, NULL, HTTP_ROUTE_STATIC, 0, NULL},
	{HTTP_GET, "/d/{period}/unit/{code}", page_dashboard_unit, NULL, HTTP_ROUTE_STATIC, 0,
	 NULL},

	/* The staff workspace (workspace_routes.h): every handler checks the
	 * session and the role itself; none of these replies is cached. */
	{HTTP_POST, "/api/v1/session", api_session_create, api_session_create_done,
	 HTTP_ROUTE_WRITE | HTTP_ROUTE_LIMITED, WS_LOGIN_BODY_MAX, JSON},
	{HTTP_GET, "/api/v1/session", api_session_get, NULL, 0, 0, NULL},
	{HTTP_DELETE, "/api/v1/session", api_session_delete, api_session_delete_done,
	 HTTP_ROUTE_WRITE, 0, NULL},
	{HTTP_GET, "/api/v1/assessments", api_assessments_get, NULL, 0, 0, NULL},
	{HTTP_PUT, "/api/v1/assessments", api_assessments_put, api_assessments_put_done,
	 HTTP_ROUTE_WRITE, WS_ASSESS_BODY_MAX, JSON},
	{HTTP_POST, "/api/v1/evidence", api_evidence_add, api_evidence_add_done, HTTP_ROUTE_WRITE,
	 CS_EVIDENCE_MAX, NULL},
	{HTTP_GET, "/api/v1/evidence/{id}", api_evidence_get, NULL, 0, 0, NULL},
	{HTTP_GET, "/api/v1/rounds", api_rounds_list, NULL, 0, 0, NULL},
	{HTTP_PUT, "/api/v1/rounds", api_rounds_put, api_rounds_put_done, HTTP_ROUTE_WRITE,
	 WS_ASSESS_BODY_MAX, JSON},
	{HTTP_POST, "/api/v1/rounds/reopen", api_rounds_reopen, api_rounds_reopen_done,
	 HTTP_ROUTE_WRITE, HTTP_ADMIN_BODY_MAX, JSON},
	{HTTP_GET, "/api/v1/progress", api_progress_get, NULL, 0, 0, NULL},
	{HTTP_POST, "/api/v1/publish", api_publish, api_publish_done, HTTP_ROUTE_WRITE,
	 HTTP_ADMIN_BODY_MAX, JSON},
	{HTTP_POST, "/api/v1/import/units", api_import_units, api_import_units_done,
	 HTTP_ROUTE_WRITE, WS_IMPORT_BODY_MAX, "text/csv"},
	{HTTP_POST, "/api/v1/import/frameworks", api_import_framework, api_import_framework_done,
	 HTTP_ROUTE_WRITE, WS_IMPORT_BODY_MAX, JSON},
	{HTTP_GET, "/api/v1/users", api_users_list, NULL, 0, 0, NULL},
	{HTTP_GET, "/api/v1/survey/progress", api_survey_progress, NULL, 0, 0, NULL},
	{HTTP_PUT, "/api/v1/survey/plan", api_survey_plan, api_survey_plan_done, HTTP_ROUTE_WRITE,
	 WS_ASSESS_BODY_MAX, JSON},
	{HTTP_POST, "/api/v1/survey/tokens", api_survey_tokens, api_survey_tokens_done,
	 HTTP_ROUTE_WRITE, HTTP_ADMIN_BODY_MAX, JSON},
	{HTTP_GET, "/api/v1/survey/keying", api_survey_keying_list, NULL, 0, 0, NULL},
	{HTTP_POST, "/api/v1/survey/keying", api_survey_keying_add, api_survey_keying_add_done,
	 HTTP_ROUTE_WRITE, WS_ASSESS_BODY_MAX, JSON},
	{HTTP_POST, "/api/v1/survey/keying/resolve", api_survey_keying_resolve,
	 api_survey_keying_resolve_done, HTTP_ROUTE_WRITE, WS_ASSESS_BODY_MAX, JSON},
	{HTTP_GET, "/w", page_workspace, NULL, HTTP_ROUTE_STATIC, 0, NULL},
	{HTTP_GET, "/w/", page_workspace, NULL, HTTP_ROUTE_STATIC, 0, NULL},
};

const size_t http_route_count = sizeof(http_routes) / sizeof(http_routes[0]);
