/* chiso unit import|list: the organisation tree (METHODOLOGY M1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/unit.h"
#include "io/unit_csv.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/collate.h"

#include "util/banned.h"

/* How many added or changed units an import names before summing up. */
#define SHOW_CHANGES_MAX 50

static int unit_import(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_unit_set stored, incoming;
	struct cs_unit_plan plan;
	const char *path = NULL;
	bool dry_run = false;
	char *data = NULL;
	size_t len = 0, shown = 0;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = true;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, "unit",
					 L(cli, "không có tùy chọn '%s'", "unknown option '%s'"),
					 argv[i]);
		else if (!path)
			path = argv[i];
		else
			return cli_usage(cli, "unit",
					 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
					 argv[i]);
	}
	if (!path)
		return cli_usage(
			cli, "unit",
			L(cli, "thiếu tệp CSV cần nhập", "missing the CSV file to import"));

	cs_unit_set_init(&stored);
	cs_unit_set_init(&incoming);
	cs_unit_plan_init(&plan);
	if (cli_read_file(path, CS_UNIT_CSV_MAX, &data, &len, &err) ||
	    cs_unit_csv_parse(path, data, len, &incoming, &err) ||
	    cli_open_store(cli, 0, &s, &err) || cs_unit_store_load(s, &stored, &err) ||
	    cs_unit_plan_make(&stored, &incoming, &plan, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (!dry_run && cs_unit_store_apply(s, &incoming, &plan, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	for (size_t i = 0; i < incoming.units.len; i++) {
		enum cs_unit_change ch = *(enum cs_unit_change *)cs_vec_at(&plan.changes, i);
		const struct cs_unit *u = cs_unit_set_at(&incoming, i);

		if (ch == CS_UNIT_UNCHANGED)
			continue;
		if (shown++ < SHOW_CHANGES_MAX)
			printf("  %s %s  %s\n", ch == CS_UNIT_ADDED ? "+" : "~", u->code, u->name);
	}
	if (shown > SHOW_CHANGES_MAX)
		printf(L(cli, "  ... và %zu đơn vị khác\n", "  ... and %zu more\n"),
		       shown - SHOW_CHANGES_MAX);
	printf(L(cli,
		 "%s %s: thêm %zu, thay đổi %zu, giữ nguyên %zu; %zu đơn vị đã có không nằm "
		 "trong tệp được để nguyên.\n",
		 "%s %s: %zu added, %zu changed, %zu unchanged; %zu stored units not in the "
		 "file left alone.\n"),
	       dry_run ? L(cli, "Kiểm tra (không ghi)", "Checked (nothing written)")
		       : L(cli, "Đã nhập", "Imported"),
	       path, plan.added, plan.changed, plan.unchanged, plan.kept);
out:
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&incoming);
	cs_unit_set_release(&stored);
	cs_store_close(s);
	cs_free(data);
	return rc;
}

/* Sorting context: qsort has none, so the order is computed into an index. */
struct sorted {
	const struct cs_unit_set *set;
	const struct cs_collator *coll;
	size_t *idx;
};

static const struct sorted *sort_ctx;

static int by_name(const void *a, const void *b)
{
	const struct cs_unit *ua = cs_unit_set_at(sort_ctx->set, *(const size_t *)a);
	const struct cs_unit *ub = cs_unit_set_at(sort_ctx->set, *(const size_t *)b);
	int c = cs_collator_cmpz(sort_ctx->coll, ua->name, ub->name);

	return c ? c : strcmp(ua->code, ub->code);
}

static const char *level_label(const struct cli *cli, enum cs_level l)
{
	return cli->lang == CLI_LANG_EN ? cs_level_name(l) : cs_level_name_vi(l);
}

static json_t *unit_json(const struct cs_unit *u)
{
	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s?}", "code", u->code, "name",
			 u->name, "parent", u->parent, "level", cs_level_name(u->level), "flags",
			 u->flags ? u->flags : "", "valid_from", u->valid_from, "valid_to",
			 u->valid_to, "successor", u->successor);
}

/* True when u is a child of parent, or a root when parent is NULL. */
static bool is_child(const struct cs_unit *u, const struct cs_unit *parent)
{
	if (!parent)
		return u->parent == NULL;
	return u->parent && strcmp(u->parent, parent->code) == 0;
}

static bool has_parent_in(const struct cs_unit_set *set, const struct cs_unit *u)
{
	if (!u->parent)
		return false;
	for (size_t i = 0; i < set->units.len; i++)
		if (strcmp(cs_unit_set_at(set, i)->code, u->parent) == 0)
			return true;
	return false;
}

/*
 * Prints the children of parent (NULL: the roots) in name order with tree
 * branches. prefix is the indentation drawn so far. Recursion depth is the
 * tree's depth, which the importer keeps acyclic.
 */
static void print_tree(const struct cli *cli, const struct sorted *so, const struct cs_unit *parent,
		       char *prefix, size_t plen, size_t pmax)
{
	size_t n = so->set->units.len, last = SIZE_MAX;

	for (size_t k = 0; k < n; k++) {
		const struct cs_unit *u = cs_unit_set_at(so->set, so->idx[k]);

		if (is_child(u, parent))
			last = k;
	}
	for (size_t k = 0; k < n && last != SIZE_MAX; k++) {
		const struct cs_unit *u = cs_unit_set_at(so->set, so->idx[k]);
		const char *branch, *cont;
		size_t clen;

		if (!is_child(u, parent))
			continue;
		branch = !parent ? "" : k == last ? "└─ " : "├─ ";
		cont = !parent ? "" : k == last ? "   " : "│  ";
		printf("%.*s%s%s  %s  (%s)\n", (int)plen, prefix, branch, u->name, u->code,
		       level_label(cli, u->level));
		clen = strlen(cont);
		if (plen + clen < pmax) {
			memcpy(prefix + plen, cont, clen);
			print_tree(cli, so, u, prefix, plen + clen, pmax);
		}
	}
}

static json_t *tree_json(const struct sorted *so, const struct cs_unit *parent, size_t depth)
{
	json_t *arr = json_array();

	for (size_t k = 0; arr && k < so->set->units.len; k++) {
		const struct cs_unit *u = cs_unit_set_at(so->set, so->idx[k]);
		json_t *o;

		if (!is_child(u, parent))
			continue;
		o = unit_json(u);
		if (o && depth < 256)
			json_object_set_new(o, "children", tree_json(so, u, depth + 1));
		json_array_append_new(arr, o);
	}
	return arr;
}

static int unit_list(struct cli *cli, int argc, char **argv)
{
	enum cli_format fmt = CLI_FMT_TABLE;
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_collator *coll = NULL;
	struct cs_unit_set set;
	struct sorted so = {0};
	bool tree = false;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--tree") == 0) {
			tree = true;
		} else if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			if (!cli_parse_format(val, &fmt))
				return cli_usage(cli, "unit",
						 L(cli, "--format '%s': cần table, csv hoặc json",
						   "--format '%s': expected table, csv or json"),
						 val);
		} else {
			return cli_usage(
				cli, "unit",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (tree && fmt == CLI_FMT_CSV)
		return cli_usage(cli, "unit",
				 L(cli, "--tree dùng với --format table hoặc json",
				   "--tree goes with --format table or json"));

	cs_unit_set_init(&set);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) || cs_unit_store_load(s, &set, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	coll = cs_collator_new("vi", &err);
	so.idx = cs_calloc(set.units.len, sizeof(size_t));
	if (!coll || !so.idx) {
		rc = coll ? cli_error("%s", cs_strerror(CS_ENOMEM)) : cli_fail(&err);
		goto out;
	}
	for (size_t i = 0; i < set.units.len; i++)
		so.idx[i] = i;
	so.set = &set;
	so.coll = coll;
	sort_ctx = &so;
	qsort(so.idx, set.units.len, sizeof(size_t), by_name);
	sort_ctx = NULL;

	if (fmt == CLI_FMT_CSV) {
		printf("code,name,parent,level,flags,valid_from,valid_to,successor\n");
		for (size_t k = 0; k < set.units.len; k++) {
			const struct cs_unit *u = cs_unit_set_at(&set, so.idx[k]);
			const char *f[8] = {
				u->code,  u->name,	 u->parent,   cs_level_name(u->level),
				u->flags, u->valid_from, u->valid_to, u->successor};

			for (int c = 0; c < 8; c++) {
				if (c)
					putchar(',');
				cli_csv_field(stdout, f[c]);
			}
			putchar('\n');
		}
	} else if (fmt == CLI_FMT_JSON) {
		json_t *arr;

		if (tree) {
			arr = tree_json(&so, NULL, 0);
			/* Units whose parent is not stored cannot happen (foreign
			 * keys), so the roots cover every unit. */
		} else {
			arr = json_array();
			for (size_t k = 0; arr && k < set.units.len; k++)
				json_array_append_new(arr,
						      unit_json(cs_unit_set_at(&set, so.idx[k])));
		}
		if (!arr || json_dumpf(arr, stdout, JSON_INDENT(2)) != 0) {
			json_decref(arr);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		json_decref(arr);
		putchar('\n');
	} else if (set.units.len == 0) {
		printf("%s", L(cli, "Chưa có đơn vị nào. Nhập bằng 'chiso unit import TỆP.csv'.\n",
			       "No units yet. Import them with 'chiso unit import FILE.csv'.\n"));
	} else if (tree) {
		char prefix[3 * 64 * 3];

		print_tree(cli, &so, NULL, prefix, 0, sizeof(prefix));
		for (size_t k = 0; k < set.units.len; k++) {
			const struct cs_unit *u = cs_unit_set_at(&set, so.idx[k]);

			if (u->parent && !has_parent_in(&set, u))
				printf("%s  %s\n", u->name, u->code);
		}
	} else {
		struct cli_table *t = cli_table_new(4);
		const char *head[4] = {L(cli, "Mã", "Code"), L(cli, "Tên đơn vị", "Name"),
				       L(cli, "Cấp", "Level"), L(cli, "Trực thuộc", "Parent")};

		if (!t || cli_table_add(t, head, &err)) {
			cli_table_free(t);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		for (size_t k = 0; k < set.units.len; k++) {
			const struct cs_unit *u = cs_unit_set_at(&set, so.idx[k]);
			const char *row[4] = {u->code, u->name, level_label(cli, u->level),
					      u->parent};

			if (cli_table_add(t, row, &err)) {
				cli_table_free(t);
				rc = cli_fail(&err);
				goto out;
			}
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
		printf(L(cli, "%zu đơn vị.\n", "%zu units.\n"), set.units.len);
	}
out:
	cs_free(so.idx);
	cs_collator_free(coll);
	cs_unit_set_release(&set);
	cs_store_close(s);
	return rc;
}

int cmd_unit(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli, "unit",
				 L(cli, "thiếu lệnh con: import hoặc list",
				   "missing subcommand: import or list"));
	if (strcmp(argv[1], "import") == 0)
		return unit_import(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return unit_list(cli, argc - 1, argv + 1);
	return cli_usage(cli, "unit",
			 L(cli, "không có lệnh con '%s'; cần import hoặc list",
			   "unknown subcommand '%s'; expected import or list"),
			 argv[1]);
}
