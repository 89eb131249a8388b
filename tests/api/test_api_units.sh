# GET /api/v1/units, /api/v1/units/{code}, /api/v1/periods[/{code}]: the
# happy paths, filters, Vietnamese order, and the 400/404/422 answers.
. "$(dirname "$0")/lib.sh"

run chiso init --db "$DB"
expect_exit 0
run chiso --db "$DB" unit import "$SRC/data/examples/units-bac-ninh.csv"
expect_exit 0
run chiso --db "$DB" period add 2023
expect_exit 0
run chiso --db "$DB" period add 2024-Q1
expect_exit 0

start_server

req GET /api/v1/units
expect_status 200
expect_header "Content-Type: application/json"
expect_header "Cache-Control: no-store"
expect_security_headers
expect_body '{"units":[{"code":"BCA","name":"Bộ Công an","parent":null,"level":"ministry","flags":[],"valid_from":null,"valid_to":null,"successors":[]},'
expect_body '{"code":"BNI-HQV","name":"Công an huyện Quế Võ","parent":"CA-BNI","level":"district","flags":["tthc"],"valid_from":null,"valid_to":"2023-02-09","successors":["BNI-TXQV"]}'
units=$(grep -o '"code":"[^"]*"' "$BODY" | wc -l)
[ "$units" -eq 49 ] && pass "49 units listed" || fail "$units units listed, expected 49"
# Vietnamese order of names, as the CLI sorts them: Châu Khê < Đại Phúc < Đình Bảng.
tr '{' '\n' <"$BODY" | grep -o '"name":"[^"]*"' >names.txt
ck=$(grep -n 'Châu Khê' names.txt | cut -d: -f1)
dp=$(grep -n 'Đại Phúc' names.txt | cut -d: -f1)
db=$(grep -n 'Đình Bảng' names.txt | cut -d: -f1)
[ "$ck" -lt "$dp" ] && [ "$dp" -lt "$db" ] && pass "names in Vietnamese order" ||
	fail "Vietnamese order: $ck $dp $db"

# The same URL again comes from the cache and is the same.
cp "$BODY" first.json
req GET /api/v1/units
expect_status 200
expect_same first.json "$BODY" "a repeated list is identical"

req HEAD /api/v1/units
expect_status 200
expect_header "Content-Type: application/json"

req GET '/api/v1/units?format=tree'
expect_status 200
expect_body '{"units":[{"code":"BCA","name":"Bộ Công an","parent":null,"level":"ministry","flags":[],"valid_from":null,"valid_to":null,"successors":[],"children":[{"code":"CA-BNI",'
roots=$(grep -o '"parent":null' "$BODY" | wc -l)
[ "$roots" -eq 1 ] && pass "one root in the tree" || fail "$roots roots in the tree"

req GET '/api/v1/units?format=flat&level=province'
expect_status 200
expect_body '{"units":[{"code":"CA-BNI","name":"Công an tỉnh Bắc Ninh","parent":"BCA","level":"province","flags":["tthc"],"valid_from":null,"valid_to":null,"successors":[]}]}'

req GET '/api/v1/units?parent=BNI-TPBN'
expect_status 200
expect_body '"parent":"BNI-TPBN"'
expect_no_body '"parent":"CA-BNI"'

req GET '/api/v1/units?format=tree&parent=CA-BNI'
expect_status 200
expect_body '{"units":[{"code":"BNI-HGB",'
expect_no_body '"code":"BCA"'

req GET '/api/v1/units?format=xml'
expect_problem 400 format
expect_body "format: 'xml'; expected flat or tree"

req GET '/api/v1/units?level=planet'
expect_problem 400 level
expect_body "level: 'planet'; expected ministry, province"

req GET '/api/v1/units?format=tree&level=district'
expect_problem 400 level

req GET '/api/v1/units?parent=NOPE'
expect_problem 422 parent
expect_body "parent: no unit with code 'NOPE'"
expect_body '"type":"urn:chiso:problem:unknown-unit"'

req GET /api/v1/units/CA-BNI
expect_status 200
expect_body '{"code":"CA-BNI","name":"Công an tỉnh Bắc Ninh","parent":"BCA","level":"province","flags":["tthc"],"valid_from":null,"valid_to":null,"successors":[],"children":[{"code":"BNI-HGB","name":"Công an huyện Gia Bình"},'
expect_body '"ancestors":[{"code":"BCA","name":"Bộ Công an"}]}'

req GET /api/v1/units/BNI-TPBN
expect_status 200
expect_body '"ancestors":[{"code":"BCA","name":"Bộ Công an"},{"code":"CA-BNI","name":"Công an tỉnh Bắc Ninh"}]'

req GET /api/v1/units/NOPE
expect_problem 404 code
expect_body "code: no unit with code 'NOPE'"

long=$(printf '%0300d' 0)
req GET "/api/v1/units/$long"
expect_problem 400 code
expect_body "code: 300 bytes; expected at most 256"

req GET '/api/v1/units/A%01B'
expect_problem 400 code
expect_body "has control characters"

req GET /api/v1/periods
expect_status 200
expect_header "Cache-Control: no-store"
expect_body '{"periods":[{"code":"2023","starts":"2023-01-01","ends":"2023-12-31"},{"code":"2024-Q1","starts":"2024-01-01","ends":"2024-03-31"}]}'

req GET /api/v1/periods/2024-Q1
expect_status 200
expect_body '{"code":"2024-Q1","starts":"2024-01-01","ends":"2024-03-31"}'

req GET /api/v1/periods/1999
expect_problem 404 code

# A change made by another program while the server runs is seen at once:
# cached replies belong to the database version they were made from.
run chiso --db "$DB" period add 2025
expect_exit 0
req GET /api/v1/periods
expect_status 200
expect_body '{"code":"2025","starts":"2025-01-01","ends":"2025-12-31"}'

stop_server
expect_exit 0
finish
