/* The metrics benchmark (issue 8): incident metrics (MET-1) and the
 * store-wide overdue action-item list (PM-3) over a journal store of
 * 10,000 and of 100,000 closed incidents that the benchmark generates.
 * Prints figures, asserts nothing about time; exits non-zero only when a
 * call fails or a figure is wrong (correctness, never speed).
 *
 * Generation is not what is measured, so it is fast and small: each
 * incident's events (declaration, page, acknowledgement, the lifecycle to
 * resolved, a root-cause tag, two action items, for Sev-0..Sev-2 the eight
 * postmortem sections and a Final postmortem, else a plain close) are
 * encoded here and appended to the journal in one append per incident
 * (sync policy none). The default rubric (7.1 KB) is stored once, as a
 * blob of the store, and each declaration names it by its SHA-256, as
 * inc_incident_declare() does (RUB-4). A few incidents of each store are then opened, replayed
 * and hash-chain verified through the public API to prove the store is
 * real. The stores are removed at the end.
 *
 * Measured, each time from a new journal handle and context (the files
 * are in the page cache after generation), inc_metrics_compute() over the
 * whole store and inc_action_list_query() with overdue_only. Both keep the
 * journal's summary cache, the file SUMMARY, so there are two figures:
 * - cold (metrics_cold_*, overdue_list_cold_*): SUMMARY removed before
 *   the run, so every incident file is read and the run writes a new
 *   SUMMARY; best of three, SUMMARY removed before each of the three.
 * - warm (metrics_*, overdue_list_*): SUMMARY present, after the cold
 *   runs; best of three. Every incident must come from SUMMARY (the
 *   handle's summary_hits equal the incidents of the store), else the
 *   benchmark fails.
 * store_read_only_* (list the store and read every event, no processing,
 * best of three) is the floor of a cold run. Then metrics_after_change_*:
 * one event (action item 2 done) appended to every 100th incident, and
 * one warm run: 99% from SUMMARY, 1% read, no rewrite (1% < 1/64). Its
 * figures must still be right: the same incident count as the warm run,
 * and more items done on time (the changes were read, not served stale).
 * Each line ends with the handle's SUMMARY counters.
 * bytes_per_incident_* is the sum of the store's file sizes over the
 * incidents, after generation (du, which rounds each file up to a block, is
 * printed beside it and as disk_*).
 * Output: "name: value unit" lines, then "ratio name: value" lines for the
 * linear-cost check (100,000 vs 10,000: 10 is linear).
 *
 *     metrics_bench [work-dir] [--quick]     (--quick: 1,000 and 10,000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_store.h"

const char *bench_name = "metrics_bench";

/* The change measured by metrics_after_change: every 100th incident gets
 * one more event, its open action item 2 done (an action item may change
 * after the close, PM-3). The incident is encoded again, which gives the
 * hash and the time of its last event, and only the new event is
 * appended, at the incident's last sequence number. Returns how many
 * incidents changed. */
static size_t change(const char *dir, unsigned n, const char *rubric)
{
    inc_store *s = open_unsynced(dir);
    gen *g = gen_new(rubric);
    inc__event_draft d;
    char id[32];
    size_t changed = 0;
    unsigned i;
    int rc;
    for (i = 0; i < n; i += 100) {
        incident(g, i, id, sizeof(id));
        inc__draft_init(&d, INC_EV_ACTION_CHANGED, people[(i + 2) % 8]);
        inc__draft_int(&d, INC__F_ITEM, 2);
        inc__draft_int(&d, INC__F_STATUS, INC_ACTION_DONE);
        put(g, &d, g->last + HOUR);
        if ((rc = inc_store_append(s, id, g->n - 1, &g->recs[g->n - 1], 1)) != INC_OK)
            die(inc_store_errmsg(s), rc);
        changed++;
    }
    gen_free(g);
    inc_store_free(s);
    return changed;
}

/* Open, replay and verify a few incidents through the public API: closed,
 * two action items, the second done when @changed (see change()). */
static void prove(const char *dir, const unsigned *picks, size_t count, int changed)
{
    inc_store *s = open_journal(dir);
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx;
    size_t k;
    int rc;
    o.store = s;
    if ((rc = inc_context_new(&o, &ctx)) != INC_OK)
        die("context", rc);
    for (k = 0; k < count; k++) {
        char id[32];
        inc_incident *inc;
        const inc_action_item *item;
        inc_action_status want = changed ? INC_ACTION_DONE : INC_ACTION_OPEN;
        snprintf(id, sizeof(id), "bench-%07u", picks[k]);
        if ((rc = inc_incident_open(ctx, id, &inc)) != INC_OK)
            die(inc_context_errmsg(ctx), rc);
        item = inc_incident_action(inc, 1);
        if (inc_incident_state(inc) != INC_STATE_CLOSED || inc_incident_action_count(inc) != 2 ||
            !item || item->status != want || (rc = inc_incident_verify(inc, NULL)) != INC_OK)
            die(changed ? "a changed incident does not replay as closed with item 2 done"
                        : "a generated incident does not replay as closed",
                rc ? rc : INC_ECORRUPT);
        inc_incident_free(inc);
    }
    inc_context_free(ctx);
    inc_store_free(s);
}

/* ---- measuring ------------------------------------------------------------------------ */

/* One measured run: its time and its handle's SUMMARY counters. */
typedef struct timing {
    double s;
    uint64_t hits, misses, writes;
} timing;

/* What a run computed (the last run's). */
typedef struct result {
    size_t incidents, drills, on_time, items, overdue_items;
    double on_time_rate, recurrence;
} result;

typedef struct figures {
    timing metrics, metrics_cold, overdue, overdue_cold, after_change;
    double read_only;
    size_t changed;
    result warm, after;
} figures;

/* A fresh handle and context over the store, as a caller would start. */
typedef struct handle {
    inc_store *s;
    inc_context *ctx;
} handle;

static handle open_handle(const char *dir)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    handle h;
    int rc;
    h.s = open_journal(dir);
    o.store = h.s;
    if ((rc = inc_context_new(&o, &h.ctx)) != INC_OK)
        die("context", rc);
    return h;
}

/* Free @h, after taking its SUMMARY counters into @tm. */
static void close_handle(handle *h, timing *tm)
{
    inc_journal_stats st;
    int rc;
    memset(&st, 0, sizeof(st));
    st.version = INC_JOURNAL_STATS_VERSION;
    if ((rc = inc_journal_get_stats(h->s, &st)) != INC_OK)
        die("journal stats", rc);
    tm->hits = st.summary_hits;
    tm->misses = st.summary_misses;
    tm->writes = st.summary_writes;
    inc_context_free(h->ctx);
    inc_store_free(h->s);
}

/* A cold run: no SUMMARY to take anything from. */
static void drop_summary(const char *dir)
{
    char path[1200];
    snprintf(path, sizeof(path), "%s/SUMMARY", dir);
    if (unlink(path) != 0 && errno != ENOENT) {
        fprintf(stderr, "metrics_bench: cannot remove %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

static timing run_metrics(const char *dir, inc_time now, result *out)
{
    inc_metrics_options mo = INC_METRICS_OPTIONS_INIT;
    inc_metrics_actions a;
    inc_metrics_recurrence r;
    inc_metrics *m;
    timing tm;
    double t = now_s();
    handle h = open_handle(dir);
    int rc;
    mo.now = now;
    if ((rc = inc_metrics_compute(h.ctx, &mo, &m)) != INC_OK)
        die(inc_context_errmsg(h.ctx), rc);
    tm.s = now_s() - t;
    out->incidents = inc_metrics_incident_count(m);
    out->drills = inc_metrics_drill_count(m);
    if ((rc = inc_metrics_get_actions(m, &a)) != INC_OK ||
        (rc = inc_metrics_get_recurrence(m, &r)) != INC_OK)
        die("metrics figures", rc);
    out->on_time = a.on_time;
    out->items = a.items;
    out->on_time_rate = a.rate;
    out->recurrence = r.rate;
    inc_metrics_free(m);
    close_handle(&h, &tm);
    return tm;
}

static timing run_overdue(const char *dir, inc_time now, result *out)
{
    inc_action_query q = INC_ACTION_QUERY_INIT;
    inc_action_list *l;
    timing tm;
    double t = now_s();
    handle h = open_handle(dir);
    int rc;
    q.overdue_only = 1;
    q.now = now;
    if ((rc = inc_action_list_query(h.ctx, &q, &l)) != INC_OK)
        die(inc_context_errmsg(h.ctx), rc);
    tm.s = now_s() - t;
    out->overdue_items = inc_action_list_count(l);
    inc_action_list_free(l);
    close_handle(&h, &tm);
    return tm;
}

/* The floor: list the store and read every event with a callback that does
 * nothing (the journal's own checks still run: CRC32C, hash chain). */
typedef struct ids {
    char (*v)[32];
    size_t n, cap;
} ids;

static int collect(void *user, const char *id)
{
    ids *l = user;
    if (l->n == l->cap) {
        void *nv = realloc(l->v, (l->cap = l->cap ? 2 * l->cap : 1024) * sizeof(*l->v));
        if (!nv)
            return INC_ENOMEM;
        l->v = nv;
    }
    snprintf(l->v[l->n++], 32, "%s", id);
    return 0;
}

static int nothing(void *user, uint64_t seq, const void *data, size_t len)
{
    (void)seq;
    (void)data;
    *(size_t *)user += len;
    return 0;
}

static double run_read_only(const char *dir)
{
    double t = now_s();
    inc_store *s = open_journal(dir);
    ids l = {NULL, 0, 0};
    size_t i, bytes = 0;
    int rc;
    if ((rc = inc_store_list(s, collect, &l)) != INC_OK)
        die("list", rc);
    for (i = 0; i < l.n; i++)
        if ((rc = inc_store_read(s, l.v[i], 1, nothing, &bytes)) != INC_OK)
            die("read", rc);
    t = now_s() - t;
    free(l.v);
    inc_store_free(s);
    return t;
}

static long disk_kib(const char *dir)
{
    char cmd[1200];
    long kib = -1;
    FILE *p;
    snprintf(cmd, sizeof(cmd), "du -sk '%s'", dir);
    if ((p = popen(cmd, "r")) != NULL) {
        if (fscanf(p, "%ld", &kib) != 1)
            kib = -1;
        pclose(p);
    }
    return kib;
}

/* The sum of the sizes of the store's files (not du, which rounds each
 * file up to a block): what the store's bytes are. */
static unsigned long long store_bytes(const char *dir)
{
    char path[1400];
    unsigned long long sum = 0;
    struct dirent *e;
    struct stat st;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            sum += (unsigned long long)st.st_size;
    }
    closedir(d);
    return sum;
}

static void label(char *out, size_t size, unsigned n)
{
    if (n % 1000 == 0)
        snprintf(out, size, "%uk", n / 1000);
    else
        snprintf(out, size, "%u", n);
}

static void keep_best(timing *best, const timing *t, int first)
{
    if (first || t->s < best->s)
        *best = *t;
}

/* A warm run must take every incident of the store from SUMMARY. */
static void check_warm(const char *what, const timing *t, unsigned n)
{
    if (t->hits != n || t->misses != 0) {
        fprintf(stderr,
                "metrics_bench: %s: %llu of %u incidents from SUMMARY, %llu read; all %u were "
                "expected from SUMMARY\n",
                what, (unsigned long long)t->hits, n, (unsigned long long)t->misses, n);
        exit(1);
    }
}

/* The parenthesis of a line: where the incidents came from. */
static const char *source(const timing *t, char *out, size_t size)
{
    snprintf(out, size, "%llu from SUMMARY, %llu read; SUMMARY %s", (unsigned long long)t->hits,
             (unsigned long long)t->misses, t->writes ? "written" : "not written");
    return out;
}

/* Cold, then warm, best of three each; the read-only floor with the cold. */
static void measure(figures *f, const char *dir, unsigned n, inc_time now)
{
    result r;
    timing t;
    int round;
    memset(f, 0, sizeof(*f));
    for (round = 0; round < 3; round++) {
        double tr = run_read_only(dir);
        if (!round || tr < f->read_only)
            f->read_only = tr;
        drop_summary(dir);
        t = run_metrics(dir, now, &r);
        keep_best(&f->metrics_cold, &t, !round);
        drop_summary(dir);
        t = run_overdue(dir, now, &r);
        keep_best(&f->overdue_cold, &t, !round);
    }
    for (round = 0; round < 3; round++) {
        t = run_metrics(dir, now, &f->warm);
        check_warm("metrics (warm)", &t, n);
        keep_best(&f->metrics, &t, !round);
        t = run_overdue(dir, now, &f->warm);
        check_warm("overdue list (warm)", &t, n);
        keep_best(&f->overdue, &t, !round);
    }
}

/* One warm run after change(): the changed incidents are read, the rest
 * come from SUMMARY, and the figures see the change. */
static void measure_change(figures *f, const char *dir, unsigned n, inc_time now,
                           const char *rubric)
{
    unsigned picks[2];
    f->changed = change(dir, n, rubric);
    picks[0] = 0;
    picks[1] = (unsigned)(f->changed - 1) * 100;
    prove(dir, picks, 2, 1);
    f->after_change = run_metrics(dir, now, &f->after);
    if (f->after_change.misses != f->changed || f->after_change.hits != n - f->changed) {
        fprintf(stderr,
                "metrics_bench: metrics after change: %llu from SUMMARY, %llu read; expected "
                "%zu read (the changed incidents) and the other %zu from SUMMARY\n",
                (unsigned long long)f->after_change.hits,
                (unsigned long long)f->after_change.misses, f->changed, n - f->changed);
        exit(1);
    }
    if (f->after.incidents != f->warm.incidents || f->after.items != f->warm.items ||
        f->after.on_time <= f->warm.on_time) {
        fprintf(stderr,
                "metrics_bench: metrics after change: %zu incidents (%zu before), %zu items "
                "(%zu before), %zu on time (%zu before: more expected)\n",
                f->after.incidents, f->warm.incidents, f->after.items, f->warm.items,
                f->after.on_time, f->warm.on_time);
        exit(1);
    }
}

static void print(const figures *f, const char *name, unsigned n)
{
    char src[128];
    printf("metrics_cold_%s: %.3f s (%s)\n", name, f->metrics_cold.s,
           source(&f->metrics_cold, src, sizeof(src)));
    printf("metrics_%s: %.3f s (%s; %zu incidents, %zu drills excluded; on time %.3f, "
           "recurrence %.3f)\n",
           name, f->metrics.s, source(&f->metrics, src, sizeof(src)), f->warm.incidents,
           f->warm.drills, f->warm.on_time_rate, f->warm.recurrence);
    printf("overdue_list_cold_%s: %.3f s (%s)\n", name, f->overdue_cold.s,
           source(&f->overdue_cold, src, sizeof(src)));
    printf("overdue_list_%s: %.3f s (%s; %zu overdue items)\n", name, f->overdue.s,
           source(&f->overdue, src, sizeof(src)), f->warm.overdue_items);
    printf("store_read_only_%s: %.3f s (list + read every event, no processing)\n", name,
           f->read_only);
    printf("metrics_per_incident_%s: %.2f us\n", name, f->metrics.s * 1e6 / n);
    printf("metrics_cold_per_incident_%s: %.2f us\n", name, f->metrics_cold.s * 1e6 / n);
    printf("metrics_after_change_%s: %.3f s (%s; %zu incidents changed; %zu incidents, on time "
           "%.3f)\n",
           name, f->after_change.s, source(&f->after_change, src, sizeof(src)), f->changed,
           f->after.incidents, f->after.on_time_rate);
}

static figures bench(const char *work, unsigned n, const char *rubric)
{
    char dir[1100], name[16];
    figures f;
    inc_time now = BASE + (int64_t)n * 5 * MINUTE + 30 * DAY;
    unsigned picks[3];
    double t;

    label(name, sizeof(name), n);
    snprintf(dir, sizeof(dir), "%s/metrics-%s", work, name);
    rm_rf(dir);
    t = now_s();
    generate(dir, n, rubric, 0);
    printf("generate_%s: %.2f s (not measured)\n", name, now_s() - t);
    {
        long kib = disk_kib(dir);
        unsigned long long bytes = store_bytes(dir);
        printf("disk_%s: %.1f MiB (du)\n", name, (double)kib / 1024.0);
        printf("bytes_per_incident_%s: %.0f bytes (sum of file sizes; du: %.0f)\n", name,
               (double)bytes / n, (double)kib * 1024.0 / n);
    }
    picks[0] = 0;
    picks[1] = n / 2 + 3; /* a Sev-2 with a Final postmortem */
    picks[2] = n - 1;
    prove(dir, picks, 3, 0);
    measure(&f, dir, n, now);
    measure_change(&f, dir, n, now, rubric);
    print(&f, name, n);
    rm_rf(dir);
    return f;
}

int main(int argc, char **argv)
{
    const char *work;
    unsigned small, large;
    figures a, b;
    char *rubric;

    bench_args(argc, argv, "metrics_bench", &work, &small, &large);
    rubric = bench_rubric(0);
    printf("rubric: %zu bytes, stored once per store (RUB-4)\n", strlen(rubric));
    a = bench(work, small, rubric);
    b = bench(work, large, rubric);
    printf("ratio metrics_%u_vs_%u: %.2f\n", large, small, b.metrics.s / a.metrics.s);
    printf("ratio metrics_cold_%u_vs_%u: %.2f\n", large, small,
           b.metrics_cold.s / a.metrics_cold.s);
    printf("ratio overdue_list_%u_vs_%u: %.2f\n", large, small, b.overdue.s / a.overdue.s);
    printf("ratio overdue_list_cold_%u_vs_%u: %.2f\n", large, small,
           b.overdue_cold.s / a.overdue_cold.s);
    printf("ratio metrics_cold_vs_store_read_only_%u: %.2f\n", large,
           b.metrics_cold.s / b.read_only);
    printf("ratio metrics_cold_vs_warm_%u: %.2f\n", large, b.metrics_cold.s / b.metrics.s);
    free(rubric);
    return 0;
}
