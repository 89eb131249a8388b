# chiso score import|history: imports are all-or-nothing, every error names
# file:line:col and changes nothing, every change is in the audit log, and
# re-importing the same file changes nothing.
. "$(dirname "$0")/lib.sh"
G=$SRC/tests/golden/par-cli/components_sum

run chiso init
run chiso framework import "$G/framework.json"
expect_exit 0
run chiso framework import "$SRC/data/frameworks/example-small.json"
expect_exit 0
cat >units.csv <<'CSV'
code,name,parent,level,flags,valid_to
U1,Công an tỉnh Một,,province,,
U2,Công an tỉnh Hai,,province,,
U3,Công an tỉnh Ba,,province,,
OLD,Công an huyện đã sáp nhập,U1,district,,2020-06-30
D1,Phòng có thủ tục hành chính,U1,department,tthc,
D2,Phòng không có thủ tục hành chính,U1,department,,
CSV
run chiso unit import units.csv
expect_exit 0
run chiso period add 2024
expect_exit 0

run chiso score import "$G/scores.csv" --period 2024 --framework golden --actor "Cán bộ tổng hợp"
expect_exit 0
expect_out "framework golden version 1: 12 added, 0 changed, 0 unchanged; 16 changes written to the audit log."

snapshot() {
	run chiso par compute --period 2024 --framework golden --format json
	cp "$OUT" results.json
	run chiso score history --period 2024 --format csv
	cp "$OUT" history.csv
}
snapshot
[ "$(wc -l <history.csv)" -eq 17 ] && pass "16 audit rows and a header" || fail "history has $(wc -l <history.csv) lines"
expect_out ",Cán bộ tổng hợp,golden,U1,A.1,self,,20,"
expect_out ",Cán bộ tổng hợp,golden,U1,A.1,appraised,,18,thiếu tài liệu kiểm chứng"
expect_out ",Cán bộ tổng hợp,golden,U1,A.2,self,,0.9,"

# The same file again: nothing changes, nothing is logged.
run chiso score import "$G/scores.csv" --period 2024 --framework golden
expect_exit 0
expect_out "0 added, 0 changed, 12 unchanged; 0 changes written to the audit log."
run chiso score history --period 2024 --format csv
expect_same "$OUT" history.csv "re-import writes no audit rows"

# Every bad file fails with its place and changes nothing.
unchanged() {
	run chiso par compute --period 2024 --framework golden --format json
	expect_same "$OUT" results.json "$1: results unchanged"
	run chiso score history --period 2024 --format csv
	expect_same "$OUT" history.csv "$1: no audit rows"
}
bad() {
	file=$1
	shift
	fw=golden
	case $file in ex-*) fw=example-small ;; esac
	run chiso score import "$file" --period 2024 --framework "$fw"
	expect_exit 1
	for text in "$@"; do
		expect_err "$text"
	done
	unchanged "$file"
}
h='unit,node,self,appraised,note,reason'
printf '%s\nU1,A.1,19,,,\nU9,A.1,10,,,\n' "$h" >unknown-unit.csv
bad unknown-unit.csv "unknown-unit.csv:3:1: unknown unit 'U9'; import it first with 'chiso unit import'"
printf '%s\nU1,A.9,10,,,\n' "$h" >unknown-node.csv
bad unknown-node.csv "unknown-node.csv:2:2: unknown node 'A.9' in framework 'golden' version '1'"
printf '%s\nU1,A,40,,,\n' "$h" >inner-node.csv
bad inner-node.csv "inner-node.csv:2:2: node 'A' is not a leaf: its points are the sum of its children (A.1, A.2); score those instead"
printf '%s\nU1,A.1,"20,5",,,\n' "$h" >above-max.csv
bad above-max.csv "above-max.csv:2:3: self score 20.5 of unit 'U1' node 'A.1' is above its maximum 20"
printf '%s\nU1,A.1,-1,,,\n' "$h" >negative.csv
bad negative.csv "negative.csv:2:3: self score -1 of unit 'U1' node 'A.1' is negative; expected 0 to 20"
printf '%s\nU1,A.1,"18,3",,,\n' "$h" >step.csv
bad step.csv "step.csv:2:3: self score of unit 'U1' node 'A.1' (rule manual): value 18.3 is not a multiple of step 0.25"
printf '%s\nU1,A.2,,"1,5",,quá\n' "$h" >rate.csv
bad rate.csv "rate.csv:2:4: appraised score of unit 'U1' node 'A.2' (rule ratio): value 1.5 is not"
printf '%s\nU1,A.1,mười,,,\n' "$h" >text.csv
bad text.csv "text.csv:2:3: self score 'mười' of unit 'U1' node 'A.1' is not a number; expected a number such as 8.5 or 8,5, 'na' for not applicable, or an empty cell for not yet"
printf '%s\nU1,A.1,19,,,\nU2,A.1,19,,,\nU1,A.1,18,,,\n' "$h" >duplicate.csv
bad duplicate.csv "duplicate.csv:4:1: duplicate row for unit 'U1' node 'A.1' (first at line 2)"
printf '%s\nU2,B.1,25,24,,\n' "$h" >no-reason.csv
bad no-reason.csv "no-reason.csv:2:4: the appraised score 24 of unit 'U2' node 'B.1' differs from the self-assessed score 25 and has no reason; give the council's reason in column 'reason'"
printf 'unit,node,appraised\nU2,B.1,24\n' >no-reason-column.csv
bad no-reason-column.csv "no-reason-column.csv:2:3: the appraised score 24"
printf 'unit,self\nU1,19\n' >missing-node.csv
bad missing-node.csv "missing-node.csv:1: missing column 'node'"
printf 'unit,node,note\nU1,A.1,x\n' >no-score-column.csv
bad no-score-column.csv "no-score-column.csv:1: missing column 'self' or 'appraised'"
printf 'unit,node,self,score\nU1,A.1,19,1\n' >unknown-column.csv
bad unknown-column.csv "unknown-column.csv:1:4: unknown column 'score'"
printf 'unit;node;self\nU1;A.1;19\n' >semicolon.csv
bad semicolon.csv "semicolon.csv:1: the header 'unit;node;self' is separated by ';'"
printf '%s\nU1,A.1,19\n' "$h" >short-row.csv
bad short-row.csv "short-row.csv:2: row has 3 fields; expected 6, one per header column"
printf '%s\nU1,A.1,19,,\377\376,\n' "$h" >bad-utf8.csv
bad bad-utf8.csv "bad-utf8.csv:2:5: invalid UTF-8 in column 'note' at byte 1 of the field"
: >empty.csv
bad empty.csv "empty.csv:1: empty file"
printf '%s\nOLD,A.1,19,,,\n' "$h" >closed-unit.csv
bad closed-unit.csv "closed-unit.csv:2:1: unit 'OLD' does not exist during the period 2024-01-01 to 2024-12-31"
# example-small: a survey leaf, a node that applies only to units with
# administrative procedures, and a bonus with its cap.
printf '%s\nD1,B.3,10,,,\n' "$h" >ex-survey.csv
bad ex-survey.csv "ex-survey.csv:2:2: node 'B.3' takes its points from survey results (source survey); they are not imported as scores"
printf '%s\nD2,B.1,1,,,\n' "$h" >ex-applies.csv
bad ex-applies.csv "ex-applies.csv:2:2: node 'B.1' does not apply to unit 'D2' (level department, flags '')"
printf '%s\nD1,X,3,,,\n' "$h" >ex-bonus.csv
bad ex-bonus.csv "ex-bonus.csv:2:3: self score 3 of unit 'D1' node 'X' is above its bonus cap 2"
printf '%s\nD1,Y,6,,,\n' "$h" >ex-penalty.csv
bad ex-penalty.csv "ex-penalty.csv:2:3: self score 6 of unit 'D1' node 'Y' is above its penalty cap 5"
printf '%s\nD1,A.1,2,,,\n' "$h" >ex-yesno.csv
bad ex-yesno.csv "ex-yesno.csv:2:3: self score of unit 'D1' node 'A.1' (rule yesno): value 2 is not 0 (no) or 1 (yes)"

# A workbook that is not a score table: its header is named.
run chiso par compute --period 2024 --framework golden --format xlsx -o results.xlsx
expect_exit 0
bad results.xlsx "results.xlsx:1:1 (cell A1): unknown column 'Rank'"

run chiso score import "$G/scores.csv" --period 2099 --framework golden
expect_exit 1
expect_err "no period '2099'; add it with 'chiso period add 2099'"
run chiso score import "$G/scores.csv" --period 2024 --framework nosuch
expect_exit 1
expect_err "nosuch"
run chiso score import "$G/scores.csv" --period 2024
expect_exit 2
expect_err "--period and --framework are required"
run chiso score import --period 2024 --framework golden
expect_exit 2
run chiso score import nosuch.csv --period 2024 --framework golden
expect_exit 1
expect_err "cannot open 'nosuch.csv'"

# Scores belong to one version of the framework per period.
sed 's/"version": "1"/"version": "2"/' "$G/framework.json" >framework-v2.json
run chiso framework import framework-v2.json
expect_exit 0
run chiso score import "$G/scores.csv" --period 2024 --framework golden --version 2
expect_exit 1
expect_err "period '2024' already has scores entered against framework 'golden' version '1', not version '2'; import with --version 1"
unchanged version-2

# --dry-run checks and writes nothing.
printf 'unit,node,appraised,reason\nU2,B.1,24,thiếu biên bản\n' >council.csv
run chiso score import council.csv --period 2024 --framework golden --dry-run
expect_exit 0
expect_out "Checked (nothing written) council.csv: 1 valid rows"
unchanged dry-run

# A council file: only the appraised score and its reason change; the self
# score stays (its column is absent).
run chiso score import council.csv --period 2024 --framework golden --actor "Hội đồng"
expect_exit 0
expect_out "0 added, 1 changed, 0 unchanged; 2 changes written to the audit log."
run chiso score history --period 2024 --unit U2 --node B.1 --format csv
expect_exit 0
expect_line 1 "at,actor,framework,unit,node,field,old,new,reason"
expect_out ",Cán bộ tổng hợp,golden,U2,B.1,self,,25,"
expect_out ",Hội đồng,golden,U2,B.1,appraised,,24,thiếu biên bản"
expect_out ",Hội đồng,golden,U2,B.1,reason,,thiếu biên bản,"
[ "$(wc -l <"$OUT")" -eq 4 ] && pass "history filtered by unit and node" || fail "history filter"
run chiso par compute --period 2024 --framework golden --format csv
expect_out "U2,Công an tỉnh Hai,,province,complete,99,100,99,A,1,3"

# An empty cell in a present column clears the value (not yet); na marks
# not applicable; both are logged with their old values.
printf 'unit,node,self\nU3,A.1,\nU3,B.1,na\n' >clear.csv
run chiso score import clear.csv --period 2024 --framework golden
expect_exit 0
expect_out "0 added, 2 changed, 0 unchanged; 2 changes written"
run chiso score history --period 2024 --unit U3 --format json
expect_exit 0
expect_out '"old": "15"'
expect_out '"new": "na"'
run chiso par compute --period 2024 --framework golden --format csv
expect_out "U3,Công an tỉnh Ba,,province,incomplete,,75,,,,,,,,A.1,"

run chiso score history --period 2024 --unit U3
expect_exit 0
expect_out "U3    B.1   self   20   na"
run chiso score history --period 2024 --node Z.9
expect_exit 0
expect_out "No score changes in period 2024 yet."
run chiso score history
expect_exit 2

finish
