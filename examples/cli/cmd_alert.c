/* incident(1): alert and feed. `alert` takes an Alertmanager webhook or a
 * PagerDuty Events v2 event (a file or stdin) through a routing file
 * (lib/docs/alert-routing.md, ALERT-1..ALERT-3); `feed` prints the events
 * written since a cursor and the cursor to keep (incident/feed.h). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- alert ------------------------------------------------------------------ */

static void print_outcome(cli *c, const inc_alert_outcome *o)
{
    jw w;
    if (!c->json) {
        printf("alerts %zu: declared %zu, attached %zu, recorded %zu, paged %zu, not paged "
               "(maintenance) %zu, not routed %zu\n",
               o->alerts, o->declared, o->attached, o->recorded, o->paged, o->suppressed,
               o->unrouted);
        if (o->incident_id[0])
            printf("incident %s\n", o->incident_id);
        return;
    }
    cli_json_start(c, &w);
    jw_kint(&w, "alerts", (long long)o->alerts);
    jw_kint(&w, "declared", (long long)o->declared);
    jw_kint(&w, "attached", (long long)o->attached);
    jw_kint(&w, "recorded", (long long)o->recorded);
    jw_kint(&w, "paged", (long long)o->paged);
    jw_kint(&w, "suppressed", (long long)o->suppressed);
    jw_kint(&w, "unrouted", (long long)o->unrouted);
    jw_kstr(&w, "incident", o->incident_id[0] ? o->incident_id : NULL);
    jw_end_obj(&w);
    jw_finish(&w);
}

static int load_router(cli *c, const char *path, inc_alert_router **out)
{
    char *text = NULL;
    size_t len = 0;
    inc_diag diag;
    int rc;

    if ((rc = cli_read_file(c, path, &text, &len)) != CLI_EXIT_OK)
        return rc;
    memset(&diag, 0, sizeof(diag));
    rc = inc_alert_router_parse(c->ctx, path, text, len, out, &diag);
    free(text);
    if (rc != INC_OK) /* the message names the file and the line */
        return cli_fail(c, rc, diag.message[0] ? diag.message : inc_strerror(rc));
    return CLI_EXIT_OK;
}

int cmd_alert(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {{"routing", 'r', 1}, {"flush", 0, 0}};
    inc_alert_router *router = NULL;
    inc_alert_outcome o;
    char *doc = NULL;
    size_t len = 0;
    cli_args a;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 0, 1, CLI_STORE_CREATE);

    if (rc != CLI_GO)
        return rc;
    if (!cli_opt_value(&a, "routing"))
        return cli_usage(c, "--routing FILE is required (lib/docs/alert-routing.md)");
    if ((rc = load_router(c, cli_opt_value(&a, "routing"), &router)) != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_read_file(c, a.npos ? a.pos[0] : "-", &doc, &len)) != CLI_EXIT_OK) {
        inc_alert_router_free(router);
        return rc;
    }
    rc = inc_alert_router_intake(router, doc, len, &o);
    free(doc);
    /* A repeat inside its group window is counted in memory only, and this
     * process ends now: --flush writes its count (one event per repeat). */
    if (rc == INC_OK && cli_opt_given(&a, "flush"))
        rc = inc_alert_router_flush(router, NULL);
    if (rc != INC_OK) {
        rc = cli_fail(c, rc, inc_alert_router_errmsg(router));
        inc_alert_router_free(router);
        return rc;
    }
    inc_alert_router_free(router);
    print_outcome(c, &o);
    return CLI_EXIT_OK;
}

/* ---- feed ------------------------------------------------------------------- */

typedef struct feed_out {
    cli *c;
    jw *w;
    /* --pagerduty: the events' PagerDuty bodies instead of the events */
    const char *routing_key, *url_template;
    inc_incident *inc; /* the incident of the items being read */
    int rc;            /* a failure that stopped the poll */
} feed_out;

/* The incident page: the template with each "{id}" replaced by the id. */
static char *incident_url(const char *tmpl, const char *id)
{
    size_t n = 0, idlen = strlen(id);
    const char *p;
    char *url, *o;

    for (p = tmpl; (p = strstr(p, "{id}")) != NULL; p += 4)
        n++;
    if (!(url = malloc(strlen(tmpl) + n * idlen + 1)))
        return NULL;
    for (o = url, p = tmpl; *p;)
        if (strncmp(p, "{id}", 4) == 0) {
            memcpy(o, id, idlen);
            o += idlen;
            p += 4;
        } else
            *o++ = *p++;
    *o = '\0';
    return url;
}

/* The library's rule for a routing key, asked before anything is printed. */
static int routing_key_ok(const char *key)
{
    char *doc = NULL;
    int rc = inc_pagerduty_event("resolve", key, "-", &doc, NULL);
    inc_free(doc);
    return rc == INC_OK;
}

/* The handle of the item's incident, opened (or reloaded) to hold it. */
static int item_incident(feed_out *f, const inc_feed_item *it)
{
    if (f->inc && strcmp(inc_incident_id(f->inc), it->incident_id) != 0) {
        inc_incident_free(f->inc);
        f->inc = NULL;
    }
    if (!f->inc)
        return inc_incident_open(f->c->ctx, it->incident_id, &f->inc);
    return it->seq > inc_incident_event_count(f->inc) ? inc_incident_reload(f->inc) : INC_OK;
}

/* --pagerduty: the bodies the event calls for (inc_incident_pagerduty_json),
 * one JSON document a line, or in the event's object with --json. */
static int print_pagerduty(feed_out *f, const inc_feed_item *it)
{
    char *url = NULL, *bodies = NULL;
    size_t count = 0;
    int rc;

    if ((rc = item_incident(f, it)) != INC_OK) {
        f->rc = cli_fail(f->c, rc, inc_context_errmsg(f->c->ctx));
        return 1;
    }
    if (f->url_template && !(url = incident_url(f->url_template, it->incident_id))) {
        f->rc = cli_fail(f->c, INC_ENOMEM, "out of memory");
        return 1;
    }
    rc = inc_incident_pagerduty_json(f->inc, it->seq, f->routing_key, NULL, url, &bodies, &count);
    free(url);
    if (rc != INC_OK) {
        f->rc = cli_fail(f->c, rc,
                         rc == INC_EINVAL ? "--pagerduty: the routing key is 32 letters and "
                                            "digits; --incident-url an http(s) URL without blanks"
                                          : "PagerDuty bodies: failed");
        return 1;
    }
    if (f->c->json) {
        char *line = bodies, *next;
        jw_obj(f->w);
        jw_kstr(f->w, "incident", it->incident_id);
        jw_kint(f->w, "seq", (long long)it->seq);
        jw_kstr(f->w, "kind", inc_event_kind_name(it->kind));
        jw_key(f->w, "pagerduty");
        jw_arr(f->w);
        for (; count && line; line = next) {
            if ((next = strchr(line, '\n')) != NULL)
                *next++ = '\0';
            jw_raw(f->w, line);
        }
        jw_end_arr(f->w);
        jw_end_obj(f->w);
    } else if (count)
        printf("%s\n", bodies);
    inc_free(bodies);
    return 0;
}

static int print_item(void *user, const inc_feed_item *it)
{
    feed_out *f = user;
    char when[40];

    if (f->routing_key)
        return print_pagerduty(f, it);
    if (f->c->json) {
        jw_obj(f->w);
        jw_kstr(f->w, "incident", it->incident_id);
        jw_kint(f->w, "seq", (long long)it->seq);
        jw_kstr(f->w, "kind", inc_event_kind_name(it->kind));
        jw_ktime(f->w, "time", it->time);
        jw_kstr(f->w, "actor", it->actor);
        jw_kstr(f->w, "text", it->text);
        jw_end_obj(f->w);
        return 0;
    }
    inc_time_format(it->time, when, sizeof(when));
    printf("%s #%llu %s %s: %s\n", it->incident_id, (unsigned long long)it->seq, when,
           cli_safe(it->actor), cli_safe(it->text));
    return 0;
}

int cmd_feed(cli *c, int argc, char **argv)
{
    static const cli_opt opts[] = {
        {"since", 's', 1}, {"max", 'n', 1}, {"pagerduty", 'p', 1}, {"incident-url", 'u', 1}};
    const char *since;
    inc_feed *feed = NULL;
    char *cursor = NULL, *end;
    unsigned long long max = 0;
    size_t n = 0;
    feed_out out;
    cli_args a;
    jw w;
    int rc = cli_start(c, opts, CLI_NOPTS(opts), argc, argv, &a, 0, 0, CLI_STORE_RO);

    if (rc != CLI_GO)
        return rc;
    since = cli_opt_value(&a, "since");
    if (cli_opt_value(&a, "max")) {
        max = strtoull(cli_opt_value(&a, "max"), &end, 10);
        if (*end || cli_opt_value(&a, "max")[0] == '-' || !cli_opt_value(&a, "max")[0])
            return cli_usage(c, "--max: '%s' is not a count", cli_opt_value(&a, "max"));
    }
    memset(&out, 0, sizeof(out));
    out.c = c;
    out.w = &w;
    out.routing_key = cli_opt_value(&a, "pagerduty");
    out.url_template = cli_opt_value(&a, "incident-url");
    if (out.url_template && !out.routing_key)
        return cli_usage(c, "--incident-url goes with --pagerduty");
    if (out.routing_key && !routing_key_ok(out.routing_key))
        return cli_usage(c,
                         "--pagerduty: '%s' is not an Events API v2 routing key (32 letters "
                         "and digits)",
                         out.routing_key);
    /* After the checks of the arguments: a refused one leaves nothing open. */
    if ((rc = inc_feed_new(c->ctx, since, &feed)) != INC_OK)
        return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    if (c->json) {
        cli_json_start(c, &w);
        jw_key(&w, "events");
        jw_arr(&w);
    }
    rc = inc_feed_poll(feed, (size_t)max, print_item, &out, &n);
    inc_incident_free(out.inc);
    if (out.rc) { /* reported */
        inc_feed_free(feed);
        return out.rc;
    }
    if (rc == INC_OK)
        rc = inc_feed_cursor(feed, &cursor);
    if (rc != INC_OK) {
        rc = cli_fail(c, rc, inc_feed_errmsg(feed));
        inc_feed_free(feed);
        return rc;
    }
    if (c->json) {
        jw_end_arr(&w);
        jw_kstr(&w, "cursor", cursor);
        jw_end_obj(&w);
        jw_finish(&w);
    } else {
        printf("cursor: %s\n", cursor);
    }
    inc_free(cursor);
    inc_feed_free(feed);
    return CLI_EXIT_OK;
}
