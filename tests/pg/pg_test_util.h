/* What the PostgreSQL tests share: the server the fixture started
 * (INC_PG_DIR), connection strings for its roles, and an admin connection. */
#ifndef INC_PG_TEST_UTIL_H
#define INC_PG_TEST_UTIL_H

#include <stddef.h>

#include <libpq-fe.h>

/* Exit 77 (skipped) when no server was started (no binaries). */
void pg_test_require_server(void);

/* A conninfo for @user with @password (NULL: the role's right one). */
const char *pg_test_conninfo(const char *user, const char *password);

/* The superuser's conninfo (database inc). */
const char *pg_test_admin_conninfo(void);

/* Run SQL as the superuser in database inc; 0 on success. */
int pg_test_admin(const char *sql);

/* Run pg_server.sh @cmd (pause, resume) on the server; 0 on success. */
int pg_test_server(const char *cmd);

#endif
