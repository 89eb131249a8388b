/*
 * The database fixture shared by the PAR store tests (tests/unit/par_fixture.c).
 */
#ifndef CHISO_TESTS_PAR_FIXTURE_H
#define CHISO_TESTS_PAR_FIXTURE_H

#include <stdint.h>

#include "core/framework.h"
#include "store/store.h"
#include "store/unit_store.h"

/* A database with the framework (version 1), units U1, U2, U3 and period 2024. */
struct fixture {
	struct cs_store *s;
	struct cs_framework *fw;
	struct cs_unit_set units;
	struct cs_period period;
};

/* cmocka group setup and teardown: a temporary directory for the databases. */
int make_dir(void **state);
int remove_dir(void **state);

/* cmocka teardown: allocations succeed again. */
int restore_allocator(void **state);

/* The single integer a query returns. */
int64_t q_i64(struct cs_store *s, const char *sql);

/* A: A.1 manual 20, A.2 ratio 30; B.1 manual 50; Y penalty 5; validated. */
struct cs_framework *framework(const char *version);

/* Stores fw with its JSON text. */
void save_framework(struct cs_store *s, const struct cs_framework *fw);

/* A fresh database as struct fixture describes; teardown releases it. */
void setup(struct fixture *f);
void teardown(struct fixture *f);

#endif
