/* The survey sources of `chiso par`: a SIPAS provider per period (M2.2). */
#include <stddef.h>

#include "report/sipas_sources.h"

#include "util/banned.h"

static enum cs_err get(void *ctx, struct cs_store *s, const struct cs_period *p,
		       const struct cs_par_source_provider **out, struct cs_error *err)
{
	struct sipas_sources *ss = ctx;
	/* Only the indices matter here, not their variances: a stratum with a
	 * single PSU must not stop the PAR computation. */
	struct cs_sipas_provider_opts o = {.measure = NULL, .lonely = CS_SVY_LONELY_CERTAINTY};
	struct cs_sipas_provider *prov = NULL;
	enum cs_err rc = cs_sipas_provider_for_period(s, p->code, &o, &prov, err);

	*out = NULL;
	if (rc || !prov)
		return rc;
	rc = cs_vec_push(&ss->providers, &prov, err);
	if (rc) {
		cs_sipas_provider_free(prov);
		return rc;
	}
	*out = cs_sipas_provider_get(prov);
	return CS_OK;
}

struct par_period_sources sipas_sources_init(struct sipas_sources *ss)
{
	cs_vec_init(&ss->providers, sizeof(struct cs_sipas_provider *), 0);
	return (struct par_period_sources){.ctx = ss, .get = get};
}

void sipas_sources_release(struct sipas_sources *ss)
{
	if (!ss)
		return;
	for (size_t i = 0; i < ss->providers.len; i++)
		cs_sipas_provider_free(*(struct cs_sipas_provider **)cs_vec_at(&ss->providers, i));
	cs_vec_release(&ss->providers);
}
