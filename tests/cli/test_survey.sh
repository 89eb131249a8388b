# chiso survey import|list|show|export|validate: questionnaires from JSON and
# XLSForm, validated before storing, exported byte for byte; bad files change
# nothing and say what is wrong.
. "$(dirname "$0")/lib.sh"
Q=$SRC/data/questionnaires
X=$SRC/tests/data

run chiso init
expect_exit 0

run chiso survey list
expect_exit 0
expect_out "No questionnaires yet"

# The shipped questionnaires validate and import.
for f in sipas-2017 sipas-police-2019 sipas-2023-public-service; do
	run chiso survey validate "$Q/$f.json"
	expect_exit 0
	expect_out "$Q/$f.json: valid, questionnaire '$f'"
done
run chiso survey import "$Q/sipas-2017.json"
expect_exit 0
expect_out "Imported questionnaire 'sipas-2017' version '2017': 5 elements, 28 items (22 satisfaction); sha256"
run chiso survey import "$Q/sipas-police-2019.json"
expect_exit 0
run chiso survey import "$Q/sipas-2023-public-service.json"
expect_exit 0
expect_out "5 elements, 24 items (19 satisfaction)"

# The same content again changes nothing.
run chiso survey import "$Q/sipas-2017.json"
expect_exit 0
expect_out "is already stored with the same content, nothing changed"

run chiso survey list --format csv
expect_exit 0
expect_line 1 "code,version,title,decision,elements,items,satisfaction,sha256,imported_at"
expect_out "sipas-2017,2017,"
expect_out "QĐ 2561/QĐ-BCA-V03,5,28,22,"
cp "$OUT" list-before.csv

run chiso survey list
expect_exit 0
expect_out "3 questionnaires"
run chiso --lang vi survey list
expect_exit 0
expect_out "Phiên bản"
expect_out "3 bảng hỏi"
run chiso survey list --format json
expect_exit 0
expect_out '"code": "sipas-police-2019"'
expect_out '"satisfaction": 19'

run chiso survey show sipas-2017
expect_exit 0
expect_out "Decision: QĐ 2640/QĐ-BNV"
expect_out "Reconstructed wording"
expect_out "E3    Civil servants"
expect_out "Civil servants communicate politely"
expect_out "kind         "
expect_out "respondent:kind"
expect_out "28 items."
run chiso --lang vi survey show sipas-2017
expect_exit 0
expect_out "Công chức có thái độ giao tiếp lịch sự"
expect_out "khoảng tin cậy 95% (wilson)"

# export gives the file back byte for byte; show --format json the same.
run chiso survey export sipas-2017
expect_exit 0
expect_same "$OUT" "$Q/sipas-2017.json" "export sipas-2017 is the shipped file"
run chiso survey show sipas-police-2019 --format json
expect_exit 0
expect_same "$OUT" "$Q/sipas-police-2019.json" "show --format json is the stored body"
run chiso survey export sipas-2023-public-service --version 2023 -o out.json
expect_exit 0
expect_same out.json "$Q/sipas-2023-public-service.json" "export -o writes the file"
run chiso survey import out.json
expect_exit 0
expect_out "nothing changed"

# XLSForm: imported with warnings that name what is not supported.
run chiso survey import "$X/xlsform/or_other.xlsx"
expect_exit 0
expect_out "Imported questionnaire 'or_other' version '1': 0 elements, 2 items"
expect_err "chiso: warning: $X/xlsform/or_other.xlsx:survey:2: or_other: the text typed for 'other' is not supported"
expect_err "chiso: warning: $X/xlsform/or_other.xlsx:survey:3: column 'choice_filter' is not supported"
expect_err "no group of five-level questions"
run chiso survey show or_other
expect_exit 0
expect_out "fav_color"
expect_out "No elements"
run chiso survey import "$X/xlsx/xlsform_spec_test.xlsx"
expect_exit 0
expect_out "Imported questionnaire 'Spec-test' version '1': 0 elements, 30 items"
expect_err "xlsform_spec_test.xlsx:survey:34: type 'geopoint' is not supported; 1 question skipped ('geopoint_test')"
expect_err "xlsform_spec_test.xlsx:survey:15: repeats are not supported"
run chiso survey validate "$X/xlsform/extra_sheet_names.xlsx"
expect_exit 0
expect_err "sheet 'stettings' is not read; did you mean 'settings'?"
run chiso survey list --format csv
expect_exit 0
cp "$OUT" list-after-xlsform.csv

# Bad files: a clear message, nothing stored.
run chiso survey import "$X/xlsx/duplicate_columns.xlsx"
expect_exit 1
expect_err "chiso: error: $X/xlsx/duplicate_columns.xlsx:survey:1: column 'label' appears twice (columns D and E); keep one of them"
expect_err "Nothing was stored."

cat >bad-key.json <<'JSON'
{"format": "chiso-questionnaire", "code": "x", "title": "X", "version": "1",
 "items": [{"code": "a", "type": "likert"}]}
JSON
run chiso survey import bad-key.json
expect_exit 1
expect_err "chiso: error: bad-key.json: items[0].type (item 'a'): unknown type 'likert' (expected likert5, yesno, single, multi, number, text or note)"

cat >bad-model.json <<'JSON'
{"format": "chiso-questionnaire", "code": "x", "title": "X", "version": "1",
 "elements": [{"code": "E1", "title": {"vi": "Tiếp cận"}}, {"code": "E2", "title": {"vi": "Thủ tục"}}],
 "items": [{"code": "a", "element": "E9", "type": "likert5", "role": "satisfaction", "text": {"vi": "A"}},
           {"code": "a", "element": "E1", "type": "single", "role": "satisfaction", "text": {"vi": "B"}}]}
JSON
run chiso survey import bad-model.json
expect_exit 1
expect_err "chiso: error: bad-model.json: item 'a': unknown element 'E9'"
expect_err "chiso: error: bad-model.json: item 'a': duplicate code (item #1 has it too)"
expect_err "chiso: error: bad-model.json: item 'a': a satisfaction item must be likert5 or yesno (found single)"
expect_err "chiso: error: bad-model.json: element 'E2': no satisfaction item"
expect_err "bad-model.json: 5 problems; nothing was stored."
run chiso survey validate bad-model.json
expect_exit 1
expect_err "bad-model.json: 5 problems."

printf '{"format": "chiso-questionnaire",' >truncated.json
run chiso survey import truncated.json
expect_exit 1
expect_err "chiso: error: truncated.json:1:"

# A changed questionnaire under a stored version is refused.
sed 's/Nơi ngồi chờ tại cơ quan/Chỗ ngồi chờ tại cơ quan/' "$Q/sipas-2017.json" >changed.json
run chiso survey import changed.json
expect_exit 1
expect_err "questionnaire 'sipas-2017' version '2017' is already stored with other content"
expect_err "give the changed questionnaire a new version"

run chiso survey import missing.json
expect_exit 1
expect_err "missing.json"

run chiso survey list --format csv
expect_same "$OUT" list-after-xlsform.csv "bad files stored nothing"

# Lookups and usage.
run chiso survey export nope
expect_exit 1
expect_err "no questionnaire 'nope' is stored; import it with 'chiso survey import FILE'"
run chiso survey show sipas-2017 --version 1999
expect_exit 1
expect_err "no questionnaire 'sipas-2017' version '1999' is stored"
run chiso survey show sipas-2017 --format csv
expect_exit 2
run chiso survey
expect_exit 2
expect_err "missing subcommand: import, list, show, export, validate"
run chiso survey frobnicate
expect_exit 2
expect_err "unknown subcommand 'frobnicate'"
run chiso survey import
expect_exit 2
run chiso survey import a.json b.json
expect_exit 2
run chiso help survey
expect_exit 0
expect_out "chiso survey import FILE"
run chiso --lang vi help survey
expect_exit 0
expect_out "Cách dùng: chiso survey import TỆP"

# Without a database: import says to run init; validate needs none.
rm -f chiso.db chiso.db-wal chiso.db-shm
run chiso survey import "$Q/sipas-2017.json"
expect_exit 1
expect_err "run 'chiso init' first"
run chiso survey validate "$Q/sipas-2017.json"
expect_exit 0

finish
