/* libincident-pg inside: the backend struct, the connection helpers
 * (pg_conn.c) and the store's methods (pg_store.c). */
#ifndef INC_PG_INTERNAL_H
#define INC_PG_INTERNAL_H

#include <libpq-fe.h>

#include "incident/pg.h"
#include "incident/sys/store.h"

/* The notification channel every append notifies (payload: the id). */
#define INC_PG_CHANNEL "inc_events"

typedef struct pg_store {
    inc_store_backend base; /* first: the vtable */
    PGconn *conn;
    char *conninfo; /* kept to reconnect; holds the password: never printed */
    char *password; /* the password in it, to scrub from messages, or NULL */
    int listening;  /* LISTEN was issued on this connection */
    int prepared;   /* INC_PG_APPEND1 | INC_PG_APPENDN: prepared on this connection */
    int missed;     /* reconnected since the last wait: changes may be unseen */
    int scanning;   /* a scan's rows are streaming: the connection is busy */
    inc_pg_options opts;
    /* Blobs read (immutable: a key names its bytes), so that a scan's
     * callback, replaying a declaration by key, finds its rubric without
     * the connection, which the scan holds (pg_blob.c). */
    struct pg_blob *blobs;
    size_t nblobs;
} pg_store;

/* ---- pg_conn.c ---------------------------------------------------------- */

/* Parse @conninfo for its password (NULL if none). INC_OK, INC_EINVAL (the
 * string does not parse; message without its text), INC_ENOMEM. */
int inc__pg_password_of(const char *conninfo, char **password, inc_error *err);

/* A message of libpq's, with the password (if any) replaced by "***" and
 * the trailing newline cut, into @out. */
void inc__pg_clean_message(const pg_store *ps, const char *msg, char *out, size_t size);

/* Connect, or reconnect when the connection is bad. INC_OK or INC_EIO with
 * the server's reason. */
int inc__pg_connect(pg_store *ps, inc_error *err);

/* Report a failed result (or connection) as a status code: 23505 is
 * INC_ECONFLICT, 42501 INC_EPERM, a lost connection INC_EIO, ... @what names
 * the operation in the message. Clears @res. */
int inc__pg_fail(pg_store *ps, PGresult *res, const char *what, inc_error *err);

/* 1 when the connection is gone (the call may have been cut). */
int inc__pg_lost(const pg_store *ps);

/* Run a statement with text parameters (and binary ones where @formats
 * says), binary results. On success *res holds the result (PGRES_TUPLES_OK
 * or PGRES_COMMAND_OK); otherwise the code of inc__pg_fail(). */
int inc__pg_exec(pg_store *ps, const char *sql, int n, const char *const *values,
                 const int *lengths, const int *formats, PGresult **res, const char *what,
                 inc_error *err);

/* The statements prepared on a connection (bits of pg_store.prepared). */
enum { INC_PG_APPEND1 = 1, INC_PG_APPENDN = 2 };

/* The same through one of the connection's prepared statements (@which:
 * INC_PG_APPEND1, the one-record append, or INC_PG_APPENDN, a batch),
 * prepared from @sql on first use after each connect. */
int inc__pg_exec_prepared(pg_store *ps, int which, const char *sql, int n,
                          const char *const *values, const int *lengths, const int *formats,
                          PGresult **res, const char *what, inc_error *err);

/* The same for a statement that may run twice (a read, or the first
 * statement of a transaction): when the connection turns out to be gone
 * (the server restarted since the last call), reconnect and run it once
 * more. */
int inc__pg_exec_again(pg_store *ps, const char *sql, int n, const char *const *values,
                       const int *lengths, const int *formats, PGresult **res, const char *what,
                       inc_error *err);

/* Create or check the schema (INC_PG_SCHEMA_VERSION). */
int inc__pg_schema(pg_store *ps, inc_error *err);

/* An int8 in network order (binary results). */
static inline uint64_t inc__pg_be64(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    uint64_t v = 0;
    int i;
    for (i = 0; i < 8; i++)
        v = v << 8 | u[i];
    return v;
}

/* ---- pg_store.c --------------------------------------------------------- */

void inc__pg_set_methods(pg_store *ps);

/* ---- pg_blob.c ---------------------------------------------------------- */

/* The store's `put_blob` and `get_blob` over the table inc_blobs; a blob
 * once read is served from memory. */
int inc__pg_put_blob(inc_store_backend *self, const char *key, const void *data, size_t len,
                     inc_error *err);
int inc__pg_get_blob(inc_store_backend *self, const char *key, inc_store_blob_cb cb, void *cb_user,
                     inc_error *err);
/* Before a scan: read every blob not yet in memory (one query; a store
 * holds a handful, one per rubric ever in force). INC_OK or the store's
 * error. */
int inc__pg_blobs_prefetch(pg_store *ps, inc_error *err);
/* Free the blobs kept in memory (pg_free). */
void inc__pg_blobs_free(pg_store *ps);
/* A scan's callback called the store: the connection is busy streaming
 * the scan's rows, so the call is refused with INC_ELOCKED (rather than
 * failing inside libpq with "another command is already in progress").
 * INC_OK when no scan is running. */
int inc__pg_busy(const pg_store *ps, inc_error *err);

/* ---- pg_scan.c ---------------------------------------------------------- */

/* The backend's `scan`: one COPY statement streamed to @cb. */
int inc__pg_scan(inc_store_backend *self, inc_store_scan_cb cb, void *cb_user, inc_error *err);

#endif
