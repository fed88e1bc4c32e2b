/* Alerts in: the documents (an Alertmanager webhook, version 4, and a
 * PagerDuty Events v2 event) and the routing file (ALERT-1 routing by data,
 * ALERT-2 maintenance windows in local time), with every bad input refused
 * with a clear message (lib/docs/alert-routing.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alerts/alerts_internal.h"
#include "incident.h"
#include "test_world.h"
#include "util/time.h"

#define AM_DOC                                                                                     \
    "{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"CheckoutDown\\\"}\",\"status\":"          \
    "\"firing\",\"receiver\":\"libincident\",\"groupLabels\":{\"alertname\":\"CheckoutDown\"},"    \
    "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"http://am:9093\","             \
    "\"truncatedAlerts\":0,\"alerts\":["                                                           \
    "{\"status\":\"firing\",\"labels\":{\"alertname\":\"CheckoutDown\",\"service\":\"checkout\","  \
    "\"severity\":\"critical\",\"instance\":\"web-1\"},\"annotations\":{\"summary\":\"Checkout "   \
    "5xx above 5%\"},\"startsAt\":\"2026-11-23T14:10:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","   \
    "\"generatorURL\":\"http://prom/graph\",\"fingerprint\":\"a1b2c3d4e5f60718\"},"                \
    "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"DiskFull\",\"job\":\"db\"},"             \
    "\"annotations\":{},\"startsAt\":\"2026-11-23T13:00:00Z\",\"fingerprint\":\"ffee\"}]}"

#define ROUTES                                                                                     \
    "# routes for the tests\n"                                                                     \
    "libincident-routing 1\n"                                                                      \
    "rule = checkout-page\n"                                                                       \
    "  match = alertname=CheckoutDown\n"                                                           \
    "  match = instance=*\n"                                                                       \
    "  service = checkout\n"                                                                       \
    "  severity = critical, page\n"                                                                \
    "  level = Sev-1\n"                                                                            \
    "  title = \"{{alertname}} on {{service}}: {{summary}}\"\n"                                    \
    "  slug = checkout\n"                                                                          \
    "  rotation = checkout-primary\n"                                                              \
    "  group_by = alertname, service\n"                                                            \
    "  group_window = 30m\n"                                                                       \
    "rule = everything-else\n"                                                                     \
    "  level = Sev-3\n"                                                                            \
    "  rotation = ops\n"                                                                           \
    "  declare = no\n"                                                                             \
    "maintenance = checkout\n"                                                                     \
    "  zone = Europe/Berlin\n"                                                                     \
    "  days = sat\n"                                                                               \
    "  from = 02:00\n"                                                                             \
    "  to = 04:00\n"                                                                               \
    "maintenance = db\n"                                                                           \
    "  zone = UTC\n"                                                                               \
    "  from = 22:00\n"                                                                             \
    "  to = 02:00\n"

static int parse(const char *doc, inc__alert_batch *b, inc_diag *diag)
{
    return inc__alert_batch_parse(NULL, doc, strlen(doc), b, diag);
}

static inc_time at(const char *iso)
{
    inc_time t;
    assert_int_equal(inc_time_parse(iso, &t), INC_OK);
    return t;
}

/* ---- documents ------------------------------------------------------------- */

static void test_alertmanager_v4_document(void **state)
{
    inc__alert_batch b;
    const inc__alert *a;
    (void)state;

    assert_int_equal(parse(AM_DOC, &b, NULL), INC_OK);
    assert_int_equal(b.source, INC__ALERT_ALERTMANAGER);
    assert_int_equal(b.count, 2);
    a = &b.alerts[0];
    assert_int_equal(a->status, INC__ALERT_FIRING);
    assert_string_equal(a->fingerprint, "a1b2c3d4e5f60718");
    assert_string_equal(a->summary, "Checkout 5xx above 5%");
    assert_string_equal(a->service, "checkout");
    assert_string_equal(a->severity, "critical");
    assert_int_equal(a->label_count, 4);
    assert_string_equal(inc__alert_label(a, "instance"), "web-1");
    assert_int_equal(a->starts_at, at("2026-11-23T14:10:00Z"));
    a = &b.alerts[1];
    assert_int_equal(a->status, INC__ALERT_RESOLVED);
    assert_string_equal(a->summary, "DiskFull"); /* no summary: the alertname */
    assert_string_equal(a->service, "db");       /* no service label: the job */
    assert_string_equal(a->severity, "");
    inc__alert_batch_dispose(&b);
}

static void test_pagerduty_events(void **state)
{
    inc__alert_batch b;
    const inc__alert *a;
    (void)state;

    assert_int_equal(
        parse("{\"routing_key\":\"R0UT1NGKEY0123456789abcdefABCDEF\",\"event_action\":\"trigger\","
              "\"dedup_key\":\"srv01/cpu\",\"payload\":{\"summary\":\"CPU on srv01 at 98%\","
              "\"source\":\"srv01\",\"severity\":\"critical\",\"component\":\"checkout\","
              "\"custom_details\":{\"region\":\"eu\",\"n\":3}}}",
              &b, NULL),
        INC_OK);
    assert_int_equal(b.source, INC__ALERT_PAGERDUTY);
    a = &b.alerts[0];
    assert_int_equal(a->status, INC__ALERT_FIRING);
    assert_string_equal(a->fingerprint, "srv01/cpu");
    assert_string_equal(a->service, "checkout"); /* the component, else the source */
    assert_string_equal(a->severity, "critical");
    assert_string_equal(inc__alert_label(a, "region"), "eu"); /* string custom details */
    assert_null(inc__alert_label(a, "n"));
    inc__alert_batch_dispose(&b);

    assert_int_equal(
        parse("{\"event_action\":\"acknowledge\",\"dedup_key\":\"srv01/cpu\"}", &b, NULL), INC_OK);
    assert_int_equal(b.alerts[0].status, INC__ALERT_ACKNOWLEDGED);
    inc__alert_batch_dispose(&b);
    assert_int_equal(parse("{\"event_action\":\"resolve\",\"dedup_key\":\"srv01/cpu\"}", &b, NULL),
                     INC_OK);
    assert_int_equal(b.alerts[0].status, INC__ALERT_RESOLVED);
    inc__alert_batch_dispose(&b);
}

/* Bad input: a clear code and message naming what is wrong. */
static void expect_refused(const char *doc, size_t len, int code, const char *words)
{
    inc__alert_batch b;
    inc_diag diag;
    assert_int_equal(inc__alert_batch_parse(NULL, doc, len, &b, &diag), code);
    assert_int_equal(diag.code, code);
    if (words && !strstr(diag.message, words))
        fail_msg("'%s' does not say '%s'", diag.message, words);
    assert_null(b.root);
}

static void test_bad_documents_are_refused(void **state)
{
    char key[400], doc[600], *big;
    (void)state;

    expect_refused("{\"version\":\"4\",", 15, INC_EPARSE, NULL);
    expect_refused("[1]", 3, INC_EPARSE, "JSON object");
    expect_refused("{\"version\":\"3\",\"alerts\":[]}", 27, INC_EINVAL, "version");
    expect_refused("{\"version\":\"4\",\"alerts\":[]}", 27, INC_EINVAL, "non-empty");
#define AM1(alert) "{\"version\":\"4\",\"alerts\":[" alert "]}"
    expect_refused(
        AM1("{\"status\":\"pending\",\"labels\":{\"a\":\"b\"},\"fingerprint\":\"f\"}"),
        strlen(AM1("{\"status\":\"pending\",\"labels\":{\"a\":\"b\"},\"fingerprint\":\"f\"}")),
        INC_EINVAL, "alerts[0].status");
    expect_refused(AM1("{\"status\":\"firing\",\"labels\":{},\"fingerprint\":\"f\"}"),
                   strlen(AM1("{\"status\":\"firing\",\"labels\":{},\"fingerprint\":\"f\"}")),
                   INC_EINVAL, "no labels");
    expect_refused(AM1("{\"status\":\"firing\",\"labels\":{\"a\":\"b\"}}"),
                   strlen(AM1("{\"status\":\"firing\",\"labels\":{\"a\":\"b\"}}")), INC_EINVAL,
                   "fingerprint");
    expect_refused("{\"event_action\":\"snooze\",\"dedup_key\":\"d\"}", 41, INC_EINVAL,
                   "event_action");
    memset(key, 'k', 256);
    key[256] = '\0';
    snprintf(doc, sizeof(doc), "{\"event_action\":\"resolve\",\"dedup_key\":\"%s\"}", key);
    expect_refused(doc, strlen(doc), INC_ETOOBIG, "dedup_key");
    expect_refused("{\"event_action\":\"trigger\",\"dedup_key\":\"d\"}", 42, INC_EINVAL, "payload");
    snprintf(doc, sizeof(doc),
             "{\"event_action\":\"trigger\",\"dedup_key\":\"d\",\"payload\":{\"summary\":\"s\","
             "\"source\":\"x\",\"severity\":\"high\"}}");
    expect_refused(doc, strlen(doc), INC_EINVAL, "severity");
    big = calloc(1, INC__ALERT_DOC_MAX + 2);
    assert_non_null(big);
    memset(big, ' ', INC__ALERT_DOC_MAX + 1);
    expect_refused(big, INC__ALERT_DOC_MAX + 1, INC_ETOOBIG, "1 MiB");
    free(big);
}

/* ---- the routing file ----------------------------------------------------------- */

static inc__routing *routes(struct inc_test_world *w, const char *text, int expect, inc_diag *diag)
{
    inc__routing *r = NULL;
    assert_int_equal(inc__routing_parse(w->ctx, inc_context_rubric(w->ctx), "routes.txt", text,
                                        strlen(text), &r, diag),
                     expect);
    if (expect != INC_OK)
        assert_null(r);
    return r;
}

static void test_ALERT_01_rules_route_by_labels_service_and_severity(void **state)
{
    struct inc_test_world *w = *state;
    inc__routing *r = routes(w, ROUTES, INC_OK, NULL);
    const inc__route_rule *ru;
    inc__alert_batch b;
    inc__buf t;

    assert_int_equal(r->rule_count, 2);
    assert_int_equal(parse(AM_DOC, &b, NULL), INC_OK);
    ru = inc__routing_match(r, &b.alerts[0]);
    assert_string_equal(ru->name, "checkout-page");
    assert_string_equal(ru->level, "Sev-1");
    assert_string_equal(ru->rotation, "checkout-primary");
    assert_int_equal(ru->declare, 1);
    assert_int_equal(ru->group_window_ms, 30 * 60 * 1000);
    inc__buf_init(&t, NULL);
    inc__routing_group_key(ru, &b.alerts[0], &t);
    assert_string_equal(t.ptr, "checkout-page/alertname=CheckoutDown,service=checkout");
    inc__buf_clear(&t);
    inc__routing_title(ru, &b.alerts[0], &t);
    assert_string_equal(t.ptr, "CheckoutDown on checkout: Checkout 5xx above 5%");
    inc__buf_dispose(&t);
    /* No instance label, another severity: the next rule. */
    ru = inc__routing_match(r, &b.alerts[1]);
    assert_string_equal(ru->name, "everything-else");
    assert_int_equal(ru->declare, 0);
    assert_string_equal(ru->group_by, "alertname");
    inc__alert_batch_dispose(&b);
    inc__routing_free(r);
}

static void test_ALERT_02_maintenance_windows_in_local_time(void **state)
{
    struct inc_test_world *w = *state;
    inc__routing *r = routes(w, ROUTES, INC_OK, NULL);

    /* Saturday 02:00-04:00 in Berlin (UTC+1 in November). */
    assert_true(inc__routing_in_maintenance(r, w->ctx, "checkout", at("2026-11-28T01:30:00Z")));
    assert_true(inc__routing_in_maintenance(r, w->ctx, "checkout", at("2026-11-28T01:00:00Z")));
    assert_false(inc__routing_in_maintenance(r, w->ctx, "checkout", at("2026-11-28T03:00:00Z")));
    assert_false(inc__routing_in_maintenance(r, w->ctx, "checkout", at("2026-11-27T01:30:00Z")));
    assert_false(inc__routing_in_maintenance(r, w->ctx, "payments", at("2026-11-28T01:30:00Z")));
    /* Across midnight, every day. */
    assert_true(inc__routing_in_maintenance(r, w->ctx, "db", at("2026-11-24T23:00:00Z")));
    assert_true(inc__routing_in_maintenance(r, w->ctx, "db", at("2026-11-25T01:59:00Z")));
    assert_false(inc__routing_in_maintenance(r, w->ctx, "db", at("2026-11-25T02:00:00Z")));
    inc__routing_free(r);
}

static void expect_bad_routes(struct inc_test_world *w, const char *body, int code,
                              const char *words)
{
    char text[2048];
    inc_diag diag;
    snprintf(text, sizeof(text), "libincident-routing 1\n%s", body);
    routes(w, text, code, &diag);
    if (!strstr(diag.message, words))
        fail_msg("'%s' does not say '%s'", diag.message, words);
    if (!strstr(diag.message, "routes.txt: "))
        fail_msg("'%s' does not name the file", diag.message);
}

static void test_bad_routing_files_name_file_and_line(void **state)
{
    struct inc_test_world *w = *state;
    expect_bad_routes(w, "rule = a\n  level = Sev-9\n  rotation = x\n", INC_EINVAL,
                      "line 3: level: 'Sev-9' is not a level");
    expect_bad_routes(w, "maintenance = db\n  zone = Mars/Olympus\n  from = 01:00\n  to = 02:00\n",
                      INC_ENOTFOUND, "line 3: zone:");
    expect_bad_routes(w, "maintenance = db\n  zone = ../etc\n", INC_EINVAL, "line 3: zone:");
    expect_bad_routes(w, "level = Sev-1\n", INC_EINVAL, "line 2: level: only inside a rule block");
    expect_bad_routes(w, "rule = a\n  level = Sev-1\n", INC_EINVAL,
                      "rule a (line 2): level and rotation are required");
    expect_bad_routes(w, "rule = a\n  level = Sev-1\n  rotation = x\n  declare = maybe\n",
                      INC_EINVAL, "line 5: declare");
    expect_bad_routes(w, "rule = a\n  level = Sev-1\n  rotation = x\nrule = a\n", INC_EEXIST,
                      "already defined on line 2");
    expect_bad_routes(w, "maintenance = db\n  zone = UTC\n  days = funday\n", INC_EINVAL,
                      "line 4: days");
    expect_bad_routes(w, "maintenance = db\n  zone = UTC\n  from = 25:00\n", INC_EINVAL,
                      "line 4: from");
    expect_bad_routes(w, "rule = a\n  colour = red\n", INC_EPARSE, "line 3: unknown key");
    expect_bad_routes(w, "rule = a\n  match = novalue\n", INC_EINVAL, "line 3: match");
    expect_bad_routes(w, "rule = a\n  group_window = soon\n", INC_EINVAL, "line 3: group_window");
    expect_bad_routes(w, "rule = A B\n", INC_EINVAL, "line 2: rule");
    expect_bad_routes(w, "rule = a\n  slug = Big Slug\n", INC_EINVAL, "line 3: slug");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alertmanager_v4_document),
        cmocka_unit_test(test_pagerduty_events),
        cmocka_unit_test(test_bad_documents_are_refused),
        cmocka_unit_test_setup_teardown(test_ALERT_01_rules_route_by_labels_service_and_severity,
                                        inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_ALERT_02_maintenance_windows_in_local_time,
                                        inc_test_world_setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_bad_routing_files_name_file_and_line,
                                        inc_test_world_setup, inc_test_world_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
