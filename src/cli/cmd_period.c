/* chiso period add|list: the periods (years, quarters, months) results belong to. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "store/unit_store.h"
#include "util/date.h"
#include "util/str.h"
#include "util/vec.h"

#include "util/banned.h"

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * The first and last day implied by a period code: YYYY, YYYY-Qn or YYYY-MM
 * (METHODOLOGY M1: a year, or a quarter or month for service data).
 */
static bool default_range(const char *code, struct cs_period *p)
{
	static const int last_day[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	size_t n = strlen(code);
	int y, m1, m2, d;

	if (n < 4 || !all_digits(code, 4))
		return false;
	y = num(code, 4);
	if (n == 4) {
		m1 = 1;
		m2 = 12;
	} else if (n == 7 && code[4] == '-' && code[5] == 'Q' && code[6] >= '1' && code[6] <= '4') {
		m1 = (code[6] - '1') * 3 + 1;
		m2 = m1 + 2;
	} else if (n == 7 && code[4] == '-' && all_digits(code + 5, 2)) {
		m1 = m2 = num(code + 5, 2);
		if (m1 < 1 || m1 > 12)
			return false;
	} else {
		return false;
	}
	d = last_day[m2 - 1];
	if (m2 == 2 && cs_date_valid(y, 2, 29))
		d = 29;
	if (!cs_date_valid(y, m1, 1))
		return false;
	/* The values are checked above, so the texts are 10 characters. */
	snprintf(p->starts, sizeof(p->starts), "%04u-%02u-01", (unsigned)y % 10000u,
		 (unsigned)m1 % 100u);
	snprintf(p->ends, sizeof(p->ends), "%04u-%02u-%02u", (unsigned)y % 10000u,
		 (unsigned)m2 % 100u, (unsigned)d % 100u);
	return true;
}

static bool valid_code(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(((struct cs_period *)0)->code))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

static int period_add(struct cli *cli, int argc, char **argv)
{
	struct cs_period p = {0};
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	const char *code = NULL, *from = NULL, *to = NULL;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--from", &val, &missing))
			from = val;
		else if (cli_opt(argc, argv, &i, "--to", &val, &missing))
			to = val;
		else if (missing)
			return cli_usage(cli, "period",
					 L(cli, "%s cần một ngày", "%s needs a date"), argv[i]);
		else if (argv[i][0] == '-')
			return cli_usage(cli, "period",
					 L(cli, "không có tùy chọn '%s'", "unknown option '%s'"),
					 argv[i]);
		else if (!code)
			code = argv[i];
		else
			return cli_usage(cli, "period",
					 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
					 argv[i]);
	}
	if (!code)
		return cli_usage(
			cli, "period",
			L(cli, "thiếu mã kỳ (ví dụ 2020)", "missing the period code (e.g. 2020)"));
	if (!valid_code(code))
		return cli_usage(cli, "period",
				 L(cli,
				   "mã kỳ '%s' không hợp lệ; chỉ dùng chữ, số, '-', '_', '.' (tối "
				   "đa 31 ký tự)",
				   "invalid period code '%s'; use letters, digits, '-', '_', '.' "
				   "(at most 31)"),
				 code);
	snprintf(p.code, sizeof(p.code), "%s", code);
	if (!default_range(code, &p) && (!from || !to))
		return cli_usage(cli, "period",
				 L(cli,
				   "không suy ra được ngày của kỳ '%s'; hãy cho --from và --to",
				   "cannot tell the dates of period '%s'; give --from and --to"),
				 code);
	if (from && cs_date_parse(cs_str_from(from), p.starts, &err))
		return cli_usage(cli, "period", "--from: %s", err.msg);
	if (to && cs_date_parse(cs_str_from(to), p.ends, &err))
		return cli_usage(cli, "period", "--to: %s", err.msg);
	if (strcmp(p.starts, p.ends) > 0)
		return cli_error(L(cli, "kỳ '%s': ngày bắt đầu %s sau ngày kết thúc %s",
				   "period '%s': start %s is after end %s"),
				 code, p.starts, p.ends);
	if (cli_open_store(cli, 0, &s, &err) || cs_period_store_add(s, &p, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	{
		char a[CS_DATE_LEN], b[CS_DATE_LEN];

		cs_date_to_vi(p.starts, a);
		cs_date_to_vi(p.ends, b);
		printf(L(cli, "Đã thêm kỳ %s: %s – %s.\n", "Added period %s: %s – %s.\n"), p.code,
		       cli->lang == CLI_LANG_EN ? p.starts : a,
		       cli->lang == CLI_LANG_EN ? p.ends : b);
	}
out:
	cs_store_close(s);
	return rc;
}

static int period_list(struct cli *cli, int argc, char **argv)
{
	enum cli_format fmt = CLI_FMT_TABLE;
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_vec periods;
	int rc = CLI_OK;

	cs_vec_init(&periods, sizeof(struct cs_period), 0);
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			if (!cli_parse_format(val, &fmt))
				return cli_usage(cli, "period",
						 L(cli, "--format '%s': cần table, csv hoặc json",
						   "--format '%s': expected table, csv or json"),
						 val);
		} else {
			return cli_usage(
				cli, "period",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) ||
	    cs_period_store_list(s, &periods, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (fmt == CLI_FMT_CSV) {
		printf("code,starts,ends\n");
		for (size_t i = 0; i < periods.len; i++) {
			const struct cs_period *p = cs_vec_at(&periods, i);

			cli_csv_field(stdout, p->code);
			printf(",%s,%s\n", p->starts, p->ends);
		}
	} else if (fmt == CLI_FMT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < periods.len; i++) {
			const struct cs_period *p = cs_vec_at(&periods, i);

			json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "code", p->code,
							     "starts", p->starts, "ends", p->ends));
		}
		if (!arr || json_dumpf(arr, stdout, JSON_INDENT(2)) != 0) {
			json_decref(arr);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		json_decref(arr);
		putchar('\n');
	} else {
		struct cli_table *t = cli_table_new(3);
		const char *head[3] = {L(cli, "Kỳ", "Period"), L(cli, "Từ ngày", "From"),
				       L(cli, "Đến ngày", "To")};

		if (!t || cli_table_add(t, head, &err)) {
			cli_table_free(t);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		for (size_t i = 0; i < periods.len; i++) {
			const struct cs_period *p = cs_vec_at(&periods, i);
			char a[CS_DATE_LEN], b[CS_DATE_LEN];
			const char *row[3];

			cs_date_to_vi(p->starts, a);
			cs_date_to_vi(p->ends, b);
			row[0] = p->code;
			row[1] = cli->lang == CLI_LANG_EN ? p->starts : a;
			row[2] = cli->lang == CLI_LANG_EN ? p->ends : b;
			if (cli_table_add(t, row, &err)) {
				cli_table_free(t);
				rc = cli_fail(&err);
				goto out;
			}
		}
		if (periods.len == 0)
			printf("%s", L(cli, "Chưa có kỳ nào. Thêm bằng 'chiso period add 2020'.\n",
				       "No periods yet. Add one with 'chiso period add 2020'.\n"));
		else
			cli_table_print(t, stdout);
		cli_table_free(t);
	}
out:
	cs_vec_release(&periods);
	cs_store_close(s);
	return rc;
}

int cmd_period(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(
			cli, "period",
			L(cli, "thiếu lệnh con: add hoặc list", "missing subcommand: add or list"));
	if (strcmp(argv[1], "add") == 0)
		return period_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return period_list(cli, argc - 1, argv + 1);
	return cli_usage(cli, "period",
			 L(cli, "không có lệnh con '%s'; cần add hoặc list",
			   "unknown subcommand '%s'; expected add or list"),
			 argv[1]);
}
