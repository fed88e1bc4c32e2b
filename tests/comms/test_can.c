/* CAN reports on an incident (CAN-1, CAN-4), the lint recorded with them
 * (CAN-2), the pending decisions their Needs open (CAN-3, AUTH-1), the
 * Dispatch tactical-report wire format, replay, and bad input that changes
 * nothing. */
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
#include "test_support.h"
#include "test_world.h"

#define T0  INC_TEST_T0
#define MIN 60000LL

#define SEED_C                                                                                     \
    "Database primary CPU at 95% sustained, replication lag at 4 minutes and growing, p99 "        \
    "latency 8 seconds against 200ms baseline. Customer-facing impact confirmed in EU region; "    \
    "US still nominal. Started 14:32 UTC, correlates with deploy at 14:30."
#define SEED_A                                                                                     \
    "Provisioning a read replica, ETA 6 minutes. Pulling query log for the window around the "     \
    "deploy to identify the offender. Paged the application team for a deploy-side rollback "      \
    "option."
#define SEED_N_1                                                                                   \
    "Need IC approval to fail over to the secondary if the read replica does not reduce "          \
    "primary load."
#define SEED_N                                                                                     \
    SEED_N_1 " Need someone from the application team to confirm whether the 14:30 deploy "        \
             "added new query patterns \xE2\x80\x94 Jeff is on the page but hasn\xE2\x80\x99"      \
             "t responded yet."

typedef struct inc_test_world fixture;

static int setup_policy(void **state, inc_policy policy, const char *severity)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    fixture *f;

    d.title = "Database primary CPU at 95%";
    d.declarer = "alice";
    d.severity = severity;
    f = inc_test_world_new(policy, &d);
    assert_int_equal(inc_incident_assign_role(f->inc, "alice", "bob", INC_ROLE_SME, "database"),
                     INC_OK);
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_policy(state, INC_POLICY_ADVISORY, "Sev-2");
}

static int setup_strict(void **state)
{
    return setup_policy(state, INC_POLICY_STRICT, "Sev-2");
}

static int setup_sev4(void **state)
{
    return setup_policy(state, INC_POLICY_ADVISORY, "Sev-4");
}

static int report(fixture *f, const char *author, inc_can_kind kind, const char *c, const char *a,
                  const char *n, inc_findings **findings)
{
    inc_can_report r = INC_CAN_REPORT_INIT;
    r.kind = kind;
    r.conditions = c;
    r.actions = a;
    r.needs = n;
    return inc_incident_add_can(f->inc, author, &r, findings, NULL);
}

static char *describe_last(fixture *f)
{
    char *text = NULL;
    assert_int_equal(
        inc_incident_describe_event(f->inc, inc_incident_event_count(f->inc) - 1, &text), INC_OK);
    return text;
}

/* ---- recording ----------------------------------------------------------- */

static void test_CAN_01_CAN_04_seed_report_recorded(void **state)
{
    fixture *f = *state;
    inc_findings *lint = NULL;
    inc_can_info info;
    inc_event_info ev;
    uint64_t seq = 0;
    inc_can_report r = INC_CAN_REPORT_INIT;
    char *line;

    inc_test_clock_advance(&f->clock, 5 * MIN);
    r.conditions = SEED_C;
    r.actions = SEED_A;
    r.needs = SEED_N;
    assert_int_equal(inc_incident_add_can(f->inc, "bob", &r, &lint, &seq), INC_OK);
    assert_int_equal(inc_findings_count(lint), 0);
    inc_findings_free(lint);
    assert_int_equal(seq, inc_incident_last_seq(f->inc));
    assert_int_equal(inc_incident_can_count(f->inc), 1);
    assert_int_equal(inc_incident_get_can(f->inc, 0, &info), INC_OK);
    assert_int_equal(info.seq, seq);
    assert_int_equal(info.time, T0 + 5 * MIN);
    assert_int_equal(info.kind, INC_CAN_SME_TO_IC);
    assert_string_equal(info.author, "bob");
    assert_string_equal(info.addressee, "alice"); /* SME-to-IC goes to the current IC */
    assert_string_equal(info.conditions, SEED_C);
    assert_string_equal(info.actions, SEED_A);
    assert_string_equal(info.needs, SEED_N);
    assert_int_equal(info.needs_none, 0);
    assert_string_equal(info.findings, "");
    assert_int_equal(info.decision_count, 1);
    assert_int_equal(info.first_decision, 1);
    assert_int_equal(inc_incident_get_event(f->inc, seq - 1, &ev), INC_OK);
    assert_int_equal(ev.kind, INC_EV_CAN_REPORT);
    assert_string_equal(ev.kind_name, "can_report");
    line = describe_last(f);
    assert_non_null(strstr(line, "CAN report (sme-to-ic) to alice: C: Database primary"));
    assert_non_null(strstr(line, " N: Need IC approval"));
    inc_free(line);
    assert_int_equal(inc_test_world_stored_events(f), seq);
}

static void test_CAN_01_explicit_none_is_not_omitted(void **state)
{
    fixture *f = *state;
    inc_findings *lint = NULL;
    inc_can_info info;
    char *line;

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A, "None.", &lint), INC_OK);
    assert_int_equal(inc_findings_count(lint), 0);
    inc_findings_free(lint);
    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A, NULL, &lint), INC_OK);
    assert_int_equal(inc_findings_count_rule(lint, "CAN-2.implicit-needs"), 1);
    inc_findings_free(lint);
    assert_int_equal(inc_incident_get_can(f->inc, 0, &info), INC_OK);
    assert_string_equal(info.needs, "None.");
    assert_int_equal(info.needs_none, 1);
    assert_int_equal(inc_incident_get_can(f->inc, 1, &info), INC_OK);
    assert_null(info.needs);
    assert_int_equal(info.needs_none, 0);
    assert_string_equal(info.findings, "CAN-2.implicit-needs");
    line = describe_last(f);
    assert_non_null(strstr(line, "N: (omitted) [lint: CAN-2.implicit-needs]"));
    inc_free(line);
}

static void test_CAN_02_lint_recorded_never_blocks(void **state)
{
    fixture *f = *state;
    inc_findings *lint = NULL;
    inc_can_info info;

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, "I think it's a memory leak",
                            "I'm going to fail over the database", "none", &lint),
                     INC_OK);
    assert_int_equal(inc_findings_count(lint), 2);
    assert_string_equal(inc_findings_at(lint, 0)->rule_id, "CAN-2.speculation");
    assert_string_equal(inc_findings_at(lint, 1)->rule_id, "CAN-2.promise");
    assert_int_equal(inc_findings_at(lint, 1)->offset, 4);
    inc_findings_free(lint);
    assert_int_equal(inc_incident_get_can(f->inc, 0, &info), INC_OK);
    assert_string_equal(info.findings, "CAN-2.speculation,CAN-2.promise");
    /* Findings may be left unasked for. */
    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, NULL, SEED_A, NULL, NULL), INC_OK);
    assert_int_equal(inc_incident_get_can(f->inc, 1, &info), INC_OK);
    assert_string_equal(info.findings, "CAN-2.no-conditions,CAN-2.implicit-needs");
}

static void test_CAN_01_empty_or_bad_report_changes_nothing(void **state)
{
    fixture *f = *state;
    inc_can_report r = INC_CAN_REPORT_INIT;
    inc_findings *lint = (inc_findings *)1;
    size_t before = inc_test_world_stored_events(f);
    char big[INC_TEXT_MAX + 2];

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, " ", "", "need a DBA", &lint), INC_EINVAL);
    assert_null(lint);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "CAN-1"));
    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, "\xC3(", "x", NULL, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "conditions"));
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, "x", big, NULL, NULL), INC_ETOOBIG);
    assert_int_equal(report(f, "", INC_CAN_SME_TO_IC, "x", "y", NULL, NULL), INC_EINVAL);
    assert_int_equal(report(f, "bob", (inc_can_kind)7, "x", "y", NULL, NULL), INC_EINVAL);
    r.version = 0;
    r.conditions = "x";
    assert_int_equal(inc_incident_add_can(f->inc, "bob", &r, NULL, NULL), INC_EVERSION);
    assert_int_equal(inc_incident_add_can(f->inc, "bob", NULL, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_incident_add_can(NULL, "bob", &r, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_test_world_stored_events(f), before);
    assert_int_equal(inc_incident_can_count(f->inc), 0);
}

static void test_CAN_04_kinds_and_addressees(void **state)
{
    fixture *f = *state;
    inc_can_report r = INC_CAN_REPORT_INIT;
    inc_can_info info;
    inc_can_kind k;
    unsigned i;

    for (i = 0; i < INC_CAN_KIND_COUNT; i++) {
        assert_int_equal(inc_can_kind_from_name(inc_can_kind_name((inc_can_kind)i), &k), INC_OK);
        assert_int_equal(k, i);
    }
    assert_null(inc_can_kind_name(INC_CAN_KIND_COUNT));
    assert_int_equal(inc_can_kind_from_name("Top-Of-Hour", &k), INC_OK);
    assert_int_equal(inc_can_kind_from_name("nope", &k), INC_ENOTFOUND);
    assert_int_equal(inc_can_kind_from_name(NULL, &k), INC_EINVAL);

    r.conditions = SEED_C;
    r.actions = SEED_A;
    r.needs = "none";
    r.kind = INC_CAN_HANDOFF; /* a hand-off or escalation names who is briefed */
    assert_int_equal(inc_incident_add_can(f->inc, "alice", &r, NULL, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "addressee"));
    r.kind = INC_CAN_ESCALATION;
    assert_int_equal(inc_incident_add_can(f->inc, "alice", &r, NULL, NULL), INC_EINVAL);
    r.addressee = "exec on-call";
    assert_int_equal(inc_incident_add_can(f->inc, "alice", &r, NULL, NULL), INC_OK);
    r.kind = INC_CAN_TOP_OF_HOUR;
    r.addressee = NULL;
    assert_int_equal(inc_incident_add_can(f->inc, "alice", &r, NULL, NULL), INC_OK);
    assert_int_equal(inc_incident_get_can(f->inc, 0, &info), INC_OK);
    assert_int_equal(info.kind, INC_CAN_ESCALATION);
    assert_string_equal(info.addressee, "exec on-call");
    assert_string_equal(info.author, "alice");
    assert_int_equal(inc_incident_get_can(f->inc, 1, &info), INC_OK);
    assert_int_equal(info.kind, INC_CAN_TOP_OF_HOUR);
    assert_string_equal(info.addressee, inc_incident_channel(f->inc));
    assert_int_equal(inc_incident_get_can(f->inc, 2, &info), INC_ENOTFOUND);
    assert_int_equal(inc_incident_get_can(f->inc, 0, NULL), INC_EINVAL);
}

static void test_CAN_04_COMM_01_top_of_hour_is_the_ics_response_update(void **state)
{
    fixture *f = *state;
    inc_findings *lint = NULL;
    inc_cadence_info c;

    inc_test_clock_advance(&f->clock, 50 * MIN);
    assert_int_equal(report(f, "alice", INC_CAN_TOP_OF_HOUR, SEED_C, SEED_A, "none", &lint),
                     INC_OK);
    assert_int_equal(inc_findings_count(lint), 0);
    inc_findings_free(lint);
    assert_int_equal(inc_incident_get_cadence(f->inc, INC_AUDIENCE_RESPONSE, &c), INC_OK);
    assert_int_equal(c.last_update, T0 + 50 * MIN);
    assert_string_equal(c.last_writer, "alice");
    assert_int_equal(c.next_due, T0 + 110 * MIN);
    /* An SME's top-of-hour report: advisory records it and reports the writer. */
    assert_int_equal(report(f, "bob", INC_CAN_TOP_OF_HOUR, SEED_C, SEED_A, "none", &lint), INC_OK);
    assert_int_equal(inc_findings_count_rule(lint, "COMM-1.wrong-writer"), 1);
    assert_string_equal(inc_findings_at(lint, 0)->people[0], "bob");
    assert_string_equal(inc_findings_at(lint, 0)->people[1], "alice");
    inc_findings_free(lint);
    /* SME-to-IC reports do not count as response-channel updates. */
    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A, "none", NULL), INC_OK);
    assert_int_equal(inc_incident_get_cadence(f->inc, INC_AUDIENCE_RESPONSE, &c), INC_OK);
    assert_int_equal(c.update_count, 2);
}

static void test_COMM_01_top_of_hour_by_non_ic_refused_strict(void **state)
{
    fixture *f = *state;
    size_t before = inc_test_world_stored_events(f);
    assert_int_equal(report(f, "bob", INC_CAN_TOP_OF_HOUR, SEED_C, SEED_A, "none", NULL),
                     INC_EROLE);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "Incident Commander (alice)"));
    assert_int_equal(inc_test_world_stored_events(f), before);
    assert_int_equal(report(f, "alice", INC_CAN_TOP_OF_HOUR, SEED_C, SEED_A, "none", NULL), INC_OK);
}

/* ---- decisions (CAN-3) --------------------------------------------------- */

static void test_CAN_03_need_opens_pending_decision(void **state)
{
    fixture *f = *state;
    inc_decision_info d;
    inc_allocator a;
    inc__buf b;

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A,
                            "- Need IC approval to fail over\n- need a DBA; need the go-ahead "
                            "to purge the cache. Thanks",
                            NULL),
                     INC_OK);
    assert_int_equal(inc_incident_decision_count(f->inc), 2);
    assert_int_equal(inc_incident_decision_pending_count(f->inc), 2);
    assert_int_equal(inc_incident_get_decision(f->inc, 0, &d), INC_OK);
    assert_int_equal(d.id, 1);
    assert_int_equal(d.status, INC_DECISION_PENDING);
    assert_string_equal(d.text, "Need IC approval to fail over");
    assert_string_equal(d.requested_by, "bob");
    assert_int_equal(d.request_seq, inc_incident_last_seq(f->inc));
    assert_null(d.decided_by);
    assert_null(d.note);
    assert_int_equal(d.decided_at, INC_TIME_NONE);
    assert_int_equal(inc_incident_get_decision(f->inc, 1, &d), INC_OK);
    assert_string_equal(d.text, "need the go-ahead to purge the cache.");
    assert_int_equal(inc_incident_get_decision(f->inc, 2, &d), INC_ENOTFOUND);
    /* The open ones, as a hand-off lists them. */
    assert_int_equal(inc__alloc_init(&a, NULL), INC_OK);
    inc__buf_init(&b, &a);
    inc__decisions_open_text(f->inc, &b);
    assert_string_equal(b.ptr, "D1: Need IC approval to fail over (asked by bob)\n"
                               "D2: need the go-ahead to purge the cache. (asked by bob)\n");
    inc__buf_dispose(&b);
}

static void test_CAN_03_items_split_and_bullets_trimmed(void **state)
{
    fixture *f = *state;
    inc_decision_info d;

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A,
                            "1) Need approval to drain EU\r\n2) 2.5 GB more disk; decide on "
                            "the purge?\n\xE2\x80\xA2 permission to page Jeff",
                            NULL),
                     INC_OK);
    assert_int_equal(inc_incident_decision_count(f->inc), 3);
    assert_int_equal(inc_incident_get_decision(f->inc, 0, &d), INC_OK);
    assert_string_equal(d.text, "Need approval to drain EU");
    assert_int_equal(inc_incident_get_decision(f->inc, 1, &d), INC_OK);
    assert_string_equal(d.text, "decide on the purge?");
    assert_int_equal(inc_incident_get_decision(f->inc, 2, &d), INC_OK);
    assert_string_equal(d.text, "permission to page Jeff");
}

static void test_CAN_03_AUTH_01_only_the_ic_decides(void **state)
{
    fixture *f = *state;
    inc_decision_info d;
    uint64_t id = 0;
    size_t before;
    char *line;

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A, SEED_N, NULL), INC_OK);
    assert_int_equal(
        inc_incident_request_decision(f->inc, "bob", "Roll back the 14:30 deploy?", &id), INC_OK);
    assert_int_equal(id, 2);
    before = inc_test_world_stored_events(f);
    assert_int_equal(inc_incident_decide(f->inc, "bob", 1, 1, NULL), INC_EPERM);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "Incident Commander (alice)"));
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "AUTH-1"));
    assert_int_equal(inc_incident_decide(f->inc, "alice", 3, 1, NULL), INC_ENOTFOUND);
    assert_int_equal(inc_incident_decide(f->inc, "alice", 0, 1, NULL), INC_ENOTFOUND);
    assert_int_equal(inc_test_world_stored_events(f), before);

    inc_test_clock_advance(&f->clock, 3 * MIN);
    assert_int_equal(inc_incident_decide(f->inc, "alice", 1, 1, "replica did not help"), INC_OK);
    line = describe_last(f);
    assert_string_equal(line, "Decision D1 approved: replica did not help");
    inc_free(line);
    assert_int_equal(inc_incident_decide(f->inc, "alice", 2, 0, NULL), INC_OK);
    assert_int_equal(inc_incident_decide(f->inc, "alice", 1, 0, NULL), INC_EINVAL);
    assert_non_null(strstr(inc_incident_errmsg(f->inc), "approved by alice already"));
    assert_int_equal(inc_incident_decision_pending_count(f->inc), 0);
    assert_int_equal(inc_incident_get_decision(f->inc, 0, &d), INC_OK);
    assert_int_equal(d.status, INC_DECISION_APPROVED);
    assert_string_equal(d.decided_by, "alice");
    assert_int_equal(d.decided_at, T0 + 3 * MIN);
    assert_string_equal(d.note, "replica did not help");
    assert_int_equal(inc_incident_get_decision(f->inc, 1, &d), INC_OK);
    assert_int_equal(d.status, INC_DECISION_DENIED);
    assert_string_equal(d.text, "Roll back the 14:30 deploy?");
    assert_string_equal(d.note, "");
    assert_string_equal(inc_decision_status_name(INC_DECISION_DENIED), "denied");
    assert_null(inc_decision_status_name((inc_decision_status)3));
    assert_int_equal(inc_incident_request_decision(f->inc, "bob", "", NULL), INC_EINVAL);
}

static void test_CAN_03_ROLE_02_handoff_lists_open_decisions_and_lint(void **state)
{
    fixture *f = *state;
    char *line;

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A, SEED_N, NULL), INC_OK);
    assert_int_equal(inc_incident_request_decision(f->inc, "bob", "Page the DBA manager?", NULL),
                     INC_OK);
    assert_int_equal(inc_incident_decide(f->inc, "alice", 2, 1, NULL), INC_OK);
    assert_int_equal(inc_incident_handoff(f->inc, "alice", "erin", "I think the DB is overloaded",
                                          "Going to fail over", "none"),
                     INC_OK);
    line = describe_last(f);
    assert_non_null(strstr(line, "; open decisions: D1: " SEED_N_1 " (asked by bob) [lint: "
                                 "CAN-2.speculation,CAN-2.promise]"));
    assert_null(strstr(line, "D2"));
    inc_free(line);
}

static void test_CAN_03_closed_incident_refuses(void **state)
{
    fixture *f = *state;
    static const inc_state path[] = {INC_STATE_INVESTIGATING, INC_STATE_MITIGATING,
                                     INC_STATE_MONITORING, INC_STATE_RESOLVED, INC_STATE_CLOSED};
    size_t i;
    assert_int_equal(inc_incident_request_decision(f->inc, "bob", "Need approval to drain", NULL),
                     INC_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(inc_incident_set_state(f->inc, "alice", path[i], "checked the flow"),
                         INC_OK);
    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A, "none", NULL), INC_ESTATE);
    assert_int_equal(inc_incident_request_decision(f->inc, "bob", "x", NULL), INC_ESTATE);
    assert_int_equal(inc_incident_decide(f->inc, "alice", 1, 1, NULL), INC_ESTATE);
}

/* ---- replay -------------------------------------------------------------- */

static void test_TL_01_replay_gives_the_same_reports_and_decisions(void **state)
{
    fixture *f = *state;
    inc_incident *copy = NULL;
    inc_can_info a, b;
    inc_decision_info da, db;
    char *t1, *t2;
    size_t i;

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A, SEED_N, NULL), INC_OK);
    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, "I think it's DNS", SEED_A,
                            "Need a decision on failover; need approval to page Jeff", NULL),
                     INC_OK);
    assert_int_equal(inc_incident_decide(f->inc, "alice", 2, 0, "not yet"), INC_OK);
    assert_int_equal(inc_incident_open(f->ctx, inc_incident_id(f->inc), &copy), INC_OK);
    assert_int_equal(inc_incident_can_count(copy), 2);
    assert_int_equal(inc_incident_decision_count(copy), 3);
    for (i = 0; i < 2; i++) {
        assert_int_equal(inc_incident_get_can(f->inc, i, &a), INC_OK);
        assert_int_equal(inc_incident_get_can(copy, i, &b), INC_OK);
        assert_int_equal(a.seq, b.seq);
        assert_string_equal(a.conditions, b.conditions);
        assert_string_equal(a.findings, b.findings);
        assert_int_equal(a.decision_count, b.decision_count);
        assert_int_equal(a.first_decision, b.first_decision);
    }
    for (i = 0; i < 3; i++) {
        assert_int_equal(inc_incident_get_decision(f->inc, i, &da), INC_OK);
        assert_int_equal(inc_incident_get_decision(copy, i, &db), INC_OK);
        assert_string_equal(da.text, db.text);
        assert_int_equal(da.status, db.status);
    }
    assert_int_equal(inc_incident_render_timeline(f->inc, &t1, NULL), INC_OK);
    assert_int_equal(inc_incident_render_timeline(copy, &t2, NULL), INC_OK);
    assert_string_equal(t1, t2);
    inc_free(t1);
    inc_free(t2);
    inc_incident_free(copy);
}

static void test_TL_01_export_import_keeps_reports_and_decisions(void **state)
{
    fixture *f = *state;
    inc_context *ctx2 = NULL;
    inc_incident *copy = NULL;
    inc_decision_info d;
    inc_can_info info;
    char *json = NULL;
    size_t len;

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A, SEED_N, NULL), INC_OK);
    assert_int_equal(inc_incident_decide(f->inc, "alice", 1, 1, NULL), INC_OK);
    assert_int_equal(inc_incident_export_json(f->inc, &json, &len), INC_OK);
    assert_non_null(strstr(json, "\"requests\":\"Need IC approval to fail over"));
    assert_int_equal(inc_context_new(NULL, &ctx2), INC_OK);
    assert_int_equal(inc_incident_import_json(ctx2, json, len, &copy, NULL), INC_OK);
    assert_int_equal(inc_incident_get_can(copy, 0, &info), INC_OK);
    assert_string_equal(info.needs, SEED_N);
    assert_int_equal(inc_incident_get_decision(copy, 0, &d), INC_OK);
    assert_int_equal(d.status, INC_DECISION_APPROVED);
    assert_string_equal(d.text, SEED_N_1);
    inc_incident_free(copy);
    inc_context_free(ctx2);
    inc_free(json);
}

/* ---- the Dispatch wire format ------------------------------------------- */

static void test_CAN_01_dispatch_round_trip(void **state)
{
    fixture *f = *state;
    char *json = NULL, *c, *a, *n;
    size_t len;

    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, SEED_C, SEED_A, SEED_N, NULL), INC_OK);
    assert_int_equal(inc_incident_can_dispatch_json(f->inc, 0, &json, &len), INC_OK);
    assert_int_equal(strlen(json), len);
    assert_memory_equal(json, "{\"conditions\":\"Database primary", 31);
    assert_int_equal(inc_can_from_dispatch_json(json, len, NULL, &c, &a, &n, NULL), INC_OK);
    assert_string_equal(c, SEED_C);
    assert_string_equal(a, SEED_A);
    assert_string_equal(n, SEED_N);
    inc_free(json);
    inc_free(c);
    inc_free(a);
    inc_free(n);
    /* An omitted Needs travels as "" and comes back omitted. */
    assert_int_equal(report(f, "bob", INC_CAN_SME_TO_IC, "line 1\nline \"2\"", SEED_A, NULL, NULL),
                     INC_OK);
    assert_int_equal(inc_incident_can_dispatch_json(f->inc, 1, &json, NULL), INC_OK);
    assert_int_equal(inc_can_from_dispatch_json(json, strlen(json), NULL, &c, &a, &n, NULL),
                     INC_OK);
    assert_string_equal(c, "line 1\nline \"2\"");
    assert_null(n);
    inc_free(json);
    inc_free(c);
    inc_free(a);
    assert_int_equal(inc_incident_can_dispatch_json(f->inc, 2, &json, NULL), INC_ENOTFOUND);
    assert_null(json);
}

static void test_CAN_01_dispatch_json_text_only(void **state)
{
    const char *stored = "{\"id\":7,\"type\":\"Tactical Report\",\"details\":{\"conditions\":"
                         "\"CPU 95%\",\"actions\":\"Adding a replica\",\"needs\":null}}";
    char *json = NULL, *c, *a, *n;
    inc_diag diag;
    (void)state;

    assert_int_equal(inc_can_to_dispatch_json("CPU 95%", NULL, "none", NULL, &json, NULL), INC_OK);
    assert_string_equal(json, "{\"conditions\":\"CPU 95%\",\"actions\":\"\",\"needs\":\"none\"}");
    inc_free(json);
    /* Dispatch's stored report keeps the slots under "details". */
    assert_int_equal(inc_can_from_dispatch_json(stored, strlen(stored), NULL, &c, &a, &n, &diag),
                     INC_OK);
    assert_string_equal(c, "CPU 95%");
    assert_string_equal(a, "Adding a replica");
    assert_null(n);
    inc_free(c);
    inc_free(a);
    /* Errors: bad JSON, not an object, a slot that is not a string. */
    assert_int_equal(inc_can_from_dispatch_json("{\"conditions\":", 14, NULL, &c, &a, &n, &diag),
                     INC_EPARSE);
    assert_int_equal(inc_can_from_dispatch_json("[1]", 3, NULL, &c, &a, &n, &diag), INC_EPARSE);
    assert_int_equal(inc_can_from_dispatch_json("{\"conditions\":\"x\",\"needs\":5}", 28, NULL, &c,
                                                &a, &n, &diag),
                     INC_EINVAL);
    assert_int_equal(diag.offset, 26);
    assert_non_null(strstr(diag.message, "needs"));
    assert_null(c);
    assert_null(a);
    assert_null(n);
    assert_int_equal(
        inc_can_from_dispatch_json("{\"actions\":\"a\\u0001b\"}", 22, NULL, &c, &a, &n, &diag),
        INC_EINVAL);
    assert_int_equal(inc_can_from_dispatch_json("{}", 2, NULL, NULL, &a, &n, NULL), INC_EINVAL);
    assert_int_equal(inc_can_to_dispatch_json("\xFF", NULL, NULL, NULL, &json, NULL), INC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_CAN_01_CAN_04_seed_report_recorded, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_01_explicit_none_is_not_omitted, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_02_lint_recorded_never_blocks, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_01_empty_or_bad_report_changes_nothing, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_04_kinds_and_addressees, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_04_COMM_01_top_of_hour_is_the_ics_response_update,
                                        setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_COMM_01_top_of_hour_by_non_ic_refused_strict,
                                        setup_strict, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_03_need_opens_pending_decision, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_03_items_split_and_bullets_trimmed, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_03_AUTH_01_only_the_ic_decides, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_03_ROLE_02_handoff_lists_open_decisions_and_lint,
                                        setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_03_closed_incident_refuses, setup_sev4,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_TL_01_replay_gives_the_same_reports_and_decisions,
                                        setup, inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_TL_01_export_import_keeps_reports_and_decisions, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test_setup_teardown(test_CAN_01_dispatch_round_trip, setup,
                                        inc_test_world_teardown),
        cmocka_unit_test(test_CAN_01_dispatch_json_text_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
