/*
 * chiso's command-line driver: global options, the command table and help.
 * Each command lives in its own cmd_<name>.c, as git's builtin/ does.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chiso/version.h"
#include "cli/cli.h"

#include "util/banned.h"

static int cmd_help(struct cli *cli, int argc, char **argv);
static int cmd_version(struct cli *cli, int argc, char **argv);

static const struct cli_command commands[] = {
	{"init", cmd_init, "tạo hoặc nâng cấp cơ sở dữ liệu", "create or upgrade the database",
	 "Cách dùng: chiso init [--db ĐƯỜNG_DẪN]\n"
	 "\n"
	 "Tạo cơ sở dữ liệu (mặc định chiso.db trong thư mục hiện tại, hoặc tệp do\n"
	 "--db hay biến môi trường CHISO_DB chỉ ra). Nếu cơ sở dữ liệu đã có và thuộc\n"
	 "phiên bản cũ hơn, nó được nâng cấp; dữ liệu được giữ nguyên.\n",
	 "Usage: chiso init [--db PATH]\n"
	 "\n"
	 "Creates the database (chiso.db in the working directory by default, or the\n"
	 "file named by --db or the CHISO_DB environment variable). An existing\n"
	 "database of an older schema is upgraded; its data is kept.\n"},
	{"unit", cmd_unit, "nhập và xem danh sách đơn vị", "import and list units",
	 "Cách dùng: chiso unit import TỆP.csv [--dry-run]\n"
	 "           chiso unit list [--tree] [--format table|csv|json]\n"
	 "\n"
	 "import   nhập đơn vị từ tệp CSV có các cột code,name,parent,level và tùy chọn\n"
	 "         flags,valid_from,valid_to,successor (xem docs/formats.md). Nhập lại\n"
	 "         sẽ cập nhật theo mã. Tệp có bất kỳ lỗi nào thì không thay đổi gì.\n"
	 "         --dry-run: kiểm tra và báo cáo, không ghi.\n"
	 "list     liệt kê đơn vị, sắp xếp tên theo thứ tự tiếng Việt.\n"
	 "         --tree: hiển thị dạng cây; --format: table (mặc định), csv, json.\n",
	 "Usage: chiso unit import FILE.csv [--dry-run]\n"
	 "       chiso unit list [--tree] [--format table|csv|json]\n"
	 "\n"
	 "import   imports units from a CSV file with columns code,name,parent,level\n"
	 "         and optionally flags,valid_from,valid_to,successor (see\n"
	 "         docs/formats.md). Re-importing updates units by code. A file with\n"
	 "         any error changes nothing. --dry-run: check and report only.\n"
	 "list     lists units, names sorted in Vietnamese order.\n"
	 "         --tree: show the tree; --format: table (default), csv, json.\n"},
	{"period", cmd_period, "thêm và xem kỳ đánh giá", "add and list periods",
	 "Cách dùng: chiso period add MÃ [--from NGÀY --to NGÀY]\n"
	 "           chiso period list [--format table|csv|json]\n"
	 "\n"
	 "add      thêm một kỳ. Mã dạng 2020 (cả năm), 2020-Q1 (quý) hoặc 2020-03\n"
	 "         (tháng) tự suy ra ngày đầu và ngày cuối; mã khác cần --from và --to.\n"
	 "         Ngày viết YYYY-MM-DD hoặc DD/MM/YYYY.\n"
	 "list     liệt kê các kỳ theo ngày bắt đầu.\n",
	 "Usage: chiso period add CODE [--from DATE --to DATE]\n"
	 "       chiso period list [--format table|csv|json]\n"
	 "\n"
	 "add      adds a period. Codes like 2020 (a year), 2020-Q1 (a quarter) or\n"
	 "         2020-03 (a month) imply their first and last day; other codes need\n"
	 "         --from and --to. Dates are YYYY-MM-DD or DD/MM/YYYY.\n"
	 "list     lists periods by start date.\n"},
	{"help", cmd_help, "hướng dẫn sử dụng một lệnh", "show help for a command",
	 "Cách dùng: chiso help [LỆNH]\n", "Usage: chiso help [COMMAND]\n"},
	{"version", cmd_version, "in phiên bản", "print the version", "Cách dùng: chiso version\n",
	 "Usage: chiso version\n"},
};

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_overview(const struct cli *cli, FILE *f)
{
	fprintf(f, "%s",
		L(cli,
		  "chiso: chỉ số cải cách hành chính và đo lường sự hài lòng\n\n"
		  "Cách dùng: chiso [--db ĐƯỜNG_DẪN] [--lang vi|en] <lệnh> [tùy chọn]\n\n"
		  "Các lệnh:\n",
		  "chiso: administrative reform index and satisfaction measurement\n\n"
		  "Usage: chiso [--db PATH] [--lang vi|en] <command> [options]\n\n"
		  "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			L(cli, commands[i].summary_vi, commands[i].summary_en));
	fprintf(f, "%s",
		L(cli,
		  "\nTùy chọn chung:\n"
		  "  --db ĐƯỜNG_DẪN   cơ sở dữ liệu (mặc định chiso.db, hoặc biến CHISO_DB)\n"
		  "  --lang vi|en     ngôn ngữ hiển thị (mặc định vi, hoặc biến CHISO_LANG)\n"
		  "  --version        in phiên bản\n\n"
		  "Xem 'chiso help <lệnh>' để biết chi tiết một lệnh.\n",
		  "\nGlobal options:\n"
		  "  --db PATH        the database (default chiso.db, or CHISO_DB)\n"
		  "  --lang vi|en     display language (default vi, or CHISO_LANG)\n"
		  "  --version        print the version\n\n"
		  "See 'chiso help <command>' for the details of a command.\n"));
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *c;

	if (argc < 2) {
		print_overview(cli, stdout);
		return CLI_OK;
	}
	if (argc > 2)
		return cli_usage(cli, "help", "%s", L(cli, "thừa đối số", "too many arguments"));
	c = find_command(argv[1]);
	if (!c)
		return cli_usage(cli, "help", L(cli, "không có lệnh '%s'", "no command '%s'"),
				 argv[1]);
	printf("%s", L(cli, c->help_vi, c->help_en));
	return CLI_OK;
}

static int cmd_version(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	printf("chiso %s\n", CHISO_VERSION);
	return CLI_OK;
}

static bool parse_lang(const char *s, enum cli_lang *out)
{
	if (strcmp(s, "vi") == 0)
		*out = CLI_LANG_VI;
	else if (strcmp(s, "en") == 0)
		*out = CLI_LANG_EN;
	else
		return false;
	return true;
}

/*
 * Takes the global options out of argv wherever they stand, so that both
 * `chiso --db x.db unit list` and `chiso unit list --db x.db` work. Returns
 * CLI_OK, or CLI_USAGE after printing what is wrong.
 */
static int take_global_options(struct cli *cli, int *argc, char **argv, bool *version)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (cli_opt(*argc, argv, &i, "--db", &val, &missing)) {
			cli->db = val;
		} else if (cli_opt(*argc, argv, &i, "--lang", &val, &missing)) {
			if (!parse_lang(val, &cli->lang))
				return cli_usage(cli, NULL, "--lang: '%s'; %s", val,
						 L(cli, "cần vi hoặc en", "expected vi or en"));
		} else if (missing) {
			return cli_usage(cli, NULL,
					 L(cli, "%s cần một giá trị", "%s needs a value"), argv[i]);
		} else if (strcmp(argv[i], "--version") == 0) {
			*version = true;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return CLI_OK;
}

int main(int argc, char **argv)
{
	struct cli cli = {CS_STORE_DEFAULT, CLI_LANG_VI, false};
	const struct cli_command *c;
	const char *env;
	bool version = false;
	int rc;

	env = getenv("CHISO_DB");
	if (env && *env)
		cli.db = env;
	env = getenv("CHISO_LANG");
	if (env && *env && !parse_lang(env, &cli.lang))
		cli.lang = CLI_LANG_VI;
	cli.tty = isatty(STDOUT_FILENO);

	rc = take_global_options(&cli, &argc, argv, &version);
	if (rc)
		return rc;
	if (version)
		return cmd_version(&cli, 0, NULL);
	if (argc < 2) {
		print_overview(&cli, stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(&cli, 1, argv + 1);
	c = find_command(argv[1]);
	if (!c)
		return cli_usage(&cli, NULL, L(&cli, "không có lệnh '%s'", "unknown command '%s'"),
				 argv[1]);
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("%s", L(&cli, c->help_vi, c->help_en));
			return CLI_OK;
		}
	rc = c->run(&cli, argc - 1, argv + 1);
	if (fflush(stdout) != 0 || ferror(stdout))
		return cli_error("%s", L(&cli, "không ghi được kết quả ra",
					 "cannot write to standard output"));
	return rc;
}
