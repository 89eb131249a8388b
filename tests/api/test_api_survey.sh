# The citizen survey on the real server: the questionnaire and wave API, the
# three ways in (/s/<token>, /u/<unit>, /k/<unit>) and their friendly pages,
# the form post and the JSON post validated alike (every refusal with the
# field it names), relevance rules on the server, one-time tokens (also
# under concurrent submissions), rate limits and body caps, and durability:
# the server is killed with SIGKILL in the middle of concurrent submissions
# and every response acknowledged with 201 must be in the database.
. "$(dirname "$0")/lib.sh"

CT='Content-Type: application/json'
FORM='Content-Type: application/x-www-form-urlencoded'

cat >units.csv <<'EOF'
code,name,parent,level
P,Công an tỉnh P,,province
D1,Công an huyện D1,P,district
C11,Công an xã C11,D1,commune
C12,Công an xã C12,D1,commune
EOF

# A short questionnaire with a relevance rule: "handled" is asked (and then
# required) only of those who complained.
cat >short.json <<'EOF'
{
  "format": "chiso-questionnaire",
  "format_version": 1,
  "code": "short",
  "title": "Phiếu ngắn",
  "version": "1",
  "elements": [
    {"code": "E1", "title": {"vi": "Tiếp cận", "en": "Access"}}
  ],
  "items": [
    {"code": "q1", "element": "E1", "type": "likert5", "role": "satisfaction", "required": true,
     "text": {"vi": "Nơi chờ đủ chỗ", "en": "Enough seats"}},
    {"code": "q2", "element": "E1", "type": "likert5", "role": "satisfaction",
     "text": {"vi": "Thủ tục rõ ràng", "en": "Clear procedure"}},
    {"code": "complained", "type": "yesno", "role": "other",
     "text": {"vi": "Ông/Bà có góp ý không?", "en": "Did you complain?"}},
    {"code": "handled", "type": "likert5", "role": "other", "required": true,
     "relevant": "${complained} = '1'",
     "text": {"vi": "Góp ý được xử lý tốt", "en": "The complaint was handled well"}},
    {"code": "age", "type": "number", "role": "other", "text": {"vi": "Tuổi", "en": "Age"}},
    {"code": "kind", "type": "single", "role": "respondent", "field": "kind", "required": true,
     "text": {"vi": "Ông/Bà là", "en": "You are"},
     "choices": [
       {"value": "citizen", "label": {"vi": "Người dân", "en": "Citizen"}},
       {"value": "organisation", "label": {"vi": "Tổ chức", "en": "Organisation"}}
     ]},
    {"code": "comment", "type": "text", "role": "other", "text": {"vi": "Ý kiến", "en": "Comment"}}
  ]
}
EOF

run chiso init --db "$DB"
expect_exit 0
run chiso --db "$DB" unit import units.csv
expect_exit 0
run chiso --db "$DB" period add 2026
expect_exit 0
run chiso --db "$DB" period add 2020
expect_exit 0
run chiso --db "$DB" survey import short.json
expect_exit 0
run chiso --db "$DB" survey import "$SRC/data/questionnaires/sipas-2017.json"
expect_exit 0
run chiso --db "$DB" survey wave add W --questionnaire short --period 2026 --title "Đợt thử"
expect_exit 0
run chiso --db "$DB" survey wave add OLD --questionnaire short --period 2020 --closes 2020-12-31
expect_exit 0
run chiso --db "$DB" survey wave add PAPER --questionnaire short --period 2020 --mode paper
expect_exit 0

# Tokens: CSV with their links.
run chiso --db "$DB" token issue --wave W --unit C11 --count 12 --base-url http://survey.example/ -o tokens.csv
expect_exit 0
expect_out "Issued 12 survey tokens for wave W, unit C11."
[ "$(wc -l <tokens.csv)" -eq 13 ] && pass "12 tokens and a header" || fail "tokens.csv has $(wc -l <tokens.csv) lines"
head -n 1 tokens.csv >head.txt
grep -qx 'token,url,wave,unit,expires_at' head.txt && pass "csv header" || fail "csv header: $(cat head.txt)"
grep -Eq '^[0-9a-hjkmnp-tv-z]{24},http://survey\.example/s/[0-9a-hjkmnp-tv-z]{24},W,C11,$' tokens.csv &&
	pass "csv rows: token,url,wave,unit" || fail "csv rows: $(sed -n 2p tokens.csv)"
tok() { sed -n "$(($1 + 1))p" tokens.csv | cut -d, -f1; }

start_server --rate-limit 0 --threads 2

# ---- Questionnaires and waves ----
req GET /api/v1/questionnaires
expect_status 200
expect_body '{"code":"short","version":"1","title":"Phiếu ngắn"'
expect_body '"elements":1,"items":7,"satisfaction_items":2}'
req GET /api/v1/questionnaires/short
expect_status 200
expect_header "Content-Type: application/json"
expect_body '"format":"chiso-questionnaire"'
expect_body '"relevant":"${complained} = '"'"'1'"'"'"'
req GET '/api/v1/questionnaires/short?version=9'
expect_problem 404 version
expect_body "no questionnaire 'short' with version '9'"
req GET /api/v1/questionnaires/nope
expect_problem 404 code
req GET /api/v1/waves
expect_status 200
expect_body '{"code":"W","title":"Đợt thử","questionnaire":"short","questionnaire_version":"1","period":"2026","opens":null,"closes":null,"mode":"","responses":0}'
req GET /api/v1/waves/W
expect_status 200
expect_body '"units":[{"unit":"C11","responses":0,"tokens":{"issued":12,"used":0}}],"tokens":{"issued":12,"used":0}'
req GET /api/v1/waves/NOPE
expect_problem 404 code

# ---- The token page ----
T1=$(tok 1)
req GET "/s/$T1"
expect_status 200
expect_header "Content-Type: text/html; charset=utf-8"
expect_header "Content-Language: vi"
expect_header "Cache-Control: no-store"
expect_security_headers
expect_body '<html lang="vi">'
expect_body '<p class="unit">Công an xã C11</p>'
expect_body '<p class="wave">Đợt thử</p>'
expect_body "<form id=\"survey\" method=\"post\" accept-charset=\"utf-8\" autocomplete=\"off\" action=\"/s/$T1\""
expect_body '<fieldset class="element"><legend>Tiếp cận</legend>'
expect_body '<label class="opt"><input type="radio" name="q1" value="1" required><span>Rất không hài lòng</span></label>'
expect_body 'data-relevant="${complained} = &#39;1&#39;"'
expect_body "href=\"/s/$T1?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"
expect_body '<script type="module" src="/assets/survey/survey.js?v='
expect_body '<link rel="stylesheet" href="/assets/survey/survey.css?v='
# Nothing the Content-Security-Policy refuses.
expect_no_body '<style'
expect_no_body ' style='
expect_no_body '<script>'
expect_no_body ' onclick='
req GET "/s/$T1?lang=en"
expect_status 200
expect_header "Content-Language: en"
expect_body '<legend>Access</legend>'
expect_body '<span>Very dissatisfied</span>'
expect_body "href=\"/s/$T1\" hreflang=\"vi\" lang=\"vi\">Tiếng Việt</a>"
# Compressed for a slow link.
req GET "/s/$T1" -H 'Accept-Encoding: gzip'
expect_status 200
expect_header "Content-Encoding: gzip"
expect_header "Vary: Accept-Encoding"
gzip -dc "$BODY" | grep -qF '<p class="unit">Công an xã C11</p>' && pass "gzip page reads" || fail "gzip page"
# A code typed from paper: capitals are the same token.
req GET "/s/$(echo "$T1" | tr a-z A-Z)"
expect_status 200
# The scripts and styles it names are served.
js=$(grep -o '/assets/survey/survey.js?v=[0-9a-f]*' "$OUT" | head -n 1)
req GET "$js"
expect_status 200
expect_header "Content-Type: text/javascript; charset=utf-8"
expect_no_body "localStorage"
expect_no_body "sessionStorage"

req GET /s/0000000000000000000000zz
expect_status 404
expect_header "Content-Type: text/html; charset=utf-8"
expect_body "Không tìm thấy phiếu khảo sát"
req GET /s/short
expect_status 404
expect_body "Không tìm thấy phiếu khảo sát"

# ---- Form post through a token ----
req POST "/s/$T1" -H "$FORM" --data 'q1=4&q2=5&complained=1&handled=4&age=41&kind=citizen&comment=R%E1%BA%A5t+t%E1%BB%91t'
expect_status 303
expect_header "Location: /survey/thanks?lang=vi"
req GET "/survey/thanks?lang=vi"
expect_status 200
expect_body "Cảm ơn Ông/Bà!"
run sqlite3 "$DB" "select channel, kind, answers, extra from response"
expect_line 1 "$(printf 'qr|citizen|45140|41\tRất tốt')"
# Used: the page says so, and a second post is refused.
req GET "/s/$T1"
expect_status 409
expect_body "Phiếu này đã được trả lời"
req GET "/s/$T1?lang=en"
expect_status 409
expect_body "This survey has already been answered"
req POST "/s/$T1" -H "$FORM" --data 'q1=4&kind=citizen'
expect_status 409
expect_body "Phiếu này đã được trả lời"
run sqlite3 "$DB" "select count(*) from response"
expect_line 1 1

# Refused answers: the form again, with the answers given and a message at each.
T2=$(tok 2)
req POST "/s/$T2" -H "$FORM" --data 'q1=9&complained=1&age=abc&comment=ok'
expect_status 422
expect_header "Content-Type: text/html; charset=utf-8"
expect_body '<li><a href="#q-q1">Câu 1: Vui lòng chọn một trong các phương án đã cho.</a></li>'
expect_body '<li><a href="#q-handled">Câu 4: Vui lòng trả lời câu này.</a></li>'
expect_body '<li><a href="#q-age">Câu 5: Vui lòng nhập một số, ví dụ 12 hoặc 3,5.</a></li>'
expect_body '<li><a href="#q-kind">Câu 6: Vui lòng trả lời câu này.</a></li>'
expect_body 'name="complained" value="1" checked>'
expect_body 'value="abc">'
expect_body '>ok</textarea>'
req POST "/s/$T2" -H "$FORM" --data 'q1=3&kind=citizen&bogus=1'
expect_status 422
expect_body "Biểu mẫu gửi lên có câu hỏi không thuộc phiếu này: &#39;bogus&#39;."
# The token is still open after refusals.
req GET "/s/$T2"
expect_status 200
# Not a form body.
req POST "/s/$T2" -H "$CT" --data '{}'
expect_problem 415 Content-Type
req POST "/s/$T2" -H "$FORM" --data 'q1=%zz'
expect_problem 400 null
expect_body "form field 1: malformed % escape"

# An expired token.
T3=$(tok 3)
run sqlite3 "$DB" "update token set expires_at = '2020-01-01T00:00:00Z' where code = '$T3'"
req GET "/s/$T3"
expect_status 410
expect_body "Phiếu khảo sát đã hết hạn"
req POST /api/v1/responses -H "$CT" --data "{\"token\":\"$T3\",\"answers\":{\"q1\":4,\"kind\":\"citizen\"}}"
expect_problem 410 token
expect_body "expired at 2020-01-01T00:00:00Z"

# ---- Open link and kiosk ----
req GET /u/C12
expect_status 200
expect_body 'action="/u/C12?wave=W"'
expect_no_body 'class="survey kiosk"'
req POST "/u/C12?wave=W" -H "$FORM" --data 'q1=2&kind=organisation'
expect_status 303
expect_header "Location: /survey/thanks?lang=vi"
req GET /u/NOPE
expect_status 404
expect_body "Không tìm thấy đơn vị"
req GET "/u/C12?wave=NOPE"
expect_status 404
expect_body "Hiện không có đợt khảo sát"
req GET "/u/C12?wave=OLD"
expect_status 404
req GET "/u/C12?wave=PAPER"
expect_status 404
req GET "/k/C12?idle=30"
expect_status 200
expect_body '<body class="survey kiosk" data-idle="30" data-home="/k/C12?idle=30">'
expect_body 'autocomplete="off"'
expect_body "Không có gì được lưu trên máy này."
req POST "/k/C12?lang=en" -H "$FORM" --data 'q1=5&kind=citizen'
expect_status 303
expect_header "Location: /survey/thanks?lang=en&kiosk=C12"
req GET "/survey/thanks?lang=en&kiosk=C12"
expect_status 200
expect_body '<meta http-equiv="refresh" content="8;url=/k/C12">'
expect_body "Thank you!"
run sqlite3 "$DB" "select channel || ':' || count(*) from response group by channel order by channel"
expect_line 1 "kiosk:1"
expect_line 2 "online:1"
expect_line 3 "qr:1"

# ---- JSON submissions ----
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C11","channel":"phone","answers":{"q1":5,"q2":"4","complained":false,"handled":5,"age":"3,5","kind":"citizen"}}'
expect_status 201
expect_header "Cache-Control: no-store"
expect_body '"wave":"W","unit":"C11","channel":"phone","submitted_at":"'
id=$(sed 's/.*"id":"\([^"]*\)".*/\1/' "$BODY")
run sqlite3 "$DB" "select answers, extra from response where rid = '$id'"
# handled is dropped: the condition hides it when complained is no.
expect_line 1 "$(printf '540-0|3.5\t')"
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C11","answers":{"q1":5,"complained":1,"kind":"citizen"}}'
expect_problem 422 answers.handled
expect_body '"type":"urn:chiso:problem:missing-answer"'
expect_body "answers.handled: missing; item 'handled' is required"
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C11","answers":{"q1":7,"kind":"citizen"}}'
expect_problem 422 answers.q1
expect_body '"type":"urn:chiso:problem:invalid-answer"'
expect_body "'7' is not a level of the scale"
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C11","answers":{"q9":1,"kind":"citizen"}}'
expect_problem 422 answers.q9
expect_body "answers.q9: questionnaire 'short' has no item 'q9'"
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C99","answers":{"kind":"citizen"}}'
expect_problem 422 unit
expect_body '"type":"urn:chiso:problem:unknown-unit"'
req POST /api/v1/responses -H "$CT" --data '{"wave":"W9","unit":"C11","answers":{"kind":"citizen"}}'
expect_problem 422 wave
req POST /api/v1/responses -H "$CT" --data '{"wave":"OLD","unit":"C11","answers":{"q1":4,"kind":"citizen"}}'
expect_problem 422 wave
expect_body "wave: 'OLD' takes responses from its start to 2020-12-31"
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C11","answers":{"q1":[4,5],"kind":"citizen"}}'
expect_problem 422 answers.q1
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C11","answers":{"q1":{},"kind":"citizen"}}'
expect_problem 400 answers.q1
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C11","answer":{}}'
expect_problem 400 answer
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","answers":{}}'
expect_problem 400 unit
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C11","answers":{"q1":4'
expect_problem 400 null
expect_body '"type":"urn:chiso:problem:malformed-json"'
req POST /api/v1/responses -H "$FORM" --data 'q1=4'
expect_problem 415 Content-Type
# Text answers are capped: 1000 characters.
long=$(head -c 1001 /dev/zero | tr '\0' 'a')
req POST /api/v1/responses -H "$CT" --data "{\"wave\":\"W\",\"unit\":\"C11\",\"answers\":{\"q1\":4,\"kind\":\"citizen\",\"comment\":\"$long\"}}"
expect_problem 422 answers.comment
expect_body "1001 characters (1001 bytes); expected at most 1000 characters"
# Bodies over 64 KiB: refused before they are read.
{
	printf '{"wave":"W","unit":"C11","answers":{"comment":"'
	head -c 70000 /dev/zero | tr '\0' 'a'
	printf '"}}'
} >big.json
req POST /api/v1/responses -H "$CT" --data-binary @big.json
expect_problem 413 null
expect_body "at most 65536 taken"
req POST /u/C11 -H "$FORM" --data-binary @big.json
expect_problem 413 null

# A token through the API, then again: 409.
T4=$(tok 4)
req POST /api/v1/responses -H "$CT" --data "{\"token\":\"$T4\",\"answers\":{\"q1\":4,\"kind\":\"citizen\"}}"
expect_status 201
expect_body '"wave":"W","unit":"C11","channel":"api"'
req POST /api/v1/responses -H "$CT" --data "{\"token\":\"$T4\",\"answers\":{\"q1\":4,\"kind\":\"citizen\"}}"
expect_problem 409 token
expect_body '"type":"urn:chiso:problem:token-used"'
req POST /api/v1/responses -H "$CT" --data "{\"token\":\"$(tok 5)\",\"unit\":\"C12\",\"answers\":{\"q1\":4,\"kind\":\"citizen\"}}"
expect_problem 422 unit
expect_body "the token is for unit 'C11'"
req POST /api/v1/responses -H "$CT" --data '{"token":"0000000000000000000000zz","answers":{}}'
expect_problem 422 token
expect_body '"type":"urn:chiso:problem:unknown-token"'

# One token, eight submissions at once: exactly one is accepted.
T6=$(tok 6)
i=0
racers=
while [ "$i" -lt 8 ]; do
	curl -s -o /dev/null -w '%{http_code}\n' -H "$CT" \
		--data "{\"token\":\"$T6\",\"answers\":{\"q1\":3,\"kind\":\"citizen\"}}" \
		"$URL/api/v1/responses" >"race.$i" &
	racers="$racers $!"
	i=$((i + 1))
done
# Not a bare wait: the server is a child too.
# shellcheck disable=SC2086
wait $racers
ok=$(cat race.* | grep -c '^201$')
used=$(cat race.* | grep -c '^409$')
[ "$ok" -eq 1 ] && [ "$used" -eq 7 ] && pass "one token, 8 at once: one 201, seven 409" ||
	fail "one token, 8 at once: $ok times 201, $used times 409: $(cat race.* | tr '\n' ' ')"

req GET /api/v1/waves/W
expect_status 200
expect_body '"units":[{"unit":"C11","responses":4,"tokens":{"issued":12,"used":3}},{"unit":"C12","responses":2,"tokens":{"issued":0,"used":0}}]'
stop_server
expect_exit 0

# ---- Rate limit: submissions per client address ----
start_server --rate-limit 2 --threads 2
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C12","answers":{"q1":4,"kind":"citizen"}}'
expect_status 201
req POST /u/C12 -H "$FORM" --data 'q1=4&kind=citizen'
expect_status 303
req POST /api/v1/responses -H "$CT" --data '{"wave":"W","unit":"C12","answers":{"q1":4,"kind":"citizen"}}'
expect_problem 429 null
# Two a minute: the next in at most 30 s (less if the test was slow).
wait_s=$(header Retry-After)
case $wait_s in
[1-9] | [12][0-9] | 30) pass "Retry-After: $wait_s" ;;
*) fail "Retry-After: '$wait_s'" ;;
esac
req GET /u/C12
expect_status 200
stop_server
expect_exit 0

# ---- Durability: SIGKILL in the middle of concurrent submissions ----
# lane ID COUNT AFTER: posts COUNT responses; ids answered 201 go to acked.ID;
# after its AFTER-th acknowledgement it kills the server.
lane() {
	: >"acked.$1"
	acked=0
	i=0
	while [ "$i" -lt "$2" ]; do
		reply=$(curl -s -w '\n%{http_code}' -H "$CT" \
			--data "{\"wave\":\"W\",\"unit\":\"C11\",\"answers\":{\"q1\":$((i % 5 + 1)),\"kind\":\"citizen\"}}" \
			"$URL/api/v1/responses") || reply=000
		if [ "$(echo "$reply" | tail -n 1)" = 201 ]; then
			echo "$reply" | head -n 1 | sed 's/.*"id":"\([^"]*\)".*/\1/' >>"acked.$1"
			acked=$((acked + 1))
			if [ "$3" -gt 0 ] && [ "$acked" -eq "$3" ]; then
				kill -KILL "$SERVER_PID"
			fi
		fi
		i=$((i + 1))
	done
}

start_server --rate-limit 0 --threads 2
rm -f acked.*
lane a 60 25 &
p1=$!
lane b 60 0 &
p2=$!
lane c 60 0 &
p3=$!
lane d 60 0 &
p4=$!
wait "$p1" "$p2" "$p3" "$p4"
RC=0
wait "$SERVER_PID" || RC=$?
SERVER_PID=
exec 3<&-
LAST="chiso serve killed with SIGKILL under submissions"
expect_exit 137
cat acked.* | sort >acked.all
sqlite3 "$DB" "select rid from response" | sort >stored.all
total=$(wc -l <acked.all)
missing=$(comm -23 acked.all stored.all | wc -l)
[ "$total" -ge 25 ] && [ "$missing" -eq 0 ] &&
	pass "after SIGKILL: all $total acknowledged responses are stored" ||
	fail "after SIGKILL: $missing of $total acknowledged responses are missing"
run sqlite3 "$DB" 'pragma integrity_check'
expect_exit 0
expect_line 1 ok
# The batch ranges still cover every stored web response.
run sqlite3 "$DB" "select count(*) from response r where not exists (select 1 from response_batch b where b.id = r.batch_id and r.id between b.first_id and b.last_id)"
expect_line 1 0

finish
