# The driver: help, version, exit codes, error format.
. "$(dirname "$0")/lib.sh"

run chiso --version
expect_exit 0
expect_out "chiso 0."

run chiso version
expect_exit 0

run chiso
expect_exit 2
expect_err "Usage: chiso"

run chiso help
expect_exit 0
expect_out "unit"
expect_out "period"
expect_out "init"

run chiso --help
expect_exit 0
expect_out "Commands:"

run chiso help unit
expect_exit 0
expect_out "chiso unit import FILE.csv"

run chiso unit --help
expect_exit 0
expect_out "chiso unit list"

run chiso help nosuch
expect_exit 2
expect_err "chiso: error: no command 'nosuch'"

run chiso nosuch
expect_exit 2
expect_err "chiso: error: unknown command 'nosuch'"
expect_err "See 'chiso help'"

run chiso unit frobnicate
expect_exit 2
expect_err "unknown subcommand 'frobnicate'"
expect_err "See 'chiso help unit'"

run chiso --lang xx help
expect_exit 2
expect_err "--lang: 'xx'"

run chiso --db
expect_exit 2
expect_err "--db needs a value"

# Vietnamese is the default language.
run env CHISO_LANG= "$CHISO" help
expect_exit 0
expect_out "Các lệnh:"
run chiso --lang vi nosuch
expect_exit 2
expect_err "không có lệnh 'nosuch'"

finish
