/* incident(1): after the incident: postmortem, action, audit, bridge,
 * metrics (PM-1..PM-4, AUD-1, AUD-2, MET-1). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Print a document the library rendered as is (a JSON export, the action list). */
static void print_doc(const char *doc)
{
    size_t n = strlen(doc);
    fputs(doc, stdout);
    if (n && doc[n - 1] != '\n')
        fputc('\n', stdout);
}

static int parse_id(cli *c, const char *what, const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno || *end || v == 0 || text[0] == '-')
        return cli_usage(c, "%s: '%s' is not a number", what, text);
    *out = v;
    return CLI_EXIT_OK;
}

/* "P1".."P4" or "1".."4". */
static int parse_priority(cli *c, const char *text, int *out)
{
    const char *p = (text[0] == 'P' || text[0] == 'p') ? text + 1 : text;
    *out = 0; /* defined on every path: callers may not see cli_usage() is non-zero */
    if (p[0] < '1' || p[0] > '4' || p[1] != '\0')
        return cli_usage(c, "priority: '%s' is not P1..P4", text);
    *out = p[0] - '0';
    return CLI_EXIT_OK;
}

/* A due date: --due TIME or --in DURATION from now. */
static int due_opt(cli *c, const cli_args *a, inc_time *out)
{
    const char *due = cli_opt_value(a, "due"), *in = cli_opt_value(a, "in");
    int64_t ms = 0;
    int rc;
    if (!due == !in)
        return cli_usage(c, "give --due TIME or --in DURATION");
    if (due)
        return cli_parse_time(c, "--due", due, out);
    if ((rc = cli_parse_duration(c, "--in", in, &ms)) != CLI_EXIT_OK)
        return rc;
    *out = inc_context_now(c->ctx) + ms;
    return CLI_EXIT_OK;
}

/* ---- postmortem ------------------------------------------------------------- */

static void postmortem_json(cli *c, const inc_incident *inc)
{
    inc_postmortem_info pm;
    int s;
    jw w;
    inc_incident_get_postmortem(inc, &pm);
    cli_json_start(c, &w);
    jw_kstr(&w, "id", inc_incident_id(inc));
    jw_kstr(&w, "status", inc_pm_status_name(pm.status));
    jw_kbool(&w, "required", pm.required);
    jw_ktime(&w, "due", pm.due);
    jw_kbool(&w, "overdue", pm.overdue);
    jw_kstr(&w, "root_cause_tag", pm.root_cause_tag);
    jw_key(&w, "missing");
    jw_arr(&w);
    for (s = 0; s < INC_PM_SECTION_COUNT; s++)
        if (pm.missing & (1u << s))
            jw_str(&w, inc_pm_section_name((inc_pm_section)s));
    jw_end_arr(&w);
    jw_end_obj(&w);
    jw_finish(&w);
}

static int pm_status_from(cli *c, const char *text, inc_pm_status *out)
{
    if (strcmp(text, "draft") == 0)
        *out = INC_PM_DRAFT;
    else if (strcmp(text, "review") == 0 || strcmp(text, "in-review") == 0)
        *out = INC_PM_IN_REVIEW;
    else if (strcmp(text, "final") == 0)
        *out = INC_PM_FINAL;
    else
        return cli_usage(c, "'%s' is not a status (draft, review, final)", text);
    return CLI_EXIT_OK;
}

/* postmortem ID set SECTION TEXT... | tag TAG | status S | lint */
static int postmortem_change(cli *c, const cli_args *a, inc_incident *inc)
{
    const char *what = a->pos[1];
    inc_findings *f = NULL;
    char *text = NULL;
    int rc = INC_OK;
    if (strcmp(what, "set") == 0) {
        inc_pm_section sec;
        if (a->npos < 4)
            return cli_usage(c, "say: postmortem ID set SECTION TEXT...");
        if (inc_pm_section_from_name(a->pos[2], &sec) != INC_OK)
            return cli_usage(c,
                             "unknown section '%s' (summary, impact, detection, root_cause, "
                             "contributing_factors, went_well, went_poorly, lessons_learned)",
                             a->pos[2]);
        if ((rc = cli_join_text(c, a, 3, &text)) != CLI_EXIT_OK)
            return rc;
        rc = inc_incident_set_postmortem_section(inc, c->by, sec, text, &f, NULL);
    } else if (strcmp(what, "tag") == 0 && a->npos == 3) {
        rc = inc_incident_set_root_cause_tag(inc, c->by, a->pos[2]);
    } else if (strcmp(what, "status") == 0 && a->npos == 3) {
        inc_pm_status st = INC_PM_DRAFT;
        if ((rc = pm_status_from(c, a->pos[2], &st)) != CLI_EXIT_OK)
            return rc;
        rc = inc_incident_set_postmortem_status(inc, c->by, st, cli_opt_value(a, "note"));
    } else {
        return cli_usage(c, "say: postmortem ID [set SECTION TEXT | tag TAG | status S | lint]");
    }
    free(text);
    if (rc != INC_OK)
        return cli_fail_inc(c, rc, inc);
    if (c->json) {
        postmortem_json(c, inc);
    } else {
        printf("%s: postmortem %s recorded as event %llu\n", inc_incident_id(inc), what,
               (unsigned long long)inc_incident_last_seq(inc));
        if (inc_findings_count(f)) {
            printf("Blameless lint (PM-4), recorded with it:\n");
            cli_print_findings(stdout, f, "  ");
        }
        if (inc_incident_state(inc) == INC_STATE_CLOSED)
            printf("%s: the postmortem is Final; the incident is closed\n", inc_incident_id(inc));
    }
    inc_findings_free(f);
    return CLI_EXIT_OK;
}

int cmd_postmortem(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"text", 0, 0}, {"note", 0, 1}};
    inc_incident *inc = NULL;
    char *doc = NULL;
    cli_args a;
    int change, rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    change = a.npos > 1 && strcmp(a.pos[1], "lint") != 0;
    if ((rc = cli_open(c, change ? CLI_STORE_RW : CLI_STORE_RO)) ||
        (rc = cli_open_incident(c, a.pos[0], &inc)))
        return rc;
    if (change) {
        rc = postmortem_change(c, &a, inc);
    } else if (a.npos > 1) { /* lint */
        inc_findings *f = NULL;
        if ((rc = inc_incident_lint_postmortem(inc, &f)) != INC_OK) {
            rc = cli_fail_inc(c, rc, inc);
        } else {
            if (c->json) {
                jw w;
                cli_json_start(c, &w);
                jw_kstr(&w, "id", inc_incident_id(inc));
                jw_key(&w, "findings");
                jw_findings(&w, f);
                jw_end_obj(&w);
                jw_finish(&w);
            } else if (inc_findings_count(f)) {
                cli_print_findings(stdout, f, "");
            } else {
                printf("%s: the postmortem is blameless (PM-4)\n", inc_incident_id(inc));
            }
            rc = inc_findings_count(f) ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
        }
        inc_findings_free(f);
    } else if (c->json) {
        postmortem_json(c, inc);
        rc = CLI_EXIT_OK;
    } else if ((rc = inc_incident_render_postmortem(
                    inc, cli_opt_given(&a, "text") ? INC_PM_TEXT : INC_PM_MARKDOWN, &doc, NULL)) !=
               INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
    } else {
        cli_print_doc_wrapped(doc);
        rc = CLI_EXIT_OK;
    }
    inc_free(doc);
    inc_incident_free(inc);
    return rc;
}

/* ---- action ---------------------------------------------------------------------- */

static void action_text(const inc_action_item *it, inc_time now)
{
    char b[32];
    printf("  A%-3llu P%d %-9s due %s%s  %-12s %s\n", (unsigned long long)it->id, it->priority,
           inc_action_status_name(it->status), cli_time(it->due, b, sizeof(b)),
           inc_action_is_overdue(it, now) ? " OVERDUE" : "", it->owner, it->title);
}

static void action_json(jw *w, const inc_action_item *it, inc_time now)
{
    jw_obj(w);
    jw_kint(w, "id", (long long)it->id);
    jw_kstr(w, "title", it->title);
    jw_kstr(w, "owner", it->owner);
    jw_kint(w, "priority", it->priority);
    jw_kstr(w, "status", inc_action_status_name(it->status));
    jw_ktime(w, "due", it->due);
    jw_kbool(w, "overdue", inc_action_is_overdue(it, now));
    jw_kstr(w, "detail", it->detail);
    jw_end_obj(w);
}

static void actions_output(cli *c, const inc_incident *inc)
{
    size_t i, n = inc_incident_action_count(inc);
    inc_time now = inc_context_now(c->ctx);
    jw w;
    if (c->json) {
        cli_json_start(c, &w);
        jw_kstr(&w, "id", inc_incident_id(inc));
        jw_key(&w, "actions");
        jw_arr(&w);
    } else {
        printf("%s: %zu action item%s\n", inc_incident_id(inc), n, n == 1 ? "" : "s");
    }
    for (i = 0; i < n; i++) {
        const inc_action_item *it = inc_incident_action(inc, i);
        if (c->json)
            action_json(&w, it, now);
        else
            action_text(it, now);
    }
    if (c->json) {
        jw_end_arr(&w);
        jw_end_obj(&w);
        jw_finish(&w);
    }
}

/* action list [--owner P] [--status S] [--overdue] [--no-drills] [--export PREFIX] */
static int action_list(cli *c, const cli_args *a)
{
    inc_action_query q = INC_ACTION_QUERY_INIT;
    inc_action_list *list = NULL;
    const char *status = cli_opt_value(a, "status");
    char *doc = NULL;
    int rc;
    inc_action_status st = INC_ACTION_OPEN;
    if (status && inc_action_status_from_name(status, &st) != INC_OK)
        return cli_usage(c, "--status: '%s' is not open, done or cancelled", status);
    q.owner = cli_opt_value(a, "owner");
    q.status = status ? (int)st : -1;
    q.overdue_only = cli_opt_given(a, "overdue");
    q.exclude_drills = cli_opt_given(a, "no-drills");
    if ((rc = inc_action_list_query(c->ctx, &q, &list)) != INC_OK)
        return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    if (cli_opt_given(a, "export") || c->json)
        rc = inc_action_list_export_json(list, cli_opt_value(a, "export"), &doc, NULL);
    else
        rc = inc_action_list_render(list, &doc, NULL);
    if (rc == INC_OK && inc_action_list_count(list) == 0 && !c->json && !cli_opt_given(a, "export"))
        printf("no action items\n");
    else if (rc == INC_OK && c->json)
        cli_json_wrap(c, NULL, "list", doc); /* --export's document, in the envelope */
    else if (rc == INC_OK)
        print_doc(doc);
    inc_free(doc);
    inc_action_list_free(list);
    return rc == INC_OK ? CLI_EXIT_OK : cli_fail(c, rc, "cannot render the list");
}

static int action_add(cli *c, const cli_args *a, inc_incident *inc, uint64_t *id)
{
    inc_action_options o = INC_ACTION_OPTIONS_INIT;
    char *title = NULL;
    const char *prio = cli_opt_value(a, "priority");
    int rc;
    if (!cli_opt_given(a, "owner") || !prio || a->npos < 3)
        return cli_usage(c, "say: action ID add TITLE... --owner PERSON --priority P1..P4 "
                            "(--due TIME | --in DURATION)");
    if ((rc = parse_priority(c, prio, &o.priority)) || (rc = due_opt(c, a, &o.due)) ||
        (rc = cli_join_text(c, a, 2, &title)))
        return rc;
    o.title = title;
    o.owner = cli_opt_value(a, "owner");
    o.owner_override = cli_opt_value(a, "override");
    o.detail = cli_opt_value(a, "detail");
    rc = inc_incident_add_action(inc, c->by, &o, id);
    free(title);
    return rc == INC_OK ? CLI_EXIT_OK : cli_fail_inc(c, rc, inc);
}

/* action ID VERB N [...]: done, cancel, reopen, move, reassign, priority */
static int action_change(cli *c, const cli_args *a, inc_incident *inc, uint64_t *id)
{
    const char *verb = a->pos[1], *reason = cli_opt_value(a, "reason");
    uint64_t decision = 0;
    int rc;
    if (a->npos < 3 || (rc = parse_id(c, "item", a->pos[2], id)) != CLI_EXIT_OK)
        return a->npos < 3 ? cli_usage(c, "say: action ID %s N ...", verb) : rc;
    if (cli_opt_given(a, "decision") &&
        (rc = parse_id(c, "--decision", cli_opt_value(a, "decision"), &decision)))
        return rc;
    if (strcmp(verb, "done") == 0 || strcmp(verb, "cancel") == 0 || strcmp(verb, "reopen") == 0) {
        inc_action_status st = verb[0] == 'd'   ? INC_ACTION_DONE
                               : verb[0] == 'c' ? INC_ACTION_CANCELLED
                                                : INC_ACTION_OPEN;
        rc = inc_incident_set_action_status(inc, c->by, *id, st, reason, decision);
    } else if (strcmp(verb, "move") == 0) {
        inc_time due = 0;
        if ((rc = due_opt(c, a, &due)) != CLI_EXIT_OK)
            return rc;
        rc = inc_incident_move_action_due(inc, c->by, *id, due, reason);
    } else if (strcmp(verb, "reassign") == 0 && a->npos == 4) {
        rc = inc_incident_reassign_action(inc, c->by, *id, a->pos[3], cli_opt_value(a, "override"));
    } else if (strcmp(verb, "priority") == 0 && a->npos == 4) {
        int p;
        if ((rc = parse_priority(c, a->pos[3], &p)) != CLI_EXIT_OK)
            return rc;
        rc = inc_incident_set_action_priority(inc, c->by, *id, p);
    } else {
        return cli_usage(c, "unknown action verb '%s' (see: incident action --help)", verb);
    }
    return rc == INC_OK ? CLI_EXIT_OK : cli_fail_inc(c, rc, inc);
}

int cmd_action(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"owner", 0, 1},   {"priority", 'p', 1}, {"due", 0, 1},
                                   {"in", 0, 1},      {"detail", 0, 1},     {"override", 0, 1},
                                   {"reason", 0, 1},  {"decision", 0, 1},   {"status", 0, 1},
                                   {"overdue", 0, 0}, {"no-drills", 0, 0},  {"export", 0, 1}};
    inc_incident *inc = NULL;
    uint64_t id = 0;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if (strcmp(a.pos[0], "list") == 0)
        return (rc = cli_open(c, CLI_STORE_RO)) ? rc : action_list(c, &a);
    if ((rc = cli_open(c, a.npos > 1 ? CLI_STORE_RW : CLI_STORE_RO)) ||
        (rc = cli_open_incident(c, a.pos[0], &inc)))
        return rc;
    if (a.npos > 1)
        rc = strcmp(a.pos[1], "add") == 0 ? action_add(c, &a, inc, &id)
                                          : action_change(c, &a, inc, &id);
    if (rc == CLI_EXIT_OK && a.npos > 1 && !c->json)
        printf("%s: action item A%llu %s\n", inc_incident_id(inc), (unsigned long long)id,
               strcmp(a.pos[1], "add") == 0 ? "added" : "changed");
    if (rc == CLI_EXIT_OK)
        actions_output(c, inc);
    inc_incident_free(inc);
    return rc;
}

/* ---- audit, bridge, metrics ---------------------------------------------------------- */

int cmd_audit(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"min-monitoring", 0, 1}};
    inc_audit_options o = INC_AUDIT_OPTIONS_INIT;
    inc_incident *inc = NULL;
    inc_audit *audit = NULL;
    const char *mm;
    char *doc = NULL;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((mm = cli_opt_value(&a, "min-monitoring")) &&
        (rc = cli_parse_duration(c, "--min-monitoring", mm, &o.min_monitoring_ms)))
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RO)) || (rc = cli_open_incident(c, a.pos[0], &inc)))
        return rc;
    if ((rc = inc_incident_audit(inc, &o, &audit)) != INC_OK ||
        (rc = c->json ? inc_audit_render_json(audit, &doc, NULL)
                      : inc_audit_render_text(audit, &doc, NULL)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
    } else {
        if (c->json)
            cli_json_wrap(c, inc_incident_id(inc), "audit", doc);
        else
            cli_print_doc_wrapped(doc);
        rc = CLI_EXIT_OK;
    }
    inc_free(doc);
    inc_audit_free(audit);
    inc_incident_free(inc);
    return rc;
}

int cmd_bridge(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"text", 0, 1}};
    inc_incident *inc = NULL;
    uint64_t seq = 0;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 2, 2, CLI_STORE_RW);
    if (rc != CLI_GO)
        return rc;
    if ((rc = cli_open_incident(c, a.pos[0], &inc)) != CLI_EXIT_OK)
        return rc;
    rc = inc_incident_open_bridge(inc, c->by, a.pos[1], cli_opt_value(&a, "text"), &seq);
    if (rc != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
    } else if (c->json) {
        jw w;
        cli_json_start(c, &w);
        jw_kstr(&w, "id", inc_incident_id(inc));
        jw_kstr(&w, "bridge", a.pos[1]);
        jw_kint(&w, "seq", (long long)seq);
        jw_end_obj(&w);
        jw_finish(&w);
        rc = CLI_EXIT_OK;
    } else {
        printf("%s: bridge open at %s (event %llu)\n", inc_incident_id(inc), a.pos[1],
               (unsigned long long)seq);
        rc = CLI_EXIT_OK;
    }
    inc_incident_free(inc);
    return rc;
}

int cmd_metrics(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"from", 0, 1}, {"to", 0, 1}};
    inc_metrics_options o = INC_METRICS_OPTIONS_INIT;
    inc_metrics *m = NULL;
    const char *from = NULL, *to = NULL;
    char *doc = NULL;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 0, 0, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if (((from = cli_opt_value(&a, "from")) && (rc = cli_parse_time(c, "--from", from, &o.from))) ||
        ((to = cli_opt_value(&a, "to")) && (rc = cli_parse_time(c, "--to", to, &o.to))))
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RO)) != CLI_EXIT_OK)
        return rc;
    if ((rc = inc_metrics_compute(c->ctx, &o, &m)) != INC_OK) {
        rc = cli_fail(c, rc, inc_context_errmsg(c->ctx));
    } else if ((rc = c->json ? inc_metrics_render_json(m, &doc, NULL)
                             : inc_metrics_render_text(m, &doc, NULL)) != INC_OK) {
        rc = cli_fail(c, rc, "cannot render the metrics");
    } else if (c->json) {
        cli_json_wrap(c, NULL, "metrics", doc);
        rc = CLI_EXIT_OK;
    } else {
        cli_print_doc_wrapped(doc);
        rc = CLI_EXIT_OK;
    }
    inc_free(doc);
    inc_metrics_free(m);
    return rc;
}
