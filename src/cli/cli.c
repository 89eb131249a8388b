/* Helpers shared by the commands: messages, options, files, tables, CSV. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cli/cli.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/vec.h"

#include "util/banned.h"

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("chiso: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAIL;
}

int cli_fail(const struct cs_error *err)
{
	return cli_error("%s", err->msg[0] ? err->msg : cs_strerror(err->code));
}

int cli_usage(const struct cli *cli, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("chiso: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, L(cli, "Xem 'chiso help %s'.\n", "See 'chiso help %s'.\n"), cmd);
	else
		fputs(L(cli, "Xem 'chiso help'.\n", "See 'chiso help'.\n"), stderr);
	return CLI_USAGE;
}

bool cli_opt(int argc, char **argv, int *i, const char *name, const char **val, bool *missing)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return false;
	if (a[n] == '=') {
		*val = a + n + 1;
		return true;
	}
	if (a[n] != '\0')
		return false;
	if (*i + 1 >= argc) {
		*missing = true;
		return false;
	}
	*val = argv[++*i];
	return true;
}

bool cli_parse_format(const char *s, enum cli_format *out)
{
	if (strcmp(s, "table") == 0)
		*out = CLI_FMT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*out = CLI_FMT_CSV;
	else if (strcmp(s, "json") == 0)
		*out = CLI_FMT_JSON;
	else
		return false;
	return true;
}

enum cs_err cli_open_store(const struct cli *cli, int flags, struct cs_store **out,
			   struct cs_error *err)
{
	return cs_store_open(cli->db, flags, out, err);
}

enum cs_err cli_read_file(const char *path, size_t max, char **data, size_t *len,
			  struct cs_error *err)
{
	struct cs_buf b;
	FILE *f;
	char chunk[65536];
	size_t n;
	enum cs_err rc = CS_OK;

	cs_buf_init(&b, max);
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return cs_fail(err, CS_EIO, "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		rc = cs_buf_add(&b, chunk, n, err);
		if (rc == CS_ETOOBIG)
			cs_fail(err, rc, "'%s' is larger than the limit of %zu bytes", path, max);
		if (rc)
			goto out;
	}
	if (ferror(f))
		rc = cs_fail(err, CS_EIO, "cannot read '%s': %s", path, strerror(errno));
out:
	if (f != stdin)
		fclose(f);
	if (rc) {
		cs_buf_release(&b);
		return rc;
	}
	*data = cs_buf_detach(&b, len);
	if (!*data)
		return cs_fail(err, CS_ENOMEM, NULL);
	return CS_OK;
}

void cli_csv_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

size_t cli_text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	while (*p) {
		unsigned cp;
		int n;

		if (*p < 0x80) {
			cp = *p;
			n = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			n = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			n = 3;
		} else {
			cp = *p & 0x07;
			n = 4;
		}
		for (int k = 1; k < n && p[k]; k++)
			cp = (cp << 6) | (p[k] & 0x3F);
		for (int k = 0; k < n && *p; k++)
			p++;
		/* Combining diacritical marks (Vietnamese tones in decomposed
		 * text) take no column of their own. */
		if (!((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1DC0 && cp <= 0x1DFF)))
			w++;
	}
	return w;
}

struct cli_table {
	size_t ncols;
	struct cs_vec cells; /* of char *, row-major */
};

struct cli_table *cli_table_new(size_t ncols)
{
	struct cli_table *t = cs_malloc(sizeof(*t));

	if (!t)
		return NULL;
	t->ncols = ncols;
	cs_vec_init(&t->cells, sizeof(char *), 0);
	return t;
}

void cli_table_free(struct cli_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cells.len; i++)
		cs_free(*(char **)cs_vec_at(&t->cells, i));
	cs_vec_release(&t->cells);
	cs_free(t);
}

enum cs_err cli_table_add(struct cli_table *t, const char *const *cells, struct cs_error *err)
{
	enum cs_err rc = cs_vec_reserve(&t->cells, t->cells.len + t->ncols, err);

	if (rc)
		return rc;
	for (size_t i = 0; i < t->ncols; i++) {
		char *copy = cs_strdup(cells[i] ? cells[i] : "");

		if (!copy) {
			/* Keep whole rows only. */
			while (i-- > 0) {
				t->cells.len--;
				cs_free(*(char **)((char *)t->cells.data +
						   t->cells.len * sizeof(char *)));
			}
			return cs_fail(err, CS_ENOMEM, NULL);
		}
		cs_vec_push(&t->cells, &copy, NULL); /* reserved above */
	}
	return CS_OK;
}

void cli_table_print(const struct cli_table *t, FILE *f)
{
	size_t rows = t->ncols ? t->cells.len / t->ncols : 0;
	size_t width[16] = {0};
	size_t ncols = t->ncols < 16 ? t->ncols : 16;

	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < ncols; c++) {
			size_t w = cli_text_width(*(char **)cs_vec_at(&t->cells, r * t->ncols + c));

			if (w > width[c])
				width[c] = w;
		}
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			const char *s = *(char **)cs_vec_at(&t->cells, r * t->ncols + c);

			fputs(s, f);
			if (c + 1 < ncols)
				for (size_t k = cli_text_width(s); k < width[c] + 2; k++)
					fputc(' ', f);
		}
		fputc('\n', f);
		if (r == 0) {
			for (size_t c = 0; c < ncols; c++) {
				for (size_t k = 0; k < width[c]; k++)
					fputs("─", f);
				if (c + 1 < ncols)
					fputs("  ", f);
			}
			fputc('\n', f);
		}
	}
}
