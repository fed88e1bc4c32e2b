/* incident(1): decide: the decisions asked of the IC (CAN-3, AUTH-1). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void decision_json(jw *w, const inc_decision_info *d)
{
    jw_obj(w);
    jw_kint(w, "id", (long long)d->id);
    jw_kstr(w, "status", inc_decision_status_name(d->status));
    jw_kstr(w, "text", d->text);
    jw_kstr(w, "requested_by", d->requested_by);
    jw_ktime(w, "requested_at", d->requested_at);
    jw_kstr(w, "decided_by", d->decided_by);
    jw_ktime(w, "decided_at", d->decided_at);
    jw_kstr(w, "note", d->note);
    jw_end_obj(w);
}

static void decision_text(const inc_decision_info *d)
{
    char b[32];
    printf("  #%-3llu %-8s %s\n", (unsigned long long)d->id, inc_decision_status_name(d->status),
           d->text);
    printf("        asked by %s at %s", d->requested_by, cli_time(d->requested_at, b, sizeof(b)));
    if (d->status != INC_DECISION_PENDING)
        printf("; %s by %s at %s%s%s", inc_decision_status_name(d->status), d->decided_by,
               cli_time(d->decided_at, b, sizeof(b)), d->note && *d->note ? ": " : "",
               d->note ? d->note : "");
    printf("\n");
}

static void decisions_output(cli *c, const inc_incident *inc, uint64_t only)
{
    size_t i, n = inc_incident_decision_count(inc);
    jw w;
    if (c->json) {
        cli_json_start(c, &w);
        cli_json_incident_fields(&w, inc);
        jw_kint(&w, "pending", (long long)inc_incident_decision_pending_count(inc));
        jw_key(&w, "decisions");
        jw_arr(&w);
    } else if (!only) {
        printf("%s: %zu decision%s, %zu pending\n", inc_incident_id(inc), n, n == 1 ? "" : "s",
               inc_incident_decision_pending_count(inc));
    }
    for (i = 0; i < n; i++) {
        inc_decision_info d;
        if (inc_incident_get_decision(inc, i, &d) != INC_OK || (only && d.id != only))
            continue;
        if (c->json)
            decision_json(&w, &d);
        else
            decision_text(&d);
    }
    if (c->json) {
        jw_end_arr(&w);
        jw_end_obj(&w);
        jw_finish(&w);
    }
}

int cmd_decide(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"ask", 0, 0}, {"note", 0, 1}};
    inc_incident *inc = NULL;
    unsigned long long id = 0;
    char *text = NULL, *note = NULL, *end;
    int ask, approve = 0;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, -1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    ask = cli_opt_given(&a, "ask");
    if (ask && a.npos < 2)
        return cli_usage(c, "--ask needs the question");
    if (!ask && a.npos == 2)
        return cli_usage(c, "give the decision number and approve or deny");
    if (!ask && a.npos > 3 && cli_opt_given(&a, "note"))
        return cli_usage(c, "give the note once: after approve/deny or with --note");
    if (!ask && a.npos >= 3) {
        errno = 0;
        id = strtoull(a.pos[1], &end, 10);
        if (errno || *end || id == 0 || a.pos[1][0] == '-')
            return cli_usage(c, "'%s' is not a decision number", a.pos[1]);
        if (strcmp(a.pos[2], "approve") == 0)
            approve = 1;
        else if (strcmp(a.pos[2], "deny") != 0) {
            static const char *const verdicts[] = {"approve", "deny"};
            return cli_unknown(c, "verdict", a.pos[2], verdicts, 2);
        }
        /* Text after the verdict is the note, as sev and state take theirs. */
        if (a.npos > 3 && (rc = cli_join_text(c, &a, 3, &note)) != CLI_EXIT_OK)
            return rc;
    }
    if ((rc = cli_open(c, a.npos > 1 ? CLI_STORE_RW : CLI_STORE_RO)) ||
        (rc = cli_open_incident(c, a.pos[0], &inc)))
        goto out;
    if (ask) {
        uint64_t new_id = 0;
        if ((rc = cli_join_text(c, &a, 1, &text)) != CLI_EXIT_OK)
            goto out;
        if ((rc = inc_incident_request_decision(inc, c->by, text, &new_id)) != INC_OK) {
            rc = cli_fail_inc(c, rc, inc);
            goto out;
        }
        id = new_id;
        if (!c->json)
            printf("%s: decision #%llu asked of the IC (%s)\n", inc_incident_id(inc), id,
                   inc_incident_ic(inc));
    } else if (id) {
        if ((rc = inc_incident_decide(inc, c->by, id, approve,
                                      note ? note : cli_opt_value(&a, "note"))) != INC_OK) {
            rc = cli_fail_inc(c, rc, inc);
            goto out;
        }
        if (!c->json)
            printf("%s: decision #%llu %s by %s\n", inc_incident_id(inc), id,
                   approve ? "approved" : "denied", c->by);
    }
    decisions_output(c, inc, id);
    rc = CLI_EXIT_OK;
out:
    free(text);
    free(note);
    inc_incident_free(inc);
    return rc;
}
