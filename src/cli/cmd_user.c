/*
 * chiso user add|list|disable|enable|passwd: the staff accounts of the
 * workspace (issue 7). The first administrator is created here; passwords
 * are read without echo from the terminal, or as one line from a file or
 * standard input, and only their argon2id hash is stored.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli/cli.h"
#include "store/user_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* Reads one line (without its end) into buf; false at end of file or on a line too long. */
static bool read_line(FILE *f, char *buf, size_t size, size_t *len)
{
	size_t n;

	if (!fgets(buf, (int)size, f))
		return false;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == size - 1 && !feof(f))
		return false; /* longer than the buffer */
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	*len = n;
	return true;
}

/* Prompts on the terminal with echo off. */
static bool prompt(const char *what, char *buf, size_t size, size_t *len)
{
	struct termios old, quiet;
	bool ok, restore = tcgetattr(STDIN_FILENO, &old) == 0;

	fprintf(stderr, "%s", what);
	fflush(stderr);
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = read_line(stdin, buf, size, len);
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return ok;
}

/*
 * Reads a new password: from file (one line; "-" standard input), else from
 * the terminal twice, else one line of standard input. Hashes it into hash.
 */
static int new_password(struct cli *cli, const char *file, char hash[CS_PASSWORD_HASH_LEN])
{
	char pw[CS_PASSWORD_MAX + 2], again[CS_PASSWORD_MAX + 2];
	struct cs_error err = {0};
	size_t len = 0, len2 = 0;
	int rc = CLI_OK;

	if (file && strcmp(file, "-") != 0) {
		FILE *f = fopen(file, "r");
		bool ok = f && read_line(f, pw, sizeof(pw), &len);

		if (f)
			fclose(f);
		if (!ok) {
			rc = cli_error(L(cli, "%s: không đọc được mật khẩu (một dòng)",
					 "%s: cannot read the password (one line)"),
				       file);
			goto out;
		}
	} else if (!file && isatty(STDIN_FILENO)) {
		if (!prompt(L(cli, "Mật khẩu mới: ", "New password: "), pw, sizeof(pw), &len) ||
		    !prompt(L(cli, "Nhập lại: ", "Again: "), again, sizeof(again), &len2)) {
			rc = cli_error("%s", L(cli, "không đọc được mật khẩu",
					       "cannot read the password"));
			goto out;
		}
		if (len != len2 || sodium_memcmp(pw, again, len) != 0) {
			rc = cli_error("%s", L(cli, "hai lần nhập mật khẩu không khớp",
					       "the two passwords differ"));
			goto out;
		}
	} else if (!read_line(stdin, pw, sizeof(pw), &len)) {
		rc = cli_error("%s", L(cli, "không đọc được mật khẩu từ đầu vào chuẩn (một dòng)",
				       "cannot read the password from standard input (one line)"));
		goto out;
	}
	if (cs_password_hash(pw, len, hash, &err))
		rc = cli_fail(&err);
out:
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(again, sizeof(again));
	return rc;
}

static int user_add(struct cli *cli, int argc, char **argv)
{
	struct cs_user_spec spec = {0};
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	const char *role = NULL, *file = NULL;
	char hash[CS_PASSWORD_HASH_LEN];
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--subtree") == 0)
			spec.subtree = true;
		else if (cli_opt(argc, argv, &i, "--role", &val, &missing))
			role = val;
		else if (cli_opt(argc, argv, &i, "--unit", &val, &missing))
			spec.unit = val;
		else if (cli_opt(argc, argv, &i, "--name", &val, &missing))
			spec.name = val;
		else if (cli_opt(argc, argv, &i, "--password-file", &val, &missing))
			file = val;
		else if (missing)
			return cli_usage(cli, "user",
					 L(cli, "%s cần một giá trị", "%s needs a value"), argv[i]);
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage(cli, "user",
					 L(cli, "không có tùy chọn '%s'", "unknown option '%s'"),
					 argv[i]);
		else if (!spec.login)
			spec.login = argv[i];
		else
			return cli_usage(cli, "user",
					 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
					 argv[i]);
	}
	if (!spec.login || !role)
		return cli_usage(
			cli, "user",
			L(cli, "cần TÊN_ĐĂNG_NHẬP và --role", "LOGIN and --role are required"));
	if (!cs_role_parse(cs_str_from(role), &spec.role))
		return cli_usage(
			cli, "user",
			L(cli,
			  "--role '%s': cần admin, appraiser, unit_officer, viewer hoặc "
			  "surveyor",
			  "--role '%s': expected admin, appraiser, unit_officer, viewer or "
			  "surveyor"),
			role);
	if (cs_login_check(cs_str_from(spec.login), &err))
		return cli_usage(cli, "user", "%s", err.msg);
	rc = new_password(cli, file, hash);
	if (rc)
		return rc;
	spec.password_hash = hash;
	if (cli_open_store(cli, 0, &s, &err) || cs_user_add(s, &spec, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	printf(L(cli, "Đã tạo tài khoản %s (%s%s%s).\n", "Added account %s (%s%s%s).\n"),
	       spec.login, cs_role_name(spec.role), spec.unit ? ", " : "",
	       spec.unit ? spec.unit : "");
out:
	sodium_memzero(hash, sizeof(hash));
	cs_store_close(s);
	return rc;
}

static int user_list(struct cli *cli, int argc, char **argv)
{
	enum cli_format fmt = CLI_FMT_TABLE;
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_vec users;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--format", &val, &missing)) {
			if (!cli_parse_format(val, &fmt))
				return cli_usage(cli, "user",
						 L(cli, "--format '%s': cần table, csv hoặc json",
						   "--format '%s': expected table, csv or json"),
						 val);
		} else {
			return cli_usage(
				cli, "user",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	cs_vec_init(&users, sizeof(struct cs_user), 0);
	if (cli_open_store(cli, CS_STORE_READONLY, &s, &err) || cs_user_list(s, &users, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (fmt == CLI_FMT_CSV) {
		printf("login,name,role,unit,subtree,disabled,created_at\n");
		for (size_t i = 0; i < users.len; i++) {
			const struct cs_user *u = cs_vec_at(&users, i);

			printf("%s,", u->login);
			cli_csv_field(stdout, u->name);
			printf(",%s,", cs_role_name(u->role));
			cli_csv_field(stdout, u->unit);
			printf(",%s,%s,%s\n", u->subtree ? "yes" : "no", u->disabled ? "yes" : "no",
			       u->created_at);
		}
	} else if (fmt == CLI_FMT_JSON) {
		json_t *arr = json_array();

		for (size_t i = 0; arr && i < users.len; i++) {
			const struct cs_user *u = cs_vec_at(&users, i);

			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:b, s:b, s:s}",
							     "login", u->login, "name", u->name,
							     "role", cs_role_name(u->role), "unit",
							     u->unit[0] ? u->unit : NULL, "subtree",
							     u->subtree, "disabled", u->disabled,
							     "created_at", u->created_at));
		}
		if (!arr || json_dumpf(arr, stdout, JSON_INDENT(2)) != 0) {
			json_decref(arr);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		json_decref(arr);
		putchar('\n');
	} else if (users.len == 0) {
		printf("%s", L(cli,
			       "Chưa có tài khoản nào. Tạo quản trị viên đầu tiên bằng 'chiso user "
			       "add TÊN --role admin'.\n",
			       "No accounts yet. Create the first administrator with 'chiso user "
			       "add LOGIN --role admin'.\n"));
	} else {
		struct cli_table *t = cli_table_new(5);
		const char *head[5] = {L(cli, "Tên đăng nhập", "Login"), L(cli, "Họ tên", "Name"),
				       L(cli, "Vai trò", "Role"), L(cli, "Đơn vị", "Unit"),
				       L(cli, "Trạng thái", "Status")};

		if (!t || cli_table_add(t, head, &err)) {
			cli_table_free(t);
			rc = cli_error("%s", cs_strerror(CS_ENOMEM));
			goto out;
		}
		for (size_t i = 0; i < users.len; i++) {
			const struct cs_user *u = cs_vec_at(&users, i);
			char unit[160];
			const char *row[5];

			snprintf(unit, sizeof(unit), "%s%s", u->unit,
				 u->subtree ? L(cli, " (cả cây)", " (subtree)") : "");
			row[0] = u->login;
			row[1] = u->name;
			row[2] = cs_role_name(u->role);
			row[3] = unit;
			row[4] = u->disabled ? L(cli, "đã khóa", "disabled")
					     : L(cli, "hoạt động", "active");
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
	cs_vec_release(&users);
	cs_store_close(s);
	return rc;
}

/* user disable LOGIN, user enable LOGIN. */
static int user_disable(struct cli *cli, int argc, char **argv, bool disable)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	bool changed = false;
	int rc = CLI_OK;

	if (argc != 2)
		return cli_usage(
			cli, "user",
			L(cli, "cần đúng một TÊN_ĐĂNG_NHẬP", "expected exactly one LOGIN"));
	if (cli_open_store(cli, 0, &s, &err) ||
	    cs_user_set_disabled(s, argv[1], disable, &changed, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (disable)
		printf(changed ? L(cli, "Đã khóa tài khoản %s; các phiên của nó đã kết thúc.\n",
				   "Disabled account %s; its sessions have ended.\n")
			       : L(cli, "Tài khoản %s đã bị khóa từ trước.\n",
				   "Account %s was already disabled.\n"),
		       argv[1]);
	else
		printf(changed ? L(cli, "Đã mở khóa tài khoản %s.\n", "Enabled account %s.\n")
			       : L(cli, "Tài khoản %s đang hoạt động.\n",
				   "Account %s was already enabled.\n"),
		       argv[1]);
out:
	cs_store_close(s);
	return rc;
}

static int user_passwd(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	const char *login = NULL, *file = NULL;
	char hash[CS_PASSWORD_HASH_LEN];
	bool found = false;
	struct cs_user u;
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--password-file", &val, &missing))
			file = val;
		else if (missing)
			return cli_usage(cli, "user",
					 L(cli, "%s cần một giá trị", "%s needs a value"), argv[i]);
		else if (!login && argv[i][0] != '-')
			login = argv[i];
		else
			return cli_usage(cli, "user",
					 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
					 argv[i]);
	}
	if (!login)
		return cli_usage(cli, "user", L(cli, "thiếu TÊN_ĐĂNG_NHẬP", "missing LOGIN"));
	/* Checked before asking for a password that would be thrown away. */
	if (cli_open_store(cli, 0, &s, &err) || cs_user_find(s, login, &u, &found, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (!found) {
		rc = cli_error(L(cli, "không có tài khoản '%s'; xem bằng 'chiso user list'",
				 "no account '%s'; list them with 'chiso user list'"),
			       login);
		goto out;
	}
	rc = new_password(cli, file, hash);
	if (rc)
		goto out;
	if (cs_user_set_password(s, login, hash, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	printf(L(cli, "Đã đổi mật khẩu của %s; các phiên của nó đã kết thúc.\n",
		 "Changed the password of %s; its sessions have ended.\n"),
	       login);
out:
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(&u, sizeof(u));
	cs_store_close(s);
	return rc;
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli, "user",
				 L(cli, "thiếu lệnh con: add, list, disable, enable hoặc passwd",
				   "missing subcommand: add, list, disable, enable or passwd"));
	if (strcmp(argv[1], "add") == 0)
		return user_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return user_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "disable") == 0)
		return user_disable(cli, argc - 1, argv + 1, true);
	if (strcmp(argv[1], "enable") == 0)
		return user_disable(cli, argc - 1, argv + 1, false);
	if (strcmp(argv[1], "passwd") == 0)
		return user_passwd(cli, argc - 1, argv + 1);
	return cli_usage(
		cli, "user",
		L(cli, "không có lệnh con '%s'; cần add, list, disable, enable hoặc passwd",
		  "unknown subcommand '%s'; expected add, list, disable, enable or passwd"),
		argv[1]);
}
