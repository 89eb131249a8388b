/*
 * Tests of the .xlsx reader (io/xlsx): real workbooks from pyxform's test
 * suite (tests/data/xlsx), and small workbooks built here in memory with
 * libzip to feed every kind of damaged, hostile or unusual input.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "io/xlsx.h"
#include "util/alloc.h"
#include "util/buf.h"

#define DATA CHISO_SOURCE_DIR "/tests/data/xlsx/"
#define OUTSIDE CHISO_TESTDATA_DIR "/xlsform/"

/* ---- what a sheet read gave ---- */

/*
 * The rows passed to the callback, flattened to "row:cell|cell|...\n" where a
 * cell is "." when empty, else its type letter, '=' and its text.
 */
struct rows {
	struct cs_buf text;
	size_t count;
	size_t stop_at; /* row count at which the callback fails, 0 never */
};

static char type_letter(enum cs_xlsx_type t)
{
	switch (t) {
	case CS_XLSX_EMPTY:
		return '.';
	case CS_XLSX_STRING:
		return 's';
	case CS_XLSX_NUMBER:
		return 'n';
	case CS_XLSX_BOOL:
		return 'b';
	case CS_XLSX_ERROR:
		return 'e';
	case CS_XLSX_DATE:
		return 'd';
	}
	return '?';
}

static enum cs_err log_row(void *ctx, size_t row, const struct cs_xlsx_cell *cells, size_t n,
			   struct cs_error *err)
{
	struct rows *r = ctx;

	r->count++;
	if (r->stop_at && r->count == r->stop_at)
		return cs_fail(err, CS_ECONFLICT, "stopped at row %zu", row);
	/* The contract: dense columns, NUL-terminated text, a non-empty last cell. */
	assert_true(n > 0);
	assert_int_not_equal(cells[n - 1].type, CS_XLSX_EMPTY);
	assert_int_equal(cs_buf_addf(&r->text, NULL, "%zu:", row), CS_OK);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(cells[i].col, i + 1);
		assert_int_equal(cells[i].text[cells[i].len], '\0');
		assert_int_equal(cells[i].type == CS_XLSX_EMPTY, cells[i].len == 0);
		if (i)
			assert_int_equal(cs_buf_addc(&r->text, '|', NULL), CS_OK);
		assert_int_equal(cs_buf_addc(&r->text, type_letter(cells[i].type), NULL), CS_OK);
		if (cells[i].type != CS_XLSX_EMPTY) {
			assert_int_equal(cs_buf_addc(&r->text, '=', NULL), CS_OK);
			assert_int_equal(cs_buf_add(&r->text, cells[i].text, cells[i].len, NULL),
					 CS_OK);
		}
	}
	assert_int_equal(cs_buf_addc(&r->text, '\n', NULL), CS_OK);
	return CS_OK;
}

static void rows_init(struct rows *r)
{
	memset(r, 0, sizeof(*r));
	cs_buf_init(&r->text, SIZE_MAX);
}

/* Reads sheet i into r (initialised here); the caller releases r->text. */
static enum cs_err read_rows(struct cs_xlsx *x, size_t i, struct rows *r, struct cs_error *err)
{
	rows_init(r);
	cs_error_clear(err);
	return cs_xlsx_read_sheet(x, i, log_row, r, err);
}

/* The text of the first logged row numbered row, or "" (static buffer). */
static const char *row_text(const struct rows *r, size_t row)
{
	static char line[65536];
	char prefix[32];
	const char *p = r->text.data;

	snprintf(prefix, sizeof(prefix), "%zu:", row);
	while (*p) {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			size_t n = (size_t)(nl - p);

			assert_true(n < sizeof(line));
			memcpy(line, p, n);
			line[n] = '\0';
			return line;
		}
		p = nl + 1;
	}
	return "";
}

static enum cs_err count_row(void *ctx, size_t row, const struct cs_xlsx_cell *cells, size_t n,
			     struct cs_error *err)
{
	(void)row;
	(void)cells;
	(void)n;
	(void)err;
	(*(size_t *)ctx)++;
	return CS_OK;
}

/* ---- building workbooks in memory ---- */

struct entry {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen(data) */
};

/* A zip of the entries, deflated or stored, in memory the caller frees with free(). */
static char *make_zip(const struct entry *e, size_t n, bool stored, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *z;
	zip_int64_t size, idx;
	char *out;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		s = zip_source_buffer(z, e[i].data, e[i].len ? e[i].len : strlen(e[i].data), 0);
		assert_non_null(s);
		idx = zip_file_add(z, e[i].name, s, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		if (stored)
			assert_int_equal(
				zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	size = zip_source_tell(src);
	assert_true(size > 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	out = malloc((size_t)size);
	assert_non_null(out);
	assert_int_equal(zip_source_read(src, out, (zip_uint64_t)size), size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = (size_t)size;
	return out;
}

static uint16_t get16(const char *p)
{
	return (uint16_t)((unsigned char)p[0] | (unsigned char)p[1] << 8);
}

static void put32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)(v >> (8 * i));
}

/* Makes the zip declare a different uncompressed size for the entry name. */
static void patch_size(char *zip, size_t len, const char *name, uint32_t size)
{
	size_t nl = strlen(name);
	int patched = 0;

	for (size_t i = 0; i + 46 + nl <= len; i++) {
		if (memcmp(zip + i, "PK\1\2", 4) == 0 && get16(zip + i + 28) == nl &&
		    memcmp(zip + i + 46, name, nl) == 0) {
			put32(zip + i + 24, size);
			patched++;
		}
		if (memcmp(zip + i, "PK\3\4", 4) == 0 && get16(zip + i + 26) == nl &&
		    memcmp(zip + i + 30, name, nl) == 0) {
			put32(zip + i + 22, size);
			patched++;
		}
	}
	assert_int_equal(patched, 2);
}

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_TYPE NS_REL "/"

static const char root_rels[] =
	XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		 "relationships\"><Relationship Id=\"rId1\" Type=\"" REL_TYPE
		 "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";

static const char wb_one[] = XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
				      "\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" "
				      "r:id=\"rId1\"/></sheets></workbook>";

static const char wb_rels_one[] =
	XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		 "relationships\">"
		 "<Relationship Id=\"rId1\" Type=\"" REL_TYPE
		 "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		 "<Relationship Id=\"rId2\" Type=\"" REL_TYPE
		 "sharedStrings\" Target=\"sharedStrings.xml\"/>"
		 "<Relationship Id=\"rId3\" Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/>"
		 "</Relationships>";

#define SHEET(rows) \
	XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows "</sheetData></worksheet>"
#define SST(items) XML_DECL "<sst xmlns=\"" NS_MAIN "\">" items "</sst>"

/* A one-sheet workbook; sst and styles may be NULL (no such part). */
static char *book(const char *sheet, const char *sst, const char *styles, size_t *len)
{
	struct entry e[6] = {
		{"_rels/.rels", root_rels, 0},
		{"xl/workbook.xml", wb_one, 0},
		{"xl/_rels/workbook.xml.rels", wb_rels_one, 0},
		{"xl/worksheets/sheet1.xml", sheet, 0},
	};
	size_t n = 4;

	if (sst)
		e[n++] = (struct entry){"xl/sharedStrings.xml", sst, 0};
	if (styles)
		e[n++] = (struct entry){"xl/styles.xml", styles, 0};
	return make_zip(e, n, false, len);
}

/* Opens a one-sheet workbook as "t.xlsx" and reads its sheet into r. */
static enum cs_err read_book(const char *sheet, const char *sst, const char *styles, struct rows *r,
			     struct cs_error *err)
{
	size_t len;
	char *zip = book(sheet, sst, styles, &len);
	struct cs_xlsx *x = NULL;
	enum cs_err rc;

	rows_init(r);
	cs_error_clear(err);
	rc = cs_xlsx_open("t.xlsx", zip, len, &x, err);
	if (!rc)
		rc = cs_xlsx_read_sheet(x, 0, log_row, r, err);
	cs_xlsx_free(x);
	free(zip);
	return rc;
}

/* Opens in-memory bytes as "t.xlsx", expecting failure; returns the code. */
static enum cs_err open_fails(const void *data, size_t len, struct cs_error *err)
{
	struct cs_xlsx *x = (struct cs_xlsx *)&x; /* must be reset to NULL */
	enum cs_err rc;

	cs_error_clear(err);
	rc = cs_xlsx_open("t.xlsx", data, len, &x, err);
	assert_null(x);
	assert_int_equal(err->code, rc);
	return rc;
}

#define assert_has(msg, part) assert_non_null(strstr((msg), (part)))

/* ---- real workbooks ---- */

static struct cs_xlsx *open_data(const char *file)
{
	struct cs_xlsx *x = NULL;
	struct cs_error err;

	if (cs_xlsx_open_file(file, &x, &err) != CS_OK)
		fail_msg("%s: %s", file, err.msg);
	return x;
}

static void test_spec_sheets(void **state)
{
	struct cs_xlsx *x = open_data(DATA "xlsform_spec_test.xlsx");
	struct cs_error err;
	size_t i = 99;

	(void)state;
	assert_int_equal(cs_xlsx_sheet_count(x), 4);
	assert_string_equal(cs_xlsx_sheet_name(x, 0), "survey");
	assert_string_equal(cs_xlsx_sheet_name(x, 1), "choices");
	assert_string_equal(cs_xlsx_sheet_name(x, 2), "settings");
	assert_string_equal(cs_xlsx_sheet_name(x, 3), "columns");
	assert_null(cs_xlsx_sheet_name(x, 4));
	assert_false(cs_xlsx_sheet_hidden(x, 0));
	assert_false(cs_xlsx_date1904(x));
	assert_int_equal(cs_xlsx_find_sheet(x, "Settings", &i, &err), CS_OK);
	assert_int_equal(i, 2);
	assert_int_equal(cs_xlsx_find_sheet(x, "external_choices", &i, &err), CS_ENOTFOUND);
	assert_has(err.msg, "xlsform_spec_test.xlsx: no sheet named 'external_choices'; the "
			    "sheets are 'survey', 'choices', 'settings', 'columns'");
	cs_xlsx_free(x);
}

static void test_spec_survey(void **state)
{
	struct cs_xlsx *x = open_data(DATA "xlsform_spec_test.xlsx");
	struct cs_error err;
	struct rows r;

	(void)state;
	assert_int_equal(read_rows(x, 0, &r, &err), CS_OK);
	/* 1000 rows in the XML, 57 of them with a value. */
	assert_int_equal(r.count, 57);
	assert_has(row_text(&r, 1), "1:s=type|s=name|s=rows|s=repeat_count|s=label::english|"
				    "s=hint|s=constraint|");
	assert_string_equal(row_text(&r, 2),
			    "2:s=select_one yes_no|s=skip_to_end|.|.|s=Skip to end");
	/* Numbers keep the text Google Sheets wrote: "12.0", not 12. */
	assert_string_equal(row_text(&r, 4), "4:s=text|s=my_name|n=12.0|.|s=Enter your name");
	assert_has(row_text(&r, 6), "|s=ni hao|s=您好");
	/* =TRUE() and =FALSE() formulas give booleans. */
	assert_has(row_text(&r, 22), "|b=TRUE");
	assert_has(row_text(&r, 55), "55:s=");
	assert_has(row_text(&r, 55), "|b=FALSE");
	assert_string_equal(row_text(&r, 58), "");
	cs_buf_release(&r.text);

	assert_int_equal(read_rows(x, 2, &r, &err), CS_OK);
	assert_int_equal(r.count, 2);
	assert_has(row_text(&r, 2), "|s=https://example-odk-aggregate.appspot.com/submission|.|"
				    "b=FALSE|b=FALSE|b=TRUE|s=${my_name}");
	cs_buf_release(&r.text);

	assert_int_equal(read_rows(x, 1, &r, &err), CS_OK);
	assert_string_equal(r.text.data, "1:s=list_name|s=name|s=label|s=image|s=label::chinese\n"
					 "2:s=yes_no|s=yes|s=Yes|.|s=是\n"
					 "3:s=yes_no|s=no|s=No|.|s=没有\n"
					 "4:s=a_b|s=a|.|s=a.jpg\n"
					 "5:s=a_b|s=b|.|s=b.jpg\n");
	cs_buf_release(&r.text);
	cs_xlsx_free(x);
}

static void test_case_insensitivity(void **state)
{
	static const char *names[] = {"SURVEY",		  "CHOICES",  "SETTINGS",
				      "EXTERNAL_CHOICES", "ENTITIES", "OSM"};
	struct cs_xlsx *x = open_data(DATA "case_insensitivity.xlsx");
	struct cs_error err;
	struct rows r;
	size_t i = 99;

	(void)state;
	assert_int_equal(cs_xlsx_sheet_count(x), 6);
	for (size_t k = 0; k < 6; k++)
		assert_string_equal(cs_xlsx_sheet_name(x, k), names[k]);
	assert_int_equal(cs_xlsx_find_sheet(x, "survey", &i, &err), CS_OK);
	assert_int_equal(i, 0);
	assert_int_equal(cs_xlsx_find_sheet(x, "osm", &i, &err), CS_OK);
	assert_int_equal(i, 5);
	assert_int_equal(cs_xlsx_find_sheet(x, "External_Choices", &i, &err), CS_OK);
	assert_int_equal(i, 3);
	assert_int_equal(read_rows(x, 0, &r, &err), CS_OK);
	assert_string_equal(r.text.data,
			    "1:s=TYPE|s=NAME|s=LABEL::EN|s=CHOICE_FILTER\n"
			    "2:s=select_one c1|s=q1|s=Are you good?\n"
			    "3:s=select_one_external c1|s=q2|s=Where are you?|s=YES_NO=${q1}\n"
			    "4:s=osm c1|s=q3|s=Where exactly?\n");
	cs_buf_release(&r.text);
	assert_int_equal(read_rows(x, 4, &r, &err), CS_OK);
	assert_string_equal(r.text.data, "1:s=DATASET|s=LABEL\n2:s=e1|s=l1\n");
	cs_buf_release(&r.text);
	cs_xlsx_free(x);
}

static void test_duplicate_columns(void **state)
{
	struct cs_xlsx *x = open_data(DATA "duplicate_columns.xlsx");
	struct cs_error err;
	struct rows r;

	(void)state;
	assert_int_equal(cs_xlsx_sheet_count(x), 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(read_rows(x, i, &r, &err), CS_OK);
		assert_true(r.count > 0);
		if (i == 0) {
			assert_has(row_text(&r, 1),
				   "1:s=type|s=name|s=repeat_count|s=label|s=label|");
			assert_has(row_text(&r, 8), "8:s=note|s=number_label|.|n=1|n=1|s=a note");
		}
		cs_buf_release(&r.text);
	}
	cs_xlsx_free(x);
}

static void test_ucl_dates_and_spaces(void **state)
{
	struct cs_xlsx *x = open_data(DATA "UCL_Biomass_Plot_Form.xlsx");
	struct cs_error err;
	struct rows r;
	char iso[CS_DATE_LEN];

	(void)state;
	assert_int_equal(read_rows(x, 2, &r, &err), CS_OK);
	/* version holds =NOW() in a yyyy-mm-ddThh:mm:ss format: a date serial. */
	assert_string_equal(r.text.data, "1:s=default_language|s=version\n"
					 "2:s=Swahili (sw)|d=44662.6850575292\n");
	cs_buf_release(&r.text);
	assert_int_equal(cs_xlsx_serial_to_iso(44662.6850575292, iso, &err), CS_OK);
	assert_string_equal(iso, "2022-04-11");

	assert_int_equal(read_rows(x, 1, &r, &err), CS_OK);
	/* "name " keeps its space (xml:space="preserve"); years are plain numbers. */
	assert_string_equal(row_text(&r, 1),
			    "1:s=list_name|s=name |s=label::Swahili (sw)|s=label::English (en)");
	assert_string_equal(row_text(&r, 7), "7:s=plant_phase|n=2022|n=2022|n=2022");
	cs_buf_release(&r.text);

	assert_int_equal(read_rows(x, 0, &r, &err), CS_OK);
	/* &#10; is a line break at the start of the text. */
	assert_has(r.text.data, "\n7:s=begin group|s=info|s=\nTaarifa za mtu anayejaza fomu|"
				"s=Enumerator Details.\n");
	assert_string_equal(row_text(&r, 6), "");
	cs_buf_release(&r.text);
	cs_xlsx_free(x);
}

static void test_open_file_errors(void **state)
{
	struct cs_xlsx *x = (struct cs_xlsx *)&x;
	struct cs_error err;

	(void)state;
	assert_int_equal(cs_xlsx_open_file(DATA "no-such.xlsx", &x, &err), CS_EIO);
	assert_null(x);
	assert_has(err.msg, "no-such.xlsx: cannot open: No such file or directory");
	/* A directory opens but cannot be read. */
	assert_int_equal(cs_xlsx_open_file(DATA, &x, &err), CS_EIO);
	assert_has(err.msg, "cannot read");
	/* Not a workbook: the licence beside the workbooks. */
	assert_int_equal(cs_xlsx_open_file(DATA "LICENSE.pyxform", &x, &err), CS_EPARSE);
	assert_has(err.msg, "LICENSE.pyxform: not an xlsx workbook (not a zip archive); save the "
			    "file as Excel .xlsx");
}

/* Every workbook of the shared test data opens and every sheet reads. */
static void test_outside_testdata(void **state)
{
	DIR *d = opendir(OUTSIDE);
	struct dirent *de;
	size_t books = 0;

	(void)state;
	if (!d) {
		printf("note: %s not found; skipping the shared test workbooks (the copies in "
		       "tests/data/xlsx are still tested)\n",
		       OUTSIDE);
		skip();
	}
	while ((de = readdir(d)) != NULL) {
		char path[1024];
		struct cs_xlsx *x;
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 5, ".xlsx") != 0)
			continue;
		snprintf(path, sizeof(path), "%s%s", OUTSIDE, de->d_name);
		x = open_data(path);
		for (size_t i = 0; i < cs_xlsx_sheet_count(x); i++) {
			struct cs_error err;
			size_t rows = 0;

			if (cs_xlsx_read_sheet(x, i, count_row, &rows, &err) != CS_OK)
				fail_msg("%s sheet %zu: %s", path, i, err.msg);
		}
		cs_xlsx_free(x);
		books++;
	}
	closedir(d);
	assert_true(books >= 10);
}

/* ---- what is not a workbook ---- */

static void test_not_a_workbook(void **state)
{
	static const char csv[] = "type,name,label\ntext,q1,Tên\n";
	static const char ole2[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0";
	static const char html[] = "<html><body><table><tr><td>1</td></tr></table></body></html>";
	struct entry ods[] = {
		{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0},
		{"content.xml", XML_DECL "<office:document-content/>", 0},
	};
	struct entry xlsb[] = {{"_rels/.rels", root_rels, 0}, {"xl/workbook.bin", "\x83\x01", 2}};
	struct entry other[] = {{"readme.txt", "hello", 0}};
	struct cs_error err;
	size_t len;
	char *zip;

	(void)state;
	assert_int_equal(open_fails(csv, sizeof(csv) - 1, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: not an xlsx workbook (not a zip archive); save the "
				     "file as Excel .xlsx");
	assert_int_equal(open_fails("", 0, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: the file is empty; expected an Excel .xlsx workbook");
	assert_int_equal(open_fails(ole2, sizeof(ole2) - 1, &err), CS_EPARSE);
	assert_has(err.msg, "t.xlsx: this is an Excel 97-2003 workbook (.xls) or a "
			    "password-protected workbook, not .xlsx; open it in Excel");
	assert_int_equal(open_fails(html, sizeof(html) - 1, &err), CS_EPARSE);
	assert_has(err.msg, "t.xlsx: this is an XML or HTML file");

	zip = make_zip(ods, 2, false, &len);
	assert_int_equal(open_fails(zip, len, &err), CS_EPARSE);
	assert_has(err.msg, "t.xlsx: this is an OpenDocument file (.ods), not .xlsx; open it in "
			    "LibreOffice Calc and save it as Excel 2007-365 (.xlsx)");
	free(zip);
	zip = make_zip(xlsb, 2, false, &len);
	assert_int_equal(open_fails(zip, len, &err), CS_EPARSE);
	assert_has(err.msg, "(.xlsb)");
	free(zip);
	zip = make_zip(other, 1, false, &len);
	assert_int_equal(open_fails(zip, len, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: not an xlsx workbook (no xl/workbook.xml); save the "
				     "file as Excel .xlsx");
	/* A zip cut short. */
	assert_int_equal(open_fails(zip, len - 10, &err), CS_EPARSE);
	assert_has(err.msg, "t.xlsx: ");
	free(zip);
}

static void test_damaged_package(void **state)
{
	static const char wb_three[] =
		XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL
			 "\"><workbookPr date1904=\"1\"/><sheets>"
			 "<sheet name=\"One\" sheetId=\"1\" r:id=\"rId1\"/>"
			 "<sheet name=\"Two\" sheetId=\"2\" state=\"hidden\" r:id=\"rId4\"/>"
			 "<sheet name=\"Ghost\" sheetId=\"3\" r:id=\"rId9\"/></sheets></workbook>";
	static const char rels[] =
		XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
			 "relationships\">"
			 "<Relationship Id=\"rId1\" Type=\"" REL_TYPE
			 "worksheet\" Target=\"/xl/worksheets/sheet1.xml\"/>"
			 "<Relationship Id=\"rId4\" Type=\"" REL_TYPE
			 "worksheet\" Target=\"./worksheets/../worksheets/sheet2.xml\"/>"
			 "<Relationship Id=\"rId5\" Type=\"" REL_TYPE
			 "hyperlink\" Target=\"http://example.org/\" TargetMode=\"External\"/>"
			 "</Relationships>";
	struct entry e[] = {
		{"_rels/.rels", root_rels, 0},
		{"xl/workbook.xml", wb_three, 0},
		{"xl/_rels/workbook.xml.rels", rels, 0},
		{"xl/worksheets/sheet1.xml",
		 SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ok</t></is></c></row>"), 0},
	};
	struct cs_xlsx *x = NULL;
	struct cs_error err;
	struct rows r;
	size_t len;
	char *zip = make_zip(e, 4, false, &len);

	(void)state;
	assert_int_equal(cs_xlsx_open("t.xlsx", zip, len, &x, &err), CS_OK);
	assert_int_equal(cs_xlsx_sheet_count(x), 3);
	assert_true(cs_xlsx_date1904(x));
	assert_false(cs_xlsx_sheet_hidden(x, 0));
	assert_true(cs_xlsx_sheet_hidden(x, 1));
	assert_false(cs_xlsx_sheet_hidden(x, 7));
	/* An absolute target. */
	assert_int_equal(read_rows(x, 0, &r, &err), CS_OK);
	assert_string_equal(r.text.data, "1:s=ok\n");
	cs_buf_release(&r.text);
	assert_int_equal(read_rows(x, 1, &r, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: sheet 'Two': part xl/worksheets/sheet2.xml is "
				     "missing from the archive; the workbook is damaged");
	cs_buf_release(&r.text);
	assert_int_equal(read_rows(x, 2, &r, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: sheet 'Ghost': relationship 'rId9' is missing from "
				     "xl/_rels/workbook.xml.rels; the workbook is damaged");
	cs_buf_release(&r.text);
	assert_int_equal(read_rows(x, 3, &r, &err), CS_EINVAL);
	assert_string_equal(err.msg, "t.xlsx: no sheet number 4; the workbook has 3");
	cs_buf_release(&r.text);
	cs_xlsx_free(x);
	free(zip);

	/* No workbook relationships at all. */
	zip = make_zip(e, 2, false, &len);
	assert_int_equal(open_fails(zip, len, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: xl/_rels/workbook.xml.rels is missing, so the "
				     "sheets cannot be found; the workbook is damaged");
	free(zip);
}

static void test_broken_xml(void **state)
{
	static const char sheet[] = XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>\n"
					     "<row r=\"1\"><c r=\"A1\"><v>1</v></row>\n"
					     "</sheetData></worksheet>";
	static const char sst[] = XML_DECL "<sst xmlns=\"" NS_MAIN "\">\n<si><t>a</t></si>\n"
					   "<si><t>b & c</t></si></sst>";
	static const char wb_bad[] =
		XML_DECL "<workbook xmlns=\"" NS_MAIN "\"><sheets/></workbook>";
	static const char wb_root[] = XML_DECL "<book/>";
	struct entry e[] = {
		{"_rels/.rels", root_rels, 0},
		{"xl/workbook.xml", wb_bad, 0},
		{"xl/_rels/workbook.xml.rels", wb_rels_one, 0},
	};
	struct cs_error err;
	struct rows r;
	size_t len;
	char *zip;

	(void)state;
	assert_int_equal(read_book(sheet, NULL, NULL, &r, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: xl/worksheets/sheet1.xml:3:32: malformed XML: "
				     "mismatched tag");
	assert_int_equal(r.count, 0);
	cs_buf_release(&r.text);

	assert_int_equal(read_book(SHEET(""), sst, NULL, &r, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: xl/sharedStrings.xml:4:11: malformed XML: not "
				     "well-formed (invalid token)");
	cs_buf_release(&r.text);

	/* An empty part. */
	assert_int_equal(read_book("", NULL, NULL, &r, &err), CS_EPARSE);
	assert_has(err.msg,
		   "t.xlsx: xl/worksheets/sheet1.xml:1:1: malformed XML: no element found");
	cs_buf_release(&r.text);

	zip = make_zip(e, 3, false, &len);
	assert_int_equal(open_fails(zip, len, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: xl/workbook.xml lists no sheets; the workbook is "
				     "damaged");
	free(zip);
	e[1].data = wb_root;
	zip = make_zip(e, 3, false, &len);
	assert_int_equal(open_fails(zip, len, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: xl/workbook.xml:2:1: root element is <book>, "
				     "expected <workbook>");
	free(zip);
}

static void test_doctype_rejected(void **state)
{
	/* "Billion laughs" in the shared strings, an external entity in a sheet. */
	static const char sst[] = XML_DECL "<!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\">"
					   "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
					   "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"
					   "<sst xmlns=\"" NS_MAIN "\"><si><t>&c;</t></si></sst>";
	static const char sheet[] =
		XML_DECL "<!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
			 "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" "
			 "t=\"inlineStr\"><is><t>&x;</t></is></c></row></sheetData></worksheet>";
	struct cs_error err;
	struct rows r;

	(void)state;
	assert_int_equal(read_book(SHEET(""), sst, NULL, &r, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: xl/sharedStrings.xml:2:15: document type declaration "
				     "(<!DOCTYPE ...>) not allowed in an xlsx part");
	cs_buf_release(&r.text);
	assert_int_equal(read_book(sheet, NULL, NULL, &r, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.xlsx: xl/worksheets/sheet1.xml:2:21 (sheet 'Sheet1'): "
				     "document type declaration (<!DOCTYPE ...>) not allowed in an "
				     "xlsx part");
	assert_int_equal(r.count, 0);
	cs_buf_release(&r.text);
	/* Without a DTD an entity reference is simply undefined. */
	assert_int_equal(read_book(SHEET("<row r=\"1\"><c t=\"inlineStr\"><is><t>&x;</t></is></c>"
					 "</row>"),
				   NULL, NULL, &r, &err),
			 CS_EPARSE);
	assert_has(err.msg, "malformed XML: undefined entity");
	cs_buf_release(&r.text);
}

/* A shared string table of one string made of n copies of unit. */
static char *sst_of(const char *unit, size_t n)
{
	struct cs_buf b;
	size_t len;

	cs_buf_init(&b, SIZE_MAX);
	assert_int_equal(cs_buf_addstr(&b, SST("<si><t>"), NULL), CS_OK);
	/* SST() closes the root; cut "</t></si></sst>" parts by rebuilding. */
	cs_buf_truncate(&b, b.len - strlen("</sst>"));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(cs_buf_addstr(&b, unit, NULL), CS_OK);
	assert_int_equal(cs_buf_addstr(&b, "</t></si></sst>", NULL), CS_OK);
	return cs_buf_detach(&b, &len);
}

static void test_text_limits(void **state)
{
	static const char cell[] = SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>");
	struct cs_error err;
	struct rows r;
	char *sst;

	(void)state;
	/* Exactly Excel's limit: 32767 characters, in one, three and two UTF-16 units. */
	sst = sst_of("a", 32767);
	assert_int_equal(read_book(cell, sst, NULL, &r, &err), CS_OK);
	assert_int_equal(r.text.len, strlen("1:s=\n") + 32767);
	cs_buf_release(&r.text);
	cs_free(sst);
	sst = sst_of("ệ", 32767);
	assert_int_equal(read_book(cell, sst, NULL, &r, &err), CS_OK);
	cs_buf_release(&r.text);
	cs_free(sst);

	sst = sst_of("a", 32768);
	assert_int_equal(read_book(cell, sst, NULL, &r, &err), CS_ETOOBIG);
	assert_has(err.msg, "t.xlsx: xl/sharedStrings.xml:2:");
	assert_has(err.msg, "shared string 0 has 32768 characters, more than Excel's limit of "
			    "32767 per cell");
	cs_buf_release(&r.text);
	cs_free(sst);
	sst = sst_of("😀", 16384);
	assert_int_equal(read_book(cell, sst, NULL, &r, &err), CS_ETOOBIG);
	assert_has(err.msg, "has 32768 characters");
	cs_buf_release(&r.text);
	cs_free(sst);
	/* Far past the limit: refused while the text is still being collected. */
	sst = sst_of("abcdefgh", 40000);
	assert_int_equal(read_book(cell, sst, NULL, &r, &err), CS_ETOOBIG);
	assert_has(err.msg, "text longer than 32767 characters, Excel's limit for a cell");
	cs_buf_release(&r.text);
	cs_free(sst);
}

static void test_cells(void **state)
{
	static const char sst[] = SST("<si><t>head</t></si>"
				      "<si><r><t>Hài </t></r><r><rPr><b/></rPr><t>lòng</t></r>"
				      "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
				      "<si><t/></si>"
				      "<si><t>a_x000D_b_x005F_x000D__xD83D__xDE00_</t></si>"
				      "<si><t xml:space=\"preserve\">  spaced  </t></si>");
	static const char sheet[] =
		SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
		      "<c r=\"C1\" t=\"inlineStr\"><is><t>inline</t></is></c><c "
		      "r=\"F1\"><v>8.5</v></c></row>"
		      "<row r=\"3\" spans=\"2:6\"><c r=\"B3\"><v>1</v></c><c r=\"C3\" t=\"n\">"
		      "<v>0.30000000000000004</v></c><c r=\"D3\" t=\"b\"><v>1</v></c>"
		      "<c r=\"E3\" t=\"e\"><v>#DIV/0!</v></c>"
		      "<c r=\"F3\" t=\"str\"><f>A1&amp;\"x\"</f><v>headx</v></c></row>"
		      "<row r=\"5\"><c r=\"A5\" s=\"0\"/><c r=\"B5\" t=\"s\"><v>2</v></c>"
		      "<c r=\"C5\" t=\"str\"><f>\"\"</f><v></v></c><c r=\"D5\"><f>1+1</f></c></row>"
		      "<row r=\"10\"><c t=\"s\"><v> 1 </v></c><c><v>-2.5E-3</v></c>"
		      "<c t=\"inlineStr\"><is><r><t>ri</t></r><r><rPr><b/></rPr>"
		      "<t xml:space=\"preserve\"> ch</t></r><rPh><t>X</t></rPh></is></c></row>"
		      "<row><c r=\"D11\" t=\"s\"><v>3</v></c><c r=\"E11\" t=\"s\"><v>4</v></c>"
		      "<c r=\"F11\" t=\"d\"><v>2024-01-31T00:00:00</v></c></row>"
		      "<row r=\"12\"><c r=\"XFD12\" t=\"b\"><v>0</v></c></row>");
	struct cs_error err;
	struct rows r;
	char expect[128];

	(void)state;
	assert_int_equal(read_book(sheet, sst, NULL, &r, &err), CS_OK);
	assert_string_equal(row_text(&r, 1), "1:s=head|.|s=inline|.|.|n=8.5");
	assert_string_equal(row_text(&r, 3),
			    "3:.|n=1|n=0.30000000000000004|b=TRUE|e=#DIV/0!|s=headx");
	/* Row 5 has only empty cells: not reported. */
	assert_string_equal(row_text(&r, 5), "");
	assert_string_equal(row_text(&r, 10), "10:s=Hài lòng|n=-2.5E-3|s=ri ch");
	assert_string_equal(row_text(&r, 11),
			    "11:.|.|.|s=a\rb_x000D_😀|s=  spaced  |s=2024-01-31T00:00:00");
	assert_int_equal(r.count, 5);
	/* The last row: 16383 empty cells, then XFD. */
	snprintf(expect, sizeof(expect), "12:.|.|.");
	assert_int_equal(strncmp(row_text(&r, 12), expect, strlen(expect)), 0);
	assert_has(row_text(&r, 12), "|.|b=FALSE");
	assert_int_equal(strlen(row_text(&r, 12)), strlen("12:") + 16383 * 2 + strlen("b=FALSE"));
	cs_buf_release(&r.text);
}

static void test_prefixed_names(void **state)
{
	/* Some writers (the .NET Open XML SDK) prefix every element. */
	static const char sheet[] =
		XML_DECL "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData><x:row r=\"2\">"
			 "<x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>p</x:t></x:is></x:c>"
			 "<x:c r=\"C2\" t=\"s\"><x:v>0</x:v></x:c></x:row></x:sheetData>"
			 "</x:worksheet>";
	static const char sst[] = XML_DECL "<x:sst xmlns:x=\"" NS_MAIN "\"><x:si><x:t>q</x:t>"
					   "</x:si></x:sst>";
	struct cs_error err;
	struct rows r;

	(void)state;
	assert_int_equal(read_book(sheet, sst, NULL, &r, &err), CS_OK);
	assert_string_equal(r.text.data, "2:.|s=p|s=q\n");
	cs_buf_release(&r.text);
}

static void test_dates(void **state)
{
	static const char styles[] =
		XML_DECL "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"4\">"
			 "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
			 "<numFmt numFmtId=\"165\" formatCode=\"0.0 &quot;days&quot;\"/>"
			 "<numFmt numFmtId=\"166\" formatCode=\"[Red]0.00;[Blue]\\-0.00\"/>"
			 "<numFmt numFmtId=\"167\" formatCode=\"[h]:mm\"/>"
			 "</numFmts><cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>"
			 "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
			 "<xf numFmtId=\"165\"/><xf numFmtId=\"46\"/><xf numFmtId=\"166\"/>"
			 "<xf numFmtId=\"167\"/><xf/></cellXfs></styleSheet>";
	static const char sheet[] = SHEET(
		"<row r=\"1\"><c r=\"A1\" s=\"0\"><v>45000</v></c><c r=\"B1\" "
		"s=\"1\"><v>45000</v></c>"
		"<c r=\"C1\" s=\"2\"><v>45000.5</v></c><c r=\"D1\" s=\"3\"><v>2</v></c>"
		"<c r=\"E1\" s=\"4\"><v>0.25</v></c><c r=\"F1\" s=\"5\"><v>3</v></c>"
		"<c r=\"G1\" s=\"6\"><v>1.5</v></c><c r=\"H1\" s=\"7\"><v>4</v></c>"
		"<c r=\"I1\" s=\"99\"><v>5</v></c><c r=\"J1\" s=\"1\" t=\"s\"><v>0</v></c></row>");
	struct cs_error err;
	struct rows r;

	(void)state;
	assert_int_equal(read_book(sheet, SST("<si><t>text</t></si>"), styles, &r, &err), CS_OK);
	assert_string_equal(r.text.data, "1:n=45000|d=45000|d=45000.5|n=2|d=0.25|n=3|d=1.5|n=4|n=5|"
					 "s=text\n");
	cs_buf_release(&r.text);
	/* Without styles every number is a number. */
	assert_int_equal(read_book(sheet, SST("<si><t>text</t></si>"), NULL, &r, &err), CS_OK);
	assert_string_equal(r.text.data, "1:n=45000|n=45000|n=45000.5|n=2|n=0.25|n=3|n=1.5|n=4|n=5|"
					 "s=text\n");
	cs_buf_release(&r.text);
}

/* One bad sheet: the code and message it must give. */
struct bad_case {
	const char *rows;
	enum cs_err rc;
	const char *msg;
};

static void test_bad_cells(void **state)
{
	static const struct bad_case cases[] = {
		{"<row r=\"1\"><c r=\"B1\"><v>abc</v></c></row>", CS_EPARSE,
		 "cell B1: 'abc' is not a number"},
		{"<row r=\"1\"><c r=\"B1\"><v>1,5</v></c></row>", CS_EPARSE,
		 "cell B1: '1,5' is not a number"},
		{"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>", CS_EPARSE,
		 "cell A1 refers to shared string 7 but the workbook has 1"},
		{"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>x</v></c></row>", CS_EPARSE,
		 "cell A1: shared string number 'x' is not a number"},
		{"<row r=\"2\"/><row r=\"1\"/>", CS_EPARSE,
		 "row 1 comes after row 2; rows must be in increasing order"},
		{"<row r=\"2\"/><row r=\"2\"/>", CS_EPARSE, "row 2 comes after row 2"},
		{"<row r=\"x\"/>", CS_EPARSE, "row number 'x' is not a number from 1 to 1048576"},
		{"<row r=\"0\"/>", CS_EPARSE, "row number '0' is not a number"},
		{"<row r=\"1048577\"/>", CS_ETOOBIG,
		 "row 1048577 is past Excel's last row 1048576"},
		{"<row r=\"1\"><c r=\"C1\"><v>1</v></c><c r=\"B1\"><v>1</v></c></row>", CS_EPARSE,
		 "cell B1 comes after C1; cells must be in column order"},
		{"<row r=\"1\"><c r=\"A0\"><v>1</v></c></row>", CS_EPARSE,
		 "cell reference 'A0' is not a cell name like C5"},
		{"<row r=\"1\"><c r=\"AAAA1\"><v>1</v></c></row>", CS_EPARSE,
		 "cell reference 'AAAA1' is not a cell name like C5"},
		{"<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", CS_ETOOBIG,
		 "cell in column 16385 of row 1 is past Excel's last column XFD"},
		{"<row r=\"1\"><c r=\"A2\"><v>1</v></c></row>", CS_EPARSE,
		 "cell A2 is inside row 1"},
		{"<row r=\"1\"><c r=\"A1\" t=\"z\"><v>1</v></c></row>", CS_EPARSE,
		 "cell A1 has unknown type t=\"z\", expected s, n, b, e, str, inlineStr or d"},
		{"<row r=\"1\"><c r=\"A1\" t=\"b\"><v>2</v></c></row>", CS_EPARSE,
		 "cell A1: boolean '2', expected 0 or 1"},
	};
	struct cs_error err;
	struct rows r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char sheet[1024];
		enum cs_err rc;

		snprintf(sheet, sizeof(sheet), SHEET("%s"), cases[i].rows);
		rc = read_book(sheet, SST("<si><t>s</t></si>"), NULL, &r, &err);
		if (rc != cases[i].rc || !strstr(err.msg, cases[i].msg) ||
		    !strstr(err.msg, "t.xlsx: xl/worksheets/sheet1.xml:2:") ||
		    !strstr(err.msg, " (sheet 'Sheet1'): "))
			fail_msg("case %zu: %s: %s", i, cs_err_name(rc), err.msg);
		cs_buf_release(&r.text);
	}
}

static void test_nesting(void **state)
{
	struct cs_buf b;
	struct cs_error err;
	struct rows r;

	(void)state;
	cs_buf_init(&b, SIZE_MAX);
	assert_int_equal(cs_buf_addstr(&b, XML_DECL "<worksheet xmlns=\"" NS_MAIN "\">", NULL),
			 CS_OK);
	for (int i = 0; i < 300; i++)
		assert_int_equal(cs_buf_addstr(&b, "<extLst>", NULL), CS_OK);
	for (int i = 0; i < 300; i++)
		assert_int_equal(cs_buf_addstr(&b, "</extLst>", NULL), CS_OK);
	assert_int_equal(cs_buf_addstr(&b, "</worksheet>", NULL), CS_OK);
	assert_int_equal(read_book(b.data, NULL, NULL, &r, &err), CS_ETOOBIG);
	assert_has(err.msg, "t.xlsx: xl/worksheets/sheet1.xml:2:");
	assert_has(err.msg, "elements nested more than 256 deep");
	cs_buf_release(&r.text);
	cs_buf_release(&b);
}

static void test_zip_sizes(void **state)
{
	struct cs_buf rows;
	struct cs_error err;
	struct cs_xlsx *x = NULL;
	struct rows r;
	size_t len, n = 0;
	char *zip;

	(void)state;
	cs_buf_init(&rows, SIZE_MAX);
	assert_int_equal(
		cs_buf_addstr(&rows, XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>", NULL),
		CS_OK);
	for (int i = 1; i <= 5000; i++)
		assert_int_equal(cs_buf_addf(&rows, NULL,
					     "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c></row>", i, i,
					     i),
				 CS_OK);
	assert_int_equal(cs_buf_addstr(&rows, "</sheetData></worksheet>", NULL), CS_OK);

	/* A directory that understates a part: it inflates to more than declared. */
	zip = book(rows.data, NULL, NULL, &len);
	patch_size(zip, len, "xl/worksheets/sheet1.xml", 1000);
	assert_int_equal(cs_xlsx_open("t.xlsx", zip, len, &x, &err), CS_OK);
	assert_int_equal(cs_xlsx_read_sheet(x, 0, count_row, &n, &err), CS_ETOOBIG);
	assert_string_equal(err.msg,
			    "t.xlsx: xl/worksheets/sheet1.xml: inflates to more than the "
			    "1000 bytes the zip directory declares (a damaged file or a zip "
			    "bomb)");
	cs_xlsx_free(x);
	free(zip);

	/* A part declared larger than the per-part limit. */
	zip = book(rows.data, NULL, NULL, &len);
	patch_size(zip, len, "xl/worksheets/sheet1.xml", 200u << 20);
	assert_int_equal(open_fails(zip, len, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "t.xlsx: xl/worksheets/sheet1.xml: 209715200 bytes once "
				     "uncompressed, more than the limit of 134217728");
	free(zip);

	/* Parts that are each allowed but too much together. */
	zip = book(rows.data, SST("<si><t>s</t></si>"),
		   XML_DECL "<styleSheet xmlns=\"" NS_MAIN "\"/>", &len);
	patch_size(zip, len, "xl/worksheets/sheet1.xml", 100u << 20);
	patch_size(zip, len, "xl/sharedStrings.xml", 100u << 20);
	patch_size(zip, len, "xl/styles.xml", 100u << 20);
	assert_int_equal(open_fails(zip, len, &err), CS_ETOOBIG);
	assert_has(err.msg, "t.xlsx: the workbook's parts come to more than 268435456 bytes once "
			    "uncompressed (at xl/");
	free(zip);

	/* A directory that overstates a part: the data is cut short. */
	zip = book(rows.data, NULL, NULL, &len);
	patch_size(zip, len, "xl/worksheets/sheet1.xml", (uint32_t)rows.len + 10);
	assert_int_equal(cs_xlsx_open("t.xlsx", zip, len, &x, &err), CS_OK);
	rows_init(&r);
	assert_int_equal(cs_xlsx_read_sheet(x, 0, log_row, &r, &err), CS_EPARSE);
	assert_has(err.msg, "t.xlsx: xl/worksheets/sheet1.xml: ");
	cs_buf_release(&r.text);
	cs_xlsx_free(x);
	free(zip);
	cs_buf_release(&rows);
}

static void test_many_entries(void **state)
{
	size_t n = CS_XLSX_MAX_ENTRIES + 1, len;
	struct entry *e = calloc(n, sizeof(*e));
	char(*names)[16] = calloc(n, sizeof(*names));
	struct cs_error err;
	char *zip;

	(void)state;
	assert_non_null(e);
	assert_non_null(names);
	e[0] = (struct entry){"xl/workbook.xml", wb_one, 0};
	for (size_t i = 1; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "m/%zu", i);
		e[i] = (struct entry){names[i], "x", 1};
	}
	/* Stored: deflating 65537 entries is slow under the sanitizers. */
	zip = make_zip(e, n, true, &len);
	assert_int_equal(open_fails(zip, len, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "t.xlsx: more than 65536 entries in the zip archive");
	free(zip);
	free(names);
	free(e);
}

static void test_callback_stops(void **state)
{
	struct cs_error err;
	struct rows r;

	(void)state;
	rows_init(&r);
	r.stop_at = 2;
	{
		size_t len;
		char *zip =
			book(SHEET("<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c><v>2</v></c>"
				   "</row><row r=\"3\"><c><v>3</v></c></row>"),
			     NULL, NULL, &len);
		struct cs_xlsx *x = NULL;

		assert_int_equal(cs_xlsx_open("t.xlsx", zip, len, &x, &err), CS_OK);
		assert_int_equal(cs_xlsx_read_sheet(x, 0, log_row, &r, &err), CS_ECONFLICT);
		assert_string_equal(err.msg, "stopped at row 2");
		assert_int_equal(r.count, 2);
		assert_string_equal(r.text.data, "1:n=1\n");
		cs_xlsx_free(x);
		free(zip);
	}
	cs_buf_release(&r.text);
}

static void test_find_sheet_unicode(void **state)
{
	static const char wb[] =
		XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
			 "<sheet name=\"Khảo sát\" sheetId=\"1\" r:id=\"rId1\"/>"
			 "<sheet name=\"Đơn vị\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>";
	struct entry e[] = {
		{"_rels/.rels", root_rels, 0},
		{"xl/workbook.xml", wb, 0},
		{"xl/_rels/workbook.xml.rels", wb_rels_one, 0},
		{"xl/worksheets/sheet1.xml", SHEET(""), 0},
	};
	struct cs_xlsx *x = NULL;
	struct cs_error err;
	size_t len, i = 99;
	char *zip = make_zip(e, 4, false, &len);

	(void)state;
	assert_int_equal(cs_xlsx_open("t.xlsx", zip, len, &x, &err), CS_OK);
	assert_int_equal(cs_xlsx_find_sheet(x, "KHẢO SÁT", &i, &err), CS_OK);
	assert_int_equal(i, 0);
	/* "Khảo sát" typed with combining marks. */
	assert_int_equal(cs_xlsx_find_sheet(x, "Kha\xcc\x89o sa\xcc\x81t", &i, &err), CS_OK);
	assert_int_equal(i, 0);
	assert_int_equal(cs_xlsx_find_sheet(x, "đơn VỊ", &i, &err), CS_OK);
	assert_int_equal(i, 1);
	assert_int_equal(cs_xlsx_find_sheet(x, "Don vi", &i, &err), CS_ENOTFOUND);
	assert_string_equal(err.msg, "t.xlsx: no sheet named 'Don vi'; the sheets are 'Khảo sát', "
				     "'Đơn vị'");
	assert_int_equal(cs_xlsx_find_sheet(x, "\xff", &i, &err), CS_ENOTFOUND);
	cs_xlsx_free(x);
	free(zip);
}

static void test_serial_to_iso(void **state)
{
	static const struct {
		double serial;
		const char *iso;
	} good[] = {
		{1, "1900-01-01"},	 {31, "1900-01-31"},	{59, "1900-02-28"},
		{61, "1900-03-01"},	 {366, "1900-12-31"},	{367, "1901-01-01"},
		{25569, "1970-01-01"},	 {36526, "2000-01-01"}, {36585.99, "2000-02-29"},
		{43861, "2020-01-31"},	 {45351, "2024-02-29"}, {44662.6850575292, "2022-04-11"},
		{1462, "1904-01-01"}, /* serial 0 of the 1904 system, plus 1462 */
		{2958465, "9999-12-31"},
	};
	static const double bad[] = {0, 0.5, -1, 60, 60.5, 2958466, INFINITY, NAN};
	struct cs_error err;
	char iso[CS_DATE_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(cs_xlsx_serial_to_iso(good[i].serial, iso, &err), CS_OK);
		assert_string_equal(iso, good[i].iso);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cs_xlsx_serial_to_iso(bad[i], iso, &err), CS_EPARSE);
	assert_int_equal(cs_xlsx_serial_to_iso(60, iso, &err), CS_EPARSE);
	assert_string_equal(err.msg,
			    "date serial 60 is 29 February 1900, a day that does not exist "
			    "(Excel counts 1900 as a leap year)");
	assert_int_equal(cs_xlsx_serial_to_iso(0, iso, &err), CS_EPARSE);
	assert_string_equal(err.msg,
			    "date serial 0 out of range, expected 1 (1900-01-01) to 2958465 "
			    "(9999-12-31)");
}

static void test_col_name(void **state)
{
	static const struct {
		unsigned col;
		const char *name;
	} cases[] = {{1, "A"},	  {26, "Z"},	{27, "AA"},	{52, "AZ"}, {53, "BA"},
		     {702, "ZZ"}, {703, "AAA"}, {16384, "XFD"}, {0, "?"},   {16385, "?"}};
	char name[CS_XLSX_COL_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cs_xlsx_col_name(cases[i].col, name);
		assert_string_equal(name, cases[i].name);
	}
}

static void test_out_of_memory(void **state)
{
	static const char sst[] =
		SST("<si><t>a</t></si><si><r><t>b</t></r><r><t>c_x000D_</t></r></si>");
	static const char styles[] =
		XML_DECL "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts><numFmt numFmtId=\"164\" "
			 "formatCode=\"d/m/yyyy\"/></numFmts><cellXfs><xf/><xf numFmtId=\"164\"/>"
			 "</cellXfs></styleSheet>";
	static const char sheet[] = SHEET(
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"D1\" "
		"t=\"s\"><v>1</v></c></row>"
		"<row r=\"4\"><c r=\"B4\" s=\"1\"><v>45000</v></c><c r=\"C4\" t=\"inlineStr\">"
		"<is><t>x</t></is></c><c r=\"H4\" t=\"e\"><v>#N/A</v></c></row>");
	size_t len;
	char *zip = book(sheet, sst, styles, &len);

	(void)state;
	for (long n = 0;; n++) {
		struct cs_xlsx *x = NULL;
		struct cs_error err;
		size_t rows = 0;
		enum cs_err rc;

		cs_alloc_fail_after(n);
		rc = cs_xlsx_open("t.xlsx", zip, len, &x, &err);
		if (!rc)
			rc = cs_xlsx_read_sheet(x, 0, count_row, &rows, &err);
		cs_xlsx_free(x);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			assert_int_equal(rows, 2);
			break;
		}
		if (rc != CS_ENOMEM)
			fail_msg("%ld allocations: %s %s", n, cs_err_name(rc), err.msg);
		assert_true(n < 1000);
	}
	free(zip);

	/* From a file, reading every sheet. */
	for (long n = 0;; n++) {
		struct cs_xlsx *x = NULL;
		struct cs_error err;
		size_t rows = 0;
		enum cs_err rc;

		cs_alloc_fail_after(n);
		rc = cs_xlsx_open_file(DATA "case_insensitivity.xlsx", &x, &err);
		for (size_t i = 0; !rc && i < cs_xlsx_sheet_count(x); i++)
			rc = cs_xlsx_read_sheet(x, i, count_row, &rows, &err);
		cs_xlsx_free(x);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			assert_int_equal(rows, 17);
			break;
		}
		if (rc != CS_ENOMEM)
			fail_msg("%ld allocations: %s %s", n, cs_err_name(rc), err.msg);
		assert_true(n < 2000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_sheets),
		cmocka_unit_test(test_spec_survey),
		cmocka_unit_test(test_case_insensitivity),
		cmocka_unit_test(test_duplicate_columns),
		cmocka_unit_test(test_ucl_dates_and_spaces),
		cmocka_unit_test(test_open_file_errors),
		cmocka_unit_test(test_outside_testdata),
		cmocka_unit_test(test_not_a_workbook),
		cmocka_unit_test(test_damaged_package),
		cmocka_unit_test(test_broken_xml),
		cmocka_unit_test(test_doctype_rejected),
		cmocka_unit_test(test_text_limits),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_prefixed_names),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_bad_cells),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_zip_sizes),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_find_sheet_unicode),
		cmocka_unit_test(test_serial_to_iso),
		cmocka_unit_test(test_col_name),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
