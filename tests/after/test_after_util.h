/* Helpers shared by test_postmortem.c, test_action_items.c, test_audit.c and
 * test_metrics.c: a context on a fake clock over a memory store, declaring
 * at a given time, moving an incident through its lifecycle, and the 001
 * seed's "first ten minutes" of a Sev-2 as a script. */
#ifndef TEST_PM_UTIL_H
#define TEST_PM_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "incident/sys/store.h"
#include "test_support.h"

#define T0   1795443120000LL /* 2026-11-23T14:12:00Z */
#define MIN  (60LL * 1000)
#define HOUR (60 * MIN)
#define DAY  (24 * HOUR)

typedef struct pm_fx {
    struct inc_test_clock clock;
    inc_store *store;
    inc_context *ctx;
    inc_incident *inc;
} pm_fx;

/* A context over a new memory store (or @store), default rubric, advisory
 * policy, the clock at T0; @alloc may be NULL. */
static inline pm_fx *pm_fx_new_with(const inc_allocator *alloc, inc_store *store)
{
    pm_fx *f = calloc(1, sizeof(*f));
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    assert_non_null(f);
    inc_test_clock_init(&f->clock, T0);
    if (!store)
        assert_int_equal(inc_store_memory_new(NULL, &store), INC_OK);
    f->store = store;
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    o.store = f->store;
    o.allocator = alloc;
    assert_int_equal(inc_context_new(&o, &f->ctx), INC_OK);
    return f;
}

static inline pm_fx *pm_fx_new(void)
{
    return pm_fx_new_with(NULL, NULL);
}

static inline void pm_fx_free(pm_fx *f)
{
    inc_incident_free(f->inc);
    inc_context_free(f->ctx);
    inc_store_free(f->store);
    free(f);
}

/* Set the clock to T0 + @off. */
static inline void at(pm_fx *f, int64_t off)
{
    f->clock.now = T0 + off;
}

/* Declare at the clock's time (f->inc; the previous one is freed). */
static inline void pm_declare(pm_fx *f, const char *title, const char *severity, unsigned criteria,
                              int drill, inc_time impact, inc_time detected)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident_free(f->inc);
    f->inc = NULL;
    d.title = title;
    d.declarer = "alice";
    d.severity = severity;
    d.criteria = criteria;
    d.drill = drill;
    d.impact_started = impact;
    d.detected = detected;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &f->inc), INC_OK);
}

/* Move f->inc by the IC "alice" to @state at T0 + @off. */
static inline void pm_state(pm_fx *f, int64_t off, inc_state state)
{
    at(f, off);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", state,
                                            state == INC_STATE_RESOLVED
                                                ? "checkout verified end to end by hand"
                                                : NULL),
                     INC_OK);
}

/* investigating at +@a, mitigating at +@b, monitoring at +@c, resolved at +@d. */
static inline void pm_resolve(pm_fx *f, int64_t a, int64_t b, int64_t c, int64_t d)
{
    pm_state(f, a, INC_STATE_INVESTIGATING);
    pm_state(f, b, INC_STATE_MITIGATING);
    pm_state(f, c, INC_STATE_MONITORING);
    pm_state(f, d, INC_STATE_RESOLVED);
}

static inline void pm_assign(pm_fx *f, int64_t off, const char *who, inc_role role,
                             const char *domain)
{
    at(f, off);
    assert_int_equal(inc_incident_assign_role(f->inc, "alice", who, role, domain), INC_OK);
}

static inline void pm_update(pm_fx *f, int64_t off, const char *who, inc_audience aud,
                             const char *body)
{
    inc_update u = INC_UPDATE_INIT;
    at(f, off);
    u.audience = aud;
    u.body = body;
    assert_int_equal(inc_incident_add_update(f->inc, who, &u, NULL, NULL), INC_OK);
}

static inline void pm_can(pm_fx *f, int64_t off, const char *who, inc_can_kind kind,
                          const char *actions)
{
    inc_can_report r = INC_CAN_REPORT_INIT;
    at(f, off);
    r.kind = kind;
    r.addressee = kind == INC_CAN_SME_TO_IC ? "alice" : NULL;
    r.conditions = "Checkout error rate 12% in EU, US nominal.";
    r.actions = actions;
    r.needs = "none";
    assert_int_equal(inc_incident_add_can(f->inc, who, &r, NULL, NULL), INC_OK);
}

#define EXT_BODY                                                                                   \
    "We are investigating failed checkouts affecting customers in the EU region. Next update "     \
    "in 30 minutes."
#define INT_BODY "Checkout degraded for EU customers; response under way. Next update in 1 hour."

/* The 001 runbook's first ten minutes of a customer-facing Sev-2, declared
 * by alice at T0: SME at T+1, Comms Lead and Internal Liaison at T+2, the
 * Scribe at T+@scribe_min, a bridge at T+4, the IC's first CAN at T+5 when
 * @with_can, the first external update at T+6 and internal at T+7. */
static inline void pm_first_ten(pm_fx *f, int64_t scribe_min, int with_can)
{
    at(f, 0);
    pm_declare(f, "Checkout failing in EU", "Sev-2", INC_CRIT_CUSTOMER_VISIBLE, 0, INC_TIME_NONE,
               INC_TIME_NONE);
    pm_assign(f, 1 * MIN, "bob", INC_ROLE_SME, "payments");
    pm_assign(f, 2 * MIN, "carol", INC_ROLE_COMMS, NULL);
    pm_assign(f, 2 * MIN, "erin", INC_ROLE_LIAISON, NULL);
    if (scribe_min < 4)
        pm_assign(f, scribe_min * MIN, "frank", INC_ROLE_SCRIBE, NULL);
    at(f, 4 * MIN);
    assert_int_equal(
        inc_incident_open_bridge(f->inc, "alice", "https://meet.example/inc-eu", NULL, NULL),
        INC_OK);
    if (with_can)
        pm_can(f, 5 * MIN, "alice", INC_CAN_TOP_OF_HOUR, "Rolling back the 14:05 deploy.");
    pm_update(f, 6 * MIN, "carol", INC_AUDIENCE_EXTERNAL, EXT_BODY);
    pm_update(f, 7 * MIN, "erin", INC_AUDIENCE_INTERNAL, INT_BODY);
    if (scribe_min >= 4)
        pm_assign(f, scribe_min * MIN, "frank", INC_ROLE_SCRIBE, NULL);
}

/* ---- a backend with a bulk scan ---------------------------------------------------- */

/* A memory store behind a version-2 backend that has `scan` and counts
 * the calls: the store-wide reads must take its scan (one pass each, no
 * read per incident) and give exactly the memory store's outputs. */
typedef struct scanning {
    inc_store_backend base;
    inc_store *inner;
    int scans, reads;
} scanning;

static inline int sc_append(inc_store_backend *self, const char *id, uint64_t expected,
                            const inc_store_record *r, size_t n, inc_error *err)
{
    scanning *b = (scanning *)self;
    int rc = inc_store_append(b->inner, id, expected, r, n);
    return rc == INC_OK ? rc : inc_error_set(err, rc, "%s", inc_store_errmsg(b->inner));
}

static inline int sc_read(inc_store_backend *self, const char *id, uint64_t from,
                          inc_store_event_cb cb, void *user, inc_error *err)
{
    scanning *b = (scanning *)self;
    (void)err;
    b->reads++;
    return inc_store_read(b->inner, id, from, cb, user);
}

static inline int sc_list(inc_store_backend *self, inc_store_id_cb cb, void *user, inc_error *err)
{
    (void)err;
    return inc_store_list(((scanning *)self)->inner, cb, user);
}

static inline int sc_scan(inc_store_backend *self, inc_store_scan_cb cb, void *user, inc_error *err)
{
    scanning *b = (scanning *)self;
    (void)err;
    b->scans++;
    return inc_store_scan(b->inner, cb, user); /* the memory store's: list + read */
}

static inline void sc_free(inc_store_backend *self)
{
    scanning *b = (scanning *)self;
    inc_store_free(b->inner);
    free(b);
}

/* A new store over a scanning backend (@out: its counters). */
static inline inc_store *scanning_store_new(scanning **out)
{
    scanning *b = calloc(1, sizeof(*b));
    inc_store *s = NULL;
    assert_non_null(b);
    assert_int_equal(inc_store_backend_init(&b->base, INC_STORE_BACKEND_VERSION), INC_OK);
    b->base.append = sc_append;
    b->base.read = sc_read;
    b->base.list = sc_list;
    b->base.scan = sc_scan;
    b->base.free = sc_free;
    assert_int_equal(inc_store_memory_new(NULL, &b->inner), INC_OK);
    assert_int_equal(inc_store_new(&b->base, NULL, &s), INC_OK);
    *out = b;
    return s;
}

#endif
