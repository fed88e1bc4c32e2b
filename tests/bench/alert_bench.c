/* Alert storms (issue 19, ALERT-1): what a storm costs in incidents, events
 * and time on the journal store (sync none). Prints figures, asserts nothing
 * about time.
 *
 * - storm: 10,000 firing alerts of distinct fingerprints for one group
 *   within a minute (a fake clock, 5 ms apart): incidents declared, every
 *   fingerprint counted (alert_received events), events the incident holds;
 * - repeats: 10,000 repeats of one fingerprint of the open group: events
 *   written by the repeats, and after inc_alert_router_flush();
 * - rate: intake of repeats of an open group, alerts per second (the
 *   target is >= 50,000/s), each a one-alert Alertmanager document;
 * - feed: the change feed from the beginning over the storm's store (events
 *   per second delivered), and a poll with nothing new.
 *
 *     alert_bench [work-dir]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "incident.h"

#define STORM   10000
#define REPEATS 10000
#define RATE_N  200000

static const char routes[] = "libincident-routing 1\n"
                             "rule = checkout-page\n"
                             "  match = alertname=CheckoutDown\n"
                             "  level = Sev-1\n"
                             "  slug = checkout\n"
                             "  rotation = checkout-primary\n"
                             "  group_window = 30m\n";

static const char rotation[] = "libincident-rotation 1\nname = checkout-primary\nzone = UTC\n"
                               "period = weekly\nstart = 2026-01-05\nhandoff = monday 10:00\n"
                               "role = none\nperson = pat\n";

static inc_time fake_now = 1795443120000LL; /* 2026-11-23T14:12:00Z */

static inc_time fake_clock(void *user)
{
    (void)user;
    return fake_now;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "alert_bench: %s: %s\n", what, inc_status_name(rc));
    exit(1);
}

static void rm_rf(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "alert_bench: cannot remove %s\n", path);
}

static size_t doc(char *buf, size_t size, unsigned fingerprint)
{
    return (size_t)snprintf(
        buf, size,
        "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
        "\"labels\":{\"alertname\":\"CheckoutDown\",\"service\":\"checkout\",\"instance\":"
        "\"web-%u\"},\"annotations\":{\"summary\":\"5xx above 5%%\"},\"fingerprint\":\"%08x\"}]}",
        fingerprint, fingerprint);
}

static void intake(inc_alert_router *r, const char *d, size_t len, inc_alert_outcome *o)
{
    int rc = inc_alert_router_intake(r, d, len, o);
    if (rc != INC_OK)
        die(inc_alert_router_errmsg(r), rc);
}

static size_t events_of(inc_context *ctx, const char *id, size_t *alerts)
{
    inc_incident *inc;
    inc_event_info ev;
    size_t i, n;
    int rc;

    if ((rc = inc_incident_open(ctx, id, &inc)) != INC_OK)
        die("open", rc);
    n = inc_incident_event_count(inc);
    *alerts = 0;
    for (i = 0; i < n; i++)
        if (inc_incident_get_event(inc, i, &ev) == INC_OK && ev.kind == INC_EV_ALERT_RECEIVED)
            ++*alerts;
    inc_incident_free(inc);
    return n;
}

static int count_item(void *user, const inc_feed_item *it)
{
    (void)it;
    ++*(size_t *)user;
    return 0;
}

static void feed_figures(inc_context *ctx)
{
    inc_feed *f;
    size_t n = 0;
    double t;
    int rc;

    if ((rc = inc_feed_new(ctx, NULL, &f)) != INC_OK)
        die("feed", rc);
    t = now_s();
    if ((rc = inc_feed_poll(f, 0, count_item, &n, NULL)) != INC_OK)
        die(inc_feed_errmsg(f), rc);
    t = now_s() - t;
    printf("feed events delivered: %zu events\n", n);
    printf("feed delivery rate: %.0f events/s\n", (double)n / t);
    t = now_s();
    if ((rc = inc_feed_poll(f, 0, count_item, &n, NULL)) != INC_OK)
        die(inc_feed_errmsg(f), rc);
    printf("feed poll with nothing new: %.3f ms\n", (now_s() - t) * 1e3);
    inc_feed_free(f);
}

int main(int argc, char **argv)
{
    const char *work = argc > 1 ? argv[1] : "alert-bench-work";
    inc_journal_options jo = INC_JOURNAL_OPTIONS_INIT;
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_alert_outcome o;
    inc_alert_router *r;
    inc_rotation *rot;
    inc_context *ctx;
    inc_store *s;
    char dir[1100], buf[512], id[INC_ID_MAX + 1];
    size_t i, len, declared = 0, events, alerts, before, written;
    double t;
    int rc;

    setvbuf(stdout, NULL, _IOLBF, 0);
    mkdir(work, 0700);
    snprintf(dir, sizeof(dir), "%s/j", work);
    rm_rf(dir);
    jo.sync = INC_SYNC_NONE;
    if ((rc = inc_store_journal_open(dir, &jo, &s)) != INC_OK)
        die("journal open", rc);
    co.store = s;
    co.clock = fake_clock;
    if ((rc = inc_context_new(&co, &ctx)) != INC_OK)
        die("context", rc);
    if ((rc = inc_rotation_parse(ctx, rotation, strlen(rotation), &rot, NULL)) != INC_OK ||
        (rc = inc_context_add_rotation(ctx, rot)) != INC_OK)
        die("rotation", rc);
    inc_rotation_free(rot);
    if ((rc = inc_alert_router_parse(ctx, "routes", routes, strlen(routes), &r, NULL)) != INC_OK)
        die("routes", rc);

    /* The storm: 10,000 fingerprints of one group within a minute. */
    t = now_s();
    for (i = 0; i < STORM; i++) {
        len = doc(buf, sizeof(buf), (unsigned)i);
        intake(r, buf, len, &o);
        declared += o.declared;
        fake_now += 5;
    }
    t = now_s() - t;
    snprintf(id, sizeof(id), "%s", o.incident_id);
    events = events_of(ctx, id, &alerts);
    printf("storm alerts: %d alerts\n", STORM);
    printf("storm incidents declared: %zu incidents\n", declared);
    printf("storm fingerprints counted: %zu events\n", alerts);
    printf("storm events in the incident: %zu events\n", events);
    printf("storm intake rate: %.0f alerts/s\n", STORM / t);

    /* 10,000 repeats of one fingerprint of the open group. */
    before = events;
    len = doc(buf, sizeof(buf), 7);
    for (i = 0; i < REPEATS; i++)
        intake(r, buf, len, &o);
    events = events_of(ctx, id, &alerts);
    printf("events written per 10000 repeats: %zu events\n", events - before);
    if ((rc = inc_alert_router_flush(r, &written)) != INC_OK)
        die("flush", rc);
    printf("events written by the flush after them: %zu events\n", written);

    /* The intake rate of repeats of an open group. */
    t = now_s();
    for (i = 0; i < RATE_N; i++)
        intake(r, buf, len, &o);
    t = now_s() - t;
    printf("repeat intake rate: %.0f alerts/s\n", RATE_N / t);
    printf("ratio repeat rate / 50000 target: %.2f\n", RATE_N / t / 50000.0);

    feed_figures(ctx);
    inc_alert_router_free(r);
    inc_context_free(ctx);
    inc_store_free(s);
    rm_rf(work);
    return 0;
}
