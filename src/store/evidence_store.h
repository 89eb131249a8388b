/*
 * Evidence of self-assessments (METHODOLOGY M2.9: "submitted by the unit,
 * with evidence"): files attached to a unit's criterion in a period, of the
 * kinds an office produces (PDF, images, office documents), recognised by
 * their content, kept once per content under their SHA-256, and audited per
 * criterion.
 */
#ifndef CHISO_STORE_EVIDENCE_STORE_H
#define CHISO_STORE_EVIDENCE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "store/store.h"
#include "store/unit_store.h"
#include "util/arena.h"
#include "util/sha256.h"
#include "util/vec.h"

/* Largest evidence file, in bytes. */
#define CS_EVIDENCE_MAX (8u * 1024 * 1024)
/* Longest file name, in bytes. */
#define CS_EVIDENCE_NAME_MAX 200

/*
 * The media type of a file from its first bytes and, for the formats that
 * share a container (zip: .docx, .xlsx, .pptx, .odt, .ods, .odp; the old
 * OLE2 format: .doc, .xls, .ppt), its name's extension: application/pdf,
 * image/png, image/jpeg, image/gif, image/webp or the office types. NULL
 * for anything else (HTML, SVG and programs are never accepted).
 */
const char *cs_evidence_media_type(const void *data, size_t len, const char *name);

/*
 * Checks a file name: 1 to CS_EVIDENCE_NAME_MAX bytes of UTF-8 without
 * control characters, '/', '\\' or a leading '.'. CS_EINVAL naming it and
 * saying what is expected.
 */
enum cs_err cs_evidence_name_check(const char *name, struct cs_error *err);

/* An evidence file as listed. Strings in the caller's arena. */
struct cs_evidence {
	int64_t id;
	int64_t period_id, unit_id;
	const char *framework, *node;
	const char *name, *media_type;
	int64_t size;
	const char *sha256;
	const char *uploaded_by, *uploaded_at;
};

/*
 * Attaches data (len bytes, at most CS_EVIDENCE_MAX) named name to criterion
 * node of unit (id and code) in period p under fw_code, inside the caller's
 * transaction: the content once per SHA-256, a row with the media type
 * (cs_evidence_media_type), size, hash, actor and time, and an audit row
 * (entity "assessment", id "PERIOD/FRAMEWORK/UNIT/NODE", field "evidence",
 * new value "NAME (sha256 HASH)"). *id and sha256 (either may be NULL)
 * receive the row's id and the hash. CS_EINVAL for a bad name or a kind of
 * file not accepted; CS_ETOOBIG past the limit; storage errors, CS_ENOMEM.
 */
enum cs_err cs_evidence_add(struct cs_store *s, const struct cs_period *p, int64_t unit_id,
			    const char *unit, const char *fw_code, const char *node,
			    const char *name, const void *data, size_t len, int64_t *id,
			    char sha256[CS_SHA256_HEX_LEN], struct cs_error *err);

/*
 * Appends to out (a vec of struct cs_evidence) the evidence of unit_id in
 * period_id under fw_code, oldest first. Strings go into arena. Storage
 * errors, CS_ENOMEM.
 */
enum cs_err cs_evidence_list(struct cs_store *s, int64_t period_id, int64_t unit_id,
			     const char *fw_code, struct cs_arena *arena, struct cs_vec *out,
			     struct cs_error *err);

/*
 * The evidence with this id: its row into *out (strings in arena) and, when
 * data is not NULL, its bytes into *data (the caller frees it with cs_free)
 * and *len. CS_ENOTFOUND ("no evidence 7"); CS_ECONFLICT when the stored
 * bytes no longer match their hash; storage errors, CS_ENOMEM.
 */
enum cs_err cs_evidence_get(struct cs_store *s, int64_t id, struct cs_arena *arena,
			    struct cs_evidence *out, void **data, size_t *len,
			    struct cs_error *err);

#endif
