/* The text lints read sentences, not words (issue 17): the failures a new
 * user found on real status-page text and CAN reports, each as it was
 * reported, plus the reader's bad input (invalid UTF-8 is refused by the
 * public calls; long runs without punctuation, RTL and combining marks
 * are read). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"
#include "test_support.h"

static inc_findings *ulint(const char *body, inc_state s, const char *components)
{
    inc_findings *f = NULL;
    assert_int_equal(inc_update_lint(body, s, components, NULL, &f), INC_OK);
    return f;
}

static size_t count(const inc_findings *f, const char *rule)
{
    return inc_findings_count_rule(f, rule);
}

static void expect_update(const char *body, inc_state s, const char *rule, size_t n)
{
    inc_findings *f = ulint(body, s, NULL);
    if (count(f, rule) != n)
        fail_msg("%s: %zu x %s, want %zu", body, count(f, rule), rule, n);
    inc_findings_free(f);
}

static void test_COMM_03_issue_without_symptom_is_vague(void **state)
{
    (void)state;
    expect_update("We are currently investigating this issue.", INC_STATE_INVESTIGATING,
                  "COMM-3.vague", 1);
    expect_update("We are seeing some problems with the Mobile App. Next update at 8pm AEST.",
                  INC_STATE_INVESTIGATING, "COMM-3.vague", 1);
    /* a symptom anywhere in the update says what users see */
    expect_update("We are investigating an issue with Droplet creation. Users may see errors. "
                  "Next update in 30 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.vague", 0);
    /* "issues <doing>" says what users cannot do; "issues regarding" does not */
    expect_update("Some customers may experience issues accessing their accounts. Next update at "
                  "16:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.vague", 0);
    expect_update("We are investigating issues regarding Billing. Next update at 16:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.vague", 1);
    /* a named thing that recovered says what was wrong */
    expect_update("Voice API call completion rates are back to normal. The problem is resolved and "
                  "we are now monitoring. Next update at 13:00 BST.",
                  INC_STATE_MONITORING, "COMM-3.vague", 0);
    expect_update("Rates are back to normal. The problem is resolved and we are now monitoring. "
                  "Next update at 13:00 BST.",
                  INC_STATE_MONITORING, "COMM-3.vague", 1);
    /* monitoring for further issues is not a description of this one */
    expect_update("Traffic in Frankfurt is served normally. We are monitoring for any further "
                  "issues and will update again at 11:15 UTC.",
                  INC_STATE_MONITORING, "COMM-3.vague", 0);
}

static void test_COMM_03_scope_from_named_things(void **state)
{
    (void)state;
    expect_update("Checkout is failing for EU customers. Next update at 14:30 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-scope", 0);
    expect_update("Some users are unable to load threads. Next update in 1 hour.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-scope", 0);
    expect_update("We are looking into delayed runs for Actions. Next update in 1 hour.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-scope", 0);
    expect_update("Pod 17 is returning errors. Next update in 30 minutes.", INC_STATE_INVESTIGATING,
                  "COMM-3.no-scope", 0);
    expect_update("Some users are reporting errors. Next update in 30 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-scope", 1);
    expect_update("A fix has been implemented and we are monitoring the results. Next update in "
                  "1 hour.",
                  INC_STATE_MONITORING, "COMM-3.no-scope", 1);
    /* what the team waits on, and its machinery, is not what customers use */
    expect_update("We have rolled back and are monitoring while caches warm up. Next update at "
                  "15:00 UTC.",
                  INC_STATE_MONITORING, "COMM-3.no-scope", 1);
    expect_update("Servers are being restarted. Next update at 15:00 UTC.", INC_STATE_MONITORING,
                  "COMM-3.no-scope", 1);
    /* the words of incident handling name nothing affected */
    expect_update("Error rates have returned to normal. Next update at 15:00 UTC.",
                  INC_STATE_MONITORING, "COMM-3.no-scope", 1);
    expect_update("We saw a spike in errors after a configuration change. Next update at 15:00 "
                  "UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-scope", 1);
    expect_update("Customers may encounter errors until propagation completes. Next update at "
                  "15:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-scope", 1);
    /* a capitalised English word inside a sentence is a product's name */
    expect_update("We are investigating errors in Workers. Next update at 15:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-scope", 0);
    /* a "when" clause names what users do; a named thing counts in any clause */
    expect_update("Some users see errors when publishing packages. Next update in 30 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-scope", 0);
    expect_update("We are monitoring while Search recovers. Next update in 30 minutes.",
                  INC_STATE_MONITORING, "COMM-3.no-scope", 0);
}

static void test_COMM_03_speculation_needs_a_hedged_cause(void **state)
{
    (void)state;
    expect_update("We are investigating the root cause of login errors for Canadian customers. "
                  "Next update in 30 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 0);
    expect_update("We are seeing errors related to file uploads. Next update in 30 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 0);
    expect_update("The failed uploads were caused by an expired certificate. Next update in 30 "
                  "minutes.",
                  INC_STATE_MITIGATING, "COMM-3.speculation", 0);
    /* a hedge about scope or recovery is not about cause */
    expect_update("Some users may be unable to log in. Next update in 30 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 0);
    expect_update("We believe the fix has resolved the failed logins. Next update at 13:00 UTC.",
                  INC_STATE_MONITORING, "COMM-3.speculation", 0);
    expect_update("We believe this is related to a network change. Next update in 20 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 2);
    /* the noun "cause" asserts one only when something is said to be it */
    expect_update("Checkout is failing. We believe we have found the cause and are deploying a "
                  "fix. Next update at 16:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.speculation", 0);
    expect_update("Checkout is failing. We believe a noisy neighbour may be the cause. Next update "
                  "at 16:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.speculation", 2);
    /* a question about the cause, a hedge on what happens to users */
    expect_update("Checkout is failing. We're not sure yet what's causing this. Next update at "
                  "16:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 0);
    expect_update("Checkout is failing. Customers might be charged twice due to retries. Next "
                  "update at 16:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 0);
    /* a suspect named after a hedge, or after a verb of evidence, is a cause
     * guessed: a change ("a bad deploy") or trouble in general words */
    expect_update("Checkout is failing. We suspect a bad deploy. Next update at 16:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 1);
    expect_update("Checkout is failing. We think a configuration change is to blame. Next update "
                  "at 16:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 1);
    expect_update("Checkout is failing. Logs suggest a bad deploy. Next update at 16:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 1);
    expect_update("Checkout is failing. Early signs point to a DNS problem. Next update at 16:00 "
                  "UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 1);
    /* ... not a recovery, not a fix, not a change the team made and says */
    expect_update("Checkout errors are falling. Metrics indicate a recovery. Next update at 16:00 "
                  "UTC.",
                  INC_STATE_MONITORING, "COMM-3.speculation", 0);
    expect_update("Checkout is failing. We believe a fix is deployed. Next update at 16:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.speculation", 0);
    expect_update("Checkout is failing. We rolled back a bad deploy. Next update at 16:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.speculation", 0);
    /* the hedge governs a cause of its clause or of a relative clause after it */
    expect_update("Checkout is failing. We believe the fix is working, and the errors were caused "
                  "by a bad config. Next update at 16:00 UTC.",
                  INC_STATE_MONITORING, "COMM-3.speculation", 0);
    expect_update("Checkout is failing because of an expired certificate, which probably affects "
                  "EU users only. Next update at 16:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 0);
    expect_update("Checkout is failing. We believe the fix is working, and the errors were "
                  "probably caused by a bad config. Next update at 16:00 UTC.",
                  INC_STATE_MONITORING, "COMM-3.speculation", 2);
    /* findings that suggest a cause */
    expect_update("Checkout is failing. Preliminary findings suggest a memory leak. Next update at "
                  "16:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 2);
}

static void test_COMM_03_promises_outside_conditions(void **state)
{
    (void)state;
    expect_update("Search results are incomplete. We will post again once everything is fully "
                  "resolved, and no later than 10:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.premature-promise", 0);
    expect_update("Dashboards are slow in the EU. We'll keep this page updated until the slowdown "
                  "is resolved; next update in 45 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.premature-promise", 0);
    expect_update("We estimate another hour before report exports are available again. Next "
                  "update at 13:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.premature-promise", 1);
    expect_update("Video calls drop in India. It will take another 5-10 minutes to reach all "
                  "servers. Next update in 15 minutes.",
                  INC_STATE_MITIGATING, "COMM-3.premature-promise", 1);
    expect_update("We do not have an ETA for Cloud SQL creation failures. Next update at 10:00 "
                  "US/Pacific.",
                  INC_STATE_MITIGATING, "COMM-3.premature-promise", 0);
}

static void test_COMM_03_next_update_times_in_many_formats(void **state)
{
    static const char *const ok[] = {
        "Checkout errors in Brazil. Next update at 15h30 BRT.",
        "Checkout errors in Brazil. Next update at 1430Z.",
        "Checkout errors in Brazil. We'll update by 4pm ET.",
        "Checkout errors in Brazil. Next update: in 1 hour",
        "Checkout errors in Brazil. We will post an update by 11:30 a.m. EST.",
        "Checkout errors in Brazil. Expect an update every 30 minutes.",
        "Checkout errors in Brazil. Update again in 20m.",
        "Checkout errors in Brazil. We'll post again at half past.",
        "Checkout errors in Brazil. Next update at the top of the hour.",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        expect_update(ok[i], INC_STATE_INVESTIGATING, "COMM-3.no-next-update", 0);
    expect_update("Checkout errors in Brazil. We will provide updates as they become available.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-next-update", 1);
    /* "half", "quarter", "top" alone are no time */
    expect_update("Checkout errors in Brazil: half of the payments fail. We are investigating.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-next-update", 1);
}

/* The subject of a clause that says something fails or recovers names
 * what is affected; a subject that names nothing, or one that only sees
 * or handles the trouble, does not. */
static void test_COMM_03_subject_of_a_symptom_is_scope(void **state)
{
    static const char *const scoped[] = {
        "Hosted pages are slow. Next update in 20 minutes.",
        "Managed databases are unreachable. Next update in 20 minutes.",
        "Publishing to the npm registry works again for most users. Next update at 15:00 UTC.",
        "Package installs are working again. Next update at 15:00 UTC.",
        "Image thumbnails are missing. Next update in 20 minutes.",
        "Since 14:00 UTC, file previews are failing to render. Next update in 20 minutes.",
        "Since 14:00 UTC, the hosted pages are slow. Next update in 20 minutes.",
    };
    static const char *const unscoped[] = {
        "Error rates are down from their peak but still elevated. Next update in 30 minutes.",
        "Reddit is having some issues right now. Next update at 3pm PT.",
        "Services are degraded. Next update in 20 minutes.",
        "Our team is investigating elevated errors. Next update in 20 minutes.",
        "Most traffic is flowing normally. Next update in 20 minutes.",
        "Some requests may fail. Next update in 20 minutes.",
        "We are seeing signs of recovery. Next update in 20 minutes.",
        "Response times are slow. Next update in 20 minutes.",
        "Some features are unavailable. Next update in 20 minutes.",
        "Parts of the site are down. Next update in 20 minutes.",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(scoped) / sizeof(scoped[0]); i++)
        expect_update(scoped[i], INC_STATE_INVESTIGATING, "COMM-3.no-scope", 0);
    for (i = 0; i < sizeof(unscoped) / sizeof(unscoped[0]); i++)
        expect_update(unscoped[i], INC_STATE_INVESTIGATING, "COMM-3.no-scope", 1);
    expect_update("Solana withdrawals have resumed and all pending transactions have been "
                  "processed.",
                  INC_STATE_RESOLVED, "COMM-3.no-scope", 0);
    expect_update("All systems are operational.", INC_STATE_RESOLVED, "COMM-3.no-scope", 1);
}

static void test_COMM_03_causes_incidents_and_times_in_new_words(void **state)
{
    (void)state;
    /* "linked to", "tied to" assert a cause; with a hedge it is speculation */
    expect_update("We think the slowness on boards is linked to a database migration. Next update "
                  "at 12:45 CET.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 2);
    expect_update(
        "Checkout is failing. This may be tied to a DNS change. Next update at 15:00 UTC.",
        INC_STATE_INVESTIGATING, "COMM-3.speculation", 2);
    expect_update("Checkout is failing. The failures are linked to a bad deploy. Next update at "
                  "15:00 UTC.",
                  INC_STATE_INVESTIGATING, "COMM-3.speculation", 0);
    /* "an incident" says no more than "an issue"; an incident report is a document */
    expect_update("We're investigating an incident affecting the Content Delivery API. Next "
                  "update in 30 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.vague", 1);
    expect_update("We are seeing incident report delays in Reports. Next update in 30 minutes.",
                  INC_STATE_INVESTIGATING, "COMM-3.vague", 0);
    /* a 24-hour clock before a zone, "every hour", "communication" */
    expect_update("Checkout errors in Brazil. Next update 1500 UTC.", INC_STATE_INVESTIGATING,
                  "COMM-3.no-next-update", 0);
    expect_update("Deliveries are delayed across Germany. We will keep this page updated every "
                  "hour.",
                  INC_STATE_INVESTIGATING, "COMM-3.no-next-update", 0);
    expect_update("Packet loss in RBX has decreased. Next communication at 16:00 CEST.",
                  INC_STATE_MITIGATING, "COMM-3.no-next-update", 0);
    expect_update("Checkout errors in Brazil. We have 1500 UTC servers.", INC_STATE_INVESTIGATING,
                  "COMM-3.no-next-update", 1);
}

/* A modal and a time say when service recovers unless the team speaks of
 * itself or of its next update. */
static void test_COMM_03_eta_after_a_modal(void **state)
{
    inc_findings *f;
    (void)state;
    expect_update("Checkout is failing. Things should improve over the next hour. Next update at "
                  "15:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.premature-promise", 1);
    expect_update("Checkout is failing. We'll be back with more info shortly. Next update at "
                  "15:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.premature-promise", 0);
    expect_update("Checkout is failing. Our next update will be in 30 minutes.",
                  INC_STATE_MITIGATING, "COMM-3.premature-promise", 0);
    expect_update("Checkout is failing. We will be monitoring for the next 30 minutes. Next update "
                  "at 15:00 UTC.",
                  INC_STATE_MONITORING, "COMM-3.premature-promise", 0);
    /* an estimate in the passive, "soon" after a modal, the team checking */
    expect_update("Checkout is failing. Full recovery is expected by 18:00 UTC. Next update at "
                  "16:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.premature-promise", 1);
    expect_update("Checkout is failing. The fix will take effect soon. Next update at 16:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.premature-promise", 1);
    expect_update("Checkout is working as expected for most users. Next update at 16:00 UTC.",
                  INC_STATE_MONITORING, "COMM-3.premature-promise", 0);
    expect_update("Checkout is failing. Once the rollback completes, we'll confirm recovery here. "
                  "Next update at 16:00 UTC.",
                  INC_STATE_MITIGATING, "COMM-3.premature-promise", 0);
    f = ulint(
        "Checkout is failing. The fix should be live in 10 minutes. Next update at 15:00 UTC.",
        INC_STATE_MITIGATING, NULL);
    assert_int_equal(count(f, "COMM-3.premature-promise"), 1);
    assert_int_equal(inc_findings_at(f, inc_findings_count(f) - 1)->offset, 29);
    assert_int_equal(inc_findings_at(f, inc_findings_count(f) - 1)->length, 28);
    inc_findings_free(f); /* "should be live in 10 minutes" */
}

static inc_findings *clint(const char *c, const char *a, const char *n)
{
    inc_findings *f = NULL;
    assert_int_equal(inc_can_lint(c, a, n, NULL, &f), INC_OK);
    return f;
}

static void expect_actions(const char *actions, size_t promises)
{
    inc_findings *f = clint("Error rate 12%.", actions, "none");
    if (count(f, "CAN-2.promise") != promises)
        fail_msg("%s: %zu promises, want %zu", actions, count(f, "CAN-2.promise"), promises);
    inc_findings_free(f);
}

static void test_CAN_02_names_plans_and_places_are_not_promises(void **state)
{
    (void)state;
    expect_actions("Paged Will (DBA).", 0);
    expect_actions("Will is on the bridge.", 0);
    expect_actions("Will and May are pairing on the adapter logs.", 0);
    expect_actions("Running terraform plan to confirm drift.", 0);
    expect_actions("Failover done; traffic now going to eu-central-1.", 0);
    expect_actions("Traffic going to the DR site in us-west-2.", 0);
    expect_actions("gonna roll back", 1);
    expect_actions("Will reindex tonight.", 1);
    expect_actions("May will run the failover runbook.", 1);
    expect_actions("Once the purge finishes I'll resize the volume.", 1);
    expect_actions("We plan to apply the last known good state.", 1);
    /* "going to" after a noun says where the noun goes */
    expect_actions("Depooled esams; traffic going to drmrs and eqiad.", 0);
    expect_actions("Jobs going to the retry queue; replaying manually.", 0);
    expect_actions("We're going to drain node 4.", 1);
    expect_actions("Mark is going to rotate the keys.", 1);
    /* an intention stated as a noun */
    expect_actions("Next step is to restore from the 02:00 snapshot.", 1);
    expect_actions("Let's fail over to eu-west-1.", 1);
    expect_actions("The flag lets us fail over quickly; failed over at 10:02.", 0);
    /* a name before a preposition, a question */
    expect_actions("Will from SRE is rolling back.", 0);
    expect_actions("Shall we fail over? Waiting on the IC.", 0);
}

static void test_CAN_02_plan_is_to_keeps_its_span(void **state)
{
    inc_findings *f;
    (void)state;
    f = clint("Backlog of 80k webhooks.", "Plan is to replay them in order of age.", "none");
    assert_int_equal(count(f, "CAN-2.promise"), 1);
    assert_int_equal(inc_findings_at(f, 0)->slot, INC_CAN_ACTIONS);
    assert_int_equal(inc_findings_at(f, 0)->offset, 0);
    assert_int_equal(inc_findings_at(f, 0)->length, 10); /* "Plan is to" */
    assert_non_null(strstr(inc_findings_at(f, 0)->message, "work in flight or done"));
    inc_findings_free(f);
    f = clint("Backlog of 80k webhooks.", "Plan: restore from the snapshot.", "none");
    assert_int_equal(count(f, "CAN-2.promise"), 1);
    assert_int_equal(inc_findings_at(f, 0)->length, 5); /* "Plan:" */
    inc_findings_free(f);
}

static void test_CAN_02_may_the_name_and_may_the_hedge(void **state)
{
    inc_findings *f;
    (void)state;
    f = clint("May from support reports 40 tickets about checkout.", "Reading tickets.", "none");
    assert_int_equal(count(f, "CAN-2.speculation"), 0);
    inc_findings_free(f);
    f = clint("5xx at 4%. Theory: connection pool exhaustion.", "Reading pool metrics.", "none");
    assert_int_equal(count(f, "CAN-2.speculation"), 1);
    inc_findings_free(f);
    f = clint("5xx at 4%. Apparently started after the deploy.", "Diffing.", "none");
    assert_int_equal(count(f, "CAN-2.speculation"), 1);
    inc_findings_free(f);
    f = clint("We may have lost 12 messages.", "Replaying the window.", "none");
    assert_int_equal(count(f, "CAN-2.speculation"), 1);
    assert_int_equal(inc_findings_at(f, 0)->offset, 3);
    assert_int_equal(inc_findings_at(f, 0)->length, 8); /* "may have" */
    inc_findings_free(f);
    /* a customer's quoted words are not the responder's hedge */
    f = clint("Customer: \"maybe it is my network\". Upload errors 30%.", "Reverting.", "none");
    assert_int_equal(count(f, "CAN-2.speculation"), 0);
    inc_findings_free(f);
}

static void test_PM_4_a_person_is_blamed_not_a_system(void **state)
{
    static const char *const clean[] = {
        "The engineer followed the runbook, which did not mention the lag check.",
        "The health check failed to detect the stuck worker.",
        "The alert should have fired at 80% disk usage.",
        "The cache uses lazy loading.",
        "The service runs in three fault domains.",
        "This was not human error: the tool made the wrong command the easy one.",
        "No single person is to blame; the process had no check.",
        "Nobody is at fault here; the tooling let a bad config through.",
        /* a capitalised tool opening the sentence is not a person */
        "Terraform failed to apply the change.",
        "Jenkins should have retried the job.",
        "terraform failed to apply.",
    };
    inc_findings *f;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
        assert_int_equal(inc_postmortem_lint(clean[i], NULL, &f), INC_OK);
        if (inc_findings_count(f))
            fail_msg("%s: %s", clean[i], inc_findings_at(f, 0)->message);
        inc_findings_free(f);
    }
    /* one word at the end of a sentence: the span is that word */
    assert_int_equal(inc_postmortem_lint("The config was fat-fingered", NULL, &f), INC_OK);
    assert_int_equal(inc_findings_count(f), 1);
    assert_int_equal(inc_findings_at(f, 0)->offset, 15);
    assert_int_equal(inc_findings_at(f, 0)->length, 12);
    inc_findings_free(f);
    assert_int_equal(inc_postmortem_lint("The operator forgot to drain the node.", NULL, &f),
                     INC_OK);
    assert_int_equal(inc_findings_count(f), 1);
    assert_int_equal(inc_findings_at(f, 0)->offset, 13);
    inc_findings_free(f);
    /* a given name opening the sentence, or a capitalised name inside it, is */
    assert_int_equal(inc_postmortem_lint("Alice failed to escalate the page.", NULL, &f), INC_OK);
    assert_int_equal(inc_findings_count(f), 1);
    inc_findings_free(f);
    assert_int_equal(inc_postmortem_lint("Then Priya failed to escalate.", NULL, &f), INC_OK);
    assert_int_equal(inc_findings_count(f), 1);
    inc_findings_free(f);
    /* a "human mistake" is "human error" in other words */
    assert_int_equal(inc_postmortem_lint("A human mistake in the config caused it.", NULL, &f),
                     INC_OK);
    assert_int_equal(inc_findings_count(f), 1);
    assert_int_equal(inc_findings_at(f, 0)->offset, 2);
    assert_int_equal(inc_findings_at(f, 0)->length, 13);
    inc_findings_free(f);
}

/* Long text without punctuation, RTL and combining characters, NUL is
 * the end: read without a crash; invalid UTF-8 is refused. */
static void test_COMM_03_bad_input_is_read_or_refused(void **state)
{
    char *big = malloc(INC_TEXT_MAX + 1);
    inc_findings *f = NULL;
    size_t i;
    (void)state;
    assert_non_null(big);
    for (i = 0; i < INC_TEXT_MAX; i++)
        big[i] = "we are investigating "[i % 21];
    big[INC_TEXT_MAX] = '\0';
    assert_int_equal(inc_update_lint(big, INC_STATE_INVESTIGATING, NULL, NULL, &f), INC_OK);
    assert_int_equal(count(f, "COMM-3.no-scope"), 1);
    inc_findings_free(f);
    memset(big, 'a', INC_TEXT_MAX);
    assert_int_equal(inc_update_lint(big, INC_STATE_INVESTIGATING, NULL, NULL, &f), INC_OK);
    inc_findings_free(f);
    free(big);
    /* Hebrew with an RLM, a combining acute accent, emoji */
    f = ulint(
        "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xE2\x80\x8F checkout\xCC\x81 fails \xF0\x9F\x94\xA5. "
        "Next update at 15:00 UTC.",
        INC_STATE_INVESTIGATING, NULL);
    assert_int_equal(count(f, "COMM-3.no-next-update"), 0);
    inc_findings_free(f);
    assert_int_equal(inc_update_lint("bad \xC3\x28 byte", INC_STATE_INVESTIGATING, NULL, NULL, &f),
                     INC_EINVAL);
    assert_null(f);
    assert_int_equal(inc_can_lint("\xFF", NULL, "none", NULL, &f), INC_EINVAL);
    assert_int_equal(inc_postmortem_lint("\xED\xA0\x80", NULL, &f), INC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_COMM_03_issue_without_symptom_is_vague),
        cmocka_unit_test(test_COMM_03_scope_from_named_things),
        cmocka_unit_test(test_COMM_03_speculation_needs_a_hedged_cause),
        cmocka_unit_test(test_COMM_03_promises_outside_conditions),
        cmocka_unit_test(test_COMM_03_next_update_times_in_many_formats),
        cmocka_unit_test(test_COMM_03_subject_of_a_symptom_is_scope),
        cmocka_unit_test(test_COMM_03_causes_incidents_and_times_in_new_words),
        cmocka_unit_test(test_COMM_03_eta_after_a_modal),
        cmocka_unit_test(test_CAN_02_names_plans_and_places_are_not_promises),
        cmocka_unit_test(test_CAN_02_plan_is_to_keeps_its_span),
        cmocka_unit_test(test_CAN_02_may_the_name_and_may_the_hedge),
        cmocka_unit_test(test_PM_4_a_person_is_blamed_not_a_system),
        cmocka_unit_test(test_COMM_03_bad_input_is_read_or_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
