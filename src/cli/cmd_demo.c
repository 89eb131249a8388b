/*
 * chiso demo: the main job on a generated dataset (docs/demo.md). It writes
 * the demonstration files, runs the same commands a provincial office would
 * (import, self-assessment, appraisal, workflow, publication, results) on a
 * fresh demo database, and prints a short summary of the year.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/demo_gen.h"
#include "report/fmt.h"
#include "store/framework_store.h"
#include "store/par_store.h"
#include "store/score_store.h"
#include "store/sipas_provider.h"
#include "store/unit_store.h"
#include "util/alloc.h"

#include "util/banned.h"

#define DB_DEFAULT "demo.db"
#define OUT_DEFAULT "out"
#define DATA_DEFAULT "data"
#define INPUTS_SUBDIR "data"
#define LOG_NAME "demo.log"
#define WAVE_FMT "sipas-%s"
#define ACTOR_UNIT "Đơn vị tự đánh giá"
#define ACTOR_COUNCIL "Hội đồng thẩm định"
/* The unit asked to explain its self-assessment in the last year. */
#define EXPLAINING_UNIT "BNI-HLT"
/* How many of the weakest items the summary names. */
#define WEAKEST 3
#define ARGS_MAX 24
#define PATH_MAX_ 4096

struct demo {
	const struct cli *cli;
	struct cli run;		/* what the steps run with: the demo database, no terminal */
	const char *out;	/* results, the log */
	char inputs[PATH_MAX_]; /* the generated files */
	const char *data;	/* the shipped frameworks, questionnaire, example units */
	char log_path[PATH_MAX_];
	FILE *log;
	size_t steps;
};

/* Placeholders in step arguments. */
struct vars {
	const char *year;
	enum demo_fw fw;
	const char *last_year;
};

/* When a step of the per-year list runs. */
enum {
	EACH_FW = 1 << 0,      /* once per framework */
	LAST_YEAR = 1 << 1,    /* only in the last year */
	UNIT_FW_ONLY = 1 << 2, /* only for the framework of the force's units */
};

/*
 * One step: a command of chiso and its arguments. In arguments, "@in/" is
 * the directory of the generated files, "@out/" the output directory,
 * "@data/" the data directory; {Y} is the year, {L} the last year, {W} the
 * year's survey wave, {F} the framework's code, {f} its short name and
 * {file} its file under the data directory.
 */
struct step {
	const char *vi, *en;
	int (*run)(struct cli *cli, int argc, char **argv);
	unsigned when;
	const char *args[ARGS_MAX];
};

static const struct step setup[] = {
	{"tạo cơ sở dữ liệu", "create the database", cmd_init, 0, {"init"}},
	{"nhập khung chỉ số {F}",
	 "import framework {F}",
	 cmd_framework,
	 EACH_FW,
	 {"framework", "import", "@data/{file}"}},
	{"nhập bảng hỏi",
	 "import the questionnaire",
	 cmd_survey,
	 0,
	 {"survey", "import", "@data/" DEMO_QUESTIONNAIRE_SRC}},
	{"nhập đơn vị", "import the units", cmd_unit, 0, {"unit", "import", "@in/" DEMO_UNITS_CSV}},
};

static const struct step per_year[] = {
	{"thêm kỳ {Y}", "add period {Y}", cmd_period, 0, {"period", "add", "{Y}"}},
	{"thêm đợt khảo sát {Y}",
	 "add survey wave {Y}",
	 cmd_survey,
	 0,
	 {"survey", "wave", "add", "{W}", "--questionnaire", DEMO_QUESTIONNAIRE, "--period", "{Y}",
	  "--title", "Khảo sát sự hài lòng đối với sự phục vụ của Công an năm {Y}", "--opens",
	  "{Y}-09-01", "--closes", "{Y}-11-30", "--mode", "mixed"}},
	{"nhập phiếu khảo sát {Y}",
	 "import the responses of {Y}",
	 cmd_response,
	 0,
	 {"response", "import", "@in/responses-{Y}.csv", "--wave", "{W}"}},
	{"nhập điểm tự đánh giá {Y} ({f})",
	 "import the self-assessment of {Y} ({f})",
	 cmd_score,
	 EACH_FW,
	 {"score", "import", "@in/scores-{Y}-{f}-self.csv", "--period", "{Y}", "--framework", "{F}",
	  "--actor", ACTOR_UNIT}},
	{"nộp tự đánh giá {Y} ({f})",
	 "submit the self-assessment of {Y} ({f})",
	 cmd_par,
	 EACH_FW,
	 {"par", "state", "--period", "{Y}", "--framework", "{F}", "--all", "--to", "submitted",
	  "--actor", ACTOR_UNIT}},
	{"nhập điểm thẩm định {Y} ({f})",
	 "import the appraisal of {Y} ({f})",
	 cmd_score,
	 EACH_FW,
	 {"score", "import", "@in/scores-{Y}-{f}-appraisal.csv", "--period", "{Y}", "--framework",
	  "{F}", "--actor", ACTOR_COUNCIL}},
	{"ghi nhận thẩm định {Y} ({f})",
	 "record the appraisal of {Y} ({f})",
	 cmd_par,
	 EACH_FW,
	 {"par", "state", "--period", "{Y}", "--framework", "{F}", "--all", "--to", "appraised",
	  "--actor", ACTOR_COUNCIL}},
	{"yêu cầu giải trình {Y}",
	 "request an explanation in {Y}",
	 cmd_par,
	 EACH_FW | LAST_YEAR | UNIT_FW_ONLY,
	 {"par", "state", "--period", "{Y}", "--framework", "{F}", "--unit", EXPLAINING_UNIT,
	  "--to", "explanation_requested", "--reason",
	  "Đề nghị giải trình tiêu chí 3.2: tỷ lệ hồ sơ đúng hạn chưa khớp với báo cáo quý IV",
	  "--actor", ACTOR_COUNCIL}},
	{"giải trình {Y}",
	 "explain in {Y}",
	 cmd_par,
	 EACH_FW | LAST_YEAR | UNIT_FW_ONLY,
	 {"par", "state", "--period", "{Y}", "--framework", "{F}", "--unit", EXPLAINING_UNIT,
	  "--to", "explained", "--actor", ACTOR_UNIT}},
	{"thẩm định lại {Y}",
	 "appraise again in {Y}",
	 cmd_par,
	 EACH_FW | LAST_YEAR | UNIT_FW_ONLY,
	 {"par", "state", "--period", "{Y}", "--framework", "{F}", "--unit", EXPLAINING_UNIT,
	  "--to", "appraised", "--actor", ACTOR_COUNCIL}},
	{"phê duyệt {Y} ({f})",
	 "approve {Y} ({f})",
	 cmd_par,
	 EACH_FW,
	 {"par", "state", "--period", "{Y}", "--framework", "{F}", "--all", "--to", "approved",
	  "--actor", ACTOR_COUNCIL}},
	{"công bố {Y} ({f})",
	 "publish {Y} ({f})",
	 cmd_par,
	 EACH_FW,
	 {"par", "publish", "--period", "{Y}", "--framework", "{F}", "--actor", ACTOR_COUNCIL}},
	{"đưa kỳ {Y} lên trang công khai",
	 "show {Y} on the public dashboard",
	 cmd_par,
	 0,
	 {"par", "public", "--period", "{Y}", "--actor", ACTOR_COUNCIL}},
};

static const struct step results[] = {
	{"ghi kết quả Chỉ số CCHC {L} ({f})",
	 "write the PAR results of {L} ({f})",
	 cmd_par,
	 EACH_FW,
	 {"par", "compute", "--period", "{L}", "--framework", "{F}", "--format", "json", "-o",
	  "@out/par-{L}-{f}.json"}},
	{"ghi kết quả SIPAS {L}",
	 "write the SIPAS results of {L}",
	 cmd_sipas,
	 0,
	 {"sipas", "compute", "--wave", "sipas-{L}", "--format", "json", "-o",
	  "@out/sipas-{L}.json"}},
	{"ghi báo cáo năm {L} (HTML)",
	 "write the yearly report of {L} (HTML)",
	 cmd_report,
	 0,
	 {"report", "--period", "{L}", "--unit", DEMO_FORCE, "--format", "html", "-o",
	  "@out/report-{L}.html"}},
	{"ghi báo cáo năm {L} (XLSX)",
	 "write the yearly report of {L} (XLSX)",
	 cmd_report,
	 0,
	 {"report", "--period", "{L}", "--unit", DEMO_FORCE, "--format", "xlsx", "-o",
	  "@out/report-{L}.xlsx"}},
};

/* Expands the placeholders of one argument into out. */
static void expand(const struct demo *d, const struct vars *v, const char *arg, char *out,
		   size_t cap)
{
	size_t n = 0;
	const char *base = NULL;

	if (strncmp(arg, "@in/", 4) == 0)
		base = d->inputs;
	else if (strncmp(arg, "@out/", 5) == 0)
		base = d->out;
	else if (strncmp(arg, "@data/", 6) == 0)
		base = d->data;
	if (base) {
		n = (size_t)snprintf(out, cap, "%s/", base);
		arg = strchr(arg, '/') + 1;
	}
	for (; *arg && n + 1 < cap; arg++) {
		const char *sub = NULL;
		char wave[64];

		if (arg[0] == '{' && arg[1] && arg[2] == '}') {
			switch (arg[1]) {
			case 'Y':
				sub = v->year;
				break;
			case 'L':
				sub = v->last_year;
				break;
			case 'F':
				sub = demo_fw_code(v->fw);
				break;
			case 'f':
				sub = demo_fw_name(v->fw);
				break;
			case 'W':
				snprintf(wave, sizeof(wave), WAVE_FMT, v->year);
				sub = wave;
				break;
			default:
				break;
			}
		} else if (strncmp(arg, "{file}", 6) == 0) {
			n += (size_t)snprintf(out + n, cap - n, "%s", demo_fw_file(v->fw));
			arg += 5;
			continue;
		}
		if (sub) {
			n += (size_t)snprintf(out + n, cap - n, "%s", sub);
			arg += 2;
		} else {
			out[n++] = *arg;
		}
	}
	out[n < cap ? n : cap - 1] = '\0';
}

/* Appends one argument to the command line out, quoted as a shell needs it. */
static void quote_arg(char *out, size_t cap, const char *a)
{
	size_t n = strlen(out);
	bool plain = *a && !strpbrk(a, " \t\n'\"\\$`;&|<>()*?[]#~");

	if (n && n + 1 < cap)
		out[n++] = ' ';
	if (!plain && n + 1 < cap)
		out[n++] = '\'';
	for (; *a && n + 5 < cap; a++) {
		if (*a == '\'' && !plain) {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else {
			out[n++] = *a;
		}
	}
	if (!plain && n + 1 < cap)
		out[n++] = '\'';
	out[n] = '\0';
}

/*
 * Runs one step with the demo's placeholders expanded. Its standard output
 * goes to the log; its messages on standard error stay where they are.
 * Returns CLI_OK, or CLI_FAIL after naming the step that failed.
 */
static int run_step(struct demo *d, const struct step *s, const struct vars *v)
{
	static char bufs[ARGS_MAX][PATH_MAX_];
	char *argv[ARGS_MAX + 1];
	char what[512], line[2 * PATH_MAX_] = "chiso --db";
	int argc = 0, rc, saved;

	for (; argc < ARGS_MAX && s->args[argc]; argc++) {
		expand(d, v, s->args[argc], bufs[argc], sizeof(bufs[argc]));
		argv[argc] = bufs[argc];
	}
	argv[argc] = NULL;
	expand(d, v, L(d->cli, s->vi, s->en), what, sizeof(what));
	d->steps++;

	quote_arg(line, sizeof(line), d->run.db);
	for (int i = 0; i < argc; i++)
		quote_arg(line, sizeof(line), argv[i]);
	fprintf(d->log, "$ %s\n", line);
	fflush(d->log);

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	if (saved < 0 || dup2(fileno(d->log), STDOUT_FILENO) < 0) {
		if (saved >= 0)
			close(saved);
		return cli_error("demo: %s: cannot send the output to %s: %s", what, d->log_path,
				 strerror(errno));
	}
	rc = s->run(&d->run, argc, argv);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	fputc('\n', d->log);
	fflush(d->log);
	if (rc != CLI_OK)
		return cli_error(
			L(d->cli,
			  "demo: bước %zu thất bại (%s): '%s' kết thúc với mã %d; các lệnh "
			  "và kết quả của chúng ở %s",
			  "demo: step %zu failed (%s): '%s' exited with %d; the commands and "
			  "their output are in %s"),
			d->steps, what, line, rc, d->log_path);
	return CLI_OK;
}

static bool wanted(const struct step *s, const struct vars *v)
{
	if ((s->when & LAST_YEAR) && strcmp(v->year, v->last_year) != 0)
		return false;
	if ((s->when & UNIT_FW_ONLY) && v->fw != DEMO_FW_UNIT)
		return false;
	return true;
}

/* Runs a list of steps in order, each framework's in turn where asked. */
static int run_steps(struct demo *d, const struct step *steps, size_t n, struct vars *v)
{
	for (size_t i = 0; i < n; i++) {
		int nfw = steps[i].when & EACH_FW ? DEMO_FW_COUNT_ : 1;

		for (int f = 0; f < nfw; f++) {
			int rc;

			v->fw = (enum demo_fw)f;
			if (!wanted(&steps[i], v))
				continue;
			rc = run_step(d, &steps[i], v);
			if (rc != CLI_OK)
				return rc;
		}
	}
	return CLI_OK;
}

/* Creates dir and its missing parents. */
static int make_dir(const char *dir)
{
	char path[PATH_MAX_];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(path))
		return cli_error("demo: '%s' is not a usable directory name", dir);
	memcpy(path, dir, n + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return cli_error("demo: cannot create directory '%s': %s", path,
					 strerror(errno));
		*p = '/';
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return cli_error("demo: cannot create directory '%s': %s", path, strerror(errno));
	return CLI_OK;
}

/*
 * Whether the database at path may be replaced: it does not exist, holds a
 * demo framework (an earlier demo), or holds nothing at all. Anything else
 * is somebody's data and needs --force. It is opened read-only, so that
 * nothing is written to a file that turns out not to be ours; one that
 * cannot be read so (a schema of another chiso version, not a chiso
 * database) is replaced only when it is the default demo.db, which the demo
 * owns by name.
 */
static int check_replaceable(const struct demo *d, const char *path, bool owned)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_unit_set units;
	struct cs_arena arena;
	struct cs_vec fws;
	bool demo = false;
	int rc = CLI_OK;

	if (access(path, F_OK) != 0)
		return CLI_OK;
	cs_unit_set_init(&units);
	cs_arena_init(&arena, 0);
	cs_vec_init(&fws, sizeof(struct cs_fw_stored), 0);
	if (cs_store_open(path, CS_STORE_READONLY, &s, &err) && owned)
		goto out;
	if (err.code || cs_unit_store_load(s, &units, &err) ||
	    cs_framework_store_list(s, &arena, &fws, &err)) {
		rc = cli_error(
			L(d->cli,
			  "demo: '%s' đã có và không đọc được như cơ sở dữ liệu chiso (%s); "
			  "dùng --force để thay bằng dữ liệu minh họa, hoặc chọn --db khác",
			  "demo: '%s' exists and cannot be read as a chiso database (%s); "
			  "give --force to replace it with the demo, or choose another --db"),
			path, err.msg);
		goto out;
	}
	for (size_t i = 0; i < fws.len; i++) {
		const struct cs_fw_stored *f = cs_vec_at(&fws, i);

		for (int k = 0; k < DEMO_FW_COUNT_; k++)
			demo = demo || strcmp(f->code, demo_fw_code((enum demo_fw)k)) == 0;
	}
	if (!demo && (units.units.len || fws.len))
		rc = cli_error(L(d->cli,
				 "demo: '%s' là cơ sở dữ liệu chiso có dữ liệu (%zu đơn vị, %zu "
				 "khung), không phải dữ liệu minh họa; dùng --force để thay, hoặc "
				 "chọn --db khác",
				 "demo: '%s' is a chiso database with data (%zu units, %zu "
				 "frameworks), not a demo database; give --force to replace it, or "
				 "choose another --db"),
			       path, units.units.len, fws.len);
out:
	cs_vec_release(&fws);
	cs_arena_release(&arena);
	cs_unit_set_release(&units);
	cs_store_close(s);
	return rc;
}

static int remove_db(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char p[PATH_MAX_];

		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		if (unlink(p) != 0 && errno != ENOENT)
			return cli_error("demo: cannot remove '%s': %s", p, strerror(errno));
	}
	return CLI_OK;
}

/* ---- The summary ---- */

/* The published results of a period and framework, parsed. */
static json_t *published(struct cs_store *s, const char *period_code, const char *fw,
			 struct cs_error *err)
{
	struct cs_period p;
	struct cs_publication pub = {0};
	json_error_t jerr;
	json_t *root = NULL;
	bool found = false;

	if (cs_score_store_period(s, period_code, &p, err) ||
	    cs_publication_get(s, p.id, fw, &pub, &found, err))
		return NULL;
	if (!found)
		cs_fail(err, CS_ENOTFOUND,
			"the results of period '%s' for framework '%s' are not "
			"published",
			period_code, fw);
	else if (!(root = json_loadb(pub.results, pub.results_len, 0, &jerr)))
		cs_fail(err, CS_EPARSE, "published results of period '%s': %s", period_code,
			jerr.text);
	cs_publication_release(&pub);
	return root;
}

static json_t *find_by(json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *o;

	json_array_foreach(arr, i, o)
	{
		const char *v = json_string_value(json_object_get(o, key));

		if (v && strcmp(v, value) == 0)
			return o;
	}
	return NULL;
}

struct weak_item {
	size_t pos; /* in the domain's items */
	double index;
};

static int by_index(const void *a, const void *b)
{
	const struct weak_item *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int summary(const struct demo *d, unsigned long seed)
{
	const struct cli *cli = d->cli;
	enum cs_fmt_lang lang = cli->lang == CLI_LANG_EN ? CS_FMT_EN : CS_FMT_VI;
	const char *year = demo_year(DEMO_YEARS - 1);
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_sipas_source src = {0};
	struct cs_sipas_result *res = NULL;
	struct cs_sipas_opts o = cs_sipas_opts_default();
	json_t *prov = NULL, *units = NULL, *me, *all, *band;
	const struct cs_sipas_domain *dom;
	const struct cs_sipas_est *h;
	struct weak_item weak[256];
	size_t nweak = 0;
	char wave[64], a[CS_FMT_MAX], b[CS_FMT_MAX], c[CS_FMT_MAX], n[CS_FMT_MAX];
	const char *label = NULL;
	int rc = CLI_OK;

	snprintf(wave, sizeof(wave), WAVE_FMT, year);
	if (cs_store_open(d->run.db, CS_STORE_READONLY, &s, &err) ||
	    !(prov = published(s, year, demo_fw_code(DEMO_FW_PROVINCE), &err)) ||
	    !(units = published(s, year, demo_fw_code(DEMO_FW_UNIT), &err)) ||
	    cs_sipas_source_load(s, wave, &src, &err) ||
	    cs_sipas_estimate_stored(s, &src, &o, &res, &err))
		goto fail;
	me = find_by(json_object_get(prov, "units"), "code", DEMO_FORCE);
	all = find_by(json_object_get(units, "groups"), "group", "all");
	dom = cs_sipas_find(res, CS_SIPAS_BY_UNIT, DEMO_FORCE);
	if (!me || !all || !dom || !json_is_integer(json_object_get(me, "rank"))) {
		cs_fail(&err, CS_ENOTFOUND, "the results of %s for %s are missing", year,
			DEMO_FORCE);
		goto fail;
	}
	band = find_by(json_object_get(prov, "bands"), "code",
		       json_string_value(json_object_get(me, "band")));
	if (band)
		label = json_string_value(
			json_object_get(band, lang == CS_FMT_EN ? "label_en" : "label_vi"));

	printf(L(cli, "\nKết quả năm %s của %s (dữ liệu minh họa, hạt giống %lu):\n",
		 "\nResults of %s for %s (demonstration data, seed %lu):\n"),
	       year, json_string_value(json_object_get(me, "name")), seed);
	printf(L(cli, "  Xếp hạng Chỉ số CCHC trong %lld Công an tỉnh, thành phố: %s (%s, %s)\n",
		 "  PAR index position among %lld provincial forces: %s (%s, %s)\n"),
	       (long long)json_integer_value(json_object_get(me, "ranked_of")),
	       cs_fmt_rank((size_t)json_integer_value(json_object_get(me, "rank")),
			   (size_t)json_integer_value(json_object_get(me, "ranked_of")), a),
	       cs_fmt_percent(json_number_value(json_object_get(me, "index")), 2, lang, b),
	       label ? label : "-");
	printf(L(cli, "  Chỉ số CCHC trung bình của %lld đơn vị thuộc Công an tỉnh: %s\n",
		 "  Average PAR index of the force's %lld units: %s\n"),
	       (long long)json_integer_value(json_object_get(all, "n")),
	       cs_fmt_percent(json_number_value(json_object_get(all, "mean")), 2, lang, a));
	h = cs_sipas_headline(res, dom);
	printf(L(cli,
		 "  Mức độ hài lòng chung (SIPAS %s): %s (khoảng tin cậy 95%%: %s – %s; n = %s)\n",
		 "  Overall satisfaction (SIPAS %s): %s (95%% interval %s – %s; n = %s)\n"),
	       year, cs_fmt_percent(h->index, 2, lang, a), cs_fmt_percent(h->ci_lo, 2, lang, b),
	       cs_fmt_percent(h->ci_hi, 2, lang, c), cs_fmt_count((size_t)dom->n, lang, n));
	for (size_t i = 0; i < dom->nitems && nweak < sizeof(weak) / sizeof(weak[0]); i++)
		if (!isnan(dom->items[i].est.index))
			weak[nweak++] = (struct weak_item){i, dom->items[i].est.index};
	qsort(weak, nweak, sizeof(weak[0]), by_index);
	printf("%s", L(cli, "  Ba tiêu chí có tỷ lệ hài lòng thấp nhất:\n",
		       "  The three items with the lowest satisfaction:\n"));
	for (size_t k = 0; k < nweak && k < WEAKEST; k++) {
		const struct cs_q_item *it =
			cs_questionnaire_item(src.q, dom->items[weak[k].pos].item);
		const char *text = lang == CS_FMT_EN && it->text_en && *it->text_en ? it->text_en
										    : it->text_vi;

		printf("    %zu. %-5s %s  %s\n", k + 1, it->code,
		       cs_fmt_percent(weak[k].index, 2, lang, a), text ? text : "");
	}
	printf(L(cli, "  Dữ liệu đầu vào: %s/; các lệnh đã chạy: %s\n",
		 "  Input files: %s/; the commands run: %s\n"),
	       d->inputs, d->log_path);
	printf(L(cli, "  Báo cáo: %s/report-%s.html, %s/report-%s.xlsx\n",
		 "  Report: %s/report-%s.html, %s/report-%s.xlsx\n"),
	       d->out, year, d->out, year);
	goto out;
fail:
	rc = cli_error(L(cli, "demo: tóm tắt kết quả: %s", "demo: summary: %s"), err.msg);
out:
	cs_sipas_result_free(res);
	cs_sipas_source_release(&src);
	json_decref(prov);
	json_decref(units);
	cs_store_close(s);
	return rc;
}

static bool parse_seed(const char *s, unsigned long *out)
{
	char *end = NULL;
	unsigned long long v;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > 0xffffffffULL)
		return false;
	*out = (unsigned long)v;
	return true;
}

int cmd_demo(struct cli *cli, int argc, char **argv)
{
	struct demo d = {.cli = cli, .out = OUT_DEFAULT, .data = DATA_DEFAULT};
	struct demo_gen_opts go = {.seed = DEMO_SEED_DEFAULT};
	struct demo_gen_stats st;
	struct cs_error err = {0};
	struct vars v = {.last_year = demo_year(DEMO_YEARS - 1)};
	const char *env_db = getenv("CHISO_DB");
	char probe[PATH_MAX_], a[CS_FMT_MAX], b[CS_FMT_MAX], c[CS_FMT_MAX];
	enum cs_fmt_lang lang = cli->lang == CLI_LANG_EN ? CS_FMT_EN : CS_FMT_VI;
	bool force = false, owned = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--small") == 0) {
			go.small = true;
		} else if (strcmp(argv[i], "--force") == 0) {
			force = true;
		} else if (cli_opt(argc, argv, &i, "--out", &val, &missing)) {
			d.out = val;
		} else if (cli_opt(argc, argv, &i, "--data", &val, &missing)) {
			d.data = val;
		} else if (cli_opt(argc, argv, &i, "--seed", &val, &missing)) {
			if (!parse_seed(val, &go.seed))
				return cli_usage(cli, "demo",
						 L(cli,
						   "--seed '%s': cần số nguyên từ 0 đến 4294967295",
						   "--seed '%s': expected a whole number from 0 to "
						   "4294967295"),
						 val);
		} else {
			return cli_usage(
				cli, "demo",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	/* The demo has its own database unless --db names one: neither chiso.db
	 * nor a CHISO_DB meant for real work. */
	d.run = *cli;
	d.run.tty = false;
	if (strcmp(cli->db, CS_STORE_DEFAULT) == 0 || (env_db && cli->db == env_db)) {
		d.run.db = DB_DEFAULT;
		owned = true;
	}
	if (strstr(d.run.db, "://"))
		return cli_usage(cli, "demo",
				 L(cli, "--db '%s': bản minh họa ghi vào một tệp SQLite",
				   "--db '%s': the demo writes a SQLite file"),
				 d.run.db);
	snprintf(probe, sizeof(probe), "%s/%s", d.data, demo_fw_file(DEMO_FW_UNIT));
	if (access(probe, R_OK) != 0)
		return cli_error(L(cli,
				   "demo: không thấy dữ liệu của bản minh họa (%s); chạy trong thư "
				   "mục mã nguồn chiso hoặc chỉ thư mục data bằng --data",
				   "demo: the demo's data files are not found (%s); run from the "
				   "chiso source tree or name the data directory with --data"),
				 probe);
	if (!force && (rc = check_replaceable(&d, d.run.db, owned)) != CLI_OK)
		return rc;
	snprintf(d.inputs, sizeof(d.inputs), "%s/%s", d.out, INPUTS_SUBDIR);
	if ((rc = make_dir(d.inputs)) != CLI_OK || (rc = remove_db(d.run.db)) != CLI_OK)
		return rc;

	go.data_dir = d.data;
	go.out_dir = d.inputs;
	printf(L(cli, "Tạo dữ liệu minh họa (hạt giống %lu%s) trong %s/ ...\n",
		 "Generating the demonstration data (seed %lu%s) in %s/ ...\n"),
	       go.seed, go.small ? L(cli, ", bản nhỏ", ", small") : "", d.inputs);
	fflush(stdout);
	if (demo_gen_write(&go, &st, &err))
		return cli_error(L(cli, "demo: tạo dữ liệu: %s", "demo: generating the data: %s"),
				 err.msg);
	printf(L(cli,
		 "  %zu đơn vị; Chỉ số CCHC của %zu đơn vị thuộc Công an tỉnh và %zu Công an "
		 "tỉnh, thành phố (%s dòng điểm); %s và %s phiếu khảo sát\n",
		 "  %zu units; PAR scores of %zu units of the force and %zu provincial forces "
		 "(%s score rows); %s and %s survey responses\n"),
	       st.units, st.assessed[DEMO_FW_UNIT], st.assessed[DEMO_FW_PROVINCE],
	       cs_fmt_count(st.score_rows, lang, c), cs_fmt_count(st.responses[0], lang, a),
	       cs_fmt_count(st.responses[1], lang, b));

	snprintf(d.log_path, sizeof(d.log_path), "%s/%s", d.out, LOG_NAME);
	d.log = fopen(d.log_path, "w");
	if (!d.log)
		return cli_error("demo: cannot create '%s': %s", d.log_path, strerror(errno));
	printf(L(cli, "Nạp dữ liệu, tự đánh giá, thẩm định, công bố (%s) ...\n",
		 "Loading, self-assessment, appraisal, publication (%s) ...\n"),
	       d.run.db);
	fflush(stdout);
	v.year = v.last_year;
	rc = run_steps(&d, setup, sizeof(setup) / sizeof(setup[0]), &v);
	for (size_t y = 0; y < DEMO_YEARS && rc == CLI_OK; y++) {
		v.year = demo_year(y);
		rc = run_steps(&d, per_year, sizeof(per_year) / sizeof(per_year[0]), &v);
	}
	if (rc == CLI_OK) {
		v.year = v.last_year;
		rc = run_steps(&d, results, sizeof(results) / sizeof(results[0]), &v);
	}
	fclose(d.log);
	if (rc != CLI_OK)
		return rc;
	return summary(&d, go.seed);
}
