/* Helpers shared by test_due.c and test_scheduler.c: a context on a fake
 * clock with a scheduler, declaring, and running the clock minute by minute
 * while recording every delivered item. */
#ifndef TEST_DUE_UTIL_H
#define TEST_DUE_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "incident/comms.h"
#include "test_support.h"

#define T0     1795443120000LL /* 2026-11-23T14:12:00Z */
#define MINUTE (60LL * 1000)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

typedef struct due_fx {
    struct inc_test_clock clock;
    inc_store *store;
    inc_context *ctx;
    inc_scheduler *sched;
    /* Handles fx_declare() gave, to be released before the context. */
    inc_incident *follow[8];
    size_t follow_n;
} due_fx;

/* One delivered item, times as offsets from T0. */
typedef struct got {
    inc_due_kind kind;
    int64_t due_off, at_off, late;
    unsigned step, loop;
    uint64_t seq;
    char target[160];
    char id[INC_ID_MAX + 1];
} got;

typedef struct gotlist {
    got v[8192];
    size_t n;
} gotlist;

/* A context on @f's store (created when NULL) and clock, with a scheduler. */
static inline void fx_open(due_fx *f, const inc_rubric *rubric)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    if (!f->store)
        assert_int_equal(inc_store_memory_new(NULL, &f->store), INC_OK);
    o.store = f->store;
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    o.rubric = rubric;
    assert_int_equal(inc_context_new(&o, &f->ctx), INC_OK);
    assert_int_equal(inc_scheduler_new(f->ctx, NULL, &f->sched), INC_OK);
}

/* Free the scheduler and the context; the store too unless @keep_store
 * (a restart: the program goes away, the store stays). */
static inline void fx_close(due_fx *f, int keep_store)
{
    assert_int_equal(f->follow_n, 0); /* release the handles first */
    inc_scheduler_free(f->sched);
    inc_context_free(f->ctx);
    f->sched = NULL;
    f->ctx = NULL;
    if (!keep_store) {
        inc_store_free(f->store);
        f->store = NULL;
    }
}

static inline due_fx *fx_new(void)
{
    due_fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    inc_test_clock_init(&f->clock, T0);
    fx_open(f, NULL);
    return f;
}

static inline void fx_free(due_fx *f)
{
    fx_close(f, 0);
    free(f);
}

static inline void fx_at(due_fx *f, int64_t offset_ms)
{
    f->clock.now = T0 + offset_ms;
}

static inline inc_incident *fx_declare(due_fx *f, const char *severity, const char *title)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    d.title = title;
    d.declarer = "alice";
    d.severity = severity;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    assert_true(f->follow_n < sizeof(f->follow) / sizeof(f->follow[0]));
    f->follow[f->follow_n++] = inc;
    return inc;
}

/* Free a handle fx_declare() gave. */
static inline void fx_release(due_fx *f, inc_incident *inc)
{
    size_t i;
    for (i = 0; i < f->follow_n; i++)
        if (f->follow[i] == inc) {
            f->follow[i] = f->follow[--f->follow_n];
            break;
        }
    inc_incident_free(inc);
}

static inline void got_take(gotlist *g, const inc_due_list *l, inc_time now)
{
    size_t i;
    for (i = 0; i < inc_due_list_count(l); i++) {
        const inc_due_item *it = inc_due_list_at(l, i);
        got *x;
        assert_true(g->n < sizeof(g->v) / sizeof(g->v[0]));
        x = &g->v[g->n++];
        x->kind = it->kind;
        x->due_off = it->due - T0;
        x->at_off = now - T0;
        x->late = it->late_ms;
        x->step = it->step;
        x->loop = it->loop;
        x->seq = it->seq;
        snprintf(x->target, sizeof(x->target), "%s", it->target);
        snprintf(x->id, sizeof(x->id), "%s", it->incident_id);
        assert_int_equal(it->late_ms, now - it->due);
    }
}

/* Poll the scheduler once at the current time. */
static inline void fx_poll(due_fx *f, gotlist *g)
{
    inc_due_list *l = NULL;
    assert_int_equal(inc_scheduler_poll(f->sched, 0, &l), INC_OK);
    got_take(g, l, f->clock.now);
    inc_due_list_free(l);
}

/* Poll every minute from @from to @to (minutes from T0, inclusive). */
static inline void fx_run(due_fx *f, int64_t from, int64_t to, gotlist *g)
{
    int64_t m;
    for (m = from; m <= to; m++) {
        fx_at(f, m * MINUTE);
        fx_poll(f, g);
    }
}

static inline size_t got_count(const gotlist *g, inc_due_kind kind)
{
    size_t i, n = 0;
    for (i = 0; i < g->n; i++)
        n += g->v[i].kind == kind;
    return n;
}

/* The @k-th delivered item of @kind, or fail. */
static inline const got *got_nth(const gotlist *g, inc_due_kind kind, size_t k)
{
    size_t i;
    for (i = 0; i < g->n; i++)
        if (g->v[i].kind == kind && k-- == 0)
            return &g->v[i];
    fail_msg("no item %zu of kind %s", k, inc_due_kind_name(kind));
    return NULL;
}

#endif
