/*
 * The XML layer of the .xlsx reader (io/xlsx), internal to it: one part of
 * the zip package inflated chunk by chunk into expat under the reader's
 * limits, with element kinds tracked per depth, and the text rules of
 * SpreadsheetML (_xHHHH_ escapes, Excel's length limit, literal numbers).
 */
#ifndef CHISO_IO_XLSX_XML_H
#define CHISO_IO_XLSX_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <expat.h>
#include <zip.h>

#include "chiso/error.h"
#include "io/xlsx.h"
#include "util/buf.h"

/*
 * Kinds every parser shares: the parent of the root element, and an element
 * whose whole subtree is skipped. Parsers number their own kinds from
 * XLSX_KIND_FIRST.
 */
#define XLSX_KIND_NONE 0
#define XLSX_KIND_OTHER 1
#define XLSX_KIND_FIRST 2

/* A zip entry: where it is and how large it says it is once inflated. */
struct xlsx_part {
	bool found;
	uint64_t index;
	uint64_t size;
};

/*
 * One part being parsed. A parser embeds this as its first member and sets
 * start and end. start() gets the local name (namespace dropped) of every
 * element whose parent's kind is not XLSX_KIND_OTHER and returns the new
 * element's kind; end() gets every element whose kind is not
 * XLSX_KIND_OTHER. While collect is set, character data is appended to text.
 */
struct xlsx_xml {
	struct cs_xlsx *x; /* the workbook, for the parsers */
	const char *label; /* the workbook's name in messages */
	const char *part;  /* the part's name */
	const char *sheet; /* the sheet's name for messages, or NULL */
	zip_t *zip;
	XML_Parser p;
	struct cs_error *err;
	enum cs_err rc; /* the first failure; the handlers do nothing once it is set */
	unsigned depth;
	unsigned char kind[CS_XLSX_MAX_DEPTH + 1];
	bool collect;
	struct cs_buf text; /* capped: see XLSX_RAW_TEXT_MAX */
	unsigned char (*start)(struct xlsx_xml *m, unsigned char parent, const char *name,
			       const char **atts);
	void (*end)(struct xlsx_xml *m, unsigned char kind);
};

/*
 * Raw character data kept for one text before its _xHHHH_ escapes are
 * decoded: an escape takes 7 bytes for one UTF-16 unit, so a text within
 * CS_XLSX_MAX_TEXT may take more bytes than that.
 */
#define XLSX_RAW_TEXT_MAX (8u * CS_XLSX_MAX_TEXT)

/* Prepares m to parse part of zip; start and end are left to the caller. */
void xlsx_xml_init(struct xlsx_xml *m, struct cs_xlsx *x, const char *label, zip_t *zip,
		   const char *part, struct cs_error *err);

/* Frees what m holds; m may be reused after xlsx_xml_init. */
void xlsx_xml_release(struct xlsx_xml *m);

/*
 * Records a failure at the parser's position ("label: part:line:col (sheet
 * 'name'): message"; CS_ENOMEM gets its plain message) unless one is
 * recorded already, and stops the parser. Returns the recorded code.
 */
enum cs_err xlsx_xml_fail(struct xlsx_xml *m, enum cs_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The value of the attribute with this local name (any namespace), or NULL. */
const char *xlsx_attr(const char **atts, const char *local);

/* The zip entry of a part name, matched ignoring case as OPC part names are. */
struct xlsx_part xlsx_find_part(zip_t *zip, const char *name);

/*
 * Inflates the part and feeds it to expat with m's handlers. DOCTYPE (and so
 * every entity declaration) is refused, elements may nest CS_XLSX_MAX_DEPTH
 * deep, and the part may inflate to no more and no less than the zip
 * directory declares, which may not pass CS_XLSX_MAX_PART. CS_EPARSE for
 * malformed XML or a damaged zip entry, CS_ETOOBIG, CS_ENOMEM, or the code
 * a handler recorded with xlsx_xml_fail.
 */
enum cs_err xlsx_parse_part(struct xlsx_xml *m, struct xlsx_part pt);

/*
 * Appends raw text to out with Excel's _xHHHH_ escapes decoded, then checks
 * it against CS_XLSX_MAX_TEXT (CS_ETOOBIG) and for valid UTF-8 (CS_EUTF8);
 * what names the text in the message. On failure out is as it was and the
 * parser is stopped.
 */
enum cs_err xlsx_add_text(struct xlsx_xml *m, const char *raw, size_t len, struct cs_buf *out,
			  const char *what);

/* Narrows *p, *len to drop leading and trailing XML white space. */
void xlsx_trim(const char **p, size_t *len);

/* Parses a whole string of decimal digits (no sign) of at most max. */
bool xlsx_parse_uint(const char *s, size_t len, unsigned long max, unsigned long *out);

/*
 * True when s[0..len) is a number as SpreadsheetML stores one (xsd:double
 * without INF and NaN): optional sign, digits with an optional fraction, an
 * optional exponent.
 */
bool xlsx_is_number(const char *s, size_t len);

/* How many bytes of p[0..len) to quote in a message: at most 40, not cutting a character. */
int xlsx_quote_len(const char *p, size_t len);

#endif
