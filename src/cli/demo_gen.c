/*
 * The demonstration dataset's generator (docs/demo.md): one random stream
 * (GSL's MT19937, re-seeded per purpose from the user's seed) drives
 * integer-only models of PAR scores and survey answers, and every number is
 * written from integers, so the files never depend on the machine's
 * floating-point formatting or mathematical library.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "cli/cli.h"
#include "cli/demo_gen.h"
#include "core/framework.h"
#include "core/questionnaire.h"
#include "core/rules.h"
#include "core/unit.h"
#include "io/framework_json.h"
#include "io/questionnaire_json.h"
#include "io/unit_csv.h"
#include "util/alloc.h"
#include "util/buf.h"

#include "util/banned.h"

/* Largest file the generator builds in memory. */
#define OUT_MAX ((size_t)256 << 20)
/* Largest data file it reads. */
#define IN_MAX ((size_t)16 << 20)

static const char *const years[DEMO_YEARS] = {"2019", "2020"};

const char *demo_year(size_t i)
{
	return i < DEMO_YEARS ? years[i] : NULL;
}

static const struct {
	const char *code, *file, *name;
} frameworks[DEMO_FW_COUNT_] = {
	{"demo-police-unit", "frameworks/demo-police-unit-2020.json", "unit"},
	{"demo-police-province", "frameworks/demo-police-province-2020.json", "province"},
};

const char *demo_fw_code(enum demo_fw f)
{
	return (unsigned)f < DEMO_FW_COUNT_ ? frameworks[f].code : NULL;
}

const char *demo_fw_file(enum demo_fw f)
{
	return (unsigned)f < DEMO_FW_COUNT_ ? frameworks[f].file : NULL;
}

const char *demo_fw_name(enum demo_fw f)
{
	return (unsigned)f < DEMO_FW_COUNT_ ? frameworks[f].name : NULL;
}

/*
 * The 63 provincial forces before the 2025 merger, in the official order of
 * provinces, with the 2019 census population in thousands (rounded), which
 * scales how many people each force serves. Codes are chosen for the demo.
 */
static const struct province {
	const char *code, *name;
	int pop;
} provinces[] = {
	{"CA-HNI", "Công an thành phố Hà Nội", 8054},
	{"CA-HGG", "Công an tỉnh Hà Giang", 854},
	{"CA-CBG", "Công an tỉnh Cao Bằng", 530},
	{"CA-BKN", "Công an tỉnh Bắc Kạn", 314},
	{"CA-TQG", "Công an tỉnh Tuyên Quang", 785},
	{"CA-LCI", "Công an tỉnh Lào Cai", 731},
	{"CA-DBN", "Công an tỉnh Điện Biên", 599},
	{"CA-LCU", "Công an tỉnh Lai Châu", 460},
	{"CA-SLA", "Công an tỉnh Sơn La", 1249},
	{"CA-YBI", "Công an tỉnh Yên Bái", 822},
	{"CA-HBH", "Công an tỉnh Hòa Bình", 855},
	{"CA-TNN", "Công an tỉnh Thái Nguyên", 1287},
	{"CA-LSN", "Công an tỉnh Lạng Sơn", 782},
	{"CA-QNH", "Công an tỉnh Quảng Ninh", 1321},
	{"CA-BGG", "Công an tỉnh Bắc Giang", 1804},
	{"CA-PTO", "Công an tỉnh Phú Thọ", 1464},
	{"CA-VPC", "Công an tỉnh Vĩnh Phúc", 1152},
	{"CA-BNI", "Công an tỉnh Bắc Ninh", 1369},
	{"CA-HDG", "Công an tỉnh Hải Dương", 1893},
	{"CA-HPG", "Công an thành phố Hải Phòng", 2029},
	{"CA-HYN", "Công an tỉnh Hưng Yên", 1253},
	{"CA-TBH", "Công an tỉnh Thái Bình", 1861},
	{"CA-HNM", "Công an tỉnh Hà Nam", 853},
	{"CA-NDH", "Công an tỉnh Nam Định", 1781},
	{"CA-NBH", "Công an tỉnh Ninh Bình", 983},
	{"CA-THA", "Công an tỉnh Thanh Hóa", 3641},
	{"CA-NAN", "Công an tỉnh Nghệ An", 3328},
	{"CA-HTH", "Công an tỉnh Hà Tĩnh", 1289},
	{"CA-QBH", "Công an tỉnh Quảng Bình", 896},
	{"CA-QTI", "Công an tỉnh Quảng Trị", 633},
	{"CA-TTH", "Công an tỉnh Thừa Thiên Huế", 1129},
	{"CA-DNG", "Công an thành phố Đà Nẵng", 1134},
	{"CA-QNM", "Công an tỉnh Quảng Nam", 1496},
	{"CA-QNI", "Công an tỉnh Quảng Ngãi", 1232},
	{"CA-BDH", "Công an tỉnh Bình Định", 1487},
	{"CA-PYN", "Công an tỉnh Phú Yên", 873},
	{"CA-KHA", "Công an tỉnh Khánh Hòa", 1232},
	{"CA-NTN", "Công an tỉnh Ninh Thuận", 591},
	{"CA-BTN", "Công an tỉnh Bình Thuận", 1231},
	{"CA-KTM", "Công an tỉnh Kon Tum", 541},
	{"CA-GLI", "Công an tỉnh Gia Lai", 1514},
	{"CA-DLK", "Công an tỉnh Đắk Lắk", 1870},
	{"CA-DNO", "Công an tỉnh Đắk Nông", 623},
	{"CA-LDG", "Công an tỉnh Lâm Đồng", 1297},
	{"CA-BPC", "Công an tỉnh Bình Phước", 995},
	{"CA-TNH", "Công an tỉnh Tây Ninh", 1170},
	{"CA-BDG", "Công an tỉnh Bình Dương", 2427},
	{"CA-DNI", "Công an tỉnh Đồng Nai", 3097},
	{"CA-BRV", "Công an tỉnh Bà Rịa - Vũng Tàu", 1149},
	{"CA-HCM", "Công an Thành phố Hồ Chí Minh", 8993},
	{"CA-LAN", "Công an tỉnh Long An", 1689},
	{"CA-TGG", "Công an tỉnh Tiền Giang", 1765},
	{"CA-BTE", "Công an tỉnh Bến Tre", 1289},
	{"CA-TVH", "Công an tỉnh Trà Vinh", 1010},
	{"CA-VLG", "Công an tỉnh Vĩnh Long", 1023},
	{"CA-DTP", "Công an tỉnh Đồng Tháp", 1600},
	{"CA-AGG", "Công an tỉnh An Giang", 1909},
	{"CA-KGG", "Công an tỉnh Kiên Giang", 1724},
	{"CA-CTO", "Công an thành phố Cần Thơ", 1236},
	{"CA-HGI", "Công an tỉnh Hậu Giang", 734},
	{"CA-STG", "Công an tỉnh Sóc Trăng", 1200},
	{"CA-BLU", "Công an tỉnh Bạc Liêu", 908},
	{"CA-CMU", "Công an tỉnh Cà Mau", 1195},
};

#define NPROVINCES (sizeof(provinces) / sizeof(provinces[0]))

/* How many of the other 62 forces rank above the force in each year: it
 * climbs from 30/63 to 26/63, around the middle of the league table. */
static const size_t force_place[DEMO_YEARS] = {29, 25};
/* Streams of draws tried for the force (place_force). */
#define FORCE_VARIANTS 16

/* Weak spots planted for users to find (docs/demo.md). */
#define UNRANKED_UNIT "BNI-PA05"  /* newly reorganised: assessed, not ranked */
#define SMALL_N_UNIT "BNI-HGB-NT" /* few respondents: flagged small n */

/* Effects on the probability of a satisfied answer, per mille. */
static const struct element_effect {
	const char *element;
	int effect;
	int skip_pct; /* share of respondents with no answer (never gave feedback) */
} element_effects[] = {
	{"E1", 0, 0}, {"E2", -20, 0}, {"E3", 20, 0}, {"E4", 5, 0}, {"E5", -150, 35},
};

static const struct planted {
	const char *unit;
	const char *element;
	int year; /* index into years, -1 for every year */
	int effect;
} planted[] = {
	{"BNI-HLT", "E1", -1, -260}, /* a district police with poor access */
	{"BNI-PC08", "E2", 0, -90},  /* vehicle registration, before it went online */
};

/* PAR quality of a unit, per 10000, before its random spread. */
static const struct {
	const char *unit;
	int effect;
} quality_effects[] = {
	{"BNI-HLT", -1100},
};

/* Weighted choices of a respondent field or an expectation, by choice value. */
struct weight {
	const char *value;
	int w;
};

#define W_END           \
	{               \
		NULL, 0 \
	}

static const struct weight w_sex[] = {{"male", 55}, {"female", 45}, W_END};
static const struct weight w_age[] = {{"u25", 15},   {"25-34", 28}, {"35-49", 32},
				      {"50-60", 15}, {"o60", 10},   W_END};
static const struct weight w_kind_people[] = {{"citizen", 93}, {"organisation", 7}, W_END};
static const struct weight w_kind_fire[] = {{"citizen", 40}, {"organisation", 60}, W_END};
static const struct weight w_expect[] = {{"e5_handling", 20},
					 {"e2_online", 16},
					 {"e2_simplify", 14},
					 {"e4_ontime", 10},
					 {"e1_facility", 10},
					 {"e1_info", 8},
					 {"e3_attitude", 8},
					 {"e5_channel", 8},
					 {"e3_competence", 3},
					 {"e4_delivery", 3},
					 W_END};

/* What people come to a unit for: by the department's code, or by level. */
static const struct weight w_svc_immigration[] = {{"xuat_nhap_canh", 100}, W_END};
static const struct weight w_svc_admin[] = {
	{"can_cuoc", 60}, {"con_dau", 20}, {"vu_khi", 8}, {"cu_tru", 12}, W_END};
static const struct weight w_svc_fire[] = {{"pccc", 100}, W_END};
static const struct weight w_svc_traffic[] = {{"dang_ky_xe", 100}, W_END};
static const struct weight w_svc_district[] = {{"can_cuoc", 45}, {"dang_ky_xe", 35},
					       {"cu_tru", 10},	 {"anninh_trattu", 4},
					       {"khac", 6},	 W_END};
static const struct weight w_svc_commune[] = {
	{"cu_tru", 80}, {"anninh_trattu", 10}, {"khac", 10}, W_END};
static const struct weight w_svc_province[] = {
	{"can_cuoc", 30},	{"cu_tru", 25}, {"dang_ky_xe", 20},
	{"xuat_nhap_canh", 10}, {"pccc", 5},	{"con_dau", 3},
	{"vu_khi", 2},		{"khac", 5},	W_END};

static const struct {
	const char *suffix; /* end of the department's code */
	const struct weight *service;
} department_services[] = {
	{"-PA08", w_svc_immigration},
	{"-PC06", w_svc_admin},
	{"-PC07", w_svc_fire},
	{"-PC08", w_svc_traffic},
};

/* Channels of each wave: paper forms gave way to online answers. */
static const struct weight w_channel[DEMO_YEARS][4] = {
	{{"paper", 80}, {"online", 12}, {"kiosk", 8}, W_END},
	{{"paper", 62}, {"online", 26}, {"kiosk", 12}, W_END},
};

/* People served in a year by the force's strata (the sampling frames' sizes). */
static const struct {
	enum cs_level level;
	const char *stratum;
	long served[DEMO_YEARS];
} force_strata[] = {
	{CS_LEVEL_DEPARTMENT, "BNI-phong", {40000, 42000}},
	{CS_LEVEL_DISTRICT, "BNI-huyen", {160000, 168000}},
	{CS_LEVEL_COMMUNE, "BNI-xa", {92000, 96000}},
};

/* Not applicable (không áp dụng) leaves, as units declare them. */
static const struct {
	enum demo_fw fw;
	const char *node;
	int level; /* enum cs_level, or -1 for any */
	int pct[DEMO_YEARS];
	const char *note;
} not_applicable[] = {
	{DEMO_FW_UNIT,
	 "3.4",
	 CS_LEVEL_COMMUNE,
	 {30, 10},
	 "Đơn vị chưa được giao cung cấp dịch vụ công trực tuyến mức độ 3, 4"},
	{DEMO_FW_PROVINCE,
	 "6.3",
	 -1,
	 {12, 8},
	 "Trong năm không có dự án đầu tư xây dựng trụ sở, doanh trại"},
};

/* The appraisal council's reasons (thẩm định), by the kind of leaf. */
static const char *const reasons_points[] = {
	"Chưa có tài liệu kiểm chứng đầy đủ",
	"Tài liệu kiểm chứng chưa thể hiện kết quả thực hiện",
	"Một số nội dung chưa hoàn thành theo kế hoạch",
	"Báo cáo gửi chậm so với thời hạn quy định",
};
static const char *const reasons_yesno[] = {
	"Văn bản ban hành sau thời hạn quy định",
	"Chưa có tài liệu kiểm chứng đầy đủ",
};
static const char *const reasons_rate[] = {
	"Tỷ lệ tính lại theo số liệu báo cáo quý IV",
	"Số liệu tự đánh giá chưa khớp với hệ thống quản lý văn bản",
	"Một số hồ sơ giải quyết quá hạn chưa được tính",
	"Chưa có tài liệu kiểm chứng đầy đủ",
};
static const char *const reasons_penalty[] = {
	"Để xảy ra hồ sơ giải quyết quá hạn bị phản ánh trên Cổng dịch vụ công",
	"Cán bộ bị phản ánh về thái độ khi tiếp nhận hồ sơ, đã xác minh đúng",
};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Random streams: each purpose re-seeds from the user's seed, so that, for
 * example, --small changes the respondents and not the scores. */
enum stream {
	S_PROVINCE_QUALITY = 1,
	S_UNIT_QUALITY = 2,
	S_SATISFACTION = 3,
	S_RESPONSES = 10, /* + year */
	S_SCORES = 1000,  /* + 4096 x (year x frameworks + framework) + unit + 65536 x variant */
};

/* A unit the generator scores or samples. */
struct gunit {
	const char *code, *name, *parent, *flags, *valid_from, *valid_to, *successor;
	enum cs_level level;
	bool force;		      /* in the force's subtree (the force itself excluded) */
	bool active;		      /* exists through both years under the tree of that time */
	int pop;		      /* provinces: population in thousands */
	long quality[DEMO_YEARS];     /* PAR, per 10000 */
	unsigned variant[DEMO_YEARS]; /* which of its score streams is used */
	long sat;		      /* SIPAS base, per mille */
	size_t n[DEMO_YEARS];	      /* respondents */
	const char *stratum;
	long served[DEMO_YEARS]; /* size of the stratum's frame */
	const struct weight *service, *kind;
	size_t up; /* the parent's index, SIZE_MAX for none */
	bool has_sipas[DEMO_YEARS];
	double sipas[DEMO_YEARS]; /* headline SIPAS index of its respondents, rolled up */
};

struct gen {
	const struct demo_gen_opts *o;
	struct demo_gen_stats *st;
	gsl_rng *rng;
	struct cs_unit_set src; /* the force's units as read */
	char *src_data;
	char src_name[4096];
	struct gunit *units; /* the 63 forces, then the force's own units */
	size_t nunits;
	struct cs_framework *fw[DEMO_FW_COUNT_];
	struct cs_questionnaire *q;
	long *item_effect; /* per questionnaire item, per mille */
	double *acc;	   /* per unit and item: weighted satisfied, weighted valid */
};

static void reseed(struct gen *g, unsigned long stream)
{
	gsl_rng_set(g->rng, (g->o->seed * 7919UL + stream) & 0xffffffffUL);
}

/* Uniform in 0 .. n-1. */
static long draw(struct gen *g, long n)
{
	return n <= 1 ? 0 : (long)gsl_rng_uniform_int(g->rng, (unsigned long)n);
}

/* Bell-shaped in -a .. a: the mean of three uniform draws. */
static long spread(struct gen *g, long a)
{
	long s;

	if (a <= 0)
		return 0;
	s = draw(g, 2 * a + 1) + draw(g, 2 * a + 1) + draw(g, 2 * a + 1);
	return (s - 3 * a) / 3;
}

static int by_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

static long clamp(long v, long lo, long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Index of a weighted choice; the first when all weights are zero. */
static size_t pick(struct gen *g, const struct weight *w)
{
	long total = 0, x;
	size_t i;

	for (i = 0; w[i].value; i++)
		total += w[i].w;
	x = draw(g, total);
	for (i = 0; w[i].value; i++) {
		if (x < w[i].w)
			return i;
		x -= w[i].w;
	}
	return 0;
}

/* Appends s as one CSV field, quoted when it needs to be (RFC 4180). */
static enum cs_err csv_add(struct cs_buf *b, const char *s, struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	if (!s)
		return CS_OK;
	if (!strpbrk(s, ",\"\r\n"))
		return cs_buf_addstr(b, s, err);
	rc = cs_buf_addc(b, '"', err);
	for (; *s && !rc; s++)
		rc = *s == '"' ? cs_buf_add(b, "\"\"", 2, err) : cs_buf_addc(b, *s, err);
	return rc ? rc : cs_buf_addc(b, '"', err);
}

/* A fixed-point number: v / 10^dec written with exactly dec decimals. */
static enum cs_err fixed_add(struct cs_buf *b, long v, int dec, struct cs_error *err)
{
	long scale = dec == 4 ? 10000 : dec == 2 ? 100 : 1;

	if (dec == 0)
		return cs_buf_addf(b, err, "%ld", v);
	return cs_buf_addf(b, err, "%ld.%0*ld", v / scale, dec, v % scale);
}

static enum cs_err write_file(const struct gen *g, const char *name, const struct cs_buf *b,
			      struct cs_error *err)
{
	char path[4096];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", g->o->out_dir, name);
	f = fopen(path, "wb");
	if (!f)
		return cs_fail(err, CS_EIO, "cannot create '%s': %s", path, strerror(errno));
	ok = fwrite(b->data, 1, b->len, f) == b->len;
	ok = fclose(f) == 0 && ok;
	if (!ok)
		return cs_fail(err, CS_EIO, "cannot write '%s'", path);
	return CS_OK;
}

static enum cs_err read_input(const struct gen *g, const char *rel, char *path, size_t cap,
			      char **data, size_t *len, struct cs_error *err)
{
	snprintf(path, cap, "%s/%s", g->o->data_dir, rel);
	return cli_read_file(path, IN_MAX, data, len, err);
}

static enum cs_err load_inputs(struct gen *g, struct cs_error *err)
{
	char path[4096], *data = NULL;
	size_t len = 0;
	enum cs_err rc;

	rc = read_input(g, DEMO_UNITS_SRC, g->src_name, sizeof(g->src_name), &g->src_data, &len,
			err);
	if (!rc)
		rc = cs_unit_csv_parse(g->src_name, g->src_data, len, &g->src, err);
	for (int f = 0; f < DEMO_FW_COUNT_ && !rc; f++) {
		struct cs_fw_meta meta = {0};

		rc = read_input(g, frameworks[f].file, path, sizeof(path), &data, &len, err);
		if (!rc)
			rc = cs_framework_json_parse(path, data, len, &g->fw[f], &meta, err);
		if (!rc) {
			rc = cs_framework_validate(g->fw[f], err);
			if (rc)
				cs_error_prefix(err, "%s", path);
		}
		cs_fw_meta_release(&meta);
		cs_free(data);
		data = NULL;
	}
	if (!rc)
		rc = read_input(g, DEMO_QUESTIONNAIRE_SRC, path, sizeof(path), &data, &len, err);
	if (!rc)
		rc = cs_questionnaire_json_read(path, data, len, &g->q, err);
	cs_free(data);
	return rc;
}

static const struct cs_unit *src_find(const struct gen *g, const char *code)
{
	for (size_t i = 0; i < g->src.units.len; i++) {
		const struct cs_unit *u = cs_unit_set_at(&g->src, i);

		if (strcmp(u->code, code) == 0)
			return u;
	}
	return NULL;
}

static struct gunit *find(const struct gen *g, const char *code)
{
	for (size_t i = 0; i < g->nunits; i++)
		if (strcmp(g->units[i].code, code) == 0)
			return &g->units[i];
	return NULL;
}

/* True when the unit exists through both years (M1: validity dates). */
static bool covers_years(const struct cs_unit *u)
{
	char first[16], last[16];

	snprintf(first, sizeof(first), "%s-01-01", years[0]);
	snprintf(last, sizeof(last), "%s-12-31", years[DEMO_YEARS - 1]);
	return (!u->valid_from || strcmp(u->valid_from, first) <= 0) &&
	       (!u->valid_to || strcmp(u->valid_to, last) >= 0);
}

static bool has_flag(const char *flags, const char *flag)
{
	size_t n = strlen(flag);

	for (const char *p = flags; p && *p;) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && memcmp(p, flag, n) == 0)
			return true;
		p = end ? end + 1 : p + len;
	}
	return false;
}

/* The unit list: the 63 forces, then the force's own units in file order. */
static enum cs_err build_units(struct gen *g, struct cs_error *err)
{
	const struct cs_unit *force = src_find(g, DEMO_FORCE);
	size_t cap = NPROVINCES + g->src.units.len;

	if (!force)
		return cs_fail(err, CS_EINVAL, "%s: no unit '%s'; the demo follows that force",
			       g->src_name, DEMO_FORCE);
	g->units = cs_calloc(cap, sizeof(*g->units));
	if (!g->units)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < NPROVINCES; i++) {
		struct gunit *u = &g->units[g->nunits++];
		bool is_force = strcmp(provinces[i].code, DEMO_FORCE) == 0;

		u->code = provinces[i].code;
		u->name = is_force ? force->name : provinces[i].name;
		u->parent = DEMO_MINISTRY;
		u->flags = is_force ? force->flags : "tthc";
		u->level = CS_LEVEL_PROVINCE;
		u->active = true;
		u->pop = provinces[i].pop;
		u->stratum = provinces[i].code;
		u->service = w_svc_province;
		u->kind = w_kind_people;
		for (size_t y = 0; y < DEMO_YEARS; y++)
			u->served[y] = (long)provinces[i].pop * (y == 0 ? 90 : 95);
	}
	for (size_t i = 0; i < g->src.units.len; i++) {
		const struct cs_unit *s = cs_unit_set_at(&g->src, i);
		struct gunit *u, *parent;

		if (strcmp(s->code, DEMO_FORCE) == 0 || strcmp(s->code, DEMO_MINISTRY) == 0)
			continue;
		parent = s->parent ? find(g, s->parent) : NULL;
		u = &g->units[g->nunits++];
		u->code = s->code;
		u->name = s->name;
		u->parent = s->parent;
		u->flags = s->flags;
		u->valid_from = s->valid_from;
		u->valid_to = s->valid_to;
		u->successor = s->successor;
		u->level = s->level;
		/* Units are listed after their parents in the example file; a unit
		 * whose parent is not active (a commune of a town created later)
		 * is left out of both years. */
		u->force = parent && (strcmp(parent->code, DEMO_FORCE) == 0 || parent->force);
		u->active = u->force && parent->active && covers_years(s);
		u->kind = w_kind_people;
		u->service = u->level == CS_LEVEL_DISTRICT ? w_svc_district : w_svc_commune;
		for (size_t k = 0; k < NELEMS(department_services); k++) {
			size_t n = strlen(u->code), m = strlen(department_services[k].suffix);

			if (n >= m && strcmp(u->code + n - m, department_services[k].suffix) == 0)
				u->service = department_services[k].service;
		}
		if (u->service == w_svc_fire)
			u->kind = w_kind_fire;
		for (size_t k = 0; k < NELEMS(force_strata); k++)
			if (force_strata[k].level == u->level) {
				u->stratum = force_strata[k].stratum;
				for (size_t y = 0; y < DEMO_YEARS; y++)
					u->served[y] = force_strata[k].served[y];
			}
	}
	for (size_t i = 0; i < g->nunits; i++) {
		const struct gunit *p = g->units[i].parent ? find(g, g->units[i].parent) : NULL;

		g->units[i].up = p ? (size_t)(p - g->units) : SIZE_MAX;
	}
	g->acc = cs_calloc(g->nunits * cs_questionnaire_item_count(g->q) * 2 + 1, sizeof(double));
	if (!g->acc)
		return cs_fail(err, CS_ENOMEM, NULL);
	return CS_OK;
}

/*
 * Each unit's PAR quality (the typical share of points it earns) and
 * SIPAS base (the typical probability of a satisfied answer).
 */
static enum cs_err draw_qualities(struct gen *g, struct cs_error *err)
{
	/* The force's own quality is chosen later (place_force) to put it at
	 * its place in the league table. */
	reseed(g, S_PROVINCE_QUALITY);
	for (size_t i = 0; i < NPROVINCES; i++) {
		struct gunit *u = &g->units[i];

		u->quality[0] = 8750 + spread(g, 750);
		u->quality[1] = u->quality[0] + 60 + spread(g, 200);
	}

	reseed(g, S_UNIT_QUALITY);
	for (size_t i = NPROVINCES; i < g->nunits; i++) {
		struct gunit *u = &g->units[i];
		long base = u->level == CS_LEVEL_DISTRICT ? 9350 : 9450;

		base += spread(g, 600);
		for (size_t k = 0; k < NELEMS(quality_effects); k++)
			if (strcmp(quality_effects[k].unit, u->code) == 0)
				base += quality_effects[k].effect;
		u->quality[0] = base;
		u->quality[1] = base + 60 + spread(g, 120);
	}

	reseed(g, S_SATISFACTION);
	for (size_t i = 0; i < g->nunits; i++) {
		struct gunit *u = &g->units[i];

		u->sat = u->level == CS_LEVEL_PROVINCE	 ? 895 + spread(g, 55)
			 : u->level == CS_LEVEL_DISTRICT ? 895 + spread(g, 30)
			 : u->level == CS_LEVEL_COMMUNE	 ? 910 + spread(g, 30)
							 : 905 + spread(g, 30);
	}
	g->item_effect = cs_calloc(cs_questionnaire_item_count(g->q) + 1, sizeof(long));
	if (!g->item_effect)
		return cs_fail(err, CS_ENOMEM, NULL);
	for (size_t i = 0; i < cs_questionnaire_item_count(g->q); i++)
		g->item_effect[i] = spread(g, 20);
	return CS_OK;
}

static enum cs_err write_units(struct gen *g, struct cs_error *err)
{
	const struct cs_unit *ministry = src_find(g, DEMO_MINISTRY);
	struct cs_buf b;
	enum cs_err rc;

	cs_buf_init(&b, OUT_MAX);
	rc = cs_buf_addstr(&b, "code,name,parent,level,flags,valid_from,valid_to,successor\n", err);
	if (!rc)
		rc = cs_buf_addf(&b, err, "%s,", DEMO_MINISTRY);
	if (!rc)
		rc = csv_add(&b, ministry ? ministry->name : "Bộ Công an", err);
	if (!rc)
		rc = cs_buf_addstr(&b, ",,ministry,,,,\n", err);
	g->st->units = 1;
	for (size_t i = 0; i < g->nunits && !rc; i++) {
		const struct gunit *u = &g->units[i];
		const char *f[8] = {u->code,	  u->name,	 cs_level_name(u->level),
				    u->flags,	  u->valid_from, u->valid_to,
				    u->successor, u->parent};
		/* Column order of the header; the parent is the third. */
		const char *row[8] = {f[0], f[1], f[7], f[2], f[3], f[4], f[5], f[6]};
		char flags[256];

		if (strcmp(u->code, UNRANKED_UNIT) == 0) {
			snprintf(flags, sizeof(flags), "%s%sunranked", u->flags ? u->flags : "",
				 u->flags ? ";" : "");
			row[4] = flags;
		}
		for (int c = 0; c < 8 && !rc; c++) {
			if (c)
				rc = cs_buf_addc(&b, ',', err);
			if (!rc)
				rc = csv_add(&b, row[c], err);
		}
		if (!rc)
			rc = cs_buf_addc(&b, '\n', err);
		g->st->units++;
	}
	if (!rc)
		rc = write_file(g, DEMO_UNITS_CSV, &b, err);
	cs_buf_release(&b);
	return rc;
}

/* True when node and its ancestors apply to the unit (M1, applies_to). */
static bool applies(const struct cs_framework *fw, size_t node, const struct gunit *u)
{
	while (node != CS_FW_NONE) {
		const struct cs_fw_node *n = cs_framework_node(fw, node);

		if (!cs_fw_node_applies(n, u->level, u->flags))
			return false;
		node = n->parent;
	}
	return true;
}

/* A rule input as integers: v / 10^dec. */
struct value {
	long v;
	int dec;
};

/*
 * The self-assessed input of a leaf for a unit of quality q (per 10000) and
 * the appraised one, which the council lowers now and then with a reason.
 */
static void leaf_values(struct gen *g, const struct cs_fw_node *n, long q, struct value *self,
			struct value *appraised, const char **reason)
{
	long r = clamp(q + spread(g, 600), 4000, 10000);
	const char *rule = n->rule ? n->rule->name : "";

	*reason = NULL;
	if (strcmp(rule, "manual") == 0) {
		long step = (long)(n->rule_params->step * 100 + 0.5);
		long steps = step > 0 ? (long)(n->max * 100 + 0.5) / step : 0;
		long k = (r * steps + 5000) / 10000;

		*self = (struct value){k * step, 2};
		*appraised = *self;
		if (k > 0 && draw(g, 100) < 18) {
			k -= 1 + draw(g, 2);
			*appraised = (struct value){(k < 0 ? 0 : k) * step, 2};
			*reason = reasons_points[draw(g, NELEMS(reasons_points))];
		}
	} else if (strcmp(rule, "yesno") == 0) {
		*self = (struct value){draw(g, 10000) < r + 400 ? 1 : 0, 0};
		*appraised = *self;
		if (self->v == 1 && draw(g, 100) < 6) {
			appraised->v = 0;
			*reason = reasons_yesno[draw(g, NELEMS(reasons_yesno))];
		}
	} else {
		/* ratio, threshold, steps: a rate. Steps tables here grade an
		 * on-time rate, which is high and often complete. */
		if (strcmp(rule, "steps") == 0)
			r = draw(g, 3) == 0 ? 10000 : 10000 - (10000 - r) * draw(g, 60) / 100;
		*self = (struct value){r, 4};
		*appraised = *self;
		if (draw(g, 100) < 18) {
			appraised->v = clamp(r - 100 - draw(g, 500), 0, 10000);
			*reason = reasons_rate[draw(g, NELEMS(reasons_rate))];
		}
	}
}

/* True when the unit's own respondents are sampled in the waves. */
static bool sampled(const struct gunit *u)
{
	if (u->level == CS_LEVEL_PROVINCE)
		return strcmp(u->code, DEMO_FORCE) != 0;
	return u->active && u->stratum && has_flag(u->flags, "tthc");
}

/* Respondents per unit in wave y, and the totals of their strata. */
static void draw_sizes(struct gen *g, size_t y)
{
	for (size_t i = 0; i < g->nunits; i++) {
		struct gunit *u = &g->units[i];
		long n;

		if (!sampled(u)) {
			u->n[y] = 0;
			continue;
		}
		if (u->level == CS_LEVEL_PROVINCE)
			n = clamp(80 + u->pop / 25, 100, 320) + spread(g, 20);
		else if (u->level == CS_LEVEL_DEPARTMENT)
			n = 250 + draw(g, 151);
		else if (u->level == CS_LEVEL_DISTRICT)
			n = 180 + draw(g, 171);
		else
			n = 60 + draw(g, 91);
		if (g->o->small)
			n = n / 5 < 35 ? 35 : n / 5;
		if (strcmp(u->code, SMALL_N_UNIT) == 0)
			n = 14 + draw(g, 9);
		u->n[y] = (size_t)n;
	}
}

static size_t stratum_n(const struct gen *g, const char *stratum, size_t y)
{
	size_t n = 0;

	for (size_t i = 0; i < g->nunits; i++)
		if (g->units[i].n[y] && strcmp(g->units[i].stratum, stratum) == 0)
			n += g->units[i].n[y];
	return n;
}

static const struct element_effect *element_effect(const char *code)
{
	for (size_t i = 0; code && i < NELEMS(element_effects); i++)
		if (strcmp(element_effects[i].element, code) == 0)
			return &element_effects[i];
	return NULL;
}

/* Probability (per mille) of a satisfied answer on an element, before the
 * item's own effect and the respondent's mood. */
static long element_p(const struct gunit *u, size_t y, const char *element)
{
	const struct element_effect *e = element_effect(element);
	long p = u->sat + (e ? e->effect : 0) + (y == 0 ? -15 : 0);

	for (size_t k = 0; k < NELEMS(planted); k++)
		if (strcmp(planted[k].unit, u->code) == 0 &&
		    strcmp(planted[k].element, element ? element : "") == 0 &&
		    (planted[k].year < 0 || (size_t)planted[k].year == y))
			p += planted[k].effect;
	return p;
}

/* A level 1-5: satisfied (4, 5) with probability p per mille. */
static int likert(struct gen *g, long p)
{
	long x;

	if (draw(g, 1000) < clamp(p, 200, 985))
		return draw(g, 100) < 45 ? 5 : 4;
	x = draw(g, 100);
	return x < 65 ? 3 : x < 92 ? 2 : 1;
}

/* The weights of a choice item's values, from a table by value (default 5). */
static size_t pick_choice(struct gen *g, const struct cs_q_item *it, const struct weight *w)
{
	long ws[256], total = 0, x;
	size_t n = it->nchoices < 256 ? it->nchoices : 256;

	for (size_t c = 0; c < n; c++) {
		ws[c] = w ? 0 : 5;
		for (size_t k = 0; w && w[k].value; k++)
			if (strcmp(w[k].value, it->choices[c].value) == 0)
				ws[c] = w[k].w;
		total += ws[c];
	}
	if (total == 0) {
		for (size_t c = 0; c < n; c++)
			ws[c] = 1;
		total = (long)n;
	}
	x = draw(g, total);
	for (size_t c = 0; c < n; c++) {
		if (x < ws[c])
			return c;
		x -= ws[c];
	}
	return 0;
}

/* One to three expectations, without repeats, most wished for first. */
static enum cs_err expectations(struct gen *g, const struct cs_q_item *it, struct cs_buf *b,
				struct cs_error *err)
{
	size_t chosen[3], nchosen = 0, want = 1 + (size_t)draw(g, 3);
	enum cs_err rc = CS_OK;

	for (int tries = 0; nchosen < want && tries < 20; tries++) {
		size_t c = pick_choice(g, it, w_expect);
		bool seen = false;

		for (size_t k = 0; k < nchosen; k++)
			seen = seen || chosen[k] == c;
		if (!seen)
			chosen[nchosen++] = c;
	}
	for (size_t k = 0; k < nchosen && !rc; k++)
		rc = cs_buf_addf(b, err, "%s%s", k ? ";" : "", it->choices[chosen[k]].value);
	return rc;
}

/* The day of the fieldwork, 3 September to 29 November, as YYYY-MM-DD. */
static void fieldwork_day(struct gen *g, size_t y, char out[48])
{
	static const int month_days[] = {30, 31, 30};
	int d = 2 + (int)draw(g, 88), m = 0;

	while (m < 2 && d >= month_days[m])
		d -= month_days[m++];
	snprintf(out, 48, "%.4s-%02d-%02d", years[y], 9 + m, d + 1);
}

/*
 * Adds a satisfaction answer to the sums of the unit and every unit above it,
 * as the estimation rolls units up (M3.4).
 */
static void tally(struct gen *g, size_t ui, size_t item, double w, bool satisfied)
{
	size_t ni = cs_questionnaire_item_count(g->q);

	for (size_t x = ui; x != SIZE_MAX; x = g->units[x].up) {
		double *a = &g->acc[(x * ni + item) * 2];

		a[0] += satisfied ? w : 0;
		a[1] += w;
	}
}

static enum cs_err respondent(struct gen *g, size_t y, size_t ui, size_t id, const char *weight,
			      double w, struct cs_buf *b, struct cs_error *err)
{
	const struct gunit *u = &g->units[ui];
	long served = u->served[y];
	uint8_t satisfied = cs_questionnaire_options(g->q)->satisfied_levels;
	const struct cs_questionnaire *q = g->q;
	long mood = spread(g, 50), mean_p = 0, nelem = 0;
	bool skip[NELEMS(element_effects)];
	char day[48];
	enum cs_err rc;

	/* Elements many respondents never had to do with (feedback) are
	 * skipped as a whole; other items are left blank now and then. */
	for (size_t k = 0; k < NELEMS(element_effects); k++)
		skip[k] = draw(g, 100) < element_effects[k].skip_pct;

	fieldwork_day(g, y, day);
	rc = cs_buf_addf(b, err, "%s-%06zu,%s,%s,%s,%s,%s,%ld", years[y], id, u->code, day,
			 w_channel[y][pick(g, w_channel[y])].value, weight, u->stratum, served);
	for (size_t e = 0; e < cs_questionnaire_element_count(q); e++) {
		mean_p += element_p(u, y, cs_questionnaire_element(q, e)->code);
		nelem++;
	}
	mean_p = nelem ? mean_p / nelem : u->sat;
	for (size_t i = 0; i < cs_questionnaire_item_count(q) && !rc; i++) {
		const struct cs_q_item *it = cs_questionnaire_item(q, i);
		const struct element_effect *ee = element_effect(it->element_code);
		bool blank = ee && ee->skip_pct ? skip[ee - element_effects] : draw(g, 100) < 2;

		rc = cs_buf_addc(b, ',', err);
		if (rc)
			break;
		switch (it->role) {
		case CS_Q_ROLE_SATISFACTION:
			if (blank)
				break;
			if (it->type == CS_Q_LIKERT5) {
				int level = likert(g, element_p(u, y, it->element_code) +
							      g->item_effect[i] + mood);

				tally(g, ui, i, w, satisfied & (1u << level));
				rc = cs_buf_addf(b, err, "%d", level);
			}
			break;
		case CS_Q_ROLE_GENERAL:
			if (it->type == CS_Q_LIKERT5)
				rc = cs_buf_addf(b, err, "%d", likert(g, mean_p + 25 + mood));
			break;
		case CS_Q_ROLE_EXPECTATION:
			if (it->nchoices)
				rc = expectations(g, it, b, err);
			break;
		case CS_Q_ROLE_RESPONDENT: {
			const struct weight *ws = it->field == CS_Q_FIELD_KIND	     ? u->kind
						  : it->field == CS_Q_FIELD_SERVICE  ? u->service
						  : it->field == CS_Q_FIELD_SEX	     ? w_sex
						  : it->field == CS_Q_FIELD_AGE_BAND ? w_age
										     : NULL;

			if (it->nchoices)
				rc = cs_buf_addstr(b, it->choices[pick_choice(g, it, ws)].value,
						   err);
			break;
		}
		default:
			break;
		}
	}
	return rc ? rc : cs_buf_addc(b, '\n', err);
}

/*
 * Each unit's headline index in wave y from the answers just drawn, as the
 * estimation computes it (M3.3: the mean over elements of the mean of their
 * item indices), and clears the sums for the next wave.
 */
static void headline_indices(struct gen *g, size_t y)
{
	const struct cs_questionnaire *q = g->q;
	size_t ni = cs_questionnaire_item_count(q), ne = cs_questionnaire_element_count(q);

	for (size_t x = 0; x < g->nunits; x++) {
		double sum = 0;
		size_t nel = 0;

		for (size_t e = 0; e < ne; e++) {
			double s = 0;
			size_t n = 0;

			for (size_t i = 0; i < ni; i++) {
				const double *a = &g->acc[(x * ni + i) * 2];

				if (cs_questionnaire_item(q, i)->role == CS_Q_ROLE_SATISFACTION &&
				    cs_questionnaire_item(q, i)->element == e && a[1] > 0) {
					s += 100 * a[0] / a[1];
					n++;
				}
			}
			if (n) {
				sum += s / (double)n;
				nel++;
			}
		}
		g->units[x].has_sipas[y] = nel == ne && ne > 0;
		g->units[x].sipas[y] = nel ? sum / (double)nel : 0;
	}
	memset(g->acc, 0, g->nunits * ni * 2 * sizeof(double));
}

static enum cs_err write_responses(struct gen *g, size_t y, struct cs_error *err)
{
	struct cs_buf b;
	char name[128];
	size_t id = 0;
	enum cs_err rc;

	reseed(g, S_RESPONSES + y);
	draw_sizes(g, y);
	cs_buf_init(&b, OUT_MAX);
	rc = cs_buf_addstr(&b, "id,unit,submitted_at,channel,weight,stratum,fpc", err);
	for (size_t i = 0; i < cs_questionnaire_item_count(g->q) && !rc; i++)
		rc = cs_buf_addf(&b, err, ",%s", cs_questionnaire_item(g->q, i)->code);
	if (!rc)
		rc = cs_buf_addc(&b, '\n', err);
	for (size_t i = 0; i < g->nunits && !rc; i++) {
		const struct gunit *u = &g->units[i];
		size_t nh;
		long long w;
		char weight[48];

		if (!u->n[y])
			continue;
		/* Weights N_h / n_h of the stratified design (M3.8), to 4 decimals. */
		nh = stratum_n(g, u->stratum, y);
		w = ((long long)u->served[y] * 10000 + (long long)nh / 2) / (long long)nh;
		snprintf(weight, sizeof(weight), "%lld.%04lld", w / 10000, w % 10000);
		for (size_t k = 0; k < u->n[y] && !rc; k++)
			rc = respondent(g, y, i, ++id, weight, (double)w / 10000, &b, err);
	}
	if (!rc)
		headline_indices(g, y);
	snprintf(name, sizeof(name), DEMO_RESPONSES_FMT, years[y]);
	if (!rc)
		rc = write_file(g, name, &b, err);
	g->st->responses[y] = id;
	cs_buf_release(&b);
	return rc;
}

struct score_files {
	struct cs_buf self, appraisal;
	size_t rows;
};

static enum cs_err score_row(struct score_files *sf, const struct gunit *u, const char *node,
			     const char *self, const struct value *sv, const char *note,
			     const char *appraised, const struct value *av, const char *reason,
			     struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	if (!sf)
		return CS_OK;
	if (self || sv) {
		rc = cs_buf_addf(&sf->self, err, "%s,%s,", u->code, node);
		if (!rc)
			rc = self ? cs_buf_addstr(&sf->self, self, err)
				  : fixed_add(&sf->self, sv->v, sv->dec, err);
		if (!rc)
			rc = cs_buf_addc(&sf->self, ',', err);
		if (!rc)
			rc = csv_add(&sf->self, note, err);
		if (!rc)
			rc = cs_buf_addc(&sf->self, '\n', err);
		sf->rows++;
	}
	if (!rc && (appraised || av)) {
		rc = cs_buf_addf(&sf->appraisal, err, "%s,%s,", u->code, node);
		if (!rc)
			rc = appraised ? cs_buf_addstr(&sf->appraisal, appraised, err)
				       : fixed_add(&sf->appraisal, av->v, av->dec, err);
		if (!rc)
			rc = cs_buf_addc(&sf->appraisal, ',', err);
		if (!rc)
			rc = csv_add(&sf->appraisal, reason, err);
		if (!rc)
			rc = cs_buf_addc(&sf->appraisal, '\n', err);
		sf->rows++;
	}
	return rc;
}

/*
 * The SIPAS index (percent) a unit's respondents are expected to give in
 * year y under the answer model, before sampling: the mean over elements of
 * the mean probability of a satisfied answer to their items. A force's
 * index rolls up its units, each stratum with the weight of the people it
 * serves (M3.4).
 */
static double expected_sipas(const struct gen *g, const struct gunit *u, size_t y)
{
	const struct cs_questionnaire *q = g->q;
	double sum = 0, wsum = 0;
	size_t ne = cs_questionnaire_element_count(q);

	if (u->has_sipas[y])
		return u->sipas[y];
	if (strcmp(u->code, DEMO_FORCE) == 0) {
		for (size_t k = 0; k < NELEMS(force_strata); k++) {
			double s = 0;
			size_t n = 0;

			for (size_t i = 0; i < g->nunits; i++)
				if (g->units[i].force && sampled(&g->units[i]) &&
				    g->units[i].level == force_strata[k].level) {
					s += expected_sipas(g, &g->units[i], y);
					n++;
				}
			if (n) {
				sum += (double)force_strata[k].served[y] * s / (double)n;
				wsum += (double)force_strata[k].served[y];
			}
		}
		return wsum > 0 ? sum / wsum : 0;
	}
	for (size_t e = 0; e < ne; e++) {
		const struct cs_q_element *el = cs_questionnaire_element(q, e);
		double s = 0;
		size_t n = 0;

		for (size_t i = 0; i < cs_questionnaire_item_count(q); i++) {
			const struct cs_q_item *it = cs_questionnaire_item(q, i);

			if (it->role != CS_Q_ROLE_SATISFACTION || it->element != e)
				continue;
			s += (double)clamp(element_p(u, y, el->code) + g->item_effect[i], 200, 985);
			n++;
		}
		sum += n ? s / (double)n : 0;
	}
	return ne ? sum / (double)ne / 10 : 0;
}

/* Points the council's score of a leaf earns, for the placement of the force. */
static double points_of(const struct cs_fw_node *n, const struct value *v)
{
	double x = (double)v->v / (v->dec == 4 ? 10000 : v->dec == 2 ? 100 : 1), pts = 0;

	if (!n->rule || cs_rule_score(n->rule, n->rule_params, n->max, x, &pts, NULL))
		return 0;
	return pts;
}

/*
 * The scores of one unit under one framework in one year, at quality q
 * (per 10000), into sf (NULL: only computed), and the unit's expected index
 * into *index (M2.4: points over the applicable maximum, survey leaves at
 * their expected SIPAS index). The unit's draws come from a stream of its
 * own, so that the same call gives the same rows.
 */
static enum cs_err unit_scores(struct gen *g, enum demo_fw f, size_t y, size_t ui, long q,
			       struct score_files *sf, double *index, struct cs_error *err)
{
	const struct gunit *u = &g->units[ui];
	const struct cs_framework *fw = g->fw[f];
	const size_t *order = cs_framework_order(fw);
	double points = 0, max = 0, adjust = 0;
	enum cs_err rc = CS_OK;

	reseed(g, S_SCORES + 4096UL * (y * DEMO_FW_COUNT_ + f) + ui + (1UL << 16) * u->variant[y]);
	for (size_t k = 0; k < cs_framework_node_count(fw) && !rc; k++) {
		const struct cs_fw_node *n = cs_framework_node(fw, order[k]);
		struct value sv, av;
		const char *reason = NULL;
		char note[160];
		bool na = false;

		if (!cs_fw_node_is_leaf(n) || !applies(fw, order[k], u))
			continue;
		for (size_t i = 0; i < NELEMS(not_applicable) && !na; i++)
			if (not_applicable[i].fw == f &&
			    strcmp(not_applicable[i].node, n->code) == 0 &&
			    (not_applicable[i].level < 0 ||
			     not_applicable[i].level == (int)u->level) &&
			    draw(g, 100) < not_applicable[i].pct[y]) {
				na = true;
				rc = score_row(sf, u, n->code, "na", NULL, not_applicable[i].note,
					       "na", NULL, NULL, err);
			}
		if (na)
			continue;
		switch (n->source) {
		case CS_SOURCE_SELF:
			leaf_values(g, n, q, &sv, &av, &reason);
			note[0] = '\0';
			if (strcmp(n->rule ? n->rule->name : "", "yesno") == 0 && sv.v == 1)
				snprintf(note, sizeof(note),
					 "Tài liệu kiểm chứng: văn bản số %ld/%s ngày "
					 "%02ld/%02ld/%s",
					 1 + draw(g, 240), u->code, 1 + draw(g, 28),
					 1 + draw(g, 11), years[y]);
			rc = score_row(sf, u, n->code, NULL, &sv, note, NULL, &av, reason, err);
			points += points_of(n, &av);
			max += n->max;
			break;
		case CS_SOURCE_BONUS:
			/* A recognised initiative now and then, confirmed by the council. */
			if (draw(g, 100) < 8) {
				sv = (struct value){50 + 50 * draw(g, 2), 2};
				rc = score_row(
					sf, u, n->code, NULL, &sv,
					"Sáng kiến cải cách hành chính được Giám đốc Công an "
					"tỉnh công nhận",
					NULL, &sv, NULL, err);
				adjust += points_of(n, &sv);
			}
			break;
		case CS_SOURCE_PENALTY:
			/* Deducted by the council alone, always with its reason. */
			if (draw(g, 100) < 5) {
				av = (struct value){50 + 50 * draw(g, 2), 2};
				rc = score_row(sf, u, n->code, NULL, NULL, NULL, NULL, &av,
					       reasons_penalty[draw(g, NELEMS(reasons_penalty))],
					       err);
				adjust -= points_of(n, &av);
			}
			break;
		case CS_SOURCE_SURVEY:
			/* From the survey wave (M2.2): only its expected value here. */
			if (n->rule) {
				double pts = 0;

				if (!cs_rule_score(n->rule, n->rule_params, n->max,
						   expected_sipas(g, u, y), &pts, NULL))
					points += pts;
			}
			max += n->max;
			break;
		default:
			max += n->max;
			break;
		}
	}
	points += adjust;
	*index = max > 0 ? 100 * (points < 0 ? 0 : points > max ? max : points) / max : 0;
	return rc;
}

/*
 * The force's quality in year y, and which of its streams of draws: the pair
 * whose index falls nearest the middle of the gap between the others at its
 * place, so that exactly force_place[y] forces rank above it. A single
 * stream moves in jumps (a yes/no criterion flips), so several are tried.
 */
static enum cs_err place_force(struct gen *g, size_t y, struct cs_error *err)
{
	double others[NPROVINCES], target, best_d = 1e300, idx;
	size_t nothers = 0, fi = NPROVINCES;
	long best = 9000;
	unsigned best_v = 0;
	enum cs_err rc = CS_OK;

	for (size_t i = 0; i < NPROVINCES && !rc; i++) {
		if (strcmp(g->units[i].code, DEMO_FORCE) == 0) {
			fi = i;
			continue;
		}
		rc = unit_scores(g, DEMO_FW_PROVINCE, y, i, g->units[i].quality[y], NULL,
				 &others[nothers++], err);
	}
	if (rc || fi == NPROVINCES || nothers <= force_place[y])
		return rc;
	qsort(others, nothers, sizeof(double), by_desc);
	target = force_place[y] ? (others[force_place[y] - 1] + others[force_place[y]]) / 2
				: others[0] + 1;
	for (unsigned v = 0; v < FORCE_VARIANTS && !rc; v++) {
		g->units[fi].variant[y] = v;
		for (long q = 6000; q <= 10000 && !rc; q += 4) {
			rc = unit_scores(g, DEMO_FW_PROVINCE, y, fi, q, NULL, &idx, err);
			if (!rc && (idx - target) * (idx - target) < best_d) {
				best_d = (idx - target) * (idx - target);
				best = q;
				best_v = v;
			}
		}
	}
	g->units[fi].quality[y] = best;
	g->units[fi].variant[y] = best_v;
	return rc;
}

static enum cs_err write_scores(struct gen *g, enum demo_fw f, size_t y, struct cs_error *err)
{
	struct score_files sf = {.rows = 0};
	char name[128];
	size_t assessed = 0;
	double idx;
	enum cs_err rc = CS_OK;

	cs_buf_init(&sf.self, OUT_MAX);
	cs_buf_init(&sf.appraisal, OUT_MAX);
	if (f == DEMO_FW_PROVINCE)
		rc = place_force(g, y, err);
	if (!rc)
		rc = cs_buf_addstr(&sf.self, "unit,node,self,note\n", err);
	if (!rc)
		rc = cs_buf_addstr(&sf.appraisal, "unit,node,appraised,reason\n", err);
	for (size_t i = 0; i < g->nunits && !rc; i++) {
		const struct gunit *u = &g->units[i];

		if (f == DEMO_FW_PROVINCE ? u->level != CS_LEVEL_PROVINCE
					  : !(u->force && u->active))
			continue;
		rc = unit_scores(g, f, y, i, u->quality[y], &sf, &idx, err);
		assessed++;
	}
	snprintf(name, sizeof(name), DEMO_SCORES_FMT, years[y], frameworks[f].name, "self");
	if (!rc)
		rc = write_file(g, name, &sf.self, err);
	snprintf(name, sizeof(name), DEMO_SCORES_FMT, years[y], frameworks[f].name, "appraisal");
	if (!rc)
		rc = write_file(g, name, &sf.appraisal, err);
	g->st->assessed[f] = assessed;
	g->st->score_rows += sf.rows;
	cs_buf_release(&sf.self);
	cs_buf_release(&sf.appraisal);
	return rc;
}

/* The satisfaction elements the models need must be in the questionnaire. */
static enum cs_err check_questionnaire(const struct gen *g, const char *path, struct cs_error *err)
{
	size_t e;

	for (size_t k = 0; k < NELEMS(element_effects); k++)
		if (!cs_questionnaire_find_element(g->q, element_effects[k].element, &e))
			return cs_fail(err, CS_EINVAL,
				       "%s: no element '%s'; the demo's answers are modelled on "
				       "the five SIPAS elements E1-E5",
				       path, element_effects[k].element);
	return CS_OK;
}

enum cs_err demo_gen_write(const struct demo_gen_opts *o, struct demo_gen_stats *st,
			   struct cs_error *err)
{
	struct gen g = {.o = o, .st = st};
	char qpath[4096];
	enum cs_err rc;

	memset(st, 0, sizeof(*st));
	cs_unit_set_init(&g.src);
	g.rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!g.rng)
		return cs_fail(err, CS_ENOMEM, NULL);
	snprintf(qpath, sizeof(qpath), "%s/%s", o->data_dir, DEMO_QUESTIONNAIRE_SRC);
	rc = load_inputs(&g, err);
	if (!rc)
		rc = check_questionnaire(&g, qpath, err);
	if (!rc)
		rc = build_units(&g, err);
	if (!rc)
		rc = draw_qualities(&g, err);
	if (!rc)
		rc = write_units(&g, err);
	/* Responses first: the force's place in the league table counts the
	 * survey points its answers give. */
	for (size_t y = 0; y < DEMO_YEARS && !rc; y++) {
		rc = write_responses(&g, y, err);
		for (int f = 0; f < DEMO_FW_COUNT_ && !rc; f++)
			rc = write_scores(&g, (enum demo_fw)f, y, err);
	}
	gsl_rng_free(g.rng);
	cs_free(g.item_effect);
	cs_free(g.acc);
	cs_questionnaire_free(g.q);
	for (int f = 0; f < DEMO_FW_COUNT_; f++)
		cs_framework_free(g.fw[f]);
	cs_free(g.units);
	cs_unit_set_release(&g.src);
	cs_free(g.src_data);
	return rc;
}
