/* The due-items benchmark (issue 7). Prints figures, asserts nothing about
 * time. On the memory store, with a fake clock and the default rubric:
 *
 *   1. next due: inc_scheduler_next_due() with 1,000 and with 100,000 open
 *      incidents (the cost must not grow), against a naive scan that asks
 *      every incident for its next due time;
 *   2. a poll that delivers 10 items with 100,000 open incidents, against a
 *      naive scan that asks every incident to deliver what is due, and
 *      against a linear scan of an in-memory array of next due times (the
 *      cheapest scan there is: no incident opened);
 *   3. a simulated day: 100,000 incidents declared over 24 hours in a
 *      realistic severity mix, the clock advanced minute by minute, every
 *      due item delivered by polling: items delivered and total time.
 *
 * The incidents of 1 and 2 are Sev-4 (whose one due item is the minimum
 * staffing 10 minutes after declaration), declared one second apart, so at
 * T+10m+9s exactly 10 items are due.
 *
 * Output: "name: value unit" lines and "ratio name: value" lines.
 *
 *     due_bench [--quick]      (--quick: 10,000 instead of 100,000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "incident.h"

#define T0     1795443120000LL
#define SECOND 1000LL
#define MINUTE (60 * SECOND)
#define HOUR   (60 * MINUTE)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "due_bench: %s: %s\n", what, inc_status_name(rc));
    exit(1);
}

typedef struct world {
    inc_time now; /* the fake clock */
    inc_context *ctx;
    inc_scheduler *sched;
    char (*ids)[INC_ID_MAX + 1];
    size_t count;
} world;

static inc_time fake_clock(void *user)
{
    return ((world *)user)->now;
}

static void world_open(world *w, size_t cap)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    int rc;
    memset(w, 0, sizeof(*w));
    w->now = T0;
    o.clock = fake_clock;
    o.clock_user = w;
    if ((rc = inc_context_new(&o, &w->ctx)) != INC_OK)
        die("context", rc);
    if ((rc = inc_scheduler_new(w->ctx, NULL, &w->sched)) != INC_OK)
        die("scheduler", rc);
    w->ids = calloc(cap, sizeof(*w->ids));
    if (!w->ids)
        die("ids", INC_ENOMEM);
}

static void world_close(world *w)
{
    inc_scheduler_free(w->sched);
    inc_context_free(w->ctx); /* and its memory store */
    free(w->ids);
}

static void declare(world *w, const char *severity, const char *title)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_incident *inc = NULL;
    int rc;
    d.title = title;
    d.declarer = "alice";
    d.severity = severity;
    if ((rc = inc_incident_declare(w->ctx, &d, &inc)) != INC_OK)
        die("declare", rc);
    snprintf(w->ids[w->count++], INC_ID_MAX + 1, "%s", inc_incident_id(inc));
    inc_incident_free(inc);
}

/* n Sev-4 incidents, one second apart from T0. */
static void populate(world *w, size_t n)
{
    size_t i;
    char title[64];
    for (i = 0; i < n; i++) {
        w->now = T0 + (inc_time)i * SECOND;
        snprintf(title, sizeof(title), "Batch job %zu slower than usual", i);
        declare(w, "Sev-4", title);
    }
}

/* ns per inc_scheduler_next_due() call. */
static double time_next_due(world *w)
{
    const long reps = 20000000;
    volatile inc_time sink = 0;
    double t = now_s();
    long i;
    for (i = 0; i < reps; i++)
        sink += inc_scheduler_next_due(w->sched);
    (void)sink;
    return (now_s() - t) * 1e9 / (double)reps;
}

/* The naive next due: open every incident and ask it. */
static double naive_next_due(world *w, inc_time *min_out)
{
    inc_time min = INC_TIME_NONE;
    double t = now_s();
    size_t i;
    for (i = 0; i < w->count; i++) {
        inc_incident *inc = NULL;
        inc_time due;
        int rc = inc_incident_open(w->ctx, w->ids[i], &inc);
        if (rc != INC_OK)
            die("open", rc);
        due = inc_incident_next_due(inc);
        if (due != INC_TIME_NONE && (min == INC_TIME_NONE || due < min))
            min = due;
        inc_incident_free(inc);
    }
    *min_out = min;
    return now_s() - t;
}

/* The naive poll: open every incident and deliver what it has due. */
static double naive_poll(world *w, size_t *items)
{
    double t = now_s();
    size_t i;
    *items = 0;
    for (i = 0; i < w->count; i++) {
        inc_incident *inc = NULL;
        inc_due_list *l = NULL;
        int rc = inc_incident_open(w->ctx, w->ids[i], &inc);
        if (rc != INC_OK)
            die("open", rc);
        if ((rc = inc_incident_deliver_due(inc, "naive", 0, &l)) != INC_OK)
            die("deliver", rc);
        *items += inc_due_list_count(l);
        inc_due_list_free(l);
        inc_incident_free(inc);
    }
    return now_s() - t;
}

static double sched_poll(world *w, size_t *items)
{
    inc_due_list *l = NULL;
    double t = now_s();
    int rc = inc_scheduler_poll(w->sched, 0, &l);
    t = now_s() - t;
    if (rc != INC_OK)
        die(inc_scheduler_errmsg(w->sched), rc);
    *items = inc_due_list_count(l);
    inc_due_list_free(l);
    return t;
}

/* The cheapest scan: an in-memory array of every incident's next due time,
 * read from start to end (what a scheduler without a heap does). */
static double array_scan(const inc_time *due, size_t n, inc_time now, size_t *hits)
{
    const int reps = 200;
    double t = now_s();
    size_t i, h = 0;
    int r;
    for (r = 0; r < reps; r++) {
        h = 0;
        for (i = 0; i < n; i++)
            h += due[i] != INC_TIME_NONE && due[i] <= now;
    }
    *hits = h;
    return (now_s() - t) / reps;
}

static void part_next_due_small(size_t n, double *ns)
{
    world w;
    world_open(&w, n);
    populate(&w, n);
    *ns = time_next_due(&w);
    printf("incidents: %zu\n", n);
    printf("next_due_%zu: %.2f ns\n", n, *ns);
    world_close(&w);
}

static void part_large(size_t n, double small_ns, size_t small_n)
{
    world w;
    inc_time *due, min = INC_TIME_NONE;
    double t, ns, naive_nd, naive_p, poll, scan;
    size_t i, items = 0, naive_items = 0, hits = 0;

    world_open(&w, n);
    t = now_s();
    populate(&w, n);
    printf("incidents: %zu\n", n);
    printf("declare_%zu: %.2f s\n", n, now_s() - t);
    printf("scheduled_%zu: %zu incidents\n", n, inc_scheduler_count(w.sched));

    ns = time_next_due(&w);
    printf("next_due_%zu: %.2f ns\n", n, ns);
    printf("ratio next_due_%zu_over_%zu: %.2f\n", n, small_n, ns / small_ns);
    naive_nd = naive_next_due(&w, &min);
    printf("naive_next_due_%zu: %.1f ms\n", n, naive_nd * 1e3);
    if (min != inc_scheduler_next_due(w.sched))
        die("the naive next due disagrees", INC_ERROR);
    printf("ratio naive_next_due_over_next_due: %.0f\n", naive_nd * 1e9 / ns);

    /* 10 items due (incidents 0..9), delivered by the naive scan. */
    w.now = T0 + 10 * MINUTE + 9 * SECOND;
    naive_p = naive_poll(&w, &naive_items);
    printf("naive_poll_%zu: %.1f ms for %zu items\n", n, naive_p * 1e3, naive_items);
    /* The next 10 (incidents 10..19), delivered by the scheduler. */
    w.now = T0 + 10 * MINUTE + 19 * SECOND;
    poll = sched_poll(&w, &items);
    printf("poll_%zu: %.1f us for %zu items\n", n, poll * 1e6, items);
    printf("ratio naive_poll_over_poll: %.0f\n", naive_p / poll);

    /* The same next 10 found by a linear scan of cached next due times. */
    due = malloc(n * sizeof(*due));
    if (!due)
        die("array", INC_ENOMEM);
    for (i = 0; i < n; i++)
        due[i] = T0 + (inc_time)i * SECOND + 10 * MINUTE;
    scan = array_scan(due, n, T0 + 10 * MINUTE + 29 * SECOND, &hits);
    printf("array_scan_%zu: %.1f us finding %zu items (no delivery)\n", n, scan * 1e6, hits);
    printf("ratio poll_over_array_scan: %.2f\n", poll / scan);
    free(due);
    world_close(&w);
}

/* A day: n incidents arriving evenly over 24 hours, 1% Sev-1, 9% Sev-2,
 * 30% Sev-3, 60% Sev-4; the clock advances a minute at a time and every
 * minute the program polls. Nobody acknowledges or resolves: every ladder,
 * heartbeat and requirement runs its course. */
static void part_day(size_t n)
{
    world w;
    double t, poll_time = 0;
    size_t declared = 0, delivered = 0, polls = 0, by_kind[12] = {0};
    int minute;

    world_open(&w, n);
    t = now_s();
    for (minute = 0; minute < 24 * 60; minute++) {
        size_t due_by_now = n * (size_t)(minute + 1) / (24 * 60);
        inc_due_list *l = NULL;
        double p;
        size_t i;
        int rc;

        w.now = T0 + (inc_time)minute * MINUTE;
        while (declared < due_by_now) {
            size_t k = declared % 100;
            char title[64];
            snprintf(title, sizeof(title), "Simulated incident %zu", declared);
            declare(&w, k < 1 ? "Sev-1" : k < 10 ? "Sev-2" : k < 40 ? "Sev-3" : "Sev-4", title);
            declared++;
        }
        p = now_s();
        rc = inc_scheduler_poll(w.sched, 0, &l);
        poll_time += now_s() - p;
        if (rc != INC_OK)
            die(inc_scheduler_errmsg(w.sched), rc);
        for (i = 0; i < inc_due_list_count(l); i++)
            by_kind[inc_due_list_at(l, i)->kind]++;
        delivered += inc_due_list_count(l);
        polls++;
        inc_due_list_free(l);
    }
    t = now_s() - t;
    printf("day_incidents: %zu incidents\n", declared);
    printf("day_polls: %zu polls\n", polls);
    printf("day_items_delivered: %zu items\n", delivered);
    for (minute = 1; minute < 12; minute++)
        if (by_kind[minute])
            printf("day_items_%s: %zu items\n", inc_due_kind_name((inc_due_kind)minute),
                   by_kind[minute]);
    printf("day_total_time: %.2f s\n", t);
    printf("day_poll_time: %.2f s\n", poll_time);
    printf("day_poll_per_item: %.1f us\n", delivered ? poll_time * 1e6 / (double)delivered : 0.0);
    world_close(&w);
}

int main(int argc, char **argv)
{
    size_t big = 100000, small = 1000;
    double small_ns;

    if (argc > 1 && strcmp(argv[1], "--quick") == 0)
        big = 10000;
    part_next_due_small(small, &small_ns);
    part_large(big, small_ns, small);
    part_day(big);
    return 0;
}
