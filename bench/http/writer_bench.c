/*
 * Benchmark of the write queue alone (src/http/writer.c): durable inserts of
 * a survey-response-sized row, with a given number of writes in flight, as
 * suspended HTTP requests would keep them. Shows what group commit buys over
 * one fsync per write. Usage: bench_writer DB [IN_FLIGHT [WRITES]]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/writer.h"
#include "store/store.h"
#include "util/str.h"

#include "util/banned.h"

/* About what one SIPAS response weighs: a dozen answers and a comment. */
static const char answer[] = "{\"q01\":5,\"q02\":4,\"q03\":4,\"q04\":5,\"q05\":3,\"q06\":4,"
			     "\"q07\":5,\"q08\":4,\"q09\":4,\"q10\":5,\"q11\":4,\"q12\":5,"
			     "\"comment\":\"Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn.\"}";

struct job {
	struct http_write w;
	int64_t id;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long in_flight, finished, failed;
static struct cs_stmt *insert;

static enum cs_err apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct job *j = arg;
	enum cs_err rc = cs_stmt_bind_i64(insert, 1, j->id, err);

	(void)s;
	if (!rc)
		rc = cs_stmt_bind_textz(insert, 2, answer, err);
	if (!rc)
		rc = cs_stmt_run(insert, err);
	return rc;
}

static void done(struct http_write *w)
{
	pthread_mutex_lock(&mu);
	if (w->rc)
		failed++;
	in_flight--;
	finished++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
}

static long arg_or(int argc, char **argv, int i, long dflt)
{
	int64_t v;

	if (argc <= i || cs_str_to_i64(cs_str_from(argv[i]), &v, NULL) != CS_OK || v < 1)
		return dflt;
	return (long)v;
}

int main(int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_store *s = NULL;
	struct http_writer *wr = NULL;
	struct http_writer_stats st;
	struct timespec t0, t1;
	struct job *jobs;
	long window, n;
	double secs;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_writer DB [IN_FLIGHT [WRITES]]\n");
		return 2;
	}
	window = arg_or(argc, argv, 2, 64);
	n = arg_or(argc, argv, 3, 20000);
	jobs = calloc((size_t)n, sizeof(*jobs));
	if (!jobs || cs_store_open(argv[1], CS_STORE_CREATE, &s, &err) ||
	    cs_store_exec(s,
			  "create table if not exists bench_response (id integer primary key, "
			  "answers text not null); delete from bench_response",
			  &err) ||
	    cs_stmt_prepare(s, "insert into bench_response (id, answers) values (?, ?)", &insert,
			    &err) ||
	    http_writer_new(s, 0, &wr, &err)) {
		fprintf(stderr, "bench_writer: %s\n", err.msg[0] ? err.msg : "out of memory");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(&mu);
		while (in_flight >= window)
			pthread_cond_wait(&cv, &mu);
		in_flight++;
		pthread_mutex_unlock(&mu);
		jobs[i].id = i + 1;
		jobs[i].w.apply = apply;
		jobs[i].w.done = done;
		jobs[i].w.arg = &jobs[i];
		if (http_writer_submit(wr, &jobs[i].w, &err) != CS_OK) {
			fprintf(stderr, "bench_writer: %s\n", err.msg);
			return 1;
		}
	}
	pthread_mutex_lock(&mu);
	while (finished < n)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	http_writer_stats(wr, &st);
	http_writer_free(wr);
	cs_stmt_free(insert);
	cs_store_close(s);
	free(jobs);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("in_flight=%ld writes=%ld writes_per_s=%.0f batches=%llu mean_batch=%.1f "
	       "largest=%llu failed=%ld\n",
	       window, n, (double)n / secs, (unsigned long long)st.batches,
	       (double)st.writes / (double)(st.batches ? st.batches : 1),
	       (unsigned long long)st.largest, failed);
	return failed ? 1 : 0;
}
