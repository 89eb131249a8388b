/*
 * The organisation model (METHODOLOGY M1): unit levels, unit sets, and the
 * import plan that merges incoming units into the stored ones by code and
 * checks the merged tree (parents, cycles, successors, validity dates).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/unit.h"
#include "util/alloc.h"

#include "util/banned.h"

static const struct {
	const char *name;
	const char *name_vi;
} levels[CS_LEVEL_COUNT_] = {
	[CS_LEVEL_MINISTRY] = {"ministry", "Cấp bộ"},
	[CS_LEVEL_PROVINCE] = {"province", "Cấp tỉnh"},
	[CS_LEVEL_DEPARTMENT] = {"department", "Cấp phòng"},
	[CS_LEVEL_DISTRICT] = {"district", "Cấp huyện"},
	[CS_LEVEL_COMMUNE] = {"commune", "Cấp xã"},
	[CS_LEVEL_OTHER] = {"other", "Khác"},
};

const char *cs_level_name(enum cs_level level)
{
	if ((unsigned)level >= CS_LEVEL_COUNT_)
		return NULL;
	return levels[level].name;
}

const char *cs_level_name_vi(enum cs_level level)
{
	if ((unsigned)level >= CS_LEVEL_COUNT_)
		return NULL;
	return levels[level].name_vi;
}

bool cs_level_parse(struct cs_str s, enum cs_level *out)
{
	for (int i = 0; i < CS_LEVEL_COUNT_; i++) {
		if (cs_str_eq_nocase(s, levels[i].name)) {
			*out = (enum cs_level)i;
			return true;
		}
	}
	return false;
}

void cs_unit_set_init(struct cs_unit_set *set)
{
	cs_arena_init(&set->arena, 0);
	cs_vec_init(&set->units, sizeof(struct cs_unit), 0);
}

void cs_unit_set_release(struct cs_unit_set *set)
{
	if (!set)
		return;
	cs_vec_release(&set->units);
	cs_arena_release(&set->arena);
}

/* Copies *s into the arena unless it is NULL; false when out of memory. */
static bool copy_str(struct cs_arena *a, const char **s)
{
	if (!*s)
		return true;
	*s = cs_arena_strndup(a, *s, strlen(*s));
	return *s != NULL;
}

enum cs_err cs_unit_set_add(struct cs_unit_set *set, const struct cs_unit *u, struct cs_error *err)
{
	struct cs_unit copy = *u;

	/* src.file is not copied: the header says it points to a name that
	 * outlives the set. */
	if (!copy_str(&set->arena, &copy.code) || !copy_str(&set->arena, &copy.name) ||
	    !copy_str(&set->arena, &copy.parent) || !copy_str(&set->arena, &copy.flags) ||
	    !copy_str(&set->arena, &copy.valid_from) || !copy_str(&set->arena, &copy.valid_to) ||
	    !copy_str(&set->arena, &copy.successor))
		return cs_fail(err, CS_ENOMEM, NULL);
	return cs_vec_push(&set->units, &copy, err);
}

struct cs_unit *cs_unit_set_at(const struct cs_unit_set *set, size_t i)
{
	return cs_vec_at(&set->units, i);
}

/* Optional strings compare equal when both are absent or empty. */
static bool same_opt(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Whether every non-empty item of the ';'-separated list a is in list b. */
static bool list_within(const char *a, const char *b)
{
	struct cs_str rest = cs_str_from(a), item;

	while (a && *a && cs_str_next(&rest, ';', &item)) {
		struct cs_str brest = cs_str_from(b), bitem;
		bool found = false;

		if (item.len == 0)
			continue;
		while (!found && b && *b && cs_str_next(&brest, ';', &bitem))
			found = cs_str_eq(item, bitem);
		if (!found)
			return false;
	}
	return true;
}

/*
 * Lists compare as sets: the database keeps successors in a table with no
 * order, so "A;B" loaded back may read "B;A" and is still the same unit.
 */
static bool same_list(const char *a, const char *b)
{
	return list_within(a, b) && list_within(b, a);
}

bool cs_unit_same(const struct cs_unit *a, const struct cs_unit *b)
{
	return same_opt(a->code, b->code) && same_opt(a->name, b->name) &&
	       same_opt(a->parent, b->parent) && a->level == b->level &&
	       same_list(a->flags, b->flags) && same_opt(a->valid_from, b->valid_from) &&
	       same_opt(a->valid_to, b->valid_to) && same_list(a->successor, b->successor);
}

void cs_unit_plan_init(struct cs_unit_plan *plan)
{
	cs_vec_init(&plan->changes, sizeof(enum cs_unit_change), 0);
	plan->added = plan->changed = plan->unchanged = plan->kept = 0;
}

void cs_unit_plan_release(struct cs_unit_plan *plan)
{
	if (!plan)
		return;
	cs_vec_release(&plan->changes);
	plan->added = plan->changed = plan->unchanged = plan->kept = 0;
}

#define NONE SIZE_MAX

/* One unit of the merged set, as a node of the tree being checked. */
struct node {
	const struct cs_unit *u;
	size_t in;	     /* index among the incoming units, NONE for a stored one */
	size_t parent;	     /* index of the parent node, NONE for a root */
	unsigned char state; /* cycle search: 0 unseen, 1 on the current path, 2 done */
	bool on_cycle;
};

static int cmp_unit_ptr(const void *a, const void *b)
{
	const struct cs_unit *const *x = a, *const *y = b;

	return strcmp((*x)->code, (*y)->code);
}

static int cmp_node(const void *a, const void *b)
{
	const struct node *x = a, *y = b;

	return strcmp(x->u->code, y->u->code);
}

/* The stored unit with this code, or NULL; idx is sorted by code. */
static const struct cs_unit *find_unit(const struct cs_unit **idx, size_t n, const char *code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, idx[mid]->code);

		if (c == 0)
			return idx[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The index of the node with this code (nodes sorted by code), or NONE. */
static size_t find_node(const struct node *nodes, size_t n, const char *code, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = nodes[mid].u->code;
		int c = strncmp(code, k, len);

		if (c == 0 && k[len] != '\0')
			c = -1; /* code is a proper prefix of k, so it sorts first */
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NONE;
}

/*
 * Writes where a unit came from, as a message prefix: "file:line:col: ",
 * "file:line: " without a column, "" for a unit that is not from a file.
 */
static void where(const struct cs_unit *u, unsigned col, char *out, size_t size)
{
	if (!u->src.file)
		snprintf(out, size, "%s", "");
	else if (col)
		snprintf(out, size, "%s:%zu:%u: ", u->src.file, u->src.line, col);
	else
		snprintf(out, size, "%s:%zu: ", u->src.file, u->src.line);
}

/* The parent check of one incoming unit. */
static enum cs_err check_parent(const struct node *nodes, size_t n, struct node *nd,
				struct cs_error *err)
{
	const struct cs_unit *u = nd->u;
	char at[256];

	nd->parent = NONE;
	if (!u->parent || !*u->parent)
		return CS_OK;
	where(u, u->src.col_parent, at, sizeof(at));
	if (strcmp(u->parent, u->code) == 0)
		return cs_fail(err, CS_EPARSE, "%sunit '%s' cannot be its own parent", at, u->code);
	nd->parent = find_node(nodes, n, u->parent, strlen(u->parent));
	if (nd->parent == NONE) {
		if (nd->in == NONE)
			return cs_fail(err, CS_EPARSE,
				       "stored unit '%s' has unknown parent '%s'; the database "
				       "is inconsistent",
				       u->code, u->parent);
		return cs_fail(err, CS_EPARSE,
			       "%sunknown parent '%s' of unit '%s'; the parent must be in the "
			       "file or already in the database",
			       at, u->parent, u->code);
	}
	return CS_OK;
}

/* The successor and date checks of one incoming unit. */
static enum cs_err check_unit(const struct node *nodes, size_t n, const struct cs_unit *u,
			      struct cs_error *err)
{
	struct cs_str list = cs_str_from(u->successor), item;
	char at[256];

	while (u->successor && cs_str_next(&list, ';', &item)) {
		if (item.len == 0)
			continue;
		where(u, u->src.col_successor, at, sizeof(at));
		if (cs_str_eq_cstr(item, u->code))
			return cs_fail(err, CS_EPARSE, "%sunit '%s' cannot be its own successor",
				       at, u->code);
		if (find_node(nodes, n, item.ptr, item.len) == NONE)
			return cs_fail(err, CS_EPARSE,
				       "%ssuccessor '%.*s' of unit '%s' does not exist", at,
				       (int)item.len, item.ptr, u->code);
	}
	if (u->valid_from && *u->valid_from && u->valid_to && *u->valid_to &&
	    strcmp(u->valid_from, u->valid_to) > 0) {
		where(u, 0, at, sizeof(at));
		return cs_fail(err, CS_EPARSE,
			       "%sunit '%s' is valid from %s, after its valid_to %s; expected "
			       "valid_from on or before valid_to",
			       at, u->code, u->valid_from, u->valid_to);
	}
	return CS_OK;
}

/*
 * Marks the nodes that lie on a cycle of the parent links. Each node has at
 * most one parent, so every walk up from a node either reaches a root, a
 * node already finished, or a node of its own path: then the part of the
 * path from that node on is a cycle. Every node is walked once: O(n).
 */
static void mark_cycles(struct node *nodes, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		size_t j = k;

		while (j != NONE && nodes[j].state == 0) {
			nodes[j].state = 1;
			j = nodes[j].parent;
		}
		if (j != NONE && nodes[j].state == 1) {
			size_t c = j;

			do {
				nodes[c].on_cycle = true;
				c = nodes[c].parent;
			} while (c != j);
		}
		for (j = k; j != NONE && nodes[j].state == 1; j = nodes[j].parent)
			nodes[j].state = 2;
	}
}

/* Reports the cycle through node k: "A -> B -> C -> A", cut if long. */
static enum cs_err cycle_error(const struct node *nodes, size_t k, struct cs_error *err)
{
	const struct cs_unit *u = nodes[k].u;
	char path[320], at[256];
	size_t len = 0;
	size_t j = k;
	int w;

	do {
		const char *code = nodes[j].u->code;

		if (len + strlen(code) + 8 > 240) {
			w = snprintf(path + len, sizeof(path) - len, "... -> ");
			len += (size_t)w;
			break;
		}
		w = snprintf(path + len, sizeof(path) - len, "%s -> ", code);
		len += (size_t)w;
		j = nodes[j].parent;
	} while (j != k);
	snprintf(path + len, sizeof(path) - len, "%.64s", u->code);
	if (nodes[k].in == NONE)
		return cs_fail(err, CS_EPARSE,
			       "stored unit '%s' is its own ancestor (%s); the database is "
			       "inconsistent",
			       u->code, path);
	where(u, u->src.col_parent, at, sizeof(at));
	return cs_fail(err, CS_EPARSE, "%sunit '%s' is its own ancestor (%s)", at, u->code, path);
}

/* Sets *dst to a copy of the stored value src in the arena; false when out of memory. */
static bool inherit(struct cs_arena *a, const char **dst, const char *src)
{
	*dst = src && *src ? cs_arena_strndup(a, src, strlen(src)) : NULL;
	return !src || !*src || *dst;
}

/* Fields whose column the file did not have keep the stored unit's value. */
static enum cs_err keep_absent(struct cs_unit_set *in, struct cs_unit *u, const struct cs_unit *s,
			       struct cs_error *err)
{
	if (!u->src.file)
		return CS_OK;
	if ((!u->src.col_flags && !inherit(&in->arena, &u->flags, s->flags)) ||
	    (!u->src.col_valid_from && !inherit(&in->arena, &u->valid_from, s->valid_from)) ||
	    (!u->src.col_valid_to && !inherit(&in->arena, &u->valid_to, s->valid_to)) ||
	    (!u->src.col_successor && !inherit(&in->arena, &u->successor, s->successor)))
		return cs_fail(err, CS_ENOMEM, NULL);
	return CS_OK;
}

enum cs_err cs_unit_plan_make(const struct cs_unit_set *stored, struct cs_unit_set *incoming,
			      struct cs_unit_plan *plan, struct cs_error *err)
{
	size_t ns = stored->units.len, ni = incoming->units.len, nn = 0;
	const struct cs_unit **sidx = NULL;
	bool *replaced = NULL;
	struct node *nodes = NULL;
	size_t *pos_in = NULL;
	size_t nreplaced = 0;
	enum cs_err rc = CS_OK;
	char at[256];

	cs_vec_clear(&plan->changes);
	plan->added = plan->changed = plan->unchanged = plan->kept = 0;
	sidx = cs_calloc(ns, sizeof(*sidx));
	replaced = cs_calloc(ns, sizeof(*replaced));
	nodes = cs_calloc(ns + ni, sizeof(*nodes));
	pos_in = cs_calloc(ni, sizeof(*pos_in));
	if (!sidx || !replaced || !nodes || !pos_in) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	rc = cs_vec_reserve(&plan->changes, ni, err);
	if (rc)
		goto out;

	/* What happens to each incoming unit: matched to the stored ones by
	 * code through a sorted index, O((n + m) log n). */
	for (size_t i = 0; i < ns; i++)
		sidx[i] = cs_unit_set_at(stored, i);
	qsort(sidx, ns, sizeof(*sidx), cmp_unit_ptr);
	for (size_t i = 0; i < ni; i++) {
		struct cs_unit *u = cs_unit_set_at(incoming, i);
		const struct cs_unit *s = find_unit(sidx, ns, u->code);
		enum cs_unit_change ch = CS_UNIT_ADDED;

		if (s) {
			size_t si = (size_t)(s - cs_unit_set_at(stored, 0));

			rc = keep_absent(incoming, u, s, err);
			if (rc)
				goto out;
			ch = cs_unit_same(u, s) ? CS_UNIT_UNCHANGED : CS_UNIT_CHANGED;
			if (!replaced[si]) {
				replaced[si] = true;
				nreplaced++;
			}
		}
		plan->added += ch == CS_UNIT_ADDED;
		plan->changed += ch == CS_UNIT_CHANGED;
		plan->unchanged += ch == CS_UNIT_UNCHANGED;
		rc = cs_vec_push(&plan->changes, &ch, err);
		if (rc)
			goto out;
	}
	plan->kept = ns - nreplaced;

	/* The merged set: incoming units, and stored ones not replaced. */
	for (size_t i = 0; i < ni; i++)
		nodes[nn++] = (struct node){.u = cs_unit_set_at(incoming, i), .in = i};
	for (size_t i = 0; i < ns; i++)
		if (!replaced[i])
			nodes[nn++] = (struct node){.u = cs_unit_set_at(stored, i), .in = NONE};
	qsort(nodes, nn, sizeof(*nodes), cmp_node);
	for (size_t k = 0; k < nn; k++) {
		if (nodes[k].in != NONE)
			pos_in[nodes[k].in] = k;
		if (k > 0 && strcmp(nodes[k - 1].u->code, nodes[k].u->code) == 0) {
			/* The parser rejects duplicates; this guards other callers. */
			const struct cs_unit *u = nodes[k].in != NONE ? nodes[k].u : nodes[k - 1].u;

			where(u, u->src.col_code, at, sizeof(at));
			rc = cs_fail(err, CS_EPARSE, "%sduplicate code '%s'", at, u->code);
			goto out;
		}
	}

	/* Checks in the order of the file, so the first problem is reported. */
	for (size_t i = 0; i < ni; i++) {
		rc = check_parent(nodes, nn, &nodes[pos_in[i]], err);
		if (!rc)
			rc = check_unit(nodes, nn, nodes[pos_in[i]].u, err);
		if (rc)
			goto out;
	}
	for (size_t k = 0; k < nn; k++) {
		if (nodes[k].in != NONE)
			continue;
		rc = check_parent(nodes, nn, &nodes[k], err);
		if (rc)
			goto out;
	}
	mark_cycles(nodes, nn);
	for (size_t i = 0; i < ni; i++) {
		if (nodes[pos_in[i]].on_cycle) {
			rc = cycle_error(nodes, pos_in[i], err);
			goto out;
		}
	}
	for (size_t k = 0; k < nn; k++) {
		if (nodes[k].on_cycle) {
			rc = cycle_error(nodes, k, err);
			goto out;
		}
	}
out:
	if (rc) {
		cs_vec_clear(&plan->changes);
		plan->added = plan->changed = plan->unchanged = plan->kept = 0;
	}
	cs_free(sidx);
	cs_free(replaced);
	cs_free(nodes);
	cs_free(pos_in);
	return rc;
}
