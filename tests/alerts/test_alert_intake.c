/* Alert intake through the public API (include/incident/alerts.h):
 * ALERT-1 an alert declares at the routed level with the rotation's primary
 * handed command and the rotation paged, and repeats are grouped (a bounded
 * number of events); ALERT-2 a maintenance window records and does not page;
 * ALERT-3 a resolved alert raises the IC's due item and never resolves.
 * Bad input writes nothing; allocation failures leave no leak. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "incident/alerts.h"
#include "incident/due.h"
#include "incident/oncall.h"
#include "incident/rotation.h"
#include "incident/staffing.h"
#include "test_world.h"

#define ROUTES                                                                                     \
    "libincident-routing 1\n"                                                                      \
    "rule = checkout-page\n"                                                                       \
    "  match = alertname=CheckoutDown\n"                                                           \
    "  service = checkout\n"                                                                       \
    "  level = Sev-1\n"                                                                            \
    "  title = \"{{alertname}} on {{service}}: {{summary}}\"\n"                                    \
    "  slug = checkout\n"                                                                          \
    "  rotation = checkout-primary\n"                                                              \
    "  group_by = alertname, service\n"                                                            \
    "  group_window = 30m\n"                                                                       \
    "rule = everything-else\n"                                                                     \
    "  level = Sev-3\n"                                                                            \
    "  rotation = checkout-primary\n"                                                              \
    "  declare = no\n"                                                                             \
    "maintenance = checkout\n"                                                                     \
    "  zone = Europe/Berlin\n"                                                                     \
    "  days = sat\n"                                                                               \
    "  from = 02:00\n"                                                                             \
    "  to = 04:00\n"

#define ROTATION                                                                                   \
    "libincident-rotation 1\nname = checkout-primary\nzone = UTC\nperiod = weekly\n"               \
    "start = 2026-01-05\nhandoff = monday 10:00\nrole = none\nperson = pat\nperson = quinn\n"

static char doc_buf[512];

/* An Alertmanager document with one alert. */
static const char *am_doc(const char *status, const char *fingerprint)
{
    snprintf(doc_buf, sizeof(doc_buf),
             "{\"version\":\"4\",\"status\":\"%s\",\"alerts\":[{\"status\":\"%s\",\"labels\":"
             "{\"alertname\":\"CheckoutDown\",\"service\":\"checkout\",\"severity\":\"critical\"},"
             "\"annotations\":{\"summary\":\"5xx above 5%%\"},\"fingerprint\":\"%s\"}]}",
             status, status, fingerprint);
    return doc_buf;
}

static void add_rotation(inc_context *ctx)
{
    inc_rotation *rot;
    inc_diag d;
    assert_int_equal(inc_rotation_parse(ctx, ROTATION, strlen(ROTATION), &rot, &d), INC_OK);
    assert_int_equal(inc_context_add_rotation(ctx, rot), INC_OK);
    inc_rotation_free(rot);
}

static inc_alert_router *router(struct inc_test_world *w)
{
    inc_alert_router *r = NULL;
    inc_diag d;
    add_rotation(w->ctx);
    assert_int_equal(inc_alert_router_parse(w->ctx, "routes.txt", ROUTES, strlen(ROUTES), &r, &d),
                     INC_OK);
    return r;
}

static int intake(inc_alert_router *r, const char *doc, inc_alert_outcome *out)
{
    return inc_alert_router_intake(r, doc, strlen(doc), out);
}

static int count_cb(void *user, const char *id)
{
    (void)id;
    ++*(size_t *)user;
    return 0;
}

static size_t incidents(struct inc_test_world *w)
{
    size_t n = 0;
    assert_int_equal(inc_store_list(w->store, count_cb, &n), INC_OK);
    return n;
}

static size_t kind_count(inc_incident *inc, inc_event_kind kind)
{
    size_t i, n = 0;
    inc_event_info ev;
    for (i = 0; i < inc_incident_event_count(inc); i++) {
        assert_int_equal(inc_incident_get_event(inc, i, &ev), INC_OK);
        n += ev.kind == kind;
    }
    return n;
}

static inc_incident *open_id(struct inc_test_world *w, const char *id)
{
    inc_incident *inc = NULL;
    assert_int_equal(inc_incident_open(w->ctx, id, &inc), INC_OK);
    return inc;
}

static void test_ALERT_01_declares_at_the_routed_level_and_pages(void **state)
{
    struct inc_test_world *w = *state;
    inc_alert_router *r = router(w);
    inc_alert_outcome o;
    inc_incident *inc;
    char *text = NULL;

    assert_int_equal(intake(r, am_doc("firing", "f1"), &o), INC_OK);
    assert_int_equal(o.alerts, 1);
    assert_int_equal(o.declared, 1);
    assert_int_equal(o.paged, 1);
    assert_int_equal(o.recorded, 1);
    inc = open_id(w, o.incident_id);
    assert_string_equal(inc_incident_severity(inc), "Sev-1");
    assert_string_equal(inc_incident_title(inc), "CheckoutDown on checkout: 5xx above 5%");
    assert_non_null(strstr(inc_incident_id(inc), "checkout"));
    assert_string_equal(inc_incident_declarer(inc), "alertmanager");
    /* The primary on call now is handed command (ROLE-2: by confirming). */
    assert_string_equal(inc_incident_handoff_to(inc), "pat");
    assert_int_equal(inc_incident_page_count(inc), 1);
    assert_int_equal(kind_count(inc, INC_EV_ALERT_RECEIVED), 1);
    assert_int_equal(inc_incident_describe_event(inc, 2, &text), INC_OK);
    assert_non_null(strstr(text, "Alert f1 firing (1 time, group checkout-page/"));
    inc_free(text);
    inc_incident_free(inc);
    inc_alert_router_free(r);
}

static void test_ALERT_01_repeats_are_grouped_with_bounded_events(void **state)
{
    struct inc_test_world *w = *state;
    inc_alert_router *r = router(w);
    inc_alert_outcome o;
    inc_incident *inc;
    size_t i, written, before, recorded = 0;
    char *text = NULL;

    assert_int_equal(intake(r, am_doc("firing", "f1"), &o), INC_OK);
    inc = open_id(w, o.incident_id);
    before = inc_incident_event_count(inc);
    inc_incident_free(inc);
    for (i = 0; i < 1000; i++) {
        assert_int_equal(intake(r, am_doc("firing", "f1"), &o), INC_OK);
        assert_int_equal(o.declared, 0);
        assert_int_equal(o.attached, 1);
        recorded += o.recorded;
    }
    assert_int_equal(recorded, 0); /* within the group window: counted in memory */
    assert_int_equal(intake(r, am_doc("firing", "f2"), &o), INC_OK);
    assert_int_equal(o.recorded, 1); /* a new fingerprint: one event */
    assert_int_equal(inc_alert_router_flush(r, &written), INC_OK);
    assert_int_equal(written, 1); /* f1's 1,001 */
    assert_int_equal(inc_alert_router_flush(r, &written), INC_OK);
    assert_int_equal(written, 0);
    inc = open_id(w, o.incident_id);
    assert_int_equal(inc_incident_event_count(inc), before + 2);
    assert_int_equal(inc_incident_describe_event(inc, inc_incident_event_count(inc) - 1, &text),
                     INC_OK);
    assert_non_null(strstr(text, "Alert f1 firing (1001 times"));
    inc_free(text);
    inc_incident_free(inc);
    /* After the window a repeat writes its count again. */
    inc_test_clock_advance(&w->clock, 31LL * 60 * 1000);
    assert_int_equal(intake(r, am_doc("firing", "f1"), &o), INC_OK);
    assert_int_equal(o.declared, 1); /* the group's window passed: a new incident */
    inc_alert_router_free(r);
}

/* A label value with a line break is made one line for the title (the
 * library refuses multi-line titles), not refused. */
static void test_ALERT_01_a_title_from_labels_is_one_line(void **state)
{
    struct inc_test_world *w = *state;
    inc_alert_router *r = router(w);
    inc_alert_outcome o;
    inc_incident *inc;
    static const char doc[] =
        "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"f9\","
        "\"labels\":{\"alertname\":\"CheckoutDown\",\"service\":\"checkout\"},"
        "\"annotations\":{\"summary\":\"two\\nlines\"}}]}";

    assert_int_equal(intake(r, doc, &o), INC_OK);
    assert_int_equal(o.declared, 1);
    inc = open_id(w, o.incident_id);
    assert_string_equal(inc_incident_title(inc), "CheckoutDown on checkout: two?lines");
    inc_incident_free(inc);
    inc_alert_router_free(r);
}

static void test_ALERT_01_a_restarted_router_finds_the_open_group(void **state)
{
    struct inc_test_world *w = *state;
    inc_alert_router *r = router(w), *again;
    inc_alert_outcome o;
    inc_incident *inc;
    char id[INC_ID_MAX + 1], *text = NULL;
    size_t n, written;

    assert_int_equal(intake(r, am_doc("firing", "f1"), &o), INC_OK);
    strcpy(id, o.incident_id);
    inc_alert_router_free(r);
    n = incidents(w);
    assert_int_equal(
        inc_alert_router_parse(w->ctx, "routes.txt", ROUTES, strlen(ROUTES), &again, NULL), INC_OK);
    inc_test_clock_advance(&w->clock, 60000);
    assert_int_equal(intake(again, am_doc("firing", "f1"), &o), INC_OK);
    assert_int_equal(o.declared, 0);
    assert_int_equal(o.attached, 1);
    assert_int_equal(o.recorded, 0); /* f1's window and count continue from its event */
    assert_string_equal(o.incident_id, id);
    assert_int_equal(incidents(w), n);
    assert_int_equal(inc_alert_router_flush(again, &written), INC_OK);
    assert_int_equal(written, 1);
    inc = open_id(w, id);
    assert_int_equal(inc_incident_describe_event(inc, inc_incident_event_count(inc) - 1, &text),
                     INC_OK);
    assert_non_null(strstr(text, "Alert f1 firing (2 times"));
    inc_free(text);
    inc_incident_free(inc);
    inc_alert_router_free(again);
}

static void test_ALERT_02_maintenance_records_and_does_not_page(void **state)
{
    struct inc_test_world *w = *state;
    inc_alert_router *r = router(w);
    inc_alert_outcome o;
    inc_incident *inc;
    inc_time t;

    /* Saturday 2026-11-28 02:30 in Berlin (UTC+1). */
    assert_int_equal(inc_time_parse("2026-11-28T01:30:00Z", &t), INC_OK);
    w->clock.now = t;
    assert_int_equal(intake(r, am_doc("firing", "f1"), &o), INC_OK);
    assert_int_equal(o.declared, 1);
    assert_int_equal(o.paged, 0);
    assert_int_equal(o.suppressed, 1);
    inc = open_id(w, o.incident_id);
    assert_int_equal(inc_incident_page_count(inc), 0);
    assert_int_equal(kind_count(inc, INC_EV_PAGE_REQUESTED), 0);
    assert_int_equal(kind_count(inc, INC_EV_ALERT_RECEIVED), 1);
    inc_incident_free(inc);
    inc_alert_router_free(r);
}

static const inc_due_item *find_due(inc_due_list *l, inc_due_kind kind)
{
    size_t i;
    for (i = 0; i < inc_due_list_count(l); i++)
        if (inc_due_list_at(l, i)->kind == kind)
            return inc_due_list_at(l, i);
    return NULL;
}

static void test_ALERT_03_resolved_raises_the_ICs_item_and_does_not_resolve(void **state)
{
    struct inc_test_world *w = *state;
    inc_alert_router *r = router(w);
    inc_alert_outcome o;
    inc_incident *inc;
    inc_due_list *l;
    const inc_due_item *it;

    assert_int_equal(intake(r, am_doc("firing", "f1"), &o), INC_OK);
    inc = open_id(w, o.incident_id);
    assert_int_equal(inc_incident_confirm_handoff(inc, "pat"), INC_OK); /* pat takes command */
    assert_int_equal(inc_incident_due(inc, 0, &l), INC_OK);
    assert_null(find_due(l, INC_DUE_ALERT_RESOLVED));
    inc_due_list_free(l);
    inc_test_clock_advance(&w->clock, 60000);
    assert_int_equal(intake(r, am_doc("resolved", "f1"), &o), INC_OK);
    assert_int_equal(o.recorded, 1);
    assert_int_equal(inc_incident_reload(inc), INC_OK);
    assert_true(inc_incident_state(inc) < INC_STATE_MONITORING); /* never resolved by an alert */
    assert_int_equal(inc_incident_due(inc, 0, &l), INC_OK);
    assert_non_null(it = find_due(l, INC_DUE_ALERT_RESOLVED));
    assert_string_equal(it->target, "pat");
    assert_string_equal(inc_due_kind_name(it->kind), "alert_resolved");
    assert_non_null(strstr(it->text, "ALERT-3"));
    inc_due_list_free(l);
    /* Firing again withdraws the item. */
    assert_int_equal(intake(r, am_doc("firing", "f1"), &o), INC_OK);
    assert_int_equal(inc_incident_reload(inc), INC_OK);
    assert_int_equal(inc_incident_due(inc, 0, &l), INC_OK);
    assert_null(find_due(l, INC_DUE_ALERT_RESOLVED));
    inc_due_list_free(l);
    inc_incident_free(inc);
    inc_alert_router_free(r);
}

/* The PagerDuty bodies of every event of @inc whose action is @action. */
static size_t pd_bodies(inc_incident *inc, const char *action)
{
    static const char key[] = "R0UT1NGKEY0123456789abcdefABCDEF";
    char needle[64];
    size_t n = 0;
    uint64_t seq;

    snprintf(needle, sizeof(needle), "\"event_action\":\"%s\"", action);
    for (seq = 1; seq <= inc_incident_event_count(inc); seq++) {
        char *out = NULL, *at;
        size_t count = 0;
        assert_int_equal(inc_incident_pagerduty_json(inc, seq, key, NULL, NULL, &out, &count),
                         INC_OK);
        for (at = out; (at = strstr(at, needle)) != NULL; at++)
            n++;
        inc_free(out);
    }
    return n;
}

/* ALERT-1: the routed rotation's page goes out as a PagerDuty trigger;
 * ALERT-3: the alert resolving resolves nothing (the IC decides); ALERT-2:
 * in a maintenance window nothing is triggered. */
static void test_ALERT_01_the_routed_page_triggers_pagerduty(void **state)
{
    struct inc_test_world *w = *state;
    inc_alert_router *r = router(w);
    inc_alert_outcome o;
    inc_incident *inc;
    inc_time t;

    assert_int_equal(intake(r, am_doc("firing", "f1"), &o), INC_OK);
    inc_test_clock_advance(&w->clock, 60000);
    assert_int_equal(intake(r, am_doc("resolved", "f1"), &o), INC_OK);
    inc = open_id(w, o.incident_id);
    assert_int_equal(pd_bodies(inc, "trigger"), 1);
    assert_int_equal(pd_bodies(inc, "resolve"), 0); /* ALERT-3 */
    inc_incident_free(inc);
    /* ALERT-2: Saturday 2026-11-28 02:30 in Berlin, another group. */
    assert_int_equal(inc_time_parse("2026-11-28T01:30:00Z", &t), INC_OK);
    w->clock.now = t;
    assert_int_equal(intake(r, am_doc("firing", "f2"), &o), INC_OK);
    assert_int_equal(o.suppressed, 1);
    inc = open_id(w, o.incident_id);
    assert_int_equal(pd_bodies(inc, "trigger"), 0);
    inc_incident_free(inc);
    inc_alert_router_free(r);
}

/* PagerDuty: the trigger routes by its payload; acknowledge and resolve
 * carry only the dedup key and reach the incident the trigger reached. */
static void test_ALERT_03_pagerduty_acknowledge_and_resolve_follow_the_dedup_key(void **state)
{
    struct inc_test_world *w = *state;
    inc_alert_router *r = NULL;
    inc_alert_outcome o;
    inc_incident *inc;
    inc_due_list *l;
    char id[INC_ID_MAX + 1];
    static const char routes[] = "libincident-routing 1\nrule = pd-cpu\n  service = srv01\n"
                                 "  level = Sev-2\n  rotation = checkout-primary\n"
                                 "  group_by = source\n";
    static const char trigger[] =
        "{\"event_action\":\"trigger\",\"dedup_key\":\"srv01/cpu\",\"payload\":"
        "{\"summary\":\"CPU on srv01 at 98%\",\"source\":\"srv01\",\"severity\":\"critical\"}}";

    add_rotation(w->ctx);
    assert_int_equal(inc_alert_router_parse(w->ctx, "pd.txt", routes, strlen(routes), &r, NULL),
                     INC_OK);
    assert_int_equal(intake(r, "{\"event_action\":\"resolve\",\"dedup_key\":\"srv01/cpu\"}", &o),
                     INC_OK);
    assert_int_equal(o.unrouted, 1); /* nothing to resolve yet: not declared */
    assert_int_equal(intake(r, trigger, &o), INC_OK);
    assert_int_equal(o.declared, 1);
    strcpy(id, o.incident_id);
    inc = open_id(w, id);
    assert_string_equal(inc_incident_declarer(inc), "pagerduty");
    assert_string_equal(inc_incident_severity(inc), "Sev-2");
    inc_incident_free(inc);
    assert_int_equal(
        intake(r, "{\"event_action\":\"acknowledge\",\"dedup_key\":\"srv01/cpu\"}", &o), INC_OK);
    assert_int_equal(o.recorded, 1);
    assert_string_equal(o.incident_id, id);
    inc_alert_router_free(r); /* a restart in between */
    assert_int_equal(inc_alert_router_parse(w->ctx, "pd.txt", routes, strlen(routes), &r, NULL),
                     INC_OK);
    assert_int_equal(intake(r, "{\"event_action\":\"resolve\",\"dedup_key\":\"srv01/cpu\"}", &o),
                     INC_OK);
    assert_int_equal(o.recorded, 1);
    assert_string_equal(o.incident_id, id);
    inc = open_id(w, id);
    assert_int_equal(inc_incident_state(inc), INC_STATE_DECLARED);
    assert_int_equal(inc_incident_due(inc, 0, &l), INC_OK);
    assert_non_null(find_due(l, INC_DUE_ALERT_RESOLVED));
    inc_due_list_free(l);
    inc_incident_free(inc);
    assert_int_equal(intake(r, "{\"event_action\":\"resolve\",\"dedup_key\":\"other\"}", &o),
                     INC_OK);
    assert_int_equal(o.unrouted, 1);
    inc_alert_router_free(r);
}

static void test_bad_input_writes_nothing(void **state)
{
    struct inc_test_world *w = *state;
    inc_alert_router *r = router(w), *none = NULL;
    inc_alert_outcome o;
    inc_diag d;
    size_t n = incidents(w);
    static const char bad_routes[] = "libincident-routing 1\nrule = a\n  level = Sev-9\n"
                                     "  rotation = x\n";
    static const char no_rotation[] = "libincident-routing 1\nrule = a\n  level = Sev-2\n"
                                      "  rotation = nobody\n";

    assert_int_equal(intake(r, "{\"version\":\"4\",", &o), INC_EPARSE);
    assert_int_equal(intake(r, "{\"version\":\"3\",\"alerts\":[]}", &o), INC_EINVAL);
    assert_non_null(strstr(inc_alert_router_errmsg(r), "3"));
    assert_int_equal(intake(r, "{\"event_action\":\"snooze\",\"dedup_key\":\"k\"}", &o),
                     INC_EINVAL);
    assert_int_equal(inc_alert_router_intake(r, NULL, 0, &o), INC_EINVAL);
    assert_int_equal(incidents(w), n);
    assert_int_equal(
        inc_alert_router_parse(w->ctx, "routes.txt", bad_routes, strlen(bad_routes), &none, &d),
        INC_EINVAL);
    assert_null(none);
    assert_non_null(strstr(d.message, "routes.txt: line 3"));
    /* A rotation the context lacks: refused before declaring. */
    assert_int_equal(
        inc_alert_router_parse(w->ctx, "r.txt", no_rotation, strlen(no_rotation), &none, &d),
        INC_OK);
    assert_int_equal(intake(none, am_doc("firing", "f1"), &o), INC_EINVAL);
    assert_int_equal(o.declared, 0);
    assert_non_null(strstr(inc_alert_router_errmsg(none), "nobody"));
    assert_int_equal(incidents(w), n);
    inc_alert_router_free(none);
    inc_alert_router_free(r);
}

/* Every allocation failure during parse, intake and flush is reported, and
 * nothing leaks. */
static void test_allocation_failures(void **state)
{
    unsigned long k;
    (void)state;

    for (k = 1; k < 2000; k++) {
        struct inc_test_alloc ta;
        struct inc_test_clock clk;
        inc_allocator a;
        inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
        inc_context *ctx = NULL;
        inc_alert_router *r = NULL;
        int rc;

        inc_test_alloc_init(&ta);
        a = inc_test_alloc_allocator(&ta);
        inc_test_clock_init(&clk, INC_TEST_T0);
        co.allocator = &a;
        co.clock = inc_test_clock_fn;
        co.clock_user = &clk;
        assert_int_equal(inc_context_new(&co, &ctx), INC_OK);
        add_rotation(ctx);
        ta.fail_at = ta.calls + k;
        rc = inc_alert_router_parse(ctx, "routes.txt", ROUTES, strlen(ROUTES), &r, NULL);
        if (rc == INC_OK) {
            rc = intake(r, am_doc("firing", "f1"), NULL);
            if (rc == INC_OK)
                rc = intake(r, am_doc("firing", "f2"), NULL);
            if (rc == INC_OK)
                rc = intake(r, am_doc("firing", "f1"), NULL);
            if (rc == INC_OK)
                rc = inc_alert_router_flush(r, NULL);
        }
        assert_true(rc == INC_OK || rc == INC_ENOMEM);
        inc_alert_router_free(r);
        inc_context_free(ctx);
        assert_int_equal(ta.live_blocks, 0);
        if (rc == INC_OK && ta.failures == 0)
            break;
    }
    assert_true(k < 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ALERT_01_declares_at_the_routed_level_and_pages,
                                        inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_ALERT_01_repeats_are_grouped_with_bounded_events,
                                        inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_ALERT_01_a_title_from_labels_is_one_line,
                                        inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_ALERT_01_a_restarted_router_finds_the_open_group,
                                        inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_ALERT_01_the_routed_page_triggers_pagerduty,
                                        inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_ALERT_02_maintenance_records_and_does_not_page,
                                        inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(
            test_ALERT_03_resolved_raises_the_ICs_item_and_does_not_resolve, inc_test_world_setup,
            inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(
            test_ALERT_03_pagerduty_acknowledge_and_resolve_follow_the_dedup_key,
            inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_writes_nothing, inc_test_world_setup,
                                        inc_test_world_teardown),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
