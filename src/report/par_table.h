/*
 * The PAR results for people and spreadsheets: a terminal table in
 * Vietnamese (`91,84%`, `26/63`) or English, and a CSV of one row per unit
 * with machine numbers (docs/formats.md, "PAR results").
 */
#ifndef CHISO_REPORT_PAR_TABLE_H
#define CHISO_REPORT_PAR_TABLE_H

#include "chiso/error.h"
#include "core/par.h"
#include "report/fmt.h"
#include "report/par_report.h"
#include "util/buf.h"

/*
 * Appends the tables of the report to out: the ranking (position, code,
 * name, points of the applicable maximum, index, band, change since the
 * previous period), the component points that add up to each index
 * (M2.4), the units with no result yet and which leaves they wait for, and
 * the statistics of the group "all" and of the groups of kind `groups` (a
 * level or parent view; CS_PAR_GROUP_ALL for the whole only). Numbers are
 * written as lang writes them. CS_ETOOBIG past out's cap, CS_ENOMEM.
 */
enum cs_err cs_par_table_write(const struct cs_par_report *r, enum cs_fmt_lang lang,
			       enum cs_par_group_kind groups, struct cs_buf *out,
			       struct cs_error *err);

/*
 * Appends the CSV of the report: a header, then one row per unit in the
 * report's order with code,name,parent,level,state,points,max_points,index,
 * band,rank,ranked_of,change_points,change_index,change_places,missing and
 * one column `points:CODE` per top-level node. Numbers are rounded as
 * published and written with '.'; absent values are empty cells.
 * CS_ETOOBIG, CS_ENOMEM.
 */
enum cs_err cs_par_csv_write(const struct cs_par_report *r, struct cs_buf *out,
			     struct cs_error *err);

#endif
