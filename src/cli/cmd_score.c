/*
 * chiso score import|history: self-assessment and appraisal scores of the
 * PAR index (METHODOLOGY M2.2, M2.9) and the audit trail of every change.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/framework.h"
#include "io/score_table.h"
#include "store/framework_store.h"
#include "store/score_store.h"
#include "store/unit_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* True when path ends in .xlsx (any case). */
static bool xlsx_name(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && cs_str_eq_nocase(cs_str_make(path + n - 5, 5), ".xlsx");
}

static int score_import(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_framework *fw = NULL;
	struct cs_score_table table;
	struct cs_unit_set units;
	struct cs_period period;
	struct cs_score_import_stats stats = {0};
	const char *path = NULL, *period_code = NULL, *fw_code = NULL, *version = NULL;
	const char *actor = NULL, *sheet = NULL;
	char stored_version[CS_SCORE_CODE_LEN];
	bool dry_run = false, found = false;
	char *data = NULL;
	size_t len = 0;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = true;
		else if (cli_opt(argc, argv, &i, "--period", &val, &missing))
			period_code = val;
		else if (cli_opt(argc, argv, &i, "--framework", &val, &missing))
			fw_code = val;
		else if (cli_opt(argc, argv, &i, "--version", &val, &missing))
			version = val;
		else if (cli_opt(argc, argv, &i, "--actor", &val, &missing))
			actor = val;
		else if (cli_opt(argc, argv, &i, "--sheet", &val, &missing))
			sheet = val;
		else if (missing)
			return cli_usage(cli, "score",
					 L(cli, "%s cần một giá trị", "%s needs a value"), argv[i]);
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, "score",
					 L(cli, "không có tùy chọn '%s'", "unknown option '%s'"),
					 argv[i]);
		else if (!path)
			path = argv[i];
		else
			return cli_usage(cli, "score",
					 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
					 argv[i]);
	}
	if (!path)
		return cli_usage(
			cli, "score",
			L(cli, "thiếu tệp điểm cần nhập", "missing the score file to import"));
	if (!period_code || !fw_code)
		return cli_usage(cli, "score",
				 L(cli, "cần --period và --framework",
				   "--period and --framework are required"));

	cs_score_table_init(&table);
	cs_unit_set_init(&units);
	if (cli_read_file(path, CS_SCORE_TABLE_MAX, &data, &len, &err))
		goto fail;
	if (cs_score_table_is_xlsx(data, len) || xlsx_name(path)) {
		if (cs_score_table_parse_xlsx(path, data, len, sheet, &table, &err))
			goto fail;
	} else if (sheet) {
		rc = cli_usage(
			cli, "score",
			L(cli, "--sheet chỉ dùng với tệp XLSX", "--sheet is for XLSX files"));
		goto out;
	} else if (cs_score_table_parse_csv(path, data, len, &table, &err)) {
		goto fail;
	}
	if (cli_open_store(cli, 0, &s, &err) || (actor && cs_store_set_actor(s, actor, &err)) ||
	    cs_score_store_period(s, period_code, &period, &err))
		goto fail;
	/* Scores of a period belong to one version of the framework: the one
	 * already used, unless --version says otherwise (which the store then
	 * refuses if it differs). */
	if (!version) {
		if (cs_score_store_version(s, period.id, fw_code, stored_version, &found, &err))
			goto fail;
		if (found)
			version = stored_version;
	}
	if (cs_framework_store_load(s, fw_code, version, &fw, NULL, &err) ||
	    cs_unit_store_load(s, &units, &err) ||
	    cs_score_table_check(&table, fw, &units, period.starts, period.ends, &err))
		goto fail;
	if (!dry_run && cs_score_store_import(s, &period, fw, &table, &stats, &err))
		goto fail;
	if (dry_run)
		printf(L(cli,
			 "Kiểm tra (không ghi) %s: %zu dòng hợp lệ cho kỳ %s, khung %s phiên bản "
			 "%s.\n",
			 "Checked (nothing written) %s: %zu valid rows for period %s, framework %s "
			 "version %s.\n"),
		       path, table.rows.len, period.code, cs_framework_info(fw)->code,
		       cs_framework_info(fw)->version);
	else
		printf(L(cli,
			 "Đã nhập %s cho kỳ %s, khung %s phiên bản %s: thêm %zu, thay đổi %zu, "
			 "giữ nguyên %zu; %zu thay đổi được ghi vào nhật ký.\n",
			 "Imported %s for period %s, framework %s version %s: %zu added, %zu "
			 "changed, %zu unchanged; %zu changes written to the audit log.\n"),
		       path, period.code, cs_framework_info(fw)->code,
		       cs_framework_info(fw)->version, stats.added, stats.changed, stats.unchanged,
		       stats.audited);
	goto out;
fail:
	rc = cli_fail(&err);
out:
	cs_framework_free(fw);
	cs_unit_set_release(&units);
	cs_score_table_release(&table);
	cs_store_close(s);
	cs_free(data);
	return rc;
}

static json_t *change_json(const struct cs_score_change *c)
{
	return json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "at", c->at,
			 "actor", c->actor, "framework", c->framework, "unit", c->unit, "node",
			 c->node, "field", c->field, "old", c->old_value, "new", c->new_value,
			 "reason", c->reason);
}

static int score_history(struct cli *cli, int argc, char **argv)
{
	enum cli_format fmt = CLI_FMT_TABLE;
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_period period;
	struct cs_arena arena;
	struct cs_vec changes;
	const char *period_code = NULL, *fw_code = NULL, *unit = NULL, *node = NULL;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--period", &val, &missing)) {
			period_code = val;
		} else if (cli_opt(argc, argv, &i, "--framework", &val, &missing)) {
			fw_code = val;
		} else if (cli_opt(argc, argv, &i, "--unit", &val, &missing)) {
			unit = val;
		} else if (cli_opt(argc, argv, &i, "--node", &val, &missing)) {
			node = val;
		} else if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			if (!cli_parse_format(val, &fmt))
				return cli_usage(cli, "score",
						 L(cli, "--format '%s': cần table, csv hoặc json",
						   "--format '%s': expected table, csv or json"),
						 val);
		} else {
			return cli_usage(
				cli, "score",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (!period_code)
		return cli_usage(cli, "score", L(cli, "cần --period", "--period is required"));

	cs_arena_init(&arena, 0);
	cs_vec_init(&changes, sizeof(struct cs_score_change), 0);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) ||
	    cs_score_store_period(s, period_code, &period, &err) ||
	    cs_score_store_history(s, period.code, fw_code, unit, node, &arena, &changes, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (fmt == CLI_FMT_CSV) {
		printf("at,actor,framework,unit,node,field,old,new,reason\n");
		for (size_t i = 0; i < changes.len; i++) {
			const struct cs_score_change *c = cs_vec_at(&changes, i);
			const char *f[9] = {c->at,    c->actor,	    c->framework, c->unit,  c->node,
					    c->field, c->old_value, c->new_value, c->reason};

			for (int k = 0; k < 9; k++) {
				if (k)
					putchar(',');
				cli_csv_field(stdout, f[k]);
			}
			putchar('\n');
		}
	} else if (fmt == CLI_FMT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < changes.len; i++)
			json_array_append_new(arr, change_json(cs_vec_at(&changes, i)));
		if (!arr || json_dumpf(arr, stdout, JSON_INDENT(2)) != 0) {
			json_decref(arr);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		json_decref(arr);
		putchar('\n');
	} else if (changes.len == 0) {
		printf(L(cli, "Kỳ %s chưa có thay đổi nào về điểm.\n",
			 "No score changes in period %s yet.\n"),
		       period.code);
	} else {
		struct cli_table *t = cli_table_new(8);
		const char *head[8] = {L(cli, "Thời điểm", "At"),    L(cli, "Người sửa", "Actor"),
				       L(cli, "Đơn vị", "Unit"),     L(cli, "Tiêu chí", "Node"),
				       L(cli, "Trường", "Field"),    L(cli, "Giá trị cũ", "Old"),
				       L(cli, "Giá trị mới", "New"), L(cli, "Lý do", "Reason")};

		if (!t || cli_table_add(t, head, &err)) {
			cli_table_free(t);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		for (size_t i = 0; i < changes.len; i++) {
			const struct cs_score_change *c = cs_vec_at(&changes, i);
			const char *row[8] = {
				c->at,	  c->actor,	c->unit,      c->node ? c->node : "-",
				c->field, c->old_value, c->new_value, c->reason};

			if (cli_table_add(t, row, &err)) {
				cli_table_free(t);
				rc = cli_fail(&err);
				goto out;
			}
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
		printf(L(cli, "%zu thay đổi.\n", "%zu changes.\n"), changes.len);
	}
out:
	cs_vec_release(&changes);
	cs_arena_release(&arena);
	cs_store_close(s);
	return rc;
}

int cmd_score(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli, "score",
				 L(cli, "thiếu lệnh con: import hoặc history",
				   "missing subcommand: import or history"));
	if (strcmp(argv[1], "import") == 0)
		return score_import(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "history") == 0)
		return score_history(cli, argc - 1, argv + 1);
	return cli_usage(cli, "score",
			 L(cli, "không có lệnh con '%s'; cần import hoặc history",
			   "unknown subcommand '%s'; expected import or history"),
			 argv[1]);
}
