/*
 * Numbered schema migrations, embedded from src/store/migrations/NNNN_*.sql
 * at build time. Version n is cs_migrations[n - 1]; versions have no gaps.
 */
#ifndef CHISO_STORE_MIGRATIONS_H
#define CHISO_STORE_MIGRATIONS_H

struct cs_migration {
	int version;
	const char *name;
	const char *sql; /* portable DDL; @ID@ stands for the backend's id column */
};

extern const struct cs_migration cs_migrations[];
extern const unsigned cs_migration_count;

#endif
