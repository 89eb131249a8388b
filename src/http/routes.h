/*
 * The server's one route table (routes.c) and the handlers it names, each
 * group in its own file: api_health.c, api_units.c, api_periods.c, pages.c.
 */
#ifndef CHISO_HTTP_ROUTES_H
#define CHISO_HTTP_ROUTES_H

#include <stddef.h>

#include "http/router.h"

extern const struct http_route http_routes[];
extern const size_t http_route_count;

/* Largest JSON body of the administration API, in bytes. */
#define HTTP_ADMIN_BODY_MAX (16u * 1024)

/* api_health.c */
void api_healthz(struct http_req *req);

/* api_units.c */
void api_units_list(struct http_req *req);
void api_units_get(struct http_req *req);

/* api_periods.c */
void api_periods_list(struct http_req *req);
void api_periods_get(struct http_req *req);
void api_periods_add(struct http_req *req);
void api_periods_add_done(struct http_req *req);

/* pages.c */
void page_index(struct http_req *req);
void page_asset(struct http_req *req);
void page_api_docs(struct http_req *req);

#endif
