# chiso serve: start-up errors, /healthz, the access log, and graceful stops
# on SIGTERM and SIGINT that leave a clean database behind.
. "$(dirname "$0")/lib.sh"

run chiso --db "$DB" serve --listen 127.0.0.1:0
expect_exit 1
expect_err "run 'chiso init' first"

run chiso init --db "$DB"
expect_exit 0

run chiso --db "$DB" serve --listen nonsense
expect_exit 2
expect_err "--listen 'nonsense': expected HOST:PORT"

run chiso --db "$DB" serve --listen 127.0.0.1:http
expect_exit 2
expect_err "port 'http' is not a number"

run chiso --db "$DB" serve --threads 0
expect_exit 2
expect_err "--threads '0'"

run chiso --db "$DB" serve --bogus
expect_exit 2
expect_err "unexpected argument '--bogus'"

printf 'short\n' >short.token
run chiso --db "$DB" serve --listen 127.0.0.1:0 --admin-token-file short.token
expect_exit 2
expect_err "expected at least 16"

run chiso --db "$DB" serve --listen 127.0.0.1:0 --admin-token-file missing.token
expect_exit 1
expect_err "missing.token"

start_server --threads 2
schema=$(sqlite3 "$DB" 'select max(version) from schema_version')

req GET /healthz
expect_status 200
expect_header "Content-Type: application/json"
expect_header "Cache-Control: no-store"
expect_body "{\"status\":\"ok\",\"schema_version\":$schema}"
expect_security_headers

req HEAD /healthz
expect_status 200

# A second server cannot take the same port; the message says why.
port=${URL##*:}
run chiso --db "$DB" serve --listen "127.0.0.1:$port"
expect_exit 1
expect_err "cannot listen on 127.0.0.1:$port"

# One access log line per request: ISO time, client, method, path, status,
# body bytes, milliseconds.
req GET '/api/v1/nothing?secret=1'
expect_status 404
stop_server TERM
expect_exit 0
if grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z 127\.0\.0\.1 GET /healthz 200 [0-9]+ [0-9]+\.[0-9]$' "$LOG"; then
	pass "access log line for /healthz"
else
	fail "access log line for /healthz"
	sed 's/^/# log: /' "$LOG"
fi
grep -q ' GET /api/v1/nothing 404 ' "$LOG" && pass "404 logged with its path" || fail "404 not logged"
grep -q 'secret' "$LOG" && fail "the query string was logged" || pass "query strings are not logged"

# A clean stop checkpoints the write-ahead log and removes it.
[ ! -e "$DB-wal" ] && pass "no -wal left after SIGTERM" || fail "-wal left after SIGTERM"
run sqlite3 "$DB" 'pragma integrity_check'
expect_exit 0
expect_line 1 ok

start_server
stop_server INT
expect_exit 0
[ ! -e "$DB-wal" ] && pass "no -wal left after SIGINT" || fail "-wal left after SIGINT"

# A control character in the path is escaped in the log, not written raw.
start_server
req GET '/a%0Ab'
expect_status 404
stop_server
grep -q '/a\\x0ab 404' "$LOG" && pass "control characters escaped in the log" ||
	fail "control characters escaped in the log"

finish
