/* The journal benchmark (issue 4, item 9). Prints figures, asserts nothing
 * about time. In one run, on the disk of the work directory:
 *   - the physical limit: write + fdatasync of the same record bytes, one
 *     record per sync, and 64 records (64 writes) per sync;
 *   - journal appends with policy every and policy group (batch 64);
 *   - SQLite (WAL, synchronous=FULL), 1 and 64 events per transaction,
 *     when built with it (a baseline only);
 *   - replay: open + read every event with checksums checked, and the
 *     record-level hash-chain verification, over 1,000,000 events in 1,000
 *     incidents;
 *   - opening (and reading) one incident in a store of 10 incidents and in
 *     one of 10,000; listing a store of 100,000 incidents.
 * Output: "name: value unit" lines and "ratio name: value" lines.
 *
 *     journal_bench [work-dir] [--quick]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "incident.h"
#include "incident/sys/store.h"
#include "util/hash.h"

#ifdef INC_BENCH_SQLITE
#include <sqlite3.h>
#endif

#define BATCH 64

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process, all its threads (the flusher's too): the
 * part of an append's cost that the noisy disk does not blur. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "journal_bench: %s: %s\n", what, inc_status_name(rc));
    exit(1);
}

static void rm_rf(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "journal_bench: cannot remove %s\n", path);
}

/* About 200 bytes of realistic incident text. */
static size_t event_text(char *buf, size_t size, uint64_t seq)
{
    static const char *const who[] = {"dana.ic", "lee.ops", "sam.comms", "ravi.planning",
                                      "mo.liaison"};
    static const char *const svc[] = {"payments-api", "auth-gateway", "search-indexer",
                                      "checkout-db", "edge-cdn"};
    static const char *const what[] = {
        "error rate back under the SLO after the rollback of release",
        "failover of the primary completed; replication lag is",
        "customer support reports tickets mentioning timeouts, count",
        "paged the on-call DBA and the network team; bridge at",
        "status page updated for all regions, next update in minutes:"};
    int n = snprintf(buf, size,
                     "%s: %s %s %llu (seq %llu, region eu-west-%llu, ticket INC-%llu). "
                     "Next: confirm with %s that dashboards agree, then decide on rollback.",
                     who[seq % 5], svc[(seq / 5) % 5], what[(seq / 25) % 5],
                     (unsigned long long)(seq * 37 % 1000), (unsigned long long)seq,
                     (unsigned long long)(seq % 3 + 1), (unsigned long long)(40000 + seq % 9973),
                     who[(seq + 2) % 5]);
    return n < 0 ? 0 : (size_t)n >= size ? size - 1 : (size_t)n;
}

/* The event texts of the timed loops, formatted before any clock starts:
 * the raw loop, the journal and SQLite then do the same work besides their
 * own (formatting a text costs about as much as the journal's own work per
 * event, and only the raw loop used to be spared it). Each raw record is
 * the text behind 60 bytes standing for a journal record's header and CRC. */
#define TEXTS        1024
#define RAW_OVERHEAD 60
static char texts[TEXTS][512 + RAW_OVERHEAD];
static size_t text_lens[TEXTS];

static void make_texts(void)
{
    int i;
    for (i = 0; i < TEXTS; i++)
        text_lens[i] = event_text(texts[i] + RAW_OVERHEAD, 512, (uint64_t)i + 1);
}

static const char *text_of(int i, size_t *len)
{
    *len = text_lens[i % TEXTS];
    return texts[i % TEXTS] + RAW_OVERHEAD;
}

#define MAX_ROUNDS 9

static double median(double *v, int n)
{
    int a, b;
    for (a = 1; a < n; a++)
        for (b = a; b > 0 && v[b - 1] > v[b]; b--) {
            double x = v[b];
            v[b] = v[b - 1];
            v[b - 1] = x;
        }
    return v[n / 2];
}

/* The median of @n values and their spread (min, max), without reordering
 * @v (the rounds' columns are compared pairwise afterwards). */
static double median_spread(const double *v, int n, double *lo, double *hi)
{
    double tmp[MAX_ROUNDS];
    int i;
    memcpy(tmp, v, (size_t)n * sizeof(double));
    *lo = *hi = v[0];
    for (i = 1; i < n; i++) {
        *lo = v[i] < *lo ? v[i] : *lo;
        *hi = v[i] > *hi ? v[i] : *hi;
    }
    return median(tmp, n);
}

static void print_measure(const char *name, const double *v, int n, const char *unit)
{
    double lo, hi, med = median_spread(v, n, &lo, &hi);
    printf("%s: %.0f %s\n", name, med, unit);
    printf("spread %s: %.0f .. %.0f %s\n", name, lo, hi, unit);
}

/* The ratio of two measures taken side by side in each round: the median of
 * the per-round ratios, then their spread. */
static void print_ratio(const char *name, const double *a, const double *b, int n)
{
    double r[MAX_ROUNDS], lo, hi, med;
    int i;
    for (i = 0; i < n; i++)
        r[i] = b[i] > 0 ? a[i] / b[i] : 0.0;
    med = median_spread(r, n, &lo, &hi);
    printf("ratio %s: %.3f\n", name, med);
    printf("spread ratio %s: %.3f .. %.3f\n", name, lo, hi);
}

static void print_rate(const char *name, double count, double secs, const char *unit)
{
    printf("%s: %.0f %s\n", name, secs > 0 ? count / secs : 0.0, unit);
}

/* ---- the physical limit -------------------------------------------------- */

static double raw_limit(const char *dir, int n, int per_sync)
{
    char path[1100];
    double t0, t;
    int fd, i;

    snprintf(path, sizeof(path), "%s/raw-%d", dir, per_sync);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        die("raw open", INC_EIO);
    t0 = now_s();
    for (i = 1; i <= n; i++) {
        size_t len = text_lens[(i - 1) % TEXTS] + RAW_OVERHEAD; /* a journal record's size */
        if (write(fd, texts[(i - 1) % TEXTS], len) != (ssize_t)len)
            die("raw write", INC_EIO);
        if (i % per_sync == 0 && fdatasync(fd) != 0)
            die("raw fdatasync", INC_EIO);
    }
    t = now_s() - t0;
    close(fd);
    unlink(path);
    return n / t;
}

/* ---- journal appends ------------------------------------------------------- */

static double journal_appends(const char *dir, int n, inc_sync_policy policy)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    double t0, t;
    int i, rc;

    rm_rf(dir);
    o.sync = policy;
    o.group_count = BATCH;
    o.group_ms = 60000;
    rc = inc_store_journal_open(dir, &o, &s);
    if (rc != INC_OK)
        die("journal open", rc);
    t0 = now_s();
    for (i = 0; i < n; i++) {
        inc_store_record r;
        r.data = text_of(i, &r.len);
        rc = inc_store_append(s, "bench-appends", (uint64_t)i, &r, 1);
        if (rc != INC_OK)
            die("journal append", rc);
    }
    rc = inc_store_sync(s);
    if (rc != INC_OK)
        die("journal sync", rc);
    t = now_s() - t0;
    inc_store_free(s);
    rm_rf(dir);
    return n / t;
}

/* ---- SQLite ------------------------------------------------------------------ */

#ifdef INC_BENCH_SQLITE
static double sqlite_inserts(const char *dir, int n, int per_txn)
{
    char path[1100];
    const char *text;
    size_t len;
    sqlite3 *db;
    sqlite3_stmt *st;
    double t0, t;
    int i;

    snprintf(path, sizeof(path), "%s/bench.sqlite", dir);
    unlink(path);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die("sqlite open", INC_EIO);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "CREATE TABLE events(incident TEXT, seq INTEGER, data BLOB,"
                 " PRIMARY KEY(incident, seq));",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(db, "INSERT INTO events VALUES('bench', ?, ?)", -1, &st, NULL);
    t0 = now_s();
    for (i = 0; i < n; i++) {
        if (i % per_txn == 0)
            sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        sqlite3_bind_int64(st, 1, i + 1);
        text = text_of(i, &len);
        sqlite3_bind_blob(st, 2, text, (int)len, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            die("sqlite insert", INC_EIO);
        sqlite3_reset(st);
        if ((i + 1) % per_txn == 0 || i + 1 == n)
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    t = now_s() - t0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    unlink(path);
    {
        char side[1200];
        snprintf(side, sizeof(side), "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof(side), "%s-shm", path);
        unlink(side);
    }
    return n / t;
}
#endif

/* ---- building stores ------------------------------------------------------------ */

/* @incidents incidents of @events events each, appended in batches of 10. */
static void build_store(const char *dir, int incidents, int events)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    static char buf[10][512];
    inc_store *s = NULL;
    int i, e, j, rc;

    rm_rf(dir);
    o.sync = INC_SYNC_NONE;
    rc = inc_store_journal_open(dir, &o, &s);
    if (rc != INC_OK)
        die("journal open", rc);
    for (i = 0; i < incidents; i++) {
        char id[32];
        snprintf(id, sizeof(id), "incident-%06d", i);
        for (e = 0; e < events; e += 10) {
            inc_store_record r[10];
            int n = events - e < 10 ? events - e : 10;
            for (j = 0; j < n; j++) {
                r[j].data = buf[j];
                r[j].len = event_text(buf[j], sizeof(buf[j]), (uint64_t)(e + j + 1));
            }
            rc = inc_store_append(s, id, (uint64_t)e, r, (size_t)n);
            if (rc != INC_OK)
                die("journal build", rc);
        }
    }
    rc = inc_store_sync(s);
    if (rc != INC_OK)
        die("journal sync", rc);
    inc_store_free(s);
}

typedef struct replay {
    inc_store *s;
    uint64_t events, bytes;
    int rc;
} replay;

static int count_event(void *user, uint64_t seq, const void *data, size_t len)
{
    replay *r = user;
    (void)seq;
    (void)data;
    r->events++;
    r->bytes += len;
    return 0;
}

static int replay_one(void *user, const char *id)
{
    replay *r = user;
    r->rc = inc_store_read(r->s, id, 1, count_event, r);
    return r->rc;
}

static int verify_one(void *user, const char *id)
{
    replay *r = user;
    r->rc = inc_journal_verify(r->s, id, NULL);
    return r->rc;
}

static void replay_figures(const char *dir, int quick)
{
    int incidents = quick ? 100 : 1000, events = 1000;
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    replay r;
    double t0, t;
    int rc;

    build_store(dir, incidents, events);
    memset(&r, 0, sizeof(r));
    o.read_only = 1;
    t0 = now_s();
    rc = inc_store_journal_open(dir, &o, &r.s);
    if (rc != INC_OK)
        die("journal open", rc);
    rc = inc_store_list(r.s, replay_one, &r);
    t = now_s() - t0;
    if (rc != INC_OK || r.events != (uint64_t)incidents * (uint64_t)events)
        die("replay", rc ? rc : INC_ERROR);
    printf("replay events: %llu in %d incidents\n", (unsigned long long)r.events, incidents);
    print_rate("replay (open + read, checksums checked)", (double)r.events, t, "events/s");
    inc_store_free(r.s);

    memset(&r, 0, sizeof(r));
    rc = inc_store_journal_open(dir, &o, &r.s);
    if (rc != INC_OK)
        die("journal open", rc);
    t0 = now_s();
    rc = inc_store_list(r.s, verify_one, &r);
    t = now_s() - t0;
    if (rc != INC_OK)
        die("verify", rc);
    print_rate("hash-chain verify", (double)incidents * events, t, "events/s");
    inc_store_free(r.s);
    rm_rf(dir);
}

/* Open the store, read one incident, close: the median of @reps. */
static double open_one(const char *dir, int incidents, int reps)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    double *times = calloc((size_t)reps, sizeof(double)), med;
    int i;

    o.read_only = 1;
    for (i = 0; i < reps; i++) {
        replay r;
        char id[32];
        double t0 = now_s();
        memset(&r, 0, sizeof(r));
        snprintf(id, sizeof(id), "incident-%06d", (int)((i * 7919u) % (unsigned)incidents));
        if (inc_store_journal_open(dir, &o, &r.s) != INC_OK || replay_one(&r, id) != INC_OK ||
            r.events != 20)
            die("open one", INC_ERROR);
        inc_store_free(r.s);
        times[i] = now_s() - t0;
    }
    med = median(times, reps);
    free(times);
    return med;
}

static int count_id(void *user, const char *id)
{
    (void)id;
    (*(long *)user)++;
    return 0;
}

static void list_figure(const char *dir, int incidents)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    long n = 0;
    double t0, t;

    build_store(dir, incidents, 1);
    o.read_only = 1;
    t0 = now_s();
    if (inc_store_journal_open(dir, &o, &s) != INC_OK || inc_store_list(s, count_id, &n) != INC_OK)
        die("list", INC_ERROR);
    t = now_s() - t0;
    inc_store_free(s);
    printf("list %d incidents: %.3f ms (%ld listed)\n", incidents, t * 1e3, n);
    rm_rf(dir);
}

int main(int argc, char **argv)
{
    const char *work = "journal-bench-work";
    int quick = 0, i, n_every, n_group, rounds;
    double m[6][MAX_ROUNDS], cpu[2][MAX_ROUNDS], c0, c1;
    char dir[1100], small[1100], large[1100], name[128];
    double t10, t10k;

    setvbuf(stdout, NULL, _IOLBF, 0); /* figures appear as they are measured */
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else
            work = argv[i];
    }
    n_every = quick ? 200 : 1000;
    n_group = quick ? 6400 : 32000;
    rounds = quick ? 1 : 7;
    mkdir(work, 0700);
    snprintf(dir, sizeof(dir), "%s/j", work);
    printf("hardware paths: sha256 %s, crc32c %s\n", inc__sha256_hw_available() ? "yes" : "no",
           inc__crc32c_hw_available() ? "yes" : "no");
    printf("event size: about %zu bytes of text\n", event_text(small, sizeof(small), 7));
    make_texts();

    /* The disk is shared and noisy: interleave the measurements in rounds
     * and report the median of each. */
    for (i = 0; i < rounds; i++) {
        m[0][i] = raw_limit(work, n_every, 1);
        m[1][i] = journal_appends(dir, n_every, INC_SYNC_EVERY);
        c0 = cpu_s();
        m[2][i] = raw_limit(work, n_group, BATCH);
        c1 = cpu_s();
        m[3][i] = journal_appends(dir, n_group, INC_SYNC_GROUP);
        cpu[0][i] = (c1 - c0) / n_group * 1e6;
        cpu[1][i] = (cpu_s() - c1) / n_group * 1e6;
#ifdef INC_BENCH_SQLITE
        m[4][i] = sqlite_inserts(work, n_every, 1);
        m[5][i] = sqlite_inserts(work, n_group, BATCH);
#endif
    }
    printf("rounds: %d, interleaved (medians, then the spread of the rounds)\n", rounds);
    print_measure("raw write+fdatasync, 1 per sync", m[0], rounds, "records/s");
    snprintf(name, sizeof(name), "raw write+fdatasync, %d per sync", BATCH);
    print_measure(name, m[2], rounds, "records/s");
    print_measure("journal append, policy every", m[1], rounds, "events/s");
    snprintf(name, sizeof(name), "journal append, policy group (%d)", BATCH);
    print_measure(name, m[3], rounds, "events/s");
    print_ratio("journal every / raw 1", m[1], m[0], rounds);
    snprintf(name, sizeof(name), "journal group / raw %d", BATCH);
    print_ratio(name, m[3], m[2], rounds);
    {
        double lo, hi;
        printf("cpu per record, raw %d per sync: %.2f us\n", BATCH,
               median_spread(cpu[0], rounds, &lo, &hi));
        printf("cpu per event, journal group (%d): %.2f us\n", BATCH,
               median_spread(cpu[1], rounds, &lo, &hi));
        print_ratio("cpu journal group / raw", cpu[1], cpu[0], rounds);
    }
#ifdef INC_BENCH_SQLITE
    print_measure("sqlite WAL synchronous=FULL, 1 per transaction", m[4], rounds, "events/s");
    snprintf(name, sizeof(name), "sqlite WAL synchronous=FULL, %d per transaction", BATCH);
    print_measure(name, m[5], rounds, "events/s");
    print_ratio("journal every / sqlite 1", m[1], m[4], rounds);
    snprintf(name, sizeof(name), "journal group / sqlite %d", BATCH);
    print_ratio(name, m[3], m[5], rounds);
#else
    printf("sqlite: not built (libsqlite3-dev not found)\n");
#endif
    replay_figures(dir, quick);

    snprintf(small, sizeof(small), "%s/s10", work);
    snprintf(large, sizeof(large), "%s/s10k", work);
    build_store(small, 10, 20);
    build_store(large, quick ? 1000 : 10000, 20);
    t10 = open_one(small, 10, 201);
    t10k = open_one(large, quick ? 1000 : 10000, 201);
    printf("open one incident, store of 10: %.1f us\n", t10 * 1e6);
    printf("open one incident, store of %d: %.1f us\n", quick ? 1000 : 10000, t10k * 1e6);
    printf("ratio open %d / 10: %.3f\n", quick ? 1000 : 10000, t10k / t10);
    rm_rf(small);
    rm_rf(large);
    list_figure(dir, quick ? 10000 : 100000);
    rmdir(work);
    return 0;
}
