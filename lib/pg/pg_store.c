/* The PostgreSQL store: the store contract (incident/sys/store.h) over one
 * table, inc_events(incident, seq, data).
 *
 * An append is one statement (one transaction): it inserts the records at
 * expected_seq + 1 onward only if the incident's last number is
 * expected_seq, and notifies the channel. Two writers that race both pass
 * the check; the primary key on (incident, seq) makes the second wait for
 * the first and fail with unique_violation, reported as INC_ECONFLICT.
 * The statements are prepared once per connection; a batch's records go
 * as one bytea[] parameter. Batches beyond 200 records (or 64 MB) go in
 * chunks inside one BEGIN ... COMMIT.
 *
 * When the connection is cut while an append is in flight, its fate is
 * unknown: the store reconnects and reads what follows expected_seq. Our
 * records there: it happened (INC_OK). Nothing there: it did not, and it is
 * sent once more (the expected_seq check makes that safe). Anything else:
 * another writer's (INC_ECONFLICT). An append is never stored twice. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg/pg_internal.h"
#include "util/error.h"
#include "util/version.h"

#define CHUNK       200         /* records per INSERT statement at most */
#define CHUNK_BYTES (64u << 20) /* and about this many bytes (one record may be more) */
#define RECORD_MAX  0x3fffffffu /* PostgreSQL's largest field value (1 GB - 1) */

static const inc_pg_options pg_options_defaults = INC_PG_OPTIONS_INIT;
INC__VSTRUCT(pg_options_v, inc_pg_options, "PostgreSQL options", &pg_options_defaults,
             INC_PG_OPTIONS_VERSION, sizeof(inc_pg_options));

INC_PG_API int inc_pg_options_init(inc_pg_options *options, unsigned int version)
{
    return inc__vstruct_init(&pg_options_v, options, version);
}

INC_PG_API int inc_pg_is_conninfo(const char *spec)
{
    return spec &&
           (strncmp(spec, "postgresql://", 13) == 0 || strncmp(spec, "postgres://", 11) == 0);
}

int inc__pg_busy(const pg_store *ps, inc_error *err)
{
    if (!ps->scanning)
        return INC_OK;
    return inc_error_set(err, INC_ELOCKED,
                         "PostgreSQL: the store is in the middle of a scan: the scan's callback "
                         "may not call it");
}

/* ---- append --------------------------------------------------------------- */

/* The check that $2 is the incident's last number: $2 is there (or is
 * 0) and $2 + 1 is not (the numbers have no gaps). Two index lookups:
 * cheaper on the server than max(seq), the check until 0.2. Within a
 * transaction the later chunks of a batch pass it too (the earlier chunk
 * is visible to them). */
#define LAST_IS_2                                                                                  \
    " WHERE ($2::bigint = 0 OR EXISTS (SELECT 1 FROM inc_events WHERE incident = $1::text AND "    \
    "seq = $2::bigint)) AND NOT EXISTS (SELECT 1 FROM inc_events WHERE incident = $1::text AND "   \
    "seq = $2::bigint + 1)"

/* One record, $3, at $2 + 1: one row back (the pg_notify) when it was
 * inserted, none when the check failed. Prepared once per connection. */
static const char append1_sql[] =
    "WITH ins AS (INSERT INTO inc_events (incident, seq, data) SELECT $1::text, $2::bigint + 1, "
    "$3::bytea" LAST_IS_2 " RETURNING 1) SELECT pg_notify('" INC_PG_CHANNEL "', $1::text) FROM ins";

/* Several records, the elements of the array $3, at $2 + 1 onward: one
 * row back (one notification) when they were inserted. Prepared once per
 * connection too: a batch costs no parse or plan on the server (the
 * VALUES list of one parameter per record that 0.2 built was planned
 * anew for every batch, slower than a raw INSERT of the same rows). */
static const char appendn_sql[] =
    "WITH ins AS (INSERT INTO inc_events (incident, seq, data) SELECT $1::text, $2::bigint + u.i, "
    "u.d FROM unnest($3::bytea[]) WITH ORDINALITY AS u(d, i)" LAST_IS_2
    " RETURNING 1) SELECT pg_notify('" INC_PG_CHANNEL "', $1::text) FROM (SELECT 1 FROM ins "
    "LIMIT 1) x";

static void put_be32(char *p, uint32_t v)
{
    p[0] = (char)(v >> 24);
    p[1] = (char)(v >> 16);
    p[2] = (char)(v >> 8);
    p[3] = (char)v;
}

/* @n records as a binary one-dimensional bytea[]: the number of
 * dimensions (1), a flag (0: no NULLs), the element type (bytea, OID 17),
 * the length and lower bound (1) of the dimension, then each element's
 * length and bytes; all big-endian. NULL when out of memory. */
static char *bytea_array(const inc_store_record *r, size_t n, size_t *size)
{
    size_t i, off = 20, total = 20;
    char *a;
    for (i = 0; i < n; i++)
        total += 4 + r[i].len;
    if (!(a = malloc(total)))
        return NULL;
    put_be32(a, 1);
    put_be32(a + 4, 0);
    put_be32(a + 8, 17);
    put_be32(a + 12, (uint32_t)n);
    put_be32(a + 16, 1);
    for (i = 0; i < n; i++) {
        put_be32(a + off, (uint32_t)r[i].len);
        if (r[i].len)
            memcpy(a + off + 4, r[i].data, r[i].len);
        off += 4 + r[i].len;
    }
    *size = total;
    return a;
}

/* How many of the @left records from @r go in one statement: up to CHUNK
 * and CHUNK_BYTES, at least one (a record is at most RECORD_MAX, so an
 * array stays well under 2 GB). */
static size_t chunk_size(const inc_store_record *r, size_t left)
{
    size_t n = 1, bytes = r[0].len;
    while (n < left && n < CHUNK && bytes + r[n].len <= CHUNK_BYTES)
        bytes += r[n++].len;
    return n;
}

/* Insert @n records numbered @first onward. INC_OK, INC_ECONFLICT (the
 * check failed or the key was taken) or a store error. */
static int insert_chunk(pg_store *ps, const char *id, uint64_t first, const inc_store_record *r,
                        size_t n, inc_error *err)
{
    char base[24], *array = NULL;
    const char *values[3];
    int lengths[3] = {0, 0, 0}, formats[3] = {0, 0, 1}; /* the bytes as they are */
    size_t size = r->len;
    PGresult *res;
    int rc;

    snprintf(base, sizeof(base), "%llu", (unsigned long long)(first - 1));
    values[0] = id;
    values[1] = base;
    values[2] = r->len ? r->data : "";
    if (n > 1) {
        if (!(array = bytea_array(r, n, &size)))
            return inc__error_oom(err);
        values[2] = array;
    }
    lengths[2] = (int)size;
    rc = n == 1 ? inc__pg_exec_prepared(ps, INC_PG_APPEND1, append1_sql, 3, values, lengths,
                                        formats, &res, "append", err)
                : inc__pg_exec_prepared(ps, INC_PG_APPENDN, appendn_sql, 3, values, lengths,
                                        formats, &res, "append", err);
    free(array);
    if (rc != INC_OK)
        return rc;
    rc = PQntuples(res) == 1 ? INC_OK : INC_ECONFLICT;
    PQclear(res);
    return rc;
}

/* Read-back after a cut: compare what follows @expected_seq with @records. */
typedef struct compare {
    const inc_store_record *records;
    size_t count, seen;
    int equal;
} compare;

static int compare_event(void *user, uint64_t seq, const void *data, size_t len)
{
    compare *c = user;
    (void)seq;
    if (c->seen >= c->count || c->records[c->seen].len != len ||
        (len && memcmp(c->records[c->seen].data, data, len) != 0))
        c->equal = 0;
    c->seen++;
    return 0;
}

static int pg_read(inc_store_backend *self, const char *id, uint64_t from_seq,
                   inc_store_event_cb cb, void *cb_user, inc_error *err);

/* 1 if our records are stored after @expected_seq, 0 if nothing is, -1 if
 * another writer's are; or a store error. */
static int find_out(pg_store *ps, const char *id, uint64_t expected_seq,
                    const inc_store_record *records, size_t count, inc_error *err)
{
    compare c = {records, count, 0, 1};
    int rc = pg_read(&ps->base, id, expected_seq + 1, compare_event, &c, err);
    if (rc == INC_ENOTFOUND || (rc == INC_OK && c.seen == 0)) {
        inc__error_clear(err);
        return 0;
    }
    if (rc != INC_OK)
        return rc;
    return c.equal && c.seen == count ? 1 : -1;
}

static int append_chunks(pg_store *ps, const char *id, uint64_t expected_seq,
                         const inc_store_record *records, size_t count, inc_error *err)
{
    size_t done = 0;
    int rc = INC_OK, many = chunk_size(records, count) < count;
    PGresult *res;

    if (many &&
        (rc = inc__pg_exec(ps, "BEGIN", 0, NULL, NULL, NULL, &res, "append", err)) != INC_OK)
        return rc;
    if (many)
        PQclear(res);
    while (rc == INC_OK && done < count) {
        size_t n = chunk_size(records + done, count - done);
        rc = insert_chunk(ps, id, expected_seq + done + 1, records + done, n, err);
        done += n;
    }
    if (!many)
        return rc;
    if (rc == INC_OK)
        rc = inc__pg_exec(ps, "COMMIT", 0, NULL, NULL, NULL, &res, "append: commit", err);
    else if (!inc__pg_lost(ps))
        res = PQexec(ps->conn, "ROLLBACK");
    else
        res = NULL;
    PQclear(res);
    return rc;
}

/* A conflict report (the message says which number was expected). */
static int conflict(const char *id, uint64_t expected_seq, inc_error *err)
{
    return inc_error_set(err, INC_ECONFLICT,
                         "incident %s: expected last event %llu, another writer appended first", id,
                         (unsigned long long)expected_seq);
}

static int check_last(pg_store *ps, const char *id, uint64_t expected_seq, inc_error *err)
{
    /* From expected_seq itself: exactly that one event must be there. */
    compare c = {NULL, 0, 0, 1};
    int rc = pg_read(&ps->base, id, expected_seq ? expected_seq : 1, compare_event, &c, err);
    if (rc == INC_ENOTFOUND) {
        inc__error_clear(err);
        rc = INC_OK;
    }
    if (rc != INC_OK)
        return rc;
    return c.seen == (expected_seq ? 1u : 0u) ? INC_OK : conflict(id, expected_seq, err);
}

/* After a cut, the fate of the append is known only once the server
 * answers again: try for a few seconds (a restart or a failover), so that
 * the caller is told what happened rather than left in doubt. */
static int reconnect_patiently(pg_store *ps, inc_error *err)
{
    struct timespec pause = {0, 200 * 1000000L};
    int tries, rc = INC_EIO;
    for (tries = 0; tries < 25; tries++) {
        if ((rc = inc__pg_connect(ps, err)) == INC_OK)
            return INC_OK;
        nanosleep(&pause, NULL);
    }
    return rc;
}

/* A record PostgreSQL cannot hold in one field is refused before anything
 * is sent. */
static int check_sizes(const inc_store_record *records, size_t count, inc_error *err)
{
    size_t i;
    for (i = 0; i < count; i++)
        if (records[i].len > RECORD_MAX)
            return inc_error_set(err, INC_ETOOBIG,
                                 "PostgreSQL: append: record %zu is %zu bytes, more than a field "
                                 "holds (1 GB)",
                                 i + 1, records[i].len);
    return INC_OK;
}

static int pg_append(inc_store_backend *self, const char *id, uint64_t expected_seq,
                     const inc_store_record *records, size_t count, inc_error *err)
{
    pg_store *ps = (pg_store *)self;
    int rc, fate, attempt;

    if ((rc = inc__pg_busy(ps, err)) != INC_OK || (rc = check_sizes(records, count, err)) != INC_OK)
        return rc;
    if (count == 0) /* only the check */
        return check_last(ps, id, expected_seq, err);
    for (attempt = 0; attempt < 2; attempt++) {
        if (inc__pg_lost(ps) && (rc = inc__pg_connect(ps, err)) != INC_OK)
            return rc;
        rc = append_chunks(ps, id, expected_seq, records, count, err);
        if (rc == INC_ECONFLICT && attempt == 0)
            return conflict(id, expected_seq, err);
        if (rc != INC_EIO || !inc__pg_lost(ps)) {
            if (rc != INC_ECONFLICT)
                return rc;
        }
        /* Cut (or, on the second attempt, a conflict that may be our own first
         * attempt committed late): find out what is stored. */
        if (reconnect_patiently(ps, err) != INC_OK)
            return INC_EIO; /* still down: the caller retries later */
        fate = find_out(ps, id, expected_seq, records, count, err);
        if (fate == 1)
            return INC_OK;
        if (fate == -1)
            return conflict(id, expected_seq, err);
        if (fate < -1)
            return fate;
        if (attempt == 1)
            break;
    }
    return inc_error_set(err, INC_EIO, "PostgreSQL: append to %s: the connection was cut twice",
                         id);
}

/* ---- reads ---------------------------------------------------------------- */

/* Rows of (seq int8, data bytea) in binary, to @cb. */
static int each_event(PGresult *res, inc_store_event_cb cb, void *cb_user)
{
    int i, n = PQntuples(res);
    for (i = 0; i < n; i++) {
        int rc = cb(cb_user, inc__pg_be64(PQgetvalue(res, i, 0)), PQgetvalue(res, i, 1),
                    (size_t)PQgetlength(res, i, 1));
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int exists(pg_store *ps, const char *id, inc_error *err)
{
    const char *values[1] = {id};
    PGresult *res;
    int rc = inc__pg_exec_again(ps, "SELECT 1 FROM inc_events WHERE incident = $1::text LIMIT 1", 1,
                                values, NULL, NULL, &res, "read", err);
    if (rc != INC_OK)
        return rc;
    rc = PQntuples(res) == 1;
    PQclear(res);
    return rc;
}

static int pg_read(inc_store_backend *self, const char *id, uint64_t from_seq,
                   inc_store_event_cb cb, void *cb_user, inc_error *err)
{
    pg_store *ps = (pg_store *)self;
    char from[24];
    const char *values[2] = {id, from};
    PGresult *res;
    int rc;

    if ((rc = inc__pg_busy(ps, err)) != INC_OK)
        return rc;
    snprintf(from, sizeof(from), "%llu", (unsigned long long)(from_seq ? from_seq : 1));
    rc = inc__pg_exec_again(ps,
                            "SELECT seq, data FROM inc_events WHERE incident = $1::text AND seq >= "
                            "$2::bigint ORDER BY seq",
                            2, values, NULL, NULL, &res, "read", err);
    if (rc != INC_OK)
        return rc;
    if (PQntuples(res) == 0) {
        PQclear(res);
        rc = exists(ps, id, err);
        if (rc < 0)
            return rc;
        return rc ? INC_OK : inc_error_set(err, INC_ENOTFOUND, "no incident '%s' in the store", id);
    }
    rc = each_event(res, cb, cb_user);
    PQclear(res);
    return rc;
}

static int pg_list(inc_store_backend *self, inc_store_id_cb cb, void *cb_user, inc_error *err)
{
    pg_store *ps = (pg_store *)self;
    PGresult *res;
    int i, n, rc = inc__pg_busy(ps, err);
    if (rc != INC_OK)
        return rc;
    rc = inc__pg_exec_again(ps, "SELECT DISTINCT incident FROM inc_events", 0, NULL, NULL, NULL,
                            &res, "list", err);
    if (rc != INC_OK)
        return rc;
    n = PQntuples(res);
    for (i = 0; i < n && rc == 0; i++)
        rc = cb(cb_user, PQgetvalue(res, i, 0)); /* text in binary: the bytes, NUL-ended */
    PQclear(res);
    return rc;
}

/* ---- change notification --------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 if a notification from another session is queued (all are drained). */
static int drain(pg_store *ps)
{
    PGnotify *n;
    int seen = 0, self_pid = PQbackendPID(ps->conn);
    while ((n = PQnotifies(ps->conn)) != NULL) {
        if (n->be_pid != self_pid)
            seen = 1;
        PQfreemem(n);
    }
    return seen;
}

static int listen_once(pg_store *ps, inc_error *err)
{
    PGresult *res;
    int rc;
    if (ps->listening)
        return INC_OK;
    rc = inc__pg_exec(ps, "LISTEN " INC_PG_CHANNEL, 0, NULL, NULL, NULL, &res, "listen", err);
    if (rc != INC_OK)
        return rc;
    PQclear(res);
    ps->listening = 1;
    return INC_OK;
}

static int pg_wait(inc_store_backend *self, int64_t timeout_ms, inc_error *err)
{
    pg_store *ps = (pg_store *)self;
    int64_t deadline = now_ms() + timeout_ms;
    int rc = inc__pg_busy(ps, err);
    if (rc == INC_OK)
        rc = inc__pg_connect(ps, err);
    if (rc == INC_OK)
        rc = listen_once(ps, err);
    if (rc != INC_OK)
        return rc;
    if (ps->missed) { /* reconnected: what was written meanwhile was not heard */
        ps->missed = 0;
        drain(ps);
        return 1;
    }
    for (;;) {
        struct pollfd pfd;
        int64_t left;
        if (!PQconsumeInput(ps->conn))
            return inc__pg_fail(ps, NULL, "waiting for a change", err);
        if (drain(ps))
            return 1;
        left = deadline - now_ms();
        if (left <= 0)
            return 0;
        pfd.fd = PQsocket(ps->conn);
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (poll(&pfd, 1, left > 60000 ? 60000 : (int)left) < 0 && errno != EINTR)
            return inc_error_set(err, INC_EIO, "PostgreSQL: waiting for a change: poll failed");
    }
}

/* ---- open and close -------------------------------------------------------- */

static void pg_free(inc_store_backend *self)
{
    pg_store *ps = (pg_store *)self;
    if (ps->conn)
        PQfinish(ps->conn);
    if (ps->conninfo) /* it holds the password: wipe it */
        memset(ps->conninfo, 0, strlen(ps->conninfo));
    if (ps->password)
        memset(ps->password, 0, strlen(ps->password));
    free(ps->conninfo);
    free(ps->password);
    inc__pg_blobs_free(ps);
    free(ps);
}

static void to_diag(inc_diag *diag, const inc_error *err)
{
    if (!diag)
        return;
    memset(diag, 0, sizeof(*diag));
    diag->code = err->code;
    snprintf(diag->message, sizeof(diag->message), "%s", err->msg);
}

static int open_store(pg_store *ps, const char *conninfo, inc_store **out, inc_error *err)
{
    int rc;
    ps->base.version = INC_STORE_BACKEND_VERSION;
    ps->base.append = pg_append;
    ps->base.read = pg_read;
    ps->base.list = pg_list;
    ps->base.sync = NULL; /* every append is committed (synchronous_commit decides) */
    ps->base.free = pg_free;
    ps->base.scan = inc__pg_scan;
    ps->base.wait = pg_wait;
    ps->base.put_blob = inc__pg_put_blob;
    ps->base.get_blob = inc__pg_get_blob;
    if (!(ps->conninfo = strdup(conninfo)))
        return inc__error_oom(err);
    if ((rc = inc__pg_password_of(conninfo, &ps->password, err)) != INC_OK)
        return rc;
    if ((rc = inc__pg_connect(ps, err)) != INC_OK)
        return rc;
    if ((rc = inc__pg_schema(ps, err)) != INC_OK)
        return rc;
    ps->missed = 0;
    rc = inc_store_new(&ps->base, NULL, out);
    if (rc != INC_OK)
        return inc_error_set(err, rc, "PostgreSQL: cannot make the store handle: %s",
                             inc_strerror(rc));
    return INC_OK;
}

INC_PG_API int inc_pg_store_open(const char *conninfo, const inc_pg_options *options,
                                 inc_store **out)
{
    inc_pg_options opts;
    inc_error err;
    pg_store *ps;
    int rc;

    inc__error_clear(&err);
    if (out)
        *out = NULL;
    if ((rc = inc__vstruct_read(&pg_options_v, &opts, options, &err)) != INC_OK)
        return rc; /* an unknown version: its diag field cannot be trusted */
    if (!out || !conninfo) {
        inc_error_set(&err, INC_EINVAL, "PostgreSQL: NULL %s", out ? "connection string" : "out");
        to_diag(opts.diag, &err);
        return INC_EINVAL;
    }
    if (!(ps = calloc(1, sizeof(*ps)))) {
        inc__error_oom(&err);
        to_diag(opts.diag, &err);
        return INC_ENOMEM;
    }
    ps->opts = opts;
    rc = open_store(ps, conninfo, out, &err);
    if (rc != INC_OK) {
        to_diag(opts.diag, &err);
        pg_free(&ps->base);
    }
    return rc;
}
