/* The journal store: round trip, several writers (handles and processes),
 * read-only handles, sync policies, permissions, paths, ids, options and
 * allocation failure. Recovery is in test_journal_recovery.c, the power-cut
 * simulation in test_journal_powercut.c. */
#include "test_journal_util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "test_support.h"

static int copy_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    unsigned char *big = user;
    size_t i;
    if (seq != 2)
        return 0;
    if (len != 100000)
        return 2;
    for (i = 0; i < len; i++)
        if (((const unsigned char *)data)[i] != big[i])
            return 3;
    return 0;
}

/* Events of many sizes (0 bytes to 100 KB, every byte value), in batches,
 * come back exactly, through the same handle and a new one. */
static void test_TL_1_round_trip(void **state)
{
    tj_fixture *fx = *state;
    inc_store *s = tj_open(fx->dir, INC_SYNC_EVERY, 0);
    static unsigned char big[100000];
    inc_store_record r[3];
    tj_seen seen;
    size_t i;

    for (i = 0; i < sizeof(big); i++)
        big[i] = (unsigned char)(i * 31 + 7);
    tj_append_range(s, "inc-1", 1, 20);
    r[0].data = "";
    r[0].len = 0;
    r[1].data = big;
    r[1].len = sizeof(big);
    r[2].data = "x";
    r[2].len = 1;
    assert_int_equal(inc_store_append(s, "inc-2", 0, r, 3), INC_OK);
    tj_append_range(s, "inc-1", 21, 25);

    for (i = 0; i < 2; i++) {
        assert_int_equal(tj_read(s, "inc-1", 1, &seen), INC_OK);
        assert_int_equal(seen.count, 25);
        assert_int_equal(seen.first, 1);
        assert_false(seen.bad);
        assert_int_equal(tj_read(s, "inc-1", 18, &seen), INC_OK);
        assert_int_equal(seen.first, 18);
        assert_int_equal(seen.count, 8);
        assert_int_equal(tj_read(s, "inc-1", 26, &seen), INC_OK);
        assert_int_equal(seen.count, 0);
        inc_store_free(s);
        s = tj_open(fx->dir, INC_SYNC_EVERY, (int)i); /* again, then read-only */
    }
    memset(&seen, 0, sizeof(seen)); /* no content check: inc-2 holds other bytes */
    assert_int_equal(inc_store_read(s, "inc-2", 1, tj_seen_cb, &seen), INC_OK);
    assert_int_equal(seen.count, 3);
    assert_int_equal(inc_store_read(s, "inc-2", 2, copy_cb, big), INC_OK);
    assert_int_equal(tj_read(s, "nope", 1, &seen), INC_ENOTFOUND);
    assert_int_equal(inc_journal_verify(s, "inc-1", NULL), INC_OK);
    assert_int_equal(inc_journal_verify(s, "inc-2", NULL), INC_OK);
    inc_store_free(s);
}

static void test_round_trip_large_event_bytes(void **state)
{
    tj_fixture *fx = *state;
    inc_store *s = tj_open(fx->dir, INC_SYNC_NONE, 0);
    static unsigned char big[100000];
    inc_store_record r[2];
    size_t i;
    for (i = 0; i < sizeof(big); i++)
        big[i] = (unsigned char)(i * 13 + 1);
    r[0].data = "a";
    r[0].len = 1;
    r[1].data = big;
    r[1].len = sizeof(big);
    assert_int_equal(inc_store_append(s, "big", 0, r, 2), INC_OK);
    inc_store_free(s);
    s = tj_open(fx->dir, INC_SYNC_NONE, 1);
    assert_int_equal(inc_store_read(s, "big", 1, copy_cb, big), INC_OK);
    inc_store_free(s);
}

/* The callback's non-zero value stops the read and is returned. */
static void test_read_stops_on_callback(void **state)
{
    tj_fixture *fx = *state;
    inc_store *s = tj_open(fx->dir, INC_SYNC_NONE, 0);
    tj_seen seen;
    tj_append_range(s, "stop", 1, 10);
    memset(&seen, 0, sizeof(seen));
    seen.stop_at = 4;
    assert_int_equal(inc_store_read(s, "stop", 1, tj_seen_cb, &seen), 1);
    assert_int_equal(seen.count, 4);
    inc_store_free(s);
}

typedef struct ids {
    int n;
    int found_a, found_b;
} ids;

static int list_cb(void *user, const char *id)
{
    ids *l = user;
    l->n++;
    l->found_a += strcmp(id, "alpha") == 0;
    l->found_b += strcmp(id, "beta-2") == 0;
    return 0;
}

/* Listing names each incident once and ignores other files. */
static void test_list(void **state)
{
    tj_fixture *fx = *state;
    inc_store *s = tj_open(fx->dir, INC_SYNC_NONE, 0);
    char p[256];
    ids l = {0};
    FILE *junk;

    tj_append_range(s, "alpha", 1, 2);
    tj_append_range(s, "beta-2", 1, 1);
    snprintf(p, sizeof(p), "%s/.tmp-1-1.gamma.jnl", fx->dir);
    junk = fopen(p, "w");
    assert_non_null(junk);
    fclose(junk);
    snprintf(p, sizeof(p), "%s/Upper.jnl", fx->dir);
    junk = fopen(p, "w");
    assert_non_null(junk);
    fclose(junk);
    assert_int_equal(inc_store_list(s, list_cb, &l), INC_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.found_a, 1);
    assert_int_equal(l.found_b, 1);
    inc_store_free(s);
}

/* Two handles in one process: the second append at a stale expected_seq
 * loses with INC_ECONFLICT and stores nothing; after reloading it wins. */
static void test_conflict_two_handles(void **state)
{
    tj_fixture *fx = *state;
    inc_store *a = tj_open(fx->dir, INC_SYNC_EVERY, 0);
    inc_store *b = tj_open(fx->dir, INC_SYNC_EVERY, 0);
    char buf[512];
    inc_store_record r;
    tj_seen seen;

    r.data = buf;
    r.len = tj_event(buf, sizeof(buf), "c", 1);
    assert_int_equal(inc_store_append(a, "c", 0, &r, 1), INC_OK);
    assert_int_equal(inc_store_append(b, "c", 0, &r, 1), INC_ECONFLICT);
    assert_non_null(strstr(inc_store_errmsg(b), "c"));
    tj_append_range(b, "c", 2, 3);
    r.len = tj_event(buf, sizeof(buf), "c", 2);
    assert_int_equal(inc_store_append(a, "c", 1, &r, 1), INC_ECONFLICT);
    tj_append_range(a, "c", 4, 4);
    assert_int_equal(tj_read(a, "c", 1, &seen), INC_OK);
    assert_int_equal(seen.count, 4);
    assert_false(seen.bad);
    assert_int_equal(tj_read(b, "c", 1, &seen), INC_OK);
    assert_int_equal(seen.count, 4);
    assert_false(seen.bad);
    assert_int_equal(inc_journal_verify(b, "c", NULL), INC_OK);
    inc_store_free(a);
    inc_store_free(b);
}

/* Append events @first.. with retries: on conflict, learn the last seq. */
static uint64_t racer(const char *dir, const char *id, int n, int tag)
{
    inc_store *s = tj_open(dir, INC_SYNC_NONE, 0);
    uint64_t last = 0, conflicts = 0;
    int done = 0;
    while (done < n) {
        char buf[64];
        inc_store_record r;
        int rc;
        r.data = buf;
        r.len = (size_t)snprintf(buf, sizeof(buf), "writer %d event %d", tag, done);
        rc = inc_store_append(s, id, last, &r, 1);
        if (rc == INC_OK) {
            last++;
            done++;
        } else if (rc == INC_ECONFLICT) {
            tj_seen seen;
            conflicts++;
            memset(&seen, 0, sizeof(seen));
            if (inc_store_read(s, id, last + 1, tj_seen_cb, &seen) == INC_OK && seen.count)
                last = seen.last;
        } else {
            fprintf(stderr, "racer: %s\n", inc_store_errmsg(s));
            exit(3);
        }
    }
    inc_store_free(s);
    return conflicts;
}

typedef struct tally {
    int per_writer[2];
    int bad;
} tally;

static int tally_cb(void *user, uint64_t seq, const void *data, size_t len)
{
    tally *t = user;
    int w, e;
    char text[64];
    (void)seq;
    if (len >= sizeof(text)) {
        t->bad = 1;
        return 0;
    }
    memcpy(text, data, len);
    text[len] = '\0';
    if (sscanf(text, "writer %d event %d", &w, &e) != 2 || w < 0 || w > 1 ||
        e != t->per_writer[w]) {
        t->bad = 1;
        return 0;
    }
    t->per_writer[w]++;
    return 0;
}

/* Two processes append to one incident at once: nothing is lost or
 * interleaved, each writer's events are in its order, the chain holds. */
static void test_conflict_two_processes(void **state)
{
    tj_fixture *fx = *state;
    const int n = 200;
    inc_store *s;
    tally t;
    int status;
    pid_t pid;

    s = tj_open(fx->dir, INC_SYNC_NONE, 0); /* create the journal first */
    inc_store_free(s);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        racer(fx->dir, "race", n, 1);
        _exit(0);
    }
    racer(fx->dir, "race", n, 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    s = tj_open(fx->dir, INC_SYNC_NONE, 1);
    memset(&t, 0, sizeof(t));
    assert_int_equal(inc_store_read(s, "race", 1, tally_cb, &t), INC_OK);
    assert_false(t.bad);
    assert_int_equal(t.per_writer[0], n);
    assert_int_equal(t.per_writer[1], n);
    assert_int_equal(inc_journal_verify(s, "race", NULL), INC_OK);
    inc_store_free(s);
}

/* A read-only handle reads while another process appends: every read sees
 * a whole prefix, never an error; appends through it are refused. */
static void test_read_only_while_another_process_writes(void **state)
{
    tj_fixture *fx = *state;
    inc_store *w = tj_open(fx->dir, INC_SYNC_NONE, 0), *ro;
    uint64_t prev = 0;
    inc_store_record r;
    int i, status;
    pid_t pid;

    tj_append_range(w, "live", 1, 1);
    inc_store_free(w);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        inc_store *cw = tj_open(fx->dir, INC_SYNC_NONE, 0);
        tj_append_range(cw, "live", 2, 3000);
        inc_store_free(cw);
        _exit(0);
    }
    ro = tj_open(fx->dir, INC_SYNC_EVERY, 1);
    for (i = 0; i < 200; i++) {
        tj_seen seen;
        assert_int_equal(tj_read(ro, "live", 1, &seen), INC_OK);
        assert_false(seen.bad);
        assert_true(seen.count >= prev);
        prev = seen.count;
        assert_int_equal(tj_read(ro, "live", prev + 1, &seen), INC_OK);
        assert_false(seen.bad);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    {
        tj_seen seen;
        assert_int_equal(tj_read(ro, "live", 1, &seen), INC_OK);
        assert_int_equal(seen.count, 3000);
    }
    r.data = "x";
    r.len = 1;
    assert_int_equal(inc_store_append(ro, "live", 3000, &r, 1), INC_EREADONLY);
    assert_int_equal(inc_store_append(ro, "other", 0, &r, 1), INC_EREADONLY);
    inc_store_free(ro);
}

/* Group policy: synced by count, by the time bound (fake clock), by sync. */
static void test_group_policy_syncs_by_count_time_and_call(void **state)
{
    tj_fixture *fx = *state;
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    struct inc_test_clock clk;
    inc_journal_stats st;
    inc_store *s = NULL;

    inc_test_clock_init(&clk, 1700000000000);
    o.sync = INC_SYNC_GROUP;
    o.group_count = 4;
    o.group_ms = 600000; /* long: the flusher thread must not step in */
    o.clock = inc_test_clock_fn;
    o.clock_user = &clk;
    assert_int_equal(inc_store_journal_open(fx->dir, &o, &s), INC_OK);
    st.version = INC_JOURNAL_STATS_VERSION;
    tj_append_range(s, "g", 1, 3);
    assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
    assert_int_equal(st.pending_events, 3);
    assert_int_equal(st.syncs, 0);
    tj_append_range(s, "g", 4, 4); /* the 4th append: a group sync */
    assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
    assert_int_equal(st.pending_events, 0);
    assert_true(st.syncs >= 2); /* the file and the directory */
    tj_append_range(s, "g", 5, 5);
    inc_test_clock_advance(&clk, 599999);
    tj_append_range(s, "g", 6, 6);
    assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
    assert_int_equal(st.pending_events, 2);
    inc_test_clock_advance(&clk, 1);
    tj_append_range(s, "g", 7, 7); /* the oldest is 10 minutes old: sync */
    assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
    assert_int_equal(st.pending_events, 0);
    tj_append_range(s, "g", 8, 8);
    assert_int_equal(inc_store_sync(s), INC_OK);
    assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
    assert_int_equal(st.pending_events, 0);
    assert_int_equal(st.appends, 8);
    assert_int_equal(st.events, 8);
    inc_store_free(s);
}

static inc_store *open_group(const char *dir, unsigned ms)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = NULL;
    o.sync = INC_SYNC_GROUP;
    o.group_ms = ms;
    assert_int_equal(inc_store_journal_open(dir, &o, &s), INC_OK);
    return s;
}

/* An idle group handle still syncs within the time bound (the flusher). */
static void test_group_policy_idle_handle_syncs_within_time_bound(void **state)
{
    tj_fixture *fx = *state;
    inc_store *s = open_group(fx->dir, 30);
    inc_journal_stats st;
    int i;
    st.version = INC_JOURNAL_STATS_VERSION;
    tj_append_range(s, "idle", 1, 2);
    for (i = 0; i < 200; i++) { /* up to 2 s on a very busy machine */
        assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
        if (st.pending_events == 0)
            break;
        usleep(10000);
    }
    assert_int_equal(st.pending_events, 0);
    inc_store_free(s);
}

/* A group that starts while the flusher waits for the deadline of a group
 * synced meanwhile (here by inc_store_sync) is not signalled: the flusher
 * wakes at the old deadline, waits for the new one and syncs it. */
static void test_group_policy_next_group_syncs_without_a_signal(void **state)
{
    tj_fixture *fx = *state;
    inc_store *s = open_group(fx->dir, 30);
    inc_journal_stats st;
    int i;
    st.version = INC_JOURNAL_STATS_VERSION;
    tj_append_range(s, "again", 1, 1);
    assert_int_equal(inc_store_sync(s), INC_OK);
    tj_append_range(s, "again", 2, 2);
    for (i = 0; i < 200; i++) { /* up to 2 s on a very busy machine */
        assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
        if (st.pending_events == 0)
            break;
        usleep(10000);
    }
    assert_int_equal(st.pending_events, 0);
    inc_store_free(s);
}

/* Group handles keep an incident's write lock until their group syncs;
 * another handle (here in the same thread) waits for it, and two handles
 * that each hold what the other wants do not deadlock. */
static void test_group_policy_handles_wait_and_never_deadlock(void **state)
{
    tj_fixture *fx = *state;
    inc_store *a = open_group(fx->dir, 40), *b = open_group(fx->dir, 40);
    char buf[512];
    inc_store_record r;
    tj_seen seen;

    r.data = buf;
    tj_append_range(a, "x", 1, 1); /* a keeps x */
    tj_append_range(b, "y", 1, 1); /* b keeps y */
    r.len = tj_event(buf, sizeof(buf), "x", 1);
    assert_int_equal(inc_store_append(b, "x", 0, &r, 1), INC_ECONFLICT); /* waited for a */
    tj_append_range(b, "x", 2, 2);
    tj_append_range(a, "y", 2, 2); /* a syncs its group, then waits for b */
    tj_append_range(a, "x", 3, 3);
    assert_int_equal(tj_read(b, "x", 1, &seen), INC_OK);
    assert_int_equal(seen.count, 3);
    assert_false(seen.bad);
    assert_int_equal(tj_read(b, "y", 1, &seen), INC_OK);
    assert_int_equal(seen.count, 2);
    assert_false(seen.bad);
    inc_store_free(a);
    inc_store_free(b);
}

/* More incidents than open descriptors: the least recently used are
 * closed (synced first), everything stays readable. */
static void test_many_incidents_beyond_open_file_limit(void **state)
{
    tj_fixture *fx = *state;
    inc_store *s = tj_open(fx->dir, INC_SYNC_GROUP, 0);
    inc_journal_stats st;
    char id[32];
    int i;
    for (i = 0; i < 300; i++) {
        snprintf(id, sizeof(id), "many-%d", i);
        tj_append_range(s, id, 1, 2);
    }
    for (i = 0; i < 300; i += 7) {
        tj_seen seen;
        snprintf(id, sizeof(id), "many-%d", i);
        tj_append_range(s, id, 3, 3);
        assert_int_equal(tj_read(s, id, 1, &seen), INC_OK);
        assert_int_equal(seen.count, 3);
        assert_false(seen.bad);
    }
    assert_int_equal(inc_store_sync(s), INC_OK);
    st.version = INC_JOURNAL_STATS_VERSION;
    assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
    assert_int_equal(st.pending_events, 0);
    inc_store_free(s);
}

/* Policy none syncs nothing, not even a file it closes to stay within the
 * descriptor limit; an explicit sync then reaches the closed files too. */
static void test_none_policy_syncs_only_on_request(void **state)
{
    tj_fixture *fx = *state;
    inc_store *s = tj_open(fx->dir, INC_SYNC_NONE, 0);
    inc_journal_stats st;
    char id[32];
    int i;
    for (i = 0; i < 300; i++) {
        snprintf(id, sizeof(id), "none-%d", i);
        tj_append_range(s, id, 1, 2);
    }
    st.version = INC_JOURNAL_STATS_VERSION;
    assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
    assert_int_equal(st.syncs, 0);
    assert_int_equal(st.pending_events, 600);
    assert_int_equal(inc_store_sync(s), INC_OK);
    assert_int_equal(inc_journal_get_stats(s, &st), INC_OK);
    assert_int_equal(st.pending_events, 0);
    assert_true(st.syncs >= 300);
    inc_store_free(s);
}

/* Files 0600, a created directory 0700, even with a permissive umask. */
static void test_permissions(void **state)
{
    tj_fixture *fx = *state;
    mode_t old = umask(0);
    inc_store *s = tj_open(fx->dir, INC_SYNC_EVERY, 0);
    struct stat sb;
    char p[256];
    umask(old);
    tj_append_range(s, "perm", 1, 1);
    assert_int_equal(stat(fx->dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    tj_path(p, sizeof(p), fx->dir, "perm");
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(p, sizeof(p), "%s/JOURNAL", fx->dir);
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    inc_store_free(s);
}

static int open_rc(const char *dir, int ro, int must_exist, inc_diag *d)
{
    inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
    inc_store *s = (inc_store *)&o; /* must be set to NULL on failure */
    int rc;
    o.read_only = ro;
    o.must_exist = must_exist;
    o.diag = d;
    rc = inc_store_journal_open(dir, &o, &s);
    if (rc == INC_OK)
        inc_store_free(s);
    else
        assert_null(s);
    return rc;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Missing directories, files in the way, foreign or newer directories. */
static void test_bad_directory_paths(void **state)
{
    tj_fixture *fx = *state;
    char p[256];
    inc_diag d;

    assert_int_equal(open_rc(fx->dir, 0, 1, &d), INC_ENOTFOUND);
    assert_int_equal(d.code, INC_ENOTFOUND);
    assert_non_null(strstr(d.message, fx->dir));
    assert_int_equal(open_rc(fx->dir, 1, 0, &d), INC_ENOTFOUND);
    snprintf(p, sizeof(p), "%s/no/such/parent", fx->parent);
    assert_int_equal(open_rc(p, 0, 0, &d), INC_EIO);
    assert_non_null(strstr(d.message, "parent"));
    snprintf(p, sizeof(p), "%s/plain-file", fx->parent);
    write_file(p, "hello");
    assert_int_equal(open_rc(p, 0, 0, &d), INC_EINVAL);
    assert_non_null(strstr(d.message, "not a directory"));
    /* A directory with other things in it is not taken over. */
    assert_int_equal(open_rc(fx->parent, 0, 0, &d), INC_EINVAL);
    assert_non_null(strstr(d.message, "not empty"));
    /* A marker from a newer format, or a garbled one. */
    assert_int_equal(open_rc(fx->dir, 0, 0, NULL), INC_OK);
    snprintf(p, sizeof(p), "%s/JOURNAL", fx->dir);
    write_file(p, "libincident journal\nformat 9\n");
    assert_int_equal(open_rc(fx->dir, 0, 0, &d), INC_EVERSION);
    write_file(p, "something else\n");
    assert_int_equal(open_rc(fx->dir, 1, 0, &d), INC_EINVAL);
    assert_int_equal(open_rc(NULL, 0, 0, NULL), INC_EINVAL);
    assert_int_equal(open_rc("", 0, 0, NULL), INC_EINVAL);
}

/* A directory the process may not write to. Root bypasses permission bits,
 * so as root this is skipped (the same path is reached by the read-only
 * mount case, which a test cannot set up without privileges either). */
static void test_directory_without_permission(void **state)
{
    tj_fixture *fx = *state;
    inc_diag d;
    if (geteuid() == 0)
        skip();
    assert_int_equal(mkdir(fx->dir, 0500), 0);
    assert_int_equal(open_rc(fx->dir, 0, 0, &d), INC_EIO);
    assert_non_null(strstr(d.message, fx->dir));
    assert_int_equal(chmod(fx->dir, 0000), 0);
    assert_int_equal(open_rc(fx->dir, 1, 0, &d), INC_EIO);
    assert_int_equal(chmod(fx->dir, 0700), 0);
}

/* Ids that could escape the directory, or are not ids, are refused. */
static void test_bad_ids_rejected(void **state)
{
    tj_fixture *fx = *state;
    inc_store *s = tj_open(fx->dir, INC_SYNC_NONE, 0);
    static const char *bad[] = {"",      "..",  "../x", "a/b",  "/etc/passwd", "Upper",
                                "-lead", "a.b", "a b",  "a\nb", "x.jnl"};
    char longid[INC_ID_MAX + 2];
    inc_store_record r;
    tj_seen seen;
    size_t i;

    r.data = "x";
    r.len = 1;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(inc_store_append(s, bad[i], 0, &r, 1), INC_EINVAL);
        assert_int_equal(tj_read(s, bad[i], 1, &seen), INC_EINVAL);
        assert_int_equal(inc_journal_verify(s, bad[i], NULL), INC_EINVAL);
    }
    memset(longid, 'a', sizeof(longid) - 1);
    longid[sizeof(longid) - 1] = '\0';
    assert_int_equal(inc_store_append(s, longid, 0, &r, 1), INC_EINVAL);
    longid[INC_ID_MAX] = '\0'; /* exactly the maximum is fine */
    assert_int_equal(inc_store_append(s, longid, 0, &r, 1), INC_OK);
    assert_int_equal(inc_journal_verify(s, NULL, NULL), INC_EINVAL);
    inc_store_free(s);
}

static void test_options_and_arguments(void **state)
{
    tj_fixture *fx = *state;
    inc_journal_options o;
    inc_journal_stats st;
    inc_store *s = NULL, *mem = NULL;
    inc_store_record r;
    tj_seen seen;

    assert_int_equal(inc_journal_options_init(NULL, INC_JOURNAL_OPTIONS_VERSION), INC_EINVAL);
    assert_int_equal(inc_journal_options_init(&o, 99), INC_EVERSION);
    assert_int_equal(inc_journal_options_init(&o, INC_JOURNAL_OPTIONS_VERSION), INC_OK);
    assert_int_equal(o.sync, INC_SYNC_EVERY);
    o.version = 0;
    assert_int_equal(inc_store_journal_open(fx->dir, &o, &s), INC_EVERSION);
    o.version = INC_JOURNAL_OPTIONS_VERSION;
    o.sync = (inc_sync_policy)7;
    assert_int_equal(inc_store_journal_open(fx->dir, &o, &s), INC_EINVAL);
    assert_int_equal(inc_store_journal_open(fx->dir, NULL, NULL), INC_EINVAL);
    assert_int_equal(inc_store_journal_open(fx->dir, NULL, &s), INC_OK);
    r.data = NULL;
    r.len = 3;
    assert_int_equal(inc_store_append(s, "x", 0, &r, 1), INC_EINVAL);
    assert_int_equal(inc_store_append(s, "x", 0, NULL, 1), INC_EINVAL);
    r.data = "abc";
    assert_int_equal(inc_store_append(s, "x", 5, &r, 1), INC_ECONFLICT);
    assert_int_equal(inc_store_append(s, "x", 0, &r, 0), INC_OK); /* nothing */
    assert_int_equal(tj_read(s, "x", 1, &seen), INC_ENOTFOUND);
    st.version = 0;
    assert_int_equal(inc_journal_get_stats(s, &st), INC_EVERSION);
    assert_int_equal(inc_journal_get_stats(s, NULL), INC_EINVAL);
    assert_int_equal(inc_store_memory_new(NULL, &mem), INC_OK);
    st.version = INC_JOURNAL_STATS_VERSION;
    assert_int_equal(inc_journal_get_stats(mem, &st), INC_EINVAL);
    assert_int_equal(inc_journal_verify(mem, "x", NULL), INC_EINVAL);
    inc_store_free(mem);
    inc_store_free(s);
}

/* Every allocation can fail: each failure returns INC_ENOMEM, leaks
 * nothing, and leaves the journal as it was. */
static void test_allocation_failure(void **state)
{
    tj_fixture *fx = *state;
    struct inc_test_alloc ta;
    inc_allocator a;
    unsigned long n;
    int completed = 0;

    inc_store_free(tj_open(fx->dir, INC_SYNC_NONE, 0)); /* the directory exists */
    for (n = 1; !completed && n < 200; n++) {
        inc_journal_options o = INC_JOURNAL_OPTIONS_INIT;
        inc_store *s = NULL;
        inc_store_record r;
        tj_seen seen;
        uint64_t have;
        int rc;

        inc_test_alloc_init(&ta);
        a = inc_test_alloc_allocator(&ta);
        ta.fail_at = n;
        o.allocator = &a;
        o.sync = INC_SYNC_NONE;
        rc = inc_store_journal_open(fx->dir, &o, &s);
        if (rc == INC_OK) {
            inc_store *check = tj_open(fx->dir, INC_SYNC_NONE, 1);
            have = 0;
            if (tj_read(check, "oom", 1, &seen) == INC_OK)
                have = seen.count;
            inc_store_free(check);
            r.data = "some event text";
            r.len = 15;
            rc = inc_store_append(s, "oom", have, &r, 1);
            if (rc == INC_OK)
                rc = tj_read(s, "oom", 1, &seen);
            if (rc == INC_OK)
                rc = inc_journal_verify(s, "oom", NULL);
            if (rc == INC_OK)
                completed = 1;
            inc_store_free(s);
        }
        if (ta.live_blocks != 0 || (rc != INC_OK && rc != INC_ENOMEM))
            fail_msg("allocation %lu failed: rc %d, %zu blocks leaked", n, rc, ta.live_blocks);
    }
    assert_true(completed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_TL_1_round_trip, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_round_trip_large_event_bytes, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_read_stops_on_callback, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_list, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_conflict_two_handles, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_conflict_two_processes, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_read_only_while_another_process_writes, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_group_policy_syncs_by_count_time_and_call, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_group_policy_idle_handle_syncs_within_time_bound,
                                        tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_group_policy_next_group_syncs_without_a_signal,
                                        tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_group_policy_handles_wait_and_never_deadlock, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_many_incidents_beyond_open_file_limit, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_none_policy_syncs_only_on_request, tj_setup,
                                        tj_teardown),
        cmocka_unit_test_setup_teardown(test_permissions, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_bad_directory_paths, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_directory_without_permission, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_bad_ids_rejected, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_options_and_arguments, tj_setup, tj_teardown),
        cmocka_unit_test_setup_teardown(test_allocation_failure, tj_setup, tj_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
