/*
 * libFuzzer target for XLSForm import: whatever the input, nothing crashes
 * or leaks, every failure explains itself, every warning has the
 * "FILE:..." form, and an accepted form is a valid questionnaire whose
 * canonical JSON reads back. An input that is not a zip is taken as the
 * text of the survey, choices and settings sheets, separated by NUL bytes,
 * rows by '\n' and cells by '|', and packed into a workbook here, so that
 * mutations reach the form rather than break the compression.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "core/questionnaire.h"
#include "io/questionnaire_json.h"
#include "io/xlsform.h"
#include "util/buf.h"
#include "util/vec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Columns kept per row and rows per sheet, to keep each run short. */
#define COLS 26
#define ROWS 200

/* Appends the XML of a sheet given as '|' and '\n' separated text. */
static bool sheet_xml(struct cs_buf *b, const char *p, size_t len)
{
	size_t row = 0, i = 0;

	if (cs_buf_addstr(b,
			  "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
			  "2006/main\"><sheetData>",
			  NULL))
		return false;
	while (i < len && row < ROWS) {
		size_t eol = i, c = i;
		unsigned col = 0;

		while (eol < len && p[eol] != '\n')
			eol++;
		row++;
		if (cs_buf_addf(b, NULL, "<row r=\"%zu\">", row))
			return false;
		while (c <= eol && col < COLS) {
			size_t e = c;

			while (e < eol && p[e] != '|')
				e++;
			col++;
			if (e > c) {
				if (cs_buf_addf(b, NULL, "<c r=\"%c%zu\" t=\"inlineStr\"><is><t>",
						'A' + col - 1, row))
					return false;
				for (size_t k = c; k < e; k++) {
					unsigned char ch = (unsigned char)p[k];
					const char *x = ch == '&'   ? "&amp;"
							: ch == '<' ? "&lt;"
							: ch == '>' ? "&gt;"
								    : NULL;

					if (x ? cs_buf_addstr(b, x, NULL)
					      : cs_buf_addc(b, (char)(ch < 0x20 ? ' ' : ch), NULL))
						return false;
				}
				if (cs_buf_addstr(b, "</t></is></c>", NULL))
					return false;
			}
			c = e + 1;
		}
		if (cs_buf_addstr(b, "</row>", NULL))
			return false;
		i = eol + 1;
	}
	return !cs_buf_addstr(b, "</sheetData></worksheet>", NULL);
}

static bool add(zip_t *za, const char *name, const char *text, size_t len)
{
	void *copy = malloc(len ? len : 1);
	zip_source_t *src;

	if (!copy)
		return false;
	memcpy(copy, text, len);
	src = zip_source_buffer(za, copy, len, 1);
	if (!src) {
		free(copy);
		return false;
	}
	if (zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(src);
		return false;
	}
	return true;
}

/* Packs up to three NUL-separated sheet texts into an .xlsx; malloc'd, or NULL. */
static void *pack(const uint8_t *data, size_t size, size_t *out_len)
{
	static const char *const names[3] = {"survey", "choices", "settings"};
	static const char ct[] =
		"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
		"<Default Extension=\"rels\" "
		"ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
		"<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
	static const char rels[] =
		"<Relationships "
		"xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" "
		"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
		"officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
	const char *p = (const char *)data;
	struct cs_buf wb, wrels, sh;
	zip_error_t ze;
	zip_source_t *buf = NULL;
	zip_t *za = NULL;
	zip_stat_t st;
	void *out = NULL;
	bool ok;
	int n = 0;

	cs_buf_init(&wb, 1 << 20);
	cs_buf_init(&wrels, 1 << 20);
	cs_buf_init(&sh, 1 << 24);
	zip_error_init(&ze);
	buf = zip_source_buffer_create(NULL, 0, 0, &ze);
	za = buf ? zip_open_from_source(buf, ZIP_TRUNCATE, &ze) : NULL;
	ok = za != NULL;
	if (ok)
		zip_source_keep(buf);
	ok = ok &&
	     !cs_buf_addstr(
		     &wb,
		     "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
		     "main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		     "relationships\"><sheets>",
		     NULL) &&
	     !cs_buf_addstr(&wrels,
			    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
			    "relationships\">",
			    NULL);
	while (ok && n < 3) {
		const char *end = memchr(p, '\0', (size_t)((const char *)data + size - p));
		size_t len = end ? (size_t)(end - p) : (size_t)((const char *)data + size - p);
		char part[40];

		n++;
		cs_buf_reset(&sh);
		snprintf(part, sizeof(part), "xl/worksheets/sheet%d.xml", n);
		ok = sheet_xml(&sh, p, len) && add(za, part, sh.data, sh.len) &&
		     !cs_buf_addf(&wb, NULL, "<sheet name=\"%s\" sheetId=\"%d\" r:id=\"rId%d\"/>",
				  names[n - 1], n, n) &&
		     !cs_buf_addf(
			     &wrels, NULL,
			     "<Relationship Id=\"rId%d\" Type=\"http://schemas.openxmlformats.org/"
			     "officeDocument/2006/relationships/worksheet\" "
			     "Target=\"worksheets/sheet%d.xml\"/>",
			     n, n);
		if (!end)
			break;
		p = end + 1;
	}
	ok = ok && !cs_buf_addstr(&wb, "</sheets></workbook>", NULL) &&
	     !cs_buf_addstr(&wrels, "</Relationships>", NULL) &&
	     add(za, "[Content_Types].xml", ct, sizeof(ct) - 1) &&
	     add(za, "_rels/.rels", rels, sizeof(rels) - 1) &&
	     add(za, "xl/workbook.xml", wb.data, wb.len) &&
	     add(za, "xl/_rels/workbook.xml.rels", wrels.data, wrels.len);
	if (za && ok) {
		ok = zip_close(za) == 0;
		za = NULL;
	}
	if (ok && zip_source_stat(buf, &st) == 0 && zip_source_open(buf) == 0) {
		out = malloc(st.size ? st.size : 1);
		if (out && zip_source_read(buf, out, st.size) != (zip_int64_t)st.size) {
			free(out);
			out = NULL;
		}
		zip_source_close(buf);
		*out_len = st.size;
	}
	if (za)
		zip_discard(za);
	zip_source_free(buf);
	cs_buf_release(&wb);
	cs_buf_release(&wrels);
	cs_buf_release(&sh);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_questionnaire *q = NULL, *q2 = NULL;
	struct cs_vec warnings;
	struct cs_error err;
	struct cs_buf json;
	void *book = NULL;
	size_t len = size;
	enum cs_err rc;

	if (!(size >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)) {
		book = pack(data, size, &len);
		if (!book)
			return 0;
	}
	cs_error_clear(&err);
	cs_vec_init(&warnings, sizeof(struct cs_xlsform_warning), 0);
	cs_buf_init(&json, 4 * CS_Q_JSON_MAX);
	rc = cs_xlsform_read("fuzz.xlsx", book ? book : data, len, &q, &warnings, &err);
	if (rc != CS_OK && (err.code != rc || err.msg[0] == '\0' || q))
		__builtin_trap();
	for (size_t i = 0; i < warnings.len; i++)
		if (strncmp(((struct cs_xlsform_warning *)cs_vec_at(&warnings, i))->msg,
			    "fuzz.xlsx:", 10) != 0)
			__builtin_trap();
	if (rc == CS_OK &&
	    (!cs_questionnaire_is_valid(q) || cs_questionnaire_json_write(q, &json, &err) ||
	     cs_questionnaire_json_read("canonical.json", json.data, json.len, &q2, &err) ||
	     cs_questionnaire_item_count(q2) != cs_questionnaire_item_count(q)))
		__builtin_trap();
	cs_questionnaire_free(q);
	cs_questionnaire_free(q2);
	cs_buf_release(&json);
	cs_vec_release(&warnings);
	free(book);
	return 0;
}
