/* chiso init: create the database, or bring an older one up to date. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#include "util/banned.h"

int cmd_init(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	bool existed;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, "init",
				 L(cli, "đối số thừa '%s'", "unexpected argument '%s'"), argv[1]);
	existed = strstr(cli->db, "://") == NULL && access(cli->db, F_OK) == 0;
	if (cli_open_store(cli, CS_STORE_CREATE, &s, &err))
		return cli_fail(&err);
	if (existed)
		printf(L(cli, "Cơ sở dữ liệu %s đã có, lược đồ phiên bản %d.\n",
			 "Database %s exists, schema version %d.\n"),
		       cli->db, cs_store_schema_version(s));
	else
		printf(L(cli, "Đã tạo cơ sở dữ liệu %s (lược đồ phiên bản %d).\n",
			 "Created database %s (schema version %d).\n"),
		       cli->db, cs_store_schema_version(s));
	cs_store_close(s);
	return CLI_OK;
}
