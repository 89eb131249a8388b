/*
 * The handlers of the dashboards (dash_routes.c): the JSON API of results
 * (frameworks, PAR results and rankings, SIPAS results and weak areas,
 * trends, the dashboard documents) and the public dashboard pages under /d/.
 * Each is one row of the route table (routes.c).
 */
#ifndef CHISO_HTTP_DASH_ROUTES_H
#define CHISO_HTTP_DASH_ROUTES_H

struct http_req;

/* GET /api/v1/frameworks: the stored frameworks, as `chiso framework list --format json`. */
void api_frameworks_list(struct http_req *req);

/* GET /api/v1/frameworks/{code}[?version=V]: the stored body, as `chiso framework show --format json`. */
void api_frameworks_get(struct http_req *req);

/* GET /api/v1/par/results?period=P[&framework=F]: as `chiso par compute --format json`. */
void api_par_results(struct http_req *req);

/* GET /api/v1/par/rankings?period=P[&framework=F]: positions, bands, change, averages. */
void api_par_rankings(struct http_req *req);

/* GET /api/v1/sipas/results?wave=W[&by=B][&unit=U]: as `chiso sipas compute --format json`. */
void api_sipas_results(struct http_req *req);

/* GET /api/v1/sipas/weak?wave=W[&by=B][&unit=U]: as `chiso sipas weak --format json`. */
void api_sipas_weak(struct http_req *req);

/* GET /api/v1/trend[?unit=U]: PAR index and SIPAS overall across the public periods. */
void api_trend(struct http_req *req);

/* GET /api/v1/dashboards: the public periods with their frameworks and survey wave. */
void api_dashboards_list(struct http_req *req);

/* GET /api/v1/dashboards/{period}[?unit=U]: what the dashboard page of a period shows. */
void api_dashboards_get(struct http_req *req);

/*
 * The public dashboard pages, one page filled by its script: GET /d/ (the
 * public periods), /d/{period} and /d/{period}/unit/{code} (404 when the
 * period is not public or the unit unknown).
 */
void page_dashboard(struct http_req *req);
void page_dashboard_period(struct http_req *req);
void page_dashboard_unit(struct http_req *req);

#endif
