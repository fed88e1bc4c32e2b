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
} feed_out;

static int print_item(void *user, const inc_feed_item *it)
{
    feed_out *f = user;
    char when[40];

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
    static const cli_opt opts[] = {{"since", 's', 1}, {"max", 'n', 1}};
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
    if ((rc = inc_feed_new(c->ctx, since, &feed)) != INC_OK)
        return cli_fail(c, rc, inc_context_errmsg(c->ctx));
    out.c = c;
    out.w = &w;
    if (c->json) {
        cli_json_start(c, &w);
        jw_key(&w, "events");
        jw_arr(&w);
    }
    rc = inc_feed_poll(feed, (size_t)max, print_item, &out, &n);
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
