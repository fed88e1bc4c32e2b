/* The change feed (include/incident/feed.h): new events of a store, once and
 * in order per incident, from a cursor the consumer keeps. The feed holds
 * the cursor as a map from incident id to the last sequence number
 * delivered; each poll lists the store's incidents and reads each from the
 * number after its last. Nothing is kept in the store. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event_kinds.h"
#include "incident/feed.h"
#include "incident/sys/store.h"
#include "incident_internal.h"
#include "util/map.h"

#define CURSOR_HEADER "libincident-feed 1"
#define STOP_MAX      1 /* internal: the poll's max was reached */

struct inc_feed {
    inc_context *ctx;
    inc_allocator alloc;
    inc_error err;
    inc__map last; /* incident id -> uint64_t * (the last seq delivered) */
    inc_feed_wait_fn wait;
    void *wait_user;
};

/* One poll's reading state. */
typedef struct reading {
    inc_feed *feed;
    const char *id;
    uint64_t *last;
    size_t max, delivered;
    inc_feed_cb cb;
    void *user;
    int user_rc; /* the callback's stop value */
    inc__buf text;
} reading;

/* ---- the cursor ------------------------------------------------------------ */

static int set_last(inc_feed *f, const char *id, uint64_t seq)
{
    uint64_t *v = inc__map_get(&f->last, id);
    if (!v) {
        if (!(v = inc__malloc(&f->alloc, sizeof(*v))))
            return INC_ENOMEM;
        if (inc__map_put(&f->last, id, v) != INC_OK) {
            inc__free(&f->alloc, v);
            return INC_ENOMEM;
        }
    }
    *v = seq;
    return INC_OK;
}

static int id_char_ok(char c)
{
    return c > ' ' && c != '=' && c != 0x7f;
}

/* " <id>=<seq>" pairs after the header. */
static int parse_cursor(inc_feed *f, const char *cursor)
{
    const char *p = cursor + strlen(CURSOR_HEADER);
    char id[INC_ID_MAX + 1];

    while (*p) {
        size_t n = 0;
        uint64_t seq = 0;
        if (*p++ != ' ')
            return inc_error_set(&f->ctx->err, INC_EINVAL,
                                 "feed cursor: offset %zu: a space before each id=seq",
                                 (size_t)(p - 1 - cursor));
        while (id_char_ok(*p) && n < INC_ID_MAX)
            id[n++] = *p++;
        id[n] = '\0';
        if (n == 0 || *p++ != '=' || *p < '0' || *p > '9')
            return inc_error_set(&f->ctx->err, INC_EINVAL,
                                 "feed cursor: offset %zu: expected <id>=<seq>",
                                 (size_t)(p - cursor));
        for (; *p >= '0' && *p <= '9'; p++) {
            if (seq > (UINT64_MAX - 9) / 10)
                return inc_error_set(&f->ctx->err, INC_EINVAL,
                                     "feed cursor: %s: sequence number out of range", id);
            seq = seq * 10 + (uint64_t)(*p - '0');
        }
        if (set_last(f, id, seq) != INC_OK)
            return inc__error_oom(&f->ctx->err);
    }
    return INC_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int inc_feed_cursor(const inc_feed *f, char **out)
{
    const char **ids;
    size_t pos = 0, n = 0, i;
    const char *k;
    void *v;
    inc__buf b;

    if (!f || !out)
        return INC_EINVAL;
    *out = NULL;
    if (!(ids = inc__calloc(&f->alloc, f->last.count + 1, sizeof(*ids))))
        return INC_ENOMEM;
    while (inc__map_next(&f->last, &pos, &k, &v))
        ids[n++] = k;
    qsort(ids, n, sizeof(*ids), cmp_str);
    inc__buf_init(&b, &f->alloc);
    inc__buf_puts(&b, CURSOR_HEADER);
    for (i = 0; i < n; i++)
        inc__buf_printf(&b, " %s=%llu", ids[i],
                        (unsigned long long)*(uint64_t *)inc__map_get(&f->last, ids[i]));
    inc__free(&f->alloc, ids);
    if (b.failed) {
        inc__buf_dispose(&b);
        return INC_ENOMEM;
    }
    return inc__buf_detach(&b, out, NULL);
}

/* ---- the feed -------------------------------------------------------------- */

int inc_feed_new(inc_context *ctx, const char *cursor, inc_feed **out)
{
    inc_feed *f;
    int rc;

    if (out)
        *out = NULL;
    if (!ctx || !out)
        return INC_EINVAL;
    inc__error_clear(&ctx->err);
    if (cursor && cursor[0] && strncmp(cursor, CURSOR_HEADER, strlen(CURSOR_HEADER)) != 0)
        return strncmp(cursor, "libincident-feed ", 17) == 0
                   ? inc_error_set(&ctx->err, INC_EVERSION,
                                   "feed cursor: a version this build does not know (it "
                                   "reads \"" CURSOR_HEADER "\")")
                   : inc_error_set(&ctx->err, INC_EINVAL,
                                   "feed cursor: does not start with \"" CURSOR_HEADER "\"");
    if (!(f = inc__calloc(&ctx->alloc, 1, sizeof(*f))))
        return inc__error_oom(&ctx->err);
    f->ctx = ctx;
    f->alloc = ctx->alloc;
    inc__map_init(&f->last, &f->alloc);
    if (cursor && cursor[0] && (rc = parse_cursor(f, cursor)) != INC_OK) {
        inc_feed_free(f);
        return rc;
    }
    *out = f;
    return INC_OK;
}

void inc_feed_free(inc_feed *f)
{
    size_t pos = 0;
    const char *k;
    void *v;

    if (!f)
        return;
    while (inc__map_next(&f->last, &pos, &k, &v))
        inc__free(&f->alloc, v);
    inc__map_dispose(&f->last);
    inc__free(&f->alloc, f);
}

const char *inc_feed_errmsg(const inc_feed *f)
{
    return f ? f->err.msg : "";
}

/* ---- polling --------------------------------------------------------------- */

typedef struct id_list {
    const inc_allocator *alloc;
    char **v;
    size_t n, cap;
} id_list;

static int collect_id(void *user, const char *id)
{
    id_list *l = user;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **v = inc__realloc(l->alloc, l->v, cap * sizeof(*v));
        if (!v)
            return INC_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = inc__strdup(l->alloc, id)))
        return INC_ENOMEM;
    l->n++;
    return 0;
}

static void ids_dispose(id_list *l)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        inc__free(l->alloc, l->v[i]);
    inc__free(l->alloc, l->v);
}

/* The store's incident ids, sorted. */
static int list_ids(inc_feed *f, id_list *l)
{
    int rc;

    memset(l, 0, sizeof(*l));
    l->alloc = &f->alloc;
    rc = inc_store_list(inc_context_store(f->ctx), collect_id, l);
    if (rc != INC_OK) {
        ids_dispose(l);
        return rc == INC_ENOMEM ? inc__error_oom(&f->err)
                                : inc_error_set(&f->err, rc, "feed: listing the store: %s",
                                                inc_store_errmsg(inc_context_store(f->ctx)));
    }
    if (l->n > 1) /* an empty store lists nothing: l->v is NULL, which qsort must not get */
        qsort(l->v, l->n, sizeof(*l->v), cmp_str);
    return INC_OK;
}

static int deliver(void *user, uint64_t seq, const void *data, size_t len)
{
    reading *rd = user;
    const inc__event_kind *row;
    inc_feed_item item;
    inc__event ev;
    int rc;

    if (rd->max && rd->delivered == rd->max)
        return STOP_MAX;
    if ((rc = inc__event_decode(data, len, &ev, &rd->feed->err)) != INC_OK)
        return rc;
    inc__buf_clear(&rd->text);
    if ((row = inc__event_kind_row(ev.kind)) != NULL)
        row->describe(&rd->text, &ev);
    if (rd->text.failed)
        return INC_ENOMEM;
    memset(&item, 0, sizeof(item));
    item.incident_id = rd->id;
    item.seq = seq;
    item.kind = (inc_event_kind)ev.kind;
    item.time = ev.time;
    item.actor = inc__event_str(&ev, INC__F_ACTOR);
    item.text = rd->text.ptr ? rd->text.ptr : "";
    item.data = data;
    item.len = len;
    if ((rc = rd->cb(rd->user, &item)) != 0) {
        rd->user_rc = rc;
        return rc;
    }
    if (!rd->last) {
        if (set_last(rd->feed, rd->id, seq) != INC_OK ||
            !(rd->last = inc__map_get(&rd->feed->last, rd->id)))
            return INC_ENOMEM;
    }
    *rd->last = seq;
    rd->delivered++;
    return 0;
}

/* Read one incident past its cursor; INC_OK, STOP_MAX, or a failure. */
static int poll_incident(reading *rd, const char *id)
{
    inc_store *s = inc_context_store(rd->feed->ctx);
    int rc;

    rd->id = id;
    rd->last = inc__map_get(&rd->feed->last, id);
    rc = inc_store_read(s, id, (rd->last ? *rd->last : 0) + 1, deliver, rd);
    if (rc == INC_OK || rc == STOP_MAX || rc == INC_ENOTFOUND) /* removed since listed */
        return rc == STOP_MAX ? STOP_MAX : INC_OK;
    if (rd->user_rc)
        return rd->user_rc;
    if (rc == INC_ENOMEM)
        return inc__error_oom(&rd->feed->err);
    if (rd->feed->err.code == INC_OK)
        inc_error_set(&rd->feed->err, rc, "feed: reading %s: %s", id, inc_store_errmsg(s));
    return rc;
}

int inc_feed_poll(inc_feed *f, size_t max, inc_feed_cb cb, void *user, size_t *delivered)
{
    reading rd;
    id_list ids;
    size_t i;
    int rc;

    if (delivered)
        *delivered = 0;
    if (!f || !cb)
        return INC_EINVAL;
    inc__error_clear(&f->err);
    if ((rc = list_ids(f, &ids)) != INC_OK)
        return rc;
    memset(&rd, 0, sizeof(rd));
    rd.feed = f;
    rd.max = max;
    rd.cb = cb;
    rd.user = user;
    inc__buf_init(&rd.text, &f->alloc);
    for (i = 0, rc = INC_OK; i < ids.n && rc == INC_OK; i++)
        rc = poll_incident(&rd, ids.v[i]);
    inc__buf_dispose(&rd.text);
    ids_dispose(&ids);
    if (delivered)
        *delivered = rd.delivered;
    return rc == STOP_MAX ? INC_OK : rc;
}

/* ---- waiting --------------------------------------------------------------- */

static int found_one(void *user, uint64_t seq, const void *data, size_t len)
{
    (void)seq;
    (void)data;
    (void)len;
    *(int *)user = 1;
    return STOP_MAX;
}

/* Whether any incident has an event past the cursor. */
static int has_new(inc_feed *f, int *ready)
{
    inc_store *s = inc_context_store(f->ctx);
    id_list ids;
    size_t i;
    int rc;

    *ready = 0;
    if ((rc = list_ids(f, &ids)) != INC_OK)
        return rc;
    for (i = 0, rc = INC_OK; i < ids.n && !*ready; i++) {
        uint64_t *last = inc__map_get(&f->last, ids.v[i]);
        rc = inc_store_read(s, ids.v[i], (last ? *last : 0) + 1, found_one, ready);
        if (rc == STOP_MAX || rc == INC_ENOTFOUND)
            rc = INC_OK;
        if (rc != INC_OK) {
            inc_error_set(&f->err, rc, "feed: reading %s: %s", ids.v[i], inc_store_errmsg(s));
            break;
        }
    }
    ids_dispose(&ids);
    return rc;
}

static int sleep_poll(void *user, int64_t timeout_ms)
{
    int64_t ms = timeout_ms < INC_FEED_POLL_MS ? timeout_ms : INC_FEED_POLL_MS;
    struct timespec ts;

    (void)user;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
    return INC_OK;
}

int inc_feed_set_wait(inc_feed *f, inc_feed_wait_fn wait, void *user)
{
    if (!f)
        return INC_EINVAL;
    f->wait = wait;
    f->wait_user = user;
    return INC_OK;
}

int inc_feed_wait(inc_feed *f, int64_t timeout_ms, int *ready)
{
    struct timespec start, now;
    int found = 0, rc;
    int64_t left = timeout_ms;

    if (ready)
        *ready = 0;
    if (!f || timeout_ms < 0)
        return INC_EINVAL;
    inc__error_clear(&f->err);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if ((rc = has_new(f, &found)) != INC_OK || found || left <= 0)
            break;
        if ((rc = (f->wait ? f->wait : sleep_poll)(f->wait ? f->wait_user : NULL, left)) !=
            INC_OK) {
            if (f->err.code == INC_OK)
                inc_error_set(&f->err, rc, "feed: the wait failed");
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        left = timeout_ms - ((int64_t)(now.tv_sec - start.tv_sec) * 1000 +
                             (now.tv_nsec - start.tv_nsec) / 1000000);
    }
    if (ready)
        *ready = found;
    return rc;
}
