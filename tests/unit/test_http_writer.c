/*
 * Unit tests for the write queue (http/writer.h): writes from many threads
 * all committed, group commit batching what waits, a failing write leaving
 * the rest of its batch alone, writes that own their transaction, draining
 * at stop, and out-of-memory at start.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>
#include <sched.h>

#include <cmocka.h>

#include "http/writer.h"
#include "store/store.h"
#include "util/alloc.h"

#include "util/banned.h"

struct fixture {
	char path[512];
	struct cs_store *s;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	int fd;

	assert_non_null(f);
	snprintf(f->path, sizeof(f->path), "%s/chiso-writer-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->path);
	assert_int_equal(cs_store_open(f->path, CS_STORE_CREATE, &f->s, NULL), CS_OK);
	assert_int_equal(
		cs_store_exec(f->s, "create table t (k text primary key, v integer)", NULL), CS_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char side[600];

	cs_alloc_fail_after(-1);
	cs_store_close(f->s);
	unlink(f->path);
	snprintf(side, sizeof(side), "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", f->path);
	unlink(side);
	free(f);
	return 0;
}

/* Rows in t, read through a handle of its own (what another process sees). */
static int64_t count_rows(const char *path, const char *where)
{
	struct cs_store *s = NULL;
	struct cs_stmt *st = NULL;
	char sql[256];
	bool row = false;
	int64_t n;

	assert_int_equal(cs_store_open(path, 0, &s, NULL), CS_OK);
	snprintf(sql, sizeof(sql), "select count(*) from t%s%s", where ? " where " : "",
		 where ? where : "");
	assert_int_equal(cs_stmt_prepare(s, sql, &st, NULL), CS_OK);
	assert_int_equal(cs_stmt_step(st, &row, NULL), CS_OK);
	assert_true(row);
	n = cs_stmt_i64(st, 0);
	cs_stmt_free(st);
	cs_store_close(s);
	return n;
}

/* A row to insert: apply's argument. */
struct row {
	char k[32];
	int v;
};

static enum cs_err insert_row(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct row *r = arg;
	struct cs_stmt *st = NULL;
	enum cs_err rc = cs_stmt_prepare(s, "insert into t (k, v) values (?, ?)", &st, err);

	if (!rc)
		rc = cs_stmt_bind_textz(st, 1, r->k, err);
	if (!rc)
		rc = cs_stmt_bind_i64(st, 2, r->v, err);
	if (!rc)
		rc = cs_stmt_run(st, err);
	cs_stmt_free(st);
	return rc;
}

struct thread_arg {
	struct http_writer *wr;
	int id;
	int n;
	int failures;
};

static void *insert_many(void *p)
{
	struct thread_arg *a = p;

	for (int i = 0; i < a->n; i++) {
		struct row r;

		snprintf(r.k, sizeof(r.k), "t%d-%d", a->id, i);
		r.v = i;
		if (http_writer_run(a->wr, insert_row, &r, 0, NULL) != CS_OK)
			a->failures++;
	}
	return NULL;
}

static void test_many_threads_all_committed(void **state)
{
	struct fixture *f = *state;
	struct http_writer *wr = NULL;
	struct http_writer_stats st;
	struct thread_arg args[8];
	pthread_t th[8];

	assert_int_equal(http_writer_new(f->s, 0, &wr, NULL), CS_OK);
	for (int i = 0; i < 8; i++) {
		args[i] = (struct thread_arg){wr, i, 40, 0};
		assert_int_equal(pthread_create(&th[i], NULL, insert_many, &args[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].failures, 0);
	}
	http_writer_stats(wr, &st);
	http_writer_free(wr);
	assert_int_equal(st.writes, 320);
	assert_true(st.batches >= 1 && st.batches <= 320);
	assert_int_equal(count_rows(f->path, NULL), 320);
}

/*
 * A write that holds the writer until the test lets it go, so that the test
 * can queue writes behind it and know they form the next batch.
 */
struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool entered, open;
	struct http_write w;
};

static enum cs_err gate_apply(struct cs_store *s, void *arg, struct cs_error *err)
{
	struct gate *g = arg;

	(void)s;
	(void)err;
	pthread_mutex_lock(&g->mu);
	g->entered = true;
	pthread_cond_broadcast(&g->cv);
	while (!g->open)
		pthread_cond_wait(&g->cv, &g->mu);
	pthread_mutex_unlock(&g->mu);
	return CS_OK;
}

static void gate_done(struct http_write *w)
{
	(void)w;
}

/* Queues the gate and waits until the writer is inside it. */
static void gate_close(struct http_writer *wr, struct gate *g)
{
	memset(g, 0, sizeof(*g));
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	g->w.apply = gate_apply;
	g->w.done = gate_done;
	g->w.arg = g;
	assert_int_equal(http_writer_submit(wr, &g->w, NULL), CS_OK);
	pthread_mutex_lock(&g->mu);
	while (!g->entered)
		pthread_cond_wait(&g->cv, &g->mu);
	pthread_mutex_unlock(&g->mu);
}

static void gate_open(struct gate *g)
{
	pthread_mutex_lock(&g->mu);
	g->open = true;
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
}

static void gate_destroy(struct gate *g)
{
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
}

/* Async writes with a completion counter. */
struct pending {
	struct http_write w;
	struct row r;
	int *done_count;
	pthread_mutex_t *mu;
};

static void count_done(struct http_write *w)
{
	struct pending *p = (struct pending *)w;

	pthread_mutex_lock(p->mu);
	(*p->done_count)++;
	pthread_mutex_unlock(p->mu);
}

static void test_group_commit_batches_waiting_writes(void **state)
{
	struct fixture *f = *state;
	struct http_writer *wr = NULL;
	struct pending p[50];
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	int done = 0;
	struct gate g;

	assert_int_equal(http_writer_new(f->s, 0, &wr, NULL), CS_OK);
	gate_close(wr, &g);
	for (int i = 0; i < 50; i++) {
		p[i] = (struct pending){.w = {.apply = insert_row, .done = count_done},
					.done_count = &done,
					.mu = &mu};
		p[i].w.arg = &p[i].r;
		snprintf(p[i].r.k, sizeof(p[i].r.k), "g%d", i);
		assert_int_equal(http_writer_submit(wr, &p[i].w, NULL), CS_OK);
	}
	gate_open(&g);
	http_writer_free(wr); /* finishes the queue before returning */
	gate_destroy(&g);
	assert_int_equal(done, 50);
	for (int i = 0; i < 50; i++)
		assert_int_equal(p[i].w.rc, CS_OK);
	assert_int_equal(count_rows(f->path, NULL), 50);
}

static void test_stats_count_batches(void **state)
{
	struct fixture *f = *state;
	struct http_writer *wr = NULL;
	struct http_writer_stats st;
	struct pending p[30];
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	int done = 0;
	struct gate g;

	assert_int_equal(http_writer_new(f->s, 12, &wr, NULL), CS_OK);
	gate_close(wr, &g);
	for (int i = 0; i < 30; i++) {
		p[i] = (struct pending){.w = {.apply = insert_row, .done = count_done},
					.done_count = &done,
					.mu = &mu};
		p[i].w.arg = &p[i].r;
		snprintf(p[i].r.k, sizeof(p[i].r.k), "s%d", i);
		assert_int_equal(http_writer_submit(wr, &p[i].w, NULL), CS_OK);
	}
	gate_open(&g);
	/* The gate's batch, then 12 + 12 + 6. */
	while (1) {
		pthread_mutex_lock(&mu);
		if (done == 30) {
			pthread_mutex_unlock(&mu);
			break;
		}
		pthread_mutex_unlock(&mu);
		sched_yield();
	}
	http_writer_stats(wr, &st);
	http_writer_free(wr);
	gate_destroy(&g);
	assert_int_equal(st.writes, 31);
	assert_int_equal(st.batches, 4);
	assert_int_equal(st.largest, 12);
}

static void test_failing_write_leaves_batch_alone(void **state)
{
	struct fixture *f = *state;
	struct http_writer *wr = NULL;
	struct pending p[4];
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	int done = 0;
	struct gate g;
	static const char *keys[4] = {"a", "a", "b", "c"};

	assert_int_equal(http_writer_new(f->s, 0, &wr, NULL), CS_OK);
	gate_close(wr, &g);
	for (int i = 0; i < 4; i++) {
		p[i] = (struct pending){.w = {.apply = insert_row, .done = count_done},
					.done_count = &done,
					.mu = &mu};
		p[i].w.arg = &p[i].r;
		snprintf(p[i].r.k, sizeof(p[i].r.k), "%s", keys[i]);
		p[i].r.v = i;
		assert_int_equal(http_writer_submit(wr, &p[i].w, NULL), CS_OK);
	}
	gate_open(&g);
	http_writer_free(wr);
	gate_destroy(&g);
	assert_int_equal(done, 4);
	assert_int_equal(p[0].w.rc, CS_OK);
	assert_int_equal(p[1].w.rc, CS_EEXIST); /* the duplicate key, alone */
	assert_non_null(strstr(p[1].w.err.msg, "UNIQUE"));
	assert_int_equal(p[2].w.rc, CS_OK);
	assert_int_equal(p[3].w.rc, CS_OK);
	assert_int_equal(count_rows(f->path, NULL), 3);
	assert_int_equal(count_rows(f->path, "k = 'a' and v = 0"), 1);
}

static void test_single_failing_write(void **state)
{
	struct fixture *f = *state;
	struct http_writer *wr = NULL;
	struct row r = {"x", 1};
	struct cs_error err = {0};

	assert_int_equal(http_writer_new(f->s, 0, &wr, NULL), CS_OK);
	assert_int_equal(http_writer_run(wr, insert_row, &r, 0, &err), CS_OK);
	assert_int_equal(http_writer_run(wr, insert_row, &r, 0, &err), CS_EEXIST);
	r.k[0] = 'y';
	assert_int_equal(http_writer_run(wr, insert_row, &r, 0, &err), CS_OK);
	http_writer_free(wr);
	assert_int_equal(count_rows(f->path, NULL), 2);
}

static enum cs_err own_txn_ok(struct cs_store *s, void *arg, struct cs_error *err)
{
	enum cs_err rc = cs_store_begin(s, err);

	if (!rc)
		rc = insert_row(s, arg, err);
	if (!rc)
		rc = cs_store_commit(s, err);
	else
		cs_store_rollback(s);
	return rc;
}

/* Begins, writes, and returns an error without rolling back. */
static enum cs_err own_txn_sloppy(struct cs_store *s, void *arg, struct cs_error *err)
{
	enum cs_err rc = cs_store_begin(s, err);

	if (!rc)
		rc = insert_row(s, arg, err);
	return rc ? rc : cs_fail(err, CS_EINVAL, "changed my mind");
}

static void test_own_transaction(void **state)
{
	struct fixture *f = *state;
	struct http_writer *wr = NULL;
	struct row a = {"own1", 1}, b = {"own2", 2}, c = {"after", 3};
	struct cs_error err = {0};

	assert_int_equal(http_writer_new(f->s, 0, &wr, NULL), CS_OK);
	assert_int_equal(http_writer_run(wr, own_txn_ok, &a, HTTP_WRITE_OWN_TXN, &err), CS_OK);
	assert_int_equal(http_writer_run(wr, own_txn_sloppy, &b, HTTP_WRITE_OWN_TXN, &err),
			 CS_EINVAL);
	assert_string_equal(err.msg, "changed my mind");
	/* The sloppy write's transaction was rolled back, not left open. */
	assert_int_equal(http_writer_run(wr, insert_row, &c, 0, &err), CS_OK);
	http_writer_free(wr);
	assert_int_equal(count_rows(f->path, NULL), 2);
	assert_int_equal(count_rows(f->path, "k = 'own2'"), 0);
}

/* Frees the writer from another thread, so the test can watch it stop. */
static void *free_writer(void *p)
{
	http_writer_free(p);
	return NULL;
}

static void test_stop_refuses_new_and_drains_queued(void **state)
{
	struct fixture *f = *state;
	struct http_writer *wr = NULL;
	enum {
		N = 4096
	};
	struct pending *p = calloc(N, sizeof(*p));
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	int done = 0, accepted = 0;
	struct cs_error err = {0};
	enum cs_err rc = CS_OK;
	pthread_t th;
	struct gate g;

	assert_non_null(p);
	assert_int_equal(http_writer_new(f->s, 0, &wr, NULL), CS_OK);
	gate_close(wr, &g);
	assert_int_equal(pthread_create(&th, NULL, free_writer, wr), 0);
	/* Queue until the stop is seen: every write taken before must still
	 * be committed and answered. */
	for (int i = 0; i < N; i++) {
		p[i] = (struct pending){.w = {.apply = insert_row, .done = count_done},
					.done_count = &done,
					.mu = &mu};
		p[i].w.arg = &p[i].r;
		snprintf(p[i].r.k, sizeof(p[i].r.k), "d%d", i);
		rc = http_writer_submit(wr, &p[i].w, &err);
		if (rc)
			break;
		accepted++;
		sched_yield();
	}
	assert_int_equal(rc, CS_ESTATE);
	assert_non_null(strstr(err.msg, "shutting down"));
	gate_open(&g);
	pthread_join(th, NULL);
	gate_destroy(&g);
	assert_int_equal(done, accepted);
	assert_int_equal(count_rows(f->path, NULL), accepted);
	free(p);
}

static void test_new_out_of_memory(void **state)
{
	struct fixture *f = *state;

	for (long n = 0;; n++) {
		struct http_writer *wr = (struct http_writer *)1;
		struct cs_error err = {0};
		enum cs_err rc;

		cs_alloc_fail_after(n);
		rc = http_writer_new(f->s, 0, &wr, &err);
		cs_alloc_fail_after(-1);
		if (rc == CS_OK) {
			assert_non_null(wr);
			http_writer_free(wr);
			assert_true(n >= 1);
			break;
		}
		assert_int_equal(rc, CS_ENOMEM);
		assert_null(wr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_many_threads_all_committed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit_batches_waiting_writes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stats_count_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_write_leaves_batch_alone, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_single_failing_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_own_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_refuses_new_and_drains_queued, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_new_out_of_memory, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
