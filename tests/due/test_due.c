/* Due items on one incident at a time: the escalation ladders of ESC-1 to
 * the minute, acknowledgement (ESC-3) and its expiry, severity changes,
 * restarts (ESC-2: fires once), deadline clocks (REG-1), heartbeats and
 * required communications (COMM-2, COMM-4), staffing and the Scribe
 * (ROLE-10, ROLE-12) and allocation failures. Paging records and payloads
 * are in test_paging.c. */
#include "test_due_util.h"

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

static gotlist *gl_new(void)
{
    gotlist *g = calloc(1, sizeof(*g));
    assert_non_null(g);
    return g;
}

static void expect_step(const gotlist *g, size_t k, int64_t minute, const char *target)
{
    const got *x = got_nth(g, INC_DUE_ESCALATION, k);
    assert_int_equal(x->due_off, minute * MINUTE);
    assert_int_equal(x->at_off, minute * MINUTE); /* polled every minute: on time */
    assert_int_equal(x->late, 0);
    assert_string_equal(x->target, target);
}

/* ---- ESC-1: the ladders to the minute ------------------------------------ */

static void test_ESC_01_sev1_ladder_fires_at_15_30_60_120_once_each(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-1", "Checkout down in every region");

    fx_run(f, 0, 6 * 60, g);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 4);
    expect_step(g, 0, 15, "on-call,backup");
    expect_step(g, 1, 30, "team-lead");
    expect_step(g, 2, 60, "engineering-manager,executive");
    expect_step(g, 3, 120, "all-hands");
    assert_int_equal(got_nth(g, INC_DUE_ESCALATION, 0)->step, 1);
    assert_int_equal(got_nth(g, INC_DUE_ESCALATION, 3)->step, 4);
    /* ESC-3: the acknowledge target, once, at 5 minutes. */
    assert_int_equal(got_count(g, INC_DUE_ACK), 1);
    assert_int_equal(got_nth(g, INC_DUE_ACK, 0)->due_off, 5 * MINUTE);
    fx_release(f, inc);
    free(g);
}

static void test_ESC_01_sev2_ladder_fires_at_30_60_240_once_each(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-2", "Search latency 5x");

    fx_run(f, 0, 8 * 60, g);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 3);
    expect_step(g, 0, 30, "on-call,backup");
    expect_step(g, 1, 60, "team-lead");
    expect_step(g, 2, 240, "engineering-manager");
    fx_release(f, inc);
    free(g);
}

static void test_ESC_01_delivery_is_a_page_request_on_the_timeline(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-1", "Payments failing");
    inc_event_info ev;
    const inc_page *p;
    char *line = NULL;
    const got *x;

    fx_run(f, 0, 15, g);
    x = got_nth(g, INC_DUE_ESCALATION, 0);
    assert_int_equal(inc_incident_reload(inc), INC_OK); /* the scheduler wrote it */
    assert_int_equal(inc_incident_get_event(inc, (size_t)x->seq - 1, &ev), INC_OK);
    assert_int_equal(ev.kind, INC_EV_PAGE_REQUESTED);
    assert_string_equal(ev.actor, "scheduler");
    assert_int_equal(ev.time, T0 + 15 * MINUTE);
    assert_int_equal(inc_incident_describe_event(inc, (size_t)x->seq - 1, &line), INC_OK);
    assert_non_null(strstr(line, "Page requested: on-call,backup"));
    inc_free(line);
    assert_int_equal(inc_incident_page_count(inc), 1);
    p = inc_incident_page(inc, 0);
    assert_int_equal(p->request_seq, x->seq);
    assert_int_equal(p->step, 1);
    assert_string_equal(p->severity, "Sev-1");
    assert_null(p->person);
    assert_int_equal(inc_incident_first_page_at(inc), T0 + 15 * MINUTE);
    fx_release(f, inc);
    free(g);
}

/* A ladder repeats N times after its last step (PagerDuty's num_loops). */
static void test_ESC_01_ladder_repeats_after_its_last_step(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_rubric *r = NULL;
    inc_incident *inc;
    size_t i;

    assert_int_equal(inc_rubric_new(NULL, "loops", &r), INC_OK);
    assert_int_equal(inc_rubric_add_level(r, "P1", NULL), INC_OK);
    assert_int_equal(inc_rubric_add_escalation(r, 0, 10 * MINUTE, INC_ESC_UNRESOLVED, "a"), INC_OK);
    assert_int_equal(inc_rubric_add_escalation(r, 0, 20 * MINUTE, INC_ESC_UNRESOLVED, "b"), INC_OK);
    assert_int_equal(inc_rubric_set_repeat(r, 0, 2), INC_OK);
    assert_int_equal(inc_context_set_rubric(f->ctx, r), INC_OK);
    inc_rubric_free(r);
    inc = fx_declare(f, "P1", "Looping ladder");
    fx_run(f, 0, 120, g);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 6); /* 2 steps x (1 + 2 repeats) */
    for (i = 0; i < 6; i++) {
        const got *x = got_nth(g, INC_DUE_ESCALATION, i);
        assert_int_equal(x->due_off, (int64_t)(i + 1) * 10 * MINUTE);
        assert_int_equal(x->loop, i / 2);
        assert_int_equal(x->step, i % 2 + 1);
        assert_string_equal(x->target, i % 2 ? "b" : "a");
    }
    assert_int_equal(inc_incident_next_due(inc), INC_TIME_NONE);
    fx_release(f, inc);
    free(g);
}

/* ---- ESC-3: acknowledgement ------------------------------------------------- */

static void test_ESC_03_ack_stops_the_repage_not_the_unresolved_steps(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-1", "Login errors");

    fx_run(f, 0, 9, g);
    assert_int_equal(got_count(g, INC_DUE_ACK), 1); /* 5 min target missed */
    fx_at(f, 10 * MINUTE);
    assert_int_equal(inc_incident_acknowledge(inc, "bob", 0), INC_OK);
    assert_int_equal(inc_incident_acknowledged_at(inc), T0 + 10 * MINUTE);
    assert_string_equal(inc_incident_acknowledged_by(inc), "bob");
    /* Keep the acknowledgement alive with activity every 20 minutes. */
    fx_run(f, 10, 29, g);
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_INVESTIGATING, NULL), INC_OK);
    fx_run(f, 30, 49, g);
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_MITIGATING, NULL), INC_OK);
    fx_run(f, 50, 69, g);
    assert_int_equal(inc_incident_note(inc, "alice", "a note is not activity"), INC_OK);
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_MONITORING, "fix out"), INC_OK);
    fx_run(f, 70, 89, g);
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_MITIGATING, "did not hold"),
                     INC_OK);
    fx_run(f, 90, 109, g);
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_MONITORING, "again"), INC_OK);
    fx_run(f, 110, 125, g);
    assert_int_equal(got_count(g, INC_DUE_ACK_EXPIRED), 0);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 3); /* no 15 min re-page */
    expect_step(g, 0, 30, "team-lead");
    expect_step(g, 1, 60, "engineering-manager,executive");
    expect_step(g, 2, 120, "all-hands");
    assert_int_equal(inc_incident_first_ack_at(inc), T0 + 10 * MINUTE);
    fx_release(f, inc);
    free(g);
}

static void test_ESC_03_ack_in_time_means_no_ack_item(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-1", "Queue backlog");

    fx_at(f, 3 * MINUTE);
    assert_int_equal(inc_incident_acknowledge(inc, "bob", 0), INC_OK);
    fx_run(f, 3, 20, g);
    assert_int_equal(got_count(g, INC_DUE_ACK), 0);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 0);
    fx_release(f, inc);
    free(g);
}

/* The rubric's ack timeout: no CAN, update or state change for 30 min puts
 * the incident back to unacknowledged (recorded), and the ladder resumes
 * where it stopped: 3 min were spent unacknowledged, so the 15 min re-page
 * comes 12 min after the expiry. */
static void test_ESC_03_ack_expires_and_the_ladder_resumes(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-1", "Disk full on primary");
    const got *x;
    inc_event_info ev;

    fx_at(f, 3 * MINUTE);
    assert_int_equal(inc_incident_acknowledge(inc, "bob", 0), INC_OK);
    fx_run(f, 3, 60, g);
    assert_int_equal(got_count(g, INC_DUE_ACK_EXPIRED), 1);
    x = got_nth(g, INC_DUE_ACK_EXPIRED, 0);
    assert_int_equal(x->due_off, 33 * MINUTE);
    assert_string_equal(x->target, "bob");
    assert_int_equal(inc_incident_reload(inc), INC_OK);
    assert_int_equal(inc_incident_get_event(inc, (size_t)x->seq - 1, &ev), INC_OK);
    assert_int_equal(ev.kind, INC_EV_DUE_DELIVERED);
    assert_non_null(strstr(ev.text, "expired"));
    assert_int_equal(inc_incident_acknowledged_at(inc), INC_TIME_NONE);
    assert_int_equal(inc_incident_first_ack_at(inc), T0 + 3 * MINUTE);
    x = got_nth(g, INC_DUE_ESCALATION, 0); /* team lead at 30 came first */
    assert_string_equal(x->target, "team-lead");
    x = got_nth(g, INC_DUE_ESCALATION, 1);
    assert_string_equal(x->target, "on-call,backup");
    assert_int_equal(x->due_off, 45 * MINUTE);
    assert_int_equal(x->at_off, 45 * MINUTE);
    fx_release(f, inc);
    free(g);
}

static void test_ESC_03_activity_keeps_the_ack_alive(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-2", "Cache misses");

    fx_at(f, 2 * MINUTE);
    assert_int_equal(inc_incident_acknowledge(inc, "bob", 0), INC_OK);
    fx_at(f, 20 * MINUTE);
    assert_int_equal(inc_incident_set_state(inc, "alice", INC_STATE_INVESTIGATING, NULL), INC_OK);
    fx_run(f, 2, 49, g);
    assert_int_equal(got_count(g, INC_DUE_ACK_EXPIRED), 0);
    fx_run(f, 50, 50, g);
    assert_int_equal(got_count(g, INC_DUE_ACK_EXPIRED), 1);
    assert_int_equal(got_nth(g, INC_DUE_ACK_EXPIRED, 0)->due_off, 50 * MINUTE);
    /* A new acknowledgement stops the chain again. */
    assert_int_equal(inc_incident_acknowledge(inc, "carol", 0), INC_OK);
    assert_string_equal(inc_incident_acknowledged_by(inc), "carol");
    fx_release(f, inc);
    free(g);
}

/* ---- ESC-2: fires once, survives a restart ------------------------------------ */

static void test_ESC_02_restart_redelivers_nothing_and_delivers_what_came_due(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-1", "API gateway 502s");
    char id[INC_ID_MAX + 1];
    size_t before;
    const got *x;

    snprintf(id, sizeof(id), "%s", inc_incident_id(inc));
    fx_release(f, inc);
    fx_run(f, 0, 20, g); /* ack target at 5 and the re-page at 15 delivered */
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 1);
    assert_int_equal(got_count(g, INC_DUE_ACK), 1);

    /* The program goes away; the store stays. It comes back at T+65. */
    fx_close(f, 1);
    fx_at(f, 65 * MINUTE);
    fx_open(f, NULL);
    assert_int_equal(inc_scheduler_load(f->sched), INC_OK);
    assert_int_equal(inc_scheduler_count(f->sched), 1);
    assert_true(inc_scheduler_next_due(f->sched) <= f->clock.now);
    before = g->n;
    fx_poll(f, g);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 3);
    assert_int_equal(got_count(g, INC_DUE_ACK), 1); /* not again */
    x = got_nth(g, INC_DUE_ESCALATION, 1);
    assert_string_equal(x->target, "team-lead");
    assert_int_equal(x->due_off, 30 * MINUTE);
    assert_int_equal(x->late, 35 * MINUTE); /* marked late */
    x = got_nth(g, INC_DUE_ESCALATION, 2);
    assert_string_equal(x->target, "engineering-manager,executive");
    assert_int_equal(x->late, 5 * MINUTE);
    assert_true(g->n > before);

    /* And once more, from scratch: nothing is delivered twice. */
    fx_close(f, 1);
    fx_open(f, NULL);
    assert_int_equal(inc_scheduler_load(f->sched), INC_OK);
    before = g->n;
    fx_poll(f, g);
    assert_int_equal(g->n, before);
    fx_run(f, 66, 120, g);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 4);
    expect_step(g, 3, 120, "all-hands");
    assert_int_equal(inc_incident_open(f->ctx, id, &inc), INC_OK);
    assert_int_equal(inc_incident_page_count(inc), 4);
    fx_release(f, inc);
    free(g);
}

/* Another process acknowledged through its own store handle; the scheduler's
 * copy is stale, its write conflicts, it reads the incident again and
 * delivers nothing that the acknowledgement stopped. */
static void test_ESC_02_stale_copy_never_pages_what_was_acknowledged(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_incident *inc = fx_declare(f, "Sev-1", "Billing export stuck"), *other = NULL;
    inc_context *ctx2 = NULL;

    fx_run(f, 0, 6, g); /* the scheduler has the incident open now */
    o.store = f->store;
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    assert_int_equal(inc_context_new(&o, &ctx2), INC_OK);
    assert_int_equal(inc_incident_open(ctx2, inc_incident_id(inc), &other), INC_OK);
    fx_at(f, 8 * MINUTE);
    assert_int_equal(inc_incident_acknowledge(other, "bob", 0), INC_OK);
    fx_run(f, 8, 20, g);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 0);
    inc_incident_free(other);
    inc_context_free(ctx2);
    fx_release(f, inc);
    free(g);
}

/* ---- severity changes (documented in incident/due.h) ------------------------- */

static void test_ESC_01_raised_mid_ladder_takes_the_new_steps_from_the_change(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-2", "Orders delayed");

    fx_run(f, 0, 44, g);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 1); /* Sev-2 re-page at 30 */
    fx_at(f, 45 * MINUTE);
    assert_int_equal(inc_incident_set_severity(inc, "alice", "Sev-1", "all regions now"), INC_OK);
    fx_run(f, 45, 300, g);
    /* Sev-1's 15 and 30 min steps had come at the change: not fired; then
     * 60 and 120 by Sev-1; nothing of Sev-2 (its team lead at 60, its
     * engineering manager at 240). */
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 3);
    expect_step(g, 1, 60, "engineering-manager,executive");
    expect_step(g, 2, 120, "all-hands");
    fx_release(f, inc);
    free(g);
}

static void test_ESC_01_lowered_mid_ladder_takes_the_new_steps_from_the_change(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-1", "Slow dashboards");

    fx_run(f, 0, 44, g);
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 2); /* 15 and 30 */
    fx_at(f, 45 * MINUTE);
    assert_int_equal(inc_incident_set_severity(inc, "alice", "Sev-2", "one region only"), INC_OK);
    fx_run(f, 45, 300, g);
    /* Sev-2 from 45 on: the 30 min re-page had come (not fired), team lead
     * at 60, engineering manager at 240; Sev-1's 60 and 120 never come. */
    assert_int_equal(got_count(g, INC_DUE_ESCALATION), 4);
    expect_step(g, 2, 60, "team-lead");
    expect_step(g, 3, 240, "engineering-manager");
    fx_release(f, inc);
    free(g);
}

/* ---- nothing for resolved or closed incidents, however old ------------------- */

static void test_ESC_01_resolved_and_closed_incidents_never_fire_months_later(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *a = fx_declare(f, "Sev-1", "Old acknowledged alert");
    inc_incident *b = fx_declare(f, "Sev-4", "Typo on the status page");
    inc_due_list *l = NULL;
    static const inc_state path[] = {INC_STATE_INVESTIGATING, INC_STATE_MITIGATING,
                                     INC_STATE_MONITORING, INC_STATE_RESOLVED, INC_STATE_CLOSED};
    size_t i;

    fx_at(f, 2 * MINUTE);
    assert_int_equal(inc_incident_acknowledge(a, "bob", 0), INC_OK);
    for (i = 0; i < 4; i++)
        assert_int_equal(inc_incident_set_state(a, "alice", path[i], "checked the flow"), INC_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(inc_incident_set_state(b, "alice", path[i], "checked"), INC_OK);
    assert_int_equal(inc_incident_next_due(b), INC_TIME_NONE);
    fx_at(f, 120 * DAY);
    fx_poll(f, g);
    /* Only what follows resolution: the resolved Sev-1's postmortem (PM-2),
     * once. No page, acknowledgement, update, role or requirement. */
    for (i = 0; i < g->n; i++) {
        assert_int_equal(g->v[i].kind, INC_DUE_POSTMORTEM);
        assert_string_equal(g->v[i].id, inc_incident_id(a));
    }
    assert_true(g->n <= 1);
    assert_int_equal(inc_scheduler_next_due(f->sched), INC_TIME_NONE);
    assert_int_equal(inc_incident_next_due(a), INC_TIME_NONE);
    assert_int_equal(inc_incident_deliver_due(a, "pager", 0, &l), INC_OK);
    assert_int_equal(inc_due_list_count(l), 0);
    inc_due_list_free(l);
    assert_int_equal(inc_incident_due(a, 365 * DAY, &l), INC_OK);
    assert_int_equal(inc_due_list_count(l), 0);
    inc_due_list_free(l);
    fx_release(f, a);
    fx_release(f, b);
    /* After a restart too. */
    fx_close(f, 1);
    fx_open(f, NULL);
    assert_int_equal(inc_scheduler_load(f->sched), INC_OK);
    assert_int_equal(inc_scheduler_count(f->sched), 0);
    free(g);
}

/* ---- REG-1 deadline clocks ------------------------------------------------------ */

static void test_REG_01_clock_started_and_met(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-0", "Customer data exposed");
    inc_deadline_clock dl;

    assert_int_equal(
        inc_incident_start_deadline_clock(inc, "bob", "gdpr-72h", T0 + 72 * HOUR, 24 * HOUR, NULL),
        INC_EPERM); /* AUTH-1 */
    assert_non_null(strstr(inc_incident_errmsg(inc), "alice"));
    assert_int_equal(inc_incident_start_deadline_clock(inc, "alice", "gdpr-72h", T0 + 72 * HOUR,
                                                       24 * HOUR,
                                                       "Notify the supervisory authority"),
                     INC_OK);
    assert_int_equal(inc_incident_start_deadline_clock(inc, "alice", "gdpr-72h", T0 + HOUR,
                                                       INC_DURATION_NONE, NULL),
                     INC_EEXIST);
    assert_int_equal(inc_incident_start_deadline_clock(inc, "alice", "x", T0 + HOUR, 0, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_start_deadline_clock(inc, "alice", "", T0 + HOUR, 0, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_deadline_clock_count(inc), 1);
    fx_at(f, 48 * HOUR);
    fx_poll(f, g);
    assert_int_equal(got_count(g, INC_DUE_DEADLINE_REMINDER), 1);
    assert_string_equal(got_nth(g, INC_DUE_DEADLINE_REMINDER, 0)->target, "gdpr-72h");
    assert_int_equal(got_nth(g, INC_DUE_DEADLINE_REMINDER, 0)->late, 0);
    fx_at(f, 50 * HOUR);
    assert_int_equal(inc_incident_stop_deadline_clock(inc, "alice", "nope", 0, NULL),
                     INC_ENOTFOUND);
    assert_int_equal(inc_incident_stop_deadline_clock(inc, "alice", "gdpr-72h", 0, "ref 2026-1"),
                     INC_OK);
    assert_int_equal(inc_incident_get_deadline_clock(inc, 0, &dl), INC_OK);
    assert_int_equal(dl.status, INC_DEADLINE_CLOCK_MET);
    assert_string_equal(inc_deadline_clock_status_name(dl.status), "met");
    assert_int_equal(dl.stopped_at, T0 + 50 * HOUR);
    assert_string_equal(dl.text, "Notify the supervisory authority");
    fx_at(f, 100 * HOUR);
    fx_poll(f, g);
    assert_int_equal(got_count(g, INC_DUE_DEADLINE), 0);
    fx_release(f, inc);
    free(g);
}

static void test_REG_01_clock_missed_is_overdue_and_outlives_resolution(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-1", "Contract SLA breach");
    static const inc_state path[] = {INC_STATE_INVESTIGATING, INC_STATE_MITIGATING,
                                     INC_STATE_MONITORING, INC_STATE_RESOLVED};
    inc_due_list *l = NULL;
    inc_deadline_clock dl;
    size_t i;

    assert_int_equal(inc_incident_start_deadline_clock(inc, "alice", "customer-notice-4h",
                                                       T0 + 4 * HOUR, INC_DURATION_NONE, NULL),
                     INC_OK);
    for (i = 0; i < 4; i++)
        assert_int_equal(inc_incident_set_state(inc, "alice", path[i], "verified"), INC_OK);
    fx_at(f, 5 * HOUR);
    fx_poll(f, g);
    assert_int_equal(g->n, 1); /* only the clock: the incident is resolved */
    assert_int_equal(g->v[0].kind, INC_DUE_DEADLINE);
    assert_int_equal(g->v[0].late, HOUR);
    assert_int_equal(inc_incident_get_deadline_clock(inc, 0, &dl), INC_OK);
    assert_int_equal(dl.status, INC_DEADLINE_CLOCK_RUNNING);
    assert_int_equal(dl.overdue, 1);
    fx_at(f, 6 * HOUR);
    fx_poll(f, g);
    assert_int_equal(g->n, 1); /* once */
    assert_int_equal(inc_incident_stop_deadline_clock(inc, "alice", "customer-notice-4h", 0, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_get_deadline_clock(inc, 0, &dl), INC_OK);
    assert_int_equal(dl.status, INC_DEADLINE_CLOCK_MISSED);
    assert_int_equal(dl.overdue, 0);
    /* A stopped name may run again; cancelling is recorded as such. */
    assert_int_equal(inc_incident_start_deadline_clock(inc, "alice", "customer-notice-4h",
                                                       T0 + 10 * HOUR, HOUR, NULL),
                     INC_OK);
    assert_int_equal(
        inc_incident_stop_deadline_clock(inc, "alice", "customer-notice-4h", 1, "not needed"),
        INC_OK);
    assert_int_equal(inc_incident_get_deadline_clock(inc, 1, &dl), INC_OK);
    assert_int_equal(dl.status, INC_DEADLINE_CLOCK_CANCELLED);
    assert_int_equal(inc_incident_get_deadline_clock(inc, 2, &dl), INC_ENOTFOUND);
    assert_int_equal(inc_incident_due(inc, 365 * DAY, &l), INC_OK);
    for (i = 0; i < inc_due_list_count(l); i++) /* no clock left running */
        assert_string_not_equal(inc_due_list_at(l, i)->rule_id, "REG-1");
    inc_due_list_free(l);
    fx_release(f, inc);
    free(g);
}

/* ---- COMM-2, COMM-4, ROLE-10, ROLE-12 ----------------------------------------- */

static void test_COMM_02_heartbeats_come_due_when_nothing_changed(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-2", "Reports page slow");
    inc_update u = INC_UPDATE_INIT;
    const got *x;

    fx_run(f, 0, 60, g);
    /* Sev-2 cadences: external 30 min, internal and response 1 h. */
    assert_int_equal(got_count(g, INC_DUE_HEARTBEAT), 3);
    x = got_nth(g, INC_DUE_HEARTBEAT, 0);
    assert_string_equal(x->target, "external");
    assert_int_equal(x->due_off, 30 * MINUTE);
    assert_string_equal(got_nth(g, INC_DUE_HEARTBEAT, 1)->target, "internal");
    assert_int_equal(got_nth(g, INC_DUE_HEARTBEAT, 1)->due_off, 60 * MINUTE);
    /* Overdue: delivered once, not every minute. An update moves it on. */
    fx_run(f, 61, 70, g);
    assert_int_equal(got_count(g, INC_DUE_HEARTBEAT), 3);
    u.audience = INC_AUDIENCE_EXTERNAL;
    u.body = "We are investigating slow loading of the reports page for EU customers. Next "
             "update at 15:42 UTC.";
    u.components = "reports";
    assert_int_equal(inc_incident_add_update(inc, "alice", &u, NULL, NULL), INC_OK);
    fx_run(f, 71, 100, g);
    assert_int_equal(got_count(g, INC_DUE_HEARTBEAT), 4);
    x = got_nth(g, INC_DUE_HEARTBEAT, 3);
    assert_string_equal(x->target, "external");
    assert_int_equal(x->due_off, 100 * MINUTE);
    fx_release(f, inc);
    free(g);
}

static void test_COMM_04_required_communications_come_due(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *inc = fx_declare(f, "Sev-1", "Full outage");
    size_t i;

    fx_run(f, 0, 0, g);
    /* Sev-1: status page, customer email and executive notification at once. */
    assert_int_equal(got_count(g, INC_DUE_COMM), 3);
    for (i = 0; i < 3; i++)
        assert_int_equal(got_nth(g, INC_DUE_COMM, i)->due_off, 0);
    assert_string_equal(got_nth(g, INC_DUE_COMM, 0)->target, "status_page");
    fx_run(f, 1, 30, g);
    assert_int_equal(got_count(g, INC_DUE_COMM), 3);
    fx_release(f, inc);
    free(g);
}

static void test_ROLE_12_and_ROLE_10_scribe_and_staffing_come_due(void **state)
{
    due_fx *f = *state;
    gotlist *g = gl_new();
    inc_incident *a = fx_declare(f, "Sev-2", "Unstaffed");
    inc_incident *b = fx_declare(f, "Sev-3", "Staffed");
    const got *x = NULL;
    size_t i;

    assert_int_equal(inc_incident_assign_role(b, "alice", "sam", INC_ROLE_SME, "database"), INC_OK);
    assert_int_equal(inc_incident_assign_role(b, "alice", "sue", INC_ROLE_SCRIBE, NULL), INC_OK);
    fx_run(f, 0, 30, g);
    assert_int_equal(got_count(g, INC_DUE_SCRIBE), 1);
    assert_int_equal(got_nth(g, INC_DUE_SCRIBE, 0)->due_off, 5 * MINUTE);
    assert_string_equal(got_nth(g, INC_DUE_SCRIBE, 0)->id, inc_incident_id(a));
    assert_int_equal(got_count(g, INC_DUE_STAFFING), 1);
    for (i = 0; i < g->n; i++)
        if (g->v[i].kind == INC_DUE_STAFFING)
            x = &g->v[i];
    assert_string_equal(x->id, inc_incident_id(a));
    assert_int_equal(x->due_off, 10 * MINUTE);
    assert_non_null(strstr(x->target, "scribe"));
    assert_non_null(strstr(x->target, "comms"));
    fx_release(f, a);
    fx_release(f, b);
    free(g);
}

/* ---- looking ahead records nothing ------------------------------------------------ */

static void test_ESC_02_looking_ahead_records_nothing(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-1", "Look ahead");
    inc_due_list *l = NULL;
    size_t n = inc_incident_event_count(inc), i, esc = 0;

    assert_int_equal(inc_incident_due(inc, 2 * HOUR, &l), INC_OK);
    for (i = 0; i < inc_due_list_count(l); i++) {
        const inc_due_item *it = inc_due_list_at(l, i);
        assert_int_equal(it->seq, 0);
        assert_true(it->late_ms <= 0);
        if (i)
            assert_true(it->due >= inc_due_list_at(l, i - 1)->due);
        esc += it->kind == INC_DUE_ESCALATION;
    }
    assert_int_equal(esc, 4);
    assert_null(inc_due_list_at(l, inc_due_list_count(l)));
    inc_due_list_free(l);
    assert_int_equal(inc_incident_event_count(inc), n);
    assert_int_equal(inc_incident_due(inc, -1, &l), INC_EINVAL);
    assert_int_equal(inc_incident_due(NULL, 0, &l), INC_EINVAL);
    assert_int_equal(inc_incident_next_due(inc), T0); /* required comms at once */
    fx_release(f, inc);
}

/* ---- allocation failures: nothing lost, nothing delivered twice --------------------- */

static void test_ESC_02_allocation_failures_lose_nothing(void **state)
{
    unsigned long n;
    (void)state;

    for (n = 1; n < 400; n++) {
        struct inc_test_alloc ta;
        inc_allocator a;
        inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
        inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
        struct inc_test_clock clock;
        inc_context *ctx = NULL;
        inc_incident *inc = NULL;
        inc_due_list *l = NULL;
        size_t got_items = 0, events_before;
        int rc;

        inc_test_alloc_init(&ta);
        a = inc_test_alloc_allocator(&ta);
        inc_test_clock_init(&clock, T0);
        o.allocator = &a;
        o.clock = inc_test_clock_fn;
        o.clock_user = &clock;
        assert_int_equal(inc_context_new(&o, &ctx), INC_OK);
        d.title = "oom";
        d.declarer = "alice";
        d.severity = "Sev-1";
        assert_int_equal(inc_incident_declare(ctx, &d, &inc), INC_OK);
        clock.now = T0 + 3 * HOUR;
        events_before = inc_incident_event_count(inc);
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_deliver_due(inc, "pager", 0, &l);
        inc_test_alloc_arm(&ta, 0, 0);
        assert_true(rc == INC_OK || rc == INC_ENOMEM);
        /* Every item in the list was recorded; nothing else was. */
        got_items = inc_due_list_count(l);
        assert_int_equal(inc_incident_event_count(inc) - events_before, got_items);
        inc_due_list_free(l);
        l = NULL;
        /* The rest comes on the next call; nothing comes twice. */
        assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
        got_items += inc_due_list_count(l);
        inc_due_list_free(l);
        assert_int_equal(got_items, 4 /* ESC-1 */ + 1 /* ESC-3 */ + 3 /* COMM-2 */ +
                                        3 /* COMM-4 */ + 1 /* ROLE-10 */ + 1 /* ROLE-12 */);
        inc_incident_free(inc);
        inc_context_free(ctx);
        assert_int_equal(ta.live_blocks, 0);
        if (rc == INC_OK)
            return;
    }
    fail_msg("delivery never succeeded");
}

/* ---- bad input ------------------------------------------------------------------------ */

static void test_ESC_02_bad_arguments_change_nothing(void **state)
{
    due_fx *f = *state;
    inc_incident *inc = fx_declare(f, "Sev-2", "Bad input");
    size_t n = inc_incident_event_count(inc);
    inc_due_list *l = (inc_due_list *)&n;
    inc_deadline_clock dl;

    assert_int_equal(inc_incident_deliver_due(inc, NULL, 0, &l), INC_EINVAL);
    assert_null(l);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_acknowledge(inc, "", 0), INC_EINVAL);
    assert_int_equal(inc_incident_acknowledge(NULL, "bob", 0), INC_EINVAL);
    assert_int_equal(inc_incident_start_deadline_clock(inc, "alice", "x", INC_TIME_NONE,
                                                       INC_DURATION_NONE, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_get_deadline_clock(inc, 0, &dl), INC_ENOTFOUND);
    assert_int_equal(inc_incident_get_deadline_clock(inc, 0, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_event_count(inc), n);
    assert_int_equal(inc_due_list_count(NULL), 0);
    assert_null(inc_due_list_at(NULL, 0));
    inc_due_list_free(NULL);
    assert_null(inc_due_kind_name((inc_due_kind)0));
    assert_null(inc_due_kind_name((inc_due_kind)13)); /* one past the last kind */
    assert_string_equal(inc_due_kind_name(INC_DUE_ALERT_RESOLVED), "alert_resolved");
    assert_string_equal(inc_due_kind_name(INC_DUE_ACK_EXPIRED), "ack_expired");
    assert_null(inc_deadline_clock_status_name((inc_deadline_clock_status)4));
    assert_int_equal(inc_incident_next_due(NULL), INC_TIME_NONE);
    assert_int_equal(inc_incident_page_count(NULL), 0);
    assert_int_equal(inc_incident_acknowledged_at(NULL), INC_TIME_NONE);
    fx_release(f, inc);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_ESC_01_sev1_ladder_fires_at_15_30_60_120_once_each),
        T(test_ESC_01_sev2_ladder_fires_at_30_60_240_once_each),
        T(test_ESC_01_delivery_is_a_page_request_on_the_timeline),
        T(test_ESC_01_ladder_repeats_after_its_last_step),
        T(test_ESC_03_ack_stops_the_repage_not_the_unresolved_steps),
        T(test_ESC_03_ack_in_time_means_no_ack_item),
        T(test_ESC_03_ack_expires_and_the_ladder_resumes),
        T(test_ESC_03_activity_keeps_the_ack_alive),
        T(test_ESC_02_restart_redelivers_nothing_and_delivers_what_came_due),
        T(test_ESC_02_stale_copy_never_pages_what_was_acknowledged),
        T(test_ESC_01_raised_mid_ladder_takes_the_new_steps_from_the_change),
        T(test_ESC_01_lowered_mid_ladder_takes_the_new_steps_from_the_change),
        T(test_ESC_01_resolved_and_closed_incidents_never_fire_months_later),
        T(test_REG_01_clock_started_and_met),
        T(test_REG_01_clock_missed_is_overdue_and_outlives_resolution),
        T(test_COMM_02_heartbeats_come_due_when_nothing_changed),
        T(test_COMM_04_required_communications_come_due),
        T(test_ROLE_12_and_ROLE_10_scribe_and_staffing_come_due),
        T(test_ESC_02_looking_ahead_records_nothing),
        T(test_ESC_02_allocation_failures_lose_nothing),
        T(test_ESC_02_bad_arguments_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
