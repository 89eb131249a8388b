# Durability: a write acknowledged with 201 is on disk. Several clients post
# at once; one of them kills the server with SIGKILL in the middle of the
# load, and every acknowledged write must be in the database afterwards. Then
# the same under SIGTERM, which must also finish the writes under way, exit 0
# and leave no write-ahead log behind. The writes are periods through the
# administration API: they go through the same write queue as every write.
. "$(dirname "$0")/lib.sh"

run chiso init --db "$DB"
expect_exit 0
TOKEN=durability-test-token-0123456789
printf '%s\n' "$TOKEN" >admin.token

# lane ID COUNT SIGNAL AFTER: posts COUNT periods named ID-i; after its
# AFTER-th acknowledgement sends SIGNAL to the server. Codes acknowledged with
# 201 go to acked.ID.
lane() {
	id=$1
	count=$2
	sig=$3
	after=$4
	acked=0
	i=0
	: >"acked.$id"
	while [ "$i" -lt "$count" ]; do
		code="$id-$i"
		st=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
			-H 'Content-Type: application/json' \
			--data "{\"code\":\"$code\",\"starts\":\"2020-01-01\",\"ends\":\"2020-12-31\"}" \
			"$URL/api/v1/periods") || st=000
		if [ "$st" = 201 ]; then
			echo "$code" >>"acked.$id"
			acked=$((acked + 1))
			if [ "$after" -gt 0 ] && [ "$acked" -eq "$after" ]; then
				kill "-$sig" "$SERVER_PID"
			fi
		fi
		i=$((i + 1))
	done
}

# check_acked WHAT: every acknowledged code is stored.
check_acked() {
	cat acked.* | sort >acked.all
	sqlite3 "$DB" 'select code from period' | sort >stored.all
	missing=$(comm -23 acked.all stored.all | wc -l)
	total=$(wc -l <acked.all)
	if [ "$total" -gt 0 ] && [ "$missing" -eq 0 ]; then
		pass "$1: all $total acknowledged writes are stored"
	else
		fail "$1: $missing of $total acknowledged writes are missing"
		comm -23 acked.all stored.all | head -n 5 | sed 's/^/# missing: /'
	fi
}

run_load() {
	sig=$1
	prefix=$2
	rm -f acked.*
	lane "${prefix}a" 40 "$sig" 15 &
	p1=$!
	lane "${prefix}b" 40 "$sig" 0 &
	p2=$!
	lane "${prefix}c" 40 "$sig" 0 &
	p3=$!
	lane "${prefix}d" 40 "$sig" 0 &
	p4=$!
	wait "$p1" "$p2" "$p3" "$p4"
	RC=0
	wait "$SERVER_PID" || RC=$?
	SERVER_PID=
	exec 3<&-
}

start_server --admin-token-file admin.token --rate-limit 0 --threads 2
run_load KILL k
LAST="chiso serve killed with SIGKILL"
expect_exit 137
[ "$(wc -l <acked.ka)" -ge 15 ] && pass "the killing lane saw 15 acknowledgements" ||
	fail "the killing lane saw $(wc -l <acked.ka) acknowledgements"
check_acked "after SIGKILL"
run sqlite3 "$DB" 'pragma integrity_check'
expect_exit 0
expect_line 1 ok

# The database opens again after the crash, with everything acknowledged.
start_server --admin-token-file admin.token --rate-limit 0 --threads 2
req GET /api/v1/periods
expect_status 200
first=$(head -n 1 acked.all)
expect_body "\"code\":\"$first\""

run_load TERM t
LAST="chiso serve stopped with SIGTERM under load"
expect_exit 0
check_acked "after SIGTERM"
[ ! -e "$DB-wal" ] && pass "no -wal left after SIGTERM under load" ||
	fail "-wal left after SIGTERM under load"
run sqlite3 "$DB" 'pragma integrity_check'
expect_exit 0
expect_line 1 ok

finish
