#!/bin/sh
# Builds the database the yearly-report tests run on: a small provincial
# force whose names need escaping, the example-small framework scored in
# 2019, 2020 and 2021, and SIPAS 2017 waves in 2018, 2019 and 2020, so that
# every edge case of the report is there: a unit without responses (C22), a
# first year without a previous one (2019), a period with PAR but no survey
# (2021) and one with a survey but no PAR (2018).
# Usage: make-db.sh CHISO SRC DB
set -eu
chiso=$1
src=$2
db=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/chiso-report-db.XXXXXX")
trap 'rm -rf "$dir"' EXIT
c() {
	"$chiso" --db "$db" "$@" >"$dir/out" 2>&1 || {
		cat "$dir/out" >&2
		echo "make-db.sh: failed: chiso $*" >&2
		exit 1
	}
}

cat >"$dir/units.csv" <<'UNITS'
code,name,parent,level,flags
P,Công an tỉnh A&B <Thử>,,province,
PC06,Phòng Cảnh sát QLHC về TTXH,P,department,tthc
D1,"Công an huyện ""Một""",P,district,tthc
D2,Công an huyện Hai,P,district,tthc
C11,Công an xã Một & Hai,D1,commune,tthc
C21,Công an xã Ba,D2,commune,tthc
C22,Công an xã Bốn,D2,commune,
UNITS

# scores YEAR SHIFT: self-assessed scores of every unit; SHIFT moves them
# between years so that positions change.
scores() {
	awk -v year="$1" -v shift="$2" 'BEGIN {
		n = split("P PC06 D1 D2 C11 C21 C22", u, " ")
		print "unit,node,self"
		for (i = 1; i <= n; i++) {
			k = (i * 3 + shift) % 7
			printf "%s,A.1,%d\n", u[i], k == 6 ? 0 : 1
			printf "%s,A.2,%.2f\n", u[i], 0.5 + k * 0.05
			printf "%s,A.3,%.1f\n", u[i], 6 + (k % 5)
			if (u[i] != "P" && u[i] != "C22") {
				printf "%s,B.1,%.2f\n", u[i], 0.88 + k * 0.02
				printf "%s,B.2,%.2f\n", u[i], 0.6 + k * 0.05
			}
			printf "%s,C.1,%.2f\n", u[i], 9 + k * 0.75
			printf "%s,C.2,%.2f\n", u[i], 0.6 + k * 0.04
		}
	}'
}

# responses FIRST COUNT SHIFT: respondents of the 22-item SIPAS 2017 form,
# spread over the units with responses (not C22), unweighted. D2's people
# are less satisfied with the procedure (element E2).
responses() {
	awk -v first="$1" -v count="$2" -v shift="$3" 'BEGIN {
		split("P PC06 D1 D2 C11 C21", u, " ")
		printf "id,unit,submitted_at,channel"
		for (e = 1; e <= 5; e++) {
			n = e == 1 ? 4 : e == 2 ? 5 : e == 3 ? 6 : e == 4 ? 3 : 4
			for (k = 1; k <= n; k++)
				printf ",E%d.%d", e, k
		}
		printf ",general,expectation,kind,service\n"
		for (i = first; i < first + count; i++) {
			unit = u[i % 6 + 1]
			printf "R%05d,%s,2020-03-%02d,%s", i, unit, i % 28 + 1, i % 3 ? "paper" : "online"
			for (k = 1; k <= 22; k++) {
				v = (i * 7 + k * 3 + shift) % 5 + 1
				if (v < 4 && (i + k) % 3) v = v + 2
				if (v > 5) v = 5
				if (unit == "D2" && k >= 5 && k <= 9) v = v > 2 ? v - 2 : v
				if (unit == "C11" && k % 2) v = v > 1 ? v - 1 : v
				printf ",%s", (i + k) % 17 ? v : ""
			}
			printf ",%d,%s,%s,%s\n", (i + shift) % 5 + 1, i % 4 ? "e2_time;e3_attitude" : "e4_ontime",
			       i % 5 ? "citizen" : "organisation", i % 2 ? "cu_tru" : "can_cuoc"
		}
	}'
}

rm -f "$db" "$db-wal" "$db-shm"
c init
c unit import "$dir/units.csv"
for y in 2018 2019 2020 2021; do
	c period add "$y"
done
c framework import "$src/data/frameworks/example-small.json"
c survey import "$src/data/questionnaires/sipas-2017.json"
scores 2019 0 >"$dir/s2019.csv"
scores 2020 2 >"$dir/s2020.csv"
scores 2021 5 >"$dir/s2021.csv"
for y in 2019 2020 2021; do
	c score import "$dir/s$y.csv" --period "$y" --framework example-small
done
responses 1 300 1 >"$dir/w18.csv"
responses 1001 360 0 >"$dir/w19.csv"
responses 2001 420 3 >"$dir/w20.csv"
for y in 18 19 20; do
	c survey wave add "W$y" --questionnaire sipas-2017 --period "20$y" --title "Khảo sát 20$y"
	c response import "$dir/w$y.csv" --wave "W$y"
done
