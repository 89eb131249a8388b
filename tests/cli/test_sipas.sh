# chiso survey wave, response import and sipas compute|weak|rank end to end
# (METHODOLOGY M3.2-M3.7): the SIPAS 2017 questionnaire from data/, a small
# unit tree, two waves, imports that succeed and imports that must write
# nothing, and every output format.
. "$(dirname "$0")/lib.sh"

cat >units.csv <<'EOF'
code,name,parent,level
P,Công an tỉnh P,,province
D1,Công an huyện D1,P,district
D2,Công an huyện D2,P,district
C11,Công an xã C11,D1,commune
C12,Công an xã C12,D1,commune
C21,Công an xã C21,D2,commune
EOF

# responses FIRST COUNT SHIFT: deterministic respondents of the 22-item form,
# spread over the units and two strata, with weights.
responses() {
	awk -v first="$1" -v count="$2" -v shift="$3" 'BEGIN {
		split("P D1 D2 C11 C12 C21", u, " ")
		printf "id,unit,submitted_at,channel,weight,stratum"
		for (e = 1; e <= 5; e++) {
			n = e == 1 ? 4 : e == 2 ? 5 : e == 3 ? 6 : e == 4 ? 3 : 4
			for (k = 1; k <= n; k++)
				printf ",E%d.%d", e, k
		}
		printf ",general,expectation,kind,service\n"
		for (i = first; i < first + count; i++) {
			unit = u[i % 6 + 1]
			printf "R%04d,%s,2024-03-%02d,%s,%.2f,S%d", i, unit, i % 28 + 1,
			       i % 3 ? "paper" : "online", 1 + (i % 4) * 0.5, i % 2 + 1
			for (k = 1; k <= 22; k++) {
				v = (i * 7 + k * 3 + shift) % 5 + 1
				if (unit == "C11" && k % 2) v = v > 2 ? v - 2 : v
				printf ",%s", (i + k) % 13 ? v : ""
			}
			printf ",%d,%s,%s,%s\n", (i + shift) % 5 + 1, i % 4 ? "e2_time;e3_attitude" : "e4_ontime",
			       i % 5 ? "citizen" : "organisation", i % 2 ? "cu_tru" : "can_cuoc"
		}
	}'
}

run chiso init
expect_exit 0
run chiso unit import units.csv
expect_exit 0
run chiso period add 2023
run chiso period add 2024
expect_exit 0
run chiso survey import "$SRC/data/questionnaires/sipas-2017.json"
expect_exit 0

run chiso survey wave add W24 --questionnaire sipas-2017 --period 2024 --title "Đợt 2024"
expect_exit 0
expect_out "Added survey wave W24: questionnaire sipas-2017 version 2017, period 2024."
run chiso survey wave add W23 --questionnaire sipas-2017@2017 --period 2023
expect_exit 0
run chiso survey wave add W24 --questionnaire sipas-2017 --period 2024
expect_exit 1
expect_err "survey wave 'W24' already exists"
run chiso survey wave add W25 --questionnaire nope --period 2024
expect_exit 1
expect_err "questionnaire 'nope'"
run chiso survey wave add W25 --questionnaire sipas-2017 --period 2099
expect_exit 1
expect_err "no period '2099'"
run chiso survey wave add W25 --questionnaire sipas-2017
expect_exit 2

responses 1 240 0 >w24.csv
responses 1000 180 2 >w23.csv

run chiso response import w24.csv --wave W24 --dry-run
expect_exit 0
expect_out "Checked w24.csv: 240 responses, no problems (nothing written)."
run chiso survey wave list --format csv
expect_line 3 "W24,sipas-2017,2017,2024,Đợt 2024,0"

run chiso response import w24.csv --wave W24
expect_exit 0
expect_out "Imported 240 responses from w24.csv into wave W24"
run chiso response import w23.csv --wave W23
expect_exit 0
run chiso survey wave list --format csv
expect_line 2 "W23,sipas-2017,2017,2023,,180"
expect_line 3 "W24,sipas-2017,2017,2024,Đợt 2024,240"

# The same file again: every id is a duplicate of a stored response.
run chiso response import w24.csv --wave W24
expect_exit 1
expect_err "w24.csv:2:1: duplicate id 'R0001': first given at w24.csv:2, already stored for this wave"
expect_err "240 problems in 240 rows; nothing was written"

# Every kind of problem names file:line:col; nothing is written.
awk -F, -v OFS=, '
NR == 1 { print $0 ",zz"; next }
NR == 2 { $1 = "X1"; $2 = "NOPE" }
NR == 3 { $1 = "X2"; $5 = "0" }
NR == 4 { $1 = "X3"; $31 = "" }
NR == 5 { $1 = "X4"; $7 = "7" }
NR == 6 || NR == 7 { $1 = "X5" }
NR > 7 { exit }
{ print $0 "," }' w24.csv >bad.csv
run chiso response import bad.csv --wave W24
expect_exit 1
expect_err "bad.csv:1:33: unknown column 'zz'"
expect_err "bad.csv:2:2: unknown unit 'NOPE'"
expect_err "bad.csv:3:5: weight '0': expected a number greater than 0"
expect_err "bad.csv:4:31: item 'kind': missing answer to a required item"
expect_err "bad.csv:5:7: item 'E1.1': '7' is not a level of the scale"
expect_err "bad.csv:7:1: duplicate id 'X5': first given at bad.csv:6"
expect_err "nothing was written"
run chiso survey wave list --format csv
expect_line 3 "W24,sipas-2017,2017,2024,Đợt 2024,240"

# Duplicates inside one file are found too.
{ cat w23.csv; sed -n 2p w23.csv; } >dup.csv
run chiso survey wave add W0 --questionnaire sipas-2017 --period 2024
run chiso response import dup.csv --wave W0
expect_exit 1
expect_err "dup.csv:182:1: duplicate id 'R1000': first given at dup.csv:2"

# JSON lines.
cat >r.jsonl <<'EOF'
{"id": "J1", "unit": "C21", "E1.1": 5, "E1.2": "4", "kind": "citizen", "expectation": ["e1_info", "e3_attitude"]}
{"id": "J2", "unit": "C21", "E1.1": 2, "kind": "organisation", "general": 4}
EOF
run chiso response import r.jsonl --wave W0
expect_exit 0
expect_out "Imported 2 responses"
run chiso response import bad.txt --wave W0
expect_exit 2
expect_err "expected a .csv, .xlsx or .jsonl file"
run chiso response import w24.csv
expect_exit 2
run chiso response import w24.csv --wave NOPE
expect_exit 1
expect_err "no survey wave 'NOPE'"

# Results as JSON: the documented keys, and the change since W23.
run chiso sipas compute --wave W24 --format json
expect_exit 0
cp "$OUT" w24.json
expect_out '"format": "chiso-sipas-results"'
expect_out '"previous_wave": "W23"'
expect_out '"domain": {'
expect_out '"by": "unit"'
expect_out '"code": "D1"'
expect_out '"mean_of_elements": {'
expect_out '"pooled": {'
expect_out '"general": {'
expect_out '"elements": ['
expect_out '"items": ['
expect_out '"satisfied": '
expect_out '"deff": '
expect_out '"flags": ['
expect_out '"change": {'
expect_out '"weighted": true'
if grep -q '"n": 240,' w24.json && grep -q '"respondents": 240' w24.json; then
	pass "the whole sample has 240 respondents"
else
	fail "the whole sample has 240 respondents"
fi
# D1 pools D1, C11 and C12: 40 + 40 + 40 respondents (M3.4).
if awk '/"code": "D1"/ { found = 1 } found && /"n": / { print; exit }' w24.json | grep -q '"n": 120,'; then
	pass "D1 pools its subtree"
else
	fail "D1 pools its subtree"
fi

run chiso sipas compute --wave W24 --format json --no-previous
expect_exit 0
expect_out '"previous_wave": null'
expect_no_out '"change"'

run chiso sipas compute --wave W24 --format csv
expect_exit 0
expect_line 1 "by,code,name,measure,measure_code,level,n,satisfied,index,se,ci_lo,ci_hi,deff,df,flags,change,change_lo,change_hi,significant"
expect_out "all,all,Toàn bộ,overall.mean_of_elements,,,240,"
expect_out ",item,E1.1,"

run chiso sipas compute --wave W24 --by level --unit D1
expect_exit 0
expect_out "Survey wave W24, period 2024, questionnaire sipas-2017 version 2017"
expect_out "district"
expect_out "commune"
expect_no_out "province"

run chiso --lang vi sipas compute --wave W24 --by channel
expect_exit 0
expect_out "Đợt khảo sát W24"
expect_out "online"
expect_out "paper"
if grep -q '[0-9],[0-9][0-9] ' "$OUT"; then pass "decimal comma in Vietnamese"; else fail "decimal comma in Vietnamese"; fi

run chiso sipas compute --wave W24 --format xlsx -o out.xlsx
expect_exit 0
expect_out "Wrote out.xlsx."
if [ "$(head -c 2 out.xlsx)" = "PK" ]; then pass "out.xlsx is a zip"; else fail "out.xlsx is a zip"; fi
run chiso sipas compute --wave W24 --format xlsx
expect_exit 2
expect_err "--format xlsx needs -o FILE"
run chiso sipas compute --wave W24 --by province
expect_exit 2
run chiso sipas compute --wave W24 --unit NOPE
expect_exit 1
expect_err "--unit 'NOPE': no such unit"
run chiso sipas compute
expect_exit 2
run chiso sipas nope --wave W24
expect_exit 2

run chiso sipas weak --wave W24
expect_exit 0
expect_out "Fix first"
expect_out "Expectations:"
run chiso sipas weak --wave W24 --format json
expect_exit 0
expect_out '"fix_first": ['
expect_out '"format": "chiso-sipas-weak"'

run chiso sipas rank --wave W24 --bootstrap 200 --seed 5 --format csv
expect_exit 0
cp "$OUT" rank1.csv
expect_out "1,2"
run chiso sipas rank --wave W24 --bootstrap 200 --seed 5 --format csv
expect_same rank1.csv "$OUT" "the same seed gives the same rank intervals"
run chiso sipas rank --wave W24 --format json
expect_exit 0
expect_out '"rank_interval": ['
expect_out '"position": "1/2"'
run chiso sipas rank --wave W24
expect_exit 0
expect_out "Rank interval"
run chiso sipas rank --wave W24 --bootstrap -1
expect_exit 2

# M2.2: framework leaves of source survey take the unit's SIPAS index of the
# period's wave through their rule (linear 0-100 onto 40 points here).
cat >fw.json <<'EOF'
{
  "format": "chiso-par-framework",
  "format_version": 1,
  "code": "fw-sipas",
  "version": "1",
  "title": "Khung thử",
  "nodes": [
    {"code": "A", "title": "Tự đánh giá", "max_points": 60, "source": "self", "rule": "manual", "params": {"step": 1}},
    {"code": "S", "title": "Chỉ số SIPAS", "max_points": 40, "source": "survey", "rule": "linear", "params": {"lo": 0, "hi": 100}}
  ]
}
EOF
run chiso framework import fw.json
expect_exit 0
printf 'unit,node,self\nD1,A,50\nD2,A,40\n' >scores.csv
run chiso score import scores.csv --period 2024 --framework fw-sipas
expect_exit 0
run chiso sipas compute --wave W24 --format csv --no-previous
d1=$(awk -F, '$1 == "unit" && $2 == "D1" && $4 == "overall.mean_of_elements" { print $9 }' "$OUT")
want=$(awk -v x="$d1" 'BEGIN { s = sprintf("%.2f", 0.4 * x); sub(/0+$/, "", s); sub(/\.$/, "", s); print s }')
run chiso par compute --period 2024 --framework fw-sipas --format json
expect_exit 0
if grep -q "\"code\": \"S\", .*\"state\": \"scored\", \"points\": $want," "$OUT"; then
	pass "survey leaf S of D1 scored $want points from index $d1"
else
	fail "survey leaf S of D1 scored $want points from index $d1"
	grep '"code": "S"' "$OUT" | head -n 3 | sed 's/^/# /'
fi

finish
