/*
 * chiso framework import|list|show|validate|export: PAR frameworks as
 * versioned data (METHODOLOGY M2.1), read from JSON or from a CSV or XLSX
 * table, validated before anything is stored, and kept as canonical JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/framework.h"
#include "io/framework_json.h"
#include "io/framework_table.h"
#include "store/framework_store.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/vec.h"

#include "util/banned.h"

/* Most validation problems printed for one file. */
#define PROBLEMS_MAX 200

/* Largest canonical JSON written: every node on one line, far below this. */
#define CANONICAL_MAX (4u * CS_FW_JSON_MAX)

enum file_kind {
	KIND_NONE,
	KIND_JSON,
	KIND_CSV,
	KIND_XLSX
};

/* The kind of a framework file, by its extension (any case). */
static enum file_kind kind_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return KIND_NONE;
	if (strcasecmp(dot, ".json") == 0)
		return KIND_JSON;
	if (strcasecmp(dot, ".csv") == 0)
		return KIND_CSV;
	if (strcasecmp(dot, ".xlsx") == 0)
		return KIND_XLSX;
	return KIND_NONE;
}

/* Options shared by import and validate. */
struct load_opts {
	const char *code, *version, *title, *decision, *bands;
};

/* A framework read from a file, with what was needed to explain it. */
struct loaded {
	struct cs_framework *fw;
	struct cs_fw_meta meta;
	struct cs_fw_table_lines lines;
	enum file_kind kind;
};

static void loaded_release(struct loaded *l)
{
	cs_framework_free(l->fw);
	cs_fw_meta_release(&l->meta);
	cs_fw_table_lines_release(&l->lines);
	memset(l, 0, sizeof(*l));
}

/* The stem of a path as a code ("frameworks/so-noi-vu.csv" gives "so-noi-vu"), or NULL. */
static const char *stem_code(const char *path, char out[CS_FW_CODE_MAX + 1])
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot ? (size_t)(dot - base) : strlen(base);
	if (!cs_fw_code_valid(base, n))
		return NULL;
	memcpy(out, base, n);
	out[n] = '\0';
	return out;
}

/*
 * Reads FILE as its extension says. A JSON file carries its code, version,
 * title, decision and bands: the options may only repeat the code and
 * version. A table takes them from the options (the code is required unless
 * allow_stem, when the file name gives it).
 */
static int load_file(struct cli *cli, const char *cmd, const char *path, const struct load_opts *o,
		     bool allow_stem, struct loaded *l)
{
	struct cs_error err = {0};
	char stem[CS_FW_CODE_MAX + 1];
	char *data = NULL;
	size_t len = 0;
	enum cs_err rc;

	memset(l, 0, sizeof(*l));
	l->kind = kind_of(path);
	if (l->kind == KIND_NONE)
		return cli_usage(cli, "framework",
				 L(cli, "'%s': cần tệp .json, .csv hoặc .xlsx",
				   "'%s': expected a .json, .csv or .xlsx file"),
				 path);
	if (l->kind == KIND_JSON && (o->title || o->decision || o->bands))
		return cli_usage(
			cli, "framework", "%s",
			L(cli,
			  "--title, --decision và --bands dùng cho bảng CSV/XLSX; tệp JSON "
			  "tự ghi các thông tin này",
			  "--title, --decision and --bands are for CSV/XLSX tables; a JSON "
			  "file carries its own"));
	if (l->kind != KIND_JSON && !o->code && !allow_stem)
		return cli_usage(cli, "framework", "%s",
				 L(cli, "bảng CSV/XLSX cần --code MÃ cho khung chỉ số",
				   "a CSV/XLSX table needs --code CODE for the framework"));
	rc = cli_read_file(path, l->kind == KIND_JSON ? CS_FW_JSON_MAX : CS_FW_TABLE_MAX, &data,
			   &len, &err);
	if (rc)
		return cli_fail(&err);
	if (l->kind == KIND_JSON) {
		rc = cs_framework_json_parse(path, data, len, &l->fw, &l->meta, &err);
	} else {
		struct cs_fw_info info = {o->code, o->title, o->decision, o->version};

		if (!info.code && !(info.code = stem_code(path, stem)))
			info.code = "framework";
		if (!info.version)
			info.version = "1";
		if (!cs_fw_code_valid(info.code, strlen(info.code)) ||
		    !cs_fw_code_valid(info.version, strlen(info.version))) {
			cs_free(data);
			return cli_usage(
				cli, "framework",
				L(cli,
				  "--code và --version chỉ gồm chữ A-Z a-z, số 0-9, '.', '_', "
				  "'-' (tối đa 64 ký tự)",
				  "--code and --version take 1 to 64 letters A-Z a-z, digits "
				  "0-9, '.', '_' or '-'"));
		}
		if (l->kind == KIND_CSV)
			rc = cs_framework_table_parse_csv(path, data, len, &info, &l->fw, &l->lines,
							  &err);
		else
			rc = cs_framework_table_parse_xlsx(path, data, len, &info, &l->fw,
							   &l->lines, &err);
		if (!rc && o->bands && cs_framework_add_band_set(l->fw, o->bands, &err)) {
			cs_free(data);
			loaded_release(l);
			return cli_usage(cli, "framework", "--bands: %s", err.msg);
		}
	}
	cs_free(data);
	if (rc) {
		loaded_release(l);
		return cli_fail(&err);
	}
	if (l->kind == KIND_JSON) {
		const struct cs_fw_info *info = cs_framework_info(l->fw);
		const char *bad = o->code && strcmp(o->code, info->code) != 0 ? "--code"
				  : o->version && strcmp(o->version, info->version) != 0
					  ? "--version"
					  : NULL;

		if (bad) {
			int r = cli_usage(cli, cmd,
					  L(cli, "%s: tệp %s ghi mã '%s' phiên bản '%s'; sửa tệp",
					    "%s: the file %s says code '%s' version '%s'; edit the "
					    "file instead"),
					  bad, path, info->code, info->version);

			loaded_release(l);
			return r;
		}
	}
	return CLI_OK;
}

/*
 * Validates l->fw and prints every problem, each naming the node and, for a
 * table, its line. Returns CLI_OK when there is none.
 */
static int check(struct cli *cli, const char *name, struct loaded *l, bool importing)
{
	struct cs_error err = {0};
	struct cs_vec problems;
	enum cs_err rc;

	cs_vec_init(&problems, sizeof(struct cs_error), PROBLEMS_MAX);
	rc = cs_framework_validate_all(l->fw, &problems, &err);
	if (rc == CS_EINVAL) {
		size_t total = problems.len;

		cs_framework_table_locate(name, l->fw, l->kind == KIND_JSON ? NULL : &l->lines,
					  &problems);
		for (size_t i = 0; i < problems.len; i++)
			cli_fail(cs_vec_at(&problems, i));
		fprintf(stderr, L(cli, "%s: %zu%s lỗi%s%s\n", "%s: %zu%s problem%s%s\n"), name,
			total, total >= PROBLEMS_MAX ? "+" : "",
			cli->lang == CLI_LANG_EN && total != 1 ? "s" : "",
			importing ? L(cli, "; chưa có gì được lưu.", "; nothing was stored.")
				  : ".");
	} else if (rc) {
		cli_fail(&err);
	}
	cs_vec_release(&problems);
	return rc ? CLI_FAIL : CLI_OK;
}

/* A number for people: 14,5 in Vietnamese, 14.5 in English. */
static const char *num(const struct cli *cli, double v, char out[CS_FW_NUMBER_LEN])
{
	cs_fw_number_format(v, out);
	if (cli->lang == CLI_LANG_VI)
		for (char *p = out; *p; p++)
			if (*p == '.')
				*p = ',';
	return out;
}

static void print_template_note(const struct cli *cli, const struct cs_fw_meta *meta)
{
	if (!meta->is_template)
		return;
	printf("%s", L(cli,
		       "Lưu ý: đây là khung mẫu; điểm từng tiêu chí phải được hoàn thiện theo "
		       "quyết định trước khi dùng để chấm điểm.\n",
		       "Note: this framework is a template; its per-criterion points must be "
		       "completed from the decision before it is used for scoring.\n"));
	if (meta->note)
		printf("  %s\n", meta->note);
}

/* Parses the options of import and validate; returns CLI_OK or a usage error. */
static int parse_load_opts(struct cli *cli, int argc, char **argv, const char **path,
			   struct load_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--code", &val, &missing))
			o->code = val;
		else if (cli_opt(argc, argv, &i, "--version", &val, &missing))
			o->version = val;
		else if (cli_opt(argc, argv, &i, "--title", &val, &missing))
			o->title = val;
		else if (cli_opt(argc, argv, &i, "--decision", &val, &missing))
			o->decision = val;
		else if (cli_opt(argc, argv, &i, "--bands", &val, &missing))
			o->bands = val;
		else if (missing)
			return cli_usage(cli, "framework",
					 L(cli, "%s cần một giá trị", "%s needs a value"), argv[i]);
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, "framework",
					 L(cli, "không có tùy chọn '%s'", "unknown option '%s'"),
					 argv[i]);
		else if (!*path)
			*path = argv[i];
		else
			return cli_usage(cli, "framework",
					 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
					 argv[i]);
	}
	return CLI_OK;
}

static int fw_import(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct load_opts o = {0};
	struct cs_store *s = NULL;
	struct loaded l = {0};
	const struct cs_fw_info *info;
	const char *path = NULL;
	char sha[CS_SHA256_HEX_LEN], total[CS_FW_NUMBER_LEN];
	struct cs_buf json;
	bool added = false;
	int rc;

	rc = parse_load_opts(cli, argc, argv, &path, &o);
	if (rc)
		return rc;
	if (!path)
		return cli_usage(cli, "framework", "%s",
				 L(cli, "thiếu tệp khung chỉ số cần nhập",
				   "missing the framework file to import"));
	rc = load_file(cli, "framework", path, &o, false, &l);
	if (rc)
		return rc;
	cs_buf_init(&json, CANONICAL_MAX);
	rc = check(cli, path, &l, true);
	if (rc)
		goto out;
	if (cs_framework_json_write(l.fw, &l.meta, &json, &err) ||
	    cli_open_store(cli, 0, &s, &err) ||
	    cs_framework_store_save(s, l.fw, json.data, json.len, &added, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	info = cs_framework_info(l.fw);
	cs_sha256_hex(json.data, json.len, sha);
	if (added)
		printf(L(cli,
			 "Đã nhập khung '%s' phiên bản '%s': %zu nút, tổng điểm tối đa %s, "
			 "sha256 %.12s.\n",
			 "Imported framework '%s' version '%s': %zu nodes, total maximum %s, "
			 "sha256 %.12s.\n"),
		       info->code, info->version, cs_framework_node_count(l.fw),
		       num(cli, cs_framework_total_max(l.fw), total), sha);
	else
		printf(L(cli,
			 "Khung '%s' phiên bản '%s' đã có với cùng nội dung (sha256 %.12s); không "
			 "thay đổi gì.\n",
			 "Framework '%s' version '%s' is already stored with the same content "
			 "(sha256 %.12s); unchanged.\n"),
		       info->code, info->version, sha);
	print_template_note(cli, &l.meta);
out:
	cs_buf_release(&json);
	cs_store_close(s);
	loaded_release(&l);
	return rc;
}

/* Takes --format and --version (when version is not NULL) for list, show, export. */
static int parse_view_opts(struct cli *cli, int argc, char **argv, const char **code,
			   const char **version, const char **format, const char **output)
{
	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (version && cli_opt(argc, argv, &i, "--version", &val, &missing))
			*version = val;
		else if (cli_opt(argc, argv, &i, "--format", &val, &missing))
			*format = val;
		else if (output && (cli_opt(argc, argv, &i, "-o", &val, &missing) ||
				    cli_opt(argc, argv, &i, "--output", &val, &missing)))
			*output = val;
		else if (missing)
			return cli_usage(cli, "framework",
					 L(cli, "%s cần một giá trị", "%s needs a value"), argv[i]);
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, "framework",
					 L(cli, "không có tùy chọn '%s'", "unknown option '%s'"),
					 argv[i]);
		else if (code && !*code)
			*code = argv[i];
		else
			return cli_usage(cli, "framework",
					 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
					 argv[i]);
	}
	return CLI_OK;
}

static int fw_list(struct cli *cli, int argc, char **argv)
{
	const char *format = "table";
	enum cli_format fmt;
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_arena arena;
	struct cs_vec list;
	int rc = parse_view_opts(cli, argc, argv, NULL, NULL, &format, NULL);

	if (rc)
		return rc;
	if (!cli_parse_format(format, &fmt))
		return cli_usage(cli, "framework",
				 L(cli, "--format '%s': cần table, csv hoặc json",
				   "--format '%s': expected table, csv or json"),
				 format);
	cs_arena_init(&arena, 0);
	cs_vec_init(&list, sizeof(struct cs_fw_stored), 0);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) ||
	    cs_framework_store_list(s, &arena, &list, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (fmt == CLI_FMT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < list.len; i++) {
			const struct cs_fw_stored *e = cs_vec_at(&list, i);

			json_array_append_new(
				arr,
				json_pack("{s:s, s:s, s:s, s:s, s:I, s:f, s:b, s:s, s:s}", "code",
					  e->code, "version", e->version, "title", e->title,
					  "decision", e->decision, "nodes", (json_int_t)e->nodes,
					  "total_max", e->total_max, "template", e->is_template,
					  "imported_at", e->imported_at, "sha256", e->sha256));
		}
		if (!arr || json_dumpf(arr, stdout, JSON_INDENT(2)) != 0)
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
		else
			putchar('\n');
		json_decref(arr);
	} else if (fmt == CLI_FMT_CSV) {
		printf("code,version,title,decision,nodes,total_max,template,imported_at,sha256\n");
		for (size_t i = 0; i < list.len; i++) {
			const struct cs_fw_stored *e = cs_vec_at(&list, i);
			char total[CS_FW_NUMBER_LEN];

			cs_fw_number_format(e->total_max, total);
			cli_csv_field(stdout, e->code);
			putchar(',');
			cli_csv_field(stdout, e->version);
			putchar(',');
			cli_csv_field(stdout, e->title);
			putchar(',');
			cli_csv_field(stdout, e->decision);
			printf(",%zu,%s,%s,%s,%s\n", e->nodes, total, e->is_template ? "yes" : "no",
			       e->imported_at, e->sha256);
		}
	} else if (list.len == 0) {
		printf("%s",
		       L(cli, "Chưa có khung chỉ số nào. Nhập bằng 'chiso framework import TỆP'.\n",
			 "No frameworks yet. Import one with 'chiso framework import FILE'.\n"));
	} else {
		struct cli_table *t = cli_table_new(7);
		const char *head[7] = {
			L(cli, "Mã", "Code"),	       L(cli, "Phiên bản", "Version"),
			L(cli, "Tên", "Title"),	       L(cli, "Số nút", "Nodes"),
			L(cli, "Tối đa", "Max"),       L(cli, "Trạng thái", "Status"),
			L(cli, "Nhập lúc", "Imported")};

		if (!t || cli_table_add(t, head, &err)) {
			cli_table_free(t);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		for (size_t i = 0; i < list.len; i++) {
			const struct cs_fw_stored *e = cs_vec_at(&list, i);
			char nodes[32], total[CS_FW_NUMBER_LEN];
			const char *row[7] = {e->code,
					      e->version,
					      e->title,
					      nodes,
					      num(cli, e->total_max, total),
					      e->is_template ? L(cli, "mẫu", "template") : "",
					      e->imported_at};

			snprintf(nodes, sizeof(nodes), "%zu", e->nodes);
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
	cs_store_close(s);
	cs_vec_release(&list);
	cs_arena_release(&arena);
	return rc;
}

static const char *source_label(const struct cli *cli, const struct cs_fw_node *node)
{
	static const char *const vi[CS_SOURCE_COUNT_] = {
		[CS_SOURCE_SELF] = "tự chấm",	  [CS_SOURCE_SURVEY] = "khảo sát",
		[CS_SOURCE_DATA] = "dữ liệu",	  [CS_SOURCE_BONUS] = "điểm thưởng",
		[CS_SOURCE_PENALTY] = "điểm trừ",
	};
	const char *en = cs_fw_source_name(node->source);

	if (!en)
		return node->source_name ? node->source_name : "";
	return cli->lang == CLI_LANG_EN ? en : vi[node->source];
}

static void print_header(const struct cli *cli, const struct cs_framework *fw,
			 const struct cs_fw_meta *meta, const char *sha)
{
	const struct cs_fw_info *info = cs_framework_info(fw);
	const struct cs_fw_options *o = cs_framework_options(fw);
	const char *flag = cs_framework_unranked_flag(fw);
	char a[CS_FW_NUMBER_LEN], b[CS_FW_NUMBER_LEN];

	printf("%s: %s\n", L(cli, "Khung chỉ số", "Framework"), info->code);
	printf("%s: %s\n", L(cli, "Phiên bản", "Version"), info->version);
	if (*info->title)
		printf("%s: %s\n", L(cli, "Tên", "Title"), info->title);
	if (*info->decision)
		printf("%s: %s\n", L(cli, "Căn cứ", "Decision"), info->decision);
	printf("%s: %s\n", L(cli, "Tổng điểm tối đa", "Total maximum"),
	       num(cli, cs_framework_total_max(fw), a));
	if (sha)
		printf("SHA-256: %s\n", sha);
	if (meta->is_template)
		printf("%s\n", L(cli, "Trạng thái: khung mẫu (cần hoàn thiện điểm)",
				 "Status: template (points to be completed)"));
	if (meta->note)
		printf("%s: %s\n", L(cli, "Ghi chú", "Note"), meta->note);
	printf("%s: %s, %d %s; %s: %s, %s; %s: %s\n", L(cli, "Làm tròn", "Rounding"),
	       o->rounding.mode == CS_ROUND_TRUNCATE
		       ? L(cli, "cắt bỏ", "truncate")
		       : L(cli, "làm tròn (từ 5 trở lên thì tăng)", "half away from zero"),
	       o->rounding.decimals, L(cli, "chữ số thập phân", "decimals"),
	       L(cli, "xếp hạng", "ranking"),
	       o->rank_method == CS_RANK_DENSE
		       ? L(cli, "liền mạch (1, 2, 2, 3)", "dense (1, 2, 2, 3)")
		       : L(cli, "đồng hạng (1, 2, 2, 4)", "competition (1, 2, 2, 4)"),
	       o->full_precision ? L(cli, "trên giá trị đầy đủ", "on full precision")
				 : L(cli, "trên giá trị công bố", "on published values"),
	       L(cli, "không áp dụng", "not applicable"),
	       o->na_policy == CS_NA_ZERO ? L(cli, "tính 0 điểm", "scores 0")
					  : L(cli, "loại khỏi mẫu số", "leaves the denominator"));
	printf("%s: %s", L(cli, "Phạm vi xếp hạng", "Ranked among"),
	       o->rank_scope == CS_RANK_SCOPE_LEVEL
		       ? L(cli, "đơn vị cùng cấp", "units of the same level")
	       : o->rank_scope == CS_RANK_SCOPE_PARENT
		       ? L(cli, "đơn vị cùng cấp trên", "units with the same parent")
		       : L(cli, "tất cả đơn vị", "all units"));
	if (flag)
		printf(L(cli, "; không xếp hạng đơn vị có cờ '%s'",
			 "; units flagged '%s' are not ranked"),
		       flag);
	for (size_t i = 0; i < cs_framework_tiebreak_count(fw); i++) {
		const struct cs_fw_tiebreak *t = cs_framework_tiebreak(fw, i);

		printf("%s %s%s", i ? "," : L(cli, "; khi bằng điểm xét", "; ties broken by"),
		       t->node, t->ascending ? L(cli, " (ít hơn xếp trên)", " (lower first)") : "");
	}
	printf("\n");
	if (cs_framework_band_count(fw)) {
		printf("%s:\n", L(cli, "Xếp loại", "Bands"));
		for (size_t i = 0; i < cs_framework_band_count(fw); i++) {
			const struct cs_fw_band *band = cs_framework_band(fw, i);

			printf("  %-4s %s – %s%s  %s\n", band->code, num(cli, band->lo, a),
			       band->hi >= 100 - CS_FW_EPS ? "" : "<", num(cli, band->hi, b),
			       cli->lang == CLI_LANG_EN && *band->label_en ? band->label_en
									   : band->label_vi);
		}
	}
	printf("\n");
}

static int print_tree(struct cli *cli, const struct cs_framework *fw)
{
	const size_t *order = cs_framework_order(fw);
	size_t n = cs_framework_node_count(fw);
	bool any_applies = false;
	struct cs_error err = {0};
	struct cli_table *t;
	struct cs_buf rule, applies, code;
	int rc = CLI_OK;

	for (size_t i = 0; i < n; i++)
		any_applies = any_applies || cs_framework_node(fw, i)->napplies;
	t = cli_table_new(any_applies ? 6 : 5);
	cs_buf_init(&rule, 1u << 20);
	cs_buf_init(&applies, 1u << 20);
	cs_buf_init(&code, 1u << 20);
	{
		const char *head[6] = {
			L(cli, "Mã", "Code"),	     L(cli, "Nội dung", "Title"),
			L(cli, "Tối đa", "Max"),     L(cli, "Nguồn", "Source"),
			L(cli, "Cách chấm", "Rule"), L(cli, "Áp dụng cho", "Applies to")};

		if (!t || cli_table_add(t, head, &err)) {
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
	}
	for (size_t k = 0; k < n; k++) {
		const struct cs_fw_node *node = cs_framework_node(fw, order[k]);
		char max[CS_FW_NUMBER_LEN];
		const char *row[6];

		cs_buf_reset(&rule);
		cs_buf_reset(&applies);
		cs_buf_reset(&code);
		for (unsigned d = 0; d < node->depth; d++)
			cs_buf_addstr(&code, "  ", NULL);
		cs_buf_addstr(&code, node->code, NULL);
		if (node->rule_name) {
			cs_buf_addstr(&rule, node->rule_name, NULL);
			for (size_t i = 0; i < node->nparams; i++)
				cs_buf_addf(&rule, NULL, " %s=%s", node->params[i].key,
					    node->params[i].value);
		}
		cs_fw_applies_text(node, &applies, NULL);
		row[0] = code.data;
		row[1] = node->title;
		row[2] = num(cli, node->max, max);
		row[3] = source_label(cli, node);
		row[4] = rule.data;
		row[5] = applies.data;
		if (cli_table_add(t, row, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
	}
	cli_table_print(t, stdout);
out:
	cli_table_free(t);
	cs_buf_release(&rule);
	cs_buf_release(&applies);
	cs_buf_release(&code);
	return rc;
}

/* Reads a stored framework's body and the framework it describes. */
static int load_stored(struct cli *cli, const char *code, const char *version, char **json,
		       size_t *len, char sha[CS_SHA256_HEX_LEN], struct loaded *l,
		       bool validate_now)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	char ver[CS_FW_CODE_MAX + 1];
	enum cs_err rc;

	memset(l, 0, sizeof(*l));
	l->kind = KIND_JSON;
	rc = cli_open_store(cli, CS_STORE_READONLY, &s, &err);
	if (!rc)
		rc = cs_framework_store_body(s, code, version, json, len, sha, ver, &err);
	cs_store_close(s);
	if (!rc)
		rc = cs_framework_json_parse(code, *json, *len, &l->fw, &l->meta, &err);
	if (!rc && validate_now)
		rc = cs_framework_validate(l->fw, &err);
	if (rc) {
		cs_free(*json);
		*json = NULL;
		loaded_release(l);
		return cli_fail(&err);
	}
	return CLI_OK;
}

static int fw_show(struct cli *cli, int argc, char **argv)
{
	const char *code = NULL, *version = NULL, *format = "table";
	char sha[CS_SHA256_HEX_LEN];
	struct loaded l;
	char *json = NULL;
	size_t len = 0;
	int rc = parse_view_opts(cli, argc, argv, &code, &version, &format, NULL);

	if (rc)
		return rc;
	if (!code)
		return cli_usage(cli, "framework", "%s",
				 L(cli, "thiếu mã khung chỉ số", "missing the framework code"));
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return cli_usage(cli, "framework",
				 L(cli, "--format '%s': cần table hoặc json",
				   "--format '%s': expected table or json"),
				 format);
	rc = load_stored(cli, code, version, &json, &len, sha, &l, true);
	if (rc)
		return rc;
	if (strcmp(format, "json") == 0) {
		fwrite(json, 1, len, stdout);
	} else {
		print_header(cli, l.fw, &l.meta, sha);
		rc = print_tree(cli, l.fw);
	}
	cs_free(json);
	loaded_release(&l);
	return rc;
}

static void print_valid(const struct cli *cli, const char *name, const struct loaded *l)
{
	const struct cs_fw_info *info = cs_framework_info(l->fw);
	char total[CS_FW_NUMBER_LEN];

	printf(L(cli,
		 "%s: hợp lệ: khung '%s' phiên bản '%s', %zu nút, tổng điểm tối đa %s, %zu mức "
		 "xếp loại.\n",
		 "%s: valid: framework '%s' version '%s', %zu nodes, total maximum %s, %zu "
		 "bands.\n"),
	       name, info->code, info->version, cs_framework_node_count(l->fw),
	       num(cli, cs_framework_total_max(l->fw), total), cs_framework_band_count(l->fw));
	print_template_note(cli, &l->meta);
}

static int fw_validate(struct cli *cli, int argc, char **argv)
{
	const char *arg = NULL;
	struct load_opts o = {0};
	struct loaded l = {0};
	int rc = parse_load_opts(cli, argc, argv, &arg, &o);

	if (rc)
		return rc;
	if (!arg)
		return cli_usage(cli, "framework", "%s",
				 L(cli, "thiếu tệp hoặc mã khung chỉ số",
				   "missing the framework file or code"));
	if (kind_of(arg) != KIND_NONE || access(arg, F_OK) == 0) {
		rc = load_file(cli, "framework", arg, &o, true, &l);
		if (!rc)
			rc = check(cli, arg, &l, false);
		if (!rc)
			print_valid(cli, arg, &l);
	} else {
		char sha[CS_SHA256_HEX_LEN], *json = NULL;
		size_t len = 0;

		if (o.title || o.decision || o.bands || o.code)
			return cli_usage(cli, "framework", "%s",
					 L(cli, "với khung đã lưu chỉ dùng được --version",
					   "a stored framework takes only --version"));
		rc = load_stored(cli, arg, o.version, &json, &len, sha, &l, false);
		cs_free(json);
		if (!rc)
			rc = check(cli, arg, &l, false);
		if (!rc)
			print_valid(cli, arg, &l);
	}
	loaded_release(&l);
	return rc;
}

static int fw_export(struct cli *cli, int argc, char **argv)
{
	const char *code = NULL, *version = NULL, *format = "json", *output = NULL;
	struct cs_error err = {0};
	char sha[CS_SHA256_HEX_LEN];
	struct loaded l;
	struct cs_buf csv;
	const char *text;
	size_t text_len;
	char *json = NULL;
	size_t len = 0;
	FILE *f = stdout;
	int rc = parse_view_opts(cli, argc, argv, &code, &version, &format, &output);

	if (rc)
		return rc;
	if (!code)
		return cli_usage(cli, "framework", "%s",
				 L(cli, "thiếu mã khung chỉ số", "missing the framework code"));
	if (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)
		return cli_usage(cli, "framework",
				 L(cli, "--format '%s': cần json hoặc csv",
				   "--format '%s': expected json or csv"),
				 format);
	rc = load_stored(cli, code, version, &json, &len, sha, &l, false);
	if (rc)
		return rc;
	cs_buf_init(&csv, CANONICAL_MAX);
	text = json;
	text_len = len;
	if (strcmp(format, "csv") == 0) {
		if (cs_framework_table_write_csv(l.fw, &csv, &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		text = csv.data;
		text_len = csv.len;
	}
	if (output && strcmp(output, "-") != 0) {
		f = fopen(output, "wb");
		if (!f) {
			rc = cli_error(L(cli, "không tạo được '%s': %s", "cannot create '%s': %s"),
				       output, strerror(errno));
			goto out;
		}
	}
	if (fwrite(text, 1, text_len, f) != text_len)
		rc = cli_error(L(cli, "không ghi được '%s'", "cannot write '%s'"),
			       output ? output : "-");
	if (f != stdout && fclose(f) != 0 && rc == CLI_OK)
		rc = cli_error(L(cli, "không ghi được '%s'", "cannot write '%s'"), output);
out:
	cs_buf_release(&csv);
	cs_free(json);
	loaded_release(&l);
	return rc;
}

static const struct {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
} subcommands[] = {
	{"import", fw_import},	   {"list", fw_list},	  {"show", fw_show},
	{"validate", fw_validate}, {"export", fw_export},
};

int cmd_framework(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli, "framework", "%s",
				 L(cli, "thiếu lệnh con: import, list, show, validate hoặc export",
				   "missing subcommand: import, list, show, validate or export"));
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(cli, argc - 1, argv + 1);
	return cli_usage(
		cli, "framework",
		L(cli, "không có lệnh con '%s'; cần import, list, show, validate hoặc export",
		  "unknown subcommand '%s'; expected import, list, show, validate or export"),
		argv[1]);
}
