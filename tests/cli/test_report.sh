# chiso report: the yearly report end to end, as HTML and XLSX, on the
# edge-case database of tests/data/report (a unit without responses, a year
# without a previous one, PAR without a survey and a survey without PAR,
# names that need escaping) and on the demo data; its figures against `chiso
# par compute`; usage and data errors. The browser test
# (tests/browser/report.test.mjs) checks the rendered page.
. "$(dirname "$0")/lib.sh"

sh "$SRC/tests/data/report/make-db.sh" "$CHISO" "$SRC" "$T/r.db" >"$OUT" 2>"$ERR" || RC=$?
LAST="make-db.sh"
expect_exit 0
export CHISO_DB="$T/r.db"

# ---- Usage and data errors ----
run chiso report
expect_exit 2
expect_err "--period is required"
run chiso report --period 2020 --format pdf
expect_exit 2
expect_err "--format 'pdf': expected html or xlsx"
run chiso report --period 2020 --lonely sometimes
expect_exit 2
expect_err "--lonely 'sometimes'"
run chiso report --period 2099
expect_exit 1
expect_err "no period '2099'"
run chiso report --period 2020 --unit NOPE
expect_exit 1
expect_err "unit 'NOPE': no such unit"
run chiso period add 2022
run chiso report --period 2022
expect_exit 1
expect_err "period '2022' has no PAR scores and no survey responses; nothing to report"
run chiso report --period 2020 -o "$T/no/such/dir/r.html"
expect_exit 1
expect_err "cannot create '$T/no/such/dir/r.html'"
run chiso report --period 2020 --format xlsx -o "$T/no/such/dir/r.xlsx"
expect_exit 1
expect_err "cannot write the workbook '$T/no/such/dir/r.xlsx'"

# ---- The default output and the summary ----
run chiso --lang vi report --period 2020
expect_exit 0
expect_out "Đã ghi báo cáo kỳ 2020 của Công an tỉnh A&B <Thử> (P) vào out/report-2020.html."
if [ -s out/report-2020.html ]; then pass "out/report-2020.html written"; else fail "no out/report-2020.html"; fi
cp out/report-2020.html r2020.html

# The average index of the force's units (all but P) from par compute's CSV.
run chiso par compute --period 2020 --format csv
mean=$(awk -F, 'NR > 1 && $1 != "P" && $5 == "complete" { s += $8; n++ }
	END { if (n) printf "%.2f%%", s / n }' "$OUT" | tr . ,)
run cat r2020.html
expect_out "<span class=\"label\">Chỉ số trung bình của các đơn vị</span><span class=\"value\" data-value=\"$(echo "$mean" | tr , . | tr -d %)\">$mean</span>"
expect_out '<h2>1. Tóm tắt</h2>'
expect_out '<h2>7. Phương pháp, tùy chọn và cỡ mẫu</h2>'
expect_out '<html lang="vi">'
# P's own index and band, not a position among its own units.
expect_out 'data-kpi="index"'
expect_no_out 'data-kpi="position"'

# Escaping: the name "Công an tỉnh A&B <Thử>" and "Công an huyện "Một"".
expect_out 'Công an tỉnh A&amp;B &lt;Thử&gt;'
expect_out 'Công an huyện &quot;Một&quot;'
expect_out '@top-left{content:"Công an tỉnh A&B \3c Thử\3e "'
expect_no_out '<Thử>'

# Self-contained: no script, no external resource.
expect_no_out '<script'
expect_no_out 'src="http'
expect_no_out 'href="http'
expect_no_out '<link'
expect_out '<svg class="chart"'
expect_out '@media print'

# A unit without responses is "chưa có phản hồi", never 0%.
awk '/<table class="t-units">/,/<\/table>/' r2020.html | grep -F 'data-code="C22"' >c22.txt
run cat c22.txt
expect_out 'chưa có phản hồi'
expect_no_out '0,00%'

# The same data give the same bytes.
run chiso --lang vi report --period 2020 -o again.html
expect_exit 0
expect_same r2020.html again.html "the report is reproducible byte for byte"

# ---- Edge cases ----
run chiso --lang vi report --period 2019 -o r2019.html
expect_exit 0
run cat r2019.html
expect_out 'Không có kỳ trước để so sánh: các cột thay đổi để trống (—).'
awk '/<table class="t-change">/,/<\/table>/' r2019.html | grep -c '<td class="num"><span class="none">—</span></td><td class="num">' >n.txt
run cat n.txt
expect_out '7'
run chiso --lang vi report --period 2021 -o r2021.html
expect_exit 0
run cat r2021.html
expect_out 'Kỳ này chưa có đợt khảo sát nào có phản hồi.'
expect_out 'data-kpi="satisfaction"><span class="label">Chỉ số hài lòng chung</span><span class="value" data-value="">chưa có phản hồi</span>'
run chiso --lang vi report --period 2018 -o r2018.html
expect_exit 0
run cat r2018.html
expect_out 'Kỳ này chưa có điểm Chỉ số CCHC.'
expect_out 'data-kpi="mean"><span class="label">Chỉ số trung bình của các đơn vị</span><span class="value" data-value="">chưa có kết quả</span>'
expect_out 'data-kpi="satisfaction"'

# A unit chosen with --unit: D2 and its two communes.
run chiso --lang vi report --period 2020 --unit D2 -o d2.html
expect_exit 0
expect_out "Công an huyện Hai (D2)"
run cat d2.html
expect_out 'data-code="C21"'
expect_no_out 'data-code="C11"'

# ---- English ----
run chiso --lang en report --period 2020 -o en.html
expect_exit 0
run cat en.html
expect_out '<html lang="en">'
expect_out '<h2>1. Summary</h2>'
expect_out "$(echo "$mean" | tr , .)"
expect_out 'no responses'

# ---- XLSX ----
run chiso report --period 2020 --format xlsx
expect_exit 0
expect_out 'out/report-2020.xlsx'
if [ "$(head -c 2 out/report-2020.xlsx)" = PK ]; then pass "a zip (XLSX) file"; else fail "not an XLSX file"; fi
for y in 2018 2019 2021; do
	run chiso --lang en report --period $y --format xlsx -o r$y.xlsx
	expect_exit 0
done

# ---- The demo data ----
demo_db="$T/demo.db"
run chiso demo --small --db "$demo_db" --out "$T/demo-out" --data "$SRC/data"
expect_exit 0
run chiso --db "$demo_db" --lang vi report --period 2020 -o demo.html
expect_exit 0
expect_out "Công an tỉnh Bắc Ninh (CA-BNI)"
run chiso --db "$demo_db" report --period 2020 --format xlsx -o demo.xlsx
expect_exit 0
# The force's position among the 63 forces, as par compute gives it.
pos=""
for fw in $(grep -o 'data-framework="[^"]*"' demo.html | sed 's/.*="//; s/"$//'); do
	run chiso --db "$demo_db" par compute --period 2020 --framework "$fw" --format csv
	p=$(awk -F, '$1 == "CA-BNI" && $10 != "" { print $10 "/" $11 }' "$OUT")
	[ -n "$p" ] && pos=$p
done
run cat demo.html
expect_out "data-kpi=\"position\"><span class=\"label\">Vị trí của đơn vị</span><span class=\"value\" data-value=\"$pos\">$pos</span>"
expect_out 'data-wave="'
finish
