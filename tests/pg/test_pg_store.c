/* The PostgreSQL store against a real server (the fixture's): the store
 * contract (store_contract.c) first, then what is PostgreSQL's own: the
 * schema (created once, a newer one refused), wrong password and missing
 * rights with clear messages that never show the password, a server that is
 * down, change notification between two handles, and a connection cut
 * before an append (found out and done once). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <incident.h>
#include <incident/pg.h>

#include "pg_proxy.h"
#include "pg_test_util.h"
#include "store_contract.h"
#include "test_support.h"

/* ---- the contract ----------------------------------------------------------- */

static int open_pg(void *user, inc_store **out)
{
    int rc;
    (void)user;
    rc = inc_pg_store_open(pg_test_conninfo("inc", NULL), NULL, out);
    if (rc != INC_OK)
        return rc;
    /* Empty, as the contract's tests expect: the tables exist now. */
    if (pg_test_admin("TRUNCATE inc_events, inc_blobs") != 0) {
        inc_store_free(*out);
        *out = NULL;
        return INC_EIO;
    }
    return INC_OK;
}

static int open_pg_again(void *user, inc_store **out)
{
    (void)user;
    return inc_pg_store_open(pg_test_conninfo("inc", NULL), NULL, out);
}

/* ---- PostgreSQL's own ------------------------------------------------------- */

static inc_store *open_ok(void)
{
    inc_store *store = NULL;
    assert_int_equal(inc_pg_store_open(pg_test_conninfo("inc", NULL), NULL, &store), INC_OK);
    return store;
}

static int open_diag(const char *conninfo, int no_migrate, inc_diag *diag)
{
    inc_pg_options o = INC_PG_OPTIONS_INIT;
    inc_store *store = NULL;
    int rc;
    o.no_migrate = no_migrate;
    o.diag = diag;
    rc = inc_pg_store_open(conninfo, &o, &store);
    if (rc == INC_OK)
        inc_store_free(store);
    else
        assert_null(store);
    return rc;
}

/* A wrong password is INC_EIO saying authentication failed; the password
 * tried is not in the message (key=value and URI forms). */
static void test_wrong_password(void **state)
{
    char uri[600];
    inc_diag d;
    (void)state;
    assert_int_equal(open_diag(pg_test_conninfo("inc", "Wr0ng-pa55word"), 0, &d), INC_EIO);
    assert_int_equal(d.code, INC_EIO);
    assert_non_null(strstr(d.message, "password authentication failed"));
    assert_null(strstr(d.message, "Wr0ng-pa55word"));
    snprintf(uri, sizeof(uri), "postgresql://inc:Wr0ng-pa55word@/inc?host=%s&port=5432",
             getenv("INC_PG_DIR"));
    assert_int_equal(open_diag(uri, 0, &d), INC_EIO);
    assert_null(strstr(d.message, "Wr0ng-pa55word"));
    /* A string that does not parse is INC_EINVAL, and not echoed either. */
    assert_int_equal(open_diag("host=x password=Wr0ng-pa55word 'unterminated", 0, &d), INC_EINVAL);
    assert_null(strstr(d.message, "Wr0ng-pa55word"));
}

/* The server is not there: INC_EIO, "cannot connect". */
static void test_server_absent(void **state)
{
    inc_diag d;
    (void)state;
    assert_int_equal(open_diag("host=/nonexistent-dir port=5432 dbname=inc user=inc "
                               "password=inc-secret connect_timeout=2",
                               0, &d),
                     INC_EIO);
    assert_non_null(strstr(d.message, "cannot connect"));
    assert_null(strstr(d.message, "inc-secret"));
}

/* A role without rights on the tables: INC_EPERM naming the rights. */
static void test_no_rights(void **state)
{
    inc_store *store = open_ok(); /* the tables exist */
    inc_diag d;
    int rc;
    (void)state;
    inc_store_free(store);
    rc = open_diag(pg_test_conninfo("inc_ro", NULL), 0, &d);
    assert_int_equal(rc, INC_EPERM);
    assert_non_null(strstr(d.message, "rights"));
    assert_null(strstr(d.message, "ro-secret"));
}

/* A schema newer than the library's is INC_EVERSION, and the library
 * changes nothing; the current one opens. */
static void test_newer_schema(void **state)
{
    inc_diag d;
    inc_store *store = open_ok();
    (void)state;
    inc_store_free(store);
    assert_int_equal(pg_test_admin("INSERT INTO inc_schema (version) VALUES (3)"), 0);
    assert_int_equal(open_diag(pg_test_conninfo("inc", NULL), 0, &d), INC_EVERSION);
    assert_non_null(strstr(d.message, "newer"));
    assert_int_equal(open_diag(pg_test_conninfo("inc", NULL), 1, &d), INC_EVERSION);
    assert_int_equal(pg_test_admin("DELETE FROM inc_schema WHERE version = 3"), 0);
    assert_int_equal(open_diag(pg_test_conninfo("inc", NULL), 1, &d), INC_OK);
}

/* A fresh database gets the schema on the first open; with no_migrate the
 * absent schema is INC_EVERSION and nothing is created. */
static void test_schema_created(void **state)
{
    inc_diag d;
    (void)state;
    assert_int_equal(pg_test_admin("DROP TABLE IF EXISTS inc_events, inc_schema, inc_blobs"), 0);
    assert_int_equal(open_diag(pg_test_conninfo("inc", NULL), 1, &d), INC_EVERSION);
    assert_int_equal(open_diag(pg_test_conninfo("inc", NULL), 0, &d), INC_OK);
    assert_int_equal(open_diag(pg_test_conninfo("inc", NULL), 1, &d), INC_OK);
}

/* Declare an incident on @store the way a store without blobs did: the
 * declaration carries the rubric text (RUB-4). */
static void declare_inline(inc_store *store, char id[INC_ID_MAX + 1])
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_store *old = NULL;
    inc_context *ctx = NULL;
    inc_incident *inc = NULL;
    assert_int_equal(inc_test_blobless_store(store, &old), INC_OK);
    o.store = old;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    d.declarer = "ana";
    d.severity = "Sev-2";
    d.title = "inline rubric";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    snprintf(id, INC_ID_MAX + 1, "%s", inc_incident_id(inc));
    inc_incident_free(inc);
    inc_context_free(ctx);
    inc_store_free(old);
}

static inc_context *context_on(inc_store *store)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    o.store = store;
    assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
    return ctx;
}

/* RUB-4: a database of schema version 1 (events only, every declaration
 * carrying its rubric text) is migrated to version 2 (the blobs) on open,
 * and its old declarations still read; with no_migrate it is refused. */
static void test_RUB_4_schema_1_migrates_and_old_declarations_read(void **state)
{
    inc_diag d;
    inc_store *store;
    inc_context *ctx;
    inc_incident *inc = NULL;
    char id[INC_ID_MAX + 1];
    (void)state;
    store = open_ok();
    declare_inline(store, id);
    inc_store_free(store);
    assert_int_equal(pg_test_admin("DROP TABLE inc_blobs"), 0);
    assert_int_equal(pg_test_admin("DELETE FROM inc_schema WHERE version = 2"), 0);
    assert_int_equal(open_diag(pg_test_conninfo("inc", NULL), 1, &d), INC_EVERSION);
    store = open_ok();
    assert_int_equal(open_diag(pg_test_conninfo("inc", NULL), 1, &d), INC_OK); /* now current */
    ctx = context_on(store);
    assert_int_equal(inc_incident_open(ctx, id, &inc), INC_OK);
    assert_string_equal(inc_incident_title(inc), "inline rubric");
    inc_incident_free(inc);
    inc_context_free(ctx);
    inc_store_free(store);
}

typedef struct blob_in_scan {
    inc_store *store;
    int keys, read;
} blob_in_scan;

static int count_blob(void *user, const void *data, size_t len)
{
    (void)data;
    (void)len;
    ++*(int *)user;
    return 0;
}

static int scan_reads_blob(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    blob_in_scan *b = user;
    char key[INC_STORE_BLOB_KEY_LEN + 1];
    (void)id;
    (void)seq;
    if (inc_event_blob_key(data, len, key) != 1)
        return 0;
    b->keys++;
    return inc_store_get_blob(b->store, key, count_blob, &b->read);
}

/* RUB-4 and the streamed scan: a scan's callback that replays a
 * declaration by key reads the rubric's blob while the scan holds the
 * connection (the blobs are read before the rows): a fresh handle's
 * scheduler load over declarations by key works. */
static void test_RUB_4_blobs_inside_a_scan(void **state)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_store *w = open_ok(), *r;
    inc_context *ctx = context_on(w);
    inc_incident *inc = NULL;
    inc_scheduler *sched = NULL;
    blob_in_scan b = {NULL, 0, 0};
    (void)state;
    assert_int_equal(pg_test_admin("TRUNCATE inc_events"), 0);
    d.declarer = "ana";
    d.severity = "Sev-2";
    d.title = "scanned";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    inc_incident_free(inc);
    inc_context_free(ctx);
    r = open_ok();
    b.store = r;
    assert_int_equal(inc_store_scan(r, scan_reads_blob, &b), INC_OK);
    assert_int_equal(b.keys, 1);
    assert_int_equal(b.read, 1);
    inc_store_free(r);
    r = open_ok();
    ctx = context_on(r);
    assert_int_equal(inc_scheduler_new(ctx, NULL, &sched), INC_OK);
    if (inc_scheduler_load(sched) != INC_OK)
        fail_msg("scheduler load: %s", inc_context_errmsg(ctx));
    inc_scheduler_free(sched);
    inc_context_free(ctx);
    inc_store_free(r);
    inc_store_free(w);
}

/* RUB-4: a rubric blob changed in the database is caught on the next read
 * by a fresh context, like a changed event: INC_ECORRUPT, nothing shown. */
static void test_RUB_4_changed_blob_is_caught(void **state)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_store *store = open_ok();
    inc_context *ctx = context_on(store);
    inc_incident *inc = NULL;
    char id[INC_ID_MAX + 1];
    (void)state;
    d.declarer = "ana";
    d.severity = "Sev-2";
    d.title = "by key";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    snprintf(id, sizeof(id), "%s", inc_incident_id(inc));
    inc_incident_free(inc);
    inc_context_free(ctx);
    assert_int_equal(pg_test_admin("UPDATE inc_blobs SET data = overlay(data placing 'X' from 20)"),
                     0);
    ctx = context_on(store);
    assert_int_equal(inc_incident_open(ctx, id, &inc), INC_ECORRUPT);
    assert_null(inc);
    assert_non_null(strstr(inc_context_errmsg(ctx), "do not match their hash"));
    inc_context_free(ctx);
    inc_store_free(store);
    /* A writer with the right bytes puts them back (a fresh handle: the
     * first knows the blob stored and would not ask). */
    store = open_ok();
    ctx = context_on(store);
    d.title = "repairs";
    assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
    inc_incident_free(inc);
    inc_context_free(ctx);
    ctx = context_on(store);
    assert_int_equal(inc_incident_open(ctx, id, &inc), INC_OK);
    inc_incident_free(inc);
    inc_context_free(ctx);
    inc_store_free(store);
}

/* Options of an unknown version are refused. */
static void test_options_version(void **state)
{
    inc_pg_options o;
    inc_store *store = NULL;
    (void)state;
    assert_int_equal(inc_pg_options_init(&o, INC_PG_OPTIONS_VERSION), INC_OK);
    assert_int_equal(o.no_migrate, 0);
    assert_int_equal(inc_pg_options_init(NULL, INC_PG_OPTIONS_VERSION), INC_EINVAL);
    assert_int_equal(inc_pg_options_init(&o, 99), INC_EVERSION);
    o.version = 99;
    assert_int_equal(inc_pg_store_open(pg_test_conninfo("inc", NULL), &o, &store), INC_EVERSION);
    assert_null(store);
    assert_int_equal(inc_pg_store_open(NULL, NULL, &store), INC_EINVAL);
    assert_true(inc_pg_is_conninfo("postgresql://h/db"));
    assert_true(inc_pg_is_conninfo("postgres://h/db"));
    assert_false(inc_pg_is_conninfo("/var/lib/incidents"));
    assert_false(inc_pg_is_conninfo(NULL));
}

/* One handle waits; another appends: the waiter wakes with 1. Nothing
 * written: it times out with 0. Its own appends do not wake it. */
static void test_notify_wakes_waiter(void **state)
{
    inc_store *a = open_ok(), *b = open_ok();
    inc_store_record r = {"x", 1};
    (void)state;
    assert_int_equal(inc_store_wait(a, 0), 0); /* listening from now on */
    assert_int_equal(inc_store_wait(a, 20), 0);
    assert_int_equal(inc_store_append(a, "notify-1", 0, &r, 1), INC_OK);
    assert_int_equal(inc_store_wait(a, 20), 0);
    assert_int_equal(inc_store_append(b, "notify-2", 0, &r, 1), INC_OK);
    assert_int_equal(inc_store_wait(a, 10000), 1);
    assert_int_equal(inc_store_wait(a, 0), 0); /* drained */
    inc_store_free(a);
    inc_store_free(b);
}

static int count_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    (void)seq;
    (void)data;
    (void)len;
    ++*(int *)user;
    return 0;
}

static int scan_count_cb(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    (void)id;
    return count_cb(user, seq, data, len);
}

/* A scan's callback that calls the store while the rows stream. */
typedef struct reenter {
    inc_store *store;
    int events, refused;
} reenter;

static int reenter_cb(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    reenter *r = user;
    int n = 0;
    inc_store_record rec = {"x", 1};
    (void)seq;
    (void)data;
    (void)len;
    r->events++;
    r->refused += inc_store_read(r->store, id, 1, count_cb, &n) == INC_ELOCKED;
    r->refused += inc_store_append(r->store, id, seq, &rec, 1) == INC_ELOCKED;
    return 0;
}

static int stop_at_3(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    (void)id;
    count_cb(user, seq, data, len);
    return *(int *)user == 3 ? 7 : 0;
}

/* The bulk scan streams its rows: a callback that stops early ends it
 * (the statement is cancelled, what was sent is drained) and the handle
 * works at once for the next call; a callback may not call the store
 * while the rows stream (INC_ELOCKED, the scan goes on). 8 MB of events,
 * more than the socket holds, so that the stop happens mid-stream. */
static void test_scan_streams_stops_and_refuses_reentry(void **state)
{
    enum { BATCH = 200, BATCHES = 5, SIZE = 8000 };
    inc_store *store = open_ok();
    char *big = malloc(SIZE);
    inc_store_record r[BATCH], small = {"x", 1};
    reenter re;
    int i, n = 0;
    (void)state;
    assert_non_null(big);
    memset(big, 'e', SIZE);
    assert_int_equal(pg_test_admin("TRUNCATE inc_events"), 0);
    for (i = 0; i < BATCH; i++) {
        r[i].data = big;
        r[i].len = SIZE;
    }
    for (i = 0; i < BATCHES; i++)
        assert_int_equal(inc_store_append(store, "stream-1", (uint64_t)i * BATCH, r, BATCH),
                         INC_OK);
    assert_int_equal(inc_store_scan(store, stop_at_3, &n), 7);
    assert_int_equal(n, 3);
    /* The connection is free again: an append, a read, a whole scan. */
    assert_int_equal(inc_store_append(store, "stream-2", 0, &small, 1), INC_OK);
    n = 0;
    assert_int_equal(inc_store_read(store, "stream-2", 1, count_cb, &n), INC_OK);
    assert_int_equal(n, 1);
    n = 0;
    assert_int_equal(inc_store_scan(store, scan_count_cb, &n), INC_OK);
    assert_int_equal(n, BATCH * BATCHES + 1);

    memset(&re, 0, sizeof(re));
    re.store = store;
    assert_int_equal(inc_store_scan(store, reenter_cb, &re), INC_OK);
    assert_int_equal(re.events, BATCH * BATCHES + 1);
    assert_int_equal(re.refused, 2 * re.events);
    assert_non_null(strstr(inc_store_errmsg(store), "scan"));
    n = 0; /* nothing was appended by the refused calls */
    assert_int_equal(inc_store_read(store, "stream-2", 1, count_cb, &n), INC_OK);
    assert_int_equal(n, 1);
    inc_store_free(store);
    free(big);
}

/* The server closes the connection (an administrator, a failover) between
 * two appends: the next append reconnects, finds out the append was not
 * stored, and stores it once. */
static void test_connection_cut_before_append(void **state)
{
    inc_store *store = open_ok();
    inc_store_record r = {"event", 5};
    int n = 0;
    (void)state;
    assert_int_equal(inc_store_append(store, "cut-1", 0, &r, 1), INC_OK);
    assert_int_equal(pg_test_admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE usename = 'inc' AND pid <> pg_backend_pid()"),
                     0);
    assert_int_equal(inc_store_append(store, "cut-1", 1, &r, 1), INC_OK);
    assert_int_equal(inc_store_read(store, "cut-1", 1, count_cb, &n), INC_OK);
    assert_int_equal(n, 2);
    /* Reads reconnect too. */
    assert_int_equal(pg_test_admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE usename = 'inc' AND pid <> pg_backend_pid()"),
                     0);
    n = 0;
    assert_int_equal(inc_store_read(store, "cut-1", 1, count_cb, &n), INC_OK);
    assert_int_equal(n, 2);
    /* And the bulk scan (its statement is sent once more). */
    assert_int_equal(pg_test_admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE usename = 'inc' AND pid <> pg_backend_pid()"),
                     0);
    n = 0;
    assert_int_equal(inc_store_scan(store, scan_count_cb, &n), INC_OK);
    assert_true(n >= 2);
    inc_store_free(store);
}

/* The connection breaks while an append is in flight (a proxy in the
 * middle cuts it): after the commit, with the answer lost, the store
 * reconnects, reads what follows the expected number, finds its own
 * records and reports success without appending again; before the server
 * saw it, the store finds nothing and appends once. Batches too. */
static void test_cut_during_commit_never_appends_twice(void **state)
{
    const char *dir = pg_proxy_start(getenv("INC_PG_DIR"));
    inc_store_record r = {"event", 5}, batch[300];
    char conninfo[600];
    inc_store *store = NULL;
    size_t i;
    int n = 0;
    (void)state;
    assert_non_null(dir);
    for (i = 0; i < 300; i++)
        batch[i] = r;
    snprintf(conninfo, sizeof(conninfo),
             "host=%s port=5432 dbname=inc user=inc password=inc-secret", dir);
    assert_int_equal(inc_pg_store_open(conninfo, NULL, &store), INC_OK);
    assert_int_equal(inc_store_append(store, "cut-2", 0, &r, 1), INC_OK);

    pg_proxy_arm(PG_CUT_AFTER_COMMIT);
    assert_int_equal(inc_store_append(store, "cut-2", 1, &r, 1), INC_OK);
    assert_int_equal(pg_proxy_cuts(), 1);
    assert_int_equal(inc_store_read(store, "cut-2", 1, count_cb, &n), INC_OK);
    assert_int_equal(n, 2); /* once, not twice */

    pg_proxy_arm(PG_CUT_BEFORE_SERVER);
    assert_int_equal(inc_store_append(store, "cut-2", 2, &r, 1), INC_OK);
    assert_int_equal(pg_proxy_cuts(), 2);
    n = 0;
    assert_int_equal(inc_store_read(store, "cut-2", 1, count_cb, &n), INC_OK);
    assert_int_equal(n, 3);

    pg_proxy_arm(PG_CUT_AFTER_COMMIT); /* a batch: cut on its first statement */
    assert_int_equal(inc_store_append(store, "cut-2", 3, batch, 300), INC_OK);
    assert_int_equal(pg_proxy_cuts(), 3);
    n = 0;
    assert_int_equal(inc_store_read(store, "cut-2", 1, count_cb, &n), INC_OK);
    assert_int_equal(n, 303);
    /* And a conflict is still a conflict after a cut. */
    pg_proxy_arm(PG_CUT_AFTER_COMMIT);
    assert_int_equal(inc_store_append(store, "cut-2", 1, &r, 1), INC_ECONFLICT);
    inc_store_free(store);
    pg_proxy_stop();
}

/* The server stopped: calls fail with INC_EIO and a clear message; once
 * it is back the same handle works again, nothing lost or doubled. */
static void test_server_stopped_and_back(void **state)
{
    inc_store *store = open_ok();
    inc_store_record r = {"event", 5};
    int n = 0;
    (void)state;
    assert_int_equal(inc_store_append(store, "down-1", 0, &r, 1), INC_OK);
    assert_int_equal(pg_test_server("pause"), 0);
    assert_int_equal(inc_store_read(store, "down-1", 1, count_cb, &n), INC_EIO);
    assert_non_null(strstr(inc_store_errmsg(store), "PostgreSQL"));
    assert_null(strstr(inc_store_errmsg(store), "inc-secret"));
    assert_int_equal(inc_store_wait(store, 10), INC_EIO);
    assert_int_equal(inc_store_scan(store, scan_count_cb, &n), INC_EIO);
    assert_non_null(strstr(inc_store_errmsg(store), "PostgreSQL"));
    assert_int_equal(pg_test_server("resume"), 0);
    assert_int_equal(inc_store_append(store, "down-1", 1, &r, 1), INC_OK);
    assert_int_equal(inc_store_wait(store, 0), 1); /* reconnected: may have missed changes */
    n = 0;
    assert_int_equal(inc_store_read(store, "down-1", 1, count_cb, &n), INC_OK);
    assert_int_equal(n, 2);
    inc_store_free(store);
}

/* COPY data that is not what the server sends (here its signature
 * changed on the way by the proxy) is INC_EIO saying so, nothing is handed
 * to the callback, and the handle works for the next call (the statement
 * was cancelled and drained). */
static void test_scan_refuses_malformed_copy_data(void **state)
{
    const char *dir = pg_proxy_start(getenv("INC_PG_DIR"));
    inc_store_record r = {"event", 5};
    char conninfo[600];
    inc_store *store = NULL;
    int n = 0;
    (void)state;
    assert_non_null(dir);
    snprintf(conninfo, sizeof(conninfo),
             "host=%s port=5432 dbname=inc user=inc password=inc-secret", dir);
    /* Little data: the proxy relays in one thread with blocking writes,
     * so it could not take the cancel request's connection while a
     * client not reading has its socket full. */
    assert_int_equal(pg_test_admin("TRUNCATE inc_events"), 0);
    assert_int_equal(inc_pg_store_open(conninfo, NULL, &store), INC_OK);
    assert_int_equal(inc_store_append(store, "copy-1", 0, &r, 1), INC_OK);
    pg_proxy_corrupt("PGCOPY\n", "PGCOPX\n");
    assert_int_equal(inc_store_scan(store, scan_count_cb, &n), INC_EIO);
    assert_non_null(strstr(inc_store_errmsg(store), "malformed"));
    assert_int_equal(n, 0);
    assert_int_equal(inc_store_scan(store, scan_count_cb, &n), INC_OK);
    assert_true(n >= 1);
    assert_int_equal(pg_proxy_cuts(), 0); /* the same connection */
    inc_store_free(store);
    pg_proxy_stop();
}

/* A record larger than a PostgreSQL field holds (1 GB) is INC_ETOOBIG
 * before anything is sent: nothing of the batch is stored. (The length
 * is all that is read: the bytes behind it are never touched.) */
static void test_record_too_big_for_a_field(void **state)
{
    inc_store *store = open_ok();
    inc_store_record r[2] = {{"small", 5}, {"x", (size_t)1 << 30}};
    (void)state;
    assert_int_equal(inc_store_append(store, "huge-1", 0, r, 2), INC_ETOOBIG);
    assert_non_null(strstr(inc_store_errmsg(store), "1 GB"));
    assert_int_equal(inc_store_append(store, "huge-1", 0, r + 1, 1), INC_ETOOBIG);
    assert_int_equal(inc_store_read(store, "huge-1", 1, count_cb, &(int){0}), INC_ENOTFOUND);
    assert_int_equal(inc_store_append(store, "huge-1", 0, r, 1), INC_OK);
    inc_store_free(store);
}

/* The batch statement is prepared on first use, here inside a large
 * batch's transaction that is then rolled back (a conflict): it stays
 * prepared (a session's, not the transaction's), and the next batches on
 * the same connection use it. */
static void test_statements_prepared_in_a_rolled_back_batch_stay(void **state)
{
    enum { N = 450 };
    inc_store *store = open_ok();
    inc_store_record r[N];
    int i, n = 0;
    (void)state;
    for (i = 0; i < N; i++) {
        r[i].data = "batched";
        r[i].len = 7;
    }
    assert_int_equal(inc_store_append(store, "prep-1", 5, r, N), INC_ECONFLICT);
    assert_int_equal(inc_store_append(store, "prep-1", 0, r, N), INC_OK);
    assert_int_equal(inc_store_append(store, "prep-1", N, r, 3), INC_OK);
    assert_int_equal(inc_store_append(store, "prep-1", N + 3, r, 1), INC_OK);
    assert_int_equal(inc_store_read(store, "prep-1", 1, count_cb, &n), INC_OK);
    assert_int_equal(n, N + 4);
    inc_store_free(store);
}

/* ---- two pagers, one database -------------------------------------------------- */

static inc_time fake_now;

static inc_time fake_clock(void *user)
{
    (void)user;
    return fake_now;
}

typedef struct pager_side {
    inc_store *store;
    inc_context *ctx;
    inc_scheduler *sched;
} pager_side;

static void side_open(pager_side *p, const char *actor)
{
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_scheduler_options so = INC_SCHEDULER_OPTIONS_INIT;
    p->store = open_ok();
    co.store = p->store;
    co.clock = fake_clock;
    assert_int_equal(inc_context_new(&co, &p->ctx), INC_OK);
    so.actor = actor;
    assert_int_equal(inc_scheduler_new(p->ctx, &so, &p->sched), INC_OK);
    assert_int_equal(inc_scheduler_load(p->sched), INC_OK);
}

static void side_close(pager_side *p)
{
    inc_scheduler_free(p->sched);
    inc_context_free(p->ctx);
    inc_store_free(p->store);
}

static size_t poll_count(pager_side *p)
{
    inc_due_list *l = NULL;
    size_t n;
    assert_int_equal(inc_scheduler_poll(p->sched, 0, &l), INC_OK);
    n = inc_due_list_count(l);
    inc_due_list_free(l);
    return n;
}

/* Deliveries recorded by @actor on the incident's timeline. */
static size_t deliveries_by(pager_side *p, const char *id, const char *actor)
{
    inc_incident *inc = NULL;
    size_t i, n = 0;
    assert_int_equal(inc_incident_open(p->ctx, id, &inc), INC_OK);
    for (i = 0; i < inc_incident_event_count(inc); i++) {
        inc_event_info e;
        assert_int_equal(inc_incident_get_event(inc, i, &e), INC_OK);
        if ((e.kind == INC_EV_DUE_DELIVERED || e.kind == INC_EV_PAGE_REQUESTED) &&
            strcmp(e.actor, actor) == 0)
            n++;
    }
    inc_incident_free(inc);
    return n;
}

/* ESC-2 across hosts: two pagers (two connections) find the same items due;
 * the one whose view is stale loses the race on the append (the primary
 * key), reloads and skips: each item is on the timeline once. */
static void test_ESC_2_two_pagers_deliver_each_item_once(void **state)
{
    inc_declare_options o = INC_DECLARE_OPTIONS_INIT;
    pager_side a, b;
    inc_incident *inc = NULL;
    char id[INC_ID_MAX + 1];
    size_t by_a, by_b_first, by_b_second;
    (void)state;
    assert_int_equal(pg_test_admin("TRUNCATE inc_events"), 0);
    assert_int_equal(inc_time_parse("2026-11-23T14:00:00Z", &fake_now), INC_OK);
    side_open(&a, "pager-a");
    o.title = "Checkout failing";
    o.declarer = "alice";
    o.severity = "Sev-2";
    assert_int_equal(inc_incident_declare(a.ctx, &o, &inc), INC_OK);
    snprintf(id, sizeof(id), "%s", inc_incident_id(inc));
    inc_incident_free(inc);
    side_open(&b, "pager-b");
    fake_now += 6 * 60000;       /* the first items are due */
    by_b_first = poll_count(&b); /* b delivers them and keeps its handle */
    assert_true(by_b_first > 0);
    assert_int_equal(inc_scheduler_load(a.sched), INC_OK);
    fake_now += 30 * 60000; /* more are due: a delivers them first */
    by_a = poll_count(&a);
    assert_true(by_a > 0);
    by_b_second = poll_count(&b); /* b's handle is stale: it loses, reloads, skips */
    assert_int_equal(by_b_second, 0);
    assert_int_equal(poll_count(&a), 0);
    assert_int_equal(deliveries_by(&a, id, "pager-a"), by_a);
    assert_int_equal(deliveries_by(&a, id, "pager-b"), by_b_first);
    side_close(&a);
    side_close(&b);
}

int main(void)
{
    const inc_contract_backend backends[] = {
        {"postgresql", open_pg, open_pg_again, NULL},
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_created),
        cmocka_unit_test(test_RUB_4_schema_1_migrates_and_old_declarations_read),
        cmocka_unit_test(test_RUB_4_changed_blob_is_caught),
        cmocka_unit_test(test_RUB_4_blobs_inside_a_scan),
        cmocka_unit_test(test_options_version),
        cmocka_unit_test(test_wrong_password),
        cmocka_unit_test(test_server_absent),
        cmocka_unit_test(test_no_rights),
        cmocka_unit_test(test_newer_schema),
        cmocka_unit_test(test_notify_wakes_waiter),
        cmocka_unit_test(test_connection_cut_before_append),
        cmocka_unit_test(test_scan_streams_stops_and_refuses_reentry),
        cmocka_unit_test(test_record_too_big_for_a_field),
        cmocka_unit_test(test_scan_refuses_malformed_copy_data),
        cmocka_unit_test(test_statements_prepared_in_a_rolled_back_batch_stay),
        cmocka_unit_test(test_cut_during_commit_never_appends_twice),
        cmocka_unit_test(test_server_stopped_and_back),
        cmocka_unit_test(test_ESC_2_two_pagers_deliver_each_item_once),
    };
    int failures;
    pg_test_require_server();
    failures = inc_contract_run(backends, 1);
    return failures + cmocka_run_group_tests_name("postgresql store", tests, NULL, NULL);
}
