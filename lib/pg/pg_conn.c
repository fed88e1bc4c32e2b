/* The connection of a PostgreSQL store: connecting and reconnecting,
 * running a statement, turning a failure into a status code with a message
 * that never shows the password, and the schema (created or checked once
 * per open, under an advisory lock so that two first opens do not race). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg/pg_internal.h"
#include "util/error.h"

int inc__pg_password_of(const char *conninfo, char **password, inc_error *err)
{
    char *why = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &why), *o;
    *password = NULL;
    if (!opts) {
        /* libpq's message may quote the string: do not relay it. */
        PQfreemem(why);
        return inc_error_set(err, INC_EINVAL, "PostgreSQL: the connection string does not parse");
    }
    for (o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && o->val[0]) {
            *password = strdup(o->val);
            if (!*password) {
                PQconninfoFree(opts);
                return inc__error_oom(err);
            }
        }
    PQconninfoFree(opts);
    return INC_OK;
}

void inc__pg_clean_message(const pg_store *ps, const char *msg, char *out, size_t size)
{
    size_t n = 0, plen = ps->password ? strlen(ps->password) : 0;
    const char *p = msg ? msg : "";
    while (*p && n + 1 < size) {
        if (plen && strncmp(p, ps->password, plen) == 0) {
            const char *mask = "***";
            while (*mask && n + 1 < size)
                out[n++] = *mask++;
            p += plen;
            continue;
        }
        out[n++] = (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
        p++;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = 0;
}

int inc__pg_lost(const pg_store *ps)
{
    return !ps->conn || PQstatus(ps->conn) != CONNECTION_OK;
}

int inc__pg_connect(pg_store *ps, inc_error *err)
{
    char msg[200];
    if (ps->conn && PQstatus(ps->conn) == CONNECTION_OK)
        return INC_OK;
    if (ps->conn)
        PQfinish(ps->conn);
    ps->listening = ps->prepared = 0;
    ps->missed = 1;
    ps->conn = PQconnectdb(ps->conninfo);
    if (!ps->conn)
        return inc__error_oom(err);
    if (PQstatus(ps->conn) != CONNECTION_OK) {
        inc__pg_clean_message(ps, PQerrorMessage(ps->conn), msg, sizeof(msg));
        PQfinish(ps->conn);
        ps->conn = NULL;
        return inc_error_set(err, INC_EIO, "PostgreSQL: cannot connect: %s", msg);
    }
    return INC_OK;
}

/* The status code of a SQLSTATE. */
static int code_of_state(const char *state)
{
    if (!state)
        return INC_EIO;
    if (strcmp(state, "23505") == 0) /* unique_violation: another writer won */
        return INC_ECONFLICT;
    /* insufficient_privilege; invalid_schema_name: no schema the role may
     * create in (no USAGE on it) */
    if (strcmp(state, "42501") == 0 || strcmp(state, "3F000") == 0)
        return INC_EPERM;
    if (strncmp(state, "53", 2) == 0 && strcmp(state, "53100") != 0) /* out of memory etc. */
        return INC_ENOMEM;
    return INC_EIO;
}

int inc__pg_fail(pg_store *ps, PGresult *res, const char *what, inc_error *err)
{
    char msg[200];
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    int code = code_of_state(state);
    if (inc__pg_lost(ps)) {
        inc__pg_clean_message(ps, ps->conn ? PQerrorMessage(ps->conn) : "", msg, sizeof(msg));
        PQclear(res);
        return inc_error_set(err, INC_EIO, "PostgreSQL: %s: connection lost: %s", what,
                             msg[0] ? msg : "no reason given");
    }
    inc__pg_clean_message(ps, res ? PQresultErrorMessage(res) : PQerrorMessage(ps->conn), msg,
                          sizeof(msg));
    PQclear(res);
    if (code == INC_EPERM)
        return inc_error_set(err, code, "PostgreSQL: %s: the role lacks the rights: %s", what, msg);
    return inc_error_set(err, code, "PostgreSQL: %s: %s", what, msg);
}

/* Keep *res when the statement succeeded; otherwise report why (clearing
 * it) and set *res to NULL. */
static int take_result(pg_store *ps, PGresult **res, const char *what, inc_error *err)
{
    ExecStatusType st;
    int rc;
    if (!*res)
        return inc__pg_fail(ps, NULL, what, err);
    st = PQresultStatus(*res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return INC_OK;
    rc = inc__pg_fail(ps, *res, what, err);
    *res = NULL;
    return rc;
}

int inc__pg_exec(pg_store *ps, const char *sql, int n, const char *const *values,
                 const int *lengths, const int *formats, PGresult **res, const char *what,
                 inc_error *err)
{
    int rc = inc__pg_connect(ps, err);
    *res = NULL;
    if (rc != INC_OK)
        return rc;
    *res = PQexecParams(ps->conn, sql, n, NULL, values, lengths, formats, 1);
    return take_result(ps, res, what, err);
}

int inc__pg_exec_prepared(pg_store *ps, int which, const char *sql, int n,
                          const char *const *values, const int *lengths, const int *formats,
                          PGresult **res, const char *what, inc_error *err)
{
    const char *name = which == INC_PG_APPEND1 ? "inc_append1" : "inc_appendn";
    int rc = inc__pg_connect(ps, err);
    *res = NULL;
    if (rc != INC_OK)
        return rc;
    if (!(ps->prepared & which)) {
        PGresult *p = PQprepare(ps->conn, name, sql, n, NULL);
        if (!p || PQresultStatus(p) != PGRES_COMMAND_OK)
            return inc__pg_fail(ps, p, what, err);
        PQclear(p);
        ps->prepared |= which;
    }
    *res = PQexecPrepared(ps->conn, name, n, values, lengths, formats, 1);
    return take_result(ps, res, what, err);
}

int inc__pg_exec_again(pg_store *ps, const char *sql, int n, const char *const *values,
                       const int *lengths, const int *formats, PGresult **res, const char *what,
                       inc_error *err)
{
    int was_up = !inc__pg_lost(ps);
    int rc = inc__pg_exec(ps, sql, n, values, lengths, formats, res, what, err);
    if (rc == INC_EIO && was_up && inc__pg_lost(ps)) {
        inc__error_clear(err);
        rc = inc__pg_exec(ps, sql, n, values, lengths, formats, res, what, err);
    }
    return rc;
}

/* A statement without parameters whose result is not needed. */
static int run(pg_store *ps, const char *sql, const char *what, inc_error *err)
{
    PGresult *res;
    int rc = inc__pg_exec(ps, sql, 0, NULL, NULL, NULL, &res, what, err);
    PQclear(res);
    return rc;
}

/* The recorded schema version: 0 when there is no schema yet. */
static int schema_version(pg_store *ps, long *version, inc_error *err)
{
    PGresult *res;
    int rc = inc__pg_exec(ps, "SELECT to_regclass('inc_schema') IS NOT NULL", 0, NULL, NULL, NULL,
                          &res, "reading the schema version", err);
    *version = 0;
    if (rc != INC_OK)
        return rc;
    if (PQntuples(res) != 1 || PQgetvalue(res, 0, 0)[0] == 0) {
        PQclear(res);
        return INC_OK;
    }
    PQclear(res);
    rc = inc__pg_exec(ps, "SELECT coalesce(max(version), 0)::text FROM inc_schema", 0, NULL, NULL,
                      NULL, &res, "reading the schema version", err);
    if (rc != INC_OK)
        return rc;
    /* Binary results: the value was cast to text to be read as digits. */
    if (PQntuples(res) == 1)
        *version = strtol(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return INC_OK;
}

/* The schema version this library writes (a schema's, not a struct's). */
static const long schema_known = INC_PG_SCHEMA_VERSION;

static const char *const schema_v1 = "CREATE TABLE IF NOT EXISTS inc_events ("
                                     " incident text NOT NULL,"
                                     " seq bigint NOT NULL CHECK (seq > 0),"
                                     " data bytea NOT NULL,"
                                     " PRIMARY KEY (incident, seq))";

/* Version 2: the blobs (RUB-4: the rubric text, once per store). */
static const char *const schema_v2 = "CREATE TABLE IF NOT EXISTS inc_blobs ("
                                     " key text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),"
                                     " data bytea NOT NULL)";

/* Create the schema (or bring an older one up to date) in one transaction
 * under an advisory lock: two processes opening a fresh database at once
 * both succeed, one of them creating it. */
static int migrate(pg_store *ps, inc_error *err)
{
    long version;
    int rc = run(ps, "BEGIN", "creating the schema", err);
    if (rc == INC_OK)
        rc = run(ps, "SELECT pg_advisory_xact_lock(7234017283807667300)", "creating the schema",
                 err);
    if (rc == INC_OK)
        rc = run(ps, "CREATE TABLE IF NOT EXISTS inc_schema (version integer NOT NULL)",
                 "creating the schema", err);
    if (rc == INC_OK)
        rc = schema_version(ps, &version, err);
    if (rc == INC_OK && version > schema_known)
        rc = inc_error_set(err, INC_EVERSION,
                           "PostgreSQL: the database holds schema version %ld, newer than this "
                           "library's %ld",
                           version, schema_known);
    if (rc == INC_OK && version < 1) {
        rc = run(ps, schema_v1, "creating the schema", err);
        /* Events are read far more often than written, the declaration's
         * (kilobytes: the rubric) by every store-wide read: a row of up to
         * a page is kept in the table, uncompressed, so that a scan reads
         * it in place (no TOAST lookup, no decompression); only larger
         * events go compressed or out of line. */
        if (rc == INC_OK)
            rc = run(ps, "ALTER TABLE inc_events ALTER COLUMN data SET STORAGE MAIN",
                     "creating the schema", err);
        if (rc == INC_OK)
            rc = run(ps, "ALTER TABLE inc_events SET (toast_tuple_target = 8160)",
                     "creating the schema", err);
        if (rc == INC_OK)
            rc = run(ps, "INSERT INTO inc_schema (version) VALUES (1)", "creating the schema", err);
    }
    if (rc == INC_OK && version < 2) {
        rc = run(ps, schema_v2, "creating the schema", err);
        if (rc == INC_OK)
            rc = run(ps, "INSERT INTO inc_schema (version) VALUES (2)", "creating the schema", err);
    }
    if (rc == INC_OK)
        return run(ps, "COMMIT", "creating the schema", err);
    if (!inc__pg_lost(ps)) {
        inc_error saved = *err;
        PGresult *res = PQexec(ps->conn, "ROLLBACK");
        PQclear(res);
        *err = saved;
    }
    return rc;
}

int inc__pg_schema(pg_store *ps, inc_error *err)
{
    long version;
    int rc = schema_version(ps, &version, err);
    if (rc != INC_OK)
        return rc;
    if (version == schema_known)
        return INC_OK;
    if (version > schema_known)
        return inc_error_set(err, INC_EVERSION,
                             "PostgreSQL: the database holds schema version %ld, newer than this "
                             "library's %ld",
                             version, schema_known);
    if (ps->opts.no_migrate)
        return inc_error_set(err, INC_EVERSION,
                             "PostgreSQL: the database holds schema version %ld, not %ld, and "
                             "no_migrate is set",
                             version, schema_known);
    return migrate(ps, err);
}
