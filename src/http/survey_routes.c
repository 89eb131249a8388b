/*
 * The survey's routes: the citizen pages reached by a one-time token, an open
 * link or a kiosk, the submission of answers from those pages (a browser
 * form) and from the JSON API, both checked by the same code and written
 * durably through the write queue, and the read-only questionnaire and wave
 * API (METHODOLOGY M3.1, M3.8, M3.9).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "core/relevance.h"
#include "http/request.h"
#include "http/survey_page.h"
#include "http/survey_routes.h"
#include "store/questionnaire_store.h"
#include "store/response_one.h"
#include "store/response_store.h"
#include "store/token_store.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/utf8.h"

#include "util/banned.h"

/* Seconds without use before a kiosk clears its form, by default and at most. */
#define KIOSK_IDLE_DEFAULT 90
#define KIOSK_IDLE_MIN 5
#define KIOSK_IDLE_MAX 3600
/* Seconds the thanks page stays on a kiosk. */
#define KIOSK_THANKS_SECONDS 8
/* Longest channel name taken from the API. */
#define CHANNEL_MAX 32
/* Longest unit code taken from a URL or a body. */
#define UNIT_CODE_MAX 127
/* The batch web responses go to (response_batch.source). */
#define WEB_SOURCE "web"

/* ---- Questionnaires, loaded once ---- */

/*
 * A stored questionnaire version never changes (the store refuses other
 * content under the same code and version), so each one is read and
 * validated once per process and kept, with its answer layout, for every
 * later request. The list grows with the versions the database holds and is
 * never freed: entries stay reachable until the process ends.
 */
struct qentry {
	char code[CS_Q_CODE_MAX + 1];
	char version[CS_Q_CODE_MAX + 1];
	struct cs_questionnaire *q;
	struct cs_resp_layout layout;
	struct qentry *next;
};

static pthread_mutex_t qcache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct qentry *qcache;

static struct qentry *qcache_find(const char *code, const char *version)
{
	struct qentry *e;

	for (e = qcache; e; e = e->next)
		if (strcmp(e->code, code) == 0 && strcmp(e->version, version) == 0)
			break;
	return e;
}

static void qentry_free(struct qentry *e)
{
	if (!e)
		return;
	cs_resp_layout_release(&e->layout);
	cs_questionnaire_free(e->q);
	cs_free(e);
}

/* The questionnaire of wave w, loaded on first use. */
static enum cs_err questionnaire_for(struct cs_store *s, const struct cs_wave *w,
				     const struct qentry **out, struct cs_error *err)
{
	struct qentry *e, *other;
	enum cs_err rc;

	pthread_mutex_lock(&qcache_mu);
	e = qcache_find(w->questionnaire, w->questionnaire_version);
	pthread_mutex_unlock(&qcache_mu);
	if (e) {
		*out = e;
		return CS_OK;
	}
	e = cs_calloc(1, sizeof(*e));
	if (!e)
		return cs_fail(err, CS_ENOMEM, NULL);
	snprintf(e->code, sizeof(e->code), "%s", w->questionnaire);
	snprintf(e->version, sizeof(e->version), "%s", w->questionnaire_version);
	rc = cs_questionnaire_store_load(s, w->questionnaire, w->questionnaire_version, &e->q, NULL,
					 err);
	if (!rc)
		rc = cs_resp_layout_init(&e->layout, e->q, err);
	if (rc) {
		qentry_free(e);
		return rc;
	}
	/* Another thread may have loaded it meanwhile: keep the first. */
	pthread_mutex_lock(&qcache_mu);
	other = qcache_find(e->code, e->version);
	if (!other) {
		e->next = qcache;
		qcache = e;
	}
	pthread_mutex_unlock(&qcache_mu);
	if (other) {
		qentry_free(e);
		e = other;
	}
	*out = e;
	return CS_OK;
}

/* ---- Checking answers (both the form and the JSON API) ---- */

/* The answers of one submission, checked against the questionnaire. */
struct check {
	const struct cs_questionnaire *q;
	struct cs_q_answer *answers;   /* one per item */
	struct cs_str *texts;	       /* one per item; text items only */
	enum survey_problem *problems; /* one per item */
	const char *unknown;	       /* the first field naming no item */
	size_t first;		       /* the first item with a problem, CS_Q_NONE */
	char detail[CS_ERROR_MSG_MAX]; /* what is wrong with it, for the API */
};

static bool is_choice_type(enum cs_q_type t)
{
	return t == CS_Q_LIKERT5 || t == CS_Q_YESNO || t == CS_Q_SINGLE || t == CS_Q_MULTI;
}

static void problem(struct check *c, size_t i, enum survey_problem p, const char *detail)
{
	c->problems[i] = p;
	if (c->first == CS_Q_NONE || i < c->first) {
		c->first = i;
		snprintf(c->detail, sizeof(c->detail), "%s", detail);
	}
}

/* Appends value to the values of a multi item (space-separated), in arena. */
static const char *join(struct cs_arena *a, const char *prev, const char *value)
{
	size_t pl = strlen(prev), vl = strlen(value);
	char *s = cs_arena_alloc(a, pl + vl + 2);

	if (!s)
		return NULL;
	memcpy(s, prev, pl);
	s[pl] = ' ';
	memcpy(s + pl + 1, value, vl + 1);
	return s;
}

/*
 * Reads the fields into c's answers: every name must be an item, every value
 * in the item's scale, one answer per one-answer item, text within its cap;
 * answers to questions their relevance condition hides are dropped (as
 * XLSForm clients do); required questions that are asked must be answered.
 * CS_OK when all is well, CS_EINVAL when c->unknown or a problem is set,
 * CS_ENOMEM, or the failure of NFC normalisation.
 */
static enum cs_err check_answers(struct check *c, struct cs_arena *a, const struct survey_field *f,
				 size_t n, struct cs_error *err)
{
	size_t items = cs_questionnaire_item_count(c->q);
	const char **vals = cs_arena_calloc(a, items ? items : 1, sizeof(*vals));
	size_t *count = cs_arena_calloc(a, items ? items : 1, sizeof(*count));
	char msg[CS_ERROR_MSG_MAX];

	c->answers = cs_arena_calloc(a, items ? items : 1, sizeof(*c->answers));
	c->texts = cs_arena_calloc(a, items ? items : 1, sizeof(*c->texts));
	c->problems = cs_arena_calloc(a, items ? items : 1, sizeof(*c->problems));
	c->unknown = NULL;
	c->first = CS_Q_NONE;
	c->detail[0] = '\0';
	if (!vals || !count || !c->answers || !c->texts || !c->problems)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < items; i++)
		c->texts[i] = cs_str_make("", 0);

	for (size_t k = 0; k < n; k++) {
		size_t i;

		if (!cs_questionnaire_find_item(c->q, f[k].name, &i)) {
			if (!c->unknown)
				c->unknown = f[k].name;
			continue;
		}
		if (!f[k].value[0])
			continue; /* an empty box is no answer */
		count[i]++;
		if (count[i] == 1)
			vals[i] = f[k].value;
		else if (cs_questionnaire_item(c->q, i)->type == CS_Q_MULTI)
			vals[i] = join(a, vals[i], f[k].value);
		if (!vals[i])
			return cs_fail(err, CS_ENOMEM, NULL);
	}

	for (size_t i = 0; i < items; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(c->q, i);
		struct cs_error perr = {0};
		struct cs_str v;
		enum cs_err rc;

		if (!vals[i])
			continue;
		if (count[i] > 1 && it->type != CS_Q_MULTI) {
			snprintf(msg, sizeof(msg), "%zu answers; item '%s' takes one", count[i],
				 it->code);
			problem(c, i, SURVEY_ONE_ONLY, msg);
			continue;
		}
		v = cs_str_from(vals[i]);
		if (it->type == CS_Q_TEXT) {
			struct cs_buf nfc;
			size_t chars = cs_utf8_count(v.ptr, v.len);

			if (v.len > SURVEY_TEXT_MAX || chars > SURVEY_TEXT_CHARS) {
				snprintf(msg, sizeof(msg),
					 "%zu characters (%zu bytes); expected at most %d "
					 "characters and %d bytes",
					 chars, v.len, SURVEY_TEXT_CHARS, SURVEY_TEXT_MAX);
				problem(c, i, SURVEY_TOO_LONG, msg);
				continue;
			}
			/* Typed on two keyboards, the same words compare equal. */
			cs_buf_init(&nfc, SURVEY_TEXT_MAX * 3);
			rc = cs_utf8_nfc(v.ptr, v.len, &nfc, err);
			if (!rc) {
				char *t = cs_arena_strndup(a, nfc.data, nfc.len);

				if (!t)
					rc = cs_fail(err, CS_ENOMEM, NULL);
				else
					v = cs_str_make(t, nfc.len);
			}
			cs_buf_release(&nfc);
			if (rc)
				return rc;
			c->texts[i] = v;
		}
		rc = cs_questionnaire_parse_answer(c->q, i, v, &c->answers[i], &perr);
		if (rc == CS_EPARSE) {
			problem(c, i,
				is_choice_type(it->type) || it->type == CS_Q_NOTE ? SURVEY_CHOICE
										  : SURVEY_NUMBER,
				perr.msg);
			c->answers[i] = (struct cs_q_answer){0};
		} else if (rc) {
			return cs_fail(err, rc, "%s", perr.msg);
		}
	}

	for (size_t i = 0; i < items; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(c->q, i);
		bool conditional = it->relevant && it->relevant[0], asked = true, known = true;

		if (conditional)
			known = cs_relevance_eval(c->q, it->relevant, c->answers, c->texts, &asked,
						  NULL) == CS_OK;
		if (!known)
			asked = true; /* a condition chiso cannot read hides nothing */
		if (!asked) {
			c->answers[i] = (struct cs_q_answer){0};
			c->texts[i] = cs_str_make("", 0);
			c->problems[i] = SURVEY_OK;
			if (c->first == i)
				c->first = CS_Q_NONE;
			continue;
		}
		/* As the importer does, a required question whose condition
		 * cannot be read is not enforced. */
		if (it->required && known && !c->answers[i].answered &&
		    c->problems[i] == SURVEY_OK) {
			snprintf(msg, sizeof(msg), "missing; item '%s' is required", it->code);
			problem(c, i, SURVEY_REQUIRED, msg);
		}
	}
	/* A dropped problem may have been the first: find the first left. */
	if (c->first == CS_Q_NONE) {
		for (size_t i = 0; i < items && c->first == CS_Q_NONE; i++)
			if (c->problems[i] != SURVEY_OK)
				c->first = i;
		if (c->first != CS_Q_NONE)
			snprintf(c->detail, sizeof(c->detail), "item '%s': refused",
				 cs_questionnaire_item(c->q, c->first)->code);
	}
	return c->unknown || c->first != CS_Q_NONE ? CS_EINVAL : CS_OK;
}

/* The value a respondent item gives to the kind or service column. */
static struct cs_str field_value(const struct check *c, size_t item)
{
	const struct cs_q_item *it;
	const struct cs_q_answer *a;

	if (item == CS_Q_NONE)
		return cs_str_make("", 0);
	it = cs_questionnaire_item(c->q, item);
	a = &c->answers[item];
	if (!a->answered)
		return cs_str_make("", 0);
	if (it->type == CS_Q_SINGLE && a->value >= 0 && a->value < (double)it->nchoices)
		return cs_str_from(it->choices[(size_t)a->value].value);
	if (it->type == CS_Q_TEXT)
		return c->texts[item];
	return cs_str_make("", 0);
}

/* ---- The write ---- */

/* A checked submission: what the writer thread stores. Lives in the request's arena. */
struct submission {
	struct cs_wave wave;
	struct cs_resp_unit unit;
	const struct qentry *qe;
	char token[CS_TOKEN_LEN]; /* "" for none */
	char rid[CS_TOKEN_LEN + 4];
	char now[CS_STORE_TIME_LEN];
	char channel[CHANNEL_MAX + 1];
	struct cs_response resp;
	/* For the reply of a page. */
	enum survey_mode mode;
	enum http_lang lang;
	const char *thanks; /* where a stored form answer is sent */
	int64_t id;
};

static enum cs_err submit_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct submission *sub = arg;
	enum cs_err rc = CS_OK;

	/* The token is spent in the same transaction as the response is
	 * stored: both commit, or neither. */
	if (sub->token[0])
		rc = cs_token_store_consume(s, sub->token, sub->now, NULL, NULL, err);
	if (!rc)
		rc = cs_resp_insert_one(s, &sub->wave, sub->qe->q, &sub->qe->layout, &sub->resp,
					WEB_SOURCE, &sub->id, err);
	return rc;
}

/* Fills the response of sub from the checked answers and queues the write. */
static void submit(struct http_req *req, struct submission *sub, const struct check *c)
{
	struct cs_error err = {0};
	char rnd[CS_TOKEN_LEN];

	/* Responses carry a random id of their own, never the token, so that
	 * an answer cannot be traced to the dossier its token was printed on. */
	if (cs_token_generate(rnd, &err) != CS_OK) {
		http_reply_internal(req, &err);
		return;
	}
	snprintf(sub->rid, sizeof(sub->rid), "web-%s", rnd);
	sub->resp.id = cs_str_from(sub->rid);
	sub->resp.unit_id = sub->unit.id;
	sub->resp.submitted_at = cs_str_from(sub->now);
	sub->resp.channel = cs_str_from(sub->channel);
	sub->resp.kind = field_value(c, cs_questionnaire_field_item(c->q, CS_Q_FIELD_KIND));
	sub->resp.service = field_value(c, cs_questionnaire_field_item(c->q, CS_Q_FIELD_SERVICE));
	sub->resp.answers = c->answers;
	sub->resp.texts = c->texts;
	http_req_defer_write(req, submit_apply, sub, 0);
}

/* ---- Pages ---- */

/* What a survey page request has resolved. */
struct page {
	struct http_req *req;
	struct cs_arena *arena;
	enum survey_mode mode;
	enum http_lang lang;
	const char *css, *js;
	const char *key;      /* the token or the unit code from the path */
	const char *wave_arg; /* ?wave=, or NULL */
	unsigned idle;	      /* kiosk */
	const char *idle_arg; /* ?idle= as given, or NULL */
	char now[CS_STORE_TIME_LEN];
	char today[11];
	struct cs_token token;
	struct cs_resp_unit unit;
	struct cs_wave wave;
	const struct qentry *qe;
};

static const char *const mode_path[] = {
	[SURVEY_MODE_TOKEN] = "/s/",
	[SURVEY_MODE_OPEN] = "/u/",
	[SURVEY_MODE_KIOSK] = "/k/",
};

static const char *const mode_channel[] = {
	[SURVEY_MODE_TOKEN] = "qr",
	[SURVEY_MODE_OPEN] = "online",
	[SURVEY_MODE_KIOSK] = "kiosk",
};

/* A query value that is short printable UTF-8, or NULL. */
static const char *query_text(struct http_req *req, const char *name, size_t max)
{
	const char *v = http_req_query(req, name);
	size_t len = v ? strlen(v) : 0;

	if (!v || len == 0 || len > max || !cs_utf8_valid(v, len, NULL))
		return NULL;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return NULL;
	return v;
}

/* "/assets/NAME?v=VERSION", or NULL when the build has no such asset. */
static const char *asset_url(struct http_req *req, const char *name)
{
	const struct http_asset_served *s =
		http_assets_find(http_req_assets(req), name, strlen(name));
	char buf[160];

	if (!s)
		return NULL;
	snprintf(buf, sizeof(buf), "/assets/%s?v=%s", name, s->asset->version);
	return cs_arena_strndup(http_req_arena(req), buf, strlen(buf));
}

static void page_init(struct page *p, struct http_req *req, enum survey_mode mode)
{
	const char *idle;

	memset(p, 0, sizeof(*p));
	p->req = req;
	p->arena = http_req_arena(req);
	p->mode = mode;
	/* Vietnamese unless the page is asked for in English: a citizen
	 * survey does not follow a browser's settings. */
	p->lang = http_lang_pick(http_req_query(req, "lang"), NULL);
	p->css = asset_url(req, "survey/survey.css");
	p->js = asset_url(req, "survey/survey.js");
	p->wave_arg = query_text(req, "wave", CS_Q_CODE_MAX);
	p->idle = KIOSK_IDLE_DEFAULT;
	idle = query_text(req, "idle", 8);
	if (idle && mode == SURVEY_MODE_KIOSK) {
		int64_t n = 0;

		if (cs_str_to_i64(cs_str_from(idle), &n, NULL) == CS_OK && n >= KIOSK_IDLE_MIN &&
		    n <= KIOSK_IDLE_MAX) {
			p->idle = (unsigned)n;
			p->idle_arg = idle;
		}
	}
	cs_store_now(p->now);
	memcpy(p->today, p->now, 10);
	p->today[10] = '\0';
}

/*
 * The URL of this page: its path, then wave (as given, or the wave in use
 * when with_wave), idle and lang=en when lang is English. In the arena; NULL
 * when out of memory.
 */
static const char *page_url(const struct page *p, enum http_lang lang, bool with_wave)
{
	const char *wave = p->wave_arg ? p->wave_arg : with_wave ? p->wave.code : NULL;
	struct cs_buf b;
	char sep = '?';
	const char *s = NULL;
	enum cs_err rc;

	cs_buf_init(&b, 4096);
	rc = cs_buf_addstr(&b, mode_path[p->mode], NULL);
	if (!rc)
		rc = survey_url_escape(&b, p->key, NULL);
	if (!rc && wave && wave[0] && p->mode != SURVEY_MODE_TOKEN) {
		rc = cs_buf_addstr(&b, "?wave=", NULL);
		if (!rc)
			rc = survey_url_escape(&b, wave, NULL);
		sep = '&';
	}
	if (!rc && p->idle_arg) {
		rc = cs_buf_addf(&b, NULL, "%cidle=%u", sep, p->idle);
		sep = '&';
	}
	if (!rc && lang == HTTP_LANG_EN)
		rc = cs_buf_addf(&b, NULL, "%clang=en", sep);
	if (!rc)
		s = cs_arena_strndup(p->arena, b.data, b.len);
	cs_buf_release(&b);
	return s;
}

static enum http_lang other_lang(enum http_lang l)
{
	return l == HTTP_LANG_EN ? HTTP_LANG_VI : HTTP_LANG_EN;
}

/* Compresses in into out (gzip, for a slow link); false when zlib fails. */
static bool gzip_into(const struct cs_buf *in, struct cs_buf *out)
{
	z_stream z;
	uLong bound;
	int r;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	bound = deflateBound(&z, (uLong)in->len);
	if (cs_buf_grow(out, (size_t)bound, NULL) != CS_OK) {
		deflateEnd(&z);
		return false;
	}
	z.next_in = (Bytef *)(uintptr_t)in->data;
	z.avail_in = (uInt)in->len;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)bound;
	r = deflate(&z, Z_FINISH);
	out->len = (size_t)(bound - z.avail_out);
	out->data[out->len] = '\0';
	deflateEnd(&z);
	return r == Z_STREAM_END;
}

/*
 * Answers with the HTML in b (moved into the reply), compressed when the
 * client takes gzip: a form of 25 KB is 5 KB on the wire, which a cheap
 * phone on a slow link feels.
 */
static void reply_html(struct http_req *req, enum http_lang lang, unsigned status, struct cs_buf *b)
{
	struct cs_buf gz;

	http_reply_header(req, "Content-Language", http_lang_code(lang));
	http_reply_header(req, "Vary", "Accept-Encoding");
	cs_buf_init(&gz, SURVEY_PAGE_MAX);
	if (b->len >= 1024 && http_accepts_gzip(http_req_header(req, "Accept-Encoding")) &&
	    gzip_into(b, &gz)) {
		http_reply_header(req, "Content-Encoding", "gzip");
		http_reply_buf(req, status, "text/html; charset=utf-8", &gz);
	} else {
		http_reply_buf(req, status, "text/html; charset=utf-8", b);
	}
	cs_buf_release(&gz);
}

static void notice(struct page *p, unsigned status, enum survey_notice n)
{
	struct cs_error err = {0};
	struct cs_buf b;
	const char *home = p->mode == SURVEY_MODE_KIOSK ? page_url(p, HTTP_LANG_VI, false) : NULL;

	cs_buf_init(&b, SURVEY_PAGE_MAX);
	if (survey_page_notice(&b, n, p->lang, page_url(p, other_lang(p->lang), false), home,
			       p->idle, p->css, p->js, &err) != CS_OK)
		http_reply_internal(p->req, &err);
	else
		reply_html(p->req, p->lang, status, &b);
	cs_buf_release(&b);
}

/* Answers 500 (or 503) for a failure that is not the visitor's. */
static bool internal(struct page *p, const struct cs_error *err)
{
	http_reply_internal(p->req, err);
	return false;
}

/*
 * Finds what the page shows: the token's wave and unit, or the unit and the
 * wave asked for or open today, and the questionnaire. False after answering
 * with a friendly page (404, 409, 410) or an internal error.
 */
static bool resolve(struct page *p, const char *key)
{
	struct cs_error err = {0};
	struct http_db *db;
	enum cs_err rc;

	p->key = key;
	if (!key)
		return false; /* answered 400 already */
	db = http_req_db(p->req);
	if (!db)
		return false;
	if (p->mode == SURVEY_MODE_TOKEN) {
		char code[CS_TOKEN_LEN];

		if (!cs_token_normalize(cs_str_from(key), code)) {
			notice(p, 404, SURVEY_TOKEN_UNKNOWN);
			return false;
		}
		rc = cs_token_store_find(db->store, code, &p->token, &err);
		if (rc == CS_ENOTFOUND) {
			notice(p, 404, SURVEY_TOKEN_UNKNOWN);
			return false;
		}
		if (rc)
			return internal(p, &err);
		switch (cs_token_state_at(&p->token, p->now)) {
		case CS_TOKEN_USED:
			notice(p, 409, SURVEY_TOKEN_USED);
			return false;
		case CS_TOKEN_EXPIRED:
			notice(p, 410, SURVEY_TOKEN_EXPIRED);
			return false;
		case CS_TOKEN_OPEN:
		default:
			break;
		}
		rc = cs_resp_wave_get(db->store, NULL, p->token.wave_id, &p->wave, &err);
		if (!rc)
			rc = cs_resp_unit_find(db->store, NULL, p->token.unit_id, &p->unit, &err);
		if (rc)
			return internal(p, &err);
		if (!cs_resp_wave_is_open(&p->wave, p->today)) {
			bool over = p->wave.closes[0] && strcmp(p->wave.closes, p->today) < 0;

			notice(p, over ? 410 : 404, over ? SURVEY_TOKEN_EXPIRED : SURVEY_NO_WAVE);
			return false;
		}
	} else {
		bool found = true;

		rc = strlen(key) > UNIT_CODE_MAX
			     ? CS_ENOTFOUND
			     : cs_resp_unit_find(db->store, key, 0, &p->unit, &err);
		if (rc == CS_ENOTFOUND) {
			notice(p, 404, SURVEY_UNKNOWN_UNIT);
			return false;
		}
		if (rc)
			return internal(p, &err);
		if (p->wave_arg) {
			rc = cs_resp_wave_get(db->store, p->wave_arg, 0, &p->wave, &err);
			found = !rc && cs_resp_wave_is_open(&p->wave, p->today) &&
				strcmp(p->wave.mode, "paper") != 0;
			if (rc == CS_ENOTFOUND)
				rc = CS_OK;
		} else {
			rc = cs_resp_wave_open(db->store, p->today, &p->wave, &found, &err);
		}
		if (rc)
			return internal(p, &err);
		if (!found) {
			notice(p, 404, SURVEY_NO_WAVE);
			return false;
		}
	}
	rc = questionnaire_for(db->store, &p->wave, &p->qe, &err);
	if (rc)
		return internal(p, &err);
	return true;
}

/* Shows the form, fresh or with the problems of a refused submission. */
static void show_form(struct page *p, unsigned status, const struct survey_field *given,
		      size_t ngiven, const enum survey_problem *problems, const char *note)
{
	struct survey_view v = {
		.lang = p->lang,
		.mode = p->mode,
		.q = p->qe->q,
		.wave_title = p->wave.title,
		.unit_name = p->unit.name,
		.action = page_url(p, p->lang, true),
		.switch_url = page_url(p, other_lang(p->lang), false),
		.css = p->css,
		.js = p->js,
		.home = p->mode == SURVEY_MODE_KIOSK ? page_url(p, HTTP_LANG_VI, false) : NULL,
		.idle_seconds = p->idle,
		.given = given,
		.ngiven = ngiven,
		.problems = problems,
		.notice = note,
	};
	struct cs_error err = {0};
	struct cs_buf b;

	if (!v.action || !v.switch_url) {
		http_reply_json(p->req, 503, NULL);
		return;
	}
	cs_buf_init(&b, SURVEY_PAGE_MAX);
	if (survey_page_form(&b, &v, &err) != CS_OK)
		http_reply_internal(p->req, &err);
	else
		reply_html(p->req, p->lang, status, &b);
	cs_buf_release(&b);
}

static void page_get(struct http_req *req, enum survey_mode mode, const char *param)
{
	struct page *p = cs_arena_calloc(http_req_arena(req), 1, sizeof(*p));

	if (!p) {
		http_reply_json(req, 503, NULL);
		return;
	}
	page_init(p, req, mode);
	if (resolve(p, http_req_param(req, param)))
		show_form(p, 200, NULL, 0, NULL, NULL);
}

void page_survey_token(struct http_req *req)
{
	page_get(req, SURVEY_MODE_TOKEN, "token");
}

void page_survey_unit(struct http_req *req)
{
	page_get(req, SURVEY_MODE_OPEN, "unit");
}

void page_survey_kiosk(struct http_req *req)
{
	page_get(req, SURVEY_MODE_KIOSK, "unit");
}

/* The thanks page's URL for a stored answer of page p. */
static const char *thanks_url(const struct page *p)
{
	struct cs_buf b;
	const char *s = NULL;
	enum cs_err rc;

	cs_buf_init(&b, 4096);
	rc = cs_buf_addf(&b, NULL, "/survey/thanks?lang=%s", http_lang_code(p->lang));
	if (!rc && p->mode == SURVEY_MODE_KIOSK) {
		rc = cs_buf_addstr(&b, "&kiosk=", NULL);
		if (!rc)
			rc = survey_url_escape(&b, p->key, NULL);
		if (!rc && p->wave_arg) {
			rc = cs_buf_addstr(&b, "&wave=", NULL);
			if (!rc)
				rc = survey_url_escape(&b, p->wave_arg, NULL);
		}
		if (!rc && p->idle_arg)
			rc = cs_buf_addf(&b, NULL, "&idle=%u", p->idle);
	}
	if (!rc)
		s = cs_arena_strndup(p->arena, b.data, b.len);
	cs_buf_release(&b);
	return s;
}

static void page_post(struct http_req *req, enum survey_mode mode, const char *param)
{
	struct cs_arena *a = http_req_arena(req);
	struct page *p = cs_arena_calloc(a, 1, sizeof(*p));
	struct submission *sub = cs_arena_calloc(a, 1, sizeof(*sub));
	struct check c = {0};
	struct survey_field *f = NULL;
	struct cs_error err = {0};
	size_t n = 0, len = 0;
	const char *body = http_req_body(req, &len);
	enum cs_err rc;

	if (!p || !sub) {
		http_reply_json(req, 503, NULL);
		return;
	}
	page_init(p, req, mode);
	if (!resolve(p, http_req_param(req, param)))
		return;
	c.q = p->qe->q;
	rc = survey_form_parse(body, len, a, &f, &n, &err);
	if (rc == CS_ENOMEM) {
		http_reply_internal(req, &err);
		return;
	}
	if (rc) {
		/* A browser never sends this: a hand-made request. */
		http_problem(req, 400, "invalid-request", NULL, "%s", err.msg);
		return;
	}
	rc = check_answers(&c, a, f, n, &err);
	if (rc == CS_EINVAL) {
		char note[256];

		if (c.unknown)
			snprintf(note, sizeof(note), "%s '%.64s'.",
				 p->lang == HTTP_LANG_EN
					 ? "The form sent a question that is not in this survey:"
					 : "Biểu mẫu gửi lên có câu hỏi không thuộc phiếu này:",
				 c.unknown);
		show_form(p, 422, f, n, c.problems, c.unknown ? note : NULL);
		return;
	}
	if (rc) {
		http_reply_internal(req, &err);
		return;
	}
	sub->wave = p->wave;
	sub->unit = p->unit;
	sub->qe = p->qe;
	if (mode == SURVEY_MODE_TOKEN)
		memcpy(sub->token, p->token.code, sizeof(sub->token));
	memcpy(sub->now, p->now, sizeof(sub->now));
	snprintf(sub->channel, sizeof(sub->channel), "%s", mode_channel[mode]);
	sub->mode = mode;
	sub->lang = p->lang;
	sub->thanks = thanks_url(p);
	if (!sub->thanks) {
		http_reply_json(req, 503, NULL);
		return;
	}
	submit(req, sub, &c);
}

void page_survey_token_post(struct http_req *req)
{
	page_post(req, SURVEY_MODE_TOKEN, "token");
}

void page_survey_unit_post(struct http_req *req)
{
	page_post(req, SURVEY_MODE_OPEN, "unit");
}

void page_survey_kiosk_post(struct http_req *req)
{
	page_post(req, SURVEY_MODE_KIOSK, "unit");
}

void page_survey_post_done(struct http_req *req)
{
	struct submission *sub = http_req_write_arg(req);
	const struct cs_error *err;
	struct page p;

	switch (http_req_write_result(req, &err)) {
	case CS_OK:
		/* Post/redirect/get: reloading the thanks page sends nothing again. */
		http_reply_header(req, "Location", sub->thanks);
		http_reply_static(req, 303, "text/html; charset=utf-8", "", 0);
		return;
	case CS_ECONFLICT:
	case CS_ESTATE:
		/* The token was spent (or expired) since the form was checked. */
		page_init(&p, req, sub->mode);
		p.lang = sub->lang;
		p.key = sub->token;
		notice(&p, http_req_write_result(req, NULL) == CS_ECONFLICT ? 409 : 410,
		       http_req_write_result(req, NULL) == CS_ECONFLICT ? SURVEY_TOKEN_USED
									: SURVEY_TOKEN_EXPIRED);
		return;
	default:
		http_reply_internal(req, err);
		return;
	}
}

void page_survey_thanks(struct http_req *req)
{
	struct page p;
	const char *kiosk = query_text(req, "kiosk", UNIT_CODE_MAX);
	struct cs_error err = {0};
	const char *home = NULL;
	struct cs_buf b;

	page_init(&p, req, kiosk ? SURVEY_MODE_KIOSK : SURVEY_MODE_OPEN);
	if (kiosk) {
		p.key = kiosk;
		home = page_url(&p, HTTP_LANG_VI, false);
		if (!home) {
			http_reply_json(req, 503, NULL);
			return;
		}
	}
	cs_buf_init(&b, SURVEY_PAGE_MAX);
	if (survey_page_notice(&b, SURVEY_THANKS, p.lang, NULL, home, KIOSK_THANKS_SECONDS, p.css,
			       p.js, &err) != CS_OK)
		http_reply_internal(req, &err);
	else
		reply_html(req, p.lang, 200, &b);
	cs_buf_release(&b);
}

/* ---- POST /api/v1/responses ---- */

/* Turns the "answers" object into fields; false after answering 400. */
static bool json_answers(struct http_req *req, json_t *obj, struct survey_field **out, size_t *n)
{
	struct cs_arena *a = http_req_arena(req);
	struct survey_field *f;
	const char *key;
	json_t *val;
	size_t count = 0, cap = 0;

	json_object_foreach(obj, key, val)
	{
		cap += json_is_array(val) ? json_array_size(val) : 1;
	}
	if (cap > SURVEY_FIELDS_MAX) {
		http_problem(req, 400, "invalid-field", "answers",
			     "answers: %zu values; expected at most %d", cap, SURVEY_FIELDS_MAX);
		return false;
	}
	f = cs_arena_calloc(a, cap ? cap : 1, sizeof(*f));
	if (!f) {
		http_reply_json(req, 503, NULL);
		return false;
	}
	json_object_foreach(obj, key, val)
	{
		size_t m = json_is_array(val) ? json_array_size(val) : 1;

		for (size_t k = 0; k < m; k++) {
			json_t *v = json_is_array(val) ? json_array_get(val, k) : val;
			char num[40], field[96];
			const char *s = NULL;

			snprintf(field, sizeof(field), "answers.%.64s", key);
			if (json_is_string(v)) {
				s = json_string_value(v);
				if (strlen(s) != json_string_length(v)) {
					http_problem(req, 400, "invalid-field", field,
						     "%s: holds a NUL character", field);
					return false;
				}
			} else if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
					 json_integer_value(v));
				s = num;
			} else if (json_is_real(v)) {
				snprintf(num, sizeof(num), "%.17g", json_real_value(v));
				s = num;
			} else if (json_is_boolean(v)) {
				s = json_is_true(v) ? "1" : "0";
			} else if (json_is_null(v)) {
				continue;
			} else {
				http_problem(req, 400, "invalid-field", field,
					     "%s: expected a string, a number, true or false, or "
					     "(for a multiple choice) an array of strings",
					     field);
				return false;
			}
			f[count].name = key;
			f[count].value = cs_arena_strndup(a, s, strlen(s));
			if (!f[count].value) {
				http_reply_json(req, 503, NULL);
				return false;
			}
			count++;
		}
	}
	*out = f;
	*n = count;
	return true;
}

/* Letters, digits, '-' and '_'. */
static bool plain_word(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

/* Resolves the token of a JSON submission; false after answering. */
static bool api_token(struct http_req *req, struct http_db *db, const char *token,
		      struct submission *sub)
{
	struct cs_error err = {0};
	struct cs_token t;
	enum cs_err rc;

	if (!cs_token_normalize(cs_str_from(token), sub->token)) {
		http_problem(req, 422, "unknown-token", "token",
			     "token: '%.32s' is not a survey token; expected %d letters and "
			     "digits",
			     token, CS_TOKEN_CHARS);
		return false;
	}
	rc = cs_token_store_find(db->store, sub->token, &t, &err);
	if (rc == CS_ENOTFOUND) {
		http_problem(req, 422, "unknown-token", "token", "token: no token '%s'",
			     sub->token);
		return false;
	}
	if (rc) {
		http_reply_internal(req, &err);
		return false;
	}
	switch (cs_token_state_at(&t, sub->now)) {
	case CS_TOKEN_USED:
		http_problem(req, 409, "token-used", "token",
			     "token: '%s' was already used at %s; a token is accepted once", t.code,
			     t.used_at);
		return false;
	case CS_TOKEN_EXPIRED:
		http_problem(req, 410, "token-expired", "token", "token: '%s' expired at %s",
			     t.code, t.expires_at);
		return false;
	default:
		break;
	}
	rc = cs_resp_wave_get(db->store, NULL, t.wave_id, &sub->wave, &err);
	if (!rc)
		rc = cs_resp_unit_find(db->store, NULL, t.unit_id, &sub->unit, &err);
	if (rc) {
		http_reply_internal(req, &err);
		return false;
	}
	return true;
}

void api_responses_add(struct http_req *req)
{
	static const char *const names[] = {"token", "wave", "unit", "channel", "answers", NULL};
	struct cs_arena *a = http_req_arena(req);
	struct submission *sub = cs_arena_calloc(a, 1, sizeof(*sub));
	const char *token, *wave, *unit, *channel;
	json_t *body = http_req_json_body(req), *answers;
	struct survey_field *f = NULL;
	struct cs_error err = {0};
	struct check c = {0};
	struct http_db *db;
	char today[11];
	size_t n = 0;
	enum cs_err rc;

	if (!sub) {
		http_reply_json(req, 503, NULL);
		return;
	}
	if (!body || !http_json_only(req, body, names) ||
	    !http_json_string(req, body, "token", 64, false, &token) ||
	    !http_json_string(req, body, "wave", CS_Q_CODE_MAX, false, &wave) ||
	    !http_json_string(req, body, "unit", UNIT_CODE_MAX, false, &unit) ||
	    !http_json_string(req, body, "channel", CHANNEL_MAX, false, &channel))
		return;
	if (channel && !plain_word(channel)) {
		http_problem(req, 400, "invalid-field", "channel",
			     "channel: '%s'; expected letters, digits, '-' or '_'", channel);
		return;
	}
	answers = json_object_get(body, "answers");
	if (!answers) {
		http_problem(req, 400, "missing-field", "answers",
			     "answers: missing; it is required");
		return;
	}
	if (!json_is_object(answers)) {
		http_problem(req, 400, "invalid-field", "answers",
			     "answers: expected an object of item codes and answers");
		return;
	}
	if (!token && (!wave || !unit)) {
		const char *missing = !wave ? "wave" : "unit";

		http_problem(req, 400, "missing-field", missing,
			     "%s: missing; give a token, or a wave and a unit", missing);
		return;
	}
	db = http_req_db(req);
	if (!db)
		return;
	cs_store_now(sub->now);
	memcpy(today, sub->now, 10);
	today[10] = '\0';

	if (token) {
		if (!api_token(req, db, token, sub))
			return;
		if (wave && strcmp(wave, sub->wave.code) != 0) {
			http_problem(req, 422, NULL, "wave",
				     "wave: '%s', but the token is for wave '%s'", wave,
				     sub->wave.code);
			return;
		}
		if (unit && strcmp(unit, sub->unit.code) != 0) {
			http_problem(req, 422, NULL, "unit",
				     "unit: '%s', but the token is for unit '%s'", unit,
				     sub->unit.code);
			return;
		}
	} else {
		rc = cs_resp_wave_get(db->store, wave, 0, &sub->wave, &err);
		if (rc == CS_ENOTFOUND) {
			http_problem(req, 422, "unknown-wave", "wave", "wave: no survey wave '%s'",
				     wave);
			return;
		}
		if (!rc)
			rc = cs_resp_unit_find(db->store, unit, 0, &sub->unit, &err);
		if (rc == CS_ENOTFOUND) {
			http_problem(req, 422, "unknown-unit", "unit",
				     "unit: no unit with code '%s'", unit);
			return;
		}
		if (rc) {
			http_reply_internal(req, &err);
			return;
		}
	}
	if (!cs_resp_wave_is_open(&sub->wave, today)) {
		http_problem(req, 422, "wave-closed", "wave",
			     "wave: '%s' takes responses from %s to %s; today is %s",
			     sub->wave.code, sub->wave.opens[0] ? sub->wave.opens : "its start",
			     sub->wave.closes[0] ? sub->wave.closes : "its end", today);
		return;
	}
	rc = questionnaire_for(db->store, &sub->wave, &sub->qe, &err);
	if (rc) {
		http_reply_internal(req, &err);
		return;
	}
	if (!json_answers(req, answers, &f, &n))
		return;
	c.q = sub->qe->q;
	rc = check_answers(&c, a, f, n, &err);
	if (rc == CS_EINVAL && c.unknown) {
		char field[96];

		snprintf(field, sizeof(field), "answers.%.64s", c.unknown);
		http_problem(req, 422, "unknown-item", field,
			     "%s: questionnaire '%s' has no item '%.64s'", field,
			     sub->qe->q ? cs_questionnaire_info(sub->qe->q)->code : "?", c.unknown);
		return;
	}
	if (rc == CS_EINVAL) {
		const struct cs_q_item *it = cs_questionnaire_item(c.q, c.first);
		char field[96];

		snprintf(field, sizeof(field), "answers.%s", it->code);
		http_problem(req, 422,
			     c.problems[c.first] == SURVEY_REQUIRED ? "missing-answer"
								    : "invalid-answer",
			     field, "%s: %s", field, c.detail);
		return;
	}
	if (rc) {
		http_reply_internal(req, &err);
		return;
	}
	snprintf(sub->channel, sizeof(sub->channel), "%s", channel ? channel : "api");
	submit(req, sub, &c);
}

void api_responses_add_done(struct http_req *req)
{
	const struct submission *sub = http_req_write_arg(req);
	const struct cs_error *err;

	switch (http_req_write_result(req, &err)) {
	case CS_OK:
		http_reply_json(req, 201,
				json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", sub->rid, "wave",
					  sub->wave.code, "unit", sub->unit.code, "channel",
					  sub->channel, "submitted_at", sub->now));
		return;
	case CS_ECONFLICT:
		http_problem(req, 409, "token-used", "token", "token: %s", err->msg);
		return;
	case CS_ESTATE:
		http_problem(req, 410, "token-expired", "token", "token: %s", err->msg);
		return;
	default:
		http_reply_internal(req, err);
		return;
	}
}

/* ---- GET /api/v1/questionnaires, /api/v1/waves ---- */

void api_questionnaires_list(struct http_req *req)
{
	struct http_db *db = http_req_db(req);
	struct cs_error err = {0};
	struct cs_vec list;
	json_t *arr;

	if (!db)
		return;
	cs_vec_init(&list, sizeof(struct cs_q_stored), 0);
	if (cs_questionnaire_store_list(db->store, http_req_arena(req), &list, &err) != CS_OK) {
		cs_vec_release(&list);
		http_reply_internal(req, &err);
		return;
	}
	arr = json_array();
	for (size_t i = 0; arr && i < list.len; i++) {
		const struct cs_q_stored *q = cs_vec_at(&list, i);

		if (json_array_append_new(arr,
					  json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
						    "code", q->code, "version", q->version, "title",
						    q->title, "decision", q->decision, "sha256",
						    q->sha256, "imported_at", q->imported_at,
						    "elements", (json_int_t)q->elements, "items",
						    (json_int_t)q->items, "satisfaction_items",
						    (json_int_t)q->satisfaction)) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	cs_vec_release(&list);
	http_reply_json(req, 200, arr ? json_pack("{s:o}", "questionnaires", arr) : NULL);
}

void api_questionnaires_get(struct http_req *req)
{
	const char *code = http_req_param(req, "code");
	const char *version = http_req_query(req, "version");
	struct cs_error err = {0};
	struct http_db *db;
	json_error_t jerr;
	char *body = NULL;
	size_t len = 0;
	enum cs_err rc;
	json_t *j;

	if (!code || !(db = http_req_db(req)))
		return;
	if (version && (strlen(version) == 0 || strlen(version) > CS_Q_CODE_MAX)) {
		http_problem(req, 400, NULL, "version", "version: '%.64s'; expected 1 to %d bytes",
			     version, CS_Q_CODE_MAX);
		return;
	}
	rc = strlen(code) > CS_Q_CODE_MAX
		     ? CS_ENOTFOUND
		     : cs_questionnaire_store_body(db->store, code, version, &body, &len, NULL,
						   NULL, &err);
	if (rc == CS_ENOTFOUND && version)
		http_problem(req, 404, NULL, "version",
			     "version: no questionnaire '%.64s' with version '%.64s'", code,
			     version);
	else if (rc == CS_ENOTFOUND)
		http_problem(req, 404, NULL, "code", "code: no questionnaire '%.64s'", code);
	if (rc == CS_ENOTFOUND)
		return;
	if (rc) {
		http_reply_internal(req, &err);
		return;
	}
	/* The stored body is chiso's canonical JSON: it is the answer. */
	j = json_loadb(body, len, 0, &jerr);
	cs_free(body);
	if (!j) {
		http_reply_internal(req, &(struct cs_error){CS_EPARSE, "stored questionnaire "
								       "body does not read"});
		return;
	}
	http_reply_json(req, 200, j);
}

static json_t *wave_json(const struct cs_wave *w)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s, s:I}", "code", w->code,
			 "title", w->title, "questionnaire", w->questionnaire,
			 "questionnaire_version", w->questionnaire_version, "period", w->period,
			 "opens", w->opens[0] ? w->opens : NULL, "closes",
			 w->closes[0] ? w->closes : NULL, "mode", w->mode, "responses",
			 (json_int_t)w->responses);
}

void api_waves_list(struct http_req *req)
{
	struct http_db *db = http_req_db(req);
	struct cs_error err = {0};
	struct cs_vec waves;
	json_t *arr;

	if (!db)
		return;
	cs_vec_init(&waves, sizeof(struct cs_wave), 0);
	if (cs_wave_store_list(db->store, &waves, &err) != CS_OK) {
		cs_vec_release(&waves);
		http_reply_internal(req, &err);
		return;
	}
	arr = json_array();
	for (size_t i = 0; arr && i < waves.len; i++) {
		if (json_array_append_new(arr, wave_json(cs_vec_at(&waves, i))) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	cs_vec_release(&waves);
	http_reply_json(req, 200, arr ? json_pack("{s:o}", "waves", arr) : NULL);
}

void api_waves_get(struct http_req *req)
{
	const char *code = http_req_param(req, "code");
	struct cs_error err = {0};
	struct http_db *db;
	struct cs_wave w;
	struct cs_vec units;
	json_t *j = NULL, *arr;
	json_int_t issued = 0, used = 0;
	enum cs_err rc;

	if (!code || !(db = http_req_db(req)))
		return;
	rc = strlen(code) > CS_Q_CODE_MAX ? CS_ENOTFOUND
					  : cs_wave_store_find(db->store, code, &w, &err);
	if (rc == CS_ENOTFOUND) {
		http_problem(req, 404, NULL, "code", "code: no survey wave '%.64s'", code);
		return;
	}
	if (rc) {
		http_reply_internal(req, &err);
		return;
	}
	cs_vec_init(&units, sizeof(struct cs_resp_unit_count), 0);
	rc = cs_resp_count_units(db->store, w.id, &units, &err);
	if (rc) {
		cs_vec_release(&units);
		http_reply_internal(req, &err);
		return;
	}
	arr = json_array();
	for (size_t i = 0; arr && i < units.len; i++) {
		const struct cs_resp_unit_count *u = cs_vec_at(&units, i);

		issued += u->tokens_issued;
		used += u->tokens_used;
		if (json_array_append_new(arr,
					  json_pack("{s:s, s:I, s:{s:I, s:I}}", "unit", u->unit,
						    "responses", (json_int_t)u->responses, "tokens",
						    "issued", (json_int_t)u->tokens_issued, "used",
						    (json_int_t)u->tokens_used)) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	cs_vec_release(&units);
	j = arr ? wave_json(&w) : NULL;
	/* json_object_set_new takes the value over, failing or not. */
	if (j && json_object_set_new(j, "units", arr) != 0) {
		json_decref(j);
		j = NULL;
	} else if (!j) {
		json_decref(arr);
	}
	if (j &&
	    json_object_set_new(j, "tokens",
				json_pack("{s:I, s:I}", "issued", issued, "used", used)) != 0) {
		json_decref(j);
		j = NULL;
	}
	http_reply_json(req, 200, j);
}
