/*
 * Tests of the PAR index computation (core/par.h, METHODOLOGY M2.2-M2.8): the
 * data-driven cases in tests/golden/par/ (the format is described in
 * tests/golden/par/README.md) and C tests of errors, the provider and out of
 * memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/framework.h"
#include "core/par.h"
#include "util/alloc.h"

#include "util/banned.h"

#define GOLDEN_DIR CHISO_SOURCE_DIR "/tests/golden/par"
#define MAX_TOKENS 32
#define MAX_ITEMS 256

static int restore_allocator(void **state)
{
	(void)state;
	cs_alloc_fail_after(-1);
	return 0;
}

/* The golden format. */

struct provided {
	const char *unit, *node;
	enum cs_par_fetch state;
	double value;
};

struct golden {
	const char *name;
	struct cs_framework *fw;
	size_t nunits;
	struct cs_par_unit units[MAX_ITEMS];
	struct cs_par_score *scores[MAX_ITEMS];
	size_t nprovided;
	struct provided provided[MAX_ITEMS];
	size_t nprev;
	struct cs_par_prev prev[MAX_ITEMS];
	struct cs_fw_options opts;
};

static const char *const level_names[CS_LEVEL_COUNT_] = {
	"ministry", "province", "department", "district", "commune", "other",
};

static enum cs_level parse_level(const char *where, const char *s)
{
	for (int i = 0; i < CS_LEVEL_COUNT_; i++)
		if (strcmp(s, level_names[i]) == 0)
			return (enum cs_level)i;
	fail_msg("%s: unknown level '%s'", where, s);
	return CS_LEVEL_OTHER;
}

static double parse_num(const char *where, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end)
		fail_msg("%s: '%s' is not a number", where, s);
	return v;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Splits line (modified in place) into blank-separated tokens; '#' starts a comment. */
static size_t tokenize(char *line, char **tok)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			*p++ = '\0';
		if (!*p || *p == '#')
			break;
		if (n == MAX_TOKENS)
			fail_msg("line too long: %s", line);
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
	}
	if (*p == '#')
		*p = '\0';
	return n;
}

/* Calls fn for each non-empty line of text (modified in place). */
static void each_line(char *text, const char *file,
		      void (*fn)(void *, const char *, char **, size_t), void *ctx)
{
	char *line = text, *next, *tok[MAX_TOKENS], where[1100];
	size_t lineno = 0, n;

	while (line && *line) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		n = tokenize(line, tok);
		if (n) {
			snprintf(where, sizeof(where), "%s:%zu", file, lineno);
			fn(ctx, where, tok, n);
		}
		line = next;
	}
}

static size_t node_index(struct golden *g, const char *where, const char *code)
{
	size_t i;

	if (!cs_framework_find(g->fw, code, &i))
		fail_msg("%s: unknown node '%s'", where, code);
	return i;
}

static size_t unit_index(struct golden *g, const char *where, const char *code)
{
	for (size_t i = 0; i < g->nunits; i++)
		if (strcmp(g->units[i].code, code) == 0)
			return i;
	fail_msg("%s: unknown unit '%s'", where, code);
	return 0;
}

static void input_line(void *ctx, const char *where, char **tok, size_t n)
{
	struct golden *g = ctx;
	const char *cmd = tok[0];

	if (strcmp(cmd, "framework") == 0) {
		struct cs_fw_info info = {tok[1], g->name, "golden", "1"};

		assert_null(g->fw);
		g->fw = cs_framework_new(&info, NULL);
		assert_non_null(g->fw);
		g->opts = cs_fw_options_default();
	} else if (strcmp(cmd, "option") == 0 && n >= 3) {
		const char *k = tok[1], *v = tok[2];
		bool ok = true;

		if (strcmp(k, "rounding") == 0 && n == 4) {
			ok = cs_round_mode_parse(cs_str_from(v), &g->opts.rounding.mode);
			g->opts.rounding.decimals = (int)parse_num(where, tok[3]);
		} else if (strcmp(k, "rank") == 0) {
			ok = cs_rank_method_parse(cs_str_from(v), &g->opts.rank_method);
		} else if (strcmp(k, "scope") == 0) {
			ok = cs_rank_scope_parse(cs_str_from(v), &g->opts.rank_scope);
		} else if (strcmp(k, "precision") == 0) {
			g->opts.full_precision = strcmp(v, "full") == 0;
			ok = g->opts.full_precision || strcmp(v, "published") == 0;
		} else if (strcmp(k, "na") == 0) {
			ok = cs_na_policy_parse(cs_str_from(v), &g->opts.na_policy);
		} else if (strcmp(k, "unranked") == 0) {
			assert_int_equal(cs_framework_set_unranked_flag(
						 g->fw, strcmp(v, "-") ? v : NULL, NULL),
					 CS_OK);
		} else {
			ok = false;
		}
		if (!ok)
			fail_msg("%s: bad option", where);
	} else if (strcmp(cmd, "tiebreak") == 0) {
		assert_int_equal(cs_framework_add_tiebreak(
					 g->fw, tok[1], n > 2 && strcmp(tok[2], "asc") == 0, NULL),
				 CS_OK);
	} else if (strcmp(cmd, "node") == 0 && n >= 6) {
		struct cs_rule_param params[MAX_TOKENS];
		struct cs_fw_applies applies[MAX_TOKENS];
		struct cs_fw_node_spec s = {0};
		struct cs_error err = {0};

		s.code = tok[1];
		s.parent = strcmp(tok[2], "-") ? tok[2] : NULL;
		s.title = tok[1];
		s.max = strcmp(tok[3], "sum") ? parse_num(where, tok[3]) : NAN;
		s.source = strcmp(tok[4], "-") ? tok[4] : NULL;
		s.rule = strcmp(tok[5], "-") ? tok[5] : NULL;
		s.params = params;
		s.applies = applies;
		for (size_t i = 6; i < n; i++) {
			char *eq = strchr(tok[i], '=');

			if (!eq)
				fail_msg("%s: expected key=value, found '%s'", where, tok[i]);
			*eq = '\0';
			if (strcmp(tok[i], "@level") == 0)
				applies[s.napplies++] = (struct cs_fw_applies){
					CS_APPLIES_LEVEL, parse_level(where, eq + 1), NULL};
			else if (strcmp(tok[i], "@flag") == 0)
				applies[s.napplies++] =
					(struct cs_fw_applies){CS_APPLIES_FLAG, 0, eq + 1};
			else if (strcmp(tok[i], "@noflag") == 0)
				applies[s.napplies++] =
					(struct cs_fw_applies){CS_APPLIES_NOT_FLAG, 0, eq + 1};
			else
				params[s.nparams++] = (struct cs_rule_param){tok[i], eq + 1};
		}
		if (cs_framework_add_node(g->fw, &s, NULL, &err))
			fail_msg("%s: %s", where, err.msg);
	} else if (strcmp(cmd, "band") == 0 && n >= 4) {
		struct cs_fw_band b = {tok[1], n > 4 ? tok[4] : tok[1], tok[1],
				       parse_num(where, tok[2]), parse_num(where, tok[3])};

		assert_int_equal(cs_framework_add_band(g->fw, &b, NULL), CS_OK);
	} else if (strcmp(cmd, "unit") == 0 && n == 5) {
		struct cs_par_unit *u = &g->units[g->nunits];
		struct cs_error err = {0};

		if (!cs_framework_is_valid(g->fw)) {
			cs_framework_set_options(g->fw, &g->opts);
			if (cs_framework_validate(g->fw, &err))
				fail_msg("%s: framework: %s", where, err.msg);
		}
		assert_true(g->nunits < MAX_ITEMS);
		u->code = tok[1];
		u->parent = strcmp(tok[2], "-") ? tok[2] : NULL;
		u->level = parse_level(where, tok[3]);
		u->flags = strcmp(tok[4], "-") ? tok[4] : NULL;
		g->scores[g->nunits] =
			calloc(cs_framework_node_count(g->fw), sizeof(struct cs_par_score));
		assert_non_null(g->scores[g->nunits]);
		u->scores = g->scores[g->nunits];
		g->nunits++;
	} else if (strcmp(cmd, "score") == 0 && n >= 4) {
		struct cs_par_score *s =
			&g->scores[unit_index(g, where, tok[1])][node_index(g, where, tok[2])];

		for (size_t i = 3; i < n; i++) {
			if (strcmp(tok[i], "na") == 0) {
				s->not_applicable = true;
			} else if (strncmp(tok[i], "self=", 5) == 0) {
				s->has_self = true;
				s->self = parse_num(where, tok[i] + 5);
			} else if (strncmp(tok[i], "appraised=", 10) == 0) {
				s->has_appraised = true;
				s->appraised = parse_num(where, tok[i] + 10);
			} else {
				fail_msg("%s: bad score item '%s'", where, tok[i]);
			}
		}
	} else if (strcmp(cmd, "provide") == 0 && n == 4) {
		struct provided *p = &g->provided[g->nprovided++];

		p->unit = tok[1];
		p->node = tok[2];
		if (strcmp(tok[3], "pending") == 0) {
			p->state = CS_PAR_FETCH_PENDING;
		} else if (strcmp(tok[3], "na") == 0) {
			p->state = CS_PAR_FETCH_NA;
		} else {
			p->state = CS_PAR_FETCH_VALUE;
			p->value = parse_num(where, tok[3]);
		}
	} else if (strcmp(cmd, "prev") == 0 && n == 5) {
		g->prev[g->nprev++] = (struct cs_par_prev){tok[1], parse_num(where, tok[2]),
							   parse_num(where, tok[3]),
							   (size_t)parse_num(where, tok[4])};
	} else {
		fail_msg("%s: cannot read '%s' with %zu fields", where, cmd, n);
	}
}

static enum cs_err golden_fetch(void *ctx, const struct cs_par_unit *unit, size_t leaf,
				const struct cs_fw_node *node, enum cs_par_fetch *state,
				double *value, struct cs_error *err)
{
	const struct golden *g = ctx;

	(void)leaf;
	(void)err;
	*state = CS_PAR_FETCH_PENDING;
	for (size_t i = 0; i < g->nprovided; i++) {
		if (strcmp(g->provided[i].unit, unit->code) == 0 &&
		    strcmp(g->provided[i].node, node->code) == 0) {
			*state = g->provided[i].state;
			*value = g->provided[i].value;
		}
	}
	return CS_OK;
}

/* Checking expected.txt against a run. */

struct checker {
	struct golden *g;
	struct cs_par_run *run;
	size_t checks;
};

static const struct cs_par_result *result_of(struct checker *c, const char *where, const char *code)
{
	for (size_t i = 0; i < c->run->nunits; i++)
		if (strcmp(c->run->results[i].code, code) == 0)
			return &c->run->results[i];
	fail_msg("%s: no result for unit '%s'", where, code);
	return NULL;
}

static void check_num(struct checker *c, const char *where, const char *key, double got,
		      const char *want)
{
	double w = parse_num(where, want);

	c->checks++;
	if (!(fabs(got - w) <= 1e-9))
		fail_msg("%s: %s = %.17g, expected %s", where, key, got, want);
}

static void check_str(struct checker *c, const char *where, const char *key, const char *got,
		      const char *want)
{
	c->checks++;
	if (strcmp(got ? got : "-", want) != 0)
		fail_msg("%s: %s = %s, expected %s", where, key, got ? got : "-", want);
}

static const char *node_state_name(enum cs_par_node_state s)
{
	static const char *const names[] = {"off", "na", "missing", "scored"};

	return names[s];
}

static const char *origin_name(enum cs_par_origin o)
{
	static const char *const names[] = {"none", "self", "appraised", "provider", "na_zero"};

	return names[o];
}

static const char *band_code(struct checker *c, size_t band)
{
	return band == CS_FW_NONE ? "-" : cs_framework_band(c->g->fw, band)->code;
}

static void check_unit(struct checker *c, const char *where, char **tok, size_t n)
{
	const struct cs_par_result *r = result_of(c, where, tok[1]);
	char buf[64];

	for (size_t i = 2; i < n; i++) {
		char *k = tok[i], *v = strchr(tok[i], '=');

		if (!v)
			fail_msg("%s: expected key=value, found '%s'", where, k);
		*v++ = '\0';
		if (strcmp(k, "state") == 0) {
			check_str(c, where, k, cs_par_state_name(r->state), v);
		} else if (strcmp(k, "points") == 0) {
			check_num(c, where, k, r->points, v);
		} else if (strcmp(k, "max") == 0) {
			check_num(c, where, k, r->max, v);
		} else if (strcmp(k, "index") == 0) {
			check_num(c, where, k, r->index, v);
		} else if (strcmp(k, "published") == 0) {
			/* Exact: the rounded value is the double nearest the decimal. */
			c->checks++;
			if (r->published != parse_num(where, v))
				fail_msg("%s: published = %.17g, expected %s", where, r->published,
					 v);
		} else if (strcmp(k, "base") == 0) {
			check_num(c, where, k, r->base, v);
		} else if (strcmp(k, "bonus") == 0) {
			check_num(c, where, k, r->bonus, v);
		} else if (strcmp(k, "penalty") == 0) {
			check_num(c, where, k, r->penalty, v);
		} else if (strcmp(k, "clamped") == 0) {
			check_str(c, where, k, r->clamped ? "yes" : "no", v);
		} else if (strcmp(k, "band") == 0) {
			check_str(c, where, k, band_code(c, r->band), v);
		} else if (strcmp(k, "rank") == 0) {
			snprintf(buf, sizeof(buf), "%zu/%zu", r->rank, r->ranked_of);
			check_str(c, where, k, buf, v);
		} else if (strcmp(k, "pending") == 0) {
			check_num(c, where, k, (double)r->pending_appraisal, v);
		} else if (strcmp(k, "missing") == 0) {
			size_t len = 0;

			buf[0] = '\0';
			for (size_t m = 0; m < r->nmissing; m++)
				len += (size_t)snprintf(
					buf + len, sizeof(buf) - len, "%s%s", m ? "," : "",
					cs_framework_node(c->g->fw, r->missing[m])->code);
			check_str(c, where, k, r->nmissing ? buf : "-", v);
		} else if (strcmp(k, "unranked") == 0) {
			check_str(c, where, k, r->unranked ? "yes" : "no", v);
		} else {
			fail_msg("%s: unknown unit key '%s'", where, k);
		}
	}
}

static void check_node(struct checker *c, const char *where, char **tok, size_t n)
{
	const struct cs_par_result *r = result_of(c, where, tok[1]);
	const struct cs_par_node_result *nr = &r->nodes[node_index(c->g, where, tok[2])];

	for (size_t i = 3; i < n; i++) {
		char *k = tok[i], *v = strchr(tok[i], '=');

		if (!v)
			fail_msg("%s: expected key=value, found '%s'", where, k);
		*v++ = '\0';
		if (strcmp(k, "state") == 0)
			check_str(c, where, k, node_state_name(nr->state), v);
		else if (strcmp(k, "origin") == 0)
			check_str(c, where, k, origin_name(nr->origin), v);
		else if (strcmp(k, "points") == 0)
			check_num(c, where, k, nr->points, v);
		else if (strcmp(k, "max") == 0)
			check_num(c, where, k, nr->max, v);
		else if (strcmp(k, "index") == 0)
			check_num(c, where, k, nr->index, v);
		else if (strcmp(k, "contribution") == 0)
			check_num(c, where, k, nr->contribution, v);
		else if (strcmp(k, "missing") == 0)
			check_num(c, where, k, (double)nr->missing, v);
		else
			fail_msg("%s: unknown node key '%s'", where, k);
	}
}

/* "sum U": the top-level contributions add up to the index (M2.4). */
static void check_sum(struct checker *c, const char *where, char **tok)
{
	const struct cs_par_result *r = result_of(c, where, tok[1]);
	double sum = 0;

	for (size_t i = 0; i < cs_framework_node_count(c->g->fw); i++)
		if (cs_framework_node(c->g->fw, i)->parent == CS_FW_NONE)
			sum += r->nodes[i].contribution;
	c->checks++;
	if (!(fabs(sum - r->index) <= 1e-9))
		fail_msg("%s: contributions add up to %.17g, index is %.17g", where, sum, r->index);
}

static const struct cs_par_group *group_of(struct checker *c, const char *where, const char *name)
{
	for (size_t i = 0; i < c->run->ngroups; i++) {
		const struct cs_par_group *gr = &c->run->groups[i];
		char buf[128];

		if (gr->kind == CS_PAR_GROUP_ALL)
			snprintf(buf, sizeof(buf), "all");
		else if (gr->kind == CS_PAR_GROUP_LEVEL)
			snprintf(buf, sizeof(buf), "level:%s", level_names[gr->level]);
		else
			snprintf(buf, sizeof(buf), "parent:%s", gr->parent);
		if (strcmp(buf, name) == 0)
			return gr;
	}
	fail_msg("%s: no group '%s'", where, name);
	return NULL;
}

static void check_group(struct checker *c, const char *where, char **tok, size_t n)
{
	const struct cs_par_group *gr = group_of(c, where, tok[1]);

	for (size_t i = 2; i < n; i++) {
		char *k = tok[i], *v = strchr(tok[i], '=');

		if (!v)
			fail_msg("%s: expected key=value, found '%s'", where, k);
		*v++ = '\0';
		if (strcmp(k, "units") == 0) {
			check_num(c, where, k, (double)gr->units, v);
		} else if (strcmp(k, "n") == 0) {
			check_num(c, where, k, (double)gr->n, v);
		} else if (strcmp(k, "mean") == 0) {
			check_num(c, where, k, gr->mean, v);
		} else if (strcmp(k, "median") == 0) {
			check_num(c, where, k, gr->median, v);
		} else if (strcmp(k, "min") == 0) {
			check_num(c, where, k, gr->min, v);
		} else if (strcmp(k, "max") == 0) {
			check_num(c, where, k, gr->max, v);
		} else if (strcmp(k, "gap") == 0) {
			check_num(c, where, k, gr->gap, v);
		} else if (strcmp(k, "bands") == 0) {
			char buf[256];
			size_t len = 0, nb = cs_framework_band_count(c->g->fw);

			buf[0] = '\0';
			for (size_t b = 0; b < nb; b++)
				len += (size_t)snprintf(
					buf + len, sizeof(buf) - len, "%s%s:%zu", b ? "," : "",
					cs_framework_band(c->g->fw, b)->code, gr->band_counts[b]);
			check_str(c, where, k, buf, v);
		} else {
			fail_msg("%s: unknown group key '%s'", where, k);
		}
	}
}

static void check_change(struct checker *c, const char *where, char **tok, size_t n)
{
	const struct cs_par_result *r = result_of(c, where, tok[1]);
	char buf[32];

	for (size_t i = 2; i < n; i++) {
		char *k = tok[i], *v = strchr(tok[i], '=');

		if (!v)
			fail_msg("%s: expected key=value, found '%s'", where, k);
		*v++ = '\0';
		if (strcmp(k, "prev") == 0) {
			check_str(c, where, k, r->change.has_prev ? "yes" : "no", v);
		} else if (strcmp(k, "index") == 0) {
			check_num(c, where, k, r->change.index_change, v);
		} else if (strcmp(k, "points") == 0) {
			check_num(c, where, k, r->change.points_change, v);
		} else if (strcmp(k, "places") == 0) {
			snprintf(buf, sizeof(buf), "%+ld", r->change.places_change);
			check_str(c, where, k, r->change.has_places ? buf : "-", v);
		} else {
			fail_msg("%s: unknown change key '%s'", where, k);
		}
	}
}

static void expected_line(void *ctx, const char *where, char **tok, size_t n)
{
	struct checker *c = ctx;

	if (strcmp(tok[0], "unit") == 0 && n >= 2)
		check_unit(c, where, tok, n);
	else if (strcmp(tok[0], "node") == 0 && n >= 3)
		check_node(c, where, tok, n);
	else if (strcmp(tok[0], "sum") == 0 && n == 2)
		check_sum(c, where, tok);
	else if (strcmp(tok[0], "group") == 0 && n >= 2)
		check_group(c, where, tok, n);
	else if (strcmp(tok[0], "change") == 0 && n >= 2)
		check_change(c, where, tok, n);
	else
		fail_msg("%s: cannot read '%s'", where, tok[0]);
}

static size_t run_case(const char *name)
{
	char path[1024];
	char *input, *expected, *readme;
	struct golden *g = calloc(1, sizeof(*g));
	struct cs_par_source_provider provider = {g, golden_fetch};
	struct cs_par_run run;
	struct checker c = {g, &run, 0};
	struct cs_error err = {0};

	assert_non_null(g);
	g->name = name;
	snprintf(path, sizeof(path), "%s/%s/README.md", GOLDEN_DIR, name);
	readme = read_file(path);
	if (!readme || !strstr(readme, "METHODOLOGY M2."))
		fail_msg("%s: README.md missing or not citing a METHODOLOGY M2 section", path);
	snprintf(path, sizeof(path), "%s/%s/input.txt", GOLDEN_DIR, name);
	input = read_file(path);
	assert_non_null(input);
	each_line(input, path, input_line, g);
	assert_non_null(g->fw);
	assert_true(cs_framework_is_valid(g->fw));

	cs_par_run_init(&run);
	if (cs_par_compute(g->fw, g->units, g->nunits, &provider, &run, &err) ||
	    cs_par_groups(&run, &err) || cs_par_change(&run, g->prev, g->nprev, &err))
		fail_msg("%s: %s", name, err.msg);
	snprintf(path, sizeof(path), "%s/%s/expected.txt", GOLDEN_DIR, name);
	expected = read_file(path);
	assert_non_null(expected);
	each_line(expected, path, expected_line, &c);
	if (c.checks == 0)
		fail_msg("%s: expected.txt checks nothing", name);

	cs_par_run_release(&run);
	cs_framework_free(g->fw);
	for (size_t i = 0; i < g->nunits; i++)
		free(g->scores[i]);
	free(g);
	free(readme);
	free(input);
	free(expected);
	return c.checks;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_golden(void **state)
{
	DIR *d = opendir(GOLDEN_DIR);
	struct dirent *e;
	char *names[MAX_ITEMS];
	size_t n = 0, checks = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/input.txt", GOLDEN_DIR, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		fclose(f);
		assert_true(n < MAX_ITEMS);
		names[n] = strdup(e->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), compare_names);
	/* The cases the methodology needs pinned down are all there. */
	assert_true(n >= 10);
	for (size_t i = 0; i < n; i++) {
		size_t k = run_case(names[i]);

		print_message("golden/par/%s: %zu checks\n", names[i], k);
		checks += k;
		free(names[i]);
	}
	assert_true(checks > 100);
}

/* C tests. */

/*
 * A 10-point framework: area A (self leaves A.1 max 2, A.2 max 3), area S
 * (survey leaf S.1 max 5, linear 50..100), a bonus leaf (cap 1); bands
 * Low [0, 50), High [50, 100].
 */
static struct cs_framework *small_fw(void)
{
	struct cs_fw_info info = {"small", "Small", "test", "1"};
	struct cs_framework *fw = cs_framework_new(&info, NULL);
	struct cs_rule_param lin[] = {{"lo", "50"}, {"hi", "100"}};
	struct cs_fw_node_spec specs[] = {
		{"A", NULL, "A", 5, NULL, NULL, NULL, 0, NULL, 0},
		{"A.1", "A", "A.1", 2, "self", "manual", NULL, 0, NULL, 0},
		{"A.2", "A", "A.2", 3, "self", "manual", NULL, 0, NULL, 0},
		{"S", NULL, "S", NAN, NULL, NULL, NULL, 0, NULL, 0},
		{"S.1", "S", "S.1", 5, "survey", "linear", lin, 2, NULL, 0},
		{"BON", NULL, "BON", 1, "bonus", "manual", NULL, 0, NULL, 0},
	};
	struct cs_error err = {0};

	assert_non_null(fw);
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		assert_int_equal(cs_framework_add_node(fw, &specs[i], NULL, NULL), CS_OK);
	assert_int_equal(
		cs_framework_add_band(fw, &(struct cs_fw_band){"L", "Thấp", "Low", 0, 50}, NULL),
		CS_OK);
	assert_int_equal(
		cs_framework_add_band(fw, &(struct cs_fw_band){"H", "Cao", "High", 50, 100}, NULL),
		CS_OK);
	if (cs_framework_validate(fw, &err))
		fail_msg("%s", err.msg);
	return fw;
}

/* Survey value 75 for every unit (2.5 points), or an error for unit "ERR". */
static enum cs_err fixed_fetch(void *ctx, const struct cs_par_unit *unit, size_t leaf,
			       const struct cs_fw_node *node, enum cs_par_fetch *state,
			       double *value, struct cs_error *err)
{
	int *calls = ctx;

	(void)leaf;
	(void)node;
	(*calls)++;
	if (strcmp(unit->code, "ERR") == 0)
		return cs_fail(err, CS_ESTORE, "survey results unavailable");
	if (strcmp(unit->code, "QUIET") == 0)
		return CS_EIO; /* an error without a message */
	*state = CS_PAR_FETCH_VALUE;
	*value = 75;
	return CS_OK;
}

static void fill_scores(struct cs_par_score *s, double a1, double a2)
{
	memset(s, 0, 6 * sizeof(*s));
	s[1] = (struct cs_par_score){.has_self = true, .self = a1};
	s[2] = (struct cs_par_score){
		.has_self = true, .self = 0, .has_appraised = true, .appraised = a2};
}

static void test_compute_small(void **state)
{
	struct cs_framework *fw = small_fw();
	struct cs_par_score s1[6], s2[6];
	struct cs_par_unit units[] = {
		{"U1", "P", CS_LEVEL_DISTRICT, NULL, s1},
		{"U2", "P", CS_LEVEL_DISTRICT, "unranked", s2},
	};
	int calls = 0;
	struct cs_par_source_provider provider = {&calls, fixed_fetch};
	struct cs_par_run run;
	struct cs_error err = {0};
	const struct cs_par_result *r;

	(void)state;
	fill_scores(s1, 1.5, 2.25);
	s1[1].has_self = false; /* A.1 not scored yet */
	fill_scores(s2, 2, 3);
	s2[5] = (struct cs_par_score){.has_appraised = true, .appraised = 1};
	cs_par_run_init(&run);
	if (cs_par_compute(fw, units, 2, &provider, &run, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(calls, 2);
	assert_int_equal(run.nunits, 2);
	r = &run.results[0];
	/* Provisional 2.25 + 2.5 = 4.75 of 10: A.1 has no score yet. No bonus
	 * entered is no bonus. */
	assert_int_equal(r->state, CS_PAR_INCOMPLETE);
	assert_int_equal(r->nmissing, 1);
	assert_int_equal(r->missing[0], 1);
	assert_int_equal(r->rank, 0);
	assert_int_equal(r->band, CS_FW_NONE);
	assert_int_equal(r->pending_appraisal, 0);
	assert_true(fabs(r->index - 47.5) < 1e-12);
	assert_int_equal(r->nodes[5].state, CS_PAR_NODE_SCORED);
	assert_int_equal(r->nodes[5].origin, CS_PAR_ORIGIN_NONE);
	assert_int_equal(r->nodes[0].state, CS_PAR_NODE_MISSING);
	assert_int_equal(r->nodes[0].missing, 1);
	r = &run.results[1];
	/* 2 + 3 + 2.5 + 1 = 8.5 of 10, complete, but flagged unranked. */
	assert_int_equal(r->state, CS_PAR_COMPLETE);
	assert_true(r->unranked);
	assert_true(fabs(r->index - 85) < 1e-12);
	assert_int_equal(r->rank, 0);
	assert_int_equal(r->ranked_of, 0);
	assert_string_equal(cs_framework_band(fw, r->band)->code, "H");
	assert_string_equal(r->parent, "P");
	assert_int_equal(r->nodes[4].origin, CS_PAR_ORIGIN_PROVIDER);
	assert_true(r->nodes[4].value == 75);

	/* Without a provider the survey leaf has no result yet. */
	assert_int_equal(cs_par_compute(fw, units, 2, NULL, &run, &err), CS_OK);
	assert_int_equal(run.results[1].state, CS_PAR_INCOMPLETE);
	assert_int_equal(run.results[1].nodes[4].state, CS_PAR_NODE_MISSING);
	assert_int_equal(run.results[1].nodes[3].state, CS_PAR_NODE_MISSING);
	assert_int_equal(run.results[1].nodes[3].missing, 1);

	cs_par_run_release(&run);
	cs_par_run_release(NULL);
	cs_framework_free(fw);
}

static void test_compute_errors(void **state)
{
	struct cs_framework *fw = small_fw();
	struct cs_par_score s[6];
	struct cs_par_unit units[] = {
		{"U1", NULL, CS_LEVEL_DISTRICT, NULL, s},
		{"U1", NULL, CS_LEVEL_DISTRICT, NULL, s},
	};
	int calls = 0;
	struct cs_par_source_provider provider = {&calls, fixed_fetch};
	struct cs_par_run run;
	struct cs_error err = {0};

	(void)state;
	fill_scores(s, 1.5, 2.25);
	cs_par_run_init(&run);
	assert_int_equal(cs_par_compute(fw, units, 2, NULL, &run, &err), CS_EINVAL);
	assert_string_equal(err.msg, "unit 'U1': duplicate code (units #1 and #2)");
	assert_int_equal(run.nunits, 0);

	units[1].code = "";
	assert_int_equal(cs_par_compute(fw, units, 2, NULL, &run, &err), CS_EINVAL);
	assert_string_equal(err.msg, "unit #2: empty code");
	units[1].code = "U2";
	units[1].level = CS_LEVEL_COUNT_;
	assert_int_equal(cs_par_compute(fw, units, 2, NULL, &run, &err), CS_EINVAL);
	assert_string_equal(err.msg, "unit 'U2': unknown level 6");
	units[1].level = CS_LEVEL_COMMUNE;

	/* A score its rule rejects names unit, node and which score. */
	s[2].appraised = 2.3;
	assert_int_equal(cs_par_compute(fw, units, 2, NULL, &run, &err), CS_EINVAL);
	assert_string_equal(err.msg, "unit 'U1': node 'A.2': appraised score: value 2.3 is not a "
				     "multiple of step 0.25");
	s[2].has_appraised = false;
	s[1].self = 2.5;
	assert_int_equal(cs_par_compute(fw, units, 2, NULL, &run, &err), CS_EINVAL);
	assert_string_equal(err.msg, "unit 'U1': node 'A.1': self-assessed score: value 2.5 is not "
				     "a score in [0, 2]");
	s[1].self = 2;

	/* The provider's errors stop the computation, with the place. */
	units[1].code = "ERR";
	assert_int_equal(cs_par_compute(fw, units, 2, &provider, &run, &err), CS_ESTORE);
	assert_string_equal(err.msg, "unit 'ERR': node 'S.1': survey results unavailable");
	assert_int_equal(run.nunits, 0);
	assert_null(run.results);
	units[1].code = "QUIET";
	assert_int_equal(cs_par_compute(fw, units, 2, &provider, &run, &err), CS_EIO);
	assert_string_equal(err.msg, "unit 'QUIET': node 'S.1': input/output error");

	/* A framework changed after validation must be validated again. */
	assert_int_equal(cs_framework_add_tiebreak(fw, "A", false, NULL), CS_OK);
	assert_int_equal(cs_par_compute(fw, units, 2, NULL, &run, &err), CS_ESTATE);
	assert_string_equal(err.msg, "framework 'small' is not validated");
	cs_par_run_release(&run);
	cs_framework_free(fw);
}

static enum cs_err na_fetch(void *ctx, const struct cs_par_unit *unit, size_t leaf,
			    const struct cs_fw_node *node, enum cs_par_fetch *state, double *value,
			    struct cs_error *err)
{
	(void)ctx;
	(void)unit;
	(void)leaf;
	(void)node;
	(void)value;
	(void)err;
	*state = CS_PAR_FETCH_NA;
	return CS_OK;
}

static void test_empty_and_zero(void **state)
{
	struct cs_framework *fw = small_fw();
	struct cs_par_score s[6];
	struct cs_par_unit unit = {"U1", NULL, CS_LEVEL_DISTRICT, NULL, s};
	struct cs_par_source_provider na = {NULL, na_fetch}, no_fn = {NULL, NULL};
	struct cs_par_run run;
	struct cs_error err = {0};
	const struct cs_par_result *r;

	(void)state;
	cs_par_run_init(&run);
	/* No units at all. */
	assert_int_equal(cs_par_compute(fw, NULL, 0, NULL, &run, &err), CS_OK);
	assert_int_equal(run.nunits, 0);
	assert_int_equal(cs_par_groups(&run, &err), CS_OK);
	assert_int_equal(run.ngroups, 1);
	assert_int_equal(run.groups[0].units, 0);
	assert_int_equal(run.groups[0].n, 0);
	assert_int_equal(cs_par_change(&run, NULL, 0, &err), CS_OK);

	/* Everything not applicable: nothing to divide by. */
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 6; i++)
		s[i].not_applicable = true;
	assert_int_equal(cs_par_compute(fw, &unit, 1, &na, &run, &err), CS_OK);
	r = &run.results[0];
	assert_int_equal(r->state, CS_PAR_EMPTY);
	assert_true(r->max == 0 && r->points == 0 && r->index == 0);
	assert_int_equal(r->band, CS_FW_NONE);
	assert_int_equal(r->rank, 0);
	assert_int_equal(r->ranked_of, 0);
	assert_int_equal(r->nodes[0].state, CS_PAR_NODE_NA);
	assert_int_equal(r->nodes[3].state, CS_PAR_NODE_NA);
	assert_int_equal(r->nodes[5].state, CS_PAR_NODE_NA);
	assert_int_equal(cs_par_groups(&run, &err), CS_OK);
	assert_int_equal(run.groups[0].units, 1);
	assert_int_equal(run.groups[0].n, 0);

	/* A provider without a fetch function knows nothing yet. */
	assert_int_equal(cs_par_compute(fw, &unit, 1, &no_fn, &run, &err), CS_OK);
	assert_int_equal(run.results[0].state, CS_PAR_INCOMPLETE);
	assert_int_equal(run.results[0].nmissing, 1);
	assert_int_equal(run.results[0].missing[0], 4);
	cs_par_run_release(&run);
	cs_framework_free(fw);
}

static void test_prev_errors(void **state)
{
	struct cs_framework *fw = small_fw();
	struct cs_par_score s[6];
	struct cs_par_unit unit = {"U1", NULL, CS_LEVEL_DISTRICT, NULL, s};
	struct cs_par_prev prev[] = {{"U1", 50, 5, 1}, {"U1", 60, 6, 2}};
	int calls = 0;
	struct cs_par_source_provider provider = {&calls, fixed_fetch};
	struct cs_par_run run;
	struct cs_error err = {0};

	(void)state;
	fill_scores(s, 2, 3);
	s[5] = (struct cs_par_score){.has_self = true, .self = 0};
	cs_par_run_init(&run);
	assert_int_equal(cs_par_compute(fw, &unit, 1, &provider, &run, &err), CS_OK);
	assert_int_equal(cs_par_change(&run, prev, 2, &err), CS_EINVAL);
	assert_string_equal(err.msg, "previous results: duplicate unit code 'U1'");
	prev[1] = (struct cs_par_prev){NULL, 1, 1, 1};
	assert_int_equal(cs_par_change(&run, prev, 2, &err), CS_EINVAL);
	assert_string_equal(err.msg, "previous results: entry #2 has no unit code");
	prev[1] = (struct cs_par_prev){"U9", NAN, 1, 1};
	assert_int_equal(cs_par_change(&run, prev, 2, &err), CS_EINVAL);
	assert_string_equal(err.msg, "previous results: unit 'U9' has no finite index or points");
	/* 7.5 of 10 now, 50 before: +25 points of index, +2.5 points, 1 -> 1. */
	assert_int_equal(cs_par_change(&run, prev, 1, &err), CS_OK);
	assert_true(run.results[0].change.has_prev);
	assert_true(run.results[0].change.index_change == 25);
	assert_true(run.results[0].change.points_change == 2.5);
	assert_true(run.results[0].change.has_places);
	assert_int_equal(run.results[0].change.places_change, 0);
	/* Calling again with nothing clears the change. */
	assert_int_equal(cs_par_change(&run, NULL, 0, &err), CS_OK);
	assert_false(run.results[0].change.has_prev);
	cs_par_run_release(&run);
	cs_framework_free(fw);
}

static void test_state_names(void **state)
{
	(void)state;
	assert_string_equal(cs_par_state_name(CS_PAR_COMPLETE), "complete");
	assert_string_equal(cs_par_state_name(CS_PAR_INCOMPLETE), "incomplete");
	assert_string_equal(cs_par_state_name(CS_PAR_EMPTY), "empty");
	assert_null(cs_par_state_name((enum cs_par_state)7));
}

/* compute, groups and change with n allocations allowed. */
static enum cs_err run_with_budget(long n, const struct cs_framework *fw,
				   const struct cs_par_unit *units, size_t nunits,
				   const struct cs_par_source_provider *provider,
				   const struct cs_par_prev *prev, size_t nprev)
{
	struct cs_par_run run;
	enum cs_err rc;

	cs_par_run_init(&run);
	cs_alloc_fail_after(n);
	rc = cs_par_compute(fw, units, nunits, provider, &run, NULL);
	if (!rc)
		rc = cs_par_groups(&run, NULL);
	if (!rc)
		rc = cs_par_change(&run, prev, nprev, NULL);
	cs_alloc_fail_after(-1);
	cs_par_run_release(&run);
	return rc;
}

static void test_out_of_memory(void **state)
{
	struct cs_framework *fw = small_fw();
	struct cs_par_score s[3][6];
	struct cs_par_unit units[] = {
		{"U1", "P1", CS_LEVEL_DISTRICT, NULL, s[0]},
		{"U2", "P1", CS_LEVEL_COMMUNE, NULL, s[1]},
		{"U3", "P2", CS_LEVEL_COMMUNE, NULL, s[2]},
	};
	struct cs_par_prev prev[] = {{"U2", 70, 7, 1}, {"U1", 60, 6, 2}};
	int calls = 0;
	struct cs_par_source_provider provider = {&calls, fixed_fetch};
	long n;
	enum cs_err rc = CS_ENOMEM;

	(void)state;
	for (int u = 0; u < 3; u++) {
		fill_scores(s[u], 0.25 * u, 1);
		s[u][5] = (struct cs_par_score){.has_appraised = true, .appraised = 0.5};
	}
	assert_int_equal(cs_framework_add_tiebreak(fw, "S", false, NULL), CS_OK);
	assert_int_equal(cs_framework_validate(fw, NULL), CS_OK);
	for (n = 0; n < 1000 && rc == CS_ENOMEM; n++)
		rc = run_with_budget(n, fw, units, 3, &provider, prev, 2);
	assert_int_equal(rc, CS_OK);
	assert_true(n > 5);
	cs_framework_free(fw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_compute_small),
		cmocka_unit_test(test_compute_errors),
		cmocka_unit_test(test_empty_and_zero),
		cmocka_unit_test(test_prev_errors),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test_teardown(test_out_of_memory, restore_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
