# chiso par compute|state|status|publish|show-published: the golden cases of
# tests/golden/par-cli end to end (JSON, CSV and the Vietnamese table), the
# workflow's transitions, and publication freezing the results.
. "$(dirname "$0")/lib.sh"
G=$SRC/tests/golden/par-cli

# The framework's hash depends on the canonical form of its body, which is
# not what these cases pin down.
nosha() {
	sed 's/"sha256": "[0-9a-f]\{64\}"/"sha256": "SHA256"/' "$1"
}

# check_golden DIR NAME: compares the current output with DIR/NAME, or
# writes it there when CHISO_GOLDEN_UPDATE is set.
check_golden() {
	if [ -n "${CHISO_GOLDEN_UPDATE:-}" ]; then
		cp got "$1/$2"
		pass "updated $1/$2"
	elif cmp -s got "$1/$2"; then
		pass "$(basename "$1")/$2"
	else
		fail "$(basename "$1")/$2 differs"
		diff "$1/$2" got | head -n 20 | sed 's/^/# /'
	fi
}

approve_all() {
	for to in submitted appraised approved; do
		run chiso par state --period "$1" --all --to "$to"
		expect_exit 0
	done
}

for dir in "$G"/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	[ -f "$dir/framework.json" ] || continue
	mkdir "$T/$name"
	cd "$T/$name"
	run chiso init
	expect_exit 0
	run chiso framework import "$dir/framework.json"
	expect_exit 0
	run chiso unit import "$dir/units.csv"
	expect_exit 0
	run chiso period add 2023
	run chiso period add 2024
	if [ -f "$dir/prev.csv" ]; then
		run chiso score import "$dir/prev.csv" --period 2023 --framework golden
		expect_exit 0
	fi
	run chiso score import "$dir/scores.csv" --period 2024 --framework golden
	expect_exit 0
	run chiso par compute --period 2024 --format json
	expect_exit 0
	nosha "$OUT" >got
	check_golden "$dir" expected.json
	if [ -f "$dir/publish-prev" ]; then
		# The change is the same whether the previous period is
		# computed from its scores or read from its published table.
		approve_all 2023
		run chiso par publish --period 2023
		expect_exit 0
		run chiso par compute --period 2024 --format json
		expect_exit 0
		nosha "$OUT" >got
		check_golden "$dir" expected.json
	fi
	run chiso par compute --period 2024 --format csv
	expect_exit 0
	cp "$OUT" got
	check_golden "$dir" expected.csv
	group=all
	[ -f "$dir/group" ] && group=$(cat "$dir/group")
	run chiso --lang vi par compute --period 2024 --group "$group"
	expect_exit 0
	cp "$OUT" got
	check_golden "$dir" expected.txt
	cd "$T"
done

# The rest works on the components_sum case.
mkdir "$T/flow"
cd "$T/flow"
C=$G/components_sum
run chiso init
run chiso framework import "$C/framework.json"
run chiso unit import "$C/units.csv"
run chiso period add 2024
run chiso score import "$C/scores.csv" --period 2024 --framework golden
expect_exit 0

run chiso par compute --period 2024 --lang en
expect_exit 0
expect_out "2/3   U1    Công an tỉnh Một  91.84/100   91.84%*  Good"
run chiso par compute --period 2024 --format json -o out.json
expect_exit 0
[ ! -s "$OUT" ] && pass "nothing on stdout with -o" || fail "stdout with -o"
nosha out.json >got
expect_same got "$C/expected.json" "-o writes the same JSON"

# XLSX: a zip workbook, to a file or to a pipe (never to a terminal).
run chiso par compute --period 2024 --format xlsx -o out.xlsx
expect_exit 0
[ "$(head -c 2 out.xlsx)" = "PK" ] && pass "xlsx file is a zip" || fail "xlsx file is not a zip"
run chiso par compute --period 2024 --format xlsx
expect_exit 0
[ "$(head -c 2 "$OUT")" = "PK" ] && pass "xlsx to a pipe" || fail "xlsx to a pipe is not a zip"
run chiso par compute --period 2024 --format pdf
expect_exit 2
expect_err "expected table, csv, json or xlsx"
run chiso par compute --period 2024 --group province
expect_exit 2
run chiso par compute
expect_exit 2
expect_err "--period is required"
run chiso par compute --period 2099
expect_exit 1
expect_err "no period '2099'"
run chiso par compute --period 2024 --framework nosuch
expect_exit 1
expect_err "nosuch"

# Workflow (METHODOLOGY M2.9): allowed moves pass, others are refused with
# the states that may follow; several units move together or not at all.
run chiso par status --period 2024
expect_exit 0
expect_out "draft                  3      U1, U2, U3"
run chiso par state --period 2024 --unit U1 --to approved
expect_exit 1
expect_err "unit 'U1': cannot go from draft to approved; from draft the next state is submitted"
run chiso par state --period 2024 --unit U1 --to published
expect_exit 1
expect_err "use 'chiso par publish'"
run chiso par state --period 2024 --unit U1 --to finished
expect_exit 2
run chiso par state --period 2024 --unit U9 --to submitted
expect_exit 1
expect_err "unknown unit 'U9'"
run chiso par state --period 2024 --unit U1 --to submitted
expect_exit 0
expect_out "U1: draft -> submitted"
run chiso par state --period 2024 --unit U1 --to draft
expect_exit 1
expect_err "going from submitted to draft needs a reason (--reason)"
run chiso par state --period 2024 --unit U1 --to draft --reason "thiếu tài liệu kiểm chứng"
expect_exit 0
# U1 is in draft again: U1 and U2 to appraised fails for U1, so U2 stays.
run chiso par state --period 2024 --unit U2 --to submitted
expect_exit 0
run chiso par state --period 2024 --unit U2 --unit U1 --to appraised
expect_exit 1
expect_err "unit 'U1': cannot go from draft to appraised"
run chiso par status --period 2024 --format csv
expect_exit 0
expect_out "U1,draft"
expect_out "U2,submitted"
expect_out "U3,draft"
run chiso par state --period 2024 --all --to submitted
expect_exit 1
expect_err "unit 'U2': the state is already submitted"
run chiso par state --period 2024 --unit U1 --unit U3 --to submitted --actor "Nguyễn Văn A"
expect_exit 0
run chiso par state --period 2024 --all --to appraised
expect_exit 0
run chiso par state --period 2024 --unit U1 --to explanation_requested
expect_exit 1
expect_err "needs a reason"
run chiso par state --period 2024 --unit U1 --to explanation_requested --reason "giải trình A.2"
expect_exit 0
run chiso par state --period 2024 --unit U1 --to approved
expect_exit 1
expect_err "from explanation_requested the next state is explained"
run chiso par state --period 2024 --unit U1 --to explained
expect_exit 0
run chiso par state --period 2024 --unit U1 --to appraised
expect_exit 0
run chiso par status --period 2024 --format json
expect_exit 0
expect_out '"appraised": 3'
run chiso score history --period 2024 --unit U1 --format csv
expect_exit 0
expect_out ",Nguyễn Văn A,golden,U1,,state,draft,submitted,"
expect_out ",cli,golden,U1,,state,appraised,explanation_requested,giải trình A.2"
expect_out ",cli,golden,U1,,state,submitted,draft,thiếu tài liệu kiểm chứng"

# Publication: refused until every unit is approved.
run chiso par publish --period 2024
expect_exit 1
expect_err "unit 'U1' is appraised, not approved"
run chiso par show-published --period 2024
expect_exit 1
expect_err "not published"
run chiso par state --period 2024 --all --to approved
expect_exit 0
# An approved unit's scores cannot change until the approval is reopened.
printf 'unit,node,self\nU3,A.1,16\n' >change.csv
run chiso score import change.csv --period 2024 --framework golden
expect_exit 1
expect_err "change.csv:2: unit 'U3' is approved in period '2024'; its scores cannot change"
run chiso par state --period 2024 --unit U3 --to appraised
expect_exit 1
expect_err "needs a reason"
run chiso par state --period 2024 --unit U3 --to appraised --reason "xem lại A.1"
expect_exit 0
run chiso par state --period 2024 --unit U3 --to approved
expect_exit 0

run chiso par compute --period 2024 --format json
cp "$OUT" at-publish.json
run chiso par publish --period 2024 --actor "Hội đồng thẩm định"
expect_exit 0
expect_out "Published the results of period 2024, framework golden version 1: 3 units."
run chiso par show-published --period 2024
expect_exit 0
expect_same "$OUT" at-publish.json "show-published equals the computation at publication"
run chiso par show-published --period 2024 --format json
expect_same "$OUT" at-publish.json "show-published --format json too"
run chiso par show-published --period 2024 --meta
expect_exit 0
expect_out '"published_by": "Hội đồng thẩm định"'
expect_out '"input_sha256": "'
expect_out '"rounding": "half_away"'
run chiso par show-published --period 2024 --format csv
expect_exit 2
run chiso par status --period 2024
expect_out "published              3      U1, U2, U3"

# Published results never change: no second publication, no score import,
# no state change; later changes of units or frameworks leave them alone.
run chiso par publish --period 2024
expect_exit 1
expect_err "already published"
run chiso score import "$C/scores.csv" --period 2024 --framework golden
expect_exit 1
expect_err "published results never change"
run chiso par state --period 2024 --unit U1 --to appraised --reason "x"
expect_exit 1
expect_err "published results never change"
printf 'code,name,parent,level\nU1,Công an tỉnh Một (tên mới),,province\n' >rename.csv
run chiso unit import rename.csv
expect_exit 0
sed 's/"version": "1"/"version": "2"/; s/"from": 90, "to": 100/"from": 85, "to": 100/; s/"from": 80, "to": 90/"from": 80, "to": 85/' \
	"$C/framework.json" >framework-v2.json
run chiso framework import framework-v2.json
expect_exit 0
run chiso par compute --period 2024 --format json
expect_out "tên mới"
run chiso par show-published --period 2024
expect_same "$OUT" at-publish.json "published results unchanged after units and framework change"

finish
