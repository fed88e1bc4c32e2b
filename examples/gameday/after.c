/* gameday: after the incident: the response's scorecard, the postmortem
 * with its action items, and the metrics the drill stays out of. */
#include "drill.h"

#include <stdio.h>
#include <string.h>

#define DAY_MS (86400000LL)

void drill_audit(drill *d)
{
    inc_audit *audit = NULL;
    inc_audit_summary sum;
    char *text = NULL;
    drill_step(d, "16:10", "The Game Day scorecard (AUD-1, AUD-2)");
    if (!drill_ok(d, inc_incident_audit(d->inc, NULL, &audit), "audit the response"))
        return;
    if (drill_ok(d, inc_audit_render_text(audit, &text, NULL), "render the audit"))
        fputs(text, stdout);
    inc_free(text);
    memset(&sum, 0, sizeof(sum));
    inc_audit_get_summary(audit, &sum);
    drill_check(d, sum.late == 0 && sum.missing == 0 && sum.pending == 0,
                "AUD-1 the first ten minutes: every step done by T+10 (%zu done)", sum.done);
    drill_check(d, sum.antipatterns == 0,
                "AUD-2 no antipattern: no IC debugging, no freelancing, no missed cadence");
    drill_check(d, sum.drill, "DEC-4 the scorecard is marked as a drill");
    inc_audit_free(audit);
}

/* One narrative section; returns how many blame findings it had (PM-4). */
static size_t section(drill *d, const char *who, inc_pm_section s, const char *text)
{
    inc_findings *f = NULL;
    size_t n = 0;
    if (drill_ok(d, inc_incident_set_postmortem_section(d->inc, who, s, text, &f, NULL),
                 inc_pm_section_title(s)))
        n = inc_findings_count(f);
    drill_findings(f);
    inc_findings_free(f);
    return n;
}

static void sections(drill *d)
{
    size_t blame;
    drill_step(d, "16:30", "The postmortem: the team writes what the timeline cannot know (PM-1)");
    section(d, "carol", INC_PM_SUMMARY,
            "A deploy at 14:30 UTC added an unindexed query that saturated the database "
            "primary; EU checkout failed for up to 30% of orders for 66 minutes until a "
            "failover and a rollback.");
    section(d, "carol", INC_PM_IMPACT,
            "About 30% of EU checkout attempts failed between 14:32 and 15:38 UTC; US was not "
            "affected. Drill: no real customers.");
    section(d, "carol", INC_PM_DETECTION,
            "The EU checkout p99 latency alert fired at 14:33, one minute after impact began.");
    section(d, "carol", INC_PM_ROOT_CAUSE,
            "The 14:30 deploy added a query on an unindexed column, run 40 times per second.");
    section(d, "carol", INC_PM_WENT_WELL,
            "Roles were staffed in two minutes; the CAN reports made the failover decision easy.");
    section(d, "carol", INC_PM_LESSONS,
            "Query plans belong in deploy review; the backup must be paged sooner at Sev-1.");
    drill_say("carol drafts \"what went poorly\": \"The deploy author should have known the "
              "query was unindexed.\"");
    blame = section(d, "carol", INC_PM_WENT_POORLY,
                    "The deploy author should have known the query was unindexed.");
    drill_check(d, blame > 0, "PM-4 blame wording is flagged (\"should have known\")");
    blame = section(d, "carol", INC_PM_WENT_POORLY,
                    "Deploy gating has no test that catches unindexed queries, and the "
                    "application on-call was not reachable for 17 minutes.");
    drill_say("carol rewrites it about the system: deploy gating has no test for it.");
    drill_check(d, blame == 0, "PM-4 the rewritten section is blameless");
    section(d, "carol", INC_PM_CONTRIBUTING,
            "No query-plan check in CI; the primary had no headroom at peak.");
    drill_ok(d, inc_incident_set_root_cause_tag(d->inc, "grace", "deploy/unindexed-query"),
             "tag the root cause");
}

static void actions(drill *d)
{
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    uint64_t id = 0;
    int rc;
    drill_step(d, "16:40", "Action items: one person each, a date each (PM-3)");
    o.title = "Fail CI on queries without an index";
    o.owner = "database team";
    o.due = d->now + 14 * DAY_MS;
    o.priority = INC_ACTION_P1;
    rc = inc_incident_add_action(d->inc, "grace", &o, &id);
    drill_refused(d, rc, INC_EINVAL, "PM-3", "an action item owned by a team");
    o.owner = "dave";
    if (drill_ok(d, inc_incident_add_action(d->inc, "grace", &o, &id), "add the CI action item"))
        drill_say("A%llu P1 %s, owner dave, due in 14 days", (unsigned long long)id, o.title);
    o.title = "Page the backup after 10 minutes without an acknowledgement at Sev-1";
    o.owner = "kim";
    o.due = d->now + 30 * DAY_MS;
    o.priority = 2;
    if (drill_ok(d, inc_incident_add_action(d->inc, "grace", &o, &id),
                 "add the paging action item"))
        drill_say("A%llu P2 %s, owner kim, due in 30 days", (unsigned long long)id, o.title);
    drill_check(d, inc_incident_action_count(d->inc) == 2, "PM-3 two items, each with one owner");
}

void drill_postmortem(drill *d)
{
    inc_postmortem_info pm;
    char *doc = NULL;
    int rc;
    sections(d);
    actions(d);
    drill_step(d, "17:00", "Review, then Final: the IC closes the incident (PM-1, LIFE-1)");
    drill_ok(
        d, inc_incident_set_postmortem_status(d->inc, "grace", INC_PM_IN_REVIEW, "reviewed by bob"),
        "move the postmortem to review");
    rc = inc_incident_set_postmortem_status(d->inc, "alice", INC_PM_FINAL, NULL);
    drill_refused(d, rc, INC_EPERM, "AUTH-1", "Final from anyone but the current IC");
    drill_ok(d, inc_incident_set_postmortem_status(d->inc, "grace", INC_PM_FINAL, NULL),
             "make it Final");
    memset(&pm, 0, sizeof(pm));
    inc_incident_get_postmortem(d->inc, &pm);
    drill_check(d,
                pm.status == INC_PM_FINAL && pm.missing == 0 &&
                    inc_incident_state(d->inc) == INC_STATE_CLOSED,
                "LIFE-1 Final, every section supplied: the incident is closed");
    if (drill_ok(d, inc_incident_render_postmortem(d->inc, INC_PM_MARKDOWN, &doc, NULL),
                 "render")) {
        printf("\n");
        fputs(doc, stdout);
    }
    inc_free(doc);
}

void drill_metrics(drill *d)
{
    inc_metrics *m = NULL;
    drill_step(d, "17:20", "Metrics (MET-1): the drill stays out of them (DEC-4)");
    if (!drill_ok(d, inc_metrics_compute(d->ctx, NULL, &m), "compute the metrics"))
        return;
    drill_say("incidents in the metrics: %zu; drills left out: %zu", inc_metrics_incident_count(m),
              inc_metrics_drill_count(m));
    drill_check(d, inc_metrics_incident_count(m) == 0 && inc_metrics_drill_count(m) == 1,
                "DEC-4 a Game Day is kept out of production metrics");
    inc_metrics_free(m);
}
