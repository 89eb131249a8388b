/*
 * GET /api/v1/units and /api/v1/units/{code}: the organisation tree
 * (METHODOLOGY M1), names in Vietnamese order, as the CLI lists them.
 */
#include <stdlib.h>
#include <string.h>

#include "core/unit.h"
#include "http/request.h"
#include "http/routes.h"
#include "store/unit_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* Deepest tree written; the importer keeps the tree acyclic and far shallower. */
#define TREE_DEPTH_MAX 64

/* The units and their order, for one request. */
struct units {
	struct cs_unit_set set;
	size_t *order; /* indexes into set, by Vietnamese name then code */
	const struct cs_collator *vi;
};

/* qsort has no context argument; each worker thread sorts with its own. */
static _Thread_local const struct units *sort_ctx;

static int by_name(const void *a, const void *b)
{
	const struct cs_unit *ua = cs_unit_set_at(&sort_ctx->set, *(const size_t *)a);
	const struct cs_unit *ub = cs_unit_set_at(&sort_ctx->set, *(const size_t *)b);
	int c = cs_collator_cmpz(sort_ctx->vi, ua->name, ub->name);

	return c ? c : strcmp(ua->code, ub->code);
}

static void units_release(struct units *u)
{
	cs_free(u->order);
	cs_unit_set_release(&u->set);
}

/* Loads and sorts every unit; false after answering on failure. */
static bool units_load(struct http_req *req, struct units *u)
{
	struct http_db *db = http_req_db(req);
	struct cs_error err = {0};

	cs_unit_set_init(&u->set);
	u->order = NULL;
	if (!db)
		return false;
	u->vi = db->vi;
	if (cs_unit_store_load(db->store, &u->set, &err) != CS_OK) {
		http_reply_internal(req, &err);
		return false;
	}
	u->order = cs_calloc(u->set.units.len ? u->set.units.len : 1, sizeof(size_t));
	if (!u->order) {
		http_reply_internal(req, &(struct cs_error){CS_ENOMEM, ""});
		return false;
	}
	for (size_t i = 0; i < u->set.units.len; i++)
		u->order[i] = i;
	sort_ctx = u;
	qsort(u->order, u->set.units.len, sizeof(size_t), by_name);
	sort_ctx = NULL;
	return true;
}

static const struct cs_unit *find_code(const struct units *u, const char *code)
{
	for (size_t i = 0; i < u->set.units.len; i++) {
		const struct cs_unit *x = cs_unit_set_at(&u->set, i);

		if (strcmp(x->code, code) == 0)
			return x;
	}
	return NULL;
}

/* A ';'-joined list as a JSON array of strings ([] for none). */
static json_t *list_json(const char *list)
{
	json_t *arr = json_array();
	struct cs_str rest = cs_str_from(list), tok;

	while (arr && list && *list && cs_str_next(&rest, ';', &tok)) {
		if (tok.len && json_array_append_new(arr, json_stringn(tok.ptr, tok.len)) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *unit_json(const struct cs_unit *x)
{
	return json_pack("{s:s, s:s, s:s?, s:s, s:o, s:s?, s:s?, s:o}", "code", x->code, "name",
			 x->name, "parent", x->parent, "level", cs_level_name(x->level), "flags",
			 list_json(x->flags), "valid_from", x->valid_from, "valid_to", x->valid_to,
			 "successors", list_json(x->successor));
}

static bool is_child(const struct cs_unit *x, const struct cs_unit *parent)
{
	if (!parent)
		return x->parent == NULL;
	return x->parent && strcmp(x->parent, parent->code) == 0;
}

/* The children of parent (the roots for NULL) with their subtrees, in name order. */
static json_t *tree_json(const struct units *u, const struct cs_unit *parent, unsigned depth)
{
	json_t *arr = json_array();

	for (size_t k = 0; arr && k < u->set.units.len; k++) {
		const struct cs_unit *x = cs_unit_set_at(&u->set, u->order[k]);
		json_t *o;

		if (!is_child(x, parent))
			continue;
		o = unit_json(x);
		if (!o ||
		    (depth < TREE_DEPTH_MAX &&
		     json_object_set_new(o, "children", tree_json(u, x, depth + 1)) != 0) ||
		    json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

void api_units_list(struct http_req *req)
{
	const char *format = http_req_query(req, "format");
	const char *level = http_req_query(req, "level");
	const char *parent_code = http_req_query(req, "parent");
	const struct cs_unit *parent = NULL;
	enum cs_level lv = CS_LEVEL_OTHER;
	struct units u;
	bool tree = false;
	json_t *arr;

	if (format && strcmp(format, "tree") == 0) {
		tree = true;
	} else if (format && strcmp(format, "flat") != 0) {
		http_problem(req, 400, NULL, "format", "format: '%.32s'; expected flat or tree",
			     format);
		return;
	}
	if (level && !cs_level_parse(cs_str_from(level), &lv)) {
		http_problem(req, 400, NULL, "level",
			     "level: '%.32s'; expected ministry, province, department, "
			     "district, commune or other",
			     level);
		return;
	}
	if (tree && level) {
		http_problem(req, 400, NULL, "level",
			     "level: a tree has every level; leave level out or ask for "
			     "format=flat");
		return;
	}
	if (!units_load(req, &u))
		goto out;
	if (parent_code) {
		parent = find_code(&u, parent_code);
		if (!parent) {
			http_problem(req, 422, "unknown-unit", "parent",
				     "parent: no unit with code '%.64s'", parent_code);
			goto out;
		}
	}
	if (tree) {
		arr = tree_json(&u, parent, 0);
	} else {
		arr = json_array();
		for (size_t k = 0; arr && k < u.set.units.len; k++) {
			const struct cs_unit *x = cs_unit_set_at(&u.set, u.order[k]);

			if (parent_code && !is_child(x, parent))
				continue;
			if (level && x->level != lv)
				continue;
			if (json_array_append_new(arr, unit_json(x)) != 0) {
				json_decref(arr);
				arr = NULL;
			}
		}
	}
	http_reply_json(req, 200, arr ? json_pack("{s:o}", "units", arr) : NULL);
out:
	units_release(&u);
}

/* {code, name} of a unit, for lists of related units. */
static json_t *ref_json(const struct cs_unit *x)
{
	return json_pack("{s:s, s:s}", "code", x->code, "name", x->name);
}

void api_units_get(struct http_req *req)
{
	const char *code = http_req_param(req, "code");
	const struct cs_unit *x, *up;
	struct units u;
	json_t *o, *children, *ancestors;
	unsigned depth = 0;

	if (!code)
		return;
	if (!units_load(req, &u))
		goto out;
	x = find_code(&u, code);
	if (!x) {
		http_problem(req, 404, "unknown-unit", "code", "code: no unit with code '%.64s'",
			     code);
		goto out;
	}
	o = unit_json(x);
	children = json_array();
	ancestors = json_array();
	for (size_t k = 0; children && k < u.set.units.len; k++) {
		const struct cs_unit *c = cs_unit_set_at(&u.set, u.order[k]);

		if (is_child(c, x) && json_array_append_new(children, ref_json(c)) != 0) {
			json_decref(children);
			children = NULL;
		}
	}
	/* Root first, for a breadcrumb trail. */
	for (up = x->parent ? find_code(&u, x->parent) : NULL; ancestors && up && depth++ < 64;
	     up = up->parent ? find_code(&u, up->parent) : NULL) {
		if (json_array_insert_new(ancestors, 0, ref_json(up)) != 0) {
			json_decref(ancestors);
			ancestors = NULL;
		}
	}
	if (!o || !children || !ancestors) {
		json_decref(o);
		json_decref(children);
		json_decref(ancestors);
		http_reply_json(req, 200, NULL);
		goto out;
	}
	/* set_new takes the reference to the value, on failure too. */
	if (json_object_set_new(o, "children", children) != 0) {
		json_decref(ancestors);
		json_decref(o);
		o = NULL;
	} else if (json_object_set_new(o, "ancestors", ancestors) != 0) {
		json_decref(o);
		o = NULL;
	}
	http_reply_json(req, 200, o);
out:
	units_release(&u);
}
