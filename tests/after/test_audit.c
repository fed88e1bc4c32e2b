/* The response audit (AUD-1, AUD-2): the 001 seed's first ten minutes
 * scored against T+10, each antipattern found with its span in a timeline
 * built to show it and not in a clean one, the renderings, drills, bad
 * arguments and allocation failure. */
#include "incident_internal.h"
#include "test_after_util.h"
#include "util/json.h"

static inc_audit *audit_at(pm_fx *f, int64_t off)
{
    inc_audit_options o = INC_AUDIT_OPTIONS_INIT;
    inc_audit *a = NULL;
    o.now = T0 + off;
    assert_int_equal(inc_incident_audit(f->inc, &o, &a), INC_OK);
    return a;
}

static const inc_audit_step *step(const inc_audit *a, inc_audit_step_kind k)
{
    const inc_audit_step *s = inc_audit_step_at(a, k);
    assert_non_null(s);
    assert_int_equal(s->kind, k);
    return s;
}

/* The one finding of @rule, or fail. */
static const inc_finding *only(const inc_audit *a, const char *rule)
{
    const inc_findings *l = inc_audit_antipatterns(a);
    size_t i;
    const inc_finding *found = NULL;
    assert_int_equal(inc_findings_count_rule(l, rule), 1);
    for (i = 0; i < inc_findings_count(l); i++)
        if (strcmp(inc_findings_at(l, i)->rule_id, rule) == 0)
            found = inc_findings_at(l, i);
    return found;
}

static void assert_span(const inc_finding *f, int64_t from, int64_t to)
{
    assert_int_equal(f->since, T0 + from);
    assert_int_equal(f->value, to - from);
}

/* ---- AUD-1 --------------------------------------------------------------------- */

static void test_AUD_1_first_ten_minutes_on_time_all_done(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_audit_summary sum;
    inc_audit *a;
    unsigned k;
    (void)state;

    pm_first_ten(f, 3, 1);
    a = audit_at(f, 30 * MIN);
    for (k = 0; k < INC_AUDIT_STEP_COUNT; k++) {
        const inc_audit_step *s = step(a, (inc_audit_step_kind)k);
        assert_int_equal(s->result, INC_AUDIT_DONE);
        assert_true(s->offset_ms >= 0 && s->offset_ms <= 10 * MIN);
        assert_true(s->seq >= 1);
    }
    assert_int_equal(step(a, INC_AUDIT_ROLES_PAGED)->offset_ms, 3 * MIN); /* the Scribe came last */
    assert_int_equal(step(a, INC_AUDIT_BRIDGE)->offset_ms, 4 * MIN);
    assert_int_equal(step(a, INC_AUDIT_FIRST_CAN)->offset_ms, 5 * MIN);
    assert_int_equal(step(a, INC_AUDIT_FIRST_EXTERNAL)->offset_ms, 6 * MIN);
    assert_int_equal(step(a, INC_AUDIT_FIRST_INTERNAL)->offset_ms, 7 * MIN);
    assert_int_equal(inc_audit_get_summary(a, &sum), INC_OK);
    assert_int_equal(sum.done, INC_AUDIT_STEP_COUNT);
    assert_int_equal(sum.late + sum.missing + sum.pending + sum.not_applicable, 0);
    assert_int_equal(sum.antipatterns, 0);
    inc_audit_free(a);
    pm_fx_free(f);
}

/* The severity step names the declared level, and the level of the first ten
 * minutes when a change within them raised it. */
static void test_AUD_1_severity_step_names_declared_and_raised_level(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_audit *a;
    const char *d;
    (void)state;

    pm_declare(f, "Checkout errors", "Sev-2", INC_CRIT_CUSTOMER_VISIBLE, 0, INC_TIME_NONE,
               INC_TIME_NONE);
    a = audit_at(f, 1 * MIN);
    d = step(a, INC_AUDIT_SEVERITY_SET)->detail;
    assert_string_equal(d, "declared at Sev-2");
    inc_audit_free(a);
    at(f, 4 * MIN);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", "US checkout failing too"),
                     INC_OK);
    a = audit_at(f, 30 * MIN);
    d = step(a, INC_AUDIT_SEVERITY_SET)->detail;
    assert_string_equal(d, "declared at Sev-2, Sev-1 within the first ten minutes");
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_1_scribe_at_t12_no_can_late_and_missing(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_audit_summary sum;
    inc_audit *a;
    (void)state;

    pm_first_ten(f, 12, 0);
    a = audit_at(f, 30 * MIN);
    assert_int_equal(step(a, INC_AUDIT_ROLES_PAGED)->result, INC_AUDIT_LATE);
    assert_int_equal(step(a, INC_AUDIT_ROLES_PAGED)->offset_ms, 12 * MIN);
    assert_non_null(strstr(step(a, INC_AUDIT_ROLES_PAGED)->detail, "Scribe T+12m00s"));
    assert_int_equal(step(a, INC_AUDIT_FIRST_CAN)->result, INC_AUDIT_MISSING);
    assert_int_equal(step(a, INC_AUDIT_FIRST_CAN)->at, INC_TIME_NONE);
    assert_int_equal(step(a, INC_AUDIT_DECLARED)->result, INC_AUDIT_DONE);
    assert_int_equal(step(a, INC_AUDIT_FIRST_EXTERNAL)->result, INC_AUDIT_DONE);
    inc_audit_get_summary(a, &sum);
    assert_int_equal(sum.done, 8);
    assert_int_equal(sum.late, 1);
    assert_int_equal(sum.missing, 1);
    inc_audit_free(a);

    /* Before T+10 the CAN is pending, not missing. */
    a = audit_at(f, 8 * MIN);
    assert_int_equal(step(a, INC_AUDIT_FIRST_CAN)->result, INC_AUDIT_PENDING);
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_1_paging_by_target_and_not_applicable(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_audit *a;
    (void)state;

    /* Sev-2: a page naming "scribe" and "comms" counts as paging the roles. */
    pm_declare(f, "Search slow", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    at(f, 2 * MIN);
    assert_int_equal(inc_incident_request_page(f->inc, "alice", "scribe,comms", NULL, NULL),
                     INC_OK);
    a = audit_at(f, 20 * MIN);
    assert_int_equal(step(a, INC_AUDIT_ROLES_PAGED)->result, INC_AUDIT_DONE);
    assert_int_equal(step(a, INC_AUDIT_ROLES_PAGED)->offset_ms, 2 * MIN);
    /* Not customer-facing: the external update does not apply. */
    assert_int_equal(step(a, INC_AUDIT_FIRST_EXTERNAL)->result, INC_AUDIT_NOT_APPLICABLE);
    assert_int_equal(step(a, INC_AUDIT_BRIDGE)->result, INC_AUDIT_MISSING);
    inc_audit_free(a);

    /* Sev-4: roles as needed, no bridge, internal updates as needed. */
    at(f, 0);
    pm_declare(f, "Batch report late", "Sev-4", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    a = audit_at(f, 20 * MIN);
    assert_int_equal(step(a, INC_AUDIT_ROLES_PAGED)->result, INC_AUDIT_NOT_APPLICABLE);
    assert_int_equal(step(a, INC_AUDIT_BRIDGE)->result, INC_AUDIT_NOT_APPLICABLE);
    assert_int_equal(step(a, INC_AUDIT_FIRST_INTERNAL)->result, INC_AUDIT_NOT_APPLICABLE);
    assert_int_equal(step(a, INC_AUDIT_FIRST_CAN)->result, INC_AUDIT_MISSING);
    inc_audit_free(a);

    /* Sev-0: the executive posture adds sponsor, legal and PR. */
    at(f, 0);
    pm_declare(f, "Data breach", "Sev-0", INC_CRIT_SECURITY, 0, INC_TIME_NONE, INC_TIME_NONE);
    pm_assign(f, 1 * MIN, "frank", INC_ROLE_SCRIBE, NULL);
    pm_assign(f, 1 * MIN, "carol", INC_ROLE_COMMS, NULL);
    a = audit_at(f, 20 * MIN);
    assert_int_equal(step(a, INC_AUDIT_ROLES_PAGED)->result, INC_AUDIT_MISSING);
    assert_non_null(strstr(step(a, INC_AUDIT_ROLES_PAGED)->detail, "Legal Counsel not paged"));
    inc_audit_free(a);
    pm_fx_free(f);
}

/* ---- AUD-2 ---------------------------------------------------------------------- */

/* The clean incident: the first ten minutes on time, updates on cadence,
 * half an hour of monitoring, an action item owned by a person. */
static void clean_incident(pm_fx *f)
{
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    pm_first_ten(f, 3, 1);
    pm_state(f, 8 * MIN, INC_STATE_INVESTIGATING);
    pm_state(f, 20 * MIN, INC_STATE_MITIGATING);
    pm_state(f, 25 * MIN, INC_STATE_MONITORING);
    pm_update(f, 30 * MIN, "carol", INC_AUDIENCE_EXTERNAL, EXT_BODY);
    pm_state(f, 55 * MIN, INC_STATE_RESOLVED);
    at(f, 60 * MIN);
    o.title = "Alert on checkout error rate per region";
    o.owner = "bob";
    o.due = T0 + 7 * DAY;
    o.priority = 2;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, NULL), INC_OK);
}

static void test_AUD_2_clean_timeline_has_none(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_audit *a;
    (void)state;
    clean_incident(f);
    a = audit_at(f, 2 * HOUR);
    assert_int_equal(inc_findings_count(inc_audit_antipatterns(a)), 0);
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_2_ic_also_sme_span(void **state)
{
    pm_fx *f = pm_fx_new();
    const inc_finding *fd;
    inc_audit *a;
    (void)state;
    pm_declare(f, "DB slow", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    pm_assign(f, 3 * MIN, "alice", INC_ROLE_SME, "database"); /* advisory: recorded */
    at(f, 20 * MIN);
    assert_int_equal(inc_incident_release_role(f->inc, "alice", "alice", INC_ROLE_SME, NULL),
                     INC_OK);
    a = audit_at(f, HOUR);
    fd = only(a, "AUD-2.ic-also-sme");
    assert_span(fd, 3 * MIN, 20 * MIN);
    assert_string_equal(fd->people[0], "alice");
    assert_true(fd->role_mask & INC_ROLE_BIT(INC_ROLE_SME));
    assert_non_null(strstr(fd->message, "T+3m00s -> T+20m00s (17m)"));
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_2_no_ic_span(void **state)
{
    pm_fx *f = pm_fx_new();
    const inc_finding *fd;
    inc_audit *a;
    (void)state;
    pm_declare(f, "DB slow", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    at(f, 2 * MIN);
    assert_int_equal(inc_incident_note(f->inc, "bob", "restarting replica 2"), INC_OK);
    at(f, 5 * MIN);
    assert_int_equal(inc_incident_note(f->inc, "dan", "me too, looking at the pool"), INC_OK);
    pm_assign(f, 8 * MIN, "bob", INC_ROLE_SME, "database");
    a = audit_at(f, HOUR);
    fd = only(a, "AUD-2.no-ic");
    assert_span(fd, 2 * MIN, 8 * MIN);
    assert_string_equal(fd->people[0], "bob");
    assert_string_equal(fd->people[1], "alice");
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_2_ic_taking_notes_span(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_audit *a;
    (void)state;
    pm_declare(f, "DB slow", "Sev-2", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    at(f, 4 * MIN);
    assert_int_equal(inc_incident_note(f->inc, "alice", "14:16 replica lag 4 min"), INC_OK);
    at(f, 6 * MIN);
    assert_int_equal(inc_incident_note(f->inc, "alice", "14:18 lag 5 min"), INC_OK);
    pm_assign(f, 9 * MIN, "frank", INC_ROLE_SCRIBE, NULL);
    at(f, 12 * MIN);
    assert_int_equal(inc_incident_note(f->inc, "alice", "with a Scribe: fine"), INC_OK);
    a = audit_at(f, HOUR);
    assert_span(only(a, "AUD-2.ic-taking-notes"), 4 * MIN, 9 * MIN);
    inc_audit_free(a);

    /* At Sev-4 the IC may carry the Scribe's duties (ROLE-4): not found. */
    at(f, 0);
    pm_declare(f, "Cron late", "Sev-4", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    at(f, 4 * MIN);
    assert_int_equal(inc_incident_note(f->inc, "alice", "looking"), INC_OK);
    a = audit_at(f, HOUR);
    assert_int_equal(inc_findings_count_rule(inc_audit_antipatterns(a), "AUD-2.ic-taking-notes"),
                     0);
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_2_freelancing_span(void **state)
{
    pm_fx *f = pm_fx_new();
    const inc_finding *fd;
    inc_audit *a;
    (void)state;
    pm_first_ten(f, 3, 1);
    pm_can(f, 15 * MIN, "dan", INC_CAN_SME_TO_IC, "Restarted the cache nodes.");
    pm_can(f, 18 * MIN, "dan", INC_CAN_SME_TO_IC, "Restarted them again.");
    pm_assign(f, 21 * MIN, "dan", INC_ROLE_SME, "cache");
    pm_can(f, 25 * MIN, "dan", INC_CAN_SME_TO_IC, "Cache warm.");
    a = audit_at(f, 28 * MIN);
    fd = only(a, "AUD-2.freelancing");
    assert_span(fd, 15 * MIN, 21 * MIN);
    assert_string_equal(fd->people[0], "dan");
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_2_handoff_without_briefing_span(void **state)
{
    pm_fx *f = pm_fx_new();
    const inc_finding *fd;
    inc_audit *a;
    (void)state;
    pm_first_ten(f, 3, 1);
    at(f, 15 * MIN);
    assert_int_equal(
        inc_incident_handoff(f->inc, "alice", "gina", "Error rate 12% in EU.", NULL, "none"),
        INC_OK);
    at(f, 17 * MIN);
    assert_int_equal(inc_incident_confirm_handoff(f->inc, "gina"), INC_OK);
    a = audit_at(f, 28 * MIN);
    fd = only(a, "AUD-2.handoff-without-briefing");
    assert_span(fd, 15 * MIN, 17 * MIN);
    assert_string_equal(fd->people[0], "alice");
    assert_string_equal(fd->people[1], "gina");
    assert_non_null(strstr(fd->message, "no Actions"));
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_2_all_clear_too_early_span(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_audit *a;
    (void)state;
    pm_declare(f, "Login errors", "Sev-3", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    pm_state(f, 1 * MIN, INC_STATE_INVESTIGATING);
    pm_state(f, 2 * MIN, INC_STATE_MITIGATING);
    pm_state(f, 10 * MIN, INC_STATE_MONITORING);
    pm_state(f, 14 * MIN, INC_STATE_MITIGATING); /* the fix did not hold */
    pm_state(f, 30 * MIN, INC_STATE_MONITORING);
    pm_state(f, 35 * MIN, INC_STATE_RESOLVED); /* 5 minutes of monitoring */
    a = audit_at(f, HOUR);
    assert_int_equal(
        inc_findings_count_rule(inc_audit_antipatterns(a), "AUD-2.all-clear-too-early"), 2);
    assert_span(inc_findings_at(inc_audit_antipatterns(a), 0), 10 * MIN, 14 * MIN);
    assert_span(inc_findings_at(inc_audit_antipatterns(a), 1), 30 * MIN, 35 * MIN);
    assert_non_null(strstr(inc_findings_at(inc_audit_antipatterns(a), 0)->message, "reopened"));
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_2_severity_unjustified_span(void **state)
{
    pm_fx *f = pm_fx_new();
    inc__event_draft d;
    const inc_finding *fd;
    inc_audit *a;
    (void)state;
    pm_declare(f, "DB slow", "Sev-3", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    /* The API refuses a change by someone other than the IC (AUTH-1), but an
     * imported timeline may hold one: write it past the mutator's checks. */
    at(f, 5 * MIN);
    inc__draft_init(&d, INC_EV_SEVERITY_CHANGED, "mallory");
    inc__draft_str(&d, INC__F_SEVERITY, "Sev-2");
    inc__draft_str(&d, INC__F_FROM_SEVERITY, "Sev-3");
    inc__draft_str(&d, INC__F_TEXT, "because");
    assert_int_equal(inc__incident_write(f->inc, &d), INC_OK);
    at(f, 12 * MIN);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", "EU and US affected"),
                     INC_OK);
    a = audit_at(f, HOUR);
    fd = only(a, "AUD-2.severity-unjustified");
    assert_span(fd, 5 * MIN, 12 * MIN);
    assert_string_equal(fd->people[0], "mallory");
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_2_cadence_missed_span(void **state)
{
    pm_fx *f = pm_fx_new();
    const inc_finding *fd;
    inc_audit *a;
    (void)state;
    pm_first_ten(f, 3, 1);
    pm_state(f, 40 * MIN, INC_STATE_INVESTIGATING);
    pm_state(f, 42 * MIN, INC_STATE_MITIGATING);
    pm_state(f, 44 * MIN, INC_STATE_MONITORING);
    pm_update(f, 50 * MIN, "carol", INC_AUDIENCE_EXTERNAL, EXT_BODY); /* due at T+36 */
    pm_state(f, 60 * MIN, INC_STATE_RESOLVED);
    a = audit_at(f, 2 * HOUR);
    fd = only(a, "AUD-2.cadence-missed");
    assert_span(fd, 36 * MIN, 50 * MIN);
    assert_non_null(strstr(fd->message, "external update due at T+36m00s came at T+50m00s"));
    assert_true(fd->role_mask & INC_ROLE_BIT(INC_ROLE_COMMS));
    assert_int_equal(inc_findings_count(inc_audit_antipatterns(a)), 1);
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_2_action_item_no_owner_span(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    const inc_finding *fd;
    uint64_t id;
    inc_audit *a;
    (void)state;
    clean_incident(f);
    at(f, 70 * MIN);
    o.title = "Capacity review";
    o.owner = "platform team";
    o.owner_override = "the team lead assigns it on Monday";
    o.due = T0 + 10 * DAY;
    o.priority = 3;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, &id), INC_OK);
    at(f, 2 * DAY);
    assert_int_equal(inc_incident_reassign_action(f->inc, "alice", id, "gina", NULL), INC_OK);
    a = audit_at(f, 3 * DAY);
    fd = only(a, "AUD-2.action-item-no-owner");
    assert_span(fd, 70 * MIN, 2 * DAY);
    inc_audit_free(a);
    pm_fx_free(f);
}

/* ---- renderings, drills, errors ----------------------------------------------------- */

static void test_AUD_render_text_json_and_drill_DEC_4(void **state)
{
    pm_fx *f = pm_fx_new();
    inc__json *root = NULL;
    const inc__json *steps, *anti;
    inc_allocator std = INC_ALLOCATOR_INIT;
    char *text, *json;
    size_t len;
    inc_audit *a;
    (void)state;

    assert_int_equal(inc__alloc_init(&std, NULL), INC_OK);
    pm_declare(f, "Game day: checkout", "Sev-2", INC_CRIT_CUSTOMER_VISIBLE, 1, INC_TIME_NONE,
               INC_TIME_NONE);
    pm_assign(f, 3 * MIN, "alice", INC_ROLE_SME, "payments");
    a = audit_at(f, 30 * MIN);
    assert_int_equal(inc_audit_render_text(a, &text, &len), INC_OK);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "[DRILL"));
    assert_non_null(strstr(text, "MISSING  First CAN"));
    assert_non_null(strstr(text, "AUD-2.ic-also-sme"));
    inc_free(text);
    assert_int_equal(inc_audit_render_json(a, &json, &len), INC_OK);
    assert_int_equal(inc__json_parse(&std, json, len, &root, NULL), INC_OK);
    assert_true(inc__json_get(root, "drill")->boolean);
    steps = inc__json_get(root, "steps");
    assert_int_equal(steps->count, INC_AUDIT_STEP_COUNT);
    assert_string_equal(inc__json_get(steps->items[7], "result")->str, "missing");
    anti = inc__json_get(root, "antipatterns");
    assert_true(anti->count >= 1);
    assert_int_equal(inc__json_get(anti->items[0], "start_offset_ms")->integer, 3 * MIN);
    inc__json_free(&std, root);
    inc_free(json);
    inc_audit_free(a);
    pm_fx_free(f);
}

static void test_AUD_errors(void **state)
{
    pm_fx *f = pm_fx_new();
    inc_audit_options o = INC_AUDIT_OPTIONS_INIT;
    inc_audit *a = (inc_audit *)1;
    char *s;
    (void)state;
    pm_declare(f, "x", "Sev-3", 0, 0, INC_TIME_NONE, INC_TIME_NONE);
    assert_int_equal(inc_incident_audit(NULL, NULL, &a), INC_EINVAL);
    assert_int_equal(inc_incident_audit(f->inc, NULL, NULL), INC_EINVAL);
    o.version = 0;
    assert_int_equal(inc_incident_audit(f->inc, &o, &a), INC_EVERSION);
    assert_null(a);
    o.version = INC_AUDIT_OPTIONS_VERSION;
    o.min_monitoring_ms = -1;
    assert_int_equal(inc_incident_audit(f->inc, &o, &a), INC_EINVAL);
    assert_int_equal(inc_audit_render_text(NULL, &s, NULL), INC_EINVAL);
    assert_int_equal(inc_audit_render_json(NULL, &s, NULL), INC_EINVAL);
    assert_null(inc_audit_step_at(NULL, 0));
    assert_null(inc_audit_antipatterns(NULL));
    assert_int_equal(inc_audit_step_count(NULL), 0);
    assert_null(inc_audit_step_name(INC_AUDIT_STEP_COUNT));
    assert_string_equal(inc_audit_step_name(INC_AUDIT_FIRST_CAN), "first_can");
    assert_string_equal(inc_audit_result_name(INC_AUDIT_LATE), "late");
    assert_int_equal(inc_incident_open_bridge(f->inc, "alice", "", NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_open_bridge(f->inc, "alice", "a\nb", NULL, NULL), INC_EINVAL);
    inc_audit_free(NULL);
    pm_fx_free(f);
}

static void test_AUD_allocation_failure(void **state)
{
    struct inc_test_alloc ta;
    inc_allocator al;
    unsigned long n;
    int done = 0;
    (void)state;

    for (n = 1; !done && n < 2000; n++) {
        pm_fx *f;
        inc_audit *a = NULL;
        char *t = NULL, *j = NULL;
        int rc;
        inc_test_alloc_init(&ta);
        al = inc_test_alloc_allocator(&ta);
        f = pm_fx_new_with(&al, NULL);
        pm_first_ten(f, 12, 0);
        pm_assign(f, 13 * MIN, "alice", INC_ROLE_SME, "db");
        inc_test_alloc_arm(&ta, n, 1);
        rc = inc_incident_audit(f->inc, NULL, &a);
        if (rc == INC_OK)
            rc = inc_audit_render_text(a, &t, NULL);
        if (rc == INC_OK)
            rc = inc_audit_render_json(a, &j, NULL);
        done = rc == INC_OK;
        if (!done)
            assert_int_equal(rc, INC_ENOMEM);
        inc_free(t);
        inc_free(j);
        inc_audit_free(a);
        inc_test_alloc_arm(&ta, 0, 0);
        pm_fx_free(f);
        assert_int_equal(ta.live_blocks, 0);
    }
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_AUD_1_first_ten_minutes_on_time_all_done),
        cmocka_unit_test(test_AUD_1_severity_step_names_declared_and_raised_level),
        cmocka_unit_test(test_AUD_1_scribe_at_t12_no_can_late_and_missing),
        cmocka_unit_test(test_AUD_1_paging_by_target_and_not_applicable),
        cmocka_unit_test(test_AUD_2_clean_timeline_has_none),
        cmocka_unit_test(test_AUD_2_ic_also_sme_span),
        cmocka_unit_test(test_AUD_2_no_ic_span),
        cmocka_unit_test(test_AUD_2_ic_taking_notes_span),
        cmocka_unit_test(test_AUD_2_freelancing_span),
        cmocka_unit_test(test_AUD_2_handoff_without_briefing_span),
        cmocka_unit_test(test_AUD_2_all_clear_too_early_span),
        cmocka_unit_test(test_AUD_2_severity_unjustified_span),
        cmocka_unit_test(test_AUD_2_cadence_missed_span),
        cmocka_unit_test(test_AUD_2_action_item_no_owner_span),
        cmocka_unit_test(test_AUD_render_text_json_and_drill_DEC_4),
        cmocka_unit_test(test_AUD_errors),
        cmocka_unit_test(test_AUD_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
