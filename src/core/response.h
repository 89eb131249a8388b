/*
 * One survey response as importers produce it and storage keeps it
 * (METHODOLOGY M3.4, M3.5): who answered, where, with which design
 * variables, and the answers to every item of the questionnaire. A plain
 * struct of borrowed slices, shared by io/ and store/.
 */
#ifndef CHISO_CORE_RESPONSE_H
#define CHISO_CORE_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/questionnaire.h"
#include "util/str.h"

/*
 * Slices are borrowed for the duration of a call; an empty slice means "not
 * given". answers has one entry per questionnaire item (as
 * cs_questionnaire_parse_answer writes them) and texts, when not NULL, the
 * text of text items at the same positions (NFC, as typed).
 */
struct cs_response {
	struct cs_str id;	    /* the respondent's id in the file, unique in a wave */
	int64_t unit_id;	    /* the unit's database id */
	struct cs_str submitted_at; /* ISO 8601 date or UTC timestamp */
	struct cs_str channel;
	bool has_weight;
	double weight; /* > 0 */
	struct cs_str stratum, psu;
	bool has_fpc;
	double fpc; /* population size of the stratum, or sampling fraction */
	struct cs_str kind, service;
	size_t line; /* where the response is in its source, for messages */
	const struct cs_q_answer *answers;
	const struct cs_str *texts;
};

#endif
