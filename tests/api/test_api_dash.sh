# The dashboards: GET /api/v1/frameworks[/{code}], /api/v1/par/results,
# /api/v1/par/rankings, /api/v1/sipas/results, /api/v1/sipas/weak,
# /api/v1/trend, /api/v1/dashboards[/{period}] and the pages under /d/, on
# example data (data/frameworks/example-small.json, the Bắc Ninh units, scores
# and survey responses written here). The numbers must be the command line's:
# the result documents byte for byte, the rankings and dashboards value for
# value (compared with node, which `make` needs anyway for npm). Only public
# periods are shown; marking is audited; the cache follows new responses.
. "$(dirname "$0")/lib.sh"

run chiso init --db "$DB"
expect_exit 0
export CHISO_DB=$DB
run chiso unit import "$SRC/data/examples/units-bac-ninh.csv"
expect_exit 0
run chiso framework import "$SRC/data/frameworks/example-small.json"
expect_exit 0
run chiso period add 2023
run chiso period add 2024
expect_exit 0

# scores SHIFT: the self scores of ten units for every leaf of example-small
# but the survey leaf B.3, which takes the SIPAS index of the period's wave.
UNITS="BNI-TPBN BNI-TPTS BNI-TXQV BNI-TXTT BNI-HTD BNI-HYP BNI-HGB BNI-HLT BNI-PA08 BNI-PC06"
scores() {
	echo "unit,node,self,appraised"
	i=0
	for u in $UNITS; do
		k=$(((i * 7 + $1 * 3) % 10))
		awk -v u="$u" -v k="$k" 'BEGIN {
			printf "%s,A.1,1,\n%s,A.2,%.2f,\n%s,A.3,%.1f,\n", u, u, 0.7 + k * 0.03, u, 5 + k * 0.5
			printf "%s,B.1,%.3f,\n%s,B.2,%.2f,\n", u, 0.88 + k * 0.012, u, 0.5 + k * 0.05
			printf "%s,C.1,%.1f,\n%s,C.2,%.2f,\n", u, 10 + k * 0.5, u, 0.8 + k * 0.01
			if (k % 3 == 0) printf "%s,X,1,\n", u
			if (k == 4) printf "%s,Y,2,\n", u
		}'
		i=$((i + 1))
	done
}
scores 1 >scores2023.csv
scores 0 >scores2024.csv
run chiso score import scores2023.csv --period 2023 --framework example-small
expect_exit 0
run chiso score import scores2024.csv --period 2024 --framework example-small
expect_exit 0

# responses FIRST COUNT SHIFT: answers to the SIPAS 2017 form (22 items), the
# first units more satisfied than the last, so that indices differ.
responses() {
	awk -v first="$1" -v count="$2" -v shift="$3" -v units="$UNITS" 'BEGIN {
		nu = split(units, u, " ")
		printf "id,unit,channel"
		for (e = 1; e <= 5; e++) {
			n = e == 1 ? 4 : e == 2 ? 5 : e == 3 ? 6 : e == 4 ? 3 : 4
			for (k = 1; k <= n; k++)
				printf ",E%d.%d", e, k
		}
		printf ",general,expectation,kind\n"
		for (i = first; i < first + count; i++) {
			ui = i % nu
			printf "R%05d,%s,%s", i, u[ui + 1], i % 3 ? "paper" : "online"
			for (k = 1; k <= 22; k++) {
				v = (i * 7 + k * 3 + ui * ui + shift) % 5 + 1
				if (ui < 5 && v < 4 && (i + k) % 2) v++
				if (k > 15 && v > 1 && i % 3 == 0) v--
				printf ",%d", v
			}
			printf ",%d,%s,%s\n", (i + shift) % 5 + 1,
			       i % 4 ? "e2_time;e3_attitude" : "e4_ontime", i % 5 ? "citizen" : "organisation"
		}
	}'
}
run chiso survey import "$SRC/data/questionnaires/sipas-2017.json"
expect_exit 0
run chiso survey wave add W23 --questionnaire sipas-2017 --period 2023 --title "Đợt 2023"
run chiso survey wave add W24 --questionnaire sipas-2017 --period 2024 --title "Đợt 2024"
expect_exit 0
responses 1 400 2 >w23.csv
responses 1000 500 0 >w24.csv
run chiso response import w23.csv --wave W23
expect_exit 0
run chiso response import w24.csv --wave W24
expect_exit 0

# Only 2024 is public at first.
run chiso par public --period 2024
expect_exit 0
expect_out "Period 2024 is now public on the /d/ pages."
run chiso par public --period 2024
expect_exit 0
expect_out "Period 2024 was already public."
run chiso par public --period 2099
expect_exit 1
expect_err "no period '2099'"
run chiso par public
expect_exit 2

# The command line's documents, to compare the API with.
cli_doc() {
	out=$1
	shift
	run chiso "$@"
	if [ "$RC" -eq 0 ]; then cp "$OUT" "$out"; else fail "chiso $*"; fi
}
cli_doc fw.json framework show example-small --format json
cli_doc fwlist.json framework list --format json
cli_doc par2023.json par compute --period 2023 --format json
cli_doc par2024.json par compute --period 2024 --format json
cli_doc sipas24.json sipas compute --wave W24 --format json
cli_doc sipas24-level.json sipas compute --wave W24 --by level --format json
cli_doc sipas24-tpbn.json sipas compute --wave W24 --by all --unit BNI-TPBN --format json
cli_doc sipas23.json sipas compute --wave W23 --format json
cli_doc weak24.json sipas weak --wave W24 --format json

start_server

# check WHAT JS FILES...: runs the JavaScript with the JSON of FILES as a[0],
# a[1], ...; it throws (or calls no(msg)) when a value differs.
check() {
	what=$1
	js=$2
	shift 2
	if node -e "
const fs = require('fs');
const a = process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const no = (m) => { throw new Error(m); };
const eq = (x, y, m) => { if (x !== y) no(m + ': ' + JSON.stringify(x) + ' != ' + JSON.stringify(y)); };
try {
$js
} catch (e) {
  console.error(e.message);
  process.exit(1);
}" "$@" >"$T/.node" 2>&1; then
		pass "$what"
	else
		n=$((n + 1))
		failed=$((failed + 1))
		echo "not ok $n - $what"
		sed 's/^/# node: /' "$T/.node" | head -n 10
	fi
}

# --- Frameworks --------------------------------------------------------

req GET /api/v1/frameworks
expect_status 200
expect_header "Content-Type: application/json"
expect_header "Cache-Control: no-store"
expect_security_headers
cp "$BODY" api-fwlist.json
check "framework list: the values of 'chiso framework list --format json'" '
const [api, cli] = a;
eq(api.frameworks.length, cli.length, "count");
api.frameworks.forEach((f, i) => {
  for (const k of ["code", "version", "title", "decision", "nodes", "total_max", "template", "imported_at", "sha256"])
    eq(f[k], cli[i][k], k);
});' api-fwlist.json fwlist.json

req GET /api/v1/frameworks/example-small
expect_status 200
expect_same "$BODY" fw.json "framework body: byte for byte 'chiso framework show --format json'"
req GET '/api/v1/frameworks/example-small?version=2024'
expect_status 200
expect_same "$BODY" fw.json "framework body at version 2024"
req GET '/api/v1/frameworks/example-small?version=1999'
expect_problem 404 version
expect_body "framework 'example-small' has no version '1999'"
req GET /api/v1/frameworks/nope
expect_problem 404 code
expect_body "no framework with code 'nope'"

# --- PAR ---------------------------------------------------------------

req GET '/api/v1/par/results?period=2024'
expect_status 200
expect_header "Content-Type: application/json"
expect_same "$BODY" par2024.json "PAR results: byte for byte 'chiso par compute --format json'"
req GET '/api/v1/par/results?period=2024&framework=example-small'
expect_status 200
expect_same "$BODY" par2024.json "PAR results with the framework named"
expect_body '"rank": 1,'
req GET '/api/v1/par/results?period=2024&framework=nope'
expect_problem 404 framework
req GET '/api/v1/par/results'
expect_problem 400 period
expect_body 'missing-field'
req GET '/api/v1/par/results?period=2099'
expect_problem 404 period
req GET '/api/v1/par/results?period=2023'
expect_problem 404 period
expect_body "the results of period '2023' are not public"
req GET "/api/v1/par/results?period=$(printf 'x%.0s' $(seq 1 70))"
expect_problem 400 period

req GET '/api/v1/par/rankings?period=2024'
expect_status 200
cp "$BODY" rank2024.json
expect_body '"position":"1/10"'
check "rankings: order, positions, bands, indices and change of 'chiso par compute'" '
const [rk, cli] = a;
eq(rk.period, "2024", "period");
eq(rk.previous_period, "2023", "previous period");
eq(rk.framework.code, cli.framework.code, "framework");
eq(rk.units.length, cli.units.length, "units");
rk.units.forEach((u, i) => {
  const c = cli.units[i];
  eq(u.code, c.code, "order at " + i);
  eq(u.index, c.index, u.code + " index");
  eq(u.points, c.points, u.code + " points");
  eq(u.band, c.band, u.code + " band");
  eq(u.rank, c.rank, u.code + " rank");
  eq(u.position, c.rank ? c.rank + "/" + c.ranked_of : null, u.code + " position");
  eq(u.change === null, c.change === null, u.code + " change");
  if (c.change) {
    eq(u.change.index, c.change.index, u.code + " change");
    eq(u.change.places, c.change.places, u.code + " places");
    eq(u.change.previous_rank, c.change.previous_rank, u.code + " previous rank");
  }
});
const all = cli.groups.find((g) => g.group === "all");
for (const k of ["units", "n", "mean", "median", "min", "max"]) eq(rk.average[k], all[k], "average " + k);
eq(rk.bands.length, cli.bands.length, "bands");
if (!rk.units.some((u) => u.change && u.change.places > 0)) no("no unit moved up");
' rank2024.json par2024.json
req GET '/api/v1/par/rankings?period=2023'
expect_problem 404 period

# --- SIPAS -------------------------------------------------------------

req GET '/api/v1/sipas/results?wave=W24'
expect_status 200
expect_same "$BODY" sipas24.json "SIPAS results: byte for byte 'chiso sipas compute --format json'"
expect_body '"previous_wave": "W23"'
req GET '/api/v1/sipas/results?wave=W24&by=level'
expect_status 200
expect_same "$BODY" sipas24-level.json "SIPAS results by level"
req GET '/api/v1/sipas/results?wave=W24&by=all&unit=BNI-TPBN'
expect_status 200
expect_same "$BODY" sipas24-tpbn.json "SIPAS results within one unit"
req GET '/api/v1/sipas/weak?wave=W24'
expect_status 200
expect_same "$BODY" weak24.json "weak areas: byte for byte 'chiso sipas weak --format json'"
req GET '/api/v1/sipas/results?wave=W24&by=province'
expect_problem 400 by
expect_body "by: 'province'; expected unit, level, service, kind, channel or all"
req GET '/api/v1/sipas/results?wave=W24&unit=NOPE'
expect_problem 404 unit
expect_body "unit 'NOPE': no such unit"
req GET '/api/v1/sipas/results?wave=NOPE'
expect_problem 404 wave
req GET '/api/v1/sipas/results'
expect_problem 400 wave
req GET '/api/v1/sipas/results?wave=W23'
expect_problem 404 wave
expect_body "are not public"

# --- Dashboards --------------------------------------------------------

req GET /api/v1/dashboards
expect_status 200
expect_body '{"periods":[{"code":"2024","starts":"2024-01-01","ends":"2024-12-31","frameworks":[{"code":"example-small","version":"2024","title":"Bộ tiêu chí mẫu nhỏ để thử và trình diễn"}],"wave":{"code":"W24","title":"Đợt 2024","responses":500}}]}'

req GET /api/v1/dashboards/2024
expect_status 200
cp "$BODY" dash2024.json
check "dashboard of 2024: the PAR ranking and the SIPAS figures of the command line" '
const [d, rk, s] = a;
eq(JSON.stringify(d.par[0]), JSON.stringify(rk), "the ranking of /api/v1/par/rankings");
const all = s.domains.find((x) => x.domain.code === "all");
const v = d.sipas;
eq(v.wave.code, "W24", "wave");
eq(v.previous_wave, "W23", "previous wave");
eq(v.n, all.n, "responses");
eq(v.n, 500, "responses");
eq(v.overall.index, all.overall.index, "overall index");
eq(v.overall.ci_lo, all.overall.ci_lo, "overall ci_lo");
eq(v.overall.ci_hi, all.overall.ci_hi, "overall ci_hi");
eq(v.overall.change.diff, all.overall.change.diff, "overall change");
eq(v.elements.length, all.elements.length, "elements");
v.elements.forEach((e, i) => {
  eq(e.code, all.elements[i].code, "element order");
  eq(e.index, all.elements[i].index, e.code + " index");
  eq(e.ci_lo, all.elements[i].ci_lo, e.code + " ci_lo");
  eq(e.ci_hi, all.elements[i].ci_hi, e.code + " ci_hi");
});
eq(v.items.length, all.items.length, "items");
for (let i = 1; i < v.items.length; i++)
  if (v.items[i - 1].index > v.items[i].index) no("items not weakest first at " + i);
for (const it of v.items) {
  const c = all.items.find((x) => x.code === it.code);
  eq(it.index, c.index, it.code + " index");
  eq(it.n, c.n, it.code + " n");
}
if (v.items[0].index === v.items[v.items.length - 1].index) no("every item has the same index");
eq(v.expectations.length, all.expectations.length, "expectations");
v.expectations.forEach((x, i) => {
  eq(x.choice, all.expectations[i].choice, "expectation order");
  eq(x.share, all.expectations[i].share, x.choice + " share");
});
const tpbn = s.domains.find((x) => x.domain.code === "BNI-TPBN");
eq(v.units.find((u) => u.code === "BNI-TPBN").index, tpbn.overall.index, "unit index");
' dash2024.json rank2024.json sipas24.json

req GET '/api/v1/dashboards/2024?unit=BNI-TPBN'
expect_status 200
cp "$BODY" dash-tpbn.json
check "dashboard of one unit: its PAR row with components and its SIPAS domain" '
const [d, par, s] = a;
eq(d.unit.code, "BNI-TPBN", "unit");
eq(d.unit.ancestors.map((x) => x.code).join(">"), "BCA>CA-BNI", "ancestors");
const c = par.units.find((u) => u.code === "BNI-TPBN");
const u = d.par[0].unit;
eq(u.index, c.index, "index");
eq(u.position, c.rank + "/" + c.ranked_of, "position");
eq(u.components.length, c.components.length, "components");
u.components.forEach((x, i) => eq(x.points, c.components[i].points, x.code + " points"));
const dom = s.domains.find((x) => x.domain.code === "BNI-TPBN");
eq(d.sipas.domain.code, "BNI-TPBN", "domain");
eq(d.sipas.n, dom.n, "responses");
eq(d.sipas.overall.index, dom.overall.index, "overall");
' dash-tpbn.json par2024.json sipas24.json
req GET '/api/v1/dashboards/2024?unit=NOPE'
expect_problem 404 unit
req GET /api/v1/dashboards/2023
expect_problem 404 period

# A new response moves the count and the index at once: the cached reply
# belongs to the database version before the import.
responses 5000 25 4 >more.csv
run chiso response import more.csv --wave W24
expect_exit 0
cli_doc sipas24b.json sipas compute --wave W24 --format json
req GET /api/v1/dashboards/2024
expect_status 200
cp "$BODY" dash2024b.json
check "dashboard after 25 more responses: the new count and index" '
const [before, after, s] = a;
eq(after.sipas.n, before.sipas.n + 25, "responses");
const all = s.domains.find((x) => x.domain.code === "all");
eq(after.sipas.overall.index, all.overall.index, "overall index");
if (after.sipas.overall.index === before.sipas.overall.index) no("index did not change");
' dash2024.json dash2024b.json sipas24b.json

# --- Trend -------------------------------------------------------------

run chiso par public --period 2023
expect_exit 0
req GET /api/v1/dashboards
expect_status 200
expect_body '"code":"2023"'
req GET '/api/v1/trend?unit=BNI-TPBN'
expect_status 200
cp "$BODY" trend.json
check "trend of one unit: its PAR index and SIPAS index in each public period" '
const [t, p23, p24, s23, s24] = a;
eq(t.unit.code, "BNI-TPBN", "unit");
eq(t.periods.map((p) => p.code).join(","), "2023,2024", "periods");
[[p23, s23], [p24, s24]].forEach(([par, s], i) => {
  const p = t.periods[i];
  const c = par.units.find((u) => u.code === "BNI-TPBN");
  eq(p.par[0].index, c.index, p.code + " PAR index");
  eq(p.par[0].position, c.rank + "/" + c.ranked_of, p.code + " position");
  const dom = s.domains.find((x) => x.domain.code === "BNI-TPBN");
  eq(p.sipas.index, dom.overall.index, p.code + " SIPAS index");
  eq(p.sipas.n, dom.n, p.code + " SIPAS n");
});
' trend.json par2023.json par2024.json sipas23.json sipas24b.json
req GET /api/v1/trend
expect_status 200
cp "$BODY" trend-all.json
check "trend of everyone: the average PAR index and the whole sample" '
const [t, p23, s23] = a;
eq(t.unit, null, "unit");
eq(t.periods[0].par[0].index, p23.groups.find((g) => g.group === "all").mean, "2023 average");
eq(t.periods[0].sipas.index, s23.domains[0].overall.index, "2023 SIPAS");
' trend-all.json par2023.json sipas23.json
req GET '/api/v1/trend?unit=NOPE'
expect_problem 404 unit

# --- Pages -------------------------------------------------------------

req GET /d/
expect_status 200
expect_header "Content-Type: text/html; charset=utf-8"
expect_header "Content-Language: vi"
expect_header "Cache-Control: no-cache"
expect_security_headers
expect_body '<html lang="vi">'
expect_body 'id="sipas-n"'
expect_body 'id="sipas-overall"'
cp "$BODY" dash.vi.html
req GET '/d/?lang=en'
expect_status 200
expect_header "Content-Language: en"
expect_body '<html lang="en">'
cp "$BODY" dash.en.html
for page in dash.vi.html dash.en.html; do
	if grep -o '<script[^>]*>' "$page" | grep -qv 'src=' ||
		grep -Eqi '<style|[[:space:]]style=|[[:space:]]on[a-z]+=|javascript:|https?://' "$page"; then
		fail "$page has inline script or style, or loads from elsewhere"
	else
		pass "$page has no inline script or style and loads nothing from elsewhere"
	fi
done
req GET /d
expect_status 200
req GET /d/2024
expect_status 200
expect_same "$BODY" dash.vi.html "a period page is the dashboard page"
req GET /d/2024/unit/BNI-TPBN
expect_status 200
req GET /d/2024/unit/NOPE
expect_status 404
req GET /d/2099
expect_status 404
expect_header "Content-Type: text/html; charset=utf-8"

# Every asset the page names is served: the scripts (ES modules), their
# imports, the styles, and Apache ECharts itself (not a stub).
for a in $(grep -o '/assets/[^"?]*' dash.vi.html | sort -u) /assets/dashboard/fmt.js \
	/assets/dashboard/i18n.js /assets/dashboard/charts.js; do
	req GET "$a"
	expect_status 200
done
grep -o "from '\./[a-z0-9]*\.js'" "$SRC"/web/dashboard/*.js | sed "s/.*'\.\/\(.*\)'/\1/" | sort -u >imports.txt
for m in $(cat imports.txt); do
	[ -f "$SRC/web/dashboard/$m" ] && pass "import ./$m exists" || fail "import ./$m is missing"
done
req GET /assets/echarts.min.js
expect_status 200
expect_header "Content-Type: text/javascript; charset=utf-8"
size=$(wc -c <"$BODY")
[ "$size" -gt 500000 ] && pass "Apache ECharts is embedded ($size bytes)" ||
	fail "/assets/echarts.min.js has $size bytes: built without node_modules/echarts (run npm ci)"
req GET /assets/echarts-LICENSE.txt
expect_status 200
expect_body 'Apache License'

# The pages' number formats: 91,84% in Vietnamese, 91.84% in English.
check "the pages format numbers as chiso does (vi 91,84%, 1.234; en 91.84%, 1,234)" "
// Imported from its text, so that no package.json type is needed.
import('data:text/javascript,' + encodeURIComponent(fs.readFileSync('$SRC/web/dashboard/fmt.js', 'utf8'))).then((f) => {
  eq(f.fmtPercent(91.84, 2, 'vi'), '91,84%', 'vi percent');
  eq(f.fmtPercent(91.84, 2, 'en'), '91.84%', 'en percent');
  eq(f.fmtNumber(91.845, 2, 'vi'), '91,85', 'half away from zero');
  eq(f.fmtNumber(-0.004, 2, 'vi'), '0,00', 'no minus zero');
  eq(f.fmtCount(1234, 'vi'), '1.234', 'vi count');
  eq(f.fmtCount(1234567, 'en'), '1,234,567', 'en count');
  eq(f.fmtSigned(16.2, 2, 'vi'), '+16,2', 'signed');
  eq(f.fmtSigned(-5.72, 2, 'vi'), '-5,72', 'signed');
  eq(f.fmtRank(26, 63), '26/63', 'rank');
  eq(f.fmtDate('2024-12-31', 'vi'), '31/12/2024', 'date');
}).catch((e) => { console.error(e.message); process.exit(1); });
" dash2024.json

# --- Unmarking ---------------------------------------------------------

run chiso par public --period 2024 --off --actor alice
expect_exit 0
expect_out "Period 2024 is no longer public."
req GET '/api/v1/par/results?period=2024'
expect_problem 404 period
req GET /d/2024
expect_status 404
req GET /api/v1/dashboards
expect_status 200
expect_no_body '"code":"2024"'
rows=$(sqlite3 "$DB" "select actor || ':' || old_value || '>' || new_value from audit where entity = 'period' and entity_id = '2024' and field = 'public' order by id" | tr '\n' ' ')
[ "$rows" = "cli:no>yes alice:yes>no " ] && pass "marking is audited: $rows" || fail "audit rows: '$rows'"

stop_server
expect_exit 0
finish
