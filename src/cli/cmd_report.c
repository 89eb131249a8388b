/*
 * chiso report: the yearly report of a period for a provincial force, as one
 * self-contained HTML file or an Excel workbook (METHODOLOGY M2, M3, M5).
 * This file loads and computes; report/report_model.h gathers the figures
 * and report_html.h and report_xlsx.h render them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "report/par_period.h"
#include "report/sipas_sources.h"
#include "report/report_html.h"
#include "report/report_model.h"
#include "report/report_xlsx.h"
#include "store/response_store.h"
#include "store/score_store.h"
#include "store/sipas_provider.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/vec.h"

#include "util/banned.h"

/* Largest HTML report built in memory (a national report is a few MB). */
#define HTML_MAX ((size_t)1 << 30)
/* Most frameworks and survey waves one period's report covers. */
#define SECTIONS_MAX 64

enum report_format {
	REPORT_HTML,
	REPORT_XLSX
};

struct args {
	const char *period, *unit, *output;
	enum report_format fmt;
	enum cs_svy_lonely lonely;
};

/* A survey wave of the period, estimated, with its previous wave. */
struct wave {
	struct cs_sipas_source src, psrc;
	struct cs_sipas_result *res, *prev;
	struct cs_sipas_change *ch;
};

/* Everything loaded and computed for one report. */
struct loaded {
	struct cs_period period;
	struct cs_unit_set units;
	struct sipas_sources ss;
	struct par_period_sources sources;
	size_t npar;
	struct par_period par[SECTIONS_MAX];
	struct cs_par_report reps[SECTIONS_MAX];
	size_t nwaves;
	struct wave waves[SECTIONS_MAX];
	struct cs_report_wave_input win[SECTIONS_MAX];
};

static void loaded_release(struct loaded *l)
{
	for (size_t i = 0; i < l->npar; i++)
		par_period_release(&l->par[i]);
	for (size_t i = 0; i < l->nwaves; i++) {
		cs_sipas_result_free(l->waves[i].res);
		cs_sipas_result_free(l->waves[i].prev);
		cs_sipas_source_release(&l->waves[i].src);
		cs_sipas_source_release(&l->waves[i].psrc);
	}
	sipas_sources_release(&l->ss);
	cs_unit_set_release(&l->units);
}

/* Estimates wave code by unit (rolled up the tree, M3.4), as `chiso sipas compute` does. */
static enum cs_err estimate(struct cs_store *s, const struct args *a, const char *code,
			    struct cs_sipas_source *src, struct cs_sipas_result **out,
			    struct cs_error *err)
{
	struct cs_sipas_opts o = cs_sipas_opts_default();
	enum cs_err rc = cs_sipas_source_load(s, code, src, err);

	o.by = CS_SIPAS_BY_UNIT;
	o.lonely = a->lonely;
	if (!rc)
		rc = cs_sipas_estimate_stored(s, src, &o, out, err);
	if (rc)
		cs_error_prefix(err, "survey wave '%s'", code);
	return rc;
}

/* The PAR results of every framework of the period (M2). */
static enum cs_err load_par(struct cs_store *s, struct loaded *l, struct cs_error *err)
{
	struct cs_arena arena;
	struct cs_vec codes;
	enum cs_err rc;

	cs_arena_init(&arena, 0);
	cs_vec_init(&codes, sizeof(char *), SECTIONS_MAX);
	rc = cs_score_store_frameworks(s, l->period.id, &arena, &codes, err);
	for (size_t i = 0; !rc && i < codes.len; i++) {
		struct par_period *c = &l->par[l->npar++];

		par_period_init(c);
		rc = par_period_compute(s, l->period.code, *(char **)cs_vec_at(&codes, i),
					&l->sources, c, err);
		l->reps[i] = c->report;
	}
	cs_vec_release(&codes);
	cs_arena_release(&arena);
	return rc;
}

/* The survey waves of the period with responses, and their previous waves (M3.7). */
static enum cs_err load_waves(struct cs_store *s, const struct args *a, struct loaded *l,
			      struct cs_error *err)
{
	struct cs_vec all;
	enum cs_err rc;

	cs_vec_init(&all, sizeof(struct cs_wave), 0);
	rc = cs_wave_store_list(s, &all, err);
	for (size_t i = 0; !rc && i < all.len; i++) {
		const struct cs_wave *w = cs_vec_at(&all, i);
		struct wave *x;
		struct cs_wave pw;
		bool found = false;

		if (strcmp(w->period, l->period.code) != 0 || w->responses == 0)
			continue;
		if (l->nwaves == SECTIONS_MAX) {
			rc = cs_fail(err, CS_ETOOBIG, "period '%s': more than %d survey waves",
				     l->period.code, SECTIONS_MAX);
			break;
		}
		x = &l->waves[l->nwaves++];
		rc = estimate(s, a, w->code, &x->src, &x->res, err);
		if (!rc)
			rc = cs_wave_store_previous(s, &x->src.wave, &pw, &found, err);
		if (!rc && found && pw.responses > 0) {
			rc = estimate(s, a, pw.code, &x->psrc, &x->prev, err);
			if (!rc)
				rc = cs_sipas_compare(x->res, x->prev, &x->ch, err);
		}
		if (!rc)
			l->win[l->nwaves - 1] = (struct cs_report_wave_input){
				{x->src.wave.code, x->src.wave.period, x->src.wave.questionnaire,
				 x->src.wave.questionnaire_version,
				 x->ch ? x->psrc.wave.code : NULL},
				x->res,
				x->ch};
	}
	cs_vec_release(&all);
	return rc;
}

static enum cs_err load(struct cs_store *s, const struct args *a, struct loaded *l,
			struct cs_error *err)
{
	enum cs_err rc = cs_score_store_period(s, a->period, &l->period, err);

	if (!rc)
		rc = cs_unit_store_load(s, &l->units, err);
	if (!rc)
		rc = load_par(s, l, err);
	if (!rc)
		rc = load_waves(s, a, l, err);
	if (!rc && l->npar == 0 && l->nwaves == 0)
		rc = cs_fail(err, CS_ENOTFOUND,
			     "period '%s' has no PAR scores and no survey responses; nothing to "
			     "report (import them with 'chiso score import' and 'chiso response "
			     "import')",
			     l->period.code);
	return rc;
}

/* Creates the directory of the default output path when it is missing. */
static enum cs_err make_dir(const char *dir, struct cs_error *err)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return cs_fail(err, CS_EIO, "cannot create directory '%s': %s", dir,
			       strerror(errno));
	return CS_OK;
}

static enum cs_err write_file(const char *path, const struct cs_buf *b, struct cs_error *err)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (!f)
		return cs_fail(err, CS_EIO, "cannot create '%s': %s", path, strerror(errno));
	ok = fwrite(b->data, 1, b->len, f) == b->len;
	ok = fclose(f) == 0 && ok;
	if (!ok)
		return cs_fail(err, CS_EIO, "cannot write '%s'", path);
	return CS_OK;
}

static int parse_args(struct cli *cli, int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--period", &val, &missing)) {
			a->period = val;
		} else if (cli_opt(argc, argv, &i, "--unit", &val, &missing)) {
			a->unit = val;
		} else if (cli_opt(argc, argv, &i, "-o", &val, &missing) ||
			   cli_opt(argc, argv, &i, "--output", &val, &missing)) {
			a->output = val;
		} else if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			if (strcmp(val, "html") == 0)
				a->fmt = REPORT_HTML;
			else if (strcmp(val, "xlsx") == 0)
				a->fmt = REPORT_XLSX;
			else
				return cli_usage(cli, "report",
						 L(cli, "--format '%s': cần html hoặc xlsx",
						   "--format '%s': expected html or xlsx"),
						 val);
		} else if (cli_opt(argc, argv, &i, "--lonely", &val, &missing)) {
			if (!cs_svy_lonely_parse(cs_str_from(val), &a->lonely))
				return cli_usage(
					cli, "report",
					L(cli,
					  "--lonely '%s': cần fail, certainty, remove, "
					  "adjust hoặc average",
					  "--lonely '%s': expected fail, certainty, remove, "
					  "adjust or average"),
					val);
		} else {
			return cli_usage(
				cli, "report",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (!a->period)
		return cli_usage(cli, "report", "%s",
				 L(cli, "cần --period", "--period is required"));
	return CLI_OK;
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
	struct args a = {.fmt = REPORT_HTML, .lonely = CS_SVY_LONELY_FAIL};
	enum cs_fmt_lang lang = cli->lang == CLI_LANG_EN ? CS_FMT_EN : CS_FMT_VI;
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_report_model *m = NULL;
	struct cs_report_input in = {0};
	struct loaded *l = NULL;
	struct cs_buf out;
	char path[4096];
	int ret = parse_args(cli, argc, argv, &a);

	if (ret != CLI_OK)
		return ret;
	cs_buf_init(&out, HTML_MAX);
	l = cs_calloc(1, sizeof(*l));
	if (!l) {
		cs_fail(&err, CS_ENOMEM, NULL);
		goto fail;
	}
	cs_unit_set_init(&l->units);
	l->sources = sipas_sources_init(&l->ss);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) || load(s, &a, l, &err))
		goto fail;
	in = (struct cs_report_input){l->period.code, l->period.starts, l->period.ends,
				      &l->units,      a.unit,		l->reps,
				      l->npar,	      l->win,		l->nwaves};
	if (cs_report_model_build(&in, &m, &err))
		goto fail;
	if (a.output) {
		snprintf(path, sizeof(path), "%s", a.output);
	} else {
		snprintf(path, sizeof(path), "out/report-%s.%s", l->period.code,
			 a.fmt == REPORT_XLSX ? "xlsx" : "html");
		if (make_dir("out", &err))
			goto fail;
	}
	if (a.fmt == REPORT_XLSX) {
		if (cs_report_xlsx_write(m, lang, path, &err)) {
			remove(path);
			goto fail;
		}
	} else if (cs_report_html_write(m, lang, &out, &err) || write_file(path, &out, &err)) {
		goto fail;
	}
	printf(L(cli, "Đã ghi báo cáo kỳ %s của %s (%s) vào %s.\n",
		 "Wrote the report of period %s for %s (%s) to %s.\n"),
	       l->period.code, m->focus_name, m->focus_code, path);
	goto out;
fail:
	ret = cli_fail(&err);
out:
	cs_report_model_free(m);
	if (l)
		loaded_release(l);
	cs_free(l);
	cs_buf_release(&out);
	cs_store_close(s);
	return ret;
}
