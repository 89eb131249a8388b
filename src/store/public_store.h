/*
 * Periods marked public: their results may be shown on the dashboard pages
 * that need no sign-in (/d/). Marking and unmarking are audited.
 */
#ifndef CHISO_STORE_PUBLIC_STORE_H
#define CHISO_STORE_PUBLIC_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "chiso/error.h"
#include "store/store.h"
#include "store/unit_store.h"
#include "util/vec.h"

/*
 * Marks period p public (on true) or not public (on false), in a
 * transaction of its own, with an audit row (entity "period", id the code,
 * field "public", old and new "yes"/"no") when the mark changes. *changed
 * (may be NULL) says whether it did; marking a period as it already is
 * writes nothing. Storage errors; CS_ECONFLICT when p is not a stored period.
 */
enum cs_err cs_public_period_set(struct cs_store *s, const struct cs_period *p, bool on,
				 bool *changed, struct cs_error *err);

/* Whether the period with id period_id is public, into *out. Storage errors. */
enum cs_err cs_public_period_is(struct cs_store *s, int64_t period_id, bool *out,
				struct cs_error *err);

/*
 * Appends the public periods to out (a vec of struct cs_period the caller
 * initialised), ordered as cs_period_store_list orders periods. Storage
 * errors, CS_ENOMEM; out may then hold some of them.
 */
enum cs_err cs_public_period_list(struct cs_store *s, struct cs_vec *out, struct cs_error *err);

#endif
