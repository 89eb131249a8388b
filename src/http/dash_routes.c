/*
 * The dashboards: the JSON API of results and the public dashboard pages.
 * Every number is computed by the functions `chiso par compute` and `chiso
 * sipas compute` use (report/par_period.h, store/sipas_wave.h), so that the
 * command line and a dashboard never disagree. Results are shown only for
 * periods marked public (`chiso par public`), to anyone who asks: the server
 * has no signed-in readers yet. Every reply depends on the URL and the
 * database alone, so the API routes are HTTP_ROUTE_CACHED.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "http/dash_json.h"
#include "http/dash_routes.h"
#include "http/request.h"
#include "report/fmt.h"
#include "report/par_json.h"
#include "report/par_period.h"
#include "report/sipas_json.h"
#include "report/sipas_sources.h"
#include "store/framework_store.h"
#include "store/public_store.h"
#include "store/response_store.h"
#include "store/score_store.h"
#include "store/sipas_wave.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/vec.h"

#include "util/banned.h"

#define JSON_TYPE "application/json"

/* Longest code taken in a query parameter (period, framework, wave, unit). */
#define CODE_MAX 64

/*
 * Answers the failure of a computation: CS_ENOTFOUND is 404, input the
 * methodology cannot use (CS_EINVAL, CS_ESTATE: a lonely PSU under the rule
 * "fail", say) is 422 with the computation's message, anything else 500.
 * The messages of these layers name data, never files or SQL.
 */
static void fail(struct http_req *req, const struct cs_error *err, const char *field)
{
	switch (err->code) {
	case CS_ENOTFOUND:
		http_problem(req, 404, NULL, field, "%s", err->msg);
		break;
	case CS_EINVAL:
	case CS_ESTATE:
		http_problem(req, 422, NULL, field, "%s", err->msg);
		break;
	default:
		http_reply_internal(req, err);
		break;
	}
}

/*
 * The query parameter name as a code: true with *out NULL when absent and
 * not required. Answers 400 and returns false when it is required and
 * absent or empty, too long, or holds control characters.
 */
static bool query_code(struct http_req *req, const char *name, bool required, const char **out)
{
	const char *v = http_req_query(req, name);

	*out = NULL;
	if (!v || !*v) {
		if (!required)
			return true;
		http_problem(req, 400, "missing-field", name, "%s: missing; expected ?%s=CODE",
			     name, name);
		return false;
	}
	for (const char *p = v; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f || p - v >= CODE_MAX) {
			http_problem(req, 400, "invalid-field", name,
				     "%s: '%.64s' is not a code; expected at most %d bytes without "
				     "control characters",
				     name, v, CODE_MAX);
			return false;
		}
	}
	*out = v;
	return true;
}

/* The ?by= of the SIPAS routes into *by (default: by unit); false after answering 400. */
static bool query_by(struct http_req *req, enum cs_sipas_by *by)
{
	const char *v = http_req_query(req, "by");

	*by = CS_SIPAS_BY_UNIT;
	if (!v || cs_sipas_by_parse(cs_str_from(v), by))
		return true;
	http_problem(req, 400, "invalid-field", "by",
		     "by: '%.64s'; expected unit, level, service, kind, channel or all", v);
	return false;
}

/*
 * Finds period code and checks that it is public. False after answering:
 * 404 naming field when there is no such period or it is not public (a
 * client cannot tell a hidden period's results from missing ones), 500 on
 * a storage failure.
 */
static bool public_period(struct http_req *req, struct http_db *db, const char *code,
			  const char *field, struct cs_period *p)
{
	struct cs_error err = {0};
	bool pub = false;
	enum cs_err rc = cs_score_store_period(db->store, code, p, &err);

	if (rc == CS_ENOTFOUND) {
		http_problem(req, 404, NULL, field, "%s: no period with code '%.64s'", field, code);
		return false;
	}
	if (!rc)
		rc = cs_public_period_is(db->store, p->id, &pub, &err);
	if (rc) {
		http_reply_internal(req, &err);
		return false;
	}
	if (!pub) {
		http_problem(req, 404, NULL, field,
			     "%s: the results of period '%.64s' are not public; mark them with "
			     "'chiso par public --period %.64s'",
			     field, code, code);
		return false;
	}
	return true;
}

/* A public wave: found, and its period public. False after answering as public_period. */
static bool public_wave(struct http_req *req, struct http_db *db, const char *code,
			struct cs_wave *w)
{
	struct cs_error err = {0};
	struct cs_period p;
	bool pub = false;
	enum cs_err rc = cs_wave_store_find(db->store, code, w, &err);

	if (rc == CS_ENOTFOUND) {
		http_problem(req, 404, NULL, "wave", "wave: no survey wave with code '%.64s'",
			     code);
		return false;
	}
	if (!rc)
		rc = cs_score_store_period(db->store, w->period, &p, &err);
	if (!rc)
		rc = cs_public_period_is(db->store, p.id, &pub, &err);
	if (rc) {
		http_reply_internal(req, &err);
		return false;
	}
	if (!pub) {
		http_problem(req, 404, NULL, "wave",
			     "wave: the results of wave '%.64s' (period '%s') are not public", code,
			     w->period);
		return false;
	}
	return true;
}

/* Answers with the document in b, or the failure rc. */
static void reply_doc(struct http_req *req, enum cs_err rc, const struct cs_error *err,
		      struct cs_buf *b)
{
	if (rc)
		http_reply_internal(req, err);
	else
		http_reply_buf(req, 200, JSON_TYPE, b);
}

/* The flags of an estimate as a list of names. */
static void flags_json(struct dash_json *w, unsigned flags)
{
	dash_json_arr(w);
	for (unsigned bit = 0; bit < CS_SIPAS_F_COUNT_; bit++)
		if (flags & (1u << bit))
			dash_json_str(w, cs_sipas_flag_name(bit));
	dash_json_end_arr(w);
}

/* --- Frameworks ------------------------------------------------------- */

void api_frameworks_list(struct http_req *req)
{
	struct http_db *db = http_req_db(req);
	struct cs_error err = {0};
	struct cs_arena arena;
	struct cs_vec list;
	struct cs_buf b;
	struct dash_json w;
	enum cs_err rc;

	if (!db)
		return;
	cs_arena_init(&arena, 0);
	cs_vec_init(&list, sizeof(struct cs_fw_stored), 0);
	cs_buf_init(&b, HTTP_REPLY_MAX);
	rc = cs_framework_store_list(db->store, &arena, &list, &err);
	dash_json_init(&w, &b, &err);
	dash_json_obj(&w);
	dash_json_key(&w, "frameworks");
	dash_json_arr(&w);
	for (size_t i = 0; !rc && i < list.len; i++) {
		const struct cs_fw_stored *e = cs_vec_at(&list, i);

		dash_json_obj(&w);
		dash_json_kstr(&w, "code", e->code);
		dash_json_kstr(&w, "version", e->version);
		dash_json_kstr(&w, "title", e->title);
		dash_json_kstr(&w, "decision", e->decision);
		dash_json_ksize(&w, "nodes", e->nodes);
		dash_json_knum(&w, "total_max", e->total_max);
		dash_json_kbool(&w, "template", e->is_template);
		dash_json_kstr(&w, "imported_at", e->imported_at);
		dash_json_kstr(&w, "sha256", e->sha256);
		dash_json_end(&w);
	}
	dash_json_end_arr(&w);
	dash_json_end(&w);
	if (!rc)
		rc = dash_json_done(&w);
	reply_doc(req, rc, &err, &b);
	cs_buf_release(&b);
	cs_vec_release(&list);
	cs_arena_release(&arena);
}

void api_frameworks_get(struct http_req *req)
{
	const char *code = http_req_param(req, "code"), *version;
	struct cs_error err = {0};
	struct http_db *db;
	char *json = NULL;
	size_t len = 0;
	struct cs_buf b;
	enum cs_err rc;

	if (!code || !query_code(req, "version", false, &version) || !(db = http_req_db(req)))
		return;
	rc = cs_framework_store_body(db->store, code, version, &json, &len, NULL, NULL, &err);
	if (rc == CS_ENOTFOUND) {
		if (version)
			http_problem(req, 404, NULL, "version",
				     "version: framework '%.64s' has no version '%.64s'", code,
				     version);
		else
			http_problem(req, 404, NULL, "code", "code: no framework with code '%.64s'",
				     code);
		return;
	}
	if (rc) {
		http_reply_internal(req, &err);
		return;
	}
	/* The body exactly as stored: its SHA-256 is the one results name. */
	cs_buf_init(&b, HTTP_REPLY_MAX);
	rc = cs_buf_add(&b, json, len, &err);
	cs_free(json);
	reply_doc(req, rc, &err, &b);
	cs_buf_release(&b);
}

/* --- PAR -------------------------------------------------------------- */

/* One period's PAR results under one framework, as `chiso par compute` makes them. */
struct par_calc {
	struct sipas_sources ss; /* survey leaves: SIPAS results (M2.2) */
	struct par_period_sources sources;
	struct par_period c;
	size_t *order; /* the report's order of c.run.results */
};

static void par_calc_init(struct par_calc *pc)
{
	pc->sources = sipas_sources_init(&pc->ss);
	par_period_init(&pc->c);
	pc->order = NULL;
}

static void par_calc_release(struct par_calc *pc)
{
	par_period_release(&pc->c);
	sipas_sources_release(&pc->ss);
	cs_free(pc->order);
	pc->order = NULL;
}

/* Computes period under framework fw_code (NULL: the only one) and the listing order. */
static enum cs_err par_calc_run(struct cs_store *s, const char *period, const char *fw_code,
				struct par_calc *pc, struct cs_error *err)
{
	enum cs_err rc = par_period_compute(s, period, fw_code, &pc->sources, &pc->c, err);
	size_t n = pc->c.run.nunits;

	if (!rc) {
		pc->order = cs_calloc(n ? n : 1, sizeof(*pc->order));
		rc = pc->order ? cs_par_report_order(&pc->c.report, pc->order, err)
			       : cs_fail(err, CS_ENOMEM, NULL);
	}
	return rc;
}

/* The codes of the frameworks with results in period p (char * in arena), byte order. */
static enum cs_err period_frameworks(struct cs_store *s, const struct cs_period *p,
				     struct cs_arena *arena, struct cs_vec *codes,
				     struct cs_error *err)
{
	return cs_score_store_frameworks(s, p->id, arena, codes, err);
}

/*
 * The framework the request names (?framework=) or the period's only one,
 * into *out (in arena). False after answering: 404 when the period has no
 * results under it (or none at all), 400 when there are several to choose
 * from.
 */
static bool pick_framework(struct http_req *req, struct http_db *db, const struct cs_period *p,
			   struct cs_arena *arena, const char **out)
{
	struct cs_error err = {0};
	struct cs_vec codes;
	struct cs_buf list;
	const char *given;
	bool ok = false;

	if (!query_code(req, "framework", false, &given))
		return false;
	cs_vec_init(&codes, sizeof(char *), 0);
	cs_buf_init(&list, 4096);
	if (period_frameworks(db->store, p, arena, &codes, &err)) {
		http_reply_internal(req, &err);
		goto out;
	}
	for (size_t i = 0; i < codes.len; i++) {
		const char *c = *(char **)cs_vec_at(&codes, i);

		if (given && strcmp(c, given) == 0) {
			*out = c;
			ok = true;
			goto out;
		}
		cs_buf_addf(&list, NULL, "%s%s", i ? ", " : "", c);
	}
	if (given)
		http_problem(req, 404, NULL, "framework",
			     "framework: period '%s' has no results under framework '%.64s'",
			     p->code, given);
	else if (codes.len == 0)
		http_problem(req, 404, NULL, "period", "period: period '%s' has no PAR results",
			     p->code);
	else if (codes.len > 1)
		http_problem(req, 400, "missing-field", "framework",
			     "framework: period '%s' has results under several frameworks (%s); "
			     "choose one with ?framework=CODE",
			     p->code, list.data);
	else {
		*out = *(char **)cs_vec_at(&codes, 0);
		ok = true;
	}
out:
	cs_buf_release(&list);
	cs_vec_release(&codes);
	return ok;
}

void api_par_results(struct http_req *req)
{
	struct cs_error err = {0};
	struct http_db *db;
	struct cs_period p;
	struct cs_arena arena;
	struct par_calc pc;
	struct cs_buf b;
	const char *period, *fw = NULL;

	if (!query_code(req, "period", true, &period) || !(db = http_req_db(req)) ||
	    !public_period(req, db, period, "period", &p))
		return;
	cs_arena_init(&arena, 0);
	par_calc_init(&pc);
	cs_buf_init(&b, HTTP_REPLY_MAX);
	if (!pick_framework(req, db, &p, &arena, &fw))
		goto out;
	if (par_period_compute(db->store, period, fw, &pc.sources, &pc.c, &err) ||
	    cs_par_json_write(&pc.c.report, &b, &err)) {
		fail(req, &err, "period");
		goto out;
	}
	http_reply_buf(req, 200, JSON_TYPE, &b);
out:
	cs_buf_release(&b);
	par_calc_release(&pc);
	cs_arena_release(&arena);
}

/* A published figure: rounded as the framework publishes it (M2.8). */
static void par_num(struct dash_json *w, const struct cs_par_report *r, double v)
{
	dash_json_num(w, cs_par_report_round(r, v));
}

/* A unit's components (the nodes that apply to it), in framework order. */
static void par_components(struct dash_json *w, const struct cs_par_report *r,
			   const struct cs_par_result *res)
{
	const size_t *order = cs_framework_order(r->fw);
	size_t nn = cs_framework_node_count(r->fw);

	dash_json_arr(w);
	for (size_t j = 0; j < nn; j++) {
		const struct cs_fw_node *node = cs_framework_node(r->fw, order[j]);
		const struct cs_par_node_result *nr = &res->nodes[order[j]];
		bool shown = nr->state == CS_PAR_NODE_SCORED;

		if (nr->state == CS_PAR_NODE_OFF)
			continue;
		dash_json_obj(w);
		dash_json_kstr(w, "code", node->code);
		dash_json_kstr(w, "parent", node->parent_code);
		dash_json_kstr(w, "title", node->title);
		dash_json_kstr(w, "source", cs_fw_source_name(node->source));
		dash_json_key(w, "points");
		shown ? par_num(w, r, nr->points) : dash_json_null(w);
		dash_json_key(w, "max_points");
		par_num(w, r, nr->max);
		dash_json_key(w, "index");
		shown && !cs_fw_node_is_adjustment(node) ? par_num(w, r, nr->index)
							 : dash_json_null(w);
		dash_json_end(w);
	}
	dash_json_end_arr(w);
}

/* One unit's row of a ranking: position, index, band, change. */
static void par_row(struct dash_json *w, const struct cs_par_report *r, size_t i, bool components)
{
	const struct cs_par_result *res = &r->run->results[i];
	const struct cs_par_change *ch = &res->change;
	bool has = cs_par_report_has_result(res);
	const struct cs_fw_band *band =
		has && res->band != CS_FW_NONE ? cs_framework_band(r->fw, res->band) : NULL;
	char pos[CS_FMT_MAX];

	dash_json_obj(w);
	dash_json_kstr(w, "code", res->code);
	dash_json_kstr(w, "name", r->names && r->names[i] ? r->names[i] : "");
	dash_json_kstr(w, "parent", res->parent);
	dash_json_kstr(w, "level", cs_level_name(res->level));
	dash_json_kstr(w, "state", cs_par_state_name(res->state));
	dash_json_key(w, "index");
	has ? par_num(w, r, res->published) : dash_json_null(w);
	dash_json_key(w, "points");
	has ? par_num(w, r, res->points) : dash_json_null(w);
	dash_json_key(w, "max_points");
	par_num(w, r, res->max);
	dash_json_kstr(w, "band", band ? band->code : NULL);
	dash_json_key(w, "rank");
	res->rank ? dash_json_size(w, res->rank) : dash_json_null(w);
	dash_json_key(w, "ranked_of");
	res->rank ? dash_json_size(w, res->ranked_of) : dash_json_null(w);
	dash_json_kstr(w, "position",
		       res->rank ? cs_fmt_rank(res->rank, res->ranked_of, pos) : NULL);
	dash_json_kbool(w, "unranked", res->unranked);
	dash_json_ksize(w, "pending_appraisal", res->pending_appraisal);
	dash_json_ksize(w, "missing", res->nmissing);
	dash_json_key(w, "change");
	if (has && ch->has_prev) {
		dash_json_obj(w);
		dash_json_key(w, "index");
		par_num(w, r, ch->index_change);
		dash_json_key(w, "points");
		par_num(w, r, ch->points_change);
		dash_json_key(w, "previous_index");
		par_num(w, r, ch->prev_index);
		dash_json_key(w, "previous_rank");
		ch->prev_rank ? dash_json_size(w, ch->prev_rank) : dash_json_null(w);
		dash_json_key(w, "places");
		ch->has_places ? dash_json_int(w, ch->places_change) : dash_json_null(w);
		dash_json_end(w);
	} else {
		dash_json_null(w);
	}
	if (components) {
		dash_json_key(w, "components");
		par_components(w, r, res);
	}
	dash_json_end(w);
}

/* The statistics of a group of units (M2.7). */
static void par_group(struct dash_json *w, const struct cs_par_report *r,
		      const struct cs_par_group *g)
{
	size_t nb = cs_framework_band_count(r->fw);
	bool any = g && g->n > 0;

	dash_json_obj(w);
	dash_json_ksize(w, "units", g ? g->units : 0);
	dash_json_ksize(w, "n", g ? g->n : 0);
	dash_json_key(w, "mean");
	any ? par_num(w, r, g->mean) : dash_json_null(w);
	dash_json_key(w, "median");
	any ? par_num(w, r, g->median) : dash_json_null(w);
	dash_json_key(w, "min");
	any ? par_num(w, r, g->min) : dash_json_null(w);
	dash_json_key(w, "max");
	any ? par_num(w, r, g->max) : dash_json_null(w);
	dash_json_key(w, "band_counts");
	dash_json_obj(w);
	for (size_t b = 0; b < nb; b++)
		dash_json_ksize(w, cs_framework_band(r->fw, b)->code,
				g && g->band_counts ? g->band_counts[b] : 0);
	dash_json_end(w);
	dash_json_end(w);
}

/* The group of all units, or NULL. */
static const struct cs_par_group *group_all(const struct cs_par_run *run)
{
	for (size_t i = 0; i < run->ngroups; i++)
		if (run->groups[i].kind == CS_PAR_GROUP_ALL)
			return &run->groups[i];
	return NULL;
}

/* The result of unit code in the run, or SIZE_MAX. */
static size_t par_find(const struct cs_par_run *run, const char *code)
{
	for (size_t i = 0; code && i < run->nunits; i++)
		if (strcmp(run->results[i].code, code) == 0)
			return i;
	return SIZE_MAX;
}

/*
 * A period's ranking under one framework: the framework and its bands, the
 * average of all units, and the units in the report's order. With unit:
 * only the units directly below it, and the unit itself with its
 * components under "unit" (null when it has no result row).
 */
static void par_ranking(struct dash_json *w, const struct par_calc *pc, const char *unit)
{
	const struct cs_par_report *r = &pc->c.report;
	const struct cs_fw_info *info = cs_framework_info(r->fw);
	size_t nb = cs_framework_band_count(r->fw), at;

	dash_json_obj(w);
	dash_json_kstr(w, "period", r->period);
	dash_json_kstr(w, "previous_period", r->prev_period);
	dash_json_key(w, "framework");
	dash_json_obj(w);
	dash_json_kstr(w, "code", info->code);
	dash_json_kstr(w, "version", info->version);
	dash_json_kstr(w, "title", info->title);
	dash_json_kstr(w, "decision", info->decision);
	dash_json_knum(w, "total_max", cs_framework_total_max(r->fw));
	dash_json_end(w);
	dash_json_key(w, "bands");
	dash_json_arr(w);
	for (size_t i = 0; i < nb; i++) {
		const struct cs_fw_band *band = cs_framework_band(r->fw, i);

		dash_json_obj(w);
		dash_json_kstr(w, "code", band->code);
		dash_json_kstr(w, "label_vi", band->label_vi);
		dash_json_kstr(w, "label_en", band->label_en);
		dash_json_knum(w, "lo", band->lo);
		dash_json_knum(w, "hi", band->hi);
		dash_json_end(w);
	}
	dash_json_end_arr(w);
	dash_json_key(w, "average");
	par_group(w, r, group_all(r->run));
	dash_json_key(w, "units");
	dash_json_arr(w);
	for (size_t k = 0; k < r->run->nunits; k++) {
		const struct cs_par_result *res = &r->run->results[pc->order[k]];

		if (!unit || (res->parent && strcmp(res->parent, unit) == 0))
			par_row(w, r, pc->order[k], false);
	}
	dash_json_end_arr(w);
	if (unit) {
		dash_json_key(w, "unit");
		at = par_find(r->run, unit);
		at != SIZE_MAX ? par_row(w, r, at, true) : dash_json_null(w);
	}
	dash_json_end(w);
}

void api_par_rankings(struct http_req *req)
{
	struct cs_error err = {0};
	struct http_db *db;
	struct cs_period p;
	struct cs_arena arena;
	struct par_calc pc;
	struct cs_buf b;
	struct dash_json w;
	const char *period, *fw = NULL;
	enum cs_err rc;

	if (!query_code(req, "period", true, &period) || !(db = http_req_db(req)) ||
	    !public_period(req, db, period, "period", &p))
		return;
	cs_arena_init(&arena, 0);
	par_calc_init(&pc);
	cs_buf_init(&b, HTTP_REPLY_MAX);
	if (!pick_framework(req, db, &p, &arena, &fw))
		goto out;
	if (par_calc_run(db->store, period, fw, &pc, &err)) {
		fail(req, &err, "period");
		goto out;
	}
	dash_json_init(&w, &b, &err);
	par_ranking(&w, &pc, NULL);
	rc = dash_json_done(&w);
	reply_doc(req, rc, &err, &b);
out:
	cs_buf_release(&b);
	par_calc_release(&pc);
	cs_arena_release(&arena);
}

/* --- SIPAS ------------------------------------------------------------ */

/* The meta data of a wave's documents, as `chiso sipas` fills it. */
static struct cs_sipas_meta sipas_meta(const struct cs_sipas_wave *sw)
{
	return (struct cs_sipas_meta){
		.wave = sw->src.wave.code,
		.period = sw->src.wave.period,
		.questionnaire = sw->src.wave.questionnaire,
		.questionnaire_version = sw->src.wave.questionnaire_version,
		.previous_wave = sw->has_prev ? sw->psrc.wave.code : NULL,
	};
}

/*
 * The SIPAS documents: results (compared with the previous wave) or weak
 * areas (not compared), for ?wave=W[&by=B][&unit=U], as `chiso sipas
 * compute|weak --format json` writes them.
 */
static void sipas_doc(struct http_req *req, bool weak)
{
	struct cs_sipas_wave_opts o = cs_sipas_wave_opts_default();
	struct cs_error err = {0};
	struct cs_sipas_wave sw;
	struct cs_sipas_meta meta;
	struct http_db *db;
	struct cs_wave wave;
	struct cs_buf b;
	const char *code;

	if (!query_code(req, "wave", true, &code) || !query_by(req, &o.by) ||
	    !query_code(req, "unit", false, &o.unit) || !(db = http_req_db(req)) ||
	    !public_wave(req, db, code, &wave))
		return;
	o.compare = !weak;
	cs_sipas_wave_init(&sw);
	cs_buf_init(&b, HTTP_REPLY_MAX);
	if (cs_sipas_wave_compute(db->store, code, &o, &sw, &err)) {
		fail(req, &err, err.code == CS_ENOTFOUND && o.unit ? "unit" : "wave");
		goto out;
	}
	meta = sipas_meta(&sw);
	if (weak ? cs_sipas_weak_json_write(sw.res, &meta, &b, &err)
		 : cs_sipas_json_write(sw.res, sw.ch, &meta, &b, &err)) {
		http_reply_internal(req, &err);
		goto out;
	}
	http_reply_buf(req, 200, JSON_TYPE, &b);
out:
	cs_buf_release(&b);
	cs_sipas_wave_release(&sw);
}

void api_sipas_results(struct http_req *req)
{
	sipas_doc(req, false);
}

void api_sipas_weak(struct http_req *req)
{
	sipas_doc(req, true);
}

/* An estimate with its interval (M3.5). */
static void sipas_est(struct dash_json *w, const struct cs_sipas_est *e)
{
	dash_json_knum(w, "index", e->index);
	dash_json_knum(w, "se", e->se);
	dash_json_knum(w, "ci_lo", e->ci_lo);
	dash_json_knum(w, "ci_hi", e->ci_hi);
	dash_json_ksize(w, "n", (size_t)e->n);
	dash_json_key(w, "flags");
	flags_json(w, e->flags);
}

/* A change against the previous wave (M3.7), or null. */
static void sipas_diff(struct dash_json *w, const struct cs_sipas_diff *d)
{
	dash_json_key(w, "change");
	if (!d || !d->has_prev) {
		dash_json_null(w);
		return;
	}
	dash_json_obj(w);
	dash_json_knum(w, "previous", d->prev);
	dash_json_knum(w, "diff", d->diff);
	dash_json_knum(w, "ci_lo", d->ci_lo);
	dash_json_knum(w, "ci_hi", d->ci_hi);
	dash_json_kbool(w, "significant", d->significant);
	dash_json_end(w);
}

/* An item's place when sorting weakest first. */
struct item_key {
	double index;
	size_t pos;
};

/* Lowest index first; empty indices (NaN) last; ties in questionnaire order. */
static int by_index(const void *pa, const void *pb)
{
	const struct item_key *a = pa, *b = pb;
	bool na = isnan(a->index), nb = isnan(b->index);

	if (na != nb)
		return na ? 1 : -1;
	if (!na && a->index != b->index)
		return a->index < b->index ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* The summary of one domain of a wave: what a dashboard shows of it. */
static enum cs_err sipas_summary(struct dash_json *w, const struct cs_sipas_wave *sw,
				 const struct cs_sipas_domain *d, const char *unit,
				 struct cs_error *err)
{
	const struct cs_sipas_result *res = sw->res;
	const struct cs_questionnaire *q = res->q;
	const struct cs_q_options *qo = cs_questionnaire_options(q);
	const struct cs_sipas_change *ch = sw->ch ? &sw->ch[d - res->domains] : NULL;
	struct item_key *keys = cs_calloc(d->nitems ? d->nitems : 1, sizeof(*keys));
	bool *weak = cs_calloc(d->nitems + d->nelements + 1, sizeof(*weak));
	size_t *fix = NULL, nfix = 0;
	enum cs_err rc = CS_OK;

	if (!keys || !weak)
		rc = cs_fail(err, CS_ENOMEM, NULL);
	if (!rc)
		rc = cs_sipas_weak_list(res, d, &fix, &nfix, err);
	if (rc)
		goto out;
	for (size_t k = 0; k < nfix; k++)
		weak[fix[k]] = true;

	dash_json_obj(w);
	dash_json_key(w, "wave");
	dash_json_obj(w);
	dash_json_kstr(w, "code", sw->src.wave.code);
	dash_json_kstr(w, "title", sw->src.wave.title);
	dash_json_kstr(w, "period", sw->src.wave.period);
	dash_json_end(w);
	dash_json_key(w, "questionnaire");
	dash_json_obj(w);
	dash_json_kstr(w, "code", cs_questionnaire_info(q)->code);
	dash_json_kstr(w, "version", cs_questionnaire_info(q)->version);
	dash_json_kstr(w, "title", cs_questionnaire_info(q)->title);
	dash_json_end(w);
	dash_json_kstr(w, "previous_wave", sw->has_prev ? sw->psrc.wave.code : NULL);
	dash_json_knum(w, "confidence", qo->confidence);
	dash_json_knum(w, "target", qo->target);
	dash_json_ksize(w, "respondents", (size_t)res->respondents);
	dash_json_key(w, "domain");
	dash_json_obj(w);
	dash_json_kstr(w, "by", cs_sipas_by_name(d->by));
	dash_json_kstr(w, "code", d->code);
	dash_json_kstr(w, "name", d->name);
	dash_json_kstr(w, "name_en", d->name_en);
	dash_json_end(w);
	dash_json_ksize(w, "n", (size_t)d->n);

	dash_json_key(w, "overall");
	dash_json_obj(w);
	dash_json_kstr(w, "measure", cs_q_overall_agg_name(qo->headline));
	sipas_est(w, cs_sipas_headline(res, d));
	sipas_diff(w, ch ? &ch->overall : NULL);
	dash_json_end(w);

	dash_json_key(w, "elements");
	dash_json_arr(w);
	for (size_t k = 0; k < d->nelements; k++) {
		const struct cs_sipas_element *e = &d->elements[k];
		const struct cs_q_element *qe = cs_questionnaire_element(q, e->element);

		dash_json_obj(w);
		dash_json_kstr(w, "code", qe->code);
		dash_json_kstr(w, "name", qe->title_vi);
		dash_json_kstr(w, "name_en", qe->title_en);
		sipas_est(w, cs_sipas_element_index(res, e));
		dash_json_kbool(w, "below_target", e->weak.below_target);
		dash_json_kbool(w, "fix_first", weak[d->nitems + k]);
		sipas_diff(w, ch ? &ch->elements[k] : NULL);
		dash_json_end(w);
	}
	dash_json_end_arr(w);

	/* Items weakest first (M3.6): what to fix comes first. */
	for (size_t k = 0; k < d->nitems; k++)
		keys[k] = (struct item_key){d->items[k].est.index, k};
	qsort(keys, d->nitems, sizeof(*keys), by_index);
	dash_json_key(w, "items");
	dash_json_arr(w);
	for (size_t j = 0; j < d->nitems; j++) {
		size_t k = keys[j].pos;
		const struct cs_sipas_item *it = &d->items[k];
		const struct cs_q_item *qi = cs_questionnaire_item(q, it->item);

		dash_json_obj(w);
		dash_json_kstr(w, "code", qi->code);
		dash_json_kstr(w, "element", qi->element_code);
		dash_json_kstr(w, "text", qi->text_vi);
		dash_json_kstr(w, "text_en", qi->text_en);
		sipas_est(w, &it->est);
		dash_json_kbool(w, "below_target", it->weak.below_target);
		dash_json_kbool(w, "fix_first", weak[k]);
		sipas_diff(w, ch ? &ch->items[k] : NULL);
		dash_json_end(w);
	}
	dash_json_end_arr(w);

	dash_json_key(w, "expectations");
	dash_json_arr(w);
	for (size_t k = 0; k < d->nchoices; k++) {
		const struct cs_sipas_choice *c = &d->expectations[k];
		const struct cs_q_item *qi = cs_questionnaire_item(q, c->item);
		const struct cs_q_choice *qc =
			c->choice < qi->nchoices ? &qi->choices[c->choice] : NULL;

		dash_json_obj(w);
		dash_json_kstr(w, "item", qi->code);
		dash_json_kstr(w, "choice", qc ? qc->value : NULL);
		dash_json_kstr(w, "label", qc ? qc->label_vi : NULL);
		dash_json_kstr(w, "label_en", qc ? qc->label_en : NULL);
		dash_json_knum(w, "share", c->share);
		dash_json_ksize(w, "n", (size_t)c->n);
		dash_json_end(w);
	}
	dash_json_end_arr(w);

	/* The units: every unit of the wave, or those directly below unit. */
	dash_json_key(w, "units");
	dash_json_arr(w);
	for (size_t k = 0; k < res->ndomains; k++) {
		const struct cs_sipas_domain *u = &res->domains[k];
		const struct cs_sipas_unit *su;

		if (u->by != CS_SIPAS_BY_UNIT || u->unit == CS_SIPAS_NONE)
			continue;
		su = &sw->src.su[u->unit];
		if (unit &&
		    (su->parent == CS_SIPAS_NONE || strcmp(sw->src.su[su->parent].code, unit) != 0))
			continue;
		dash_json_obj(w);
		dash_json_kstr(w, "code", u->code);
		dash_json_kstr(w, "name", u->name);
		dash_json_kstr(w, "level", cs_level_name(u->level));
		sipas_est(w, cs_sipas_headline(res, u));
		dash_json_end(w);
	}
	dash_json_end_arr(w);
	dash_json_end(w);
out:
	cs_free(fix);
	cs_free(weak);
	cs_free(keys);
	return rc;
}

/* --- Dashboards ------------------------------------------------------- */

/* The frameworks of period p with their version and title. */
static enum cs_err frameworks_json(struct dash_json *w, struct cs_store *s,
				   const struct cs_period *p, struct cs_error *err)
{
	struct cs_arena arena;
	struct cs_vec codes, stored;
	enum cs_err rc;

	cs_arena_init(&arena, 0);
	cs_vec_init(&codes, sizeof(char *), 0);
	cs_vec_init(&stored, sizeof(struct cs_fw_stored), 0);
	rc = period_frameworks(s, p, &arena, &codes, err);
	if (!rc && codes.len)
		rc = cs_framework_store_list(s, &arena, &stored, err);
	dash_json_arr(w);
	for (size_t i = 0; !rc && i < codes.len; i++) {
		const char *code = *(char **)cs_vec_at(&codes, i);
		char version[CS_SCORE_CODE_LEN];
		const char *title = NULL;
		bool found = false;

		rc = cs_score_store_version(s, p->id, code, version, &found, err);
		for (size_t k = 0; !rc && k < stored.len; k++) {
			const struct cs_fw_stored *e = cs_vec_at(&stored, k);

			/* The version the scores use, else the newest (listed last). */
			if (strcmp(e->code, code) == 0 &&
			    (!found || strcmp(e->version, version) == 0))
				title = e->title;
		}
		dash_json_obj(w);
		dash_json_kstr(w, "code", code);
		dash_json_kstr(w, "version", found ? version : NULL);
		dash_json_kstr(w, "title", title);
		dash_json_end(w);
	}
	dash_json_end_arr(w);
	cs_vec_release(&stored);
	cs_vec_release(&codes);
	cs_arena_release(&arena);
	return rc;
}

void api_dashboards_list(struct http_req *req)
{
	struct http_db *db = http_req_db(req);
	struct cs_error err = {0};
	struct cs_vec periods;
	struct cs_buf b;
	struct dash_json w;
	enum cs_err rc;

	if (!db)
		return;
	cs_vec_init(&periods, sizeof(struct cs_period), 0);
	cs_buf_init(&b, HTTP_REPLY_MAX);
	rc = cs_public_period_list(db->store, &periods, &err);
	dash_json_init(&w, &b, &err);
	dash_json_obj(&w);
	dash_json_key(&w, "periods");
	dash_json_arr(&w);
	for (size_t i = 0; !rc && i < periods.len; i++) {
		const struct cs_period *p = cs_vec_at(&periods, i);
		struct cs_wave wave;
		bool found = false;

		dash_json_obj(&w);
		dash_json_kstr(&w, "code", p->code);
		dash_json_kstr(&w, "starts", p->starts);
		dash_json_kstr(&w, "ends", p->ends);
		dash_json_key(&w, "frameworks");
		rc = frameworks_json(&w, db->store, p, &err);
		if (!rc)
			rc = cs_sipas_period_wave(db->store, p->code, &wave, &found, &err);
		dash_json_key(&w, "wave");
		if (found) {
			dash_json_obj(&w);
			dash_json_kstr(&w, "code", wave.code);
			dash_json_kstr(&w, "title", wave.title);
			dash_json_ksize(&w, "responses", (size_t)wave.responses);
			dash_json_end(&w);
		} else {
			dash_json_null(&w);
		}
		dash_json_end(&w);
	}
	dash_json_end_arr(&w);
	dash_json_end(&w);
	if (!rc)
		rc = dash_json_done(&w);
	reply_doc(req, rc, &err, &b);
	cs_buf_release(&b);
	cs_vec_release(&periods);
}

/* The unit code among units, or NULL. */
static const struct cs_unit *unit_find(const struct cs_unit_set *units, const char *code)
{
	for (size_t i = 0; code && i < units->units.len; i++) {
		const struct cs_unit *u = cs_unit_set_at(units, i);

		if (strcmp(u->code, code) == 0)
			return u;
	}
	return NULL;
}

/* A unit with the chain of units above it (root first), for a breadcrumb trail. */
static void unit_json(struct dash_json *w, const struct cs_unit_set *units, const struct cs_unit *u)
{
	const struct cs_unit *chain[64];
	size_t n = 0;

	for (const struct cs_unit *a = unit_find(units, u->parent); a && n < 64;
	     a = unit_find(units, a->parent))
		chain[n++] = a;
	dash_json_obj(w);
	dash_json_kstr(w, "code", u->code);
	dash_json_kstr(w, "name", u->name);
	dash_json_kstr(w, "level", cs_level_name(u->level));
	dash_json_kstr(w, "parent", u->parent);
	dash_json_key(w, "ancestors");
	dash_json_arr(w);
	while (n--) {
		dash_json_obj(w);
		dash_json_kstr(w, "code", chain[n]->code);
		dash_json_kstr(w, "name", chain[n]->name);
		dash_json_end(w);
	}
	dash_json_end_arr(w);
	dash_json_end(w);
}

/*
 * Loads the units and finds ?unit= into *out (NULL when not asked). False
 * after answering 404 for an unknown unit or 500.
 */
static bool query_unit(struct http_req *req, struct http_db *db, struct cs_unit_set *units,
		       const struct cs_unit **out)
{
	struct cs_error err = {0};
	const char *code;

	*out = NULL;
	if (!query_code(req, "unit", false, &code))
		return false;
	if (cs_unit_store_load(db->store, units, &err)) {
		http_reply_internal(req, &err);
		return false;
	}
	if (code && !(*out = unit_find(units, code))) {
		http_problem(req, 404, "unknown-unit", "unit", "unit: no unit with code '%.64s'",
			     code);
		return false;
	}
	return true;
}

/* The SIPAS part of a period's dashboard: its wave's summary for unit (NULL: everyone), or null. */
static enum cs_err dashboard_sipas(struct dash_json *w, struct cs_store *s,
				   const struct cs_period *p, const char *unit,
				   struct cs_error *err)
{
	struct cs_sipas_wave_opts o = cs_sipas_wave_opts_default();
	struct cs_sipas_wave sw;
	const struct cs_sipas_domain *d = NULL;
	struct cs_wave wave;
	bool found = false;
	enum cs_err rc = cs_sipas_period_wave(s, p->code, &wave, &found, err);

	cs_sipas_wave_init(&sw);
	if (!rc && found)
		rc = cs_sipas_wave_compute(s, wave.code, &o, &sw, err);
	if (!rc && found)
		d = unit ? cs_sipas_find(sw.res, CS_SIPAS_BY_UNIT, unit)
			 : cs_sipas_find(sw.res, CS_SIPAS_BY_ALL, "all");
	if (!rc && d)
		rc = sipas_summary(w, &sw, d, unit, err);
	else if (!rc)
		dash_json_null(w);
	cs_sipas_wave_release(&sw);
	return rc;
}

void api_dashboards_get(struct http_req *req)
{
	const char *period = http_req_param(req, "period");
	const struct cs_unit *unit = NULL;
	struct cs_error err = {0};
	struct cs_unit_set units;
	struct cs_arena arena;
	struct cs_vec codes;
	struct http_db *db;
	struct cs_period p;
	struct cs_buf b;
	struct dash_json w;
	enum cs_err rc;

	if (!period || !(db = http_req_db(req)) || !public_period(req, db, period, "period", &p))
		return;
	cs_unit_set_init(&units);
	cs_arena_init(&arena, 0);
	cs_vec_init(&codes, sizeof(char *), 0);
	cs_buf_init(&b, HTTP_REPLY_MAX);
	if (!query_unit(req, db, &units, &unit))
		goto out;
	dash_json_init(&w, &b, &err);
	dash_json_obj(&w);
	dash_json_key(&w, "period");
	dash_json_obj(&w);
	dash_json_kstr(&w, "code", p.code);
	dash_json_kstr(&w, "starts", p.starts);
	dash_json_kstr(&w, "ends", p.ends);
	dash_json_end(&w);
	dash_json_key(&w, "unit");
	unit ? unit_json(&w, &units, unit) : dash_json_null(&w);
	dash_json_key(&w, "par");
	dash_json_arr(&w);
	rc = period_frameworks(db->store, &p, &arena, &codes, &err);
	for (size_t i = 0; !rc && i < codes.len; i++) {
		struct par_calc pc;

		par_calc_init(&pc);
		rc = par_calc_run(db->store, p.code, *(char **)cs_vec_at(&codes, i), &pc, &err);
		if (!rc)
			par_ranking(&w, &pc, unit ? unit->code : NULL);
		par_calc_release(&pc);
	}
	dash_json_end_arr(&w);
	dash_json_key(&w, "sipas");
	if (!rc)
		rc = dashboard_sipas(&w, db->store, &p, unit ? unit->code : NULL, &err);
	dash_json_end(&w);
	if (!rc)
		rc = dash_json_done(&w);
	if (rc) {
		fail(req, &err, "period");
		goto out;
	}
	http_reply_buf(req, 200, JSON_TYPE, &b);
out:
	cs_buf_release(&b);
	cs_vec_release(&codes);
	cs_arena_release(&arena);
	cs_unit_set_release(&units);
}

/* --- Trend ------------------------------------------------------------ */

/* One period of a trend: each framework's index of unit (or the average), and the SIPAS overall. */
static enum cs_err trend_period(struct dash_json *w, struct cs_store *s, const struct cs_period *p,
				const char *unit, struct cs_error *err)
{
	struct cs_sipas_wave_opts o = cs_sipas_wave_opts_default();
	struct cs_sipas_wave sw;
	struct cs_arena arena;
	struct cs_vec codes;
	struct cs_wave wave;
	bool found = false;
	enum cs_err rc;

	cs_arena_init(&arena, 0);
	cs_vec_init(&codes, sizeof(char *), 0);
	cs_sipas_wave_init(&sw);
	dash_json_obj(w);
	dash_json_kstr(w, "code", p->code);
	dash_json_kstr(w, "starts", p->starts);
	dash_json_kstr(w, "ends", p->ends);
	dash_json_key(w, "par");
	dash_json_arr(w);
	rc = period_frameworks(s, p, &arena, &codes, err);
	for (size_t i = 0; !rc && i < codes.len; i++) {
		const struct cs_par_report *r;
		struct par_calc pc;
		size_t at;

		par_calc_init(&pc);
		rc = par_calc_run(s, p->code, *(char **)cs_vec_at(&codes, i), &pc, err);
		r = &pc.c.report;
		at = rc ? SIZE_MAX : par_find(r->run, unit);
		if (!rc && !unit) {
			const struct cs_par_group *g = group_all(r->run);

			dash_json_obj(w);
			dash_json_kstr(w, "framework", cs_framework_info(r->fw)->code);
			dash_json_kstr(w, "title", cs_framework_info(r->fw)->title);
			dash_json_key(w, "index");
			g && g->n ? par_num(w, r, g->mean) : dash_json_null(w);
			dash_json_ksize(w, "n", g ? g->n : 0);
			dash_json_ksize(w, "units", g ? g->units : 0);
			dash_json_end(w);
		} else if (!rc && at != SIZE_MAX) {
			const struct cs_par_result *res = &r->run->results[at];
			bool has = cs_par_report_has_result(res);
			const struct cs_fw_band *band =
				has && res->band != CS_FW_NONE ? cs_framework_band(r->fw, res->band)
							       : NULL;
			char pos[CS_FMT_MAX];

			dash_json_obj(w);
			dash_json_kstr(w, "framework", cs_framework_info(r->fw)->code);
			dash_json_kstr(w, "title", cs_framework_info(r->fw)->title);
			dash_json_kstr(w, "state", cs_par_state_name(res->state));
			dash_json_key(w, "index");
			has ? par_num(w, r, res->published) : dash_json_null(w);
			dash_json_kstr(w, "band", band ? band->code : NULL);
			dash_json_kstr(w, "position",
				       res->rank ? cs_fmt_rank(res->rank, res->ranked_of, pos)
						 : NULL);
			dash_json_end(w);
		}
		par_calc_release(&pc);
	}
	dash_json_end_arr(w);
	dash_json_key(w, "sipas");
	if (!rc)
		rc = cs_sipas_period_wave(s, p->code, &wave, &found, err);
	if (!rc && found) {
		const struct cs_sipas_domain *d;

		o.compare = false;
		rc = cs_sipas_wave_compute(s, wave.code, &o, &sw, err);
		d = rc	   ? NULL
		    : unit ? cs_sipas_find(sw.res, CS_SIPAS_BY_UNIT, unit)
			   : cs_sipas_find(sw.res, CS_SIPAS_BY_ALL, "all");
		found = d != NULL;
		if (d) {
			dash_json_obj(w);
			dash_json_kstr(w, "wave", wave.code);
			sipas_est(w, cs_sipas_headline(sw.res, d));
			dash_json_end(w);
		}
	}
	if (!found)
		dash_json_null(w);
	dash_json_end(w);
	cs_sipas_wave_release(&sw);
	cs_vec_release(&codes);
	cs_arena_release(&arena);
	return rc;
}

void api_trend(struct http_req *req)
{
	const struct cs_unit *unit = NULL;
	struct cs_error err = {0};
	struct cs_unit_set units;
	struct cs_vec periods;
	struct http_db *db;
	struct cs_buf b;
	struct dash_json w;
	enum cs_err rc;

	if (!(db = http_req_db(req)))
		return;
	cs_unit_set_init(&units);
	cs_vec_init(&periods, sizeof(struct cs_period), 0);
	cs_buf_init(&b, HTTP_REPLY_MAX);
	if (!query_unit(req, db, &units, &unit))
		goto out;
	dash_json_init(&w, &b, &err);
	dash_json_obj(&w);
	dash_json_key(&w, "unit");
	unit ? unit_json(&w, &units, unit) : dash_json_null(&w);
	dash_json_key(&w, "periods");
	dash_json_arr(&w);
	rc = cs_public_period_list(db->store, &periods, &err);
	for (size_t i = 0; !rc && i < periods.len; i++)
		rc = trend_period(&w, db->store, cs_vec_at(&periods, i), unit ? unit->code : NULL,
				  &err);
	dash_json_end_arr(&w);
	dash_json_end(&w);
	if (!rc)
		rc = dash_json_done(&w);
	if (rc) {
		fail(req, &err, NULL);
		goto out;
	}
	http_reply_buf(req, 200, JSON_TYPE, &b);
out:
	cs_buf_release(&b);
	cs_vec_release(&periods);
	cs_unit_set_release(&units);
}

/* --- Pages ------------------------------------------------------------ */

/*
 * Answers with the dashboard page in the client's language: one page for
 * every view, which its script fills from the API. status is 404 for a
 * period that is not public (the script then says so).
 */
static void serve_page(struct http_req *req, unsigned status)
{
	enum http_lang lang = http_req_lang(req);
	const char *name = lang == HTTP_LANG_EN ? "dashboard/dashboard.en.html"
						: "dashboard/dashboard.vi.html";
	const struct http_asset_served *s =
		http_assets_find(http_req_assets(req), name, strlen(name));
	bool gz;
	const char *etag;

	if (!s) {
		http_problem(req, 404, NULL, NULL, "no dashboard page in this build");
		return;
	}
	gz = s->gz && http_accepts_gzip(http_req_header(req, "Accept-Encoding"));
	etag = gz ? s->gz_etag : s->asset->etag;
	http_reply_header(req, "Vary", "Accept-Language");
	http_reply_header(req, "Content-Language", http_lang_code(lang));
	if (s->gz)
		http_reply_header(req, "Vary", "Accept-Encoding");
	if (status == 200) {
		http_reply_header(req, "ETag", etag);
		if (http_etag_match(http_req_header(req, "If-None-Match"), etag)) {
			http_reply_not_modified(req);
			return;
		}
	}
	if (gz) {
		http_reply_header(req, "Content-Encoding", "gzip");
		http_reply_static(req, status, s->type, s->gz, s->gz_len);
	} else {
		http_reply_static(req, status, s->type, s->asset->data, s->asset->len);
	}
}

void page_dashboard(struct http_req *req)
{
	serve_page(req, 200);
}

/* 200 when period is public (and unit, when not NULL, exists), else 404; 0 after answering. */
static unsigned page_status(struct http_req *req, const char *period, const char *unit)
{
	struct cs_error err = {0};
	struct cs_unit_set units;
	struct http_db *db = http_req_db(req);
	struct cs_period p;
	bool pub = false;
	enum cs_err rc;

	if (!db)
		return 0;
	rc = cs_score_store_period(db->store, period, &p, &err);
	if (rc == CS_ENOTFOUND)
		return 404;
	if (!rc)
		rc = cs_public_period_is(db->store, p.id, &pub, &err);
	if (!rc && pub && unit) {
		cs_unit_set_init(&units);
		rc = cs_unit_store_load(db->store, &units, &err);
		pub = !rc && unit_find(&units, unit);
		cs_unit_set_release(&units);
	}
	if (rc) {
		http_reply_internal(req, &err);
		return 0;
	}
	return pub ? 200 : 404;
}

void page_dashboard_period(struct http_req *req)
{
	const char *period = http_req_param(req, "period");
	unsigned status;

	if (period && (status = page_status(req, period, NULL)) != 0)
		serve_page(req, status);
}

void page_dashboard_unit(struct http_req *req)
{
	const char *period = http_req_param(req, "period"), *unit;
	unsigned status;

	if (!period || !(unit = http_req_param(req, "code")))
		return;
	if ((status = page_status(req, period, unit)) != 0)
		serve_page(req, status);
}
