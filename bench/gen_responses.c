/*
 * A generator of synthetic SIPAS survey data for the benchmarks: a unit tree
 * of about 700 units (28 provinces, each with 4 departments, 5 districts and
 * 15 communes), and N responses to the 22-item SIPAS 2017 questionnaire
 * (data/questionnaires/sipas-2017.json) stratified by province and level,
 * with weights N_h / n_h and a non-response factor. Deterministic: the same
 * N and seed write the same bytes.
 *
 *   gen_responses units > units.csv
 *   gen_responses responses N [SEED] > responses.csv
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROVINCES 28
#define DEPTS 4
#define DISTRICTS 5
#define COMMUNES 3 /* per district */
#define PER_PROVINCE (1 + DEPTS + DISTRICTS + DISTRICTS * COMMUNES)
#define UNITS (PROVINCES * PER_PROVINCE)

static const char *const items[22] = {
	"E1.1", "E1.2", "E1.3", "E1.4", "E2.1", "E2.2", "E2.3", "E2.4", "E2.5", "E3.1", "E3.2",
	"E3.3", "E3.4", "E3.5", "E3.6", "E4.1", "E4.2", "E4.3", "E5.1", "E5.2", "E5.3", "E5.4"};
static const char *const expectations[10] = {
	"e1_info",	 "e1_facility", "e2_simplify", "e2_time",    "e3_attitude",
	"e3_competence", "e4_quality",	"e4_ontime",   "e5_channel", "e5_handling"};
static const char *const channels[3] = {"paper", "online", "kiosk"};
static const char *const services[6] = {"cu_tru",	  "can_cuoc", "dang_ky_xe",
					"xuat_nhap_canh", "pccc",     "khac"};

static uint64_t state;

/* splitmix64: small, fast and good enough for synthetic data. */
static uint64_t next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uniform(void)
{
	return (double)(next() >> 11) * (1.0 / 9007199254740992.0);
}

/* An approximately normal draw (sum of four uniforms, rescaled). */
static double gauss(void)
{
	return (uniform() + uniform() + uniform() + uniform() - 2.0) * 1.7320508;
}

struct unit {
	char code[16];
	int province, level; /* level: 0 province, 1 department, 2 district, 3 commune */
	double mu;	     /* latent satisfaction */
	double nr;	     /* non-response factor of its weights */
};

static struct unit units[UNITS];

static void build_units(void)
{
	size_t u = 0;

	state = 12345;
	for (int p = 0; p < PROVINCES; p++) {
		int first = (int)u;

		snprintf(units[u].code, sizeof(units[u].code), "T%02d", p + 1);
		units[u].province = p;
		units[u++].level = 0;
		for (int d = 0; d < DEPTS; d++, u++) {
			snprintf(units[u].code, sizeof(units[u].code), "T%02d-PC%02d", p + 1,
				 d + 1);
			units[u].province = p;
			units[u].level = 1;
		}
		for (int d = 0; d < DISTRICTS; d++) {
			snprintf(units[u].code, sizeof(units[u].code), "T%02d-H%02d", p + 1, d + 1);
			units[u].province = p;
			units[u++].level = 2;
			for (int c = 0; c < COMMUNES; c++, u++) {
				snprintf(units[u].code, sizeof(units[u].code), "T%02d-H%02d-X%02d",
					 p + 1, d + 1, c + 1);
				units[u].province = p;
				units[u].level = 3;
			}
		}
		for (int k = first; k < (int)u; k++) {
			units[k].mu = 0.4 + 0.5 * gauss() * 0.5 + 0.1 * (p % 5);
			units[k].nr = 0.85 + 0.3 * uniform();
		}
	}
}

static void write_units(void)
{
	static const char *const levels[] = {"province", "department", "district", "commune"};

	printf("code,name,parent,level\nBCA,Bộ Công an,,ministry\n");
	for (size_t u = 0; u < UNITS; u++) {
		const struct unit *x = &units[u];
		char parent[16];

		if (x->level == 0)
			snprintf(parent, sizeof(parent), "BCA");
		else if (x->level == 3)
			snprintf(parent, sizeof(parent), "%.7s", x->code);
		else
			snprintf(parent, sizeof(parent), "T%02d", x->province + 1);
		printf("%s,Đơn vị %s,%s,%s\n", x->code, x->code, parent, levels[x->level]);
	}
}

static int rating(double latent)
{
	return latent < -1.6 ? 1 : latent < -0.9 ? 2 : latent < -0.1 ? 3 : latent < 0.9 ? 4 : 5;
}

static void write_responses(unsigned long long n, uint64_t seed)
{
	/* Stratum populations N_h: per province and level, the level's share. */
	static const double pop[4] = {40000, 60000, 150000, 250000};
	static const double share[4] = {0.15, 0.2, 0.3, 0.35};
	char line[512];

	state = seed;
	fputs("id,unit,submitted_at,channel,weight,stratum", stdout);
	for (int k = 0; k < 22; k++)
		printf(",%s", items[k]);
	fputs(",general,expectation,kind,service\n", stdout);
	for (unsigned long long i = 0; i < n; i++) {
		/* Pick a level by its share, then a unit of that level. */
		double r = uniform(), acc = 0, w;
		int level = 3, len;
		size_t u;
		const struct unit *x;
		double nh;

		for (int l = 0; l < 4; l++) {
			acc += share[l];
			if (r < acc) {
				level = l;
				break;
			}
		}
		do
			u = (size_t)(uniform() * UNITS);
		while (units[u].level != level);
		x = &units[u];
		nh = (double)n * share[level] / PROVINCES;
		w = pop[level] / (nh > 1 ? nh : 1) * x->nr;
		len = snprintf(line, sizeof(line), "R%09llu,%s,2024-%02d-%02d,%s,%.4f,P%02d-L%d",
			       i + 1, x->code, (int)(i % 12) + 1, (int)(i % 28) + 1,
			       channels[next() % 3], w, x->province + 1, level);
		fwrite(line, 1, (size_t)len, stdout);
		{
			double m = x->mu + 0.5 * gauss();
			char a[64];
			size_t p = 0;

			for (int k = 0; k < 22; k++) {
				a[p++] = ',';
				if (uniform() < 0.02)
					continue; /* a blank: no valid answer */
				a[p++] = (char)('0' +
						rating(m + 0.15 * (k % 5 - 2) + 0.8 * gauss()));
			}
			a[p++] = ',';
			a[p++] = (char)('0' + rating(m + 0.8 * gauss()));
			fwrite(a, 1, p, stdout);
		}
		putchar(',');
		if (uniform() < 0.7) {
			int first = 1;

			for (int c = 0; c < 10; c++) {
				if (uniform() < 0.2) {
					printf("%s%s", first ? "" : ";", expectations[c]);
					first = 0;
				}
			}
		}
		printf(",%s,%s\n", uniform() < 0.85 ? "citizen" : "organisation",
		       services[next() % 6]);
	}
}

int main(int argc, char **argv)
{
	build_units();
	if (argc >= 2 && strcmp(argv[1], "units") == 0) {
		write_units();
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "responses") == 0) {
		write_responses(strtoull(argv[2], NULL, 10),
				argc > 3 ? strtoull(argv[3], NULL, 10) : 20240601);
		return 0;
	}
	fprintf(stderr, "usage: gen_responses units | responses N [SEED]\n");
	return 2;
}
