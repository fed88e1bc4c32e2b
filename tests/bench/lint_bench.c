/* The text-lint benchmark (issue 17). Prints figures, asserts nothing
 * about time. Lints external updates (COMM-3) of 1 KiB, 16 KiB and 1 MiB
 * made of real-looking sentences, through the engine (the public call
 * stops at INC_TEXT_MAX = 16 KiB, which is also timed), and the bad
 * inputs of the issue: 1 MiB of one word, 10,000 sentences without
 * punctuation, right-to-left and combining text, NUL bytes and invalid
 * UTF-8 (through the engine, which reads them byte by byte), plus a CAN
 * report and a postmortem of 16 KiB. Time per byte should not grow with
 * length: "ratio" lines compare the 1 MiB cost per byte with the 16 KiB one.
 *
 * Output: "name: value unit" lines and "ratio name: value" lines.
 *
 *     lint_bench [--quick]      (--quick: fewer repetitions)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "after/postmortem_internal.h"
#include "comms/comms_internal.h"
#include "findings_internal.h"
#include "incident.h"
#include "util/alloc.h"

static const char *const sentences[] = {
    "We are investigating elevated error rates for Checkout in the EU region. ",
    "Some users may be unable to log in to the dashboard. ",
    "We believe this is related to a recent configuration change. ",
    "Once the fix is deployed, we will post another update. ",
    "Webhooks are delayed by up to 15 minutes for customers on Pod 17. ",
    "Service should be restored shortly. ",
    "Next update at 15:00 UTC. ",
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* @n bytes of realistic update text, NUL-terminated. */
static char *update_text(size_t n)
{
    char *t = malloc(n + 1);
    size_t used = 0, k = 0;
    while (used < n) {
        size_t l = strlen(sentences[k % 7]);
        if (l > n - used)
            l = n - used;
        memcpy(t + used, sentences[k++ % 7], l);
        used += l;
    }
    t[n] = '\0';
    return t;
}

static char *repeat_n(const char *unit, size_t u, size_t n)
{
    char *t = malloc(n + 1);
    size_t used = 0;
    while (used < n) {
        size_t l = u < n - used ? u : n - used;
        memcpy(t + used, unit, l);
        used += l;
    }
    t[n] = '\0';
    return t;
}

static char *repeat(const char *unit, size_t n)
{
    return repeat_n(unit, strlen(unit), n);
}

/* Seconds per call of the engine on @len bytes of @text. */
static double time_engine(const char *text, size_t len, int reps, size_t *findings)
{
    inc_allocator a;
    double t0, best = 1e9;
    int r;
    inc__alloc_init(&a, NULL);
    for (r = 0; r < reps; r++) {
        inc_findings *f = NULL;
        if (inc__findings_new(&a, &f) != INC_OK)
            exit(2);
        t0 = now_s();
        if (inc__update_lint_cfg(f, text, len, INC_STATE_INVESTIGATING, "Checkout", NULL) != INC_OK)
            exit(2);
        t0 = now_s() - t0;
        if (t0 < best)
            best = t0;
        *findings = inc_findings_count(f);
        inc_findings_free(f);
    }
    return best;
}

static void report(const char *name, const char *text, size_t len, int reps, double *per_byte)
{
    size_t n = 0;
    double s = time_engine(text, len, reps, &n);
    printf("lint %s (%zu bytes): %.3f ms\n", name, len, s * 1e3);
    printf("lint %s findings: %zu count\n", name, n);
    if (per_byte)
        *per_byte = s / (double)len;
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int reps = quick ? 3 : 20;
    double pb16 = 0, pb1m = 0, pb = 0, t0;
    size_t n;
    char *t;
    inc_findings *f = NULL;

    t = update_text(1024);
    report("update 1KiB", t, 1024, reps * 10, &pb);
    free(t);
    t = update_text(16384);
    report("update 16KiB", t, 16384, reps * 5, &pb16);
    {
        double best = 1e9, d;
        int r;
        for (r = 0; r < reps * 5; r++) {
            t0 = now_s();
            if (inc_update_lint(t, INC_STATE_INVESTIGATING, "Checkout", NULL, &f) != INC_OK)
                return 2;
            d = now_s() - t0;
            best = d < best ? d : best;
            inc_findings_free(f);
        }
        printf("inc_update_lint 16KiB: %.3f ms\n", best * 1e3);
    }
    t0 = now_s();
    if (inc_can_lint(t, t, "none", NULL, &f) != INC_OK)
        return 2;
    printf("inc_can_lint 2x16KiB: %.3f ms\n", (now_s() - t0) * 1e3);
    inc_findings_free(f);
    t0 = now_s();
    if (inc_postmortem_lint(t, NULL, &f) != INC_OK)
        return 2;
    printf("inc_postmortem_lint 16KiB: %.3f ms\n", (now_s() - t0) * 1e3);
    inc_findings_free(f);
    free(t);
    t = update_text(131072);
    report("update 128KiB", t, 131072, reps, NULL);
    free(t);
    n = (size_t)1 << 20;
    t = update_text(n);
    report("update 1MiB", t, n, reps, &pb1m);
    free(t);
    printf("ratio per-byte 1MiB/16KiB: %.2f\n", pb1m / pb16);
    printf("ratio per-byte 16KiB/1KiB: %.2f\n", pb16 / pb);

    t = repeat("a", n);
    report("one word 1MiB", t, n, reps, &pb);
    printf("ratio per-byte one-word/update: %.2f\n", pb / pb1m);
    free(t);
    t = repeat("we are investigating elevated errors for checkout ", 10000 * 52);
    report("10000 sentences, no punctuation", t, strlen(t), reps, &pb);
    printf("ratio per-byte no-punctuation/update: %.2f\n", pb / pb1m);
    free(t);
    t = repeat(
        "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xE2\x80\x8F e\xCC\x81rrors for checkout\xCC\x81. ", n);
    report("RTL and combining 1MiB", t, n, reps, &pb);
    printf("ratio per-byte rtl/update: %.2f\n", pb / pb1m);
    free(t);
    {
        static const char bad[] = "Checkout \xC3\x28 fails\x00 for \xFF EU users. ";
        t = repeat_n(bad, sizeof(bad) - 1, n);
    }
    report("NUL and invalid UTF-8 1MiB", t, n, reps, &pb);
    printf("ratio per-byte bad-bytes/update: %.2f\n", pb / pb1m);
    free(t);
    return 0;
}
