/* See shim.h. */
#include "shim.h"

#include "_cgo_export.h"

#include <dlfcn.h>
#include <stdio.h>

#include <incident/pg.h>

static inc_time go_clock(void *user)
{
    return incGoClock((uintptr_t)user);
}

static int go_id(void *user, const char *id)
{
    return incGoCollectID((uintptr_t)user, (char *)id);
}

static int go_event(void *user, uint64_t seq, const void *data, size_t len)
{
    return incGoCollectEvent((uintptr_t)user, seq, (void *)data, len);
}

static void go_recovery(void *user, const inc_journal_recovery *rec)
{
    incGoRecovery((uintptr_t)user, (inc_journal_recovery *)rec);
}

static int go_quarantine(void *user, const inc_journal_quarantine *q)
{
    return incGoCollectQuarantine((uintptr_t)user, (inc_journal_quarantine *)q);
}

inc_clock_fn inc_go_clock_fn(void)
{
    return go_clock;
}

inc_store_id_cb inc_go_id_cb(void)
{
    return go_id;
}

static void go_seal_report(void *user, const inc_seal_report *r)
{
    incGoSealReport((uintptr_t)user, (inc_seal_report *)r);
}

inc_seal_report_fn inc_go_seal_report_fn(void)
{
    return go_seal_report;
}

inc_store_event_cb inc_go_event_cb(void)
{
    return go_event;
}

static int go_scan(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    return incGoCollectScan((uintptr_t)user, (char *)id, seq, (void *)data, len);
}

inc_store_scan_cb inc_go_scan_cb(void)
{
    return go_scan;
}

static int go_blob(void *user, const void *data, size_t len)
{
    return incGoCollectBlob((uintptr_t)user, (void *)data, len);
}

inc_store_blob_cb inc_go_blob_cb(void)
{
    return go_blob;
}

typedef int (*pg_open_fn)(const char *, const inc_pg_options *, inc_store **);

int inc_go_pg_open(const char *conninfo, int no_migrate, inc_store **out, char *msg,
                   size_t msg_size)
{
    static const char *const names[] = {"libincident-pg.so", "libincident-pg.so.0.2"};
    inc_pg_options o = INC_PG_OPTIONS_INIT;
    inc_diag diag;
    pg_open_fn open_fn = NULL;
    size_t i;
    int rc;
    for (i = 0; i < sizeof(names) / sizeof(names[0]) && !open_fn; i++) {
        void *h = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
        if (h)
            *(void **)&open_fn = dlsym(h, "inc_pg_store_open");
    }
    if (!open_fn) {
        snprintf(msg, msg_size, "libincident-pg (the PostgreSQL store) is not installed");
        return INC_EUNSUPPORTED;
    }
    memset(&diag, 0, sizeof(diag));
    o.no_migrate = no_migrate;
    o.diag = &diag;
    rc = open_fn(conninfo, &o, out);
    snprintf(msg, msg_size, "%s", rc == INC_OK ? "" : diag.message);
    return rc;
}

inc_journal_recovery_fn inc_go_recovery_fn(void)
{
    return go_recovery;
}

inc_journal_quarantine_fn inc_go_quarantine_fn(void)
{
    return go_quarantine;
}

typedef struct go_backend {
    inc_store_backend base; /* first: the library casts self back */
    uintptr_t handle;
} go_backend;

static uintptr_t handle_of(inc_store_backend *self)
{
    return ((go_backend *)self)->handle;
}

static int go_append(inc_store_backend *self, const char *id, uint64_t expected_seq,
                     const inc_store_record *records, size_t count, inc_error *err)
{
    return incGoStoreAppend(handle_of(self), (char *)id, expected_seq, (inc_store_record *)records,
                            count, err);
}

static int go_read(inc_store_backend *self, const char *id, uint64_t from_seq,
                   inc_store_event_cb cb, void *cb_user, inc_error *err)
{
    return incGoStoreRead(handle_of(self), (char *)id, from_seq, cb, cb_user, err);
}

static int go_list(inc_store_backend *self, inc_store_id_cb cb, void *cb_user, inc_error *err)
{
    return incGoStoreList(handle_of(self), cb, cb_user, err);
}

static int go_sync(inc_store_backend *self, inc_error *err)
{
    return incGoStoreSync(handle_of(self), err);
}

static int go_put_blob(inc_store_backend *self, const char *key, const void *data, size_t len,
                       inc_error *err)
{
    return incGoStorePutBlob(handle_of(self), (char *)key, (void *)data, len, err);
}

static int go_get_blob(inc_store_backend *self, const char *key, inc_store_blob_cb cb,
                       void *cb_user, inc_error *err)
{
    return incGoStoreGetBlob(handle_of(self), (char *)key, cb, cb_user, err);
}

static void go_free(inc_store_backend *self)
{
    incGoStoreFree(handle_of(self));
    free(self);
}

inc_store_backend *inc_go_backend_new(uintptr_t handle, int blobs)
{
    go_backend *b = calloc(1, sizeof(*b));
    int rc;
    if (!b)
        return NULL;
    rc = inc_store_backend_init(&b->base, INC_STORE_BACKEND_VERSION);
    if (rc != INC_OK) {
        free(b);
        return NULL;
    }
    b->base.append = go_append;
    b->base.read = go_read;
    b->base.list = go_list;
    b->base.sync = go_sync;
    b->base.free = go_free;
    if (blobs) {
        b->base.put_blob = go_put_blob;
        b->base.get_blob = go_get_blob;
    }
    b->handle = handle;
    return &b->base;
}

int inc_go_error_set(inc_error *err, int code, const char *message)
{
    return inc_error_set(err, code, "%s", message);
}

int inc_go_call_event(inc_store_event_cb cb, void *user, uint64_t seq, const void *data, size_t len)
{
    return cb(user, seq, data, len);
}

int inc_go_call_id(inc_store_id_cb cb, void *user, const char *id)
{
    return cb(user, id);
}

int inc_go_call_blob(inc_store_blob_cb cb, void *user, const void *data, size_t len)
{
    return cb(user, data, len);
}

void *inc_go_handle_ptr(uintptr_t handle)
{
    return (void *)handle;
}

static int go_feed_item(void *user, const inc_feed_item *it)
{
    return incGoFeedItem((uintptr_t)user, (inc_feed_item *)it);
}

inc_feed_cb inc_go_feed_cb(void)
{
    return go_feed_item;
}

static int go_feed_wait(void *user, int64_t timeout_ms)
{
    return incGoFeedWait((uintptr_t)user, timeout_ms);
}

inc_feed_wait_fn inc_go_feed_wait_fn(void)
{
    return go_feed_wait;
}
