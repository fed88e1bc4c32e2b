/* Reading a whole store for the store-wide action list and the metrics:
 * every incident's events are read once, in order, and only what these
 * need is kept. No incident handle is opened, so the rubric recorded in
 * each declaration (kilobytes of text) is neither parsed nor copied: its
 * event is only walked for the few fields wanted. The cost is linear in
 * the number of incidents and their events.
 *
 * Events whose strings are needed after the read (action items, pages
 * sent, the root-cause tag) are copied into a per-incident buffer, each as
 * (u32 length, bytes), and decoded from there once the read is done;
 * action items go through the same apply logic as an incident handle
 * (action_items.c).
 *
 * Over a journal, what is kept of each incident (its summary and those
 * events) is also cached in the journal's SUMMARY file (summary_cache.h) with
 * the stamp of the incident's file: the next scan takes an unchanged
 * incident from there for one stat instead of reading its file. */
#include <string.h>

#include "incident_internal.h"
#include "summary_cache.h"
#include "util/text.h"

#define INC__CHANNEL_MAX INC__PMC_CHANNEL_MAX

typedef struct scan {
    const inc_allocator *alloc;
    inc_error *err;
    int rc; /* a failure inside the read callback */
    /* The incident being read. */
    char id[INC_ID_MAX + 1];
    char title[INC_TITLE_MAX + 1];
    char severity[INC_LEVEL_NAME_MAX + 1];
    inc__pm_summary s;
    inc__buf kept; /* the events decoded after the read: (u32 length, bytes) each */
    inc__action *items;
    size_t items_cap;
    const char **paged;
    size_t paged_cap;
    char declarer[INC_NAME_MAX + 1];
    char channel[INC__CHANNEL_MAX + 1];
    inc__pm_holder *holders;
    size_t holders_cap;
    inc__pm_field *fields;
    size_t fields_cap;
} scan;

/* Copy a string field into a fixed buffer (cut, never split a code point
 * badly: the source is valid UTF-8 and cutting happens only on overlong
 * input, which the write path refuses anyway). */
static void copy_field(char *dst, size_t size, const uint8_t *p, uint32_t n)
{
    if (n >= size) { /* cut: not inside a code point (p[n] is the first byte left out) */
        n = (uint32_t)size - 1;
        while (n && ((p[n] & 0xC0) == 0x80))
            n--;
    }
    memcpy(dst, p, n);
    dst[n] = 0;
}

/* The declaration: walk its fields for the few wanted, without decoding
 * (and validating) the whole rubric text. */
static int peek_declared(scan *sc, const uint8_t *p, size_t len)
{
    size_t off = INC__EV_HEADER;
    unsigned nfields = inc__load_u16le(p + 2), i;

    sc->s.declared_at = (inc_time)inc__load_u64le(p + 16);
    for (i = 0; i < nfields; i++) {
        uint16_t tag, type;
        uint32_t flen;
        if (len - off < 8)
            return INC_ECORRUPT;
        tag = inc__load_u16le(p + off);
        type = inc__load_u16le(p + off + 2);
        flen = inc__load_u32le(p + off + 4);
        if ((size_t)flen + 8 + (type == INC__FT_STR) > len - off)
            return INC_ECORRUPT;
        if (type == INC__FT_STR &&
            (tag == INC__F_TITLE || tag == INC__F_SEVERITY || tag == INC__F_ACTOR ||
             tag == INC__F_CHANNEL) &&
            !inc__utf8_valid((const char *)p + off + 8, flen))
            return INC_ECORRUPT;
        if (type == INC__FT_INT && flen != 8)
            return INC_ECORRUPT;
        if (tag == INC__F_TITLE && type == INC__FT_STR)
            copy_field(sc->title, sizeof(sc->title), p + off + 8, flen);
        else if (tag == INC__F_SEVERITY && type == INC__FT_STR)
            copy_field(sc->severity, sizeof(sc->severity), p + off + 8, flen);
        else if (tag == INC__F_ACTOR && type == INC__FT_STR)
            copy_field(sc->declarer, sizeof(sc->declarer), p + off + 8, flen);
        else if (tag == INC__F_CHANNEL && type == INC__FT_STR)
            copy_field(sc->channel, sizeof(sc->channel), p + off + 8, flen);
        else if (tag == INC__F_DRILL && type == INC__FT_INT)
            sc->s.drill = inc__load_u64le(p + off + 8) != 0;
        else if (tag == INC__F_IMPACT_STARTED && type == INC__FT_INT)
            sc->s.impact_started = (inc_time)inc__load_u64le(p + off + 8);
        else if (tag == INC__F_DETECTED && type == INC__FT_INT)
            sc->s.detected = (inc_time)inc__load_u64le(p + off + 8);
        off += 8 + (size_t)flen + (type == INC__FT_STR);
    }
    return INC_OK;
}

static int keep(scan *sc, const void *data, size_t len)
{
    if (len > UINT32_MAX || inc__buf_put_u32le(&sc->kept, (uint32_t)len) != INC_OK ||
        inc__buf_put(&sc->kept, data, len) != INC_OK)
        return INC_ENOMEM;
    return INC_OK;
}

/* Events read now: their numbers only (no strings kept). */
static int read_now(scan *sc, const void *data, size_t len)
{
    inc__event ev;
    int rc = inc__event_decode(data, len, &ev, sc->err);
    if (rc != INC_OK)
        return rc;
    switch (ev.kind) {
    case INC_EV_SEVERITY_CHANGED:
        if (inc__event_has(&ev, INC__F_SEVERITY))
            copy_field(sc->severity, sizeof(sc->severity), (const uint8_t *)ev.str[INC__F_SEVERITY],
                       ev.str_len[INC__F_SEVERITY]);
        break;
    case INC_EV_STATE_CHANGED:
        if (!inc__event_has(&ev, INC__F_STATE))
            return INC_ECORRUPT;
        sc->s.state = (inc_state)ev.num[INC__F_STATE];
        if (ev.num[INC__F_STATE] == INC_STATE_MONITORING)
            sc->s.mitigated_at = ev.time; /* the latest mitigation counts, as in apply.c */
        else if (ev.num[INC__F_STATE] == INC_STATE_RESOLVED)
            sc->s.resolved_at = ev.time;
        break;
    case INC_EV_REOPENED: /* LIFE-4, as in apply.c; kept too, to be counted */
        sc->s.state = (inc_state)ev.num[INC__F_STATE];
        sc->s.resolved_at = INC_TIME_NONE;
        return keep(sc, data, len);
    case INC_EV_LINKED: /* LIFE-5, as in links.c; kept too, for the flags */
        if (ev.num[INC__F_ITEM] == INC_LINK_DUPLICATE_OF)
            sc->s.state = INC_STATE_CLOSED;
        return keep(sc, data, len);
    case INC_EV_PAGE_REQUESTED:
        if (sc->s.first_page_at == INC_TIME_NONE)
            sc->s.first_page_at = ev.time;
        break;
    case INC_EV_ACKNOWLEDGED:
        if (sc->s.first_ack_at == INC_TIME_NONE)
            sc->s.first_ack_at = ev.time;
        break;
    case INC_EV_POSTMORTEM_STATUS:
        if (!inc__event_has(&ev, INC__F_STATUS))
            return INC_ECORRUPT;
        sc->s.pm_status = (inc_pm_status)ev.num[INC__F_STATUS];
        if (sc->s.pm_status == INC_PM_FINAL)
            sc->s.state = INC_STATE_CLOSED;
        break;
    default:
        break;
    }
    return INC_OK;
}

static int on_event(void *user, uint64_t seq, const void *data, size_t len)
{
    scan *sc = user;
    const uint8_t *p = data;
    int rc = INC_OK;
    sc->s.last_seq = seq;
    if (len < INC__EV_HEADER) {
        rc = INC_ECORRUPT;
    } else {
        switch (p[1]) {
        case INC_EV_DECLARED:
            rc = peek_declared(sc, p, len);
            break;
        case INC_EV_SEVERITY_CHANGED:
        case INC_EV_STATE_CHANGED:
        case INC_EV_PAGE_REQUESTED:
        case INC_EV_ACKNOWLEDGED:
        case INC_EV_POSTMORTEM_STATUS:
        case INC_EV_REOPENED:
        case INC_EV_LINKED:
            rc = read_now(sc, data, len);
            break;
        case INC_EV_PAGE_SENT:
        case INC_EV_ACTION_ADDED:
        case INC_EV_ACTION_CHANGED:
        case INC_EV_POSTMORTEM_TAG:
        case INC_EV_ROLE_ASSIGNED: /* the incident list's role and field filters */
        case INC_EV_ROLE_RELEASED:
        case INC_EV_HANDOFF_CONFIRMED:
        case INC_EV_FIELD_SET:
            rc = keep(sc, data, len);
            break;
        default:
            break; /* not needed: not even decoded */
        }
    }
    if (rc == INC_OK)
        return 0;
    sc->rc = rc;
    return 1;
}

static int same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The roles held at the end (as lib/roles/staffing_state.c applies them;
 * replay has checked the events, so a release of a role not held, which
 * it would refuse, is only skipped here). */
static int roles_apply(scan *sc, const inc__event *ev)
{
    inc__pm_summary *s = &sc->s;
    const char *person = inc__event_str(ev, INC__F_PERSON);
    const char *domain = inc__event_has(ev, INC__F_DOMAIN) && ev->str_len[INC__F_DOMAIN]
                             ? ev->str[INC__F_DOMAIN]
                             : NULL;
    inc_role role = (inc_role)ev->num[INC__F_ROLE];
    size_t i;

    if (ev->kind == INC_EV_HANDOFF_CONFIRMED) {
        s->ic = inc__event_str(ev, INC__F_ACTOR);
        return INC_OK;
    }
    if (ev->kind == INC_EV_ROLE_RELEASED) {
        for (i = 0; i < s->holder_count; i++)
            if (sc->holders[i].role == role && strcmp(sc->holders[i].person, person) == 0 &&
                same(sc->holders[i].domain, domain)) {
                memmove(&sc->holders[i], &sc->holders[i + 1],
                        (s->holder_count - i - 1) * sizeof(*sc->holders));
                s->holder_count--;
                break;
            }
        return INC_OK;
    }
    if (inc__array_reserve(sc->alloc, (void **)&sc->holders, &sc->holders_cap, s->holder_count + 1,
                           sizeof(*sc->holders)) != INC_OK)
        return INC_ENOMEM;
    sc->holders[s->holder_count].role = role;
    sc->holders[s->holder_count].person = person;
    sc->holders[s->holder_count].domain = domain;
    s->holder_count++;
    s->holders = sc->holders;
    return INC_OK;
}

/* A field's value is its last `field_set` (lib/fields.c). */
static int field_apply(scan *sc, const inc__event *ev)
{
    inc__pm_summary *s = &sc->s;
    const char *name = inc__event_str(ev, INC__F_NAME);
    size_t i;
    for (i = 0; i < s->field_count; i++)
        if (strcmp(sc->fields[i].name, name) == 0) {
            sc->fields[i].value = inc__event_str(ev, INC__F_TARGET);
            return INC_OK;
        }
    if (inc__array_reserve(sc->alloc, (void **)&sc->fields, &sc->fields_cap, s->field_count + 1,
                           sizeof(*sc->fields)) != INC_OK)
        return INC_ENOMEM;
    sc->fields[s->field_count].name = name;
    sc->fields[s->field_count].value = inc__event_str(ev, INC__F_TARGET);
    s->field_count++;
    s->fields = sc->fields;
    return INC_OK;
}

/* Decode the kept events, now that their bytes do not move. */
static int read_kept(scan *sc)
{
    size_t off = 0;
    while (off < sc->kept.len) {
        inc__event ev;
        const char *why;
        size_t len = inc__load_u32le(sc->kept.ptr + off);
        int rc = inc__event_decode(sc->kept.ptr + off + 4, len, &ev, sc->err);
        off += 4 + len;
        if (rc != INC_OK)
            return rc;
        switch (ev.kind) {
        case INC_EV_PAGE_SENT:
            if (!inc__event_has(&ev, INC__F_PERSON))
                break;
            if (inc__array_reserve(sc->alloc, (void **)&sc->paged, &sc->paged_cap,
                                   sc->s.paged_count + 1, sizeof(char *)) != INC_OK)
                return INC_ENOMEM;
            sc->paged[sc->s.paged_count++] = ev.str[INC__F_PERSON];
            break;
        case INC_EV_POSTMORTEM_TAG:
            sc->s.tag = inc__event_str(&ev, INC__F_NAME);
            break;
        case INC_EV_REOPENED:
            sc->s.reopen_count++;
            break;
        case INC_EV_LINKED:
            sc->s.duplicate |= ev.num[INC__F_ITEM] == INC_LINK_DUPLICATE_OF;
            sc->s.recurrence_linked |= ev.num[INC__F_ITEM] == INC_LINK_RECURRENCE_OF;
            if (ev.num[INC__F_ITEM] == INC_LINK_DUPLICATE_OF)
                sc->s.duplicate_of = inc__event_str(&ev, INC__F_ID);
            break;
        case INC_EV_ROLE_ASSIGNED:
        case INC_EV_ROLE_RELEASED:
        case INC_EV_HANDOFF_CONFIRMED:
            if (roles_apply(sc, &ev) != INC_OK)
                return INC_ENOMEM;
            break;
        case INC_EV_FIELD_SET:
            if (field_apply(sc, &ev) != INC_OK)
                return INC_ENOMEM;
            break;
        default: /* action items */
            if ((why = inc__action_check(sc->items, sc->s.item_count, &ev)) != NULL)
                return inc_error_set(sc->err, INC_ECORRUPT, "incident %s, event %llu: %s", sc->id,
                                     (unsigned long long)ev.seq, why);
            if (inc__array_reserve(sc->alloc, (void **)&sc->items, &sc->items_cap,
                                   sc->s.item_count + 1, sizeof(inc__action)) != INC_OK)
                return INC_ENOMEM;
            inc__action_apply(sc->items, &sc->s.item_count, &ev);
            break;
        }
    }
    return INC_OK;
}

static void reset(scan *sc, const char *id)
{
    memset(&sc->s, 0, sizeof(sc->s));
    strncpy(sc->id, id, INC_ID_MAX);
    sc->id[INC_ID_MAX] = 0;
    sc->title[0] = sc->severity[0] = sc->declarer[0] = sc->channel[0] = 0;
    sc->s.id = sc->id;
    sc->s.declarer = sc->s.ic = sc->declarer;
    sc->s.channel = sc->channel;
    sc->s.title = sc->title;
    sc->s.severity = sc->severity;
    sc->s.state = INC_STATE_DECLARED;
    sc->s.declared_at = sc->s.impact_started = sc->s.detected = INC_TIME_NONE;
    sc->s.mitigated_at = sc->s.resolved_at = INC_TIME_NONE;
    sc->s.first_page_at = sc->s.first_ack_at = INC_TIME_NONE;
    sc->s.pm_status = INC_PM_DRAFT;
    inc__buf_clear(&sc->kept);
    sc->rc = INC_OK;
}

static int scan_one(scan *sc, inc_store *store, const char *id)
{
    int rc;
    reset(sc, id);
    rc = inc__store_read(store, id, 1, on_event, sc, sc->err);
    if (rc == 1)
        rc = sc->rc;
    if (rc == INC_ECORRUPT && sc->err && sc->err->code == INC_OK)
        inc_error_set(sc->err, rc, "incident %s: an event is malformed", id);
    if (rc == INC_ENOMEM)
        return inc__error_oom(sc->err);
    if (rc != INC_OK)
        return rc;
    if ((rc = read_kept(sc)) == INC_ENOMEM)
        return inc__error_oom(sc->err);
    sc->s.items = sc->items;
    sc->s.paged = sc->paged;
    return rc;
}

/* ---- the summary cache ----------------------------------------------------------- */

typedef struct cache {
    int on;       /* the store is a journal */
    int writable; /* it is not read-only: the file may be rewritten */
    inc__pmc old;
    inc__pmc_builder next;
    uint64_t hits, misses;
} cache;

static void cache_open(cache *c, inc_store *store, const inc_allocator *alloc)
{
    memset(c, 0, sizeof(*c));
    inc__buf_init(&c->old.ids, alloc);
    c->old.alloc = alloc;
    inc__pmc_builder_init(&c->next, alloc);
    c->on = inc__journal_is(store, &c->writable);
    if (c->on)
        inc__pmc_open(&c->old, store, alloc);
    if (c->writable && c->old.count == 0) /* it will be written whole: as it is made */
        (void)inc__pmc_builder_stream(&c->next, store);
}

/* Rewrite the file when enough of it is stale: a changed or new incident
 * costs a read of its file on each scan until then, a rewrite costs the
 * whole file, so up to 1/64 of the incidents may be read. */
static void cache_close(cache *c, inc_store *store, size_t incidents, int scan_rc)
{
    uint64_t gone = c->old.count > c->hits ? c->old.count - c->hits : 0;
    uint64_t stale = c->misses > gone ? c->misses : gone;
    int written = 0;
    if (scan_rc == INC_OK && c->writable && stale > 0 &&
        (stale * 64 >= incidents || c->old.count == 0))
        written = inc__pmc_write(&c->next, &c->old, store) == INC_OK;
    if (c->on)
        inc__journal_count_summaries(store, c->hits, c->misses, written);
    inc__pmc_builder_dispose(&c->next);
    inc__pmc_close(&c->old);
}

static void copy_text(char *dst, size_t size, const char *src, size_t len)
{
    copy_field(dst, size, (const uint8_t *)src, (uint32_t)len);
}

/* The incident from its cache entry. INC_ECORRUPT (err cleared) when the
 * entry's events do not decode: the caller reads the file instead. */
static int from_entry(scan *sc, const char *id, const inc__pmc_entry *e)
{
    int rc;
    reset(sc, id);
    copy_text(sc->title, sizeof(sc->title), e->title, e->title_len);
    copy_text(sc->severity, sizeof(sc->severity), e->severity, e->severity_len);
    copy_text(sc->declarer, sizeof(sc->declarer), e->declarer, e->declarer_len);
    copy_text(sc->channel, sizeof(sc->channel), e->channel, e->channel_len);
    sc->s.last_seq = e->last_seq;
    sc->s.drill = e->drill;
    sc->s.state = e->state;
    sc->s.pm_status = e->pm_status;
    sc->s.declared_at = e->declared_at;
    sc->s.impact_started = e->impact_started;
    sc->s.detected = e->detected;
    sc->s.mitigated_at = e->mitigated_at;
    sc->s.resolved_at = e->resolved_at;
    sc->s.first_page_at = e->first_page_at;
    sc->s.first_ack_at = e->first_ack_at;
    if (inc__buf_put(&sc->kept, e->kept, e->kept_len) != INC_OK)
        return inc__error_oom(sc->err);
    rc = read_kept(sc);
    if (rc == INC_ENOMEM)
        return inc__error_oom(sc->err);
    if (rc != INC_OK) {
        inc__error_clear(sc->err);
        return INC_ECORRUPT;
    }
    sc->s.items = sc->items;
    sc->s.paged = sc->paged;
    return INC_OK;
}

/* One incident: from the cache when its file has the stamp of its entry,
 * else read (and noted for the next cache if the read took the file whole).
 * With no cache to compare with (a first scan) the file is not stat'ed
 * first: the stamp is the one its open for the read took. */
static int scan_incident(scan *sc, cache *c, inc_store *store, const char *id)
{
    inc__jstamp st;
    inc__pmc_entry e;
    int stamped = c->old.count > 0 && inc__journal_stamp(store, id, &st) == INC_OK;
    int rc;

    if (stamped && inc__pmc_find(&c->old, id, &st, &e)) {
        rc = from_entry(sc, id, &e);
        if (rc == INC_OK) {
            c->hits++;
            if (c->writable)
                inc__pmc_add_hit(&c->next, &e);
        }
        if (rc != INC_ECORRUPT)
            return rc;
    }
    rc = scan_one(sc, store, id);
    if (rc != INC_OK)
        return rc;
    c->misses += c->on;
    if (!c->writable)
        return INC_OK;
    if (stamped ? inc__journal_read_whole(store, id, &st) : inc__journal_read_stamp(store, id, &st))
        inc__pmc_add_read(&c->next, id, &st, &sc->s, (const uint8_t *)sc->kept.ptr, sc->kept.len);
    return INC_OK;
}

static int scan_by_incident(inc_context *ctx, inc__pm_scan_cb cb, inc__pm_skip_cb skip, void *user,
                            inc_error *err);

static void scan_dispose(scan *sc)
{
    inc__buf_dispose(&sc->kept);
    inc__free(sc->alloc, sc->items);
    inc__free(sc->alloc, (void *)sc->paged);
    inc__free(sc->alloc, sc->holders);
    inc__free(sc->alloc, sc->fields);
}

/* ---- the bulk scan ------------------------------------------------------------ */

/* Over a backend with a bulk `scan` (a database): one pass over every
 * event, the incidents one after another; each is summed up when the next
 * begins (and the last at the end). */
typedef struct bulk {
    scan *sc;
    inc__pm_scan_cb cb;
    void *user;
    int started;
    int rc; /* why the pass stopped */
} bulk;

static int bulk_finish(bulk *b)
{
    int rc = read_kept(b->sc);
    if (rc == INC_ENOMEM)
        return inc__error_oom(b->sc->err);
    if (rc != INC_OK)
        return rc;
    b->sc->s.items = b->sc->items;
    b->sc->s.paged = b->sc->paged;
    return b->cb(b->user, &b->sc->s);
}

static int on_bulk_event(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    bulk *b = user;
    if (!b->started || strcmp(id, b->sc->id) != 0) {
        if (b->started && (b->rc = bulk_finish(b)) != INC_OK)
            return 1;
        if (!inc__id_valid(id)) {
            b->rc = inc_error_set(b->sc->err, INC_ECORRUPT, "the store's scan gave a bad id");
            return 1;
        }
        reset(b->sc, id);
        b->started = 1;
    }
    if (on_event(b->sc, seq, data, len) != 0) {
        b->rc = b->sc->rc;
        if (b->rc == INC_ECORRUPT && b->sc->err && b->sc->err->code == INC_OK)
            inc_error_set(b->sc->err, INC_ECORRUPT, "incident %s: an event is malformed", id);
        return 1;
    }
    return 0;
}

static int scan_bulk(scan *sc, inc_context *ctx, inc__pm_scan_cb cb, void *user)
{
    bulk b;
    int rc;
    memset(&b, 0, sizeof(b));
    b.sc = sc;
    b.cb = cb;
    b.user = user;
    rc = inc_store_scan(ctx->store, on_bulk_event, &b);
    if (rc == 1)
        return b.rc == INC_ENOMEM ? inc__error_oom(sc->err) : b.rc;
    if (rc != INC_OK)
        return inc__error_copy(sc->err, inc_store_error(ctx->store));
    return b.started ? bulk_finish(&b) : INC_OK;
}

int inc__pm_scan(inc_context *ctx, inc__pm_scan_cb cb, void *user, inc_error *err)
{
    return inc__pm_scan_skipping(ctx, cb, NULL, user, err);
}

int inc__pm_scan_skipping(inc_context *ctx, inc__pm_scan_cb cb, inc__pm_skip_cb skip, void *user,
                          inc_error *err)
{
    int writable;
    if (inc__store_has_scan(ctx->store) && !inc__journal_is(ctx->store, &writable)) {
        scan sc;
        int rc;
        memset(&sc, 0, sizeof(sc));
        sc.alloc = &ctx->alloc;
        sc.err = err;
        inc__buf_init(&sc.kept, sc.alloc);
        rc = scan_bulk(&sc, ctx, cb, user);
        scan_dispose(&sc);
        return rc;
    }
    return scan_by_incident(ctx, cb, skip, user, err);
}

/* One incident at a time, through the journal's summary cache when the
 * store is a journal. */
static int scan_by_incident(inc_context *ctx, inc__pm_scan_cb cb, inc__pm_skip_cb skip, void *user,
                            inc_error *err)
{
    inc__ids l;
    scan sc;
    cache c;
    size_t i;
    int rc = inc__context_ids(ctx, &l, err);

    memset(&sc, 0, sizeof(sc));
    sc.alloc = &ctx->alloc;
    sc.err = err;
    inc__buf_init(&sc.kept, sc.alloc);
    cache_open(&c, ctx->store, &ctx->alloc);
    for (i = 0; i < l.n && rc == INC_OK; i++) {
        rc = scan_incident(&sc, &c, ctx->store, l.v[i]);
        if (rc == INC_OK)
            rc = cb(user, &sc.s);
        else if (rc != INC_ENOMEM && skip && (rc = skip(user, l.v[i], rc, err)) == INC_OK)
            inc__error_clear(err);
    }
    cache_close(&c, ctx->store, l.n, rc);
    inc__ids_free(ctx, &l);
    scan_dispose(&sc);
    return rc;
}
