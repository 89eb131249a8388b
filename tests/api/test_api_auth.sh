# Accounts and sessions on the real server: `chiso user add|list|disable|
# enable|passwd`, signing in (the cookie's attributes, the CSRF token, Secure
# behind a trusted TLS proxy only), signing out, CSRF and same-origin checks
# on changes, the throttling of an account after failed sign-ins (kept across
# a restart, lifted by a new password), disabled accounts, and the per-address
# rate limit of sign-ins.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ws_lib.sh"

CT='Content-Type: application/json'

cat >units.csv <<'EOF'
code,name,parent,level
P,Công an tỉnh P,,province
D1,Công an huyện D1,P,district
EOF

run chiso init --db "$DB"
expect_exit 0
run chiso --db "$DB" unit import units.csv
expect_exit 0

# ---- chiso user ----
run chiso --db "$DB" user list
expect_exit 0
expect_out "No accounts yet. Create the first administrator with 'chiso user add LOGIN --role admin'."
printf 'admin-password-1\n' >pw.txt
run chiso --db "$DB" user add admin --role admin --name "Quản trị" --password-file pw.txt
expect_exit 0
expect_out "Added account admin (admin)."
run sh -c "printf 'officer-pass-1\n' | '$CHISO' --db '$DB' user add d1 --role unit_officer --unit D1"
expect_exit 0
expect_out "Added account d1 (unit_officer, D1)."
run sh -c "printf 'short\n' | '$CHISO' --db '$DB' user add x --role viewer"
expect_exit 1
expect_err "chiso: error: the password has 5 bytes; expected 10 to 1024"
run sh -c "printf 'long-enough-1\n' | '$CHISO' --db '$DB' user add x --role unit_officer"
expect_exit 1
expect_err "a unit officer is bound to a unit; give the unit's code"
run sh -c "printf 'long-enough-1\n' | '$CHISO' --db '$DB' user add x --role viewer --unit D1"
expect_exit 1
expect_err "only unit officers are bound to a unit; a viewer sees every unit"
run sh -c "printf 'long-enough-1\n' | '$CHISO' --db '$DB' user add admin --role viewer"
expect_exit 1
expect_err "login 'admin' is taken; choose another"
run sh -c "printf 'long-enough-1\n' | '$CHISO' --db '$DB' user add x --role viewer --unit NOPE"
expect_exit 1
run chiso --db "$DB" user add Bad --role viewer
expect_exit 2
expect_err "login 'Bad': expected lower-case letters"
run chiso --db "$DB" user add y --role root
expect_exit 2
expect_err "--role 'root': expected admin, appraiser, unit_officer, viewer or surveyor"
run chiso --db "$DB" user list --format csv
expect_exit 0
expect_line 1 "login,name,role,unit,subtree,disabled,created_at"
expect_out "admin,Quản trị,admin,,no,no,"
expect_out "d1,,unit_officer,D1,no,no,"
run chiso --db "$DB" user list
expect_exit 0
expect_out "Login"
run chiso --db "$DB" --lang vi user list
expect_out "hoạt động"
run chiso --db "$DB" user list --format json
expect_out '"role": "unit_officer"'
run sqlite3 "$DB" "select password_hash from app_user where login = 'admin'"
expect_out '$argon2id$v=19$m=65536,t=2,p=1$'
expect_no_out 'admin-password-1'
run sqlite3 "$DB" "select entity || '|' || entity_id || '|' || field || '|' || new_value from audit where entity = 'user' order by id"
expect_line 1 "user|admin|role|admin"
expect_line 3 "user|d1|unit|D1"
ws_user viewer1 viewer

start_server --rate-limit 0 --threads 2

# ---- Signing in ----
req POST /api/v1/session -H "$CT" --data-binary '{"login":"admin","password":"wrong-password"}'
expect_problem 401 null
expect_body '"type":"urn:chiso:problem:wrong-credentials"'
expect_body "the login or the password is wrong"
expect_no_header Set-Cookie
req POST /api/v1/session -H "$CT" --data-binary '{"login":"nobody","password":"wrong-password"}'
expect_problem 401 null
expect_body "the login or the password is wrong"
req POST /api/v1/session -H "$CT" --data-binary '{"login":"admin"}'
expect_problem 400 password
req POST /api/v1/session -H "$CT" --data-binary '{"login":"admin","password":"x","remember":true}'
expect_problem 400 remember
req POST /api/v1/session -H 'Content-Type: text/plain' --data-binary 'admin'
expect_problem 415 Content-Type
req POST /api/v1/session -H "$CT" -H 'Origin: http://evil.example' \
	--data-binary '{"login":"admin","password":"admin-password-1"}'
expect_problem 403 Origin
expect_body "sign in from this server's own pages"

HOSTPORT=${URL#http://}
req POST /api/v1/session -H "$CT" -H "Origin: $URL" \
	--data-binary '{"login":"admin","password":"admin-password-1"}'
expect_status 201
expect_header "Cache-Control: no-store"
expect_body '"login":"admin","name":"Quản trị","role":"admin","unit":null,"subtree":false,"csrf":"'
expect_body '"expires_at":"'
COOKIE=$(header Set-Cookie)
case $COOKIE in
chiso_session=???????????????????????????????????????????"; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict")
	pass "cookie: HttpOnly, SameSite=Strict, 12 h, not Secure over plain HTTP" ;;
*) fail "cookie: '$COOKIE'" ;;
esac
TOKEN=$(printf '%s' "$COOKIE" | sed 's/^chiso_session=//; s/;.*//')
CSRF=$(sed 's/.*"csrf":"\([^"]*\)".*/\1/' "$BODY")
run sqlite3 "$DB" "select count(*) from session where token_sha256 like '%$TOKEN%' or csrf = '$TOKEN'"
expect_out 0
run sh -c "printf '%s' '$TOKEN' | sha256sum | cut -c1-64"
TSHA=$(cat "$OUT")
expect_sql "select count(*) from session where token_sha256 = '$TSHA'" 1
expect_sql "select failed_logins from app_user where login = 'admin'" 0

req GET /api/v1/session -H "Cookie: chiso_session=$TOKEN"
expect_status 200
expect_body "\"csrf\":\"$CSRF\""
req GET /api/v1/session -H "Cookie: other=1; chiso_session=$TOKEN; x=y"
expect_status 200
req GET /api/v1/session
expect_problem 401 null
expect_body "not signed in; sign in with POST /api/v1/session"
req GET /api/v1/session -H "Cookie: chiso_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
expect_problem 401 null
expect_body "the session has ended"
req GET /api/v1/session -H "Cookie: chiso_session=short"
expect_problem 401 null

# Behind a TLS proxy the cookie is Secure, but only when the proxy is trusted.
req POST /api/v1/session -H "$CT" -H 'X-Forwarded-Proto: https' \
	--data-binary '{"login":"viewer1","password":"pw-viewer1-secret"}'
expect_status 201
case $(header Set-Cookie) in
*Secure*) fail "Secure without --trust-proxy" ;;
*) pass "X-Forwarded-Proto ignored without --trust-proxy" ;;
esac

# ---- Signing out: a change, so CSRF token and origin are checked ----
req DELETE /api/v1/session -H "Cookie: chiso_session=$TOKEN"
expect_problem 403 X-CSRF-Token
expect_body "X-CSRF-Token: missing; send the token that POST /api/v1/session or GET /api/v1/session gave"
req DELETE /api/v1/session -H "Cookie: chiso_session=$TOKEN" -H "X-CSRF-Token: ${CSRF}x"
expect_problem 403 X-CSRF-Token
expect_body "X-CSRF-Token: wrong token"
req DELETE /api/v1/session -H "Cookie: chiso_session=$TOKEN" -H "X-CSRF-Token: $CSRF" \
	-H 'Origin: http://evil.example'
expect_problem 403 Origin
req DELETE /api/v1/session -H "Cookie: chiso_session=$TOKEN" -H "X-CSRF-Token: $CSRF" \
	-H "Origin: http://$HOSTPORT.evil.example"
expect_problem 403 Origin
req GET /api/v1/session -H "Cookie: chiso_session=$TOKEN"
expect_status 200
req DELETE /api/v1/session -H "Cookie: chiso_session=$TOKEN" -H "X-CSRF-Token: $CSRF" \
	-H "Origin: $URL"
expect_status 204
expect_header "Set-Cookie: chiso_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
req GET /api/v1/session -H "Cookie: chiso_session=$TOKEN"
expect_problem 401 null
expect_sql "select count(*) from session where token_sha256 = '$TSHA'" 0
req DELETE /api/v1/session -H "Cookie: chiso_session=$TOKEN" -H "X-CSRF-Token: $CSRF"
expect_problem 401 null

# ---- Throttling: five failures are free, then the account waits, doubling ----
for i in 1 2 3 4 5; do
	req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"bad-password"}'
	expect_status 401
done
expect_body "the login or the password is wrong\""
req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"bad-password"}'
expect_problem 401 null
expect_body "after 6 failures in a row the account waits 30 s before the next try"
expect_sql "select failed_logins from app_user where login = 'd1'" 6
# Even the right password is refused while the account waits.
req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"officer-pass-1"}'
expect_problem 429 login
expect_body '"type":"urn:chiso:problem:throttled"'
expect_body "login 'd1': 6 failed sign-ins in a row; try again in"
RA=$(header Retry-After)
[ "$RA" -ge 1 ] && [ "$RA" -le 30 ] && pass "Retry-After $RA" || fail "Retry-After '$RA'"
# Other accounts are not affected.
ws_login viewer1
stop_server

# The throttling is kept in the database: a restart does not lift it.
start_server --rate-limit 0 --threads 2
req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"officer-pass-1"}'
expect_status 429
# Backoff doubles: a failure once the wait is over waits 60 s.
run sqlite3 "$DB" "update app_user set throttled_until = 1 where login = 'd1'"
req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"bad-password"}'
expect_body "after 7 failures in a row the account waits 60 s"
# A new password lifts it.
printf 'officer-pass-2\n' >pw2.txt
run chiso --db "$DB" user passwd d1 --password-file pw2.txt
expect_exit 0
expect_out "Changed the password of d1; its sessions have ended."
req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"officer-pass-1"}'
expect_status 401
req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"officer-pass-2"}'
expect_status 201
expect_body '"login":"d1","name":"","role":"unit_officer","unit":"D1","subtree":false'
D1COOKIE=$(header Set-Cookie | sed 's/;.*//')
expect_sql "select failed_logins || ',' || throttled_until from app_user where login = 'd1'" "0,0"
run chiso --db "$DB" user passwd nobody --password-file pw2.txt
expect_exit 1
expect_err "no account 'nobody'; list them with 'chiso user list'"

# ---- A disabled account: its sessions end at once, sign-in is refused ----
req GET /api/v1/session -H "Cookie: $D1COOKIE"
expect_status 200
run chiso --db "$DB" user disable d1
expect_exit 0
expect_out "Disabled account d1; its sessions have ended."
req GET /api/v1/session -H "Cookie: $D1COOKIE"
expect_problem 401 null
req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"officer-pass-2"}'
expect_problem 403 login
expect_body "login 'd1': the account is disabled; ask an administrator"
req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"not-it-at-all"}'
expect_status 401
run chiso --db "$DB" user disable d1
expect_out "Account d1 was already disabled."
run chiso --db "$DB" user enable d1
expect_out "Enabled account d1."
req POST /api/v1/session -H "$CT" --data-binary '{"login":"d1","password":"officer-pass-2"}'
expect_status 201
run sqlite3 "$DB" "select field || '|' || coalesce(old_value, '') || '|' || coalesce(new_value, '') || '|' || coalesce(reason, '') from audit where entity = 'user' and entity_id = 'd1' order by id"
expect_out "password|||password changed"
expect_out "disabled|no|yes|"
expect_out "disabled|yes|no|"
stop_server

# ---- Behind a trusted TLS proxy the cookie is Secure ----
start_server --rate-limit 0 --threads 2 --trust-proxy
req POST /api/v1/session -H "$CT" -H 'X-Forwarded-Proto: https' \
	--data-binary '{"login":"viewer1","password":"pw-viewer1-secret"}'
expect_status 201
case $(header Set-Cookie) in
*"; HttpOnly; SameSite=Strict; Secure") pass "Secure behind a trusted TLS proxy" ;;
*) fail "cookie: $(header Set-Cookie)" ;;
esac
req POST /api/v1/session -H "$CT" -H 'X-Forwarded-Proto: http' \
	--data-binary '{"login":"viewer1","password":"pw-viewer1-secret"}'
case $(header Set-Cookie) in
*Secure*) fail "Secure over plain HTTP" ;;
*) pass "not Secure when the proxy says http" ;;
esac
# The origin is then https://host.
VC=$(header Set-Cookie | sed 's/;.*//')
VCSRF=$(sed 's/.*"csrf":"\([^"]*\)".*/\1/' "$BODY")
req DELETE /api/v1/session -H "Cookie: $VC" -H "X-CSRF-Token: $VCSRF" -H "Origin: $URL" \
	-H 'X-Forwarded-Proto: https'
expect_problem 403 Origin
req DELETE /api/v1/session -H "Cookie: $VC" -H "X-CSRF-Token: $VCSRF" \
	-H "Origin: https://${URL#http://}" -H 'X-Forwarded-Proto: https'
expect_status 204
stop_server

# ---- Sign-ins count against the per-address rate limit ----
start_server --rate-limit 3 --threads 2
for i in 1 2 3; do
	req POST /api/v1/session -H "$CT" --data-binary '{"login":"nobody","password":"whatever-1"}'
	expect_status 401
done
req POST /api/v1/session -H "$CT" --data-binary '{"login":"admin","password":"admin-password-1"}'
expect_problem 429 null
expect_header "Retry-After: 20"
stop_server
expect_exit 0

finish
