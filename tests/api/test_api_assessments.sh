# The PAR workflow in the workspace API, end to end on the real server: an
# administrator imports a framework and units and opens a round with a
# deadline; a unit officer self-assesses (every refusal names its field),
# uploads evidence and submits (refused after the deadline until reopened);
# the council appraises with reasons and asks for an explanation; the unit
# explains; the council approves; the administrator publishes and the public
# ranking shows the result. Every change is in the audit log, visible per
# criterion, with who, when, old, new and reason.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ws_lib.sh"

J='Content-Type: application/json'
Q='period=2026&unit=D1'

cat >units.csv <<'EOF'
code,name,parent,level
P,Công an tỉnh P,,province
D1,Công an huyện D1,P,district
D2,Công an huyện D2,P,district
EOF
cat >fw.json <<'EOF'
{
  "format": "chiso-par-framework",
  "format_version": 1,
  "code": "ws-test",
  "version": "1",
  "title": "Khung thử",
  "decision": "Thử nghiệm",
  "bands": [
    {"code": "T", "label_vi": "Tốt", "label_en": "Good", "from": 50, "to": 100},
    {"code": "K", "label_vi": "Kém", "label_en": "Poor", "from": 0, "to": 50}
  ],
  "nodes": [
    {"code": "A", "title": "Chỉ đạo, điều hành", "max_points": 60},
    {"code": "A.1", "parent": "A", "title": "Kế hoạch", "max_points": 30, "source": "self", "rule": "manual", "params": {"step": 0.5}},
    {"code": "A.2", "parent": "A", "title": "Báo cáo", "max_points": 30, "source": "self", "rule": "manual", "params": {"step": 0.5}},
    {"code": "B", "title": "Thủ tục hành chính", "max_points": 40, "source": "self", "rule": "manual", "params": {"step": 1}}
  ]
}
EOF

run chiso init --db "$DB"
expect_exit 0
run chiso --db "$DB" period add 2026
expect_exit 0
ws_user admin admin
ws_user council appraiser
ws_user viewer viewer
start_server --rate-limit 0 --threads 2
ws_login admin
ws_login council
ws_login viewer

# ---- Imports by the administrator ----
as admin POST /api/v1/import/units -H 'Content-Type: text/csv' --data-binary @units.csv
expect_status 200
expect_body '{"added":3,"changed":0,"unchanged":0}'
as admin POST /api/v1/import/units -H 'Content-Type: text/csv' --data-binary 'code,name,parent
X,Y,NOPE'
expect_problem 422 null
expect_body "units.csv:"
as admin POST /api/v1/import/frameworks -H "$J" --data-binary @fw.json
expect_status 201
expect_body '"code":"ws-test","version":"1","nodes":4,"sha256":"'
expect_body '"added":true'
as admin POST /api/v1/import/frameworks -H "$J" --data-binary @fw.json
expect_status 200
expect_body '"added":false'
as admin POST /api/v1/import/frameworks -H "$J" --data-binary '{"format":"chiso-par-framework"}'
expect_problem 422 null
as council POST /api/v1/import/frameworks -H "$J" --data-binary @fw.json
expect_problem 403 null
run chiso --db "$DB" framework list --format csv
expect_out "ws-test,1,"
ws_user d1 unit_officer D1
ws_user d2 unit_officer D2
ws_login d1
ws_login d2

# ---- A round with a deadline ----
as d1 GET "/api/v1/assessments?$Q"
expect_problem 404 period
expect_body "period '2026' has no assessment round yet; an administrator opens one"
as admin PUT '/api/v1/rounds?period=2026&framework=ws-test' -H "$J" \
	--data-binary '{"deadline":"31/12/2029","units":["D1","D2","NOPE"]}'
expect_problem 404 units
expect_body "units: no unit 'NOPE'; import it first"
expect_sql "select count(*) from par_round" 0
as admin PUT '/api/v1/rounds?period=2026&framework=ws-test' -H "$J" --data-binary '{"deadline":"soon"}'
expect_problem 422 deadline
expect_body "deadline 'soon': expected a date YYYY-MM-DD (the end of that day in Vietnam) or a time YYYY-MM-DDTHH:MM:SSZ"
as admin PUT '/api/v1/rounds?period=2026&framework=nope' -H "$J" --data-binary '{}'
expect_problem 404 framework
as admin PUT '/api/v1/rounds?period=2026&framework=ws-test' -H "$J" \
	--data-binary '{"deadline":"31/12/2029","units":["D1","D2"]}'
expect_status 200
expect_body '"round":{"period":"2026","framework":"ws-test","deadline":"2029-12-31T16:59:59Z","closed":false,"updated_by":"admin"'
expect_body '"units_added":2'
as admin GET /api/v1/rounds
expect_status 200
expect_body '"deadline":"2029-12-31T16:59:59Z"'
as admin GET '/api/v1/progress?period=2026'
expect_status 200
expect_body '"not_submitted":["D1","D2"],"appraisal_pending":[]'
expect_body '"states":{"draft":2,'

# ---- The unit officer sees its own unit only ----
as d1 GET "/api/v1/assessments?$Q"
expect_status 200
expect_header "Cache-Control: no-store"
expect_body '"unit":{"code":"D1","name":"Công an huyện D1","level":"district","parent":"P"}'
expect_body '"framework":{"code":"ws-test","version":"1","title":"Khung thử","sha256":"'
expect_body '"state":"draft","state_label_vi":"Đang tự đánh giá"'
expect_body '"round":{"deadline":"2029-12-31T16:59:59Z","closed":false,"reopened_until":null,"may_submit":true,"why":null}'
expect_body '"actions":{"edit_self":true,"edit_appraisal":false,"ask":false,"answer":false,"upload":true,"transitions":[{"to":"submitted","reason_required":false}]}'
expect_body '{"code":"A.1","parent":"A","depth":1,"title":"Kế hoạch","max":30.0,"source":"self","rule":"manual","params":{"step":"0.5"},"leaf":true,"entry":true,"self":null,"note":null,"appraised":null,"reason":null,"evidence":[],"explanations":[],"history":[]}'
as d1 GET '/api/v1/assessments?period=2026&unit=D2'
expect_problem 403 unit
expect_body "unit 'D2': 'd1' is the unit officer of 'D1' and may not see or change other units' assessments"
as d1 GET '/api/v1/assessments?period=2026'
expect_problem 400 unit
as d1 GET '/api/v1/assessments?period=2027&unit=D1'
expect_problem 404 period
as d1 GET '/api/v1/assessments?period=2026&unit=D9'
expect_problem 404 unit

# ---- Self-assessment: every refusal names its field; nothing is written ----
as d1 PUT "/api/v1/assessments?period=2026&unit=D2" -H "$J" \
	--data-binary '{"scores":[{"node":"A.1","self":10}]}'
expect_problem 403 unit
expect_sql "select count(*) from assessment" 0
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"A.1","self":31}]}'
expect_problem 422 'scores[0].self'
expect_body "scores[0].self: self score 31 of unit 'D1' node 'A.1' is above its maximum 30"
as d1 PUT "/api/v1/assessments?$Q" -H "$J" \
	--data-binary '{"scores":[{"node":"B","self":1},{"node":"A.2","self":12.25}]}'
expect_problem 422 'scores[1].self'
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"A","self":1}]}'
expect_problem 422 'scores[0].node'
expect_body "node 'A' is not a leaf: its points are the sum of its children (A.1, A.2); score those instead"
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"Z","self":1}]}'
expect_problem 422 'scores[0].node'
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"B","self":"ten"}]}'
expect_problem 400 'scores[0].self'
expect_body 'expected a number, \"na\" (not applicable) or null (no score yet)'
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"B","self":1},{"node":"B","self":2}]}'
expect_problem 400 'scores[1]'
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"B","appraised":1,"reason":"x"}]}'
expect_problem 403 'scores[0].appraised'
expect_body "appraised scores and their reasons are the council's; 'd1' is unit_officer"
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"B","self":1,"colour":"red"}]}'
expect_problem 400 colour
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{}'
expect_problem 400 null
expect_body "nothing to change; send scores, questions, answers or to"
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"to":"approved"}'
expect_problem 409 to
expect_body "cannot go from draft to approved; from draft the next state is submitted"
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"to":"finished"}'
expect_problem 400 to
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"questions":[{"node":"B","question":"?"}]}'
expect_problem 403 questions
expect_sql "select count(*) from assessment" 0
expect_sql "select count(*) from audit where entity = 'assessment'" 0

as d1 PUT "/api/v1/assessments?$Q" -H "$J" \
	--data-binary '{"scores":[{"node":"A.1","self":25,"note":"Kế hoạch số 12/KH"},{"node":"A.2","self":"na"},{"node":"B","self":35.0}]}'
expect_status 200
expect_body '{"state":"draft","scores":{"added":3,"changed":0,"unchanged":0,"audited":4},"questions":0,"answers":0}'
# A note alone keeps the score; the same values again change nothing.
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"B","note":"ghi chú\nhai dòng"}]}'
expect_status 200
expect_body '"changed":1'
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"B","self":35}]}'
expect_body '"unchanged":1,"audited":0'
expect_sql "select self_score || '|' || self_note from assessment where node_code = 'B'" "35.0|ghi chú
hai dòng"
expect_sql "select self_na from assessment where node_code = 'A.2'" 1
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"A.2","self":28}]}'
expect_status 200

# ---- Evidence ----
printf '%%PDF-1.4\n%% Kế hoạch\n' >plan.pdf
as d1 POST "/api/v1/evidence?$Q&node=A.1&name=k%E1%BA%BF%20ho%E1%BA%A1ch.pdf" --data-binary @plan.pdf
expect_status 201
expect_body '"name":"kế hoạch.pdf","type":"application/pdf","size":'
PDFSHA=$(sha256sum plan.pdf | cut -c1-64)
expect_body "\"sha256\":\"$PDFSHA\""
EVID=$(sed 's/.*"id":\([0-9]*\).*/\1/' "$BODY")
expect_header "Location: /api/v1/evidence/$EVID"
printf '\211PNG\r\n\032\nrest' >photo.png
as d1 POST "/api/v1/evidence?$Q&node=B&name=photo.png" --data-binary @photo.png -H 'Content-Type: image/png'
expect_status 201
expect_body '"type":"image/png"'
printf 'PK\003\004rest of a zip' >report.docx
as d1 POST "/api/v1/evidence?$Q&node=B&name=report.docx" --data-binary @report.docx
expect_status 201
expect_body '"type":"application/vnd.openxmlformats-officedocument.wordprocessingml.document"'
printf '<html><script>alert(1)</script></html>' >evil.html
as d1 POST "/api/v1/evidence?$Q&node=B&name=evil.pdf" --data-binary @evil.html
expect_problem 415 name
expect_body "not a kind of file taken as evidence"
as d1 POST "/api/v1/evidence?$Q&node=B&name=report.zip" --data-binary @report.docx
expect_problem 415 name
as d1 POST "/api/v1/evidence?$Q&node=B&name=../x.pdf" --data-binary @plan.pdf
expect_problem 400 name
as d1 POST "/api/v1/evidence?$Q&node=A&name=x.pdf" --data-binary @plan.pdf
expect_problem 422 node
as d1 POST "/api/v1/evidence?period=2026&unit=D2&node=B&name=x.pdf" --data-binary @plan.pdf
expect_problem 403 unit
as council POST "/api/v1/evidence?$Q&node=B&name=x.pdf" --data-binary @plan.pdf
expect_problem 403 null
as d1 POST "/api/v1/evidence?$Q&node=B&name=x.pdf"
expect_problem 400 null
head -c 8388609 /dev/zero >big.bin
as d1 POST "/api/v1/evidence?$Q&node=B&name=big.pdf" --data-binary @big.bin
expect_problem 413 null
expect_sql "select count(*) from evidence" 3
expect_sql "select count(*) from evidence_content" 3
as d1 GET "/api/v1/evidence/$EVID"
expect_status 200
cmp -s "$BODY" plan.pdf && pass "evidence read back byte for byte" || fail "evidence differs"
expect_header "Content-Type: application/pdf"
expect_header "Content-Disposition: attachment; filename*=UTF-8''k%E1%BA%BF%20ho%E1%BA%A1ch.pdf"
as d2 GET "/api/v1/evidence/$EVID"
expect_problem 404 id
as viewer GET "/api/v1/evidence/$EVID"
expect_status 200
as d1 GET /api/v1/evidence/999
expect_problem 404 id
as d1 GET /api/v1/evidence/abc
expect_problem 400 id

# ---- Submission and the deadline ----
as admin PUT '/api/v1/rounds?period=2026&framework=ws-test' -H "$J" --data-binary '{"deadline":"2020-01-31T10:00:00Z"}'
expect_status 200
as d1 GET "/api/v1/assessments?$Q"
expect_body '"may_submit":false,"why":"the deadline of the round of period'
expect_body '"transitions":[]'
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"to":"submitted"}'
expect_problem 409 to
expect_body "the deadline of the round of period '2026' for framework 'ws-test' was 2020-01-31T10:00:00Z; an administrator may reopen unit 'D1'"
as admin POST '/api/v1/rounds/reopen?period=2026&framework=ws-test' -H "$J" \
	--data-binary '{"unit":"D1","until":"2029-01-01","reason":"sự cố mạng"}'
expect_status 200
expect_body '"reopened_until":"2029-01-01T16:59:59Z"'
as admin POST '/api/v1/rounds/reopen?period=2026&framework=ws-test' -H "$J" \
	--data-binary '{"unit":"D9","until":"2029-01-01","reason":"x"}'
expect_problem 404 unit
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"to":"submitted"}'
expect_status 200
expect_body '"state":"submitted"'
# D2 is not reopened: still refused; the round closed refuses too.
as admin PUT '/api/v1/rounds?period=2026&framework=ws-test' -H "$J" --data-binary '{"deadline":null,"closed":true}'
expect_status 200
expect_body '"deadline":null,"closed":true'
as d2 PUT '/api/v1/assessments?period=2026&unit=D2' -H "$J" --data-binary '{"to":"submitted"}'
expect_problem 409 to
expect_body "the round of period '2026' for framework 'ws-test' is closed; an administrator may reopen unit 'D2'"
as admin PUT '/api/v1/rounds?period=2026&framework=ws-test' -H "$J" --data-binary '{"closed":false}'
expect_status 200
as admin GET '/api/v1/progress?period=2026'
expect_body '"not_submitted":["D2"],"appraisal_pending":["D1"]'
expect_body '"reopened_until":"2029-01-01T16:59:59Z"'

# After submission the unit's side is closed.
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"B","self":40}]}'
expect_problem 409 scores
expect_body "unit 'D1' is submitted; its self-assessment changes only while it is a draft"
as d1 POST "/api/v1/evidence?$Q&node=B&name=late.pdf" --data-binary @plan.pdf
expect_problem 409 null

# ---- The council ----
as council GET "/api/v1/assessments?$Q"
expect_body '"actions":{"edit_self":false,"edit_appraisal":true,"ask":true,"answer":false,"upload":false,"transitions":[{"to":"draft","reason_required":true},{"to":"appraised","reason_required":false}]}'
as council PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"A.1","appraised":20}]}'
expect_problem 400 'scores[0].reason'
expect_body "scores[0].reason: an appraised score needs the council's reason"
as council PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"A.1","self":20}]}'
expect_problem 403 'scores[0].self'
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"to":"appraised"}'
expect_problem 403 to
expect_body "to: going from submitted to appraised is for the appraisal council; 'd1' is unit_officer"
as council PUT "/api/v1/assessments?$Q" -H "$J" \
	--data-binary '{"scores":[{"node":"A.1","appraised":20,"reason":"Kế hoạch ban hành muộn"},{"node":"A.2","appraised":28,"reason":"đúng"},{"node":"B","appraised":35,"reason":"đúng"}],"to":"appraised"}'
expect_status 200
expect_body '"state":"appraised"'
as council PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"to":"explanation_requested","reason":"x"}'
expect_problem 409 to
expect_body "no open explanation request"
as council PUT "/api/v1/assessments?$Q" -H "$J" \
	--data-binary '{"questions":[{"node":"A.1","question":"Vì sao kế hoạch ban hành muộn?"}],"to":"explanation_requested"}'
expect_problem 409 to
expect_body "going from appraised to explanation_requested needs a reason"
as council PUT "/api/v1/assessments?$Q" -H "$J" \
	--data-binary '{"questions":[{"node":"Q","question":"?"}],"to":"explanation_requested","reason":"x"}'
expect_problem 422 'questions[0].node'
expect_sql "select count(*) from explanation" 0
as council PUT "/api/v1/assessments?$Q" -H "$J" \
	--data-binary '{"questions":[{"node":"A.1","question":"Vì sao kế hoạch ban hành muộn?"}],"to":"explanation_requested","reason":"cần giải trình tiêu chí A.1"}'
expect_status 200
expect_body '"state":"explanation_requested","scores":{"added":0,"changed":0,"unchanged":0,"audited":0},"questions":1'
QID=$(sql "select id from explanation")

# ---- The unit explains ----
as d1 GET "/api/v1/assessments?$Q"
expect_body '"answer":true,"upload":true,"transitions":[{"to":"explained","reason_required":false}]'
expect_body "\"explanations\":[{\"id\":$QID,\"node\":\"A.1\",\"question\":\"Vì sao kế hoạch ban hành muộn?\",\"asked_by\":\"council\""
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"to":"explained"}'
expect_problem 409 to
expect_body "to: 1 explanation requests are not answered yet"
as d1 PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"answers":[{"id":999,"answer":"x"}]}'
expect_problem 422 'answers[0].id'
as council PUT "/api/v1/assessments?$Q" -H "$J" --data-binary "{\"answers\":[{\"id\":$QID,\"answer\":\"x\"}]}"
expect_problem 403 answers
as d1 POST "/api/v1/evidence?$Q&node=A.1&name=quyet-dinh.pdf" --data-binary @plan.pdf
expect_status 201
expect_sql "select count(*) from evidence_content" 3
as d1 PUT "/api/v1/assessments?$Q" -H "$J" \
	--data-binary "{\"answers\":[{\"id\":$QID,\"answer\":\"Chờ ý kiến của cấp trên; xem quyết định kèm theo\"}],\"to\":\"explained\"}"
expect_status 200
expect_body '"state":"explained","scores":{"added":0,"changed":0,"unchanged":0,"audited":0},"questions":0,"answers":1'

# ---- Final appraisal and approval ----
as admin GET '/api/v1/progress?period=2026'
expect_body '"appraisal_pending":["D1"]'
as council PUT "/api/v1/assessments?$Q" -H "$J" \
	--data-binary '{"scores":[{"node":"A.1","appraised":24.5,"reason":"Đã giải trình"}],"to":"appraised"}'
expect_status 200
as council PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"to":"approved"}'
expect_status 200
expect_body '"state":"approved"'
as council PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"scores":[{"node":"B","appraised":30,"reason":"x"}]}'
expect_problem 409 scores

# D2 all the way by the administrator, who may act for both sides.
as d2 PUT '/api/v1/assessments?period=2026&unit=D2' -H "$J" \
	--data-binary '{"scores":[{"node":"A.1","self":20},{"node":"A.2","self":20},{"node":"B","self":20}]}'
expect_status 200
as admin POST '/api/v1/rounds/reopen?period=2026&framework=ws-test' -H "$J" \
	--data-binary '{"unit":"D2","until":"2029-01-01T00:00:00Z","reason":"gia hạn"}'
expect_status 200
as admin PUT '/api/v1/assessments?period=2026&unit=D2' -H "$J" --data-binary '{"to":"submitted"}'
expect_status 200
as admin PUT '/api/v1/assessments?period=2026&unit=D2' -H "$J" --data-binary '{"to":"appraised"}'
expect_status 200

# ---- Publication ----
as council POST '/api/v1/publish?period=2026' -H "$J" --data-binary '{"public":true}'
expect_problem 403 null
as admin POST '/api/v1/publish?period=2026' -H "$J" --data-binary '{"public":true}'
expect_problem 409 null
expect_body "unit 'D2' is appraised, not approved; every unit of the period must be approved before its results are published"
expect_sql "select count(*) from publication" 0
as admin PUT '/api/v1/assessments?period=2026&unit=D2' -H "$J" --data-binary '{"to":"approved"}'
expect_status 200
req GET '/api/v1/par/rankings?period=2026'
expect_status 404
as admin POST '/api/v1/publish?period=2026' -H "$J" --data-binary '{"public":"yes"}'
expect_problem 400 public
as admin POST '/api/v1/publish?period=2026' -H "$J" --data-binary '{"public":true}'
expect_status 201
expect_body '"period":"2026","framework":"ws-test","version":"1","units":2,"methodology_sha256":"'
expect_body '"public":true'
run chiso --db "$DB" par show-published --period 2026 --meta
expect_exit 0
expect_out '"published_by": "admin"'
req GET '/api/v1/par/rankings?period=2026'
expect_status 200
expect_body '"code":"D1"'
expect_body '"index":87.5'
as admin POST '/api/v1/publish?period=2026' -H "$J" --data-binary '{}'
expect_problem 409 null
expect_body "were already published"
as council PUT "/api/v1/assessments?$Q" -H "$J" --data-binary '{"to":"appraised","reason":"x"}'
expect_problem 409 to
as d1 GET "/api/v1/assessments?$Q"
expect_body '"state":"published"'
expect_body '"actions":{"edit_self":false,"edit_appraisal":false,"ask":false,"answer":false,"upload":false,"transitions":[]}'

# ---- The audit trail, per criterion: who, when, old, new, reason ----
as viewer GET "/api/v1/assessments?$Q"
expect_status 200
cp "$BODY" final.json
node_hist() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for n in d["nodes"]:
    if n["code"] == sys.argv[2]:
        for h in n["history"]:
            print("|".join(str(h[k]) for k in ("actor", "field", "old", "new", "reason")))
' final.json "$1"
}
node_hist A.1 >a1.txt
cat >a1.want <<'EOF'
d1|self|None|25|Kế hoạch số 12/KH
d1|note|None|Kế hoạch số 12/KH|None
d1|evidence|None|kế hoạch.pdf (sha256 PDFSHA)|None
council|appraised|None|20|Kế hoạch ban hành muộn
council|reason|None|Kế hoạch ban hành muộn|None
council|explanation_request|None|Vì sao kế hoạch ban hành muộn?|None
d1|evidence|None|quyet-dinh.pdf (sha256 PDFSHA)|None
d1|explanation|None|Chờ ý kiến của cấp trên; xem quyết định kèm theo|Vì sao kế hoạch ban hành muộn?
council|appraised|20|24.5|Đã giải trình
council|reason|Kế hoạch ban hành muộn|Đã giải trình|None
EOF
sed -i "s/PDFSHA/$PDFSHA/" a1.want
if cmp -s a1.txt a1.want; then pass "history of A.1"; else fail "history of A.1: $(diff a1.want a1.txt)"; fi
python3 -c '
import json
d = json.load(open("final.json"))
for h in d["history"]:
    print("|".join(str(h[k]) for k in ("actor", "field", "old", "new", "reason")))
' >states.txt
cat >states.want <<'EOF'
admin|state|None|draft|added to the round
d1|state|draft|submitted|None
council|state|submitted|appraised|None
council|state|appraised|explanation_requested|cần giải trình tiêu chí A.1
d1|state|explanation_requested|explained|None
council|state|explained|appraised|None
council|state|appraised|approved|None
admin|state|approved|published|results published
EOF
if cmp -s states.txt states.want; then pass "state history"; else fail "state history: $(diff states.want states.txt)"; fi
python3 -c '
import json
d = json.load(open("final.json"))
h = d["nodes"][1]["history"][0]
assert h["at"].endswith("Z") and len(h["at"]) == 20, h
' && pass "history rows carry the time" || fail "history time"
run chiso --db "$DB" score history --period 2026 --unit D1 --node A.1 --format csv
expect_exit 0
expect_out "council,ws-test,D1,A.1,explanation_request,,Vì sao kế hoạch ban hành muộn?,"
# deadline and closed at the opening, the deadline moved, D1 reopened, no deadline and
# closed, opened again, D2 reopened.
expect_sql "select count(*) from audit where entity = 'round'" 8

stop_server
expect_exit 0
finish
