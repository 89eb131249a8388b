/*
 * chiso survey wave add|list: survey waves, each tying a questionnaire
 * version to a period (METHODOLOGY M3.1, M3.8). Reached through the
 * `survey` command's subcommand table.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "store/questionnaire_store.h"
#include "store/response_store.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/vec.h"

#include "util/banned.h"

/* Copies s into a fixed field; false when it does not fit. */
static bool set_field(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n >= cap)
		return false;
	memcpy(dst, s, n + 1);
	return true;
}

static bool set_date(char *dst, const char *s)
{
	return !cs_date_parse(cs_str_from(s), dst, NULL);
}

static int wave_add(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_wave w = {0};
	const char *code = NULL, *qarg = NULL, *period = NULL, *title = "", *opens = NULL,
		   *closes = NULL, *mode = "";
	char qcode[CS_Q_CODE_MAX + 1] = "", *at, *body = NULL;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--questionnaire", &val, &missing))
			qarg = val;
		else if (cli_opt(argc, argv, &i, "--period", &val, &missing))
			period = val;
		else if (cli_opt(argc, argv, &i, "--title", &val, &missing))
			title = val;
		else if (cli_opt(argc, argv, &i, "--opens", &val, &missing))
			opens = val;
		else if (cli_opt(argc, argv, &i, "--closes", &val, &missing))
			closes = val;
		else if (cli_opt(argc, argv, &i, "--mode", &val, &missing))
			mode = val;
		else if (!missing && argv[i][0] != '-' && !code)
			code = argv[i];
		else
			return cli_usage(
				cli, "survey",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
	}
	if (!code || !qarg || !period)
		return cli_usage(cli, "survey", "%s",
				 L(cli, "cần MÃ, --questionnaire và --period",
				   "give CODE, --questionnaire and --period"));
	/* --questionnaire CODE or CODE@VERSION. */
	if (!set_field(qcode, sizeof(qcode), qarg))
		return cli_usage(
			cli, "survey",
			L(cli, "--questionnaire '%s': quá dài", "--questionnaire '%s': too long"),
			qarg);
	at = strchr(qcode, '@');
	if (at)
		*at++ = '\0';
	if (!set_field(w.code, sizeof(w.code), code) ||
	    !set_field(w.questionnaire, sizeof(w.questionnaire), qcode) ||
	    !set_field(w.period, sizeof(w.period), period) ||
	    !set_field(w.title, sizeof(w.title), title) || !set_field(w.mode, sizeof(w.mode), mode))
		return cli_usage(cli, "survey", "%s",
				 L(cli, "một giá trị quá dài", "a value is too long"));
	if ((opens && !set_date(w.opens, opens)) || (closes && !set_date(w.closes, closes)))
		return cli_usage(cli, "survey",
				 L(cli, "ngày '%s' không hợp lệ; cần YYYY-MM-DD",
				   "date '%s' is not valid; expected YYYY-MM-DD"),
				 opens && !set_date(w.opens, opens) ? opens : closes);
	if (cli_open_store(cli, 0, &s, &err) ||
	    cs_questionnaire_store_body(s, w.questionnaire, at, &body, NULL, NULL,
					w.questionnaire_version, &err) ||
	    cs_wave_store_add(s, &w, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	printf(L(cli, "Đã thêm đợt khảo sát %s: phiếu %s phiên bản %s, kỳ %s.\n",
		 "Added survey wave %s: questionnaire %s version %s, period %s.\n"),
	       w.code, w.questionnaire, w.questionnaire_version, w.period);
out:
	cs_free(body);
	cs_store_close(s);
	return rc;
}

static int wave_list(struct cli *cli, int argc, char **argv)
{
	enum cli_format fmt = CLI_FMT_TABLE;
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_vec waves;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			if (!cli_parse_format(val, &fmt))
				return cli_usage(cli, "survey",
						 L(cli, "--format '%s': cần table, csv hoặc json",
						   "--format '%s': expected table, csv or json"),
						 val);
		} else {
			return cli_usage(
				cli, "survey",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	cs_vec_init(&waves, sizeof(struct cs_wave), 0);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) ||
	    cs_wave_store_list(s, &waves, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (fmt == CLI_FMT_CSV) {
		printf("code,questionnaire,version,period,title,responses\n");
		for (size_t i = 0; i < waves.len; i++) {
			const struct cs_wave *w = cs_vec_at(&waves, i);

			cli_csv_field(stdout, w->code);
			putchar(',');
			cli_csv_field(stdout, w->questionnaire);
			putchar(',');
			cli_csv_field(stdout, w->questionnaire_version);
			putchar(',');
			cli_csv_field(stdout, w->period);
			putchar(',');
			cli_csv_field(stdout, w->title);
			printf(",%lld\n", (long long)w->responses);
		}
	} else if (fmt == CLI_FMT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < waves.len; i++) {
			const struct cs_wave *w = cs_vec_at(&waves, i);

			json_array_append_new(arr,
					      json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "code",
							w->code, "questionnaire", w->questionnaire,
							"version", w->questionnaire_version,
							"period", w->period, "title", w->title,
							"responses", (json_int_t)w->responses));
		}
		if (!arr || json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
			json_decref(arr);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		json_decref(arr);
		putchar('\n');
	} else if (!waves.len) {
		printf("%s",
		       L(cli, "Chưa có đợt khảo sát nào. Thêm bằng 'chiso survey wave add'.\n",
			 "No survey waves yet. Add one with 'chiso survey wave add'.\n"));
	} else {
		struct cli_table *t = cli_table_new(5);
		const char *head[5] = {L(cli, "Mã", "Code"), L(cli, "Phiếu", "Questionnaire"),
				       L(cli, "Kỳ", "Period"), L(cli, "Số phiếu", "Responses"),
				       L(cli, "Tên", "Title")};

		if (!t || cli_table_add(t, head, &err)) {
			cli_table_free(t);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		for (size_t i = 0; i < waves.len; i++) {
			const struct cs_wave *w = cs_vec_at(&waves, i);
			char q[2 * CS_Q_CODE_MAX + 4], n[32];
			const char *row[5] = {w->code, q, w->period, n, w->title};

			snprintf(q, sizeof(q), "%s@%s", w->questionnaire, w->questionnaire_version);
			snprintf(n, sizeof(n), "%lld", (long long)w->responses);
			if (cli_table_add(t, row, &err)) {
				cli_table_free(t);
				rc = cli_fail(&err);
				goto out;
			}
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
out:
	cs_vec_release(&waves);
	cs_store_close(s);
	return rc;
}

int cmd_survey_wave(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli, "survey", "%s",
				 L(cli, "thiếu lệnh con: wave add hoặc wave list",
				   "missing subcommand: wave add or wave list"));
	if (strcmp(argv[1], "add") == 0)
		return wave_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return wave_list(cli, argc - 1, argv + 1);
	return cli_usage(cli, "survey",
			 L(cli, "không có lệnh con 'wave %s'; cần wave add hoặc wave list",
			   "unknown subcommand 'wave %s'; expected wave add or wave list"),
			 argv[1]);
}
