/* incident(1): can, lint, update, cadence: CAN reports and status updates
 * (CAN-1..CAN-4, COMM-1..COMM-4). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Print a findings list; for text lint, quote the offending words. */
/* --lint-config FILE: a team's lint words (lib/docs/lint-config.md).
 * A bad file is named with its line ("team.lint:3: unknown key"). */
static int load_lint_config(cli *c, const char *path, inc_lint_config **out)
{
    char *text = NULL, msg[4400], prefix[32];
    const char *shown;
    size_t len = 0, plen;
    inc_diag diag;
    int rc;
    *out = NULL;
    if (!path)
        return CLI_EXIT_OK;
    if ((rc = cli_read_file(c, path, &text, &len)) != CLI_EXIT_OK)
        return rc;
    memset(&diag, 0, sizeof(diag));
    rc = inc_lint_config_parse(NULL, text, len, out, &diag);
    free(text);
    if (rc == INC_OK)
        return CLI_EXIT_OK;
    shown = diag.message[0] ? diag.message : inc_strerror(rc);
    plen = (size_t)snprintf(prefix, sizeof(prefix), "line %u: ", diag.line);
    if (diag.line && strncmp(shown, prefix, plen) == 0)
        shown += plen;
    if (diag.line)
        snprintf(msg, sizeof(msg), "%s:%u: %s", path, diag.line, shown);
    else
        snprintf(msg, sizeof(msg), "%s: %s", path, shown);
    return cli_fail(c, rc, msg);
}

/* --lint-config FILE on a command that records: every lint of the
 * context uses it; context_lint_config_done() unsets and frees it. */
static int context_lint_config(cli *c, const cli_args *a, inc_lint_config **cfg)
{
    int rc = load_lint_config(c, cli_opt_value(a, "lint-config"), cfg);
    if (rc == CLI_EXIT_OK && *cfg)
        inc_context_set_lint_config(c->ctx, *cfg);
    return rc;
}

static void context_lint_config_done(cli *c, inc_lint_config *cfg)
{
    if (cfg && c->ctx)
        inc_context_set_lint_config(c->ctx, NULL);
    inc_lint_config_free(cfg);
}

static void print_lint(const inc_findings *list, const char *const *slots, size_t nslots)
{
    size_t i, n = inc_findings_count(list);
    for (i = 0; i < n; i++) {
        const inc_finding *f = inc_findings_at(list, i);
        const char *text = f->slot >= 0 && (size_t)f->slot < nslots ? slots[f->slot] : NULL;
        printf("  %s: %s\n", f->rule_id, cli_finding_text(f));
        if (text && f->length > 0 && f->offset + f->length <= strlen(text))
            printf("      \"%.*s\"\n", (int)f->length, text + f->offset);
    }
}

static int can_text_opts(cli *c, const cli_args *a, const char **s, char **owned)
{
    int rc;
    if ((rc = cli_text_opt(c, a, "conditions", &s[0], &owned[0])) ||
        (rc = cli_text_opt(c, a, "actions", &s[1], &owned[1])) ||
        (rc = cli_text_opt(c, a, "needs", &s[2], &owned[2])))
        return rc;
    return CLI_EXIT_OK;
}

/* ---- can ------------------------------------------------------------------- */

static void can_output(cli *c, inc_incident *inc, const inc_findings *findings, uint64_t seq)
{
    size_t i, n = inc_incident_can_count(inc);
    inc_can_info info;
    memset(&info, 0, sizeof(info));
    for (i = n; i > 0; i--)
        if (inc_incident_get_can(inc, i - 1, &info) == INC_OK && info.seq == seq)
            break;
    if (c->json) {
        jw w;
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        jw_kint(&w, "seq", (long long)seq);
        jw_kstr(&w, "kind", inc_can_kind_name(info.kind));
        jw_kstr(&w, "author", info.author);
        jw_kstr(&w, "addressee", info.addressee);
        jw_key(&w, "findings");
        jw_findings(&w, findings);
        jw_key(&w, "decisions");
        jw_arr(&w);
        for (i = 0; i < info.decision_count; i++)
            jw_int(&w, (long long)(info.first_decision + i));
        jw_end_arr(&w);
        jw_end_obj(&w);
        jw_finish(&w);
        return;
    }
    printf("%s: CAN report (%s) from %s to %s recorded as event %llu\n", inc_incident_id(inc),
           inc_can_kind_name(info.kind), info.author, info.addressee, (unsigned long long)seq);
    if (inc_findings_count(findings)) {
        const char *slots[3] = {info.conditions, info.actions, info.needs};
        printf("Lint (CAN-2), recorded with the report:\n");
        print_lint(findings, slots, 3);
    }
    for (i = 0; i < info.decision_count; i++) {
        inc_decision_info d;
        if (inc_incident_get_decision(inc, (size_t)(info.first_decision + i - 1), &d) == INC_OK)
            printf("Pending decision #%llu for the IC (CAN-3): %s\n", (unsigned long long)d.id,
                   d.text);
    }
}

struct can_change {
    const char *by;
    const inc_can_report *rep;
    inc_findings **findings;
    uint64_t *seq;
};

static int add_can(inc_incident *inc, void *arg)
{
    const struct can_change *x = arg;
    inc_findings_free(*x->findings); /* from a try that lost a race */
    *x->findings = NULL;
    return inc_incident_add_can(inc, x->by, x->rep, x->findings, x->seq);
}

int cmd_can(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"conditions", 'c', 1}, {"actions", 'a', 1},
                                   {"needs", 'n', 1},      {"kind", 'k', 1},
                                   {"to", 0, 1},           {"lint-config", 0, 1}};
    inc_can_report rep = INC_CAN_REPORT_INIT;
    inc_lint_config *cfg = NULL;
    inc_findings *findings = NULL;
    inc_incident *inc = NULL;
    const char *s[3], *kind;
    char *owned[3] = {NULL, NULL, NULL};
    uint64_t seq = 0;
    struct can_change change;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((kind = cli_opt_value(&a, "kind")) && inc_can_kind_from_name(kind, &rep.kind) != INC_OK)
        return cli_usage(c,
                         "--kind: unknown kind '%s' (sme-to-ic, top-of-hour, handoff, "
                         "escalation)",
                         kind);
    if ((rc = can_text_opts(c, &a, s, owned)) || (rc = cli_open(c, CLI_STORE_RW)) ||
        (rc = context_lint_config(c, &a, &cfg)) || (rc = cli_open_incident(c, a.pos[0], &inc)))
        goto out;
    rep.addressee = cli_opt_value(&a, "to");
    rep.conditions = s[0];
    rep.actions = s[1];
    rep.needs = s[2];
    change.by = c->by;
    change.rep = &rep;
    change.findings = &findings;
    change.seq = &seq;
    /* A report means the same whatever was appended before it: safe to retry. */
    if ((rc = cli_retry_change(c, inc, add_can, &change)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    can_output(c, inc, findings, seq);
    rc = CLI_EXIT_OK;
out:
    inc_findings_free(findings);
    inc_incident_free(inc);
    context_lint_config_done(c, cfg);
    free(owned[0]);
    free(owned[1]);
    free(owned[2]);
    return rc;
}

/* ---- lint ------------------------------------------------------------------ */

static int lint_result(cli *c, const char *what, const inc_findings *list, const char *const *slots,
                       size_t nslots)
{
    size_t n = inc_findings_count(list);
    if (c->json) {
        jw w;
        cli_json_start(c, &w);
        jw_kstr(&w, "what", what);
        jw_kbool(&w, "clean", n == 0);
        jw_key(&w, "findings");
        jw_findings(&w, list);
        jw_end_obj(&w);
        jw_finish(&w);
    } else if (n == 0) {
        printf("%s: clean\n", what);
    } else {
        printf("%s: %zu finding%s\n", what, n, n == 1 ? "" : "s");
        print_lint(list, slots, nslots);
    }
    return n ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

int cmd_lint(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"conditions", 'c', 1}, {"actions", 'a', 1},
                                   {"needs", 'n', 1},      {"state", 0, 1},
                                   {"components", 0, 1},   {"lint-config", 0, 1}};
    inc_lint_config *cfg = NULL;
    inc_findings *list = NULL;
    const char *s[3], *state;
    char *owned[3] = {NULL, NULL, NULL}, *body = NULL;
    inc_state st = INC_STATE_INVESTIGATING;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((rc = load_lint_config(c, cli_opt_value(&a, "lint-config"), &cfg)) != CLI_EXIT_OK)
        goto out;
    if (strcmp(a.pos[0], "can") == 0) {
        if ((rc = cli_need_pos(c, &a, 1, 1)) || (rc = can_text_opts(c, &a, s, owned)))
            goto out;
        if ((rc = inc_can_lint_with(s[0], s[1], s[2], cfg, NULL, &list)) != INC_OK) {
            rc = cli_fail(c, rc, "the report is not valid UTF-8 or too long");
            goto out;
        }
        rc = lint_result(c, "CAN report", list, s, 3);
    } else if (strcmp(a.pos[0], "update") == 0) {
        if ((state = cli_opt_value(&a, "state")) && (rc = cli_parse_state(c, state, &st)))
            goto out;
        if ((rc = cli_need_pos(c, &a, 2, -1)) || (rc = cli_join_text(c, &a, 1, &body)))
            goto out;
        if ((rc = inc_update_lint_with(body, st, cli_opt_value(&a, "components"), cfg, NULL,
                                       &list)) != INC_OK) {
            rc = cli_fail(c, rc, "the update is not valid UTF-8 or too long");
            goto out;
        }
        s[0] = body;
        rc = lint_result(c, "external update", list, s, 1);
    } else if (strcmp(a.pos[0], "postmortem") == 0) {
        if ((rc = cli_need_pos(c, &a, 2, -1)) || (rc = cli_join_text(c, &a, 1, &body)))
            goto out;
        if ((rc = inc_postmortem_lint_with(body, cfg, NULL, &list)) != INC_OK) {
            rc = cli_fail(c, rc, "the text is not valid UTF-8 or too long");
            goto out;
        }
        s[0] = body;
        rc = lint_result(c, "postmortem text", list, s, 1);
    } else {
        rc = cli_usage(c, "lint what? can, update or postmortem (see: incident lint --help)");
    }
out:
    inc_findings_free(list);
    inc_lint_config_free(cfg);
    free(body);
    free(owned[0]);
    free(owned[1]);
    free(owned[2]);
    return rc;
}

/* ---- update ---------------------------------------------------------------- */

static int parse_comms(cli *c, const char *list, unsigned *out)
{
    const char *p = list;
    *out = 0;
    while (*p) {
        size_t n = strcspn(p, ", ");
        int k, found = 0;
        for (k = 0; k < INC_COMM_COUNT; k++) {
            const char *name = inc_comm_kind_name((inc_comm_kind)k);
            if (n && strlen(name) == n && strncmp(name, p, n) == 0)
                *out |= INC_COMM_BIT(k), found = 1;
        }
        if (n && !found)
            return cli_usage(c,
                             "--comms: unknown '%.*s' (status_page, customer_email, "
                             "exec_notify)",
                             (int)n, p);
        p += n;
        while (*p == ',' || *p == ' ')
            p++;
    }
    return CLI_EXIT_OK;
}

static const char *const template_names[] = {"first", "heartbeat", "mitigated", "resolved"};

/* --template NAME --scope S [--symptom S] [--next TIME]: render the body. */
static int render_template(cli *c, const cli_args *a, inc_incident *inc, char **body)
{
    inc_template_vars vars = INC_TEMPLATE_VARS_INIT;
    const char *name = cli_opt_value(a, "template"), *next = cli_opt_value(a, "next");
    size_t k;
    int rc;
    for (k = 0; k < 4; k++)
        if (strcmp(name, template_names[k]) == 0)
            break;
    if (k == 4)
        return cli_usage(c, "--template: unknown '%s' (first, heartbeat, mitigated, resolved)",
                         name);
    vars.scope = cli_opt_value(a, "scope");
    vars.symptom = cli_opt_value(a, "symptom");
    if (next && (rc = cli_parse_time(c, "--next", next, &vars.next_update)) != CLI_EXIT_OK)
        return rc;
    if ((rc = inc_incident_render_template(inc, (inc_template)k, &vars, body, NULL)) != INC_OK)
        return cli_fail_inc(c, rc, inc);
    return CLI_EXIT_OK;
}

static void update_output(cli *c, inc_incident *inc, const inc_update *u,
                          const inc_findings *findings, uint64_t seq, int statuspage)
{
    size_t idx = inc_incident_update_count(inc) - 1;
    char *sp = NULL;
    if (statuspage && u->audience == INC_AUDIENCE_EXTERNAL &&
        inc_incident_update_statuspage_json(inc, idx, NULL, &sp, NULL) != INC_OK)
        sp = NULL;
    if (c->json) {
        jw w;
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        jw_kint(&w, "seq", (long long)seq);
        jw_kstr(&w, "audience", inc_audience_name(u->audience));
        jw_kstr(&w, "body", u->body);
        jw_key(&w, "findings");
        jw_findings(&w, findings);
        if (sp) {
            jw_key(&w, "statuspage");
            jw_raw(&w, sp);
        }
        jw_end_obj(&w);
        jw_finish(&w);
    } else {
        printf("%s: %s update recorded as event %llu:\n  %s\n", inc_incident_id(inc),
               inc_audience_name(u->audience), (unsigned long long)seq, u->body);
        if (inc_findings_count(findings)) {
            const char *slots[1] = {u->body};
            printf("Findings, recorded with the update:\n");
            print_lint(findings, slots, 1);
        }
        if (sp)
            printf("Statuspage:\n%s\n", sp);
    }
    inc_free(sp);
}

struct update_change {
    const char *by;
    const inc_update *u;
    inc_findings **findings;
    uint64_t *seq;
};

static int add_update(inc_incident *inc, void *arg)
{
    const struct update_change *x = arg;
    inc_findings_free(*x->findings); /* from a try that lost a race */
    *x->findings = NULL;
    return inc_incident_add_update(inc, x->by, x->u, x->findings, x->seq);
}

int cmd_update(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"components", 0, 1}, {"comms", 0, 1},      {"template", 't', 1},
        {"scope", 0, 1},      {"symptom", 0, 1},    {"next", 0, 1},
        {"dry-run", 0, 0},    {"statuspage", 0, 0}, {"lint-config", 0, 1}};
    inc_update u = INC_UPDATE_INIT;
    inc_lint_config *cfg = NULL;
    inc_findings *findings = NULL;
    inc_incident *inc = NULL;
    char *body = NULL, *rendered = NULL;
    const char *comms;
    uint64_t seq = 0;
    struct update_change change;
    cli_args a;
    int templ, rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 2, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    templ = cli_opt_given(&a, "template");
    if (inc_audience_from_name(a.pos[1], &u.audience) != INC_OK)
        return cli_usage(c, "unknown audience '%s' (external, internal, response)", a.pos[1]);
    if (templ ? a.npos != 2 : a.npos < 3)
        return cli_usage(c, templ ? "give a --template or a text, not both"
                                  : "missing text (or --template NAME --scope SCOPE)");
    if ((comms = cli_opt_value(&a, "comms")) && (rc = parse_comms(c, comms, &u.comms)))
        return rc;
    if ((rc = cli_open(c, cli_opt_given(&a, "dry-run") ? CLI_STORE_RO : CLI_STORE_RW)) ||
        (rc = context_lint_config(c, &a, &cfg)) || (rc = cli_open_incident(c, a.pos[0], &inc)))
        goto out;
    if (templ ? (rc = render_template(c, &a, inc, &rendered))
              : (rc = cli_join_text(c, &a, 2, &body)))
        goto out;
    u.body = templ ? rendered : body;
    u.components = cli_opt_value(&a, "components");
    if (cli_opt_given(&a, "dry-run")) {
        if (c->json) {
            jw w;
            cli_json_start(c, &w);
            jw_kstr(&w, "audience", inc_audience_name(u.audience));
            jw_kstr(&w, "body", u.body);
            jw_end_obj(&w);
            jw_finish(&w);
        } else {
            printf("%s\n", u.body);
        }
        rc = CLI_EXIT_OK;
        goto out;
    }
    change.by = c->by;
    change.u = &u;
    change.findings = &findings;
    change.seq = &seq;
    /* A status update is sent whatever was appended before it: safe to retry. */
    if ((rc = cli_retry_change(c, inc, add_update, &change)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
        goto out;
    }
    update_output(c, inc, &u, findings, seq, cli_opt_given(&a, "statuspage"));
    rc = CLI_EXIT_OK;
out:
    inc_findings_free(findings);
    inc_incident_free(inc);
    context_lint_config_done(c, cfg);
    inc_free(rendered);
    free(body);
    return rc;
}

/* ---- cadence --------------------------------------------------------------- */

static void cadence_output(cli *c, const inc_incident *inc)
{
    char dur[32], b1[32], b2[32];
    int au;
    jw w;
    if (c->json) {
        cli_json_start(c, &w);
        jw_kstr(&w, "id", inc_incident_id(inc));
        jw_key(&w, "cadence");
        jw_obj(&w);
    } else {
        printf("%s (%s, %s)\n", inc_incident_id(inc), inc_incident_severity(inc),
               inc_state_name(inc_incident_state(inc)));
    }
    for (au = 0; au < INC_AUDIENCE_COUNT; au++) {
        inc_cadence_info ci;
        if (inc_incident_get_cadence(inc, (inc_audience)au, &ci) != INC_OK)
            continue;
        if (c->json) {
            jw_key(&w, inc_audience_name(ci.audience));
            jw_obj(&w);
            jw_kstr(&w, "writer", inc_role_name(ci.writer));
            jw_kint(&w, "every_ms", ci.every_ms == INC_DURATION_NONE ? -1 : ci.every_ms);
            jw_kbool(&w, "set_by_ic", ci.set_by_ic);
            jw_ktime(&w, "last_update", ci.last_update);
            jw_ktime(&w, "next_due", ci.next_due);
            jw_kbool(&w, "overdue", ci.overdue);
            jw_kint(&w, "late_ms", (long long)ci.late_ms);
            jw_end_obj(&w);
            continue;
        }
        cli_format_duration(ci.every_ms, dur, sizeof(dur));
        printf("  %-9s by %-28s every %-9s%s last %-24s next %s", inc_audience_name(ci.audience),
               inc_role_title(ci.writer), dur, ci.set_by_ic ? " (IC)" : "     ",
               cli_time(ci.last_update, b1, sizeof(b1)), cli_time(ci.next_due, b2, sizeof(b2)));
        if (ci.overdue) {
            cli_format_duration(ci.late_ms, dur, sizeof(dur));
            printf("  OVERDUE by %s", dur);
        }
        printf("\n");
    }
    if (c->json) {
        jw_end_obj(&w);
        jw_end_obj(&w);
        jw_finish(&w);
    }
}

int cmd_cadence(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"reason", 0, 1}};
    inc_incident *inc = NULL;
    inc_audience au = INC_AUDIENCE_EXTERNAL;
    int64_t every = 0;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 3, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if (a.npos == 2)
        return cli_usage(c, "give the audience and the new cadence (a duration, rubric or none)");
    if (a.npos == 3) {
        if (inc_audience_from_name(a.pos[1], &au) != INC_OK)
            return cli_usage(c, "unknown audience '%s' (external, internal, response)", a.pos[1]);
        if (strcmp(a.pos[2], "rubric") == 0)
            every = INC_CADENCE_RUBRIC;
        else if (strcmp(a.pos[2], "none") == 0)
            every = INC_DURATION_NONE;
        else if ((rc = cli_parse_duration(c, "cadence", a.pos[2], &every)) != CLI_EXIT_OK)
            return rc;
    }
    if ((rc = cli_open(c, a.npos == 3 ? CLI_STORE_RW : CLI_STORE_RO)) ||
        (rc = cli_open_incident(c, a.pos[0], &inc)))
        return rc;
    if (a.npos == 3 && (rc = inc_incident_set_cadence(inc, c->by, au, every,
                                                      cli_opt_value(&a, "reason"))) != INC_OK)
        rc = cli_fail_inc(c, rc, inc);
    else
        cadence_output(c, inc), rc = CLI_EXIT_OK;
    inc_incident_free(inc);
    return rc;
}
