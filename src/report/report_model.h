/*
 * Everything the yearly report of a force needs, gathered into one struct
 * from computed results (METHODOLOGY M2.4-M2.7, M3.3-M3.7, M5): the PAR
 * results of each framework of the period with the force's position and its
 * units' ranking and change, the SIPAS results of each survey wave of the
 * period with the force's and its units' indices, weak areas, expectations
 * and "fix first" lists, and the summary figures. The HTML and XLSX
 * renderers read only this struct, so both show the same figures. Pure: the
 * caller loads and computes; nothing here reads the database.
 */
#ifndef CHISO_REPORT_REPORT_MODEL_H
#define CHISO_REPORT_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "core/par.h"
#include "core/sipas.h"
#include "core/unit.h"
#include "report/par_report.h"
#include "report/sipas_json.h"
#include "util/arena.h"

/* "None": an index that is never valid. */
#define CS_REPORT_NONE SIZE_MAX

/* Most PAR areas and SIPAS entries a unit's "fix first" list names. */
#define CS_REPORT_FIX_PAR 3
#define CS_REPORT_FIX_SIPAS 5

/* A survey wave of the period, as the caller computed it. */
struct cs_report_wave_input {
	struct cs_sipas_meta meta;	   /* previous_wave NULL when ch is NULL */
	const struct cs_sipas_result *res; /* estimated by unit (rolled up the tree) */
	const struct cs_sipas_change *ch;  /* against meta.previous_wave; NULL for none */
};

/* What the report is of. Everything is borrowed and must outlive the model. */
struct cs_report_input {
	const char *period;		 /* code */
	const char *starts, *ends;	 /* YYYY-MM-DD; NULL when unknown */
	const struct cs_unit_set *units; /* the stored unit tree */
	const char *focus;		 /* the force reported on; NULL: chosen (see below) */
	const struct cs_par_report *par; /* one per framework of the period, computed */
	size_t npar;
	const struct cs_report_wave_input *waves; /* the survey waves of the period */
	size_t nwaves;
};

/*
 * How the rows of a PAR section are chosen: the force's own units (those
 * below it, and the force itself when it is there), or the whole league the
 * force is ranked in, or, when the framework concerns neither, every unit.
 */
enum cs_report_par_kind {
	CS_REPORT_PAR_UNITS,
	CS_REPORT_PAR_LEAGUE,
	CS_REPORT_PAR_OTHER
};

/* One framework of the period. */
struct cs_report_par {
	const struct cs_par_report *rep; /* borrowed */
	enum cs_report_par_kind kind;
	size_t nrows;
	size_t *rows;	  /* results to list, in the report order (cs_par_report_order) */
	size_t focus;	  /* the force's result in the run, CS_REPORT_NONE when absent */
	size_t nscope;	  /* results of units below the force */
	size_t ncomplete; /* of them, complete (with a published index) */
};

/* An entry of a "fix first" list. */
struct cs_report_fix {
	bool sipas;  /* a SIPAS item or element; else a PAR area */
	size_t wave; /* sipas: the wave */
	size_t pos;  /* sipas: as cs_sipas_weak_list (item position, or nitems + element
			position in the domain); PAR: the framework node */
	double index;
	double lost; /* PAR: points below the area's maximum */
};

/* A unit below the force that the report shows. */
struct cs_report_unit {
	const char *code, *name, *parent;
	enum cs_level level;
	unsigned depth;	    /* 1 for the force's children */
	size_t par, result; /* its PAR section and result, CS_REPORT_NONE when not assessed */
	size_t *domains;    /* per wave: its SIPAS domain, CS_REPORT_NONE without responses */
	size_t nfix;
	struct cs_report_fix *fix; /* PAR areas that lost most, then weak SIPAS entries */
};

/* One survey wave of the period. */
struct cs_report_wave {
	const struct cs_report_wave_input *in; /* borrowed */
	size_t focus;		/* the force's domain, CS_REPORT_NONE: no responses */
	size_t rank, ranked_of; /* the force among its peers (M3.7); 0: not ranked */
	size_t nweak;
	size_t *weak; /* the force's weak list (cs_sipas_weak_list), weakest first */
};

/* Units per band in the summary; bands of several frameworks merge by code and label. */
struct cs_report_band {
	const char *code, *label_vi, *label_en;
	size_t count;
};

struct cs_report_summary {
	size_t units;	     /* the force's units with a published index */
	double mean;	     /* their average index (M2.7), NaN when none */
	int decimals;	     /* as the first framework publishes */
	size_t position_par; /* the league section the force is ranked in, CS_REPORT_NONE */
	size_t nbands;
	struct cs_report_band *bands;
	size_t general_wave; /* the first wave with the force's domain, CS_REPORT_NONE */
};

/* The whole report. Everything lives in the arena or is borrowed from the input. */
struct cs_report_model {
	struct cs_arena arena;
	const struct cs_report_input *in;
	const char *focus_code, *focus_name;
	enum cs_level focus_level;
	size_t npar;
	struct cs_report_par *par; /* the force's units first, then its league, then others */
	size_t nwaves;
	struct cs_report_wave *waves;
	size_t nunits;
	struct cs_report_unit *units; /* in tree order: parents before children */
	struct cs_report_summary summary;
};

/*
 * Builds the model of in into *out (freed with cs_report_model_free). The
 * force is in->focus, or else the unit the assessed units (with a PAR
 * result or SIPAS respondents) hang from: the only province-level unit among
 * their parents, the only parent, or the only province-level unit present.
 * The units shown are the force's descendants with a PAR result or
 * respondents in a wave. CS_ENOTFOUND for an unknown in->focus; CS_EINVAL
 * when no force can be chosen (the message names the candidates and asks for
 * --unit); CS_ENOMEM. in must outlive the model.
 */
enum cs_err cs_report_model_build(const struct cs_report_input *in, struct cs_report_model **out,
				  struct cs_error *err);

/* Frees a model; NULL is a no-op. */
void cs_report_model_free(struct cs_report_model *m);

/* The PAR result of unit u of the model, or NULL when it has none. */
const struct cs_par_result *cs_report_unit_par(const struct cs_report_model *m,
					       const struct cs_report_unit *u);

/* The SIPAS domain of unit u in wave w, or NULL when it has no respondents there. */
const struct cs_sipas_domain *cs_report_unit_domain(const struct cs_report_model *m,
						    const struct cs_report_unit *u, size_t w);

/* The force's domain in wave w, or NULL when it has no respondents there. */
const struct cs_sipas_domain *cs_report_focus_domain(const struct cs_report_model *m, size_t w);

/* The force's PAR result in the section it is ranked in (or first found), or NULL. */
const struct cs_par_result *cs_report_focus_par(const struct cs_report_model *m, size_t *section);

#endif
