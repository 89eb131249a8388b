/*
 * The XML layer of the .xlsx reader: zip entries inflated into expat with
 * DOCTYPE refused and nesting, sizes and text lengths capped, and the text
 * rules of SpreadsheetML.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "io/xlsx_xml.h"
#include "util/alloc.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Bytes inflated and handed to expat at a time. */
#define CHUNK (64u * 1024)

/* Longest piece of an offending value quoted in a message. */
#define QUOTE_MAX 40

/* expat reports element and attribute names as "namespace-URI<sep>local". */
static const XML_Char ns_sep[] = " ";

/* expat allocates through chiso's allocator, so out-of-memory tests reach it. */
static const XML_Memory_Handling_Suite mem_suite = {cs_malloc, cs_realloc, cs_free};

int xlsx_quote_len(const char *p, size_t len)
{
	if (len <= QUOTE_MAX)
		return (int)len;
	len = QUOTE_MAX;
	while (len > 0 && ((unsigned char)p[len] & 0xC0) == 0x80)
		len--;
	return (int)len;
}

void xlsx_xml_init(struct xlsx_xml *m, struct cs_xlsx *x, const char *label, zip_t *zip,
		   const char *part, struct cs_error *err)
{
	memset(m, 0, sizeof(*m));
	m->x = x;
	m->label = label;
	m->zip = zip;
	m->part = part;
	m->err = err;
	cs_buf_init(&m->text, XLSX_RAW_TEXT_MAX);
}

void xlsx_xml_release(struct xlsx_xml *m)
{
	if (m->p)
		XML_ParserFree(m->p);
	m->p = NULL;
	cs_buf_release(&m->text);
}

enum cs_err xlsx_xml_fail(struct xlsx_xml *m, enum cs_err code, const char *fmt, ...)
{
	char msg[CS_ERROR_MSG_MAX];
	unsigned long line = 0, col = 0;
	va_list ap;

	if (m->rc)
		return m->rc;
	if (code == CS_ENOMEM) {
		m->rc = cs_fail(m->err, CS_ENOMEM, NULL);
	} else {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		if (m->p) {
			line = (unsigned long)XML_GetCurrentLineNumber(m->p);
			col = (unsigned long)XML_GetCurrentColumnNumber(m->p) + 1;
		}
		m->rc = cs_fail(m->err, code, "%s: %s:%lu:%lu%s%s%s: %s", m->label, m->part, line,
				col, m->sheet ? " (sheet '" : "", m->sheet ? m->sheet : "",
				m->sheet ? "')" : "", msg);
	}
	if (m->p)
		XML_StopParser(m->p, XML_FALSE);
	return m->rc;
}

static const char *local_name(const char *name)
{
	const char *s = strrchr(name, ns_sep[0]);

	return s ? s + 1 : name;
}

const char *xlsx_attr(const char **atts, const char *local)
{
	for (; *atts; atts += 2)
		if (strcmp(local_name(atts[0]), local) == 0)
			return atts[1];
	return NULL;
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_xml *m = data;
	unsigned char parent;

	if (m->rc)
		return;
	if (m->depth >= CS_XLSX_MAX_DEPTH) {
		xlsx_xml_fail(m, CS_ETOOBIG, "elements nested more than %d deep",
			      CS_XLSX_MAX_DEPTH);
		return;
	}
	parent = m->depth ? m->kind[m->depth] : XLSX_KIND_NONE;
	m->depth++;
	m->kind[m->depth] = parent == XLSX_KIND_OTHER ? XLSX_KIND_OTHER
						      : m->start(m, parent, local_name(name), atts);
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
	struct xlsx_xml *m = data;

	(void)name;
	if (m->rc)
		return;
	if (m->kind[m->depth] != XLSX_KIND_OTHER)
		m->end(m, m->kind[m->depth]);
	m->depth--;
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct xlsx_xml *m = data;
	enum cs_err rc;

	if (m->rc || !m->collect)
		return;
	rc = cs_buf_add(&m->text, s, (size_t)len, NULL);
	if (rc == CS_ETOOBIG)
		xlsx_xml_fail(m, rc, "text longer than %d characters, Excel's limit for a cell",
			      CS_XLSX_MAX_TEXT);
	else if (rc)
		xlsx_xml_fail(m, rc, "out of memory");
}

/*
 * Excel never writes a DTD, and a DTD is how entity expansion attacks
 * ("billion laughs", external entities) get in, so any DOCTYPE is refused
 * before its declarations are read.
 */
static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xlsx_xml_fail(data, CS_EPARSE,
		      "document type declaration (<!DOCTYPE ...>) not allowed in an xlsx part");
}

static void XMLCALL on_entity(void *data, const XML_Char *name, int is_param, const XML_Char *value,
			      int value_len, const XML_Char *base, const XML_Char *sysid,
			      const XML_Char *pubid, const XML_Char *notation)
{
	(void)name;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	xlsx_xml_fail(data, CS_EPARSE, "entity declaration not allowed in an xlsx part");
}

struct xlsx_part xlsx_find_part(zip_t *zip, const char *name)
{
	struct xlsx_part pt = {false, 0, 0};
	zip_int64_t i = zip_name_locate(zip, name, 0);
	zip_stat_t st;

	/* The exact name is a hash lookup; ignoring case is a scan of every
	 * entry, which the cap on entries keeps cheap. */
	if (i < 0)
		i = zip_name_locate(zip, name, ZIP_FL_NOCASE);
	if (i < 0)
		return pt;
	zip_stat_init(&st);
	if (zip_stat_index(zip, (zip_uint64_t)i, 0, &st) != 0)
		return pt;
	pt.found = true;
	pt.index = (zip_uint64_t)i;
	pt.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	return pt;
}

/*
 * The part may not inflate to more than the zip directory declares, which
 * the caller has checked against the limits: that is what stops a zip bomb
 * whose directory lies.
 */
enum cs_err xlsx_parse_part(struct xlsx_xml *m, struct xlsx_part pt)
{
	zip_t *zip = m->zip;
	zip_file_t *f = NULL;
	zip_uint64_t got = 0;
	enum cs_err rc = CS_OK;

	if (pt.size > CS_XLSX_MAX_PART)
		return cs_fail(m->err, CS_ETOOBIG,
			       "%s: %s: %llu bytes once uncompressed, more than the limit of %u",
			       m->label, m->part, (unsigned long long)pt.size, CS_XLSX_MAX_PART);
	m->p = XML_ParserCreate_MM(NULL, &mem_suite, ns_sep);
	if (!m->p)
		return cs_fail(m->err, CS_ENOMEM, NULL);
	XML_SetUserData(m->p, m);
	XML_SetElementHandler(m->p, on_start, on_end);
	XML_SetCharacterDataHandler(m->p, on_text);
	XML_SetStartDoctypeDeclHandler(m->p, on_doctype);
	XML_SetEntityDeclHandler(m->p, on_entity);
	XML_SetParamEntityParsing(m->p, XML_PARAM_ENTITY_PARSING_NEVER);

	f = zip_fopen_index(zip, pt.index, 0);
	if (!f) {
		zip_error_t *ze = zip_get_error(zip);

		rc = zip_error_code_zip(ze) == ZIP_ER_MEMORY
			     ? cs_fail(m->err, CS_ENOMEM, NULL)
			     : cs_fail(m->err, CS_EPARSE, "%s: %s: cannot read the zip entry: %s",
				       m->label, m->part, zip_error_strerror(ze));
		goto out;
	}
	for (;;) {
		void *buf = XML_GetBuffer(m->p, CHUNK);
		zip_int64_t n;

		if (!buf) {
			rc = cs_fail(m->err, CS_ENOMEM, NULL);
			goto out;
		}
		n = zip_fread(f, buf, CHUNK);
		if (n < 0) {
			zip_error_t *ze = zip_file_get_error(f);

			rc = zip_error_code_zip(ze) == ZIP_ER_MEMORY
				     ? cs_fail(m->err, CS_ENOMEM, NULL)
				     : cs_fail(m->err, CS_EPARSE,
					       "%s: %s: damaged zip entry: %s; save the file again "
					       "in Excel",
					       m->label, m->part, zip_error_strerror(ze));
			goto out;
		}
		got += (zip_uint64_t)n;
		if (got > pt.size) {
			rc = cs_fail(m->err, CS_ETOOBIG,
				     "%s: %s: inflates to more than the %llu bytes the zip "
				     "directory declares (a damaged file or a zip bomb)",
				     m->label, m->part, (unsigned long long)pt.size);
			goto out;
		}
		if (XML_ParseBuffer(m->p, (int)n, n == 0) != XML_STATUS_OK || m->rc) {
			enum XML_Error code = XML_GetErrorCode(m->p);

			if (m->rc)
				rc = m->rc;
			else if (code == XML_ERROR_NO_MEMORY)
				rc = cs_fail(m->err, CS_ENOMEM, NULL);
			else
				rc = cs_fail(m->err, CS_EPARSE, "%s: %s:%lu:%lu: malformed XML: %s",
					     m->label, m->part,
					     (unsigned long)XML_GetCurrentLineNumber(m->p),
					     (unsigned long)XML_GetCurrentColumnNumber(m->p) + 1,
					     XML_ErrorString(code));
			goto out;
		}
		if (n == 0)
			break;
	}
	if (got != pt.size)
		rc = cs_fail(m->err, CS_EPARSE,
			     "%s: %s: holds %llu bytes but the zip directory declares %llu; the "
			     "file is damaged",
			     m->label, m->part, (unsigned long long)got,
			     (unsigned long long)pt.size);
out:
	if (f)
		zip_fclose(f);
	XML_ParserFree(m->p);
	m->p = NULL;
	return rc;
}

/* ---- text ---- */

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* The UTF-16 unit escaped as _xHHHH_ at s[0..7), or -1. */
static int escape_at(const char *s, size_t avail)
{
	if (avail < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	return hex4(s + 2);
}

static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Appends s[0..len) to out, decoding the _xHHHH_ escapes with which Excel
 * writes characters XML cannot hold, such as a carriage return (_x000D_)
 * (ECMA-376 Part 1, 22.9.2.19, ST_Xstring). A literal "_x" is itself written
 * "_x005F_x". A surrogate pair is two escapes; a NUL or an unpaired
 * surrogate is kept as written.
 */
static enum cs_err decode_text(const char *s, size_t len, struct cs_buf *out)
{
	size_t i = 0, start = 0;
	enum cs_err rc;

	if (!memchr(s, '_', len))
		return cs_buf_add(out, s, len, NULL);
	while (i < len) {
		int u = escape_at(s + i, len - i);
		unsigned long cp;
		size_t adv = 7;
		char enc[4];

		if (u < 0) {
			i++;
			continue;
		}
		cp = (unsigned long)u;
		if (u >= 0xD800 && u <= 0xDBFF) {
			int lo = escape_at(s + i + 7, len - i - 7);

			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + (((unsigned long)u - 0xD800) << 10) +
				     ((unsigned long)lo - 0xDC00);
				adv = 14;
			}
		}
		if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			i++;
			continue;
		}
		rc = cs_buf_add(out, s + start, i - start, NULL);
		if (!rc)
			rc = cs_buf_add(out, enc, put_utf8(enc, cp), NULL);
		if (rc)
			return rc;
		i += adv;
		start = i;
	}
	return cs_buf_add(out, s + start, len - start, NULL);
}

/* The length of valid UTF-8 text in UTF-16 units, the way Excel counts. */
static size_t utf16_units(const char *p, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c & 0xC0) != 0x80)
			n += c >= 0xF0 ? 2 : 1;
	}
	return n;
}

/* The slice without leading and trailing XML white space. */
static bool xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void xlsx_trim(const char **p, size_t *len)
{
	while (*len && xml_space((*p)[0]))
		(*p)++, (*len)--;
	while (*len && xml_space((*p)[*len - 1]))
		(*len)--;
}

/* Parses a whole string of decimal digits (no sign, no leading zeros needed) up to max. */
bool xlsx_parse_uint(const char *s, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (max - (unsigned long)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * True when s[0..len) is a number as SpreadsheetML stores one (xsd:double
 * without INF and NaN): optional sign, digits with an optional fraction, an
 * optional exponent.
 */
bool xlsx_is_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (!digits)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp = 0;

		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			exp++;
		if (!exp)
			return false;
	}
	return i == len;
}

enum cs_err xlsx_add_text(struct xlsx_xml *m, const char *raw, size_t len, struct cs_buf *out,
			  const char *what)
{
	size_t off = out->len, units, bad;
	enum cs_err rc = decode_text(raw, len, out);

	if (rc) {
		cs_buf_truncate(out, off);
		return rc == CS_ETOOBIG
			       ? xlsx_xml_fail(m, rc, "%s: more text than the limit of %zu bytes",
					       what, out->max)
			       : xlsx_xml_fail(m, rc, "out of memory");
	}
	units = utf16_units(out->data + off, out->len - off);
	if (units > CS_XLSX_MAX_TEXT) {
		cs_buf_truncate(out, off);
		return xlsx_xml_fail(
			m, CS_ETOOBIG,
			"%s has %zu characters, more than Excel's limit of %d per cell", what,
			units, CS_XLSX_MAX_TEXT);
	}
	if (!cs_utf8_valid(out->data + off, out->len - off, &bad)) {
		cs_buf_truncate(out, off);
		return xlsx_xml_fail(m, CS_EUTF8, "%s: invalid UTF-8 at byte %zu", what, bad + 1);
	}
	return CS_OK;
}
