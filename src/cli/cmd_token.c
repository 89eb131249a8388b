/*
 * chiso token issue: one-time survey tokens for a wave and a unit
 * (METHODOLOGY M3.9), written as a CSV list of links, as QR codes in SVG, or
 * as a printable A4 sheet of QR slips to hand out with receipts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "report/qr_svg.h"
#include "store/response_one.h"
#include "store/token_store.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/str.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Largest dossier file read. */
#define DOSSIER_FILE_MAX (16u * 1024 * 1024)
/* Longest base URL taken. */
#define BASE_URL_MAX 200

enum format {
	FMT_CSV,
	FMT_SVG,
	FMT_HTML,
};

/* What the output needs besides the tokens. */
struct sheet {
	const char *base;
	const char *wave;
	const char *wave_title;
	const char *unit;
	const char *unit_name;
	size_t count;
	char (*codes)[CS_TOKEN_LEN];
	const char *const *dossiers;
	char expires[CS_STORE_TIME_LEN];
};

/* Writes s with HTML's special characters escaped. */
static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
			break;
		}
	}
}

/*
 * Writes a QR code of text as an SVG element of size px (0: no size, the
 * viewBox alone), drawn by the library's cs_qr_svg. CS_ENOMEM or CS_ETOOBIG.
 */
static enum cs_err qr_svg(FILE *f, const char *text, unsigned px, struct cs_error *err)
{
	struct cs_buf b;
	enum cs_err rc;

	cs_buf_init(&b, 1u << 20);
	rc = cs_qr_svg(&b, text, px, err);
	if (!rc)
		fwrite(b.data, 1, b.len, f);
	cs_buf_release(&b);
	return rc;
}

static void url_of(const struct sheet *sh, size_t i, char *out, size_t size)
{
	snprintf(out, size, "%s/s/%s", sh->base, sh->codes[i]);
}

static enum cs_err write_csv(FILE *f, const struct sheet *sh, struct cs_error *err)
{
	char url[BASE_URL_MAX + 64];

	(void)err;
	fputs(sh->dossiers ? "token,url,wave,unit,expires_at,dossier\n"
			   : "token,url,wave,unit,expires_at\n",
	      f);
	for (size_t i = 0; i < sh->count; i++) {
		url_of(sh, i, url, sizeof(url));
		fprintf(f, "%s,", sh->codes[i]);
		cli_csv_field(f, url);
		fputc(',', f);
		cli_csv_field(f, sh->wave);
		fputc(',', f);
		cli_csv_field(f, sh->unit);
		fprintf(f, ",%s", sh->expires);
		if (sh->dossiers) {
			fputc(',', f);
			cli_csv_field(f, sh->dossiers[i]);
		}
		fputc('\n', f);
	}
	return CS_OK;
}

/* One token's QR code and caption as a standalone SVG document. */
static enum cs_err svg_one(FILE *f, const struct sheet *sh, size_t i, struct cs_error *err)
{
	char url[BASE_URL_MAX + 64];
	enum cs_err rc;

	url_of(sh, i, url, sizeof(url));
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 240 268\" width=\"240\" "
	      "height=\"268\">\n<svg x=\"0\" y=\"0\" width=\"240\" height=\"240\">",
	      f);
	rc = qr_svg(f, url, 0, err);
	fprintf(f,
		"</svg>\n<text x=\"120\" y=\"258\" font-family=\"monospace\" font-size=\"14\" "
		"text-anchor=\"middle\">%s</text>\n</svg>\n",
		sh->codes[i]);
	return rc;
}

/* A sheet of every token's QR code, four to a row, each with its code. */
static enum cs_err svg_sheet(FILE *f, const struct sheet *sh, struct cs_error *err)
{
	size_t rows = (sh->count + 3) / 4;
	enum cs_err rc = CS_OK;
	char url[BASE_URL_MAX + 64];

	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
		"xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 960 %zu\" width=\"960\" "
		"height=\"%zu\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		rows * 268, rows * 268);
	for (size_t i = 0; i < sh->count && !rc; i++) {
		size_t x = (i % 4) * 240, y = (i / 4) * 268;

		url_of(sh, i, url, sizeof(url));
		fprintf(f, "<svg x=\"%zu\" y=\"%zu\" width=\"240\" height=\"240\">", x, y);
		rc = qr_svg(f, url, 0, err);
		fprintf(f,
			"</svg>\n<text x=\"%zu\" y=\"%zu\" font-family=\"monospace\" "
			"font-size=\"14\" text-anchor=\"middle\">%s</text>\n",
			x + 120, y + 258, sh->codes[i]);
	}
	fputs("</svg>\n", f);
	return rc;
}

/* One file per token in directory dir: TOKEN.svg. */
static enum cs_err svg_dir(const char *dir, const struct sheet *sh, struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	for (size_t i = 0; i < sh->count && !rc; i++) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s.svg", dir, sh->codes[i]);
		f = fopen(path, "wb");
		if (!f)
			return cs_fail(err, CS_EIO, "cannot write '%s': %s", path, strerror(errno));
		rc = svg_one(f, sh, i, err);
		if (fclose(f) != 0 && !rc)
			rc = cs_fail(err, CS_EIO, "cannot write '%s': %s", path, strerror(errno));
	}
	return rc;
}

/*
 * A printable A4 page of slips, ten to a page (2 × 5), each with the unit,
 * what to do in Vietnamese, the QR code, the link and the code. The page is
 * self-contained: its styles and QR codes are inline, so it prints offline.
 */
static enum cs_err write_html(FILE *f, const struct sheet *sh, struct cs_error *err)
{
	char url[BASE_URL_MAX + 64], until[CS_DATE_LEN] = "";
	enum cs_err rc = CS_OK;

	if (sh->expires[0]) {
		char iso[CS_DATE_LEN];

		memcpy(iso, sh->expires, 10);
		iso[10] = '\0';
		cs_date_to_vi(iso, until);
	}
	fputs("<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>", f);
	fputs("Phiếu khảo sát sự hài lòng – ", f);
	esc(f, sh->unit_name);
	fputs("</title>\n<style>\n"
	      "@page { size: A4; margin: 10mm; }\n"
	      "* { box-sizing: border-box; }\n"
	      "body { margin: 0; font-family: \"Noto Sans\", Arial, sans-serif; color: #000; }\n"
	      ".sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }\n"
	      ".slip { height: 55mm; padding: 4mm; border: 0.3mm dashed #777; display: flex; "
	      "gap: 4mm; break-inside: avoid; page-break-inside: avoid; }\n"
	      ".slip svg { width: 36mm; height: 36mm; flex: none; }\n"
	      ".slip h2 { font-size: 10pt; margin: 0 0 1.5mm; }\n"
	      ".slip p { font-size: 8pt; margin: 0 0 1.2mm; line-height: 1.3; }\n"
	      ".slip .code { font-family: monospace; font-size: 9pt; letter-spacing: 0.3mm; }\n"
	      ".slip .url { font-family: monospace; font-size: 6.5pt; word-break: break-all; }\n"
	      ".head { font-size: 9pt; margin: 0 0 3mm; }\n"
	      "@media screen { body { max-width: 210mm; margin: 0 auto; padding: 10mm; } }\n"
	      "</style>\n</head>\n<body>\n<p class=\"head\">",
	      f);
	esc(f, sh->unit_name);
	fputs(" — ", f);
	esc(f, sh->wave_title[0] ? sh->wave_title : sh->wave);
	fprintf(f, " — %zu phiếu. Cắt theo đường chấm; mỗi mã chỉ dùng được một lần.</p>\n",
		sh->count);
	fputs("<div class=\"sheet\">\n", f);
	for (size_t i = 0; i < sh->count && !rc; i++) {
		url_of(sh, i, url, sizeof(url));
		fputs("<div class=\"slip\">\n", f);
		rc = qr_svg(f, url, 0, err);
		fputs("\n<div>\n<h2>Khảo sát sự hài lòng</h2>\n<p>", f);
		esc(f, sh->unit_name);
		fputs("</p>\n<p>Mời Ông/Bà quét mã QR bằng điện thoại để cho biết mức độ hài lòng "
		      "với việc giải quyết thủ tục hành chính. Phiếu không ghi tên, trả lời trong "
		      "khoảng 3 phút.</p>\n<p class=\"code\">Mã: ",
		      f);
		esc(f, sh->codes[i]);
		fputs("</p>\n<p class=\"url\">", f);
		esc(f, url);
		fputs("</p>\n", f);
		if (until[0])
			fprintf(f, "<p>Hạn trả lời: %s</p>\n", until);
		if (sh->dossiers) {
			fputs("<p>Hồ sơ: ", f);
			esc(f, sh->dossiers[i]);
			fputs("</p>\n", f);
		}
		fputs("</div>\n</div>\n", f);
	}
	fputs("</div>\n</body>\n</html>\n", f);
	return rc;
}

/*
 * Splits the dossier file into references: one per non-empty line, trimmed,
 * UTF-8, at most CS_TOKEN_DOSSIER_MAX bytes. The references point into data.
 */
static int read_dossiers(const char *path, char *data, size_t len, const char ***out, size_t *n)
{
	size_t cap = 1, count = 0, bom = cs_utf8_bom_len(data, len), line = 0;
	struct cs_str rest = cs_str_make(data + bom, len - bom), l;
	const char **refs;

	for (size_t i = 0; i < len; i++)
		cap += data[i] == '\n';
	refs = cs_calloc(cap, sizeof(*refs));
	if (!refs)
		return cli_error("%s", cs_strerror(CS_ENOMEM));
	while (cs_str_next(&rest, '\n', &l)) {
		struct cs_str t = cs_str_trim(l);
		size_t bad = 0;

		line++;
		if (t.len == 0)
			continue;
		if (!cs_utf8_valid(t.ptr, t.len, &bad) || memchr(t.ptr, '\0', t.len)) {
			cs_free(refs);
			return cli_error("%s:%zu: the dossier reference is not UTF-8 text", path,
					 line);
		}
		if (t.len > CS_TOKEN_DOSSIER_MAX) {
			cs_free(refs);
			return cli_error("%s:%zu: dossier reference of %zu bytes; expected at most "
					 "%d",
					 path, line, t.len, CS_TOKEN_DOSSIER_MAX);
		}
		/* Lines are cut in place: the trimmed text ends where a NUL goes. */
		((char *)t.ptr)[t.len] = '\0';
		refs[count++] = t.ptr;
	}
	*out = refs;
	*n = count;
	return CLI_OK;
}

static bool parse_count(const char *s, size_t max, size_t *out)
{
	int64_t v;

	if (cs_str_to_i64(cs_str_from(s), &v, NULL) != CS_OK || v < 1 || (uint64_t)v > max)
		return false;
	*out = (size_t)v;
	return true;
}

/* An http(s) URL of printable ASCII without quotes or spaces; the trailing '/' is dropped. */
static bool base_url_ok(char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > BASE_URL_MAX ||
	    (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '"' ||
		    s[i] == '\'' || s[i] == '<' || s[i] == '>' || s[i] == '\\')
			return false;
	while (n > 0 && s[n - 1] == '/')
		s[--n] = '\0';
	return n > 8;
}

static int write_output(struct cli *cli, const char *out, enum format fmt, const struct sheet *sh)
{
	struct cs_error err = {0};
	struct stat st;
	enum cs_err rc;
	FILE *f;

	if (fmt == FMT_SVG && out && stat(out, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = svg_dir(out, sh, &err);
		return rc ? cli_fail(&err) : CLI_OK;
	}
	f = out ? fopen(out, "wb") : stdout;
	if (!f)
		return cli_error("cannot write '%s': %s", out, strerror(errno));
	rc = fmt == FMT_CSV   ? write_csv(f, sh, &err)
	     : fmt == FMT_SVG ? (sh->count == 1 ? svg_one(f, sh, 0, &err) : svg_sheet(f, sh, &err))
			      : write_html(f, sh, &err);
	if (out && fclose(f) != 0 && !rc)
		rc = cs_fail(&err, CS_EIO, "cannot write '%s': %s", out, strerror(errno));
	if (!out)
		fflush(stdout);
	(void)cli;
	return rc ? cli_fail(&err) : CLI_OK;
}

static int token_issue(struct cli *cli, int argc, char **argv)
{
	const char *wave = NULL, *unit = NULL, *count_arg = NULL, *dossier_file = NULL,
		   *expires_arg = NULL, *format = "csv", *out = NULL;
	char base[BASE_URL_MAX + 1] = "http://127.0.0.1:8080";
	struct sheet sh = {0};
	struct cs_token_issue is = {0};
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_wave w;
	struct cs_resp_unit u;
	const char **dossiers = NULL;
	char *data = NULL;
	size_t len = 0, count = 0, ndossiers = 0;
	enum format fmt;
	int rc = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (cli_opt(argc, argv, &i, "--wave", &val, &missing))
			wave = val;
		else if (cli_opt(argc, argv, &i, "--unit", &val, &missing))
			unit = val;
		else if (cli_opt(argc, argv, &i, "--count", &val, &missing))
			count_arg = val;
		else if (cli_opt(argc, argv, &i, "--dossier-file", &val, &missing))
			dossier_file = val;
		else if (cli_opt(argc, argv, &i, "--expires", &val, &missing))
			expires_arg = val;
		else if (cli_opt(argc, argv, &i, "--format", &val, &missing))
			format = val;
		else if (cli_opt(argc, argv, &i, "-o", &val, &missing) ||
			 cli_opt(argc, argv, &i, "--output", &val, &missing))
			out = val;
		else if (cli_opt(argc, argv, &i, "--base-url", &val, &missing)) {
			if (strlen(val) > BASE_URL_MAX)
				return cli_usage(cli, "token", "--base-url: longer than %d bytes",
						 BASE_URL_MAX);
			snprintf(base, sizeof(base), "%s", val);
			if (!base_url_ok(base))
				return cli_usage(
					cli, "token",
					L(cli, "--base-url '%s': cần địa chỉ http:// hoặc https://",
					  "--base-url '%s': expected an http:// or https:// "
					  "address"),
					val);
		} else
			return cli_usage(
				cli, "token",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
	}
	if (!wave || !unit)
		return cli_usage(cli, "token", "%s",
				 L(cli, "cần --wave và --unit", "give --wave and --unit"));
	if (strcmp(format, "csv") == 0)
		fmt = FMT_CSV;
	else if (strcmp(format, "svg") == 0)
		fmt = FMT_SVG;
	else if (strcmp(format, "html") == 0)
		fmt = FMT_HTML;
	else
		return cli_usage(cli, "token",
				 L(cli, "--format '%s': cần csv, svg hoặc html",
				   "--format '%s': expected csv, svg or html"),
				 format);
	if (count_arg && !parse_count(count_arg, CS_TOKEN_ISSUE_MAX, &count))
		return cli_usage(cli, "token",
				 L(cli, "--count '%s': cần số từ 1 đến %d",
				   "--count '%s': expected a number from 1 to %d"),
				 count_arg, CS_TOKEN_ISSUE_MAX);
	if (expires_arg && !parse_count(expires_arg, 3660, &len))
		return cli_usage(cli, "token",
				 L(cli, "--expires '%s': cần số ngày từ 1 đến 3660",
				   "--expires '%s': expected days from 1 to 3660"),
				 expires_arg);
	is.expires_days = expires_arg ? (unsigned)len : 0;
	if (!count_arg && !dossier_file)
		return cli_usage(cli, "token", "%s",
				 L(cli, "cần --count hoặc --dossier-file",
				   "give --count or --dossier-file"));

	if (dossier_file) {
		if (cli_read_file(dossier_file, DOSSIER_FILE_MAX, &data, &len, &err) != CS_OK)
			return cli_fail(&err);
		rc = read_dossiers(dossier_file, data, len, &dossiers, &ndossiers);
		if (rc)
			goto out;
		if (ndossiers == 0 || ndossiers > CS_TOKEN_ISSUE_MAX) {
			rc = cli_error("%s: %zu dossier references; expected 1 to %d", dossier_file,
				       ndossiers, CS_TOKEN_ISSUE_MAX);
			goto out;
		}
		if (count_arg && count != ndossiers) {
			rc = cli_error("--count %zu, but %s has %zu dossier references", count,
				       dossier_file, ndossiers);
			goto out;
		}
		count = ndossiers;
	}

	sh.codes = cs_calloc(count, sizeof(*sh.codes));
	if (!sh.codes) {
		rc = cli_error("%s", cs_strerror(CS_ENOMEM));
		goto out;
	}
	if (cli_open_store(cli, 0, &s, &err) != CS_OK ||
	    cs_resp_wave_get(s, wave, 0, &w, &err) != CS_OK ||
	    cs_resp_unit_find(s, unit, 0, &u, &err) != CS_OK) {
		rc = cli_fail(&err);
		goto out;
	}
	is.wave = wave;
	is.unit = unit;
	is.count = count;
	is.dossiers = dossiers;
	if (cs_token_store_issue(s, &is, sh.codes, sh.expires, &err) != CS_OK) {
		rc = cli_fail(&err);
		goto out;
	}
	sh.base = base;
	sh.wave = w.code;
	sh.wave_title = w.title;
	sh.unit = u.code;
	sh.unit_name = u.name;
	sh.count = count;
	sh.dossiers = dossiers;
	rc = write_output(cli, out, fmt, &sh);
	if (!rc)
		fprintf(out ? stdout : stderr,
			L(cli, "Đã phát hành %zu mã khảo sát%s cho đợt %s, đơn vị %s%s%s.\n",
			  "Issued %zu survey token%s for wave %s, unit %s%s%s.\n"),
			count, cli->lang == CLI_LANG_EN && count != 1 ? "s" : "", w.code, u.code,
			sh.expires[0] ? L(cli, "; hết hạn ", "; they expire ") : "", sh.expires);
out:
	cs_store_close(s);
	cs_free(sh.codes);
	cs_free(dossiers);
	cs_free(data);
	return rc;
}

int cmd_token(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli, "token", "%s",
				 L(cli, "cần một lệnh con: issue", "expected a subcommand: issue"));
	if (strcmp(argv[1], "issue") == 0)
		return token_issue(cli, argc - 1, argv + 1);
	return cli_usage(
		cli, "token",
		L(cli, "lệnh con lạ '%s'; cần issue", "unknown subcommand '%s'; expected issue"),
		argv[1]);
}
