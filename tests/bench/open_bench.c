/* What opening an incident costs, and what of it the hash-chain check
 * (TL-2) is. Prints figures, asserts nothing about time.
 *
 * One incident of N notes (about 200 bytes of text each) in a journal
 * store (sync none); for N = 100, 1000 and 10000: the median time of
 * inc_incident_open() (read, decode, replay and, since the chain check,
 * the SHA-256 of every event), and the median time of SHA-256 over the
 * same event bytes alone, which is what the chain check adds.
 *
 *     open_bench [work-dir]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "incident.h"
#include "incident/sys/store.h"
#include "util/hash.h"

#define REPS 15

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "open_bench: %s: %s\n", what, inc_status_name(rc));
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[n / 2];
}

static void rm_rf(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "open_bench: cannot remove %s\n", path);
}

typedef struct bytes {
    unsigned char **v;
    size_t *len, n;
} bytes;

static int keep_event(void *user, uint64_t seq, const void *data, size_t len)
{
    bytes *b = user;
    (void)seq;
    b->v[b->n] = malloc(len);
    memcpy(b->v[b->n], data, len);
    b->len[b->n++] = len;
    return 0;
}

/* A store holding one incident of @notes notes; its id into @id. */
static inc_context *build(const char *dir, int notes, char *id, size_t idsize)
{
    inc_journal_options jo = INC_JOURNAL_OPTIONS_INIT;
    inc_context_options co = INC_CONTEXT_OPTIONS_INIT;
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_context *ctx;
    inc_incident *inc;
    inc_store *s;
    char text[256];
    int i, rc;

    rm_rf(dir);
    jo.sync = INC_SYNC_NONE;
    if ((rc = inc_store_journal_open(dir, &jo, &s)) != INC_OK)
        die("journal open", rc);
    co.store = s;
    if ((rc = inc_context_new(&co, &ctx)) != INC_OK)
        die("context", rc);
    d.title = "Payments API errors";
    d.declarer = "dana.ic";
    d.severity = "Sev-2";
    if ((rc = inc_incident_declare(ctx, &d, &inc)) != INC_OK)
        die(inc_context_errmsg(ctx), rc);
    for (i = 1; i < notes; i++) {
        snprintf(text, sizeof(text),
                 "note %d: error rate back under the SLO after the rollback of release %d; "
                 "replication lag is %d s, next: confirm with lee.ops that dashboards agree",
                 i, i * 7 % 1000, i % 60);
        if ((rc = inc_incident_note(inc, "dana.ic", text)) != INC_OK)
            die(inc_incident_errmsg(inc), rc);
    }
    snprintf(id, idsize, "%s", inc_incident_id(inc));
    inc_incident_free(inc);
    return ctx;
}

static void figure(const char *dir, int notes)
{
    double t_open[REPS], t_hash[REPS], mo, mh;
    inc_context *ctx;
    char id[128];
    bytes b;
    size_t i, total = 0;
    int r, rc;

    ctx = build(dir, notes, id, sizeof(id));
    b.v = calloc((size_t)notes, sizeof(*b.v));
    b.len = calloc((size_t)notes, sizeof(*b.len));
    b.n = 0;
    if ((rc = inc_store_read(inc_context_store(ctx), id, 1, keep_event, &b)) != INC_OK)
        die("read", rc);
    for (i = 0; i < b.n; i++)
        total += b.len[i];
    for (r = 0; r < REPS; r++) {
        inc_incident *inc;
        uint8_t h[INC__SHA256_LEN];
        double t0 = now_s();
        if ((rc = inc_incident_open(ctx, id, &inc)) != INC_OK)
            die(inc_context_errmsg(ctx), rc);
        t_open[r] = now_s() - t0;
        inc_incident_free(inc);
        t0 = now_s();
        for (i = 0; i < b.n; i++)
            inc__sha256(b.v[i], b.len[i], h);
        t_hash[r] = now_s() - t0;
    }
    mo = median(t_open, REPS);
    mh = median(t_hash, REPS);
    printf("open incident of %d events (%zu bytes): %.1f us\n", notes, total, mo * 1e6);
    printf("sha256 of its %d events: %.1f us\n", notes, mh * 1e6);
    printf("ratio open %d sha256 / open: %.3f\n", notes, mh / mo);
    for (i = 0; i < b.n; i++)
        free(b.v[i]);
    free(b.v);
    free(b.len);
    {
        inc_store *s = inc_context_store(ctx);
        inc_context_free(ctx);
        inc_store_free(s);
    }
    rm_rf(dir);
}

int main(int argc, char **argv)
{
    const char *work = argc > 1 ? argv[1] : "open-bench-work";
    char dir[1100];

    setvbuf(stdout, NULL, _IOLBF, 0);
    mkdir(work, 0700);
    snprintf(dir, sizeof(dir), "%s/j", work);
    printf("hardware paths: sha256 %s\n", inc__sha256_hw_available() ? "yes" : "no");
    figure(dir, 100);
    figure(dir, 1000);
    figure(dir, 10000);
    rmdir(work);
    return 0;
}
