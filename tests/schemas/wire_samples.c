/* Writes one JSON document per wire format and case into the directory
 * given as argv[1], each named "<schema>--<case>.json" after the schema in
 * tests/data/schemas/ it must satisfy (check_wire_schemas.py validates
 * them). The cases take each format to its edges: the longest title, texts
 * full of characters to escape, texts past Slack's block limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "test_world.h"

#define KEY "R0UT1NGKEY0123456789abcdefABCDEF"

static const char *dir;
static int failures;

/* Write @json as "<schema>--<name>.json" in the samples' directory. */
static void write_sample(const char *schema, const char *name, const char *json)
{
    char path[1024];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s--%s.json", dir, schema, name);
    if (!(f = fopen(path, "w")) || fputs(json, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "wire_samples: cannot write %s\n", path);
        failures++;
    }
}

/* Write *json (set by the call whose status is @rc; the address, because
 * the call's arguments are evaluated in no set order) and free it. */
static void save(const char *schema, const char *name, int rc, char **doc)
{
    char *json = *doc;
    *doc = NULL;
    if (rc != INC_OK || !json) {
        fprintf(stderr, "wire_samples: %s--%s: status %d\n", schema, name, rc);
        failures++;
        return;
    }
    write_sample(schema, name, json);
    inc_free(json);
}

static void must(int rc, const char *what)
{
    if (rc != INC_OK) {
        fprintf(stderr, "wire_samples: %s: status %d\n", what, rc);
        exit(1);
    }
}

static void statuspage(inc_incident *inc, const char *name)
{
    inc_update u = INC_UPDATE_INIT;
    char *json = NULL;
    char sample[128];
    size_t n = inc_incident_update_count(inc);

    u.body = "We are investigating failed checkouts for customers in the EU region <&>. Next "
             "update at 14:45 UTC.";
    u.components = "Checkout, Payments API";
    must(inc_incident_add_update(inc, "alice", &u, NULL, NULL), "update");
    snprintf(sample, sizeof(sample), "%s-create", name);
    save("statuspage-incident", sample,
         inc_incident_update_statuspage_json(
             inc, n, "Checkout=8kbf7d35c070,Payments API=ftgks51sfs2d", &json, NULL),
         &json);
    must(inc_incident_link_external(inc, "bot", "statuspage", "p31zjtct2jer", NULL), "link");
    must(inc_incident_set_state(inc, "alice", INC_STATE_INVESTIGATING, NULL), "state");
    must(inc_incident_set_state(inc, "alice", INC_STATE_MITIGATING, NULL), "state");
    must(inc_incident_add_update(inc, "alice", &u, NULL, NULL), "update");
    snprintf(sample, sizeof(sample), "%s-update-mitigating", name);
    json = NULL;
    save("statuspage-incident", sample,
         inc_incident_update_statuspage_json(inc, n + 1, NULL, &json, NULL), &json);
}

static void pagerduty(struct inc_test_world *w, inc_incident *inc)
{
    inc_due_list *l = NULL;
    char *json = NULL;
    size_t i;

    inc_test_clock_advance(&w->clock, 60LL * 60 * 1000);
    must(inc_incident_deliver_due(inc, "pager", 0, &l), "deliver");
    for (i = 0; i < inc_due_list_count(l) && i < 4; i++) {
        char name[64];
        snprintf(name, sizeof(name), "trigger-%s-%zu", inc_due_list_at(l, i)->kind_name, i);
        json = NULL;
        save("pagerduty-event-v2", name,
             inc_due_list_pagerduty(l, i, KEY, "checkout-api",
                                    "https://ops.example.com/incidents/x", &json, NULL),
             &json);
    }
    if (inc_due_list_count(l) > 0) {
        const char *dedup = inc_due_list_at(l, 0)->dedup_key;
        json = NULL;
        save("pagerduty-event-v2", "trigger-without-links",
             inc_due_list_pagerduty(l, 0, KEY, NULL, NULL, &json, NULL), &json);
        json = NULL;
        save("pagerduty-event-v2", "acknowledge",
             inc_pagerduty_event("acknowledge", KEY, dedup, &json, NULL), &json);
        json = NULL;
        save("pagerduty-event-v2", "resolve",
             inc_pagerduty_event("resolve", KEY, dedup, &json, NULL), &json);
    } else {
        fprintf(stderr, "wire_samples: nothing due\n");
        failures++;
    }
    inc_due_list_free(l);
}

/* The events of the timeline (inc_incident_pagerduty_json()): every body
 * of every event, from the first page to the resolution, one sample each. */
static void pagerduty_timeline(struct inc_test_world *w)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    inc_due_list *l = NULL;
    uint64_t seq, page = 0;
    size_t n = 0;

    d.title = "Payments <down> & failing";
    d.declarer = "alice";
    d.severity = "Sev-2";
    must(inc_incident_declare(w->ctx, &d, &inc), "declare");
    must(inc_incident_request_page(inc, "pager", "on-call", "first <page>", &page), "page");
    inc_test_clock_advance(&w->clock, 60LL * 60 * 1000);
    must(inc_incident_deliver_due(inc, "pager", 0, &l), "deliver");
    inc_due_list_free(l);
    must(inc_incident_acknowledge(inc, "bob", page), "ack");
    must(inc_incident_set_state(inc, "alice", INC_STATE_INVESTIGATING, NULL), "state");
    must(inc_incident_set_state(inc, "alice", INC_STATE_MITIGATING, NULL), "state");
    must(inc_incident_set_state(inc, "alice", INC_STATE_MONITORING, NULL), "state");
    must(inc_incident_set_state(inc, "alice", INC_STATE_RESOLVED, "Checked by hand."), "state");
    for (seq = 1; seq <= inc_incident_event_count(inc); seq++) {
        char *json = NULL, *line, *next;
        size_t count = 0;
        int rc = inc_incident_pagerduty_json(inc, seq, KEY, "payments",
                                             "https://ops.example.com/i/p", &json, &count);
        if (rc != INC_OK) {
            save("pagerduty-event-v2", "from-the-timeline", rc, &json);
            continue;
        }
        for (line = json; count && line; line = next) {
            char name[64];
            if ((next = strchr(line, '\n')) != NULL)
                *next++ = '\0';
            snprintf(name, sizeof(name), "timeline-%zu-event-%llu", n++, (unsigned long long)seq);
            write_sample("pagerduty-event-v2", name, line);
        }
        inc_free(json);
    }
    if (n < 6) { /* triggers, acknowledges, resolves */
        fprintf(stderr, "wire_samples: %zu bodies from the timeline, expected at least 6\n", n);
        failures++;
    }
    inc_incident_free(inc);
}

static void slack(inc_incident *inc)
{
    static char amps[INC_TEXT_MAX + 1];
    inc_can_report r = INC_CAN_REPORT_INIT;
    inc_update u = INC_UPDATE_INIT;
    uint64_t seq = 0;
    char *json = NULL;

    save("slack-message", "header", inc_incident_slack_json(inc, 0, &json, NULL), &json);
    r.conditions = "CPU at 95% <@U123> & rising";
    r.actions = "Adding a replica.";
    r.needs = "Approval to fail over.";
    must(inc_incident_add_can(inc, "bob", &r, NULL, &seq), "can");
    json = NULL;
    save("slack-message", "can-report", inc_incident_slack_json(inc, seq, &json, NULL), &json);
    memset(amps, '&', INC_TEXT_MAX);
    r.conditions = r.actions = r.needs = amps;
    must(inc_incident_add_can(inc, "bob", &r, NULL, &seq), "can");
    json = NULL;
    save("slack-message", "can-report-past-50-blocks",
         inc_incident_slack_json(inc, seq, &json, NULL), &json);
    u.audience = INC_AUDIENCE_INTERNAL;
    u.body = "Sev-1 declared; IC alice. <!channel>";
    must(inc_incident_add_update(inc, "alice", &u, NULL, &seq), "update");
    json = NULL;
    save("slack-message", "status-update", inc_incident_slack_json(inc, seq, &json, NULL), &json);
    must(inc_incident_handoff(inc, "alice", "erin", "Stable <ok>.", "Watching.", "None."),
         "handoff");
    json = NULL;
    save("slack-message", "handoff-started",
         inc_incident_slack_json(inc, inc_incident_handoff_seq(inc), &json, NULL), &json);
    must(inc_incident_confirm_handoff(inc, "erin"), "confirm");
    json = NULL;
    save("slack-message", "handoff-confirmed",
         inc_incident_slack_json(inc, inc_incident_event_count(inc), &json, NULL), &json);
}

int main(int argc, char **argv)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    struct inc_test_world *w;
    inc_incident *longest = NULL;
    char title[INC_TITLE_MAX + 1];

    if (argc != 2) {
        fprintf(stderr, "usage: wire_samples DIR\n");
        return 2;
    }
    dir = argv[1];
    d.title = "Checkout <failures> & timeouts in EU";
    d.declarer = "alice";
    d.severity = "Sev-1";
    w = inc_test_world_new(INC_POLICY_ADVISORY, &d);
    statuspage(w->inc, "sev1");
    slack(w->inc);
    pagerduty(w, w->inc);
    pagerduty_timeline(w);

    /* The longest title: 256 bytes of two-byte characters and a tail. */
    memset(title, 'T', INC_TITLE_MAX);
    title[INC_TITLE_MAX] = '\0';
    d.title = title;
    d.severity = "Sev-4";
    must(inc_incident_declare(w->ctx, &d, &longest), "declare");
    statuspage(longest, "title-of-256-bytes");
    inc_incident_free(longest);
    inc_test_world_free(w);
    return failures ? 1 : 0;
}
