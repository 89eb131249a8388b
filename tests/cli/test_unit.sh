# chiso unit import|list: imports are all-or-nothing, errors name the place,
# re-imports update by code, lists sort names in Vietnamese order.
. "$(dirname "$0")/lib.sh"
G=$SRC/tests/golden/units

run chiso init
expect_exit 0

run chiso unit import "$SRC/data/examples/units-bac-ninh.csv"
expect_exit 0
expect_out "49 added, 0 changed, 0 unchanged"
expect_out "+ BNI-PC06"

run chiso unit list --format csv
expect_exit 0
expect_line 1 "code,name,parent,level,flags,valid_from,valid_to,successor"
expect_out "BNI-HQV,Công an huyện Quế Võ,CA-BNI,district,tthc,,2023-02-09,BNI-TXQV"
cp "$OUT" list-before.csv

# Vietnamese order: "Bộ" < "Công an ..." and within them the collation of vi
# ("Đ" after "D", tones in order), not byte order.
cut -d, -f2 list-before.csv | sed 1d >names.txt
sed -n '1p' names.txt | grep -qx "Bộ Công an" && pass "Bộ Công an sorts first" || fail "first name is $(sed -n 1p names.txt)"
ln_dong=$(grep -n "^Công an phường Đông Ngàn$" names.txt | cut -d: -f1)
ln_dinh=$(grep -n "^Công an phường Đình Bảng$" names.txt | cut -d: -f1)
ln_vn=$(grep -n "^Công an phường Vũ Ninh$" names.txt | cut -d: -f1)
ln_ds=$(grep -n "^Công an phường Đại Phúc$" names.txt | cut -d: -f1)
ln_ck=$(grep -n "^Công an phường Châu Khê$" names.txt | cut -d: -f1)
[ "$ln_ck" -lt "$ln_ds" ] && [ "$ln_ds" -lt "$ln_dinh" ] && [ "$ln_dinh" -lt "$ln_dong" ] && [ "$ln_dong" -lt "$ln_vn" ] &&
	pass "Châu Khê < Đại Phúc < Đình Bảng < Đông Ngàn < Vũ Ninh" || fail "Vietnamese order: $ln_ck $ln_ds $ln_dinh $ln_dong $ln_vn"

run chiso unit list --format json
expect_exit 0
expect_out '"code": "BNI-PA08"'
expect_out '"successor": "BNI-TXTT"'

run chiso unit list --tree
expect_exit 0
expect_line 1 "Bộ Công an  BCA  (ministry)"
expect_out "└─ Công an tỉnh Bắc Ninh  CA-BNI  (province)"
expect_out "Công an phường Suối Hoa  BNI-TPBN-SH  (commune)"

run chiso --lang vi unit list
expect_exit 0
expect_out "Tên đơn vị"
expect_out "49 đơn vị."

run chiso unit list --tree --format json
expect_exit 0
expect_out '"children": ['

run chiso unit list --tree --format csv
expect_exit 2

# Importing the same file again changes nothing.
run chiso unit import "$SRC/data/examples/units-bac-ninh.csv"
expect_exit 0
expect_out "0 added, 0 changed, 49 unchanged"

# A re-import updates by code and leaves other units alone.
cat >update.csv <<'CSV'
code,name,parent,level,flags
BNI-PC08,Phòng Cảnh sát giao thông đường bộ,CA-BNI,department,tthc
BNI-NEW,Công an xã Mới,BNI-HLT,commune,tthc
BNI-PC06,Phòng Cảnh sát quản lý hành chính về trật tự xã hội,CA-BNI,department,tthc
CSV
run chiso unit import update.csv --dry-run
expect_exit 0
expect_out "Checked (nothing written)"
expect_out "1 added, 1 changed, 1 unchanged; 47 stored units"
run chiso unit list --format csv
expect_same "$OUT" list-before.csv "--dry-run writes nothing"

run chiso unit import update.csv
expect_exit 0
expect_out "+ BNI-NEW"
expect_out "~ BNI-PC08"
expect_out "1 added, 1 changed, 1 unchanged; 47 stored units not in the file left alone"
run chiso unit list --format csv
expect_out "BNI-PC08,Phòng Cảnh sát giao thông đường bộ,CA-BNI,department,tthc"
expect_out "BNI-NEW,Công an xã Mới,BNI-HLT,commune,tthc"
cp "$OUT" list-after.csv

# Every bad file fails with a message naming the place, and changes nothing.
bad() {
	file=$1
	shift
	run chiso unit import "$G/$file"
	expect_exit 1
	for text in "$@"; do
		expect_err "$text"
	done
	run chiso unit list --format csv
	expect_same "$OUT" list-after.csv "$file changed nothing"
}
bad bad-utf8.csv "bad-utf8.csv:" "invalid UTF-8"
bad missing-column.csv "missing-column.csv:1:" "missing column 'level'"
bad duplicate-code.csv "duplicate-code.csv:" "duplicate code"
bad unknown-parent.csv "unknown-parent.csv:" "unknown parent"
bad cycle.csv "cycle.csv:" "own ancestor"
bad unknown-level.csv "unknown-level.csv:" "unknown level"
bad bad-date.csv "bad-date.csv:" "not a"
bad unknown-successor.csv "unknown-successor.csv:" "successor"

# A cycle through a stored unit: CA-BNI's new parent is one of its descendants.
printf 'code,name,parent,level\nCA-BNI,Công an tỉnh Bắc Ninh,BNI-TPBN-SH,province\n' >cycle-db.csv
run chiso unit import cycle-db.csv
expect_exit 1
expect_err "cycle-db.csv:2:3:"
expect_err "own ancestor"

run chiso unit import nosuch.csv
expect_exit 1
expect_err "cannot open 'nosuch.csv'"

run chiso unit import
expect_exit 2

finish
