/* GET /healthz: the server is up and its database answers. */
#include "http/request.h"
#include "http/routes.h"

#include "util/banned.h"

void api_healthz(struct http_req *req)
{
	struct http_db *db = http_req_db(req);

	if (!db)
		return;
	http_reply_json(req, 200,
			json_pack("{s:s, s:i}", "status", "ok", "schema_version",
				  cs_store_schema_version(db->store)));
}
