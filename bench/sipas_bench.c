/*
 * Benchmark of the satisfaction estimation alone (docs/performance.md): times
 * loading a wave, reading and estimating its responses by unit
 * (cs_sipas_estimate_stored: the per-unit item estimates with standard errors
 * and intervals that R's svyby computes, and the roll-up, elements, overall
 * indices and tests on top), and writing the JSON document, each best of R
 * runs. Usage: bench_sipas DB WAVE [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "report/sipas_json.h"
#include "store/sipas_provider.h"
#include "store/store.h"

#include "util/banned.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	double best_load = 1e30, best_est = 1e30, best_json = 1e30;
	long runs = argc > 3 ? strtol(argv[3], NULL, 10) : 3;
	size_t bytes = 0;
	enum cs_err rc;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_sipas DB WAVE [RUNS]\n");
		return 2;
	}
	rc = cs_store_open(argv[1], CS_STORE_READONLY, &s, &err);
	for (long r = 0; r < runs && !rc; r++) {
		struct cs_sipas_source src = {0};
		struct cs_sipas_opts o = cs_sipas_opts_default();
		struct cs_sipas_result *res = NULL;
		struct cs_sipas_meta meta = {0};
		struct cs_buf out;
		double t0 = now(), t1, t2, t3;

		o.by = CS_SIPAS_BY_UNIT;
		cs_buf_init(&out, (size_t)1 << 30);
		rc = cs_sipas_source_load(s, argv[2], &src, &err);
		t1 = now();
		if (!rc)
			rc = cs_sipas_estimate_stored(s, &src, &o, &res, &err);
		t2 = now();
		meta.wave = src.wave.code;
		meta.period = src.wave.period;
		meta.questionnaire = src.wave.questionnaire;
		meta.questionnaire_version = src.wave.questionnaire_version;
		if (!rc)
			rc = cs_sipas_json_write(res, NULL, &meta, &out, &err);
		t3 = now();
		bytes = out.len;
		best_load = t1 - t0 < best_load ? t1 - t0 : best_load;
		best_est = t2 - t1 < best_est ? t2 - t1 : best_est;
		best_json = t3 - t2 < best_json ? t3 - t2 : best_json;
		cs_buf_release(&out);
		cs_sipas_result_free(res);
		cs_sipas_source_release(&src);
	}
	cs_store_close(s);
	if (rc) {
		fprintf(stderr, "bench_sipas: %s\n", err.msg);
		return 1;
	}
	printf("load %.3f\nestimate %.3f\njson %.3f\njson_bytes %zu\n", best_load, best_est,
	       best_json, bytes);
	return 0;
}
