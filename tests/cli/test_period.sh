# chiso period add|list (METHODOLOGY M1: years, quarters, months).
. "$(dirname "$0")/lib.sh"

run chiso init
expect_exit 0

run chiso period add 2020
expect_exit 0
expect_out "Added period 2020: 2020-01-01 – 2020-12-31"

run chiso period add 2024-Q1
expect_exit 0
expect_out "2024-01-01 – 2024-03-31"

run chiso period add 2024-02
expect_exit 0
expect_out "2024-02-01 – 2024-02-29"

run chiso period add 2023-02
expect_exit 0
expect_out "2023-02-01 – 2023-02-28"

run chiso period add dot-1 --from 15/11/2020 --to 2021-01-31
expect_exit 0
expect_out "2020-11-15 – 2021-01-31"

run chiso period add 2020
expect_exit 1
expect_err "period '2020' already exists"

run chiso period add round-2
expect_exit 2
expect_err "give --from and --to"

run chiso period add x --from 2020-02-30 --to 2020-03-01
expect_exit 2
expect_err "'2020-02-30' is not a day of the calendar"

run chiso period add x --from 2021-01-01 --to 2020-01-01
expect_exit 1
expect_err "start 2021-01-01 is after end 2020-01-01"

run chiso period add 'bad code!'
expect_exit 2
expect_err "invalid period code 'bad code!'"

run chiso period add
expect_exit 2

run chiso period list --format csv
expect_exit 0
expect_line 1 "code,starts,ends"
expect_line 2 "2020,2020-01-01,2020-12-31"
expect_line 3 "dot-1,2020-11-15,2021-01-31"
expect_line 4 "2023-02,2023-02-01,2023-02-28"

run chiso period list --format json
expect_exit 0
expect_out '"code": "2024-Q1"'
expect_out '"ends": "2024-03-31"'

# Vietnamese table: dates written DD/MM/YYYY.
run chiso --lang vi period list
expect_exit 0
expect_out "Từ ngày"
expect_out "01/01/2020"
expect_out "31/12/2020"

run chiso period list --format xml
expect_exit 2
expect_err "expected table, csv or json"

finish
