/* incident(1): due, page, ack, clock: what is due, the paging records and
 * the regulatory deadline clocks (ESC-1..ESC-3, REG-1). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- due ------------------------------------------------------------------- */

static void due_item_json(jw *w, const inc_due_item *it)
{
    jw_obj(w);
    jw_kstr(w, "incident", it->incident_id);
    jw_kstr(w, "kind", it->kind_name);
    jw_kstr(w, "rule", it->rule_id);
    jw_kstr(w, "target", it->target);
    jw_kstr(w, "severity", it->severity);
    jw_ktime(w, "due", it->due);
    jw_kint(w, "late_ms", (long long)it->late_ms);
    jw_kstr(w, "text", it->text);
    if (it->kind == INC_DUE_ESCALATION) {
        jw_kint(w, "step", it->step);
        jw_kint(w, "loop", it->loop);
        jw_kstr(w, "resolved", it->resolved); /* people, with --rotation files (ONC-2) */
    }
    jw_kint(w, "seq", (long long)it->seq);
    jw_kstr(w, "dedup_key", it->dedup_key);
    jw_end_obj(w);
}

/* One item: its time, rule and kind, then its text (continuations under the
 * text), how late it is, whom it resolved to and the event recording it. */
static void due_item_text(const inc_due_item *it)
{
    char b[32], late[48] = "", dur[32], event[48] = "";
    int text_column;
    cli_format_duration(it->late_ms < 0 ? -it->late_ms : it->late_ms, dur, sizeof(dur));
    if (it->late_ms)
        snprintf(late, sizeof(late), it->late_ms > 0 ? " (%s late)" : " (in %s)", dur);
    if (it->seq)
        snprintf(event, sizeof(event), " [recorded as event %llu]", (unsigned long long)it->seq);
    cli_time(it->due, b, sizeof(b));
    text_column = 2 + (int)strlen(b) + 2 + 11 + 19;
    cli_printf_wrapped(0, text_column, "  %s  %-10s %-18s %s%s%s%s%s", b, it->rule_id,
                       it->kind_name, it->text, late, it->resolved && *it->resolved ? " -> " : "",
                       it->resolved && *it->resolved ? it->resolved : "", event);
}

/* One incident's due items, listed (look-ahead) or delivered (recorded). */
static int due_one(cli *c, jw *w, const cli_args *a, const char *id, int64_t within, int *shown)
{
    inc_incident *inc = NULL;
    inc_due_list *list = NULL;
    const char *key = cli_opt_value(a, "pagerduty");
    size_t i;
    int rc = cli_open_incident(c, id, &inc);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = cli_opt_given(a, "deliver") ? inc_incident_deliver_due(inc, c->by, 0, &list)
                                     : inc_incident_due(inc, within, &list);
    /* Delivered items are recorded even when the call fails part way: show them. */
    for (i = 0; i < inc_due_list_count(list); i++) {
        const inc_due_item *it = inc_due_list_at(list, i);
        char *pd = NULL;
        if (key && inc_due_list_pagerduty(list, i, key, "incident-cli", NULL, &pd, NULL) != INC_OK)
            pd = NULL;
        if (c->json) {
            if (pd)
                jw_raw(w, pd);
            else
                due_item_json(w, it);
        } else if (pd) {
            printf("%s\n", pd);
        } else {
            if (!*shown)
                cli_printf_wrapped(0, 4, "%s (%s, %s):", inc_incident_id(inc),
                                   inc_incident_severity(inc),
                                   inc_state_name(inc_incident_state(inc)));
            due_item_text(it);
        }
        inc_free(pd);
        (*shown)++;
    }
    inc_due_list_free(list);
    if (rc != INC_OK)
        rc = cli_fail_inc(c, rc, inc);
    inc_incident_free(inc);
    return rc;
}

struct open_ids {
    char ids[256][INC_ID_MAX + 1];
    size_t count;
};

static int collect(void *user, const char *id)
{
    struct open_ids *o = user;
    if (o->count < 256)
        snprintf(o->ids[o->count++], INC_ID_MAX + 1, "%s", id);
    return 0;
}

/* The library checks a PagerDuty routing key when it writes an event. */
static int routing_key_ok(const char *key)
{
    char *probe = NULL;
    int rc = inc_pagerduty_event("resolve", key, "probe", &probe, NULL);
    inc_free(probe);
    return rc != INC_EINVAL;
}

int cmd_due(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"within", 'w', 1}, {"deliver", 0, 0}, {"pagerduty", 0, 1}};
    struct open_ids *all = NULL;
    const char *within_s;
    int64_t within = 0;
    int shown = 0, worst = CLI_EXIT_OK;
    size_t i;
    cli_args a;
    jw w;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 0, 1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((within_s = cli_opt_value(&a, "within")) &&
        (rc = cli_parse_duration(c, "--within", within_s, &within)) != CLI_EXIT_OK)
        return rc;
    if (cli_opt_value(&a, "pagerduty") && !routing_key_ok(cli_opt_value(&a, "pagerduty")))
        return cli_usage(c, "--pagerduty: a routing key is 32 letters and digits");
    if (within && cli_opt_given(&a, "deliver"))
        return cli_usage(c, "--deliver records what is due now; --within only looks ahead");
    if ((rc = cli_open(c, cli_opt_given(&a, "deliver") ? CLI_STORE_RW : CLI_STORE_RO)))
        return rc;
    if (a.npos == 0) { /* every incident of the store */
        if (!(all = calloc(1, sizeof(*all))))
            return cli_fail(c, INC_ENOMEM, "out of memory");
        if ((rc = inc_context_list(c->ctx, collect, all)) != INC_OK) {
            free(all);
            return cli_fail(c, rc, inc_context_errmsg(c->ctx));
        }
    }
    if (c->json) {
        cli_json_start(c, &w);
        jw_ktime(&w, "now", inc_context_now(c->ctx));
        jw_key(&w, "items");
        jw_arr(&w);
    }
    for (i = 0; i < (all ? all->count : 1); i++) {
        rc = due_one(c, &w, &a, all ? all->ids[i] : a.pos[0], within, &shown);
        if (rc != CLI_EXIT_OK && worst == CLI_EXIT_OK)
            worst = rc;
    }
    free(all);
    if (c->json) {
        jw_end_arr(&w);
        jw_end_obj(&w);
        jw_finish(&w);
    } else if (!shown && worst == CLI_EXIT_OK) {
        printf("nothing due%s\n", within ? " in that window" : " now");
    }
    return worst;
}

/* ---- page, ack --------------------------------------------------------------- */

static int parse_seq(cli *c, const char *what, const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno || *end || v == 0 || text[0] == '-')
        return cli_usage(c, "%s: '%s' is not an event number", what, text);
    *out = v;
    return CLI_EXIT_OK;
}

/* Who @target is now, through the --rotation files (ONC-2); NULL when
 * nobody (no rotation names it) or on failure. Free with inc_free(). */
static char *on_call_now(cli *c, const char *target)
{
    char *people = NULL;
    if (!target || inc_context_resolve_targets(c->ctx, target, inc_context_now(c->ctx), &people,
                                               NULL) != INC_OK)
        return NULL;
    if (!*people) {
        inc_free(people);
        return NULL;
    }
    return people;
}

static void page_json(cli *c, const inc_incident *inc, uint64_t seq, const char *people)
{
    jw w;
    cli_json_start(c, &w);
    cli_json_incident_fields(&w, inc);
    jw_kint(&w, "page_seq", (long long)seq);
    if (people)
        jw_kstr(&w, "on_call_now", people);
    jw_ktime(&w, "acknowledged_at", inc_incident_acknowledged_at(inc));
    jw_kstr(&w, "acknowledged_by", inc_incident_acknowledged_by(inc));
    jw_end_obj(&w);
    jw_finish(&w);
}

int cmd_page(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"text", 0, 1}, {"sent", 0, 1}, {"to", 0, 1}};
    inc_incident *inc = NULL;
    const char *sent;
    uint64_t seq = 0;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 2, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    sent = cli_opt_value(&a, "sent");
    if (sent && ((rc = parse_seq(c, "--sent", sent, &seq)) || !cli_opt_given(&a, "to")))
        return rc ? rc : cli_usage(c, "--sent SEQ needs --to PERSON (whom the page reached)");
    if (!sent && a.npos != 2)
        return cli_usage(c, "give the incident and whom to page (see: incident page --help)");
    if ((rc = cli_open(c, CLI_STORE_RW)) || (rc = cli_open_incident(c, a.pos[0], &inc)))
        return rc;
    if (!sent && (rc = cli_follow_duplicate(c, &inc)) != CLI_EXIT_OK) { /* LIFE-5 */
        inc_incident_free(inc);
        return rc;
    }
    rc = sent ? inc_incident_mark_page_sent(inc, c->by, seq, cli_opt_value(&a, "to"))
              : inc_incident_request_page(inc, c->by, a.pos[1], cli_opt_value(&a, "text"), &seq);
    if (rc != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
    } else {
        char *people = sent ? NULL : on_call_now(c, a.pos[1]);
        if (c->json)
            page_json(c, inc, seq, people);
        else if (sent)
            printf("%s: page %llu reached %s\n", inc_incident_id(inc), (unsigned long long)seq,
                   cli_opt_value(&a, "to"));
        else
            printf("%s: page requested for %s%s%s as event %llu (record whom it reached with: "
                   "incident page %s --sent %llu --to PERSON)\n",
                   inc_incident_id(inc), a.pos[1], people ? ", on call now: " : "",
                   people ? people : "", (unsigned long long)seq, inc_incident_id(inc),
                   (unsigned long long)seq);
        inc_free(people);
        rc = CLI_EXIT_OK;
    }
    inc_incident_free(inc);
    return rc;
}

int cmd_ack(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"page", 'p', 1}};
    inc_incident *inc = NULL;
    const char *page;
    uint64_t seq = 0;
    cli_args a;
    char b[32];
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 1, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((page = cli_opt_value(&a, "page")) && (rc = parse_seq(c, "--page", page, &seq)))
        return rc;
    if ((rc = cli_open(c, CLI_STORE_RW)) || (rc = cli_open_incident(c, a.pos[0], &inc)))
        return rc;
    if ((rc = inc_incident_acknowledge(inc, c->by, seq)) != INC_OK) {
        rc = cli_fail_inc(c, rc, inc);
    } else {
        if (c->json)
            page_json(c, inc, seq, NULL);
        else
            printf("%s: acknowledged by %s at %s\n", inc_incident_id(inc),
                   inc_incident_acknowledged_by(inc),
                   cli_time(inc_incident_acknowledged_at(inc), b, sizeof(b)));
        rc = CLI_EXIT_OK;
    }
    inc_incident_free(inc);
    return rc;
}

/* ---- clock ------------------------------------------------------------------- */

static void clocks_output(cli *c, const inc_incident *inc)
{
    size_t i, n = inc_incident_deadline_clock_count(inc);
    char b1[32], b2[32];
    jw w;
    if (c->json) {
        cli_json_start(c, &w);
        jw_kstr(&w, "id", inc_incident_id(inc));
        jw_key(&w, "clocks");
        jw_arr(&w);
    } else if (n == 0) {
        printf("%s: no deadline clocks\n", inc_incident_id(inc));
    }
    for (i = 0; i < n; i++) {
        inc_deadline_clock d;
        if (inc_incident_get_deadline_clock(inc, i, &d) != INC_OK)
            continue;
        if (c->json) {
            jw_obj(&w);
            jw_kstr(&w, "name", d.name);
            jw_kstr(&w, "text", d.text);
            jw_kstr(&w, "status", inc_deadline_clock_status_name(d.status));
            jw_ktime(&w, "started_at", d.started_at);
            jw_ktime(&w, "deadline", d.deadline);
            jw_kbool(&w, "overdue", d.overdue);
            jw_kstr(&w, "stopped_by", d.stopped_by);
            jw_ktime(&w, "stopped_at", d.stopped_at);
            jw_end_obj(&w);
        } else {
            printf("  %-20s %-9s deadline %s%s  started %s by %s%s%s\n", d.name,
                   inc_deadline_clock_status_name(d.status), cli_time(d.deadline, b1, sizeof(b1)),
                   d.overdue ? " OVERDUE" : "", cli_time(d.started_at, b2, sizeof(b2)),
                   d.started_by, *d.text ? ": " : "", d.text);
        }
    }
    if (c->json) {
        jw_end_arr(&w);
        jw_end_obj(&w);
        jw_finish(&w);
    }
}

/* clock ID start NAME (--deadline TIME | --in DURATION) [--remind DUR] [--text T] */
static int clock_start(cli *c, const cli_args *a, inc_incident *inc)
{
    const char *dl = cli_opt_value(a, "deadline"), *in = cli_opt_value(a, "in");
    const char *remind = cli_opt_value(a, "remind");
    int64_t remind_ms = INC_DURATION_NONE, in_ms = 0;
    inc_time deadline = 0;
    int rc;
    if (!dl == !in)
        return cli_usage(c, "give --deadline TIME or --in DURATION");
    if (dl && (rc = cli_parse_time(c, "--deadline", dl, &deadline)))
        return rc;
    if (in && (rc = cli_parse_duration(c, "--in", in, &in_ms)))
        return rc;
    if (in)
        deadline = inc_context_now(c->ctx) + in_ms;
    if (remind && (rc = cli_parse_duration(c, "--remind", remind, &remind_ms)))
        return rc;
    rc = inc_incident_start_deadline_clock(inc, c->by, a->pos[2], deadline, remind_ms,
                                           cli_opt_value(a, "text"));
    return rc == INC_OK ? CLI_EXIT_OK : cli_fail_inc(c, rc, inc);
}

int cmd_clock(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"deadline", 0, 1}, {"in", 0, 1}, {"remind", 0, 1}, {"text", 0, 1}, {"cancelled", 0, 0}};
    inc_incident *inc = NULL;
    int start = 0, stop = 0;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 1, 3, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if (a.npos > 1) {
        start = strcmp(a.pos[1], "start") == 0;
        stop = strcmp(a.pos[1], "stop") == 0;
        if ((!start && !stop) || a.npos != 3)
            return cli_usage(c, "say: clock ID start NAME ... or clock ID stop NAME");
    }
    if ((rc = cli_open(c, a.npos > 1 ? CLI_STORE_RW : CLI_STORE_RO)) ||
        (rc = cli_open_incident(c, a.pos[0], &inc)))
        return rc;
    if (start)
        rc = clock_start(c, &a, inc);
    else if (stop && (rc = inc_incident_stop_deadline_clock(inc, c->by, a.pos[2],
                                                            cli_opt_given(&a, "cancelled"),
                                                            cli_opt_value(&a, "text"))) != INC_OK)
        rc = cli_fail_inc(c, rc, inc);
    else
        rc = CLI_EXIT_OK;
    if (rc == CLI_EXIT_OK)
        clocks_output(c, inc);
    inc_incident_free(inc);
    return rc;
}
