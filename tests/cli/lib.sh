# Helpers for the CLI tests: each test_*.sh sources this file, runs the real
# binary against a temporary database and reports in TAP.
# Usage inside a test: run CMD...; expect_exit N; expect_out 'text'; ...; finish
set -u

CHISO=$1
SRC=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/chiso-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"
unset CHISO_DB CHISO_LANG
export CHISO_LANG=en

n=0
failed=0
passed=0
OUT=$T/.out
ERR=$T/.err
RC=0

pass() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1"
}

fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	echo "# command: $LAST"
	echo "# exit: $RC"
	sed 's/^/# stdout: /' "$OUT" | head -n 20
	sed 's/^/# stderr: /' "$ERR" | head -n 20
}

# run CMD ARGS...: runs chiso (when CMD is "chiso") or any command.
run() {
	if [ "$1" = chiso ]; then
		shift
		set -- "$CHISO" "$@"
	fi
	LAST="$*"
	RC=0
	"$@" >"$OUT" 2>"$ERR" || RC=$?
}

expect_exit() {
	if [ "$RC" -eq "$1" ]; then pass "exit $1: $LAST"; else fail "exit $1 expected: $LAST"; fi
}

# expect_out TEXT: stdout contains TEXT (fixed string).
expect_out() {
	if grep -qF -- "$1" "$OUT"; then pass "stdout has '$1'"; else fail "stdout lacks '$1'"; fi
}

expect_no_out() {
	if grep -qF -- "$1" "$OUT"; then fail "stdout has '$1'"; else pass "stdout lacks '$1'"; fi
}

# expect_err TEXT: stderr contains TEXT.
expect_err() {
	if grep -qF -- "$1" "$ERR"; then pass "stderr has '$1'"; else fail "stderr lacks '$1'"; fi
}

# expect_same FILE1 FILE2 WHAT
expect_same() {
	if cmp -s "$1" "$2"; then pass "$3"; else fail "$3"; fi
}

# expect_line N TEXT: line N of stdout is exactly TEXT.
expect_line() {
	got=$(sed -n "$1p" "$OUT")
	if [ "$got" = "$2" ]; then pass "line $1 is '$2'"; else fail "line $1 is '$got', expected '$2'"; fi
}

finish() {
	echo "1..$n"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
