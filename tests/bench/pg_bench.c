/* The PostgreSQL store's benchmark (issue 18), one run against a real
 * server it starts itself (tests/pg/pg_server.sh, synchronous_commit=on,
 * fsync=on). Prints figures, asserts nothing about time; exits non-zero
 * only when a call fails or a figure is wrong.
 *
 * The machine these run on is shared and noisy (fsync times swing tenfold
 * within seconds), so every figure is measured in rounds interleaved with
 * its baseline, and printed as the median with the quartiles (_p25, _p75)
 * of the rounds; each ratio is the median of the rounds' own ratios.
 *
 * - store_appends: durable one-record appends per second through the store
 *   (inc_store_append: one statement, one transaction, the expected-number
 *   check and the notification in it) against raw_libpq_appends, a plain
 *   libpq loop inserting the same bytes into a table of the same shape, one
 *   transaction (autocommit) per insert; 40 rounds, store and raw
 *   alternating call by call (which goes first swapped every call).
 * - store_batched_appends: events per second in appends of 100 records (one
 *   transaction each) against a raw multi-row INSERT of the same 100 rows,
 *   alternating the same way.
 * - metrics_*: inc_metrics_compute() over 10,000 and then 100,000 closed
 *   incidents in PostgreSQL, read through the bulk scan, from a new handle
 *   each time; scan_only: the bulk scan alone (no decoding); against
 *   raw_libpq_scan, a plain libpq loop reading the same rows in the same
 *   format (binary COPY of the same query), raw_libpq_single_row_scan, the
 *   same rows in single-row mode (binary), and raw_libpq_cursor_scan,
 *   through a binary cursor fetched 20,000 rows at a time (how the store
 *   scanned in 0.2). The 10,000 live in a schema of their own
 *   (inc_small, through search_path) next to the 100,000, so that seven
 *   rounds interleave all of it; the 100,000 vs 10,000 ratio is taken
 *   round by round (10 when linear). Printed too: the cost per incident,
 *   the events and bytes read. The incidents are made through the public API
 *   in memory stores (the default rubric, stored once as a blob, as
 *   metrics_bench) and loaded with COPY: generation is not measured.
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
static char small_conninfo[460];
static const char *target = conninfo; /* what open_store() and raw_connect() use */

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
    PGconn *c = PQconnectdb(target);
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
    if ((rc = inc_pg_store_open(target, &o, &s)) != INC_OK)
        die("open", d.message);
    return s;
}

/* ---- appends ------------------------------------------------------------------------ */

static unsigned char event_bytes[220];

static double store_block(inc_store *s, const char *id, unsigned *seq, unsigned n)
{
    inc_store_record r = {event_bytes, sizeof(event_bytes)};
    double t = now_s();
    unsigned i;
    for (i = 0; i < n; i++, ++*seq)
        if (inc_store_append(s, id, *seq, &r, 1) != INC_OK)
            die("store append", inc_store_errmsg(s));
    return now_s() - t;
}

/* The raw loop: one INSERT per transaction (autocommit), the same bytes in
 * binary, the same key, through an unnamed statement as most programs do. */
static double raw_block(PGconn *c, const char *id, unsigned *seq, unsigned n)
{
    const char *sql = "INSERT INTO raw_events (incident, seq, data) VALUES ($1::text, $2::bigint, "
                      "$3::bytea)";
    double t = now_s();
    unsigned i;
    for (i = 0; i < n; i++) {
        char num[24];
        const char *values[3] = {id, num, (const char *)event_bytes};
        int lengths[3] = {0, 0, (int)sizeof(event_bytes)}, formats[3] = {0, 0, 1};
        PGresult *r;
        snprintf(num, sizeof(num), "%u", ++*seq);
        r = PQexecParams(c, sql, 3, NULL, values, lengths, formats, 1);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("raw insert", PQresultErrorMessage(r));
        PQclear(r);
    }
    return now_s() - t;
}

enum { BATCH = 100 };

/* A batch through the store: one append of BATCH records (one transaction). */
static double store_batch_block(inc_store *s, const char *id, unsigned *seq, unsigned n)
{
    inc_store_record batch[BATCH];
    double t = now_s();
    unsigned i;
    for (i = 0; i < BATCH; i++) {
        batch[i].data = event_bytes;
        batch[i].len = sizeof(event_bytes);
    }
    for (i = 0; i < n; i++, *seq += BATCH)
        if (inc_store_append(s, id, *seq, batch, BATCH) != INC_OK)
            die("batched append", inc_store_errmsg(s));
    return now_s() - t;
}

/* The raw batch: one multi-row INSERT of BATCH rows per transaction. */
static double raw_batch_block(PGconn *c, const char *id, unsigned *seq, unsigned n)
{
    static char sql[BATCH * 64 + 100];
    const char *values[2 + BATCH];
    int lengths[2 + BATCH], formats[2 + BATCH];
    char base[24];
    double t;
    unsigned i, k;
    size_t len = 0;
    if (!sql[0]) {
        len = (size_t)snprintf(sql, sizeof(sql),
                               "INSERT INTO raw_events (incident, seq, data) VALUES ");
        for (k = 0; k < BATCH; k++)
            len += (size_t)snprintf(sql + len, sizeof(sql) - len,
                                    "%s($1::text, $2::bigint + %u, $%u::bytea)", k ? ", " : "",
                                    k + 1, k + 3);
    }
    values[0] = id;
    values[1] = base;
    lengths[0] = lengths[1] = formats[0] = formats[1] = 0;
    for (k = 0; k < BATCH; k++) {
        values[2 + k] = (const char *)event_bytes;
        lengths[2 + k] = (int)sizeof(event_bytes);
        formats[2 + k] = 1;
    }
    t = now_s();
    for (i = 0; i < n; i++, *seq += BATCH) {
        PGresult *r;
        snprintf(base, sizeof(base), "%u", *seq);
        r = PQexecParams(c, sql, 2 + BATCH, NULL, values, lengths, formats, 1);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("raw batch", PQresultErrorMessage(r));
        PQclear(r);
    }
    return now_s() - t;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sort @v and print its median and quartiles (name_median, name_p25,
 * name_p75) with @prec decimals; returns the median. */
static double print_spread(const char *prefix, const char *name, double *v, unsigned n,
                           const char *unit, int prec)
{
    const char *sep = unit[0] ? " " : "";
    qsort(v, n, sizeof(v[0]), cmp_double);
    printf("%s%s_median: %.*f%s%s\n", prefix, name, prec, v[n / 2], sep, unit);
    printf("%s%s_p25: %.*f%s%s\n", prefix, name, prec, v[n / 4], sep, unit);
    printf("%s%s_p75: %.*f%s%s\n", prefix, name, prec, v[(3 * n) / 4], sep, unit);
    return v[n / 2];
}

enum { ROUNDS = 40 };

typedef double (*store_fn)(inc_store *s, const char *id, unsigned *seq, unsigned n);
typedef double (*raw_fn)(PGconn *c, const char *id, unsigned *seq, unsigned n);

/* ROUNDS rounds of @per calls each way, the store's and the raw loop's
 * alternating call by call (which goes first swapped every call), so that
 * both see the same moments of a shared, noisy machine (fsync times here
 * swing tenfold within seconds). Each round gives both rates (@unit
 * records per call) and their ratio; the medians and quartiles of the
 * rounds are printed. */
static void appends_rounds(const char *name, const char *raw_name, inc_store *s, store_fn sf,
                           PGconn *c, raw_fn rf, unsigned per, unsigned unit, const char *units)
{
    double store[ROUNDS], raw[ROUNDS], ratio[ROUNDS];
    unsigned i, round, seq_s = 0, seq_r = 0;
    const char *id = unit > 1 ? "batched" : "append";
    char ratio_name[80];
    for (round = 0; round < ROUNDS; round++) {
        double ts = 0, tr = 0;
        for (i = 0; i < per; i++) {
            if ((i + round) % 2) {
                tr += rf(c, id, &seq_r, 1);
                ts += sf(s, id, &seq_s, 1);
            } else {
                ts += sf(s, id, &seq_s, 1);
                tr += rf(c, id, &seq_r, 1);
            }
        }
        store[round] = per * unit / ts;
        raw[round] = per * unit / tr;
        ratio[round] = store[round] / raw[round];
    }
    print_spread("", name, store, ROUNDS, units, 0);
    print_spread("", raw_name, raw, ROUNDS, units, 0);
    snprintf(ratio_name, sizeof(ratio_name), "%s_vs_raw", name);
    print_spread("ratio ", ratio_name, ratio, ROUNDS, "", 3);
}

static void bench_appends(unsigned n)
{
    inc_store *s = open_store();
    PGconn *c = raw_connect();
    unsigned i, per = n / ROUNDS ? n / ROUNDS : 1;
    for (i = 0; i < sizeof(event_bytes); i++)
        event_bytes[i] = (unsigned char)(i * 37 + 11);
    raw_exec(c, "CREATE TABLE IF NOT EXISTS raw_events (incident text NOT NULL, seq bigint NOT "
                "NULL CHECK (seq > 0), data bytea NOT NULL, PRIMARY KEY (incident, seq))");
    {
        PGresult *r = PQexec(c, "SHOW synchronous_commit");
        if (PQresultStatus(r) != PGRES_TUPLES_OK || strcmp(PQgetvalue(r, 0, 0), "on") != 0)
            die("synchronous_commit", "not on");
        PQclear(r);
    }
    printf("appends_per_round: %u appends\n", per);
    appends_rounds("store_appends", "raw_libpq_appends", s, store_block, c, raw_block, per, 1,
                   "appends/s");
    per = per / 5 ? per / 5 : 1;
    printf("batched_appends_per_round: %u appends of %u records\n", per, (unsigned)BATCH);
    appends_rounds("store_batched_appends", "raw_libpq_batched_appends", s, store_batch_block, c,
                   raw_batch_block, per, BATCH, "events/s");
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

/* The default rubric as a declaration records it: stored once per store,
 * as a blob, and named by its SHA-256 in every declaration (RUB-4). */
static char *default_rubric_text(void)
{
    inc_rubric *r;
    char *text;
    if (inc_rubric_preset_new(NULL, INC_RUBRIC_DEFAULT, &r) != INC_OK)
        die("rubric", "preset");
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
    inc_store *target_store = open_store();
    if (inc_rubric_parse(NULL, rubric_text, strlen(rubric_text), &rubric, NULL) != INC_OK)
        die("rubric", "parse");
    /* The declarations name the rubric by key: its blob goes in first. */
    if (inc_store_put_blob(target_store, rubric_text, strlen(rubric_text), NULL) != INC_OK)
        die("rubric blob", inc_store_errmsg(target_store));
    inc_store_free(target_store);
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

/* One inc_metrics_compute() from a new handle and context: its seconds. */
static double metrics_once(size_t expect)
{
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
    return t;
}

typedef struct tally {
    size_t events, bytes;
} tally;

static int count_scanned(void *user, const char *id, uint64_t seq, const void *data, size_t len)
{
    tally *t = user;
    (void)id;
    (void)seq;
    (void)data;
    t->events++;
    t->bytes += len;
    return 0;
}

/* The bulk scan alone (no decoding): the store's part of a metrics run. */
static double scan_once(tally *t)
{
    inc_store *s = open_store();
    double start = now_s();
    memset(t, 0, sizeof(*t));
    if (inc_store_scan(s, count_scanned, t) != INC_OK)
        die("scan", inc_store_errmsg(s));
    start = now_s() - start;
    inc_store_free(s);
    return start;
}

/* A raw connection that has touched the table, as the store's open has
 * (the first statement of a session loads the catalog entries). */
static PGconn *raw_connect_warm(void)
{
    PGconn *c = raw_connect();
    raw_exec(c, "SELECT 1 FROM inc_events LIMIT 1");
    return c;
}

/* The same rows through single-row mode (binary results): a result
 * object per row. */
static double raw_single_row_scan_once(tally *t)
{
    PGconn *c = raw_connect_warm();
    PGresult *r;
    double start = now_s();
    memset(t, 0, sizeof(*t));
    if (!PQsendQueryParams(c, "SELECT incident, seq, data FROM inc_events ORDER BY incident, seq",
                           0, NULL, NULL, NULL, NULL, 1) ||
        !PQsetSingleRowMode(c))
        die("raw scan", PQerrorMessage(c));
    while ((r = PQgetResult(c)) != NULL) {
        if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
            t->events++;
            t->bytes += (size_t)PQgetlength(r, 0, 2);
        } else if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            die("raw scan", PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    start = now_s() - start;
    PQfinish(c);
    return start;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The baseline: a plain libpq loop reading the same rows in the same
 * format as the store (binary COPY of the same query), from a new
 * connection as the store's; it takes each row's data length (the header
 * skipped on the first row, the trailer ending it) and nothing more. */
static double raw_copy_scan_once(tally *t)
{
    PGconn *c = raw_connect_warm();
    PGresult *r;
    char *msg;
    int len, first = 1;
    double start = now_s();
    memset(t, 0, sizeof(*t));
    r = PQexec(c, "COPY (SELECT incident, seq, data FROM inc_events ORDER BY incident, seq) TO "
                  "STDOUT (FORMAT binary)");
    if (PQresultStatus(r) != PGRES_COPY_OUT)
        die("raw copy scan", PQresultErrorMessage(r));
    PQclear(r);
    while ((len = PQgetCopyData(c, &msg, 0)) > 0) {
        const unsigned char *p = (const unsigned char *)msg;
        if (first) /* signature, flags, extension length and extension */
            p += 19 + be32(p + 15);
        first = 0;
        if (p[0] != 0xff) { /* a row, not the trailer: skip id and seq */
            p += 2;
            p += 4 + be32(p);
            p += 4 + be32(p);
            t->events++;
            t->bytes += be32(p);
        }
        PQfreemem(msg);
    }
    while ((r = PQgetResult(c)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("raw copy scan", PQresultErrorMessage(r));
        PQclear(r);
    }
    start = now_s() - start;
    PQfinish(c);
    return start;
}

/* The way libincident-pg 0.2 scanned, for comparison: a binary cursor in
 * a read-only transaction, fetched 20,000 rows at a time. */
static double raw_cursor_scan_once(tally *t)
{
    PGconn *c = raw_connect_warm();
    double start = now_s();
    memset(t, 0, sizeof(*t));
    raw_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    raw_exec(c, "DECLARE scan NO SCROLL BINARY CURSOR FOR SELECT incident, seq, data FROM "
                "inc_events ORDER BY incident, seq");
    for (;;) {
        PGresult *r = PQexec(c, "FETCH 20000 FROM scan");
        int i, n = PQntuples(r);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            die("raw cursor scan", PQresultErrorMessage(r));
        for (i = 0; i < n; i++) {
            t->events++;
            t->bytes += (size_t)PQgetlength(r, i, 2);
        }
        PQclear(r);
        if (n == 0)
            break;
    }
    raw_exec(c, "ROLLBACK");
    start = now_s() - start;
    PQfinish(c);
    return start;
}

enum { RUNS = 7 };

/* The runs of one database: RUNS of each way of reading it. */
typedef struct scan_runs {
    unsigned n; /* incidents */
    double metrics[RUNS], scan[RUNS], raw[RUNS], single[RUNS], cursor[RUNS];
    tally seen;
} scan_runs;

/* Round @k over the database open_store() and raw_connect() now use: the
 * four ways one after another, in an order rotated every round. */
static void scan_round(scan_runs *r, int k)
{
    tally a, b, d, e;
    int i;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    memset(&d, 0, sizeof(d));
    memset(&e, 0, sizeof(e));
    for (i = 0; i < 5; i++) {
        switch ((i + k) % 5) {
        case 0:
            r->metrics[k] = metrics_once(r->n);
            break;
        case 1:
            r->scan[k] = scan_once(&a);
            break;
        case 2:
            r->raw[k] = raw_copy_scan_once(&b);
            break;
        case 3:
            r->single[k] = raw_single_row_scan_once(&e);
            break;
        default:
            r->cursor[k] = raw_cursor_scan_once(&d);
            break;
        }
    }
    if (a.events != b.events || a.bytes != b.bytes || d.events != b.events || d.bytes != b.bytes ||
        e.events != b.events || e.bytes != b.bytes)
        die("scan", "the store's scan and the raw loops read different rows");
    r->seen = a;
}

/* Print @v / @w (RUNS each) as a ratio's median and quartiles. */
static void print_ratio(const char *name, const double *v, const double *w)
{
    double q[RUNS];
    int k;
    for (k = 0; k < RUNS; k++)
        q[k] = v[k] / w[k];
    print_spread("ratio ", name, q, RUNS, "", 3);
}

static double print_runs(scan_runs *r)
{
    char name[80];
    double median;
    snprintf(name, sizeof(name), "metrics_vs_raw_scan_%u", r->n);
    print_ratio(name, r->metrics, r->raw);
    snprintf(name, sizeof(name), "scan_vs_raw_scan_%u", r->n);
    print_ratio(name, r->scan, r->raw);
    snprintf(name, sizeof(name), "scan_vs_raw_single_row_scan_%u", r->n);
    print_ratio(name, r->scan, r->single);
    snprintf(name, sizeof(name), "scan_vs_raw_cursor_scan_%u", r->n);
    print_ratio(name, r->scan, r->cursor);
    snprintf(name, sizeof(name), "metrics_%u_closed_incidents", r->n);
    median = print_spread("", name, r->metrics, RUNS, "s", 3);
    printf("metrics_per_incident_%u: %.2f us\n", r->n, median / r->n * 1e6);
    snprintf(name, sizeof(name), "scan_only_%u_closed_incidents", r->n);
    print_spread("", name, r->scan, RUNS, "s", 3);
    snprintf(name, sizeof(name), "raw_libpq_scan_%u_closed_incidents", r->n);
    print_spread("", name, r->raw, RUNS, "s", 3);
    snprintf(name, sizeof(name), "raw_libpq_single_row_scan_%u_closed_incidents", r->n);
    print_spread("", name, r->single, RUNS, "s", 3);
    snprintf(name, sizeof(name), "raw_libpq_cursor_scan_%u_closed_incidents", r->n);
    print_spread("", name, r->cursor, RUNS, "s", 3);
    printf("scan_events_%u: %zu events\n", r->n, r->seen.events);
    printf("scan_bytes_%u: %.1f MB\n", r->n, (double)r->seen.bytes / 1e6);
    return median;
}

/* The small store lives in its own schema of the same database (the
 * store's tables are found through search_path), so that the rounds over
 * the small and the big one interleave: the 100,000 vs 10,000 ratio is
 * taken round by round, under the same load. */
static void bench_metrics(unsigned small, unsigned big)
{
    static scan_runs rs, rb;
    char *rubric = default_rubric_text();
    PGconn *c = raw_connect();
    double lin[RUNS], t;
    char name[80];
    int k;
    raw_exec(c, "CREATE SCHEMA IF NOT EXISTS inc_small");
    raw_exec(c, "TRUNCATE inc_events");
    PQfinish(c);
    snprintf(small_conninfo, sizeof(small_conninfo), "%s options=-csearch_path=inc_small",
             conninfo);
    t = now_s();
    target = small_conninfo;
    inc_store_free(open_store()); /* its tables */
    generate(0, small, rubric);
    target = conninfo;
    generate(0, big, rubric);
    fprintf(stderr, "pg_bench: generated %u and %u incidents in %.1f s\n", small, big, now_s() - t);
    rs.n = small;
    rb.n = big;
    for (k = 0; k < RUNS; k++) {
        int j;
        for (j = 0; j < 2; j++) {
            int big_now = (j + k) % 2;
            target = big_now ? conninfo : small_conninfo;
            scan_round(big_now ? &rb : &rs, k);
        }
        target = conninfo;
        lin[k] = rb.metrics[k] / rs.metrics[k];
    }
    /* Linear: the ratio of times is the ratio of counts (10 here). */
    printf("incidents_ratio: %.1f\n", (double)big / small);
    snprintf(name, sizeof(name), "metrics_%u_vs_%u", big, small);
    print_spread("ratio ", name, lin, RUNS, "", 2);
    print_runs(&rs);
    print_runs(&rb);
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
