/*
 * chiso survey import|list|show|export|validate: satisfaction questionnaires
 * as versioned data (METHODOLOGY M3.1), read from chiso's JSON format or from
 * an XLSForm workbook, validated before anything is stored, kept as
 * canonical JSON. Each subcommand is a row of the table at the end.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/questionnaire.h"
#include "io/questionnaire_json.h"
#include "io/xlsform.h"
#include "io/xlsx.h"
#include "store/questionnaire_store.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/vec.h"

#include "util/banned.h"

/* Most validation problems printed for one file. */
#define PROBLEMS_MAX 200

/* True when the file is a zip archive (an .xlsx workbook) by its first bytes. */
static bool is_zip(const char *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

static bool has_ext(const char *path, const char *ext)
{
	const char *dot = strrchr(path, '.');

	return dot && !strchr(dot, '/') && strcasecmp(dot, ext) == 0;
}

/*
 * Reads a questionnaire file: an XLSForm workbook by its content (a zip) or
 * its extension (.xlsx), chiso's JSON otherwise. Prints XLSForm warnings and
 * every validation problem. On success *out is validated. Returns CLI_OK,
 * CLI_FAIL after printing what is wrong.
 */
static int load_file(struct cli *cli, const char *path, bool storing, struct cs_questionnaire **out)
{
	struct cs_error err = {0};
	struct cs_vec problems;
	char *data = NULL;
	size_t len = 0;
	enum cs_err rc;

	*out = NULL;
	rc = cli_read_file(path, CS_XLSX_MAX_FILE, &data, &len, &err);
	if (rc)
		return cli_fail(&err);
	if (is_zip(data, len) || has_ext(path, ".xlsx")) {
		struct cs_vec warnings;

		cs_vec_init(&warnings, sizeof(struct cs_xlsform_warning), 0);
		rc = cs_xlsform_read(path, data, len, out, &warnings, &err);
		for (size_t i = 0; i < warnings.len; i++)
			fprintf(stderr, "chiso: warning: %s\n",
				((struct cs_xlsform_warning *)cs_vec_at(&warnings, i))->msg);
		cs_vec_release(&warnings);
		cs_free(data);
		if (rc) {
			cli_fail(&err);
			if (storing)
				fprintf(stderr, "%s",
					L(cli, "Chưa có gì được lưu.\n", "Nothing was stored.\n"));
			return CLI_FAIL;
		}
		return CLI_OK;
	}
	rc = cs_questionnaire_json_parse(path, data, len, out, &err);
	cs_free(data);
	if (rc) {
		cli_fail(&err);
		if (storing)
			fprintf(stderr, "%s",
				L(cli, "Chưa có gì được lưu.\n", "Nothing was stored.\n"));
		return CLI_FAIL;
	}
	cs_vec_init(&problems, sizeof(char *), PROBLEMS_MAX);
	rc = cs_questionnaire_validate_all(*out, &problems, &err);
	if (rc == CS_EINVAL) {
		size_t n = problems.len;

		for (size_t i = 0; i < n; i++)
			cli_error("%s: %s", path, *(char **)cs_vec_at(&problems, i));
		fprintf(stderr, L(cli, "%s: %zu%s lỗi%s\n", "%s: %zu%s problem%s%s\n"), path, n,
			n >= PROBLEMS_MAX ? "+" : "", cli->lang == CLI_LANG_EN && n != 1 ? "s" : "",
			storing ? L(cli, "; chưa có gì được lưu.", "; nothing was stored.") : ".");
	} else if (rc) {
		cli_fail(&err);
	}
	for (size_t i = 0; i < problems.len; i++)
		cs_free(*(char **)cs_vec_at(&problems, i));
	cs_vec_release(&problems);
	if (rc) {
		cs_questionnaire_free(*out);
		*out = NULL;
		return CLI_FAIL;
	}
	return CLI_OK;
}

static size_t count_role(const struct cs_questionnaire *q, enum cs_q_role role)
{
	size_t n = 0;

	for (size_t i = 0; i < cs_questionnaire_item_count(q); i++)
		if (cs_questionnaire_item(q, i)->role == role)
			n++;
	return n;
}

/* "5 elements, 28 items (22 satisfaction)" */
static void print_counts(const struct cli *cli, const struct cs_questionnaire *q)
{
	size_t ne = cs_questionnaire_element_count(q), ni = cs_questionnaire_item_count(q);
	size_t ns = count_role(q, CS_Q_ROLE_SATISFACTION);

	if (cli->lang == CLI_LANG_EN)
		printf("%zu element%s, %zu item%s (%zu satisfaction)", ne, ne == 1 ? "" : "s", ni,
		       ni == 1 ? "" : "s", ns);
	else
		printf("%zu yếu tố, %zu câu hỏi (%zu câu hài lòng)", ne, ni, ns);
}

static int one_file_arg(struct cli *cli, int argc, char **argv, const char *what, const char **path)
{
	*path = NULL;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, "survey",
					 L(cli, "không có tùy chọn '%s'", "unknown option '%s'"),
					 argv[i]);
		if (*path)
			return cli_usage(cli, "survey",
					 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
					 argv[i]);
		*path = argv[i];
	}
	if (!*path)
		return cli_usage(cli, "survey", "%s", what);
	return CLI_OK;
}

static int survey_import(struct cli *cli, int argc, char **argv)
{
	struct cs_questionnaire *q = NULL;
	struct cs_store *s = NULL;
	struct cs_error err = {0};
	char sha[CS_SHA256_HEX_LEN];
	const char *path;
	bool added = false;
	int rc;

	rc = one_file_arg(cli, argc, argv,
			  L(cli, "thiếu tệp bảng hỏi (JSON hoặc XLSForm .xlsx)",
			    "missing the questionnaire file (JSON or XLSForm .xlsx)"),
			  &path);
	if (rc)
		return rc;
	rc = load_file(cli, path, true, &q);
	if (rc)
		return rc;
	if (cli_open_store(cli, 0, &s, &err) ||
	    cs_questionnaire_store_save(s, q, &added, sha, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	printf(added ? L(cli, "Đã nhập bảng hỏi '%s' phiên bản '%s': ",
			 "Imported questionnaire '%s' version '%s': ")
		     : L(cli,
			 "Bảng hỏi '%s' phiên bản '%s' đã có với cùng nội dung, không thay đổi: ",
			 "Questionnaire '%s' version '%s' is already stored with the same content, "
			 "nothing changed: "),
	       cs_questionnaire_info(q)->code, cs_questionnaire_info(q)->version);
	print_counts(cli, q);
	printf("; sha256 %.12s\n", sha);
out:
	cs_store_close(s);
	cs_questionnaire_free(q);
	return rc;
}

static int survey_validate(struct cli *cli, int argc, char **argv)
{
	struct cs_questionnaire *q = NULL;
	const char *path;
	int rc;

	rc = one_file_arg(
		cli, argc, argv,
		L(cli, "thiếu tệp bảng hỏi cần kiểm tra", "missing the questionnaire file"), &path);
	if (rc)
		return rc;
	rc = load_file(cli, path, false, &q);
	if (rc)
		return rc;
	printf(L(cli, "%s: hợp lệ, bảng hỏi '%s' phiên bản '%s': ",
		 "%s: valid, questionnaire '%s' version '%s': "),
	       path, cs_questionnaire_info(q)->code, cs_questionnaire_info(q)->version);
	print_counts(cli, q);
	printf("\n");
	cs_questionnaire_free(q);
	return CLI_OK;
}

/* Parses CODE [--version V] plus the options a subcommand allows. */
struct code_opts {
	const char *code, *version, *format, *output;
};

static int parse_code_opts(struct cli *cli, int argc, char **argv, bool format, bool output,
			   struct code_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--version", &val, &missing)) {
			o->version = val;
		} else if (format && cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			o->format = val;
		} else if (output && cli_opt(argc, argv, &i, "-o", &val, &missing)) {
			o->output = val;
		} else if (missing) {
			return cli_usage(cli, "survey",
					 L(cli, "%s cần một giá trị", "%s needs a value"), argv[i]);
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return cli_usage(cli, "survey",
					 L(cli, "không có tùy chọn '%s'", "unknown option '%s'"),
					 argv[i]);
		} else if (!o->code) {
			o->code = argv[i];
		} else {
			return cli_usage(cli, "survey",
					 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
					 argv[i]);
		}
	}
	if (!o->code)
		return cli_usage(cli, "survey", "%s",
				 L(cli, "thiếu mã bảng hỏi", "missing the questionnaire code"));
	return CLI_OK;
}

static int survey_export(struct cli *cli, int argc, char **argv)
{
	struct cs_store *s = NULL;
	struct cs_error err = {0};
	struct code_opts o;
	char *json = NULL;
	size_t len = 0;
	FILE *f = stdout;
	int rc;

	rc = parse_code_opts(cli, argc, argv, false, true, &o);
	if (rc)
		return rc;
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) ||
	    cs_questionnaire_store_body(s, o.code, o.version, &json, &len, NULL, NULL, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (o.output && !(f = fopen(o.output, "wb"))) {
		rc = cli_error(L(cli, "không mở được '%s' để ghi", "cannot open '%s' for writing"),
			       o.output);
		goto out;
	}
	/* The stored bytes, unchanged: importing them again is a no-op. */
	if (fwrite(json, 1, len, f) != len || (f != stdout && fclose(f) != 0))
		rc = cli_error(L(cli, "không ghi được '%s'", "cannot write '%s'"),
			       o.output ? o.output : "-");
	f = stdout;
out:
	if (f != stdout)
		fclose(f);
	cs_free(json);
	cs_store_close(s);
	return rc;
}

/* Text in the language asked for, falling back to Vietnamese. */
static const char *text_of(const struct cli *cli, const char *vi, const char *en)
{
	return cli->lang == CLI_LANG_EN && en && *en ? en : vi;
}

static void print_levels(uint8_t mask)
{
	bool first = true;

	for (int k = 1; k <= 5; k++)
		if (mask & (1u << k)) {
			printf("%s%d", first ? "" : ",", k);
			first = false;
		}
}

static int show_table(struct cli *cli, const struct cs_questionnaire *q, const char *sha)
{
	const struct cs_q_info *info = cs_questionnaire_info(q);
	const struct cs_q_options *o = cs_questionnaire_options(q);
	struct cs_error err = {0};
	struct cli_table *t;
	const char *head_el[3] = {L(cli, "Mã", "Code"), L(cli, "Yếu tố", "Element"),
				  L(cli, "Câu hài lòng", "Satisfaction items")};
	const char *head_it[5] = {L(cli, "Mã", "Code"), L(cli, "Yếu tố", "Element"),
				  L(cli, "Loại", "Type"), L(cli, "Vai trò", "Role"),
				  L(cli, "Nội dung", "Text")};
	char conf[32];

	printf("%s %s: %s\n", info->code, info->version, info->title);
	if (*info->decision)
		printf(L(cli, "Văn bản: %s\n", "Decision: %s\n"), info->decision);
	if (info->reconstructed)
		printf("%s", L(cli,
			       "Lời văn được dựng lại: cần đối chiếu với văn bản chính thức trước "
			       "khi công bố kết quả.\n",
			       "Reconstructed wording: check it against the official text before "
			       "publishing results.\n"));
	printf("sha256 %s\n", sha);
	printf("%s", L(cli, "Hài lòng: mức ", "Satisfied: levels "));
	print_levels(o->satisfied_levels);
	snprintf(conf, sizeof(conf), "%g", o->confidence * 100);
	if (cli->lang == CLI_LANG_VI)
		for (char *p = conf; *p; p++)
			if (*p == '.')
				*p = ',';
	printf(L(cli,
		 "; chỉ số yếu tố: %s; chỉ số chung: %s; mục tiêu %g%%; n tối thiểu %u; CV tối đa "
		 "%g; khoảng tin cậy %s%% (%s)\n\n",
		 "; element index: %s; headline: %s; target %g%%; min n %u; max CV %g; %s%% "
		 "intervals (%s)\n\n"),
	       cs_q_element_agg_name(o->element_agg), cs_q_overall_agg_name(o->headline), o->target,
	       o->min_n, o->max_cv, conf, o->ci_unweighted);

	t = cli_table_new(3);
	if (!t || cli_table_add(t, head_el, &err))
		goto oom;
	for (size_t e = 0; e < cs_questionnaire_element_count(q); e++) {
		const struct cs_q_element *el = cs_questionnaire_element(q, e);
		char n[24];
		size_t k = 0;
		const char *row[3];

		for (size_t i = 0; i < cs_questionnaire_item_count(q); i++)
			if (cs_questionnaire_item(q, i)->element == e &&
			    cs_questionnaire_item(q, i)->role == CS_Q_ROLE_SATISFACTION)
				k++;
		snprintf(n, sizeof(n), "%zu", k);
		row[0] = el->code;
		row[1] = text_of(cli, el->title_vi, el->title_en);
		row[2] = n;
		if (cli_table_add(t, row, &err))
			goto oom;
	}
	if (cs_questionnaire_element_count(q))
		cli_table_print(t, stdout);
	else
		printf("%s", L(cli, "Không có yếu tố nào (không tính được chỉ số hài lòng).\n",
			       "No elements (no satisfaction index can be computed).\n"));
	cli_table_free(t);
	printf("\n");

	t = cli_table_new(5);
	if (!t || cli_table_add(t, head_it, &err))
		goto oom;
	for (size_t i = 0; i < cs_questionnaire_item_count(q); i++) {
		const struct cs_q_item *it = cs_questionnaire_item(q, i);
		char role[48];
		const char *row[5];

		if (it->field != CS_Q_FIELD_NONE)
			snprintf(role, sizeof(role), "%s:%s", cs_q_role_name(it->role),
				 cs_q_field_name(it->field));
		else
			snprintf(role, sizeof(role), "%s", cs_q_role_name(it->role));
		row[0] = it->code;
		row[1] = it->element_code ? it->element_code : "";
		row[2] = cs_q_type_name(it->type);
		row[3] = role;
		row[4] = text_of(cli, it->text_vi, it->text_en);
		if (cli_table_add(t, row, &err))
			goto oom;
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	printf(L(cli, "%zu câu hỏi.\n", "%zu items.\n"), cs_questionnaire_item_count(q));
	return CLI_OK;
oom:
	cli_table_free(t);
	return cli_error("%s", cs_strerror(CS_ENOMEM));
}

static int survey_show(struct cli *cli, int argc, char **argv)
{
	struct cs_questionnaire *q = NULL;
	struct cs_store *s = NULL;
	struct cs_error err = {0};
	char sha[CS_SHA256_HEX_LEN];
	struct code_opts o;
	enum cli_format fmt = CLI_FMT_TABLE;
	char *json = NULL;
	size_t len = 0;
	int rc;

	rc = parse_code_opts(cli, argc, argv, true, false, &o);
	if (rc)
		return rc;
	if (o.format && (!cli_parse_format(o.format, &fmt) || fmt == CLI_FMT_CSV))
		return cli_usage(cli, "survey",
				 L(cli, "--format '%s': cần table hoặc json",
				   "--format '%s': expected table or json"),
				 o.format);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (fmt == CLI_FMT_JSON) {
		/* The stored canonical body, as export writes it. */
		if (cs_questionnaire_store_body(s, o.code, o.version, &json, &len, NULL, NULL,
						&err)) {
			rc = cli_fail(&err);
			goto out;
		}
		fwrite(json, 1, len, stdout);
		goto out;
	}
	if (cs_questionnaire_store_load(s, o.code, o.version, &q, sha, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	rc = show_table(cli, q, sha);
out:
	cs_free(json);
	cs_questionnaire_free(q);
	cs_store_close(s);
	return rc;
}

static int survey_list(struct cli *cli, int argc, char **argv)
{
	enum cli_format fmt = CLI_FMT_TABLE;
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_arena arena;
	struct cs_vec list;
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
	cs_arena_init(&arena, 0);
	cs_vec_init(&list, sizeof(struct cs_q_stored), 0);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) ||
	    cs_questionnaire_store_list(s, &arena, &list, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (fmt == CLI_FMT_CSV) {
		printf("code,version,title,decision,elements,items,satisfaction,sha256,imported_"
		       "at\n");
		for (size_t i = 0; i < list.len; i++) {
			const struct cs_q_stored *e = cs_vec_at(&list, i);
			const char *f[4] = {e->code, e->version, e->title, e->decision};

			for (int c = 0; c < 4; c++) {
				cli_csv_field(stdout, f[c]);
				putchar(',');
			}
			printf("%zu,%zu,%zu,%s,%s\n", e->elements, e->items, e->satisfaction,
			       e->sha256, e->imported_at);
		}
	} else if (fmt == CLI_FMT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < list.len; i++) {
			const struct cs_q_stored *e = cs_vec_at(&list, i);

			json_array_append_new(
				arr,
				json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s}", "code",
					  e->code, "version", e->version, "title", e->title,
					  "decision", e->decision, "elements",
					  (json_int_t)e->elements, "items", (json_int_t)e->items,
					  "satisfaction", (json_int_t)e->satisfaction, "sha256",
					  e->sha256, "imported_at", e->imported_at));
		}
		if (!arr || json_dumpf(arr, stdout, JSON_INDENT(2)) != 0) {
			json_decref(arr);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		json_decref(arr);
		putchar('\n');
	} else if (list.len == 0) {
		printf("%s",
		       L(cli, "Chưa có bảng hỏi nào. Nhập bằng 'chiso survey import TỆP'.\n",
			 "No questionnaires yet. Import one with 'chiso survey import FILE'.\n"));
	} else {
		struct cli_table *t = cli_table_new(6);
		const char *head[6] = {
			L(cli, "Mã", "Code"),	       L(cli, "Phiên bản", "Version"),
			L(cli, "Văn bản", "Decision"), L(cli, "Yếu tố", "Elements"),
			L(cli, "Câu hỏi", "Items"),    L(cli, "Tên", "Title")};

		if (!t || cli_table_add(t, head, &err)) {
			cli_table_free(t);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		for (size_t i = 0; i < list.len; i++) {
			const struct cs_q_stored *e = cs_vec_at(&list, i);
			char ne[24], ni[48];
			const char *row[6];

			snprintf(ne, sizeof(ne), "%zu", e->elements);
			snprintf(ni, sizeof(ni), "%zu (%zu)", e->items, e->satisfaction);
			row[0] = e->code;
			row[1] = e->version;
			row[2] = e->decision;
			row[3] = ne;
			row[4] = ni;
			row[5] = e->title;
			if (cli_table_add(t, row, &err)) {
				cli_table_free(t);
				rc = cli_fail(&err);
				goto out;
			}
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
		printf(L(cli, "%zu bảng hỏi; câu hỏi (câu hài lòng).\n",
			 "%zu questionnaires; items (satisfaction items).\n"),
		       list.len);
	}
out:
	cs_vec_release(&list);
	cs_arena_release(&arena);
	cs_store_close(s);
	return rc;
}

/* The subcommands: adding one is a row here and its function. */
static const struct {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
} subcommands[] = {
	{"import", survey_import},     {"list", survey_list},
	{"show", survey_show},	       {"export", survey_export},
	{"validate", survey_validate}, {"wave", cmd_survey_wave}, /* cmd_wave.c */
};

/* "import, list, show, export, validate" for messages. */
static const char *subcommand_list(char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		int w = snprintf(out + len, size - len, "%s%s", i ? ", " : "", subcommands[i].name);

		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	return out;
}

int cmd_survey(struct cli *cli, int argc, char **argv)
{
	char names[128];

	if (argc < 2)
		return cli_usage(cli, "survey",
				 L(cli, "thiếu lệnh con: %s", "missing subcommand: %s"),
				 subcommand_list(names, sizeof(names)));
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(cli, argc - 1, argv + 1);
	return cli_usage(cli, "survey",
			 L(cli, "không có lệnh con '%s'; cần một trong %s",
			   "unknown subcommand '%s'; expected one of %s"),
			 argv[1], subcommand_list(names, sizeof(names)));
}
