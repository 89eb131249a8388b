# chiso token issue (METHODOLOGY M3.9): tokens as CSV, SVG (a sheet, one
# file, or one file per token) and a printable HTML sheet of QR slips;
# dossier files, expiry, and every usage error.
. "$(dirname "$0")/lib.sh"

cat >units.csv <<'EOF'
code,name,parent,level
P,Công an tỉnh P,,province
C11,Công an xã <Hòa> & Bình,P,commune
EOF

run chiso init
run chiso unit import units.csv
run chiso period add 2026
run chiso survey import "$SRC/data/questionnaires/sipas-2017.json"
run chiso survey wave add W --questionnaire sipas-2017 --period 2026 --title "Đợt 2026"
expect_exit 0

TOKEN='[0-9a-hjkmnp-tv-z]\{24\}'

# CSV on standard output; the summary goes to stderr.
run chiso token issue --wave W --unit C11 --count 3
expect_exit 0
expect_line 1 "token,url,wave,unit,expires_at"
expect_err "Issued 3 survey tokens for wave W, unit C11."
[ "$(grep -c "^$TOKEN,http://127.0.0.1:8080/s/$TOKEN,W,C11,\$" "$OUT")" -eq 3 ] &&
	pass "three rows of token,url,wave,unit" || fail "csv rows"
cut -d, -f1 "$OUT" | sed 1d | sort -u >codes
[ "$(wc -l <codes)" -eq 3 ] && pass "three different tokens" || fail "tokens repeat"
run sqlite3 chiso.db "select count(*) from token where used_at is null and dossier_ref_hash is null"
expect_line 1 3

# Dossiers, one per line: one token each, only their hash stored; expiry.
printf '\357\273\277HS-001\n\n  HS-002  \r\nHS-003\n' >dossiers.txt
run chiso token issue --wave W --unit C11 --dossier-file dossiers.txt --expires 30 -o d.csv --base-url https://ks.example.vn/
expect_exit 0
expect_out "Issued 3 survey tokens for wave W, unit C11; they expire "
run head -n 1 d.csv
expect_line 1 "token,url,wave,unit,expires_at,dossier"
run sed -n 3p d.csv
grep -q "^$TOKEN,https://ks.example.vn/s/$TOKEN,W,C11,20[0-9-]*T[0-9:]*Z,HS-002\$" "$OUT" &&
	pass "dossier row with link, expiry and reference" || fail "dossier row: $(cat "$OUT")"
run sqlite3 chiso.db "select count(*) from token where dossier_ref_hash is not null and expires_at is not null"
expect_line 1 3
run sqlite3 chiso.db "select count(*) from token where dossier_ref_hash like '%HS%'"
expect_line 1 0
# A dossier gets one token per wave.
printf 'HS-009\nHS-002\n' >again.txt
run chiso token issue --wave W --unit C11 --dossier-file again.txt
expect_exit 1
expect_err "chiso: error: dossier 'HS-002' already has a token for wave 'W'"
run sqlite3 chiso.db "select count(*) from token"
expect_line 1 6
run chiso token issue --wave W --unit C11 --dossier-file again.txt --count 3
expect_exit 1
expect_err "--count 3, but again.txt has 2 dossier references"

# The printable sheet: self-contained, the unit's name escaped, a QR code per slip.
run chiso token issue --wave W --unit C11 --count 4 --format html -o slips.html --expires 10
expect_exit 0
grep -c '<div class="slip">' slips.html >n.txt
[ "$(cat n.txt)" -eq 4 ] && pass "four slips" || fail "slips: $(cat n.txt)"
grep -c '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' slips.html >n.txt
[ "$(cat n.txt)" -eq 4 ] && pass "four inline QR codes" || fail "QR codes: $(cat n.txt)"
grep -qF 'Công an xã &lt;Hòa&gt; &amp; Bình' slips.html && pass "unit name escaped" || fail "unit name"
grep -qF '@page { size: A4;' slips.html && pass "A4 page" || fail "A4 page"
grep -qF 'Mời Ông/Bà quét mã QR bằng điện thoại' slips.html && pass "instructions in Vietnamese" ||
	fail "instructions"
grep -q 'Hạn trả lời: [0-9][0-9]/[0-9][0-9]/20[0-9][0-9]' slips.html && pass "expiry as DD/MM/YYYY" ||
	fail "expiry"
grep -qE '<script|src="http|href="http' slips.html && fail "the sheet loads something" ||
	pass "nothing loaded from elsewhere"

# SVG: one token is one code; several make a sheet; a directory gets a file each.
run chiso token issue --wave W --unit C11 --count 1 --format svg -o one.svg
expect_exit 0
[ "$(grep -o 'viewBox="0 0 [0-9]* [0-9]*"' one.svg | head -n 1)" = 'viewBox="0 0 240 268"' ] &&
	pass "one SVG code" || fail "one SVG"
run chiso token issue --wave W --unit C11 --count 5 --format svg
expect_exit 0
expect_out 'viewBox="0 0 960 536"'
mkdir qr
run chiso token issue --wave W --unit C11 --count 2 --format svg -o qr
expect_exit 0
[ "$(find qr -name '*.svg' | wc -l)" -eq 2 ] && pass "a file per token" || fail "svg files"
f=$(find qr -name '*.svg' | head -n 1)
grep -qF "$(basename "$f" .svg)" "$f" && pass "the file shows its token" || fail "svg caption"
run sqlite3 chiso.db "select count(*) from token"
expect_line 1 18

# Usage errors: exit 2 and nothing written.
run chiso token issue --wave W --unit C11
expect_exit 2
expect_err "give --count or --dossier-file"
run chiso token issue --unit C11 --count 1
expect_exit 2
expect_err "give --wave and --unit"
run chiso token issue --wave W --unit C11 --count 0
expect_exit 2
expect_err "--count '0': expected a number from 1 to 100000"
run chiso token issue --wave W --unit C11 --count 1 --format pdf
expect_exit 2
expect_err "--format 'pdf': expected csv, svg or html"
run chiso token issue --wave W --unit C11 --count 1 --base-url 'ftp://x'
expect_exit 2
expect_err "--base-url 'ftp://x': expected an http:// or https:// address"
run chiso token issue --wave W --unit C11 --count 1 --expires 0
expect_exit 2
run chiso token issue --wave W --unit C11 --count 1 --bogus
expect_exit 2
expect_err "unexpected argument '--bogus'"
run chiso token
expect_exit 2
run chiso token revoke
expect_exit 2
expect_err "unknown subcommand 'revoke'; expected issue"
# Unknown wave or unit: exit 1, nothing written.
run chiso token issue --wave W9 --unit C11 --count 1
expect_exit 1
expect_err "chiso: error: no survey wave 'W9'"
run chiso token issue --wave W --unit C99 --count 1
expect_exit 1
expect_err "chiso: error: no unit 'C99'"
run chiso token issue --wave W --unit C11 --dossier-file missing.txt
expect_exit 1
expect_err "cannot open 'missing.txt'"
run sqlite3 chiso.db "select count(*) from token"
expect_line 1 18
run chiso help token
expect_exit 0
expect_out "chiso token issue --wave WAVE --unit UNIT --count N"

finish
