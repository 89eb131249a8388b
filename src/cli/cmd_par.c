/*
 * chiso par compute|state|status|publish|show-published: the PAR index of a
 * period (METHODOLOGY M2.2-M2.8), the workflow of each unit's assessment and
 * the publication that freezes the results (M2.9).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "report/par_period.h"
#include "report/sipas_sources.h"
#include "core/par.h"
#include "core/workflow.h"
#include "report/fmt.h"
#include "report/par_json.h"
#include "report/par_publish.h"
#include "report/par_table.h"
#include "report/par_xlsx.h"
#include "store/framework_store.h"
#include "store/par_store.h"
#include "store/public_store.h"
#include "store/score_store.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

/* Largest rendered output kept in memory before it is written. */
#define OUTPUT_MAX (512u * 1024 * 1024)

/* Writes len bytes to path, or to stdout when path is NULL. */
static enum cs_err write_out(const char *path, const char *data, size_t len, struct cs_error *err)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	bool ok;

	if (!f)
		return cs_fail(err, CS_EIO, "cannot create '%s': %s",
			       path ? path : "standard output", strerror(errno));
	ok = fwrite(data, 1, len, f) == len;
	if (path)
		ok = fclose(f) == 0 && ok;
	if (!ok)
		return cs_fail(err, CS_EIO, "cannot write '%s'", path ? path : "standard output");
	return CS_OK;
}

/* The workbook to stdout (not a terminal): written to a temporary file, then copied. */
static enum cs_err xlsx_to_stdout(const struct cs_par_report *r, enum cs_fmt_lang lang,
				  struct cs_error *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096], *data = NULL;
	size_t len = 0;
	enum cs_err rc;
	int fd;

	snprintf(path, sizeof(path), "%s/chiso-par-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return cs_fail(err, CS_EIO, "cannot create a temporary file in '%s': %s",
			       dir && *dir ? dir : "/tmp", strerror(errno));
	close(fd);
	rc = cs_par_xlsx_write(r, lang, path, err);
	if (!rc)
		rc = cli_read_file(path, OUTPUT_MAX, &data, &len, err);
	if (!rc)
		rc = write_out(NULL, data, len, err);
	unlink(path);
	cs_free(data);
	return rc;
}

enum par_format {
	PAR_TABLE,
	PAR_CSV,
	PAR_JSON,
	PAR_XLSX
};

static const char *const format_names[] = {"table", "csv", "json", "xlsx"};

static int par_compute(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct par_period c;
	struct cs_buf out;
	enum par_format fmt = PAR_TABLE;
	enum cs_par_group_kind group = CS_PAR_GROUP_ALL;
	enum cs_fmt_lang lang = cli->lang == CLI_LANG_EN ? CS_FMT_EN : CS_FMT_VI;
	const char *period = NULL, *fw_code = NULL, *output = NULL;
	struct sipas_sources ss; /* survey leaves: SIPAS results (M2.2) */
	struct par_period_sources sources;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--period", &val, &missing)) {
			period = val;
		} else if (cli_opt(argc, argv, &i, "--framework", &val, &missing)) {
			fw_code = val;
		} else if (cli_opt(argc, argv, &i, "-o", &val, &missing) ||
			   cli_opt(argc, argv, &i, "--output", &val, &missing)) {
			output = val;
		} else if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			size_t k;

			for (k = 0; k < 4 && strcmp(val, format_names[k]) != 0; k++)
				;
			if (k == 4)
				return cli_usage(
					cli, "par",
					L(cli, "--format '%s': cần table, csv, json hoặc xlsx",
					  "--format '%s': expected table, csv, json or xlsx"),
					val);
			fmt = (enum par_format)k;
		} else if (cli_opt(argc, argv, &i, "--group", &val, &missing)) {
			if (strcmp(val, "all") == 0)
				group = CS_PAR_GROUP_ALL;
			else if (strcmp(val, "level") == 0)
				group = CS_PAR_GROUP_LEVEL;
			else if (strcmp(val, "parent") == 0)
				group = CS_PAR_GROUP_PARENT;
			else
				return cli_usage(cli, "par",
						 L(cli, "--group '%s': cần all, level hoặc parent",
						   "--group '%s': expected all, level or parent"),
						 val);
		} else {
			return cli_usage(
				cli, "par",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (!period)
		return cli_usage(cli, "par", L(cli, "cần --period", "--period is required"));
	if (fmt == PAR_XLSX && !output && cli->tty)
		return cli_usage(
			cli, "par",
			L(cli,
			  "không ghi tệp XLSX (nhị phân) ra màn hình; dùng -o TỆP.xlsx hoặc "
			  "chuyển hướng đầu ra",
			  "not writing an XLSX workbook (binary) to a terminal; use -o "
			  "FILE.xlsx or redirect the output"));

	par_period_init(&c);
	cs_buf_init(&out, OUTPUT_MAX);
	sources = sipas_sources_init(&ss);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) ||
	    par_period_compute(s, period, fw_code, &sources, &c, &err))
		goto fail;
	switch (fmt) {
	case PAR_XLSX:
		if (output ? cs_par_xlsx_write(&c.report, lang, output, &err)
			   : xlsx_to_stdout(&c.report, lang, &err))
			goto fail;
		goto out;
	case PAR_JSON:
		if (cs_par_json_write(&c.report, &out, &err))
			goto fail;
		break;
	case PAR_CSV:
		if (cs_par_csv_write(&c.report, &out, &err))
			goto fail;
		break;
	case PAR_TABLE:
	default:
		if (cs_par_table_write(&c.report, lang, group, &out, &err))
			goto fail;
		break;
	}
	if (write_out(output, out.data, out.len, &err))
		goto fail;
	goto out;
fail:
	rc = cli_fail(&err);
out:
	cs_buf_release(&out);
	par_period_release(&c);
	sipas_sources_release(&ss);
	cs_store_close(s);
	return rc;
}

/* Finds a stored unit by code. */
static const struct cs_unit *find_unit(const struct cs_unit_set *units, const char *code)
{
	for (size_t i = 0; i < units->units.len; i++) {
		const struct cs_unit *u = cs_unit_set_at(units, i);

		if (strcmp(u->code, code) == 0)
			return u;
	}
	return NULL;
}

static int par_state(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_framework *fw = NULL;
	struct cs_period period;
	struct cs_unit_set units;
	struct cs_par_round round;
	struct cs_vec changes, codes;
	const char *period_code = NULL, *fw_code = NULL, *to_name = NULL, *reason = NULL;
	const char *actor = NULL;
	char code[CS_SCORE_CODE_LEN];
	int64_t methodology_id = 0;
	enum cs_wf_state to;
	bool all = false;
	int rc = CLI_OK;

	cs_vec_init(&codes, sizeof(const char *), 0);
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--all") == 0) {
			all = true;
		} else if (cli_opt(argc, argv, &i, "--period", &val, &missing)) {
			period_code = val;
		} else if (cli_opt(argc, argv, &i, "--framework", &val, &missing)) {
			fw_code = val;
		} else if (cli_opt(argc, argv, &i, "--unit", &val, &missing)) {
			if (cs_vec_push(&codes, &val, &err)) {
				cs_vec_release(&codes);
				return cli_fail(&err);
			}
		} else if (cli_opt(argc, argv, &i, "--to", &val, &missing)) {
			to_name = val;
		} else if (cli_opt(argc, argv, &i, "--reason", &val, &missing)) {
			reason = val;
		} else if (cli_opt(argc, argv, &i, "--actor", &val, &missing)) {
			actor = val;
		} else {
			cs_vec_release(&codes);
			return cli_usage(
				cli, "par",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (!period_code || !to_name || (codes.len == 0 && !all) || (codes.len && all)) {
		cs_vec_release(&codes);
		return cli_usage(
			cli, "par",
			L(cli, "cần --period, --to và --unit (một hoặc nhiều) hoặc --all",
			  "--period, --to and --unit (one or more) or --all are required"));
	}
	if (!cs_wf_state_parse(cs_str_from(to_name), &to)) {
		cs_vec_release(&codes);
		return cli_usage(
			cli, "par",
			L(cli,
			  "--to '%s': cần draft, submitted, appraised, explanation_requested, "
			  "explained hoặc approved",
			  "--to '%s': expected draft, submitted, appraised, "
			  "explanation_requested, explained or approved"),
			to_name);
	}

	cs_unit_set_init(&units);
	cs_par_round_init(&round);
	cs_vec_init(&changes, sizeof(struct cs_par_state_change), 0);
	if (cli_open_store(cli, 0, &s, &err) || (actor && cs_store_set_actor(s, actor, &err)) ||
	    cs_score_store_period(s, period_code, &period, &err) ||
	    par_period_pick_framework(s, &period, fw_code, code, &err) ||
	    par_period_load_framework(s, period.id, code, &fw, NULL, &methodology_id, &err) ||
	    cs_unit_store_load(s, &units, &err))
		goto fail;
	if (all) {
		if (cs_par_round_load(s, period.id, fw, &units, &round, &err))
			goto fail;
		for (size_t i = 0; i < round.nunits; i++) {
			struct cs_par_state_change ch = {round.unit_ids[i], round.units[i].code,
							 CS_WF_DRAFT};

			if (cs_vec_push(&changes, &ch, &err))
				goto fail;
		}
		if (round.nunits == 0) {
			cs_fail(&err, CS_ENOTFOUND, "period '%s' has no units for framework '%s'",
				period.code, code);
			goto fail;
		}
	}
	for (size_t i = 0; i < codes.len; i++) {
		const char *uc = *(const char **)cs_vec_at(&codes, i);
		const struct cs_unit *u = find_unit(&units, uc);
		struct cs_par_state_change ch;

		if (!u) {
			cs_fail(&err, CS_ENOTFOUND, "unknown unit '%s'", uc);
			goto fail;
		}
		ch = (struct cs_par_state_change){u->id, u->code, CS_WF_DRAFT};
		if (cs_vec_push(&changes, &ch, &err))
			goto fail;
	}
	if (cs_par_state_set(s, &period, code, changes.data, changes.len, to, reason, &err))
		goto fail;
	for (size_t i = 0; i < changes.len; i++) {
		const struct cs_par_state_change *ch = cs_vec_at(&changes, i);

		printf("%s: %s -> %s\n", ch->unit,
		       cli->lang == CLI_LANG_EN ? cs_wf_state_name(ch->from)
						: cs_wf_state_label_vi(ch->from),
		       cli->lang == CLI_LANG_EN ? cs_wf_state_name(to) : cs_wf_state_label_vi(to));
	}
	goto out;
fail:
	rc = cli_fail(&err);
out:
	cs_vec_release(&changes);
	cs_vec_release(&codes);
	cs_par_round_release(&round);
	cs_unit_set_release(&units);
	cs_framework_free(fw);
	cs_store_close(s);
	return rc;
}

static int par_status(struct cli *cli, int argc, char **argv)
{
	enum cli_format fmt = CLI_FMT_TABLE;
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct par_period c;
	const char *period = NULL, *fw_code = NULL;
	size_t counts[CS_WF_STATE_COUNT_] = {0};
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--period", &val, &missing)) {
			period = val;
		} else if (cli_opt(argc, argv, &i, "--framework", &val, &missing)) {
			fw_code = val;
		} else if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			if (!cli_parse_format(val, &fmt))
				return cli_usage(cli, "par",
						 L(cli, "--format '%s': cần table, csv hoặc json",
						   "--format '%s': expected table, csv or json"),
						 val);
		} else {
			return cli_usage(
				cli, "par",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (!period)
		return cli_usage(cli, "par", L(cli, "cần --period", "--period is required"));
	par_period_init(&c);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) ||
	    cs_score_store_period(s, period, &c.period, &err) ||
	    par_period_pick_framework(s, &c.period, fw_code, c.fw_code, &err) ||
	    par_period_load_framework(s, c.period.id, c.fw_code, &c.fw, c.fw_sha, &c.methodology_id,
				      &err) ||
	    cs_unit_store_load(s, &c.units, &err) ||
	    cs_par_round_load(s, c.period.id, c.fw, &c.units, &c.round, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	for (size_t i = 0; i < c.round.nunits; i++)
		counts[c.round.states[i]]++;
	if (fmt == CLI_FMT_JSON) {
		json_t *root = json_pack("{s:s, s:s, s:{}, s:[]}", "period", c.period.code,
					 "framework", c.fw_code, "states", "units");
		json_t *states = root ? json_object_get(root, "states") : NULL;
		json_t *units = root ? json_object_get(root, "units") : NULL;

		for (int k = 0; states && k < CS_WF_STATE_COUNT_; k++)
			json_object_set_new(states, cs_wf_state_name((enum cs_wf_state)k),
					    json_integer((json_int_t)counts[k]));
		for (size_t i = 0; units && i < c.round.nunits; i++)
			json_array_append_new(
				units, json_pack("{s:s, s:s}", "code", c.round.units[i].code,
						 "state", cs_wf_state_name(c.round.states[i])));
		if (!root || json_dumpf(root, stdout, JSON_INDENT(2)) != 0) {
			json_decref(root);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		json_decref(root);
		putchar('\n');
	} else if (fmt == CLI_FMT_CSV) {
		printf("unit,state\n");
		for (size_t i = 0; i < c.round.nunits; i++) {
			cli_csv_field(stdout, c.round.units[i].code);
			printf(",%s\n", cs_wf_state_name(c.round.states[i]));
		}
	} else {
		struct cli_table *t = cli_table_new(3);
		const char *head[3] = {L(cli, "Trạng thái", "State"), L(cli, "Số đơn vị", "Units"),
				       L(cli, "Đơn vị", "Which")};

		printf(L(cli, "Kỳ %s, khung %s: %zu đơn vị.\n",
			 "Period %s, framework %s: %zu units.\n"),
		       c.period.code, c.fw_code, c.round.nunits);
		if (!t || cli_table_add(t, head, &err)) {
			cli_table_free(t);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		for (int k = 0; k < CS_WF_STATE_COUNT_; k++) {
			struct cs_buf which;
			char n[32];
			const char *row[3];

			cs_buf_init(&which, 1u << 20);
			for (size_t i = 0; i < c.round.nunits; i++)
				if ((int)c.round.states[i] == k &&
				    cs_buf_addf(&which, NULL, "%s%s", which.len ? ", " : "",
						c.round.units[i].code))
					break;
			snprintf(n, sizeof(n), "%zu", counts[k]);
			row[0] = cli->lang == CLI_LANG_EN
					 ? cs_wf_state_name((enum cs_wf_state)k)
					 : cs_wf_state_label_vi((enum cs_wf_state)k);
			row[1] = n;
			row[2] = which.data;
			if (cli_table_add(t, row, &err)) {
				cs_buf_release(&which);
				cli_table_free(t);
				rc = cli_fail(&err);
				goto out;
			}
			cs_buf_release(&which);
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
out:
	par_period_release(&c);
	cs_store_close(s);
	return rc;
}

static int par_publish(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct par_published pub;
	const char *period = NULL, *fw_code = NULL, *actor = NULL;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--period", &val, &missing))
			period = val;
		else if (cli_opt(argc, argv, &i, "--framework", &val, &missing))
			fw_code = val;
		else if (cli_opt(argc, argv, &i, "--actor", &val, &missing))
			actor = val;
		else
			return cli_usage(
				cli, "par",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
	}
	if (!period)
		return cli_usage(cli, "par", L(cli, "cần --period", "--period is required"));

	if (cli_open_store(cli, 0, &s, &err) || (actor && cs_store_set_actor(s, actor, &err)) ||
	    par_period_publish(s, period, fw_code, &pub, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	printf(L(cli,
		 "Đã công bố kết quả kỳ %s, khung %s phiên bản %s: %zu đơn vị.\n"
		 "  khung (sha256):   %s\n  dữ liệu (sha256): %s\n"
		 "Kết quả đã công bố không thay đổi; xem lại bằng 'chiso par show-published "
		 "--period %s'.\n",
		 "Published the results of period %s, framework %s version %s: %zu units.\n"
		 "  framework (sha256): %s\n  input (sha256):     %s\n"
		 "Published results never change; see them with 'chiso par show-published "
		 "--period %s'.\n"),
	       pub.period, pub.framework, pub.version, pub.units, pub.methodology_sha256,
	       pub.input_sha256, pub.period);
out:
	cs_store_close(s);
	return rc;
}

static int par_show_published(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_period period;
	struct cs_publication pub = {0};
	const char *period_code = NULL, *fw_code = NULL;
	char code[CS_SCORE_CODE_LEN];
	bool meta = false, found = false;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--meta") == 0) {
			meta = true;
		} else if (cli_opt(argc, argv, &i, "--period", &val, &missing)) {
			period_code = val;
		} else if (cli_opt(argc, argv, &i, "--framework", &val, &missing)) {
			fw_code = val;
		} else if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			if (strcmp(val, "json") != 0)
				return cli_usage(
					cli, "par",
					L(cli,
					  "--format '%s': kết quả đã công bố được lưu và in "
					  "dạng json",
					  "--format '%s': published results are kept and "
					  "shown as json"),
					val);
		} else {
			return cli_usage(
				cli, "par",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (!period_code)
		return cli_usage(cli, "par", L(cli, "cần --period", "--period is required"));
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) ||
	    cs_score_store_period(s, period_code, &period, &err) ||
	    par_period_pick_framework(s, &period, fw_code, code, &err) ||
	    cs_publication_get(s, period.id, code, &pub, &found, &err))
		goto fail;
	if (!found) {
		cs_fail(&err, CS_ENOTFOUND,
			"the results of period '%s' for framework '%s' are not published; publish "
			"them with 'chiso par publish --period %s'",
			period.code, code, period.code);
		goto fail;
	}
	if (meta) {
		char sha[CS_SHA256_HEX_LEN];
		json_error_t jerr;
		json_t *opts = json_loadb(pub.options, pub.options_len, 0, &jerr);
		json_t *root;

		cs_sha256_hex(pub.results, pub.results_len, sha);
		root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o?}", "period",
				 period.code, "framework", pub.framework, "version", pub.version,
				 "published_at", pub.published_at, "published_by", pub.published_by,
				 "methodology_sha256", pub.methodology_sha256, "input_sha256",
				 pub.input_sha256, "results_sha256", sha, "options", opts);
		if (!root || json_dumpf(root, stdout, JSON_INDENT(2)) != 0) {
			json_decref(root);
			cs_fail(&err, CS_ENOMEM, NULL);
			goto fail;
		}
		json_decref(root);
		putchar('\n');
	} else if (write_out(NULL, pub.results, pub.results_len, &err)) {
		goto fail;
	}
	goto out;
fail:
	rc = cli_fail(&err);
out:
	cs_publication_release(&pub);
	cs_store_close(s);
	return rc;
}

/*
 * Marks a period public, or no longer public (--off): its results are then
 * shown, or no longer shown, on the dashboard pages that need no sign-in.
 */
static int par_public(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_period period;
	const char *period_code = NULL, *actor = NULL;
	bool on = true, changed = false;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--off") == 0)
			on = false;
		else if (cli_opt(argc, argv, &i, "--period", &val, &missing))
			period_code = val;
		else if (cli_opt(argc, argv, &i, "--actor", &val, &missing))
			actor = val;
		else
			return cli_usage(
				cli, "par",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
	}
	if (!period_code)
		return cli_usage(cli, "par", L(cli, "cần --period", "--period is required"));
	if (cli_open_store(cli, 0, &s, &err) || (actor && cs_store_set_actor(s, actor, &err)) ||
	    cs_score_store_period(s, period_code, &period, &err) ||
	    cs_public_period_set(s, &period, on, &changed, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (on)
		printf(changed ? L(cli, "Kỳ %s đã được công khai trên trang /d/.\n",
				   "Period %s is now public on the /d/ pages.\n")
			       : L(cli, "Kỳ %s đã công khai từ trước.\n",
				   "Period %s was already public.\n"),
		       period.code);
	else
		printf(changed ? L(cli, "Kỳ %s không còn công khai.\n",
				   "Period %s is no longer public.\n")
			       : L(cli, "Kỳ %s chưa công khai.\n", "Period %s was not public.\n"),
		       period.code);
out:
	cs_store_close(s);
	return rc;
}

static const struct {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
} subcommands[] = {
	{"compute", par_compute},
	{"state", par_state},
	{"status", par_status},
	{"publish", par_publish},
	{"show-published", par_show_published},
	{"public", par_public},
};

int cmd_par(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli, "par",
				 L(cli,
				   "thiếu lệnh con: compute, state, status, publish, "
				   "show-published hoặc public",
				   "missing subcommand: compute, state, status, publish, "
				   "show-published or public"));
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(cli, argc - 1, argv + 1);
	return cli_usage(cli, "par",
			 L(cli,
			   "không có lệnh con '%s'; cần compute, state, status, publish, "
			   "show-published hoặc public",
			   "unknown subcommand '%s'; expected compute, state, status, publish, "
			   "show-published or public"),
			 argv[1]);
}
