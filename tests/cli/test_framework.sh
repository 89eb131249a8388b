# chiso framework import|list|show|validate|export: shipped frameworks
# validate, imports are all-or-nothing and print every problem, re-imports are
# idempotent per version, exports round-trip to the same sha256.
. "$(dirname "$0")/lib.sh"
D=$SRC/data/frameworks
G=$SRC/tests/golden/frameworks

run chiso init
expect_exit 0

# Every shipped framework validates; templates say so.
for f in "$D"/*.json; do
	run chiso framework validate "$f"
	expect_exit 0
	expect_out ": valid: framework '"
done
run chiso framework validate "$D/moha-province-2017.json"
expect_out "16 nodes, total maximum 100, 4 bands."
expect_out "Note: this framework is a template"
run chiso framework validate "$D/police-unit-template.json"
expect_out "total maximum 85.5, 5 bands."

run chiso framework list
expect_exit 0
expect_out "No frameworks yet"

run chiso framework import "$D/example-small.json"
expect_exit 0
expect_out "Imported framework 'example-small' version '2024': 13 nodes, total maximum 100, sha256 "
run chiso framework import "$D/example-small.json"
expect_exit 0
expect_out "is already stored with the same content"
expect_out "unchanged"

run chiso framework import "$D/moha-province-2017.json"
expect_exit 0
expect_out "Note: this framework is a template"

run chiso framework list --format csv
expect_exit 0
expect_line 1 "code,version,title,decision,nodes,total_max,template,imported_at,sha256"
expect_out "example-small,2024,Bộ tiêu chí mẫu nhỏ để thử và trình diễn,"
expect_out ",13,100,no,"
expect_out "moha-province-2017,2017-template,"
expect_out ",16,100,yes,"
cp "$OUT" list-before.csv

# A file with problems: every problem printed, exit 1, nothing stored.
run chiso framework import "$G/many-problems.json"
expect_exit 1
expect_err "many-problems.json: node 'A.2': unknown source 'selff'"
expect_err "many-problems.json: node 'B.1': negative maximum -2"
expect_err "many-problems.json: node 'A.1': unknown rule 'manul'"
expect_err "many-problems.json: node 'A.3': rule 'threshold' needs parameter 't'"
expect_err "many-problems.json: node 'A.4': rule 'steps' needs parameter 'points'"
expect_err "many-problems.json: bands: gap between band 'B' (up to 85) and band 'A' (from 90)"
expect_err "6 problems; nothing was stored."
run chiso framework list --format csv
expect_same "$OUT" list-before.csv "a failed import stores nothing"

run chiso framework import "$G/syntax.json"
expect_exit 1
expect_err "syntax.json:4:9: invalid JSON: '}' expected near '\"nodes\"'"

# The same code and version with other content is refused.
sed 's/"max_points": 2, "source": "bonus"/"max_points": 3, "source": "bonus"/' \
	"$D/example-small.json" >changed.json
run chiso framework import changed.json
expect_exit 1
expect_err "framework 'example-small' version '2024' is already stored with other content"
expect_err "give the changed framework a new version"
sed 's/"version": "2024"/"version": "2025"/' changed.json >changed-2025.json
run chiso framework import changed-2025.json
expect_exit 0
expect_out "Imported framework 'example-small' version '2025'"
run chiso framework show example-small
expect_out "Version: 2025"
run chiso framework show example-small --version 2024
expect_out "Version: 2024"

# Export round-trips: the same bytes, and importing them again changes nothing.
run chiso framework export example-small --version 2024 -o exported.json
expect_exit 0
expect_same exported.json "$D/example-small.json" "export gives the canonical file back"
run chiso framework import exported.json
expect_exit 0
expect_out "unchanged"
run chiso framework show example-small --version 2024 --format json
expect_same "$OUT" "$D/example-small.json" "show --format json prints the stored body"

# The table form: export, import under another code, export again.
run chiso framework export example-small --version 2024 --format csv -o table.csv
expect_exit 0
run sed -n 1p table.csv
expect_line 1 "code,parent,title,max_points,source,rule,params,applies_to"
run chiso framework import table.csv --code bang --title "Bảng" --bands police
expect_exit 0
expect_out "Imported framework 'bang' version '1': 13 nodes, total maximum 100"
run chiso framework export bang --format csv
expect_same "$OUT" table.csv "a table imported and exported again is the same table"
run chiso framework import table.csv --code bang --title "Bảng" --bands police
expect_out "unchanged"
run chiso framework import table.csv
expect_exit 2
expect_err "a CSV/XLSX table needs --code CODE"
run chiso framework import table.csv --code bang2 --bands gold
expect_exit 2
expect_err "--bands: no band set 'gold' (expected moha or police)"

# XLSX: the sheet called "framework", a comma decimal in a text cell.
run chiso framework import "$G/good.xlsx" --code tu-excel --bands moha
expect_exit 0
expect_out "Imported framework 'tu-excel' version '1': 5 nodes, total maximum 23"
run chiso --lang vi framework show tu-excel
expect_exit 0
expect_out "4,5"
expect_out "Nhóm A"

# Show: the tree, in Vietnamese with decimal commas, in English with points.
run chiso --lang vi framework show moha-province-2017
expect_exit 0
expect_out "Khung chỉ số: moha-province-2017"
expect_out "Trạng thái: khung mẫu"
expect_out "Cải cách thủ tục hành chính"
expect_out "14,5"
expect_out "15,5"
expect_out "tự chấm"
run chiso framework show moha-province-2017
expect_out "14.5"
expect_out "  3.0  "
run chiso framework show example-small --version 2024
expect_out "threshold t=0.8"
expect_out "flags=tthc"
expect_out "  XS   95 – 100  Excellent"

# Validate a stored framework, or a file; table messages name the line.
run chiso framework validate example-small
expect_exit 0
expect_out "example-small: valid"
run chiso framework validate nope
expect_exit 1
expect_err "no framework 'nope' is stored"
run sh -c "cd '$G' && '$CHISO' --db '$T/chiso.db' framework validate many-problems.csv --code t"
expect_exit 1
while IFS= read -r line; do
	expect_err "chiso: error: $line"
done <"$G/many-problems.csv.err"
expect_err "many-problems.csv: 5 problems."
run sh -c "cd '$G' && '$CHISO' --db '$T/chiso.db' framework validate bad-max.csv"
expect_exit 1
expect_err "chiso: error: $(cat "$G/bad-max.csv.err")"

# Usage mistakes.
run chiso framework import "$D/example-small.json" --title X
expect_exit 2
run chiso framework import "$D/example-small.json" --code other
expect_exit 2
expect_err "--code: the file $D/example-small.json says code 'example-small' version '2024'"
run chiso framework import notes.txt
expect_exit 2
run chiso framework frobnicate
expect_exit 2
run chiso framework show
expect_exit 2
run chiso framework export example-small --format xml
expect_exit 2
run chiso help framework
expect_exit 0
expect_out "chiso framework import FILE"

# Nothing of the failed imports reached the database.
run chiso framework list --format csv
expect_exit 0
expect_no_out "t,1,"
expect_no_out "bang2"

finish
