# The survey team's routes on the real server: the sample plan and the
# response rates against it, token sheets with QR codes (the tokens work on
# the survey pages), and the double keying of paper forms: the second keying
# by another person is compared field by field, a form whose keyings differ
# is stored only once resolved, agreeing keyings are stored at once (or wait
# when the questionnaire refuses their values), with every step audited.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ws_lib.sh"

J='Content-Type: application/json'

cat >units.csv <<'EOF'
code,name,parent,level
P,Công an tỉnh P,,province
D1,Công an huyện D1,P,district
D2,Công an huyện D2,P,district
EOF
cat >paper.json <<'EOF'
{
  "format": "chiso-questionnaire",
  "format_version": 1,
  "code": "paper",
  "title": "Phiếu giấy",
  "version": "1",
  "elements": [{"code": "E1", "title": {"vi": "Tiếp cận", "en": "Access"}}],
  "items": [
    {"code": "q1", "element": "E1", "type": "likert5", "role": "satisfaction", "required": true,
     "text": {"vi": "Nơi chờ đủ chỗ", "en": "Enough seats"}},
    {"code": "q2", "element": "E1", "type": "likert5", "role": "satisfaction",
     "text": {"vi": "Thủ tục rõ ràng", "en": "Clear procedure"}},
    {"code": "expect", "type": "multi", "role": "expectation",
     "text": {"vi": "Mong đợi", "en": "Expectations"},
     "choices": [{"value": "time", "label": {"vi": "Nhanh", "en": "Faster"}},
                 {"value": "info", "label": {"vi": "Thông tin", "en": "Information"}}]}
  ]
}
EOF
run chiso init --db "$DB"
expect_exit 0
run chiso --db "$DB" unit import units.csv
expect_exit 0
run chiso --db "$DB" period add 2026
expect_exit 0
run chiso --db "$DB" survey import paper.json
expect_exit 0
run chiso --db "$DB" survey wave add W --questionnaire paper --period 2026 --mode paper
expect_exit 0
ws_user s1 surveyor
ws_user s2 surveyor
ws_user viewer viewer
start_server --rate-limit 0 --threads 2
ws_login s1
ws_login s2
ws_login viewer

# ---- Sample plan and rates ----
as s1 PUT '/api/v1/survey/plan?wave=W' -H "$J" --data-binary '{"targets":{"D1":4,"D2":2}}'
expect_status 200
expect_body '{"wave":"W","units":2}'
as s1 PUT '/api/v1/survey/plan?wave=W' -H "$J" --data-binary '{"targets":{"D9":4}}'
expect_problem 404 targets
as s1 PUT '/api/v1/survey/plan?wave=W' -H "$J" --data-binary '{"targets":{"D1":-1}}'
expect_problem 422 targets
as s1 PUT '/api/v1/survey/plan?wave=W' -H "$J" --data-binary '{"targets":{"D1":"many"}}'
expect_problem 400 targets
as s1 PUT '/api/v1/survey/plan?wave=NOPE' -H "$J" --data-binary '{"targets":{}}'
expect_problem 404 wave
as viewer GET '/api/v1/survey/progress?wave=W'
expect_status 200
expect_body '"wave":"W","title":"","period":"2026","mode":"paper","target":6,"responses":0,"rate":0.0'
expect_body '{"unit":"D1","name":"Công an huyện D1","target":4,"responses":0,"rate":0.0,"tokens_issued":0,"tokens_used":0}'
as viewer PUT '/api/v1/survey/plan?wave=W' -H "$J" --data-binary '{"targets":{}}'
expect_problem 403 null

# ---- Token sheets ----
as s1 POST '/api/v1/survey/tokens?wave=W' -H "$J" --data-binary '{"unit":"D1","count":2,"expires_days":30}'
expect_status 201
expect_body '"wave":"W","unit":"D1","expires_at":"'
expect_body '"qr":"data:image/svg+xml;base64,'
TOK=$(sed 's/.*"tokens":\[{"token":"\([0-9a-z]*\)".*/\1/' "$BODY")
expect_body "\"url\":\"$URL/s/$TOK\""
python3 -c '
import base64, json, sys
d = json.load(open(sys.argv[1]))
svg = base64.b64decode(d["tokens"][0]["qr"].split(",", 1)[1]).decode()
assert svg.startswith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=") and "<path" in svg, svg[:80]
assert len(d["tokens"]) == 2
' "$BODY" && pass "two tokens, each with an SVG QR code" || fail "token sheet"
req GET "/s/$TOK"
expect_status 200
as s1 POST '/api/v1/survey/tokens?wave=W' -H "$J" --data-binary '{"unit":"D1","count":501}'
expect_problem 400 count
as s1 POST '/api/v1/survey/tokens?wave=W' -H "$J" --data-binary '{"unit":"D9","count":1}'
expect_problem 404 unit
expect_sql "select count(*) from token" 2

# ---- Double keying ----
K='/api/v1/survey/keying?wave=W'
R='/api/v1/survey/keying/resolve?wave=W'
as s1 POST "$K" -H "$J" --data-binary '{"form":"F 1","unit":"D1","answers":{}}'
expect_problem 400 form
as s1 POST "$K" -H "$J" --data-binary '{"form":"F1","unit":"D1","answers":[1]}'
expect_problem 400 answers
as s1 POST "$K" -H "$J" --data-binary '{"form":"F1","unit":"D1","answers":{"q1":{"x":1}}}'
expect_problem 422 answers
as s1 POST "$K" -H "$J" --data-binary '{"form":"F1","unit":"D9","answers":{"q1":"4"}}'
expect_problem 404 unit
as s1 POST "$K" -H "$J" --data-binary '{"form":"F1","unit":"D1","answers":{"q1":"4","q2":"5","expect":["time","info"]}}'
expect_status 201
expect_body '{"form":"F1","pass":1,"state":"first","response_id":null,"differences":[],"problem":null}'
as s1 POST "$K" -H "$J" --data-binary '{"form":"F1","unit":"D1","answers":{"q1":"4","q2":"5"}}'
expect_problem 403 null
expect_body "form 'F1': 's1' keyed it the first time; the second keying must be by someone else"
# The second keying differs on q2, expect and the unit.
as s2 POST "$K" -H "$J" --data-binary '{"form":"F1","unit":"D2","answers":{"q1":" 4 ","q2":"3","expect":"time"}}'
expect_status 200
expect_body '"state":"differs","response_id":null,"differences":[{"field":"expect","first":"time;info","second":"time"},{"field":"q2","first":"5","second":"3"},{"field":"unit","first":"D1","second":"D2"}]'
expect_sql "select count(*) from response" 0
as s1 POST "$K" -H "$J" --data-binary '{"form":"F1","unit":"D1","answers":{"q1":"4"}}'
expect_problem 409 null
expect_body "form 'F1' of wave 'W' was keyed twice already (differs); resolve its differences"
as s1 GET "$K"
expect_status 200
expect_body '"form":"F1","state":"differs","first_by":"s1","second_by":"s2"'
expect_body '"differences":[{"field":"expect"'
# Resolution: a value the questionnaire refuses changes nothing.
as s1 POST "$R" -H "$J" --data-binary '{"form":"F1","unit":"D1","answers":{"q1":"4","q2":"7"}}'
expect_problem 422 answers
expect_body "form F1:1: key 'q2'"
expect_sql "select count(*) from response" 0
as s1 POST "$R" -H "$J" --data-binary '{"form":"F1","unit":"D1","answers":{"q1":"4","q2":"5","expect":"time;info"}}'
expect_status 200
expect_body '"form":"F1","state":"stored","response_id":'
expect_sql "select rid || '|' || channel || '|' || answers || '|' || coalesce(extra, '') from response" "paper-F1|paper|45|3"
as s1 POST "$R" -H "$J" --data-binary '{"form":"F1","unit":"D1","answers":{"q1":"4"}}'
expect_problem 409 null
expect_body "is stored already"
as s1 POST "$R" -H "$J" --data-binary '{"form":"F9","unit":"D1","answers":{"q1":"4"}}'
expect_problem 409 null
expect_body "has not been keyed"

# Agreeing keyings are stored at once; agreeing on a refused value waits.
as s2 POST "$K" -H "$J" --data-binary '{"form":"F2","unit":"D2","answers":{"q1":"2"}}'
expect_status 201
as s1 POST "$K" -H "$J" --data-binary '{"form":"F2","unit":"D2","answers":{"q1":2}}'
expect_status 200
expect_body '"state":"stored"'
as s1 POST "$K" -H "$J" --data-binary '{"form":"F3","unit":"D2","answers":{"q1":"3","q2":"9"}}'
as s2 POST "$K" -H "$J" --data-binary '{"form":"F3","unit":"D2","answers":{"q1":"3","q2":"9"}}'
expect_status 200
expect_body '"state":"differs","response_id":null,"differences":[],"problem":"form F3:1: key'
expect_body "key 'q2'"
expect_sql "select count(*) from response" 2
as s2 POST "$R" -H "$J" --data-binary '{"form":"F3","unit":"D2","answers":{"q1":"3","q2":"4"}}'
expect_status 200

as viewer GET '/api/v1/survey/progress?wave=W'
expect_body '"target":6,"responses":3,"rate":0.5,'
expect_body '{"unit":"D1","name":"Công an huyện D1","target":4,"responses":1,"rate":0.25,"tokens_issued":2,"tokens_used":0}'
expect_body '{"unit":"D2","name":"Công an huyện D2","target":2,"responses":2,"rate":1.0,'
as viewer GET "$K"
expect_problem 403 null
as viewer POST "$K" -H "$J" --data-binary '{"form":"F4","unit":"D2","answers":{}}'
expect_problem 403 null

run sqlite3 "$DB" "select entity_id || '|' || field || '|' || coalesce(old_value, '') || '|' || coalesce(new_value, '') || '|' || coalesce(actor, '') from audit where entity in ('keying', 'sample_plan') order by id"
expect_out "W/D1|target||4|s1"
expect_out "W/F1|pass1||unit D1, 3 answers|s1"
expect_out "W/F1|pass2||unit D2, 3 answers|s2"
expect_out "W/F1|expect|time;info | time|time;info|s1"
expect_out "W/F1|q2|5 | 3|5|s1"
expect_out "W/F1|unit|D1 | D2|D1|s1"
expect_out "W/F1|state|differs|stored|s1"

stop_server
expect_exit 0
finish
