/* The summary cache of store-wide reads (lib/after/summary_cache.c): over a journal,
 * the metrics (MET-1) and the store-wide action list (PM-3) keep each
 * incident's summary in the journal's SUMMARY file and take unchanged
 * incidents from there. Whatever the state of that file, the figures and
 * the list must be exactly those of the same incidents in a memory store
 * (which has no cache): first scan, warm scan, after changes, with a
 * corrupt, truncated, foreign or stale file, from a read-only handle, with
 * an incident file gone or torn, and under allocation failure. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal/journal_services.h"
#include "test_after_util.h"
#include "incident/sys/store.h"

static int count_events(void *user, uint64_t seq, const void *data, size_t len)
{
    (void)seq;
    (void)data;
    (void)len;
    ++*(size_t *)user;
    return 0;
}

#define N_INCIDENTS 12

typedef struct outputs {
    char *metrics; /* JSON */
    char *actions; /* JSON export of every item */
    char *overdue; /* text of the overdue items */
    size_t overdue_count;
} outputs;

/* Incident @i of the set: severities, drills, tags, pages and items vary
 * with @i so that every field of a summary matters somewhere. */
static void build_incident(pm_fx *f, int i)
{
    static char prev[INC_ID_MAX + 1];
    static const char *const sev[] = {"Sev-1", "Sev-2", "Sev-3", "Sev-2"};
    static const char *const tags[] = {"config-change", "capacity", "dependency"};
    int64_t t = (int64_t)i * DAY;
    char title[64];
    uint64_t seq, item;
    inc_action_options o = INC_ACTION_OPTIONS_INIT;

    at(f, t);
    snprintf(title, sizeof(title), "Incident number %d", i);
    pm_declare(f, title, sev[i % 4], 0, i % 5 == 4, T0 + t - 10 * MIN, T0 + t - (i % 3) * MIN);
    at(f, t + MIN);
    assert_int_equal(inc_incident_request_page(f->inc, "pager", "on-call", NULL, &seq), INC_OK);
    assert_int_equal(inc_incident_mark_page_sent(f->inc, "pager", seq, i % 2 ? "bob" : "carol"),
                     INC_OK);
    at(f, t + (2 + i % 4) * MIN);
    assert_int_equal(inc_incident_acknowledge(f->inc, i % 2 ? "bob" : "carol", seq), INC_OK);
    pm_resolve(f, t + 5 * MIN, t + 6 * MIN, t + (20 + i) * MIN, t + (40 + 2 * i) * MIN);
    if (i % 4 == 1) { /* LIFE-4: reopened and resolved again (state, MTTR, reopen rate) */
        at(f, t + (40 + 2 * i) * MIN + 10000);
        assert_int_equal(inc_incident_reopen(f->inc, "alice", INC_STATE_MITIGATING, "back"),
                         INC_OK);
        pm_state(f, t + (40 + 2 * i) * MIN + 20000, INC_STATE_MONITORING);
        pm_state(f, t + (40 + 2 * i) * MIN + 30000, INC_STATE_RESOLVED);
    }
    assert_int_equal(inc_incident_set_root_cause_tag(f->inc, "alice", tags[i % 3]), INC_OK);
    at(f, t + HOUR);
    o.title = "Add an alert on checkout error rate";
    o.owner = i % 3 ? "dave" : "erin";
    o.due = T0 + t + (1 + i % 6) * DAY;
    o.priority = 1 + i % 4;
    assert_int_equal(inc_incident_add_action(f->inc, "alice", &o, &item), INC_OK);
    if (i % 3 == 1) {
        at(f, t + 2 * HOUR);
        assert_int_equal(
            inc_incident_set_action_status(f->inc, "alice", item, INC_ACTION_DONE, NULL, 0),
            INC_OK);
    }
    if (i % 6 == 3) { /* LIFE-5: a duplicate of the one before (counted once) */
        at(f, t + 3 * HOUR);
        assert_int_equal(inc_incident_add_link(f->inc, "alice", INC_LINK_DUPLICATE_OF, prev, NULL),
                         INC_OK);
    } else if (i % 6 == 4) {
        at(f, t + 3 * HOUR);
        assert_int_equal(inc_incident_add_link(f->inc, "alice", INC_LINK_RELATED, prev, NULL),
                         INC_OK);
    }
    snprintf(prev, sizeof(prev), "%s", inc_incident_id(f->inc));
}

static void build_set(pm_fx *f, int n)
{
    int i;
    for (i = 0; i < n; i++)
        build_incident(f, i);
}

static void outputs_free(outputs *o)
{
    inc_free(o->metrics);
    inc_free(o->actions);
    inc_free(o->overdue);
    memset(o, 0, sizeof(*o));
}

/* Every store-wide reading of @ctx's store, rendered. */
static int read_all(inc_context *ctx, outputs *out)
{
    inc_metrics_options mo = INC_METRICS_OPTIONS_INIT;
    inc_action_query q = INC_ACTION_QUERY_INIT;
    inc_metrics *m = NULL;
    inc_action_list *l = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    mo.now = q.now = T0 + 30 * DAY; /* (not the clock: it differs between the stores) */
    rc = inc_metrics_compute(ctx, &mo, &m);
    if (rc == INC_OK)
        rc = inc_metrics_render_json(m, &out->metrics, NULL);
    inc_metrics_free(m);
    if (rc == INC_OK)
        rc = inc_action_list_query(ctx, &q, &l);
    if (rc == INC_OK)
        rc = inc_action_list_export_json(l, "https://inc.example/", &out->actions, NULL);
    inc_action_list_free(l);
    l = NULL;
    q.overdue_only = 1;
    if (rc == INC_OK)
        rc = inc_action_list_query(ctx, &q, &l);
    if (rc == INC_OK) {
        out->overdue_count = inc_action_list_count(l);
        rc = inc_action_list_render(l, &out->overdue, NULL);
    }
    inc_action_list_free(l);
    if (rc != INC_OK)
        outputs_free(out);
    return rc;
}

static void assert_same(const outputs *a, const outputs *b)
{
    assert_string_equal(a->metrics, b->metrics);
    assert_string_equal(a->actions, b->actions);
    assert_string_equal(a->overdue, b->overdue);
    assert_int_equal(a->overdue_count, b->overdue_count);
}

/* A journal in a fresh temporary directory, and the expected outputs from
 * the same incidents in a memory store. */
typedef struct world {
    char dir[64];
    outputs expected;
} world;

static inc_store *journal(const world *w, int ro)
{
    inc_journal_options jo = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    jo.sync = INC_SYNC_NONE;
    jo.read_only = ro;
    assert_int_equal(inc_store_journal_open(w->dir, &jo, &s), INC_OK);
    return s;
}

static world *world_new(int n)
{
    world *w = calloc(1, sizeof(*w));
    pm_fx *f;
    assert_non_null(w);
    snprintf(w->dir, sizeof(w->dir), "/tmp/inc-summary-XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    f = pm_fx_new();
    build_set(f, n);
    assert_int_equal(read_all(f->ctx, &w->expected), INC_OK);
    pm_fx_free(f);
    f = pm_fx_new_with(NULL, journal(w, 0));
    build_set(f, n);
    pm_fx_free(f);
    return w;
}

static void world_free(world *w)
{
    char cmd[128];
    outputs_free(&w->expected);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", w->dir);
    assert_int_equal(system(cmd), 0);
    free(w);
}

static void summary_path(const world *w, char *out, size_t size)
{
    snprintf(out, size, "%s/SUMMARY", w->dir);
}

/* Read everything through a new handle: check the outputs against the
 * memory store's and return the handle's summary counters. */
static inc_journal_stats scan(const world *w, int ro)
{
    inc_journal_stats st;
    inc_store *s = journal(w, ro);
    pm_fx *f = pm_fx_new_with(NULL, s);
    outputs got;
    assert_int_equal(read_all(f->ctx, &got), INC_OK);
    assert_same(&got, &w->expected);
    outputs_free(&got);
    st.version = INC_JOURNAL_STATS_VERSION;
    assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
    pm_fx_free(f);
    return st;
}

/* Three store-wide reads per scan (metrics, every item, overdue items). */
#define READS 3

static void test_MET_1_PM_3_first_scan_writes_the_next_reads_it(void **state)
{
    world *w = world_new(N_INCIDENTS);
    inc_journal_stats st;
    struct stat sb;
    char path[128];
    (void)state;

    summary_path(w, path, sizeof(path));
    assert_int_equal(stat(path, &sb), -1); /* writing incidents does not make it */
    st = scan(w, 0);
    assert_int_equal(st.summary_misses, N_INCIDENTS);             /* the first read makes it... */
    assert_int_equal(st.summary_hits, (READS - 1) * N_INCIDENTS); /* ...the others use it */
    assert_int_equal(st.summary_writes, 1);
    assert_int_equal(stat(path, &sb), 0);
    st = scan(w, 0);
    assert_int_equal(st.summary_hits, READS * N_INCIDENTS);
    assert_int_equal(st.summary_misses, 0);
    assert_int_equal(st.summary_writes, 0);
    world_free(w);
}

/* A changed incident is read again, and the figures follow the change. */
static void test_MET_1_PM_3_changed_incident_is_read_again(void **state)
{
    world *w = world_new(N_INCIDENTS);
    inc_journal_stats st;
    pm_fx *f;
    inc_incident *inc;
    (void)state;

    (void)scan(w, 0);
    /* Mark the item of incident 0 done, in both stores. */
    f = pm_fx_new_with(NULL, journal(w, 0));
    assert_int_equal(inc_incident_open(f->ctx, "2026-11-23-incident-number-0", &inc), INC_OK);
    at(f, 3 * DAY);
    assert_int_equal(inc_incident_set_action_status(inc, "alice", 1, INC_ACTION_DONE, NULL, 0),
                     INC_OK);
    inc_incident_free(inc);
    pm_fx_free(f);
    outputs_free(&w->expected);
    f = pm_fx_new();
    build_set(f, N_INCIDENTS);
    assert_int_equal(inc_incident_open(f->ctx, "2026-11-23-incident-number-0", &inc), INC_OK);
    at(f, 3 * DAY);
    assert_int_equal(inc_incident_set_action_status(inc, "alice", 1, INC_ACTION_DONE, NULL, 0),
                     INC_OK);
    inc_incident_free(inc);
    assert_int_equal(read_all(f->ctx, &w->expected), INC_OK);
    pm_fx_free(f);

    st = scan(w, 0);
    assert_int_equal(st.summary_misses, 1);
    assert_int_equal(st.summary_hits, READS * N_INCIDENTS - 1);
    assert_int_equal(st.summary_writes, 1); /* 1 of 12 is over 1/64: rewritten */
    st = scan(w, 0);
    assert_int_equal(st.summary_misses, 0);
    world_free(w);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *p;
    long n;
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n > 0);
    rewind(fp);
    p = malloc((size_t)n);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return p;
}

/* Damage of every kind: the outputs stay right, the file is rebuilt. */
static void test_MET_1_PM_3_bad_summary_is_never_trusted(void **state)
{
    world *w = world_new(N_INCIDENTS);
    unsigned char *good, *bad;
    size_t len, k;
    char path[128];
    (void)state;

    (void)scan(w, 0);
    summary_path(w, path, sizeof(path));
    good = read_file(path, &len);
    bad = malloc(len);
    assert_non_null(bad);
    for (k = 0; k < 8; k++) {
        inc_journal_stats st;
        size_t n = len;
        memcpy(bad, good, len);
        switch (k) {
        case 0:
            bad[len / 2] ^= 0x40;
            break; /* a bit in an entry */
        case 7:    /* a bit of the first entry's acknowledgement time: plausible, and wrong */
            bad[24 + 4 + 1 + bad[24 + 4] + 32 + 4 + 6 * 8 + 2] ^= 0x10;
            break;
        case 1:
            bad[10] ^= 1;
            break; /* the header */
        case 2:
            n = len / 2;
            break; /* truncated */
        case 3:
            n = 0;
            break; /* empty */
        case 4:
            memset(bad, 0xA5, n);
            break; /* garbage */
        case 5:
            bad[12] ^= 1;
            break; /* another library version (header CRC too) */
        default:
            n = 23;
            break; /* shorter than a header */
        }
        write_file(path, bad, n);
        st = scan(w, 0); /* checks the outputs */
        assert_true(st.summary_misses > 0);
        assert_int_equal(st.summary_writes, 1);
        st = scan(w, 0);
        assert_int_equal(st.summary_misses, 0);
    }
    free(good);
    free(bad);
    world_free(w);
}

/* A SUMMARY that is not a regular file (here a FIFO, which a blocking
 * open would wait on forever) is no SUMMARY; a writable handle replaces it. */
static void test_MET_1_summary_that_is_a_fifo(void **state)
{
    world *w = world_new(3);
    inc_journal_stats st;
    struct stat sb;
    char path[128];
    (void)state;

    summary_path(w, path, sizeof(path));
    assert_int_equal(mkfifo(path, 0600), 0);
    st = scan(w, 1);
    assert_int_equal(st.summary_misses, READS * 3);
    st = scan(w, 0);
    assert_int_equal(st.summary_writes, 1);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    world_free(w);
}

/* A read-only handle uses the file but never writes it, stale or not. */
static void test_MET_1_read_only_handle_uses_but_never_writes(void **state)
{
    world *w = world_new(N_INCIDENTS);
    inc_journal_stats st;
    struct stat sb;
    char path[128];
    (void)state;

    summary_path(w, path, sizeof(path));
    st = scan(w, 1);
    assert_int_equal(st.summary_misses, READS * N_INCIDENTS);
    assert_int_equal(st.summary_writes, 0);
    assert_int_equal(stat(path, &sb), -1);
    (void)scan(w, 0);
    st = scan(w, 1);
    assert_int_equal(st.summary_hits, READS * N_INCIDENTS);
    world_free(w);
}

/* An incident file removed (by hand): its entry is left out, the others
 * are found by id although they are no longer where the scan looks next. */
static void test_MET_1_PM_3_gone_incident_and_out_of_order_lookup(void **state)
{
    world *w = world_new(N_INCIDENTS);
    inc_journal_stats st;
    char path[256];
    pm_fx *f;
    int i;
    (void)state;

    (void)scan(w, 0);
    /* Three of them (1, 5, 9), so that at least one is not the last listed. */
    for (i = 0; i < 3; i++) {
        static const char *const gone[] = {"2026-11-24-incident-number-1",
                                           "2026-11-28-incident-number-5",
                                           "2026-12-02-incident-number-9"};
        snprintf(path, sizeof(path), "%s/%s.jnl", w->dir, gone[i]);
        assert_int_equal(unlink(path), 0);
    }
    outputs_free(&w->expected);
    f = pm_fx_new();
    for (i = 0; i < N_INCIDENTS; i++)
        if (i % 4 != 1)
            build_incident(f, i);
    assert_int_equal(read_all(f->ctx, &w->expected), INC_OK);
    pm_fx_free(f);
    st = scan(w, 0);
    assert_int_equal(st.summary_misses, 0);
    assert_int_equal(st.summary_hits, READS * (N_INCIDENTS - 3));
    assert_int_equal(st.summary_writes, 1); /* the gone entry is stale */
    st = scan(w, 0);
    assert_int_equal(st.summary_writes, 0);
    world_free(w);
}

/* Append a torn record (a crash in an append) to the file of @id. */
static void tear(const world *w, const char *id)
{
    static const unsigned char junk[40] = {0x30, 0, 0, 0, 1};
    char path[256];
    int fd;
    snprintf(path, sizeof(path), "%s/%s.jnl", w->dir, id);
    fd = open(path, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
    close(fd);
}

/* A torn tail (a crash in an append) is never cached: its incident is read
 * on every scan (the read-only handle does not cut it). */
static void test_MET_1_torn_incident_is_not_cached(void **state)
{
    world *w = world_new(4);
    inc_journal_stats st;
    (void)state;

    tear(w, "2026-11-23-incident-number-0");
    st = scan(w, 1);
    assert_int_equal(st.summary_misses, READS * 4);
    /* Writable: the first read cuts the tail, so that incident's read did
     * not end at the end of the file it stamped: the SUMMARY written then
     * leaves it out, the second read misses it and writes it in, the third
     * finds all four. */
    st = scan(w, 0);
    assert_int_equal(st.summary_misses, 4 + 1);
    assert_int_equal(st.summary_writes, 2);
    st = scan(w, 0);
    assert_int_equal(st.summary_misses, 0);
    world_free(w);
}

/* A summary is kept only when the read took the file whole: a torn tail
 * left in place (a read-only handle) is bytes the summary does not
 * describe, which a cut and a new append of the same length in the same
 * clock tick could turn into events without changing the stamp. */
static void test_read_whole_only_for_a_file_read_to_its_end(void **state)
{
    world *w = world_new(2);
    const char *id = "2026-11-23-incident-number-0";
    inc__jstamp st;
    size_t n = 0;
    inc_store *s;
    (void)state;

    s = journal(w, 1);
    assert_int_equal(inc__journal_stamp(s, id, &st), INC_OK);
    assert_int_equal(inc_store_read(s, id, 1, count_events, &n), INC_OK);
    assert_int_equal(inc__journal_read_whole(s, id, &st), 1);
    inc_store_free(s);

    tear(w, id);
    s = journal(w, 1);
    assert_int_equal(inc__journal_stamp(s, id, &st), INC_OK);
    assert_int_equal(inc_store_read(s, id, 1, count_events, &n), INC_OK);
    assert_int_equal(inc__journal_read_whole(s, id, &st), 0);
    assert_int_equal(inc__journal_stamp(s, "2026-11-24-incident-number-9", &st), INC_ENOTFOUND);
    inc_store_free(s);
    world_free(w);
}

/* The stamp a first scan takes from the read's own open, not from a stat
 * of its own: the file's stamp when the read took the file whole, and
 * nothing for a torn file, a file appended to since its open, or an
 * incident never read. */
static void test_read_stamp_is_the_stamp_of_the_file_read_whole(void **state)
{
    world *w = world_new(2);
    const char *id = "2026-11-23-incident-number-0";
    static const char payload[] = "opaque to the store";
    inc_store_record rec = {payload, sizeof(payload)};
    inc__jstamp before, got;
    size_t n = 0;
    inc_store *s;
    (void)state;

    s = journal(w, 0);
    assert_int_equal(inc__journal_read_stamp(s, id, &got), 0); /* not read yet */
    assert_int_equal(inc__journal_stamp(s, id, &before), INC_OK);
    assert_int_equal(inc_store_read(s, id, 1, count_events, &n), INC_OK);
    assert_int_equal(inc__journal_read_stamp(s, id, &got), 1);
    assert_int_equal(got.ino, before.ino);
    assert_int_equal(got.size, before.size);
    assert_int_equal(got.mtime_ns, before.mtime_ns);
    assert_int_equal(got.ctime_ns, before.ctime_ns);
    /* Appended to since the open: the stamp no longer describes the read. */
    assert_int_equal(inc_store_append(s, id, n, &rec, 1), INC_OK);
    assert_int_equal(inc__journal_read_stamp(s, id, &got), 0);
    assert_int_equal(inc__journal_read_stamp(s, "2026-11-24-incident-number-9", &got), 0);
    inc_store_free(s);

    tear(w, id);
    s = journal(w, 1);
    assert_int_equal(inc_store_read(s, id, 1, count_events, &n), INC_OK);
    assert_int_equal(inc__journal_read_stamp(s, id, &got), 0);
    inc_store_free(s);
    world_free(w);
}

/* Temporary files left in the journal's directory. */
static int temporaries(const world *w)
{
    DIR *d = opendir(w->dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, ".tmp-", 5) == 0;
    closedir(d);
    return n;
}

/* Every allocation failure during a scan, with a SUMMARY (@warm) or
 * without one (the file is then written as the scan goes): INC_ENOMEM or
 * the right outputs, and no leak. Returns how many allocations it took. */
static unsigned long sweep_allocation_failures(world *w, int warm)
{
    struct inc_test_alloc ta;
    char path[128];
    unsigned long n;
    int done = 0;

    summary_path(w, path, sizeof(path));
    for (n = 1; !done && n < 20000; n++) {
        inc_allocator al;
        inc_store *s;
        pm_fx *f;
        outputs got;
        int rc;
        if (warm)
            (void)scan(w, 0);
        else
            (void)unlink(path);
        s = journal(w, 0);
        inc_test_alloc_init(&ta);
        al = inc_test_alloc_allocator(&ta);
        f = pm_fx_new_with(&al, s);
        inc_test_alloc_arm(&ta, n, 1);
        rc = read_all(f->ctx, &got);
        inc_test_alloc_arm(&ta, 0, 0);
        done = rc == INC_OK;
        if (done) {
            assert_same(&got, &w->expected);
            outputs_free(&got);
        } else {
            assert_int_equal(rc, INC_ENOMEM);
        }
        pm_fx_free(f);
        assert_int_equal(ta.live_blocks, 0);
        assert_int_equal(temporaries(w), 0); /* no half-written SUMMARY left behind */
    }
    assert_true(done);
    return n;
}

static void test_MET_1_allocation_failure_with_summary(void **state)
{
    world *w = world_new(N_INCIDENTS);
    (void)state;
    assert_true(sweep_allocation_failures(w, 1) > 100); /* (the sweep covered the scan) */
    assert_true(sweep_allocation_failures(w, 0) > 100);
    world_free(w);
}

/* ---- a backend with a bulk scan (test_after_util.h) ------------------------------ */

static void test_MET_1_PM_3_bulk_scan_gives_the_same_outputs(void **state)
{
    world *w = world_new(N_INCIDENTS);
    scanning *b;
    inc_store *s = scanning_store_new(&b);
    pm_fx *f;
    outputs got;
    int reads_before;
    (void)state;
    f = pm_fx_new_with(NULL, s);
    build_set(f, N_INCIDENTS);
    reads_before = b->reads;
    assert_int_equal(read_all(f->ctx, &got), INC_OK);
    assert_same(&got, &w->expected);
    assert_int_equal(b->scans, READS);        /* one pass per store-wide read */
    assert_int_equal(b->reads, reads_before); /* and no read of an incident */
    outputs_free(&got);
    pm_fx_free(f);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_MET_1_PM_3_first_scan_writes_the_next_reads_it),
        cmocka_unit_test(test_MET_1_PM_3_changed_incident_is_read_again),
        cmocka_unit_test(test_MET_1_PM_3_bad_summary_is_never_trusted),
        cmocka_unit_test(test_MET_1_read_only_handle_uses_but_never_writes),
        cmocka_unit_test(test_MET_1_summary_that_is_a_fifo),
        cmocka_unit_test(test_MET_1_PM_3_gone_incident_and_out_of_order_lookup),
        cmocka_unit_test(test_MET_1_torn_incident_is_not_cached),
        cmocka_unit_test(test_read_whole_only_for_a_file_read_to_its_end),
        cmocka_unit_test(test_read_stamp_is_the_stamp_of_the_file_read_whole),
        cmocka_unit_test(test_MET_1_allocation_failure_with_summary),
        cmocka_unit_test(test_MET_1_PM_3_bulk_scan_gives_the_same_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
