# chiso demo: the seeded demonstration dataset is generated, loaded, moved
# through the workflow, published and summed up in one command; the same seed
# gives byte-identical files; a database that is not a demo, or a failing
# step, stops it with exit 1 and says why. Runs with --small (docs/demo.md).
. "$(dirname "$0")/lib.sh"
D=$SRC/data

# The value of `"key": value` on the first line after the line matching
# `after` in a JSON file written one member per line (chiso's JSON output).
json_after() {
	awk -v after="$2" -v key="\"$3\": " '
		index($0, after) { found = 1 }
		found && index($0, key) {
			sub(".*" key, ""); sub(/,$/, ""); print; exit
		}' "$1"
}

# A database with real work in it is not replaced without --force.
run chiso init --db work.db
expect_exit 0
run chiso unit import --db work.db "$D/examples/units-bac-ninh.csv"
expect_exit 0
run chiso demo --db work.db --out o1 --data "$D" --small
expect_exit 1
expect_err "chiso: error: demo: 'work.db' is a chiso database with data (49 units, 0 frameworks), not a demo database; give --force to replace it, or choose another --db"
[ ! -e o1 ] && pass "nothing written when refused" || fail "o1 was created"

# So is a file that is not a chiso database, and it is left as it was.
echo "not a database" >foreign.db
run chiso demo --db foreign.db --out o1 --data "$D" --small
expect_exit 1
expect_err "chiso: error: demo: 'foreign.db' exists and cannot be read as a chiso database"
[ "$(cat foreign.db)" = "not a database" ] && pass "foreign.db untouched" || fail "foreign.db changed"

# Usage errors.
run chiso demo --seed x
expect_exit 2
expect_err "chiso: error: --seed 'x': expected a whole number from 0 to 4294967295"
run chiso demo --bogus
expect_exit 2
run chiso demo --db demo.db --data "$T/nowhere"
expect_exit 1
expect_err "chiso: error: demo: the demo's data files are not found ($T/nowhere/frameworks/demo-police-unit-2020.json)"

# The whole job, in Vietnamese.
run chiso --lang vi demo --db demo1.db --out o1 --data "$D" --small
expect_exit 0
cp "$OUT" summary-vi.txt
expect_out "Kết quả năm 2020 của Công an tỉnh Bắc Ninh (dữ liệu minh họa, hạt giống 2020):"
expect_out "  Xếp hạng Chỉ số CCHC trong 63 Công an tỉnh, thành phố: 26/63 ("
expect_out "  Chỉ số CCHC trung bình của 42 đơn vị thuộc Công an tỉnh: 91,45%"
expect_out "  Mức độ hài lòng chung (SIPAS 2020): "
expect_out "  Ba tiêu chí có tỷ lệ hài lòng thấp nhất:"
expect_out "    1. E5."
expect_out "  Báo cáo: o1/report-2020.html, o1/report-2020.xlsx"
for f in units.csv responses-2019.csv responses-2020.csv \
	scores-2019-unit-self.csv scores-2019-unit-appraisal.csv \
	scores-2019-province-self.csv scores-2019-province-appraisal.csv \
	scores-2020-unit-self.csv scores-2020-unit-appraisal.csv \
	scores-2020-province-self.csv scores-2020-province-appraisal.csv; do
	[ -s "o1/data/$f" ] && pass "o1/data/$f written" || fail "o1/data/$f missing"
done
for f in demo.log par-2020-unit.json par-2020-province.json sipas-2020.json \
	report-2020.html report-2020.xlsx; do
	[ -s "o1/$f" ] && pass "o1/$f written" || fail "o1/$f missing"
done
grep -q '^\$ chiso --db demo1.db par publish --period 2020 --framework demo-police-unit' o1/demo.log &&
	pass "the log lists the commands run" || fail "the log lacks the publication"
grep -q '^\$ chiso --db demo1.db par public --period 2020' o1/demo.log &&
	pass "the demo marks 2020 public" || fail "the log lacks par public"
if command -v sqlite3 >/dev/null 2>&1; then
	got=$(sqlite3 demo1.db "select group_concat(p.code, ',') from public_period pp join period p on p.id = pp.period_id order by p.code")
	[ "$got" = "2019,2020" ] && pass "both years are on the public dashboard" ||
		fail "public periods are '$got', expected 2019,2020"
fi

# The summary's figures are those of `chiso par compute --format json`.
rank=$(json_after o1/par-2020-province.json '"code": "CA-BNI"' rank)
of=$(json_after o1/par-2020-province.json '"code": "CA-BNI"' ranked_of)
mean=$(json_after o1/par-2020-unit.json '"group": "all"' mean | tr . ,)
[ "$rank/$of" = 26/63 ] && pass "CA-BNI ranks 26/63 in the JSON" || fail "CA-BNI is $rank/$of"
grep -qF "thuộc Công an tỉnh: $mean%" summary-vi.txt && pass "the average is the JSON's $mean" ||
	fail "the average $mean is not in the summary"
[ "$(grep -c '^BNI-HGB-NT,' o1/data/responses-2020.csv)" -lt 30 ] &&
	pass "the planted commune has fewer than 30 respondents" || fail "the planted commune is not small"

# The workflow ran: both years published, an explanation round, reasons.
run chiso --db demo1.db par status --period 2020 --framework demo-police-unit --format csv
expect_out "BNI-HLT,published"
run chiso --db demo1.db par show-published --period 2019 --framework demo-police-province
expect_exit 0
expect_out '"code": "CA-BNI"'
run chiso --db demo1.db score history --period 2020 --framework demo-police-unit --unit BNI-HLT --format csv
expect_out ",state,appraised,explanation_requested,Đề nghị giải trình tiêu chí 3.2"
run chiso --db demo1.db score history --period 2019 --framework demo-police-unit --format csv
expect_out "Chưa có tài liệu kiểm chứng đầy đủ"
run chiso --db demo1.db par compute --period 2020 --framework demo-police-unit --format csv
awk -F, '$1 == "BNI-PA05" && $5 == "complete" && $10 == "" { ok = 1 } END { exit !ok }' "$OUT" &&
	pass "the unit flagged unranked has a result and no rank" || fail "BNI-PA05 is ranked or incomplete"
run chiso --db demo1.db sipas compute --wave sipas-2020 --unit BNI-HGB-NT --format csv
expect_out "small_n"

# With --force the database above is replaced; in English; same seed, same bytes.
run chiso demo --db work.db --force --out o2 --data "$D" --small
expect_exit 0
expect_out "Results of 2020 for Công an tỉnh Bắc Ninh (demonstration data, seed 2020):"
expect_out "  PAR index position among 63 provincial forces: 26/63 ("
expect_out "  Average PAR index of the force's 42 units: 91.45%"
same=0
for f in o1/data/*.csv; do
	cmp -s "$f" "o2/data/${f##*/}" || same=1
done
[ "$same" -eq 0 ] && pass "the same seed gives byte-identical CSV files" || fail "the CSV files differ"
cmp -s o1/par-2020-province.json o2/par-2020-province.json &&
	pass "the same seed gives the same PAR results" || fail "the PAR results differ"

# A failing step stops the demo and is named; another seed gives other data.
mkdir -p bad
cp -R "$D/frameworks" "$D/questionnaires" "$D/examples" bad/
echo "BNI-X,Công an xã X,BNI-NOPE,commune,tthc,,," >>bad/examples/units-bac-ninh.csv
run chiso demo --db bad.db --out o3 --data bad --small --seed 7
expect_exit 1
expect_err "chiso: error: o3/data/units.csv:"
expect_err "unknown parent 'BNI-NOPE' of unit 'BNI-X'"
expect_err "chiso: error: demo: step 5 failed (import the units): 'chiso --db bad.db unit import o3/data/units.csv' exited with 1; the commands and their output are in o3/demo.log"
cmp -s o1/data/scores-2020-unit-self.csv o3/data/scores-2020-unit-self.csv &&
	fail "seed 7 gives the scores of seed 2020" || pass "another seed gives other scores"

finish
