/*
 * Units and periods in the database: loading the organisation tree, writing
 * the units of a checked import plan in one transaction with an audit row per
 * changed field, and adding and listing periods.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "store/audit.h"
#include "store/unit_store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/vec.h"

#include "util/banned.h"

/* Longest ';'-joined successor list handled; far beyond any real merger. */
#define SUCCESSORS_MAX (64u * 1024)

/* Most successors one unit may name (a province merged into several). */
#define SUCCESSOR_COUNT_MAX 1024

/*
 * A list of unit codes being put into canonical order: the codes NUL-separated
 * in text, their offsets in offs. Kept across units so that its memory is
 * reused.
 */
struct code_list {
	struct cs_buf text;
	struct cs_vec offs;   /* of size_t */
	struct cs_vec ptrs;   /* of const char *, filled by code_list_join */
	struct cs_buf joined; /* the result of code_list_join */
};

static void code_list_init(struct code_list *l)
{
	cs_buf_init(&l->text, SUCCESSORS_MAX);
	cs_vec_init(&l->offs, sizeof(size_t), SUCCESSOR_COUNT_MAX);
	cs_vec_init(&l->ptrs, sizeof(const char *), SUCCESSOR_COUNT_MAX);
	cs_buf_init(&l->joined, SUCCESSORS_MAX);
}

static void code_list_release(struct code_list *l)
{
	cs_buf_release(&l->text);
	cs_vec_release(&l->offs);
	cs_vec_release(&l->ptrs);
	cs_buf_release(&l->joined);
}

static void code_list_reset(struct code_list *l)
{
	cs_buf_reset(&l->text);
	cs_vec_clear(&l->offs);
	cs_vec_clear(&l->ptrs);
	cs_buf_reset(&l->joined);
}

static enum cs_err code_list_add(struct code_list *l, const char *code, size_t len,
				 struct cs_error *err)
{
	size_t off = l->text.len;
	enum cs_err rc = cs_buf_add(&l->text, code, len, err);

	if (!rc)
		rc = cs_buf_addc(&l->text, '\0', err);
	if (!rc)
		rc = cs_vec_push(&l->offs, &off, err);
	return rc;
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Joins the codes with ';' in byte order, which is what the loader returns,
 * so that a stored list and an incoming one compare equal whatever order the
 * file gave. Byte order rather than ORDER BY: PostgreSQL would sort by the
 * server's locale. *out is NULL for an empty list and owned by l.
 */
static enum cs_err code_list_join(struct code_list *l, const char **out, struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	*out = NULL;
	if (l->offs.len == 0)
		return CS_OK;
	cs_vec_clear(&l->ptrs);
	for (size_t i = 0; !rc && i < l->offs.len; i++) {
		const char *p = l->text.data + *(size_t *)cs_vec_at(&l->offs, i);

		rc = cs_vec_push(&l->ptrs, &p, err);
	}
	if (rc)
		return rc;
	cs_vec_sort(&l->ptrs, cmp_code);
	cs_buf_reset(&l->joined);
	for (size_t i = 0; !rc && i < l->ptrs.len; i++) {
		if (i)
			rc = cs_buf_addc(&l->joined, ';', err);
		if (!rc)
			rc = cs_buf_addstr(&l->joined, *(const char **)cs_vec_at(&l->ptrs, i), err);
	}
	if (!rc)
		*out = l->joined.data;
	return rc;
}

/* The successors of the unit with the given id, into l (joined form in *out). */
static enum cs_err read_successors(struct cs_stmt *st, int64_t unit_id, struct code_list *l,
				   const char **out, struct cs_error *err)
{
	bool row = true;
	enum cs_err rc;

	code_list_reset(l);
	*out = NULL;
	rc = cs_stmt_bind_i64(st, 1, unit_id, err);
	while (!rc) {
		const char *code;
		size_t len = 0;

		rc = cs_stmt_step(st, &row, err);
		if (rc || !row)
			break;
		code = cs_stmt_text(st, 0, &len);
		rc = code_list_add(l, code ? code : "", len, err);
	}
	cs_stmt_reset(st, NULL);
	if (!rc)
		rc = code_list_join(l, out, err);
	return rc;
}

/* The stored form of an optional text: absent and empty are the same. */
static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

#define SQL_SUCCESSORS                                                                      \
	"select s.code from unit_successor us join unit s on s.id = us.successor_id where " \
	"us.unit_id = ?"

enum cs_err cs_unit_store_load(struct cs_store *s, struct cs_unit_set *out, struct cs_error *err)
{
	struct cs_stmt *units = NULL;
	struct cs_stmt *succ = NULL;
	struct code_list list;
	bool row = true;
	enum cs_err rc;

	code_list_init(&list);
	rc = cs_stmt_prepare(s,
			     "select u.id, u.code, u.name, p.code, u.level, u.flags, u.valid_from, "
			     "u.valid_to from unit u left join unit p on p.id = u.parent_id "
			     "order by u.id",
			     &units, err);
	if (!rc)
		rc = cs_stmt_prepare(s, SQL_SUCCESSORS, &succ, err);
	while (!rc) {
		struct cs_unit u;
		const char *level;

		rc = cs_stmt_step(units, &row, err);
		if (rc || !row)
			break;
		memset(&u, 0, sizeof(u));
		u.id = cs_stmt_i64(units, 0);
		u.code = cs_stmt_text(units, 1, NULL);
		u.name = cs_stmt_text(units, 2, NULL);
		u.parent = cs_stmt_text(units, 3, NULL);
		level = cs_stmt_text(units, 4, NULL);
		if (!level || !cs_level_parse(cs_str_from(level), &u.level)) {
			rc = cs_fail(
				err, CS_ESTORE,
				"unit '%s': unknown level '%s' in the database; expected one of "
				"ministry, province, department, district, commune, other",
				u.code ? u.code : "", level ? level : "");
			break;
		}
		u.flags = nonempty(cs_stmt_text(units, 5, NULL));
		u.valid_from = cs_stmt_text(units, 6, NULL);
		u.valid_to = cs_stmt_text(units, 7, NULL);
		rc = read_successors(succ, u.id, &list, &u.successor, err);
		if (!rc)
			rc = cs_unit_set_add(out, &u, err);
	}
	cs_stmt_free(succ);
	cs_stmt_free(units);
	code_list_release(&list);
	return rc;
}

/* The statements of one apply, prepared once. */
struct apply_ctx {
	struct cs_store *s;
	struct cs_stmt *insert;
	struct cs_stmt *old;
	struct cs_stmt *find;
	struct cs_stmt *update;
	struct cs_stmt *del_succ;
	struct cs_stmt *add_succ;
	struct cs_stmt *succ;
	struct code_list old_succ;
	struct code_list new_succ;
	struct cs_buf old_text; /* old values of the unit being written, NUL-separated */
};

static const struct {
	size_t offset;
	const char *sql;
} apply_sql[] = {
	{offsetof(struct apply_ctx, insert),
	 "insert into unit (code, name, level, flags, valid_from, valid_to) "
	 "values (?, ?, ?, ?, ?, ?)"},
	{offsetof(struct apply_ctx, old),
	 "select u.id, u.name, u.level, u.flags, u.valid_from, u.valid_to, p.code "
	 "from unit u left join unit p on p.id = u.parent_id where u.code = ?"},
	{offsetof(struct apply_ctx, find), "select id from unit where code = ?"},
	{offsetof(struct apply_ctx, update),
	 "update unit set name = ?, level = ?, flags = ?, valid_from = ?, valid_to = ?, "
	 "parent_id = ? where id = ?"},
	{offsetof(struct apply_ctx, del_succ), "delete from unit_successor where unit_id = ?"},
	{offsetof(struct apply_ctx, add_succ),
	 "insert into unit_successor (unit_id, successor_id) values (?, ?)"},
	{offsetof(struct apply_ctx, succ), SQL_SUCCESSORS},
};

#define APPLY_NSQL (sizeof(apply_sql) / sizeof(apply_sql[0]))

static struct cs_stmt **ctx_stmt(struct apply_ctx *c, size_t i)
{
	return (struct cs_stmt **)((char *)c + apply_sql[i].offset);
}

static void apply_ctx_release(struct apply_ctx *c)
{
	for (size_t i = 0; i < APPLY_NSQL; i++)
		cs_stmt_free(*ctx_stmt(c, i));
	code_list_release(&c->old_succ);
	code_list_release(&c->new_succ);
	cs_buf_release(&c->old_text);
}

static enum cs_err apply_ctx_init(struct apply_ctx *c, struct cs_store *s, struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	memset(c, 0, sizeof(*c));
	c->s = s;
	code_list_init(&c->old_succ);
	code_list_init(&c->new_succ);
	cs_buf_init(&c->old_text, 16u * SUCCESSORS_MAX);
	for (size_t i = 0; !rc && i < APPLY_NSQL; i++)
		rc = cs_stmt_prepare(s, apply_sql[i].sql, ctx_stmt(c, i), err);
	return rc;
}

/* The id of the unit with the given code, or 0 when there is none. */
static enum cs_err find_unit(struct apply_ctx *c, const char *code, int64_t *id,
			     struct cs_error *err)
{
	bool row = false;
	enum cs_err rc = cs_stmt_bind_textz(c->find, 1, code, err);

	*id = 0;
	if (!rc)
		rc = cs_stmt_step(c->find, &row, err);
	if (!rc && row)
		*id = cs_stmt_i64(c->find, 0);
	cs_stmt_reset(c->find, NULL);
	return rc;
}

static enum cs_err insert_unit(struct apply_ctx *c, const struct cs_unit *u, struct cs_error *err)
{
	const char *level = cs_level_name(u->level);
	enum cs_err rc;

	if (!level)
		return cs_fail(err, CS_EINVAL, "unit '%s': level %d out of range", u->code,
			       (int)u->level);
	rc = cs_stmt_bind_textz(c->insert, 1, u->code, err);
	if (!rc)
		rc = cs_stmt_bind_textz(c->insert, 2, u->name, err);
	if (!rc)
		rc = cs_stmt_bind_textz(c->insert, 3, level, err);
	if (!rc)
		rc = cs_stmt_bind_textz(c->insert, 4, u->flags ? u->flags : "", err);
	if (!rc)
		rc = cs_stmt_bind_textz(c->insert, 5, u->valid_from, err);
	if (!rc)
		rc = cs_stmt_bind_textz(c->insert, 6, u->valid_to, err);
	if (!rc)
		rc = cs_stmt_run(c->insert, err);
	if (rc == CS_EEXIST)
		return cs_fail(err, CS_EEXIST,
			       "unit '%s' already exists; the database changed since the import "
			       "was checked, run it again",
			       u->code);
	return rc;
}

/* The stored fields of a unit, in the order the audit compares them. */
enum field {
	F_NAME,
	F_PARENT,
	F_LEVEL,
	F_FLAGS,
	F_VALID_FROM,
	F_VALID_TO,
	F_SUCCESSOR,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
	"name", "parent", "level", "flags", "valid_from", "valid_to", "successor",
};

/*
 * Reads the stored values of the unit with u's code into old[] (NULL where
 * absent), copied into c->old_text because the next statement step would
 * invalidate them. Sets *id to the unit's id.
 */
static enum cs_err read_old(struct apply_ctx *c, const struct cs_unit *u, int64_t *id,
			    const char *old[F_COUNT], struct cs_error *err)
{
	/* Column of c->old holding each field; the successor list is separate. */
	static const int col[F_COUNT] = {1, 6, 2, 3, 4, 5, -1};
	size_t offs[F_COUNT] = {0};
	bool row = false;
	enum cs_err rc;

	cs_buf_reset(&c->old_text);
	rc = cs_stmt_bind_textz(c->old, 1, u->code, err);
	if (!rc)
		rc = cs_stmt_step(c->old, &row, err);
	if (!rc && !row)
		rc = cs_fail(err, CS_ENOTFOUND,
			     "unit '%s' is not in the database; the database changed since the "
			     "import was checked, run it again",
			     u->code);
	for (int f = 0; !rc && f < F_COUNT; f++) {
		const char *v;
		size_t len = 0;

		offs[f] = SIZE_MAX;
		if (col[f] < 0)
			continue;
		v = cs_stmt_text(c->old, col[f], &len);
		if (!v)
			continue;
		offs[f] = c->old_text.len;
		rc = cs_buf_add(&c->old_text, v, len, err);
		if (!rc)
			rc = cs_buf_addc(&c->old_text, '\0', err);
	}
	if (!rc)
		*id = cs_stmt_i64(c->old, 0);
	cs_stmt_reset(c->old, NULL);
	if (rc)
		return rc;
	for (int f = 0; f < F_COUNT; f++)
		old[f] = offs[f] == SIZE_MAX ? NULL : c->old_text.data + offs[f];
	old[F_FLAGS] = nonempty(old[F_FLAGS]);
	return read_successors(c->succ, *id, &c->old_succ, &old[F_SUCCESSOR], err);
}

/* Replaces the successor rows of unit id by the codes of list (';'-separated). */
static enum cs_err write_successors(struct apply_ctx *c, const struct cs_unit *u, int64_t id,
				    struct cs_error *err)
{
	struct cs_str rest = cs_str_from(u->successor);
	struct cs_str code;
	enum cs_err rc;

	rc = cs_stmt_bind_i64(c->del_succ, 1, id, err);
	if (!rc)
		rc = cs_stmt_run(c->del_succ, err);
	while (!rc && u->successor && cs_str_next(&rest, ';', &code)) {
		int64_t succ_id = 0;
		char *z;

		if (code.len == 0)
			continue;
		z = cs_str_dup(code);
		if (!z)
			return cs_fail(err, CS_ENOMEM, NULL);
		rc = find_unit(c, z, &succ_id, err);
		if (!rc && !succ_id)
			rc = cs_fail(err, CS_ENOTFOUND,
				     "unit '%s': successor '%s' is not in the database", u->code,
				     z);
		cs_free(z);
		if (!rc)
			rc = cs_stmt_bind_i64(c->add_succ, 1, id, err);
		if (!rc)
			rc = cs_stmt_bind_i64(c->add_succ, 2, succ_id, err);
		if (!rc)
			rc = cs_stmt_run(c->add_succ, err);
	}
	return rc;
}

/* The incoming successor list in canonical (sorted) form, owned by c. */
static enum cs_err canonical_successors(struct apply_ctx *c, const struct cs_unit *u,
					const char **out, struct cs_error *err)
{
	struct cs_str rest = cs_str_from(u->successor);
	struct cs_str code;
	enum cs_err rc = CS_OK;

	code_list_reset(&c->new_succ);
	while (!rc && u->successor && cs_str_next(&rest, ';', &code)) {
		if (code.len)
			rc = code_list_add(&c->new_succ, code.ptr, code.len, err);
	}
	if (!rc)
		rc = code_list_join(&c->new_succ, out, err);
	return rc;
}

static bool same_text(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * Writes the data of an added or changed unit (the row of an added one exists
 * already, with no parent), then appends an audit row for each field whose
 * value differs from what was stored. For an added unit every field is new.
 */
static enum cs_err write_unit(struct apply_ctx *c, const struct cs_unit *u, bool added,
			      struct cs_error *err)
{
	const char *old[F_COUNT] = {NULL};
	const char *now[F_COUNT];
	int64_t id = 0;
	int64_t parent_id = 0;
	enum cs_err rc;

	rc = read_old(c, u, &id, old, err);
	if (rc)
		return rc;
	if (added) {
		for (int f = 0; f < F_COUNT; f++)
			old[f] = NULL;
	}
	now[F_NAME] = u->name;
	now[F_PARENT] = u->parent;
	now[F_LEVEL] = cs_level_name(u->level);
	now[F_FLAGS] = nonempty(u->flags);
	now[F_VALID_FROM] = u->valid_from;
	now[F_VALID_TO] = u->valid_to;
	if (!now[F_LEVEL])
		return cs_fail(err, CS_EINVAL, "unit '%s': level %d out of range", u->code,
			       (int)u->level);
	rc = canonical_successors(c, u, &now[F_SUCCESSOR], err);
	if (rc)
		return rc;

	if (u->parent) {
		rc = find_unit(c, u->parent, &parent_id, err);
		if (!rc && !parent_id)
			rc = cs_fail(err, CS_ENOTFOUND,
				     "unit '%s': parent '%s' is not in the database", u->code,
				     u->parent);
		if (rc)
			return rc;
	}
	rc = cs_stmt_bind_textz(c->update, 1, u->name, err);
	if (!rc)
		rc = cs_stmt_bind_textz(c->update, 2, now[F_LEVEL], err);
	if (!rc)
		rc = cs_stmt_bind_textz(c->update, 3, u->flags ? u->flags : "", err);
	if (!rc)
		rc = cs_stmt_bind_textz(c->update, 4, u->valid_from, err);
	if (!rc)
		rc = cs_stmt_bind_textz(c->update, 5, u->valid_to, err);
	if (!rc && parent_id)
		rc = cs_stmt_bind_i64(c->update, 6, parent_id, err);
	else if (!rc)
		rc = cs_stmt_bind_null(c->update, 6, err);
	if (!rc)
		rc = cs_stmt_bind_i64(c->update, 7, id, err);
	if (!rc)
		rc = cs_stmt_run(c->update, err);
	if (!rc)
		rc = write_successors(c, u, id, err);

	for (int f = 0; !rc && f < F_COUNT; f++) {
		if (same_text(old[f], now[f]))
			continue;
		rc = cs_audit_append(c->s, NULL, "unit", u->code, field_names[f], old[f], now[f],
				     added ? "import: unit added" : "import: unit changed", err);
	}
	return rc;
}

/* Puts the place an incoming unit came from in front of a message. */
static void prefix_source(struct cs_error *err, const struct cs_unit *u)
{
	if (u->src.file && u->src.line)
		cs_error_prefix(err, "%s:%zu", u->src.file, u->src.line);
}

enum cs_err cs_unit_store_apply(struct cs_store *s, const struct cs_unit_set *incoming,
				const struct cs_unit_plan *plan, struct cs_error *err)
{
	struct apply_ctx c;
	size_t n = incoming->units.len;
	enum cs_err rc;

	if (plan->changes.len != n)
		return cs_fail(err, CS_EINVAL,
			       "import plan covers %zu units but %zu were given; make the plan "
			       "from the same units",
			       plan->changes.len, n);
	rc = apply_ctx_init(&c, s, err);
	if (rc)
		goto done;
	rc = cs_store_begin(s, err);
	if (rc)
		goto done;
	/* Every added row must exist before any parent or successor can point
	 * at it: a file may list a commune before its district. */
	for (size_t i = 0; !rc && i < n; i++) {
		const struct cs_unit *u = cs_unit_set_at(incoming, i);

		if (*(enum cs_unit_change *)cs_vec_at(&plan->changes, i) != CS_UNIT_ADDED)
			continue;
		rc = insert_unit(&c, u, err);
		if (rc && rc != CS_ENOMEM)
			prefix_source(err, u);
	}
	for (size_t i = 0; !rc && i < n; i++) {
		const struct cs_unit *u = cs_unit_set_at(incoming, i);
		enum cs_unit_change ch = *(enum cs_unit_change *)cs_vec_at(&plan->changes, i);

		if (ch == CS_UNIT_UNCHANGED)
			continue;
		rc = write_unit(&c, u, ch == CS_UNIT_ADDED, err);
		if (rc && rc != CS_ENOMEM)
			prefix_source(err, u);
	}
	if (rc)
		cs_store_rollback(s);
	else
		rc = cs_store_commit(s, err);
done:
	apply_ctx_release(&c);
	return rc;
}

/* Copies text that must fit a fixed field of struct cs_period. */
static bool copy_field(char *dst, size_t cap, const char *src, size_t len)
{
	if (!src || len >= cap)
		return false;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

/* True when the fixed-size field holds a NUL-terminated, non-empty string. */
static bool field_ok(const char *f, size_t cap)
{
	return f[0] != '\0' && memchr(f, '\0', cap) != NULL;
}

enum cs_err cs_period_store_add(struct cs_store *s, const struct cs_period *p, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	enum cs_err rc;

	if (!field_ok(p->code, sizeof(p->code)))
		return cs_fail(err, CS_EINVAL, "period code is empty or longer than %zu bytes",
			       sizeof(p->code) - 1);
	if (!field_ok(p->starts, sizeof(p->starts)) || !field_ok(p->ends, sizeof(p->ends)))
		return cs_fail(err, CS_EINVAL,
			       "period '%s': start and end dates must be given as YYYY-MM-DD",
			       p->code);
	/* ISO dates compare as text in calendar order. */
	if (strcmp(p->starts, p->ends) > 0)
		return cs_fail(err, CS_EINVAL,
			       "period '%s': start date %s is after end date %s; expected "
			       "starts <= ends",
			       p->code, p->starts, p->ends);
	rc = cs_store_begin(s, err);
	if (rc)
		return rc;
	rc = cs_stmt_prepare(s, "insert into period (code, starts, ends) values (?, ?, ?)", &st,
			     err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, p->code, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 2, p->starts, err);
	if (!rc)
		rc = cs_stmt_bind_textz(st, 3, p->ends, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	if (rc == CS_EEXIST)
		rc = cs_fail(err, CS_EEXIST, "period '%s' already exists", p->code);
	if (!rc)
		rc = cs_audit_append(s, NULL, "period", p->code, "starts", NULL, p->starts,
				     "period added", err);
	if (!rc)
		rc = cs_audit_append(s, NULL, "period", p->code, "ends", NULL, p->ends,
				     "period added", err);
	cs_stmt_free(st);
	if (rc)
		cs_store_rollback(s);
	else
		rc = cs_store_commit(s, err);
	return rc;
}

enum cs_err cs_period_store_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err)
{
	struct cs_stmt *st = NULL;
	bool row = true;
	enum cs_err rc;

	rc = cs_stmt_prepare(s, "select id, code, starts, ends from period order by starts, code",
			     &st, err);
	while (!rc) {
		struct cs_period p;
		const char *code, *starts, *ends;
		size_t code_len, starts_len, ends_len;

		rc = cs_stmt_step(st, &row, err);
		if (rc || !row)
			break;
		memset(&p, 0, sizeof(p));
		p.id = cs_stmt_i64(st, 0);
		code = cs_stmt_text(st, 1, &code_len);
		starts = cs_stmt_text(st, 2, &starts_len);
		ends = cs_stmt_text(st, 3, &ends_len);
		if (!copy_field(p.code, sizeof(p.code), code, code_len) ||
		    !copy_field(p.starts, sizeof(p.starts), starts, starts_len) ||
		    !copy_field(p.ends, sizeof(p.ends), ends, ends_len)) {
			rc = cs_fail(err, CS_ESTORE,
				     "period %lld in the database: code '%.40s' or dates '%.20s', "
				     "'%.20s' do not fit; expected a code of at most %zu bytes and "
				     "YYYY-MM-DD dates",
				     (long long)p.id, code ? code : "", starts ? starts : "",
				     ends ? ends : "", sizeof(p.code) - 1);
			break;
		}
		rc = cs_vec_push(out, &p, err);
	}
	cs_stmt_free(st);
	return rc;
}
