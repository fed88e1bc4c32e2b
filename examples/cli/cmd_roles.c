/* incident(1): assign, release, roles, handoff, confirm: staffing and the
 * IC hand-off (ROLE-1..ROLE-12). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Findings that name `person` (NULL: all), for a person to read. */
static void print_person_findings(const inc_findings *list, const char *person)
{
    size_t i, n = inc_findings_count(list);
    for (i = 0; i < n; i++) {
        const inc_finding *f = inc_findings_at(list, i);
        int mine = !person;
        size_t k;
        for (k = 0; k < f->people_count && k < 2; k++)
            if (f->people[k] && strcmp(f->people[k], person) == 0)
                mine = 1;
        if (mine)
            printf("  %s%s: %s\n", f->enforced ? "rule broken, recorded (advisory): " : "",
                   f->rule_id, cli_finding_text(f));
    }
}

static void roles_json(cli *c, const inc_incident *inc, const inc_findings *findings, int history)
{
    size_t i, n = history ? inc_incident_assignment_count(inc) : 0;
    int r;
    jw w;
    cli_json_start(c, &w);
    cli_json_incident_fields(&w, inc);
    jw_kstr(&w, "handoff_to", inc_incident_handoff_to(inc));
    jw_key(&w, "roles");
    jw_arr(&w);
    for (r = 0; r < INC_ROLE_COUNT; r++)
        for (i = 0; i < inc_incident_role_holder_count(inc, (inc_role)r); i++) {
            const inc_assignment *as = inc_incident_role_holder(inc, (inc_role)r, i);
            if (!as)
                continue;
            jw_obj(&w);
            jw_kstr(&w, "role", inc_role_name(as->role));
            jw_kstr(&w, "person", as->person);
            jw_kstr(&w, "domain", as->domain);
            jw_kstr(&w, "assigned_by", as->assigned_by);
            jw_ktime(&w, "since", as->assigned_at);
            jw_end_obj(&w);
        }
    jw_end_arr(&w);
    if (history) {
        jw_key(&w, "history");
        jw_arr(&w);
        for (i = 0; i < n; i++) {
            const inc_assignment *as = inc_incident_assignment(inc, i);
            jw_obj(&w);
            jw_kstr(&w, "role", inc_role_name(as->role));
            jw_kstr(&w, "person", as->person);
            jw_kstr(&w, "domain", as->domain);
            jw_ktime(&w, "from", as->assigned_at);
            jw_ktime(&w, "until", as->released_at);
            jw_end_obj(&w);
        }
        jw_end_arr(&w);
    }
    jw_key(&w, "findings");
    jw_findings(&w, findings);
    jw_end_obj(&w);
    jw_finish(&w);
}

static void roles_text(const inc_incident *inc, const inc_findings *findings, int history)
{
    size_t i, n = inc_incident_assignment_count(inc);
    char b1[32], b2[32];
    int r;
    printf("%s (%s, %s), IC %s\n", inc_incident_id(inc), inc_incident_severity(inc),
           inc_state_name(inc_incident_state(inc)), inc_incident_ic(inc));
    for (r = 0; r < INC_ROLE_COUNT; r++)
        for (i = 0; i < inc_incident_role_holder_count(inc, (inc_role)r); i++) {
            const inc_assignment *as = inc_incident_role_holder(inc, (inc_role)r, i);
            if (as)
                printf("  %-28s %s%s%s%s since %s\n", inc_role_title(as->role), as->person,
                       as->domain ? " (" : "", as->domain ? as->domain : "", as->domain ? ")" : "",
                       cli_time(as->assigned_at, b1, sizeof(b1)));
        }
    if (inc_incident_handoff_to(inc))
        printf("  hand-off pending to %s\n", inc_incident_handoff_to(inc));
    if (history) {
        printf("History:\n");
        for (i = 0; i < n; i++) {
            const inc_assignment *as = inc_incident_assignment(inc, i);
            printf("  %-24s %-28s %s .. %s\n", as->person, inc_role_title(as->role),
                   cli_time(as->assigned_at, b1, sizeof(b1)),
                   as->released_at == INC_TIME_NONE ? "now"
                                                    : cli_time(as->released_at, b2, sizeof(b2)));
        }
    }
    if (inc_findings_count(findings)) {
        printf("Findings (ROLE-11):\n");
        cli_print_findings(stdout, findings, "  ");
    } else {
        printf("No findings: staffing and role combinations meet %s.\n",
               inc_incident_severity(inc));
    }
}

int cmd_roles(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"history", 0, 0}, {"check", 0, 0}};
    inc_incident *inc = NULL;
    inc_findings *findings = NULL;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_STORE_RO);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        return rc;
    if ((rc = inc_incident_check_roles(inc, &findings)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (c->json)
        roles_json(c, inc, findings, cli_opt_given(&a, "history"));
    else
        roles_text(inc, findings, cli_opt_given(&a, "history"));
    rc = cli_opt_given(&a, "check") && inc_findings_count(findings) ? CLI_EXIT_FINDINGS
                                                                    : CLI_EXIT_OK;
out:
    inc_findings_free(findings);
    inc_incident_free(inc);
    return rc;
}

/* assign and release share their arguments: ID PERSON ROLE [--domain D]. */
static int assign_or_release(cli *c, int argc, char **argv, int assign)
{
    static const cli_opt opts[] = {{"domain", 'd', 1}};
    inc_incident *inc = NULL;
    inc_findings *findings = NULL;
    const char *domain;
    inc_role role;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 3, 3, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_parse_role(c, a.pos[2], &role)) != CLI_EXIT_OK)
        return rc;
    if (role == INC_ROLE_IC)
        return cli_fail(c, INC_EINVAL,
                        "the IC changes only by a hand-off (ROLE-2): use incident handoff");
    domain = cli_opt_value(&a, "domain");
    if ((rc = cli_open(c, CLI_STORE_RW)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        return rc;
    rc = assign ? inc_incident_assign_role(inc, c->by, a.pos[1], role, domain)
                : inc_incident_release_role(inc, c->by, a.pos[1], role, domain);
    if (rc != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (inc_incident_check_roles(inc, &findings) != INC_OK)
        findings = NULL;
    if (c->json) {
        jw w;
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        jw_kstr(&w, "person", a.pos[1]);
        jw_kstr(&w, "role", inc_role_name(role));
        jw_kstr(&w, "domain", domain);
        jw_key(&w, "findings");
        jw_findings(&w, findings);
        jw_end_obj(&w);
        jw_finish(&w);
    } else {
        printf("%s: %s %s %s %s%s%s%s\n", inc_incident_id(inc), c->by,
               assign ? "assigned" : "released", a.pos[1], assign ? "as " : "from ",
               inc_role_title(role), domain ? " for " : "", domain ? domain : "");
        print_person_findings(findings, assign ? a.pos[1] : NULL);
    }
    rc = CLI_EXIT_OK;
out:
    inc_findings_free(findings);
    inc_incident_free(inc);
    return rc;
}

int cmd_assign(cli *c, int argc, char **argv)
{
    return assign_or_release(c, argc, argv, 1);
}

int cmd_release(cli *c, int argc, char **argv)
{
    return assign_or_release(c, argc, argv, 0);
}

static void print_pending_decisions(const inc_incident *inc)
{
    size_t i, n = inc_incident_decision_count(inc);
    if (!inc_incident_decision_pending_count(inc))
        return;
    printf("Open decisions handed over (CAN-3):\n");
    for (i = 0; i < n; i++) {
        inc_decision_info d;
        if (inc_incident_get_decision(inc, i, &d) == INC_OK && d.status == INC_DECISION_PENDING)
            printf("  #%llu %s (asked by %s)\n", (unsigned long long)d.id, d.text, d.requested_by);
    }
}

int cmd_handoff(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"conditions", 'c', 1}, {"actions", 'a', 1}, {"needs", 'n', 1}, {"cancel", 0, 0}};
    const char *cond, *act, *needs;
    char *o1 = NULL, *o2 = NULL, *o3 = NULL;
    inc_incident *inc = NULL;
    int cancel;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    cancel = cli_opt_given(&a, "cancel");
    if (!cancel && a.npos != 2)
        return cli_usage(c, "give the incident and the incoming IC (see: incident handoff --help)");
    if ((rc = cli_text_opt(c, &a, "conditions", &cond, &o1)) ||
        (rc = cli_text_opt(c, &a, "actions", &act, &o2)) ||
        (rc = cli_text_opt(c, &a, "needs", &needs, &o3)) || (rc = cli_open(c, CLI_STORE_RW)) ||
        (rc = cli_open_incident(c, a.pos[0], &inc)))
        goto out;
    if (cancel) {
        char *reason = NULL;
        if (a.npos > 1 && (rc = cli_join_text(c, &a, 1, &reason)) != CLI_EXIT_OK)
            goto out;
        rc = inc_incident_cancel_handoff(inc, c->by, reason);
        free(reason);
    } else {
        rc = inc_incident_handoff(inc, c->by, a.pos[1], cond, act, needs);
    }
    if (rc != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (c->json) {
        jw w;
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        jw_kstr(&w, "handoff_to", inc_incident_handoff_to(inc));
        jw_kint(&w, "pending_decisions", (long long)inc_incident_decision_pending_count(inc));
        jw_end_obj(&w);
        jw_finish(&w);
    } else if (cancel) {
        printf("%s: hand-off withdrawn; %s remains IC\n", inc_incident_id(inc),
               inc_incident_ic(inc));
    } else {
        printf("%s: hand-off started: %s -> %s (event %llu)\n", inc_incident_id(inc),
               inc_incident_ic(inc), a.pos[1], (unsigned long long)inc_incident_handoff_seq(inc));
        printf("  %s remains IC until %s confirms: incident confirm %s --by %s\n",
               inc_incident_ic(inc), a.pos[1], inc_incident_id(inc), a.pos[1]);
        print_pending_decisions(inc);
    }
    rc = CLI_EXIT_OK;
out:
    free(o1);
    free(o2);
    free(o3);
    inc_incident_free(inc);
    return rc;
}

int cmd_confirm(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"decline", 0, 1}};
    inc_incident *inc = NULL;
    const char *decline;
    char outgoing[INC_NAME_MAX + 1];
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_STORE_RW);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        return rc;
    snprintf(outgoing, sizeof(outgoing), "%s", inc_incident_ic(inc));
    decline = cli_opt_value(&a, "decline");
    rc = decline ? inc_incident_cancel_handoff(inc, c->by, decline)
                 : inc_incident_confirm_handoff(inc, c->by);
    if (rc != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    if (c->json) {
        jw w;
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        jw_kstr(&w, "previous_ic", outgoing);
        jw_end_obj(&w);
        jw_finish(&w);
    } else if (decline) {
        printf("%s: %s declined the hand-off; %s remains IC\n", inc_incident_id(inc), c->by,
               inc_incident_ic(inc));
    } else {
        printf("%s: %s is now IC (took over from %s)\n", inc_incident_id(inc), inc_incident_ic(inc),
               outgoing);
        print_pending_decisions(inc);
    }
    rc = CLI_EXIT_OK;
out:
    inc_incident_free(inc);
    return rc;
}
