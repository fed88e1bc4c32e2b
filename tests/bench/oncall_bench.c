/* The on-call benchmark (issue 11). Prints figures, asserts nothing about
 * time. A weekly rotation of five with Monday 10:00 hand-offs, over the
 * year 2026 (52 shifts, two daylight-saving changes):
 *
 *   1. who is on call (inc_rotation_who(), primary layer) at pseudo-random
 *      times of the year, in Europe/Berlin and in UTC, without overrides
 *      and with 52 overrides (one two-day cover per week);
 *   2. the year's shift list (inc_rotation_shifts());
 *   3. resolving an escalation target through the context's registry
 *      (inc_context_resolve_targets(), which allocates its answer).
 *
 * Output: "name: value unit" lines.
 *
 *     oncall_bench [--quick]      (--quick: a tenth of the lookups)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "incident.h"

#define DAY (24LL * 60 * 60 * 1000)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "oncall_bench: %s: %s\n", what, inc_status_name(rc));
    exit(1);
}

static inc_rotation *make(inc_context *ctx, const char *zone, int overrides)
{
    static const char *const people[5] = {"alice", "bob", "carol", "dave", "erin"};
    inc_rotation *r = NULL;
    inc_time t0 = 1767607200000LL; /* 2026-01-05T10:00Z */
    int rc, i;

    if ((rc = inc_rotation_new(ctx, "payments", &r)) != INC_OK)
        die("rotation_new", rc);
    for (i = 0; i < 5; i++)
        inc_rotation_add_person(r, people[i]);
    if ((rc = inc_rotation_set_zone(r, zone)) != INC_OK)
        die(zone, rc);
    inc_rotation_set_start(r, 2026, 1, 5);
    for (i = 0; overrides && i < 52; i++) {
        inc_rotation_override o = {INC_LAYER_PRIMARY, 0, 0, "frank", "ops", NULL, INC_TIME_NONE};
        o.start = t0 + i * 7 * DAY + 2 * DAY;
        o.end = o.start + 2 * DAY;
        if ((rc = inc_rotation_add_override(r, &o, NULL)) != INC_OK)
            die("override", rc);
    }
    return r;
}

/* xorshift64: the same times every run. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void bench_who(inc_context *ctx, const char *zone, int overrides, long n)
{
    inc_rotation *r = make(ctx, zone, overrides);
    inc_time from = 1767607200000LL + DAY, span = 363 * DAY; /* within the shifts */
    uint64_t seed = 88172645463325252ULL;
    size_t check = 0;
    double t;
    long i;

    t = now_s();
    for (i = 0; i < n; i++) {
        inc_shift s;
        int rc = inc_rotation_who(r, INC_LAYER_PRIMARY,
                                  from + (inc_time)(next(&seed) % (uint64_t)span), &s);
        if (rc != INC_OK)
            die("who", rc);
        check += (size_t)s.person[0];
    }
    t = now_s() - t;
    printf("who %s%s: %.0f lookups/s (%.0f ns each, checksum %zu)\n", zone,
           overrides ? " +52 overrides" : "", (double)n / t, t / (double)n * 1e9, check % 997);
    inc_rotation_free(r);
}

static void bench_shifts(inc_context *ctx, long rounds)
{
    inc_rotation *r = make(ctx, "Europe/Berlin", 1);
    inc_shift *sh = NULL;
    size_t n = 0;
    double t = now_s();
    long i;

    for (i = 0; i < rounds; i++) {
        int rc = inc_rotation_shifts(r, INC_LAYER_PRIMARY, 1767607200000LL,
                                     1767607200000LL + 364 * DAY, &sh, &n);
        if (rc != INC_OK)
            die("shifts", rc);
        inc_free(sh);
    }
    t = now_s() - t;
    printf("shifts Europe/Berlin +52 overrides, one year (%zu stretches): %.1f us per list\n", n,
           t / (double)rounds * 1e6);
    inc_rotation_free(r);
}

static void bench_resolve(inc_context *ctx, long n)
{
    inc_rotation *r = make(ctx, "Europe/Berlin", 1);
    double t;
    long i;

    inc_context_add_rotation(ctx, r);
    t = now_s();
    for (i = 0; i < n; i++) {
        char *out = NULL;
        int rc = inc_context_resolve_targets(
            ctx, "rotation:payments/primary,rotation:payments/secondary,team-lead",
            1767607200000LL + (inc_time)(i % 364) * DAY, &out, NULL);
        if (rc != INC_OK)
            die("resolve", rc);
        inc_free(out);
    }
    t = now_s() - t;
    printf("resolve 'rotation:payments/primary,rotation:payments/secondary,team-lead': %.0f "
           "resolutions/s\n",
           (double)n / t);
    inc_rotation_free(r);
}

int main(int argc, char **argv)
{
    long n = argc > 1 && strcmp(argv[1], "--quick") == 0 ? 200000 : 2000000;
    inc_context *ctx = NULL;
    int rc;

    if ((rc = inc_context_new(NULL, &ctx)) != INC_OK)
        die("context", rc);
    bench_who(ctx, "UTC", 0, n);
    bench_who(ctx, "Europe/Berlin", 0, n);
    bench_who(ctx, "Europe/Berlin", 1, n);
    bench_who(ctx, "America/New_York", 1, n);
    bench_shifts(ctx, n / 2000);
    bench_resolve(ctx, n / 4);
    inc_context_free(ctx);
    return 0;
}
