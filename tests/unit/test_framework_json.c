/*
 * Tests of the PAR framework JSON reader and writer (io/framework_json): the
 * example framework field by field, byte-identical round trips of every file
 * in data/frameworks, every message of tests/golden/frameworks, the limits,
 * and out-of-memory paths.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/framework_json.h"
#include "io/framework_table.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/vec.h"

#define DATA CHISO_SOURCE_DIR "/data/frameworks/"
#define GOLDEN CHISO_SOURCE_DIR "/tests/golden/frameworks/"

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

/* Parses text; on failure returns the code with the message in err. */
static enum cs_err parse(const char *text, struct cs_framework **fw, struct cs_error *err)
{
	cs_error_clear(err);
	return cs_framework_json_parse("t.json", text, strlen(text), fw, NULL, err);
}

/* Parses text that must fail with code and exactly msg. */
static void expect_parse_error(const char *text, enum cs_err code, const char *msg)
{
	struct cs_framework *fw = (struct cs_framework *)&fw;
	struct cs_error err;

	assert_int_equal(parse(text, &fw, &err), code);
	assert_null(fw);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
}

/* Writes fw to a malloc'd string. */
static char *write_json(const struct cs_framework *fw, const struct cs_fw_meta *meta)
{
	struct cs_buf b;
	struct cs_error err;
	char *s;

	cs_buf_init(&b, 1u << 26);
	assert_int_equal(cs_framework_json_write(fw, meta, &b, &err), CS_OK);
	s = strdup(b.data);
	assert_non_null(s);
	cs_buf_release(&b);
	return s;
}

static void test_number_format(void **state)
{
	static const struct {
		double v;
		const char *s;
	} cases[] = {
		{100, "100"},
		{14.5, "14.5"},
		{0.1, "0.1"},
		{0.25, "0.25"},
		{-3, "-3"},
		{-0.0, "0"},
		{1e-7, "1e-07"},
		{1e20, "1e+20"},
		{123456789012.0, "123456789012"},
		{0.1 + 0.2, "0.30000000000000004"},
		{2.0 / 3.0, "0.6666666666666666"},
		{1e16, "10000000000000000"},
		{1e17, "1e+17"},
	};
	char out[CS_FW_NUMBER_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cs_fw_number_format(cases[i].v, out);
		assert_string_equal(out, cases[i].s);
		assert_true(strtod(out, NULL) == cases[i].v);
	}
	cs_fw_number_format(NAN, out);
	assert_string_equal(out, "nan");
}

static void test_code_valid(void **state)
{
	(void)state;
	assert_true(cs_fw_code_valid("A1.2_b-c", 8));
	assert_false(cs_fw_code_valid("", 0));
	assert_false(cs_fw_code_valid("A 1", 3));
	assert_false(cs_fw_code_valid("Ô", 2));
	assert_true(cs_fw_code_valid(
		"0123456789012345678901234567890123456789012345678901234567890123", 64));
	assert_false(cs_fw_code_valid(
		"01234567890123456789012345678901234567890123456789012345678901234", 65));
}

static void test_example(void **state)
{
	struct cs_framework *fw = NULL;
	struct cs_fw_meta meta;
	struct cs_error err;
	const struct cs_fw_node *n;
	size_t len, i;
	char *text = slurp(DATA "example-small.json", &len);

	(void)state;
	assert_int_equal(cs_framework_json_parse("example-small.json", text, len, &fw, &meta, &err),
			 CS_OK);
	assert_int_equal(cs_framework_validate(fw, &err), CS_OK);
	assert_string_equal(cs_framework_info(fw)->code, "example-small");
	assert_string_equal(cs_framework_info(fw)->version, "2024");
	assert_int_equal(cs_framework_node_count(fw), 13);
	assert_true(cs_framework_total_max(fw) == 100);
	assert_false(meta.is_template);
	assert_non_null(meta.note);
	assert_int_equal(cs_framework_band_count(fw), 5);
	assert_string_equal(cs_framework_band(fw, 0)->label_vi, "Xuất sắc");
	assert_true(cs_framework_band(fw, 4)->lo == 0 && cs_framework_band(fw, 4)->hi == 50);
	assert_int_equal(cs_framework_tiebreak_count(fw), 1);
	assert_string_equal(cs_framework_tiebreak(fw, 0)->node, "A");
	assert_string_equal(cs_framework_unranked_flag(fw), "unranked");

	assert_true(cs_framework_find(fw, "B.1", &i));
	n = cs_framework_node(fw, i);
	assert_string_equal(n->parent_code, "B");
	assert_string_equal(n->rule_name, "steps");
	assert_int_equal(n->nparams, 2);
	assert_string_equal(n->params[0].key, "bounds");
	assert_string_equal(n->params[0].value, "1,0.95,0.9");
	assert_string_equal(n->params[1].value, "1,0.75,0.5");
	assert_int_equal(n->rule_params->nsteps, 3);

	assert_true(cs_framework_find(fw, "B", &i));
	n = cs_framework_node(fw, i);
	assert_int_equal(n->napplies, 1);
	assert_int_equal(n->applies[0].kind, CS_APPLIES_FLAG);
	assert_string_equal(n->applies[0].flag, "tthc");

	assert_true(cs_framework_find(fw, "B.3", &i));
	assert_int_equal(cs_framework_node(fw, i)->source, CS_SOURCE_SURVEY);
	assert_true(cs_framework_find(fw, "Y", &i));
	assert_int_equal(cs_framework_node(fw, i)->source, CS_SOURCE_PENALTY);
	assert_true(cs_framework_node(fw, i)->max == 5);

	cs_fw_meta_release(&meta);
	assert_null(meta.note);
	cs_fw_meta_release(NULL);
	cs_framework_free(fw);
	free(text);
}

/* Every shipped framework validates and is in canonical form. */
static void test_data_round_trip(void **state)
{
	DIR *d = opendir(DATA);
	struct dirent *e;
	int files = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024], *text, *again;
		struct cs_framework *fw = NULL;
		struct cs_fw_meta meta;
		struct cs_error err;
		size_t len, nl = strlen(e->d_name);

		if (nl < 5 || strcmp(e->d_name + nl - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), DATA "%s", e->d_name);
		text = slurp(path, &len);
		if (cs_framework_json_parse(e->d_name, text, len, &fw, &meta, &err))
			fail_msg("%s", err.msg);
		if (cs_framework_validate(fw, &err))
			fail_msg("%s", err.msg);
		again = write_json(fw, &meta);
		if (strcmp(again, text) != 0)
			fail_msg("%s is not in canonical form", e->d_name);
		/* Files that stand for official frameworks are templates until
		 * their points are completed; examples and demo files are not. */
		if (strncmp(e->d_name, "example", 7) != 0 && strncmp(e->d_name, "demo", 4) != 0)
			assert_true(meta.is_template);
		free(again);
		free(text);
		cs_fw_meta_release(&meta);
		cs_framework_free(fw);
		files++;
	}
	closedir(d);
	assert_true(files >= 5); /* the shipped files; more may be added */
}

/* Input in any accepted form writes the canonical form, which reads back to itself. */
static void test_canonical(void **state)
{
	static const char in[] =
		"\xef\xbb\xbf{\"nodes\": [{\"title\": \"Ho\xcc\x82\\u0300 so\", \"code\": \"A\"},"
		" {\"code\": \"A.1\", \"parent\": \"A\", \"max_points\": 1e1, \"source\": \"Self\","
		" \"rule\": \"steps\", \"params\": {\"bounds\": [1.0, 0.80], \"points\": "
		"\"1,0.5\"},"
		" \"applies_to\": {\"not_flags\": [\"X\"], \"levels\": [\"Commune\"]}}],"
		" \"version\": \"v1\", \"code\": \"c\", \"template\": true, \"note\": "
		"\"line\\nnext\","
		" \"options\": {\"ranking\": {\"unranked_flag\": null, \"tie_breakers\":"
		" [{\"node\": \"A.1\", \"lower_is_better\": true}]}, \"rounding\": {\"mode\": "
		"\"truncate\"}}}";
	static const char want[] =
		"{\n"
		"  \"format\": \"chiso-par-framework\",\n"
		"  \"format_version\": 1,\n"
		"  \"code\": \"c\",\n"
		"  \"version\": \"v1\",\n"
		"  \"title\": \"\",\n"
		"  \"decision\": \"\",\n"
		"  \"template\": true,\n"
		"  \"note\": \"line\\nnext\",\n"
		"  \"options\": {\n"
		"    \"rounding\": {\"mode\": \"truncate\", \"decimals\": 2},\n"
		"    \"ranking\": {\"method\": \"competition\", \"scope\": \"all\", "
		"\"full_precision\": "
		"false, \"unranked_flag\": null, \"tie_breakers\": [{\"node\": \"A.1\", "
		"\"lower_is_better\": true}]},\n"
		"    \"not_applicable\": \"exclude\"\n"
		"  },\n"
		"  \"bands\": [],\n"
		"  \"nodes\": [\n"
		"    {\"code\": \"A\", \"title\": \"H\xe1\xbb\x93 so\"},\n"
		"    {\"code\": \"A.1\", \"parent\": \"A\", \"title\": \"\", \"max_points\": 10, "
		"\"source\": \"self\", \"rule\": \"steps\", \"params\": {\"bounds\": [1, 0.8], "
		"\"points\": [1, 0.5]}, \"applies_to\": {\"levels\": [\"commune\"], \"not_flags\": "
		"[\"x\"]}}\n"
		"  ]\n"
		"}\n";
	struct cs_framework *fw = NULL, *fw2 = NULL;
	struct cs_fw_meta meta, meta2;
	struct cs_error err;
	char *out, *out2;

	(void)state;
	assert_int_equal(cs_framework_json_parse("t.json", in, sizeof(in) - 1, &fw, &meta, &err),
			 CS_OK);
	assert_int_equal(cs_framework_validate(fw, &err), CS_OK);
	assert_int_equal(cs_framework_options(fw)->rounding.mode, CS_ROUND_TRUNCATE);
	assert_null(cs_framework_unranked_flag(fw));
	out = write_json(fw, &meta);
	assert_string_equal(out, want);
	assert_int_equal(cs_framework_json_parse("t.json", out, strlen(out), &fw2, &meta2, &err),
			 CS_OK);
	out2 = write_json(fw2, &meta2);
	assert_string_equal(out2, out);
	free(out);
	free(out2);
	cs_fw_meta_release(&meta);
	cs_fw_meta_release(&meta2);
	cs_framework_free(fw);
	cs_framework_free(fw2);
}

/*
 * The messages for a golden file: the reader's one message, or every
 * validation problem with the file name in front, one per line.
 */
static void golden_messages(const char *name, const char *text, size_t len, struct cs_buf *out)
{
	struct cs_framework *fw = NULL;
	struct cs_error err;
	struct cs_vec problems;
	enum cs_err rc;

	rc = cs_framework_json_parse(name, text, len, &fw, NULL, &err);
	if (rc) {
		assert_int_equal(cs_buf_addf(out, NULL, "%s\n", err.msg), CS_OK);
		return;
	}
	cs_vec_init(&problems, sizeof(struct cs_error), 100);
	rc = cs_framework_validate_all(fw, &problems, &err);
	assert_int_equal(rc, problems.len ? CS_EINVAL : CS_OK);
	cs_framework_table_locate(name, fw, NULL, &problems);
	for (size_t i = 0; i < problems.len; i++)
		assert_int_equal(cs_buf_addf(out, NULL, "%s\n",
					     ((struct cs_error *)cs_vec_at(&problems, i))->msg),
				 CS_OK);
	cs_vec_release(&problems);
	cs_framework_free(fw);
}

static void test_golden(void **state)
{
	DIR *d = opendir(GOLDEN);
	struct dirent *e;
	int cases = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024], *text, *want;
		size_t len, wlen, nl = strlen(e->d_name);
		struct cs_buf got;

		if (nl < 5 || strcmp(e->d_name + nl - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), GOLDEN "%s.err", e->d_name);
		want = slurp(path, &wlen);
		snprintf(path, sizeof(path), GOLDEN "%s", e->d_name);
		text = slurp(path, &len);
		cs_buf_init(&got, 1u << 20);
		golden_messages(e->d_name, text, len, &got);
		if (strcmp(got.data, want) != 0)
			fail_msg("%s:\n got: %s\nwant: %s", e->d_name, got.data, want);
		cs_buf_release(&got);
		free(text);
		free(want);
		cases++;
	}
	closedir(d);
	assert_true(cases >= 19);
}

static void test_errors(void **state)
{
	static const struct {
		const char *text;
		enum cs_err code;
		const char *msg;
	} cases[] = {
		{"{\"code\": \"c\", \"version\": \"1\"}", CS_EPARSE,
		 "t.json: nodes: missing (expected an array of nodes)"},
		{"{\"version\": \"1\", \"nodes\": []}", CS_EPARSE,
		 "t.json: code: missing (expected a code of 1 to 64 letters A-Z a-z, digits 0-9, "
		 "'.', '_' or '-')"},
		{"{\"format\": \"chiso-questionnaire\", \"code\": \"c\", \"version\": \"1\", "
		 "\"nodes\": []}",
		 CS_EPARSE,
		 "t.json: format: 'chiso-questionnaire' is not a PAR framework (expected "
		 "\"chiso-par-framework\")"},
		{"{\"format_version\": 2, \"code\": \"c\", \"version\": \"1\", \"nodes\": []}",
		 CS_EPARSE,
		 "t.json: format_version: expected 1 (the version of the format this chiso reads), "
		 "found 2"},
		{"{\"code\": \"c\", \"version\": \"1\", \"nodes\": {}}", CS_EPARSE,
		 "t.json: nodes: expected an array of nodes, found an object"},
		{"{\"code\": \"c\", \"version\": \"1\", \"nodes\": [7]}", CS_EPARSE,
		 "t.json: nodes[0]: expected a node such as {\"code\": \"A1\", \"max_points\": "
		 "10}, "
		 "found 7"},
		{"{\"code\": \"c\", \"version\": \"1\", \"title\": \"a\\nb\", \"nodes\": []}",
		 CS_EPARSE,
		 "t.json: title: control character U+000A at byte 2 (expected one line of text)"},
		{"{\"code\": \"c\", \"version\": \"1\", \"template\": \"yes\", \"nodes\": []}",
		 CS_EPARSE, "t.json: template: expected true or false, found \"yes\""},
		{"{\"code\": \"c\", \"version\": \"1\", \"nodes\": [{\"code\": \"A\", \"params\": "
		 "{\"bounds\": [1, \"x\"]}}]}",
		 CS_EPARSE,
		 "t.json: nodes[0].params.bounds[1] (node 'A'): expected a number, found \"x\""},
		{"{\"code\": \"c\", \"version\": \"1\", \"nodes\": [{\"code\": \"A\", \"params\": "
		 "{\"t\": \"0.8;x\"}}]}",
		 CS_EPARSE,
		 "t.json: nodes[0].params.t (node 'A'): expected a number, an array of numbers or "
		 "a "
		 "string without ';', found \"0.8;x\""},
		{"{\"code\": \"c\", \"version\": \"1\", \"nodes\": [{\"code\": \"A\", \"params\": "
		 "{\"a b\": 1}}]}",
		 CS_EPARSE,
		 "t.json: nodes[0].params.a b (node 'A'): a parameter name may use only letters, "
		 "digits and '_'"},
		{"{\"code\": \"c\", \"version\": \"1\", \"nodes\": [{\"code\": \"A\", "
		 "\"applies_to\": "
		 "{\"flags\": [\"t t\"]}}]}",
		 CS_EPARSE,
		 "t.json: nodes[0].applies_to.flags[0] (node 'A'): expected a flag name of letters "
		 "a-z, digits 0-9, '_' or '-', found \"t t\""},
		{"{\"code\": \"c\", \"version\": \"1\", \"nodes\": [{\"code\": \"A\", \"source\": "
		 "\"tự chấm\"}]}",
		 CS_EPARSE,
		 "t.json: nodes[0].source (node 'A'): expected a source: self, survey, data, bonus "
		 "or penalty, found \"tự chấm\""},
		{"{\"code\": \"c\", \"version\": \"1\", \"options\": {\"ranking\": {\"method\": "
		 "\"olympic\"}}, \"nodes\": []}",
		 CS_EPARSE,
		 "t.json: options.ranking.method: unknown ranking method \"olympic\" (expected "
		 "competition or dense)"},
		{"{\"code\": \"c\", \"version\": \"1\", \"options\": {\"rounding\": {\"decimals\": "
		 "12}}, \"nodes\": []}",
		 CS_EPARSE,
		 "t.json: options.rounding.decimals: expected a whole number of decimals from 0 to "
		 "9, found 12"},
		{"{\"code\": \"c\", \"version\": \"1\", \"options\": {\"ranking\": "
		 "{\"tie_breakers\": "
		 "[{\"node\": \"A\", \"lower\": true}]}}, \"nodes\": []}",
		 CS_EPARSE,
		 "t.json: options.ranking.tie_breakers[0]: unknown member \"lower\" (expected one "
		 "of "
		 "node, lower_is_better)"},
		{"{\"code\": \"c\", \"version\": \"1\", \"options\": {\"ranking\": "
		 "{\"unranked_flag\": "
		 "\"\"}}, \"nodes\": []}",
		 CS_EPARSE,
		 "t.json: options.ranking.unranked_flag: expected a flag name of letters a-z, "
		 "digits "
		 "0-9, '_' or '-' or null for none, found \"\""},
		{"{\"code\": \"c\", \"version\": \"1\", \"options\": {\"not_applicable\": "
		 "\"skip\"}, "
		 "\"nodes\": []}",
		 CS_EPARSE,
		 "t.json: options.not_applicable: unknown not-applicable policy \"skip\" (expected "
		 "exclude or zero)"},
		{"{\"code\": \"c\", \"version\": \"1\", \"bands\": [{\"code\": \"A\", \"from\": "
		 "90}], "
		 "\"nodes\": []}",
		 CS_EPARSE,
		 "t.json: bands[0].to: missing (expected the upper bound, a number from 0 to 100)"},
		{"{\"code\": \"c\", \"code\": \"d\"}", CS_EPARSE,
		 "t.json:1:20: invalid JSON: duplicate object key near '\"code\"'"},
		{"{\"code\": \"c\", \"version\": \"1\", \"options\": 5, \"nodes\": []}", CS_EPARSE,
		 "t.json: options: expected an object, found 5"},
		{"{\"code\": \"c\", \"version\": \"1\", \"bands\": {}, \"nodes\": []}", CS_EPARSE,
		 "t.json: bands: expected an array of bands, found an object"},
		{"{\"code\": \"c\", \"version\": \"1\", \"options\": {\"rounding\": 2}, "
		 "\"nodes\": []}",
		 CS_EPARSE,
		 "t.json: options.rounding: expected an object such as {\"mode\": \"half_away\", "
		 "\"decimals\": 2}, found 2"},
		{"{\"code\": \"c\"} x", CS_EPARSE,
		 "t.json:1:15: invalid JSON: end of file expected near 'x'"},
		{"{\"code\": \"\xff\"}", CS_EUTF8,
		 "t.json:1:10: invalid UTF-8 (save the file as UTF-8)"},
		{"{\"code\": \"a\\u0000\"}", CS_EPARSE,
		 "t.json:1:18: a \\u0000 character is not allowed in text"},
		{"{\"code\": \"c\", \"version\": \"1\", \"nodes\": [{\"code\": \"A\", \"title\": "
		 "\"\\u0001\"}]}",
		 CS_EPARSE,
		 "t.json: nodes[0].title (node 'A'): control character U+0001 at byte 1 (expected "
		 "one line of text)"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cs_framework *fw = NULL;
		struct cs_error err;
		enum cs_err rc = parse(cases[i].text, &fw, &err);

		if (rc != cases[i].code || strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("case %zu: got %s '%s'", i, cs_err_name(rc), err.msg);
		assert_null(fw);
	}
}

static void test_limits(void **state)
{
	struct cs_framework *fw = NULL;
	struct cs_error err;
	size_t n = CS_FW_JSON_MAX + 1;
	char *big = malloc(n), *title;
	struct cs_buf b;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	assert_int_equal(cs_framework_json_parse("big.json", big, n, &fw, NULL, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "big.json: 16777217 bytes is larger than the limit of "
				     "16777216 bytes");
	free(big);

	/* A title one byte over the limit. */
	title = malloc(CS_FW_TEXT_MAX + 2);
	assert_non_null(title);
	memset(title, 'x', CS_FW_TEXT_MAX + 1);
	title[CS_FW_TEXT_MAX + 1] = '\0';
	cs_buf_init(&b, 1u << 20);
	assert_int_equal(cs_buf_addf(&b, NULL,
				     "{\"code\": \"c\", \"version\": \"1\", \"title\": \"%s\", "
				     "\"nodes\": []}",
				     title),
			 CS_OK);
	assert_int_equal(parse(b.data, &fw, &err), CS_ETOOBIG);
	assert_string_equal(err.msg, "t.json: title: text of 2001 bytes is longer than 2000 bytes");
	cs_buf_release(&b);
	free(title);

	/* Too many parameters for one node. */
	expect_parse_error(
		"{\"code\": \"c\", \"version\": \"1\", \"nodes\": [{\"code\": \"A\", \"params\": "
		"{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"j\":1,"
		"\"k\":1,\"l\":1,\"m\":1,\"n\":1,\"o\":1,\"p\":1,\"q\":1}}]}",
		CS_ETOOBIG, "t.json: nodes[0].params (node 'A'): 17 rule parameters (at most 16)");
}

/* The writer refuses what it cannot write as JSON. */
static void test_write_errors(void **state)
{
	struct cs_fw_info info = {"c", "", "", "1"};
	struct cs_fw_node_spec spec = {
		.code = "A", .max = INFINITY, .source = "self", .rule = "manual"};
	struct cs_framework *fw = cs_framework_new(&info, NULL);
	struct cs_error err;
	struct cs_buf b;

	(void)state;
	assert_non_null(fw);
	assert_int_equal(cs_framework_add_node(fw, &spec, NULL, NULL), CS_OK);
	cs_buf_init(&b, 1u << 20);
	assert_int_equal(cs_framework_json_write(fw, NULL, &b, &err), CS_EINVAL);
	assert_string_equal(err.msg, "node 'A': inf is not a finite number");
	cs_buf_release(&b);

	/* A cap on the output. */
	cs_buf_init(&b, 100);
	assert_int_equal(cs_framework_json_write(fw, NULL, &b, &err), CS_ETOOBIG);
	cs_buf_release(&b);
	cs_framework_free(fw);
}

static void test_alloc_failure(void **state)
{
	size_t len;
	char *text = slurp(DATA "example-small.json", &len);
	long n;

	(void)state;
	for (n = 0;; n++) {
		struct cs_framework *fw = NULL;
		struct cs_fw_meta meta = {0};
		struct cs_error err;
		enum cs_err rc;

		cs_alloc_fail_after(n);
		rc = cs_framework_json_parse("x.json", text, len, &fw, &meta, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			char *out = write_json(fw, &meta);

			assert_string_equal(out, text);
			free(out);
			cs_fw_meta_release(&meta);
			cs_framework_free(fw);
			break;
		}
		if (rc != CS_ENOMEM)
			fail_msg("allocation %ld: %s %s", n, cs_err_name(rc), err.msg);
		assert_null(fw);
		assert_null(meta.note);
		assert_true(n < 5000);
	}
	assert_true(n > 10);

	/* The writer, on a framework read beforehand. */
	{
		struct cs_framework *fw = NULL;
		struct cs_fw_meta meta;
		struct cs_error err;

		assert_int_equal(cs_framework_json_parse("x.json", text, len, &fw, &meta, &err),
				 CS_OK);
		for (n = 0;; n++) {
			struct cs_buf b;
			enum cs_err rc;

			cs_buf_init(&b, 1u << 20);
			cs_alloc_fail_after(n);
			rc = cs_framework_json_write(fw, &meta, &b, &err);
			cs_alloc_fail_after(-1);
			cs_buf_release(&b);
			if (rc == CS_OK)
				break;
			assert_int_equal(rc, CS_ENOMEM);
			assert_true(n < 100);
		}
		cs_fw_meta_release(&meta);
		cs_framework_free(fw);
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number_format), cmocka_unit_test(test_code_valid),
		cmocka_unit_test(test_example),	      cmocka_unit_test(test_data_round_trip),
		cmocka_unit_test(test_canonical),     cmocka_unit_test(test_golden),
		cmocka_unit_test(test_errors),	      cmocka_unit_test(test_limits),
		cmocka_unit_test(test_write_errors),  cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
