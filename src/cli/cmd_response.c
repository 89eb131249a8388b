/*
 * chiso response import: survey responses from CSV, XLSX or JSON lines into
 * a wave (METHODOLOGY M3.2, M3.4; docs/formats.md "Survey responses"). All
 * or nothing: a file with any problem writes nothing.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "io/response_import.h"
#include "report/fmt.h"
#include "store/questionnaire_store.h"
#include "store/response_store.h"
#include "store/unit_store.h"
#include "util/alloc.h"

#include "util/banned.h"

/* Largest response file read (16 GiB: far beyond 10^7 rows). */
#define RESPONSE_FILE_MAX ((size_t)16 << 30)
/* Problems listed before the summary. */
#define SHOW_ERRORS 20

/* A file mapped into memory, or read whole when it cannot be (stdin, pipes). */
struct input {
	char *data;
	size_t len;
	bool mapped;
};

static enum cs_err input_open(const char *path, struct input *in, struct cs_error *err)
{
	struct stat st;
	int fd;

	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return cs_fail(err, CS_EIO, "%s: cannot open the file", path);
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
			if ((size_t)st.st_size > RESPONSE_FILE_MAX) {
				close(fd);
				return cs_fail(err, CS_ETOOBIG, "%s: larger than %zu bytes", path,
					       RESPONSE_FILE_MAX);
			}
			in->data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
			if (in->data != MAP_FAILED) {
				in->len = (size_t)st.st_size;
				in->mapped = true;
				close(fd);
				return CS_OK;
			}
			in->data = NULL;
		}
		close(fd);
	}
	return cli_read_file(path, RESPONSE_FILE_MAX, &in->data, &in->len, err);
}

static void input_close(struct input *in)
{
	if (in->mapped)
		munmap(in->data, in->len);
	else
		cs_free(in->data);
	memset(in, 0, sizeof(*in));
}

struct progress {
	const struct cli *cli;
	struct timespec start;
	bool shown;
};

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Progress on the terminal, every 100 000 rows (stderr, only when it is a terminal). */
static void show_progress(void *ctx, size_t rows, size_t done, size_t total)
{
	struct progress *p = ctx;
	enum cs_fmt_lang lang = p->cli->lang == CLI_LANG_EN ? CS_FMT_EN : CS_FMT_VI;
	char n[CS_FMT_MAX], rate[CS_FMT_MAX];
	double secs = since(&p->start);

	(void)done;
	(void)total;
	cs_fmt_count(rows, lang, n);
	cs_fmt_count(secs > 0 ? (size_t)((double)rows / secs) : 0, lang, rate);
	fprintf(stderr, L(p->cli, "\r  %s dòng  (%s dòng/giây)", "\r  %s rows  (%s rows/s)"), n,
		rate);
	fflush(stderr);
	p->shown = true;
}

/*
 * The import runs as a pipeline on two threads: this one reads, checks and
 * packs the rows, a writer thread inserts them (SQLite work is about half of
 * an import). Rows travel in batches, packed back to back; the writer finds
 * duplicate ids (the database's unique index) and reports them by line.
 */
#define BATCH_ROWS 4096

struct rec_head {
	uint64_t line;
	int64_t unit_id;
	double weight, fpc;
	unsigned char has_weight, has_fpc;
};

enum {
	S_ID,
	S_SUBMITTED,
	S_CHANNEL,
	S_STRATUM,
	S_PSU,
	S_KIND,
	S_SERVICE,
	S_FIXED,
	S_EXTRA,
	S_COUNT
};

struct batch {
	struct cs_buf data;
	size_t rows;
};

struct pipeline {
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[2];
	int fill;     /* the batch this thread fills; the writer takes the other */
	bool pending; /* the other batch waits for or is in the writer */
	bool stop;
	enum cs_err fatal; /* a writer error other than a duplicate */
	struct cs_error fatal_err;

	struct cs_resp_writer *w;
	const char *path;
	const struct cs_resp_import_report *rep;
	bool jsonl;
	size_t dups, max_msgs;
	struct cs_vec msgs; /* of char *, written by the writer thread only */

	const struct cs_questionnaire *q;
	struct cs_resp_layout layout;
	struct cs_buf fixed, extra;
};

static enum cs_err put_str(struct cs_buf *b, struct cs_str s, struct cs_error *err)
{
	uint32_t n = (uint32_t)s.len;
	enum cs_err rc = cs_buf_add(b, &n, sizeof(n), err);

	return rc || !n ? rc : cs_buf_add(b, s.ptr, s.len, err);
}

static struct cs_str get_str(const char **p)
{
	uint32_t n;
	struct cs_str s;

	memcpy(&n, *p, sizeof(n));
	s = cs_str_make(*p + sizeof(n), n);
	*p += sizeof(n) + n;
	return s;
}

static void dup_message(struct pipeline *p, size_t line, const char *msg)
{
	char buf[CS_ERROR_MSG_MAX + 256];
	char *copy;
	int n;

	p->dups++;
	if (p->msgs.len >= p->max_msgs)
		return;
	if (p->jsonl)
		n = snprintf(buf, sizeof(buf), "%s:%zu: key 'id': %s", p->path, line, msg);
	else
		n = snprintf(buf, sizeof(buf), "%s:%zu:%zu: %s", p->path, line, p->rep->id_col,
			     msg);
	copy = n > 0 ? cs_strndup(buf, strlen(buf)) : NULL;
	if (copy && cs_vec_push(&p->msgs, &copy, NULL))
		cs_free(copy);
}

/* Inserts the rows of one batch; stops at an error that is not a duplicate. */
static enum cs_err write_batch(struct pipeline *p, const struct batch *b, struct cs_error *err)
{
	const char *at = b->data.data;

	for (size_t i = 0; i < b->rows; i++) {
		struct rec_head h;
		struct cs_response r = {0};
		struct cs_str f[S_COUNT];
		struct cs_error e = {0};
		enum cs_err rc;

		memcpy(&h, at, sizeof(h));
		at += sizeof(h);
		for (int k = 0; k < S_COUNT; k++)
			f[k] = get_str(&at);
		r.line = (size_t)h.line;
		r.unit_id = h.unit_id;
		r.weight = h.weight;
		r.fpc = h.fpc;
		r.has_weight = h.has_weight;
		r.has_fpc = h.has_fpc;
		r.id = f[S_ID];
		r.submitted_at = f[S_SUBMITTED];
		r.channel = f[S_CHANNEL];
		r.stratum = f[S_STRATUM];
		r.psu = f[S_PSU];
		r.kind = f[S_KIND];
		r.service = f[S_SERVICE];
		rc = cs_resp_writer_add_packed(p->w, &r, f[S_FIXED], f[S_EXTRA], &e);
		if (rc == CS_EEXIST) {
			dup_message(p, r.line, e.msg);
		} else if (rc) {
			cs_fail(err, rc, "%s:%zu: %s", p->path, r.line, e.msg);
			return rc;
		}
	}
	return CS_OK;
}

static void *writer_main(void *arg)
{
	struct pipeline *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct batch *b;
		struct cs_error e = {0};
		enum cs_err rc;

		while (!p->pending && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->pending)
			break;
		b = &p->b[1 - p->fill];
		pthread_mutex_unlock(&p->mu);
		rc = write_batch(p, b, &e);
		pthread_mutex_lock(&p->mu);
		if (rc && !p->fatal) {
			p->fatal = rc;
			p->fatal_err = e;
		}
		cs_buf_reset(&b->data);
		b->rows = 0;
		p->pending = false;
		pthread_cond_broadcast(&p->cv);
		if (p->fatal)
			break;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Hands the filled batch to the writer; waits while it is busy with the other. */
static enum cs_err submit(struct pipeline *p, struct cs_error *err)
{
	enum cs_err rc;

	pthread_mutex_lock(&p->mu);
	while (p->pending && !p->fatal)
		pthread_cond_wait(&p->cv, &p->mu);
	rc = p->fatal;
	if (rc) {
		if (err)
			*err = p->fatal_err;
	} else {
		p->pending = true;
		p->fill = 1 - p->fill;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/* The importer's sink: packs the row into the current batch. */
static enum cs_err sink_add(void *ctx, const struct cs_response *r, struct cs_error *err)
{
	struct pipeline *p = ctx;
	struct batch *b = &p->b[p->fill];
	struct rec_head h = {r->line, r->unit_id, r->weight, r->fpc, r->has_weight, r->has_fpc};
	struct cs_str f[S_COUNT];
	enum cs_err rc;

	cs_buf_reset(&p->fixed);
	cs_buf_reset(&p->extra);
	rc = cs_resp_encode(&p->layout, p->q, r->answers, r->texts, &p->fixed, &p->extra, err);
	f[S_ID] = r->id;
	f[S_SUBMITTED] = r->submitted_at;
	f[S_CHANNEL] = r->channel;
	f[S_STRATUM] = r->stratum;
	f[S_PSU] = r->psu;
	f[S_KIND] = r->kind;
	f[S_SERVICE] = r->service;
	f[S_FIXED] = cs_str_make(p->fixed.data, p->fixed.len);
	f[S_EXTRA] = cs_str_make(p->extra.data, p->extra.len);
	if (!rc)
		rc = cs_buf_add(&b->data, &h, sizeof(h), err);
	for (int k = 0; k < S_COUNT && !rc; k++)
		rc = put_str(&b->data, f[k], err);
	if (rc)
		return rc == CS_EEXIST || rc == CS_EINVAL ? CS_EIO : rc;
	if (++b->rows == BATCH_ROWS)
		return submit(p, err);
	return CS_OK;
}

static enum cs_err pipeline_start(struct pipeline *p, struct cs_error *err)
{
	enum cs_err rc = cs_resp_layout_init(&p->layout, p->q, err);

	cs_buf_init(&p->fixed, 1u << 20);
	cs_buf_init(&p->extra, 1u << 20);
	cs_buf_init(&p->b[0].data, (size_t)1 << 30);
	cs_buf_init(&p->b[1].data, (size_t)1 << 30);
	cs_vec_init(&p->msgs, sizeof(char *), 0);
	if (rc)
		return rc;
	if (pthread_mutex_init(&p->mu, NULL))
		return cs_fail(err, CS_ENOMEM, "cannot create a mutex");
	if (pthread_cond_init(&p->cv, NULL)) {
		pthread_mutex_destroy(&p->mu);
		return cs_fail(err, CS_ENOMEM, "cannot create a condition variable");
	}
	if (pthread_create(&p->thread, NULL, writer_main, p)) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		return cs_fail(err, CS_ENOMEM, "cannot start the writer thread");
	}
	p->started = true;
	return CS_OK;
}

/*
 * Writes the last batch, stops the writer and waits for it. Returns the
 * writer's error, if any. Safe to call when the start failed.
 */
static enum cs_err pipeline_finish(struct pipeline *p, struct cs_error *err)
{
	enum cs_err rc = CS_OK;

	if (!p->started)
		return CS_OK;
	if (p->b[p->fill].rows)
		rc = submit(p, err);
	pthread_mutex_lock(&p->mu);
	while (p->pending && !p->fatal)
		pthread_cond_wait(&p->cv, &p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	p->started = false;
	if (!rc && p->fatal) {
		rc = p->fatal;
		if (err)
			*err = p->fatal_err;
	}
	return rc;
}

static void pipeline_release(struct pipeline *p)
{
	for (size_t i = 0; i < p->msgs.len; i++)
		cs_free(*(char **)cs_vec_at(&p->msgs, i));
	cs_vec_release(&p->msgs);
	cs_buf_release(&p->b[0].data);
	cs_buf_release(&p->b[1].data);
	cs_buf_release(&p->fixed);
	cs_buf_release(&p->extra);
	cs_resp_layout_release(&p->layout);
}

static int response_import(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct cs_wave wave;
	struct cs_questionnaire *q = NULL;
	struct cs_unit_set units;
	struct cs_resp_import_report rep;
	struct cs_resp_import_opts opts = {0};
	struct progress prog = {.cli = cli};
	struct pipeline pipe = {0};
	struct input in = {0};
	enum cs_resp_format fmt;
	const char *path = NULL, *wave_code = NULL;
	bool dry_run = false;
	size_t written = 0;
	enum cs_err rc;
	int ret = CLI_OK;

	for (int i = 1; i < argc; i++) {
		const char *val = NULL;
		bool missing = false;

		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = true;
		else if (cli_opt(argc, argv, &i, "--wave", &val, &missing))
			wave_code = val;
		else if (!missing && (argv[i][0] != '-' || argv[i][1] == '\0') && !path)
			path = argv[i];
		else
			return cli_usage(
				cli, "response",
				missing ? L(cli, "%s cần một giá trị", "%s needs a value")
					: L(cli, "đối số thừa '%s'", "unexpected argument '%s'"),
				argv[i]);
	}
	if (!path || !wave_code)
		return cli_usage(cli, "response", "%s",
				 L(cli, "cần TỆP và --wave", "give FILE and --wave"));
	if (!cs_resp_format_from_path(path, &fmt))
		return cli_usage(cli, "response",
				 L(cli, "'%s': cần tệp .csv, .xlsx hoặc .jsonl",
				   "'%s': expected a .csv, .xlsx or .jsonl file"),
				 path);

	cs_unit_set_init(&units);
	cs_resp_import_report_init(&rep);
	if (cli_open_store(cli, 0, &s, &err) || cs_wave_store_find(s, wave_code, &wave, &err) ||
	    cs_questionnaire_store_load(s, wave.questionnaire, wave.questionnaire_version, &q, NULL,
					&err) ||
	    cs_unit_store_load(s, &units, &err) || input_open(path, &in, &err)) {
		ret = cli_fail(&err);
		goto out;
	}
	/* Duplicate ids are found by the database, against this file and the
	 * wave's stored responses alike; a dry run writes inside the
	 * transaction and rolls it back. */
	rc = cs_resp_writer_begin(s, &wave, q, path, &pipe.w, &err);
	if (rc) {
		ret = cli_fail(&err);
		goto out;
	}
	pipe.q = q;
	pipe.path = path;
	pipe.rep = &rep;
	pipe.jsonl = fmt == CS_RESP_JSONL;
	pipe.max_msgs = SHOW_ERRORS;
	rc = pipeline_start(&pipe, &err);
	if (rc) {
		cs_resp_writer_abort(pipe.w);
		ret = cli_fail(&err);
		goto out;
	}
	if (isatty(STDERR_FILENO)) {
		opts.progress = show_progress;
		opts.progress_ctx = &prog;
	}
	opts.max_errors = SHOW_ERRORS;
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	rc = cs_resp_import(q, &units, path, in.data, in.len, fmt, &opts, sink_add, &pipe, &rep,
			    &err);
	if (prog.shown)
		fputc('\n', stderr);
	{
		struct cs_error werr = {0};
		enum cs_err wrc = pipeline_finish(&pipe, &werr);

		if (wrc && (!rc || rc == CS_EPARSE)) {
			rc = wrc;
			err = werr;
		}
	}
	if ((rc == CS_EPARSE && rep.errors) || (!rc && pipe.dups)) {
		size_t shown = 0, total = rep.errors + pipe.dups;

		cs_resp_writer_abort(pipe.w);
		for (size_t i = 0; i < rep.messages.len; i++, shown++)
			fprintf(stderr, "chiso: error: %s\n",
				*(char **)cs_vec_at(&rep.messages, i));
		for (size_t i = 0; i < pipe.msgs.len && shown < SHOW_ERRORS; i++, shown++)
			fprintf(stderr, "chiso: error: %s\n", *(char **)cs_vec_at(&pipe.msgs, i));
		if (total > shown)
			fprintf(stderr,
				L(cli, "chiso: ... và %zu lỗi khác\n", "chiso: ... and %zu more\n"),
				total - shown);
		fprintf(stderr,
			L(cli, "chiso: %zu lỗi trong %zu dòng; không ghi gì vào cơ sở dữ liệu\n",
			  "chiso: %zu problems in %zu rows; nothing was written\n"),
			total, rep.rows);
		ret = CLI_FAIL;
		goto out;
	}
	if (rc) {
		cs_resp_writer_abort(pipe.w);
		ret = cli_fail(&err);
		goto out;
	}
	if (dry_run) {
		cs_resp_writer_abort(pipe.w);
		printf(L(cli, "Kiểm tra %s: %zu phiếu, không có lỗi (không ghi).\n",
			 "Checked %s: %zu responses, no problems (nothing written).\n"),
		       path, rep.rows);
		goto out;
	}
	if (cs_resp_writer_commit(pipe.w, &written, &err)) {
		ret = cli_fail(&err);
		goto out;
	}
	printf(L(cli, "Đã nhập %zu phiếu từ %s vào đợt %s (%.1f giây).\n",
		 "Imported %zu responses from %s into wave %s (%.1f s).\n"),
	       written, path, wave.code, since(&prog.start));
out:
	pipeline_release(&pipe);
	input_close(&in);
	cs_resp_import_report_release(&rep);
	cs_unit_set_release(&units);
	cs_questionnaire_free(q);
	cs_store_close(s);
	return ret;
}

int cmd_response(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(cli, "response", "%s",
				 L(cli, "thiếu lệnh con: import", "missing subcommand: import"));
	if (strcmp(argv[1], "import") == 0)
		return response_import(cli, argc - 1, argv + 1);
	return cli_usage(cli, "response",
			 L(cli, "không có lệnh con '%s'; cần import",
			   "unknown subcommand '%s'; expected import"),
			 argv[1]);
}
