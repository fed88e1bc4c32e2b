/* Status updates and their writers (COMM-1, COMM-3, ROLE-6), cadences on a
 * fake clock (COMM-1, COMM-2, AUTH-1), required communications (COMM-4),
 * the ROLE-6 split, the templates (which pass the lint by construction),
 * the Statuspage wire format, and replay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "comms/comms_internal.h"
#include "incident.h"
#include "incident/sys/store.h"
#include "roles/staffing_internal.h"
#include "test_support.h"
#include "test_world.h"
#include "util/json.h"

#define T0   INC_TEST_T0
#define MIN  60000LL
#define HOUR (60 * MIN)

#define BODY                                                                                       \
    "We are investigating failed checkouts affecting customers in the EU region. Next update "     \
    "at 14:45 UTC."

typedef struct inc_test_world fixture;

/* Sev-2 (or @severity), IC alice, SME bob, Comms Lead carol, Internal
 * Liaison dave (unless @staff is 0). */
static fixture *make(inc_policy policy, const char *severity, int staff)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    fixture *f;

    d.title = "Checkout failures in EU";
    d.declarer = "alice";
    d.severity = severity;
    f = inc_test_world_new(policy, &d);
    assert_int_equal(inc_incident_assign_role(f->inc, "alice", "bob", INC_ROLE_SME, "payments"),
                     INC_OK);
    if (staff) {
        assert_int_equal(inc_incident_assign_role(f->inc, "alice", "carol", INC_ROLE_COMMS, NULL),
                         INC_OK);
        assert_int_equal(inc_incident_assign_role(f->inc, "alice", "dave", INC_ROLE_LIAISON, NULL),
                         INC_OK);
    }
    return f;
}

static int setup(void **state)
{
    *state = make(INC_POLICY_ADVISORY, "Sev-2", 1);
    return 0;
}

static int setup_strict(void **state)
{
    *state = make(INC_POLICY_STRICT, "Sev-2", 1);
    return 0;
}

static int post(fixture *f, const char *author, inc_audience a, const char *body,
                inc_findings **findings)
{
    inc_update u = INC_UPDATE_INIT;
    u.audience = a;
    u.body = body;
    return inc_incident_add_update(f->inc, author, &u, findings, NULL);
}

static inc_cadence_info cadence(fixture *f, inc_audience a)
{
    inc_cadence_info c;
    assert_int_equal(inc_incident_get_cadence(f->inc, a, &c), INC_OK);
    return c;
}

/* ---- writers ------------------------------------------------------------- */

static void test_COMM_01_each_audience_has_its_writer(void **state)
{
    fixture *f = *state;
    inc_findings *l = NULL;
    inc_update_info u;
    uint64_t seq = 0;
    inc_update up = INC_UPDATE_INIT;
    inc_audience a;

    assert_int_equal(inc_audience_writer(INC_AUDIENCE_EXTERNAL), INC_ROLE_COMMS);
    assert_int_equal(inc_audience_writer(INC_AUDIENCE_INTERNAL), INC_ROLE_LIAISON);
    assert_int_equal(inc_audience_writer(INC_AUDIENCE_RESPONSE), INC_ROLE_IC);
    assert_int_equal(inc_audience_writer(INC_AUDIENCE_COUNT), INC_ROLE_COUNT);
    assert_int_equal(inc_audience_from_name("Internal", &a), INC_OK);
    assert_int_equal(a, INC_AUDIENCE_INTERNAL);
    assert_int_equal(inc_audience_from_name("scribe", &a), INC_ENOTFOUND);

    inc_test_clock_advance(&f->clock, 10 * MIN);
    up.body = BODY;
    up.components = "Checkout, Payments API";
    assert_int_equal(inc_incident_add_update(f->inc, "carol", &up, &l, &seq), INC_OK);
    assert_int_equal(inc_findings_count(l), 0);
    inc_findings_free(l);
    assert_int_equal(post(f, "dave", INC_AUDIENCE_INTERNAL, "EU checkout down, exec briefed.", &l),
                     INC_OK);
    assert_int_equal(inc_findings_count(l), 0); /* internal updates are not COMM-3-linted */
    inc_findings_free(l);
    assert_int_equal(post(f, "alice", INC_AUDIENCE_RESPONSE, "Top of hour: see CAN.", NULL),
                     INC_OK);
    assert_int_equal(inc_incident_update_count(f->inc), 3);
    assert_int_equal(inc_incident_get_update(f->inc, 0, &u), INC_OK);
    assert_int_equal(u.seq, seq);
    assert_int_equal(u.time, T0 + 10 * MIN);
    assert_int_equal(u.audience, INC_AUDIENCE_EXTERNAL);
    assert_string_equal(u.author, "carol");
    assert_string_equal(u.body, BODY);
    assert_string_equal(u.components, "Checkout, Payments API");
    assert_int_equal(u.comms, INC_COMM_BIT(INC_COMM_STATUS_PAGE));
    assert_int_equal(u.state, INC_STATE_DECLARED);
    assert_string_equal(u.severity, "Sev-2");
    assert_string_equal(u.findings, "");
    assert_int_equal(inc_incident_get_update(f->inc, 1, &u), INC_OK);
    assert_int_equal(u.comms, INC_COMM_BIT(INC_COMM_EXEC_NOTIFY));
    assert_int_equal(inc_incident_get_update(f->inc, 2, &u), INC_OK);
    assert_int_equal(u.comms, 0);
    assert_int_equal(inc_incident_get_update(f->inc, 3, &u), INC_ENOTFOUND);
}

static void test_COMM_01_COMM_03_wrong_writer_advisory_records_and_reports(void **state)
{
    fixture *f = *state;
    inc_findings *l = NULL;
    const inc_finding *x;
    inc_update_info u;

    /* COMM-3: not the IC. */
    assert_int_equal(post(f, "alice", INC_AUDIENCE_EXTERNAL, BODY, &l), INC_OK);
    assert_int_equal(inc_findings_count(l), 1);
    x = inc_findings_at(l, 0);
    assert_string_equal(x->rule_id, "COMM-1.wrong-writer");
    assert_string_equal(x->people[0], "alice");
    assert_string_equal(x->people[1], "carol");
    assert_int_equal(x->roles[0], INC_ROLE_COMMS);
    assert_int_equal(x->enforced, 1);
    assert_string_equal(x->level, "Sev-2");
    assert_non_null(strstr(x->message, "not the IC, not an SME (COMM-3)"));
    inc_findings_free(l);
    /* Nor an SME; and the response channel is the IC's. */
    assert_int_equal(post(f, "bob", INC_AUDIENCE_EXTERNAL, BODY, &l), INC_OK);
    assert_int_equal(inc_findings_count_rule(l, "COMM-1.wrong-writer"), 1);
    inc_findings_free(l);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_RESPONSE, "Briefing", &l), INC_OK);
    assert_int_equal(inc_findings_at(l, 0)->roles[0], INC_ROLE_IC);
    inc_findings_free(l);
    assert_int_equal(inc_incident_get_update(f->inc, 0, &u), INC_OK);
    assert_string_equal(u.findings, "COMM-1.wrong-writer");
    assert_int_equal(inc_incident_update_count(f->inc), 3);
}

static void test_COMM_01_COMM_03_wrong_writer_strict_refused(void **state)
{
    fixture *f = *state;
    inc_findings *l = (inc_findings *)1;
    size_t before = inc_test_world_stored_events(f);

    assert_int_equal(post(f, "alice", INC_AUDIENCE_EXTERNAL, BODY, &l), INC_EROLE);
    assert_null(l);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "Communications Lead (carol)"));
    assert_int_equal(post(f, "carol", INC_AUDIENCE_INTERNAL, "x", NULL), INC_EROLE);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "Internal Liaison (dave)"));
    assert_int_equal(inc_test_world_stored_events(f), before);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL, BODY, NULL), INC_OK);
}

static void test_COMM_01_ROLE_06_combined_writer_at_sev2_not_sev1(void **state)
{
    fixture *f;
    inc_findings *l = NULL;
    (void)state;

    /* Sev-2: one person holds Comms Lead and Internal Liaison and writes both. */
    f = make(INC_POLICY_STRICT, "Sev-2", 0);
    assert_int_equal(inc_incident_assign_role(f->inc, "alice", "carol", INC_ROLE_COMMS, NULL),
                     INC_OK);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_INTERNAL, "EU checkout down.", &l), INC_OK);
    inc_findings_free(l);
    assert_int_equal(inc_incident_assign_role(f->inc, "alice", "carol", INC_ROLE_LIAISON, NULL),
                     INC_OK);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_INTERNAL, "Still down.", NULL), INC_OK);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL, BODY, NULL), INC_OK);
    inc_test_world_free(f);

    /* Sev-1: all roles distinct; the Comms Lead does not cover the Liaison. */
    f = make(INC_POLICY_STRICT, "Sev-1", 0);
    assert_int_equal(inc_incident_assign_role(f->inc, "alice", "carol", INC_ROLE_COMMS, NULL),
                     INC_OK);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_INTERNAL, "EU checkout down.", NULL), INC_EROLE);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "nobody holds it"));
    inc_test_world_free(f);
}

static void test_COMM_03_external_update_linted_and_recorded(void **state)
{
    fixture *f = *state;
    inc_findings *l = NULL;
    inc_update_info u;

    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL,
                          "We are experiencing some issues. It should be resolved soon.", &l),
                     INC_OK);
    assert_int_equal(inc_findings_count_rule(l, "COMM-3.vague"), 1);
    assert_int_equal(inc_findings_count_rule(l, "COMM-3.no-scope"), 1);
    assert_int_equal(inc_findings_count_rule(l, "COMM-3.no-next-update"), 1);
    assert_int_equal(inc_findings_count_rule(l, "COMM-3.premature-promise"), 1);
    inc_findings_free(l);
    assert_int_equal(inc_incident_get_update(f->inc, 0, &u), INC_OK);
    assert_string_equal(u.findings, "COMM-3.vague,COMM-3.no-scope,COMM-3.no-next-update,"
                                    "COMM-3.premature-promise");
}

static void test_COMM_03_bad_updates_change_nothing(void **state)
{
    fixture *f = *state;
    inc_update u = INC_UPDATE_INIT;
    size_t before = inc_test_world_stored_events(f);

    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL, "  ", NULL), INC_EINVAL);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL, NULL, NULL), INC_EINVAL);
    assert_int_equal(post(f, "carol", (inc_audience)3, BODY, NULL), INC_EINVAL);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL, "\xC0\x80", NULL), INC_EINVAL);
    u.body = BODY;
    u.comms = 1u << 5;
    assert_int_equal(inc_incident_add_update(f->inc, "carol", &u, NULL, NULL), INC_EINVAL);
    u.comms = 0;
    u.components = "a\nb";
    assert_int_equal(inc_incident_add_update(f->inc, "carol", &u, NULL, NULL), INC_EINVAL);
    u.components = NULL;
    u.version = 9;
    assert_int_equal(inc_incident_add_update(f->inc, "carol", &u, NULL, NULL), INC_EVERSION);
    assert_int_equal(inc_incident_add_update(f->inc, "carol", NULL, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_add_update(NULL, "carol", &u, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_test_world_stored_events(f), before);
}

/* ---- cadences ------------------------------------------------------------ */

static void test_COMM_02_heartbeat_due_and_overdue_on_fake_clock(void **state)
{
    fixture *f = *state;
    inc_cadence_info c;

    c = cadence(f, INC_AUDIENCE_EXTERNAL);
    assert_int_equal(c.every_ms, 30 * MIN); /* Sev-2 default */
    assert_int_equal(c.set_by_ic, 0);
    assert_int_equal(c.writer, INC_ROLE_COMMS);
    assert_int_equal(c.last_update, INC_TIME_NONE);
    assert_null(c.last_writer);
    assert_int_equal(c.next_due, T0 + 30 * MIN);
    assert_int_equal(c.overdue, 0);
    assert_int_equal(cadence(f, INC_AUDIENCE_INTERNAL).next_due, T0 + HOUR);
    assert_int_equal(cadence(f, INC_AUDIENCE_RESPONSE).next_due, T0 + HOUR);

    inc_test_clock_advance(&f->clock, 30 * MIN); /* exactly due: not yet late */
    assert_int_equal(cadence(f, INC_AUDIENCE_EXTERNAL).overdue, 0);
    inc_test_clock_advance(&f->clock, 15 * MIN);
    c = cadence(f, INC_AUDIENCE_EXTERNAL);
    assert_int_equal(c.now, T0 + 45 * MIN);
    assert_int_equal(c.overdue, 1);
    assert_int_equal(c.late_ms, 15 * MIN);
    /* A heartbeat resets the clock even when nothing changed. */
    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL,
                          "We are still investigating failed checkouts affecting EU customers; "
                          "no new information. Next update at 15:27 UTC.",
                          NULL),
                     INC_OK);
    c = cadence(f, INC_AUDIENCE_EXTERNAL);
    assert_int_equal(c.last_update, T0 + 45 * MIN);
    assert_string_equal(c.last_writer, "carol");
    assert_int_equal(c.update_count, 1);
    assert_int_equal(c.next_due, T0 + 75 * MIN);
    assert_int_equal(c.overdue, 0);
    assert_int_equal(c.late_ms, 0);
    /* The other audiences run on their own clocks. */
    inc_test_clock_advance(&f->clock, 20 * MIN);
    assert_int_equal(cadence(f, INC_AUDIENCE_INTERNAL).late_ms, 5 * MIN);
    assert_int_equal(inc_incident_get_cadence(f->inc, (inc_audience)3, &c), INC_EINVAL);
    assert_int_equal(inc_incident_get_cadence(NULL, INC_AUDIENCE_EXTERNAL, &c), INC_EINVAL);
}

static void test_COMM_01_AUTH_01_ic_changes_cadence(void **state)
{
    fixture *f = *state;
    size_t before = inc_test_world_stored_events(f);
    inc_cadence_info c;
    char *line = NULL;

    assert_int_equal(
        inc_incident_set_cadence(f->inc, "carol", INC_AUDIENCE_EXTERNAL, 15 * MIN, NULL),
        INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "Incident Commander (alice)"));
    assert_int_equal(inc_incident_set_cadence(f->inc, "alice", INC_AUDIENCE_EXTERNAL, 59000, NULL),
                     INC_EINVAL);
    assert_int_equal(inc_incident_set_cadence(f->inc, "alice", (inc_audience)5, 15 * MIN, NULL),
                     INC_EINVAL);
    assert_int_equal(
        inc_incident_set_cadence(f->inc, "alice", INC_AUDIENCE_EXTERNAL, INC_CADENCE_RUBRIC, NULL),
        INC_EINVAL); /* no change */
    assert_int_equal(inc_test_world_stored_events(f), before);

    assert_int_equal(inc_incident_set_cadence(f->inc, "alice", INC_AUDIENCE_EXTERNAL, 15 * MIN,
                                              "customers are asking"),
                     INC_OK);
    assert_int_equal(
        inc_incident_describe_event(f->inc, inc_incident_event_count(f->inc) - 1, &line), INC_OK);
    assert_string_equal(line, "Cadence (external) set to 15m: customers are asking");
    inc_free(line);
    c = cadence(f, INC_AUDIENCE_EXTERNAL);
    assert_int_equal(c.every_ms, 15 * MIN);
    assert_int_equal(c.set_by_ic, 1);
    assert_int_equal(c.next_due, T0 + 15 * MIN);
    assert_int_equal(
        inc_incident_set_cadence(f->inc, "alice", INC_AUDIENCE_EXTERNAL, 15 * MIN, NULL),
        INC_EINVAL);
    /* The IC's cadence survives a severity change; the rubric's follows it. */
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-3", "EU only, workaround"),
                     INC_OK);
    assert_int_equal(cadence(f, INC_AUDIENCE_EXTERNAL).every_ms, 15 * MIN);
    assert_int_equal(cadence(f, INC_AUDIENCE_INTERNAL).every_ms, 4 * HOUR);
    assert_int_equal(
        inc_incident_set_cadence(f->inc, "alice", INC_AUDIENCE_INTERNAL, INC_DURATION_NONE, NULL),
        INC_OK);
    c = cadence(f, INC_AUDIENCE_INTERNAL);
    assert_int_equal(c.every_ms, INC_DURATION_NONE);
    assert_int_equal(c.next_due, INC_TIME_NONE); /* as needed: never overdue */
    assert_int_equal(
        inc_incident_set_cadence(f->inc, "alice", INC_AUDIENCE_EXTERNAL, INC_CADENCE_RUBRIC, NULL),
        INC_OK);
    c = cadence(f, INC_AUDIENCE_EXTERNAL);
    assert_int_equal(c.set_by_ic, 0);
    assert_int_equal(c.every_ms, 2 * HOUR);
}

static void test_COMM_02_scribe_has_no_cadence_and_nothing_due_after_resolution(void **state)
{
    fixture *f = *state;
    inc_findings *l = NULL;
    unsigned a;

    for (a = 0; a < INC_AUDIENCE_COUNT; a++)
        assert_int_not_equal(inc_audience_writer((inc_audience)a), INC_ROLE_SCRIBE);
    assert_int_equal(inc_incident_assign_role(f->inc, "alice", "erin", INC_ROLE_SCRIBE, NULL),
                     INC_OK);
    inc_test_clock_advance(&f->clock, 40 * MIN);
    /* The Scribe writes the timeline; notes are not updates. */
    assert_int_equal(inc_incident_note(f->inc, "erin", "14:50 replica promoted"), INC_OK);
    assert_int_equal(cadence(f, INC_AUDIENCE_EXTERNAL).late_ms, 10 * MIN);
    assert_int_equal(post(f, "erin", INC_AUDIENCE_EXTERNAL, BODY, &l), INC_OK);
    assert_int_equal(inc_findings_count_rule(l, "COMM-1.wrong-writer"), 1);
    inc_findings_free(l);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_INVESTIGATING, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MITIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MONITORING, "rolled back"),
                     INC_OK);
    assert_int_equal(
        inc_incident_set_state(f->inc, "alice", INC_STATE_RESOLVED, "checkout verified end to end"),
        INC_OK);
    inc_test_clock_advance(&f->clock, 5 * HOUR);
    for (a = 0; a < INC_AUDIENCE_COUNT; a++) {
        assert_int_equal(cadence(f, (inc_audience)a).next_due, INC_TIME_NONE);
        assert_int_equal(cadence(f, (inc_audience)a).overdue, 0);
    }
}

/* ---- required communications -------------------------------------------- */

static inc_required_comm_info req(fixture *f, inc_comm_kind k)
{
    inc_required_comm_info r;
    assert_int_equal(inc_incident_get_required_comm(f->inc, k, &r), INC_OK);
    return r;
}

static void test_COMM_04_sev1_requires_everything_at_once(void **state)
{
    fixture *f = make(INC_POLICY_ADVISORY, "Sev-1", 1);
    inc_required_comm_info r;
    inc_update u = INC_UPDATE_INIT;
    (void)state;

    inc_test_clock_advance(&f->clock, 2 * MIN);
    r = req(f, INC_COMM_EXEC_NOTIFY);
    assert_int_equal(r.required, 1);
    assert_int_equal(r.within_ms, 0);
    assert_int_equal(r.since, T0);
    assert_int_equal(r.deadline, T0);
    assert_int_equal(r.missing, 1);
    assert_int_equal(r.late_ms, 2 * MIN);
    assert_int_equal(req(f, INC_COMM_STATUS_PAGE).missing, 1);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL, BODY, NULL), INC_OK);
    r = req(f, INC_COMM_STATUS_PAGE);
    assert_int_equal(r.sent_at, T0 + 2 * MIN);
    assert_int_equal(r.missing, 0);
    assert_int_equal(req(f, INC_COMM_CUSTOMER_EMAIL).missing, 1);
    u.body = BODY;
    u.comms = INC_COMM_BIT(INC_COMM_CUSTOMER_EMAIL);
    assert_int_equal(inc_incident_add_update(f->inc, "carol", &u, NULL, NULL), INC_OK);
    assert_int_equal(req(f, INC_COMM_CUSTOMER_EMAIL).missing, 0);
    assert_int_equal(
        post(f, "dave", INC_AUDIENCE_INTERNAL, "Exec on-call paged and briefed.", NULL), INC_OK);
    assert_int_equal(req(f, INC_COMM_EXEC_NOTIFY).missing, 0);
    assert_int_equal(inc_incident_get_required_comm(f->inc, (inc_comm_kind)3, &r), INC_EINVAL);
    inc_test_world_free(f);
}

static void test_COMM_04_deadlines_by_level_and_since_the_raise(void **state)
{
    fixture *f = *state;
    inc_required_comm_info r;

    /* Sev-2: status page within 30m, executives within 1h, no customer email. */
    assert_int_equal(req(f, INC_COMM_CUSTOMER_EMAIL).required, 0);
    inc_test_clock_advance(&f->clock, 20 * MIN);
    r = req(f, INC_COMM_STATUS_PAGE);
    assert_int_equal(r.deadline, T0 + 30 * MIN);
    assert_int_equal(r.missing, 0);
    inc_test_clock_advance(&f->clock, 11 * MIN);
    r = req(f, INC_COMM_STATUS_PAGE);
    assert_int_equal(r.missing, 1);
    assert_int_equal(r.late_ms, MIN);
    /* Lowered to Sev-3, raised to Sev-1: the Sev-1 clock starts at the raise. */
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-3", "EU only"), INC_OK);
    assert_int_equal(req(f, INC_COMM_EXEC_NOTIFY).within_ms, INC_DURATION_NEXT_CADENCE);
    assert_int_equal(req(f, INC_COMM_EXEC_NOTIFY).deadline, T0 + 4 * HOUR); /* internal cadence */
    assert_int_equal(req(f, INC_COMM_EXEC_NOTIFY).since, T0);
    inc_test_clock_advance(&f->clock, 9 * MIN);
    assert_int_equal(inc_incident_set_severity(f->inc, "alice", "Sev-1", "US down too"), INC_OK);
    r = req(f, INC_COMM_CUSTOMER_EMAIL);
    assert_int_equal(r.since, T0 + 40 * MIN);
    assert_int_equal(r.deadline, T0 + 40 * MIN);
    assert_int_equal(r.missing, 1);
}

static void test_COMM_02_COMM_04_comms_check_findings(void **state)
{
    fixture *f = *state;
    inc_findings *l = NULL;
    const inc_finding *x;

    assert_int_equal(inc_incident_check_comms(f->inc, &l), INC_OK);
    assert_int_equal(inc_findings_count(l), 0);
    inc_findings_free(l);
    inc_test_clock_advance(&f->clock, 75 * MIN);
    assert_int_equal(inc_incident_check_comms(f->inc, &l), INC_OK);
    assert_int_equal(inc_findings_count_rule(l, "COMM-2.overdue"), 3);
    assert_int_equal(inc_findings_count_rule(l, "COMM-4.missing"), 2);
    x = inc_findings_at(l, 0);
    assert_string_equal(x->rule_id, "COMM-2.overdue");
    assert_int_equal(x->value, 45 * MIN);
    assert_int_equal(x->since, T0 + 30 * MIN);
    assert_string_equal(x->people[0], "carol");
    assert_int_equal(x->roles[0], INC_ROLE_COMMS);
    assert_non_null(strstr(x->message, "external update is 45m late"));
    x = inc_findings_at(l, 2);
    assert_string_equal(x->people[0], "alice");
    x = inc_findings_at(l, 3);
    assert_string_equal(x->rule_id, "COMM-4.missing");
    assert_non_null(strstr(x->message, "status page"));
    inc_findings_free(l);
    assert_int_equal(inc_incident_check_comms(f->inc, NULL), INC_EINVAL);
}

static void test_ROLE_06_split_reported_when_both_overdue(void **state)
{
    fixture *f = make(INC_POLICY_ADVISORY, "Sev-2", 0);
    inc_findings *l = NULL;
    (void)state;

    assert_int_equal(inc_incident_assign_role(f->inc, "alice", "carol", INC_ROLE_COMMS, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_assign_role(f->inc, "alice", "carol", INC_ROLE_LIAISON, NULL),
                     INC_OK);
    inc_test_clock_advance(&f->clock, 45 * MIN); /* external late, internal not yet */
    assert_int_equal(inc__comms_both_overdue(f->inc, inc_context_now(f->ctx)), 0);
    assert_int_equal(inc_incident_check_roles(f->inc, &l), INC_OK);
    assert_int_equal(inc_findings_count_rule(l, "ROLE-6"), 0);
    inc_findings_free(l);
    inc_test_clock_advance(&f->clock, 20 * MIN); /* both late */
    assert_int_equal(inc__comms_both_overdue(f->inc, inc_context_now(f->ctx)), 1);
    assert_int_equal(inc_incident_check_roles(f->inc, &l), INC_OK);
    assert_int_equal(inc_findings_count_rule(l, "ROLE-6"), 1);
    inc_findings_free(l);
    /* One update is enough to end it. */
    assert_int_equal(post(f, "carol", INC_AUDIENCE_INTERNAL, "Still down.", NULL), INC_OK);
    assert_int_equal(inc__comms_both_overdue(f->inc, inc_context_now(f->ctx)), 0);
    inc_test_world_free(f);
}

/* ---- templates ----------------------------------------------------------- */

static char *render(fixture *f, inc_template t, const char *symptom, const char *scope, int expect)
{
    inc_template_vars v = INC_TEMPLATE_VARS_INIT;
    char *out = NULL;
    v.symptom = symptom;
    v.scope = scope;
    assert_int_equal(inc_incident_render_template(f->inc, t, &v, &out, NULL), expect);
    return out;
}

/* The rendered text passes the lint at the incident's state. */
static void assert_clean(fixture *f, const char *text)
{
    inc_findings *l = NULL;
    assert_int_equal(inc_update_lint(text, inc_incident_state(f->inc), NULL, NULL, &l), INC_OK);
    if (inc_findings_count(l))
        fail_msg("%s: %s", text, inc_findings_at(l, 0)->message);
    inc_findings_free(l);
}

static void test_COMM_03_templates_pass_the_lint(void **state)
{
    fixture *f = *state;
    const char *sym = "failed checkouts", *scope = "customers in the EU region";
    char *t;

    inc_test_clock_advance(&f->clock, 3 * MIN + 20000); /* 14:15:20 */
    t = render(f, INC_TEMPLATE_FIRST, sym, scope, INC_OK);
    assert_string_equal(t, "We are investigating reports of failed checkouts affecting customers "
                           "in the EU region. Next update at 14:46 UTC.");
    assert_clean(f, t);
    inc_free(t);
    t = render(f, INC_TEMPLATE_HEARTBEAT, NULL, scope, INC_OK); /* symptom: the title */
    assert_non_null(strstr(t, "investigate Checkout failures in EU affecting"));
    assert_non_null(strstr(t, "no new information"));
    assert_clean(f, t);
    inc_free(t);
    inc_free(render(f, INC_TEMPLATE_MITIGATED, sym, scope, INC_ESTATE));
    inc_free(render(f, INC_TEMPLATE_RESOLVED, sym, scope, INC_ESTATE));
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_INVESTIGATING, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MITIGATING, NULL), INC_OK);
    t = render(f, INC_TEMPLATE_HEARTBEAT, sym, scope, INC_OK);
    assert_non_null(strstr(t, "work on a fix for failed checkouts"));
    assert_clean(f, t);
    inc_free(t);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MONITORING, "rolled back"),
                     INC_OK);
    t = render(f, INC_TEMPLATE_MITIGATED, sym, scope, INC_OK);
    assert_non_null(strstr(t, "A fix has been implemented"));
    assert_clean(f, t);
    inc_free(t);
    t = render(f, INC_TEMPLATE_HEARTBEAT, sym, scope, INC_OK);
    assert_clean(f, t);
    inc_free(t);
    assert_int_equal(
        inc_incident_set_state(f->inc, "alice", INC_STATE_RESOLVED, "checkout verified"), INC_OK);
    t = render(f, INC_TEMPLATE_RESOLVED, sym, scope, INC_OK);
    assert_non_null(strstr(t, "has been resolved"));
    assert_null(strstr(t, "Next update"));
    assert_clean(f, t);
    inc_free(t);
    inc_free(render(f, INC_TEMPLATE_FIRST, sym, scope, INC_ESTATE));
}

static void test_COMM_03_template_refuses_what_fails_the_lint(void **state)
{
    fixture *f = *state;
    inc_template_vars v = INC_TEMPLATE_VARS_INIT;
    char *out = (char *)1;

    inc_free(render(f, INC_TEMPLATE_FIRST, "some issues", "EU customers", INC_EINVAL));
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "COMM-3.vague"));
    inc_free(render(f, INC_TEMPLATE_FIRST, "errors probably from DNS", "EU", INC_EINVAL));
    inc_free(render(f, INC_TEMPLATE_FIRST, "errors", NULL, INC_EINVAL));
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "scope"));
    inc_free(render(f, INC_TEMPLATE_FIRST, "errors", "", INC_EINVAL));
    inc_free(render(f, (inc_template)4, "errors", "EU", INC_EINVAL));
    v.scope = "EU";
    v.next_update = T0 - 1;
    assert_int_equal(inc_incident_render_template(f->inc, INC_TEMPLATE_FIRST, &v, &out, NULL),
                     INC_EINVAL);
    assert_null(out);
    /* A next update on another day carries its date. */
    v.next_update = T0 + 12 * HOUR;
    assert_int_equal(inc_incident_render_template(f->inc, INC_TEMPLATE_FIRST, &v, &out, NULL),
                     INC_OK);
    assert_non_null(strstr(out, "Next update at 2026-11-24 02:12 UTC."));
    inc_free(out);
    v.version = 0;
    assert_int_equal(inc_incident_render_template(f->inc, INC_TEMPLATE_FIRST, &v, &out, NULL),
                     INC_EVERSION);
    assert_int_equal(inc_incident_render_template(f->inc, INC_TEMPLATE_FIRST, NULL, &out, NULL),
                     INC_EINVAL);
}

/* ---- Statuspage ---------------------------------------------------------- */

static const char *member(const inc__json *o, const char *k)
{
    const inc__json *v = inc__json_get(o, k);
    assert_non_null(v);
    assert_int_equal(v->type, INC__JSON_STRING);
    return v->str;
}

/* The request body: {"incident": {...}} as Statuspage's create and update
 * endpoints take it (lib/docs/wire-formats.md). */
static const inc__json *sp_incident(const inc__json *root)
{
    const inc__json *o = inc__json_get(root, "incident");
    assert_non_null(o);
    assert_int_equal(o->type, INC__JSON_OBJECT);
    return o;
}

static void test_COMM_03_statuspage_export(void **state)
{
    fixture *f = *state;
    inc_update u = INC_UPDATE_INIT;
    inc_allocator a;
    inc__json *root = NULL;
    const inc__json *o, *ids, *comps;
    char *json = NULL;
    size_t len;

    inc_test_clock_advance(&f->clock, 8 * MIN);
    u.body = BODY;
    u.components = "Checkout , Payments \"API\"";
    assert_int_equal(inc_incident_add_update(f->inc, "carol", &u, NULL, NULL), INC_OK);
    assert_int_equal(inc_incident_update_statuspage_json(f->inc, 0, NULL, &json, &len), INC_OK);
    assert_int_equal(inc__alloc_init(&a, NULL), INC_OK);
    assert_int_equal(inc__json_parse(&a, json, len, &root, NULL), INC_OK);
    assert_int_equal(root->count, 1); /* nothing beside "incident" */
    o = sp_incident(root);
    assert_string_equal(member(o, "name"), "Checkout failures in EU");
    assert_string_equal(member(o, "status"), "investigating");
    assert_string_equal(member(o, "impact_override"), "major"); /* Sev-2 */
    assert_string_equal(member(o, "body"), BODY);
    assert_null(inc__json_get(o, "impact"));
    assert_null(inc__json_get(o, "display_at")); /* not a create member */
    assert_null(inc__json_get(o, "affected_components"));
    /* Without a map the names are the component ids. */
    ids = inc__json_get(o, "component_ids");
    assert_int_equal(ids->type, INC__JSON_ARRAY);
    assert_int_equal(ids->count, 2);
    assert_string_equal(ids->items[0]->str, "Checkout");
    assert_string_equal(ids->items[1]->str, "Payments \"API\"");
    comps = inc__json_get(o, "components");
    assert_int_equal(comps->type, INC__JSON_OBJECT);
    assert_string_equal(member(comps, "Payments \"API\""), "partial_outage");
    assert_string_equal(
        member(inc__json_get(inc__json_get(o, "metadata"), "libincident"), "incident_id"),
        inc_incident_id(f->inc));
    inc__json_free(&a, root);
    inc_free(json);

    /* A map gives Statuspage's ids. */
    assert_int_equal(
        inc_incident_update_statuspage_json(
            f->inc, 0, " Checkout = 8kbf7d35c070,Payments \"API\"=ftgks51sfs2d", &json, &len),
        INC_OK);
    assert_int_equal(inc__json_parse(&a, json, len, &root, NULL), INC_OK);
    o = sp_incident(root);
    ids = inc__json_get(o, "component_ids");
    assert_string_equal(ids->items[0]->str, "8kbf7d35c070");
    assert_string_equal(ids->items[1]->str, "ftgks51sfs2d");
    assert_string_equal(member(inc__json_get(o, "components"), "8kbf7d35c070"), "partial_outage");
    inc__json_free(&a, root);
    inc_free(json);
    /* A component the map does not name, a map of two lines: refused. */
    assert_int_equal(inc_incident_update_statuspage_json(f->inc, 0, "Checkout=x", &json, NULL),
                     INC_ENOTFOUND);
    assert_null(json);
    assert_int_equal(
        inc_incident_update_statuspage_json(f->inc, 0, "Checkout=x\nPayments=y", &json, NULL),
        INC_EINVAL);

    /* Each update keeps the state it was posted in. */
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_INVESTIGATING, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MITIGATING, NULL), INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_MONITORING, "fixed"),
                     INC_OK);
    assert_int_equal(inc_incident_set_state(f->inc, "alice", INC_STATE_RESOLVED, "verified"),
                     INC_OK);
    assert_int_equal(inc_incident_add_update(f->inc, "carol", &u, NULL, NULL), INC_OK);
    assert_int_equal(inc_incident_update_statuspage_json(f->inc, 1, NULL, &json, &len), INC_OK);
    assert_int_equal(inc__json_parse(&a, json, len, &root, NULL), INC_OK);
    o = sp_incident(root);
    assert_string_equal(member(o, "status"), "resolved");
    assert_string_equal(member(inc__json_get(o, "components"), "Checkout"), "operational");
    inc__json_free(&a, root);
    inc_free(json);
    assert_int_equal(inc_incident_update_statuspage_json(f->inc, 0, NULL, &json, NULL), INC_OK);
    assert_non_null(strstr(json, "\"status\":\"investigating\""));
    inc_free(json);

    assert_int_equal(post(f, "dave", INC_AUDIENCE_INTERNAL, "done", NULL), INC_OK);
    assert_int_equal(inc_incident_update_statuspage_json(f->inc, 2, NULL, &json, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_update_statuspage_json(f->inc, 3, NULL, &json, NULL),
                     INC_ENOTFOUND);
}

static void test_COMM_03_statuspage_mappings(void **state)
{
    static const char *const five[] = {"critical", "critical", "major", "minor", "none"};
    static const char *const four[] = {"critical", "major", "minor", "none"};
    size_t i;
    (void)state;
    for (i = 0; i < 5; i++)
        assert_string_equal(inc_statuspage_impact(i, 5), five[i]);
    for (i = 0; i < 4; i++)
        assert_string_equal(inc_statuspage_impact(i, 4), four[i]);
    assert_string_equal(inc_statuspage_impact(0, 1), "critical");
    assert_string_equal(inc_statuspage_impact(1, 2), "none");
    assert_null(inc_statuspage_impact(2, 2));
    assert_string_equal(inc_statuspage_status(INC_STATE_DECLARED), "investigating");
    assert_string_equal(inc_statuspage_status(INC_STATE_MITIGATING), "identified");
    assert_string_equal(inc_statuspage_status(INC_STATE_MONITORING), "monitoring");
    assert_string_equal(inc_statuspage_status(INC_STATE_CLOSED), "resolved");
    assert_null(inc_statuspage_status((inc_state)6));
    assert_string_equal(inc_comm_kind_name(INC_COMM_EXEC_NOTIFY), "exec_notify");
    assert_null(inc_audience_name(INC_AUDIENCE_COUNT));
}

/* ---- replay -------------------------------------------------------------- */

static void test_TL_01_replay_gives_the_same_comms_state(void **state)
{
    fixture *f = *state;
    inc_incident *copy = NULL;
    inc_cadence_info a, b;
    inc_update_info ua, ub;
    unsigned i;

    inc_test_clock_advance(&f->clock, 5 * MIN);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL, BODY, NULL), INC_OK);
    assert_int_equal(post(f, "alice", INC_AUDIENCE_EXTERNAL, "wrong writer", NULL), INC_OK);
    assert_int_equal(
        inc_incident_set_cadence(f->inc, "alice", INC_AUDIENCE_INTERNAL, 20 * MIN, NULL), INC_OK);
    inc_test_clock_advance(&f->clock, 50 * MIN);
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &copy), INC_OK);
    for (i = 0; i < INC_AUDIENCE_COUNT; i++) {
        assert_int_equal(inc_incident_get_cadence(f->inc, (inc_audience)i, &a), INC_OK);
        assert_int_equal(inc_incident_get_cadence(copy, (inc_audience)i, &b), INC_OK);
        assert_int_equal(a.every_ms, b.every_ms);
        assert_int_equal(a.set_by_ic, b.set_by_ic);
        assert_int_equal(a.next_due, b.next_due);
        assert_int_equal(a.late_ms, b.late_ms);
        assert_int_equal(a.update_count, b.update_count);
    }
    assert_int_equal(inc_incident_update_count(copy), 2);
    assert_int_equal(inc_incident_get_update(f->inc, 1, &ua), INC_OK);
    assert_int_equal(inc_incident_get_update(copy, 1, &ub), INC_OK);
    assert_string_equal(ua.findings, ub.findings);
    assert_int_equal(req(f, INC_COMM_STATUS_PAGE).sent_at, T0 + 5 * MIN);
    inc_incident_free(copy);
}

/* ---- a team's lint configuration on recorded updates and reports ---------- */

static inc_lint_config *team_config(void)
{
    static const char text[] = "libincident-lint 1\n"
                               "service = Quarry\n"
                               "off = COMM-3.no-next-update\n"
                               "off = CAN-2.speculation\n";
    inc_lint_config *c = NULL;
    assert_int_equal(inc_lint_config_parse(NULL, text, strlen(text), &c, NULL), INC_OK);
    return c;
}

static void test_COMM_03_context_lint_config_applies_to_recorded_updates(void **state)
{
    fixture *f = *state;
    inc_lint_config *c = team_config();
    const char *body = "Quarry: transactions post late.";
    inc_findings *l = NULL;
    inc_update_info u;

    assert_int_equal(inc_context_set_lint_config(NULL, c), INC_EINVAL);
    /* the defaults: no scope and no next update */
    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL, body, &l), INC_OK);
    assert_int_equal(inc_findings_count_rule(l, "COMM-3.no-scope"), 1);
    assert_int_equal(inc_findings_count_rule(l, "COMM-3.no-next-update"), 1);
    inc_findings_free(l);
    /* the team's: the service is the scope, the switched-off finding is not recorded */
    assert_int_equal(inc_context_set_lint_config(f->ctx, c), INC_OK);
    assert_int_equal(post(f, "carol", INC_AUDIENCE_EXTERNAL, body, &l), INC_OK);
    assert_int_equal(inc_findings_count(l), 0);
    inc_findings_free(l);
    assert_int_equal(inc_incident_get_update(f->inc, 1, &u), INC_OK);
    assert_string_equal(u.findings, "");
    /* a CAN report of the same context: CAN-2.speculation is off */
    {
        inc_can_report r = INC_CAN_REPORT_INIT;
        r.conditions = "Error rate up, probably caused by the cache deploy.";
        r.actions = "Rolling back the cache deploy.";
        r.needs = "Nothing.";
        assert_int_equal(inc_incident_add_can(f->inc, "bob", &r, &l, NULL), INC_OK);
        assert_int_equal(inc_findings_count_rule(l, "CAN-2.speculation"), 0);
        inc_findings_free(l);
        assert_int_equal(inc_context_set_lint_config(f->ctx, NULL), INC_OK);
        assert_int_equal(inc_incident_add_can(f->inc, "bob", &r, &l, NULL), INC_OK);
        assert_true(inc_findings_count_rule(l, "CAN-2.speculation") > 0);
        inc_findings_free(l);
    }
    inc_lint_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_COMM_03_context_lint_config_applies_to_recorded_updates, setup,
            inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_COMM_01_each_audience_has_its_writer, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(
            test_COMM_01_COMM_03_wrong_writer_advisory_records_and_reports, setup,
            inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_COMM_01_COMM_03_wrong_writer_strict_refused,
                                        setup_strict, inc_test_world_teardown),
        cmocka_unit_test(test_COMM_01_ROLE_06_combined_writer_at_sev2_not_sev1),
        cmocka_unit_test_setup_teardown(test_COMM_03_external_update_linted_and_recorded, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_COMM_03_bad_updates_change_nothing, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_COMM_02_heartbeat_due_and_overdue_on_fake_clock, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_COMM_01_AUTH_01_ic_changes_cadence, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(
            test_COMM_02_scribe_has_no_cadence_and_nothing_due_after_resolution, setup,
            inc_test_world_teardown),
        cmocka_unit_test(test_COMM_04_sev1_requires_everything_at_once),
        cmocka_unit_test_setup_teardown(test_COMM_04_deadlines_by_level_and_since_the_raise, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_COMM_02_COMM_04_comms_check_findings, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test(test_ROLE_06_split_reported_when_both_overdue),
        cmocka_unit_test_setup_teardown(test_COMM_03_templates_pass_the_lint, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_COMM_03_template_refuses_what_fails_the_lint, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_COMM_03_statuspage_export, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test(test_COMM_03_statuspage_mappings),
        cmocka_unit_test_setup_teardown(test_TL_01_replay_gives_the_same_comms_state, setup,
                                        inc_test_world_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
