/* incident(1): declare, show (list: cmd_list.c). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    unsigned bit;
} criteria_names[] = {
    {"customer-visible", INC_CRIT_CUSTOMER_VISIBLE},
    {"internal-blocked", INC_CRIT_INTERNAL_BLOCKED},
    {"security", INC_CRIT_SECURITY},
    {"data-loss", INC_CRIT_DATA_LOSS},
    {"regulatory", INC_CRIT_REGULATORY},
    {"unknown", INC_CRIT_UNKNOWN},
};
#define NCRITERIA (sizeof(criteria_names) / sizeof(criteria_names[0]))

static int parse_criteria(cli *c, const char *list, unsigned *out)
{
    const char *p = list;
    *out = 0;
    while (*p) {
        size_t n = strcspn(p, ", "), i;
        for (i = 0; i < NCRITERIA; i++)
            if (strlen(criteria_names[i].name) == n && strncmp(criteria_names[i].name, p, n) == 0)
                break;
        if (n > 0 && i == NCRITERIA)
            return cli_usage(c,
                             "--criteria: unknown criterion '%.*s' (customer-visible, "
                             "internal-blocked, security, data-loss, regulatory, unknown)",
                             (int)n, p);
        if (n > 0)
            *out |= criteria_names[i].bit;
        p += n;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return CLI_EXIT_OK;
}

static void print_criteria(FILE *f, unsigned bits)
{
    size_t i;
    int first = 1;
    for (i = 0; i < NCRITERIA; i++)
        if (bits & criteria_names[i].bit) {
            fprintf(f, "%s%s", first ? "" : ", ", criteria_names[i].name);
            first = 0;
        }
    if (first)
        fputs("-", f);
}

static void json_criteria(jw *w, unsigned bits)
{
    size_t i;
    jw_key(w, "criteria");
    jw_arr(w);
    for (i = 0; i < NCRITERIA; i++)
        if (bits & criteria_names[i].bit)
            jw_str(w, criteria_names[i].name);
    jw_end_arr(w);
}

/* ---- declare --------------------------------------------------------------- */

static int declare_output(cli *c, inc_incident *inc, int quiet)
{
    const inc_rubric *r = inc_incident_rubric(inc);
    size_t lvl = inc_incident_severity_index(inc);
    const char *posture = inc_rubric_text(r, lvl, INC_LEVEL_POSTURE);
    const char *paged = inc_rubric_text(r, lvl, INC_LEVEL_PAGED);
    if (c->json) {
        jw w;
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        json_criteria(&w, inc_incident_criteria(inc));
        jw_kstr(&w, "rubric", inc_rubric_name(r));
        jw_kstr(&w, "posture", posture);
        jw_kstr(&w, "paged", paged);
        jw_end_obj(&w);
        jw_finish(&w);
    } else if (quiet) {
        printf("%s\n", inc_incident_id(inc));
    } else {
        printf("Declared %s: %s (%s%s)\n", inc_incident_id(inc), inc_incident_title(inc),
               inc_incident_severity(inc), inc_incident_is_drill(inc) ? ", drill" : "");
        printf("  channel   #%s\n", inc_incident_channel(inc));
        printf("  IC        %s (the declarer is IC until a confirmed hand-off)\n",
               inc_incident_ic(inc));
        if (posture && *posture)
            printf("  posture   %s\n", posture);
        if (paged && *paged)
            printf("  page      %s\n", paged);
    }
    return CLI_EXIT_OK;
}

int cmd_declare(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"sev", 's', 1},    {"criteria", 0, 1}, {"impact-started", 0, 1},
                                   {"detected", 0, 1}, {"drill", 0, 0},    {"slug", 0, 1},
                                   {"quiet", 'q', 0}};
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    cli_args a;
    char *title = NULL;
    const char *v;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if (!(d.severity = cli_opt_value(&a, "sev")))
        return cli_usage(c, "--sev LEVEL is required (\"Sev-2 pending more info\" is a normal "
                            "declaration)");
    if ((v = cli_opt_value(&a, "criteria")) && (rc = parse_criteria(c, v, &d.criteria)))
        return rc;
    if ((v = cli_opt_value(&a, "impact-started")) &&
        (rc = cli_parse_time(c, "--impact-started", v, &d.impact_started)))
        return rc;
    if ((v = cli_opt_value(&a, "detected")) &&
        (rc = cli_parse_time(c, "--detected", v, &d.detected)))
        return rc;
    if ((rc = cli_join_text(c, &a, 0, &title)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_open(c, CLI_STORE_CREATE)) != CLI_EXIT_OK) {
        free(title);
        return rc;
    }
    if ((rc = cli_parse_level(c, inc_context_rubric(c->ctx), d.severity, &d.severity))) {
        free(title);
        return rc;
    }
    d.title = title;
    d.declarer = c->by;
    d.drill = cli_opt_given(&a, "drill");
    d.slug = cli_opt_value(&a, "slug");
    rc = inc_incident_declare(c->ctx, &d, &inc);
    free(title);
    if (rc != INC_OK)
        return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    rc = declare_output(c, inc, cli_opt_given(&a, "quiet"));
    inc_incident_free(inc);
    return rc;
}

/* ---- show ------------------------------------------------------------------ */

static void show_roles_text(const inc_incident *inc)
{
    int r;
    size_t k;
    printf("Roles:\n");
    for (r = 0; r < INC_ROLE_COUNT; r++) {
        size_t n = inc_incident_role_holder_count(inc, (inc_role)r);
        for (k = 0; k < n; k++) {
            const inc_assignment *as = inc_incident_role_holder(inc, (inc_role)r, k);
            if (!as)
                continue;
            cli_printf_wrapped(0, 31, "  %-28s %s%s%s%s", inc_role_title((inc_role)r),
                               cli_safe(as->person), as->domain ? " (" : "",
                               as->domain ? cli_safe(as->domain) : "", as->domain ? ")" : "");
        }
    }
    if (inc_incident_handoff_to(inc))
        cli_printf_wrapped(
            0, 4, "  hand-off pending: %s -> %s (confirm with: incident confirm %s --by %s)",
            cli_safe(inc_incident_ic(inc)), cli_safe(inc_incident_handoff_to(inc)),
            inc_incident_id(inc), cli_safe(inc_incident_handoff_to(inc)));
}

static void show_comms_text(const inc_incident *inc)
{
    int au;
    size_t i, n = inc_incident_decision_count(inc);
    char b1[32], b2[32], dur[32];
    printf("Updates (cadence, last, next due):\n");
    for (au = 0; au < INC_AUDIENCE_COUNT; au++) {
        inc_cadence_info ci;
        if (inc_incident_get_cadence(inc, (inc_audience)au, &ci) != INC_OK)
            continue;
        cli_format_duration(ci.every_ms, dur, sizeof(dur));
        cli_printf_wrapped(0, 12, "  %-9s every %-9s last %-18s next %s%s%s%s",
                           inc_audience_name((inc_audience)au), dur,
                           cli_time(ci.last_update, b1, sizeof(b1)),
                           cli_time(ci.next_due, b2, sizeof(b2)), cli_sgr(stdout, CLI_RED),
                           ci.overdue ? "  OVERDUE" : "", cli_sgr(stdout, CLI_RESET));
    }
    if (inc_incident_decision_pending_count(inc))
        printf("Pending decisions (CAN-3):\n");
    for (i = 0; i < n; i++) {
        inc_decision_info d;
        if (inc_incident_get_decision(inc, i, &d) == INC_OK && d.status == INC_DECISION_PENDING)
            cli_printf_wrapped(0, 4, "  #%llu %s (asked by %s)", (unsigned long long)d.id,
                               cli_safe(d.text), cli_safe(d.requested_by));
    }
    n = inc_incident_deadline_clock_count(inc);
    for (i = 0; i < n; i++) {
        inc_deadline_clock dl;
        if (inc_incident_get_deadline_clock(inc, i, &dl) == INC_OK)
            printf("Clock %s: %s, deadline %s%s\n", cli_safe(dl.name),
                   inc_deadline_clock_status_name(dl.status), cli_time(dl.deadline, b1, sizeof(b1)),
                   dl.overdue ? "  OVERDUE" : "");
    }
}

static void show_text(const inc_incident *inc)
{
    char b[32];
    cli_printf_wrapped(0, 4, "%s%s%s: %s", cli_sgr(stdout, CLI_BOLD), inc_incident_id(inc),
                       cli_sgr(stdout, CLI_RESET), cli_safe(inc_incident_title(inc)));
    printf("  severity      %s\n", inc_incident_severity(inc));
    printf("  state         %s\n", inc_state_name(inc_incident_state(inc)));
    cli_printf_wrapped(0, 16, "  IC            %s", cli_safe(inc_incident_ic(inc)));
    printf("  channel       #%s\n", inc_incident_channel(inc));
    cli_printf_wrapped(
        0, 16, "  declared      %s by %s%s", cli_time(inc_incident_declared_at(inc), b, sizeof(b)),
        cli_safe(inc_incident_declarer(inc)), inc_incident_is_drill(inc) ? " (drill)" : "");
    printf("  criteria      ");
    print_criteria(stdout, inc_incident_criteria(inc));
    printf("\n  impact from   %s\n", cli_time(inc_incident_impact_started(inc), b, sizeof(b)));
    printf("  detected      %s\n", cli_time(inc_incident_detected(inc), b, sizeof(b)));
    printf("  acknowledged  %s\n", cli_time(inc_incident_acknowledged_at(inc), b, sizeof(b)));
    printf("  mitigated     %s\n", cli_time(inc_incident_mitigated_at(inc), b, sizeof(b)));
    printf("  resolved      %s\n", cli_time(inc_incident_resolved_at(inc), b, sizeof(b)));
    if (inc_incident_reopen_count(inc))
        printf("  reopened      %s (%u time%s, LIFE-4)\n",
               cli_time(inc_incident_reopened_at(inc), b, sizeof(b)),
               inc_incident_reopen_count(inc), inc_incident_reopen_count(inc) == 1 ? "" : "s");
    printf("  rubric        %s\n", inc_rubric_name(inc_incident_rubric(inc)));
    printf("  events        %llu\n", (unsigned long long)inc_incident_last_seq(inc));
    show_roles_text(inc);
    show_comms_text(inc);
    cli_print_links(inc);
    cli_print_fields(inc);
}

static void show_json(cli *c, const inc_incident *inc)
{
    jw w;
    int r, au;
    size_t k;
    cli_json_start(c, &w);
    cli_json_incident_fields(&w, inc);
    json_criteria(&w, inc_incident_criteria(inc));
    jw_kstr(&w, "rubric", inc_rubric_name(inc_incident_rubric(inc)));
    jw_ktime(&w, "impact_started", inc_incident_impact_started(inc));
    jw_ktime(&w, "detected", inc_incident_detected(inc));
    jw_ktime(&w, "acknowledged_at", inc_incident_acknowledged_at(inc));
    jw_ktime(&w, "mitigated_at", inc_incident_mitigated_at(inc));
    jw_ktime(&w, "resolved_at", inc_incident_resolved_at(inc));
    jw_ktime(&w, "reopened_at", inc_incident_reopened_at(inc));
    jw_kint(&w, "reopen_count", inc_incident_reopen_count(inc));
    jw_kstr(&w, "handoff_to", inc_incident_handoff_to(inc));
    cli_json_links(&w, inc);
    cli_json_fields(&w, inc);
    jw_key(&w, "roles");
    jw_arr(&w);
    for (r = 0; r < INC_ROLE_COUNT; r++)
        for (k = 0; k < inc_incident_role_holder_count(inc, (inc_role)r); k++) {
            const inc_assignment *as = inc_incident_role_holder(inc, (inc_role)r, k);
            if (!as)
                continue;
            jw_obj(&w);
            jw_kstr(&w, "role", inc_role_name((inc_role)r));
            jw_kstr(&w, "person", as->person);
            jw_kstr(&w, "domain", as->domain);
            jw_ktime(&w, "since", as->assigned_at);
            jw_end_obj(&w);
        }
    jw_end_arr(&w);
    jw_key(&w, "cadence");
    jw_obj(&w);
    for (au = 0; au < INC_AUDIENCE_COUNT; au++) {
        inc_cadence_info ci;
        if (inc_incident_get_cadence(inc, (inc_audience)au, &ci) != INC_OK)
            continue;
        jw_key(&w, inc_audience_name((inc_audience)au));
        jw_obj(&w);
        jw_kint(&w, "every_ms", ci.every_ms == INC_DURATION_NONE ? -1 : ci.every_ms);
        jw_ktime(&w, "last_update", ci.last_update);
        jw_ktime(&w, "next_due", ci.next_due);
        jw_kbool(&w, "overdue", ci.overdue);
        jw_end_obj(&w);
    }
    jw_end_obj(&w);
    jw_kint(&w, "pending_decisions", (long long)inc_incident_decision_pending_count(inc));
    jw_kint(&w, "can_reports", (long long)inc_incident_can_count(inc));
    jw_kint(&w, "status_updates", (long long)inc_incident_update_count(inc));
    jw_kint(&w, "pages", (long long)inc_incident_page_count(inc));
    jw_end_obj(&w);
    jw_finish(&w);
}

int cmd_show(cli *c, int argc, char **argv)
{
    inc_incident *inc = NULL;
    cli_args a;
    int rc = cli_start(c, NULL, 0, argc, argv, &a, 1, 1, CLI_STORE_RO);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        return rc;
    if (c->json)
        show_json(c, inc);
    else
        show_text(inc);
    inc_incident_free(inc);
    return CLI_EXIT_OK;
}
