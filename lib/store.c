/* The store handle: a thin wrapper over a backend vtable that keeps the
 * last error message, and the built-in memory store. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "util/hash.h"
#include "util/map.h"

static const inc_store_backend store_backend_defaults = INC_STORE_BACKEND_INIT;
INC__VSTRUCT(store_backend_v, inc_store_backend, "store backend", &store_backend_defaults,
             INC_STORE_BACKEND_VERSION, INC__VERSION_END(inc_store_backend, free),
             INC__VERSION_END(inc_store_backend, wait), sizeof(inc_store_backend));

int inc_store_backend_init(inc_store_backend *backend, unsigned int version)
{
    return inc__vstruct_init(&store_backend_v, backend, version);
}

int inc_store_new(inc_store_backend *backend, const inc_allocator *alloc, inc_store **out)
{
    inc_store_backend m;
    inc_allocator a;
    inc_store *s;
    int rc;

    if (!out || !backend)
        return INC_EINVAL;
    *out = NULL;
    if ((rc = inc__vstruct_read(&store_backend_v, &m, backend, NULL)) != INC_OK)
        return rc;
    if (!m.append || !m.read || !m.list || !m.free || !m.put_blob != !m.get_blob)
        return INC_EINVAL;
    rc = inc__alloc_init(&a, alloc);
    if (rc != INC_OK)
        return rc;
    s = inc__calloc(&a, 1, sizeof(*s));
    if (!s)
        return INC_ENOMEM;
    s->alloc = a;
    s->backend = backend;
    s->methods = m;
    inc__map_init(&s->blobs_known, &s->alloc);
    inc__error_clear(&s->err);
    *out = s;
    return INC_OK;
}

void inc_store_free(inc_store *store)
{
    if (!store)
        return;
    store->methods.free(store->backend);
    inc__map_dispose(&store->blobs_known);
    inc__free(&store->alloc, store);
}

inc_store_backend *inc_store_backend_of(inc_store *store)
{
    return store ? store->backend : NULL;
}

inc_error *inc_store_error(inc_store *store)
{
    return store ? &store->err : NULL;
}

const char *inc_store_errmsg(const inc_store *store)
{
    return store ? store->err.msg : "";
}

int inc__store_append(inc_store *store, const char *id, uint64_t expected_seq,
                      const inc_store_record *records, size_t count, inc_error *err)
{
    int rc;
    if (!store || !id || (!records && count))
        return inc_error_set(err, INC_EINVAL, "store append: NULL argument");
    if (!inc__id_valid(id))
        return inc_error_set(err, INC_EINVAL, "store append: invalid incident id");
    inc__error_clear(err);
    rc = store->methods.append(store->backend, id, expected_seq, records, count, err);
    if (rc != INC_OK && err && err->code == INC_OK)
        inc_error_set(err, rc, "store append failed: %s", inc_strerror(rc));
    return rc;
}

int inc__store_read(inc_store *store, const char *id, uint64_t from_seq, inc_store_event_cb cb,
                    void *cb_user, inc_error *err)
{
    int rc;
    if (!store || !id || !cb)
        return inc_error_set(err, INC_EINVAL, "store read: NULL argument");
    if (!inc__id_valid(id))
        return inc_error_set(err, INC_EINVAL, "store read: invalid incident id '%.96s'", id);
    inc__error_clear(err);
    rc = store->methods.read(store->backend, id, from_seq, cb, cb_user, err);
    if (rc < 0 && err && err->code == INC_OK)
        inc_error_set(err, rc, "store read failed: %s", inc_strerror(rc));
    return rc;
}

int inc_store_append(inc_store *store, const char *id, uint64_t expected_seq,
                     const inc_store_record *records, size_t count)
{
    if (!store)
        return INC_EINVAL;
    return inc__store_append(store, id, expected_seq, records, count, &store->err);
}

int inc_store_read(inc_store *store, const char *id, uint64_t from_seq, inc_store_event_cb cb,
                   void *cb_user)
{
    if (!store)
        return INC_EINVAL;
    return inc__store_read(store, id, from_seq, cb, cb_user, &store->err);
}

int inc_store_list(inc_store *store, inc_store_id_cb cb, void *user)
{
    int rc;
    if (!store || !cb)
        return store ? inc_error_set(&store->err, INC_EINVAL, "store list: NULL callback")
                     : INC_EINVAL;
    inc__error_clear(&store->err);
    rc = store->methods.list(store->backend, cb, user, &store->err);
    if (rc < 0 && store->err.code == INC_OK)
        inc_error_set(&store->err, rc, "store list failed: %s", inc_strerror(rc));
    return rc;
}

int inc_store_sync(inc_store *store)
{
    if (!store)
        return INC_EINVAL;
    inc__error_clear(&store->err);
    if (!store->methods.sync)
        return INC_OK;
    return store->methods.sync(store->backend, &store->err);
}

/* Without a `scan` method: list the ids, then read each. The ids are
 * copied first, so that a backend is never re-entered from its own `list`
 * callback. */
typedef struct scan_ids {
    const inc_allocator *alloc;
    char **v;
    size_t n, cap;
} scan_ids;

static int scan_collect(void *user, const char *id)
{
    scan_ids *l = user;
    size_t len = strlen(id);
    char *copy;
    if (inc__array_reserve(l->alloc, (void **)&l->v, &l->cap, l->n + 1, sizeof(char *)) != INC_OK)
        return INC_ENOMEM;
    if (!(copy = inc__malloc(l->alloc, len + 1)))
        return INC_ENOMEM;
    memcpy(copy, id, len + 1);
    l->v[l->n++] = copy;
    return 0;
}

typedef struct scan_one {
    inc_store_scan_cb cb;
    void *user;
    const char *id;
} scan_one;

static int scan_one_event(void *user, uint64_t seq, const void *data, size_t len)
{
    scan_one *one = user;
    return one->cb(one->user, one->id, seq, data, len);
}

static int scan_by_reads(inc_store *store, inc_store_scan_cb cb, void *cb_user)
{
    scan_ids l = {&store->alloc, NULL, 0, 0};
    scan_one one = {cb, cb_user, NULL};
    size_t i;
    int rc = store->methods.list(store->backend, scan_collect, &l, &store->err);
    if (rc == INC_ENOMEM)
        rc = inc__error_oom(&store->err);
    for (i = 0; i < l.n && rc == INC_OK; i++) {
        one.id = l.v[i];
        rc = inc__store_read(store, l.v[i], 1, scan_one_event, &one, &store->err);
        if (rc == INC_ENOTFOUND) /* removed since the listing */
            rc = INC_OK;
    }
    for (i = 0; i < l.n; i++)
        inc__free(&store->alloc, l.v[i]);
    inc__free(&store->alloc, l.v);
    return rc;
}

int inc__store_has_scan(const inc_store *store)
{
    return store && store->methods.scan != NULL;
}

int inc_store_scan(inc_store *store, inc_store_scan_cb cb, void *cb_user)
{
    int rc;
    if (!store || !cb)
        return store ? inc_error_set(&store->err, INC_EINVAL, "store scan: NULL callback")
                     : INC_EINVAL;
    inc__error_clear(&store->err);
    if (!store->methods.scan)
        return scan_by_reads(store, cb, cb_user);
    rc = store->methods.scan(store->backend, cb, cb_user, &store->err);
    if (rc < 0 && store->err.code == INC_OK)
        inc_error_set(&store->err, rc, "store scan failed: %s", inc_strerror(rc));
    return rc;
}

int inc_store_wait(inc_store *store, int64_t timeout_ms)
{
    struct timespec ts;
    int rc;
    if (!store)
        return INC_EINVAL;
    if (timeout_ms < 0)
        return inc_error_set(&store->err, INC_EINVAL, "store wait: negative timeout");
    inc__error_clear(&store->err);
    if (store->methods.wait) {
        rc = store->methods.wait(store->backend, timeout_ms, &store->err);
        if (rc < 0 && store->err.code == INC_OK)
            inc_error_set(&store->err, rc, "store wait failed: %s", inc_strerror(rc));
        return rc;
    }
    ts.tv_sec = (time_t)(timeout_ms / 1000);
    ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) /* interrupted: sleep the rest */
        ;
    return 1;
}

/* ---- blobs (version 3) --------------------------------------------------- */

int inc__store_has_blobs(const inc_store *store)
{
    return store && store->methods.put_blob != NULL;
}

/* Remember that the store has @key, so the next put of the same rubric (one
 * per declaration) costs no call to the backend. A failure to remember only
 * costs that call. */
static void blob_known(inc_store *store, const char *key)
{
    if (!inc__map_get(&store->blobs_known, key))
        (void)inc__map_put(&store->blobs_known, key, store);
}

int inc__store_knows_blob(const inc_store *store, const char *key)
{
    return inc__map_get(&store->blobs_known, key) != NULL;
}

int inc__store_put_blob_keyed(inc_store *store, const void *data, size_t len, const char *key,
                              inc_error *err)
{
    int rc;
    if (inc__map_get(&store->blobs_known, key))
        return INC_OK;
    inc__error_clear(err);
    rc = store->methods.put_blob(store->backend, key, data ? data : "", len, err);
    if (rc != INC_OK && err && err->code == INC_OK)
        inc_error_set(err, rc, "store put_blob failed: %s", inc_strerror(rc));
    if (rc == INC_OK)
        blob_known(store, key);
    return rc;
}

int inc__store_put_blob(inc_store *store, const void *data, size_t len,
                        char key[INC_STORE_BLOB_KEY_LEN + 1], inc_error *err)
{
    uint8_t digest[INC__SHA256_LEN];

    if (!store || (!data && len))
        return inc_error_set(err, INC_EINVAL, "store put_blob: NULL argument");
    if (!store->methods.put_blob)
        return inc_error_set(err, INC_EUNSUPPORTED, "store put_blob: the store keeps no blobs");
    if (len > INC__BLOB_MAX)
        return inc_error_set(err, INC_ETOOBIG, "store put_blob: %zu bytes, more than 16 MiB", len);
    inc__sha256(data, len, digest);
    inc__hex_encode(digest, sizeof(digest), key);
    return inc__store_put_blob_keyed(store, data, len, key, err);
}

/* The backend's bytes, hashed before the caller sees them. */
typedef struct blob_check {
    inc_store *store;
    const char *key;
    inc_store_blob_cb cb;
    void *user;
    inc_error *err;
    int called;
} blob_check;

static int blob_checked(void *user, const void *data, size_t len)
{
    blob_check *bc = user;
    uint8_t digest[INC__SHA256_LEN];
    char got[INC_STORE_BLOB_KEY_LEN + 1];

    bc->called = 1;
    inc__sha256(data, len, digest);
    inc__hex_encode(digest, sizeof(digest), got);
    if (memcmp(got, bc->key, INC_STORE_BLOB_KEY_LEN) != 0)
        return inc_error_set(bc->err, INC_ECORRUPT,
                             "blob %.16s...: the bytes stored do not match their hash (changed "
                             "since written)",
                             bc->key);
    blob_known(bc->store, bc->key);
    return bc->cb(bc->user, data, len);
}

int inc__store_get_blob(inc_store *store, const char *key, inc_store_blob_cb cb, void *cb_user,
                        inc_error *err)
{
    blob_check bc = {store, key, cb, cb_user, err, 0};
    int rc;

    if (!store || !key || !cb)
        return inc_error_set(err, INC_EINVAL, "store get_blob: NULL argument");
    if (!inc__sha256_hex_valid(key))
        return inc_error_set(err, INC_EINVAL,
                             "store get_blob: a key is 64 lowercase hex digits (a SHA-256)");
    if (!store->methods.get_blob)
        return inc_error_set(err, INC_EUNSUPPORTED, "store get_blob: the store keeps no blobs");
    inc__error_clear(err);
    rc = store->methods.get_blob(store->backend, key, blob_checked, &bc, err);
    if (rc == INC_OK && !bc.called)
        rc = inc_error_set(err, INC_ECORRUPT, "blob %.16s...: the store returned nothing", key);
    if (rc != INC_OK && err && err->code == INC_OK)
        inc_error_set(err, rc, "store get_blob failed: %s", inc_strerror(rc));
    return rc;
}

int inc_store_put_blob(inc_store *store, const void *data, size_t len,
                       char key[INC_STORE_BLOB_KEY_LEN + 1])
{
    char local[INC_STORE_BLOB_KEY_LEN + 1];
    if (!store)
        return INC_EINVAL;
    return inc__store_put_blob(store, data, len, key ? key : local, &store->err);
}

int inc_store_get_blob(inc_store *store, const char *key, inc_store_blob_cb cb, void *cb_user)
{
    if (!store)
        return INC_EINVAL;
    return inc__store_get_blob(store, key, cb, cb_user, &store->err);
}

/* ---- the memory store ---------------------------------------------------- */

typedef struct mem_event {
    void *data;
    size_t len;
} mem_event;

typedef struct mem_incident {
    mem_event *events;
    size_t count;
    size_t cap;
} mem_incident;

typedef struct mem_store {
    inc_store_backend base; /* first: the vtable */
    inc_allocator alloc;
    inc__map incidents; /* id -> mem_incident* */
    inc__map blobs;     /* key -> mem_event* (a blob: bytes and length) */
} mem_store;

static void mem_incident_free(const inc_allocator *a, mem_incident *mi)
{
    size_t i;
    for (i = 0; i < mi->count; i++)
        inc__free(a, mi->events[i].data);
    inc__free(a, mi->events);
    inc__free(a, mi);
}

/* Copy the records into fresh blocks; all or nothing. */
static int mem_copy_records(const inc_allocator *a, const inc_store_record *records, size_t count,
                            mem_event *out)
{
    size_t i;
    for (i = 0; i < count; i++) {
        out[i].len = records[i].len;
        out[i].data = inc__malloc(a, records[i].len ? records[i].len : 1);
        if (!out[i].data) {
            while (i-- > 0)
                inc__free(a, out[i].data);
            return INC_ENOMEM;
        }
        if (records[i].len)
            memcpy(out[i].data, records[i].data, records[i].len);
    }
    return INC_OK;
}

static int mem_append(inc_store_backend *self, const char *id, uint64_t expected_seq,
                      const inc_store_record *records, size_t count, inc_error *err)
{
    mem_store *ms = (mem_store *)self;
    mem_incident *mi = inc__map_get(&ms->incidents, id);
    int created = 0;
    uint64_t have = mi ? mi->count : 0;

    if (have != expected_seq)
        return inc_error_set(err, INC_ECONFLICT,
                             "incident %s: expected last event %llu, store has %llu", id,
                             (unsigned long long)expected_seq, (unsigned long long)have);
    if (count == 0)
        return INC_OK;
    if (!mi) {
        mi = inc__calloc(&ms->alloc, 1, sizeof(*mi));
        if (!mi)
            return inc__error_oom(err);
        created = 1;
    }
    if (inc__array_reserve(&ms->alloc, (void **)&mi->events, &mi->cap, mi->count + count,
                           sizeof(mem_event)) != INC_OK ||
        mem_copy_records(&ms->alloc, records, count, mi->events + mi->count) != INC_OK)
        goto oom;
    /* The map copies the key, so adding a new incident can fail too: do it
     * last and undo the copies if it does. */
    if (created && inc__map_put(&ms->incidents, id, mi) != INC_OK) {
        size_t i;
        for (i = 0; i < count; i++)
            inc__free(&ms->alloc, mi->events[i].data);
        goto oom;
    }
    mi->count += count;
    return INC_OK;
oom:
    if (created)
        mem_incident_free(&ms->alloc, mi);
    return inc__error_oom(err);
}

static int mem_read(inc_store_backend *self, const char *id, uint64_t from_seq,
                    inc_store_event_cb cb, void *cb_user, inc_error *err)
{
    mem_store *ms = (mem_store *)self;
    mem_incident *mi = inc__map_get(&ms->incidents, id);
    uint64_t seq;

    if (!mi)
        return inc_error_set(err, INC_ENOTFOUND, "no incident '%s' in the store", id);
    for (seq = from_seq ? from_seq : 1; seq <= mi->count; seq++) {
        const mem_event *e = &mi->events[seq - 1];
        int rc = cb(cb_user, seq, e->data, e->len);
        if (rc != 0)
            return rc;
    }
    return INC_OK;
}

static int mem_list(inc_store_backend *self, inc_store_id_cb cb, void *cb_user, inc_error *err)
{
    mem_store *ms = (mem_store *)self;
    size_t pos = 0;
    const char *key;
    void *value;
    (void)err;
    while (inc__map_next(&ms->incidents, &pos, &key, &value)) {
        int rc = cb(cb_user, key);
        if (rc != 0)
            return rc;
    }
    return INC_OK;
}

static int mem_put_blob(inc_store_backend *self, const char *key, const void *data, size_t len,
                        inc_error *err)
{
    mem_store *ms = (mem_store *)self;
    inc_store_record rec = {data, len};
    mem_event *blob;

    if (inc__map_get(&ms->blobs, key))
        return INC_OK;
    if (!(blob = inc__malloc(&ms->alloc, sizeof(*blob))))
        return inc__error_oom(err);
    if (mem_copy_records(&ms->alloc, &rec, 1, blob) != INC_OK) {
        inc__free(&ms->alloc, blob);
        return inc__error_oom(err);
    }
    if (inc__map_put(&ms->blobs, key, blob) != INC_OK) {
        inc__free(&ms->alloc, blob->data);
        inc__free(&ms->alloc, blob);
        return inc__error_oom(err);
    }
    return INC_OK;
}

static int mem_get_blob(inc_store_backend *self, const char *key, inc_store_blob_cb cb,
                        void *cb_user, inc_error *err)
{
    mem_store *ms = (mem_store *)self;
    const mem_event *blob = inc__map_get(&ms->blobs, key);
    if (!blob)
        return inc_error_set(err, INC_ENOTFOUND, "no blob %.16s... in the store", key);
    return cb(cb_user, blob->data, blob->len);
}

static void mem_free(inc_store_backend *self)
{
    mem_store *ms = (mem_store *)self;
    size_t pos = 0;
    const char *key;
    void *value;
    while (inc__map_next(&ms->incidents, &pos, &key, &value))
        mem_incident_free(&ms->alloc, value);
    inc__map_dispose(&ms->incidents);
    pos = 0;
    while (inc__map_next(&ms->blobs, &pos, &key, &value)) {
        inc__free(&ms->alloc, ((mem_event *)value)->data);
        inc__free(&ms->alloc, value);
    }
    inc__map_dispose(&ms->blobs);
    inc__free(&ms->alloc, ms);
}

int inc_store_memory_new(const inc_allocator *alloc, inc_store **out)
{
    inc_allocator a;
    mem_store *ms;
    int rc;

    if (!out)
        return INC_EINVAL;
    *out = NULL;
    rc = inc__alloc_init(&a, alloc);
    if (rc != INC_OK)
        return rc;
    ms = inc__calloc(&a, 1, sizeof(*ms));
    if (!ms)
        return INC_ENOMEM;
    ms->base.version = INC_STORE_BACKEND_VERSION;
    ms->base.append = mem_append;
    ms->base.read = mem_read;
    ms->base.list = mem_list;
    ms->base.sync = NULL;
    ms->base.free = mem_free;
    ms->base.put_blob = mem_put_blob;
    ms->base.get_blob = mem_get_blob;
    ms->alloc = a;
    inc__map_init(&ms->incidents, &ms->alloc);
    inc__map_init(&ms->blobs, &ms->alloc);
    rc = inc_store_new(&ms->base, &a, out);
    if (rc != INC_OK)
        inc__free(&a, ms);
    return rc;
}
