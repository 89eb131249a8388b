# Problem answers: 400, 401, 403, 404, 405, 409, 413, 415, 422 and 429, each a
# JSON problem object naming the field, with security headers and no
# internals; and the administration API's POST /api/v1/periods happy path.
. "$(dirname "$0")/lib.sh"

run chiso init --db "$DB"
expect_exit 0

TOKEN=0123456789abcdef-test-token
printf '%s\n' "$TOKEN" >admin.token
AUTH="Authorization: Bearer $TOKEN"
CT="Content-Type: application/json"

# Without a token file the administration API is off.
start_server
req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"2020","starts":"2020-01-01","ends":"2020-12-31"}'
expect_problem 403 null
expect_body "--admin-token-file"
stop_server
expect_exit 0

start_server --admin-token-file admin.token --rate-limit 1000

req GET /nothing/here
expect_problem 404 null
expect_body "no such resource: /nothing/here"
expect_security_headers

req GET /api/v2/units
expect_problem 404 null

req DELETE /api/v1/units
expect_problem 405 null
expect_header "Allow: GET, HEAD"
expect_security_headers

req PUT /api/v1/periods
expect_problem 405 null
expect_header "Allow: GET, HEAD, POST"

req BREW /api/v1/units
expect_problem 405 null
expect_header "Allow: GET, HEAD"

req POST /healthz -H "$CT" --data '{}'
expect_problem 405 null

# Authentication comes before the body is looked at.
req POST /api/v1/periods -H "$CT" --data '{}'
expect_problem 401 Authorization
expect_header 'WWW-Authenticate: Bearer realm="chiso"'

req POST /api/v1/periods -H "Authorization: Bearer wrong-token-wrong-token" -H "$CT" --data '{}'
expect_problem 401 Authorization

req POST /api/v1/periods -H "$AUTH" -H "Content-Type: text/plain" --data '{}'
expect_problem 415 Content-Type
expect_body "Content-Type: 'text/plain'; expected application/json"

req POST /api/v1/periods -H "$AUTH" -H "Content-Type: application/json; charset=latin1" --data '{}'
expect_problem 415 Content-Type

req POST /api/v1/periods -H "$AUTH" --data-binary '{}' -H "Content-Type:"
expect_problem 415 Content-Type
expect_body "'(none)'"

# 413: announced by Content-Length, and streamed in chunks with no length.
head -c 20000 /dev/zero | tr '\0' ' ' >big.json
req POST /api/v1/periods -H "$AUTH" -H "$CT" --data-binary @big.json
expect_problem 413 null
expect_body "body of 20000 bytes; at most 16384 taken"

req POST /api/v1/periods -H "$AUTH" -H "$CT" -H "Transfer-Encoding: chunked" --data-binary @big.json
expect_problem 413 null
expect_body "at most 16384 taken"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data-binary ''
expect_problem 400 null
expect_body "empty body; expected a JSON object"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code": "2020",'
expect_problem 400 null
expect_body "malformed JSON at line 1, column 16"
expect_body '"type":"urn:chiso:problem:malformed-json"'

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '["2020"]'
expect_problem 400 null
expect_body "the body is a JSON array; expected an object"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"2020","code":"2021"}'
expect_problem 400 null
expect_body "duplicate object key"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"2020","start":"2020-01-01","ends":"2020-12-31"}'
expect_problem 400 start
expect_body "unknown field 'start'"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"starts":"2020-01-01","ends":"2020-12-31"}'
expect_problem 400 code
expect_body "code: missing; it is required"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":2020,"starts":"2020-01-01","ends":"2020-12-31"}'
expect_problem 400 code
expect_body "code: expected a string"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"","starts":"2020-01-01","ends":"2020-12-31"}'
expect_problem 400 code

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"a-very-long-period-code-of-40-bytes-xx","starts":"2020-01-01","ends":"2020-12-31"}'
expect_problem 400 code
expect_body "code: 38 bytes long; expected at most 31"
expect_body '"type":"urn:chiso:problem:field-too-long"'

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"20 20","starts":"2020-01-01","ends":"2020-12-31"}'
expect_problem 400 code
expect_body "code: '20 20'; expected letters, digits"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"x\u0001y","starts":"2020-01-01","ends":"2020-12-31"}'
expect_problem 400 code
expect_body "control characters"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"2020","starts":"31/12/2020","ends":"2020-12-31"}'
expect_problem 400 starts
expect_body "starts: '31/12/2020' is not a date; expected YYYY-MM-DD"

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"2020","starts":"2020-02-30","ends":"2020-12-31"}'
expect_problem 400 starts

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"2020","starts":"2020-01-01","ends":"2019-12-31"}'
expect_problem 422 ends
expect_body "ends: 2019-12-31 is before starts 2020-01-01"

# The happy path: 201, Location, and the period readable at once.
req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"2020","starts":"2020-01-01","ends":"2020-12-31"}'
expect_status 201
expect_header "Location: /api/v1/periods/2020"
expect_header "Cache-Control: no-store"
expect_security_headers
expect_body '{"code":"2020","starts":"2020-01-01","ends":"2020-12-31"}'

req GET /api/v1/periods/2020
expect_status 200
expect_body '{"code":"2020","starts":"2020-01-01","ends":"2020-12-31"}'

run sqlite3 "$DB" "select actor from audit where entity = 'period' and entity_id = '2020' limit 1"
expect_out api

req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"2020","starts":"2020-01-01","ends":"2020-12-31"}'
expect_problem 409 code
expect_body "code: period '2020' already exists"

stop_server
expect_exit 0

# 429: a small allowance per client address, then Retry-After.
start_server --admin-token-file admin.token --rate-limit 3
for i in 1 2 3; do
	req POST /api/v1/periods -H "$AUTH" -H "$CT" --data "{\"code\":\"r$i\",\"starts\":\"2021-01-01\",\"ends\":\"2021-12-31\"}"
	expect_status 201
done
req POST /api/v1/periods -H "$AUTH" -H "$CT" --data '{"code":"r4","starts":"2021-01-01","ends":"2021-12-31"}'
expect_problem 429 null
expect_body "too many submissions from this address; retry in 20 s"
expect_header "Retry-After: 20"
expect_security_headers
# Reading is not limited.
req GET /api/v1/periods
expect_status 200
stop_server
expect_exit 0

finish
