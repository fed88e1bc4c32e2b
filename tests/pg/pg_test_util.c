#include "pg_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *dir(void)
{
    const char *d = getenv("INC_PG_DIR");
    return d && *d ? d : NULL;
}

void pg_test_require_server(void)
{
    char sock[512];
    struct stat st;
    if (!dir()) {
        fprintf(stderr, "INC_PG_DIR is not set: no PostgreSQL server, skipped\n");
        exit(77);
    }
    snprintf(sock, sizeof(sock), "%s/.s.PGSQL.5432", dir());
    if (stat(sock, &st) != 0) {
        fprintf(stderr, "no PostgreSQL server at %s (binaries absent?): skipped\n", dir());
        exit(77);
    }
}

const char *pg_test_conninfo(const char *user, const char *password)
{
    static char buf[4][600];
    static int next;
    char *out = buf[next++ % 4];
    if (!password)
        password = strcmp(user, "inc_ro") == 0 ? "ro-secret" : "inc-secret";
    snprintf(out, sizeof(buf[0]),
             "host=%s port=5432 dbname=inc user=%s password=%s connect_timeout=5", dir(), user,
             password);
    return out;
}

const char *pg_test_admin_conninfo(void)
{
    return pg_test_conninfo("postgres", "super-secret");
}

int pg_test_admin(const char *sql)
{
    PGconn *c = PQconnectdb(pg_test_admin_conninfo());
    PGresult *r;
    int ok;
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "admin connection: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    r = PQexec(c, sql);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "admin: %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
}

int pg_test_server(const char *cmd)
{
    char line[1200];
    const char *script = getenv("INC_PG_SCRIPT");
    if (!script)
        return -1;
    snprintf(line, sizeof(line), "bash '%s' %s '%s'", script, cmd, dir());
    return system(line) == 0 ? 0 : -1;
}
