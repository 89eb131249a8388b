/*
 * Every route of the server, in one table: method, path pattern, handler,
 * the finish step of routes that write, flags and the largest body taken.
 * Adding an endpoint is one row here and one handler. docs/api.md documents
 * each row.
 */
#include "http/routes.h"

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
};

const size_t http_route_count = sizeof(http_routes) / sizeof(http_routes[0]);
