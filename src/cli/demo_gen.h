/*
 * The seeded generator of the demonstration dataset (docs/demo.md): the units
 * of one provincial police force and the 63 provincial forces, two years of
 * PAR self-assessment and appraisal scores, and two SIPAS waves of
 * responses, written as the CSV files the import commands read. The same
 * seed gives the same bytes on every machine.
 */
#ifndef CHISO_CLI_DEMO_GEN_H
#define CHISO_CLI_DEMO_GEN_H

#include <stdbool.h>
#include <stddef.h>

#include "chiso/error.h"

/* The seed used when none is given. */
#define DEMO_SEED_DEFAULT 2020UL

/* The force the demo follows, and the ministry above the 63 forces. */
#define DEMO_FORCE "CA-BNI"
#define DEMO_MINISTRY "BCA"

/* Inputs read from the data directory. */
#define DEMO_UNITS_SRC "examples/units-bac-ninh.csv"
#define DEMO_QUESTIONNAIRE_SRC "questionnaires/sipas-police-2019.json"
#define DEMO_QUESTIONNAIRE "sipas-police-2019"

/* The two frameworks: units of the force, and the 63 provincial forces. */
enum demo_fw {
	DEMO_FW_UNIT,
	DEMO_FW_PROVINCE,
	DEMO_FW_COUNT_
};

/* The framework's code, its file under the data directory, and its short name
 * in file names ("unit", "province"). */
const char *demo_fw_code(enum demo_fw f);
const char *demo_fw_file(enum demo_fw f);
const char *demo_fw_name(enum demo_fw f);

/* The assessed years, oldest first; each is a period and a SIPAS wave. */
#define DEMO_YEARS 2
const char *demo_year(size_t i);

/* Names of the files written into the output directory. */
#define DEMO_UNITS_CSV "units.csv"
/* scores-YEAR-FRAMEWORK-self.csv (self-assessment with notes) and
 * scores-YEAR-FRAMEWORK-appraisal.csv (appraised scores with reasons). */
#define DEMO_SCORES_FMT "scores-%s-%s-%s.csv"
#define DEMO_RESPONSES_FMT "responses-%s.csv"

struct demo_gen_opts {
	const char *data_dir; /* holds examples/, frameworks/ and questionnaires/ */
	const char *out_dir;  /* existing directory the CSV files are written into */
	unsigned long seed;
	bool small; /* about a fifth of the respondents, for tests */
};

/* What was written. */
struct demo_gen_stats {
	size_t units;			 /* rows of units.csv */
	size_t assessed[DEMO_FW_COUNT_]; /* units scored under each framework */
	size_t score_rows;		 /* rows of every score file together */
	size_t responses[DEMO_YEARS];	 /* respondents of each wave */
};

/*
 * Reads the force's units, the two frameworks and the questionnaire from
 * o->data_dir and writes units.csv, the score files and the response files
 * into o->out_dir, replacing files of those names. Everything drawn at
 * random comes from GSL's MT19937 seeded with o->seed and is written with
 * integer arithmetic, so the files are byte-identical on every machine.
 * Fills *st. CS_EIO naming the file that cannot be read or written; the
 * readers' errors (prefixed with the file) for a data file that does not
 * parse or validate; CS_EINVAL when a data file lacks what the generator
 * needs (the force's unit, a satisfaction element); CS_ENOMEM. Files
 * already written are left in place on failure.
 */
enum cs_err demo_gen_write(const struct demo_gen_opts *o, struct demo_gen_stats *st,
			   struct cs_error *err);

#endif
