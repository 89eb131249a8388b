/*
 * The write queue: one thread owns the database handle that writes, takes the
 * writes that request threads queue, runs up to a batch of them in one
 * transaction and commits it durably (SQLite synchronous=FULL) before telling
 * each request its outcome. One fsync acknowledges a whole batch (group
 * commit), so throughput grows with load while every acknowledged write has
 * reached the disk.
 */
#ifndef CHISO_HTTP_WRITER_H
#define CHISO_HTTP_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "chiso/error.h"
#include "store/store.h"

struct http_writer;

enum http_write_flags {
	/*
	 * The write begins and commits its own transaction (as the store's
	 * functions that take a whole import do) and therefore runs alone,
	 * between batches. Without this flag apply must not begin, commit or
	 * roll back: it runs inside the batch's transaction, under a savepoint
	 * that undoes its changes alone when it fails.
	 */
	HTTP_WRITE_OWN_TXN = 1 << 0,
};

/*
 * One write. The caller owns the struct and keeps it alive until done has
 * been called; the queue links it in place, so queueing never allocates.
 */
struct http_write {
	/* Set by the caller before http_writer_submit. */
	enum cs_err (*apply)(struct cs_store *s, void *arg, struct cs_error *err);
	void (*done)(struct http_write *w); /* on the writer thread; must not block */
	void *arg;
	unsigned flags; /* enum http_write_flags */

	/*
	 * Set by the writer before done: CS_OK once the write is committed
	 * and on disk; apply's error when apply failed (nothing of it was
	 * written); the commit's error when the batch could not be committed.
	 */
	enum cs_err rc;
	struct cs_error err;

	struct http_write *next; /* private to the queue */
};

/* Counters, for tests and the benchmark report. */
struct http_writer_stats {
	uint64_t writes;  /* writes completed, successful or not */
	uint64_t batches; /* transactions committed or attempted */
	uint64_t largest; /* most writes in one batch */
};

/*
 * Starts the writer thread on s, which the writer uses alone from then on
 * until http_writer_free returns (the caller still owns and closes it). The
 * handle is switched to synchronous=FULL, so that a commit returns only once
 * the write-ahead log is on disk. batch_max is the most writes per
 * transaction (0 picks 256). CS_ENOMEM, CS_ESTORE when the handle refuses the
 * setting, CS_EINTERNAL when no thread can be started. The caller frees *out
 * with http_writer_free.
 */
enum cs_err http_writer_new(struct cs_store *s, size_t batch_max, struct http_writer **out,
			    struct cs_error *err);

/*
 * Queues w; w->done is called later on the writer thread (possibly before
 * this function returns). CS_ESTATE once the writer is stopping, and then
 * done is not called.
 */
enum cs_err http_writer_submit(struct http_writer *wr, struct http_write *w, struct cs_error *err);

/*
 * Queues a write and waits for its outcome: returns w's rc and copies its
 * error into err. For callers that may block (tests, command-line tools).
 */
enum cs_err http_writer_run(struct http_writer *wr,
			    enum cs_err (*apply)(struct cs_store *s, void *arg,
						 struct cs_error *err),
			    void *arg, unsigned flags, struct cs_error *err);

/* A snapshot of the counters. */
void http_writer_stats(struct http_writer *wr, struct http_writer_stats *out);

/*
 * Stops taking writes, finishes every write already queued (each gets its
 * done call), and ends the thread. NULL is a no-op.
 */
void http_writer_free(struct http_writer *wr);

#endif
