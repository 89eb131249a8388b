# chiso init and the choice of database: default, --db, CHISO_DB; schema checks.
. "$(dirname "$0")/lib.sh"

run chiso unit list
expect_exit 1
expect_err "chiso: error: no database at 'chiso.db'; run 'chiso init' first"

run chiso init
expect_exit 0
expect_out "Created database chiso.db (schema version "
[ -f chiso.db ] && pass "chiso.db created in the working directory" || fail "chiso.db missing"

run chiso init
expect_exit 0
expect_out "Database chiso.db exists, schema version "

run chiso --db other.db init
expect_exit 0
[ -f other.db ] && pass "--db names the file" || fail "other.db missing"

run env CHISO_DB=env.db "$CHISO" init
expect_exit 0
[ -f env.db ] && pass "CHISO_DB names the file" || fail "env.db missing"

# --db wins over CHISO_DB, and works after the command too.
run env CHISO_DB=env.db "$CHISO" period add 2020 --db other.db
expect_exit 0
run chiso --db env.db period list --format csv
expect_no_out "2020"
run chiso --db other.db period list --format csv
expect_out "2020,2020-01-01,2020-12-31"

run chiso --db postgres://localhost/chiso init
expect_exit 1
expect_err "PostgreSQL"

run chiso init extra
expect_exit 2

# A database written by a newer chiso is refused and left as it is.
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 chiso.db "insert into schema_version(version, name, applied_at) values (999, 'future', '2030-01-01T00:00:00Z')"
	cp chiso.db before.db
	run chiso unit list
	expect_exit 1
	expect_err "newer than this chiso"
	run chiso init
	expect_exit 1
	expect_err "upgrade chiso"
	expect_same chiso.db before.db "newer database left unchanged"
else
	echo "# sqlite3 not installed: schema-version checks skipped"
fi

finish
