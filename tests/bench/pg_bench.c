/* The PostgreSQL store's benchmark (issue 18), one run against a real
 * server it starts itself (tests/pg/pg_server.sh, synchronous_commit=on,
 * fsync=on). Prints figures, asserts nothing about time; exits non-zero
 * only when a call fails or a figure is wrong.
 *
 * - store_appends: durable one-record appends per second through the store
 *   (inc_store_append: one statement, one transaction, the expected-number
 *   check and the notification in it) against raw_libpq_appends, a plain
 *   libpq loop inserting the same bytes into a table of the same shape, one
 *   transaction per insert. Five interleaved rounds: the best of each, and
 *   the median of the rounds' ratios.
 * - store_batched_appends: events per second in appends of 100 records (one
 *   transaction each).
 * - metrics_*: inc_metrics_compute() over 10,000 and then 100,000 closed
 *   incidents in PostgreSQL, read through the bulk scan (one cursor), from a
 *   new handle each time; best of three. The incidents are made through the
 *   public API in memory stores (a compact rubric, as metrics_bench) and
 *   loaded with COPY: generation is not measured. scan_only: the bulk scan
 *   alone (no decoding), the floor of a metrics run, and the bytes it moves.
 * - notify_wake: how long after another connection's append inc_store_wait()
 *   returns (median of 50); takeover_load: a fresh pager's open and
 *   inc_scheduler_load() over 1,000 open incidents, i.e. what a restarted
 *   pager needs before it delivers (the failover test prints the lateness
 *   seen when pagers die).
 *
 *     pg_bench [--quick]      (--quick: smaller counts)
 */
#include <incident.h>
#include <incident/pg.h>
#include <incident/sys/store.h>
#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef PG_SERVER_SCRIPT
#error "PG_SERVER_SCRIPT: the path of tests/pg/pg_server.sh"
#endif

static char server_dir[128];
static char conninfo[400];

static void die(const char *what, const char *why)
{
    fprintf(stderr, "pg_bench: %s: %s\n", what, why);
    if (server_dir[0]) {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "bash '%s' stop '%s'", PG_SERVER_SCRIPT, server_dir);
        (void)!system(cmd);
    }
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static PGconn *raw_connect(void)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK)
        die("raw connect", PQerrorMessage(c));
    return c;
}

static void raw_exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        die(sql, PQresultErrorMessage(r));
    PQclear(r);
}

static inc_store *open_store(void)
{
    inc_pg_options o = INC_PG_OPTIONS_INIT;
    inc_diag d;
    inc_store *s = NULL;
    int rc;
    o.diag = &d;
    if ((rc = inc_pg_store_open(conninfo, &o, &s)) != INC_OK)
        die("open", d.message);
    return s;
}

/* ---- appends ------------------------------------------------------------------------ */

static unsigned char event_bytes[220];

static double store_round(inc_store *s, const char *id, unsigned n)
{
    inc_store_record r = {event_bytes, sizeof(event_bytes)};
    double t = now_s();
    unsigned i;
    for (i = 0; i < n; i++)
        if (inc_store_append(s, id, i, &r, 1) != INC_OK)
            die("store append", inc_store_errmsg(s));
    return n / (now_s() - t);
}

static double raw_round(PGconn *c, const char *id, unsigned n)
{
    const char *sql = "INSERT INTO raw_events (incident, seq, data) VALUES ($1::text, $2::bigint, "
                      "$3::bytea)";
    double t = now_s();
    unsigned i;
    for (i = 0; i < n; i++) {
        char seq[24];
        const char *values[3] = {id, seq, (const char *)event_bytes};
        int lengths[3] = {0, 0, (int)sizeof(event_bytes)}, formats[3] = {0, 0, 1};
        PGresult *r;
        snprintf(seq, sizeof(seq), "%u", i + 1);
        r = PQexecParams(c, sql, 3, NULL, values, lengths, formats, 1);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("raw insert", PQresultErrorMessage(r));
        PQclear(r);
    }
    return n / (now_s() - t);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void bench_appends(unsigned n)
{
    inc_store *s = open_store();
    PGconn *c = raw_connect();
    double best_store = 0, best_raw = 0, batched, t, ratios[5];
    inc_store_record batch[100];
    unsigned i, round;
    for (i = 0; i < sizeof(event_bytes); i++)
        event_bytes[i] = (unsigned char)(i * 37 + 11);
    raw_exec(c, "CREATE TABLE IF NOT EXISTS raw_events (incident text NOT NULL, seq bigint NOT "
                "NULL CHECK (seq > 0), data bytea NOT NULL, PRIMARY KEY (incident, seq))");
    raw_exec(c, "SHOW synchronous_commit");
    /* Five rounds, each store then raw on the same connection pair, so that
     * both see the same machine load; the ratio is the median of the
     * rounds' ratios (a shared machine's load swings more than the gap). */
    for (round = 0; round < 5; round++) {
        char id[32];
        double a, b;
        snprintf(id, sizeof(id), "append-%u", round);
        a = store_round(s, id, n);
        b = raw_round(c, id, n);
        ratios[round] = a / b;
        if (a > best_store)
            best_store = a;
        if (b > best_raw)
            best_raw = b;
    }
    qsort(ratios, 5, sizeof(ratios[0]), cmp_double);
    for (i = 0; i < 100; i++) {
        batch[i].data = event_bytes;
        batch[i].len = sizeof(event_bytes);
    }
    t = now_s();
    for (i = 0; i < n / 10; i++)
        if (inc_store_append(s, "batched", (uint64_t)i * 100, batch, 100) != INC_OK)
            die("batched append", inc_store_errmsg(s));
    batched = (double)(n / 10) * 100 / (now_s() - t);
    printf("store_appends: %.0f appends/s\n", best_store);
    printf("raw_libpq_appends: %.0f appends/s\n", best_raw);
    printf("store_batched_appends: %.0f events/s\n", batched);
    printf("ratio store_vs_raw_appends: %.3f\n", ratios[2]);
    printf("ratio store_vs_raw_appends_best_of_each: %.3f\n", best_store / best_raw);
    printf("ratio batched_vs_single_events: %.1f\n", batched / best_store);
    fflush(stdout);
    raw_exec(c, "DROP TABLE raw_events");
    PQfinish(c);
    inc_store_free(s);
}

/* ---- metrics over closed incidents ---------------------------------------------------- */

static inc_time gen_now;

static inc_time gen_clock(void *user)
{
    (void)user;
    return gen_now;
}

static char *compact_rubric_text(void)
{
    inc_rubric *r;
    char *text;
    size_t l;
    int f;
    if (inc_rubric_preset_new(NULL, INC_RUBRIC_DEFAULT, &r) != INC_OK)
        die("rubric", "preset");
    for (l = 0; l < inc_rubric_level_count(r); l++)
        for (f = 0; f < INC_LEVEL_TEXT_COUNT; f++)
            inc_rubric_set_text(r, l, (inc_level_text)f, "");
    if (inc_rubric_write(r, &text, NULL) != INC_OK)
        die("rubric", "write");
    inc_rubric_free(r);
    return text;
}

typedef struct copy_buf {
    PGconn *c;
    char *p;
    size_t len, cap;
    const char *id;
} copy_buf;

static void copy_flush(copy_buf *b)
{
    if (b->len && PQputCopyData(b->c, b->p, (int)b->len) != 1)
        die("COPY", PQerrorMessage(b->c));
    b->len = 0;
}

/* One row of COPY text: id \t seq \t \\x<hex> \n */
static int copy_event(void *user, uint64_t seq, const void *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    copy_buf *b = user;
    const unsigned char *d = data;
    size_t need = INC_ID_MAX + 32 + 2 * len, i;
    if (b->len + need > b->cap)
        copy_flush(b);
    if (need > b->cap) {
        b->cap = need * 2;
        if (!(b->p = realloc(b->p, b->cap)))
            die("COPY", "out of memory");
    }
    b->len += (size_t)sprintf(b->p + b->len, "%s\t%llu\t\\\\x", b->id, (unsigned long long)seq);
    for (i = 0; i < len; i++) {
        b->p[b->len++] = hex[d[i] >> 4];
        b->p[b->len++] = hex[d[i] & 15];
    }
    b->p[b->len++] = '\n';
    return 0;
}

static void step(inc_incident *inc, inc_state st, int64_t after)
{
    gen_now += after;
    if (inc_incident_set_state(inc, "alice", st,
                               st == INC_STATE_RESOLVED ? "verified by hand" : NULL) != INC_OK)
        die("set state", "refused");
}

/* @n closed incidents numbered from @first, through a memory store per
 * thousand, copied into inc_events. */
static void generate(unsigned first, unsigned n, const char *rubric_text)
{
    static const char *const sev[] = {"Sev-3", "Sev-4"};
    PGconn *c = raw_connect();
    copy_buf b = {c, NULL, 0, 0, NULL};
    unsigned i = 0;
    inc_rubric *rubric = NULL;
    if (inc_rubric_parse(NULL, rubric_text, strlen(rubric_text), &rubric, NULL) != INC_OK)
        die("rubric", "parse");
    raw_exec(c, "BEGIN");
    {
        PGresult *r = PQexec(c, "COPY inc_events (incident, seq, data) FROM STDIN");
        if (PQresultStatus(r) != PGRES_COPY_IN)
            die("COPY", PQresultErrorMessage(r));
        PQclear(r);
    }
    while (i < n) {
        inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
        inc_store *mem = NULL;
        inc_context *ctx = NULL;
        unsigned k;
        if (inc_store_memory_new(NULL, &mem) != INC_OK)
            die("memory store", "new");
        co.store = mem;
        co.clock = gen_clock;
        co.rubric = rubric;
        if (inc_context_new(&co, &ctx) != INC_OK)
            die("context", "new");
        for (k = 0; k < 1000 && i < n; k++, i++) {
            inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
            inc_incident *inc = NULL;
            uint64_t page = 0;
            char slug[32], id[INC_ID_MAX + 1];
            snprintf(slug, sizeof(slug), "bench %u", first + i);
            gen_now = 1795442400000LL + (int64_t)(first + i) * 60000;
            d.title = "Checkout errors";
            d.declarer = "alice";
            d.severity = sev[(first + i) % 2];
            d.slug = slug;
            if (inc_incident_declare(ctx, &d, &inc) != INC_OK)
                die("declare", inc_context_errmsg(ctx));
            gen_now += 60000;
            if (inc_incident_request_page(inc, "alice", "on-call", NULL, &page) != INC_OK ||
                inc_incident_mark_page_sent(inc, "pager", page, "bob") != INC_OK)
                die("page", inc_incident_errmsg(inc));
            gen_now += 120000;
            if (inc_incident_acknowledge(inc, "bob", page) != INC_OK)
                die("ack", inc_incident_errmsg(inc));
            step(inc, INC_STATE_INVESTIGATING, 60000);
            step(inc, INC_STATE_MITIGATING, 600000);
            step(inc, INC_STATE_MONITORING, 600000);
            step(inc, INC_STATE_RESOLVED, 1800000);
            step(inc, INC_STATE_CLOSED, 3600000);
            snprintf(id, sizeof(id), "%s", inc_incident_id(inc));
            inc_incident_free(inc);
            b.id = id;
            if (inc_store_read(mem, id, 1, copy_event, &b) != INC_OK)
                die("read", inc_store_errmsg(mem));
        }
        inc_context_free(ctx);
        inc_store_free(mem);
    }
    copy_flush(&b);
    if (PQputCopyEnd(c, NULL) != 1)
        die("COPY end", PQerrorMessage(c));
    {
        PGresult *r = PQgetResult(c);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("COPY", PQresultErrorMessage(r));
        PQclear(r);
    }
    raw_exec(c, "COMMIT");
    raw_exec(c, "ANALYZE inc_events");
    free(b.p);
    inc_rubric_free(rubric);
    PQfinish(c);
}

/* Best of three inc_metrics_compute() from a new handle and context. */
static double metrics_run(size_t expect)
{
    double best = 1e9;
    int k;
    for (k = 0; k < 3; k++) {
        inc_metrics_options mo = INC_METRICS_OPTIONS_INIT;
        inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
        inc_store *s = open_store();
        inc_context *ctx = NULL;
        inc_metrics *m = NULL;
        double t;
        co.store = s;
        if (inc_context_new(&co, &ctx) != INC_OK)
            die("context", "new");
        mo.now = 1795442400000LL + 400LL * 86400000;
        t = now_s();
        if (inc_metrics_compute(ctx, &mo, &m) != INC_OK)
            die("metrics", inc_context_errmsg(ctx));
        t = now_s() - t;
        if (inc_metrics_incident_count(m) != expect) {
            char why[80];
            snprintf(why, sizeof(why), "%zu incidents counted, %zu expected",
                     inc_metrics_incident_count(m), expect);
            die("metrics", why);
        }
        inc_metrics_free(m);
        inc_context_free(ctx);
        inc_store_free(s);
        if (t < best)
            best = t;
    }
    return best;
}

static int count_scanned(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    (void)id;
    (void)seq;
    (void)data;
    *(size_t *)user += len;
    return 0;
}

/* The floor of a metrics run: the bulk scan alone, best of three. */
static double scan_only(size_t *bytes)
{
    double best = 1e9;
    int k;
    for (k = 0; k < 3; k++) {
        inc_store *s = open_store();
        double t = now_s();
        *bytes = 0;
        if (inc_store_scan(s, count_scanned, bytes) != INC_OK)
            die("scan", inc_store_errmsg(s));
        t = now_s() - t;
        inc_store_free(s);
        if (t < best)
            best = t;
    }
    return best;
}

static void bench_metrics(unsigned small, unsigned big)
{
    char *rubric = compact_rubric_text();
    PGconn *c = raw_connect();
    double t_small, t_big, t;
    size_t bytes = 0;
    raw_exec(c, "TRUNCATE inc_events");
    PQfinish(c);
    t = now_s();
    generate(0, small, rubric);
    fprintf(stderr, "pg_bench: generated %u incidents in %.1f s\n", small, now_s() - t);
    t_small = metrics_run(small);
    t = now_s();
    generate(small, big - small, rubric);
    fprintf(stderr, "pg_bench: generated %u more in %.1f s\n", big - small, now_s() - t);
    t_big = metrics_run(big);
    t = scan_only(&bytes);
    printf("metrics_%u_closed_incidents: %.3f s\n", small, t_small);
    printf("metrics_%u_closed_incidents: %.3f s\n", big, t_big);
    printf("ratio metrics_%u_vs_%u: %.2f\n", big, small, t_big / t_small);
    printf("scan_only_%u_closed_incidents: %.3f s\n", big, t);
    printf("scan_only_%u_bytes: %.1f MB\n", big, (double)bytes / 1e6);
    fflush(stdout);
    inc_free(rubric);
}

/* ---- notification and takeover ---------------------------------------------------------- */

static void bench_failover(unsigned incidents)
{
    inc_store *waiter = open_store(), *writer = open_store();
    inc_store_record r = {event_bytes, sizeof(event_bytes)};
    double lat[50], t;
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_scheduler_options so = INC_SCHEDULER_OPTIONS_INIT;
    inc_context *ctx = NULL;
    inc_scheduler *sched = NULL;
    PGconn *c = raw_connect();
    unsigned i;

    if (inc_store_wait(waiter, 0) < 0) /* LISTEN */
        die("wait", inc_store_errmsg(waiter));
    for (i = 0; i < 50; i++) {
        char id[32];
        snprintf(id, sizeof(id), "wake-%u", i);
        t = now_s();
        if (inc_store_append(writer, id, 0, &r, 1) != INC_OK)
            die("append", inc_store_errmsg(writer));
        if (inc_store_wait(waiter, 5000) != 1)
            die("wait", "no notification within 5 s");
        lat[i] = (now_s() - t) * 1000;
    }
    qsort(lat, 50, sizeof(lat[0]), cmp_double);
    printf("notify_wake_median: %.2f ms\n", lat[25]);
    printf("notify_wake_max: %.2f ms\n", lat[49]);
    inc_store_free(waiter);
    inc_store_free(writer);

    /* Open incidents for the takeover: declared now (every one has items due). */
    raw_exec(c, "TRUNCATE inc_events");
    PQfinish(c);
    {
        inc_store *s = open_store();
        co.store = s;
        co.clock = gen_clock;
        gen_now = 1795442400000LL;
        if (inc_context_new(&co, &ctx) != INC_OK)
            die("context", "new");
        for (i = 0; i < incidents; i++) {
            inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
            inc_incident *inc = NULL;
            char slug[32];
            snprintf(slug, sizeof(slug), "open %u", i);
            d.title = "Open incident";
            d.declarer = "alice";
            d.severity = "Sev-2";
            d.slug = slug;
            if (inc_incident_declare(ctx, &d, &inc) != INC_OK)
                die("declare", inc_context_errmsg(ctx));
            inc_incident_free(inc);
        }
        inc_context_free(ctx);
        inc_store_free(s);
    }
    t = now_s();
    {
        inc_store *s = open_store();
        co.store = s;
        if (inc_context_new(&co, &ctx) != INC_OK || inc_scheduler_new(ctx, &so, &sched) != INC_OK ||
            inc_scheduler_load(sched) != INC_OK)
            die("takeover", "scheduler");
        t = now_s() - t;
        if (inc_scheduler_count(sched) != incidents)
            die("takeover", "not every incident is scheduled");
        inc_scheduler_free(sched);
        inc_context_free(ctx);
        inc_store_free(s);
    }
    printf("takeover_load_%u_open_incidents: %.1f ms\n", incidents, t * 1000);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    char cmd[600];
    FILE *p;
    snprintf(server_dir, sizeof(server_dir), "/tmp/inc-pgbench-XXXXXX");
    if (!mkdtemp(server_dir))
        die("mkdtemp", "failed");
    snprintf(cmd, sizeof(cmd), "rmdir '%s' && bash '%s' start '%s'", server_dir, PG_SERVER_SCRIPT,
             server_dir);
    if (!(p = popen(cmd, "r")) || !fgets(conninfo, sizeof(conninfo), p) || pclose(p) != 0) {
        server_dir[0] = 0;
        die("server", "pg_server.sh start failed (is postgresql installed?)");
    }
    conninfo[strcspn(conninfo, "\n")] = 0;
    inc_store_free(open_store()); /* the schema */
    bench_appends(quick ? 200 : 2000);
    bench_metrics(quick ? 1000 : 10000, quick ? 10000 : 100000);
    bench_failover(quick ? 200 : 1000);
    snprintf(cmd, sizeof(cmd), "bash '%s' stop '%s'", PG_SERVER_SCRIPT, server_dir);
    return system(cmd) == 0 ? 0 : 1;
}
