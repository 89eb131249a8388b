/*
 * The citizen survey as HTML, rendered on the server from the questionnaire
 * (METHODOLOGY M3.1, M3.2): one form that works without a script, in
 * Vietnamese or English, with real labels and large touch targets; the pages
 * around it (thanks, a token already used, no survey open); and the reading
 * of the form's application/x-www-form-urlencoded body. Pure functions over
 * buffers, unit-tested without a server.
 */
#ifndef CHISO_HTTP_SURVEY_PAGE_H
#define CHISO_HTTP_SURVEY_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"
#include "core/questionnaire.h"
#include "http/headers.h"
#include "util/arena.h"
#include "util/buf.h"

/* Longest survey page written, in bytes. */
#define SURVEY_PAGE_MAX (1024u * 1024)

/* Longest text answer, in characters (the form's maxlength) and in bytes. */
#define SURVEY_TEXT_CHARS 1000
#define SURVEY_TEXT_MAX 4000

/* Most fields a form body may have. */
#define SURVEY_FIELDS_MAX 1000

/* One name=value pair of a form body, or an answer given through the API. */
struct survey_field {
	const char *name;
	const char *value;
};

/*
 * Reads an application/x-www-form-urlencoded body (the WHATWG URL rules: '&'
 * between pairs, '+' for a space, %XX escapes) into *fields (n pairs, in the
 * order given; names and values NUL-terminated, all in arena). Empty pairs
 * ("a=1&&b=2") are skipped. CS_EPARSE naming the pair for a malformed %
 * escape or a name or value holding a NUL or a control character other than
 * tab, CR and LF (values only); CS_EUTF8 when a name or value is not UTF-8;
 * CS_ETOOBIG past SURVEY_FIELDS_MAX pairs; CS_ENOMEM when the arena is full.
 */
enum cs_err survey_form_parse(const char *body, size_t len, struct cs_arena *arena,
			      struct survey_field **fields, size_t *n, struct cs_error *err);

/* How the survey was reached. */
enum survey_mode {
	SURVEY_MODE_TOKEN, /* /s/<token>: a one-time link from a receipt */
	SURVEY_MODE_OPEN,  /* /u/<unit>: an open link for a unit or counter */
	SURVEY_MODE_KIOSK, /* /k/<unit>: a tablet at the counter */
};

/* Why an answer was refused, for the message shown next to the question. */
enum survey_problem {
	SURVEY_OK,
	SURVEY_REQUIRED, /* a required question left unanswered */
	SURVEY_CHOICE,	 /* not one of the options */
	SURVEY_NUMBER,	 /* not a number */
	SURVEY_TOO_LONG, /* text over SURVEY_TEXT_CHARS characters */
	SURVEY_ONE_ONLY, /* several answers to a one-answer question */
};

/* Everything the form shows. Strings are borrowed; NULL means none. */
struct survey_view {
	enum http_lang lang;
	enum survey_mode mode;
	const struct cs_questionnaire *q;
	const char *wave_title; /* shown under the questionnaire's title */
	const char *unit_name;
	const char *action;	/* the form's action URL (path and query) */
	const char *switch_url; /* the same page in the other language */
	const char *css;	/* stylesheet URL */
	const char *js;		/* script URL */
	const char *home;	/* kiosk: where the page goes back to when idle */
	unsigned idle_seconds;	/* kiosk: inactivity before the form is cleared */
	/* After a refused submission: the answers given (shown again), a
	 * problem per item (q's item count entries, or NULL), and a message
	 * for the top of the form. */
	const struct survey_field *given;
	size_t ngiven;
	const enum survey_problem *problems;
	const char *notice;
};

/*
 * Writes the survey form: a header with the unit and the language switch,
 * the questionnaire's elements as fieldsets, each question as a fieldset of
 * radio buttons or checkboxes (likert5, yesno, single, multi) or a labelled
 * input (number, text), required marks, relevance conditions as data
 * attributes for the script, and the problems of a refused submission.
 * Appends to out. CS_ETOOBIG past out's cap, CS_ENOMEM.
 */
enum cs_err survey_page_form(struct cs_buf *out, const struct survey_view *v, struct cs_error *err);

/* The short pages around the form. */
enum survey_notice {
	SURVEY_THANKS,	      /* after a stored response */
	SURVEY_TOKEN_UNKNOWN, /* no such token */
	SURVEY_TOKEN_USED,    /* already answered */
	SURVEY_TOKEN_EXPIRED, /* past its expiry */
	SURVEY_NO_WAVE,	      /* no survey open, or the wave asked for is not */
	SURVEY_UNKNOWN_UNIT,  /* no such unit */
	SURVEY_UNAVAILABLE,   /* the server cannot take the answers now */
};

/*
 * Writes a short page for notice in lang with a link to switch_url (the same
 * page in the other language; NULL for none). For kiosks, home (not NULL)
 * makes the page go back to the form after idle_seconds, with a link and a
 * meta refresh that works without a script. css and js are the assets'
 * URLs. CS_ETOOBIG, CS_ENOMEM.
 */
enum cs_err survey_page_notice(struct cs_buf *out, enum survey_notice notice, enum http_lang lang,
			       const char *switch_url, const char *home, unsigned idle_seconds,
			       const char *css, const char *js, struct cs_error *err);

/* Appends s with &, <, >, " and ' escaped for HTML text and attributes. */
enum cs_err survey_html_escape(struct cs_buf *out, const char *s, struct cs_error *err);

/*
 * Appends s percent-encoded for a URL path segment or query value: every
 * byte but letters, digits and -._~ is written as %XX.
 */
enum cs_err survey_url_escape(struct cs_buf *out, const char *s, struct cs_error *err);

#endif
