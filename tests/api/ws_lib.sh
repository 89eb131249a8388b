# Helpers for the workspace API tests (test_api_auth.sh, test_api_roles.sh,
# test_api_assessments.sh, test_api_audit.sh), sourced after lib.sh: accounts
# made with the real `chiso user add`, sign-in through the API, and requests
# that carry a person's session cookie and CSRF token.

# ws_user LOGIN ROLE [UNIT [--subtree]]: adds an account whose password is
# "pw-LOGIN-secret".
ws_user() {
	login=$1
	role=$2
	shift 2
	if [ $# -gt 0 ]; then
		set -- --unit "$@"
	fi
	printf 'pw-%s-secret\n' "$login" |
		"$CHISO" --db "$DB" user add "$login" --role "$role" --name "Tên $login" "$@" \
			>"$T/.ws.out" 2>&1 || {
		fail "chiso user add $login: $(cat "$T/.ws.out")"
		return 1
	}
}

# ws_login LOGIN: signs in; keeps the cookie in $T/.cookie.LOGIN and the CSRF
# token in $T/.csrf.LOGIN.
ws_login() {
	req POST /api/v1/session -H 'Content-Type: application/json' \
		--data-binary "{\"login\":\"$1\",\"password\":\"pw-$1-secret\"}"
	if [ "$STATUS" != 201 ]; then
		fail "sign-in of $1: status $STATUS"
		show_reply
		return 1
	fi
	header Set-Cookie | sed 's/;.*//' >"$T/.cookie.$1"
	sed 's/.*"csrf":"\([^"]*\)".*/\1/' "$BODY" >"$T/.csrf.$1"
}

# as LOGIN METHOD PATH [CURL OPTIONS...]: a request with LOGIN's session and
# CSRF token.
as() {
	who=$1
	shift
	m=$1
	p=$2
	shift 2
	req "$m" "$p" -H "Cookie: $(cat "$T/.cookie.$who")" -H "X-CSRF-Token: $(cat "$T/.csrf.$who")" "$@"
}

# as_json LOGIN METHOD PATH JSON: the same with a JSON body.
as_json() {
	who=$1
	m=$2
	p=$3
	printf '%s' "$4" >"$T/.req.json"
	as "$who" "$m" "$p" -H 'Content-Type: application/json' --data-binary "@$T/.req.json"
}

# sql QUERY: prints the result of a query on the test database.
sql() {
	sqlite3 "$DB" "$1"
}

# expect_sql QUERY VALUE: the query gives VALUE.
expect_sql() {
	got=$(sqlite3 "$DB" "$1" 2>&1)
	if [ "$got" = "$2" ]; then
		pass "sql '$1' = '$2'"
	else
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - sql '$1' gave '$got', expected '$2'"
	fi
}
