/*
 * The PAR results document: written by hand rather than through a JSON
 * library so that key order, indentation and number text are fixed and a
 * published document is reproduced byte for byte; read back with Jansson.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "report/fmt.h"
#include "report/par_json.h"
#include "util/alloc.h"

#include "util/banned.h"

/* A writer that remembers its first failure, so calls can be chained. */
struct jw {
	struct cs_buf *b;
	struct cs_error *err;
	enum cs_err rc;
};

static void raw(struct jw *w, const char *s)
{
	if (!w->rc)
		w->rc = cs_buf_addstr(w->b, s, w->err);
}

static void rawf(struct jw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rawf(struct jw *w, const char *fmt, ...)
{
	va_list ap;

	if (w->rc)
		return;
	va_start(ap, fmt);
	w->rc = cs_buf_vaddf(w->b, w->err, fmt, ap);
	va_end(ap);
}

/* A JSON string: quotes, backslashes and control characters escaped, UTF-8 kept. */
static void str(struct jw *w, const char *s)
{
	if (!s) {
		raw(w, "null");
		return;
	}
	raw(w, "\"");
	for (const char *p = s; *p && !w->rc; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			raw(w, "\\\"");
		else if (c == '\\')
			raw(w, "\\\\");
		else if (c == '\n')
			raw(w, "\\n");
		else if (c == '\r')
			raw(w, "\\r");
		else if (c == '\t')
			raw(w, "\\t");
		else if (c < 0x20 || c == 0x7f)
			rawf(w, "\\u%04x", c);
		else if (!w->rc)
			w->rc = cs_buf_addc(w->b, (char)c, w->err);
	}
	raw(w, "\"");
}

/* A published figure: rounded as the framework says, shortest text. */
static void num(struct jw *w, const struct cs_par_report *r, double v)
{
	char out[CS_FMT_MAX];
	const char *s = cs_fmt_double(cs_par_report_round(r, v), out);

	raw(w, s ? s : "null");
}

static void count(struct jw *w, size_t n)
{
	rawf(w, "%zu", n);
}

/* "key": at the given indentation (after a comma when not first). */
static void key(struct jw *w, int indent, bool first, const char *k)
{
	raw(w, first ? "\n" : ",\n");
	for (int i = 0; i < indent; i++)
		raw(w, "  ");
	str(w, k);
	raw(w, ": ");
}

/* "key": in a one-line object. */
static void ikey(struct jw *w, bool first, const char *k)
{
	if (!first)
		raw(w, ", ");
	str(w, k);
	raw(w, ": ");
}

static void close_obj(struct jw *w, int indent)
{
	raw(w, "\n");
	for (int i = 0; i < indent; i++)
		raw(w, "  ");
	raw(w, "}");
}

static void write_framework(struct jw *w, const struct cs_par_report *r, int ind)
{
	const struct cs_fw_info *info = cs_framework_info(r->fw);

	raw(w, "{");
	key(w, ind + 1, true, "code");
	str(w, info->code);
	key(w, ind + 1, false, "version");
	str(w, info->version);
	key(w, ind + 1, false, "title");
	str(w, info->title);
	key(w, ind + 1, false, "decision");
	str(w, info->decision);
	key(w, ind + 1, false, "sha256");
	str(w, r->fw_sha256);
	close_obj(w, ind);
}

static void write_options(struct jw *w, const struct cs_par_report *r, int ind)
{
	const struct cs_fw_options *o = cs_framework_options(r->fw);
	size_t nt = cs_framework_tiebreak_count(r->fw);

	raw(w, "{");
	key(w, ind + 1, true, "rounding");
	str(w, cs_round_mode_name(o->rounding.mode));
	key(w, ind + 1, false, "decimals");
	rawf(w, "%d", o->rounding.decimals);
	key(w, ind + 1, false, "rank_method");
	str(w, cs_rank_method_name(o->rank_method));
	key(w, ind + 1, false, "rank_scope");
	str(w, cs_rank_scope_name(o->rank_scope));
	key(w, ind + 1, false, "precision");
	str(w, o->full_precision ? "full" : "published");
	key(w, ind + 1, false, "na_policy");
	str(w, cs_na_policy_name(o->na_policy));
	key(w, ind + 1, false, "unranked_flag");
	str(w, cs_framework_unranked_flag(r->fw));
	key(w, ind + 1, false, "tiebreaks");
	raw(w, "[");
	for (size_t i = 0; i < nt; i++) {
		const struct cs_fw_tiebreak *t = cs_framework_tiebreak(r->fw, i);

		raw(w, i ? ", {" : "{");
		ikey(w, true, "node");
		str(w, t->node);
		ikey(w, false, "order");
		str(w, t->ascending ? "ascending" : "descending");
		raw(w, "}");
	}
	raw(w, "]");
	close_obj(w, ind);
}

static void write_bands(struct jw *w, const struct cs_par_report *r, int ind)
{
	size_t nb = cs_framework_band_count(r->fw);
	char out[CS_FMT_MAX];

	raw(w, "[");
	for (size_t i = 0; i < nb; i++) {
		const struct cs_fw_band *b = cs_framework_band(r->fw, i);

		raw(w, i ? ",\n" : "\n");
		for (int k = 0; k < ind + 1; k++)
			raw(w, "  ");
		raw(w, "{");
		ikey(w, true, "code");
		str(w, b->code);
		ikey(w, false, "label_vi");
		str(w, b->label_vi);
		ikey(w, false, "label_en");
		str(w, b->label_en);
		ikey(w, false, "lo");
		raw(w, cs_fmt_double(b->lo, out) ? out : "null");
		ikey(w, false, "hi");
		raw(w, cs_fmt_double(b->hi, out) ? out : "null");
		raw(w, "}");
	}
	if (nb) {
		raw(w, "\n");
		for (int k = 0; k < ind; k++)
			raw(w, "  ");
	}
	raw(w, "]");
}

static const char *node_state_name(enum cs_par_node_state s)
{
	static const char *const names[] = {
		[CS_PAR_NODE_OFF] = "off",
		[CS_PAR_NODE_NA] = "na",
		[CS_PAR_NODE_MISSING] = "missing",
		[CS_PAR_NODE_SCORED] = "scored",
	};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static void write_components(struct jw *w, const struct cs_par_report *r,
			     const struct cs_par_result *res, int ind)
{
	const size_t *order = cs_framework_order(r->fw);
	size_t nn = cs_framework_node_count(r->fw);
	bool first = true;

	raw(w, "[");
	for (size_t j = 0; j < nn; j++) {
		const struct cs_fw_node *node = cs_framework_node(r->fw, order[j]);
		const struct cs_par_node_result *nr = &res->nodes[order[j]];
		bool shown = nr->state == CS_PAR_NODE_SCORED;

		if (nr->state == CS_PAR_NODE_OFF)
			continue;
		raw(w, first ? "\n" : ",\n");
		first = false;
		for (int k = 0; k < ind + 1; k++)
			raw(w, "  ");
		raw(w, "{");
		ikey(w, true, "code");
		str(w, node->code);
		ikey(w, false, "parent");
		str(w, node->parent_code);
		ikey(w, false, "source");
		str(w, cs_fw_source_name(node->source));
		ikey(w, false, "state");
		str(w, node_state_name(nr->state));
		ikey(w, false, "points");
		if (shown)
			num(w, r, nr->points);
		else
			raw(w, "null");
		ikey(w, false, "max_points");
		num(w, r, nr->max);
		ikey(w, false, "index");
		if (shown && !cs_fw_node_is_adjustment(node))
			num(w, r, nr->index);
		else
			raw(w, "null");
		ikey(w, false, "contribution");
		if (shown && cs_par_report_has_result(res))
			num(w, r, nr->contribution);
		else
			raw(w, "null");
		raw(w, "}");
	}
	if (!first) {
		raw(w, "\n");
		for (int k = 0; k < ind; k++)
			raw(w, "  ");
	}
	raw(w, "]");
}

static void write_missing(struct jw *w, const struct cs_par_report *r,
			  const struct cs_par_result *res)
{
	raw(w, "[");
	for (size_t k = 0; k < res->nmissing; k++) {
		const struct cs_fw_node *node = cs_framework_node(r->fw, res->missing[k]);

		raw(w, k ? ", {" : "{");
		ikey(w, true, "code");
		str(w, node->code);
		ikey(w, false, "source");
		str(w, cs_fw_source_name(node->source));
		raw(w, "}");
	}
	raw(w, "]");
}

static void write_change(struct jw *w, const struct cs_par_report *r,
			 const struct cs_par_result *res, int ind)
{
	const struct cs_par_change *c = &res->change;

	if (!cs_par_report_has_result(res) || !c->has_prev) {
		raw(w, "null");
		return;
	}
	raw(w, "{");
	key(w, ind + 1, true, "points");
	num(w, r, c->points_change);
	key(w, ind + 1, false, "index");
	num(w, r, c->index_change);
	key(w, ind + 1, false, "previous_index");
	num(w, r, c->prev_index);
	key(w, ind + 1, false, "previous_rank");
	if (c->prev_rank)
		count(w, c->prev_rank);
	else
		raw(w, "null");
	key(w, ind + 1, false, "places");
	if (c->has_places)
		rawf(w, "%ld", c->places_change);
	else
		raw(w, "null");
	close_obj(w, ind);
}

static void write_unit(struct jw *w, const struct cs_par_report *r, size_t i, int ind)
{
	const struct cs_par_result *res = &r->run->results[i];
	bool has = cs_par_report_has_result(res);
	const struct cs_fw_band *band =
		has && res->band != CS_FW_NONE ? cs_framework_band(r->fw, res->band) : NULL;

	raw(w, "{");
	key(w, ind + 1, true, "code");
	str(w, res->code);
	key(w, ind + 1, false, "name");
	str(w, r->names && r->names[i] ? r->names[i] : "");
	key(w, ind + 1, false, "parent");
	str(w, res->parent);
	key(w, ind + 1, false, "level");
	str(w, cs_level_name(res->level));
	key(w, ind + 1, false, "state");
	str(w, cs_par_state_name(res->state));
	key(w, ind + 1, false, "points");
	if (has)
		num(w, r, res->points);
	else
		raw(w, "null");
	key(w, ind + 1, false, "max_points");
	num(w, r, res->max);
	key(w, ind + 1, false, "index");
	if (has)
		num(w, r, res->published);
	else
		raw(w, "null");
	key(w, ind + 1, false, "band");
	str(w, band ? band->code : NULL);
	key(w, ind + 1, false, "rank");
	if (res->rank)
		count(w, res->rank);
	else
		raw(w, "null");
	key(w, ind + 1, false, "ranked_of");
	if (res->rank)
		count(w, res->ranked_of);
	else
		raw(w, "null");
	key(w, ind + 1, false, "unranked");
	raw(w, res->unranked ? "true" : "false");
	key(w, ind + 1, false, "base");
	if (has)
		num(w, r, res->base);
	else
		raw(w, "null");
	key(w, ind + 1, false, "bonus");
	if (has)
		num(w, r, res->bonus);
	else
		raw(w, "null");
	key(w, ind + 1, false, "penalty");
	if (has)
		num(w, r, res->penalty);
	else
		raw(w, "null");
	key(w, ind + 1, false, "clamped");
	raw(w, has && res->clamped ? "true" : "false");
	key(w, ind + 1, false, "pending_appraisal");
	count(w, res->pending_appraisal);
	key(w, ind + 1, false, "missing");
	write_missing(w, r, res);
	key(w, ind + 1, false, "components");
	write_components(w, r, res, ind + 1);
	key(w, ind + 1, false, "change");
	write_change(w, r, res, ind + 1);
	close_obj(w, ind);
}

static void write_group(struct jw *w, const struct cs_par_report *r, const struct cs_par_group *g,
			int ind)
{
	size_t nb = cs_framework_band_count(r->fw);
	char name[200];
	bool any = g->n > 0;

	raw(w, "{");
	key(w, ind + 1, true, "group");
	str(w, cs_par_report_group_name(g, name, sizeof(name)));
	key(w, ind + 1, false, "units");
	count(w, g->units);
	key(w, ind + 1, false, "n");
	count(w, g->n);
	key(w, ind + 1, false, "mean");
	if (any)
		num(w, r, g->mean);
	else
		raw(w, "null");
	key(w, ind + 1, false, "median");
	if (any)
		num(w, r, g->median);
	else
		raw(w, "null");
	key(w, ind + 1, false, "min");
	if (any)
		num(w, r, g->min);
	else
		raw(w, "null");
	key(w, ind + 1, false, "max");
	if (any)
		num(w, r, g->max);
	else
		raw(w, "null");
	key(w, ind + 1, false, "gap");
	if (any)
		num(w, r, g->gap);
	else
		raw(w, "null");
	key(w, ind + 1, false, "band_counts");
	raw(w, "{");
	for (size_t b = 0; b < nb; b++) {
		ikey(w, b == 0, cs_framework_band(r->fw, b)->code);
		count(w, g->band_counts ? g->band_counts[b] : 0);
	}
	raw(w, "}");
	close_obj(w, ind);
}

enum cs_err cs_par_json_write(const struct cs_par_report *r, struct cs_buf *out,
			      struct cs_error *err)
{
	struct jw w = {out, err, CS_OK};
	size_t n = r->run->nunits, *order = cs_calloc(n ? n : 1, sizeof(*order));

	if (!order)
		return cs_fail(err, CS_ENOMEM, NULL);
	w.rc = cs_par_report_order(r, order, err);
	raw(&w, "{");
	key(&w, 1, true, "format");
	str(&w, CS_PAR_JSON_FORMAT);
	key(&w, 1, false, "format_version");
	rawf(&w, "%d", CS_PAR_JSON_VERSION);
	key(&w, 1, false, "period");
	str(&w, r->period);
	key(&w, 1, false, "previous_period");
	str(&w, r->prev_period);
	key(&w, 1, false, "framework");
	write_framework(&w, r, 1);
	key(&w, 1, false, "options");
	write_options(&w, r, 1);
	key(&w, 1, false, "bands");
	write_bands(&w, r, 1);
	key(&w, 1, false, "units");
	raw(&w, "[");
	for (size_t k = 0; k < n; k++) {
		raw(&w, k ? ",\n    " : "\n    ");
		write_unit(&w, r, order[k], 2);
	}
	raw(&w, n ? "\n  ]" : "]");
	key(&w, 1, false, "groups");
	raw(&w, "[");
	for (size_t g = 0; g < r->run->ngroups; g++) {
		raw(&w, g ? ",\n    " : "\n    ");
		write_group(&w, r, &r->run->groups[g], 2);
	}
	raw(&w, r->run->ngroups ? "\n  ]" : "]");
	raw(&w, "\n}\n");
	cs_free(order);
	return w.rc;
}

/* Reading back. */

static enum cs_err bad(const char *name, const char *what, struct cs_error *err)
{
	return cs_fail(err, CS_EPARSE, "%s: %s; expected a document written by chiso par compute",
		       name, what);
}

enum cs_err cs_par_json_read_prev(const char *name, const char *json, size_t len,
				  struct cs_arena *arena, struct cs_par_prev **prev, size_t *n,
				  struct cs_error *err)
{
	json_error_t jerr;
	json_t *root, *units, *u;
	struct cs_par_prev *rows = NULL;
	size_t k = 0, i;
	enum cs_err rc = CS_OK;

	*prev = NULL;
	*n = 0;
	if (len > CS_PAR_JSON_MAX)
		return cs_fail(err, CS_ETOOBIG, "%s: %zu bytes; at most %u", name, len,
			       CS_PAR_JSON_MAX);
	json_set_alloc_funcs(cs_malloc, cs_free);
	root = json_loadb(json, len, 0, &jerr);
	if (!root)
		return cs_fail(err,
			       jerr.text[0] && strstr(jerr.text, "memory") ? CS_ENOMEM : CS_EPARSE,
			       "%s:%d:%d: %s", name, jerr.line, jerr.column, jerr.text);
	units = json_object_get(root, "units");
	if (!json_is_array(units) || !json_is_string(json_object_get(root, "format")) ||
	    strcmp(json_string_value(json_object_get(root, "format")), CS_PAR_JSON_FORMAT) != 0) {
		rc = bad(name, "no \"format\" or \"units\"", err);
		goto out;
	}
	rows = cs_arena_calloc(arena, json_array_size(units) ? json_array_size(units) : 1,
			       sizeof(*rows));
	if (!rows) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	json_array_foreach(units, i, u)
	{
		json_t *code = json_object_get(u, "code"), *index = json_object_get(u, "index");
		json_t *points = json_object_get(u, "points"), *rank = json_object_get(u, "rank");

		if (!json_is_string(code)) {
			rc = bad(name, "a unit without a code", err);
			goto out;
		}
		if (!json_is_number(index) || !json_is_number(points))
			continue; /* no result that period */
		rows[k].code =
			cs_arena_strndup(arena, json_string_value(code), json_string_length(code));
		if (!rows[k].code) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
			goto out;
		}
		rows[k].index = json_number_value(index);
		rows[k].points = json_number_value(points);
		rows[k].rank = json_is_integer(rank) && json_integer_value(rank) > 0
				       ? (size_t)json_integer_value(rank)
				       : 0;
		k++;
	}
	*prev = rows;
	*n = k;
out:
	json_decref(root);
	return rc;
}
