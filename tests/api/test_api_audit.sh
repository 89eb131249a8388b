# The audit log is append-only through the application: no SQL in the
# sources updates, deletes or replaces its rows, and no route of the server
# (every row of src/http/routes.c, with every method, signed in as an
# administrator with the CSRF token and anonymously, with several bodies)
# changes or removes a row that was there before; rows are only added.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ws_lib.sh"

# ---- The sources: the only statement on the audit table is an insert ----
if grep -rniE "(update|delete[[:space:]]+from|replace[[:space:]]+into|insert[[:space:]]+or[[:space:]]+replace[[:space:]]+into|drop[[:space:]]+table|alter[[:space:]]+table|truncate)[[:space:]]+(table[[:space:]]+)?audit([^_a-z]|$)" \
	"$SRC/src" >grep.out; then
	fail "SQL that changes the audit log: $(cat grep.out)"
else
	pass "no SQL in src/ updates, deletes or replaces audit rows"
fi
grep -rn "into audit" "$SRC/src" | grep -v "src/store/audit.c" >grep2.out
if [ -s grep2.out ]; then
	fail "audit rows written outside store/audit.c: $(cat grep2.out)"
else
	pass "audit rows are written by cs_audit_append alone"
fi

cat >units.csv <<'EOF'
code,name,parent,level
P,Công an tỉnh P,,province
D1,Công an huyện D1,P,district
EOF
cat >scores.csv <<'EOF'
unit,node,self,note
D1,C.1,10,ghi chú
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
ws_user d1 unit_officer D1
printf 'admin-token-0123456789\n' >token.txt

audit_rows() {
	sqlite3 "$DB" "select id, at, actor, entity, entity_id, field, old_value, new_value, reason from audit where id <= $1 order by id" | sha256sum
}
MAX=$(sql "select max(id) from audit")
COUNT=$MAX
BEFORE=$(audit_rows "$MAX")
[ "$MAX" -ge 5 ] && pass "$MAX audit rows to begin with" || fail "only '$MAX' audit rows"

start_server --rate-limit 0 --threads 2 --admin-token-file token.txt
ws_login admin
ws_login d1

# Every route pattern of the table, with its parameters filled in.
sed -n 's/^[[:space:]]*{HTTP_[A-Z]*, "\([^"]*\)".*/\1/p' "$SRC/src/http/routes.c" | sort -u >patterns.txt
[ "$(wc -l <patterns.txt)" -ge 20 ] && pass "$(wc -l <patterns.txt) route patterns" ||
	fail "route patterns: $(cat patterns.txt)"
sed -e 's/{name\*}/style.css/; s/{code}/D1/; s/{period}/2024/; s/{token}/0123456789abcdefghjkmnpq/' \
	-e 's/{unit}/D1/; s/{id}/1/' patterns.txt >paths.txt
cat >>paths.txt <<'EOF'
/api/v1/audit
/api/v1/audit/1
/api/v1/assessments?period=2024&unit=D1
/api/v1/rounds?period=2024&framework=example-small
/api/v1/evidence?period=2024&unit=D1&node=C.1&name=a.pdf
/api/v1/publish?period=2024
EOF

printf '{}' >b1.json
printf '{"entity":"assessment","id":1,"delete":true,"audit":[]}' >b2.json
printf '{"scores":[{"node":"C.1","self":11,"note":"sửa"}]}' >b3.json
printf '%%PDF-1.4\n' >b4.pdf
calls=0
while read -r p; do
	for m in GET POST PUT PATCH DELETE; do
		bodies="b1.json b2.json b3.json b4.pdf"
		# A body means nothing to GET and DELETE: one is enough.
		case $m in GET | DELETE) bodies=b2.json ;; esac
		for b in $bodies; do
			for who in admin d1 anon; do
				ct=application/json
				[ "$b" = b4.pdf ] && ct=application/pdf
				if [ "$who" = anon ]; then
					req "$m" "$p" -H "Content-Type: $ct" -H 'Authorization: Bearer admin-token-0123456789' \
						--data-binary "@$b"
				else
					as "$who" "$m" "$p" -H "Content-Type: $ct" --data-binary "@$b"
				fi
				calls=$((calls + 1))
				case $STATUS in
				000 | 5??) fail "$m $p as $who: status $STATUS" ;;
				esac
			done
		done
	done
	# A session may have been ended by DELETE /api/v1/session: sign in again.
	ws_login admin
	ws_login d1
done <paths.txt
pass "$calls requests made"

AFTER=$(audit_rows "$MAX")
[ "$BEFORE" = "$AFTER" ] && pass "the $MAX rows of before are unchanged" ||
	fail "audit rows were changed or removed"
NOW=$(sql "select count(*) from audit")
[ "$NOW" -ge "$COUNT" ] && pass "rows only added ($COUNT then $NOW)" || fail "rows removed: $NOW < $COUNT"
# The changes the requests did make were appended, never written over.
expect_sql "select count(*) from audit where id > $MAX and entity = 'assessment' and field = 'self'" 1
expect_sql "select count(*) from (select id from audit group by id having count(*) > 1)" 0
as admin GET '/api/v1/assessments?period=2024&unit=D1'
expect_body '"field":"self","old":null,"new":"10","reason":"ghi chú"}'
expect_body '"field":"self","old":"10","new":"11","reason":"sửa"}'

stop_server
expect_exit 0
finish
