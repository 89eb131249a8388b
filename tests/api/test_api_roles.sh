# Authorisation of every workspace route, for each role, on the real server:
# a table of routes and what each of anonymous, admin, appraiser, unit
# officer, viewer and surveyor gets (401, 403, or past the check), a CSRF
# token and a same-origin check on every change, and nothing in the
# database changed by any refused request. The requests that pass the check
# are made to fail later (a missing unit, an invalid file), so that the whole
# table leaves the data as it was.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ws_lib.sh"

cat >units.csv <<'EOF'
code,name,parent,level
P,Công an tỉnh P,,province
D1,Công an huyện D1,P,district
D2,Công an huyện D2,P,district
EOF
cat >scores.csv <<'EOF'
unit,node,self
D1,C.1,10
D2,C.1,10
EOF

run chiso init --db "$DB"
expect_exit 0
run chiso --db "$DB" unit import units.csv
expect_exit 0
run chiso --db "$DB" period add 2024
expect_exit 0
run chiso --db "$DB" framework import "$SRC/data/frameworks/example-small.json"
expect_exit 0
run chiso --db "$DB" score import scores.csv --period 2024 --framework example-small
expect_exit 0
ws_user admin admin
ws_user council appraiser
ws_user officer unit_officer D1
ws_user viewer viewer
ws_user surveyor surveyor
printf '%%PDF-1.4\n' >e.pdf
sqlite3 "$DB" "insert into evidence_content values ('x', 9, 'JVBERi0xLjQK'); insert into evidence (period_id, unit_id, framework, node_code, name, media_type, size, sha256, uploaded_by, uploaded_at) values (1, 2, 'example-small', 'C.1', 'a.pdf', 'application/pdf', 9, 'x', 'officer', '2024-01-01T00:00:00Z'), (1, 3, 'example-small', 'C.1', 'b.pdf', 'application/pdf', 9, 'x', 'officer', '2024-01-01T00:00:00Z')"

start_server --rate-limit 0 --threads 2
for who in admin council officer viewer surveyor; do
	ws_login "$who"
done

# Everything but sessions and accounts, to show that nothing changed.
snapshot() {
	sqlite3 "$DB" "select * from audit; select * from assessment; select * from assessment_state;
		select * from evidence; select * from explanation; select * from par_round;
		select * from round_reopen; select * from publication; select * from public_period;
		select * from unit; select * from methodology; select * from period;
		select * from sample_plan; select * from keying; select * from keyed_form;
		select * from token; select * from response" | sha256sum
}
BEFORE=$(snapshot)

# check WHO EXPECTED METHOD PATH [CURL OPTIONS...]: EXPECTED is 401, 403 or
# "ok" (neither: the request got past the authorisation).
check() {
	who=$1
	want=$2
	shift 2
	if [ "$who" = anon ]; then
		req "$@"
	else
		m=$1
		p=$2
		shift 2
		as "$who" "$m" "$p" "$@"
	fi
	case $want in
	ok)
		if [ "$STATUS" != 401 ] && [ "$STATUS" != 403 ] && [ "$STATUS" != 000 ] && [ "$STATUS" != 500 ]; then
			pass "$who may: $LAST ($STATUS)"
		else
			fail "$who should pass the check: $LAST got $STATUS"
			show_reply
		fi
		;;
	*)
		expect_status "$want"
		expect_no_internals
		;;
	esac
}

J='Content-Type: application/json'
#        route                                           anon admin council officer viewer surveyor
while read -r m p body ctype a b c d e f; do
	[ -z "$m" ] && continue
	case $m in \#*) continue ;; esac
	set --
	if [ "$body" != - ]; then
		printf '%s' "$body" >"$T/.role.body"
		set -- --data-binary "@$T/.role.body"
	fi
	[ "$ctype" != - ] && set -- "$@" -H "Content-Type: $ctype"
	i=0
	for who in anon admin council officer viewer surveyor; do
		i=$((i + 1))
		eval "want=\$$(printf '%s' abcdef | cut -c$i)"
		check "$who" "$want" "$m" "$p" "$@"
	done
done <<'EOF'
GET /api/v1/session - - 401 ok ok ok ok ok
GET /api/v1/assessments?period=2024&unit=D1 - - 401 ok ok ok ok 403
GET /api/v1/assessments?period=2024&unit=D2 - - 401 ok ok 403 ok 403
PUT /api/v1/assessments?period=2024&unit=D1 {"to":"approved"} application/json 401 ok ok ok 403 403
PUT /api/v1/assessments?period=2024&unit=D2 {"to":"approved"} application/json 401 ok ok 403 403 403
PUT /api/v1/assessments?period=2024&unit=D1 {"scores":[{"node":"C.1","self":99}]} application/json 401 ok 403 ok 403 403
PUT /api/v1/assessments?period=2024&unit=D1 {"scores":[{"node":"C.1","appraised":99,"reason":"x"}]} application/json 401 ok ok 403 403 403
PUT /api/v1/assessments?period=2024&unit=D1 {"questions":[{"node":"Z","question":"x"}]} application/json 401 ok ok 403 403 403
PUT /api/v1/assessments?period=2024&unit=D1 {"answers":[{"id":99,"answer":"x"}]} application/json 401 ok 403 ok 403 403
POST /api/v1/evidence?period=2024&unit=D1&node=C.1&name=x.html <html> - 401 ok 403 ok 403 403
POST /api/v1/evidence?period=2024&unit=D2&node=A&name=x.pdf %PDF-1.4 - 401 ok 403 403 403 403
GET /api/v1/evidence/1 - - 401 ok ok ok ok 403
GET /api/v1/rounds - - 401 ok ok 403 ok 403
PUT /api/v1/rounds?period=2024&framework=nope {} application/json 401 ok 403 403 403 403
POST /api/v1/rounds/reopen?period=2024&framework=example-small {"unit":"D9","until":"2030-01-01","reason":"x"} application/json 401 ok 403 403 403 403
GET /api/v1/progress?period=2024 - - 401 ok ok 403 ok 403
POST /api/v1/publish?period=2024 {} application/json 401 ok 403 403 403 403
POST /api/v1/import/units code,name text/csv 401 ok 403 403 403 403
POST /api/v1/import/frameworks {} application/json 401 ok 403 403 403 403
GET /api/v1/users - - 401 ok 403 403 403 403
GET /api/v1/survey/progress?wave=NOPE - - 401 ok 403 403 ok ok
PUT /api/v1/survey/plan?wave=NOPE {"targets":{}} application/json 401 ok 403 403 403 ok
POST /api/v1/survey/tokens?wave=NOPE {"unit":"D1","count":1} application/json 401 ok 403 403 403 ok
GET /api/v1/survey/keying?wave=NOPE - - 401 ok 403 403 403 ok
POST /api/v1/survey/keying?wave=NOPE {"form":"F1","unit":"D1","answers":{}} application/json 401 ok 403 403 403 ok
POST /api/v1/survey/keying/resolve?wave=NOPE {"form":"F1","unit":"D1","answers":{}} application/json 401 ok 403 403 403 ok
EOF

# A unit officer does not learn that another unit's evidence exists.
as officer GET /api/v1/evidence/2
expect_problem 404 id

AFTER=$(snapshot)
[ "$BEFORE" = "$AFTER" ] && pass "no refused request changed anything" ||
	fail "the database changed"

# ---- Every change needs the CSRF token and a same origin, for every role ----
while read -r m p ctype whom; do
	[ -z "$m" ] && continue
	for who in $(echo "$whom" | tr , ' '); do
		req "$m" "$p" -H "Cookie: $(cat "$T/.cookie.$who")" -H "Content-Type: $ctype" \
			--data-binary '{}'
		expect_problem 403 X-CSRF-Token
		req "$m" "$p" -H "Cookie: $(cat "$T/.cookie.$who")" -H "Content-Type: $ctype" \
			-H "X-CSRF-Token: $(cat "$T/.csrf.admin")x" --data-binary '{}'
		expect_problem 403 X-CSRF-Token
		as "$who" "$m" "$p" -H "Content-Type: $ctype" -H 'Origin: http://evil.example' \
			--data-binary '{}'
		expect_problem 403 Origin
	done
done <<'EOF'
PUT /api/v1/assessments?period=2024&unit=D1 application/json admin,council,officer
POST /api/v1/evidence?period=2024&unit=D1&node=C.1&name=x.pdf application/pdf admin,officer
PUT /api/v1/rounds?period=2024&framework=example-small application/json admin
POST /api/v1/rounds/reopen?period=2024&framework=example-small application/json admin
POST /api/v1/publish?period=2024 application/json admin
POST /api/v1/import/units text/csv admin
POST /api/v1/import/frameworks application/json admin
PUT /api/v1/survey/plan?wave=NOPE application/json admin,surveyor
POST /api/v1/survey/tokens?wave=NOPE application/json admin,surveyor
POST /api/v1/survey/keying?wave=NOPE application/json admin,surveyor
POST /api/v1/survey/keying/resolve?wave=NOPE application/json admin,surveyor
DELETE /api/v1/session application/json admin,council,officer,viewer,surveyor
EOF
# One person's CSRF token is not another's.
req PUT '/api/v1/assessments?period=2024&unit=D1' -H "$J" -H "Cookie: $(cat "$T/.cookie.officer")" \
	-H "X-CSRF-Token: $(cat "$T/.csrf.admin")" --data-binary '{"to":"submitted"}'
expect_problem 403 X-CSRF-Token

AFTER=$(snapshot)
[ "$BEFORE" = "$AFTER" ] && pass "no request without its token changed anything" ||
	fail "the database changed"

# ---- Signing out, each role ----
for who in admin council officer viewer surveyor; do
	as "$who" DELETE /api/v1/session
	expect_status 204
	as "$who" GET /api/v1/session
	expect_problem 401 null
done
req DELETE /api/v1/session
expect_problem 401 null

stop_server
expect_exit 0
finish
