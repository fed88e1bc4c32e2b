/* quickstart: declare an incident, assign roles, raise its severity, work it
 * through to resolution and print the timeline of record. */
#include <incident.h>
#include <stdio.h>

/* A drill clock: starts where *user says and moves on 3 minutes per reading. */
static inc_time drill_clock(void *user)
{
    inc_time *now = user;
    inc_time t = *now;
    *now += 3 * 60 * 1000;
    return t;
}

static int failed(const char *call, int rc, const char *message)
{
    fprintf(stderr, "%s: %s: %s\n", call, inc_status_name(rc), message);
    return 1;
}

int main(void)
{
    inc_time now;
    inc_context_options copts = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options decl = INC_DECLARE_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_incident *inc = NULL;
    char *timeline = NULL;
    int rc, status = 1;

    inc_time_parse("2026-11-23T14:32:00Z", &now);
    copts.clock = drill_clock; /* default: the system clock; memory store, Sev-0..4 */
    copts.clock_user = &now;
    rc = inc_context_new(&copts, &ctx);
    if (rc != INC_OK)
        return failed("inc_context_new", rc, "");

    decl.title = "Checkout error rate above 5% in eu-west";
    decl.declarer = "alice"; /* the declarer is IC until someone else is (DEC-1) */
    decl.severity = "Sev-2";
    decl.slug = "checkout-errors"; /* channel #inc-2026-11-23-checkout-errors */
    decl.criteria = INC_CRIT_CUSTOMER_VISIBLE;
    rc = inc_incident_declare(ctx, &decl, &inc);
    if (rc != INC_OK) {
        status = failed("declare", rc, inc_context_errmsg(ctx));
        goto out;
    }
    printf("declared %s in #%s\n", inc_incident_id(inc), inc_incident_channel(inc));

    /* Only the IC changes severity (AUTH-1): bob is refused, nothing changes. */
    rc = inc_incident_set_severity(inc, "bob", "Sev-1", "looks bad");
    printf("bob raises severity: %s (%s)\n", inc_status_name(rc), inc_incident_errmsg(inc));
    if (rc != INC_EPERM) {
        status = failed("bob's severity change was not refused", rc, "");
        goto out;
    }

    /* The IC staffs the response, works the incident and resolves it. */
    if ((rc = inc_incident_assign_role(inc, "alice", "carol", INC_ROLE_SCRIBE, NULL)) ||
        (rc = inc_incident_assign_role(inc, "alice", "bob", INC_ROLE_SME, "database")) ||
        (rc = inc_incident_set_state(inc, "alice", INC_STATE_INVESTIGATING, NULL)) ||
        (rc = inc_incident_set_severity(inc, "alice", "Sev-1", "US checkout failing too")) ||
        (rc = inc_incident_note(inc, "bob", "eu-west db primary at 95% CPU since 14:30 deploy")) ||
        (rc = inc_incident_set_state(inc, "alice", INC_STATE_MITIGATING, "rolling back")) ||
        (rc = inc_incident_set_state(inc, "alice", INC_STATE_MONITORING, "rollback done")) ||
        (rc = inc_incident_set_state(inc, "alice", INC_STATE_RESOLVED,
                                     "error rate under 0.1% for 15 minutes"))) {
        status = failed("update", rc, inc_incident_errmsg(inc));
        goto out;
    }

    rc = inc_incident_render_timeline(inc, &timeline, NULL);
    if (rc != INC_OK) {
        status = failed("render", rc, inc_incident_errmsg(inc));
        goto out;
    }
    printf("%s is %s at %s\n\n%s", inc_incident_id(inc), inc_state_name(inc_incident_state(inc)),
           inc_incident_severity(inc), timeline);
    status = 0;
out:
    inc_free(timeline);
    inc_incident_free(inc);
    inc_context_free(ctx);
    return status;
}
