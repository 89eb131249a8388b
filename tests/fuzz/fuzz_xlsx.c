/*
 * libFuzzer target for the .xlsx reader: opens the input as a workbook in
 * memory and reads every sheet, checking that whatever the input, nothing
 * crashes or leaks, every failure explains itself, and every row handed out
 * keeps the reader's promises (dense columns, valid NUL-terminated UTF-8).
 * An input that is not a zip is taken as the XML of a sheet, its shared
 * strings and its styles, separated by NUL bytes, and packed into a
 * workbook here, so that mutations reach the XML instead of breaking the
 * compression.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "io/xlsx.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	size_t last_row;
};

static enum cs_err check_row(void *ctx, size_t row, const struct cs_xlsx_cell *cells, size_t n,
			     struct cs_error *err)
{
	struct seen *s = ctx;

	(void)err;
	if (row <= s->last_row || row > CS_XLSX_MAX_ROWS || n == 0 || n > CS_XLSX_MAX_COLS ||
	    cells[n - 1].type == CS_XLSX_EMPTY)
		__builtin_trap();
	s->last_row = row;
	for (size_t i = 0; i < n; i++) {
		const struct cs_xlsx_cell *c = &cells[i];

		if (c->col != i + 1 || c->text[c->len] != '\0' ||
		    (c->type == CS_XLSX_EMPTY) != (c->len == 0) ||
		    !cs_utf8_valid(c->text, c->len, NULL))
			__builtin_trap();
	}
	return CS_OK;
}

static const char root_rels[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
	"<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char wb_rels[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/>"
	"</Relationships>";

static bool add(zip_t *z, const char *name, const void *p, size_t len)
{
	zip_source_t *s = zip_source_buffer(z, p, len, 0);
	zip_int64_t i;

	if (!s)
		return false;
	i = zip_file_add(z, name, s, 0);
	if (i < 0) {
		zip_source_free(s);
		return false;
	}
	return zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0) == 0;
}

/*
 * Packs sheet XML, shared strings and styles (data split at NUL bytes; the
 * missing ones left out) into a stored zip; NULL when libzip fails. The
 * caller frees the result with free().
 */
static void *pack(const uint8_t *data, size_t size, size_t *len)
{
	static const char *const parts[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
					    "xl/styles.xml"};
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, NULL);
	zip_t *z = NULL;
	void *out = NULL;
	zip_int64_t n;
	bool ok;

	if (!src)
		return NULL;
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, NULL);
	if (!z)
		zip_source_free(src); /* the reference zip_open_from_source did not take */
	ok = z && add(z, "_rels/.rels", root_rels, strlen(root_rels)) &&
	     add(z, "xl/workbook.xml", workbook, strlen(workbook)) &&
	     add(z, "xl/_rels/workbook.xml.rels", wb_rels, strlen(wb_rels));
	for (size_t i = 0; ok && i < 3 && size > 0; i++) {
		const uint8_t *nul = memchr(data, 0, size);
		size_t n1 = nul ? (size_t)(nul - data) : size;

		ok = add(z, parts[i], data, n1);
		data += nul ? n1 + 1 : n1;
		size -= nul ? n1 + 1 : n1;
	}
	if (!z || zip_close(z) != 0) {
		if (z)
			zip_discard(z);
		ok = false;
	}
	if (ok && zip_source_open(src) == 0) {
		if (zip_source_seek(src, 0, SEEK_END) == 0 && (n = zip_source_tell(src)) > 0 &&
		    zip_source_seek(src, 0, SEEK_SET) == 0 && (out = malloc((size_t)n)) != NULL) {
			if (zip_source_read(src, out, (zip_uint64_t)n) == n) {
				*len = (size_t)n;
			} else {
				free(out);
				out = NULL;
			}
		}
		zip_source_close(src);
	}
	zip_source_free(src);
	return out;
}

static void check(const void *data, size_t size)
{
	struct cs_xlsx *x = NULL;
	struct cs_error err;
	enum cs_err rc;
	size_t index;

	cs_error_clear(&err);
	rc = cs_xlsx_open("fuzz.xlsx", data, size, &x, &err);
	if (rc != CS_OK) {
		if (x || err.code != rc || err.msg[0] == '\0')
			__builtin_trap();
		return;
	}
	if (cs_xlsx_sheet_count(x) == 0)
		__builtin_trap();
	for (size_t i = 0; i < cs_xlsx_sheet_count(x); i++) {
		struct seen s = {0};
		const char *name = cs_xlsx_sheet_name(x, i);

		if (!name || !cs_utf8_valid(name, strlen(name), NULL))
			__builtin_trap();
		/* A sheet is found by its own name, or by an earlier one equal to it. */
		if (cs_xlsx_find_sheet(x, name, &index, &err) != CS_OK || index > i)
			__builtin_trap();
		cs_error_clear(&err);
		rc = cs_xlsx_read_sheet(x, i, check_row, &s, &err);
		if (rc != CS_OK && (err.code != rc || err.msg[0] == '\0'))
			__builtin_trap();
	}
	cs_xlsx_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *zip;
	size_t len = 0;

	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		check(data, size);
		return 0;
	}
	zip = pack(data, size, &len);
	if (zip)
		check(zip, len);
	free(zip);
	return 0;
}
