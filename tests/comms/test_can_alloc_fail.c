/* Allocation failure in the CAN and communication layer (CAN-1..CAN-4,
 * COMM-1..COMM-4), in the style of test_alloc_fail.c: run a script once
 * counting allocations, then again failing the 1st, 2nd, ... Nth allocation
 * (only that one, or that one and every later one). Each run must return
 * INC_ENOMEM from the step that failed, leave the store as it was before
 * that step, and leak nothing; a run that survives ends with the same
 * timeline. */
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
#include "test_script.h"
#include "test_support.h"

#define EXPECTED_MAX 65536 /* room for the scenario's timeline */

#define NEEDS                                                                                      \
    "Need IC approval to fail over. Need someone from the app team; need a decision on the "       \
    "rollback"

typedef struct run {
    struct inc_test_alloc ta;
    struct inc_test_clock clock;
    inc_allocator a;
    inc_context *ctx;
    inc_incident *inc;
    inc_incident *copy;
    inc_findings *f1, *f2, *f3, *f4, *f5;
    char *text, *tmpl, *sp, *dj, *c, *ac, *n, *slack_header, *slack_can, *slack_handoff;
} run;

static int count_events(void *user, uint64_t seq, const void *d, size_t len)
{
    (void)seq;
    (void)d;
    (void)len;
    (*(size_t *)user)++;
    return 0;
}

static size_t store_shape(run *r)
{
    size_t events = 0;
    if (!r->inc)
        return 0;
    inc_store_read(inc_context_store(r->ctx), inc_incident_id(r->inc), 1, count_events, &events);
    return events;
}

static int report(run *r)
{
    inc_can_report c = INC_CAN_REPORT_INIT;
    c.conditions = "CPU 95% on the primary; I think it is the 14:30 deploy";
    c.actions = "Provisioning a replica; will fail over";
    c.needs = NEEDS;
    return inc_incident_add_can(r->inc, "bob", &c, &r->f1, NULL);
}

static int update(run *r)
{
    inc_update u = INC_UPDATE_INIT;
    u.body = "We are experiencing some issues affecting checkout.";
    u.components = "Checkout, Payments";
    return inc_incident_add_update(r->inc, "carol", &u, &r->f2, NULL);
}

static int template(run *r)
{
    inc_template_vars v = INC_TEMPLATE_VARS_INIT;
    v.symptom = "failed checkouts";
    v.scope = "customers in the EU region";
    return inc_incident_render_template(r->inc, INC_TEMPLATE_FIRST, &v, &r->tmpl, NULL);
}

/* The Slack message of the first CAN report. */
static int slack_can(run *r)
{
    inc_can_info info;
    int rc = inc_incident_get_can(r->inc, 0, &info);
    return rc != INC_OK ? rc : inc_incident_slack_json(r->inc, info.seq, &r->slack_can, NULL);
}

static int step(run *r, int i)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;

    inc_test_clock_advance(&r->clock, 60000);
    switch (i) {
    case 0:
        o.allocator = &r->a;
        o.clock = inc_test_clock_fn;
        o.clock_user = &r->clock;
        return inc_context_new(&o, &r->ctx);
    case 1:
        d.title = "Checkout failures in EU";
        d.declarer = "alice";
        d.severity = "Sev-2";
        return inc_incident_declare(r->ctx, &d, &r->inc);
    case 2:
        return inc_incident_assign_role(r->inc, "alice", "carol", INC_ROLE_COMMS, NULL);
    case 3:
        return report(r);
    case 4:
        return inc_incident_request_decision(r->inc, "bob", "Roll back the deploy?", NULL);
    case 5:
        return inc_incident_decide(r->inc, "alice", 1, 1, "go");
    case 6:
        return update(r);
    case 7:
        return inc_incident_set_cadence(r->inc, "alice", INC_AUDIENCE_EXTERNAL, 900000, "asked");
    case 8:
        return template(r);
    case 9:
        return inc_incident_update_statuspage_json(r->inc, 0, NULL, &r->sp, NULL);
    case 10:
        return inc_incident_can_dispatch_json(r->inc, 0, &r->dj, NULL);
    case 11:
        return inc_can_from_dispatch_json(r->dj, strlen(r->dj), &r->a, &r->c, &r->ac, &r->n, NULL);
    case 12:
        return inc_incident_check_comms(r->inc, &r->f3);
    case 13:
        return inc_can_lint("I think", "will", NULL, &r->a, &r->f4);
    case 14:
        return inc_update_lint("some issues, probably resolved soon", INC_STATE_MITIGATING, "X",
                               &r->a, &r->f5);
    case 15:
        return inc_incident_handoff(r->inc, "alice", "erin", "CPU 95%", "Failing over", "none");
    case 16:
        return inc_incident_open(r->ctx, inc_incident_id(r->inc), &r->copy);
    case 17:
        return inc_incident_render_timeline(r->copy, &r->text, NULL);
    case 18:
        return inc_incident_slack_json(r->inc, 0, &r->slack_header, NULL);
    case 19:
        return slack_can(r);
    case 20:
        return inc_incident_slack_json(r->inc, inc_incident_handoff_seq(r->inc), &r->slack_handoff,
                                       NULL);
    case 21:
        return inc_incident_link_external(r->inc, "bot", "statuspage", "p31zjtct2jer", NULL);
    default:
        return INC_TEST_SCRIPT_END;
    }
}

static void cleanup(run *r)
{
    inc_findings_free(r->f1);
    inc_findings_free(r->f2);
    inc_findings_free(r->f3);
    inc_findings_free(r->f4);
    inc_findings_free(r->f5);
    inc_free(r->text);
    inc_free(r->tmpl);
    inc_free(r->sp);
    inc_free(r->slack_header);
    inc_free(r->slack_can);
    inc_free(r->slack_handoff);
    inc_free(r->dj);
    inc_free(r->c);
    inc_free(r->ac);
    inc_free(r->n);
    inc_incident_free(r->copy);
    inc_incident_free(r->inc);
    inc_context_free(r->ctx);
}

static void reset(void *user)
{
    run *r = user;
    memset(r, 0, sizeof(*r));
    inc_test_alloc_init(&r->ta);
    r->a = inc_test_alloc_allocator(&r->ta);
    inc_test_clock_init(&r->clock, 1795443120000LL);
}

static int play_step(void *user, int i)
{
    return step(user, i);
}

static size_t shape(void *user)
{
    run *r = user;
    return store_shape(r);
}

static const char *errmsg(void *user)
{
    run *r = user;
    return r->inc ? inc_incident_errmsg(r->inc) : "";
}

static const char *result(void *user)
{
    return ((run *)user)->text;
}

static void cleanup_run(void *user)
{
    cleanup(user);
}

static void test_CAN_COMM_every_allocation_fails_cleanly(void **state)
{
    run *r = malloc(sizeof(*r));
    const struct inc_test_script script = {r,     &r->ta, reset,  play_step,
                                           shape, errmsg, result, cleanup_run};
    char *expected = malloc(EXPECTED_MAX);
    unsigned long total;
    (void)state;

    total = inc_test_script_count(&script, expected, EXPECTED_MAX);
    assert_true(strlen(expected) < EXPECTED_MAX - 1);
    /* The script did what it says: decisions opened and answered, lint found. */
    assert_int_equal(inc_incident_decision_count(r->copy), 3);
    assert_int_equal(inc_findings_count_rule(r->f1, "CAN-2.speculation"), 1);
    assert_int_equal(inc_findings_count_rule(r->f2, "COMM-3.vague"), 1);
    assert_non_null(strstr(expected, "open decisions: D2: need a decision"));
    cleanup(r);
    assert_int_equal(r->ta.live_blocks, 0);
    assert_true(total > 20);
    print_message("scenario makes %lu allocations\n", total);
    inc_test_script_sweep(&script, total, expected);
    free(expected);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_CAN_COMM_every_allocation_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
