/* The scheduler over many incidents (ESC-2): next due is the earliest over
 * every tracked incident, writes through any handle reschedule, a poll
 * delivers each item once and agrees with what each incident says is due,
 * loading after a restart, limits, options and allocation failures. */
#include "test_due_util.h"
#include "incident/sys/store.h"

static int setup(void **state)
{
    *state = fx_new();
    return 0;
}

static int teardown(void **state)
{
    fx_free(*state);
    return 0;
}

/* A one-level rubric whose only due item is a re-page after 15 minutes
 * unacknowledged: timings the tests can read at a glance. */
static void use_simple_rubric(due_fx *f)
{
    inc_rubric *r = NULL;
    assert_int_equal(inc_rubric_new(NULL, "simple", &r), INC_OK);
    assert_int_equal(inc_rubric_add_level(r, "P1", NULL), INC_OK);
    assert_int_equal(
        inc_rubric_add_escalation(r, 0, 15 * MINUTE, INC_ESC_UNACKNOWLEDGED, "on-call,backup"),
        INC_OK);
    assert_int_equal(inc_context_set_rubric(f->ctx, r), INC_OK);
    inc_rubric_free(r);
}

/* Declare without keeping the handle; returns the id in @id. */
static void declare_id(due_fx *f, const char *severity, const char *title, char *id)
{
    inc_incident *inc = fx_declare(f, severity, title);
    snprintf(id, INC_ID_MAX + 1, "%s", inc_incident_id(inc));
    fx_release(f, inc);
}

static void test_ESC_02_next_due_is_the_earliest_over_every_incident(void **state)
{
    due_fx *f = *state;
    gotlist *g = calloc(1, sizeof(*g));
    char a[INC_ID_MAX + 1], b[INC_ID_MAX + 1], c[INC_ID_MAX + 1];

    use_simple_rubric(f);
    assert_int_equal(inc_scheduler_next_due(f->sched), INC_TIME_NONE);
    fx_at(f, 10 * MINUTE);
    declare_id(f, "P1", "second", b);
    fx_at(f, 20 * MINUTE);
    declare_id(f, "P1", "third", c);
    fx_at(f, 5 * MINUTE); /* a program may declare with an earlier clock too */
    declare_id(f, "P1", "first", a);
    assert_int_equal(inc_scheduler_count(f->sched), 3);
    assert_int_equal(inc_scheduler_next_due(f->sched), T0 + 20 * MINUTE);
    fx_at(f, 25 * MINUTE);
    fx_poll(f, g);
    assert_int_equal(g->n, 2);
    assert_string_equal(g->v[0].id, a);
    assert_string_equal(g->v[1].id, b);
    assert_int_equal(g->v[1].late, 0);
    assert_int_equal(inc_scheduler_next_due(f->sched), T0 + 35 * MINUTE);
    assert_int_equal(inc_scheduler_count(f->sched), 1);
    fx_at(f, 35 * MINUTE);
    fx_poll(f, g);
    assert_int_equal(g->n, 3);
    assert_string_equal(g->v[2].id, c);
    assert_int_equal(inc_scheduler_next_due(f->sched), INC_TIME_NONE);
    free(g);
}

static void test_ESC_02_writes_through_any_handle_reschedule(void **state)
{
    due_fx *f = *state;
    gotlist *g = calloc(1, sizeof(*g));
    inc_incident *inc, *again = NULL;
    char id[INC_ID_MAX + 1];

    use_simple_rubric(f);
    declare_id(f, "P1", "acked elsewhere", id);
    assert_int_equal(inc_scheduler_next_due(f->sched), T0 + 15 * MINUTE);
    /* A handle the program opens itself: acknowledging through it
     * unschedules the re-page at once. */
    assert_int_equal(inc_incident_open(f->ctx, id, &inc), INC_OK);
    fx_at(f, 3 * MINUTE);
    assert_int_equal(inc_incident_acknowledge(inc, "bob", 0), INC_OK);
    assert_int_equal(inc_scheduler_next_due(f->sched), INC_TIME_NONE);
    assert_int_equal(inc_scheduler_count(f->sched), 0);
    inc_incident_free(inc);
    fx_run(f, 3, 30, g);
    assert_int_equal(g->n, 0);
    /* A new incident is tracked from its declaration, and the program's
     * handle stays current through the scheduler's deliveries. */
    inc = fx_declare(f, "P1", "kept open");
    fx_run(f, 31, 46, g);
    assert_int_equal(g->n, 1);
    assert_int_equal(inc_incident_mark_page_sent(inc, "pager", g->v[0].seq, "bob"), INC_OK);
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(inc), &again), INC_OK);
    assert_int_equal(inc_incident_last_seq(again), inc_incident_last_seq(inc));
    inc_incident_free(again);
    fx_release(f, inc);
    free(g);
}

static void test_ESC_02_poll_max_leaves_the_rest_due(void **state)
{
    due_fx *f = *state;
    char id[INC_ID_MAX + 1];
    inc_due_list *l = NULL;
    size_t i, total = 0;

    use_simple_rubric(f);
    for (i = 0; i < 5; i++)
        declare_id(f, "P1", "burst", id);
    fx_at(f, 15 * MINUTE);
    for (i = 0; i < 3; i++) {
        assert_int_equal(inc_scheduler_poll(f->sched, 2, &l), INC_OK);
        assert_int_equal(inc_due_list_count(l), i < 2 ? 2 : 1);
        total += inc_due_list_count(l);
        inc_due_list_free(l);
    }
    assert_int_equal(total, 5);
    assert_int_equal(inc_scheduler_next_due(f->sched), INC_TIME_NONE);
    assert_int_equal(inc_scheduler_poll(f->sched, 2, &l), INC_OK);
    assert_int_equal(inc_due_list_count(l), 0);
    inc_due_list_free(l);
}

/* 300 incidents of every level, declared a minute apart, then run for five
 * hours: each incident gets exactly what it said was due when the run
 * started, each item once. */
static void test_ESC_02_many_incidents_each_item_exactly_once(void **state)
{
    enum { N = 300, RUN_TO = 600 };
    static const char *const levels[] = {"Sev-0", "Sev-1", "Sev-2", "Sev-3", "Sev-4"};
    due_fx *f = *state;
    gotlist *g = calloc(1, sizeof(*g));
    static char ids[N][INC_ID_MAX + 1];
    size_t expected = 0, i, j;

    for (i = 0; i < N; i++) {
        char title[32];
        fx_at(f, (int64_t)i * MINUTE);
        snprintf(title, sizeof(title), "incident %zu", i);
        declare_id(f, levels[i % 5], title, ids[i]);
    }
    for (i = 0; i < N; i++) {
        inc_incident *inc = NULL;
        inc_due_list *l = NULL;
        assert_int_equal(inc_incident_open(f->ctx, ids[i], &inc), INC_OK);
        assert_int_equal(inc_incident_due(inc, (RUN_TO - (N - 1)) * MINUTE, &l), INC_OK);
        expected += inc_due_list_count(l);
        inc_due_list_free(l);
        inc_incident_free(inc);
    }
    fx_run(f, N - 1, RUN_TO, g);
    assert_int_equal(g->n, expected);
    assert_true(got_count(g, INC_DUE_ESCALATION) > 100);
    for (i = 0; i < g->n; i++) {
        assert_true(g->v[i].due_off <= g->v[i].at_off);
        if (g->v[i].at_off > (N - 1) * MINUTE)
            assert_int_equal(g->v[i].late, 0); /* after the start, always on time */
        for (j = i + 1; j < g->n; j++)
            assert_false(g->v[i].kind == g->v[j].kind && g->v[i].due_off == g->v[j].due_off &&
                         g->v[i].step == g->v[j].step && g->v[i].loop == g->v[j].loop &&
                         strcmp(g->v[i].target, g->v[j].target) == 0 &&
                         strcmp(g->v[i].id, g->v[j].id) == 0);
    }
    free(g);
}

static void test_ESC_02_load_watch_and_forget(void **state)
{
    due_fx *f = *state;
    char a[INC_ID_MAX + 1], b[INC_ID_MAX + 1];
    inc_incident *inc;
    size_t i;

    declare_id(f, "Sev-2", "stays open", a);
    inc = fx_declare(f, "Sev-4", "gets closed");
    snprintf(b, sizeof(b), "%s", inc_incident_id(inc));
    for (i = INC_STATE_INVESTIGATING; i <= INC_STATE_CLOSED; i++)
        assert_int_equal(inc_incident_set_state(inc, "alice", (inc_state)i, "ok"), INC_OK);
    fx_release(f, inc);
    fx_close(f, 1);
    fx_open(f, NULL);
    assert_int_equal(inc_scheduler_count(f->sched), 0);
    assert_int_equal(inc_scheduler_load(f->sched), INC_OK);
    assert_int_equal(inc_scheduler_count(f->sched), 1);
    assert_int_equal(inc_scheduler_load(f->sched), INC_OK); /* again: same */
    assert_int_equal(inc_scheduler_count(f->sched), 1);
    assert_int_equal(inc_scheduler_forget(f->sched, a), INC_OK);
    assert_int_equal(inc_scheduler_forget(f->sched, a), INC_ENOTFOUND);
    assert_int_equal(inc_scheduler_count(f->sched), 0);
    assert_int_equal(inc_scheduler_watch(f->sched, a), INC_OK);
    assert_int_equal(inc_scheduler_count(f->sched), 1);
    assert_int_equal(inc_scheduler_watch(f->sched, a), INC_OK);
    assert_int_equal(inc_scheduler_count(f->sched), 1);
    assert_int_equal(inc_scheduler_watch(f->sched, b), INC_OK); /* closed: tracked, nothing due */
    assert_int_equal(inc_scheduler_count(f->sched), 1);
    assert_int_equal(inc_scheduler_watch(f->sched, "2026-01-01-nothing"), INC_ENOTFOUND);
    assert_non_null(strstr(inc_scheduler_errmsg(f->sched), "2026-01-01-nothing"));
    assert_int_equal(inc_scheduler_watch(f->sched, "Not An Id"), INC_EINVAL);
    assert_int_equal(inc_scheduler_watch(f->sched, NULL), INC_EINVAL);
    assert_int_equal(inc_scheduler_forget(f->sched, NULL), INC_EINVAL);
}

/* ---- the first load through a bulk scan ------------------------------------------ */

/* A store over a shared memory store that counts reads; with `scan` set it
 * also has a bulk scan (version 2), which the scheduler's load must take. */
typedef struct counting {
    inc_store_backend base;
    inc_store *inner; /* not owned */
    int reads, scans;
} counting;

static int ct_append(inc_store_backend *self, const char *id, uint64_t expected,
                     const inc_store_record *r, size_t n, inc_error *err)
{
    int rc = inc_store_append(((counting *)self)->inner, id, expected, r, n);
    return rc == INC_OK ? rc : inc_error_set(err, rc, "inner append failed");
}

static int ct_read(inc_store_backend *self, const char *id, uint64_t from, inc_store_event_cb cb,
                   void *user, inc_error *err)
{
    (void)err;
    ((counting *)self)->reads++;
    return inc_store_read(((counting *)self)->inner, id, from, cb, user);
}

static int ct_list(inc_store_backend *self, inc_store_id_cb cb, void *user, inc_error *err)
{
    (void)err;
    return inc_store_list(((counting *)self)->inner, cb, user);
}

static int ct_scan(inc_store_backend *self, inc_store_scan_cb cb, void *user, inc_error *err)
{
    (void)err;
    ((counting *)self)->scans++;
    return inc_store_scan(((counting *)self)->inner, cb, user);
}

/* The inner store keeps the declarations' rubrics as blobs: pass them on. */
static int ct_put_blob(inc_store_backend *self, const char *key, const void *data, size_t len,
                       inc_error *err)
{
    (void)err;
    (void)key;
    return inc_store_put_blob(((counting *)self)->inner, data, len, NULL);
}

static int ct_get_blob(inc_store_backend *self, const char *key, inc_store_blob_cb cb, void *user,
                       inc_error *err)
{
    (void)err;
    return inc_store_get_blob(((counting *)self)->inner, key, cb, user);
}

static void ct_free(inc_store_backend *self)
{
    free(self);
}

static inc_store *counting_store(inc_store *inner, int with_scan, counting **out)
{
    counting *c = calloc(1, sizeof(*c));
    inc_store *s = NULL;
    assert_non_null(c);
    assert_int_equal(inc_store_backend_init(&c->base, INC_STORE_BACKEND_VERSION), INC_OK);
    c->base.append = ct_append;
    c->base.read = ct_read;
    c->base.list = ct_list;
    c->base.scan = with_scan ? ct_scan : NULL;
    c->base.free = ct_free;
    c->base.put_blob = ct_put_blob;
    c->base.get_blob = ct_get_blob;
    c->inner = inner;
    assert_int_equal(inc_store_new(&c->base, NULL, &s), INC_OK);
    *out = c;
    return s;
}

static inc_scheduler *loaded(inc_store *store, inc_context **ctx, struct inc_test_clock *clock)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_scheduler *s = NULL;
    o.store = store;
    o.clock = inc_test_clock_fn;
    o.clock_user = clock;
    assert_int_equal(inc_context_new(&o, ctx), INC_OK);
    assert_int_equal(inc_scheduler_new(*ctx, NULL, &s), INC_OK);
    assert_int_equal(inc_scheduler_load(s), INC_OK);
    return s;
}

/* ESC-2 over a database: the load is one scan, no read per incident, and
 * schedules exactly what the load by reads does (a closed incident left
 * out, the earliest due time the same), and both deliver the same. */
static void test_ESC_02_load_through_bulk_scan(void **state)
{
    due_fx *f = *state;
    static const char *const sev[] = {"Sev-1", "Sev-2", "Sev-3", "Sev-4"};
    inc_store *inner = f->store, *with, *without;
    counting *cw, *cwo;
    inc_context *ctx_with, *ctx_without;
    inc_scheduler *a, *b;
    inc_incident *inc;
    inc_due_list *la = NULL, *lb = NULL;
    size_t i;
    for (i = 0; i < 12; i++) {
        char title[32];
        fx_at(f, (int64_t)i * MINUTE);
        snprintf(title, sizeof(title), "incident %zu", i);
        fx_release(f, fx_declare(f, sev[i % 4], title));
    }
    inc = fx_declare(f, "Sev-4", "closed");
    for (i = INC_STATE_INVESTIGATING; i <= INC_STATE_CLOSED; i++)
        assert_int_equal(inc_incident_set_state(inc, "alice", (inc_state)i, "ok"), INC_OK);
    fx_release(f, inc);
    with = counting_store(inner, 1, &cw);
    without = counting_store(inner, 0, &cwo);
    a = loaded(with, &ctx_with, &f->clock);
    b = loaded(without, &ctx_without, &f->clock);
    assert_int_equal(cw->scans, 1);
    assert_int_equal(cw->reads, 0);
    assert_int_equal(cwo->reads, 13);
    assert_int_equal(inc_scheduler_count(a), 12);
    assert_int_equal(inc_scheduler_count(a), inc_scheduler_count(b));
    assert_int_equal(inc_scheduler_next_due(a), inc_scheduler_next_due(b));
    /* What the first would deliver is what the second would: polled on
     * copies of the clock's time, the first one delivers and the second,
     * on the same storage, then finds nothing left. */
    fx_at(f, 2 * HOUR);
    assert_int_equal(inc_scheduler_poll(a, 0, &la), INC_OK);
    assert_true(inc_due_list_count(la) > 0);
    assert_int_equal(inc_scheduler_poll(b, 0, &lb), INC_OK);
    assert_int_equal(inc_due_list_count(lb), 0);
    inc_due_list_free(la);
    inc_due_list_free(lb);
    inc_scheduler_free(a);
    inc_scheduler_free(b);
    inc_context_free(ctx_with);
    inc_context_free(ctx_without);
    inc_store_free(with);
    inc_store_free(without);
}

static void test_ESC_02_scheduler_options_and_errors(void **state)
{
    due_fx *f = *state;
    inc_scheduler_options o = INC_SCHEDULER_OPTIONS_INIT;
    inc_scheduler *s = (inc_scheduler *)f;
    inc_due_list *l = (inc_due_list *)f;
    gotlist *g = calloc(1, sizeof(*g));
    inc_incident *inc;
    inc_event_info ev;

    assert_int_equal(inc_scheduler_new(f->ctx, NULL, &s), INC_EEXIST);
    assert_null(s);
    inc_scheduler_free(f->sched);
    f->sched = NULL;
    o.version = 0;
    assert_int_equal(inc_scheduler_new(f->ctx, &o, &s), INC_EVERSION);
    assert_int_equal(inc_scheduler_options_init(&o, 99), INC_EVERSION);
    assert_int_equal(inc_scheduler_options_init(NULL, INC_SCHEDULER_OPTIONS_VERSION), INC_EINVAL);
    assert_int_equal(inc_scheduler_options_init(&o, INC_SCHEDULER_OPTIONS_VERSION), INC_OK);
    o.actor = "bad\nactor";
    assert_int_equal(inc_scheduler_new(f->ctx, &o, &s), INC_EINVAL);
    assert_int_equal(inc_scheduler_new(NULL, &o, &s), INC_EINVAL);
    o.actor = "pager";
    o.max_open = 1;
    assert_int_equal(inc_scheduler_new(f->ctx, &o, &f->sched), INC_OK);
    assert_int_equal(inc_scheduler_poll(f->sched, 0, NULL), INC_EINVAL);
    assert_int_equal(inc_scheduler_poll(NULL, 0, &l), INC_EINVAL);
    assert_int_equal(inc_scheduler_next_due(NULL), INC_TIME_NONE);
    assert_int_equal(inc_scheduler_count(NULL), 0);
    assert_string_equal(inc_scheduler_errmsg(NULL), "");
    assert_int_equal(inc_scheduler_load(NULL), INC_EINVAL);
    inc_scheduler_free(NULL);
    /* Deliveries are recorded under the configured actor. */
    inc = fx_declare(f, "Sev-1", "actor");
    fx_run(f, 0, 0, g);
    assert_true(g->n > 0);
    assert_int_equal(inc_incident_get_event(inc, (size_t)g->v[0].seq - 1, &ev), INC_OK);
    assert_string_equal(ev.actor, "pager");
    fx_release(f, inc);
    free(g);
}

/* Poll with every allocation failing in turn: whatever is in the list was
 * recorded, whatever was recorded is in the list, and the next poll
 * delivers the rest. */
static void test_ESC_02_poll_allocation_failures_lose_nothing(void **state)
{
    unsigned long n;
    (void)state;

    for (n = 1; n < 2000; n++) {
        struct inc_test_alloc ta;
        inc_allocator a;
        inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
        struct inc_test_clock clock;
        inc_context *ctx = NULL;
        inc_scheduler *s = NULL;
        inc_due_list *l = NULL;
        char ids[3][INC_ID_MAX + 1];
        size_t delivered, recorded = 0, i;
        int rc;

        inc_test_alloc_init(&ta);
        a = inc_test_alloc_allocator(&ta);
        inc_test_clock_init(&clock, T0);
        o.allocator = &a;
        o.clock = inc_test_clock_fn;
        o.clock_user = &clock;
        assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
        assert_int_equal(inc_scheduler_new(ctx, NULL, &s), INC_OK);
        for (i = 0; i < 3; i++) {
            inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
            inc_incident *inc = NULL;
            d.title = "oom";
            d.declarer = "alice";
            d.severity = i == 1 ? "Sev-2" : "Sev-1";
            assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
            snprintf(ids[i], sizeof(ids[i]), "%s", inc_incident_id(inc));
            inc_incident_free(inc);
        }
        clock.now = T0 + 5 * HOUR;
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_scheduler_poll(s, 0, &l);
        inc_test_alloc_arm(&ta, 0, 0);
        assert_true(rc == INC_OK || rc == INC_ENOMEM);
        delivered = inc_due_list_count(l);
        inc_due_list_free(l);
        for (i = 0; i < 3; i++) {
            inc_incident *inc = NULL;
            assert_int_equal(inc_incident_open(ctx, ids[i], &inc), INC_OK);
            recorded += inc_incident_event_count(inc) - 1;
            inc_incident_free(inc);
        }
        assert_int_equal(delivered, recorded);
        /* A failed incident is retried a second later. */
        clock.now += 1000;
        assert_int_equal(inc_scheduler_poll(s, 0, &l), INC_OK);
        delivered += inc_due_list_count(l);
        inc_due_list_free(l);
        /* Sev-1: 4 steps, ack, 3 heartbeats, 3 comms, staffing, Scribe (13);
         * Sev-2: 3 steps, ack, 3 heartbeats, 2 comms, staffing, Scribe (11). */
        assert_int_equal(delivered, 13 + 11 + 13);
        assert_int_equal(inc_scheduler_next_due(s), INC_TIME_NONE);
        inc_scheduler_free(s);
        inc_context_free(ctx);
        assert_int_equal(ta.live_blocks, 0);
        if (rc == INC_OK)
            return;
    }
    fail_msg("poll never succeeded");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_ESC_02_next_due_is_the_earliest_over_every_incident),
        T(test_ESC_02_writes_through_any_handle_reschedule),
        T(test_ESC_02_poll_max_leaves_the_rest_due),
        T(test_ESC_02_many_incidents_each_item_exactly_once),
        T(test_ESC_02_load_watch_and_forget),
        T(test_ESC_02_scheduler_options_and_errors),
        T(test_ESC_02_load_through_bulk_scan),
        T(test_ESC_02_poll_allocation_failures_lose_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
