/*
 * The survey's routes (rows of routes.c): the three ways in for citizens
 * (/s/<token>, /u/<unit>, /k/<unit>) with their form submissions and thanks
 * page, the JSON submission POST /api/v1/responses, and the read-only
 * questionnaire and wave API. docs/api.md documents each.
 */
#ifndef CHISO_HTTP_SURVEY_ROUTES_H
#define CHISO_HTTP_SURVEY_ROUTES_H

struct http_req;

/* Largest body of a submission (JSON or form), in bytes. */
#define SURVEY_BODY_MAX (64u * 1024)

/* Media type of a browser form. */
#define SURVEY_FORM_MEDIA "application/x-www-form-urlencoded"

/* Pages: GET shows the form, POST takes the form's answers. */
void page_survey_token(struct http_req *req);
void page_survey_unit(struct http_req *req);
void page_survey_kiosk(struct http_req *req);
void page_survey_thanks(struct http_req *req);
void page_survey_token_post(struct http_req *req);
void page_survey_unit_post(struct http_req *req);
void page_survey_kiosk_post(struct http_req *req);
void page_survey_post_done(struct http_req *req);

/* POST /api/v1/responses */
void api_responses_add(struct http_req *req);
void api_responses_add_done(struct http_req *req);

/* GET /api/v1/questionnaires[/{code}], /api/v1/waves[/{code}] */
void api_questionnaires_list(struct http_req *req);
void api_questionnaires_get(struct http_req *req);
void api_waves_list(struct http_req *req);
void api_waves_get(struct http_req *req);

#endif
