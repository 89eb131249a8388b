/*
 * chiso sipas compute|weak|rank: satisfaction indices of a survey wave with
 * their intervals (METHODOLOGY M3.3-M3.5), weak areas and expectations
 * (M3.6), change against the previous wave and rankings with bootstrap
 * intervals (M3.7). The numbers come from core/sipas.h through
 * store/sipas_wave.h, as the dashboards' do; this file parses options and
 * picks the output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/fmt.h"
#include "report/sipas_json.h"
#include "report/sipas_table.h"
#include "report/sipas_xlsx.h"
#include "store/response_store.h"
#include "store/sipas_provider.h"
#include "store/sipas_wave.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

/* Largest text output built in memory (a national table by unit is a few MB). */
#define OUTPUT_MAX ((size_t)1 << 30)
#define BOOTSTRAP_DEFAULT 1000
#define SEED_DEFAULT 20240101UL

enum out_format {
	OUT_TABLE,
	OUT_CSV,
	OUT_JSON,
	OUT_XLSX
};

struct args {
	const char *wave, *unit, *output, *previous;
	bool no_previous;
	enum cs_sipas_by by;
	enum out_format fmt;
	enum cs_svy_lonely lonely;
	struct cs_sipas_rank_opts rank;
};

/* A whole decimal number from 0 to max. */
static bool whole(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end = NULL;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !*end && !errno && *out <= max;
}

/* Parses the options every subcommand shares; returns CLI_OK or a usage error. */
static int parse_args(struct cli *cli, int argc, char **argv, const char *sub, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--wave", &val, &missing)) {
			a->wave = val;
		} else if (cli_opt(argc, argv, &i, "--unit", &val, &missing)) {
			a->unit = val;
		} else if (cli_opt(argc, argv, &i, "--output", &val, &missing) ||
			   cli_opt(argc, argv, &i, "-o", &val, &missing)) {
			a->output = val;
		} else if (cli_opt(argc, argv, &i, "--by", &val, &missing)) {
			if (!cs_sipas_by_parse(cs_str_from(val), &a->by))
				return cli_usage(
					cli, "sipas",
					L(cli,
					  "--by '%s': cần unit, level, service, kind, "
					  "channel hoặc all",
					  "--by '%s': expected unit, level, service, kind, "
					  "channel or all"),
					val);
		} else if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			if (strcmp(val, "table") == 0)
				a->fmt = OUT_TABLE;
			else if (strcmp(val, "csv") == 0)
				a->fmt = OUT_CSV;
			else if (strcmp(val, "json") == 0)
				a->fmt = OUT_JSON;
			else if (strcmp(val, "xlsx") == 0 && strcmp(sub, "compute") == 0)
				a->fmt = OUT_XLSX;
			else
				return cli_usage(cli, "sipas",
						 L(cli, "--format '%s': cần table, csv, json%s",
						   "--format '%s': expected table, csv, json%s"),
						 val,
						 strcmp(sub, "compute") == 0
							 ? L(cli, " hoặc xlsx", " or xlsx")
							 : "");
		} else if (cli_opt(argc, argv, &i, "--lonely", &val, &missing)) {
			if (!cs_svy_lonely_parse(cs_str_from(val), &a->lonely))
				return cli_usage(
					cli, "sipas",
					L(cli,
					  "--lonely '%s': cần fail, certainty, remove, "
					  "adjust hoặc average",
					  "--lonely '%s': expected fail, certainty, remove, "
					  "adjust or average"),
					val);
		} else if (strcmp(sub, "compute") == 0 &&
			   cli_opt(argc, argv, &i, "--previous", &val, &missing)) {
			a->previous = val;
		} else if (strcmp(sub, "compute") == 0 && strcmp(argv[i], "--no-previous") == 0) {
			a->no_previous = true;
		} else if (strcmp(sub, "rank") == 0 &&
			   cli_opt(argc, argv, &i, "--bootstrap", &val, &missing)) {
			unsigned long long v;

			if (!whole(val, 1000000, &v))
				return cli_usage(
					cli, "sipas",
					L(cli, "--bootstrap '%s': cần số nguyên từ 0 đến 1000000",
					  "--bootstrap '%s': expected a whole number from 0 "
					  "to 1000000"),
					val);
			a->rank.bootstrap = (size_t)v;
		} else if (strcmp(sub, "rank") == 0 &&
			   cli_opt(argc, argv, &i, "--seed", &val, &missing)) {
			unsigned long long v;

			if (!whole(val, 0xffffffffULL, &v))
				return cli_usage(cli, "sipas",
						 L(cli, "--seed '%s': cần số nguyên không âm",
						   "--seed '%s': expected a whole number"),
						 val);
			a->rank.seed = (unsigned long)v;
		} else {
			return cli_usage(
				cli, "sipas",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (!a->wave)
		return cli_usage(cli, "sipas", "%s", L(cli, "cần --wave", "give --wave"));
	if (a->fmt == OUT_XLSX && !a->output)
		return cli_usage(cli, "sipas", "%s",
				 L(cli, "--format xlsx cần -o TỆP", "--format xlsx needs -o FILE"));
	return CLI_OK;
}

/* Writes text output to -o FILE or standard output. */
static int emit(const struct args *a, const struct cs_buf *b)
{
	FILE *f = a->output ? fopen(a->output, "wb") : stdout;
	bool ok;

	if (!f)
		return cli_error("%s: cannot create the file", a->output);
	ok = fwrite(b->data, 1, b->len, f) == b->len;
	if (a->output)
		ok = fclose(f) == 0 && ok;
	else
		ok = fflush(f) == 0 && ok;
	if (!ok)
		return cli_error("%s: cannot write the output", a->output ? a->output : "stdout");
	return CLI_OK;
}

static int run(struct cli *cli, int argc, char **argv, const char *sub)
{
	struct args a = {.by = CS_SIPAS_BY_UNIT,
			 .lonely = CS_SVY_LONELY_FAIL,
			 .rank = {.bootstrap = BOOTSTRAP_DEFAULT, .seed = SEED_DEFAULT}};
	struct cs_sipas_wave_opts o = cs_sipas_wave_opts_default();
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_sipas_wave sw;
	struct cs_sipas_result *res;
	struct cs_sipas_rank *ranks = NULL;
	struct cs_sipas_meta meta = {0};
	struct cs_buf out;
	size_t nranks = 0;
	enum cs_fmt_lang lang = cli->lang == CLI_LANG_EN ? CS_FMT_EN : CS_FMT_VI;
	enum cs_err rc;
	int ret = parse_args(cli, argc, argv, sub, &a);

	if (ret != CLI_OK)
		return ret;
	cs_buf_init(&out, OUTPUT_MAX);
	cs_sipas_wave_init(&sw);
	o.by = a.by;
	o.unit = a.unit;
	o.unit_field = "--unit";
	o.lonely = a.lonely;
	/* M3.7: compute compares with the previous wave of the same
	 * questionnaire, unless told which or not to. */
	o.compare = strcmp(sub, "compute") == 0 && !a.no_previous;
	o.previous = a.previous;
	rc = cli_open_store(cli, CS_STORE_READONLY, &s, &err);
	if (!rc)
		rc = cs_sipas_wave_compute(s, a.wave, &o, &sw, &err);
	if (rc)
		goto fail;
	res = sw.res;
	meta.wave = sw.src.wave.code;
	meta.period = sw.src.wave.period;
	meta.questionnaire = sw.src.wave.questionnaire;
	meta.questionnaire_version = sw.src.wave.questionnaire_version;
	meta.previous_wave = sw.has_prev ? sw.psrc.wave.code : NULL;

	if (strcmp(sub, "rank") == 0) {
		rc = cs_sipas_rank(res, &a.rank, &ranks, &nranks, &err);
		if (!rc && a.fmt == OUT_JSON)
			rc = cs_sipas_rank_json_write(res, ranks, nranks, &a.rank, &meta, &out,
						      &err);
		else if (!rc && a.fmt == OUT_CSV)
			rc = cs_sipas_rank_csv_write(res, ranks, nranks, &out, &err);
		else if (!rc)
			rc = cs_sipas_rank_table_write(res, ranks, nranks, &meta, lang, &out, &err);
	} else if (strcmp(sub, "weak") == 0) {
		rc = a.fmt == OUT_JSON ? cs_sipas_weak_json_write(res, &meta, &out, &err)
				       : cs_sipas_weak_table_write(res, &meta, lang, &out, &err);
	} else if (a.fmt == OUT_XLSX) {
		rc = cs_sipas_xlsx_write(res, sw.ch, &meta, lang, a.output, &err);
		if (rc)
			remove(a.output);
	} else if (a.fmt == OUT_JSON) {
		rc = cs_sipas_json_write(res, sw.ch, &meta, &out, &err);
	} else if (a.fmt == OUT_CSV) {
		rc = cs_sipas_csv_write(res, sw.ch, &out, &err);
	} else {
		rc = cs_sipas_table_write(res, sw.ch, &meta, lang, &out, &err);
	}
	if (rc)
		goto fail;
	if (a.fmt != OUT_XLSX)
		ret = emit(&a, &out);
	else
		printf(L(cli, "Đã ghi %s.\n", "Wrote %s.\n"), a.output);
	goto out;
fail:
	ret = cli_fail(&err);
out:
	cs_free(ranks);
	cs_sipas_wave_release(&sw);
	cs_buf_release(&out);
	cs_store_close(s);
	return ret;
}

int cmd_sipas(struct cli *cli, int argc, char **argv)
{
	static const char *const subs[] = {"compute", "weak", "rank"};

	if (argc < 2)
		return cli_usage(cli, "sipas", "%s",
				 L(cli, "thiếu lệnh con: compute, weak hoặc rank",
				   "missing subcommand: compute, weak or rank"));
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[1], subs[i]) == 0)
			return run(cli, argc - 1, argv + 1, subs[i]);
	return cli_usage(cli, "sipas",
			 L(cli, "không có lệnh con '%s'; cần compute, weak hoặc rank",
			   "unknown subcommand '%s'; expected compute, weak or rank"),
			 argv[1]);
}
