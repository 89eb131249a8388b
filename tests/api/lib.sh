# Helpers for the API tests: each test_*.sh sources this file, which brings
# the TAP helpers of tests/cli/lib.sh, then starts the real server on
# 127.0.0.1 port 0 against a temporary database and talks to it with curl.
# Usage inside a test:
#   start_server [serve options]; req GET /path [curl options]; expect_status 200;
#   expect_body TEXT; expect_header 'Name: value'; stop_server; finish
# No sleeps: the server's URL is read from its first line of output (through
# a FIFO, so the read blocks until it is printed), and readiness is polled
# with a bounded number of requests.

. "$2/tests/cli/lib.sh"

DB=$T/chiso.db
SERVER_PID=
URL=
STATUS=
BODY=$T/.body
HDR=$T/.hdr
LOG=$T/server.log
trap 'if [ -n "$SERVER_PID" ]; then kill -9 "$SERVER_PID" 2>/dev/null; fi; rm -rf "$T"' EXIT

# start_server [OPTIONS...]: runs `chiso serve` on the test database and waits
# until /healthz answers. Sets URL and SERVER_PID; the server's stderr (the
# access log) goes to $LOG.
start_server() {
	rm -f "$T/.serve.fifo"
	mkfifo "$T/.serve.fifo"
	"$CHISO" --db "$DB" serve --listen 127.0.0.1:0 "$@" >"$T/.serve.fifo" 2>>"$LOG" &
	SERVER_PID=$!
	exec 3<"$T/.serve.fifo"
	line=
	read -r line <&3 || line=
	case $line in
	"chiso: serving http://"*) URL=${line#chiso: serving } ;;
	*)
		fail "server did not start: '$line'"
		sed 's/^/# log: /' "$LOG" | tail -n 20
		SERVER_PID=
		return 1
		;;
	esac
	tries=0
	until curl -fsS -o /dev/null "$URL/healthz" 2>/dev/null; do
		tries=$((tries + 1))
		if [ "$tries" -ge 100 ]; then
			fail "server at $URL never became healthy"
			return 1
		fi
	done
	pass "server started at $URL"
}

# stop_server [SIGNAL]: sends SIGTERM (or SIGNAL) and waits; RC is the exit code.
stop_server() {
	LAST="kill -${1:-TERM} chiso serve"
	RC=0
	kill "-${1:-TERM}" "$SERVER_PID"
	wait "$SERVER_PID" || RC=$?
	SERVER_PID=
	exec 3<&-
}

# req METHOD PATH [CURL OPTIONS...]: one request; STATUS is the status code,
# the body is in $BODY and the headers in $HDR.
req() {
	m=$1
	p=$2
	shift 2
	LAST="$m $p $*"
	: >"$BODY"
	: >"$HDR"
	if [ "$m" = HEAD ]; then
		STATUS=$(curl -sS -I -o "$HDR" -w '%{http_code}' "$@" "$URL$p" 2>"$ERR") || STATUS=000
	else
		STATUS=$(curl -sS -o "$BODY" -D "$HDR" -w '%{http_code}' -X "$m" "$@" "$URL$p" \
			2>"$ERR") || STATUS=000
	fi
	cp "$BODY" "$OUT"
}

show_reply() {
	echo "# request: $LAST"
	echo "# status: $STATUS"
	sed 's/^/# header: /' "$HDR" | tr -d '\r' | head -n 20
	head -c 600 "$BODY" | sed 's/^/# body: /'
	echo
}

expect_status() {
	if [ "$STATUS" = "$1" ]; then
		pass "$1: $LAST"
	else
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - status $1 expected: $LAST"
		show_reply
	fi
}

# expect_body TEXT: the body contains TEXT (fixed string).
expect_body() {
	if grep -qF -- "$1" "$BODY"; then
		pass "body has '$1'"
	else
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - body lacks '$1'"
		show_reply
	fi
}

expect_no_body() {
	if grep -qF -- "$1" "$BODY"; then
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - body has '$1'"
		show_reply
	else
		pass "body lacks '$1'"
	fi
}

# expect_header 'Name: value': a header line equal to that (name in any case).
expect_header() {
	name=${1%%:*}
	value=${1#*: }
	if tr -d '\r' <"$HDR" | grep -i "^$name: " | cut -d' ' -f2- | grep -qxF -- "$value"; then
		pass "header '$1'"
	else
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - header '$1' missing"
		show_reply
	fi
}

expect_no_header() {
	if tr -d '\r' <"$HDR" | grep -qi "^$1:"; then
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - header '$1' present"
		show_reply
	else
		pass "no header '$1'"
	fi
}

# header NAME: prints the value of a reply header.
header() {
	tr -d '\r' <"$HDR" | grep -i "^$1: " | head -n 1 | cut -d' ' -f2-
}

# expect_security_headers: the headers every reply carries.
expect_security_headers() {
	expect_header "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
	expect_header "X-Content-Type-Options: nosniff"
	expect_header "Referrer-Policy: no-referrer"
	expect_header "X-Frame-Options: DENY"
}

# expect_problem STATUS FIELD: a problem object of that status naming FIELD
# ("null" for none), with no internals in it.
expect_problem() {
	expect_status "$1"
	expect_header "Content-Type: application/problem+json"
	expect_header "Cache-Control: no-store"
	expect_body "\"status\":$1"
	expect_body '"type":"urn:chiso:problem:'
	expect_body '"title":"'
	expect_body '"detail":"'
	if [ "$2" = null ]; then
		expect_body '"field":null'
	else
		expect_body "\"field\":\"$2\""
	fi
	expect_no_internals
}

# expect_no_internals: nothing of the server's insides in the body.
expect_no_internals() {
	leak=
	for s in "$T" "$SRC" /work/ .c: sqlite SQLITE "SQL" constraint "UNIQUE" "select " "insert " \
		"Assertion" "stack" "malloc"; do
		if grep -qiF -- "$s" "$BODY"; then
			leak="$leak '$s'"
		fi
	done
	if [ -z "$leak" ]; then
		pass "no internals in the body"
	else
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - the body shows internals:$leak"
		show_reply
	fi
}

# json TEXT...: writes a request body file and prints its path.
json_file() {
	printf '%s' "$1" >"$T/.req.json"
	echo "$T/.req.json"
}
