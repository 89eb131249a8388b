/* chiso serve: the web server (JSON API, pages) until SIGINT or SIGTERM. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <pthread.h>

#include "cli/cli.h"
#include "http/server.h"
#include "util/alloc.h"
#include "util/str.h"

#include "util/banned.h"

/* Largest token file read; a token is a line of text. */
#define TOKEN_FILE_MAX 4096

static bool parse_uint(const char *s, unsigned max, unsigned *out)
{
	int64_t v;

	if (cs_str_to_i64(cs_str_from(s), &v, NULL) != CS_OK || v < 0 || v > (int64_t)max)
		return false;
	*out = (unsigned)v;
	return true;
}

/* Reads the administrator token: the file's text without surrounding white space. */
static int read_token(const char *path, char **out)
{
	struct cs_error err = {0};
	struct cs_str tok;
	char *data = NULL;
	size_t len = 0;

	*out = NULL;
	if (cli_read_file(path, TOKEN_FILE_MAX, &data, &len, &err) != CS_OK)
		return cli_fail(&err);
	tok = cs_str_trim(cs_str_make(data, len));
	for (size_t i = 0; i < tok.len; i++) {
		if ((unsigned char)tok.ptr[i] <= 0x20 || (unsigned char)tok.ptr[i] >= 0x7f) {
			cs_free(data);
			return cli_error("%s: the token must be one word of printable ASCII", path);
		}
	}
	*out = cs_str_dup(tok);
	cs_free(data);
	if (!*out)
		return cli_error("%s", cs_strerror(CS_ENOMEM));
	return CLI_OK;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	struct http_server_config cfg = {
		.db = cli->db,
		.listen = "127.0.0.1:8080",
		.rate_limit = 60,
		.log = stderr,
	};
	struct http_server *srv = NULL;
	struct cs_error err = {0};
	const char *token_file = NULL;
	char *token = NULL;
	sigset_t stop;
	int sig = 0, rc;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;
		unsigned n;

		if (cli_opt(argc, argv, &i, "--listen", &val, &missing)) {
			cfg.listen = val;
		} else if (cli_opt(argc, argv, &i, "--threads", &val, &missing)) {
			if (!parse_uint(val, 256, &n) || n == 0)
				return cli_usage(
					cli, "serve",
					L(cli, "--threads '%s': cần số từ 1 đến 256",
					  "--threads '%s': expected a number from 1 to 256"),
					val);
			cfg.threads = n;
		} else if (cli_opt(argc, argv, &i, "--rate-limit", &val, &missing)) {
			if (!parse_uint(val, 1000000, &n))
				return cli_usage(
					cli, "serve",
					L(cli,
					  "--rate-limit '%s': cần số lần gửi mỗi phút (0: tắt)",
					  "--rate-limit '%s': expected submissions per minute (0: "
					  "off)"),
					val);
			cfg.rate_limit = n;
		} else if (cli_opt(argc, argv, &i, "--max-connections", &val, &missing)) {
			if (!parse_uint(val, 1000000, &n) || n == 0)
				return cli_usage(
					cli, "serve",
					L(cli, "--max-connections '%s': cần số dương",
					  "--max-connections '%s': expected a positive number"),
					val);
			cfg.max_connections = n;
		} else if (cli_opt(argc, argv, &i, "--timeout", &val, &missing)) {
			if (!parse_uint(val, 3600, &n) || n == 0)
				return cli_usage(
					cli, "serve",
					L(cli, "--timeout '%s': cần số giây từ 1 đến 3600",
					  "--timeout '%s': expected seconds from 1 to 3600"),
					val);
			cfg.timeout = n;
		} else if (cli_opt(argc, argv, &i, "--admin-token-file", &val, &missing)) {
			token_file = val;
		} else if (strcmp(argv[i], "--trust-proxy") == 0) {
			cfg.trust_proxy = true;
		} else if (strcmp(argv[i], "--no-access-log") == 0) {
			cfg.log = NULL;
		} else {
			return cli_usage(
				cli, "serve",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
		}
	}
	if (token_file) {
		rc = read_token(token_file, &token);
		if (rc)
			return rc;
		cfg.admin_token = token;
	}

	/* SIGINT and SIGTERM are taken by sigwait below: blocked before any
	 * thread starts, so that every thread inherits the mask and none of
	 * them is interrupted. A client gone mid-reply must not kill us. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = http_server_start(&cfg, &srv, &err);
	cs_free(token);
	if (rc)
		return rc == CS_EUSAGE ? cli_usage(cli, "serve", "%s", err.msg) : cli_fail(&err);
	printf("chiso: serving %s\n", http_server_url(srv));
	fflush(stdout);
	while (sigwait(&stop, &sig) != 0)
		;
	if (cfg.log) {
		fprintf(cfg.log, "chiso: %s\n",
			L(cli, "đang dừng: chờ các yêu cầu đang xử lý",
			  "stopping: waiting for requests under way"));
	}
	http_server_stop(srv);
	return CLI_OK;
}
