/*
 * Survey waves and their responses in the database (METHODOLOGY M3.1-M3.4):
 * adding and finding waves, writing an import's responses in one
 * transaction, and reading a wave's responses back as a stream. Answers are
 * packed into two text columns by a layout derived from the questionnaire
 * (docs/internals/response_store.md).
 */
#ifndef CHISO_STORE_RESPONSE_STORE_H
#define CHISO_STORE_RESPONSE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/questionnaire.h"
#include "core/response.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/vec.h"

/* Room for a wave code and its NUL; codes follow the questionnaire code rule. */
#define CS_WAVE_CODE_LEN 65
/* Room for a wave title and its NUL. */
#define CS_WAVE_TITLE_LEN 256

/* A survey wave: a questionnaire version asked over a period (M3.8). */
struct cs_wave {
	int64_t id;
	char code[CS_WAVE_CODE_LEN];
	char questionnaire[CS_Q_CODE_MAX + 1];
	char questionnaire_version[CS_Q_CODE_MAX + 1];
	char period[32];	/* the period's code */
	char period_starts[11]; /* its first day, YYYY-MM-DD */
	char title[CS_WAVE_TITLE_LEN];
	char opens[11], closes[11]; /* YYYY-MM-DD or "" */
	char mode[32];		    /* "", "paper", "online", "kiosk", "mixed" ... as given */
	/* Whether any stored response carries a weight, stratum, PSU or fpc. */
	bool has_weight, has_stratum, has_psu, has_fpc;
	int64_t responses; /* stored responses (filled by find and list) */
};

/*
 * The columns of a wave row, for `"select " CS_WAVE_COLUMNS CS_WAVE_FROM "where ..."`
 * (w the wave, p its period), and the reader of those 14 columns; it sets
 * responses to -1 (not counted).
 */
#define CS_WAVE_COLUMNS                                                                       \
	"w.id, w.code, w.questionnaire, w.questionnaire_version, p.code, p.starts, w.title, " \
	"w.opens, w.closes, w.mode, w.has_weight, w.has_stratum, w.has_psu, w.has_fpc "
#define CS_WAVE_FROM "from survey_wave w join period p on p.id = w.period_id "

void cs_wave_row_read(struct cs_stmt *st, struct cs_wave *w);

/*
 * Adds a wave: w->code, questionnaire, questionnaire_version, period (a
 * period's code), title, opens, closes and mode are read; w->id is set.
 * Appends audit rows. CS_EINVAL for a code that breaks the code rule (letters,
 * digits, '_', '-', '.'; at most CS_Q_CODE_MAX bytes) or an empty
 * questionnaire; CS_ENOTFOUND when the period does not exist; CS_EEXIST when
 * the code is taken. The questionnaire is not checked here (the caller loads
 * it first).
 */
enum cs_err cs_wave_store_add(struct cs_store *s, struct cs_wave *w, struct cs_error *err);

/* Fills *out with wave code. CS_ENOTFOUND ("no survey wave 'X'; ...") when none. */
enum cs_err cs_wave_store_find(struct cs_store *s, const char *code, struct cs_wave *out,
			       struct cs_error *err);

/*
 * Appends every wave to out (a vec of struct cs_wave) ordered by the start of
 * its period, then code. On failure out may hold some of them.
 */
enum cs_err cs_wave_store_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err);

/*
 * The wave before the stored wave w->code (M3.7): the one with the same
 * questionnaire code (w->questionnaire) whose period starts latest before
 * w's period starts (ties: the greatest code). *found is false when there is
 * none.
 */
enum cs_err cs_wave_store_previous(struct cs_store *s, const struct cs_wave *w, struct cs_wave *out,
				   bool *found, struct cs_error *err);

/*
 * Where each item's answer lives in a stored response. likert5, yesno and
 * single items take one character of the `answers` column; multi, number and
 * text items one tab-separated field of `extra`; notes nothing.
 */
enum cs_resp_slot_kind {
	CS_RESP_SLOT_NONE,
	CS_RESP_SLOT_FIXED,
	CS_RESP_SLOT_EXTRA
};

struct cs_resp_slot {
	enum cs_resp_slot_kind kind;
	size_t pos;	     /* character of answers, or field of extra */
	enum cs_q_type type; /* the item's */
};

struct cs_resp_layout {
	size_t nitems;
	size_t nfixed, nextra;
	struct cs_resp_slot *slots; /* nitems entries */
};

/*
 * Derives the layout of questionnaire q into l (released with
 * cs_resp_layout_release, which accepts a zeroed or released layout).
 * CS_ENOMEM.
 */
enum cs_err cs_resp_layout_init(struct cs_resp_layout *l, const struct cs_questionnaire *q,
				struct cs_error *err);
void cs_resp_layout_release(struct cs_resp_layout *l);

/*
 * Packs one response: answers[i] for each item (as cs_questionnaire_parse_answer
 * wrote it) and, for text items, texts[i] (the answer text; NULL texts means
 * none). Appends the answers column to fixed and the extra column to extra
 * (nothing when the layout has no extra field). Text may hold any bytes
 * except NUL; tabs, line breaks and backslashes are escaped. CS_ETOOBIG or
 * CS_ENOMEM from the buffers.
 */
enum cs_err cs_resp_encode(const struct cs_resp_layout *l, const struct cs_questionnaire *q,
			   const struct cs_q_answer *answers, const struct cs_str *texts,
			   struct cs_buf *fixed, struct cs_buf *extra, struct cs_error *err);

/*
 * Unpacks a stored response into answers (nitems entries). Text answers come
 * back as answered with value 0; their text is not unpacked. CS_EPARSE when
 * the columns do not match the layout (a response stored under another
 * questionnaire).
 */
enum cs_err cs_resp_decode(const struct cs_resp_layout *l, const struct cs_questionnaire *q,
			   struct cs_str fixed, struct cs_str extra, struct cs_q_answer *answers,
			   struct cs_error *err);

/* An import in progress: one transaction. Opaque. */
struct cs_resp_writer;

/*
 * Starts writing the responses of one import from source (a file name) into
 * wave w, whose questionnaire is q (both must outlive the writer): begins
 * the transaction and records the batch. *out is owned by the caller, who
 * ends it with cs_resp_writer_commit or cs_resp_writer_abort. Errors of
 * cs_store_begin (a database held by another writer), CS_ENOMEM.
 */
enum cs_err cs_resp_writer_begin(struct cs_store *s, const struct cs_wave *w,
				 const struct cs_questionnaire *q, const char *source,
				 struct cs_resp_writer **out, struct cs_error *err);

/*
 * Packs r's answers (cs_resp_encode) and inserts it; an empty slice is
 * stored as SQL NULL. CS_EEXIST for an id already stored for the wave, by
 * this import or an earlier one, with a message naming where it was first
 * given ("duplicate id 'R7': first given at a.csv:12"). Other errors as the
 * store's. After a failure the writer may still take further responses
 * (to find more problems); it must then be aborted.
 */
enum cs_err cs_resp_writer_add(struct cs_resp_writer *w, const struct cs_response *r,
			       struct cs_error *err);

/*
 * As cs_resp_writer_add, with r's answers already packed by cs_resp_encode
 * under the writer's questionnaire (r->answers and r->texts are not read):
 * for programs that pack in one thread and write in another.
 */
enum cs_err cs_resp_writer_add_packed(struct cs_resp_writer *w, const struct cs_response *r,
				      struct cs_str fixed, struct cs_str extra,
				      struct cs_error *err);

/*
 * Finishes the import: records the batch's id range and rows, sets the
 * wave's has_* flags from what was written, appends an audit row and
 * commits. Frees w in every case; on failure nothing is written. *rows gets
 * the responses written (may be NULL).
 */
enum cs_err cs_resp_writer_commit(struct cs_resp_writer *w, size_t *rows, struct cs_error *err);

/* Rolls everything back and frees w; NULL is a no-op. */
void cs_resp_writer_abort(struct cs_resp_writer *w);

/*
 * A stored response as the scan passes it. Slices live until the callback
 * returns; absent text columns are empty slices, absent numbers NAN.
 */
struct cs_resp_row {
	int64_t unit_id;
	double weight, fpc;
	struct cs_str stratum, psu, channel, kind, service;
	struct cs_str answers, extra;
};

/*
 * Calls cb for every response of wave wave_id in the order they were
 * imported. The callback returns CS_OK to go on; any other code stops the
 * scan and is returned. Memory stays constant whatever the number of
 * responses. Store errors; CS_ENOMEM.
 */
enum cs_err cs_resp_store_scan(struct cs_store *s, int64_t wave_id,
			       enum cs_err (*cb)(void *ctx, const struct cs_resp_row *row,
						 struct cs_error *err),
			       void *ctx, struct cs_error *err);

/*
 * Binds parameters 3 to 15 of an insert into response (rid, unit_id,
 * submitted_at, channel, weight, stratum, psu, fpc, kind, service,
 * source_line, answers, extra), the first two being the wave and the batch:
 * response r, its source line, the packed answers fixed and extra (bound as
 * null without has_extra). Shared by the writer and the one-response insert
 * (store/response_one.h). Store errors.
 */
enum cs_err cs_resp_bind_row(struct cs_stmt *st, const struct cs_response *r, int64_t line,
			     struct cs_str fixed, struct cs_str extra, bool has_extra,
			     struct cs_error *err);

/* The optional columns of a row (unit_id and answers are always read). */
enum {
	CS_RESP_F_WEIGHT = 1u << 0,
	CS_RESP_F_FPC = 1u << 1,
	CS_RESP_F_STRATUM = 1u << 2,
	CS_RESP_F_PSU = 1u << 3,
	CS_RESP_F_CHANNEL = 1u << 4,
	CS_RESP_F_KIND = 1u << 5,
	CS_RESP_F_SERVICE = 1u << 6,
	CS_RESP_F_EXTRA = 1u << 7,
	CS_RESP_F_ALL = (1u << 8) - 1
};

/*
 * As cs_resp_store_scan, reading only the optional columns in fields (an OR
 * of CS_RESP_F_*); the others come as absent (empty slices, NAN), and the
 * database does not decode them.
 */
enum cs_err cs_resp_store_scan_fields(struct cs_store *s, int64_t wave_id, unsigned fields,
				      enum cs_err (*cb)(void *ctx, const struct cs_resp_row *row,
							struct cs_error *err),
				      void *ctx, struct cs_error *err);

#endif
