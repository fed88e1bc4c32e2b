/* incident(1) list: finding incidents (issue 21) through
 * inc_incident_list_query_skipping(): filters, a sort, a limit; an
 * incident that cannot be read is named on stderr and the others listed. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "investigating,mitigating": a mask of states. */
static int parse_states(cli *c, const char *text, unsigned *mask)
{
    char one[32];
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, ",");
        inc_state st;
        int rc;
        if (n == 0 || n >= sizeof(one))
            return cli_usage(c, "--state: '%s' is not a list of states", cli_safe(text));
        memcpy(one, p, n);
        one[n] = 0;
        if ((rc = cli_parse_state(c, one, &st)) != CLI_EXIT_OK)
            return rc;
        *mask |= 1u << st;
        p += n + (p[n] == ',');
    }
    return CLI_EXIT_OK;
}

/* "NAME=VALUE" into @name (cut at '=') and *value. */
static int split_pair(cli *c, const char *opt, char *text, const char **value)
{
    char *eq = strchr(text, '=');
    if (!eq || eq == text || !eq[1])
        return cli_usage(c, "%s: '%s' is not NAME=VALUE", opt, cli_safe(text));
    *eq = 0;
    *value = eq + 1;
    return CLI_EXIT_OK;
}

/* --until TIME is exclusive; --until DAY means up to the end of that day. */
static int parse_until(cli *c, const char *text, inc_time *out)
{
    inc_time at, day_end;
    int rc;
    if ((rc = cli_parse_time(c, "--until", text, &at)) != CLI_EXIT_OK ||
        (rc = cli_parse_time(c, "--to", text, &day_end)) != CLI_EXIT_OK)
        return rc;
    *out = day_end != at ? day_end + 1 : at;
    return CLI_EXIT_OK;
}

static int parse_limit(cli *c, const char *text, size_t *out)
{
    char *end;
    unsigned long long v;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno || *end || v == 0 || text[0] == '-' || v > (unsigned long long)SIZE_MAX)
        return cli_usage(c, "--limit: '%s' is not a positive number", cli_safe(text));
    *out = (size_t)v;
    return CLI_EXIT_OK;
}

static int parse_sort(cli *c, const char *text, int *out)
{
    const char *names[8];
    inc_incident_sort s;
    size_t n = 0;
    if (inc_incident_sort_from_name(text, &s) == INC_OK)
        return *out = (int)s, CLI_EXIT_OK;
    while (n < 8 && inc_incident_sort_name((inc_incident_sort)n))
        names[n] = inc_incident_sort_name((inc_incident_sort)n), n++;
    return cli_unknown(c, "sort key", text, names, n);
}

/* The filters of the command line into @q; @pair holds the copies cut
 * at '=' (they must outlive @q). */
static int read_query(cli *c, const cli_args *a, inc_incident_query *q, char *pair[2])
{
    const char *v;
    int rc = CLI_EXIT_OK;
    unsigned open = (1u << INC_STATE_RESOLVED) - 1;
    inc_role role;

    if ((v = cli_opt_value(a, "state")) && (rc = parse_states(c, v, &q->states)))
        return rc;
    if (cli_opt_given(a, "open"))                        /* with --state: both must hold */
        q->states = q->states ? q->states & open : open; /* 0: none left (cmd_list) */
    q->level = cli_opt_value(a, "level");
    if (cli_opt_given(a, "drill") && cli_opt_given(a, "no-drills"))
        return cli_usage(c, "--drill and --no-drills: choose one");
    q->drills = cli_opt_given(a, "drill")       ? INC_DRILLS_ONLY
                : cli_opt_given(a, "no-drills") ? INC_DRILLS_EXCLUDED
                                                : INC_DRILLS_INCLUDED;
    if ((v = cli_opt_value(a, "since")) && (rc = cli_parse_time(c, "--since", v, &q->since)))
        return rc;
    if ((v = cli_opt_value(a, "until")) && (rc = parse_until(c, v, &q->until)))
        return rc;
    if (cli_opt_given(a, "role") && cli_opt_given(a, "holder"))
        return cli_usage(c, "--role ROLE=PERSON and --holder PERSON: choose one");
    if ((v = cli_opt_value(a, "role"))) {
        if (!(pair[0] = strdup(v)))
            return cli_fail(c, INC_ENOMEM, "out of memory");
        if ((rc = split_pair(c, "--role", pair[0], &q->holder)) ||
            (rc = cli_parse_role(c, pair[0], &role)))
            return rc;
        q->role = (int)role;
    }
    if ((v = cli_opt_value(a, "holder")))
        q->holder = v;
    if ((v = cli_opt_value(a, "field"))) {
        if (!(pair[1] = strdup(v)))
            return cli_fail(c, INC_ENOMEM, "out of memory");
        if ((rc = split_pair(c, "--field", pair[1], &q->field_value)))
            return rc;
        q->field = pair[1];
    }
    q->title = cli_opt_value(a, "title");
    if ((v = cli_opt_value(a, "sort")) && (rc = parse_sort(c, v, &q->sort)))
        return rc;
    q->descending = cli_opt_given(a, "reverse");
    if ((v = cli_opt_value(a, "limit")) && (rc = parse_limit(c, v, &q->limit)))
        return rc;
    return CLI_EXIT_OK;
}

static void print_json(cli *c, const inc_incident_list *l)
{
    jw w;
    size_t i;
    cli_json_start(c, &w);
    jw_kstr(&w, "store", c->store_dir);
    jw_key(&w, "incidents");
    jw_arr(&w);
    for (i = 0; i < inc_incident_list_count(l); i++) {
        const inc_incident_entry *e = inc_incident_list_at(l, i);
        jw_obj(&w); /* the fields of cli_json_incident_fields(), then the list's own */
        jw_kstr(&w, "id", e->id);
        jw_kstr(&w, "title", e->title);
        jw_kstr(&w, "channel", e->channel);
        jw_kstr(&w, "severity", e->severity);
        jw_kstr(&w, "state", inc_state_name(e->state));
        jw_kstr(&w, "ic", e->ic);
        jw_kstr(&w, "declarer", e->declarer);
        jw_kbool(&w, "drill", e->drill);
        jw_ktime(&w, "declared_at", e->declared_at);
        jw_kint(&w, "last_seq", (long long)e->last_seq);
        jw_ktime(&w, "resolved_at", e->resolved_at);
        jw_kint(&w, "reopen_count", (long long)e->reopen_count);
        jw_kstr(&w, "duplicate_of", e->duplicate_of);
        jw_end_obj(&w);
    }
    jw_end_arr(&w);
    jw_kint(&w, "matched", (long long)inc_incident_list_total(l));
    jw_key(&w, "unreadable"); /* the ids that could not be read (also on stderr) */
    jw_arr(&w);
    for (i = 0; i < inc_incident_list_unreadable_count(l); i++)
        jw_str(&w, inc_incident_list_unreadable(l, i));
    jw_end_arr(&w);
    jw_end_obj(&w);
    jw_finish(&w);
}

static int filtered(const inc_incident_query *q)
{
    return q->states || q->level || q->drills || q->since != INC_TIME_NONE ||
           q->until != INC_TIME_NONE || q->holder || q->field || q->title;
}

static void print_text(cli *c, const inc_incident_list *l, int filtered)
{
    size_t i, n = inc_incident_list_count(l);
    if (n)
        cli_printf_wrapped(0, 79, "%-44s %-6s %-13s %-12s %s", "ID", "SEV", "STATE", "IC", "TITLE");
    for (i = 0; i < n; i++) {
        const inc_incident_entry *e = inc_incident_list_at(l, i);
        /* A long title continues under the TITLE column (past the 79 columns before it). */
        cli_printf_wrapped(0, 79, "%-44s %-6s %-13s %-12s %s%s", e->id, e->severity,
                           inc_state_name(e->state), cli_safe(e->ic), cli_safe(e->title),
                           e->drill ? " [drill]" : "");
    }
    if (n < inc_incident_list_total(l))
        printf("(%zu of %zu shown: --limit)\n", n, inc_incident_list_total(l));
    if (!n && !inc_incident_list_unreadable_count(l))
        printf(filtered ? "no incidents match in %s\n" : "no incidents in %s\n", c->store_dir);
}

int cmd_list(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"open", 0, 0},  {"state", 0, 1}, {"level", 0, 1},   {"drill", 0, 0},  {"no-drills", 0, 0},
        {"since", 0, 1}, {"until", 0, 1}, {"role", 0, 1},    {"holder", 0, 1}, {"field", 0, 1},
        {"title", 0, 1}, {"sort", 0, 1},  {"reverse", 0, 0}, {"limit", 0, 1}};
    inc_incident_query q = INC_INCIDENT_QUERY_INIT;
    inc_incident_list *l = NULL;
    char *pair[2] = {NULL, NULL};
    size_t i, bad;
    int none;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 0, 0, CLI_NO_STORE);
    if (rc != CLI_GO)
        return rc;
    if ((rc = read_query(c, &a, &q, pair)) != CLI_EXIT_OK)
        goto out;
    if ((rc = cli_open(c, CLI_STORE_RO)) != CLI_EXIT_OK)
        goto out;
    /* --open with only resolved or closed states matches nothing: no query
     * (a NULL list reads as empty). */
    none = cli_opt_given(&a, "open") && !q.states;
    if (!none && (rc = inc_incident_list_query_skipping(c->ctx, &q, &l)) != INC_OK) {
        rc = cli_fail(c, rc, inc_context_errmsg(c->ctx));
        goto out;
    }
    bad = inc_incident_list_unreadable_count(l);
    for (i = 0; i < bad; i++)
        fprintf(stderr, "incident: list: %s: could not be read (incident verify names why)\n",
                inc_incident_list_unreadable(l, i));
    if (c->json)
        print_json(c, l);
    else
        print_text(c, l, none || filtered(&q));
    if (bad && !c->json)
        fprintf(stderr, "incident: list: %zu incident%s in %s could not be read\n", bad,
                bad == 1 ? "" : "s", c->store_dir);
    rc = bad ? CLI_EXIT_STORE : CLI_EXIT_OK;
out:
    inc_incident_list_free(l);
    free(pair[0]);
    free(pair[1]);
    return rc;
}
