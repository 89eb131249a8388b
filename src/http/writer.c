/*
 * The write queue and its thread (see writer.h). Writes wait in a linked list
 * under one mutex; the thread takes all that are waiting (up to batch_max),
 * runs them in one transaction with a savepoint around each, commits, and
 * then calls each write's done. While it commits, new writes gather for the
 * next batch, which is what makes batches grow with load.
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "http/writer.h"
#include "util/alloc.h"

#include "util/banned.h"

#define BATCH_MAX_DEFAULT 256

struct http_writer {
	struct cs_store *s;
	size_t batch_max;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct http_write *head, *tail; /* waiting writes, oldest first */
	bool stopping;
	struct http_writer_stats stats;
};

static void finish_all(struct http_write *list)
{
	while (list) {
		struct http_write *next = list->next;

		/* done may free or reuse the struct: next is read first. */
		list->next = NULL;
		list->done(list);
		list = next;
	}
}

static void fail_all(struct http_write *list, enum cs_err rc, const struct cs_error *err)
{
	for (struct http_write *w = list; w; w = w->next) {
		w->rc = rc;
		w->err = *err;
	}
}

/* A write that manages its own transaction, run alone. */
static void run_alone(struct http_writer *wr, struct http_write *w)
{
	w->rc = w->apply(wr->s, w->arg, &w->err);
	/* A write that returns with its transaction open would otherwise hold
	 * the write lock for ever; undoing it is the only safe reading. */
	cs_store_rollback(wr->s);
}

/*
 * Runs apply under a savepoint, so that a failing write leaves the batch's
 * other writes alone. Returns false when the savepoint machinery itself
 * failed, after which the transaction cannot be trusted.
 */
static bool run_in_savepoint(struct http_writer *wr, struct http_write *w)
{
	struct cs_error e = {0};

	w->rc = cs_store_exec(wr->s, "savepoint chiso_write", &w->err);
	if (w->rc)
		return false;
	w->rc = w->apply(wr->s, w->arg, &w->err);
	if (w->rc && cs_store_exec(wr->s, "rollback to savepoint chiso_write", &e) != CS_OK)
		return false;
	return cs_store_exec(wr->s, "release savepoint chiso_write", &e) == CS_OK;
}

/* Runs a batch of writes in one transaction and commits it. */
static void run_batch(struct http_writer *wr, struct http_write *list, size_t n)
{
	struct cs_error err = {0};
	enum cs_err rc;

	rc = cs_store_begin(wr->s, &err);
	if (rc) {
		fail_all(list, rc, &err);
		return;
	}
	if (n == 1) {
		/* Nothing else to protect: no savepoint, the transaction is it. */
		list->rc = list->apply(wr->s, list->arg, &list->err);
		if (list->rc) {
			cs_store_rollback(wr->s);
			return;
		}
	} else {
		for (struct http_write *w = list; w; w = w->next) {
			if (!run_in_savepoint(wr, w)) {
				cs_store_rollback(wr->s);
				rc = w->rc ? w->rc : CS_ESTORE;
				cs_fail(&err, rc, "a batch of writes failed: %s",
					w->err.msg[0] ? w->err.msg : cs_strerror(rc));
				fail_all(list, rc, &err);
				return;
			}
		}
	}
	rc = cs_store_commit(wr->s, &err);
	if (rc) {
		/* The commit rolled everything back, the writes that had
		 * succeeded included: they fail with the commit's error. */
		for (struct http_write *w = list; w; w = w->next) {
			if (w->rc == CS_OK) {
				w->rc = rc;
				w->err = err;
			}
		}
	}
}

/*
 * Takes the next batch off the queue (the caller holds the lock): one write
 * that runs alone, or up to batch_max writes that share a transaction.
 */
static struct http_write *take_batch(struct http_writer *wr, size_t *n)
{
	struct http_write *first = wr->head, *last = first;

	*n = 1;
	if (!(first->flags & HTTP_WRITE_OWN_TXN)) {
		while (last->next && !(last->next->flags & HTTP_WRITE_OWN_TXN) &&
		       *n < wr->batch_max) {
			last = last->next;
			(*n)++;
		}
	}
	wr->head = last->next;
	if (!wr->head)
		wr->tail = NULL;
	last->next = NULL;
	return first;
}

static void *writer_main(void *arg)
{
	struct http_writer *wr = arg;

	pthread_mutex_lock(&wr->mu);
	for (;;) {
		struct http_write *batch;
		size_t n;

		while (!wr->head && !wr->stopping)
			pthread_cond_wait(&wr->cv, &wr->mu);
		if (!wr->head)
			break;
		batch = take_batch(wr, &n);
		pthread_mutex_unlock(&wr->mu);

		for (struct http_write *w = batch; w; w = w->next) {
			w->rc = CS_OK;
			cs_error_clear(&w->err);
		}
		if (batch->flags & HTTP_WRITE_OWN_TXN)
			run_alone(wr, batch);
		else
			run_batch(wr, batch, n);

		/* Counted before anyone is told, so that a caller who has
		 * its answer finds it in the counters. */
		pthread_mutex_lock(&wr->mu);
		wr->stats.writes += n;
		wr->stats.batches++;
		if (n > wr->stats.largest)
			wr->stats.largest = n;
		pthread_mutex_unlock(&wr->mu);
		finish_all(batch);
		pthread_mutex_lock(&wr->mu);
	}
	pthread_mutex_unlock(&wr->mu);
	return NULL;
}

/* Asks the backend to make a commit wait until it is on disk. */
static enum cs_err make_durable(struct cs_store *s, struct cs_error *err)
{
	/* In WAL mode synchronous=NORMAL survives a crash of the program
	 * but may lose the last commits on a power cut; FULL syncs the log
	 * at every commit, which is what an acknowledgement promises.
	 * PostgreSQL is durable at commit by default. */
	if (strcmp(cs_store_backend(s), "sqlite") != 0)
		return CS_OK;
	return cs_store_exec(s, "pragma synchronous=FULL", err);
}

enum cs_err http_writer_new(struct cs_store *s, size_t batch_max, struct http_writer **out,
			    struct cs_error *err)
{
	struct http_writer *wr;
	enum cs_err rc;

	*out = NULL;
	rc = make_durable(s, err);
	if (rc)
		return rc;
	wr = cs_calloc(1, sizeof(*wr));
	if (!wr)
		return cs_fail(err, CS_ENOMEM, NULL);
	wr->s = s;
	wr->batch_max = batch_max ? batch_max : BATCH_MAX_DEFAULT;
	if (pthread_mutex_init(&wr->mu, NULL) != 0) {
		cs_free(wr);
		return cs_fail(err, CS_EINTERNAL, "cannot create the write queue's lock");
	}
	if (pthread_cond_init(&wr->cv, NULL) != 0) {
		pthread_mutex_destroy(&wr->mu);
		cs_free(wr);
		return cs_fail(err, CS_EINTERNAL, "cannot create the write queue's condition");
	}
	if (pthread_create(&wr->thread, NULL, writer_main, wr) != 0) {
		pthread_cond_destroy(&wr->cv);
		pthread_mutex_destroy(&wr->mu);
		cs_free(wr);
		return cs_fail(err, CS_EINTERNAL, "cannot start the writer thread");
	}
	*out = wr;
	return CS_OK;
}

enum cs_err http_writer_submit(struct http_writer *wr, struct http_write *w, struct cs_error *err)
{
	w->next = NULL;
	pthread_mutex_lock(&wr->mu);
	if (wr->stopping) {
		pthread_mutex_unlock(&wr->mu);
		return cs_fail(err, CS_ESTATE, "the server is shutting down; no more writes taken");
	}
	if (wr->tail)
		wr->tail->next = w;
	else
		wr->head = w;
	wr->tail = w;
	pthread_cond_signal(&wr->cv);
	pthread_mutex_unlock(&wr->mu);
	return CS_OK;
}

/* A write and what its submitter waits on; w first, so done can find the rest. */
struct waiter {
	struct http_write w;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool finished;
};

static void wake_waiter(struct http_write *w)
{
	struct waiter *wt = (struct waiter *)w;

	pthread_mutex_lock(&wt->mu);
	wt->finished = true;
	pthread_cond_signal(&wt->cv);
	pthread_mutex_unlock(&wt->mu);
}

enum cs_err http_writer_run(struct http_writer *wr,
			    enum cs_err (*apply)(struct cs_store *s, void *arg,
						 struct cs_error *err),
			    void *arg, unsigned flags, struct cs_error *err)
{
	struct waiter wt = {.w = {.apply = apply, .done = wake_waiter, .arg = arg, .flags = flags}};
	enum cs_err rc;

	if (pthread_mutex_init(&wt.mu, NULL) != 0)
		return cs_fail(err, CS_EINTERNAL, "cannot create a lock to wait on");
	if (pthread_cond_init(&wt.cv, NULL) != 0) {
		pthread_mutex_destroy(&wt.mu);
		return cs_fail(err, CS_EINTERNAL, "cannot create a condition to wait on");
	}
	rc = http_writer_submit(wr, &wt.w, err);
	if (!rc) {
		pthread_mutex_lock(&wt.mu);
		while (!wt.finished)
			pthread_cond_wait(&wt.cv, &wt.mu);
		pthread_mutex_unlock(&wt.mu);
		rc = wt.w.rc;
		if (rc && err)
			*err = wt.w.err;
	}
	pthread_cond_destroy(&wt.cv);
	pthread_mutex_destroy(&wt.mu);
	return rc;
}

void http_writer_stats(struct http_writer *wr, struct http_writer_stats *out)
{
	pthread_mutex_lock(&wr->mu);
	*out = wr->stats;
	pthread_mutex_unlock(&wr->mu);
}

void http_writer_free(struct http_writer *wr)
{
	if (!wr)
		return;
	pthread_mutex_lock(&wr->mu);
	wr->stopping = true;
	pthread_cond_signal(&wr->cv);
	pthread_mutex_unlock(&wr->mu);
	pthread_join(wr->thread, NULL);
	pthread_cond_destroy(&wr->cv);
	pthread_mutex_destroy(&wr->mu);
	cs_free(wr);
}
