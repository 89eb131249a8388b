/*
 * Shared parts of the command-line programs: the invocation context, the
 * command table entry, messages in Vietnamese or English, and the helpers
 * every cmd_<name>.c uses to report errors and open the database.
 */
#ifndef CHISO_CLI_CLI_H
#define CHISO_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "chiso/error.h"
#include "store/store.h"

enum cli_lang {
	CLI_LANG_VI,
	CLI_LANG_EN
};

/* Exit codes (the brief's conventions). */
enum {
	CLI_OK = 0,
	CLI_FAIL = 1,
	CLI_USAGE = 2
};

struct cli {
	const char *db;	    /* database target: --db, else CHISO_DB, else chiso.db */
	enum cli_lang lang; /* --lang, else CHISO_LANG, else Vietnamese */
	bool tty;	    /* stdout is a terminal (progress, colours) */
};

struct cli_command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary_vi;
	const char *summary_en;
	const char *help_vi; /* usage and description */
	const char *help_en;
};

/* The Vietnamese or English text, whichever the user asked for. */
#define L(cli, vi, en) ((cli)->lang == CLI_LANG_EN ? (en) : (vi))

/* Prints "chiso: error: <message>" on stderr and returns CLI_FAIL. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the message of err the same way and returns CLI_FAIL. */
int cli_fail(const struct cs_error *err);

/*
 * Prints "chiso: error: <message>" and a hint to run `chiso help <cmd>`, and
 * returns CLI_USAGE.
 */
int cli_usage(const struct cli *cli, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Parses the common options of a subcommand that take a value: returns true
 * and sets *val when argv[*i] is `--name VALUE` or `--name=VALUE` (advancing
 * *i past a separate value). A missing value is reported as a usage error
 * through *missing.
 */
bool cli_opt(int argc, char **argv, int *i, const char *name, const char **val, bool *missing);

/* Output formats of listing commands. */
enum cli_format {
	CLI_FMT_TABLE,
	CLI_FMT_CSV,
	CLI_FMT_JSON
};

/* Parses a --format value; false when it is not one of table, csv, json. */
bool cli_parse_format(const char *s, enum cli_format *out);

/* Opens cli->db with the given cs_store_open flags. */
enum cs_err cli_open_store(const struct cli *cli, int flags, struct cs_store **out,
			   struct cs_error *err);

/*
 * Reads a whole file into memory (at most max bytes; CS_ETOOBIG past it).
 * The caller frees *data with cs_free. "-" reads standard input.
 */
enum cs_err cli_read_file(const char *path, size_t max, char **data, size_t *len,
			  struct cs_error *err);

/* Writes one CSV field (RFC 4180 quoting when needed). */
void cli_csv_field(FILE *f, const char *s);

/* A text table printed with columns padded by display width. */
struct cli_table;

struct cli_table *cli_table_new(size_t ncols);
void cli_table_free(struct cli_table *t);
/* Adds a row of ncols strings (copied); NULL prints as empty. */
enum cs_err cli_table_add(struct cli_table *t, const char *const *cells, struct cs_error *err);
/* Prints the table: the first row is the header, underlined. */
void cli_table_print(const struct cli_table *t, FILE *f);

/* Display width of UTF-8 text in a terminal (combining marks take none). */
size_t cli_text_width(const char *s);

/* The command table (main.c) and the commands it lists. */
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_unit(struct cli *cli, int argc, char **argv);
int cmd_period(struct cli *cli, int argc, char **argv);
int cmd_survey(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_framework(struct cli *cli, int argc, char **argv);
int cmd_score(struct cli *cli, int argc, char **argv);
int cmd_par(struct cli *cli, int argc, char **argv);
int cmd_response(struct cli *cli, int argc, char **argv);
int cmd_sipas(struct cli *cli, int argc, char **argv);
int cmd_token(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
/* `survey wave add|list` (cmd_wave.c), a row of cmd_survey.c's table; argv[0] is "wave". */
int cmd_survey_wave(struct cli *cli, int argc, char **argv);

#endif
