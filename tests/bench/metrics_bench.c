/* The metrics benchmark (issue 8): incident metrics (MET-1) and the
 * store-wide overdue action-item list (PM-3) over a journal store of
 * 10,000 and of 100,000 closed incidents that the benchmark generates.
 * Prints figures, asserts nothing about time.
 *
 * Generation is not what is measured, so it is fast and small: each
 * incident's events (declaration, page, acknowledgement, the lifecycle to
 * resolved, a root-cause tag, two action items, for Sev-0..Sev-2 the eight
 * postmortem sections and a Final postmortem, else a plain close) are
 * encoded here and appended to the journal in one append per incident
 * (sync policy none), with the default rubric's numbers but without its
 * prose (inc_rubric_set_text(""): 1.6 KB instead of 7 KB in every
 * declaration). A few incidents of each store are then opened, replayed
 * and hash-chain verified through the public API to prove the store is
 * real. The stores are removed at the end.
 *
 * Measured: a new journal handle over the store, then inc_metrics_compute()
 * over the whole store, and inc_actions_list() with overdue_only; each the
 * best of three runs (the files are in the page cache after generation).
 * Output: "name: value unit" lines, then "ratio name: value" lines for the
 * linear-cost check (100,000 vs 10,000: 10 is linear).
 *
 *     metrics_bench [work-dir] [--quick]     (--quick: 1,000 and 10,000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "incident.h"
#include "incident/sys/store.h"
#include "journal_io.h"
#include "util/hash.h"

#define MINUTE     (60LL * 1000)
#define HOUR       (60 * MINUTE)
#define DAY        (24 * HOUR)
#define BASE       1767225600000LL /* 2026-01-01T00:00:00Z */
#define MAX_EVENTS 32

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "metrics_bench: %s: %s\n", what, inc_status_name(rc));
    exit(1);
}

static void rm_rf(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "metrics_bench: cannot remove %s\n", path);
}

/* ---- generating a closed incident -------------------------------------------------- */

typedef struct gen {
    inc_allocator alloc;
    inc__buf scratch;
    char bytes[64 * 1024]; /* the incident's encoded events, back to back */
    size_t used;
    inc_store_record recs[MAX_EVENTS];
    size_t n;
    uint8_t prev[INC__SHA256_LEN];
    const char *rubric; /* the compact rubric's text */
} gen;

/* Encode @d as the next event at @t, chained to the previous one. */
static void put(gen *g, const inc__event_draft *d, inc_time t)
{
    int rc = inc__event_encode(d, g->n + 1, t, g->n ? g->prev : NULL, &g->scratch);
    if (rc != INC_OK || g->used + g->scratch.len > sizeof(g->bytes) || g->n == MAX_EVENTS)
        die("encode", rc ? rc : INC_ETOOBIG);
    memcpy(g->bytes + g->used, g->scratch.ptr, g->scratch.len);
    g->recs[g->n].data = g->bytes + g->used;
    g->recs[g->n].len = g->scratch.len;
    inc__sha256(g->bytes + g->used, g->scratch.len, g->prev);
    g->used += g->scratch.len;
    g->n++;
}

static void state(gen *g, const char *actor, int to, inc_time t, const char *text)
{
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_STATE_CHANGED, actor);
    inc__draft_int(&d, INC__F_STATE, to);
    inc__draft_int(&d, INC__F_FROM_STATE, to - 1);
    inc__draft_str(&d, INC__F_TEXT, text);
    put(g, &d, t);
}

static const char *const people[] = {"dana", "lee", "sam", "ravi", "mo", "ana", "kim", "joe"};
static const char *const tags[] = {
    "config-change", "capacity",     "dependency", "deploy",      "certificate", "dns",
    "database",      "network",      "bad-data",   "rate-limit",  "disk-full",   "memory-leak",
    "cache",         "queue",        "auth",       "third-party", "timeout",     "retry-storm",
    "schema",        "feature-flag", "cron",       "quota",       "hardware"};

static void declaration(gen *g, unsigned i, const char *id, const char *sev, inc_time t0)
{
    char title[96], channel[128];
    inc__event_draft d;
    snprintf(title, sizeof(title), "Checkout errors in region %u", i % 17);
    snprintf(channel, sizeof(channel), "inc-%s", id);
    inc__draft_init(&d, INC_EV_DECLARED, people[i % 8]);
    inc__draft_str(&d, INC__F_TITLE, title);
    inc__draft_str(&d, INC__F_SEVERITY, sev);
    inc__draft_str(&d, INC__F_CHANNEL, channel);
    inc__draft_str(&d, INC__F_ID, id);
    inc__draft_str(&d, INC__F_RUBRIC, g->rubric);
    inc__draft_int(&d, INC__F_CRITERIA, INC_CRIT_CUSTOMER_VISIBLE);
    inc__draft_int(&d, INC__F_IMPACT_STARTED, t0 - (int64_t)(i % 13 + 1) * MINUTE);
    inc__draft_int(&d, INC__F_DETECTED, t0 - (int64_t)(i % 5) * MINUTE);
    if (i % 97 == 0)
        inc__draft_int(&d, INC__F_DRILL, 1);
    put(g, &d, t0);
}

static void paging(gen *g, unsigned i, inc_time t0)
{
    const char *who = people[(i * 3) % 8];
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_PAGE_REQUESTED, "pager");
    inc__draft_str(&d, INC__F_TARGET, "on-call");
    put(g, &d, t0 + MINUTE);
    inc__draft_init(&d, INC_EV_PAGE_SENT, "pager");
    inc__draft_int(&d, INC__F_REF_SEQ, 2);
    inc__draft_str(&d, INC__F_PERSON, who);
    put(g, &d, t0 + MINUTE);
    inc__draft_init(&d, INC_EV_ACKNOWLEDGED, who);
    inc__draft_str(&d, INC__F_PERSON, who);
    inc__draft_int(&d, INC__F_REF_SEQ, 2);
    put(g, &d, t0 + (int64_t)(2 + i % 6) * MINUTE);
}

static void action_added(gen *g, unsigned i, int item, inc_time t, inc_time due)
{
    inc__event_draft d;
    inc__draft_init(&d, INC_EV_ACTION_ADDED, people[i % 8]);
    inc__draft_int(&d, INC__F_ITEM, item);
    inc__draft_str(&d, INC__F_TITLE,
                   item == 1 ? "Alert on the regional error rate"
                             : "Canary the payment client in every region");
    inc__draft_str(&d, INC__F_OWNER, people[(i + (unsigned)item) % 8]);
    inc__draft_int(&d, INC__F_DUE, due);
    inc__draft_int(&d, INC__F_PRIORITY, 1 + (int)((i + (unsigned)item) % 4));
    put(g, &d, t);
}

static void postmortem(gen *g, unsigned i, inc_time t)
{
    static const char *const text = "Short narrative written by the team after the review.";
    inc__event_draft d;
    int s;
    for (s = 0; s < INC_PM_SECTION_COUNT; s++) {
        inc__draft_init(&d, INC_EV_POSTMORTEM_SECTION, people[(i + (unsigned)s) % 8]);
        inc__draft_int(&d, INC__F_ITEM, s);
        inc__draft_str(&d, INC__F_TEXT, text);
        put(g, &d, t + s * MINUTE);
    }
    inc__draft_init(&d, INC_EV_POSTMORTEM_STATUS, people[i % 8]);
    inc__draft_int(&d, INC__F_STATUS, INC_PM_IN_REVIEW);
    put(g, &d, t + HOUR);
    inc__draft_init(&d, INC_EV_POSTMORTEM_STATUS, people[i % 8]);
    inc__draft_int(&d, INC__F_STATUS, INC_PM_FINAL);
    inc__draft_int(&d, INC__F_STATE, INC_STATE_CLOSED);
    inc__draft_int(&d, INC__F_FROM_STATE, INC_STATE_RESOLVED);
    put(g, &d, t + DAY);
}

/* One closed incident, i = 0..n-1, declared every 5 minutes from BASE. */
static void incident(gen *g, unsigned i, char *id, size_t idsize)
{
    static const char *const levels[] = {"Sev-0", "Sev-1", "Sev-2", "Sev-3", "Sev-4"};
    unsigned pct = i % 100;
    int level = pct < 1 ? 0 : pct < 5 ? 1 : pct < 20 ? 2 : pct < 60 ? 3 : 4;
    inc_time t0 = BASE + (int64_t)i * 5 * MINUTE, res;
    inc__event_draft d;

    g->used = g->n = 0;
    snprintf(id, idsize, "bench-%07u", i);
    declaration(g, i, id, levels[level], t0);
    paging(g, i, t0);
    state(g, people[i % 8], INC_STATE_INVESTIGATING, t0 + 5 * MINUTE, NULL);
    state(g, people[i % 8], INC_STATE_MITIGATING, t0 + 10 * MINUTE, NULL);
    state(g, people[i % 8], INC_STATE_MONITORING, t0 + (int64_t)(20 + i % 40) * MINUTE, NULL);
    res = t0 + (int64_t)(90 + i % 120) * MINUTE;
    state(g, people[i % 8], INC_STATE_RESOLVED, res, "checkout verified by hand");
    action_added(g, i, 1, res + HOUR, res + (int64_t)(3 + i % 20) * DAY);
    action_added(g, i, 2, res + HOUR, res + (int64_t)(5 + i % 30) * DAY);
    inc__draft_init(&d, INC_EV_POSTMORTEM_TAG, people[i % 8]);
    inc__draft_str(&d, INC__F_NAME, tags[i % 23]);
    put(g, &d, res + 2 * HOUR);
    if (level <= 2)
        postmortem(g, i, res + 3 * HOUR);
    else
        state(g, people[i % 8], INC_STATE_CLOSED, res + 3 * HOUR, NULL);
    /* Item 1 is done, on time or late; item 2 stays open. */
    inc__draft_init(&d, INC_EV_ACTION_CHANGED, people[(i + 1) % 8]);
    inc__draft_int(&d, INC__F_ITEM, 1);
    inc__draft_int(&d, INC__F_STATUS, INC_ACTION_DONE);
    put(g, &d, res + (int64_t)(2 + i % 25) * DAY);
}

static char *compact_rubric(void)
{
    inc_rubric *r;
    char *text;
    size_t l;
    int f, rc;
    if ((rc = inc_rubric_preset_new(NULL, INC_RUBRIC_DEFAULT, &r)) != INC_OK)
        die("rubric", rc);
    for (l = 0; l < inc_rubric_level_count(r); l++)
        for (f = 0; f < INC_LEVEL_TEXT_COUNT; f++)
            inc_rubric_set_text(r, l, (inc_level_text)f, "");
    if ((rc = inc_rubric_write(r, &text, NULL)) != INC_OK)
        die("rubric write", rc);
    inc_rubric_free(r);
    return text;
}

static inc_store *open_journal(const char *dir)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s;
    int rc;
    o.sync = INC_SYNC_NONE;
    if ((rc = inc_store_journal_open(dir, &o, &s)) != INC_OK)
        die("journal open", rc);
    return s;
}

/* Generation only: the journal's I/O table with its syncs skipped. The
 * journal syncs a file when it closes its descriptor even under the sync
 * policy none, and 100,000 incident files cycle through its descriptor
 * cache; the data reaches the page cache either way, and durability is not
 * what this benchmark measures. */
static int no_sync(void *user, int fd)
{
    (void)user;
    (void)fd;
    return 0;
}

static void generate(const char *dir, unsigned n, const char *rubric)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc__jio io = *inc__jio_posix();
    inc_store *s;
    gen *g = calloc(1, sizeof(*g));
    char id[32];
    unsigned i;
    int rc;
    io.fdatasync = no_sync;
    io.fsync = no_sync;
    o.sync = INC_SYNC_NONE;
    if ((rc = inc__store_journal_open_io(dir, &o, &io, &s)) != INC_OK)
        die("journal open", rc);
    if (!g)
        die("calloc", INC_ENOMEM);
    inc__alloc_init(&g->alloc, NULL);
    inc__buf_init(&g->scratch, &g->alloc);
    g->rubric = rubric;
    for (i = 0; i < n; i++) {
        incident(g, i, id, sizeof(id));
        if ((rc = inc_store_append(s, id, 0, g->recs, g->n)) != INC_OK)
            die(inc_store_errmsg(s), rc);
    }
    inc__buf_dispose(&g->scratch);
    free(g);
    inc_store_free(s);
}

/* Open, replay and verify a few incidents through the public API. */
static void prove(const char *dir, unsigned n)
{
    inc_store *s = open_journal(dir);
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx;
    unsigned picks[3], k;
    int rc;
    picks[0] = 0;
    picks[1] = n / 2 + 3; /* a Sev-2 with a Final postmortem */
    picks[2] = n - 1;
    o.store = s;
    if ((rc = inc_context_new(&o, &ctx)) != INC_OK)
        die("context", rc);
    for (k = 0; k < 3; k++) {
        char id[32];
        inc_incident *inc;
        snprintf(id, sizeof(id), "bench-%07u", picks[k]);
        if ((rc = inc_incident_open(ctx, id, &inc)) != INC_OK)
            die(inc_context_errmsg(ctx), rc);
        if (inc_incident_state(inc) != INC_STATE_CLOSED || inc_incident_action_count(inc) != 2 ||
            (rc = inc_incident_verify(inc, NULL)) != INC_OK)
            die("a generated incident does not replay as closed", rc ? rc : INC_ECORRUPT);
        inc_incident_free(inc);
    }
    inc_context_free(ctx);
    inc_store_free(s);
}

/* ---- measuring ------------------------------------------------------------------------ */

typedef struct figures {
    double metrics, overdue, read_only;
    size_t incidents, drills, overdue_items;
    double on_time, recurrence;
} figures;

static double run_metrics(const char *dir, inc_time now, figures *fg)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_metrics_options mo = INC_METRICS_OPTIONS_INIT;
    inc_metrics_actions a;
    inc_metrics_recurrence r;
    inc_context *ctx;
    inc_metrics *m;
    double t = now_s();
    inc_store *s = open_journal(dir);
    int rc;
    o.store = s;
    if ((rc = inc_context_new(&o, &ctx)) != INC_OK)
        die("context", rc);
    mo.now = now;
    if ((rc = inc_metrics_compute(ctx, &mo, &m)) != INC_OK)
        die(inc_context_errmsg(ctx), rc);
    t = now_s() - t;
    fg->incidents = inc_metrics_incident_count(m);
    fg->drills = inc_metrics_drill_count(m);
    inc_metrics_actions_get(m, &a);
    inc_metrics_recurrence_get(m, &r);
    fg->on_time = a.rate;
    fg->recurrence = r.rate;
    inc_metrics_free(m);
    inc_context_free(ctx);
    inc_store_free(s);
    return t;
}

static double run_overdue(const char *dir, inc_time now, figures *fg)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_action_query q = INC_ACTION_QUERY_INIT;
    inc_context *ctx;
    inc_action_list *l;
    double t = now_s();
    inc_store *s = open_journal(dir);
    int rc;
    o.store = s;
    if ((rc = inc_context_new(&o, &ctx)) != INC_OK)
        die("context", rc);
    q.overdue_only = 1;
    q.now = now;
    if ((rc = inc_actions_list(ctx, &q, &l)) != INC_OK)
        die(inc_context_errmsg(ctx), rc);
    t = now_s() - t;
    fg->overdue_items = inc_action_list_count(l);
    inc_action_list_free(l);
    inc_context_free(ctx);
    inc_store_free(s);
    return t;
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

static void label(char *out, size_t size, unsigned n)
{
    if (n % 1000 == 0)
        snprintf(out, size, "%uk", n / 1000);
    else
        snprintf(out, size, "%u", n);
}

static figures bench(const char *work, unsigned n, const char *rubric)
{
    char dir[1100], name[16];
    figures fg, best;
    inc_time now = BASE + (int64_t)n * 5 * MINUTE + 30 * DAY;
    double t;
    int round;

    label(name, sizeof(name), n);
    snprintf(dir, sizeof(dir), "%s/metrics-%s", work, name);
    rm_rf(dir);
    t = now_s();
    generate(dir, n, rubric);
    printf("generate_%s: %.2f s (not measured)\n", name, now_s() - t);
    printf("disk_%s: %.1f MiB\n", name, (double)disk_kib(dir) / 1024.0);
    prove(dir, n);
    memset(&best, 0, sizeof(best));
    for (round = 0; round < 3; round++) {
        double tr = run_read_only(dir);
        double tm = run_metrics(dir, now, &fg), to = run_overdue(dir, now, &fg);
        if (!round || tr < best.read_only)
            best.read_only = tr;
        if (!round || tm < best.metrics)
            best.metrics = tm;
        if (!round || to < best.overdue)
            best.overdue = to;
    }
    best.incidents = fg.incidents;
    best.drills = fg.drills;
    best.overdue_items = fg.overdue_items;
    best.on_time = fg.on_time;
    best.recurrence = fg.recurrence;
    printf("metrics_%s: %.3f s (%zu incidents, %zu drills excluded; on time %.3f, recurrence "
           "%.3f)\n",
           name, best.metrics, best.incidents, best.drills, best.on_time, best.recurrence);
    printf("overdue_list_%s: %.3f s (%zu overdue items)\n", name, best.overdue, best.overdue_items);
    printf("metrics_per_incident_%s: %.2f us\n", name, best.metrics * 1e6 / n);
    printf("store_read_only_%s: %.3f s (list + read every event, no processing)\n", name,
           best.read_only);
    rm_rf(dir);
    return best;
}

int main(int argc, char **argv)
{
    const char *work = "/tmp";
    unsigned small = 10000, large = 100000;
    figures a, b;
    char *rubric;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            small = 1000;
            large = 10000;
        } else {
            work = argv[i];
        }
    }
    if (mkdir(work, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "metrics_bench: cannot create %s: %s\n", work, strerror(errno));
        return 1;
    }
    rubric = compact_rubric();
    printf("declaration rubric: %zu bytes\n", strlen(rubric));
    a = bench(work, small, rubric);
    b = bench(work, large, rubric);
    printf("ratio metrics_%u_vs_%u: %.2f\n", large, small, b.metrics / a.metrics);
    printf("ratio overdue_list_%u_vs_%u: %.2f\n", large, small, b.overdue / a.overdue);
    printf("ratio metrics_per_incident_%u_vs_%u: %.2f\n", large, small,
           (b.metrics / large) / (a.metrics / small));
    printf("ratio metrics_vs_store_read_only_%u: %.2f\n", large, b.metrics / b.read_only);
    inc_free(rubric);
    return 0;
}
