/* The scheduler: every tracked incident's next due time in a binary
 * min-heap, so the next due time is O(1) and a poll costs O(k log n) for k
 * incidents due (plus opening them), not O(n).
 *
 * The scheduler holds a small entry per incident (its id, next due time and
 * heap position) and keeps only the most recently used incident handles
 * open. It registers a hook on its context (inc__context_hook), through
 * which the core's write path tells it of every write through any handle
 * of the context (written()): it
 * recomputes that incident's next due time from the handle that wrote, which
 * has every event. That handle is the freshest there is, so the scheduler
 * drops its own (now stale) one and borrows the program's until the program
 * frees it (freed()) or another handle writes: deliveries
 * then go through the program's own handle, which stays current instead of
 * failing its next write with INC_ECONFLICT. */
#include <string.h>

#include "incident_internal.h"
#include "util/map.h"
#include "util/text.h"

#define RETRY_MS    1000 /* an incident that failed is tried again this much later */
#define NOT_IN_HEAP ((size_t)-1)

typedef struct sched_entry {
    char id[INC_ID_MAX + 1];
    inc_time key;                    /* heap key: the next due time, or a retry time */
    size_t heap_pos;                 /* NOT_IN_HEAP when nothing is scheduled */
    inc_incident *inc;               /* an open handle, or NULL */
    int borrowed;                    /* @inc is the program's: never freed here */
    struct sched_entry *prev, *next; /* LRU list of entries with a handle */
    unsigned poll_gen;               /* the poll that last handled it */
} sched_entry;

struct inc_scheduler {
    inc_context *ctx;
    const inc_allocator *alloc;
    inc_error err;
    char actor[INC_NAME_MAX + 1];
    size_t max_open, open_count;
    inc__map by_id; /* id -> sched_entry */
    size_t entry_count;
    sched_entry **heap;
    size_t heap_len, heap_cap; /* heap_cap >= entry_count: inserting never allocates */
    sched_entry *mru, *lru;
    unsigned poll_gen;
    int lost; /* a write could not be tracked (out of memory): re-list at the next poll */
};

/* ---- the heap ------------------------------------------------------------ */

static void heap_place(inc_scheduler *s, size_t i, sched_entry *e)
{
    s->heap[i] = e;
    e->heap_pos = i;
}

static void sift_up(inc_scheduler *s, size_t i)
{
    sched_entry *e = s->heap[i];
    while (i > 0 && s->heap[(i - 1) / 2]->key > e->key) {
        heap_place(s, i, s->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_place(s, i, e);
}

static void sift_down(inc_scheduler *s, size_t i)
{
    sched_entry *e = s->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= s->heap_len)
            break;
        if (c + 1 < s->heap_len && s->heap[c + 1]->key < s->heap[c]->key)
            c++;
        if (s->heap[c]->key >= e->key)
            break;
        heap_place(s, i, s->heap[c]);
        i = c;
    }
    heap_place(s, i, e);
}

static void heap_remove(inc_scheduler *s, sched_entry *e)
{
    size_t i = e->heap_pos;
    sched_entry *last;
    if (i == NOT_IN_HEAP)
        return;
    e->heap_pos = NOT_IN_HEAP;
    last = s->heap[--s->heap_len];
    if (last == e)
        return;
    heap_place(s, i, last);
    sift_down(s, i);
    sift_up(s, last->heap_pos);
}

/* Schedule @e at @key (INC_TIME_NONE: nothing scheduled). Never allocates. */
static void set_key(inc_scheduler *s, sched_entry *e, inc_time key)
{
    if (key == INC_TIME_NONE) {
        heap_remove(s, e);
        return;
    }
    e->key = key;
    if (e->heap_pos == NOT_IN_HEAP) {
        heap_place(s, s->heap_len++, e);
        sift_up(s, e->heap_pos);
    } else {
        sift_up(s, e->heap_pos);
        sift_down(s, e->heap_pos);
    }
}

/* ---- open handles (least recently used go first) --------------------------- */

static void lru_unlink(inc_scheduler *s, sched_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        s->mru = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        s->lru = e->prev;
    e->prev = e->next = NULL;
}

static void lru_front(inc_scheduler *s, sched_entry *e)
{
    e->prev = NULL;
    e->next = s->mru;
    if (s->mru)
        s->mru->prev = e;
    s->mru = e;
    if (!s->lru)
        s->lru = e;
}

static void drop_handle(inc_scheduler *s, sched_entry *e)
{
    inc_incident *inc = e->inc;
    if (!inc)
        return;
    e->inc = NULL; /* first: freeing it calls back handle_freed() */
    if (e->borrowed) {
        e->borrowed = 0;
        return;
    }
    lru_unlink(s, e);
    inc_incident_free(inc);
    s->open_count--;
}

/* Keep @inc as @e's handle, most recently used; close the oldest beyond max_open. */
static void keep_handle(inc_scheduler *s, sched_entry *e, inc_incident *inc)
{
    if (e->inc != inc) {
        drop_handle(s, e);
        e->inc = inc;
        s->open_count++;
    } else {
        lru_unlink(s, e);
    }
    lru_front(s, e);
    while (s->open_count > s->max_open && s->lru != e)
        drop_handle(s, s->lru);
}

/* ---- entries ---------------------------------------------------------------------- */

static sched_entry *entry_add(inc_scheduler *s, const char *id)
{
    sched_entry *e;

    if (inc__array_reserve(s->alloc, (void **)&s->heap, &s->heap_cap, s->entry_count + 1,
                           sizeof(*s->heap)) != INC_OK ||
        !(e = inc__calloc(s->alloc, 1, sizeof(*e))))
        return NULL;
    strncpy(e->id, id, INC_ID_MAX);
    e->heap_pos = NOT_IN_HEAP;
    if (inc__map_put(&s->by_id, id, e) != INC_OK) {
        inc__free(s->alloc, e);
        return NULL;
    }
    s->entry_count++;
    return e;
}

static void entry_free(inc_scheduler *s, sched_entry *e)
{
    heap_remove(s, e);
    drop_handle(s, e);
    inc__map_remove(&s->by_id, e->id);
    inc__free(s->alloc, e);
    s->entry_count--;
}

/* ---- the write hook ------------------------------------------------------------- */

static void incident_written(void *user, inc_incident *inc)
{
    inc_scheduler *s = user;
    sched_entry *e = inc__map_get(&s->by_id, inc->id);
    inc_time next = inc_incident_next_due(inc);

    if (!e) {
        if (next == INC_TIME_NONE)
            return; /* nothing to schedule: no entry needed */
        if (!(e = entry_add(s, inc->id))) {
            s->lost = 1;
            inc_error_set(&s->err, INC_ENOMEM,
                          "out of memory tracking incident %s: the store is re-listed at the "
                          "next poll",
                          inc->id);
            return;
        }
    }
    if (e->inc != inc) { /* the writer is the freshest handle: borrow it */
        drop_handle(s, e);
        e->inc = inc;
        e->borrowed = 1;
    }
    set_key(s, e, next);
}

static void handle_freed(void *user, inc_incident *inc)
{
    inc_scheduler *s = user;
    sched_entry *e = inc__map_get(&s->by_id, inc->id);
    if (e && e->inc == inc) {
        e->inc = NULL;
        e->borrowed = 0;
    }
}

/* ---- the calls ------------------------------------------------------------------- */

static const inc_scheduler_options scheduler_options_defaults = INC_SCHEDULER_OPTIONS_INIT;
INC__VSTRUCT(scheduler_options_v, inc_scheduler_options, "scheduler options",
             &scheduler_options_defaults, INC_SCHEDULER_OPTIONS_VERSION,
             sizeof(inc_scheduler_options));

int inc_scheduler_options_init(inc_scheduler_options *opts, unsigned int version)
{
    return inc__vstruct_init(&scheduler_options_v, opts, version);
}

int inc_scheduler_new(inc_context *ctx, const inc_scheduler_options *opts, inc_scheduler **out)
{
    inc_scheduler_options o;
    inc__context_hook hook = {incident_written, handle_freed, NULL};
    inc_scheduler *s;
    int rc;

    if (!ctx || !out)
        return ctx ? inc_error_set(&ctx->err, INC_EINVAL, "scheduler: NULL argument") : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&ctx->err);
    if ((rc = inc__vstruct_read(&scheduler_options_v, &o, opts, &ctx->err)) != INC_OK)
        return rc;
    opts = &o;
    if (opts->actor && (rc = inc__check_text(&ctx->err, "actor", opts->actor, INC_NAME_MAX,
                                             INC__TEXT_SINGLE_LINE)) != INC_OK)
        return rc;
    if (ctx->hook.user)
        return inc_error_set(&ctx->err, INC_EEXIST, "the context has a scheduler already");
    if (!(s = inc__calloc(&ctx->alloc, 1, sizeof(*s))))
        return inc__error_oom(&ctx->err);
    hook.user = s;
    s->ctx = ctx;
    s->alloc = &ctx->alloc;
    inc__error_clear(&s->err);
    strcpy(s->actor, opts->actor ? opts->actor : "scheduler");
    s->max_open = opts->max_open ? opts->max_open : 64;
    inc__map_init(&s->by_id, s->alloc);
    inc__context_hook_set(ctx, &hook); /* cannot fail: checked above */
    *out = s;
    return INC_OK;
}

void inc_scheduler_free(inc_scheduler *s)
{
    size_t pos = 0;
    const char *key;
    void *value;

    if (!s)
        return;
    inc__context_hook_clear(s->ctx, s); /* handles freed from here on owe it nothing */
    while (inc__map_next(&s->by_id, &pos, &key, &value)) {
        sched_entry *e = value;
        if (e->inc && !e->borrowed)
            inc_incident_free(e->inc);
        inc__free(s->alloc, e);
    }
    inc__map_dispose(&s->by_id);
    inc__free(s->alloc, s->heap);
    inc__free(s->alloc, s);
}

const char *inc_scheduler_errmsg(const inc_scheduler *s)
{
    return s ? s->err.msg : "";
}

size_t inc_scheduler_count(const inc_scheduler *s)
{
    return s ? s->heap_len : 0;
}

inc_time inc_scheduler_next_due(const inc_scheduler *s)
{
    return s && s->heap_len ? s->heap[0]->key : INC_TIME_NONE;
}

/* Open @id afresh and schedule it; @keep says whether to keep the handle
 * open and whether to track an incident with nothing scheduled. */
static int track(inc_scheduler *s, const char *id, int keep)
{
    sched_entry *e = inc__map_get(&s->by_id, id);
    inc_incident *inc;
    inc_time next;
    int rc;

    if ((rc = inc_incident_open(s->ctx, id, &inc)) != INC_OK)
        return inc__error_copy(&s->err, &s->ctx->err);
    next = inc_incident_next_due(inc);
    if (!e && (next != INC_TIME_NONE || keep) && !(e = entry_add(s, id))) {
        inc_incident_free(inc);
        return inc__error_oom(&s->err);
    }
    if (!e) {
        inc_incident_free(inc);
        return INC_OK;
    }
    drop_handle(s, e);
    set_key(s, e, next);
    if (keep)
        keep_handle(s, e, inc);
    else
        inc_incident_free(inc);
    return INC_OK;
}

int inc_scheduler_watch(inc_scheduler *s, const char *id)
{
    if (!s || !id)
        return s ? inc_error_set(&s->err, INC_EINVAL, "watch: NULL argument") : INC_EINVAL;
    inc__error_clear(&s->err);
    return track(s, id, 1);
}

int inc_scheduler_forget(inc_scheduler *s, const char *id)
{
    sched_entry *e;
    if (!s || !id)
        return INC_EINVAL;
    if (!(e = inc__map_get(&s->by_id, id)))
        return inc_error_set(&s->err, INC_ENOTFOUND, "forget: %.96s is not tracked", id);
    entry_free(s, e);
    return INC_OK;
}

/* ---- the first load through the bulk scan ----------------------------------------- */

/* Over a backend with a bulk `scan` (a database), the load is one pass:
 * each incident is replayed from the scanned events into a transient
 * handle, its next due time noted, and the handle freed. Nothing touches
 * the store during the scan (the backend is inside it); the noted times
 * are applied afterwards, as track() would. */
typedef struct noted {
    char id[INC_ID_MAX + 1];
    inc_time next;
} noted;

typedef struct scan_load {
    inc_scheduler *s;
    inc_incident *inc; /* the incident being replayed, NULL after a failure */
    char id[INC_ID_MAX + 1];
    int started;
    int first; /* the first failure */
    noted *v;
    size_t n, cap;
} scan_load;

static void scan_load_fail(scan_load *l, int rc, const inc_error *why)
{
    if (l->first == INC_OK) {
        l->first = rc;
        if (why)
            inc__error_copy(&l->s->err, why);
        else
            inc__error_oom(&l->s->err);
    }
}

/* The incident read so far is complete: note its next due time. */
static int scan_load_finish(scan_load *l)
{
    inc_incident *inc = l->inc;
    l->inc = NULL;
    if (!inc)
        return INC_OK;
    if (inc__array_reserve(l->s->alloc, (void **)&l->v, &l->cap, l->n + 1, sizeof(noted)) !=
        INC_OK) {
        inc_incident_free(inc);
        scan_load_fail(l, INC_ENOMEM, NULL);
        return INC_ENOMEM;
    }
    memcpy(l->v[l->n].id, l->id, sizeof(l->id));
    l->v[l->n++].next = inc_incident_next_due(inc);
    inc_incident_free(inc);
    return INC_OK;
}

static int scan_load_event(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    scan_load *l = user;
    int rc;
    if (!l->started || strcmp(id, l->id) != 0) {
        size_t n;
        if (scan_load_finish(l) != INC_OK)
            return 1;
        n = strlen(id);
        l->started = 1;
        n = n > INC_ID_MAX ? INC_ID_MAX : n; /* (a longer id is refused just below) */
        memcpy(l->id, id, n);
        l->id[n] = 0;
        if (!inc__id_valid(id)) {
            inc_error bad;
            inc__error_clear(&bad);
            inc_error_set(&bad, INC_ECORRUPT, "load: the store's scan gave a bad id");
            scan_load_fail(l, INC_ECORRUPT, &bad);
            return 0;
        }
        if (inc__incident_alloc(l->s->ctx, id, &l->inc) != INC_OK) {
            scan_load_fail(l, INC_ENOMEM, NULL);
            return 1;
        }
    }
    if (!l->inc)
        return 0; /* this incident failed: skip the rest of it */
    if ((rc = inc__incident_load_event(l->inc, seq, data, len)) != INC_OK) {
        scan_load_fail(l, rc, &l->inc->err);
        inc_incident_free(l->inc);
        l->inc = NULL;
        if (rc == INC_ENOMEM)
            return 1;
    }
    return 0;
}

/* Apply a noted time: schedule the incident (or reschedule a tracked one,
 * dropping its handle, which may be stale). */
static int apply_noted(inc_scheduler *s, const noted *n)
{
    sched_entry *e = inc__map_get(&s->by_id, n->id);
    if (!e && n->next == INC_TIME_NONE)
        return INC_OK;
    if (!e && !(e = entry_add(s, n->id)))
        return inc__error_oom(&s->err);
    drop_handle(s, e);
    set_key(s, e, n->next);
    return INC_OK;
}

static int load_by_scan(inc_scheduler *s)
{
    scan_load l;
    size_t i;
    int rc;
    memset(&l, 0, sizeof(l));
    l.s = s;
    rc = inc_store_scan(s->ctx->store, scan_load_event, &l);
    if (rc == INC_OK || rc == 1)
        (void)scan_load_finish(&l);
    else if (l.inc)
        inc_incident_free(l.inc);
    if (rc != INC_OK && rc != 1 && l.first == INC_OK)
        l.first = inc__error_copy(&s->err, inc_store_error(s->ctx->store));
    for (i = 0; i < l.n && l.first != INC_ENOMEM; i++) {
        int r = apply_noted(s, &l.v[i]);
        if (r != INC_OK && l.first == INC_OK)
            l.first = r;
    }
    inc__free(s->alloc, l.v);
    return l.first;
}

int inc_scheduler_load(inc_scheduler *s)
{
    inc__ids l;
    size_t i;
    int rc, first;

    if (!s)
        return INC_EINVAL;
    inc__error_clear(&s->err);
    if (inc__store_has_scan(s->ctx->store)) {
        first = load_by_scan(s);
    } else {
        first = inc__context_ids(s->ctx, &l, &s->err);
        for (i = 0; i < l.n && first != INC_ENOMEM; i++) {
            rc = track(s, l.v[i], 0);
            if (rc != INC_OK && first == INC_OK)
                first = rc;
        }
        inc__ids_free(s->ctx, &l);
    }
    if (first == INC_OK)
        s->lost = 0;
    return first;
}

/* ---- polling ------------------------------------------------------------------- */

static int poll_entry(inc_scheduler *s, sched_entry *e, size_t max, inc_due_list *list)
{
    inc_incident *inc = NULL;
    int attempt, rc = INC_OK;

    for (attempt = 0; attempt < 2; attempt++) {
        if (!e->inc) {
            rc = inc_incident_open(s->ctx, e->id, &inc);
            if (rc == INC_ENOTFOUND) { /* gone from the store: nothing to do */
                entry_free(s, e);
                return INC_OK;
            }
            if (rc != INC_OK)
                return inc__error_copy(&s->err, &s->ctx->err);
            keep_handle(s, e, inc);
        }
        inc = e->inc;
        if (!e->borrowed)
            keep_handle(s, e, inc);
        rc = inc__due_deliver(inc, s->actor, max, list);
        if (rc != INC_ECONFLICT)
            break;
        drop_handle(s, e); /* another writer went first: read it again */
    }
    if (rc != INC_OK) {
        inc__error_copy(&s->err, e->inc ? &e->inc->err : &s->ctx->err);
        return rc;
    }
    set_key(s, e, inc_incident_next_due(e->inc));
    return INC_OK;
}

int inc_scheduler_poll(inc_scheduler *s, size_t max, inc_due_list **out)
{
    inc_due_list *list;
    inc_time now;
    unsigned gen;
    int first = INC_OK;

    if (!s || !out)
        return s ? inc_error_set(&s->err, INC_EINVAL, "poll: NULL argument") : INC_EINVAL;
    *out = NULL;
    inc__error_clear(&s->err);
    if (inc__due_list_new(s->alloc, &list) != INC_OK)
        return inc__error_oom(&s->err);
    *out = list;
    if (s->lost && (first = inc_scheduler_load(s)) != INC_OK)
        return first;
    now = inc_context_now(s->ctx);
    gen = ++s->poll_gen;
    while (s->heap_len && s->heap[0]->key <= now && (!max || inc_due_list_count(list) < max)) {
        sched_entry *e = s->heap[0];
        int rc;
        if (e->poll_gen == gen)
            break; /* handled in this poll and still due: only after a failure */
        e->poll_gen = gen;
        rc = poll_entry(s, e, max, list);
        if (rc != INC_OK) {
            if (first == INC_OK)
                first = rc;
            set_key(s, e, now + RETRY_MS);
        }
    }
    return first;
}
