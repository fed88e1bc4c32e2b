/* gameday: a scripted Sev-1 drill (Game Day, DEC-4) from the 001 seed: the
 * database primary at 95% CPU after the 14:30 deploy, EU checkout failing.
 * It runs the whole response on a fake clock and a fresh journal store and
 * checks at every step that the library behaved as the rules say; the exit
 * status is 0 only if every check passed.
 *
 *   gameday [--keep] [--store DIR] [--date YYYY-MM-DD]
 *
 * Cast: alice (on call, declares, first IC), bob (Deputy IC), carol (Scribe),
 * dave (database SME), erin (Communications Lead), frank (Internal Liaison),
 * grace (IC after the shift change); paged: jeff (application on-call), kim
 * (backup), lee (team lead), morgan (engineering manager), pat (executive). */
#include "drill.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_OF(d) inc_incident_id((d)->inc)

/* ---- 14:32 .. 14:34: the alert and the declaration ----------------------------- */

static int declare(drill *d)
{
    inc_declare_options o = INC_DECLARE_OPTIONS_INIT;
    inc_event_info ev;
    char want[64];
    int rc;
    drill_step(d, "14:32", "Alert: EU checkout p99 at 8 s, database primary CPU 95%");
    drill_say("alice (on call) looks: customer-visible in the EU region since 14:32.");
    drill_step(d, "14:34", "Declaration (DEC-1..DEC-4)");
    o.title = "Database primary CPU at 95%, EU checkout failing";
    o.declarer = "alice";
    o.severity = "Sev-2"; /* "Sev-2 pending more info" is a normal declaration */
    o.criteria = INC_CRIT_CUSTOMER_VISIBLE;
    o.impact_started = drill_time(d, "14:32");
    o.detected = drill_time(d, "14:33");
    o.drill = 1;
    o.slug = "db primary cpu eu";
    rc = inc_incident_declare(d->ctx, &o, &d->inc);
    if (!drill_ok(d, rc, "declare"))
        return 0;
    d->t0 = inc_incident_declared_at(d->inc);
    drill_say("alice: \"I'm IC. Declaring a Sev-2 drill, pending more info.\"");
    drill_say("-> %s, channel #%s, IC %s", ID_OF(d), inc_incident_channel(d->inc),
              inc_incident_ic(d->inc));
    snprintf(want, sizeof(want), "inc-%s-db-primary-cpu-eu", d->date);
    drill_check(d, strcmp(inc_incident_channel(d->inc), want) == 0,
                "DEC-3 channel is inc-YYYY-MM-DD-slug: #%s", inc_incident_channel(d->inc));
    drill_check(d,
                inc_incident_get_event(d->inc, 0, &ev) == INC_OK && ev.kind == INC_EV_DECLARED &&
                    ev.offset_ms == 0,
                "DEC-3 the first timeline entry is \"Incident declared\" at T+0");
    drill_check(d, strcmp(inc_incident_ic(d->inc), "alice") == 0,
                "DEC-1 the declarer is IC until one is assigned");
    drill_check(d, inc_incident_is_drill(d->inc),
                "DEC-4 declared as a drill (kept out of metrics)");
    /* The first page goes to the application on-call. */
    uint64_t page = 0;
    if (drill_ok(d, inc_incident_request_page(d->inc, "alice", "on-call", "Sev-2 declared", &page),
                 "page the on-call") &&
        drill_ok(d, inc_incident_mark_page_sent(d->inc, "pager", page, "jeff"), "record the page"))
        drill_say("paged the application on-call: jeff (no answer yet)");
    return 1;
}

/* ---- 14:35 .. 14:36: roles, one forbidden combination ------------------------------ */

static int staff(drill *d)
{
    inc_findings *f = NULL;
    inc_incident *inc = d->inc;
    int rc;
    drill_step(d, "14:35", "Roles (ROLE-1..ROLE-12, strict policy)");
    drill_ok(d, inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SCRIBE, NULL),
             "assign the Scribe");
    drill_say("alice: \"carol, you're Scribe.\" (within 5 minutes, ROLE-12)");
    drill_ok(d, inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_DEPUTY, NULL),
             "assign the Deputy");
    drill_say("alice: \"bob, Deputy.\" Then, being the best database debugger in the room:");
    drill_say("alice: \"...and I'll take the database myself.\"");
    rc = inc_incident_assign_role(inc, "alice", "alice", INC_ROLE_SME, "database");
    drill_refused(d, rc, INC_EROLE, "ROLE-3", "IC + SME (never combined)");
    drill_check(d, !(inc_incident_person_roles(inc, "alice") & INC_ROLE_BIT(INC_ROLE_SME)),
                "ROLE-11 a refused assignment changes nothing");
    drill_step(d, "14:36", "Corrected: a second person takes the database");
    drill_ok(d, inc_incident_assign_role(inc, "alice", "dave", INC_ROLE_SME, "database"),
             "assign the database SME");
    drill_ok(d, inc_incident_assign_role(inc, "alice", "erin", INC_ROLE_COMMS, NULL),
             "assign the Communications Lead");
    drill_ok(d, inc_incident_assign_role(inc, "alice", "frank", INC_ROLE_LIAISON, NULL),
             "assign the Internal Liaison");
    drill_ok(d, inc_incident_set_state(inc, "alice", INC_STATE_INVESTIGATING, NULL),
             "start investigating");
    drill_say("dave: database SME; erin: Communications Lead; frank: Internal Liaison.");
    if (drill_ok(d, inc_incident_check_roles(inc, &f), "check the roles"))
        drill_check(d, inc_findings_count(f) == 0,
                    "ROLE-10 Sev-2 staffing met, no forbidden combination (%zu findings)",
                    inc_findings_count(f));
    drill_findings(f);
    inc_findings_free(f);
    if (drill_ok(
            d, inc_incident_open_bridge(inc, "bob", "https://meet.example.com/inc-db", NULL, NULL),
            "open the bridge"))
        drill_say("bob opens the bridge: https://meet.example.com/inc-db (Sev-2 needs one)");
    return 1;
}

/* 14:37: the IC's first consolidated CAN to the channel (AUD-1 "first CAN"). */
static void ic_first_can(drill *d)
{
    inc_can_report rep = INC_CAN_REPORT_INIT;
    inc_findings *f = NULL;
    drill_step(d, "14:37", "The IC's first CAN to the channel (CAN-4)");
    rep.kind = INC_CAN_TOP_OF_HOUR; /* the IC's consolidated report to the response channel */
    rep.conditions = "EU checkout p99 at 8 s since 14:32; database primary CPU 95%.";
    rep.actions = "dave is on the database; erin has the status page; frank the internal update.";
    rep.needs = "An SME report from dave within 5 minutes.";
    if (drill_ok(d, inc_incident_add_can(d->inc, "alice", &rep, &f, NULL), "the IC's first CAN"))
        drill_say("alice -> #%s: C %s A %s N %s", inc_incident_channel(d->inc), rep.conditions,
                  rep.actions, rep.needs);
    drill_check(d, inc_findings_count(f) == 0 && inc_incident_decision_pending_count(d->inc) == 0,
                "CAN-1 the briefing lints clean and asks the IC nothing");
    drill_findings(f);
    inc_findings_free(f);
}

/* ---- 14:38 .. 14:41: the first CAN, its lint, the first updates --------------------- */

static const char seed_c[] =
    "Database primary CPU at 95% sustained, replication lag at 4 minutes and growing, p99 "
    "latency 8 seconds against 200ms baseline. Customer-facing impact confirmed in EU region; "
    "US still nominal. Started 14:32 UTC, correlates with deploy at 14:30.";
static const char seed_a[] =
    "Provisioning a read replica, ETA 6 minutes. Pulling query log for the window around the "
    "deploy to identify the offender. Paged the application team for a deploy-side rollback "
    "option.";
static const char seed_n[] =
    "Need IC approval to fail over to the secondary if the read replica does not reduce primary "
    "load. Need someone from the application team to confirm whether the 14:30 deploy added new "
    "query patterns; Jeff is on the page but hasn't responded yet.";

static void first_can(drill *d)
{
    inc_can_report rep = INC_CAN_REPORT_INIT;
    inc_findings *f = NULL;
    drill_step(d, "14:38", "dave's first CAN report to the IC (CAN-1..CAN-3)");
    drill_say("dave drafts: C \"I think the database is overloaded, probably the deploy.\"");
    drill_say("             A \"I'm going to fail over the database.\"   N (nothing)");
    if (drill_ok(d,
                 inc_can_lint("I think the database is overloaded, probably the deploy.",
                              "I'm going to fail over the database.", NULL, NULL, &f),
                 "lint the draft")) {
        drill_say("the bot lints the draft before it is posted:");
        drill_findings(f);
        drill_check(d, drill_count_prefix(f, "CAN-2.speculation") == 2,
                    "CAN-2 speculation in Conditions (\"I think\", \"probably\")");
        drill_check(d, drill_count_prefix(f, "CAN-2.promise") == 1,
                    "CAN-2 a promise in Actions (\"going to\") belongs in Needs");
        drill_check(d, drill_count_prefix(f, "CAN-2.implicit-needs") == 1,
                    "CAN-2 an omitted Needs is implicit, not empty");
    }
    inc_findings_free(f);
    f = NULL;
    drill_step(d, "14:40", "The fixed CAN: facts, work in flight, explicit needs");
    rep.conditions = seed_c;
    rep.actions = seed_a;
    rep.needs = seed_n;
    drill_say("C: %s", seed_c);
    drill_say("A: %s", seed_a);
    drill_say("N: %s", seed_n);
    if (drill_ok(d, inc_incident_add_can(d->inc, "dave", &rep, &f, NULL), "record the CAN")) {
        drill_check(d, inc_findings_count(f) == 0, "CAN-2 the fixed report lints clean");
        drill_check(d, inc_incident_decision_pending_count(d->inc) == 1,
                    "CAN-3 the approval it asks for is a pending decision for the IC");
    }
    drill_findings(f);
    inc_findings_free(f);
}

static void first_updates(drill *d)
{
    inc_template_vars v = INC_TEMPLATE_VARS_INIT;
    inc_update u = INC_UPDATE_INIT;
    inc_findings *f = NULL;
    char *text = NULL;
    int rc;
    drill_step(d, "14:41", "First external and internal updates (COMM-1, COMM-3)");
    v.symptom = "failed checkouts";
    v.scope = "customers in the EU region";
    if (!drill_ok(d, inc_incident_render_template(d->inc, INC_TEMPLATE_FIRST, &v, &text, NULL),
                  "render the first update"))
        return;
    u.audience = INC_AUDIENCE_EXTERNAL;
    u.body = text;
    u.components = "Checkout (EU)";
    rc = inc_incident_add_update(d->inc, "alice", &u, NULL, NULL);
    drill_refused(d, rc, INC_EROLE, "COMM-3", "an external update written by the IC");
    if (drill_ok(d, inc_incident_add_update(d->inc, "erin", &u, &f, NULL),
                 "post the external update")) {
        drill_say("erin -> status page: %s", text);
        drill_check(d, inc_findings_count(f) == 0,
                    "COMM-3 scope, next-update time, no vague words or promises");
    }
    drill_findings(f);
    inc_findings_free(f);
    inc_free(text);
    u.audience = INC_AUDIENCE_INTERNAL;
    u.components = NULL;
    u.body = "Sev-2 declared 14:34 UTC: EU checkout failing, database primary overloaded since "
             "the 14:30 deploy. IC alice. Next internal update by 15:41 UTC.";
    if (drill_ok(d, inc_incident_add_update(d->inc, "frank", &u, NULL, NULL),
                 "post the internal update"))
        drill_say("frank -> executives and support: %s", u.body);
}

/* ---- 14:44: severity, 14:49: the escalation step ------------------------------------ */

static void raise_severity(drill *d)
{
    inc_update u = INC_UPDATE_INIT;
    inc_event_info ev;
    inc_findings *f = NULL;
    const char *why = "EU checkout failing for 30% of orders and replication lag growing: a major "
                      "customer-visible outage with revenue impact";
    int rc;
    drill_step(d, "14:44", "Severity: Sev-2 -> Sev-1 (AUTH-1, AUTH-2)");
    rc = inc_incident_set_severity(d->inc, "bob", "Sev-1", "looks worse");
    drill_refused(d, rc, INC_EPERM, "AUTH-1", "a severity change by the Deputy");
    rc = inc_incident_set_severity(d->inc, "alice", "Sev-1", "");
    drill_refused(d, rc, INC_EINVAL, "AUTH-2", "a severity change without justification");
    if (!drill_ok(d, inc_incident_set_severity(d->inc, "alice", "Sev-1", why), "raise severity"))
        return;
    drill_say("alice: \"This is a Sev-1: %s.\"", why);
    inc_incident_get_event(d->inc, inc_incident_event_count(d->inc) - 1, &ev);
    drill_check(d,
                strcmp(inc_incident_severity(d->inc), "Sev-1") == 0 &&
                    ev.kind == INC_EV_SEVERITY_CHANGED && strcmp(ev.text, why) == 0,
                "AUTH-2 the justification is recorded with the change");
    if (drill_ok(d, inc_incident_check_roles(d->inc, &f), "check the roles at Sev-1"))
        drill_check(d, inc_findings_count(f) == 0,
                    "ROLE-10 Sev-1: six roles, six distinct people, nothing combined");
    drill_findings(f);
    inc_findings_free(f);
    /* Sev-1 requires the status page, a customer email and the executives at once (COMM-4). */
    u.audience = INC_AUDIENCE_EXTERNAL;
    u.comms = INC_COMM_BIT(INC_COMM_STATUS_PAGE) | INC_COMM_BIT(INC_COMM_CUSTOMER_EMAIL);
    u.components = "Checkout (EU)";
    u.body = "Checkout is failing for about 30% of orders placed by customers in the EU region. "
             "Customers in the US are not affected. Our engineers are moving the affected "
             "database to standby capacity. Next update at 15:10 UTC.";
    if (drill_ok(d, inc_incident_add_update(d->inc, "erin", &u, &f, NULL), "post the Sev-1 update"))
        drill_check(d, inc_findings_count(f) == 0, "COMM-3 the Sev-1 external update lints clean");
    drill_findings(f);
    inc_findings_free(f);
    drill_say("erin -> status page and customer email: %s", u.body);
    u.audience = INC_AUDIENCE_INTERNAL;
    u.comms = 0;
    u.components = NULL;
    u.body = "Raised to Sev-1 at 14:44 UTC: EU checkout failing for 30% of orders. Bridge open in "
             "the incident channel. IC alice. Next internal update by 15:44 UTC.";
    drill_ok(d, inc_incident_add_update(d->inc, "frank", &u, NULL, NULL), "notify the executives");
    drill_say("frank -> executive on-call: %s", u.body);
    if (drill_ok(d, inc_incident_check_comms(d->inc, &f), "check communications"))
        drill_check(d, drill_count_prefix(f, "COMM-4") == 0,
                    "COMM-4 every communication Sev-1 requires at once was sent");
    drill_findings(f);
    inc_findings_free(f);
}

static void escalation(drill *d)
{
    unsigned before = d->escalations;
    drill_step(d, "14:51", "Escalation: jeff never answered (ESC-1..ESC-3)");
    drill_check(d, d->escalations == before + 1 && d->last_escalation != 0,
                "ESC-1 Sev-1, 15 min unacknowledged: the re-page to on-call and backup fired");
    if (drill_ok(d, inc_incident_acknowledge(d->inc, "kim", d->last_escalation), "acknowledge"))
        drill_say("kim (backup) acknowledges the re-page at 14:51.");
    drill_check(d,
                inc_incident_acknowledged_at(d->inc) == drill_time(d, "14:51") &&
                    strcmp(inc_incident_acknowledged_by(d->inc), "kim") == 0,
                "ESC-3 the acknowledgement is recorded (MTTA comes from it)");
    drill_advance(d, "14:54");
    drill_check(d, d->escalations == before + 1,
                "ESC-2 each due item fires once; acknowledged, the step does not repeat");
}

/* ---- 14:56 .. 15:20: decisions, top of the hour, heartbeats -------------------------- */

static void work_the_problem(drill *d)
{
    inc_can_report rep = INC_CAN_REPORT_INIT;
    inc_findings *f = NULL;
    inc_template_vars v = INC_TEMPLATE_VARS_INIT;
    inc_update u = INC_UPDATE_INIT;
    char *text = NULL;
    drill_step(d, "14:56", "The read replica did not help: the IC approves the failover (CAN-3)");
    drill_ok(d, inc_incident_decide(d->inc, "alice", 1, 1, "fail over now"), "approve decision 1");
    drill_ok(d,
             inc_incident_set_state(d->inc, "alice", INC_STATE_MITIGATING,
                                    "failing over the database primary to the secondary"),
             "start mitigating");
    drill_check(d, inc_incident_decision_pending_count(d->inc) == 0,
                "CAN-3 the decision is answered, by the IC, on the timeline");
    drill_step(d, "15:00", "Top of the hour: the IC's consolidated CAN to the channel (CAN-4)");
    rep.kind = INC_CAN_TOP_OF_HOUR;
    rep.conditions = "Sev-1. EU checkout failing for 30% of orders; US nominal. Replication lag "
                     "4 minutes.";
    rep.actions = "dave is failing the database primary over to the secondary (approved 14:56). "
                  "erin updates the status page every 30 minutes.";
    rep.needs = "none";
    if (drill_ok(d, inc_incident_add_can(d->inc, "alice", &rep, &f, NULL), "top-of-hour CAN"))
        drill_check(d, inc_findings_count(f) == 0, "CAN-1 an explicit \"none\" is a valid Needs");
    inc_findings_free(f);
    drill_step(d, "15:10", "External heartbeat on cadence (COMM-2)");
    v.symptom = "failed checkouts";
    v.scope = "customers in the EU region";
    if (drill_ok(d, inc_incident_render_template(d->inc, INC_TEMPLATE_HEARTBEAT, &v, &text, NULL),
                 "render the heartbeat")) {
        u.body = text;
        u.components = "Checkout (EU)";
        if (drill_ok(d, inc_incident_add_update(d->inc, "erin", &u, NULL, NULL),
                     "post the heartbeat"))
            drill_say("erin -> status page: %s", text);
    }
    inc_free(text);
    if (drill_ok(d, inc_incident_check_comms(d->inc, &f), "check the cadences"))
        drill_check(d, drill_count_prefix(f, "COMM-2") == 0, "COMM-2 no audience is overdue");
    drill_findings(f);
    inc_findings_free(f);
    drill_step(d, "15:20", "dave's CAN: the offending query is found");
    rep = (inc_can_report)INC_CAN_REPORT_INIT;
    rep.conditions = "Query log shows a new unindexed query from the 14:30 deploy at 40 per "
                     "second. Failover 80% complete.";
    rep.actions = "Completing the failover. jeff confirmed the query is new in the deploy.";
    rep.needs = "Need an IC decision on rolling back the 14:30 deploy.";
    if (drill_ok(d, inc_incident_add_can(d->inc, "dave", &rep, NULL, NULL), "dave's CAN"))
        drill_check(d, inc_incident_decision_pending_count(d->inc) == 1,
                    "CAN-3 the rollback decision is pending for the IC");
}

/* ---- 15:30: the shift change -------------------------------------------------------- */

static void shift_change(drill *d)
{
    int rc;
    drill_step(d, "15:30", "Shift change: formal IC hand-off alice -> grace (ROLE-2)");
    if (!drill_ok(d,
                  inc_incident_handoff(d->inc, "alice", "grace",
                                       "Sev-1 since 14:44. Failover 80% done, EU errors down "
                                       "to 5%. Root cause: new query in the 14:30 deploy.",
                                       "dave completing the failover; erin on the status page "
                                       "every 30 minutes; frank on internal updates hourly.",
                                       "Decision 2 pending: roll back the 14:30 deploy."),
                  "start the hand-off"))
        return;
    drill_say("alice briefs grace in CAN form; grace reads it back.");
    drill_check(d,
                strcmp(inc_incident_ic(d->inc), "alice") == 0 &&
                    strcmp(inc_incident_handoff_to(d->inc), "grace") == 0,
                "ROLE-2 exactly one IC: alice stays IC until grace confirms");
    drill_step(d, "15:32", "grace confirms and takes command");
    drill_ok(d, inc_incident_confirm_handoff(d->inc, "grace"), "confirm the hand-off");
    drill_check(d,
                strcmp(inc_incident_ic(d->inc), "grace") == 0 &&
                    strcmp(inc_incident_ic_at(d->inc, drill_time(d, "15:00")), "alice") == 0,
                "ROLE-2 grace is IC now; alice was IC at 15:00");
    rc = inc_incident_decide(d->inc, "alice", 2, 1, NULL);
    drill_refused(d, rc, INC_EPERM, "AUTH-1", "a decision by the former IC");
    drill_ok(d, inc_incident_decide(d->inc, "grace", 2, 1, "roll it back"), "approve decision 2");
    drill_say("grace: \"Approved: roll back the 14:30 deploy.\"");
}

/* ---- 15:38 .. 16:06: mitigation, monitoring, verified resolution --------------------- */

static void update(drill *d, const char *who, inc_audience au, inc_template tmpl, const char *body)
{
    inc_template_vars v = INC_TEMPLATE_VARS_INIT;
    inc_update u = INC_UPDATE_INIT;
    inc_findings *f = NULL;
    char *text = NULL;
    v.symptom = "failed checkouts";
    v.scope = "customers in the EU region";
    if (!body &&
        !drill_ok(d, inc_incident_render_template(d->inc, tmpl, &v, &text, NULL), "render"))
        return;
    u.audience = au;
    u.body = body ? body : text;
    u.components = au == INC_AUDIENCE_EXTERNAL ? "Checkout (EU)" : NULL;
    if (drill_ok(d, inc_incident_add_update(d->inc, who, &u, &f, NULL), "post an update")) {
        drill_say("%s -> %s: %s", who, inc_audience_name(au), u.body);
        if (au == INC_AUDIENCE_EXTERNAL) /* only external updates are linted (COMM-3) */
            drill_check(d, inc_findings_count(f) == 0, "COMM-3 the external update lints clean");
    }
    drill_findings(f);
    inc_findings_free(f);
    inc_free(text);
}

/* Once resolved, the response's clocks stop (ESC-1, COMM-2); what remains
 * due is the after-incident work (PM-2, PM-3) and deadline clocks (REG-1). */
static void after_resolution(drill *d)
{
    inc_due_list *list = NULL;
    size_t i, response = 0;
    char when[32];
    if (!drill_ok(d, inc_incident_due(d->inc, 14 * 86400000LL, &list), "list what is due"))
        return;
    for (i = 0; i < inc_due_list_count(list); i++) {
        const inc_due_item *it = inc_due_list_at(list, i);
        if (it->kind == INC_DUE_POSTMORTEM || it->kind == INC_DUE_ACTION_ITEM ||
            it->kind == INC_DUE_DEADLINE || it->kind == INC_DUE_DEADLINE_REMINDER) {
            inc_time_format(it->due, when, sizeof(when));
            drill_say("still due: %s %s at %s", it->rule_id, it->text, when);
        } else {
            response++;
        }
    }
    inc_due_list_free(list);
    drill_check(d, response == 0,
                "ESC-1 no page, heartbeat or acknowledgement is due once resolved (%zu)", response);
}

static void recover(drill *d)
{
    int rc;
    drill_step(d, "15:38", "Mitigated: failover done, deploy rolled back (LIFE-1)");
    drill_ok(d,
             inc_incident_set_state(d->inc, "grace", INC_STATE_MONITORING,
                                    "failover complete and the 14:30 deploy rolled back; CPU "
                                    "40%, replication lag 0, p99 210 ms"),
             "enter monitoring");
    drill_check(d, inc_incident_mitigated_at(d->inc) == drill_time(d, "15:38"),
                "LIFE-2 entering monitoring is the mitigation event");
    update(d, "erin", INC_AUDIENCE_EXTERNAL, INC_TEMPLATE_MITIGATED, NULL);
    drill_step(d, "15:40", "Internal update on cadence");
    update(d, "frank", INC_AUDIENCE_INTERNAL, INC_TEMPLATE_FIRST,
           "Mitigated at 15:38 UTC: failover complete, 14:30 deploy rolled back. Monitoring "
           "before we call it resolved. IC grace. Next internal update by 16:40 UTC.");
    drill_step(d, "15:58", "Top of the hour, monitoring");
    {
        inc_can_report rep = INC_CAN_REPORT_INIT;
        rep.kind = INC_CAN_TOP_OF_HOUR;
        rep.conditions = "Mitigated 15:38. EU checkout error rate under 0.1% for 20 minutes.";
        rep.actions = "Monitoring. dave is watching replication lag.";
        rep.needs = "none";
        drill_ok(d, inc_incident_add_can(d->inc, "grace", &rep, NULL, NULL), "top-of-hour CAN");
    }
    drill_step(d, "16:05", "Resolution needs verification (LIFE-2)");
    rc = inc_incident_set_state(d->inc, "grace", INC_STATE_RESOLVED, NULL);
    drill_refused(d, rc, INC_EINVAL, "LIFE-2", "resolving without a verification note");
    drill_ok(d,
             inc_incident_set_state(d->inc, "grace", INC_STATE_RESOLVED,
                                    "placed test orders through EU checkout end to end; error "
                                    "rate under 0.1% for 27 minutes"),
             "resolve");
    drill_check(d,
                inc_incident_state(d->inc) == INC_STATE_RESOLVED &&
                    inc_incident_resolved_at(d->inc) == drill_time(d, "16:05"),
                "LIFE-1 resolved, after mitigation and monitoring");
    update(d, "erin", INC_AUDIENCE_EXTERNAL, INC_TEMPLATE_RESOLVED, NULL);
    after_resolution(d);
}

/* ---- the record ----------------------------------------------------------------------- */

static void record(drill *d)
{
    inc_incident *again = NULL;
    char *text = NULL;
    uint64_t bad = 1, bad_rec = 1;
    drill_step(d, "17:30", "The timeline of record (TL-1..TL-3)");
    if (drill_ok(d, inc_incident_render_timeline(d->inc, &text, NULL), "render the timeline"))
        fputs(text, stdout);
    inc_free(text);
    printf("\n");
    drill_ok(d, inc_incident_verify(d->inc, &bad), "verify the hash chain");
    drill_ok(d, inc_journal_verify(d->store, ID_OF(d), &bad_rec), "verify the journal");
    drill_check(d, bad == 0 && bad_rec == 0,
                "TL-2 hash chain verified: %llu events, journal checksums intact",
                (unsigned long long)inc_incident_last_seq(d->inc));
    if (drill_ok(d, inc_incident_open(d->ctx, ID_OF(d), &again), "reopen from the journal"))
        drill_check(d,
                    inc_incident_last_seq(again) == inc_incident_last_seq(d->inc) &&
                        inc_incident_state(again) == inc_incident_state(d->inc) &&
                        strcmp(inc_incident_ic(again), "grace") == 0,
                    "TL-1 replaying the journal gives the same incident");
    inc_incident_free(again);
}

static int usage(void)
{
    fprintf(stderr,
            "usage: gameday [--keep] [--store DIR] [--date YYYY-MM-DD]\n"
            "  --keep        keep the drill's journal (read it with incident --store DIR)\n"
            "  --store DIR   run in DIR (new or empty) instead of a temporary directory\n"
            "  --date DATE   the drill's UTC date (default 2026-11-23); it starts at 14:32\n");
    return 2;
}

int main(int argc, char **argv)
{
    drill d;
    const char *dir = NULL, *date = "2026-11-23";
    char start[40];
    int i;
    memset(&d, 0, sizeof(d));
    signal(SIGPIPE, SIG_IGN); /* `gameday | head` still removes its journal */
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keep") == 0)
            d.keep = 1;
        else if (strcmp(argv[i], "--store") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc && strlen(argv[i + 1]) == 10)
            date = argv[++i];
        else
            return usage();
    }
    printf("Game Day: a Sev-1 drill from the 001 seed, on a fake clock and a fresh journal.\n"
           "Cast: alice (on call, first IC), bob (Deputy), carol (Scribe), dave (database SME),\n"
           "erin (Communications Lead), frank (Internal Liaison), grace (IC after the shift\n"
           "change). Paged: jeff (application on-call), kim (backup), lee, morgan, pat.\n"
           "Policy: strict (a change a rule forbids is refused). Every step is checked.\n");
    snprintf(start, sizeof(start), "%sT14:32:00Z", date);
    if (drill_open(&d, dir, start) != INC_OK) {
        drill_close(&d);
        return 1;
    }
    printf("journal: %s\n", d.dir);
    if (declare(&d)) {
        staff(&d);
        ic_first_can(&d);
        first_can(&d);
        first_updates(&d);
        raise_severity(&d);
        escalation(&d);
        work_the_problem(&d);
        shift_change(&d);
        recover(&d);
        drill_audit(&d);
        drill_postmortem(&d);
        drill_metrics(&d);
        record(&d);
    }
    printf("\nThe pager delivered %u due items, %u of them escalation steps.\n", d.delivered,
           d.escalations);
    if (d.keep && d.inc)
        printf("Kept the journal: incident --store %s timeline %s\n", d.dir, ID_OF(&d));
    drill_close(&d);
    if (d.failures) {
        printf("\n%d of %d checks FAILED:\n", d.failures, d.checks);
        for (i = 0; i < d.failures && i < DRILL_MAX_FAILURES; i++)
            printf("  - %s\n", d.failed[i]);
        return 1;
    }
    printf("All %d checks passed: the response went as the rules say.\n", d.checks);
    return 0;
}
