/*
 * The .xlsx reader: libzip finds the parts of the package and inflates one at
 * a time straight into expat, so a sheet is never held whole in memory; the
 * shared strings and the date formats of the styles live as long as the
 * handle. Part names, relationships and cell types follow ECMA-376 Part 1
 * (SpreadsheetML) and Part 2 (Open Packaging Conventions).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <unicode/unorm.h>
#include <unicode/ustring.h>

#include "io/xlsx.h"
#include "io/xlsx_xml.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/vec.h"

#include "util/banned.h"

/* Bytes read from a file at a time. */
#define CHUNK (64u * 1024)

/* Most relationships in one .rels part, and most entries of the styles. */
#define MAX_RELS 65536
#define MAX_STYLES 65536

/* Longest part name built from a relationship target. */
#define MAX_PART_NAME 4096

/* What an open element is to the parser of its part. */
enum kind {
	K_NONE = XLSX_KIND_NONE,
	K_OTHER = XLSX_KIND_OTHER,
	K_ROOT = XLSX_KIND_FIRST,
	K_SHEETS,
	K_NUMFMTS,
	K_CELLXFS,
	K_SI,
	K_R,
	K_T,
	K_SHEETDATA,
	K_ROW,
	K_C,
	K_V,
	K_IS,
};

enum rel_kind {
	REL_OTHER,
	REL_OFFICE_DOC,
	REL_SHARED_STRINGS,
	REL_STYLES,
};

/* One relationship of a .rels part, its target resolved to a part name. */
struct rel {
	char *id;
	char *target;
	enum rel_kind kind;
};

struct sheet {
	char *name;
	char *rid;	 /* the r:id naming its relationship */
	char *part_name; /* NULL when the relationship is missing */
	struct xlsx_part part;
	bool hidden;
};

/* Where one text sits in a buffer of NUL-separated texts. */
struct span {
	size_t off, len;
};

struct cs_xlsx {
	char *label;
	char *owned; /* the file's bytes when opened by cs_xlsx_open_file */
	zip_t *zip;
	char *wb_rels;		/* name of the workbook's .rels part, for messages */
	struct cs_vec sheets;	/* of struct sheet */
	struct cs_buf sst_text; /* the shared strings, each NUL-terminated */
	struct cs_vec sst;	/* of struct span into sst_text */
	unsigned char *xf_date; /* per cell format (a cell's s): 1 when it shows a date or time */
	size_t nxf;
	bool date1904;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---- relationships (.rels parts) ---- */

static void rels_release(struct cs_vec *rels)
{
	for (size_t i = 0; i < rels->len; i++) {
		struct rel *r = cs_vec_at(rels, i);

		cs_free(r->id);
		cs_free(r->target);
	}
	cs_vec_release(rels);
}

/*
 * The part name a relationship's Target names: relative to the folder of
 * the part holding the relationship (base, "" or ending in '/'), or from the
 * package root when it starts with '/'. "." and ".." segments are resolved.
 * CS_EPARSE when it climbs out of the package, CS_ETOOBIG, CS_ENOMEM.
 */
static enum cs_err resolve_target(const char *base, const char *target, char **out)
{
	struct cs_buf b;
	const char *s = target;
	enum cs_err rc = CS_OK;

	cs_buf_init(&b, MAX_PART_NAME);
	if (*s == '/')
		s++;
	else
		rc = cs_buf_addstr(&b, base, NULL);
	while (!rc && *s) {
		size_t n = strcspn(s, "/");

		if ((n == 1 && s[0] == '.') || n == 0) {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *slash;

			if (b.len == 0) {
				rc = CS_EPARSE;
				break;
			}
			/* b ends with '/': drop the last segment and keep its parent's '/'. */
			cs_buf_truncate(&b, b.len - 1);
			slash = strrchr(b.data, '/');
			cs_buf_truncate(&b, slash ? (size_t)(slash - b.data) + 1 : 0);
		} else {
			rc = cs_buf_add(&b, s, n, NULL);
			if (!rc && s[n] == '/')
				rc = cs_buf_addc(&b, '/', NULL);
		}
		s += n;
		if (*s == '/')
			s++;
	}
	if (!rc && (b.len == 0 || b.data[b.len - 1] == '/'))
		rc = CS_EPARSE;
	if (!rc) {
		*out = cs_buf_detach(&b, NULL);
		if (!*out)
			rc = CS_ENOMEM;
	}
	cs_buf_release(&b);
	return rc;
}

struct rels_parse {
	struct xlsx_xml m;
	struct cs_vec *rels;
	const char *base;
};

static unsigned char rels_start(struct xlsx_xml *m, unsigned char parent, const char *name,
				const char **atts)
{
	struct rels_parse *rp = (struct rels_parse *)m;
	const char *id, *type, *target, *mode;
	struct rel r = {NULL, NULL, REL_OTHER};
	enum cs_err rc;

	if (parent == K_NONE) {
		if (strcmp(name, "Relationships") != 0)
			xlsx_xml_fail(m, CS_EPARSE,
				      "root element is <%s>, expected <Relationships>", name);
		return K_ROOT;
	}
	if (parent != K_ROOT || strcmp(name, "Relationship") != 0)
		return K_OTHER;
	id = xlsx_attr(atts, "Id");
	type = xlsx_attr(atts, "Type");
	target = xlsx_attr(atts, "Target");
	mode = xlsx_attr(atts, "TargetMode");
	if (mode && strcmp(mode, "External") == 0)
		return K_OTHER;
	if (!id || !target) {
		xlsx_xml_fail(m, CS_EPARSE, "<Relationship> without %s attribute",
			      id ? "a Target" : "an Id");
		return K_OTHER;
	}
	if (rp->rels->len >= MAX_RELS) {
		xlsx_xml_fail(m, CS_ETOOBIG, "more than %d relationships", MAX_RELS);
		return K_OTHER;
	}
	if (type && ends_with(type, "/officeDocument"))
		r.kind = REL_OFFICE_DOC;
	else if (type && ends_with(type, "/sharedStrings"))
		r.kind = REL_SHARED_STRINGS;
	else if (type && ends_with(type, "/styles"))
		r.kind = REL_STYLES;
	rc = resolve_target(rp->base, target, &r.target);
	if (rc == CS_EPARSE) {
		/* A target we cannot use matters only if a sheet needs it. */
		return K_OTHER;
	}
	if (!rc) {
		r.id = cs_strdup(id);
		rc = r.id ? cs_vec_push(rp->rels, &r, NULL) : CS_ENOMEM;
	}
	if (rc) {
		cs_free(r.id);
		cs_free(r.target);
		if (rc == CS_ETOOBIG)
			xlsx_xml_fail(m, rc, "relationship target longer than %d bytes",
				      MAX_PART_NAME);
		else
			xlsx_xml_fail(m, rc, "out of memory");
	}
	return K_OTHER;
}

static void no_end(struct xlsx_xml *m, unsigned char kind)
{
	(void)m;
	(void)kind;
}

/* Appends the relationships of the .rels part name (of a part in folder base) to rels. */
static enum cs_err read_rels(struct cs_xlsx *x, const char *name, struct xlsx_part pt,
			     const char *base, struct cs_vec *rels, struct cs_error *err)
{
	struct rels_parse rp;
	enum cs_err rc;

	xlsx_xml_init(&rp.m, x, x->label, x->zip, name, err);
	rp.m.start = rels_start;
	rp.m.end = no_end;
	rp.rels = rels;
	rp.base = base;
	rc = xlsx_parse_part(&rp.m, pt);
	xlsx_xml_release(&rp.m);
	return rc;
}

static const struct rel *find_rel(const struct cs_vec *rels, const char *id, enum rel_kind kind)
{
	for (size_t i = 0; i < rels->len; i++) {
		const struct rel *r = cs_vec_at(rels, i);

		if (id ? strcmp(r->id, id) == 0 : r->kind == kind)
			return r;
	}
	return NULL;
}

/* ---- the workbook part ---- */

static unsigned char wb_start(struct xlsx_xml *m, unsigned char parent, const char *name,
			      const char **atts)
{
	struct cs_xlsx *x = m->x;
	const char *v, *rid, *state;
	struct sheet *sh;

	if (parent == K_NONE) {
		if (strcmp(name, "workbook") != 0)
			xlsx_xml_fail(m, CS_EPARSE, "root element is <%s>, expected <workbook>",
				      name);
		return K_ROOT;
	}
	if (parent == K_ROOT && strcmp(name, "workbookPr") == 0) {
		v = xlsx_attr(atts, "date1904");
		x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
		return K_OTHER;
	}
	if (parent == K_ROOT && strcmp(name, "sheets") == 0)
		return K_SHEETS;
	if (parent != K_SHEETS || strcmp(name, "sheet") != 0)
		return K_OTHER;
	v = xlsx_attr(atts, "name");
	rid = xlsx_attr(atts, "id");
	state = xlsx_attr(atts, "state");
	if (!v || !*v) {
		xlsx_xml_fail(m, CS_EPARSE, "<sheet> without a name");
		return K_OTHER;
	}
	if (strlen(v) > CS_XLSX_MAX_SHEET_NAME) {
		xlsx_xml_fail(m, CS_ETOOBIG, "sheet name '%.*s...' longer than %d bytes",
			      xlsx_quote_len(v, strlen(v)), v, CS_XLSX_MAX_SHEET_NAME);
		return K_OTHER;
	}
	if (!rid) {
		xlsx_xml_fail(m, CS_EPARSE, "sheet '%s' has no r:id naming its part", v);
		return K_OTHER;
	}
	if (x->sheets.len >= CS_XLSX_MAX_SHEETS) {
		xlsx_xml_fail(m, CS_ETOOBIG, "more than %d sheets", CS_XLSX_MAX_SHEETS);
		return K_OTHER;
	}
	sh = cs_vec_push_zero(&x->sheets, NULL);
	if (!sh) {
		xlsx_xml_fail(m, CS_ENOMEM, "out of memory");
		return K_OTHER;
	}
	sh->name = cs_strdup(v);
	sh->rid = cs_strdup(rid);
	sh->hidden = state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
	if (!sh->name || !sh->rid)
		xlsx_xml_fail(m, CS_ENOMEM, "out of memory");
	return K_OTHER;
}

/* ---- the styles part: which cell formats show dates ---- */

/* Built-in number formats that show a date or time (ECMA-376 Part 1, 18.8.30). */
static bool builtin_date_format(unsigned long id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	       (id >= 50 && id <= 58);
}

/*
 * True when a format code shows a date or time: it has a d, m, y, h or s
 * outside quoted text, escaped characters and [...] sections (colours,
 * conditions, locales), or an elapsed-time section such as [h].
 */
static bool date_format_code(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '"':
			s = strchr(s + 1, '"');
			if (!s)
				return false;
			break;
		case '\\':
		case '_':
		case '*':
			if (!s[1])
				return false;
			s++;
			break;
		case '[': {
			const char *e = strchr(s, ']');

			if (!e)
				return false;
			if (s[1] && strchr("hHmMsS", s[1]) && e - s <= 3 &&
			    (e - s == 2 || s[2] == s[1]))
				return true;
			s = e;
			break;
		}
		default:
			if (strchr("dDmMyYhHsS", *s))
				return true;
		}
	}
	return false;
}

struct fmt {
	unsigned long id;
	bool date;
};

struct styles_parse {
	struct xlsx_xml m;
	struct cs_vec fmts; /* of struct fmt: the custom formats */
	struct cs_vec xfs;  /* of unsigned long: numFmtId of each cell format */
};

static unsigned char styles_start(struct xlsx_xml *m, unsigned char parent, const char *name,
				  const char **atts)
{
	struct styles_parse *sp = (struct styles_parse *)m;
	unsigned long id = 0;
	const char *v;

	if (parent == K_NONE) {
		if (strcmp(name, "styleSheet") != 0)
			xlsx_xml_fail(m, CS_EPARSE, "root element is <%s>, expected <styleSheet>",
				      name);
		return K_ROOT;
	}
	if (parent == K_ROOT && strcmp(name, "numFmts") == 0)
		return K_NUMFMTS;
	if (parent == K_ROOT && strcmp(name, "cellXfs") == 0)
		return K_CELLXFS;
	if (parent == K_NUMFMTS && strcmp(name, "numFmt") == 0) {
		const char *code = xlsx_attr(atts, "formatCode");
		struct fmt f;

		/* A format that cannot be read is taken for a plain number: a date
		 * then shows as its serial, nothing is lost. */
		v = xlsx_attr(atts, "numFmtId");
		if (!v || !code || !xlsx_parse_uint(v, strlen(v), UINT32_MAX, &id))
			return K_OTHER;
		if (sp->fmts.len >= MAX_STYLES) {
			xlsx_xml_fail(m, CS_ETOOBIG, "more than %d number formats", MAX_STYLES);
			return K_OTHER;
		}
		f.id = id;
		f.date = date_format_code(code);
		if (cs_vec_push(&sp->fmts, &f, NULL))
			xlsx_xml_fail(m, CS_ENOMEM, "out of memory");
		return K_OTHER;
	}
	if (parent == K_CELLXFS && strcmp(name, "xf") == 0) {
		v = xlsx_attr(atts, "numFmtId");
		if (!v || !xlsx_parse_uint(v, strlen(v), UINT32_MAX, &id))
			id = 0;
		if (sp->xfs.len >= MAX_STYLES) {
			xlsx_xml_fail(m, CS_ETOOBIG, "more than %d cell formats", MAX_STYLES);
			return K_OTHER;
		}
		if (cs_vec_push(&sp->xfs, &id, NULL))
			xlsx_xml_fail(m, CS_ENOMEM, "out of memory");
		return K_OTHER;
	}
	return K_OTHER;
}

static enum cs_err read_styles(struct cs_xlsx *x, const char *name, struct xlsx_part pt,
			       struct cs_error *err)
{
	struct styles_parse sp;
	enum cs_err rc;

	xlsx_xml_init(&sp.m, x, x->label, x->zip, name, err);
	sp.m.start = styles_start;
	sp.m.end = no_end;
	cs_vec_init(&sp.fmts, sizeof(struct fmt), 0);
	cs_vec_init(&sp.xfs, sizeof(unsigned long), 0);
	rc = xlsx_parse_part(&sp.m, pt);
	if (!rc && sp.xfs.len) {
		x->xf_date = cs_calloc(sp.xfs.len, 1);
		if (!x->xf_date)
			rc = cs_fail(err, CS_ENOMEM, NULL);
	}
	for (size_t i = 0; !rc && i < sp.xfs.len; i++) {
		unsigned long id = *(unsigned long *)cs_vec_at(&sp.xfs, i);
		bool date = builtin_date_format(id);

		/* A custom format may reuse a built-in number; the custom one wins. */
		for (size_t j = 0; j < sp.fmts.len; j++) {
			const struct fmt *f = cs_vec_at(&sp.fmts, j);

			if (f->id == id)
				date = f->date;
		}
		x->xf_date[i] = date;
	}
	if (!rc)
		x->nxf = sp.xfs.len;
	cs_vec_release(&sp.fmts);
	cs_vec_release(&sp.xfs);
	xlsx_xml_release(&sp.m);
	return rc;
}

/* ---- the shared strings part ---- */

static unsigned char sst_start(struct xlsx_xml *m, unsigned char parent, const char *name,
			       const char **atts)
{
	(void)atts;
	if (parent == K_NONE) {
		if (strcmp(name, "sst") != 0)
			xlsx_xml_fail(m, CS_EPARSE, "root element is <%s>, expected <sst>", name);
		return K_ROOT;
	}
	if (parent == K_ROOT && strcmp(name, "si") == 0) {
		cs_buf_reset(&m->text);
		return K_SI;
	}
	if (parent == K_SI && strcmp(name, "r") == 0)
		return K_R;
	if ((parent == K_SI || parent == K_R) && strcmp(name, "t") == 0) {
		m->collect = true;
		return K_T;
	}
	/* Phonetic runs (<rPh>) and formatting are not part of the text. */
	return K_OTHER;
}

static void sst_end(struct xlsx_xml *m, unsigned char kind)
{
	struct cs_xlsx *x = m->x;
	struct span sp;
	char what[64];

	if (kind == K_T) {
		m->collect = false;
		return;
	}
	if (kind != K_SI)
		return;
	if (x->sst.len >= CS_XLSX_MAX_STRINGS) {
		xlsx_xml_fail(m, CS_ETOOBIG, "more than %u shared strings", CS_XLSX_MAX_STRINGS);
		return;
	}
	snprintf(what, sizeof(what), "shared string %zu", x->sst.len);
	sp.off = x->sst_text.len;
	if (xlsx_add_text(m, m->text.data, m->text.len, &x->sst_text, what))
		return;
	sp.len = x->sst_text.len - sp.off;
	if (cs_buf_addc(&x->sst_text, '\0', NULL) || cs_vec_push(&x->sst, &sp, NULL))
		xlsx_xml_fail(m, CS_ENOMEM, "out of memory");
}

static enum cs_err read_sst(struct cs_xlsx *x, const char *name, struct xlsx_part pt,
			    struct cs_error *err)
{
	struct xlsx_xml m;
	enum cs_err rc;

	xlsx_xml_init(&m, x, x->label, x->zip, name, err);
	m.start = sst_start;
	m.end = sst_end;
	rc = xlsx_parse_part(&m, pt);
	xlsx_xml_release(&m);
	return rc;
}

/* ---- opening ---- */

/* Files that are zip archives but not workbooks, told apart by one entry. */
static const struct {
	const char *entry;
	const char *what;
} other_zips[] = {
	{"xl/workbook.bin", "an Excel binary workbook (.xlsb), not .xlsx; open it in Excel and "
			    "save it as Excel Workbook (.xlsx)"},
	{"content.xml", "an OpenDocument file (.ods), not .xlsx; open it in LibreOffice Calc "
			"and save it as Excel 2007-365 (.xlsx)"},
	{"word/document.xml", "a Word document, not an Excel .xlsx workbook"},
	{"ppt/presentation.xml", "a PowerPoint presentation, not an Excel .xlsx workbook"},
};

/* Files that are not zip archives, told apart by their first bytes. */
static const struct {
	const char *magic;
	size_t len;
	const char *what;
} other_files[] = {
	/* OLE2 compound files: Excel 97-2003 workbooks, and also .xlsx files
	 * saved with a password, which Excel wraps encrypted in OLE2. */
	{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8,
	 "an Excel 97-2003 workbook (.xls) or a password-protected workbook, not .xlsx; open it "
	 "in Excel or LibreOffice and save it as Excel Workbook (.xlsx) without a password"},
	{"<", 1,
	 "an XML or HTML file (an Excel 2003 XML spreadsheet or a web page named .xls), not "
	 ".xlsx; open it in Excel and save it as Excel Workbook (.xlsx)"},
	{"\xEF\xBB\xBF<", 4,
	 "an XML or HTML file (an Excel 2003 XML spreadsheet or a web page named .xls), not "
	 ".xlsx; open it in Excel and save it as Excel Workbook (.xlsx)"},
};

static enum cs_err open_zip(struct cs_xlsx *x, const void *data, size_t len, struct cs_error *err)
{
	zip_source_t *src;
	zip_error_t ze;
	enum cs_err rc = CS_OK;

	if (len == 0)
		return cs_fail(err, CS_EPARSE,
			       "%s: the file is empty; expected an Excel .xlsx workbook", x->label);
	for (size_t i = 0; i < sizeof(other_files) / sizeof(other_files[0]); i++)
		if (len >= other_files[i].len &&
		    memcmp(data, other_files[i].magic, other_files[i].len) == 0)
			return cs_fail(err, CS_EPARSE, "%s: this is %s", x->label,
				       other_files[i].what);
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src) {
		x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
		if (!x->zip)
			zip_source_free(src);
	}
	if (!x->zip) {
		int code = zip_error_code_zip(&ze);

		if (code == ZIP_ER_MEMORY)
			rc = cs_fail(err, CS_ENOMEM, NULL);
		else if (code == ZIP_ER_NOZIP)
			rc = cs_fail(
				err, CS_EPARSE,
				"%s: not an xlsx workbook (not a zip archive); save the file as "
				"Excel .xlsx",
				x->label);
		else
			rc = cs_fail(err, CS_EPARSE,
				     "%s: damaged zip archive (%s); save the file again as Excel "
				     ".xlsx",
				     x->label, zip_error_strerror(&ze));
	}
	zip_error_fini(&ze);
	if (!rc && zip_get_num_entries(x->zip, 0) > CS_XLSX_MAX_ENTRIES)
		rc = cs_fail(err, CS_ETOOBIG, "%s: more than %d entries in the zip archive",
			     x->label, CS_XLSX_MAX_ENTRIES);
	return rc;
}

/* The folder of a part name, with its trailing '/' ("xl/"), or "" at the root. */
static char *dir_of(const char *name)
{
	const char *slash = strrchr(name, '/');

	return cs_strndup(name, slash ? (size_t)(slash - name) + 1 : 0);
}

/* The .rels part of a part: "xl/workbook.xml" has "xl/_rels/workbook.xml.rels". */
static enum cs_err rels_name_of(const char *name, char **out)
{
	const char *slash = strrchr(name, '/');
	size_t dir = slash ? (size_t)(slash - name) + 1 : 0;
	struct cs_buf b;
	enum cs_err rc;

	cs_buf_init(&b, MAX_PART_NAME + 16);
	rc = cs_buf_add(&b, name, dir, NULL);
	if (!rc)
		rc = cs_buf_addstr(&b, "_rels/", NULL);
	if (!rc)
		rc = cs_buf_addstr(&b, name + dir, NULL);
	if (!rc)
		rc = cs_buf_addstr(&b, ".rels", NULL);
	if (!rc) {
		*out = cs_buf_detach(&b, NULL);
		rc = *out ? CS_OK : CS_ENOMEM;
	}
	cs_buf_release(&b);
	return rc;
}

/* Adds size to *total, failing once the parts to read pass CS_XLSX_MAX_TOTAL. */
static enum cs_err budget(struct cs_xlsx *x, zip_uint64_t *total, struct xlsx_part pt,
			  const char *name, struct cs_error *err)
{
	if (!pt.found)
		return CS_OK;
	if (pt.size > CS_XLSX_MAX_PART)
		return cs_fail(err, CS_ETOOBIG,
			       "%s: %s: %llu bytes once uncompressed, more than the limit of %u",
			       x->label, name, (unsigned long long)pt.size, CS_XLSX_MAX_PART);
	*total += pt.size;
	if (*total > CS_XLSX_MAX_TOTAL)
		return cs_fail(err, CS_ETOOBIG,
			       "%s: the workbook's parts come to more than %u bytes once "
			       "uncompressed (at %s)",
			       x->label, CS_XLSX_MAX_TOTAL, name);
	return CS_OK;
}

/* Finds and reads everything but the sheets' cells. */
static enum cs_err load(struct cs_xlsx *x, struct cs_error *err)
{
	struct cs_vec root_rels, wb_rels;
	char *wb_name = NULL, *wb_dir = NULL, *sst_name = NULL, *styles_name = NULL;
	struct xlsx_part pt, wb, sst = {false, 0, 0}, styles = {false, 0, 0};
	const struct rel *r;
	zip_uint64_t total = 0;
	enum cs_err rc = CS_OK;
	struct xlsx_xml wp;

	cs_vec_init(&root_rels, sizeof(struct rel), 0);
	cs_vec_init(&wb_rels, sizeof(struct rel), 0);
	xlsx_xml_init(&wp, x, x->label, x->zip, "", err);

	if (!xlsx_find_part(x->zip, "xl/workbook.xml").found) {
		for (size_t i = 0; i < sizeof(other_zips) / sizeof(other_zips[0]); i++) {
			if (xlsx_find_part(x->zip, other_zips[i].entry).found) {
				rc = cs_fail(err, CS_EPARSE, "%s: this is %s", x->label,
					     other_zips[i].what);
				goto out;
			}
		}
	}

	/* The package relationships name the workbook part; "xl/workbook.xml" is
	 * where every writer puts it, and the fallback. */
	pt = xlsx_find_part(x->zip, "_rels/.rels");
	if (pt.found) {
		rc = budget(x, &total, pt, "_rels/.rels", err);
		if (!rc)
			rc = read_rels(x, "_rels/.rels", pt, "", &root_rels, err);
		if (rc)
			goto out;
	}
	r = find_rel(&root_rels, NULL, REL_OFFICE_DOC);
	wb_name = cs_strdup(r ? r->target : "xl/workbook.xml");
	if (!wb_name) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	wb = xlsx_find_part(x->zip, wb_name);
	if (!wb.found && r) {
		cs_free(wb_name);
		wb_name = cs_strdup("xl/workbook.xml");
		if (!wb_name) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
			goto out;
		}
		wb = xlsx_find_part(x->zip, wb_name);
	}
	if (!wb.found) {
		rc = cs_fail(
			err, CS_EPARSE,
			"%s: not an xlsx workbook (no xl/workbook.xml); save the file as Excel "
			".xlsx",
			x->label);
		goto out;
	}
	rc = budget(x, &total, wb, wb_name, err);
	if (rc)
		goto out;
	wp.part = wb_name;
	wp.start = wb_start;
	wp.end = no_end;
	rc = xlsx_parse_part(&wp, wb);
	if (rc)
		goto out;
	if (x->sheets.len == 0) {
		rc = cs_fail(err, CS_EPARSE, "%s: %s lists no sheets; the workbook is damaged",
			     x->label, wb_name);
		goto out;
	}

	/* The workbook's relationships lead to the sheets, strings and styles. */
	wb_dir = dir_of(wb_name);
	rc = wb_dir ? rels_name_of(wb_name, &x->wb_rels) : CS_ENOMEM;
	if (rc) {
		rc = rc == CS_ENOMEM
			     ? cs_fail(err, rc, NULL)
			     : cs_fail(err, rc, "%s: workbook part name too long", x->label);
		goto out;
	}
	pt = xlsx_find_part(x->zip, x->wb_rels);
	if (!pt.found) {
		rc = cs_fail(err, CS_EPARSE,
			     "%s: %s is missing, so the sheets cannot be found; the workbook is "
			     "damaged",
			     x->label, x->wb_rels);
		goto out;
	}
	rc = budget(x, &total, pt, x->wb_rels, err);
	if (!rc)
		rc = read_rels(x, x->wb_rels, pt, wb_dir, &wb_rels, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < x->sheets.len; i++) {
		struct sheet *sh = cs_vec_at(&x->sheets, i);

		r = find_rel(&wb_rels, sh->rid, REL_OTHER);
		if (!r)
			continue;
		sh->part_name = cs_strdup(r->target);
		if (!sh->part_name) {
			rc = cs_fail(err, CS_ENOMEM, NULL);
			goto out;
		}
		sh->part = xlsx_find_part(x->zip, sh->part_name);
		rc = budget(x, &total, sh->part, sh->part_name, err);
		if (rc)
			goto out;
	}

	/* A workbook without the relationship but with the usual part name is
	 * read anyway; some writers forget the relationship. */
	r = find_rel(&wb_rels, NULL, REL_SHARED_STRINGS);
	rc = r ? ((sst_name = cs_strdup(r->target)) ? CS_OK : CS_ENOMEM)
	       : resolve_target(wb_dir, "sharedStrings.xml", &sst_name);
	if (!rc) {
		r = find_rel(&wb_rels, NULL, REL_STYLES);
		rc = r ? ((styles_name = cs_strdup(r->target)) ? CS_OK : CS_ENOMEM)
		       : resolve_target(wb_dir, "styles.xml", &styles_name);
	}
	if (rc) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	sst = xlsx_find_part(x->zip, sst_name);
	styles = xlsx_find_part(x->zip, styles_name);
	rc = budget(x, &total, sst, sst_name, err);
	if (!rc)
		rc = budget(x, &total, styles, styles_name, err);
	if (!rc && styles.found)
		rc = read_styles(x, styles_name, styles, err);
	if (!rc && sst.found)
		rc = read_sst(x, sst_name, sst, err);
out:
	xlsx_xml_release(&wp);
	rels_release(&root_rels);
	rels_release(&wb_rels);
	cs_free(wb_name);
	cs_free(wb_dir);
	cs_free(sst_name);
	cs_free(styles_name);
	return rc;
}

enum cs_err cs_xlsx_open(const char *label, const void *data, size_t len, struct cs_xlsx **out,
			 struct cs_error *err)
{
	struct cs_xlsx *x;
	enum cs_err rc;

	*out = NULL;
	x = cs_calloc(1, sizeof(*x));
	if (!x)
		return cs_fail(err, CS_ENOMEM, NULL);
	cs_vec_init(&x->sheets, sizeof(struct sheet), 0);
	cs_vec_init(&x->sst, sizeof(struct span), 0);
	cs_buf_init(&x->sst_text, CS_XLSX_MAX_PART);
	x->label = cs_strdup(label ? label : "workbook");
	if (!x->label) {
		cs_xlsx_free(x);
		return cs_fail(err, CS_ENOMEM, NULL);
	}
	rc = open_zip(x, data, len, err);
	if (!rc)
		rc = load(x, err);
	if (rc) {
		cs_xlsx_free(x);
		return rc;
	}
	*out = x;
	return CS_OK;
}

enum cs_err cs_xlsx_open_file(const char *path, struct cs_xlsx **out, struct cs_error *err)
{
	struct cs_buf b;
	FILE *f;
	enum cs_err rc = CS_OK;
	size_t len;
	char *data;

	*out = NULL;
	cs_buf_init(&b, CS_XLSX_MAX_FILE);
	f = fopen(path, "rb");
	if (!f)
		return cs_fail(err, CS_EIO, "%s: cannot open: %s", path, strerror(errno));
	for (;;) {
		size_t n;

		rc = cs_buf_grow(&b, CHUNK, NULL);
		if (rc == CS_ETOOBIG && b.len < b.max)
			rc = cs_buf_grow(&b, b.max - b.len, NULL);
		if (rc == CS_ETOOBIG) {
			/* Full to the limit: too big only if there is more. */
			if (fgetc(f) == EOF && !ferror(f)) {
				rc = CS_OK;
				break;
			}
			rc = cs_fail(err, CS_ETOOBIG, "%s: file larger than %u bytes", path,
				     CS_XLSX_MAX_FILE);
			goto out;
		}
		if (rc) {
			rc = cs_fail(err, rc, NULL);
			goto out;
		}
		n = fread(b.data + b.len, 1, b.cap - 1 - b.len, f);
		b.len += n;
		b.data[b.len] = '\0';
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		rc = cs_fail(err, CS_EIO, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	data = cs_buf_detach(&b, &len);
	if (!data) {
		rc = cs_fail(err, CS_ENOMEM, NULL);
		goto out;
	}
	rc = cs_xlsx_open(path, data, len, out, err);
	if (rc)
		cs_free(data);
	else
		(*out)->owned = data;
out:
	fclose(f);
	cs_buf_release(&b);
	return rc;
}

void cs_xlsx_free(struct cs_xlsx *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->sheets.len; i++) {
		struct sheet *sh = cs_vec_at(&x->sheets, i);

		cs_free(sh->name);
		cs_free(sh->rid);
		cs_free(sh->part_name);
	}
	cs_vec_release(&x->sheets);
	cs_vec_release(&x->sst);
	cs_buf_release(&x->sst_text);
	cs_free(x->xf_date);
	if (x->zip)
		zip_discard(x->zip);
	cs_free(x->wb_rels);
	cs_free(x->owned);
	cs_free(x->label);
	cs_free(x);
}

size_t cs_xlsx_sheet_count(const struct cs_xlsx *x)
{
	return x->sheets.len;
}

const char *cs_xlsx_sheet_name(const struct cs_xlsx *x, size_t i)
{
	if (i >= x->sheets.len)
		return NULL;
	return ((const struct sheet *)cs_vec_at(&x->sheets, i))->name;
}

bool cs_xlsx_sheet_hidden(const struct cs_xlsx *x, size_t i)
{
	if (i >= x->sheets.len)
		return false;
	return ((const struct sheet *)cs_vec_at(&x->sheets, i))->hidden;
}

bool cs_xlsx_date1904(const struct cs_xlsx *x)
{
	return x->date1904;
}

/* True when two sheet names are equal ignoring case and canonical equivalence. */
static bool same_name(const char *a, const char *b)
{
	UChar ua[CS_XLSX_MAX_SHEET_NAME], ub[CS_XLSX_MAX_SHEET_NAME];
	int32_t la, lb;
	UErrorCode st = U_ZERO_ERROR;

	if (strcmp(a, b) == 0)
		return true;
	u_strFromUTF8(ua, CS_XLSX_MAX_SHEET_NAME, &la, a, -1, &st);
	u_strFromUTF8(ub, CS_XLSX_MAX_SHEET_NAME, &lb, b, -1, &st);
	if (U_FAILURE(st))
		return false;
	return unorm_compare(ua, la, ub, lb, U_COMPARE_IGNORE_CASE, &st) == 0 && U_SUCCESS(st);
}

enum cs_err cs_xlsx_find_sheet(const struct cs_xlsx *x, const char *name, size_t *index,
			       struct cs_error *err)
{
	char list[300];
	size_t used = 0;

	for (size_t i = 0; i < x->sheets.len; i++) {
		if (same_name(cs_xlsx_sheet_name(x, i), name)) {
			*index = i;
			return CS_OK;
		}
	}
	list[0] = '\0';
	for (size_t i = 0; i < x->sheets.len; i++) {
		const char *n = cs_xlsx_sheet_name(x, i);
		int w = snprintf(list + used, sizeof(list) - used, "%s'%s'", i ? ", " : "", n);

		if (w < 0 || (size_t)w >= sizeof(list) - used - 5) {
			snprintf(list + used, sizeof(list) - used, "%s...", i ? ", " : "");
			break;
		}
		used += (size_t)w;
	}
	return cs_fail(err, CS_ENOTFOUND, "%s: no sheet named '%s'; the sheets are %s", x->label,
		       name, list);
}

/* ---- reading a sheet ---- */

/* A cell of the current row, before the row is handed out. */
struct pending {
	unsigned col;
	enum cs_xlsx_type type;
	const char *ptr; /* text that is not in the row's pool (a shared string), or NULL */
	size_t off, len; /* the text in the pool when ptr is NULL */
};

struct sheet_parse {
	struct xlsx_xml m;
	enum cs_err (*row_cb)(void *ctx, size_t row, const struct cs_xlsx_cell *cells,
			      size_t ncells, struct cs_error *err);
	void *ctx;
	unsigned long row;   /* the current or last row, 0 before the first */
	unsigned col;	     /* the last cell's column in the current row, 0 before the first */
	char type;	     /* the current cell's t: 'n' 's' 'i'(nlineStr) 'f'(str) 'b' 'e' 'd' */
	bool date_style;     /* the current cell's format shows a date */
	bool has_value;	     /* the current cell has a <v> or <is> */
	struct cs_vec pend;  /* of struct pending, in column order */
	struct cs_buf pool;  /* the texts of the row's cells, each NUL-terminated */
	struct cs_vec cells; /* of struct cs_xlsx_cell, indexed by column - 1 */
	size_t passed;	     /* cells passed to row_cb so far */
};

static const struct {
	const char *t;
	char type;
} cell_types[] = {
	{"n", 'n'}, {"s", 's'}, {"inlineStr", 'i'}, {"str", 'f'},
	{"b", 'b'}, {"e", 'e'}, {"d", 'd'},
};

/* The cell name of column col in row ("C5"), for messages. */
static void cell_name(unsigned col, unsigned long row, char out[24])
{
	char c[CS_XLSX_COL_LEN];

	cs_xlsx_col_name(col, c);
	snprintf(out, 24, "%s%lu", c, row);
}

/* Parses a cell reference "C5" into column and row; false when it is not one. */
static bool parse_ref(const char *s, unsigned long *col, unsigned long *row)
{
	unsigned long c = 0;
	size_t i = 0;

	for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
		if (i == 3)
			return false;
		c = c * 26 + (unsigned long)((s[i] | 0x20) - 'a' + 1);
	}
	if (i == 0 || s[i] == '0')
		return false;
	*col = c;
	return xlsx_parse_uint(s + i, strlen(s + i), 9999999, row);
}

static unsigned char row_start(struct xlsx_xml *m, const char **atts)
{
	struct sheet_parse *sp = (struct sheet_parse *)m;
	const char *r = xlsx_attr(atts, "r");
	unsigned long n = sp->row + 1;

	if (r && (!xlsx_parse_uint(r, strlen(r), 9999999, &n) || n == 0)) {
		xlsx_xml_fail(m, CS_EPARSE, "row number '%.*s' is not a number from 1 to %d",
			      xlsx_quote_len(r, strlen(r)), r, CS_XLSX_MAX_ROWS);
		return K_OTHER;
	}
	if (n > CS_XLSX_MAX_ROWS) {
		xlsx_xml_fail(m, CS_ETOOBIG, "row %lu is past Excel's last row %d", n,
			      CS_XLSX_MAX_ROWS);
		return K_OTHER;
	}
	if (n <= sp->row) {
		xlsx_xml_fail(m, CS_EPARSE,
			      "row %lu comes after row %lu; rows must be in increasing order", n,
			      sp->row);
		return K_OTHER;
	}
	sp->row = n;
	sp->col = 0;
	cs_vec_clear(&sp->pend);
	cs_buf_reset(&sp->pool);
	return K_ROW;
}

static unsigned char cell_start(struct xlsx_xml *m, const char **atts)
{
	struct sheet_parse *sp = (struct sheet_parse *)m;
	const char *r = xlsx_attr(atts, "r"), *t = xlsx_attr(atts, "t"), *s = xlsx_attr(atts, "s");
	unsigned long col = sp->col + 1, row = sp->row, style;
	char name[24], prev[24];

	if (r && !parse_ref(r, &col, &row)) {
		xlsx_xml_fail(m, CS_EPARSE, "cell reference '%.*s' is not a cell name like C5",
			      xlsx_quote_len(r, strlen(r)), r);
		return K_OTHER;
	}
	if (col > CS_XLSX_MAX_COLS) {
		xlsx_xml_fail(m, CS_ETOOBIG,
			      "cell in column %lu of row %lu is past Excel's last column XFD", col,
			      row);
		return K_OTHER;
	}
	cell_name((unsigned)col, row, name);
	if (row != sp->row) {
		xlsx_xml_fail(m, CS_EPARSE, "cell %s is inside row %lu", name, sp->row);
		return K_OTHER;
	}
	if (col <= sp->col) {
		cell_name(sp->col, row, prev);
		xlsx_xml_fail(m, CS_EPARSE, "cell %s comes after %s; cells must be in column order",
			      name, prev);
		return K_OTHER;
	}
	sp->col = (unsigned)col;
	sp->type = 0;
	for (size_t i = 0; i < sizeof(cell_types) / sizeof(cell_types[0]); i++)
		if (strcmp(t ? t : "n", cell_types[i].t) == 0)
			sp->type = cell_types[i].type;
	if (!sp->type) {
		xlsx_xml_fail(
			m, CS_EPARSE,
			"cell %s has unknown type t=\"%.*s\", expected s, n, b, e, str, inlineStr "
			"or d",
			name, xlsx_quote_len(t, strlen(t)), t);
		return K_OTHER;
	}
	sp->date_style = s && xlsx_parse_uint(s, strlen(s), UINT32_MAX, &style) &&
			 style < m->x->nxf && m->x->xf_date[style];
	sp->has_value = false;
	cs_buf_reset(&m->text);
	return K_C;
}

static unsigned char sheet_start(struct xlsx_xml *m, unsigned char parent, const char *name,
				 const char **atts)
{
	if (parent == K_NONE)
		return K_ROOT;
	if (parent == K_ROOT && strcmp(name, "sheetData") == 0)
		return K_SHEETDATA;
	if (parent == K_SHEETDATA && strcmp(name, "row") == 0)
		return row_start(m, atts);
	if (parent == K_ROW && strcmp(name, "c") == 0)
		return cell_start(m, atts);
	if (parent == K_C && strcmp(name, "v") == 0) {
		((struct sheet_parse *)m)->has_value = true;
		m->collect = true;
		return K_V;
	}
	if (parent == K_C && strcmp(name, "is") == 0) {
		((struct sheet_parse *)m)->has_value = true;
		return K_IS;
	}
	if (parent == K_IS && strcmp(name, "r") == 0)
		return K_R;
	if ((parent == K_IS || parent == K_R) && strcmp(name, "t") == 0) {
		m->collect = true;
		return K_T;
	}
	/* Formulas (<f>), phonetic runs and everything outside the cells. */
	return K_OTHER;
}

/* Records the value of the cell that just ended, if it has one. */
static void cell_end(struct sheet_parse *sp)
{
	struct xlsx_xml *m = &sp->m;
	struct cs_xlsx *x = m->x;
	struct pending p = {sp->col, CS_XLSX_STRING, NULL, sp->pool.len, 0};
	const char *v = m->text.data;
	size_t len = m->text.len;
	unsigned long idx;
	char name[24];
	enum cs_err rc;

	if (!sp->has_value)
		return;
	cell_name(sp->col, sp->row, name);
	if (sp->type != 'i' && sp->type != 'f' && sp->type != 'd')
		xlsx_trim(&v, &len);
	switch (sp->type) {
	case 's':
		if (!xlsx_parse_uint(v, len, ULONG_MAX, &idx)) {
			xlsx_xml_fail(m, CS_EPARSE,
				      "cell %s: shared string number '%.*s' is not a number", name,
				      xlsx_quote_len(v, len), v);
			return;
		}
		if (idx >= x->sst.len) {
			xlsx_xml_fail(
				m, CS_EPARSE,
				"cell %s refers to shared string %lu but the workbook has %zu",
				name, idx, x->sst.len);
			return;
		}
		{
			const struct span *s = cs_vec_at(&x->sst, idx);

			p.ptr = x->sst_text.data + s->off;
			p.len = s->len;
		}
		break;
	case 'i':
	case 'f':
	case 'd':
		if (xlsx_add_text(m, v, len, &sp->pool, name))
			return;
		p.len = sp->pool.len - p.off;
		break;
	case 'b':
		if (len == 0)
			return;
		if ((len == 1 && v[0] == '1') || (len == 4 && memcmp(v, "true", 4) == 0))
			p.ptr = "TRUE";
		else if ((len == 1 && v[0] == '0') || (len == 5 && memcmp(v, "false", 5) == 0))
			p.ptr = "FALSE";
		else {
			xlsx_xml_fail(m, CS_EPARSE, "cell %s: boolean '%.*s', expected 0 or 1",
				      name, xlsx_quote_len(v, len), v);
			return;
		}
		p.type = CS_XLSX_BOOL;
		p.len = strlen(p.ptr);
		break;
	case 'e':
		if (xlsx_add_text(m, v, len, &sp->pool, name))
			return;
		p.type = CS_XLSX_ERROR;
		p.len = sp->pool.len - p.off;
		break;
	default:
		if (len == 0)
			return;
		if (!xlsx_is_number(v, len)) {
			xlsx_xml_fail(m, CS_EPARSE, "cell %s: '%.*s' is not a number", name,
				      xlsx_quote_len(v, len), v);
			return;
		}
		rc = cs_buf_add(&sp->pool, v, len, NULL);
		if (rc) {
			xlsx_xml_fail(m, rc, "row %lu: more text than the limit of %zu bytes",
				      sp->row, sp->pool.max);
			return;
		}
		p.type = sp->date_style ? CS_XLSX_DATE : CS_XLSX_NUMBER;
		p.len = len;
	}
	if (p.len == 0) {
		/* An empty string is an empty cell to every caller. */
		cs_buf_truncate(&sp->pool, p.off);
		return;
	}
	if (!p.ptr && (rc = cs_buf_addc(&sp->pool, '\0', NULL)) != CS_OK) {
		xlsx_xml_fail(m, rc, "row %lu: more text than the limit of %zu bytes", sp->row,
			      sp->pool.max);
		return;
	}
	if (cs_vec_push(&sp->pend, &p, NULL))
		xlsx_xml_fail(m, CS_ENOMEM, "out of memory");
}

/* Hands the row that just ended to the callback, if it has a non-empty cell. */
static void row_end(struct sheet_parse *sp)
{
	struct xlsx_xml *m = &sp->m;
	const struct pending *last;
	struct cs_xlsx_cell *cells;
	size_t ncells;
	enum cs_err rc;

	if (sp->pend.len == 0)
		return;
	last = cs_vec_at(&sp->pend, sp->pend.len - 1);
	ncells = last->col;
	if (ncells > CS_XLSX_MAX_SHEET_CELLS - sp->passed) {
		xlsx_xml_fail(m, CS_ETOOBIG,
			      "more than %u cells in the sheet (counting the empty cells "
			      "left of each row's last value)",
			      CS_XLSX_MAX_SHEET_CELLS);
		return;
	}
	sp->passed += ncells;
	if (cs_vec_reserve(&sp->cells, ncells, NULL)) {
		xlsx_xml_fail(m, CS_ENOMEM, "out of memory");
		return;
	}
	/* Entries past the longest row so far are made empty once; after each
	 * row only the entries it filled are emptied again. */
	while (sp->cells.len < ncells) {
		struct cs_xlsx_cell *c = cs_vec_push_zero(&sp->cells, NULL);

		c->col = (unsigned)sp->cells.len;
		c->type = CS_XLSX_EMPTY;
		c->text = "";
	}
	cells = sp->cells.data;
	for (size_t i = 0; i < sp->pend.len; i++) {
		const struct pending *p = cs_vec_at(&sp->pend, i);
		struct cs_xlsx_cell *c = &cells[p->col - 1];

		c->type = p->type;
		c->text = p->ptr ? p->ptr : sp->pool.data + p->off;
		c->len = p->len;
	}
	rc = sp->row_cb(sp->ctx, sp->row, cells, ncells, m->err);
	for (size_t i = 0; i < sp->pend.len; i++) {
		const struct pending *p = cs_vec_at(&sp->pend, i);
		struct cs_xlsx_cell *c = &cells[p->col - 1];

		c->type = CS_XLSX_EMPTY;
		c->text = "";
		c->len = 0;
	}
	cs_vec_clear(&sp->pend);
	cs_buf_reset(&sp->pool);
	if (rc) {
		/* The callback's own failure, reported as it wrote it. */
		m->rc = rc;
		XML_StopParser(m->p, XML_FALSE);
	}
}

static void sheet_end(struct xlsx_xml *m, unsigned char kind)
{
	struct sheet_parse *sp = (struct sheet_parse *)m;

	if (kind == K_V || kind == K_T)
		m->collect = false;
	else if (kind == K_C)
		cell_end(sp);
	else if (kind == K_ROW)
		row_end(sp);
}

enum cs_err cs_xlsx_read_sheet(struct cs_xlsx *x, size_t index,
			       enum cs_err (*row_cb)(void *ctx, size_t row,
						     const struct cs_xlsx_cell *cells,
						     size_t ncells, struct cs_error *err),
			       void *ctx, struct cs_error *err)
{
	const struct sheet *sh;
	struct sheet_parse sp;
	enum cs_err rc;

	if (index >= x->sheets.len)
		return cs_fail(err, CS_EINVAL, "%s: no sheet number %zu; the workbook has %zu",
			       x->label, index + 1, x->sheets.len);
	sh = cs_vec_at(&x->sheets, index);
	if (!sh->part_name)
		return cs_fail(err, CS_EPARSE,
			       "%s: sheet '%s': relationship '%s' is missing from %s; the workbook "
			       "is damaged",
			       x->label, sh->name, sh->rid, x->wb_rels);
	if (!sh->part.found)
		return cs_fail(err, CS_EPARSE,
			       "%s: sheet '%s': part %s is missing from the archive; the workbook "
			       "is damaged",
			       x->label, sh->name, sh->part_name);
	xlsx_xml_init(&sp.m, x, x->label, x->zip, sh->part_name, err);
	sp.m.sheet = sh->name;
	sp.m.start = sheet_start;
	sp.m.end = sheet_end;
	sp.row_cb = row_cb;
	sp.ctx = ctx;
	sp.row = 0;
	sp.col = 0;
	sp.type = 0;
	sp.date_style = false;
	sp.has_value = false;
	sp.passed = 0;
	cs_vec_init(&sp.pend, sizeof(struct pending), 0);
	cs_vec_init(&sp.cells, sizeof(struct cs_xlsx_cell), 0);
	cs_buf_init(&sp.pool, CS_XLSX_MAX_PART);
	rc = xlsx_parse_part(&sp.m, sh->part);
	cs_vec_release(&sp.pend);
	cs_vec_release(&sp.cells);
	cs_buf_release(&sp.pool);
	xlsx_xml_release(&sp.m);
	return rc;
}

/* ---- dates and column names ---- */

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void put_digits(char *p, int v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

enum cs_err cs_xlsx_serial_to_iso(double serial, char iso[CS_DATE_LEN], struct cs_error *err)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long n;
	int y = 1900, m = 0;

	if (!isfinite(serial) || serial < 1 || serial >= 2958466)
		return cs_fail(err, CS_EPARSE,
			       "date serial %g out of range, expected 1 (1900-01-01) to 2958465 "
			       "(9999-12-31)",
			       serial);
	n = (long)floor(serial);
	if (n == 60)
		return cs_fail(err, CS_EPARSE,
			       "date serial 60 is 29 February 1900, a day that does not exist "
			       "(Excel counts 1900 as a leap year)");
	/* Serials from 61 count the phantom 29 February 1900. */
	if (n > 60)
		n--;
	n--; /* days after 1900-01-01 */
	while (n >= (leap(y) ? 366 : 365)) {
		n -= leap(y) ? 366 : 365;
		y++;
	}
	while (n >= mdays[m] + (m == 1 && leap(y))) {
		n -= mdays[m] + (m == 1 && leap(y));
		m++;
	}
	put_digits(iso, y, 4);
	iso[4] = '-';
	put_digits(iso + 5, m + 1, 2);
	iso[7] = '-';
	put_digits(iso + 8, (int)n + 1, 2);
	iso[10] = '\0';
	return CS_OK;
}

void cs_xlsx_col_name(unsigned col, char out[CS_XLSX_COL_LEN])
{
	char tmp[CS_XLSX_COL_LEN];
	size_t n = 0;

	if (col < 1 || col > CS_XLSX_MAX_COLS) {
		out[0] = '?';
		out[1] = '\0';
		return;
	}
	while (col > 0) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}
