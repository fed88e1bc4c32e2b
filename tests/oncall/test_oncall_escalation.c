/* Escalation through rotations (ONC-2): a rubric whose Sev-1 ladder names
 * the primary layer pages the right person at 09:59 and at 10:01 across a
 * Monday hand-off, on a fake clock; the person is resolved at the time the
 * step comes due (also when delivered late) and recorded on the timeline,
 * so a later change of the rotation does not rewrite who was paged; the
 * secondary is paged when the primary has not acknowledged within the
 * window; targets, rosters, the default rotation and the registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "incident.h"
#include "test_support.h"

#define MINUTE (60LL * 1000)
#define HOUR   (60 * MINUTE)

static const char *const five[5] = {"alice", "bob", "carol", "dave", "erin"};

/* Sev-1: page the primary after 15 minutes unacknowledged, the secondary
 * 10 minutes later (the ONC-2 window), the primary and the team lead after
 * an hour unresolved. */
static const char rubric_text[] = "libincident-rubric 1\n"
                                  "name = oncall\n"
                                  "level = Sev-1\n"
                                  "  ack = 5m\n"
                                  "  escalate = 15m unacknowledged rotation:payments/primary\n"
                                  "  escalate = 25m unacknowledged rotation:payments/secondary\n"
                                  "  escalate = 1h unresolved team-lead,rotation:payments\n"
                                  "level = Sev-2\n"
                                  "  ack = 30m\n";

static inc_time at(const char *iso)
{
    inc_time t;
    assert_int_equal(inc_time_parse(iso, &t), INC_OK);
    return t;
}

typedef struct fx {
    struct inc_test_clock clock;
    inc_context *ctx;
    inc_rubric *rubric;
} fx;

static int have_zoneinfo(void)
{
    struct stat st;
    if (stat("/usr/share/zoneinfo/Europe/Berlin", &st) == 0)
        return 1;
    print_message("tzdata is not installed: install the package 'tzdata'\n");
    return 0;
}

/* The payments rotation: weekly, Monday 10:00 Europe/Berlin, from
 * 2026-01-05. Week 7 (Feb 23) is carol's with dave as secondary; week 8
 * (Mar 2, hand-off 09:00Z) is dave's with erin. */
static inc_rotation *payments(inc_context *ctx)
{
    inc_rotation *r = NULL;
    size_t i;
    assert_int_equal(inc_rotation_new(ctx, "payments", &r), INC_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(inc_rotation_add_person(r, five[i]), INC_OK);
    assert_int_equal(inc_rotation_set_zone(r, "Europe/Berlin"), INC_OK);
    assert_int_equal(inc_rotation_set_start(r, 2026, 1, 5), INC_OK);
    return r;
}

static void open_ctx(fx *f, const inc_rubric *rubric)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_rotation *r;
    o.clock = inc_test_clock_fn;
    o.clock_user = &f->clock;
    o.rubric = rubric;
    assert_int_equal(inc_context_new(&o, &f->ctx), INC_OK);
    r = payments(f->ctx);
    assert_int_equal(inc_context_add_rotation(f->ctx, r), INC_OK);
    inc_rotation_free(r); /* the context keeps a copy */
}

static int setup(void **state)
{
    fx *f;
    inc_diag d;
    if (!have_zoneinfo())
        return -1; /* a failure: tzdata is a test dependency */
    f = calloc(1, sizeof(*f));
    inc_test_clock_init(&f->clock, at("2026-03-02T08:00:00Z"));
    assert_int_equal(inc_rubric_parse(NULL, rubric_text, strlen(rubric_text), &f->rubric, &d),
                     INC_OK);
    open_ctx(f, f->rubric);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    inc_context_free(f->ctx);
    inc_rubric_free(f->rubric);
    free(f);
    return 0;
}

static inc_incident *declare_at(fx *f, const char *when, const char *severity)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    f->clock.now = at(when);
    d.title = "Checkout failing";
    d.declarer = "ic-anna";
    d.severity = severity;
    assert_int_equal(inc_incident_declare(f->ctx, &d, &inc), INC_OK);
    return inc;
}

/* Deliver what is due at @when; return the escalation item of @step (NULL if
 * none) from the list kept in *keep (freed by the caller). */
static const inc_due_item *deliver_at(fx *f, inc_incident *inc, const char *when, unsigned step,
                                      inc_due_list **keep)
{
    size_t i;
    f->clock.now = at(when);
    assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, keep), INC_OK);
    for (i = 0; i < inc_due_list_count(*keep); i++) {
        const inc_due_item *it = inc_due_list_at(*keep, i);
        if (it->kind == INC_DUE_ESCALATION && it->step == step)
            return it;
    }
    return NULL;
}

/* The last page record of @inc. */
static const inc_page *last_page(const inc_incident *inc)
{
    size_t n = inc_incident_page_count(inc);
    assert_true(n > 0);
    return inc_incident_page(inc, n - 1);
}

/* ---- the "done when" of issue 11 --------------------------------------------------- */

static void test_ONC_02_sev1_primary_paged_at_0959_and_1001_across_monday_handoff(void **state)
{
    fx *f = *state;
    inc_incident *a = declare_at(f, "2026-03-02T08:44:00Z", "Sev-1"); /* 09:44 local */
    inc_incident *b = declare_at(f, "2026-03-02T08:46:00Z", "Sev-1"); /* 09:46 local */
    inc_due_list *la = NULL, *lb = NULL;
    const inc_due_item *it;
    char *line = NULL;

    /* 09:59 local: the outgoing primary, carol. */
    it = deliver_at(f, a, "2026-03-02T08:59:00Z", 1, &la);
    assert_non_null(it);
    assert_int_equal(it->due, at("2026-03-02T08:59:00Z"));
    assert_string_equal(it->target, "rotation:payments/primary");
    assert_string_equal(it->resolved, "carol");
    assert_string_equal(last_page(a)->resolved, "carol");
    assert_int_equal(last_page(a)->request_seq, it->seq);
    /* 10:01 local: the incoming primary, dave. */
    it = deliver_at(f, b, "2026-03-02T09:01:00Z", 1, &lb);
    assert_non_null(it);
    assert_string_equal(it->resolved, "dave");
    assert_string_equal(last_page(b)->resolved, "dave");
    /* The timeline line names the person. */
    assert_int_equal(inc_incident_describe_event(b, (size_t)(it->seq - 1), &line), INC_OK);
    assert_non_null(strstr(line, "-> dave"));
    inc_free(line);
    inc_due_list_free(la);
    inc_due_list_free(lb);
    inc_incident_free(a);
    inc_incident_free(b);
}

/* Resolved at the time the page came due, not when the program got to it. */
static void test_ONC_02_late_delivery_resolves_at_the_due_time(void **state)
{
    fx *f = *state;
    inc_incident *a = declare_at(f, "2026-03-02T08:40:00Z", "Sev-1");
    inc_due_list *l = NULL;
    const inc_due_item *it = deliver_at(f, a, "2026-03-02T09:30:00Z", 1, &l);

    assert_non_null(it);
    assert_int_equal(it->due, at("2026-03-02T08:55:00Z"));
    assert_int_equal(it->late_ms, 35 * MINUTE);
    assert_string_equal(it->resolved, "carol"); /* on call at 09:55 local, not 10:30 */
    /* The secondary step (25m, 09:05Z) came due after the hand-off: erin. */
    it = NULL;
    {
        size_t i;
        for (i = 0; i < inc_due_list_count(l); i++)
            if (inc_due_list_at(l, i)->kind == INC_DUE_ESCALATION &&
                inc_due_list_at(l, i)->step == 2)
                it = inc_due_list_at(l, i);
    }
    assert_non_null(it);
    assert_string_equal(it->target, "rotation:payments/secondary");
    assert_string_equal(it->resolved, "erin");
    inc_due_list_free(l);
    inc_incident_free(a);
}

/* The secondary is paged only when the primary has not acknowledged in the window. */
static void test_ONC_02_secondary_paged_when_primary_does_not_acknowledge(void **state)
{
    fx *f = *state;
    inc_incident *quiet = declare_at(f, "2026-03-02T12:00:00Z", "Sev-1");
    inc_incident *acked = declare_at(f, "2026-03-02T12:00:00Z", "Sev-1");
    inc_due_list *l1 = NULL, *l2 = NULL, *l3 = NULL, *l4 = NULL;
    const inc_due_item *it;

    it = deliver_at(f, quiet, "2026-03-02T12:15:00Z", 1, &l1);
    assert_non_null(it);
    assert_string_equal(it->resolved, "dave");
    it = deliver_at(f, acked, "2026-03-02T12:15:00Z", 1, &l2);
    assert_non_null(it);
    f->clock.now = at("2026-03-02T12:20:00Z");
    assert_int_equal(inc_incident_acknowledge(acked, "dave", it->seq), INC_OK);
    /* 12:25: ten minutes after the primary's page. */
    it = deliver_at(f, quiet, "2026-03-02T12:25:00Z", 2, &l3);
    assert_non_null(it);
    assert_string_equal(it->resolved, "erin");
    assert_string_equal(last_page(quiet)->resolved, "erin");
    assert_null(deliver_at(f, acked, "2026-03-02T12:25:00Z", 2, &l4));
    inc_due_list_free(l1);
    inc_due_list_free(l2);
    inc_due_list_free(l3);
    inc_due_list_free(l4);
    inc_incident_free(quiet);
    inc_incident_free(acked);
}

/* The record is the timeline: after the rotation changes (even goes away),
 * a reopened incident still says whom it paged. Overrides win. */
static void test_ONC_02_page_records_survive_rotation_changes(void **state)
{
    fx *f = *state;
    inc_incident *a = declare_at(f, "2026-03-02T10:00:00Z", "Sev-1"), *back = NULL;
    inc_rotation *r = payments(f->ctx);
    inc_due_list *l = NULL;
    const inc_due_item *it;
    char id[INC_ID_MAX + 1];
    uint64_t seq = 0;

    /* frank covers dave's primary from 10:00 to 12:00 UTC. */
    assert_int_equal(inc_rotation_override_shift(r, INC_LAYER_PRIMARY, at("2026-03-04T00:00Z"),
                                                 "dave", NULL, NULL, INC_TIME_NONE, NULL),
                     INC_OK);
    {
        inc_rotation_override o = {INC_LAYER_PRIMARY, 0, 0, "frank", "dave", "dentist",
                                   INC_TIME_NONE};
        o.start = at("2026-03-02T10:00Z");
        o.end = at("2026-03-02T12:00Z");
        assert_int_equal(inc_rotation_add_override(r, &o, NULL), INC_OK);
    }
    assert_int_equal(inc_context_add_rotation(f->ctx, r), INC_OK); /* replaces */
    assert_int_equal(inc_context_rotation_count(f->ctx), 1);
    it = deliver_at(f, a, "2026-03-02T10:15:00Z", 1, &l);
    assert_non_null(it);
    assert_string_equal(it->resolved, "frank");
    /* A page the program asks for itself resolves now, too. */
    f->clock.now = at("2026-03-02T12:30:00Z");
    assert_int_equal(
        inc_incident_request_page(a, "ic-anna", "rotation:payments,person:zed", "first page", &seq),
        INC_OK);
    assert_string_equal(last_page(a)->resolved, "dave,zed");
    assert_int_equal(inc_incident_mark_page_sent(a, "pager", seq, "dave"), INC_OK);
    assert_string_equal(last_page(a)->resolved, "dave,zed");
    assert_string_equal(last_page(a)->person, "dave");
    /* The rotation goes away; the timeline keeps the record. */
    assert_int_equal(inc_context_remove_rotation(f->ctx, "payments"), INC_OK);
    snprintf(id, sizeof(id), "%s", inc_incident_id(a));
    assert_int_equal(inc_incident_open(f->ctx, id, &back), INC_OK);
    assert_int_equal(inc_incident_page_count(back), inc_incident_page_count(a));
    assert_string_equal(inc_incident_page(back, 0)->resolved, "frank");
    assert_string_equal(last_page(back)->resolved, "dave,zed");
    /* With no rotation registered nothing resolves; a named person still does. */
    f->clock.now = at("2026-03-02T12:40:00Z");
    assert_int_equal(inc_incident_request_page(a, "ic-anna", "rotation:payments", NULL, &seq),
                     INC_OK);
    assert_null(last_page(a)->resolved);
    inc_due_list_free(l);
    inc_incident_free(back);
    inc_incident_free(a);
    inc_rotation_free(r);
}

/* ---- targets ------------------------------------------------------------------------ */

static void expect_resolve(fx *f, const char *targets, const char *when, const char *want)
{
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(inc_context_resolve_targets(f->ctx, targets, at(when), &out, &len), INC_OK);
    if (strcmp(out, want) != 0)
        fail_msg("'%s' at %s: '%s', want '%s'", targets, when, out, want);
    assert_int_equal(len, strlen(want));
    inc_free(out);
}

static void test_ONC_02_targets_rotations_rosters_people_and_default(void **state)
{
    fx *f = *state;
    inc_rotation *ic = NULL, *ic2 = NULL;
    const char *names[3] = {"ic-anna", "ic-ben", "ic-cleo"};
    size_t i;

    assert_int_equal(inc_rotation_new(f->ctx, "ic-roster", &ic), INC_OK);
    for (i = 0; i < 3; i++)
        assert_int_equal(inc_rotation_add_person(ic, names[i]), INC_OK);
    assert_int_equal(inc_rotation_set_period(ic, 1), INC_OK);
    assert_int_equal(inc_rotation_set_start(ic, 2026, 3, 1), INC_OK);
    assert_int_equal(inc_rotation_set_handoff(ic, 9, 0), INC_OK);
    assert_int_equal(inc_rotation_set_role(ic, INC_ROLE_IC), INC_OK);
    assert_int_equal(inc_context_add_rotation(f->ctx, ic), INC_OK);

    expect_resolve(f, "rotation:payments/primary", "2026-03-02T08:59Z", "carol");
    expect_resolve(f, "rotation:payments", "2026-03-02T09:00Z", "dave");
    expect_resolve(f, "rotation:payments/secondary", "2026-03-02T09:00Z", "erin");
    expect_resolve(f, "on-call,backup", "2026-03-02T09:00Z",
                   "dave,erin"); /* the first registered */
    expect_resolve(f, "primary , secondary", "2026-03-02T09:00Z", "dave,erin");
    expect_resolve(f, "roster:ic", "2026-03-02T09:00Z", "ic-ben"); /* day 1 of the IC roster */
    expect_resolve(f, "roster:comms,roster:boss", "2026-03-02T09:00Z", "");
    expect_resolve(f, "team-lead,engineering-manager", "2026-03-02T09:00Z", "");
    expect_resolve(f, "rotation:nope,rotation:payments/tertiary,person:", "2026-03-02T09:00Z", "");
    expect_resolve(f, "person:zed,rotation:payments,on-call,person:dave", "2026-03-02T09:00Z",
                   "zed,dave");
    expect_resolve(f, "rotation:payments", "2026-01-01T00:00Z", ""); /* before its start */
    assert_int_equal(inc_context_set_default_rotation(f->ctx, "ic-roster"), INC_OK);
    expect_resolve(f, "on-call,backup", "2026-03-02T09:00Z", "ic-ben,ic-cleo");
    assert_int_equal(inc_context_set_default_rotation(f->ctx, "nope"), INC_ENOTFOUND);
    assert_int_equal(inc_context_set_default_rotation(f->ctx, NULL), INC_OK);
    expect_resolve(f, "on-call", "2026-03-02T09:00Z", "dave");

    /* One roster per role. */
    assert_int_equal(inc_rotation_new(f->ctx, "ic-roster-2", &ic2), INC_OK);
    assert_int_equal(inc_rotation_set_role(ic2, INC_ROLE_IC), INC_OK);
    assert_int_equal(inc_context_add_rotation(f->ctx, ic2), INC_EEXIST);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "ic-roster"));
    assert_int_equal(inc_context_add_rotation(f->ctx, ic), INC_OK); /* itself: a replacement */
    assert_int_equal(inc_context_rotation_count(f->ctx), 2);
    assert_string_equal(inc_rotation_name(inc_context_rotation_at(f->ctx, 1)), "ic-roster");
    assert_null(inc_context_rotation_at(f->ctx, 2));
    assert_non_null(inc_context_rotation(f->ctx, "payments"));
    assert_null(inc_context_rotation(f->ctx, "nope"));
    assert_int_equal(inc_context_remove_rotation(f->ctx, "nope"), INC_ENOTFOUND);
    assert_int_equal(inc_context_resolve_targets(f->ctx, "a\nb", 0, NULL, NULL), INC_EINVAL);
    inc_rotation_free(ic2);
    inc_rotation_free(ic);
}

static void test_ONC_02_rotation_of_another_context_is_refused(void **state)
{
    fx *f = *state;
    inc_context *other = NULL;
    inc_rotation *r;
    assert_int_equal(inc_context_new(NULL, &other), INC_OK);
    r = payments(other);
    assert_int_equal(inc_context_add_rotation(f->ctx, r), INC_EINVAL);
    assert_non_null(strstr(inc_context_errmsg(f->ctx), "another context"));
    inc_rotation_free(r);
    inc_context_free(other);
}

/* The default rubric's "on-call,backup" resolves through the default rotation. */
static void test_ONC_02_default_rubric_on_call_backup(void **state)
{
    fx *f = *state;
    inc_incident *a;
    inc_due_list *l = NULL;
    const inc_due_item *it;

    inc_context_free(f->ctx);
    open_ctx(f, NULL);
    a = declare_at(f, "2026-03-02T08:40:00Z", "Sev-1");
    it = deliver_at(f, a, "2026-03-02T08:55:00Z", 1, &l);
    assert_non_null(it);
    assert_string_equal(it->target, "on-call,backup");
    assert_string_equal(it->resolved, "carol,dave");
    inc_due_list_free(l);
    inc_incident_free(a);
}

/* inc_rubric_add_rotation_escalation(): the pair of steps with the 10-minute window. */
static void test_ONC_02_add_escalation_pair_with_default_window(void **state)
{
    inc_rubric *r = NULL;
    int64_t after;
    inc_esc_condition cond;
    const char *target;
    size_t lv, i;
    (void)state;

    assert_int_equal(inc_rubric_new(NULL, "t", &r), INC_OK);
    assert_int_equal(inc_rubric_add_level(r, "Sev-1", &lv), INC_OK);
    assert_int_equal(inc_rubric_add_rotation_escalation(r, lv, 5 * MINUTE, "payments", 0), INC_OK);
    assert_int_equal(inc_rubric_escalation_count(r, lv), 2);
    assert_int_equal(inc_rubric_get_escalation(r, lv, 0, &after, &cond, &target), INC_OK);
    assert_int_equal(after, 5 * MINUTE);
    assert_int_equal(cond, INC_ESC_UNACKNOWLEDGED);
    assert_string_equal(target, "rotation:payments/primary");
    assert_int_equal(inc_rubric_get_escalation(r, lv, 1, &after, &cond, &target), INC_OK);
    assert_int_equal(after, 5 * MINUTE + INC_ONCALL_SECONDARY_WINDOW_MS);
    assert_string_equal(target, "rotation:payments/secondary");
    assert_int_equal(inc_rubric_add_rotation_escalation(r, lv, 5 * MINUTE, "Bad Name", 0),
                     INC_EINVAL);
    assert_int_equal(inc_rubric_add_rotation_escalation(r, 7, 5 * MINUTE, "payments", 0),
                     INC_EINVAL);
    assert_int_equal(inc_rubric_add_rotation_escalation(r, lv, 0, "payments", 0), INC_EINVAL);
    for (i = 0; i < 6; i++)
        assert_int_equal(inc_rubric_add_rotation_escalation(r, lv, HOUR, "payments", MINUTE),
                         INC_OK);
    assert_int_equal(inc_rubric_escalation_count(r, lv), 14);
    assert_int_equal(inc_rubric_add_rotation_escalation(r, lv, HOUR, "payments", MINUTE), INC_OK);
    assert_int_equal(inc_rubric_add_rotation_escalation(r, lv, HOUR, "payments", MINUTE),
                     INC_ETOOBIG);
    assert_int_equal(inc_rubric_escalation_count(r, lv), 16);
    inc_rubric_free(r);
}

/* Allocation failure while a step resolves and is recorded: nothing leaks,
 * and the step stays due until it can be recorded. */
static void test_ONC_02_allocation_failure_during_delivery(void **state)
{
    struct inc_test_alloc ta;
    inc_allocator a;
    unsigned long n;
    int done = 0;
    (void)state;
    inc_test_alloc_init(&ta);
    a = inc_test_alloc_allocator(&ta);
    for (n = 1; !done && n < 200; n++) {
        fx f;
        inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
        inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
        inc_rotation *r = NULL;
        inc_incident *inc = NULL;
        inc_due_list *l = NULL;
        int rc;
        memset(&f, 0, sizeof(f));
        inc_test_clock_init(&f.clock, at("2026-03-02T08:44:00Z"));
        o.allocator = &a;
        o.clock = inc_test_clock_fn;
        o.clock_user = &f.clock;
        inc_test_alloc_arm(&ta, 0, 0);
        assert_int_equal(inc_context_new(&o, &f.ctx), INC_OK);
        r = payments(f.ctx);
        assert_int_equal(inc_context_add_rotation(f.ctx, r), INC_OK);
        d.title = "x";
        d.declarer = "ic";
        d.severity = "Sev-1";
        assert_int_equal(inc_incident_declare(f.ctx, &d, &inc), INC_OK);
        f.clock.now = at("2026-03-02T08:59:00Z");
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_deliver_due(inc, "pager", 0, &l);
        inc_test_alloc_arm(&ta, 0, 0);
        if (rc == INC_OK && l) {
            size_t i;
            for (i = 0; i < inc_due_list_count(l); i++)
                if (inc_due_list_at(l, i)->kind == INC_DUE_ESCALATION)
                    assert_string_equal(inc_due_list_at(l, i)->resolved, "carol,dave");
            done = 1;
        } else {
            assert_int_equal(rc, INC_ENOMEM);
        }
        inc_due_list_free(l);
        l = NULL;
        /* Whatever was not recorded is still due, and resolves the same. */
        assert_int_equal(inc_incident_deliver_due(inc, "pager", 0, &l), INC_OK);
        inc_due_list_free(l);
        assert_string_equal(inc_incident_page(inc, 0)->resolved, "carol,dave");
        inc_incident_free(inc);
        inc_rotation_free(r);
        inc_context_free(f.ctx);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_ONC_02_sev1_primary_paged_at_0959_and_1001_across_monday_handoff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_02_late_delivery_resolves_at_the_due_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_ONC_02_secondary_paged_when_primary_does_not_acknowledge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_02_page_records_survive_rotation_changes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_02_targets_rotations_rosters_people_and_default,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ONC_02_rotation_of_another_context_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ONC_02_default_rubric_on_call_backup, setup, teardown),
        cmocka_unit_test(test_ONC_02_add_escalation_pair_with_default_window),
        cmocka_unit_test(test_ONC_02_allocation_failure_during_delivery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
