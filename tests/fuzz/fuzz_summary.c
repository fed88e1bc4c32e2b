/* Fuzz target for the journal's SUMMARY file (lib/after/summary_cache.c,
 * lib/docs/journal-format.md): the cache that store-wide reads trust to
 * skip reading unchanged incidents.
 *
 * Any input, as a SUMMARY file next to two real incidents, must leave the
 * metrics and the action list exactly what they are without it: damaged
 * bytes are detected and those incidents read from their files. And the
 * codec's checks alone must never read out of bounds, accept an entry
 * whose parts do not add up, or hand on kept events that the event decoder
 * cannot walk. Anything else aborts, which both libFuzzer and the replay
 * driver report. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "incident.h"
#include "after/summary_cache.h"
#include "util/buf.h"
#include "util/hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0  1795443120000LL /* 2026-11-23T14:12:00Z */
#define MIN (60LL * 1000)

static char dir[64];
static char *expected;

static inc_time fixed_clock(void *user)
{
    return *(inc_time *)user;
}

static inc_context *context(inc_store *s, inc_time *now)
{
    inc_context_options o = INC_CONTEXT_OPTIONS_INIT;
    inc_context *ctx = NULL;
    o.clock = fixed_clock;
    o.clock_user = now;
    o.store = s;
    if (inc_context_new(&o, &ctx) != INC_OK)
        abort();
    return ctx;
}

static inc_store *journal(void)
{
    inc_journal_options jo = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    jo.sync = INC_SYNC_NONE;
    if (inc_store_journal_open(dir, &jo, &s) != INC_OK)
        abort();
    return s;
}

/* The metrics and every action item, as JSON, one after the other. */
static char *outputs(inc_context *ctx)
{
    inc_metrics_options mo = INC_METRICS_OPTIONS_INIT;
    inc_action_query q = INC_ACTION_QUERY_INIT;
    inc_metrics *m = NULL;
    inc_action_list *l = NULL;
    char *a = NULL, *b = NULL, *out;
    mo.now = q.now = T0 + 30 * 24 * 60 * MIN;
    if (inc_metrics_compute(ctx, &mo, &m) != INC_OK || inc_metrics_render_json(m, &a, NULL) ||
        inc_action_list_query(ctx, &q, &l) != INC_OK ||
        inc_action_list_export_json(l, "x/", &b, NULL) != INC_OK)
        abort();
    out = malloc(strlen(a) + strlen(b) + 2);
    if (!out)
        abort();
    sprintf(out, "%s\n%s", a, b);
    inc_free(a);
    inc_free(b);
    inc_metrics_free(m);
    inc_action_list_free(l);
    return out;
}

static void declare_one(inc_context *ctx, inc_time *now, const char *title, const char *sev)
{
    inc_declare_options d = INC_DECLARE_OPTIONS_INIT;
    inc_action_options a = INC_ACTION_OPTIONS_INIT;
    inc_incident *inc = NULL;
    uint64_t seq, item;
    d.title = title;
    d.declarer = "alice";
    d.severity = sev;
    if (inc_incident_declare(ctx, &d, &inc) != INC_OK ||
        inc_incident_request_page(inc, "pager", "on-call", NULL, &seq) != INC_OK ||
        inc_incident_mark_page_sent(inc, "pager", seq, "bob") != INC_OK)
        abort();
    *now += 3 * MIN;
    if (inc_incident_acknowledge(inc, "bob", seq) != INC_OK ||
        inc_incident_set_root_cause_tag(inc, "alice", "config-change") != INC_OK)
        abort();
    a.title = "Alert on the error rate";
    a.owner = "carol";
    a.due = *now + 24 * 60 * MIN;
    a.priority = 2;
    if (inc_incident_add_action(inc, "alice", &a, &item) != INC_OK)
        abort();
    inc_incident_free(inc);
    *now += 24 * 60 * MIN;
}

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_summary: could not remove %s\n", dir);
    free(expected);
}

/* Once: a journal of two incidents, and its outputs without any SUMMARY. */
static void setup(void)
{
    inc_time now = T0;
    inc_store *s;
    inc_context *ctx;
    snprintf(dir, sizeof(dir), "/tmp/inc-fuzz-summary-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    atexit(cleanup);
    s = inc_store_journal_open(dir, NULL, &s) == INC_OK ? s : NULL;
    if (!s)
        abort();
    ctx = context(s, &now);
    declare_one(ctx, &now, "Checkout errors in EU", "Sev-1");
    declare_one(ctx, &now, "Search is slow", "Sev-3");
    inc_context_free(ctx);
    inc_store_free(s);
}

static void write_summary(const uint8_t *data, size_t size)
{
    char path[128];
    FILE *f;
    snprintf(path, sizeof(path), "%s/SUMMARY", dir);
    f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

/* The checks alone: every entry they accept adds up. */
static void check_codec(const uint8_t *data, size_t size)
{
    uint64_t count;
    size_t off = 24, i;
    if (inc__pmc_header_check(data, size, &count) != 0)
        return;
    for (i = 0; i < count && off < size; i++) {
        inc__pmc_entry e;
        const char *id;
        size_t id_len, k = 0;
        if (inc__pmc_entry_check(data + off, size - off, &e, &id, &id_len) != 0)
            return;
        if (e.len > size - off || id < (const char *)data + off ||
            e.kept + e.kept_len > data + off + e.len || e.title_len > INC_TITLE_MAX)
            abort();
        while (k < e.kept_len) { /* the kept events can be walked */
            uint32_t n = inc__load_u32le(e.kept + k);
            inc__event ev;
            if (n > e.kept_len - k - 4)
                abort();
            (void)inc__event_decode(e.kept + k + 4, n, &ev, NULL);
            k += 4 + n;
        }
        off += e.len;
    }
}

/* The input made believable: checksums recomputed, and the stamp of an
 * entry named after a real incident set to its file's, so that the reader
 * trusts it and the scan decodes and applies what the fuzzer wrote. */
static uint8_t *forge(const uint8_t *data, size_t size, inc_store *s)
{
    uint8_t *p = malloc(size ? size : 1);
    size_t off = 24;
    if (!p)
        abort();
    memcpy(p, data, size);
    if (size < 24)
        return p;
    inc__store_u32le(p + 20, inc__crc32c(0, p, 20));
    while (size - off >= 4 + 1) {
        uint32_t len = inc__load_u32le(p + off);
        size_t id_len = p[off + 4];
        char id[INC_ID_MAX + 1];
        inc__jstamp st;
        if (len < 8 || len > size - off)
            break;
        if (id_len <= INC_ID_MAX && 5 + id_len + 32 <= len - 4) {
            memcpy(id, p + off + 5, id_len);
            id[id_len] = 0;
            if (inc__journal_stamp(s, id, &st) == INC_OK) {
                inc__store_u64le(p + off + 5 + id_len, st.ino);
                inc__store_u64le(p + off + 5 + id_len + 8, st.size);
                inc__store_u64le(p + off + 5 + id_len + 16, (uint64_t)st.mtime_ns);
                inc__store_u64le(p + off + 5 + id_len + 24, (uint64_t)st.ctime_ns);
            }
        }
        inc__store_u32le(p + off + len - 4, inc__crc32c(0, p + off, len - 4));
        off += len;
    }
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    inc_time now = T0;
    inc_store *s;
    inc_context *ctx;
    char *got;

    if (!expected) {
        setup();
        s = journal();
        ctx = context(s, &now);
        expected = outputs(ctx);
        inc_context_free(ctx);
        inc_store_free(s);
    }
    /* As it is: no forged entry gets through, the outputs are unchanged. */
    check_codec(data, size);
    write_summary(data, size);
    s = journal();
    ctx = context(s, &now);
    got = outputs(ctx);
    if (strcmp(got, expected) != 0)
        abort();
    free(got);
    inc_context_free(ctx);

    /* Forged: trusted, so anything may come out, but nothing may break. */
    {
        uint8_t *forged = forge(data, size, s);
        check_codec(forged, size);
        write_summary(forged, size);
        free(forged);
    }
    inc_store_free(s);
    s = journal();
    ctx = context(s, &now);
    free(outputs(ctx));
    inc_context_free(ctx);
    inc_store_free(s);
    return 0;
}
