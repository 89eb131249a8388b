/*
 * Tests of the CSV reader (io/csv) and the unit CSV importer (io/unit_csv):
 * line numbers across quoted line breaks, CRLF and BOM, every error message,
 * normalisation, and the golden files of tests/golden/units.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/csv.h"
#include "io/unit_csv.h"
#include "util/alloc.h"
#include "util/buf.h"

#define GOLDEN CHISO_SOURCE_DIR "/tests/golden/units/"

/* ---- the CSV reader ---- */

/* What the reader passed to the callback, flattened: "line:f1|f2|...\n" per record. */
struct rec_log {
	char text[4096];
	size_t len;
	size_t stop_at; /* record number (1-based) at which to fail, 0 never */
	size_t records;
};

static enum cs_err log_row(void *ctx, size_t line, const struct cs_str *f, size_t n,
			   struct cs_error *err)
{
	struct rec_log *log = ctx;
	int w;

	log->records++;
	if (log->stop_at && log->records == log->stop_at)
		return cs_fail(err, CS_ECONFLICT, "stopped at line %zu", line);
	w = snprintf(log->text + log->len, sizeof(log->text) - log->len, "%zu:", line);
	log->len += (size_t)w;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(f[i].ptr[f[i].len], '\0');
		w = snprintf(log->text + log->len, sizeof(log->text) - log->len, "%s%.*s",
			     i ? "|" : "", (int)f[i].len, f[i].ptr);
		log->len += (size_t)w;
	}
	w = snprintf(log->text + log->len, sizeof(log->text) - log->len, "\n");
	log->len += (size_t)w;
	return CS_OK;
}

static enum cs_err read_csv(const char *text, size_t len, size_t max_field, struct rec_log *log,
			    struct cs_error *err)
{
	memset(log, 0, sizeof(*log));
	cs_error_clear(err);
	return cs_csv_read("t.csv", text, len, max_field, log_row, log, err);
}

#define READ(text, log, err) read_csv((text), sizeof(text) - 1, 1000, (log), (err))

static void test_csv_lines(void **state)
{
	static const char text[] = "a,b\n"
				   "\n"
				   "\"x\ny\",z\r\n"
				   "  \t \n"
				   "\"q\"\"uote\", spaced ,\"\"\n"
				   "last";
	struct rec_log log;
	struct cs_error err;

	(void)state;
	assert_int_equal(READ(text, &log, &err), CS_OK);
	assert_string_equal(log.text, "1:a|b\n"
				      "3:x\ny|z\n"
				      "6:q\"uote|spaced|\n"
				      "7:last\n");
}

static void test_csv_line_endings(void **state)
{
	static const char cr[] = "a,b\r\"c\rd\"\re\r";
	static const char crlf[] = "\xEF\xBB\xBF"
				   "h1,h2\r\n\r\n\"1\r\n2\",3\r\n4,5\r\n";
	struct rec_log log;
	struct cs_error err;

	(void)state;
	assert_int_equal(READ(cr, &log, &err), CS_OK);
	assert_string_equal(log.text, "1:a|b\n2:c\rd\n4:e\n");
	assert_int_equal(READ(crlf, &log, &err), CS_OK);
	/* The BOM is gone from the first field. */
	assert_string_equal(log.text, "1:h1|h2\n3:1\r\n2|3\n5:4|5\n");
}

static void test_csv_empty(void **state)
{
	struct rec_log log;
	struct cs_error err;

	(void)state;
	assert_int_equal(read_csv("", 0, 10, &log, &err), CS_OK);
	assert_int_equal(log.records, 0);
	assert_int_equal(READ("\xEF\xBB\xBF\n\n   \n", &log, &err), CS_OK);
	assert_int_equal(log.records, 0);
	assert_int_equal(READ(",", &log, &err), CS_OK);
	assert_string_equal(log.text, "1:|\n");
}

static void test_csv_quote_errors(void **state)
{
	struct rec_log log;
	struct cs_error err;

	(void)state;
	assert_int_equal(READ("a,b\nc,d\"e\n", &log, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.csv:2:2: unexpected '\"' in field 2; a field holding "
				     "quotes must be enclosed in quotes, with each quote inside "
				     "doubled (\"\")");
	assert_int_equal(READ("a,\"b\nb\"x,c\n", &log, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.csv:2:2: unexpected 'x' after the closing quote of "
				     "field 2; a quoted field must be followed by ',' or the end "
				     "of the line");
	assert_int_equal(READ("a,\"b\"\x01\n", &log, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.csv:1:2: unexpected byte 0x01 after the closing quote "
				     "of field 2; a quoted field must be followed by ',' or the "
				     "end of the line");
	/* The quote opened on line 2, in field 3 (field 2 ended on line 2). */
	assert_int_equal(READ("h\nx,\ny,\"z\n\nw", &log, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.csv:3:2: the quote opening field 2 is never closed; add "
				     "the closing '\"'");
	assert_int_equal(READ("h\n\"a\",\"b\nc", &log, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.csv:2:2: the quote opening field 2 is never closed; add "
				     "the closing '\"'");
}

static void test_csv_limits(void **state)
{
	struct rec_log log;
	struct cs_error err;
	char *big;
	size_t n;

	(void)state;
	assert_int_equal(read_csv("ab,cde\n", 7, 3, &log, &err), CS_OK);
	assert_int_equal(read_csv("ab,cdef\n", 8, 3, &log, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "t.csv:1:2: field 2 is longer than 3 bytes");

	/* A quote left open swallows the rest of the file: caught as soon as
	 * the field is too long, with a hint. */
	n = 200000;
	big = malloc(n);
	assert_non_null(big);
	memcpy(big, "a,\"b\n", 5);
	memset(big + 5, 'x', n - 5);
	for (size_t i = 100; i < n; i += 100)
		big[i] = '\n';
	assert_int_equal(read_csv(big, n, 1000, &log, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "t.csv:1:2: field 2 is longer than 1000 bytes; is the "
				     "closing quote of a field missing?");
	/* One huge unquoted line is fed in pieces and stopped early too. */
	memset(big, 'y', n);
	assert_int_equal(read_csv(big, n, 1000, &log, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "t.csv:1:1: field 1 is longer than 1000 bytes");

	/* Too many fields in one record. */
	memset(big, ',', CS_CSV_MAX_FIELDS + 10);
	assert_int_equal(read_csv(big, CS_CSV_MAX_FIELDS + 10, 10, &log, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "t.csv:1: more than 1024 fields in one record");
	memset(big, ',', CS_CSV_MAX_FIELDS - 1);
	assert_int_equal(read_csv(big, CS_CSV_MAX_FIELDS - 1, 10, &log, &err), CS_OK);
	free(big);
}

static void test_csv_not_text(void **state)
{
	static const char nul[] = "a,b\nc,d\0e\n";
	static const char utf16[] = "\xFF\xFE"
				    "c\0o\0";
	struct rec_log log;
	struct cs_error err;

	(void)state;
	assert_int_equal(READ(nul, &log, &err), CS_EPARSE);
	assert_string_equal(err.msg, "t.csv:2:2: NUL byte in field 2; the file is not UTF-8 "
				     "text, save it as CSV UTF-8");
	assert_int_equal(READ(utf16, &log, &err), CS_EUTF8);
	assert_string_equal(err.msg, "t.csv:1: the file is UTF-16 text; save it as UTF-8");
}

static void test_csv_callback_stops(void **state)
{
	static const char text[] = "1\n2\n3\n4\n";
	struct rec_log log;
	struct cs_error err;

	(void)state;
	memset(&log, 0, sizeof(log));
	log.stop_at = 2;
	assert_int_equal(cs_csv_read("t.csv", text, sizeof(text) - 1, 10, log_row, &log, &err),
			 CS_ECONFLICT);
	assert_string_equal(err.msg, "stopped at line 2");
	assert_int_equal(log.records, 2);
	assert_string_equal(log.text, "1:1\n");
}

static void test_csv_alloc_failure(void **state)
{
	static const char text[] = "h1,h2,h3\n\"long field with\nline break\",b,c\nd,e,f\n";
	struct rec_log log;
	struct cs_error err;
	enum cs_err rc;

	(void)state;
	for (long n = 0;; n++) {
		cs_alloc_fail_after(n);
		rc = READ(text, &log, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK)
			break;
		assert_int_equal(rc, CS_ENOMEM);
		assert_true(n < 100);
	}
	assert_int_equal(log.records, 3);
}

/* ---- the unit importer ---- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static enum cs_err parse(const char *text, struct cs_unit_set *set, struct cs_error *err)
{
	cs_unit_set_init(set);
	cs_error_clear(err);
	return cs_unit_csv_parse("units.csv", text, strlen(text), set, err);
}

/* Parses text and checks the error code and message; the set is released. */
static void expect_error(const char *text, enum cs_err code, const char *msg)
{
	struct cs_unit_set set;
	struct cs_error err;
	enum cs_err rc = parse(text, &set, &err);

	cs_unit_set_release(&set);
	if (rc != code || strcmp(err.msg, msg) != 0)
		fail_msg("input:\n%s\ngot %s \"%s\"\nexpected %s \"%s\"", text, cs_err_name(rc),
			 err.msg, cs_err_name(code), msg);
}

#define H "code,name,parent,level\n"
#define HA "code,name,parent,level,flags,valid_from,valid_to,successor\n"

static void test_good_file(void **state)
{
	struct cs_unit_set set;
	struct cs_error err;
	const struct cs_unit *u;
	size_t len;
	char *text = slurp(GOLDEN "good.csv", &len);

	(void)state;
	cs_unit_set_init(&set);
	assert_int_equal(cs_unit_csv_parse("good.csv", text, len, &set, &err), CS_OK);
	assert_int_equal(set.units.len, 6);

	u = cs_unit_set_at(&set, 0);
	assert_string_equal(u->code, "BCA");
	assert_string_equal(u->name, "B\xe1\xbb\x99 C\xc3\xb4ng an");
	assert_null(u->parent);
	assert_int_equal(u->level, CS_LEVEL_MINISTRY);
	assert_null(u->flags);
	assert_null(u->valid_from);
	assert_null(u->valid_to);
	assert_null(u->successor);
	assert_int_equal(u->id, 0);
	assert_string_equal(u->src.file, "good.csv");
	assert_int_equal(u->src.line, 2);
	assert_int_equal(u->src.col_code, 1);
	assert_int_equal(u->src.col_parent, 3);
	assert_int_equal(u->src.col_successor, 8);
	assert_int_equal(u->src.col_flags, 5);
	assert_int_equal(u->src.col_valid_from, 6);
	assert_int_equal(u->src.col_valid_to, 7);

	u = cs_unit_set_at(&set, 2);
	assert_string_equal(u->code, "PC06.HN");
	assert_string_equal(u->name, "Ph\xc3\xb2ng C\xe1\xba\xa3nh s\xc3\xa1t QLHC v\xe1\xbb\x81 "
				     "TTXH, C\xc3\xb4ng an th\xc3\xa0nh ph\xe1\xbb\x91 H\xc3\xa0 "
				     "N\xe1\xbb\x99i");
	assert_string_equal(u->parent, "CAT-HN");
	assert_int_equal(u->level, CS_LEVEL_DEPARTMENT);
	assert_string_equal(u->flags, "tthc;unranked");
	assert_string_equal(u->valid_from, "2020-01-01");
	assert_int_equal(u->src.line, 4);

	u = cs_unit_set_at(&set, 3);
	assert_int_equal(u->level, CS_LEVEL_DISTRICT);
	assert_string_equal(u->valid_from, "2008-07-01");

	u = cs_unit_set_at(&set, 4);
	assert_string_equal(u->code, "CAX-TD");
	assert_int_equal(u->level, CS_LEVEL_COMMUNE);
	assert_string_equal(u->valid_to, "2025-06-30");
	assert_string_equal(u->successor, "CAX-TD2");
	assert_int_equal(u->src.line, 6);

	cs_unit_set_release(&set);
	free(text);
}

static void test_excel_file(void **state)
{
	struct cs_unit_set set;
	struct cs_error err;
	const struct cs_unit *u;
	size_t len;
	char *text = slurp(GOLDEN "good-excel.csv", &len);

	(void)state;
	cs_unit_set_init(&set);
	assert_int_equal(cs_unit_csv_parse("good-excel.csv", text, len, &set, &err), CS_OK);
	assert_int_equal(set.units.len, 3);

	/* Typed with combining marks, stored precomposed (NFC). */
	u = cs_unit_set_at(&set, 0);
	assert_string_equal(u->code, "CAT-HG");
	assert_string_equal(u->name, "C\xc3\xb4ng an t\xe1\xbb\x89nh H\xc3\xa0 Giang");
	assert_null(u->parent);
	assert_int_equal(u->level, CS_LEVEL_PROVINCE);
	assert_int_equal(u->src.line, 2);
	assert_int_equal(u->src.col_code, 2);
	assert_int_equal(u->src.col_parent, 4);
	assert_int_equal(u->src.col_successor, 0);
	assert_int_equal(u->src.col_flags, 0);
	assert_int_equal(u->src.col_valid_from, 0);
	assert_int_equal(u->src.col_valid_to, 0);

	/* After a blank line, a name over two lines: one line once stored. */
	u = cs_unit_set_at(&set, 1);
	assert_string_equal(u->name, "C\xc3\xb4ng an huy\xe1\xbb\x87n \xc4\x90\xe1\xbb\x93ng "
				     "V\xc4\x83n (H\xc3\xa0 Giang)");
	assert_int_equal(u->src.line, 4);
	u = cs_unit_set_at(&set, 2);
	assert_string_equal(u->code, "CAX-LC");
	assert_string_equal(u->parent, "CAH-DV");
	assert_int_equal(u->src.line, 6);

	cs_unit_set_release(&set);
	free(text);
}

static void test_header_only(void **state)
{
	struct cs_unit_set set;
	struct cs_error err;

	(void)state;
	assert_int_equal(parse(HA, &set, &err), CS_OK);
	assert_int_equal(set.units.len, 0);
	cs_unit_set_release(&set);
	assert_int_equal(parse("code,name,parent,level", &set, &err), CS_OK);
	assert_int_equal(set.units.len, 0);
	cs_unit_set_release(&set);
}

static void test_normalisation(void **state)
{
	struct cs_unit_set set;
	struct cs_error err;
	const struct cs_unit *u;

	(void)state;
	assert_int_equal(
		parse(HA "  X1 ,\" Ho\xcc\x82 \t\",  , Commune , TTHC ; ;tthc;un-ranked_2;, "
			 " 13/11/2020 , ,B; A ;B;;\n"
			 "\"Y2\",\"Ho\xcc\x82\",X1,OTHER,,,,\n"
			 "Z3,\"S\xe1\xbb\x9f  N\xe1\xbb\x99i\tv\xe1\xbb\xa5 \n\",,other,,,,\n",
		      &set, &err),
		CS_OK);
	assert_int_equal(set.units.len, 3);
	u = cs_unit_set_at(&set, 0);
	assert_string_equal(u->code, "X1");
	assert_string_equal(u->name, "H\xc3\xb4");
	assert_null(u->parent);
	assert_int_equal(u->level, CS_LEVEL_COMMUNE);
	assert_string_equal(u->flags, "tthc;un-ranked_2");
	assert_string_equal(u->valid_from, "2020-11-13");
	assert_null(u->valid_to);
	assert_string_equal(u->successor, "B;A");
	u = cs_unit_set_at(&set, 1);
	assert_string_equal(u->name, "H\xc3\xb4");
	assert_string_equal(u->parent, "X1");
	assert_int_equal(u->level, CS_LEVEL_OTHER);
	assert_null(u->flags);
	assert_null(u->successor);
	assert_int_equal(u->src.line, 3);
	/* Inner runs of white space in a name become one space. */
	u = cs_unit_set_at(&set, 2);
	assert_string_equal(u->name, "S\xe1\xbb\x9f N\xe1\xbb\x99i v\xe1\xbb\xa5");
	assert_int_equal(u->src.line, 4);
	cs_unit_set_release(&set);
}

static void test_decomposed_equals_precomposed(void **state)
{
	struct cs_unit_set stored, in;
	struct cs_unit_plan plan;
	struct cs_unit u = {.code = "X1", .name = "H\xc3\xb4", .level = CS_LEVEL_OTHER, .id = 7};
	struct cs_error err;

	(void)state;
	cs_unit_set_init(&stored);
	assert_int_equal(cs_unit_set_add(&stored, &u, &err), CS_OK);
	assert_int_equal(parse(H "X1,Ho\xcc\x82,,other\n", &in, &err), CS_OK);
	cs_unit_plan_init(&plan);
	assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
	assert_int_equal(plan.unchanged, 1);
	assert_int_equal(plan.changed, 0);
	cs_unit_plan_release(&plan);
	cs_unit_set_release(&in);
	cs_unit_set_release(&stored);
}

static void test_skipped_rows(void **state)
{
	struct cs_unit_set set;
	struct cs_error err;

	(void)state;
	/* Blank lines and rows of empty cells, anywhere, are not units. */
	assert_int_equal(
		parse("\n\n" H ",,,\n\nA,a,,other\n , ,\t, \n,,,,,,\nB,b,A,other\n", &set, &err),
		CS_OK);
	assert_int_equal(set.units.len, 2);
	assert_int_equal(cs_unit_set_at(&set, 0)->src.line, 6);
	assert_int_equal(cs_unit_set_at(&set, 1)->src.line, 9);
	cs_unit_set_release(&set);
	/* The header's line is named when it is not the first. */
	expect_error("\n\ncode,name,parent\n", CS_EPARSE,
		     "units.csv:3: missing column 'level'; expected columns code,name,parent,level "
		     "and optionally flags,valid_from,valid_to,successor");
}

static void test_header_errors(void **state)
{
	(void)state;
	expect_error("code,name,level\n", CS_EPARSE,
		     "units.csv:1: missing column 'parent'; expected columns "
		     "code,name,parent,level and optionally flags,valid_from,valid_to,successor");
	expect_error("name,parent,level\n", CS_EPARSE,
		     "units.csv:1: missing column 'code'; expected columns "
		     "code,name,parent,level and optionally flags,valid_from,valid_to,successor");
	expect_error("code,name,parent,level,remarks\n", CS_EPARSE,
		     "units.csv:1:5: unknown column 'remarks'; expected columns "
		     "code,name,parent,level and optionally flags,valid_from,valid_to,successor");
	expect_error("code,name,,parent,level\n", CS_EPARSE,
		     "units.csv:1:3: column 3 of the header has no name; expected columns "
		     "code,name,parent,level and optionally flags,valid_from,valid_to,successor");
	expect_error("code,name,parent,level,CODE\n", CS_EPARSE,
		     "units.csv:1:5: duplicate column 'code' (first in column 1)");
	expect_error(
		"code;name;parent;level\n", CS_EPARSE,
		"units.csv:1: the header 'code;name;parent;level' is separated by ';'; save the "
		"file with ',' between columns (in Excel: CSV UTF-8, comma delimited)");
	expect_error("code,name,\"parent\xff\",level\n", CS_EUTF8,
		     "units.csv:1:3: invalid UTF-8 in the header at byte 7 of the field; save the "
		     "file as UTF-8");
	expect_error("", CS_EPARSE,
		     "units.csv:1: empty file; expected a header row with columns "
		     "code,name,parent,level");
	expect_error("\xEF\xBB\xBF\r\n", CS_EPARSE,
		     "units.csv:1: empty file; expected a header row with columns "
		     "code,name,parent,level");
}

static void test_row_errors(void **state)
{
	char text[2048];

	(void)state;
	expect_error(H "A,a,,other,extra\n", CS_EPARSE,
		     "units.csv:2: row has 5 fields; expected 4, one per header column");
	expect_error(H "A\n", CS_EPARSE,
		     "units.csv:2: row has 1 field; expected 4, one per header column");
	expect_error(H "A,\"Ha\nNoi\",,other\nB,b,,oth\n", CS_EPARSE,
		     "units.csv:4:4: unknown level 'oth'; expected one of ministry, province, "
		     "department, district, commune, other");
	expect_error(H "A,a,,\n", CS_EPARSE,
		     "units.csv:2:4: empty level of unit 'A'; expected one of ministry, province, "
		     "department, district, commune, other");
	expect_error(H ",a,,other\n", CS_EPARSE,
		     "units.csv:2:1: empty code; codes may use only letters A-Z a-z, digits 0-9, "
		     "'.', '_' and '-'");
	expect_error(H "C\xc3\xb4,a,,other\n", CS_EPARSE,
		     "units.csv:2:1: code 'C\xc3\xb4' has the character '\xc3\xb4' (U+00F4); codes "
		     "may use only letters A-Z a-z, digits 0-9, '.', '_' and '-'");
	expect_error(H "\"A\tB\",a,,other\n", CS_EPARSE,
		     "units.csv:2:1: code 'A\\x09B' has the character U+0009; codes may use only "
		     "letters A-Z a-z, digits 0-9, '.', '_' and '-'");
	expect_error(
		H "A,a,P/Q,other\n", CS_EPARSE,
		"units.csv:2:3: parent 'P/Q' has the character '/'; codes may use only letters "
		"A-Z a-z, digits 0-9, '.', '_' and '-'");
	expect_error("level,name,code,parent\nother,a,A,\nother,b,B,A\nother,c,A,\n", CS_EPARSE,
		     "units.csv:4:3: duplicate code 'A' (first at line 2)");
	expect_error(H "A,\"\",,other\n", CS_EPARSE, "units.csv:2:2: empty name of unit 'A'");
	expect_error(H "A,\"\r\n\t\",,other\n", CS_EPARSE, "units.csv:2:2: empty name of unit 'A'");
	expect_error(H "A,a\x01,,other\n", CS_EPARSE,
		     "units.csv:2:2: name of unit 'A' has the character U+0001");
	expect_error(H "A,x,,other\nB,C\xf4ng,,other\n", CS_EUTF8,
		     "units.csv:3:2: invalid UTF-8 in column 'name' at byte 2 of the field; save "
		     "the file as UTF-8");
	/* Spaces inside quotes are part of the field and count. */
	expect_error("name,code,parent,level\n\xc3\xa9,A,\"  \xe0\x80\xaf\",other\n", CS_EUTF8,
		     "units.csv:2:3: invalid UTF-8 in column 'parent' at byte 3 of the field; save "
		     "the file as UTF-8");
	expect_error(HA "A,a,,other,,2020-1-1,,\n", CS_EPARSE,
		     "units.csv:2:6: valid_from of unit 'A': '2020-1-1' is not a date; expected "
		     "YYYY-MM-DD or DD/MM/YYYY");
	expect_error(HA "A,a,,other,,,2023-02-29,\n", CS_EPARSE,
		     "units.csv:2:7: valid_to of unit 'A': '2023-02-29' is not a day of the "
		     "calendar");
	expect_error(HA "A,a,,other,,02/01/2020,01/01/2020,\n", CS_EPARSE,
		     "units.csv:2:7: unit 'A' is valid from 2020-01-02, after its valid_to "
		     "2020-01-01; expected valid_from on or before valid_to");
	expect_error(HA "A,a,,other,tthc;x!,,,\n", CS_EPARSE,
		     "units.csv:2:5: flag 'x!' of unit 'A' has the character '!'; flags may use "
		     "only letters a-z, digits 0-9, '_' and '-'");
	expect_error(HA "A,a,,other,,,,B;C D\n", CS_EPARSE,
		     "units.csv:2:8: successor 'C D' has the character ' '; codes may use only "
		     "letters A-Z a-z, digits 0-9, '.', '_' and '-'");

	/* Lengths: a 64-byte code and a 500-byte name are the largest. */
	snprintf(text, sizeof(text), H "%.64s,%.500s,,other\n%.65s,b,,other\n",
		 "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC",
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
		 "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD");
	expect_error(
		text, CS_EPARSE,
		"units.csv:3:1: code 'DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD...' is 65 bytes "
		"long; at most 64");
	snprintf(text, sizeof(text), H "A,%.501s,,other\n",
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn");
	expect_error(text, CS_EPARSE,
		     "units.csv:2:2: name of unit 'A' is 501 bytes long; at most 500");
	/* A long bad value is cut in the message, on a character boundary. */
	expect_error(
		H "A,a,,\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4"
		  "\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91"
		  "\xc4\x91\xc4\x91\xc4\x91\n",
		CS_EPARSE,
		"units.csv:2:4: unknown level '\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91"
		"\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91\xc4"
		"\x91\xc4\x91\xc4\x91\xc4\x91\xc4\x91...'; expected one of ministry, province, "
		"department, district, commune, other");
}

static void test_too_big(void **state)
{
	struct cs_unit_set set;
	struct cs_error err;

	(void)state;
	/* The size is checked before the data is read. */
	cs_unit_set_init(&set);
	assert_int_equal(cs_unit_csv_parse("units.csv", H, (size_t)CS_UNIT_CSV_MAX + 1, &set, &err),
			 CS_ETOOBIG);
	assert_string_equal(err.msg, "units.csv: the file is 67108865 bytes; unit files of at "
				     "most 67108864 bytes are accepted");
	cs_unit_set_release(&set);
}

/* Every tests/golden/units/X.csv with an X.err: parse, plan against an empty database. */
static void test_golden_errors(void **state)
{
	static const struct {
		const char *name;
		enum cs_err code;
	} cases[] = {
		{"bad-code", CS_EPARSE},	  {"bad-date", CS_EPARSE},
		{"bad-flag", CS_EPARSE},	  {"bad-quote", CS_EPARSE},
		{"bad-utf8", CS_EUTF8},		  {"cycle", CS_EPARSE},
		{"dates-reversed", CS_EPARSE},	  {"duplicate-code", CS_EPARSE},
		{"duplicate-column", CS_EPARSE},  {"empty", CS_EPARSE},
		{"empty-name", CS_EPARSE},	  {"field-count", CS_EPARSE},
		{"missing-column", CS_EPARSE},	  {"multiline-bad-level", CS_EPARSE},
		{"self-parent", CS_EPARSE},	  {"semicolon", CS_EPARSE},
		{"unclosed-quote", CS_EPARSE},	  {"unknown-column", CS_EPARSE},
		{"unknown-level", CS_EPARSE},	  {"unknown-parent", CS_EPARSE},
		{"unknown-successor", CS_EPARSE}, {"utf16", CS_EUTF8},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512], name[64];
		struct cs_unit_set stored, in;
		struct cs_unit_plan plan;
		struct cs_error err;
		size_t len, elen;
		char *text, *expected;
		enum cs_err rc;

		snprintf(name, sizeof(name), "%s.csv", cases[i].name);
		snprintf(path, sizeof(path), GOLDEN "%s.csv", cases[i].name);
		text = slurp(path, &len);
		snprintf(path, sizeof(path), GOLDEN "%s.err", cases[i].name);
		expected = slurp(path, &elen);
		while (elen && expected[elen - 1] == '\n')
			expected[--elen] = '\0';

		cs_unit_set_init(&stored);
		cs_unit_set_init(&in);
		cs_unit_plan_init(&plan);
		cs_error_clear(&err);
		rc = cs_unit_csv_parse(name, text, len, &in, &err);
		if (!rc)
			rc = cs_unit_plan_make(&stored, &in, &plan, &err);
		if (rc != cases[i].code || strcmp(err.msg, expected) != 0)
			fail_msg("%s: got %s \"%s\"\nexpected %s \"%s\"", name, cs_err_name(rc),
				 err.msg, cs_err_name(cases[i].code), expected);
		cs_unit_plan_release(&plan);
		cs_unit_set_release(&in);
		cs_unit_set_release(&stored);
		free(text);
		free(expected);
	}
}

static void test_golden_good_plans(void **state)
{
	static const struct {
		const char *name;
		size_t units;
	} cases[] = {{"good", 6}, {"good-excel", 3}, {"header-only", 0}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512];
		struct cs_unit_set stored, in;
		struct cs_unit_plan plan;
		struct cs_error err;
		size_t len;
		char *text;

		snprintf(path, sizeof(path), GOLDEN "%s.csv", cases[i].name);
		text = slurp(path, &len);
		cs_unit_set_init(&stored);
		cs_unit_set_init(&in);
		cs_unit_plan_init(&plan);
		assert_int_equal(cs_unit_csv_parse(path, text, len, &in, &err), CS_OK);
		assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
		assert_int_equal(plan.added, cases[i].units);
		assert_int_equal(plan.changes.len, cases[i].units);
		/* Importing the same file again changes nothing. */
		for (size_t k = 0; k < in.units.len; k++)
			assert_int_equal(cs_unit_set_add(&stored, cs_unit_set_at(&in, k), &err),
					 CS_OK);
		assert_int_equal(cs_unit_plan_make(&stored, &in, &plan, &err), CS_OK);
		assert_int_equal(plan.added, 0);
		assert_int_equal(plan.unchanged, cases[i].units);
		cs_unit_plan_release(&plan);
		cs_unit_set_release(&in);
		cs_unit_set_release(&stored);
		free(text);
	}
}

static void test_parse_alloc_failure(void **state)
{
	static const char *const files[] = {"good.csv", "good-excel.csv"};

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char path[512];
		size_t len, want = i == 0 ? 6 : 3;
		char *text;

		snprintf(path, sizeof(path), GOLDEN "%s", files[i]);
		text = slurp(path, &len);
		for (long n = 0;; n++) {
			struct cs_unit_set set;
			struct cs_error err;
			enum cs_err rc;

			cs_unit_set_init(&set);
			cs_alloc_fail_after(n);
			rc = cs_unit_csv_parse(files[i], text, len, &set, &err);
			cs_alloc_fail_after(-1);
			if (rc == CS_OK) {
				assert_int_equal(set.units.len, want);
				cs_unit_set_release(&set);
				break;
			}
			if (rc != CS_ENOMEM)
				fail_msg("%s, %ld allocations: %s %s", files[i], n, cs_err_name(rc),
					 err.msg);
			assert_true(n < 1000);
			cs_unit_set_release(&set);
		}
		free(text);
	}
}

/* Many units: the duplicate check stays linear (a hash of codes). */
static void test_many_units(void **state)
{
	enum {
		N = 30000
	};
	struct cs_buf b;
	struct cs_unit_set set;
	struct cs_error err;

	(void)state;
	cs_buf_init(&b, SIZE_MAX / 2);
	assert_int_equal(cs_buf_addstr(&b, H, &err), CS_OK);
	for (int i = 0; i < N; i++)
		assert_int_equal(
			cs_buf_addf(&b, &err, "U%05d,Unit %d,%s,other\n", i, i, i ? "U00000" : ""),
			CS_OK);
	assert_int_equal(cs_buf_addstr(&b, "U12345,again,,other\n", &err), CS_OK);
	cs_unit_set_init(&set);
	assert_int_equal(cs_unit_csv_parse("units.csv", b.data, b.len, &set, &err), CS_EPARSE);
	assert_string_equal(err.msg, "units.csv:30002:1: duplicate code 'U12345' (first at line "
				     "12347)");
	assert_int_equal(set.units.len, N);
	cs_unit_set_release(&set);
	cs_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_lines),
		cmocka_unit_test(test_csv_line_endings),
		cmocka_unit_test(test_csv_empty),
		cmocka_unit_test(test_csv_quote_errors),
		cmocka_unit_test(test_csv_limits),
		cmocka_unit_test(test_csv_not_text),
		cmocka_unit_test(test_csv_callback_stops),
		cmocka_unit_test(test_csv_alloc_failure),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_excel_file),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_normalisation),
		cmocka_unit_test(test_decomposed_equals_precomposed),
		cmocka_unit_test(test_skipped_rows),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_row_errors),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_golden_errors),
		cmocka_unit_test(test_golden_good_plans),
		cmocka_unit_test(test_parse_alloc_failure),
		cmocka_unit_test(test_many_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
